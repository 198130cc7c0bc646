"""Untargeted held-out Keras / TensorFlow failures (g153, scored 0.86 top-1 and 1.00 top-3 before any rule for it) of people who keep one Keras / tf.keras
image model alive over months: a bird-feeder camera species classifier (MobileNetV2 backbone,
``weights=None`` as the machines have no network) trained in stages (frozen backbone, then the top
blocks unfrozen with a lower learning rate and a recompile), updated when a new species folder appears
(the head rebuilt or extended, last month's ``.keras`` / ``.h5`` / ``.weights.h5`` reloaded), trained
further on each month's batch copied from a shared drive, with ModelCheckpoint, EarlyStopping,
ReduceLROnPlateau and CSVLogger callbacks and runs resumed from where they stopped, spread over the
cause ids of the taxonomy:

- files: a photo on the SMB-mounted shared drive whose Latin-1 file name is not valid UTF-8
  (``image_dataset_from_directory`` cannot turn the path list into a tensor); the month's label list
  written by a colleague's PowerShell redirection (UTF-16 with a byte-order mark) read with ``csv``
  (tf_keras);
- image sizes: a ``PyDataset`` (two worker threads) over all months' folders when the new trail camera
  writes 80x60 photos and the loader has no resize (progress bar);
- channels: the night (IR) camera's grayscale photos stacked with PIL and given to ``fit`` of the
  reloaded model (notebook);
- boxes: the month's bird boxes exported as COCO ``[x, y, w, h]`` by the new labelling tool and unpacked
  as ``xmin, ymin, xmax, ymax`` for ``tf.image.crop_to_bounding_box`` (progress bar);
- labels: the validation folder already holding the new species while the training folder does not,
  the head sized from the training folder's class names (tf_keras, progress bar);
- label shapes: ``label_mode="categorical"`` for the month's batch while the reloaded ``.keras`` model
  keeps its compiled sparse cross-entropy (progress bar); continued training on the new species'
  folder alone with ``label_mode="categorical"`` (one-hot depth 1) for the four-unit head (tf_keras,
  progress bar);
- dtypes: rehearsal exemplars kept as uint8 in an ``.npz`` mixed with the month's float32 directory
  dataset by ``sample_from_datasets``;
- model inputs: the month's unbatched directory dataset concatenated with the exemplars and given to
  ``fit`` without ``.batch``;
- model outputs: the extended four-species model built, but the old three-species model recompiled
  and fitted (progress bar);
- weights: weights copied layer by layer from the three-species model into the four-species rebuild,
  head included (notebook);
- API: the extended model compiled with the reloaded model's optimizer "to keep the Adam state"
  (progress bar); ``initial_epoch`` read from the last row of the CSVLogger file (a string);
- divergence: the whole pipeline switched to ``decode_png(dtype=tf.uint16)`` for the new 16-bit camera
  (8-bit PNGs come out scaled by 257) while the model still divides by 255, SGD with momentum under
  ``enable_check_numerics`` (progress bar);
- gradients: phase 2 (top blocks unfrozen, a second optimizer for the backbone) still feeding the
  backbone features cached outside the tape in phase 1;
- host memory: herding (iCaRL) exemplar selection embedding every month's archive in one backbone call
  (TensorFlow's CPU allocator runs out);
- versions: the "Save and load models" guide's ``cp-{epoch:04d}.ckpt`` with ``save_weights_only=True``
  under Keras 3; ``layer.output_shape`` read to size the extended head under Keras 3;
- workers: thumbnails of the month's photos made in a spawn ``ProcessPoolExecutor`` whose worker
  function is defined inside the ``if __name__ == "__main__":`` block;
- plain bugs: the class index JSON reloaded with string keys and indexed with ``argmax`` (notebook);
  ``model.layers[-1].units`` read on the float32 ``Activation`` that ends a mixed-precision-style model.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more66.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g153): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import struct
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, both, notebook, prep  # noqa: E402
from _tfrecord import make_images as _imgs  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more66.py"

SPECIES = ["finch", "sparrow", "wren"]
SPECIES4 = ["finch", "robin", "sparrow", "wren"]
FEED = "shared/feeder_cam"


# ---------------------------------------------------------------- data helpers
def month(name, classes=SPECIES, per=6, size=(64, 64), seed=0, fmt="jpeg", sizes=None, root=FEED):
    def setup(d: Path):
        _imgs(d / root / name, classes, per_class=per, size=size, fmt=fmt, seed=seed, sizes=sizes)
    return setup


# last month's model as the previous run left it: a MobileNetV2 backbone (weights=None), a pooled head
SAVE_V5 = """
import json, os
import numpy as np
import keras
from keras import layers

