"""Untargeted held-out Keras / TF 2 training failures (g94, scored 0.87 top-1 and 1.00 top-3 before any rule for it) of engineers building production-ish
pipelines and small detectors in Keras: tf.data over TFRecord shards parsed with
``tf.io.parse_single_example``, ``tf.image`` augmentation in ``map``, box regression heads, anchor
encoders and YOLO-like losses written by hand, ``crop_and_resize`` second stages, ``non_max_suppression``
baked into an export model, multi-input / multi-output models fed by generators yielding dicts, class
and sample weights, custom ``train_step``, callbacks, ``tf.distribute`` on one CPU, export and reload,
spread over the cause ids of the taxonomy (the causes of the ImageAI ``Function call stack:
train_function`` article among them, as they appear in such pipelines):

- image sizes: a plate-reader generator yielding dicts whose licence-plate crops are cut from the
  frame and never resized ("the plate branch has a global pooling");
- channels: a SimCLR-style random-grayscale augmentation in the TFRecord ``map`` (``tf.cond`` over
  ``rgb_to_grayscale`` without ``grayscale_to_rgb``);
- boxes: a YOLO grid encoder in a ``PyDataset`` meeting a box dragged past the bottom edge, an anchor
  encoder's ``log(w / anchor_w)`` of boxes drawn right to left, caught by ``check_numerics`` in the
  ``map`` (tf_keras);
- class counts: a fixed-slot detector whose padded box slots carry class -1 into the sparse loss,
  KITTI class ids built from every name in the label files (``DontCare`` included) for an 8-way head;
- label shapes: a two-head detector's loss dict copied from a one-hot pipeline (``categorical_crossentropy``)
  fed sparse TFRecord class ids;
- dtypes: ROI boxes loaded with ``np.loadtxt`` (float64) given to ``crop_and_resize`` in ``map``,
  int32 class weights from a ``StaticHashTable`` multiplied into the loss in a custom ``train_step``;
- files: a ``train*`` shard glob that also matches the export job's ``train_stats.json``, an image
  crawler that wrote 404 HTML pages into the TFRecords as image bytes (tf_keras);
- model inputs: a second-stage ROI classifier built for 64 px crops fed 32 px ``crop_and_resize``
  output (notebook);
- model outputs: the export model with decoding + ``combined_non_max_suppression`` baked in,
  compiled and fitted with the grid loss;
- weights: COCO YOLO-head weights loaded ``by_name`` into the 2-class head (tf_keras);
- API: a ``ModelCheckpoint`` name using ``val_map`` logged by a custom mAP callback placed after it,
  ``BytesList`` given the ``str`` file name in a TFRecord writer;
- versions: the TF distributed-input guide's ``tf.keras.utils.experimental.DatasetCreator`` under
  Keras 3;
- divergence: a hand-written YOLO loss (summed, ``exp`` box sizes) trained with SGD at learning rate
  0.08 and momentum 0.9, guarded by ``check_numerics`` (the loss blows up in the second epoch);
- gradients: an IoU loss computed on boxes rounded to integer pixels;
- host memory: an anchor-statistics notebook that broadcasts every ground-truth box against every
  anchor of a 1024 px three-level pyramid in float64;
- workers: ``TFRecordWriter`` objects handed to ``Pool.starmap`` in a sharding script;
- distribution: a ``MirroredStrategy`` copied from the 8-GPU box with ``NcclAllReduce``, run on two
  logical CPUs;
- plain bugs: a ``label_map.pbtxt`` regex written for single quotes meeting a file with double quotes.

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run in
a real IPython shell.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more42.py [--out DIR] [-j N] [-k TEXT] [CASE ...]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more42.py"


# ---------------------------------------------------------------- data helpers
def parking(d: Path):
    """Parking-garage frames (96 px) with one licence plate box each (pixels) and the car make."""
    r = _rng(4201)
    rows = ["file,make,xmin,ymin,xmax,ymax"]
    for i in range(24):
        _jpg(d / "parking" / "frames" / f"cam2_{i:04d}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        w, h = int(r.integers(22, 40)), int(r.integers(8, 15))
        x, y = int(r.integers(4, 96 - w - 4)), int(r.integers(40, 96 - h - 4))
        rows.append(f"cam2_{i:04d}.jpg,{['audi', 'ford', 'toyota'][i % 3]},{x},{y},{x + w},{y + h}")
    (d / "parking" / "annotations.csv").write_text("\n".join(rows) + "\n")


SHARDS = """
import io
import os
import numpy as np
import tensorflow as tf
from PIL import Image

rng = np.random.default_rng(@@SEED@@)
os.makedirs("@@DIR@@", exist_ok=True)


def jpeg(h, w):
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, size=(h, w, 3), dtype=np.uint8)).save(buf, format="JPEG")
    return buf.getvalue()


def b(v):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=v))


def f(v):
    return tf.train.Feature(float_list=tf.train.FloatList(value=v))


def i64(v):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=v))


@@BODY@@
"""


def shards(directory: str, body: str, seed: int):
    """A setup that writes TFRecord shards with the k3 interpreter (`body` uses jpeg / b / f / i64)."""
    code = SHARDS.replace("@@SEED@@", str(seed)).replace("@@DIR@@", directory).replace("@@BODY@@", body)
    return lambda d: _prep("k3", code, d)


inspection = shards("inspection/tfrecords", """
for s in range(2):
    with tf.io.TFRecordWriter(f"inspection/tfrecords/train-{s:05d}-of-00002.tfrecord") as w:
        for k in range(24):
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image/encoded": b([jpeg(48, 48)]), "image/class/label": i64([k % 3])}))
            w.write(ex.SerializeToString())
