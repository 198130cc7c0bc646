"""Keras / TensorFlow 2 failures on users' own data where the error surfaces as a TF graph
error (`Graph execution error`, `Detected at node ...`, `[[{{node ...}}]]`), for six causes:

- images of inconsistent size or channel count reaching a PyDataset / Sequence / tf.data
  pipeline (a second camera, an RGBA export, an old TFRecord shard, IR frames in grey);
- boxes negative, past the border, right-to-left or not normalised, breaking tf.image /
  tf ops in a small detector's target encoder (decode_and_crop_jpeg, tf.pad masks,
  segment sums per grid cell, sparse heatmaps, crop_and_resize);
- class counts that do not fit the labels or the head (1-based label maps, a head
  sized "minus background" or from nunique(), one-hot depth per batch);
- custom models whose output the loss cannot use (NCHW logits, a head without class
  channels, an unpooled grid head, a CRNN with fewer time steps than the CTC lengths,
  squeeze() that drops the batch axis, an anchor count that differs from the encoder);
- learning rates high enough to make the loss NaN, caught by check_numerics, asserts,
  Keras metrics' range asserts or NaN-driven downstream ops (gather, crop_and_resize,
  tf.random.categorical);
- calls out of order or folders passed where files belong (list_files / TFRecordDataset
  / load_weights / Checkpoint.restore given a folder, a tf.data iterator not re-created
  per epoch, a StringLookup used before adapt()).

Keras 3 (TF 2.21), tf_keras 2 under TF 2.21, TF 2.15 and TF 2.12 with their bundled
Keras 2, and notebook cells run in a real IPython shell.  None of these TF versions
prints the old `Function call stack:` block any more; the TF 2.12 / 2.15 cases carry the
`Detected at node ... defined at (most recent call last)` form instead.

Every case is a small training script that really fails with the library's own error;
the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more28.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder and
scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, both  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def conveyor_sessions(d: Path):
    """Capture sessions of a conveyor camera; session_03 came from the replacement camera."""
    r = _rng(1)
    for s, (h, w) in (("session_01", (64, 64)), ("session_02", (64, 64)), ("session_03", (60, 80))):
        for i in range(16):
            tag = "_defect" if i % 4 == 0 else ""
            _png(d / "conveyor" / s / f"frame_{i:03d}{tag}.png", r.integers(0, 255, (h, w, 3), dtype="uint8"))


def face_crops(d: Path):
    """Face crops saved per video at the detector's crop size; one video cropped at 56 px."""
    r = _rng(2)
    for v in range(5):
        size = 56 if v == 3 else 48
        for i in range(8):
            _png(d / "faces" / f"video_{v:02d}" / f"crop_{i:03d}.png", r.integers(0, 255, (size, size, 3), dtype="uint8"))
    lines = ["video,label"] + [f"video_{v:02d},{v % 2}" for v in range(5)]
    (d / "faces" / "labels.csv").write_text("\n".join(lines) + "\n")


def leaf_photos(d: Path):
    """Leaf disease photos exported at 64x64, one re-exported at 72x64."""
    r = _rng(3)
    for c in ("healthy", "rust", "scab"):
        for i in range(8):
            h, w = (72, 64) if (c == "rust" and i == 5) else (64, 64)
            _jpg(d / "leaves" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, (h, w, 3), dtype="uint8"))


def office_scans(d: Path):
    """Clean document scans for a denoiser; one exported with an alpha channel."""
    r = _rng(4)
    for i in range(16):
        arr = r.integers(180, 255, (64, 64, 3), dtype="uint8")
        if i == 9:
            alpha = 255 * __import__("numpy").ones((64, 64, 1), "uint8")
            _png(d / "scans" / f"page_{i:03d}.png", __import__("numpy").concatenate([arr, alpha], -1))
        else:
            _png(d / "scans" / f"page_{i:03d}.png", arr)


def tfrecord_shards(d: Path):
    """Product photos in TFRecord shards; shard 3 is from the old 96 px export."""
    import io
    import numpy as np
    import tensorflow as tf
    from PIL import Image
    r = np.random.default_rng(5)
    out = d / "shards"
    out.mkdir(parents=True, exist_ok=True)
    for s in range(4):
        size = 96 if s == 3 else 64
        with tf.io.TFRecordWriter(str(out / f"products-{s:05d}-of-00004.tfrecord")) as w:
            for i in range(8):
                buf = io.BytesIO()
                Image.fromarray(r.integers(0, 255, (size, size, 3), dtype="uint8")).save(buf, "PNG")
                ex = tf.train.Example(features=tf.train.Features(feature={
                    "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[buf.getvalue()])),
                    "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(i % 4)])),
                }))
                w.write(ex.SerializeToString())


