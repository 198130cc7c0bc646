"""A seventh set of real Keras / TensorFlow failures from image classifiers,
detectors and segmenters, in code paths keras_more.py ... keras_more6.py leave
out: dataset preparation scripts around a Keras model (RGBA PNGs re-saved as
JPEG, RGBA crops through tf.io.encode_jpeg, rgb_to_grayscale on images decoded
with one channel, an RGBA photo reshaped to (1, 224, 224, 3), predicted masks
and autoencoder outputs handed to PIL with a trailing channel / as float32,
uint8 batches given to draw_bounding_boxes, class counts from float labels),
broken caches and annotation files (a truncated JPEG read with PIL, a
half-written .npy cache, an empty pickle cache, a cut VOC XML file, an empty
COCO json, list_files over class folders, a background image with an empty
YOLO label file), box slips (COCO xywh cropped as corners with PIL, YOLO
centre boxes drawn as corners, (ymin, xmin, ymax, xmax) sliced as (x, y)),
labels (COCO category ids in a YOLO target grid, one-based digit labels in a
conditional GAN embedding, a validation folder with an extra class, one-hot
labels into a sparse top-k metric, ragged multi-label tag lists), sizes
(Siamese pairs of mixed photo sizes stacked in tf.data, SSIM against
uncropped high-resolution images), model input (Keras 3 ``shape=(224)``, a
TimeDistributed video model fed frames, a doubled batch axis), Keras API slips
(a layer class added without calling it, an optimizer class in compile, a
learning-rate schedule overwritten in a notebook, the Grad-CAM tutorial's
Xception layer name on MobileNetV2, a re-run notebook cell adding a named
head twice, PIL resize(w, h), len() of a filtered dataset, ds.take(0.8 * n),
RandomZoom given an ImageDataGenerator zoom range, combined_non_max_suppression
with 3-D boxes), weights saved before layers were added, divergence seen
downstream (hard-example sampling with NaN losses, PCA / SVD of NaN
embeddings), a loss through an op with no gradient (bincount), Keras 2 /
TF 2.12 habits (Adam ``decay``, ``Dataset.zip(a, b)``), multiprocessing for
image preprocessing (a lambda in Pool.map, spawn without a main guard),
MirroredStrategy results used as tensors, and NumPy floats in json.dump.

Some cases run as notebooks: every cell goes through a real IPython
InteractiveShell (``nb`` from _record.py). The TF environments have no IPython,
so the setup links IPython and its pure-Python dependencies from the torch
environment (same CPython 3.11) into the case's project folder.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more7.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _record import imgs, sub  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402



logos = imgs([("logos/brand_a/a_000.png", (120, 90), "RGB"),
              ("logos/brand_a/a_001.png", (96, 96), "RGB"),
              ("logos/brand_b/b_000.png", (100, 80), "RGB"),
              ("logos/brand_b/b_001.png", (128, 128), "RGBA"),
              ("logos/brand_b/b_002.png", (90, 90), "RGB")])

icons = imgs([(f"icons/icon_{i:02d}.png", (64, 64), "RGBA") for i in range(6)])

truncated_photo = imgs([(f"train/{c}/{c}_{i:03d}.jpg", (64, 64), "RGB") for c in ("cat", "dog") for i in range(5)]
                       + [("train/dog/dog_005.jpg", (64, 64), "truncated")])

rgba_logo = imgs([("test/logo.png", (300, 200), "RGBA")])

mixed_pairs = imgs([(f"pairs/anchor/{i:02d}.jpg", (96, 96), "RGB") for i in range(6)]
                   + [(f"pairs/positive/{i:02d}.jpg", (96, 96) if i % 3 else (120, 96), "RGB") for i in range(6)])


def xray(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=4, size=(64, 64), mode="L", fmt="png")


def street_jpegs(d: Path):
    make_images(d / "street", ["img"], per_class=4, size=(96, 72), fmt="jpeg")


def photo_folders(d: Path):
    make_images(d / "train", ["cat", "dog"], per_class=5, size=(48, 48), fmt="jpeg")


def train_val_extra_class(d: Path):
    make_images(d / "train", ["bike", "car", "truck"], per_class=4, size=(40, 40), fmt="jpeg")
    make_images(d / "val", ["bike", "car", "truck", "unknown"], per_class=2, size=(40, 40), fmt="jpeg", seed=1)


def labels_csv(d: Path):
    import numpy as np
    rng = np.random.default_rng(3)
    np.save(d / "x_train.npy", rng.random((60, 32, 32, 3), dtype=np.float32))
    np.savetxt(d / "labels.csv", rng.integers(0, 4, 60), fmt="%d")


def half_written_npy(d: Path):
    import numpy as np
    rng = np.random.default_rng(4)
    np.save(d / "x_train.npy", rng.random((200, 32, 32, 3)).astype(np.float32))
    np.save(d / "y_train.npy", rng.integers(0, 5, 200))
    raw = (d / "x_train.npy").read_bytes()
    (d / "x_train.npy").write_bytes(raw[: len(raw) * 2 // 3])     # the preprocessing run was killed


def empty_pickle(d: Path):
    make_images(d / "train", ["healthy", "blight"], per_class=3, size=(32, 32), fmt="jpeg")
    (d / "cache").mkdir()
    (d / "cache" / "train_features.pkl").write_bytes(b"")


VOC_XML = """<annotation>
  <folder>images</folder>
  <filename>{name}.jpg</filename>
  <size><width>96</width><height>72</height><depth>3</depth></size>
  <object>
    <name>{cls}</name>
    <bndbox><xmin>{x1}</xmin><ymin>12</ymin><xmax>{x2}</xmax><ymax>60</ymax></bndbox>
  </object>
