"""More real Keras / tf.data failures, spread over the taxonomy: folders of images
(image_dataset_from_directory, ImageDataGenerator), tf.data decoding and parsing,
segmentation masks, losses vs label encodings, transfer-learning heads
(applications with weights=None: nothing is downloaded), custom layers and
GradientTape loops, saving / loading, callbacks, mixed precision on CPU, NaN
checks, Keras 2 habits under Keras 3.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

The cases were first written to a separate folder and scored before any rule was written
for them (a held-out measure); they now live in corpus/cases/generated/ like the others.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def seg_void_255(d: Path):
    """VOC-style segmentation: class ids 0..2 plus 255 on object boundaries."""
    import numpy as np
    rng = np.random.default_rng(0)
    for i in range(12):
        img = rng.integers(0, 255, size=(64, 64, 3), dtype=np.uint8)
        m = rng.integers(0, 3, size=(64, 64)).astype(np.uint8)
        m[20:22, :] = 255            # "void" border pixels
        _png(d / "voc" / "JPEGImages" / f"{i:04d}.png", img)
        _png(d / "voc" / "SegmentationClass" / f"{i:04d}.png", m)


def seg_binary_0_255(d: Path):
    """Binary masks saved as black/white PNGs (0 and 255)."""
    import numpy as np
    rng = np.random.default_rng(1)
    for i in range(10):
        img = rng.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)
        m = np.zeros((48, 48), np.uint8)
        m[10:30, 12:40] = 255
        _png(d / "cells" / "images" / f"cell_{i:02d}.png", img)
        _png(d / "cells" / "masks" / f"cell_{i:02d}.png", m)


def seg_mixed_sizes(d: Path):
    """Images and masks of several sizes (the pipeline resizes only the images)."""
    import numpy as np
    rng = np.random.default_rng(2)
    sizes = [(96, 128), (120, 160), (96, 128), (100, 100)]
    for i in range(8):
        h, w = sizes[i % len(sizes)]
        _png(d / "roads" / "img" / f"r{i:02d}.png", rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8))
        _png(d / "roads" / "mask" / f"r{i:02d}.png", rng.integers(0, 2, size=(h, w)).astype(np.uint8))


def seg_small(d: Path):
    import numpy as np
    rng = np.random.default_rng(3)
    for i in range(8):
        _png(d / "seg" / "img" / f"s{i:02d}.png", rng.integers(0, 255, size=(100, 100, 3), dtype=np.uint8))
        _png(d / "seg" / "mask" / f"s{i:02d}.png", rng.integers(0, 4, size=(100, 100)).astype(np.uint8))


def three_classes(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(40, 40), fmt="jpeg")


def four_classes(d: Path):
    make_images(d / "weather", ["cloudy", "rain", "shine", "sunrise"], per_class=6, size=(48, 48), fmt="jpeg")


def flat_folder(d: Path):
    # all images dumped in one folder, no class sub-folders
    make_images(d / "tmp_classes", ["dataset"], per_class=12, size=(32, 32), fmt="jpeg")
    for p in (d / "tmp_classes" / "dataset").iterdir():
        p.rename(d / "tmp_classes" / p.name)
    (d / "tmp_classes" / "dataset").rmdir()
    (d / "dataset").mkdir(exist_ok=True)
    for p in (d / "tmp_classes").iterdir():
        p.rename(d / "dataset" / p.name)
    (d / "tmp_classes").rmdir()


def html_in_folder(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=20, size=(40, 40), fmt="jpeg")
    # a scraper saved a login page under a .jpg name
    (d / "pets" / "dog" / "dog_013.jpg").write_text(
        "<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>\n")


def truncated_png(d: Path):
    make_images(d / "leaves", ["healthy", "blight"], per_class=6, size=(64, 64), fmt="png")
    p = d / "leaves" / "blight" / "blight_004.png"
    b = p.read_bytes()
    p.write_bytes(b[: len(b) // 2])


def gray_pngs(d: Path):
    make_images(d / "scans", ["benign", "malignant"], per_class=5, size=(64, 64), mode="L")


def rgba_screenshot(d: Path):
    import numpy as np
    rng = np.random.default_rng(4)
    _png(d / "screenshot.png", rng.integers(0, 255, size=(128, 128, 4), dtype=np.uint8))


def csv_missing_field(d: Path):
    import numpy as np
    rng = np.random.default_rng(5)
    rows = ["sepal_length,sepal_width,petal_length,petal_width,species"]
    for i in range(120):
        vals = [f"{v:.1f}" for v in rng.uniform(1, 7, size=4)]
        if i == 57:
            vals[2] = ""                       # an empty cell in the export
        rows.append(",".join(vals) + f",{i % 3}")
    (d / "iris.csv").write_text("\n".join(rows) + "\n")


def tfrecord_float_labels(d: Path):
    import numpy as np
    import tensorflow as tf
    rng = np.random.default_rng(6)
    with tf.io.TFRecordWriter(str(d / "train.tfrecord")) as w:
        for i in range(32):
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image": tf.train.Feature(float_list=tf.train.FloatList(value=rng.random(16).tolist())),
                # the exporter wrote the class id as a float
                "label": tf.train.Feature(float_list=tf.train.FloatList(value=[float(i % 4)])),
            }))
            w.write(ex.SerializeToString())


# ---------------------------------------------------------------- cases
CASES = [
    # ============================================================ image size mismatch
    Case(
        name="keras-more-seg-masks-not-resized-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=seg_mixed_sizes,
        script="train_seg.py",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        imgs = sorted(glob.glob("{DATA}/roads/img/*.png"))
        masks = sorted(glob.glob("{DATA}/roads/mask/*.png"))

        def load(img_path, mask_path):
            img = tf.io.decode_png(tf.io.read_file(img_path), channels=3)
            img = tf.image.resize(img, (96, 128)) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            return img, mask

        ds = tf.data.Dataset.from_tensor_slices((imgs, masks)).map(load).batch(4)

        inp = keras.Input((96, 128, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        out = layers.Conv2D(2, 1, activation="softmax")(x)
        model = keras.Model(inp, out)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ image channels
    Case(
        name="keras-more-preprocess-input-grayscale-k3",
        cause="data.image_channels",
        exception="IndexError",
        env="k3",
        setup=gray_pngs,
        script="finetune.py",
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import keras

        paths = sorted(glob.glob("{DATA}/scans/*/*.png"))
        X = np.stack([np.asarray(Image.open(p), dtype="float32")[..., None] for p in paths])
        y = np.array([int("/malignant/" in p) for p in paths])
        X = keras.applications.resnet50.preprocess_input(X)
        base = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        model.fit(X, y, epochs=1)
        """,
    ),
    Case(
        name="keras-more-predict-rgba-screenshot-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=rgba_screenshot,
        script="predict.py",
        code="""
        import numpy as np
        from PIL import Image
        import tensorflow as tf

        model = tf.keras.applications.MobileNetV2(weights=None, input_shape=(128, 128, 3), classes=5)
        img = np.asarray(Image.open("{DATA}/screenshot.png").resize((128, 128)), dtype="float32")
        x = tf.keras.applications.mobilenet_v2.preprocess_input(img[None])
        probs = model.predict(x)
        print(probs.argmax())
        """,
    ),
    # ============================================================ label out of range
    Case(
        name="keras-more-seg-mask-void-255-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=seg_void_255,
        script="train_voc.py",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        imgs = sorted(glob.glob("{DATA}/voc/JPEGImages/*.png"))
        masks = sorted(glob.glob("{DATA}/voc/SegmentationClass/*.png"))

        def load(i, m):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(i), channels=3), tf.float32) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(m), channels=1)
            return img, mask

        ds = tf.data.Dataset.from_tensor_slices((imgs, masks)).map(load).batch(4)
        inp = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        out = layers.Conv2D(NUM_CLASSES, 1)(x)
        model = keras.Model(inp, out)
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more-seg-binary-mask-255-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=seg_binary_0_255,
        script="unet_cells.py",
        code="""
        import glob
        import tensorflow as tf

        imgs = sorted(glob.glob("{DATA}/cells/images/*.png"))
        masks = sorted(glob.glob("{DATA}/cells/masks/*.png"))

        def load(i, m):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(i), channels=3), tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(m), channels=1)   # 0 = background, 255 = cell
            return img, mask

        ds = tf.data.Dataset.from_tensor_slices((imgs, masks)).map(load).batch(2)
        inp = tf.keras.Input((48, 48, 3))
        x = tf.keras.layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
        out = tf.keras.layers.Conv2D(2, 1, activation="softmax")(x)
        model = tf.keras.Model(inp, out)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more-dir-four-classes-head-three-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="k3",
        setup=four_classes,
        script="train.py",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/weather", image_size=(48, 48), batch_size=8, seed=1)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),     # cloudy / rain / shine
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ label shape / encoding
    Case(
        name="keras-more-dir-categorical-labels-sparse-loss-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=three_classes,
        script="train.py",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", label_mode="categorical", image_size=(40, 40), batch_size=6)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(40, 40, 3)),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(3),
        ])
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more-dir-binary-label-mode-three-classes-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        setup=three_classes,
        script="train.py",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", label_mode="binary", image_size=(40, 40), batch_size=8)
        """,
    ),
    Case(
        name="keras-more-seg-onehot-mask-sparse-loss-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        script="train_seg.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 4
        x = np.random.rand(16, 32, 32, 3).astype("float32")
        m = np.random.randint(0, NUM_CLASSES, size=(16, 32, 32))
        y = keras.utils.to_categorical(m, NUM_CLASSES)          # (16, 32, 32, 4) one-hot masks
        inp = keras.Input((32, 32, 3))
        h = layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
        out = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(h)
        model = keras.Model(inp, out)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(x, y, batch_size=4, epochs=1)
        """,
    ),
    Case(
        name="keras-more-generator-labels-extra-axis-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        def samples():
            for _ in range(64):
                x = np.random.rand(20).astype("float32")
                y = tf.keras.utils.to_categorical([np.random.randint(5)], 5)   # shape (1, 5)
                yield x, y

        ds = tf.data.Dataset.from_generator(
            samples,
            output_signature=(tf.TensorSpec((20,), tf.float32), tf.TensorSpec((1, 5), tf.float32)),
        ).batch(8)
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(20,)),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ dtype
    Case(
        name="keras-more-mixed-precision-custom-layer-constant-k3",
        cause="data.dtype",
        exception="TypeError",
        env="k3",
        script="train_amp.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")

        class PositionalBias(layers.Layer):
            def build(self, input_shape):
                self.table = tf.constant(np.linspace(0, 1, input_shape[-1]), dtype=tf.float32)

            def call(self, x):
                return x + self.table

        inp = keras.Input((16,))
        h = layers.Dense(16)(inp)
        h = PositionalBias()(h)
        out = layers.Dense(1, dtype="float32")(h)
        model = keras.Model(inp, out)
        model.compile("adam", "mse")
        model.fit(np.random.rand(64, 16), np.random.rand(64, 1), epochs=1)
        """,
    ),
    Case(
        name="keras-more-mixed-precision-custom-layer-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        script="train_amp.py",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.mixed_precision.set_global_policy("mixed_float16")

        class Gate(tf.keras.layers.Layer):
            def call(self, x):
                scale = tf.ones((x.shape[-1],), dtype=tf.float32) * 0.5
                return tf.multiply(x, scale)

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(16, input_shape=(16,)),
            Gate(),
            tf.keras.layers.Dense(1, dtype="float32"),
        ])
        model.compile("adam", "mse")
        model.fit(np.random.rand(64, 16), np.random.rand(64, 1), epochs=1)
        """,
    ),
    Case(
        name="keras-more-generator-string-labels-tf215",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="tf215",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        rows = [(np.random.rand(8).astype("float32"), np.random.choice(["spam", "ham"])) for _ in range(40)]

        def gen():
            for x, y in rows:
                yield x, y

        ds = tf.data.Dataset.from_generator(
            gen, output_signature=(tf.TensorSpec((8,), tf.float32), tf.TensorSpec((), tf.int32))).batch(8)
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(8,))])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    Case(
        name="keras-more-tfrecord-label-float-vs-int64-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        setup=tfrecord_float_labels,
        script="train_tfrecord.py",
        code="""
        import tensorflow as tf
        import keras

        spec = {
            "image": tf.io.FixedLenFeature([16], tf.float32),
            "label": tf.io.FixedLenFeature([], tf.int64),
        }

        def parse(rec):
            ex = tf.io.parse_single_example(rec, spec)
            return ex["image"], ex["label"]

        ds = tf.data.TFRecordDataset("{DATA}/train.tfrecord").map(parse).batch(8)
        model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(4, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    # ============================================================ missing / corrupt data
    Case(
        name="keras-more-flow-from-directory-flat-folder-tf215",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tf215",
        setup=flat_folder,
        script="train.py",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gen = ImageDataGenerator(rescale=1.0 / 255)
        train = gen.flow_from_directory("{DATA}/dataset", target_size=(32, 32), batch_size=4,
                                        class_mode="binary")
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(32, 32, 3)),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy")
        model.fit(train, epochs=2)
        """,
    ),
    Case(
        name="keras-more-sequence-load-img-html-as-jpg-tf215",
        cause="data.missing_or_corrupt",
        exception="UnknownError",   # PIL.UnidentifiedImageError raised in the PyFunc
        env="tf215",
        setup=html_in_folder,
        script="train.py",
        code="""
        import glob
        import math
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.utils import load_img, img_to_array

        class PetSequence(tf.keras.utils.Sequence):
            def __init__(self, files, batch_size=8):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([img_to_array(load_img(f, target_size=(40, 40))) / 255.0 for f in batch])
                y = np.array([float("/dog/" in f) for f in batch])
                return x, y

        files = sorted(glob.glob("{DATA}/pets/*/*.jpg"))
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(PetSequence(files), epochs=2)
        """,
    ),
    Case(
        name="keras-more-image-data-generator-no-scipy-tf215",
        cause="env.version_incompat",
        exception="NameError",
        env="tf215",
        setup=three_classes,
        script="train.py",
        note="ImageDataGenerator in Keras 2.15 needs scipy, which is not installed in this environment",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
        train = gen.flow_from_directory("{DATA}/flowers", target_size=(40, 40), batch_size=6)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy")
        model.fit(train, epochs=2)
        """,
    ),
    Case(
        name="keras-more-dir-truncated-png-tf215",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="tf215",
        setup=truncated_png,
        script="train.py",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/leaves", image_size=(64, 64), batch_size=4, shuffle=False)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2),
        ])
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more-csv-dataset-missing-field-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="k3",
        setup=csv_missing_field,
        script="iris.py",
        code="""
        import tensorflow as tf
        import keras

        ds = tf.data.experimental.CsvDataset(
            "{DATA}/iris.csv", record_defaults=[tf.float32] * 4 + [tf.int32], header=True)
        ds = ds.map(lambda a, b, c, d, y: (tf.stack([a, b, c, d]), y)).batch(16)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # ============================================================ model input shape
    Case(
        name="keras-more-mobilenetv2-input-too-small-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="cifar_transfer.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(64, 28, 28, 3).astype("float32")
        y = np.random.randint(0, 10, 64)
        base = keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(28, 28, 3))
        model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(10)])
        """,
    ),
    Case(
        name="keras-more-unet-odd-size-concatenate-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="unet.py",
        code="""
        import keras
        from keras import layers

        def unet(size=(100, 100, 3), classes=4):
            inp = keras.Input(size)
            skips, x = [], inp
            for f in (16, 32, 64):
                x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
                skips.append(x)
                x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
            for f, s in zip((64, 32, 16), reversed(skips)):
                x = layers.Conv2DTranspose(f, 2, strides=2, padding="same")(x)
                x = layers.Concatenate()([x, s])
                x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
            return keras.Model(inp, layers.Conv2D(classes, 1, activation="softmax")(x))

        model = unet()
        """,
    ),
    Case(
        name="keras-more-too-many-poolings-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        script="cnn.py",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        model = tf.keras.Sequential([tf.keras.Input((28, 28, 1))])
        for filters in (32, 64, 128, 256, 512):
            model.add(layers.Conv2D(filters, 3, activation="relu"))
            model.add(layers.MaxPooling2D(2))
        model.add(layers.Flatten())
        model.add(layers.Dense(10, activation="softmax"))
        """,
    ),
    Case(
        name="keras-more-dataset-not-batched-tf215",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(100, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 10, 100)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(100)      # .batch() forgotten
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    # ============================================================ model output mismatch
    Case(
        name="keras-more-mobilenetv2-include-top-1000-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        script="transfer.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(32, 96, 96, 3).astype("float32")
        y = keras.utils.to_categorical(np.random.randint(0, 5, 32), 5)
        model = keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3))   # default 1000-way head
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=1)
        """,
    ),
    Case(
        name="keras-more-seg-output-half-resolution-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        script="seg.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x = np.random.rand(16, 64, 64, 3).astype("float32")
        y = np.random.randint(0, 2, size=(16, 64, 64, 1)).astype("float32")
        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(1, 1, activation="sigmoid")(h)     # upsampling back to 64x64 missing
        model = keras.Model(inp, out)
        model.compile("adam", "binary_crossentropy")
        model.fit(x, y, batch_size=4, epochs=1)
        """,
    ),
    Case(
        name="keras-more-resnet50-head-two-units-bce-tfk2",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tfk2",
        script="cats_vs_dogs.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(16, 64, 64, 3).astype("float32")
        y = np.random.randint(0, 2, size=(16, 1)).astype("float32")
        base = tf.keras.applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
        base.trainable = False
        model = tf.keras.Sequential([
            base,
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=1)
        """,
    ),
    # ============================================================ weights / saving / loading
    Case(
        name="keras-more-load-model-custom-layer-unregistered-k3",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="TypeError",
        env="k3",
        script="train_and_reload.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class Scale(layers.Layer):
            def __init__(self, factor=2.0, **kw):
                super().__init__(**kw)
                self.factor = factor

            def call(self, x):
                return x * self.factor

            def get_config(self):
                return {**super().get_config(), "factor": self.factor}

        model = keras.Sequential([keras.Input((8,)), layers.Dense(4), Scale(0.5), layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(np.random.rand(32, 8), np.random.rand(32, 1), epochs=1, verbose=0)
        model.save("{PROJECT}/regressor.keras")

        restored = keras.models.load_model("{PROJECT}/regressor.keras")
        """,
    ),
    Case(
        name="keras-more-load-h5-unknown-layer-tf215",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="ValueError",
        env="tf215",
        script="reload.py",
        code="""
        import numpy as np
        import tensorflow as tf

        class Scale(tf.keras.layers.Layer):
            def __init__(self, factor=2.0, **kw):
                super().__init__(**kw)
                self.factor = factor

            def call(self, x):
                return x * self.factor

            def get_config(self):
                return {**super().get_config(), "factor": self.factor}

        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(4), Scale(0.5),
                                     tf.keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(np.random.rand(32, 8), np.random.rand(32, 1), epochs=1, verbose=0)
        model.save("{PROJECT}/regressor.h5")

        restored = tf.keras.models.load_model("{PROJECT}/regressor.h5")
        """,
    ),
    # ============================================================ API misuse: callbacks, optimizers, fit
    Case(
        name="keras-more-callback-on-epoch-end-signature-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        class PrintLoss(keras.callbacks.Callback):
            def on_epoch_end(self, logs):
                print("loss", logs["loss"])

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(np.random.rand(64, 4), np.random.rand(64, 1), epochs=3, callbacks=[PrintLoss()])
        """,
    ),
    Case(
        name="keras-more-checkpoint-val-loss-no-validation-k3",
        cause="model.api_misuse",
        exception="KeyError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        ckpt = keras.callbacks.ModelCheckpoint("{PROJECT}/ckpt-{epoch:02d}-{val_loss:.3f}.keras")
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(np.random.rand(64, 4), np.random.rand(64, 1), epochs=3, callbacks=[ckpt])
        """,
    ),
    Case(
        name="keras-more-gan-shared-optimizer-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        script="gan.py",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        generator = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(4)])
        discriminator = keras.Sequential([keras.Input((4,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
        opt = keras.optimizers.Adam(1e-3)
        bce = keras.losses.BinaryCrossentropy(from_logits=True)

        real = tf.random.normal((32, 4))
        for step in range(3):
            z = tf.random.normal((32, 8))
            with tf.GradientTape() as d_tape:
                fake = generator(z)
                d_loss = bce(tf.ones((32, 1)), discriminator(real)) + bce(tf.zeros((32, 1)), discriminator(fake))
            grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
            opt.apply_gradients(zip(grads, discriminator.trainable_variables))

            with tf.GradientTape() as g_tape:
                g_loss = bce(tf.ones((32, 1)), discriminator(generator(z)))
            grads = g_tape.gradient(g_loss, generator.trainable_variables)
            opt.apply_gradients(zip(grads, generator.trainable_variables))
            print(step, float(d_loss), float(g_loss))
        """,
    ),
    Case(
        name="keras-more-validation-split-with-dataset-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(200, 10).astype("float32")
        y = np.random.randint(0, 2, 200)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(10,))])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=3, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more-variable-in-tf-function-step-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])
        loss_fn = keras.losses.MeanSquaredError()

        @tf.function
        def train_step(x, y):
            optimizer = tf.keras.optimizers.SGD(0.01)
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        x = np.random.rand(64, 6).astype("float32")
        y = np.random.rand(64, 1).astype("float32")
        for epoch in range(3):
            print(epoch, float(train_step(x, y)))
        """,
    ),
    # ============================================================ autograd / tape
    Case(
        name="keras-more-hard-threshold-layer-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="k3",
        script="binarized.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class Binarize(layers.Layer):
            def call(self, x):
                return tf.cast(x > 0, tf.float32)        # step function: no gradient

        model = keras.Sequential([keras.Input((10,)), layers.Dense(8), Binarize(), layers.Dense(1)])
        model.layers[-1].trainable = False
        model.compile("adam", "mse")
        model.fit(np.random.rand(64, 10), np.random.rand(64, 1), epochs=1)
        """,
    ),
    Case(
        name="keras-more-tape-gradient-wrt-rebuilt-model-tf215",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tf215",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf

        def build():
            return tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu", input_shape=(4,)),
                                        tf.keras.layers.Dense(1)])

        model = build()
        optimizer = tf.keras.optimizers.Adam(1e-3)
        x = np.random.rand(32, 4).astype("float32")
        y = np.random.rand(32, 1).astype("float32")
        for epoch in range(2):
            with tf.GradientTape() as tape:
                pred = build()(x, training=True)       # a fresh model every step
                loss = tf.reduce_mean(tf.square(y - pred))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """,
    ),
    # ============================================================ divergence
    Case(
        name="keras-more-check-numerics-gradients-unscaled-pixels-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf

        np.random.seed(0)
        tf.random.set_seed(0)
        x = np.random.randint(0, 256, size=(64, 32 * 32 * 3)).astype("float32")   # pixels never scaled
        y = np.random.rand(64, 1).astype("float32") * 100
        model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="tanh", input_shape=(3072,)),
                                     tf.keras.layers.Dense(1)])
        optimizer = tf.keras.optimizers.SGD(learning_rate=0.5)
        for step in range(50):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
            grads = tape.gradient(loss, model.trainable_variables)
            for g, v in zip(grads, model.trainable_variables):
                tf.debugging.check_numerics(g, message=f"gradient of {v.name}")
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(step, float(loss))
        """,
    ),
    Case(
        name="keras-more-check-numerics-layer-huge-lr-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class Checked(layers.Layer):
            def call(self, x):
                return tf.debugging.check_numerics(x, "hidden activations")

        x = (np.random.rand(256, 20) * 100).astype("float32")
        y = x.sum(axis=1, keepdims=True)
        model = keras.Sequential([keras.Input((20,)), layers.Dense(32), Checked(), layers.Dense(1)])
        model.compile(keras.optimizers.SGD(learning_rate=0.5), "mse")
        model.fit(x, y, batch_size=32, epochs=20)
        """,
    ),
    # ============================================================ version incompatibilities
    Case(
        name="keras-more-fit-workers-argument-k3",
        cause="env.version_incompat",
        exception="TypeError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(np.random.rand(64, 4), np.random.rand(64, 1), epochs=2,
                  workers=4, use_multiprocessing=True)
        """,
    ),
    Case(
        name="keras-more-checkpoint-weights-only-h5-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        ckpt = keras.callbacks.ModelCheckpoint("{PROJECT}/best_model.h5", save_weights_only=True,
                                               save_best_only=True, monitor="loss")
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(np.random.rand(64, 4), np.random.rand(64, 1), epochs=2, callbacks=[ckpt])
        """,
    ),
    Case(
        name="keras-more-predict-classes-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        script="evaluate.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(3, activation="softmax", input_shape=(5,))])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(30, 5), np.random.randint(0, 3, 30), epochs=1, verbose=0)
        classes = model.predict_classes(np.random.rand(4, 5))
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
