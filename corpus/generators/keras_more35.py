"""Untargeted held-out Keras / TF 2 image-training failures (g77, scored 0.83 top-1 and 1.00 top-3 before any rule for it) of beginners and intermediate users who
follow the TensorFlow / Keras tutorials, courses and Colab notebooks with their own photos
(``image_dataset_from_directory``, tf.data, NumPy arrays loaded with PIL, ``keras.applications``
with ``weights=None``, fit / evaluate / predict, callbacks, saving and loading, inference on one new
photo), spread over the cause ids of the taxonomy:

- image sizes: a folder of new phone photos loaded without ``target_size`` and ``np.vstack``-ed for
  ``predict``, a "shortest side to 128" aspect-keeping resize in a tf.data map before ``batch``;
- channels: a whole set of grey + alpha (``LA``) PNG sketches from a drawing app given to an RGB
  model, an RGBA phone screenshot opened with PIL for a single prediction;
- labels: UTKFace ages (1..116) used as class ids for a 100-way softmax, labels kept for the
  photos a loader skipped as unreadable (cardinality);
- dtypes: a TFRecord of ``serialize_tensor`` uint8 images parsed back as float32;
- files: zero-byte JPEGs left by an interrupted copy, a TFRecord glob with the wrong extension
  that matches no shard (empty dataset);
- model inputs: a test directory dataset made with ``batch_size=None`` given to ``evaluate``, a
  Dense-only network declared for flattened pixels given image batches;
- model outputs: a MobileNetV2 (``weights=None``) with its default 1000-class top kept for four
  categorical classes;
- weights: an inference script that rebuilds the head with 256 units for 128-unit weights;
- API: a best-only ``ModelCheckpoint`` on ``val_accuracy`` without validation data followed by
  ``load_weights`` (tf_keras; Keras 3.15 warns and saves every epoch anyway), ``class_names`` read after ``cache().prefetch()`` in a notebook;
- versions: Keras 2 ``fit(workers=..., use_multiprocessing=...)`` under Keras 3, the TF 2 tutorial's
  ``model.save("saved_model/...")`` under Keras 3, a Keras 3 ``.keras`` file opened by tf_keras;
- host memory: ``image_size`` set to the phone's full resolution (oneDNN switched off in the
  script: with it on, TF 2.21 logs the OOM and then segfaults instead of raising);
- divergence: an age regressor on raw pixels and raw years with SGD whose NaN prediction is
  rounded to an int;
- gradients: a Dice loss that thresholds the predicted mask;
- plain bugs: an f-string format spec on the NumPy confidence array, an epoch table printed for
  the planned epochs after EarlyStopping.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more35.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g77): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, both  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more35.py"


# ---------------------------------------------------------------- data helpers
def flowers4(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "sunflowers", "tulips"], per_class=6,
                size=(64, 64), fmt="jpeg", seed=31)


def leaves3(d: Path):
    make_images(d / "leaves", ["healthy", "rust", "scab"], per_class=6, size=(64, 64), fmt="jpeg", seed=32)


def new_phone_photos(d: Path):
    """Training folders at 64 x 64 plus a folder of new photos straight from two phones."""
    flowers4(d)
    r = _rng(33)
    for i, (w, h) in enumerate([(120, 90), (96, 128), (120, 90), (90, 120)]):
        _jpg(d / "new_photos" / f"IMG_{2040 + i}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def phone_mixed_sizes(d: Path):
    make_images(d / "birds", ["finch", "robin", "wren"], per_class=5, fmt="jpeg",
                sizes=[(160, 120), (120, 160), (128, 128), (200, 150)], seed=34)


def la_sketches(d: Path):
    """Sketches exported from a drawing app as grey + alpha PNGs."""
    r = _rng(35)
    for c in ["cat", "house", "tree"]:
        for i in range(6):
            arr = r.integers(0, 255, size=(80, 80, 2), dtype="uint8")
            _png(d / "sketches" / c / f"{c}_{i:03d}.png", arr, mode="LA")


def leaf_model_tfk2(d: Path):
    _prep("tfk2", """
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("leaf_disease_model.h5")
        """, d)
    r = _rng(36)
    from PIL import Image
    arr = r.integers(0, 255, size=(640, 360, 4), dtype="uint8")
    arr[..., 3] = 255
    Image.fromarray(arr, mode="RGBA").save(d / "Screenshot_20240512-101533.png")


def utkface(d: Path):
    """UTKFace-style crops named age_gender_race_date.jpg (ages 1 to 116)."""
    r = _rng(37)
    ages = [1, 4, 9, 15, 22, 23, 26, 28, 30, 34, 35, 38, 41, 45, 50, 53, 58, 61, 66, 70, 75, 80, 85,
            90, 96, 101, 105, 110, 116, 27, 31, 24]
    for i, a in enumerate(ages):
        _jpg(d / "UTKFace" / f"{a}_{i % 2}_{i % 5}_2017011{i:04d}.jpg.chip.jpg",
             r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))


def with_broken(d: Path):
    """Dog / cat photos scraped from the web; two files are HTML error pages."""
    make_images(d / "pets", ["cat", "dog"], per_class=12, size=(48, 48), fmt="jpeg", seed=38)
    (d / "pets" / "cat" / "cat_004.jpg").write_text("<html><body>403 Forbidden</body></html>\n")
    (d / "pets" / "dog" / "dog_009.jpg").write_text("<html><body>Access denied</body></html>\n")


def tfrecord_uint8(d: Path):
    (d / "records").mkdir()
    _prep("k3", """
        import numpy as np
        import tensorflow as tf
        r = np.random.default_rng(39)
        with tf.io.TFRecordWriter("records/train.tfrecord") as w:
            for i in range(24):
                img = r.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)
                feat = {
                    "image": tf.train.Feature(bytes_list=tf.train.BytesList(
                        value=[tf.io.serialize_tensor(tf.constant(img)).numpy()])),
                    "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 3])),
                }
                w.write(tf.train.Example(features=tf.train.Features(feature=feat)).SerializeToString())
        """, d)


def zero_byte_jpegs(d: Path):
    make_images(d / "dataset", ["glass", "metal", "paper", "plastic"], per_class=6, size=(64, 64),
                fmt="jpeg", seed=40)
    for rel in ["metal/metal_003.jpg", "paper/paper_005.jpg"]:
        (d / "dataset" / rel).write_bytes(b"")


def tfrecord_shards(d: Path):
    (d / "tfrecords").mkdir()
    _prep("tfk2", """
        import io
        import numpy as np
        import tensorflow as tf
        from PIL import Image
        r = np.random.default_rng(41)
        for s in range(2):
            with tf.io.TFRecordWriter(f"tfrecords/train-{s:05d}-of-00002.tfrecord") as w:
                for i in range(12):
                    buf = io.BytesIO()
                    Image.fromarray(r.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)).save(buf, "JPEG")
                    feat = {
                        "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[buf.getvalue()])),
                        "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 4])),
                    }
                    w.write(tf.train.Example(features=tf.train.Features(feature=feat)).SerializeToString())
        """, d)


def split_dirs(d: Path):
    classes = ["cardboard", "glass", "metal"]
    make_images(d / "waste" / "train", classes, per_class=6, size=(64, 64), fmt="jpeg", seed=42)
    make_images(d / "waste" / "test", classes, per_class=3, size=(64, 64), fmt="jpeg", seed=43)


def weights128(d: Path):
    leaves3(d)
    _prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(3, activation="softmax"),
        ])
        model.save_weights("leaf_cnn.weights.h5")
        """, d)
    r = _rng(44)
    _jpg(d / "test_leaf.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def keras3_file(d: Path):
    flowers4(d)
    _prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("flower_classifier.keras")      # trained on Colab (Keras 3)
        """, d)


def big_photos(d: Path):
    make_images(d / "plants", ["healthy", "sick"], per_class=8, size=(400, 300), fmt="jpeg", seed=45)


def utk_regression(d: Path):
    utkface(d)


def road_masks(d: Path):
    r = _rng(46)
    for i in range(16):
        _png(d / "cracks" / "images" / f"c{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        _png(d / "cracks" / "masks" / f"c{i:03d}.png", ((r.random((64, 64)) > 0.85) * 255).astype("uint8"))


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(48, 48), fmt="jpeg", seed=47)


def single_photo(d: Path):
    flowers4(d)
    _jpg(d / "my_rose.jpg", _rng(48).integers(0, 255, size=(64, 64, 3), dtype="uint8"))


CNN_K3 = """
model = keras.Sequential([
    keras.Input((64, 64, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(NUM_CLASSES, activation="softmax"),
])
"""


def _cnn(indent: str = "        ") -> str:
    return "\n".join((indent + line) if line else line for line in CNN_K3.strip("\n").splitlines())


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more35-predict-new-photos-load-img-no-target-size-vstack-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=new_phone_photos,
        expect="must match exactly",
        code="""
        import glob

        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=8)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        # classify the photos I took this weekend
        files = sorted(glob.glob("{DATA}/new_photos/*.jpg"))
        batch = []
        for f in files:
            img = keras.utils.load_img(f)
            batch.append(np.expand_dims(keras.utils.img_to_array(img), axis=0))
        images = np.vstack(batch)
        preds = model.predict(images)
        for f, p in zip(files, preds):
            print(f, class_names[int(np.argmax(p))], float(np.max(p)))
        """.replace("@@CNN@@", _cnn().lstrip()),
    ),
    Case(
        name="keras-more35-map-shortest-side-resize-keep-aspect-then-batch-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=phone_mixed_sizes,
        expect="Cannot add tensor to the batch",
        code="""
        import pathlib

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        data_dir = pathlib.Path("{DATA}/birds")
        class_names = sorted(p.name for p in data_dir.iterdir())
        SHORT_SIDE = 128


        def load(path):
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == class_names, tf.int32))
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            # resize so that the shorter side is 128 px, without distorting the bird
            shape = tf.cast(tf.shape(img)[:2], tf.float32)
            scale = SHORT_SIDE / tf.reduce_min(shape)
            new_size = tf.cast(tf.round(shape * scale), tf.int32)
            img = tf.image.resize(img, new_size)
            return img / 255.0, label


        ds = (tf.data.Dataset.list_files(str(data_dir / "*/*.jpg"), shuffle=True, seed=1)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8)
              .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(None, None, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more35-drawing-app-la-png-sketches-pil-array-rgb-model-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=la_sketches,
        expect="expected axis -1",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/sketches"
        CLASSES = sorted(os.listdir(ROOT))
        x, y = [], []
        for path in sorted(glob.glob(f"{ROOT}/*/*.png")):
            img = Image.open(path).resize((64, 64))
            x.append(np.asarray(img, dtype="float32") / 255.0)
            y.append(CLASSES.index(os.path.basename(os.path.dirname(path))))
        x, y = np.array(x), np.array(y)
        print("x:", x.shape, "y:", y.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=6, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more35-predict-rgba-phone-screenshot-pil-no-convert-tfk2",
        cause="data.image_channels",
        exception="ValueError",
        env="tfk2",
        setup=leaf_model_tfk2,
        expect="96, 96, 4)",
        script="predict.py",
        code="""
        import sys

        import numpy as np
        from PIL import Image
        from tensorflow import keras

        CLASSES = ["healthy", "rust", "scab"]
        model = keras.models.load_model("{DATA}/leaf_disease_model.h5")

        path = sys.argv[1] if len(sys.argv) > 1 else "{DATA}/Screenshot_20240512-101533.png"
        img = Image.open(path).resize((96, 96))
        x = np.expand_dims(np.array(img, dtype="float32"), axis=0)
        pred = model.predict(x)[0]
        print(f"{CLASSES[int(np.argmax(pred))]} ({100 * np.max(pred):.1f}%)")
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more35-utkface-ages-as-class-ids-dense-100-softmax-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=utkface,
        pty=True,
        expect="outside the valid range of [0, 100)",
        code="""
        # age estimation as classification: one class per year
        import glob
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/UTKFace/*.jpg"))
        ages = [int(os.path.basename(f).split("_")[0]) for f in files]
        NUM_AGES = 100


        def load(path, age):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48)) / 255.0
            return img, age


        ds = tf.data.Dataset.from_tensor_slices((files, ages)).shuffle(64, seed=0).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_AGES, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more35-loader-skips-unreadable-photos-labels-kept-cardinality-k3",
        cause="data.label_shape",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        setup=with_broken,
        expect="Data cardinality is ambiguous",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image, UnidentifiedImageError

        ROOT = "{DATA}/pets"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])

        images = []
        for f in files:
            try:
                images.append(np.asarray(Image.open(f).convert("RGB").resize((48, 48))))
            except UnidentifiedImageError:
                print("skipping broken file", f)
                continue
        images = np.array(images, dtype="float32") / 255.0

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(images, labels, epochs=5, batch_size=8, shuffle=True)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more35-tfrecord-serialized-uint8-parsed-as-float32-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=tfrecord_uint8,
        expect="Type mismatch between parsed tensor",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        feature_spec = {
            "image": tf.io.FixedLenFeature([], tf.string),
            "label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, feature_spec)
            img = tf.io.parse_tensor(ex["image"], out_type=tf.float32)
            img = tf.reshape(img, (48, 48, 3)) / 255.0
            return img, ex["label"]


        ds = tf.data.TFRecordDataset("{DATA}/records/train.tfrecord").map(parse).shuffle(32).batch(8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more35-dir-dataset-zero-byte-jpegs-interrupted-copy-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=zero_byte_jpegs,
        pty=True,
        code="""
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/dataset"          # copied from the external drive
        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            DATA_DIR, validation_split=0.2, subset="both", seed=123, image_size=(64, 64), batch_size=8)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """.replace("@@CNN@@", _cnn().lstrip()),
    ),
    Case(
        name="keras-more35-tfrecord-glob-wrong-extension-no-shards-empty-fit-tfk2",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tfk2",
        setup=tfrecord_shards,
        expect="Empty logs",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        files = tf.io.gfile.glob("{DATA}/tfrecords/train-*.tfrec")
        print(f"{len(files)} shards")

        features = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/class/label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, features)
            img = tf.image.resize(tf.io.decode_jpeg(ex["image/encoded"], channels=3), (48, 48)) / 255.0
            return img, ex["image/class/label"]


        ds = (tf.data.TFRecordDataset(files, num_parallel_reads=tf.data.AUTOTUNE)
              .map(parse).shuffle(256).batch(16).prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more35-test-dir-dataset-batch-size-none-evaluate-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=split_dirs,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/waste/train", image_size=(64, 64),
                                                            batch_size=8, seed=1)
        # one image at a time for the test set, in a fixed order
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/waste/test", image_size=(64, 64),
                                                           batch_size=None, shuffle=False)
        NUM_CLASSES = len(train_ds.class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)
        loss, acc = model.evaluate(test_ds)
        print(f"test accuracy: {acc:.3f}")
        """.replace("@@CNN@@", _cnn().lstrip()),
    ),
    Case(
        name="keras-more35-dense-only-net-input-12288-no-flatten-image-arrays-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        setup=leaves3,
        expect="12288",
        code="""
        import glob
        import os

        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.utils import img_to_array, load_img

        ROOT = "{DATA}/leaves"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        x = np.array([img_to_array(load_img(f, target_size=(64, 64))) for f in files]) / 255.0
        y = keras.utils.to_categorical([CLASSES.index(f.split("/")[-2]) for f in files], len(CLASSES))

        # a simple fully connected network first, as in the course
        model = keras.Sequential([
            layers.Dense(256, activation="relu", input_shape=(64 * 64 * 3,)),
            layers.Dropout(0.2),
            layers.Dense(128, activation="relu"),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=6)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more35-mobilenetv2-weights-none-default-top-1000-categorical-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=flowers4,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(96, 96),
                                                            batch_size=8, label_mode="categorical")
        print(train_ds.class_names)

        # train MobileNetV2 from scratch (no internet on the lab machine)
        model = keras.applications.MobileNetV2(input_shape=(96, 96, 3), weights=None)
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more35-predict-script-rebuilds-head-256-for-128-unit-weights-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=weights128,
        script="predict.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        CLASSES = ["healthy", "rust", "scab"]


        def build_model():
            return keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(256, activation="relu"),
                layers.Dropout(0.3),
                layers.Dense(len(CLASSES), activation="softmax"),
            ])


        model = build_model()
        model.load_weights("{DATA}/leaf_cnn.weights.h5")
        img = keras.utils.img_to_array(keras.utils.load_img("{DATA}/test_leaf.jpg", target_size=(64, 64)))
        pred = model.predict(img[None])[0]
        print(CLASSES[int(np.argmax(pred))])
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more35-best-checkpoint-val-accuracy-no-validation-load-weights-tfk2",
        cause="model.api_misuse",
        also=("data.missing_or_corrupt",),
        exception="FileNotFoundError",
        env="tfk2",
        expect="Can save best model only with val_accuracy available",
        setup=pets,
        code="""
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        checkpoint = keras.callbacks.ModelCheckpoint("best_model.h5", monitor="val_accuracy",
                                                     save_best_only=True, save_weights_only=True, verbose=1)
        model.fit(train_ds, epochs=3, callbacks=[checkpoint], verbose=2)

        model.load_weights("best_model.h5")     # back to the best epoch
        print(model.evaluate(train_ds, verbose=0))
        """,
    ),
    Case(
        name="keras-more35-nb-class-names-after-cache-shuffle-prefetch-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="has no attribute 'class_names'",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers
            AUTOTUNE = tf.data.AUTOTUNE
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", image_size=(64, 64), batch_size=8
            ).cache().shuffle(100).prefetch(buffer_size=AUTOTUNE)
            """,
            """
            class_names = train_ds.class_names
            num_classes = len(class_names)
            print(class_names)
            """,
        ], data=flowers4),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more35-fit-workers-use-multiprocessing-keras2-args-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=pets,
        expect="unexpected keyword argument 'workers'",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers

        ROOT = "{DATA}/pets"
        CLASSES = sorted(os.listdir(ROOT))


        class PetSequence(keras.utils.Sequence):
            def __init__(self, files, batch_size=8):
                super().__init__()
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f, target_size=(48, 48)))
                              for f in batch]) / 255.0
                y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in batch])
                return x, y


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(PetSequence(sorted(glob.glob(f"{ROOT}/*/*.jpg"))), epochs=5,
                  workers=4, use_multiprocessing=True, max_queue_size=10)
        """,
    ),
    Case(
        name="keras-more35-tutorial-save-saved-model-folder-no-extension-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=flowers4,
        pty=True,
        expect="Invalid filepath extension",
        code="""
        import os

        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=8)
        NUM_CLASSES = len(train_ds.class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        os.makedirs("saved_model", exist_ok=True)
        model.save("saved_model/flower_model")
        """.replace("@@CNN@@", _cnn().lstrip()),
    ),
    Case(
        name="keras-more35-colab-keras3-file-loaded-with-legacy-tf-keras-tfk2",
        cause="env.version_incompat",
        exception="TypeError",
        env="tfk2",
        setup=keras3_file,
        expect="batch_shape",
        script="predict.py",
        code="""
        import numpy as np
        import tensorflow as tf

        print("TensorFlow", tf.__version__)
        model = tf.keras.models.load_model("{DATA}/flower_classifier.keras")
        img = tf.keras.utils.load_img("{DATA}/flowers/roses/roses_000.jpg", target_size=(64, 64))
        pred = model.predict(tf.keras.utils.img_to_array(img)[None])
        print(np.argmax(pred))
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more35-dir-dataset-image-size-full-phone-resolution-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=big_photos,
        as_limit=12 * 1024**3,
        code="""
        import os
        os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"      # silence the oneDNN notice
        import keras
        from keras import layers

        # keep the full resolution of the phone photos, the spots are tiny
        IMG_SIZE = (3024, 4032)
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/plants", image_size=IMG_SIZE, batch_size=16)

        model = keras.Sequential([
            keras.Input(IMG_SIZE + (3,)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more35-age-regressor-raw-pixels-sgd-nan-int-round-tfk2",
        cause="optim.divergence",
        exception="ValueError",
        env="tfk2",
        setup=utk_regression,
        expect="cannot convert float NaN to integer",
        code="""
        import glob
        import os

        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.utils import img_to_array, load_img

        files = sorted(glob.glob("{DATA}/UTKFace/*.jpg"))
        x = np.array([img_to_array(load_img(f, target_size=(48, 48))) for f in files])
        ages = np.array([float(os.path.basename(f).split("_")[0]) for f in files])

        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse",
                      metrics=["mae"])
        model.fit(x, ages, epochs=5, batch_size=8, verbose=2)

        age = model.predict(x[:1], verbose=0)[0][0]
        print(f"predicted age for {os.path.basename(files[0])}: {int(round(age))}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more35-dice-loss-thresholds-predicted-mask-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=road_masks,
        expect="No gradients provided",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        images = sorted(glob.glob("{DATA}/cracks/images/*.png"))
        masks = sorted(glob.glob("{DATA}/cracks/masks/*.png"))
        x = np.array([np.asarray(Image.open(p), dtype="float32") / 255.0 for p in images])
        y = np.array([np.asarray(Image.open(p), dtype="float32")[..., None] / 255.0 for p in masks])


        def dice_loss(y_true, y_pred):
            y_pred = tf.cast(y_pred > 0.5, tf.float32)      # binary mask, like the evaluation
            inter = tf.reduce_sum(y_true * y_pred)
            return 1.0 - (2.0 * inter + 1.0) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + 1.0)


        inputs = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=dice_loss)
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more35-predict-confidence-fstring-on-ndarray-k3",
        cause="other",
        exception="TypeError",
        setup=single_photo,
        expect="unsupported format string passed to numpy.ndarray.__format__",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=8)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        img = keras.utils.load_img("{DATA}/my_rose.jpg", target_size=(64, 64))
        probs = model.predict(np.expand_dims(keras.utils.img_to_array(img), 0))
        label = class_names[np.argmax(probs)]
        confidence = np.max(probs, axis=1)
        print(f"This image most likely belongs to {label} with a {confidence:.2%} confidence.")
        """.replace("@@CNN@@", _cnn().lstrip()),
    ),
    Case(
        name="keras-more35-nb-epoch-table-planned-epochs-after-early-stopping-tfk2",
        cause="other",
        exception="IndexError",
        env="tfk2",
        expect="list index out of range",
        **notebook([
            """
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers
            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", validation_split=0.25, subset="both", seed=7, image_size=(64, 64), batch_size=8)
            """,
            """
            EPOCHS = 15
            model = keras.Sequential([
                layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            early = keras.callbacks.EarlyStopping(monitor="val_accuracy", baseline=0.99, patience=2,
                                                  restore_best_weights=True)
            history = model.fit(train_ds, validation_data=val_ds, epochs=EPOCHS, callbacks=[early], verbose=2)
            """,
            """
            acc = history.history["accuracy"]
            val_acc = history.history["val_accuracy"]
            print("epoch  train  val")
            for epoch in range(EPOCHS):
                print(f"{epoch + 1:5d}  {acc[epoch]:.3f}  {val_acc[epoch]:.3f}")
            """,
        ], data=flowers4),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
