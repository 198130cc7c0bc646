"""Untargeted held-out Keras / TensorFlow failures (g172, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of scientists in research labs training Keras /
tf.keras models on microscopy, astronomy and materials images: 16-bit TIFF micrographs and float arrays
saved as ``.npy``, confocal z-stacks, multi-channel fluorescence fields (DAPI / GFP / mCherry / Cy5 and a
brightfield channel), multi-band survey cutouts, very large mosaics tiled into patches, tiny labelled sets
with heavy class imbalance, regression of physical quantities (redshift, band gap), masks made by
thresholding, augmentation written with ``tf.image``, and models passed between lab members as
``.keras`` / ``.h5`` files, spread over the cause ids of the taxonomy:

- files: a survey cutout ``.npy`` cut short by an interrupted ``rsync`` from the cluster; an SEM export
  whose files end in ``.TIF`` globbed as ``*.tif`` (notebook);
- image sizes: confocal z-stacks of 16 slices with one acquisition stopped at 15, put in one array;
  SDSS (64 px) and Legacy Survey (96 px) cutouts of the same sky area mixed in one ``from_generator``
  dataset and batched (tf_keras);
- channels: ``tf.image.random_hue`` in the augmentation of four-channel fluorescence fields; a plate
  imaged without the Cy5 channel given to the four-channel phenotype model (notebook);
- boxes: fixed 32 px crops centred on detected nuclei, one of them at the tile edge, cut with
  ``crop_to_bounding_box``;
- labels: ``np.digitize`` with three thresholds (four phases) for a three-class grain segmenter; galaxy
  morphology votes with ``-1`` for "uncertain" under a four-way softmax (tf_keras notebook);
- label shapes: blank background tiles dropped from the patches but not from the per-tile targets;
- dtypes: a float32 background level subtracted from uint16 fields in the ``tf.data`` map; float64
  band-gap targets from ``np.load`` minus float32 predictions in a custom loop;
- model inputs: a ``Flatten`` patch classifier trained on 64 px tiles run on the whole mosaic (notebook);
- model outputs: a four-unit head for one-hot labels of five crystal phases;
- weights: a labmate's four-channel ``.weights.h5`` loaded into the model with a brightfield channel added;
- API: tf_keras ``load_model`` given a ``ModelCheckpoint(save_weights_only=True)`` ``.h5`` file;
  inverse-frequency ``sample_weight`` for the rare weld defects passed to ``fit`` with an augmented
  ``tf.data`` dataset;
- divergence: a redshift regressor on raw 16-bit counts under SGD whose NaN predictions reach
  ``np.histogram``;
- gradients: a data loss and a smoothness (physics) loss differentiated from one non-persistent tape;
- host memory: ``sliding_window_view`` over a 2048 px mosaic without a step, reshaped into patches;
- versions: a Keras 3 ``.keras`` file from a labmate opened with tf_keras;
- GPU setup: soft device placement turned off and ``tf.device("/GPU:0")`` on a CPU node;
- workers: a ``multiprocessing.Pool`` tile reader defined inside ``main()``;
- plain bugs: tile predictions stitched back into a mosaic whose size is not a multiple of the tile.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more74.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g172): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more74.py"

CHANNELS = ["DAPI", "GFP", "mCherry", "Cy5"]
PHENOTYPES = ["interphase", "prophase", "metaphase", "anaphase", "apoptotic"]
OBJ_CLASSES = ["STAR", "GALAXY", "QSO"]
BANDS = ["u", "g", "r", "i", "z"]
PHASES = ["ferrite", "austenite", "martensite", "bainite", "cementite"]
DEFECTS = ["ok", "crack", "pore", "inclusion"]


# ---------------------------------------------------------------- data helpers
def _blocky(r, shape, hi=65535, dtype="uint16", block=4):
    """Smooth-ish random images (blocks of `block` px) of shape (h, w) or (h, w, c)."""
    import numpy as np
    h, w = shape[:2]
    rest = tuple(shape[2:])
    small = r.integers(0, hi, size=(-(-h // block), -(-w // block)) + rest).astype(dtype)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w]


def _npy(path: Path, arr):
    import numpy as np
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, arr)


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _tif16(path: Path, arr):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr).save(path, format="TIFF")


def survey_cutouts(d: Path, n=40, seed=7401, size=64, truncate=None):
    """cutouts/<objid>.npy (size, size, 5) float32 fluxes and catalog.csv (objid, class, redshift)."""
    import numpy as np
    r = _rng(seed)
    rows = []
    for i in range(n):
        objid = 1237648720693755000 + 17 * i
        arr = (_blocky(r, (size, size, 5), hi=1000, dtype="float32") / 1000.0 * r.uniform(0.5, 3.0)).astype(np.float32)
        p = d / "cutouts" / f"{objid}.npy"
        _npy(p, arr)
        cls = OBJ_CLASSES[0 if i % 5 in (0, 1) else 1 if i % 5 in (2, 3) else 2]
        rows.append([objid, cls, round(float(r.uniform(0.0, 2.5 if cls == "QSO" else 0.6)), 4)])
        if truncate is not None and i == truncate:
            b = p.read_bytes()
            p.write_bytes(b[: len(b) * 3 // 5])       # the copy from the cluster stopped here
    _csv(d / "catalog.csv", ["objid", "class", "redshift"], rows)


def truncated_cutouts(d: Path):
    survey_cutouts(d, truncate=27)


def two_surveys(d: Path):
    survey_cutouts(d, n=16, seed=7402)
    import numpy as np
    r = _rng(7403)
    rows = []
    for i in range(12):   # the same field from the Legacy Survey: 0.262"/px instead of 0.396"/px
        objid = 9906000000000 + i
        _npy(d / "legacy_cutouts" / f"{objid}.npy",
             (_blocky(r, (96, 96, 5), hi=1000, dtype="float32") / 1000.0).astype(np.float32))
        rows.append([objid, OBJ_CLASSES[i % 3], 0.1])
    _csv(d / "legacy_catalog.csv", ["objid", "class", "redshift"], rows)


def sem_export(d: Path):
    r = _rng(7404)
    for c in DEFECTS:
        for i in range(5):
            _tif16(d / "sem_export" / c / f"{c.upper()}_{i:04d}.TIF", _blocky(r, (96, 96)))


def zstacks(d: Path):
    r = _rng(7405)
    rows = []
    for i in range(24):
        depth = 15 if i == 13 else 16          # acquisition 13 stopped one slice early
        _npy(d / "zstacks" / f"embryo_{i:03d}.npy", _blocky(r, (64, 64, depth)).transpose(2, 0, 1).copy())
        rows.append([f"embryo_{i:03d}.npy", ["wildtype", "mutant"][i % 2]])
    _csv(d / "zstacks" / "labels.csv", ["file", "genotype"], rows)


def fluo_fields(d: Path, n=30, nch=4, seed=7406, folder="fields", skew=False):
    """<folder>/field_###.npy (64, 64, nch) uint16 and <folder>/labels.csv (file, phenotype)."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        _npy(d / folder / f"field_{i:03d}.npy", _blocky(r, (64, 64, nch), hi=4095))
        if skew:
            k = 0 if i % 10 < 7 else 1 if i % 10 < 9 else 2 + i % 3
        else:
            k = i % len(PHENOTYPES)
        rows.append([f"field_{i:03d}.npy", PHENOTYPES[k]])
    _csv(d / folder / "labels.csv", ["file", "phenotype"], rows)


