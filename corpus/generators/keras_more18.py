"""An eighteenth set of real Keras / TensorFlow failures from beginners training
image classifiers and small segmentation models in scripts, notebooks and Kaggle
kernels, mostly on TF 2.21 / Keras 3 (with some on TF 2.15, TF 2.12 and
tf_keras), all reproducible on CPU.

Code paths keras_more.py ... keras_more17.py leave out: odd folder layouts for
``image_dataset_from_directory`` (a zip unpacked with its ``__MACOSX`` AppleDouble
folder, a Kaggle archive that nests ``train/train/<class>``, an unlabelled flat
test folder read with inferred labels, class names given for an unlabelled test
folder, masks exported as TIFF, images and masks both read with inferred labels
and zipped); ``ImageDataGenerator`` slips on Keras 2 (``save_to_dir`` a preview
folder that was never made, sample weights computed before the split); label
encodings (CSV labels left as strings, ``tf.one_hot`` of float labels from
``np.loadtxt``, ``to_categorical`` of a blank CSV label read as NaN, one-hot
labels cached as uint8 in a hand-written focal loss); class / sample weights
(``class_weight="balanced"`` as in scikit-learn, sample weights for the whole CSV
given with the training split); metrics for classifiers and masks (``F1Score``
on 1-D binary labels, ``Recall(class_id=1)`` on a one-unit head, a multi-label
``AUC`` whose ``num_labels`` was not updated, ``IoU`` without
``target_class_ids``, ``MeanIoU`` passed as a class, ``BinaryIoU`` on a two-channel
softmax mask head, ``keras.losses.Dice`` on TF 2.15 and ``F1Score`` on TF 2.12);
callbacks (``EarlyStopping`` on a custom Dice metric with ``mode="auto"``,
``ReduceLROnPlateau(factor=2)``, a TPU notebook's ``ModelCheckpoint(options=...)``,
a ``.hdf5`` checkpoint path, the TensorBoard callback on TF 2.21 where tensorboard
is no longer installed with TensorFlow, ``%tensorboard`` without ``%load_ext``);
transfer learning (unfreezing ``model.layers[0]``, which is the InputLayer, a
DenseNet with ``include_top=True`` and a free input size); saving and loading (a
focal loss class whose ``__init__`` takes no ``**kwargs``, a TF 2.15 ``.keras``
file opened with Keras 3); predictions (a Python list of class names indexed with
an array of class ids, ``tf.math.confusion_matrix`` given probabilities, a model
called on a whole ``tf.data`` dataset, an optimizer reused after the model cell
was re-run); a U-Net with one up-sampling too many.

flow_from_dataframe and scikit-learn helpers are left out: the TF environments
have neither pandas nor scikit-learn.

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more18.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, rgb, rng, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(48, 48), fmt="jpeg")


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "rose", "tulip"], per_class=6, size=(48, 48))


def defects(d: Path):
    """Steel surface photos, very imbalanced: 10 ok, 3 scratch, 2 dent."""
    for i, (cls, n) in enumerate((("ok", 10), ("scratch", 3), ("dent", 2))):
        make_images(d / "defects", [cls], per_class=n, size=(64, 64), seed=i)


def chest_xray(d: Path):
    make_images(d / "chest_xray" / "train", ["NORMAL", "PNEUMONIA"], per_class=8, size=(64, 64),
                fmt="jpeg")


def leaves_csv(d: Path, blank_row=None):
    """leaves/images/leaf_NNN.png + leaves/labels.csv (image,label with ids 0..2)."""
    g = rng(5)
    rows = ["image,label"]
    for i in range(18):
        name = f"leaf_{i:03d}.png"
        save_png(d / "leaves" / "images" / name, rgb(56, 56, seed=i))
        label = "" if i == blank_row else str(int(g.integers(0, 3)))
        rows.append(f"{name},{label}")
    (d / "leaves" / "labels.csv").write_text("\n".join(rows) + "\n")


def leaves_blank(d: Path):
    leaves_csv(d, blank_row=11)


def planet_tags(d: Path):
    """Satellite tiles with space-separated tags (multi-label), four tags in use."""
    g = rng(9)
    tags = ["clear", "cloudy", "water", "road"]
    rows = ["image_name,tags"]
    for i in range(16):
        name = f"tile_{i:03d}.png"
        save_png(d / "planet" / "train" / name, rgb(48, 48, seed=40 + i))
        picked = [t for t in tags if g.random() < 0.4] or ["clear"]
        rows.append(f"{name},{' '.join(picked)}")
    (d / "planet" / "train_tags.csv").write_text("\n".join(rows) + "\n")


def seg_pairs(d: Path, mask_ext="png", nested=False):
    """seg/images + seg/masks (binary masks, 0/1) with the same file stems."""
    g = rng(2)
    sub = "img" if nested else ""
    for i in range(10):
        img = d / "seg" / "images" / sub / f"cell_{i:03d}.png"
        save_png(img, rgb(64, 64, seed=100 + i))
        mask = (g.random((64, 64)) > 0.7).astype("uint8")
        save_png(d / "seg" / "masks" / sub / f"cell_{i:03d}.{mask_ext}", mask, mode="L")


def seg_nested(d: Path):
    """images/img and masks/img: the one-subfolder trick for image_dataset_from_directory."""
    seg_pairs(d, nested=True)


def seg_tif(d: Path):
    seg_pairs(d, mask_ext="tif")


def macosx_zip(d: Path):
    """A dataset zipped on a Mac and unzipped on Linux: __MACOSX holds AppleDouble files."""
    make_images(d / "train", ["cats", "dogs"], per_class=6, size=(48, 48), fmt="jpeg")
    for cls in ("cats", "dogs"):
        folder = d / "train" / "__MACOSX" / cls
        folder.mkdir(parents=True)
        for i in range(6):
            head = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\x09"
            (folder / f"._{cls}_{i:03d}.jpg").write_bytes(head + bytes(rng(i).integers(0, 255, 200, dtype="uint8")))


def nested_kaggle(d: Path):
    """dogs-vs-cats style archive extracted into train/: train/train/<class>."""
    make_images(d / "train" / "train", ["cats", "dogs"], per_class=6, size=(48, 48), fmt="jpeg")


def kaggle_test_flat(d: Path):
    """train/<class>/ and an unlabelled test/ folder of images."""
    make_images(d / "fruits" / "train", ["apple", "banana", "orange"], per_class=5, size=(48, 48),
                fmt="jpeg")
    for i in range(6):
        save_png(d / "fruits" / "test" / f"{i:04d}.png", rgb(48, 48, seed=200 + i))


def keras215_cnn(d: Path):
    """A model trained and saved as .keras by TF 2.15 (a Kaggle kernel's output)."""
    py = _tfrecord.env_python("tf215")
    out = d / "kaggle_output"
    out.mkdir()
    script = (
        "import numpy as np, tensorflow as tf\n"
        "m = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation='relu', input_shape=(64, 64, 3)),\n"
        "    tf.keras.layers.MaxPooling2D(), tf.keras.layers.GlobalAveragePooling2D(),\n"
        "    tf.keras.layers.Dense(1, activation='sigmoid')])\n"
        "m.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])\n"
        "m.fit(np.random.rand(16, 64, 64, 3), np.random.randint(0, 2, 16), epochs=1, verbose=0)\n"
        f"m.save({str(out / 'pneumonia_cnn.keras')!r})\n"
    )
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_USE_LEGACY_KERAS", None)
    subprocess.run([str(py), "-c", script], check=True, capture_output=True, env=env)


# ---------------------------------------------------------------- shared code snippets
def cnn(size, classes, act="softmax", ind=8):
    return textwrap.indent(f"""
model = keras.Sequential([
    keras.Input(({size}, {size}, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense({classes}, activation="{act}"),
])
""", " " * ind)


LOAD_SEG = textwrap.indent("""
import glob
import numpy as np
from PIL import Image

image_files = sorted(glob.glob("{DATA}/seg/images/*.png"))
mask_files = sorted(glob.glob("{DATA}/seg/masks/*.png"))
x = np.stack([np.asarray(Image.open(f).convert("RGB"), "float32") / 255.0 for f in image_files])
y = np.stack([np.asarray(Image.open(f), "float32") for f in mask_files])[..., None]
print(x.shape, y.shape)
""", " " * 8)


def tiny_unet(out_ch, act):
    return textwrap.indent(f"""
def tiny_unet(size=64):
    inputs = keras.Input((size, size, 3))
    c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    p1 = layers.MaxPooling2D()(c1)
    c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
    p2 = layers.MaxPooling2D()(c2)
    b = layers.Conv2D(64, 3, padding="same", activation="relu")(p2)
    u2 = layers.Conv2DTranspose(32, 2, strides=2, padding="same")(b)
    u2 = layers.Conv2D(32, 3, padding="same", activation="relu")(layers.concatenate([u2, c2]))
    u1 = layers.Conv2DTranspose(16, 2, strides=2, padding="same")(u2)
    u1 = layers.Conv2D(16, 3, padding="same", activation="relu")(layers.concatenate([u1, c1]))
    outputs = layers.Conv2D({out_ch}, 1, activation="{act}")(u1)
    return keras.Model(inputs, outputs, name="unet")
""", " " * 8)


CASES = [
    # ============================================================ odd folders
    Case(
        name="keras-more18-dir-macosx-appledouble-files-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=macosx_zip,
        expect="Unknown image file format",
        code="""
        import keras
        from keras import layers

        # !unzip -q cats_and_dogs.zip -d data/   (zipped on a MacBook)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", image_size=(48, 48), batch_size=8, seed=42)
        class_names = train_ds.class_names
        print("classes:", class_names)
        num_classes = len(class_names)
        """ + cnn(48, "num_classes") + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more18-dir-kaggle-train-train-nested-binary-tf215",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tf215",
        setup=nested_kaggle,
        expect="there must be exactly 2 class_names",
        code="""
        import tensorflow as tf

        # !kaggle competitions download -c dogs-vs-cats && unzip train.zip -d train
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/train",
            label_mode="binary",
            image_size=(48, 48),
            batch_size=8,
            validation_split=0.2,
            subset="training",
            seed=123,
        )
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more18-dir-unlabelled-test-folder-inferred-labels-tf215",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        setup=kaggle_test_flat,
        expect="No images found in directory",
        code="""
        import numpy as np
        import tensorflow as tf

        IMG = (48, 48)
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/fruits/train", image_size=IMG, batch_size=8)
        class_names = train_ds.class_names
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=IMG + (3,)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        # submission: predict the test images
        test_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/fruits/test", image_size=IMG,
                                                              batch_size=8, shuffle=False)
        preds = model.predict(test_ds)
        print([class_names[i] for i in preds.argmax(axis=1)])
        """,
    ),
    Case(
        name="keras-more18-dir-test-folder-labels-none-with-class-names-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=kaggle_test_flat,
        expect="`class_names` cannot be specified",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/fruits/train", image_size=(48, 48), batch_size=8)
        class_names = train_ds.class_names
        """ + cnn(48, "len(class_names)") + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        # the test folder has no class subfolders: no labels, but keep the class order of training
        test_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/fruits/test", labels=None, class_names=class_names,
            image_size=(48, 48), batch_size=8, shuffle=False)
        preds = model.predict(test_ds)
        print([class_names[i] for i in preds.argmax(axis=1)])
        """,
    ),
    Case(
        name="keras-more18-seg-masks-exported-as-tif-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=seg_tif,
        expect="No images found in directory",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        images = keras.utils.image_dataset_from_directory(
            "{DATA}/seg/images", labels=None, image_size=(64, 64), batch_size=4, shuffle=False)
        masks = keras.utils.image_dataset_from_directory(
            "{DATA}/seg/masks", labels=None, color_mode="grayscale", image_size=(64, 64),
            batch_size=4, shuffle=False, interpolation="nearest")
        train_ds = tf.data.Dataset.zip((images.map(lambda x: x / 255.0), masks))

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more18-seg-zip-image-and-mask-datasets-with-labels-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=seg_nested,
        expect="but it received 2 input tensors",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        # images/img/*.png and masks/img/*.png: one subfolder each so that the loader finds them
        images = keras.utils.image_dataset_from_directory(
            "{DATA}/seg/images", image_size=(64, 64), batch_size=4, shuffle=False)
        masks = keras.utils.image_dataset_from_directory(
            "{DATA}/seg/masks", color_mode="grayscale", image_size=(64, 64), batch_size=4,
            shuffle=False, interpolation="nearest")
        train_ds = tf.data.Dataset.zip((images, masks))

        inputs = keras.Input((64, 64, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(2, 1, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ ImageDataGenerator (Keras 2)
    Case(
        name="keras-more18-datagen-save-to-dir-preview-folder-missing-tf212",
        cause="other",
        exception="FileNotFoundError",
        env="tf212",
        setup=pets,
        expect="No such file or directory",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
        # write the augmented images out to check the augmentation
        train_gen = datagen.flow_from_directory(
            "{DATA}/pets", target_size=(48, 48), batch_size=4, class_mode="binary",
            save_to_dir="augmented_preview", save_prefix="aug", save_format="png")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more18-datagen-flow-sample-weights-before-split-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        setup=leaves_csv,
        expect="should have the same length",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        with open("{DATA}/leaves/labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open("{DATA}/leaves/images/" + r["image"]).convert("RGB"), "float32")
                      for r in rows]) / 255.0
        y = np.array([int(r["label"]) for r in rows])

        # weight every image by the inverse frequency of its class
        counts = np.bincount(y, minlength=3)
        weights = (len(y) / (3 * counts))[y]

        split = int(0.8 * len(x))
        x_train, y_train, x_val, y_val = x[:split], y[:split], x[split:], y[split:]

        datagen = ImageDataGenerator(rotation_range=0, horizontal_flip=True, vertical_flip=True)
        train_gen = datagen.flow(x_train, y_train, sample_weight=weights, batch_size=4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(56, 56, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, validation_data=(x_val, y_val), epochs=3)
        """,
    ),
    # ============================================================ label encodings
    Case(
        name="keras-more18-csv-labels-left-as-strings-fit-k3",
        cause="data.dtype",
        exception="ValueError",
        setup=leaves_csv,
        expect="Invalid dtype",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        with open("{DATA}/leaves/labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open("{DATA}/leaves/images/" + r["image"]).convert("RGB"))
                      for r in rows]).astype("float32")
        y = np.array([r["label"] for r in rows])
        print(x.shape, y[:5])
        """ + cnn(56, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=6, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more18-tf-one-hot-loadtxt-float-labels-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=leaves_csv,
        expect="has DataType float64 not in list of allowed values",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        names = np.loadtxt("{DATA}/leaves/labels.csv", delimiter=",", skiprows=1, usecols=0, dtype=str)
        labels = np.loadtxt("{DATA}/leaves/labels.csv", delimiter=",", skiprows=1, usecols=1)
        paths = ["{DATA}/leaves/images/" + n for n in names]

        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (56, 56)) / 255.0
            return img, tf.one_hot(label, NUM_CLASSES)

        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(32, seed=0).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(6))
        model = keras.Sequential([
            keras.Input((56, 56, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more18-to-categorical-blank-csv-label-nan-k3",
        cause="data.missing_or_corrupt",
        exception="IndexError",
        setup=leaves_blank,
        expect="out of bounds for axis 1",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        csv_path = "{DATA}/leaves/labels.csv"
        names = np.genfromtxt(csv_path, delimiter=",", skip_header=1, usecols=0, dtype=str)
        labels = np.genfromtxt(csv_path, delimiter=",", skip_header=1, usecols=1)
        x = np.stack([np.asarray(Image.open("{DATA}/leaves/images/" + n).convert("RGB")) for n in names])
        y = keras.utils.to_categorical(labels, num_classes=3)
        """ + cnn(56, 3) + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=6)
        """,
    ),
    Case(
        name="keras-more18-focal-loss-uint8-one-hot-cache-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=leaves_csv,
        expect="Expected uint8",
        code="""
        import csv
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CACHE = "leaves_cache.npz"
        if not os.path.exists(CACHE):
            with open("{DATA}/leaves/labels.csv") as f:
                rows = list(csv.DictReader(f))
            x = np.stack([np.asarray(Image.open("{DATA}/leaves/images/" + r["image"]).convert("RGB"))
                          for r in rows])
            y = np.eye(3, dtype=np.uint8)[[int(r["label"]) for r in rows]]   # small on disk
            np.savez_compressed(CACHE, x=x, y=y)
        data = np.load(CACHE)
        x, y = data["x"].astype("float32") / 255.0, data["y"]


        def focal_loss(gamma=2.0, alpha=0.25):
            def loss(y_true, y_pred):
                y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                weight = -alpha * y_true * tf.pow(1.0 - y_pred, gamma)
                return tf.reduce_sum(weight * tf.math.log(y_pred), axis=-1)
            return loss


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(56, 56, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=focal_loss(), metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=6)
        """,
    ),
    # ============================================================ class / sample weights
    Case(
        name="keras-more18-class-weight-balanced-string-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=defects,
        expect="'str' object has no attribute 'keys'",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(64, 64), batch_size=5, seed=1)
        class_names = train_ds.class_names
        print(class_names)
        """ + cnn(64, "len(class_names)") + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        # 10 ok / 3 scratch / 2 dent: let the loss balance the classes
        model.fit(train_ds, epochs=3, class_weight="balanced")
        """,
    ),
    Case(
        name="keras-more18-sample-weight-whole-csv-with-train-split-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=leaves_csv,
        expect="Data cardinality is ambiguous",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        with open("{DATA}/leaves/labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open("{DATA}/leaves/images/" + r["image"]).convert("RGB"))
                      for r in rows]).astype("float32")
        y = np.array([int(r["label"]) for r in rows])
        sample_weight = (len(y) / (3 * np.bincount(y, minlength=3)))[y]

        idx = np.random.default_rng(0).permutation(len(x))
        train_idx, val_idx = idx[:14], idx[14:]
        """ + cnn(56, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x[train_idx], y[train_idx], sample_weight=sample_weight,
                  validation_data=(x[val_idx], y[val_idx]), epochs=3, batch_size=4)
        """,
    ),
    # ============================================================ metrics
    Case(
        name="keras-more18-f1score-binary-head-int-labels-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=chest_xray,
        expect="FBetaScore expects 2D inputs",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/chest_xray/train", image_size=(64, 64), batch_size=4, seed=7)
        """ + cnn(64, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=["accuracy", keras.metrics.F1Score(threshold=0.5, name="f1")])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more18-recall-class-id-on-one-unit-head-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=chest_xray,
        expect="out of bounds",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/chest_xray/train", label_mode="binary", image_size=(64, 64), batch_size=4, seed=7)
        print(train_ds.class_names)   # ['NORMAL', 'PNEUMONIA']
        """ + cnn(64, 1, "sigmoid") + """
        model.compile(
            optimizer="adam", loss="binary_crossentropy",
            metrics=["accuracy",
                     keras.metrics.Recall(class_id=1, name="recall_pneumonia"),
                     keras.metrics.Precision(class_id=1, name="precision_pneumonia")])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more18-multilabel-auc-num-labels-stale-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=planet_tags,
        expect="Dimensions must be equal",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        TAGS = ["clear", "cloudy", "water", "road"]
        with open("{DATA}/planet/train_tags.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open("{DATA}/planet/train/" + r["image_name"]).convert("RGB"))
                      for r in rows]).astype("float32") / 255.0
        y = np.array([[t in r["tags"].split() for t in TAGS] for r in rows], "float32")

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TAGS), activation="sigmoid"),
        ])
        # the first version of the notebook used five tags ("haze" has been dropped since)
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(multi_label=True, num_labels=5, name="auc")])
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    Case(
        name="keras-more18-seg-iou-metric-without-target-class-ids-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=seg_pairs,
        expect="target_class_ids",
        code="""
        import keras
        from keras import layers
        """ + LOAD_SEG + tiny_unet(2, "softmax") + """
        model = tiny_unet()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.IoU(num_classes=2)])
        model.fit(x, y, epochs=3, batch_size=2, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more18-seg-meaniou-passed-as-class-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=seg_pairs,
        expect="missing 1 required positional argument: 'num_classes'",
        code="""
        import keras
        from keras import layers
        """ + LOAD_SEG + tiny_unet(2, "softmax") + """
        model = tiny_unet()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.MeanIoU])
        model.fit(x, y, epochs=3, batch_size=2)
        """,
    ),
    Case(
        name="keras-more18-seg-binary-iou-two-channel-softmax-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=seg_pairs,
        expect="Dimensions must be equal",
        code="""
        import keras
        from keras import layers
        """ + LOAD_SEG + tiny_unet(2, "softmax") + """
        model = tiny_unet()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=[keras.metrics.BinaryIoU(target_class_ids=[1], threshold=0.5, name="iou")])
        model.fit(x, y, epochs=3, batch_size=2)
        """,
    ),
    Case(
        name="keras-more18-seg-keras-losses-dice-on-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        setup=seg_pairs,
        expect="has no attribute 'Dice'",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        """ + LOAD_SEG + tiny_unet(1, "sigmoid") + """
        model = tiny_unet()
        # keras.io segmentation example (Keras 3): built-in Dice loss
        model.compile(optimizer="adam", loss=keras.losses.Dice(), metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=2)
        """,
    ),
    Case(
        name="keras-more18-f1score-metric-on-tf212",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf212",
        setup=chest_xray,
        expect="has no attribute 'F1Score'",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/chest_xray/train", label_mode="categorical", image_size=(64, 64), batch_size=4)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy",
                      metrics=["accuracy", tf.keras.metrics.F1Score(average="macro")])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ callbacks
    Case(
        name="keras-more18-early-stopping-dice-metric-mode-auto-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=seg_pairs,
        expect="isn't able to automatically determine",
        code="""
        import keras
        from keras import layers, ops
        """ + LOAD_SEG + tiny_unet(1, "sigmoid") + """

        def dice_coef(y_true, y_pred, smooth=1.0):
            inter = ops.sum(y_true * y_pred)
            return (2.0 * inter + smooth) / (ops.sum(y_true) + ops.sum(y_pred) + smooth)

        model = tiny_unet()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[dice_coef])
        callbacks = [
            keras.callbacks.EarlyStopping(monitor="val_dice_coef", patience=5, restore_best_weights=True),
        ]
        model.fit(x, y, validation_split=0.2, epochs=20, batch_size=2, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more18-reduce-lr-on-plateau-factor-two-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="does not support a factor >= 1.0",
        code="""
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, validation_split=0.3,
            subset="both", seed=3)
        """ + cnn(48, 3) + """
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        callbacks = [
            keras.callbacks.EarlyStopping(monitor="val_loss", patience=6),
            keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=2, patience=2, min_lr=1e-6),  # halve the lr
        ]
        model.fit(train_ds, validation_data=val_ds, epochs=20, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more18-checkpoint-tpu-notebook-options-io-device-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=flowers,
        expect="unexpected keyword argument 'options'",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        try:
            tpu = tf.distribute.cluster_resolver.TPUClusterResolver()
            tf.config.experimental_connect_to_cluster(tpu)
            tf.tpu.experimental.initialize_tpu_system(tpu)
            strategy = tf.distribute.TPUStrategy(tpu)
        except ValueError:
            strategy = tf.distribute.get_strategy()
        print("replicas:", strategy.num_replicas_in_sync)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        with strategy.scope():
        """ + cnn(48, 3, ind=12) + """
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        # on a TPU the checkpoint has to be written from the notebook host
        save_locally = tf.train.CheckpointOptions(experimental_io_device="/job:localhost")
        checkpoint = keras.callbacks.ModelCheckpoint("best_model.keras", monitor="loss", save_best_only=True,
                                                     options=save_locally)
        model.fit(train_ds, epochs=3, callbacks=[checkpoint])
        """,
    ),
    Case(
        name="keras-more18-checkpoint-hdf5-extension-k3",
        cause="env.version_incompat",
        exception="ValueError",
        setup=flowers,
        expect="must end in `.keras`",
        code="""
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, validation_split=0.3,
            subset="both", seed=3)
        """ + cnn(48, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        checkpoint = keras.callbacks.ModelCheckpoint("best_model.hdf5", monitor="val_accuracy",
                                                     save_best_only=True, mode="max", verbose=1)
        model.fit(train_ds, validation_data=val_ds, epochs=5, callbacks=[checkpoint])
        """,
    ),
    Case(
        name="keras-more18-tensorboard-callback-tf221-without-tensorboard-k3",
        cause="env.version_incompat",
        exception="TBNotInstalledError",
        setup=flowers,
        expect="TensorBoard is not installed",
        code="""
        import datetime
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, validation_split=0.3,
            subset="both", seed=3)
        """ + cnn(48, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        log_dir = "logs/fit/" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        tensorboard_cb = keras.callbacks.TensorBoard(log_dir=log_dir, histogram_freq=1)
        model.fit(train_ds, validation_data=val_ds, epochs=5, callbacks=[tensorboard_cb])
        """,
    ),
    Case(
        name="keras-more18-tensorboard-callback-legacy-keras-tf221-tfk2",
        cause="env.version_incompat",
        exception="TBNotInstalledError",
        env="tfk2",
        setup=pets,
        expect="TensorBoard is not installed",
        code="""
        import numpy as np
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/pets", label_mode="binary", image_size=(48, 48), batch_size=4)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        tb = tf.keras.callbacks.TensorBoard(log_dir="./logs", write_graph=True, update_freq="epoch")
        model.fit(train_ds, epochs=3, callbacks=[tb])
        """,
    ),
    Case(
        name="keras-more18-nb-tensorboard-magic-without-load-ext-k3",
        cause="model.api_misuse",
        exception="UsageError",
        expect="Line magic function `%tensorboard` not found",
        **notebook([
            """
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)
            """ + cnn(48, 2, ind=12) + """
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=2, verbose=2,
                                callbacks=[keras.callbacks.CSVLogger("training_log.csv")])
            """,
            """
            %tensorboard --logdir logs/fit
            """,
        ], data=pets),
    ),
    Case(
        name="keras-more18-nb-load-ext-tensorboard-tf221-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        expect="No module named 'tensorboard'",
        **notebook([
            """
            %load_ext tensorboard
            """,
            """
            import datetime
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)
            """ + cnn(48, 2, ind=12) + """
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            log_dir = "logs/fit/" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            model.fit(train_ds, epochs=2, callbacks=[keras.callbacks.TensorBoard(log_dir=log_dir)])
            """,
        ], data=pets),
    ),
    # ============================================================ transfer learning
    Case(
        name="keras-more18-transfer-unfreeze-model-layers0-inputlayer-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=flowers,
        expect="'InputLayer' object has no attribute 'layers'",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=6)
        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
        base.trainable = False

        inputs = keras.Input((64, 64, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(3, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1)

        # fine-tune: unfreeze the top of the backbone
        model.layers[0].trainable = True
        for layer in model.layers[0].layers[:-20]:
            layer.trainable = False
        model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more18-transfer-densenet-include-top-free-input-size-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=flowers,
        expect="you should specify a static `input_shape`",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=6)
        # photos come in all sizes: let the network take any size, with its own classifier for 3 classes
        model = keras.applications.DenseNet121(weights=None, include_top=True, classes=3,
                                               input_shape=(None, None, 3))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ saving / loading
    Case(
        name="keras-more18-load-focal-loss-class-init-no-kwargs-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        expect="unexpected keyword argument 'name'",
        code="""
        import keras
        from keras import layers, ops


        @keras.saving.register_keras_serializable()
        class CategoricalFocalLoss(keras.losses.Loss):
            def __init__(self, gamma=2.0, alpha=0.25):
                super().__init__()
                self.gamma, self.alpha = gamma, alpha

            def call(self, y_true, y_pred):
                y_pred = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
                return ops.sum(-self.alpha * y_true * (1.0 - y_pred) ** self.gamma * ops.log(y_pred), axis=-1)


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, label_mode="categorical")
        """ + cnn(48, 3) + """
        model.compile(optimizer="adam", loss=CategoricalFocalLoss(gamma=2.0), metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        model.save("flowers_focal.keras")

        reloaded = keras.models.load_model("flowers_focal.keras")
        print(reloaded.evaluate(train_ds))
        """,
    ),
    Case(
        name="keras-more18-load-tf215-dot-keras-file-in-keras3-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=both(chest_xray, keras215_cnn),
        expect="batch_input_shape",
        code="""
        import glob
        import numpy as np
        import keras

        # model.keras downloaded from the output of a Kaggle kernel (TensorFlow 2.15)
        model = keras.models.load_model("{DATA}/kaggle_output/pneumonia_cnn.keras")
        files = sorted(glob.glob("{DATA}/chest_xray/train/*/*.jpeg"))[:4]
        batch = np.stack([keras.utils.img_to_array(keras.utils.load_img(f, target_size=(64, 64))) for f in files]) / 255.0
        print(model.predict(batch).ravel())
        """,
    ),
    # ============================================================ predictions
    Case(
        name="keras-more18-nb-class-names-list-indexed-by-argmax-array-k3",
        cause="model.api_misuse",
        also=("other",),  # a plain indexing bug too; keras_more38's case of this message is labelled other
        exception="TypeError",
        expect="only integer scalar arrays can be converted to a scalar index",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
            class_names = train_ds.class_names
            """ + cnn(48, 3, ind=12) + """
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            """,
            """
            images, labels = next(iter(train_ds))
            preds = model.predict(images)
            predicted = class_names[np.argmax(preds, axis=1)]
            for name, true in zip(predicted, labels.numpy()):
                print(name, class_names[true])
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more18-confusion-matrix-given-probabilities-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        setup=flowers,
        expect="Shapes of all inputs must match",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, validation_split=0.3,
            subset="both", seed=3)
        """ + cnn(48, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=2)

        y_true = np.concatenate([y.numpy() for _, y in val_ds])
        y_pred = model.predict(val_ds)
        cm = tf.math.confusion_matrix(y_true, y_pred, num_classes=3)
        print(cm.numpy())
        """,
    ),
    Case(
        name="keras-more18-nb-model-called-on-test-dataset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="Only input tensors may be passed as positional arguments",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            train_ds, test_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/pets", image_size=(48, 48), batch_size=4, validation_split=0.25,
                subset="both", seed=11)
            """ + cnn(48, 2, ind=12) + """
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            """,
            """
            probs = model(test_ds, training=False)
            print(np.argmax(probs, axis=1))
            """,
        ], data=pets),
    ),
    Case(
        name="keras-more18-nb-rerun-model-cell-reuses-optimizer-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="This optimizer can only be called for the variables it was originally built with",
        **notebook([
            """
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
            optimizer = keras.optimizers.Adam(learning_rate=1e-3)
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            history = model.fit(train_ds, epochs=2, verbose=2)
            """,
            # the model cell edited (one more conv block) and run again, then the fit cell
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            history = model.fit(train_ds, epochs=2, verbose=2)
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more18-nb-seg-save-img-softmax-two-channel-mask-k3",
        cause="model.api_misuse",
        also=("data.image_channels",),
        exception="ValueError",
        expect="Unsupported channel number: 2",
        **notebook([
            """
            import os
            import keras
            from keras import layers
            """ + LOAD_SEG.replace(" " * 8, " " * 12) + tiny_unet(2, "softmax").replace(" " * 8, " " * 12),
            """
            model = tiny_unet()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=2, batch_size=2, verbose=2)
            """,
            """
            os.makedirs("predictions", exist_ok=True)
            preds = model.predict(x[:3])
            for i, pred_mask in enumerate(preds):
                keras.utils.save_img(f"predictions/mask_{i}.png", pred_mask)
            """,
        ], data=seg_pairs),
    ),
    # ============================================================ segmentation model
    Case(
        name="keras-more18-seg-unet-one-upsampling-too-many-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=seg_pairs,
        expect="must have the same shape",
        code="""
        import keras
        from keras import layers
        """ + LOAD_SEG + """

        def build_model(size=64):
            inputs = keras.Input((size, size, 3))
            x = inputs
            for filters in (16, 32):                      # encoder: 64 -> 32 -> 16
                x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
                x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
            for filters in (32, 16, 16):                  # decoder
                x = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(x)
            outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
            return keras.Model(inputs, outputs)

        model = build_model()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=2)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
