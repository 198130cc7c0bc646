"""A ninth set of real Keras / TensorFlow failures, centred on errors that surface
as TensorFlow graph errors while ``model.fit`` runs (``Graph execution error``,
``Detected at node``, ``[[{{node ...}}]]``, errors raised inside a tf.data map
function or a Python generator and reported through ``IteratorGetNext``) from
bad data inside tf.data pipelines, Python generators, Sequence / PyDataset
objects, custom losses and custom metrics, across TF 2.12, 2.15 and 2.21.

Code paths keras_more.py ... keras_more8.py leave out: loaders that leave the
static shape unknown (``py_function`` / ``decode_image`` / ``decode_png`` with
``channels=0``) so that a photo of another size or a grayscale scan reaches the
model and fails at a MatMul, a Conv2D or a Normalization node; RGB-D and
change-detection pairs concatenated from images of other sizes / channel counts;
letterboxing into a smaller canvas; TFRecords of raw pixel bytes with one
grayscale camera; generators with an ``output_signature`` that a grayscale PNG
does not fit; per-batch "dynamic" resizing in a generator and a PyDataset;
StringLookup's OOV index shifting the labels; COCO-style category ids in a
two-output detector; ``class_weight`` dicts that miss a class; MeanIoU next to a
loss that ignores the void label; class names yielded into an int64 signature;
``tf.one_hot`` in a focal loss on float labels; one-hot labels from a
``py_function`` into a sparse loss; a Sequence whose label CSV is short; CTC
with no blank class; detection targets (crops outside the image, zero-width
crops, label rows with an extra or a missing column, a crowd image beyond
``padded_batch``'s box budget, pixel centres gathered from a grid, centres past
the right edge scattered into a grid, log-encoded widths of zero boxes under
``enable_check_numerics``, an assertion on normalised boxes, a class column
left in the box target, multi-object TFRecords parsed with FixedLenFeature);
NaN from standardising a blank frame and from invisible keypoints; unreadable
files and deleted files inside numpy_function / generator loaders; yes/no
string labels from a CSV; a Precision metric with a 1-based class_id.

Notebook cases run every cell through a real IPython InteractiveShell (``nb``
from _record.py); the TF environments have no IPython, so the setup links
IPython and its pure-Python dependencies from the torch environment (same
CPython 3.11) into the case's project folder, as keras_more8.py does.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more9.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import rgb as _rgb, rng as _rng  # noqa: E402
from _record import imgs, sub  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402




# ---------------------------------------------------------------- data helpers
def camera_and_phone(d: Path):
    """train/ shot with the lab camera (64x64), val/ with a phone (96x72)."""
    make_images(d / "dataset" / "train", ["good", "scratch", "dent"], per_class=6, size=(64, 64), fmt="jpeg")
    make_images(d / "dataset" / "val", ["good", "scratch", "dent"], per_class=3, size=(96, 72), fmt="jpeg",
                seed=3)


def rgbd_pairs(d: Path):
    """RGB frames 64x64 and depth maps at the sensor's 32x24."""
    rng = _rng(1)
    for i in range(16):
        _png(d / "rgbd" / "rgb" / f"frame_{i:04d}.png", _rgb(64, 64, i))
        _png(d / "rgbd" / "depth" / f"frame_{i:04d}.png", rng.integers(0, 255, (24, 32), dtype="uint8"))
    (d / "rgbd" / "labels.txt").write_text("\n".join(str(i % 2) for i in range(16)) + "\n")


def leaf_photos_and_scans(d: Path):
    make_images(d / "leaves" / "train", ["healthy", "rust", "scab"], per_class=5, size=(72, 72), fmt="jpeg")
    # the validation leaves came from the flatbed scanner: grayscale PNGs
    make_images(d / "leaves" / "val", ["healthy", "rust", "scab"], per_class=3, size=(72, 72), mode="L",
                fmt="png", seed=2)


def change_pairs(d: Path):
    rng = _rng(2)
    rows = []
    for i in range(12):
        before = rng.integers(0, 255, (64, 64), dtype="uint8")       # the 2015 archive: grayscale
        _png(d / "tiles" / "before" / f"tile_{i:03d}.png", before)
        _png(d / "tiles" / "after" / f"tile_{i:03d}.png", _rgb(64, 64, 100 + i))
        rows.append(f"tile_{i:03d}.png,{i % 2}")
    (d / "tiles" / "changes.csv").write_text("tile,changed\n" + "\n".join(rows) + "\n")


def cameras_raw(d: Path):
    """Three cameras; cam_c is a monochrome camera."""
    rng = _rng(3)
    for cam in ["cam_a", "cam_b", "cam_c"]:
        for i in range(16):
            if cam == "cam_c":
                arr = rng.integers(0, 255, (32, 32), dtype="uint8")
            else:
                arr = rng.integers(0, 255, (32, 32, 3), dtype="uint8")
            _png(d / "cameras" / cam / f"{cam}_{i:03d}.png", arr)


def pets_with_one_gray(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(48, 48), fmt="png")
    # one photo re-saved from an old black-and-white print
    _png(d / "pets" / "dog" / "dog_004.png", _rng(9).integers(0, 255, (48, 48), dtype="uint8"))


phone_photos = imgs([(f"receipts/{c}/{c}_{i:02d}.jpg", (120 if i % 2 else 100, 96 if i % 2 else 128), "RGB")
                     for c in ("paid", "unpaid") for i in range(6)]
                    + [("receipts/unpaid/unpaid_99.jpg", (160, 120), "RGB")])   # a landscape shot


def bucket_photos(d: Path):
    # webcam stills 64x64 and, later in the list, uploads of other sizes
    make_images(d / "snacks", ["chips", "fruit"], per_class=8, fmt="jpeg",
                sizes=[(64, 64)] * 6 + [(80, 60), (60, 80)])


def penguins_csv(d: Path):
    make_images(d / "penguins", ["img"], per_class=18, size=(40, 40), fmt="jpeg")
    species = ["adelie", "chinstrap", "gentoo"]
    rows = [f"img/img_{i:03d}.jpg,{species[i % 3]}" for i in range(18)]
    (d / "penguins" / "labels.csv").write_text("path,species\n" + "\n".join(rows) + "\n")


def coco_like(d: Path):
    """images + a COCO-style json with category ids 1..5 and one box per image."""
    rng = _rng(4)
    images, anns = [], []
    for i in range(24):
        name = f"{i:06d}.jpg"
        make_one = imgs([(f"coco/images/{name}", (64, 64), "RGB")])
        make_one(d)
        images.append({"id": i, "file_name": name, "width": 64, "height": 64})
        x, y = [int(v) for v in rng.integers(0, 32, 2)]
        anns.append({"image_id": i, "category_id": int(i % 5) + 1, "bbox": [x, y, 24, 20]})
    cats = [{"id": k, "name": n} for k, n in enumerate(["person", "bicycle", "car", "motorcycle", "bus"], 1)]
    (d / "coco" / "instances_train.json").write_text(json.dumps({"images": images, "annotations": anns,
                                                                  "categories": cats}))


def four_class_folders(d: Path):
    make_images(d / "skin", ["benign", "malignant", "nevus", "keratosis"], per_class=6, size=(40, 40), fmt="jpeg")


def imbalanced_folders(d: Path):
    make_images(d / "parts", ["ok", "crack"], per_class=10, size=(40, 40), fmt="jpeg")
    make_images(d / "parts", ["burn"], per_class=2, size=(40, 40), fmt="jpeg", seed=5)


def street_masks_void(d: Path):
    rng = _rng(6)
    for i in range(12):
        _png(d / "street" / "images" / f"{i:04d}.png", _rgb(48, 48, i))
        m = rng.integers(0, 3, (48, 48)).astype("uint8")
        m[:3, :] = 255      # the annotation tool's void border
        m[:, -3:] = 255
        _png(d / "street" / "masks" / f"{i:04d}.png", m)


def birds_flat(d: Path):
    make_images(d / "birds", ["robin", "sparrow", "wren"], per_class=5, size=(32, 32), fmt="png")


