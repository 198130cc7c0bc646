"""Untargeted held-out Keras / TensorFlow image-model failures (g117, scored 0.82 top-1 and 0.95 top-3 before any rule for it) of students doing image-classification
coursework and online-course assignments with tf.keras in notebooks: MNIST / Fashion-MNIST / CIFAR-10 /
cats-vs-dogs / flowers / horses-vs-humans / rock-paper-scissors / sign-language exercises, Sequential CNNs,
``ImageDataGenerator`` and ``image_dataset_from_directory``, transfer learning with a frozen base, callbacks,
``history``, saving and reloading the model, predicting on an uploaded photo, spread over the cause ids of the
taxonomy:

- image sizes: rock-paper-scissors phone photos kept at 4:3 (120 x 160) and "augmented" offline with
  ``np.rot90`` copies ("hands come in from any side") joined by ``np.concatenate``;
- channels: a shop's transparent product PNG (RGBA) of a sneaker reshaped to ``(1, 28, 28, 1)`` for the
  Fashion-MNIST model (notebook);
- labels: Kaggle ASL-alphabet folder names mapped with ``ord(folder[0]) - ord("A")`` for a 26-way head, the
  ``del`` / ``nothing`` / ``space`` folders giving 35, 45 and 50 (tf_keras);
- label shapes: the Deep Learning Specialization SIGNS ``.h5`` set with ``convert_to_one_hot(Y, 6)`` left
  without its ``.T`` (labels 6 x 1080) given to ``Dataset.from_tensor_slices`` (tf_keras, notebook); the
  Fashion-MNIST ``to_categorical`` cell run a second time (labels 10 x 2 per image; notebook);
- dtypes: the horses-vs-humans "predict my own photo" cell rewritten with PIL (``np.array(img)``, uint8)
  followed by the course's in-place ``x /= 255`` (notebook); the sign-language MNIST CSV parsed with
  ``csv.reader`` without ``astype`` and divided by 255 (tf_keras, notebook);
- files: a cats-vs-dogs course folder where ``cats.zip`` was never unzipped (one class for
  ``label_mode="binary"``); the cats-vs-dogs ``split_data`` assignment helper given ``SOURCE`` dirs without
  their trailing slash (``os.path.getsize`` on ``.../Cat0.jpg``; tf_keras, notebook);
- model inputs: LeNet-5 with the 28 px digits padded to 32 px for training only (``evaluate`` on 28 px);
- model outputs: a CIFAR-10 head sized ``Dense(y_train.shape[1])`` after the ``to_categorical`` line was
  dropped for a sparse loss (one unit; notebook);
- weights: the InceptionV3 weights file *with* the top (``..._kernels.h5`` instead of ``..._notop.h5``)
  loaded into the course's ``include_top=False`` base (notebook);
- API: a second, plain ``ImageDataGenerator`` asked for ``subset="validation"`` without ``validation_split``
  (horses vs humans: "Found 0 images"), ``tf.math.confusion_matrix`` given the softmax rows of ``predict``
  (notebook), ``model = model.load_weights(...)`` before predicting an uploaded photo (notebook);
- divergence: Kaggle digit-recognizer pixels standardised per pixel with ``x.std(axis=0)`` (the always-black
  border pixels divide 0 by 0; accuracy stuck at chance), run again under ``enable_check_numerics``;
- gradients: a "1 - accuracy" loss written because the assignment is graded on accuracy; a frozen-base
  custom loop that asks the tape for ``base_model.trainable_variables`` (empty);
- host memory: all 50 000 CIFAR-10 images resized to 224 x 224 at once with ``tf.image.resize`` for a
  frozen ResNet50 (notebook);
- versions: the TF transfer-learning tutorial's ``get_file(..., extract=True)`` +
  ``os.path.dirname(path_to_zip)`` path under Keras 3, which extracts to ``cats_and_dogs_extracted/``
  (notebook);
- plain bugs: the horses-vs-humans ``if classes[0] > 0.5`` prediction cell reused for the three-way
  rock-paper-scissors model (notebook), ``test_images.reshape(60000, 28, 28, 1)`` copied from the line above.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21 (TF_USE_LEGACY_KERAS=1); scripts,
scripts under a terminal (progress bars) and notebook cells run in a real IPython shell. Everything runs on a
CPU: causes that need a GPU (resource.gpu_oom, env.device_mismatch, env.cuda_setup) are not produced, nor are
box causes (no detection in these courses), worker pools or distribution strategies. Nothing is downloaded: Fashion-MNIST (``keras.datasets``, synthetic
idx files) and the tutorial zip are put in the Keras cache (``~/.keras/datasets``) by the setup, the
way a second run of the notebook finds them; CIFAR-10 / MNIST come from local copies (the python pickle batches,
``.npz`` files). The TF environments have no matplotlib, so no history is plotted.

Every case is a small training script that really fails with the library's own error; the label is known by
construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more51.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g117): the cases are generated into a separate folder and scored before any rule
is looked at or written for them.
"""

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, both, notebook  # noqa: E402
from _tfrecord import make_images  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more51.py"


# ---------------------------------------------------------------- data helpers
def _keras_cache(d: Path) -> Path:
    """The Keras download cache of the case's home (HOME is the parent of the data folder)."""
    p = d.parent / ".keras" / "datasets"
    p.mkdir(parents=True, exist_ok=True)
    return p


def _digits(r, n, size=28, margin=4):
    """n synthetic 'digits' / 'clothes': uint8 strokes inside a black border, like MNIST."""
    import numpy as np

    x = np.zeros((n, size, size), dtype="uint8")
    x[:, margin:size - margin, margin:size - margin] = r.integers(0, 256, size=(n, size - 2 * margin,
                                                                               size - 2 * margin))
    return x


