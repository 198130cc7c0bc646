"""Untargeted held-out Keras / TensorFlow failures (g158, scored 0.86 top-1 and 0.95 top-3 before any rule for it) of people training Keras / tf.keras models
whose targets are numbers, not classes: age and weight estimation from photos, counting objects
(crowds, fruit on a tray), image-quality and ripeness scores, facial landmark coordinates, bounding-box
regression without a detector and ordinal grades. Targets are read from CSV / JSON files with the
``csv`` and ``json`` modules, normalised or left in their own units, models have one or several
regression heads, custom metrics report the error in original units or as a within-tolerance
accuracy, and predictions are written back to CSV. The cases are spread over the cause ids of the
taxonomy:

- files: crowd counts in a labelling tool's ``counts.json`` keyed ``IMG_0001.JPG`` while a resize
  script wrote ``IMG_0001.jpg`` (a ``PyDataset``); a zero-byte landmark JSON left by an interrupted
  export; a truncated fruit photo decoded in a ``tf.data`` map (tf_keras);
- image sizes: crowd photos from two cameras read with ``load_img`` and no ``target_size`` into
  ``np.array``;
- channels: single-channel hand X-rays (bone-age regression) given an explicit channel axis of 1 for
  a ``ResNet50(weights=None)`` built for three channels (notebook);
- boxes: fruit boxes annotated on the 1024x768 originals used to crop the 128x96 thumbnails with
  ``tf.image.crop_to_bounding_box`` for a ripeness head;
- labels: apple quality grades 1..5 trained as five classes with a sparse cross-entropy;
- label shapes: an image-quality CSV with one row per rater (two scores per image) against the
  images; five ``(x, y)`` landmarks kept as ``(N, 5, 2)`` for a ``Dense(10)`` head (tf_keras);
  age and weight stacked in one ``(N, 2)`` array for a model with two output heads;
- dtypes: ages left as the CSV's strings and ``tf.cast`` to float inside ``Dataset.map``; a
  within-tolerance metric taking ``reduce_mean`` of a boolean tensor;
- model inputs: the Kaggle facial-keypoints ``Image`` column kept as flat 9216-pixel rows (the loader
  of an earlier fully connected version) for an ``Input((96, 96, 1))`` CNN;
- model outputs: a ``Dense(68 * 2)`` head from a dlib 68-point script trained on 5-landmark JSON;
- weights: a DEX-style 101-bin age classifier's ``.weights.h5`` loaded into the ``Dense(1)`` age
  regressor;
- API: a within-tolerance metric factory passed itself (``within_tolerance``) instead of its result;
- divergence: fruit weight in raw grams from raw 0..255 pixels with SGD, whose NaN predictions,
  clipped and rounded to size grades, index the grade names;
- gradients: a two-head (age + weight) ``GradientTape`` loop whose combined loss is computed after
  the ``with`` block;
- host memory: a float32 array preallocated for every cattle photo at the phones' full 4032x3024
  resolution;
- versions: the StackOverflow ``coeff_determination`` R-squared metric written with
  ``keras.backend`` (``K.sum``, ``K.square``) under Keras 3;
- workers: a ``ProcessPoolExecutor`` writing predictions back to CSV, given the ``csv.writer``
  through ``functools.partial``;
- plain bugs: ``round(pred, 1)`` on the one-element rows ``predict`` returns, while writing a
  predictions CSV (notebook).

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more68.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g158): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more68.py"


# ---------------------------------------------------------------- data
def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _noise(r, h, w, c=3):
    return r.integers(0, 255, size=(h, w, c) if c > 1 else (h, w), dtype="uint8")


def faces(d: Path, n=40, seed=6801):
    """faces/face_0000.jpg ... + people.csv: photo, age, weight_kg, height_cm."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        name = f"face_{i:04d}.jpg"
        _jpg(d / "faces" / name, _noise(r, 48, 48))
        age = int(r.integers(16, 80))
        rows.append([name, age, round(float(r.normal(72, 12)), 1), int(r.normal(172, 9))])
    _csv(d / "people.csv", ["photo", "age", "weight_kg", "height_cm"], rows)