os.makedirs("models", exist_ok=True)
classes = @@CLASSES@@
base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None, alpha=0.35)
inputs = keras.Input((64, 64, 3))
x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(len(classes), activation="softmax", name="species")(x)
model = keras.Model(inputs, outputs, name="feeder_net")
model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
rng = np.random.default_rng(0)
model.fit(rng.uniform(0, 255, (16, 64, 64, 3)).astype("float32"), np.arange(16) % len(classes), epochs=1, verbose=0)
model.save("models/feeder_v5.keras")
json.dump(classes, open("models/classes.json", "w"))
"""


def v5(classes=SPECIES):
    code = SAVE_V5.replace("@@CLASSES@@", repr(classes))
    return lambda d: prep("k3", code, d)


# a small exemplar store for rehearsal: 64x64 crops of the earlier months' species
def exemplars(dtype="uint8"):
    def setup(d: Path):
        import numpy as np
        r = _rng(6601)
        x = r.integers(0, 255, size=(18, 64, 64, 3), dtype="uint8")
        y = (np.arange(18) % 3).astype("int32")
        (d / "replay").mkdir(parents=True, exist_ok=True)
        np.savez(d / "replay" / "exemplars.npz", x=x.astype(dtype), y=y)
    return setup


def latin1_name(d: Path):
    # a file copied from a Windows box onto the SMB share mounted without iocharset=utf8
    import os
    from PIL import Image
    r = _rng(6602)
    folder = os.path.join(str(d).encode(), FEED.encode(), b"2024-06", b"wren")
    os.makedirs(folder, exist_ok=True)
    Image.fromarray(r.integers(0, 255, size=(64, 64, 3), dtype="uint8")).save(
        os.path.join(folder, b"troglodyte_mignon_\xe9t\xe9_03.jpg"), format="JPEG")


def utf16_labels(d: Path):
    # `Get-ChildItem ... | ForEach-Object { ... } > labels.csv` in Windows PowerShell 5.1: UTF-16 LE + BOM
    r = _rng(6603)
    rows = ["file,species"]
    for i in range(12):
        name = f"IMG_{4100 + i}.jpg"
        _png(d / FEED / "2024-07" / name, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"{name},{SPECIES[i % 3]}")
    (d / FEED / "2024-07" / "labels.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-16"))


def coco_boxes(d: Path):
    import csv
    r = _rng(6604)
    frames = d / FEED / "frames"
    rows = []
    for i in range(12):
        _png(frames / f"2024-05_{i:03d}.png", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        x1, y1 = int(r.integers(4, 40)), int(r.integers(4, 40))
        rows.append([f"2024-05_{i:03d}.png", x1, y1, x1 + int(r.integers(24, 50)), y1 + int(r.integers(24, 50)),
                     SPECIES[i % 3]])
    with open(d / FEED / "boxes_2024-05.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "xmin", "ymin", "xmax", "ymax", "species"])
        w.writerows(rows)
    images, anns = [], []
    for i in range(10):
        _png(frames / f"2024-10_{i:03d}.png", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        images.append({"id": i + 1, "file_name": f"2024-10_{i:03d}.png", "width": 96, "height": 96})
        x, y = int(r.integers(4, 56)), int(r.integers(4, 56))
        anns.append({"id": i + 1, "image_id": i + 1, "category_id": 1 + i % 3,
                     "bbox": [x, y, int(r.integers(24, 36)), int(r.integers(24, 36))], "area": 900, "iscrowd": 0})
    coco = {"images": images, "annotations": anns,
            "categories": [{"id": i + 1, "name": c} for i, c in enumerate(SPECIES)]}
    (d / FEED / "annotations_2024-10.json").write_text(json.dumps(coco))


def _png16(path: Path, arr):
    """A 16-bit RGB PNG (PIL cannot write one), as the new camera's software saves them."""
    h, w, _ = arr.shape
    raw = b"".join(b"\x00" + arr[y].astype(">u2").tobytes() for y in range(h))

    def chunk(t, data):
        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xFFFFFFFF)

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def sixteen_bit(d: Path):
    month("2024-10", fmt="png", seed=6605)(d)
    r = _rng(6606)
    for c in SPECIES:
        for i in range(6):
            _png16(d / FEED / "2024-11" / c / f"{c}_{i:03d}.png",
                   r.integers(0, 65535, size=(64, 64, 3), dtype="uint16"))


def archive(d: Path):
    import numpy as np
    r = _rng(6607)
    out = d / FEED / "archive"
    out.mkdir(parents=True, exist_ok=True)
    for m in ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"):
        np.savez(out / f"feeder_{m}.npz", x=r.integers(0, 255, size=(200, 160, 160, 3), dtype="uint8"),
                 y=(np.arange(200) % 3).astype("int32"))