def two_plates(d: Path):
    fluo_fields(d, folder="plate01")
    fluo_fields(d, n=12, nch=3, seed=7407, folder="plate02")   # Cy5 laser was down that week


def nuclei(d: Path):
    r = _rng(7408)
    rows = []
    for t in range(6):
        name = f"tile_{t:02d}.npy"
        _npy(d / "tiles" / name, _blocky(r, (128, 128, 2), hi=4095))
        for k in range(6):
            cx, cy = int(r.integers(20, 108)), int(r.integers(20, 108))
            if t == 3 and k == 4:
                cx = 7                          # a nucleus cut by the left edge of the tile
            rows.append([name, cx, cy, round(float(r.uniform(80, 400)), 1), ["G1", "S", "G2M"][int(r.integers(0, 3))]])
    _csv(d / "tiles" / "nuclei.csv", ["tile", "centroid_x", "centroid_y", "area_px", "cell_cycle"], rows)


def micrographs(d: Path, n=20, size=64, seed=7409):
    """micrographs/sample_###.npy (size, size) uint16 and samples.csv (file, phase, band_gap_ev)."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        _npy(d / "micrographs" / f"sample_{i:03d}.npy", _blocky(r, (size, size)))
        rows.append([f"sample_{i:03d}.npy", PHASES[i % 5], round(float(r.uniform(0.4, 3.2)), 3)])
    _csv(d / "micrographs" / "samples.csv", ["file", "phase", "band_gap_ev"], rows)


def mosaic(size=(480, 480), name="mosaic_s12.npy"):
    def setup(d: Path):
        r = _rng(7410)
        _npy(d / name, _blocky(r, size, block=8))
        import numpy as np
        m = np.zeros(size, np.float32)
        m[100:220, 60:300] = 1.0
        _npy(d / name.replace(".npy", "_defects.npy"), m)
    return setup


def galaxy_votes(d: Path):
    r = _rng(7411)
    rows = []
    for i in range(32):
        objid = 587722981736120000 + i
        _npy(d / "gz_cutouts" / f"{objid}.npy", (_blocky(r, (48, 48, 3), hi=255, dtype="float32") / 255.0)
             .astype("float32"))
        votes = r.dirichlet([1, 1, 1, 1])
        label = int(votes.argmax()) if votes.max() > 0.45 else -1       # no majority: "uncertain"
        rows.append([objid, *[round(float(v), 3) for v in votes], label])
    _csv(d / "gz_cutouts" / "votes.csv", ["objid", "p_elliptical", "p_spiral", "p_merger", "p_edgeon", "label"], rows)


def labmate_weights(d: Path):
    fluo_fields(d, nch=5, seed=7412)
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 4)),
            layers.Rescaling(1 / 4095.0),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax", name="phenotype"),
        ], name="phenotype_net")
        model.save_weights("phenotype_4ch_anna.weights.h5")
    """, d)


