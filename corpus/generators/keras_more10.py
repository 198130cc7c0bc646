"""A tenth set of real Keras / TensorFlow failures, centred on three things
beginners do all the time: transfer learning / fine-tuning with
``keras.applications``, image segmentation with Keras (U-Nets, masks, sample
weights) and saving / loading / serving models, on TF 2.12 / 2.15 (Keras 2) and
TF 2.21 (Keras 3).

Code paths keras_more.py ... keras_more9.py leave out: two copies of one
backbone in a two-branch model or an ensemble (duplicate layer names),
``include_top=False`` with no ``input_shape`` under a Flatten head,
``pooling="avg"`` followed by a second global pooling, VGG16 on 28x28 MNIST and
InceptionV3 on 64x64 tiles (minimum input sizes), ``classes=5`` with ImageNet
weights and the top kept, ``get_layer`` with the backbone name of the default
224 input, a fine-tuning cut-off computed as a float, ``preprocess_input`` on
uint8 tensors inside a tf.data map, a no-top weights file loaded into a model
with its top; segmentation: the Oxford-pets trimap (labels 1..3) gathered into
per-pixel sample weights, ``tf.image.resize`` on 2-D masks read with PIL,
``sample_weight_mode="temporal"`` from old SegNet code, an unpadded U-Net whose
skip connections no longer match; loading and serving: ``load_model`` on a
``save_weights_only`` checkpoint, a model path without its extension,
``latest_checkpoint`` over .h5 weights, ``tf.saved_model.load`` used like a
Keras model, a TFSMLayer with the wrong endpoint, a signature function given
uint8 images, an exported ``serve`` endpoint and a reloaded .keras model given
photos at another size, duplicate (unnamed) weight names in an .h5 file, a
learning-rate schedule without ``get_config`` saved to .h5, a Keras 2 .h5 with
TFOpLambda layers opened by Keras 3, a TF 2.15 checkpoint loaded by Keras 3, a
SavedModel with a custom loss reloaded without it.

Some data (model files written by another TensorFlow) is made in the case's
setup by running the other environment's interpreter; the log shows only the
failing script's own run.

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more10.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import rgb as _rgb, rng as _rng  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, save_png  # noqa: E402



# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "rose", "tulip"], per_class=6, size=(96, 96), fmt="jpeg")


def flowers_small(d: Path):
    make_images(d / "flowers", ["daisy", "rose", "tulip"], per_class=6, size=(64, 64), fmt="jpeg")


def satellite_tiles(d: Path):
    make_images(d / "tiles", ["field", "forest", "urban", "water"], per_class=4, size=(64, 64), fmt="png")


def pets_trimaps(d: Path):
    """Oxford-IIIT-pet style: images/*.jpg and trimaps/*.png with labels 1, 2, 3."""
    rng = _rng(1)
    for i in range(12):
        save_png(d / "pets" / "images" / f"pet_{i:03d}.png", _rgb(64, 64, i))
        save_png(d / "pets" / "trimaps" / f"pet_{i:03d}.png", rng.integers(1, 4, (64, 64)).astype("uint8"))


def lesion_masks(d: Path):
    """binary lesion masks saved as 0/1 grayscale PNGs (no channel axis once read)."""
    rng = _rng(2)
    for i in range(12):
        save_png(d / "lesions" / "images" / f"isic_{i:04d}.png", _rgb(80, 80, i))
        save_png(d / "lesions" / "masks" / f"isic_{i:04d}.png", (rng.random((80, 80)) > 0.7).astype("uint8"))


def road_masks(d: Path):
    """3-class road scenes, masks 0..2 in single-channel PNGs."""
    rng = _rng(3)
    for i in range(12):
        save_png(d / "roads" / "images" / f"road_{i:03d}.png", _rgb(64, 64, 20 + i))
        save_png(d / "roads" / "masks" / f"road_{i:03d}.png", rng.integers(0, 3, (64, 64)).astype("uint8"))


def _in_env(venv: str, code: str, extra_env=None):
    """A setup step that runs `code` with another environment's interpreter (in the data dir)."""
    def run(d: Path):
        env = {"PATH": f"{venv}/bin:/usr/bin:/bin", "HOME": str(d.parent), "CUDA_VISIBLE_DEVICES": "",
               "TF_CPP_MIN_LOG_LEVEL": "3"}
        env.update(extra_env or {})
        subprocess.run([f"{venv}/bin/python", "-c", textwrap.dedent(code)], cwd=d, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return run


TF215 = _tfrecord.VENVS["tf215"]
K3 = _tfrecord.VENVS["k3"]


# a small classifier trained and saved in TF 2.15 with the MobileNetV2 preprocessing inside the model
K2_H5_WITH_PREPROCESS = _in_env(TF215, """
    import os
    import numpy as np
    import tensorflow as tf
    os.makedirs("models", exist_ok=True)
    inputs = tf.keras.Input(shape=(64, 64, 3))
    x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = tf.keras.layers.Conv2D(8, 3, activation="relu")(x)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    outputs = tf.keras.layers.Dense(3, activation="softmax")(x)
    model = tf.keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.random.rand(8, 64, 64, 3) * 255, np.random.randint(0, 3, 8), epochs=1, verbose=0)
    model.save("models/flower_classifier.h5")
""")

# Keras 3 weights (the new .weights.h5 layout) for a small CNN
K3_WEIGHTS = _in_env(K3, """
    import os
    import keras
    os.makedirs("weights", exist_ok=True)
    model = keras.Sequential([
        keras.Input(shape=(64, 64, 3)),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(4, activation="softmax"),
    ])
    model.save_weights("weights/landcover.weights.h5")
""")


LOAD_FOLDER = """
import glob
import numpy as np
from PIL import Image

def load_folder(root, size):
    paths = sorted(glob.glob(root + "/*/*"))
    classes = sorted({p.split("/")[-2] for p in paths})
    x = np.stack([np.asarray(Image.open(p).convert("RGB").resize(size)) for p in paths]).astype("float32")
    y = np.array([classes.index(p.split("/")[-2]) for p in paths])
    return x, y, classes