def csvlogger_history(d: Path):
    import csv
    (d / "logs").mkdir(parents=True, exist_ok=True)
    with open(d / "logs" / "feeder_v5.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"])
        for e in range(12):
            w.writerow([e, round(0.55 + 0.03 * e, 4), 1e-4 if e > 7 else 1e-3, round(1.1 - 0.06 * e, 4),
                        round(0.52 + 0.025 * e, 4), round(1.15 - 0.05 * e, 4)])


def class_index(d: Path):
    # written by the training script with json.dump({i: name}): the int keys come back as strings
    (d / "models" / "class_index.json").write_text(json.dumps({i: c for i, c in enumerate(SPECIES)}))


def ir_camera(d: Path):
    _imgs(d / FEED / "2024-09_ir", SPECIES, per_class=5, size=(64, 64), mode="L", fmt="png", seed=6608)


SAVE_MP = """
import os
import numpy as np
import keras
from keras import layers

os.makedirs("models", exist_ok=True)
base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None, alpha=0.35)
inputs = keras.Input((64, 64, 3))
x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(3, name="logits")(x)
outputs = layers.Activation("softmax", dtype="float32", name="probs")(x)   # the mixed precision guide's last layer
model = keras.Model(inputs, outputs, name="feeder_net")
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
rng = np.random.default_rng(0)
model.fit(rng.uniform(0, 255, (12, 64, 64, 3)).astype("float32"), np.arange(12) % 3, epochs=1, verbose=0)
model.save("models/feeder_v5.keras")
"""

SAVE_V6_H5 = """
import os
import tf_keras as keras
from tf_keras import layers

os.makedirs("models", exist_ok=True)
base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None, alpha=0.35)
inputs = keras.Input((64, 64, 3))
x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(4, activation="softmax", name="species")(x)
model = keras.Model(inputs, outputs, name="feeder_net")
model.compile(keras.optimizers.Adam(1e-4), "categorical_crossentropy", metrics=["accuracy"])
model.save("models/feeder_v6.h5")
"""


# ---------------------------------------------------------------- code snippets
BUILD = """
def build_model(num_classes):
    base = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False, weights=None, alpha=0.35)
    base.trainable = False
    inputs = keras.Input((IMG, IMG, 3))
    x = layers.Rescaling(1 / 127.5, offset=-1)(inputs)
    x = base(x, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(num_classes, activation="softmax", name="species")(x)
    return keras.Model(inputs, outputs, name="feeder_net"), base
"""


def _ind(src, indent="        "):
    return "\n".join((indent + l) if l else l for l in src.strip("\n").splitlines()).lstrip()


