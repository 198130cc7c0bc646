"""A seventeenth set of real Keras / TensorFlow failures from beginners training
image classifiers and small box-regression detectors, mostly on TF 2.21 / Keras 3
(with a few on TF 2.15, TF 2.12 and tf_keras), all reproducible on CPU.

Code paths keras_more.py ... keras_more16.py leave out: images read with OpenCV
(``cv2.imread`` returning None for a deleted or misnamed file inside a PyDataset
and a ``from_generator`` generator, ``IMREAD_UNCHANGED`` keeping grayscale scans
single-channel before ``tf.ensure_shape`` and keeping the alpha channel of some
logos, a resize of an empty crop from right-to-left boxes inside
``tf.numpy_function``, a uint8 image returned where ``Tout`` says float32,
resizing only the large phone photos); PyDataset / Sequence slips (``__len__``
with a "+1" for a partial batch that does not exist, iPhone HEIC files in a class
folder, the Keras 2 ``keras.utils.data_utils`` import, a single-head model given
two targets, ``len()`` of a Python generator, shuffled indices into an HDF5
dataset, background photos whose box is None); two-head detectors with dict
losses (``predict`` returning a dict unpacked like a list, ``evaluate`` unpacked
into ``loss, acc``, ``"iou"`` and ``"smooth_l1"`` as metric / loss names,
``MeanIoU`` on box coordinates, ``tensorflow_addons`` GIoU,
``keras.losses.Reduction`` under Keras 3, a dict output indexed by position in a
custom loop, ``compiled_loss`` / ``compiled_metrics`` in a Keras 3
``train_step``, validation targets given as a list); tf.data (``padded_batch``
with shapes for one component only, a list of PIL images given to
``from_tensor_slices``, a float ``max_output_size`` in NMS); saving and loading
(a TF 2.15 ``.h5`` with a custom IoU metric, an anchor layer whose config holds a
tensor, a loss made by a closure, ``custom_objects`` as a list); mixed precision
(float16 objectness logits against float32 labels in a ``tf.function`` step,
``combined_non_max_suppression`` on float16 boxes, pixel box targets whose
squared error overflows float16); callbacks (Keras 2
``ProgbarLogger(count_mode=...)``, ``self.params["samples"]``,
``tf.summary.image`` of one image); a CMYK catalogue photo; VOC objects annotated
as polygons; a letterbox resize with float sizes.

OpenCV: the TF environments have no OpenCV, so a case that imports cv2 links
the torch environment's opencv-python-headless (same CPython and NumPy ABI) into
its project folder (``with_cv2``).

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more17.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import shutil
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, rgb, rng, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def with_cv2(d: Path):
    """Make ``import cv2`` work in the case's project folder: link the torch environment's
    opencv-python-headless there (cv2/__init__.py is copied, so that OpenCV's loader takes the
    project folder as its base directory and puts its native module first on sys.path)."""
    import _record

    site = _record.TORCH_VENV / "lib" / "python3.11" / "site-packages"
    project = d.parent / "project"
    (project / "cv2").mkdir(exist_ok=True)
    for entry in (site / "cv2").iterdir():
        if entry.name == "__pycache__":
            continue
        if entry.name == "__init__.py":
            shutil.copy(entry, project / "cv2" / entry.name)
        else:
            (project / "cv2" / entry.name).symlink_to(entry)
    for entry in site.iterdir():
        if entry.name.startswith("opencv_python") and entry.name.endswith(".libs"):
            (project / entry.name).symlink_to(entry)


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "rose", "tulip"], per_class=6, size=(48, 48))


def parts_csv(d: Path, drop=None, right_to_left=False, upper_ext=False):
    """Product photos of mixed sizes with one box each: shapes/images + shapes/boxes.csv."""
    g = rng(3)
    sizes = [(96, 72), (80, 80), (120, 90), (72, 96)]
    rows = ["filename,xmin,ymin,xmax,ymax,label"]
    for i in range(12):
        w, h = sizes[i % len(sizes)]
        name = f"part_{i:03d}.jpg"
        save_png_jpg(d / "shapes" / "images" / name, rgb(h, w, seed=i))
        x1, y1 = int(g.integers(2, w // 3)), int(g.integers(2, h // 3))
        x2, y2 = int(g.integers(w // 2, w - 2)), int(g.integers(h // 2, h - 2))
        if right_to_left and i in (5, 9):
            x1, x2 = x2, x1          # box dragged from right to left in the annotation tool
        fname = name.replace(".jpg", ".JPG") if upper_ext and i >= 6 else name
        rows.append(f"{fname},{x1},{y1},{x2},{y2},{i % 3}")
    (d / "shapes" / "boxes.csv").write_text("\n".join(rows) + "\n")
    if drop is not None:
        (d / "shapes" / "images" / f"part_{drop:03d}.jpg").unlink()


def save_png_jpg(path: Path, arr):
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path)


def parts_deleted(d: Path):
    parts_csv(d, drop=9)


def parts_r2l(d: Path):
    parts_csv(d, right_to_left=True)


def parts_upper(d: Path):
    parts_csv(d, upper_ext=True)


def xray_scans(d: Path):
    """Chest scans: most exported as RGB PNG, some as single-channel PNG."""
    g = rng(7)
    for cls in ("normal", "pneumonia"):
        for i in range(6):
            arr = g.integers(0, 255, size=(64, 64), dtype="uint8")
            if i % 3 == 2:
                save_png(d / "xray" / cls / f"{cls}_{i:02d}.png", arr, mode="L")
            else:
                save_png(d / "xray" / cls / f"{cls}_{i:02d}.png", arr.repeat(3).reshape(64, 64, 3))


def logos(d: Path):
    """Brand logos: JPEG photos and PNG exports, some PNGs with transparency."""
    from PIL import Image

    g = rng(11)
    for cls in ("acme", "globex", "initech"):
        for i in range(4):
            p = d / "logos" / cls / f"{cls}_{i}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            if i == 3:
                a = g.integers(0, 255, size=(50, 50, 4), dtype="uint8")
                Image.fromarray(a, "RGBA").save(p)
            else:
                Image.fromarray(g.integers(0, 255, size=(50, 50, 3), dtype="uint8")).save(p)


def phone_photos(d: Path):
    from PIL import Image

    for cls in ("ripe", "unripe"):
        for i in range(4):
            w, h = ((256, 192), (100, 80))[i % 2]
            p = d / "fruit" / cls / f"{cls}_{i}.jpg"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(rgb(h, w, seed=i)).save(p)


def iphone_folder(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(48, 48), fmt="jpeg")
    # a photo AirDropped from an iPhone: HEIF container, not JPEG
    head = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x01\x0ameta"
    (d / "pets" / "dog" / "IMG_0412.HEIC").write_bytes(head + bytes(rng(1).integers(0, 255, 4000, dtype="uint8")))


def voc_polygons(d: Path):
    """VOC XMLs exported from CVAT: one object was drawn as a polygon."""
    from PIL import Image

    ann = d / "voc" / "Annotations"
    img = d / "voc" / "JPEGImages"
    ann.mkdir(parents=True)
    img.mkdir(parents=True)
    for i in range(6):
        Image.fromarray(rgb(64, 80, seed=i)).save(img / f"frame_{i:03d}.jpg")
        if i == 4:
            obj = ("<object><name>crack</name><polygon><x1>10</x1><y1>12</y1><x2>40</x2><y2>15</y2>"
                   "<x3>38</x3><y3>40</y3></polygon></object>")
        else:
            obj = (f"<object><name>crack</name><bndbox><xmin>{5 + i}</xmin><ymin>8</ymin>"
                   f"<xmax>{50 + i}</xmax><ymax>44</ymax></bndbox></object>")
        (ann / f"frame_{i:03d}.xml").write_text(
            f"<annotation><filename>frame_{i:03d}.jpg</filename><size><width>80</width>"
            f"<height>64</height><depth>3</depth></size>{obj}</annotation>")


def cmyk_product(d: Path):
    from PIL import Image

    make_images(d / "products", ["mug", "shirt"], per_class=4, size=(64, 64))
    p = d / "incoming" / "catalogue_page_12.jpg"
    p.parent.mkdir(parents=True)
    Image.fromarray(rgb(80, 80, seed=4)).convert("CMYK").save(p)


# ---------------------------------------------------------------- shared code snippets
TWO_HEAD = """
def build_detector(num_classes=3):
    inputs = keras.Input((64, 64, 3), name="image")
    x = layers.Conv2D(16, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    cls = layers.Dense(num_classes, activation="softmax", name="cls")(x)
    box = layers.Dense(4, activation="sigmoid", name="box")(x)
    return keras.Model(inputs, {"cls": cls, "box": box})

rs = np.random.default_rng(0)
x_train = rs.random((32, 64, 64, 3), dtype=np.float32)
y_cls = rs.integers(0, 3, 32)
y_box = np.sort(rs.random((32, 2, 2), dtype=np.float32), axis=1).reshape(32, 4)
"""


def two_head(head, tail):
    """A case's code with the two-head detector snippet between its imports and the rest."""
    return textwrap.dedent(head) + TWO_HEAD + textwrap.dedent(tail)


CASES = [
    # ============================================================ OpenCV loaders
    Case(
        name="keras-more17-cv2-imread-deleted-file-shape-pydataset-k3",
        cause="data.missing_or_corrupt",
        exception="AttributeError",
        setup=both(parts_deleted, with_cv2),
        expect="'NoneType' object has no attribute 'shape'",
        code="""
        import csv
        import math
        import os

        import cv2
        import numpy as np
        import keras
        from keras import layers

        class BoxData(keras.utils.PyDataset):
            def __init__(self, csv_path, image_dir, batch_size=4, size=64, **kwargs):
                super().__init__(**kwargs)
                with open(csv_path) as f:
                    self.rows = list(csv.DictReader(f))
                self.image_dir, self.batch_size, self.size = image_dir, batch_size, size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                xs, ys = [], []
                for r in self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    img = cv2.imread(os.path.join(self.image_dir, r["filename"]))
                    h, w = img.shape[:2]
                    img = cv2.resize(img, (self.size, self.size))[..., ::-1]
                    xs.append(img / 255.0)
                    ys.append([int(r["xmin"]) / w, int(r["ymin"]) / h, int(r["xmax"]) / w, int(r["ymax"]) / h])
                return np.array(xs, "float32"), np.array(ys, "float32")

        train = BoxData("{DATA}/shapes/boxes.csv", "{DATA}/shapes/images")
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"), layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train, epochs=3)
        """,
    ),
    Case(
        name="keras-more17-cv2-imread-unchanged-gray-scans-ensure-shape-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=both(xray_scans, with_cv2),
        expect="is not compatible with expected shape",
        code="""
        import glob
        import cv2
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        paths = sorted(glob.glob("{DATA}/xray/*/*.png"))
        labels = [0 if "/normal/" in p else 1 for p in paths]

        def read(path):
            img = cv2.imread(path.decode(), cv2.IMREAD_UNCHANGED)   # keep 16-bit scans as they are
            img = cv2.resize(img, (64, 64))[..., ::-1]              # BGR -> RGB
            return (img / 255.0).astype(np.float32)

        def load(path, label):
            img = tf.numpy_function(read, [path], tf.float32)
            img = tf.ensure_shape(img, (64, 64, 3))
            return img, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(12, seed=1).map(load).batch(4)
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more17-cv2-imread-none-bgr-flip-from-generator-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=both(parts_upper, with_cv2),
        expect="'NoneType' object is not subscriptable",
        code="""
        import csv
        import cv2
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        with open("{DATA}/shapes/boxes.csv") as f:
            rows = list(csv.DictReader(f))

        def samples():
            for r in rows:
                img = cv2.imread("{DATA}/shapes/images/" + r["filename"])
                img = img[:, :, ::-1]                         # BGR -> RGB
                h, w = img.shape[:2]
                img = cv2.resize(img, (64, 64)).astype(np.float32) / 255.0
                box = np.array([int(r["xmin"]) / w, int(r["ymin"]) / h, int(r["xmax"]) / w, int(r["ymax"]) / h], np.float32)
                yield img, box

        ds = tf.data.Dataset.from_generator(samples, output_signature=(
            tf.TensorSpec((64, 64, 3), tf.float32), tf.TensorSpec((4,), tf.float32))).batch(4)

        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss="huber")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more17-cv2-uint8-numpy-function-tout-float32-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=both(flowers, with_cv2),
        expect="expects float",
        code="""
        import glob
        import cv2
        import tensorflow as tf
        import keras
        from keras import layers

        classes = ["daisy", "rose", "tulip"]
        paths = sorted(glob.glob("{DATA}/flowers/*/*.png"))
        labels = [classes.index(p.split("/")[-2]) for p in paths]

        def read(path):
            img = cv2.imread(path.decode())
            img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
            return cv2.resize(img, (48, 48), interpolation=cv2.INTER_AREA)   # scaled by the Rescaling layer

        def load(path, label):
            img = tf.numpy_function(read, [path], tf.float32)
            img.set_shape((48, 48, 3))
            return img, label

        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(6)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more17-cv2-imread-unchanged-rgba-logos-np-array-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=both(logos, with_cv2),
        expect="inhomogeneous shape",
        code="""
        import glob
        import math
        import cv2
        import numpy as np
        import tensorflow as tf

        class LogoBatches(tf.keras.utils.Sequence):
            def __init__(self, paths, labels, batch_size=6):
                self.paths, self.labels, self.batch_size = paths, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                s = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                # IMREAD_UNCHANGED so the PNGs are not recompressed on load
                imgs = [cv2.resize(cv2.imread(p, cv2.IMREAD_UNCHANGED), (64, 64)) for p in self.paths[s]]
                return np.array(imgs) / 255.0, np.array(self.labels[s])

        classes = ["acme", "globex", "initech"]
        paths = sorted(glob.glob("{DATA}/logos/*/*.png"))
        labels = [classes.index(p.split("/")[-2]) for p in paths]

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(LogoBatches(paths, labels), epochs=2)
        """,
    ),
    Case(
        name="keras-more17-cv2-downscale-only-large-photos-stack-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=both(phone_photos, with_cv2),
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import cv2
        import numpy as np
        import keras
        from keras import layers

        images, labels = [], []
        for path in sorted(glob.glob("{DATA}/fruit/*/*.jpg")):
            img = cv2.imread(path)
            if img.shape[1] > 128:          # shrink the big phone photos, the others are small already
                img = cv2.resize(img, (128, 96))
            images.append(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
            labels.append(0 if "/ripe/" in path else 1)

        x = np.stack(images).astype("float32") / 255.0
        y = np.array(labels)

        model = keras.Sequential([keras.Input((96, 128, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x, y, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more17-cv2-crop-right-to-left-box-numpy-function-k3",
        cause="data.bbox_invalid",
        exception="UnknownError",
        setup=both(parts_r2l, with_cv2),
        expect="!ssize.empty()",
        code="""
        import csv
        import cv2
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        with open("{DATA}/shapes/boxes.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/shapes/images/" + r["filename"] for r in rows]
        boxes = np.array([[int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.int32)
        labels = np.array([int(r["label"]) for r in rows])

        def crop(path, box):
            img = cv2.imread(path.decode())
            x1, y1, x2, y2 = box
            obj = img[y1:y2, x1:x2]
            obj = cv2.resize(obj, (32, 32))
            return cv2.cvtColor(obj, cv2.COLOR_BGR2RGB).astype(np.float32) / 255.0

        def load(path, box, label):
            patch = tf.numpy_function(crop, [path, box], tf.float32)
            patch.set_shape((32, 32, 3))
            return patch, label

        ds = tf.data.Dataset.from_tensor_slices((paths, boxes, labels)).map(load).batch(4)
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ PyDataset / Sequence
    Case(
        name="keras-more17-pydataset-len-plus-one-empty-batch-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="need at least one array to stack",
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        class Flowers(keras.utils.PyDataset):
            classes = ["daisy", "rose", "tulip"]

            def __init__(self, folder, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.files = sorted(glob.glob(folder + "/*/*.png"))
                self.batch_size = batch_size

            def __len__(self):
                return len(self.files) // self.batch_size + 1     # +1 for the last, partial batch

            def __getitem__(self, idx):
                chunk = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(f).convert("RGB"), np.float32) / 255.0 for f in chunk])
                y = np.array([self.classes.index(f.split("/")[-2]) for f in chunk])
                return x, y

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(Flowers("{DATA}/flowers"), epochs=2)
        """,
    ),
    Case(
        name="keras-more17-pydataset-heic-iphone-photo-k3",
        cause="data.missing_or_corrupt",
        exception="UnidentifiedImageError",
        setup=iphone_folder,
        expect="cannot identify image file",
        code="""
        import os
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        root = "{DATA}/pets"
        classes = sorted(os.listdir(root))
        items = [(os.path.join(root, c, f), i) for i, c in enumerate(classes) for f in sorted(os.listdir(os.path.join(root, c)))]
        np.random.default_rng(0).shuffle(items)

        class Pets(keras.utils.PyDataset):
            def __init__(self, items, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.items, self.batch_size = items, batch_size

            def __len__(self):
                return len(self.items) // self.batch_size

            def __getitem__(self, idx):
                chunk = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = [np.asarray(Image.open(p).convert("RGB").resize((48, 48)), np.float32) / 255.0 for p, _ in chunk]
                return np.stack(x), np.array([label for _, label in chunk])

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(len(classes), activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(Pets(items), epochs=3)
        """,
    ),
    Case(
        name="keras-more17-sequence-keras2-data-utils-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=flowers,
        expect="keras.utils.data_utils",
        code="""
        import glob
        import numpy as np
        import keras
        from keras.utils.data_utils import Sequence     # as in the Keras 2 tutorial
        from PIL import Image

        class FlowerSequence(Sequence):
            def __init__(self, files, batch_size=6):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, idx):
                chunk = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                return np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in chunk]), np.zeros(len(chunk))

        seq = FlowerSequence(sorted(glob.glob("{DATA}/flowers/*/*.png")))
        print(len(seq))
        """,
    ),
    Case(
        name="keras-more17-fit-steps-per-epoch-len-of-generator-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        expect="has no len()",
        code="""
        import glob
        import random
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        classes = ["daisy", "rose", "tulip"]
        files = sorted(glob.glob("{DATA}/flowers/*/*.png"))

        def batches(files, batch_size=6):
            while True:
                random.shuffle(files)
                for i in range(0, len(files) - batch_size + 1, batch_size):
                    chunk = files[i:i + batch_size]
                    x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in chunk])
                    y = np.array([classes.index(f.split("/")[-2]) for f in chunk])
                    yield x, y

        train_gen = batches(files)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, steps_per_epoch=len(train_gen), epochs=3)
        """,
    ),
    Case(
        name="keras-more17-pydataset-two-targets-single-head-model-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=parts_csv,
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        class Parts(keras.utils.PyDataset):
            def __init__(self, csv_path, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                with open(csv_path) as f:
                    self.rows = list(csv.DictReader(f))
                self.batch_size = batch_size

            def __len__(self):
                return len(self.rows) // self.batch_size

            def __getitem__(self, idx):
                xs, cls, boxes = [], [], []
                for r in self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    img = Image.open("{DATA}/shapes/images/" + r["filename"])
                    w, h = img.size
                    xs.append(np.asarray(img.resize((64, 64)), np.float32) / 255.0)
                    cls.append(int(r["label"]))
                    boxes.append([int(r["xmin"]) / w, int(r["ymin"]) / h, int(r["xmax"]) / w, int(r["ymax"]) / h])
                return np.stack(xs), (np.array(cls), np.array(boxes, np.float32))

        # first version of the detector: the class head only, box head "later"
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(Parts("{DATA}/shapes/boxes.csv"), epochs=2)
        """,
    ),
    Case(
        name="keras-more17-nb-two-head-predict-dict-unpacked-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        expect="'str' object has no attribute 'argmax'",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """ + TWO_HEAD,
            """
            model = build_detector()
            model.compile(optimizer="adam",
                          loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                          loss_weights={"cls": 1.0, "box": 5.0})
            history = model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=2, batch_size=8, verbose=2)
            """,
            """
            cls_probs, boxes = model.predict(x_train[:4])
            pred_classes = cls_probs.argmax(axis=-1)
            print(pred_classes, boxes)
            """,
        ]),
    ),
    Case(
        name="keras-more17-two-head-evaluate-unpack-loss-acc-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="too many values to unpack",
        code=two_head("""
        import numpy as np
        import keras
        from keras import layers
        """, """
        model = build_detector()
        model.compile(optimizer="adam",
                      loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                      metrics={"cls": "accuracy", "box": "mae"})
        model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=2, batch_size=8)
        loss, acc = model.evaluate(x_train, {"cls": y_cls, "box": y_box}, verbose=0)
        print(f"test accuracy: {acc:.3f}")
        """),
    ),
    Case(
        name="keras-more17-dict-metrics-iou-string-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="iou",
        code=two_head("""
        import numpy as np
        import keras
        from keras import layers
        """, """
        model = build_detector()
        model.compile(optimizer="adam",
                      loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                      metrics={"cls": "accuracy", "box": "iou"})
        model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=2, batch_size=8)
        """),
    ),
    Case(
        name="keras-more17-dict-loss-smooth-l1-string-tfk2",
        cause="model.api_misuse",
        exception="ValueError",
        env="tfk2",
        framework="keras",
        expect="smooth_l1",
        code=two_head("""
        import numpy as np
        import tensorflow as tf
        keras = tf.keras
        layers = tf.keras.layers
        """, """
        model = build_detector()
        model.compile(optimizer="adam",
                      loss={"cls": "sparse_categorical_crossentropy", "box": "smooth_l1"},
                      metrics={"cls": "accuracy"})
        model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=2, batch_size=8)
        """),
    ),
    Case(
        name="keras-more17-box-head-meaniou-metric-tf212",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        env="tf212",
        code="""
        import numpy as np
        import tensorflow as tf

        rs = np.random.default_rng(0)
        x = rs.random((32, 64, 64, 3), dtype=np.float32)
        xy = rs.integers(0, 30, (32, 2))
        boxes = np.concatenate([xy, xy + rs.integers(10, 30, (32, 2))], axis=1).astype("float32")   # pixels

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4),
        ])
        model.compile(optimizer="adam", loss="mse", metrics=[tf.keras.metrics.MeanIoU(num_classes=2)])
        model.fit(x, boxes, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more17-tfa-giou-loss-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        expect="tensorflow_addons",
        code="""
        import numpy as np
        import tensorflow as tf
        import tensorflow_addons as tfa
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss=tfa.losses.GIoULoss())
        """,
    ),
    Case(
        name="keras-more17-detection-loss-reduction-none-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        expect="Reduction",
        code=two_head("""
        import numpy as np
        import keras
        from keras import layers, ops
        """, """

        class MaskedBoxLoss(keras.losses.Loss):
            \"\"\"Smooth-L1 on boxes, ignoring padded (all -1) targets.\"\"\"
            def __init__(self, name="masked_box_loss"):
                super().__init__(reduction=keras.losses.Reduction.NONE, name=name)
                self.huber = keras.losses.Huber(reduction=keras.losses.Reduction.NONE)

            def call(self, y_true, y_pred):
                mask = ops.cast(ops.all(y_true >= 0, axis=-1), "float32")
                return ops.sum(self.huber(y_true, y_pred) * mask) / ops.maximum(ops.sum(mask), 1.0)

        model = build_detector()
        model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "box": MaskedBoxLoss()})
        model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=2, batch_size=8)
        """),
    ),
    Case(
        name="keras-more17-voc-polygon-object-no-bndbox-k3",
        cause="data.missing_or_corrupt",
        also=("data.bbox_invalid",),
        exception="AttributeError",
        setup=voc_polygons,
        expect="'NoneType' object has no attribute",
        code="""
        import glob
        import xml.etree.ElementTree as ET
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        images, boxes = [], []
        for xml_path in sorted(glob.glob("{DATA}/voc/Annotations/*.xml")):
            root = ET.parse(xml_path).getroot()
            w = int(root.find("size/width").text)
            h = int(root.find("size/height").text)
            obj = root.find("object")
            bb = obj.find("bndbox")
            box = [int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
            boxes.append([box[0] / w, box[1] / h, box[2] / w, box[3] / h])
            img = Image.open("{DATA}/voc/JPEGImages/" + root.find("filename").text).resize((64, 64))
            images.append(np.asarray(img, np.float32) / 255.0)

        x, y = np.stack(images), np.array(boxes, np.float32)
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=2, batch_size=2)
        """,
    ),
    Case(
        name="keras-more17-detector-loop-dict-output-indexed-by-position-k3",
        cause="model.api_misuse",
        exception="KeyError",
        code=two_head("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        """, """
        model = build_detector()
        optimizer = keras.optimizers.Adam(1e-3)
        cls_loss_fn = keras.losses.SparseCategoricalCrossentropy()
        box_loss_fn = keras.losses.Huber()
        ds = tf.data.Dataset.from_tensor_slices((x_train, y_cls, y_box)).batch(8)

        for epoch in range(2):
            for images, labels, boxes in ds:
                with tf.GradientTape() as tape:
                    preds = model(images, training=True)
                    loss = cls_loss_fn(labels, preds[0]) + 5.0 * box_loss_fn(boxes, preds[1])
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(epoch, float(loss))
        """),
    ),
    Case(
        name="keras-more17-train-step-compiled-loss-keras2-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        expect="compiled_metrics()` is deprecated",
        code=two_head("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        """, """

        class Detector(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                self.compiled_metrics.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}

        base = build_detector()
        model = Detector(base.inputs, base.outputs)
        model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "box": "mse"})
        model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=2, batch_size=8)
        """),
    ),
    # ============================================================ tf.data
    Case(
        name="keras-more17-padded-batch-shapes-for-boxes-only-k3",
        cause="model.api_misuse",
        exception="TypeError",
        expect="If shallow structure is a sequence",
        setup=parts_csv,
        code="""
        import csv
        import numpy as np
        import tensorflow as tf

        with open("{DATA}/shapes/boxes.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/shapes/images/" + r["filename"] for r in rows]
        boxes = tf.ragged.constant([[[int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")]] for r in rows], dtype=tf.float32)

        def load(path, b):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (64, 64)) / 255.0
            return img, b.to_tensor()

        ds = tf.data.Dataset.from_tensor_slices((paths, boxes)).map(load)
        ds = ds.padded_batch(4, padded_shapes=[10, 4], padding_values=-1.0)     # up to 10 boxes per image
        for images, b in ds.take(1):
            print(images.shape, b.shape)
        """,
    ),
    Case(
        name="keras-more17-nb-from-tensor-slices-pil-images-k3",
        cause="model.api_misuse",
        exception="ValueError",
        **notebook([
            """
            import glob
            import tensorflow as tf
            from PIL import Image
            """,
            """
            classes = ["daisy", "rose", "tulip"]
            files = sorted(glob.glob("{DATA}/flowers/*/*.png"))
            images = [Image.open(f).convert("RGB") for f in files]
            labels = [classes.index(f.split("/")[-2]) for f in files]
            len(images), images[0].size
            """,
            """
            ds = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(18).batch(6)
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more17-nms-max-output-size-float-k3",
        cause="model.api_misuse",
        exception="TypeError",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(20 * 5, activation="sigmoid"),
                                  layers.Reshape((20, 5))])
        pred = model.predict(np.random.rand(1, 64, 64, 3).astype("float32"))[0]
        boxes, scores = pred[:, :4], pred[:, 4]
        keep = tf.image.non_max_suppression(boxes, scores, max_output_size=len(boxes) * 0.5, iou_threshold=0.5)
        print(boxes[keep.numpy()])
        """,
    ),
    # ============================================================ saving / loading
    Case(
        name="keras-more17-h5-custom-iou-metric-unknown-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        expect="box_iou",
        code="""
        import numpy as np
        import tensorflow as tf

        def box_iou(y_true, y_pred):
            x1 = tf.maximum(y_true[:, 0], y_pred[:, 0]); y1 = tf.maximum(y_true[:, 1], y_pred[:, 1])
            x2 = tf.minimum(y_true[:, 2], y_pred[:, 2]); y2 = tf.minimum(y_true[:, 3], y_pred[:, 3])
            inter = tf.maximum(x2 - x1, 0.0) * tf.maximum(y2 - y1, 0.0)
            area = lambda b: (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
            return tf.reduce_mean(inter / (area(y_true) + area(y_pred) - inter + 1e-7))

        rs = np.random.default_rng(0)
        x = rs.random((32, 64, 64, 3), dtype=np.float32)
        y = np.sort(rs.random((32, 2, 2), dtype=np.float32), axis=1).reshape(32, 4)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse", metrics=[box_iou])
        model.fit(x, y, epochs=1, batch_size=8)
        model.save("box_regressor.h5")

        # later, in predict.py
        model = tf.keras.models.load_model("box_regressor.h5")
        print(model.predict(x[:2]))
        """,
    ),
    Case(
        name="keras-more17-h5-anchor-layer-tensor-in-config-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        class DecodeBoxes(tf.keras.layers.Layer):
            \"\"\"Turns (dx, dy, dw, dh) offsets into boxes around fixed anchors.\"\"\"
            def __init__(self, anchors, **kwargs):
                super().__init__(**kwargs)
                self.anchors = tf.constant(anchors, tf.float32)

            def call(self, offsets):
                a = self.anchors
                cx = a[:, 0] + offsets[..., 0] * a[:, 2]
                cy = a[:, 1] + offsets[..., 1] * a[:, 3]
                w = a[:, 2] * tf.exp(offsets[..., 2])
                h = a[:, 3] * tf.exp(offsets[..., 3])
                return tf.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)

            def get_config(self):
                config = super().get_config()
                config.update({"anchors": self.anchors})
                return config

        anchors = [[0.25, 0.25, 0.3, 0.3], [0.75, 0.25, 0.3, 0.3], [0.25, 0.75, 0.3, 0.3], [0.75, 0.75, 0.3, 0.3]]
        inputs = tf.keras.Input((64, 64, 3))
        x = tf.keras.layers.Conv2D(16, 3, activation="relu")(inputs)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        x = tf.keras.layers.Reshape((4, 4))(tf.keras.layers.Dense(16)(x))
        model = tf.keras.Model(inputs, DecodeBoxes(anchors)(x))
        model.compile(optimizer="adam", loss="mse")
        rs = np.random.default_rng(0)
        model.fit(rs.random((16, 64, 64, 3)), rs.random((16, 4, 4)), epochs=1, batch_size=8)
        model.save("anchor_detector.h5")
        """,
    ),
    Case(
        name="keras-more17-load-closure-loss-inner-name-k3",
        cause="model.api_misuse",
        exception="TypeError",
        code=two_head("""
        import numpy as np
        import keras
        from keras import layers, ops
        """, """

        def make_box_loss(weight):
            def loss(y_true, y_pred):
                return weight * ops.mean(ops.abs(y_true - y_pred), axis=-1)
            return loss

        model = build_detector()
        model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "box": make_box_loss(5.0)})
        model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=1, batch_size=8)
        model.save("detector.keras")

        restored = keras.models.load_model("detector.keras", custom_objects={"make_box_loss": make_box_loss})
        restored.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=1, batch_size=8)
        """),
    ),
    Case(
        name="keras-more17-load-model-custom-objects-list-k3",
        cause="model.api_misuse",
        exception="TypeError",
        expect="'list' object is not a mapping",
        code="""
        import numpy as np
        import keras
        from keras import layers, ops

        @keras.saving.register_keras_serializable()
        def giou_loss(y_true, y_pred):
            x1 = ops.maximum(y_true[:, 0], y_pred[:, 0]); y1 = ops.maximum(y_true[:, 1], y_pred[:, 1])
            x2 = ops.minimum(y_true[:, 2], y_pred[:, 2]); y2 = ops.minimum(y_true[:, 3], y_pred[:, 3])
            inter = ops.maximum(x2 - x1, 0.0) * ops.maximum(y2 - y1, 0.0)
            area = lambda b: (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
            return 1.0 - inter / (area(y_true) + area(y_pred) - inter + 1e-7)

        rs = np.random.default_rng(0)
        x = rs.random((16, 64, 64, 3), dtype=np.float32)
        y = np.sort(rs.random((16, 2, 2), dtype=np.float32), axis=1).reshape(16, 4)
        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4, activation="sigmoid")])
        model.compile(optimizer="adam", loss=giou_loss)
        model.fit(x, y, epochs=1, batch_size=8)
        model.save("box_model.keras")

        model = keras.models.load_model("box_model.keras", custom_objects=[giou_loss])
        print(model.predict(x[:1]))
        """,
    ),
    # ============================================================ mixed precision
    Case(
        name="keras-more17-mixed-float16-objectness-xent-tf-function-k3",
        cause="data.dtype",
        exception="TypeError",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        obj_logits = layers.Conv2D(1, 1, name="objectness")(x)             # 15x15 grid
        model = keras.Model(inputs, obj_logits)
        optimizer = keras.optimizers.Adam(1e-3)

        rs = np.random.default_rng(0)
        images = rs.random((16, 64, 64, 3), dtype=np.float32)
        obj_true = (rs.random((16, 15, 15, 1)) > 0.9).astype(np.float32)
        ds = tf.data.Dataset.from_tensor_slices((images, obj_true)).batch(8)

        @tf.function
        def train_step(images, obj_true):
            with tf.GradientTape() as tape:
                logits = model(images, training=True)
                loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=obj_true, logits=logits))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(2):
            for images_b, obj_b in ds:
                loss = train_step(images_b, obj_b)
            print(epoch, float(loss))
        """,
    ),
    Case(
        name="keras-more17-mixed-float16-combined-nms-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        expect="but is a half tensor",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")     # faster training on the T4

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        boxes = layers.Reshape((10, 1, 4), name="boxes")(layers.Dense(40, activation="sigmoid")(x))
        scores = layers.Reshape((10, 3), name="scores")(layers.Dense(30, activation="sigmoid")(x))
        model = keras.Model(inputs, [boxes, scores])

        images = np.random.default_rng(0).random((2, 64, 64, 3), dtype=np.float32)
        pred_boxes, pred_scores = model(images)
        nmsed = tf.image.combined_non_max_suppression(pred_boxes, pred_scores, max_output_size_per_class=5,
                                                      max_total_size=10, iou_threshold=0.5, score_threshold=0.3)
        print(nmsed.valid_detections)
        """,
    ),
    Case(
        name="keras-more17-mixed-float16-pixel-box-loss-inf-k3",
        cause="optim.divergence",
        also=("data.bbox_invalid",),
        exception="InvalidArgumentError",
        expect="Inf",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")

        rs = np.random.default_rng(0)
        images = rs.random((16, 64, 64, 3), dtype=np.float32)
        xy = rs.integers(0, 400, (16, 2))
        boxes = np.concatenate([xy, xy + rs.integers(100, 400, (16, 2))], axis=1).astype(np.float32)   # 640x640 photos, pixels

        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(4)])
        optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(1e-3))
        ds = tf.data.Dataset.from_tensor_slices((images, boxes)).batch(8)

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                pred = model(x, training=True)
                y = tf.cast(y, pred.dtype)                    # fixes "expected half, got float"
                loss = tf.reduce_mean(tf.square(y - pred))
                loss = tf.debugging.check_numerics(loss, "box loss")
                scaled = optimizer.scale_loss(loss)
            grads = tape.gradient(scaled, model.trainable_variables)
            optimizer.apply(grads, model.trainable_variables)
            return loss

        for epoch in range(3):
            for x, y in ds:
                loss = train_step(x, y)
            print(f"epoch {epoch}: box loss {float(loss):.2f}")
        """,
    ),
    # ============================================================ callbacks
    Case(
        name="keras-more17-progbar-count-mode-keras2-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=flowers,
        expect="count_mode",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        callbacks = [
            keras.callbacks.ProgbarLogger(count_mode="steps"),
            keras.callbacks.EarlyStopping(monitor="loss", patience=3),
        ]
        model.fit(train_ds, epochs=2, callbacks=callbacks, verbose=0)
        """,
    ),
    Case(
        name="keras-more17-callback-params-samples-keras1-tf215",
        cause="env.version_incompat",
        exception="KeyError",
        env="tf215",
        expect="'samples'",
        code="""
        import sys
        import numpy as np
        import tensorflow as tf

        class ImagesPerSecond(tf.keras.callbacks.Callback):
            \"\"\"Prints throughput at the end of every epoch (from an old Keras blog post).\"\"\"
            def on_epoch_begin(self, epoch, logs=None):
                import time
                self.t0 = time.time()

            def on_epoch_end(self, epoch, logs=None):
                import time
                n = self.params["samples"]
                print(f"epoch {epoch}: {n / (time.time() - self.t0):.1f} images/s")

        rs = np.random.default_rng(0)
        x = rs.random((48, 32, 32, 3), dtype=np.float32)
        y = rs.integers(0, 4, 48)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=16, callbacks=[ImagesPerSecond()])
        """,
    ),
    Case(
        name="keras-more17-nb-callback-summary-image-no-batch-axis-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6, seed=1)
            sample_images, sample_labels = next(iter(train_ds))
            model = keras.Sequential([layers.Rescaling(1 / 255.0, input_shape=(48, 48, 3)),
                                      layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                      layers.Dense(3, activation="softmax")])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            writer = tf.summary.create_file_writer("logs/previews")

            class PreviewCallback(keras.callbacks.Callback):
                def on_epoch_end(self, epoch, logs=None):
                    img = sample_images[0] / 255.0
                    with writer.as_default():
                        tf.summary.image("first training image", img, step=epoch)

            model.fit(train_ds, epochs=2, callbacks=[PreviewCallback(), keras.callbacks.TensorBoard("logs")])
            """,
        ], data=flowers),
    ),
    # ============================================================ PIL loading
    Case(
        name="keras-more17-cmyk-catalogue-photo-predict-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=cmyk_product,
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        classes = ["mug", "shirt"]
        files = sorted(glob.glob("{DATA}/products/*/*.png"))
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        y = np.array([classes.index(f.split("/")[-2]) for f in files])

        model = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=4)

        img = Image.open("{DATA}/incoming/catalogue_page_12.jpg").resize((64, 64))
        batch = np.expand_dims(np.asarray(img, np.float32) / 255.0, 0)
        print(classes[int(model.predict(batch).argmax())])
        """,
    ),
    Case(
        name="keras-more17-letterbox-pil-resize-float-size-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=parts_csv,
        code="""
        import glob
        import numpy as np
        from PIL import Image

        def letterbox(img, size=64):
            w, h = img.size
            scale = size / max(w, h)
            resized = img.resize((w * scale, h * scale), Image.BILINEAR)
            canvas = Image.new("RGB", (size, size), (114, 114, 114))
            canvas.paste(resized, ((size - resized.width) // 2, (size - resized.height) // 2))
            return canvas, scale

        batch = []
        for path in sorted(glob.glob("{DATA}/shapes/images/*.jpg")):
            img, scale = letterbox(Image.open(path))
            batch.append(np.asarray(img, np.float32) / 255.0)
        print(np.stack(batch).shape)
        """,
    ),
    # ============================================================ more loaders
    Case(
        name="keras-more17-h5py-sequence-shuffled-indices-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        expect="increasing order",
        code="""
        import glob
        import h5py
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        # pack the photos into one HDF5 file once, as the Kaggle kernel does
        classes = ["daisy", "rose", "tulip"]
        files = sorted(glob.glob("{DATA}/flowers/*/*.png"))
        with h5py.File("flowers.h5", "w") as f:
            f.create_dataset("images", data=np.stack([np.asarray(Image.open(p)) for p in files]))
            f.create_dataset("labels", data=[classes.index(p.split("/")[-2]) for p in files])

        class H5Batches(keras.utils.PyDataset):
            def __init__(self, path, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.h5 = h5py.File(path, "r")
                self.batch_size = batch_size
                self.indices = np.arange(len(self.h5["labels"]))
                np.random.default_rng(0).shuffle(self.indices)

            def __len__(self):
                return len(self.indices) // self.batch_size

            def __getitem__(self, idx):
                batch = self.indices[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = self.h5["images"][batch].astype("float32") / 255.0
                return x, self.h5["labels"][batch]

            def on_epoch_end(self):
                np.random.shuffle(self.indices)

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(8, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(H5Batches("flowers.h5"), epochs=2)
        """,
    ),
    Case(
        name="keras-more17-sequence-empty-image-box-none-tf212",
        cause="data.bbox_invalid",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        env="tf212",
        setup=parts_csv,
        expect="inhomogeneous shape",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        boxes = {}
        with open("{DATA}/shapes/boxes.csv") as f:
            for r in csv.DictReader(f):
                boxes[r["filename"]] = [int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")]
        # background photos (no object) were added to cut false positives; they have no row in the CSV
        files = sorted(boxes) + ["background_01.jpg", "background_02.jpg"]
        for name in files[-2:]:
            Image.fromarray(np.zeros((80, 80, 3), np.uint8)).save("{DATA}/shapes/images/" + name)

        class Boxes(tf.keras.utils.Sequence):
            def __init__(self, files, batch_size=5):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return int(np.ceil(len(self.files) / self.batch_size))

            def __getitem__(self, idx):
                xs, ys = [], []
                for name in self.files[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    img = Image.open("{DATA}/shapes/images/" + name)
                    w, h = img.size
                    xs.append(np.asarray(img.resize((64, 64)), np.float32) / 255.0)
                    b = boxes.get(name)
                    ys.append(None if b is None else [b[0] / w, b[1] / h, b[2] / w, b[3] / h])
                return np.stack(xs), np.array(ys, dtype=np.float32)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(Boxes(files), epochs=2)
        """,
    ),
    Case(
        name="keras-more17-two-head-validation-targets-list-k3",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="ValueError",
        code=two_head("""
        import numpy as np
        import keras
        from keras import layers
        """, """
        x_val, y_cls_val, y_box_val = x_train[:8], y_cls[:8], y_box[:8]
        model = build_detector()
        model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                      metrics={"cls": "accuracy"})
        model.fit(x_train, {"cls": y_cls, "box": y_box}, epochs=2, batch_size=8,
                  validation_data=(x_val, [y_cls_val, y_box_val]))
        """),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