def crowd_json(d: Path, n=40, seed=6802):
    """crowd/IMG_0001.jpg ... on disk, counts.json keyed by the camera's IMG_0001.JPG names."""
    r = _rng(seed)
    counts = {}
    for i in range(1, n + 1):
        _jpg(d / "crowd" / f"IMG_{i:04d}.jpg", _noise(r, 60, 80))
        counts[f"IMG_{i:04d}.JPG"] = int(r.integers(3, 140))
    (d / "counts.json").write_text(json.dumps({"tool": "countr 1.4", "counts": counts}, indent=1))


def crowd_sizes(d: Path, n=40, seed=6803):
    """crowd/cam_a_*.jpg (80x60) and cam_b_*.jpg (96x72), counts.csv."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        cam, (w, h) = ("cam_a", (80, 60)) if i % 3 else ("cam_b", (96, 72))
        name = f"{cam}_{i:04d}.jpg"
        _jpg(d / "crowd" / name, _noise(r, h, w))
        rows.append([name, int(r.integers(3, 140))])
    _csv(d / "counts.csv", ["image", "count"], rows)


def landmarks(d: Path, n=40, empty=(), seed=6804):
    """faces/lm_0000.png + landmarks/lm_0000.json: {"image", "points": 5 x [x, y] in pixels}."""
    r = _rng(seed)
    for i in range(n):
        name = f"lm_{i:04d}"
        _png(d / "faces" / f"{name}.png", _noise(r, 64, 64))
        p = d / "landmarks" / f"{name}.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        if i in empty:
            p.write_bytes(b"")
            continue
        pts = [[round(float(r.uniform(8, 56)), 1), round(float(r.uniform(8, 56)), 1)] for _ in range(5)]
        p.write_text(json.dumps({"image": f"{name}.png", "width": 64, "height": 64,
                                 "names": ["eye_l", "eye_r", "nose", "mouth_l", "mouth_r"], "points": pts}))


def landmarks_empty(d):
    landmarks(d, empty=(23,))


def fruit(d: Path, n=40, truncated=(), seed=6805, size=(48, 48)):
    """fruit/fruit_0000.jpg + fruit.csv: image, ripeness (0..10), weight_g, grade (1..5)."""
    import io
    from PIL import Image
    r = _rng(seed)
    rows = []
    for i in range(n):
        name = f"fruit_{i:04d}.jpg"
        arr = _noise(r, size[1], size[0])
        if i in truncated:
            buf = io.BytesIO()
            Image.fromarray(arr).save(buf, format="JPEG", quality=92)
            b = buf.getvalue()
            (d / "fruit").mkdir(parents=True, exist_ok=True)
            (d / "fruit" / name).write_bytes(b[: len(b) // 2])
        else:
            _jpg(d / "fruit" / name, arr)
        rows.append([name, round(float(r.uniform(0, 10)), 1), int(r.integers(90, 420)), 1 + i % 5])
    _csv(d / "fruit.csv", ["image", "ripeness", "weight_g", "grade"], rows)


def fruit_truncated(d):
    fruit(d, truncated=(29,))


def fruit_boxes(d: Path, n=24, seed=6806):
    """thumbs/tray_0000.jpg at 128x96 (the 1024x768 originals shrunk by 8) + boxes.csv whose boxes were
    drawn on the originals, with a ripeness score per box."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        name = f"tray_{i:04d}.jpg"
        _jpg(d / "thumbs" / name, _noise(r, 96, 128))
        for _ in range(2):
            x1, y1 = int(r.integers(40, 700)), int(r.integers(30, 500))
            w, h = int(r.integers(120, 300)), int(r.integers(120, 260))
            rows.append([name, x1, y1, x1 + w, y1 + h, round(float(r.uniform(0, 1)), 3)])
    _csv(d / "boxes.csv", ["image", "xmin", "ymin", "xmax", "ymax", "ripeness"], rows)


def xrays(d: Path, n=32, seed=6807):
    """boneage/xrays/1377.png ... (8-bit grayscale, 160x128) + boneage/train.csv: id, boneage, male."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        pid = 1377 + 3 * i
        _png(d / "boneage" / "xrays" / f"{pid}.png", _noise(r, 160, 128, c=1))
        rows.append([pid, int(r.integers(12, 228)), bool(r.integers(0, 2))])
    _csv(d / "boneage" / "train.csv", ["id", "boneage", "male"], rows)


def mos(d: Path, n=40, seed=6808):
    """quality/q_0000.jpg + quality/scores.csv with one row per (image, rater)."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        name = f"q_{i:04d}.jpg"
        _jpg(d / "quality" / name, _noise(r, 48, 48), quality=int(r.integers(20, 95)))
        for rater in ("r01", "r07"):
            rows.append([name, rater, int(r.integers(1, 6))])
    _csv(d / "quality" / "scores.csv", ["image", "rater", "score"], rows)


