"""Untargeted held-out Keras / TensorFlow image-model failures (g119, scored 0.78 top-1 and 0.87 top-3 before any rule for it) of engineers who build object-detection
and segmentation input pipelines by hand: TFRecord shards written with ``tf.train.Example`` and parsed with
``tf.io.parse_single_example`` / ``parse_example`` (``FixedLenFeature``, ``VarLenFeature``, ``tf.sparse``),
``tf.image`` flips, quarter turns, colour jitter and ``crop_and_resize`` applied to images together with
their boxes and masks, ``tf.data`` ``map`` / ``cache`` / ``padded_batch`` / ``prefetch``, mixed precision
(``mixed_float16``), ``tf.distribute.MirroredStrategy`` over two logical CPUs, custom ``train_step``
overrides and ``tf.function`` training loops with ``GradientTape``, and the Keras 3 models these
pipelines feed, spread over the cause ids of the taxonomy:

- image sizes: a random quarter-turn augmentation (``tf.image.rot90`` on image and mask) in the
  TFRecord ``map`` of a drone segmentation set whose frames are 4:3, before ``batch``;
- channels: four-band (RGB + NIR) tiles stored as raw bytes, run through the RGB project's colour
  jitter (``random_saturation``);
- boxes: LabelImg XML files whose ``<size>`` block says 0 x 0 (written before the image loaded),
  normalised with NumPy into ``inf`` boxes that reach ``crop_and_resize`` in a crop-classifier pipeline;
- labels: ADE20K-style masks (0 = "other") shifted with ``mask - 1`` on ``uint8`` (0 wraps to 255)
  and no ignore label in the loss (tf_keras);
- label shapes: CenterNet heat maps drawn on the 128 px input grid for a stride-4 head;
- dtypes: 16-bit label PNGs decoded with ``dtype=tf.uint16`` and given to ``tf.one_hot`` in the
  ``map``; an FPN merge layer that adds a ``tf.image.resize`` output (float32) to a float16 lateral
  under ``mixed_float16``;
- files: a ``TFRecordWriter`` left open in one notebook cell while the next cell trains on the shard;
- model inputs: pixels exported as a flat ``FloatList`` and parsed with ``parse_example`` for a
  ``Conv2D`` model; ``padded_batch`` to the largest photo of each batch for a localiser with a
  ``Flatten`` head built for one fixed size;
- model outputs: a deep-supervision U-Net (main + auxiliary mask) with a Keras-guide ``train_step``
  that passes both outputs to the single compiled loss;
- weights: a ``tf.train.CheckpointManager`` warm start from the 21-class VOC run into the six-class
  model (notebook);
- API: ``VarLenFeature`` boxes reshaped with ``tf.sparse.reshape`` and sent to ``padded_batch``
  (tf_keras), one ``make_dataset`` helper whose default ``cache`` file name is shared by the training and
  validation sets (``steps_per_epoch`` shorter than a pass), per-instance mask PNGs decoded with
  ``tf.map_fn`` without ``fn_output_signature``;
- divergence: a ``MirroredStrategy`` segmentation loop whose per-pixel loss uses ``SUM`` reduction and is
  never divided by the global batch or the pixel count, trained with SGD + momentum;
- gradients: a centre-point localiser whose loss decodes the heat-map peak with ``tf.argmax`` in a
  custom ``train_step``;
- host memory: building footprints rasterised per instance as ``(batch, max_boxes, H, W)`` masks inside
  a ``tf.function`` step for a box-supervised segmenter, meeting a crowded tile;
- versions: an Estimator-era ``input_fn(mode=tf.estimator.ModeKeys.TRAIN)`` on TF 2.21, TF1's
  ``dataset.output_shapes`` given to ``padded_batch``;
- workers: a ``PyDataset`` with ``use_multiprocessing=True`` whose ``__getitem__`` opens its own
  ``multiprocessing.Pool`` to decode the mask PNGs;
- distribution: the custom-loop guide's ``strategy.reduce`` called with ``axis=0`` on the scalar
  per-replica loss;
- plain bugs: a preprocessing function whose ``return`` sits inside ``if training:`` (the validation
  ``map`` gets ``None``, notebook).

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21 (TF_USE_LEGACY_KERAS=1);
scripts, scripts under a terminal (progress bars) and notebook cells run in a real IPython shell.
Everything runs on a CPU: causes that need a GPU (resource.gpu_oom, env.device_mismatch, env.cuda_setup)
are not produced. TFRecord shards are written by the case's setup with the TensorFlow interpreter (or by
the case script itself where writing them is part of the failure).

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more52.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g119): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more52.py"


# ---------------------------------------------------------------- data helpers
# Helpers the setups run with the TensorFlow interpreter (in the case's data folder) to write shards.
TFR_HEAD = '''
import os
import numpy as np
import tensorflow as tf


def _bytes(v):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=list(v) if isinstance(v, (list, tuple)) else [v]))


def _ints(v):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=[int(x) for x in np.ravel(v)]))


def _floats(v):
    return tf.train.Feature(float_list=tf.train.FloatList(value=[float(x) for x in np.ravel(v)]))


def _example(feats):
    return tf.train.Example(features=tf.train.Features(feature=feats)).SerializeToString()


def _jpeg(a):
    return tf.io.encode_jpeg(a, quality=90).numpy()


def _png(a):
    return tf.io.encode_png(a).numpy()


def _image(rng, h, w, c=3):
    return rng.integers(0, 255, size=(h, w, c), dtype=np.uint8)


def _blobs(rng, h, w, classes, lo=1):
    m = np.zeros((h, w), np.uint8)
    for _ in range(int(rng.integers(2, 6))):
        y0, x0 = int(rng.integers(0, h - 8)), int(rng.integers(0, w - 8))
        m[y0:y0 + int(rng.integers(6, h // 2)), x0:x0 + int(rng.integers(6, w // 2))] = int(rng.integers(lo, classes))
    return m[..., None]


def write_shards(folder, split, examples, shards):
    os.makedirs(folder, exist_ok=True)
    for s in range(shards):
        with tf.io.TFRecordWriter(f"{folder}/{split}-{s:05d}-of-{shards:05d}.tfrecord") as w:
            for ex in examples[s::shards]:
                w.write(ex)


def seg_examples(n, h, w, classes, seed, lo=1, mask_png=None):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        img = _image(rng, h, w)
        mask = _blobs(rng, h, w, classes, lo)
        out.append(_example({
            "image/encoded": _bytes(_jpeg(img)),
            "image/filename": _bytes(f"{seed}_{i:06d}.jpg".encode()),
            "image/format": _bytes(b"jpeg"),
            "image/height": _ints([h]),
            "image/width": _ints([w]),
            "image/segmentation/class/encoded": _bytes(mask_png(mask) if mask_png else _png(mask)),
            "image/segmentation/class/format": _bytes(b"png"),
        }))
    return out


def det_examples(n, h, w, class_names, seed, counts=None):
    """TF Object Detection API style records: normalised corner boxes, 1-based class ids."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        k = counts[i] if counts else int(rng.integers(1, 5))
        y0 = rng.uniform(0.0, 0.8, k); x0 = rng.uniform(0.0, 0.8, k)
        y1 = np.minimum(y0 + rng.uniform(0.05, 0.2, k), 1.0); x1 = np.minimum(x0 + rng.uniform(0.05, 0.2, k), 1.0)
        cls = rng.integers(0, len(class_names), k)
        out.append(_example({
            "image/encoded": _bytes(_jpeg(_image(rng, h, w))),
            "image/filename": _bytes(f"{seed}_{i:06d}.jpg".encode()),
            "image/height": _ints([h]),
            "image/width": _ints([w]),
            "image/object/bbox/ymin": _floats(y0),
            "image/object/bbox/xmin": _floats(x0),
            "image/object/bbox/ymax": _floats(y1),
            "image/object/bbox/xmax": _floats(x1),
            "image/object/class/label": _ints(cls + 1),
            "image/object/class/text": _bytes([class_names[c].encode() for c in cls]),
        }))
    return out
