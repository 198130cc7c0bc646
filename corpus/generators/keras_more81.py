"""Untargeted held-out Keras / TensorFlow failures (g187, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of volunteers and staff of non-profits and NGOs
training Keras / tf.keras models on donated laptops and free Colab / Kaggle notebooks: disaster-response
damage mapping from drone and satellite tiles (xBD-style pre / post-event pairs, building crops with
damage levels, orthomosaics cut into tiles by GDAL or exported by QGIS), refugee-camp shelter counting
and shelter-type classification (boxes drawn in QGIS in map units, per-tile counts), wildlife-trade
seizure photo classifiers (ivory, pangolin scales, rhino horn, reptile skins, live birds: photos sent in
by rangers and customs officers from their phones) and literacy-program handwriting scans (letters
written by children, photographed by teachers and uploaded through KoboToolbox forms), with data
gathered by many people in many formats, spread over the cause ids of the taxonomy:

- files: iPhone HEIC photos renamed ``.jpg`` by a WhatsApp export among the seizure photos read by
  ``image_dataset_from_directory`` (terminal); a KoboToolbox submissions CSV whose attachments download
  stopped part way, read with ``tf.io.read_file`` in the ``tf.data`` map (notebook);
- image sizes: ``gdal_retile`` edge tiles narrower than 256 px batched with the full tiles (tf_keras); a
  pre-event satellite tile and the re-flown post-event drone tile concatenated channel-wise for change
  detection;
- channels: XYZ tiles exported by QGIS as 8-bit paletted PNG read with PIL into a colour model; handwriting
  scans loaded in greyscale for an ImageNet-weighted MobileNetV2;
- boxes: shelter footprints drawn in QGIS in UTM metres turned into pixel boxes from their minimum and
  maximum map corners (north-up raster: rows grow southwards), cropped with PIL;
- labels: xBD ``un-classified`` buildings as a fifth class id for the four-level damage head (terminal);
  letter ids from ``ord(ch) - ord("a")`` on the upper-case letters of the app's file names (tf_keras);
- label shapes: integer folder labels under ``categorical_crossentropy`` for seizure photos (tf_keras);
  volunteer votes from a web form covering fewer tiles than the tile folder holds;
- dtypes: Caffe-style ImageNet mean subtracted from uint8 decoded tiles in the ``tf.data`` map; a
  Gaussian density layer with a float32 kernel under the ``mixed_float16`` policy from a Colab T4 tip;
- model inputs: a Kaggle-style handwriting CSV's flat 784-pixel rows given to a ``Conv2D`` model
  (notebook);
- model outputs: the first seizure classifier (five species) fine-tuned on a folder tree that has grown
  to seven (terminal);
- weights: the Colab notebook's four-class ``.weights.h5`` loaded into the laptop's five-class model;
- API: ``validation_split`` given to ``image_dataset_from_directory`` without ``subset``;
- divergence: a per-tile shelter-count regressor on raw counts under SGD with
  ``tf.debugging.enable_check_numerics`` (notebook);
- gradients: a handwriting loss computed on ``model.predict`` output inside the ``GradientTape``;
- host memory: every 256 px window of a camp orthomosaic at stride 8 reshaped into one array;
- versions: a partner NGO's SavedModel directory given to Keras 3 ``load_model`` (notebook); a 2021
  hackathon notebook's ``tensorflow.keras.layers.experimental.preprocessing`` import under Keras 3;
- workers: ``multiprocessing.Pool.map`` over a lambda that cuts each scene into tiles;
- plain bugs: capture dates typed by many volunteers in two formats parsed with one ``strptime`` format.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more81.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g187): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more81.py"

SEIZURE = ["ivory", "live_birds", "pangolin_scales", "reptile_skins", "rhino_horn"]
SEIZURE7 = SEIZURE + ["shark_fin", "tiger_parts"]
DAMAGE = ["no-damage", "minor-damage", "major-damage", "destroyed"]
LETTERS = list("abcdefghij")


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _save(path: Path, arr, quality=88, mode=None):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(path, quality=quality)
    else:
        img.save(path)


def seizure_heic(d: Path):
    """seizures/<species>/*.jpg, two of them HEIC files that only carry a .jpg name."""
    r = _rng(8101)
    for c in SEIZURE:
        for i in range(6):
            _save(d / "seizures" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 120, 160))
    heic_head = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x01\x00meta"
    for c, name in (("pangolin_scales", "IMG_7731.jpg"), ("ivory", "IMG_7745.jpg")):
        (d / "seizures" / c / name).write_bytes(heic_head + r.bytes(6000))


def kobo_export(d: Path):
    """kobo/submissions.csv (KoboToolbox export) and kobo/attachments/<uuid>/<photo>; 3 never downloaded."""
    import csv
    r = _rng(8102)
    rows = [["_uuid", "_submission_time", "school", "child_age", "letter", "photo_scan"]]
    for i in range(40):
        uuid = f"{r.integers(16**7, 16**8):08x}-{r.integers(16**3, 16**4):04x}-4{r.integers(16**2, 16**3):03x}"
        photo = f"{1716980012000 + i * 7919}.jpg"
        rows.append([uuid, f"2024-05-{1 + i // 4:02d}T09:{i % 60:02d}:00", ["Kalobeyei", "Nadapal"][i % 2],
                     int(r.integers(6, 11)), LETTERS[i % 10], photo])
        if i in (23, 31, 37):            # the attachments zip download stopped
            continue
        _save(d / "kobo" / "attachments" / uuid / photo, _blocky_rgb(r, 96, 96, block=4))
    with open(d / "kobo" / "submissions.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def retiled(d: Path):
    """retile/tiles/ortho_<r>_<c>.png: a 1000 x 1000 orthomosaic cut at 256 px by gdal_retile."""
    import csv
    r = _rng(8103)
    ortho = _blocky_rgb(r, 1000, 1000, block=10)
    rows = [["tile", "debris"]]
    for i in range(4):
        for j in range(4):
            tile = ortho[i * 256:(i + 1) * 256, j * 256:(j + 1) * 256]
            name = f"ortho_{i + 1:02d}_{j + 1:02d}.png"
            _save(d / "retile" / "tiles" / name, tile)
            rows.append([name, int(r.integers(0, 2))])
    with open(d / "retile" / "labels.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def pre_post_pairs(d: Path):
    """pairs/pre/<id>.png (satellite, 256 px) and pairs/post/<id>.png (256 px, drone re-flights 512 px)."""
    import csv
    r = _rng(8104)
    rows = [["tile_id", "damaged"]]
    for i in range(24):
        tid = f"beira_{i:04d}"
        _save(d / "pairs" / "pre" / f"{tid}.png", _blocky_rgb(r, 256, 256))
        size = 512 if i in (2, 9, 17) else 256
        _save(d / "pairs" / "post" / f"{tid}.png", _blocky_rgb(r, size, size))
        rows.append([tid, int(r.integers(0, 2))])
    with open(d / "pairs" / "labels.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def paletted_tiles(d: Path):
    """oam_tiles/*.png exported by QGIS as 8-bit paletted PNG + shelters.csv (tile has shelters)."""
    import csv
    r = _rng(8105)
    rows = [["tile", "has_shelter"]]
    for i in range(20):
        name = f"18_{154200 + i}_{131000 + i % 5}.png"
        _save(d / "oam_tiles" / name, _blocky_rgb(r, 128, 128), mode="P")
        rows.append([name, int(r.integers(0, 2))])
    with open(d / "oam_tiles" / "shelters.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def grey_scans(d: Path):
    r = _rng(8106)
    for c in LETTERS[:6]:
        for i in range(4):
            _save(d / "scans" / c / f"{c}_{i:03d}.png", _blocky_rgb(r, 96, 96, block=4), mode="L")


def shelter_boxes(d: Path):
    """camp/ortho_block7.png (800 x 800, 0.1 m pixels), its geotransform and shelters.geojson in UTM."""
    import json
    r = _rng(8107)
    _save(d / "camp" / "ortho_block7.png", _blocky_rgb(r, 800, 800))
    x0, y0 = 215400.0, 9621300.0               # UTM 36S upper-left corner
    (d / "camp" / "ortho_block7.json").write_text(json.dumps(
        {"crs": "EPSG:32736", "geotransform": [x0, 0.1, 0.0, y0, 0.0, -0.1]}))
    feats = []
    for k in range(12):
        cx, cy = x0 + float(r.uniform(8, 72)), y0 - float(r.uniform(8, 72))
        w, h = float(r.uniform(3, 6)), float(r.uniform(3, 6))
        feats.append({"type": "Feature",
                      "properties": {"id": k + 1, "type": ["tent", "tarp", "permanent"][k % 3]},
                      "geometry": {"type": "Polygon", "coordinates": [[
                          [cx - w / 2, cy - h / 2], [cx + w / 2, cy - h / 2], [cx + w / 2, cy + h / 2],
                          [cx - w / 2, cy + h / 2], [cx - w / 2, cy - h / 2]]]}})
    (d / "camp" / "shelters.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "EPSG:32736"}},
         "features": feats}))


def xbd_crops(d: Path):
    """xbd/crops/*.png building crops and xbd/buildings.json with their xBD subtypes."""
    import json
    r = _rng(8108)
    ann = []
    subtypes = DAMAGE + ["un-classified"]
    for i in range(48):
        name = f"hurricane-michael_{i:08d}_post_b{i % 7}.png"
        _save(d / "xbd" / "crops" / name, _blocky_rgb(r, 64, 64, block=4))
        s = subtypes[int(r.choice(5, p=[0.4, 0.2, 0.15, 0.15, 0.1]))]
        ann.append({"crop": name, "uid": f"{r.integers(16**7, 16**8):08x}", "subtype": s})
    (d / "xbd" / "buildings.json").write_text(json.dumps(ann, indent=1))


def upper_letters(d: Path):
    r = _rng(8109)
    for ch in "ABCDEFGHIJ":
        for i in range(5):
            _save(d / "letters" / f"{ch}_{i + 1:04d}.png", _blocky_rgb(r, 48, 48, block=4), mode="L")


def seizure_folders(d: Path, classes=SEIZURE, per=5, seed=8110, root="seizures"):
    r = _rng(seed)
    for c in classes:
        for i in range(per):
            _save(d / root / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 96, 96))


def voted_tiles(d: Path):
    """tiles/*.png (60) and votes.csv from the volunteer web form (57 tiles got a vote)."""
    import csv
    r = _rng(8111)
    rows = [["tile", "votes_damaged", "votes_intact", "label"]]
    for i in range(60):
        name = f"tile_{i:04d}.png"
        _save(d / "tiles" / name, _blocky_rgb(r, 64, 64))
        if i in (11, 40, 52):              # nobody reviewed these
            continue
        a, b = int(r.integers(0, 5)), int(r.integers(0, 5))
        rows.append([name, a, b, int(a > b)])
    with open(d / "votes.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


def damage_jpegs(d: Path):
    r = _rng(8112)
    for c in ("damaged", "intact"):
        for i in range(8):
            _save(d / "damage" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 128, 128))


def count_tiles(d: Path):
    """counts/tiles.npy (n, 64, 64, 3) uint8 and counts/shelter_counts.npy (n,) shelters per tile."""
    import numpy as np
    r = _rng(8113)
    (d / "counts").mkdir(parents=True, exist_ok=True)
    np.save(d / "counts" / "tiles.npy", r.integers(0, 255, (48, 64, 64, 3), dtype=np.uint8))
    np.save(d / "counts" / "shelter_counts.npy", r.integers(0, 420, 48).astype("float32"))


def letters_csv(d: Path):
    import csv
    r = _rng(8114)
    (d / "letters").mkdir(parents=True, exist_ok=True)
    with open(d / "letters" / "letters_train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["label"] + [f"pixel{k}" for k in range(784)])
        for i in range(80):
            w.writerow([i % 10] + [int(v) for v in r.integers(0, 255, 784)])


def seizure_v1_model(d: Path):
    seizure_folders(d, SEIZURE7, per=4, seed=8115, root="seizures_2024")
    prep("k3", """
        import os
        import keras
        from keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax", name="species"),
        ], name="seizure_v1")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.save("models/seizure_v1.keras")
    """, d)


DAMAGE_MODEL = """
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(NUM_CLASSES, activation="softmax", name="damage"),
        ], name="xbd_damage")
"""


def colab_weights(d: Path):
    xbd_crops(d)
    prep("k3", """
        import os
        import keras
        from keras import layers
        NUM_CLASSES = 4
        os.makedirs("drive", exist_ok=True)
    """ + DAMAGE_MODEL + """
        model.save_weights("drive/xbd_damage_colab.weights.h5")
    """, d)


def letter_folders(d: Path):
    r = _rng(8117)
    for c in LETTERS:
        for i in range(4):
            _save(d / "letters" / c / f"{c}_{i:03d}.png", _blocky_rgb(r, 32, 32, block=4), mode="L")


def camp_ortho(d: Path):
    r = _rng(8118)
    _save(d / "camp" / "kakuma_block3_ortho.png", _blocky_rgb(r, 4096, 4096, block=64))


def partner_savedmodel(d: Path):
    r = _rng(8119)
    for i in range(6):
        _save(d / "new_tiles" / f"tile_{i:03d}.png", _blocky_rgb(r, 128, 128))
    prep("tfk2", """
        import os
        import tf_keras as keras
        from tf_keras import layers
        os.makedirs("partner", exist_ok=True)
        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ], name="damage_partner")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.save("partner/damage_model_v2")
    """, d)


def scenes(d: Path):
    r = _rng(8120)
    for i in range(4):
        _save(d / "scenes" / f"scene_{i:02d}.png", _blocky_rgb(r, 512, 512))


def survey_dates(d: Path):
    import csv
    r = _rng(8121)
    rows = [["photo", "village", "captured", "volunteer", "damaged"]]
    for i in range(30):
        name = f"survey_{i:04d}.jpg"
        _save(d / "survey" / name, _blocky_rgb(r, 64, 64))
        day = 5 + i % 20
        date = f"{day:02d}/03/2024" if i != 17 else f"2024-03-{day:02d}"
        rows.append([name, ["Buzi", "Dondo", "Nhamatanda"][i % 3], date, f"vol{i % 6}", int(r.integers(0, 2))])
    with open(d / "survey" / "field_survey.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)


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
        name="keras-more81-seizure-photos-heic-renamed-jpg-by-whatsapp-export-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=seizure_heic,
        pty=True,
        code=IMPORTS + """
        # photos sent in by rangers and customs officers, sorted into one folder per seized product
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/seizures", validation_split=0.2, subset="training", seed=3,
            image_size=(128, 128), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/seizures", validation_split=0.2, subset="validation", seed=3,
            image_size=(128, 128), batch_size=8)
        class_names = train_ds.class_names

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ], name="seizure_classifier")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more81-kobo-submissions-csv-attachments-download-stopped-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        **notebook([
            cell(imports=True, body="""
            LETTERS = list("abcdefghij")
            with open("{DATA}/kobo/submissions.csv") as f:
                subs = list(csv.DictReader(f))
            len(subs), subs[0]["photo_scan"]
            """),
            cell("""
            paths = [f"{DATA}/kobo/attachments/{s['_uuid']}/{s['photo_scan']}" for s in subs]
            labels = [LETTERS.index(s["letter"]) for s in subs]


            def load(path, label):
                img = tf.io.decode_jpeg(tf.io.read_file(path), channels=1)
                return tf.image.resize(img, (48, 48)) / 255.0, label


            train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                        .map(load, num_parallel_calls=tf.data.AUTOTUNE)
                        .batch(16))
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((48, 48, 1)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(LETTERS), activation="softmax"),
            ], name="letter_reader")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=10)
            """),
        ], data=kobo_export),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more81-gdal-retile-edge-tiles-narrower-batched-with-full-tiles-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=retiled,
        pty=True,
        code=tfk2(IMPORTS + """
        # tiles cut with: gdal_retile.py -ps 256 256 -targetDir tiles ortho_beira_0319.tif
        with open("{DATA}/retile/labels.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/retile/tiles/" + r["tile"] for r in rows]
        debris = [int(r["debris"]) for r in rows]
        print(len(paths), "tiles")


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, debris)).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((256, 256, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="debris_detector")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """),
    ),
    Case(
        name="keras-more81-pre-event-satellite-and-post-event-drone-tile-concatenated-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=pre_post_pairs,
        code=IMPORTS + """
        with open("{DATA}/pairs/labels.csv") as f:
            rows = list(csv.DictReader(f))
        pre = ["{DATA}/pairs/pre/" + r["tile_id"] + ".png" for r in rows]
        post = ["{DATA}/pairs/post/" + r["tile_id"] + ".png" for r in rows]
        y = [int(r["damaged"]) for r in rows]


        def load_pair(pre_path, post_path, label):
            before = tf.io.decode_png(tf.io.read_file(pre_path), channels=3)
            after = tf.io.decode_png(tf.io.read_file(post_path), channels=3)
            x = tf.concat([before, after], axis=-1)        # 6-channel change-detection input
            x = tf.image.resize(x, (128, 128)) / 255.0
            return x, label


        train_ds = (tf.data.Dataset.from_tensor_slices((pre, post, y))
                    .map(load_pair, num_parallel_calls=2)
                    .batch(4))

        model = keras.Sequential([
            keras.Input((128, 128, 6)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="change_detector")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more81-qgis-xyz-tiles-exported-as-paletted-png-read-with-pil-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=paletted_tiles,
        code=IMPORTS + """
        from PIL import Image

        # XYZ tiles of the camp exported from QGIS ("Generate XYZ tiles (Directory)", PNG)
        with open("{DATA}/oam_tiles/shelters.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.array([np.asarray(Image.open("{DATA}/oam_tiles/" + r["tile"])) for r in rows],
                     dtype="float32") / 255.0
        y = np.array([int(r["has_shelter"]) for r in rows])
        print("tiles", x.shape, "labels", y.shape)

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="shelter_presence")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more81-greyscale-handwriting-scans-for-imagenet-mobilenetv2-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=grey_scans,
        code=IMPORTS + """
        # the scans are black ink on white paper, so load them as one channel
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/scans", color_mode="grayscale", image_size=(96, 96), batch_size=8)
        num_classes = len(train_ds.class_names)

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 1), include_top=False,
                                              weights="imagenet")
        base.trainable = False
        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Rescaling(1.0 / 127.5, offset=-1),
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes, activation="softmax"),
        ], name="letters_mnv2")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more81-qgis-shelter-polygons-in-utm-min-max-corners-as-pixel-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=shelter_boxes,
        code=IMPORTS + """
        from PIL import Image

        TYPES = ["tent", "tarp", "permanent"]
        ortho = Image.open("{DATA}/camp/ortho_block7.png")
        with open("{DATA}/camp/ortho_block7.json") as f:
            x0, px_w, _, y0, _, px_h = json.load(f)["geotransform"]
        with open("{DATA}/camp/shelters.geojson") as f:
            shelters = json.load(f)["features"]


        def to_pixels(xs, ys):
            # column = (x - x0) / pixel width, row = (y - y0) / pixel height
            left, top = (min(xs) - x0) / px_w, (min(ys) - y0) / px_h
            right, bottom = (max(xs) - x0) / px_w, (max(ys) - y0) / px_h
            return int(left), int(top), int(right), int(bottom)


        chips, labels = [], []
        for feat in shelters:
            ring = feat["geometry"]["coordinates"][0]
            box = to_pixels([p[0] for p in ring], [p[1] for p in ring])
            chip = ortho.crop(box).resize((48, 48))
            chips.append(np.asarray(chip, dtype="float32") / 255.0)
            labels.append(TYPES.index(feat["properties"]["type"]))
        x, y = np.stack(chips), np.array(labels)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TYPES), activation="softmax"),
        ], name="shelter_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=4)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more81-xbd-unclassified-buildings-as-fifth-class-for-four-level-head-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=xbd_crops,
        pty=True,
        code=IMPORTS + """
        with open("{DATA}/xbd/buildings.json") as f:
            buildings = json.load(f)
        SUBTYPES = sorted({b["subtype"] for b in buildings})
        print("subtypes:", SUBTYPES)

        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/xbd/crops/" + b["crop"]))
                      for b in buildings])
        y = np.array([SUBTYPES.index(b["subtype"]) for b in buildings])

        NUM_CLASSES = 4        # xBD joint damage scale: no / minor / major damage, destroyed
        """ + DAMAGE_MODEL + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more81-letter-ids-from-ord-minus-lowercase-a-on-uppercase-file-names-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=upper_letters,
        code=tfk2(IMPORTS + """
        # file names from the literacy app: <letter>_<n>.png
        paths = sorted(glob.glob("{DATA}/letters/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, color_mode="grayscale"))
                      for p in paths]) / 255.0
        y = np.array([ord(os.path.basename(p)[0]) - ord("a") for p in paths])

        model = keras.Sequential([
            keras.Input((48, 48, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(26, activation="softmax"),
        ], name="alphabet")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=10, shuffle=True)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more81-seizure-folder-int-labels-under-categorical-crossentropy-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=seizure_folders,
        code=tfk2(IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/seizures", image_size=(96, 96),
                                                            batch_size=8, seed=1)
        class_names = train_ds.class_names
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ], name="seizure_cnn")
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """),
    ),
    Case(
        name="keras-more81-volunteer-votes-cover-fewer-tiles-than-tile-folder-k3",
        cause="data.label_shape",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        setup=voted_tiles,
        code=IMPORTS + """
        tiles = sorted(glob.glob("{DATA}/tiles/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in tiles]) / 255.0

        # majority vote of the volunteers who reviewed each tile in the web form
        with open("{DATA}/votes.csv") as f:
            votes = sorted(csv.DictReader(f), key=lambda r: r["tile"])
        y = np.array([int(r["label"]) for r in votes])

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="tile_damage")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more81-caffe-imagenet-mean-subtracted-from-uint8-tiles-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=damage_jpegs,
        code=IMPORTS + """
        CLASSES = ["damaged", "intact"]
        paths = sorted(glob.glob("{DATA}/damage/*/*.jpg"))
        labels = [CLASSES.index(p.split(os.sep)[-2]) for p in paths]
        IMAGENET_BGR_MEAN = tf.constant([103.939, 116.779, 123.68])


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize_with_crop_or_pad(img, 112, 112)
            img = img[..., ::-1] - IMAGENET_BGR_MEAN        # "caffe" preprocessing, as for VGG / ResNet50
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=0)
              .map(load)
              .batch(8))
        model = keras.Sequential([
            keras.Input((112, 112, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ], name="damage_vgg_style")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more81-gaussian-density-layer-float32-kernel-under-mixed-float16-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=count_tiles,
        code=IMPORTS + """
        # "use mixed precision on the free T4" (Colab tip), kept when the notebook moved to a laptop
        keras.mixed_precision.set_global_policy("mixed_float16")


        class GaussianDensity(layers.Layer):
            \"\"\"Smooths the predicted shelter map with a fixed Gaussian kernel.\"\"\"

            def __init__(self, sigma=2.0, **kwargs):
                super().__init__(**kwargs)
                r = np.arange(-4, 5)
                k = np.exp(-(r ** 2) / (2 * sigma ** 2))
                k = np.outer(k, k) / np.outer(k, k).sum()
                self.kernel = tf.constant(k[:, :, None, None], dtype=tf.float32)

            def call(self, x):
                return tf.nn.conv2d(x, self.kernel, strides=1, padding="SAME")


        x = np.load("{DATA}/counts/tiles.npy")
        counts = np.load("{DATA}/counts/shelter_counts.npy")

        inputs = keras.Input((64, 64, 3))
        h = layers.Rescaling(1.0 / 255)(inputs)
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
        h = layers.Conv2D(1, 1, activation="relu")(h)
        density = GaussianDensity(name="density")(h)
        count = layers.GlobalAveragePooling2D()(density)
        count = layers.Activation("linear", dtype="float32")(layers.Rescaling(64 * 64)(count))
        model = keras.Model(inputs, count, name="shelter_counter")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, counts, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more81-handwriting-csv-flat-784-pixel-rows-into-conv2d-notebook-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            data = np.loadtxt("{DATA}/letters/letters_train.csv", delimiter=",", skiprows=1, dtype="float32")
            y = data[:, 0].astype("int64")
            x = data[:, 1:] / 255.0
            x.shape, y.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((28, 28, 1)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(10, activation="softmax"),
            ], name="letters_cnn")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """),
            cell("""
            history = model.fit(x, y, epochs=10, batch_size=16, validation_split=0.1)
            """),
        ], data=letters_csv),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more81-five-species-seizure-model-fine-tuned-on-seven-folders-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=seizure_v1_model,
        pty=True,
        code=IMPORTS + """
        # new seizure reports came in: shark fins and tiger parts now have their own folders
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/seizures_2024", label_mode="categorical", image_size=(128, 128), batch_size=8, seed=7)
        print(train_ds.class_names)

        model = keras.models.load_model("{DATA}/models/seizure_v1.keras")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        model.save("seizure_v2.keras")
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more81-colab-four-class-weights-into-laptop-five-class-damage-model-k3",
        cause="model.weights_mismatch",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=colab_weights,
        code=IMPORTS + """
        # the weights trained on Colab, copied from Google Drive to the donated laptop
        with open("{DATA}/xbd/buildings.json") as f:
            buildings = json.load(f)
        SUBTYPES = ["no-damage", "minor-damage", "major-damage", "destroyed", "un-classified"]
        NUM_CLASSES = len(SUBTYPES)
        """ + DAMAGE_MODEL + """
        model.load_weights("{DATA}/drive/xbd_damage_colab.weights.h5")

        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/xbd/crops/" + b["crop"]))
                      for b in buildings])
        y = np.array([SUBTYPES.index(b["subtype"]) for b in buildings])
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more81-image-dataset-validation-split-without-subset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=letter_folders,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/letters", color_mode="grayscale", image_size=(32, 32), batch_size=8,
            validation_split=0.2, seed=11)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/letters", color_mode="grayscale", image_size=(32, 32), batch_size=8,
            validation_split=0.2, subset="validation", seed=11)

        model = keras.Sequential([
            keras.Input((32, 32, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ], name="letters_small")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more81-shelter-count-regressor-raw-counts-sgd-check-numerics-notebook-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        **notebook([
            cell(imports=True, body="""
            # the loss went to nan last night; a forum answer said to turn this on to see where
            tf.debugging.enable_check_numerics()

            x = np.load("{DATA}/counts/tiles.npy").astype("float32") / 255.0
            counts = np.load("{DATA}/counts/shelter_counts.npy")
            x.shape, counts.min(), counts.max()
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(64, activation="relu"),
                layers.Dense(1),
            ], name="shelter_count")
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9),
                          loss="mse", jit_compile=False)
            """),
            cell("""
            history = model.fit(x, counts, epochs=20, batch_size=8)
            """),
        ], data=count_tiles),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more81-handwriting-loss-on-model-predict-output-inside-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=letter_folders,
        code=IMPORTS + """
        ds = keras.utils.image_dataset_from_directory("{DATA}/letters", color_mode="grayscale",
                                                      image_size=(32, 32), batch_size=8, seed=2)
        model = keras.Sequential([
            keras.Input((32, 32, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ], name="letters_loop")
        loss_fn = keras.losses.SparseCategoricalCrossentropy()
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(5):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    probs = model.predict(xb, verbose=0)
                    loss = loss_fn(yb, probs)
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more81-every-256px-window-of-camp-orthomosaic-at-stride-8-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=camp_ortho,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        from PIL import Image
        from numpy.lib.stride_tricks import sliding_window_view

        ortho = np.asarray(Image.open("{DATA}/camp/kakuma_block3_ortho.png").convert("RGB"))
        print("orthomosaic", ortho.shape)

        # every 256 x 256 window, 8 px apart, as the training set for the shelter detector
        windows = sliding_window_view(ortho, (256, 256, 3))[::8, ::8, 0]
        patches = windows.reshape(-1, 256, 256, 3)
        print("patches", patches.shape)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more81-partner-ngo-savedmodel-directory-into-keras3-load-model-notebook-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            # model shared by the partner NGO (trained in 2023), unzipped from their Drive link
            os.listdir("{DATA}/partner/damage_model_v2")
            """),
            cell("""
            model = keras.models.load_model("{DATA}/partner/damage_model_v2")
            model.summary()
            """),
            cell("""
            tiles = sorted(glob.glob("{DATA}/new_tiles/*.png"))
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in tiles])
            model.predict(x).argmax(axis=1)
            """),
        ], data=partner_savedmodel),
    ),
    Case(
        name="keras-more81-hackathon-notebook-layers-experimental-preprocessing-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=damage_jpegs,
        code="""
        # from the 2021 disaster-response hackathon starter notebook
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.layers.experimental.preprocessing import RandomFlip, RandomRotation, Rescaling

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/damage", image_size=(128, 128), batch_size=8)
        augment = keras.Sequential([RandomFlip("horizontal_and_vertical"), RandomRotation(0.25)])
        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            augment,
            Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more81-pool-map-over-lambda-cutting-scenes-into-tiles-k3",
        cause="env.multiprocessing",
        exception="PicklingError",
        setup=scenes,
        code="""
        import glob
        import multiprocessing as mp

        import numpy as np
        from PIL import Image


        def cut_tiles(path, size):
            img = np.asarray(Image.open(path).convert("RGB"))
            h, w = img.shape[0] // size * size, img.shape[1] // size * size
            return img[:h, :w].reshape(h // size, size, w // size, size, 3).swapaxes(1, 2).reshape(-1, size, size, 3)


        if __name__ == "__main__":
            scenes = sorted(glob.glob("{DATA}/scenes/*.png"))
            with mp.Pool(2) as pool:
                parts = pool.map(lambda p: cut_tiles(p, 128), scenes)
            tiles = np.concatenate(parts)
            np.save("tiles_128.npy", tiles)
            print(tiles.shape)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more81-volunteer-capture-dates-in-two-formats-one-strptime-format-k3",
        cause="other",
        exception="ValueError",
        setup=survey_dates,
        code=IMPORTS + """
        from datetime import datetime

        CYCLONE_LANDFALL = datetime(2024, 3, 14)

        with open("{DATA}/survey/field_survey.csv") as f:
            rows = list(csv.DictReader(f))

        # only photos taken after landfall show the damage
        post = [r for r in rows if datetime.strptime(r["captured"], "%d/%m/%Y") >= CYCLONE_LANDFALL]
        print(len(post), "post-landfall photos")

        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/survey/" + r["photo"]))
                      for r in post]) / 255.0
        y = np.array([int(r["damaged"]) for r in post])
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="survey_damage")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
