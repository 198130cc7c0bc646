"""A fifth set of real Keras / TensorFlow failures from image classifiers and
detectors, in code paths keras_more.py ... keras_more4.py leave out: functional
models with several inputs / outputs (a two-input model fed one array, in fit
and in validation_data, input lists given to from_tensor_slices, conv maps
concatenated with metadata, loss lists of the wrong length, one target for two
heads), model.fit arguments (one-hot validation labels against sparse training
labels, validation photos at another size, batch_size with a dataset, a float
steps_per_epoch, a validation set without labels), preprocessing layers
(Normalization.adapt on (image, label) pairs, a RandomFlip mode typo, Resizing
given a tuple, Resizing on a ragged batch, CenterCrop larger than the photo),
keras.applications preprocess_input misuse (a PIL image, uint8 tensors in a
tf.data map, in-place on uint8 arrays), fine-tuning (ImageNet weights with no
network, a weights file of another width multiplier, unfreezing without
recompiling, a whole model frozen, a frozen discriminator in a GAN loop),
GradientTape loops (apply_gradients with two lists, minimize with a tensor
loss, tape.watch on a NumPy array, PyTorch's loss.backward()), tf.data photos
from disk of mixed size or channels (CMYK JPEGs, grayscale and RGB PNGs,
resize with preserve_aspect_ratio, padded_batch into a fixed-size model), and
saving / loading with custom objects (a custom activation, a custom layer with
no get_config, a config holding an ndarray, a Lambda loaded where ``tf`` is not
imported).

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more5.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images  # noqa: E402


# ---------------------------------------------------------------- data helpers
def mixed_size_photos(d: Path):
    make_images(d / "photos", ["cat", "dog"], per_class=4, fmt="jpeg",
                sizes=[(64, 48), (48, 64), (80, 60)])


def panorama_photos(d: Path):
    make_images(d / "photos", ["cat", "dog"], per_class=4, fmt="jpeg",
                sizes=[(64, 48), (100, 40), (48, 64)])


def small_jpegs(d: Path):
    make_images(d / "flowers", ["daisy", "roses"], per_class=5, size=(40, 40), fmt="jpeg")


def cmyk_jpegs(d: Path):
    """Product shots exported from a print workflow: some JPEGs are CMYK."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(3)
    root = d / "products"
    for c in ("mug", "shirt"):
        (root / c).mkdir(parents=True, exist_ok=True)
        for i in range(4):
            arr = rng.integers(0, 255, size=(48, 48, 3), dtype=np.uint8)
            img = Image.fromarray(arr)
            if i == 2:
                img = img.convert("CMYK")
            img.save(root / c / f"{c}_{i:02d}.jpg")


def gray_and_rgb_pngs(d: Path):
    make_images(d / "xray" / "normal", ["a"], per_class=3, size=(48, 48), mode="RGB", fmt="png")
    make_images(d / "xray" / "pneumonia", ["b"], per_class=3, size=(48, 48), mode="L", fmt="png", seed=1)


def small_photo(d: Path):
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(9)
    Image.fromarray(rng.integers(0, 255, size=(120, 160, 3), dtype=np.uint8)).save(d / "test.jpg")