""", 4202)


def yolo_parts(d: Path, past_bottom: bool = True):
    """Conveyor photos (64 px) + YOLO txt labels (class cx cy w h); one box dragged past the bottom."""
    r = _rng(4203)
    for i in range(20):
        _jpg(d / "parts" / "images" / f"belt_{i:04d}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        lines = []
        for k in range(1 + i % 3):
            cx, cy = r.uniform(0.15, 0.85), r.uniform(0.15, 0.85)
            lines.append(f"{(i + k) % 3} {cx:.6f} {cy:.6f} {r.uniform(0.1, 0.25):.6f} {r.uniform(0.1, 0.25):.6f}")
        if past_bottom and i == 13:   # the part was half off the belt photo when it was labelled
            lines.append("1 0.412500 1.031250 0.187500 0.143750")
        (d / "parts" / "labels" / f"belt_{i:04d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (d / "parts" / "labels" / f"belt_{i:04d}.txt").write_text("\n".join(lines) + "\n")


def yolo_parts_clean(d: Path):
    yolo_parts(d, past_bottom=False)


forklifts = shards("warehouse", """
for s in range(2):
    with tf.io.TFRecordWriter(f"warehouse/train-{s:05d}-of-00002.tfrecord") as w:
        for k in range(16):
            x1, y1 = rng.uniform(0.05, 0.45, size=2)
            x2, y2 = x1 + rng.uniform(0.2, 0.45), y1 + rng.uniform(0.2, 0.45)
            if s == 1 and k in (5, 11):       # dragged from the bottom-right corner to the top-left one
                x1, x2, y1, y2 = x2, x1, y2, y1
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image/encoded": b([jpeg(64, 64)]),
                "image/object/bbox/xmin": f([x1]), "image/object/bbox/ymin": f([y1]),
                "image/object/bbox/xmax": f([x2]), "image/object/bbox/ymax": f([y2]),
                "image/object/class/label": i64([k % 2])}))
            w.write(ex.SerializeToString())
""", 4204)


shelves = shards("shelves", """
with tf.io.TFRecordWriter("shelves/train.tfrecord") as w:
    for k in range(32):
        n = 1 + k % 4
        x1 = rng.uniform(0.0, 0.6, size=n)
        y1 = rng.uniform(0.0, 0.6, size=n)
        ex = tf.train.Example(features=tf.train.Features(feature={
            "image/encoded": b([jpeg(64, 64)]),
            "image/object/bbox/xmin": f(x1), "image/object/bbox/ymin": f(y1),
            "image/object/bbox/xmax": f(x1 + 0.3), "image/object/bbox/ymax": f(y1 + 0.3),
            "image/object/class/label": i64(rng.integers(0, 3, size=n))}))
        w.write(ex.SerializeToString())
""", 4205)


def kitti(d: Path):
    """KITTI-style frames (160 x 48) and label files, DontCare regions included."""
    r = _rng(4206)
    names = ["Car", "Van", "Truck", "Pedestrian", "Person_sitting", "Cyclist", "Tram", "Misc", "DontCare"]
    for i in range(12):
        _jpg(d / "kitti" / "training" / "image_2" / f"{i:06d}.jpg",
             r.integers(0, 255, size=(48, 160, 3), dtype="uint8"))
        lines = []
        for k in range(3):
            name = names[(i * 3 + k) % len(names)]
            x1, y1 = r.uniform(0, 110), r.uniform(0, 25)
            x2, y2 = x1 + r.uniform(12, 45), y1 + r.uniform(8, 20)
            lines.append(f"{name} 0.00 0 -1.58 {x1:.2f} {y1:.2f} {x2:.2f} {y2:.2f} 1.65 1.67 3.64 -0.65 1.71 46.70 -1.59")
        p = d / "kitti" / "training" / "label_2" / f"{i:06d}.txt"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(lines) + "\n")


signs = shards("signs", """
for s in range(2):
    with tf.io.TFRecordWriter(f"signs/{['train', 'val'][s]}.tfrecord") as w:
        for k in range(24 if s == 0 else 8):
            x1, y1 = rng.uniform(0.05, 0.5, size=2)
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image/encoded": b([jpeg(64, 64)]),
                "image/object/bbox": f([y1, x1, y1 + 0.4, x1 + 0.4]),
                "image/object/class/label": i64([k % 4])}))
            w.write(ex.SerializeToString())
""", 4207)


def proposals(d: Path):
    """Frames plus the RPN proposals of the first stage, one row per ROI: image, y1, x1, y2, x2, label."""
    r = _rng(4208)
    rows = []
    for i in range(8):
        _jpg(d / "rois" / "frames" / f"frame_{i:03d}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        for k in range(4):
            y1, x1 = r.uniform(0, 0.6, size=2)
            rows.append(f"{i} {y1:.4f} {x1:.4f} {y1 + 0.3:.4f} {x1 + 0.3:.4f} {(i + k) % 3}")
    (d / "rois" / "proposals.txt").write_text("\n".join(rows) + "\n")


def defects(d: Path):
    make_images(d / "defects", ["ok", "scratch", "crack"], per_class=10, size=(48, 48), fmt="jpeg", seed=4209)


export_job = shards("shards", """
import json
for s in range(2):
    with tf.io.TFRecordWriter(f"shards/train-{s:05d}-of-00002") as w:
        for k in range(20):
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image/encoded": b([jpeg(48, 48)]), "image/class/label": i64([k % 3])}))
            w.write(ex.SerializeToString())
with open("shards/train_stats.json", "w") as fh:
    json.dump({"num_examples": 40, "num_shards": 2, "class_counts": {"ok": 14, "scratch": 13, "crack": 13},
               "image_size": [48, 48], "created_by": "beam-export 0.9.2"}, fh, indent=2)
""", 4210)


crawled = shards("crawl", """
PAGE = b'''<!DOCTYPE html>
<html><head><title>404 Not Found</title></head>
<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>
'''
for s in range(2):
    with tf.io.TFRecordWriter(f"crawl/products-{s:05d}-of-00002.tfrecord") as w:
        for k in range(20):
            data = PAGE if (s == 1 and k in (3, 14)) else jpeg(48, 48)
            ex = tf.train.Example(features=tf.train.Features(feature={
                "image/encoded": b([data]), "image/format": b([b"jpeg"]),
                "image/class/label": i64([k % 4])}))
            w.write(ex.SerializeToString())
