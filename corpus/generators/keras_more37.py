"""Untargeted held-out Keras / TF 2 image-training failures (g82, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of users who train classifiers,
detectors and segmenters with Keras on their own data, spread over the cause ids of the taxonomy
as often as users hit each cause:

- image sizes: a "random crop of 90 % of each photo" augmentation in a tf.data map before
  ``batch``, handwriting line images resized to a fixed height (aspect kept) put into ``np.array``;
- channels: orthophoto tiles exported from QGIS with an alpha band decoded with ``channels=0`` for
  an RGB U-Net;
- labels: two datasets merged with the second one's class ids offset but the head sized for the
  first, retinopathy grades 0..4 for a four-unit head ("grade 0 is healthy");
- label shapes: one-hot defect labels for a one-unit sigmoid head with ``BinaryFocalCrossentropy``,
  ``CategoricalCrossentropy(label_smoothing=0.1)`` swapped in for sparse integer labels;
- dtypes: a CoordConv channel (float32) concatenated to the decoded uint8 image, ``tf.one_hot`` on
  a float label parsed with ``tf.strings.to_number``;
- files: class folders made of symlinks into an unmounted drive, a TFRecord shard cut short by an
  interrupted copy, a labels CSV saved by a European Excel with ``;`` separators;
- boxes: pixel boxes exported for the 1280 px version of the images cropped from the 640 px files;
- too few boxes: anchor k-means started from ``rng.choice(..., replace=False)`` on six boxes;
- model inputs: ``Input(shape=(IMG_SIZE, IMG_SIZE, 3))`` with ``IMG_SIZE = (160, 160)``, a
  ``GlobalAveragePooling1D`` typo on convolutional features;
- model outputs: a Siamese verification head with two softmax units and binary cross-entropy;
- weights: ``np.save(model.get_weights())`` from the run without BatchNormalization;
- versions: ``model.predict_proba``, ``tf.random.set_random_seed``;
- host memory: ``to_categorical`` of ADE20K-style masks with 150 classes;
- gradients: an SSIM loss written in NumPy and wrapped in ``tf.numpy_function``;
- plain bugs: an f-string on a slice of the history list, a per-class accuracy report with a class
  absent from the test set.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more37.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g82): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import cnn_code as _cnn  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more37.py"


# ---------------------------------------------------------------- data helpers
def mixed_photos(d: Path):
    make_images(d / "insects", ["ant", "bee", "wasp"], per_class=6, fmt="jpeg",
                sizes=[(160, 120), (120, 160), (140, 140), (200, 150)], seed=71)


def handwriting(d: Path):
    r = _rng(72)
    lines = []
    for i, w in enumerate([310, 248, 402, 275, 330, 190, 365, 290]):
        arr = r.integers(0, 255, size=(64, w), dtype="uint8")
        _png(d / "lines" / f"line_{i:03d}.png", arr)
        lines.append(f"line_{i:03d}.png\t{i % 4}")
    (d / "lines" / "labels.tsv").write_text("\n".join(lines) + "\n")


def ortho_tiles(d: Path):
    r = _rng(73)
    for i in range(12):
        arr = r.integers(0, 255, size=(64, 64, 4), dtype="uint8")
        arr[..., 3] = 255
        _png(d / "tiles" / "images" / f"tile_{i:03d}.png", arr, mode="RGBA")
        _png(d / "tiles" / "masks" / f"tile_{i:03d}.png", (r.random((64, 64)) > 0.7).astype("uint8"))


def two_sources(d: Path):
    make_images(d / "garden_birds", ["blackbird", "robin", "sparrow", "tit"], per_class=5,
                size=(48, 48), fmt="jpeg", seed=74)
    make_images(d / "sea_birds", ["gull", "puffin"], per_class=5, size=(48, 48), fmt="jpeg", seed=75)


def retina(d: Path):
    r = _rng(76)
    rows = ["id_code,diagnosis"]
    for i in range(30):
        _jpg(d / "aptos" / "train_images" / f"{i:04x}a3f.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"{i:04x}a3f,{i % 5}")
    (d / "aptos" / "train.csv").write_text("\n".join(rows) + "\n")


def defects(d: Path):
    make_images(d / "casting", ["ok_front", "def_front"], per_class=8, size=(48, 48), fmt="jpeg", seed=77)


def flowers5(d: Path):
    make_images(d / "flowers", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=5,
                size=(48, 48), fmt="jpeg", seed=78)


def pets_named(d: Path):
    """Oxford-pets style flat folder: Breed_Name_123.jpg, label read from the name."""
    r = _rng(79)
    for b in ["0", "1", "2"]:
        for i in range(6):
            _jpg(d / "photos" / f"{b}_{i:03d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))


def symlinked(d: Path):
    make_images(d / "external" / "leaves", ["healthy", "blight"], per_class=5, size=(48, 48), fmt="jpeg",
                seed=80)
    # the class folders hold links into the USB drive the photos were copied from
    for c in ["healthy", "blight"]:
        (d / "dataset" / c).mkdir(parents=True)
        for i in range(5):
            src = d / "external" / "leaves" / c / f"{c}_{i:03d}.jpg"
            dst = d / "dataset" / c / f"{c}_{i:03d}.jpg"
            if c == "blight" and i >= 2:
                os.symlink(f"/media/user/USB_DRIVE/leaf_photos/{c}/{c}_{i:03d}.jpg", dst)
            else:
                os.symlink(src, dst)


def tfrecord_cut(d: Path):
    (d / "records").mkdir()
    _prep("tfk2", """
        import io
        import numpy as np
        import tensorflow as tf
        from PIL import Image
        r = np.random.default_rng(81)
        for s in range(2):
            with tf.io.TFRecordWriter(f"records/train-{s:05d}-of-00002.tfrec") as w:
                for i in range(20):
                    buf = io.BytesIO()
                    Image.fromarray(r.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)).save(buf, "JPEG")
                    feat = {
                        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[buf.getvalue()])),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 3])),
                    }
                    w.write(tf.train.Example(features=tf.train.Features(feature=feat)).SerializeToString())
        data = open("records/train-00001-of-00002.tfrec", "rb").read()
        open("records/train-00001-of-00002.tfrec", "wb").write(data[: len(data) * 3 // 5])
        """, d)


def semicolon_csv(d: Path):
    r = _rng(82)
    rows = ["filename;label"]
    for i in range(12):
        _jpg(d / "skin" / "images" / f"ISIC_{i:07d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"ISIC_{i:07d}.jpg;{['benign', 'malignant'][i % 2]}")
    (d / "skin" / "labels.csv").write_text("\r\n".join(rows) + "\r\n")


def roboflow_pixels(d: Path):
    """Images at 640 x 480; the exported CSV has pixel boxes of the 1280 x 960 version."""
    r = _rng(83)
    rows = ["filename,xmin,ymin,xmax,ymax,class"]
    for i in range(8):
        _jpg(d / "hardhats" / f"site_{i:03d}.jpg", r.integers(0, 255, size=(480, 640, 3), dtype="uint8"))
        x0, y0 = [(200, 150), (700, 520), (300, 400), (880, 610), (120, 80), (640, 300), (400, 700), (1000, 200)][i]
        rows.append(f"site_{i:03d}.jpg,{x0},{y0},{x0 + 120},{y0 + 140},{['helmet', 'head'][i % 2]}")
    (d / "hardhats" / "_annotations.csv").write_text("\n".join(rows) + "\n")


def few_boxes(d: Path):
    import json
    r = _rng(84)
    ann = {}
    for i in range(4):
        _jpg(d / "weld" / f"w{i:02d}.jpg", r.integers(0, 255, size=(128, 128, 3), dtype="uint8"))
    ann = {"w00.jpg": [[10, 12, 40, 50]], "w01.jpg": [[30, 30, 70, 60], [80, 20, 120, 44]],
           "w02.jpg": [[5, 70, 35, 120]], "w03.jpg": [[50, 50, 90, 110], [12, 8, 28, 30]]}
    (d / "weld" / "boxes.json").write_text(json.dumps(ann, indent=1))


def pairs(d: Path):
    make_images(d / "faces", ["p01", "p02", "p03", "p04"], per_class=4, size=(48, 48), fmt="jpeg", seed=85)


def aug_weights(d: Path):
    flowers5(d)
    _prep("k3", """
        import keras
        from keras import layers
        data_augmentation = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.1),
            layers.RandomZoom(0.1),
        ], name="data_augmentation")
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            data_augmentation,
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.save_weights("flowers.weights.h5")
        """, d)
    _jpg(d / "test_flower.jpg", _rng(86).integers(0, 255, size=(48, 48, 3), dtype="uint8"))


def np_weights(d: Path):
    flowers5(d)
    _prep("tfk2", """
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        np.save("flowers_weights.npy", np.array(model.get_weights(), dtype=object), allow_pickle=True)
        """, d)


def ade_masks(d: Path):
    r = _rng(87)
    for i in range(60):
        _jpg(d / "ade" / "images" / f"ADE_train_{i:08d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        _png(d / "ade" / "annotations" / f"ADE_train_{i:08d}.png",
             r.integers(0, 150, size=(512, 512), dtype="uint8"))


def thermal(d: Path):
    r = _rng(88)
    for c in ["no_person", "person"]:
        for i in range(10):
            arr = r.integers(27000, 33000, size=(40, 40), dtype="uint16")
            p = d / "thermal" / c / f"{c}_{i:03d}.npy"
            p.parent.mkdir(parents=True, exist_ok=True)
            import numpy as np
            np.save(p, arr)


def noisy_scans(d: Path):
    r = _rng(89)
    for i in range(12):
        _png(d / "scans" / "clean" / f"s{i:03d}.png", r.integers(0, 255, size=(48, 48), dtype="uint8"))
        _png(d / "scans" / "noisy" / f"s{i:03d}.png", r.integers(0, 255, size=(48, 48), dtype="uint8"))


def test_split_missing_class(d: Path):
    make_images(d / "fruit" / "train", ["apple", "banana", "kiwi", "mango"], per_class=5, size=(48, 48),
                fmt="jpeg", seed=90)
    make_images(d / "fruit" / "test", ["apple", "banana", "kiwi"], per_class=2, size=(48, 48), fmt="jpeg", seed=91)
    (d / "fruit" / "test" / "mango").mkdir()


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more37-map-random-crop-90-percent-of-each-photo-then-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=mixed_photos,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import pathlib

        import tensorflow as tf
        import keras
        from keras import layers

        data_dir = pathlib.Path("{DATA}/insects")
        class_names = sorted(p.name for p in data_dir.iterdir())


        def load(path):
            parts = tf.strings.split(path, "/")
            label = tf.argmax(tf.cast(parts[-2] == class_names, tf.int32))
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return img, label


        def augment(img, label):
            # random crop keeping 90 % of the photo, then a flip
            h = tf.cast(tf.cast(tf.shape(img)[0], tf.float32) * 0.9, tf.int32)
            w = tf.cast(tf.cast(tf.shape(img)[1], tf.float32) * 0.9, tf.int32)
            img = tf.image.random_crop(img, size=[h, w, 3])
            img = tf.image.random_flip_left_right(img)
            return tf.cast(img, tf.float32) / 255.0, label


        train_ds = (tf.data.Dataset.list_files(str(data_dir / "*/*.jpg"), shuffle=True, seed=3)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more37-nb-handwriting-lines-fixed-height-keep-aspect-np-array-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        expect="inhomogeneous",
        **notebook([
            """
            import numpy as np
            from PIL import Image
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers

            HEIGHT = 32
            rows = [l.split("\\t") for l in open("{DATA}/lines/labels.tsv").read().splitlines()]
            """,
            """
            def load_line(name):
                img = Image.open(f"{DATA}/lines/{name}").convert("L")
                w, h = img.size
                new_w = int(w * HEIGHT / h)          # keep the aspect ratio of the writer's line
                return np.asarray(img.resize((new_w, HEIGHT)), dtype=np.float32) / 255.0

            x = np.array([load_line(name)[..., None] for name, _ in rows])
            y = np.array([int(writer) for _, writer in rows])
            print(x.shape, y.shape)
            """,
            """
            model = keras.Sequential([
                layers.Conv2D(32, 3, activation="relu", input_shape=(HEIGHT, None, 1)),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=10, batch_size=4)
            """,
        ], data=handwriting),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more37-qgis-ortho-tiles-alpha-band-decode-png-any-channels-unet-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=ortho_tiles,
        expect="Depth of input must be a multiple of depth of filter: 4 vs 3",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        images = sorted(glob.glob("{DATA}/tiles/images/*.png"))
        masks = sorted(glob.glob("{DATA}/tiles/masks/*.png"))


        def load(img_path, mask_path):
            img = tf.io.decode_png(tf.io.read_file(img_path))          # tiles exported from QGIS
            img = tf.image.convert_image_dtype(img, tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            return img, tf.cast(mask, tf.float32)


        ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(16).batch(4)


        def unet(size=64):
            inp = keras.Input((size, size, 3))
            c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
            p1 = layers.MaxPooling2D()(c1)
            c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
            u1 = layers.UpSampling2D()(c2)
            m1 = layers.Concatenate()([u1, c1])
            c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(m1)
            out = layers.Conv2D(1, 1, activation="sigmoid")(c3)
            return keras.Model(inp, out, name="building_unet")


        model = unet()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more37-merged-bird-datasets-offset-ids-head-sized-for-first-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=two_sources,
        pty=True,
        expect="outside the valid range",
        code="""
        import keras
        from keras import layers

        garden = keras.utils.image_dataset_from_directory("{DATA}/garden_birds", image_size=(48, 48),
                                                         batch_size=None, seed=1)
        sea = keras.utils.image_dataset_from_directory("{DATA}/sea_birds", image_size=(48, 48),
                                                      batch_size=None, seed=1)
        class_names = garden.class_names + sea.class_names
        offset = len(garden.class_names)
        sea = sea.map(lambda x, y: (x, y + offset))          # sea birds come after the garden birds

        train_ds = garden.concatenate(sea).shuffle(64, seed=2).batch(8)
        NUM_CLASSES = len(garden.class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """.replace("@@CNN@@", _cnn()),
    ),
    Case(
        name="keras-more37-retinopathy-grades-0-to-4-four-unit-head-tfk2",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=retina,
        expect="Received a label value of 4",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/aptos"
        # grade 0 is "no DR"; the model predicts the four disease grades
        NUM_GRADES = 4

        with open(f"{ROOT}/train.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{ROOT}/train_images/{r['id_code']}.jpg" for r in rows]
        grades = [int(r["diagnosis"]) for r in rows]


        def load(path, grade):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48)) / 255.0
            return img, grade


        ds = tf.data.Dataset.from_tensor_slices((paths, grades)).map(load).shuffle(64).batch(8)

        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(NUM_GRADES, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more37-casting-defects-one-hot-labels-binary-focal-one-sigmoid-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=defects,
        expect="must have the same shape",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/casting/*/*.jpg"))
        x = np.array([keras.utils.img_to_array(keras.utils.load_img(f, target_size=(48, 48))) for f in files])
        y = np.array([1 if os.path.basename(os.path.dirname(f)).startswith("def") else 0 for f in files])
        y = keras.utils.to_categorical(y, num_classes=2)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),      # defective or not
        ])
        # few defective parts: focal loss instead of plain BCE
        model.compile(optimizer="adam", loss=keras.losses.BinaryFocalCrossentropy(gamma=2.0),
                      metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more37-label-smoothing-categorical-xent-on-int-dir-labels-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=flowers5,
        pty=True,
        expect="are incompatible",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            seed=5)
        NUM_CLASSES = len(train_ds.class_names)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        # SparseCategoricalCrossentropy has no label_smoothing, so use the categorical one
        loss = keras.losses.CategoricalCrossentropy(label_smoothing=0.1)
        model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more37-coordconv-channels-concat-to-uint8-image-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=flowers5,
        expect="ConcatV2",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 48
        # CoordConv: two extra channels with the normalised x / y position of each pixel
        yy, xx = tf.meshgrid(tf.linspace(-1.0, 1.0, IMG), tf.linspace(-1.0, 1.0, IMG), indexing="ij")
        COORDS = tf.stack([xx, yy], axis=-1)


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize_with_crop_or_pad(img, IMG, IMG)
            img = tf.concat([img, COORDS], axis=-1)
            return img, label


        files = tf.io.gfile.glob("{DATA}/flowers/*/*.jpg")
        class_names = sorted({f.split("/")[-2] for f in files})
        labels = [class_names.index(f.split("/")[-2]) for f in files]
        ds = tf.data.Dataset.from_tensor_slices((files, labels)).shuffle(64).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 5)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more37-one-hot-of-float-label-from-strings-to-number-map-tfk2",
        cause="data.dtype",
        exception="TypeError",
        env="tfk2",
        setup=pets_named,
        expect="TI",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        NUM_CLASSES = 3


        def parse(path):
            name = tf.strings.split(path, "/")[-1]
            label = tf.strings.to_number(tf.strings.split(name, "_")[0])   # "2_004.jpg" -> 2
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48)) / 255.0
            return img, tf.one_hot(label, NUM_CLASSES)


        ds = tf.data.Dataset.list_files("{DATA}/photos/*.jpg", seed=0).map(parse).batch(8)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more37-class-folders-of-symlinks-into-unmounted-usb-drive-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=symlinked,
        pty=True,
        expect="No such file or directory",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/dataset", image_size=(48, 48), batch_size=4,
                                                            seed=9)
        NUM_CLASSES = len(train_ds.class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """.replace("@@CNN@@", _cnn()),
    ),
    Case(
        name="keras-more37-tfrecord-shard-cut-short-by-interrupted-copy-tfk2",
        cause="data.missing_or_corrupt",
        exception="DataLossError",
        env="tfk2",
        setup=tfrecord_cut,
        pty=True,
        expect="truncated",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        FEATURES = {
            "image": tf.io.FixedLenFeature([], tf.string),
            "label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            img = tf.io.decode_jpeg(ex["image"], channels=3)
            img = tf.image.resize(img, (48, 48)) / 255.0
            return img, ex["label"]


        files = tf.io.gfile.glob("{DATA}/records/train-*.tfrec")
        print("shards:", len(files))
        ds = (tf.data.TFRecordDataset(files, num_parallel_reads=tf.data.AUTOTUNE)
              .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
              .shuffle(128)
              .batch(8)
              .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more37-nb-labels-csv-semicolon-separated-excel-export-k3",
        cause="data.missing_or_corrupt",
        also=("other",),
        exception="KeyError",
        expect="KeyError",
        **notebook([
            """
            import csv
            import numpy as np
            import keras
            from keras import layers

            ROOT = "{DATA}/skin"
            CLASSES = ["benign", "malignant"]
            """,
            """
            # labels.csv was cleaned up in Excel before training
            with open(f"{ROOT}/labels.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            print(len(rows), "rows")
            x = np.array([keras.utils.img_to_array(keras.utils.load_img(f"{ROOT}/images/{r['filename']}"))
                          for r in rows]) / 255.0
            y = np.array([CLASSES.index(r["label"]) for r in rows])
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5)
            """,
        ], data=semicolon_csv),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more37-hardhat-crops-boxes-exported-for-1280px-images-640px-files-tfk2",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=roboflow_pixels,
        expect="crop_to_bounding_box",
        code="""
        import csv

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/hardhats"
        CLASSES = ["helmet", "head"]
        rows = list(csv.DictReader(open(f"{ROOT}/_annotations.csv")))
        paths = [f"{ROOT}/{r['filename']}" for r in rows]
        boxes = [[int(r["ymin"]), int(r["xmin"]), int(r["ymax"]), int(r["xmax"])] for r in rows]
        labels = [CLASSES.index(r["class"]) for r in rows]


        def crop(path, box, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            patch = tf.image.crop_to_bounding_box(img, box[0], box[1], box[2] - box[0], box[3] - box[1])
            patch = tf.image.resize(patch, (64, 64)) / 255.0
            return patch, label


        # stage two: a helmet / no-helmet classifier on the head crops
        ds = tf.data.Dataset.from_tensor_slices((paths, boxes, labels)).map(crop).batch(4)
        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more37-anchor-kmeans-rng-choice-nine-centres-six-boxes-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        setup=few_boxes,
        expect="larger sample than population",
        code="""
        import json

        import numpy as np

        NUM_ANCHORS = 9
        INPUT = 128


        def iou_wh(wh, centres):
            inter = np.minimum(wh[:, None, 0], centres[None, :, 0]) * np.minimum(wh[:, None, 1], centres[None, :, 1])
            union = wh[:, 0:1] * wh[:, 1:2] + (centres[:, 0] * centres[:, 1])[None] - inter
            return inter / union


        def kmeans_anchors(wh, k, seed=0, iters=100):
            rng = np.random.default_rng(seed)
            centres = wh[rng.choice(len(wh), k, replace=False)]
            for _ in range(iters):
                assign = np.argmax(iou_wh(wh, centres), axis=1)
                new = np.array([wh[assign == j].mean(0) if np.any(assign == j) else centres[j] for j in range(k)])
                if np.allclose(new, centres):
                    break
                centres = new
            return centres[np.argsort(centres.prod(1))]


        ann = json.load(open("{DATA}/weld/boxes.json"))
        wh = np.array([[x2 - x1, y2 - y1] for boxes in ann.values() for x1, y1, x2, y2 in boxes], dtype=float)
        print(f"{len(ann)} images, {len(wh)} weld defect boxes")
        anchors = kmeans_anchors(wh / INPUT, NUM_ANCHORS)
        print("anchors:", np.round(anchors * INPUT).astype(int).tolist())
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more37-input-shape-img-size-tuple-inside-tuple-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="TypeError",
        setup=flowers5,
        expect="'<' not supported between instances of 'tuple' and 'int'",
        code="""
        import keras
        from keras import layers

        IMG_SIZE = (160, 160)
        BATCH_SIZE = 8
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=IMG_SIZE,
                                                            batch_size=BATCH_SIZE, seed=11)
        NUM_CLASSES = len(train_ds.class_names)

        base = keras.applications.MobileNetV2(input_shape=(IMG_SIZE, IMG_SIZE, 3), include_top=False, weights=None)
        base.trainable = False
        inputs = keras.Input(shape=(IMG_SIZE, IMG_SIZE, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more37-globalaveragepooling1d-typo-on-conv-features-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        setup=flowers5,
        expect="expected ndim=3, found ndim=4",
        code="""
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            seed=12)
        num_classes = len(train_ds.class_names)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.GlobalAveragePooling1D(),
            layers.Dense(128, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.summary()
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more37-siamese-verification-head-two-softmax-units-bce-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=pairs,
        pty=True,
        expect="must have the same shape",
        code="""
        import glob
        import itertools
        import os

        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/faces/*/*.jpg"))
        person = [os.path.basename(os.path.dirname(f)) for f in files]
        imgs = np.array([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files]) / 255.0
        a_idx, b_idx, same = [], [], []
        for i, j in itertools.combinations(range(len(files)), 2):
            a_idx.append(i)
            b_idx.append(j)
            same.append(float(person[i] == person[j]))
        xa, xb, y = imgs[a_idx], imgs[b_idx], np.array(same)[:, None]

        encoder = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64),
        ], name="encoder")
        in_a, in_b = keras.Input((48, 48, 3)), keras.Input((48, 48, 3))
        diff = layers.Lambda(lambda t: keras.ops.abs(t[0] - t[1]))([encoder(in_a), encoder(in_b)])
        out = layers.Dense(2, activation="softmax", name="same_person")(diff)
        siamese = keras.Model([in_a, in_b], out)
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, epochs=5, batch_size=16)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more37-np-saved-get-weights-into-model-with-batchnorm-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=np_weights,
        expect="set_weights",
        code="""
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            seed=13)

        # v2: BatchNormalization after every conv; start from the v1 weights
        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        weights = np.load("{DATA}/flowers_weights.npy", allow_pickle=True)
        model.set_weights(list(weights))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.api_misuse
    # =================================================================== env.version_incompat
    Case(
        name="keras-more37-predict-proba-removed-in-tf26-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers5,
        pty=True,
        expect="predict_proba",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            seed=16)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        img = keras.utils.load_img("{DATA}/flowers/roses/roses_001.jpg", target_size=(48, 48))
        x = np.expand_dims(keras.utils.img_to_array(img), 0)
        proba = model.predict_proba(x)
        for name, p in sorted(zip(class_names, proba[0]), key=lambda t: -t[1]):
            print(f"{name:12s} {p:.3f}")
        """.replace("@@CNN@@", _cnn()),
    ),
    Case(
        name="keras-more37-tf1-set-random-seed-in-train-script-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        setup=flowers5,
        expect="set_random_seed",
        code="""
        import random

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        SEED = 42
        random.seed(SEED)
        np.random.seed(SEED)
        tf.random.set_random_seed(SEED)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            seed=SEED)
        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more37-to-categorical-ade20k-masks-150-classes-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=ade_masks,
        as_limit=6 * 1024**3,
        expect="Unable to allocate",
        code="""
        import glob

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        NUM_CLASSES = 150
        images = sorted(glob.glob("{DATA}/ade/images/*.jpg"))
        masks = sorted(glob.glob("{DATA}/ade/annotations/*.png"))
        x = np.array([np.asarray(Image.open(p).resize((512, 512)), dtype=np.uint8) for p in images])
        y = np.array([np.asarray(Image.open(p), dtype=np.uint8) for p in masks])
        print("images", x.shape, "masks", y.shape)
        y = keras.utils.to_categorical(y, NUM_CLASSES)     # one-hot masks for categorical_crossentropy
        print("one-hot masks", y.shape)
        """,
    ),
    # =================================================================== optim.divergence
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more37-denoiser-ssim-loss-in-numpy-function-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=noisy_scans,
        expect="No gradients provided",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        noisy = np.array([np.asarray(Image.open(p), dtype="float32")[..., None] / 255.0
                          for p in sorted(glob.glob("{DATA}/scans/noisy/*.png"))])
        clean = np.array([np.asarray(Image.open(p), dtype="float32")[..., None] / 255.0
                          for p in sorted(glob.glob("{DATA}/scans/clean/*.png"))])


        def ssim_np(a, b, c1=0.01 ** 2, c2=0.03 ** 2):
            mu_a, mu_b = a.mean(axis=(1, 2, 3)), b.mean(axis=(1, 2, 3))
            va, vb = a.var(axis=(1, 2, 3)), b.var(axis=(1, 2, 3))
            cov = ((a - mu_a[:, None, None, None]) * (b - mu_b[:, None, None, None])).mean(axis=(1, 2, 3))
            s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (va + vb + c2))
            return np.float32(1.0 - s.mean())


        def ssim_loss(y_true, y_pred):
            loss = tf.numpy_function(ssim_np, [y_true, y_pred], tf.float32)
            return tf.reshape(loss, [])          # numpy_function loses the shape


        inp = keras.Input((48, 48, 1))
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss=ssim_loss)
        model.fit(noisy, clean, epochs=10, batch_size=4)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more37-nb-fstring-on-history-slice-list-tfk2",
        cause="other",
        exception="TypeError",
        env="tfk2",
        expect="unsupported format string passed to list.__format__",
        **notebook([
            """
            from tensorflow import keras
            from tensorflow.keras import layers
            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", validation_split=0.2, subset="both", seed=17, image_size=(48, 48), batch_size=8)
            """,
            """
            model = keras.Sequential([
                layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(5, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=2)
            """,
            """
            final_acc = history.history["val_accuracy"][-1:]
            print(f"final validation accuracy: {final_acc:.2%}")
            """,
        ], data=flowers5),
    ),
    Case(
        name="keras-more37-per-class-accuracy-report-empty-test-class-k3",
        cause="other",
        also=("data.missing_or_corrupt",),
        exception="ZeroDivisionError",
        setup=test_split_missing_class,
        pty=True,
        expect="division by zero",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/fruit/train", image_size=(48, 48),
                                                            batch_size=8, seed=18)
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/fruit/test", image_size=(48, 48),
                                                           batch_size=8, shuffle=False)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)

        y_true = np.concatenate([y.numpy() for _, y in test_ds])
        y_pred = np.argmax(model.predict(test_ds), axis=1)
        print("per-class accuracy")
        for c, name in enumerate(class_names):
            total = int(np.sum(y_true == c))
            correct = int(np.sum((y_true == c) & (y_pred == c)))
            print(f"  {name:8s} {correct}/{total} = {correct / total:.1%}")
        """.replace("@@CNN@@", _cnn()),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