"""


CASES = [
    # ------------------------------------------------------------ transfer learning
    Case(
        name="keras-more10-transfer-rgb-nir-two-mobilenets-same-name-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="used 2 times",
        code="""
        import keras
        from keras import layers

        # two-branch model: one backbone for the RGB photo, one for the NIR band stacked to 3 channels
        rgb_in = keras.Input(shape=(96, 96, 3), name="rgb")
        nir_in = keras.Input(shape=(96, 96, 3), name="nir")

        rgb_base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3),
                                                  pooling="avg")
        nir_base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3),
                                                  pooling="avg")
        rgb_base.trainable = False
        nir_base.trainable = False

        x = layers.Concatenate()([rgb_base(rgb_in), nir_base(nir_in)])
        x = layers.Dropout(0.3)(x)
        out = layers.Dense(3, activation="softmax")(x)
        model = keras.Model([rgb_in, nir_in], out)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.summary()
        """,
    ),
    Case(
        name="keras-more10-transfer-ensemble-two-resnets-same-name-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=flowers_small,
        expect="used 2 times",
        code=LOAD_FOLDER + """
import tensorflow as tf

x, y, classes = load_folder("{DATA}/flowers", (64, 64))

def backbone():
    base = tf.keras.applications.ResNet50V2(include_top=False, weights=None, input_shape=(64, 64, 3),
                                            pooling="avg")
    base.trainable = False
    return base

