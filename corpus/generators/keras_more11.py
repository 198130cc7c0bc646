"""An eleventh set of real Keras / TensorFlow failures, centred on classifiers and
small detectors fed by Python generators, ``keras.utils.Sequence`` / ``PyDataset``
objects, ``image_dataset_from_directory`` and tf.data pipelines whose data is wrong,
on TF 2.12 / 2.15 / 2.21 with tf_keras (Keras 2) and TF 2.21 (Keras 3).

Code paths keras_more.py ... keras_more10.py leave out: ``np.array`` over a batch
of phone photos of several sizes, ``Image.thumbnail`` keeping the aspect ratio in a
Sequence, a webcam of another resolution against a fixed ``output_signature``, a
validation folder read at the default 256 x 256, ``sample_from_datasets`` over two
sources resized differently, a ``.cache()`` file left from a run at another image
size, ``ragged_batch`` handed to a Conv2D; RGBA screenshots, ``decode_jpeg(channels=1)``
before an RGB backbone, X-ray folders with RGB exports, an RGBA icon class through
``decode_png(channels=0)``; per-batch ``to_categorical`` (a batch without the last
class), folder ids for a multi-label sigmoid head, the TF tutorial's
``parts[-2] == class_names`` without ``argmax``, labels not sliced in
``__getitem__``, a generator of images only, a file name as a third element;
folder counts that do not match a hard-coded head; box targets holding the class
column for ``compute_ciou``, right-to-left drags under ``sqrt(w)``, COCO xywh read
as corners under ``log(w)``, YOLO rows of 5 numbers copied into a (max_boxes, 4)
target, pixel boxes for a linear box head; learning rates that blow a detector
or a classifier up (``TerminateOnNaN(raise_error=True)``, ``enable_check_numerics``,
``loss: nan`` in the bar, ``assert_all_finite`` on predictions); objects passed
where a path is expected (a decoded array or a symbolic tensor to ``load_img``, a
list of folders to ``image_dataset_from_directory``, a folder string to ``fit``,
EagerTensor paths to PIL, a model object to ``load_model``); generators yielding
single samples, and ``output_types`` without shapes, a PyDataset returning one dict of image and label.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more11.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import rgb as _rgb, rng as _rng  # noqa: E402
from _record import class_folder, imgs  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, save_png  # noqa: E402



# ---------------------------------------------------------------- data helpers
# phone photos: portrait, landscape and square shots mixed in every class
plant_photos = imgs([(f"plants/{c}/{c}_{i:02d}.jpg", [(64, 64), (80, 60), (60, 80)][i % 3], "RGB")
                     for c in ("healthy", "blight", "mildew") for i in range(6)])

# product photos of several aspect ratios (PIL's thumbnail keeps the ratio)
product_photos = imgs([(f"products/{c}/{c}_{i:02d}.jpg", [(120, 80), (100, 100), (80, 120)][i % 3], "RGB")
                       for c in ("mug", "plate", "bowl") for i in range(6)])


def webcam_frames(d: Path):
    """frames from the old webcam (64x64) and, sorted after them, the new one (96x72)."""
    make_images(d / "frames" / "cam1", ["empty", "person"], per_class=5, size=(64, 64), fmt="png")
    make_images(d / "frames" / "cam2", ["empty", "person"], per_class=3, size=(96, 72), fmt="png", seed=5)


def train_val_folders(d: Path):
    make_images(d / "dataset" / "train", ["cats", "dogs", "horses"], per_class=6, size=(100, 100), fmt="jpeg")
    make_images(d / "dataset" / "validation", ["cats", "dogs", "horses"], per_class=3, size=(100, 100),
                fmt="jpeg", seed=4)


def two_sources(d: Path):
    make_images(d / "kaggle_birds", ["crow", "robin", "sparrow"], per_class=6, size=(64, 64), fmt="png")
    make_images(d / "my_birds", ["crow", "robin", "sparrow"], per_class=4, size=(120, 90), fmt="jpeg", seed=7)


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "dandelion", "roses", "sunflowers", "tulips"], per_class=4,
                size=(72, 72), fmt="jpeg")


def flowers_png(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(64, 64), fmt="png")


ui_screenshots = imgs(class_folder("screens", ["login", "checkout", "error"], 6, size=(64, 64), mode="RGBA",
                                   ext="png"))

leaf_jpegs = imgs(class_folder("leaves", ["healthy", "rust", "scab"], 6, size=(64, 64), ext="jpg"))


def xray_folders(d: Path):
    """chest X-rays as 8-bit grayscale PNGs; a few came from the PACS viewer as RGB exports."""
    rng = _rng(2)
    for c in ("normal", "pneumonia"):
        for i in range(8):
            arr = rng.integers(0, 255, (64, 64), dtype="uint8")
            if i in (3, 6):
                arr = _rgb(64, 64, i)
            save_png(d / "xrays" / c / f"{c}_{i:03d}.png", arr)


def icons(d: Path):
    make_images(d / "icons", ["arrow", "gear", "home"], per_class=5, size=(48, 48), fmt="png")
    # the "trash" icons were exported with transparency
    make_images(d / "icons", ["trash"], per_class=5, size=(48, 48), mode="RGBA", fmt="png", seed=3)


def tags_folders(d: Path):
    make_images(d / "scenes", ["beach", "city", "forest", "mountain", "snow"], per_class=4, size=(64, 64),
                fmt="jpeg")


def parts_four(d: Path):
    make_images(d / "parts", ["bolt", "gear", "nut", "washer"], per_class=5, size=(64, 64), fmt="png")


def parts_five(d: Path):
    """four classes in the config, but someone added a 'spring' folder."""
    make_images(d / "parts", ["bolt", "gear", "nut", "spring", "washer"], per_class=4, size=(64, 64), fmt="png")


def fruit_four(d: Path):
    make_images(d / "fruit", ["apple", "banana", "kiwi", "orange"], per_class=5, size=(64, 64), fmt="jpeg")


def _boxes_csv(d: Path, name: str, rows, header: str, n: int, size=(64, 64)):
    for i in range(n):
        save_png(d / name / "images" / f"img_{i:03d}.png", _rgb(size[1], size[0], 30 + i))
    (d / name / "boxes.csv").write_text(header + "\n" + "\n".join(rows) + "\n")


def cars_with_class_column(d: Path):
    """one car / truck / bus per image: class_id,xmin,ymin,xmax,ymax normalised."""
    rng = _rng(5)
    rows = []
    for i in range(16):
        x1, y1 = rng.uniform(0.05, 0.4, 2)
        x2, y2 = x1 + rng.uniform(0.2, 0.5), y1 + rng.uniform(0.2, 0.5)
        rows.append(f"img_{i:03d}.png,{i % 3},{x1:.3f},{y1:.3f},{x2:.3f},{y2:.3f}")
    _boxes_csv(d, "vehicles", rows, "file,class_id,xmin,ymin,xmax,ymax", 16)


def drags_right_to_left(d: Path):
    """normalised xmin,ymin,xmax,ymax; the annotator dragged some boxes from right to left."""
    rng = _rng(6)
    rows = []
    for i in range(16):
        x1, y1 = rng.uniform(0.1, 0.4, 2)
        x2, y2 = x1 + rng.uniform(0.2, 0.4), y1 + rng.uniform(0.2, 0.4)
        if i % 5 == 2:
            x1, x2 = x2, x1
        rows.append(f"img_{i:03d}.png,{x1:.3f},{y1:.3f},{x2:.3f},{y2:.3f}")
    _boxes_csv(d, "birds", rows, "file,xmin,ymin,xmax,ymax", 16)


def coco_xywh(d: Path):
    """COCO export: bbox = [x, y, width, height] in pixels of 128x128 images."""
    import json
    rng = _rng(7)
    images, anns = [], []
    for i in range(16):
        name = f"img_{i:03d}.png"
        save_png(d / "dogs" / "images" / name, _rgb(128, 128, 50 + i))
        x, y = rng.integers(30, 80, 2)
        w, h = rng.integers(15, 45, 2)
        images.append({"id": i, "file_name": name, "width": 128, "height": 128})
        anns.append({"id": i, "image_id": i, "category_id": 1, "bbox": [int(x), int(y), int(w), int(h)]})
    (d / "dogs" / "instances.json").write_text(json.dumps({"images": images, "annotations": anns,
                                                           "categories": [{"id": 1, "name": "dog"}]}))


def yolo_txt(d: Path):
    """YOLO labels: one 'class cx cy w h' row per object, 1-3 objects per image."""
    rng = _rng(8)
    for i in range(12):
        save_png(d / "fish" / "images" / f"fish_{i:03d}.png", _rgb(64, 64, 70 + i))
        rows = []
        for _ in range(1 + i % 3):
            cx, cy = rng.uniform(0.3, 0.7, 2)
            w, h = rng.uniform(0.1, 0.3, 2)
            rows.append(f"{i % 2} {cx:.4f} {cy:.4f} {w:.4f} {h:.4f}")
        (d / "fish" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "fish" / "labels" / f"fish_{i:03d}.txt").write_text("\n".join(rows) + "\n")


def pixel_boxes(d: Path):
    """labelImg-style pixel corners on 320x240 photos (stored here as small thumbnails)."""
    rng = _rng(9)
    rows = []
    for i in range(32):
        x1, y1 = rng.integers(10, 150), rng.integers(10, 100)
        rows.append(f"img_{i:03d}.png,{x1},{y1},{x1 + rng.integers(40, 160)},{y1 + rng.integers(40, 130)}")
    _boxes_csv(d, "plates", rows, "file,xmin,ymin,xmax,ymax", 32, size=(48, 48))


def norm_boxes(d: Path):
    rng = _rng(10)
    rows = []
    for i in range(32):
        x1, y1 = rng.uniform(0.05, 0.5, 2)
        x2, y2 = x1 + rng.uniform(0.1, 0.45), y1 + rng.uniform(0.1, 0.45)
        rows.append(f"img_{i:03d}.png,{x1:.3f},{y1:.3f},{x2:.3f},{y2:.3f}")
    _boxes_csv(d, "balls", rows, "file,xmin,ymin,xmax,ymax", 32, size=(48, 48))


digits_like = imgs(class_folder("signs", ["stop", "yield", "speed"], 8, size=(48, 48), ext="png"))


# ---------------------------------------------------------------- snippets
LOAD_BOXES = """
import csv
import numpy as np
from PIL import Image