CASES = [
    # ============================================================ several inputs / outputs
    Case(
        name="keras-more5-two-input-fit-one-array-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        img_in = keras.Input((32, 32, 3), name="image")
        meta_in = keras.Input((4,), name="meta")            # age, sex, site, scanner
        x = layers.Conv2D(16, 3, activation="relu")(img_in)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Concatenate()([x, layers.Dense(8, activation="relu")(meta_in)])
        out = layers.Dense(3, activation="softmax")(x)
        model = keras.Model([img_in, meta_in], out)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

        images = np.random.rand(64, 32, 32, 3).astype("float32")
        meta = np.random.rand(64, 4).astype("float32")
        labels = np.random.randint(0, 3, 64)
        model.fit(images, labels, batch_size=16, epochs=3)
        """,
    ),
    Case(
        name="keras-more5-two-input-validation-data-image-only-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        img_in = keras.Input((32, 32, 3), name="image")
        meta_in = keras.Input((4,), name="meta")
        x = layers.GlobalAveragePooling2D()(layers.Conv2D(16, 3, activation="relu")(img_in))
        x = layers.Concatenate()([x, meta_in])
        model = keras.Model([img_in, meta_in], layers.Dense(1, activation="sigmoid")(x))
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])

        x_img, x_meta = np.random.rand(96, 32, 32, 3).astype("float32"), np.random.rand(96, 4).astype("float32")
        y = np.random.randint(0, 2, 96)
        v_img, v_y = np.random.rand(32, 32, 32, 3).astype("float32"), np.random.randint(0, 2, 32)
        model.fit([x_img, x_meta], y, validation_data=(v_img, v_y), batch_size=16, epochs=3)
        """,
    ),
    Case(
        name="keras-more5-from-tensor-slices-list-of-inputs-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf

        images = np.random.rand(40, 32, 32, 3).astype("float32")
        meta = np.random.rand(40, 4).astype("float32")
        labels = np.random.randint(0, 3, 40)

        # two-input model: image + tabular metadata
        ds = tf.data.Dataset.from_tensor_slices(([images, meta], labels))
        ds = ds.shuffle(40).batch(8)
        """,
    ),
    Case(
        name="keras-more5-concat-conv-map-with-metadata-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        code="""
        import keras
        from keras import layers

        img_in = keras.Input((64, 64, 3), name="image")
        meta_in = keras.Input((6,), name="meta")
        x = layers.Conv2D(16, 3, activation="relu")(img_in)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        m = layers.Dense(16, activation="relu")(meta_in)
        merged = layers.Concatenate()([x, m])            # image branch still a feature map
        out = layers.Dense(5, activation="softmax")(merged)
        model = keras.Model([img_in, meta_in], out)
        model.summary()
        """,
    ),
    Case(
        name="keras-more5-two-output-loss-list-length-k3",
        cause="model.api_misuse",
        exception="KeyError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        inp = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        x = layers.GlobalAveragePooling2D()(x)
        cls = layers.Dense(4, activation="softmax", name="cls")(x)
        box = layers.Dense(4, activation="sigmoid", name="box")(x)
        model = keras.Model(inp, [cls, box])
        model.compile(optimizer="adam",
                      loss=["sparse_categorical_crossentropy", "mse", "mae"],
                      metrics=["accuracy"])

        x_train = np.random.rand(32, 64, 64, 3).astype("float32")
        y_cls = np.random.randint(0, 4, 32)
        y_box = np.random.rand(32, 4).astype("float32")
        model.fit(x_train, [y_cls, y_box], epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more5-two-output-single-target-tf215",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        inp = tf.keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        x = layers.GlobalAveragePooling2D()(x)
        cls = layers.Dense(3, activation="softmax", name="cls")(x)
        box = layers.Dense(4, activation="sigmoid", name="box")(x)
        model = tf.keras.Model(inp, [cls, box])
        model.compile("adam", loss={"cls": "sparse_categorical_crossentropy", "box": "mse"})

        x_train = np.random.rand(32, 64, 64, 3).astype("float32")
        # one row per image: class id followed by x1, y1, x2, y2
        targets = np.concatenate([np.random.randint(0, 3, (32, 1)), np.random.rand(32, 4)], axis=1).astype("float32")
        model.fit(x_train, targets, epochs=2, batch_size=8)
        """,
    ),
    # ============================================================ model.fit arguments
    Case(
        name="keras-more5-validation-onehot-train-sparse-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        pty=True,
        code="""
        import numpy as np
        import keras
        from keras import layers

        num_classes = 5
        x_train = np.random.rand(200, 32, 32, 3).astype("float32")
        y_train = np.random.randint(0, num_classes, 200)
        x_val = np.random.rand(50, 32, 32, 3).astype("float32")
        y_val = keras.utils.to_categorical(np.random.randint(0, num_classes, 50), num_classes)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Flatten(), layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=3, batch_size=32)
        """,
    ),
    Case(
        name="keras-more5-validation-images-other-size-tf215",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        env="tf215",
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        # training crops are 32x32, the validation set was exported at 48x48
        x_train = np.random.rand(128, 32, 32, 3).astype("float32")
        y_train = np.random.randint(0, 2, 128)
        x_val = np.random.rand(32, 48, 48, 3).astype("float32")
        y_val = np.random.randint(0, 2, 32)

        model = tf.keras.Sequential([
            layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(), layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=3, batch_size=32)
        """,
    ),
    Case(
        name="keras-more5-steps-per-epoch-float-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        BATCH = 16
        n_train = 150
        x = np.random.rand(n_train, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 4, n_train)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(n_train).batch(BATCH).repeat()

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, steps_per_epoch=n_train / BATCH, epochs=3)
        """,
    ),
    Case(
        name="keras-more5-validation-dataset-without-labels-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=small_jpegs,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=4)
        # the validation photos are the same folders; labels are not needed for validation
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", labels=None, image_size=(40, 40),
                                                          batch_size=4)
        model = keras.Sequential([keras.Input((40, 40, 3)), layers.Rescaling(1 / 255.),
                                  layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=2)
        """,
    ),
    # ============================================================ preprocessing layers
    Case(
        name="keras-more5-normalization-adapt-image-label-pairs-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=small_jpegs,
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(40, 40), batch_size=4)
        norm = layers.Normalization()
        norm.adapt(train_ds)                   # per-channel mean / variance of the training photos

        model = keras.Sequential([keras.Input((40, 40, 3)), norm, layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more5-randomflip-mode-typo-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        augment = tf.keras.Sequential([
            layers.RandomFlip("horizontal_and_vertical"),
            layers.RandomRotation(0.1),
            layers.RandomFlip("horizontal-and-vertical"),
        ])
        model = tf.keras.Sequential([
            tf.keras.Input((96, 96, 3)), augment, layers.Rescaling(1 / 255.),
            layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.summary()
        """,
    ),
    Case(
        name="keras-more5-resizing-tuple-argument-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import keras
        from keras import layers

        IMG_SIZE = (128, 128)
        preprocess = keras.Sequential([
            layers.Resizing(IMG_SIZE),
            layers.Rescaling(1.0 / 255),
        ])
        model = keras.Sequential([keras.Input((None, None, 3)), preprocess,
                                  layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(10, activation="softmax")])
        model.summary()
        """,
    ),
    # ============================================================ applications preprocess_input
    Case(
        name="keras-more5-preprocess-input-pil-image-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        setup=small_photo,
        code="""
        import numpy as np
        import keras
        from keras.applications.mobilenet_v2 import MobileNetV2, preprocess_input

        model = MobileNetV2(weights=None, input_shape=(224, 224, 3), classes=3)
        img = keras.utils.load_img("{DATA}/test.jpg", target_size=(224, 224))
        x = preprocess_input(img)
        pred = model.predict(np.expand_dims(x, 0))
        print(pred.argmax())
        """,
    ),
    # ============================================================ fine-tuning
    Case(
        name="keras-more5-mobilenet-alpha-weights-file-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="k3",
        code="""
        import keras

        # phase 1 (another notebook): a light backbone for the phone app
        small = keras.applications.MobileNetV2(weights=None, include_top=False, alpha=0.5, input_shape=(96, 96, 3))
        small.save_weights("{PROJECT}/backbone.weights.h5")

        # phase 2: fine-tune the backbone from those weights
        base = keras.applications.MobileNetV2(weights="{PROJECT}/backbone.weights.h5", include_top=False,
                                              input_shape=(96, 96, 3))
        print(len(base.layers))
        """,
    ),
    Case(
        name="keras-more5-gan-frozen-discriminator-custom-loop-k3",
        cause="optim.autograd_graph",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        latent = 16
        generator = keras.Sequential([keras.Input((latent,)), layers.Dense(8 * 8 * 16, activation="relu"),
                                      layers.Reshape((8, 8, 16)),
                                      layers.Conv2DTranspose(3, 4, strides=4, padding="same", activation="tanh")])
        discriminator = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, strides=2),
                                          layers.LeakyReLU(0.2), layers.Flatten(), layers.Dense(1)])
        # Keras-2 GAN recipe: freeze D before building the combined model
        discriminator.trainable = False
        gan = keras.Sequential([generator, discriminator])

        bce = keras.losses.BinaryCrossentropy(from_logits=True)
        d_opt, g_opt = keras.optimizers.Adam(2e-4), keras.optimizers.Adam(2e-4)
        real = np.random.uniform(-1, 1, (64, 32, 32, 3)).astype("float32")

        for step in range(3):
            batch = real[step * 16:(step + 1) * 16]
            z = tf.random.normal((16, latent))
            with tf.GradientTape() as tape:
                fake = generator(z, training=True)
                d_loss = bce(tf.ones((16, 1)), discriminator(batch, training=True)) + \\
                         bce(tf.zeros((16, 1)), discriminator(fake, training=True))
            grads = tape.gradient(d_loss, discriminator.trainable_variables)
            d_opt.apply_gradients(zip(grads, discriminator.trainable_variables))
            with tf.GradientTape() as tape:
                g_loss = bce(tf.ones((16, 1)), gan(z, training=True))
            grads = tape.gradient(g_loss, generator.trainable_variables)
            g_opt.apply_gradients(zip(grads, generator.trainable_variables))
            print(f"step {step}: d_loss={float(d_loss):.4f} g_loss={float(g_loss):.4f}")
        """,
    ),
    # ============================================================ GradientTape loops
    Case(
        name="keras-more5-apply-gradients-two-lists-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(10)])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.SGD(0.01)
        ds = tf.data.Dataset.from_tensor_slices((np.random.rand(64, 32, 32, 3).astype("float32"),
                                                 np.random.randint(0, 10, 64))).batch(16)
        for epoch in range(2):
            for images, labels in ds:
                with tf.GradientTape() as tape:
                    loss = loss_fn(labels, model(images, training=True))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(grads, model.trainable_variables)
            print("epoch", epoch, float(loss))
        """,
    ),
    Case(
        name="keras-more5-minimize-tensor-loss-no-tape-tf215",
        cause="optim.autograd_graph",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(5)])
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = tf.keras.optimizers.Adam(1e-3)
        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 5, 64)

        for step in range(4):
            xb, yb = x[step * 16:(step + 1) * 16], y[step * 16:(step + 1) * 16]
            loss = loss_fn(yb, model(xb, training=True))
            optimizer.minimize(loss, model.trainable_variables)
            print(step, float(loss))
        """,
    ),
    Case(
        name="keras-more5-fgsm-tape-watch-numpy-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")])
        loss_fn = keras.losses.SparseCategoricalCrossentropy()

        def fgsm(image, label, eps=0.01):
            with tf.GradientTape() as tape:
                tape.watch(image)
                loss = loss_fn(label, model(image))
            grad = tape.gradient(loss, image)
            return np.clip(image + eps * np.sign(grad), 0, 1)

        images = np.random.rand(8, 32, 32, 3).astype("float32")
        labels = np.random.randint(0, 10, 8)
        adv = fgsm(images, labels)
        print("accuracy on adversarial images:", (model.predict(adv).argmax(1) == labels).mean())
        """,
    ),
    Case(
        name="keras-more5-torch-habit-loss-backward-k3",
        cause="model.api_misuse",
        also=("optim.autograd_graph",),
        exception="AttributeError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.Flatten(), layers.Dense(10)])
        criterion = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)
        x = np.random.rand(64, 28, 28, 1).astype("float32")
        y = np.random.randint(0, 10, 64)

        for i in range(0, 64, 16):
            with tf.GradientTape() as tape:
                logits = model(x[i:i + 16], training=True)
                loss = criterion(y[i:i + 16], logits)
            loss.backward()
            optimizer.step()
        """,
    ),
    # ============================================================ tf.data photos of mixed size / channels
    Case(
        name="keras-more5-decode-png-gray-and-rgb-batch-tf212",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf212",
        setup=gray_and_rgb_pngs,
        code="""
        import tensorflow as tf

        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = tf.image.resize(img, (48, 48))
            label = tf.cast(tf.strings.regex_full_match(path, ".*/pneumonia/.*"), tf.int32)
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/xray/*/*/*.png", shuffle=True, seed=1).map(load).batch(6)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(48, 48, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more5-resize-preserve-aspect-cannot-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=panorama_photos,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64), preserve_aspect_ratio=True) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*/dog/.*"), tf.int32)
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/photos/*/*.jpg", shuffle=False).map(load).batch(4)
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more5-padded-batch-photos-into-flatten-k3",
        cause="data.image_size_mismatch",
        also=("model.input_shape",),
        exception="InvalidArgumentError",
        env="k3",
        setup=mixed_size_photos,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        def load(path):
            img = tf.cast(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), tf.float32) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*/dog/.*"), tf.int32)
            return img, label

        # padded_batch instead of batch: "Cannot batch tensors with different shapes" is gone
        ds = tf.data.Dataset.list_files("{DATA}/photos/*/*.jpg", shuffle=False).map(load).padded_batch(4)
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.MaxPooling2D(), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ saving / loading custom objects
    Case(
        name="keras-more5-h5-custom-activation-unknown-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        def scaled_silu(x):
            return 1.2 * x * tf.math.sigmoid(x)

        model = tf.keras.Sequential([layers.Conv2D(8, 3, activation=scaled_silu, input_shape=(32, 32, 3)),
                                     layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(16, 32, 32, 3), np.random.randint(0, 2, 16), epochs=1, verbose=0)
        model.save("{PROJECT}/classifier.h5")

        # inference script
        clf = tf.keras.models.load_model("{PROJECT}/classifier.h5")
        print(clf.predict(np.random.rand(1, 32, 32, 3)))
        """,
    ),
    Case(
        name="keras-more5-custom-layer-no-get-config-load-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers, ops

        @keras.saving.register_keras_serializable()
        class SEBlock(layers.Layer):
            def __init__(self, channels, ratio=4):
                super().__init__()
                self.pool = layers.GlobalAveragePooling2D(keepdims=True)
                self.fc1 = layers.Dense(channels // ratio, activation="relu")
                self.fc2 = layers.Dense(channels, activation="sigmoid")

            def call(self, x):
                return x * self.fc2(self.fc1(self.pool(x)))

        inp = keras.Input((32, 32, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = SEBlock(16)(x)
        out = layers.Dense(4, activation="softmax")(layers.GlobalAveragePooling2D()(x))
        model = keras.Model(inp, out)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.save("{PROJECT}/se_net.keras")

        restored = keras.models.load_model("{PROJECT}/se_net.keras")
        """,
    ),
    # ============================================================ more inputs / outputs, fine-tuning, loops
    Case(
        name="keras-more5-two-input-order-swapped-dataset-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        meta_in = keras.Input((4,), name="meta")
        img_in = keras.Input((32, 32, 3), name="image")
        x = layers.Conv2D(16, 3, activation="relu")(img_in)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Concatenate()([x, layers.Dense(8, activation="relu")(meta_in)])
        model = keras.Model([meta_in, img_in], layers.Dense(3, activation="softmax")(x))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

        images = np.random.rand(48, 32, 32, 3).astype("float32")
        meta = np.random.rand(48, 4).astype("float32")
        labels = np.random.randint(0, 3, 48)
        ds = tf.data.Dataset.from_tensor_slices(((images, meta), labels)).batch(16)
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more5-decode-predictions-custom-head-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="k3",
        setup=small_photo,
        code="""
        import numpy as np
        import keras
        from keras.applications.resnet50 import ResNet50, preprocess_input, decode_predictions

        # fine-tuned on our 4 defect classes
        base = ResNet50(weights=None, include_top=False, input_shape=(128, 128, 3), pooling="avg")
        model = keras.Sequential([base, keras.layers.Dense(4, activation="softmax")])

        img = keras.utils.img_to_array(keras.utils.load_img("{DATA}/test.jpg", target_size=(128, 128)))
        preds = model.predict(preprocess_input(img[None]))
        for _, name, score in decode_predictions(preds, top=3)[0]:
            print(name, score)
        """,
    ),
    Case(
        name="keras-more5-save-weights-checkpoint-prefix-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        env="k3",
        code="""
        import os
        import numpy as np
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 3, 32), epochs=1, verbose=2)
        os.makedirs("checkpoints", exist_ok=True)
        model.save_weights("checkpoints/epoch_001")
        """,
    ),
    Case(
        name="keras-more5-finetune-head-on-new-input-graph-disconnected-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        base = tf.keras.applications.MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3), alpha=0.35)
        base.trainable = False

        inputs = tf.keras.Input((96, 96, 3))
        x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x, training=False)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dropout(0.2)(x)
        outputs = layers.Dense(5, activation="softmax")(x)
        model = tf.keras.Model(inputs=base.input, outputs=outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more5-custom-loop-accuracy-metric-on-logits-k3",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(10)])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)
        train_acc = keras.metrics.Accuracy()
        ds = tf.data.Dataset.from_tensor_slices((np.random.rand(64, 32, 32, 3).astype("float32"),
                                                 np.random.randint(0, 10, 64))).batch(16)

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                logits = model(images, training=True)
                loss = loss_fn(labels, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            train_acc.update_state(labels, logits)
            return loss

        for epoch in range(2):
            for images, labels in ds:
                loss = train_step(images, labels)
            print(f"epoch {epoch}: loss {float(loss):.3f} acc {float(train_acc.result()):.3f}")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
