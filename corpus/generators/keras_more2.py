"""Yet more real Keras / tf.data failures from image classifiers, detectors and
segmenters, in code paths the earlier generators leave out: PyDataset / Sequence
objects returning the wrong things, tf.data map functions (wrong decoder, unknown
shapes from decode_image and py_function, NumPy / PIL on symbolic tensors),
from_tensor_slices with ragged data, class_weight / sample_weight misuse,
multi-output detectors with loss dicts, metrics that do not fit the labels,
Lambda layers and custom objects when saving, custom train_step, subclassed
models, callbacks, MirroredStrategy, mixed precision, TF1 and Keras 2 habits
under TF 2 / Keras 3, NaN after TerminateOnNaN caught by a final check.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more2.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def jpeg_classes(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(40, 40), fmt="jpeg")


def mixed_size_photos(d: Path):
    make_images(d / "photos", ["cat", "dog"], per_class=4, fmt="jpeg",
                sizes=[(64, 48), (48, 64), (80, 60)])


def seg_rgb_masks(d: Path):
    """Segmentation masks saved as colour-coded RGB PNGs."""
    import numpy as np
    rng = np.random.default_rng(5)
    palette = np.array([[0, 0, 0], [128, 0, 0], [0, 128, 0]], np.uint8)
    for i in range(8):
        _png(d / "seg" / "images" / f"{i:03d}.png", rng.integers(0, 255, size=(32, 32, 3), dtype=np.uint8))
        m = rng.integers(0, 3, size=(32, 32))
        _png(d / "seg" / "masks" / f"{i:03d}.png", palette[m])


CASES = [
    # ============================================================ PyDataset / Sequence
    Case(
        name="keras-more2-pydataset-returns-filenames-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class Photos(keras.utils.PyDataset):
            def __init__(self, n, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.n, self.batch_size = n, batch_size
                self.files = [f"img_{i:04d}.jpg" for i in range(n)]

            def __len__(self):
                return self.n // self.batch_size

            def __getitem__(self, idx):
                names = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.random.rand(len(names), 32, 32, 3).astype("float32")
                y = np.random.randint(0, 2, len(names))
                w = np.ones(len(names), "float32")
                return x, y, w, np.array(names)        # file names kept for debugging

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        model.fit(Photos(64), epochs=2)
        """,
    ),
    Case(
        name="keras-more2-sequence-len-zero-tf215",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class Batches(tf.keras.utils.Sequence):
            def __init__(self, x, y, batch_size):
                self.x, self.y, self.batch_size = x, y, batch_size

            def __len__(self):
                return len(self.x) // self.batch_size      # 20 // 32 == 0

            def __getitem__(self, idx):
                s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                return self.x[s], self.y[s]

        x = np.random.rand(20, 32, 32, 3).astype("float32")     # a tiny validation-sized split
        y = np.random.randint(0, 3, 20)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(Batches(x, y, batch_size=32), epochs=2)
        """,
    ),
    Case(
        name="keras-more2-sequence-dict-batch-keys-tfk2",
        cause="model.api_misuse",
        exception="ValueError",
        env="tfk2",
        code="""
        import numpy as np
        import tensorflow as tf

        class Batches(tf.keras.utils.Sequence):
            def __len__(self):
                return 4

            def __getitem__(self, idx):
                images = np.random.rand(8, 32, 32, 3).astype("float32")
                labels = np.random.randint(0, 5, 8)
                return {"image": images, "label": labels}

        inputs = tf.keras.Input((32, 32, 3))
        x = tf.keras.layers.Conv2D(8, 3, activation="relu")(inputs)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(5, activation="softmax")(x))
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(Batches(), epochs=2)
        """,
    ),
    # ============================================================ tf.data map functions
    Case(
        name="keras-more2-decode-image-resize-no-shape-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=jpeg_classes,
        code="""
        import tensorflow as tf

        def load(path):
            img = tf.io.decode_image(tf.io.read_file(path))
            img = tf.image.resize(img, (64, 64))
            return img / 255.0

        files = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg")
        images = files.map(load, num_parallel_calls=tf.data.AUTOTUNE)
        for batch in images.batch(8).take(1):
            print(batch.shape)
        """,
    ),
    Case(
        name="keras-more2-py-function-unknown-shape-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        env="k3",
        setup=jpeg_classes,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image

        def read_with_pil(path):
            img = Image.open(path.numpy().decode()).convert("RGB").resize((40, 40))
            return np.asarray(img, np.float32) / 255.0

        def load(path):
            img = tf.py_function(read_with_pil, [path], tf.float32)
            label = tf.cast(tf.strings.regex_full_match(path, ".*/roses/.*"), tf.float32)
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(6)
        model = keras.Sequential([keras.layers.Conv2D(16, 3, activation="relu"), keras.layers.MaxPooling2D(),
                                  keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more2-map-pil-on-symbolic-tensor-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        setup=jpeg_classes,
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        def load(path):
            img = Image.open(path.numpy().decode()).resize((40, 40))
            return np.asarray(img, np.float32) / 255.0

        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(8)
        """,
    ),
    Case(
        name="keras-more2-map-np-rot90-augment-tf215",
        cause="model.api_misuse",
        exception="NotImplementedError",
        env="tf215",
        setup=jpeg_classes,
        code="""
        import numpy as np
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=4)

        def augment(images, labels):
            images = np.rot90(images, k=np.random.randint(4), axes=(1, 2))
            return images, labels

        train_ds = train_ds.map(augment)
        """,
    ),
    Case(
        name="keras-more2-grayscale-to-rgb-on-rgb-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=jpeg_classes,
        code="""
        import tensorflow as tf

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.grayscale_to_rgb(img)        # the X-ray code path, reused for photos
            return tf.image.resize(img, (40, 40)) / 255.0

        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(4)
        """,
    ),
    Case(
        name="keras-more2-list-files-wrong-extension-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="k3",
        setup=jpeg_classes,
        code="""
        import tensorflow as tf

        files = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpeg", shuffle=True)
        ds = files.map(lambda p: tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(p), channels=3), (40, 40)))
        for x in ds.batch(4):
            print(x.shape)
        """,
    ),
    # ============================================================ from_tensor_slices
    Case(
        name="keras-more2-from-tensor-slices-unresized-photos-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="k3",
        setup=mixed_size_photos,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        paths = sorted(glob.glob("{DATA}/photos/*/*.jpg"))
        images = [np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p in paths]
        labels = [0 if "/cat/" in p else 1 for p in paths]
        ds = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(8).batch(4)
        """,
    ),
    Case(
        name="keras-more2-detector-variable-box-count-k3",
        cause="data.label_shape",
        also=("data.bbox_invalid",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        images = rng.random((6, 64, 64, 3), dtype=np.float32)
        # one list of [x1, y1, x2, y2] boxes per image, as parsed from the VOC xml files
        boxes = [[[0.1, 0.1, 0.5, 0.5]],
                 [[0.2, 0.3, 0.6, 0.9], [0.5, 0.5, 0.9, 0.8]],
                 [[0.0, 0.0, 1.0, 1.0]],
                 [[0.3, 0.2, 0.4, 0.4], [0.6, 0.1, 0.9, 0.3], [0.1, 0.7, 0.2, 0.9]],
                 [[0.4, 0.4, 0.6, 0.6]],
                 [[0.2, 0.2, 0.8, 0.8]]]
        ds = tf.data.Dataset.from_tensor_slices((images, boxes)).batch(2)
        """,
    ),
    Case(
        name="keras-more2-bbox-five-columns-mse-k3",
        cause="data.bbox_invalid",
        also=("data.label_shape",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        rng = np.random.default_rng(1)
        images = rng.random((64, 64, 64, 3), dtype=np.float32)
        # YOLO txt rows: class x_center y_center width height
        targets = np.concatenate([rng.integers(0, 3, (64, 1)), rng.random((64, 4))], axis=1).astype("float32")

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        box = layers.Dense(4, activation="sigmoid", name="box")(x)
        model = keras.Model(inputs, box)
        model.compile("adam", "mse")
        model.fit(images, targets, batch_size=16, epochs=2)
        """,
    ),
]
CASES += [
    # ============================================================ class_weight / sample_weight
    Case(
        name="keras-more2-class-weight-class-names-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=jpeg_classes,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=4)
        counts = {"daisy": 6, "roses": 6, "tulips": 6}
        total = sum(counts.values())
        class_weight = {name: total / (len(counts) * n) for name, n in counts.items()}

        model = keras.Sequential([keras.Input((40, 40, 3)), keras.layers.Rescaling(1 / 255),
                                  keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=2, class_weight=class_weight)
        """,
    ),
    Case(
        name="keras-more2-class-weight-multi-output-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x = np.random.rand(64, 48, 48, 3).astype("float32")
        y_cls = np.random.randint(0, 3, 64)
        y_box = np.random.rand(64, 4).astype("float32")

        inputs = keras.Input((48, 48, 3), name="image")
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = layers.GlobalAveragePooling2D()(h)
        cls = layers.Dense(3, activation="softmax", name="cls")(h)
        box = layers.Dense(4, activation="sigmoid", name="box")(h)
        model = keras.Model(inputs, [cls, box])
        model.compile("adam", loss=["sparse_categorical_crossentropy", "mse"])
        model.fit(x, [y_cls, y_box], batch_size=16, epochs=2, class_weight={0: 1.0, 1: 4.0, 2: 2.0})
        """,
    ),
    Case(
        name="keras-more2-train-step-unpack-class-weight-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class Classifier(tf.keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compiled_loss(y, y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                self.compiled_metrics.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}

        inputs = tf.keras.Input((32, 32, 3))
        h = tf.keras.layers.Conv2D(8, 3, activation="relu")(inputs)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        model = Classifier(inputs, tf.keras.layers.Dense(2, activation="softmax")(h))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = (np.random.rand(64) > 0.9).astype("int32")
        model.fit(x, y, batch_size=16, epochs=2, class_weight={0: 1.0, 1: 9.0})
        """,
    ),
    # ============================================================ multi-output detectors
    Case(
        name="keras-more2-loss-dict-wrong-keys-k3",
        cause="model.api_misuse",
        exception="KeyError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        inputs = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = layers.GlobalAveragePooling2D()(h)
        cls = layers.Dense(5, activation="softmax", name="class_output")(h)
        box = layers.Dense(4, activation="sigmoid", name="bbox_output")(h)
        model = keras.Model(inputs, {"class_output": cls, "bbox_output": box})
        model.compile("adam",
                      loss={"classes": "sparse_categorical_crossentropy", "boxes": "mse"},
                      loss_weights={"classes": 1.0, "boxes": 5.0})
        x = np.random.rand(32, 64, 64, 3).astype("float32")
        y = {"class_output": np.random.randint(0, 5, 32), "bbox_output": np.random.rand(32, 4)}
        model.fit(x, y, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more2-multi-output-targets-swapped-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        inputs = tf.keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = layers.GlobalAveragePooling2D()(h)
        cls = layers.Dense(3, activation="softmax", name="class_output")(h)
        box = layers.Dense(4, activation="sigmoid", name="bbox_output")(h)
        model = tf.keras.Model(inputs, [cls, box])
        model.compile("adam", loss=["categorical_crossentropy", "mse"])

        x = np.random.rand(48, 64, 64, 3).astype("float32")
        boxes = np.random.rand(48, 4).astype("float32")
        labels = tf.keras.utils.to_categorical(np.random.randint(0, 3, 48), 3)
        model.fit(x, [boxes, labels], epochs=2, batch_size=16)      # targets in the wrong order
        """,
    ),
    # ============================================================ metrics
    Case(
        name="keras-more2-f1score-sparse-labels-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x = np.random.rand(96, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 5, 96)
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(5, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.F1Score(average="macro")])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-more2-precision-multiclass-sparse-tf215",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(96, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 5, 96)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(5, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy",
                      metrics=["accuracy", tf.keras.metrics.Precision(), tf.keras.metrics.Recall()])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-more2-custom-metric-one-argument-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers, ops

        def mean_confidence(y_pred):
            return ops.mean(ops.max(y_pred, axis=-1))

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 3, 64)
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Flatten(), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy", mean_confidence])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
]
CASES += [
    # ============================================================ Lambda / saving / custom objects
    Case(
        name="keras-more2-lambda-load-safe-mode-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        env="k3",
        script="export.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        inputs = keras.Input((64, 64, 3))
        x = layers.Lambda(lambda t: t / 127.5 - 1.0)(inputs)
        x = layers.Conv2D(8, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, layers.Dense(2, activation="softmax")(x))
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(32, 64, 64, 3) * 255, np.random.randint(0, 2, 32), epochs=1, verbose=0)
        model.save("{PROJECT}/classifier.keras")

        restored = keras.models.load_model("{PROJECT}/classifier.keras")
        print(restored.predict(np.random.rand(1, 64, 64, 3) * 255))
        """,
    ),
    Case(
        name="keras-more2-h5-custom-loss-unknown-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        def dice_loss(y_true, y_pred, smooth=1.0):
            inter = tf.reduce_sum(y_true * y_pred)
            return 1 - (2 * inter + smooth) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + smooth)

        model = tf.keras.Sequential([layers.Conv2D(8, 3, padding="same", activation="relu", input_shape=(32, 32, 3)),
                                     layers.Conv2D(1, 1, activation="sigmoid")])
        model.compile("adam", loss=dice_loss)
        model.fit(np.random.rand(16, 32, 32, 3), (np.random.rand(16, 32, 32, 1) > 0.5).astype("float32"),
                  epochs=1, verbose=0)
        model.save("unet_cells.h5")

        model = tf.keras.models.load_model("unet_cells.h5")
        """,
    ),
    Case(
        name="keras-more2-subclassed-model-save-h5-tf215",
        cause="model.api_misuse",
        exception="NotImplementedError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        class SmallNet(tf.keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.conv = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.head = layers.Dense(num_classes, activation="softmax")

            def call(self, x):
                return self.head(self.pool(self.conv(x)))

        model = SmallNet(4)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 4, 32), epochs=1, verbose=0)
        model.save("smallnet.h5")
        """,
    ),
    Case(
        name="keras-more2-subclassed-load-weights-unbuilt-tf215",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="ValueError",
        env="tf215",
        script="predict.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        class SmallNet(tf.keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.conv = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.head = layers.Dense(num_classes, activation="softmax")

            def call(self, x):
                return self.head(self.pool(self.conv(x)))

        trained = SmallNet(4)
        trained(np.zeros((1, 32, 32, 3), "float32"))
        trained.save_weights("smallnet_weights.h5")

        model = SmallNet(4)
        model.load_weights("smallnet_weights.h5")
        print(model.predict(np.random.rand(2, 32, 32, 3)))
        """,
    ),
    Case(
        name="keras-more2-subclassed-layer-created-in-call-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class Head(keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.num_classes = num_classes
                self.pool = layers.GlobalAveragePooling2D()

            def call(self, x):
                x = layers.Conv2D(16, 3, activation="relu")(x)
                return layers.Dense(self.num_classes, activation="softmax")(self.pool(x))

        model = Head(3)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 3, 32), batch_size=8, epochs=2)
        """,
    ),
    Case(
        name="keras-more2-train-step-returns-loss-tensor-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class Classifier(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return loss

        inputs = keras.Input((32, 32, 3))
        h = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3, activation="relu")(inputs))
        model = Classifier(inputs, layers.Dense(3, activation="softmax")(h))
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(64, 32, 32, 3), np.random.randint(0, 3, 64), batch_size=16, epochs=2)
        """,
    ),
    # ============================================================ predict / input shapes
    Case(
        name="keras-more2-dataset-batched-twice-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        setup=jpeg_classes,
        code="""
        import tensorflow as tf
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=4)
        train_ds = train_ds.shuffle(100).batch(4).prefetch(tf.data.AUTOTUNE)
        model = keras.Sequential([keras.Input((40, 40, 3)), keras.layers.Rescaling(1 / 255),
                                  keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ to_categorical
    Case(
        name="keras-more2-to-categorical-one-based-tf215",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class_names = ["cat", "dog", "horse"]
        # ids from a COCO-style json: categories start at 1
        annotations = [{"image_id": i, "category_id": 1 + i % 3} for i in range(60)]
        labels = np.array([a["category_id"] for a in annotations])
        y = tf.keras.utils.to_categorical(labels, num_classes=len(class_names))
        """,
    ),
]
CASES += [
    # ============================================================ TF1 / Keras 2 habits
    Case(
        name="keras-more2-tf-image-resize-images-tf212",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf212",
        framework="tensorflow",
        setup=jpeg_classes,
        code="""
        import tensorflow as tf

        def load(path):
            img = tf.image.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize_images(img, [64, 64])
            return tf.to_float(img) / 255.0

        ds = tf.data.Dataset.list_files("{DATA}/flowers/*/*.jpg").map(load).batch(8)
        """,
    ),
    Case(
        name="keras-more2-backend-get-session-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import backend as K

        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, input_shape=(416, 416, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(5 + 4)])
        # keras-yolo3 style inference
        sess = K.get_session()
        image = np.random.rand(1, 416, 416, 3)
        out = sess.run(model.output, feed_dict={model.input: image, K.learning_phase(): 0})
        """,
    ),
    Case(
        name="keras-more2-dice-coef-backend-flatten-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import backend as K
        from keras import layers

        def dice_coef(y_true, y_pred, smooth=1.0):
            y_true_f = K.flatten(y_true)
            y_pred_f = K.flatten(y_pred)
            intersection = K.sum(y_true_f * y_pred_f)
            return (2.0 * intersection + smooth) / (K.sum(y_true_f) + K.sum(y_pred_f) + smooth)

        def dice_loss(y_true, y_pred):
            return 1 - dice_coef(y_true, y_pred)

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, padding="same", activation="relu"),
                                  layers.Conv2D(1, 1, activation="sigmoid")])
        model.compile("adam", loss=dice_loss, metrics=[dice_coef])
        model.fit(np.random.rand(16, 32, 32, 3), (np.random.rand(16, 32, 32, 1) > 0.5).astype("float32"),
                  batch_size=4, epochs=2)
        """,
    ),
    Case(
        name="keras-more2-save-without-extension-k3",
        cause="env.version_incompat",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(),
                                  keras.layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 2, 32), epochs=1, verbose=0)
        model.save("saved_models/cats_vs_dogs")
        """,
    ),
    Case(
        name="keras-more2-layer-output-shape-attribute-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        code="""
        import keras

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)
        base.trainable = False
        for layer in base.layers[-5:]:
            print(layer.name, layer.output_shape)
        """,
    ),
    Case(
        name="keras-more2-loss-scale-get-scaled-loss-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        keras.mixed_precision.set_global_policy("mixed_float16")
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(),
                                  keras.layers.Dense(10), keras.layers.Activation("softmax", dtype="float32")])
        optimizer = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())
        loss_fn = keras.losses.SparseCategoricalCrossentropy()

        x = tf.constant(np.random.rand(16, 32, 32, 3), tf.float32)
        y = tf.constant(np.random.randint(0, 10, 16))
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
            scaled_loss = optimizer.get_scaled_loss(loss)
        grads = optimizer.get_unscaled_gradients(tape.gradient(scaled_loss, model.trainable_variables))
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """,
    ),
    # ============================================================ mixed precision
    Case(
        name="keras-more2-mixed-precision-focal-loss-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.mixed_precision.set_global_policy("mixed_float16")

        def focal_loss(y_true, y_pred, gamma=2.0):
            alpha = tf.constant(0.25)
            y_pred = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)
            ce = -y_true * tf.math.log(y_pred)
            return tf.reduce_sum(alpha * tf.pow(1 - y_pred, gamma) * ce, axis=-1)

        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(4, activation="softmax")])
        model.compile("adam", loss=focal_loss)
        y = tf.keras.utils.to_categorical(np.random.randint(0, 4, 64), 4)
        model.fit(np.random.rand(64, 32, 32, 3).astype("float32"), y, batch_size=16, epochs=2)
        """,
    ),
    # ============================================================ callbacks
    Case(
        name="keras-more2-reduce-lr-with-schedule-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import keras

        schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=1000)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile(keras.optimizers.Adam(schedule), "sparse_categorical_crossentropy")
        reduce = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
        model.fit(np.random.rand(64, 32, 32, 3), np.random.randint(0, 3, 64), batch_size=16,
                  epochs=4, callbacks=[reduce])
        """,
    ),
    # ============================================================ distribution
    Case(
        name="keras-more2-mirrored-model-outside-scope-tf215",
        cause="model.api_misuse",
        also=("env.distributed",),
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        strategy = tf.distribute.MirroredStrategy()
        print("replicas:", strategy.num_replicas_in_sync)

        base = tf.keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
        model = tf.keras.Sequential([base, tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(4, activation="softmax")])
        with strategy.scope():
            model.compile(tf.keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(32, 64, 64, 3), np.random.randint(0, 4, 32), batch_size=8, epochs=1)
        """,
    ),
    # ============================================================ NaN, then a final check
    Case(
        name="keras-more2-keypoints-terminate-on-nan-then-assert-finite-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.utils.set_random_seed(0)
        x = np.random.rand(256, 32, 32, 3).astype("float32") * 255.0      # not rescaled
        y = np.random.rand(256, 10).astype("float32") * 32.0            # 5 keypoints (x, y) in pixels
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3),
                                  layers.Flatten(), layers.Dense(10)])
        model.compile(keras.optimizers.SGD(learning_rate=0.01), "mse")
        model.fit(x, y, batch_size=32, epochs=5, callbacks=[keras.callbacks.TerminateOnNaN()])

        keypoints = model.predict(x[:8])
        tf.debugging.assert_all_finite(keypoints, "keypoints after training")
        """,
    ),
    Case(
        name="keras-more2-boxes-terminate-on-nan-then-check-weights-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(0)
        x = np.random.rand(256, 32, 32, 3).astype("float32") * 255.0
        y = np.random.rand(256, 4).astype("float32") * 32.0          # box corners in pixels
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, input_shape=(32, 32, 3)),
                                     tf.keras.layers.Flatten(), tf.keras.layers.Dense(4)])
        model.compile(tf.keras.optimizers.SGD(learning_rate=0.05), "mse")
        model.fit(x, y, batch_size=32, epochs=5, callbacks=[tf.keras.callbacks.TerminateOnNaN()])

        for w in model.weights:
            tf.debugging.check_numerics(w, f"weight {w.name}")
        model.save_weights("box_regressor.h5")
        """,
    ),
    # ============================================================ segmentation masks
    Case(
        name="keras-more2-seg-rgb-masks-sparse-loss-tf215",
        cause="data.label_shape",
        also=("data.image_channels",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=seg_rgb_masks,
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        def load(img_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(mask_path))       # colour-coded mask, 3 channels
            return img, mask

        imgs = tf.data.Dataset.list_files("{DATA}/seg/images/*.png", shuffle=False)
        masks = tf.data.Dataset.list_files("{DATA}/seg/masks/*.png", shuffle=False)
        ds = tf.data.Dataset.zip((imgs, masks)).map(load).batch(4)

        inputs = tf.keras.Input((32, 32, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        outputs = layers.Conv2D(3, 1, activation="softmax")(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
