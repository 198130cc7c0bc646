"""Untargeted held-out Keras / TensorFlow failures (g162, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of hobbyists and small-business owners
training tf.keras image classifiers and tiny detectors on very small sets of their own photos (10 to
100 images, a few per class): ``validation_split`` on a handful of files, batch sizes larger than the
data, classes with one or two images, heavy augmentation layers to make up for it, one-class folders
for "is it X", transfer learning with frozen ``keras.applications`` backbones (``weights=None``),
labelImg / YOLO boxes for a shop-counter detector, and predictions on a single photo from the phone,
spread over the cause ids of the taxonomy:

- files: fine-tuning on the one new phone photo with ``validation_split=0.2``; an "is it X" folder
  with only the positive class and ``label_mode="binary"``; two photos per class whose 20 %
  validation share rounds to zero files (the training subset comes out empty); a Google Images
  "save as" HTML page named ``.jpg`` in a class folder;
- image sizes: phone photos shrunk with PIL ``thumbnail`` (aspect kept) and stacked;
- channels: a CMYK product JPEG exported from the printer's catalogue stacked with RGB photos;
- boxes: a labelImg box dragged right to left (``xmax < xmin``) cropped with
  ``tf.image.crop_to_bounding_box``;
- too few boxes: nine k-means anchors seeded with ``np.random.choice(..., replace=False)`` on the
  seven boxes of a tiny detector set;
- labels: a YOLO ``.txt`` with class id 2 while ``classes.txt`` has two names; a reloaded
  three-class model trained on a folder with a fourth product added (also model outputs);
- label shapes: a hand-typed label list one entry short of the photos; yes/no folders loaded with
  ``label_mode="categorical"`` for a one-unit sigmoid head;
- dtypes: class-name strings from the folder names given to ``fit`` as labels;
- model inputs: a single phone photo given to ``predict`` without the batch axis (notebook);
- weights: a frozen MobileNetV2 + ``Flatten`` head saved at 96 px and loaded into a 128 px rebuild;
- API: ``image_dataset_from_directory(subset="both")`` assigned to one variable and fitted;
- divergence: a cookie-count regressor on raw 0-255 pixels with SGD + momentum under
  ``enable_check_numerics``;
- gradients: a custom head-only loop that takes ``.numpy()`` of the probabilities inside the tape;
- host memory: offline mixup of every pair of 100 photos in float64;
- versions: ``ImageDataGenerator`` imported from ``keras.preprocessing.image`` under Keras 3; the
  ``keras.layers.experimental.preprocessing`` augmentation layers (notebook);
- workers: a ``ProcessPoolExecutor`` shrinking phone photos with a function local to ``main``;
- CUDA setup: the copied ``set_memory_growth(list_physical_devices("GPU")[0])`` snippet on a laptop
  without a GPU;
- plain bugs: the "is it X" sigmoid probability used as an index into the class names.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21); scripts, scripts under a terminal (progress bars) and
notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more70.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g162): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import make_images as _imgs  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more70.py"


# ---------------------------------------------------------------- data helpers
def photos(root="photos", classes=("mug", "plate", "vase"), per=5, size=(80, 60), sizes=None, seed=7000):
    def setup(d: Path):
        _imgs(d / root, list(classes), per_class=per, size=size, fmt="jpeg", sizes=sizes, seed=seed)
    return setup


def one_new_photo(d: Path):
    _jpg(d / "new" / "IMG_2231.jpg", _rng(7001).integers(0, 255, size=(120, 90, 3), dtype="uint8"))


def html_as_jpg(d: Path):
    photos("photos", ("sourdough", "baguette"), per=6, seed=7002)(d)
    (d / "photos" / "baguette" / "baguette-google-images.jpg").write_text(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>baguette - Google Search"
        "</title></head>\n<body><div id=\"main\"><img src=\"data:image/gif;base64,R0lGODlhAQABAIAAAP///"
        "wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==\"></div></body></html>\n" * 4)


def cmyk_catalogue(d: Path):
    from PIL import Image
    photos("products", ("candle", "soap"), per=6, size=(96, 96), seed=7003)(d)
    arr = _rng(7004).integers(0, 255, size=(300, 300, 3), dtype="uint8")
    Image.fromarray(arr).convert("CMYK").save(d / "products" / "soap" / "soap_catalogue_print.jpg", quality=92)


def labelimg(d: Path, swap=None, n=8, seed=7005):
    """Pascal VOC XML files from labelImg next to 160x120 photos."""
    r = _rng(seed)
    for i in range(n):
        _jpg(d / "counter" / f"shot_{i:02d}.jpg", r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))
        x1, y1 = int(r.integers(5, 60)), int(r.integers(5, 40))
        x2, y2 = x1 + int(r.integers(30, 90)), y1 + int(r.integers(30, 70))
        if swap == i:
            x1, x2 = x2, x1          # dragged from the bottom-right corner to the top-left one
        (d / "counter" / f"shot_{i:02d}.xml").write_text(f"""<annotation>
	<folder>counter</folder>
	<filename>shot_{i:02d}.jpg</filename>
	<size><width>160</width><height>120</height><depth>3</depth></size>
	<object>
		<name>{"croissant" if i % 2 else "muffin"}</name>
		<bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox>
	</object>
