"""Untargeted held-out Keras 3 image-model failures (g111, scored 0.86 top-1 and 0.91 top-3 before any rule for it) of users who write modern Keras code:
``keras.ops`` inside custom layers and losses, custom layers with ``build()`` and
``compute_output_shape``, subclassed models, ``keras.utils.PyDataset`` loaders, ``.keras`` files with
``register_keras_serializable`` custom objects, ``keras.random`` seed generators, preprocessing layers
inside the model, learning-rate schedules and callbacks, mixed precision policies, spread over the
cause ids of the taxonomy:

- image sizes: a PyDataset that resizes phone photos to 160 x 120 and only then applies
  ``ImageOps.exif_transpose`` (portrait shots come out 120 x 160);
- channels: grey X-ray PNGs loaded by a PyDataset with ``[..., None]`` for a MobileNetV2 built for RGB;
- labels: species names mapped with ``StringLookup(vocabulary=CLASSES)`` left at its default OOV index
  (ids 1..5 for a five-way head);
- label shapes: ``CategoricalFocalCrossentropy`` on the integer labels of a directory dataset;
- dtypes: a class-balanced loss that picks per-class weights with ``ops.take(weights, y_true)`` (Keras
  hands the loss float labels);
- files: a PyDataset whose glob says ``Train/`` for a ``train/`` folder (length 0);
- model inputs: a ViT ``Patches`` layer whose ``compute_output_shape`` assumes the default 224 px
  while the model is built for 64 px, a subclassed model called on a dummy 64 px batch for the summary
  and fitted on 96 px photos;
- model outputs: a subclassed classifier whose ``call`` returns ``(logits, embedding)`` compiled with
  one sparse loss;
- weights: a squeeze-and-excite layer whose ``get_config`` leaves out ``ratio`` (``.keras`` reload),
  best weights loaded after a ``Normalization`` layer was added to the model (notebook);
- API: a warm-up schedule with a Python ``if`` on the step, a PyDataset ``__len__`` with ``/``, a
  cut-out layer that creates its ``SeedGenerator`` inside ``call``;
- divergence: a mixed_bfloat16 keypoint regressor on raw pixels and pixel targets with SGD momentum,
  ``TerminateOnNaN(raise_error=True)``;
- gradients: a crowd-counting head that rounds its output with ``ops.round``;
- host memory: a ViT with 4 px patches on 512 px photos (16 384 tokens in the attention) on a CPU box;
- versions: the TF mixed-precision guide's ``LossScaleOptimizer(dynamic=False, initial_scale=...)``,
  a Keras 3 ``.keras`` file opened from a TF_USE_LEGACY_KERAS=1 environment (tf_keras);
- workers: a PyDataset that reads its tiles from an open ``zipfile.ZipFile``, run with
  ``use_multiprocessing=True`` under the ``spawn`` start method;
- GPU setup: the ``set_memory_growth(gpus[0], True)`` cell run in a Kaggle CPU session (notebook);
- plain bugs: a list of conv widths named ``layers`` that shadows ``keras.layers``.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run in
a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more49.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g111): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more49.py"


# ---------------------------------------------------------------- data helpers
def phone_leaves(d: Path):
    """Phone photos stored landscape (160 x 120); every third one carries EXIF orientation 6
    (taken in portrait)."""
    from PIL import Image

    r = _rng(4901)
    k = 0
    for c in ("healthy", "powdery", "rust"):
        for i in range(6):
            p = d / "leaf_photos" / c / f"IMG_{4410 + k}.jpg"
            p.parent.mkdir(parents=True, exist_ok=True)
            img = Image.fromarray(r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))
            exif = Image.Exif()
            exif[0x010F] = "Apple"
            exif[0x0110] = "iPhone 12"
            if k % 3 == 1:
                exif[0x0112] = 6
            img.save(p, quality=90, exif=exif.tobytes())
            k += 1


def grey_xrays(d: Path):
    r = _rng(4902)
    for c in ("NORMAL", "PNEUMONIA"):
        for i in range(8):
            _png(d / "chest_xray" / "train" / c / f"person{i + 31}_{c.lower()}.png",
                 r.integers(0, 255, size=(112, 112), dtype="uint8"))


def birds_csv(d: Path):
    r = _rng(4903)
    classes = ["blue_tit", "robin", "sparrow", "starling", "wren"]
    rows = ["file,species"]
    for i in range(30):
        f = f"obs_{1000 + i}.jpg"
        _jpg(d / "garden_birds" / "images" / f, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"{f},{classes[i % 5]}")
    (d / "garden_birds" / "labels.csv").write_text("\n".join(rows) + "\n")


def defects(d: Path):
    make_images(d / "casting_defects" / "train", ["crack", "inclusion", "ok", "porosity", "scratch"], per_class=5,
                size=(64, 64), fmt="png", seed=4904)


def skin_imbalanced(d: Path):
    import numpy as np
    from PIL import Image

    r = _rng(4905)
    counts = {"akiec": 3, "bcc": 4, "mel": 5, "nv": 16}
    for c, n in counts.items():
        for i in range(n):
            p = d / "ham10000_small" / c / f"ISIC_{int(r.integers(10**6, 10**7))}.jpg"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(r.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)).save(p, quality=90)


def tiles_lower(d: Path):
    make_images(d / "dataset" / "train", ["annual_crop", "forest", "residential"], per_class=6, size=(64, 64),
                fmt="png", seed=4906)


def small_flowers(d: Path):
    make_images(d / "flowers", ["daisy", "dandelion", "roses"], per_class=6, size=(64, 64), fmt="jpeg", seed=4907)


def flowers_96(d: Path):
    make_images(d / "flower_photos", ["daisy", "dandelion", "roses", "tulips"], per_class=5, size=(120, 100),
                fmt="jpeg", seed=4908)


def retail(d: Path):
    make_images(d / "products" / "train", ["bottle", "can", "carton"], per_class=8, size=(64, 64), fmt="jpeg",
                seed=4909)


def fish(d: Path):
    make_images(d / "fish" / "train", ["bass", "carp", "pike", "trout"], per_class=6, size=(64, 64), fmt="jpeg",
                seed=4910)


def faces_keypoints(d: Path):
    import numpy as np

    r = _rng(4911)
    x = r.integers(0, 255, size=(64, 96, 96, 1), dtype="uint8")
    y = r.uniform(20, 76, size=(64, 30)).astype("float32")          # 15 (x, y) points in pixels
    np.savez(d / "facial_keypoints.npz", images=x, keypoints=y)


def crowd(d: Path):
    r = _rng(4912)
    rows = ["image,count"]
    for i in range(24):
        f = f"seq_{i + 1:06d}.jpg"
        _jpg(d / "mall_dataset" / "frames" / f, r.integers(0, 255, size=(72, 96, 3), dtype="uint8"))
        rows.append(f"{f},{int(r.integers(13, 53))}")
    (d / "mall_dataset" / "counts.csv").write_text("\n".join(rows) + "\n")


def big_photos(d: Path):
    make_images(d / "aerial" / "train", ["ships", "no_ships"], per_class=4, size=(512, 512), fmt="jpeg", seed=4913)


def cars(d: Path):
    make_images(d / "stanford_cars_small" / "train", ["coupe", "sedan", "suv", "van"], per_class=5, size=(64, 64),
                fmt="jpeg", seed=4914)


def keras3_model(d: Path):
    flowers_96(d)
    (d / "models").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.RandomFlip("horizontal"),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ], name="flowers_v3")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("models/flowers_v3.keras")
        """, d)


