"""Held-out Keras / TF image-training failures (g78, scored 0.81 top-1 and 0.96 top-3 before any rule for it) of 2017-2023 code (Keras 2 standalone and tf.keras
tutorials, TF1-style scripts, books and courses, ImageAI 2.x-style trainers, old GitHub
repositories) run against today's libraries, with about a third look-alikes that are not version
problems but print similar messages:

- versions, Keras backend: the keras.io captcha OCR example's ``keras.backend.ctc_batch_cost``,
  a squeeze-and-excite block's ``K.int_shape``, Monte Carlo dropout via ``K.set_learning_phase(1)``
  (notebook);
- versions, Keras 3 model / layer / optimizer behaviour: Keras 2 weight names
  (``"conv2d/kernel:0"``) looked up in a filter-visualisation dict, ``optimizer.get_weights()``
  pickled for resuming, the Keras 2.0 "pop the last layer" trick (``model.outputs = [...]``),
  ``batch_input_shape=`` on the first Conv2D, ``tf.keras.callbacks.experimental.BackupAndRestore``;
- versions, saving: ``model.to_yaml()`` on tf_keras, an h5py 2 snippet that ``.decode()``s the
  ``model_config`` attribute of a tf_keras ``.h5``;
- versions, TF1: ``tf.logging.set_verbosity`` in a train.py main, ``make_one_shot_iterator`` on a
  dataset fed to ``fit``, ``tf.layers.conv2d`` after a half migration to ``tf.compat.v1``
  placeholders, TF-for-Poets ``tf.gfile.GFile`` writing the labels file;
- versions, packages and NumPy: an ImageAI 2-style trainer importing ``keras_preprocessing``,
  ``np.array(batch, copy=False)`` in a Sequence (NumPy 2), a uint8 brightness jitter with a negative
  Python int (NumPy 2 / NEP 50 ``OverflowError``), ``np.asscalar`` in an evaluation report;
- look-alikes (not version problems): ``history.histroy`` in a notebook, a kwarg typo
  (``activaton=``) on tf_keras, ``epochs=`` given to ``compile``, a ``tensorflow.py`` test file next
  to train.py shadowing the library, a helper module imported under a wrong name, a functional
  head wired to a second ``Input`` (graph disconnected), a truncated ``.h5`` download, ``np.arrray``,
  a ``Train`` folder spelled ``train``.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1), NumPy 2; scripts, scripts under a terminal (progress bars) and notebook
cells run in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more36.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g78): the cases were generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, both  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more36.py"


# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=6,
                size=(64, 64), fmt="jpeg", seed=1)


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(48, 48), fmt="jpeg", seed=3)


def pets_split(d: Path):
    make_images(d / "dataset" / "Train", ["cat", "dog"], per_class=6, size=(48, 48), fmt="jpeg", seed=4)
    make_images(d / "dataset" / "Validation", ["cat", "dog"], per_class=3, size=(48, 48), fmt="jpeg", seed=5)


def imageai_layout(d: Path):
    """ImageAI 2 layout: <dir>/train/<class>, <dir>/test/<class>."""
    make_images(d / "idenprof" / "train", ["chef", "doctor", "engineer", "pilot"], per_class=5,
                size=(64, 64), fmt="jpeg", seed=6)
    make_images(d / "idenprof" / "test", ["chef", "doctor", "engineer", "pilot"], per_class=2,
                size=(64, 64), fmt="jpeg", seed=7)


def captchas(d: Path):
    """Captcha PNGs named by their text (the keras.io OCR example's captcha_images_v2)."""
    r = _rng(8)
    chars = "2345678bcdefgmnpwxy"
    for i in range(24):
        text = "".join(chars[int(k)] for k in r.integers(0, len(chars), 5))
        _png(d / "captcha_images_v2" / f"{text}.png", r.integers(0, 255, size=(50, 200, 3), dtype="uint8"))


def digits_npz(d: Path):
    r = _rng(9)
    x = r.integers(0, 255, size=(64, 28, 28), dtype="uint8")
    y = r.integers(0, 10, size=(64,))
    import numpy as np
    (d / "mnist").mkdir(parents=True, exist_ok=True)
    np.savez(d / "mnist" / "mnist_small.npz", x_train=x, y_train=y)


def pets_cnn_keras(d: Path):
    pets(d)
    _prep("k3", """
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("pets_cnn.keras")
        """, d)


def truncated_h5(d: Path):
    pets(d)
    _prep("tfk2", """
        from tensorflow import keras
        from tensorflow.keras import layers

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("pets_model.h5")
        b = open("pets_model.h5", "rb").read()
        open("pets_model.h5", "wb").write(b[: len(b) // 2])   # the download from the shared drive stopped
        """, d)


def shadowing_tensorflow_py(d: Path):
    pets(d)
    project = d.parent / "project"
    (project / "tensorflow.py").write_text(
        "# quick check that the install works\n"
        "import tensorflow as tf\n"
        "print(tf.__version__)\n"
        "print(tf.config.list_physical_devices())\n"
    )


def utils_package(d: Path):
    flowers(d)
    project = d.parent / "project"
    (project / "utils").mkdir()
    (project / "utils" / "__init__.py").write_text("")
    (project / "utils" / "data_loader.py").write_text(
        "import tensorflow as tf\n\n\n"
        "def load_split(root, image_size=(64, 64), batch_size=8, subset=None, seed=123):\n"
        "    return tf.keras.utils.image_dataset_from_directory(\n"
        "        root, image_size=image_size, batch_size=batch_size,\n"
        "        validation_split=0.2, subset=subset, seed=seed)\n"
    )


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== versions: Keras backend
    Case(
        name="keras-more36-captcha-ocr-ctc-layer-backend-ctc-batch-cost-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=captchas,
        expect="ctc_batch_cost",
        code="""
        import os
        from pathlib import Path

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # OCR model for reading captchas (keras.io example, 2020)
        data_dir = Path("{DATA}/captcha_images_v2/")
        images = sorted(list(map(str, list(data_dir.glob("*.png")))))
        labels = [img.split(os.path.sep)[-1].split(".png")[0] for img in images]
        characters = sorted(set(char for label in labels for char in label))
        print("Number of images found: ", len(images))
        print("Number of unique characters: ", len(characters))

        batch_size = 8
        img_width = 200
        img_height = 50
        downsample_factor = 4
        max_length = max([len(label) for label in labels])

        char_to_num = layers.StringLookup(vocabulary=list(characters), mask_token=None)
        num_to_char = layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)


        def encode_single_sample(img_path, label):
            img = tf.io.read_file(img_path)
            img = tf.io.decode_png(img, channels=1)
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = tf.image.resize(img, [img_height, img_width])
            img = tf.transpose(img, perm=[1, 0, 2])
            label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
            return {"image": img, "label": label}


        train_dataset = tf.data.Dataset.from_tensor_slices((np.array(images), np.array(labels)))
        train_dataset = (train_dataset.map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
                         .batch(batch_size).prefetch(buffer_size=tf.data.AUTOTUNE))


        class CTCLayer(layers.Layer):
            def __init__(self, name=None):
                super().__init__(name=name)
                self.loss_fn = keras.backend.ctc_batch_cost

            def call(self, y_true, y_pred):
                batch_len = tf.cast(tf.shape(y_true)[0], dtype="int64")
                input_length = tf.cast(tf.shape(y_pred)[1], dtype="int64")
                label_length = tf.cast(tf.shape(y_true)[1], dtype="int64")
                input_length = input_length * tf.ones(shape=(batch_len, 1), dtype="int64")
                label_length = label_length * tf.ones(shape=(batch_len, 1), dtype="int64")
                loss = self.loss_fn(y_true, y_pred, input_length, label_length)
                self.add_loss(loss)
                return y_pred


        def build_model():
            input_img = layers.Input(shape=(img_width, img_height, 1), name="image", dtype="float32")
            labels = layers.Input(name="label", shape=(None,), dtype="float32")
            x = layers.Conv2D(32, (3, 3), activation="relu", kernel_initializer="he_normal",
                              padding="same", name="Conv1")(input_img)
            x = layers.MaxPooling2D((2, 2), name="pool1")(x)
            x = layers.Conv2D(64, (3, 3), activation="relu", kernel_initializer="he_normal",
                              padding="same", name="Conv2")(x)
            x = layers.MaxPooling2D((2, 2), name="pool2")(x)
            new_shape = ((img_width // 4), (img_height // 4) * 64)
            x = layers.Reshape(target_shape=new_shape, name="reshape")(x)
            x = layers.Dense(64, activation="relu", name="dense1")(x)
            x = layers.Dropout(0.2)(x)
            x = layers.Bidirectional(layers.LSTM(128, return_sequences=True, dropout=0.25))(x)
            x = layers.Bidirectional(layers.LSTM(64, return_sequences=True, dropout=0.25))(x)
            x = layers.Dense(len(char_to_num.get_vocabulary()) + 1, activation="softmax", name="dense2")(x)
            output = CTCLayer(name="ctc_loss")(labels, x)
            model = keras.models.Model(inputs=[input_img, labels], outputs=output, name="ocr_model_v1")
            model.compile(optimizer=keras.optimizers.Adam())
            return model


        model = build_model()
        model.summary()
        history = model.fit(train_dataset, epochs=10)
        """,
    ),
    Case(
        name="keras-more36-squeeze-excite-block-backend-int-shape-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="int_shape",
        code="""
        import keras
        from keras import backend as K
        from keras.layers import (Activation, BatchNormalization, Conv2D, Dense, GlobalAveragePooling2D,
                                  Input, MaxPooling2D, Reshape, Rescaling, multiply)
        from keras.models import Model

        # squeeze_excitation.py from an old SE-ResNet repository (2018)
        def squeeze_excite_block(input_tensor, ratio=16):
            init = input_tensor
            channel_axis = 1 if K.image_data_format() == "channels_first" else -1
            filters = K.int_shape(init)[channel_axis]
            se_shape = (1, 1, filters)

            se = GlobalAveragePooling2D()(init)
            se = Reshape(se_shape)(se)
            se = Dense(filters // ratio, activation="relu", kernel_initializer="he_normal", use_bias=False)(se)
            se = Dense(filters, activation="sigmoid", kernel_initializer="he_normal", use_bias=False)(se)
            return multiply([init, se])


        def conv_bn(x, filters):
            x = Conv2D(filters, 3, padding="same", use_bias=False)(x)
            x = BatchNormalization()(x)
            return Activation("relu")(x)


        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.2, subset="both", seed=42,
            image_size=(64, 64), batch_size=8)
        num_classes = len(train_ds.class_names)

        inputs = Input((64, 64, 3))
        x = Rescaling(1.0 / 255)(inputs)
        for filters in (32, 64):
            x = conv_bn(x, filters)
            x = squeeze_excite_block(x)
            x = MaxPooling2D()(x)
        x = GlobalAveragePooling2D()(x)
        outputs = Dense(num_classes, activation="softmax")(x)
        model = Model(inputs, outputs, name="se_cnn")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more36-nb-mc-dropout-set-learning-phase-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        expect="set_learning_phase",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import backend as K
            from keras import layers

            data = np.load("{DATA}/mnist/mnist_small.npz")
            x_train = data["x_train"].astype("float32")[..., None] / 255.0
            y_train = data["y_train"]
            x_train.shape, y_train.shape
            """,
            """
            model = keras.Sequential([
                keras.Input((28, 28, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Dropout(0.5),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dropout(0.5),
                layers.Dense(10, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x_train, y_train, epochs=2, batch_size=16, verbose=2)
            """,
            """
            # Monte Carlo dropout (Gal & Ghahramani): keep dropout on at test time
            K.set_learning_phase(1)
            T = 20
            mc_preds = np.stack([model.predict(x_train[:8], verbose=0) for _ in range(T)])
            mean, std = mc_preds.mean(0), mc_preds.std(0)
            print(mean.argmax(1), std.max(1))
            """,
        ], data=digits_npz),
    ),
    # =================================================================== versions: Keras 3 model / layers / optimizers
    Case(
        name="keras-more36-filter-viz-keras2-weight-name-kernel-0-k3",
        cause="env.version_incompat",
        exception="KeyError",
        setup=pets,
        expect="conv2d/kernel:0",
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        # visualise the first-layer filters (from "Deep Learning with Python", 1st ed. style notebook)
        weights = {w.name: w.numpy() for w in model.weights}
        kernels = weights["conv2d/kernel:0"]
        kernels = (kernels - kernels.min()) / (kernels.max() - kernels.min())
        grid = np.concatenate([np.pad(kernels[..., i], ((1, 1), (1, 1), (0, 0))) for i in range(16)], axis=1)
        Image.fromarray((grid * 255).astype("uint8")).resize((grid.shape[1] * 8, grid.shape[0] * 8)).save("filters.png")
        """,
    ),
    Case(
        name="keras-more36-resume-pickle-optimizer-get-weights-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=pets,
        expect="get_weights",
        code="""
        import os
        import pickle

        import keras
        from keras import layers

        CKPT_DIR = "checkpoints"
        os.makedirs(CKPT_DIR, exist_ok=True)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])

        for chunk in range(3):
            model.fit(train_ds, epochs=1, verbose=2)
            # save everything needed to resume on the cluster after preemption
            model.save_weights(os.path.join(CKPT_DIR, "model.weights.h5"))
            with open(os.path.join(CKPT_DIR, "optimizer.pkl"), "wb") as f:
                pickle.dump(model.optimizer.get_weights(), f)
            print("saved chunk", chunk)
        """,
    ),
    Case(
        name="keras-more36-finetune-pop-last-layer-set-outputs-keras2-trick-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="AttributeError",
        setup=pets_cnn_keras,
        expect="outputs",
        code="""
        import keras
        from keras import layers
        from keras.models import Model, load_model

        # reuse the cats-vs-dogs CNN for a three-class problem (StackOverflow answer, Keras 2.0)
        model = load_model("{DATA}/pets_cnn.keras")
        model.summary()

        model.layers.pop()
        model.outputs = [model.layers[-1].output]
        model.layers[-1].outbound_nodes = []

        new_output = layers.Dense(3, activation="softmax", name="new_head")(model.layers[-1].output)
        new_model = Model(model.input, new_output)
        for layer in new_model.layers[:-1]:
            layer.trainable = False
        new_model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        new_model.summary()
        """,
    ),
    Case(
        name="keras-more36-fixed-batch-cnn-batch-input-shape-kwarg-k3",
        cause="env.version_incompat",
        exception="ValueError",
        setup=flowers,
        expect="batch_input_shape",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        BATCH_SIZE = 8
        IMG = 64

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(IMG, IMG), batch_size=BATCH_SIZE)
        num_classes = len(train_ds.class_names)
        # the exported model must have a fixed batch for the edge accelerator
        train_ds = train_ds.unbatch().batch(BATCH_SIZE, drop_remainder=True).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", batch_input_shape=(BATCH_SIZE, IMG, IMG, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more36-preemptible-backup-and-restore-experimental-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="experimental",
        pty=True,
        code="""
        import tensorflow as tf

        IMG_SIZE = (64, 64)
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.2, subset="training", seed=7,
            image_size=IMG_SIZE, batch_size=8)
        val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.2, subset="validation", seed=7,
            image_size=IMG_SIZE, batch_size=8)

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=IMG_SIZE + (3,)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(5),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])

        # TF 2.4 fault tolerance guide: survive preemption of the spot VM
        callbacks = [
            tf.keras.callbacks.experimental.BackupAndRestore(backup_dir="./backup"),
            tf.keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True),
        ]
        model.fit(train_ds, validation_data=val_ds, epochs=10, callbacks=callbacks)
        """,
    ),
    # =================================================================== versions: saving
    Case(
        name="keras-more36-save-architecture-to-yaml-tfk2",
        cause="env.version_incompat",
        exception="RuntimeError",
        env="tfk2",
        setup=pets,
        expect="to_yaml",
        pty=True,
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        # serialize model to YAML and weights to HDF5 (machinelearningmastery, 2016)
        model_yaml = model.to_yaml()
        with open("model.yaml", "w") as yaml_file:
            yaml_file.write(model_yaml)
        model.save_weights("model.h5")
        print("Saved model to disk")
        """,
    ),
    Case(
        name="keras-more36-h5-attrs-model-config-decode-h5py3-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        setup=pets,
        expect="decode",
        code="""
        import json

        import h5py
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)
        model.save("pets.h5")


        def describe_h5(path):
            # convert_to_coreml.py helper from 2018: read the architecture straight from the file
            with h5py.File(path, mode="r") as f:
                keras_version = f.attrs["keras_version"].decode("utf8")
                config = json.loads(f.attrs["model_config"].decode("utf-8"))
            print("saved with keras", keras_version)
            for layer in config["config"]["layers"]:
                print(layer["class_name"], layer["config"].get("name"))


        describe_h5("pets.h5")
        """,
    ),
    # =================================================================== versions: TF1 APIs
    Case(
        name="keras-more36-train-main-tf-logging-set-verbosity-tfk2",
        cause="env.version_incompat",
        framework="tensorflow",
        exception="AttributeError",
        env="tfk2",
        setup=flowers,
        expect="logging",
        code="""
        import argparse

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers


        def build_model(num_classes, img_size):
            return keras.Sequential([
                layers.Rescaling(1.0 / 255, input_shape=(img_size, img_size, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(num_classes, activation="softmax"),
            ])


        def main(args):
            tf.logging.set_verbosity(tf.logging.INFO)
            train_ds = keras.utils.image_dataset_from_directory(
                args.data_dir, image_size=(args.img_size, args.img_size), batch_size=args.batch_size)
            model = build_model(len(train_ds.class_names), args.img_size)
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=args.epochs)
            model.save(args.output)


        if __name__ == "__main__":
            parser = argparse.ArgumentParser()
            parser.add_argument("--data_dir", default="{DATA}/flowers")
            parser.add_argument("--img_size", type=int, default=64)
            parser.add_argument("--batch_size", type=int, default=8)
            parser.add_argument("--epochs", type=int, default=5)
            parser.add_argument("--output", default="flowers.h5")
            main(parser.parse_args())
        """,
    ),
    Case(
        name="keras-more36-tf1-dataset-make-one-shot-iterator-into-fit-k3",
        cause="env.version_incompat",
        framework="tensorflow",
        exception="AttributeError",
        setup=flowers,
        expect="make_one_shot_iterator",
        code="""
        import glob
        import os

        import tensorflow as tf

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(os.path.join(ROOT, "*", "*.jpg")))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files]


        def _parse_function(filename, label):
            image_string = tf.io.read_file(filename)
            image = tf.image.decode_jpeg(image_string, channels=3)
            image = tf.image.resize(image, [64, 64]) / 255.0
            return image, label


        # TF 1.x input pipeline guide (2018), feeding Keras with tensors
        dataset = tf.data.Dataset.from_tensor_slices((files, labels))
        dataset = dataset.map(_parse_function).shuffle(100).batch(8).repeat()
        iterator = dataset.make_one_shot_iterator()
        images, targets = iterator.get_next()

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(images, targets, epochs=5, steps_per_epoch=len(files) // 8)
        """,
    ),
    Case(
        name="keras-more36-half-migrated-compat-placeholder-tf-layers-conv2d-k3",
        cause="env.version_incompat",
        framework="tensorflow",
        exception="AttributeError",
        setup=digits_npz,
        expect="layers",
        code="""
        import numpy as np
        import tensorflow as tf

        # MNIST CNN from a 2017 course, "ported" to TF 2 by replacing tf.placeholder
        tf.compat.v1.disable_eager_execution()

        data = np.load("{DATA}/mnist/mnist_small.npz")
        x_train = data["x_train"].astype("float32")[..., None] / 255.0
        y_train = data["y_train"]

        x = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1], name="x")
        y = tf.compat.v1.placeholder(tf.int64, [None], name="y")

        conv1 = tf.layers.conv2d(inputs=x, filters=32, kernel_size=[5, 5], padding="same", activation=tf.nn.relu)
        pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
        conv2 = tf.layers.conv2d(inputs=pool1, filters=64, kernel_size=[5, 5], padding="same", activation=tf.nn.relu)
        pool2 = tf.layers.max_pooling2d(inputs=conv2, pool_size=[2, 2], strides=2)
        flat = tf.reshape(pool2, [-1, 7 * 7 * 64])
        dense = tf.layers.dense(inputs=flat, units=1024, activation=tf.nn.relu)
        logits = tf.layers.dense(inputs=dense, units=10)

        loss = tf.compat.v1.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
        train_op = tf.compat.v1.train.AdamOptimizer(1e-4).minimize(loss)

        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            for step in range(100):
                idx = np.random.choice(len(x_train), 16)
                _, l = sess.run([train_op, loss], feed_dict={x: x_train[idx], y: y_train[idx]})
                if step % 10 == 0:
                    print(step, l)
        """,
    ),
    Case(
        name="keras-more36-tf-for-poets-gfile-write-labels-tfk2",
        cause="env.version_incompat",
        framework="tensorflow",
        exception="AttributeError",
        env="tfk2",
        setup=flowers,
        expect="gfile",
        pty=True,
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        IMAGE_DIR = "{DATA}/flowers"
        OUTPUT_GRAPH = "retrained_graph.h5"
        OUTPUT_LABELS = "retrained_labels.txt"

        train_ds = keras.utils.image_dataset_from_directory(IMAGE_DIR, image_size=(64, 64), batch_size=8)
        class_names = train_ds.class_names

        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None, alpha=0.35)
        model = keras.Sequential([
            layers.Rescaling(1.0 / 127.5, offset=-1, input_shape=(64, 64, 3)),
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        model.save(OUTPUT_GRAPH)

        # as retrain.py does: one label per line, in output order
        with tf.gfile.GFile(OUTPUT_LABELS, "w") as f:
            f.write("\\n".join(class_names) + "\\n")
        """,
    ),
    # =================================================================== versions: packages and NumPy
    Case(
        name="keras-more36-imageai2-style-trainer-keras-preprocessing-import-tfk2",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        env="tfk2",
        setup=imageai_layout,
        expect="keras_preprocessing",
        code="""
        import os

        import tensorflow as tf
        from tensorflow.keras.applications import ResNet50
        from tensorflow.keras.callbacks import ModelCheckpoint
        from tensorflow.keras.layers import Dense, GlobalAvgPool2D
        from tensorflow.keras.models import Model
        from keras_preprocessing.image import ImageDataGenerator


        class ModelTraining:
            \"\"\"Custom image recognition trainer in the style of ImageAI 2.1 (imageai.Prediction.Custom).\"\"\"

            def __init__(self):
                self.data_dir = ""

            def setDataDirectory(self, data_directory):
                self.data_dir = data_directory
                self.train_dir = os.path.join(data_directory, "train")
                self.test_dir = os.path.join(data_directory, "test")
                self.models_dir = os.path.join(data_directory, "models")
                os.makedirs(self.models_dir, exist_ok=True)

            def trainModel(self, num_objects, num_experiments=10, batch_size=8, training_image_size=64):
                base = ResNet50(include_top=False, weights=None,
                                input_shape=(training_image_size, training_image_size, 3))
                x = GlobalAvgPool2D()(base.output)
                out = Dense(num_objects, activation="softmax")(x)
                model = Model(base.input, out)
                model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
                gen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
                train = gen.flow_from_directory(self.train_dir, target_size=(training_image_size, training_image_size),
                                                batch_size=batch_size, class_mode="categorical")
                test = ImageDataGenerator(rescale=1.0 / 255).flow_from_directory(
                    self.test_dir, target_size=(training_image_size, training_image_size),
                    batch_size=batch_size, class_mode="categorical")
                ckpt = ModelCheckpoint(os.path.join(self.models_dir, "model_ex-{epoch:03d}.h5"))
                model.fit(train, validation_data=test, epochs=num_experiments, callbacks=[ckpt])


        trainer = ModelTraining()
        trainer.setDataDirectory("{DATA}/idenprof")
        trainer.trainModel(num_objects=4, num_experiments=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more36-sequence-np-array-copy-false-numpy2-k3",
        cause="env.version_incompat",
        exception="ValueError",
        setup=flowers,
        expect="copy",
        pty=True,
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))


        class FlowerSequence(keras.utils.Sequence):
            def __init__(self, files, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                imgs = [np.asarray(Image.open(f).convert("RGB").resize((64, 64)), dtype=np.float32) / 255.0
                        for f in batch]
                # avoid an extra copy of the batch (2019 perf tip)
                x = np.array(imgs, copy=False)
                y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in batch])
                return x, y


        files = sorted(glob.glob(os.path.join(ROOT, "*", "*.jpg")))
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(FlowerSequence(files), epochs=3)
        """,
    ),
    Case(
        name="keras-more36-sequence-uint8-brightness-jitter-nep50-overflow-tfk2",
        cause="env.version_incompat",
        also=("data.dtype",),
        exception="OverflowError",
        env="tfk2",
        setup=pets,
        expect="out of bounds for uint8",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        np.random.seed(0)
        ROOT = "{DATA}/pets"
        CLASSES = sorted(os.listdir(ROOT))


        def random_brightness(img, max_delta=40):
            # shift all pixels by the same amount, then clip back to 0..255
            delta = np.random.randint(-max_delta, max_delta + 1)
            return np.clip(img + delta, 0, 255)


        class PetSequence(keras.utils.Sequence):
            def __init__(self, files, batch_size=8):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                imgs = [random_brightness(np.array(Image.open(f).convert("RGB"))) for f in batch]
                x = np.stack(imgs).astype("float32") / 255.0
                y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in batch])
                return x, y


        files = sorted(glob.glob(os.path.join(ROOT, "*", "*.jpg")))
        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(PetSequence(files), epochs=3)
        """,
    ),
    Case(
        name="keras-more36-eval-report-np-asscalar-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="asscalar",
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.25, subset="both", seed=3, image_size=(64, 64), batch_size=8)
        class_names = train_ds.class_names

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=2)

        y_true = np.concatenate([y.numpy() for _, y in val_ds])
        y_pred = model.predict(val_ds).argmax(axis=1)
        for i, name in enumerate(class_names):
            mask = y_true == i
            acc = np.mean(y_pred[mask] == i) if mask.any() else np.float64(0)
            print("%-12s %.3f" % (name, np.asscalar(acc)))
        """,
    ),
    # =================================================================== look-alikes: not version problems
    Case(
        name="keras-more36-nb-plot-history-attribute-typo-k3",
        cause="other",
        exception="AttributeError",
        expect="histroy",
        **notebook([
            """
            import keras
            from keras import layers

            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/pets", validation_split=0.25, subset="both", seed=1, image_size=(48, 48), batch_size=8)
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=2)
            """,
            """
            acc = history.histroy["accuracy"]
            val_acc = history.history["val_accuracy"]
            for epoch, (a, v) in enumerate(zip(acc, val_acc), 1):
                print(f"epoch {epoch}: train {a:.3f}  val {v:.3f}")
            """,
        ], data=pets),
    ),
    Case(
        name="keras-more36-conv2d-keyword-typo-activaton-tfk2",
        cause="model.api_misuse",
        exception="TypeError",
        env="tfk2",
        setup=flowers,
        expect="activaton",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=8)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            layers.Conv2D(32, (3, 3), padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, (3, 3), padding="same", activaton="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more36-compile-given-epochs-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=pets,
        expect="epochs",
        code="""
        import keras
        from keras import layers

        EPOCHS = 10
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                      loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"],
                      epochs=EPOCHS)
        model.fit(train_ds)
        """,
    ),
    Case(
        name="keras-more36-local-tensorflow-py-shadows-library-k3",
        cause="other",
        also=("env.version_incompat",),
        framework="tensorflow",
        exception="AttributeError",
        setup=shadowing_tensorflow_py,
        expect="tensorflow",
        code="""
        import tensorflow as tf

        print("TensorFlow", tf.__version__)
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more36-helper-module-imported-under-wrong-name-k3",
        cause="other",
        exception="ModuleNotFoundError",
        setup=utils_package,
        expect="utils.dataloader",
        code="""
        import keras
        from keras import layers

        from utils.dataloader import load_split

        train_ds = load_split("{DATA}/flowers", subset="training")
        val_ds = load_split("{DATA}/flowers", subset="validation")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more36-two-branch-head-wired-to-second-input-graph-disconnected-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pets,
        expect="is not connected to `inputs`",
        code="""
        import keras
        from keras import layers

        IMG = (48, 48, 3)
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=IMG[:2], batch_size=8)


        def feature_branch(name):
            inp = keras.Input(IMG, name=f"{name}_input")
            x = layers.Rescaling(1.0 / 255)(inp)
            x = layers.Conv2D(16, 3, activation="relu")(x)
            x = layers.GlobalAveragePooling2D()(x)
            return inp, x


        rgb_in, rgb_feat = feature_branch("rgb")
        aug_in, aug_feat = feature_branch("aug")          # second branch for the augmented view
        merged = layers.concatenate([rgb_feat, aug_feat])
        out = layers.Dense(2, activation="softmax")(merged)

        model = keras.Model(inputs=rgb_in, outputs=out)   # only the first input given
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more36-load-truncated-h5-download-tfk2",
        cause="data.missing_or_corrupt",
        also=("model.weights_mismatch",),
        exception="OSError",
        env="tfk2",
        setup=truncated_h5,
        expect="truncated",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras

        # evaluate the model a colleague trained (copied from the shared drive)
        model = keras.models.load_model("{DATA}/pets_model.h5")
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
        loss, acc = model.evaluate(test_ds)
        print("test accuracy", acc)
        """,
    ),
    Case(
        name="keras-more36-numpy-typo-arrray-in-loader-k3",
        cause="other",
        exception="AttributeError",
        setup=pets,
        expect="arrray",
        pty=True,
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/pets"
        CLASSES = sorted(os.listdir(ROOT))

        x, y = [], []
        for path in sorted(glob.glob(os.path.join(ROOT, "*", "*.jpg"))):
            x.append(np.asarray(Image.open(path).convert("RGB").resize((48, 48))))
            y.append(CLASSES.index(os.path.basename(os.path.dirname(path))))
        x = np.arrray(x, dtype="float32") / 255.0
        y = np.array(y)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more36-train-folder-case-mismatch-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=pets_split,
        expect="dataset/train",
        code="""
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/dataset"
        train_ds = keras.utils.image_dataset_from_directory(DATA_DIR + "/train", image_size=(48, 48), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory(DATA_DIR + "/validation", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
