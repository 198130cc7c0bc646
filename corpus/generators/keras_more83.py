"""Untargeted held-out Keras / TensorFlow failures (g191, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of small fishing and aquaculture businesses
training Keras / tf.keras models with Keras 3 and tf_keras 2 in notebooks and scripts: catch photos taken
on deck for species and length (measuring-board photos from the boats' tablets), fish-farm net-pen
cameras for feeding behaviour and sea-lice counts, fish-market grading photos and echosounder / sonar
echogram images, with data coming from the boats' tablets, Syncthing and shared drives, spread over the
cause ids of the taxonomy:

- files: market grading photos still being transferred by Syncthing (only ``.syncthing.*.tmp`` files in
  the folder) read with ``tf.io.read_file`` (terminal); a lice-count CSV from the net-pen tablet app with
  empty cells for fish the counter skipped, read by ``CsvDataset`` with required fields;
- image sizes: frames from two net-pen camera models loaded without ``target_size`` and turned into one
  array (notebook); echograms of hauls of different lengths (ping counts) from ``from_generator``
  batched together (tf_keras, terminal);
- channels: measuring-board photos from the new tablet's document-scan mode saved as RGBA PNG, decoded
  with ``channels=0`` next to RGB photos and batched; grey echograms loaded with
  ``color_mode="grayscale"`` for a three-channel MobileNetV2;
- boxes: the tablet labelling app's YOLO export with a sixth confidence column reshaped into rows of
  five inside a ``PyDataset``;
- labels: lice counts per fish used as class ids with a head sized by the number of distinct counts
  (terminal); e-logbook species code 99 ("other / bycatch") among the six species ids (tf_keras);
- label shapes: one length row per fish for catch photos that hold several fish; lice / no-lice folders
  read with ``label_mode="categorical"`` for a one-unit sigmoid head;
- dtypes: FAO species codes (``"COD"``, ``"HAD"``) given to ``tf.one_hot`` in the ``tf.data`` map
  (notebook); a uint8 echogram concatenated with a float32 depth channel in the map;
- model inputs: a ``Conv2D`` model whose ``Input`` shape is taken from echogram arrays that have no
  channel axis;
- model outputs: a four-state feeding-behaviour model keeping the one-unit sigmoid head of the
  feeding / not-feeding notebook;
- weights: the infrared pen camera's one-channel lice model ``.weights.h5`` loaded into the RGB rebuild;
- API: ``evaluate`` given the labels again next to a labelled dataset;
- divergence: a fish-weight regressor on raw grams and raw pixels under SGD, its NaN predictions turned
  into weight classes (terminal);
- gradients: a sea-lice count loss taken from a thresholded density map (no gradient through the cast);
- host memory: a whole trip of echosounder pings preallocated as one float64 array;
- versions: Keras 3 layers put into ``tf.keras.Sequential`` on the office PC with
  ``TF_USE_LEGACY_KERAS=1`` (tf_keras); a 2018 fish-species notebook's ``Adam(lr=..., decay=...)``
  under Keras 3 (notebook);
- workers: an open raw sonar file handle bound with ``functools.partial`` and given to
  ``multiprocessing.Pool.map``;
- plain bugs: predicted lengths (arrays of one value) formatted with ``:.1f`` in the landing report.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more83.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g191): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more83.py"

SPECIES = ["cod", "haddock", "saithe", "mackerel", "plaice", "hake"]
FAO = ["COD", "HAD", "POK", "MAC", "PLE", "HKE"]
GRADES = ["A", "B", "C", "reject"]
FEEDING = ["idle", "approaching", "feeding", "satiated"]


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _save(path: Path, arr, quality=88, mode=None, **kw):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(path, quality=quality, **kw)
    else:
        img.save(path, **kw)


def _csv(path: Path, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def market_syncthing(d: Path):
    """market/grades.csv and the photos; five still in transfer (only Syncthing temp files exist)."""
    r = _rng(8301)
    rows = [["photo", "box", "grade"]]
    for i in range(40):
        name = f"IMG_20240918_{5 + i // 10:02d}{(i * 7) % 60:02d}{i:02d}.jpg"
        rows.append([name, f"BX{1200 + i}", GRADES[i % 4]])
        if i in (31, 33, 34, 36, 39):
            p = d / "market" / f".syncthing.{name}.tmp"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"\xff\xd8\xff\xe0" + bytes(r.integers(0, 255, 900, dtype="uint8")))
            continue
        _save(d / "market" / name, _blocky_rgb(r, 96, 96, block=4))
    _csv(d / "market" / "grades.csv", rows)


def lice_counts(d: Path):
    """pen7/fish_*.png and lice.csv (adult female, mobile, chalimus); two skipped cells left empty."""
    r = _rng(8302)
    lines = ["photo,adult_female,mobile,chalimus"]
    for i in range(32):
        name = f"fish_{i:03d}.png"
        _save(d / "pen7" / name, _blocky_rgb(r, 64, 64, block=4))
        af, mo, ch = (int(v) for v in r.integers(0, 6, 3))
        if i == 9:
            lines.append(f"{name},{af},{mo},")
        elif i == 21:
            lines.append(f"{name},{af},,{ch}")
        else:
            lines.append(f"{name},{af},{mo},{ch}")
    (d / "pen7" / "lice.csv").write_text("\n".join(lines) + "\n")


def two_pen_cameras(d: Path):
    """pens/<pen>/frame_*.jpg: pen 3 has the old 16:9 camera at 160 x 90, pen 4 the new one at 192 x 108."""
    r = _rng(8303)
    rows = [["frame", "feeding"]]
    for pen, (w, h) in (("pen3", (160, 90)), ("pen4", (192, 108))):
        for i in range(10):
            name = f"{pen}/frame_{i:04d}.jpg"
            _save(d / "pens" / name, _blocky_rgb(r, h, w, block=4))
            rows.append([name, int(r.integers(0, 2))])
    _csv(d / "pens" / "feeding.csv", rows)


def echogram_hauls(d: Path):
    """echo/haul_*.npy: Sv echograms (100 depth bins x pings), pings differ with the haul's length."""
    import numpy as np
    r = _rng(8304)
    rows = [["haul", "school"]]
    (d / "echo").mkdir(parents=True, exist_ok=True)
    for i in range(12):
        pings = [240, 240, 240, 300, 240, 180][i % 6]
        sv = r.uniform(-90, -30, (100, pings)).astype("float32")
        np.save(d / "echo" / f"haul_{i:02d}.npy", sv)
        rows.append([f"haul_{i:02d}.npy", int(r.integers(0, 3))])
    _csv(d / "echo" / "hauls.csv", rows)


