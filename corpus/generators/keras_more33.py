"""Untargeted held-out Keras / TF 2 failures of people who go beyond ``model.fit`` on images:
custom training loops with ``tf.GradientTape`` and ``@tf.function``, subclassed models with their
own ``train_step`` / ``compile``, custom layers, losses and callbacks, tf.data pipelines
(``from_generator``, TFRecords), multi-input / multi-output models, mixed precision on the CPU,
saving / loading with custom objects, and ImageAI-2-era Keras 2 code run on tf_keras:

- versions: ``Mean.reset_states()`` from the TF 2.x custom-loop tutorial under Keras 3, a callback
  that assigns ``self.model`` in ``__init__`` (Keras 3 made it a read-only property), ImageAI 2's
  DenseNet importing ``_obtain_input_shape``, ``K.tensorflow_backend._get_available_gpus()`` on
  tf_keras, a Keras 3 ``PyDataset`` tutorial run with TF_USE_LEGACY_KERAS=1;
- API: ``from_generator(args=...)`` turning the file names into bytes, ``parse_single_example``
  mapped after ``batch``, a GAN ``compile`` override without ``super().compile()``, a custom layer
  whose ``build`` takes a list of shapes as one shape, a subclassed model with ``call(image, meta)``,
  a focal loss overriding ``__call__``, a noise layer with a required ``training`` argument in a
  Sequential, ``self.layers`` in a subclassed model, numpy arrays in a layer's ``get_config``, a
  backbone model passed through ``get_config`` and never deserialised;
- shapes: a ``tf.function`` ``input_signature`` for 224 px given 64 px tiles, a GAN ``train_step``
  with ``tf.ones((BATCH_SIZE, 1))`` labels meeting the short last batch;
- labels: TFRecord class ids written from 1 for a five-way head, read in a ``train_step``;
- data: a TFRecord shard exported without the ``label`` feature;
- dtypes: a metadata CSV read as strings (``?`` for missing values) for a two-input model;
- gradients: the loss scaled by the ``LossScaleOptimizer`` after the tape closed;
- divergence: a hand-written crossentropy on float16 softmax under ``mixed_float16`` with
  ``enable_check_numerics``;
- plain bugs: a step counter incremented inside an ``@tf.function`` step.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells
run in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the
label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more33.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g72): the cases were generated into a separate folder and scored
before any rule was looked at or written for them (0.78 top-1, 0.91 top-3; rules alone 0.35).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more33.py"


# ---------------------------------------------------------------- data helpers
def flowers5(d):
    make_images(d / "flowers", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=6,
                size=(48, 48), fmt="jpeg", seed=31)


def pets(d):
    make_images(d / "pets", ["cat", "dog"], per_class=10, size=(48, 48), fmt="jpeg", seed=32)


def faces(d):
    """Face photos (unconditional GAN training set): 40 crops, 32 x 32."""
    make_images(d / "faces", ["all"], per_class=40, size=(32, 32), fmt="jpeg", seed=33)


def satellite_tiles(d):
    make_images(d / "tiles", ["cloud", "desert", "forest", "water"], per_class=5, size=(64, 64), fmt="png",
                seed=34)


def pet_listings(d):
    """Adoption-site photos with a metadata CSV (age in months, weight in kg; '?' where unknown)."""
    r = _rng(35)
    rows = ["photo,age_months,weight_kg,adopted"]
    for i in range(24):
        _jpg(d / "listings" / "photos" / f"l{i:04d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        age = "?" if i in (5, 17) else str(int(r.integers(2, 120)))
        w = "?" if i == 9 else f"{r.uniform(1.5, 40):.1f}"
        rows.append(f"l{i:04d}.jpg,{age},{w},{int(r.integers(0, 2))}")
    (d / "listings" / "listings.csv").write_text("\n".join(rows) + "\n")


_WRITE_SHARDS = """
    import numpy as np
    import tensorflow as tf

    def write(path, n, seed, with_label=True, first_id=0, classes=5):
        r = np.random.default_rng(seed)
        with tf.io.TFRecordWriter(path) as w:
            for i in range(n):
                img = tf.io.encode_jpeg(r.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)).numpy()
                feat = {"image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img]))}
                if with_label:
                    feat["label"] = tf.train.Feature(int64_list=tf.train.Int64List(value=[first_id + i % classes]))
                w.write(tf.train.Example(features=tf.train.Features(feature=feat)).SerializeToString())
"""


def shards_unlabelled_val(d):
    """train shards with labels; the val shard came from the export script for the labelling tool."""
    (d / "records").mkdir(parents=True, exist_ok=True)
    _prep("k3", _WRITE_SHARDS + """
    write("records/train-00000-of-00002.tfrecord", 16, 1)
    write("records/train-00001-of-00002.tfrecord", 16, 2)
    write("records/val-00000-of-00001.tfrecord", 12, 3, with_label=False)
    """, d)


def shards_one_based(d):
    """Shards written from a label map whose ids start at 1 (TF Object Detection API habit)."""
    (d / "records").mkdir(parents=True, exist_ok=True)
    _prep("k3", _WRITE_SHARDS + """
    write("records/flowers-00000.tfrecord", 20, 4, first_id=1)
    write("records/flowers-00001.tfrecord", 20, 5, first_id=1)
    """, d)


def shards_plain(d):
    (d / "records").mkdir(parents=True, exist_ok=True)
    _prep("k3", _WRITE_SHARDS + """
    write("records/train-00000.tfrecord", 24, 6, classes=2)
    """, d)


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== env.version_incompat
    Case(
        name="keras-more33-custom-loop-mean-metric-reset-states-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="AttributeError",
        setup=flowers5,
        expect="reset_states",
        code="""
        # custom training loop, following the TF 2 "writing a training loop from scratch" guide
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5),
        ])
        loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)
        train_loss = keras.metrics.Mean(name="train_loss")
        train_accuracy = keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")


        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                predictions = model(images, training=True)
                loss = loss_object(labels, predictions)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            train_loss(loss)
            train_accuracy(labels, predictions)


        EPOCHS = 5
        for epoch in range(EPOCHS):
            for images, labels in train_ds:
                train_step(images, labels)
            print(f"Epoch {epoch + 1}, Loss: {train_loss.result()}, Accuracy: {train_accuracy.result() * 100}")
            train_loss.reset_states()
            train_accuracy.reset_states()
        """,
    ),
    Case(
        name="keras-more33-preview-callback-assigns-self-model-in-init-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="AttributeError",
        setup=pets,
        expect="has no setter",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
        class_names = train_ds.class_names
        preview_x, preview_y = next(iter(train_ds))


        class PreviewPredictions(keras.callbacks.Callback):
            \"\"\"Print the predictions on a fixed batch after every epoch.\"\"\"

            def __init__(self, model, images, labels):
                super().__init__()
                self.model = model
                self.images = images
                self.labels = labels

            def on_epoch_end(self, epoch, logs=None):
                probs = self.model.predict(self.images, verbose=0)[:, 0]
                for p, y in zip(probs[:4], self.labels[:4]):
                    print(f"  {class_names[int(y)]:>4}: p(dog)={p:.2f}")


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, callbacks=[PreviewPredictions(model, preview_x, preview_y)])
        """,
    ),
    Case(
        name="keras-more33-imageai2-densenet-obtain-input-shape-import-tfk2",
        cause="env.version_incompat",
        exception="ImportError",
        env="tfk2",
        setup=flowers5,
        expect="_obtain_input_shape",
        code="""
        # densenet.py copied from ImageAI 2.0.2 (imageai/Prediction/DenseNet/densenet.py), trained with tf.keras
        import tensorflow as tf
        from tensorflow.keras.models import Model
        from tensorflow.keras.layers import (Input, Conv2D, BatchNormalization, Activation, MaxPooling2D,
                                             AveragePooling2D, GlobalAveragePooling2D, Dense, Concatenate)
        from tensorflow.keras.applications.imagenet_utils import _obtain_input_shape
        from tensorflow.keras import backend as K
        from tensorflow.keras.preprocessing.image import ImageDataGenerator


        def DenseNet(nb_dense_block=3, growth_rate=12, nb_filter=16, input_shape=None, classes=5):
            input_shape = _obtain_input_shape(input_shape, default_size=32, min_size=8,
                                              data_format=K.image_data_format(), require_flatten=True)
            img_input = Input(shape=input_shape)
            x = Conv2D(nb_filter, (3, 3), padding="same", use_bias=False)(img_input)
            for block in range(nb_dense_block):
                cb = BatchNormalization()(x)
                cb = Activation("relu")(cb)
                cb = Conv2D(growth_rate, (3, 3), padding="same", use_bias=False)(cb)
                x = Concatenate()([x, cb])
                if block != nb_dense_block - 1:
                    x = AveragePooling2D((2, 2))(x)
            x = GlobalAveragePooling2D()(x)
            x = Dense(classes, activation="softmax")(x)
            return Model(img_input, x, name="densenet")


        train_gen = ImageDataGenerator(rescale=1.0 / 255).flow_from_directory(
            "{DATA}/flowers", target_size=(32, 32), batch_size=8)
        model = DenseNet(input_shape=(32, 32, 3), classes=train_gen.num_classes)
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=5)
        """,
    ),
    Case(
        name="keras-more33-imageai2-tensorflow-backend-available-gpus-tfk2",
        cause="env.version_incompat",
        also=("env.cuda_setup",),
        exception="AttributeError",
        env="tfk2",
        setup=pets,
        expect="tensorflow_backend",
        code="""
        # training script from an ImageAI 2 / Keras 2.2 era tutorial, ported to tf.keras
        import tensorflow as tf
        from tensorflow.keras import backend as K
        from tensorflow.keras import layers
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gpus = K.tensorflow_backend._get_available_gpus()
        print("GPUs available:", gpus)
        BATCH_SIZE = 32 if gpus else 8

        train_gen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True).flow_from_directory(
            "{DATA}/pets", target_size=(48, 48), batch_size=BATCH_SIZE, class_mode="binary")

        model = Sequential([
            layers.Conv2D(32, (3, 3), activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=5)
        """,
    ),
    Case(
        name="keras-more33-keras3-pydataset-tutorial-under-legacy-keras-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        setup=pets,
        expect="PyDataset",
        code="""
        # the team's Docker image sets TF_USE_LEGACY_KERAS=1 for the old ImageAI service
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from PIL import Image

        print("TF", tf.__version__, "| TF_USE_LEGACY_KERAS =", os.environ.get("TF_USE_LEGACY_KERAS"))


        class PetsDataset(keras.utils.PyDataset):
            def __init__(self, files, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(f).convert("RGB"), np.float32) / 255.0 for f in batch])
                y = np.array([1.0 if "/dog/" in f else 0.0 for f in batch], np.float32)
                return x, y


        files = sorted(glob.glob("{DATA}/pets/*/*.jpg"))
        model = keras.Sequential([
            keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(PetsDataset(files, workers=2), epochs=3)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more33-from-generator-args-file-names-become-bytes-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        setup=flowers5,
        expect="Can't mix strings and bytes",
        pty=True,
        code="""
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        rel_paths = [os.path.join(c, f) for c in CLASSES for f in sorted(os.listdir(os.path.join(ROOT, c)))]


        def gen(paths):
            for rel in paths:
                img = Image.open(os.path.join(ROOT, rel)).convert("RGB").resize((48, 48))
                label = CLASSES.index(os.path.dirname(rel))
                yield np.asarray(img, np.float32) / 255.0, label


        train_ds = tf.data.Dataset.from_generator(
            gen, args=[rel_paths],
            output_signature=(tf.TensorSpec((48, 48, 3), tf.float32), tf.TensorSpec((), tf.int32)),
        ).shuffle(64).batch(8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more33-parse-single-example-mapped-after-batch-tfk2",
        cause="model.api_misuse",
        exception="ValueError",
        env="tfk2",
        setup=shards_plain,
        expect="Input serialized must be a scalar",
        code="""
        import glob

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
            img = tf.image.convert_image_dtype(img, tf.float32)
            return img, ex["label"]


        files = sorted(glob.glob("{DATA}/records/train-*.tfrecord"))
        train_ds = (tf.data.TFRecordDataset(files)
                    .shuffle(256)
                    .batch(8)
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)   # parse whole batches: faster
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more33-gan-compile-override-without-super-compile-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=faces,
        expect="You must call `compile()`",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        LATENT = 32
        dataset = keras.utils.image_dataset_from_directory(
            "{DATA}/faces", label_mode=None, image_size=(32, 32), batch_size=8)
        dataset = dataset.map(lambda x: x / 127.5 - 1.0)

        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Flatten(), layers.Dense(1),
        ], name="discriminator")
        generator = keras.Sequential([
            keras.Input((LATENT,)),
            layers.Dense(8 * 8 * 64), layers.Reshape((8, 8, 64)),
            layers.Conv2DTranspose(64, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2D(3, 3, padding="same", activation="tanh"),
        ], name="generator")


        class GAN(keras.Model):
            def __init__(self, discriminator, generator, latent_dim):
                super().__init__()
                self.discriminator = discriminator
                self.generator = generator
                self.latent_dim = latent_dim

            def compile(self, d_optimizer, g_optimizer, loss_fn):
                self.d_optimizer = d_optimizer
                self.g_optimizer = g_optimizer
                self.loss_fn = loss_fn

            def train_step(self, real_images):
                batch_size = tf.shape(real_images)[0]
                z = tf.random.normal((batch_size, self.latent_dim))
                fake = self.generator(z)
                images = tf.concat([fake, real_images], axis=0)
                labels = tf.concat([tf.ones((batch_size, 1)), tf.zeros((batch_size, 1))], axis=0)
                with tf.GradientTape() as tape:
                    d_loss = self.loss_fn(labels, self.discriminator(images))
                grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
                self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
                z = tf.random.normal((batch_size, self.latent_dim))
                with tf.GradientTape() as tape:
                    g_loss = self.loss_fn(tf.zeros((batch_size, 1)), self.discriminator(self.generator(z)))
                grads = tape.gradient(g_loss, self.generator.trainable_weights)
                self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
                return {"d_loss": d_loss, "g_loss": g_loss}


        gan = GAN(discriminator, generator, LATENT)
        gan.compile(
            d_optimizer=keras.optimizers.Adam(3e-4),
            g_optimizer=keras.optimizers.Adam(3e-4),
            loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
        )
        gan.fit(dataset, epochs=5)
        """,
    ),
    Case(
        name="keras-more33-gated-fusion-layer-build-list-of-shapes-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pet_listings,
        expect="Cannot convert",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers


        class GatedFusion(layers.Layer):
            \"\"\"Gate the image features with the listing metadata.\"\"\"

            def build(self, input_shape):
                self.gate = self.add_weight(name="gate", shape=(input_shape[-1], input_shape[-1]),
                                            initializer="glorot_uniform")

            def call(self, inputs):
                image_features, metadata = inputs
                return image_features * tf.sigmoid(tf.matmul(metadata, self.gate))


        image_in = keras.Input((48, 48, 3), name="photo")
        meta_in = keras.Input((32,), name="metadata")
        x = layers.Rescaling(1.0 / 255)(image_in)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        m = layers.Dense(32, activation="relu")(meta_in)
        fused = GatedFusion()([x, m])
        out = layers.Dense(1, activation="sigmoid", name="adopted")(fused)
        model = keras.Model([image_in, meta_in], out)
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.summary()
        """,
    ),
    Case(
        name="keras-more33-subclassed-call-image-and-meta-positional-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="TypeError",
        setup=pet_listings,
        expect="meta",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/listings"
        rows = list(csv.DictReader(open(f"{ROOT}/listings.csv")))
        num = lambda v: 0.0 if v == "?" else float(v)
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(f"{ROOT}/photos/" + r["photo"])) / 255.0
                           for r in rows])
        meta = np.array([[num(r["age_months"]), num(r["weight_kg"])] for r in rows], np.float32)
        y = np.array([float(r["adopted"]) for r in rows], np.float32)


        class AdoptionNet(keras.Model):
            def __init__(self):
                super().__init__()
                self.conv1 = layers.Conv2D(16, 3, activation="relu")
                self.conv2 = layers.Conv2D(32, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.meta_fc = layers.Dense(16, activation="relu")
                self.head = layers.Dense(1, activation="sigmoid")

            def call(self, image, meta):
                x = self.pool(self.conv2(self.conv1(image)))
                m = self.meta_fc(meta)
                return self.head(tf.concat([x, m], axis=-1))


        model = AdoptionNet()
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit((photos, meta), y, batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more33-focal-loss-overrides-dunder-call-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=satellite_tiles,
        expect="positional arguments but 4 were given",
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers


        class CategoricalFocalLoss(keras.losses.Loss):
            def __init__(self, gamma=2.0, alpha=0.25, **kwargs):
                super().__init__(**kwargs)
                self.gamma = gamma
                self.alpha = alpha

            def __call__(self, y_true, y_pred):
                y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                ce = -y_true * tf.math.log(y_pred)
                weight = self.alpha * tf.pow(1.0 - y_pred, self.gamma)
                return tf.reduce_mean(tf.reduce_sum(weight * ce, axis=-1))


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/tiles", image_size=(64, 64), batch_size=8, label_mode="categorical")
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=CategoricalFocalLoss(gamma=2.0), metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more33-noise-layer-training-argument-no-default-sequential-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        setup=satellite_tiles,
        expect="single required positional argument",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers


        class SensorNoise(layers.Layer):
            \"\"\"Simulate sensor noise on the tiles, only while training.\"\"\"

            def __init__(self, stddev=0.05, **kwargs):
                super().__init__(**kwargs)
                self.stddev = stddev

            def call(self, inputs, training):
                if training:
                    return inputs + tf.random.normal(tf.shape(inputs), stddev=self.stddev)
                return inputs


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/tiles", image_size=(64, 64), batch_size=8)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            SensorNoise(0.05),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more33-nb-subclassed-model-self-layers-attribute-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="reserved",
        **notebook([
            """
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
            """,
            """
            class SmallCNN(keras.Model):
                def __init__(self, widths=(16, 32, 64), num_classes=5):
                    super().__init__()
                    self.rescale = layers.Rescaling(1.0 / 255)
                    self.layers = []
                    for w in widths:
                        self.layers.append(layers.Conv2D(w, 3, padding="same", activation="relu"))
                        self.layers.append(layers.MaxPooling2D())
                    self.pool = layers.GlobalAveragePooling2D()
                    self.head = layers.Dense(num_classes)

                def call(self, x):
                    x = self.rescale(x)
                    for layer in self.layers:
                        x = layer(x)
                    return self.head(self.pool(x))
            """,
            """
            model = SmallCNN()
            model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            model.fit(train_ds, epochs=3)
            """,
        ], data=flowers5),
    ),
    Case(
        name="keras-more33-normalise-layer-numpy-mean-std-in-get-config-reload-k3",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="TypeError",
        setup=flowers5,
        expect="Error when deserializing class 'ImageNetNormalize'",
        code="""
        import numpy as np
        import keras
        from keras import layers


        @keras.saving.register_keras_serializable(package="flowers")
        class ImageNetNormalize(layers.Layer):
            def __init__(self, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), **kwargs):
                super().__init__(**kwargs)
                self.mean = np.asarray(mean, np.float32)
                self.std = np.asarray(std, np.float32)

            def call(self, x):
                return (x / 255.0 - self.mean) / self.std

            def get_config(self):
                config = super().get_config()
                config.update({"mean": self.mean, "std": self.std})
                return config


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            ImageNetNormalize(),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)
        model.save("flowers.keras")

        # sanity check before uploading the model
        restored = keras.models.load_model("flowers.keras")
        print(np.allclose(restored.predict(next(iter(train_ds))[0]), model.predict(next(iter(train_ds))[0])))
        """,
    ),
    Case(
        name="keras-more33-subclassed-classifier-backbone-in-config-not-deserialised-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=pets,
        expect="object is not callable",
        code="""
        import keras
        from keras import layers


        @keras.saving.register_keras_serializable(package="pets")
        class PetClassifier(keras.Model):
            def __init__(self, backbone, num_classes=1, dropout=0.2, **kwargs):
                super().__init__(**kwargs)
                self.backbone = backbone
                self.num_classes = num_classes
                self.dropout_rate = dropout
                self.pool = layers.GlobalAveragePooling2D()
                self.drop = layers.Dropout(dropout)
                self.head = layers.Dense(num_classes, activation="sigmoid")

            def call(self, x, training=False):
                return self.head(self.drop(self.pool(self.backbone(x, training=training)), training=training))

            def get_config(self):
                config = super().get_config()
                config.update({"backbone": keras.saving.serialize_keras_object(self.backbone),
                               "num_classes": self.num_classes, "dropout": self.dropout_rate})
                return config


        backbone = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
        ], name="backbone")

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
        model = PetClassifier(backbone)
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)
        model.save("pet_classifier.keras")

        reloaded = keras.models.load_model("pet_classifier.keras")
        reloaded.evaluate(train_ds)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more33-tf-function-input-signature-224-given-64px-tiles-tfk2",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="TypeError",
        env="tfk2",
        setup=satellite_tiles,
        expect="Binding inputs to tf.function failed",
        code="""
        import tensorflow as tf
        from tensorflow import keras

        IMG_SIZE = 64
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/tiles", image_size=(IMG_SIZE, IMG_SIZE), batch_size=8)

        base = keras.Sequential([
            keras.layers.Rescaling(1.0 / 255, input_shape=(None, None, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(4),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)


        # signature fixed to avoid retracing (copied from the ImageNet training script)
        @tf.function(input_signature=[
            tf.TensorSpec(shape=[None, 224, 224, 3], dtype=tf.float32),
            tf.TensorSpec(shape=[None], dtype=tf.int32),
        ])
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                logits = base(images, training=True)
                loss = loss_fn(labels, logits)
            grads = tape.gradient(loss, base.trainable_variables)
            optimizer.apply_gradients(zip(grads, base.trainable_variables))
            return loss


        for epoch in range(3):
            for images, labels in train_ds:
                loss = train_step(images, labels)
            print(f"epoch {epoch}: loss {loss.numpy():.4f}")
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more33-gan-train-step-fixed-batch-size-labels-short-last-batch-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=faces,
        expect="Incompatible shapes",
        pty=True,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        BATCH_SIZE = 16
        LATENT = 32
        dataset = keras.utils.image_dataset_from_directory(
            "{DATA}/faces", label_mode=None, image_size=(32, 32), batch_size=BATCH_SIZE, shuffle=True)
        dataset = dataset.map(lambda x: x / 127.5 - 1.0)

        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Flatten(), layers.Dense(1),
        ])
        generator = keras.Sequential([
            keras.Input((LATENT,)),
            layers.Dense(8 * 8 * 64), layers.Reshape((8, 8, 64)),
            layers.Conv2DTranspose(64, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2D(3, 3, padding="same", activation="tanh"),
        ])


        class DCGAN(keras.Model):
            def __init__(self, discriminator, generator):
                super().__init__()
                self.discriminator = discriminator
                self.generator = generator
                self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
                self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

            def compile(self, d_optimizer, g_optimizer, loss_fn):
                super().compile()
                self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn

            @property
            def metrics(self):
                return [self.d_loss_tracker, self.g_loss_tracker]

            def train_step(self, real_images):
                z = tf.random.normal((BATCH_SIZE, LATENT))
                real_labels = tf.ones((BATCH_SIZE, 1))
                fake_labels = tf.zeros((BATCH_SIZE, 1))
                with tf.GradientTape() as tape:
                    fake_images = self.generator(z, training=True)
                    d_loss = (self.loss_fn(real_labels, self.discriminator(real_images, training=True))
                              + self.loss_fn(fake_labels, self.discriminator(fake_images, training=True)))
                grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
                self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
                with tf.GradientTape() as tape:
                    g_loss = self.loss_fn(real_labels, self.discriminator(self.generator(z, training=True)))
                grads = tape.gradient(g_loss, self.generator.trainable_weights)
                self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
                self.d_loss_tracker.update_state(d_loss)
                self.g_loss_tracker.update_state(g_loss)
                return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


        gan = DCGAN(discriminator, generator)
        gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5),
                    keras.losses.BinaryCrossentropy(from_logits=True, reduction="none"))
        gan.fit(dataset, epochs=5)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more33-train-step-tfrecord-class-ids-from-one-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=shards_one_based,
        expect="Received a label value of 5",
        pty=True,
        code="""
        # the shards were written by create_tf_records.py from label_map.pbtxt (ids 1..5)
        import glob

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        NUM_CLASSES = 5
        FEATURES = {"image": tf.io.FixedLenFeature([], tf.string),
                    "label": tf.io.FixedLenFeature([], tf.int64)}


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image"], channels=3), tf.float32)
            return img, ex["label"]


        files = sorted(glob.glob("{DATA}/records/flowers-*.tfrecord"))
        train_ds = tf.data.TFRecordDataset(files).map(parse).shuffle(64).batch(8).prefetch(2)


        class FlowerNet(keras.Model):
            def __init__(self):
                super().__init__()
                self.body = keras.Sequential([
                    layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                    layers.Conv2D(32, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                ])
                self.head = layers.Dense(NUM_CLASSES)
                self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
                self.acc = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
                self.loss_tracker = keras.metrics.Mean(name="loss")

            def call(self, x, training=False):
                return self.head(self.body(x, training=training))

            @property
            def metrics(self):
                return [self.loss_tracker, self.acc]

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    logits = self(x, training=True)
                    loss = self.loss_fn(y, logits)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                self.loss_tracker.update_state(loss)
                self.acc.update_state(y, logits)
                return {m.name: m.result() for m in self.metrics}


        model = FlowerNet()
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
        model.fit(train_ds, epochs=4)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more33-tfrecord-val-shard-exported-without-label-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=shards_unlabelled_val,
        expect="is required but could not be found",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        FEATURES = {"image": tf.io.FixedLenFeature([], tf.string),
                    "label": tf.io.FixedLenFeature([], tf.int64)}


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            img = tf.cast(tf.io.decode_jpeg(ex["image"], channels=3), tf.float32) / 255.0
            return img, ex["label"]


        def make_ds(pattern, training):
            ds = tf.data.TFRecordDataset(sorted(glob.glob(pattern)))
            ds = ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE)
            if training:
                ds = ds.shuffle(256)
            return ds.batch(8).prefetch(tf.data.AUTOTUNE)


        train_ds = make_ds("{DATA}/records/train-*.tfrecord", True)
        val_ds = make_ds("{DATA}/records/val-*.tfrecord", False)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=2)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more33-two-input-metadata-csv-question-marks-string-array-k3",
        cause="data.dtype",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        setup=pet_listings,
        expect="Invalid dtype",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        ROOT = "{DATA}/listings"
        rows = list(csv.DictReader(open(f"{ROOT}/listings.csv")))
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(f"{ROOT}/photos/" + r["photo"])) for r in rows])
        meta = np.array([[r["age_months"], r["weight_kg"]] for r in rows])
        y = np.array([int(r["adopted"]) for r in rows])
        print(photos.shape, meta.shape, meta.dtype, y.shape)

        photo_in = keras.Input((48, 48, 3), name="photo")
        meta_in = keras.Input((2,), name="meta")
        x = layers.Rescaling(1.0 / 255)(photo_in)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        m = layers.Dense(8, activation="relu")(layers.Normalization()(meta_in))
        out = layers.Dense(1, activation="sigmoid")(layers.concatenate([x, m]))
        model = keras.Model([photo_in, meta_in], out)
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit([photos, meta], y, batch_size=8, epochs=3)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more33-mixed-float16-scaled-loss-after-tape-closed-tfk2",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tfk2",
        setup=flowers5,
        expect="No gradients provided",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers, mixed_precision

        mixed_precision.set_global_policy("mixed_float16")

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5),
            layers.Activation("linear", dtype="float32"),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = mixed_precision.LossScaleOptimizer(keras.optimizers.Adam(1e-3))


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = model(x, training=True)
                loss = loss_fn(y, logits)
            scaled_loss = optimizer.get_scaled_loss(loss)
            scaled_grads = tape.gradient(scaled_loss, model.trainable_variables)
            grads = optimizer.get_unscaled_gradients(scaled_grads)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(3):
            for x, y in train_ds:
                loss = train_step(x, y)
            print("epoch", epoch, "loss", float(loss))
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more33-mixed-float16-handwritten-xent-check-numerics-k3",
        cause="optim.divergence",
        also=("data.dtype",),
        exception="InvalidArgumentError",
        setup=satellite_tiles,
        expect="Inf",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")
        tf.debugging.enable_check_numerics()      # find where the NaN loss comes from

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/tiles", image_size=(64, 64), batch_size=8, label_mode="categorical")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])


        def crossentropy(y_true, y_pred):
            return -tf.reduce_sum(tf.cast(y_true, y_pred.dtype) * tf.math.log(y_pred), axis=-1)


        model.compile(keras.optimizers.SGD(0.5), loss=crossentropy, metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more33-tf-function-step-counter-incremented-inside-k3",
        cause="other",
        exception="UnboundLocalError",
        setup=pets,
        expect="step",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ])
        loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)
        writer = tf.summary.create_file_writer("logs/train")
        step = 0


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(tf.cast(y, tf.float32)[:, None], model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            step += 1
            with writer.as_default():
                tf.summary.scalar("loss", loss, step=step)
            return loss


        for epoch in range(3):
            for x, y in train_ds:
                loss = train_step(x, y)
            print(f"epoch {epoch}: {float(loss):.4f}")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
