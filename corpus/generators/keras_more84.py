"""Untargeted held-out Keras / TensorFlow failures (g193, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of amateur astronomers and astrophotography clubs
training Keras / tf.keras models with Keras 3 and tf_keras 2 in notebooks and scripts: galaxy-morphology
classifiers on FITS cutouts converted to PNG, satellite-trail and cloud detectors on all-sky camera
frames, meteor-camera clips and streak crops, sky-brightness (SQM) regressors and 16-bit TIFF stacks
from astro cameras, with data coming from the observatory PC, night-time laptops and the club's shared
cloud folders, spread over the cause ids of the taxonomy:

- files: a shared-drive download of galaxy cutouts in which some "PNGs" are the drive's HTML warning
  page, read by ``image_dataset_from_directory`` (terminal); an all-sky frame list written on the
  Windows observatory PC (backslash paths) read with ``load_img`` on Linux (notebook);
- image sizes: galaxy cutouts made near the edge of the frame (trimmed, not 128 x 128) put in one
  ``np.stack``; frames of two meteor cameras (PAL 720 x 576 and 640 x 480) decoded without a resize
  and batched (tf_keras, terminal);
- channels: galaxy cutouts written with ``plt.imsave`` (RGBA PNG) read with PIL for an RGB model;
  colour frames of the new all-sky camera among the mono ones, put through ``grayscale_to_rgb`` in the
  ``tf.data`` map (tf_keras);
- boxes: meteor streak boxes dragged right to left by volunteers (x2 < x1), cut with
  ``crop_to_bounding_box``;
- labels: 1-based morphology codes (1 ... 5) for a five-way softmax (terminal); cloud cover in oktas
  (0 ... 8) for a head of eight units (tf_keras notebook);
- label shapes: ``to_categorical`` satellite-trail labels for a one-unit sigmoid head;
- dtypes: a float32 master dark subtracted from uint16 TIFF light frames in the ``tf.data`` map;
- model inputs: ``predict`` on tonight's single all-sky frame without a batch axis (notebook);
  variable-star light curves with no feature axis, the ``LSTM`` model's ``Input`` taken from their shape;
- model outputs: a three-class morphology head kept after a fourth class folder (mergers) was added;
- weights: the club's ``cloud_v1.h5`` (one more conv layer) loaded into the rebuilt detector (tf_keras);
- API: ``validation_split`` passed to ``fit`` together with a ``tf.data`` dataset;
- divergence: an SQM sky-brightness regressor on raw 16-bit counts under SGD, its NaN prediction
  turned into a Bortle class (terminal);
- gradients: the star / galaxy loss computed on ``.numpy()`` of the predictions inside the tape;
- host memory: a night of full-frame 61 MP sub-exposures preallocated as one float64 stack;
- versions: a 2020 blog's ``tensorflow.keras.layers.experimental.preprocessing`` import under Keras 3;
  a 2019 club notebook's ``ImageDataGenerator`` import from ``keras.preprocessing.image`` (notebook);
- GPU setup: ``set_memory_growth`` on the first GPU of the night-time laptop, which TensorFlow does
  not see;
- workers: a ``lambda`` stretch given to ``multiprocessing.Pool.map`` over the raw frames;
- plain bugs: tonight's cloud report with NumPy float32 values written with ``json.dump``.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more84.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g193): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more84.py"

MORPH = ["elliptical", "lenticular", "spiral", "barred_spiral", "irregular"]
CLOUD = ["clear", "thin", "partly", "overcast"]


# ---------------------------------------------------------------- data helpers
def _blocky(r, h, w, c=3, block=4):
    """A smooth-ish random uint8 image (h x w x c, or h x w when c == 0)."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), max(c, 1)), dtype=np.uint8)
    a = np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()
    return a[..., 0] if c == 0 else a


def _save(path: Path, arr, mode=None, **kw):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    img.save(path, **kw)