</annotation>
""")


def labelimg_swapped(d):
    labelimg(d, swap=5)


def labelimg_seven(d):
    labelimg(d, n=7, seed=7006)


def yolo(d: Path):
    r = _rng(7007)
    (d / "shelf").mkdir(parents=True)
    (d / "shelf" / "classes.txt").write_text("jam\nhoney\n")
    ids = [0, 1, 0, 1, 1, 0, 2, 0, 1, 0, 1, 0]     # shot_06 labelled in the old three-class session
    for i, c in enumerate(ids):
        _jpg(d / "shelf" / f"shot_{i:02d}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        cx, cy, w, h = (round(float(v), 6) for v in r.uniform(0.3, 0.6, 4))
        (d / "shelf" / f"shot_{i:02d}.txt").write_text(f"{c} {cx} {cy} {w} {h}\n")


def three_class_model(d: Path):
    photos("products", ("candle", "soap", "wax_melt", "gift_box"), per=5, size=(64, 64), seed=7008)(d)
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("shop_classifier.keras")
    """, d)


def cookies(d: Path):
    import csv
    r = _rng(7009)
    rows = []
    for i in range(30):
        _jpg(d / "trays" / f"tray_{i:02d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append([f"tray_{i:02d}.jpg", int(r.integers(6, 36))])
    with open(d / "trays" / "counts.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "cookies"])
        w.writerows(rows)


IMPORTS = """
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
"""

AUG = """data_augmentation = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandomRotation(0.2),
            layers.RandomZoom(0.2),
            layers.RandomContrast(0.2),
        ], name="augment")"""


def small_cnn(n, act="softmax", size=64, indent="        "):
    src = f"""model = keras.Sequential([
    keras.Input(({size}, {size}, 3)),
    data_augmentation,
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dropout(0.3),
    layers.Dense({n}, activation="{act}"),
])"""
    return "\n".join((indent + l) if i else l for i, l in enumerate(src.splitlines()))


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more70-fine-tune-on-one-new-phone-photo-validation-split-0-2-k3",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=lambda d: (photos("photos", per=4)(d), one_new_photo(d)),
        pty=True,
        expect="not sufficient to split",
        code=IMPORTS + """
        CLASSES = ["mug", "plate", "vase"]

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/photos", image_size=(64, 64), batch_size=32, class_names=CLASSES)
        """ + AUG + """
        """ + small_cnn("len(CLASSES)") + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)

        # a customer sent a new vase photo: teach it to the model too
        img = keras.utils.load_img("{DATA}/new/IMG_2231.jpg", target_size=(64, 64))
        x = np.expand_dims(keras.utils.img_to_array(img), 0)
        y = np.array([CLASSES.index("vase")])
        model.fit(x, y, epochs=10, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more70-is-it-my-cat-one-class-folder-label-mode-binary-k3",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=photos("cat_photos", ("miso",), per=9, size=(72, 72)),
        expect="exactly 2 class_names",
        code=IMPORTS + """
        # only photos of Miso: the model should answer "is this Miso?"
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/cat_photos",
            label_mode="binary",
            image_size=(64, 64),
            batch_size=16,
        )
        """ + AUG + """
        """ + small_cnn(1, "sigmoid") + """
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """,
    ),
    Case(
        name="keras-more70-two-photos-per-class-validation-split-rounds-to-zero-empty-training-subset-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=photos("plants", ("healthy", "overwatered"), per=2, size=(80, 80)),
        pty=True,
        expect="No images found in directory",
        code=IMPORTS + """
        BATCH = 32
        IMG = (64, 64)

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/plants", validation_split=0.2, subset="training", seed=42, image_size=IMG, batch_size=BATCH)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/plants", validation_split=0.2, subset="validation", seed=42, image_size=IMG, batch_size=BATCH)
        class_names = train_ds.class_names

        """ + AUG + """
        """ + small_cnn("len(class_names)") + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=30)
        """,
    ),
    Case(
        name="keras-more70-google-images-save-as-html-page-named-jpg-in-class-folder-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=html_as_jpg,
        pty=True,
        expect="Unknown image file format",
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/photos", image_size=(64, 64), batch_size=32, seed=1)
        class_names = train_ds.class_names
        print(class_names)
        train_ds = train_ds.cache().prefetch(tf.data.AUTOTUNE)

        """ + AUG + """
        """ + small_cnn("len(class_names)") + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=15)
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more70-phone-photos-pil-thumbnail-keeps-aspect-then-np-stack-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=photos("jewellery", ("ring", "earring", "necklace"), per=4, sizes=[(120, 90), (90, 120), (120, 90)]),
        expect="all input arrays must have the same shape",
        code=IMPORTS + """
        import os
        from PIL import Image

        ROOT = "{DATA}/jewellery"
        class_names = sorted(os.listdir(ROOT))
        images, labels = [], []
        for idx, name in enumerate(class_names):
            for fname in sorted(os.listdir(os.path.join(ROOT, name))):
                img = Image.open(os.path.join(ROOT, name, fname)).convert("RGB")
                img.thumbnail((64, 64))          # shrink without squashing the ring
                images.append(np.asarray(img, dtype="float32"))
                labels.append(idx)
        x = np.stack(images)
        y = np.array(labels)
        print(x.shape, y.shape)

        """ + AUG + """
        """ + small_cnn("len(class_names)") + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=20, batch_size=64)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more70-printer-catalogue-cmyk-jpeg-stacked-with-rgb-product-photos-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=cmyk_catalogue,
        pty=True,
        expect="all input arrays must have the same shape",
        code=IMPORTS + """
        from pathlib import Path
        from PIL import Image

        ROOT = Path("{DATA}/products")
        class_names = sorted(p.name for p in ROOT.iterdir())
        x, y = [], []
        for i, c in enumerate(class_names):
            for f in sorted((ROOT / c).glob("*.jpg")):
                x.append(np.asarray(Image.open(f).resize((64, 64))))
                y.append(i)
        x = np.stack(x).astype("float32")
        y = np.array(y)

        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None, alpha=0.35)
        base.trainable = False
        inputs = keras.Input((64, 64, 3))
        h = keras.applications.mobilenet_v2.preprocess_input(inputs)
        h = base(h, training=False)
        h = layers.GlobalAveragePooling2D()(h)
        outputs = layers.Dense(len(class_names), activation="softmax")(h)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=32)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more70-labelimg-box-dragged-right-to-left-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        expect="target_width must be > 0",
        setup=labelimg_swapped,
        code=IMPORTS + """
        import glob
        import xml.etree.ElementTree as ET

        CLASSES = ["muffin", "croissant"]
        crops, labels = [], []
        for xml_path in sorted(glob.glob("{DATA}/counter/*.xml")):
            root = ET.parse(xml_path).getroot()
            img = tf.io.decode_jpeg(tf.io.read_file(xml_path.replace(".xml", ".jpg")), channels=3)
            for obj in root.iter("object"):
                bb = obj.find("bndbox")
                xmin, ymin, xmax, ymax = (int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
                crop = tf.image.crop_to_bounding_box(img, ymin, xmin, ymax - ymin, xmax - xmin)
                crops.append(tf.image.resize(crop, (64, 64)))
                labels.append(CLASSES.index(obj.find("name").text))
        x = tf.stack(crops)
        y = np.array(labels)

        """ + AUG + """
        """ + small_cnn("len(CLASSES)") + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=20, batch_size=32)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more70-nine-kmeans-anchors-seeded-from-seven-labelimg-boxes-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        setup=labelimg_seven,
        expect="Cannot take a larger sample than population",
        code="""
        import glob
        import xml.etree.ElementTree as ET

        import numpy as np

        NUM_ANCHORS = 9          # 3 scales x 3 ratios, as in the YOLOv3 config
        INPUT = 160


        def iou_wh(boxes, anchors):
            inter = np.minimum(boxes[:, None, 0], anchors[None, :, 0]) * np.minimum(boxes[:, None, 1], anchors[None, :, 1])
            return inter / (boxes[:, 0:1] * boxes[:, 1:2] + (anchors[:, 0] * anchors[:, 1])[None] - inter)


        def kmeans(boxes, k, iters=100, seed=0):
            rng = np.random.default_rng(seed)
            anchors = boxes[rng.choice(len(boxes), k, replace=False)]
            for _ in range(iters):
                nearest = np.argmax(iou_wh(boxes, anchors), axis=1)
                anchors = np.array([boxes[nearest == j].mean(0) if np.any(nearest == j) else anchors[j] for j in range(k)])
            return anchors


        wh = []
        for xml_path in sorted(glob.glob("{DATA}/counter/*.xml")):
            root = ET.parse(xml_path).getroot()
            W = int(root.find("size/width").text)
            H = int(root.find("size/height").text)
            for bb in root.iter("bndbox"):
                w = int(bb.find("xmax").text) - int(bb.find("xmin").text)
                h = int(bb.find("ymax").text) - int(bb.find("ymin").text)
                wh.append([w / W * INPUT, h / H * INPUT])
        wh = np.array(wh, dtype="float32")
        print(f"{len(wh)} boxes")
        anchors = kmeans(wh, NUM_ANCHORS)
        anchors = anchors[np.argsort(anchors.prod(1))]
        print("anchors:", np.round(anchors).astype(int).tolist())
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more70-yolo-txt-class-id-2-while-classes-txt-has-two-names-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=yolo,
        pty=True,
        expect="outside the valid range",
        code=IMPORTS + """
        import glob

        classes = open("{DATA}/shelf/classes.txt").read().split()
        paths = sorted(glob.glob("{DATA}/shelf/*.jpg"))
        # one object per shot: the class id is the first field of the YOLO line
        labels = [int(open(p[:-4] + ".txt").readline().split()[0]) for p in paths]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (64, 64)), label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).shuffle(16).batch(32)

        """ + AUG + """
        """ + small_cnn("len(classes)") + """
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=25)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more70-hand-typed-label-list-one-short-of-the-photos-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=photos("mix", ("all",), per=12, size=(64, 64), seed=7010),
        expect="Data cardinality is ambiguous",
        code=IMPORTS + """
        import os

        files = sorted(os.listdir("{DATA}/mix/all"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(os.path.join("{DATA}/mix/all", f), target_size=(64, 64)))
                      for f in files])
        # 0 = ripe, 1 = unripe, 2 = rotten  (typed while going through the photos)
        y = np.array([0, 0, 1, 2, 1, 0, 2, 1, 1, 0, 2])

        """ + AUG + """
        """ + small_cnn(3) + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=30, batch_size=32)
        """,
    ),
    Case(
        name="keras-more70-yes-no-folders-label-mode-categorical-one-unit-sigmoid-head-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=photos("is_it_dented", ("no", "yes"), per=7, size=(80, 80), seed=7011),
        pty=True,
        expect="must have the same shape",
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/is_it_dented", label_mode="categorical", image_size=(96, 96), batch_size=32)

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, alpha=0.35)
        base.trainable = False
        """ + AUG + """
        inputs = keras.Input((96, 96, 3))
        h = data_augmentation(inputs)
        h = keras.applications.mobilenet_v2.preprocess_input(h)
        h = base(h, training=False)
        h = layers.GlobalAveragePooling2D()(h)
        h = layers.Dropout(0.2)(h)
        outputs = layers.Dense(1, activation="sigmoid")(h)     # yes / no
        model = keras.Model(inputs, outputs)
        model.compile(keras.optimizers.Adam(1e-3), "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more70-folder-name-strings-as-labels-np-array-into-fit-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=photos("birds", ("robin", "blue_tit", "sparrow"), per=4, size=(64, 64), seed=7012),
        expect="Invalid dtype",
        code=IMPORTS + """
        from pathlib import Path

        images, labels = [], []
        for f in sorted(Path("{DATA}/birds").glob("*/*.jpg")):
            images.append(keras.utils.img_to_array(keras.utils.load_img(f, target_size=(64, 64))))
            labels.append(f.parent.name)          # the folder is the label
        x = np.array(images)
        y = np.array(labels)
        print(x.shape, y[:5])

        """ + AUG + """
        """ + small_cnn(3) + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=30, batch_size=32)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more70-notebook-single-phone-photo-predict-without-batch-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/photos", image_size=(96, 96), batch_size=32)
            class_names = train_ds.class_names
            base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, alpha=0.35)
            base.trainable = False
            inputs = keras.Input((96, 96, 3))
            h = keras.applications.mobilenet_v2.preprocess_input(inputs)
            h = layers.GlobalAveragePooling2D()(base(h, training=False))
            model = keras.Model(inputs, layers.Dense(len(class_names), activation="softmax")(h))
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=3, verbose=2)
            """,
            """
            img = keras.utils.load_img("{DATA}/new/IMG_2231.jpg", target_size=(96, 96))
            x = keras.utils.img_to_array(img)
            x.shape
            """,
            """
            pred = model.predict(x)
            print(class_names[np.argmax(pred)])
            """,
        ], data=lambda d: (photos("photos", per=4, size=(96, 96))(d), one_new_photo(d))),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more70-reloaded-three-class-model-fourth-product-folder-added-continue-training-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        setup=three_class_model,
        pty=True,
        expect="outside the valid range",
        code=IMPORTS + """
        # the gift boxes arrived this week: photos added as a new folder, keep training the shop model
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/products", image_size=(64, 64), batch_size=32, shuffle=True, seed=3)
        print(train_ds.class_names)

        model = keras.models.load_model("{DATA}/shop_classifier.keras")
        model.fit(train_ds, epochs=10)
        model.save("{DATA}/shop_classifier.keras")
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more70-frozen-mobilenet-flatten-head-weights-96px-loaded-into-128px-rebuild-k3",
        cause="model.weights_mismatch",
        also=("model.input_shape",),
        exception="ValueError",
        setup=photos("photos", per=4, size=(128, 128), seed=7013),
        code=IMPORTS + """
        def build(size, n_classes=3):
            base = keras.applications.MobileNetV2(input_shape=(size, size, 3), include_top=False, weights=None, alpha=0.35)
            base.trainable = False
            return keras.Sequential([
                keras.Input((size, size, 3)),
                layers.Rescaling(1.0 / 127.5, offset=-1),
                base,
                layers.Flatten(),
                layers.Dense(n_classes, activation="softmax"),
            ])


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/photos", image_size=(96, 96), batch_size=32)
        model = build(96)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)
        model.save_weights("shop.weights.h5")

        # the photos look sharper at 128 px: same model, bigger input, start from the trained weights
        model = build(128)
        model.load_weights("shop.weights.h5")
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more70-dir-dataset-subset-both-assigned-to-one-variable-and-fitted-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=photos("photos", ("mug", "plate"), per=6, size=(64, 64), seed=7014),
        pty=True,
        expect="Unrecognized data type",
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/photos",
            validation_split=0.25,
            subset="both",
            seed=123,
            image_size=(64, 64),
            batch_size=8,
        )

        """ + AUG + """
        """ + small_cnn(2) + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more70-cookie-count-regressor-raw-pixels-sgd-momentum-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=cookies,
        expect="Tensor had",
        code=IMPORTS + """
        import csv

        tf.debugging.enable_check_numerics()

        with open("{DATA}/trays/counts.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f"{DATA}/trays/{r['file']}")) for r in rows])
        y = np.array([float(r["cookies"]) for r in rows], "float32")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.RandomFlip(),
            layers.RandomRotation(0.2),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),                  # number of cookies on the tray
        ])
        model.compile(keras.optimizers.SGD(0.01, momentum=0.9), "mse", metrics=["mae"])
        model.fit(x, y, epochs=30, batch_size=64, verbose=2)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more70-head-only-custom-loop-numpy-probabilities-inside-tape-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=photos("photos", per=4, size=(64, 64), seed=7015),
        pty=True,
        expect="No gradients provided",
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/photos", image_size=(64, 64), batch_size=32)
        n_classes = len(train_ds.class_names)

        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None, alpha=0.35)
        base.trainable = False
        head = keras.Sequential([keras.Input(base.output_shape[1:]), layers.GlobalAveragePooling2D(),
                                 layers.Dense(n_classes, activation="softmax")])
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(10):
            for images, labels in train_ds:
                feats = base(keras.applications.mobilenet_v2.preprocess_input(images), training=False)
                with tf.GradientTape() as tape:
                    probs = head(feats, training=True).numpy()
                    # label smoothing by hand: so few photos, don't be over-confident
                    probs = np.clip(probs, 1e-3, 1 - 1e-3)
                    loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(labels, probs))
                grads = tape.gradient(loss, head.trainable_variables)
                opt.apply_gradients(zip(grads, head.trainable_variables))
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more70-offline-mixup-every-pair-of-hundred-photos-float64-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=photos("photos", ("mug", "plate", "vase", "bowl"), per=25, size=(128, 128), seed=7016),
        as_limit=3 * 1024**3,
        code="""
        from pathlib import Path

        import numpy as np
        from PIL import Image

        files = sorted(Path("{DATA}/photos").glob("*/*.jpg"))
        names = sorted({f.parent.name for f in files})
        X = np.stack([np.asarray(Image.open(f).convert("RGB"), dtype=np.float64) / 255.0 for f in files])
        Y = np.eye(len(names))[[names.index(f.parent.name) for f in files]]
        print(X.shape, "photos")

        # only 100 photos: blend every pair to get 10,000 training images
        i, j = np.meshgrid(np.arange(len(X)), np.arange(len(X)), indexing="ij")
        i, j = i.ravel(), j.ravel()
        lam = np.random.default_rng(0).beta(0.4, 0.4, size=len(i))
        X_mix = lam[:, None, None, None] * X[i] + (1 - lam[:, None, None, None]) * X[j]
        Y_mix = lam[:, None] * Y[i] + (1 - lam[:, None]) * Y[j]
        np.savez_compressed("mixup_train.npz", x=X_mix.astype(np.float32), y=Y_mix)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more70-old-tutorial-imagedatagenerator-from-keras-preprocessing-image-k3",
        cause="env.version_incompat",
        exception="ImportError",
        setup=photos("photos", per=5, size=(64, 64), seed=7017),
        expect="cannot import name 'ImageDataGenerator'",
        code="""
        import keras
        from keras import layers
        from keras.preprocessing.image import ImageDataGenerator

        # lots of augmentation: there are only 15 photos
        datagen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=40, width_shift_range=0.2,
                                     height_shift_range=0.2, shear_range=0.2, zoom_range=0.3,
                                     horizontal_flip=True, fill_mode="nearest")
        train_gen = datagen.flow_from_directory("{DATA}/photos", target_size=(64, 64), batch_size=32,
                                                class_mode="sparse")
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=50)
        """,
    ),
    Case(
        name="keras-more70-notebook-layers-experimental-preprocessing-augmentation-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        **notebook([
            """
            import tensorflow as tf
            import keras
            print(tf.__version__, keras.__version__)
            """,
            """
            from keras.layers.experimental.preprocessing import RandomFlip, RandomRotation, RandomZoom, Rescaling

            data_augmentation = keras.Sequential([
                RandomFlip("horizontal"),
                RandomRotation(0.1),
                RandomZoom(0.1),
            ])
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/photos", image_size=(64, 64))
            """,
        ], data=photos("photos", per=4, size=(64, 64), seed=7018)),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more70-process-pool-shrinks-phone-photos-with-function-local-to-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=photos("phone_dump", ("mug", "plate"), per=6, size=(400, 300), seed=7019),
        expect="Can't pickle local object",
        code="""
        from concurrent.futures import ProcessPoolExecutor
        from pathlib import Path

        import numpy as np
        from PIL import Image
        import keras


        def main():
            src = Path("{DATA}/phone_dump")
            dst = Path("small")
            size = (128, 128)

            def shrink(path):
                out = dst / path.parent.name / path.name
                out.parent.mkdir(parents=True, exist_ok=True)
                Image.open(path).convert("RGB").resize(size).save(out)
                return out

            files = sorted(src.glob("*/*.jpg"))
            with ProcessPoolExecutor(max_workers=4) as ex:
                done = list(ex.map(shrink, files))
            print(f"resized {len(done)} photos")

            ds = keras.utils.image_dataset_from_directory(dst, image_size=size, batch_size=16)
            print(ds.class_names)


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more70-copied-gpu-memory-growth-snippet-on-laptop-without-gpu-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        setup=photos("photos", per=4, size=(64, 64), seed=7020),
        pty=True,
        code=IMPORTS + """
        # from the tutorial: stop TensorFlow grabbing all the GPU memory
        gpus = tf.config.list_physical_devices("GPU")
        tf.config.experimental.set_memory_growth(gpus[0], True)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/photos", image_size=(64, 64), batch_size=32)
        """ + AUG + """
        """ + small_cnn(3) + """
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more70-is-it-a-weed-sigmoid-probability-used-as-class-names-index-k3",
        cause="other",
        exception="TypeError",
        setup=lambda d: (photos("garden", ("not_weed", "weed"), per=6, size=(64, 64), seed=7021)(d),
                         one_new_photo(d)),
        pty=True,
        expect="list indices must be integers or slices",
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/garden", label_mode="binary", image_size=(64, 64), batch_size=32)
        class_names = train_ds.class_names

        """ + AUG + """
        """ + small_cnn(1, "sigmoid") + """
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)

        img = keras.utils.load_img("{DATA}/new/IMG_2231.jpg", target_size=(64, 64))
        pred = model.predict(np.expand_dims(keras.utils.img_to_array(img), 0))
        print("this is a", class_names[np.round(pred[0][0])])
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
