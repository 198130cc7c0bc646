"""A sixteenth set of real Keras / TensorFlow failures from beginners training
image classifiers and small detectors in notebooks and scripts, mostly on TF
2.21 / Keras 3 (with a few on TF 2.15 and on tf_keras), all reproducible on CPU.

Code paths keras_more.py ... keras_more15.py leave out: Keras 3 augmentation
layers (``RandomTranslation`` given one factor, ``CutMix`` and ``MixUp`` fed sparse
integer labels, ``RandomColorJitter`` on grayscale scans, ``MixUp`` looked up on TF
2.15); ``image_dataset_from_directory`` options (``crop_to_aspect_ratio`` together
with ``pad_to_aspect_ratio``, ``pad_to_aspect_ratio`` on TF 2.15); CSV-driven
loading (``StringLookup`` with ``num_oov_indices=0`` meeting a miscapitalised label,
``make_csv_dataset`` with a ``label_name`` the header lacks, ``to_categorical`` on
class-name strings, ``to_categorical`` inside a TF 2.15 ``Dataset.map``, a box CSV
with an empty coordinate, ``np.eye`` one-hot of a class id equal to the class count,
``split_dataset`` with the tutorial's fixed sizes); class weights next to sample
weights (arrays and a dataset yielding weights); Keras 2 code under Keras 3
(``add_weight("name", shape=...)``, ``BatchNormalization(fused=True)``,
``compile(experimental_run_tf_function=False)``, a Keras 3 callback given to a
tf_keras ``fit``, ``KERAS_BACKEND="jax"`` copied from a Kaggle notebook);
reproducibility and performance switches (``enable_op_determinism`` without a seed
under Keras 3 and Keras 2, ``jit_compile=True`` over a ``numpy_function`` layer,
threading set after TensorFlow started); GPU checks that fail on a CPU-only
install (Colab's ``gpu_device_name`` guard, ``get_build_info()["cuda_version"]``);
exporting (``TFLiteConverter.from_saved_model`` on a ``.keras`` file, a ``.keras``
file given to the TFLite interpreter, ONNX export without onnx,
``BackupAndRestore`` resuming into a model with a new class); NumPy slips around
detectors (a one-row YOLO label file read with ``np.loadtxt``, a two-head
detector's ``predict`` list sliced like an array, extra photos of another size
concatenated to the training array); a PyDataset with a lambda under the spawn
start method; an MNIST ``Reshape`` reused on CIFAR-sized images; a resumed run
whose History is empty.

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more16.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "rose", "tulip"], per_class=6, size=(48, 48))


def flowers_wide(d: Path):
    make_images(d / "flowers", ["daisy", "rose", "tulip"], per_class=4, sizes=[(64, 48), (48, 64), (80, 60)])


def xray_gray(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=6, size=(48, 48), mode="L")


def pets_csv(d: Path, bad_label=None):
    """images/*.png plus labels.csv (filename,label)."""
    import numpy as np
    rng = np.random.default_rng(3)
    names = ["cat", "dog", "rabbit"]
    rows = ["filename,label"]
    for i in range(18):
        save_png(d / "pets" / "images" / f"pet_{i:03d}.png", rng.integers(0, 255, (40, 40, 3), dtype=np.uint8))
        lab = names[i % 3]
        if bad_label and i == 13:
            lab = bad_label
        rows.append(f"pet_{i:03d}.png,{lab}")
    (d / "pets" / "labels.csv").write_text("\n".join(rows) + "\n")


def pets_csv_typo(d: Path):
    pets_csv(d, bad_label="Dog")


def pets_csv_class_header(d: Path):
    import numpy as np
    rng = np.random.default_rng(4)
    rows = ["image_path,class,weight"]
    for i in range(12):
        save_png(d / "pets" / "images" / f"pet_{i:03d}.png", rng.integers(0, 255, (40, 40, 3), dtype=np.uint8))
        rows.append(f"{d}/pets/images/pet_{i:03d}.png,{i % 3},{1.0 if i % 3 else 2.0}")
    (d / "pets" / "train.csv").write_text("\n".join(rows) + "\n")


def yolo_labels(d: Path):
    """images + YOLO txt labels; most images hold several objects, img_004 holds one."""
    import numpy as np
    rng = np.random.default_rng(5)
    for i in range(8):
        save_png(d / "yolo" / "images" / f"img_{i:03d}.png", rng.integers(0, 255, (64, 64, 3), dtype=np.uint8))
        n = 1 if i == 4 else 2 + i % 2
        rows = [f"{rng.integers(0, 2)} {rng.uniform(.2, .8):.4f} {rng.uniform(.2, .8):.4f} "
                f"{rng.uniform(.1, .3):.4f} {rng.uniform(.1, .3):.4f}" for _ in range(n)]
        (d / "yolo" / "labels" / f"img_{i:03d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (d / "yolo" / "labels" / f"img_{i:03d}.txt").write_text("\n".join(rows) + "\n")


def box_csv_blank(d: Path):
    """One-object localisation set: images + boxes.csv (filename,xmin,ymin,xmax,ymax,label); one row has a blank."""
    import numpy as np
    rng = np.random.default_rng(6)
    rows = ["filename,xmin,ymin,xmax,ymax,label"]
    for i in range(12):
        save_png(d / "signs" / "images" / f"sign_{i:03d}.png", rng.integers(0, 255, (64, 64, 3), dtype=np.uint8))
        x1, y1 = rng.integers(0, 30, 2)
        x2, y2 = x1 + rng.integers(10, 30), y1 + rng.integers(10, 30)
        if i == 9:   # the annotator skipped a corner
            rows.append(f"sign_{i:03d}.png,{x1},{y1},,{y2},stop")
        else:
            rows.append(f"sign_{i:03d}.png,{x1},{y1},{x2},{y2},{'stop' if i % 2 else 'yield'}")
    (d / "signs" / "boxes.csv").write_text("\n".join(rows) + "\n")


def extra_photos(d: Path):
    """A folder of new phone photos (64x64) to add to a 32x32 training array."""
    make_images(d / "extra", ["cat", "dog"], per_class=4, size=(64, 64))


TINY_CNN = """
        def build_model(num_classes, size=48, channels=3):
            return keras.Sequential([
                keras.Input((size, size, channels)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(8, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(num_classes, activation="softmax"),
            ])
"""


CASES = [
    # ============================================================ Keras 3 augmentation layers
    Case(
        name="keras-more16-random-translation-one-factor-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        expect="width_factor",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=8, seed=1)

        data_augmentation = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.1),
            layers.RandomTranslation(0.1),
            layers.RandomZoom(0.1),
        ])
        """ + TINY_CNN + """
        model = build_model(3)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds.map(lambda x, y: (data_augmentation(x, training=True), y)), epochs=2)
        """,
    ),
    Case(
        name="keras-more16-cutmix-sparse-int-labels-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=flowers,
        expect="was expected to be a float tensor",
        code="""
        import keras
        import numpy as np
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        cutmix = layers.CutMix(factor=1.0)

        # look at a few mixed samples before training
        for images, labels in train_ds.take(1):
            mixed = cutmix({"images": images, "labels": labels})
            print(mixed["images"].shape, mixed["labels"][:3])
        """,
    ),
    Case(
        name="keras-more16-mixup-map-sparse-labels-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=flowers,
        expect="logits and labels must be broadcastable",
        code="""
        import keras
        import tensorflow as tf
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        mixup = layers.MixUp(alpha=0.2)

        def apply_mixup(images, labels):
            out = mixup({"images": images, "labels": labels}, training=True)
            return out["images"], out["labels"]

        train_ds = train_ds.map(apply_mixup, num_parallel_calls=tf.data.AUTOTUNE).prefetch(2)
        """ + TINY_CNN + """
        model = build_model(3)
        # MixUp gives soft labels, so use categorical cross-entropy
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-color-jitter-grayscale-xrays-k3",
        cause="data.image_channels",
        exception="FailedPreconditionError",
        setup=xray_gray,
        expect="input must have 3 channels",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/xray", image_size=(48, 48), color_mode="grayscale", batch_size=6, seed=1)

        augment = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomColorJitter(value_range=(0, 255), brightness_factor=0.2,
                                     contrast_factor=0.2, saturation_factor=0.2, hue_factor=0.05),
        ])
        for images, _ in train_ds.take(1):
            preview = augment(images, training=True)
            print(preview.shape)
        """,
    ),
    Case(
        name="keras-more16-mixup-layer-on-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        setup=flowers,
        expect="MixUp",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1, label_mode="categorical")
        mixup = layers.MixUp(alpha=0.2)   # from the Keras 3 augmentation guide
        train_ds = train_ds.map(lambda x, y: tuple(mixup({"images": x, "labels": y}).values()))
        """,
    ),
    # ============================================================ image_dataset_from_directory options
    Case(
        name="keras-more16-dir-crop-and-pad-aspect-ratio-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers_wide,
        expect="pad_to_aspect_ratio",
        code="""
        import keras
        from keras import layers

        # phone photos are not square: keep their aspect ratio
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=4, seed=1,
            crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
        """ + TINY_CNN + """
        model = build_model(3)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-dir-pad-to-aspect-ratio-tf215",
        cause="env.version_incompat",
        exception="TypeError",
        env="tf215",
        setup=flowers_wide,
        expect="pad_to_aspect_ratio",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.25, subset="training", seed=7,
            image_size=(48, 48), batch_size=4, pad_to_aspect_ratio=True)
        val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.25, subset="validation", seed=7,
            image_size=(48, 48), batch_size=4, pad_to_aspect_ratio=True)
        print(train_ds.class_names)
        """,
    ),
    # ============================================================ CSV-driven loading
    Case(
        name="keras-more16-csv-string-lookup-no-oov-typo-label-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=pets_csv_typo,
        expect="num_oov_indices=0",
        code="""
        import csv
        import keras
        import tensorflow as tf
        from keras import layers

        CLASSES = ["cat", "dog", "rabbit"]
        with open("{DATA}/pets/labels.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/pets/images/" + r["filename"] for r in rows]
        labels = [r["label"] for r in rows]

        to_index = layers.StringLookup(vocabulary=CLASSES, num_oov_indices=0)

        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (40, 40)) / 255.0
            return img, to_index(label)

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).shuffle(32).batch(6)
        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-make-csv-dataset-label-name-not-in-header-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pets_csv_class_header,
        expect="label_name",
        code="""
        import tensorflow as tf

        train = tf.data.experimental.make_csv_dataset(
            "{DATA}/pets/train.csv", batch_size=4, label_name="label",
            num_epochs=1, shuffle=True)

        def load(features, label):
            img = tf.io.decode_png(tf.io.read_file(features["image_path"][0]), channels=3)
            return img, label

        for x, y in train.map(load).take(1):
            print(x.shape, y)
        """,
    ),
    Case(
        name="keras-more16-nb-to-categorical-class-name-strings-k3",
        cause="data.dtype",
        exception="ValueError",
        expect="invalid literal for int()",
        **notebook([
            """
            import csv
            import numpy as np
            import keras
            from keras import layers
            from PIL import Image
            """,
            """
            with open("{DATA}/pets/labels.csv") as f:
                rows = list(csv.DictReader(f))
            x = np.stack([np.asarray(Image.open("{DATA}/pets/images/" + r["filename"]), np.float32) / 255.0 for r in rows])
            y = np.array([r["label"] for r in rows])
            print(x.shape, y[:5])
            """,
            """
            y_onehot = keras.utils.to_categorical(y, num_classes=3)
            """,
        ], data=pets_csv),
    ),
    Case(
        name="keras-more16-to-categorical-in-dataset-map-tf215",
        cause="model.api_misuse",
        exception="NotImplementedError",
        env="tf215",
        setup=flowers,
        expect="Cannot convert a symbolic",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.utils import to_categorical

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        num_classes = len(train_ds.class_names)
        train_ds = train_ds.map(lambda x, y: (x / 255.0, to_categorical(y, num_classes)))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-box-csv-blank-coordinate-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=box_csv_blank,
        expect="could not convert string to float",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        images, boxes = [], []
        with open("{DATA}/signs/boxes.csv") as f:
            for row in csv.DictReader(f):
                img = Image.open("{DATA}/signs/images/" + row["filename"]).convert("RGB")
                w, h = img.size
                images.append(np.asarray(img, np.float32) / 255.0)
                boxes.append([float(row["xmin"]) / w, float(row["ymin"]) / h,
                              float(row["xmax"]) / w, float(row["ymax"]) / h])
        x, y = np.stack(images), np.array(boxes, np.float32)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    Case(
        name="keras-more16-np-eye-one-hot-class-id-equals-count-k3",
        cause="data.label_out_of_range",
        exception="IndexError",
        setup=pets_csv,
        expect="out of bounds",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        # ids as in the project's classes.txt: 1 = cat, 2 = dog, 3 = rabbit
        CLASS_IDS = {"cat": 1, "dog": 2, "rabbit": 3}
        NUM_CLASSES = 3
        with open("{DATA}/pets/labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open("{DATA}/pets/images/" + r["filename"]), np.float32) / 255.0 for r in rows])
        ids = np.array([CLASS_IDS[r["label"]] for r in rows])
        y = np.eye(NUM_CLASSES, dtype=np.float32)[ids]

        model = keras.Sequential([keras.Input((40, 40, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(NUM_CLASSES, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=6)
        """,
    ),
    Case(
        name="keras-more16-split-dataset-tutorial-fixed-sizes-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="left_size",
        code="""
        import keras
        import tensorflow as tf

        full_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=None, shuffle=True, seed=3)
        # 80 / 20 split as in the blog post
        train_ds, val_ds = keras.utils.split_dataset(full_ds, left_size=800, right_size=200, shuffle=True, seed=3)
        train_ds = train_ds.batch(8).prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.batch(8)
        """,
    ),
    # ============================================================ class weights
    Case(
        name="keras-more16-class-weight-and-sample-weight-arrays-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pets_csv,
        expect="class_weight",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        CLASSES = ["cat", "dog", "rabbit"]
        with open("{DATA}/pets/labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open("{DATA}/pets/images/" + r["filename"]), np.float32) / 255.0 for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])

        counts = np.bincount(y, minlength=len(CLASSES))
        class_weight = {i: len(y) / (len(CLASSES) * c) for i, c in enumerate(counts)}
        # and the photos taken by the new phone count double
        sample_weight = np.where(np.arange(len(y)) >= 12, 2.0, 1.0)

        model = keras.Sequential([keras.Input((40, 40, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=6, class_weight=class_weight, sample_weight=sample_weight)
        """,
    ),
    Case(
        name="keras-more16-class-weight-dataset-yields-weights-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pets_csv_class_header,
        expect="class_weight",
        code="""
        import csv
        import keras
        import tensorflow as tf
        from keras import layers

        with open("{DATA}/pets/train.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [r["image_path"] for r in rows]
        labels = [int(r["class"]) for r in rows]
        weights = [float(r["weight"]) for r in rows]

        def load(path, label, weight):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (40, 40)) / 255.0, label, weight

        ds = tf.data.Dataset.from_tensor_slices((paths, labels, weights)).map(load).batch(4)
        model = keras.Sequential([keras.Input((40, 40, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2, class_weight={0: 2.0, 1: 1.0, 2: 1.0})
        """,
    ),
    # ============================================================ Keras 2 code under Keras 3
    Case(
        name="keras-more16-custom-layer-add-weight-name-positional-k3",
        cause="env.version_incompat",
        exception="ValueError",
        setup=flowers,
        expect="must be passed as a keyword argument",
        code="""
        import keras
        from keras import layers

        class ChannelScale(layers.Layer):
            \"\"\"Learned per-channel scale (from a Keras 2 SE-net blog post).\"\"\"
            def build(self, input_shape):
                self.gamma = self.add_weight("gamma", shape=(input_shape[-1],), initializer="ones", trainable=True)

            def call(self, x):
                return x * self.gamma

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = keras.Sequential([
            keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
            layers.Conv2D(8, 3, activation="relu"), ChannelScale(),
            layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-batchnorm-fused-kwarg-keras2-code-k3",
        cause="env.version_incompat",
        exception="ValueError",
        setup=flowers,
        expect="Unrecognized keyword arguments",
        code="""
        import keras
        from keras import layers

        def conv_bn(x, filters):
            x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization(momentum=0.9, epsilon=1e-5, fused=True)(x)
            return layers.ReLU()(x)

        inputs = keras.Input((48, 48, 3))
        x = layers.Rescaling(1 / 255.0)(inputs)
        x = conv_bn(x, 16)
        x = layers.MaxPooling2D()(x)
        x = conv_bn(x, 32)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, layers.Dense(3, activation="softmax")(x))

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-compile-experimental-run-tf-function-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=flowers,
        expect="experimental_run_tf_function",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers, models

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = models.Sequential([
            layers.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
            layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Flatten(), layers.Dense(3, activation="softmax"),
        ])
        # TF 2.0 workaround from an old StackOverflow answer
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], experimental_run_tf_function=False)
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-keras3-callback-in-tf-keras-fit-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        setup=flowers,
        expect="_implements_train_batch_hooks",
        code="""
        import keras                      # Keras 3 (installed next to tf_keras)
        import tensorflow as tf           # TF_USE_LEGACY_KERAS=1: tf.keras is tf_keras

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = tf.keras.Sequential([
            tf.keras.Input((48, 48, 3)), tf.keras.layers.Rescaling(1 / 255.0),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        callbacks = [keras.callbacks.EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)]
        model.fit(train_ds, epochs=3, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more16-keras-backend-jax-from-kaggle-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=flowers,
        expect="jax",
        code="""
        import os
        os.environ["KERAS_BACKEND"] = "jax"   # copied from the Kaggle starter notebook

        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ reproducibility / performance switches
    Case(
        name="keras-more16-op-determinism-shuffle-without-seed-k3",
        cause="model.api_misuse",
        exception="RuntimeError",
        setup=pets_csv,
        expect="Random ops require a seed",
        code="""
        import csv
        import keras
        import tensorflow as tf
        from keras import layers

        # make runs reproducible
        tf.config.experimental.enable_op_determinism()

        CLASSES = ["cat", "dog", "rabbit"]
        with open("{DATA}/pets/labels.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/pets/images/" + r["filename"] for r in rows]
        labels = [CLASSES.index(r["label"]) for r in rows]

        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (40, 40)) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(len(paths)).map(load).batch(6)
        model = keras.Sequential([keras.Input((40, 40, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-op-determinism-dropout-no-seed-tf215",
        cause="model.api_misuse",
        exception="RuntimeError",
        env="tf215",
        setup=flowers,
        expect="Random ops require a seed",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        tf.config.experimental.enable_op_determinism()

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = tf.keras.Sequential([
            tf.keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
            layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Flatten(), layers.Dropout(0.3), layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-jit-compile-numpy-function-clahe-layer-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        setup=xray_gray,
        expect="Detected unsupported operations",
        code="""
        import keras
        import numpy as np
        import tensorflow as tf
        from keras import layers

        def stretch(batch):
            lo = batch.min(axis=(1, 2, 3), keepdims=True)
            hi = batch.max(axis=(1, 2, 3), keepdims=True)
            return ((batch - lo) / (hi - lo + 1e-6)).astype(np.float32)

        class ContrastStretch(layers.Layer):
            def call(self, x):
                y = tf.numpy_function(stretch, [x], tf.float32)
                return tf.reshape(y, tf.shape(x))

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/xray", image_size=(48, 48), color_mode="grayscale", batch_size=6, seed=1)
        model = keras.Sequential([
            keras.Input((48, 48, 1)), ContrastStretch(),
            layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        # XLA for speed, as the performance guide says
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"], jit_compile=True)
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-nb-threading-set-after-tf-started-k3",
        cause="model.api_misuse",
        exception="RuntimeError",
        expect="cannot be modified after initialization",
        **notebook([
            """
            import keras
            import tensorflow as tf
            from keras import layers
            print(tf.__version__, tf.config.list_physical_devices())
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
            for images, labels in train_ds.take(1):
                print(images.shape, labels.numpy())
            """,
            """
            # no GPU here: use all CPU cores for training
            import os
            tf.config.threading.set_intra_op_parallelism_threads(os.cpu_count())
            tf.config.threading.set_inter_op_parallelism_threads(2)
            """,
        ], data=flowers),
    ),
    # ============================================================ GPU checks on a CPU-only install
    Case(
        name="keras-more16-colab-gpu-device-name-guard-k3",
        cause="env.cuda_setup",
        exception="SystemError",
        setup=flowers,
        expect="GPU device not found",
        code="""
        import keras
        import tensorflow as tf
        from keras import layers

        device_name = tf.test.gpu_device_name()
        if device_name != "/device:GPU:0":
            raise SystemError("GPU device not found")
        print("Found GPU at: {}".format(device_name))

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-build-info-cuda-version-cpu-wheel-k3",
        cause="env.cuda_setup",
        exception="KeyError",
        expect="cuda_version",
        code="""
        import sys
        import keras
        import tensorflow as tf

        # print the environment at the top of every training log
        info = tf.sysconfig.get_build_info()
        print("python", sys.version.split()[0], "tensorflow", tf.__version__, "keras", keras.__version__)
        print("built with CUDA:", tf.test.is_built_with_cuda())
        print("CUDA", info["cuda_version"], "cuDNN", info["cudnn_version"])
        print("GPUs:", tf.config.list_physical_devices("GPU"))
        """,
    ),
    # ============================================================ exporting / resuming
    Case(
        name="keras-more16-tflite-from-saved-model-on-keras-file-k3",
        cause="model.api_misuse",
        exception="OSError",
        setup=flowers,
        expect="SavedModel file does not exist",
        code="""
        import keras
        import tensorflow as tf
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)
        model.save("flowers.keras")

        converter = tf.lite.TFLiteConverter.from_saved_model("flowers.keras")
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        open("flowers.tflite", "wb").write(converter.convert())
        """,
    ),
    Case(
        name="keras-more16-tflite-interpreter-given-keras-file-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=flowers,
        expect="model identifier",
        code="""
        import numpy as np
        import keras
        import tensorflow as tf
        from keras import layers
        from PIL import Image

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6),
                  epochs=1, verbose=2)
        model.save("flowers_model.keras")

        # the phone app test harness
        interpreter = tf.lite.Interpreter(model_path="flowers_model.keras")
        interpreter.allocate_tensors()
        img = np.asarray(Image.open("{DATA}/flowers/rose/rose_000.png").resize((48, 48)), np.float32)[None]
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], img)
        interpreter.invoke()
        """,
    ),
    Case(
        name="keras-more16-export-onnx-without-onnx-installed-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=flowers,
        expect="onnx",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)
        model.export("flowers.onnx", format="onnx")
        """,
    ),
    Case(
        name="keras-more16-backup-and-restore-after-new-class-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=flowers,
        expect="could not be loaded",
        code="""
        import shutil
        import keras
        from keras import layers

        def build(num_classes):
            model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                      layers.Conv2D(8, 3, activation="relu"),
                                      layers.GlobalAveragePooling2D(), layers.Dense(num_classes, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            return model

        class SessionTimeout(keras.callbacks.Callback):
            \"\"\"Stands in for the Colab runtime disconnecting after epoch 2.\"\"\"
            def on_epoch_end(self, epoch, logs=None):
                if epoch == 1:
                    raise KeyboardInterrupt("runtime disconnected")

        ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        try:
            build(3).fit(ds, epochs=10, verbose=2,
                         callbacks=[keras.callbacks.BackupAndRestore("backup"), SessionTimeout()])
        except KeyboardInterrupt as e:
            print("interrupted:", e)

        # meanwhile a 'sunflower' folder was added to the data set
        shutil.copytree("{DATA}/flowers/rose", "{DATA}/flowers/sunflower")
        ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = build(len(ds.class_names))
        model.fit(ds, epochs=10, verbose=2, callbacks=[keras.callbacks.BackupAndRestore("backup")])
        """,
    ),
    Case(
        name="keras-more16-nb-history-empty-after-resume-initial-epoch-k3",
        cause="model.api_misuse",
        exception="KeyError",
        expect="KeyError: 'loss'",
        **notebook([
            """
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
            model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                      layers.Conv2D(8, 3, activation="relu"),
                                      layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            EPOCHS = 3
            history = model.fit(train_ds, epochs=EPOCHS, verbose=2)
            model.save("stage1.keras")
            """,
            """
            # continue training for 3 more epochs
            model = keras.models.load_model("stage1.keras")
            history2 = model.fit(train_ds, epochs=EPOCHS, initial_epoch=EPOCHS, verbose=2)
            """,
            """
            loss = history.history["loss"] + history2.history["loss"]
            print(loss)
            """,
        ], data=flowers),
    ),
    # ============================================================ NumPy slips around detectors
    Case(
        name="keras-more16-yolo-single-object-label-loadtxt-1d-k3",
        cause="data.bbox_invalid",
        exception="IndexError",
        setup=yolo_labels,
        expect="too many indices",
        code="""
        import glob
        import os
        import numpy as np
        from PIL import Image

        MAX_BOXES = 4
        images, targets = [], []
        for img_path in sorted(glob.glob("{DATA}/yolo/images/*.png")):
            name = os.path.splitext(os.path.basename(img_path))[0]
            rows = np.loadtxt(f"{DATA}/yolo/labels/{name}.txt")
            boxes = np.zeros((MAX_BOXES, 5), np.float32)
            cls, xywh = rows[:, 0], rows[:, 1:]
            boxes[:len(rows), 0] = cls
            boxes[:len(rows), 1:] = xywh
            images.append(np.asarray(Image.open(img_path), np.float32) / 255.0)
            targets.append(boxes)
        x, y = np.stack(images), np.stack(targets)
        print(x.shape, y.shape)
        """,
    ),
    Case(
        name="keras-more16-two-head-detector-predict-list-sliced-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=box_csv_blank,
        expect="list indices must be integers or slices",
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        box = layers.Dense(4, activation="sigmoid", name="box")(x)
        cls = layers.Dense(2, activation="softmax", name="cls")(x)
        model = keras.Model(inputs, [box, cls])
        model.compile(optimizer="adam", loss=["mse", "sparse_categorical_crossentropy"])
        xs = np.random.rand(16, 64, 64, 3).astype("float32")
        model.fit(xs, [np.random.rand(16, 4), np.random.randint(0, 2, 16)], epochs=1, verbose=2)

        files = sorted(glob.glob("{DATA}/signs/images/*.png"))[:4]
        batch = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        pred = model.predict(batch)
        boxes, scores = pred[:, :4], pred[:, 4:]
        print(boxes * 64, scores.argmax(-1))
        """,
    ),
    Case(
        name="keras-more16-concatenate-extra-photos-other-size-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=extra_photos,
        expect="must match exactly",
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        # the base set: 32x32 crops saved as .npy by an earlier script
        x_base = np.random.rand(40, 32, 32, 3).astype("float32")
        y_base = np.random.randint(0, 2, 40)

        # add our own photos
        extra, extra_y = [], []
        for label, cls in enumerate(["cat", "dog"]):
            for f in sorted(glob.glob(f"{DATA}/extra/{cls}/*.png")):
                extra.append(np.asarray(Image.open(f).convert("RGB"), np.float32) / 255.0)
                extra_y.append(label)
        x_train = np.concatenate([x_base, np.stack(extra)])
        y_train = np.concatenate([y_base, extra_y])

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more16-mnist-reshape-layer-on-cifar-size-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="total size of the tensor must be unchanged",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # model from the MNIST notebook, now trained on 32x32 colour crops
        IMG_SHAPE = (32, 32, 3)
        model = keras.Sequential([
            keras.Input(IMG_SHAPE),
            layers.Flatten(),
            layers.Reshape((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(64, *IMG_SHAPE).astype("float32"), np.random.randint(0, 10, 64), epochs=2)
        """,
    ),
    # ============================================================ misc
    Case(
        name="keras-more16-regularizer-string-with-call-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="Could not interpret regularizer identifier",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = keras.Sequential([
            keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu", kernel_regularizer="l2(0.001)"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", kernel_regularizer="l2(0.001)"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more16-ops-image-resize-2d-grayscale-photo-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=xray_gray,
        expect="Invalid images rank",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        model = keras.Sequential([keras.Input((32, 32, 1)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")

        img = np.asarray(Image.open("{DATA}/xray/pneumonia/pneumonia_002.png"), np.float32) / 255.0
        img = keras.ops.image.resize(img, (32, 32))
        print("pneumonia probability:", float(model.predict(img[None])[0, 0]))
        """,
    ),
    Case(
        name="keras-more16-pydataset-lambda-augment-spawn-workers-k3",
        cause="env.multiprocessing",
        exception="UnknownError",
        setup=flowers,
        expect="Can't pickle local object",
        code="""
        import glob
        import multiprocessing as mp
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        CLASSES = ["daisy", "rose", "tulip"]

        class FlowerData(keras.utils.PyDataset):
            def __init__(self, root, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.items = [(f, i) for i, c in enumerate(CLASSES) for f in sorted(glob.glob(f"{root}/{c}/*.png"))]
                self.batch_size = batch_size
                self.augment = lambda img: img[:, ::-1] if np.random.rand() < 0.5 else img

            def __len__(self):
                return len(self.items) // self.batch_size

            def __getitem__(self, idx):
                chunk = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([self.augment(np.asarray(Image.open(f), np.float32) / 255.0) for f, _ in chunk])
                return x, np.array([label for _, label in chunk])

        if __name__ == "__main__":
            mp.set_start_method("spawn")   # as on macOS / Windows
            model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                      layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(FlowerData("{DATA}/flowers", workers=2, use_multiprocessing=True), epochs=2)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