""", 4211)


def gt_boxes(d: Path):
    """Every ground-truth box of a large detection set, exported as xmin,ymin,xmax,ymax (1024 px)."""
    r = _rng(4212)
    n = 40000
    x1 = r.uniform(0, 900, n)
    y1 = r.uniform(0, 900, n)
    w = r.uniform(8, 120, n)
    h = r.uniform(8, 120, n)
    lines = ["xmin,ymin,xmax,ymax"] + [f"{a:.1f},{b:.1f},{a + c:.1f},{b + e:.1f}" for a, b, c, e in zip(x1, y1, w, h)]
    p = d / "annotations" / "all_boxes.csv"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("\n".join(lines) + "\n")


def catalogue(d: Path):
    make_images(d / "catalogue", ["boots", "sandals", "sneakers"], per_class=6, size=(48, 48), fmt="jpeg", seed=4213)


def coco_head_and_parts(d: Path):
    yolo_parts_clean(d)
    (d / "weights").mkdir()
    _prep("tfk2", """
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        def conv(x, f, s, name):
            x = layers.Conv2D(f, 3, strides=s, padding="same", use_bias=False, name=name)(x)
            x = layers.BatchNormalization(name=name + "_bn")(x)
            return layers.LeakyReLU(0.1, name=name + "_act")(x)

        inp = keras.Input((64, 64, 3))
        x = conv(inp, 16, 2, "stem")
        x = conv(x, 32, 2, "stage1")
        x = conv(x, 64, 2, "stage2")
        x = conv(x, 64, 1, "neck")
        out = layers.Conv2D(3 * (5 + 80), 1, name="yolo_head")(x)
        keras.Model(inp, out).save_weights("weights/tiny_yolo_coco.h5")
        """, d)


def plates_localise(d: Path):
    r = _rng(4214)
    rows = ["file,xmin,ymin,xmax,ymax"]
    for i in range(24):
        _jpg(d / "plates" / f"car_{i:03d}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        x, y = int(r.integers(5, 50)), int(r.integers(30, 70))
        rows.append(f"car_{i:03d}.jpg,{x},{y},{x + int(r.integers(25, 40))},{y + int(r.integers(8, 16))}")
    (d / "plates" / "boxes.csv").write_text("\n".join(rows) + "\n")


def pbtxt_and_shards(d: Path):
    (d / "tfod").mkdir()
    (d / "tfod" / "label_map.pbtxt").write_text(
        'item {\n  id: 1\n  name: "helmet"\n}\n\nitem {\n  id: 2\n  name: "head"\n}\n\nitem {\n  id: 3\n  name: "person"\n}\n')
    shards("tfod", """
with tf.io.TFRecordWriter("tfod/train.record") as w:
    for k in range(24):
        ex = tf.train.Example(features=tf.train.Features(feature={
            "image/encoded": b([jpeg(48, 48)]), "image/object/class/label": i64([1 + k % 3])}))
        w.write(ex.SerializeToString())
""", 4215)(d)


# ---------------------------------------------------------------- a hand-written YOLO-like target + loss
YOLO_COMMON = """
S, C, IMG = 8, 3, 64


def read_yolo(path):
    rows = np.loadtxt(path, ndmin=2)
    return [(int(r[0]), *r[1:]) for r in rows]


def encode(objects):
    y = np.zeros((S, S, 5 + C), np.float32)
    for cls, cx, cy, w, h in objects:
        gx, gy = int(cx * S), int(cy * S)
        y[gy, gx, 0:4] = [cx * S - gx, cy * S - gy, w, h]
        y[gy, gx, 4] = 1.0
        y[gy, gx, 5 + cls] = 1.0
    return y


def yolo_loss(y_true, y_pred):
    obj = y_true[..., 4:5]
    xy = tf.sigmoid(y_pred[..., 0:2])
    wh = tf.exp(y_pred[..., 2:4])
    box = tf.reduce_sum(obj * (tf.square(y_true[..., 0:2] - xy) + tf.square(tf.sqrt(y_true[..., 2:4]) - tf.sqrt(wh))))
    conf = tf.reduce_sum(keras.losses.binary_crossentropy(obj, y_pred[..., 4:5], from_logits=True)[..., None])
    cls = tf.reduce_sum(obj[..., 0] * keras.losses.categorical_crossentropy(y_true[..., 5:], y_pred[..., 5:],
                                                                          from_logits=True))
    return (5.0 * box + conf + cls) / tf.cast(tf.shape(y_true)[0], tf.float32)
