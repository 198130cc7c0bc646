"""Untargeted held-out Keras / TF 2 training failures (g92, scored 0.77 top-1 and 0.91 top-3 before any rule for it) of students and first-time practitioners:
course notebooks, Kaggle-style scripts and code adapted from blog tutorials (the Keras 2 docs,
pyimagesearch, machinelearningmastery-style posts, the TF tutorials) or from ChatGPT answers, often
written for older Keras and run on today's; image classifiers on ``image_dataset_from_directory``,
``ImageDataGenerator`` and tf.data, U-Nets, a class + box regression head, a super-resolution net, a
denoising autoencoder, custom ``GradientTape`` loops, mixed precision, checkpoints, spread over the
cause ids of the taxonomy:

- image sizes: every photo letterboxed to a square of its own longer side with
  ``pad_to_bounding_box`` before ``batch`` (a fully convolutional model "takes any size");
- channels: FER-2013 grey faces from the CSV concatenated with the student's own RGB webcam crops;
- labels: a CIFAR-100 pickle read with ``b"fine_labels"`` for the 20-superclass head of the course
  notebook (tf_keras);
- label shapes: a denoising autoencoder given the flat CSV pixel rows as its clean target;
- dtypes: a SRCNN ``tf.function`` step subtracting the float prediction from the uint8 HR patch, a
  Kaggle GeM pooling layer holding a float32 ``tf.Variable`` under ``mixed_float16``;
- files: a labels CSV row with an empty file name (``read_file`` on the image folder);
- boxes: a Roboflow "TensorFlow CSV" export (``filename,width,height,class,xmin,...``) read with
  the ``CsvDataset`` record defaults of a six-column ``filename,startX,startY,endX,endY,label``
  tutorial;
- model inputs: a CNN + LSTM "hybrid" from a ChatGPT answer with no reshape between the
  convolutions and the LSTM, ``tf.expand_dims(img, 0)`` copied from the predict script into the
  training ``map``;
- model outputs: a box + class model whose outputs are ``(bbox, class)`` compiled and fitted with
  class-first loss and target lists;
- weights: a notebook that resumes from yesterday's ``.weights.h5`` after changing the first
  kernel size;
- API: a ``Rescaling`` layer given straight to ``Dataset.map`` on (image, label) pairs, a PyTorch-style
  subclassed model that creates its layers inside ``call``, ``model.eval()`` before predicting
  (notebook);
- versions: the Keras 2 docs' ``zip(image_generator, mask_generator)`` given to ``fit`` under Keras 3
  (notebook), ``DirectoryIterator.next()`` to preview an augmented batch;
- host memory: offline augmentation by ``np.repeat``-ing float64 photos thirty times;
- divergence: a raw-pixel U-Net with SGD whose NaN masks leave ``np.where`` empty when the lesion
  is cropped;
- gradients: the FGSM tutorial's ``tape.watch`` on a uint8 photo (``tf.sign`` of a ``None``
  gradient);
- plain bugs: ``files = random.shuffle(files)`` in a train / val split script (tf_keras), a Kaggle
  submission written with ``np.savetxt(np.c_[ids, preds], fmt="%d")`` for string ids (tf_keras).

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more41.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g92): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more41.py"


# ---------------------------------------------------------------- data helpers
def membrane(d: Path):
    """zhixuhao/unet-style layout: membrane/train/image/*.png + membrane/train/label/*.png."""
    r = _rng(401)
    for i in range(8):
        _png(d / "membrane" / "train" / "image" / f"{i}.png", r.integers(0, 255, size=(96, 96), dtype="uint8"))
        _png(d / "membrane" / "train" / "label" / f"{i}.png",
             ((r.random((96, 96)) > 0.5) * 255).astype("uint8"))


def rock_paper_scissors(d: Path):
    make_images(d / "rps" / "train", ["paper", "rock", "scissors"], per_class=6, size=(72, 72), fmt="png",
                seed=402)


def traffic_signs(d: Path):
    make_images(d / "signs", ["stop", "yield"], per_class=6, size=(64, 64), fmt="jpeg", seed=403)


def garbage(d: Path):
    make_images(d / "garbage", ["cardboard", "glass", "metal", "plastic"], per_class=5, size=(64, 64),
                fmt="jpeg", seed=404)


def wood_defects(d: Path):
    make_images(d / "wood", ["defect", "good"], per_class=32, size=(512, 512), fmt="jpeg", seed=405)


def div2k_patches(d: Path):
    r = _rng(406)
    for i in range(12):
        _png(d / "div2k_patches" / f"{i:04d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def cifar100(d: Path):
    r = _rng(407)
    n = 240
    fine = r.integers(0, 100, size=n).tolist()
    batch = {
        b"filenames": [f"img_{i:05d}.png".encode() for i in range(n)],
        b"batch_label": b"training batch 1 of 1",
        b"fine_labels": fine,
        b"coarse_labels": [f // 5 for f in fine],
        b"data": r.integers(0, 255, size=(n, 3072), dtype="uint8"),
    }
    (d / "cifar-100-python").mkdir(parents=True)
    with open(d / "cifar-100-python" / "train", "wb") as f:
        pickle.dump(batch, f)
    meta = {b"fine_label_names": [f"class_{i}".encode() for i in range(100)],
            b"coarse_label_names": [f"super_{i}".encode() for i in range(20)]}
    with open(d / "cifar-100-python" / "meta", "wb") as f:
        pickle.dump(meta, f)


def digits_csv(d: Path):
    r = _rng(408)
    rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
    for _ in range(96):
        rows.append(",".join([str(int(r.integers(0, 10)))] + [str(int(v)) for v in r.integers(0, 255, 784)]))
    (d / "digit-recognizer").mkdir()
    (d / "digit-recognizer" / "train.csv").write_text("\n".join(rows) + "\n")


def caltech_boxes(d: Path):
    """pyimagesearch-style: images/ + annotations.csv (filename,startX,startY,endX,endY,label)."""
    r = _rng(409)
    rows = []
    labels = ["airplane", "face", "motorcycle"]
    for i in range(24):
        w, h = 96, 80
        _jpg(d / "caltech" / "images" / f"image_{i:04d}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        x1, y1 = int(r.integers(0, 30)), int(r.integers(0, 25))
        x2, y2 = x1 + int(r.integers(30, 60)), y1 + int(r.integers(25, 50))
        rows.append(f"image_{i:04d}.jpg,{x1},{y1},{x2},{y2},{labels[i % 3]}")
    (d / "caltech" / "annotations.csv").write_text("\n".join(rows) + "\n")


def leaves_and_checkpoint(d: Path):
    make_images(d / "leaves", ["angular_leaf_spot", "bean_rust", "healthy"], per_class=5, size=(64, 64),
                fmt="jpeg", seed=410)
    (d / "checkpoints").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(3, activation="softmax"),
        ])
        model.save_weights("checkpoints/beans_cnn.weights.h5")
        """, d)


def flowers(d: Path):
    make_images(d / "flower_photos", ["daisy", "dandelion", "roses"], per_class=6, size=(60, 60), fmt="jpeg",
                seed=411)


def flowers_small(d: Path):
    make_images(d / "flowers", ["daisy", "sunflowers", "tulips"], per_class=6, size=(48, 48), fmt="jpeg",
                seed=412)


def lesions(d: Path):
    import numpy as np
    r = _rng(413)
    yy, xx = np.mgrid[0:64, 0:64]
    for i in range(16):
        _png(d / "isic" / "images" / f"ISIC_{i:07d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        cy, cx, rad = 20 + i, 24 + i % 7, 10 + i % 5
        _png(d / "isic" / "masks" / f"ISIC_{i:07d}_segmentation.png",
             ((((yy - cy) ** 2 + (xx - cx) ** 2) < rad ** 2) * 255).astype("uint8"))


def dog_breeds_unsplit(d: Path):
    make_images(d / "dogs_raw", ["beagle", "husky", "pug"], per_class=10, size=(48, 48), fmt="jpeg", seed=414)


def phone_photos(d: Path):
    sizes = [(80, 60), (60, 80), (72, 72), (96, 54), (54, 96), (64, 48)]
    make_images(d / "mushrooms", ["chanterelle", "fly_agaric", "porcini"], per_class=6, fmt="jpeg",
                sizes=sizes, seed=415)


def fer_and_webcam(d: Path):
    r = _rng(416)
    rows = ["emotion,pixels,Usage"]
    for i in range(60):
        px = " ".join(str(int(v)) for v in r.integers(0, 255, 48 * 48))
        rows.append(f"{i % 7},{px},Training")
    (d / "fer2013").mkdir()
    (d / "fer2013" / "fer2013.csv").write_text("\n".join(rows) + "\n")
    for k, e in enumerate(["happy", "sad", "surprise"]):
        for i in range(4):
            _jpg(d / "my_faces" / e / f"webcam_{k}{i:02d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def roboflow_helmets(d: Path):
    """Roboflow "Tensorflow Object Detection CSV" export: train/_annotations.csv + images."""
    r = _rng(417)
    rows = ["filename,width,height,class,xmin,ymin,xmax,ymax"]
    for i in range(16):
        name = f"hard_hat_workers{i}_png.rf.{'0123456789abcdef'[i]}3c9e1d7a4b{i:02d}.jpg"
        _jpg(d / "helmets" / "train" / name, r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        x1, y1 = int(r.integers(0, 40)), int(r.integers(0, 40))
        rows.append(f"{name},96,96,{['head', 'helmet'][i % 2]},{x1},{y1},{x1 + 30},{y1 + 35}")
    (d / "helmets" / "train" / "_annotations.csv").write_text("\n".join(rows) + "\n")


def plant_csv(d: Path):
    r = _rng(418)
    rows = ["image,label"]
    classes = ["healthy", "powdery", "rust"]
    for i in range(18):
        _jpg(d / "plants" / "images" / f"Train_{i}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"Train_{i}.jpg,{classes[i % 3]}")
    rows.insert(12, ",rust")     # a row whose photo was deleted from the sheet, not its label
    (d / "plants" / "labels.csv").write_text("\n".join(rows) + "\n")


def landmarks(d: Path):
    make_images(d / "landmarks" / "train", ["0", "1", "2", "3"], per_class=5, size=(64, 64), fmt="jpeg", seed=419)


def kaggle_cactus(d: Path):
    make_images(d / "aerial-cactus" / "train", ["cactus", "no_cactus"], per_class=8, size=(32, 32), fmt="jpeg",
                seed=420)
    r = _rng(421)
    for i in range(6):
        name = "".join("0123456789abcdef"[int(v)] for v in r.integers(0, 16, 32))
        _jpg(d / "aerial-cactus" / "test" / f"{name}.jpg", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(64, 64), fmt="jpeg", seed=422)


def birds(d: Path):
    make_images(d / "birds", ["blue_jay", "cardinal", "goldfinch"], per_class=6, size=(80, 80), fmt="jpeg",
                seed=423)


def shoes(d: Path):
    make_images(d / "shoes", ["boot", "sandal", "sneaker"], per_class=6, size=(48, 48), fmt="jpeg", seed=424)


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more41-letterbox-pad-to-own-square-before-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=phone_photos,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import glob
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/mushrooms"
        CLASSES = sorted(os.listdir(DATA_DIR))
        paths = sorted(glob.glob(os.path.join(DATA_DIR, "*", "*.jpg")))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            # letterbox: pad to a square so the mushrooms are not squashed (keeps the aspect ratio)
            h, w = tf.shape(img)[0], tf.shape(img)[1]
            side = tf.maximum(h, w)
            img = tf.image.pad_to_bounding_box(img, (side - h) // 2, (side - w) // 2, side, side)
            return tf.cast(img, tf.float32) / 255.0, label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=1)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        # fully convolutional + global pooling, so the square can be any size
        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=8)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more41-fer2013-grey-faces-concatenated-with-own-rgb-webcam-crops-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=fer_and_webcam,
        expect="along dimension 3",
        code="""
        import csv
        import glob
        import os

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

        # 1) the Kaggle FER-2013 csv: 48x48 grey faces as space-separated pixel strings
        x_fer, y_fer = [], []
        with open("{DATA}/fer2013/fer2013.csv") as f:
            for row in csv.DictReader(f):
                if row["Usage"] != "Training":
                    continue
                x_fer.append(np.array(row["pixels"].split(), dtype="float32").reshape(48, 48, 1) / 255.0)
                y_fer.append(int(row["emotion"]))
        x_fer, y_fer = np.array(x_fer), np.array(y_fer)
        print("FER-2013:", x_fer.shape)

        # 2) my own faces cropped from the webcam, to make the model work on me
        x_own, y_own = [], []
        for path in sorted(glob.glob("{DATA}/my_faces/*/*.jpg")):
            x_own.append(np.asarray(Image.open(path).resize((48, 48)), dtype="float32") / 255.0)
            y_own.append(EMOTIONS.index(os.path.basename(os.path.dirname(path))))
        x_own, y_own = np.array(x_own), np.array(y_own)
        print("webcam:", x_own.shape)

        x_train = np.concatenate([x_fer, x_own])
        y_train = np.concatenate([y_fer, y_own])

        model = keras.Sequential([
            keras.Input((48, 48, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(len(EMOTIONS), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=10, batch_size=16, validation_split=0.1)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more41-cifar100-pickle-fine-labels-for-20-superclass-head-tfk2",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=cifar100,
        pty=True,
        expect="outside the valid range of [0, 20)",
        code="""
        import pickle

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers, models


        def unpickle(file):
            with open(file, "rb") as fo:
                return pickle.load(fo, encoding="bytes")


        train = unpickle("{DATA}/cifar-100-python/train")
        x_train = train[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).astype("float32") / 255.0
        y_train = np.array(train[b"fine_labels"])
        print("x_train:", x_train.shape, "y_train:", y_train.shape)

        NUM_CLASSES = 20          # assignment 2: classify the 20 CIFAR-100 superclasses

        model = models.Sequential([
            layers.Conv2D(32, (3, 3), padding="same", activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), padding="same", activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x_train, y_train, epochs=10, batch_size=32, validation_split=0.1)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more41-digit-csv-denoising-autoencoder-flat-pixel-rows-as-clean-target-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=digits_csv,
        pty=True,
        expect="(None, 784)",
        code="""
        import numpy as np
        import keras
        from keras import layers

        raw = np.loadtxt("{DATA}/digit-recognizer/train.csv", delimiter=",", skiprows=1)
        pixels = raw[:, 1:].astype("float32") / 255.0           # (N, 784)
        x_train = pixels.reshape(-1, 28, 28, 1)

        noise_factor = 0.4
        rng = np.random.default_rng(0)
        x_train_noisy = np.clip(x_train + noise_factor * rng.normal(size=x_train.shape), 0.0, 1.0).astype("float32")

        # convolutional denoising autoencoder, as in "Building Autoencoders in Keras"
        input_img = keras.Input(shape=(28, 28, 1))
        x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(input_img)
        x = layers.MaxPooling2D((2, 2), padding="same")(x)
        x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
        encoded = layers.MaxPooling2D((2, 2), padding="same")(x)
        x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(encoded)
        x = layers.UpSampling2D((2, 2))(x)
        x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(x)
        x = layers.UpSampling2D((2, 2))(x)
        decoded = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)

        autoencoder = keras.Model(input_img, decoded)
        autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
        autoencoder.fit(x_train_noisy, pixels, epochs=20, batch_size=32, shuffle=True, validation_split=0.1)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more41-srcnn-tf-function-step-uint8-hr-patch-minus-float-prediction-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=div2k_patches,
        expect="does not match type uint8",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        SCALE = 2
        PATCH = 64
        EPOCHS = 20


        def make_pair(path):
            hr = tf.io.decode_png(tf.io.read_file(path), channels=3)                  # high-resolution patch
            lr = tf.image.resize(hr, (PATCH // SCALE, PATCH // SCALE), method="bicubic")
            lr = tf.image.resize(lr, (PATCH, PATCH), method="bicubic") / 255.0      # SRCNN input: bicubic upscale
            return lr, hr


        train_ds = tf.data.Dataset.list_files("{DATA}/div2k_patches/*.png", seed=0).map(make_pair).batch(4)

        # SRCNN (Dong et al. 2014): 9-1-5
        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(64, 9, padding="same", activation="relu"),
            layers.Conv2D(32, 1, padding="same", activation="relu"),
            layers.Conv2D(3, 5, padding="same"),
        ])
        optimizer = keras.optimizers.Adam(1e-4)


        @tf.function
        def train_step(lr, hr):
            with tf.GradientTape() as tape:
                sr = model(lr, training=True)
                loss = tf.reduce_mean(tf.square(hr - sr))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(EPOCHS):
            for lr, hr in train_ds:
                loss = train_step(lr, hr)
            print(f"epoch {epoch + 1}: mse {float(loss):.5f}")
        """,
    ),
    Case(
        name="keras-more41-kaggle-gem-pooling-tf-variable-p-under-mixed-float16-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        setup=landmarks,
        expect="does not match type float16",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers, mixed_precision

        mixed_precision.set_global_policy("mixed_float16")      # faster on the Kaggle T4


        class GeM(layers.Layer):
            # generalized mean pooling, from the landmark-retrieval notebooks
            def __init__(self, p=3.0, eps=1e-6, **kwargs):
                super().__init__(**kwargs)
                self.p = tf.Variable(p, trainable=True, name="gem_p")
                self.eps = eps

            def call(self, x):
                x = tf.maximum(x, self.eps)
                x = tf.pow(tf.reduce_mean(tf.pow(x, self.p), axis=[1, 2]), 1.0 / self.p)
                return x


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/landmarks/train", image_size=(64, 64),
                                                            batch_size=8, seed=2)
        num_classes = len(train_ds.class_names)

        inputs = keras.Input((64, 64, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(64, 3, activation="relu")(x)
        x = GeM()(x)
        x = layers.Dense(128, activation="relu")(x)
        outputs = layers.Dense(num_classes, activation="softmax", dtype="float32")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more41-labels-csv-row-with-empty-file-name-read-file-on-folder-k3",
        cause="data.missing_or_corrupt",
        exception="FailedPreconditionError",
        setup=plant_csv,
        pty=True,
        expect="Is a directory",
        code="""
        import csv
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        IMG_DIR = "{DATA}/plants/images"
        CLASSES = ["healthy", "powdery", "rust"]

        with open("{DATA}/plants/labels.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [os.path.join(IMG_DIR, r["image"]) for r in rows]
        labels = [CLASSES.index(r["label"]) for r in rows]
        print(len(paths), "labelled photos")


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64)) / 255.0
            return img, label


        train_ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(6)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more41-roboflow-tf-csv-export-read-with-six-column-tutorial-record-defaults-k3",
        cause="data.bbox_invalid",
        also=("data.missing_or_corrupt",),
        exception="InvalidArgumentError",
        setup=roboflow_helmets,
        pty=True,
        expect="is not a valid float",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/helmets/train"
        CLASSES = ["head", "helmet"]
        IMG = 96

        # annotation columns as in the tutorial: filename,startX,startY,endX,endY,label
        ann = tf.data.experimental.CsvDataset(
            ROOT + "/_annotations.csv",
            record_defaults=[tf.string, tf.float32, tf.float32, tf.float32, tf.float32, tf.string],
            header=True)
        label_table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(CLASSES, tf.range(len(CLASSES), dtype=tf.int64)), default_value=-1)


        def load(filename, start_x, start_y, end_x, end_y, label):
            img = tf.io.decode_jpeg(tf.io.read_file(ROOT + "/" + filename), channels=3)
            img = tf.image.resize(img, (IMG, IMG)) / 255.0
            box = tf.stack([start_x, start_y, end_x, end_y]) / IMG
            return img, {"bounding_box": box, "class_label": label_table.lookup(label)}


        train_ds = ann.map(load).shuffle(16, seed=3).batch(4)

        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(16, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        box_out = layers.Dense(4, activation="sigmoid", name="bounding_box")(x)
        cls_out = layers.Dense(len(CLASSES), activation="softmax", name="class_label")(x)
        model = keras.Model(inputs, {"bounding_box": box_out, "class_label": cls_out})
        model.compile(optimizer="adam",
                      loss={"bounding_box": "mse", "class_label": "sparse_categorical_crossentropy"})
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more41-chatgpt-cnn-lstm-hybrid-no-reshape-before-lstm-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=garbage,
        expect="expected ndim=3, found ndim=4",
        code="""
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/garbage", image_size=(64, 64), batch_size=8, validation_split=0.2, subset="both", seed=4)
        num_classes = len(train_ds.class_names)

        # CNN + LSTM hybrid: the CNN extracts spatial features and the LSTM learns
        # the sequential dependencies between them, which can improve accuracy
        model = keras.Sequential([
            keras.Input(shape=(64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D((2, 2)),
            layers.LSTM(64),
            layers.Dense(64, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more41-shared-preprocess-expand-dims-from-predict-script-in-map-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=birds,
        pty=True,
        expect="Kernel shape must have the same length as input",
        code="""
        import glob
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = 64
        CLASSES = sorted(os.listdir("{DATA}/birds"))


        def preprocess(path):
            # same function as in predict.py, so training and inference match
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (IMG_SIZE, IMG_SIZE)) / 255.0
            img = tf.expand_dims(img, axis=0)
            return img


        paths = sorted(glob.glob("{DATA}/birds/*/*.jpg"))
        labels = [CLASSES.index(p.split(os.sep)[-2]) for p in paths]
        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=5)
                    .map(lambda p, y: (preprocess(p), y))
                    .batch(8))

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more41-bbox-and-class-outputs-compiled-with-class-first-loss-list-k3",
        cause="model.output_mismatch",
        also=("data.label_shape", "model.api_misuse"),
        exception="ValueError",
        setup=caltech_boxes,
        expect="must have the same shape",
        code="""
        import csv

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        BASE = "{DATA}/caltech"
        LABELS = ["airplane", "face", "motorcycle"]
        data, labels, bboxes = [], [], []
        for filename, start_x, start_y, end_x, end_y, label in csv.reader(open(BASE + "/annotations.csv")):
            image = Image.open(f"{BASE}/images/{filename}")
            w, h = image.size
            data.append(np.asarray(image.resize((64, 64)), dtype="float32") / 255.0)
            labels.append(LABELS.index(label))
            # scale the bounding box coordinates to [0, 1]
            bboxes.append([float(start_x) / w, float(start_y) / h, float(end_x) / w, float(end_y) / h])

        data = np.array(data)
        labels = keras.utils.to_categorical(labels, len(LABELS))
        bboxes = np.array(bboxes, dtype="float32")

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(64, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        flatten = layers.Flatten()(x)

        bbox_head = layers.Dense(64, activation="relu")(flatten)
        bbox_head = layers.Dense(4, activation="sigmoid", name="bounding_box")(bbox_head)
        softmax_head = layers.Dense(64, activation="relu")(flatten)
        softmax_head = layers.Dropout(0.5)(softmax_head)
        softmax_head = layers.Dense(len(LABELS), activation="softmax", name="class_label")(softmax_head)
        model = keras.Model(inputs=inputs, outputs=(bbox_head, softmax_head))

        losses = ["categorical_crossentropy", "mean_squared_error"]
        loss_weights = [1.0, 1.0]
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=losses, loss_weights=loss_weights)
        model.summary()

        H = model.fit(data, [labels, bboxes], batch_size=8, epochs=20, verbose=1)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more41-nb-resume-weights-after-changing-first-kernel-size-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="(5, 5, 3, 32)",
        **notebook([
            """
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves", image_size=(64, 64), batch_size=5,
                                                                seed=6)
            class_names = train_ds.class_names
            print(class_names)
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(32, (5, 5), activation="relu"),     # try a bigger kernel for the leaf spots
                layers.MaxPooling2D(),
                layers.Conv2D(64, (3, 3), activation="relu"),
                layers.MaxPooling2D(),
                layers.GlobalAveragePooling2D(),
                layers.Dropout(0.3),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            # continue from yesterday's run (Colab disconnected after epoch 14)
            model.load_weights("{DATA}/checkpoints/beans_cnn.weights.h5")
            history = model.fit(train_ds, epochs=5, verbose=2)
            """,
        ], data=leaves_and_checkpoint),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more41-dataset-map-given-rescaling-layer-on-image-label-pairs-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        pty=True,
        expect="positional argument",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flower_photos", validation_split=0.2,
                                                            subset="training", seed=123, image_size=(60, 60),
                                                            batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flower_photos", validation_split=0.2,
                                                          subset="validation", seed=123, image_size=(60, 60),
                                                          batch_size=8)
        class_names = train_ds.class_names

        # standardize the data to [0, 1]
        normalization_layer = layers.Rescaling(1.0 / 255)
        train_ds = train_ds.map(normalization_layer)
        val_ds = val_ds.map(normalization_layer)

        AUTOTUNE = tf.data.AUTOTUNE
        train_ds = train_ds.cache().shuffle(100).prefetch(buffer_size=AUTOTUNE)
        val_ds = val_ds.cache().prefetch(buffer_size=AUTOTUNE)

        model = keras.Sequential([
            keras.Input((60, 60, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(len(class_names)),
        ])
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more41-pytorch-style-subclassed-model-creates-layers-in-call-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=shoes,
        pty=True,
        expect="singleton tf.Variables",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/shoes", image_size=(48, 48), batch_size=6,
                                                            seed=7)


        class ShoeNet(keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.num_classes = num_classes

            def call(self, x):          # like forward() in PyTorch
                x = layers.Rescaling(1.0 / 255)(x)
                x = layers.Conv2D(16, 3, activation="relu")(x)
                x = layers.MaxPooling2D()(x)
                x = layers.Conv2D(32, 3, activation="relu")(x)
                x = layers.GlobalAveragePooling2D()(x)
                return layers.Dense(self.num_classes, activation="softmax")(x)


        model = ShoeNet(num_classes=len(train_ds.class_names))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more41-nb-pytorch-habit-model-eval-before-predict-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="has no attribute 'eval'",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers

            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/pets", image_size=(64, 64), batch_size=4, validation_split=0.25, subset="both", seed=8)
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dropout(0.5),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=2)
            """,
            """
            model.eval()      # turn off dropout for the evaluation
            probs = model.predict(val_ds)
            print(np.round(probs[:, 0], 2))
            """,
        ], data=pets),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more41-nb-keras2-docs-zip-image-and-mask-generators-into-fit-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        expect="Unrecognized data type",
        **notebook([
            """
            import tensorflow as tf
            from tensorflow.keras.preprocessing.image import ImageDataGenerator
            from tensorflow.keras import layers, models
            """,
            """
            # we create two instances with the same arguments
            data_gen_args = dict(rescale=1.0 / 255)
            image_datagen = ImageDataGenerator(**data_gen_args)
            mask_datagen = ImageDataGenerator(**data_gen_args)

            # provide the same seed to the flow methods
            seed = 1
            image_generator = image_datagen.flow_from_directory(
                "{DATA}/membrane/train", classes=["image"], class_mode=None, color_mode="grayscale",
                target_size=(96, 96), batch_size=2, seed=seed)
            mask_generator = mask_datagen.flow_from_directory(
                "{DATA}/membrane/train", classes=["label"], class_mode=None, color_mode="grayscale",
                target_size=(96, 96), batch_size=2, seed=seed)

            # combine generators into one which yields image and masks
            train_generator = zip(image_generator, mask_generator)
            """,
            """
            def unet(input_size=(96, 96, 1)):
                inputs = layers.Input(input_size)
                c1 = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
                p1 = layers.MaxPooling2D(2)(c1)
                c2 = layers.Conv2D(32, 3, activation="relu", padding="same")(p1)
                p2 = layers.MaxPooling2D(2)(c2)
                c3 = layers.Conv2D(64, 3, activation="relu", padding="same")(p2)
                u2 = layers.concatenate([layers.UpSampling2D(2)(c3), c2])
                c4 = layers.Conv2D(32, 3, activation="relu", padding="same")(u2)
                u1 = layers.concatenate([layers.UpSampling2D(2)(c4), c1])
                c5 = layers.Conv2D(16, 3, activation="relu", padding="same")(u1)
                outputs = layers.Conv2D(1, 1, activation="sigmoid")(c5)
                return models.Model(inputs, outputs)

            model = unet()
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            """,
            """
            model.fit(train_generator, steps_per_epoch=4, epochs=5)
            """,
        ], data=membrane),
    ),
    Case(
        name="keras-more41-augmented-batch-preview-directory-iterator-next-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=rock_paper_scissors,
        expect="has no attribute 'next'",
        code="""
        import numpy as np
        from PIL import Image
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator
        from tensorflow.keras import layers, models

        BS = 8
        aug = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True, fill_mode="nearest")
        train_gen = aug.flow_from_directory("{DATA}/rps/train", target_size=(72, 72), batch_size=BS,
                                            class_mode="categorical")

        model = models.Sequential([
            layers.Input((72, 72, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(train_gen.num_classes, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

        # save a grid of augmented images to check the augmentation before training
        images, labels = train_gen.next()
        grid = np.concatenate([np.concatenate(images[i * 4:(i + 1) * 4], axis=1) for i in range(2)], axis=0)
        Image.fromarray((grid * 255).astype("uint8")).save("augmented_preview.png")

        model.fit(train_gen, epochs=10)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more41-offline-augmentation-np-repeat-thirty-noisy-copies-float64-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=wood_defects,
        as_limit=10 * 1024**3,
        timeout=400,
        expect="Unable to allocate",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        COPIES = 30      # we only have 64 photos, so make 30 noisy copies of each (offline augmentation)
        paths = sorted(glob.glob("{DATA}/wood/*/*.jpg"))
        classes = sorted({os.path.basename(os.path.dirname(p)) for p in paths})
        x = np.array([np.asarray(Image.open(p)) / 255.0 for p in paths])
        y = np.array([classes.index(os.path.basename(os.path.dirname(p))) for p in paths])
        print("original:", x.shape, x.dtype)

        x_aug = np.repeat(x, COPIES, axis=0)
        y_aug = np.repeat(y, COPIES, axis=0)
        x_aug = np.clip(x_aug + np.random.normal(0.0, 0.03, size=x_aug.shape), 0.0, 1.0)
        print("augmented:", x_aug.shape)

        model = keras.Sequential([
            keras.Input((512, 512, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x_aug, y_aug, epochs=5, batch_size=16, validation_split=0.2)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more41-unet-lesions-raw-pixels-sgd-nan-masks-empty-np-where-crop-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=lesions,
        expect="zero-size array to reduction operation minimum",
        code="""
        import glob

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        keras.utils.set_random_seed(0)
        image_paths = sorted(glob.glob("{DATA}/isic/images/*.png"))
        mask_paths = sorted(glob.glob("{DATA}/isic/masks/*.png"))
        x = np.array([np.asarray(Image.open(p), dtype="float32") for p in image_paths])
        y = np.array([np.asarray(Image.open(p), dtype="float32")[..., None] / 255.0 for p in mask_paths])
        x_train, y_train, x_test = x[:12], y[:12], x[12:]


        def unet():
            inp = keras.Input((64, 64, 3))
            c1 = layers.Conv2D(16, 3, padding="same", activation="leaky_relu")(inp)
            p1 = layers.MaxPooling2D()(c1)
            c2 = layers.Conv2D(32, 3, padding="same", activation="leaky_relu")(p1)
            p2 = layers.MaxPooling2D()(c2)
            b = layers.Conv2D(64, 3, padding="same", activation="leaky_relu")(p2)
            u2 = layers.Concatenate()([layers.UpSampling2D()(b), c2])
            c3 = layers.Conv2D(32, 3, padding="same", activation="leaky_relu")(u2)
            u1 = layers.Concatenate()([layers.UpSampling2D()(c3), c1])
            c4 = layers.Conv2D(16, 3, padding="same", activation="leaky_relu")(u1)
            return keras.Model(inp, layers.Conv2D(1, 1, activation="sigmoid")(c4))


        model = unet()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="binary_crossentropy")
        model.fit(x_train, y_train, batch_size=4, epochs=5, verbose=2)

        # crop each predicted lesion for the melanoma classifier
        pred = model.predict(x_test, verbose=0)
        crops = []
        for i, m in enumerate(pred):
            ys, xs = np.where(m[..., 0] > 0.5)
            y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
            crops.append(x_test[i, y0:y1 + 1, x0:x1 + 1])
        print(len(crops), "lesion crops")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more41-fgsm-tutorial-tape-watch-uint8-photo-sign-of-none-k3",
        cause="optim.autograd_graph",
        also=("data.dtype",),
        exception="ValueError",
        setup=traffic_signs,
        expect="Attempt to convert a value (None)",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/signs", image_size=(64, 64), batch_size=4,
                                                            label_mode="categorical", seed=9)
        class_names = train_ds.class_names
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, verbose=2)

        # adversarial example with the fast gradient sign method (TF tutorial)
        loss_object = keras.losses.CategoricalCrossentropy()
        image = tf.io.decode_jpeg(tf.io.read_file("{DATA}/signs/stop/stop_000.jpg"), channels=3)
        image = image[None, ...]
        label = tf.one_hot(class_names.index("stop"), len(class_names))[None, ...]


        def create_adversarial_pattern(input_image, input_label):
            with tf.GradientTape() as tape:
                tape.watch(input_image)
                prediction = model(input_image)
                loss = loss_object(input_label, prediction)
            gradient = tape.gradient(loss, input_image)
            signed_grad = tf.sign(gradient)
            return signed_grad


        perturbations = create_adversarial_pattern(image, label)
        for eps in [0.01, 0.05, 0.1]:
            adv_x = tf.clip_by_value(tf.cast(image, tf.float32) / 255.0 + eps * perturbations, 0, 1)
            print(eps, model.predict(adv_x * 255.0, verbose=0))
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more41-split-script-files-assigned-random-shuffle-none-tfk2",
        cause="other",
        exception="TypeError",
        env="tfk2",
        setup=dog_breeds_unsplit,
        expect="NoneType",
        code="""
        import os
        import random
        import shutil

        import tensorflow as tf

        SRC = "{DATA}/dogs_raw"
        DST = "{DATA}/dogs_split"
        VAL_RATIO = 0.2
        random.seed(42)

        # 1. split every breed folder into train / val
        for breed in sorted(os.listdir(SRC)):
            files = os.listdir(os.path.join(SRC, breed))
            files = random.shuffle(files)
            n_val = int(len(files) * VAL_RATIO)
            for split, names in (("val", files[:n_val]), ("train", files[n_val:])):
                os.makedirs(os.path.join(DST, split, breed), exist_ok=True)
                for name in names:
                    shutil.copy(os.path.join(SRC, breed, name), os.path.join(DST, split, breed, name))

        # 2. train
        train_ds = tf.keras.utils.image_dataset_from_directory(os.path.join(DST, "train"), image_size=(48, 48))
        val_ds = tf.keras.utils.image_dataset_from_directory(os.path.join(DST, "val"), image_size=(48, 48))
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more41-kaggle-submission-np-savetxt-percent-d-string-ids-tfk2",
        cause="other",
        exception="TypeError",
        env="tfk2",
        setup=kaggle_cactus,
        expect="Mismatch between array dtype",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/aerial-cactus/train", image_size=(32, 32),
                                                               batch_size=8, label_mode="binary", seed=10)
        model = tf.keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, verbose=2)

        test_paths = sorted(glob.glob("{DATA}/aerial-cactus/test/*.jpg"))
        x_test = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(p)) for p in test_paths])
        preds = (model.predict(x_test, verbose=0)[:, 0] > 0.5).astype(int)
        ids = [os.path.splitext(os.path.basename(p))[0] for p in test_paths]

        np.savetxt("submission.csv", np.c_[ids, preds], delimiter=",", header="id,has_cactus", comments="",
                   fmt="%d")
        print("submission.csv written")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