ROOT = "{DATA}/@@"
with open(f"{ROOT}/boxes.csv") as f:
    rows = list(csv.DictReader(f))
images = np.stack([np.asarray(Image.open(f"{ROOT}/images/{r['file']}").convert("RGB"), "float32") / 255.0
                   for r in rows])
"""


def load_boxes(name: str) -> str:
    return LOAD_BOXES.replace("@@", name)


CASES = [
    # ------------------------------------------------------------ image sizes
    Case(
        name="keras-more11-pydataset-np-array-mixed-phone-photos-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=plant_photos,
        expect="inhomogeneous",
        code="""
        import glob
        import math
        import os
        import numpy as np
        import keras
        from PIL import Image

        ROOT = "{DATA}/plants"
        CLASSES = sorted(os.listdir(ROOT))
        paths = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths]


        class PlantDataset(keras.utils.PyDataset):
            def __init__(self, paths, labels, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.paths, self.labels, self.batch_size = paths, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.array([np.asarray(Image.open(p).convert("RGB")) for p in self.paths[sl]], dtype="float32")
                y = np.array(self.labels[sl])
                return x / 255.0, y


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(PlantDataset(paths, labels), epochs=3)
        """,
    ),
    Case(
        name="keras-more11-sequence-pil-thumbnail-keeps-aspect-tf212",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf212",
        setup=product_photos,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        IMG_SIZE = (64, 64)
        ROOT = "{DATA}/products"
        CLASSES = sorted(os.listdir(ROOT))


        class ProductSequence(tf.keras.utils.Sequence):
            def __init__(self, root, batch_size=6):
                self.paths = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
                np.random.default_rng(0).shuffle(self.paths)
                self.batch_size = batch_size

            def __len__(self):
                return len(self.paths) // self.batch_size

            def load(self, path):
                img = Image.open(path).convert("RGB")
                img.thumbnail(IMG_SIZE)          # shrink in place, no distortion
                return np.asarray(img, dtype="float32") / 255.0

            def __getitem__(self, idx):
                batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([self.load(p) for p in batch])
                y = np.array([CLASSES.index(os.path.basename(os.path.dirname(p))) for p in batch])
                return x, y


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=IMG_SIZE + (3,)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ProductSequence(ROOT), epochs=2)
        """,
    ),
    Case(
        name="keras-more11-from-generator-signature-second-webcam-tf215",
        cause="data.image_size_mismatch",
        exception="TypeError",
        env="tf215",
        setup=webcam_frames,
        expect="where an element of shape (64, 64, 3) was expected",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["empty", "person"]
        FILES = sorted(glob.glob("{DATA}/frames/*/*/*.png"))


        def frames():
            for path in FILES:
                img = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255.0
                yield img, CLASSES.index(os.path.basename(os.path.dirname(path)))


        ds = tf.data.Dataset.from_generator(
            frames,
            output_signature=(tf.TensorSpec(shape=(64, 64, 3), dtype=tf.float32),
                              tf.TensorSpec(shape=(), dtype=tf.int32)),
        ).batch(4).prefetch(tf.data.AUTOTUNE)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more11-dir-validation-default-image-size-tf212",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf212",
        setup=train_val_folders,
        expect="found shape=(None, 256, 256, 3)",
        code="""
        import tensorflow as tf

        IMG_SIZE = (96, 96)
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/dataset/train", image_size=IMG_SIZE, batch_size=8, seed=1)
        val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/dataset/validation", batch_size=8, seed=1)
        class_names = train_ds.class_names

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=IMG_SIZE + (3,)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(len(class_names)),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        history = model.fit(train_ds, validation_data=val_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more11-sample-from-datasets-two-sources-sizes-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=two_sources,
        expect="Cannot batch tensors with different shapes",
        code="""
        import tensorflow as tf
        import keras

        IMG_SIZE = (96, 96)


        def load(folder, image_size):
            return keras.utils.image_dataset_from_directory(folder, image_size=image_size, batch_size=None,
                                                            shuffle=True, seed=0)


        kaggle = load("{DATA}/kaggle_birds", (64, 64))     # the Kaggle set comes as 64x64 crops
        mine = load("{DATA}/my_birds", IMG_SIZE)

        train_ds = tf.data.Dataset.sample_from_datasets([kaggle, mine], weights=[0.5, 0.5], seed=3)
        train_ds = train_ds.batch(8).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((None, None, 3)),
            keras.layers.Rescaling(1.0 / 255),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more11-nb-dataset-cache-file-after-img-size-change-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        expect="Incompatible shapes at component 0",
        **notebook([
            """
import os
import tensorflow as tf
import keras

os.makedirs("cache", exist_ok=True)

def make_ds(img_size):
    ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=img_size, batch_size=None,
                                                  shuffle=False)
    ds = ds.map(lambda x, y: (x / 255.0, y)).cache("cache/flowers_train")
    return ds.shuffle(64, seed=0).batch(8).prefetch(tf.data.AUTOTUNE)

def make_model(img_size):
    model = keras.Sequential([
        keras.Input(img_size + (3,)),
        keras.layers.Conv2D(16, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(3, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
""",
            """
IMG_SIZE = (48, 48)
train_ds = make_ds(IMG_SIZE)
model = make_model(IMG_SIZE)
model.fit(train_ds, epochs=1, verbose=2)
""",
            """
# accuracy is poor at 48 px, try bigger images
IMG_SIZE = (64, 64)
train_ds = make_ds(IMG_SIZE)
model = make_model(IMG_SIZE)
model.fit(train_ds, epochs=1, verbose=2)
""",
        ], data=flowers_png),
    ),
    Case(
        name="keras-more11-ragged-batch-mixed-photos-into-conv-k3",
        cause="data.image_size_mismatch",
        exception="TypeError",
        setup=plant_photos,
        expect="RaggedTensor",
        code="""
        import tensorflow as tf
        import keras

        CLASSES = ["blight", "healthy", "mildew"]
        files = tf.data.Dataset.list_files("{DATA}/plants/*/*.jpg", shuffle=False)


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return img, label


        # the photos have different sizes, so batch them as ragged tensors
        train_ds = files.map(load).ragged_batch(6)

        model = keras.Sequential([
            keras.Input((None, None, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ------------------------------------------------------------ channels
    Case(
        name="keras-more11-pydataset-rgba-screenshots-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=ui_screenshots,
        expect="found shape=(None, 64, 64, 4)",
        code="""
        import glob
        import os
        import numpy as np
        import keras
        from PIL import Image

        ROOT = "{DATA}/screens"
        CLASSES = sorted(os.listdir(ROOT))


        class ScreenDataset(keras.utils.PyDataset):
            def __init__(self, files, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, i):
                batch = self.files[i * self.batch_size:(i + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(f), dtype="float32") / 255.0 for f in batch])
                y = np.array([CLASSES.index(f.split(os.sep)[-2]) for f in batch])
                return x, y


        files = sorted(glob.glob(f"{ROOT}/*/*.png"))
        inputs = keras.Input((64, 64, 3))
        x = keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = keras.layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = keras.layers.GlobalAveragePooling2D()(x)
        outputs = keras.layers.Dense(len(CLASSES), activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ScreenDataset(files), epochs=3)
        """,
    ),
    Case(
        name="keras-more11-map-decode-jpeg-one-channel-rgb-backbone-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=leaf_jpegs,
        expect="expected axis -1 of input shape to have value 3",
        code="""
        import tensorflow as tf

        CLASSES = ["healthy", "rust", "scab"]
        IMG = 64


        def parse(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=1)
            img = tf.image.resize(img, (IMG, IMG)) / 255.0
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return img, label


        ds = (tf.data.Dataset.list_files("{DATA}/leaves/*/*.jpg", seed=0)
              .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8))

        base = tf.keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False, weights=None)
        model = tf.keras.Sequential([
            base,
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more11-sequence-xray-expand-dims-rgb-exports-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=xray_folders,
        expect="inhomogeneous",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["normal", "pneumonia"]
        files = sorted(glob.glob("{DATA}/xrays/*/*.png"))
        np.random.default_rng(1).shuffle(files)


        class XraySequence(tf.keras.utils.Sequence):
            def __init__(self, files, batch_size=8):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, i):
                batch = self.files[i * self.batch_size:(i + 1) * self.batch_size]
                # X-rays are single-channel: add the channel axis
                x = np.array([np.asarray(Image.open(f), dtype=np.float32)[..., np.newaxis] / 255.0 for f in batch])
                y = np.array([CLASSES.index(f.split(os.sep)[-2]) for f in batch], dtype=np.float32)
                return x, y


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 1)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(XraySequence(files), epochs=3)
        """,
    ),
    Case(
        name="keras-more11-decode-png-any-channels-rgba-icon-class-tfk2",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=icons,
        expect="Cannot add tensor to the batch: number of elements does not match",
        code="""
        import tensorflow as tf

        CLASSES = ["arrow", "gear", "home", "trash"]


        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path))      # keep the file's own channels
            img = tf.image.resize(img, (48, 48)) / 255.0
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return img, label


        ds = tf.data.Dataset.list_files("{DATA}/icons/*/*.png", shuffle=True, seed=2)
        ds = ds.map(load).batch(10)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ------------------------------------------------------------ labels
    Case(
        name="keras-more11-generator-per-batch-to-categorical-k3",
        cause="data.label_shape",
        exception="TypeError",
        setup=flowers,
        expect="Generator yielded an element of shape",
        code="""
        import glob
        import os
        import numpy as np
        import keras

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        np.random.default_rng(0).shuffle(files)


        def batches(files, batch_size=4):
            while True:
                for i in range(0, len(files), batch_size):
                    chunk = files[i:i + batch_size]
                    x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f, target_size=(64, 64)))
                                  for f in chunk]) / 255.0
                    y = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in chunk]
                    yield x, keras.utils.to_categorical(y)


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(batches(files), steps_per_epoch=len(files) // 4, epochs=2)
        """,
    ),
    Case(
        name="keras-more11-sequence-per-batch-to-categorical-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=fruit_four,
        expect="logits and labels must be broadcastable",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import img_to_array, load_img
        from tensorflow.keras.utils import Sequence, to_categorical

        ROOT = "{DATA}/fruit"
        CLASSES = sorted(os.listdir(ROOT))


        class FruitSequence(Sequence):
            def __init__(self, files, batch_size=4):
                self.files = files
                self.batch_size = batch_size

            def __len__(self):
                return int(np.ceil(len(self.files) / self.batch_size))

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.array([img_to_array(load_img(f, target_size=(64, 64))) for f in batch]) / 255.0
                y = [CLASSES.index(f.split(os.sep)[-2]) for f in batch]
                return x, to_categorical(y)


        files = sorted(glob.glob(os.path.join(ROOT, "*", "*.jpg")))
        np.random.default_rng(3).shuffle(files)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(FruitSequence(files), epochs=2)
        """,
    ),
    Case(
        name="keras-more11-dir-int-labels-multilabel-sigmoid-head-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=tags_folders,
        expect="must have the same rank",
        code="""
        import keras
        from keras import layers

        # scene tagger: a photo can be "beach" and "mountain" at once, so use sigmoid outputs
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/scenes", image_size=(64, 64), batch_size=8)
        TAGS = train_ds.class_names

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TAGS), activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=[keras.metrics.BinaryAccuracy(threshold=0.5)])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more11-tutorial-path-label-bool-vector-sparse-loss-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=flowers,
        expect="target.ndim - 1",
        code="""
        import os
        import numpy as np
        import tensorflow as tf
        import keras

        data_dir = "{DATA}/flowers"
        class_names = np.array(sorted(os.listdir(data_dir)))
        list_ds = tf.data.Dataset.list_files(data_dir + "/*/*", shuffle=False)
        list_ds = list_ds.shuffle(100, seed=0, reshuffle_each_iteration=False)


        def get_label(file_path):
            parts = tf.strings.split(file_path, os.path.sep)
            # the second to last is the class-directory
            return parts[-2] == class_names


        def decode_img(img):
            img = tf.io.decode_jpeg(img, channels=3)
            return tf.image.resize(img, [64, 64])


        def process_path(file_path):
            label = get_label(file_path)
            img = decode_img(tf.io.read_file(file_path))
            return img, label


        train_ds = list_ds.map(process_path, num_parallel_calls=tf.data.AUTOTUNE).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Rescaling(1.0 / 255),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(len(class_names)),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more11-nb-sequence-labels-not-sliced-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        expect="logits and labels must have the same first dimension",
        **notebook([
            """