'''


def _records(code: str):
    """A setup that runs TFR_HEAD + `code` with the TF interpreter in the data folder."""
    def setup(d: Path):
        _prep("k3", TFR_HEAD + textwrap.dedent(code), d)
    return setup


drone_seg = _records("""
    # DJI frames, 4:3 (72 x 96 after the export's downscale), five land-cover classes
    write_shards("drone_seg", "train", seg_examples(24, 72, 96, 5, seed=5201), 2)
""")

rgbn_tiles = _records("""
    rng = np.random.default_rng(5202)
    exs = []
    for i in range(16):
        tile = rng.integers(0, 255, size=(64, 64, 4), dtype=np.uint8)       # R, G, B, NIR
        mask = _blobs(rng, 64, 64, 2)[..., 0]
        exs.append(_example({
            "image/raw": _bytes(tile.tobytes()),
            "image/shape": _ints(tile.shape),
            "mask/raw": _bytes(mask.tobytes()),
            "image/bands": _bytes([b"B04", b"B03", b"B02", b"B08"]),
        }))
    write_shards("field_boundaries", "train", exs, 2)
""")

ade_masks = _records("""
    # 0 = "other" (not a training class), 1..8 = the eight stuff classes
    write_shards("ade_subset", "train", seg_examples(24, 64, 64, 9, seed=5204, lo=0), 2)
""")

centernet_records = _records("""
    write_shards("warehouse_det", "train", det_examples(24, 128, 128, ["box", "pallet", "forklift"], seed=5205), 2)
""")

uint16_masks = _records("""
    # the labelling tool exports 16-bit label PNGs
    write_shards("rooftops", "train",
                 seg_examples(16, 64, 64, 4, seed=5206, mask_png=lambda m: _png(m.astype(np.uint16))), 2)
""")

street_seg = _records("""
    write_shards("street_seg", "train", seg_examples(24, 64, 64, 6, seed=5207), 2)
    write_shards("street_seg", "val", seg_examples(8, 64, 64, 6, seed=5208), 1)
""")

flat_pixels = _records("""
    rng = np.random.default_rng(5210)
    exs = []
    for i in range(32):
        img = rng.random((64, 64, 3), dtype=np.float32)            # already scaled to [0, 1] by the export
        exs.append(_example({"image": _floats(img.reshape(-1)), "label": _ints([i % 4])}))
    write_shards("insulators_np", "train", exs, 2)
""")

mixed_size_loc = _records("""
    rng = np.random.default_rng(5211)
    sizes = [(120, 160), (150, 200), (160, 120), (144, 192)]
    exs = []
    for i in range(24):
        h, w = sizes[i % 4]
        y0, x0 = rng.uniform(0.1, 0.5), rng.uniform(0.1, 0.5)
        box = [y0, x0, y0 + rng.uniform(0.1, 0.4), x0 + rng.uniform(0.1, 0.4)]
        exs.append(_example({"image/encoded": _bytes(_jpeg(_image(rng, h, w))),
                             "image/object/bbox": _floats(box)}))
    write_shards("meter_dials", "train", exs, 2)
""")

cache_records = _records("""
    write_shards("kitchen_seg", "train", seg_examples(120, 32, 32, 4, seed=5212), 4)
    write_shards("kitchen_seg", "val", seg_examples(16, 32, 32, 4, seed=5213), 1)
""")

instance_pngs = _records("""
    rng = np.random.default_rng(5214)
    exs = []
    for i in range(16):
        k = int(rng.integers(1, 4))
        masks = [_png((_blobs(rng, 64, 64, 2) * 255).astype(np.uint8)) for _ in range(k)]
        exs.append(_example({
            "image/encoded": _bytes(_jpeg(_image(rng, 64, 64))),
            "image/object/mask": _bytes(masks),
            "image/object/class/label": _ints(rng.integers(1, 3, k)),
        }))
    write_shards("cells_inst", "train", exs, 2)
""")

sparse_boxes = _records("""
    rng = np.random.default_rng(5215)
    exs = []
    for i in range(16):
        k = int(rng.integers(1, 5))
        y0 = rng.uniform(0, 0.7, k); x0 = rng.uniform(0, 0.7, k)
        boxes = np.stack([y0, x0, y0 + 0.2, x0 + 0.2], -1)
        exs.append(_example({
            "image/encoded": _bytes(_jpeg(_image(rng, 96, 96))),
            "image/object/bbox": _floats(boxes.reshape(-1)),       # ymin, xmin, ymax, xmax per box
            "image/object/class/label": _ints(rng.integers(0, 3, k)),
        }))
    write_shards("parcels_det", "train", exs, 2)
""")

footprints = _records("""
    rng = np.random.default_rng(5216)
    counts = [14, 22, 9, 31, 1800, 17, 25, 12, 19, 8, 27, 15]    # tile 4 is the dense old town
    exs = []
    for i, k in enumerate(counts):
        y0 = rng.uniform(0, 0.95, k); x0 = rng.uniform(0, 0.95, k)
        exs.append(_example({
            "image/encoded": _bytes(_jpeg(_image(rng, 512, 512))),
            "image/object/bbox/ymin": _floats(y0),
            "image/object/bbox/xmin": _floats(x0),
            "image/object/bbox/ymax": _floats(np.minimum(y0 + rng.uniform(0.01, 0.04, k), 1)),
            "image/object/bbox/xmax": _floats(np.minimum(x0 + rng.uniform(0.01, 0.04, k), 1)),
        }))
    write_shards("footprints", "train", exs, 2)
""")

coco_det = _records("""
    write_shards("coco_people", "train", det_examples(24, 96, 96, ["person", "bicycle", "car"], seed=5217), 2)
""")

plates_det = _records("""
    write_shards("parking_det", "train", det_examples(24, 96, 96, ["car", "van", "truck"], seed=5218), 2)
""")

meters_centre = _records("""
    rng = np.random.default_rng(5219)
    exs = []
    for i in range(24):
        cy, cx = rng.uniform(0.2, 0.8, 2)
        exs.append(_example({"image/encoded": _bytes(_jpeg(_image(rng, 128, 128))),
                             "centre": _floats([cy, cx])}))
    write_shards("valve_centres", "train", exs, 2)
""")

mirrored_seg = _records("""
    write_shards("crack_seg", "train", seg_examples(32, 64, 64, 3, seed=5220), 2)
""")

estimator_records = _records("""
    write_shards("signs_det", "train", det_examples(16, 96, 96, ["stop", "yield", "speed"], seed=5221), 2)
""")


def shelf_voc(d: Path):
    """LabelImg VOC files for shelf photos; two of them were saved with a 0 x 0 <size> block."""
    r = _rng(5203)
    names = ["cola", "water", "juice"]
    for i in range(14):
        w, h = 160, 120
        _jpg(d / "shelf" / "images" / f"IMG_{3100 + i}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        objs = ""
        for _ in range(int(r.integers(1, 4))):
            x1, y1 = int(r.integers(2, w - 40)), int(r.integers(2, h - 40))
            x2, y2 = x1 + int(r.integers(15, 38)), y1 + int(r.integers(15, 38))
            objs += (f"\n\t<object>\n\t\t<name>{names[int(r.integers(0, 3))]}</name>\n\t\t<pose>Unspecified</pose>"
                     f"\n\t\t<truncated>0</truncated>\n\t\t<difficult>0</difficult>\n\t\t<bndbox>\n"
                     f"\t\t\t<xmin>{x1}</xmin>\n\t\t\t<ymin>{y1}</ymin>\n\t\t\t<xmax>{x2}</xmax>\n"
                     f"\t\t\t<ymax>{y2}</ymax>\n\t\t</bndbox>\n\t</object>")
        sw, sh = (0, 0) if i in (5, 11) else (w, h)
        xml = (f"<annotation>\n\t<folder>images</folder>\n\t<filename>IMG_{3100 + i}.jpg</filename>\n"
               f"\t<size>\n\t\t<width>{sw}</width>\n\t\t<height>{sh}</height>\n\t\t<depth>3</depth>\n\t</size>\n"
               f"\t<segmented>0</segmented>{objs}\n</annotation>\n")
        p = d / "shelf" / "annotations" / f"IMG_{3100 + i}.xml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(xml)


def defect_photos(d: Path):
    r = _rng(5209)
    for c in ("crack", "dent", "ok", "scratch"):
        for i in range(9):
            _jpg(d / "defects" / c / f"{c}_{i:03d}.jpg", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))


def road_pngs(d: Path):
    r = _rng(5222)
    for i in range(24):
        _png(d / "roads" / "images" / f"tile_{i:04d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        _png(d / "roads" / "masks" / f"tile_{i:04d}.png", (r.random((64, 64)) > 0.8).astype("uint8"))


# the U-Net of the weights case, written identically by the setup (the 21-class VOC run) and the notebook
UNET = '''
def build_unet(num_classes, size=64):
    inputs = keras.Input((size, size, 3))
    x = layers.Rescaling(1.0 / 255)(inputs)
    skips = []
    for f in (16, 32):
        x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    for f, s in zip((32, 16), reversed(skips)):
        x = layers.UpSampling2D()(x)
        x = layers.Concatenate()([x, s])
        x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
    outputs = layers.Conv2D(num_classes, 1)(x)
    return keras.Model(inputs, outputs)