def board_photos_rgba(d: Path):
    """board/*.png: measuring-board photos; those of the new tablet (document-scan mode) are RGBA."""
    import numpy as np
    r = _rng(8305)
    rows = [["photo", "species"]]
    for i in range(24):
        name = f"board_{i:03d}.png"
        rgb = _blocky_rgb(r, 128, 128, block=4)
        if i % 5 == 3:
            rgb = np.concatenate([rgb, np.full((128, 128, 1), 255, np.uint8)], axis=-1)
        _save(d / "board" / name, rgb)
        rows.append([name, SPECIES[i % 6]])
    _csv(d / "board" / "species.csv", rows)


def grey_echograms(d: Path):
    """echograms/<school>/*.png, greyscale exports of the echosounder software."""
    r = _rng(8306)
    for c in ("herring", "mackerel", "no_school"):
        for i in range(8):
            _save(d / "echograms" / c / f"{c}_{i:02d}.png", _blocky_rgb(r, 128, 128, block=4), mode="L")


def yolo_export_with_conf(d: Path):
    """deck/images/*.jpg and deck/labels/*.txt: YOLO lines with an extra confidence column."""
    r = _rng(8307)
    for i in range(12):
        _save(d / "deck" / "images" / f"deck_{i:03d}.jpg", _blocky_rgb(r, 96, 96, block=4))
        lines = []
        for k in range(2 + i % 2):
            cx, cy = r.uniform(0.2, 0.8, 2)
            w, h = r.uniform(0.1, 0.3, 2)
            lines.append(f"{int(r.integers(0, 6))} {cx:.4f} {cy:.4f} {w:.4f} {h:.4f} {r.uniform(0.4, 1):.2f}")
        (d / "deck" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "deck" / "labels" / f"deck_{i:03d}.txt").write_text("\n".join(lines) + "\n")


