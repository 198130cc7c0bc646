"""Real TensorFlow / Keras failures from version mismatches (env.version_incompat)
and host memory exhaustion on the CPU (resource.host_memory).

The memory cases ask for tensors far larger than the machine, so the allocation
fails at once; every child also runs under an address-space cap (as_limit).

Run: /work/venvs/tf/bin/python corpus/generators/tf_env.py [CASE ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _tfrecord import Case, main  # noqa: E402

GiB = 1024 ** 3

CASES = [
    # ------------------------------------------------------------ TF1 code under TF2
    Case(
        name="tf-version-session-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        framework="tensorflow",
        script="train_tf1.py",
        code="""
        import numpy as np
        import tensorflow as tf

        x = tf.placeholder(tf.float32, shape=[None, 784])
        y = tf.placeholder(tf.float32, shape=[None, 10])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        logits = tf.matmul(x, W) + b
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)

        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
        """,
    ),
    Case(
        name="tf-version-session-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        framework="tensorflow",
        script="main.py",
        code="""
        import tensorflow as tf

        a = tf.constant(2.0)
        b = tf.constant(3.0)
        sess = tf.Session()
        print(sess.run(a * b))
        """,
    ),
    Case(
        name="tf-version-placeholder-eager-k3",
        cause="env.version_incompat",
        exception="RuntimeError",
        env="k3",
        framework="tensorflow",
        script="model_tf1.py",
        code="""
        import tensorflow as tf

        inputs = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1], name="inputs")
        conv = tf.compat.v1.layers.conv2d(inputs, 32, 3)
        """,
    ),
    Case(
        name="tf-version-contrib-tf212",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf212",
        framework="tensorflow",
        script="seq2seq.py",
        code="""
        import tensorflow as tf

        cell = tf.contrib.rnn.BasicLSTMCell(128)
        """,
    ),
    Case(
        name="tf-version-train-optimizer-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        framework="tensorflow",
        script="train.py",
        code="""
        import tensorflow as tf

        w = tf.Variable(1.0)
        loss = lambda: (w - 3.0) ** 2
        opt = tf.train.AdamOptimizer(learning_rate=0.01)
        for _ in range(100):
            opt.minimize(loss, var_list=[w])
        """,
    ),
    # ------------------------------------------------------------ keras vs tf.keras, Keras 2 code on Keras 3
    Case(
        name="keras-version-mix-keras3-layer-tfkeras-model",
        cause="env.version_incompat",
        exception="TypeError",
        env="tfk2",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf
        from keras.layers import Dense, Dropout      # standalone Keras 3

        model = tf.keras.Sequential()                 # tf.keras is tf_keras (Keras 2) here
        model.add(Dense(64, activation="relu", input_shape=(20,)))
        model.add(Dropout(0.5))
        model.add(Dense(1, activation="sigmoid"))
        model.compile("adam", "binary_crossentropy")
        model.fit(np.random.rand(100, 20), np.random.randint(0, 2, 100), epochs=1)
        """,
    ),
    Case(
        name="keras-version-mix-tfkeras-optimizer-keras3-model",
        cause="env.version_incompat",
        exception="ValueError",
        env="tfk2",
        script="train.py",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss="binary_crossentropy")
        model.fit(np.random.rand(100, 20), np.random.randint(0, 2, 100), epochs=1)
        """,
    ),
    Case(
        name="keras-version-mix-keras3-tensor-tfkeras-layer",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        script="model.py",
        code="""
        import tensorflow as tf
        import keras

        inputs = keras.Input(shape=(224, 224, 3))
        base = tf.keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(224, 224, 3))
        x = base(inputs)
        x = keras.layers.GlobalAveragePooling2D()(x)
        outputs = keras.layers.Dense(5)(x)
        model = keras.Model(inputs, outputs)
        """,
    ),
    Case(
        name="keras-version-adam-lr-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Dense
        from keras.optimizers import Adam

        model = Sequential()
        model.add(Dense(12, input_dim=8, activation="relu"))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer=Adam(lr=0.001), metrics=["accuracy"])
        model.fit(np.random.rand(100, 8), np.random.randint(0, 2, 100), epochs=150, batch_size=10)
        """,
    ),
    Case(
        name="keras-version-fit-generator-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        script="train.py",
        code="""
        import numpy as np
        import keras

        def batches():
            while True:
                yield np.random.rand(8, 4), np.random.rand(8, 1)

        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        model.fit_generator(batches(), steps_per_epoch=20, epochs=3)
        """,
    ),
    Case(
        name="keras-version-np-utils-import-tf215",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        env="tf215",
        script="prepare.py",
        code="""
        import numpy as np
        from keras.utils.np_utils import to_categorical

        y = to_categorical(np.random.randint(0, 10, 100), 10)
        """,
    ),
    Case(
        name="keras-version-image-data-generator-k3",
        cause="env.version_incompat",
        exception="ImportError",
        env="k3",
        script="augment.py",
        code="""
        from keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=20, horizontal_flip=True)
        """,
    ),
    Case(
        name="keras-version-savedmodel-load-model-k3",
        cause="env.version_incompat",
        exception="ValueError",
        env="k3",
        script="serve.py",
        code="""
        import tensorflow as tf
        import keras

        class Scorer(tf.Module):
            def __init__(self):
                self.w = tf.Variable(tf.ones([4, 1]))

            @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
            def __call__(self, x):
                return tf.matmul(x, self.w)

        tf.saved_model.save(Scorer(), "exported_model")      # exported with TF 2.x / Keras 2

        model = keras.models.load_model("exported_model")
        """,
    ),
    Case(
        name="keras-version-layers-core-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        env="k3",
        script="model.py",
        code="""
        from keras.models import Sequential
        from keras.layers.core import Dense, Activation, Dropout

        model = Sequential([Dense(10, input_shape=(4,)), Activation("softmax")])
        """,
    ),
    # ------------------------------------------------------------ host memory on the CPU
    Case(
        name="tf-oom-dense-after-flatten-k3",
        cause="resource.host_memory",
        also=("resource.gpu_oom",),
        exception="ResourceExhaustedError",
        env="k3",
        as_limit=12 * GiB,
        script="train_big.py",
        code="""
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((2048, 2048, 3)),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(4096, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
        model.summary()
        """,
    ),
    Case(
        name="tf-oom-dense-after-flatten-tf215",
        cause="resource.host_memory",
        also=("resource.gpu_oom",),
        exception="ResourceExhaustedError",
        env="tf215",
        as_limit=12 * GiB,
        script="train_big.py",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        model = tf.keras.Sequential([
            layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(2048, 2048, 3)),
            layers.Flatten(),
            layers.Dense(4096, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ])
        model.summary()
        """,
    ),
    Case(
        name="tf-oom-huge-batch-fit-k3",
        cause="resource.host_memory",
        also=("resource.gpu_oom",),
        exception="ResourceExhaustedError",
        env="k3",
        as_limit=12 * GiB,
        script="train.py",
        code="""
        import tensorflow as tf
        import keras

        image = tf.random.uniform((512, 512, 3))
        ds = tf.data.Dataset.from_tensors((image, 0)).repeat(200000).batch(100000)

        model = keras.Sequential([
            keras.Input((512, 512, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds, epochs=1)
        """,
    ),
    Case(
        name="tf-oom-zeros-eager-tf212",
        cause="resource.host_memory",
        also=("resource.gpu_oom",),
        exception="ResourceExhaustedError",
        env="tf212",
        as_limit=12 * GiB,
        framework="tensorflow",
        script="embeddings.py",
        code="""
        import tensorflow as tf

        vocab_size, dim = 50_000_000, 4096
        table = tf.Variable(tf.zeros([vocab_size, dim]), name="embedding_table")
        """,
    ),
]

if __name__ == "__main__":
    main(CASES, __file__)
