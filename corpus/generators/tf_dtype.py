"""Real TensorFlow / Keras failures caused by tensor dtypes (data.dtype).

Run: /work/venvs/tf/bin/python corpus/generators/tf_dtype.py [CASE ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tfrecord import Case, main  # noqa: E402

CSV_ROWS = '''
        rows = [
            ["5.1", "3.5", "1.4", "0.2"],
            ["4.9", "3.0", "?", "0.2"],
            ["6.2", "2.9", "4.3", "1.3"],
            ["5.9", "3.0", "5.1", "1.8"],
        ] * 25
'''

CASES = [
    Case(
        name="tf-dtype-object-array-tf215",
        cause="data.dtype",
        exception="ValueError",
        env="tf215",
        framework="keras",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf
        """ + CSV_ROWS + """
        X = np.array([[float(v) if v != "?" else v for v in r] for r in rows], dtype=object)
        y = np.random.randint(0, 3, len(X))
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(10, activation="relu", input_shape=(4,)),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=10, batch_size=8)
        """,
    ),
    Case(
        name="tf-dtype-object-array-tfk2",
        cause="data.dtype",
        exception="ValueError",
        env="tfk2",
        framework="keras",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        # a column read with mixed types: ints and floats in an object array
        X = np.empty((120, 3), dtype=object)
        X[:, 0] = np.arange(120)
        X[:, 1] = np.random.rand(120)
        X[:, 2] = [1.5] * 120
        y = np.random.rand(120)
        model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu", input_shape=(3,)),
                                     tf.keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit(X, y, epochs=2, batch_size=12)
        """,
    ),
    Case(
        name="tf-dtype-object-array-k3",
        cause="data.dtype",
        exception="ValueError",
        env="k3",
        framework="keras",
        script="train.py",
        code="""
        import numpy as np
        import keras
        """ + CSV_ROWS + """
        X = np.array([[float(v) if v != "?" else v for v in r] for r in rows], dtype=object)
        y = np.random.randint(0, 3, len(X))
        model = keras.Sequential([
            keras.Input((4,)),
            keras.layers.Dense(10, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=10, batch_size=8)
        """,
    ),
    Case(
        name="tf-dtype-ragged-token-lists-tf212",
        cause="data.dtype",
        exception="ValueError",
        env="tf212",
        framework="keras",
        script="train_text.py",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        # token id sequences of different lengths, never padded
        sequences = [list(rng.integers(1, 1000, rng.integers(5, 40))) for _ in range(200)]
        X = np.array(sequences, dtype=object)
        y = rng.integers(0, 2, 200)
        model = tf.keras.Sequential([
            tf.keras.layers.Embedding(1000, 16),
            tf.keras.layers.GlobalAveragePooling1D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=5, batch_size=32)
        """,
    ),
    Case(
        name="tf-dtype-string-labels-tf215",
        cause="data.dtype",
        exception="UnimplementedError",
        env="tf215",
        framework="keras",
        script="train_pets.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.array(["cat", "dog"] * 32)          # class names, never encoded
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="tf-dtype-string-labels-k3",
        cause="data.dtype",
        exception="ValueError",
        env="k3",
        framework="keras",
        script="train_pets.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.array(["cat", "dog"] * 32)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=16, epochs=2)
        """,
    ),
    Case(
        name="tf-dtype-string-labels-dataset-tfk2",
        cause="data.dtype",
        exception="UnimplementedError",
        env="tfk2",
        framework="keras",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        feats = np.random.rand(90, 5).astype("float32")
        labels = np.array(["low", "mid", "high"] * 30)
        ds = tf.data.Dataset.from_tensor_slices((feats, labels)).batch(10)
        model = tf.keras.Sequential([tf.keras.layers.Dense(3, activation="softmax", input_shape=(5,))])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="tf-dtype-custom-loss-int-labels-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        framework="keras",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        def weighted_mse(y_true, y_pred):
            return tf.reduce_mean(tf.square(y_true - y_pred) * 2.0)

        x = np.random.rand(100, 4).astype("float32")
        y = np.random.randint(0, 5, (100, 1))       # int64 targets
        model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(4,))])
        model.compile(optimizer="adam", loss=weighted_mse)
        model.fit(x, y, batch_size=10, epochs=2)
        """,
    ),
    Case(
        name="tf-dtype-mul-int32-eager-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(1)])
        opt = tf.keras.optimizers.Adam(1e-3)
        x = tf.random.normal([32, 6])
        y = tf.random.normal([32, 1])
        sample_weight = tf.constant(np.ones((32, 1)), dtype=tf.int32)

        for step in range(10):
            with tf.GradientTape() as tape:
                pred = model(x, training=True)
                per_example = tf.square(y - pred)
                loss = tf.reduce_mean(per_example * sample_weight)
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
        """,
    ),
    Case(
        name="tf-dtype-matmul-float64-eager-tf215",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="tf215",
        framework="tensorflow",
        script="linear_regression.py",
        code="""
        import numpy as np
        import tensorflow as tf

        X = np.random.rand(200, 3)                  # float64 from numpy
        Y = X @ np.array([[1.0], [2.0], [-1.0]]) + 0.5
        W = tf.Variable(tf.random.normal([3, 1]))
        b = tf.Variable(tf.zeros([1]))
        opt = tf.optimizers.SGD(0.1)

        for epoch in range(100):
            with tf.GradientTape() as tape:
                pred = tf.matmul(X, W) + b
                loss = tf.reduce_mean(tf.square(pred - Y))
            grads = tape.gradient(loss, [W, b])
            opt.apply_gradients(zip(grads, [W, b]))
        """,
    ),
    Case(
        name="tf-dtype-matmul-float64-eager-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        script="linear_regression.py",
        code="""
        import numpy as np
        import tensorflow as tf

        X = tf.constant(np.random.rand(200, 3))     # float64 tensor
        W = tf.Variable(tf.random.normal([3, 1]))
        pred = tf.matmul(X, W)
        """,
    ),
    Case(
        name="tf-dtype-uint8-image-conv-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        script="augment.py",
        code="""
        import numpy as np
        import tensorflow as tf

        images = tf.constant(np.random.randint(0, 255, (8, 32, 32, 3), dtype=np.uint8))
        kernel = tf.random.normal([3, 3, 3, 16])
        features = tf.nn.conv2d(images, kernel, strides=1, padding="SAME")
        """,
    ),
]

if __name__ == "__main__":
    main(CASES, __file__)