def lice_per_fish(d: Path):
    r = _rng(8308)
    rows = [["photo", "lice"]]
    counts = [0, 0, 1, 0, 2, 1, 3, 0, 5, 1, 0, 2, 7, 0, 1, 3]
    for i in range(32):
        name = f"fish_{i:03d}.png"
        _save(d / "lice" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, counts[i % len(counts)]])
    _csv(d / "lice" / "counts.csv", rows)


def logbook_species(d: Path):
    r = _rng(8309)
    rows = [["photo", "haul", "species_id"]]
    for i in range(36):
        name = f"catch_{i:03d}.jpg"
        _save(d / "catch" / name, _blocky_rgb(r, 64, 64, block=4))
        sid = 99 if i in (5, 17, 26) else i % 6
        rows.append([name, f"H{1 + i // 6}", sid])
    _csv(d / "catch" / "logbook.csv", rows)


def lengths_per_fish(d: Path):
    r = _rng(8310)
    rows = [["photo", "fish", "length_cm"]]
    for i in range(30):
        name = f"deck_{i:03d}.jpg"
        _save(d / "deck" / name, _blocky_rgb(r, 64, 64, block=4))
        for k in range(1 + (i % 4 == 0) + (i % 7 == 0)):
            rows.append([name, k + 1, round(float(r.uniform(28, 75)), 1)])
    _csv(d / "deck" / "lengths.csv", rows)


def lice_folders(d: Path):
    r = _rng(8311)
    for c in ("lice", "no_lice"):
        for i in range(10):
            _save(d / "crops" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))


def fao_codes(d: Path):
    r = _rng(8312)
    rows = [["photo", "species"]]
    for i in range(30):
        name = f"IMG_{7100 + i}.jpg"
        _save(d / "landing" / name, _blocky_rgb(r, 96, 96, block=4))
        rows.append([name, FAO[i % 6]])
    _csv(d / "landing" / "landing.csv", rows)


def echogram_pngs(d: Path):
    r = _rng(8313)
    rows = [["echogram", "school"]]
    for i in range(24):
        name = f"echo_{i:03d}.png"
        _save(d / "echo" / name, _blocky_rgb(r, 100, 200, block=4), mode="L")
        rows.append([name, int(r.integers(0, 3))])
    _csv(d / "echo" / "schools.csv", rows)


def echogram_arrays(d: Path):
    import numpy as np
    r = _rng(8314)
    (d / "echo").mkdir(parents=True, exist_ok=True)
    np.save(d / "echo" / "sv.npy", r.uniform(-90, -30, (36, 100, 200)).astype("float32"))
    np.save(d / "echo" / "school.npy", r.integers(0, 3, 36))


def feeding_frames(d: Path):
    import numpy as np
    r = _rng(8315)
    (d / "feeding").mkdir(parents=True, exist_ok=True)
    np.save(d / "feeding" / "frames.npy", r.integers(0, 255, (40, 64, 64, 3), dtype=np.uint8))
    np.save(d / "feeding" / "state.npy", r.integers(0, 4, 40))