def _fashion_cache(n_train, n_test, seed):
    """Fashion-MNIST idx files in the Keras cache, as ``keras.datasets.fashion_mnist.load_data()`` leaves them."""
    def setup(d: Path):
        import numpy as np

        r = _rng(seed)
        folder = _keras_cache(d) / "fashion-mnist"
        folder.mkdir(parents=True, exist_ok=True)
        for prefix, n in (("train", n_train), ("t10k", n_test)):
            x = _digits(r, n, margin=2)
            y = r.integers(0, 10, size=n).astype("uint8")
            with gzip.open(folder / f"{prefix}-labels-idx1-ubyte.gz", "wb", compresslevel=1) as f:
                f.write(np.array([0, 0, 8, 1], dtype="uint8").tobytes() + np.int32(n).byteswap().tobytes()
                        + y.tobytes())
            with gzip.open(folder / f"{prefix}-images-idx3-ubyte.gz", "wb", compresslevel=1) as f:
                f.write(np.array([0, 0, 8, 3], dtype="uint8").tobytes()
                        + np.array([n, 28, 28], dtype=">i4").tobytes() + x.tobytes())
    return setup


def rps_phone(d: Path):
    make_images(d / "rps_phone", ["paper", "rock", "scissors"], per_class=8, size=(160, 120), fmt="jpeg",
                seed=5101)


def sneaker_png(d: Path):
    """A product cut-out from a web shop: RGBA, transparent background."""
    import numpy as np
    from PIL import Image

    r = _rng(5102)
    a = np.zeros((400, 400, 4), dtype="uint8")
    a[120:300, 40:360, :3] = r.integers(0, 255, size=(180, 320, 3))
    a[120:300, 40:360, 3] = 255
    (d / "uploads").mkdir(parents=True, exist_ok=True)
    Image.fromarray(a, "RGBA").save(d / "uploads" / "nike_air_force_1_white.png")


def asl_alphabet(d: Path):
    classes = [chr(ord("A") + i) for i in range(26)] + ["del", "nothing", "space"]
    make_images(d / "asl_alphabet_train", classes, per_class=2, size=(64, 64), fmt="jpeg", seed=5103)


def signs_h5(d: Path):
    """The Deep Learning Specialization SIGNS set (hand signs 0..5) in its two .h5 files."""
    import h5py
    import numpy as np

    r = _rng(5104)
    (d / "datasets").mkdir(parents=True, exist_ok=True)
    for split, n in (("train", 120), ("test", 30)):
        with h5py.File(d / "datasets" / f"{split}_signs.h5", "w") as f:
            f.create_dataset(f"{split}_set_x", data=r.integers(0, 255, size=(n, 64, 64, 3), dtype="uint8"))
            f.create_dataset(f"{split}_set_y", data=r.integers(0, 6, size=n).astype("int64"))
            f.create_dataset("list_classes", data=np.arange(6, dtype="int64"))


def sign_mnist_csv(d: Path):
    r = _rng(5105)
    header = "label," + ",".join(f"pixel{i + 1}" for i in range(784))
    labels = [k for k in range(25) if k != 9]       # no J (9): it needs motion
    for name, n in (("sign_mnist_train.csv", 240), ("sign_mnist_test.csv", 48)):
        rows = [header]
        for i in range(n):
            px = r.integers(0, 256, size=784)
            rows.append(str(labels[i % len(labels)]) + "," + ",".join(str(int(v)) for v in px))
        (d / name).write_text("\n".join(rows) + "\n")


def cats_dogs_half_unzipped(d: Path):
    """train/dogs extracted, train/cats.zip still zipped; the same for validation."""
    import shutil
    import zipfile

    for split, n in (("train", 6), ("validation", 2)):
        make_images(d / "cats_vs_dogs" / split, ["cats", "dogs"], per_class=n, size=(96, 96), fmt="jpeg",
                    seed=5106 if split == "train" else 5107)
        cats = d / "cats_vs_dogs" / split / "cats"
        with zipfile.ZipFile(d / "cats_vs_dogs" / split / "cats.zip", "w") as z:
            for p in sorted(cats.iterdir()):
                z.write(p, f"cats/{p.name}")
        shutil.rmtree(cats)


def pet_images(d: Path):
    """Microsoft's PetImages: Cat/0.jpg ... and Dog/0.jpg ..., one zero-length file as in the real set."""
    r = _rng(5108)
    for c in ("Cat", "Dog"):
        for i in range(8):
            _jpg(d / "PetImages" / c / f"{i}.jpg", r.integers(0, 255, size=(90, 120, 3), dtype="uint8"))
    (d / "PetImages" / "Cat" / "666.jpg").write_bytes(b"")


def mnist_npz(d: Path):
    import numpy as np

    r = _rng(5109)
    np.savez(d / "mnist.npz", x_train=_digits(r, 3000), y_train=r.integers(0, 10, 3000).astype("uint8"),
             x_test=_digits(r, 500), y_test=r.integers(0, 10, 500).astype("uint8"))


def cifar10_npz(d: Path):
    """CIFAR-10 arrays saved with np.savez on a machine with internet (labels (N, 1) as load_data gives)."""
    import numpy as np

    r = _rng(5110)
    np.savez(d / "cifar10.npz",
             x_train=r.integers(0, 255, size=(3000, 32, 32, 3), dtype="uint8"),
             y_train=r.integers(0, 10, size=(3000, 1)).astype("uint8"),
             x_test=r.integers(0, 255, size=(500, 32, 32, 3), dtype="uint8"),
             y_test=r.integers(0, 10, size=(500, 1)).astype("uint8"))


def inception_with_top(d: Path):
    make_images(d / "horse-or-human", ["horses", "humans"], per_class=4, size=(150, 150), fmt="png", seed=5111)
    _prep("tfk2", """
        import tensorflow as tf

        # what keras-applications publishes as inception_v3_weights_tf_dim_ordering_tf_kernels.h5 (with the top)
        model = tf.keras.applications.InceptionV3(weights=None, include_top=True)
        model.save_weights("inception_v3_weights_tf_dim_ordering_tf_kernels.h5")
        """, d)


def horses_humans(d: Path):
    make_images(d / "horse-or-human", ["horses", "humans"], per_class=10, size=(150, 150), fmt="png", seed=5112)


