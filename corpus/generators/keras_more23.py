"""A twenty-third set of real Keras / TensorFlow failures, built around the seed causes
of the ImageAI ``Function call stack: train_function`` article as Keras / TF users meet
them in generator-based and ``tf.data`` training, on TF 2.12 / 2.15 (Keras 2, graph-mode
``Graph execution error`` / ``Detected at node`` forms) and TF 2.21 (Keras 3), in
scripts and notebooks:

- images of inconsistent size in a ``tf.data`` pipeline (a ``Resizing`` layer in the
  model while the dataset batches first), a ``Sequence`` that applies EXIF rotation
  after resizing, ``dtype=object`` arrays used to silence NumPy, ``tf.stack`` inside a
  ``PyDataset``, ``from_generator`` over scanned pages;
- inconsistent channel counts: RGBA validation icons through ``decode_image`` into a
  3-channel convolution, grey and colour X-rays in one ``PyDataset`` batch,
  ``random_saturation`` / ``grayscale_to_rgb`` on PNGs decoded as they are, an ImageNet
  ``Normalization`` layer on grey X-rays;
- detector targets with boxes negative or out of range: a CenterNet heatmap centre past
  the bottom, random crops that keep a box starting left of the image (NumPy and
  ``tf.random.uniform``), box masks drawn right to left with ``ImageDraw``, a
  ``SparseTensor`` YOLO target with a negative cell;
- class counts that do not match the labels or the head: an anchor head without the
  background slot, a stale head after concatenating a new folder, a confusion-matrix
  callback on a validation folder with an extra class, a class-weight vector one class
  short, a custom cross-entropy on a head one class short;
- custom models whose output the loss cannot use: a flat head given to a grid loss, a
  concatenated box+score tensor unpacked by the loss, a ``keepdims`` fully-convolutional
  head, an auto-encoder with one pooling too many, a model returning an attention map;
- objects passed where a file path is expected: a Colab upload dict to ``load_img``, a
  ``tf.data`` dataset to ``flow_from_directory``, an open file to ``load_model``, a model
  to ``load_weights``, ``None`` from a helper to ``load_model``, a ``ZipFile`` to
  ``image_dataset_from_directory``;
- learning rates high enough to make the loss NaN: ``TerminateOnNaN`` with a
  ``Sequence``, ``check_numerics`` in a custom ``train_step`` and in a custom loop, NaN
  boxes drawn by a preview callback, PCA of NaN embeddings with ``tf.linalg.eigh``, a
  TF1 histogram summary of NaN weights;
- calls out of order: HDF5 weights into an unbuilt subclassed model, ``output_shape`` /
  ``input_shape`` before the model was built or called, ``set_weights`` on a layer never
  called, trainable variables cached before the first call.

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more23.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, rgb, rng, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def shoes(d: Path):
    make_images(d / "shoes", ["boots", "sandals", "sneakers"], per_class=6, fmt="jpeg",
                sizes=[(64, 48), (48, 64), (80, 60)])


def plant_exif(d: Path):
    """Phone photos 96x64; every third one is stored sideways with EXIF orientation 6."""
    from PIL import Image
    r = rng(3)
    for c in ["healthy", "rust"]:
        for i in range(8):
            p = d / "plants" / c / f"IMG_{i:04d}.jpg"
            p.parent.mkdir(parents=True, exist_ok=True)
            img = Image.fromarray(r.integers(0, 255, size=(64, 96, 3), dtype="uint8"))
            if i % 3 == 2:
                exif = Image.Exif()
                exif[0x0112] = 6
                img.save(p, exif=exif)
            else:
                img.save(p)


def leaves(d: Path):
    make_images(d / "leaves", ["healthy", "blight"], per_class=6, fmt="jpeg",
                sizes=[(64, 64), (60, 80), (72, 64)])


def doc_scans(d: Path):
    make_images(d / "docs", ["invoice", "letter", "receipt"], per_class=4, mode="L",
                sizes=[(48, 64), (48, 96), (48, 80)])


def pages(d: Path):
    make_images(d / "pages", ["form", "id_card"], per_class=5, sizes=[(60, 80), (80, 60)])


def icons(d: Path):
    make_images(d / "icons" / "train", ["arrow", "gear"], per_class=8, size=(40, 40), fmt="jpeg")
    make_images(d / "icons" / "val", ["arrow", "gear"], per_class=4, size=(40, 40), mode="RGBA")


def xrays_two_hospitals(d: Path):
    """Hospital A exports RGB PNGs, hospital B 8-bit grey PNGs, in the same class folders."""
    r = rng(4)
    for c in ["normal", "pneumonia"]:
        for i in range(6):
            save_png(d / "xrays" / c / f"a_{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
            save_png(d / "xrays" / c / f"b_{i:03d}.png", r.integers(0, 255, size=(64, 64), dtype="uint8"))


def histo_tiles(d: Path):
    """Histology tiles: most RGB, the ones from the older scanner saved grey."""
    r = rng(5)
    for c in ["benign", "malignant"]:
        for i in range(8):
            shape = (48, 48) if i % 4 == 3 else (48, 48, 3)
            save_png(d / "tiles" / c / f"tile_{i:03d}.png", r.integers(0, 255, size=shape, dtype="uint8"))


def xray_gray(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=6, mode="L", size=(64, 64))


def crates(d: Path):
    """Warehouse frames 128x128 with crate boxes; frame 2 has a box drawn past the bottom edge."""
    r = rng(6)
    rows = ["file,xmin,ymin,xmax,ymax"]
    for i in range(12):
        save_png(d / "crates" / f"frame_{i:03d}.png", r.integers(0, 255, size=(128, 128, 3), dtype="uint8"))
        rows.append(f"frame_{i:03d}.png,{10 + i * 3},{20 + i * 2},{50 + i * 3},{60 + i * 2}")
    rows.append("frame_002.png,40,124,88,176")
    (d / "crates" / "boxes.csv").write_text("\n".join(rows) + "\n")


def plates(d: Path):
    """Car photos 128x128 with one plate box each; one box starts left of the image."""
    r = rng(7)
    rows = ["file,xmin,ymin,xmax,ymax"]
    for i in range(16):
        save_png(d / "cars" / f"car_{i:03d}.png", r.integers(0, 255, size=(128, 128, 3), dtype="uint8"))
        x1 = 20 + (i * 5) % 40
        if i == 9:
            x1 = -6
        rows.append(f"car_{i:03d}.png,{x1},{70 + i % 5},{x1 + 40},{86 + i % 5}")
    (d / "cars" / "plates.csv").write_text("\n".join(rows) + "\n")


def boats(d: Path):
    """Harbour photos with one boat box each; one exported with a negative xmin."""
    r = rng(8)
    rows = ["filename,xmin,ymin,xmax,ymax"]
    for i in range(16):
        save_png(d / "boats" / f"boat_{i:03d}.png", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        x1 = -7 if i == 11 else 8 + i
        rows.append(f"boat_{i:03d}.png,{x1},{30 + i},{x1 + 30},{60 + i}")
    (d / "boats" / "labels.csv").write_text("\n".join(rows) + "\n")


def parcels(d: Path):
    """Parcel photos with box annotations for box-supervised masks; one box dragged right to left."""
    r = rng(9)
    rows = ["file,xmin,ymin,xmax,ymax"]
    for i in range(12):
        save_png(d / "parcels" / f"p_{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        if i == 6:
            rows.append(f"p_{i:03d}.png,50,12,18,40")
        else:
            rows.append(f"p_{i:03d}.png,{8 + i},{10 + i},{40 + i},{44 + i // 2}")
    (d / "parcels" / "boxes.csv").write_text("\n".join(rows) + "\n")


def yolo_birds(d: Path):
    """YOLO txt labels (class cx cy w h); one bird half outside the left border."""
    r = rng(10)
    for i in range(12):
        save_png(d / "birds" / "images" / f"b_{i:03d}.png", r.integers(0, 255, size=(104, 104, 3), dtype="uint8"))
        cx = -0.04 if i == 5 else 0.2 + 0.05 * i
        (d / "birds" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "birds" / "labels" / f"b_{i:03d}.txt").write_text(f"0 {cx:.4f} 0.5000 0.2000 0.3000\n")


def fruit(d: Path):
    make_images(d / "fruit", ["apple", "banana", "cherry"], per_class=6, size=(48, 48), fmt="jpeg")
    make_images(d / "fruit_new", ["kiwi", "mango"], per_class=6, size=(48, 48), fmt="jpeg", seed=1)


def insects_with_extra_val(d: Path):
    make_images(d / "insects" / "train", ["ant", "bee", "wasp"], per_class=6, size=(48, 48))
    make_images(d / "insects" / "val", ["ant", "bee", "unknown", "wasp"], per_class=3, size=(48, 48), seed=2)


def weeds(d: Path):
    make_images(d / "weeds", ["clover", "dandelion", "grass", "nettle", "thistle"], per_class=4, size=(48, 48))


def flowers5(d: Path):
    make_images(d / "flowers", ["daisy", "iris", "rose", "sunflower", "tulip"], per_class=4, size=(48, 48),
                fmt="jpeg")


def digits(d: Path):
    import numpy as np
    r = rng(11)
    np.save(d / "digits.npy", r.random((64, 28, 28, 1)).astype("float32"))


def cats(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(64, 64), fmt="jpeg")
    d.joinpath("upload").mkdir()
    save_png(d / "upload" / "my_cat.png", rgb(80, 80, seed=12))


def flowers_zip(d: Path):
    import zipfile
    make_images(d / "unzipped" / "flower_photos", ["daisy", "tulip"], per_class=5, size=(48, 48), fmt="jpeg")
    with zipfile.ZipFile(d / "flower_photos.zip", "w") as z:
        for p in sorted((d / "unzipped").rglob("*.jpg")):
            z.write(p, p.relative_to(d / "unzipped"))


def crowd_counts(d: Path):
    r = rng(13)
    rows = ["file,count"]
    for i in range(24):
        save_png(d / "crowd" / f"c_{i:03d}.png", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"c_{i:03d}.png,{int(r.integers(5, 60))}")
    (d / "crowd" / "counts.csv").write_text("\n".join(rows) + "\n")


def cracks(d: Path):
    make_images(d / "cracks", ["crack", "no_crack"], per_class=6, size=(48, 48))


# ---------------------------------------------------------------- cases
CASES = [
    # ============================================================ image sizes
    Case(
        name="keras-more23-resizing-layer-in-model-dataset-batched-before-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=shoes,
        pty=True,
        expect="Cannot add tensor to the batch: number of elements does not match",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["boots", "sandals", "sneakers"]

        def load(path):
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return img, label

        files = tf.data.Dataset.list_files("{DATA}/shoes/*/*.jpg", shuffle=True, seed=7)
        train_ds = files.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8).prefetch(tf.data.AUTOTUNE)

        # the resizing is part of the model, so the exported model takes photos of any size
        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Resizing(96, 96),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES)),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more23-sequence-exif-transpose-after-resize-tf215",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf215",
        setup=plant_exif,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import math
        import numpy as np
        import tensorflow as tf
        from PIL import Image, ImageOps

        class PlantPhotos(tf.keras.utils.Sequence):
            def __init__(self, files, labels, batch_size=8):
                self.files, self.labels, self.batch_size = files, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def load(self, path):
                img = Image.open(path).convert("RGB")
                img = img.resize((96, 64))            # width x height of the field camera
                img = ImageOps.exif_transpose(img)     # phone photos are stored sideways
                return np.asarray(img, dtype="float32") / 255.0

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([self.load(f) for f in self.files[sl]])
                return x, np.array(self.labels[sl])

        files = sorted(glob.glob("{DATA}/plants/*/*.jpg"))
        labels = [0 if "/healthy/" in f else 1 for f in files]

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 96, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(PlantPhotos(files, labels), epochs=3)
        """,
    ),
    Case(
        name="keras-more23-object-dtype-array-silences-inhomogeneous-tf212",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf212",
        setup=leaves,
        expect="Unsupported object type numpy.ndarray",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        files = sorted(glob.glob("{DATA}/leaves/*/*.jpg"))
        images = [np.asarray(Image.open(f).convert("RGB"), dtype="float32") / 255.0 for f in files]
        labels = np.array([0 if "/healthy/" in f else 1 for f in files])

        # np.array(images) failed with "setting an array element with a sequence ...
        # inhomogeneous shape"; dtype=object makes the array
        x_train = np.array(images, dtype=object)
        print("x_train:", x_train.shape, x_train.dtype)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, labels, epochs=5, batch_size=4, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more23-pydataset-tf-stack-document-scans-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=doc_scans,
        expect="Shapes of all inputs must match",
        code="""
        import glob
        import math
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["invoice", "letter", "receipt"]

        class Scans(keras.utils.PyDataset):
            def __init__(self, files, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.files, self.batch_size = files, batch_size
                self.labels = np.array([CLASSES.index(f.split("/")[-2]) for f in files])

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                pages = [tf.io.decode_png(tf.io.read_file(f), channels=1) for f in self.files[sl]]
                x = tf.cast(tf.stack(pages), tf.float32) / 255.0
                return x, self.labels[sl]

        files = sorted(glob.glob("{DATA}/docs/*/*.png"))

        model = keras.Sequential([
            keras.Input((None, None, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalMaxPooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(Scans(files), epochs=2)
        """,
    ),
    Case(
        name="keras-more23-nb-from-generator-scanned-pages-batch-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        expect="Cannot batch tensors with different shapes",
        **notebook([
            """
            import glob
            import numpy as np
            import tensorflow as tf
            from PIL import Image
            """,
            """
            def pages():
                for f in sorted(glob.glob("{DATA}/pages/*/*.png")):
                    img = np.asarray(Image.open(f).convert("RGB"), dtype="float32") / 255.0
                    yield img, int("/id_card/" in f)

            ds = tf.data.Dataset.from_generator(
                pages,
                output_signature=(tf.TensorSpec(shape=(None, None, 3), dtype=tf.float32),
                                  tf.TensorSpec(shape=(), dtype=tf.int32)))
            train_ds = ds.shuffle(32, seed=3).batch(4).prefetch(1)
            train_ds.element_spec
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(None, None, 3)),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Conv2D(32, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=3)
            """,
        ], data=pages),
    ),
    # ============================================================ channels
    Case(
        name="keras-more23-decode-image-rgba-val-icons-conv-depth-tf215",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf215",
        setup=icons,
        pty=True,
        expect="input depth must be evenly divisible by filter depth",
        code="""
        import tensorflow as tf

        CLASSES = ["arrow", "gear"]

        def load(path):
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            img = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)   # jpg or png
            img = tf.image.resize(img, (64, 64)) / 255.0
            return img, label

        def make(pattern):
            return tf.data.Dataset.list_files(pattern, shuffle=False).map(load).batch(8)

        train_ds = make("{DATA}/icons/train/*/*")
        val_ds = make("{DATA}/icons/val/*/*")      # exported from the design tool

        model = tf.keras.Sequential([
            tf.keras.Input((64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more23-pydataset-pil-grey-and-colour-xrays-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=xrays_two_hospitals,
        expect="inhomogeneous shape",
        code="""
        import glob
        import math
        import random
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        class ChestXrays(keras.utils.PyDataset):
            def __init__(self, files, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.array([np.asarray(Image.open(f).resize((64, 64)), dtype="float32") / 255.0
                              for f in batch])
                y = np.array([1 if "/pneumonia/" in f else 0 for f in batch])
                return x, y

        files = sorted(glob.glob("{DATA}/xrays/*/*.png"))     # hospital A (a_*) and B (b_*)
        random.Random(0).shuffle(files)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ChestXrays(files), epochs=3)
        """,
    ),
    Case(
        name="keras-more23-map-random-saturation-grey-scanner-tiles-tf212",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf212",
        setup=histo_tiles,
        pty=True,
        expect="input must have 3 channels but instead has 1 channels",
        code="""
        import tensorflow as tf

        CLASSES = ["benign", "malignant"]

        def load(path):
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.convert_image_dtype(img, tf.float32)
            return img, label

        def stain_jitter(img, label):
            img = tf.image.random_saturation(img, 0.7, 1.3)
            img = tf.image.random_brightness(img, 0.1)
            return tf.image.resize(img, (48, 48)), label

        train_ds = (tf.data.Dataset.list_files("{DATA}/tiles/*/*.png", shuffle=True, seed=1)
                    .map(load).map(stain_jitter).batch(4))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more23-nb-imagenet-normalization-layer-grey-xray-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        expect="Unable to broadcast tensor of shape",
        **notebook([
            """
            import keras
            from keras import layers
            IMAGENET_MEAN = [0.485, 0.456, 0.406]
            IMAGENET_VAR = [0.229 ** 2, 0.224 ** 2, 0.225 ** 2]
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/xray", image_size=(64, 64), color_mode="grayscale", batch_size=4, seed=1)
            train_ds.element_spec
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 1)),
                layers.Rescaling(1.0 / 255),
                layers.Normalization(mean=IMAGENET_MEAN, variance=IMAGENET_VAR),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(2, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=3)
            """,
        ], data=xray_gray),
    ),
    Case(
        name="keras-more23-grayscale-to-rgb-on-mixed-scans-map-tf215",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf215",
        setup=histo_tiles,
        expect="Last dimension of a grayscale image should be size 1",
        code="""
        import tensorflow as tf

        CLASSES = ["benign", "malignant"]

        def load(path):
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.grayscale_to_rgb(img)          # the scanner writes grey tiles
            img = tf.image.resize(img, (48, 48)) / 255.0
            return img, label

        train_ds = (tf.data.Dataset.list_files("{DATA}/tiles/*/*.png", shuffle=False)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(16, seed=2).batch(4))

        base = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        base.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        base.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ boxes
    Case(
        name="keras-more23-sequence-centernet-heatmap-box-past-bottom-tf215",
        cause="data.bbox_invalid",
        exception="IndexError",
        env="tf215",
        setup=crates,
        expect="is out of bounds for axis 1 with size 32",
        code="""
        import csv
        import math
        from collections import defaultdict
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/crates"
        STRIDE = 4                       # 128 px frames -> 32x32 heatmap

        boxes = defaultdict(list)
        with open(f"{ROOT}/boxes.csv") as fh:
            for row in csv.DictReader(fh):
                boxes[row["file"]].append([int(row[k]) for k in ("xmin", "ymin", "xmax", "ymax")])

        class CrateHeatmaps(tf.keras.utils.Sequence):
            def __init__(self, files, batch_size=4):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                files = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.zeros((len(files), 128, 128, 3), "float32")
                y = np.zeros((len(files), 32, 32, 1), "float32")
                for j, f in enumerate(files):
                    x[j] = np.asarray(Image.open(f"{ROOT}/{f}"), "float32") / 255.0
                    for x1, y1, x2, y2 in boxes[f]:
                        cx = (x1 + x2) // 2 // STRIDE
                        cy = (y1 + y2) // 2 // STRIDE
                        y[j, cy, cx, 0] = 1.0
                return x, y

        inputs = tf.keras.Input((128, 128, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        heat = tf.keras.layers.Conv2D(1, 1, activation="sigmoid", name="heatmap")(h)
        model = tf.keras.Model(inputs, heat)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(CrateHeatmaps(sorted(boxes)), epochs=2)
        """,
    ),
    Case(
        name="keras-more23-pydataset-random-crop-box-left-of-image-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",     # the ValueError is raised inside the PyDataset's PyFunc
        env="k3",
        setup=plates,
        expect="high <= 0",
        code="""
        import csv
        import math
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/cars"
        CROP = 96

        with open(f"{ROOT}/plates.csv") as fh:
            rows = [(r["file"], [int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")]) for r in csv.DictReader(fh)]

        class PlateCrops(keras.utils.PyDataset):
            def __init__(self, rows, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.rows, self.batch_size = rows, batch_size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def random_crop(self, img, box):
                x1, y1, x2, y2 = box
                # a random 96x96 window that still contains the whole plate
                left = np.random.randint(max(0, x2 - CROP), min(x1, 128 - CROP) + 1)
                top = np.random.randint(max(0, y2 - CROP), min(y1, 128 - CROP) + 1)
                crop = img[top:top + CROP, left:left + CROP]
                return crop, np.array([x1 - left, y1 - top, x2 - left, y2 - top], "float32") / CROP

            def __getitem__(self, idx):
                xs, ys = [], []
                for f, box in self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    img = np.asarray(Image.open(f"{ROOT}/{f}"), "float32") / 255.0
                    crop, target = self.random_crop(img, box)
                    xs.append(crop)
                    ys.append(target)
                return np.stack(xs), np.stack(ys)

        model = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid", name="plate_box"),
        ])
        model.compile("adam", keras.losses.Huber())
        model.fit(PlateCrops(rows), epochs=3)
        """,
    ),
    Case(
        name="keras-more23-map-random-crop-offset-negative-xmin-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=boats,
        pty=True,
        expect="Need minval < maxval",
        code="""
        import csv
        import tensorflow as tf

        ROOT = "{DATA}/boats"
        with open(f"{ROOT}/labels.csv") as fh:
            rows = list(csv.DictReader(fh))
        paths = [f"{ROOT}/{r['filename']}" for r in rows]
        boxes = [[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows]

        def load_and_jitter(path, box):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            xmin, ymin = tf.cast(box[0], tf.int32), tf.cast(box[1], tf.int32)
            # cut away a random margin on the left / top that never cuts into the boat
            dx = tf.random.uniform([], 0, xmin + 1, dtype=tf.int32)
            dy = tf.random.uniform([], 0, ymin + 1, dtype=tf.int32)
            img = img[dy:, dx:]
            h, w = tf.cast(tf.shape(img)[0], tf.float32), tf.cast(tf.shape(img)[1], tf.float32)
            shifted = box - tf.cast(tf.stack([dx, dy, dx, dy]), tf.float32)
            target = shifted / tf.stack([w, h, w, h])
            return tf.image.resize(img, (96, 96)), target

        train_ds = (tf.data.Dataset.from_tensor_slices((paths, boxes))
                    .shuffle(16, seed=4).map(load_and_jitter).batch(4))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(96, 96, 3)),
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more23-sequence-box-masks-imagedraw-right-to-left-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",     # the ValueError is raised inside the Sequence's PyFunc
        env="tf212",
        setup=parcels,
        expect="x1 must be greater than or equal to x0",
        code="""
        import csv
        import math
        import numpy as np
        import tensorflow as tf
        from PIL import Image, ImageDraw

        ROOT = "{DATA}/parcels"
        with open(f"{ROOT}/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))

        class BoxSupervisedMasks(tf.keras.utils.Sequence):
            # no pixel masks yet: the box itself is the foreground mask
            def __init__(self, rows, batch_size=4):
                self.rows, self.batch_size = rows, batch_size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                xs, ms = [], []
                for r in self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    xs.append(np.asarray(Image.open(f"{ROOT}/{r['file']}"), "float32") / 255.0)
                    mask = Image.new("L", (64, 64), 0)
                    box = [int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")]
                    ImageDraw.Draw(mask).rectangle(box, fill=1)
                    ms.append(np.asarray(mask, "float32")[..., None])
                return np.stack(xs), np.stack(ms)

        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        mask = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = tf.keras.Model(inputs, mask)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(BoxSupervisedMasks(rows), epochs=2)
        """,
    ),
    Case(
        name="keras-more23-yolo-sparse-target-negative-cell-map-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=yolo_birds,
        pty=True,
        expect="is out of bounds: need 0 <= index <",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        GRID = 13
        images = sorted(glob.glob("{DATA}/birds/images/*.png"))
        labels = [np.loadtxt(p.replace("/images/", "/labels/").replace(".png", ".txt"), dtype="float32")[1:]
                  for p in images]

        def encode(path, box):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            gx = tf.cast(tf.floor(box[0] * GRID), tf.int64)
            gy = tf.cast(tf.floor(box[1] * GRID), tf.int64)
            cell = tf.stack([gy, gx])
            idx = tf.concat([tf.tile(cell[None], [5, 1]), tf.range(5, dtype=tf.int64)[:, None]], axis=1)
            target = tf.sparse.to_dense(tf.SparseTensor(idx, tf.concat([[1.0], box], 0), [GRID, GRID, 5]))
            return img, target

        train_ds = tf.data.Dataset.from_tensor_slices((images, np.stack(labels))).map(encode).batch(4)

        model = keras.Sequential([
            keras.Input((104, 104, 3)),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(5, 1, name="yolo_head"),
        ])
        model.compile("adam", "mse")
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ class counts
    Case(
        name="keras-more23-anchor-cls-head-no-background-slot-tf212",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf212",
        pty=True,
        expect="outside the valid range",
        code="""
        import numpy as np
        import tensorflow as tf

        CLASSES = ["car", "bus", "truck"]
        ANCHORS = 16
        rng = np.random.default_rng(0)

        def anchor_targets(n):
            # 0 = background, 1..3 = CLASSES (shifted by one for the background)
            cls = np.zeros((n, ANCHORS), "int32")
            for i in range(n):
                pos = rng.choice(ANCHORS, 3, replace=False)
                cls[i, pos] = rng.integers(0, len(CLASSES), 3) + 1
            return cls

        images = rng.random((32, 64, 64, 3)).astype("float32")
        train_ds = tf.data.Dataset.from_tensor_slices((images, anchor_targets(32))).batch(8)

        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        h = tf.keras.layers.Conv2D(len(CLASSES), 3, strides=4, padding="same")(h)   # 4x4 anchors
        logits = tf.keras.layers.Reshape((ANCHORS, len(CLASSES)), name="cls_logits")(h)
        model = tf.keras.Model(inputs, logits)
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more23-nb-concatenate-new-fruit-folder-head-old-count-tf215",
        cause="model.output_mismatch",
        # a class id past the head's size is also the labels' cause by the taxonomy (as keras_more21)
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tf215",
        expect="outside the valid range",
        **notebook([
            """
            import tensorflow as tf
            train_ds = tf.keras.utils.image_dataset_from_directory(
                "{DATA}/fruit", image_size=(48, 48), batch_size=8, seed=1)
            class_names = train_ds.class_names
            num_classes = len(class_names)
            print(class_names)
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
                tf.keras.layers.Conv2D(16, 3, activation="relu"),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Conv2D(32, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(num_classes),
            ])
            model.compile(optimizer="adam",
                          loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                          metrics=["accuracy"])
            model.fit(train_ds, epochs=1)
            """,
            """
            # the shop sent two more fruits: append them after the old classes and keep training
            new_ds = tf.keras.utils.image_dataset_from_directory(
                "{DATA}/fruit_new", image_size=(48, 48), batch_size=8, seed=1)
            class_names += new_ds.class_names
            new_ds = new_ds.map(lambda x, y: (x, y + 3))
            all_ds = train_ds.concatenate(new_ds).shuffle(8, seed=2)
            model.fit(all_ds, epochs=2)
            """,
        ], data=fruit),
    ),
    Case(
        name="keras-more23-confusion-matrix-callback-val-folder-extra-class-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=insects_with_extra_val,
        pty=True,
        expect="`labels` out of bound",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/insects/train", image_size=(48, 48),
                                                            batch_size=6, seed=1)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/insects/val", image_size=(48, 48),
                                                          batch_size=6, shuffle=False)
        CLASS_NAMES = train_ds.class_names

        class ConfusionMatrixLogger(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                y_true = np.concatenate([y.numpy() for _, y in val_ds])
                y_pred = np.argmax(self.model.predict(val_ds, verbose=0), axis=-1)
                cm = tf.math.confusion_matrix(y_true, y_pred, num_classes=len(CLASS_NAMES))
                print(f"epoch {epoch + 1} confusion matrix:\\n{cm.numpy()}")

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASS_NAMES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, callbacks=[ConfusionMatrixLogger()])
        """,
    ),
    Case(
        name="keras-more23-weighted-loss-gather-class-weights-one-short-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=weeds,
        pty=True,
        expect="is not in [0, 4)",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/weeds", image_size=(48, 48),
                                                            batch_size=8, seed=3)
        num_classes = len(train_ds.class_names)

        # inverse-frequency weights from the spring survey
        CLASS_WEIGHTS = tf.constant([1.0, 2.5, 0.6, 1.8])

        def weighted_sparse_ce(y_true, y_pred):
            y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int32)
            w = tf.gather(CLASS_WEIGHTS, y_true)
            ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
            return ce * w

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile("adam", weighted_sparse_ce, metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more23-flow-custom-xent-head-four-five-folders-tf212",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=flowers5,
        expect="Incompatible shapes",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        NUM_CLASSES = 4          # daisy, rose, sunflower, tulip

        gen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
        train_it = gen.flow_from_directory("{DATA}/flowers", target_size=(48, 48), batch_size=8,
                                           class_mode="categorical")

        def smoothed_xent(y_true, y_pred):
            y_true = y_true * 0.9 + 0.1 / NUM_CLASSES
            return -tf.reduce_sum(y_true * tf.math.log(y_pred + 1e-7), axis=-1)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=smoothed_xent, metrics=["accuracy"])
        model.fit(train_it, epochs=3)
        """,
    ),
    # ============================================================ model output vs loss
    Case(
        name="keras-more23-grid-loss-on-flat-dense-head-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        expect="input has only 2 dims",
        code="""
        import numpy as np
        import tensorflow as tf

        GRID, C = 8, 3
        rng = np.random.default_rng(0)
        x = rng.random((32, 64, 64, 3)).astype("float32")
        y = np.zeros((32, GRID, GRID, 5 + C), "float32")
        y[:, 3, 4, :5] = [1.0, 0.5, 0.5, 0.2, 0.3]

        def grid_loss(y_true, y_pred):
            obj_true = y_true[:, :, :, 0]
            obj_pred = y_pred[:, :, :, 0]
            xy_loss = tf.reduce_sum(obj_true[..., None] * tf.square(y_true[:, :, :, 1:3] - y_pred[:, :, :, 1:3]))
            wh_loss = tf.reduce_sum(obj_true[..., None] * tf.square(y_true[:, :, :, 3:5] - y_pred[:, :, :, 3:5]))
            obj_loss = tf.reduce_sum(tf.keras.losses.binary_crossentropy(obj_true[..., None], obj_pred[..., None],
                                                                         from_logits=True))
            return xy_loss + wh_loss + obj_loss

        # our own light backbone instead of darknet
        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        out = tf.keras.layers.Dense(GRID * GRID * (5 + C), name="detections")(h)
        model = tf.keras.Model(inputs, out)
        model.compile(optimizer="adam", loss=grid_loss)
        model.fit(x, y, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more23-detector-loss-unpacks-boxes-scores-one-tensor-k3",
        cause="model.output_mismatch",
        exception="OperatorNotAllowedInGraphError",
        env="k3",
        expect="Iterating over a symbolic",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 2
        rng = np.random.default_rng(1)
        images = rng.random((24, 64, 64, 3)).astype("float32")
        targets = np.concatenate([rng.random((24, 4)), np.eye(NUM_CLASSES)[rng.integers(0, 2, 24)]], 1).astype("float32")

        def detection_loss(y_true, y_pred):
            true_boxes, true_cls = y_true[:, :4], y_true[:, 4:]
            pred_boxes, pred_scores = y_pred              # the model returns (boxes, scores)
            box_loss = keras.losses.huber(true_boxes, pred_boxes)
            cls_loss = keras.losses.categorical_crossentropy(true_cls, pred_scores)
            return box_loss + cls_loss

        class TinyDetector(keras.Model):
            def __init__(self):
                super().__init__()
                self.backbone = keras.Sequential([
                    layers.Conv2D(16, 3, strides=2, activation="relu"),
                    layers.Conv2D(32, 3, strides=2, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                ])
                self.boxes = layers.Dense(4, activation="sigmoid")
                self.scores = layers.Dense(NUM_CLASSES, activation="softmax")

            def call(self, x):
                f = self.backbone(x)
                # one output tensor so the TFLite export has a single output
                return tf.concat([self.boxes(f), self.scores(f)], axis=-1)

        model = TinyDetector()
        model.compile(optimizer="adam", loss=detection_loss)
        model.fit(images, targets, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more23-fully-conv-keepdims-head-categorical-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        setup=flowers5,
        expect="must have the same rank",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48),
                                                            batch_size=8, label_mode="categorical", seed=1)
        n = len(train_ds.class_names)

        # all-convolutional head, so the same weights run on larger frames on the phone
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(keepdims=True),
            layers.Conv2D(n, 1, activation="softmax", name="classifier"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more23-denoise-autoencoder-three-poolings-28px-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        setup=digits,
        pty=True,
        expect="Dimensions must be equal, but are 28 and 24",
        code="""
        import numpy as np
        import keras
        from keras import layers

        clean = np.load("{DATA}/digits.npy")
        noisy = np.clip(clean + 0.3 * np.random.default_rng(0).normal(size=clean.shape), 0, 1).astype("float32")

        inputs = keras.Input((28, 28, 1))
        h = inputs
        for f in (32, 64, 64):
            h = layers.Conv2D(f, 3, padding="same", activation="relu")(h)
            h = layers.MaxPooling2D()(h)
        for f in (64, 64, 32):
            h = layers.Conv2DTranspose(f, 3, strides=2, padding="same", activation="relu")(h)
        outputs = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
        autoencoder = keras.Model(inputs, outputs)
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(noisy, clean, epochs=3, batch_size=16, validation_split=0.25)
        """,
    ),
    Case(
        name="keras-more23-subclassed-returns-attention-map-single-loss-tf215",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=weeds,
        expect="logits and labels must have the same first dimension",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/weeds", image_size=(48, 48),
                                                               batch_size=8, seed=5)
        NUM_CLASSES = len(train_ds.class_names)

        class AttentionNet(tf.keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.rescale = tf.keras.layers.Rescaling(1.0 / 255)
                self.conv1 = tf.keras.layers.Conv2D(16, 3, activation="relu")
                self.conv2 = tf.keras.layers.Conv2D(32, 3, activation="relu")
                self.attn = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")
                self.pool = tf.keras.layers.GlobalAveragePooling2D()
                self.head = tf.keras.layers.Dense(num_classes)

            def call(self, x):
                h = self.conv2(self.conv1(self.rescale(x)))
                a = self.attn(h)
                logits = self.head(self.pool(h * a))
                return logits, a            # the map is shown in the report notebook

        model = AttentionNet(NUM_CLASSES)
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ objects where a path is expected
    Case(
        name="keras-more23-nb-colab-upload-dict-to-load-img-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        expect="path should be path-like or io.BytesIO",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(64, 64),
                                                                batch_size=4, seed=1)
            class_names = train_ds.class_names
            model = keras.Sequential([
                keras.Input((64, 64, 3)), layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                layers.Dense(2, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=1, verbose=2)
            """,
            """
            # uploaded = files.upload()   (google.colab) -> {file name: file bytes}
            uploaded = {"my_cat.png": open("{DATA}/upload/my_cat.png", "rb").read()}
            """,
            """
            img = keras.utils.load_img(uploaded, target_size=(64, 64))
            x = keras.utils.img_to_array(img)[None]
            pred = model.predict(x)
            print(class_names[int(np.argmax(pred))])
            """,
        ], data=cats),
    ),
    Case(
        name="keras-more23-flow-from-directory-given-dir-dataset-tf212",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf212",
        setup=cats,
        expect="listdir: path should be",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(64, 64),
                                                               batch_size=8, seed=1)

        # add the augmentation from the ImageDataGenerator tutorial
        augment = ImageDataGenerator(rescale=1.0 / 255, rotation_range=20, zoom_range=0.15,
                                     horizontal_flip=True)
        train_it = augment.flow_from_directory(train_ds, target_size=(64, 64), batch_size=8,
                                               class_mode="binary")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_it, epochs=3)
        """,
    ),
    Case(
        name="keras-more23-load-model-given-open-file-handle-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=cats,
        expect="stat: path should be string",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # train.py part: quick model saved for the web demo
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(64, 64),
                                                            batch_size=4, seed=1, verbose=False)
        model = keras.Sequential([
            keras.Input((64, 64, 3)), layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(train_ds, epochs=1, verbose=2)
        model.save("pets.keras")

        # app.py part: the web framework hands over the uploaded model as a file object
        with open("pets.keras", "rb") as uploaded_model:
            served = keras.models.load_model(uploaded_model)
        img = keras.utils.img_to_array(keras.utils.load_img("{DATA}/upload/my_cat.png", target_size=(64, 64)))
        print(served.predict(img[None]))
        """,
    ),
    Case(
        name="keras-more23-load-weights-given-loaded-best-model-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        setup=cracks,
        expect="has no attribute 'endswith'",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/cracks", image_size=(48, 48),
                                                               batch_size=4, seed=1)

        def build():
            return tf.keras.Sequential([
                tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
                tf.keras.layers.Conv2D(16, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ])

        model = build()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        ckpt = tf.keras.callbacks.ModelCheckpoint("best_crack_model.h5", monitor="loss", save_best_only=True)
        model.fit(train_ds, epochs=2, callbacks=[ckpt], verbose=2)

        # evaluation: restore the best epoch into a fresh copy of the network
        best = tf.keras.models.load_model("best_crack_model.h5")
        final = build()
        final.load_weights(best)
        final.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        print(final.evaluate(train_ds))
        """,
    ),
    Case(
        name="keras-more23-load-model-path-from-helper-returns-none-tf212",
        cause="model.api_misuse",
        exception="OSError",
        env="tf212",
        setup=cracks,
        expect="Received: filepath=None",
        code="""
        import os
        import tensorflow as tf

        def train_and_save(data_dir, out_dir="models"):
            ds = tf.keras.utils.image_dataset_from_directory(data_dir, image_size=(48, 48), batch_size=4, seed=1)
            model = tf.keras.Sequential([
                tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
                tf.keras.layers.Conv2D(16, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(ds, epochs=2, verbose=2)
            os.makedirs(out_dir, exist_ok=True)
            model.save(os.path.join(out_dir, "crack_detector.h5"))

        model_path = train_and_save("{DATA}/cracks")
        detector = tf.keras.models.load_model(model_path)
        detector.summary()
        """,
    ),
    Case(
        name="keras-more23-nb-dir-dataset-given-zipfile-object-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        expect="Expected binary or unicode string",
        **notebook([
            """
            import zipfile
            import tensorflow as tf
            """,
            """
            zip_ref = zipfile.ZipFile("{DATA}/flower_photos.zip", "r")
            zip_ref.extractall("flowers_extracted")
            print(zip_ref.namelist()[:3])
            """,
            """
            train_ds = tf.keras.utils.image_dataset_from_directory(
                zip_ref, validation_split=0.2, subset="training", seed=123,
                image_size=(48, 48), batch_size=4)
            """,
        ], data=flowers_zip),
    ),
    # ============================================================ divergence
    Case(
        name="keras-more23-nb-terminate-on-nan-crowd-count-sequence-tf212",
        cause="optim.divergence",
        exception="",
        env="tf212",
        expect="Invalid loss, terminating training",
        **{**notebook([
            """
            import csv, math
            import numpy as np
            import tensorflow as tf
            from PIL import Image
            tf.keras.utils.set_random_seed(1)
            ROOT = "{DATA}/crowd"
            with open(f"{ROOT}/counts.csv") as fh:
                rows = [(r["file"], float(r["count"])) for r in csv.DictReader(fh)]
            """,
            """
            class CrowdImages(tf.keras.utils.Sequence):
                def __init__(self, rows, batch_size=4):
                    self.rows, self.batch_size = rows, batch_size
                def __len__(self):
                    return math.ceil(len(self.rows) / self.batch_size)
                def __getitem__(self, idx):
                    part = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                    x = np.stack([np.asarray(Image.open(f"{ROOT}/{f}"), "float32") / 255.0 for f, _ in part])
                    y = np.array([c for _, c in part], "float32")
                    return x, y
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Conv2D(32, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(1),
            ])
            model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=10.0), loss="mse", metrics=["mae"])
            history = model.fit(CrowdImages(rows), epochs=8, callbacks=[tf.keras.callbacks.TerminateOnNaN()])
            """,
            """
            history.history
            """,
        ], data=crowd_counts),
           # no exception: TerminateOnNaN ends the run quietly, with no cell traceback
           "forms": ()},
    ),
    Case(
        name="keras-more23-train-step-check-numerics-plate-boxes-sgd-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        setup=plates,
        pty=True,
        expect="box loss",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        keras.utils.set_random_seed(1)
        ROOT = "{DATA}/cars"
        with open(f"{ROOT}/plates.csv") as fh:
            rows = list(csv.DictReader(fh))
        images = np.stack([np.asarray(Image.open(f"{ROOT}/{r['file']}"), "float32") / 255.0 for r in rows])
        boxes = np.array([[abs(float(r[k])) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")

        class PlateDetector(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
                    loss = tf.debugging.check_numerics(loss, "box loss")
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}

        inputs = keras.Input((128, 128, 3))
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        out = layers.Dense(4, name="plate_box")(h)
        model = PlateDetector(inputs, out)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=10.0), loss="mse")
        ds = tf.data.Dataset.from_tensor_slices((images, boxes)).shuffle(16, seed=0).batch(4)
        model.fit(ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more23-custom-loop-check-numerics-keypoints-generator-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        expect="keypoint loss",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(0)
        rng = np.random.default_rng(0)

        def face_crops():
            while True:
                img = rng.random((64, 64, 3)).astype("float32")
                kps = rng.uniform(10, 54, size=(10,)).astype("float32")   # 5 landmarks in pixels
                yield img, kps

        ds = tf.data.Dataset.from_generator(
            face_crops, output_signature=(tf.TensorSpec((64, 64, 3), tf.float32), tf.TensorSpec((10,), tf.float32)))
        ds = ds.batch(8).take(40)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(10),
        ])
        optimizer = tf.keras.optimizers.SGD(learning_rate=1.0, momentum=0.9)

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                pred = model(x, training=True)
                loss = tf.reduce_mean(tf.square(pred - y))
                loss = tf.debugging.check_numerics(loss, "keypoint loss")
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(3):
            for step, (x, y) in enumerate(ds):
                loss = train_step(x, y)
                if step % 10 == 0:
                    print(f"epoch {epoch} step {step} loss {float(loss):.3f}")
        """,
    ),
    Case(
        name="keras-more23-preview-callback-draws-nan-box-k3",
        cause="optim.divergence",
        exception="ValueError",
        env="k3",
        setup=boats,
        expect="cannot convert float NaN to integer",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image, ImageDraw

        keras.utils.set_random_seed(1)
        ROOT = "{DATA}/boats"
        with open(f"{ROOT}/labels.csv") as fh:
            rows = list(csv.DictReader(fh))
        images = np.stack([np.asarray(Image.open(f"{ROOT}/{r['filename']}"), "float32") / 255.0 for r in rows])
        boxes = np.array([[max(0.0, float(r[k])) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")

        class DrawPrediction(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                box = np.clip(self.model.predict(images[:1], verbose=0)[0], 0, 95)
                x1, x2 = sorted(box[0::2])
                y1, y2 = sorted(box[1::2])
                preview = Image.fromarray((images[0] * 255).astype("uint8"))
                ImageDraw.Draw(preview).rectangle([int(x1), int(y1), int(x2), int(y2)], outline=(255, 0, 0), width=2)
                preview.save(f"preview_epoch{epoch + 1}.png")

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, name="boat_box"),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=10.0), loss="mse")
        model.fit(images, boxes, epochs=4, batch_size=4, callbacks=[DrawPrediction()])
        """,
    ),
    Case(
        name="keras-more23-nb-pca-eigh-of-nan-embeddings-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        expect="eigen decomposition was not successful",
        **notebook([
            """
            import csv
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            from PIL import Image
            keras.utils.set_random_seed(1)
            ROOT = "{DATA}/crowd"
            with open(f"{ROOT}/counts.csv") as fh:
                rows = list(csv.DictReader(fh))
            x = np.stack([np.asarray(Image.open(f"{ROOT}/{r['file']}"), "float32") / 255.0 for r in rows])
            y = np.array([float(r["count"]) for r in rows], "float32")
            """,
            """
            inputs = keras.Input((48, 48, 3))
            h = layers.Conv2D(16, 3, activation="relu")(inputs)
            h = layers.MaxPooling2D()(h)
            h = layers.Conv2D(32, 3, activation="relu")(h)
            emb = layers.GlobalAveragePooling2D(name="embedding")(h)
            out = layers.Dense(1)(emb)
            model = keras.Model(inputs, out)
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=10.0), loss="mse")
            model.fit(x, y, epochs=4, batch_size=4)
            """,
            """
            # 2-D projection of the embeddings for the report
            embedder = keras.Model(model.input, model.get_layer("embedding").output)
            e = tf.constant(embedder.predict(x, verbose=0))
            e = e - tf.reduce_mean(e, axis=0)
            cov = tf.matmul(e, e, transpose_a=True) / tf.cast(tf.shape(e)[0], tf.float32)
            eigvals, eigvecs = tf.linalg.eigh(cov)
            proj = tf.matmul(e, eigvecs[:, -2:])
            proj.shape
            """,
        ], data=crowd_counts),
    ),
    Case(
        name="keras-more23-tf1-histogram-summary-callback-nan-weights-tf212",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf212",
        setup=crowd_counts,
        expect="Nan in summary histogram",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        tf.keras.utils.set_random_seed(1)
        ROOT = "{DATA}/crowd"
        with open(f"{ROOT}/counts.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/{r['file']}"), "float32") / 255.0 for r in rows])
        y = np.array([float(r["count"]) for r in rows], "float32")

        class WeightHistograms(tf.keras.callbacks.Callback):
            # ported from our TF 1.x training script
            def on_epoch_end(self, epoch, logs=None):
                for w in self.model.trainable_weights:
                    tf.compat.v1.summary.histogram(w.name.replace(":", "_"), w)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=10.0), loss="mse")
        model.fit(x, y, epochs=8, batch_size=4, callbacks=[WeightHistograms()])
        """,
    ),
    # ============================================================ calls out of order
    Case(
        name="keras-more23-subclassed-load-h5-weights-before-call-tf212",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf212",
        setup=cracks,
        expect="which has not created its variables yet",
        code="""
        import numpy as np
        import tensorflow as tf

        class CrackNet(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.rescale = tf.keras.layers.Rescaling(1.0 / 255)
                self.conv = tf.keras.layers.Conv2D(16, 3, activation="relu")
                self.pool = tf.keras.layers.GlobalAveragePooling2D()
                self.out = tf.keras.layers.Dense(1, activation="sigmoid")

            def call(self, x):
                return self.out(self.pool(self.conv(self.rescale(x))))

        ds = tf.keras.utils.image_dataset_from_directory("{DATA}/cracks", image_size=(48, 48), batch_size=4, seed=1)
        net = CrackNet()
        net.compile(optimizer="adam", loss="binary_crossentropy")
        net.fit(ds, epochs=1, verbose=2)
        net.save_weights("cracknet.h5")

        # inspection script: rebuild the network and load the trained weights
        inspector = CrackNet()
        inspector.load_weights("cracknet.h5")
        images, _ = next(iter(ds))
        print(inspector.predict(images))
        """,
    ),
    Case(
        name="keras-more23-grid-size-from-output-shape-before-build-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        expect="has no defined output shape yet",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_ANCHORS, NUM_CLASSES = 3, 2

        detector = keras.Sequential([
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(NUM_ANCHORS * (5 + NUM_CLASSES), 1, name="head"),
        ], name="tiny_yolo")

        # the target encoder needs the grid size of the head
        grid = detector.output_shape[1]
        rng = np.random.default_rng(0)
        x = rng.random((16, 96, 96, 3)).astype("float32")
        y = np.zeros((16, grid, grid, NUM_ANCHORS * (5 + NUM_CLASSES)), "float32")
        detector.compile("adam", "mse")
        detector.fit(x, y, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more23-subclassed-input-shape-before-call-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        setup=cats,
        expect="has never been called and thus has no defined input shape",
        code="""
        import numpy as np
        import tensorflow as tf

        class PetNet(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.rescale = tf.keras.layers.Rescaling(1.0 / 255)
                self.conv = tf.keras.layers.Conv2D(16, 3, activation="relu")
                self.pool = tf.keras.layers.GlobalAveragePooling2D()
                self.out = tf.keras.layers.Dense(2, activation="softmax")

            def call(self, x):
                return self.out(self.pool(self.conv(self.rescale(x))))

        ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(64, 64), batch_size=4, seed=1)
        net = PetNet()
        net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        net.fit(ds, epochs=1, verbose=2)
        net.save_weights("ckpt/petnet")

        # predict.py
        model = PetNet()
        model.load_weights("ckpt/petnet")
        _, h, w, _ = model.input_shape
        img = tf.keras.utils.load_img("{DATA}/upload/my_cat.png", target_size=(h, w))
        print(model.predict(tf.keras.utils.img_to_array(img)[None]))
        """,
    ),
    Case(
        name="keras-more23-new-head-set-weights-before-call-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=fruit,
        expect="but the layer was expecting 0 weights",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/fruit", image_size=(48, 48), batch_size=8,
                                                            seed=1, verbose=False)
        v1 = keras.Sequential([
            keras.Input((48, 48, 3)), layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(name="features"),
            layers.Dense(3, activation="softmax", name="fruit"),
        ])
        v1.compile("adam", "sparse_categorical_crossentropy")
        v1.fit(train_ds, epochs=1, verbose=2)

        # v2: same backbone, a head with dropout; start from the v1 head weights
        head = layers.Dense(3, activation="softmax", name="fruit_v2")
        head.set_weights(v1.get_layer("fruit").get_weights())
        features = v1.get_layer("features").output
        v2 = keras.Model(v1.input, head(layers.Dropout(0.3)(features)))
        v2.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        v2.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more23-nb-trainable-variables-cached-before-first-call-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        expect="not enough values to unpack",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/weeds", image_size=(48, 48),
                                                                batch_size=8, seed=1)
            """,
            """
            class WeedNet(keras.Model):
                def __init__(self, n):
                    super().__init__()
                    self.rescale = layers.Rescaling(1.0 / 255)
                    self.conv = layers.Conv2D(16, 3, activation="relu")
                    self.pool = layers.GlobalAveragePooling2D()
                    self.out = layers.Dense(n)
                def call(self, x):
                    return self.out(self.pool(self.conv(self.rescale(x))))

            model = WeedNet(len(train_ds.class_names))
            optimizer = keras.optimizers.Adam(1e-3)
            loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
            train_vars = model.trainable_variables      # looked up once, outside the loop
            """,
            """
            for epoch in range(2):
                for x, y in train_ds:
                    with tf.GradientTape() as tape:
                        loss = loss_fn(y, model(x, training=True))
                    grads = tape.gradient(loss, train_vars)
                    optimizer.apply_gradients(zip(grads, train_vars))
                print(epoch, float(loss))
            """,
        ], data=weeds),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
