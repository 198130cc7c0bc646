"""Untargeted held-out Keras / TensorFlow failures (g176, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of food and agriculture quality-control teams
training Keras / tf.keras models on a production line: fruit and grain grading from conveyor cameras
(line-scan frames of odd aspect ratios, 12-bit camera frames saved as 16-bit PNG, multi-camera rigs
giving a top, side and NIR view of every item), defect segmentation masks drawn by the inspectors,
ripeness (Brix) regression, grade classes added by the plant between seasons, heavy class imbalance
(almost every apple is "extra"), models retrained nightly from a folder tree, and predictions pushed to
a PLC-like list of register values, spread over the cause ids of the taxonomy:

- files: a 16-bit line-scan PNG cut short when the frame grabber's buffer overran, decoded with
  ``decode_png(dtype=tf.uint16)`` in the ``tf.data`` map; inspector masks read as ``masks/<stem>.png``
  while the labelling tool wrote ``<stem>_defect.png`` (notebook);
- image sizes: line-scan frames whose line count follows the belt speed, decoded without a resize and
  batched; top and side views stacked across items after the side camera was replaced mid-season
  (tf_keras);
- channels: ``tf.image.random_saturation`` in the augmentation of single-channel NIR line-scan frames;
  a 4-channel RGB + NIR PNG from the new camera given to the RGB grader's ``predict`` (notebook);
- boxes: grain-kernel boxes in the full-resolution camera's pixels cut from the 4x-downscaled preview
  frames and resized with ``tf.image.resize``;
- labels: the MES's grade codes 1..4 used as class ids of a four-way softmax;
- label shapes: inspector defect masks saved as colour (RGB) PNGs under a sparse categorical
  segmentation loss; three camera views per item flattened into one image array for per-item ripeness
  targets (tf_keras);
- dtypes: the uint8 RGB frame and the uint16 NIR frame of one item concatenated in the ``tf.data`` map;
- model inputs: a ``Flatten`` grader trained on 64 px crops run on the whole line-scan strip; 16-bit
  PNG frames read with PIL and stacked without a channel axis for a ``Conv2D`` model (notebook);
- model outputs: the nightly retrain's ``NUM_CLASSES = 5`` left after the plant added a ``sprouted``
  folder, with one-hot labels;
- weights: last night's ``.weights.h5`` warm-started into tonight's model, whose head has the new class;
- API: inverse-frequency class weights given to ``fit`` as a NumPy array instead of a dict; a
  ``validation_split`` given with the nightly ``tf.data`` dataset (tf_keras);
- divergence: a ripeness regressor on raw 16-bit counts under SGD + momentum whose NaN predictions meet
  the ``tf.debugging.assert_all_finite`` guard before the PLC push;
- gradients: a Dice loss computed from ``model.predict`` inside the ``GradientTape``;
- host memory: a season of full-resolution line-scan masks one-hot encoded with ``np.eye(...)[masks]``;
- versions: ``tensorflow.keras.layers.experimental.preprocessing`` from a 2021 tutorial;
  ``keras.optimizers.Adam(lr=...)`` in the old retrain notebook (notebook);
- workers: a ``multiprocessing.Lock`` for the PLC handed to ``Pool.starmap`` with the camera frames;
- plain bugs: the reject code ``-1`` written into the ``uint16`` PLC register list.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more76.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g176): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import os
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SRC = "corpus/generators/keras_more76.py"

GRADES = ["extra", "class_1", "class_2", "reject"]
DEFECTS = ["sound", "bruise", "rot"]


# ---------------------------------------------------------------- data helpers
def _blocky(r, shape, hi=4095, dtype="uint16", block=4):
    """Smooth-ish random images (blocks of `block` px) of shape (h, w) or (h, w, c)."""
    import numpy as np
    h, w = shape[:2]
    rest = tuple(shape[2:])
    small = r.integers(0, hi, size=(-(-h // block), -(-w // block)) + rest).astype(dtype)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w]


def _png(path: Path, arr):
    """8-bit (uint8) or 16-bit (uint16, one channel) PNG."""
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path, format="PNG")


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def linescan_tree(folder="linescan", per=6, lines=lambda k: 64, width=384, seed=7601, truncate=None):
    """<folder>/<grade>/frame_####.png: 12-bit mono line-scan frames stored as 16-bit PNG."""
    def setup(d: Path):
        r = _rng(seed)
        k = 0
        for g in GRADES:
            for i in range(per):
                p = d / folder / g / f"frame_{k:04d}.png"
                _png(p, _blocky(r, (lines(k), width)))
                if truncate is not None and k == truncate:
                    b = p.read_bytes()
                    p.write_bytes(b[: len(b) * 3 // 5])     # the frame grabber's buffer overran here
                k += 1
    return setup


def rgb_tree(folder, classes, per, size=(64, 64), seed=7602, counts=None):
    """<folder>/<class>/*.jpg 8-bit RGB conveyor photos (counts: images per class)."""
    def setup(d: Path):
        from PIL import Image
        r = _rng(seed)
        for c in classes:
            for i in range(counts[c] if counts else per):
                p = d / folder / c / f"{c}_{i:04d}.jpg"
                p.parent.mkdir(parents=True, exist_ok=True)
                Image.fromarray(_blocky(r, (size[1], size[0], 3), hi=255, dtype="uint8")).save(p, quality=90)
    return setup


def items_rig(d: Path, n=18, replaced_from=None, nir=False):
    """items/<item>/{top,side}.png (RGB) [+ nir.png 16-bit] and items/ripeness.csv (item, brix)."""
    r = _rng(7603)
    rows = []
    for i in range(n):
        item = f"item_{240611000 + i}"
        _png(d / "items" / item / "top.png", _blocky(r, (96, 128, 3), hi=255, dtype="uint8"))
        side = (120, 160) if replaced_from is not None and i >= replaced_from else (96, 128)
        _png(d / "items" / item / "side.png", _blocky(r, side + (3,), hi=255, dtype="uint8"))
        if nir:
            _png(d / "items" / item / "nir.png", _blocky(r, (96, 128)))
        rows.append([item, round(float(r.uniform(9.0, 16.5)), 1)])
    _csv(d / "items" / "ripeness.csv", ["item", "brix"], rows)


def inspector_masks(d: Path, n=12, rgb_masks=False, mask_suffix=""):
    """defects/images/peach_####.png (RGB) and defects/masks/: class-id masks (0 sound, 1 bruise, 2 rot),
    or colour masks as the labelling tool paints them."""
    import numpy as np
    r = _rng(7604)
    colours = np.array([[0, 0, 0], [255, 200, 0], [140, 40, 20]], dtype="uint8")
    for i in range(n):
        stem = f"peach_{i:04d}"
        _png(d / "defects" / "images" / f"{stem}.png", _blocky(r, (64, 64, 3), hi=255, dtype="uint8"))
        m = np.zeros((64, 64), "uint8")
        y, x = r.integers(0, 40, size=2)
        m[y:y + 16, x:x + 20] = 1 + i % 2
        _png(d / "defects" / "masks" / f"{stem}{mask_suffix}.png", colours[m] if rgb_masks else m)


def kernel_boxes(d: Path):
    """grain/previews/*.png (128 x 512 previews of the 512 x 2048 camera frames) and grain/kernels.csv
    with boxes in the full-resolution camera's pixels."""
    r = _rng(7605)
    rows = []
    for f in range(4):
        name = f"belt_{f:03d}.png"
        _png(d / "grain" / "previews" / name, _blocky(r, (128, 512, 3), hi=255, dtype="uint8"))
        for k in range(8):
            x1, y1 = int(r.integers(0, 2000)), int(r.integers(0, 470))
            if f == 0 and k == 0:
                x1, y1 = 40, 12
            rows.append([name, x1, y1, x1 + 36, y1 + 28, ["sound", "broken", "chalky", "foreign"][k % 4]])
    _csv(d / "grain" / "kernels.csv", ["frame", "x1", "y1", "x2", "y2", "label"], rows)


def mes_export(d: Path):
    """apples/<lot>_<n>.png and apples/mes_grades.csv with the MES's grade codes 1..4."""
    r = _rng(7606)
    rows = []
    for i in range(40):
        name = f"lot2406_{i:04d}.png"
        _png(d / "apples" / name, _blocky(r, (64, 64, 3), hi=255, dtype="uint8"))
        rows.append([name, 1 if i % 10 < 6 else 2 if i % 10 < 8 else 3 if i % 10 < 9 else 4])
    _csv(d / "apples" / "mes_grades.csv", ["image", "grade_code"], rows)


def mono16(d: Path, n=16):
    r = _rng(7607)
    rows = []
    for i in range(n):
        _png(d / "frames16" / f"cam2_{i:05d}.png", _blocky(r, (96, 96)))
        rows.append([f"cam2_{i:05d}.png", GRADES[i % 4]])
    _csv(d / "frames16" / "labels.csv", ["file", "grade"], rows)


def nir_camera(d: Path):
    rgb_tree("rgb_crops", GRADES, 5)(d)
    r = _rng(7608)
    for i in range(3):
        _png(d / "new_camera" / f"rgbn_{i:03d}.png", _blocky(r, (64, 64, 4), hi=255, dtype="uint8"))


def last_nights_weights(d: Path):
    rgb_tree("nightly", ["extra", "class_1", "class_2", "reject", "undersize", "sprouted"], 5)(d)
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ], name="potato_grader")
        model.save_weights("models/potato_grader_2024-06-10.weights.h5")
    """, d)


def season_masks(d: Path):
    import numpy as np
    for i in range(24):
        m = np.zeros((4096, 2048), "uint8")
        m[300 + 100 * i: 420 + 100 * i, 200:900] = 1 + i % 4
        _png(d / "season_masks" / f"belt_{i:03d}.png", m)


def plc_frames(d: Path):
    r = _rng(7609)
    for cam in range(4):
        for i in range(4):
            _png(d / "cams" / f"cam{cam}" / f"frame_{i:03d}.png", _blocky(r, (64, 64)))


# ---------------------------------------------------------------- code snippets
IMPORTS = """
        import csv
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
"""


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


def cell(body, imports=False):
    b = textwrap.dedent(body)
    if imports:
        b = textwrap.dedent(IMPORTS).lstrip("\n") + b
    return b


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more76-linescan-16bit-png-cut-short-by-frame-grabber-overrun-decode-png-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=linescan_tree(per=6, truncate=15),
        pty=True,
        code=IMPORTS + """
        GRADES = ["extra", "class_1", "class_2", "reject"]
        ROOT = "{DATA}/linescan"

        paths, labels = [], []
        for k, g in enumerate(GRADES):
            found = sorted(glob.glob(f"{ROOT}/{g}/*.png"))
            paths += found
            labels += [k] * len(found)
        print(len(paths), "frames")


        def load(path, label):
            # 12-bit mono camera, frames stored as 16-bit PNG by the acquisition PC
            img = tf.io.decode_png(tf.io.read_file(path), channels=1, dtype=tf.uint16)
            img = tf.cast(img, tf.float32) / 4095.0
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=0)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(4)
              .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((64, 384, 1)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADES), activation="softmax"),
        ], name="linescan_grader")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more76-inspector-masks-named-defect-suffix-read-as-stem-png-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            ROOT = "{DATA}/defects"
            DEFECTS = ["sound", "bruise", "rot"]
            """),
            cell("""
            images = sorted(glob.glob(f"{ROOT}/images/*.png"))
            print(len(images), "peach images,", len(os.listdir(f"{ROOT}/masks")), "masks from the inspectors")
            """),
            cell("""
            def load_pair(path):
                stem = os.path.splitext(os.path.basename(path))[0]
                img = np.array(Image.open(path).convert("RGB"), dtype=np.float32) / 255.0
                mask = np.array(Image.open(f"{ROOT}/masks/{stem}.png"))
                return img, mask


            pairs = [load_pair(p) for p in images]
            x = np.stack([p[0] for p in pairs])
            y = np.stack([p[1] for p in pairs])
            x.shape, y.shape
            """),
        ], data=lambda d: inspector_masks(d, mask_suffix="_defect")),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more76-linescan-line-count-follows-belt-speed-decoded-and-batched-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=linescan_tree(per=6, lines=lambda k: 64 if k % 7 else 72, seed=7610),
        code=IMPORTS + """
        GRADES = ["extra", "class_1", "class_2", "reject"]
        ROOT = "{DATA}/linescan"

        files = sorted(glob.glob(f"{ROOT}/*/*.png"))
        labels = [GRADES.index(os.path.basename(os.path.dirname(f))) for f in files]


        def decode(path, label):
            # frames are triggered by the encoder: 64 lines per apple at nominal belt speed
            img = tf.io.decode_png(tf.io.read_file(path), channels=1, dtype=tf.uint16)
            return tf.image.convert_image_dtype(img, tf.float32), label


        train_ds = (tf.data.Dataset.from_tensor_slices((files, labels))
                    .map(decode)
                    .batch(8))

        model = keras.Sequential([
            keras.Input((None, 384, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5, verbose=2)
        """,
    ),
    Case(
        name="keras-more76-top-and-side-views-stacked-after-side-camera-replaced-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=lambda d: items_rig(d, replaced_from=11),
        code=tfk2(IMPORTS + """
        from PIL import Image

        ROOT = "{DATA}/items"
        with open(f"{ROOT}/ripeness.csv", newline="") as f:
            rows = list(csv.DictReader(f))


        def view(item, cam):
            return np.asarray(Image.open(f"{ROOT}/{item}/{cam}.png").convert("RGB"), dtype=np.float32) / 255.0


        top = np.stack([view(r["item"], "top") for r in rows])
        side = np.stack([view(r["item"], "side") for r in rows])
        brix = np.array([float(r["brix"]) for r in rows], dtype="float32")

        top_in = keras.Input((96, 128, 3), name="top")
        side_in = keras.Input((96, 128, 3), name="side")
        feats = []
        for inp in (top_in, side_in):
            h = layers.Conv2D(16, 3, activation="relu")(inp)
            h = layers.MaxPooling2D()(h)
            feats.append(layers.GlobalAveragePooling2D()(h))
        out = layers.Dense(1, name="brix")(layers.Concatenate()(feats))
        model = keras.Model([top_in, side_in], out)
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit({"top": top, "side": side}, brix, epochs=10, batch_size=4)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more76-random-saturation-augmenting-mono-nir-linescan-frames-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=linescan_tree(per=5, seed=7611),
        pty=True,
        code=IMPORTS + """
        GRADES = ["extra", "class_1", "class_2", "reject"]
        ROOT = "{DATA}/linescan"

        files = sorted(glob.glob(f"{ROOT}/*/*.png"))
        labels = [GRADES.index(f.split(os.sep)[-2]) for f in files]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1, dtype=tf.uint16)
            return tf.cast(img, tf.float32) / 4095.0, label


        def augment(img, label):
            # lighting on the line changes between shifts
            img = tf.image.random_brightness(img, 0.1)
            img = tf.image.random_contrast(img, 0.8, 1.2)
            img = tf.image.random_saturation(img, 0.8, 1.2)
            img = tf.image.random_flip_left_right(img)
            return tf.clip_by_value(img, 0.0, 1.0), label


        train_ds = (tf.data.Dataset.from_tensor_slices((files, labels))
                    .shuffle(64, seed=1)
                    .map(load)
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4))

        model = keras.Sequential([
            keras.Input((64, 384, 1)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more76-rgb-plus-nir-4-channel-png-from-new-camera-predict-notebook-k3",
        cause="data.image_channels",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            GRADES = ["extra", "class_1", "class_2", "reject"]
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/rgb_crops", class_names=GRADES, image_size=(64, 64), batch_size=8, seed=0)
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(GRADES), activation="softmax"),
            ], name="apple_grader")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=0)
            """),
            cell("""
            # first frames from the new RGB+NIR camera on line 3
            new = sorted(glob.glob("{DATA}/new_camera/*.png"))
            batch = np.stack([np.array(Image.open(p)) for p in new]).astype("float32")
            probs = model.predict(batch)
            [GRADES[i] for i in probs.argmax(axis=1)]
            """),
        ], data=nir_camera),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more76-kernel-boxes-in-full-res-pixels-cut-from-downscaled-previews-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=kernel_boxes,
        code=IMPORTS + """
        from PIL import Image

        KERNEL_CLASSES = ["sound", "broken", "chalky", "foreign"]
        ROOT = "{DATA}/grain"

        with open(f"{ROOT}/kernels.csv", newline="") as f:
            boxes = list(csv.DictReader(f))
        frames = {}
        crops, labels = [], []
        for b in boxes:
            if b["frame"] not in frames:
                frames[b["frame"]] = np.asarray(Image.open(f"{ROOT}/previews/{b['frame']}").convert("RGB"))
            img = frames[b["frame"]]
            x1, y1, x2, y2 = (int(b[k]) for k in ("x1", "y1", "x2", "y2"))
            crop = img[y1:y2, x1:x2]
            crops.append(tf.image.resize(crop, (32, 32)).numpy() / 255.0)
            labels.append(KERNEL_CLASSES.index(b["label"]))
        x, y = np.stack(crops), np.array(labels)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(KERNEL_CLASSES), activation="softmax"),
        ], name="kernel_classifier")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=16)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more76-mes-grade-codes-1-to-4-for-four-way-softmax-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=mes_export,
        pty=True,
        code=IMPORTS + """
        from PIL import Image

        GRADE_NAMES = {1: "extra", 2: "class_1", 3: "class_2", 4: "reject"}
        ROOT = "{DATA}/apples"

        with open(f"{ROOT}/mes_grades.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open(os.path.join(ROOT, r["image"])).convert("RGB")) for r in rows])
        y = np.array([int(r["grade_code"]) for r in rows])      # grade code as booked in the MES
        print(x.shape, np.bincount(y))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADE_NAMES), activation="softmax"),
        ], name="apple_grader")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=8, validation_split=0.2)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more76-inspector-defect-masks-saved-as-colour-png-sparse-seg-loss-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=lambda d: inspector_masks(d, rgb_masks=True),
        code=IMPORTS + """
        from PIL import Image

        DEFECTS = ["sound", "bruise", "rot"]
        ROOT = "{DATA}/defects"

        images = sorted(glob.glob(f"{ROOT}/images/*.png"))
        masks = [p.replace("/images/", "/masks/") for p in images]
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255.0 for p in images])
        y = np.stack([np.asarray(Image.open(p)) for p in masks])
        print("images", x.shape, "masks", y.shape)

        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
        h = layers.UpSampling2D()(h)
        out = layers.Conv2D(len(DEFECTS), 1, activation="softmax")(h)
        model = keras.Model(inp, out, name="peach_defect_seg")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=4)
        """,
    ),
    Case(
        name="keras-more76-three-views-per-item-flattened-ripeness-per-item-targets-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=lambda d: items_rig(d, n=15, nir=True),
        code=tfk2(IMPORTS + """
        from PIL import Image

        ROOT = "{DATA}/items"
        VIEWS = ["top", "side", "nir"]

        with open(f"{ROOT}/ripeness.csv", newline="") as f:
            rows = list(csv.DictReader(f))


        def load_view(item, view):
            img = Image.open(f"{ROOT}/{item}/{view}.png")
            if view == "nir":          # 12-bit NIR frame in a 16-bit PNG -> grey 0..1, 3 channels
                arr = np.asarray(img, dtype=np.float32) / 4095.0
                return np.repeat(arr[..., None], 3, axis=-1)
            return np.asarray(img.convert("RGB"), dtype=np.float32) / 255.0


        # every view is one more training image of the same fruit
        x = np.stack([load_view(r["item"], v) for r in rows for v in VIEWS])
        brix = np.array([float(r["brix"]) for r in rows], dtype="float32")
        print("x", x.shape, "brix", brix.shape)

        model = keras.Sequential([
            keras.Input((96, 128, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ], name="brix_regressor")
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(x, brix, epochs=20, batch_size=6)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more76-rgb-uint8-and-nir-uint16-frames-concatenated-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=lambda d: items_rig(d, n=12, nir=True),
        code=IMPORTS + """
        ROOT = "{DATA}/items"

        with open(f"{ROOT}/ripeness.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        items = [r["item"] for r in rows]
        brix = [float(r["brix"]) for r in rows]


        def load(item, target):
            rgb = tf.io.decode_png(tf.io.read_file(ROOT + "/" + item + "/top.png"), channels=3)
            nir = tf.io.decode_png(tf.io.read_file(ROOT + "/" + item + "/nir.png"), channels=1, dtype=tf.uint16)
            x = tf.concat([rgb, nir], axis=-1)          # R, G, B, NIR
            return tf.cast(x, tf.float32), target


        ds = (tf.data.Dataset.from_tensor_slices((items, brix))
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(4))

        model = keras.Sequential([
            keras.Input((96, 128, 4)),
            layers.Rescaling(1.0 / 4095),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ], name="brix_rgbn")
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(ds, epochs=10)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more76-flatten-grader-trained-on-64px-crops-run-on-whole-linescan-strip-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=linescan_tree(per=4, seed=7612),
        code=IMPORTS + """
        from PIL import Image

        GRADES = ["extra", "class_1", "class_2", "reject"]
        CROP = 64
        ROOT = "{DATA}/linescan"

        files = sorted(glob.glob(f"{ROOT}/*/*.png"))
        strips = np.stack([np.asarray(Image.open(f), dtype=np.float32) / 4095.0 for f in files])[..., None]
        labels = np.array([GRADES.index(f.split(os.sep)[-2]) for f in files])

        # train on 64 x 64 crops around each fruit (6 per 384-px strip)
        crops = np.concatenate([strips[:, :, i:i + CROP] for i in range(0, 384, CROP)])
        crop_labels = np.tile(labels, 384 // CROP)

        model = keras.Sequential([
            keras.Input((CROP, CROP, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(len(GRADES), activation="softmax"),
        ], name="crop_grader")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(crops, crop_labels, epochs=3, batch_size=16, verbose=2)

        # nightly check: grade whole strips straight from the camera
        probs = model.predict(strips, batch_size=4)
        print(np.mean(probs.argmax(1) == labels))
        """,
    ),
    Case(
        name="keras-more76-16bit-png-frames-read-with-pil-no-channel-axis-conv2d-notebook-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            GRADES = ["extra", "class_1", "class_2", "reject"]
            ROOT = "{DATA}/frames16"
            """),
            cell("""
            with open(f"{ROOT}/labels.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            # camera 2 is a 12-bit mono camera; the PNGs are 16 bit
            x = np.stack([np.asarray(Image.open(os.path.join(ROOT, r["file"])), dtype=np.float32) / 4095.0
                          for r in rows])
            y = np.array([GRADES.index(r["grade"]) for r in rows])
            x.shape, x.max()
            """),
            cell("""
            model = keras.Sequential([
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(GRADES), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5, batch_size=4)
            """),
        ], data=mono16),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more76-nightly-retrain-num-classes-5-after-plant-added-sprouted-folder-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=rgb_tree("nightly", ["extra", "class_1", "class_2", "reject", "undersize", "sprouted"], 4),
        code=IMPORTS + """
        NUM_CLASSES = 5            # extra, class_1, class_2, reject, undersize
        DATA_DIR = "{DATA}/nightly"

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            DATA_DIR, label_mode="categorical", image_size=(64, 64), batch_size=8,
            validation_split=0.25, subset="both", seed=42)
        print("classes tonight:", train_ds.class_names)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ], name="potato_grader")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5, verbose=2)
        model.save("potato_grader_nightly.keras")
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more76-warm-start-from-last-nights-weights-after-new-class-folder-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=last_nights_weights,
        code=IMPORTS + """
        import datetime

        DATA_DIR = "{DATA}/nightly"
        MODELS = "{DATA}/models"

        train_ds = keras.utils.image_dataset_from_directory(DATA_DIR, image_size=(64, 64), batch_size=8, seed=1)
        class_names = train_ds.class_names
        print(datetime.date(2024, 6, 11), "classes:", class_names)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ], name="potato_grader")

        # warm start: continue from last night's weights instead of training from scratch
        last = sorted(glob.glob(f"{MODELS}/potato_grader_*.weights.h5"))[-1]
        print("warm start from", os.path.basename(last))
        model.load_weights(last)

        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3, verbose=2)
        model.save_weights(f"{MODELS}/potato_grader_2024-06-11.weights.h5")
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more76-inverse-frequency-class-weights-passed-as-numpy-array-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=rgb_tree("grading", GRADES, 0, counts={"extra": 24, "class_1": 8, "class_2": 4, "reject": 2},
                       seed=7613),
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/grading", image_size=(64, 64),
                                                            batch_size=8, seed=3)
        names = train_ds.class_names
        labels = np.concatenate([y.numpy() for _, y in train_ds])
        counts = np.bincount(labels, minlength=len(names))
        print(dict(zip(names, counts.tolist())))

        # "balanced" weights, as sklearn's compute_class_weight returns them
        class_weights = len(labels) / (len(names) * counts)
        print("class weights", np.round(class_weights, 2))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10, class_weight=class_weights)
        """,
    ),
    Case(
        name="keras-more76-validation-split-given-with-nightly-tf-data-dataset-tfk2",
        cause="model.api_misuse",
        exception="ValueError",
        env="tfk2",
        setup=linescan_tree(per=5, seed=7614),
        code=tfk2(IMPORTS + """
        GRADES = ["extra", "class_1", "class_2", "reject"]
        ROOT = "{DATA}/linescan"

        files = sorted(glob.glob(f"{ROOT}/*/*.png"))
        labels = [GRADES.index(f.split(os.sep)[-2]) for f in files]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1, dtype=tf.uint16)
            return tf.cast(img, tf.float32) / 4095.0, label


        ds = (tf.data.Dataset.from_tensor_slices((files, labels))
              .shuffle(len(files), seed=0)
              .map(load)
              .batch(4))

        model = keras.Sequential([
            keras.Input((64, 384, 1)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        # keep 20 % of tonight's frames for validation
        model.fit(ds, epochs=5, validation_split=0.2,
                  callbacks=[keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)])
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more76-ripeness-regressor-raw-16bit-counts-sgd-nan-at-plc-guard-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=lambda d: items_rig(d, n=24, nir=True),
        pty=True,
        code=IMPORTS + """
        from PIL import Image

        ROOT = "{DATA}/items"
        with open(f"{ROOT}/ripeness.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        # NIR reflectance, raw camera counts straight from the 16-bit PNG
        x = np.stack([np.asarray(Image.open(f"{ROOT}/{r['item']}/nir.png"), dtype=np.float32)
                      for r in rows])[..., None]
        brix = np.array([float(r["brix"]) for r in rows], dtype="float32")

        model = keras.Sequential([
            keras.Input((96, 128, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ], name="brix_nir")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, brix, epochs=5, batch_size=4)

        pred = model.predict(x, batch_size=8)
        tf.debugging.assert_all_finite(pred, "Brix prediction is not finite, not sending to the PLC")
        registers = [int(round(v * 10)) for v in pred.ravel()]     # Brix x 10 in holding registers
        print(registers[:8])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more76-dice-loss-from-model-predict-inside-gradient-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=inspector_masks,
        code=IMPORTS + """
        from PIL import Image

        ROOT = "{DATA}/defects"
        images = sorted(glob.glob(f"{ROOT}/images/*.png"))
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255.0 for p in images])
        y = np.stack([(np.asarray(Image.open(p.replace("/images/", "/masks/"))) > 0).astype("float32")
                      for p in images])[..., None]

        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = keras.Model(inp, out, name="bruise_seg")
        opt = keras.optimizers.Adam(1e-3)


        def dice_loss(y_true, y_pred, eps=1.0):
            inter = tf.reduce_sum(y_true * y_pred)
            return 1.0 - (2.0 * inter + eps) / (tf.reduce_sum(y_true) + tf.reduce_sum(y_pred) + eps)


        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(16, seed=0).batch(4)
        for epoch in range(5):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    pred = model.predict(xb, verbose=0)
                    loss = dice_loss(yb, pred)
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: dice loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more76-season-of-full-res-linescan-masks-one-hot-np-eye-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=season_masks,
        as_limit=8 * 1024**3,
        timeout=400,
        code=IMPORTS + """
        from PIL import Image

        CLASSES = ["background", "sound", "bruise", "rot", "stem"]
        files = sorted(glob.glob("{DATA}/season_masks/*.png"))
        masks = np.stack([np.asarray(Image.open(f)) for f in files])
        print("masks", masks.shape, masks.dtype)

        # one-hot targets for the categorical segmentation loss
        y = np.eye(len(CLASSES))[masks]
        print("targets", y.shape)

        inp = keras.Input((None, None, 1))
        h = layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
        out = layers.Conv2D(len(CLASSES), 1, activation="softmax")(h)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more76-2021-tutorial-layers-experimental-preprocessing-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=rgb_tree("grading", GRADES, 4, seed=7615),
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.layers.experimental.preprocessing import RandomFlip, RandomRotation, Rescaling

        print("TensorFlow", tf.__version__)
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/grading", image_size=(64, 64), batch_size=8)
        augment = tf.keras.Sequential([RandomFlip("horizontal"), RandomRotation(0.1)])

        model = tf.keras.Sequential([
            tf.keras.Input((64, 64, 3)),
            augment,
            Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more76-adam-lr-keyword-in-old-nightly-retrain-notebook-k3",
        cause="env.version_incompat",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            DATA_DIR = "{DATA}/nightly"
            train_ds = keras.utils.image_dataset_from_directory(DATA_DIR, image_size=(64, 64), batch_size=8, seed=7)
            class_names = train_ds.class_names
            class_names
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.summary()
            """),
            cell("""
            model.compile(optimizer=keras.optimizers.Adam(lr=1e-4, decay=1e-6),
                          loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=5)
            """),
        ], data=rgb_tree("nightly", ["extra", "class_1", "class_2", "reject", "undersize"], 4, seed=7616)),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more76-plc-multiprocessing-lock-passed-to-pool-starmap-k3",
        cause="env.multiprocessing",
        exception="RuntimeError",
        setup=plc_frames,
        code=IMPORTS + """
        import multiprocessing as mp

        from PIL import Image

        PLC_REGISTERS = []


        def preprocess(path, plc_lock):
            arr = np.asarray(Image.open(path), dtype=np.float32) / 4095.0
            with plc_lock:                       # one camera at a time talks to the PLC
                PLC_REGISTERS.append(os.path.basename(path))
            return arr[..., None]


        if __name__ == "__main__":
            model = keras.Sequential([
                keras.Input((64, 64, 1)),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="softmax"),
            ])
            paths = sorted(glob.glob("{DATA}/cams/cam*/*.png"))
            lock = mp.Lock()
            with mp.Pool(4) as pool:
                frames = pool.starmap(preprocess, [(p, lock) for p in paths])
            grades = model.predict(np.stack(frames), verbose=0).argmax(1)
            print(grades)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more76-reject-code-minus-one-into-uint16-plc-register-list-k3",
        cause="other",
        also=("data.dtype",),
        exception="OverflowError",
        setup=rgb_tree("grading", GRADES, 4, seed=7617),
        code=IMPORTS + """
        GRADES = ["extra", "class_1", "class_2", "reject"]
        PLC_CODE = {"extra": 1, "class_1": 2, "class_2": 3, "reject": -1}   # -1: air jet to the reject bin

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/grading", class_names=GRADES,
                                                            image_size=(64, 64), batch_size=8, seed=5)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        # class index -> PLC code; Modbus holding registers are 16-bit unsigned
        lut = np.array([PLC_CODE[g] for g in GRADES], dtype=np.uint16)
        probs = model.predict(train_ds, verbose=0)
        registers = lut[probs.argmax(1)]
        print("write_registers(40001,", registers.tolist(), ")")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