# ensemble: average the heads of two frozen backbones
inp = tf.keras.Input(shape=(64, 64, 3))
p1 = tf.keras.layers.Dense(len(classes), activation="softmax")(backbone()(inp))
p2 = tf.keras.layers.Dense(len(classes), activation="softmax")(backbone()(inp))
out = tf.keras.layers.Average()([p1, p2])
model = tf.keras.Model(inp, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=3, batch_size=4)
""",
    ),
    Case(
        name="keras-more10-transfer-notop-no-input-shape-flatten-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=flowers,
        expect="must be fully-defined",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(96, 96), batch_size=8)

        base_model = keras.applications.EfficientNetB0(include_top=False, weights=None)
        base_model.trainable = False

        x = layers.Flatten()(base_model.output)
        x = layers.Dense(256, activation="relu")(x)
        outputs = layers.Dense(3, activation="softmax")(x)
        model = keras.Model(base_model.input, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more10-transfer-notop-no-input-shape-flatten-tf212",
        cause="model.input_shape",
        exception="ValueError",
        env="tf212",
        setup=flowers,
        expect="should be defined",
        code="""
        import tensorflow as tf
        from tensorflow.keras.applications import MobileNetV2
        from tensorflow.keras.layers import Dense, Flatten, Dropout
        from tensorflow.keras.models import Model

        base_model = MobileNetV2(weights=None, include_top=False)
        for layer in base_model.layers:
            layer.trainable = False

        x = base_model.output
        x = Flatten()(x)
        x = Dense(128, activation="relu")(x)
        x = Dropout(0.5)(x)
        predictions = Dense(3, activation="softmax")(x)
        model = Model(inputs=base_model.input, outputs=predictions)
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more10-transfer-pooling-avg-then-global-pool-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        setup=flowers,
        expect="found ndim=2",
        code="""
        import tensorflow as tf

        IMG_SIZE = (96, 96)
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=IMG_SIZE, batch_size=8)

        base_model = tf.keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False,
                                                       weights=None, pooling="avg")
        base_model.trainable = False

        inputs = tf.keras.Input(shape=IMG_SIZE + (3,))
        x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base_model(x, training=False)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        x = tf.keras.layers.Dropout(0.2)(x)
        outputs = tf.keras.layers.Dense(3)(x)
        model = tf.keras.Model(inputs, outputs)
        """,
    ),
    Case(
        name="keras-more10-transfer-vgg16-on-mnist-28px-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="at least 32x32",
        code="""
        import numpy as np
        import keras

        # MNIST-like digits, grayscale 28x28, repeated to 3 channels for VGG16
        rng = np.random.default_rng(0)
        x_train = rng.integers(0, 255, (256, 28, 28)).astype("float32")
        y_train = rng.integers(0, 10, 256)
        x_train = np.repeat(x_train[..., None], 3, axis=-1)
        x_train = keras.applications.vgg16.preprocess_input(x_train)

        base = keras.applications.VGG16(include_top=False, weights=None, input_shape=(28, 28, 3))
        base.trainable = False
        model = keras.Sequential([
            base,
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=3, batch_size=32)
        """,
    ),
    Case(
        name="keras-more10-transfer-inceptionv3-64px-tiles-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        setup=satellite_tiles,
        expect="at least 75x75",
        code="""
        import tensorflow as tf
        from tensorflow.keras.applications.inception_v3 import InceptionV3, preprocess_input

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/tiles", image_size=(64, 64), batch_size=8, label_mode="categorical")
        train_ds = train_ds.map(lambda x, y: (preprocess_input(x), y))

        base = InceptionV3(weights=None, include_top=False, input_shape=(64, 64, 3))
        base.trainable = False
        model = tf.keras.Sequential([
            base,
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more10-transfer-imagenet-top-with-five-classes-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="ValueError",
        expect="1000",
        code="""
        import keras

        NUM_CLASSES = 5
        # keep the ImageNet classifier, just with our five classes
        model = keras.applications.ResNet50(weights="imagenet", include_top=True, classes=NUM_CLASSES)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more10-finetune-get-layer-default-224-name-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="No such layer",
        code="""
        import keras
        from keras import layers

        IMG = 96
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(IMG, IMG), batch_size=8)

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(IMG, IMG, 3))
        base.trainable = False
        inputs = keras.Input(shape=(IMG, IMG, 3))
        x = keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(3, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1)

        # stage 2: unfreeze the top of the backbone (name copied from the tutorial)
        backbone = model.get_layer("mobilenetv2_1.00_224")
        backbone.trainable = True
        for layer in backbone.layers[:100]:
            layer.trainable = False
        model.compile(optimizer=keras.optimizers.Adam(1e-5), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=1)
        """,
    ),
    Case(
        name="keras-more10-preprocess-input-uint8-decode-map-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=flowers,
        code="""
        import glob
        import tensorflow as tf
        from tensorflow.keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input

        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        classes = sorted({p.split("/")[-2] for p in paths})
        labels = [classes.index(p.split("/")[-2]) for p in paths]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)   # already 96x96
            img = preprocess_input(img)
            return img, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8)

        base = MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, pooling="avg")
        base.trainable = False
        model = tf.keras.Sequential([base, tf.keras.layers.Dense(len(classes), activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more10-transfer-notop-weights-into-top-model-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="could not be loaded",
        setup=flowers,
        code="""
        import keras

        # stage 1 (feature extractor) saved the backbone only
        backbone = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(96, 96, 3))
        backbone.save_weights("{PROJECT}/mobilenet_flowers_notop.weights.h5")

        # stage 2: build the full model with its own classifier and reuse the backbone weights
        model = keras.applications.MobileNetV2(include_top=True, weights="{PROJECT}/mobilenet_flowers_notop.weights.h5",
                                               input_shape=(96, 96, 3), classes=3)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(96, 96), batch_size=8)
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ------------------------------------------------------------ segmentation
    Case(
        name="keras-more10-seg-trimap-sample-weights-gather-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=pets_trimaps,
        expect="not in [0, 3)",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        images = sorted(glob.glob("{DATA}/pets/images/*.png"))
        trimaps = sorted(glob.glob("{DATA}/pets/trimaps/*.png"))

        def load(img_path, mask_path):
            img = tf.image.decode_png(tf.io.read_file(img_path), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            mask = tf.image.decode_png(tf.io.read_file(mask_path), channels=1)   # pet / background / border
            return img, mask

        def add_sample_weights(image, label):
            class_weights = tf.constant([2.0, 2.0, 1.0])
            class_weights = class_weights / tf.reduce_sum(class_weights)
            sample_weights = tf.gather(class_weights, indices=tf.cast(label, tf.int32))
            return image, label, sample_weights

        ds = tf.data.Dataset.from_tensor_slices((images, trimaps)).map(load).batch(4)

        inp = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(x)
        out = layers.Conv2D(3, 1)(x)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(ds.map(add_sample_weights), epochs=5)
        """,
    ),
    Case(
        name="keras-more10-seg-resize-2d-mask-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=lesion_masks,
        expect="3 or 4 dimensions",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image

        IMG = 64
        X, Y = [], []
        for p in sorted(glob.glob("{DATA}/lesions/images/*.png")):
            m = p.replace("/images/", "/masks/")
            img = tf.image.resize(np.asarray(Image.open(p)), (IMG, IMG)) / 255.0
            mask = tf.image.resize(np.asarray(Image.open(m)), (IMG, IMG), method="nearest")
            X.append(img)
            Y.append(mask)
        X, Y = np.stack(X), np.stack(Y)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
            keras.layers.Conv2D(1, 1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, Y, epochs=3, batch_size=4)
        """,
    ),
    # ------------------------------------------------------------ saving / loading / serving
    Case(
        name="keras-more10-load-model-on-best-weights-checkpoint-tf215",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf215",
        setup=flowers_small,
        expect="No model config found",
        code=LOAD_FOLDER + """
import tensorflow as tf

x, y, classes = load_folder("{DATA}/flowers", (64, 64))
model = tf.keras.Sequential([
    tf.keras.layers.Rescaling(1 / 255.0, input_shape=(64, 64, 3)),
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
ckpt = tf.keras.callbacks.ModelCheckpoint("best_model.h5", monitor="val_accuracy", save_best_only=True,
                                          save_weights_only=True)
model.fit(x, y, validation_split=0.25, epochs=2, batch_size=4, callbacks=[ckpt], verbose=2)

# --- predict.py part ---
best = tf.keras.models.load_model("best_model.h5")
print(best.predict(x[:2]))
""",
    ),
    Case(
        name="keras-more10-load-model-path-without-extension-tf212",
        cause="model.weights_mismatch",
        exception="OSError",
        env="tf212",
        setup=flowers_small,
        expect="No file or directory found",
        code=LOAD_FOLDER + """
import os
import tensorflow as tf

x, y, classes = load_folder("{DATA}/flowers", (64, 64))
model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x / 255.0, y, epochs=1, batch_size=4, verbose=2)
os.makedirs("saved_models", exist_ok=True)
model.save("saved_models/flower_model.h5")

MODEL_NAME = "flower_model"
restored = tf.keras.models.load_model(os.path.join("saved_models", MODEL_NAME))
restored.summary()
""",
    ),
    Case(
        name="keras-more10-latest-checkpoint-over-h5-weights-tf215",
        cause="model.weights_mismatch",
        also=("model.api_misuse",),
        exception="AttributeError",
        expect="'NoneType' object has no attribute 'endswith'",
        env="tf215",
        setup=flowers_small,
        code=LOAD_FOLDER + """
import os
import tensorflow as tf

x, y, classes = load_folder("{DATA}/flowers", (64, 64))

def create_model():
    model = tf.keras.Sequential([
        tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dense(len(classes), activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model

checkpoint_path = "training_1/cp-{epoch:04d}.h5"
checkpoint_dir = os.path.dirname(checkpoint_path)
cp_callback = tf.keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True, verbose=1)
model = create_model()
model.fit(x / 255.0, y, epochs=2, batch_size=4, callbacks=[cp_callback], verbose=2)

# resume later
latest = tf.train.latest_checkpoint(checkpoint_dir)
model = create_model()
model.load_weights(latest)
loss, acc = model.evaluate(x / 255.0, y, verbose=2)
print("Restored model, accuracy: {:5.2f}%".format(100 * acc))
""",
    ),
    Case(
        name="keras-more10-saved-model-load-then-predict-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        setup=flowers_small,
        expect="has no attribute 'predict'",
        code=LOAD_FOLDER + """
import tensorflow as tf

x, y, classes = load_folder("{DATA}/flowers", (64, 64))
model = tf.keras.Sequential([
    tf.keras.layers.Rescaling(1 / 255.0, input_shape=(64, 64, 3)),
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=1, batch_size=4, verbose=2)
tf.saved_model.save(model, "export/flowers/1")

# serving side
loaded = tf.saved_model.load("export/flowers/1")
probs = loaded.predict(x[:4])
print([classes[i] for i in probs.argmax(axis=1)])
""",
    ),
    Case(
        name="keras-more10-nb-export-load-then-predict-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="has no attribute 'predict'",
        **notebook([
            LOAD_FOLDER + """
import keras
x, y, classes = load_folder("{DATA}/flowers", (64, 64))
model = keras.Sequential([
    keras.Input((64, 64, 3)),
    keras.layers.Rescaling(1 / 255.0),
    keras.layers.Conv2D(16, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=1, batch_size=4, verbose=0)
""",
            'model.export("flowers_savedmodel")',
            """
import tensorflow as tf
reloaded = tf.saved_model.load("flowers_savedmodel")
pred = reloaded.predict(x[:4])
pred.argmax(axis=1)
""",
        ], data=flowers_small),
    ),
    Case(
        name="keras-more10-tfsmlayer-serve-endpoint-on-saved-model-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers_small,
        code=LOAD_FOLDER + """
import tensorflow as tf
import keras

x, y, classes = load_folder("{DATA}/flowers", (64, 64))
model = keras.Sequential([
    keras.Input((64, 64, 3)),
    keras.layers.Rescaling(1 / 255.0),
    keras.layers.Conv2D(16, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, batch_size=4, verbose=0)
tf.saved_model.save(model, "saved_flowers")

# Keras 3 can no longer load_model() a SavedModel: wrap it as a layer
layer = keras.layers.TFSMLayer("saved_flowers", call_endpoint="serve")
inference = keras.Sequential([keras.Input((64, 64, 3)), layer])
print(inference.predict(x[:2]))
""",
    ),
    Case(
        name="keras-more10-signature-uint8-photo-tf215",
        cause="data.dtype",
        exception="InvalidArgumentError",
        expect="uint8 tensor",
        env="tf215",
        setup=flowers_small,
        code=LOAD_FOLDER + """
import numpy as np
import tensorflow as tf
from PIL import Image

x, y, classes = load_folder("{DATA}/flowers", (64, 64))
model = tf.keras.Sequential([
    tf.keras.layers.Rescaling(1 / 255.0, input_shape=(64, 64, 3)),
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x, y, epochs=1, batch_size=4, verbose=0)
model.save("flowers_model")

loaded = tf.saved_model.load("flowers_model")
infer = loaded.signatures["serving_default"]
photo = np.asarray(Image.open(sorted(glob.glob("{DATA}/flowers/rose/*"))[0]))[None]
print(infer(tf.constant(photo)))
""",
    ),
    Case(
        name="keras-more10-loaded-classifier-photos-other-size-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=flowers,
        code="""
        import glob
        import numpy as np
        import keras

        # training (notebook 1) used 64x64 crops and a Flatten head
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Rescaling(1 / 255.0),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.save("flowers.keras")

        # predict.py: new photos from the phone folder, at the size they come in
        model = keras.models.load_model("flowers.keras")
        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))[:4]
        batch = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in paths])
        print(model.predict(batch).argmax(axis=1))
        """,
    ),
    Case(
        name="keras-more10-h5-custom-layer-unnamed-weights-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        expect="name already exists",
        env="tf215",
        setup=flowers_small,
        code=LOAD_FOLDER + """
import tensorflow as tf

class ChannelAttention(tf.keras.layers.Layer):
    def build(self, input_shape):
        c = input_shape[-1]
        self.w = self.add_weight(shape=(c, c), initializer="glorot_uniform", trainable=True)
        self.b = self.add_weight(shape=(c,), initializer="zeros", trainable=True)

    def call(self, x):
        s = tf.reduce_mean(x, axis=[1, 2])
        a = tf.sigmoid(tf.matmul(s, self.w) + self.b)
        return x * a[:, None, None, :]

x, y, classes = load_folder("{DATA}/flowers", (64, 64))
model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
    ChannelAttention(),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x / 255.0, y, epochs=1, batch_size=4, verbose=2)
model.save("attention_cnn.h5")
""",
    ),
    Case(
        name="keras-more10-save-h5-warmup-schedule-no-get-config-tf215",
        cause="model.api_misuse",
        exception="NotImplementedError",
        env="tf215",
        setup=flowers_small,
        code=LOAD_FOLDER + """
import tensorflow as tf

class WarmUpCosine(tf.keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, base_lr, warmup_steps, total_steps):
        self.base_lr = base_lr
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        warm = self.base_lr * step / self.warmup_steps
        cos = 0.5 * self.base_lr * (1 + tf.cos(3.14159 * (step - self.warmup_steps) /
                                              (self.total_steps - self.warmup_steps)))
        return tf.where(step < self.warmup_steps, warm, cos)

x, y, classes = load_folder("{DATA}/flowers", (64, 64))
base = tf.keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None,
                                         pooling="avg")
base.trainable = False
model = tf.keras.Sequential([base, tf.keras.layers.Dense(len(classes), activation="softmax")])
model.compile(optimizer=tf.keras.optimizers.Adam(WarmUpCosine(1e-3, 10, 100)),
              loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x / 127.5 - 1, y, epochs=1, batch_size=4, verbose=2)
model.save("mobilenet_flowers.h5")
""",
    ),
    Case(
        name="keras-more10-keras2-h5-preprocess-tfoplambda-in-k3",
        cause="env.version_incompat",
        exception="ValueError",
        expect="TFOpLambda",
        setup=both(flowers_small, K2_H5_WITH_PREPROCESS),
        code="""
        import glob
        import numpy as np
        import keras
        from PIL import Image

        # classifier trained last year on Colab (TF 2.15), now served with TF 2.21
        model = keras.models.load_model("{DATA}/models/flower_classifier.h5")
        x = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/flowers/*/*.jpg"))[:4]])
        print(model.predict(x).argmax(axis=1))
        """,
    ),
    Case(
        name="keras-more10-savedmodel-dice-loss-reload-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        expect="Unknown loss function",
        env="tf215",
        setup=lesion_masks,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        def dice_loss(y_true, y_pred, smooth=1.0):
            y_true = tf.cast(y_true, tf.float32)
            inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
            union = tf.reduce_sum(y_true, axis=[1, 2, 3]) + tf.reduce_sum(y_pred, axis=[1, 2, 3])
            return 1.0 - (2.0 * inter + smooth) / (union + smooth)

        X = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/lesions/images/*.png"))]) / 255.0
        Y = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/lesions/masks/*.png"))])[..., None]

        inp = tf.keras.Input((80, 80, 3))
        x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        out = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(x)
        model = tf.keras.Model(inp, out)
        model.compile(optimizer="adam", loss=dice_loss)
        model.fit(X, Y, epochs=1, batch_size=4, verbose=2)
        model.save("lesion_unet")              # SavedModel folder

        # continue training in a new session
        model = tf.keras.models.load_model("lesion_unet")
        model.fit(X, Y, epochs=1, batch_size=4, verbose=2)
        """,
    ),
    Case(
        name="keras-more10-export-serve-phone-photo-size-k3",
        cause="model.input_shape",
        exception="TypeError",
        expect="Can not cast TensorSpec",
        setup=flowers,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Rescaling(1 / 255.0),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.export("serving/flowers")

        # the web service: photos as they are uploaded (96x96)
        reloaded = tf.saved_model.load("serving/flowers")
        photo = keras.utils.img_to_array(keras.utils.load_img(sorted(glob.glob("{DATA}/flowers/*/*.jpg"))[0]))
        probs = reloaded.serve(photo[None])
        print(np.argmax(probs, axis=1))
        """,
    ),
    Case(
        name="keras-more10-load-weights-tf-checkpoint-from-tf215-k3",
        cause="env.version_incompat",
        also=("model.weights_mismatch",),
        exception="ValueError",
        setup=both(satellite_tiles, _in_env(TF215, '''
            import os
            import tensorflow as tf
            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(4, activation="softmax"),
            ])
            os.makedirs("checkpoints", exist_ok=True)
            model.save_weights("checkpoints/cp-0010.ckpt")
        ''')),
        code="""
        import keras

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(4, activation="softmax"),
        ])
        # weights from last semester's run (TF 2.15)
        model.load_weights("{DATA}/checkpoints/cp-0010.ckpt")
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/tiles", image_size=(64, 64), batch_size=8)
        model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.evaluate(test_ds)
        """,
    ),
    Case(
        name="keras-more10-seg-sample-weight-mode-temporal-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=road_masks,
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        X = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/roads/images/*.png"))]) / 255.0
        Y = np.stack([np.asarray(Image.open(p)) for p in sorted(glob.glob("{DATA}/roads/masks/*.png"))])
        N, H, W = Y.shape
        class_w = np.array([1.0, 5.0, 2.0])
        # per-pixel weights, flattened like the old SegNet example
        sample_w = class_w[Y].reshape(N, H * W)
        Y = keras.utils.to_categorical(Y, 3).reshape(N, H * W, 3)

        inp = keras.Input((H, W, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.Conv2D(3, 1)(x)
        x = layers.Reshape((H * W, 3))(x)
        out = layers.Activation("softmax")(x)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="categorical_crossentropy", sample_weight_mode="temporal",
                      metrics=["accuracy"])
        model.fit(X, Y, sample_weight=sample_w, epochs=3, batch_size=4)
        """,
    ),
    Case(
        name="keras-more10-seg-unet-valid-padding-concat-tf212",
        cause="model.input_shape",
        exception="ValueError",
        env="tf212",
        setup=lesion_masks,
        expect="Concatenate",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        X = np.stack([np.asarray(Image.open(p).resize((64, 64))) for p in
                      sorted(glob.glob("{DATA}/lesions/images/*.png"))]) / 255.0
        Y = np.stack([np.asarray(Image.open(p).resize((64, 64), Image.NEAREST)) for p in
                      sorted(glob.glob("{DATA}/lesions/masks/*.png"))])[..., None]

        def conv_block(x, f):
            # as in the U-Net paper: unpadded 3x3 convolutions
            x = layers.Conv2D(f, 3, activation="relu")(x)
            return layers.Conv2D(f, 3, activation="relu")(x)

        inputs = layers.Input((64, 64, 3))
        c1 = conv_block(inputs, 16)
        p1 = layers.MaxPooling2D()(c1)
        c2 = conv_block(p1, 32)
        p2 = layers.MaxPooling2D()(c2)
        b = conv_block(p2, 64)
        u2 = layers.Conv2DTranspose(32, 2, strides=2)(b)
        u2 = layers.concatenate([u2, c2])
        c3 = conv_block(u2, 32)
        u1 = layers.Conv2DTranspose(16, 2, strides=2)(c3)
        u1 = layers.concatenate([u1, c1])
        c4 = conv_block(u1, 16)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(c4)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(X, Y, epochs=3, batch_size=4)
        """,
    ),
    Case(
        name="keras-more10-nb-finetune-at-fraction-of-layers-k3",
        cause="model.api_misuse",
        exception="TypeError",
        expect="slice indices must be integers",
        **notebook([
            """
import keras
from keras import layers
train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(96, 96), batch_size=8)
base_model = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
base_model.trainable = False
inputs = keras.Input((96, 96, 3))
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(train_ds, epochs=1, verbose=0)
""",
            """
# fine-tune the top 20% of the backbone
base_model.trainable = True
fine_tune_at = len(base_model.layers) * 0.8
for layer in base_model.layers[:fine_tune_at]:
    layer.trainable = False
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more10-nb-seg-resize-pil-mask-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        expect="3 or 4 dimensions",
        **notebook([
            """
import glob
import numpy as np
import tensorflow as tf
from PIL import Image
image_paths = sorted(glob.glob("{DATA}/roads/images/*.png"))
mask_paths = sorted(glob.glob("{DATA}/roads/masks/*.png"))
len(image_paths), len(mask_paths)
""",
            """
def load_pair(i, size=(128, 128)):
    img = tf.image.resize(np.array(Image.open(image_paths[i])), size) / 255.0
    mask = tf.image.resize(np.array(Image.open(mask_paths[i])), size, method="nearest")
    return img, mask

img, mask = load_pair(0)
img.shape, mask.shape
""",
        ], data=road_masks),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