def dashcam_frames(d: Path):
    """Dash-cam frames; the night ones were saved by the IR camera as greyscale PNGs."""
    r = _rng(6)
    for i in range(24):
        if i >= 16:
            _png(d / "dashcam" / f"night_{i:03d}.png", r.integers(0, 255, (64, 64), dtype="uint8"))
        else:
            _png(d / "dashcam" / f"day_{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
    (d / "dashcam" / "speed.csv").write_text(
        "frame,speed\n" + "".join(f"{'night' if i >= 16 else 'day'}_{i:03d}.png,{30 + i}\n" for i in range(24)))


def road_seg(d: Path):
    """Road images with single-channel class-index masks; mask 005 re-saved as RGB in an editor."""
    r = _rng(7)
    for i in range(12):
        _png(d / "road" / "images" / f"{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        m = r.integers(0, 3, (64, 64)).astype("uint8")
        if i == 5:
            import numpy as np
            m = np.stack([m, m, m], -1)
        _png(d / "road" / "masks" / f"{i:03d}.png", m)


def scanner_tiles(d: Path):
    """Histology tiles at 96 px; one slide scanned at a lower resolution gives 80 px tiles."""
    r = _rng(8)
    for c in ("benign", "tumour"):
        for i in range(8):
            s = 80 if (c == "tumour" and i == 6) else 96
            _png(d / "tiles" / c / f"{c}_{i:03d}.png", r.integers(0, 255, (s, s, 3), dtype="uint8"))


def bird_boxes(d: Path):
    """Bird photos (128x96) with x, y, w, h boxes; one box dragged past the right edge."""
    r = _rng(9)
    rows = ["filename,x,y,w,h,species"]
    for i in range(16):
        _jpg(d / "birds" / f"bird_{i:03d}.jpg", r.integers(0, 255, (96, 128, 3), dtype="uint8"))
        x, y, w, h = 20 + i, 10 + i, 60, 50
        if i == 11:
            x, w = 90, 56           # 90 + 56 = 146 > 128
        rows.append(f"bird_{i:03d}.jpg,{x},{y},{w},{h},{i % 3}")
    (d / "birds" / "boxes.csv").write_text("\n".join(rows) + "\n")


def weed_boxes(d: Path, bad_row=None, right_to_left=False):
    r = _rng(10)
    rows = ["filename,xmin,ymin,xmax,ymax"]
    for i in range(16):
        _png(d / "weeds" / f"plot_{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        x1, y1, x2, y2 = 8 + i, 10, 30 + i, 40
        if i == bad_row:
            if right_to_left:
                x1, x2 = 44, 30
            else:
                y1, y2 = 40, 70     # past the bottom of a 64 px image
        rows.append(f"plot_{i:03d}.png,{x1},{y1},{x2},{y2}")
    (d / "weeds" / "boxes.csv").write_text("\n".join(rows) + "\n")


def weeds_past_bottom(d: Path):
    weed_boxes(d, bad_row=7)


def weeds_right_to_left(d: Path):
    weed_boxes(d, bad_row=4, right_to_left=True)


def seedling_boxes(d: Path):
    """Seedling tray photos (224 px) with pixel boxes in a JSON per image."""
    import json
    r = _rng(11)
    for i in range(12):
        _png(d / "trays" / f"tray_{i:03d}.png", r.integers(0, 255, (224, 224, 3), dtype="uint8"))
        boxes = [[int(a) for a in (r.integers(0, 180), r.integers(0, 180))] for _ in range(5)]
        boxes = [[x, y, x + 30, y + 30] for x, y in boxes]
        (d / "trays" / f"tray_{i:03d}.json").write_text(json.dumps({"boxes": boxes}))


def fish_centres(d: Path):
    """Fish-counting frames (64 px) with VOC-style boxes; one fish half out of frame on the left."""
    r = _rng(12)
    rows = ["filename,xmin,ymin,xmax,ymax"]
    for i in range(12):
        _png(d / "fish" / f"frame_{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        rows.append(f"frame_{i:03d}.png,{10 + i},{12},{30 + i},{28}")
        rows.append(f"frame_{i:03d}.png,{34},{30 + i // 2},{50},{44}")
        if i == 6:
            rows.append(f"frame_{i:03d}.png,-22,20,6,34")
    (d / "fish" / "boxes.csv").write_text("\n".join(rows) + "\n")


def labelimg_xml(d: Path):
    """LabelImg VOC XML; one file written with <width>0</width><height>0</height>."""
    r = _rng(13)
    for i in range(12):
        _jpg(d / "parcels" / "images" / f"img_{i:03d}.jpg", r.integers(0, 255, (120, 160, 3), dtype="uint8"))
        w, h = (0, 0) if i == 8 else (160, 120)
        (d / "parcels" / "annotations").mkdir(parents=True, exist_ok=True)
        (d / "parcels" / "annotations" / f"img_{i:03d}.xml").write_text(f"""<annotation>
	<folder>images</folder>
	<filename>img_{i:03d}.jpg</filename>
	<size><width>{w}</width><height>{h}</height><depth>3</depth></size>
	<object><name>{'box' if i % 2 else 'envelope'}</name><difficult>0</difficult>
		<bndbox><xmin>{20 + i}</xmin><ymin>{15 + i}</ymin><xmax>{90 + i}</xmax><ymax>{80 + i}</ymax></bndbox>
	</object>
</annotation>
""")


def tfod_crops(d: Path):
    """Object crops exported from a TF Object Detection API project (label_map.pbtxt ids from 1)."""
    r = _rng(14)
    (d / "tfod").mkdir(parents=True, exist_ok=True)
    (d / "tfod" / "label_map.pbtxt").write_text(
        "item {\n  id: 1\n  name: 'helmet'\n}\nitem {\n  id: 2\n  name: 'vest'\n}\nitem {\n  id: 3\n  name: 'gloves'\n}\n")
    rows = ["crop,class_id"]
    for i in range(24):
        _png(d / "tfod" / "crops" / f"crop_{i:03d}.png", r.integers(0, 255, (48, 48, 3), dtype="uint8"))
        rows.append(f"crop_{i:03d}.png,{1 + i % 3}")
    (d / "tfod" / "crops.csv").write_text("\n".join(rows) + "\n")


def cub_subset(d: Path):
    """A CUB-200 style subset: images.txt, image_class_labels.txt and classes.txt, all 1-based."""
    r = _rng(15)
    root = d / "CUB_subset"
    names = ["001.Black_footed_Albatross", "002.Laysan_Albatross", "003.Sooty_Albatross",
             "004.Groove_billed_Ani", "005.Crested_Auklet"]
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "classes.txt").write_text("".join(f"{i + 1} {n}\n" for i, n in enumerate(names)))
    imgs, labs = [], []
    k = 1
    for c, n in enumerate(names):
        for j in range(5):
            rel = f"{n}/{n.split('.')[1]}_{j:04d}.jpg"
            _jpg(root / "images" / rel, r.integers(0, 255, (56, 56, 3), dtype="uint8"))
            imgs.append(f"{k} {rel}\n")
            labs.append(f"{k} {c + 1}\n")
            k += 1
    (root / "images.txt").write_text("".join(imgs))
    (root / "image_class_labels.txt").write_text("".join(labs))


def coin_photos(d: Path):
    make_images(d / "coins", ["1c", "2c", "5c", "10c", "20c"], per_class=6, size=(40, 40), fmt="png", seed=16)


def product_csv(d: Path):
    """Product thumbnails with a category_id column (1..6) from the shop database."""
    r = _rng(17)
    rows = ["file,category_id"]
    for i in range(36):
        _png(d / "shop" / f"p_{i:04d}.png", r.integers(0, 255, (32, 32, 3), dtype="uint8"))
        rows.append(f"p_{i:04d}.png,{1 + i % 6}")
    (d / "shop" / "products.csv").write_text("\n".join(rows) + "\n")


def insect_csv(d: Path):
    """Insect trap photos labelled 0..6; class 3 is rare and only appears in the test split."""
    r = _rng(18)
    rows = ["file,label,split"]
    for i in range(48):
        lab = i % 7
        split = "test" if (lab == 3 or i % 6 == 0) else "train"
        _png(d / "traps" / f"trap_{i:03d}.png", r.integers(0, 255, (32, 32, 3), dtype="uint8"))
        rows.append(f"trap_{i:03d}.png,{lab},{split}")
    (d / "traps" / "labels.csv").write_text("\n".join(rows) + "\n")


def plate_lines(d: Path):
    r = _rng(19)
    rows = ["file,text"]
    import string
    alphabet = string.digits + string.ascii_uppercase
    for i in range(16):
        _png(d / "plates" / f"plate_{i:03d}.png", r.integers(0, 255, (32, 128), dtype="uint8"))
        text = "".join(alphabet[int(k)] for k in r.integers(0, 36, 7))
        rows.append(f"plate_{i:03d}.png,{text}")
    (d / "plates" / "labels.csv").write_text("\n".join(rows) + "\n")


def building_masks(d: Path):
    r = _rng(20)
    for i in range(10):
        _png(d / "aerial" / "images" / f"{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))
        _png(d / "aerial" / "masks" / f"{i:03d}.png", r.integers(0, 3, (64, 64)).astype("uint8"))


def cell_counts(d: Path):
    r = _rng(21)
    rows = ["file,count"]
    for i in range(32):
        _png(d / "wells" / f"well_{i:03d}.png", r.integers(0, 255, (48, 48, 3), dtype="uint8"))
        rows.append(f"well_{i:03d}.png,{int(r.integers(20, 400))}")
    (d / "wells" / "counts.csv").write_text("\n".join(rows) + "\n")


def weld_photos(d: Path):
    make_images(d / "welds", ["ok", "defect"], per_class=16, size=(48, 48), fmt="png", seed=22)


def pet_folders(d: Path):
    make_images(d / "pets", ["cat", "dog", "rabbit"], per_class=8, size=(40, 40), fmt="jpeg", seed=23)


def pallet_tfrecords(d: Path):
    """Pallet photos in TFRecord shards under pallets/tfrecords/."""
    import io
    import numpy as np
    import tensorflow as tf
    from PIL import Image
    r = np.random.default_rng(24)
    out = d / "pallets" / "tfrecords"
    out.mkdir(parents=True, exist_ok=True)
    for s in range(2):
        with tf.io.TFRecordWriter(str(out / f"train-{s:05d}-of-00002.tfrecord")) as w:
            for i in range(8):
                buf = io.BytesIO()
                Image.fromarray(r.integers(0, 255, (48, 48, 3), dtype="uint8")).save(buf, "JPEG")
                ex = tf.train.Example(features=tf.train.Features(feature={
                    "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[buf.getvalue()])),
                    "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2])),
                }))
                w.write(ex.SerializeToString())


def drone_boxes(d: Path):
    """Drone frames with one car box per frame, normalised [ymin, xmin, ymax, xmax]."""
    import numpy as np
    r = np.random.default_rng(25)
    np.save(d / "frames.npy", r.random((50, 64, 64, 3), dtype=np.float32))
    y = r.uniform(0.1, 0.4, (50, 1))
    x = r.uniform(0.1, 0.4, (50, 1))
    np.save(d / "boxes.npy", np.concatenate([y, x, y + 0.3, x + 0.3], 1).astype(np.float32))


def thermal_mix(d: Path):
    """Person / background frames; the thermal camera's frames are single-channel PNGs."""
    r = _rng(26)
    for c in ("person", "background"):
        for i in range(10):
            if i >= 7:
                _png(d / "frames" / c / f"thermal_{i:03d}.png", r.integers(0, 255, (64, 64), dtype="uint8"))
            else:
                _png(d / "frames" / c / f"rgb_{i:03d}.png", r.integers(0, 255, (64, 64, 3), dtype="uint8"))


CASES = [
    # ============================================================ 1. image size / channels
    Case(
        name="keras-more28-pydataset-session-batches-replacement-camera-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=conveyor_sessions,
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/conveyor"


        class SessionBatches(keras.utils.PyDataset):
            \"\"\"One batch = 8 consecutive frames of one capture session (same lighting).\"\"\"

            def __init__(self, root, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.batches = []
                for session in sorted(os.listdir(root)):
                    files = sorted(glob.glob(os.path.join(root, session, "*.png")))
                    for i in range(0, len(files) - batch_size + 1, batch_size):
                        self.batches.append(files[i:i + batch_size])

            def __len__(self):
                return len(self.batches)

            def __getitem__(self, idx):
                files = self.batches[idx]
                x = np.stack([np.asarray(Image.open(f).convert("RGB"), np.float32) / 255.0 for f in files])
                y = np.array([1.0 if "_defect" in f else 0.0 for f in files], np.float32)
                return x, y


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(SessionBatches(ROOT), epochs=2)
        """,
    ),
    Case(
        name="keras-more28-sequence-face-crops-one-video-56px-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=face_crops,
        code="""
        import csv
        import glob

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/faces"
        labels = {r["video"]: int(r["label"]) for r in csv.DictReader(open(f"{ROOT}/labels.csv"))}


        class VideoCrops(tf.keras.utils.Sequence):
            \"\"\"All crops of one video form one batch (liveness detection: real vs replay).\"\"\"

            def __init__(self, videos):
                self.videos = videos

            def __len__(self):
                return len(self.videos)

            def __getitem__(self, idx):
                v = self.videos[idx]
                files = sorted(glob.glob(f"{ROOT}/{v}/*.png"))
                x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
                return x, np.full(len(files), labels[v], np.float32)


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(VideoCrops(sorted(labels)), epochs=3)
        """,
    ),
    Case(
        name="keras-more28-map-reshape-instead-of-resize-one-leaf-72px-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=leaf_photos,
        code="""
        import tensorflow as tf

        IMG = 64
        CLASSES = ["healthy", "rust", "scab"]

        files = tf.data.Dataset.list_files("{DATA}/leaves/*/*.jpg", shuffle=True, seed=1)


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.reshape(img, [IMG, IMG, 3])          # every photo was exported at 64x64
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return tf.cast(img, tf.float32) / 255.0, label


        train_ds = files.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8).prefetch(2)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(IMG, IMG, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more28-denoiser-noise-added-to-rgba-scan-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=office_scans,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        def make_pair(path):
            clean = tf.io.decode_png(tf.io.read_file(path))
            clean = tf.cast(clean, tf.float32) / 255.0
            noisy = clean + tf.random.normal((64, 64, 3), stddev=0.15)
            return tf.clip_by_value(noisy, 0.0, 1.0), clean


        ds = (tf.data.Dataset.list_files("{DATA}/scans/*.png", shuffle=False)
              .map(make_pair)
              .batch(4))

        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(3, 3, padding="same", activation="sigmoid")(h)
        denoiser = keras.Model(inp, out)
        denoiser.compile(optimizer="adam", loss="mse")
        denoiser.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more28-tfrecord-old-96px-shard-cannot-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=tfrecord_shards,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/class/label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            img = tf.io.decode_png(ex["image/encoded"], channels=3)   # the exporter already resized to 64
            return tf.cast(img, tf.float32) / 255.0, ex["image/class/label"]


        shards = tf.data.Dataset.list_files("{DATA}/shards/products-*.tfrecord", shuffle=False)
        ds = (shards.interleave(tf.data.TFRecordDataset, cycle_length=4)
              .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8)
              .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-rgb-to-yuv-on-grey-night-ir-frames-tfk2",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=dashcam_frames,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf

        rows = list(csv.DictReader(open("{DATA}/dashcam/speed.csv")))
        paths = ["{DATA}/dashcam/" + r["frame"] for r in rows]
        speeds = np.array([float(r["speed"]) for r in rows], np.float32)


        def load(path, speed):
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = tf.image.rgb_to_yuv(img)            # the NVIDIA end-to-end paper trains on YUV
            img = tf.ensure_shape(img, (64, 64, 3))
            return img, speed / 100.0


        ds = (tf.data.Dataset.from_tensor_slices((paths, speeds))
              .shuffle(64, seed=0)
              .map(load)
              .batch(8))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(24, 5, strides=2, activation="elu", input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(36, 5, strides=2, activation="elu"),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(50, activation="elu"),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more28-road-masks-one-resaved-rgb-cannot-batch-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="k3",
        setup=road_seg,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        def load_image(p):
            return tf.cast(tf.io.decode_png(tf.io.read_file(p), channels=3), tf.float32) / 255.0


        def load_mask(p):
            mask = tf.io.decode_png(tf.io.read_file(p))       # class index per pixel (0 road, 1 car, 2 other)
            mask.set_shape([64, 64, 1])                       # decode_png leaves the shape unknown
            return mask


        images = tf.data.Dataset.list_files("{DATA}/road/images/*.png", shuffle=False).map(load_image)
        masks = tf.data.Dataset.list_files("{DATA}/road/masks/*.png", shuffle=False).map(load_mask)
        train_ds = tf.data.Dataset.zip((images, masks)).batch(6)

        inp = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(3, 1, activation="softmax")(h)
        model = keras.Model(inp, out)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-fixed-centre-crop-one-low-res-slide-tile-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=scanner_tiles,
        code="""
        import tensorflow as tf

        CROP = 88          # drop the 4 px stitching border of the 96 px tiles


        def load(path):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.image.crop_to_bounding_box(img, 4, 4, CROP, CROP)
            label = tf.cast(tf.strings.regex_full_match(path, ".*/tumour/.*"), tf.float32)
            return tf.cast(img, tf.float32) / 127.5 - 1.0, label


        ds = (tf.data.Dataset.list_files("{DATA}/tiles/*/*.png", shuffle=True, seed=3)
              .map(load, num_parallel_calls=2)
              .batch(4))

        base = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(CROP, CROP, 3)),
            tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        base.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                     metrics=[tf.keras.metrics.AUC(name="auc")])
        base.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-yolo-hsv-jitter-rgb-to-hsv-grey-thermal-frames-tf212",
        cause="data.image_channels",
        exception="FailedPreconditionError",
        env="tf212",
        setup=thermal_mix,
        code="""
        import tensorflow as tf

        IMG = 64


        def hsv_jitter(img, h=0.015, s=0.7, v=0.4):
            \"\"\"YOLO-style HSV augmentation.\"\"\"
            hsv = tf.image.rgb_to_hsv(img)
            gains = tf.random.uniform([3], -1.0, 1.0) * [h, s, v] + [0.0, 1.0, 1.0]
            hsv = tf.stack([tf.math.floormod(hsv[..., 0] + gains[0], 1.0),
                            tf.clip_by_value(hsv[..., 1] * gains[1], 0.0, 1.0),
                            tf.clip_by_value(hsv[..., 2] * gains[2], 0.0, 1.0)], axis=-1)
            return tf.image.hsv_to_rgb(hsv)


        def load(path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path)), tf.float32)
            img = hsv_jitter(img)
            label = tf.cast(tf.strings.regex_full_match(path, ".*/person/.*"), tf.float32)
            return tf.image.resize(img, (IMG, IMG)), label


        ds = (tf.data.Dataset.list_files("{DATA}/frames/*/*.png", shuffle=True, seed=0)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(IMG, IMG, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ 2. boxes
    Case(
        name="keras-more28-decode-and-crop-jpeg-box-past-right-edge-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=bird_boxes,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        rows = list(csv.DictReader(open("{DATA}/birds/boxes.csv")))
        paths = ["{DATA}/birds/" + r["filename"] for r in rows]
        windows = np.array([[int(r[k]) for k in ("y", "x", "h", "w")] for r in rows], np.int32)   # [y, x, h, w]
        species = np.array([int(r["species"]) for r in rows])


        def crop(path, window, label):
            # decode only the bird: faster than decoding the whole photo and slicing
            img = tf.io.decode_and_crop_jpeg(tf.io.read_file(path), window, channels=3)
            img = tf.image.resize(img, (64, 64)) / 255.0
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, windows, species))
              .map(crop, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-box-to-mask-tf-pad-box-past-bottom-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        setup=weeds_past_bottom,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf

        H = W = 64
        rows = list(csv.DictReader(open("{DATA}/weeds/boxes.csv")))


        def box_mask(x1, y1, x2, y2):
            \"\"\"Weak supervision: the box interior is the weed mask.\"\"\"
            inside = tf.ones([y2 - y1, x2 - x1])
            return tf.pad(inside, [[y1, H - y2], [x1, W - x2]])


        def load(path, x1, y1, x2, y2):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.image.convert_image_dtype(img, tf.float32)
            return img, box_mask(x1, y1, x2, y2)[..., None]


        paths = ["{DATA}/weeds/" + r["filename"] for r in rows]
        cols = [np.array([int(r[c]) for r in rows], np.int32) for c in ("xmin", "ymin", "xmax", "ymax")]
        ds = (tf.data.Dataset.from_tensor_slices((paths, *cols))
              .map(load)
              .batch(4))

        inp = tf.keras.Input((H, W, 3))
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        out = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = tf.keras.Model(inp, out)
        model.compile("adam", "binary_crossentropy", metrics=[tf.keras.metrics.BinaryIoU(target_class_ids=[1])])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-loss-weight-map-ones-right-to-left-box-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="k3",
        setup=weeds_right_to_left,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        H = W = 64
        rows = list(csv.DictReader(open("{DATA}/weeds/boxes.csv")))


        def load(path, box):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            x1, y1, x2, y2 = tf.unstack(box)
            # pixels inside the annotated weed count 5x in the loss
            inside = tf.image.pad_to_bounding_box(tf.ones([y2 - y1, x2 - x1, 1]), y1, x1, H, W)
            weights = 1.0 + 4.0 * inside[..., 0]
            target = inside
            return img, target, weights


        paths = ["{DATA}/weeds/" + r["filename"] for r in rows]
        boxes = np.array([[int(r[c]) for c in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.int32)
        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes))
              .map(load)
              .batch(4))

        inp = keras.Input((H, W, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        out = layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = keras.Model(inp, out)
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-count-per-cell-segment-sum-pixel-boxes-tfk2",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=seedling_boxes,
        code="""
        import glob
        import json

        import numpy as np
        import tensorflow as tf

        G = 7            # 7x7 grid of seedling counts (density-style counting head)
        files = sorted(glob.glob("{DATA}/trays/*.png"))
        boxes = tf.ragged.constant([json.load(open(f[:-4] + ".json"))["boxes"] for f in files], dtype=tf.float32,
                           ragged_rank=1)


        def load(path, b):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            img = tf.image.resize(img, (112, 112))
            cx = (b[:, 0] + b[:, 2]) / 2.0
            cy = (b[:, 1] + b[:, 3]) / 2.0
            cell = tf.cast(tf.floor(cy * G), tf.int32) * G + tf.cast(tf.floor(cx * G), tf.int32)
            counts = tf.math.unsorted_segment_sum(tf.ones_like(cx), cell, G * G)
            return img, tf.reshape(counts, (G, G, 1))


        ds = tf.data.Dataset.from_tensor_slices((files, boxes)).map(load).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu", input_shape=(112, 112, 3)),
            tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            tf.keras.layers.Conv2D(1, 1, activation="relu"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-centre-heatmap-sparse-tensor-fish-off-left-edge-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=fish_centres,
        code="""
        import csv
        from collections import defaultdict

        import tensorflow as tf

        STRIDE = 4
        OUT = 64 // STRIDE
        per_frame = defaultdict(list)
        for r in csv.DictReader(open("{DATA}/fish/boxes.csv")):
            per_frame[r["filename"]].append([int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")])
        files = ["{DATA}/fish/" + f for f in per_frame]
        boxes = tf.ragged.constant(list(per_frame.values()), dtype=tf.int64, ragged_rank=1)


        def centre_map(b):
            cx = (b[:, 0] + b[:, 2]) // 2 // STRIDE
            cy = (b[:, 1] + b[:, 3]) // 2 // STRIDE
            pts = tf.sparse.SparseTensor(tf.stack([cy, cx], 1), tf.ones_like(cx, tf.float32), [OUT, OUT])
            return tf.sparse.to_dense(tf.sparse.reorder(pts))[..., None]


        def load(path, b):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            return img, centre_map(b)


        ds = tf.data.Dataset.from_tensor_slices((files, boxes)).map(load).batch(4)

        inp = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inp)
        h = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(h)
        heat = tf.keras.layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = tf.keras.Model(inp, heat)
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryFocalCrossentropy())
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-labelimg-xml-zero-size-crop-and-resize-k3",
        cause="data.bbox_invalid",
        also=("data.missing_or_corrupt",),
        exception="InvalidArgumentError",
        env="k3",
        setup=labelimg_xml,
        code="""
        import glob
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["envelope", "box"]
        rows = []
        for xml in sorted(glob.glob("{DATA}/parcels/annotations/*.xml")):
            root = ET.parse(xml).getroot()
            size = [float(root.find("size/" + k).text) for k in ("height", "width")]
            obj = root.find("object")
            bb = obj.find("bndbox")
            box = [float(bb.find(k).text) for k in ("ymin", "xmin", "ymax", "xmax")]
            rows.append(("{DATA}/parcels/images/" + root.find("filename").text, box, size,
                         CLASSES.index(obj.find("name").text)))

        paths, boxes, sizes, labels = zip(*rows)


        def crop(path, box, size, label):
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), tf.float32)
            h, w = size[0], size[1]
            norm = box / tf.stack([h, w, h, w])                       # crop_and_resize wants [0, 1]
            patch = tf.image.crop_and_resize(img[None], norm[None], [0], (48, 48))[0]
            return patch, label


        ds = (tf.data.Dataset.from_tensor_slices((list(paths), np.float32(boxes), np.float32(sizes), list(labels)))
              .map(crop).batch(4))

        model = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    # ============================================================ 3. class counts
    Case(
        name="keras-more28-tfod-label-map-pbtxt-ids-from-one-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=tfod_crops,
        code="""
        import csv
        import re

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        # reuse the label map of the detection project for the crop classifier
        pbtxt = open("{DATA}/tfod/label_map.pbtxt").read()
        label_map = {int(i): n for i, n in re.findall(r"id:\\s*(\\d+)\\s*name:\\s*'([^']+)'", pbtxt)}
        num_classes = len(label_map)
        print("classes:", label_map)

        rows = list(csv.DictReader(open("{DATA}/tfod/crops.csv")))
        paths = ["{DATA}/tfod/crops/" + r["crop"] for r in rows]
        class_ids = np.array([int(r["class_id"]) for r in rows])


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, class_ids))
              .map(load).shuffle(32, seed=0).batch(8))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more28-cub-image-class-labels-one-based-tf212",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf212",
        setup=cub_subset,
        code="""
        import tensorflow as tf

        ROOT = "{DATA}/CUB_subset"
        classes = [l.split(" ", 1)[1].strip() for l in open(f"{ROOT}/classes.txt")]
        images = dict(l.split() for l in open(f"{ROOT}/images.txt"))
        labels = {k: int(v) for k, v in (l.split() for l in open(f"{ROOT}/image_class_labels.txt"))}
        ids = sorted(images, key=int)
        paths = [f"{ROOT}/images/{images[i]}" for i in ids]
        y = [labels[i] for i in ids]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.keras.applications.mobilenet_v2.preprocess_input(tf.cast(img, tf.float32))
            return img, label


        ds = tf.data.Dataset.from_tensor_slices((paths, y)).shuffle(64, seed=1).map(load).batch(8)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(56, 56, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(classes), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more28-one-hot-depth-from-batch-max-label-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=coin_photos,
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/coins", image_size=(40, 40), batch_size=8, seed=2)
        class_names = train_ds.class_names


        def to_one_hot(images, labels):
            depth = tf.reduce_max(labels) + 1            # number of classes
            return images / 255.0, tf.one_hot(labels, depth)


        train_ds = train_ds.map(to_one_hot)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(40, 40, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(class_names)),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more28-head-minus-background-focal-gather-nd-tfk2",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=pet_folders,
        code="""
        import tensorflow as tf

        CLASSES = ["cat", "dog", "rabbit"]
        NUM_CLASSES = len(CLASSES) - 1        # minus background (copied from our SSD config)

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/pets", class_names=CLASSES, image_size=(40, 40), batch_size=8, seed=0)


        def focal_loss(y_true, y_pred, gamma=2.0):
            y_true = tf.cast(tf.reshape(y_true, [-1]), tf.int32)
            idx = tf.stack([tf.range(tf.shape(y_true)[0]), y_true], axis=1)
            p_t = tf.gather_nd(y_pred, idx)               # probability of the true class
            return -tf.reduce_mean((1.0 - p_t) ** gamma * tf.math.log(p_t + 1e-7))


        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(40, 40, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=focal_loss)
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-conditional-vae-category-embedding-one-based-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="k3",
        setup=product_csv,
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        rows = list(csv.DictReader(open("{DATA}/shop/products.csv")))
        cat = np.array([int(r["category_id"]) for r in rows], np.int32)
        n_categories = len(set(cat))
        x = np.stack([np.asarray(keras.utils.load_img("{DATA}/shop/" + r["file"]), np.float32) / 255.0 for r in rows])

        # conditional autoencoder: the product category is embedded and fed to the decoder
        img_in = keras.Input((32, 32, 3))
        cat_in = keras.Input((1,), dtype="int32")
        z = layers.Flatten()(layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(img_in))
        z = layers.Dense(32, activation="relu")(z)
        c = layers.Flatten()(layers.Embedding(n_categories, 8)(cat_in))
        h = layers.Dense(16 * 16 * 16, activation="relu")(layers.Concatenate()([z, c]))
        h = layers.Reshape((16, 16, 16))(h)
        out = layers.Conv2DTranspose(3, 3, strides=2, padding="same", activation="sigmoid")(h)
        cae = keras.Model([img_in, cat_in], out)
        cae.compile("adam", "mse")
        cae.fit([x, cat], x, batch_size=8, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-nb-num-classes-from-train-nunique-category-encoding-tf215",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tf215",
        **notebook([
            """
            import csv
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers
            """,
            """
            rows = list(csv.DictReader(open("{DATA}/traps/labels.csv")))
            train = [r for r in rows if r["split"] == "train"]
            train_paths = ["{DATA}/traps/" + r["file"] for r in train]
            train_labels = np.array([int(r["label"]) for r in train])
            NUM_CLASSES = len(np.unique(train_labels))
            print(len(train), "training photos,", NUM_CLASSES, "classes")
            """,
            """
            encode = layers.CategoryEncoding(num_tokens=NUM_CLASSES, output_mode="one_hot")

            def load(path, label):
                img = tf.cast(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32) / 255.0
                return img, label

            train_ds = (tf.data.Dataset.from_tensor_slices((train_paths, train_labels))
                        .map(load).batch(8)
                        .map(lambda x, y: (x, encode(y))))
            """,
            """
            model = keras.Sequential([layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                                      layers.GlobalAveragePooling2D(), layers.Dense(NUM_CLASSES, activation="softmax")])
            model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=3)
            """,
        ], data=insect_csv),
    ),
    # ============================================================ 4. output the loss cannot use
    Case(
        name="keras-more28-unet-ported-from-pytorch-nchw-logits-tf212",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=building_masks,
        code="""
        import tensorflow as tf


        def load(image_path, mask_path):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(image_path), channels=3), tf.float32)
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)[..., 0]
            return img, tf.cast(mask, tf.int32)


        images = sorted(tf.io.gfile.glob("{DATA}/aerial/images/*.png"))
        masks = sorted(tf.io.gfile.glob("{DATA}/aerial/masks/*.png"))
        train_ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).batch(2)


        class SmallUNet(tf.keras.Model):
            \"\"\"Ported from our PyTorch code; logits are returned as N, C, H, W like there.\"\"\"

            def __init__(self, n_classes=3):
                super().__init__()
                self.down = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")
                self.pool = tf.keras.layers.MaxPooling2D()
                self.mid = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")
                self.up = tf.keras.layers.UpSampling2D()
                self.head = tf.keras.layers.Conv2D(n_classes, 1)

            def call(self, x):
                d = self.down(x)
                m = self.mid(self.pool(d))
                h = tf.concat([d, self.up(m)], axis=-1)
                return tf.transpose(self.head(h), [0, 3, 1, 2])


        model = SmallUNet()
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-box-head-without-class-channels-custom-loss-k3",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        rng = np.random.default_rng(0)
        images = rng.random((64, 64, 64, 3), dtype=np.float32)
        boxes = rng.uniform(0, 1, (64, 4)).astype("float32")
        cls = rng.integers(0, NUM_CLASSES, (64, 1)).astype("float32")
        targets = np.concatenate([boxes, cls], axis=1)          # [x1, y1, x2, y2, class_id]


        def detection_loss(y_true, y_pred):
            box_loss = keras.losses.huber(y_true[:, :4], y_pred[:, :4])
            cls_loss = keras.losses.sparse_categorical_crossentropy(
                tf.cast(y_true[:, 4], tf.int32), y_pred[:, 4:], from_logits=True)
            return box_loss + cls_loss


        class OneObjectDetector(keras.Model):
            def __init__(self):
                super().__init__()
                self.backbone = keras.Sequential([layers.Conv2D(16, 3, strides=2, activation="relu"),
                                                  layers.Conv2D(32, 3, strides=2, activation="relu"),
                                                  layers.GlobalAveragePooling2D()])
                self.box = layers.Dense(4, activation="sigmoid")
                self.cls = layers.Dense(NUM_CLASSES)

            def call(self, x):
                f = self.backbone(x)
                return self.box(f)          # TODO: concat self.cls(f) once boxes converge


        model = OneObjectDetector()
        model.compile(optimizer="adam", loss=detection_loss)
        model.fit(images, targets, batch_size=8, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-grid-head-not-pooled-one-box-targets-huber-tf215",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=drone_boxes,
        code="""
        import numpy as np
        import tensorflow as tf

        frames = np.load("{DATA}/frames.npy")
        boxes = np.load("{DATA}/boxes.npy")          # one car per frame: [ymin, xmin, ymax, xmax]


        class CarLocator(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.c1 = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")
                self.c2 = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")
                self.c3 = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")
                self.box = tf.keras.layers.Conv2D(4, 1, activation="sigmoid")      # 1x1 conv box head

            def call(self, x):
                return self.box(self.c3(self.c2(self.c1(x))))


        model = CarLocator()
        model.compile(optimizer="adam", loss=tf.keras.losses.Huber())
        model.fit(frames, boxes, batch_size=6, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-crnn-pools-time-axis-ctc-input-length-tf215",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=plate_lines,
        code="""
        import string

        import csv

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ALPHABET = string.digits + string.ascii_uppercase
        rows = list(csv.DictReader(open("{DATA}/plates/labels.csv")))
        x = np.stack([np.asarray(Image.open("{DATA}/plates/" + r["file"]), np.float32)[..., None] / 255.0 for r in rows])
        y = np.array([[ALPHABET.index(c) for c in r["text"]] for r in rows], np.int32)

        inp = tf.keras.Input((32, 128, 1))
        h = inp
        for filters in (32, 64, 64, 128):          # 4 poolings: 128 columns -> 8 time steps
            h = tf.keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(h)
            h = tf.keras.layers.MaxPooling2D()(h)
        h = tf.keras.layers.Permute((2, 1, 3))(h)
        h = tf.keras.layers.Reshape((-1, 2 * 128))(h)
        h = tf.keras.layers.Bidirectional(tf.keras.layers.LSTM(64, return_sequences=True))(h)
        logits = tf.keras.layers.Dense(len(ALPHABET) + 1, activation="softmax")(h)
        crnn = tf.keras.Model(inp, logits)


        def ctc_loss(y_true, y_pred):
            batch = tf.shape(y_true)[0]
            input_length = tf.fill([batch, 1], 128 // 4)      # from the CRNN paper: width / 4 time steps
            label_length = tf.fill([batch, 1], tf.shape(y_true)[1])
            return tf.keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)


        crnn.compile(optimizer="adam", loss=ctc_loss)
        crnn.fit(x, y, batch_size=4, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-subclassed-view-flatten-conv-head-one-hot-tfk2",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=pet_folders,
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/pets", image_size=(40, 40), batch_size=8, label_mode="categorical", seed=1)
        n_classes = len(train_ds.class_names)


        class PetNet(tf.keras.Model):
            \"\"\"Ported from the PyTorch version (x.view(x.size(0), -1) at the end).\"\"\"

            def __init__(self, n_classes):
                super().__init__()
                self.features = tf.keras.Sequential([
                    tf.keras.layers.Rescaling(1 / 255.0),
                    tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
                    tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
                    tf.keras.layers.Conv2D(n_classes, 1),           # class scores per location
                ])

            def call(self, x):
                x = self.features(x)
                return tf.reshape(x, (tf.shape(x)[0], -1))


        model = PetNet(n_classes)
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.CategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-ssd-head-anchor-count-vs-encoder-gather-nd-tf212",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        code="""
        import numpy as np
        import tensorflow as tf

        # anchors of the target encoder: 8x8 feature map, 3 aspect ratios
        FM, RATIOS = 8, (0.5, 1.0, 2.0)
        N_ANCHORS = FM * FM * len(RATIOS)

        rng = np.random.default_rng(7)
        images = rng.random((32, 64, 64, 3), dtype=np.float32)
        pos_anchor = rng.integers(0, N_ANCHORS, (32, 1)).astype("int32")     # matched anchor per image
        deltas = rng.normal(0, 0.1, (32, 4)).astype("float32")
        targets = np.concatenate([pos_anchor.astype("float32"), deltas], axis=1)

        inp = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inp)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)    # 4x4 map
        reg = tf.keras.layers.Conv2D(len(RATIOS) * 4, 3, padding="same")(h)
        reg = tf.keras.layers.Reshape((-1, 4))(reg)
        ssd = tf.keras.Model(inp, reg)


        def box_loss(y_true, y_pred):
            anchor = tf.cast(y_true[:, 0], tf.int32)
            idx = tf.stack([tf.range(tf.shape(anchor)[0]), anchor], axis=1)
            pred = tf.gather_nd(y_pred, idx)               # deltas predicted at the matched anchor
            return tf.reduce_mean(tf.keras.losses.huber(y_true[:, 1:], pred))


        ssd.compile(optimizer="adam", loss=box_loss)
        ssd.fit(images, targets, batch_size=8, epochs=2)
        """,
    ),
    # ============================================================ 5. divergence
    Case(
        name="keras-more28-super-resolution-train-step-check-numerics-sgd-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        keras.utils.set_random_seed(0)
        rng = np.random.default_rng(0)
        hr = rng.integers(0, 256, (32, 64, 64, 3)).astype("float32")     # raw 0..255 pixels
        lr = hr[:, ::2, ::2]


        class SRNet(keras.Model):
            def __init__(self):
                super().__init__()
                self.c1 = layers.Conv2D(32, 3, padding="same", activation="leaky_relu")
                self.c2 = layers.Conv2D(3 * 4, 3, padding="same")

            def call(self, x):
                return tf.nn.depth_to_space(self.c2(self.c1(x)), 2)

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    sr = self(x, training=True)
                    loss = tf.reduce_mean(tf.square(y - sr))
                    loss = tf.debugging.check_numerics(loss, "pixel loss")
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"loss": loss}


        model = SRNet()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9))
        model.fit(lr, hr, batch_size=8, epochs=10)
        """,
    ),
    Case(
        name="keras-more28-age-band-metric-gather-nan-predictions-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(0)
        rng = np.random.default_rng(5)
        faces = rng.random((96, 32, 32, 3), dtype=np.float32)
        ages = rng.uniform(1, 90, (96, 1)).astype("float32")

        # age -> age band (0-9, 10-19, ...) for the band accuracy we report
        BAND_OF_AGE = tf.constant([a // 10 for a in range(101)], tf.int32)


        class BandAccuracy(tf.keras.metrics.Mean):
            def update_state(self, y_true, y_pred, sample_weight=None):
                pred_age = tf.cast(tf.round(tf.clip_by_value(y_pred, 0.0, 100.0)), tf.int32)
                true_age = tf.cast(tf.round(y_true), tf.int32)
                same = tf.gather(BAND_OF_AGE, pred_age) == tf.gather(BAND_OF_AGE, true_age)
                return super().update_state(tf.cast(same, tf.float32), sample_weight)


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(32, activation="relu"),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.2, momentum=0.9), loss="mse",
                      metrics=[BandAccuracy(name="band_acc")])
        model.fit(faces, ages, batch_size=16, epochs=10)
        """,
    ),
    Case(
        name="keras-more28-poisson-count-head-assert-non-negative-tfk2",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=cell_counts,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf

        tf.keras.utils.set_random_seed(1)
        rows = list(csv.DictReader(open("{DATA}/wells/counts.csv")))
        paths = ["{DATA}/wells/" + r["file"] for r in rows]
        counts = np.array([float(r["count"]) for r in rows], np.float32)


        def load(path, count):
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            return img, count


        ds = (tf.data.Dataset.from_tensor_slices((paths, counts))
              .map(load).batch(8).repeat(4))


        def poisson_nll(y_true, rate):
            tf.debugging.assert_non_negative(rate, message="predicted cell rate")
            return tf.reduce_mean(rate - tf.reshape(y_true, [-1, 1]) * tf.math.log(rate + 1e-6))


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(1, activation="exponential"),      # log-link for a Poisson rate
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss=poisson_nll)
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more28-weld-defect-calibration-bincount-metric-nan-sgd-tf212",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf212",
        setup=weld_photos,
        code="""
        import tensorflow as tf

        tf.keras.utils.set_random_seed(4)
        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/welds", image_size=(48, 48), batch_size=8, label_mode="binary", seed=4)


        class MaxBinShare(tf.keras.metrics.Metric):
            \"\"\"Share of predictions in the fullest of 10 confidence bins (catches a collapsed model).\"\"\"

            def __init__(self, name="max_bin_share", **kwargs):
                super().__init__(name=name, **kwargs)
                self.share = self.add_weight(name="share", initializer="zeros")

            def update_state(self, y_true, y_pred, sample_weight=None):
                bins = tf.minimum(tf.cast(y_pred * 10.0, tf.int32), 9)
                counts = tf.math.bincount(tf.reshape(bins, [-1]), minlength=10)
                self.share.assign(tf.cast(tf.reduce_max(counts), tf.float32) / tf.cast(tf.size(bins), tf.float32))

            def result(self):
                return self.share


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, input_shape=(48, 48, 3)),   # raw 0..255 pixels
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(64, 3),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                      loss="binary_crossentropy",
                      metrics=["accuracy", MaxBinShare()])
        model.fit(train_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more28-nb-terminate-on-nan-then-roi-crops-for-stage-two-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            """,
            """
            frames = np.load("{DATA}/frames.npy")
            boxes = np.load("{DATA}/boxes.npy")
            locator = keras.Sequential([keras.Input((64, 64, 3)),
                                        layers.Conv2D(16, 3, strides=2, activation="leaky_relu"),
                                        layers.Conv2D(32, 3, strides=2, activation="leaky_relu"),
                                        layers.Flatten(), layers.Dense(4)])
            locator.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")
            locator.fit(frames * 255.0, boxes, batch_size=8, epochs=20, verbose=2,
                        callbacks=[keras.callbacks.TerminateOnNaN()])
            """,
            """
            # stage 2: crop the predicted car and train the make/model classifier on the crops
            pred_boxes = locator.predict(frames * 255.0, verbose=0)
            crops = (tf.data.Dataset.from_tensor_slices((frames, pred_boxes))
                     .map(lambda f, b: tf.image.crop_and_resize(f[None], b[None], [0], (32, 32))[0])
                     .batch(16))
            for batch in crops:
                print(batch.shape)
            """,
        ], data=drone_boxes),
    ),
    Case(
        name="keras-more28-pseudo-label-sampling-nan-logits-segment-sum-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        N_CLASSES = 5
        keras.utils.set_random_seed(5)
        rng = np.random.default_rng(5)
        labelled = rng.integers(0, 256, (64, 32, 32, 3)).astype("float32")
        labels = rng.integers(0, N_CLASSES, 64)
        unlabelled = rng.integers(0, 256, (128, 32, 32, 3)).astype("float32")

        teacher = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3),
                                    layers.Flatten(), layers.Dense(N_CLASSES)])
        teacher.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        teacher.fit(labelled, labels, batch_size=16, epochs=5, verbose=2)


        @tf.function
        def sample_pseudo_labels(images):
            logits = teacher(images, training=False)
            picked = tf.squeeze(tf.random.categorical(logits / 0.5, 1), 1)       # sharpened sampling
            counts = tf.math.unsorted_segment_sum(tf.ones_like(picked, tf.float32), picked, N_CLASSES)
            return picked, counts


        pseudo, per_class = sample_pseudo_labels(tf.constant(unlabelled[:32]))
        print("pseudo labels per class:", per_class.numpy())
        """,
    ),
    # ============================================================ 6. calls out of order, folders for files
    Case(
        name="keras-more28-list-files-given-image-folder-read-file-k3",
        cause="model.api_misuse",
        exception="FailedPreconditionError",
        env="k3",
        setup=pet_folders,
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/pets"
        CLASSES = ["cat", "dog", "rabbit"]


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (40, 40)) / 255.0
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == CLASSES, tf.int32))
            return img, label


        ds = tf.data.Dataset.list_files(DATA_DIR, shuffle=True).map(load).batch(8)

        model = keras.Sequential([keras.Input((40, 40, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-tf-function-next-iterator-not-recreated-per-epoch-tf215",
        cause="model.api_misuse",
        exception="OutOfRangeError",
        env="tf215",
        code="""
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(0)
        x = rng.random((40, 32, 32, 3), dtype=np.float32)
        y = rng.integers(0, 4, 40)
        BATCH = 8
        STEPS = len(x) // BATCH

        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(40).batch(BATCH)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(4)])
        optimizer = tf.keras.optimizers.Adam(1e-3)
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


        @tf.function
        def train_step(iterator):
            images, labels = next(iterator)
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        iterator = iter(ds)
        for epoch in range(3):
            total = 0.0
            for step in range(STEPS):
                total += float(train_step(iterator))
            print(f"epoch {epoch + 1}: loss {total / STEPS:.4f}")
        """,
    ),
    Case(
        name="keras-more28-tfrecord-dataset-given-shard-folder-tf212",
        cause="model.api_misuse",
        exception="FailedPreconditionError",
        env="tf212",
        setup=pallet_tfrecords,
        code="""
        import tensorflow as tf

        RECORDS = "{DATA}/pallets/tfrecords"
        spec = {"image": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}


        def parse(rec):
            ex = tf.io.parse_single_example(rec, spec)
            img = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image"], channels=3), tf.float32)
            return tf.ensure_shape(img, (48, 48, 3)), ex["label"]


        ds = tf.data.TFRecordDataset(RECORDS).map(parse).shuffle(64).batch(8)

        model = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
                                     tf.keras.layers.GlobalAveragePooling2D(),
                                     tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more28-checkpoint-restore-given-run-folder-tfk2",
        cause="model.api_misuse",
        exception="DataLossError",
        env="tfk2",
        code="""
        import os

        import numpy as np
        import tensorflow as tf

        RUN_DIR = os.path.join(os.getcwd(), "runs", "exp1")
        rng = np.random.default_rng(1)
        x = rng.random((32, 32, 32, 3), dtype=np.float32)
        y = rng.integers(0, 3, 32)


        def build():
            return tf.keras.Sequential([tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
                                        tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3)])


        model = build()
        optimizer = tf.keras.optimizers.Adam()
        ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)
        manager = tf.train.CheckpointManager(ckpt, RUN_DIR, max_to_keep=3)
        model.compile(optimizer=optimizer, loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(x, y, epochs=1, verbose=2)
        print("saved", manager.save())

        # --- resume in a new process / after a crash
        model2 = build()
        ckpt2 = tf.train.Checkpoint(model=model2, optimizer=tf.keras.optimizers.Adam())
        ckpt2.restore(RUN_DIR).expect_partial()
        model2.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model2.fit(x, y, epochs=1, verbose=2)
        """,
    ),
    Case(
        name="keras-more28-nb-load-weights-given-checkpoint-folder-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        **notebook([
            """
            import os
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            rng = np.random.default_rng(2)
            x = rng.random((48, 32, 32, 3), dtype=np.float32)
            y = rng.integers(0, 3, 48)

            def build():
                return keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                                         layers.GlobalAveragePooling2D(), layers.Dense(3, activation="softmax")])

            os.makedirs("checkpoints", exist_ok=True)
            model = build()
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            cb = keras.callbacks.ModelCheckpoint("checkpoints/epoch_{epoch:02d}.weights.h5", save_weights_only=True)
            model.fit(x, y, epochs=3, verbose=2, callbacks=[cb])
            print(sorted(os.listdir("checkpoints")))
            """,
            """
            best = build()
            best.load_weights("checkpoints")
            best.evaluate(x, y)
            """,
        ]),
    ),
    Case(
        name="keras-more28-nb-stringlookup-preview-before-adapt-tf215",
        cause="model.api_misuse",
        exception="FailedPreconditionError",
        env="tf215",
        **notebook([
            """
            import tensorflow as tf
            """,
            """
            paths = tf.io.gfile.glob("{DATA}/pets/*/*.jpg")
            names = [p.split("/")[-2] for p in paths]
            to_id = tf.keras.layers.StringLookup(num_oov_indices=0)

            def load(path, name):
                img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (40, 40)) / 255.0
                return img, to_id(name)

            ds = tf.data.Dataset.from_tensor_slices((paths, names)).shuffle(64).map(load).batch(8)
            """,
            """
            # quick look at a batch before training
            images, labels = next(iter(ds))
            print(images.shape, labels.numpy())
            """,
            """
            to_id.adapt(names)
            print(to_id.get_vocabulary())
            """,
        ], data=pet_folders),
    ),
    Case(
        name="keras-more28-load-weights-given-checkpoint-dir-tf212",
        cause="model.api_misuse",
        exception="IsADirectoryError",
        env="tf212",
        code="""
        import os

        import numpy as np
        import tensorflow as tf

        CKPT_DIR = "training_1"
        rng = np.random.default_rng(0)
        x = rng.random((40, 28, 28, 1), dtype=np.float32)
        y = rng.integers(0, 10, 40)


        def create_model():
            model = tf.keras.Sequential([
                tf.keras.layers.Flatten(input_shape=(28, 28, 1)),
                tf.keras.layers.Dense(64, activation="relu"),
                tf.keras.layers.Dense(10),
            ])
            model.compile(optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                          metrics=["accuracy"])
            return model


        model = create_model()
        cp = tf.keras.callbacks.ModelCheckpoint(os.path.join(CKPT_DIR, "cp-{epoch:04d}.ckpt"),
                                                save_weights_only=True, verbose=1)
        model.fit(x, y, epochs=2, callbacks=[cp], verbose=2)
        print(os.listdir(CKPT_DIR))

        restored = create_model()
        restored.load_weights(CKPT_DIR)
        loss, acc = restored.evaluate(x, y, verbose=2)
        print(f"restored model accuracy {acc:.2%}")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
