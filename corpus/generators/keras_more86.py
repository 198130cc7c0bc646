"""Untargeted held-out Keras / TensorFlow failures (g197, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of bakeries, breweries and small food producers
training Keras / tf.keras models with Keras 3 and tf_keras 2 in notebooks and scripts: proofing-dough and
crust-colour classifiers from oven cameras, bottle-fill and label-placement checks on the bottling line,
foam and yeast microscope images and supplier delivery photos, with data coming from the production PC,
a tablet on the line and a shared cloud drive, spread over the cause ids of the taxonomy:

- files: an oven-camera TFRecord shard on the shared cloud drive read while it was still uploading (cut
  short, terminal); supplier delivery photos saved from the mail client on the production PC as
  ``.jfif`` read by ``image_dataset_from_directory`` (tf_keras);
- image sizes: the bottling line's fill-camera and label-camera frames (two camera models) put side by
  side with ``tf.concat`` (notebook); frames of two deck ovens' cameras decoded without a resize and
  batched (tf_keras, terminal);
- channels: a yeast-viability model trained on grey micrographs given new micrographs through
  ``load_img``'s default RGB; foam micrographs exported as RGBA PNG by the new microscope software put
  through ``tf.image.rgb_to_grayscale`` in the map (terminal);
- boxes: label-placement boxes exported as normalised YOLO rows parsed as pixel boxes by the old crop
  script, cropped with ``crop_to_bounding_box``;
- too few boxes: YOLO anchors clustered from the only three label photos annotated on the line tablet
  and reshaped into three scales of three anchors;
- labels: the bakers' crust-colour grades 1 .. 5 for a five-unit head (terminal); the bottling line's
  reject code 9 ("manual reject") among the four reject classes of ``to_categorical`` (tf_keras);
- label shapes: the fill-ok and label-ok columns of the bottle sheet as one target for a one-unit
  sigmoid head (``input_shape`` warning first);
- dtypes: the proofer sensor log of the production PC with decimal commas (``"27,5"``) given to ``fit``
  as strings; a weighted over-proofing BCE written for float labels given the directory's int32 labels
  (tf_keras);
- model inputs: an oven-frame plus core-probe model fitted with the frames only (notebook); a
  stuck-fermentation ``Conv1D`` ``.h5`` model trained on 72 hourly gravity readings given the
  hydrometer's new half-hourly log (144 readings, tf_keras);
- model outputs: a beer-foam mask FCN with valid padding whose output is smaller than the masks;
- weights: the five-bread crust model's ``.h5`` weights loaded into the six-class rebuild with rye
  sourdough (tf_keras);
- API: ``compile(metrics="accuracy")`` in the label-check notebook;
- divergence: a fill-volume regressor on raw millilitres and raw pixels under SGD, its NaN predictions
  cast into 5 ml bands for ``np.bincount`` (terminal, warning first);
- gradients: the label-ok loss of a custom loop averaged with ``np.mean`` inside the tape;
- host memory: every 64 px patch of a stitched yeast scan taken with ``sliding_window_view`` and
  reshaped into one array;
- versions: a Keras 3 tutorial's ``keras.ops`` augmentation layer on the production PC set to
  ``TF_USE_LEGACY_KERAS=1`` (notebook, tf_keras);
- workers: a ``multiprocessing.Lock`` for the resize log passed in the arguments of ``Pool.map``;
- plain bugs: the bake report with float32 predictions written to the shared drive with ``json.dump``
  (terminal).

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more86.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g197): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more86.py"

BREADS = ["baguette", "ciabatta", "farmhouse", "spelt", "wholemeal"]
FOAM = ["coarse", "fine", "medium"]
DELIVERY = ["accepted", "damaged_sack", "wet_pallet"]
REJECTS = ["ok", "underfill", "overfill", "label_skew"]


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _save(path: Path, arr, quality=88, mode=None, fmt=None):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    if fmt == "JPEG" or path.suffix.lower() in (".jpg", ".jpeg", ".jfif"):
        img.save(path, format="JPEG", quality=quality)
    else:
        img.save(path)


def _csv(path: Path, rows, delimiter=","):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)


def oven_tfrecord_uploading(d: Path):
    """drive/oven_cam/proofing-00000-of-00001.tfrecord, cut at 80 % (the sync client was still uploading)."""
    (d / "drive" / "oven_cam").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import io
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        r = np.random.default_rng(8601)
        with tf.io.TFRecordWriter("drive/oven_cam/proofing-00000-of-00001.tfrecord") as w:
            for i in range(56):
                small = r.integers(0, 255, (12, 12, 3), dtype=np.uint8)
                img = np.repeat(np.repeat(small, 8, 0), 8, 1)[:96, :96]
                buf = io.BytesIO()
                Image.fromarray(img).save(buf, format="JPEG", quality=85)
                ex = tf.train.Example(features=tf.train.Features(feature={
                    "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[buf.getvalue()])),
                    "proof/stage": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 3])),
                }))
                w.write(ex.SerializeToString())
    """, d)
    p = d / "drive" / "oven_cam" / "proofing-00000-of-00001.tfrecord"
    b = p.read_bytes()
    p.write_bytes(b[: int(len(b) * 0.8)])