def code(body):
    return body.replace("@@BUILD@@", _ind(BUILD))


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more66-smb-share-latin1-file-name-month-folder-image-dataset-from-directory-k3",
        cause="data.missing_or_corrupt",
        also=("other",),
        exception="ValueError",
        setup=both(month("2024-06", per=4, seed=6610), latin1_name, v5()),
        expect="Error converting unicode string",
        code="""
        import json

        import keras

        IMG = 64
        SHARED = "{DATA}/shared/feeder_cam"
        MONTH = "2024-06"

        model = keras.models.load_model("{DATA}/models/feeder_v5.keras")
        classes = json.load(open("{DATA}/models/classes.json"))
        print("feeder_v5 species:", classes)

        new_ds = keras.utils.image_dataset_from_directory(
            f"{SHARED}/{MONTH}", class_names=classes, image_size=(IMG, IMG), batch_size=16, seed=6)

        callbacks = [
            keras.callbacks.CSVLogger("feeder_v5_continued.csv", append=True),
            keras.callbacks.ModelCheckpoint(f"feeder_v5_{MONTH}.keras", monitor="loss", save_best_only=True),
        ]
        model.fit(new_ds, epochs=3, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more66-month-label-list-written-by-powershell-redirect-utf16-read-with-csv-tfk2",
        cause="data.missing_or_corrupt",
        exception="UnicodeDecodeError",
        env="tfk2",
        setup=both(utf16_labels, lambda d: prep("tfk2", SAVE_V6_H5.replace("Dense(4", "Dense(3").replace(
            "categorical_crossentropy", "sparse_categorical_crossentropy").replace("feeder_v6", "feeder_v5"), d)),
        expect="can't decode byte 0xff in position 0",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import tf_keras as keras

        IMG = 64
        MONTH_DIR = "{DATA}/shared/feeder_cam/2024-07"
        SPECIES = ["finch", "sparrow", "wren"]

        model = keras.models.load_model("{DATA}/models/feeder_v5.h5")

        # the July photos come flat, with the species in labels.csv (Marco's export from the camera PC)
        with open(f"{MONTH_DIR}/labels.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{MONTH_DIR}/{r['file']}" for r in rows]
        labels = [SPECIES.index(r["species"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (IMG, IMG)), label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).shuffle(64).batch(8)
        model.fit(ds, epochs=3, callbacks=[keras.callbacks.CSVLogger("feeder_v5_2024-07.csv")])
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more66-pydataset-all-months-new-trail-camera-80x60-no-resize-thread-workers-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=both(month("2024-04", seed=6611), month("2024-05", seed=6612),
                   month("2024-08", size=(80, 60), seed=6613), v5()),
        pty=True,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import json
        import math

        import numpy as np
        import keras
        from PIL import Image

        SHARED = "{DATA}/shared/feeder_cam"
        classes = json.load(open("{DATA}/models/classes.json"))


        class FeederMonths(keras.utils.PyDataset):
            \"\"\"Every month's photos on the share; the old camera already wrote 64x64 crops.\"\"\"

            def __init__(self, months, batch_size=16, **kwargs):
                super().__init__(**kwargs)
                self.items = [(p, classes.index(p.split("/")[-2]))
                              for m in months for p in sorted(glob.glob(f"{SHARED}/{m}/*/*.jpg"))]
                np.random.default_rng(0).shuffle(self.items)
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(p).convert("RGB"), dtype="float32") for p, _ in batch])
                y = np.array([label for _, label in batch])
                return x, y


        model = keras.models.load_model("{DATA}/models/feeder_v5.keras")
        train = FeederMonths(["2024-04", "2024-05", "2024-08"], workers=2)
        print(len(train.items), "photos in", len(train), "batches")
        model.fit(train, epochs=3, callbacks=[keras.callbacks.ReduceLROnPlateau("loss", factor=0.5, patience=1),
                                              keras.callbacks.CSVLogger("feeder_v5_2024-08.csv", append=True)])
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more66-notebook-ir-night-camera-grayscale-photos-stacked-continued-fit-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            """
            import glob
            import json
            import numpy as np
            import keras
            from PIL import Image
            """,
            """
            model = keras.models.load_model("{DATA}/models/feeder_v5.keras")
            classes = json.load(open("{DATA}/models/classes.json"))
            classes
            """,
            """
            # September: the feeder camera switched to its IR night mode for half the month
            paths = sorted(glob.glob("{DATA}/shared/feeder_cam/2024-09_ir/*/*.png"))
            x_new = np.stack([np.asarray(Image.open(p).resize((64, 64)), dtype="float32") for p in paths])
            y_new = np.array([classes.index(p.split("/")[-2]) for p in paths])
            x_new.shape, np.bincount(y_new)
            """,
            """
            history = model.fit(x_new, y_new, epochs=3, batch_size=8,
                                callbacks=[keras.callbacks.EarlyStopping("loss", patience=2, restore_best_weights=True)])
            """,
        ], data=both(ir_camera, v5())),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more66-new-labelling-tool-coco-xywh-boxes-unpacked-as-xyxy-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=both(coco_boxes, v5()),
        pty=True,
        expect="must be > 0",
        code="""
        import csv
        import json

        import tensorflow as tf
        import keras

        IMG = 64
        SHARED = "{DATA}/shared/feeder_cam"
        classes = json.load(open("{DATA}/models/classes.json"))

        # boxes up to May: our own CSV (xmin, ymin, xmax, ymax in pixels)
        with open(f"{SHARED}/boxes_2024-05.csv") as f:
            records = [(r["file"], int(r["xmin"]), int(r["ymin"]), int(r["xmax"]), int(r["ymax"]),
                        classes.index(r["species"])) for r in csv.DictReader(f)]

        # from October the boxes come out of the new labelling tool as COCO json
        coco = json.load(open(f"{SHARED}/annotations_2024-10.json"))
        files = {im["id"]: im["file_name"] for im in coco["images"]}
        names = {c["id"]: c["name"] for c in coco["categories"]}
        for ann in coco["annotations"]:
            xmin, ymin, xmax, ymax = ann["bbox"]
            records.append((files[ann["image_id"]], xmin, ymin, xmax, ymax, classes.index(names[ann["category_id"]])))
        print(len(records), "bird boxes")

        paths = [f"{SHARED}/frames/{r[0]}" for r in records]
        boxes = [r[1:5] for r in records]
        labels = [r[5] for r in records]


        def crop_bird(path, box, label):
            frame = tf.io.decode_png(tf.io.read_file(path), channels=3)
            crop = tf.image.crop_to_bounding_box(frame, box[1], box[0], box[3] - box[1], box[2] - box[0])
            return tf.image.resize(crop, (IMG, IMG)), label


        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, labels))
              .shuffle(len(paths), seed=0).map(crop_bird).batch(8))
        model = keras.models.load_model("{DATA}/models/feeder_v5.keras")
        model.fit(ds, epochs=3, callbacks=[keras.callbacks.EarlyStopping("loss", patience=2)])
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more66-val-folder-holds-new-species-before-train-folder-head-from-train-classes-tfk2",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=both(month("train", seed=6614, root="feeder"), month("val", SPECIES4, per=3, seed=6615, root="feeder")),
        pty=True,
        expect="outside the valid range",
        code=tfk2(code("""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/feeder/train", image_size=(IMG, IMG),
                                                            batch_size=8, seed=1)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/feeder/val", image_size=(IMG, IMG),
                                                          batch_size=8, shuffle=False)
        NUM_CLASSES = len(train_ds.class_names)
        print("species:", train_ds.class_names)


        @@BUILD@@


        model, base = build_model(NUM_CLASSES)
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        callbacks = [
            keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True),
            keras.callbacks.ModelCheckpoint("checkpoints/feeder_v6_phase1.h5", save_best_only=True),
            keras.callbacks.CSVLogger("feeder_v6_phase1.csv"),
        ]
        model.fit(train_ds, validation_data=val_ds, epochs=5, callbacks=callbacks)
        """)),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more66-month-batch-label-mode-categorical-reloaded-keras-file-keeps-sparse-loss-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=both(month("2024-07", seed=6616), v5()),
        pty=True,
        expect="must have rank (ndim) `target.ndim - 1`",
        code="""
        import json

        import keras

        IMG = 64
        classes = json.load(open("{DATA}/models/classes.json"))

        # this month: label smoothing on the new batch, so one-hot labels
        new_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/shared/feeder_cam/2024-07", class_names=classes, label_mode="categorical",
            image_size=(IMG, IMG), batch_size=8, seed=2)

        model = keras.models.load_model("{DATA}/models/feeder_v5.keras")     # compiled state comes back with it
        model.optimizer.learning_rate = 1e-4
        model.fit(new_ds, epochs=4, callbacks=[keras.callbacks.ReduceLROnPlateau("loss", factor=0.3, patience=1),
                                               keras.callbacks.CSVLogger("feeder_v5_2024-07.csv", append=True)])
        """,
    ),
    Case(
        name="keras-more66-continue-on-new-species-folder-alone-categorical-one-hot-depth-one-four-unit-head-tfk2",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="tfk2",
        setup=both(month("robin_only", ["robin"], per=8, seed=6617, root="shared/feeder_cam/2024-12"),
                   lambda d: prep("tfk2", SAVE_V6_H5, d)),
        pty=True,
        expect="are incompatible",
        code="""
        import tf_keras as keras

        IMG = 64

        # v6 knows finch, robin, sparrow, wren; robins were rare, so a few extra epochs on the robin folder alone
        model = keras.models.load_model("{DATA}/models/feeder_v6.h5")
        robin_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/shared/feeder_cam/2024-12/robin_only", label_mode="categorical", image_size=(IMG, IMG),
            batch_size=4)
        print(robin_ds.class_names, robin_ds.element_spec)
        model.fit(robin_ds, epochs=2, callbacks=[keras.callbacks.ModelCheckpoint("models/feeder_v6_robin.h5")])
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more66-rehearsal-exemplars-npz-uint8-sample-from-datasets-with-float-directory-dataset-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=both(month("2024-08", SPECIES4, per=5, seed=6618), exemplars("uint8")),
        expect="compatible element specs",
        code=code("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64


        @@BUILD@@


        new_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-08", image_size=(IMG, IMG),
                                                          batch_size=None, seed=3)
        print("species now:", new_ds.class_names)

        # rehearsal: a few stored exemplars of the old species (kept as uint8 to save space on the share)
        ex = np.load("{DATA}/replay/exemplars.npz")
        replay_ds = tf.data.Dataset.from_tensor_slices((ex["x"], ex["y"])).shuffle(64).repeat()

        train_ds = tf.data.Dataset.sample_from_datasets([new_ds, replay_ds], weights=[0.7, 0.3], seed=0)
        train_ds = train_ds.batch(8).prefetch(2)

        model, base = build_model(len(new_ds.class_names))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, steps_per_epoch=5, epochs=3)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more66-unbatched-month-dataset-concatenated-with-exemplars-fit-without-batch-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=both(month("2024-08", SPECIES4, per=5, seed=6619), exemplars("float32")),
        expect="is incompatible with the layer",
        code=code("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64


        @@BUILD@@


        # batch_size=None so single images can be mixed with the stored exemplars
        new_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-08", image_size=(IMG, IMG),
                                                          batch_size=None, seed=4)
        ex = np.load("{DATA}/replay/exemplars.npz")
        replay_ds = tf.data.Dataset.from_tensor_slices((ex["x"], ex["y"]))
        train_ds = new_ds.concatenate(replay_ds).shuffle(256, seed=0).prefetch(tf.data.AUTOTUNE)

        model, base = build_model(len(new_ds.class_names))
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, callbacks=[keras.callbacks.CSVLogger("feeder_v6_phase1.csv")])
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more66-four-species-head-model-built-but-old-three-species-model-recompiled-and-fitted-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=both(month("2024-08", SPECIES4, per=5, seed=6620), v5()),
        pty=True,
        expect="must have the same shape",
        code="""
        import keras
        from keras import layers

        IMG = 64

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/shared/feeder_cam/2024-08", label_mode="categorical", image_size=(IMG, IMG), batch_size=8, seed=5)
        species = train_ds.class_names
        print("species:", species)

        model = keras.models.load_model("{DATA}/models/feeder_v5.keras")
        features = model.layers[-2].output                 # after the dropout
        new_head = layers.Dense(len(species), activation="softmax", name="species_v6")(features)
        model_v6 = keras.Model(model.input, new_head, name="feeder_net_v6")
        model_v6.summary(line_length=100)

        model.compile(keras.optimizers.Adam(1e-4), keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=4, callbacks=[keras.callbacks.ModelCheckpoint("feeder_v6.keras", monitor="loss")])
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more66-notebook-weights-copied-layer-by-layer-into-four-species-rebuild-head-included-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        **notebook([
            """
            import keras
            from keras import layers

            IMG = 64
            """,
            _ind(BUILD, ""),
            """
            old = keras.models.load_model("{DATA}/models/feeder_v5.keras")
            new, base = build_model(4)          # robin added
            [l.name for l in old.layers], [l.name for l in new.layers]
            """,
            """
            # carry everything we learned over to v6
            for old_layer, new_layer in zip(old.layers, new.layers):
                new_layer.set_weights(old_layer.get_weights())
            print("copied")
            """,
        ], data=v5()),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more66-extended-head-compiled-with-reloaded-model-optimizer-to-keep-adam-state-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=both(month("2024-08", SPECIES4, per=5, seed=6621), v5()),
        pty=True,
        expect="can only be called for the variables it was originally built with",
        code="""
        import keras
        from keras import layers

        IMG = 64

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-08", image_size=(IMG, IMG),
                                                            batch_size=8, seed=6)
        old = keras.models.load_model("{DATA}/models/feeder_v5.keras")
        print("resuming from optimizer step", int(old.optimizer.iterations))

        outputs = layers.Dense(len(train_ds.class_names), activation="softmax", name="species_v6")(old.layers[-2].output)
        model = keras.Model(old.input, outputs, name="feeder_net_v6")

        # keep the Adam moments of the months we already trained
        model.compile(optimizer=old.optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=4, callbacks=[keras.callbacks.EarlyStopping("loss", patience=2)])
        """,
    ),
    Case(
        name="keras-more66-resumed-run-initial-epoch-from-csvlogger-last-row-string-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=both(month("2024-09", seed=6622), csvlogger_history, v5()),
        expect="'str' object cannot be interpreted as an integer",
        code="""
        import csv

        import keras

        IMG = 64
        EPOCHS = 20
        LOG = "{DATA}/logs/feeder_v5.csv"

        # the run stopped when the workstation rebooted; pick up where CSVLogger says we were
        with open(LOG) as f:
            rows = list(csv.DictReader(f))
        last = rows[-1]
        print(f"last logged epoch {last['epoch']}: val_accuracy={last['val_accuracy']} lr={last['learning_rate']}")

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-09", image_size=(IMG, IMG),
                                                            batch_size=8, seed=7, validation_split=0.25,
                                                            subset="training")
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-09", image_size=(IMG, IMG),
                                                          batch_size=8, seed=7, validation_split=0.25,
                                                          subset="validation")
        model = keras.models.load_model("{DATA}/models/feeder_v5.keras")
        model.optimizer.learning_rate = float(last["learning_rate"])
        callbacks = [
            keras.callbacks.CSVLogger(LOG, append=True),
            keras.callbacks.ModelCheckpoint("{DATA}/models/feeder_v5.keras", save_best_only=True),
            keras.callbacks.ReduceLROnPlateau(factor=0.2, patience=2, min_lr=1e-6),
            keras.callbacks.EarlyStopping(patience=4, restore_best_weights=True),
        ]
        model.fit(train_ds, validation_data=val_ds, epochs=EPOCHS, initial_epoch=last["epoch"], callbacks=callbacks)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more66-pipeline-switched-to-decode-png-uint16-for-new-camera-still-divided-by-255-sgd-check-numerics-k3",
        cause="optim.divergence",
        also=("data.dtype",),
        exception="InvalidArgumentError",
        setup=sixteen_bit,
        pty=True,
        expect="Tensor had",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        tf.debugging.enable_check_numerics()        # last month's run went to nan without telling us where

        IMG = 64
        SPECIES = ["finch", "sparrow", "wren"]
        paths = sorted(glob.glob("{DATA}/shared/feeder_cam/2024-1[01]/*/*.png"))
        labels = [SPECIES.index(p.split("/")[-2]) for p in paths]


        def load(path, label):
            # the November camera writes 16-bit PNGs: decode everything at 16 bits so nothing is lost
            img = tf.io.decode_png(tf.io.read_file(path), channels=3, dtype=tf.uint16)
            return tf.cast(img, tf.float32), label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(64, seed=0).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="leaky_relu"),      # no more dead ReLUs since v3
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="leaky_relu"),
            layers.Flatten(),
            layers.Dense(64, activation="leaky_relu"),
            layers.Dense(len(SPECIES), activation="softmax"),
        ], name="feeder_cnn")
        model.compile(keras.optimizers.SGD(0.01, momentum=0.9), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5, callbacks=[keras.callbacks.ReduceLROnPlateau("loss", factor=0.5, patience=1)])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more66-phase-two-unfrozen-top-blocks-fed-backbone-features-cached-outside-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=month("2024-08", SPECIES4, per=5, seed=6623),
        expect="No gradients provided for any variable",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64
        ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-08", image_size=(IMG, IMG),
                                                      batch_size=8, seed=8)
        n_classes = len(ds.class_names)

        base = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False, weights=None, alpha=0.35)
        head = keras.Sequential([keras.Input(base.output.shape[1:]), layers.GlobalAveragePooling2D(),
                                 layers.Dropout(0.2), layers.Dense(n_classes)], name="head")
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        # phase 1: backbone frozen -> run it once over the month and train the head on cached features
        base.trainable = False
        cached = [(base(x / 127.5 - 1.0, training=False), y) for x, y in ds]
        head_opt = keras.optimizers.Adam(1e-3)
        for epoch in range(3):
            for feats, y in cached:
                with tf.GradientTape() as tape:
                    loss = loss_fn(y, head(feats, training=True))
                head_opt.apply_gradients(zip(tape.gradient(loss, head.trainable_variables), head.trainable_variables))
            print(f"phase 1 epoch {epoch}: loss {float(loss):.4f}")

        # phase 2: unfreeze the last blocks, backbone at a 100x lower learning rate
        base.trainable = True
        for layer in base.layers[:-20]:
            layer.trainable = False
        base_opt = keras.optimizers.Adam(1e-5)
        for epoch in range(3):
            for feats, y in cached:
                with tf.GradientTape() as tape:
                    loss = loss_fn(y, head(feats, training=True))
                grads = tape.gradient(loss, base.trainable_variables + head.trainable_variables)
                n = len(base.trainable_variables)
                base_opt.apply_gradients(zip(grads[:n], base.trainable_variables))
                head_opt.apply_gradients(zip(grads[n:], head.trainable_variables))
            print(f"phase 2 epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more66-herding-exemplar-selection-embeds-whole-archive-in-one-backbone-call-cpu-oom-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=archive,
        as_limit=6 * 1024**3,
        timeout=400,
        expect="OOM when allocating tensor",
        code="""
        import glob

        import numpy as np
        import keras

        IMG = 160
        PER_CLASS = 20        # exemplar budget per species

        files = sorted(glob.glob("{DATA}/shared/feeder_cam/archive/feeder_2024-*.npz"))
        x_all = np.concatenate([np.load(f)["x"] for f in files])
        y_all = np.concatenate([np.load(f)["y"] for f in files])
        print(f"{len(files)} months, {len(x_all)} photos")

        backbone = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False, weights=None,
                                                  alpha=0.35, pooling="avg")

        # iCaRL herding: embed everything, then greedily pick the photos closest to each class mean
        feats = backbone(x_all.astype("float32") / 127.5 - 1.0, training=False).numpy()
        feats /= np.linalg.norm(feats, axis=1, keepdims=True)
        keep = []
        for c in np.unique(y_all):
            idx = np.flatnonzero(y_all == c)
            mu, chosen = feats[idx].mean(0), []
            for k in range(PER_CLASS):
                cand = feats[idx] if not chosen else (feats[idx] + feats[chosen].sum(0)) / (k + 1)
                i = int(np.argmin(np.linalg.norm(mu - cand, axis=1)))
                chosen.append(idx[i])
            keep += chosen
        np.savez("exemplars.npz", x=x_all[keep], y=y_all[keep])
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more66-save-and-load-guide-cp-epoch-ckpt-save-weights-only-callback-under-keras3-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=month("2024-10", seed=6624),
        expect="must end in `.weights.h5`",
        code=code("""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 64


        @@BUILD@@


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-10", image_size=(IMG, IMG),
                                                            batch_size=8, seed=9)
        model, base = build_model(len(train_ds.class_names))
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])

        # resume support, as in the "Save and load models" guide
        checkpoint_path = "training_feeder/cp-{epoch:04d}.ckpt"
        checkpoint_dir = os.path.dirname(checkpoint_path)
        latest = tf.train.latest_checkpoint(checkpoint_dir)
        if latest:
            print("resuming from", latest)
            model.load_weights(latest)

        cp_callback = keras.callbacks.ModelCheckpoint(filepath=checkpoint_path, save_weights_only=True, verbose=1)
        model.fit(train_ds, epochs=10, callbacks=[cp_callback, keras.callbacks.EarlyStopping("loss", patience=3)])
        """),
    ),
    Case(
        name="keras-more66-extended-head-sized-from-layer-output-shape-keras2-attribute-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=both(month("2024-08", SPECIES4, per=4, seed=6625), v5()),
        expect="has no attribute 'output_shape'",
        code="""
        import numpy as np
        import keras
        from keras import layers

        IMG = 64
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-08", image_size=(IMG, IMG),
                                                            batch_size=8, seed=10)
        species = train_ds.class_names

        old = keras.models.load_model("{DATA}/models/feeder_v5.keras")
        old_head = old.get_layer("species")
        W_old, b_old = old_head.get_weights()

        # extend the head: old rows kept, the robin column starts at the mean of the others
        n_feat = old.layers[-2].output_shape[-1]
        W = np.zeros((n_feat, len(species)), "float32")
        b = np.zeros(len(species), "float32")
        old_species = ["finch", "sparrow", "wren"]
        for j, s in enumerate(species):
            if s in old_species:
                W[:, j], b[j] = W_old[:, old_species.index(s)], b_old[old_species.index(s)]
            else:
                W[:, j], b[j] = W_old.mean(1), b_old.mean()

        head = layers.Dense(len(species), activation="softmax", name="species_v6")
        model = keras.Model(old.input, head(old.layers[-2].output))
        head.set_weights([W, b])
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more66-month-thumbnails-spawn-process-pool-worker-defined-inside-main-guard-k3",
        cause="env.multiprocessing",
        exception="AttributeError",  # the worker's own error, printed above the BrokenProcessPool
        setup=month("2024-11", per=4, seed=6626, size=(120, 90)),
        timeout=400,
        code="""
        import glob
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        import numpy as np
        import keras
        from PIL import Image

        IMG = 64
        MONTH_DIR = "{DATA}/shared/feeder_cam/2024-11"

        if __name__ == "__main__":
            def to_thumb(path):
                return np.asarray(Image.open(path).convert("RGB").resize((IMG, IMG)), dtype="uint8")

            paths = sorted(glob.glob(f"{MONTH_DIR}/*/*.jpg"))
            # fork after tensorflow is imported can hang the workers: use spawn
            with ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn")) as pool:
                thumbs = np.stack(list(pool.map(to_thumb, paths, chunksize=4)))
            print(thumbs.shape)
            np.savez("feeder_2024-11_thumbs.npz", x=thumbs)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more66-notebook-class-index-json-int-keys-come-back-as-strings-argmax-lookup-k3",
        cause="other",
        exception="KeyError",
        **notebook([
            """
            import glob
            import json
            import numpy as np
            import keras
            """,
            """
            model = keras.models.load_model("{DATA}/models/feeder_v5.keras")
            idx_to_species = json.load(open("{DATA}/models/class_index.json"))
            idx_to_species
            """,
            """
            paths = sorted(glob.glob("{DATA}/shared/feeder_cam/2024-12/*/*.jpg"))[:6]
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(64, 64))) for p in paths])
            probs = model.predict(x, verbose=0)
            probs.round(3)
            """,
            """
            for p, pred in zip(paths, probs.argmax(axis=1)):
                print(p.split("/")[-1], "->", idx_to_species[pred])
            """,
        ], data=both(month("2024-12", per=2, seed=6627), v5(), class_index)),
    ),
    Case(
        name="keras-more66-old-class-count-from-layers-minus-one-units-on-float32-activation-layer-k3",
        cause="other",
        also=("model.api_misuse",),
        exception="AttributeError",
        setup=both(month("2024-08", SPECIES4, per=4, seed=6628), lambda d: prep("k3", SAVE_MP, d)),
        expect="'Activation' object has no attribute 'units'",
        code="""
        import keras
        from keras import layers

        IMG = 64
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/shared/feeder_cam/2024-08", image_size=(IMG, IMG),
                                                            batch_size=8, seed=11)
        model = keras.models.load_model("{DATA}/models/feeder_v5.keras")

        n_old = model.layers[-1].units
        n_new = len(train_ds.class_names)
        print(f"extending the head from {n_old} to {n_new} species")
        x = model.layers[-2].output
        logits = layers.Dense(n_new, name="logits_v6")(x)
        outputs = layers.Activation("softmax", dtype="float32", name="probs_v6")(logits)
        model_v6 = keras.Model(model.input, outputs)
        model_v6.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model_v6.fit(train_ds, epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
