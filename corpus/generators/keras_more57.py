"""Untargeted held-out Keras / TensorFlow image-model failures (g132, scored 0.95 top-1 and 1.00 top-3 before any rule for it) of students of an applied
computer-vision course doing tf.keras transfer learning on small photo sets: MobileNetV2 /
EfficientNetB0 / ResNet50 from ``keras.applications`` (``weights=None`` or weights built locally:
the lab machines have no network), ``preprocess_input``, data-augmentation layers (``RandomFlip``,
``RandomRotation``, ``RandomZoom``), freezing and unfreezing the base for fine-tuning,
``image_dataset_from_directory`` with ``label_mode``, cache / prefetch, ModelCheckpoint and
TensorBoard callbacks, ``evaluate`` / ``predict`` on a held-out folder and a small demo export,
spread over the cause ids of the taxonomy:

- files: a photo zip made on a Mac whose ``__MACOSX`` AppleDouble folder becomes a fourth class,
  a held-out path written with ``~`` that is never expanded, a held-out JPEG cut short by an
  interrupted copy;
- sizes / channels: held-out photos resized with ``preserve_aspect_ratio=True`` then batched, an
  old black-and-white photo in the held-out folder stacked with RGB ones (notebook);
- labels: 1-based grades from the course spreadsheet given as ``labels=``, a model trained on
  ``label_mode="categorical"`` evaluated on a held-out folder loaded with the default int labels, a
  held-out folder with one class not collected yet (one-hot depth 2 for a 3-class head);
- dtypes: ``tf.one_hot`` of ``label_mode="binary"`` float labels, a demo dividing a uint8 photo
  array in place;
- model: ``EfficientNetB0(input_shape=IMG_SIZE)`` without the channel axis, a demo rebuilding the
  model without the hidden ``Dense(128)`` before ``load_weights``, ``preprocess_input`` listed as a
  layer of a ``Sequential``, ``initial_epoch=history.epoch``, ``pooling="average"``;
- training: two optimisers (discriminative learning rates) fed from one non-persistent tape, a
  hand-written cross entropy with a high fine-tuning learning rate (NaN probabilities in the demo);
- resources / environment / other: a similar-photo search over un-pooled feature maps, a demo
  machine with ``TF_USE_LEGACY_KERAS=1`` loading a Keras 3 ``.keras`` file, a thumbnail script
  handing a lambda to ``multiprocessing.Pool``, augmentation previews saved into a folder that
  does not exist.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras for the demo machine; scripts, scripts
under a terminal (progress bars) and a notebook run in a real IPython shell. Everything runs on a CPU.

Every case is a small training / evaluation script that really fails with the library's own error;
the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more57.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g132): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import make_images as _imgs  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more57.py"

FLOWERS = ["daisy", "roses", "tulips"]


# ---------------------------------------------------------------- data helpers
def flowers(root="flowers_photos", classes=FLOWERS, per=8, size=(96, 96), seed=0, sizes=None):
    def setup(d: Path):
        _imgs(d / root, classes, per_class=per, size=size, fmt="jpeg", seed=seed, sizes=sizes)
    return setup


def macosx_zip(d: Path):
    flowers(seed=5701)(d)
    # "Compress 3 items" on the TA's Mac: unzip leaves the AppleDouble resource forks beside the classes
    for c in FLOWERS:
        for i in range(3):
            p = d / "flowers_photos" / "__MACOSX" / c / f"._{c}_{i:03d}.jpg"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 4070)


def train_and_holdout(holdout_classes=FLOWERS, per_holdout=4, seed=5702):
    def setup(d: Path):
        _imgs(d / "train", FLOWERS, per_class=8, size=(96, 96), fmt="jpeg", seed=seed)
        _imgs(d / "holdout", holdout_classes, per_class=per_holdout, size=(96, 96), fmt="jpeg", seed=seed + 1)
    return setup


def truncated_holdout(d: Path):
    train_and_holdout(seed=5703)(d)
    p = d / "holdout" / "tulips" / "tulips_002.jpg"
    b = p.read_bytes()
    p.write_bytes(b[: len(b) // 2])      # scp from the phone was interrupted


# a model of the course notebook, saved by an earlier training run (Keras 3 .keras file)
SAVE_MODEL = """
import keras
from keras import layers
base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
base.trainable = False
inputs = keras.Input((96, 96, 3))
x = @@PRE@@
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(@@N@@, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
import os
os.makedirs(os.path.dirname("@@PATH@@"), exist_ok=True)
model.save("@@PATH@@")
"""


def saved_model(path, n=3, rescale=True):
    pre = "layers.Rescaling(1.0 / 127.5, offset=-1.0)(inputs)" if rescale else "inputs"
    code = SAVE_MODEL.replace("@@PRE@@", pre).replace("@@N@@", str(n)).replace("@@PATH@@", path)

    def setup(d: Path):
        prep("k3", code, d)
    return setup


def mixed_orientation_holdout(d: Path):
    r = _rng(5704)
    for c in FLOWERS:
        for i in range(4):
            w, h = [(120, 90), (100, 100), (90, 120), (128, 96)][i]   # phone: landscape, square, portrait
            _jpg(d / "holdout" / c / f"IMG_{c}_{i:02d}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
    saved_model("models/flowers_mobilenetv2.keras")(d)


def bw_photo_holdout(d: Path):
    from PIL import Image
    r = _rng(5705)
    for i in range(6):
        _jpg(d / "holdout" / f"garden_{i:02d}.jpg", r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))
    # grandma's scanned black-and-white print
    Image.fromarray(r.integers(0, 255, size=(120, 160), dtype="uint8"), mode="L").save(d / "holdout" / "garden_06.jpg")
    saved_model("models/flowers_mobilenetv2.keras")(d)


def graded_photos(d: Path):
    r = _rng(5706)
    rows = ["filename,label,student"]
    for i in range(24):
        fn = f"photo_{i:03d}.jpg"
        _jpg(d / "photos" / fn, r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        rows.append(f"{fn},{1 + i % 4},s{100 + i}")
    (d / "labels.csv").write_text("\n".join(rows) + "\n")


def demo_photo_uint8(d: Path):
    r = _rng(5707)
    _jpg(d / "demo" / "my_tulip.jpg", r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))
    saved_model("models/flowers_mobilenetv2.keras", rescale=False)(d)


HIDDEN_CKPT = """
import os
import keras
from keras import layers
base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
base.trainable = False
inputs = keras.Input((96, 96, 3))
x = layers.RandomFlip("horizontal")(inputs)
x = layers.RandomRotation(0.1)(x)
x = layers.Rescaling(1.0 / 127.5, offset=-1.0)(x)
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(128, activation="relu")(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(4)(x)
model = keras.Model(inputs, outputs)
os.makedirs("checkpoints", exist_ok=True)
model.save_weights("checkpoints/best.weights.h5")
"""


def demo_weights(d: Path):
    r = _rng(5708)
    _jpg(d / "demo" / "street_cat.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
    prep("k3", HIDDEN_CKPT, d)


def search_photos(d: Path):
    r = _rng(5709)
    for i in range(420):
        _jpg(d / "gallery" / f"IMG_{4000 + i}.jpg", r.integers(0, 255, size=(160, 160, 3), dtype="uint8"), quality=70)


def demo_keras3_file(d: Path):
    r = _rng(5710)
    _jpg(d / "demo" / "rose_from_phone.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
    prep("k3", """
        import os
        import keras
        from keras import layers
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        inputs = keras.Input((96, 96, 3))
        x = layers.RandomFlip("horizontal")(inputs)
        x = layers.RandomZoom(0.1)(x)
        x = layers.Rescaling(1.0 / 127.5, offset=-1.0)(x)
        x = base(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(3, activation="softmax")(x)
        os.makedirs("export", exist_ok=True)
        keras.Model(inputs, outputs).save("export/flowers_demo.keras")
    """, d)


def raw_photos(d: Path):
    r = _rng(5711)
    for c in ("cats", "dogs"):
        for i in range(6):
            _jpg(d / "raw" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, size=(300, 400, 3), dtype="uint8"))


def nan_data(d: Path):
    flowers(root="train", seed=5712, per=16)(d)
    _jpg(d / "demo" / "daisy_garden.jpg", _rng(5713).integers(0, 255, size=(96, 96, 3), dtype="uint8"))


# the frozen-base transfer model of the course notebook (96 x 96 photos, logits head)
TRANSFER = """
data_augmentation = keras.Sequential([
    layers.RandomFlip("horizontal"),
    layers.RandomRotation(0.1),
    layers.RandomZoom(0.1),
], name="data_augmentation")

base_model = keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False,
                                            weights=None)   # no internet on the lab machines
base_model.trainable = False

inputs = keras.Input(shape=IMG_SIZE + (3,))
x = data_augmentation(inputs)
x = keras.applications.mobilenet_v2.preprocess_input(x)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(NUM_CLASSES)(x)
model = keras.Model(inputs, outputs)
"""


def transfer(indent="        "):
    return "\n".join((indent + l) if l else l for l in TRANSFER.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more57-mac-zip-macosx-appledouble-folder-becomes-fourth-class-decode-in-fit-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=macosx_zip,
        pty=True,
        expect="Unknown image file format",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/flowers_photos"      # unzipped from flowers_photos.zip (shared by the TA)
        IMG_SIZE = (96, 96)
        BATCH_SIZE = 8

        train_ds = keras.utils.image_dataset_from_directory(
            DATA_DIR, validation_split=0.2, subset="training", seed=123,
            image_size=IMG_SIZE, batch_size=BATCH_SIZE)
        val_ds = keras.utils.image_dataset_from_directory(
            DATA_DIR, validation_split=0.2, subset="validation", seed=123,
            image_size=IMG_SIZE, batch_size=BATCH_SIZE)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        print("classes:", class_names)

        AUTOTUNE = tf.data.AUTOTUNE
        train_ds = train_ds.cache().shuffle(100).prefetch(buffer_size=AUTOTUNE)
        val_ds = val_ds.cache().prefetch(buffer_size=AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """.replace("@@TRANSFER@@", transfer()),
    ),
    Case(
        name="keras-more57-holdout-dir-written-with-tilde-never-expanded-after-training-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=train_and_holdout(),
        pty=True,
        expect="No such file or directory",
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        TRAIN_DIR = os.path.expanduser("~/data/train")
        HOLDOUT_DIR = "~/data/holdout"          # the 12 photos we took ourselves (assignment part 3)
        IMG_SIZE = (96, 96)

        train_ds = keras.utils.image_dataset_from_directory(TRAIN_DIR, image_size=IMG_SIZE, batch_size=8, seed=1)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        holdout_ds = keras.utils.image_dataset_from_directory(HOLDOUT_DIR, image_size=IMG_SIZE, shuffle=False,
                                                              class_names=class_names)
        loss, acc = model.evaluate(holdout_ds)
        print(f"held-out accuracy: {acc:.3f}")
        """.replace("@@TRANSFER@@", transfer()),
    ),
    Case(
        name="keras-more57-holdout-tulip-jpeg-cut-short-by-interrupted-copy-evaluate-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=truncated_holdout,
        pty=True,
        expect="Invalid JPEG data",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8,
                                                            label_mode="categorical", seed=7)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2,
                  callbacks=[keras.callbacks.ModelCheckpoint("flowers_frozen.keras", monitor="loss")])

        holdout_ds = keras.utils.image_dataset_from_directory("{DATA}/holdout", image_size=IMG_SIZE,
                                                              label_mode="categorical", shuffle=False)
        print(dict(zip(model.metrics_names, model.evaluate(holdout_ds))))
        """.replace("@@TRANSFER@@", transfer()),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more57-holdout-resize-preserve-aspect-ratio-portrait-and-landscape-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=mixed_orientation_holdout,
        expect="Cannot add tensor to the batch",
        code="""
        import glob
        import os

        import tensorflow as tf
        import keras

        IMG_SIZE = (96, 96)
        CLASS_NAMES = ["daisy", "roses", "tulips"]
        AUTOTUNE = tf.data.AUTOTUNE

        model = keras.models.load_model("{DATA}/models/flowers_mobilenetv2.keras")

        paths = sorted(glob.glob("{DATA}/holdout/*/*.jpg"))
        labels = [CLASS_NAMES.index(os.path.basename(os.path.dirname(p))) for p in paths]
        print(len(paths), "held-out photos")


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, IMG_SIZE, preserve_aspect_ratio=True)   # don't squash the flowers
            return img, label


        holdout_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                      .map(load, num_parallel_calls=AUTOTUNE)
                      .batch(16)
                      .prefetch(AUTOTUNE))
        loss, acc = model.evaluate(holdout_ds, verbose=2)
        print(f"held-out accuracy: {acc:.2%}")
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more57-notebook-holdout-scanned-black-and-white-print-np-stack-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        expect="all input arrays must have the same shape",
        **notebook([
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            """,
            """
            model = keras.models.load_model("{DATA}/models/flowers_mobilenetv2.keras")
            class_names = ["daisy", "roses", "tulips"]
            paths = sorted(glob.glob("{DATA}/holdout/*.jpg"))
            len(paths)
            """,
            """
            images = [np.asarray(Image.open(p).resize((96, 96)), dtype="float32") for p in paths]
            batch = np.stack(images)
            probs = model.predict(batch)
            for p, row in zip(paths, probs):
                print(p.split("/")[-1], class_names[row.argmax()], f"{row.max():.2f}")
            """,
        ], data=bw_photo_holdout),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more57-labels-list-from-course-spreadsheet-one-based-grades-sparse-xent-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=graded_photos,
        pty=True,
        expect="outside the valid range",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        NUM_CLASSES = 4      # 1 = unripe, 2 = ripe, 3 = overripe, 4 = rotten (labelling sheet, week 5)

        with open("{DATA}/labels.csv") as f:
            rows = sorted(csv.DictReader(f), key=lambda r: r["filename"])
        labels = [int(r["label"]) for r in rows]
        print(len(labels), "labelled photos")

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/photos", labels=labels, label_mode="int", image_size=IMG_SIZE,
            batch_size=8, validation_split=0.25, subset="training", seed=5)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/photos", labels=labels, label_mode="int", image_size=IMG_SIZE,
            batch_size=8, validation_split=0.25, subset="validation", seed=5)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """.replace("@@TRANSFER@@", transfer()),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more57-trained-categorical-holdout-loaded-with-default-int-labels-evaluate-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=train_and_holdout(seed=5714),
        pty=True,
        expect="must have the same rank",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", validation_split=0.25, subset="both", seed=42,
            image_size=IMG_SIZE, batch_size=8, label_mode="categorical")
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        train_ds = train_ds.cache().shuffle(64).prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=2)

        # part 3: our own photos
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/holdout", image_size=IMG_SIZE, shuffle=False)
        test_loss, test_acc = model.evaluate(test_ds)
        print("held-out accuracy:", test_acc)
        """.replace("@@TRANSFER@@", transfer()),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more57-holdout-folder-without-roses-yet-one-hot-depth-two-three-class-head-k3",
        cause="model.output_mismatch",
        also=("data.label_shape", "data.missing_or_corrupt"),
        exception="ValueError",
        setup=train_and_holdout(holdout_classes=["daisy", "tulips"], seed=5715),
        pty=True,
        expect="must have the same shape",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8,
                                                            label_mode="categorical", seed=3)
        NUM_CLASSES = len(train_ds.class_names)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        # roses are not in bloom yet, the held-out folder has the photos we could take
        holdout_ds = keras.utils.image_dataset_from_directory("{DATA}/holdout", image_size=IMG_SIZE,
                                                              label_mode="categorical", shuffle=False)
        print("held-out classes:", holdout_ds.class_names)
        results = model.evaluate(holdout_ds, return_dict=True)
        print(results)
        """.replace("@@TRANSFER@@", transfer()),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more57-binary-label-mode-float-labels-tf-one-hot-for-two-unit-softmax-k3",
        cause="data.dtype",
        also=("data.label_shape",),
        exception="TypeError",
        setup=train_and_holdout(seed=5716),
        expect="DataType float32 not in list",
        code="""
        import datetime

        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        NUM_CLASSES = 2
        log_dir = "logs/fit/" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        callbacks = [
            keras.callbacks.TensorBoard(log_dir=log_dir, histogram_freq=1),
            keras.callbacks.ModelCheckpoint("checkpoints/daisy_vs_roses.keras", save_best_only=True),
        ]

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", class_names=["daisy", "roses"], label_mode="binary",
            image_size=IMG_SIZE, batch_size=8, validation_split=0.25, subset="training", seed=11)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", class_names=["daisy", "roses"], label_mode="binary",
            image_size=IMG_SIZE, batch_size=8, validation_split=0.25, subset="validation", seed=11)

        # two softmax units like the multi-class notebook -> one-hot labels
        to_one_hot = lambda x, y: (x, tf.one_hot(y, NUM_CLASSES))
        train_ds = train_ds.map(to_one_hot).cache().prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.map(to_one_hot).cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.CategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5, callbacks=callbacks)
        """.replace("@@TRANSFER@@", transfer()),
    ),
    Case(
        name="keras-more57-demo-script-divides-uint8-photo-array-in-place-like-preprocess-input-k3",
        cause="data.dtype",
        exception="_UFuncOutputCastingError",
        setup=demo_photo_uint8,
        expect="Cannot cast ufunc",
        code="""
        import sys

        import numpy as np
        from PIL import Image
        import keras

        CLASS_NAMES = ["daisy", "roses", "tulips"]
        model = keras.models.load_model("{DATA}/models/flowers_mobilenetv2.keras")


        def classify(path):
            img = Image.open(path).convert("RGB").resize((96, 96))
            x = np.array(img)
            # same as mobilenet_v2.preprocess_input: scale to [-1, 1]
            x /= 127.5
            x -= 1.0
            probs = model.predict(x[np.newaxis], verbose=0)[0]
            return {name: float(p) for name, p in zip(CLASS_NAMES, probs)}


        path = sys.argv[1] if len(sys.argv) > 1 else "{DATA}/demo/my_tulip.jpg"
        for name, p in sorted(classify(path).items(), key=lambda kv: -kv[1]):
            print(f"{name:>8s}  {p:.3f}")
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more57-efficientnetb0-input-shape-img-size-without-channel-axis-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=train_and_holdout(seed=5717),
        expect="must be a tuple of three integers",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        BATCH_SIZE = 8

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", validation_split=0.2, subset="both", seed=1,
            image_size=IMG_SIZE, batch_size=BATCH_SIZE)
        NUM_CLASSES = len(train_ds.class_names)
        train_ds = train_ds.cache().shuffle(100).prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.cache().prefetch(tf.data.AUTOTUNE)

        callbacks = [
            keras.callbacks.TensorBoard(log_dir="logs/effnetb0"),
            keras.callbacks.ModelCheckpoint("checkpoints/effnetb0_best.keras", monitor="val_accuracy",
                                            save_best_only=True),
        ]

        # EfficientNet rescales inside the model, no preprocess_input needed
        base_model = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=IMG_SIZE)
        base_model.trainable = False

        model = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.15),
            base_model,
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=10, callbacks=callbacks)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more57-demo-rebuild-forgets-hidden-dense-128-before-load-weights-checkpoint-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=demo_weights,
        code="""
        import numpy as np
        import keras
        from keras import layers

        CLASS_NAMES = ["cat", "dog", "fox", "rabbit"]
        IMG_SIZE = (96, 96)


        def build_model():
            # same as the training notebook (augmentation is a no-op at inference)
            base = keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False, weights=None)
            base.trainable = False
            inputs = keras.Input(IMG_SIZE + (3,))
            x = layers.RandomFlip("horizontal")(inputs)
            x = layers.RandomRotation(0.1)(x)
            x = layers.Rescaling(1.0 / 127.5, offset=-1.0)(x)
            x = base(x, training=False)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dropout(0.3)(x)
            outputs = layers.Dense(len(CLASS_NAMES))(x)
            return keras.Model(inputs, outputs)


        model = build_model()
        model.load_weights("{DATA}/checkpoints/best.weights.h5")   # written by ModelCheckpoint(save_weights_only=True)

        img = keras.utils.load_img("{DATA}/demo/street_cat.jpg", target_size=IMG_SIZE)
        logits = model.predict(keras.utils.img_to_array(img)[None], verbose=0)[0]
        print(CLASS_NAMES[int(np.argmax(logits))])
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more57-mobilenet-preprocess-input-function-listed-as-sequential-layer-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=train_and_holdout(seed=5718),
        expect="Only instances of `keras.Layer`",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers
        from keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input

        IMG_SIZE = (96, 96)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8,
                                                            validation_split=0.2, subset="training", seed=9)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8,
                                                          validation_split=0.2, subset="validation", seed=9)
        class_names = train_ds.class_names
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.cache().prefetch(tf.data.AUTOTUNE)

        base_model = MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False, weights=None)
        base_model.trainable = False

        model = keras.Sequential([
            keras.Input(IMG_SIZE + (3,)),
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.1),
            layers.RandomZoom(0.1),
            preprocess_input,
            base_model,
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more57-fine-tune-phase-initial-epoch-given-history-epoch-list-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=train_and_holdout(seed=5719),
        pty=True,
        expect="cannot be interpreted as an integer",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        base_learning_rate = 1e-3

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", validation_split=0.25, subset="both", seed=21, image_size=IMG_SIZE, batch_size=8)
        NUM_CLASSES = len(train_ds.class_names)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        model.compile(optimizer=keras.optimizers.Adam(base_learning_rate),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        initial_epochs = 2
        history = model.fit(train_ds, validation_data=val_ds, epochs=initial_epochs)

        # ---- fine-tuning: unfreeze the top of the base
        base_model.trainable = True
        fine_tune_at = 100
        for layer in base_model.layers[:fine_tune_at]:
            layer.trainable = False
        model.compile(optimizer=keras.optimizers.RMSprop(base_learning_rate / 10),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        fine_tune_epochs = 2
        total_epochs = initial_epochs + fine_tune_epochs
        history_fine = model.fit(train_ds, validation_data=val_ds, epochs=total_epochs,
                                 initial_epoch=history.epoch)
        """.replace("@@TRANSFER@@", transfer()),
    ),
    Case(
        name="keras-more57-efficientnetb0-pooling-average-spelled-out-silently-no-pooling-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=train_and_holdout(seed=5720),
        pty=True,
        expect="must have rank",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8,
                                                            validation_split=0.2, subset="training", seed=4)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8,
                                                          validation_split=0.2, subset="validation", seed=4)
        NUM_CLASSES = len(train_ds.class_names)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.cache().prefetch(tf.data.AUTOTUNE)

        base_model = keras.applications.EfficientNetB0(include_top=False, weights=None,
                                                       input_shape=IMG_SIZE + (3,), pooling="average")
        base_model.trainable = False
        print("base output:", base_model.output_shape)

        model = keras.Sequential([
            keras.Input(IMG_SIZE + (3,)),
            layers.RandomFlip("horizontal"),
            layers.RandomZoom(0.1),
            base_model,
            layers.Dropout(0.2),
            layers.Dense(NUM_CLASSES),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5,
                  callbacks=[keras.callbacks.ModelCheckpoint("effnet_best.keras", save_best_only=True)])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more57-discriminative-lr-two-optimizers-second-gradient-same-tape-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        setup=train_and_holdout(seed=5721),
        pty=True,
        expect="non-persistent GradientTape",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        EPOCHS = 3

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8, seed=2)
        NUM_CLASSES = len(train_ds.class_names)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)

        @@TRANSFER@@

        # fine-tune everything, but the pretrained base 100x slower than the new head
        base_model.trainable = True
        head_vars = [v for v in model.trainable_variables if not any(v is b for b in base_model.trainable_variables)]
        base_vars = base_model.trainable_variables
        head_opt = keras.optimizers.Adam(1e-3)
        base_opt = keras.optimizers.Adam(1e-5)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        acc = keras.metrics.SparseCategoricalAccuracy()

        for epoch in range(EPOCHS):
            print(f"Epoch {epoch + 1}/{EPOCHS}")
            bar = keras.utils.Progbar(len(train_ds), stateful_metrics=["acc"])
            for step, (x, y) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    logits = model(x, training=True)
                    loss = loss_fn(y, logits)
                head_grads = tape.gradient(loss, head_vars)
                head_opt.apply_gradients(zip(head_grads, head_vars))
                base_grads = tape.gradient(loss, base_vars)
                base_opt.apply_gradients(zip(base_grads, base_vars))
                acc.update_state(y, logits)
                bar.update(step + 1, [("loss", float(loss)), ("acc", float(acc.result()))])
        """.replace("@@TRANSFER@@", transfer()),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more57-hand-written-log-loss-high-lr-full-fine-tune-nan-probability-bars-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=nan_data,
        pty=True,
        expect="cannot convert float NaN to integer",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", validation_split=0.25, subset="both", seed=8, image_size=IMG_SIZE, batch_size=8,
            label_mode="categorical")
        class_names = train_ds.class_names
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)
        val_ds = val_ds.cache().prefetch(tf.data.AUTOTUNE)

        base_model = keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False, weights=None)
        base_model.trainable = True              # train it all, the photo set is tiny anyway
        inputs = keras.Input(IMG_SIZE + (3,))
        x = layers.RandomFlip("horizontal")(inputs)
        x = base_model(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(len(class_names), activation="softmax")(x)
        model = keras.Model(inputs, outputs)


        def cross_entropy(y_true, y_pred):
            # the formula from the lecture slides
            return -tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1)


        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5, momentum=0.9), loss=cross_entropy,
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        model.save("flowers_demo.keras")

        img = keras.utils.load_img("{DATA}/demo/daisy_garden.jpg", target_size=IMG_SIZE)
        probs = model.predict(keras.utils.img_to_array(img)[None], verbose=0)[0]
        print("demo photo: daisy_garden.jpg")
        for name, p in zip(class_names, probs):
            print(f"{name:>8s} |{'#' * round(p * 40):<40s}| {p:.1%}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more57-similar-photo-search-unpooled-feature-maps-pairwise-broadcast-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=search_photos,
        pty=True,
        as_limit=16 * 1024**3,
        timeout=420,
        expect="Unable to allocate",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras

        IMG_SIZE = (160, 160)
        paths = sorted(glob.glob("{DATA}/gallery/*.jpg"))
        print(len(paths), "photos in the gallery")

        ds = keras.utils.image_dataset_from_directory("{DATA}/gallery", labels=None, image_size=IMG_SIZE,
                                                      batch_size=32, shuffle=False)
        ds = ds.map(keras.applications.mobilenet_v2.preprocess_input).prefetch(tf.data.AUTOTUNE)

        # feature extractor for the "find similar photos" demo
        extractor = keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False, weights=None)
        features = extractor.predict(ds)
        features = features.reshape(len(features), -1)
        print("features:", features.shape)

        # all pairwise euclidean distances
        dists = np.sqrt(((features[:, None, :] - features[None, :, :]) ** 2).sum(-1))
        for i in range(5):
            nearest = np.argsort(dists[i])[1:4]
            print(os.path.basename(paths[i]), "->", [os.path.basename(paths[j]) for j in nearest])
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more57-demo-machine-tf-use-legacy-keras-loads-keras3-saved-file-tfk2",
        cause="env.version_incompat",
        exception="TypeError",
        env="tfk2",
        setup=demo_keras3_file,
        expect="batch_shape",
        code="""
        import numpy as np
        import tensorflow as tf

        # department demo server (TF_USE_LEGACY_KERAS=1 for the other course's TF-Hub models)
        print("TensorFlow", tf.__version__)
        CLASS_NAMES = ["daisy", "roses", "tulips"]

        model = tf.keras.models.load_model("{DATA}/export/flowers_demo.keras")
        img = tf.keras.utils.load_img("{DATA}/demo/rose_from_phone.jpg", target_size=(96, 96))
        probs = model.predict(np.expand_dims(tf.keras.utils.img_to_array(img), 0))[0]
        print(CLASS_NAMES[int(np.argmax(probs))], f"{probs.max():.2f}")
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more57-thumbnail-script-pool-map-lambda-before-image-dataset-k3",
        cause="env.multiprocessing",
        exception="PicklingError",
        setup=raw_photos,
        expect="Can't pickle",
        code="""
        import glob
        import os
        from multiprocessing import Pool

        from PIL import Image
        import keras

        SRC = "{DATA}/raw"
        DST = "{DATA}/thumbs"
        IMG_SIZE = (96, 96)


        def make_thumb(path, size):
            out = path.replace(SRC, DST)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with Image.open(path) as im:
                im.convert("RGB").resize(size, Image.BILINEAR).save(out, quality=90)
            return out


        if __name__ == "__main__":
            paths = sorted(glob.glob(os.path.join(SRC, "*", "*.jpg")))
            print(f"resizing {len(paths)} photos with {os.cpu_count()} processes")
            with Pool(4) as pool:
                done = pool.map(lambda p: make_thumb(p, IMG_SIZE), paths)
            print(len(done), "thumbnails")

            train_ds = keras.utils.image_dataset_from_directory(DST, image_size=IMG_SIZE, batch_size=8)
            print(train_ds.class_names)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more57-augmentation-preview-save-img-into-folder-never-created-k3",
        cause="other",
        also=("data.missing_or_corrupt",),
        exception="FileNotFoundError",
        setup=train_and_holdout(seed=5722),
        expect="No such file or directory",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = (96, 96)
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=IMG_SIZE, batch_size=8, seed=6)
        class_names = train_ds.class_names

        data_augmentation = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.2),
            layers.RandomZoom(0.2),
        ])

        # figure for the report: nine augmented versions of the first photo
        for images, labels in train_ds.take(1):
            first = images[:1]
            for i in range(9):
                augmented = data_augmentation(first, training=True)
                keras.utils.save_img(f"report/augmentation/{class_names[int(labels[0])]}_{i}.png", augmented[0])
        print("saved augmentation previews")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