def jfif_deliveries(d: Path):
    """deliveries/<class>/*.jfif: supplier photos saved from the mail client on Windows."""
    r = _rng(8602)
    for c in DELIVERY:
        for i in range(6):
            _save(d / "deliveries" / c / f"lieferung_{c}_{i:03d}.jfif", _blocky_rgb(r, 96, 128, block=8))


def bottling_two_cameras(d: Path):
    """line3/fill/*.png at 160 x 120 (old fill camera) and line3/label/*.png at 200 x 150 (new label camera)."""
    r = _rng(8603)
    rows = [["bottle", "reject"]]
    for i in range(16):
        name = f"btl_{4400 + i}.png"
        _save(d / "line3" / "fill" / name, _blocky_rgb(r, 120, 160, block=4))
        _save(d / "line3" / "label" / name, _blocky_rgb(r, 150, 200, block=5))
        rows.append([name, int(i % 5 == 2)])
    _csv(d / "line3" / "checks.csv", rows)


def two_deck_ovens(d: Path):
    """ovens/deck1/*.jpg at 128 x 96 (old camera) and ovens/deck2/*.jpg at 160 x 120, plus bake_stage.csv."""
    r = _rng(8604)
    rows = [["frame", "stage"]]
    for oven, (w, h), n in (("deck1", (128, 96), 12), ("deck2", (160, 120), 12)):
        for i in range(n):
            name = f"{oven}/frame_{i:04d}.jpg"
            _save(d / "ovens" / name, _blocky_rgb(r, h, w, block=4))
            rows.append([name, int(r.integers(0, 3))])
    _csv(d / "ovens" / "bake_stage.csv", rows)