def ir_lice_weights(d: Path):
    import numpy as np
    r = _rng(8316)
    (d / "pen2").mkdir(parents=True, exist_ok=True)
    np.save(d / "pen2" / "crops.npy", r.integers(0, 255, (32, 96, 96, 3), dtype=np.uint8))
    np.save(d / "pen2" / "lice.npy", r.integers(0, 2, 32))
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="lice"),
        ], name="lice_ir")
        model.save_weights("pen2/lice_ir.weights.h5")
    """, d)


def grade_folders(d: Path):
    r = _rng(8317)
    for split, n in (("train", 8), ("test", 3)):
        for c in GRADES:
            for i in range(n):
                _save(d / "grading" / split / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))


def weights_grams(d: Path):
    r = _rng(8318)
    rows = [["photo", "weight_g"]]
    for i in range(40):
        name = f"fish_{i:03d}.jpg"
        _save(d / "weigh" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, int(r.integers(350, 9000))])
    _csv(d / "weigh" / "weights.csv", rows)


def density_maps(d: Path):
    import numpy as np
    r = _rng(8319)
    (d / "lice").mkdir(parents=True, exist_ok=True)
    np.save(d / "lice" / "crops.npy", r.integers(0, 255, (32, 64, 64, 3), dtype=np.uint8))
    np.save(d / "lice" / "counts.npy", r.integers(0, 8, 32).astype("float32"))


def trip_meta(d: Path):
    import json
    (d / "trip").mkdir(parents=True, exist_ok=True)
    meta = {"vessel": "LK 412 Solbris", "start": "2024-10-02T04:10:00", "days": 12, "ping_rate_hz": 2.0,
            "samples_per_ping": 2500, "range_m": 500, "frequency_khz": 38}
    (d / "trip" / "trip.json").write_text(json.dumps(meta, indent=2))


def office_pc_photos(d: Path):
    r = _rng(8320)
    for c in SPECIES:
        for i in range(5):
            _save(d / "catch" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))


def species_npz(d: Path):
    import numpy as np
    r = _rng(8321)
    (d / "species").mkdir(parents=True, exist_ok=True)
    np.savez(d / "species" / "fish_species_64.npz", x=r.integers(0, 255, (48, 64, 64, 3), dtype=np.uint8),
             y=r.integers(0, 6, 48))


def raw_sonar(d: Path):
    import numpy as np
    r = _rng(8322)
    (d / "sonar").mkdir(parents=True, exist_ok=True)
    r.uniform(-90, -30, (400, 500)).astype("<f4").tofile(d / "sonar" / "D20241003-T041000.raw")


def length_model(d: Path):
    import numpy as np
    r = _rng(8323)
    for i in range(6):
        _save(d / "landed" / f"IMG_{8800 + i}.jpg", _blocky_rgb(r, 64, 64, block=4))
    (d / "deck").mkdir(parents=True, exist_ok=True)
    np.save(d / "deck" / "photos.npy", r.integers(0, 255, (40, 64, 64, 3), dtype=np.uint8))
    np.save(d / "deck" / "length_cm.npy", r.uniform(25, 80, 40).astype("float32"))


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
        name="keras-more83-market-grading-photos-still-syncthing-tmp-files-read-file-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=market_syncthing,
        pty=True,
        code=IMPORTS + """
        # grading photos from the auction hall tablet, synced to the office by Syncthing
        GRADES = ["A", "B", "C", "reject"]
        with open("{DATA}/market/grades.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/market/" + r["photo"] for r in rows]
        labels = [GRADES.index(r["grade"]) for r in rows]
        print(len(rows), "boxes graded")


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (96, 96)) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADES), activation="softmax"),
        ], name="market_grade")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more83-net-pen-lice-csv-empty-cells-csvdataset-required-fields-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=lice_counts,
        code=IMPORTS + """
        # lice counts typed on the pen tablet: adult female, mobile, chalimus per fish
        ds = tf.data.experimental.CsvDataset(
            "{DATA}/pen7/lice.csv",
            record_defaults=[tf.string, tf.float32, tf.float32, tf.float32],
            header=True)


        def load(photo, af, mo, ch):
            img = tf.io.decode_png(tf.io.read_file("{DATA}/pen7/" + photo), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            return img, tf.stack([af, mo, ch])


        ds = ds.map(load).shuffle(64, seed=7).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="relu", name="lice_counts"),
        ], name="lice_counter")
        model.compile(optimizer="adam", loss="mae")
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more83-two-net-pen-camera-models-load-img-without-target-size-np-array-notebook-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            with open("{DATA}/pens/feeding.csv") as f:
                rows = list(csv.DictReader(f))
            print(len(rows), "frames from pens 3 and 4")
            """),
            cell("""
            frames = [keras.utils.img_to_array(keras.utils.load_img("{DATA}/pens/" + r["frame"])) for r in rows]
            x = np.array(frames) / 255.0
            y = np.array([int(r["feeding"]) for r in rows])
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
            ], name="pen_feeding")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=3, batch_size=4)
            """),
        ], data=two_pen_cameras),
    ),
    Case(
        name="keras-more83-echograms-of-hauls-with-different-ping-counts-from-generator-batched-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=echogram_hauls,
        pty=True,
        code=tfk2(IMPORTS + """
        # one echogram per haul: 100 depth bins x the pings recorded while the trawl was down
        with open("{DATA}/echo/hauls.csv") as f:
            rows = list(csv.DictReader(f))


        def hauls():
            for r in rows:
                sv = np.load("{DATA}/echo/" + r["haul"])
                yield ((sv + 90.0) / 60.0)[..., None], int(r["school"])


        ds = tf.data.Dataset.from_generator(
            hauls,
            output_signature=(tf.TensorSpec((100, None, 1), tf.float32), tf.TensorSpec((), tf.int32)),
        ).batch(4)

        model = keras.Sequential([
            keras.Input((100, None, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalMaxPooling2D(),
            layers.Dense(3, activation="softmax"),
        ], name="school_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more83-measuring-board-document-scan-rgba-pngs-decode-png-channels-0-batched-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=board_photos_rgba,
        code=IMPORTS + """
        SPECIES = ["cod", "haddock", "saithe", "mackerel", "plaice", "hake"]
        with open("{DATA}/board/species.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/board/" + r["photo"] for r in rows]
        labels = [SPECIES.index(r["species"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=0)   # keep whatever the tablet saved
            img = tf.image.resize(img, (128, 128)) / 255.0
            return img, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(6)

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(SPECIES), activation="softmax"),
        ], name="board_species")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more83-grey-echograms-color-mode-grayscale-into-mobilenetv2-three-channels-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=grey_echograms,
        code=IMPORTS + """
        # echograms are grey anyway, so load them as grey
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/echograms", image_size=(128, 128), color_mode="grayscale", batch_size=8, seed=3)
        class_names = train_ds.class_names

        base = keras.applications.MobileNetV2(input_shape=(128, 128, 3), include_top=False, weights=None,
                                              alpha=0.35)
        model = keras.Sequential([
            layers.Rescaling(1.0 / 127.5, offset=-1),
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ], name="school_echogram")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more83-tablet-yolo-export-sixth-confidence-column-reshaped-rows-of-five-pydataset-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=yolo_export_with_conf,
        code=IMPORTS + """
        MAX_FISH = 4


        class DeckBoxes(keras.utils.PyDataset):
            # images and YOLO boxes (class cx cy w h) exported by the labelling app on the boat tablet
            def __init__(self, root, batch_size=4, **kw):
                super().__init__(**kw)
                self.images = sorted(glob.glob(root + "/images/*.jpg"))
                self.root = root
                self.batch_size = batch_size

            def __len__(self):
                return len(self.images) // self.batch_size

            def __getitem__(self, idx):
                xs, ys = [], []
                for p in self.images[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    xs.append(keras.utils.img_to_array(keras.utils.load_img(p)) / 255.0)
                    name = os.path.basename(p).replace(".jpg", ".txt")
                    boxes = np.loadtxt(f"{self.root}/labels/{name}", ndmin=2).reshape(-1, 5)
                    target = np.zeros((MAX_FISH, 5), "float32")
                    target[:len(boxes)] = boxes[:MAX_FISH]
                    ys.append(target[:, 1:].reshape(-1))
                return np.stack(xs), np.stack(ys)


        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(MAX_FISH * 4, activation="sigmoid"),
        ], name="deck_boxes")
        model.compile(optimizer="adam", loss="mse")
        model.fit(DeckBoxes("{DATA}/deck"), epochs=3)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more83-lice-counts-as-class-ids-head-sized-by-distinct-counts-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=lice_per_fish,
        pty=True,
        code=IMPORTS + """
        with open("{DATA}/lice/counts.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/lice/" + r["photo"]))
                      for r in rows]) / 255.0
        y = np.array([int(r["lice"]) for r in rows])
        NUM_CLASSES = len(np.unique(y))           # one class per lice count seen on the fish
        print("lice counts seen:", np.unique(y), "->", NUM_CLASSES, "classes")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ], name="lice_count_cls")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8, shuffle=False)
        """,
    ),
    Case(
        name="keras-more83-elogbook-species-code-99-other-bycatch-six-species-head-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=logbook_species,
        code=tfk2(IMPORTS + """
        SPECIES = ["cod", "haddock", "saithe", "mackerel", "plaice", "hake"]
        with open("{DATA}/catch/logbook.csv") as f:
            rows = list(csv.DictReader(f))           # species_id as the e-logbook writes it
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/catch/" + r["photo"]))
                      for r in rows]) / 255.0
        y = np.array([int(r["species_id"]) for r in rows])

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(SPECIES), activation="softmax"),
        ], name="catch_species")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=6)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more83-one-length-row-per-fish-for-deck-photos-with-several-fish-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=lengths_per_fish,
        code=IMPORTS + """
        photos = sorted(glob.glob("{DATA}/deck/*.jpg"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in photos]) / 255.0
        with open("{DATA}/deck/lengths.csv") as f:
            y = np.array([float(r["length_cm"]) for r in csv.DictReader(f)], dtype="float32")
        print(len(photos), "photos,", len(y), "lengths")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="length_cm"),
        ], name="deck_length")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=3, batch_size=6)
        """,
    ),
    Case(
        name="keras-more83-lice-crop-folders-label-mode-categorical-one-unit-sigmoid-bce-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=lice_folders,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/crops", image_size=(64, 64), batch_size=8, label_mode="categorical", seed=1)
        print(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="lice"),
        ], name="lice_crop")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more83-fao-species-codes-given-to-tf-one-hot-in-map-notebook-k3",
        cause="data.dtype",
        exception="TypeError",
        **notebook([
            cell(imports=True, body="""
            with open("{DATA}/landing/landing.csv") as f:
                rows = list(csv.DictReader(f))
            paths = ["{DATA}/landing/" + r["photo"] for r in rows]
            species = [r["species"] for r in rows]          # FAO 3-alpha codes from the landing sheet
            print(sorted(set(species)))
            """),
            cell("""
            def load(path, code):
                img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
                img = tf.image.resize(img, (96, 96)) / 255.0
                return img, tf.one_hot(code, 6)


            ds = tf.data.Dataset.from_tensor_slices((paths, species)).map(load).batch(6)
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((96, 96, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(6, activation="softmax"),
            ], name="landing_species")
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            model.fit(ds, epochs=3)
            """),
        ], data=fao_codes),
    ),
    Case(
        name="keras-more83-uint8-echogram-concat-float32-depth-channel-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=echogram_pngs,
        code=IMPORTS + """
        with open("{DATA}/echo/schools.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/echo/" + r["echogram"] for r in rows]
        labels = [int(r["school"]) for r in rows]

        # second channel: the depth of each row (0 .. 500 m), so the model knows where a school sits
        depth = tf.tile(tf.linspace(0.0, 1.0, 100)[:, None, None], [1, 200, 1])


        def load(path, label):
            echo = tf.io.decode_png(tf.io.read_file(path), channels=1)
            return tf.concat([echo, depth], axis=-1), label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8)
        model = keras.Sequential([
            keras.Input((100, 200, 2)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ], name="school_depth")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more83-echogram-sv-input-shape-from-array-without-channel-axis-conv2d-model-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=echogram_arrays,
        code=IMPORTS + """
        sv = np.load("{DATA}/echo/sv.npy")                 # (echograms, depth bins, pings) in dB
        y = np.load("{DATA}/echo/school.npy")
        x = (sv + 90.0) / 60.0
        print("echograms", x.shape)

        inputs = keras.Input(x.shape[1:])                   # (depth, pings)
        t = layers.Conv2D(16, 3, activation="relu")(inputs)
        t = layers.MaxPooling2D()(t)
        t = layers.Conv2D(32, 3, activation="relu")(t)
        t = layers.GlobalAveragePooling2D()(t)
        outputs = layers.Dense(3, activation="softmax")(t)
        model = keras.Model(inputs, outputs, name="school_sv")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=6)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more83-four-feeding-states-kept-one-unit-sigmoid-head-sparse-xent-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        setup=feeding_frames,
        code=IMPORTS + """
        # was feeding / not feeding; now four states from the pen camera review sheet
        FEEDING = ["idle", "approaching", "feeding", "satiated"]
        x = np.load("{DATA}/feeding/frames.npy").astype("float32") / 255.0
        y = np.load("{DATA}/feeding/state.npy")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="feeding"),
        ], name="pen_feeding")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more83-ir-pen-camera-one-channel-lice-weights-into-rgb-rebuild-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=ir_lice_weights,
        code=IMPORTS + """
        # start from the lice model trained on the infrared pen camera; pen 2 has the new colour camera
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="lice"),
        ], name="lice_rgb")
        model.load_weights("{DATA}/pen2/lice_ir.weights.h5")

        x = np.load("{DATA}/pen2/crops.npy")
        y = np.load("{DATA}/pen2/lice.npy")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more83-market-grade-evaluate-given-labels-again-next-to-labelled-dataset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=grade_folders,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/grading/train", image_size=(64, 64), batch_size=8, seed=2)
        test_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/grading/test", image_size=(64, 64), batch_size=8, shuffle=False)
        test_labels = np.concatenate([y.numpy() for _, y in test_ds])

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ], name="market_grade")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        loss, acc = model.evaluate(test_ds, test_labels)
        print(f"test accuracy {acc:.3f}")
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more83-fish-weight-raw-grams-raw-pixels-sgd-nan-into-weight-class-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=weights_grams,
        pty=True,
        code=IMPORTS + """
        WEIGHT_CLASSES = ["<0.5 kg", "0.5-1 kg", "1-2 kg", "2-4 kg", "4-8 kg", "8+ kg"]
        with open("{DATA}/weigh/weights.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/weigh/" + r["photo"]))
                      for r in rows])                           # 0 .. 255
        y = np.array([float(r["weight_g"]) for r in rows], dtype="float32")    # grams

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, name="weight_g"),
        ], name="fish_weight")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, y, epochs=6, batch_size=8)

        for r, w in zip(rows[:8], model.predict(x[:8], verbose=0)[:, 0]):
            band = min(int(w // 1000), 5)
            print(r["photo"], f"{w:.0f} g", WEIGHT_CLASSES[band])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more83-sea-lice-count-loss-from-thresholded-density-map-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=density_maps,
        code=IMPORTS + """
        x = np.load("{DATA}/lice/crops.npy").astype("float32") / 255.0
        counts = np.load("{DATA}/lice/counts.npy")
        ds = tf.data.Dataset.from_tensor_slices((x, counts)).shuffle(32, seed=0).batch(8)

        # per-pixel lice map; a louse is a pixel above 0.5, the count is the number of such pixels / 9
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="sigmoid", name="lice_map"),
        ], name="lice_density")
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(5):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    lice_map = model(xb, training=True)
                    pred_count = tf.reduce_sum(tf.cast(lice_map > 0.5, tf.float32), axis=[1, 2, 3]) / 9.0
                    loss = tf.reduce_mean(tf.abs(pred_count - yb))
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: count mae {float(loss):.2f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more83-whole-trip-echosounder-pings-preallocated-float64-array-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=trip_meta,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        with open("{DATA}/trip/trip.json") as f:
            trip = json.load(f)
        n_pings = int(trip["days"] * 86400 * trip["ping_rate_hz"])
        print(trip["vessel"], ":", n_pings, "pings x", trip["samples_per_ping"], "samples")

        # the whole trip as one echogram, then cut into 256-ping windows for the school classifier
        echogram = np.full((n_pings, trip["samples_per_ping"]), -999.0)
        windows = echogram[: n_pings // 256 * 256].reshape(-1, 256, trip["samples_per_ping"])
        print(windows.shape)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more83-keras3-layers-in-tf-keras-sequential-office-pc-legacy-keras-tfk2",
        cause="env.version_incompat",
        exception="TypeError",
        env="tfk2",
        setup=office_pc_photos,
        code="""
        # the office PC has TF_USE_LEGACY_KERAS=1 set for the old lice counter
        import numpy as np
        import tensorflow as tf
        from keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/catch", image_size=(64, 64), batch_size=8, seed=5)

        model = tf.keras.Sequential([
            tf.keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ], name="catch_species")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more83-2018-fish-species-notebook-adam-lr-decay-under-keras3-notebook-k3",
        cause="env.version_incompat",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            data = np.load("{DATA}/species/fish_species_64.npz")
            x, y = data["x"].astype("float32") / 255.0, keras.utils.to_categorical(data["y"], 6)
            x.shape, y.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(32, (3, 3), activation="relu"),
                layers.MaxPooling2D((2, 2)),
                layers.Conv2D(64, (3, 3), activation="relu"),
                layers.MaxPooling2D((2, 2)),
                layers.Flatten(),
                layers.Dense(128, activation="relu"),
                layers.Dropout(0.5),
                layers.Dense(6, activation="softmax"),
            ])
            model.compile(optimizer=keras.optimizers.Adam(lr=0.001, decay=1e-6),
                          loss="categorical_crossentropy", metrics=["accuracy"])
            """),
            cell("""
            history = model.fit(x, y, epochs=5, batch_size=16, validation_split=0.2)
            """),
        ], data=species_npz),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more83-open-raw-sonar-file-handle-partial-pool-map-ping-reader-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=raw_sonar,
        code="""
        import functools
        import glob
        import multiprocessing as mp

        import numpy as np

        SAMPLES = 500
        BYTES_PER_PING = SAMPLES * 4


        def read_ping(fh, index):
            fh.seek(index * BYTES_PER_PING)
            return np.frombuffer(fh.read(BYTES_PER_PING), dtype="<f4")


        if __name__ == "__main__":
            raw = sorted(glob.glob("{DATA}/sonar/*.raw"))[0]
            n_pings = 400
            with open(raw, "rb") as fh, mp.Pool(4) as pool:
                pings = pool.map(functools.partial(read_ping, fh), range(n_pings))
            echogram = np.stack(pings)
            np.save("echogram.npy", echogram)
            print("echogram", echogram.shape)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more83-landing-report-formats-one-value-prediction-arrays-with-1f-k3",
        cause="other",
        exception="TypeError",
        setup=length_model,
        code=IMPORTS + """
        x = np.load("{DATA}/deck/photos.npy").astype("float32") / 255.0
        y = np.load("{DATA}/deck/length_cm.npy")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="length_cm"),
        ], name="deck_length")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=3, batch_size=8, verbose=2)

        landed = sorted(glob.glob("{DATA}/landed/*.jpg"))
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in landed]) / 255.0
        print("landing report")
        for p, length in zip(landed, model.predict(photos, verbose=0)):
            undersize = "UNDERSIZE" if length < 35 else ""
            print(f"{os.path.basename(p):16s} {length:.1f} cm {undersize}")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
