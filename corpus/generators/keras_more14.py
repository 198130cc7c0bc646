"""A fourteenth set of real Keras / TensorFlow failures from beginners training
image classifiers and small detectors, on TF 2.12 / 2.15 (Keras 2), TF 2.21 with
tf_keras (Keras 2) and TF 2.21 (Keras 3).

Code paths keras_more.py ... keras_more13.py leave out: labels kept as a Python
list for ``fit``, an AUC metric on a softmax head with sparse labels, a
SparseCategoricalAccuracy metric against one-hot labels, a loss object called
with (predictions, labels) in a GradientTape loop, ``sample_weight`` given next
to a tf.data dataset, a repeated validation dataset without ``validation_steps``;
custom objects (Keras 3's ``add_weight(shape, ...)`` run under Keras 2, a metric
whose ``update_state`` takes no ``sample_weight``, a metric that creates its
variable in ``update_state``, a ``Loss`` subclass without ``super().__init__()``,
a loss with a third ``weights`` argument, float filter counts from a width
multiplier, a TF1-style ``name="block1/conv"``, Grad-CAM on a subclassed model,
a ``numpy_function`` layer with no static shape, a ViT whose patch count was
computed for another image size); tf.data and folders (``random_crop`` with a
2-number size, ``image_size`` with a channel count, ``tf.image.resize`` given an
int, ``filter`` on a batched directory dataset, ``concatenate`` of int32 and
int64 labels, ``from_tensor_slices(paths, labels)``, a class list globbed from a
folder that is not there, an ImageDataGenerator ZCA fit on larger photos);
Keras 1 / 2 / 3 habits (``Model(input=, output=)``, ``border_mode``,
``multi_gpu_model``, ``from keras import ops`` on Keras 2, a focal loss newer
than TF 2.12, ``K.function`` and ``load_img(grayscale=True)`` under Keras 3,
``disable_eager_execution`` before a Keras 3 fit, ``mixed_bfloat16`` TPU code
on a TF 2.12 CPU); callbacks
(``logs["val_loss"]`` without validation data, a learning-rate schedule with
three parameters, a CSVLogger / ``model.save`` into a folder that does not
exist); mixed precision (a Dice metric multiplying float32 masks by float16
predictions); ``train_on_batch`` given a dataset; NMS with (N, 1) scores; NaN
from a triplet loss at zero distance and from a hand-written cross entropy on
unscaled pixels, both caught by ``enable_check_numerics``.

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more14.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(48, 48), fmt="jpeg")


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(40, 40), fmt="jpeg", seed=3)


def big_photos(d: Path):
    make_images(d / "photos", ["defect", "ok"], per_class=20, size=(128, 128), fmt="png", seed=5)


def seg_masks(d: Path):
    import numpy as np
    rng = np.random.default_rng(7)
    for i in range(12):
        save_png(d / "cells" / "images" / f"cell_{i:03d}.png",
                 rng.integers(0, 255, size=(48, 48, 3), dtype=np.uint8))
        save_png(d / "cells" / "masks" / f"cell_{i:03d}.png",
                 ((rng.random((48, 48)) > 0.6) * 255).astype(np.uint8))


CASES = [
    # ============================================================ fit: labels, metrics, arguments
    Case(
        name="keras-more14-fit-labels-python-list-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="Unrecognized data type",
        code="""
        import os
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        root = "{DATA}/flowers"
        class_names = sorted(os.listdir(root))
        images, labels = [], []
        for idx, name in enumerate(class_names):
            for fname in sorted(os.listdir(os.path.join(root, name))):
                img = Image.open(os.path.join(root, name, fname)).convert("RGB").resize((32, 32))
                images.append(np.asarray(img, dtype="float32") / 255.0)
                labels.append(idx)
        x_train = np.array(images)
        y_train = labels                     # kept as the Python list built above

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5, batch_size=8)
        """,
    ),
    Case(
        name="keras-more14-auc-metric-softmax-head-sparse-labels-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        setup=flowers,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        # the medical-imaging paper reports AUC, so track it too
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.AUC(name="auc")])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more14-nb-sparse-accuracy-metric-onehot-labels-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        **notebook([
            """
import keras
from keras import layers

