"""Untargeted held-out Keras / TensorFlow failures (g189, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of beekeepers, apiarists and small farm co-ops
training Keras / tf.keras models on old laptops, in notebooks and plain scripts: hive-frame photos for
brood and varroa-mite detection (frame cells, sticky-board mite counts and mite crops), hive-entrance
camera bee counting and behaviour clips (a Raspberry Pi camera at the landing board, infrared at
night), honey-colour grading photos (jars and Pfund-comparator cuvettes photographed by members) and
flower / forage maps from members' phone photos, with data kept in shared spreadsheets, Google Drive
downloads and Roboflow exports, spread over the cause ids of the taxonomy:

- files: pollen-forager crops from the entrance Pi, the JPEGs written during a power cut left at 0
  bytes, read by ``image_dataset_from_directory`` (terminal); a Google Drive download of the inspection
  photos split into two zips, only the first unzipped, read with ``tf.io.read_file`` (notebook);
- image sizes: sticky-board scans made at 300 and 600 dpi, cut into a fixed grid of tiles by a
  ``tf.reshape`` in the ``tf.data`` map (tf_keras);
- channels: forage flower photos cut out by a background-removal app (RGBA PNG) read with PIL; night
  infrared entrance frames saved as one-channel JPEGs, decoded with ``channels=0`` next to colour day
  frames and batched;
- boxes: Roboflow export resized to 640 x 640 while the mite boxes are still in the 4032 x 3024
  pixels of the phone photos, cut with ``crop_to_bounding_box``;
- labels: honey colour grades recorded as Pfund millimetre limits (8 ... 140) used as class ids
  (terminal); ``-1`` typed in the co-op sheet for unreadable sticky boards (tf_keras);
- label shapes: ``to_categorical`` brood-frame labels under ``sparse_categorical_crossentropy``
  (tf_keras); bee counts logged once a minute for entrance frames taken every 10 seconds;
- dtypes: Pfund readings typed as ``"34 mm"`` strings in the sheet given to ``fit``; a forage survey
  CSV parsed by ``tf.io.decode_csv`` with float defaults, its plant id fed to ``tf.one_hot``;
- model inputs: 8-frame entrance clips (fanning / guarding / robbing) given to a ``Conv2D`` model; a
  ``Flatten`` varroa classifier trained on 64 px crops used on 128 px crops (tf_keras);
- model outputs: a brood-cell segmentation U-Net whose decoder stops one upsampling short of the mask;
- weights: a member's ``bee_counter.h5`` weights loaded into the blog's version of the model that adds
  a ``BatchNormalization`` (tf_keras);
- API: jar photos read with ``labels=None`` from their flat folder, then mapped by a
  ``lambda image, label`` written for labelled datasets;
- divergence: an ordinal varroa-level regressor on unscaled board photos under SGD, its rounded
  predictions given to ``tf.math.confusion_matrix``;
- gradients: the forward pass of the bee counter run before the ``GradientTape`` is opened;
- host memory: a full pairwise distance matrix between every bee detection of a day's entrance
  frames, to link detections into tracks;
- versions: a honey grader saved as ``.keras`` by Keras 3 on a member's new laptop loaded by
  ``tf_keras`` on the co-op's old one (tf_keras); ``astype(np.float)`` in a 2019 bee-counting blog's
  preprocessing under NumPy 2 (notebook);
- workers: an open ``tf.io.TFRecordWriter`` passed to ``multiprocessing.Pool.starmap`` to write
  hive-frame shards;
- plain bugs: EXIF ``DateTime`` strings (``2024:06:12 14:03:22``) of forage photos parsed with
  ``datetime.fromisoformat``.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more82.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g189): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more82.py"

FRAME_CLASSES = ["capped_brood", "empty", "honey", "larvae", "pollen"]
GRADES = ["water_white", "extra_white", "white", "extra_light_amber", "light_amber", "amber", "dark_amber"]
PFUND_MM = [8, 17, 34, 50, 85, 114, 140]
PLANTS = ["clover", "dandelion", "heather", "lime_tree", "oilseed_rape", "phacelia"]
BEHAVIOURS = ["fanning", "guarding", "robbing"]


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


def pollen_crops(d: Path):
    """entrance/pollen/*.jpg and entrance/no_pollen/*.jpg; three written during a power cut are 0 bytes."""
    r = _rng(8201)
    for c in ("no_pollen", "pollen"):
        for i in range(10):
            name = f"pi_20240612_{6 + i:02d}{(i * 7) % 60:02d}{i:02d}_{c[:2]}.jpg"
            p = d / "entrance" / c / name
            if (c, i) in (("pollen", 3), ("no_pollen", 4), ("no_pollen", 5)):
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(b"")
                continue
            _save(p, _blocky_rgb(r, 96, 96, block=4))


def drive_download(d: Path):
    """inspections.csv (hive, date, frame photo, class) and the first of two Drive zips unzipped."""
    r = _rng(8202)
    rows = [["hive", "inspected", "photo", "frame_class"]]
    for i in range(48):
        name = f"IMG_{20240601 + i // 8}_{1030 + i * 3:04d}.jpg"
        rows.append([f"H{1 + i % 6}", f"2024-06-{1 + i // 8:02d}", name, FRAME_CLASSES[i % 5]])
        if i < 30:               # drive-download-20240615T0915Z-001.zip; the -002.zip was never opened
            _save(d / "inspection_photos" / name, _blocky_rgb(r, 128, 128, block=4))
    _csv(d / "inspections.csv", rows)


def sticky_scans(d: Path):
    """boards/*.png: sticky-board scans, most at 300 dpi (600 x 900 px), two at 600 dpi."""
    r = _rng(8204)
    rows = [["scan", "mites"]]
    for i in range(10):
        big = i in (4, 8)
        h, w = (1200, 1800) if big else (600, 900)
        name = f"board_H{1 + i % 5}_w{23 + i // 5}.png"
        _save(d / "boards" / name, _blocky_rgb(r, h, w, block=12))
        rows.append([name, int(r.integers(0, 40))])
    _csv(d / "boards" / "counts.csv", rows)


def cutout_flowers(d: Path):
    """forage/<plant>/*.png cut out by a background-removal app (RGBA)."""
    import numpy as np
    r = _rng(8205)
    for c in PLANTS:
        for i in range(4):
            rgb = _blocky_rgb(r, 96, 96)
            alpha = np.full((96, 96, 1), 255, np.uint8)
            alpha[:12] = 0
            alpha[-12:] = 0
            _save(d / "forage" / c / f"{c}_{i:02d}_cutout.png", np.concatenate([rgb, alpha], axis=-1))


def day_night_frames(d: Path):
    """frames/*.jpg from the entrance Pi: colour by day, one-channel infrared JPEGs at night."""
    r = _rng(8206)
    rows = [["frame", "bees"]]
    for i in range(24):
        hour = (i * 2) % 24
        name = f"entrance_{hour:02d}{i:02d}00.jpg"
        mode = "L" if hour < 6 or hour >= 21 else None
        _save(d / "frames" / name, _blocky_rgb(r, 120, 160, block=4), mode=mode)
        rows.append([name, int(r.integers(0, 30))])
    _csv(d / "frames" / "counts.csv", rows)


def roboflow_export(d: Path):
    """roboflow/train/*.jpg (stretched to 640 x 640) and the annotations still in 4032 x 3024 pixels."""
    r = _rng(8207)
    rows = [["filename", "width", "height", "class", "xmin", "ymin", "xmax", "ymax"]]
    for i in range(6):
        name = f"board_{i:02d}_jpg.rf.{r.integers(16**7, 16**8):08x}.jpg"
        _save(d / "roboflow" / "train" / name, _blocky_rgb(r, 640, 640))
        for k in range(4):
            x = int(r.integers(200, 3800))
            y = int(r.integers(200, 2800))
            rows.append([name, 640, 640, ["mite", "debris"][k % 2], x, y, x + 30, y + 28])
    _csv(d / "roboflow" / "train" / "_annotations.csv", rows)


def pfund_sheet(d: Path):
    r = _rng(8208)
    rows = [["jar_photo", "apiary", "pfund_mm"]]
    for i in range(42):
        name = f"jar_{i:03d}.jpg"
        _save(d / "jars" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, ["Hillside", "Orchard", "Heath"][i % 3], PFUND_MM[i % 7]])
    _csv(d / "jars" / "colour_grades.csv", rows)


def board_sheet(d: Path):
    r = _rng(8209)
    rows = [["board_photo", "hive", "infestation"]]   # 0 low, 1 medium, 2 high; -1 board unreadable
    for i in range(36):
        name = f"board_{i:03d}.jpg"
        _save(d / "boards" / name, _blocky_rgb(r, 64, 64, block=4))
        level = -1 if i in (7, 22, 29) else int(r.integers(0, 3))
        rows.append([name, f"H{1 + i % 9}", level])
    _csv(d / "boards" / "infestation.csv", rows)


def frame_folders(d: Path, per=6, seed=8210, size=64):
    r = _rng(seed)
    for c in FRAME_CLASSES:
        for i in range(per):
            _save(d / "frames" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, size, size, block=4))


def entrance_minutes(d: Path):
    """entrance/frames/*.png every 10 s from 10:00 to 10:30 and counts.csv with one count a minute."""
    r = _rng(8211)
    rows = [["minute", "bees_in", "bees_out"]]
    for s in range(0, 30 * 60, 10):
        _save(d / "entrance" / "frames" / f"f_10{s // 60:02d}{s % 60:02d}.png", _blocky_rgb(r, 48, 64, block=4))
    for m in range(30):
        rows.append([f"10:{m:02d}", int(r.integers(5, 60)), int(r.integers(5, 60))])
    _csv(d / "entrance" / "counts.csv", rows)


def pfund_strings(d: Path):
    r = _rng(8212)
    rows = [["photo", "pfund"]]
    for i in range(30):
        name = f"cuvette_{i:03d}.png"
        _save(d / "cuvettes" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, f"{int(r.integers(5, 140))} mm"])
    _csv(d / "cuvettes" / "readings.csv", rows)


def forage_survey(d: Path):
    r = _rng(8213)
    lines = []
    for i in range(36):
        name = f"PXL_20240{5 + i % 3}{10 + i % 18}_{i:04d}.jpg"
        _save(d / "survey" / name, _blocky_rgb(r, 96, 96))
        lines.append(f"{name},{i % len(PLANTS)}")
    (d / "survey" / "plants.csv").write_text("photo,plant_id\n" + "\n".join(lines) + "\n")


def entrance_clips(d: Path):
    """clips/<behaviour>/<clip>/f00.png .. f07.png (8 frames each)."""
    r = _rng(8214)
    for b in BEHAVIOURS:
        for k in range(5):
            for f in range(8):
                _save(d / "clips" / b / f"{b}_{k:02d}" / f"f{f:02d}.png", _blocky_rgb(r, 64, 64, block=4))


def varroa_model_and_crops(d: Path):
    r = _rng(8215)
    for i in range(6):
        _save(d / "new_crops" / f"crop_{i:02d}.png", _blocky_rgb(r, 128, 128, block=4))
    prep("tfk2", """
        import os
        import numpy as np
        import tf_keras as keras
        from tf_keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(2, activation="softmax"),
        ], name="varroa_crop")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(16, 64, 64, 3) * 255, np.random.randint(0, 2, 16), epochs=1, verbose=0)
        model.save("models/varroa_crop_64.h5")
    """, d)


def brood_masks(d: Path):
    import numpy as np
    r = _rng(8216)
    for i in range(16):
        _save(d / "brood" / "images" / f"frame_{i:03d}.png", _blocky_rgb(r, 128, 128, block=4))
        mask = (r.random((16, 16)) > 0.6).astype(np.uint8) * 255
        mask = np.repeat(np.repeat(mask, 8, axis=0), 8, axis=1)
        _save(d / "brood" / "masks" / f"frame_{i:03d}.png", mask)


BEE_COUNTER_V1 = """
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="relu", name="count"),
        ], name="bee_counter")
"""


def bee_counter_weights(d: Path):
    import numpy as np
    r = _rng(8217)
    (d / "counts").mkdir(parents=True, exist_ok=True)
    np.save(d / "counts" / "frames.npy", r.integers(0, 255, (40, 64, 64, 3), dtype=np.uint8))
    np.save(d / "counts" / "bees.npy", r.integers(0, 40, 40).astype("float32"))
    prep("tfk2", """
        import tf_keras as keras
        from tf_keras import layers
    """ + BEE_COUNTER_V1 + """
        model.save_weights("counts/bee_counter.h5")
    """, d)


def varroa_levels(d: Path):
    r = _rng(8218)
    rows = [["board", "level"]]
    for i in range(40):
        name = f"board_{i:03d}.png"
        _save(d / "levels" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, int(r.integers(0, 4))])
    _csv(d / "levels" / "levels.csv", rows)


def count_frames(d: Path):
    import numpy as np
    r = _rng(8219)
    (d / "counts").mkdir(parents=True, exist_ok=True)
    np.save(d / "counts" / "frames.npy", r.integers(0, 255, (48, 64, 64, 3), dtype=np.uint8))
    np.save(d / "counts" / "bees.npy", r.integers(0, 40, 48).astype("float32"))


def detections(d: Path):
    """detections.csv: one row per bee detected (frame, x, y) in a day of entrance frames."""
    import numpy as np
    r = _rng(8220)
    n = 210_000
    frame = np.sort(r.integers(0, 8640, n))
    xy = r.uniform(0, 640, (n, 2)).round(1)
    (d / "tracks").mkdir(parents=True, exist_ok=True)
    np.savetxt(d / "tracks" / "detections.csv", np.column_stack([frame, xy]), delimiter=",",
               header="frame,x,y", comments="", fmt=["%d", "%.1f", "%.1f"])


def keras3_honey_grader(d: Path):
    r = _rng(8221)
    for i in range(8):
        _save(d / "jars" / f"jar_{i:03d}.jpg", _blocky_rgb(r, 96, 96, block=4))
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(7, activation="softmax"),
        ], name="honey_grader")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("honey_grader.keras")
    """, d)


def hive_frames_for_shards(d: Path):
    r = _rng(8222)
    for c in FRAME_CLASSES:
        for i in range(4):
            _save(d / "frames" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 128, 128))


def exif_forage(d: Path):
    from PIL import Image
    r = _rng(8223)
    rows = [["photo", "plant"]]
    for i in range(20):
        name = f"IMG_{4100 + i}.jpg"
        exif = Image.Exif()
        exif[306] = f"2024:{5 + i % 3:02d}:{3 + i:02d} {9 + i % 8:02d}:{(i * 13) % 60:02d}:11"
        _save(d / "forage" / name, _blocky_rgb(r, 96, 96), exif=exif)
        rows.append([name, PLANTS[i % 6]])
    _csv(d / "forage" / "plants.csv", rows)


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


CASES = []
CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more82-entrance-pi-pollen-crops-zero-byte-jpegs-after-power-cut-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=pollen_crops,
        pty=True,
        code=IMPORTS + """
        # crops of bees on the landing board, written by the Raspberry Pi under the hive roof
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/entrance", image_size=(96, 96), batch_size=4, seed=12)
        print(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="pollen_forager")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=4)
        """,
    ),
    Case(
        name="keras-more82-drive-download-second-zip-of-inspection-photos-never-unzipped-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        **notebook([
            cell(imports=True, body="""
            CLASSES = ["capped_brood", "empty", "honey", "larvae", "pollen"]
            with open("{DATA}/inspections.csv") as f:
                rows = list(csv.DictReader(f))
            print(len(rows), "frames in the inspection sheet")
            print(len(os.listdir("{DATA}/inspection_photos")), "photos downloaded from Drive")
            """),
            cell("""
            paths = ["{DATA}/inspection_photos/" + r["photo"] for r in rows]
            labels = [CLASSES.index(r["frame_class"]) for r in rows]


            def load(path, label):
                img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
                img = tf.image.resize(img, (96, 96)) / 255.0
                return img, label


            ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                  .shuffle(len(paths), seed=4)
                  .map(load)
                  .batch(8)
                  .prefetch(tf.data.AUTOTUNE))
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((96, 96, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(CLASSES), activation="softmax"),
            ], name="frame_cells")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(ds, epochs=5)
            """),
        ], data=drive_download),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more82-sticky-board-scans-at-300-and-600-dpi-tiled-and-batched-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=sticky_scans,
        pty=True,
        code=tfk2(IMPORTS + """
        with open("{DATA}/boards/counts.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/boards/" + r["scan"] for r in rows]
        mites = [float(r["mites"]) for r in rows]


        def load(path, count):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.cast(img, tf.float32) / 255.0
            # six 300 x 300 tiles per board: two rows of three
            tiles = tf.reshape(img, (2, 300, 3, 300, 3))
            tiles = tf.transpose(tiles, (0, 2, 1, 3, 4))
            return tf.reshape(tiles, (6, 300, 300, 3)), count


        ds = tf.data.Dataset.from_tensor_slices((paths, mites)).map(load).batch(2)

        tile_in = keras.Input((6, 300, 300, 3))
        per_tile = layers.TimeDistributed(keras.Sequential([
            layers.Conv2D(8, 5, strides=4, activation="relu"),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="relu"),
        ]))(tile_in)
        total = layers.Flatten()(per_tile)
        total = layers.Lambda(lambda t: tf.reduce_sum(t, axis=1, keepdims=True))(total)
        model = keras.Model(tile_in, total, name="mite_counter")
        model.compile(optimizer="adam", loss="mae")
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more82-forage-flowers-cut-out-by-background-removal-app-rgba-png-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=cutout_flowers,
        code=IMPORTS + """
        from PIL import Image

        PLANTS = sorted(os.listdir("{DATA}/forage"))
        paths = sorted(glob.glob("{DATA}/forage/*/*.png"))
        # the flowers were cut out of the members' photos so the model does not learn the background
        x = np.stack([np.asarray(Image.open(p).resize((96, 96))) for p in paths]).astype("float32") / 255.0
        y = np.array([PLANTS.index(p.split(os.sep)[-2]) for p in paths])
        print("x", x.shape, "y", y.shape)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PLANTS), activation="softmax"),
        ], name="forage_plants")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=8, batch_size=6, validation_split=0.25)
        """,
    ),
    Case(
        name="keras-more82-night-infrared-entrance-frames-one-channel-jpegs-decoded-as-they-are-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=day_night_frames,
        code=IMPORTS + """
        with open("{DATA}/frames/counts.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/frames/" + r["frame"] for r in rows]
        bees = [float(r["bees"]) for r in rows]


        def load(path, count):
            img = tf.io.decode_jpeg(tf.io.read_file(path))      # keep the camera's own channels
            img = tf.image.resize(img, (96, 128)) / 255.0
            return img, count


        ds = tf.data.Dataset.from_tensor_slices((paths, bees)).map(load).batch(6)

        model = keras.Sequential([
            keras.Input((96, 128, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="relu"),
        ], name="entrance_counter")
        model.compile(optimizer="adam", loss="mae")
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more82-roboflow-export-stretched-to-640-mite-boxes-in-phone-pixels-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=roboflow_export,
        code=IMPORTS + """
        # Roboflow export ("Tensorflow Object Detection CSV", preprocessing: stretch to 640x640);
        # the boxes were pasted in from the labelling sheet the club made on the phone photos
        ROOT = "{DATA}/roboflow/train"
        with open(ROOT + "/_annotations.csv") as f:
            boxes = list(csv.DictReader(f))
        CLASSES = ["debris", "mite"]

        crops, labels = [], []
        for b in boxes:
            img = tf.io.decode_jpeg(tf.io.read_file(ROOT + "/" + b["filename"]), channels=3)
            x0, y0, x1, y1 = (int(b[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
            crop = tf.image.crop_to_bounding_box(img, y0, x0, y1 - y0, x1 - x0)
            crops.append(tf.image.resize(crop, (32, 32)) / 255.0)
            labels.append(CLASSES.index(b["class"]))
        x, y = tf.stack(crops), np.array(labels)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="mite_or_debris")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=8)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more82-honey-grades-recorded-as-pfund-mm-limits-used-as-class-ids-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=pfund_sheet,
        pty=True,
        code=IMPORTS + """
        # USDA colour grades, written in the co-op sheet as their Pfund upper limit in mm
        GRADE_NAMES = {8: "water white", 17: "extra white", 34: "white", 50: "extra light amber",
                       85: "light amber", 114: "amber", 140: "dark amber"}
        with open("{DATA}/jars/colour_grades.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/jars/" + r["jar_photo"]))
                      for r in rows])
        y = np.array([int(r["pfund_mm"]) for r in rows])

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADE_NAMES), activation="softmax"),
        ], name="honey_colour")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=6, batch_size=6)
        """,
    ),
    Case(
        name="keras-more82-minus-one-for-unreadable-sticky-boards-in-co-op-sheet-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=board_sheet,
        code=tfk2(IMPORTS + """
        LEVELS = ["low", "medium", "high"]
        with open("{DATA}/boards/infestation.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/boards/" + r["board_photo"]))
                      for r in rows]) / 255.0
        y = np.array([int(r["infestation"]) for r in rows])
        print("levels in the sheet:", sorted(set(y.tolist())))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(LEVELS), activation="softmax"),
        ], name="varroa_level")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=6, batch_size=6, shuffle=True)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more82-to-categorical-brood-frame-labels-under-sparse-crossentropy-tfk2",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=frame_folders,
        code=tfk2(IMPORTS + """
        from tensorflow.keras.utils import to_categorical

        CLASSES = sorted(os.listdir("{DATA}/frames"))
        paths = sorted(glob.glob("{DATA}/frames/*/*.jpg"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in paths]) / 255.0
        y = to_categorical([CLASSES.index(p.split(os.sep)[-2]) for p in paths], len(CLASSES))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ], name="brood_frame")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """),
    ),
    Case(
        name="keras-more82-bee-counts-per-minute-for-entrance-frames-every-10-seconds-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=entrance_minutes,
        code=IMPORTS + """
        frames = sorted(glob.glob("{DATA}/entrance/frames/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in frames]) / 255.0

        # counts typed in by hand while watching the landing board
        with open("{DATA}/entrance/counts.csv") as f:
            rows = list(csv.DictReader(f))
        y = np.array([[int(r["bees_in"]), int(r["bees_out"])] for r in rows], dtype="float32")
        print("frames", x.shape, "counts", y.shape)

        model = keras.Sequential([
            keras.Input((48, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="relu", name="in_out"),
        ], name="traffic_counter")
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(x, y, epochs=10, batch_size=16)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more82-pfund-readings-typed-as-mm-strings-given-to-fit-k3",
        cause="data.dtype",
        exception="ValueError",
        setup=pfund_strings,
        code=IMPORTS + """
        with open("{DATA}/cuvettes/readings.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/cuvettes/" + r["photo"]))
                      for r in rows]) / 255.0
        y = np.array([r["pfund"] for r in rows])        # Pfund comparator reading
        print(x.shape, y[:5])

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="pfund_mm"),
        ], name="pfund_regressor")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=20, batch_size=6, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more82-forage-survey-decode-csv-float-defaults-plant-id-into-one-hot-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=forage_survey,
        code=IMPORTS + """
        PLANTS = ["clover", "dandelion", "heather", "lime_tree", "oilseed_rape", "phacelia"]


        def parse(line):
            photo, plant = tf.io.decode_csv(line, record_defaults=[[""], [0.0]])
            img = tf.io.decode_jpeg(tf.io.read_file("{DATA}/survey/" + photo), channels=3)
            img = tf.image.resize(img, (96, 96)) / 255.0
            return img, tf.one_hot(plant, len(PLANTS))


        ds = (tf.data.TextLineDataset("{DATA}/survey/plants.csv")
              .skip(1)
              .map(parse)
              .shuffle(64)
              .batch(8))

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PLANTS), activation="softmax"),
        ], name="forage_map")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more82-eight-frame-entrance-behaviour-clips-into-conv2d-model-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=entrance_clips,
        code=IMPORTS + """
        BEHAVIOURS = ["fanning", "guarding", "robbing"]
        clips, labels = [], []
        for b in BEHAVIOURS:
            for clip_dir in sorted(glob.glob(f"{DATA}/clips/{b}/*")):
                frames = [keras.utils.img_to_array(keras.utils.load_img(p))
                          for p in sorted(glob.glob(clip_dir + "/*.png"))]
                clips.append(np.stack(frames))
                labels.append(BEHAVIOURS.index(b))
        x, y = np.stack(clips) / 255.0, np.array(labels)
        print("clips", x.shape)

        model = keras.Sequential([
            keras.Input(x.shape[1:]),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(BEHAVIOURS), activation="softmax"),
        ], name="entrance_behaviour")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=3)
        """,
    ),
    Case(
        name="keras-more82-flatten-varroa-classifier-trained-on-64px-crops-used-on-128px-tfk2",
        cause="model.input_shape",
        exception="ValueError",
        env="tfk2",
        setup=varroa_model_and_crops,
        code=tfk2(IMPORTS + """
        # the new macro lens gives 128 px crops; "a CNN works on any image size"
        model = keras.models.load_model("{DATA}/models/varroa_crop_64.h5")
        model.summary()

        crops = sorted(glob.glob("{DATA}/new_crops/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in crops])
        probs = model.predict(x)
        for p, pr in zip(crops, probs):
            print(os.path.basename(p), "mite" if pr.argmax() == 1 else "no mite", f"{pr.max():.2f}")
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more82-brood-cell-unet-decoder-one-upsampling-short-of-mask-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=brood_masks,
        code=IMPORTS + """
        images = sorted(glob.glob("{DATA}/brood/images/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in images]) / 255.0
        y = np.stack([keras.utils.img_to_array(keras.utils.load_img(p.replace("/images/", "/masks/"),
                                                                    color_mode="grayscale"))
                      for p in images]) / 255.0
        print("frames", x.shape, "capped-brood masks", y.shape)


        def down(t, f):
            t = layers.Conv2D(f, 3, padding="same", activation="relu")(t)
            return t, layers.MaxPooling2D()(t)


        inputs = keras.Input((128, 128, 3))
        s1, p1 = down(inputs, 16)
        s2, p2 = down(p1, 32)
        s3, p3 = down(p2, 64)
        b = layers.Conv2D(128, 3, padding="same", activation="relu")(p3)
        u3 = layers.Conv2DTranspose(64, 2, strides=2)(b)
        u3 = layers.Conv2D(64, 3, padding="same", activation="relu")(layers.Concatenate()([u3, s3]))
        u2 = layers.Conv2DTranspose(32, 2, strides=2)(u3)
        u2 = layers.Conv2D(32, 3, padding="same", activation="relu")(layers.Concatenate()([u2, s2]))
        outputs = layers.Conv2D(1, 1, activation="sigmoid", name="capped_brood")(u2)
        model = keras.Model(inputs, outputs, name="brood_unet")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more82-members-bee-counter-h5-weights-into-blog-model-with-batchnorm-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=bee_counter_weights,
        code=tfk2(IMPORTS + """
        # the model from the bee-counting blog post; the weights came from another member's laptop
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="relu", name="count"),
        ], name="bee_counter")
        model.load_weights("{DATA}/counts/bee_counter.h5")

        x = np.load("{DATA}/counts/frames.npy").astype("float32") / 255.0
        y = np.load("{DATA}/counts/bees.npy")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="mae")
        model.fit(x, y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more82-unlabelled-jar-folder-mapped-with-image-label-lambda-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=pfund_sheet,
        pty=True,
        code=IMPORTS + """
        # all jar photos sit in one folder; the grades are in the sheet, in file-name order
        ds = keras.utils.image_dataset_from_directory("{DATA}/jars", labels=None, image_size=(64, 64),
                                                      batch_size=6, shuffle=False)
        with open("{DATA}/jars/colour_grades.csv") as f:
            pfund = [int(r["pfund_mm"]) for r in csv.DictReader(f)]

        ds = ds.map(lambda image, label: (image / 255.0, label))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="pfund_mm"),
        ], name="pfund_from_jar")
        model.compile(optimizer="adam", loss="mae")
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more82-varroa-level-regressor-unscaled-boards-sgd-rounded-into-confusion-matrix-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=varroa_levels,
        pty=True,
        code=IMPORTS + """
        with open("{DATA}/levels/levels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/levels/" + r["board"]))
                      for r in rows])                        # 0 .. 255, as the scanner gives them
        y = np.array([float(r["level"]) for r in rows], dtype="float32")   # 0 none .. 3 severe

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3),
            layers.Conv2D(16, 3),
            layers.GlobalAveragePooling2D(),
            layers.Dense(32),
            layers.Dense(1, name="level"),
        ], name="varroa_ordinal")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
        model.fit(x, y, epochs=8, batch_size=8)

        pred = tf.cast(tf.round(model.predict(x, verbose=0)[:, 0]), tf.int32)
        print(tf.math.confusion_matrix(y.astype("int32"), pred, num_classes=4).numpy())
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more82-bee-counter-forward-pass-run-before-gradient-tape-opened-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=count_frames,
        code=IMPORTS + """
        x = np.load("{DATA}/counts/frames.npy").astype("float32") / 255.0
        y = np.load("{DATA}/counts/bees.npy")
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(48, seed=0).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="relu"),
        ], name="bee_counter")
        opt = keras.optimizers.Adam(1e-3)
        mae = keras.losses.MeanAbsoluteError()

        for epoch in range(10):
            for xb, yb in ds:
                pred = model(xb, training=True)
                with tf.GradientTape() as tape:
                    loss = mae(yb, tf.squeeze(pred, -1))
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: mae {float(loss):.2f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more82-pairwise-distances-between-all-bee-detections-of-a-day-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=detections,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        # link the detector's bee positions into tracks (in / out of the hive) for the traffic model
        det = np.loadtxt("{DATA}/tracks/detections.csv", delimiter=",", skiprows=1)
        frame, xy = det[:, 0].astype(int), det[:, 1:]
        print(len(det), "detections in", frame.max() + 1, "frames")

        dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
        same_or_next = np.abs(frame[:, None] - frame[None, :]) == 1
        links = np.argwhere(same_or_next & (dist < 25.0))
        print(len(links), "links")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more82-keras3-saved-honey-grader-keras-file-loaded-by-tf-keras-tfk2",
        cause="env.version_incompat",
        exception="TypeError",
        env="tfk2",
        setup=keras3_honey_grader,
        code=tfk2(IMPORTS + """
        # honey_grader.keras came from a member's new laptop; the co-op laptop has TF_USE_LEGACY_KERAS=1
        GRADES = ["water_white", "extra_white", "white", "extra_light_amber", "light_amber", "amber",
                  "dark_amber"]
        model = keras.models.load_model("{DATA}/honey_grader.keras")

        jars = sorted(glob.glob("{DATA}/jars/*.jpg"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(96, 96))) for p in jars])
        for p, pr in zip(jars, model.predict(x)):
            print(os.path.basename(p), GRADES[pr.argmax()])
        """),
    ),
    Case(
        name="keras-more82-numpy-float-alias-in-2019-bee-counting-blog-preprocessing-notebook-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        **notebook([
            cell(imports=True, body="""
            # preprocessing from the 2019 "counting bees with a Raspberry Pi" blog post
            def preprocess(frame):
                frame = frame.astype(np.float) / 255.0
                return frame - frame.mean(axis=(0, 1), keepdims=True)
            """),
            cell("""
            x = np.load("{DATA}/counts/frames.npy")
            y = np.load("{DATA}/counts/bees.npy")
            x = np.stack([preprocess(f) for f in x])
            x.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="relu"),
            ], name="bee_counter")
            model.compile(optimizer="adam", loss="mae")
            model.fit(x, y, epochs=5, batch_size=8)
            """),
        ], data=count_frames),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more82-open-tfrecord-writer-passed-to-pool-starmap-for-frame-shards-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=hive_frames_for_shards,
        code="""
        import glob
        import multiprocessing as mp
        import os

        import tensorflow as tf

        CLASSES = ["capped_brood", "empty", "honey", "larvae", "pollen"]


        def write_example(writer, path):
            label = CLASSES.index(path.split(os.sep)[-2])
            feature = {
                "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[open(path, "rb").read()])),
                "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
            }
            writer.write(tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString())


        if __name__ == "__main__":
            paths = sorted(glob.glob("{DATA}/frames/*/*.jpg"))
            os.makedirs("shards", exist_ok=True)
            with tf.io.TFRecordWriter("shards/frames-00000.tfrecord") as writer:
                with mp.Pool(2) as pool:
                    pool.starmap(write_example, [(writer, p) for p in paths])
            print("wrote", len(paths), "frames")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more82-forage-photo-exif-datetime-parsed-with-fromisoformat-k3",
        cause="other",
        exception="ValueError",
        setup=exif_forage,
        code=IMPORTS + """
        from datetime import datetime

        from PIL import Image

        PLANTS = ["clover", "dandelion", "heather", "lime_tree", "oilseed_rape", "phacelia"]
        with open("{DATA}/forage/plants.csv") as f:
            rows = list(csv.DictReader(f))

        # group the members' photos into bloom weeks from the date the phone wrote into the photo
        for r in rows:
            taken = Image.open("{DATA}/forage/" + r["photo"]).getexif()[306]     # DateTime
            r["week"] = datetime.fromisoformat(taken).isocalendar().week
        weeks = sorted({r["week"] for r in rows})
        print("bloom weeks:", weeks)

        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/forage/" + r["photo"]))
                      for r in rows]) / 255.0
        y = np.array([PLANTS.index(r["plant"]) for r in rows])
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PLANTS), activation="softmax"),
        ], name="forage_plants")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
