"""Untargeted held-out Keras / TF 2 image-training failures (g85, scored 0.92 top-1 and 1.00 top-3 before any rule for it) of Colab and Kaggle notebook
users who train Keras models on their own photos, spread over the cause ids of the taxonomy as
often as users hit each cause:

- image sizes: face crops cut from a boxes CSV given to ``from_tensor_slices`` as a list;
- labels: PetFinder-style 0..100 popularity scores binned with ``// 10`` for a ten-way head,
  ``to_categorical(y, num_classes=len(set(y)))`` on class ids left with a gap after two classes
  were removed;
- label shapes: satellite tag strings split and passed through ``StringLookup(output_mode=
  "one_hot")`` (one row per tag) instead of ``multi_hot``;
- dtypes: binary masks made with ``tf.where(mask > 127, 1, 0)`` (int32) for a Dice loss;
- files: a labels CSV written on Windows with ``train\\cat\\001.jpg`` paths;
- model inputs: bottleneck features saved from the backbone without pooling for a Dense head
  declared for 1280 features;
- weights: a Siamese network's ``save_weights`` file loaded into the embedding branch only;
- API: an unlabelled directory dataset given to ``fit`` with ``y=labels``;
- versions: a 2018 U-Net repository's ``from keras.layers.merge import concatenate``;
- GPU setup: ``set_soft_device_placement(False)`` and ``tf.device("/GPU:0")`` from a GPU notebook
  run in a CPU-only session;
- gradients: a style-transfer image made with ``tf.convert_to_tensor`` instead of a Variable;
- plain bugs: a Kaggle submission writer indexing the class list with a probability row.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more38.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g85): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import cnn_code as _cnn  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more38.py"


# ---------------------------------------------------------------- data helpers
def face_boxes(d: Path):
    r = _rng(102)
    rows = ["file,x,y,w,h,emotion"]
    boxes = [(30, 20, 64, 70), (50, 40, 58, 58), (12, 30, 80, 92), (44, 18, 60, 66), (20, 25, 72, 80),
             (35, 35, 50, 61)]
    for i, (x, y, w, h) in enumerate(boxes):
        _jpg(d / "selfies" / f"IMG_{2040 + i}.jpg", r.integers(0, 255, size=(160, 160, 3), dtype="uint8"))
        rows.append(f"IMG_{2040 + i}.jpg,{x},{y},{w},{h},{['happy', 'neutral', 'sad'][i % 3]}")
    (d / "selfies" / "faces.csv").write_text("\n".join(rows) + "\n")


def pawpularity(d: Path):
    r = _rng(103)
    rows = ["Id,Pawpularity"]
    scores = [23, 41, 100, 7, 56, 88, 12, 34, 100, 63, 29, 71, 95, 18, 45, 52]
    for i, s in enumerate(scores):
        name = f"{i:04x}e1f9c2b{i:02d}"
        _jpg(d / "petfinder" / "train" / f"{name}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"{name},{s}")
    (d / "petfinder" / "train.csv").write_text("\n".join(rows) + "\n")


def gap_ids(d: Path):
    r = _rng(104)
    rows = ["file,class_id"]
    # six fish species, "eel" (3) and "shark" (4) removed from the photos before training
    for i, c in enumerate([0, 1, 2, 5] * 4):
        _jpg(d / "fish" / f"fish_{i:03d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"fish_{i:03d}.jpg,{c}")
    (d / "fish" / "labels.csv").write_text("\n".join(rows) + "\n")


def planet(d: Path):
    r = _rng(105)
    rows = ["image_name,tags"]
    tags = ["clear primary", "haze primary water", "clear", "cloudy", "clear primary road", "partly_cloudy primary",
            "clear primary water", "haze", "clear primary agriculture", "cloudy"]
    for i, t in enumerate(tags):
        _jpg(d / "planet" / "train-jpg" / f"train_{i}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"train_{i},{t}")
    (d / "planet" / "train_v2.csv").write_text("\n".join(rows) + "\n")


def road_masks(d: Path):
    r = _rng(106)
    for i in range(12):
        _jpg(d / "roads" / "sat" / f"{i:05d}_sat.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        _png(d / "roads" / "mask" / f"{i:05d}_mask.png", ((r.random((64, 64)) > 0.8) * 255).astype("uint8"))


def windows_csv(d: Path):
    make_images(d / "pets" / "train", ["cat", "dog"], per_class=6, size=(48, 48), fmt="jpeg", seed=107)
    rows = ["path,label"]
    for c in ["cat", "dog"]:
        for i in range(6):
            rows.append(f"train\\{c}\\{c}_{i:03d}.jpg,{c}")
    (d / "pets" / "train_labels.csv").write_text("\r\n".join(rows) + "\r\n")


def flowers3(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(64, 64), fmt="jpeg", seed=108)


def unlabelled_scans(d: Path):
    r = _rng(109)
    rows = ["file,label"]
    for i in range(16):
        _jpg(d / "scans" / "images" / f"scan_{i:03d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"scan_{i:03d}.jpg,{i % 2}")
    (d / "scans" / "labels.csv").write_text("\n".join(rows) + "\n")


def faces_ids(d: Path):
    make_images(d / "faces", ["p01", "p02", "p03", "p04"], per_class=4, size=(48, 48), fmt="jpeg", seed=110)


def siamese_weights(d: Path):
    faces_ids(d)
    _prep("tfk2", """
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        def embedding_net():
            inp = keras.Input((48, 48, 3))
            x = layers.Rescaling(1.0 / 255)(inp)
            x = layers.Conv2D(16, 3, activation="relu")(x)
            x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(32, 3, activation="relu")(x)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dense(64)(x)
            return keras.Model(inp, x, name="embedding")

        emb = embedding_net()
        a = keras.Input((48, 48, 3), name="anchor")
        b = keras.Input((48, 48, 3), name="other")
        dist = layers.Lambda(lambda t: tf.reduce_sum(tf.square(t[0] - t[1]), axis=1, keepdims=True))([emb(a), emb(b)])
        out = layers.Dense(1, activation="sigmoid")(dist)
        siamese = keras.Model([a, b], out)
        siamese.save_weights("siamese_best.h5")
        """, d)


def kaggle_test(d: Path):
    flowers3(d)
    r = _rng(111)
    for i in range(6):
        _jpg(d / "test" / f"{i:04d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def content_style(d: Path):
    r = _rng(112)
    _jpg(d / "content.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
    _jpg(d / "style.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def cells(d: Path):
    r = _rng(113)
    for i in range(10):
        _png(d / "cells" / "images" / f"cell_{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        _png(d / "cells" / "masks" / f"cell_{i:03d}.png", ((r.random((64, 64)) > 0.6) * 255).astype("uint8"))


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more38-nb-selfie-face-crops-from-tensor-slices-list-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        expect="non-rectangular",
        **notebook([
            """
            import csv
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers
            from PIL import Image

            EMOTIONS = ["happy", "neutral", "sad"]
            rows = list(csv.DictReader(open("{DATA}/selfies/faces.csv")))
            """,
            """
            faces, labels = [], []
            for r in rows:
                img = Image.open("{DATA}/selfies/" + r["file"]).convert("RGB")
                x, y, w, h = (int(r[k]) for k in ("x", "y", "w", "h"))
                face = np.asarray(img.crop((x, y, x + w, y + h)), dtype=np.float32) / 255.0
                faces.append(face)
                labels.append(EMOTIONS.index(r["emotion"]))
            print(len(faces), "faces")
            """,
            """
            train_ds = tf.data.Dataset.from_tensor_slices((faces, labels)).shuffle(16).batch(4)
            model = keras.Sequential([
                layers.Resizing(64, 64, input_shape=(None, None, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=5)
            """,
        ], data=face_boxes),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more38-petfinder-pawpularity-score-floordiv-10-ten-bins-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=pawpularity,
        pty=True,
        expect="outside the valid range",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/petfinder"
        rows = list(csv.DictReader(open(f"{ROOT}/train.csv")))
        paths = [f"{ROOT}/train/{r['Id']}.jpg" for r in rows]
        bins = [int(r["Pawpularity"]) // 10 for r in rows]       # 0-9, 10-19, ... 90-99
        NUM_CLASSES = 10


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)), label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, bins))
                    .shuffle(len(paths), seed=1)
                    .map(load)
                    .batch(4))
        @@CNN@@
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """.replace("@@CNN@@", _cnn()),
    ),
    Case(
        name="keras-more38-nb-to-categorical-num-classes-len-set-ids-with-gap-tfk2",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="tfk2",
        expect="out of bounds",
        **notebook([
            """
            import csv
            import numpy as np
            from tensorflow import keras
            from tensorflow.keras import layers
            from tensorflow.keras.utils import to_categorical
            from PIL import Image

            rows = list(csv.DictReader(open("{DATA}/fish/labels.csv")))
            x = np.stack([np.asarray(Image.open("{DATA}/fish/" + r["file"]), dtype=np.float32) / 255.0 for r in rows])
            y = np.array([int(r["class_id"]) for r in rows])
            num_classes = len(set(y))
            print(x.shape, "classes:", num_classes)
            """,
            """
            y_onehot = to_categorical(y, num_classes=num_classes)
            model = keras.Sequential([
                layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
                layers.GlobalAveragePooling2D(),
                layers.Dense(num_classes, activation="softmax"),
            ])
            model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y_onehot, epochs=5, batch_size=4)
            """,
        ], data=gap_ids),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more38-planet-tags-stringlookup-one-hot-not-multi-hot-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=planet,
        pty=True,
        expect="must have the same rank",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/planet"
        TAGS = ["agriculture", "clear", "cloudy", "haze", "partly_cloudy", "primary", "road", "water"]
        rows = list(csv.DictReader(open(f"{ROOT}/train_v2.csv")))
        paths = [f"{ROOT}/train-jpg/{r['image_name']}.jpg" for r in rows]
        tags = [r["tags"] for r in rows]

        to_vector = layers.StringLookup(vocabulary=TAGS, num_oov_indices=0, output_mode="one_hot")


        def load(path, tag_string):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48)) / 255.0
            return img, to_vector(tf.strings.split(tag_string))


        train_ds = tf.data.Dataset.from_tensor_slices((paths, tags)).map(load).batch(4)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TAGS), activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.BinaryAccuracy()])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more38-road-masks-tf-where-int32-dice-loss-tfk2",
        cause="data.dtype",
        exception="TypeError",
        env="tfk2",
        setup=road_masks,
        pty=True,
        expect="int32",
        code="""
        import glob

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        images = sorted(glob.glob("{DATA}/roads/sat/*_sat.jpg"))
        masks = sorted(glob.glob("{DATA}/roads/mask/*_mask.png"))


        def load(img_path, mask_path):
            img = tf.io.decode_jpeg(tf.io.read_file(img_path), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            mask = tf.where(mask > 127, 1, 0)                  # road = 1, background = 0
            return img, mask


        def dice_loss(y_true, y_pred, smooth=1.0):
            inter = tf.reduce_sum(y_true * y_pred, axis=[1, 2, 3])
            union = tf.reduce_sum(y_true, axis=[1, 2, 3]) + tf.reduce_sum(y_pred, axis=[1, 2, 3])
            return 1.0 - (2.0 * inter + smooth) / (union + smooth)


        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(4)

        inp = keras.Input((64, 64, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m = layers.Concatenate()([u1, c1])
        out = layers.Conv2D(1, 1, activation="sigmoid")(m)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss=dice_loss)
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more38-labels-csv-windows-backslash-paths-read-file-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=windows_csv,
        pty=True,
        expect="NotFoundError",
        code="""
        import csv
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/pets"
        CLASSES = ["cat", "dog"]
        rows = list(csv.DictReader(open(os.path.join(ROOT, "train_labels.csv"))))
        paths = [os.path.join(ROOT, r["path"]) for r in rows]
        labels = [CLASSES.index(r["label"]) for r in rows]
        print(len(paths), "images, e.g.", paths[0])


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)), label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=2)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4)
                    .prefetch(tf.data.AUTOTUNE))
        NUM_CLASSES = len(CLASSES)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """.replace("@@CNN@@", _cnn()),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more38-bottleneck-features-without-pooling-into-1280-head-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=flowers3,
        expect="incompatible",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=6,
                                                            shuffle=False)
        class_names = train_ds.class_names

        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(64, 64, 3))
        base.trainable = False
        preprocess = keras.applications.mobilenet_v2.preprocess_input

        # extract the bottleneck features once, then train a small head on them
        features = np.concatenate([base.predict(preprocess(x), verbose=0) for x, _ in train_ds])
        labels = np.concatenate([y.numpy() for _, y in train_ds])
        np.save("features.npy", features)
        print("features", features.shape)

        head = keras.Sequential([
            keras.Input((1280,)),
            layers.Dropout(0.3),
            layers.Dense(128, activation="relu"),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        head.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        head.fit(features, labels, epochs=20, batch_size=8)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more38-nb-siamese-weights-file-into-embedding-branch-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        expect="mismatch",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers

            def embedding_net():
                inp = keras.Input((48, 48, 3))
                x = layers.Rescaling(1.0 / 255)(inp)
                x = layers.Conv2D(16, 3, activation="relu")(x)
                x = layers.MaxPooling2D()(x)
                x = layers.Conv2D(32, 3, activation="relu")(x)
                x = layers.GlobalAveragePooling2D()(x)
                x = layers.Dense(64)(x)
                return keras.Model(inp, x, name="embedding")
            """,
            """
            # inference: only the embedding branch is needed to index the faces
            embedding = embedding_net()
            embedding.load_weights("{DATA}/siamese_best.h5")
            gallery = keras.utils.image_dataset_from_directory("{DATA}/faces", image_size=(48, 48), batch_size=8,
                                                               shuffle=False)
            vectors = np.concatenate([embedding.predict(x, verbose=0) for x, _ in gallery])
            print(vectors.shape)
            """,
        ], data=siamese_weights),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more38-unlabelled-dir-dataset-fit-with-y-labels-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=unlabelled_scans,
        expect="`y` should not be passed",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        rows = sorted(csv.DictReader(open("{DATA}/scans/labels.csv")), key=lambda r: r["file"])
        labels = np.array([int(r["label"]) for r in rows])

        # the scans are in one folder, the labels in the CSV
        images = keras.utils.image_dataset_from_directory("{DATA}/scans/images", labels=None, image_size=(48, 48),
                                                          batch_size=4, shuffle=False)
        NUM_CLASSES = 2
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(images, y=labels, epochs=5)
        """.replace("@@CNN@@", _cnn()),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more38-unet-repo-keras-layers-merge-concatenate-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=cells,
        expect="keras.layers.merge",
        code="""
        import glob

        import numpy as np
        from PIL import Image
        from keras.models import Model
        from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D
        from keras.layers.merge import concatenate
        from keras.optimizers import Adam


        def unet(input_size=(64, 64, 3)):
            inputs = Input(input_size)
            c1 = Conv2D(16, 3, activation="relu", padding="same")(inputs)
            p1 = MaxPooling2D(pool_size=(2, 2))(c1)
            c2 = Conv2D(32, 3, activation="relu", padding="same")(p1)
            u1 = UpSampling2D(size=(2, 2))(c2)
            m1 = concatenate([c1, u1], axis=3)
            out = Conv2D(1, 1, activation="sigmoid")(m1)
            model = Model(inputs=inputs, outputs=out)
            model.compile(optimizer=Adam(1e-4), loss="binary_crossentropy", metrics=["accuracy"])
            return model


        x = np.array([np.asarray(Image.open(p)) / 255.0 for p in sorted(glob.glob("{DATA}/cells/images/*.png"))])
        y = np.array([np.asarray(Image.open(p))[..., None] / 255.0 for p in sorted(glob.glob("{DATA}/cells/masks/*.png"))])
        model = unet()
        model.fit(x, y, batch_size=2, epochs=5)
        """,
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more38-nb-soft-placement-off-gpu-device-cpu-session-k3",
        cause="env.cuda_setup",
        also=("env.device_mismatch",),
        exception="InvalidArgumentError",
        expect="Could not satisfy device specification",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers

            # make sure nothing silently falls back to the CPU
            tf.config.set_soft_device_placement(False)
            print("GPUs:", tf.config.list_physical_devices("GPU"))
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=6,
                                                                seed=3)
            with tf.device("/GPU:0"):
                model = keras.Sequential([
                    keras.Input((64, 64, 3)),
                    layers.Rescaling(1.0 / 255),
                    layers.Conv2D(16, 3, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                    layers.Dense(3, activation="softmax"),
                ])
                model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
                model.fit(train_ds, epochs=5)
            """,
        ], data=flowers3),
    ),
    # =================================================================== optim.divergence
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more38-style-transfer-image-convert-to-tensor-not-variable-k3",
        cause="optim.autograd_graph",
        also=("model.api_misuse",),
        exception="AttributeError",
        setup=content_style,
        expect="_unique_id",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image


        def load(path):
            return np.asarray(Image.open(path).convert("RGB"), dtype=np.float32)[None] / 255.0


        content = load("{DATA}/content.jpg")
        style = load("{DATA}/style.jpg")

        vgg = keras.applications.VGG19(include_top=False, weights=None, input_shape=(64, 64, 3))
        vgg.trainable = False
        layer_names = ["block1_conv1", "block2_conv1", "block3_conv1"]
        extractor = keras.Model(vgg.input, [vgg.get_layer(n).output for n in layer_names])


        def gram(x):
            r = tf.linalg.einsum("bijc,bijd->bcd", x, x)
            return r / tf.cast(tf.shape(x)[1] * tf.shape(x)[2], tf.float32)


        style_targets = [gram(f) for f in extractor(style * 255.0)]
        content_target = extractor(content * 255.0)[-1]

        image = tf.convert_to_tensor(content)          # start from the content photo
        opt = keras.optimizers.Adam(learning_rate=0.02)

        for step in range(1, 101):
            with tf.GradientTape() as tape:
                tape.watch(image)
                feats = extractor(image * 255.0)
                style_loss = tf.add_n([tf.reduce_mean((gram(f) - t) ** 2) for f, t in zip(feats, style_targets)])
                content_loss = tf.reduce_mean((feats[-1] - content_target) ** 2)
                loss = 1e-2 * style_loss + 1e4 * content_loss
            grad = tape.gradient(loss, image)
            opt.apply_gradients([(grad, image)])
            image = tf.clip_by_value(image, 0.0, 1.0)
            if step % 10 == 0:
                print(f"step {step}: loss {float(loss):.2f}")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more38-kaggle-submission-class-names-indexed-by-probability-row-k3",
        cause="other",
        also=("model.api_misuse",),  # keras_more18's class-names-by-argmax-array case is labelled misuse
        exception="TypeError",
        setup=kaggle_test,
        pty=True,
        expect="only integer scalar arrays",
        code="""
        import csv
        import os

        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6,
                                                            seed=9)
        class_names = train_ds.class_names
        NUM_CLASSES = len(class_names)
        @@CNN@@
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)

        test_files = sorted(os.listdir("{DATA}/test"))
        test_x = np.stack([keras.utils.img_to_array(keras.utils.load_img(os.path.join("{DATA}/test", f),
                                                                          target_size=(48, 48)))
                           for f in test_files])
        preds = model.predict(test_x)

        with open("submission.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "label"])
            for f, p in zip(test_files, preds):
                w.writerow([os.path.splitext(f)[0], class_names[p]])
        print("wrote submission.csv")
        """.replace("@@CNN@@", _cnn()),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