'''


def voc_run_checkpoint(d: Path):
    street_seg(d)
    _prep("k3", "import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n" + UNET + """
model = build_unet(21)
optimizer = keras.optimizers.Adam(1e-3)
loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
x = np.random.default_rng(0).random((4, 64, 64, 3)).astype("float32") * 255
y = np.zeros((4, 64, 64), "int64")
with tf.GradientTape() as tape:
    loss = loss_fn(y, model(x, training=True))
optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
step = tf.Variable(0, dtype=tf.int64)
ckpt = tf.train.Checkpoint(step=step, model=model, optimizer=optimizer)
manager = tf.train.CheckpointManager(ckpt, "runs/unet_voc", max_to_keep=3)
for s in (4000, 8000, 12000):
    step.assign(s)
    manager.save(checkpoint_number=s)
""", d)


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more52-drone-seg-tfrecord-random-rot90-on-4x3-frames-before-batch-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=drone_seg,
        pty=True,
        expect="Cannot batch tensors with different shapes",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        tf.random.set_seed(11)
        NUM_CLASSES = 5
        BATCH = 8
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/height": tf.io.FixedLenFeature([], tf.int64),
            "image/width": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.io.decode_jpeg(ex["image/encoded"], channels=3)
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
            return tf.image.convert_image_dtype(image, tf.float32), mask


        def augment(image, mask):
            # nadir shots have no "up": any quarter turn and either flip gives a valid sample
            k = tf.random.uniform([], 0, 4, dtype=tf.int32)
            image, mask = tf.image.rot90(image, k), tf.image.rot90(mask, k)
            flip = tf.random.uniform([]) > 0.5
            image = tf.cond(flip, lambda: tf.image.flip_left_right(image), lambda: image)
            mask = tf.cond(flip, lambda: tf.image.flip_left_right(mask), lambda: mask)
            return image, mask


        files = sorted(glob.glob("{DATA}/drone_seg/train-*.tfrecord"))
        print(len(files), "shards")
        train_ds = (tf.data.TFRecordDataset(files)
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .cache()
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(64)
                    .batch(BATCH)
                    .prefetch(tf.data.AUTOTUNE))


        def block(x, filters):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)


        inputs = keras.Input((None, None, 3))
        c1 = block(inputs, 16)
        c2 = block(layers.MaxPooling2D()(c1), 32)
        b = block(layers.MaxPooling2D()(c2), 64)
        u2 = block(layers.Concatenate()([layers.UpSampling2D()(b), c2]), 32)
        u1 = block(layers.Concatenate()([layers.UpSampling2D()(u2), c1]), 16)
        outputs = layers.Conv2D(NUM_CLASSES, 1)(u1)
        model = keras.Model(inputs, outputs)

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more52-rgbn-tiles-raw-bytes-rgb-colour-jitter-random-saturation-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=rgbn_tiles,
        pty=True,
        expect="input must have 3 channels",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        FEATURES = {
            "image/raw": tf.io.FixedLenFeature([], tf.string),
            "image/shape": tf.io.FixedLenFeature([3], tf.int64),
            "mask/raw": tf.io.FixedLenFeature([], tf.string),
        }
        BANDS = 4          # R, G, B + NIR: the NIR band is what separates hedges from grass


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            shape = ex["image/shape"]
            image = tf.reshape(tf.io.decode_raw(ex["image/raw"], tf.uint8), shape)
            mask = tf.reshape(tf.io.decode_raw(ex["mask/raw"], tf.uint8), shape[:2])[..., None]
            return tf.cast(image, tf.float32) / 255.0, mask


        # photometric augmentation, same as in the RGB field-boundary project
        def augment(image, mask):
            flip = tf.random.uniform([]) > 0.5
            image = tf.cond(flip, lambda: tf.image.flip_left_right(image), lambda: image)
            mask = tf.cond(flip, lambda: tf.image.flip_left_right(mask), lambda: mask)
            image = tf.image.random_brightness(image, 0.1)
            image = tf.image.random_saturation(image, 0.8, 1.2)
            return tf.clip_by_value(image, 0.0, 1.0), mask


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/field_boundaries/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        inputs = keras.Input((64, 64, BANDS))
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.BinaryIoU()])
        model.fit(train_ds, epochs=15)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more52-labelimg-zero-size-block-normalised-inf-boxes-crop-and-resize-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=shelf_voc,
        expect="not finite",
        code="""
        import glob
        import os
        import xml.etree.ElementTree as ET

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/shelf"
        CLASSES = ["cola", "water", "juice"]
        RECORD = "{DATA}/shelf_crops.tfrecord"


        def voc_to_example(xml_path):
            root = ET.parse(xml_path).getroot()
            size = root.find("size")
            w, h = int(size.find("width").text), int(size.find("height").text)
            boxes, labels = [], []
            for obj in root.findall("object"):
                bb = obj.find("bndbox")
                yxyx = np.array([float(bb.find(k).text) for k in ("ymin", "xmin", "ymax", "xmax")], np.float32)
                boxes.append(yxyx / np.array([h, w, h, w], np.float32))          # normalise to 0..1
                labels.append(CLASSES.index(obj.find("name").text))
            boxes = np.array(boxes, np.float32)
            with open(os.path.join(ROOT, "images", root.find("filename").text), "rb") as f:
                jpeg = f.read()
            feats = {
                "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[jpeg])),
                "image/object/bbox": tf.train.Feature(float_list=tf.train.FloatList(value=boxes.reshape(-1))),
                "image/object/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=labels)),
            }
            return tf.train.Example(features=tf.train.Features(feature=feats))


        if not os.path.exists(RECORD):
            with tf.io.TFRecordWriter(RECORD) as writer:
                for xml_path in sorted(glob.glob(f"{ROOT}/annotations/*.xml")):
                    writer.write(voc_to_example(xml_path).SerializeToString())
            print("wrote", RECORD)

        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox": tf.io.VarLenFeature(tf.float32),
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def to_crops(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            boxes = tf.reshape(tf.sparse.to_dense(ex["image/object/bbox"]), [-1, 4])
            labels = tf.sparse.to_dense(ex["image/object/class/label"])
            crops = tf.image.crop_and_resize(image[None], boxes, tf.zeros(tf.shape(boxes)[0], tf.int32), (64, 64))
            return tf.data.Dataset.from_tensor_slices((crops, labels))


        crops_ds = (tf.data.TFRecordDataset(RECORD)
                    .flat_map(to_crops)
                    .shuffle(128)
                    .batch(16)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(crops_ds, epochs=10, verbose=2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more52-ade-style-masks-reduce-zero-label-uint8-minus-one-wraps-255-tfk2",
        cause="data.label_out_of_range",
        env="tfk2",
        exception="InvalidArgumentError",
        setup=ade_masks,
        pty=True,
        expect="255",
        code="""
        import glob

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        NUM_CLASSES = 8        # wall, floor, ceiling, bed, window, cabinet, person, door
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
            # ADE20K convention ("reduce_zero_label"): 0 is "other" and is not trained, 1..8 -> 0..7
            mask = mask - 1
            return image, mask


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/ade_subset/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(64)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling2D(interpolation="bilinear")(x)
        outputs = layers.Conv2D(NUM_CLASSES, 1)(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more52-centernet-heatmaps-drawn-on-input-grid-for-stride-4-head-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=centernet_records,
        pty=True,
        expect="32",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 128
        STRIDE = 4
        CLASSES = ["box", "pallet", "forklift"]
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox/ymin": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/xmin": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/ymax": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/xmax": tf.io.VarLenFeature(tf.float32),
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def draw_heatmap(boxes, classes, size):
            \"\"\"One Gaussian peak per object at its centre, max over objects, one channel per class.\"\"\"
            cy = (boxes[:, 0] + boxes[:, 2]) / 2 * size
            cx = (boxes[:, 1] + boxes[:, 3]) / 2 * size
            sigma = tf.maximum((boxes[:, 2] - boxes[:, 0]) * size / 6, 1.0)
            grid = tf.range(size, dtype=tf.float32)
            gy = tf.exp(-((grid[None, :] - cy[:, None]) ** 2) / (2 * sigma[:, None] ** 2))     # (N, H)
            gx = tf.exp(-((grid[None, :] - cx[:, None]) ** 2) / (2 * sigma[:, None] ** 2))     # (N, W)
            peaks = gy[:, :, None] * gx[:, None, :]                                             # (N, H, W)
            onehot = tf.one_hot(classes, len(CLASSES))                                          # (N, C)
            return tf.reduce_max(peaks[..., None] * onehot[:, None, None, :], axis=0)           # (H, W, C)


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.resize(tf.io.decode_jpeg(ex["image/encoded"], channels=3), (IMG, IMG)) / 255.0
            boxes = tf.stack([tf.sparse.to_dense(ex[f"image/object/bbox/{k}"])
                              for k in ("ymin", "xmin", "ymax", "xmax")], axis=-1)
            classes = tf.sparse.to_dense(ex["image/object/class/label"]) - 1
            return image, draw_heatmap(boxes, classes, IMG)


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/warehouse_det/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(64)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))


        def centernet_focal_loss(y_true, y_pred, alpha=2.0, beta=4.0):
            y_pred = tf.clip_by_value(y_pred, 1e-4, 1 - 1e-4)
            pos = tf.cast(tf.equal(y_true, 1.0), tf.float32)
            pos_loss = -tf.math.log(y_pred) * (1 - y_pred) ** alpha * pos
            neg_loss = -tf.math.log(1 - y_pred) * y_pred ** alpha * (1 - y_true) ** beta * (1 - pos)
            num_pos = tf.maximum(tf.reduce_sum(pos), 1.0)
            return (tf.reduce_sum(pos_loss) + tf.reduce_sum(neg_loss)) / num_pos


        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)     # stride 4
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        heat = layers.Conv2D(len(CLASSES), 1, activation="sigmoid", name="heatmap")(x)
        model = keras.Model(inputs, heat)
        print("heat map head:", model.output_shape)

        model.compile(optimizer=keras.optimizers.Adam(5e-4), loss=centernet_focal_loss)
        model.fit(train_ds, epochs=30)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more52-sixteen-bit-label-pngs-decoded-uint16-one-hot-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=uint16_masks,
        expect="uint16",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 4          # background, flat roof, pitched roof, solar panel
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            # the labelling tool writes 16-bit PNGs; decoding them as uint8 would scale the ids
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1, dtype=tf.uint16)
            mask = tf.one_hot(tf.squeeze(mask, -1), NUM_CLASSES)          # for the Dice + CE loss
            return image, mask


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/rooftops/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))


        def dice_ce(y_true, y_pred):
            inter = tf.reduce_sum(y_true * y_pred, axis=(1, 2))
            union = tf.reduce_sum(y_true + y_pred, axis=(1, 2))
            dice = 1 - tf.reduce_mean((2 * inter + 1) / (union + 1))
            return dice + keras.losses.categorical_crossentropy(y_true, y_pred)


        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=dice_ce)
        model.fit(train_ds, epochs=20)
        """,
    ),
    Case(
        name="keras-more52-fpn-merge-layer-tf-image-resize-float32-plus-float16-lateral-mixed-precision-k3",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        setup=street_seg,
        expect="float16",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        keras.mixed_precision.set_global_policy("mixed_float16")
        NUM_CLASSES = 6
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
            return image, mask


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/street_seg/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))


        class UpsampleAdd(layers.Layer):
            \"\"\"FPN top-down merge: resize the coarser map to the lateral's size and add.\"\"\"

            def call(self, inputs):
                top, lateral = inputs
                up = tf.image.resize(top, tf.shape(lateral)[1:3])
                return up + lateral


        inputs = keras.Input((64, 64, 3))
        c2 = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)    # 1/2
        c3 = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(c2)        # 1/4
        c4 = layers.Conv2D(128, 3, strides=2, padding="same", activation="relu")(c3)       # 1/8
        p4 = layers.Conv2D(64, 1)(c4)
        p3 = UpsampleAdd()([p4, layers.Conv2D(64, 1)(c3)])
        p2 = UpsampleAdd()([p3, layers.Conv2D(64, 1)(c2)])
        x = layers.UpSampling2D(interpolation="bilinear")(p2)
        outputs = layers.Conv2D(NUM_CLASSES, 1, dtype="float32")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=10)
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more52-nb-tfrecord-writer-left-open-next-cell-trains-on-shard-k3",
        cause="data.missing_or_corrupt",
        also=("model.api_misuse",),
        exception="DataLossError",
        expect="truncated record",
        **notebook([
            """
            import glob
            import os

            import tensorflow as tf
            import keras
            from keras import layers

            CLASSES = ["crack", "dent", "ok", "scratch"]
            RECORD = "{DATA}/defects_train.tfrecord"
            """,
            """
            # pack the photos into one shard (the folder is on a slow network drive)
            writer = tf.io.TFRecordWriter(RECORD)
            n = 0
            for path in sorted(glob.glob("{DATA}/defects/*/*.jpg")):
                label = CLASSES.index(os.path.basename(os.path.dirname(path)))
                with open(path, "rb") as f:
                    feats = {
                        "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[f.read()])),
                        "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
                    }
                writer.write(tf.train.Example(features=tf.train.Features(feature=feats)).SerializeToString())
                n += 1
            print("wrote", n, "examples to", RECORD)
            """,
            """
            FEATURES = {
                "image/encoded": tf.io.FixedLenFeature([], tf.string),
                "image/class/label": tf.io.FixedLenFeature([], tf.int64),
            }

            def parse(record):
                ex = tf.io.parse_single_example(record, FEATURES)
                image = tf.image.resize(tf.io.decode_jpeg(ex["image/encoded"], channels=3), (96, 96)) / 255.0
                return image, ex["image/class/label"]

            train_ds = tf.data.TFRecordDataset(RECORD).map(parse).shuffle(64).batch(8).prefetch(tf.data.AUTOTUNE)

            model = keras.Sequential([
                keras.Input((96, 96, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(CLASSES), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=10, verbose=2)
            """,
        ], data=defect_photos),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more52-flat-floatlist-pixels-parse-example-batched-into-conv2d-model-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=flat_pixels,
        pty=True,
        expect="12288",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        CLASSES = ["glass_ok", "glass_broken", "porcelain_ok", "porcelain_flashover"]
        # written by the export notebook: pixels already scaled to [0, 1], one float per value
        FEATURES = {
            "image": tf.io.FixedLenFeature([IMG * IMG * 3], tf.float32),
            "label": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse_batch(records):
            ex = tf.io.parse_example(records, FEATURES)      # vectorised: parse a whole batch at once
            return ex["image"], ex["label"]


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/insulators_np/train-*.tfrecord")))
                    .shuffle(256)
                    .batch(16)
                    .map(parse_batch, num_parallel_calls=tf.data.AUTOTUNE)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more52-padded-batch-to-largest-photo-of-batch-fixed-size-flatten-localiser-k3",
        cause="model.input_shape",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=mixed_size_loc,
        pty=True,
        expect="Matrix size-incompatible",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        MAX_H, MAX_W = 150, 200          # the largest photos in the set
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox": tf.io.FixedLenFeature([4], tf.float32),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            h = tf.cast(tf.shape(image)[0], tf.float32)
            w = tf.cast(tf.shape(image)[1], tf.float32)
            # boxes are relative to the photo; make them relative to the padded canvas
            box = ex["image/object/bbox"] * tf.stack([h / MAX_H, w / MAX_W, h / MAX_H, w / MAX_W])
            return image, box


        # no resizing: padding at the bottom / right keeps the dial undistorted and the box valid
        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/meter_dials/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(64)
                    .padded_batch(8, padded_shapes=([None, None, 3], [4]))
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((MAX_H, MAX_W, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.Huber())
        model.fit(train_ds, epochs=25)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more52-deep-supervision-unet-aux-output-guide-train-step-single-loss-k3",
        cause="model.output_mismatch",
        also=("model.api_misuse",),
        exception="KeyError",
        setup=street_seg,
        expect="can't be found",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 6
        AUX_WEIGHT = 0.4
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
            return image, mask


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/street_seg/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(64)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))


        class DeepSupervisedUNet(keras.Model):
            # the custom train_step of the Keras guide "Customizing what happens in fit()"
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                for metric in self.metrics:
                    if metric.name == "loss":
                        metric.update_state(loss)
                    else:
                        metric.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}


        def block(x, f):
            x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(f, 3, padding="same", activation="relu")(x)


        inputs = keras.Input((64, 64, 3))
        e1 = block(inputs, 16)
        e2 = block(layers.MaxPooling2D()(e1), 32)
        b = block(layers.MaxPooling2D()(e2), 64)
        d2 = block(layers.Concatenate()([layers.UpSampling2D()(b), e2]), 32)
        aux = layers.UpSampling2D(name="aux_up")(layers.Conv2D(NUM_CLASSES, 1, name="aux_logits")(d2))
        d1 = block(layers.Concatenate()([layers.UpSampling2D()(d2), e1]), 16)
        main = layers.Conv2D(NUM_CLASSES, 1, name="main_logits")(d1)
        model = DeepSupervisedUNet(inputs, [main, aux])      # aux head: deep supervision at 1/2 scale

        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=20, verbose=2)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more52-nb-checkpoint-manager-warm-start-voc-21-class-run-six-class-head-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="Received incompatible tensor",
        **notebook([
            textwrap.dedent("""
            import glob

            import tensorflow as tf
            import keras
            from keras import layers

            NUM_CLASSES = 6        # road, sidewalk, building, vegetation, car, background
            """) + UNET,
            """
            model = build_unet(NUM_CLASSES)
            optimizer = keras.optimizers.Adam(1e-4)
            step = tf.Variable(0, dtype=tf.int64)
            ckpt = tf.train.Checkpoint(step=step, model=model, optimizer=optimizer)
            # warm start from the Pascal VOC run
            manager = tf.train.CheckpointManager(ckpt, "{DATA}/runs/unet_voc", max_to_keep=3)
            print("latest:", manager.latest_checkpoint)
            status = ckpt.restore(manager.latest_checkpoint)
            print("resuming from step", int(step))
            """,
            """
            FEATURES = {
                "image/encoded": tf.io.FixedLenFeature([], tf.string),
                "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
            }

            def parse(record):
                ex = tf.io.parse_single_example(record, FEATURES)
                image = tf.cast(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
                return image, tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)

            train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/street_seg/train-*.tfrecord")))
                        .map(parse).shuffle(64).batch(8))
            loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

            @tf.function
            def train_step(x, y):
                with tf.GradientTape() as tape:
                    loss = loss_fn(y, model(x, training=True))
                optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                              model.trainable_variables))
                return loss

            for epoch in range(5):
                for x, y in train_ds:
                    loss = train_step(x, y)
                    step.assign_add(1)
                manager.save()
                print(f"epoch {epoch}: loss {float(loss):.4f}")
            """,
        ], data=voc_run_checkpoint),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more52-varlen-boxes-sparse-reshape-straight-into-padded-batch-tfk2",
        cause="model.api_misuse",
        env="tfk2",
        exception="TypeError",
        setup=sparse_boxes,
        expect="padded_batch",
        code="""
        import glob

        import tensorflow as tf
        from tensorflow import keras

        MAX_BOXES = 20
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox": tf.io.VarLenFeature(tf.float32),
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            boxes = tf.sparse.reshape(ex["image/object/bbox"], [-1, 4])        # (num_boxes, 4)
            classes = ex["image/object/class/label"]
            return image, boxes, classes


        files = sorted(glob.glob("{DATA}/parcels_det/train-*.tfrecord"))
        ds = tf.data.TFRecordDataset(files).map(parse, num_parallel_calls=tf.data.AUTOTUNE)
        print(ds.element_spec)
        ds = ds.padded_batch(8, padded_shapes=([96, 96, 3], [MAX_BOXES, 4], [MAX_BOXES]),
                             padding_values=(0.0, 0.0, tf.constant(-1, tf.int64)))
        ds = ds.prefetch(tf.data.AUTOTUNE)

        for images, boxes, classes in ds.take(1):
            print(images.shape, boxes.shape, classes.shape)
        """,
    ),
    Case(
        name="keras-more52-make-dataset-default-cache-file-shared-by-train-and-val-lockfile-k3",
        cause="model.api_misuse",
        exception="AlreadyExistsError",
        setup=cache_records,
        pty=True,
        expect="lockfile",
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 4
        STEPS_PER_EPOCH = 4      # short epochs: we want to see val mIoU often
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
            return image, mask


        def augment(image, mask):
            flip = tf.random.uniform([]) > 0.5
            image = tf.cond(flip, lambda: tf.image.flip_left_right(image), lambda: image)
            mask = tf.cond(flip, lambda: tf.image.flip_left_right(mask), lambda: mask)
            return tf.image.random_brightness(image, 0.1), mask


        def make_dataset(pattern, training, batch_size=8, cache_file="tf_cache/kitchen"):
            ds = tf.data.Dataset.list_files(pattern, shuffle=training)
            ds = ds.interleave(tf.data.TFRecordDataset, cycle_length=4, num_parallel_calls=tf.data.AUTOTUNE)
            ds = ds.map(parse, num_parallel_calls=tf.data.AUTOTUNE).cache(cache_file)   # decoding is the slow part
            if training:
                ds = ds.shuffle(32).map(augment, num_parallel_calls=tf.data.AUTOTUNE).repeat()
            return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


        os.makedirs("tf_cache", exist_ok=True)
        train_ds = make_dataset("{DATA}/kitchen_seg/train-*.tfrecord", training=True)
        val_ds = make_dataset("{DATA}/kitchen_seg/val-*.tfrecord", training=False)

        inputs = keras.Input((32, 32, 3))
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(NUM_CLASSES, 1)(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=[keras.metrics.MeanIoU(NUM_CLASSES, sparse_y_pred=False)])
        model.fit(train_ds, validation_data=val_ds, steps_per_epoch=STEPS_PER_EPOCH, epochs=30)
        """,
    ),
    Case(
        name="keras-more52-instance-mask-png-list-map-fn-decode-without-fn-output-signature-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=instance_pngs,
        expect="DataType string",
        code="""
        import glob

        import tensorflow as tf

        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/mask": tf.io.VarLenFeature(tf.string),          # one PNG per instance
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            pngs = tf.sparse.to_dense(ex["image/object/mask"], default_value="")
            masks = tf.map_fn(lambda png: tf.io.decode_png(png, channels=1), pngs)     # (N, H, W, 1)
            masks = tf.cast(masks[..., 0] > 127, tf.float32)
            labels = tf.sparse.to_dense(ex["image/object/class/label"])
            return image, {"masks": masks, "labels": labels}


        files = sorted(glob.glob("{DATA}/cells_inst/train-*.tfrecord"))
        train_ds = (tf.data.TFRecordDataset(files)
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .padded_batch(4)
                    .prefetch(tf.data.AUTOTUNE))

        for images, targets in train_ds.take(2):
            print(images.shape, targets["masks"].shape, targets["labels"].numpy())
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more52-mirrored-seg-loop-sum-reduction-never-divided-sgd-momentum-nan-tfk2",
        cause="optim.divergence",
        env="tfk2",
        exception="InvalidArgumentError",
        setup=mirrored_seg,
        expect="NaN",
        code="""
        import glob

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        print("replicas:", strategy.num_replicas_in_sync)

        NUM_CLASSES = 3
        GLOBAL_BATCH = 8
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.cast(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32) / 127.5 - 1.0
            mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
            return image, mask


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/crack_seg/train-*.tfrecord")))
                    .map(parse).shuffle(64).repeat().batch(GLOBAL_BATCH, drop_remainder=True))
        dist_ds = strategy.experimental_distribute_dataset(train_ds)

        with strategy.scope():
            inputs = keras.Input((64, 64, 3))
            x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
            x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
            outputs = layers.Conv2D(NUM_CLASSES, 1)(x)
            model = keras.Model(inputs, outputs)
            optimizer = keras.optimizers.SGD(learning_rate=1e-3, momentum=0.9)

        CLASS_WEIGHTS = tf.constant([0.1, 1.0, 5.0])        # background, crack, spalling


        def replica_step(inputs):
            images, masks = inputs
            with tf.GradientTape() as tape:
                probs = tf.nn.softmax(model(images, training=True))
                onehot = tf.one_hot(masks[..., 0], NUM_CLASSES)
                # class-weighted pixel cross-entropy; the distributed-training guide says to sum per
                # replica and let strategy.reduce add the replicas up
                loss = -tf.reduce_sum(onehot * tf.math.log(probs) * CLASS_WEIGHTS)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        @tf.function
        def train_step(batch):
            per_replica = strategy.run(replica_step, args=(batch,))
            loss = strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)
            return tf.debugging.check_numerics(loss, "segmentation loss")


        it = iter(dist_ds)
        for step in range(1, 201):
            loss = train_step(next(it))
            print(f"step {step}: loss {float(loss):.1f}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more52-centre-point-loss-decodes-heatmap-peak-with-argmax-train-step-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=meters_centre,
        pty=True,
        expect="No gradients provided",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG, STRIDE = 128, 4
        GRID = IMG // STRIDE
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "centre": tf.io.FixedLenFeature([2], tf.float32),          # (cy, cx), normalised
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            return image, ex["centre"]


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/valve_centres/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .shuffle(64)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))


        class CentreNet(keras.Model):
            \"\"\"Heat-map localiser trained directly on the pixel error of the decoded centre.\"\"\"

            def decode(self, heat):
                flat = tf.reshape(heat, [tf.shape(heat)[0], -1])
                idx = tf.argmax(flat, axis=-1, output_type=tf.int32)
                cy = tf.cast(idx // GRID, tf.float32) + 0.5
                cx = tf.cast(idx % GRID, tf.float32) + 0.5
                return tf.stack([cy, cx], axis=-1) / GRID

            def train_step(self, data):
                images, centres = data
                with tf.GradientTape() as tape:
                    heat = self(images, training=True)
                    pred = self.decode(heat)
                    loss = tf.reduce_mean(tf.abs(pred - centres)) * IMG          # mean pixel error
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                self.loss_tracker.update_state(loss)
                return {"pixel_error": self.loss_tracker.result()}

            @property
            def metrics(self):
                return [self.loss_tracker]


        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        heat = layers.Conv2D(1, 1, activation="sigmoid")(x)
        model = CentreNet(inputs, heat)
        model.loss_tracker = keras.metrics.Mean(name="pixel_error")
        model.compile(optimizer=keras.optimizers.Adam(1e-3))
        model.fit(train_ds, epochs=20)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more52-box-supervised-footprints-per-instance-masks-in-tf-function-step-oom-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=footprints,
        as_limit=10 * 1024**3,
        timeout=400,
        expect="OOM when allocating",
        code="""
        import glob
        import os
        os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"      # silence the oneDNN notice

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 512
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            **{f"image/object/bbox/{k}": tf.io.VarLenFeature(tf.float32) for k in ("ymin", "xmin", "ymax", "xmax")},
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            boxes = tf.stack([tf.sparse.to_dense(ex[f"image/object/bbox/{k}"])
                              for k in ("ymin", "xmin", "ymax", "xmax")], axis=-1)
            return image, boxes


        # boxes only (the footprint polygons are not drawn yet): pad to the most crowded tile of the batch
        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/footprints/train-*.tfrecord")))
                    .map(parse, num_parallel_calls=tf.data.AUTOTUNE)
                    .padded_batch(8, padded_shapes=([IMG, IMG, 3], [None, 4]), padding_values=(0.0, -1.0))
                    .prefetch(1))


        def box_masks(boxes):
            \"\"\"(B, N, 4) normalised boxes -> (B, N, H, W) filled box masks, one per building.\"\"\"
            ys = (tf.range(IMG, dtype=tf.float32) + 0.5) / IMG
            xs = (tf.range(IMG, dtype=tf.float32) + 0.5) / IMG
            b = boxes[:, :, :, None, None]
            inside = ((ys[None, None, :, None] >= b[:, :, 0]) & (ys[None, None, :, None] < b[:, :, 2]) &
                      (xs[None, None, None, :] >= b[:, :, 1]) & (xs[None, None, None, :] < b[:, :, 3]))
            return tf.cast(inside, tf.float32)


        inputs = keras.Input((IMG, IMG, 3))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
        outputs = layers.Conv2D(1, 1)(x)
        model = keras.Model(inputs, outputs)
        optimizer = keras.optimizers.Adam(1e-3)
        bce = keras.losses.BinaryCrossentropy(from_logits=True)


        @tf.function
        def train_step(images, boxes):
            masks = box_masks(boxes)                                   # (B, N, H, W)
            target = tf.reduce_max(masks, axis=1)[..., None]           # building / not building
            with tf.GradientTape() as tape:
                loss = bce(target, model(images, training=True))
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
            return loss


        for epoch in range(10):
            for step, (images, boxes) in enumerate(train_ds):
                loss = train_step(images, boxes)
                print(f"epoch {epoch} step {step}: boxes {boxes.shape}, loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more52-estimator-era-input-fn-mode-keys-default-on-tf-2-21-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=estimator_records,
        expect="estimator",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 96
        NUM_CLASSES = 3
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def _parse(record, training):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            if training:
                image = tf.image.random_flip_left_right(image)
                image = tf.image.random_brightness(image, 0.15)
            label = tf.sparse.to_dense(ex["image/object/class/label"])[0] - 1     # main sign of the photo
            return image, label


        # input_fn kept from the Estimator version of the pipeline
        def input_fn(file_pattern, mode=tf.estimator.ModeKeys.TRAIN, batch_size=16):
            training = mode == tf.estimator.ModeKeys.TRAIN
            files = tf.data.Dataset.list_files(file_pattern, shuffle=training)
            ds = files.interleave(tf.data.TFRecordDataset, num_parallel_calls=tf.data.AUTOTUNE)
            ds = ds.map(lambda r: _parse(r, training), num_parallel_calls=tf.data.AUTOTUNE)
            if training:
                ds = ds.shuffle(256).repeat()
            return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)


        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(input_fn("{DATA}/signs_det/train-*.tfrecord"), steps_per_epoch=10, epochs=5)
        """,
    ),
    Case(
        name="keras-more52-tf1-dataset-output-shapes-given-to-padded-batch-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=coco_det,
        expect="output_shapes",
        code="""
        import glob

        import tensorflow as tf

        MAX_BOXES = 16
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            **{f"image/object/bbox/{k}": tf.io.VarLenFeature(tf.float32) for k in ("ymin", "xmin", "ymax", "xmax")},
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.resize(tf.io.decode_jpeg(ex["image/encoded"], channels=3), (96, 96)) / 255.0
            boxes = tf.stack([tf.sparse.to_dense(ex[f"image/object/bbox/{k}"])
                              for k in ("ymin", "xmin", "ymax", "xmax")], axis=-1)
            labels = tf.sparse.to_dense(ex["image/object/class/label"])
            return image, boxes, labels


        files = tf.io.gfile.glob("{DATA}/coco_people/train-*.tfrecord")
        dataset = tf.data.TFRecordDataset(files).map(parse, num_parallel_calls=4)
        dataset = dataset.shuffle(100)
        dataset = dataset.padded_batch(8, padded_shapes=dataset.output_shapes,
                                       padding_values=(0.0, 0.0, tf.constant(-1, tf.int64)))
        dataset = dataset.prefetch(2)

        for images, boxes, labels in dataset.take(3):
            print(images.shape, boxes.shape, labels.shape)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more52-pydataset-multiprocessing-workers-open-own-pool-for-masks-k3",
        cause="env.multiprocessing",
        # TF's UnknownError ends the run; its message carries the worker's AssertionError, which is the failure
        exception="AssertionError",
        setup=road_pngs,
        expect="daemonic processes are not allowed to have children",
        code="""
        import glob
        import math
        import multiprocessing as mp

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image


        def load_pair(paths):
            img_path, mask_path = paths
            image = np.asarray(Image.open(img_path).convert("RGB"), np.float32) / 255.0
            mask = np.asarray(Image.open(mask_path), np.float32)[..., None]
            return image, mask


        class RoadTiles(keras.utils.PyDataset):
            def __init__(self, root, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.images = sorted(glob.glob(f"{root}/images/*.png"))
                self.masks = sorted(glob.glob(f"{root}/masks/*.png"))
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.images) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                # decode the PNG pairs of the batch in parallel
                with mp.Pool(4) as pool:
                    pairs = pool.map(load_pair, list(zip(self.images[sl], self.masks[sl])))
                return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])


        if __name__ == "__main__":
            train = RoadTiles("{DATA}/roads", batch_size=8, workers=4, use_multiprocessing=True)
            print(len(train.images), "tiles,", len(train), "batches")

            inputs = keras.Input((64, 64, 3))
            x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
            x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
            outputs = layers.Conv2D(1, 1, activation="sigmoid")(x)
            model = keras.Model(inputs, outputs)
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.BinaryIoU()])
            model.fit(train, epochs=10, verbose=2)
        """,
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more52-mirrored-custom-loop-strategy-reduce-scalar-loss-axis-0-k3",
        cause="env.distributed",
        exception="ValueError",
        setup=plates_det,
        expect="Invalid reduction dimension",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        print("replicas:", strategy.num_replicas_in_sync)

        PER_REPLICA_BATCH = 4
        GLOBAL_BATCH = PER_REPLICA_BATCH * strategy.num_replicas_in_sync
        NUM_CLASSES = 3
        FEATURES = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, FEATURES)
            image = tf.image.convert_image_dtype(tf.io.decode_jpeg(ex["image/encoded"], channels=3), tf.float32)
            label = tf.sparse.to_dense(ex["image/object/class/label"])[0] - 1
            return image, label


        train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/parking_det/train-*.tfrecord")))
                    .map(parse).shuffle(64).batch(GLOBAL_BATCH, drop_remainder=True))
        dist_ds = strategy.experimental_distribute_dataset(train_ds)

        with strategy.scope():
            model = keras.Sequential([
                keras.Input((96, 96, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(NUM_CLASSES),
            ])
            optimizer = keras.optimizers.Adam(1e-3)
            loss_obj = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)


        def replica_step(inputs):
            images, labels = inputs
            with tf.GradientTape() as tape:
                per_example = loss_obj(labels, model(images, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        @tf.function
        def distributed_train_step(batch):
            per_replica_losses = strategy.run(replica_step, args=(batch,))
            return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=0)


        for epoch in range(5):
            total, n = 0.0, 0
            for batch in dist_ds:
                total += float(distributed_train_step(batch))
                n += 1
            print(f"epoch {epoch}: loss {total / n:.4f}")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more52-nb-preprocess-return-indented-under-if-training-val-map-none-k3",
        cause="other",
        exception="InvalidArgumentError",
        expect="output_types",
        **notebook([
            """
            import glob

            import tensorflow as tf
            import keras
            from keras import layers

            NUM_CLASSES = 6
            FEATURES = {
                "image/encoded": tf.io.FixedLenFeature([], tf.string),
                "image/segmentation/class/encoded": tf.io.FixedLenFeature([], tf.string),
            }

            def parse(record):
                ex = tf.io.parse_single_example(record, FEATURES)
                image = tf.io.decode_jpeg(ex["image/encoded"], channels=3)
                mask = tf.io.decode_png(ex["image/segmentation/class/encoded"], channels=1)
                return image, mask
            """,
            """
            def preprocess(image, mask, training=False):
                image = tf.image.convert_image_dtype(image, tf.float32)
                if training:
                    flip = tf.random.uniform([]) > 0.5
                    image = tf.cond(flip, lambda: tf.image.flip_left_right(image), lambda: image)
                    mask = tf.cond(flip, lambda: tf.image.flip_left_right(mask), lambda: mask)
                    image = tf.image.random_brightness(image, 0.1)
                    return image, mask
            """,
            """
            train_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/street_seg/train-*.tfrecord")))
                        .map(parse)
                        .map(lambda i, m: preprocess(i, m, training=True))
                        .shuffle(64).batch(8).prefetch(tf.data.AUTOTUNE))
            val_ds = (tf.data.TFRecordDataset(sorted(glob.glob("{DATA}/street_seg/val-*.tfrecord")))
                      .map(parse)
                      .map(preprocess)
                      .batch(8).prefetch(tf.data.AUTOTUNE))
            """,
        ], data=street_seg),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