import glob
import os
import numpy as np
import tensorflow as tf
from tensorflow.keras.utils import Sequence

files = sorted(glob.glob("{DATA}/signs/*/*.png"))
classes = sorted({f.split(os.sep)[-2] for f in files})
labels = np.array([classes.index(f.split(os.sep)[-2]) for f in files])
len(files), classes
""",
            """
class SignSequence(Sequence):
    def __init__(self, files, labels, batch_size=8):
        self.files, self.labels, self.batch_size = files, labels, batch_size

    def __len__(self):
        return len(self.files) // self.batch_size

    def __getitem__(self, idx):
        batch_files = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
        x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(f)) for f in batch_files]) / 255.0
        return x, self.labels

train_seq = SignSequence(files, labels)
x0, y0 = train_seq[0]
x0.shape
""",
            """
model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(len(classes), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(train_seq, epochs=5)
""",
        ], data=digits_like),
    ),
    Case(
        name="keras-more11-pydataset-all-labels-every-batch-k3",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        setup=parts_four,
        expect="logits and labels must have the same first dimension",
        code="""
        import glob
        import os
        import numpy as np
        import keras

        ROOT = "{DATA}/parts"
        CLASSES = sorted(os.listdir(ROOT))
        FILES = sorted(glob.glob(f"{ROOT}/*/*.png"))
        LABELS = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in FILES])


        class PartsDataset(keras.utils.PyDataset):
            def __init__(self, files, labels, batch_size=5, **kwargs):
                super().__init__(**kwargs)
                self.files, self.labels, self.batch_size = files, labels, batch_size
                self.order = np.random.default_rng(0).permutation(len(files))

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, idx):
                ids = self.order[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(self.files[i])) for i in ids])
                y = self.labels[self.order]
                return x / 255.0, y


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(PartsDataset(FILES, LABELS), epochs=3)
        """,
    ),
    Case(
        name="keras-more11-generator-yields-images-only-tf212",
        cause="data.label_shape",
        exception="ValueError",
        env="tf212",
        setup=leaf_jpegs,
        expect="Target data is missing",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing import image

        files = sorted(glob.glob("{DATA}/leaves/*/*.jpg"))
        CLASSES = sorted({os.path.basename(os.path.dirname(f)) for f in files})
        labels = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files]


        def image_generator(files, batch_size=6):
            while True:
                idx = np.random.permutation(len(files))
                for start in range(0, len(files) - batch_size + 1, batch_size):
                    batch = [files[i] for i in idx[start:start + batch_size]]
                    x = np.stack([image.img_to_array(image.load_img(f, target_size=(64, 64))) for f in batch])
                    yield x / 255.0


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(image_generator(files), steps_per_epoch=len(files) // 6, epochs=3)
        """,
    ),
    Case(
        name="keras-more11-map-returns-file-name-third-element-k3",
        cause="model.api_misuse",
        also=("data.dtype",),
        exception="UnimplementedError",
        setup=leaf_jpegs,
        expect="Cast string to float is not supported",
        code="""
        import tensorflow as tf
        import keras

        CLASSES = ["healthy", "rust", "scab"]


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64)) / 255.0
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            # keep the file name so misclassified leaves can be looked up later
            return img, label, path


        ds = tf.data.Dataset.list_files("{DATA}/leaves/*/*.jpg", seed=0).map(load).batch(6)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ------------------------------------------------------------ class count vs head
    Case(
        name="keras-more11-dir-extra-folder-categorical-head-four-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=parts_five,
        expect="must have the same shape",
        code="""
        import keras
        from keras import layers

        NUM_CLASSES = 4        # bolt, gear, nut, washer

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/parts", label_mode="categorical", image_size=(64, 64), batch_size=8,
            validation_split=0.2, subset="training", seed=42)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/parts", label_mode="categorical", image_size=(64, 64), batch_size=8,
            validation_split=0.2, subset="validation", seed=42)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more11-nb-num-classes-cell-stale-after-new-folder-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        expect="which is outside the valid range",
        **notebook([
            """
import keras
from keras import layers
NUM_CLASSES = 4
IMG_SIZE = (64, 64)
""",
            """
def build_model():
    model = keras.Sequential([
        keras.Input(IMG_SIZE + (3,)),
        layers.Rescaling(1 / 255.0),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(NUM_CLASSES, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
""",
            """
# new data drop from the line: re-load the folder
train_ds = keras.utils.image_dataset_from_directory("{DATA}/parts", image_size=IMG_SIZE, batch_size=8,
                                                    shuffle=True, seed=1)
print(train_ds.class_names)
""",
            """
model = build_model()
history = model.fit(train_ds, epochs=3)
""",
        ], data=parts_five),
    ),
    Case(
        name="keras-more11-dir-categorical-four-folders-head-three-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=fruit_four,
        expect="are incompatible",
        code="""
        import tensorflow as tf

        NUM_CLASSES = 3
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/fruit", labels="inferred", label_mode="categorical", image_size=(64, 64), batch_size=8)

        base = tf.keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
        base.trainable = False
        inputs = tf.keras.Input(shape=(64, 64, 3))
        x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
        x = base(x, training=False)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        x = tf.keras.layers.Dropout(0.2)(x)
        outputs = tf.keras.layers.Dense(NUM_CLASSES, activation="softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ------------------------------------------------------------ boxes
    Case(
        name="keras-more11-ciou-loss-box-target-keeps-class-column-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=cars_with_class_column,
        expect="last dimension of 4",
        code=load_boxes("vehicles") + """
import keras
from keras import layers
from keras.utils import bounding_boxes

# targets straight from the csv: class_id, xmin, ymin, xmax, ymax
targets = np.array([[float(r["class_id"]), float(r["xmin"]), float(r["ymin"]), float(r["xmax"]), float(r["ymax"])]
                    for r in rows], "float32")


class VehicleBoxes(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size=4, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return self.x[s], self.y[s]


def ciou_loss(y_true, y_pred):
    return 1.0 - bounding_boxes.compute_ciou(y_true, y_pred, bounding_box_format="xyxy")


model = keras.Sequential([
    keras.Input((64, 64, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(4, activation="sigmoid"),
])
model.compile(optimizer="adam", loss=ciou_loss)
model.fit(VehicleBoxes(images, targets), epochs=5)
""",
    ),
    Case(
        name="keras-more11-sqrt-wh-loss-right-to-left-drags-check-numerics-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=drags_right_to_left,
        expect="Tensor had NaN values",
        code=load_boxes("birds") + """
import tensorflow as tf
import keras
from keras import layers

boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")


def yolo_box_loss(y_true, y_pred):
    # YOLOv1: centre error + error of the square roots of width and height
    t_xy = (y_true[:, :2] + y_true[:, 2:]) / 2.0
    p_xy = (y_pred[:, :2] + y_pred[:, 2:]) / 2.0
    t_wh = tf.sqrt(y_true[:, 2:] - y_true[:, :2])
    p_wh = tf.sqrt(tf.abs(y_pred[:, 2:] - y_pred[:, :2]) + 1e-6)
    loss = tf.reduce_sum(tf.square(t_xy - p_xy), -1) + tf.reduce_sum(tf.square(t_wh - p_wh), -1)
    return tf.debugging.check_numerics(loss, "box loss")


def gen():
    while True:
        for i in range(0, len(images), 4):
            yield images[i:i + 4], boxes[i:i + 4]


model = keras.Sequential([
    keras.Input((64, 64, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(4, activation="sigmoid"),
])
model.compile(optimizer="adam", loss=yolo_box_loss)
model.fit(gen(), steps_per_epoch=len(images) // 4, epochs=3)
""",
    ),
    Case(
        name="keras-more11-coco-xywh-as-corners-log-width-terminate-on-nan-tf212",
        cause="data.bbox_invalid",
        exception="",
        env="tf212",
        pty=True,
        setup=coco_xywh,
        expect="Invalid loss, terminating training",
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/dogs"
        coco = json.load(open(f"{ROOT}/instances.json"))
        by_id = {im["id"]: im for im in coco["images"]}


        def dog_batches(batch_size=4):
            anns = coco["annotations"]
            while True:
                for s in range(0, len(anns), batch_size):
                    xs, ys = [], []
                    for a in anns[s:s + batch_size]:
                        im = by_id[a["image_id"]]
                        img = Image.open(f"{ROOT}/images/{im['file_name']}").convert("RGB").resize((64, 64))
                        xs.append(np.asarray(img, np.float32) / 255.0)
                        x1, y1, x2, y2 = a["bbox"]
                        ys.append([x1 / im["width"], y1 / im["height"], x2 / im["width"], y2 / im["height"]])
                    yield np.stack(xs), np.array(ys, np.float32)


        def box_loss(y_true, y_pred):
            # centre offsets plus log-scale width / height, as in Faster R-CNN box regression
            t_c = (y_true[:, :2] + y_true[:, 2:]) / 2
            p_c = (y_pred[:, :2] + y_pred[:, 2:]) / 2
            t_wh = tf.math.log(y_true[:, 2:] - y_true[:, :2])
            p_wh = tf.math.log(tf.maximum(y_pred[:, 2:] - y_pred[:, :2], 1e-3))
            return tf.reduce_mean(tf.abs(t_c - p_c), -1) + tf.reduce_mean(tf.abs(t_wh - p_wh), -1)


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss=box_loss)
        model.fit(dog_batches(), steps_per_epoch=4, epochs=5, callbacks=[tf.keras.callbacks.TerminateOnNaN()])
        print("done")
        """,
    ),
    Case(
        name="keras-more11-sequence-yolo-rows-into-box-target-tf215",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="tf215",
        setup=yolo_txt,
        expect="could not broadcast input array from shape",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/fish"
        MAX_BOXES = 3


        class FishBoxes(tf.keras.utils.Sequence):
            \"\"\"images + up to MAX_BOXES (cx, cy, w, h) boxes per image, padded with zeros.\"\"\"

            def __init__(self, batch_size=4):
                self.images = sorted(glob.glob(f"{ROOT}/images/*.png"))
                self.batch_size = batch_size

            def __len__(self):
                return len(self.images) // self.batch_size

            def __getitem__(self, idx):
                paths = self.images[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.zeros((len(paths), 64, 64, 3), np.float32)
                y = np.zeros((len(paths), MAX_BOXES, 4), np.float32)
                for i, p in enumerate(paths):
                    x[i] = np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0
                    stem = os.path.splitext(os.path.basename(p))[0]
                    boxes = np.loadtxt(f"{ROOT}/labels/{stem}.txt", ndmin=2)
                    y[i, :len(boxes)] = boxes
                return x, y


        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, activation="relu")(inputs)
        h = tf.keras.layers.MaxPooling2D()(h)
        h = tf.keras.layers.Conv2D(32, 3, activation="relu")(h)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        h = tf.keras.layers.Dense(MAX_BOXES * 4, activation="sigmoid")(h)
        outputs = tf.keras.layers.Reshape((MAX_BOXES, 4))(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        model.fit(FishBoxes(), epochs=3)
        """,
    ),
    Case(
        name="keras-more11-pixel-box-targets-terminate-on-nan-raise-k3",
        cause="data.bbox_invalid",
        also=("optim.divergence",),
        exception="RuntimeError",
        setup=pixel_boxes,
        expect="NaN or Inf loss encountered",
        code=load_boxes("plates") + """
import keras
from keras import layers

keras.utils.set_random_seed(1)

# licence-plate corners as labelImg wrote them (pixels of the 320x240 originals)
boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")


class PlateBoxes(keras.utils.PyDataset):
    def __init__(self, batch_size=8, **kwargs):
        super().__init__(**kwargs)
        self.batch_size = batch_size

    def __len__(self):
        return len(images) // self.batch_size

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return images[s], boxes[s]


model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(64),
    layers.Dense(4),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
model.fit(PlateBoxes(), epochs=10, callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])
""",
    ),
    # ------------------------------------------------------------ divergence
    Case(
        name="keras-more11-detector-lr-too-high-terminate-on-nan-raise-k3",
        cause="optim.divergence",
        exception="RuntimeError",
        setup=norm_boxes,
        expect="NaN or Inf loss encountered",
        code=load_boxes("balls") + """
import keras
from keras import layers

boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")


def batches(batch_size=8):
    while True:
        for i in range(0, len(images), batch_size):
            yield images[i:i + batch_size], boxes[i:i + batch_size]


model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(4),
])
# the loss went down too slowly with 0.01, so speed it up
model.compile(optimizer=keras.optimizers.SGD(learning_rate=20.0), loss="mse")
model.fit(batches(), steps_per_epoch=len(images) // 8, epochs=10,
          callbacks=[keras.callbacks.TerminateOnNaN(raise_error=True)])
""",
    ),
    Case(
        name="keras-more11-custom-loop-pydataset-enable-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=flowers_png,
        expect="Detected Infinity or NaN",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        import keras

        tf.debugging.enable_check_numerics()

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        FILES = sorted(glob.glob(f"{ROOT}/*/*.png"))


        class Flowers(keras.utils.PyDataset):
            def __init__(self, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.batch_size = batch_size
                self.order = np.random.default_rng(0).permutation(len(FILES))

            def __len__(self):
                return len(FILES) // self.batch_size

            def __getitem__(self, i):
                ids = self.order[i * self.batch_size:(i + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(FILES[j])) for j in ids]) / 255.0
                y = np.array([CLASSES.index(FILES[j].split(os.sep)[-2]) for j in ids])
                return x, y


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3),
            keras.layers.Flatten(),
            keras.layers.Dense(len(CLASSES)),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.SGD(learning_rate=500.0)
        data = Flowers()

        for epoch in range(5):
            for step in range(len(data)):
                x, y = data[step]
                with tf.GradientTape() as tape:
                    logits = model(x, training=True)
                    loss = loss_fn(y, logits)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more11-sequence-regressor-loss-nan-progress-tf215",
        cause="optim.divergence",
        exception="",
        env="tf215",
        pty=True,
        setup=norm_boxes,
        expect="loss: nan",
        code=load_boxes("balls") + """
import tensorflow as tf

centres = np.array([[(float(r["xmin"]) + float(r["xmax"])) / 2, (float(r["ymin"]) + float(r["ymax"])) / 2]
                    for r in rows], "float32")


class BallCentres(tf.keras.utils.Sequence):
    def __init__(self, batch_size=4):
        self.batch_size = batch_size

    def __len__(self):
        return len(images) // self.batch_size

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return images[s], centres[s]


model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(2),
])
model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=20.0), loss="mse", metrics=["mae"])
history = model.fit(BallCentres(), epochs=4)
print("final loss:", history.history["loss"][-1])
""",
    ),
    Case(
        name="keras-more11-nb-assert-all-finite-predictions-high-lr-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        expect="Tensor had",
        **notebook([
            load_boxes("balls") + """
import tensorflow as tf
import keras
from keras import layers
boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")
images.shape, boxes.shape
""",
            """
keras.utils.set_random_seed(1)
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(64, activation="relu"),
    layers.Dense(4),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=30.0), loss="mse")