def yeast_model_and_micrographs(d: Path):
    """models/yeast_viability.keras (grey 96 x 96 input) and new/*.png grey micrographs."""
    r = _rng(8605)
    for i in range(6):
        _save(d / "new" / f"stain_{i:03d}.png", _blocky_rgb(r, 96, 96, block=3), mode="L")
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax", name="viable"),
        ], name="yeast_viability")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("models/yeast_viability.keras")
    """, d)


def foam_micrographs(d: Path):
    """foam/<date>_<n>.png and foam/bubbles.csv; exports from 2024-10-14 on (new software) are RGBA."""
    import numpy as np
    r = _rng(8606)
    rows = [["image", "bubbles"]]
    for i in range(40):
        day = 1 + i // 4
        name = f"2024-10-{day:02d}_{i % 4}.png"
        grey = _blocky_rgb(r, 96, 96, block=3)
        if day >= 9:
            rgba = np.concatenate([grey, np.full((96, 96, 1), 255, np.uint8)], axis=-1)
            _save(d / "foam" / name, rgba)
        else:
            _save(d / "foam" / name, grey, mode="L")
        rows.append([name, FOAM[i % 3]])
    _csv(d / "foam" / "bubbles.csv", rows)


def label_boxes_yolo(d: Path):
    """labelcheck/images/*.jpg (160 x 120) and labelcheck/labels/*.txt as normalised YOLO rows."""
    r = _rng(8607)
    rows = [["photo", "placement"]]
    for i in range(20):
        name = f"lbl_{i:03d}"
        _save(d / "labelcheck" / "images" / f"{name}.jpg", _blocky_rgb(r, 120, 160, block=4))
        cx, cy = r.uniform(0.45, 0.55), r.uniform(0.5, 0.6)
        w, h = r.uniform(0.3, 0.4), r.uniform(0.2, 0.3)
        (d / "labelcheck" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "labelcheck" / "labels" / f"{name}.txt").write_text(f"0 {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}\n")
        rows.append([f"{name}.jpg", ["straight", "crooked"][int(i % 4 == 1)]])
    _csv(d / "labelcheck" / "placement.csv", rows)


def three_annotated(d: Path):
    """tablet_export/images/*.jpg (30 photos), tablet_export/labels/*.txt for the first three only."""
    r = _rng(8608)
    for i in range(30):
        _save(d / "tablet_export" / "images" / f"IMG_{5100 + i}.jpg", _blocky_rgb(r, 120, 160, block=4))
    (d / "tablet_export" / "labels").mkdir(parents=True, exist_ok=True)
    for i, (w, h) in enumerate([(0.34, 0.22), (0.36, 0.23), (0.21, 0.17)]):
        (d / "tablet_export" / "labels" / f"IMG_{5100 + i}.txt").write_text(
            f"0 {0.5:.6f} {0.55:.6f} {w:.6f} {h:.6f}\n")


def crust_grades(d: Path):
    r = _rng(8609)
    rows = [["tray_photo", "baker", "grade"]]
    for i in range(40):
        name = f"tray_{i:03d}.jpg"
        _save(d / "crust" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, ["JM", "AK", "TS"][i % 3], 1 + (i * 7) % 5])
    _csv(d / "crust" / "grades.csv", rows)


def reject_codes(d: Path):
    import numpy as np
    r = _rng(8610)
    (d / "line2").mkdir(parents=True, exist_ok=True)
    np.save(d / "line2" / "crops.npy", r.integers(0, 255, (40, 64, 64, 3), dtype=np.uint8))
    codes = [int(c) for c in r.integers(0, 4, 40)]
    for k in (11, 27):
        codes[k] = 9                       # operator pressed "manual reject" on the tablet
    _csv(d / "line2" / "rejects.csv", [["crop", "code"]] + [[i, c] for i, c in enumerate(codes)])


def bottle_sheet(d: Path):
    r = _rng(8611)
    rows = [["bottle", "fill_ok", "label_ok"]]
    for i in range(32):
        name = f"btl_{7000 + i}.jpg"
        _save(d / "bottles" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, int(i % 6 != 3), int(i % 5 != 1)])
    _csv(d / "bottles" / "sheet.csv", rows)


def proofer_log(d: Path):
    """proofer/log_2024-11.csv as the production PC exports it (semicolons, decimal commas)."""
    r = _rng(8612)
    rows = [["batch", "temp_c", "rh_pct", "dough_temp_c", "yeast_pct", "proof_min"]]
    for i in range(48):
        t, rh, dt, y = r.uniform(24, 32), r.uniform(70, 85), r.uniform(23, 27), r.uniform(1.0, 3.0)
        rows.append([f"B{2400 + i}", f"{t:.1f}".replace(".", ","), f"{rh:.1f}".replace(".", ","),
                     f"{dt:.1f}".replace(".", ","), f"{y:.2f}".replace(".", ","), int(r.integers(45, 110))])
    _csv(d / "proofer" / "log_2024-11.csv", rows, delimiter=";")


def proof_folders(d: Path):
    r = _rng(8613)
    for c, n in (("ok", 14), ("over_proofed", 6)):
        for i in range(n):
            _save(d / "proofing" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))


def oven_probe(d: Path):
    import numpy as np
    r = _rng(8614)
    (d / "oven").mkdir(parents=True, exist_ok=True)
    np.save(d / "oven" / "frames.npy", r.integers(0, 255, (36, 64, 64, 3), dtype=np.uint8))
    rows = [["frame", "core_temp_c", "minutes_in", "oven_temp_c", "done"]]
    for i in range(36):
        rows.append([i, round(float(r.uniform(60, 98)), 1), int(r.integers(10, 45)), int(r.integers(200, 250)),
                     int(r.integers(0, 2))])
    _csv(d / "oven" / "probe.csv", rows)


def gravity_logs(d: Path):
    """models/stuck_fermentation.h5 (72 hourly readings) and tilt/current/*.csv logged every 30 minutes."""
    import numpy as np
    r = _rng(8615)
    for i in range(5):
        t = np.arange(144) / 2
        end = 1.018 if i == 3 else 1.010
        sg = end + (1.052 - end) * np.exp(-t / (40 if i == 3 else 18)) + r.normal(0, 0.0005, 144)
        _csv(d / "tilt" / "current" / f"FV{i + 1}.csv",
             [["time", "sg"]] + [[f"{h:.1f}", f"{v:.4f}"] for h, v in zip(t, sg)])
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("tfk2", """
        import tf_keras as keras
        from tf_keras import layers
        model = keras.Sequential([
            keras.Input((72, 1)),
            layers.Conv1D(16, 5, activation="relu"),
            layers.MaxPooling1D(2),
            layers.Conv1D(32, 5, activation="relu"),
            layers.Flatten(),
            layers.Dense(16, activation="relu"),
            layers.Dense(1, activation="sigmoid", name="stuck"),
        ], name="stuck_fermentation")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.save("models/stuck_fermentation.h5")
    """, d)


def foam_masks(d: Path):
    import numpy as np
    r = _rng(8616)
    for i in range(24):
        _save(d / "glass" / "images" / f"glass_{i:03d}.png", _blocky_rgb(r, 64, 64, block=4))
        mask = np.zeros((64, 64), np.uint8)
        mask[: int(r.integers(10, 30))] = 255
        _save(d / "glass" / "masks" / f"glass_{i:03d}.png", mask)


def crust_v1_weights(d: Path):
    r = _rng(8617)
    for c in BREADS + ["rye_sourdough"]:
        for i in range(5):
            _save(d / "crust_types" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("tfk2", """
        import tf_keras as keras
        from tf_keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax", name="bread"),
        ], name="crust_type")
        model.save_weights("models/crust_type_v1.h5")
    """, d)


def label_check_folders(d: Path):
    r = _rng(8618)
    for c in ("crooked", "missing", "straight"):
        for i in range(8):
            _save(d / "label_check" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))


def fill_volumes(d: Path):
    r = _rng(8619)
    rows = [["crop", "fill_ml"]]
    for i in range(40):
        name = f"neck_{i:03d}.png"
        _save(d / "fill" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, round(float(r.uniform(482, 508)), 1)])
    _csv(d / "fill" / "scale_readings.csv", rows)


def label_ok_crops(d: Path):
    import numpy as np
    r = _rng(8620)
    (d / "labels").mkdir(parents=True, exist_ok=True)
    np.save(d / "labels" / "crops.npy", r.integers(0, 255, (40, 64, 64, 3), dtype=np.uint8))
    np.save(d / "labels" / "label_ok.npy", (r.uniform(0, 1, 40) > 0.2).astype("float32"))


def stitched_scan(d: Path):
    r = _rng(8621)
    _save(d / "scans" / "yeast_stitched_2024-11-05.png", _blocky_rgb(r, 4000, 4000, block=16), mode="L")


def crust_photos_small(d: Path):
    r = _rng(8622)
    for c in BREADS:
        for i in range(6):
            _save(d / "crust_types" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 96, 96, block=4))


def supplier_photos(d: Path):
    r = _rng(8623)
    for i in range(16):
        _save(d / "drive" / "supplier_photos" / f"DSC_{3300 + i}.jpg", _blocky_rgb(r, 240, 320, block=8))


def bake_report_data(d: Path):
    import numpy as np
    r = _rng(8624)
    (d / "crust").mkdir(parents=True, exist_ok=True)
    np.save(d / "crust" / "trays.npy", r.integers(0, 255, (40, 64, 64, 3), dtype=np.uint8))
    np.save(d / "crust" / "colour_score.npy", r.uniform(1, 5, 40).astype("float32"))
    for i in range(6):
        _save(d / "today" / f"tray_{i:02d}.jpg", _blocky_rgb(r, 64, 64, block=4))
    (d / "drive" / "reports").mkdir(parents=True, exist_ok=True)


# ---------------------------------------------------------------- code snippets
IMPORTS = """
        import csv
        import glob
        import json
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
        name="keras-more86-oven-camera-tfrecord-on-cloud-drive-read-while-still-uploading-k3",
        cause="data.missing_or_corrupt",
        exception="DataLossError",
        setup=oven_tfrecord_uploading,
        pty=True,
        code=IMPORTS + """
        # proofing-stage frames from the oven camera, written to a shard on the shared drive by the production PC
        STAGES = ["under", "ready", "over"]
        files = sorted(glob.glob("{DATA}/drive/oven_cam/*.tfrecord"))
        print(files)

        spec = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "proof/stage": tf.io.FixedLenFeature([], tf.int64),
        }


        def parse(record):
            ex = tf.io.parse_single_example(record, spec)
            img = tf.io.decode_jpeg(ex["image/encoded"], channels=3)
            img = tf.image.resize(img, (96, 96)) / 255.0
            return img, ex["proof/stage"]


        ds = tf.data.TFRecordDataset(files).map(parse).batch(8).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(STAGES), activation="softmax"),
        ], name="proofing_stage")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more86-supplier-delivery-photos-saved-from-mail-client-as-jfif-tfk2",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        env="tfk2",
        setup=jfif_deliveries,
        code=tfk2(IMPORTS + """
        # photos of the flour and butter deliveries, saved from the suppliers' mails on the production PC
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/deliveries", validation_split=0.2, subset="training", seed=11,
            image_size=(96, 128), batch_size=4)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/deliveries", validation_split=0.2, subset="validation", seed=11,
            image_size=(96, 128), batch_size=4)

        model = keras.Sequential([
            keras.Input((96, 128, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ], name="delivery_check")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more86-bottling-line-fill-and-label-camera-frames-side-by-side-tf-concat-notebook-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        **notebook([
            cell(imports=True, body="""
            with open("{DATA}/line3/checks.csv") as f:
                rows = list(csv.DictReader(f))
            print(len(rows), "bottles from line 3")
            """),
            cell("""
            # one picture per bottle: fill camera on the left, label camera on the right
            def bottle_image(name):
                fill = tf.io.decode_png(tf.io.read_file("{DATA}/line3/fill/" + name), channels=3)
                label = tf.io.decode_png(tf.io.read_file("{DATA}/line3/label/" + name), channels=3)
                return tf.concat([fill, label], axis=1)


            x = np.stack([bottle_image(r["bottle"]).numpy() for r in rows]) / 255.0
            y = np.array([int(r["reject"]) for r in rows])
            x.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input(x.shape[1:]),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ], name="bottle_reject")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=3, batch_size=4)
            """),
        ], data=bottling_two_cameras),
    ),
    Case(
        name="keras-more86-two-deck-oven-cameras-frames-decoded-without-resize-batched-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=two_deck_ovens,
        pty=True,
        code=tfk2(IMPORTS + """
        STAGES = ["pale", "golden", "done"]
        with open("{DATA}/ovens/bake_stage.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/ovens/" + r["frame"] for r in rows]
        labels = [int(r["stage"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(STAGES), activation="softmax"),
        ], name="bake_stage")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more86-yeast-viability-model-trained-on-grey-micrographs-given-rgb-load-img-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=yeast_model_and_micrographs,
        code=IMPORTS + """
        # methylene-blue stains of this morning's pitching yeast, from the microscope on the lab PC
        model = keras.models.load_model("{DATA}/models/yeast_viability.keras")

        stains = sorted(glob.glob("{DATA}/new/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(96, 96))) for p in stains])
        probs = model.predict(x)
        for p, pr in zip(stains, probs):
            print(os.path.basename(p), f"viable {pr[1]:.0%}")
        """,
    ),
    Case(
        name="keras-more86-foam-micrographs-new-software-rgba-pngs-rgb-to-grayscale-in-map-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=foam_micrographs,
        pty=True,
        code=IMPORTS + """
        FOAM = ["coarse", "fine", "medium"]
        with open("{DATA}/foam/bubbles.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/foam/" + r["image"] for r in rows]
        labels = [FOAM.index(r["bubbles"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=0)
            img = tf.image.rgb_to_grayscale(img) if tf.shape(img)[-1] != 1 else img
            return tf.image.resize(img, (96, 96)) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(FOAM), activation="softmax"),
        ], name="foam_bubbles")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more86-label-placement-normalised-yolo-rows-parsed-as-pixel-boxes-crop-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=label_boxes_yolo,
        code=IMPORTS + """
        # crop the label of each bottle, then classify straight / crooked
        # (boxes as "class x y w h" in pixels, the way the old labelling tool wrote them)
        with open("{DATA}/labelcheck/placement.csv") as f:
            rows = list(csv.DictReader(f))

        crops = []
        for r in rows:
            img = tf.io.decode_jpeg(tf.io.read_file("{DATA}/labelcheck/images/" + r["photo"]), channels=3)
            with open("{DATA}/labelcheck/labels/" + r["photo"].replace(".jpg", ".txt")) as f:
                cls, x, y, w, h = (int(float(v)) for v in f.readline().split())
            crop = tf.image.crop_to_bounding_box(img, y, x, h, w)
            crops.append(tf.image.resize(crop, (48, 96)) / 255.0)
        x = np.stack(crops)
        y = np.array([r["placement"] == "crooked" for r in rows], dtype="float32")

        model = keras.Sequential([
            keras.Input((48, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="label_placement")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more86-label-anchors-kmeans-from-three-tablet-annotated-photos-reshaped-3x3-k3",
        cause="data.too_few_boxes",
        also=("data.bbox_invalid",),
        exception="ValueError",
        setup=three_annotated,
        code=IMPORTS + """
        # anchors for the label detector: k-means (1 - IoU) over the box sizes of the line tablet's export


        def iou(boxes, centres):
            w = np.minimum(boxes[:, None, 0], centres[None, :, 0])
            h = np.minimum(boxes[:, None, 1], centres[None, :, 1])
            inter = w * h
            return inter / (boxes[:, None].prod(-1) + centres[None].prod(-1) - inter)


        def kmeans(boxes, k, seed=0):
            rng = np.random.default_rng(seed)
            centres = boxes[rng.permutation(len(boxes))[:k]].copy()
            last = np.full(len(boxes), -1)
            while True:
                nearest = (1 - iou(boxes, centres)).argmin(1)
                if (nearest == last).all():
                    return centres
                for c in range(len(centres)):
                    centres[c] = np.median(boxes[nearest == c], axis=0)
                last = nearest


        labels = sorted(glob.glob("{DATA}/tablet_export/labels/*.txt"))
        images = sorted(glob.glob("{DATA}/tablet_export/images/*.jpg"))
        wh = np.concatenate([np.loadtxt(p, ndmin=2)[:, 3:5] for p in labels])
        print(len(images), "photos,", len(wh), "boxes")

        anchors = kmeans(wh, 9)
        anchors = anchors[np.argsort(anchors.prod(1))].reshape(3, 3, 2)   # 3 anchors per detection scale
        print((anchors * 416).round(1))
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more86-bakers-crust-colour-grades-1-to-5-five-unit-softmax-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=crust_grades,
        pty=True,
        code=IMPORTS + """
        # crust colour as the bakers grade it: 1 pale .. 5 dark
        with open("{DATA}/crust/grades.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/crust/" + r["tray_photo"]))
                      for r in rows]) / 255.0
        y = np.array([int(r["grade"]) for r in rows])
        NUM_GRADES = 5

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_GRADES, activation="softmax"),
        ], name="crust_colour")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more86-bottling-line-manual-reject-code-9-in-four-class-to-categorical-tfk2",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="tfk2",
        setup=reject_codes,
        code=tfk2(IMPORTS + """
        REJECTS = ["ok", "underfill", "overfill", "label_skew"]
        x = np.load("{DATA}/line2/crops.npy").astype("float32") / 255.0
        with open("{DATA}/line2/rejects.csv") as f:
            codes = np.array([int(r["code"]) for r in csv.DictReader(f)])   # reject code logged by the line tablet
        y = keras.utils.to_categorical(codes, num_classes=len(REJECTS))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(REJECTS), activation="softmax"),
        ], name="reject_reason")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more86-bottle-sheet-fill-ok-and-label-ok-columns-one-unit-sigmoid-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=bottle_sheet,
        code=IMPORTS + """
        with open("{DATA}/bottles/sheet.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/bottles/" + r["bottle"]))
                      for r in rows]) / 255.0
        y = np.array([[int(r["fill_ok"]), int(r["label_ok"])] for r in rows], dtype="float32")   # bottle passes?
        print("x", x.shape, "y", y.shape)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="bottle_ok"),
        ], name="bottle_check")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more86-proofer-sensor-log-decimal-commas-given-to-fit-as-strings-k3",
        cause="data.dtype",
        exception="ValueError",
        setup=proofer_log,
        code=IMPORTS + """
        # proof time from the proofer's sensor log (exported by the production PC)
        FEATURES = ["temp_c", "rh_pct", "dough_temp_c", "yeast_pct"]
        with open("{DATA}/proofer/log_2024-11.csv") as f:
            rows = list(csv.DictReader(f, delimiter=";"))
        x = np.array([[r[c] for c in FEATURES] for r in rows])
        y = np.array([float(r["proof_min"]) for r in rows], dtype="float32")
        print(rows[0])

        model = keras.Sequential([
            keras.Input((len(FEATURES),)),
            layers.Dense(32, activation="relu"),
            layers.Dense(16, activation="relu"),
            layers.Dense(1, name="proof_min"),
        ], name="proof_time")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=20, batch_size=8, validation_split=0.25)
        """,
    ),
    Case(
        name="keras-more86-weighted-over-proofing-bce-custom-loss-int32-directory-labels-tfk2",
        cause="data.dtype",
        exception="TypeError",
        env="tfk2",
        setup=proof_folders,
        code=tfk2(IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/proofing", image_size=(64, 64), batch_size=8,
                                                            seed=4)
        print(train_ds.class_names)
        POS_WEIGHT = 14 / 6          # over-proofed dough is rarer


        def weighted_bce(y_true, y_pred):
            y_pred = tf.clip_by_value(y_pred, 1e-7, 1 - 1e-7)
            return -tf.reduce_mean(POS_WEIGHT * y_true * tf.math.log(y_pred)
                                   + (1 - y_true) * tf.math.log(1 - y_pred))


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="over_proofed"),
        ], name="proofing_check")
        model.compile(optimizer="adam", loss=weighted_bce, metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more86-oven-frame-plus-core-probe-model-fitted-with-frames-only-notebook-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            frames = np.load("{DATA}/oven/frames.npy").astype("float32") / 255.0
            with open("{DATA}/oven/probe.csv") as f:
                rows = list(csv.DictReader(f))
            probe = np.array([[float(r["core_temp_c"]) / 100, float(r["minutes_in"]) / 60, float(r["oven_temp_c"]) / 250]
                              for r in rows], dtype="float32")
            done = np.array([int(r["done"]) for r in rows])
            frames.shape, probe.shape
            """),
            cell("""
            frame_in = keras.Input((64, 64, 3), name="frame")
            probe_in = keras.Input((3,), name="probe")
            t = layers.Conv2D(16, 3, activation="relu")(frame_in)
            t = layers.MaxPooling2D()(t)
            t = layers.Conv2D(32, 3, activation="relu")(t)
            t = layers.GlobalAveragePooling2D()(t)
            t = layers.Concatenate()([t, layers.Dense(8, activation="relu")(probe_in)])
            out = layers.Dense(1, activation="sigmoid", name="done")(t)
            model = keras.Model([frame_in, probe_in], out, name="bake_done")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            """),
            cell("""
            history = model.fit(frames, done, epochs=5, batch_size=6, validation_split=0.2)
            """),
        ], data=oven_probe),
    ),
    Case(
        name="keras-more86-stuck-fermentation-conv1d-h5-trained-on-hourly-gravity-given-half-hourly-log-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        setup=gravity_logs,
        code=tfk2(IMPORTS + """
        # the hydrometer app now logs every 30 minutes; the model was trained on 72 hourly readings
        model = keras.models.load_model("{DATA}/models/stuck_fermentation.h5")

        logs = sorted(glob.glob("{DATA}/tilt/current/*.csv"))
        curves = []
        for p in logs:
            with open(p) as f:
                curves.append([float(r["sg"]) for r in csv.DictReader(f)])
        x = ((np.array(curves, dtype="float32") - 1.0) * 100)[..., None]
        print("fermenters", x.shape)

        for p, pr in zip(logs, model.predict(x)[:, 0]):
            print(os.path.basename(p), "STUCK" if pr > 0.5 else "ok", f"{pr:.2f}")
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more86-beer-foam-head-mask-fcn-valid-padding-output-smaller-than-masks-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=foam_masks,
        code=IMPORTS + """
        # foam head on the glass, pixel by pixel, for the head-retention test
        images = sorted(glob.glob("{DATA}/glass/images/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in images]) / 255.0
        y = np.stack([keras.utils.img_to_array(keras.utils.load_img(p.replace("/images/", "/masks/"),
                                                                    color_mode="grayscale"))
                      for p in images]) / 255.0
        print("glasses", x.shape, "foam masks", y.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(1, 1, activation="sigmoid", name="foam"),
        ], name="foam_fcn")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more86-five-bread-crust-h5-weights-into-six-class-rebuild-with-rye-sourdough-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=crust_v1_weights,
        code=tfk2(IMPORTS + """
        # rye sourdough joins the range: same model, one more class, start from last season's weights
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/crust_types", image_size=(64, 64),
                                                            batch_size=8, seed=6)
        classes = train_ds.class_names
        print(classes)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(classes), activation="softmax", name="bread"),
        ], name="crust_type")
        model.load_weights("{DATA}/models/crust_type_v1.h5")

        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more86-label-check-notebook-compile-metrics-accuracy-as-plain-string-k3",
        cause="model.api_misuse",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/label_check", image_size=(64, 64), batch_size=8, seed=9)
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
            ], name="label_check")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics="accuracy")
            """),
            cell("""
            model.fit(train_ds, epochs=5)
            """),
        ], data=label_check_folders),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more86-fill-volume-regressor-raw-ml-raw-pixels-sgd-nan-cast-into-bincount-bands-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=fill_volumes,
        pty=True,
        code=IMPORTS + """
        # fill volume of each bottle from the neck crop; the target is the checkweigher's reading in ml
        with open("{DATA}/fill/scale_readings.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/fill/" + r["crop"]))
                      for r in rows])                                      # 0 .. 255
        y = np.array([float(r["fill_ml"]) for r in rows], dtype="float32")  # ~500 ml

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, name="fill_ml"),
        ], name="fill_volume")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, y, epochs=6, batch_size=8)

        pred = model.predict(x, verbose=0)[:, 0]
        bands = np.round((pred - 480) / 5).astype(int)     # 5 ml bands from 480 ml
        print("bottles per band:", np.bincount(bands, minlength=6))
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more86-label-ok-custom-loop-weighted-loss-averaged-with-np-mean-inside-tape-k3",
        cause="optim.autograd_graph",
        exception="AttributeError",
        setup=label_ok_crops,
        code=IMPORTS + """
        x = np.load("{DATA}/labels/crops.npy").astype("float32") / 255.0
        y = np.load("{DATA}/labels/label_ok.npy")[:, None]
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(40, seed=0).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="label_ok"),
        ], name="label_ok")
        opt = keras.optimizers.Adam(1e-3)
        REJECT_WEIGHT = 4.0          # a missed bad label costs more than a false alarm

        for epoch in range(5):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    p = model(xb, training=True)
                    per_bottle = keras.losses.binary_crossentropy(yb, p)
                    loss = np.mean(per_bottle * np.where(yb[:, 0] == 0, REJECT_WEIGHT, 1.0))
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {loss:.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more86-stitched-yeast-scan-every-64px-patch-sliding-window-view-reshaped-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=stitched_scan,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        from numpy.lib.stride_tricks import sliding_window_view

        # the microscope stitches the whole counting chamber into one scan; cut it into 64 px patches
        scan = keras.utils.img_to_array(keras.utils.load_img("{DATA}/scans/yeast_stitched_2024-11-05.png",
                                                             color_mode="grayscale"))[..., 0] / 255.0
        print("scan", scan.shape)
        patches = sliding_window_view(scan, (64, 64)).reshape(-1, 64, 64, 1)
        print(len(patches), "patches")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more86-keras3-tutorial-keras-ops-crust-jitter-layer-on-legacy-keras-pc-notebook-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        **notebook([
            cell("""
            # the production PC has TF_USE_LEGACY_KERAS=1 set for the old bottle-fill model
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers

            train_ds = keras.utils.image_dataset_from_directory("{DATA}/crust_types", image_size=(96, 96),
                                                                batch_size=8, seed=2)
            train_ds.class_names
            """),
            cell("""
            # colour jitter from the keras.io tutorial, so oven lighting does not decide the crust class
            class CrustJitter(layers.Layer):
                def __init__(self, strength=0.15, **kw):
                    super().__init__(**kw)
                    self.strength = strength

                def call(self, images, training=None):
                    if not training:
                        return images
                    scale = 1.0 + self.strength * (2 * tf.random.uniform((tf.shape(images)[0], 1, 1, 3)) - 1)
                    return keras.ops.clip(images * scale, 0.0, 255.0)
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((96, 96, 3)),
                CrustJitter(),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(train_ds.class_names), activation="softmax"),
            ], name="crust_type")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=5)
            """),
        ], data=crust_photos_small),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more86-supplier-photo-resize-pool-map-multiprocessing-lock-in-arguments-k3",
        cause="env.multiprocessing",
        exception="RuntimeError",
        setup=supplier_photos,
        code="""
        import glob
        import multiprocessing as mp
        import os

        from PIL import Image

        OUT = "resized"


        def resize(args):
            path, lock = args
            img = Image.open(path).convert("RGB").resize((128, 96))
            out = os.path.join(OUT, os.path.basename(path))
            img.save(out, quality=90)
            with lock:                                   # one line per photo in the shared log
                with open(os.path.join(OUT, "resize_log.csv"), "a") as f:
                    f.write(f"{os.path.basename(path)},{img.size[0]},{img.size[1]}\\n")
            return out


        if __name__ == "__main__":
            os.makedirs(OUT, exist_ok=True)
            paths = sorted(glob.glob("{DATA}/drive/supplier_photos/*.jpg"))
            lock = mp.Lock()
            with mp.Pool(4) as pool:
                done = pool.map(resize, [(p, lock) for p in paths])
            print("resized", len(done), "supplier photos")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more86-bake-report-float32-crust-scores-json-dump-to-shared-drive-k3",
        cause="other",
        exception="TypeError",
        setup=bake_report_data,
        pty=True,
        code=IMPORTS + """
        from datetime import date

        x = np.load("{DATA}/crust/trays.npy").astype("float32") / 255.0
        y = np.load("{DATA}/crust/colour_score.npy")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="colour_score"),
        ], name="crust_score")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=3, batch_size=8)

        trays = sorted(glob.glob("{DATA}/today/*.jpg"))
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in trays]) / 255.0
        scores = model.predict(photos, verbose=0)[:, 0]
        report = {"date": date(2024, 11, 6).isoformat(),
                  "trays": [{"photo": os.path.basename(p), "crust_score": s} for p, s in zip(trays, scores)]}
        with open("{DATA}/drive/reports/crust_2024-11-06.json", "w") as f:
            json.dump(report, f, indent=2)
        print("report written for", len(trays), "trays")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