KP_NAMES = ["left_eye_center", "right_eye_center", "left_eye_inner_corner", "left_eye_outer_corner",
            "right_eye_inner_corner", "right_eye_outer_corner", "left_eyebrow_inner_end",
            "left_eyebrow_outer_end", "right_eyebrow_inner_end", "right_eyebrow_outer_end", "nose_tip",
            "mouth_left_corner", "mouth_right_corner", "mouth_center_top_lip", "mouth_center_bottom_lip"]


def kaggle_keypoints(d: Path, n=40, seed=6809):
    """facial-keypoints/training.csv as Kaggle ships it: 30 keypoint columns (some empty) + Image (9216
    space-separated pixel values)."""
    r = _rng(seed)
    header = [f"{k}_{a}" for k in KP_NAMES for a in ("x", "y")] + ["Image"]
    rows = []
    for i in range(n):
        kp = [f"{float(r.uniform(20, 76)):.6f}" for _ in range(30)]
        if i % 4 == 3:
            kp[4:20] = [""] * 16          # only the 4-keypoint subset was annotated on these
        rows.append(kp + [" ".join(str(v) for v in r.integers(0, 255, size=96 * 96))])
    _csv(d / "facial-keypoints" / "training.csv", header, rows)


def cattle(d: Path, n=1800, seed=6810):
    """cattle/photos/cow_0000.jpg (one full-resolution phone photo; the rest are not needed, the script
    fails first) + cattle/weights.csv for n animals."""
    from PIL import Image
    r = _rng(seed)
    p = d / "cattle" / "photos" / "cow_0000.jpg"
    p.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (4032, 3024), (118, 96, 70)).save(p, quality=85)
    rows = [[f"cow_{i:04d}.jpg", round(float(r.normal(540, 80)), 1), int(r.integers(1, 9))] for i in range(n)]
    _csv(d / "cattle" / "weights.csv", ["photo", "weight_kg", "age_years"], rows)


def new_faces(d: Path, n=6, seed=6811):
    r = _rng(seed)
    for i in range(n):
        _jpg(d / "new" / f"visitor_{i:02d}.jpg", _noise(r, 48, 48))


IMPORTS = """
        import csv
        import json

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers
"""


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


# a small regression CNN for (48, 48, 3) photos, as most cases build it
CNN = """
def build_regressor(outputs=1, size=48, name="regressor"):
    inputs = keras.Input((size, size, 3))
    x = layers.Rescaling(1.0 / 255)(inputs)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(32, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(32, activation="relu")(x)
    return keras.Model(inputs, layers.Dense(outputs)(x), name=name)
"""


def _ind(src, indent="        "):
    return "\n".join((indent + l) if l else l for l in src.strip("\n").splitlines()).lstrip()