history = model.fit(images, boxes, batch_size=8, epochs=5, verbose=2)
""",
            """
pred = model.predict(images[:8], verbose=0)
tf.debugging.assert_all_finite(pred, "predicted boxes")
""",
        ], data=norm_boxes),
    ),
    # ------------------------------------------------------------ objects where a path is expected
    Case(
        name="keras-more11-pydataset-load-img-given-decoded-array-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=leaf_jpegs,
        expect="path should be path-like or io.BytesIO",
        code="""
        import glob
        import os
        import numpy as np
        import keras
        from PIL import Image

        FILES = sorted(glob.glob("{DATA}/leaves/*/*.jpg"))
        CLASSES = sorted({f.split(os.sep)[-2] for f in FILES})

        # decode everything once up front, it is a small dataset
        CACHE = [np.asarray(Image.open(f).convert("RGB")) for f in FILES]
        LABELS = np.array([CLASSES.index(f.split(os.sep)[-2]) for f in FILES])


        class Leaves(keras.utils.PyDataset):
            def __init__(self, items, labels, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.items, self.labels, self.batch_size = items, labels, batch_size

            def __len__(self):
                return len(self.items) // self.batch_size

            def __getitem__(self, i):
                chunk = self.items[i * self.batch_size:(i + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(item, target_size=(64, 64)))
                              for item in chunk]) / 255.0
                return x, self.labels[i * self.batch_size:(i + 1) * self.batch_size]


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(Leaves(CACHE, LABELS), epochs=2)
        """,
    ),
    Case(
        name="keras-more11-map-load-img-on-tensor-path-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        setup=leaf_jpegs,
        expect="path should be path-like or io.BytesIO",
        code="""
        import glob
        import os
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/leaves/*/*.jpg"))
        CLASSES = sorted({f.split(os.sep)[-2] for f in files})
        labels = [CLASSES.index(f.split(os.sep)[-2]) for f in files]


        def load(path, label):
            img = tf.keras.utils.load_img(path, target_size=(64, 64))
            return tf.keras.utils.img_to_array(img) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((files, labels)).shuffle(len(files)).map(load).batch(6)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more11-dir-dataset-given-list-of-folders-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=train_val_folders,
        expect="path should be string, bytes, os.PathLike",
        code="""
        import glob
        import keras

        # train on both the train and the validation folders for the final model
        folders = sorted(glob.glob("{DATA}/dataset/*"))
        full_ds = keras.utils.image_dataset_from_directory(folders, image_size=(96, 96), batch_size=8)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            keras.layers.Rescaling(1 / 255.0),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(full_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more11-fit-given-train-folder-string-tf215",
        cause="model.api_misuse",
        exception="IndexError",
        env="tf215",
        setup=train_val_folders,
        code="""
        import tensorflow as tf

        TRAIN_DIR = "{DATA}/dataset/train"
        VAL_DIR = "{DATA}/dataset/validation"

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(96, 96, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(TRAIN_DIR, validation_data=VAL_DIR, epochs=5, batch_size=8)
        """,
    ),
    Case(
        name="keras-more11-nb-pil-open-eager-tensor-paths-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="EagerTensor' object has no attribute 'read'",
        **notebook([
            """
import numpy as np
import tensorflow as tf
import keras
from PIL import Image
files = tf.data.Dataset.list_files("{DATA}/leaves/*/*.jpg", shuffle=False)
len(files)
""",
            """
