"""Real Keras / tf.data failures caused by the images themselves:
data.image_size_mismatch, data.image_channels, data.missing_or_corrupt.

Every case builds a tiny, real image folder (PIL) under the case's data dir and
runs a small training script on it.

Run: /work/venvs/tf/bin/python corpus/generators/keras_images.py [CASE ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tfrecord import Case, main, make_images  # noqa: E402

MIXED = [(64, 48), (70, 50), (64, 64), (100, 80), (48, 64)]


def mixed_jpegs(d: Path):
    make_images(d / "photos", ["cat", "dog"], per_class=6, fmt="jpeg", sizes=MIXED)


def portrait_landscape(d: Path):
    # the same camera, some photos rotated: 64x48 and 48x64 (same pixel count)
    make_images(d / "photos", ["ants", "bees"], per_class=5, fmt="jpeg",
                sizes=[(64, 48), (64, 48), (48, 64), (64, 48)])


def portrait_landscape_png(d: Path):
    make_images(d / "scans", ["form_a", "form_b", "form_c"], per_class=4, fmt="png",
                sizes=[(120, 90), (90, 120)])


def mixed_pngs_flat(d: Path):
    make_images(d / "train", ["healthy", "rust", "scab"], per_class=5, fmt="png",
                sizes=[(128, 128), (128, 128), (120, 128), (128, 96)])


def gray_folder(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=8, size=(64, 64), mode="L")


def gray_small(d: Path):
    make_images(d / "digits", [str(i) for i in range(4)], per_class=5, size=(28, 28), mode="L")


def rgb_and_rgba(d: Path):
    make_images(d / "icons", ["a", "b"], per_class=3, size=(32, 32), mode="RGB", seed=1)
    make_images(d / "icons", ["a", "b"], per_class=2, size=(32, 32), mode="RGBA", seed=2)
    # make_images names files <class>_<i>; the RGBA pass overwrote _000/_001 as png
    # in the same folder, so the folder really mixes 3- and 4-channel pngs


def rgba_folder(d: Path):
    make_images(d / "sprites", ["enemy", "player", "item"], per_class=6, size=(48, 48), mode="RGBA")


def empty_dir(d: Path):
    (d / "train").mkdir()
    (d / "train" / "class_a").mkdir()
    (d / "train" / "class_b").mkdir()


def corrupt_jpeg(d: Path):
    make_images(d / "dataset", ["good", "bad"], per_class=6, size=(40, 40), fmt="jpeg")
    # a download that failed and left an HTML error page with a .jpg name
    (d / "dataset" / "bad" / "bad_003.jpg").write_text("<html><body>403 Forbidden</body></html>\n")


def empty_jpeg(d: Path):
    make_images(d / "images", ["ok", "broken"], per_class=5, size=(40, 40), fmt="jpeg")
    (d / "images" / "broken" / "broken_002.jpg").write_bytes(b"")


def truncated_jpeg(d: Path):
    make_images(d / "imgs", ["x"], per_class=6, size=(96, 96), fmt="jpeg")
    p = d / "imgs" / "x" / "x_004.jpg"
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 3])


def some_files(d: Path):
    make_images(d / "images", ["img"], per_class=6, size=(32, 32), fmt="png")
    import csv
    with open(d / "labels.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["filename", "label"])
        for i in range(8):                       # two rows whose files were never copied
            w.writerow([f"img_{i:03d}.png", i % 2])


def _many_with_one_bad(d: Path):
    root = d / "garbage_classification"
    make_images(root, ["cardboard", "glass", "metal"], per_class=40, size=(32, 32), fmt="jpeg")
    # one "image" is a PDF saved under a .jpg name by a scraper
    (root / "metal" / "metal_031.jpg").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n")


def _files_then_deleted(d: Path):
    root = d / "garbage_classification"
    make_images(root, ["cardboard", "glass"], per_class=60, size=(40, 40), fmt="jpeg")
    files = sorted(str(p) for p in root.glob("*/*.jpg"))
    (d / "train_list.txt").write_text("\n".join(files) + "\n")
    # the list was written before a clean-up removed some files
    for p in files[90:93]:
        Path(p).unlink()


def corrupt_tfrecord(d: Path):
    import numpy as np
    import tensorflow as tf
    with tf.io.TFRecordWriter(str(d / "train.tfrecord")) as w:
        for i in range(20):
            ex = tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=np.random.rand(4).tolist())),
                "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2])),
            }))
            w.write(ex.SerializeToString())
    p = d / "train.tfrecord"
    b = bytearray(p.read_bytes())
    b = b[: len(b) - 37]                          # copy interrupted
    p.write_bytes(bytes(b))


CASES = [
    # ------------------------------------------------------------ image size mismatch
    Case(
        name="tf-imgsize-cannot-batch-fit-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=mixed_jpegs,
        script="train.py",
        code="""
        import glob
        import tensorflow as tf
        import keras

        files = sorted(glob.glob("{DATA}/photos/*/*.jpg"))
        labels = [0 if "/cat/" in f else 1 for f in files]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            return img, label

        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(load).batch(4)

        model = keras.Sequential([
            keras.Input(shape=(None, None, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="tf-imgsize-cannot-batch-fit-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=mixed_pngs_flat,
        script="train_leaves.py",
        code="""
        import pathlib
        import tensorflow as tf

        root = pathlib.Path("{DATA}/train")
        class_names = sorted(p.name for p in root.iterdir())
        paths = sorted(str(p) for p in root.glob("*/*.png"))
        labels = [class_names.index(pathlib.Path(p).parent.name) for p in paths]

        def parse(path, label):
            image = tf.image.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(image, tf.float32), label

        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=1)
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(6)
                    .prefetch(tf.data.AUTOTUNE))

        base = tf.keras.applications.MobileNetV2(input_shape=(128, 128, 3), include_top=False, weights=None)
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(len(class_names))])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="tf-imgsize-cannot-batch-fit-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=mixed_jpegs,
        script="train.py",
        code="""
        import glob
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/photos/*/*.jpg"))
        labels = [0 if "/cat/" in f else 1 for f in files]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(load).batch(8)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(None, None, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="tf-imgsize-cannot-batch-eager-loop",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        setup=mixed_jpegs,
        script="custom_training.py",
        code="""
        import tensorflow as tf

        ds = tf.data.Dataset.list_files("{DATA}/photos/*/*.jpg", shuffle=False)

        def decode(path):
            return tf.image.decode_jpeg(tf.io.read_file(path), channels=3)

        ds = ds.map(decode).batch(3)
        conv = tf.keras.layers.Conv2D(4, 3)
        for step, batch in enumerate(ds):
            out = conv(tf.cast(batch, tf.float32))
            print("step", step, out.shape)
        """,
    ),
    Case(
        name="tf-imgsize-generator-shape-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=mixed_pngs_flat,
        script="train_gen.py",
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import tensorflow as tf
        import keras

        files = sorted(glob.glob("{DATA}/train/*/*.png"))

        def gen():
            for f in files:
                img = np.asarray(Image.open(f).convert("RGB"), dtype=np.float32) / 255.0
                yield img, 0

        ds = tf.data.Dataset.from_generator(
            gen,
            output_signature=(tf.TensorSpec(shape=(128, 128, 3), dtype=tf.float32),
                              tf.TensorSpec(shape=(), dtype=tf.int32)),
        ).batch(4)

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            keras.layers.Conv2D(8, 3, strides=2, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    Case(
        name="tf-imgsize-generator-shape-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=mixed_jpegs,
        script="generator_fit.py",
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/photos/*/*.jpg"))

        def gen():
            for f in files:
                yield np.asarray(Image.open(f), dtype=np.float32), int("/dog/" in f)

        ds = tf.data.Dataset.from_generator(
            gen, output_signature=(tf.TensorSpec((64, 48, 3), tf.float32), tf.TensorSpec((), tf.int64))
        ).batch(2)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(64, 48, 3)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    Case(
        name="keras-imgsize-list-of-arrays-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="k3",
        setup=mixed_pngs_flat,
        script="train.py",
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import keras

        files = sorted(glob.glob("{DATA}/train/*/*.png"))
        images = [np.asarray(Image.open(f).convert("RGB")) / 255.0 for f in files]
        labels = np.array([0, 1, 2] * 5)
        X = np.array(images)

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(X, labels, epochs=3)
        """,
    ),
    Case(
        name="keras-imgsize-no-resize-fixed-input-k3",
        cause="data.image_size_mismatch",
        also=("model.input_shape",),
        exception="InvalidArgumentError",
        env="k3",
        setup=mixed_jpegs,
        script="train.py",
        code="""
        import tensorflow as tf
        import keras

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, 1.0

        ds = tf.data.Dataset.list_files("{DATA}/photos/*/*.jpg", shuffle=False).map(load).batch(1)

        model = keras.Sequential([
            keras.Input(shape=(224, 224, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    # ------------------------------------------------------------ channels
    Case(
        name="keras-channels-grayscale-into-rgb-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=gray_folder,
        script="train_xray.py",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/xray", image_size=(64, 64), batch_size=4, color_mode="grayscale")

        inputs = keras.Input(shape=(64, 64, 3))
        x = keras.layers.Rescaling(1.0 / 255)(inputs)
        x = keras.layers.Conv2D(16, 3, activation="relu")(x)
        x = keras.layers.GlobalAveragePooling2D()(x)
        outputs = keras.layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-channels-grayscale-into-rgb-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=gray_folder,
        script="train_xray.py",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/xray", image_size=(64, 64), batch_size=4, color_mode="grayscale")

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-channels-gray-numpy-mobilenet-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=gray_small,
        script="finetune.py",
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import keras

        files = sorted(glob.glob("{DATA}/digits/*/*.png"))
        X = np.stack([np.asarray(Image.open(f).resize((96, 96)), dtype="float32")[..., None] for f in files])
        y = np.array([int(f.split("/")[-2]) for f in files])

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        model = keras.Sequential([base, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(4, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, batch_size=4, epochs=2)
        """,
    ),
    Case(
        name="keras-channels-gray-numpy-conv-tfk2",
        cause="data.image_channels",
        exception="ValueError",
        env="tfk2",
        setup=gray_small,
        script="cnn.py",
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/digits/*/*.png"))
        X = np.stack([np.asarray(Image.open(f), dtype="float32") / 255.0 for f in files])[..., np.newaxis]
        y = np.array([int(f.split("/")[-2]) for f in files])

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 3), name="conv_1"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, batch_size=5, epochs=2)
        """,
    ),
    Case(
        name="tf-channels-rgba-mixed-batch-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        env="k3",
        setup=rgb_and_rgba,
        script="train_icons.py",
        code="""
        import tensorflow as tf
        import keras

        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path))   # channels left to the file
            label = tf.cast(tf.strings.regex_full_match(path, ".*/b/.*"), tf.int32)
            return tf.image.convert_image_dtype(img, tf.float32), label

        ds = tf.data.Dataset.list_files("{DATA}/icons/*/*.png", shuffle=False).map(load).batch(4)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    Case(
        name="keras-channels-rgba-decode-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=rgba_folder,
        script="train_sprites.py",
        code="""
        import tensorflow as tf
        import keras

        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path), channels=4)
            img = tf.image.resize(img, (48, 48)) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*/player/.*"), tf.int32)
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/sprites/*/*.png").map(load).batch(6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            keras.layers.Conv2D(16, 3, activation="relu", name="sprite_conv"),
            keras.layers.GlobalMaxPooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-channels-rgba-directory-tf212",
        cause="data.image_channels",
        exception="ValueError",
        env="tf212",
        setup=rgba_folder,
        script="train_sprites.py",
        code="""
        import tensorflow as tf

        ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/sprites", image_size=(48, 48), color_mode="rgba", batch_size=6)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalMaxPooling2D(),
            tf.keras.layers.Dense(3),
        ])
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(ds, epochs=2)
        """,
    ),
    # ------------------------------------------------------------ missing / corrupt
    Case(
        name="keras-missing-dir-image-dataset-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        env="k3",
        script="train.py",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers/train", validation_split=0.2, subset="training", seed=123,
            image_size=(180, 180), batch_size=32)
        """,
    ),
    Case(
        name="keras-missing-dir-image-dataset-tf215",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="tf215",
        script="train.py",
        code="""
        import tensorflow as tf

        data_dir = "{DATA}/PetImages"
        train_ds = tf.keras.utils.image_dataset_from_directory(
            data_dir, validation_split=0.2, subset="training", seed=1337,
            image_size=(180, 180), batch_size=128)
        """,
    ),
    Case(
        name="keras-empty-dir-image-dataset-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="k3",
        setup=empty_dir,
        script="train.py",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", image_size=(128, 128), batch_size=16, label_mode="categorical")
        model = keras.Sequential([keras.Input((128, 128, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
        model.fit(train_ds, epochs=1)
        """,
    ),
    Case(
        name="keras-empty-dir-image-dataset-tfk2",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tfk2",
        setup=empty_dir,
        script="train.py",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/train", validation_split=0.1, subset="training", seed=7,
            image_size=(128, 128), batch_size=16)
        """,
    ),
    Case(
        name="keras-corrupt-jpeg-unknown-format-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="k3",
        setup=corrupt_jpeg,
        script="train.py",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/dataset", image_size=(40, 40), batch_size=4, shuffle=False)
        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-corrupt-jpeg-unknown-format-tf215",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="tf215",
        setup=corrupt_jpeg,
        pty=True,
        script="train.py",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/dataset", image_size=(40, 40), batch_size=2, shuffle=False)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255, input_shape=(40, 40, 3)),
            tf.keras.layers.Conv2D(8, 3, activation="relu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-corrupt-jpeg-empty-file-tf212",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="tf212",
        setup=empty_jpeg,
        script="train.py",
        code="""
        import tensorflow as tf

        ds = tf.keras.utils.image_dataset_from_directory("{DATA}/images", image_size=(40, 40), batch_size=5)
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(40, 40, 3)),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    Case(
        name="tf-corrupt-jpeg-empty-file-map-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        setup=empty_jpeg,
        script="pipeline.py",
        code="""
        import tensorflow as tf

        files = tf.data.Dataset.list_files("{DATA}/images/*/*.jpg", shuffle=False)
        images = files.map(lambda p: tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(p), channels=3), (32, 32)))
        for batch in images.batch(4):
            print(batch.shape)
        """,
    ),
    Case(
        name="tf-corrupt-jpeg-truncated-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        setup=truncated_jpeg,
        script="train.py",
        code="""
        import tensorflow as tf
        import keras

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3, try_recover_truncated=False)
            return tf.image.resize(img, (96, 96)) / 255.0, 0

        ds = tf.data.Dataset.list_files("{DATA}/imgs/*/*.jpg", shuffle=False).map(load).batch(2)
        model = keras.Sequential([keras.Input((96, 96, 3)), keras.layers.Flatten(), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(ds, epochs=1)
        """,
    ),
    Case(
        name="tf-missing-file-read-file-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="k3",
        framework="tensorflow",
        setup=some_files,
        script="train_from_csv.py",
        code="""
        import csv
        import tensorflow as tf
        import keras

        rows = list(csv.DictReader(open("{DATA}/labels.csv")))
        paths = ["{DATA}/images/img/" + r["filename"] for r in rows]
        labels = [int(r["label"]) for r in rows]

        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="tf-missing-file-read-file-tf215",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="tf215",
        framework="tensorflow",
        setup=some_files,
        script="train_from_csv.py",
        code="""
        import csv
        import tensorflow as tf

        rows = list(csv.DictReader(open("{DATA}/labels.csv")))
        paths = ["{DATA}/images/img/" + r["filename"] for r in rows]
        labels = [int(r["label"]) for r in rows]

        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
        model = tf.keras.Sequential([tf.keras.layers.Flatten(input_shape=(32, 32, 3)),
                                     tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="tf-corrupt-tfrecord-k3",
        cause="data.missing_or_corrupt",
        exception="DataLossError",
        env="k3",
        framework="tensorflow",
        setup=corrupt_tfrecord,
        script="train_tfrecord.py",
        code="""
        import tensorflow as tf
        import keras

        spec = {"x": tf.io.FixedLenFeature([4], tf.float32), "y": tf.io.FixedLenFeature([], tf.int64)}

        def parse(rec):
            ex = tf.io.parse_single_example(rec, spec)
            return ex["x"], ex["y"]

        ds = tf.data.TFRecordDataset("{DATA}/train.tfrecord").map(parse).batch(4)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="tf-imgsize-rotated-photos-cannot-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=portrait_landscape,
        script="train.py",
        code="""
        import tensorflow as tf
        import keras

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            label = tf.cast(tf.strings.regex_full_match(path, ".*/bees/.*"), tf.float32)
            return tf.cast(img, tf.float32) / 255.0, label

        ds = (tf.data.Dataset.list_files("{DATA}/photos/*/*.jpg", shuffle=False)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(4, num_parallel_calls=tf.data.AUTOTUNE)
              .prefetch(tf.data.AUTOTUNE))
        model = keras.Sequential([
            keras.Input((None, None, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="tf-imgsize-rotated-scans-cannot-batch-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        framework="tensorflow",
        setup=portrait_landscape_png,
        script="load_scans.py",
        code="""
        import tensorflow as tf

        paths = tf.data.Dataset.list_files("{DATA}/scans/*/*.png", shuffle=False)
        images = paths.map(lambda p: tf.io.decode_png(tf.io.read_file(p), channels=1))
        for batch in images.batch(6, num_parallel_calls=tf.data.AUTOTUNE):
            print(batch.shape)
        """,
    ),
    Case(
        name="tf-imgsize-mixup-incompatible-shapes-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=mixed_jpegs,
        script="train_mixup.py",
        code="""
        import tensorflow as tf
        import keras

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0

        files = tf.data.Dataset.list_files("{DATA}/photos/*/*.jpg", shuffle=False)
        ds_a = files.map(load)
        ds_b = files.shuffle(16, seed=3).map(load)

        def mixup(a, b):
            lam = 0.7
            return lam * a + (1.0 - lam) * b, lam

        train = tf.data.Dataset.zip((ds_a, ds_b)).map(mixup).batch(1)
        model = keras.Sequential([keras.Input((None, None, 3)), keras.layers.Conv2D(4, 3),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(train, epochs=1)
        """,
    ),
    Case(
        name="tf-imgsize-mixup-incompatible-shapes-eager-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        framework="tensorflow",
        setup=mixed_pngs_flat,
        script="augment.py",
        code="""
        import glob
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/train/*/*.png"))
        images = [tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(f), channels=3), tf.float32)
                  for f in files]
        # blend consecutive images (mixup)
        mixed = [0.5 * images[i] + 0.5 * images[i + 1] for i in range(len(images) - 1)]
        """,
    ),
    Case(
        name="keras-corrupt-jpeg-mid-epoch-progress-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="k3",
        pty=True,
        setup=_many_with_one_bad,
        script="train.py",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/garbage_classification", image_size=(32, 32), batch_size=8, shuffle=False)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="tf-missing-file-mid-epoch-progress-tf212",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="tf212",
        framework="tensorflow",
        pty=True,
        setup=_files_then_deleted,
        script="train_from_list.py",
        code="""
        import tensorflow as tf

        paths = [l.strip() for l in open("{DATA}/train_list.txt")]
        labels = [int("/glass/" in p) for p in paths]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (32, 32)) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
]

if __name__ == "__main__":
    main(CASES, __file__)