</annotation>
"""


def voc_cut(d: Path):
    ann = d / "VOC" / "Annotations"
    ann.mkdir(parents=True)
    for i, cls in enumerate(["helmet", "head", "helmet", "person"]):
        text = VOC_XML.format(name=f"{i:06d}", cls=cls, x1=10 + i, x2=70 + i)
        if i == 2:
            text = text[: text.index("<bndbox>") + 30]      # copy interrupted
        (ann / f"{i:06d}.xml").write_text(text)


def empty_coco(d: Path):
    (d / "coco" / "annotations").mkdir(parents=True)
    (d / "coco" / "annotations" / "instances_train.json").write_text("")
    make_images(d / "coco", ["train"], per_class=3, size=(64, 48), fmt="jpeg")


def yolo_with_background(d: Path):
    make_images(d / "yolo", ["images"], per_class=4, size=(64, 64), fmt="jpeg")
    lab = d / "yolo" / "labels"
    lab.mkdir(parents=True)
    rows = {0: "0 0.50 0.50 0.30 0.40\n1 0.20 0.25 0.10 0.20\n", 1: "1 0.60 0.40 0.25 0.30\n",
            2: "", 3: "0 0.45 0.55 0.50 0.50\n"}
    for i, text in rows.items():
        (lab / f"images_{i:03d}.txt").write_text(text)


def coco_xywh_csv(d: Path):
    import numpy as np
    rng = np.random.default_rng(7)
    _png(d / "shelf" / "shelf_01.png", rng.integers(0, 255, size=(240, 320, 3), dtype=np.uint8))
    (d / "shelf" / "boxes.csv").write_text(
        "image,x,y,w,h,label\n"
        "shelf_01.png,20,30,60,80,cereal\n"
        "shelf_01.png,120,40,50,70,milk\n"
        "shelf_01.png,200,60,45,90,juice\n")


def yolo_labels_one_image(d: Path):
    import numpy as np
    rng = np.random.default_rng(8)
    _png(d / "dataset" / "images" / "0001.png", rng.integers(0, 255, size=(320, 320, 3), dtype=np.uint8))
    (d / "dataset" / "labels").mkdir(parents=True)
    (d / "dataset" / "labels" / "0001.txt").write_text("0 0.45 0.50 0.30 0.40\n2 0.70 0.30 0.20 0.25\n")


def tf_od_boxes(d: Path):
    import numpy as np
    rng = np.random.default_rng(9)
    _png(d / "parts" / "board_01.png", rng.integers(0, 255, size=(200, 300, 3), dtype=np.uint8))
    # TF Object Detection API order: ymin, xmin, ymax, xmax (pixels)
    (d / "parts" / "board_01.txt").write_text("20 40 80 120 resistor\n30 200 90 280 capacitor\n120 10 180 60 led\n")


def coco_small_json(d: Path):
    import json
    anns = {"images": [{"id": 1, "file_name": "000001.jpg", "width": 416, "height": 416},
                       {"id": 2, "file_name": "000002.jpg", "width": 416, "height": 416}],
            "annotations": [{"image_id": 1, "category_id": 1, "bbox": [100, 120, 80, 150]},
                            {"image_id": 1, "category_id": 3, "bbox": [200, 220, 120, 60]},
                            {"image_id": 2, "category_id": 90, "bbox": [30, 40, 50, 60]}],
            "categories": [{"id": 1, "name": "person"}, {"id": 3, "name": "car"}, {"id": 90, "name": "toothbrush"}]}
    (d / "annotations.json").write_text(json.dumps(anns))


def hr_val_images(d: Path):
    make_images(d / "div2k" / "valid_HR", ["x"], per_class=3, sizes=[(72, 72), (80, 64), (72, 72)], fmt="png")


def tagged_photos(d: Path):
    import json
    make_images(d / "photos", ["all"], per_class=6, size=(48, 48), fmt="jpeg")
    tags = {f"all_{i:03d}.jpg": t for i, t in enumerate([[0, 3], [1], [2, 3, 4], [0], [1, 4], [2]])}
    (d / "photos" / "tags.json").write_text(json.dumps(tags, indent=1))


def raw_photos(d: Path):
    make_images(d / "raw", ["cats", "dogs"], per_class=6, sizes=[(320, 240), (240, 320), (300, 300)], fmt="jpeg")


def digits_by_folder(d: Path):
    make_images(d / "digits", [str(i) for i in range(1, 11)], per_class=2, size=(28, 28), mode="L", fmt="png")


def one_photo(d: Path):
    import numpy as np
    rng = np.random.default_rng(12)
    _png(d / "test" / "street.png", rng.integers(0, 255, size=(96, 96, 3), dtype=np.uint8))


# a small classifier used by several scripts
CNN = """
model = keras.Sequential([
    keras.Input((@@S@@, @@S@@, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(@@N@@, activation="softmax"),
])
"""


def cnn(size, n):
    import textwrap
    return textwrap.indent(sub(CNN, S=str(size), N=str(n)), " " * 8)


CASES = [
    # ============================================================ channels
    Case(
        name="keras-more7-pil-save-rgba-png-as-jpeg-k3",
        cause="data.image_channels",
        exception="OSError",
        env="k3",
        setup=logos,
        code="""
        import os
        import glob
        from PIL import Image
        import keras

        SRC, DST = "{DATA}/logos", "{DATA}/logos_224"
        # shrink the scraped logos once so that training reads small JPEGs
        for path in sorted(glob.glob(os.path.join(SRC, "*", "*.png"))):
            cls = os.path.basename(os.path.dirname(path))
            os.makedirs(os.path.join(DST, cls), exist_ok=True)
            img = Image.open(path).resize((224, 224))
            out = os.path.join(DST, cls, os.path.basename(path).replace(".png", ".jpg"))
            img.save(out, quality=95)
            print("saved", out)

        train_ds = keras.utils.image_dataset_from_directory(DST, image_size=(224, 224), batch_size=8)
        """,
    ),
    Case(
        name="keras-more7-encode-jpeg-rgba-crops-tf215",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf215",
        framework="tensorflow",
        setup=icons,
        code="""
        import os
        import tensorflow as tf

        def augment(img):
            img = tf.image.random_flip_left_right(img)
            img = tf.image.random_crop(img, (48, 48, tf.shape(img)[-1]))
            return img

        # look at a few augmented samples before training
        os.makedirs("aug_preview", exist_ok=True)
        for i, path in enumerate(sorted(tf.io.gfile.glob("{DATA}/icons/*.png"))[:4]):
            img = tf.io.decode_png(tf.io.read_file(path))
            tf.io.write_file(f"aug_preview/{i}.jpg", tf.io.encode_jpeg(augment(img)))
        print("previews written")
        """,
    ),
    Case(
        name="keras-more7-rgb-to-grayscale-on-one-channel-xray-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=xray,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["normal", "pneumonia"]

        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)    # chest X-rays are grayscale
            img = tf.image.rgb_to_grayscale(img)                          # make sure the model gets 1 channel
            img = tf.image.resize(img, (64, 64)) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*/pneumonia/.*"), tf.int32)
            return img, label

        ds = tf.data.Dataset.list_files("{DATA}/xray/*/*.png").map(load).batch(4)
        model = keras.Sequential([keras.Input((64, 64, 1)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more7-predict-reshape-rgba-png-k3",
        cause="data.image_channels",
        exception="ValueError",
        env="k3",
        setup=rgba_logo,
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        model = keras.Sequential([
            keras.Input((224, 224, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        class_names = ["adidas", "apple", "nike", "puma", "starbucks"]

        img = Image.open("{DATA}/test/logo.png").resize((224, 224))
        x = np.asarray(img, dtype="float32").reshape(1, 224, 224, 3) / 255.0
        probs = model.predict(x)
        print(class_names[int(np.argmax(probs))])
        """,
    ),
    Case(
        name="keras-more7-save-predicted-mask-trailing-channel-k3",
        cause="data.image_channels",
        exception="TypeError",
        env="k3",
        setup=street_jpegs,
        code="""
        import os
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        inputs = keras.Input((96, 96, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling2D()(x)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
        unet = keras.Model(inputs, outputs)

        os.makedirs("pred_masks", exist_ok=True)
        for path in sorted(glob.glob("{DATA}/street/img/*.jpg")):
            img = np.asarray(Image.open(path).resize((96, 96)), "float32") / 255.0
            mask = unet.predict(img[None], verbose=0)[0]            # (96, 96, 1)
            binary = (mask > 0.5).astype(np.uint8) * 255
            Image.fromarray(binary).save(os.path.join("pred_masks", os.path.basename(path).replace(".jpg", ".png")))
        """,
    ),
    # ============================================================ dtype
    Case(
        name="keras-more7-save-autoencoder-float-output-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=street_jpegs,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        files = sorted(glob.glob("{DATA}/street/img/*.jpg"))
        clean = np.stack([np.asarray(Image.open(f).resize((64, 64)), "float32") / 255.0 for f in files])
        noisy = np.clip(clean + np.random.normal(0, 0.1, clean.shape), 0, 1).astype("float32")

        autoencoder = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu"),
            tf.keras.layers.Conv2D(3, 3, padding="same", activation="sigmoid"),
        ])
        autoencoder.compile("adam", "mse")
        autoencoder.fit(noisy, clean, epochs=1, batch_size=2)

        denoised = autoencoder.predict(noisy[:1])[0]
        Image.fromarray(denoised).save("denoised.png")
        """,
    ),
    Case(
        name="keras-more7-draw-boxes-uint8-preview-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        setup=street_jpegs,
        code="""
        import tensorflow as tf

        files = sorted(tf.io.gfile.glob("{DATA}/street/img/*.jpg"))
        images = tf.stack([tf.image.resize_with_pad(tf.io.decode_jpeg(tf.io.read_file(f)), 96, 96,
                                                    method="nearest") for f in files])
        images = tf.cast(images, tf.uint8)
        boxes = tf.constant([[[0.10, 0.20, 0.60, 0.70]]] * len(files))      # ymin, xmin, ymax, xmax
        colors = tf.constant([[1.0, 0.0, 0.0, 1.0]])
        preview = tf.image.draw_bounding_boxes(images, boxes, colors)
        for i, img in enumerate(preview):
            tf.io.write_file(f"preview_{i}.png", tf.io.encode_png(img))
        """,
    ),
    Case(
        name="keras-more7-class-weight-bincount-float-labels-k3",
        cause="data.dtype",
        exception="TypeError",
        env="k3",
        setup=labels_csv,
        code="""
        import numpy as np
        import keras
        from keras import layers

        x = np.load("{DATA}/x_train.npy")
        y = np.loadtxt("{DATA}/labels.csv")

        # balance the classes: weight = total / (n_classes * count)
        counts = np.bincount(y)
        class_weight = {i: len(y) / (len(counts) * c) for i, c in enumerate(counts)}

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, class_weight=class_weight)
        """,
    ),
    # ============================================================ missing / corrupt files
    Case(
        name="keras-more7-pil-truncated-jpeg-preload-k3",
        cause="data.missing_or_corrupt",
        exception="OSError",
        env="k3",
        setup=truncated_photo,
        code="""
        import os
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        CLASSES = ["cat", "dog"]

        def load(path):
            return np.asarray(Image.open(path).convert("RGB").resize((64, 64)), "float32")

        paths = sorted(glob.glob("{DATA}/train/*/*.jpg"))
        x = np.stack([load(p) for p in paths])
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths])
        """ + cnn(64, 2) + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    Case(
        name="keras-more7-npy-cache-half-written-tf215",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tf215",
        setup=half_written_npy,
        code="""
        import numpy as np
        import tensorflow as tf

        x_train = np.load("{DATA}/x_train.npy")      # written by preprocess.py
        y_train = np.load("{DATA}/y_train.npy")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=3, batch_size=32)
        """,
    ),
    Case(
        name="keras-more7-pickle-feature-cache-empty-k3",
        cause="data.missing_or_corrupt",
        exception="EOFError",
        env="k3",
        setup=empty_pickle,
        code="""
        import os
        import glob
        import pickle
        import numpy as np
        import keras

        CACHE = "{DATA}/cache/train_features.pkl"
        backbone = keras.applications.MobileNetV2(include_top=False, weights=None, pooling="avg",
                                                  input_shape=(96, 96, 3))

        if os.path.exists(CACHE):
            with open(CACHE, "rb") as f:
                features, labels = pickle.load(f)
        else:
            paths = sorted(glob.glob("{DATA}/train/*/*.jpg"))
            images = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(96, 96))) for p in paths])
            features = backbone.predict(images / 127.5 - 1.0)
            labels = np.array([0 if "/healthy/" in p else 1 for p in paths])
            with open(CACHE, "wb") as f:
                pickle.dump((features, labels), f)

        head = keras.Sequential([keras.Input((1280,)), keras.layers.Dense(2, activation="softmax")])
        head.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        head.fit(features, labels, epochs=5)
        """,
    ),
    Case(
        name="keras-more7-voc-xml-annotation-cut-k3",
        cause="data.missing_or_corrupt",
        exception="ParseError",
        env="k3",
        setup=voc_cut,
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import numpy as np
        import keras

        CLASSES = ["helmet", "head", "person"]

        def parse_voc(path):
            root = ET.parse(path).getroot()
            boxes, labels = [], []
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
                labels.append(CLASSES.index(obj.find("name").text))
            return np.array(boxes, "float32"), np.array(labels, "int32")

        annotations = [parse_voc(p) for p in sorted(glob.glob("{DATA}/VOC/Annotations/*.xml"))]
        print(len(annotations), "annotated images")
        """,
    ),
    Case(
        name="keras-more7-coco-json-empty-download-tf212",
        cause="data.missing_or_corrupt",
        exception="JSONDecodeError",
        env="tf212",
        setup=empty_coco,
        code="""
        import json
        import tensorflow as tf

        with open("{DATA}/coco/annotations/instances_train.json") as f:
            coco = json.load(f)

        id_to_file = {img["id"]: img["file_name"] for img in coco["images"]}
        boxes = {}
        for ann in coco["annotations"]:
            boxes.setdefault(ann["image_id"], []).append(ann["bbox"] + [ann["category_id"]])
        print(len(boxes), "images with boxes")
        """,
    ),
    Case(
        name="keras-more7-list-files-class-folders-is-directory-k3",
        cause="data.missing_or_corrupt",
        exception="FailedPreconditionError",
        env="k3",
        setup=photo_folders,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = tf.constant(["cat", "dog"])

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48)) / 255.0
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return img, label

        train_ds = tf.data.Dataset.list_files("{DATA}/train/*", shuffle=True).map(load).batch(4)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more7-yolo-empty-label-file-np-stack-k3",
        cause="data.missing_or_corrupt",
        also=("data.bbox_invalid",),
        exception="ValueError",
        env="k3",
        setup=yolo_with_background,
        code="""
        import glob
        import os
        import numpy as np
        import keras

        def read_labels(path):
            with open(path) as f:
                rows = [np.array(line.split(), dtype="float32") for line in f.read().splitlines()]
            return np.stack(rows)                  # (n_boxes, 5): class, cx, cy, w, h

        label_files = sorted(glob.glob("{DATA}/yolo/labels/*.txt"))
        targets = []
        for lf in label_files:
            targets.append(read_labels(lf))
            print(os.path.basename(lf), targets[-1].shape)
        max_boxes = max(len(t) for t in targets)
        """,
    ),
    # ============================================================ boxes
    Case(
        name="keras-more7-crop-objects-coco-xywh-as-corners-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="k3",
        setup=coco_xywh_csv,
        code="""
        import csv
        import os
        import numpy as np
        import keras
        from PIL import Image

        # build a product classifier from the detection annotations: crop every box
        crops, labels = [], []
        with open("{DATA}/shelf/boxes.csv") as f:
            for row in csv.DictReader(f):
                img = Image.open(os.path.join("{DATA}/shelf", row["image"]))
                x1, y1, x2, y2 = (int(row[k]) for k in ("x", "y", "w", "h"))
                crop = img.crop((x1, y1, x2, y2)).resize((64, 64))
                crops.append(np.asarray(crop, "float32") / 255.0)
                labels.append(row["label"])
        x = np.stack(crops)
        print(x.shape)
        """,
    ),
    Case(
        name="keras-more7-draw-yolo-boxes-as-corners-tf215",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="tf215",
        setup=yolo_labels_one_image,
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image, ImageDraw

        CLASSES = ["person", "bicycle", "car"]
        img = Image.open("{DATA}/dataset/images/0001.png")
        W, H = img.size
        draw = ImageDraw.Draw(img)
        # check the labels before training the detector
        for line in open("{DATA}/dataset/labels/0001.txt"):
            cls, a, b, c, d = line.split()
            x1, y1, x2, y2 = float(a) * W, float(b) * H, float(c) * W, float(d) * H
            draw.rectangle([x1, y1, x2, y2], outline="red", width=2)
            draw.text((x1, y1), CLASSES[int(cls)], fill="red")
        img.save("check_labels.png")
        """,
    ),
    Case(
        name="keras-more7-crop-tfod-box-order-empty-resize-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        setup=tf_od_boxes,
        code="""
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        img = np.asarray(Image.open("{DATA}/parts/board_01.png"))
        crops, names = [], []
        for line in open("{DATA}/parts/board_01.txt"):
            *coords, name = line.split()
            x1, y1, x2, y2 = map(int, coords)
            patch = img[y1:y2, x1:x2]
            crops.append(tf.image.resize(patch, (32, 32)))
            names.append(name)
        crops = tf.stack(crops)
        print(crops.shape, names)
        """,
    ),
    # ============================================================ labels
    Case(
        name="keras-more7-yolo-target-coco-category-id-k3",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="k3",
        setup=coco_small_json,
        code="""
        import json
        import numpy as np
        import keras

        NUM_CLASSES = 80
        GRID, ANCHORS, IMG = 13, 3, 416

        coco = json.load(open("{DATA}/annotations.json"))
        sizes = {im["id"]: (im["width"], im["height"]) for im in coco["images"]}

        y_true = {im["id"]: np.zeros((GRID, GRID, ANCHORS, 5 + NUM_CLASSES), "float32") for im in coco["images"]}
        for ann in coco["annotations"]:
            x, y, w, h = ann["bbox"]
            W, H = sizes[ann["image_id"]]
            cx, cy = (x + w / 2) / W, (y + h / 2) / H
            gx, gy = int(cx * GRID), int(cy * GRID)
            t = y_true[ann["image_id"]]
            t[gy, gx, 0, :4] = [cx, cy, w / W, h / H]
            t[gy, gx, 0, 4] = 1.0
            t[gy, gx, 0, 5 + ann["category_id"]] = 1.0
        print("encoded", len(y_true), "images")
        """,
    ),
    Case(
        name="keras-more7-cgan-embedding-one-based-digit-folders-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=digits_by_folder,
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES, LATENT = 10, 32
        paths = sorted(glob.glob("{DATA}/digits/*/*.png"))
        images = np.stack([np.asarray(keras.utils.load_img(p, color_mode="grayscale"), "float32") for p in paths])
        images = (images[..., None] - 127.5) / 127.5
        labels = np.array([int(os.path.basename(os.path.dirname(p))) for p in paths])   # folders 1 .. 10

        noise_in = keras.Input((LATENT,))
        label_in = keras.Input((1,), dtype="int32")
        emb = layers.Flatten()(layers.Embedding(NUM_CLASSES, 16)(label_in))
        h = layers.Dense(7 * 7 * 32, activation="relu")(layers.Concatenate()([noise_in, emb]))
        h = layers.Reshape((7, 7, 32))(h)
        h = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(h)
        fake = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(h)
        generator = keras.Model([noise_in, label_in], fake)

        ds = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(64).batch(8)
        for epoch in range(2):
            for real, y in ds:
                z = tf.random.normal((tf.shape(real)[0], LATENT))
                generated = generator([z, y[:, None]], training=True)
            print("epoch", epoch, generated.shape)
        """,
    ),
    Case(
        name="keras-more7-nb-val-folder-extra-class-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        **notebook([
            "import keras\nfrom keras import layers",
            "train_ds = keras.utils.image_dataset_from_directory(\"{DATA}/train\", image_size=(40, 40), batch_size=4)\n"
            "val_ds = keras.utils.image_dataset_from_directory(\"{DATA}/val\", image_size=(40, 40), batch_size=4)\n"
            "class_names = train_ds.class_names\nnum_classes = len(class_names)\nprint(class_names)",
            "model = keras.Sequential([\n    keras.Input((40, 40, 3)),\n    layers.Rescaling(1.0 / 255),\n"
            "    layers.Conv2D(16, 3, activation=\"relu\"),\n    layers.GlobalAveragePooling2D(),\n"
            "    layers.Dense(num_classes),\n])\n"
            "model.compile(optimizer=\"adam\",\n              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n"
            "              metrics=[\"accuracy\"])",
            "history = model.fit(train_ds, validation_data=val_ds, epochs=3)",
        ], data=train_val_extra_class),
    ),
    # ============================================================ sizes
    Case(
        name="keras-more7-siamese-pairs-stack-mixed-sizes-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=mixed_pairs,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        anchors = sorted(tf.io.gfile.glob("{DATA}/pairs/anchor/*.jpg"))
        positives = sorted(tf.io.gfile.glob("{DATA}/pairs/positive/*.jpg"))

        def load_pair(a, p):
            ia = tf.io.decode_jpeg(tf.io.read_file(a), channels=3)
            ip = tf.io.decode_jpeg(tf.io.read_file(p), channels=3)
            pair = tf.cast(tf.stack([ia, ip]), tf.float32) / 255.0     # (2, H, W, 3)
            return tf.image.resize(pair, (96, 96)), 1.0

        ds = tf.data.Dataset.from_tensor_slices((anchors, positives)).map(load_pair).batch(2)

        encoder = keras.Sequential([keras.Input((96, 96, 3)), layers.Conv2D(16, 3, activation="relu"),
                                    layers.GlobalAveragePooling2D(), layers.Dense(32)])
        pair_in = keras.Input((2, 96, 96, 3))
        ea, ep = encoder(pair_in[:, 0]), encoder(pair_in[:, 1])
        dist = layers.Lambda(lambda t: keras.ops.sqrt(keras.ops.sum(keras.ops.square(t[0] - t[1]), axis=1, keepdims=True)))([ea, ep])
        siamese = keras.Model(pair_in, layers.Dense(1, activation="sigmoid")(dist))
        siamese.compile("adam", "binary_crossentropy")
        siamese.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more7-sr-ssim-uncropped-hr-images-tf215",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf215",
        setup=hr_val_images,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf

        SCALE, LR = 2, 36
        inputs = tf.keras.Input((LR, LR, 3))
        x = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        x = tf.keras.layers.Conv2D(3 * SCALE ** 2, 3, padding="same")(x)
        outputs = tf.keras.layers.Lambda(lambda t: tf.nn.depth_to_space(t, SCALE))(x)
        espcn = tf.keras.Model(inputs, outputs)

        scores = []
        for path in sorted(glob.glob("{DATA}/div2k/valid_HR/x/*.png")):
            hr = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            lr = tf.image.resize(hr, (LR, LR), method="bicubic")
            sr = espcn(lr[None])[0]
            scores.append(float(tf.image.ssim(sr, hr, max_val=1.0)))
        print("mean SSIM", np.mean(scores))
        """,
    ),
    # ============================================================ label shape
    Case(
        name="keras-more7-sparse-topk-metric-onehot-labels-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        NUM_CLASSES = 20
        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = keras.utils.to_categorical(np.random.randint(0, NUM_CLASSES, 64), NUM_CLASSES)

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(NUM_CLASSES, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy",
                      metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=5, name="top5")])
        model.fit(x, y, epochs=2, batch_size=16)
        """,
    ),
    Case(
        name="keras-more7-multilabel-ragged-tag-lists-k3",
        cause="data.label_shape",
        exception="ValueError",
        env="k3",
        setup=tagged_photos,
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_TAGS = 5
        tags = json.load(open("{DATA}/photos/tags.json"))
        files = sorted(tags)
        images = np.stack([np.asarray(keras.utils.load_img(f"{DATA}/photos/all/{f}"), "float32") / 255.0 for f in files])
        labels = [tags[f] for f in files]                        # e.g. [0, 3], [1], [2, 3, 4]

        ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(2)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(NUM_TAGS, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.AUC(multi_label=True)])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ model input
    Case(
        name="keras-more7-input-shape-int-not-tuple-k3",
        cause="model.api_misuse",
        also=("model.input_shape", "env.version_incompat"),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        x_train = np.random.rand(256, 28, 28).reshape(-1, 784).astype("float32")   # MNIST, flattened
        y_train = np.random.randint(0, 10, 256)

        inputs = keras.Input(shape=(784))
        h = layers.Dense(128, activation="relu")(inputs)
        outputs = layers.Dense(10, activation="softmax")(h)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=2)
        """,
    ),
    Case(
        name="keras-more7-timedistributed-video-model-fed-frames-k3",
        cause="model.input_shape",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        FRAMES, H, W = 8, 64, 64
        frame_encoder = keras.Sequential([keras.Input((H, W, 3)), layers.Conv2D(16, 3, activation="relu"),
                                          layers.GlobalAveragePooling2D()])
        clip_in = keras.Input((FRAMES, H, W, 3))
        h = layers.TimeDistributed(frame_encoder)(clip_in)
        h = layers.LSTM(32)(h)
        model = keras.Model(clip_in, layers.Dense(4, activation="softmax")(h))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

        # frames extracted from the videos, one row per frame
        frames = np.random.rand(40, H, W, 3).astype("float32")
        frame_labels = np.random.randint(0, 4, 40)
        model.fit(frames, frame_labels, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more7-predict-double-expand-dims-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        setup=one_photo,
        code="""
        import numpy as np
        import tensorflow as tf

        def preprocess(path):
            img = tf.keras.utils.load_img(path, target_size=(96, 96))
            arr = tf.keras.utils.img_to_array(img) / 255.0
            return np.expand_dims(arr, axis=0)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(96, 96, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        x = preprocess("{DATA}/test/street.png")
        x = np.expand_dims(x, axis=0)            # add the batch dimension
        print(model.predict(x))
        """,
    ),
    Case(
        name="keras-more7-load-weights-after-adding-layers-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        def build(extra_block=False):
            blocks = [keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                      layers.Flatten(), layers.Dense(64, activation="relu")]
            if extra_block:
                blocks += [layers.Dropout(0.3), layers.Dense(64, activation="relu")]
            blocks += [layers.Dense(10, activation="softmax")]
            return keras.Sequential(blocks)

        # yesterday's run
        old = build()
        old.compile("adam", "sparse_categorical_crossentropy")
        old.fit(np.random.rand(32, 32, 32, 3), np.random.randint(0, 10, 32), epochs=1, verbose=0)
        old.save_weights("cifar_cnn.weights.h5")

        # today: one more hidden layer, resume from the saved weights
        model = build(extra_block=True)
        model.load_weights("cifar_cnn.weights.h5")
        """,
    ),
    # ============================================================ API slips
    Case(
        name="keras-more7-sequential-add-layer-class-not-called-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

        model = Sequential()
        model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(64, 64, 3)))
        model.add(MaxPooling2D)
        model.add(Conv2D(64, (3, 3), activation="relu"))
        model.add(Flatten())
        model.add(Dense(2, activation="softmax"))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more7-compile-optimizer-class-not-instance-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from keras.optimizers import Adam
        """ + cnn(48, 3) + """
        model.compile(optimizer=Adam, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(24, 48, 48, 3) * 255, np.random.randint(0, 3, 24), epochs=2)
        """,
    ),
    Case(
        name="keras-more7-nb-lr-schedule-set-learning-rate-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        **notebook([
            "import numpy as np\nimport keras\nfrom keras import layers",
            "x = np.random.rand(64, 32, 32, 3).astype(\"float32\")\ny = np.random.randint(0, 4, 64)\n"
            "base = keras.applications.MobileNetV2(include_top=False, weights=None, input_shape=(32, 32, 3), pooling=\"avg\")\n"
            "base.trainable = False\n"
            "model = keras.Sequential([keras.Input((32, 32, 3)), base, layers.Dense(4, activation=\"softmax\")])",
            "schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=1000)\n"
            "model.compile(keras.optimizers.Adam(schedule), \"sparse_categorical_crossentropy\", metrics=[\"accuracy\"])\n"
            "model.fit(x, y, epochs=1, batch_size=16)",
            "# fine-tune the whole network with a small learning rate\nbase.trainable = True\n"
            "model.optimizer.learning_rate = 1e-5\nmodel.fit(x, y, epochs=1, batch_size=16)",
        ]),
    ),
    Case(
        name="keras-more7-nb-gradcam-tutorial-layer-name-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        **notebook([
            "import numpy as np\nimport tensorflow as tf\nimport keras",
            "model = keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3), classes=3)\n"
            "img_array = np.random.rand(1, 96, 96, 3).astype(\"float32\")",
            "last_conv_layer_name = \"block14_sepconv2_act\"\n\n"
            "def make_gradcam_heatmap(img_array, model, last_conv_layer_name, pred_index=None):\n"
            "    grad_model = keras.models.Model(\n"
            "        model.inputs, [model.get_layer(last_conv_layer_name).output, model.output]\n    )\n"
            "    with tf.GradientTape() as tape:\n"
            "        last_conv_layer_output, preds = grad_model(img_array)\n"
            "        if pred_index is None:\n            pred_index = tf.argmax(preds[0])\n"
            "        class_channel = preds[:, pred_index]\n"
            "    grads = tape.gradient(class_channel, last_conv_layer_output)\n"
            "    pooled_grads = tf.reduce_mean(grads, axis=(0, 1, 2))\n"
            "    heatmap = last_conv_layer_output[0] @ pooled_grads[..., tf.newaxis]\n"
            "    return tf.squeeze(heatmap).numpy()",
            "heatmap = make_gradcam_heatmap(img_array, model, last_conv_layer_name)",
        ]),
    ),
    Case(
        name="keras-more7-nb-rerun-cell-duplicate-head-name-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        **notebook([
            "import numpy as np\nimport keras\nfrom keras import layers",
            "model = keras.Sequential(name=\"flowers\")\nmodel.add(keras.Input((64, 64, 3)))\n"
            "model.add(layers.Conv2D(16, 3, activation=\"relu\"))\nmodel.add(layers.GlobalAveragePooling2D())",
            "model.add(layers.Dense(5, activation=\"softmax\", name=\"predictions\"))\nmodel.summary()",
            "model.add(layers.Dense(5, activation=\"softmax\", name=\"predictions\"))\nmodel.summary()",
            "model.compile(\"adam\", \"sparse_categorical_crossentropy\", metrics=[\"accuracy\"])",
        ]),
    ),
    Case(
        name="keras-more7-pil-resize-width-height-args-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=raw_photos,
        code="""
        import glob
        import os
        import numpy as np
        import keras
        from PIL import Image

        IMG_W, IMG_H = 128, 128
        x, y = [], []
        for label, cls in enumerate(["cats", "dogs"]):
            for path in sorted(glob.glob(os.path.join("{DATA}/raw", cls, "*.jpg"))):
                img = Image.open(path).convert("RGB").resize(IMG_W, IMG_H)
                x.append(np.asarray(img, "float32") / 255.0)
                y.append(label)
        x, y = np.stack(x), np.array(y)
        """,
    ),
    Case(
        name="keras-more7-len-of-filtered-dataset-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=photo_folders,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        BATCH = 4
        ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=(48, 48), batch_size=None)
        ds = ds.filter(lambda img, label: tf.reduce_mean(img) > 10.0)     # drop almost black frames
        steps_per_epoch = len(ds) // BATCH
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255), layers.Flatten(),
                                  layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(ds.batch(BATCH).repeat(), steps_per_epoch=steps_per_epoch, epochs=2)
        """,
    ),
    Case(
        name="keras-more7-dataset-take-float-split-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=photo_folders,
        code="""
        import tensorflow as tf
        import keras

        ds = keras.utils.image_dataset_from_directory("{DATA}/train", image_size=(48, 48), batch_size=None,
                                                      shuffle=True, seed=1)
        train_size = 0.8 * len(ds)
        train_ds = ds.take(train_size).batch(4)
        val_ds = ds.skip(train_size).batch(4)
        print(len(ds), "images")
        """,
    ),
    Case(
        name="keras-more7-randomzoom-imagedatagenerator-range-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # was ImageDataGenerator(rotation_range=15, zoom_range=[0.8, 1.2], horizontal_flip=True)
        augment = keras.Sequential([
            layers.RandomRotation(15 / 360),
            layers.RandomZoom((0.8, 1.2)),
            layers.RandomFlip("horizontal"),
        ])
        model = keras.Sequential([keras.Input((64, 64, 3)), augment, layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(32, 64, 64, 3), np.random.randint(0, 3, 32), epochs=2)
        """,
    ),
    Case(
        name="keras-more7-combined-nms-boxes-without-q-axis-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        env="k3",
        framework="tensorflow",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES, N_ANCHORS = 3, 64
        inputs = keras.Input((64, 64, 3))
        feat = layers.GlobalAveragePooling2D()(layers.Conv2D(16, 3, activation="relu")(inputs))
        boxes = layers.Reshape((N_ANCHORS, 4))(layers.Dense(N_ANCHORS * 4, activation="sigmoid")(feat))
        scores = layers.Reshape((N_ANCHORS, NUM_CLASSES))(layers.Dense(N_ANCHORS * NUM_CLASSES, activation="sigmoid")(feat))
        detector = keras.Model(inputs, [boxes, scores])

        pred_boxes, pred_scores = detector.predict(np.random.rand(2, 64, 64, 3), verbose=0)
        nmsed = tf.image.combined_non_max_suppression(
            pred_boxes, pred_scores, max_output_size_per_class=10, max_total_size=20,
            iou_threshold=0.5, score_threshold=0.3)
        print(nmsed.valid_detections)
        """,
    ),
    # ============================================================ optimisation
    Case(
        name="keras-more7-hard-example-sampling-nan-losses-k3",
        cause="optim.divergence",
        exception="ValueError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rng = np.random.default_rng(0)
        x = rng.random((256, 16, 16, 3)).astype("float32") * 255.0          # raw pixels, never scaled
        y = rng.integers(0, 4, 256)
        model = keras.Sequential([keras.Input((16, 16, 3)), layers.Flatten(), layers.Dense(64), layers.Dense(4)])
        opt = keras.optimizers.SGD(learning_rate=0.5)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)

        idx = np.arange(len(x))
        for step in range(30):
            with tf.GradientTape() as tape:
                per_sample = loss_fn(y[idx[:64]], model(x[idx[:64]], training=True))
                loss = tf.reduce_mean(per_sample)
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            # online hard example mining: resample the next batch proportionally to the loss
            all_losses = loss_fn(y, model(x, training=False)).numpy()
            idx = rng.choice(len(x), size=len(x), p=all_losses / all_losses.sum())
            print(f"step {step}: loss {float(loss):.3f}")
        """,
    ),
    Case(
        name="keras-more7-pca-of-nan-embeddings-tf215",
        cause="optim.divergence",
        exception="LinAlgError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(1)
        x = rng.random((128, 32, 32, 3)).astype("float32") * 255.0
        y = rng.integers(0, 8, 128)

        embedder = tf.keras.Sequential([
            tf.keras.layers.Flatten(input_shape=(32, 32, 3)),
            tf.keras.layers.Dense(64, name="embedding"),
        ])
        clf = tf.keras.Sequential([embedder, tf.keras.layers.Dense(8)])
        clf.compile(tf.keras.optimizers.SGD(learning_rate=0.5),
                    tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        clf.fit(x, y, epochs=3, batch_size=32)

        emb = embedder.predict(x)
        emb = emb - emb.mean(axis=0)
        u, s, vt = np.linalg.svd(emb, full_matrices=False)          # 2-D PCA for the embedding plot
        coords = emb @ vt[:2].T
        print(coords[:5])
        """,
    ),
    Case(
        name="keras-more7-class-balance-penalty-bincount-no-gradient-k3",
        cause="optim.autograd_graph",
        exception="LookupError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 5
        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, NUM_CLASSES, 64)
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(NUM_CLASSES, activation="softmax")])
        opt = keras.optimizers.Adam(1e-3)
        xent = keras.losses.SparseCategoricalCrossentropy()

        def balance_penalty(probs):
            # soft histogram of the predicted classes, weighted by confidence
            pred = tf.argmax(probs, axis=1, output_type=tf.int32)
            hist = tf.math.bincount(pred, weights=tf.reduce_max(probs, axis=1), minlength=NUM_CLASSES)
            hist = hist / tf.reduce_sum(hist)
            return tf.reduce_sum(tf.square(hist - 1.0 / NUM_CLASSES))

        for step in range(4):
            with tf.GradientTape() as tape:
                probs = model(x, training=True)
                loss = xent(y, probs) + 0.5 * balance_penalty(probs)
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            print(step, float(loss))
        """,
    ),
    # ============================================================ versions
    Case(
        name="keras-more7-adam-decay-argument-tf215",
        cause="env.version_incompat",
        exception="ValueError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.optimizers import Adam

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, activation="relu", input_shape=(48, 48, 1)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(7, activation="softmax"),
        ])
        # facial expression recognition, settings from the 2019 repo
        model.compile(optimizer=Adam(learning_rate=0.0001, decay=1e-6),
                      loss="categorical_crossentropy", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more7-dataset-zip-two-datasets-tf212",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf212",
        setup=photo_folders,
        code="""
        import tensorflow as tf

        files = sorted(tf.io.gfile.glob("{DATA}/train/*/*.jpg"))
        labels = [0 if "/cat/" in f else 1 for f in files]

        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)) / 255.0

        images_ds = tf.data.Dataset.from_tensor_slices(files).map(load)
        labels_ds = tf.data.Dataset.from_tensor_slices(labels)
        train_ds = tf.data.Dataset.zip(images_ds, labels_ds).shuffle(16).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ multiprocessing / distribution
    Case(
        name="keras-more7-pool-map-lambda-resize-k3",
        cause="env.multiprocessing",
        exception="PicklingError",
        env="k3",
        setup=raw_photos,
        code="""
        import glob
        from multiprocessing import Pool
        import numpy as np
        from PIL import Image
        import keras

        SIZE = 128
        paths = sorted(glob.glob("{DATA}/raw/*/*.jpg"))

        with Pool(4) as pool:
            images = pool.map(lambda p: np.asarray(Image.open(p).convert("RGB").resize((SIZE, SIZE))), paths)
        x = np.stack(images).astype("float32") / 255.0
        y = np.array([0 if "/cats/" in p else 1 for p in paths])
        """,
    ),
    Case(
        name="keras-more7-process-pool-spawn-no-main-guard-k3",
        cause="env.multiprocessing",
        exception="BrokenProcessPool",  # the workers print their own error above it
        env="k3",
        setup=raw_photos,
        timeout=300,
        code="""
        import glob
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        import numpy as np
        from PIL import Image

        mp.set_start_method("spawn", force=True)      # "fork is unsafe with TensorFlow"

        def load_and_resize(path, size=128):
            return np.asarray(Image.open(path).convert("RGB").resize((size, size)), dtype=np.uint8)

        paths = sorted(glob.glob("{DATA}/raw/*/*.jpg"))
        with ProcessPoolExecutor(max_workers=2) as ex:
            images = list(ex.map(load_and_resize, paths))
        x = np.stack(images).astype("float32") / 255.0

        import keras
        from keras import layers
        model = keras.Sequential([keras.Input((128, 128, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        """,
    ),
    Case(
        name="keras-more7-mirrored-perreplica-loss-numpy-k3",
        cause="env.distributed",
        exception="AttributeError",
        env="k3",
        framework="tensorflow",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # two replicas on this box (the real run uses two GPUs)
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        GLOBAL_BATCH = 16

        with strategy.scope():
            model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                      layers.GlobalAveragePooling2D(), layers.Dense(10)])
            opt = keras.optimizers.SGD(0.01)
            loss_obj = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")

        x = np.random.rand(64, 32, 32, 3).astype("float32")
        y = np.random.randint(0, 10, 64)
        ds = strategy.experimental_distribute_dataset(
            tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH))

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                per_example = loss_obj(labels, model(images, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for step, (images, labels) in enumerate(ds):
            loss = strategy.run(train_step, args=(images, labels))
            print(f"step {step} loss {loss.numpy():.4f}")
        """,
    ),
    # ============================================================ other
    Case(
        name="keras-more7-nb-json-dump-detections-float32-k3",
        cause="other",
        also=("data.dtype",),
        exception="TypeError",
        env="k3",
        **notebook([
            "import json\nimport numpy as np\nimport keras\nfrom keras import layers",
            "inputs = keras.Input((64, 64, 3))\n"
            "feat = layers.GlobalAveragePooling2D()(layers.Conv2D(16, 3, activation=\"relu\")(inputs))\n"
            "box = layers.Dense(4, activation=\"sigmoid\", name=\"box\")(feat)\n"
            "cls = layers.Dense(3, activation=\"softmax\", name=\"cls\")(feat)\n"
            "detector = keras.Model(inputs, [box, cls])",
            "images = np.random.rand(3, 64, 64, 3).astype(\"float32\")\n"
            "boxes, probs = detector.predict(images, verbose=0)\nresults = []\n"
            "for image_id, (b, p) in enumerate(zip(boxes, probs)):\n"
            "    results.append({\"image_id\": image_id, \"category_id\": int(p.argmax()),\n"
            "                    \"bbox\": [float(v) * 64 for v in b], \"score\": p.max()})",
            "with open(\"detections.json\", \"w\") as f:\n    json.dump(results, f)",
        ]),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
