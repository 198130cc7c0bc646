"""Real TensorFlow / Keras optimisation failures: optim.divergence (NaN / Inf
losses caught by check_numerics or TerminateOnNaN) and optim.autograd_graph
(GradientTape misuse, no gradients).

Run: /work/venvs/tf/bin/python corpus/generators/tf_optim.py [CASE ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tfrecord import Case, main  # noqa: E402

CASES = [
    # ------------------------------------------------------------ divergence
    Case(
        name="tf-nan-enable-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        tf.debugging.enable_check_numerics()

        x = np.random.rand(512, 10).astype("float32") * 1000.0     # unscaled features
        y = (x.sum(axis=1, keepdims=True) ** 2).astype("float32")
        model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=10.0), loss="mse")
        model.fit(x, y, batch_size=32, epochs=5)
        """,
    ),
    Case(
        name="tf-nan-enable-check-numerics-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        framework="tensorflow",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.debugging.enable_check_numerics()

        x = np.random.rand(512, 10).astype("float32") * 1000.0
        y = (x.sum(axis=1, keepdims=True) ** 2).astype("float32")
        model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu", input_shape=(10,)),
                                     tf.keras.layers.Dense(1)])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=10.0), loss="mse")
        model.fit(x, y, batch_size=32, epochs=5)
        """,
    ),
    Case(
        name="tf-nan-check-numerics-loss-eager-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = tf.constant(np.random.rand(256, 8) * 50, tf.float32)
        y = tf.reduce_sum(x, axis=1, keepdims=True) * 3.0
        model = tf.keras.Sequential([tf.keras.Input((8,)), tf.keras.layers.Dense(32), tf.keras.layers.Dense(1)])
        opt = tf.keras.optimizers.SGD(learning_rate=1.0)

        for step in range(200):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x) - y))
            tf.debugging.check_numerics(loss, message="loss")
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            if step % 5 == 0:
                print(f"step {step}: loss={loss.numpy():.4g}")
        """,
    ),
    Case(
        name="tf-nan-check-numerics-tf-function-tf212",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf212",
        framework="tensorflow",
        script="train_step.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu"), tf.keras.layers.Dense(1)])
        opt = tf.keras.optimizers.Adam(learning_rate=50.0)

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                pred = model(x, training=True)
                loss = tf.reduce_mean(tf.math.log(pred) - tf.math.log(y))
            tf.debugging.check_numerics(loss, "loss is not finite")
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        x = np.random.rand(64, 4).astype("float32")
        y = np.random.rand(64, 1).astype("float32") + 0.1
        for step in range(50):
            print(step, float(train_step(x, y)))
        """,
    ),
    Case(
        name="keras-nan-terminate-on-nan-k3",
        expect="Invalid loss, terminating training",
        cause="optim.divergence",
        exception="",
        env="k3",
        pty=True,
        script="train.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(2000, 20).astype("float32") * 100.0
        y = np.random.rand(2000, 1).astype("float32") * 1e4
        model = keras.Sequential([
            keras.Input((20,)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="mse")
        model.fit(x, y, batch_size=16, epochs=10, callbacks=[keras.callbacks.TerminateOnNaN()])
        print("training finished")
        """,
    ),
    Case(
        name="keras-nan-terminate-on-nan-tf215",
        expect="Invalid loss, terminating training",
        cause="optim.divergence",
        exception="",
        env="tf215",
        pty=True,
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(2000, 20).astype("float32") * 100.0
        y = np.random.rand(2000, 1).astype("float32") * 1e4
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(128, activation="relu", input_shape=(20,)),
            tf.keras.layers.Dense(128, activation="relu"),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.5), loss="mse")
        model.fit(x, y, batch_size=16, epochs=10, callbacks=[tf.keras.callbacks.TerminateOnNaN()])
        """,
    ),
    Case(
        name="keras-nan-terminate-on-nan-pipe-tfk2",
        expect="Invalid loss, terminating training",
        cause="optim.divergence",
        exception="",
        env="tfk2",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = np.random.rand(800, 5).astype("float32") * 100.0
        y = np.random.rand(800, 1).astype("float32") * 1e5
        model = tf.keras.Sequential([
            tf.keras.layers.Dense(64, activation="relu", input_shape=(5,)),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
        model.fit(x, y, batch_size=32, epochs=10, verbose=2, callbacks=[tf.keras.callbacks.TerminateOnNaN()])
        """,
    ),
    Case(
        name="keras-nan-loss-progress-no-error-k3",
        expect="loss: nan",
        cause="optim.divergence",
        exception="",
        env="k3",
        pty=True,
        script="train.py",
        code="""
        import numpy as np
        import keras

        x = np.random.rand(600, 10).astype("float32") * 1e3
        y = np.random.rand(600, 1).astype("float32") * 1e6
        model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse", metrics=["mae"])
        history = model.fit(x, y, batch_size=32, epochs=3)
        """,
    ),
    # ------------------------------------------------------------ autograd / tape
    Case(
        name="tf-no-gradients-loss-outside-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="k3",
        framework="tensorflow",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
        optimizer = keras.optimizers.Adam()
        x = np.random.rand(32, 4).astype("float32")
        y = np.random.rand(32, 1).astype("float32")

        for epoch in range(3):
            pred = model(x, training=True)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(y - pred))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """,
    ),
    Case(
        name="tf-no-gradients-loss-outside-tape-tf215",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        script="custom_loop.py",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="relu", input_shape=(4,)),
                                     tf.keras.layers.Dense(1)])
        optimizer = tf.keras.optimizers.Adam()
        x = np.random.rand(32, 4).astype("float32")
        y = np.random.rand(32, 1).astype("float32")

        for epoch in range(3):
            pred = model(x, training=True)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(y - pred))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """,
    ),
    Case(
        name="keras-no-gradients-custom-train-step-tfk2",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tfk2",
        script="custom_model.py",
        code="""
        import numpy as np
        import tensorflow as tf

        class CustomModel(tf.keras.Model):
            def train_step(self, data):
                x, y = data
                y_pred = self(x, training=True)
                with tf.GradientTape() as tape:
                    loss = self.compiled_loss(y, y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}

        inputs = tf.keras.Input(shape=(32,))
        outputs = tf.keras.layers.Dense(1, name="output_dense")(inputs)
        model = CustomModel(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        model.fit(np.random.random((1000, 32)), np.random.random((1000, 1)), epochs=3)
        """,
    ),
    Case(
        name="keras-no-gradients-argmax-loss-tf215",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tf215",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        def accuracy_loss(y_true, y_pred):
            # "optimise accuracy directly"
            hits = tf.cast(tf.equal(tf.argmax(y_pred, axis=-1), tf.cast(tf.squeeze(y_true, -1), tf.int64)), tf.float32)
            return 1.0 - tf.reduce_mean(hits)

        model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu", input_shape=(8,)),
                                     tf.keras.layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss=accuracy_loss)
        model.fit(np.random.rand(200, 8), np.random.randint(0, 4, (200, 1)), epochs=2, batch_size=20)
        """,
    ),
    Case(
        name="keras-no-gradients-argmax-loss-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras
        from keras import ops

        def accuracy_loss(y_true, y_pred):
            hits = ops.cast(ops.equal(ops.argmax(y_pred, axis=-1), ops.cast(ops.squeeze(y_true, -1), "int64")), "float32")
            return 1.0 - ops.mean(hits)

        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss=accuracy_loss)
        model.fit(np.random.rand(200, 8), np.random.randint(0, 4, (200, 1)), epochs=2, batch_size=20)
        """,
    ),
    Case(
        name="tf-tape-non-persistent-twice-gan-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        env="k3",
        framework="tensorflow",
        script="gan.py",
        code="""
        import tensorflow as tf
        import keras

        generator = keras.Sequential([keras.Input((16,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(2)])
        discriminator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])
        g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
        bce = keras.losses.BinaryCrossentropy(from_logits=True)

        real = tf.random.normal([64, 2])
        for step in range(5):
            noise = tf.random.normal([64, 16])
            with tf.GradientTape() as tape:
                fake = generator(noise, training=True)
                real_logits = discriminator(real, training=True)
                fake_logits = discriminator(fake, training=True)
                d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
                g_loss = bce(tf.ones_like(fake_logits), fake_logits)
            d_grads = tape.gradient(d_loss, discriminator.trainable_variables)
            g_grads = tape.gradient(g_loss, generator.trainable_variables)
            d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables))
            g_opt.apply_gradients(zip(g_grads, generator.trainable_variables))
        """,
    ),
    Case(
        name="tf-tape-non-persistent-twice-tf212",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        env="tf212",
        framework="tensorflow",
        script="two_losses.py",
        code="""
        import tensorflow as tf

        encoder = tf.keras.layers.Dense(8)
        decoder = tf.keras.layers.Dense(4)
        x = tf.random.normal([16, 4])
        with tf.GradientTape() as tape:
            z = encoder(x)
            recon = decoder(z)
            recon_loss = tf.reduce_mean(tf.square(recon - x))
            reg_loss = tf.reduce_mean(tf.square(z))
        g_dec = tape.gradient(recon_loss, decoder.trainable_variables)
        g_enc = tape.gradient(reg_loss, encoder.trainable_variables)
        """,
    ),
    Case(
        name="tf-no-gradients-numpy-in-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="k3",
        framework="tensorflow",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf

        w = tf.Variable(tf.random.normal([5, 1]), name="weights")
        b = tf.Variable(0.0, name="bias")
        opt = tf.keras.optimizers.SGD(0.01)
        x = np.random.rand(50, 5).astype("float32")
        y = np.random.rand(50, 1).astype("float32")

        with tf.GradientTape() as tape:
            pred = (tf.matmul(x, w) + b).numpy()             # leaves the graph
            loss = tf.constant(np.mean((pred - y) ** 2))
        grads = tape.gradient(loss, [w, b])
        opt.apply_gradients(zip(grads, [w, b]))
        """,
    ),
]

if __name__ == "__main__":
    main(CASES, __file__)