images, labels = [], []
for path in files:
    img = Image.open(path).convert("RGB").resize((64, 64))
    images.append(np.asarray(img) / 255.0)
    labels.append(path.numpy().decode().split("/")[-2])
""",
        ], data=leaf_jpegs),
    ),
    Case(
        name="keras-more11-load-model-given-model-object-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=leaf_jpegs,
        expect="not Sequential",
        code="""
        import keras

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves", image_size=(64, 64), batch_size=6)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            keras.layers.Rescaling(1 / 255.0),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        checkpoint = keras.callbacks.ModelCheckpoint("best_leaves.keras", save_best_only=True, monitor="loss")
        model.fit(train_ds, epochs=2, callbacks=[checkpoint])

        best = keras.models.load_model(checkpoint.model)
        print(best.evaluate(train_ds))
        """,
    ),
    # ------------------------------------------------------------ generator structure
    Case(
        name="keras-more11-generator-yields-single-samples-tf212",
        cause="model.input_shape",
        exception="ValueError",
        env="tf212",
        setup=leaf_jpegs,
        expect="expected min_ndim=4, found ndim=3",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        files = sorted(glob.glob("{DATA}/leaves/*/*.jpg"))
        CLASSES = sorted({f.split(os.sep)[-2] for f in files})


        def leaf_generator():
            while True:
                for f in np.random.permutation(files):
                    img = np.asarray(Image.open(f).convert("RGB").resize((64, 64)), np.float32) / 255.0
                    yield img, CLASSES.index(f.split(os.sep)[-2])


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(leaf_generator(), steps_per_epoch=len(files) // 6, epochs=3)
        """,
    ),
    Case(
        name="keras-more11-from-generator-output-types-no-shapes-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=leaf_jpegs,
        expect="unknown rank",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        files = sorted(glob.glob("{DATA}/leaves/*/*.jpg"))
        CLASSES = sorted({f.split(os.sep)[-2] for f in files})


        def gen():
            for f in files:
                img = np.asarray(Image.open(f).convert("RGB").resize((64, 64)), np.float32) / 255.0
                yield img, CLASSES.index(f.split(os.sep)[-2])


        ds = tf.data.Dataset.from_generator(gen, output_types=(tf.float32, tf.int32))
        ds = ds.shuffle(32).batch(6)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more11-pydataset-returns-dict-batch-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=digits_like,
        code="""
        import glob
        import os
        import numpy as np
        import keras

        FILES = sorted(glob.glob("{DATA}/signs/*/*.png"))
        CLASSES = sorted({f.split(os.sep)[-2] for f in FILES})


        class Signs(keras.utils.PyDataset):
            def __init__(self, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.batch_size = batch_size

            def __len__(self):
                return len(FILES) // self.batch_size

            def __getitem__(self, i):
                batch = FILES[i * self.batch_size:(i + 1) * self.batch_size]
                return {
                    "image": np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in batch]) / 255.0,
                    "label": np.array([CLASSES.index(f.split(os.sep)[-2]) for f in batch]),
                }


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(Signs(), epochs=2)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
