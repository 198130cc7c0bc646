"""Untargeted held-out Keras / TF 2 training failures (g97, scored 0.82 top-1 and 0.91 top-3 before any rule for it) of Colab and Kaggle notebook users:
IPython cells run in order and sometimes re-run out of order after an edit, datasets unpacked with
``!unzip`` from a competition or Roboflow zip, photos fetched from the web with ``wget``, labels in a
competition's ``train.csv``, ``keras.applications`` backbones (``weights=None``: nothing is
downloaded), ``model.fit`` on ``image_dataset_from_directory`` / tf.data / NumPy arrays, saved
``.weights.h5`` / ``.keras`` files reloaded in an inference notebook and one photo predicted, spread
over the cause ids of the taxonomy:

- image sizes: Intel scene photos "all 150 x 150" (three are not) turned into one ``np.array``;
- channels: Carvana masks, which are GIFs, read with ``decode_png(channels=1)`` in the U-Net pipeline;
- boxes: a Roboflow YOLOv8 export whose polygon-tool objects are written as segmentation rows,
  read with ``np.loadtxt``;
- labels: the ``y = y - 1`` cell (competition labels 1..4) run twice;
- label shapes: the train / validation split cell re-run after the label split cell (x and y no
  longer line up), Bengali.AI targets keyed by the CSV column names for outputs named
  ``root`` / ``vowel`` / ``consonant``;
- dtypes: a Sobel-edge channel computed on the decoded uint8 photo of a crack-detection set;
- files: the Keras tutorial's PetImages zip with the corrupted-image filter cell skipped (tf_keras),
  photos fetched with ``wget`` that kept their URL query strings in the file names;
- model inputs: ``IMG_SIZE`` edited and the model cell re-run, the dataset cell not;
- model outputs: ``EfficientNetB0(include_top=False, pooling="avg", classes=5)`` used as the whole
  classifier;
- weights: an inference notebook that rebuilds the VGG16 transfer model as one flat functional
  graph and loads the ``.weights.h5`` of the training notebook's ``Sequential([.., base, ..])``;
- API: ``load_img`` given the image URL from the TF tutorial without ``get_file``;
- versions: ``from keras.utils.vis_utils import plot_model``, ``layer.output_shape`` in an
  activation-visualisation cell (Keras 3);
- divergence: a house-price CNN fitted on raw dollar prices, re-run after
  ``tf.debugging.enable_check_numerics()``;
- gradients: a quadratic weighted kappa loss (APTOS) built from ``argmax`` + ``confusion_matrix``;
- host memory: a 512 px competition model with ``Flatten`` into ``Dense(512)`` on a CPU session;
- workers: a resize helper defined in the notebook handed to a ``spawn`` ``ProcessPoolExecutor``;
- GPU setup: a captcha CRNN with ``CuDNNLSTM`` run in a session that fell back to CPU (tf_keras);
- distribution: the imbalanced-data tutorial's ``METRICS`` list created before
  ``MirroredStrategy().scope()`` on a "2 x T4" notebook (tf_keras);
- plain bugs: an EDA cell that named the class list ``list``.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); notebook cells run in a real IPython shell (``!unzip`` / ``!ls`` run
through it), scripts (Kaggle script kernels) and scripts under a terminal (progress bars).
``flow_from_dataframe`` and history plots are left out: the TF environments have neither pandas nor
matplotlib.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more43.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g97): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""
import shutil
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more43.py"


# ---------------------------------------------------------------- data helpers
def _zip_folder(build: Path, zip_path: Path):
    """Zip everything under `build` (paths relative to it) into `zip_path`, then remove `build`."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(build.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(build).as_posix())
    shutil.rmtree(build)


