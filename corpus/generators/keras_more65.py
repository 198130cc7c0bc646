"""Untargeted held-out Keras / TensorFlow failures (g151, scored 0.91 top-1 and 1.00 top-3 before any rule for it) of teams labelling their own images in
rounds with Keras / tf.keras: active-learning and pseudo-labelling loops (train on the labelled pool,
``predict`` on the unlabelled pool, pick the most uncertain or the most confident samples, move their
file names into the next round's CSV, retrain, sometimes adding a class between rounds), label exports
from annotation tools (Label Studio CSV, labelme JSON) merged by hand, and models saved and reloaded
between rounds (``.keras``, ``.weights.h5``, tf_keras ``.h5``), spread over the cause ids of the
taxonomy:

- files: a Label Studio CSV export whose ``image`` column holds ``/data/upload/3/<hash>-leaf_0031.png``
  (the upload prefix kept by ``basename``) read in a ``tf.data`` map; a round CSV made with
  ``cat round_0.csv new.csv`` (the header line in the middle, ``int("label")``); a half-copied JPEG in
  the new batch of unlabelled phone photos, read with ``load_img`` before ``predict``;
- image sizes: an unlabelled pool holding a second camera's photos, decoded without a resize and
  batched for ``predict`` after the labelled round trained fine;
- channels: the next pool scanned in grayscale, stacked with ``np.asarray(Image.open(...))`` and given
  to the reloaded model (notebook);
- boxes: labelme rectangles dragged from bottom-right to top-left (points in drag order), cut with
  ``tf.image.crop_to_bounding_box`` into classifier crops;
- labels: a class added in round 3 while the round-2 ``.keras`` model (three units) is reloaded and
  fine-tuned with sparse cross-entropy (progress bar); pseudo-labels with ``-1`` for the unconfident
  samples (scikit-learn's "unlabelled" convention) left in the training set (tf_keras);
- label shapes: soft pseudo-labels (``predict`` probabilities) next to one-hot labels under the
  round-0 ``sparse_categorical_crossentropy``; noisy-student pseudo-labels taken with
  ``argmax(axis=0)``;
- dtypes: round labels read with ``np.loadtxt`` (float64) into ``tf.one_hot`` inside a ``tf.data`` map;
- model inputs: ``IMG_SIZE`` raised from 32 to 48 between rounds while the reloaded round-1 model has a
  ``Flatten`` head;
- model outputs: one-hot labels for four classes after a class was added, fine-tuning the reloaded
  three-class model;
- weights: the round-2 tf_keras ``.h5`` weights loaded into the four-class rebuild (tf_keras);
- API: ``keras.models.load_model`` given the round's ``.weights.h5``; a ``ModelCheckpoint`` path
  written with ``{round_idx}`` but without the ``f`` prefix (notebook);
- divergence: an ELU classifier on unscaled 0..255 pixels under SGD with momentum, whose NaN
  confidences are turned into Label Studio task priorities with ``int()`` (progress bar shows ``nan``);
- gradients: a mean-teacher loop asking for the gradients of the student's loss with respect to the
  teacher's variables;
- host memory: the whole unlabelled pool preallocated at full resolution as float32 before scoring;
- versions: a Keras 3 ``.keras`` file from the training notebook reloaded on the labelling server that
  runs tf_keras; ``predict_generator`` from a Keras 2 active-learning tutorial called on an
  ``image_dataset_from_directory`` pool under Keras 3 (notebook);
- workers: thumbnails for the annotation tool made in a spawn ``ProcessPoolExecutor`` at the top level
  of the round script (no main guard);
- plain bugs: the next round's CSV written with ``csv.DictWriter`` from dicts that carry an extra
  ``entropy`` key.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more65.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g151): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more65.py"

CLASSES = ["healthy", "rust", "blight"]


# ---------------------------------------------------------------- data helpers
def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def leaves(d: Path, n_pool=60, n_lab=24, seed=6501, ids=False, sizes=None, grey=False, ext="png"):
    """pool/leaf_0000.png ... (every photo, labelled or not) and rounds/round_0.csv (filename,label)
    for the first n_lab photos (class names, or ids when ids=True)."""
    r = _rng(seed)
    for i in range(n_pool):
        h, w = sizes[i % len(sizes)] if sizes else (32, 32)
        shape = (h, w) if grey else (h, w, 3)
        arr = r.integers(0, 255, size=shape, dtype="uint8")
        p = d / "pool" / f"leaf_{i:04d}.{ext}"
        (_jpg if ext == "jpg" else _png)(p, arr)
    rows = [[f"leaf_{i:04d}.{ext}", i % 3 if ids else CLASSES[i % 3]] for i in range(n_lab)]
    _csv(d / "rounds" / "round_0.csv", ["filename", "label"], rows)


def label_studio(d: Path):
    leaves(d)
    r = _rng(6502)
    rows = []
    for i in range(24, 40):
        h = "".join("0123456789abcdef"[int(v)] for v in r.integers(0, 16, size=8))
        rows.append([f"/data/upload/3/{h}-leaf_{i:04d}.png", 1000 + i, CLASSES[(i * 7) % 3], "anna@farm-lab.org",
                     2000 + i, "2024-05-14T09:12:33.104Z", "2024-05-14T09:12:33.104Z", round(float(r.uniform(2, 9)), 3)])
    _csv(d / "exports" / "project-3-at-2024-05-14-09-12-8f3a2b1c.csv",
         ["image", "id", "choice", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"], rows)


def merged_by_cat(d: Path):
    leaves(d, ids=True)
    text0 = (d / "rounds" / "round_0.csv").read_text()
    new = "filename,label\n" + "".join(f"leaf_{i:04d}.png,{(i * 5) % 3}\n" for i in range(24, 36))
    (d / "rounds" / "round_1_new.csv").write_text(new)
    (d / "rounds" / "round_1.csv").write_text(text0 + new)          # cat round_0.csv round_1_new.csv


SMALL_CNN = """
        m = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                              layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(),
                              layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                              layers.Dense(16, activation="relu"),
                              layers.Dense(NC, activation="softmax")], name="leaf_clf")
