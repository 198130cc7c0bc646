"""Untargeted held-out Keras / TF 2 training failures (g104, scored 0.85 top-1 and 1.00 top-3 before any rule for it) of people running older Keras 2 /
TF 2.x code found in tutorials, books and GitHub repositories (2018-2023: ``ImageDataGenerator``
``flow_from_directory``, ``fit_generator``, ``Sequence`` subclasses, ``Lambda`` layers, the
``keras.preprocessing.text`` Tokenizer, GloVe embedding matrices, ``.h5`` files, ``tf.compat.v1``
habits) on today's tf_keras and Keras 3, sometimes mixing the two, spread over the cause ids of
the taxonomy:

- image sizes: the Stanford "detailed example of how to generate your data in parallel" Sequence
  (``X[i,] = np.load('data/' + ID + '.npy')``) over a folder where a few arrays were re-exported at
  96 px (tf_keras, ``fit_generator``);
- channels: a chest X-ray repository's ``Lambda`` that repeats the grey channel three times for a
  VGG16 backbone, fed RGB photos by ``flow_from_directory`` (Keras 3);
- boxes: an Open Images annotation CSV (``XMin,XMax,YMin,YMax``) read in ``xmin,ymin,xmax,ymax``
  order by an object-crop Sequence (tf_keras);
- labels: airline tweet sentiments mapped to -1 / 0 / 1 for a three-way softmax (tf_keras
  Tokenizer);
- label shapes: a SegNet-style ``Reshape((H * W, n_classes))`` head given one-hot masks of shape
  ``(H, W, n_classes)`` by a Sequence (Keras 3);
- dtypes: Titanic columns read with ``csv.DictReader`` and fitted as strings (Keras 3);
- files: the Deep Learning with Python cats-vs-dogs copy script run on a smaller download;
- model inputs: a univariate LSTM declared ``input_shape=(n_features, n_steps)`` (tf_keras);
- model outputs: the MNIST convolutional autoencoder (one-channel sigmoid decoder) pointed at RGB
  photos with ``class_mode="input"`` (Keras 3);
- weights: a GloVe ``embedding_matrix`` of ``len(word_index) + 1`` rows for an
  ``Embedding(len(word_index), ...)`` (tf_keras);
- API: ``fit_generator`` given the generator function instead of its generator (tf_keras), a denoising
  autoencoder given ``validation_data=(x_test_noisy)`` (parentheses, no target; Keras 3);
- versions: a tf_keras ``ImageDataGenerator`` iterator (installed "because Keras 3 dropped it")
  given to a Keras 3 model, the 2018 Flask-serving ``tf.get_default_graph()`` pattern;
- divergence: the book's Boston housing k-fold run without feature normalisation and with SGD,
  best epoch picked with ``np.nanargmin``;
- gradients: a train-on-batch loop ported to ``GradientTape`` that calls ``model.predict`` inside
  the tape (Keras 3);
- host memory: the Reuters bag-of-words ``texts_to_matrix`` with a Tokenizer left without
  ``num_words`` (tf_keras);
- workers: an HDF5-backed Sequence ported to a Keras 3 ``PyDataset`` with ``use_multiprocessing=True``
  after switching to the ``spawn`` start method;
- plain bugs: the inverse ``class_indices`` map written without ``.items()`` in a notebook, an
  attention layer whose ``get_config`` returns ``config.update(...)`` (``None``) met by an ``.h5``
  ``ModelCheckpoint`` (tf_keras).

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run in
a real IPython shell. The TF environments have no SciPy, pandas or scikit-learn: tf_keras'
``ImageDataGenerator`` needs SciPy for every batch, so the ``flow_from_directory`` cases use the
Keras 3 copy under ``tensorflow.keras.preprocessing.image``.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more46.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g104): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more46.py"


# ---------------------------------------------------------------- data helpers
def npy_ids(d: Path):
    """The Stanford blog layout: data/<ID>.npy arrays + partition / labels JSON. A few arrays were
    re-exported at 96 px by a newer preprocessing script."""
    r = _rng(4601)
    ids = [f"id-{i}" for i in range(1, 41)]
    (d / "data").mkdir(parents=True)
    import numpy as np

    for i, pid in enumerate(ids):
        size = 96 if i in (6, 23, 31) else 64
        np.save(d / "data" / f"{pid}.npy", r.random((size, size, 3), dtype=np.float32))
    partition = {"train": ids[:32], "validation": ids[32:]}
    labels = {pid: int(r.integers(0, 2)) for pid in ids}
    (d / "partition.json").write_text(json.dumps(partition))
    (d / "labels.json").write_text(json.dumps(labels))


def xray_photos(d: Path):
    """Phone photos of X-ray films (RGB JPEGs), one folder per class."""
    make_images(d / "xray_photos" / "train", ["NORMAL", "PNEUMONIA"], per_class=8, size=(128, 128),
                fmt="jpeg", seed=4602)


def open_images(d: Path):
    """An Open Images v6 style subset: images/<ImageID>.jpg + the bbox CSV (normalised
    XMin,XMax,YMin,YMax, in that column order)."""
    r = _rng(4603)
    rows = ["ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,"
            "IsDepiction,IsInside"]
    labels = ["/m/0bt9lr", "/m/01yrx"]   # Dog, Cat
    for i in range(16):
        iid = f"{int(r.integers(16**14, 16**15)):016x}"
        _jpg(d / "open-images" / "images" / f"{iid}.jpg", r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))
        if i % 3 == 1:     # an object in the upper right of the frame
            x0, x1 = sorted(r.uniform(0.5, 0.95, size=2))
            y0, y1 = sorted(r.uniform(0.05, 0.45, size=2))
        else:
            x0, x1 = sorted(r.uniform(0.05, 0.6, size=2))
            y0, y1 = sorted(r.uniform(0.3, 0.95, size=2))
        rows.append(f"{iid},xclick,{labels[i % 2]},1,{x0:.6f},{x1:.6f},{y0:.6f},{y1:.6f},0,0,0,0,0")
    (d / "open-images" / "oidv6-train-annotations-bbox.csv").write_text("\n".join(rows) + "\n")
    (d / "open-images" / "class-descriptions-boxable.csv").write_text("/m/0bt9lr,Dog\n/m/01yrx,Cat\n")


def tweets(d: Path):
    r = _rng(4604)
    airlines = ["Virgin America", "United", "Southwest", "Delta", "US Airways", "American"]
    neg = ["flight delayed again", "lost my bag", "worst customer service", "cancelled flightled", "rude staff",
           "on hold for two hours"]
    neu = ["what time does the gate open", "is wifi available", "flight to Denver tomorrow", "any updates"]
    pos = ["thanks for the upgrade", "great crew today", "love the new seats", "smooth landing"]
    rows = ["tweet_id,airline_sentiment,airline_sentiment_confidence,airline,name,text"]
    for i in range(90):
        s = ["negative", "neutral", "positive"][[0, 0, 1, 2][i % 4]]
        words = {"negative": neg, "neutral": neu, "positive": pos}[s]
        a = airlines[i % len(airlines)]
        text = f"@{a.replace(' ', '')} {words[int(r.integers(0, len(words)))]} {words[int(r.integers(0, len(words)))]}"
        rows.append(f"{570306133677760513 + 17 * i},{s},{r.uniform(0.6, 1):.4f},{a},user{i},\"{text}\"")
    (d / "Tweets.csv").write_text("\n".join(rows) + "\n")


def seg_pairs(d: Path):
    """images/*.png + masks/*.png (class ids 0..2) for a SegNet-style model."""
    import numpy as np

    r = _rng(4605)
    yy, xx = np.mgrid[0:64, 0:64]
    for i in range(12):
        _png(d / "seg" / "images" / f"{i:04d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        m = np.zeros((64, 64), np.uint8)
        m[(xx - 20 - i) ** 2 + (yy - 30) ** 2 < 150] = 1
        m[(xx > 40) & (yy > 10 + i)] = 2
        _png(d / "seg" / "masks" / f"{i:04d}.png", m)


def titanic(d: Path):
    r = _rng(4606)
    rows = ["PassengerId,Survived,Pclass,Name,Sex,Age,SibSp,Parch,Ticket,Fare,Cabin,Embarked"]
    for i in range(60):
        age = "" if i % 9 == 4 else f"{r.uniform(1, 70):.0f}"
        rows.append(f"{i + 1},{int(r.integers(0, 2))},{int(r.integers(1, 4))},\"Passenger, Mr. No{i}\","
                    f"{'male' if i % 3 else 'female'},{age},{int(r.integers(0, 3))},{int(r.integers(0, 3))},"
                    f"A/5 {21171 + i},{r.uniform(5, 90):.4f},,S")
    (d / "titanic").mkdir()
    (d / "titanic" / "train.csv").write_text("\n".join(rows) + "\n")


def dogs_vs_cats_sample(d: Path):
    """A smaller dogs-vs-cats download: cat.0..cat.599 and dog.0..dog.599 in one flat folder."""
    r = _rng(4607)
    base = r.integers(0, 255, size=(24, 24, 3), dtype="uint8")
    for kind in ("cat", "dog"):
        for i in range(600):
            _jpg(d / "dogs-vs-cats" / "train" / f"{kind}.{i}.jpg", base if i % 2 else 255 - base, quality=60)


def photos_for_ae(d: Path):
    make_images(d / "faces" / "all", ["img"], per_class=16, size=(64, 64), fmt="jpeg", seed=4608)


def glove(d: Path):
    r = _rng(4609)
    vocab = ["the", "movie", "was", "great", "bad", "plot", "acting", "boring", "loved", "it", "and", "a",
             "terrible", "film", "fun", "story", "i", "not", "good", "waste"]
    lines = [w + " " + " ".join(f"{v:.5f}" for v in r.normal(0, 0.4, size=50)) for w in vocab]
    (d / "glove.6B").mkdir()
    (d / "glove.6B" / "glove.6B.50d.txt").write_text("\n".join(lines) + "\n")
    reviews = []
    for i in range(40):
        words = [vocab[int(k)] for k in r.integers(0, len(vocab), size=int(r.integers(5, 15)))]
        reviews.append(json.dumps({"text": " ".join(words), "label": int(r.integers(0, 2))}))
    (d / "reviews.jsonl").write_text("\n".join(reviews) + "\n")


def cats_dogs_folders(d: Path):
    make_images(d / "pets" / "train", ["cats", "dogs"], per_class=8, size=(64, 64), fmt="jpeg", seed=4610)


def boston(d: Path):
    """Boston-housing-like rows: 13 raw features (taxes in dollars, etc.) and the price in $1000s."""
    import numpy as np

    r = _rng(4611)
    n = 404
    cols = [r.exponential(3.6, n), r.choice([0, 12.5, 20, 80], n), r.uniform(0.5, 27, n), r.integers(0, 2, n),
            r.uniform(0.38, 0.87, n), r.normal(6.3, 0.7, n), r.uniform(3, 100, n), r.uniform(1.1, 12, n),
            r.choice([1, 4, 5, 24], n), r.uniform(187, 711, n), r.uniform(12.6, 22, n), r.uniform(0.3, 396.9, n),
            r.uniform(1.7, 38, n)]
    x = np.stack(cols, axis=1)
    y = 22 + 4 * (x[:, 5] - 6.3) - 0.3 * x[:, 12] + r.normal(0, 3, n)
    np.savez(d / "boston_housing.npz", x=x, y=y)


def reuters_like(d: Path):
    """A news-wire dump: topic<TAB>text, many docs and a long tail of codes / tickers / numbers."""
    r = _rng(4612)
    common = ("the said company year pct share profit net loss bank oil trade dollar market "
              "price rate stock sales quarter billion million").split()
    lines = []
    for i in range(24000):
        words = [common[int(k)] for k in r.integers(0, len(common), size=12)]
        words += [f"c{int(k)}" for k in r.integers(0, 160000, size=6)]   # tickers, codes, figures
        lines.append(f"{int(r.integers(0, 46))}\t{' '.join(words)}")
    (d / "reuters_wire.tsv").write_text("\n".join(lines) + "\n")


def h5_dataset(d: Path):
    import numpy as np
    import h5py

    r = _rng(4613)
    with h5py.File(d / "train_64.h5", "w") as f:
        f.create_dataset("x", data=r.integers(0, 255, size=(64, 32, 32, 3), dtype="uint8"))
        f.create_dataset("y", data=r.integers(0, 4, size=(64,)).astype("int64"))


def served_model(d: Path):
    make_images(d / "uploads", ["tmp"], per_class=1, size=(96, 96), fmt="jpeg", seed=4614)
    (d / "models").mkdir()
    _prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.save("models/flower_model.h5")
        """, d)


def kd_data(d: Path):
    make_images(d / "dataset" / "train", ["bird", "car", "cat", "ship"], per_class=6, size=(32, 32), fmt="png",
                seed=4615)


def digits_npz(d: Path):
    r = _rng(4616)
    import numpy as np

    np.savez(d / "digits.npz", x_train=r.integers(0, 255, size=(256, 28, 28), dtype="uint8"),
             x_test=r.integers(0, 255, size=(64, 28, 28), dtype="uint8"))


def sensor_windows(d: Path):
    """UCI-HAR-like windows: (N, 32 steps, 9 sensor channels), activity ids 0..5."""
    r = _rng(4617)
    import numpy as np

    np.savez(d / "har_windows.npz", X=r.normal(0, 1, size=(96, 32, 9)).astype("float32"),
             y=r.integers(0, 6, size=96))


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more46-stanford-datagenerator-npy-arrays-reexported-96px-fit-generator-tfk2",
        cause="data.image_size_mismatch",
        env="tfk2",
        exception="ValueError",
        setup=npy_ids,
        pty=True,
        expect="could not broadcast",
        code="""
        import json
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        os.chdir("{DATA}")


        class DataGenerator(keras.utils.Sequence):
            'Generates data for Keras'
            def __init__(self, list_IDs, labels, batch_size=8, dim=(64, 64), n_channels=3,
                         n_classes=2, shuffle=True):
                'Initialization'
                self.dim = dim
                self.batch_size = batch_size
                self.labels = labels
                self.list_IDs = list_IDs
                self.n_channels = n_channels
                self.n_classes = n_classes
                self.shuffle = shuffle
                self.on_epoch_end()

            def __len__(self):
                'Denotes the number of batches per epoch'
                return int(np.floor(len(self.list_IDs) / self.batch_size))

            def __getitem__(self, index):
                'Generate one batch of data'
                indexes = self.indexes[index * self.batch_size:(index + 1) * self.batch_size]
                list_IDs_temp = [self.list_IDs[k] for k in indexes]
                X, y = self.__data_generation(list_IDs_temp)
                return X, y

            def on_epoch_end(self):
                'Updates indexes after each epoch'
                self.indexes = np.arange(len(self.list_IDs))
                if self.shuffle == True:
                    np.random.shuffle(self.indexes)

            def __data_generation(self, list_IDs_temp):
                'Generates data containing batch_size samples'
                X = np.empty((self.batch_size, *self.dim, self.n_channels))
                y = np.empty((self.batch_size), dtype=int)
                for i, ID in enumerate(list_IDs_temp):
                    X[i,] = np.load('data/' + ID + '.npy')
                    y[i] = self.labels[ID]
                return X, keras.utils.to_categorical(y, num_classes=self.n_classes)


        params = {'dim': (64, 64), 'batch_size': 8, 'n_classes': 2, 'n_channels': 3, 'shuffle': True}
        partition = json.load(open('partition.json'))
        labels = json.load(open('labels.json'))

        training_generator = DataGenerator(partition['train'], labels, **params)
        validation_generator = DataGenerator(partition['validation'], labels, **params)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation='relu', input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation='relu'),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation='softmax'),
        ])
        model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])

        np.random.seed(0)
        model.fit_generator(generator=training_generator,
                            validation_data=validation_generator,
                            epochs=3)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more46-xray-repo-lambda-repeat-grey-channel-rgb-photos-flow-from-directory-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=xray_photos,
        pty=True,
        expect="incompatible",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator
        from tensorflow.keras.applications import VGG16
        from tensorflow.keras.layers import Input, Lambda, Flatten, Dense, Dropout
        from tensorflow.keras.models import Model

        IMG_SIZE = 128
        BATCH_SIZE = 4

        # from the chest-xray-pneumonia repo: the X-rays are single channel, VGG16 wants three
        inp = Input(shape=(IMG_SIZE, IMG_SIZE, 1), name="xray")
        x = Lambda(lambda t: tf.concat([t, t, t], axis=-1), name="grey_to_rgb")(inp)
        base = VGG16(weights=None, include_top=False, input_shape=(IMG_SIZE, IMG_SIZE, 3))
        for layer in base.layers:
            layer.trainable = False
        x = base(x)
        x = Flatten()(x)
        x = Dense(128, activation="relu")(x)
        x = Dropout(0.5)(x)
        out = Dense(1, activation="sigmoid")(x)
        model = Model(inp, out)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

        # my own data: phone photos of the films
        train_datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_generator = train_datagen.flow_from_directory(
            "{DATA}/xray_photos/train", target_size=(IMG_SIZE, IMG_SIZE), batch_size=BATCH_SIZE,
            class_mode="binary")

        model.fit(train_generator, steps_per_epoch=train_generator.samples // BATCH_SIZE, epochs=5)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more46-open-images-csv-xmin-xmax-ymin-ymax-read-as-corners-crop-sequence-tfk2",
        cause="data.bbox_invalid",
        env="tfk2",
        exception="ValueError",
        setup=open_images,
        expect="must be > 0",
        code="""
        import csv
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/open-images"
        names = dict(csv.reader(open(os.path.join(ROOT, "class-descriptions-boxable.csv"))))
        classes = sorted(names.values())


        class CropSequence(keras.utils.Sequence):
            # crops every annotated object and classifies the crop
            def __init__(self, csv_path, batch_size=4, size=48):
                with open(csv_path) as f:
                    reader = csv.reader(f)
                    next(reader)
                    self.rows = list(reader)
                self.batch_size = batch_size
                self.size = size

            def __len__(self):
                return len(self.rows) // self.batch_size

            def crop(self, row):
                image_id, _, label = row[:3]
                xmin, ymin, xmax, ymax = map(float, row[4:8])
                img = tf.io.decode_jpeg(tf.io.read_file(os.path.join(ROOT, "images", image_id + ".jpg")), channels=3)
                h, w = img.shape[0], img.shape[1]
                obj = tf.image.crop_to_bounding_box(img, int(ymin * h), int(xmin * w),
                                                    int((ymax - ymin) * h), int((xmax - xmin) * w))
                return tf.image.resize(obj, (self.size, self.size)) / 255.0, classes.index(names[label])

            def __getitem__(self, idx):
                batch = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                crops, labels = zip(*[self.crop(r) for r in batch])
                return np.stack(crops), np.array(labels)


        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(classes), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(CropSequence(os.path.join(ROOT, "oidv6-train-annotations-bbox.csv")), epochs=3, verbose=2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more46-airline-tweets-sentiment-minus-one-zero-one-softmax-tokenizer-tfk2",
        cause="data.label_out_of_range",
        env="tfk2",
        exception="InvalidArgumentError",
        setup=tweets,
        pty=True,
        expect="Received a label value of -1",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.text import Tokenizer
        from tensorflow.keras.preprocessing.sequence import pad_sequences
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Embedding, GlobalAveragePooling1D, Dense, Dropout

        rows = list(csv.DictReader(open("{DATA}/Tweets.csv", encoding="utf-8")))
        texts = [r["text"] for r in rows]
        sentiment = {"negative": -1, "neutral": 0, "positive": 1}
        labels = np.array([sentiment[r["airline_sentiment"]] for r in rows])
        print(len(texts), "tweets", np.unique(labels, return_counts=True))

        MAX_WORDS, MAX_LEN = 5000, 30
        tokenizer = Tokenizer(num_words=MAX_WORDS, oov_token="<OOV>")
        tokenizer.fit_on_texts(texts)
        X = pad_sequences(tokenizer.texts_to_sequences(texts), maxlen=MAX_LEN, padding="post")

        model = Sequential([
            Embedding(MAX_WORDS, 32, input_length=MAX_LEN),
            GlobalAveragePooling1D(),
            Dense(24, activation="relu"),
            Dropout(0.3),
            Dense(3, activation="softmax"),
        ])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.summary()
        model.fit(X, labels, epochs=10, batch_size=16, validation_split=0.2)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more46-segnet-reshape-flat-pixel-softmax-onehot-2d-masks-sequence-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=seg_pairs,
        pty=True,
        expect="must have the same rank",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        import keras
        from keras.layers import (Input, Conv2D, MaxPooling2D, UpSampling2D, BatchNormalization,
                                  Activation, Reshape)
        from keras.models import Model
        from keras.utils import to_categorical

        H, W, N_CLASSES = 64, 64, 3


        class SegGenerator(keras.utils.Sequence):
            def __init__(self, image_dir, mask_dir, batch_size=4):
                self.images = sorted(glob.glob(os.path.join(image_dir, "*.png")))
                self.mask_dir = mask_dir
                self.batch_size = batch_size

            def __len__(self):
                return len(self.images) // self.batch_size

            def __getitem__(self, idx):
                paths = self.images[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(p), np.float32) / 255.0 for p in paths])
                masks = np.stack([np.asarray(Image.open(os.path.join(self.mask_dir, os.path.basename(p))))
                                  for p in paths])
                y = to_categorical(masks, N_CLASSES)          # (batch, H, W, N_CLASSES)
                return x, y


        # SegNet-style encoder / decoder from an old keras-segmentation repo
        inp = Input((H, W, 3))
        x = Conv2D(32, 3, padding="same")(inp)
        x = BatchNormalization()(x)
        x = Activation("relu")(x)
        x = MaxPooling2D()(x)
        x = Conv2D(64, 3, padding="same")(x)
        x = BatchNormalization()(x)
        x = Activation("relu")(x)
        x = UpSampling2D()(x)
        x = Conv2D(N_CLASSES, 1, padding="same")(x)
        x = Reshape((H * W, N_CLASSES))(x)
        out = Activation("softmax")(x)
        model = Model(inp, out)
        model.compile(optimizer="adadelta", loss="categorical_crossentropy", metrics=["accuracy"])

        train_gen = SegGenerator("{DATA}/seg/images", "{DATA}/seg/masks")
        model.fit(train_gen, epochs=5)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more46-titanic-csv-dictreader-columns-kept-as-strings-fit-k3",
        cause="data.dtype",
        exception="ValueError",
        setup=titanic,
        expect="Invalid dtype",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        with open("{DATA}/titanic/train.csv") as f:
            rows = list(csv.DictReader(f))

        features = ["Pclass", "Sex", "Age", "SibSp", "Parch", "Fare"]
        for r in rows:
            r["Sex"] = "1" if r["Sex"] == "female" else "0"
            r["Age"] = r["Age"] or "28"                    # median age for the missing ones
        X = np.array([[r[c] for c in features] for r in rows])
        y = np.array([int(r["Survived"]) for r in rows])
        print(X.shape, y.shape)
        print(X[:3])

        model = keras.Sequential([
            keras.Input(shape=(len(features),)),
            layers.Dense(16, activation="relu"),
            layers.Dense(8, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=50, batch_size=16, validation_split=0.2)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more46-dlwp-cats-vs-dogs-copy-first-1000-fnames-smaller-download-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=dogs_vs_cats_sample,
        expect="cat.600.jpg",
        code="""
        import os, shutil

        # Deep Learning with Python, 5.2: copying images to training, validation and test directories
        original_dataset_dir = '{DATA}/dogs-vs-cats/train'
        base_dir = '{DATA}/cats_and_dogs_small'
        os.mkdir(base_dir)

        train_dir = os.path.join(base_dir, 'train')
        os.mkdir(train_dir)
        validation_dir = os.path.join(base_dir, 'validation')
        os.mkdir(validation_dir)
        test_dir = os.path.join(base_dir, 'test')
        os.mkdir(test_dir)

        train_cats_dir = os.path.join(train_dir, 'cats')
        os.mkdir(train_cats_dir)
        train_dogs_dir = os.path.join(train_dir, 'dogs')
        os.mkdir(train_dogs_dir)
        validation_cats_dir = os.path.join(validation_dir, 'cats')
        os.mkdir(validation_cats_dir)
        validation_dogs_dir = os.path.join(validation_dir, 'dogs')
        os.mkdir(validation_dogs_dir)
        test_cats_dir = os.path.join(test_dir, 'cats')
        os.mkdir(test_cats_dir)
        test_dogs_dir = os.path.join(test_dir, 'dogs')
        os.mkdir(test_dogs_dir)

        fnames = ['cat.{}.jpg'.format(i) for i in range(1000)]
        for fname in fnames:
            src = os.path.join(original_dataset_dir, fname)
            dst = os.path.join(train_cats_dir, fname)
            shutil.copyfile(src, dst)

        fnames = ['cat.{}.jpg'.format(i) for i in range(1000, 1500)]
        for fname in fnames:
            src = os.path.join(original_dataset_dir, fname)
            dst = os.path.join(validation_cats_dir, fname)
            shutil.copyfile(src, dst)

        fnames = ['dog.{}.jpg'.format(i) for i in range(1000)]
        for fname in fnames:
            src = os.path.join(original_dataset_dir, fname)
            dst = os.path.join(train_dogs_dir, fname)
            shutil.copyfile(src, dst)

        print('total training cat images:', len(os.listdir(train_cats_dir)))
        print('total training dog images:', len(os.listdir(train_dogs_dir)))
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more46-univariate-lstm-input-shape-features-steps-swapped-tfk2",
        cause="model.input_shape",
        env="tfk2",
        exception="ValueError",
        expect="is incompatible with the layer",
        code="""
        from numpy import array
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import LSTM, Dense


        # split a univariate sequence into samples
        def split_sequence(sequence, n_steps):
            X, y = list(), list()
            for i in range(len(sequence)):
                end_ix = i + n_steps
                if end_ix > len(sequence) - 1:
                    break
                seq_x, seq_y = sequence[i:end_ix], sequence[end_ix]
                X.append(seq_x)
                y.append(seq_y)
            return array(X), array(y)


        # daily sales of the shop
        raw_seq = [112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149,
                   170, 170, 158, 133, 114, 140]
        n_steps = 3
        X, y = split_sequence(raw_seq, n_steps)
        # reshape from [samples, timesteps] into [samples, timesteps, features]
        n_features = 1
        X = X.reshape((X.shape[0], X.shape[1], n_features))
        print(X.shape)

        model = Sequential()
        model.add(LSTM(50, activation='relu', input_shape=(n_features, n_steps)))
        model.add(Dense(1))
        model.compile(optimizer='adam', loss='mse')
        model.fit(X, y, epochs=200, verbose=0)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more46-mnist-conv-autoencoder-one-channel-decoder-rgb-class-mode-input-k3",
        cause="model.output_mismatch",
        also=("data.image_channels",),
        exception="ValueError",
        setup=photos_for_ae,
        pty=True,
        expect="must have the same shape",
        code="""
        from tensorflow.keras.preprocessing.image import ImageDataGenerator
        from tensorflow.keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D
        from tensorflow.keras.models import Model

        # "Building Autoencoders in Keras" (2016), convolutional autoencoder, on my own photos
        input_img = Input(shape=(64, 64, 3))

        x = Conv2D(16, (3, 3), activation='relu', padding='same')(input_img)
        x = MaxPooling2D((2, 2), padding='same')(x)
        x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
        x = MaxPooling2D((2, 2), padding='same')(x)
        x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
        encoded = MaxPooling2D((2, 2), padding='same')(x)

        x = Conv2D(8, (3, 3), activation='relu', padding='same')(encoded)
        x = UpSampling2D((2, 2))(x)
        x = Conv2D(8, (3, 3), activation='relu', padding='same')(x)
        x = UpSampling2D((2, 2))(x)
        x = Conv2D(16, (3, 3), activation='relu', padding='same')(x)
        x = UpSampling2D((2, 2))(x)
        decoded = Conv2D(1, (3, 3), activation='sigmoid', padding='same')(x)

        autoencoder = Model(input_img, decoded)
        autoencoder.compile(optimizer='adadelta', loss='binary_crossentropy')

        datagen = ImageDataGenerator(rescale=1. / 255)
        train_generator = datagen.flow_from_directory('{DATA}/faces', target_size=(64, 64), batch_size=8,
                                                      class_mode='input')
        autoencoder.fit(train_generator, epochs=50, shuffle=True)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more46-glove-embedding-matrix-word-index-plus-one-rows-tfk2",
        cause="model.weights_mismatch",
        env="tfk2",
        exception="ValueError",
        setup=glove,
        expect="is not compatible with provided weight shape",
        code="""
        import json

        import numpy as np
        from tensorflow.keras.preprocessing.text import Tokenizer
        from tensorflow.keras.preprocessing.sequence import pad_sequences
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Embedding, Flatten, Dense

        reviews = [json.loads(l) for l in open("{DATA}/reviews.jsonl")]
        texts = [r["text"] for r in reviews]
        labels = np.array([r["label"] for r in reviews])

        maxlen = 20
        tokenizer = Tokenizer()
        tokenizer.fit_on_texts(texts)
        word_index = tokenizer.word_index
        print('Found %s unique tokens.' % len(word_index))
        data = pad_sequences(tokenizer.texts_to_sequences(texts), maxlen=maxlen)

        embeddings_index = {}
        with open("{DATA}/glove.6B/glove.6B.50d.txt") as f:
            for line in f:
                values = line.split()
                embeddings_index[values[0]] = np.asarray(values[1:], dtype='float32')
        print('Found %s word vectors.' % len(embeddings_index))

        embedding_dim = 50
        embedding_matrix = np.zeros((len(word_index) + 1, embedding_dim))
        for word, i in word_index.items():
            embedding_vector = embeddings_index.get(word)
            if embedding_vector is not None:
                embedding_matrix[i] = embedding_vector

        model = Sequential()
        model.add(Embedding(len(word_index), embedding_dim, weights=[embedding_matrix], input_length=maxlen,
                            trainable=False))
        model.add(Flatten())
        model.add(Dense(32, activation='relu'))
        model.add(Dense(1, activation='sigmoid'))
        model.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['acc'])
        model.fit(data, labels, epochs=10, batch_size=8, validation_split=0.2)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more46-fit-generator-given-generator-function-not-called-tfk2",
        cause="model.api_misuse",
        env="tfk2",
        exception="ValueError",
        setup=cats_dogs_folders,
        expect="Failed to find data adapter",
        code="""
        import glob
        import os
        import random

        import numpy as np
        from PIL import Image
        from tensorflow import keras
        from tensorflow.keras import layers

        DATA = "{DATA}/pets/train"
        CLASSES = sorted(os.listdir(DATA))
        files = [(p, CLASSES.index(c)) for c in CLASSES for p in glob.glob(os.path.join(DATA, c, "*.jpg"))]
        BATCH_SIZE = 4


        def train_generator():
            while True:
                random.shuffle(files)
                for i in range(0, len(files) - BATCH_SIZE + 1, BATCH_SIZE):
                    batch = files[i:i + BATCH_SIZE]
                    x = np.stack([np.asarray(Image.open(p).resize((64, 64)), np.float32) / 255.0 for p, _ in batch])
                    y = np.array([label for _, label in batch])
                    yield x, y


        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit_generator(train_generator, steps_per_epoch=len(files) // BATCH_SIZE, epochs=5)
        """,
    ),
    Case(
        name="keras-more46-denoising-autoencoder-validation-data-parenthesised-array-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=digits_npz,
        pty=True,
        expect="None values not supported",
        code="""
        import numpy as np
        import keras
        from keras.layers import Input, Dense
        from keras.models import Model

        data = np.load("{DATA}/digits.npz")
        x_train = data["x_train"].astype("float32") / 255.
        x_test = data["x_test"].astype("float32") / 255.
        x_train = x_train.reshape((len(x_train), np.prod(x_train.shape[1:])))
        x_test = x_test.reshape((len(x_test), np.prod(x_test.shape[1:])))

        noise_factor = 0.5
        x_train_noisy = np.clip(x_train + noise_factor * np.random.normal(size=x_train.shape), 0., 1.)
        x_test_noisy = np.clip(x_test + noise_factor * np.random.normal(size=x_test.shape), 0., 1.)

        input_img = Input(shape=(784,))
        encoded = Dense(64, activation='relu')(input_img)
        decoded = Dense(784, activation='sigmoid')(encoded)
        autoencoder = Model(input_img, decoded)
        autoencoder.compile(optimizer='adam', loss='binary_crossentropy')

        # no labels in an autoencoder, so validation is just the noisy test images
        autoencoder.fit(x_train_noisy, x_train,
                        epochs=20,
                        batch_size=32,
                        shuffle=True,
                        validation_data=(x_test_noisy))
        """,
    ),
    # =================================================================== env.version_incompat (mixing)
    Case(
        name="keras-more46-tf-keras-imagedatagenerator-iterator-into-keras3-model-fit-k3",
        cause="env.version_incompat",
        exception="ValueError",
        setup=cats_dogs_folders,
        expect="Unrecognized data type",
        code="""
        import keras
        from keras import layers
        # Keras 3 dropped ImageDataGenerator from keras.preprocessing -> pip install tf_keras
        from tf_keras.preprocessing.image import ImageDataGenerator

        train_datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True, zoom_range=0.2)
        train_generator = train_datagen.flow_from_directory(
            "{DATA}/pets/train", target_size=(64, 64), batch_size=4, class_mode="binary")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_generator, epochs=5)
        """,
    ),
    Case(
        name="keras-more46-flask-style-predict-global-graph-get-default-graph-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=served_model,
        expect="get_default_graph",
        script="predict.py",
        code="""
        import sys

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.models import load_model
        from tensorflow.keras.preprocessing import image

        CLASSES = ["daisy", "roses", "tulips"]


        def init():
            # from the 2018 "deploy your Keras model with Flask" post: keep the graph for the request threads
            global model, graph
            model = load_model("{DATA}/models/flower_model.h5")
            print("Loaded model from disk")
            graph = tf.get_default_graph()
            return model, graph


        def predict(path):
            img = image.load_img(path, target_size=(64, 64))
            x = np.expand_dims(image.img_to_array(img), axis=0)
            with graph.as_default():
                preds = model.predict(x)
            return CLASSES[int(np.argmax(preds[0]))]


        if __name__ == "__main__":
            init()
            print(predict(sys.argv[1] if len(sys.argv) > 1 else "{DATA}/uploads/tmp/tmp_000.jpg"))
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more46-dlwp-boston-kfold-unnormalised-sgd-nanargmin-best-epoch-tfk2",
        cause="optim.divergence",
        env="tfk2",
        exception="ValueError",
        setup=boston,
        expect="All-NaN slice encountered",
        code="""
        import numpy as np
        from tensorflow.keras import models, layers, optimizers

        data = np.load("{DATA}/boston_housing.npz")
        train_data, train_targets = data["x"], data["y"]
        print(train_data.shape, train_data[0])


        def build_model():
            model = models.Sequential()
            model.add(layers.Dense(64, activation='relu', input_shape=(train_data.shape[1],)))
            model.add(layers.Dense(64, activation='relu'))
            model.add(layers.Dense(1))
            model.compile(optimizer=optimizers.SGD(learning_rate=0.01), loss='mse', metrics=['mae'])
            return model


        k = 4
        num_val_samples = len(train_data) // k
        num_epochs = 20
        all_mae_histories = []
        for i in range(k):
            print('processing fold #', i)
            val_data = train_data[i * num_val_samples: (i + 1) * num_val_samples]
            val_targets = train_targets[i * num_val_samples: (i + 1) * num_val_samples]
            partial_train_data = np.concatenate(
                [train_data[:i * num_val_samples], train_data[(i + 1) * num_val_samples:]], axis=0)
            partial_train_targets = np.concatenate(
                [train_targets[:i * num_val_samples], train_targets[(i + 1) * num_val_samples:]], axis=0)
            model = build_model()
            history = model.fit(partial_train_data, partial_train_targets,
                                validation_data=(val_data, val_targets),
                                epochs=num_epochs, batch_size=16, verbose=0)
            mae_history = history.history['val_mae']
            print('fold', i, 'last val MAE', mae_history[-1])
            all_mae_histories.append(mae_history)

        average_mae_history = [np.mean([x[i] for x in all_mae_histories]) for i in range(num_epochs)]
        best_epoch = int(np.nanargmin(average_mae_history)) + 1      # skip epochs that came out as nan
        print('best epoch:', best_epoch)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more46-train-on-batch-loop-ported-to-tape-model-predict-inside-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=kd_data,
        expect="No gradients provided",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/dataset/train", image_size=(32, 32), batch_size=8, seed=1)
        num_classes = len(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes),
        ])
        optimizer = keras.optimizers.Adam(1e-3)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        # was: loss = model.train_on_batch(x, y) -- now a custom loop so I can add label smoothing later
        for epoch in range(3):
            for step, (x, y) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    logits = model.predict(x, verbose=0)
                    loss = loss_fn(y, logits)
                grads = tape.gradient(loss, model.trainable_weights)
                optimizer.apply_gradients(zip(grads, model.trainable_weights))
                if step % 2 == 0:
                    print(f"epoch {epoch} step {step} loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more46-reuters-bag-of-words-texts-to-matrix-tokenizer-without-num-words-tfk2",
        cause="resource.host_memory",
        env="tfk2",
        exception="_ArrayMemoryError",
        setup=reuters_like,
        as_limit=8 * 1024**3,
        expect="Unable to allocate",
        code="""
        import numpy as np
        from tensorflow.keras.preprocessing.text import Tokenizer
        from tensorflow.keras.utils import to_categorical
        from tensorflow.keras import models, layers

        labels, texts = [], []
        with open("{DATA}/reuters_wire.tsv") as f:
            for line in f:
                topic, text = line.rstrip("\\n").split("\\t")
                labels.append(int(topic))
                texts.append(text)
        print(len(texts), "newswires")

        tokenizer = Tokenizer()            # keep the whole vocabulary
        tokenizer.fit_on_texts(texts)
        print(len(tokenizer.word_index), "distinct words")
        x_train = tokenizer.texts_to_matrix(texts, mode="tfidf")
        y_train = to_categorical(labels, 46)

        model = models.Sequential([
            layers.Dense(64, activation="relu", input_shape=(x_train.shape[1],)),
            layers.Dense(64, activation="relu"),
            layers.Dense(46, activation="softmax"),
        ])
        model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=9, batch_size=512, validation_split=0.2)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more46-hdf5-sequence-ported-to-pydataset-multiprocessing-spawn-k3",
        cause="env.multiprocessing",
        exception="InvalidArgumentError",
        setup=h5_dataset,
        timeout=240,
        expect="h5py objects cannot be pickled",
        code="""
        import multiprocessing

        import h5py
        import numpy as np
        import keras
        from keras import layers


        class H5Sequence(keras.utils.PyDataset):
            # was a keras.utils.Sequence; Keras 3 wants workers / use_multiprocessing here
            def __init__(self, path, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.h5 = h5py.File(path, "r")
                self.x, self.y = self.h5["x"], self.h5["y"]
                self.batch_size = batch_size

            def __len__(self):
                return len(self.y) // self.batch_size

            def __getitem__(self, idx):
                s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                return self.x[s].astype("float32") / 255.0, self.y[s]


        def main():
            train_seq = H5Sequence("{DATA}/train_64.h5", workers=2, use_multiprocessing=True)
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_seq, epochs=3, verbose=2)


        if __name__ == "__main__":
            # fork after TensorFlow has started its threads can hang -> spawn
            multiprocessing.set_start_method("spawn", force=True)
            main()
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more46-nb-inverse-class-indices-dict-comprehension-without-items-k3",
        cause="other",
        exception="ValueError",
        expect="too many values to unpack",
        **notebook([
            """
            import numpy as np
            from tensorflow.keras.preprocessing.image import ImageDataGenerator
            from tensorflow.keras import layers, models

            datagen = ImageDataGenerator(rescale=1.0 / 255, validation_split=0.25)
            train_generator = datagen.flow_from_directory("{DATA}/pets/train", target_size=(64, 64), batch_size=4,
                                                          class_mode="categorical", subset="training")
            validation_generator = datagen.flow_from_directory("{DATA}/pets/train", target_size=(64, 64),
                                                               batch_size=4, class_mode="categorical",
                                                               subset="validation", shuffle=False)
            """,
            """
            model = models.Sequential([
                layers.Input((64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(2, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_generator, validation_data=validation_generator, epochs=2, verbose=2)
            """,
            """
            preds = model.predict(validation_generator, verbose=0)
            labels = {v: k for k, v in train_generator.class_indices}
            for fname, p in zip(validation_generator.filenames, preds):
                print(fname, "->", labels[int(np.argmax(p))])
            """,
        ], data=cats_dogs_folders),
    ),
    Case(
        name="keras-more46-attention-layer-get-config-returns-dict-update-h5-checkpoint-tfk2",
        cause="other",
        also=("model.api_misuse",),
        env="tfk2",
        exception="AttributeError",
        setup=sensor_windows,
        pty=True,
        expect="'NoneType' object has no attribute 'items'",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import backend as K
        from tensorflow.keras.layers import Layer, Input, LSTM, Dense
        from tensorflow.keras.callbacks import ModelCheckpoint


        class Attention(Layer):
            def __init__(self, return_sequences=False, **kwargs):
                self.return_sequences = return_sequences
                super(Attention, self).__init__(**kwargs)

            def build(self, input_shape):
                self.W = self.add_weight(name="att_weight", shape=(input_shape[-1], 1), initializer="normal")
                self.b = self.add_weight(name="att_bias", shape=(input_shape[1], 1), initializer="zeros")
                super(Attention, self).build(input_shape)

            def call(self, x):
                e = K.tanh(K.dot(x, self.W) + self.b)
                a = K.softmax(e, axis=1)
                output = x * a
                if self.return_sequences:
                    return output
                return K.sum(output, axis=1)

            def get_config(self):
                config = super(Attention, self).get_config()
                return config.update({"return_sequences": self.return_sequences})


        data = np.load("{DATA}/har_windows.npz")
        X, y = data["X"], data["y"]
        inp = Input(shape=X.shape[1:])
        x = LSTM(32, return_sequences=True)(inp)
        x = Attention()(x)
        out = Dense(6, activation="softmax")(x)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        checkpoint = ModelCheckpoint("best_model.h5", monitor="val_accuracy", save_best_only=True, verbose=1)
        model.fit(X, y, validation_split=0.2, epochs=10, batch_size=16, callbacks=[checkpoint])
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