def code(body):
    return body.replace("@@CNN@@", _ind(CNN))


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more68-crowd-counts-json-keyed-upper-jpg-resized-files-lower-pydataset-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=crowd_json,
        pty=True,
        code=code(IMPORTS + """
        import math
        import random

        @@CNN@@


        class CrowdCounts(keras.utils.PyDataset):
            def __init__(self, items, batch_size=8, shuffle=True, **kwargs):
                super().__init__(**kwargs)
                self.items, self.batch_size, self.shuffle = list(items), batch_size, shuffle

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(f"{DATA}/crowd/{name}").convert("RGB").resize((48, 48)),
                                         "float32") for name, _ in batch])
                y = np.array([count / MAX_COUNT for _, count in batch], "float32")
                return x, y

            def on_epoch_end(self):
                if self.shuffle:
                    random.shuffle(self.items)


        with open("{DATA}/counts.json") as f:
            counts = json.load(f)["counts"]
        items = sorted(counts.items())
        MAX_COUNT = max(counts.values())
        print(f"{len(items)} labelled photos, counts 0..{MAX_COUNT}")
        train = CrowdCounts(items[:32])
        val = CrowdCounts(items[32:], shuffle=False)

        model = build_regressor(name="crowd_counter")
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
        model.fit(train, validation_data=val, epochs=10)
        """),
    ),
    Case(
        name="keras-more68-zero-byte-landmark-json-from-interrupted-export-k3",
        cause="data.missing_or_corrupt",
        exception="JSONDecodeError",
        setup=landmarks_empty,
        code=code(IMPORTS + """
        import glob
        import os

        @@CNN@@


        images, targets = [], []
        for path in sorted(glob.glob("{DATA}/landmarks/*.json")):
            with open(path) as f:
                ann = json.load(f)
            img = Image.open(os.path.join("{DATA}/faces", ann["image"])).convert("RGB")
            sx, sy = 48 / ann["width"], 48 / ann["height"]
            images.append(np.asarray(img.resize((48, 48)), "float32"))
            # (x, y) of the 5 points, normalised to 0..1 of the 48x48 input
            targets.append([v for x, y in ann["points"] for v in (x * sx / 48, y * sy / 48)])

        X, Y = np.stack(images), np.array(targets, "float32")
        model = build_regressor(outputs=10, name="landmarks5")
        model.compile("adam", loss="mse", metrics=["mae"])
        model.fit(X, Y, validation_split=0.2, epochs=20, batch_size=8)
        """),
    ),
    Case(
        name="keras-more68-ripeness-truncated-fruit-jpeg-decoded-in-tf-data-map-tfk2",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=fruit_truncated,
        pty=True,
        expect="Invalid JPEG data",
        code=tfk2(code(IMPORTS + """
        @@CNN@@


        with open("{DATA}/fruit.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{DATA}/fruit/{r['image']}" for r in rows]
        ripeness = np.array([float(r["ripeness"]) for r in rows], "float32") / 10.0   # 0..1


        def load(path, score):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48))
            img = tf.image.random_flip_left_right(img)
            return img, score


        ds = (tf.data.Dataset.from_tensor_slices((paths, ripeness))
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8)
              .prefetch(tf.data.AUTOTUNE))

        model = build_regressor(name="ripeness")
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
        model.fit(ds, epochs=5)
        """)),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more68-crowd-photos-two-cameras-load-img-no-target-size-np-array-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=crowd_sizes,
        expect="inhomogeneous",
        code=code(IMPORTS + """
        @@CNN@@


        with open("{DATA}/counts.csv") as f:
            rows = list(csv.DictReader(f))

        images = [keras.utils.img_to_array(keras.utils.load_img(f"{DATA}/crowd/{r['image']}")) for r in rows]
        counts = [int(r["count"]) for r in rows]
        X = np.array(images) / 255.0
        y = np.log1p(np.array(counts, "float32"))       # counts span two orders of magnitude

        model = build_regressor(size=X.shape[1], name="crowd_counter")
        model.compile("adam", loss="mse", metrics=["mae"])
        model.fit(X, y, epochs=10, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more68-notebook-bone-age-grayscale-xrays-channel-axis-1-resnet50-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            """
            import csv
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            """
            with open("{DATA}/boneage/train.csv") as f:
                rows = list(csv.DictReader(f))
            print(len(rows), rows[0])
            """,
            """
            X = np.stack([np.asarray(Image.open(f"{DATA}/boneage/xrays/{r['id']}.png").resize((128, 128)), "float32")
                          for r in rows])[..., np.newaxis] / 255.0        # add the channel axis
            y = np.array([float(r["boneage"]) for r in rows], "float32") / 240.0   # months -> 0..1
            X.shape, y.min(), y.max()
            """,
            """
            backbone = keras.applications.ResNet50(weights=None, include_top=False, input_shape=(128, 128, 3),
                                                   pooling="avg")
            inputs = keras.Input((128, 128, 3))
            x = backbone(inputs)
            x = layers.Dropout(0.3)(x)
            outputs = layers.Dense(1, activation="sigmoid", name="boneage")(x)
            model = keras.Model(inputs, outputs)
            model.compile(keras.optimizers.Adam(1e-4), loss="mae", metrics=[keras.metrics.MeanAbsoluteError()])
            """,
            """
            history = model.fit(X, y, validation_split=0.25, epochs=5, batch_size=8)
            """,
        ], data=xrays),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more68-boxes-drawn-on-originals-crop-128px-thumbnails-ripeness-head-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=fruit_boxes,
        code=code(IMPORTS + """
        @@CNN@@


        with open("{DATA}/boxes.csv") as f:
            rows = list(csv.DictReader(f))

        # second stage: crop every annotated fruit and regress its ripeness
        crops, scores = [], []
        for r in rows:
            img = tf.io.decode_jpeg(tf.io.read_file(f"{DATA}/thumbs/{r['image']}"), channels=3)
            x1, y1, x2, y2 = (int(r[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
            crop = tf.image.crop_to_bounding_box(img, y1, x1, y2 - y1, x2 - x1)
            crops.append(tf.image.resize(crop, (48, 48)))
            scores.append(float(r["ripeness"]))

        X, y = tf.stack(crops), np.array(scores, "float32")
        model = build_regressor(name="ripeness_from_crops")
        model.compile("adam", loss="mse", metrics=["mae"])
        model.fit(X, y, epochs=10, batch_size=8)
        """),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more68-apple-quality-grades-1-to-5-five-class-sparse-crossentropy-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=fruit,
        pty=True,
        expect="outside the valid range",
        code=code(IMPORTS + """
        with open("{DATA}/fruit.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/fruit/{r['image']}"), "float32") for r in rows])
        grade = np.array([int(r["grade"]) for r in rows])         # 1 (best) .. 5 (reject)
        NUM_GRADES = 5
        print("grades:", np.bincount(grade))

        # ordinal grades treated as classes: softmax over the 5 grades
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_GRADES, activation="softmax"),
        ])
        model.compile("adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, grade, epochs=10, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more68-notebook-quality-scores-one-row-per-rater-data-cardinality-k3",
        cause="data.label_shape",
        also=("data.missing_or_corrupt",),
        exception="ValueError",
        expect="cardinality",
        **notebook([
            """
            import csv
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            """
            with open("{DATA}/quality/scores.csv") as f:
                rows = list(csv.DictReader(f))
            names = sorted({r["image"] for r in rows})
            X = np.stack([np.asarray(Image.open(f"{DATA}/quality/{n}"), "float32") / 255.0 for n in names])
            mos = np.array([float(r["score"]) for r in rows], "float32")     # mean opinion score 1..5
            X.shape, mos.mean()
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1),
            ])
            model.compile("adam", loss="mse", metrics=["mae"])
            """,
            """
            model.fit(X, mos, epochs=10, batch_size=8)
            """,
        ], data=mos),
    ),
    Case(
        name="keras-more68-five-landmarks-kept-as-n-5-2-for-dense-10-head-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=landmarks,
        pty=True,
        code=tfk2(code(IMPORTS + """
        import glob

        @@CNN@@


        X, Y = [], []
        for path in sorted(glob.glob("{DATA}/landmarks/*.json")):
            ann = json.load(open(path))
            X.append(np.asarray(Image.open(f"{DATA}/faces/{ann['image']}").convert("RGB").resize((48, 48)), "float32"))
            Y.append(np.array(ann["points"], "float32") / [ann["width"], ann["height"]])   # 5 x (x, y) in 0..1
        X, Y = np.stack(X), np.stack(Y)
        print(X.shape, Y.shape)

        model = build_regressor(outputs=10, name="landmarks5")   # x1, y1, ..., x5, y5
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
        model.fit(X, Y, epochs=20, batch_size=8, validation_split=0.2)
        """)),
    ),
    Case(
        name="keras-more68-age-and-weight-stacked-n-2-array-for-two-output-heads-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=faces,
        pty=True,
        expect="different structures",
        code=code(IMPORTS + """
        with open("{DATA}/people.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/faces/{r['photo']}"), "float32") for r in rows])
        AGE_MEAN, AGE_STD = 45.0, 18.0
        W_MEAN, W_STD = 72.0, 12.0
        targets = np.array([[(float(r["age"]) - AGE_MEAN) / AGE_STD, (float(r["weight_kg"]) - W_MEAN) / W_STD]
                            for r in rows], "float32")

        inputs = keras.Input((48, 48, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        age = layers.Dense(1, name="age")(layers.Dense(16, activation="relu")(x))
        weight = layers.Dense(1, name="weight")(layers.Dense(16, activation="relu")(x))
        model = keras.Model(inputs, [age, weight], name="age_weight")
        model.compile(keras.optimizers.Adam(1e-3), loss=["mse", "mse"], loss_weights=[1.0, 0.5],
                      metrics=[["mae"], ["mae"]])
        model.fit(X, targets, epochs=10, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more68-ages-left-as-csv-strings-tf-cast-in-dataset-map-k3",
        cause="data.dtype",
        exception="UnimplementedError",
        setup=faces,
        expect="Cast string to float is not supported",
        code=code(IMPORTS + """
        @@CNN@@


        with open("{DATA}/people.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{DATA}/faces/{r['photo']}" for r in rows]
        ages = [r["age"] for r in rows]


        def load(path, age):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (48, 48))
            return img, tf.cast(age, tf.float32) / 100.0


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, ages))
                    .shuffle(len(paths)).map(load).batch(8).prefetch(tf.data.AUTOTUNE))

        model = build_regressor(name="age_estimator")
        model.compile(keras.optimizers.Adam(1e-3), loss="mae")
        model.fit(train_ds, epochs=10)
        """),
    ),
    Case(
        name="keras-more68-within-one-point-ripeness-metric-reduce-mean-of-bool-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=fruit,
        pty=True,
        expect="DataType bool",
        code=code(IMPORTS + """
        @@CNN@@


        with open("{DATA}/fruit.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/fruit/{r['image']}"), "float32") for r in rows])
        y = np.array([float(r["ripeness"]) for r in rows], "float32")          # 0..10 panel score


        def within_1(y_true, y_pred):
            \"\"\"share of fruit whose predicted ripeness is within one point of the panel's\"\"\"
            return tf.reduce_mean(tf.abs(y_true - tf.squeeze(y_pred, -1)) <= 1.0)


        model = build_regressor(name="ripeness")
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae", within_1])
        model.fit(X, y, epochs=10, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more68-kaggle-facial-keypoints-flat-9216-pixel-rows-into-96x96x1-cnn-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=kaggle_keypoints,
        pty=True,
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        with open("{DATA}/facial-keypoints/training.csv") as f:
            reader = csv.DictReader(f)
            cols = [c for c in reader.fieldnames if c != "Image"]
            rows = [r for r in reader if all(r[c] for c in cols)]      # keep fully annotated faces
        print(f"{len(rows)} faces with all 15 keypoints")

        # (the loader of the first, fully connected version: 9216 pixel values per face)
        X = np.array([np.array(r["Image"].split(), "float32") for r in rows]) / 255.0
        y = (np.array([[float(r[c]) for c in cols] for r in rows], "float32") - 48.0) / 48.0

        model = keras.Sequential([
            keras.Input((96, 96, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(30),
        ])
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae"])
        model.fit(X, y, epochs=50, batch_size=16, validation_split=0.2)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more68-dlib-68-point-head-trained-on-5-landmark-json-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=landmarks,
        expect="136",
        code=code(IMPORTS + """
        import glob

        NUM_POINTS = 68          # iBUG / dlib shape_predictor_68 layout

        X, Y = [], []
        for path in sorted(glob.glob("{DATA}/landmarks/*.json")):
            ann = json.load(open(path))
            img = Image.open(f"{DATA}/faces/{ann['image']}").convert("RGB").resize((48, 48))
            X.append(np.asarray(img, "float32"))
            Y.append([v / 64.0 for point in ann["points"] for v in point])
        X, Y = np.stack(X), np.array(Y, "float32")

        inputs = keras.Input((48, 48, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        for filters in (16, 32, 64):
            x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
            x = layers.MaxPooling2D()(x)
        x = layers.Flatten()(x)
        x = layers.Dense(128, activation="relu")(x)
        outputs = layers.Dense(NUM_POINTS * 2, activation="sigmoid", name="points")(x)
        model = keras.Model(inputs, outputs, name="landmark_net")
        model.compile(keras.optimizers.Adam(1e-3), loss="mse")
        model.fit(X, Y, epochs=20, batch_size=8)
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more68-dex-101-age-bin-classifier-weights-into-dense-1-regressor-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=faces,
        code=code(IMPORTS + """
        def backbone_and_head(units, activation):
            inputs = keras.Input((48, 48, 3))
            x = layers.Rescaling(1.0 / 255)(inputs)
            x = layers.Conv2D(16, 3, activation="relu", name="conv1")(x)
            x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(32, 3, activation="relu", name="conv2")(x)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dense(64, activation="relu", name="fc")(x)
            return keras.Model(inputs, layers.Dense(units, activation=activation, name="age")(x))


        with open("{DATA}/people.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/faces/{r['photo']}"), "float32") for r in rows])
        ages = np.array([int(r["age"]) for r in rows])

        # stage 1 (DEX): age as 101 classes, expected value of the softmax at test time
        dex = backbone_and_head(101, "softmax")
        dex.compile("adam", loss="sparse_categorical_crossentropy")
        dex.fit(X, ages, epochs=1, batch_size=8, verbose=2)
        dex.save_weights("dex_age.weights.h5")

        # stage 2: fine-tune a direct regressor from the DEX weights
        reg = backbone_and_head(1, None)
        reg.load_weights("dex_age.weights.h5")
        reg.compile(keras.optimizers.Adam(1e-4), loss="mae")
        reg.fit(X, ages.astype("float32"), epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more68-within-tolerance-metric-factory-passed-uncalled-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=faces,
        pty=True,
        expect="positional argument",
        code=code(IMPORTS + """
        @@CNN@@


        AGE_MEAN, AGE_STD = 45.0, 18.0


        def within_tolerance(years=5.0):
            \"\"\"share of faces whose age is predicted within `years` years\"\"\"
            def metric(y_true, y_pred):
                err = tf.abs(y_true - y_pred) * AGE_STD
                return tf.reduce_mean(tf.cast(err <= years, tf.float32))
            metric.__name__ = f"within_{years:g}y"
            return metric


        def mae_years(y_true, y_pred):
            return tf.reduce_mean(tf.abs(y_true - y_pred)) * AGE_STD


        with open("{DATA}/people.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/faces/{r['photo']}"), "float32") for r in rows])
        y = (np.array([float(r["age"]) for r in rows], "float32")[:, None] - AGE_MEAN) / AGE_STD

        model = build_regressor(name="age_estimator")
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=[mae_years, within_tolerance])
        model.fit(X, y, epochs=10, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more68-fruit-weight-raw-grams-raw-pixels-sgd-nan-size-grade-names-k3",
        cause="optim.divergence",
        exception="IndexError",
        setup=fruit,
        pty=True,
        code="""
        import csv

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        with open("{DATA}/fruit.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/fruit/{r['image']}"), "float32") for r in rows])
        grams = np.array([float(r["weight_g"]) for r in rows], "float32")

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse", metrics=["mae"])
        model.fit(X, grams, epochs=5, batch_size=8)

        # size grades for the packing line: <150 g small ... >=350 g jumbo
        GRADES = ["small", "medium", "large", "extra large", "jumbo"]
        pred = model.predict(X[:8], verbose=0)[:, 0]
        grade = np.clip(np.rint((pred - 100.0) / 62.5), 0, len(GRADES) - 1).astype(int)
        for r, g, p in zip(rows[:8], grade, pred):
            print(f"{r['image']}: {p:.0f} g -> {GRADES[g]}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more68-two-head-age-weight-loop-loss-summed-after-tape-block-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=faces,
        expect="No gradients provided",
        code=code(IMPORTS + """
        with open("{DATA}/people.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/faces/{r['photo']}"), "float32") for r in rows])
        age = (np.array([float(r["age"]) for r in rows], "float32") - 45.0) / 18.0
        weight = (np.array([float(r["weight_kg"]) for r in rows], "float32") - 72.0) / 12.0
        ds = tf.data.Dataset.from_tensor_slices((X, age[:, None], weight[:, None])).shuffle(64).batch(8)

        inputs = keras.Input((48, 48, 3))
        x = layers.Rescaling(1.0 / 255)(inputs)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, [layers.Dense(1, name="age")(x), layers.Dense(1, name="weight")(x)])

        mse = keras.losses.MeanSquaredError()
        opt = keras.optimizers.Adam(1e-3)
        W_AGE, W_WEIGHT = 1.0, 0.5

        for epoch in range(5):
            for xb, age_b, weight_b in ds:
                with tf.GradientTape() as tape:
                    age_pred, weight_pred = model(xb, training=True)
                loss = W_AGE * mse(age_b, age_pred) + W_WEIGHT * mse(weight_b, weight_pred)
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more68-cattle-weight-float32-array-preallocated-at-full-phone-resolution-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=cattle,
        as_limit=8 * 1024**3,
        code="""
        import csv

        import numpy as np
        from PIL import Image

        with open("{DATA}/cattle/weights.csv") as f:
            rows = list(csv.DictReader(f))
        w, h = Image.open(f"{DATA}/cattle/photos/{rows[0]['photo']}").size
        print(f"{len(rows)} animals, photos {w}x{h}")

        # keep the full resolution: the girth is only a few hundred pixels wide
        X = np.zeros((len(rows), h, w, 3), dtype=np.float32)
        y = np.array([float(r["weight_kg"]) for r in rows], "float32")
        for i, r in enumerate(rows):
            X[i] = np.asarray(Image.open(f"{DATA}/cattle/photos/{r['photo']}").convert("RGB"), "float32") / 255.0
        np.save("cattle_X.npy", X)
        np.save("cattle_y.npy", y)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more68-stackoverflow-coeff-determination-metric-keras-backend-sum-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=fruit,
        pty=True,
        expect="keras.backend",
        code=code(IMPORTS + """
        from keras import backend as K

        @@CNN@@


        def coeff_determination(y_true, y_pred):
            SS_res = K.sum(K.square(y_true - y_pred))
            SS_tot = K.sum(K.square(y_true - K.mean(y_true)))
            return 1 - SS_res / (SS_tot + K.epsilon())


        with open("{DATA}/fruit.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.stack([np.asarray(Image.open(f"{DATA}/fruit/{r['image']}"), "float32") for r in rows])
        y = np.array([float(r["ripeness"]) for r in rows], "float32")[:, None] / 10.0

        model = build_regressor(name="ripeness")
        model.compile(keras.optimizers.Adam(1e-3), loss="mse", metrics=["mae", coeff_determination])
        model.fit(X, y, epochs=10, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more68-process-pool-writes-predictions-csv-writer-via-partial-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=faces,
        expect="pickle",
        code=code(IMPORTS + """
        import functools
        import os
        from concurrent.futures import ProcessPoolExecutor

        @@CNN@@


        def annotate(item, writer, out_dir):
            \"\"\"draw the predicted age on the photo and log one CSV row\"\"\"
            from PIL import ImageDraw
            name, age = item
            img = Image.open(f"{DATA}/faces/{name}").convert("RGB").resize((192, 192))
            ImageDraw.Draw(img).text((4, 4), f"{age:.0f} y", fill=(255, 255, 0))
            img.save(os.path.join(out_dir, name))
            writer.writerow([name, f"{age:.1f}"])
            return name


        if __name__ == "__main__":
            with open("{DATA}/people.csv") as f:
                rows = list(csv.DictReader(f))
            X = np.stack([np.asarray(Image.open(f"{DATA}/faces/{r['photo']}"), "float32") for r in rows])
            y = np.array([float(r["age"]) for r in rows], "float32")
            model = build_regressor(name="age_estimator")
            model.compile(keras.optimizers.Adam(1e-2), loss="mae")
            model.fit(X, y, epochs=3, batch_size=8, verbose=2)

            pred = model.predict(X, verbose=0)[:, 0]
            os.makedirs("annotated", exist_ok=True)
            with open("predictions.csv", "w", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(["photo", "predicted_age"])
                job = functools.partial(annotate, writer=writer, out_dir="annotated")
                with ProcessPoolExecutor(max_workers=4) as pool:
                    for name in pool.map(job, zip([r["photo"] for r in rows], pred)):
                        pass
            print("wrote predictions.csv")
        """),
    ),
    # =================================================================== other
    Case(
        name="keras-more68-notebook-round-predict-rows-writing-age-predictions-csv-k3",
        cause="other",
        exception="TypeError",
        expect="__round__",
        **notebook([
            """
            import csv, glob, os
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            """
            with open("{DATA}/people.csv") as f:
                rows = list(csv.DictReader(f))
            X = np.stack([np.asarray(Image.open(f"{DATA}/faces/{r['photo']}"), "float32") for r in rows])
            y = np.array([float(r["age"]) for r in rows], "float32")
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1),
            ])
            model.compile(keras.optimizers.Adam(1e-2), loss="mae")
            model.fit(X, y, epochs=3, batch_size=8, verbose=0)
            """,
            """
            paths = sorted(glob.glob("{DATA}/new/*.jpg"))
            new = np.stack([np.asarray(Image.open(p).convert("RGB").resize((48, 48)), "float32") for p in paths])
            preds = model.predict(new)
            preds[:3]
            """,
            """
            with open("age_predictions.csv", "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["file", "predicted_age"])
                for p, age in zip(paths, preds):
                    w.writerow([os.path.basename(p), round(age, 1)])
            """,
        ], data=lambda d: (faces(d), new_faces(d))),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