"""


def _saved_model(d: Path, path: str, nc=3, loss="sparse_categorical_crossentropy", env="k3", flatten=False,
                 weights_only=False):
    (d / Path(path).parent).mkdir(parents=True, exist_ok=True)
    imp = "import tf_keras as keras\n        from tf_keras import layers" if env == "tfk2" else \
        "import keras\n        from keras import layers"
    net = SMALL_CNN.replace("NC", str(nc))
    if flatten:
        net = net.replace("layers.GlobalAveragePooling2D()", "layers.Flatten()")
    y = "np.arange(8) % " + str(nc)
    if loss == "categorical_crossentropy":
        y = f"keras.utils.to_categorical({y}, {nc})"
    save = f'm.save_weights("{path}")' if weights_only else f'm.save("{path}")'
    prep(env, f"""
        import numpy as np
        {imp}
        {net.strip()}
        m.compile("adam", "{loss}", metrics=["accuracy"])
        m.fit(np.random.default_rng(0).integers(0, 255, size=(8, 32, 32, 3)).astype("float32"), {y},
              epochs=1, verbose=0)
        {save}
    """, d)


def class_added(d: Path):
    leaves(d, n_pool=60, n_lab=0)
    rows = [[f"leaf_{i:04d}.png", CLASSES[i % 3]] for i in range(36)]
    rows += [[f"leaf_{i:04d}.png", "mildew"] for i in range(36, 44)]     # new class found in round 3
    _csv(d / "rounds" / "round_3.csv", ["filename", "label"], rows)


def class_added_k3(d):
    class_added(d)
    _saved_model(d, "models/round_2.keras")


def class_added_onehot(d):
    class_added(d)
    _saved_model(d, "models/round_2.keras", loss="categorical_crossentropy")


def class_added_h5(d):
    class_added(d)
    _saved_model(d, "models/round_2.h5", env="tfk2", weights_only=True)


def new_batch_truncated(d: Path):
    import io
    from PIL import Image
    r = _rng(6503)
    for i in range(10):
        _jpg(d / "pool" / "batch_03" / f"IMG_{2040 + i}.jpg", r.integers(0, 255, size=(48, 64, 3), dtype="uint8"))
    buf = io.BytesIO()
    Image.fromarray(r.integers(0, 255, size=(48, 64, 3), dtype="uint8")).save(buf, "JPEG", quality=90)
    b = buf.getvalue()
    (d / "pool" / "batch_03" / "IMG_2050.jpg").write_bytes(b[: len(b) * 2 // 5])   # copy interrupted
    _saved_model(d, "models/round_2.keras")


def two_cameras(d: Path):
    # the labelled photos all come from the bench camera (32x32); half of the unlabelled pool from the
    # field camera (40 wide, 30 high)
    leaves(d, sizes=[(32, 32)] * 24 + [(32, 32), (30, 40)] * 18)


def grey_scans(d: Path):
    r = _rng(6504)
    for i in range(12):
        _png(d / "pool_round2" / f"scan_{i:04d}.png", r.integers(0, 255, size=(32, 32), dtype="uint8"))
    _saved_model(d, "models/round_1.keras")


def labelme_crops(d: Path):
    r = _rng(6505)
    (d / "labelme").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        name = f"IMG_{3100 + i}.jpg"
        _jpg(d / "labelme" / name, r.integers(0, 255, size=(48, 64, 3), dtype="uint8"))
        shapes = []
        for k in range(2):
            x1, y1 = int(r.integers(2, 30)), int(r.integers(2, 20))
            x2, y2 = x1 + int(r.integers(12, 30)), y1 + int(r.integers(10, 24))
            pts = [[float(x1), float(y1)], [float(x2), float(y2)]]
            if i == 5 and k == 1:
                pts = pts[::-1]          # dragged from the bottom-right corner to the top-left one
            shapes.append({"label": CLASSES[(i + k) % 3], "points": pts, "group_id": None,
                           "description": "", "shape_type": "rectangle", "flags": {}})
        (d / "labelme" / name.replace(".jpg", ".json")).write_text(json.dumps({
            "version": "5.4.1", "flags": {}, "shapes": shapes, "imagePath": name, "imageData": None,
            "imageHeight": 48, "imageWidth": 64}, indent=2))


def size_changed(d):
    leaves(d)
    _saved_model(d, "models/round_1.keras", flatten=True)


def weights_round(d):
    leaves(d)
    _saved_model(d, "models/round_1.weights.h5", weights_only=True)


def keras3_model(d):
    leaves(d)
    _saved_model(d, "models/round_1.keras")


def pool_dir(d: Path):
    r = _rng(6506)
    for i in range(20):
        _png(d / "unlabelled" / "all" / f"leaf_{100 + i:04d}.png", r.integers(0, 255, size=(40, 40, 3), dtype="uint8"))
    _saved_model(d, "models/round_1.keras")


def big_pool_csv(d: Path):
    rows = [[f"DSC_{i:05d}.JPG", 3024, 4032] for i in range(18000)]
    _csv(d / "pool.csv", ["filename", "height", "width"], rows)
    _saved_model(d, "models/round_2.keras")


def loadtxt_round(d: Path):
    leaves(d, ids=True)


# ---------------------------------------------------------------- code snippets
IMPORTS = """
        import csv
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
"""

BUILD = """
        def build_model(num_classes):
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(32, activation="relu"),
                layers.Dense(num_classes, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            return model
"""

LOAD_PIL = """
        from PIL import Image


        def load_images(paths):
            return np.stack([np.asarray(Image.open(p).convert("RGB"), dtype="float32") for p in paths])
"""


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more65-label-studio-csv-upload-hash-prefix-kept-by-basename-tf-data-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=label_studio,
        pty=True,
        code=IMPORTS + BUILD + """

        POOL = "{DATA}/pool"
        CLASSES = ["healthy", "rust", "blight"]

        # round 0: labelled by us
        with open("{DATA}/rounds/round_0.csv") as f:
            labelled = [(r["filename"], CLASSES.index(r["label"])) for r in csv.DictReader(f)]

        # round 1: the 16 most uncertain photos, labelled by Anna in Label Studio (CSV export)
        with open("{DATA}/exports/project-3-at-2024-05-14-09-12-8f3a2b1c.csv") as f:
            for r in csv.DictReader(f):
                labelled.append((os.path.basename(r["image"]), CLASSES.index(r["choice"])))
        print(len(labelled), "labelled photos after round 1")

        paths = [os.path.join(POOL, name) for name, _ in labelled]
        labels = [y for _, y in labelled]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32), label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
                    .shuffle(len(paths)).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8))
        model = build_model(len(CLASSES))
        model.fit(train_ds, epochs=5)
        model.save("round_1.keras")
        """,
    ),
    Case(
        name="keras-more65-round-csv-concatenated-with-cat-header-line-in-middle-int-label-k3",
        cause="data.missing_or_corrupt",
        also=("data.dtype",),
        exception="ValueError",
        setup=merged_by_cat,
        expect="invalid literal for int()",
        code=IMPORTS + LOAD_PIL + BUILD + """

        ROUND = 1
        with open(f"{DATA}/rounds/round_{ROUND}.csv") as f:
            rows = list(csv.DictReader(f))
        print(f"round {ROUND}: {len(rows)} labelled rows")

        files = [r["filename"] for r in rows]
        labels = np.array([int(r["label"]) for r in rows])
        x = load_images([os.path.join("{DATA}/pool", f) for f in files])

        model = build_model(3)
        model.fit(x, labels, epochs=5, batch_size=8, validation_split=0.2)
        model.save(f"round_{ROUND}.keras")
        """,
    ),
    Case(
        name="keras-more65-new-phone-batch-half-copied-jpeg-load-img-before-predict-k3",
        cause="data.missing_or_corrupt",
        exception="OSError",
        setup=new_batch_truncated,
        expect="truncated",
        code="""
        import glob

        import numpy as np
        import keras

        model = keras.models.load_model("{DATA}/models/round_2.keras")
        CLASSES = ["healthy", "rust", "blight"]

        # round 3: score the photos Ben copied from his phone this morning
        new_files = sorted(glob.glob("{DATA}/pool/batch_03/*.jpg"))
        print(len(new_files), "new unlabelled photos")
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(32, 32)))
                      for p in new_files])
        probs = model.predict(x, batch_size=16)
        entropy = -(probs * np.log(probs + 1e-9)).sum(axis=1)
        for i in np.argsort(-entropy)[:5]:
            print(new_files[i], CLASSES[probs[i].argmax()], round(float(entropy[i]), 3))
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more65-unlabelled-pool-second-camera-decoded-without-resize-batched-for-predict-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=two_cameras,
        pty=True,
        expect="Cannot add tensor to the batch",
        code=IMPORTS + BUILD + """

        CLASSES = ["healthy", "rust", "blight"]
        POOL = "{DATA}/pool"
        BUDGET = 8

        with open("{DATA}/rounds/round_0.csv") as f:
            labelled = {r["filename"]: CLASSES.index(r["label"]) for r in csv.DictReader(f)}
        unlabelled = sorted(f for f in os.listdir(POOL) if f not in labelled)


        def decode(path):
            return tf.cast(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)


        train_ds = (tf.data.Dataset.from_tensor_slices(([f"{POOL}/{f}" for f in labelled], list(labelled.values())))
                    .map(lambda p, y: (decode(p), y)).shuffle(64).batch(8))
        model = build_model(len(CLASSES))
        model.fit(train_ds, epochs=3)

        pool_ds = tf.data.Dataset.from_tensor_slices([f"{POOL}/{f}" for f in unlabelled]).map(decode).batch(16)
        probs = model.predict(pool_ds)
        margin = np.sort(probs, axis=1)[:, -1] - np.sort(probs, axis=1)[:, -2]
        query = [unlabelled[i] for i in np.argsort(margin)[:BUDGET]]
        print("send to annotators:", query)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more65-notebook-round2-pool-grey-scanner-asarray-stack-predict-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        **notebook([
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            """,
            """
            model = keras.models.load_model("{DATA}/models/round_1.keras")
            model.input_shape
            """,
            """
            # round 2 pool: the lab's new flatbed scanner
            files = sorted(glob.glob("{DATA}/pool_round2/*.png"))
            pool = np.stack([np.asarray(Image.open(f), dtype="float32") for f in files])
            pool.shape
            """,
            """
            probs = model.predict(pool)
            uncertainty = 1 - probs.max(axis=1)
            to_label = [files[i] for i in np.argsort(-uncertainty)[:4]]
            to_label
            """,
        ], data=grey_scans),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more65-labelme-rectangles-dragged-bottom-right-to-top-left-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=labelme_crops,
        code="""
        import glob
        import json
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["healthy", "rust", "blight"]

        # every rectangle drawn in labelme becomes one 32x32 training crop
        crops, labels = [], []
        for jf in sorted(glob.glob("{DATA}/labelme/*.json")):
            ann = json.load(open(jf))
            img = tf.io.decode_jpeg(tf.io.read_file(os.path.join(os.path.dirname(jf), ann["imagePath"])))
            for shape in ann["shapes"]:
                (x1, y1), (x2, y2) = shape["points"]
                crop = tf.image.crop_to_bounding_box(img, int(y1), int(x1), int(y2 - y1), int(x2 - x1))
                crops.append(tf.image.resize(crop, (32, 32)))
                labels.append(CLASSES.index(shape["label"]))
        x, y = tf.stack(crops), np.array(labels)
        print(x.shape, np.bincount(y))

        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(len(CLASSES), activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more65-mildew-class-added-round3-reloaded-three-unit-model-sparse-xent-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=class_added_k3,
        pty=True,
        expect="outside the valid range",
        code=IMPORTS + LOAD_PIL + """

        ROUND = 3
        CLASSES = ["healthy", "rust", "blight", "mildew"]     # annotators found mildew in round 3

        with open(f"{DATA}/rounds/round_{ROUND}.csv") as f:
            rows = list(csv.DictReader(f))
        x = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])
        print(dict(zip(CLASSES, np.bincount(y))))

        # warm start from the previous round instead of training from scratch
        model = keras.models.load_model(f"{DATA}/models/round_{ROUND - 1}.keras")
        model.fit(x, y, epochs=4, batch_size=8, validation_split=0.2)
        model.save(f"round_{ROUND}.keras")
        """,
    ),
    Case(
        name="keras-more65-pseudo-labels-minus-one-for-unconfident-left-in-training-set-tfk2",
        cause="data.label_out_of_range",
        env="tfk2",
        exception="InvalidArgumentError",
        setup=leaves,
        pty=True,
        expect="outside the valid range",
        code=tfk2(IMPORTS + LOAD_PIL + BUILD) + """

        CLASSES = ["healthy", "rust", "blight"]
        THRESHOLD = 0.6

        with open("{DATA}/rounds/round_0.csv") as f:
            rows = list(csv.DictReader(f))
        lab_files = {r["filename"] for r in rows}
        x_lab = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y_lab = np.array([CLASSES.index(r["label"]) for r in rows])
        unl_files = sorted(f for f in os.listdir("{DATA}/pool") if f not in lab_files)
        x_unl = load_images([f"{DATA}/pool/{f}" for f in unl_files])

        teacher = build_model(len(CLASSES))
        teacher.fit(x_lab, y_lab, epochs=3, batch_size=8, verbose=2)

        # self-training: -1 marks "still unlabelled", as in sklearn's SelfTrainingClassifier
        probs = teacher.predict(x_unl, verbose=0)
        pseudo = np.where(probs.max(axis=1) >= THRESHOLD, probs.argmax(axis=1), -1)
        print("confident pseudo-labels:", int((pseudo >= 0).sum()), "of", len(pseudo))

        student = build_model(len(CLASSES))
        student.fit(np.concatenate([x_lab, x_unl]), np.concatenate([y_lab, pseudo]),
                    epochs=5, batch_size=8, shuffle=True)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more65-soft-pseudo-labels-with-onehot-under-round0-sparse-xent-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=leaves,
        code=IMPORTS + LOAD_PIL + BUILD + """

        CLASSES = ["healthy", "rust", "blight"]

        with open("{DATA}/rounds/round_0.csv") as f:
            rows = list(csv.DictReader(f))
        lab = {r["filename"] for r in rows}
        x_lab = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y_lab = np.array([CLASSES.index(r["label"]) for r in rows])
        x_unl = load_images([f"{DATA}/pool/{f}" for f in sorted(os.listdir("{DATA}/pool")) if f not in lab])

        model = build_model(len(CLASSES))
        model.fit(x_lab, y_lab, epochs=3, batch_size=8, verbose=2)

        # round 1: keep the teacher's full distribution as soft targets for the unlabelled pool
        soft = model.predict(x_unl, verbose=0)
        x = np.concatenate([x_lab, x_unl])
        y = np.concatenate([keras.utils.to_categorical(y_lab, len(CLASSES)), soft])
        print(x.shape, y.shape)
        model.fit(x, y, epochs=3, batch_size=8, verbose=2)
        """,
    ),
    Case(
        name="keras-more65-noisy-student-pseudo-labels-argmax-axis0-data-cardinality-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=leaves,
        pty=True,
        expect="cardinality",
        code="""
        import csv
        import os

        import numpy as np
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        CLASSES = ["healthy", "rust", "blight"]
        POOL = "{DATA}/pool"


        def load(files):
            return np.stack([np.asarray(Image.open(os.path.join(POOL, f)).convert("RGB")) for f in files]).astype("float32")


        def make_model():
            m = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                                  layers.RandomFlip("horizontal"), layers.RandomRotation(0.1),
                                  layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                                  layers.Dropout(0.3), layers.Conv2D(32, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(len(CLASSES), activation="softmax")])
            m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            return m


        with open("{DATA}/rounds/round_0.csv") as f:
            rows = list(csv.DictReader(f))
        x_lab = load([r["filename"] for r in rows])
        y_lab = np.array([CLASSES.index(r["label"]) for r in rows])
        unl = sorted(set(os.listdir(POOL)) - {r["filename"] for r in rows})
        x_unl = load(unl)

        teacher = make_model()
        teacher.fit(x_lab, y_lab, epochs=3, batch_size=8)

        # noisy student: pseudo-label the whole pool, train a noised student on everything
        probs = teacher.predict(x_unl)
        pseudo = probs.argmax(axis=0)
        student = make_model()
        student.fit(np.concatenate([x_lab, x_unl]), np.concatenate([y_lab, pseudo]), epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more65-round-labels-np-loadtxt-float64-into-tf-one-hot-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=loadtxt_round,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 3
        CSV = "{DATA}/rounds/round_0.csv"
        files = np.loadtxt(CSV, delimiter=",", skiprows=1, usecols=0, dtype=str)
        labels = np.loadtxt(CSV, delimiter=",", skiprows=1, usecols=1)
        print(files[:3], labels[:3])


        def load(name, label):
            img = tf.io.decode_png(tf.io.read_file(tf.strings.join(["{DATA}/pool/", name])), channels=3)
            return tf.cast(img, tf.float32) / 255.0, tf.one_hot(label, NUM_CLASSES)


        ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(load).shuffle(32).batch(8)
        model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling2D(), layers.Dense(NUM_CLASSES, activation="softmax")])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more65-img-size-raised-to-48-between-rounds-reloaded-flatten-model-predict-pool-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=size_changed,
        code=IMPORTS + """

        # config for round 2 (annotators asked for bigger previews, so we bumped the size)
        IMG_SIZE = 48
        BUDGET = 10

        model = keras.models.load_model("{DATA}/models/round_1.keras")
        with open("{DATA}/rounds/round_0.csv") as f:
            labelled = {r["filename"] for r in csv.DictReader(f)}
        pool = sorted(f for f in os.listdir("{DATA}/pool") if f not in labelled)
        x_pool = np.stack([keras.utils.img_to_array(keras.utils.load_img(f"{DATA}/pool/{f}",
                                                                          target_size=(IMG_SIZE, IMG_SIZE)))
                           for f in pool])
        probs = model.predict(x_pool, batch_size=16)
        least_conf = 1.0 - probs.max(axis=1)
        picked = [pool[i] for i in np.argsort(-least_conf)[:BUDGET]]
        print(picked)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more65-onehot-four-classes-after-mildew-added-reloaded-three-class-model-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=class_added_onehot,
        pty=True,
        code=IMPORTS + LOAD_PIL + """

        CLASSES = ["healthy", "rust", "blight", "mildew"]

        with open("{DATA}/rounds/round_3.csv") as f:
            rows = list(csv.DictReader(f))
        x = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y = keras.utils.to_categorical([CLASSES.index(r["label"]) for r in rows], num_classes=len(CLASSES))

        model = keras.models.load_model("{DATA}/models/round_2.keras")
        model.summary()
        model.fit(x, y, epochs=4, batch_size=8, validation_split=0.25,
                  callbacks=[keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)])
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more65-round2-h5-weights-into-four-class-rebuild-warm-start-tfk2",
        cause="model.weights_mismatch",
        env="tfk2",
        exception="ValueError",
        setup=class_added_h5,
        code=tfk2(IMPORTS + LOAD_PIL) + """

        CLASSES = ["healthy", "rust", "blight", "mildew"]


        def build_model(num_classes):
            m = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(),
                                  layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(16, activation="relu"),
                                  layers.Dense(num_classes, activation="softmax")], name="leaf_clf")
            m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            return m


        with open("{DATA}/rounds/round_3.csv") as f:
            rows = list(csv.DictReader(f))
        x = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])

        model = build_model(len(CLASSES))
        model.load_weights("{DATA}/models/round_2.h5")      # keep what rounds 0-2 learned
        model.fit(x, y, epochs=4, batch_size=8)
        model.save_weights("round_3.h5")
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more65-load-model-given-round-weights-h5-k3",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="ValueError",
        setup=weights_round,
        code=IMPORTS + LOAD_PIL + """

        PREV = "{DATA}/models/round_1.weights.h5"

        model = keras.models.load_model(PREV)
        with open("{DATA}/rounds/round_0.csv") as f:
            labelled = {r["filename"] for r in csv.DictReader(f)}
        pool = sorted(f for f in os.listdir("{DATA}/pool") if f not in labelled)
        probs = model.predict(load_images([f"{DATA}/pool/{f}" for f in pool]))
        print(np.argsort(probs.max(axis=1))[:10])
        """,
    ),
    Case(
        name="keras-more65-notebook-modelcheckpoint-path-round-placeholder-without-f-prefix-k3",
        cause="model.api_misuse",
        exception="KeyError",
        expect="round_idx",
        **notebook([
            """
            import csv, os
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            CLASSES = ["healthy", "rust", "blight"]
            """,
            """
            with open("{DATA}/rounds/round_0.csv") as f:
                rows = list(csv.DictReader(f))
            x = np.stack([np.asarray(Image.open(f"{DATA}/pool/{r['filename']}"), dtype="float32") for r in rows])
            y = np.array([CLASSES.index(r["label"]) for r in rows])
            x.shape, np.bincount(y)
            """,
            """
            model = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                                      layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                      layers.Dense(3, activation="softmax")])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            round_idx = 0
            os.makedirs("checkpoints", exist_ok=True)
            ckpt = keras.callbacks.ModelCheckpoint("checkpoints/round{round_idx}_ep{epoch:02d}.keras",
                                                   monitor="val_accuracy", save_best_only=True)
            history = model.fit(x, y, validation_split=0.25, epochs=5, batch_size=8, callbacks=[ckpt], verbose=2)
            """,
        ], data=leaves),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more65-raw-pixels-sgd-nan-confidence-into-label-studio-priority-int-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=leaves,
        pty=True,
        expect="cannot convert float NaN to integer",
        code=IMPORTS + LOAD_PIL + """
        import json

        CLASSES = ["healthy", "rust", "blight"]
        keras.utils.set_random_seed(0)

        with open("{DATA}/rounds/round_0.csv") as f:
            rows = list(csv.DictReader(f))
        lab = {r["filename"] for r in rows}
        x = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])
        pool = sorted(f for f in os.listdir("{DATA}/pool") if f not in lab)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="elu"),
            layers.Flatten(),
            layers.Dense(64, activation="elu"),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(keras.optimizers.SGD(learning_rate=1.0, momentum=0.9), "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=8, batch_size=8)

        # next round: Label Studio tasks, least confident first (priority 0..100)
        probs = model.predict(load_images([f"{DATA}/pool/{f}" for f in pool]), verbose=0)
        tasks = []
        for f, p in zip(pool, probs):
            conf = float(p.max())
            tasks.append({"data": {"image": f"/data/local-files/?d=pool/{f}"},
                          "meta": {"priority": int(round((1.0 - conf) * 100))}})
        json.dump(tasks, open("round_1_tasks.json", "w"), indent=1)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more65-mean-teacher-gradients-of-student-loss-wrt-teacher-variables-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=leaves,
        expect="No gradients provided",
        code=IMPORTS + LOAD_PIL + """

        CLASSES = ["healthy", "rust", "blight"]
        EMA = 0.99


        def make():
            return keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                                     layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                     layers.Dense(len(CLASSES), activation="softmax")])


        with open("{DATA}/rounds/round_0.csv") as f:
            rows = list(csv.DictReader(f))
        lab = {r["filename"] for r in rows}
        x_lab = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y_lab = np.array([CLASSES.index(r["label"]) for r in rows])
        x_unl = load_images([f"{DATA}/pool/{f}" for f in sorted(os.listdir("{DATA}/pool")) if f not in lab])

        student, teacher = make(), make()
        teacher.set_weights(student.get_weights())
        opt = keras.optimizers.Adam(1e-3)
        ce = keras.losses.SparseCategoricalCrossentropy()

        lab_ds = tf.data.Dataset.from_tensor_slices((x_lab, y_lab)).shuffle(64).repeat().batch(8)
        unl_ds = tf.data.Dataset.from_tensor_slices(x_unl).shuffle(64).batch(8)
        for epoch in range(3):
            for (xl, yl), xu in zip(lab_ds, unl_ds):
                target = teacher(xu, training=False)          # the teacher only gives targets
                with tf.GradientTape() as tape:
                    sup = ce(yl, student(xl, training=True))
                    noisy = xu + tf.random.normal(tf.shape(xu), stddev=8.0)
                    cons = tf.reduce_mean(tf.square(student(noisy, training=True) - target))
                    loss = sup + 1.0 * cons
                grads = tape.gradient(loss, teacher.trainable_variables)
                opt.apply_gradients(zip(grads, teacher.trainable_variables))
                for t, s in zip(teacher.weights, student.weights):
                    t.assign(EMA * t + (1 - EMA) * s)
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more65-whole-unlabelled-pool-preallocated-full-resolution-float32-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=big_pool_csv,
        as_limit=8 * 1024**3,
        code="""
        import csv

        import numpy as np
        import keras

        model = keras.models.load_model("{DATA}/models/round_2.keras")
        with open("{DATA}/pool.csv") as f:
            pool = list(csv.DictReader(f))
        H, W = int(pool[0]["height"]), int(pool[0]["width"])
        print(len(pool), "unlabelled photos of", H, "x", W)

        # load the whole pool once, then resize per batch when scoring
        X = np.zeros((len(pool), H, W, 3), dtype=np.float32)
        for i, row in enumerate(pool):
            X[i] = np.asarray(keras.utils.load_img(f"{DATA}/photos/{row['filename']}"), dtype=np.float32)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more65-keras3-keras-file-reloaded-on-labelling-server-with-tf-keras-tfk2",
        cause="env.version_incompat",
        env="tfk2",
        exception="TypeError",
        setup=keras3_model,
        expect="batch_shape",
        code="""
        import csv
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        # labelling server: TF 2.21 with TF_USE_LEGACY_KERAS=1 (our old serving code needs tf_keras)
        model = tf.keras.models.load_model("{DATA}/models/round_1.keras")   # trained in the Colab notebook
        with open("{DATA}/rounds/round_0.csv") as f:
            labelled = {r["filename"] for r in csv.DictReader(f)}
        pool = sorted(f for f in os.listdir("{DATA}/pool") if f not in labelled)
        x = np.stack([np.asarray(Image.open(f"{DATA}/pool/{f}").convert("RGB"), dtype="float32") for f in pool])
        probs = model.predict(x)
        print([pool[i] for i in np.argsort(probs.max(axis=1))[:10]])
        """,
    ),
    Case(
        name="keras-more65-notebook-keras2-tutorial-predict-generator-on-directory-dataset-pool-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        expect="predict_generator",
        **notebook([
            """
            import numpy as np
            import keras
            """,
            """
            model = keras.models.load_model("{DATA}/models/round_1.keras")
            pool_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/unlabelled", labels=None, image_size=(32, 32), shuffle=False, batch_size=8)
            files = pool_ds.file_paths
            len(files)
            """,
            """
            # uncertainty sampling, as in the active-learning tutorial
            probs = model.predict_generator(pool_ds, steps=len(pool_ds), verbose=1)
            entropy = -np.sum(probs * np.log(probs + 1e-10), axis=1)
            query = np.array(files)[np.argsort(-entropy)[:5]]
            query
            """,
        ], data=pool_dir),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more65-spawn-process-pool-thumbnails-for-annotation-tool-no-main-guard-k3",
        cause="env.multiprocessing",
        exception="BrokenProcessPool",
        setup=leaves,
        timeout=400,
        code="""
        import csv
        import multiprocessing as mp
        import os
        from concurrent.futures import ProcessPoolExecutor

        import numpy as np
        import keras
        from PIL import Image

        POOL = "{DATA}/pool"
        THUMBS = "thumbs"
        os.makedirs(THUMBS, exist_ok=True)


        def make_thumb(name):
            # 128 px previews for the annotation tool
            Image.open(os.path.join(POOL, name)).resize((128, 128), Image.NEAREST).save(os.path.join(THUMBS, name))
            return name


        with open("{DATA}/rounds/round_0.csv") as f:
            labelled = {r["filename"] for r in csv.DictReader(f)}
        pool = sorted(f for f in os.listdir(POOL) if f not in labelled)

        # spawn, not fork: forking after TensorFlow started can deadlock
        with ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn")) as ex:
            done = list(ex.map(make_thumb, pool, chunksize=8))
        print(len(done), "thumbnails written")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more65-next-round-csv-dictwriter-rows-carry-extra-entropy-key-k3",
        cause="other",
        exception="ValueError",
        setup=leaves,
        pty=True,
        expect="dict contains fields not in fieldnames",
        code=IMPORTS + LOAD_PIL + BUILD + """

        CLASSES = ["healthy", "rust", "blight"]
        BUDGET = 8

        with open("{DATA}/rounds/round_0.csv") as f:
            rows = list(csv.DictReader(f))
        lab = {r["filename"] for r in rows}
        x = load_images([f"{DATA}/pool/{r['filename']}" for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])
        pool = sorted(f for f in os.listdir("{DATA}/pool") if f not in lab)

        model = build_model(len(CLASSES))
        model.fit(x, y, epochs=3, batch_size=8)
        model.save("round_0.keras")

        probs = model.predict(load_images([f"{DATA}/pool/{f}" for f in pool]))
        entropy = -(probs * np.log(probs + 1e-9)).sum(axis=1)
        queries = [{"filename": pool[i], "label": "", "entropy": round(float(entropy[i]), 4)}
                   for i in np.argsort(-entropy)[:BUDGET]]

        # round 1 CSV for the annotators: same columns as round 0, label left blank
        with open("round_1.csv", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["filename", "label"])
            w.writeheader()
            w.writerows(queries)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
