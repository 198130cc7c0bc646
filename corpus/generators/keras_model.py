"""Real Keras failures caused by the model: model.input_shape, model.output_mismatch,
model.weights_mismatch, model.api_misuse.

Run: /work/venvs/tf/bin/python corpus/generators/keras_model.py [CASE ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tfrecord import Case, main  # noqa: E402

CASES = [
    # ------------------------------------------------------------ input shape
    Case(
        name="keras-input-dense-784-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="mnist_mlp.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        (x_train, y_train) = (np.random.rand(600, 28, 28).astype("float32"), np.random.randint(0, 10, 600))
        model = keras.Sequential([
            layers.Dense(512, activation="relu", name="dense"),
            layers.Dropout(0.2),
            layers.Dense(10, activation="softmax", name="predictions"),
        ])
        model.build((None, 784))
        model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=128, epochs=2)
        """,
    ),
    Case(
        name="keras-input-dense-784-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        script="mnist_mlp.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x_train = np.random.rand(600, 28, 28).astype("float32")
        y_train = np.random.randint(0, 10, 600)
        model = tf.keras.models.Sequential([
            tf.keras.layers.Dense(512, activation="relu", input_shape=(784,)),
            tf.keras.layers.Dropout(0.2),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=128, epochs=2)
        """,
    ),
    Case(
        name="keras-input-dense-functional-tf212",
        cause="model.input_shape",
        exception="ValueError",
        env="tf212",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        inp = tf.keras.Input(shape=(100,), name="features")
        h = tf.keras.layers.Dense(64, activation="relu", name="hidden")(inp)
        out = tf.keras.layers.Dense(1, name="score")(h)
        model = tf.keras.Model(inp, out)
        model.compile("adam", "mse")
        X = np.random.rand(256, 98)    # two columns were dropped in preprocessing
        y = np.random.rand(256)
        model.fit(X, y, batch_size=32, epochs=3)
        """,
    ),
    Case(
        name="keras-input-dense-functional-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        inp = keras.Input(shape=(100,), name="features")
        h = keras.layers.Dense(64, activation="relu", name="hidden")(inp)
        out = keras.layers.Dense(1, name="score")(h)
        model = keras.Model(inp, out)
        model.compile("adam", "mse")
        X = np.random.rand(256, 98)
        y = np.random.rand(256)
        model.fit(X, y, batch_size=32, epochs=3)
        """,
    ),
    Case(
        name="keras-input-conv-min-ndim-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="cnn.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x_train = np.random.rand(500, 28, 28).astype("float32")   # no channel axis
        y_train = np.random.randint(0, 10, 500)
        model = keras.Sequential([
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=64, epochs=3)
        """,
    ),
    Case(
        name="keras-input-conv-min-ndim-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        script="cnn.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        x_train = np.random.rand(500, 28, 28).astype("float32")
        y_train = np.random.randint(0, 10, 500)
        model = tf.keras.Sequential([
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=64, epochs=3)
        """,
    ),
    Case(
        name="keras-input-lstm-ndim-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        script="forecast.py",
        code="""
        import numpy as np
        import tensorflow as tf

        series = np.random.rand(1000, 20).astype("float32")   # (samples, timesteps) without features axis
        target = np.random.rand(1000, 1).astype("float32")
        model = tf.keras.Sequential([
            tf.keras.layers.LSTM(32),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(series, target, batch_size=64, epochs=5)
        """,
    ),
    Case(
        name="keras-input-lstm-ndim-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="forecast.py",
        code="""
        import numpy as np
        import keras

        series = np.random.rand(1000, 20).astype("float32")
        target = np.random.rand(1000, 1).astype("float32")
        model = keras.Sequential([
            keras.layers.LSTM(32),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(series, target, batch_size=64, epochs=5)
        """,
    ),
    Case(
        name="keras-input-subclass-layer-call-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="model.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class SmallNet(keras.Model):
            def __init__(self, num_classes=10):
                super().__init__()
                self.conv1 = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.head = layers.Dense(num_classes)

            def call(self, x):
                x = self.conv1(x)
                x = self.pool(x)
                return self.head(x)

        model = SmallNet()
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        x = np.random.rand(64, 32, 32).astype("float32")
        y = np.random.randint(0, 10, 64)
        model.fit(x, y, batch_size=16, epochs=1)
        """,
    ),
    Case(
        name="keras-input-subclass-dense-call-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="encoder.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class Encoder(keras.Model):
            def __init__(self):
                super().__init__()
                self.proj = layers.Dense(64, activation="relu", name="proj")
                self.out = layers.Dense(8, name="latent")

            def call(self, inputs):
                h = self.proj(inputs)
                return self.out(h)

        enc = Encoder()
        enc(np.zeros((1, 40), "float32"))        # built for 40 features
        enc.compile("adam", "mse")
        enc.fit(np.random.rand(128, 48).astype("float32"), np.random.rand(128, 8), batch_size=32, epochs=1)
        """,
    ),
    Case(
        name="keras-input-predict-no-batch-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        script="predict.py",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(5, activation="softmax"),
        ])
        img = np.random.rand(64, 64, 3).astype("float32")   # one image, no batch axis
        probs = model.predict(img)
        print(probs.argmax())
        """,
    ),
    Case(
        name="keras-input-predict-no-batch-axis-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        script="predict.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        img = np.random.rand(64, 64, 3).astype("float32")
        probs = model.predict(img)
        print(probs.argmax())
        """,
    ),
    Case(
        name="keras-input-custom-layer-call-k3",
        cause="model.input_shape",
        exception="InvalidArgumentError",
        env="k3",
        script="vit_small.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        class PatchEmbedding(layers.Layer):
            def __init__(self, patch_size, dim, **kwargs):
                super().__init__(**kwargs)
                self.patch_size = patch_size
                self.proj = layers.Dense(dim)

            def call(self, images):
                patches = tf.image.extract_patches(
                    images, sizes=[1, self.patch_size, self.patch_size, 1],
                    strides=[1, self.patch_size, self.patch_size, 1], rates=[1, 1, 1, 1], padding="VALID")
                n = patches.shape[1] * patches.shape[2]
                patches = tf.reshape(patches, [-1, n, patches.shape[-1]])
                return self.proj(patches)

        embed = PatchEmbedding(patch_size=8, dim=32, name="patch_embed")
        images = np.random.rand(4, 64, 64).astype("float32")     # grayscale without channel axis
        tokens = embed(images)
        print(tokens.shape)
        """,
    ),
    Case(
        name="keras-input-custom-layer-call-tf215",
        cause="model.input_shape",
        exception="InvalidArgumentError",
        env="tf215",
        script="vit_small.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        class PatchEmbedding(layers.Layer):
            def __init__(self, patch_size, dim, **kwargs):
                super().__init__(**kwargs)
                self.patch_size = patch_size
                self.proj = layers.Dense(dim)

            def call(self, images):
                patches = tf.image.extract_patches(
                    images, sizes=[1, self.patch_size, self.patch_size, 1],
                    strides=[1, self.patch_size, self.patch_size, 1], rates=[1, 1, 1, 1], padding="VALID")
                n = patches.shape[1] * patches.shape[2]
                patches = tf.reshape(patches, [-1, n, patches.shape[-1]])
                return self.proj(patches)

        embed = PatchEmbedding(patch_size=8, dim=32)
        images = np.random.rand(4, 64, 64).astype("float32")
        tokens = embed(images)
        print(tokens.shape)
        """,
    ),
    Case(
        name="keras-input-subclass-layer-call-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        script="model.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        class SmallNet(tf.keras.Model):
            def __init__(self, num_classes=10):
                super().__init__()
                self.conv1 = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.head = layers.Dense(num_classes)

            def call(self, x):
                x = self.conv1(x)
                x = self.pool(x)
                return self.head(x)

        model = SmallNet()
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        x = np.random.rand(64, 32, 32).astype("float32")
        y = np.random.randint(0, 10, 64)
        model.fit(x, y, batch_size=16, epochs=1)
        """,
    ),
    Case(
        name="keras-input-direct-conv-call-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        framework="keras",
        script="features.py",
        code="""
        import numpy as np
        import keras

        backbone = keras.applications.ResNet50(include_top=False, weights=None, input_shape=(224, 224, 3))
        image = np.random.rand(224, 224, 3).astype("float32")
        features = backbone(image)
        """,
    ),
    Case(
        name="keras-input-subclass-dense-call-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        script="encoder.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        class Encoder(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.proj = layers.Dense(64, activation="relu", name="proj")
                self.out = layers.Dense(8, name="latent")

            def call(self, inputs):
                h = self.proj(inputs)
                return self.out(h)

        enc = Encoder()
        enc(np.zeros((1, 40), "float32"))
        enc.compile("adam", "mse")
        enc.fit(np.random.rand(128, 48).astype("float32"), np.random.rand(128, 8), batch_size=32, epochs=1)
        """,
    ),
    # ------------------------------------------------------------ output mismatch
    Case(
        name="keras-output-units-fewer-than-classes-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        NUM_CLASSES = 10
        x = np.random.rand(320, 32, 32, 3).astype("float32")
        y = np.random.randint(0, NUM_CLASSES, 320)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(5, activation="softmax", name="classifier"),   # copied from another project
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=3)
        """,
    ),
    Case(
        name="keras-output-mse-incompatible-shapes-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        script="regress.py",
        code="""
        import numpy as np
        import keras

        X = np.random.rand(256, 16).astype("float32")
        Y = np.random.rand(256, 10).astype("float32")   # 10 targets
        model = keras.Sequential([
            keras.Input((16,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(5),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, Y, batch_size=32, epochs=2)
        """,
    ),
    Case(
        name="keras-output-mse-incompatible-shapes-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        script="regress.py",
        code="""
        import numpy as np
        import tensorflow as tf

        X = np.random.rand(256, 16).astype("float32")
        Y = np.random.rand(256, 10).astype("float32")
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(16,)),
            tf.keras.layers.Dense(4),
        ])
        model.compile(optimizer="adam", loss="mean_squared_error")
        model.fit(X, Y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="keras-output-categorical-units-tf212",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf212",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        X = np.random.rand(200, 50).astype("float32")
        y = tf.keras.utils.to_categorical(np.random.randint(0, 10, 200), num_classes=10)
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(50,)),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=20)
        """,
    ),
    Case(
        name="keras-output-categorical-units-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        X = np.random.rand(200, 50).astype("float32")
        y = keras.utils.to_categorical(np.random.randint(0, 7, 200), num_classes=7)
        model = keras.Sequential([
            keras.Input((50,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(6, activation="softmax"),
        ])
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=20)
        """,
    ),
    Case(
        name="keras-output-missing-flatten-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        script="train_cnn.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        x = np.random.rand(128, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 10, 128)
        model = tf.keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Dense(10, activation="softmax"),     # no Flatten before the head
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=3)
        """,
    ),
    Case(
        name="keras-output-missing-flatten-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        script="train_cnn.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x = np.random.rand(128, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 10, 128)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=3)
        """,
    ),
    Case(
        name="keras-output-tuple-from-call-k3",
        cause="model.output_mismatch",
        exception="KeyError",
        env="k3",
        script="model.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class Classifier(keras.Model):
            def __init__(self):
                super().__init__()
                self.backbone = layers.Dense(32, activation="relu")
                self.head = layers.Dense(3)

            def call(self, x):
                feats = self.backbone(x)
                return self.head(feats), feats          # logits plus features for a later step

        model = Classifier()
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(np.random.rand(96, 12).astype("float32"), np.random.randint(0, 3, 96), batch_size=32, epochs=1)
        """,
    ),
    Case(
        name="keras-output-dict-from-call-k3",
        cause="model.output_mismatch",
        exception="KeyError",
        env="k3",
        script="multitask.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        class MultiHead(keras.Model):
            def __init__(self):
                super().__init__()
                self.body = layers.Dense(16, activation="relu")
                self.cls = layers.Dense(4, name="cls")
                self.box = layers.Dense(4, name="box")

            def call(self, x):
                h = self.body(x)
                return {"cls": self.cls(h), "box": self.box(h)}

        model = MultiHead()
        model.compile("adam", loss={"class": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                                    "bbox": "mse"})
        x = np.random.rand(64, 10).astype("float32")
        model.fit(x, {"class": np.random.randint(0, 4, 64), "bbox": np.random.rand(64, 4)}, batch_size=16, epochs=1)
        """,
    ),
    # ------------------------------------------------------------ weights mismatch
    Case(
        name="keras-weights-layer-count-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="k3",
        script="resume.py",
        code="""
        import numpy as np
        import keras

        def build(hidden_layers):
            model = keras.Sequential([keras.Input((20,))])
            for units in hidden_layers:
                model.add(keras.layers.Dense(units, activation="relu"))
            model.add(keras.layers.Dense(3, activation="softmax"))
            return model

        old = build([64])
        old.save_weights("checkpoint.weights.h5")

        model = build([64, 32])       # architecture changed since the checkpoint
        model.load_weights("checkpoint.weights.h5")
        """,
    ),
    Case(
        name="keras-weights-shape-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="k3",
        script="finetune.py",
        code="""
        import keras

        def build(num_classes):
            return keras.Sequential([
                keras.Input((224, 224, 3)),
                keras.layers.Conv2D(8, 3, strides=4, activation="relu", name="stem"),
                keras.layers.GlobalAveragePooling2D(),
                keras.layers.Dense(num_classes, activation="softmax", name="head"),
            ])

        build(1000).save_weights("pretrained.weights.h5")
        model = build(5)
        model.load_weights("pretrained.weights.h5")
        """,
    ),
    Case(
        name="keras-weights-shape-h5-tf215",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf215",
        script="finetune.py",
        code="""
        import tensorflow as tf

        def build(num_classes):
            return tf.keras.Sequential([
                tf.keras.layers.Conv2D(8, 3, strides=4, activation="relu", input_shape=(224, 224, 3)),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(num_classes, activation="softmax"),
            ])

        build(1000).save_weights("pretrained.h5")
        model = build(5)
        model.load_weights("pretrained.h5")
        """,
    ),
    Case(
        name="keras-weights-layer-count-h5-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        script="resume.py",
        code="""
        import tensorflow as tf

        def build(hidden_layers):
            model = tf.keras.Sequential([tf.keras.layers.InputLayer(input_shape=(20,))])
            for units in hidden_layers:
                model.add(tf.keras.layers.Dense(units, activation="relu"))
            model.add(tf.keras.layers.Dense(3, activation="softmax"))
            return model

        build([64, 64, 32]).save_weights("best_model.h5")
        model = build([64])
        model.load_weights("best_model.h5")
        """,
    ),
    Case(
        name="keras-weights-not-h5-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="k3",
        script="predict.py",
        code="""
        import keras

        with open("model_final.pth", "wb") as fh:     # a PyTorch checkpoint from a colleague
            fh.write(b"PK\\x03\\x04" + b"\\x00" * 64)

        model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(2)])
        model.load_weights("model_final.pth")
        """,
    ),
    Case(
        name="keras-weights-not-checkpoint-tf215",
        cause="model.weights_mismatch",
        exception="OSError",
        env="tf215",
        script="predict.py",
        code="""
        import tensorflow as tf

        with open("yolov3.weights", "wb") as fh:     # darknet weights, not a TF checkpoint
            fh.write(bytes(range(256)) * 16)

        model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(10,))])
        model.load_weights("yolov3.weights")
        """,
    ),
    Case(
        name="keras-weights-load-model-truncated-k3",
        cause="model.weights_mismatch",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        env="k3",
        script="serve.py",
        code="""
        import keras

        model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(2)])
        model.save("classifier.keras")
        data = open("classifier.keras", "rb").read()
        open("classifier.keras", "wb").write(data[: len(data) // 2])   # upload interrupted

        model = keras.models.load_model("classifier.keras")
        """,
    ),
    # ------------------------------------------------------------ API misuse
    Case(
        name="keras-api-fit-before-compile-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
        model.fit(np.random.rand(100, 8), np.random.rand(100), epochs=3)
        """,
    ),
    Case(
        name="keras-api-fit-before-compile-tf215",
        cause="model.api_misuse",
        exception="RuntimeError",
        env="tf215",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu", input_shape=(8,)),
                                     tf.keras.layers.Dense(1)])
        model.fit(np.random.rand(100, 8), np.random.rand(100), epochs=3)
        """,
    ),
    Case(
        name="keras-api-summary-not-built-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        script="model.py",
        code="""
        import keras
        from keras import layers

        model = keras.Sequential()
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.Flatten())
        model.add(layers.Dense(10))
        print(model.count_params())
        """,
    ),
    Case(
        name="keras-api-summary-not-built-tf212",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf212",
        script="model.py",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        model = tf.keras.Sequential()
        model.add(layers.Conv2D(32, 3, activation="relu"))
        model.add(layers.Flatten())
        model.add(layers.Dense(10))
        model.summary()
        """,
    ),
    Case(
        name="keras-api-generator-function-not-called-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        def batches():
            while True:
                yield np.random.rand(16, 4), np.random.rand(16, 1)

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        model.fit(batches, steps_per_epoch=10, epochs=2)
        """,
    ),
    Case(
        name="keras-api-validation-data-not-tuple-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        x_train, y_train = np.random.rand(200, 6), np.random.randint(0, 2, 200)
        x_val, y_val = np.random.rand(50, 6), np.random.randint(0, 2, 50)
        model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=2, validation_data=[x_val])
        """,
    ),
    Case(
        name="keras-api-string-as-model-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        script="evaluate.py",
        code="""
        import numpy as np
        import keras

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.save("best.keras")

        best = "best.keras"                         # meant: keras.models.load_model("best.keras")
        preds = best.predict(np.random.rand(10, 4))
        """,
    ),
]

if __name__ == "__main__":
    main(CASES, __file__)