def labmate_h5_checkpoint(d: Path):
    micrographs(d, n=12, size=64)
    prep("tfk2", """
        import numpy as np
        import tf_keras as keras
        from tf_keras import layers
        inp = keras.Input((64, 64, 1))
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.UpSampling2D()(x)
        out = layers.Conv2D(1, 1, activation="sigmoid")(x)
        model = keras.Model(inp, out, name="grain_boundary_unet")
        model.compile("adam", "binary_crossentropy")
        x = np.random.rand(8, 64, 64, 1).astype("float32")
        model.fit(x, (x > 0.5).astype("float32"), epochs=1, verbose=0,
                  callbacks=[keras.callbacks.ModelCheckpoint("gb_unet_best.h5", save_weights_only=True)])
    """, d)


def labmate_keras3(d: Path):
    fluo_fields(d, n=12, seed=7413)
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 4)),
            layers.Rescaling(1 / 4095.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ], name="phenotype_net")
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("phenotype_net_v2.keras")
    """, d)


def defects_imbalanced(d: Path):
    r = _rng(7414)
    rows = []
    counts = {"ok": 30, "crack": 4, "pore": 3, "inclusion": 2}
    k = 0
    for c, n in counts.items():
        for i in range(n):
            name = f"weld_{k:03d}.npy"
            _npy(d / "weld_xray" / name, _blocky(r, (64, 64)))
            rows.append([name, c])
            k += 1
    _csv(d / "weld_xray" / "labels.csv", ["file", "defect"], rows)


def big_mosaic(d: Path):
    r = _rng(7415)
    _npy(d / "ebsd_mosaic.npy", _blocky(r, (2048, 2048), block=16))


def tiles_for_pool(d: Path):
    r = _rng(7416)
    for i in range(16):
        _tif16(d / "slide_tiles" / f"tile_r{i // 4:02d}_c{i % 4:02d}.tif", _blocky(r, (128, 128)))


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
        name="keras-more74-survey-cutout-npy-cut-short-by-interrupted-rsync-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=truncated_cutouts,
        code=IMPORTS + """
        CLASSES = ["STAR", "GALAXY", "QSO"]
        ROOT = "{DATA}"

        with open(f"{ROOT}/catalog.csv", newline="") as f:
            catalog = list(csv.DictReader(f))
        print(f"{len(catalog)} objects in the catalog")

        # ugriz cutouts, 64 x 64 px, fluxes in nanomaggies (copied from the cluster with rsync)
        x = np.stack([np.load(f"{ROOT}/cutouts/{row['objid']}.npy") for row in catalog])
        x = np.arcsinh(x / 0.1)            # asinh stretch, as in the SDSS colour images
        y = np.array([CLASSES.index(row["class"]) for row in catalog])

        model = keras.Sequential([
            keras.Input((64, 64, 5)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more74-nb-sem-export-upper-case-tif-globbed-lower-case-np-stack-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            DEFECTS = ["ok", "crack", "pore", "inclusion"]
            ROOT = "{DATA}/sem_export"
            """),
            cell("""
            paths, labels = [], []
            for k, name in enumerate(DEFECTS):
                found = sorted(glob.glob(os.path.join(ROOT, name, "*.tif")))
                paths += found
                labels += [k] * len(found)
            print(len(paths), "micrographs")
            """),
            cell("""
            # 16-bit SEM images -> float in [0, 1]
            x = np.stack([np.array(Image.open(p), dtype=np.float32) / 65535.0 for p in paths])[..., None]
            y = np.array(labels)
            x.shape, np.bincount(y)
            """),
        ], data=sem_export),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more74-confocal-z-stacks-one-acquisition-15-slices-np-array-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=zstacks,
        code=IMPORTS + """
        ROOT = "{DATA}/zstacks"
        GENOTYPES = ["wildtype", "mutant"]

        with open(f"{ROOT}/labels.csv", newline="") as f:
            rows = list(csv.DictReader(f))

        stacks = [np.load(os.path.join(ROOT, r["file"])) for r in rows]       # (Z, H, W) uint16
        x = np.array(stacks, dtype=np.float32)
        x = (x - x.mean()) / x.std()
        x = x[..., None]                                                      # (N, Z, H, W, 1)
        y = np.array([GENOTYPES.index(r["genotype"]) for r in rows])
        print("volumes", x.shape)

        model = keras.Sequential([
            keras.Input((16, 64, 64, 1)),
            layers.Conv3D(8, 3, activation="relu"),
            layers.MaxPooling3D(2),
            layers.Conv3D(16, 3, activation="relu"),
            layers.GlobalAveragePooling3D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=4)
        """,
    ),
    Case(
        name="keras-more74-sdss-and-legacy-survey-cutouts-from-generator-batched-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=two_surveys,
        pty=True,
        code=tfk2(IMPORTS + """
        CLASSES = ["STAR", "GALAXY", "QSO"]
        ROOT = "{DATA}"


        def read_catalog(name, folder):
            with open(f"{ROOT}/{name}", newline="") as f:
                return [(f"{ROOT}/{folder}/{r['objid']}.npy", CLASSES.index(r["class"])) for r in csv.DictReader(f)]


        # SDSS DR17 + the Legacy Survey DR10 cutouts of the same field
        items = read_catalog("catalog.csv", "cutouts") + read_catalog("legacy_catalog.csv", "legacy_cutouts")
        rng = np.random.default_rng(0)
        rng.shuffle(items)
        print(len(items), "cutouts")


        def gen():
            for path, label in items:
                yield np.arcsinh(np.load(path) / 0.1).astype("float32"), label


        ds = tf.data.Dataset.from_generator(
            gen, output_signature=(tf.TensorSpec((None, None, 5), tf.float32), tf.TensorSpec((), tf.int64)))
        ds = ds.batch(8).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((None, None, 5)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more74-random-hue-augmentation-on-four-channel-fluorescence-fields-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=fluo_fields,
        pty=True,
        code=IMPORTS + """
        PHENOTYPES = ["interphase", "prophase", "metaphase", "anaphase", "apoptotic"]
        ROOT = "{DATA}/fields"

        with open(f"{ROOT}/labels.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        # DAPI, GFP, mCherry, Cy5
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows]).astype("float32") / 4095.0
        y = np.array([PHENOTYPES.index(r["phenotype"]) for r in rows])


        def augment(img, label):
            img = tf.image.random_flip_left_right(img)
            img = tf.image.random_flip_up_down(img)
            img = tf.image.rot90(img, k=tf.random.uniform((), 0, 4, dtype=tf.int32))
            img = tf.image.random_brightness(img, 0.05)
            img = tf.image.random_hue(img, 0.02)         # staining varies between plates
            return img, label


        train_ds = (tf.data.Dataset.from_tensor_slices((x, y))
                    .shuffle(64)
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8)
                    .prefetch(tf.data.AUTOTUNE))

        model = keras.Sequential([
            keras.Input((64, 64, 4)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PHENOTYPES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more74-nb-plate-imaged-without-cy5-predicted-by-four-channel-model-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            PHENOTYPES = ["interphase", "prophase", "metaphase", "anaphase", "apoptotic"]


            def load_plate(folder):
                with open(f"{folder}/labels.csv", newline="") as f:
                    rows = list(csv.DictReader(f))
                x = np.stack([np.load(os.path.join(folder, r["file"])) for r in rows]).astype("float32")
                return x, np.array([PHENOTYPES.index(r["phenotype"]) for r in rows])
            """),
            cell("""
            x1, y1 = load_plate("{DATA}/plate01")
            model = keras.Sequential([
                keras.Input((64, 64, 4)),
                layers.Rescaling(1 / 4095.0),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(PHENOTYPES), activation="softmax"),
            ], name="phenotype_net")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x1, y1, epochs=3, batch_size=8, verbose=0)
            history.history["accuracy"][-1]
            """),
            cell("""
            # the new plate from this week's screen
            x2, _ = load_plate("{DATA}/plate02")
            probs = model.predict(x2)
            calls = [PHENOTYPES[i] for i in probs.argmax(1)]
            """),
        ], data=two_plates),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more74-32px-crops-centred-on-nuclei-one-at-tile-edge-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=nuclei,
        code=IMPORTS + """
        PHASES = ["G1", "S", "G2M"]
        ROOT = "{DATA}/tiles"
        CROP = 32

        # centroids exported from the CellProfiler nucleus segmentation
        with open(f"{ROOT}/nuclei.csv", newline="") as f:
            nuclei = list(csv.DictReader(f))
        tiles = {}
        crops, labels = [], []
        for n in nuclei:
            if n["tile"] not in tiles:
                tiles[n["tile"]] = tf.convert_to_tensor(np.load(os.path.join(ROOT, n["tile"])).astype("float32"))
            img = tiles[n["tile"]]
            cx, cy = int(n["centroid_x"]), int(n["centroid_y"])
            crop = tf.image.crop_to_bounding_box(img, cy - CROP // 2, cx - CROP // 2, CROP, CROP)
            crops.append(crop / 4095.0)
            labels.append(PHASES.index(n["cell_cycle"]))
        x = tf.stack(crops)
        y = np.array(labels)

        model = keras.Sequential([
            keras.Input((CROP, CROP, 2)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=8)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more74-digitize-three-thresholds-four-phase-masks-three-class-segmenter-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=lambda d: micrographs(d, n=16, size=32),
        pty=True,
        code=IMPORTS + """
        ROOT = "{DATA}/micrographs"
        NUM_CLASSES = 3          # matrix, precipitate, pore
        # grey-level thresholds picked by hand in Fiji on sample_000
        THRESHOLDS = [12000, 30000, 52000]

        paths = sorted(glob.glob(f"{ROOT}/*.npy"))
        imgs = np.stack([np.load(p) for p in paths]).astype("float32")
        masks = np.digitize(imgs, THRESHOLDS)          # masks from thresholding
        x = (imgs / 65535.0)[..., None]
        print("x", x.shape, "mask values", np.unique(masks))

        inp = keras.Input((32, 32, 1))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m1 = layers.Concatenate()([u1, c1])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(m1)
        out = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(c3)
        model = keras.Model(inp, out, name="phase_unet")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, masks, epochs=10, batch_size=2)
        """,
    ),
    Case(
        name="keras-more74-nb-galaxy-zoo-uncertain-votes-labelled-minus-one-four-way-softmax-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        **notebook([
            cell(tfk2(textwrap.dedent(IMPORTS).lstrip("\n")) + textwrap.dedent("""
            ROOT = "{DATA}/gz_cutouts"
            MORPH = ["elliptical", "spiral", "merger", "edge-on"]
            """)),
            cell("""
            with open(f"{ROOT}/votes.csv", newline="") as f:
                votes = list(csv.DictReader(f))
            x = np.stack([np.load(f"{ROOT}/{v['objid']}.npy") for v in votes])
            y = np.array([int(v["label"]) for v in votes])
            print(x.shape, np.unique(y, return_counts=True))
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(MORPH), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5, batch_size=8)
            """),
        ], data=galaxy_votes),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more74-blank-background-tiles-dropped-from-patches-not-from-targets-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=mosaic(size=(512, 512), name="weld_scan.npy"),
        code=IMPORTS + """
        TILE = 64
        scan = np.load("{DATA}/weld_scan.npy").astype("float32") / 65535.0
        defects = np.load("{DATA}/weld_scan_defects.npy")
        scan[:, :96] = 0.0                 # outside the sample holder

        patches, targets = [], []
        for r in range(0, scan.shape[0], TILE):
            for c in range(0, scan.shape[1], TILE):
                patches.append(scan[r:r + TILE, c:c + TILE])
                targets.append(defects[r:r + TILE, c:c + TILE].mean())    # defect area fraction
        patches = np.stack(patches)[..., None]
        targets = np.array(targets, dtype="float32")

        # drop background tiles (no sample under the beam)
        keep = patches.reshape(len(patches), -1).std(axis=1) > 1e-3
        patches = patches[keep]
        print(f"{len(patches)} tiles with sample, {len(targets)} targets")

        model = keras.Sequential([
            keras.Input((TILE, TILE, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(patches, targets, epochs=10, batch_size=8)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more74-float32-background-level-subtracted-from-uint16-fields-tf-data-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=fluo_fields,
        code=IMPORTS + """
        PHENOTYPES = ["interphase", "prophase", "metaphase", "anaphase", "apoptotic"]
        ROOT = "{DATA}/fields"

        with open(f"{ROOT}/labels.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows])      # uint16, 12-bit camera
        y = np.array([PHENOTYPES.index(r["phenotype"]) for r in rows])

        # camera offset per channel, from the dark frames
        BACKGROUND = tf.constant(np.percentile(x, 1, axis=(0, 1, 2)), dtype=tf.float32)
        print("background", BACKGROUND.numpy())


        def preprocess(img, label):
            img = tf.nn.relu(img - BACKGROUND)
            return img / 4095.0, label


        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(preprocess).shuffle(64).batch(8)

        model = keras.Sequential([
            keras.Input((64, 64, 4)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PHENOTYPES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=10)
        """,
    ),
    Case(
        name="keras-more74-float64-band-gap-targets-minus-float32-predictions-custom-loop-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=micrographs,
        code=IMPORTS + """
        ROOT = "{DATA}/micrographs"

        with open(f"{ROOT}/samples.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows]).astype("float32")[..., None] / 65535.0
        y = np.array([float(r["band_gap_ev"]) for r in rows])            # eV, from the DFT runs
        np.save("band_gap_targets.npy", y)
        y = np.load("band_gap_targets.npy")

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ], name="band_gap_regressor")
        optimizer = keras.optimizers.Adam(1e-3)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(32).batch(4)

        for epoch in range(20):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    pred = model(xb, training=True)
                    loss = tf.reduce_mean(tf.square(yb[:, None] - pred))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: mse {loss.numpy():.4f} eV^2")
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more74-nb-flatten-patch-classifier-trained-on-64px-tiles-run-on-whole-mosaic-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            TILE = 64
            scan = np.load("{DATA}/mosaic_s12.npy").astype("float32") / 65535.0
            defects = np.load("{DATA}/mosaic_s12_defects.npy")
            scan.shape
            """),
            cell("""
            tiles, labels = [], []
            for r in range(0, scan.shape[0] - TILE + 1, TILE):
                for c in range(0, scan.shape[1] - TILE + 1, TILE):
                    tiles.append(scan[r:r + TILE, c:c + TILE, None])
                    labels.append(int(defects[r:r + TILE, c:c + TILE].mean() > 0.1))
            tiles, labels = np.stack(tiles), np.array(labels)

            model = keras.Sequential([
                keras.Input((TILE, TILE, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(1, activation="sigmoid"),
            ], name="defect_tile_classifier")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(tiles, labels, epochs=3, batch_size=8, verbose=0)
            """),
            cell("""
            # defect probability map for the whole sample in one go
            heatmap = model.predict(scan[None, ..., None])
            """),
        ], data=mosaic()),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more74-four-unit-head-for-one-hot-labels-of-five-crystal-phases-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=micrographs,
        pty=True,
        code=IMPORTS + """
        PHASES = ["ferrite", "austenite", "martensite", "bainite", "cementite"]
        ROOT = "{DATA}/micrographs"
        NUM_PHASES = 4           # ferrite, austenite, martensite, bainite

        with open(f"{ROOT}/samples.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows]).astype("float32")[..., None] / 65535.0
        y = keras.utils.to_categorical([PHASES.index(r["phase"]) for r in rows])
        print("x", x.shape, "y", y.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(NUM_PHASES, activation="softmax"),
        ], name="phase_classifier")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=15, batch_size=4, validation_split=0.2)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more74-labmate-four-channel-weights-h5-into-model-with-brightfield-added-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=labmate_weights,
        code=IMPORTS + """
        PHENOTYPES = ["interphase", "prophase", "metaphase", "anaphase", "apoptotic"]
        ROOT = "{DATA}/fields"
        CHANNELS = ["DAPI", "GFP", "mCherry", "Cy5", "brightfield"]

        with open(f"{ROOT}/labels.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows]).astype("float32")
        y = np.array([PHENOTYPES.index(r["phenotype"]) for r in rows])

        model = keras.Sequential([
            keras.Input((64, 64, len(CHANNELS))),
            layers.Rescaling(1 / 4095.0),
            layers.Conv2D(16, 3, activation="relu", name="conv1"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu", name="conv2"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PHENOTYPES), activation="softmax", name="phenotype"),
        ], name="phenotype_net")
        # start from Anna's network (shared drive) instead of from scratch
        model.load_weights("{DATA}/phenotype_4ch_anna.weights.h5")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more74-load-model-on-labmates-save-weights-only-checkpoint-h5-tfk2",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="ValueError",
        env="tfk2",
        setup=labmate_h5_checkpoint,
        code=tfk2(IMPORTS + """
        ROOT = "{DATA}/micrographs"

        # grain-boundary U-Net from Tom's run on the lab workstation (copied from his checkpoints/)
        model = keras.models.load_model("{DATA}/gb_unet_best.h5")
        model.summary()

        x = np.stack([np.load(p) for p in sorted(glob.glob(f"{ROOT}/*.npy"))]).astype("float32")[..., None] / 65535.0
        masks = model.predict(x, batch_size=4) > 0.5
        print("boundary fraction", masks.mean())
        """),
    ),
    Case(
        name="keras-more74-inverse-frequency-sample-weight-with-augmented-tf-data-weld-xray-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=defects_imbalanced,
        pty=True,
        code=IMPORTS + """
        from collections import Counter

        DEFECTS = ["ok", "crack", "pore", "inclusion"]
        ROOT = "{DATA}/weld_xray"

        with open(f"{ROOT}/labels.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows]).astype("float32")[..., None] / 65535.0
        y = np.array([DEFECTS.index(r["defect"]) for r in rows])

        counts = Counter(y.tolist())
        print({DEFECTS[k]: n for k, n in sorted(counts.items())})
        # inverse-frequency weights: the cracks and inclusions are what we care about
        weights = np.array([len(y) / (len(DEFECTS) * counts[k]) for k in y], dtype="float32")


        def augment(img, label):
            img = tf.image.random_flip_left_right(img)
            img = tf.image.random_flip_up_down(img)
            img = tf.image.rot90(img, k=tf.random.uniform((), 0, 4, dtype=tf.int32))
            img = tf.image.random_contrast(img, 0.8, 1.2)
            return img, label


        train_ds = (tf.data.Dataset.from_tensor_slices((x, y))
                    .map(augment, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(DEFECTS), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=20, sample_weight=weights)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more74-redshift-regressor-raw-counts-sgd-nan-predictions-np-histogram-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=lambda d: survey_cutouts(d, n=40, seed=7420),
        pty=True,
        code=IMPORTS + """
        ROOT = "{DATA}"

        with open(f"{ROOT}/catalog.csv", newline="") as f:
            catalog = list(csv.DictReader(f))
        # raw counts: the exposure-time scaling put them back on the detector's 16-bit scale
        x = np.stack([np.load(f"{ROOT}/cutouts/{row['objid']}.npy") for row in catalog]) * 65535.0
        z = np.array([float(row["redshift"]) for row in catalog], dtype="float32")

        model = keras.Sequential([
            keras.Input((64, 64, 5)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ], name="photo_z")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, z, epochs=8, batch_size=8)

        z_pred = model.predict(x, batch_size=8).ravel()
        dz = (z_pred - z) / (1 + z)
        counts, edges = np.histogram(dz, bins=30)
        print("sigma_NMAD", 1.48 * np.median(np.abs(dz - np.median(dz))))
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more74-data-loss-and-smoothness-loss-two-gradients-non-persistent-tape-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        setup=lambda d: micrographs(d, n=16),
        code=IMPORTS + """
        ROOT = "{DATA}/micrographs"

        paths = sorted(glob.glob(f"{ROOT}/*.npy"))
        x = np.stack([np.load(p) for p in paths]).astype("float32")[..., None] / 65535.0
        # strain field from digital image correlation (noisy), to be denoised by the network
        strain = (x + 0.05 * np.random.default_rng(0).normal(size=x.shape)).astype("float32")

        inp = keras.Input((64, 64, 1))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(1, 3, padding="same")(h)
        model = keras.Model(inp, out, name="strain_net")
        opt = keras.optimizers.Adam(1e-3)
        LAMBDA = 0.1

        ds = tf.data.Dataset.from_tensor_slices((x, strain)).batch(4)
        for epoch in range(5):
            for xb, sb in ds:
                with tf.GradientTape() as tape:
                    pred = model(xb, training=True)
                    data_loss = tf.reduce_mean(tf.square(pred - sb))
                    dy, dx = tf.image.image_gradients(pred)
                    smooth_loss = tf.reduce_mean(tf.square(dx) + tf.square(dy))   # compatibility term
                g_data = tape.gradient(data_loss, model.trainable_variables)
                g_smooth = tape.gradient(smooth_loss, model.trainable_variables)
                grads = [a + LAMBDA * b for a, b in zip(g_data, g_smooth)]
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(epoch, float(data_loss), float(smooth_loss))
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more74-sliding-window-view-over-2048px-mosaic-without-step-reshaped-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=big_mosaic,
        as_limit=8 * 1024**3,
        code=IMPORTS + """
        from numpy.lib.stride_tricks import sliding_window_view

        PATCH = 128
        mosaic = np.load("{DATA}/ebsd_mosaic.npy").astype("float32") / 65535.0
        print("mosaic", mosaic.shape)

        # 128 x 128 patches over the whole EBSD map
        windows = sliding_window_view(mosaic, (PATCH, PATCH))
        patches = windows.reshape(-1, PATCH, PATCH, 1)
        print("patches", patches.shape)

        inp = keras.Input((PATCH, PATCH, 1))
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
        h = layers.Conv2DTranspose(1, 3, strides=2, padding="same")(h)
        autoencoder = keras.Model(inp, h)
        autoencoder.compile(optimizer="adam", loss="mse")
        autoencoder.fit(patches, patches, epochs=5, batch_size=32)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more74-labmates-keras-3-keras-file-opened-with-tf-keras-tfk2",
        cause="env.version_incompat",
        exception="TypeError",
        env="tfk2",
        setup=labmate_keras3,
        code=tfk2(IMPORTS + """
        PHENOTYPES = ["interphase", "prophase", "metaphase", "anaphase", "apoptotic"]
        ROOT = "{DATA}/fields"

        # Maria's phenotype model from the shared drive (she retrained it on her laptop)
        model = keras.models.load_model("{DATA}/phenotype_net_v2.keras")

        with open(f"{ROOT}/labels.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows]).astype("float32")
        y = np.array([PHENOTYPES.index(r["phenotype"]) for r in rows])
        print(model.evaluate(x, y, verbose=0))
        """),
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more74-soft-placement-off-and-tf-device-gpu0-on-cpu-compute-node-k3",
        cause="env.cuda_setup",
        exception="InvalidArgumentError",
        setup=lambda d: micrographs(d, n=12),
        code=IMPORTS + """
        ROOT = "{DATA}/micrographs"

        # fail loudly instead of silently training on the CPU (lab cluster: gpu partition)
        tf.config.set_soft_device_placement(False)
        print("GPUs:", tf.config.list_physical_devices("GPU"))

        with open(f"{ROOT}/samples.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.load(os.path.join(ROOT, r["file"])) for r in rows]).astype("float32")[..., None] / 65535.0
        y = np.array([float(r["band_gap_ev"]) for r in rows], dtype="float32")

        with tf.device("/GPU:0"):
            model = keras.Sequential([
                keras.Input((64, 64, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1),
            ])
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y, epochs=10, batch_size=4)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more74-pool-map-tile-reader-defined-inside-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=tiles_for_pool,
        code=IMPORTS + """
        import multiprocessing as mp

        from PIL import Image


        def main():
            paths = sorted(glob.glob("{DATA}/slide_tiles/*.tif"))
            lo, hi = 500, 60000      # display range from the acquisition software

            def read_tile(path):
                arr = np.array(Image.open(path), dtype=np.float32)
                return np.clip((arr - lo) / (hi - lo), 0, 1)

            with mp.Pool(4) as pool:
                tiles = pool.map(read_tile, paths)
            x = np.stack(tiles)[..., None]
            print("tiles", x.shape)

            inp = keras.Input((128, 128, 1))
            h = layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(inp)
            h = layers.Conv2DTranspose(1, 3, strides=2, padding="same", activation="sigmoid")(h)
            model = keras.Model(inp, h)
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, x, epochs=3, batch_size=4)


        if __name__ == "__main__":
            main()
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more74-tile-predictions-stitched-into-mosaic-not-multiple-of-tile-k3",
        cause="other",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        setup=mosaic(size=(480, 480)),
        pty=True,
        code=IMPORTS + """
        TILE = 64
        scan = np.load("{DATA}/mosaic_s12.npy").astype("float32") / 65535.0
        defects = np.load("{DATA}/mosaic_s12_defects.npy")
        H, W = scan.shape

        # pad to a multiple of the tile so every tile is full size
        ph, pw = -H % TILE, -W % TILE
        padded = np.pad(scan, ((0, ph), (0, pw)), mode="reflect")
        padded_mask = np.pad(defects, ((0, ph), (0, pw)))
        coords = [(r, c) for r in range(0, padded.shape[0], TILE) for c in range(0, padded.shape[1], TILE)]
        tiles = np.stack([padded[r:r + TILE, c:c + TILE] for r, c in coords])[..., None]
        masks = np.stack([padded_mask[r:r + TILE, c:c + TILE] for r, c in coords])[..., None]

        inp = keras.Input((TILE, TILE, 1))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        out = layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = keras.Model(inp, out, name="defect_segmenter")
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(tiles, masks, epochs=3, batch_size=8)

        # stitch the tile predictions back into a map of the sample
        pred = model.predict(tiles, batch_size=8)[..., 0]
        prob_map = np.zeros((H, W), dtype="float32")
        for (r, c), p in zip(coords, pred):
            prob_map[r:r + TILE, c:c + TILE] = p
        np.save("defect_probability.npy", prob_map)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