"""


def yolo_code(body: str) -> str:
    return body.replace("@@YOLO@@", YOLO_COMMON.strip("\n").replace("\n", "\n        "))


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more42-plate-reader-dict-generator-plate-crops-never-resized-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=parking,
        expect="Cannot batch tensors with different shapes",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/parking"
        MAKES = ["audi", "ford", "toyota"]
        IMG = 96
        rows = list(csv.DictReader(open(f"{ROOT}/annotations.csv")))


        def samples():
            for r in rows:
                frame = np.asarray(Image.open(f"{ROOT}/frames/{r['file']}").convert("RGB"), np.float32) / 255.0
                x1, y1, x2, y2 = (int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
                plate = frame[y1:y2, x1:x2]        # the plate branch ends in a global pooling: any size works
                box = np.array([x1, y1, x2, y2], np.float32) / IMG
                yield {"frame": frame, "plate": plate}, {"make": MAKES.index(r["make"]), "box": box}


        signature = (
            {"frame": tf.TensorSpec((IMG, IMG, 3), tf.float32), "plate": tf.TensorSpec((None, None, 3), tf.float32)},
            {"make": tf.TensorSpec((), tf.int32), "box": tf.TensorSpec((4,), tf.float32)},
        )
        train_ds = (tf.data.Dataset.from_generator(samples, output_signature=signature)
                    .shuffle(32).batch(8).prefetch(tf.data.AUTOTUNE))

        frame_in = keras.Input((IMG, IMG, 3), name="frame")
        plate_in = keras.Input((None, None, 3), name="plate")
        f = layers.Conv2D(16, 3, strides=2, activation="relu")(frame_in)
        f = layers.Conv2D(32, 3, strides=2, activation="relu")(f)
        f = layers.GlobalAveragePooling2D()(f)
        p = layers.Conv2D(16, 3, padding="same", activation="relu")(plate_in)
        p = layers.GlobalAveragePooling2D()(p)
        h = layers.Dense(64, activation="relu")(layers.Concatenate()([f, p]))
        outputs = {
            "make": layers.Dense(len(MAKES), activation="softmax", name="make")(h),
            "box": layers.Dense(4, activation="sigmoid", name="box")(h),
        }
        model = keras.Model({"frame": frame_in, "plate": plate_in}, outputs)
        model.compile(optimizer="adam",
                      loss={"make": "sparse_categorical_crossentropy", "box": "huber"},
                      metrics={"make": "accuracy"})
        model.fit(train_ds, epochs=5,
                  callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=2)])
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more42-tfrecord-random-grayscale-augment-tf-cond-without-grayscale-to-rgb-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=inspection,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        tf.random.set_seed(7)
        CLASSES = ["ok", "scratch", "dent"]
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/class/label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(serialized):
            ex = tf.io.parse_single_example(serialized, FEATURES)
            image = tf.io.decode_jpeg(ex["image/encoded"], channels=3)
            return tf.image.convert_image_dtype(image, tf.float32), ex["image/class/label"]


        def augment(image, label):
            image = tf.image.random_flip_left_right(image)
            image = tf.image.random_brightness(image, 0.15)
            image = tf.image.random_contrast(image, 0.8, 1.2)
            # random grayscale with p=0.2, as in the SimCLR colour distortion
            image = tf.cond(tf.random.uniform([]) < 0.2,
                            lambda: tf.image.rgb_to_grayscale(image),
                            lambda: image)
            return tf.clip_by_value(image, 0.0, 1.0), label


        files = sorted(tf.io.gfile.glob("{DATA}/inspection/tfrecords/train-*.tfrecord"))
        train_ds = (tf.data.TFRecordDataset(files)
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(64)
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(16)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10,
                  callbacks=[keras.callbacks.ModelCheckpoint("inspection_cls.keras", monitor="loss",
                                                             save_best_only=True)])
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more42-pydataset-yolo-grid-encoder-box-past-bottom-edge-k3",
        cause="data.bbox_invalid",
        exception="IndexError",
        setup=yolo_parts,
        expect="out of bounds",
        code=yolo_code("""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        @@YOLO@@


        class BeltDataset(keras.utils.PyDataset):
            def __init__(self, image_paths, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.image_paths = image_paths
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.image_paths) / self.batch_size)

            def __getitem__(self, idx):
                paths = self.image_paths[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.zeros((len(paths), IMG, IMG, 3), np.float32)
                y = np.zeros((len(paths), S, S, 5 + C), np.float32)
                for i, p in enumerate(paths):
                    x[i] = np.asarray(Image.open(p).convert("RGB").resize((IMG, IMG)), np.float32) / 255.0
                    label = p.replace("/images/", "/labels/").replace(".jpg", ".txt")
                    y[i] = encode(read_yolo(label))
                return x, y


        paths = sorted(glob.glob("{DATA}/parts/images/*.jpg"))
        train = BeltDataset(paths[:16])
        val = BeltDataset(paths[16:])

        inp = keras.Input((IMG, IMG, 3))
        x = inp
        for filters in (16, 32, 64):
            x = layers.Conv2D(filters, 3, strides=2, padding="same", use_bias=False)(x)
            x = layers.BatchNormalization()(x)
            x = layers.LeakyReLU(0.1)(x)
        out = layers.Conv2D(5 + C, 1, name="yolo_head")(x)
        model = keras.Model(inp, out)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=yolo_loss)
        model.fit(train, validation_data=val, epochs=5)
        """),
    ),
    Case(
        name="keras-more42-anchor-encoder-log-width-right-to-left-drags-check-numerics-map-tfk2",
        cause="data.bbox_invalid",
        also=("optim.divergence",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=forklifts,
        expect="Tensor had NaN values",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        IMG = 64
        NUM_CLASSES = 2                         # forklift, pallet
        PRIOR = tf.constant([0.5, 0.5, 0.3, 0.3])  # one prior box (cx, cy, w, h), normalised
        VARIANCE = tf.constant([0.1, 0.1, 0.2, 0.2])

        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox/xmin": tf.io.FixedLenFeature([], tf.float32),
            "image/object/bbox/ymin": tf.io.FixedLenFeature([], tf.float32),
            "image/object/bbox/xmax": tf.io.FixedLenFeature([], tf.float32),
            "image/object/bbox/ymax": tf.io.FixedLenFeature([], tf.float32),
            "image/object/class/label": tf.io.FixedLenFeature([], tf.int64),
        }


        def encode_box(xmin, ymin, xmax, ymax):
            cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
            w, h = xmax - xmin, ymax - ymin
            t = tf.stack([(cx - PRIOR[0]) / PRIOR[2], (cy - PRIOR[1]) / PRIOR[3],
                          tf.math.log(w / PRIOR[2]), tf.math.log(h / PRIOR[3])]) / VARIANCE
            return tf.debugging.check_numerics(t, "encoded box target")


        def parse(serialized):
            ex = tf.io.parse_single_example(serialized, FEATURES)
            image = tf.cast(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32) / 255.0
            box = encode_box(ex["image/object/bbox/xmin"], ex["image/object/bbox/ymin"],
                             ex["image/object/bbox/xmax"], ex["image/object/bbox/ymax"])
            return image, {"cls": ex["image/object/class/label"], "box": box}


        files = sorted(tf.io.gfile.glob("{DATA}/warehouse/train-*.tfrecord"))
        train_ds = tf.data.TFRecordDataset(files).map(parse).batch(8).prefetch(tf.data.AUTOTUNE)

        inp = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        cls = layers.Dense(NUM_CLASSES, activation="softmax", name="cls")(x)
        box = layers.Dense(4, name="box")(x)
        model = keras.Model(inp, {"cls": cls, "box": box})
        model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "box": "huber"})
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more42-fixed-slot-detector-padded-batch-class-minus-one-sparse-ce-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=shelves,
        expect="Received a label value of -1",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        MAX_OBJECTS = 4
        NUM_CLASSES = 3     # cereal, soda, soap
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox/xmin": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/ymin": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/xmax": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/ymax": tf.io.VarLenFeature(tf.float32),
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def parse(serialized):
            ex = tf.io.parse_single_example(serialized, FEATURES)
            image = tf.cast(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32) / 255.0
            boxes = tf.stack([tf.sparse.to_dense(ex[f"image/object/bbox/{k}"])
                              for k in ("ymin", "xmin", "ymax", "xmax")], axis=-1)
            classes = tf.cast(tf.sparse.to_dense(ex["image/object/class/label"]), tf.int32)
            return image, {"cls": classes, "box": boxes}


        # empty slots: class -1, box 0 (the slots are matched in order)
        train_ds = (tf.data.TFRecordDataset("{DATA}/shelves/train.tfrecord")
                    .map(parse)
                    .padded_batch(8, padded_shapes=([64, 64, 3], {"cls": [MAX_OBJECTS], "box": [MAX_OBJECTS, 4]}),
                                  padding_values=(0.0, {"cls": -1, "box": 0.0}))
                    .prefetch(tf.data.AUTOTUNE))

        inp = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.Conv2D(64, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(128, activation="relu")(x)
        cls = layers.Reshape((MAX_OBJECTS, NUM_CLASSES), name="cls")(layers.Dense(MAX_OBJECTS * NUM_CLASSES)(x))
        box = layers.Reshape((MAX_OBJECTS, 4), name="box")(layers.Dense(MAX_OBJECTS * 4, activation="sigmoid")(x))
        model = keras.Model(inp, {"cls": cls, "box": box})
        model.compile(optimizer="adam",
                      loss={"cls": keras.losses.SparseCategoricalCrossentropy(from_logits=True), "box": "huber"},
                      loss_weights={"cls": 1.0, "box": 5.0})
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more42-kitti-crop-classifier-class-ids-from-all-label-names-dontcare-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=kitti,
        expect="outside the valid range",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        KITTI = "{DATA}/kitti/training"
        # the eight KITTI object classes
        NUM_CLASSES = 8
        W, H = 160, 48

        label_files = sorted(glob.glob(f"{KITTI}/label_2/*.txt"))
        all_names = sorted({line.split()[0] for f in label_files for line in open(f) if line.strip()})
        class_to_id = {name: i for i, name in enumerate(all_names)}
        print("classes:", class_to_id)

        paths, boxes, labels = [], [], []
        for f in label_files:
            stem = os.path.splitext(os.path.basename(f))[0]
            for line in open(f):
                parts = line.split()
                x1, y1, x2, y2 = map(float, parts[4:8])
                paths.append(f"{KITTI}/image_2/{stem}.jpg")
                boxes.append([y1 / H, x1 / W, y2 / H, x2 / W])
                labels.append(class_to_id[parts[0]])


        def load_crop(path, box, label):
            image = tf.cast(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), tf.float32) / 255.0
            crop = tf.image.crop_and_resize(image[None], box[None], [0], [32, 32])[0]
            return crop, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, np.array(boxes, np.float32), labels))
              .shuffle(64, seed=1).map(load_crop).batch(8))

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more42-two-head-detector-categorical-ce-loss-dict-sparse-tfrecord-class-ids-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=signs,
        expect="must have the same shape",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 4     # stop, yield, speed_limit, no_entry
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox": tf.io.FixedLenFeature([4], tf.float32),
            "image/object/class/label": tf.io.FixedLenFeature([1], tf.int64),
        }


        def parse(serialized):
            ex = tf.io.parse_single_example(serialized, FEATURES)
            image = tf.cast(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32) / 255.0
            return image, {"class_head": ex["image/object/class/label"], "box_head": ex["image/object/bbox"]}


        train_ds = tf.data.TFRecordDataset("{DATA}/signs/train.tfrecord").map(parse).shuffle(32).batch(8)
        val_ds = tf.data.TFRecordDataset("{DATA}/signs/val.tfrecord").map(parse).batch(8)

        inp = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        x = layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        class_head = layers.Dense(NUM_CLASSES, activation="softmax", name="class_head")(x)
        box_head = layers.Dense(4, activation="sigmoid", name="box_head")(x)
        model = keras.Model(inp, {"class_head": class_head, "box_head": box_head})

        # same loss dict as the VOC detector config
        model.compile(optimizer="adam",
                      loss={"class_head": "categorical_crossentropy", "box_head": "mse"},
                      metrics={"class_head": "accuracy"})
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more42-roi-second-stage-loadtxt-float64-boxes-crop-and-resize-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=proposals,
        expect="float64",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        FRAMES = "{DATA}/rois/frames"
        CROP = 32
        rows = np.loadtxt("{DATA}/rois/proposals.txt")   # image, y1, x1, y2, x2, label
        paths = [f"{FRAMES}/frame_{int(i):03d}.jpg" for i in rows[:, 0]]
        boxes = rows[:, 1:5]
        labels = rows[:, 5].astype("int64")


        def roi(path, box, label):
            frame = tf.image.convert_image_dtype(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), tf.float32)
            crop = tf.image.crop_and_resize(frame[None], box[None], box_indices=[0], crop_size=[CROP, CROP])[0]
            return crop, label


        ds = tf.data.Dataset.from_tensor_slices((paths, boxes, labels)).map(roi).batch(8)

        head = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        head.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        head.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more42-train-step-int-class-weights-static-hash-table-times-loss-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=defects,
        expect="int32",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(48, 48), batch_size=8,
                                                            seed=3)
        class_names = train_ds.class_names
        # production defect rates: cracks are rare, weigh them up
        WEIGHTS = {"ok": 1, "scratch": 4, "crack": 12}
        table = tf.lookup.StaticHashTable(
            tf.lookup.KeyValueTensorInitializer(tf.range(len(class_names), dtype=tf.int64),
                                                tf.constant([WEIGHTS[c] for c in class_names])),
            default_value=1)
        train_ds = train_ds.map(lambda x, y: (x, y, table.lookup(tf.cast(y, tf.int64)))).prefetch(2)


        class WeightedClassifier(keras.Model):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.loss_fn = keras.losses.SparseCategoricalCrossentropy(reduction=None)
                self.loss_tracker = keras.metrics.Mean(name="loss")

            def train_step(self, data):
                x, y, sample_weight = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    per_example = self.loss_fn(y, y_pred)
                    loss = tf.reduce_sum(per_example * sample_weight) / tf.cast(tf.shape(x)[0], tf.float32)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                self.loss_tracker.update_state(loss)
                return {"loss": self.loss_tracker.result()}

            @property
            def metrics(self):
                return [self.loss_tracker]


        inp = keras.Input((48, 48, 3))
        x = layers.Rescaling(1.0 / 255)(inp)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        out = layers.Dense(len(class_names), activation="softmax")(x)
        model = WeightedClassifier(inp, out)
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more42-shard-glob-train-star-matches-export-train-stats-json-k3",
        cause="data.missing_or_corrupt",
        exception="DataLossError",
        setup=export_job,
        pty=True,
        expect="corrupted record",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        DATA_DIR = "{DATA}/shards"
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/class/label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(serialized):
            ex = tf.io.parse_single_example(serialized, FEATURES)
            image = tf.io.decode_jpeg(ex["image/encoded"], channels=3)
            return tf.cast(image, tf.float32) / 255.0, ex["image/class/label"]


        files = sorted(tf.io.gfile.glob(f"{DATA_DIR}/train*"))
        print(f"{len(files)} training shards")
        train_ds = (tf.data.TFRecordDataset(files, num_parallel_reads=1)
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more42-crawler-tfrecords-404-html-pages-as-image-bytes-decode-jpeg-tfk2",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=crawled,
        expect="Unknown image file format",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/format": tf.io.FixedLenFeature([], tf.string),
            "image/class/label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(serialized):
            ex = tf.io.parse_single_example(serialized, FEATURES)
            image = tf.io.decode_jpeg(ex["image/encoded"], channels=3)
            image = tf.image.resize(image, [48, 48]) / 255.0
            return image, ex["image/class/label"]


        files = tf.data.Dataset.list_files("{DATA}/crawl/products-*.tfrecord", shuffle=True, seed=0)
        train_ds = (files.interleave(tf.data.TFRecordDataset, cycle_length=2)
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more42-nb-roi-classifier-built-for-64px-crops-fed-32px-crop-and-resize-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="incompatible",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            """,
            """
            # second stage: classify the proposals of the first stage
            rows = np.loadtxt("{DATA}/rois/proposals.txt", dtype=np.float32)
            frames = np.stack([tf.io.decode_jpeg(tf.io.read_file(f"{DATA}/rois/frames/frame_{i:03d}.jpg")).numpy()
                               for i in range(8)]).astype("float32") / 255.0
            box_indices = rows[:, 0].astype("int32")
            boxes = rows[:, 1:5]
            labels = rows[:, 5].astype("int64")
            print(frames.shape, boxes.shape)
            """,
            """
            ROI_SIZE = 64

            roi_head = keras.Sequential([
                keras.Input((ROI_SIZE, ROI_SIZE, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(3, activation="softmax"),
            ])
            roi_head.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            roi_head.summary()
            """,
            """
            # ROI align of every proposal (the crop size of the first-stage config)
            crops = tf.image.crop_and_resize(frames, boxes, box_indices, crop_size=(32, 32))
            print(crops.shape)
            """,
            """
            roi_head.fit(crops, labels, batch_size=8, epochs=5)
            """,
        ], data=proposals),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more42-export-model-with-decode-and-combined-nms-fitted-with-grid-loss-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=yolo_parts_clean,
        expect="Dimensions must be equal",
        code=yolo_code("""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        @@YOLO@@


        paths = sorted(glob.glob("{DATA}/parts/images/*.jpg"))[:12]
        x_train = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p in paths])
        y_train = np.stack([encode(read_yolo(p.replace("/images/", "/labels/").replace(".jpg", ".txt"))) for p in paths])


        class DecodeAndNMS(layers.Layer):
            # decoding + NMS inside the graph, so the SavedModel can be served as is
            def call(self, raw):
                grid = tf.cast(tf.stack(tf.meshgrid(tf.range(S), tf.range(S)), -1), tf.float32)
                xy = (tf.sigmoid(raw[..., 0:2]) + grid) / S
                wh = tf.exp(raw[..., 2:4]) / S
                boxes = tf.concat([xy[..., ::-1] - wh[..., ::-1] / 2, xy[..., ::-1] + wh[..., ::-1] / 2], -1)
                scores = tf.sigmoid(raw[..., 4:5]) * tf.nn.softmax(raw[..., 5:])
                boxes = tf.reshape(boxes, (-1, S * S, 1, 4))
                scores = tf.reshape(scores, (-1, S * S, C))
                nms = tf.image.combined_non_max_suppression(boxes, scores, max_output_size_per_class=10,
                                                            max_total_size=10, iou_threshold=0.5,
                                                            score_threshold=0.0, clip_boxes=True)
                return tf.concat([nms.nmsed_boxes, nms.nmsed_scores[..., None], nms.nmsed_classes[..., None]], -1)


        def build_detector():
            inp = keras.Input((IMG, IMG, 3))
            x = inp
            for filters in (16, 32, 64):
                x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
            raw = layers.Conv2D(5 + C, 1, name="yolo_head")(x)
            return keras.Model(inp, DecodeAndNMS(name="detections")(raw))


        detector = build_detector()
        detector.summary()
        detector.compile(optimizer="adam", loss=yolo_loss)
        detector.fit(x_train, y_train, batch_size=4, epochs=5)
        detector.export("export/detector")
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more42-finetune-coco-tiny-yolo-h5-by-name-two-class-head-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=coco_head_and_parts,
        expect="Shape mismatch",
        code=yolo_code("""
        import glob

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        @@YOLO@@
        C = 2            # our classes: bolt, washer
        ANCHORS = 3


        def conv(x, f, s, name):
            x = layers.Conv2D(f, 3, strides=s, padding="same", use_bias=False, name=name)(x)
            x = layers.BatchNormalization(name=name + "_bn")(x)
            return layers.LeakyReLU(0.1, name=name + "_act")(x)


        inp = keras.Input((IMG, IMG, 3))
        x = conv(inp, 16, 2, "stem")
        x = conv(x, 32, 2, "stage1")
        x = conv(x, 64, 2, "stage2")
        x = conv(x, 64, 1, "neck")
        out = layers.Conv2D(ANCHORS * (5 + C), 1, name="yolo_head")(x)
        model = keras.Model(inp, out)

        # start from the COCO-pretrained tiny detector: by_name keeps the layers that match
        model.load_weights("{DATA}/weights/tiny_yolo_coco.h5", by_name=True)
        for layer in model.layers[:-1]:
            layer.trainable = False

        paths = sorted(glob.glob("{DATA}/parts/images/*.jpg"))
        x_train = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p in paths])
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mse")
        model.fit(x_train, np.zeros((len(paths), S, S, ANCHORS * (5 + C)), np.float32), epochs=3)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more42-checkpoint-name-val-map-logged-by-map-callback-listed-after-it-k3",
        cause="model.api_misuse",
        exception="KeyError",
        setup=plates_localise,
        pty=True,
        expect="Failed to format this callback filepath",
        code="""
        import csv
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/plates/boxes.csv")))
        x = np.stack([np.asarray(Image.open(f"{DATA}/plates/{r['file']}"), np.float32) / 255.0 for r in rows])
        y = np.array([[float(r[k]) / 96.0 for k in ("ymin", "xmin", "ymax", "xmax")] for r in rows], np.float32)
        x_train, y_train, x_val, y_val = x[:18], y[:18], x[18:], y[18:]


        def iou(a, b):
            y1, x1 = np.maximum(a[:, 0], b[:, 0]), np.maximum(a[:, 1], b[:, 1])
            y2, x2 = np.minimum(a[:, 2], b[:, 2]), np.minimum(a[:, 3], b[:, 3])
            inter = np.clip(y2 - y1, 0, None) * np.clip(x2 - x1, 0, None)
            area = lambda t: (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
            return inter / (area(a) + area(b) - inter + 1e-9)


        class MeanAP50(keras.callbacks.Callback):
            # single-box localisation: AP@0.5 is the share of plates found with IoU >= 0.5
            def __init__(self, x, y):
                super().__init__()
                self.x, self.y = x, y

            def on_epoch_end(self, epoch, logs=None):
                pred = self.model.predict(self.x, verbose=0)
                logs["val_map"] = float(np.mean(iou(pred, self.y) >= 0.5))


        inp = keras.Input((96, 96, 3))
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        model = keras.Model(inp, layers.Dense(4, activation="sigmoid", name="box")(h))
        model.compile(optimizer="adam", loss="huber")

        os.makedirs("checkpoints", exist_ok=True)
        callbacks = [
            keras.callbacks.ModelCheckpoint("checkpoints/plates-{epoch:02d}-map{val_map:.3f}.keras",
                                            monitor="val_map", mode="max", save_best_only=True),
            keras.callbacks.EarlyStopping(monitor="val_map", mode="max", patience=5),
            MeanAP50(x_val, y_val),
        ]
        model.fit(x_train, y_train, validation_data=(x_val, y_val), batch_size=6, epochs=20, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more42-tfrecord-writer-bytes-list-given-str-file-name-k3",
        cause="model.api_misuse",
        also=("data.dtype",),
        exception="TypeError",
        setup=catalogue,
        expect="expected bytes, str found",
        script="create_tfrecords.py",
        code="""
        import glob
        import os

        import tensorflow as tf

        SRC = "{DATA}/catalogue"
        OUT = "tfrecords"
        CLASSES = sorted(os.listdir(SRC))


        def _bytes_feature(value):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value]))


        def _int64_feature(value):
            return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))


        def make_example(path):
            label = CLASSES.index(os.path.basename(os.path.dirname(path)))
            with open(path, "rb") as f:
                encoded = f.read()
            feature = {
                "image/encoded": _bytes_feature(encoded),
                "image/filename": _bytes_feature(os.path.basename(path)),
                "image/format": _bytes_feature(b"jpeg"),
                "image/class/label": _int64_feature(label),
            }
            return tf.train.Example(features=tf.train.Features(feature=feature))


        os.makedirs(OUT, exist_ok=True)
        paths = sorted(glob.glob(f"{SRC}/*/*.jpg"))
        with tf.io.TFRecordWriter(f"{OUT}/train-00000-of-00001.tfrecord") as writer:
            for p in paths:
                writer.write(make_example(p).SerializeToString())
        print(f"wrote {len(paths)} examples")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more42-distributed-input-guide-dataset-creator-under-keras3-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=defects,
        expect="has no attribute 'experimental'",
        code="""
        import tensorflow as tf

        GLOBAL_BATCH_SIZE = 16
        strategy = tf.distribute.MirroredStrategy()
        print("replicas:", strategy.num_replicas_in_sync)


        def dataset_fn(input_context):
            batch_size = input_context.get_per_replica_batch_size(GLOBAL_BATCH_SIZE)
            ds = tf.keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(48, 48), batch_size=None,
                                                             seed=1)
            ds = ds.shard(input_context.num_input_pipelines, input_context.input_pipeline_id)
            return ds.shuffle(64).repeat().batch(batch_size).prefetch(2)


        with strategy.scope():
            model = tf.keras.Sequential([
                tf.keras.Input((48, 48, 3)),
                tf.keras.layers.Rescaling(1.0 / 255),
                tf.keras.layers.Conv2D(16, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        model.fit(tf.keras.utils.experimental.DatasetCreator(dataset_fn), epochs=5, steps_per_epoch=4)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more42-yolo-loss-exp-wh-sgd-lr-0.08-momentum-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=yolo_parts_clean,
        pty=True,
        expect="Tensor had",
        code=yolo_code("""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        @@YOLO@@


        def checked_yolo_loss(y_true, y_pred):
            return tf.debugging.check_numerics(yolo_loss(y_true, y_pred), "yolo loss")


        keras.utils.set_random_seed(0)
        paths = sorted(glob.glob("{DATA}/parts/images/*.jpg"))
        x_train = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p in paths])
        y_train = np.stack([encode(read_yolo(p.replace("/images/", "/labels/").replace(".jpg", ".txt"))) for p in paths])

        inp = keras.Input((IMG, IMG, 3))
        x = inp
        for filters in (16, 32, 64):
            x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
        out = layers.Conv2D(5 + C, 1, name="yolo_head")(x)
        model = keras.Model(inp, out)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.08, momentum=0.9), loss=checked_yolo_loss)
        model.fit(x_train, y_train, batch_size=4, epochs=30,
                  callbacks=[keras.callbacks.ModelCheckpoint("yolo_parts.weights.h5", save_weights_only=True,
                                                             monitor="loss", save_best_only=True)])
        """),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more42-iou-loss-on-boxes-rounded-to-integer-pixels-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=plates_localise,
        expect="No gradients provided",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        IMG = 96
        rows = list(csv.DictReader(open("{DATA}/plates/boxes.csv")))
        x = np.stack([np.asarray(Image.open(f"{DATA}/plates/{r['file']}"), np.float32) / 255.0 for r in rows])
        # ground truth stays in integer pixels, as the annotation tool exports it
        y = np.array([[int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.int32)


        def pixel_iou_loss(y_true, y_pred):
            # compare like with like: turn the prediction into pixel coordinates first
            pred = tf.cast(tf.round(y_pred * IMG), tf.int32)
            gt = tf.cast(y_true, tf.int32)
            x1 = tf.maximum(pred[:, 0], gt[:, 0])
            y1 = tf.maximum(pred[:, 1], gt[:, 1])
            x2 = tf.minimum(pred[:, 2], gt[:, 2])
            y2 = tf.minimum(pred[:, 3], gt[:, 3])
            inter = tf.maximum(x2 - x1, 0) * tf.maximum(y2 - y1, 0)
            area_p = (pred[:, 2] - pred[:, 0]) * (pred[:, 3] - pred[:, 1])
            area_g = (gt[:, 2] - gt[:, 0]) * (gt[:, 3] - gt[:, 1])
            iou = tf.cast(inter, tf.float32) / tf.cast(area_p + area_g - inter, tf.float32)
            return 1.0 - iou


        inp = keras.Input((IMG, IMG, 3))
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        model = keras.Model(inp, layers.Dense(4, activation="sigmoid")(h))
        model.compile(optimizer="adam", loss=pixel_iou_loss)
        model.fit(x, y, batch_size=8, epochs=10, validation_split=0.25)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more42-nb-anchor-stats-every-gt-box-vs-every-anchor-broadcast-float64-k3",
        cause="resource.host_memory",
        exception="MemoryError",
        as_limit=12 * 1024**3,
        expect="Unable to allocate",
        **notebook([
            """
            import numpy as np
            """,
            """
            IMG = 1024
            STRIDES = [8, 16, 32]
            SCALES = [32, 64, 128]
            RATIOS = [0.5, 1.0, 2.0]


            def make_anchors():
                out = []
                for stride, scale in zip(STRIDES, SCALES):
                    n = IMG // stride
                    cy, cx = np.meshgrid((np.arange(n) + 0.5) * stride, (np.arange(n) + 0.5) * stride, indexing="ij")
                    for r in RATIOS:
                        for s in (scale, scale * 2 ** (1 / 3), scale * 2 ** (2 / 3)):
                            w, h = s * np.sqrt(r), s / np.sqrt(r)
                            out.append(np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1).reshape(-1, 4))
                return np.concatenate(out)


            anchors = make_anchors()
            gt = np.loadtxt("{DATA}/annotations/all_boxes.csv", delimiter=",", skiprows=1)
            print(anchors.shape, gt.shape)
            """,
            """
            # how many anchors does every ground-truth box match at IoU >= 0.5? (to tune the thresholds)
            def iou_matrix(a, b):
                x1 = np.maximum(a[:, None, 0], b[None, :, 0])
                y1 = np.maximum(a[:, None, 1], b[None, :, 1])
                x2 = np.minimum(a[:, None, 2], b[None, :, 2])
                y2 = np.minimum(a[:, None, 3], b[None, :, 3])
                inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
                area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
                area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
                return inter / (area_a[:, None] + area_b[None, :] - inter)


            ious = iou_matrix(gt, anchors)
            matches = (ious >= 0.5).sum(axis=1)
            print("boxes without a positive anchor:", int((matches == 0).sum()))
            """,
        ], data=gt_boxes),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more42-sharding-script-pool-starmap-tfrecordwriter-objects-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=catalogue,
        expect="cannot pickle",
        script="shard_dataset.py",
        code="""
        import glob
        import multiprocessing as mp
        import os

        import tensorflow as tf

        SRC = "{DATA}/catalogue"
        OUT = "tfrecords"
        NUM_SHARDS = 4
        CLASSES = sorted(os.listdir(SRC))


        def example(path):
            label = CLASSES.index(os.path.basename(os.path.dirname(path)))
            with open(path, "rb") as f:
                encoded = f.read()
            return tf.train.Example(features=tf.train.Features(feature={
                "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[encoded])),
                "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
            }))


        def write_shard(writer, paths):
            for p in paths:
                writer.write(example(p).SerializeToString())
            writer.close()
            return len(paths)


        if __name__ == "__main__":
            os.makedirs(OUT, exist_ok=True)
            paths = sorted(glob.glob(f"{SRC}/*/*.jpg"))
            chunks = [paths[i::NUM_SHARDS] for i in range(NUM_SHARDS)]
            writers = [tf.io.TFRecordWriter(f"{OUT}/train-{i:05d}-of-{NUM_SHARDS:05d}.tfrecord")
                       for i in range(NUM_SHARDS)]
            with mp.Pool(NUM_SHARDS) as pool:
                counts = pool.starmap(write_shard, zip(writers, chunks))
            print("examples per shard:", counts)
        """,
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more42-mirrored-strategy-nccl-all-reduce-from-gpu-box-on-two-logical-cpus-k3",
        cause="env.distributed",
        also=("env.cuda_setup",),
        exception="InvalidArgumentError",
        setup=defects,
        expect="NcclAllReduce",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        # same train.py as on the 8-GPU box; on the CPU runner we split the CPU into two devices
        cpus = tf.config.list_physical_devices("CPU")
        tf.config.set_logical_device_configuration(cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)
        devices = [d.name for d in tf.config.list_logical_devices("GPU")] or \\
                  [d.name for d in tf.config.list_logical_devices("CPU")]

        strategy = tf.distribute.MirroredStrategy(devices=devices,
                                                  cross_device_ops=tf.distribute.NcclAllReduce())
        print("replicas:", strategy.num_replicas_in_sync)

        GLOBAL_BATCH = 8 * strategy.num_replicas_in_sync
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(48, 48),
                                                            batch_size=GLOBAL_BATCH, seed=2)

        with strategy.scope():
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more42-label-map-pbtxt-regex-for-single-quotes-double-quoted-names-k3",
        cause="other",
        also=("data.missing_or_corrupt",),
        exception="AttributeError",
        setup=pbtxt_and_shards,
        expect="'NoneType' object has no attribute 'group'",
        code="""
        import re

        import tensorflow as tf
        import keras
        from keras import layers


        def load_label_map(path):
            # TF Object Detection API label map -> {id: name}
            text = open(path).read()
            label_map = {}
            for block in re.findall(r"item\\s*\\{([^}]*)\\}", text):
                item_id = int(re.search(r"id:\\s*(\\d+)", block).group(1))
                name = re.search(r"name:\\s*'([^']*)'", block).group(1)
                label_map[item_id] = name
            return label_map


        label_map = load_label_map("{DATA}/tfod/label_map.pbtxt")
        NUM_CLASSES = len(label_map)
        print(label_map)

        FEATURES = {"image/encoded": tf.io.FixedLenFeature([], tf.string),
                    "image/object/class/label": tf.io.FixedLenFeature([], tf.int64)}


        def parse(serialized):
            ex = tf.io.parse_single_example(serialized, FEATURES)
            image = tf.cast(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32) / 255.0
            return image, ex["image/object/class/label"] - 1


        train_ds = tf.data.TFRecordDataset("{DATA}/tfod/train.record").map(parse).batch(8)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