def _csv(path: Path, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def gdrive_cutouts(d: Path):
    """galaxies/<class>/*.png from a shared-drive zip; three are the drive's HTML warning page."""
    r = _rng(8401)
    html = ("<!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title></head><body>"
            "<p>Google Drive can't scan this file for viruses.</p></body></html>\n")
    k = 0
    for c in ("elliptical", "spiral", "irregular"):
        for i in range(10):
            p = d / "galaxies" / c / f"J{1023 + k:04d}+{2210 + 3 * k:04d}.png"
            k += 1
            if k in (7, 18, 26):
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(html)
                continue
            _save(p, _blocky(r, 64, 64))


def allsky_windows_csv(d: Path):
    """allsky/2024-08-12/*.jpg and clouds.csv written by the Windows observatory PC."""
    r = _rng(8402)
    rows = [["file", "cloud"]]
    for i in range(16):
        name = f"image-20240812{22 + i // 12:02d}{(i * 5) % 60:02d}05.jpg"
        _save(d / "allsky" / "2024-08-12" / name, _blocky(r, 96, 96), quality=85)
        rows.append(["2024-08-12\\" + name, CLOUD[i % 4]])
    _csv(d / "allsky" / "clouds.csv", rows)


def edge_cutouts(d: Path):
    """cutouts/*.png (128 x 128, except the galaxies near the frame edge) and morphology.csv."""
    r = _rng(8403)
    rows = [["cutout", "morphology"]]
    for i in range(30):
        h, w = (128, 128)
        if i in (11, 23):
            h, w = (128, 97)
        if i == 27:
            h, w = (104, 128)
        name = f"NGC{5000 + 17 * i}.png"
        _save(d / "cutouts" / name, _blocky(r, h, w))
        rows.append([name, MORPH[i % 5]])
    _csv(d / "cutouts" / "morphology.csv", rows)


def two_meteor_cameras(d: Path):
    """meteors/<cam>/*.png: mono frames; cam1 is a PAL Watec (720 x 576), cam2 an IMX291 (640 x 480)."""
    r = _rng(8404)
    rows = [["frame", "meteor"]]
    for cam, (w, h) in (("cam1_watec", (720, 576)), ("cam2_imx291", (640, 480))):
        for i in range(8):
            name = f"{cam}/M20240812_{cam[:4]}_{i:03d}.png"
            _save(d / "meteors" / name, _blocky(r, h, w, c=0, block=16))
            rows.append([name, int(i % 3 == 0)])
    _csv(d / "meteors" / "frames.csv", rows)


def imsave_rgba_cutouts(d: Path):
    """zoo/*.png written by plt.imsave (RGBA, alpha 255) and votes.csv."""
    import numpy as np
    r = _rng(8405)
    rows = [["cutout", "class"]]
    for i in range(24):
        name = f"zoo_{587722981 + i}.png"
        rgb = _blocky(r, 80, 80)
        _save(d / "zoo" / name, np.concatenate([rgb, np.full((80, 80, 1), 255, np.uint8)], axis=-1))
        rows.append([name, i % 3])
    _csv(d / "zoo" / "votes.csv", rows)


def mixed_allsky_cameras(d: Path):
    """allsky/*.png: mono frames of the old ASI178MM, colour frames of the new ASI224MC since 1 Sept."""
    r = _rng(8406)
    rows = [["frame", "cloud"]]
    for i in range(20):
        colour = i >= 14
        name = f"allsky_202409{1 + i:02d}_0130.png"
        _save(d / "allsky" / name, _blocky(r, 120, 160, c=3 if colour else 0))
        rows.append([name, CLOUD[i % 4]])
    _csv(d / "allsky" / "clouds.csv", rows)


def meteor_boxes(d: Path):
    """streaks/*.jpg and boxes.csv (x1, y1, x2, y2 in pixels); two boxes dragged right to left."""
    r = _rng(8407)
    rows = [["frame", "x1", "y1", "x2", "y2", "kind"]]
    for i in range(14):
        name = f"M20240813_{i:03d}.jpg"
        _save(d / "streaks" / name, _blocky(r, 240, 320), quality=90)
        x1, y1 = int(r.integers(10, 150)), int(r.integers(10, 100))
        x2, y2 = x1 + int(r.integers(40, 150)), y1 + int(r.integers(30, 120))
        if i in (6, 11):
            x1, x2 = x2, x1
        rows.append([name, x1, y1, x2, y2, ["meteor", "satellite", "plane"][i % 3]])
    _csv(d / "streaks" / "boxes.csv", rows)


def morph_codes(d: Path):
    r = _rng(8408)
    rows = [["cutout", "ttype_class"]]
    for i in range(40):
        name = f"cut_{i:04d}.png"
        _save(d / "cutouts" / name, _blocky(r, 64, 64))
        rows.append([name, 1 + i % 5])
    _csv(d / "cutouts" / "classes.csv", rows)


def okta_frames(d: Path):
    import numpy as np
    r = _rng(8409)
    (d / "allsky").mkdir(parents=True, exist_ok=True)
    np.save(d / "allsky" / "frames_64.npy", r.integers(0, 255, (48, 64, 64, 1), dtype=np.uint8))
    np.save(d / "allsky" / "oktas.npy", np.array([i % 9 for i in range(48)]))


def trail_folders(d: Path):
    r = _rng(8410)
    for c in ("no_trail", "trail"):
        for i in range(12):
            _save(d / "trails" / c / f"{c}_{i:03d}.png", _blocky(r, 64, 64, c=0), mode="L")


def tiff_lights(d: Path):
    """lights/*.tif 16-bit mono light frames and master_dark.npy (float32)."""
    import numpy as np
    from PIL import Image
    r = _rng(8411)
    (d / "lights").mkdir(parents=True, exist_ok=True)
    rows = [["frame", "target"]]
    for i in range(16):
        a = r.integers(800, 60000, (96, 96)).astype(np.uint16)
        name = f"Light_M31_180s_{i:04d}.tif"
        Image.fromarray(a).save(d / "lights" / name)
        rows.append([name, i % 2])
    _csv(d / "lights" / "frames.csv", rows)
    np.save(d / "lights" / "master_dark.npy", r.normal(1200, 40, (96, 96)).astype(np.float32))


def cloud_folders(d: Path):
    r = _rng(8412)
    for c in CLOUD:
        for i in range(6):
            _save(d / "allsky" / c / f"{c}_{i:03d}.jpg", _blocky(r, 96, 96), quality=85)
    _save(d / "tonight" / "image-20240915013005.jpg", _blocky(r, 96, 96), quality=85)


def light_curves(d: Path):
    import numpy as np
    r = _rng(8413)
    (d / "aavso").mkdir(parents=True, exist_ok=True)
    t = np.linspace(0, 1, 200)
    curves, kinds = [], []
    for i in range(60):
        k = i % 3
        period = [0.3, 0.11, 0.6][k]
        curves.append(10 + 0.4 * np.sin(2 * np.pi * t / period + r.uniform(0, 6)) + r.normal(0, 0.03, 200))
        kinds.append(k)
    np.save(d / "aavso" / "mags.npy", np.array(curves, dtype="float32"))
    np.save(d / "aavso" / "kind.npy", np.array(kinds))


def merger_folders(d: Path):
    r = _rng(8414)
    for c in ("elliptical", "merger", "spiral", "irregular"):
        for i in range(8):
            _save(d / "morph" / c / f"{c}_{i:03d}.png", _blocky(r, 64, 64))


def cloud_v1(d: Path):
    import numpy as np
    r = _rng(8415)
    (d / "club").mkdir(parents=True, exist_ok=True)
    np.save(d / "club" / "frames.npy", r.integers(0, 255, (32, 64, 64, 3), dtype=np.uint8))
    np.save(d / "club" / "cloud.npy", r.integers(0, 4, 32))
    prep("tfk2", """
        import tf_keras as keras
        from tf_keras import layers
        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.save("club/cloud_v1.h5")
    """, d)


def cloud_dirs_small(d: Path):
    r = _rng(8416)
    for c in CLOUD:
        for i in range(8):
            _save(d / "allsky_sorted" / c / f"{c}_{i:03d}.jpg", _blocky(r, 64, 64), quality=85)


def sqm_frames(d: Path):
    import numpy as np
    r = _rng(8417)
    (d / "sqm").mkdir(parents=True, exist_ok=True)
    np.save(d / "sqm" / "frames_u16.npy", r.integers(1000, 65535, (40, 64, 64, 1)).astype(np.uint16))
    np.save(d / "sqm" / "sqm.npy", r.uniform(17.5, 21.8, 40).astype("float32"))


def star_galaxy(d: Path):
    import numpy as np
    r = _rng(8418)
    (d / "sg").mkdir(parents=True, exist_ok=True)
    np.save(d / "sg" / "stamps.npy", r.random((64, 32, 32, 1)).astype("float32"))
    np.save(d / "sg" / "is_galaxy.npy", r.integers(0, 2, 64).astype("float32"))


def session_log(d: Path):
    import json
    (d / "session").mkdir(parents=True, exist_ok=True)
    log = {"camera": "ZWO ASI6200MM Pro", "width": 9576, "height": 6388, "bit_depth": 16,
           "target": "NGC 7000", "filter": "Ha", "exposure_s": 120, "subs": 210}
    (d / "session" / "session.json").write_text(json.dumps(log, indent=2))


def old_blog_data(d: Path):
    r = _rng(8419)
    for c in ("elliptical", "spiral"):
        for i in range(6):
            _save(d / "galaxy_zoo" / c / f"{c}_{i:03d}.jpg", _blocky(r, 64, 64), quality=85)


def raw_frames(d: Path):
    import numpy as np
    r = _rng(8420)
    (d / "raw").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        np.save(d / "raw" / f"frame_{i:03d}.npy", r.integers(0, 65535, (64, 64)).astype(np.uint16))


def tonight_frames(d: Path):
    import numpy as np
    r = _rng(8421)
    (d / "night").mkdir(parents=True, exist_ok=True)
    np.save(d / "night" / "train_x.npy", r.integers(0, 255, (32, 48, 48, 3), dtype=np.uint8))
    np.save(d / "night" / "train_y.npy", r.integers(0, 2, 32))
    np.save(d / "night" / "tonight.npy", r.integers(0, 255, (12, 48, 48, 3), dtype=np.uint8))


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


def cell(body, imports=False, legacy=False):
    b = textwrap.dedent(body)
    if imports:
        imp = textwrap.dedent(IMPORTS).lstrip("\n")
        b = (tfk2(imp) if legacy else imp) + b
    return b


SMALL_CNN = """
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
"""


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more84-shared-drive-galaxy-cutouts-some-pngs-are-html-warning-pages-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=gdrive_cutouts,
        pty=True,
        code=IMPORTS + """
        # cutouts from the club's shared drive (downloaded as a zip and unpacked)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/galaxies", image_size=(64, 64), batch_size=8, seed=42)
        NUM_CLASSES = len(train_ds.class_names)
        print("classes:", train_ds.class_names)
""" + SMALL_CNN + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more84-allsky-frame-list-from-windows-observatory-pc-backslash-paths-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        **notebook([
            cell(imports=True, body="""
            CLOUD = ["clear", "thin", "partly", "overcast"]
            ROOT = "{DATA}/allsky"
            with open(os.path.join(ROOT, "clouds.csv")) as f:
                rows = list(csv.DictReader(f))
            print(len(rows), "labelled frames;", rows[0])
            """),
            cell("""
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(os.path.join(ROOT, r["file"]),
                                                                         target_size=(96, 96)))
                          for r in rows]) / 255.0
            y = np.array([CLOUD.index(r["cloud"]) for r in rows])
            x.shape, y.shape
            """),
        ], data=allsky_windows_csv),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more84-galaxy-cutouts-trimmed-at-frame-edge-np-stack-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=edge_cutouts,
        code=IMPORTS + """
        from PIL import Image

        MORPH = ["elliptical", "lenticular", "spiral", "barred_spiral", "irregular"]
        with open("{DATA}/cutouts/morphology.csv") as f:
            rows = list(csv.DictReader(f))

        # 128 x 128 cutouts around each catalogue position (converted from FITS with a asinh stretch)
        images = [np.asarray(Image.open("{DATA}/cutouts/" + r["cutout"]).convert("RGB"), dtype="float32") / 255.0
                  for r in rows]
        x = np.stack(images)
        y = np.array([MORPH.index(r["morphology"]) for r in rows])

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(MORPH), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more84-two-meteor-cameras-pal-and-imx291-frames-decoded-without-resize-batched-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=two_meteor_cameras,
        pty=True,
        code=tfk2(IMPORTS + """
        # meteor / no meteor on single frames from the club's two cameras
        with open("{DATA}/meteors/frames.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/meteors/" + r["frame"] for r in rows]
        labels = [int(r["meteor"]) for r in rows]


        def load(path, label):
            frame = tf.io.decode_png(tf.io.read_file(path), channels=1)
            return tf.cast(frame, tf.float32) / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=1).map(load).batch(4).prefetch(2))

        model = keras.Sequential([
            layers.Conv2D(8, 5, strides=4, activation="relu", input_shape=(None, None, 1)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalMaxPooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more84-galaxy-cutouts-written-by-plt-imsave-rgba-read-with-pil-rgb-model-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=imsave_rgba_cutouts,
        code=IMPORTS + """
        from PIL import Image

        # cutouts were made from the FITS files with plt.imsave(name, stretched, cmap="gray")
        with open("{DATA}/zoo/votes.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open("{DATA}/zoo/" + r["cutout"]).resize((64, 64)), dtype="float32")
                      for r in rows]) / 255.0
        y = np.array([int(r["class"]) for r in rows])
        print("cutouts", x.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ], name="zoo_cnn")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8)
        """,
    ),
    Case(
        name="keras-more84-new-colour-allsky-camera-frames-through-grayscale-to-rgb-map-tfk2",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=mixed_allsky_cameras,
        code=tfk2(IMPORTS + """
        CLOUD = ["clear", "thin", "partly", "overcast"]
        with open("{DATA}/allsky/clouds.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/allsky/" + r["frame"] for r in rows]
        labels = [CLOUD.index(r["cloud"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path))         # the all-sky camera is mono
            img = tf.image.grayscale_to_rgb(img)                  # three channels for MobileNetV2
            img = tf.image.resize(img, (96, 96))
            return keras.applications.mobilenet_v2.preprocess_input(img), label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, alpha=0.35)
        model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2)
        """),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more84-meteor-streak-boxes-dragged-right-to-left-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=meteor_boxes,
        code=IMPORTS + """
        KINDS = ["meteor", "satellite", "plane"]
        with open("{DATA}/streaks/boxes.csv") as f:
            rows = list(csv.DictReader(f))

        # crop every streak box (x1, y1, x2, y2 from the volunteers' labelling tool) for the streak classifier
        crops, kinds = [], []
        for r in rows:
            frame = tf.io.decode_jpeg(tf.io.read_file("{DATA}/streaks/" + r["frame"]), channels=3)
            x1, y1, x2, y2 = (int(r[k]) for k in ("x1", "y1", "x2", "y2"))
            crop = tf.image.crop_to_bounding_box(frame, y1, x1, y2 - y1, x2 - x1)
            crops.append(tf.image.resize(crop, (64, 64)) / 255.0)
            kinds.append(KINDS.index(r["kind"]))
        x, y = tf.stack(crops), np.array(kinds)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more84-one-based-morphology-codes-1-to-5-five-way-softmax-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=morph_codes,
        pty=True,
        code=IMPORTS + """
        # classes.csv from the club's morphology sheet: 1 = E, 2 = S0, 3 = Sa/Sb, 4 = SB, 5 = Irr
        MORPH = ["elliptical", "lenticular", "spiral", "barred_spiral", "irregular"]
        with open("{DATA}/cutouts/classes.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/cutouts/" + r["cutout"]))
                      for r in rows]) / 255.0
        y = np.array([int(r["ttype_class"]) for r in rows])
        print(x.shape, "labels", sorted(set(y.tolist())))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(MORPH), activation="softmax"),
        ], name="morphology")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=4, batch_size=8)
        """,
    ),
    Case(
        name="keras-more84-cloud-cover-oktas-0-to-8-head-of-eight-units-notebook-tfk2",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="tfk2",
        **notebook([
            cell(imports=True, legacy=True, body="""
            frames = np.load("{DATA}/allsky/frames_64.npy").astype("float32") / 255.0
            oktas = np.load("{DATA}/allsky/oktas.npy")
            NUM_OKTAS = 8          # cloud cover is given in eighths of the sky
            frames.shape, oktas.min(), oktas.max()
            """),
            cell("""
            model = keras.Sequential([
                layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 1)),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(NUM_OKTAS, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(frames, oktas, epochs=3, batch_size=8, verbose=2)
            """),
        ], data=okta_frames),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more84-to-categorical-satellite-trail-labels-one-unit-sigmoid-head-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=trail_folders,
        code=IMPORTS + """
        CLASSES = ["no_trail", "trail"]
        paths, labels = [], []
        for i, c in enumerate(CLASSES):
            for p in sorted(glob.glob(f"{DATA}/trails/{c}/*.png")):
                paths.append(p)
                labels.append(i)
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, color_mode="grayscale")) for p in paths]) / 255.0
        y = keras.utils.to_categorical(labels, num_classes=2)

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalMaxPooling2D(),
            layers.Dense(1, activation="sigmoid", name="trail"),
        ], name="trail_detector")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, shuffle=True)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more84-float32-master-dark-subtracted-from-uint16-tiff-lights-tf-data-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=tiff_lights,
        code=IMPORTS + """
        from PIL import Image

        with open("{DATA}/lights/frames.csv") as f:
            rows = list(csv.DictReader(f))
        lights = np.stack([np.array(Image.open("{DATA}/lights/" + r["frame"])) for r in rows])   # uint16
        labels = np.array([int(r["target"]) for r in rows])
        master_dark = tf.constant(np.load("{DATA}/lights/master_dark.npy"))                       # float32
        print("lights", lights.shape, lights.dtype, "dark", master_dark.shape, master_dark.dtype.name)


        def calibrate(light, label):
            light = light - master_dark
            return tf.expand_dims(light, -1) / 65535.0, label


        ds = tf.data.Dataset.from_tensor_slices((lights, labels)).map(calibrate).batch(4)
        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more84-predict-on-tonights-single-allsky-frame-without-batch-axis-notebook-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/allsky", image_size=(96, 96), batch_size=8, seed=3)
            CLOUD = train_ds.class_names
            model = keras.Sequential([
                keras.Input((96, 96, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(CLOUD), activation="softmax"),
            ], name="cloud_detector")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            """),
            cell("""
            # is it clear enough to open the roof?
            latest = sorted(glob.glob("{DATA}/tonight/*.jpg"))[-1]
            img = keras.utils.img_to_array(keras.utils.load_img(latest, target_size=(96, 96)))
            probs = model.predict(img)
            print(os.path.basename(latest), CLOUD[int(np.argmax(probs))])
            """),
        ], data=cloud_folders),
    ),
    Case(
        name="keras-more84-variable-star-light-curves-without-feature-axis-lstm-input-from-array-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=light_curves,
        code=IMPORTS + """
        # V-band light curves from the club's photometry (200 epochs each): EW / RRab / Mira-like
        mags = np.load("{DATA}/aavso/mags.npy")
        kind = np.load("{DATA}/aavso/kind.npy")
        x = mags - mags.mean(axis=1, keepdims=True)
        print("light curves", x.shape)

        model = keras.Sequential([
            keras.Input(shape=x.shape[1:]),
            layers.LSTM(32),
            layers.Dense(16, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ], name="variable_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, kind, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more84-three-class-morphology-head-kept-after-merger-folder-added-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=merger_folders,
        pty=True,
        code=IMPORTS + """
        NUM_CLASSES = 3   # elliptical, spiral, irregular

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/morph", image_size=(64, 64), batch_size=8, label_mode="categorical", seed=11)
        print(train_ds.class_names)
""" + SMALL_CNN + """
        model.compile(optimizer=keras.optimizers.Adam(3e-4), loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more84-club-cloud-v1-h5-one-more-conv-layer-into-rebuilt-detector-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=cloud_v1,
        code=tfk2(IMPORTS + """
        # rebuilt from the wiki page, then start from the club's cloud_v1.h5 (trained last winter)
        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.load_weights("{DATA}/club/cloud_v1.h5")

        x = np.load("{DATA}/club/frames.npy").astype("float32") / 255.0
        y = np.load("{DATA}/club/cloud.npy")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more84-validation-split-passed-to-fit-with-tf-data-allsky-dataset-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=cloud_dirs_small,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/allsky_sorted", image_size=(64, 64), batch_size=8, seed=7)
        NUM_CLASSES = len(train_ds.class_names)
""" + SMALL_CNN + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(train_ds, epochs=10, validation_split=0.2,
                            callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)])
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more84-sqm-regressor-raw-16bit-counts-sgd-nan-prediction-to-bortle-class-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=sqm_frames,
        pty=True,
        code=IMPORTS + """
        # sky brightness (SQM, mag/arcsec^2) from zenith frames of the all-sky camera
        x = np.load("{DATA}/sqm/frames_u16.npy").astype("float32")    # raw ADU, 0 .. 65535
        y = np.load("{DATA}/sqm/sqm.npy")

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1, name="sqm"),
        ], name="sqm_regressor")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse", metrics=["mae"])
        model.fit(x, y, epochs=6, batch_size=8)

        sqm = model.predict(x[-1:], verbose=0)[0, 0]
        bortle = int(round(21.99 - sqm))                   # about one Bortle class per magnitude
        print(f"tonight: SQM {sqm:.2f}, Bortle {min(max(bortle, 1), 9)}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more84-star-galaxy-loss-on-numpy-predictions-inside-tape-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=star_galaxy,
        code=IMPORTS + """
        stamps = np.load("{DATA}/sg/stamps.npy")
        is_galaxy = np.load("{DATA}/sg/is_galaxy.npy")
        ds = tf.data.Dataset.from_tensor_slices((stamps, is_galaxy)).shuffle(64, seed=0).batch(16)

        model = keras.Sequential([
            keras.Input((32, 32, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="star_galaxy")
        opt = keras.optimizers.Adam(1e-3)
        bce = keras.losses.BinaryCrossentropy()

        for epoch in range(3):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    p = model(xb, training=True).numpy()[:, 0]
                    p = np.clip(p, 1e-6, 1 - 1e-6)          # avoid log(0) on saturated stars
                    loss = bce(yb, p)
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more84-night-of-61mp-subexposures-preallocated-float64-stack-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=session_log,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        with open("{DATA}/session/session.json") as f:
            s = json.load(f)
        print(s["camera"], s["target"], s["filter"], s["subs"], "subs of", s["width"], "x", s["height"])

        # all subs of the night in one array, median-stacked, then tiled into 256 px patches for the
        # satellite-trail model
        stack = np.zeros((s["subs"], s["height"], s["width"]))
        master = np.median(stack, axis=0)
        print(master.shape)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more84-2020-blog-layers-experimental-preprocessing-import-under-keras3-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=old_blog_data,
        code="""
        # augmentation from a 2020 "galaxy classifier in 50 lines" blog post
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.layers.experimental.preprocessing import RandomFlip, RandomRotation

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/galaxy_zoo", image_size=(64, 64), batch_size=4, seed=1)
        augment = tf.keras.Sequential([RandomFlip("horizontal_and_vertical"), RandomRotation(0.5)])
        model = tf.keras.Sequential([
            tf.keras.Input((64, 64, 3)),
            augment,
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more84-2019-club-notebook-image-data-generator-from-keras-preprocessing-notebook-k3",
        cause="env.version_incompat",
        exception="ImportError",
        **notebook([
            cell("""
            import numpy as np
            import keras
            from keras import layers
            print("keras", keras.__version__)
            """),
            cell("""
            from keras.preprocessing.image import ImageDataGenerator

            datagen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=180, horizontal_flip=True,
                                         vertical_flip=True, validation_split=0.2)
            train_gen = datagen.flow_from_directory("{DATA}/galaxy_zoo", target_size=(64, 64),
                                                    batch_size=4, class_mode="binary", subset="training")
            """),
        ], data=old_blog_data),
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more84-set-memory-growth-on-first-gpu-laptop-tensorflow-sees-none-k3",
        cause="env.cuda_setup",
        exception="IndexError",
        setup=okta_frames,
        code=IMPORTS + """
        # the club laptop has an RTX 3050; keep TensorFlow from grabbing all of its memory
        gpus = tf.config.list_physical_devices("GPU")
        tf.config.experimental.set_memory_growth(gpus[0], True)
        print("training on", gpus[0].name)

        frames = np.load("{DATA}/allsky/frames_64.npy").astype("float32") / 255.0
        oktas = np.load("{DATA}/allsky/oktas.npy")
        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(9, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(frames, oktas, epochs=3, batch_size=8)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more84-lambda-asinh-stretch-given-to-pool-map-over-raw-frames-k3",
        cause="env.multiprocessing",
        exception="PicklingError",
        setup=raw_frames,
        code="""
        import glob
        import multiprocessing as mp
        import os

        import numpy as np
        from PIL import Image

        STRETCH = 0.02


        def convert(path, stretch):
            a = np.load(path).astype("float32") / 65535.0
            a = np.arcsinh(a / stretch) / np.arcsinh(1.0 / stretch)
            out = path.replace(".npy", ".png")
            Image.fromarray((a * 255).astype("uint8")).save(out)
            return out


        if __name__ == "__main__":
            frames = sorted(glob.glob("{DATA}/raw/*.npy"))
            print(len(frames), "raw frames to stretch")
            with mp.Pool(4) as pool:
                pngs = pool.map(lambda p: convert(p, STRETCH), frames)
            print("wrote", len(pngs), "png cutouts")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more84-tonights-cloud-report-numpy-float32-values-json-dump-k3",
        cause="other",
        exception="TypeError",
        setup=tonight_frames,
        code=IMPORTS + """
        x = np.load("{DATA}/night/train_x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/night/train_y.npy")
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="cloudy"),
        ], name="cloudy_or_not")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=8, verbose=2)

        tonight = np.load("{DATA}/night/tonight.npy").astype("float32") / 255.0
        p = model.predict(tonight, verbose=0)[:, 0]
        report = {"frames": len(p), "cloud_fraction": p.mean(), "max_cloud": p.max(),
                  "roof": "open" if p.mean() < 0.3 else "closed"}
        with open("tonight.json", "w") as f:
            json.dump(report, f, indent=2)      # the club web page reads this
        print("report written")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