def eurosat_zip(d: Path):
    import shutil
    import zipfile

    make_images(d / "_build" / "EuroSAT_RGB", ["Forest", "Highway", "River", "SeaLake"], per_class=6,
                size=(64, 64), fmt="jpeg", seed=4915)
    with zipfile.ZipFile(d / "EuroSAT_RGB.zip", "w") as z:
        for p in sorted((d / "_build").rglob("*.jpg")):
            z.write(p, p.relative_to(d / "_build").as_posix())
    shutil.rmtree(d / "_build")


def pets(d: Path):
    make_images(d / "pets" / "train", ["abyssinian", "beagle", "bengal", "pug"], per_class=6, size=(64, 64),
                fmt="jpeg", seed=4916)


def scenes(d: Path):
    make_images(d / "scenes", ["beach", "city", "forest"], per_class=8, size=(64, 64), fmt="jpeg", seed=4917)


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more49-phone-leaf-photos-pydataset-resize-then-exif-transpose-np-stack-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=phone_leaves,
        pty=True,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image, ImageOps

        IMG_W, IMG_H = 160, 120
        ROOT = "{DATA}/leaf_photos"
        CLASSES = sorted(os.listdir(ROOT))
        paths = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths]


        class LeafPhotos(keras.utils.PyDataset):
            def __init__(self, paths, labels, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.paths = paths
                self.labels = np.array(labels)
                self.batch_size = batch_size
                self.order = np.random.default_rng(42).permutation(len(paths))

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def load(self, path):
                img = Image.open(path).resize((IMG_W, IMG_H))
                img = ImageOps.exif_transpose(img)          # phone photos: respect the camera orientation
                return np.asarray(img.convert("RGB"), dtype="float32")

            def __getitem__(self, idx):
                ids = self.order[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([self.load(self.paths[i]) for i in ids])
                return x, self.labels[ids]

            def on_epoch_end(self):
                np.random.default_rng().shuffle(self.order)


        train = LeafPhotos(paths, labels, batch_size=8, workers=2)

        model = keras.Sequential([
            keras.Input((IMG_H, IMG_W, 3)),
            layers.Rescaling(1.0 / 255),
            layers.RandomFlip("horizontal"),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.AdamW(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train, epochs=5)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more49-grey-xray-pngs-pydataset-channel-axis-mobilenetv2-rgb-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=grey_xrays,
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        IMG = 96
        CLASSES = ["NORMAL", "PNEUMONIA"]
        paths = sorted(glob.glob("{DATA}/chest_xray/train/*/*.png"))
        labels = np.array([CLASSES.index(p.split(os.sep)[-2]) for p in paths], dtype="float32")


        class XRays(keras.utils.PyDataset):
            def __init__(self, paths, labels, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.paths, self.labels, self.batch_size = paths, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([np.asarray(Image.open(p).resize((IMG, IMG)), dtype="float32")[..., None]
                              for p in self.paths[sl]])
                return x, self.labels[sl]


        base = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False, weights=None,
                                              pooling="avg")
        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
        x = base(x)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(name="auc")])
        model.fit(XRays(paths, labels), epochs=3, verbose=2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more49-bird-species-stringlookup-default-oov-index-five-unit-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=birds_csv,
        pty=True,
        expect="outside the valid range",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        CLASSES = ["blue_tit", "robin", "sparrow", "starling", "wren"]
        rows = list(csv.DictReader(open("{DATA}/garden_birds/labels.csv")))
        files = ["{DATA}/garden_birds/images/" + r["file"] for r in rows]
        species = [r["species"] for r in rows]

        to_id = layers.StringLookup(vocabulary=CLASSES)


        def load(path, name):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (IMG, IMG))
            return img, to_id(name)


        train_ds = (tf.data.Dataset.from_tensor_slices((files, species))
                    .shuffle(len(files), seed=7)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Rescaling(1.0 / 255),
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.1),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more49-casting-defects-categorical-focal-loss-int-directory-labels-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=defects,
        pty=True,
        expect="Incompatible shapes",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/casting_defects/train", image_size=(64, 64), batch_size=8, seed=3)
        class_names = train_ds.class_names

        augment = keras.Sequential([layers.RandomFlip(), layers.RandomContrast(0.2)], name="augment")

        inputs = keras.Input((64, 64, 3))
        x = augment(inputs)
        x = layers.Rescaling(1.0 / 255)(x)
        for filters in (32, 64, 128):
            x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.Activation("relu")(x)
            x = layers.MaxPooling2D()(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(len(class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)

        # the "ok" class dominates the real line data: focal loss down-weights the easy examples
        model.compile(optimizer=keras.optimizers.Adam(3e-4),
                      loss=keras.losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=8)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more49-class-balanced-loss-ops-take-weights-by-float-y-true-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=skin_imbalanced,
        expect="has DataType float32",
        code="""
        import numpy as np
        import keras
        from keras import layers, ops

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/ham10000_small", image_size=(64, 64), batch_size=8, seed=11)
        class_names = train_ds.class_names
        counts = np.array([len(list(train_ds.file_paths)) and sum(p.split("/")[-2] == c for p in train_ds.file_paths)
                           for c in class_names], dtype="float32")

        # "Class-Balanced Loss Based on Effective Number of Samples" (Cui et al. 2019)
        BETA = 0.999
        effective = (1.0 - np.power(BETA, counts)) / (1.0 - BETA)
        weights = 1.0 / effective
        weights = weights / weights.sum() * len(class_names)
        CLASS_W = ops.convert_to_tensor(weights, dtype="float32")
        print(dict(zip(class_names, np.round(weights, 3))))


        def class_balanced_ce(y_true, y_pred):
            w = ops.take(CLASS_W, y_true)
            ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
            return ops.mean(w * ce)


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=class_balanced_ce, metrics=["accuracy"])
        model.fit(train_ds, epochs=10, verbose=2)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more49-eurosat-pydataset-glob-capital-train-folder-length-zero-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=tiles_lower,
        expect="length 0",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        DATA_DIR = "{DATA}/dataset"
        BATCH = 16


        class Tiles(keras.utils.PyDataset):
            def __init__(self, split, batch_size=BATCH, shuffle=True, **kwargs):
                super().__init__(**kwargs)
                self.files = sorted(glob.glob(os.path.join(DATA_DIR, split, "*", "*.png")))
                self.classes = sorted({os.path.basename(os.path.dirname(f)) for f in self.files})
                self.batch_size = batch_size
                self.shuffle = shuffle
                self.on_epoch_end()

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def on_epoch_end(self):
                self.index = np.arange(len(self.files))
                if self.shuffle:
                    np.random.shuffle(self.index)

            def __getitem__(self, idx):
                ids = self.index[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(self.files[i]).convert("RGB"), "float32") / 255.0 for i in ids])
                y = np.array([self.classes.index(os.path.basename(os.path.dirname(self.files[i]))) for i in ids])
                return x, y


        train = Tiles("Train", workers=4)
        print("classes:", train.classes)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train, epochs=10)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more49-vit-patches-layer-compute-output-shape-default-224-at-64px-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        setup=small_flowers,
        pty=True,
        expect="Incompatible shapes",
        code="""
        import keras
        from keras import layers, ops

        IMAGE_SIZE = 64          # was 224 in the keras.io example; 64 trains much faster on the laptop
        PATCH = 16
        DIM = 64


        @keras.saving.register_keras_serializable(package="vit")
        class Patches(layers.Layer):
            def __init__(self, patch_size, image_size=224, **kwargs):
                super().__init__(**kwargs)
                self.patch_size = patch_size
                self.image_size = image_size

            def call(self, images):
                patches = ops.image.extract_patches(images, size=self.patch_size)
                batch = ops.shape(patches)[0]
                return ops.reshape(patches, (batch, -1, self.patch_size * self.patch_size * 3))

            def compute_output_shape(self, input_shape):
                num_patches = (self.image_size // self.patch_size) ** 2
                return (input_shape[0], num_patches, self.patch_size * self.patch_size * 3)

            def get_config(self):
                return {**super().get_config(), "patch_size": self.patch_size, "image_size": self.image_size}


        @keras.saving.register_keras_serializable(package="vit")
        class PatchEncoder(layers.Layer):
            def __init__(self, projection_dim, **kwargs):
                super().__init__(**kwargs)
                self.projection_dim = projection_dim

            def build(self, input_shape):
                num_patches = input_shape[1]
                self.projection = layers.Dense(self.projection_dim)
                self.projection.build(input_shape)
                self.position_embedding = self.add_weight(
                    name="position_embedding", shape=(1, num_patches, self.projection_dim),
                    initializer=keras.initializers.RandomNormal(stddev=0.02))

            def call(self, patches):
                return self.projection(patches) + self.position_embedding

            def compute_output_shape(self, input_shape):
                return (*input_shape[:-1], self.projection_dim)

            def get_config(self):
                return {**super().get_config(), "projection_dim": self.projection_dim}


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(IMAGE_SIZE, IMAGE_SIZE), batch_size=8, seed=5)

        inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        x = Patches(PATCH)(x)
        x = PatchEncoder(DIM)(x)
        for _ in range(2):
            h = layers.LayerNormalization(epsilon=1e-6)(x)
            h = layers.MultiHeadAttention(num_heads=4, key_dim=DIM // 4, dropout=0.1)(h, h)
            x = layers.Add()([x, h])
            h = layers.LayerNormalization(epsilon=1e-6)(x)
            h = layers.Dense(DIM * 2, activation="gelu")(h)
            h = layers.Dense(DIM)(h)
            x = layers.Add()([x, h])
        x = layers.GlobalAveragePooling1D()(layers.LayerNormalization(epsilon=1e-6)(x))
        outputs = layers.Dense(3)(x)
        model = keras.Model(inputs, outputs, name="tiny_vit")
        model.summary()

        model.compile(optimizer=keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more49-subclassed-cnn-dummy-64px-batch-for-summary-fitted-on-96px-photos-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=flowers_96,
        expect="incompatible",
        code="""
        import argparse

        import keras
        from keras import layers

        parser = argparse.ArgumentParser()
        parser.add_argument("--data", default="{DATA}/flower_photos")
        parser.add_argument("--img-size", type=int, default=96)
        parser.add_argument("--epochs", type=int, default=10)
        args = parser.parse_args()


        class FlowerNet(keras.Model):
            def __init__(self, num_classes, **kwargs):
                super().__init__(**kwargs)
                self.rescale = layers.Rescaling(1.0 / 255)
                self.conv1 = layers.Conv2D(32, 3, padding="same", activation="relu")
                self.pool1 = layers.MaxPooling2D()
                self.conv2 = layers.Conv2D(64, 3, padding="same", activation="relu")
                self.pool2 = layers.MaxPooling2D()
                self.flatten = layers.Flatten()
                self.fc = layers.Dense(128, activation="relu")
                self.dropout = layers.Dropout(0.5)
                self.out = layers.Dense(num_classes)

            def call(self, x, training=False):
                x = self.rescale(x)
                x = self.pool1(self.conv1(x))
                x = self.pool2(self.conv2(x))
                x = self.flatten(x)
                x = self.dropout(self.fc(x), training=training)
                return self.out(x)


        train_ds = keras.utils.image_dataset_from_directory(
            args.data, image_size=(args.img_size, args.img_size), batch_size=8, seed=1)

        model = FlowerNet(num_classes=len(train_ds.class_names))
        model(keras.ops.zeros((1, 64, 64, 3)))        # run one dummy batch so the weights exist for summary()
        model.summary()
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=args.epochs)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more49-subclassed-classifier-returns-logits-and-embedding-one-loss-k3",
        cause="model.output_mismatch",
        also=("model.api_misuse",),
        exception="KeyError",
        setup=retail,
        pty=True,
        expect="can't be found",
        code="""
        import keras
        from keras import layers, ops

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/products/train", image_size=(64, 64), batch_size=8, seed=2)
        NUM_CLASSES = len(train_ds.class_names)


        class ProductNet(keras.Model):
            \"\"\"Classifier that also gives back its L2-normalised embedding (used for retrieval later).\"\"\"

            def __init__(self, num_classes, embed_dim=64, **kwargs):
                super().__init__(**kwargs)
                self.backbone = keras.Sequential([
                    layers.Rescaling(1.0 / 255),
                    layers.Conv2D(32, 3, activation="relu"),
                    layers.MaxPooling2D(),
                    layers.Conv2D(64, 3, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                ])
                self.embed = layers.Dense(embed_dim)
                self.classifier = layers.Dense(num_classes)

            def call(self, images, training=False):
                feats = self.backbone(images, training=training)
                emb = self.embed(feats)
                emb = emb / ops.sqrt(ops.sum(ops.square(emb), axis=-1, keepdims=True) + 1e-12)
                return self.classifier(emb), emb


        model = ProductNet(NUM_CLASSES)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more49-se-block-get-config-leaves-out-ratio-keras-file-reload-k3",
        cause="model.weights_mismatch",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=fish,
        code="""
        import keras
        from keras import layers, ops


        @keras.saving.register_keras_serializable(package="fishnet")
        class SqueezeExcite(layers.Layer):
            def __init__(self, ratio=16, **kwargs):
                super().__init__(**kwargs)
                self.ratio = ratio

            def build(self, input_shape):
                channels = input_shape[-1]
                self.squeeze = layers.Dense(max(channels // self.ratio, 1), activation="relu")
                self.excite = layers.Dense(channels, activation="sigmoid")
                self.squeeze.build((input_shape[0], channels))
                self.excite.build((input_shape[0], max(channels // self.ratio, 1)))

            def call(self, x):
                s = ops.mean(x, axis=(1, 2))
                s = self.excite(self.squeeze(s))
                return x * s[:, None, None, :]

            def compute_output_shape(self, input_shape):
                return input_shape

            def get_config(self):
                return super().get_config()


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/fish/train", image_size=(64, 64), batch_size=8, seed=4)

        inputs = keras.Input((64, 64, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        for filters in (32, 64):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            x = SqueezeExcite(ratio=4)(x)
            x = layers.MaxPooling2D()(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(len(train_ds.class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)
        model.save("fishnet_se.keras")

        # sanity check before uploading the model
        reloaded = keras.models.load_model("fishnet_se.keras")
        print(reloaded.evaluate(train_ds, verbose=0))
        """,
    ),
    Case(
        name="keras-more49-nb-normalization-layer-added-then-best-weights-loaded-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        **notebook([
            """
            import keras
            from keras import layers

            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/stanford_cars_small/train", image_size=(64, 64), batch_size=8, seed=21,
                validation_split=0.2, subset="both")
            class_names = train_ds.class_names
            """,
            """
            def build_model():
                return keras.Sequential([
                    keras.Input((64, 64, 3)),
                    layers.Rescaling(1.0 / 255),
                    layers.Conv2D(32, 3, activation="relu"),
                    layers.MaxPooling2D(),
                    layers.Conv2D(64, 3, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                    layers.Dense(len(class_names), activation="softmax"),
                ])

            model = build_model()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            ckpt = keras.callbacks.ModelCheckpoint("best.weights.h5", monitor="val_accuracy",
                                                   save_best_only=True, save_weights_only=True)
            history = model.fit(train_ds, validation_data=val_ds, epochs=2, callbacks=[ckpt], verbose=2)
            """,
            """
            # per-channel standardisation instead of /255 -- adapt on the training images,
            # then continue from the best checkpoint
            norm = layers.Normalization(axis=-1)
            norm.adapt(train_ds.map(lambda x, y: x))

            def build_model():
                return keras.Sequential([
                    keras.Input((64, 64, 3)),
                    norm,
                    layers.Conv2D(32, 3, activation="relu"),
                    layers.MaxPooling2D(),
                    layers.Conv2D(64, 3, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                    layers.Dense(len(class_names), activation="softmax"),
                ])

            model = build_model()
            model.load_weights("best.weights.h5")
            model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            history2 = model.fit(train_ds, validation_data=val_ds, epochs=3, callbacks=[ckpt], verbose=2)
            """,
        ], data=cars),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more49-warmup-cosine-schedule-python-if-on-step-tensor-k3",
        cause="model.api_misuse",
        also=("other",),
        exception="OperatorNotAllowedInGraphError",
        setup=pets,
        pty=True,
        expect="Python `bool`",
        code="""
        import math

        import keras
        from keras import layers, ops


        class WarmupCosine(keras.optimizers.schedules.LearningRateSchedule):
            def __init__(self, base_lr, warmup_steps, total_steps):
                self.base_lr = base_lr
                self.warmup_steps = warmup_steps
                self.total_steps = total_steps

            def __call__(self, step):
                step = ops.cast(step, "float32")
                if step < self.warmup_steps:
                    return self.base_lr * step / self.warmup_steps
                progress = (step - self.warmup_steps) / (self.total_steps - self.warmup_steps)
                return 0.5 * self.base_lr * (1.0 + ops.cos(math.pi * progress))

            def get_config(self):
                return {"base_lr": self.base_lr, "warmup_steps": self.warmup_steps,
                        "total_steps": self.total_steps}


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/pets/train", image_size=(64, 64), batch_size=8, seed=9)
        EPOCHS = 20
        steps = EPOCHS * train_ds.cardinality().numpy()
        schedule = WarmupCosine(1e-3, warmup_steps=int(0.1 * steps), total_steps=int(steps))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.AdamW(learning_rate=schedule, weight_decay=0.05),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=EPOCHS)
        """,
    ),
    Case(
        name="keras-more49-pydataset-len-true-division-returns-float-k3",
        cause="model.api_misuse",
        also=("other",),
        exception="TypeError",
        setup=scenes,
        expect="'float' object cannot be interpreted as an integer",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers

        CLASSES = ["beach", "city", "forest"]


        class SceneDataset(keras.utils.PyDataset):
            def __init__(self, root, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
                self.batch_size = batch_size

            def __len__(self):
                return len(self.files) / self.batch_size

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f, target_size=(64, 64)))
                              for f in batch])
                y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in batch])
                return x / 255.0, y


        train = SceneDataset("{DATA}/scenes", batch_size=8, workers=2)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train, epochs=5)
        """,
    ),
    Case(
        name="keras-more49-random-cutout-layer-seed-generator-created-in-call-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=small_flowers,
        expect="tf.function only supports singleton tf.Variables",
        code="""
        import keras
        from keras import layers, ops


        class RandomCutout(layers.Layer):
            \"\"\"Zero out one random square per image (training only).\"\"\"

            def __init__(self, size=16, seed=None, **kwargs):
                super().__init__(**kwargs)
                self.size = size
                self.seed = seed

            def call(self, images, training=None):
                if not training:
                    return images
                gen = keras.random.SeedGenerator(self.seed)
                shape = ops.shape(images)
                h, w = shape[1], shape[2]
                cy = keras.random.randint((shape[0], 1, 1), 0, h, seed=gen)
                cx = keras.random.randint((shape[0], 1, 1), 0, w, seed=gen)
                ys = ops.arange(h)[None, :, None]
                xs = ops.arange(w)[None, None, :]
                inside = (ops.abs(ys - cy) < self.size // 2) & (ops.abs(xs - cx) < self.size // 2)
                return images * ops.cast(~inside, images.dtype)[..., None]

            def compute_output_shape(self, input_shape):
                return input_shape


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(64, 64), batch_size=8, seed=13)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.RandomFlip("horizontal", seed=1),
            RandomCutout(16, seed=1337),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5, verbose=2)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more49-mixed-bfloat16-keypoint-regressor-raw-pixels-sgd-terminate-on-nan-k3",
        cause="optim.divergence",
        exception="RuntimeError",
        setup=faces_keypoints,
        pty=True,
        expect="NaN or Inf loss",
        code="""
        import numpy as np
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_bfloat16")     # the Xeon has AMX: bf16 is fast here
        keras.utils.set_random_seed(0)

        data = np.load("{DATA}/facial_keypoints.npz")
        x = data["images"].astype("float32")          # 96 x 96 grey faces, 0..255
        y = data["keypoints"]                          # 15 (x, y) points in pixels
        print(x.shape, y.shape, y.min(), y.max())

        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(128, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(256, activation="relu"),
            layers.Dense(30, dtype="float32"),        # keep the regression output in float32
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True),
                      loss="mse", metrics=["mae"])
        model.fit(x, y, batch_size=16, epochs=20, validation_split=0.2,
                  callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more49-crowd-count-head-ops-round-integer-output-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=crowd,
        expect="No gradients provided",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers, ops

        rows = list(csv.DictReader(open("{DATA}/mall_dataset/counts.csv")))
        files = ["{DATA}/mall_dataset/frames/" + r["image"] for r in rows]
        counts = np.array([float(r["count"]) for r in rows], dtype="float32")


        def load(path, count):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (72, 96))
            return img, count


        train_ds = tf.data.Dataset.from_tensor_slices((files, counts)).shuffle(32, seed=3).map(load).batch(8)


        class CountHead(layers.Layer):
            \"\"\"People counts are whole, non-negative numbers.\"\"\"

            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = layers.Dense(1)

            def build(self, input_shape):
                self.dense.build(input_shape)

            def call(self, x):
                return ops.round(ops.relu(self.dense(x)))

            def compute_output_shape(self, input_shape):
                return (input_shape[0], 1)


        model = keras.Sequential([
            keras.Input((72, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            CountHead(),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mae", metrics=["mse"])
        model.fit(train_ds, epochs=20, verbose=2)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more49-vit-4px-patches-512px-aerial-photos-attention-cpu-oom-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=big_photos,
        as_limit=12 * 1024**3,
        pty=True,
        expect="OOM",
        code="""
        import keras
        from keras import layers, ops

        IMAGE_SIZE = 512       # the ships are a few pixels wide: keep the full resolution
        PATCH = 4              # ... and small patches
        DIM = 64

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/aerial/train", image_size=(IMAGE_SIZE, IMAGE_SIZE), batch_size=4, seed=6)


        class AddPositionEmbedding(layers.Layer):
            def build(self, input_shape):
                self.pos = self.add_weight(name="pos", shape=(1, input_shape[1], input_shape[2]),
                                           initializer=keras.initializers.RandomNormal(stddev=0.02))

            def call(self, x):
                return x + self.pos


        inputs = keras.Input((IMAGE_SIZE, IMAGE_SIZE, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        x = layers.Conv2D(DIM, PATCH, strides=PATCH)(x)                   # patch embedding
        x = layers.Reshape(((IMAGE_SIZE // PATCH) ** 2, DIM))(x)
        x = AddPositionEmbedding()(x)
        for _ in range(2):
            h = layers.LayerNormalization(epsilon=1e-6)(x)
            h = layers.MultiHeadAttention(num_heads=4, key_dim=DIM // 4)(h, h)
            x = layers.Add()([x, h])
            h = layers.LayerNormalization(epsilon=1e-6)(x)
            h = layers.Dense(DIM * 2, activation="gelu")(h)
            x = layers.Add()([x, layers.Dense(DIM)(h)])
        x = layers.GlobalAveragePooling1D()(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        print("tokens per image:", (IMAGE_SIZE // PATCH) ** 2)

        model.compile(optimizer=keras.optimizers.AdamW(1e-4), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more49-mixed-precision-guide-loss-scale-optimizer-dynamic-false-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=small_flowers,
        expect="no longer supports",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(64, 64), batch_size=8, seed=17)


        class Net(keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.body = keras.Sequential([
                    layers.Rescaling(1.0 / 255),
                    layers.Conv2D(32, 3, activation="relu"),
                    layers.MaxPooling2D(),
                    layers.Conv2D(64, 3, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                ])
                self.head = layers.Dense(num_classes)
                self.act = layers.Activation("softmax", dtype="float32")

            def call(self, x, training=False):
                return self.act(self.head(self.body(x, training=training)))


        model = Net(len(train_ds.class_names))
        loss_fn = keras.losses.SparseCategoricalCrossentropy()
        # from the TensorFlow mixed precision guide: a fixed loss scale for the custom loop
        optimizer = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam(1e-3), dynamic=False,
                                                             initial_scale=1024)


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
                scaled = optimizer.scale_loss(loss)
            grads = tape.gradient(scaled, model.trainable_variables)
            optimizer.apply(grads, model.trainable_variables)
            return loss


        for epoch in range(5):
            for x, y in train_ds:
                loss = train_step(x, y)
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more49-keras3-keras-file-loaded-from-legacy-keras-environment-tfk2",
        cause="env.version_incompat",
        env="tfk2",
        exception="TypeError",
        expect="batch_shape",
        setup=keras3_model,
        code="""
        import os

        import numpy as np
        import tensorflow as tf

        print("TF_USE_LEGACY_KERAS =", os.environ.get("TF_USE_LEGACY_KERAS"))
        print("tf.keras is", tf.keras.__name__)

        # the model a teammate trained on Colab (Keras 3) -- evaluate it on our photos
        model = tf.keras.models.load_model("{DATA}/models/flowers_v3.keras")
        test_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flower_photos", image_size=(96, 96), batch_size=8, shuffle=False)
        loss, acc = model.evaluate(test_ds)
        print(f"accuracy {acc:.3f}")
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more49-eurosat-pydataset-reads-from-open-zipfile-spawn-workers-k3",
        cause="env.multiprocessing",
        exception="InvalidArgumentError",
        setup=eurosat_zip,
        expect="cannot pickle",
        code="""
        import io
        import math
        import multiprocessing as mp
        import zipfile

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image


        class EuroSATZip(keras.utils.PyDataset):
            \"\"\"Reads the tiles straight out of the Kaggle zip (27k small files unpack slowly).\"\"\"

            def __init__(self, zip_path, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.zf = zipfile.ZipFile(zip_path)
                self.names = sorted(n for n in self.zf.namelist() if n.endswith(".jpg"))
                self.classes = sorted({n.split("/")[1] for n in self.names})
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.names) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.names[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(io.BytesIO(self.zf.read(n))).convert("RGB"), "float32") / 255.0
                              for n in batch])
                y = np.array([self.classes.index(n.split("/")[1]) for n in batch])
                return x, y


        def main():
            train = EuroSATZip("{DATA}/EuroSAT_RGB.zip", batch_size=8, workers=2, use_multiprocessing=True)
            print(len(train.names), "tiles,", len(train.classes), "classes")

            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(train.classes), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train, epochs=3, verbose=2)


        if __name__ == "__main__":
            # macOS starts worker processes with spawn; do the same on the Linux box so both behave alike
            mp.set_start_method("spawn", force=True)
            main()
        """,
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more49-nb-kaggle-cpu-session-set-memory-growth-first-gpu-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        **notebook([
            """
            import os
            os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"

            import tensorflow as tf
            import keras
            from keras import layers
            print(tf.__version__, keras.__version__)
            """,
            """
            # don't let TensorFlow grab the whole P100
            gpus = tf.config.list_physical_devices("GPU")
            tf.config.experimental.set_memory_growth(gpus[0], True)
            keras.mixed_precision.set_global_policy("mixed_float16")
            print("GPUs:", gpus)
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/scenes", image_size=(64, 64), batch_size=8, seed=1)
            """,
        ], data=scenes),
    ),
    # =================================================================== other
    Case(
        name="keras-more49-conv-widths-list-named-layers-shadows-keras-layers-k3",
        cause="other",
        exception="AttributeError",
        setup=pets,
        expect="'list' object has no attribute",
        code="""
        import keras
        from keras import layers

        # ---- config
        IMG = 64
        layers = [32, 64, 128]          # conv widths per stage
        DROPOUT = 0.3
        EPOCHS = 10

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/pets/train", image_size=(IMG, IMG), batch_size=8, seed=8)


        def build_model(num_classes):
            inputs = keras.Input((IMG, IMG, 3))
            x = keras.layers.Rescaling(1.0 / 255)(inputs)
            for filters in layers:
                x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
                x = keras.layers.MaxPooling2D()(x)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dropout(DROPOUT)(x)
            outputs = layers.Dense(num_classes, activation="softmax")(x)
            return keras.Model(inputs, outputs)


        model = build_model(len(train_ds.class_names))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=EPOCHS)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