def digits_csv_float(d: Path):
    rng = _rng(7)
    x = rng.random((120, 64))
    y = rng.integers(0, 4, 120)
    (d / "sensor.csv").write_text("\n".join(",".join(f"{v:.4f}" for v in row) + f",{c}.0"
                                            for row, c in zip(x, y)) + "\n")


def fabrics_onehot(d: Path):
    make_images(d / "fabric", ["cotton", "denim", "silk", "wool"], per_class=4, size=(40, 40), fmt="jpeg")


def receipts_short_csv(d: Path):
    make_images(d / "docs", ["scan"], per_class=20, size=(40, 40), fmt="png")
    kinds = ["invoice", "receipt", "letter"]
    # the last four scans were added after the label sheet was exported
    rows = [f"scan_{i:03d}.png,{kinds[i % 3]}" for i in range(16)]
    (d / "docs" / "labels.csv").write_text("file,kind\n" + "\n".join(rows) + "\n")


def shelf_crops(d: Path):
    rows = []
    for i in range(16):
        _png(d / "shelf" / f"shelf_{i:03d}.png", _rgb(80, 100, i))
        x, y, w, h, c = 10 + i, 12, 30, 28, i % 2
        if i == 9:
            x, w = 82, 30           # a box drawn past the right edge of the 100-px photo
        rows.append(f"shelf_{i:03d}.png,{x},{y},{w},{h},{c}")
    (d / "shelf" / "boxes.csv").write_text("image,x,y,w,h,label\n" + "\n".join(rows) + "\n")


def wasp_crops(d: Path):
    rows = []
    for i in range(12):
        _png(d / "traps" / f"trap_{i:03d}.png", _rgb(64, 64, i))
        x1, y1, x2, y2 = 8, 10, 40, 44
        if i == 7:
            x2 = x1                 # a click instead of a drag in the labelling tool
        rows.append(f"trap_{i:03d}.png,{x1},{y1},{x2},{y2},{i % 2}")
    (d / "traps" / "boxes.csv").write_text("image,x1,y1,x2,y2,label\n" + "\n".join(rows) + "\n")


