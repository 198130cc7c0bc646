"""Untargeted held-out Keras / TF 2 image-training failures (g89, scored 0.90 top-1 and 1.00 top-3 before any rule for it) of users who train Keras models
on folders of photos, scans and crops (``model.fit`` on ``image_dataset_from_directory`` and
tf.data pipelines, NumPy arrays loaded with PIL, ``keras.applications`` backbones, custom losses,
metrics and callbacks, saved histories and weight files, notebooks), spread over the cause ids of
the taxonomy as often as users hit each cause:

- image sizes: YOLO-style multi-scale training that draws a random size per image in the tf.data
  map, before ``batch``;
- channels: audio spectrograms written as RGBA PNGs (``plt.imsave``) opened with PIL for an RGB
  CNN (tf_keras);
- labels: dice photos labelled with the face value 1..6 for a six-unit softmax;
- label shapes: ``validation_data=(x_val, y_train)`` (notebook), road masks read back by a
  ``labels=None`` directory dataset at the default ``color_mode="rgb"`` for a one-channel
  sigmoid U-Net;
- dtypes: ``tf.image.rgb_to_yuv`` on the uint8 output of ``decode_jpeg`` +
  ``resize_with_crop_or_pad``;
- files: a labels CSV whose file names carry trailing spaces from a spreadsheet (tf_keras), a
  ``list_files`` glob for ``*.jpg`` over a PNG dataset;
- boxes: Label Studio percent coordinates multiplied by the image size as if they were 0..1;
- model inputs: ``image_size=(IMG_W, IMG_H)`` (PIL order) for a model declared
  ``(IMG_H, IMG_W, 3)`` (tf_keras);
- model outputs: an age regressor's ``Dense(1)`` head left with the classifier's
  ``sparse_categorical_crossentropy`` (tf_keras);
- weights: a hand-downloaded MobileNet (v1) no-top ``.h5`` given to ``MobileNetV2(weights=...)``
  (notebook);
- API: ``.numpy()`` on the path inside a ``Dataset.map`` function, a conv block list multiplied
  by three (the same layer objects three times in a ``Sequential``), a model name with spaces;
- versions: the recall / precision / F1 snippet written with ``keras.backend`` ``K.sum`` /
  ``K.round`` / ``K.clip`` under Keras 3 (notebook);
- host memory: orthophoto patches cut with a stride of 16 px from float64 images and turned
  into one array;
- divergence: raw-pixel SGD whose NaN predictions reach an active-learning entropy sampler
  (notebook);
- gradients: a counting loss that rounds the predicted count;
- plain bugs: a progress callback dividing by ``self.params["steps"]`` for a filtered dataset
  (unknown cardinality), a ``history.history`` dict saved with ``np.save`` and indexed by key
  after ``np.load``.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run
in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label
is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more40.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g89): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more40.py"


# ---------------------------------------------------------------- data helpers
def helmets(d: Path):
    make_images(d / "helmets", ["helmet", "no_helmet"], per_class=8, size=(120, 120), fmt="jpeg", seed=301)


def spectrograms(d: Path):
    r = _rng(302)
    for c in ["dog_bark", "drilling", "siren"]:
        for i in range(6):
            rgba = r.integers(0, 255, size=(64, 64, 4), dtype="uint8")
            rgba[..., 3] = 255                       # plt.imsave writes an opaque alpha band
            _png(d / "spectrograms" / c / f"{c}_{i:03d}.png", rgba, mode="RGBA")


def dice(d: Path):
    r = _rng(303)
    rows = ["file,value"]
    for i in range(24):
        _png(d / "dice" / "images" / f"die_{i:03d}.png", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"die_{i:03d}.png,{i % 6 + 1}")
    (d / "dice" / "labels.csv").write_text("\n".join(rows) + "\n")


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=14, size=(32, 32), fmt="jpeg", seed=304)


def fabric(d: Path):
    make_images(d / "fabric", ["clean", "stained"], per_class=6, size=(80, 80), fmt="jpeg", seed=305)


def bananas(d: Path):
    r = _rng(306)
    rows = ["image,label"]
    for i in range(24):
        _jpg(d / "bananas" / "images" / f"banana_{i:03d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        name = f"banana_{i:03d}.jpg" + ("  " if i in (9, 17) else "")   # typed over in the spreadsheet
        rows.append(f"{name},{['unripe', 'ripe', 'overripe'][i % 3]}")
    (d / "bananas" / "labels.csv").write_text("\n".join(rows) + "\n")


def cells(d: Path):
    make_images(d / "cells", ["parasitized", "uninfected"], per_class=6, size=(40, 40), fmt="png", seed=307)


def label_studio(d: Path):
    r = _rng(308)
    tasks = []
    boxes = [(12.5, 20.0, 30.1, 25.0, "apple"), (55.0, 40.3, 22.4, 31.2, "orange"), (30.2, 10.0, 40.0, 45.5, "pear"),
             (8.0, 50.0, 25.0, 30.0, "apple"), (60.1, 15.5, 20.0, 28.0, "pear"), (40.0, 35.0, 33.3, 30.0, "orange")]
    for i, (x, y, w, h, lab) in enumerate(boxes):
        _jpg(d / "fruit" / "images" / f"img_{i:03d}.jpg", r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))
        tasks.append({
            "id": 100 + i,
            "data": {"image": f"/data/upload/3/{'abcdef'[i]}9f2e{i}1c-img_{i:03d}.jpg"},
            "annotations": [{"id": 200 + i, "result": [{
                "original_width": 320, "original_height": 240, "image_rotation": 0,
                "value": {"x": x, "y": y, "width": w, "height": h, "rotation": 0, "rectanglelabels": [lab]},
                "id": f"r{i}", "from_name": "label", "to_name": "image", "type": "rectanglelabels"}]}],
        })
    (d / "fruit" / "export.json").write_text(json.dumps(tasks, indent=1))


def plates(d: Path):
    make_images(d / "plates", ["de", "fr", "nl"], per_class=6, size=(128, 48), fmt="jpeg", seed=309)


def utk_faces(d: Path):
    r = _rng(310)
    for i in range(24):
        age = int(r.integers(1, 90))
        _jpg(d / "utkface" / f"{age}_{i % 2}_{i % 4}_20170116{i:06d}.jpg.chip.jpg",
             r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))


def pets_and_mobilenet_v1(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(96, 96), fmt="jpeg", seed=311)
    (d / "weights").mkdir()
    _prep("tfk2", """
        from tensorflow import keras
        base = keras.applications.MobileNet(include_top=False, weights=None, input_shape=(224, 224, 3))
        base.save_weights("weights/mobilenet_1_0_224_tf_no_top.h5")
        """, d)


def birds(d: Path):
    make_images(d / "birds", ["crow", "finch", "robin"], per_class=5, size=(64, 64), fmt="jpeg", seed=312)


def leaves(d: Path):
    make_images(d / "leaves", ["healthy", "mildew", "rust"], per_class=6, size=(64, 64), fmt="jpeg", seed=313)


def xrays(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=8, size=(64, 64), fmt="jpeg", seed=314)


def orthophotos(d: Path):
    import numpy as np
    yy, xx = np.mgrid[0:2048, 0:2048]
    for i in range(3):
        img = np.stack([(xx + 40 * i) % 256, (yy + 20 * i) % 256, (xx + yy) % 256], -1).astype("uint8")
        _jpg(d / "ortho" / "tiles" / f"tile_{i}.jpg", img)
        _png(d / "ortho" / "masks" / f"tile_{i}.png", (((xx // 256 + yy // 256 + i) % 2) * 255).astype("uint8"))


def insects(d: Path):
    make_images(d / "insects" / "labelled", ["ant", "bee", "beetle", "wasp"], per_class=12, size=(32, 32),
                fmt="jpeg", seed=315)
    r = _rng(316)
    for i in range(40):
        _jpg(d / "insects" / "pool" / f"trap_{i:04d}.jpg", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))


def seeds(d: Path):
    r = _rng(317)
    rows = ["file,count"]
    for i in range(24):
        _jpg(d / "seeds" / f"tray_{i:03d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"tray_{i:03d}.jpg,{int(r.integers(3, 40))}")
    (d / "seeds" / "counts.csv").write_text("\n".join(rows) + "\n")


def recycling(d: Path):
    make_images(d / "recycling", ["glass", "metal", "other", "paper"], per_class=6, size=(48, 48), fmt="jpeg",
                seed=318)


def cats_dogs_and_baseline(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(48, 48), fmt="jpeg", seed=319)
    (d / "runs" / "baseline").mkdir(parents=True)
    _prep("k3", """
        import numpy as np
        np.save("runs/baseline/history.npy", {
            "accuracy": [0.52, 0.61, 0.66, 0.70, 0.73],
            "loss": [0.69, 0.65, 0.61, 0.57, 0.54],
            "val_accuracy": [0.50, 0.58, 0.63, 0.64, 0.66],
            "val_loss": [0.70, 0.67, 0.64, 0.63, 0.62],
        })
        """, d)


def roads(d: Path):
    r = _rng(320)
    for i in range(8):
        _jpg(d / "roads" / "images" / f"sat_{i:03d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        mask = (r.random((64, 64)) > 0.7).astype("uint8") * 255
        _png(d / "roads" / "masks" / f"sat_{i:03d}.png", mask)


def cats_dogs(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(48, 48), fmt="jpeg", seed=321)


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more40-yolo-style-multiscale-random-size-per-image-before-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=helmets,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        SCALES = [96, 128, 160]          # multi-scale training, as in YOLOv3
        paths = sorted(glob.glob("{DATA}/helmets/*/*.jpg"))
        classes = sorted({p.split("/")[-2] for p in paths})
        labels = [classes.index(p.split("/")[-2]) for p in paths]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            size = tf.gather(SCALES, tf.random.uniform([], 0, len(SCALES), dtype=tf.int32))
            img = tf.image.resize(img, (size, size)) / 255.0
            return img, label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=7)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(classes), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more40-urbansound-spectrogram-pngs-rgba-from-imsave-pil-asarray-tfk2",
        cause="data.image_channels",
        exception="ValueError",
        env="tfk2",
        setup=spectrograms,
        pty=True,
        expect="found shape=(None, 64, 64, 4)",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        from tensorflow import keras
        from tensorflow.keras import layers

        # the PNGs were written by make_spectrograms.py with plt.imsave(path, S_db, cmap="magma")
        ROOT = "{DATA}/spectrograms"
        CLASSES = sorted(os.listdir(ROOT))
        x, y = [], []
        for i, c in enumerate(CLASSES):
            for p in sorted(glob.glob(os.path.join(ROOT, c, "*.png"))):
                x.append(np.asarray(Image.open(p), dtype=np.float32) / 255.0)
                y.append(i)
        x = np.stack(x)
        y = keras.utils.to_categorical(y, len(CLASSES))
        print("spectrograms:", x.shape, "labels:", y.shape)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dropout(0.3),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=15, batch_size=6, validation_split=0.2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more40-dice-face-values-1-to-6-six-unit-softmax-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=dice,
        pty=True,
        expect="outside the valid range of [0, 6)",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 6          # one class per face of the die
        rows = list(csv.DictReader(open("{DATA}/dice/labels.csv")))
        paths = ["{DATA}/dice/images/" + r["file"] for r in rows]
        values = [int(r["value"]) for r in rows]


        def load(path, value):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), value


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, values))
                    .shuffle(len(paths), seed=3)
                    .map(load)
                    .batch(8))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more40-nb-validation-data-x-val-paired-with-y-train-k3",
        cause="data.label_shape",
        exception="ValueError",
        expect="Data cardinality is ambiguous",
        **notebook([
            """
            import glob
            import os
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            CLASSES = sorted(os.listdir("{DATA}/flowers"))
            x, y = [], []
            for i, c in enumerate(CLASSES):
                for p in sorted(glob.glob(f"{DATA}/flowers/{c}/*.jpg")):
                    x.append(np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255.0)
                    y.append(i)
            x, y = np.stack(x), np.array(y)
            idx = np.random.default_rng(0).permutation(len(x))
            x, y = x[idx], y[idx]
            n_train = int(0.8 * len(x))
            x_train, x_val = x[:n_train], x[n_train:]
            y_train, y_val = y[:n_train], y[n_train:]
            print(x_train.shape, x_val.shape)
            """,
            """
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(CLASSES), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            history = model.fit(x_train, y_train, validation_data=(x_val, y_train), epochs=10, batch_size=8,
                                verbose=2)
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more40-road-masks-labels-none-dir-dataset-default-rgb-sigmoid-unet-k3",
        cause="data.label_shape",
        also=("data.image_channels",),
        exception="ValueError",
        setup=roads,
        expect="must have the same shape",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = (64, 64)
        images = keras.utils.image_dataset_from_directory("{DATA}/roads/images", labels=None, image_size=IMG,
                                                          batch_size=4, shuffle=False)
        masks = keras.utils.image_dataset_from_directory("{DATA}/roads/masks", labels=None, image_size=IMG,
                                                         batch_size=4, shuffle=False)
        train_ds = tf.data.Dataset.zip((images.map(lambda x: x / 255.0), masks.map(lambda m: m / 255.0)))

        inp = keras.Input(IMG + (3,))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m1 = layers.Concatenate()([u1, c1])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(m1)
        out = layers.Conv2D(1, 1, activation="sigmoid")(c3)
        unet = keras.Model(inp, out, name="road_unet")
        unet.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        unet.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more40-rgb-to-yuv-on-uint8-crop-or-pad-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=fabric,
        expect="Expected uint8",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        paths = sorted(glob.glob("{DATA}/fabric/*/*.jpg"))
        labels = [int(p.split("/")[-2] == "stained") for p in paths]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize_with_crop_or_pad(img, 64, 64)
            img = tf.image.rgb_to_yuv(img)          # stains show up in the chroma channels
            return img, label


        train_ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(32).map(load).batch(4)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
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
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more40-labels-csv-file-names-with-trailing-spaces-read-file-tfk2",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="tfk2",
        setup=bananas,
        pty=True,
        expect="No such file or directory",
        code="""
        import csv

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/bananas"
        CLASSES = ["unripe", "ripe", "overripe"]
        rows = list(csv.DictReader(open(f"{ROOT}/labels.csv")))
        paths = [f"{ROOT}/images/{r['image']}" for r in rows]
        labels = [CLASSES.index(r["label"]) for r in rows]
        print(f"{len(paths)} images")


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)) / 255.0, label


        train_ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more40-list-files-jpg-glob-over-png-malaria-cells-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=cells,
        expect="No files matched pattern",
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/cells"
        CLASS_NAMES = sorted(os.listdir(DATA_DIR))
        AUTOTUNE = tf.data.AUTOTUNE


        def process_path(path):
            parts = tf.strings.split(path, os.sep)
            label = tf.argmax(tf.cast(parts[-2] == CLASS_NAMES, tf.int32))
            img = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            return tf.image.resize(img, (40, 40)) / 255.0, label


        list_ds = tf.data.Dataset.list_files(f"{DATA_DIR}/*/*.jpg", shuffle=True, seed=1)
        train_ds = list_ds.map(process_path, num_parallel_calls=AUTOTUNE).batch(4).prefetch(AUTOTUNE)

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASS_NAMES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more40-label-studio-percent-boxes-scaled-as-fractions-crop-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=label_studio,
        expect="must be >= target + offset",
        code="""
        import json

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["apple", "orange", "pear"]
        tasks = json.load(open("{DATA}/fruit/export.json"))      # Label Studio "JSON" export
        crops, labels = [], []
        for task in tasks:
            fname = task["data"]["image"].split("/")[-1].split("-", 1)[1]   # uploads are prefixed with a hash
            img = tf.io.decode_jpeg(tf.io.read_file(f"{DATA}/fruit/images/{fname}"), channels=3)
            for r in task["annotations"][0]["result"]:
                v = r["value"]
                W, H = r["original_width"], r["original_height"]
                x, y = int(v["x"] * W), int(v["y"] * H)
                w, h = int(v["width"] * W), int(v["height"] * H)
                crop = tf.image.crop_to_bounding_box(img, y, x, h, w)
                crops.append(tf.image.resize(crop, (64, 64)) / 255.0)
                labels.append(CLASSES.index(v["rectanglelabels"][0]))
        x_train, y_train = np.stack(crops), np.array(labels)
        print("crops:", x_train.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5, batch_size=2)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more40-plate-crops-image-size-width-height-pil-order-tfk2",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        env="tfk2",
        setup=plates,
        pty=True,
        expect="found shape=(None, 128, 48, 3)",
        code="""
        from tensorflow import keras
        from tensorflow.keras import layers

        IMG_W, IMG_H = 128, 48       # licence plate crops are 128 x 48 px
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/plates", image_size=(IMG_W, IMG_H),
                                                            batch_size=6, seed=3)
        class_names = train_ds.class_names
        print("countries:", class_names)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255, input_shape=(IMG_H, IMG_W, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more40-age-regressor-dense-1-kept-sparse-crossentropy-from-classifier-tfk2",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=utk_faces,
        expect="outside the valid range of [0, 1)",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        from tensorflow import keras
        from tensorflow.keras import layers

        # UTKFace file names: [age]_[gender]_[race]_[date&time].jpg.chip.jpg
        paths = sorted(glob.glob("{DATA}/utkface/*.jpg"))
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255.0 for p in paths])
        ages = np.array([int(os.path.basename(p).split("_")[0]) for p in paths], dtype=np.float32)
        print(x.shape, "ages", ages.min(), "-", ages.max())

        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),                                  # predicted age in years
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["mae"])
        model.fit(x, ages, epochs=20, batch_size=8, validation_split=0.25, verbose=2)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more40-nb-mobilenet-v1-notop-h5-downloaded-for-mobilenetv2-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="Layer count mismatch",
        **notebook([
            """
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(96, 96), batch_size=4,
                                                                seed=2)
            class_names = train_ds.class_names
            """,
            """
            # no internet on the lab machine: weights file downloaded by hand from the keras releases page
            WEIGHTS = "{DATA}/weights/mobilenet_1_0_224_tf_no_top.h5"
            base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=WEIGHTS)
            base.trainable = False
            """,
            """
            inputs = keras.Input((96, 96, 3))
            x = keras.applications.mobilenet_v2.preprocess_input(inputs)
            x = base(x, training=False)
            x = layers.GlobalAveragePooling2D()(x)
            outputs = layers.Dense(len(class_names), activation="softmax")(x)
            model = keras.Model(inputs, outputs)
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=3)
            """,
        ], data=pets_and_mobilenet_v1),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more40-map-function-calls-numpy-on-path-tensor-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=birds,
        expect="has no attribute 'numpy'",
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/birds"
        CLASS_NAMES = sorted(os.listdir(DATA_DIR))
        AUTOTUNE = tf.data.AUTOTUNE


        def get_label(path):
            parts = tf.strings.split(path, os.sep)
            return CLASS_NAMES.index(parts[-2].numpy().decode())


        def process_path(path):
            label = get_label(path)
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64)) / 255.0
            return img, label


        list_ds = tf.data.Dataset.list_files(f"{DATA_DIR}/*/*.jpg", shuffle=True, seed=4)
        train_ds = list_ds.map(process_path, num_parallel_calls=AUTOTUNE).batch(4).prefetch(AUTOTUNE)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASS_NAMES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more40-conv-block-list-times-three-same-layer-objects-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        setup=leaves,
        expect="expected axis -1 of input shape to have value",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves", image_size=(64, 64), batch_size=6,
                                                            seed=5)
        num_classes = len(train_ds.class_names)

        conv_block = [
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
        ]
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            *conv_block * 3,                      # three identical conv blocks
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.summary()
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more40-sequential-model-name-with-spaces-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=cats_dogs,
        pty=True,
        expect="is not a valid root scope name",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4,
                                                            seed=6)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="Cats vs Dogs CNN")
        model.summary()
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        model.save("cats_vs_dogs.keras")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more40-nb-recall-precision-f1-metrics-keras-backend-sum-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        expect="has no attribute 'sum'",
        **notebook([
            """
            import keras
            from keras import layers
            from keras import backend as K

            train_ds = keras.utils.image_dataset_from_directory("{DATA}/xray", image_size=(64, 64), batch_size=4,
                                                                label_mode="binary", seed=8)
            """,
            """
            def recall_m(y_true, y_pred):
                true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
                possible_positives = K.sum(K.round(K.clip(y_true, 0, 1)))
                return true_positives / (possible_positives + K.epsilon())

            def precision_m(y_true, y_pred):
                true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
                predicted_positives = K.sum(K.round(K.clip(y_pred, 0, 1)))
                return true_positives / (predicted_positives + K.epsilon())

            def f1_m(y_true, y_pred):
                precision = precision_m(y_true, y_pred)
                recall = recall_m(y_true, y_pred)
                return 2 * ((precision * recall) / (precision + recall + K.epsilon()))
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", f1_m, precision_m, recall_m])
            history = model.fit(train_ds, epochs=5)
            """,
        ], data=xrays),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more40-orthophoto-patches-stride-16-float64-np-array-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=orthophotos,
        as_limit=10 * 1024**3,
        timeout=400,
        expect="Unable to allocate",
        code="""
        import glob
        import os

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        PATCH, STRIDE = 128, 16      # overlapping patches: more training samples
        patches, labels = [], []
        for path in sorted(glob.glob("{DATA}/ortho/tiles/*.jpg")):
            img = np.asarray(Image.open(path)) / 255.0
            mask = np.asarray(Image.open(path.replace("tiles", "masks").replace(".jpg", ".png"))) > 127
            for y in range(0, img.shape[0] - PATCH + 1, STRIDE):
                for x in range(0, img.shape[1] - PATCH + 1, STRIDE):
                    patches.append(img[y:y + PATCH, x:x + PATCH])
                    labels.append(int(mask[y:y + PATCH, x:x + PATCH].mean() > 0.5))
            print(os.path.basename(path), len(patches), "patches so far")

        x_train = np.array(patches)
        y_train = np.array(labels)

        model = keras.Sequential([
            keras.Input((PATCH, PATCH, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5, batch_size=64)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more40-nb-active-learning-entropy-sampling-nan-predictions-k3",
        cause="optim.divergence",
        exception="ValueError",
        expect="Probabilities contain NaN",
        **notebook([
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory("{DATA}/insects/labelled", image_size=(32, 32),
                                                                batch_size=8, seed=9)
            class_names = train_ds.class_names
            pool_paths = sorted(glob.glob("{DATA}/insects/pool/*.jpg"))
            pool = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) for p in pool_paths])
            print(len(pool_paths), "unlabelled trap photos")
            """,
            """
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(16, 3),
                layers.Conv2D(16, 3),
                layers.Flatten(),
                layers.Dense(64),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.compile(keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), "sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            model.fit(train_ds, epochs=3, verbose=2)
            """,
            """
            # round 2 of labelling: sample the trap photos the model is least sure about
            probs = model.predict(pool, verbose=0)
            entropy = -(probs * np.log(probs + 1e-9)).sum(axis=1)
            rng = np.random.default_rng(0)
            to_label = rng.choice(len(pool_paths), size=10, replace=False, p=entropy / entropy.sum())
            for i in to_label:
                print(pool_paths[i], f"{entropy[i]:.3f}")
            """,
        ], data=insects),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more40-seed-counting-loss-rounds-predicted-count-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=seeds,
        pty=True,
        expect="No gradients provided for any variable",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        rows = list(csv.DictReader(open("{DATA}/seeds/counts.csv")))
        paths = ["{DATA}/seeds/" + r["file"] for r in rows]
        counts = [float(r["count"]) for r in rows]


        def load(path, count):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), count


        train_ds = tf.data.Dataset.from_tensor_slices((paths, counts)).map(load).shuffle(24).batch(4)


        def count_loss(y_true, y_pred):
            # a tray holds a whole number of seeds: score the rounded count
            return tf.reduce_mean(tf.abs(tf.round(y_pred[:, 0]) - y_true))


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="relu"),
        ])
        model.compile(optimizer="adam", loss=count_loss, metrics=["mae"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more40-progress-callback-params-steps-none-filtered-dataset-k3",
        cause="other",
        exception="TypeError",
        setup=recycling,
        pty=True,
        expect="unsupported operand type(s) for /: 'int' and 'NoneType'",
        code="""
        import time

        import tensorflow as tf
        import keras
        from keras import layers

        ds = keras.utils.image_dataset_from_directory("{DATA}/recycling", image_size=(48, 48), batch_size=None,
                                                      seed=10)
        class_names = ds.class_names
        OTHER = class_names.index("other")
        # drop the catch-all "other" class and re-number the rest
        train_ds = ds.filter(lambda x, y: y != OTHER).map(lambda x, y: (x, tf.where(y > OTHER, y - 1, y))).batch(4)


        class ProgressFile(keras.callbacks.Callback):
            # writes the progress of the epoch for the dashboard on the lab screen
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.time()

            def on_train_batch_end(self, batch, logs=None):
                done = (batch + 1) / self.params["steps"]
                with open("progress.txt", "w") as f:
                    f.write(f"{100 * done:.0f}% ({time.time() - self.start:.0f}s)\\n")


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names) - 1, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5, callbacks=[ProgressFile()])
        """,
    ),
    Case(
        name="keras-more40-history-dict-np-save-then-indexed-by-key-after-np-load-k3",
        cause="other",
        exception="IndexError",
        setup=cats_dogs_and_baseline,
        expect="only integers, slices",
        code="""
        import os

        import numpy as np
        import keras
        from keras import layers

        RUN = "runs/augmented"
        train_ds, val_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4,
                                                                    validation_split=0.25, subset="both", seed=11)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.RandomFlip("horizontal"),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        history = model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=2)
        os.makedirs(RUN, exist_ok=True)
        np.save(f"{RUN}/history.npy", history.history)

        # compare with the run without augmentation
        baseline = np.load("{DATA}/runs/baseline/history.npy", allow_pickle=True)
        print(f"baseline  best val_accuracy {max(baseline['val_accuracy']):.3f}")
        print(f"augmented best val_accuracy {max(history.history['val_accuracy']):.3f}")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
