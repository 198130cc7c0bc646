"""Untargeted held-out Keras / TF 2 image-training failures (g87, scored 0.93 top-1 and 1.00 top-3 before any rule for it, one confident-wrong) of users who train Keras models
on their own photos, scans and masks, spread over the cause ids of the taxonomy as often as users
hit each cause:

- image sizes: test-time augmentation of landscape photos with ``np.rot90`` views ``np.stack``-ed
  for ``predict``;
- channels: print-shop CMYK JPEG scans opened with PIL without ``convert("RGB")``;
- labels: Cityscapes-style masks that keep the raw label ids (7..33) for a 19-class head;
- label shapes: face-landmark targets kept as (15, 2) points for a ``Dense(30)`` head;
- dtypes: a MixUp map that blends the decoded uint8 images with a float ``lam``;
- files: a labels CSV written on a Mac lists ``.jpg`` names for camera files named ``.JPG``;
- model inputs: one new photo given ``np.expand_dims(img, axis=-1)`` instead of a batch axis;
- model outputs: a denoising autoencoder with three stride-2 convolutions and two upsamplings;
- weights: Flatten-head weights trained at 224 px loaded into the same model built at 128 px;
- API: ``model.save("....h5")`` on a subclassed model (tf_keras);
- versions: layers auto-imported from ``tensorflow.python.keras`` in a Keras 3 model;
- host memory: full-resolution phone photos turned into one float64 array with ``/ 255.0``;
- divergence: a raw-pixel lux regressor's custom loop that checks its gradients with ``check_numerics``;
- gradients: a linear probe whose ``tf.Variable`` is rebound by ``W = W - lr * dW``;
- plain bugs: ``random.sample`` of a fixed subset size larger than a class folder.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more39.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g87): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more39.py"


# ---------------------------------------------------------------- data helpers
def landscape_dirs(d: Path):
    make_images(d / "birds", ["finch", "robin", "sparrow"], per_class=6, size=(64, 48), fmt="jpeg", seed=201)
    r = _rng(202)
    for i in range(3):
        _jpg(d / "new_photos" / f"PXL_2024061{i}.jpg", r.integers(0, 255, size=(48, 64, 3), dtype="uint8"))


def cmyk_scans(d: Path):
    from PIL import Image
    r = _rng(203)
    for c in ["invoice", "letter", "receipt"]:
        for i in range(5):
            p = d / "scans" / c / f"{c}_{i:03d}.jpg"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(r.integers(0, 255, size=(64, 64, 4), dtype="uint8"), mode="CMYK").save(p, quality=90)


def cityscapes(d: Path):
    r = _rng(204)
    ids = [7, 8, 11, 21, 23, 24, 26]          # road, sidewalk, building, vegetation, sky, person, car
    for i in range(8):
        _png(d / "leftImg8bit" / "train" / f"aachen_{i:06d}_leftImg8bit.png",
             r.integers(0, 255, size=(64, 128, 3), dtype="uint8"))
        _png(d / "gtFine" / "train" / f"aachen_{i:06d}_gtFine_labelIds.png",
             r.choice(ids, size=(64, 128)).astype("uint8"))


def landmarks(d: Path):
    r = _rng(205)
    for i in range(12):
        _jpg(d / "faces" / f"face_{i:04d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
    pts = r.uniform(5, 43, size=(12, 15, 2)).round(1)
    rows = ["image," + ",".join(f"{a}{k}" for k in range(15) for a in ("x", "y"))]
    for i in range(12):
        rows.append(f"face_{i:04d}.jpg," + ",".join(str(v) for v in pts[i].ravel()))
    (d / "faces" / "landmarks.csv").write_text("\n".join(rows) + "\n")


def fruit(d: Path):
    make_images(d / "fruit", ["apple", "banana", "orange"], per_class=6, size=(48, 48), fmt="jpeg", seed=206)


def camera_jpgs(d: Path):
    r = _rng(207)
    rows = ["filename,label"]
    for i in range(12):
        lab = ["healthy", "rust"][i % 2]
        _jpg(d / "leaves" / "images" / f"DSC_{4100 + i:04d}.JPG", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"DSC_{4100 + i:04d}.jpg,{lab}")
    (d / "leaves" / "labels.csv").write_text("\n".join(rows) + "\n")


def cats_dogs(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(64, 64), fmt="jpeg", seed=208)
    r = _rng(209)
    _jpg(d / "my_cat.jpg", r.integers(0, 255, size=(300, 400, 3), dtype="uint8"))


def noisy_docs(d: Path):
    r = _rng(210)
    for i in range(12):
        clean = (r.random((64, 64)) > 0.2).astype("uint8") * 255
        _png(d / "docs" / "clean" / f"page_{i:03d}.png", clean)
        noisy = (clean * 0.7 + r.integers(0, 76, size=(64, 64))).astype("uint8")
        _png(d / "docs" / "noisy" / f"page_{i:03d}.png", noisy)


def flatten_weights(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=5, size=(160, 160), fmt="jpeg", seed=211)
    _prep("k3", """
        import keras
        from keras import layers

        def build(size):
            return keras.Sequential([
                keras.Input((size, size, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, strides=2, activation="relu"),
                layers.MaxPooling2D(4),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(4),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(2, activation="softmax"),
            ])

        build(224).save_weights("xray_cnn_224.weights.h5")
        """, d)


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(48, 48), fmt="jpeg", seed=212)


def phone_photos(d: Path):
    from PIL import Image
    import numpy as np
    r = _rng(213)
    for c in ["good", "scratched"]:
        for i in range(14):
            p = d / "parts" / c / f"IMG_{c[:1]}{i:04d}.jpg"
            p.parent.mkdir(parents=True, exist_ok=True)
            base = np.full((3024, 4032, 3), r.integers(40, 220, size=3), dtype="uint8")
            Image.fromarray(base).save(p, quality=85)


def brightness(d: Path):
    r = _rng(214)
    rows = ["file,lux"]
    for i in range(16):
        level = int(r.integers(20, 235))
        img = r.normal(level, 20, size=(48, 48, 3)).clip(0, 255).astype("uint8")
        _jpg(d / "exposure" / f"frame_{i:03d}.jpg", img)
        rows.append(f"frame_{i:03d}.jpg,{level * 4.2:.1f}")
    (d / "exposure" / "lux.csv").write_text("\n".join(rows) + "\n")


def probe_data(d: Path):
    make_images(d / "textures", ["brick", "grass", "wood"], per_class=6, size=(48, 48), fmt="jpeg", seed=215)


def dogs_breeds(d: Path):
    counts = {"beagle": 40, "boxer": 40, "husky": 40, "pug": 23}
    r = _rng(216)
    for c, n in counts.items():
        for i in range(n):
            _jpg(d / "dogs" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, size=(24, 24, 3), dtype="uint8"))


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more39-tta-rot90-landscape-photos-np-stack-predict-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=landscape_dirs,
        expect="same shape",
        code="""
        import glob

        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(48, 64), batch_size=6, seed=4)
        class_names = train_ds.class_names
        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)


        def predict_tta(img):
            # average the predictions over flipped and rotated views of the photo
            views = [img, np.fliplr(img), np.flipud(img), np.rot90(img), np.rot90(img, 3)]
            probs = model.predict(np.stack(views), verbose=0)
            return probs.mean(axis=0)


        for path in sorted(glob.glob("{DATA}/new_photos/*.jpg")):
            img = keras.utils.img_to_array(keras.utils.load_img(path))
            p = predict_tta(img)
            print(path.split("/")[-1], class_names[int(p.argmax())], f"{p.max():.2f}")
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more39-cmyk-print-scans-pil-no-convert-rgb-cnn-tfk2",
        cause="data.image_channels",
        exception="ValueError",
        env="tfk2",
        setup=cmyk_scans,
        pty=True,
        expect="found shape=(4, 64, 64, 4)",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        from tensorflow import keras
        from tensorflow.keras import layers

        CLASSES = sorted(os.listdir("{DATA}/scans"))
        x, y = [], []
        for i, c in enumerate(CLASSES):
            for p in sorted(glob.glob(f"{DATA}/scans/{c}/*.jpg")):
                x.append(np.asarray(Image.open(p), dtype=np.float32) / 255.0)
                y.append(i)
        x, y = np.stack(x), np.array(y)
        print("dataset:", x.shape, y.shape)

        model = keras.Sequential([
            layers.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=4, validation_split=0.2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more39-seg-cityscapes-label-ids-not-train-ids-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=cityscapes,
        pty=True,
        expect="outside the valid range",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 19   # the 19 Cityscapes evaluation classes
        images = sorted(glob.glob("{DATA}/leftImg8bit/train/*_leftImg8bit.png"))
        masks = sorted(glob.glob("{DATA}/gtFine/train/*_gtFine_labelIds.png"))


        def load(img_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            return img, tf.cast(mask, tf.int32)


        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(8).batch(2)

        inp = keras.Input((64, 128, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling2D()(x)
        out = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(x)
        model = keras.Model(inp, out)
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more39-nb-face-landmarks-targets-15x2-dense-30-tfk2",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="tfk2",
        expect="Dimensions must be equal",
        **notebook([
            """
            import csv
            import numpy as np
            from PIL import Image
            from tensorflow import keras
            from tensorflow.keras import layers

            rows = list(csv.DictReader(open("{DATA}/faces/landmarks.csv")))
            x = np.stack([np.asarray(Image.open("{DATA}/faces/" + r["image"]), dtype=np.float32) / 255.0 for r in rows])
            pts = np.array([[float(v) for k, v in r.items() if k != "image"] for r in rows], dtype=np.float32)
            y = pts.reshape(len(rows), 15, 2) / 48.0      # (x, y) of each of the 15 landmarks
            print(x.shape, y.shape)
            """,
            """
            model = keras.Sequential([
                layers.Conv2D(32, 3, activation="relu", input_shape=(48, 48, 3)),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dense(30),
            ])
            model.compile(optimizer="adam", loss="mse", metrics=["mae"])
            history = model.fit(x, y, epochs=20, batch_size=4)
            """,
        ], data=landmarks),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more39-mixup-map-uint8-images-times-float-lam-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=fruit,
        expect="uint8",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        BATCH = 4
        ds = keras.utils.image_dataset_from_directory("{DATA}/fruit", image_size=(48, 48), batch_size=None,
                                                      label_mode="categorical", seed=7)
        ds = ds.map(lambda x, y: (tf.cast(x, tf.uint8), y))     # keep the cache small


        def mix_up(a, b, alpha=0.2):
            (x1, y1), (x2, y2) = a, b
            g1 = tf.random.gamma([], alpha)
            g2 = tf.random.gamma([], alpha)
            lam = g1 / (g1 + g2)
            x = lam * x1 + (1 - lam) * x2
            y = lam * y1 + (1 - lam) * y2
            return x, y


        ds = ds.cache()
        train_ds = (tf.data.Dataset.zip((ds.shuffle(64), ds.shuffle(64)))
                    .map(mix_up, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(BATCH)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more39-labels-csv-lowercase-jpg-camera-files-upper-JPG-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=camera_jpgs,
        pty=True,
        expect="No such file or directory",
        code="""
        import csv
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/leaves"
        CLASSES = ["healthy", "rust"]
        rows = list(csv.DictReader(open(os.path.join(ROOT, "labels.csv"))))   # exported on the Mac
        paths = [os.path.join(ROOT, "images", r["filename"]) for r in rows]
        labels = [CLASSES.index(r["label"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)) / 255.0, label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=3)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more39-nb-predict-one-photo-expand-dims-last-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="incompatible",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(64, 64), batch_size=4, seed=1)
            class_names = train_ds.class_names
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            """,
            """
            img = keras.utils.load_img("{DATA}/my_cat.jpg", target_size=(64, 64))
            x = keras.utils.img_to_array(img)
            x = np.expand_dims(x, axis=-1)
            score = model.predict(x)[0][0]
            print(f"{class_names[int(score > 0.5)]} ({score:.2f})")
            """,
        ], data=cats_dogs),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more39-denoise-autoencoder-three-downs-two-ups-tfk2",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        env="tfk2",
        setup=noisy_docs,
        pty=True,
        expect="Dimensions must be equal",
        code="""
        import glob

        import numpy as np
        from PIL import Image
        from tensorflow import keras
        from tensorflow.keras import layers


        def load(pattern):
            return np.stack([np.asarray(Image.open(p), dtype=np.float32)[..., None] / 255.0
                             for p in sorted(glob.glob(pattern))])


        noisy = load("{DATA}/docs/noisy/*.png")
        clean = load("{DATA}/docs/clean/*.png")
        print("pairs:", noisy.shape, clean.shape)

        inp = keras.Input((64, 64, 1))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inp)    # 32
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)      # 16
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)      # 8
        x = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
        out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
        autoencoder = keras.Model(inp, out, name="denoiser")
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(noisy, clean, epochs=20, batch_size=4, shuffle=True)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more39-flatten-head-weights-224-loaded-at-128-k3",
        cause="model.weights_mismatch",
        also=("model.input_shape",),
        exception="ValueError",
        setup=flatten_weights,
        expect="xray_cnn_224",
        code="""
        import keras
        from keras import layers

        IMG_SIZE = 128     # smaller images to fine-tune faster on the laptop


        def build(size):
            return keras.Sequential([
                keras.Input((size, size, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, strides=2, activation="relu"),
                layers.MaxPooling2D(4),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(4),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(2, activation="softmax"),
            ])


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/xray", image_size=(IMG_SIZE, IMG_SIZE),
                                                            batch_size=4, seed=5)
        model = build(IMG_SIZE)
        model.load_weights("{DATA}/xray_cnn_224.weights.h5")
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more39-subclassed-classifier-save-h5-tfk2",
        cause="model.api_misuse",
        exception="NotImplementedError",
        env="tfk2",
        setup=flowers,
        pty=True,
        expect="Functional model or a Sequential model",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers


        class FlowerNet(keras.Model):
            def __init__(self, num_classes):
                super().__init__()
                self.rescale = layers.Rescaling(1.0 / 255)
                self.conv1 = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.MaxPooling2D()
                self.conv2 = layers.Conv2D(32, 3, activation="relu")
                self.gap = layers.GlobalAveragePooling2D()
                self.drop = layers.Dropout(0.2)
                self.out = layers.Dense(num_classes, activation="softmax")

            def call(self, x, training=False):
                x = self.pool(self.conv1(self.rescale(x)))
                x = self.gap(self.conv2(x))
                return self.out(self.drop(x, training=training))


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6,
                                                            seed=11)
        model = FlowerNet(len(train_ds.class_names))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        model.save("flower_net.h5")
        print("saved")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more39-ide-auto-import-tensorflow-python-keras-layers-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=flowers,
        expect="tensorflow.python.keras",
        code="""
        import keras
        from tensorflow.python.keras.layers import Conv2D, Dense, Dropout, GlobalAveragePooling2D, MaxPooling2D

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6,
                                                            seed=12)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            keras.layers.Rescaling(1.0 / 255),
            Conv2D(16, 3, activation="relu"),
            MaxPooling2D(),
            Conv2D(32, 3, activation="relu"),
            GlobalAveragePooling2D(),
            Dropout(0.2),
            Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more39-full-res-phone-photos-np-array-div-255-float64-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=phone_photos,
        as_limit=9 * 1024**3,
        timeout=400,
        expect="Unable to allocate",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        CLASSES = ["good", "scratched"]
        images, labels = [], []
        for i, c in enumerate(CLASSES):
            for p in sorted(glob.glob(os.path.join("{DATA}/parts", c, "*.jpg"))):
                images.append(np.asarray(Image.open(p).convert("RGB")))
                labels.append(i)
        print(f"loaded {len(images)} photos of {images[0].shape}")

        x = np.array(images) / 255.0
        y = np.array(labels)

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Resizing(224, 224),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=2)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more39-lux-regressor-raw-pixels-check-numerics-grads-loop-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=brightness,
        expect="Tensor had",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rows = list(csv.DictReader(open("{DATA}/exposure/lux.csv")))
        paths = [f"{DATA}/exposure/{r['file']}" for r in rows]
        lux = np.array([float(r["lux"]) for r in rows], dtype=np.float32)


        def load(path, target):
            img = tf.cast(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), tf.float32)
            return img, target


        train_ds = tf.data.Dataset.from_tensor_slices((paths, lux)).map(load).shuffle(16).batch(4)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3),
            layers.Conv2D(32, 3),
            layers.Flatten(),
            layers.Dense(64),
            layers.Dense(1),
        ])
        optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                pred = tf.squeeze(model(x, training=True), -1)
                loss = tf.reduce_mean(tf.square(pred - y))
            grads = tape.gradient(loss, model.trainable_variables)
            grads = [tf.debugging.check_numerics(g, f"gradient of {v.path}") for g, v in zip(grads, model.trainable_variables)]
            norm = tf.linalg.global_norm(grads)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss, norm


        for epoch in range(30):
            for x, y in train_ds:
                loss, norm = train_step(x, y)
            print(f"epoch {epoch + 1}: mse {float(loss):.1f}  grad norm {float(norm):.1f}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more39-linear-probe-variable-rebound-by-subtraction-k3",
        cause="optim.autograd_graph",
        exception="TypeError",
        setup=probe_data,
        expect="NoneType",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras

        ds = keras.utils.image_dataset_from_directory("{DATA}/textures", image_size=(48, 48), batch_size=18,
                                                      shuffle=False)
        x, y = next(iter(ds))
        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(48, 48, 3),
                                              pooling="avg")
        feats = base(keras.applications.mobilenet_v2.preprocess_input(x), training=False)
        y1 = tf.one_hot(y, 3)

        # linear probe on the frozen features, written out by hand
        W = tf.Variable(tf.zeros((feats.shape[1], 3)))
        b = tf.Variable(tf.zeros((3,)))
        lr = 0.1
        for step in range(50):
            with tf.GradientTape() as tape:
                logits = feats @ W + b
                loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y1, logits))
            dW, db = tape.gradient(loss, [W, b])
            W = W - lr * dW
            b = b - lr * db
            if step % 10 == 0:
                print(f"step {step}: loss {loss.numpy():.4f}")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more39-balanced-subset-random-sample-larger-than-folder-k3",
        cause="other",
        exception="ValueError",
        setup=dogs_breeds,
        pty=True,
        expect="Sample larger than population",
        code="""
        import os
        import random
        import shutil

        import keras
        from keras import layers

        SRC = "{DATA}/dogs"
        DST = "{PROJECT}/dogs_balanced"
        PER_CLASS = 30        # same number of photos for every breed
        random.seed(42)

        for breed in sorted(os.listdir(SRC)):
            files = sorted(os.listdir(os.path.join(SRC, breed)))
            os.makedirs(os.path.join(DST, breed), exist_ok=True)
            for f in random.sample(files, PER_CLASS):
                shutil.copy(os.path.join(SRC, breed, f), os.path.join(DST, breed, f))
            print(f"{breed}: {PER_CLASS} of {len(files)}")

        train_ds = keras.utils.image_dataset_from_directory(DST, image_size=(24, 24), batch_size=8, seed=1)
        model = keras.Sequential([
            keras.Input((24, 24, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