def yolo_six_columns(d: Path):
    for i in range(16):
        _png(d / "yolo" / "images" / f"img_{i:03d}.png", _rgb(64, 64, i))
        line = f"{i % 3} 0.5 0.5 0.3 0.4"
        if i == 11:
            line = f"{i % 3} 0.5 0.5 0.3 0.4 0.87\n1 0.2 0.3 0.1 0.1 0.64"   # pseudo-labels with scores
        (d / "yolo" / "labels" / f"img_{i:03d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (d / "yolo" / "labels" / f"img_{i:03d}.txt").write_text(line + "\n")


def two_exporters(d: Path):
    for i in range(16):
        _png(d / "boxes" / "images" / f"im_{i:03d}.png", _rgb(48, 48, i))
        if i < 10:     # exporter A: x1,y1,x2,y2,class
            txt = f"4,6,30,40,{i % 2}\n20,8,44,30,{(i + 1) % 2}"
        else:          # exporter B: x1,y1,x2,y2
            txt = "4,6,30,40\n20,8,44,30"
        (d / "boxes" / "ann").mkdir(parents=True, exist_ok=True)
        (d / "boxes" / "ann" / f"im_{i:03d}.txt").write_text(txt + "\n")


def crowd_scene(d: Path):
    rng = _rng(8)
    anns = {}
    for i in range(12):
        name = f"frame_{i:03d}.png"
        _png(d / "crowd" / name, _rgb(64, 64, i))
        n = 14 if i == 5 else int(rng.integers(1, 6))
        boxes = []
        for _ in range(n):
            x, y = [float(v) for v in rng.random(2) * 0.6]
            boxes.append([round(x, 3), round(y, 3), round(x + 0.2, 3), round(y + 0.3, 3)])
        anns[name] = boxes
    (d / "crowd" / "boxes.json").write_text(json.dumps(anns, indent=1))


def voc_pixel_boxes(d: Path):
    rows = []
    for i in range(16):
        _png(d / "voc" / f"{i:05d}.png", _rgb(56, 56, i))
        # cx, cy, w, h exported in pixels of the 224x224 originals
        rows.append(f"{i:05d}.png,{i % 3},{90 + i},{110 - i},{40 + i},{52}")
    (d / "voc" / "train.csv").write_text("file,cls,cx,cy,w,h\n" + "\n".join(rows) + "\n")


def edge_boxes(d: Path):
    rows = []
    for i in range(16):
        _png(d / "drone" / f"{i:04d}.png", _rgb(56, 56, i))
        cx = 0.5 if i != 6 else 1.0214     # a car cut by the right border, centre computed from the unclipped box
        rows.append(f"{i:04d}.png,{i % 3},{cx},0.45,0.2,0.15")
    (d / "drone" / "labels.csv").write_text("file,cls,cx,cy,w,h\n" + "\n".join(rows) + "\n")


def zero_width_boxes(d: Path):
    rows = []
    for i in range(12):
        _png(d / "cells" / f"cell_{i:03d}.png", _rgb(48, 48, i))
        w = 0.0 if i == 4 else 0.25
        rows.append(f"cell_{i:03d}.png,0.5,0.5,{w},0.3")
    (d / "cells" / "boxes.csv").write_text("file,cx,cy,w,h\n" + "\n".join(rows) + "\n")


def pixel_boxes_csv(d: Path):
    rows = []
    for i in range(12):
        _png(d / "plates" / f"car_{i:03d}.png", _rgb(64, 64, i))
        if i < 8:
            rows.append(f"car_{i:03d}.png,0.21,0.55,0.62,0.71")
        else:      # the second annotator exported pixels
            rows.append(f"car_{i:03d}.png,{140 + i},{350},{395},{455}")
    (d / "plates" / "plates.csv").write_text("file,x1,y1,x2,y2\n" + "\n".join(rows) + "\n")


def tfod_json(d: Path):
    rng = _rng(9)
    anns = []
    for i in range(10):
        name = f"img_{i:03d}.png"
        _png(d / "fruit" / name, _rgb(48, 48, i))
        objs = [{"bbox": [0.1, 0.2, 0.5, 0.6], "label": int(i % 2)}]
        if i == 6:
            objs.append({"bbox": [0.55, 0.3, 0.9, 0.8], "label": 1})
        anns.append({"file": name, "objects": objs})
    (d / "fruit" / "annotations.json").write_text(json.dumps(anns, indent=1))
    del rng


def conveyor_frames(d: Path):
    rng = _rng(10)
    for i in range(24):
        arr = rng.integers(0, 255, (40, 40, 3), dtype="uint8")
        if i == 13:
            arr[:] = 0                     # the belt light was off: a black frame
        _png(d / "conveyor" / ("defect" if i % 2 else "ok") / f"f_{i:04d}.png", arr)


def keypoints_csv(d: Path):
    rng = _rng(11)
    rows = []
    for i in range(40):
        _png(d / "hands" / f"hand_{i:03d}.png", _rgb(32, 32, i))
        pts = [f"{v:.3f}" for v in rng.random(6)]
        if i in (17, 29):
            pts[4] = ""                    # the thumb tip is occluded: left empty
            pts[5] = ""
        rows.append(f"hand_{i:03d}.png," + ",".join(pts))
    (d / "hands" / "keypoints.csv").write_text("file,wrist_x,wrist_y,index_x,index_y,thumb_x,thumb_y\n"
                                              + "\n".join(rows) + "\n")


def insects_with_html(d: Path):
    make_images(d / "insects", ["ant", "bee"], per_class=12, size=(40, 40), fmt="jpeg")
    (d / "insects" / "bee" / "bee_009.jpg").write_text(
        "<!DOCTYPE html><html><head><title>403 Forbidden</title></head><body>Forbidden</body></html>\n")


def listing_with_deleted(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=8, size=(40, 40), mode="L", fmt="png")
    rows = [f"{c}/{c}_{i:03d}.png,{k}" for k, c in enumerate(["normal", "pneumonia"]) for i in range(8)]
    rows.insert(11, "pneumonia/pneumonia_017.png,1")       # removed as a duplicate after the CSV was made
    (d / "xray" / "train.csv").write_text("path,label\n" + "\n".join(rows) + "\n")


def weld_yes_no(d: Path):
    make_images(d / "welds", ["img"], per_class=16, size=(40, 40), fmt="jpeg")
    rows = [f"{d}/welds/img/img_{i:03d}.jpg,{'yes' if i % 3 == 0 else 'no'}" for i in range(16)]
    (d / "welds" / "inspections.csv").write_text("image,defect\n" + "\n".join(rows) + "\n")


def denoise_pairs(d: Path):
    rng = _rng(12)
    for i in range(16):
        noisy = _rgb(48, 48, i)
        clean = rng.integers(0, 255, (48, 48, 4), dtype="uint8")   # references exported from the editor with alpha
        clean[..., 3] = 255
        _png(d / "denoise" / "clean" / f"{i:04d}.png", clean, mode="RGBA")
        _png(d / "denoise" / "noisy" / f"{i:04d}.png", noisy)


def captcha_imgs(d: Path):
    import random
    r = random.Random(0)
    chars = "2345678bcdefgmnpwxy"
    for i in range(24):
        text = "".join(r.choice(chars) for _ in range(5))
        if i == 3:
            text = "y" + text[1:]
        _png(d / "captcha" / f"{text}.png", _rng(i).integers(0, 255, (40, 120), dtype="uint8"))


def shop_tags(d: Path):
    make_images(d / "shop", ["img"], per_class=12, size=(40, 40), fmt="jpeg")
    tags = {f"img_{i:03d}.jpg": [i % 5] + ([(i + 2) % 5] if i % 3 == 0 else []) for i in range(12)}
    (d / "shop" / "tags.json").write_text(json.dumps(tags, indent=1))


def faces_ages(d: Path):
    make_images(d / "faces", ["img"], per_class=16, size=(40, 40), fmt="jpeg")
    rows = [f"img/img_{i:03d}.jpg,{'' if i in (6, 13) else 18 + 3 * i}" for i in range(16)]   # age unknown
    (d / "faces" / "ages.csv").write_text("path,age\n" + "\n".join(rows) + "\n")


def fish_partly_labelled(d: Path):
    make_images(d / "fish", ["photos"], per_class=14, size=(40, 40), fmt="jpeg")
    species = ["bass", "carp", "trout"]
    rows = [f"photos_{i:03d}.jpg,{species[i % 3]}" for i in range(14) if i not in (5, 9)]   # not labelled yet
    (d / "fish" / "labels.csv").write_text("file,species\n" + "\n".join(rows) + "\n")


# ---------------------------------------------------------------- templates
K2_CLASSIFIER = """
import os
import glob
import numpy as np
import tensorflow as tf

DATA_DIR = "{DATA}/@@DIR@@"
class_names = sorted(os.listdir(DATA_DIR))

train_ds = tf.keras.utils.image_dataset_from_directory(
    DATA_DIR, image_size=(40, 40), batch_size=8, seed=1@@SUBSET@@)

model = tf.keras.Sequential([
    tf.keras.layers.Rescaling(1.0 / 255, input_shape=(40, 40, 3)),
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(len(class_names), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
@@WEIGHTS@@
history = model.fit(train_ds, epochs=5, class_weight=class_weight)
"""


CASES = [
    # ============================================================ image sizes
    Case(
        name="keras-more9-val-phone-photos-py-function-matmul-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=camera_and_phone,
        expect="Matrix size-incompatible",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/dataset"
        CLASSES = sorted(os.listdir(f"{ROOT}/train"))
        BATCH = 8


        def read_image(path):
            img = Image.open(path.numpy().decode()).convert("RGB")
            return np.asarray(img, dtype=np.float32) / 255.0


        def load(path, label):
            img = tf.py_function(read_image, [path], tf.float32)
            img.set_shape([None, None, 3])
            return img, label


        def make_ds(split, shuffle):
            paths, labels = [], []
            for i, c in enumerate(CLASSES):
                files = sorted(glob.glob(f"{ROOT}/{split}/{c}/*.jpg"))
                paths += files
                labels += [i] * len(files)
            ds = tf.data.Dataset.from_tensor_slices((paths, labels))
            if shuffle:
                ds = ds.shuffle(len(paths), seed=42)
            return ds.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(BATCH).prefetch(1)


        train_ds = make_ds("train", shuffle=True)
        val_ds = make_ds("val", shuffle=False)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=2)
        """,
    ),
    Case(
        name="keras-more9-rgbd-concat-depth-sensor-resolution-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=rgbd_pairs,
        expect="ConcatOp",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        rgb_files = sorted(glob.glob("{DATA}/rgbd/rgb/*.png"))
        depth_files = sorted(glob.glob("{DATA}/rgbd/depth/*.png"))
        labels = [int(l) for l in open("{DATA}/rgbd/labels.txt").read().split()]


        def load_rgbd(rgb_path, depth_path, label):
            rgb = tf.io.decode_png(tf.io.read_file(rgb_path), channels=3)
            depth = tf.io.decode_png(tf.io.read_file(depth_path), channels=1)
            x = tf.concat([rgb, depth], axis=-1)           # 4-channel RGB-D input
            x = tf.image.resize(x, (64, 64)) / 255.0
            return x, label


        ds = (tf.data.Dataset.from_tensor_slices((rgb_files, depth_files, labels))
              .map(load_rgbd)
              .shuffle(32)
              .batch(4))

        inputs = keras.Input(shape=(64, 64, 4))
        x = layers.Conv2D(16, 3, activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs, name="grasp_net")
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=4)
        """,
    ),
    Case(
        name="keras-more9-letterbox-pad-landscape-photo-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=phone_photos,
        expect="width must be <= target - offset",
        code="""
        import pathlib
        import tensorflow as tf

        CANVAS = 128
        root = pathlib.Path("{DATA}/receipts")
        class_names = sorted(p.name for p in root.iterdir())
        files = sorted(str(p) for p in root.glob("*/*.jpg"))
        labels = [class_names.index(pathlib.Path(f).parent.name) for f in files]


        def letterbox(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            # receipts are shot in portrait and are never bigger than the canvas
            img = tf.image.pad_to_bounding_box(img, 0, 0, CANVAS, CANVAS)
            return tf.cast(img, tf.float32) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(letterbox).batch(4)

        model = tf.keras.models.Sequential([
            tf.keras.layers.Conv2D(8, 5, strides=2, activation="relu", input_shape=(CANVAS, CANVAS, 3)),
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalMaxPooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-generator-per-batch-max-size-flatten-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=bucket_photos,
        pty=True,
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        paths = sorted(glob.glob("{DATA}/snacks/*/*.jpg"))
        labels = np.array([0 if "/chips/" in p else 1 for p in paths])
        BATCH = 4


        def batch_generator(paths, labels, batch_size):
            # pad-free batching: every batch is resized to the largest photo in it
            while True:
                for i in range(0, len(paths), batch_size):
                    ims = [Image.open(p).convert("RGB") for p in paths[i:i + batch_size]]
                    w = max(im.width for im in ims)
                    h = max(im.height for im in ims)
                    x = np.stack([np.asarray(im.resize((w, h)), np.float32) / 255.0 for im in ims])
                    yield x, labels[i:i + batch_size]


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(4),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(batch_generator(paths, labels, BATCH), steps_per_epoch=len(paths) // BATCH, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-pydataset-per-batch-resize-dense-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="k3",
        setup=bucket_photos,
        pty=True,
        code="""
        import glob
        import math

        import numpy as np
        import keras
        from PIL import Image


        class SnackBatches(keras.utils.PyDataset):
            def __init__(self, folder, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.paths = sorted(glob.glob(folder + "/*/*.jpg"))
                self.labels = np.array([0 if "/chips/" in p else 1 for p in self.paths], "float32")
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                ims = [Image.open(p).convert("RGB") for p in self.paths[sl]]
                size = (max(i.width for i in ims), max(i.height for i in ims))
                x = np.stack([np.asarray(i.resize(size), "float32") / 255.0 for i in ims])
                return x, self.labels[sl]


        model = keras.Sequential([
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.MaxPooling2D(4),
            keras.layers.Flatten(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(SnackBatches("{DATA}/snacks"), epochs=2)
        """,
    ),
    # ============================================================ channels
    Case(
        name="keras-more9-val-scans-decode-image-conv-depth-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=leaf_photos_and_scans,
        expect="Depth of input must be a multiple of depth of filter",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_SIZE = 64
        AUTOTUNE = tf.data.AUTOTUNE
        CLASSES = ["healthy", "rust", "scab"]


        def decode(path):
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            img = tf.io.decode_image(tf.io.read_file(path), expand_animations=False)
            img = tf.image.resize(img, (IMG_SIZE, IMG_SIZE)) / 255.0
            return img, label


        train = tf.data.Dataset.list_files("{DATA}/leaves/train/*/*", seed=0).map(decode, AUTOTUNE).batch(5)
        val = tf.data.Dataset.list_files("{DATA}/leaves/val/*/*", shuffle=False).map(decode, AUTOTUNE).batch(5)

        model = keras.Sequential([
            keras.Input((IMG_SIZE, IMG_SIZE, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train, validation_data=val, epochs=2, verbose=2)
        """,
    ),
    Case(
        name="keras-more9-change-detection-gray-archive-tiles-tf212",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf212",
        setup=change_pairs,
        expect="input depth must be evenly divisible by filter depth",
        code="""
        import csv
        import tensorflow as tf
        from tensorflow.keras import layers, models

        ROOT = "{DATA}/tiles"
        rows = list(csv.DictReader(open(f"{ROOT}/changes.csv")))
        before = [f"{ROOT}/before/{r['tile']}" for r in rows]
        after = [f"{ROOT}/after/{r['tile']}" for r in rows]
        changed = [float(r["changed"]) for r in rows]


        def load_pair(before_path, after_path, label):
            b = tf.io.decode_png(tf.io.read_file(before_path))
            a = tf.io.decode_png(tf.io.read_file(after_path))
            x = tf.concat([b, a], axis=-1)        # early fusion: stack the two dates
            x = tf.image.convert_image_dtype(x, tf.float32)
            return x, label


        ds = tf.data.Dataset.from_tensor_slices((before, after, changed)).map(load_pair).batch(4)

        model = models.Sequential([
            layers.Conv2D(16, 3, padding="same", activation="relu", input_shape=(64, 64, 6)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-tfrecord-raw-bytes-mono-camera-tf215",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf215",
        setup=cameras_raw,
        pty=True,
        expect="Input to reshape is a tensor with",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        H = W = 32
        CAMS = ["cam_a", "cam_b", "cam_c"]
        RECORD = "cameras.tfrecord"


        def _bytes(v):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=[v]))


        def _int(v):
            return tf.train.Feature(int64_list=tf.train.Int64List(value=[v]))


        # ---- step 1: pack the camera folders into one TFRecord
        with tf.io.TFRecordWriter(RECORD) as writer:
            for label, cam in enumerate(CAMS):
                for path in sorted(glob.glob(f"{DATA}/cameras/{cam}/*.png")):
                    pixels = np.asarray(Image.open(path))
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "image_raw": _bytes(pixels.tobytes()),
                        "label": _int(label),
                    }))
                    writer.write(ex.SerializeToString())

        # ---- step 2: train from the TFRecord
        FEATURES = {
            "image_raw": tf.io.FixedLenFeature([], tf.string),
            "label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            img = tf.io.decode_raw(ex["image_raw"], tf.uint8)
            img = tf.reshape(img, [H, W, 3])
            return tf.cast(img, tf.float32) / 255.0, ex["label"]


        ds = tf.data.TFRecordDataset(RECORD).map(parse).batch(8)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(H, W, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CAMS), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-from-generator-bw-print-output-signature-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=pets_with_one_gray,
        expect="where an element of shape (48, 48, 3) was expected",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image

        paths = sorted(glob.glob("{DATA}/pets/*/*.png"))
        labels = [0 if "/cat/" in p else 1 for p in paths]


        def gen():
            for path, label in zip(paths, labels):
                img = Image.open(path).resize((48, 48))
                yield np.asarray(img, dtype=np.float32) / 255.0, label


        ds = tf.data.Dataset.from_generator(
            gen,
            output_signature=(
                tf.TensorSpec(shape=(48, 48, 3), dtype=tf.float32),
                tf.TensorSpec(shape=(), dtype=tf.int32),
            ),
        ).batch(4).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input(shape=(48, 48, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-denoise-autoencoder-rgba-clean-targets-tf212",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf212",
        setup=denoise_pairs,
        expect="Incompatible shapes",
        code="""
        import os
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        NOISY = "{DATA}/denoise/noisy"
        CLEAN = "{DATA}/denoise/clean"
        names = sorted(os.listdir(CLEAN))


        def read(path):
            img = tf.io.decode_png(tf.io.read_file(path))
            return tf.image.convert_image_dtype(img, tf.float32)


        def load(name):
            return read(NOISY + "/" + name), read(CLEAN + "/" + name)


        ds = tf.data.Dataset.from_tensor_slices(names).map(load).batch(4)

        inp = keras.Input(shape=(48, 48, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        out = layers.Conv2D(3, 3, padding="same", activation="sigmoid")(x)
        autoencoder = keras.Model(inp, out)
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(ds, epochs=3)
        """,
    ),
    # ============================================================ labels
    Case(
        name="keras-more9-stringlookup-oov-index-shifts-labels-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=penguins_csv,
        expect="outside the valid range",
        code="""
        import csv
        import tensorflow as tf
        import keras

        ROOT = "{DATA}/penguins"
        SPECIES = ["adelie", "chinstrap", "gentoo"]
        rows = list(csv.DictReader(open(f"{ROOT}/labels.csv")))
        paths = [f"{ROOT}/{r['path']}" for r in rows]
        names = [r["species"] for r in rows]

        to_index = keras.layers.StringLookup(vocabulary=SPECIES)


        def load(path, name):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (40, 40)) / 255.0
            return img, to_index(name)


        ds = tf.data.Dataset.from_tensor_slices((paths, names)).shuffle(18, seed=3).map(load).batch(6)

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(SPECIES)),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-detector-coco-category-ids-class-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=coco_like,
        expect="outside the valid range",
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/coco"
        coco = json.load(open(f"{ROOT}/instances_train.json"))
        NUM_CLASSES = len(coco["categories"])
        by_image = {a["image_id"]: a for a in coco["annotations"]}

        files, classes, boxes = [], [], []
        for im in coco["images"]:
            ann = by_image[im["id"]]
            x, y, w, h = ann["bbox"]
            files.append(f"{ROOT}/images/{im['file_name']}")
            classes.append(ann["category_id"])
            boxes.append([x / im["width"], y / im["height"], (x + w) / im["width"], (y + h) / im["height"]])


        def load(path, cls, box):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            return img, {"cls": cls, "box": box}


        ds = (tf.data.Dataset.from_tensor_slices((files, classes, np.array(boxes, "float32")))
              .map(load).shuffle(24, seed=0).batch(8))

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        cls_out = layers.Dense(NUM_CLASSES, activation="softmax", name="cls")(x)
        box_out = layers.Dense(4, activation="sigmoid", name="box")(x)
        model = keras.Model(inputs, {"cls": cls_out, "box": box_out})
        model.compile(optimizer="adam",
                      loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                      loss_weights={"cls": 1.0, "box": 5.0})
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more9-class-weight-dict-misses-new-folder-tf215",
        cause="data.label_out_of_range",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=four_class_folders,
        expect="is not in [0, 3)",
        code=sub(K2_CLASSIFIER, DIR="skin", SUBSET="",
                 WEIGHTS="# benign / malignant / nevus, from the paper's class ratios\n"
                         "class_weight = {0: 1.0, 1: 4.0, 2: 1.5}"),
    ),
    Case(
        name="keras-more9-nb-class-weight-from-first-batch-tf212",
        cause="data.label_out_of_range",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        env="tf212",
        expect="is not in [0, 2)",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            train_ds = tf.keras.utils.image_dataset_from_directory(
                "{DATA}/parts", image_size=(40, 40), batch_size=8, shuffle=False)
            class_names = train_ds.class_names
            class_names
            """,
            """
            # balance the classes
            _, y = next(iter(train_ds))
            counts = np.bincount(y.numpy())
            class_weight = {i: len(y) / (len(counts) * c) for i, c in enumerate(counts)}
            class_weight
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Rescaling(1. / 255, input_shape=(40, 40, 3)),
                tf.keras.layers.Conv2D(16, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(len(class_names), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            "history = model.fit(train_ds, epochs=5, class_weight=class_weight)",
        ], data=imbalanced_folders),
    ),
    Case(
        name="keras-more9-meaniou-void-label-masked-loss-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=street_masks_void,
        expect="out of bound",
        code="""
        import glob
        import tensorflow as tf
        from tensorflow.keras import layers

        NUM_CLASSES = 3          # road, car, background
        IGNORE = 255

        images = sorted(glob.glob("{DATA}/street/images/*.png"))
        masks = sorted(glob.glob("{DATA}/street/masks/*.png"))


        def load(img_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            return img, mask


        def masked_sparse_ce(y_true, y_pred):
            y_true = tf.cast(tf.squeeze(y_true, -1), tf.int32)
            keep = tf.not_equal(y_true, IGNORE)
            ce = tf.keras.losses.sparse_categorical_crossentropy(
                tf.boolean_mask(y_true, keep), tf.boolean_mask(y_pred, keep))
            return tf.reduce_mean(ce)


        ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(4)

        inputs = tf.keras.Input((48, 48, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=masked_sparse_ce,
                      metrics=[tf.keras.metrics.MeanIoU(num_classes=NUM_CLASSES, sparse_y_pred=False)])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-ctc-head-without-blank-class-tf215",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=captcha_imgs,
        expect="num_classes",
        code="""
        import os
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        DATA_DIR = "{DATA}/captcha"
        files = sorted(os.listdir(DATA_DIR))
        texts = [f[:-4] for f in files]
        characters = sorted(set("".join(texts)))
        char_to_num = {c: i for i, c in enumerate(characters)}
        MAX_LEN = max(len(t) for t in texts)

        x = np.stack([np.asarray(keras.utils.load_img(os.path.join(DATA_DIR, f), color_mode="grayscale"),
                                 np.float32) / 255.0 for f in files])[..., None]
        x = np.transpose(x, (0, 2, 1, 3))          # time axis first: (batch, width, height, 1)
        y = np.array([[char_to_num[c] for c in t] for t in texts], np.int32)


        class CTCLayer(layers.Layer):
            def call(self, y_true, y_pred):
                batch_len = tf.cast(tf.shape(y_true)[0], "int64")
                input_length = tf.cast(tf.shape(y_pred)[1], "int64") * tf.ones((batch_len, 1), "int64")
                label_length = tf.cast(tf.shape(y_true)[1], "int64") * tf.ones((batch_len, 1), "int64")
                self.add_loss(keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length))
                return y_pred


        image = layers.Input((120, 40, 1), name="image")
        labels = layers.Input((MAX_LEN,), name="label", dtype="int32")
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(image)
        h = layers.MaxPooling2D((2, 2))(h)
        h = layers.Reshape((60, 20 * 16))(h)
        h = layers.Bidirectional(layers.LSTM(32, return_sequences=True))(h)
        probs = layers.Dense(len(characters), activation="softmax", name="chars")(h)
        out = CTCLayer(name="ctc")(labels, probs)
        model = keras.Model([image, labels], out)
        model.compile(optimizer=keras.optimizers.Adam())
        model.fit({"image": x, "label": y}, batch_size=8, epochs=2)
        """,
    ),
    # ============================================================ label encodings / dtypes
    Case(
        name="keras-more9-from-generator-class-names-int64-spec-k3",
        cause="data.dtype",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        env="k3",
        setup=birds_flat,
        expect="could not be converted to the expected type",
        code="""
        import os
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image

        ROOT = "{DATA}/birds"
        CLASSES = sorted(os.listdir(ROOT))


        def samples():
            for cls in CLASSES:
                for f in sorted(os.listdir(os.path.join(ROOT, cls))):
                    img = np.asarray(Image.open(os.path.join(ROOT, cls, f)).convert("RGB"), np.float32)
                    yield img / 255.0, cls


        train_ds = tf.data.Dataset.from_generator(
            samples,
            output_signature=(tf.TensorSpec((32, 32, 3), tf.float32), tf.TensorSpec((), tf.int64)),
        ).shuffle(16).batch(5)

        model = keras.Sequential([keras.Input((32, 32, 3)),
                                  keras.layers.Conv2D(8, 3, activation="relu"),
                                  keras.layers.GlobalAveragePooling2D(),
                                  keras.layers.Dense(len(CLASSES), activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-focal-loss-one-hot-float-csv-labels-tfk2",
        cause="data.dtype",
        exception="TypeError",
        env="tfk2",
        setup=digits_csv_float,
        expect="indices",
        code="""
        import numpy as np
        import tensorflow as tf

        NUM_CLASSES = 4
        data = np.loadtxt("{DATA}/sensor.csv", delimiter=",")
        x, y = data[:, :-1], data[:, -1]


        def focal_loss(gamma=2.0, alpha=0.25):
            def loss(y_true, y_pred):
                y_true = tf.one_hot(tf.squeeze(y_true, -1), NUM_CLASSES)
                y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
                ce = -y_true * tf.math.log(y_pred)
                return tf.reduce_sum(alpha * tf.pow(1.0 - y_pred, gamma) * ce, axis=-1)
            return loss


        model = tf.keras.Sequential([
            tf.keras.layers.Dense(32, activation="relu", input_shape=(64,)),
            tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=focal_loss(), metrics=["accuracy"])
        model.fit(x, y[:, None], batch_size=16, epochs=3, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more9-csv-dataset-yes-no-defect-labels-tf212",
        cause="data.dtype",
        exception="UnimplementedError",
        env="tf212",
        setup=weld_yes_no,
        expect="Cast string to float is not supported",
        code="""
        import tensorflow as tf

        CSV = "{DATA}/welds/inspections.csv"


        def load(path, defect):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (40, 40)) / 255.0, defect


        ds = (tf.data.experimental.CsvDataset(CSV, record_defaults=[tf.string, tf.string], header=True)
              .map(load)
              .batch(8))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-py-function-one-hot-labels-sparse-loss-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=fabrics_onehot,
        expect="labels must be 1-D",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/fabric"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(ROOT + "/*/*.jpg"))


        def read_sample(path):
            path = path.numpy().decode()
            img = np.asarray(Image.open(path).convert("RGB").resize((40, 40)), np.float32) / 255.0
            label = np.zeros(len(CLASSES), np.float32)
            label[CLASSES.index(os.path.basename(os.path.dirname(path)))] = 1.0
            return img, label


        def load(path):
            img, label = tf.py_function(read_sample, [path], [tf.float32, tf.float32])
            img.set_shape((40, 40, 3))
            return img, label


        ds = tf.data.Dataset.from_tensor_slices(files).shuffle(16, seed=1).map(load).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-sequence-label-csv-short-last-batch-tf212",
        cause="data.label_shape",
        also=("data.missing_or_corrupt",),
        exception="InvalidArgumentError",
        env="tf212",
        setup=receipts_short_csv,
        pty=True,
        expect="logits and labels must have the same first dimension",
        code="""
        import csv
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import img_to_array, load_img

        ROOT = "{DATA}/docs"
        KINDS = ["invoice", "receipt", "letter"]


        class DocSequence(tf.keras.utils.Sequence):
            def __init__(self, root, batch_size=4):
                self.files = sorted(os.listdir(os.path.join(root, "scan")))
                with open(os.path.join(root, "labels.csv")) as fh:
                    self.labels = np.array([KINDS.index(r["kind"]) for r in csv.DictReader(fh)])
                self.root, self.batch_size = root, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                lo, hi = idx * self.batch_size, (idx + 1) * self.batch_size
                x = np.stack([img_to_array(load_img(os.path.join(self.root, "scan", f))) / 255.0
                              for f in self.files[lo:hi]])
                return x, self.labels[lo:hi]


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(KINDS), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(DocSequence(ROOT), epochs=2)
        """,
    ),
    # ============================================================ boxes / detection targets
    Case(
        name="keras-more9-object-crops-box-past-right-edge-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=shelf_crops,
        expect="width must be >= target + offset",
        code="""
        import csv
        import tensorflow as tf
        import keras

        ROOT = "{DATA}/shelf"
        rows = list(csv.DictReader(open(ROOT + "/boxes.csv")))
        paths = [ROOT + "/" + r["image"] for r in rows]
        boxes = [[int(r["x"]), int(r["y"]), int(r["w"]), int(r["h"])] for r in rows]
        labels = [int(r["label"]) for r in rows]


        def crop_product(path, box, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            x, y, w, h = box[0], box[1], box[2], box[3]
            crop = tf.image.crop_to_bounding_box(img, y, x, h, w)
            crop = tf.image.resize(crop, (32, 32)) / 255.0
            return crop, label


        crops = tf.data.Dataset.from_tensor_slices((paths, boxes, labels)).map(crop_product).batch(4)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(crops, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-nb-insect-crops-zero-width-box-resize-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        expect="non-zero size",
        **notebook([
            """
            import csv
            import tensorflow as tf
            ROOT = "{DATA}/traps"
            rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))
            len(rows)
            """,
            """
            def crop(path, x1, y1, x2, y2, label):
                img = tf.io.decode_png(tf.io.read_file(path), channels=3)
                patch = img[y1:y2, x1:x2]
                patch = tf.image.resize(patch, (32, 32))
                return patch / 255.0, label

            cols = lambda k, f=int: [f(r[k]) for r in rows]
            ds = tf.data.Dataset.from_tensor_slices(
                ([f"{ROOT}/{r['image']}" for r in rows], cols("x1"), cols("y1"), cols("x2"), cols("y2"), cols("label")))
            ds = ds.map(crop).batch(4)
            """,
            """
            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                tf.keras.layers.MaxPooling2D(),
                tf.keras.layers.Flatten(),
                tf.keras.layers.Dense(2, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(ds, epochs=3)
            """,
        ], data=wasp_crops),
    ),
    Case(
        name="keras-more9-yolo-txt-pseudo-label-score-column-reshape-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=yolo_six_columns,
        pty=True,
        expect="Input to reshape is a tensor with",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG_DIR = "{DATA}/yolo/images"
        LBL_DIR = "{DATA}/yolo/labels"
        NUM_CLASSES = 3


        def load(image_path):
            label_path = tf.strings.regex_replace(image_path, "images", "labels")
            label_path = tf.strings.regex_replace(label_path, r"\\.png$", ".txt")
            img = tf.io.decode_png(tf.io.read_file(image_path), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            values = tf.strings.to_number(tf.strings.split(tf.strings.strip(tf.io.read_file(label_path))))
            rows = tf.reshape(values, (-1, 5))          # class cx cy w h
            first = rows[0]
            return img, {"cls": tf.cast(first[0], tf.int32), "box": first[1:]}


        ds = tf.data.Dataset.list_files(IMG_DIR + "/*.png", shuffle=False).map(load).batch(2)

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, {"cls": layers.Dense(NUM_CLASSES, activation="softmax", name="cls")(x),
                                     "box": layers.Dense(4, activation="sigmoid", name="box")(x)})
        model.compile("adam", loss={"cls": "sparse_categorical_crossentropy", "box": "mse"})
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-ann-exporter-without-class-column-slice-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=two_exporters,
        expect="out of bounds",
        code="""
        import tensorflow as tf

        MAX_OBJ = 2


        def parse_annotation(txt):
            lines = tf.strings.split(tf.strings.strip(txt), "\\n")
            rows = tf.strings.to_number(tf.strings.split(lines, ",")).to_tensor()
            boxes = rows[:, :4] / 48.0
            classes = tf.cast(rows[:, 4], tf.int32)       # x1,y1,x2,y2,class
            return boxes, classes


        def load(img_path, ann_path):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32) / 255.0
            boxes, classes = parse_annotation(tf.io.read_file(ann_path))
            return img, (tf.reshape(boxes, (MAX_OBJ * 4,)), tf.one_hot(classes, 2))


        images = tf.data.Dataset.list_files("{DATA}/boxes/images/*.png", shuffle=False)
        anns = tf.data.Dataset.list_files("{DATA}/boxes/ann/*.txt", shuffle=False)
        ds = tf.data.Dataset.zip((images, anns)).map(load).batch(4)

        inputs = tf.keras.Input((48, 48, 3))
        x = tf.keras.layers.Conv2D(16, 3, activation="relu")(inputs)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        box_out = tf.keras.layers.Dense(MAX_OBJ * 4, activation="sigmoid", name="boxes")(x)
        cls_out = tf.keras.layers.Reshape((MAX_OBJ, 2))(tf.keras.layers.Dense(MAX_OBJ * 2)(x))
        cls_out = tf.keras.layers.Softmax(name="classes")(cls_out)
        model = tf.keras.Model(inputs, [box_out, cls_out])
        model.compile(optimizer="adam", loss=["mse", "categorical_crossentropy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-padded-batch-crowd-frame-max-boxes-tf215",
        cause="data.bbox_invalid",
        exception="DataLossError",
        env="tf215",
        setup=crowd_scene,
        expect="Attempted to pad to a smaller size than the input element",
        code="""
        import json
        import tensorflow as tf

        MAX_BOXES = 10
        ann = json.load(open("{DATA}/crowd/boxes.json"))
        names = sorted(ann)
        box_lists = tf.ragged.constant([ann[n] for n in names], ragged_rank=1, dtype=tf.float32)


        def load(name, boxes):
            img = tf.io.decode_png(tf.io.read_file("{DATA}/crowd/" + name), channels=3)
            return tf.cast(img, tf.float32) / 255.0, boxes


        ds = tf.data.Dataset.from_tensor_slices((names, box_lists)).map(load)
        ds = ds.map(lambda img, b: (img, b.to_tensor() if isinstance(b, tf.RaggedTensor) else b))
        ds = ds.padded_batch(4, padded_shapes=([64, 64, 3], [MAX_BOXES, 4]), padding_values=(0.0, -1.0))


        def masked_box_loss(y_true, y_pred):
            y_pred = tf.reshape(y_pred, (-1, MAX_BOXES, 4))
            valid = tf.cast(y_true[..., :1] >= 0, tf.float32)
            return tf.reduce_sum(valid * tf.abs(y_true - y_pred)) / (tf.reduce_sum(valid) + 1e-6)


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(MAX_BOXES * 4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss=masked_box_loss)
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-grid-loss-gather-nd-pixel-centres-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=voc_pixel_boxes,
        expect="does not index into param shape",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        GRID, NUM_CLASSES = 7, 3
        rows = list(csv.DictReader(open("{DATA}/voc/train.csv")))
        files = ["{DATA}/voc/" + r["file"] for r in rows]
        targets = np.array([[float(r[k]) for k in ("cls", "cx", "cy", "w", "h")] for r in rows], "float32")


        def load(path, target):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, target


        def single_object_yolo_loss(y_true, y_pred):
            # y_true: (B, 5) = class, cx, cy, w, h (normalised); y_pred: (B, GRID, GRID, 5 + C)
            b = tf.shape(y_true)[0]
            col = tf.cast(y_true[:, 1] * GRID, tf.int32)
            row = tf.cast(y_true[:, 2] * GRID, tf.int32)
            cell = tf.gather_nd(y_pred, tf.stack([tf.range(b), row, col], axis=1))
            obj_loss = tf.reduce_sum(tf.square(1.0 - tf.sigmoid(cell[:, 0])))
            box_loss = tf.reduce_sum(tf.square(y_true[:, 1:5] - tf.sigmoid(cell[:, 1:5])))
            cls_loss = keras.losses.sparse_categorical_crossentropy(
                tf.cast(y_true[:, 0], tf.int32), cell[:, 5:], from_logits=True)
            return obj_loss + 5.0 * box_loss + tf.reduce_sum(cls_loss)


        ds = tf.data.Dataset.from_tensor_slices((files, targets)).map(load).batch(8)

        inputs = keras.Input((56, 56, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(4)(x)
        outputs = layers.Conv2D(5 + NUM_CLASSES, 1)(x)        # 7 x 7 grid
        model = keras.Model(inputs, outputs, name="tiny_yolo")
        model.compile(optimizer="adam", loss=single_object_yolo_loss)
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-grid-encoder-centre-past-border-scatter-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        setup=edge_boxes,
        expect="does not index into shape",
        code="""
        import csv
        import tensorflow as tf

        S, C = 7, 3
        rows = list(csv.DictReader(open("{DATA}/drone/labels.csv")))
        files = ["{DATA}/drone/" + r["file"] for r in rows]
        classes = [int(r["cls"]) for r in rows]
        boxes = [[float(r["cx"]), float(r["cy"]), float(r["w"]), float(r["h"])] for r in rows]


        def encode_target(cls, box):
            col = tf.cast(tf.floor(box[0] * S), tf.int32)
            row = tf.cast(tf.floor(box[1] * S), tf.int32)
            cell = tf.concat([[1.0], box, tf.one_hot(cls, C)], axis=0)
            return tf.tensor_scatter_nd_update(tf.zeros((S, S, 5 + C)), [[row, col]], [cell])


        def load(path, cls, box):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, encode_target(cls, box)


        ds = tf.data.Dataset.from_tensor_slices((files, classes, boxes)).map(load).batch(4).prefetch(2)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu", input_shape=(56, 56, 3)),
            tf.keras.layers.MaxPooling2D(8),
            tf.keras.layers.Conv2D(5 + C, 1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-log-encoded-width-zero-box-check-numerics-tfk2",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=zero_width_boxes,
        expect="Detected Infinity or NaN",
        code="""
        import csv
        import tensorflow as tf

        tf.debugging.enable_check_numerics()      # added after the box loss went NaN

        ANCHOR_W, ANCHOR_H = 0.25, 0.3
        rows = list(csv.DictReader(open("{DATA}/cells/boxes.csv")))
        files = ["{DATA}/cells/" + r["file"] for r in rows]
        boxes = [[float(r[k]) for k in ("cx", "cy", "w", "h")] for r in rows]


        def encode(box):
            # Faster R-CNN style regression targets
            return tf.stack([box[0] - 0.5, box[1] - 0.5,
                             tf.math.log(box[2] / ANCHOR_W), tf.math.log(box[3] / ANCHOR_H)])


        def load(path, box):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, encode(box)


        ds = tf.data.Dataset.from_tensor_slices((files, boxes)).map(load).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4),
        ])
        model.compile(optimizer="adam", loss=tf.keras.losses.Huber())
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-assert-normalised-boxes-pixel-annotator-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=pixel_boxes_csv,
        pty=True,
        expect="boxes must be normalised",
        code="""
        import csv
        import tensorflow as tf

        rows = list(csv.DictReader(open("{DATA}/plates/plates.csv")))
        files = ["{DATA}/plates/" + r["file"] for r in rows]
        boxes = [[float(r["x1"]), float(r["y1"]), float(r["x2"]), float(r["y2"])] for r in rows]


        def load(path, box):
            tf.debugging.assert_less_equal(box, 1.0, message="boxes must be normalised to [0, 1]")
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), box


        ds = tf.data.Dataset.from_tensor_slices((files, boxes)).map(load).batch(2)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid", name="plate_box"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-box-target-keeps-class-column-huber-k3",
        cause="data.bbox_invalid",
        also=("data.label_shape",),
        exception="ValueError",
        env="k3",
        expect="Dimensions must be equal",
        code="""
        import numpy as np
        import keras
        from keras import layers

        rng = np.random.default_rng(0)
        images = rng.random((64, 48, 48, 3)).astype("float32")
        # one row per image from the annotation table: image_id, x1, y1, x2, y2, class_id
        annotations = np.concatenate([np.arange(64)[:, None], rng.random((64, 4)), rng.integers(0, 3, (64, 1))],
                                     axis=1).astype("float32")
        y_cls = annotations[:, 5].astype("int32")
        y_box = annotations[:, 1:]          # drop the image id

        inputs = keras.Input((48, 48, 3))
        x = layers.Conv2D(16, 3, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        cls = layers.Dense(3, activation="softmax", name="cls")(x)
        box = layers.Dense(4, activation="sigmoid", name="box")(x)
        model = keras.Model(inputs, [cls, box])
        model.compile(optimizer="adam",
                      loss=["sparse_categorical_crossentropy", keras.losses.Huber()],
                      metrics=[["accuracy"], ["mae"]])
        model.fit(images, [y_cls, y_box], batch_size=16, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-generator-box-with-class-smooth-l1-tf215",
        cause="data.bbox_invalid",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=crowd_scene,
        expect="Incompatible shapes",
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/crowd"
        ann = json.load(open(f"{ROOT}/boxes.json"))


        def samples():
            for name, boxes in sorted(ann.items()):
                img = np.asarray(Image.open(f"{ROOT}/{name}").convert("RGB"), np.float32) / 255.0
                largest = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
                yield img, np.array(largest + [len(boxes)], np.float32)    # box + object count


        ds = tf.data.Dataset.from_generator(
            samples,
            output_signature=(tf.TensorSpec((64, 64, 3), tf.float32), tf.TensorSpec((None,), tf.float32)),
        ).batch(4)


        def smooth_l1(y_true, y_pred):
            diff = tf.abs(y_true - y_pred)
            return tf.reduce_mean(tf.where(diff < 1.0, 0.5 * diff ** 2, diff - 0.5), axis=-1)


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss=smooth_l1)
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-tfrecord-fixedlen-bbox-two-object-image-k3",
        cause="model.api_misuse",
        also=("data.bbox_invalid",),
        exception="InvalidArgumentError",
        env="k3",
        setup=tfod_json,
        expect="Can't parse serialized Example",
        code="""
        import json
        import tensorflow as tf
        import keras

        ROOT = "{DATA}/fruit"
        annotations = json.load(open(f"{ROOT}/annotations.json"))

        # --- create_tf_record.py
        with tf.io.TFRecordWriter("train.record") as w:
            for a in annotations:
                feats = {
                    "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(
                        value=[open(f"{ROOT}/{a['file']}", "rb").read()])),
                    "image/object/class/label": tf.train.Feature(int64_list=tf.train.Int64List(
                        value=[o["label"] for o in a["objects"]])),
                }
                for i, k in enumerate(["xmin", "ymin", "xmax", "ymax"]):
                    feats[f"image/object/bbox/{k}"] = tf.train.Feature(float_list=tf.train.FloatList(
                        value=[o["bbox"][i] for o in a["objects"]]))
                w.write(tf.train.Example(features=tf.train.Features(feature=feats)).SerializeToString())

        # --- train.py
        spec = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/class/label": tf.io.FixedLenFeature([], tf.int64),
            "image/object/bbox/xmin": tf.io.FixedLenFeature([], tf.float32),
            "image/object/bbox/ymin": tf.io.FixedLenFeature([], tf.float32),
            "image/object/bbox/xmax": tf.io.FixedLenFeature([], tf.float32),
            "image/object/bbox/ymax": tf.io.FixedLenFeature([], tf.float32),
        }


        def parse(example):
            f = tf.io.parse_single_example(example, spec)
            img = tf.cast(tf.io.decode_png(f["image/encoded"], channels=3), tf.float32) / 255.0
            box = tf.stack([f[f"image/object/bbox/{k}"] for k in ("ymin", "xmin", "ymax", "xmax")])
            return img, {"label": f["image/object/class/label"], "box": box}


        ds = tf.data.TFRecordDataset("train.record").map(parse).batch(2)

        inp = keras.Input((48, 48, 3))
        h = keras.layers.Conv2D(16, 3, activation="relu")(inp)
        h = keras.layers.GlobalAveragePooling2D()(h)
        model = keras.Model(inp, {"label": keras.layers.Dense(2, activation="softmax", name="label")(h),
                                  "box": keras.layers.Dense(4, activation="sigmoid", name="box")(h)})
        model.compile("adam", loss={"label": "sparse_categorical_crossentropy", "box": "mse"})
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ NaN
    Case(
        name="keras-more9-standardise-black-frame-check-numerics-k3",
        cause="optim.divergence",
        also=("data.missing_or_corrupt",),
        exception="InvalidArgumentError",
        env="k3",
        setup=conveyor_frames,
        pty=True,
        expect="Tensor had NaN values",
        code="""
        import tensorflow as tf
        import keras


        def standardise(img):
            img = tf.cast(img, tf.float32)
            mean, var = tf.nn.moments(img, axes=[0, 1, 2])
            img = (img - mean) / tf.sqrt(var)
            return tf.debugging.check_numerics(img, "standardised image")


        def load(path):
            label = tf.cast(tf.strings.regex_full_match(path, ".*/defect/.*"), tf.float32)
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return standardise(img), label


        files = tf.data.Dataset.list_files("{DATA}/conveyor/*/*.png", shuffle=False)
        ds = files.map(load).batch(4)

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-nb-keypoints-occluded-empty-cells-nan-tf215",
        cause="data.missing_or_corrupt",
        also=("optim.divergence",),
        exception="InvalidArgumentError",
        env="tf215",
        expect="Tensor had NaN values",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow.keras.preprocessing.image import load_img, img_to_array
            ROOT = "{DATA}/hands"
            table = np.genfromtxt(f"{ROOT}/keypoints.csv", delimiter=",", skip_header=1, dtype=None, encoding="utf-8")
            files = [r[0] for r in table]
            y = np.array([list(r)[1:] for r in table], dtype="float32")
            x = np.stack([img_to_array(load_img(f"{ROOT}/{f}")) / 255.0 for f in files])
            x.shape, y.shape
            """,
            """
            def keypoint_loss(y_true, y_pred):
                err = tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)
                return tf.debugging.check_numerics(err, "keypoint loss")

            model = tf.keras.Sequential([
                tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(6, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss=keypoint_loss)
            """,
            "model.fit(x, y, batch_size=8, epochs=5, shuffle=False)",
        ], data=keypoints_csv),
    ),
    # ============================================================ unreadable / missing files inside loaders
    Case(
        name="keras-more9-numpy-function-pil-html-download-k3",
        cause="data.missing_or_corrupt",
        exception="UnknownError",
        env="k3",
        setup=insects_with_html,
        pty=True,
        expect="cannot identify image file",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from PIL import Image

        CLASSES = ["ant", "bee"]


        def pil_load(path):
            img = Image.open(path.decode()).convert("RGB").resize((40, 40))
            return np.asarray(img, dtype=np.float32) / 255.0


        def load(path):
            img = tf.numpy_function(pil_load, [path], tf.float32)
            img = tf.ensure_shape(img, (40, 40, 3))
            label = tf.cast(tf.strings.regex_full_match(path, ".*/bee/.*"), tf.int32)
            return img, label


        ds = tf.data.Dataset.list_files("{DATA}/insects/*/*.jpg", shuffle=False).map(load).batch(4)

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more9-generator-csv-row-deleted-xray-tf212",
        cause="data.missing_or_corrupt",
        exception="UnknownError",
        env="tf212",
        setup=listing_with_deleted,
        expect="No such file or directory",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/xray"
        rows = list(csv.DictReader(open(f"{ROOT}/train.csv")))


        def xray_generator(rows, batch_size=4):
            while True:
                for i in range(0, len(rows) - batch_size + 1, batch_size):
                    batch = rows[i:i + batch_size]
                    x = np.stack([np.asarray(Image.open(f"{ROOT}/{r['path']}").convert("L"), np.float32)[..., None]
                                  for r in batch]) / 255.0
                    y = np.array([int(r["label"]) for r in batch])
                    yield x, y


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(40, 40, 1)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(xray_generator(rows), steps_per_epoch=len(rows) // 4, epochs=2)
        """,
    ),
    # ============================================================ metrics
    Case(
        name="keras-more9-precision-class-id-one-based-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        expect="out of bounds",
        code="""
        import numpy as np
        import tensorflow as tf

        # classes 1..5 in the lab's naming; class 5 = "critical defect"
        CRITICAL = 5
        x = np.random.rand(80, 32, 32, 3).astype("float32")
        y = tf.keras.utils.to_categorical(np.random.randint(0, 5, 80), 5)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(5, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy",
                      metrics=["accuracy",
                               tf.keras.metrics.Precision(class_id=CRITICAL, name="precision_critical"),
                               tf.keras.metrics.Recall(class_id=CRITICAL, name="recall_critical")])
        model.fit(x, y, batch_size=16, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-generator-tag-index-lists-batch-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=shop_tags,
        expect="Cannot batch tensors with different shapes",
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing import image

        ROOT = "{DATA}/shop"
        TAGS = ["red", "blue", "striped", "cotton", "kids"]
        tags = json.load(open(f"{ROOT}/tags.json"))


        def examples():
            for fname, tag_ids in sorted(tags.items()):
                img = image.img_to_array(image.load_img(f"{ROOT}/img/{fname}")) / 255.0
                yield img, np.array(tag_ids, dtype=np.int32)


        ds = tf.data.Dataset.from_generator(
            examples,
            output_signature=(tf.TensorSpec((40, 40, 3), tf.float32), tf.TensorSpec((None,), tf.int32)),
        ).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(TAGS), activation="sigmoid"),     # multi-label
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy",
                      metrics=[tf.keras.metrics.AUC(multi_label=True)])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-csv-dataset-empty-age-field-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="k3",
        setup=faces_ages,
        pty=True,
        expect="is required but missing",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/faces"


        def load(path, age):
            img = tf.io.decode_jpeg(tf.io.read_file(ROOT + "/" + path), channels=3)
            img = tf.image.resize(img, (40, 40)) / 255.0
            return img, age / 100.0


        ds = (tf.data.experimental.CsvDataset(ROOT + "/ages.csv", [tf.string, tf.float32], header=True)
              .map(load)
              .batch(4))

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ], name="age_regressor")
        model.compile(optimizer="adam", loss="mae")
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more9-generator-unlabelled-photo-none-label-tf212",
        cause="data.missing_or_corrupt",
        also=("data.dtype",),
        exception="InvalidArgumentError",
        env="tf212",
        setup=fish_partly_labelled,
        pty=True,
        expect="could not be converted to the expected type",
        code="""
        import csv
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/fish"
        SPECIES = ["bass", "carp", "trout"]
        with open(os.path.join(ROOT, "labels.csv")) as f:
            label_of = {r["file"]: SPECIES.index(r["species"]) for r in csv.DictReader(f)}


        def gen():
            for fname in sorted(os.listdir(os.path.join(ROOT, "photos"))):
                img = Image.open(os.path.join(ROOT, "photos", fname)).convert("RGB")
                yield np.asarray(img, np.float32) / 255.0, label_of.get(fname)


        ds = tf.data.Dataset.from_generator(
            gen, output_types=(tf.float32, tf.int32), output_shapes=((40, 40, 3), ())).batch(4)

        model = tf.keras.models.Sequential()
        model.add(tf.keras.layers.Conv2D(16, (3, 3), activation="relu", input_shape=(40, 40, 3)))
        model.add(tf.keras.layers.MaxPooling2D((2, 2)))
        model.add(tf.keras.layers.Flatten())
        model.add(tf.keras.layers.Dense(len(SPECIES), activation="softmax"))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
]




if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
