"""A sixth set of real Keras / TensorFlow failures, centred on beginner image
classification, in code paths keras_more.py ... keras_more5.py leave out:
ImageDataGenerator / flow_from_directory (the default 256 x 256 target_size
against a 224 model, class_mode "input", None and "sparse" used for a
classifier, a 3-element target_size, a ``classes`` list that names no folder,
flow() with x / y of different length, a preprocessing_function that resizes,
steps_per_epoch computed as samples // batch_size = 0, class_indices looked up
by the predicted index), image_dataset_from_directory options (subset="both"
kept in one variable, a validation split that gets no file, an interpolation
typo, class_names with labels=None, label_mode=None into fit), single-image
prediction (a photo never resized, an RGB digit into an MNIST model, a file
path given to predict, to img_to_array, an int target_size to load_img),
saving / loading (load_model given a weights file), TF GPU / memory settings
on a machine without a GPU (memory growth and a memory limit on the CPU
device, get_memory_info("GPU:0") in a callback, the TF 2.0-alpha
``tf.config.gpu`` API, Keras 2 ``set_session``), and TF graph errors raised
inside model.fit (ensure_shape on mixed photo sizes, an assert on label ids,
string folder names given to tf.strings.to_number, a Flatten / Dense sized for
224 fed 256 x 256 batches).

flow_from_dataframe needs pandas, which none of the TF environments have, so
it is left out.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more6.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

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
def cats_dogs(d: Path):
    make_images(d / "train", ["cats", "dogs"], per_class=6, size=(64, 64), fmt="jpeg")
    make_images(d / "validation", ["cats", "dogs"], per_class=3, size=(64, 64), fmt="jpeg", seed=1)


def three_classes(d: Path):
    make_images(d / "dataset", ["paper", "rock", "scissors"], per_class=5, size=(48, 48), fmt="png")


def tiny_split(d: Path):
    """A first try with just a handful of photos per class."""
    make_images(d / "train", ["healthy", "rust"], per_class=3, size=(64, 64), fmt="jpeg")


def mixed_size_photos(d: Path):
    make_images(d / "photos", ["ant", "bee"], per_class=6, fmt="jpeg",
                sizes=[(96, 96), (96, 96), (96, 96), (128, 96), (96, 96), (96, 120)])


def one_photo(d: Path):
    """A phone photo to classify after training."""
    import numpy as np
    rng = np.random.default_rng(11)
    _png(d / "test" / "my_cat.png", rng.integers(0, 255, size=(480, 640, 3), dtype=np.uint8))


def rgb_digit(d: Path):
    """A digit drawn in Paint and saved as 28 x 28 RGB PNG."""
    import numpy as np
    arr = np.full((28, 28, 3), 255, np.uint8)
    arr[6:22, 12:16] = 0
    _png(d / "digit_7.png", arr)


def numbered_folders(d: Path):
    make_images(d / "leaves", ["healthy", "scab", "rust"], per_class=4, size=(40, 40), fmt="jpeg")


DIR_MODEL_TF2 = """
model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=({S}, {S}, 3)),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense({N}, activation="{A}"),
])
"""


def _m(size, n, act="softmax"):
    import textwrap
    code = DIR_MODEL_TF2.replace("{S}", str(size)).replace("{N}", str(n)).replace("{A}", act)
    return textwrap.indent(code, " " * 8)


CASES = [
    # ============================================================ ImageDataGenerator (Keras 2)
    Case(
        name="keras-more6-flow-from-directory-default-target-size-224-model-tf212",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        env="tf212",
        setup=cats_dogs,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        train_datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
        train_generator = train_datagen.flow_from_directory("{DATA}/train", batch_size=4, class_mode="binary")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(224, 224, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_generator, epochs=3)
        """,
    ),
    Case(
        name="keras-more6-flow-from-directory-class-mode-input-tf212",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf212",
        setup=three_classes,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255)
        # copied from an autoencoder notebook
        train_gen = datagen.flow_from_directory("{DATA}/dataset", target_size=(48, 48), batch_size=5,
                                                class_mode="input")
        """ + _m(48, 3) + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-flow-from-directory-class-mode-none-fit-tf212",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf212",
        setup=cats_dogs,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/train", target_size=(64, 64), batch_size=4,
                                                class_mode=None, shuffle=True)
        """ + _m(64, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-flow-from-directory-target-size-with-channels-tf212",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf212",
        setup=cats_dogs,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        IMG_SHAPE = (64, 64, 3)
        datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/train", target_size=IMG_SHAPE, batch_size=4,
                                                class_mode="binary")
        """ + _m(64, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-flow-from-directory-sparse-categorical-loss-tf212",
        cause="data.label_shape",
        exception="ValueError",
        env="tf212",
        setup=three_classes,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255, validation_split=0.2)
        train_gen = datagen.flow_from_directory("{DATA}/dataset", target_size=(48, 48), batch_size=4,
                                                class_mode="sparse", subset="training")
        val_gen = datagen.flow_from_directory("{DATA}/dataset", target_size=(48, 48), batch_size=4,
                                              class_mode="sparse", subset="validation")
        """ + _m(48, 3) + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, validation_data=val_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-datagen-flow-x-y-length-mismatch-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        images = np.random.randint(0, 255, (120, 32, 32, 3)).astype("float32")
        labels = np.random.randint(0, 4, 120)
        # drop the images that failed the quality check ... but only from x
        keep = images.mean(axis=(1, 2, 3)) > 126
        x_train = images[keep]
        y_train = tf.keras.utils.to_categorical(labels, 4)

        datagen = ImageDataGenerator(rescale=1.0 / 255, horizontal_flip=True)
        """ + _m(32, 4) + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(datagen.flow(x_train, y_train, batch_size=16), epochs=3)
        """,
    ),
    Case(
        name="keras-more6-datagen-preprocessing-function-resizes-tf212",
        cause="model.api_misuse",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        env="tf212",
        setup=cats_dogs,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        def to_model_size(img):
            return tf.image.resize(img, (96, 96)).numpy() / 255.0

        datagen = ImageDataGenerator(preprocessing_function=to_model_size)
        train_gen = datagen.flow_from_directory("{DATA}/train", batch_size=4, class_mode="binary")
        """ + _m(96, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-steps-per-epoch-samples-floordiv-batch-zero-tf215",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tf215",
        setup=tiny_split,
        pty=True,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        BATCH_SIZE = 32
        datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/train", target_size=(64, 64), batch_size=BATCH_SIZE,
                                                class_mode="binary")
        """ + _m(64, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, steps_per_epoch=train_gen.samples // BATCH_SIZE, epochs=5)
        """,
    ),
    Case(
        name="keras-more6-class-indices-looked-up-by-index-tf212",
        cause="model.api_misuse",
        exception="KeyError",
        env="tf212",
        setup=cats_dogs,
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/train", target_size=(64, 64), batch_size=4,
                                                class_mode="categorical")
        """ + _m(64, 2) + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=1, verbose=2)

        img = tf.keras.preprocessing.image.load_img("{DATA}/validation/cats/cats_000.jpg", target_size=(64, 64))
        x = np.expand_dims(tf.keras.preprocessing.image.img_to_array(img) / 255.0, 0)
        pred = model.predict(x)
        labels = train_gen.class_indices
        print("prediction:", labels[int(np.argmax(pred))])
        """,
    ),
    # ============================================================ image_dataset_from_directory (Keras 3)
    Case(
        name="keras-more6-dir-subset-both-single-variable-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        setup=three_classes,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/dataset", validation_split=0.2, subset="both", seed=123,
            image_size=(48, 48), batch_size=4)
        class_names = train_ds.class_names
        print(class_names)
        """,
    ),
    Case(
        name="keras-more6-dir-interpolation-typo-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=three_classes,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/dataset", image_size=(48, 48), batch_size=4, seed=1, interpolation="linear")
        """,
    ),
    Case(
        name="keras-more6-dir-label-mode-none-fit-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=three_classes,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/dataset", label_mode=None, image_size=(48, 48), batch_size=4, seed=1)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1.0 / 255),
                                  layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(3)])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-dir-validation-split-too-small-empty-fit-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="k3",
        setup=tiny_split,
        code="""
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/train", validation_split=0.1, subset="both", seed=7, image_size=(64, 64), batch_size=8)
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Rescaling(1.0 / 255),
                                  layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=2)
        """,
    ),
    # ============================================================ predicting one image
    Case(
        name="keras-more6-predict-phone-photo-not-resized-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        env="k3",
        setup=one_photo,
        code="""
        import numpy as np
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((150, 150, 3)), layers.Rescaling(1.0 / 255),
                                  layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                                  layers.Flatten(), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.save("{PROJECT}/cats_vs_dogs.keras")

        model = keras.models.load_model("{PROJECT}/cats_vs_dogs.keras")
        img = keras.utils.load_img("{DATA}/test/my_cat.png")
        x = keras.utils.img_to_array(img)
        x = np.expand_dims(x, axis=0)
        pred = model.predict(x)
        print("dog" if pred[0][0] > 0.5 else "cat")
        """,
    ),
    Case(
        name="keras-more6-predict-rgb-digit-mnist-model-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=rgb_digit,
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        (x_train, y_train) = (np.random.rand(256, 28, 28, 1).astype("float32"), np.random.randint(0, 10, 256))
        model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.MaxPooling2D(), layers.Flatten(), layers.Dense(10, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=1, verbose=2)

        img = Image.open("{DATA}/digit_7.png").resize((28, 28))
        x = np.array(img).astype("float32") / 255.0
        x = 1.0 - x                      # white background -> black like MNIST
        x = x.reshape(1, 28, 28, -1)
        print("digit:", np.argmax(model.predict(x)))
        """,
    ),
    Case(
        name="keras-more6-predict-file-path-string-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=one_photo,
        code="""
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((150, 150, 3)), layers.Rescaling(1.0 / 255),
                                  layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(2, activation="softmax")])
        pred = model.predict("{DATA}/test/my_cat.png")
        print(pred)
        """,
    ),
    Case(
        name="keras-more6-img-to-array-given-path-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=one_photo,
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing import image

        model = tf.keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3), classes=5)
        img_path = "{DATA}/test/my_cat.png"
        x = image.img_to_array(img_path)
        x = np.expand_dims(x, axis=0)
        print(model.predict(x))
        """,
    ),
    # ============================================================ saving / loading
    Case(
        name="keras-more6-load-model-on-weights-file-k3",
        cause="model.weights_mismatch",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        ckpt = keras.callbacks.ModelCheckpoint("{PROJECT}/best.weights.h5", save_weights_only=True)
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 4, 32), epochs=1, callbacks=[ckpt], verbose=2)

        # later, in the inference notebook
        model = keras.models.load_model("{PROJECT}/best.weights.h5")
        """,
    ),
    # ============================================================ GPU / memory settings
    Case(
        name="keras-more6-memory-growth-on-cpu-device-k3",
        cause="env.cuda_setup",
        exception="ValueError",
        env="k3",
        framework="tensorflow",
        code="""
        import tensorflow as tf

        devices = tf.config.list_physical_devices("GPU") or tf.config.list_physical_devices()
        for dev in devices:
            tf.config.experimental.set_memory_growth(dev, True)
        print("training on", devices)
        """,
    ),
    Case(
        name="keras-more6-config-gpu-memory-fraction-alpha-api-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        framework="tensorflow",
        code="""
        import tensorflow as tf

        # from a TF 2.0-alpha blog post: keep the GPU for the other notebook too
        tf.config.gpu.set_per_process_memory_fraction(0.4)
        tf.config.gpu.set_per_process_memory_growth(True)
        """,
    ),
    Case(
        name="keras-more6-keras-backend-set-session-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        env="k3",
        code="""
        import tensorflow as tf
        from keras import backend as K

        config = tf.compat.v1.ConfigProto()
        config.gpu_options.allow_growth = True
        config.gpu_options.per_process_gpu_memory_fraction = 0.5
        sess = tf.compat.v1.Session(config=config)
        K.set_session(sess)
        """,
    ),
    # ============================================================ graph errors inside model.fit
    Case(
        name="keras-more6-ensure-shape-mixed-photo-sizes-in-fit-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=mixed_size_photos,
        pty=True,
        code="""
        import tensorflow as tf
        import keras

        files = sorted(tf.io.gfile.glob("{DATA}/photos/*/*.jpg"))
        labels = [0 if "/ant/" in f else 1 for f in files]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.ensure_shape(img, (96, 96, 3))      # all photos are 96 x 96 (the camera default)
            return tf.cast(img, tf.float32) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(load).batch(2)
        model = keras.Sequential([keras.Input((96, 96, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-assert-label-range-in-map-fit-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        NUM_CLASSES = 5
        x = np.random.rand(40, 32, 32, 3).astype("float32")
        y = np.random.randint(0, NUM_CLASSES, 40).astype("int32")
        y[17] = 5                         # the "other" class added to the CSV later

        def check(img, label):
            tf.debugging.assert_less(label, NUM_CLASSES, message="label out of range")
            return img, label

        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(check).batch(8)
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(NUM_CLASSES)])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-folder-name-to-number-in-fit-tf215",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="tf215",
        setup=numbered_folders,
        code="""
        import tensorflow as tf

        list_ds = tf.data.Dataset.list_files("{DATA}/leaves/*/*.jpg", shuffle=True)

        def process_path(file_path):
            parts = tf.strings.split(file_path, "/")
            label = tf.strings.to_number(parts[-2], out_type=tf.int32)   # folders named 0, 1, 2 in the tutorial
            img = tf.io.decode_jpeg(tf.io.read_file(file_path), channels=3)
            img = tf.image.resize(img, (40, 40)) / 255.0
            return img, label

        train_ds = list_ds.map(process_path, num_parallel_calls=tf.data.AUTOTUNE).batch(4)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3),
        ])
        model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ more flow_from_directory, loading and device settings
    Case(
        name="keras-more6-flow-from-directory-classes-names-mismatch-tf212",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tf212",
        setup=cats_dogs,
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1.0 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/train", target_size=(64, 64), batch_size=4,
                                                classes=["cat", "dog"], class_mode="binary")
        """ + _m(64, 1, "sigmoid") + """
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more6-load-img-target-size-int-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=one_photo,
        code="""
        import numpy as np
        import keras

        img = keras.utils.load_img("{DATA}/test/my_cat.png", target_size=224)
        x = np.expand_dims(keras.utils.img_to_array(img), 0)
        """,
    ),
    Case(
        name="keras-more6-cpu-virtual-device-memory-limit-tf215",
        cause="env.cuda_setup",
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        code="""
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        target = gpus[0] if gpus else tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(target, [tf.config.LogicalDeviceConfiguration(memory_limit=4096)])
        print(tf.config.list_logical_devices())
        """,
    ),
    Case(
        name="keras-more6-memory-info-gpu0-callback-k3",
        cause="env.cuda_setup",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        class GpuMemory(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                info = tf.config.experimental.get_memory_info("GPU:0")
                print(f"epoch {epoch}: peak GPU memory {info['peak'] / 2**20:.1f} MiB")

        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(64, 32, 32, 3), np.random.randint(0, 3, 64), epochs=2, callbacks=[GpuMemory()])
        """,
    ),
    Case(
        name="keras-more6-dir-class-names-with-explicit-labels-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=three_classes,
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/dataset", labels=None, class_names=["paper", "rock", "scissors"],
            image_size=(48, 48), batch_size=4)
        """,
    ),
]

if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
