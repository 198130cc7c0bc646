"""An eighth set of real Keras / TensorFlow failures, centred on the everyday
image classification and segmentation training beginners write, in code paths
keras_more.py ... keras_more7.py leave out: image_dataset_from_directory
(a label list one row short of the folder, ``subset`` without
``validation_split``, flow_from_directory's ``label_mode="sparse"``, a
``.classes`` attribute looked up for class weights, ``map(preprocess_input)``
on (image, label) pairs, one-hot labels one-hot encoded again in a map,
uint8 photos normalised to [-1, 1] in a tf.data map), hand-written loaders
(a flat glob over class folders that finds nothing, ``.ipynb_checkpoints``
inside a class folder, RGBA / grayscale PNGs stacked with RGB photos),
ImageDataGenerator (a float ``brightness_range``, ``save_format="jpg"`` for
augmented previews, a mask generator left on the default class_mode and zipped
with the image generator, predictions from ``samples // batch_size`` steps
compared with ``classes``, a validation subset with no ``validation_split``,
``.ipynb_checkpoints`` counted as a class), model.fit shapes (input_shape taken
from ``x_train.shape``, Flatten after a variable-size input), losses against
label encodings (a binary label_mode against a two-unit softmax head, a
one-unit sigmoid head with a sparse loss, integer masks against a categorical
loss, masks without a channel axis in a Dice loss, grey-level masks through
to_categorical, tf.one_hot on masks that keep their channel axis),
transfer-learning heads (a head built on a layer object, a KerasTensor added to
a Sequential model, a two-number input_shape for VGG16, a weights file path
that is not there, bottleneck features saved without pooling), callbacks (a
callback class not instantiated, the Coursera ``logs.get("accuracy")`` test
with an ``acc`` metric, ``K.set_value`` on the learning rate), saving and
loading (a Keras 3 .h5 file loaded in TF 2.12, ``optimizers.legacy``,
``load_weights(by_name=True)`` on a .weights.h5 file, plot_model without
pydot), fit arguments (class_weight as an array, ``from_logits`` given to
compile, Keras 1 ``nb_epoch``), and notebook slips (a cell re-run that adds a
second channel axis or one-hot encodes the labels twice, ``model`` overwritten
by the History, the History subscripted, the ``image`` module shadowed by a
loaded image, argmax over a batch of predictions without an axis, the
validation curves of a run with no validation data).

Notebook cases run every cell through a real IPython InteractiveShell (``nb``
from _record.py). The TF environments have no IPython, so the setup links
IPython and its pure-Python dependencies from the torch environment (same
CPython 3.11) into the case's project folder.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more8.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _record import imgs, sub  # noqa: E402
from _tfrecord import Case, both, make_images, notebook  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402



# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "rose", "tulip"], per_class=5, size=(48, 48), fmt="jpeg")


def cats_dogs(d: Path):
    make_images(d / "train", ["cats", "dogs"], per_class=6, size=(64, 64), fmt="jpeg")


def cats_dogs_test(d: Path):
    make_images(d / "test", ["cats", "dogs"], per_class=5, size=(64, 64), fmt="jpeg", seed=4)


photos_flat = imgs([(f"photos/IMG_{i:04d}.jpg", (64, 64), "RGB") for i in range(14)])


def photos_labels_csv(d: Path):
    photos_flat(d)
    rows = ["file,label"] + [f"IMG_{i:04d}.jpg,{i % 3}" for i in range(12)]   # two photos added later
    (d / "labels.csv").write_text("\n".join(rows) + "\n")


def flowers_with_checkpoints(d: Path):
    flowers(d)
    # Jupyter opened one of the photos in its editor
    ck = d / "flowers" / "rose" / ".ipynb_checkpoints"
    ck.mkdir()
    (ck / "rose_000-checkpoint.jpg").write_bytes((d / "flowers" / "rose" / "rose_000.jpg").read_bytes())


def garbage_with_checkpoints(d: Path):
    make_images(d / "garbage" / "train", ["glass", "paper", "plastic"], per_class=4, size=(48, 48), fmt="jpeg")
    (d / "garbage" / "train" / ".ipynb_checkpoints").mkdir()


mixed_modes = imgs([(f"signs/stop/stop_{i:02d}.png", (64, 64), "RGB") for i in range(5)]
                   + [("signs/stop/stop_05.png", (64, 64), "RGBA")]
                   + [(f"signs/yield/yield_{i:02d}.png", (64, 64), "RGB") for i in range(4)]
                   + [("signs/yield/yield_04.png", (64, 64), "L")])


def seg_pairs(d: Path, levels=(0, 1, 2), n=8, size=64, folder="seg", sub_dir=""):
    """images/ and masks/ with PNG masks holding the given grey levels."""
    import numpy as np
    rng = np.random.default_rng(21)
    for i in range(n):
        img = rng.integers(0, 255, size=(size, size, 3), dtype=np.uint8)
        mask = np.zeros((size, size), np.uint8)
        mask[size // 4: size // 2, :] = levels[1]
        if len(levels) > 2:
            mask[size // 2:, size // 3:] = levels[2]
        _png(d / folder / "images" / sub_dir / f"{i:03d}.png", img)
        _png(d / folder / "masks" / sub_dir / f"{i:03d}.png", mask)


def seg_levels_255(d: Path):
    seg_pairs(d, levels=(0, 128, 255), folder="road")


def seg_binary_gen(d: Path):
    seg_pairs(d, levels=(0, 255), folder="lesions", sub_dir="all")


def seg_three(d: Path):
    seg_pairs(d, levels=(0, 1, 2), folder="seg")


def keras3_h5_model(d: Path):
    """The model file a Colab run (TF 2.21 / Keras 3) saved as .h5."""
    code = textwrap.dedent("""
        import sys, keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(8, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save(sys.argv[1])
    """)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(d), "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run([str(_tfrecord.env_python("k3")), "-c", code, str(d / "flower_model.h5")],
                   check=True, env=env, capture_output=True)


def one_photo(d: Path):
    import numpy as np
    rng = np.random.default_rng(5)
    _png(d / "test" / "sunflower.png", rng.integers(0, 255, size=(64, 64, 3), dtype=np.uint8))


# a small classifier used by several Keras 3 scripts
CNN = """
model = keras.Sequential([
    keras.Input((@@S@@, @@S@@, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(@@N@@, activation="@@A@@"),
])
"""

# the same in tf.keras (Keras 2) spelling
CNN_TF = """
model = tf.keras.models.Sequential([
    tf.keras.layers.Conv2D(16, (3, 3), activation="relu", input_shape=(@@S@@, @@S@@, 3)),
    tf.keras.layers.MaxPooling2D(2, 2),
    tf.keras.layers.Conv2D(32, (3, 3), activation="relu"),
    tf.keras.layers.MaxPooling2D(2, 2),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dense(@@N@@, activation="@@A@@"),
])
"""

UNET = """
def small_unet(n_out, act):
    inputs = keras.Input((64, 64, 3))
    c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    p1 = layers.MaxPooling2D()(c1)
    c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
    u1 = layers.UpSampling2D()(c2)
    m1 = layers.Concatenate()([u1, c1])
    c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(m1)
    outputs = layers.Conv2D(n_out, 1, activation=act)(c3)
    return keras.Model(inputs, outputs)
"""


def cnn(size, n, act="softmax", tfk=False):
    return textwrap.indent(sub(CNN_TF if tfk else CNN, S=str(size), N=str(n), A=act), " " * 8)


def unet():
    return textwrap.indent(UNET, " " * 8)


CASES = [
    # ============================================================ image_dataset_from_directory
    Case(
        name="keras-more8-dir-labels-list-shorter-than-folder-k3",
        cause="data.label_shape",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        env="k3",
        setup=photos_labels_csv,
        code="""
        import csv
        import keras
        from keras import layers

        # labels exported from the annotation tool, one row per photo
        with open("{DATA}/labels.csv") as f:
            labels = [int(row["label"]) for row in csv.DictReader(f)]
        print(len(labels), "labels")

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/photos",
            labels=labels,
            label_mode="int",
            image_size=(64, 64),
            batch_size=8,
        )
        """ + cnn(64, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-dir-subset-without-validation-split-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=flowers,
        code="""
        import tensorflow as tf

        data_dir = "{DATA}/flowers"
        batch_size = 8
        img_height = 48
        img_width = 48

        train_ds = tf.keras.utils.image_dataset_from_directory(
          data_dir,
          subset="training",
          seed=123,
          image_size=(img_height, img_width),
          batch_size=batch_size)

        val_ds = tf.keras.utils.image_dataset_from_directory(
          data_dir,
          subset="validation",
          seed=123,
          image_size=(img_height, img_width),
          batch_size=batch_size)
        """,
    ),
    Case(
        name="keras-more8-dir-label-mode-sparse-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing import image_dataset_from_directory

        IMG_SIZE = (48, 48)
        # the loss wants integer labels, so ask for sparse ones
        train_dataset = image_dataset_from_directory("{DATA}/flowers", shuffle=True, batch_size=8,
                                                     image_size=IMG_SIZE, label_mode="sparse")
        """ + cnn(48, 3, tfk=True) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_dataset, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-dir-dataset-classes-for-class-weight-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        setup=flowers,
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        class_names = train_ds.class_names
        train_ds = train_ds.prefetch(buffer_size=8)

        # balance the classes, as in the flow_from_directory version of this script
        counts = np.bincount(train_ds.classes)
        class_weight = {i: len(train_ds.classes) / (len(class_names) * c) for i, c in enumerate(counts)}
        """ + cnn(48, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5, class_weight=class_weight)
        """,
    ),
    Case(
        name="keras-more8-dir-map-preprocess-input-on-pairs-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=flowers,
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(96, 96), batch_size=8)
        train_ds = train_ds.map(preprocess_input).prefetch(tf.data.AUTOTUNE)

        base_model = MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        base_model.trainable = False
        model = keras.Sequential([base_model, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more8-dir-binary-labels-two-unit-softmax-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        env="k3",
        setup=cats_dogs,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", label_mode="binary", image_size=(64, 64), batch_size=4, seed=7)
        """ + cnn(64, 2) + """
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-dir-categorical-labels-one-hot-again-k3",
        cause="data.label_shape",
        also=("data.dtype",),
        exception="TypeError",
        env="k3",
        setup=flowers,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", label_mode="categorical", image_size=(48, 48), batch_size=8)

        def prepare(images, labels):
            return images / 255.0, tf.one_hot(labels, NUM_CLASSES)

        train_ds = train_ds.map(prepare)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-map-uint8-normalise-minus-one-k3",
        cause="data.dtype",
        exception="TypeError",
        env="k3",
        setup=cats_dogs,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        files = tf.data.Dataset.list_files("{DATA}/train/*/*.jpg", shuffle=True)

        def load(path):
            image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            image = tf.image.resize(image, (64, 64), method="nearest")
            image = (image - 127.5) / 127.5          # scale to [-1, 1]
            label = tf.cast(tf.strings.regex_full_match(path, ".*dogs.*"), tf.float32)
            return image, label

        train_ds = files.map(load).batch(4)
        """ + cnn(64, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ hand-written loaders
    Case(
        name="keras-more8-glob-flat-pattern-over-class-folders-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="k3",
        setup=cats_dogs,
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        files = glob.glob("{DATA}/train/*.jpg")
        X = np.array([np.array(Image.open(f).resize((64, 64))) for f in files], dtype="float32") / 255.0
        y = np.array([0 if "cat" in f else 1 for f in files])
        print("X:", X.shape, "y:", y.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=10, batch_size=16, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more8-listdir-loader-ipynb-checkpoints-k3",
        cause="data.missing_or_corrupt",
        exception="IsADirectoryError",
        env="k3",
        setup=flowers_with_checkpoints,
        code="""
        import os
        import numpy as np
        from PIL import Image

        DATA_DIR = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(DATA_DIR))
        X, y = [], []
        for idx, cls in enumerate(CLASSES):
            folder = os.path.join(DATA_DIR, cls)
            for fname in os.listdir(folder):
                img = Image.open(os.path.join(folder, fname)).convert("RGB").resize((48, 48))
                X.append(np.asarray(img, dtype=np.float32) / 255.0)
                y.append(idx)
        X, y = np.stack(X), np.array(y)
        np.savez("{DATA}/flowers_48.npz", x=X, y=y)
        print("saved", X.shape)
        """,
    ),
    Case(
        name="keras-more8-loader-rgba-and-gray-png-stack-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=mixed_modes,
        code="""
        import os
        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        root = "{DATA}/signs"
        class_names = sorted(os.listdir(root))
        images, labels = [], []
        for label, name in enumerate(class_names):
            for f in sorted(os.listdir(os.path.join(root, name))):
                img = Image.open(os.path.join(root, name, f)).resize((64, 64))
                images.append(np.array(img))
                labels.append(label)

        x_train = np.array(images) / 255.0
        y_train = np.array(labels)
        """ + cnn(64, 2) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """,
    ),
    # ============================================================ ImageDataGenerator (Keras 2)
    Case(
        name="keras-more8-datagen-brightness-range-float-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=cats_dogs,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        train_datagen = ImageDataGenerator(rescale=1./255,
                                           horizontal_flip=True,
                                           brightness_range=0.2)
        train_generator = train_datagen.flow_from_directory("{DATA}/train", target_size=(64, 64),
                                                            batch_size=4, class_mode="binary")
        """ + cnn(64, 1, "sigmoid", tfk=True) + """
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_generator, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-datagen-seg-mask-generator-default-class-mode-tf212",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="AttributeError",
        env="tf212",
        setup=seg_binary_gen,
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow import keras
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        SEED = 42
        image_datagen = ImageDataGenerator(rescale=1. / 255)
        mask_datagen = ImageDataGenerator(rescale=1. / 255)
        image_generator = image_datagen.flow_from_directory("{DATA}/lesions/images", target_size=(64, 64),
                                                            class_mode=None, batch_size=4, seed=SEED)
        mask_generator = mask_datagen.flow_from_directory("{DATA}/lesions/masks", target_size=(64, 64),
                                                          color_mode="grayscale", batch_size=4, seed=SEED)
        train_generator = zip(image_generator, mask_generator)
        """ + unet() + """
        model = small_unet(1, "sigmoid")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_generator, steps_per_epoch=2, epochs=3)
        """,
    ),
    Case(
        name="keras-more8-datagen-predict-floor-steps-vs-classes-tf212",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf212",
        setup=both(cats_dogs, cats_dogs_test),
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        batch_size = 4
        datagen = ImageDataGenerator(rescale=1. / 255)
        train_gen = datagen.flow_from_directory("{DATA}/train", target_size=(64, 64), batch_size=batch_size,
                                                class_mode="categorical")
        test_gen = datagen.flow_from_directory("{DATA}/test", target_size=(64, 64), batch_size=batch_size,
                                               class_mode="categorical", shuffle=False)
        """ + cnn(64, 2, tfk=True) + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2, verbose=2)

        preds = model.predict(test_gen, steps=test_gen.samples // batch_size)
        y_pred = np.argmax(preds, axis=1)
        y_true = test_gen.classes
        cm = tf.math.confusion_matrix(y_true, y_pred, num_classes=2)
        print(cm.numpy())
        """,
    ),
    Case(
        name="keras-more8-datagen-ipynb-checkpoints-extra-class-tf212",
        cause="data.missing_or_corrupt",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        env="tf212",
        setup=garbage_with_checkpoints,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        NUM_CLASSES = 3      # glass, paper, plastic
        datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/garbage/train", target_size=(48, 48), batch_size=4,
                                                class_mode="categorical")
        print(train_gen.class_indices)
        """ + cnn(48, "NUM_CLASSES", tfk=True) + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=3)
        """,
    ),
    # ============================================================ model.fit shapes
    Case(
        name="keras-more8-input-shape-from-x-train-shape-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers

        x_train = np.random.rand(200, 32, 32, 3).astype("float32")
        y_train = np.random.randint(0, 10, 200)

        model = keras.Sequential([
            layers.Conv2D(32, (3, 3), activation="relu", input_shape=x_train.shape),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5, batch_size=32)
        """,
    ),
    Case(
        name="keras-more8-input-shape-from-x-train-shape-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Conv2D, MaxPool2D, Flatten, Dense

        X_train = np.random.rand(150, 64, 64, 3)
        y_train = tf.keras.utils.to_categorical(np.random.randint(0, 4, 150), 4)

        model = Sequential()
        model.add(Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=X_train.shape))
        model.add(MaxPool2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(4, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X_train, y_train, batch_size=16, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-variable-size-input-flatten-dense-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        code="""
        import keras
        from keras import layers

        # any photo size should work, so leave height and width open
        inputs = keras.Input(shape=(None, None, 3))
        x = layers.Conv2D(32, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(64, 3, activation="relu")(x)
        x = layers.Flatten()(x)
        x = layers.Dense(128, activation="relu")(x)
        outputs = layers.Dense(5, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.summary()
        """,
    ),
    # ============================================================ losses vs label encodings
    Case(
        name="keras-more8-binary-sigmoid-head-sparse-loss-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="k3",
        setup=cats_dogs,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=(64, 64), batch_size=4)
        """ + cnn(64, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-seg-int-masks-categorical-loss-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        setup=seg_three,
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        images = sorted(glob.glob("{DATA}/seg/images/*.png"))
        masks = sorted(glob.glob("{DATA}/seg/masks/*.png"))
        X = np.stack([np.array(Image.open(p)) for p in images]).astype("float32") / 255.0
        Y = np.stack([np.array(Image.open(p)) for p in masks])[..., np.newaxis]   # class ids 0, 1, 2
        print(X.shape, Y.shape, np.unique(Y))
        """ + unet() + """
        model = small_unet(3, "softmax")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, Y, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-seg-masks-without-channel-axis-dice-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        setup=seg_binary_gen,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers

        images = sorted(glob.glob("{DATA}/lesions/images/all/*.png"))
        masks = sorted(glob.glob("{DATA}/lesions/masks/all/*.png"))
        X = np.stack([np.array(Image.open(p)) for p in images]).astype("float32") / 255.0
        Y = np.stack([np.array(Image.open(p)) for p in masks]).astype("float32") / 255.0

        def dice_coef(y_true, y_pred, smooth=1.0):
            intersection = tf.reduce_sum(y_true * y_pred)
            return (2.0 * intersection + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + smooth)

        def dice_loss(y_true, y_pred):
            return 1.0 - dice_coef(y_true, y_pred)
        """ + unet() + """
        model = small_unet(1, "sigmoid")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=dice_loss, metrics=[dice_coef])
        model.fit(X, Y, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more8-seg-gray-level-masks-to-categorical-tf215",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="tf215",
        setup=seg_levels_255,
        code="""
        import os
        import numpy as np
        from PIL import Image
        from tensorflow.keras.utils import to_categorical

        N_CLASSES = 3   # background, road, lane marking
        mask_dir = "{DATA}/road/masks"
        masks = np.array([np.array(Image.open(os.path.join(mask_dir, f))) for f in sorted(os.listdir(mask_dir))])
        print("masks:", masks.shape, masks.dtype)
        y_train = to_categorical(masks, num_classes=N_CLASSES)
        print("one-hot masks:", y_train.shape)
        """,
    ),
    Case(
        name="keras-more8-seg-one-hot-mask-keeps-channel-axis-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        setup=seg_three,
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        NUM_CLASSES = 3
        image_paths = sorted(tf.io.gfile.glob("{DATA}/seg/images/*.png"))
        mask_paths = sorted(tf.io.gfile.glob("{DATA}/seg/masks/*.png"))

        def load(image_path, mask_path):
            image = tf.image.decode_png(tf.io.read_file(image_path), channels=3)
            image = tf.cast(image, tf.float32) / 255.0
            mask = tf.image.decode_png(tf.io.read_file(mask_path), channels=1)
            mask = tf.one_hot(tf.cast(mask, tf.int32), NUM_CLASSES)
            return image, mask

        train_ds = tf.data.Dataset.from_tensor_slices((image_paths, mask_paths)).map(load).batch(4)
        """ + unet() + """
        model = small_unet(NUM_CLASSES, "softmax")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # ============================================================ transfer-learning heads
    Case(
        name="keras-more8-transfer-head-on-layer-object-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import keras
        from keras.applications import MobileNetV2
        from keras.layers import Dense, GlobalAveragePooling2D, Dropout
        from keras.models import Model

        base_model = MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3))
        for layer in base_model.layers:
            layer.trainable = False

        x = base_model.layers[-1]
        x = GlobalAveragePooling2D()(x)
        x = Dropout(0.2)(x)
        predictions = Dense(4, activation="softmax")(x)
        model = Model(inputs=base_model.input, outputs=predictions)
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more8-transfer-sequential-add-base-output-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import tensorflow as tf

        IMG_SHAPE = (96, 96, 3)
        base_model = tf.keras.applications.ResNet50(input_shape=IMG_SHAPE, include_top=False, weights=None)
        base_model.trainable = False

        model = tf.keras.Sequential()
        model.add(base_model.output)
        model.add(tf.keras.layers.GlobalAveragePooling2D())
        model.add(tf.keras.layers.Dense(5, activation="softmax"))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more8-transfer-vgg16-input-shape-two-numbers-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        code="""
        import tensorflow as tf
        from tensorflow.keras.applications.vgg16 import VGG16

        IMAGE_SIZE = [224, 224]
        vgg = VGG16(input_shape=IMAGE_SIZE, weights=None, include_top=False)
        for layer in vgg.layers:
            layer.trainable = False
        x = tf.keras.layers.Flatten()(vgg.output)
        prediction = tf.keras.layers.Dense(2, activation="softmax")(x)
        model = tf.keras.Model(inputs=vgg.input, outputs=prediction)
        """,
    ),
    Case(
        name="keras-more8-transfer-weights-file-not-found-k3",
        cause="model.weights_mismatch",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        code="""
        import keras

        # no internet on the lab machine: the weights were copied by hand into ./weights
        WEIGHTS = "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5"
        base = keras.applications.ResNet50(include_top=False, weights=WEIGHTS, input_shape=(224, 224, 3))
        base.trainable = False
        """,
    ),
    Case(
        name="keras-more8-transfer-bottleneck-features-without-pooling-tf212",
        cause="model.input_shape",
        exception="ValueError",
        env="tf212",
        setup=cats_dogs,
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1. / 255)
        generator = datagen.flow_from_directory("{DATA}/train", target_size=(64, 64), batch_size=4,
                                                class_mode=None, shuffle=False)
        base = tf.keras.applications.VGG16(include_top=False, weights=None, input_shape=(64, 64, 3))
        bottleneck_features_train = base.predict(generator, steps=len(generator))
        np.save("bottleneck_features_train.npy", bottleneck_features_train)

        train_data = np.load("bottleneck_features_train.npy")
        train_labels = generator.classes

        top_model = tf.keras.Sequential([
            tf.keras.layers.Dense(256, activation="relu", input_shape=(512,)),
            tf.keras.layers.Dropout(0.5),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        top_model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
        top_model.fit(train_data, train_labels, epochs=10, batch_size=4)
        """,
    ),
    # ============================================================ callbacks
    Case(
        name="keras-more8-callback-class-not-instantiated-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=cats_dogs,
        code="""
        import keras
        from keras import layers
        from keras.callbacks import EarlyStopping, ModelCheckpoint

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", validation_split=0.25, subset="both", seed=1, image_size=(64, 64), batch_size=4)
        """ + cnn(64, 2) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        callbacks = [EarlyStopping, ModelCheckpoint("best.keras", save_best_only=True)]
        model.fit(train_ds, validation_data=val_ds, epochs=20, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more8-callback-logs-get-accuracy-none-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class myCallback(tf.keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs={}):
                if logs.get('accuracy') > 0.99:
                    print("\\nReached 99% accuracy so cancelling training!")
                    self.model.stop_training = True

        (x_train, y_train) = (np.random.rand(256, 28, 28), np.random.randint(0, 10, 256))
        x_train = x_train / 255.0
        callbacks = myCallback()

        model = tf.keras.models.Sequential([
            tf.keras.layers.Flatten(input_shape=(28, 28)),
            tf.keras.layers.Dense(128, activation=tf.nn.relu),
            tf.keras.layers.Dense(10, activation=tf.nn.softmax)
        ])
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['acc'])
        model.fit(x_train, y_train, epochs=10, callbacks=[callbacks])
        """,
    ),
    Case(
        name="keras-more8-callback-backend-set-value-lr-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        setup=cats_dogs,
        code="""
        import keras
        from keras import layers
        from keras import backend as K

        class StepDecay(keras.callbacks.Callback):
            def __init__(self, drop=0.5, every=2):
                super().__init__()
                self.drop, self.every = drop, every

            def on_epoch_begin(self, epoch, logs=None):
                if epoch > 0 and epoch % self.every == 0:
                    lr = float(self.model.optimizer.learning_rate)
                    K.set_value(self.model.optimizer.learning_rate, lr * self.drop)
                    print(f"epoch {epoch}: lr -> {lr * self.drop}")

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=(64, 64), batch_size=4)
        """ + cnn(64, 2) + """
        model.compile(optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=6, callbacks=[StepDecay()], verbose=2)
        """,
    ),
    # ============================================================ fit / compile arguments
    Case(
        name="keras-more8-fit-nb-epoch-keras1-k3",
        cause="env.version_incompat",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Dropout, Input
        from keras.utils import to_categorical

        X_train = np.random.rand(128, 28, 28, 1).astype("float32")
        Y_train = to_categorical(np.random.randint(0, 10, 128), 10)

        model = Sequential()
        model.add(Input((28, 28, 1)))
        model.add(Conv2D(32, (3, 3), activation='relu'))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Dropout(0.25))
        model.add(Flatten())
        model.add(Dense(10, activation='softmax'))
        model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
        model.fit(X_train, Y_train, batch_size=32, nb_epoch=10, verbose=1)
        """,
    ),
    Case(
        name="keras-more8-class-weight-as-array-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        setup=flowers,
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        labels = np.concatenate([y.numpy() for _, y in train_ds])
        counts = np.bincount(labels)
        # same numbers as sklearn's compute_class_weight("balanced", ...)
        class_weights = len(labels) / (len(counts) * counts)
        print("class weights:", class_weights)
        """ + cnn(48, 3) + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5, class_weight=class_weights)
        """,
    ),
    Case(
        name="keras-more8-compile-from-logits-keyword-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf

        x_train = np.random.rand(100, 32, 32, 3).astype("float32")
        y_train = np.random.randint(0, 10, 100)

        model = tf.keras.models.Sequential([
            tf.keras.layers.Input((32, 32, 3)),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(10),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", from_logits=True,
                      metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5)
        """,
    ),
    # ============================================================ saving / loading
    Case(
        name="keras-more8-keras3-h5-loaded-in-tf212-batch-shape",
        cause="env.version_incompat",
        exception="TypeError",
        env="tf212",
        setup=both(keras3_h5_model, one_photo),
        code="""
        import numpy as np
        import tensorflow as tf

        # model trained on Colab and downloaded as flower_model.h5
        model = tf.keras.models.load_model("{DATA}/flower_model.h5")
        img = tf.keras.utils.load_img("{DATA}/test/sunflower.png", target_size=(64, 64))
        x = np.expand_dims(tf.keras.utils.img_to_array(img), 0)
        print(model.predict(x))
        """,
    ),
    Case(
        name="keras-more8-optimizers-legacy-adam-k3",
        cause="env.version_incompat",
        exception="ImportError",
        env="k3",
        setup=cats_dogs,
        code="""
        import tensorflow as tf

        # the M1 notes say the new optimizer is slow, use the legacy one
        opt = tf.keras.optimizers.legacy.Adam(learning_rate=1e-3)

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/train", image_size=(64, 64), batch_size=4)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2),
        ])
        model.compile(optimizer=opt, loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more8-load-weights-by-name-weights-h5-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        env="k3",
        code="""
        import keras
        from keras import layers

        def backbone():
            inputs = keras.Input((64, 64, 3))
            x = layers.Conv2D(16, 3, activation="relu", name="conv1")(inputs)
            x = layers.Conv2D(32, 3, activation="relu", name="conv2")(x)
            return inputs, layers.GlobalAveragePooling2D(name="gap")(x)

        # stage 1: pretrained on 10 classes
        inputs, feats = backbone()
        old = keras.Model(inputs, layers.Dense(10, activation="softmax", name="head")(feats))
        old.save_weights("stage1.weights.h5")

        # stage 2: same backbone, new 4-class head; reuse what matches by layer name
        inputs, feats = backbone()
        new = keras.Model(inputs, layers.Dense(4, activation="softmax", name="head_4")(feats))
        new.load_weights("stage1.weights.h5", by_name=True, skip_mismatch=True)
        """,
    ),
    Case(
        name="keras-more8-plot-model-without-pydot-k3",
        cause="env.version_incompat",
        exception="ImportError",
        env="k3",
        code="""
        import keras
        from keras import layers
        from keras.utils import plot_model

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ])
        model.summary()
        plot_model(model, to_file="model.png", show_shapes=True)
        """,
    ),
    # ============================================================ notebooks
    Case(
        name="keras-more8-nb-gray-to-rgb-cell-rerun-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            x_train = np.random.randint(0, 255, (200, 32, 32)).astype("float32") / 255.0
            y_train = np.random.randint(0, 10, 200)
            """,
            """
            # the pretrained backbone wants 3 channels
            x_train = np.repeat(x_train[..., np.newaxis], 3, axis=-1)
            print(x_train.shape)
            """,
            # the same cell run a second time
            """
            # the pretrained backbone wants 3 channels
            x_train = np.repeat(x_train[..., np.newaxis], 3, axis=-1)
            print(x_train.shape)
            """,
            """
            base = tf.keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)
            model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                         tf.keras.layers.Dense(10, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            "model.fit(x_train, y_train, epochs=3, batch_size=32)",
        ]),
    ),
    Case(
        name="keras-more8-nb-to-categorical-cell-rerun-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow.keras.utils import to_categorical
            x_train = np.random.rand(200, 32, 32, 3).astype("float32")
            y_train = np.random.randint(0, 10, 200)
            """,
            """
            y_train = to_categorical(y_train)
            y_train.shape
            """,
            """
            y_train = to_categorical(y_train)
            y_train.shape
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(10, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x_train, y_train, epochs=5, validation_split=0.1)
            """,
        ]),
    ),
    Case(
        name="keras-more8-nb-model-overwritten-by-history-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            x_train = np.random.rand(120, 32, 32, 3).astype("float32")
            y_train = np.random.randint(0, 3, 120)
            x_test = np.random.rand(10, 32, 32, 3).astype("float32")
            """,
            """
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            "model = model.fit(x_train, y_train, epochs=2, verbose=2)",
            """
            predictions = model.predict(x_test)
            predictions.argmax(axis=1)
            """,
        ]),
    ),
    Case(
        name="keras-more8-nb-history-subscripted-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            x = np.random.rand(120, 32, 32, 3).astype("float32")
            y = np.random.randint(0, 2, 120)
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            """,
            "history = model.fit(x, y, validation_split=0.2, epochs=3, verbose=2)",
            """
            acc = history['accuracy']
            val_acc = history['val_accuracy']
            epochs_range = range(len(acc))
            for e, a, v in zip(epochs_range, acc, val_acc):
                print(f"{e}: {a:.3f} {v:.3f}")
            """,
        ]),
    ),
    Case(
        name="keras-more8-nb-val-curves-without-validation-k3",
        cause="model.api_misuse",
        exception="KeyError",
        env="k3",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            x = np.random.rand(120, 32, 32, 3).astype("float32")
            y = np.random.randint(0, 4, 120)
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            "history = model.fit(x, y, epochs=3, batch_size=16, verbose=2)",
            """
            acc = history.history['accuracy']
            val_acc = history.history['val_accuracy']
            loss = history.history['loss']
            val_loss = history.history['val_loss']
            """,
        ]),
    ),
    Case(
        name="keras-more8-nb-image-module-shadowed-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow.keras.preprocessing import image
            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(64, 64, 3)),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(2, activation="softmax"),
            ])
            class_names = ["cats", "dogs"]
            """,
            """
            image = image.load_img("{DATA}/test/cats/cats_000.jpg", target_size=(64, 64))
            x = np.expand_dims(image.img_to_array(image), axis=0) / 255.0
            """,
        ], data=cats_dogs_test),
    ),
    Case(
        name="keras-more8-nb-argmax-batch-predictions-no-axis-k3",
        cause="model.api_misuse",
        exception="IndexError",
        env="k3",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            keras.utils.set_random_seed(0)
            test_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48),
                                                               batch_size=8, shuffle=False)
            class_names = test_ds.class_names
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            """,
            """
            for images, labels in test_ds.take(1):
                predictions = model.predict(images, verbose=0)
                print("predicted:", class_names[np.argmax(predictions)])
            """,
        ], data=flowers),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