def horses_humans_uploads(d: Path):
    make_images(d / "horse-or-human", ["horses", "humans"], per_class=6, size=(150, 150), fmt="png", seed=5119)
    r = _rng(5125)
    for name in ("IMG_20240312_101532.jpg", "pony_at_the_farm.jpg"):
        _jpg(d / "uploads" / name, r.integers(0, 255, size=(600, 800, 3), dtype="uint8"))


def rps_with_uploads(d: Path):
    make_images(d / "rps", ["paper", "rock", "scissors"], per_class=8, size=(150, 150), fmt="png", seed=5113)
    r = _rng(5114)
    for name in ("my_rock.jpg", "IMG_0412.jpg"):
        _jpg(d / "uploads" / name, r.integers(0, 255, size=(480, 640, 3), dtype="uint8"))


def digit_recognizer_csv(d: Path):
    r = _rng(5115)
    x = _digits(r, 1200).reshape(1200, -1)
    y = r.integers(0, 10, 1200)
    rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
    rows += [f"{int(y[i])}," + ",".join(str(int(v)) for v in x[i]) for i in range(1200)]
    (d / "digit-recognizer").mkdir(parents=True, exist_ok=True)
    (d / "digit-recognizer" / "train.csv").write_text("\n".join(rows) + "\n")


def cifar10_python(d: Path):
    """The 'CIFAR-10 python version' folder: data_batch_1..5 + test_batch (10 000 images each)."""
    import pickle

    import numpy as np

    r = _rng(5116)
    folder = d / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {b"batch_label": name.encode(), b"labels": [int(v) for v in r.integers(0, 10, 10000)],
                 b"data": r.integers(0, 255, size=(10000, 3072), dtype=np.uint8),
                 b"filenames": [f"img_{i:05d}.png".encode() for i in range(10000)]}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f)
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({b"label_names": [c.encode() for c in ("airplane", "automobile", "bird", "cat", "deer", "dog",
                                                              "frog", "horse", "ship", "truck")]}, f)


def tutorial_zip_in_cache(d: Path):
    """cats_and_dogs.zip as the TF tutorial's get_file left it in ~/.keras/datasets on the first run."""
    import io
    import zipfile

    import numpy as np
    from PIL import Image

    r = _rng(5117)
    with zipfile.ZipFile(_keras_cache(d) / "cats_and_dogs.zip", "w") as z:
        for split, n in (("train", 6), ("validation", 2)):
            for c in ("cats", "dogs"):
                for i in range(n):
                    buf = io.BytesIO()
                    Image.fromarray(r.integers(0, 255, size=(120, 160, 3), dtype=np.uint8)).save(buf, "JPEG")
                    z.writestr(f"cats_and_dogs_filtered/{split}/{c}/{c[:-1]}.{2000 + i}.jpg", buf.getvalue())


def flowers_small(d: Path):
    make_images(d / "flower_photos", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=4,
                size=(120, 96), fmt="jpeg", seed=5118)