train_ds = keras.utils.image_dataset_from_directory(
    "{DATA}/flowers", image_size=(48, 48), batch_size=6, label_mode="categorical")
print(train_ds.class_names)
""",
            """
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Rescaling(1 / 255.0),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy",
              metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")])
""",
            """
history = model.fit(train_ds, epochs=3)
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more14-loss-args-swapped-custom-loop-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pets,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(3):
            for images, labels in train_ds:
                with tf.GradientTape() as tape:
                    logits = model(images, training=True)
                    loss = loss_fn(logits, labels)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more14-loss-args-swapped-tf-function-step-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=pets,
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(40, 40, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2),
        ])
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = tf.keras.optimizers.Adam()
        train_loss = tf.keras.metrics.Mean(name="train_loss")

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                predictions = model(images, training=True)
                loss = loss_object(predictions, labels)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            train_loss(loss)

        for epoch in range(3):
            train_loss.reset_states()
            for images, labels in train_ds:
                train_step(images, labels)
            print(f"Epoch {epoch + 1}, Loss: {train_loss.result():.4f}")
        """,
    ),
    Case(
        name="keras-more14-sample-weight-with-dataset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6,
                                                            shuffle=False)
        labels = np.concatenate([y.numpy() for _, y in train_ds])
        counts = np.bincount(labels)
        weights = (len(labels) / (len(counts) * counts))[labels]     # rarer classes count more

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, sample_weight=weights)
        """,
    ),
    Case(
        name="keras-more14-validation-repeat-no-validation-steps-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf

        AUTOTUNE = tf.data.AUTOTUNE
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.25, subset="training", seed=1, image_size=(48, 48), batch_size=4)
        val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", validation_split=0.25, subset="validation", seed=1, image_size=(48, 48), batch_size=4)
        steps = len(train_ds)
        train_ds = train_ds.shuffle(64).repeat().prefetch(AUTOTUNE)
        val_ds = val_ds.repeat().prefetch(AUTOTUNE)

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, steps_per_epoch=steps, epochs=3, validation_data=val_ds)
        """,
    ),
    Case(
        name="keras-more14-train-on-batch-given-dataset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pets,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])

        # manual loop so that the learning rate can be changed between epochs
        for epoch in range(3):
            loss, acc = model.train_on_batch(train_ds)
            print(epoch, loss, acc)
        """,
    ),
    # ============================================================ custom layers / metrics / losses
    Case(
        name="keras-more14-add-weight-shape-positional-on-keras2-tf215",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="TypeError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        class ChannelScale(layers.Layer):
            \"\"\"Learnable per-channel scale (copied from a Keras 3 example).\"\"\"

            def build(self, input_shape):
                self.scale = self.add_weight((input_shape[-1],), initializer="ones", trainable=True)

            def call(self, x):
                return x * self.scale

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = tf.keras.Sequential([
            layers.Rescaling(1 / 255.0, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            ChannelScale(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-custom-metric-update-state-no-sample-weight-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        class Top1Correct(keras.metrics.Metric):
            def __init__(self, name="top1_correct", **kwargs):
                super().__init__(name=name, **kwargs)
                self.correct = self.add_weight(name="correct", initializer="zeros")
                self.total = self.add_weight(name="total", initializer="zeros")

            def update_state(self, y_true, y_pred):
                pred = tf.argmax(y_pred, axis=-1, output_type=tf.int32)
                hit = tf.cast(tf.equal(tf.cast(tf.reshape(y_true, [-1]), tf.int32), pred), "float32")
                self.correct.assign_add(tf.reduce_sum(hit))
                self.total.assign_add(tf.cast(tf.size(hit), "float32"))

            def result(self):
                return self.correct / self.total

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=[Top1Correct()])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-custom-metric-variable-in-update-state-tfk2",
        cause="model.api_misuse",
        exception="ValueError",
        env="tfk2",
        setup=pets,
        code="""
        import tensorflow as tf

        class FalseNegatives(tf.keras.metrics.Metric):
            \"\"\"Missed defects: the number the QA team asked for.\"\"\"

            def __init__(self, name="missed", **kwargs):
                super().__init__(name=name, **kwargs)

            def update_state(self, y_true, y_pred, sample_weight=None):
                self.missed = tf.Variable(0.0, trainable=False)
                y_true = tf.cast(tf.reshape(y_true, [-1]), tf.float32)
                y_pred = tf.cast(tf.reshape(y_pred, [-1]) > 0.5, tf.float32)
                self.missed.assign_add(tf.reduce_sum(y_true * (1.0 - y_pred)))

            def result(self):
                return self.missed

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(40, 40, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy", FalseNegatives()])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-loss-subclass-no-super-init-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=flowers,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        class FocalLoss(keras.losses.Loss):
            def __init__(self, gamma=2.0, alpha=0.25):
                self.gamma = gamma
                self.alpha = alpha

            def call(self, y_true, y_pred):
                y_true = tf.one_hot(tf.cast(tf.reshape(y_true, [-1]), tf.int32), 3)
                y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                ce = -y_true * tf.math.log(y_pred)
                return tf.reduce_sum(self.alpha * tf.pow(1.0 - y_pred, self.gamma) * ce, axis=-1)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=FocalLoss(gamma=2.0), metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-loss-function-extra-weights-argument-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CLASS_WEIGHTS = tf.constant([1.0, 2.5, 1.2])

        def weighted_sparse_ce(y_true, y_pred, weights):
            y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int32)
            ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
            return ce * tf.gather(weights, y_true)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=weighted_sparse_ce, metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-conv-filters-float-width-multiplier-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        code="""
        import keras
        from keras import layers

        WIDTH = 0.5          # slim the network down for the laptop

        def conv_block(x, filters):
            x = layers.Conv2D(filters * WIDTH, 3, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            return layers.ReLU()(x)

        inputs = keras.Input((48, 48, 3))
        x = layers.Rescaling(1 / 255.0)(inputs)
        for f in (32, 64, 128):
            x = conv_block(x, f)
            x = layers.MaxPooling2D()(x)
        outputs = layers.Dense(3, activation="softmax")(layers.GlobalAveragePooling2D()(x))
        model = keras.Model(inputs, outputs)
        model.summary()
        """,
    ),
    Case(
        name="keras-more14-layer-name-with-slash-tf1-scopes-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        setup=flowers,
        code="""
        import keras
        from keras import layers

        def block(x, filters, stage):
            # names as in the TF1 checkpoint, so the weights can be mapped later
            x = layers.Conv2D(filters, 3, padding="same", name=f"block{stage}/conv")(x)
            x = layers.BatchNormalization(name=f"block{stage}/bn")(x)
            x = layers.Activation("relu", name=f"block{stage}/relu")(x)
            return layers.MaxPooling2D(name=f"block{stage}/pool")(x)

        inputs = keras.Input((48, 48, 3))
        x = block(inputs, 16, 1)
        x = block(x, 32, 2)
        outputs = layers.Dense(3, activation="softmax", name="logits")(layers.GlobalAveragePooling2D()(x))
        model = keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy")
        """,
    ),
    Case(
        name="keras-more14-nb-gradcam-subclassed-model-inputs-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        **notebook([
            """
import numpy as np
import tensorflow as tf
import keras
from keras import layers

train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)

class PetNet(keras.Model):
    def __init__(self, num_classes=2):
        super().__init__()
        self.rescale = layers.Rescaling(1 / 255.0)
        self.conv1 = layers.Conv2D(16, 3, activation="relu", name="conv1")
        self.conv2 = layers.Conv2D(32, 3, activation="relu", name="last_conv")
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(num_classes, activation="softmax")

    def call(self, x):
        return self.head(self.pool(self.conv2(self.conv1(self.rescale(x)))))

model = PetNet()
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=2, verbose=2)
""",
            """
# Grad-CAM (keras.io example)
grad_model = keras.Model(model.inputs, [model.get_layer("last_conv").output, model.output])
""",
        ], data=pets),
    ),
    Case(
        name="keras-more14-numpy-function-normalise-layer-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        def per_image_standardise(batch):
            # same as the OpenCV preprocessing used at inference time
            mean = batch.mean(axis=(1, 2, 3), keepdims=True)
            std = batch.std(axis=(1, 2, 3), keepdims=True) + 1e-6
            return ((batch - mean) / std).astype(np.float32)

        class Standardise(layers.Layer):
            def call(self, x):
                return tf.numpy_function(per_image_standardise, [x], tf.float32)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            Standardise(),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-vit-patch-count-for-other-image-size-k3",
        cause="model.input_shape",
        exception="InvalidArgumentError",
        setup=flowers,
        code="""
        import keras
        from keras import layers, ops

        # hyper-parameters from the keras.io ViT example
        image_size = 72
        patch_size = 6
        num_patches = (image_size // patch_size) ** 2
        projection_dim = 32

        class Patches(layers.Layer):
            def __init__(self, patch_size):
                super().__init__()
                self.patch_size = patch_size

            def call(self, images):
                patches = ops.image.extract_patches(images, self.patch_size)
                batch = ops.shape(patches)[0]
                return ops.reshape(patches, (batch, -1, self.patch_size * self.patch_size * 3))

        class PatchEncoder(layers.Layer):
            def __init__(self, num_patches, projection_dim):
                super().__init__()
                self.num_patches = num_patches
                self.projection = layers.Dense(projection_dim)
                self.position_embedding = layers.Embedding(num_patches, projection_dim)

            def call(self, patch):
                positions = ops.expand_dims(ops.arange(0, self.num_patches, 1), axis=0)
                return self.projection(patch) + self.position_embedding(positions)

        # my flowers are 48 x 48, so the input follows the data
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        inputs = keras.Input((48, 48, 3))
        x = layers.Rescaling(1 / 255.0)(inputs)
        x = PatchEncoder(num_patches, projection_dim)(Patches(patch_size)(x))
        x = layers.LayerNormalization()(x)
        x = layers.MultiHeadAttention(num_heads=2, key_dim=projection_dim)(x, x)
        x = layers.GlobalAveragePooling1D()(x)
        outputs = layers.Dense(3, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ tf.data, folders, preprocessing
    Case(
        name="keras-more14-map-random-crop-size-without-channels-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48))
            img = tf.image.random_crop(img, size=(40, 40))      # random 40 x 40 crop for augmentation
            label = tf.cast(tf.strings.regex_full_match(path, ".*/roses/.*"), tf.int32)
            return img / 255.0, label

        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(6)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-dir-image-size-with-channels-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        code="""
        import keras
        from keras import layers

        IMG_SHAPE = (48, 48, 3)
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=IMG_SHAPE, batch_size=6)
        model = keras.Sequential([
            keras.Input(IMG_SHAPE),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-dir-image-size-with-channels-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf

        INPUT_SHAPE = (48, 48, 3)
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=INPUT_SHAPE,
                                                               batch_size=6)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=INPUT_SHAPE),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-nb-tf-image-resize-int-size-k3",
        cause="model.api_misuse",
        exception="ValueError",
        **notebook([
            """
import tensorflow as tf
import keras

IMG_SIZE = 48
model = keras.Sequential([
    keras.Input((IMG_SIZE, IMG_SIZE, 3)),
    keras.layers.Rescaling(1 / 255.0),
    keras.layers.Conv2D(16, 3, activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(3, activation="softmax"),
])
""",
            """
def load(path):
    img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
    return tf.image.resize(img, IMG_SIZE)

ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(6)
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more14-filter-out-class-on-batched-dir-dataset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        tulips = train_ds.class_names.index("tulips")
        # the tulip photos are mislabelled, leave that class out for now
        train_ds = train_ds.filter(lambda images, labels: labels != tulips)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-concatenate-extra-photos-int64-labels-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=flowers,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=None)
        class_names = train_ds.class_names

        # a few extra rose photos a colleague sent, loaded by hand
        extra = sorted(glob.glob("{DATA}/flowers/roses/*.jpg"))[:3]
        x_extra = np.stack([np.asarray(Image.open(p).convert("RGB").resize((48, 48)), np.float32) for p in extra])
        y_extra = np.full(len(extra), class_names.index("roses"))
        extra_ds = tf.data.Dataset.from_tensor_slices((x_extra, y_extra))

        train_ds = train_ds.concatenate(extra_ds).shuffle(64).batch(6)
        """,
    ),
    Case(
        name="keras-more14-from-tensor-slices-paths-labels-positional-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=flowers,
        code="""
        import glob
        import tensorflow as tf
        import keras

        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        class_names = sorted({p.split("/")[-2] for p in paths})
        labels = [class_names.index(p.split("/")[-2]) for p in paths]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices(paths, labels)
        ds = ds.map(load).shuffle(32).batch(6)
        """,
    ),
    Case(
        name="keras-more14-nb-from-tensor-slices-paths-labels-positional-tf212",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf212",
        **notebook([
            """
import os
import tensorflow as tf

root = "{DATA}/pets"
class_names = sorted(os.listdir(root))
file_paths, labels = [], []
for i, name in enumerate(class_names):
    for f in sorted(os.listdir(os.path.join(root, name))):
        file_paths.append(os.path.join(root, name, f))
        labels.append(i)
len(file_paths), len(labels)
""",
            """
dataset = tf.data.Dataset.from_tensor_slices(file_paths, labels)
""",
        ], data=pets),
    ),
    Case(
        name="keras-more14-dense-zero-units-class-glob-wrong-cwd-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=flowers,
        code="""
        import glob
        import os
        import keras
        from keras import layers

        DATA_DIR = "data/flowers"          # relative to the repository root
        class_names = sorted(os.path.basename(p.rstrip("/")) for p in glob.glob(os.path.join(DATA_DIR, "*/")))
        print("classes:", class_names)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more14-datagen-zca-whitening-fit-photos-tf212",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        env="tf212",
        setup=big_photos,
        as_limit=8 * 1024**3,
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator, img_to_array, load_img
        import glob

        paths = sorted(glob.glob("{DATA}/photos/*/*.png"))
        x_train = np.stack([img_to_array(load_img(p, target_size=(128, 128))) for p in paths]) / 255.0
        print(x_train.shape)

        datagen = ImageDataGenerator(zca_whitening=True, horizontal_flip=True, rotation_range=15)
        datagen.fit(x_train)
        """,
    ),
    # ============================================================ Keras 1 / 2 / 3 habits
    Case(
        name="keras-more14-model-input-output-kwargs-keras1-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=flowers,
        code="""
        import keras
        from keras.layers import Input, Conv2D, MaxPooling2D, Flatten, Dense

        img = Input(shape=(48, 48, 3))
        x = Conv2D(16, (3, 3), activation="relu")(img)
        x = MaxPooling2D((2, 2))(x)
        x = Flatten()(x)
        preds = Dense(3, activation="softmax")(x)
        model = keras.models.Model(input=img, output=preds)
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more14-model-input-output-kwargs-keras1-tf215",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="TypeError",
        env="tf215",
        setup=flowers,
        code="""
        from tensorflow.keras.layers import Input, Conv2D, MaxPooling2D, Flatten, Dense
        from tensorflow.keras.models import Model

        img = Input(shape=(48, 48, 3))
        x = Conv2D(16, (3, 3), activation="relu")(img)
        x = MaxPooling2D((2, 2))(x)
        x = Flatten()(x)
        preds = Dense(3, activation="softmax")(x)
        model = Model(input=img, output=preds)
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more14-conv-border-mode-keras1-tf212",
        cause="env.version_incompat",
        exception="TypeError",
        env="tf212",
        setup=flowers,
        code="""
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense, Dropout

        model = Sequential()
        model.add(Conv2D(32, 3, 3, border_mode="same", activation="relu", input_shape=(48, 48, 3)))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Conv2D(64, 3, 3, border_mode="same", activation="relu"))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(128, activation="relu"))
        model.add(Dropout(0.5))
        model.add(Dense(3, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more14-multi-gpu-model-import-tf215",
        cause="env.version_incompat",
        exception="ImportError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf
        from tensorflow.keras.applications import MobileNetV2
        from tensorflow.keras.utils import multi_gpu_model

        G = 2
        with tf.device("/cpu:0"):
            base = MobileNetV2(include_top=True, weights=None, input_shape=(96, 96, 3), classes=3)
        model = multi_gpu_model(base, gpus=G)
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more14-keras-ops-import-on-keras2-tf215",
        cause="env.version_incompat",
        exception="ImportError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from keras import ops          # from the keras.io (Keras 3) example

        def dice_loss(y_true, y_pred):
            inter = ops.sum(y_true * y_pred)
            return 1 - (2 * inter + 1) / (ops.sum(y_true) + ops.sum(y_pred) + 1)
        """,
    ),
    Case(
        name="keras-more14-categorical-focal-loss-on-tf212",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf212",
        setup=flowers,
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48),
                                                               batch_size=6, label_mode="categorical")
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-nb-backend-function-feature-maps-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        **notebook([
            """
import numpy as np
import keras
from keras import layers
from keras import backend as K

train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Rescaling(1 / 255.0),
    layers.Conv2D(16, 3, activation="relu", name="conv1"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu", name="conv2"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(3, activation="softmax"),
])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=2, verbose=2)
""",
            """
# visualise what the first conv layer sees
get_conv1 = K.function([model.input], [model.get_layer("conv1").output])
images, _ = next(iter(train_ds))
maps = get_conv1([images[:1]])[0]
maps.shape
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more14-load-img-grayscale-kwarg-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=flowers,
        code="""
        import glob
        import numpy as np
        import keras

        # the digit model wants 28 x 28 grayscale
        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        batch = []
        for p in paths:
            img = keras.utils.load_img(p, grayscale=True, target_size=(28, 28))
            batch.append(keras.utils.img_to_array(img) / 255.0)
        batch = np.stack(batch)
        print(batch.shape)
        """,
    ),
    Case(
        name="keras-more14-disable-eager-execution-keras3-fit-k3",
        cause="env.version_incompat",
        exception="RuntimeError",
        setup=flowers,
        code="""
        import glob
        import numpy as np
        from PIL import Image
        import tensorflow as tf
        tf.compat.v1.disable_eager_execution()       # kept from the old TF 1 training script (speed)
        import keras
        from keras import layers

        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        classes = sorted({p.split("/")[-2] for p in paths})
        x_train = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p in paths])
        y_train = np.array([classes.index(p.split("/")[-2]) for p in paths])

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(classes), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=2, batch_size=6)
        """,
    ),
    Case(
        name="keras-more14-mixed-bfloat16-tpu-notebook-on-cpu-tf212",
        cause="env.version_incompat",
        note="TF 2.12 has no bfloat16 FusedBatchNormV3 kernel on CPU; the same script trains under TF 2.15",
        exception="InvalidArgumentError",
        env="tf212",
        setup=flowers,
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers, mixed_precision

        # TPU notebook setting, now running on the office workstation
        mixed_precision.set_global_policy("mixed_bfloat16")

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = tf.keras.Sequential([
            layers.Rescaling(1 / 255.0, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, padding="same"),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
            layers.Activation("softmax", dtype="float32"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ callbacks, saving
    Case(
        name="keras-more14-callback-logs-val-loss-no-validation-k3",
        cause="model.api_misuse",
        exception="KeyError",
        setup=flowers,
        code="""
        import keras
        from keras import layers

        class SaveBest(keras.callbacks.Callback):
            def __init__(self, path):
                super().__init__()
                self.path = path
                self.best = float("inf")

            def on_epoch_end(self, epoch, logs=None):
                if logs["val_loss"] < self.best:
                    self.best = logs["val_loss"]
                    self.model.save(self.path)
                    print(f"epoch {epoch}: new best {self.best:.4f}")

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, callbacks=[SaveBest("best.keras")])
        """,
    ),
    Case(
        name="keras-more14-lr-schedule-three-parameters-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        code="""
        import math
        import keras
        from keras import layers

        EPOCHS = 4

        def cosine_schedule(epoch, lr, total_epochs=EPOCHS, base_lr=1e-3):
            return 0.5 * base_lr * (1 + math.cos(math.pi * epoch / total_epochs))

        def step_decay(epoch, lr, drop_every):
            return lr * 0.5 if epoch and epoch % drop_every == 0 else lr

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=EPOCHS, callbacks=[keras.callbacks.LearningRateScheduler(step_decay)])
        """,
    ),
    Case(
        name="keras-more14-csv-logger-run-folder-missing-k3",
        cause="other",
        note="an output folder that was never created; nothing wrong with data, model or environment",
        exception="FileNotFoundError",
        setup=flowers,
        code="""
        import datetime
        import keras
        from keras import layers

        run = datetime.datetime(2024, 5, 1, 12, 0).strftime("%Y%m%d-%H%M")
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        callbacks = [
            keras.callbacks.EarlyStopping(monitor="loss", patience=3),
            keras.callbacks.CSVLogger(f"runs/{run}/history.csv"),
        ]
        model.fit(train_ds, epochs=2, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more14-save-keras-into-missing-folder-k3",
        cause="other",
        note="an output folder that was never created; nothing wrong with data, model or environment",
        exception="FileNotFoundError",
        setup=pets,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        model.save("models/cats_vs_dogs/v1.keras")
        """,
    ),
    # ============================================================ mixed precision, detection, NaN
    Case(
        name="keras-more14-mixed-precision-dice-metric-float16-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=seg_masks,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")   # faster on the RTX card

        def load(img_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32)
            mask = tf.cast(tf.io.decode_png(tf.io.read_file(mask_path), channels=1) > 127, tf.float32)
            return img, mask

        imgs = tf.data.Dataset.list_files("{DATA}/cells/images/*.png", shuffle=False)
        masks = tf.data.Dataset.list_files("{DATA}/cells/masks/*.png", shuffle=False)
        ds = tf.data.Dataset.zip((imgs, masks)).map(load).batch(4)

        def dice_coef(y_true, y_pred, smooth=1.0):
            inter = tf.reduce_sum(y_true * y_pred)
            return (2.0 * inter + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + smooth)

        inputs = keras.Input((48, 48, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "binary_crossentropy", metrics=[dice_coef])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-nms-scores-keep-column-axis-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=pets,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # tiny single-class detector: 16 anchors, each with a box and an objectness score
        A = 16
        inputs = keras.Input((40, 40, 3))
        x = layers.Rescaling(1 / 255.0)(inputs)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        boxes = layers.Reshape((A, 4), name="boxes")(layers.Dense(A * 4, activation="sigmoid")(x))
        scores = layers.Reshape((A, 1), name="scores")(layers.Dense(A, activation="sigmoid")(x))
        model = keras.Model(inputs, [boxes, scores])

        img = keras.utils.img_to_array(keras.utils.load_img("{DATA}/pets/cat/cat_000.jpg", target_size=(40, 40)))
        pred_boxes, pred_scores = model.predict(img[None])
        keep = tf.image.non_max_suppression(pred_boxes[0], pred_scores[0], max_output_size=5, iou_threshold=0.5)
        print(pred_boxes[0][keep.numpy()])
        """,
    ),
    Case(
        name="keras-more14-triplet-loss-sqrt-zero-distance-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=pets,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        tf.debugging.enable_check_numerics()     # the loss went to nan after a few steps; find out where

        def triplet_loss(y_true, emb, margin=0.2):
            # batch-all triplets: pairwise Euclidean distances between the embeddings
            dot = tf.matmul(emb, emb, transpose_b=True)
            sq = tf.linalg.diag_part(dot)
            d2 = tf.expand_dims(sq, 1) - 2.0 * dot + tf.expand_dims(sq, 0)
            dist = tf.sqrt(tf.maximum(d2, 0.0))
            y = tf.reshape(y_true, [-1])
            same = tf.cast(tf.equal(tf.expand_dims(y, 0), tf.expand_dims(y, 1)), tf.float32)
            pos = tf.reduce_sum(dist * same, axis=1) / tf.reduce_sum(same, axis=1)    # mean positive distance
            neg = tf.reduce_min(dist + 1e6 * same, axis=1)
            return tf.reduce_mean(tf.maximum(pos - neg + margin, 0.0))

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(40, 40), batch_size=8)
        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(16),
            layers.UnitNormalization(),
        ])
        model.compile(optimizer="adam", loss=triplet_loss)
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more14-handwritten-crossentropy-unscaled-pixels-check-numerics-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        setup=flowers,
        code="""
        import tensorflow as tf

        tf.debugging.enable_check_numerics()

        def my_crossentropy(y_true, y_pred):
            y_true = tf.one_hot(tf.cast(tf.reshape(y_true, [-1]), tf.int32), 3)
            return -tf.reduce_sum(y_true * tf.math.log(y_pred), axis=-1)

        # pixels left in 0..255 (no Rescaling layer)
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(48, 48, 3)),
            tf.keras.layers.Dense(256, activation="relu"),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss=my_crossentropy)
        model.fit(train_ds, epochs=5)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