def intel_zip(d: Path):
    """Kaggle Intel Image Classification layout (seg_train/seg_train/<class>/<id>.jpg): 150 x 150,
    except three scenes that are 150 wide and shorter, as in the real set."""
    r = _rng(4301)
    build = d / "_intel"
    classes = ["buildings", "forest", "glacier", "mountain", "sea", "street"]
    odd = {("glacier", 5): (113, 150), ("sea", 2): (124, 150), ("street", 6): (136, 150)}  # (h, w)
    k = 0
    for c in classes:
        for i in range(8):
            h, w = odd.get((c, i), (150, 150))
            _jpg(build / "seg_train" / "seg_train" / c / f"{10003 + 37 * k}.jpg",
                 r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
            k += 1
    _zip_folder(build, d / "intel-image-classification.zip")


def carvana(d: Path):
    """Carvana layout: train/<car>_<view>.jpg and train_masks/<car>_<view>_mask.gif (palette GIFs)."""
    import numpy as np
    from PIL import Image

    r = _rng(4302)
    yy, xx = np.mgrid[0:80, 0:120]
    for i in range(12):
        name = f"{'0cdf5b5d0ce1' if i < 6 else '11acc40dc0ea'}_{i % 6 + 1:02d}"
        _jpg(d / "carvana" / "train" / f"{name}.jpg", r.integers(0, 255, size=(80, 120, 3), dtype="uint8"))
        car = (((yy - 45) / 25.0) ** 2 + ((xx - 60) / (40.0 + i)) ** 2) < 1
        p = d / "carvana" / "train_masks" / f"{name}_mask.gif"
        p.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray((car * 255).astype("uint8")).convert("P").save(p)


def roboflow_zip(d: Path):
    """A Roboflow "YOLOv8" export: train/images, train/labels, data.yaml. Objects drawn with the
    polygon tool are exported as segmentation rows (class x1 y1 x2 y2 ...)."""
    r = _rng(4303)
    build = d / "_rf"
    (build / "train" / "images").mkdir(parents=True)
    (build / "train" / "labels").mkdir(parents=True)
    (build / "data.yaml").write_text(
        "train: ../train/images\nval: ../valid/images\ntest: ../test/images\n\nnc: 3\n"
        "names: ['head', 'helmet', 'person']\n\nroboflow:\n  workspace: safety-ws\n"
        "  project: hard-hat-workers\n  version: 2\n  license: CC BY 4.0\n"
        "  url: https://universe.roboflow.com/safety-ws/hard-hat-workers/dataset/2\n")
    for i in range(14):
        stem = f"img_{i:04d}_jpg.rf.{r.integers(16**7, 16**8):08x}{r.integers(16**7, 16**8):08x}"
        _jpg(build / "train" / "images" / f"{stem}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        rows = []
        for k in range(1 + i % 2):
            cx, cy = r.uniform(0.25, 0.75, size=2)
            w, h = r.uniform(0.1, 0.3, size=2)
            rows.append(f"{(i + k) % 3} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
        if i in (4, 9):   # a helmet traced with the polygon tool
            cx, cy = r.uniform(0.3, 0.7, size=2)
            pts = []
            for a in range(4):
                pts += [cx + 0.08 * (-1) ** (a // 2), cy + 0.06 * (-1) ** ((a + 1) // 2)]
            rows.append("1 " + " ".join(f"{v:.6f}" for v in pts))
        (build / "train" / "labels" / f"{stem}.txt").write_text("\n".join(rows) + "\n")
    _zip_folder(build, d / "Hard-Hat-Workers.v2i.yolov8.zip")


def leaf_competition(d: Path):
    """A competition folder: train.csv (image_id,label with labels 1..4) + train_images/."""
    r = _rng(4304)
    rows = ["image_id,label"]
    for i in range(40):
        iid = f"train_{i:04d}"
        _jpg(d / "leaf-disease" / "train_images" / f"{iid}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"{iid},{1 + i % 4}")
    (d / "leaf-disease" / "train.csv").write_text("\n".join(rows) + "\n")


def recycling(d: Path):
    make_images(d / "recycling", ["cardboard", "glass", "metal", "paper", "plastic"], per_class=8, size=(48, 48),
                fmt="jpeg", seed=4305)


def concrete(d: Path):
    make_images(d / "concrete", ["Negative", "Positive"], per_class=10, size=(80, 80), fmt="jpeg", seed=4306)


def petimages_zip(d: Path):
    """The Kaggle / Microsoft cats-vs-dogs zip (PetImages/Cat, PetImages/Dog), with a few files
    that are not images at all (the tutorial's filter cell deletes them) and a Thumbs.db."""
    r = _rng(4307)
    build = d / "_pets"
    for c in ("Cat", "Dog"):
        for i in range(14):
            _jpg(build / "PetImages" / c / f"{i * 97 + 5}.jpg", r.integers(0, 255, size=(72, 72, 3), dtype="uint8"))
        (build / "PetImages" / c / "Thumbs.db").write_bytes(bytes(r.integers(0, 255, size=2048, dtype="uint8")))
    (build / "PetImages" / "Dog" / "11702.jpg").write_bytes(bytes(r.integers(0, 255, size=4096, dtype="uint8")))
    (build / "PetImages" / "Cat" / "10404.jpg").write_bytes(bytes(r.integers(0, 255, size=6000, dtype="uint8")))
    _zip_folder(build, d / "kagglecatsanddogs_5340.zip")


def flowers(d: Path):
    make_images(d / "flower_photos", ["daisy", "roses", "sunflowers"], per_class=6, size=(120, 120), fmt="jpeg",
                seed=4308)


def bengali(d: Path):
    r = _rng(4309)
    rows = ["image_id,grapheme_root,vowel_diacritic,consonant_diacritic,grapheme"]
    glyphs = ["ক্ট্রো", "ত্তা", "ম্মি", "বা", "শ্চ", "র্দ্রা"]
    for i in range(48):
        iid = f"Train_{i}"
        _png(d / "bengaliai" / "train_images" / f"{iid}.png", r.integers(0, 255, size=(32, 56), dtype="uint8"))
        rows.append(f"{iid},{int(r.integers(0, 168))},{int(r.integers(0, 11))},{int(r.integers(0, 7))},"
                    f"{glyphs[i % len(glyphs)]}")
    (d / "bengaliai" / "train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def fruits_and_weights(d: Path):
    make_images(d / "fruits_test", ["apple", "banana", "kiwi", "mango", "orange"], per_class=2, size=(90, 90),
                fmt="jpeg", seed=4310)
    (d / "models").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        IMG = 64
        base = keras.applications.VGG16(include_top=False, weights=None, input_shape=(IMG, IMG, 3))
        base.trainable = False
        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Rescaling(1.0 / 255),
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(5, activation="softmax"),
        ])
        model.save_weights("models/fruits_vgg16.weights.h5")
        """, d)


def flowers_model(d: Path):
    (d / "saved").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(5),
        ])
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.save("saved/flowers_cnn.keras")
        """, d)


def houses(d: Path):
    """Ahmed & Moustafa-style houses dataset: <n>_frontal.jpg + HousesInfo.txt
    (bedrooms bathrooms area zipcode price)."""
    r = _rng(4311)
    lines = []
    for i in range(1, 33):
        _jpg(d / "Houses Dataset" / f"{i}_frontal.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        beds, baths = int(r.integers(2, 6)), float(r.integers(2, 8)) / 2
        area = int(r.integers(900, 4200))
        price = int(r.integers(120, 980)) * 1000 + int(r.integers(0, 999))
        lines.append(f"{beds} {baths} {area} {int(r.choice([85255, 92276, 93510, 94501]))} {price}")
    (d / "Houses Dataset" / "HousesInfo.txt").write_text("\n".join(lines) + "\n")


def aptos(d: Path):
    r = _rng(4312)
    rows = ["id_code,diagnosis"]
    for i in range(40):
        code = f"{int(r.integers(16**11, 16**12)):012x}"
        _png(d / "aptos2019" / "train_images" / f"{code}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"{code},{[0, 0, 2, 1, 0, 3, 2, 4][i % 8]}")
    (d / "aptos2019" / "train.csv").write_text("\n".join(rows) + "\n")


def plant_pathology(d: Path):
    make_images(d / "plant-pathology" / "train", ["healthy", "multiple_diseases", "rust", "scab"], per_class=4,
                size=(96, 64), fmt="jpeg", seed=4313)


def raw_photos(d: Path):
    r = _rng(4314)
    for i in range(16):
        _jpg(d / "raw_photos" / f"IMG_{20230611 + i}.jpg", r.integers(0, 255, size=(180, 240, 3), dtype="uint8"))


def captchas(d: Path):
    r = _rng(4315)
    chars = "2345678bcdefgmnpwxy"
    for i in range(24):
        text = "".join(chars[int(k)] for k in r.integers(0, len(chars), size=5))
        _png(d / "captcha_images_v2" / f"{text}.png", r.integers(0, 255, size=(32, 96), dtype="uint8"))


def weather(d: Path):
    make_images(d / "weather", ["cloudy", "rain", "shine", "sunrise"], per_class=6, size=(64, 64), fmt="jpeg",
                seed=4316)


def wget_flowers(d: Path):
    """Photos fetched with `wget -i urls.txt`: wget keeps the URL's query string in the file name."""
    from PIL import Image

    r = _rng(4317)
    (d / "urls").mkdir()
    for c in ("daisy", "roses", "tulips"):
        urls = []
        for i in range(6):
            if i % 2:
                name = f"photo-{int(r.integers(10**12, 10**13))}-{int(r.integers(16**11, 16**12)):012x}"
                query = "ixlib=rb-4.0.3&auto=format&fit=crop&w=640&q=80"
                urls.append(f"https://images.unsplash.com/{name}?{query}")
            else:
                name = f"{c}-{int(r.integers(10**6, 10**7))}.jpg"
                query = "auto=compress&cs=tinysrgb&w=640"
                urls.append(f"https://images.pexels.com/photos/{int(r.integers(10**6, 10**7))}/{name}?{query}")
            p = d / "flowers" / c / f"{name}?{query}"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(r.integers(0, 255, size=(64, 64, 3), dtype="uint8")).save(p, format="JPEG", quality=90)
        (d / "urls" / f"{c}.txt").write_text("\n".join(urls) + "\n")


def cassava(d: Path):
    make_images(d / "cassava" / "train", ["cbb", "cbsd", "cgm", "cmd", "healthy"], per_class=4, size=(64, 64),
                fmt="jpeg", seed=4318)


def melanoma(d: Path):
    make_images(d / "melanoma" / "train", ["benign", "malignant"], per_class=12, size=(48, 48), fmt="jpeg",
                seed=4319)


def cats_dogs_small(d: Path):
    make_images(d / "cats_and_dogs_filtered" / "train", ["cats", "dogs"], per_class=8, size=(80, 80), fmt="jpeg",
                seed=4320)


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more43-nb-intel-scenes-assumed-150px-three-shorter-np-array-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        expect="inhomogeneous",
        **notebook([
            """
            !unzip -q {DATA}/intel-image-classification.zip -d intel
            """,
            """
            import os
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            TRAIN_DIR = "intel/seg_train/seg_train"
            class_names = sorted(os.listdir(TRAIN_DIR))
            print(class_names)
            """,
            """
            images, labels = [], []
            for label, name in enumerate(class_names):
                for fname in sorted(os.listdir(os.path.join(TRAIN_DIR, name))):
                    img = Image.open(os.path.join(TRAIN_DIR, name, fname))
                    images.append(np.asarray(img))        # the dataset card says every scene is 150 x 150
                    labels.append(label)

            x_train = np.array(images, dtype="float32") / 255.0
            y_train = np.array(labels)
            print(x_train.shape, y_train.shape)
            """,
            """
            model = keras.Sequential([
                keras.Input((150, 150, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x_train, y_train, validation_split=0.2, epochs=10, batch_size=16)
            """,
        ], data=intel_zip),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more43-nb-carvana-gif-masks-decode-png-channels-1-unet-k3",
        cause="data.image_channels",
        also=("data.missing_or_corrupt",),
        exception="InvalidArgumentError",
        expect="channels must be 0 or 3 for GIF",
        **notebook([
            """
            import glob
            import tensorflow as tf
            import keras
            from keras import layers

            IMG_H, IMG_W = 64, 96
            images = sorted(glob.glob("{DATA}/carvana/train/*.jpg"))
            masks = [p.replace("/train/", "/train_masks/").replace(".jpg", "_mask.gif") for p in images]
            print(len(images), "images,", len(masks), "masks")
            """,
            """
            def load_pair(image_path, mask_path):
                image = tf.io.decode_jpeg(tf.io.read_file(image_path), channels=3)
                image = tf.image.resize(image, (IMG_H, IMG_W)) / 255.0
                mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
                mask = tf.image.resize(mask, (IMG_H, IMG_W), method="nearest")
                return image, tf.cast(mask > 127, tf.float32)


            train_ds = (tf.data.Dataset.from_tensor_slices((images, masks))
                        .shuffle(len(images), seed=7)
                        .map(load_pair, num_parallel_calls=tf.data.AUTOTUNE)
                        .batch(4)
                        .prefetch(tf.data.AUTOTUNE))
            """,
            """
            def conv_block(x, filters):
                x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
                return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)


            inputs = keras.Input((IMG_H, IMG_W, 3))
            c1 = conv_block(inputs, 16)
            p1 = layers.MaxPooling2D()(c1)
            c2 = conv_block(p1, 32)
            p2 = layers.MaxPooling2D()(c2)
            b = conv_block(p2, 64)
            u2 = layers.Concatenate()([layers.UpSampling2D()(b), c2])
            c3 = conv_block(u2, 32)
            u1 = layers.Concatenate()([layers.UpSampling2D()(c3), c1])
            c4 = conv_block(u1, 16)
            outputs = layers.Conv2D(1, 1, activation="sigmoid")(c4)
            unet = keras.Model(inputs, outputs)
            unet.compile(optimizer="adam", loss="binary_crossentropy",
                         metrics=[keras.metrics.BinaryIoU(target_class_ids=[1], name="iou")])
            """,
            """
            history = unet.fit(train_ds, epochs=5)
            """,
        ], data=carvana),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more43-nb-roboflow-yolov8-export-polygon-rows-np-loadtxt-k3",
        cause="data.bbox_invalid",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        expect="number of columns changed",
        **notebook([
            """
            !unzip -q {DATA}/Hard-Hat-Workers.v2i.yolov8.zip -d hardhat
            !cat hardhat/data.yaml
            """,
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            IMG = 96
            CLASSES = ["head", "helmet", "person"]
            image_paths = sorted(glob.glob("hardhat/train/images/*.jpg"))
            print(len(image_paths), "training images")
            """,
            """
            x, y_cls, y_box = [], [], []
            for p in image_paths:
                label_path = p.replace("/images/", "/labels/").rsplit(".", 1)[0] + ".txt"
                rows = np.loadtxt(label_path, ndmin=2)        # class cx cy w h (normalised)
                cls, cx, cy, w, h = rows[0]                     # first model: one object per image
                x.append(np.asarray(Image.open(p).convert("RGB").resize((IMG, IMG)), dtype="float32") / 255.0)
                y_cls.append(int(cls))
                y_box.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])

            x = np.stack(x)
            y_cls = np.array(y_cls)
            y_box = np.array(y_box, dtype="float32")
            print(x.shape, y_cls.shape, y_box.shape)
            """,
            """
            inputs = keras.Input((IMG, IMG, 3))
            h = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
            h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
            h = layers.GlobalAveragePooling2D()(h)
            model = keras.Model(inputs, {
                "cls": layers.Dense(len(CLASSES), activation="softmax", name="cls")(h),
                "box": layers.Dense(4, activation="sigmoid", name="box")(h),
            })
            model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "box": "mse"})
            model.fit(x, {"cls": y_cls, "box": y_box}, epochs=10, batch_size=8)
            """,
        ], data=roboflow_zip),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more43-nb-labels-minus-one-cell-run-twice-sparse-ce-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        expect="Received a label value of -1",
        **notebook([
            """
            import csv
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            COMP = "{DATA}/leaf-disease"
            rows = list(csv.DictReader(open(f"{COMP}/train.csv")))
            x = np.stack([np.asarray(Image.open(f"{COMP}/train_images/{r['image_id']}.jpg"), np.float32) / 255.0
                          for r in rows])
            y = np.array([int(r["label"]) for r in rows])
            print(x.shape, y[:8])
            """,
            """
            # the competition labels go from 1 to 4; Keras wants 0..3
            y = y - 1
            print(y.min(), y.max())
            """,
            """
            # the competition labels go from 1 to 4; Keras wants 0..3
            y = y - 1
            print(y.min(), y.max())
            """,
            """
            NUM_CLASSES = 4
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(NUM_CLASSES, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            history = model.fit(x, y, validation_split=0.2, epochs=10, batch_size=8)
            """,
        ], data=leaf_competition),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more43-nb-val-split-cell-edited-and-rerun-after-label-split-k3",
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

            DATA_DIR = "{DATA}/recycling"
            class_names = sorted(os.listdir(DATA_DIR))
            paths = sorted(glob.glob(f"{DATA_DIR}/*/*.jpg"))
            np.random.default_rng(42).shuffle(paths)
            x_train = np.stack([np.asarray(Image.open(p), np.float32) / 255.0 for p in paths])
            y_train = np.array([class_names.index(os.path.basename(os.path.dirname(p))) for p in paths])
            print(x_train.shape, y_train.shape)
            """,
            """
            n_val = len(x_train) // 5
            x_val, x_train = x_train[:n_val], x_train[n_val:]
            """,
            """
            y_val, y_train = y_train[:n_val], y_train[n_val:]
            """,
            """
            n_val = len(x_train) // 5
            x_val, x_train = x_train[:n_val], x_train[n_val:]
            print("train:", x_train.shape, "val:", x_val.shape)
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dropout(0.2),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=15, batch_size=8)
            """,
        ], data=recycling),
    ),
    Case(
        name="keras-more43-bengali-three-heads-targets-keyed-by-csv-columns-k3",
        cause="data.label_shape",
        also=("model.output_mismatch", "model.api_misuse"),
        exception="TypeError",
        setup=bengali,
        expect="grapheme_root",
        code="""
        import csv

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        HEIGHT, WIDTH = 32, 56
        TARGETS = ["grapheme_root", "vowel_diacritic", "consonant_diacritic"]

        rows = list(csv.DictReader(open("{DATA}/bengaliai/train.csv", encoding="utf-8")))
        x = np.stack([np.asarray(Image.open(f"{DATA}/bengaliai/train_images/{r['image_id']}.png"), np.float32)
                      for r in rows])[..., None] / 255.0
        y = {t: np.array([int(r[t]) for r in rows]) for t in TARGETS}
        print("images:", x.shape, {t: v.shape for t, v in y.items()})

        inputs = keras.Input((HEIGHT, WIDTH, 1))
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        h = layers.BatchNormalization()(h)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(64, 3, padding="same", activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        h = layers.Dense(128, activation="relu")(h)
        root = layers.Dense(168, activation="softmax", name="root")(h)
        vowel = layers.Dense(11, activation="softmax", name="vowel")(h)
        consonant = layers.Dense(7, activation="softmax", name="consonant")(h)
        model = keras.Model(inputs, [root, vowel, consonant])

        model.compile(optimizer="adam",
                      loss={"root": "sparse_categorical_crossentropy",
                            "vowel": "sparse_categorical_crossentropy",
                            "consonant": "sparse_categorical_crossentropy"},
                      loss_weights={"root": 0.5, "vowel": 0.25, "consonant": 0.25},
                      metrics={"root": "accuracy", "vowel": "accuracy", "consonant": "accuracy"})
        model.fit(x, y, batch_size=16, epochs=5, validation_split=0.1)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more43-crack-detection-sobel-edge-channel-on-decoded-uint8-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=concrete,
        script="train_cracks.py",
        expect="uint8",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        paths = sorted(glob.glob("{DATA}/concrete/*/*.jpg"))
        labels = [1 if "/Positive/" in p else 0 for p in paths]
        print(f"{len(paths)} images, {sum(labels)} with cracks")


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            # cracks are thin dark lines: give the network a Sobel edge-magnitude channel as well
            gray = tf.image.rgb_to_grayscale(img)
            edges = tf.image.sobel_edges(gray[tf.newaxis])[0]        # (H, W, 1, 2): dy, dx
            magnitude = tf.norm(edges, axis=-1)
            x = tf.concat([tf.cast(img, tf.float32) / 255.0, magnitude / 255.0], axis=-1)
            return tf.image.resize(x, (IMG, IMG)), label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths), seed=3)
                    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(16)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((IMG, IMG, 4)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more43-nb-petimages-tutorial-corrupt-filter-cell-skipped-tfk2",
        cause="data.missing_or_corrupt",
        env="tfk2",
        exception="InvalidArgumentError",
        expect="Unknown image file format",
        **notebook([
            """
            !unzip -q {DATA}/kagglecatsanddogs_5340.zip
            !ls PetImages
            """,
            """
            import os
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers

            image_size = (64, 64)
            batch_size = 8

            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                "PetImages",
                validation_split=0.2,
                subset="both",
                seed=1337,
                image_size=image_size,
                batch_size=batch_size,
            )
            """,
            """
            data_augmentation_layers = [
                layers.RandomFlip("horizontal"),
                layers.RandomRotation(0.1),
            ]


            def data_augmentation(images):
                for layer in data_augmentation_layers:
                    images = layer(images)
                return images


            train_ds = train_ds.map(lambda img, label: (data_augmentation(img), label),
                                    num_parallel_calls=tf.data.AUTOTUNE)
            train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
            val_ds = val_ds.prefetch(tf.data.AUTOTUNE)
            """,
            """
            def make_model(input_shape, num_classes):
                inputs = keras.Input(shape=input_shape)
                x = layers.Rescaling(1.0 / 255)(inputs)
                x = layers.Conv2D(32, 3, strides=2, padding="same")(x)
                x = layers.BatchNormalization()(x)
                x = layers.Activation("relu")(x)
                for size in [64, 128]:
                    x = layers.SeparableConv2D(size, 3, padding="same")(x)
                    x = layers.BatchNormalization()(x)
                    x = layers.Activation("relu")(x)
                    x = layers.MaxPooling2D(3, strides=2, padding="same")(x)
                x = layers.GlobalAveragePooling2D()(x)
                x = layers.Dropout(0.25)(x)
                outputs = layers.Dense(1, activation=None)(x)
                return keras.Model(inputs, outputs)


            model = make_model(input_shape=image_size + (3,), num_classes=2)
            """,
            """
            epochs = 3
            callbacks = [keras.callbacks.ModelCheckpoint("save_at_{epoch}.keras")]
            model.compile(
                optimizer=keras.optimizers.Adam(3e-4),
                loss=keras.losses.BinaryCrossentropy(from_logits=True),
                metrics=[keras.metrics.BinaryAccuracy(name="acc")],
            )
            model.fit(train_ds, epochs=epochs, callbacks=callbacks, validation_data=val_ds)
            """,
        ], data=petimages_zip),
    ),
    Case(
        name="keras-more43-nb-wget-photos-keep-url-query-string-no-images-found-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        expect="No images found in directory",
        **notebook([
            """
            # the photos were fetched earlier with:  !wget -q -i urls/<class>.txt -P flowers/<class>
            !head -n 2 {DATA}/urls/roses.txt
            !ls {DATA}/flowers/roses | head -n 3
            """,
            """
            import tensorflow as tf
            import keras
            from keras import layers

            IMG_SIZE = (128, 128)
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", validation_split=0.2, subset="training", seed=123,
                image_size=IMG_SIZE, batch_size=8)
            val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flowers", validation_split=0.2, subset="validation", seed=123,
                image_size=IMG_SIZE, batch_size=8)
            class_names = train_ds.class_names
            print(class_names)
            """,
        ], data=wget_flowers),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more43-nb-img-size-edited-model-cell-rerun-dataset-cell-not-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        expect="is incompatible with the layer",
        **notebook([
            """
            IMG_SIZE = 96
            BATCH_SIZE = 8
            """,
            """
            import tensorflow as tf
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/flower_photos", image_size=(IMG_SIZE, IMG_SIZE), batch_size=BATCH_SIZE, seed=1)
            class_names = train_ds.class_names
            """,
            """
            base = keras.applications.MobileNetV2(input_shape=(IMG_SIZE, IMG_SIZE, 3), include_top=False,
                                                  weights=None, alpha=0.35)
            inputs = keras.Input((IMG_SIZE, IMG_SIZE, 3))
            x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
            x = base(x)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dropout(0.2)(x)
            outputs = layers.Dense(len(class_names), activation="softmax")(x)
            model = keras.Model(inputs, outputs)
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            """,
            """
            history = model.fit(train_ds, epochs=1)
            """,
            """
            IMG_SIZE = 128          # a bit more resolution should help with the small flowers
            BATCH_SIZE = 8
            """,
            """
            base = keras.applications.MobileNetV2(input_shape=(IMG_SIZE, IMG_SIZE, 3), include_top=False,
                                                  weights=None, alpha=0.35)
            inputs = keras.Input((IMG_SIZE, IMG_SIZE, 3))
            x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
            x = base(x)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dropout(0.2)(x)
            outputs = layers.Dense(len(class_names), activation="softmax")(x)
            model = keras.Model(inputs, outputs)
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            """,
            """
            history = model.fit(train_ds, epochs=1)
            """,
        ], data=flowers),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more43-efficientnetb0-include-top-false-pooling-avg-classes-5-as-classifier-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=cassava,
        pty=True,
        expect="1280",
        code="""
        import tensorflow as tf
        import keras

        IMG_SIZE = 64
        NUM_CLASSES = 5

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/cassava/train", label_mode="categorical", image_size=(IMG_SIZE, IMG_SIZE), batch_size=8,
            seed=11)

        # classes=NUM_CLASSES gives the backbone our number of outputs
        model = keras.applications.EfficientNetB0(
            include_top=False, weights=None, input_shape=(IMG_SIZE, IMG_SIZE, 3), pooling="avg",
            classes=NUM_CLASSES)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more43-nb-inference-flat-functional-vgg16-loads-sequential-nested-weights-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="could not be loaded",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers

            IMG = 64
            CLASS_NAMES = ["apple", "banana", "kiwi", "mango", "orange"]

            # same network as the training notebook (VGG16 + pooling head), weights from our checkpoint
            inputs = keras.Input((IMG, IMG, 3))
            x = layers.Rescaling(1.0 / 255)(inputs)
            base = keras.applications.VGG16(include_top=False, weights=None, input_tensor=x)
            x = layers.GlobalAveragePooling2D()(base.output)
            x = layers.Dropout(0.3)(x)
            outputs = layers.Dense(len(CLASS_NAMES), activation="softmax")(x)
            model = keras.Model(inputs, outputs)
            """,
            """
            model.load_weights("{DATA}/models/fruits_vgg16.weights.h5")
            """,
            """
            img = keras.utils.load_img("{DATA}/fruits_test/kiwi/kiwi_000.jpg", target_size=(IMG, IMG))
            probs = model.predict(np.expand_dims(keras.utils.img_to_array(img), 0))[0]
            print(CLASS_NAMES[int(np.argmax(probs))], float(probs.max()))
            """,
        ], data=fruits_and_weights),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more43-nb-predict-load-img-given-web-image-url-k3",
        cause="model.api_misuse",
        also=("data.missing_or_corrupt",),
        exception="FileNotFoundError",
        expect="No such file or directory",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras

            model = keras.models.load_model("{DATA}/saved/flowers_cnn.keras")
            class_names = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
            img_height = img_width = 96
            """,
            """
            sunflower_url = "https://storage.googleapis.com/download.tensorflow.org/example_images/592px-Red_sunflower.jpg"

            img = keras.utils.load_img(sunflower_url, target_size=(img_height, img_width))
            img_array = keras.utils.img_to_array(img)
            img_array = tf.expand_dims(img_array, 0)  # Create a batch

            predictions = model.predict(img_array)
            score = tf.nn.softmax(predictions[0])
            print("This image most likely belongs to {} with a {:.2f} percent confidence."
                  .format(class_names[np.argmax(score)], 100 * np.max(score)))
            """,
        ], data=flowers_model),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more43-nb-plot-model-imported-from-keras-utils-vis-utils-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        expect="keras.utils.vis_utils",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers
            print(tf.__version__, keras.__version__)
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/weather", image_size=(96, 96), batch_size=8, seed=5)
            class_names = train_ds.class_names

            base_model = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None,
                                                        alpha=0.35)
            base_model.trainable = False
            model = keras.Sequential([
                keras.Input((96, 96, 3)),
                layers.Rescaling(1.0 / 127.5, offset=-1),
                base_model,
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.summary()
            """,
            """
            from keras.utils.vis_utils import plot_model
            plot_model(model, to_file="model.png", show_shapes=True, show_layer_names=True)
            """,
        ], data=weather),
    ),
    Case(
        name="keras-more43-nb-activation-visualisation-layer-output-shape-keras3-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="AttributeError",
        expect="has no attribute 'output_shape'",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers

            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/cats_and_dogs_filtered/train", image_size=(80, 80), batch_size=8, label_mode="binary",
                seed=2)
            model = keras.Sequential([
                keras.Input((80, 80, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu", name="conv1"),
                layers.MaxPooling2D(name="pool1"),
                layers.Conv2D(32, 3, activation="relu", name="conv2"),
                layers.MaxPooling2D(name="pool2"),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=2, verbose=2)
            """,
            """
            # Visualising intermediate representations
            for layer in model.layers:
                print(f"{layer.name:12s} {layer.output_shape}")
            """,
        ], data=cats_dogs_small),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more43-nb-house-prices-raw-dollars-sgd-nan-rerun-with-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        expect="Tensor had",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            from PIL import Image

            BASE = "{DATA}/Houses Dataset"
            info = np.loadtxt(f"{BASE}/HousesInfo.txt")            # bedrooms bathrooms area zipcode price
            prices = info[:, 4].astype("float32")
            images = np.stack([np.asarray(Image.open(f"{BASE}/{i + 1}_frontal.jpg"), np.float32)
                               for i in range(len(info))])
            print(images.shape, prices.min(), prices.max())
            """,
            """
            keras.utils.set_random_seed(0)
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(16, activation="relu"),
                layers.Dense(1),                        # regression: the price
            ])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-3, momentum=0.9), loss="mse",
                          metrics=["mae"])
            """,
            """
            history = model.fit(images, prices, validation_split=0.25, epochs=3, batch_size=8, verbose=2)
            """,
            """
            # loss is nan -- find where it comes from
            tf.debugging.enable_check_numerics()
            """,
            """
            history = model.fit(images, prices, validation_split=0.25, epochs=3, batch_size=8, verbose=2)
            """,
        ], data=houses),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more43-aptos-quadratic-kappa-loss-argmax-confusion-matrix-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=aptos,
        pty=True,
        expect="No gradients provided",
        code="""
        import csv

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        NUM_CLASSES = 5
        rows = list(csv.DictReader(open("{DATA}/aptos2019/train.csv")))
        paths = [f"{DATA}/aptos2019/train_images/{r['id_code']}.png" for r in rows]
        labels = [int(r["diagnosis"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (IMG, IMG)) / 255.0, label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(64, seed=1)
                    .map(load).batch(8).prefetch(tf.data.AUTOTUNE))


        def qwk_loss(y_true, y_pred):
            # the competition metric is quadratic weighted kappa, so optimise it directly: 1 - kappa
            y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int32)
            y_hat = tf.argmax(y_pred, axis=-1, output_type=tf.int32)
            observed = tf.cast(tf.math.confusion_matrix(y_true, y_hat, num_classes=NUM_CLASSES), tf.float32)
            grades = tf.range(NUM_CLASSES, dtype=tf.float32)
            weights = tf.square(grades[:, None] - grades[None, :]) / (NUM_CLASSES - 1) ** 2
            expected = (tf.reduce_sum(observed, 1)[:, None] * tf.reduce_sum(observed, 0)[None, :]
                        / tf.reduce_sum(observed))
            kappa = 1.0 - tf.reduce_sum(weights * observed) / (tf.reduce_sum(weights * expected) + 1e-7)
            return 1.0 - kappa


        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=qwk_loss, metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more43-plant-pathology-512px-flatten-dense-512-cpu-session-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=plant_pathology,
        as_limit=12 * 1024**3,
        expect="OOM when allocating tensor",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = 512        # the lesions are tiny: keep the competition images at 512 px
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/plant-pathology/train", image_size=(IMG_SIZE, IMG_SIZE), batch_size=4, seed=8)
        class_names = train_ds.class_names

        model = keras.Sequential([
            keras.Input((IMG_SIZE, IMG_SIZE, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(512, activation="relu"),
            layers.Dropout(0.5),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more43-nb-spawn-process-pool-resize-function-defined-in-notebook-k3",
        cause="env.multiprocessing",
        exception="AttributeError",  # the workers' own error, printed above the BrokenProcessPool
        expect="Can't get attribute",
        timeout=240,
        **notebook([
            """
            import glob
            import multiprocessing as mp
            import os
            from concurrent.futures import ProcessPoolExecutor

            import tensorflow as tf
            from PIL import Image

            # forking a process after TensorFlow started its threads can deadlock -> use spawn
            mp.set_start_method("spawn", force=True)
            """,
            """
            SRC = "{DATA}/raw_photos"
            DST = "resized_128"
            os.makedirs(DST, exist_ok=True)


            def resize_one(path, size=(128, 128)):
                img = Image.open(path).convert("RGB").resize(size, Image.BILINEAR)
                out = os.path.join(DST, os.path.basename(path))
                img.save(out, quality=95)
                return out


            paths = sorted(glob.glob(f"{SRC}/*.jpg"))
            print(len(paths), "photos")
            """,
            """
            with ProcessPoolExecutor(max_workers=2) as ex:
                resized = list(ex.map(resize_one, paths, chunksize=4))
            print(len(resized), "resized")
            """,
        ], data=raw_photos),
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more43-captcha-crnn-cudnnlstm-session-fell-back-to-cpu-tfk2",
        cause="env.cuda_setup",
        also=("env.version_incompat",),
        env="tfk2",
        exception="InvalidArgumentError",
        setup=captchas,
        pty=True,
        expect="CudnnRNN",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.compat.v1.keras.layers import CuDNNLSTM
        from PIL import Image

        print("GPUs:", tf.config.list_physical_devices("GPU"))

        paths = sorted(glob.glob("{DATA}/captcha_images_v2/*.png"))
        texts = [os.path.splitext(os.path.basename(p))[0] for p in paths]
        characters = sorted(set("".join(texts)))
        char_to_num = {c: i for i, c in enumerate(characters)}
        IMG_W, IMG_H, MAX_LEN = 96, 32, 5

        x = np.stack([np.asarray(Image.open(p), np.float32).T[..., None] / 255.0 for p in paths])  # (W, H, 1)
        y = np.array([[char_to_num[c] for c in t] for t in texts], np.int32)


        class CTCLayer(layers.Layer):
            def call(self, y_true, y_pred):
                batch = tf.cast(tf.shape(y_true)[0], "int64")
                input_len = tf.cast(tf.shape(y_pred)[1], "int64") * tf.ones((batch, 1), "int64")
                label_len = tf.cast(tf.shape(y_true)[1], "int64") * tf.ones((batch, 1), "int64")
                self.add_loss(keras.backend.ctc_batch_cost(y_true, y_pred, input_len, label_len))
                return y_pred


        image = keras.Input((IMG_W, IMG_H, 1), name="image")
        labels = keras.Input((MAX_LEN,), name="label", dtype="int32")
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(image)
        h = layers.MaxPooling2D((2, 2))(h)
        h = layers.Conv2D(64, 3, padding="same", activation="relu")(h)
        h = layers.MaxPooling2D((2, 2))(h)
        h = layers.Reshape((IMG_W // 4, (IMG_H // 4) * 64))(h)
        h = layers.Dense(64, activation="relu")(h)
        h = layers.Bidirectional(CuDNNLSTM(64, return_sequences=True))(h)     # fast cuDNN kernel
        probs = layers.Dense(len(characters) + 1, activation="softmax")(h)
        out = CTCLayer(name="ctc_loss")(labels, probs)
        model = keras.Model([image, labels], out)
        model.compile(optimizer=keras.optimizers.Adam())
        model.fit({"image": x, "label": y}, batch_size=8, epochs=20)
        """,
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more43-imbalanced-tutorial-metrics-list-created-before-mirrored-scope-tfk2",
        cause="env.distributed",
        also=("model.api_misuse",),
        env="tfk2",
        exception="ValueError",
        setup=melanoma,
        expect="distribution strategy scope",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        METRICS = [
            keras.metrics.BinaryCrossentropy(name="cross entropy"),
            keras.metrics.TruePositives(name="tp"),
            keras.metrics.FalsePositives(name="fp"),
            keras.metrics.TrueNegatives(name="tn"),
            keras.metrics.FalseNegatives(name="fn"),
            keras.metrics.BinaryAccuracy(name="accuracy"),
            keras.metrics.Precision(name="precision"),
            keras.metrics.Recall(name="recall"),
            keras.metrics.AUC(name="auc"),
            keras.metrics.AUC(name="prc", curve="PR"),
        ]

        # Kaggle "GPU T4 x2": one replica per GPU
        strategy = tf.distribute.MirroredStrategy()
        print("Number of replicas:", strategy.num_replicas_in_sync)
        BATCH_SIZE = 8 * strategy.num_replicas_in_sync

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/melanoma/train", image_size=(48, 48), batch_size=BATCH_SIZE, label_mode="binary", seed=3)


        def make_model(metrics=METRICS, output_bias=None):
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dropout(0.5),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3),
                          loss=keras.losses.BinaryCrossentropy(), metrics=metrics)
            return model


        with strategy.scope():
            model = make_model()
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more43-nb-eda-cell-names-class-list-list-shadows-builtin-k3",
        cause="other",
        exception="TypeError",
        expect="'list' object is not callable",
        **notebook([
            """
            import os
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers

            DATA_DIR = "{DATA}/weather"
            list = sorted(os.listdir(DATA_DIR))
            for c in list:
                print(f"{c:8s} {len(os.listdir(os.path.join(DATA_DIR, c)))} images")
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory(
                DATA_DIR, validation_split=0.25, subset="training", seed=9, image_size=(64, 64), batch_size=8)
            val_ds = keras.utils.image_dataset_from_directory(
                DATA_DIR, validation_split=0.25, subset="validation", seed=9, image_size=(64, 64), batch_size=8,
                shuffle=False)
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, validation_data=val_ds, epochs=2, verbose=2)
            """,
            """
            y_pred = np.argmax(model.predict(val_ds, verbose=0), axis=1)
            y_true = np.array(list(val_ds.unbatch().map(lambda x, y: y).as_numpy_iterator()))
            print("val accuracy:", (y_pred == y_true).mean())
            """,
        ], data=weather),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