# ---------------------------------------------------------------- the cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more51-rps-phone-photos-4x3-offline-rot90-copies-np-concatenate-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=rps_phone,
        expect="must match exactly",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        IMG_W, IMG_H = 160, 120          # keep the 4:3 of the phone photos
        CLASSES = ["paper", "rock", "scissors"]

        x, y = [], []
        for label, name in enumerate(CLASSES):
            for path in sorted(glob.glob(f"{DATA}/rps_phone/{name}/*.jpg")):
                x.append(np.asarray(Image.open(path).convert("RGB").resize((IMG_W, IMG_H))))
                y.append(label)
        x = np.array(x, dtype="float32") / 255.0
        y = np.array(y)
        print("photos:", x.shape, "labels:", y.shape)

        # the hand can come into the picture from any side: add copies turned by 90, 180 and 270 degrees
        x_aug = np.concatenate([x] + [np.rot90(x, k, axes=(1, 2)) for k in (1, 2, 3)])
        y_aug = np.concatenate([y] * 4)
        print("after augmentation:", x_aug.shape)

        model = tf.keras.models.Sequential([
            tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(IMG_H, IMG_W, 3)),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dropout(0.5),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_aug, y_aug, epochs=20, batch_size=16, validation_split=0.2, shuffle=True)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more51-nb-fashion-mnist-model-shop-sneaker-rgba-png-reshape-28x28x1-k3",
        cause="data.image_channels",
        exception="ValueError",
        expect="cannot reshape array",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from PIL import Image

            fashion_mnist = tf.keras.datasets.fashion_mnist
            (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
            class_names = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
            train_images = train_images.reshape(-1, 28, 28, 1) / 255.0
            test_images = test_images.reshape(-1, 28, 28, 1) / 255.0
            print(train_images.shape, test_images.shape)
            """,
            """
            model = tf.keras.models.Sequential([
                tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(128, activation="relu"),
                tf.keras.layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_images, train_labels, epochs=2, verbose=2)
            test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=0)
            print("Test accuracy:", test_acc)
            """,
            """
            # try it on a real product photo from the shop's website
            img = Image.open("{DATA}/uploads/nike_air_force_1_white.png")
            print(img.size, img.mode)
            img = img.resize((28, 28))
            x = np.array(img) / 255.0
            x = x.reshape(1, 28, 28, 1)
            pred = model.predict(x)
            print(class_names[np.argmax(pred)])
            """,
        ], data=both(_fashion_cache(3000, 500, 5120), sneaker_png)),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more51-asl-alphabet-folder-ord-minus-a-del-nothing-space-26-way-head-tfk2",
        cause="data.label_out_of_range",
        env="tfk2",
        exception="InvalidArgumentError",
        setup=asl_alphabet,
        pty=True,
        expect="outside the valid range",
        code="""
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        DATA_DIR = "{DATA}/asl_alphabet_train"
        IMG_SIZE = 64
        NUM_LETTERS = 26

        images, labels = [], []
        for folder in sorted(os.listdir(DATA_DIR)):
            label = ord(folder[0]) - ord("A")          # A -> 0, B -> 1, ..., Z -> 25
            for fname in sorted(os.listdir(os.path.join(DATA_DIR, folder))):
                img = Image.open(os.path.join(DATA_DIR, folder, fname)).convert("RGB").resize((IMG_SIZE, IMG_SIZE))
                images.append(np.asarray(img))
                labels.append(label)

        x = np.array(images, dtype="float32") / 255.0
        y = np.array(labels)
        print("images:", x.shape, "labels:", y.shape)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(IMG_SIZE, IMG_SIZE, 3)),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dropout(0.5),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(NUM_LETTERS, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, epochs=10, batch_size=16, shuffle=True)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more51-nb-dls-signs-h5-convert-to-one-hot-without-transpose-from-tensor-slices-tfk2",
        cause="data.label_shape",
        env="tfk2",
        exception="ValueError",
        **notebook([
            """
            import h5py
            import numpy as np
            import tensorflow as tf


            def load_signs_dataset():
                train_dataset = h5py.File("{DATA}/datasets/train_signs.h5", "r")
                train_set_x_orig = np.array(train_dataset["train_set_x"][:])
                train_set_y_orig = np.array(train_dataset["train_set_y"][:])
                test_dataset = h5py.File("{DATA}/datasets/test_signs.h5", "r")
                test_set_x_orig = np.array(test_dataset["test_set_x"][:])
                test_set_y_orig = np.array(test_dataset["test_set_y"][:])
                classes = np.array(test_dataset["list_classes"][:])
                train_set_y_orig = train_set_y_orig.reshape((1, train_set_y_orig.shape[0]))
                test_set_y_orig = test_set_y_orig.reshape((1, test_set_y_orig.shape[0]))
                return train_set_x_orig, train_set_y_orig, test_set_x_orig, test_set_y_orig, classes


            def convert_to_one_hot(Y, C):
                Y = np.eye(C)[Y.reshape(-1)].T
                return Y
            """,
            """
            X_train_orig, Y_train_orig, X_test_orig, Y_test_orig, classes = load_signs_dataset()
            X_train = X_train_orig / 255.
            X_test = X_test_orig / 255.
            Y_train = convert_to_one_hot(Y_train_orig, 6)
            Y_test = convert_to_one_hot(Y_test_orig, 6)
            print("number of training examples = " + str(X_train.shape[0]))
            print("number of test examples = " + str(X_test.shape[0]))
            print("X_train shape: " + str(X_train.shape))
            print("Y_train shape: " + str(Y_train.shape))
            print("X_test shape: " + str(X_test.shape))
            print("Y_test shape: " + str(Y_test.shape))
            """,
            """
            def convolutional_model(input_shape):
                input_img = tf.keras.Input(shape=input_shape)
                Z1 = tf.keras.layers.Conv2D(filters=8, kernel_size=(4, 4), strides=(1, 1), padding="same")(input_img)
                A1 = tf.keras.layers.ReLU()(Z1)
                P1 = tf.keras.layers.MaxPool2D(pool_size=(8, 8), strides=(8, 8), padding="same")(A1)
                Z2 = tf.keras.layers.Conv2D(filters=16, kernel_size=(2, 2), strides=(1, 1), padding="same")(P1)
                A2 = tf.keras.layers.ReLU()(Z2)
                P2 = tf.keras.layers.MaxPool2D(pool_size=(4, 4), strides=(4, 4), padding="same")(A2)
                F = tf.keras.layers.Flatten()(P2)
                outputs = tf.keras.layers.Dense(units=6, activation="softmax")(F)
                return tf.keras.Model(inputs=input_img, outputs=outputs)


            conv_model = convolutional_model((64, 64, 3))
            conv_model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            conv_model.summary()
            """,
            """
            train_dataset = tf.data.Dataset.from_tensor_slices((X_train, Y_train)).batch(64)
            test_dataset = tf.data.Dataset.from_tensor_slices((X_test, Y_test)).batch(64)
            history = conv_model.fit(train_dataset, epochs=100, validation_data=test_dataset)
            """,
        ], data=signs_h5),
    ),
    Case(
        name="keras-more51-nb-fashion-mnist-to-categorical-cell-run-twice-k3",
        cause="data.label_shape",
        exception="ValueError",
        expect="(None, 10, 2)",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf

            (train_images, train_labels), (test_images, test_labels) = tf.keras.datasets.fashion_mnist.load_data()
            train_images = train_images / 255.0
            test_images = test_images / 255.0
            """,
            """
            train_labels = tf.keras.utils.to_categorical(train_labels)
            test_labels = tf.keras.utils.to_categorical(test_labels)
            print(train_labels.shape, test_labels.shape)
            """,
            # the same cell run again (Shift+Enter on the wrong cell after fixing the next one)
            """
            train_labels = tf.keras.utils.to_categorical(train_labels)
            test_labels = tf.keras.utils.to_categorical(test_labels)
            print(train_labels.shape, test_labels.shape)
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Flatten(input_shape=(28, 28)),
                tf.keras.layers.Dense(128, activation="relu"),
                tf.keras.layers.Dropout(0.2),
                tf.keras.layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_images, train_labels, epochs=10, validation_data=(test_images, test_labels))
            """,
        ], data=_fashion_cache(2000, 400, 5126)),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more51-nb-horses-humans-predict-upload-pil-uint8-array-in-place-divide-k3",
        cause="data.dtype",
        exception="UFuncTypeError",
        expect="Cannot cast ufunc 'divide' output",
        **notebook([
            """
            import os

            import numpy as np
            import tensorflow as tf
            from tensorflow.keras.preprocessing.image import ImageDataGenerator

            train_datagen = ImageDataGenerator(rescale=1 / 255)
            train_generator = train_datagen.flow_from_directory("{DATA}/horse-or-human", target_size=(150, 150),
                                                                batch_size=8, class_mode="binary")
            model = tf.keras.models.Sequential([
                tf.keras.layers.Conv2D(16, (3, 3), activation="relu", input_shape=(150, 150, 3)),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(64, activation="relu"),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(loss="binary_crossentropy", optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.001),
                          metrics=["accuracy"])
            history = model.fit(train_generator, epochs=2, verbose=2)
            """,
            """
            # my own photos (no google.colab here, so read them with PIL from the uploads folder)
            from PIL import Image

            UPLOADS = "{DATA}/uploads"
            for fn in sorted(os.listdir(UPLOADS)):
                img = Image.open(os.path.join(UPLOADS, fn)).convert("RGB").resize((150, 150))
                x = np.array(img)
                x /= 255
                x = np.expand_dims(x, axis=0)
                classes = model.predict(x, batch_size=10)
                print(classes[0])
                if classes[0] > 0.5:
                    print(fn + " is a human")
                else:
                    print(fn + " is a horse")
            """,
        ], data=horses_humans_uploads),
    ),
    Case(
        name="keras-more51-nb-sign-language-mnist-csv-reader-pixel-strings-divided-by-255-tfk2",
        cause="data.dtype",
        env="tfk2",
        exception="TypeError",
        expect="ufunc 'divide'",
        **notebook([
            """
            import csv
            import string

            import numpy as np
            import tensorflow as tf

            TRAINING_FILE = "{DATA}/sign_mnist_train.csv"
            VALIDATION_FILE = "{DATA}/sign_mnist_test.csv"

            with open(TRAINING_FILE) as training_file:
                line = training_file.readline()
                print(f"First line (header) looks like this:\\n{line[:60]}...")
            """,
            """
            def parse_data_from_input(filename):
                with open(filename) as file:
                    csv_reader = csv.reader(file, delimiter=",")
                    next(csv_reader)                      # skip the header
                    labels, images = [], []
                    for row in csv_reader:
                        labels.append(row[0])
                        images.append(np.array(row[1:]).reshape(28, 28))
                    labels = np.array(labels)
                    images = np.array(images)
                return images, labels


            training_images, training_labels = parse_data_from_input(TRAINING_FILE)
            validation_images, validation_labels = parse_data_from_input(VALIDATION_FILE)
            print(f"Training images has shape: {training_images.shape} and dtype: {training_images.dtype}")
            print(f"Training labels has shape: {training_labels.shape} and dtype: {training_labels.dtype}")
            """,
            """
            # add the channel axis and scale to 0..1
            training_images = np.expand_dims(training_images, axis=3) / 255.0
            validation_images = np.expand_dims(validation_images, axis=3) / 255.0
            """,
            """
            model = tf.keras.models.Sequential([
                tf.keras.layers.Conv2D(64, (3, 3), activation="relu", input_shape=(28, 28, 1)),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(512, activation="relu"),
                tf.keras.layers.Dense(26, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(training_images, training_labels.astype(int), epochs=15,
                                validation_data=(validation_images, validation_labels.astype(int)))
            """,
        ], data=sign_mnist_csv),
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more51-cats-vs-dogs-cats-zip-never-unzipped-one-class-binary-label-mode-k3",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=cats_dogs_half_unzipped,
        expect="exactly 2",
        code="""
        import os

        import tensorflow as tf

        base_dir = "{DATA}/cats_vs_dogs"
        train_dir = os.path.join(base_dir, "train")
        validation_dir = os.path.join(base_dir, "validation")
        print("train:", sorted(os.listdir(train_dir)))
        print("validation:", sorted(os.listdir(validation_dir)))

        IMG_SIZE = (150, 150)
        train_ds = tf.keras.utils.image_dataset_from_directory(
            train_dir, label_mode="binary", image_size=IMG_SIZE, batch_size=20, shuffle=True, seed=42)
        val_ds = tf.keras.utils.image_dataset_from_directory(
            validation_dir, label_mode="binary", image_size=IMG_SIZE, batch_size=20)

        model = tf.keras.models.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=IMG_SIZE + (3,)),
            tf.keras.layers.Conv2D(16, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(512, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.001), loss="binary_crossentropy",
                      metrics=["accuracy"])
        history = model.fit(train_ds, epochs=15, validation_data=val_ds, verbose=2)
        """,
    ),
    Case(
        name="keras-more51-nb-cats-v-dogs-split-data-source-dir-without-trailing-slash-getsize-tfk2",
        cause="data.missing_or_corrupt",
        also=("other",),
        env="tfk2",
        exception="FileNotFoundError",
        **notebook([
            """
            import os
            import random
            from shutil import copyfile

            import tensorflow as tf
            from tensorflow.keras.preprocessing.image import ImageDataGenerator

            source_path = "{DATA}/PetImages"
            source_path_dogs = os.path.join(source_path, "Dog")
            source_path_cats = os.path.join(source_path, "Cat")
            print(f"There are {len(os.listdir(source_path_dogs))} images of dogs.")
            print(f"There are {len(os.listdir(source_path_cats))} images of cats.")
            """,
            """
            root_dir = "{DATA}/cats-v-dogs"
            for split in ("training", "validation"):
                for animal in ("cats", "dogs"):
                    os.makedirs(os.path.join(root_dir, split, animal), exist_ok=True)
            """,
            """
            def split_data(SOURCE_DIR, TRAINING_DIR, VALIDATION_DIR, SPLIT_SIZE):
                files = []
                for filename in os.listdir(SOURCE_DIR):
                    file = SOURCE_DIR + filename
                    if os.path.getsize(file) > 0:
                        files.append(filename)
                    else:
                        print(filename + " is zero length, so ignoring.")

                training_length = int(len(files) * SPLIT_SIZE)
                shuffled_set = random.sample(files, len(files))
                for filename in shuffled_set[:training_length]:
                    copyfile(SOURCE_DIR + filename, TRAINING_DIR + filename)
                for filename in shuffled_set[training_length:]:
                    copyfile(SOURCE_DIR + filename, VALIDATION_DIR + filename)
            """,
            """
            CAT_SOURCE_DIR = "{DATA}/PetImages/Cat"
            TRAINING_CATS_DIR = "{DATA}/cats-v-dogs/training/cats/"
            VALIDATION_CATS_DIR = "{DATA}/cats-v-dogs/validation/cats/"
            DOG_SOURCE_DIR = "{DATA}/PetImages/Dog"
            TRAINING_DOGS_DIR = "{DATA}/cats-v-dogs/training/dogs/"
            VALIDATION_DOGS_DIR = "{DATA}/cats-v-dogs/validation/dogs/"

            split_size = .9
            split_data(CAT_SOURCE_DIR, TRAINING_CATS_DIR, VALIDATION_CATS_DIR, split_size)
            split_data(DOG_SOURCE_DIR, TRAINING_DOGS_DIR, VALIDATION_DOGS_DIR, split_size)
            print(f"There are {len(os.listdir(TRAINING_CATS_DIR))} images of cats for training")
            """,
        ], data=pet_images),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more51-lenet5-digits-padded-to-32px-for-training-only-evaluate-28px-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=mnist_npz,
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        # mnist.npz copied from the course page (the lab machines are offline)
        with np.load("{DATA}/mnist.npz") as f:
            x_train, y_train = f["x_train"], f["y_train"]
            x_test, y_test = f["x_test"], f["y_test"]

        # LeNet-5 was designed for 32x32 inputs: pad the 28x28 digits with two pixels of zeros
        x_train = np.pad(x_train, ((0, 0), (2, 2), (2, 2)), "constant")
        x_train = x_train[..., np.newaxis].astype("float32") / 255.0
        x_test = x_test[..., np.newaxis].astype("float32") / 255.0
        print("train", x_train.shape, "test", x_test.shape)

        model = keras.Sequential([
            keras.Input(shape=(32, 32, 1)),
            layers.Conv2D(6, kernel_size=5, activation="tanh"),
            layers.AveragePooling2D(pool_size=2),
            layers.Conv2D(16, kernel_size=5, activation="tanh"),
            layers.AveragePooling2D(pool_size=2),
            layers.Flatten(),
            layers.Dense(120, activation="tanh"),
            layers.Dense(84, activation="tanh"),
            layers.Dense(10, activation="softmax"),
        ], name="lenet5")
        model.summary()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=128, epochs=3, validation_split=0.1)

        test_loss, test_acc = model.evaluate(x_test, y_test)
        print(f"test accuracy: {test_acc:.4f}")
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more51-nb-cifar10-head-sized-y-train-shape-1-after-to-categorical-dropped-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        expect="outside the valid range",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow.keras import layers, models

            # cifar10.load_data() saved with np.savez on Colab (no internet on the lab PCs)
            data = np.load("{DATA}/cifar10.npz")
            x_train, y_train = data["x_train"], data["y_train"]
            x_test, y_test = data["x_test"], data["y_test"]
            print(x_train.shape, y_train.shape, x_test.shape, y_test.shape)
            """,
            """
            x_train = x_train.astype("float32") / 255.0
            x_test = x_test.astype("float32") / 255.0
            # switched to sparse_categorical_crossentropy, so no more one-hot:
            # y_train = tf.keras.utils.to_categorical(y_train)
            # y_test = tf.keras.utils.to_categorical(y_test)
            num_classes = y_test.shape[1]
            print("classes:", num_classes)
            """,
            """
            model = models.Sequential()
            model.add(layers.Conv2D(32, (3, 3), activation="relu", padding="same", input_shape=(32, 32, 3)))
            model.add(layers.Conv2D(32, (3, 3), activation="relu", padding="same"))
            model.add(layers.MaxPooling2D((2, 2)))
            model.add(layers.Dropout(0.2))
            model.add(layers.Conv2D(64, (3, 3), activation="relu", padding="same"))
            model.add(layers.MaxPooling2D((2, 2)))
            model.add(layers.Dropout(0.2))
            model.add(layers.Flatten())
            model.add(layers.Dense(512, activation="relu"))
            model.add(layers.Dropout(0.5))
            model.add(layers.Dense(num_classes, activation="softmax"))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            history = model.fit(x_train, y_train, epochs=25, batch_size=64, validation_data=(x_test, y_test))
            """,
        ], data=cifar10_npz),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more51-nb-course-inceptionv3-weights-file-with-top-into-notop-base-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="Layer count mismatch",
        timeout=400,
        **notebook([
            """
            import os

            import tensorflow as tf
            from tensorflow.keras import layers, Model
            from tensorflow.keras.applications.inception_v3 import InceptionV3

            # downloaded by hand from the keras-applications releases page
            local_weights_file = "{DATA}/inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
            print(os.path.getsize(local_weights_file) // 2**20, "MB")
            """,
            """
            pre_trained_model = InceptionV3(input_shape=(150, 150, 3), include_top=False, weights=None)
            pre_trained_model.load_weights(local_weights_file)

            for layer in pre_trained_model.layers:
                layer.trainable = False
            """,
            """
            last_layer = pre_trained_model.get_layer("mixed7")
            last_output = last_layer.output
            x = layers.Flatten()(last_output)
            x = layers.Dense(1024, activation="relu")(x)
            x = layers.Dropout(0.2)(x)
            x = layers.Dense(1, activation="sigmoid")(x)
            model = Model(pre_trained_model.input, x)
            model.compile(optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.0001), loss="binary_crossentropy",
                          metrics=["accuracy"])
            """,
        ], data=inception_with_top),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more51-horses-humans-plain-validation-datagen-subset-validation-no-split-k3",
        cause="model.api_misuse",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        setup=horses_humans,
        pty=True,
        expect="length 0",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        DATA_DIR = "{DATA}/horse-or-human"

        # augmentation for training only; the validation images must stay as they are
        train_datagen = ImageDataGenerator(rescale=1 / 255, horizontal_flip=True, validation_split=0.2)
        validation_datagen = ImageDataGenerator(rescale=1 / 255)

        train_generator = train_datagen.flow_from_directory(
            DATA_DIR, target_size=(150, 150), batch_size=8, class_mode="binary", subset="training")
        validation_generator = validation_datagen.flow_from_directory(
            DATA_DIR, target_size=(150, 150), batch_size=8, class_mode="binary", subset="validation")

        model = tf.keras.models.Sequential([
            tf.keras.layers.Conv2D(16, (3, 3), activation="relu", input_shape=(150, 150, 3)),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(512, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(loss="binary_crossentropy", optimizer=tf.keras.optimizers.RMSprop(learning_rate=0.001),
                      metrics=["accuracy"])
        history = model.fit(train_generator, epochs=15, validation_data=validation_generator)
        """,
    ),
    Case(
        name="keras-more51-nb-fashion-mnist-confusion-matrix-given-softmax-predictions-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        expect="Shapes of all inputs must match",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf

            (train_images, train_labels), (test_images, test_labels) = tf.keras.datasets.fashion_mnist.load_data()
            train_images = train_images / 255.0
            test_images = test_images / 255.0
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Flatten(input_shape=(28, 28)),
                tf.keras.layers.Dense(128, activation="relu"),
                tf.keras.layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_images, train_labels, epochs=3, verbose=2)
            test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=2)
            print("\\nTest accuracy:", test_acc)
            """,
            """
            # which classes get mixed up? (exercise 3b)
            predictions = model.predict(test_images)
            cm = tf.math.confusion_matrix(test_labels, predictions, num_classes=10)
            print(cm.numpy())
            """,
        ], data=_fashion_cache(2000, 400, 5122)),
    ),
    Case(
        name="keras-more51-nb-rps-model-assigned-return-of-load-weights-then-predict-upload-k3",
        cause="model.api_misuse",
        also=("other",),
        exception="AttributeError",
        expect="'NoneType' object has no attribute 'predict'",
        **notebook([
            """
            import os

            import numpy as np
            import tensorflow as tf
            from tensorflow.keras.preprocessing import image


            def build_model():
                return tf.keras.models.Sequential([
                    tf.keras.layers.Input((150, 150, 3)),
                    tf.keras.layers.Rescaling(1.0 / 255),
                    tf.keras.layers.Conv2D(16, (3, 3), activation="relu"),
                    tf.keras.layers.MaxPooling2D(2, 2),
                    tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
                    tf.keras.layers.MaxPooling2D(2, 2),
                    tf.keras.layers.Flatten(),
                    tf.keras.layers.Dropout(0.5),
                    tf.keras.layers.Dense(64, activation="relu"),
                    tf.keras.layers.Dense(3, activation="softmax"),
                ])
            """,
            """
            train_ds = tf.keras.utils.image_dataset_from_directory(
                "{DATA}/rps", image_size=(150, 150), batch_size=8, label_mode="categorical", seed=3)
            class_names = train_ds.class_names
            model = build_model()
            model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            model.save_weights("rps.weights.h5")
            """,
            """
            # ---- day 2: rebuild the network, load yesterday's weights, try my own photos
            model = build_model()
            model = model.load_weights("rps.weights.h5")

            for fn in sorted(os.listdir("{DATA}/uploads")):
                img = image.load_img(os.path.join("{DATA}/uploads", fn), target_size=(150, 150))
                x = np.expand_dims(image.img_to_array(img), axis=0)
                classes = model.predict(x, batch_size=10)
                print(fn, class_names[np.argmax(classes[0])])
            """,
        ], data=rps_with_uploads),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more51-digit-recognizer-per-pixel-std-zero-border-nan-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=digit_recognizer_csv,
        pty=True,
        expect="Tensor had NaN values",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # accuracy was stuck at ~10 % from the first epoch; the forum says to turn this on
        tf.debugging.enable_check_numerics()

        data = np.loadtxt("{DATA}/digit-recognizer/train.csv", delimiter=",", skiprows=1, dtype="float32")
        y = data[:, 0].astype("int64")
        x = data[:, 1:]

        # standardise every input feature (zero mean, unit variance), as in the lecture on feature scaling
        mean = x.mean(axis=0)
        std = x.std(axis=0)
        x = (x - mean) / std
        print("x:", x.shape, "y:", y.shape)

        model = keras.Sequential([
            keras.Input((784,)),
            layers.Dense(256, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        history = model.fit(x, y, epochs=20, batch_size=64, validation_split=0.1)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more51-fashion-mnist-one-minus-accuracy-loss-graded-on-accuracy-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=_fashion_cache(2000, 400, 5123),
        expect="No gradients provided",
        code="""
        import tensorflow as tf

        (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
        x_train, x_test = x_train / 255.0, x_test / 255.0


        def accuracy_loss(y_true, y_pred):
            # the assignment is graded on test accuracy, so minimise the error rate directly
            y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int64)
            correct = tf.equal(tf.argmax(y_pred, axis=-1), y_true)
            return 1.0 - tf.reduce_mean(tf.cast(correct, tf.float32))


        model = tf.keras.models.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=accuracy_loss, metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5, validation_data=(x_test, y_test))
        """,
    ),
    Case(
        name="keras-more51-flowers-frozen-mobilenet-custom-loop-gradients-of-base-trainable-variables-k3",
        cause="optim.autograd_graph",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=flowers_small,
        pty=True,
        expect="not enough values to unpack",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flower_photos", image_size=IMG_SIZE, batch_size=8, seed=11)
        class_names = train_ds.class_names

        base_model = keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False, weights=None)
        base_model.trainable = False

        inputs = keras.Input(shape=IMG_SIZE + (3,))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base_model(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(len(class_names))(x)
        model = keras.Model(inputs, outputs)

        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(learning_rate=1e-3)
        train_acc = keras.metrics.SparseCategoricalAccuracy()

        # exercise 4: write the training loop yourself (feature extraction: the base stays frozen)
        for epoch in range(5):
            for step, (x_batch, y_batch) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    logits = model(x_batch, training=True)
                    loss_value = loss_fn(y_batch, logits)
                grads = tape.gradient(loss_value, base_model.trainable_variables)
                optimizer.apply_gradients(zip(grads, base_model.trainable_variables))
                train_acc.update_state(y_batch, logits)
            print(f"epoch {epoch + 1}: loss {float(loss_value):.4f} acc {float(train_acc.result()):.4f}")
            train_acc.reset_state()
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more51-nb-cifar10-all-50000-resized-to-224-at-once-frozen-resnet50-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        as_limit=12 * 1024**3,
        timeout=400,
        expect="OOM when allocating",
        **notebook([
            """
            import pickle

            import numpy as np
            import tensorflow as tf


            def unpickle(file):
                with open(file, "rb") as fo:
                    return pickle.load(fo, encoding="bytes")


            CIFAR_DIR = "{DATA}/cifar-10-batches-py"
            batches = [unpickle(f"{CIFAR_DIR}/data_batch_{i}") for i in range(1, 6)]
            x_train = np.concatenate([b[b"data"] for b in batches]).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
            y_train = np.concatenate([b[b"labels"] for b in batches])
            test = unpickle(f"{CIFAR_DIR}/test_batch")
            x_test = test[b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
            y_test = np.array(test[b"labels"])
            print(x_train.shape, y_train.shape, x_test.shape, y_test.shape)
            """,
            """
            # ResNet50 was trained on 224 x 224 ImageNet images, so bring CIFAR up to that size
            x_train = tf.image.resize(x_train, (224, 224))
            x_test = tf.image.resize(x_test, (224, 224))
            x_train = tf.keras.applications.resnet50.preprocess_input(x_train)
            x_test = tf.keras.applications.resnet50.preprocess_input(x_test)
            """,
            """
            base_model = tf.keras.applications.ResNet50(include_top=False, weights=None, input_shape=(224, 224, 3),
                                                        pooling="avg")
            base_model.trainable = False
            model = tf.keras.Sequential([base_model, tf.keras.layers.Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x_train, y_train, epochs=3, batch_size=64, validation_data=(x_test, y_test))
            """,
        ], data=cifar10_python),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more51-nb-tf-transfer-tutorial-get-file-extract-dirname-path-keras3-k3",
        cause="env.version_incompat",
        also=("data.missing_or_corrupt",),
        exception="FileNotFoundError",
        expect="cats_and_dogs_filtered",
        **notebook([
            """
            import os

            import numpy as np
            import tensorflow as tf
            print(tf.__version__, tf.keras.__version__)
            """,
            """
            _URL = "https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip"
            path_to_zip = tf.keras.utils.get_file("cats_and_dogs.zip", origin=_URL, extract=True)
            PATH = os.path.join(os.path.dirname(path_to_zip), "cats_and_dogs_filtered")

            train_dir = os.path.join(PATH, "train")
            validation_dir = os.path.join(PATH, "validation")

            BATCH_SIZE = 32
            IMG_SIZE = (160, 160)

            train_dataset = tf.keras.utils.image_dataset_from_directory(train_dir, shuffle=True,
                                                                        batch_size=BATCH_SIZE, image_size=IMG_SIZE)
            validation_dataset = tf.keras.utils.image_dataset_from_directory(validation_dir, shuffle=True,
                                                                             batch_size=BATCH_SIZE,
                                                                             image_size=IMG_SIZE)
            """,
            """
            class_names = train_dataset.class_names
            IMG_SHAPE = IMG_SIZE + (3,)
            base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SHAPE, include_top=False, weights=None)
            base_model.trainable = False
            """,
        ], data=tutorial_zip_in_cache),
    ),
    # =================================================================== other
    Case(
        name="keras-more51-nb-horses-humans-predict-cell-classes-0-gt-half-on-three-way-rps-softmax-k3",
        cause="other",
        also=("model.output_mismatch",),
        exception="ValueError",
        expect="truth value of an array",
        **notebook([
            """
            import os

            import numpy as np
            import tensorflow as tf
            from tensorflow.keras.preprocessing import image
            from tensorflow.keras.preprocessing.image import ImageDataGenerator

            TRAINING_DIR = "{DATA}/rps"
            training_datagen = ImageDataGenerator(rescale=1. / 255, horizontal_flip=True, fill_mode="nearest")
            train_generator = training_datagen.flow_from_directory(TRAINING_DIR, target_size=(150, 150),
                                                                   class_mode="categorical", batch_size=8)
            print(train_generator.class_indices)
            """,
            """
            model = tf.keras.models.Sequential([
                tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(150, 150, 3)),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
                tf.keras.layers.MaxPooling2D(2, 2),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dropout(0.5),
                tf.keras.layers.Dense(128, activation="relu"),
                tf.keras.layers.Dense(3, activation="softmax"),
            ])
            model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
            history = model.fit(train_generator, epochs=2, verbose=1)
            """,
            """
            # predicting my own photos (cell copied from the horses-or-humans notebook)
            UPLOADS = "{DATA}/uploads"
            for fn in sorted(os.listdir(UPLOADS)):
                path = os.path.join(UPLOADS, fn)
                img = image.load_img(path, target_size=(150, 150))
                x = image.img_to_array(img)
                x /= 255
                x = np.expand_dims(x, axis=0)

                images = np.vstack([x])
                classes = model.predict(images, batch_size=10)
                print(classes[0])
                if classes[0] > 0.5:
                    print(fn + " is rock")
                else:
                    print(fn + " is paper")
            """,
        ], data=rps_with_uploads),
    ),
    Case(
        name="keras-more51-fashion-mnist-test-images-reshape-60000-copied-from-training-line-k3",
        cause="other",
        exception="ValueError",
        setup=_fashion_cache(60000, 10000, 5124),
        expect="cannot reshape array of size 7840000",
        code="""
        import tensorflow as tf

        print(tf.__version__)
        mnist = tf.keras.datasets.fashion_mnist
        (training_images, training_labels), (test_images, test_labels) = mnist.load_data()

        training_images = training_images.reshape(60000, 28, 28, 1)
        training_images = training_images / 255.0
        test_images = test_images.reshape(60000, 28, 28, 1)
        test_images = test_images / 255.0

        model = tf.keras.models.Sequential([
            tf.keras.layers.Conv2D(64, (3, 3), activation="relu", input_shape=(28, 28, 1)),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D(2, 2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.summary()
        model.fit(training_images, training_labels, epochs=5)
        test_loss = model.evaluate(test_images, test_labels)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
