"""Real Keras / TensorFlow failures caused by the labels:
data.label_out_of_range and data.label_shape.

Run: /work/venvs/tf/bin/python corpus/generators/keras_labels.py [CASE ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tfrecord import Case, main  # noqa: E402

CASES = [
    # ------------------------------------------------------------ label out of range
    Case(
        name="keras-label-oor-sparse-from-one",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        script="train_mnist.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # digits stored 1..10 instead of 0..9
        x_train = np.random.rand(512, 28, 28).astype("float32")
        y_train = np.random.randint(1, 11, size=(512,))

        model = keras.Sequential([
            keras.Input(shape=(28, 28)),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=32, epochs=5)
        """,
    ),
    Case(
        name="keras-label-oor-sparse-tfkeras2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        script="classify.py",
        code="""
        import numpy as np
        import tensorflow as tf

        NUM_CLASSES = 5
        features = np.random.normal(size=(300, 20)).astype("float32")
        labels = np.random.randint(0, NUM_CLASSES + 1, size=(300,))   # one label too many

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(20,)),
            tf.keras.layers.Dense(NUM_CLASSES),
        ])
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3),
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(features, labels, batch_size=16, epochs=3)
        """,
    ),
    Case(
        name="keras-label-oor-sparse-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras

        x = np.random.rand(200, 64, 64, 3).astype("float32")
        y = np.array([0, 1, 2, 3] * 50)      # 4 distinct labels ...
        model = keras.Sequential([
            keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(3, activation="softmax", name="predictions"),  # ... but 3 classes
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=2)
        """,
        also=("model.output_mismatch",),
    ),
    Case(
        name="keras-label-oor-sparse-tf212",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf212",
        script="cifar100_train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        # fine labels 1..100 read from a csv where the ids start at 1
        x_train = np.random.rand(256, 32, 32, 3).astype("float32")
        y_train = np.random.randint(1, 101, size=(256, 1))

        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = tf.keras.layers.Conv2D(32, 3, activation="relu")(inputs)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        outputs = tf.keras.layers.Dense(100, activation="softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train, batch_size=64, epochs=1)
        """,
    ),
    Case(
        name="keras-label-oor-negative-ignore",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        script="train_tabular.py",
        code="""
        import numpy as np
        import keras

        rng = np.random.default_rng(0)
        X = rng.normal(size=(400, 12)).astype("float32")
        y = rng.integers(0, 4, size=400)
        y[rng.random(400) < 0.1] = -1   # "unknown" rows marked with -1

        model = keras.Sequential([
            keras.Input(shape=(12,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(4, activation="softmax"),
        ])
        model.compile("rmsprop", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, batch_size=50, epochs=10, validation_split=0.2)
        """,
    ),
    Case(
        name="tf-label-oor-custom-loop",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf

        num_classes = 10
        images = np.random.rand(128, 784).astype("float32")
        labels = np.random.randint(0, 13, size=(128,)).astype("int64")
        ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(32)

        w = tf.Variable(tf.random.normal([784, num_classes], stddev=0.01))
        b = tf.Variable(tf.zeros([num_classes]))
        opt = tf.keras.optimizers.SGD(0.1)

        for step, (xb, yb) in enumerate(ds):
            with tf.GradientTape() as tape:
                logits = tf.matmul(xb, w) + b
                loss = tf.reduce_mean(
                    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=yb, logits=logits))
            grads = tape.gradient(loss, [w, b])
            opt.apply_gradients(zip(grads, [w, b]))
            print("step", step, "loss", float(loss))
        """,
    ),
    Case(
        name="tf-label-oor-tf-function-loop",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        framework="tensorflow",
        script="train_step.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(7)])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = tf.keras.optimizers.Adam()

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = model(x, training=True)
                loss = loss_fn(y, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        x = np.random.rand(24, 6).astype("float32")
        y = np.arange(24) % 8        # 8 label values, 7 logits
        for epoch in range(3):
            print("epoch", epoch, "loss", train_step(x, y).numpy())
        """,
    ),
    Case(
        name="keras-label-oor-progress-bar",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        pty=True,
        script="train.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(2000, 16).astype("float32")
        y = np.random.randint(0, 6, size=2000)
        y[1500] = 6          # one bad row late in the file

        model = keras.Sequential([
            keras.Input(shape=(16,)),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(6, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=20, epochs=3, shuffle=False)
        """,
    ),
    Case(
        name="keras-label-oor-progress-bar-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        pty=True,
        script="fit.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(1200, 8).astype("float32")
        y = np.random.randint(0, 3, size=1200)
        y[-5] = 3

        model = tf.keras.Sequential([
            tf.keras.layers.Dense(16, activation="relu", input_shape=(8,)),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=10, epochs=2, shuffle=False)
        """,
    ),
    Case(
        name="keras-label-oor-progress-bar-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        pty=True,
        script="train_sentiment.py",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(1)
        tokens = rng.integers(1, 5000, size=(3000, 40))
        ratings = rng.integers(1, 5, size=3000)     # star ratings 1..4 used as class ids
        ratings[2400:] = rng.integers(1, 6, size=600)  # later reviews include 5 stars

        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(5000, 16),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(5, activation="softmax", name="rating"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(tokens, ratings, batch_size=50, epochs=2, shuffle=False)
        """,
    ),
    # ------------------------------------------------------------ label shape / encoding
    Case(
        name="keras-label-shape-categorical-int-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        script="train_cnn.py",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x_train = np.random.rand(320, 28, 28, 1).astype("float32")
        y_train = np.random.randint(0, 10, size=(320, 1))     # integer class ids

        model = keras.Sequential([
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=32, epochs=2)
        """,
    ),
    Case(
        name="keras-label-shape-categorical-int-rank-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        X = np.random.rand(150, 4).astype("float32")
        y = np.random.randint(0, 3, size=150)          # shape (150,)
        model = keras.Sequential([
            keras.Input(shape=(4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=20, batch_size=5)
        """,
    ),
    Case(
        name="keras-label-shape-categorical-int-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        script="train_cnn.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers, models

        x_train = np.random.rand(320, 28, 28, 1).astype("float32")
        y_train = np.random.randint(0, 10, size=(320, 1))

        model = models.Sequential([
            layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
            layers.MaxPooling2D((2, 2)),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=32, epochs=2)
        """,
    ),
    Case(
        name="keras-label-shape-categorical-int-tf212",
        cause="data.label_shape",
        exception="ValueError",
        env="tf212",
        script="model.py",
        code="""
        import numpy as np
        from tensorflow import keras

        X = np.random.rand(90, 13).astype("float32")
        y = np.random.randint(0, 3, size=(90, 1))
        model = keras.models.Sequential()
        model.add(keras.layers.Dense(16, input_dim=13, activation="relu"))
        model.add(keras.layers.Dense(3, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(X, y, epochs=50, batch_size=10)
        """,
    ),
    Case(
        name="keras-label-shape-sparse-onehot-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(256, 32).astype("float32")
        y = keras.utils.to_categorical(np.random.randint(0, 10, 256), 10)   # one-hot
        model = keras.Sequential([
            keras.Input((32,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=3)
        """,
    ),
    Case(
        name="keras-label-shape-sparse-onehot-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(256, 32).astype("float32")
        y = tf.keras.utils.to_categorical(np.random.randint(0, 10, 256), 10)
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(32,)),
            tf.keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=32, epochs=3)
        """,
    ),
    Case(
        name="keras-label-shape-sparse-onehot-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        script="image_classifier.py",
        code="""
        import numpy as np
        import tensorflow as tf

        NUM_CLASSES = 4
        imgs = np.random.rand(64, 48, 48, 3).astype("float32")
        labels = tf.one_hot(np.random.randint(0, NUM_CLASSES, 64), NUM_CLASSES).numpy()
        ds = tf.data.Dataset.from_tensor_slices((imgs, labels)).shuffle(64).batch(16)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalMaxPooling2D(),
            tf.keras.layers.Dense(NUM_CLASSES),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-label-shape-cardinality-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(1000, 20).astype("float32")
        y = np.random.randint(0, 2, size=999)      # one label lost while cleaning
        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=64, epochs=5)
        """,
    ),
    Case(
        name="keras-label-shape-cardinality-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        script="train_regressor.py",
        code="""
        import numpy as np
        import tensorflow as tf

        X_train = np.random.rand(480, 8)
        y_train = np.random.rand(512)
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(8,)),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X_train, y_train, epochs=10, batch_size=32)
        """,
    ),
    Case(
        name="keras-label-shape-cardinality-multi-input-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        script="two_inputs.py",
        code="""
        import numpy as np
        import tensorflow as tf

        a = tf.keras.Input((10,), name="text_features")
        b = tf.keras.Input((5,), name="meta_features")
        h = tf.keras.layers.Concatenate()([a, b])
        out = tf.keras.layers.Dense(1, activation="sigmoid")(h)
        model = tf.keras.Model([a, b], out)
        model.compile("adam", "binary_crossentropy")
        model.fit([np.random.rand(128, 10), np.random.rand(120, 5)], np.random.randint(0, 2, 128),
                  batch_size=16, epochs=1)
        """,
    ),
    Case(
        name="tf-label-shape-softmax-xent-raw",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        script="loop.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = tf.random.normal([64, 12])
        y = tf.constant(np.random.randint(0, 5, 64))           # class ids, not one-hot
        dense = tf.keras.layers.Dense(5)
        opt = tf.keras.optimizers.Adam()
        with tf.GradientTape() as tape:
            logits = dense(x)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.cast(y, tf.float32),
                                                                          logits=logits))
        grads = tape.gradient(loss, dense.trainable_variables)
        opt.apply_gradients(zip(grads, dense.trainable_variables))
        """,
    ),
    Case(
        name="keras-label-shape-binary-onehot-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        script="train_binary.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(200, 30).astype("float32")
        y = keras.utils.to_categorical(np.random.randint(0, 2, 200), 2)   # (200, 2)
        model = keras.Sequential([
            keras.Input((30,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=20, epochs=4)
        """,
    ),
    Case(
        name="keras-label-shape-binary-onehot-tf212",
        cause="data.label_shape",
        exception="ValueError",
        env="tf212",
        script="train_binary.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(200, 30).astype("float32")
        y = tf.keras.utils.to_categorical(np.random.randint(0, 2, 200), 2)
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(16, activation="relu", input_shape=(30,)),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(x, y, batch_size=20, epochs=4)
        """,
    ),
]

if __name__ == "__main__":
    main(CASES, __file__)
