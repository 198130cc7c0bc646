"""Untargeted held-out Keras / TensorFlow image-classifier failures (g141, scored 0.83 top-1 and 1.00 top-3 before any rule for it) of tf.keras users who fight
class imbalance and try to evaluate their image classifiers properly: ``class_weight`` and
``sample_weight``, oversampling with ``tf.data`` (``sample_from_datasets``, ``rejection_resample``),
focal and weighted losses, ``AUC`` / ``Precision`` / ``Recall`` / ``F1Score`` metrics with thresholds,
confusion matrices and classification reports written by hand (no scikit-learn, no pandas), threshold
tuning on a validation set, test-time augmentation and small ensembles of saved models, spread over the
cause ids of the taxonomy:

- files: an ISIC-style ``test_labels.csv`` that still lists a photo deleted as a duplicate, read by the
  hand-written evaluation with ``load_img``; a scraped minority class with an HTML error page saved as
  ``.jpg``, oversampled with ``sample_from_datasets``;
- image sizes: ``rejection_resample`` over a ``from_tensor_slices`` pipeline whose decode has no resize
  (phone photos of the rare class in two orientations);
- channels: rare-class photos from a grey line-scan camera decoded with ``decode_png`` at its default
  ``channels=0``, oversampled per class;
- labels: ``rejection_resample(target_dist=[0.5, 0.5])`` over a CSV whose third "indeterminate" grade
  was kept;
- label shapes: minority images repeated ``ratio - 1`` times while their labels are repeated ``ratio``
  times; a hand-built minority stream with int labels sampled together with a one-hot
  ``image_dataset_from_directory`` stream;
- dtypes: ``rejection_resample`` on ``label_mode="binary"`` (float) labels; ``tf.nn.
  weighted_cross_entropy_with_logits`` fed the int labels of a directory dataset (tf_keras);
- model inputs: a fold ensemble whose newest member was trained at 64 px, evaluated at 48 px;
  test-time augmentation of one image without a batch axis (notebook);
- model outputs: last month's one-unit sigmoid defect model fine-tuned on a three-class folder with
  sparse cross-entropy and class weights;
- weights: the imbalanced-data tutorial's ``initial.weights.h5`` loaded into the two-unit softmax
  variant of the class-weighted model;
- API: ``rejection_resample``'s ``(class, (image, label))`` pairs fed straight to ``fit``;
  ``F1Score(average="binary")`` (notebook); ``class_weight`` handed to ``compile``;
- divergence: a hand-written focal loss without clipping on unscaled pixels (``log(0)``), the NaN
  probabilities binned for a reliability diagram with ``np.bincount``;
- gradients: a class-weighted custom loop that computes the loss after leaving the tape;
- host memory: an exact best-F1 threshold search over every unique validation score, as one
  thresholds x scores matrix of float64;
- versions: a TF1 streaming ``tf.compat.v1.metrics.auc`` in the evaluation of a TF2 model; ``np.in1d``
  of a classification report under NumPy 2.4 (notebook);
- workers: ensemble members loaded and run in a ``multiprocessing.Pool`` with a lambda;
- plain bugs: ``f1s.index(...)`` after the F1 list was turned into a NumPy array for plotting.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21 (TF_USE_LEGACY_KERAS=1); scripts,
scripts under a terminal (progress bars) and notebook cells run in a real IPython shell. Everything
runs on a CPU: causes that need a GPU are not produced.

Every case is a small training / evaluation script that really fails with the library's own error;
the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more61.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g141): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more61.py"


# ---------------------------------------------------------------- data helpers
def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _folder(root: Path, counts: dict, size=32, seed=0, ext="png", grey=()):
    """An imbalanced class-per-folder tree: counts = {class: n}; classes in `grey` are 1-channel."""
    r = _rng(seed)
    for c, n in counts.items():
        for i in range(n):
            if c in grey:
                arr = r.integers(0, 255, size=(size, size), dtype="uint8")
            else:
                arr = r.integers(0, 255, size=(size, size, 3), dtype="uint8")
            p = root / c / f"{c}_{i:04d}.{ext}"
            (_jpg if ext == "jpg" else _png)(p, arr)


def casting_folder(d: Path):
    _folder(d / "casting" / "train", {"ok_front": 36, "def_front": 6}, seed=6101)
    _folder(d / "casting" / "val", {"ok_front": 12, "def_front": 4}, seed=6102)


def isic_test(d: Path):
    r = _rng(6103)
    rows = []
    for i in range(14):
        iid = f"ISIC_{73000 + i * 11:07d}"
        rows.append([iid, int(i in (2, 7, 11))])
        if i == 9:             # a duplicate photo, removed from test/ with fdupes after the CSV was made
            continue
        _jpg(d / "isic" / "test" / f"{iid}.jpg", r.integers(0, 255, size=(40, 40, 3), dtype="uint8"))
    _csv(d / "isic" / "test_labels.csv", ["image_name", "target"], rows)
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np
        import keras
        from keras import layers
        m = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                              layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                              layers.Dense(1, activation="sigmoid")], name="lesion_clf")
        m.compile("adam", "binary_crossentropy")
        m.fit(np.zeros((4, 32, 32, 3)), np.zeros(4), verbose=0)
        m.save("models/lesion_clf.keras")
    """, d)


def scraped_cracks(d: Path):
    _folder(d / "scraped" / "train", {"ok": 30, "cracked": 6}, size=40, seed=6104, ext="jpg")
    (d / "scraped" / "train" / "cracked" / "cracked_google_0007.jpg").write_text(
        "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head>\n"
        "<body><h1>403 Forbidden</h1><p>Hotlinking of images is not allowed.</p></body></html>\n")


def phone_rare(d: Path):
    r = _rng(6105)
    rows = []
    for i in range(30):
        _jpg(d / "pcb" / "images" / f"line_{i:04d}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append([f"line_{i:04d}.jpg", 0])
    for i in range(6):          # defects photographed by hand with a phone, portrait and landscape
        h, w = (64, 48) if i % 2 else (48, 64)
        _jpg(d / "pcb" / "images" / f"phone_{i:04d}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        rows.append([f"phone_{i:04d}.jpg", 1])
    _csv(d / "pcb" / "labels.csv", ["file", "defect"], rows)


def grey_rare(d: Path):
    _folder(d / "weld" / "train", {"good": 30}, size=48, seed=6106)
    _folder(d / "weld" / "train", {"porosity": 6}, size=48, seed=6107, grey=("porosity",))


def graded_csv(d: Path):
    r = _rng(6108)
    rows = []
    for i in range(40):
        _png(d / "derm" / "img" / f"d{i:04d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
        g = 1 if i % 8 == 3 else 0
        if i in (13, 29):
            g = 2               # "indeterminate" grade kept by the second annotator
        rows.append([f"d{i:04d}.png", g])
    _csv(d / "derm" / "grades.csv", ["image", "grade"], rows)


def extra_rare(d: Path):
    _folder(d / "leaves" / "train", {"healthy": 30, "rust": 4}, size=32, seed=6109)
    _folder(d / "leaves" / "extra_rust", {"web": 6}, size=32, seed=6110)


def fold_models_mixed(d: Path):
    _folder(d / "val", {"benign": 10, "malignant": 3}, size=48, seed=6111)
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np
        import keras
        from keras import layers
        def member(size, name):
            m = keras.Sequential([keras.Input((size, size, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, strides=2, activation="relu"),
                                  layers.Flatten(), layers.Dense(1, activation="sigmoid")], name=name)
            m.compile("adam", "binary_crossentropy")
            m.fit(np.zeros((4, size, size, 3)), np.zeros(4), verbose=0)
            return m
        member(48, "fold0").save("models/fold0_auc0.871.keras")
        member(48, "fold1").save("models/fold1_auc0.864.keras")
        member(64, "fold2").save("models/fold2_auc0.889.keras")   # the rerun at 64 px
    """, d)


def fold_models_same(d: Path):
    _folder(d / "test", {"benign": 8, "malignant": 3}, size=32, seed=6112)
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np
        import keras
        from keras import layers
        for k in range(3):
            m = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                                  layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                  layers.Dense(1, activation="sigmoid")], name=f"fold{k}")
            m.compile("adam", "binary_crossentropy")
            m.fit(np.zeros((4, 32, 32, 3)), np.zeros(4), verbose=0)
            m.save(f"models/fold{k}.keras")
    """, d)


def one_test_photo(d: Path):
    _jpg(d / "test" / "mole_0031.jpg", _rng(6113).integers(0, 255, size=(48, 48, 3), dtype="uint8"))
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np
        import keras
        from keras import layers
        m = keras.Sequential([keras.Input((48, 48, 3)), layers.Rescaling(1 / 255.0),
                              layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                              layers.Dense(1, activation="sigmoid")], name="mole_clf")
        m.compile("adam", "binary_crossentropy")
        m.fit(np.zeros((4, 48, 48, 3)), np.zeros(4), verbose=0)
        m.save("models/mole_clf.keras")
    """, d)


def three_defects(d: Path):
    _folder(d / "surface" / "train", {"dent": 5, "ok": 30, "scratch": 7}, size=32, seed=6114)
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import numpy as np
        import keras
        from keras import layers
        m = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1 / 255.0),
                              layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                              layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                              layers.Dense(1, activation="sigmoid")], name="ok_vs_defect")
        m.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        m.fit(np.zeros((4, 32, 32, 3)), np.zeros(4), verbose=0)
        m.save("models/ok_vs_defect_2024-05.keras")
    """, d)


def val_scores(d: Path):
    import numpy as np
    r = _rng(6115)
    n = 50_000
    y = (r.random(n) < 0.04).astype(np.int64)
    s = np.clip(r.normal(0.25 + 0.4 * y, 0.18), 0, 1).astype(np.float32)
    (d / "preds").mkdir(parents=True, exist_ok=True)
    np.save(d / "preds" / "val_scores.npy", s)
    np.save(d / "preds" / "val_labels.npy", y)


def xray_folder(d: Path):
    _folder(d / "chest" / "train", {"NORMAL": 8, "PNEUMONIA": 30}, size=32, seed=6116)
    _folder(d / "chest" / "val", {"NORMAL": 4, "PNEUMONIA": 10}, size=32, seed=6117)


def fundus_three(d: Path):
    _folder(d / "fundus" / "train", {"dr": 6, "glaucoma": 4, "normal": 30}, size=32, seed=6118)
    _folder(d / "fundus" / "test", {"dr": 3, "glaucoma": 2, "normal": 10}, size=32, seed=6119)


# the small binary classifier the scripts share (32 x 32 inputs)
SMALL = """
def build_model(img=32):
    return keras.Sequential([
        keras.Input((img, img, 3)),
        layers.Rescaling(1.0 / 255),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dropout(0.2),
        layers.Dense(1, activation="sigmoid"),
    ])
"""


def small(indent="        "):
    return "\n".join((indent + l) if l else l for l in SMALL.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more61-isic-test-labels-csv-lists-photo-removed-as-duplicate-hand-confusion-matrix-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=isic_test,
        expect="No such file or directory",
        code="""
        import csv

        import numpy as np
        import keras

        THRESHOLD = 0.35          # tuned on the validation folds

        model = keras.models.load_model("{DATA}/models/lesion_clf.keras")

        paths, y_true = [], []
        with open("{DATA}/isic/test_labels.csv") as f:
            for row in csv.DictReader(f):
                paths.append("{DATA}/isic/test/" + row["image_name"] + ".jpg")
                y_true.append(int(row["target"]))
        y_true = np.array(y_true)
        print(f"{len(paths)} test images, {y_true.sum()} malignant")

        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(32, 32))) for p in paths])
        probs = model.predict(x, verbose=0).ravel()
        y_pred = (probs >= THRESHOLD).astype(int)

        cm = np.zeros((2, 2), dtype=int)
        for t, p in zip(y_true, y_pred):
            cm[t, p] += 1
        tn, fp, fn, tp = cm.ravel()
        print(cm)
        print(f"sensitivity {tp / max(tp + fn, 1):.3f}  specificity {tn / max(tn + fp, 1):.3f}")
        """,
    ),
    Case(
        name="keras-more61-scraped-minority-html-403-page-saved-as-jpg-sample-from-datasets-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=scraped_cracks,
        pty=True,
        expect="Unknown image file format",
        code="""
        import os

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/scraped/train"
        CLASSES = sorted(os.listdir(ROOT))
        IMG = 32


        def load(path, label):
            img = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            img = tf.image.resize(img, (IMG, IMG))
            return img, label


        # one endless stream per class, drawn 50/50: the cracked class is 6 photos against 30
        streams = []
        for i, c in enumerate(CLASSES):
            files = tf.data.Dataset.list_files(f"{ROOT}/{c}/*.jpg", shuffle=True, seed=i)
            print(c, int(files.cardinality()), "files")
            streams.append(files.map(lambda p, i=i: load(p, i)).repeat())
        train_ds = (tf.data.Dataset.sample_from_datasets(streams, weights=[0.5, 0.5], seed=7)
                    .batch(8).prefetch(tf.data.AUTOTUNE))

        @@SMALL@@


        model = build_model(IMG)
        model.compile(keras.optimizers.Adam(1e-3), "binary_crossentropy",
                      metrics=[keras.metrics.AUC(name="auc"), keras.metrics.Recall(name="recall")])
        model.fit(train_ds, epochs=3, steps_per_epoch=8)
        """.replace("@@SMALL@@", small()),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more61-rejection-resample-pipeline-decode-without-resize-phone-photos-of-rare-class-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=phone_rare,
        pty=True,
        expect="Cannot add tensor to the batch",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        with open("{DATA}/pcb/labels.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/pcb/images/" + r["file"] for r in rows]
        labels = np.array([int(r["defect"]) for r in rows], dtype="int64")
        initial = np.bincount(labels) / len(labels)
        print("initial class distribution:", initial.round(3))


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32), label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(len(paths), seed=0).map(load).repeat()
        balanced = (ds.rejection_resample(lambda img, y: y, target_dist=[0.5, 0.5], initial_dist=initial, seed=0)
                    .map(lambda cls, pair: pair)
                    .batch(8))

        @@SMALL@@


        model = build_model(48)
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
        model.fit(balanced, epochs=2, steps_per_epoch=6)
        """.replace("@@SMALL@@", small()),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more61-grey-line-scan-porosity-pngs-decode-png-default-channels-per-class-oversampling-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=grey_rare,
        pty=True,
        expect="Cannot batch tensors with different shapes",
        code="""
        import glob

        import tensorflow as tf
        import keras
        from keras import layers

        CLASSES = ["good", "porosity"]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.resize(img, (48, 48))
            return img, label


        per_class = []
        for i, c in enumerate(CLASSES):
            files = sorted(glob.glob(f"{DATA}/weld/train/{c}/*.png"))
            print(f"{c:>10}: {len(files)} images")
            per_class.append(tf.data.Dataset.from_tensor_slices(files).shuffle(64, seed=i)
                             .map(lambda p, i=i: load(p, i)).repeat())
        train_ds = tf.data.Dataset.sample_from_datasets(per_class, weights=[0.5, 0.5], seed=1).batch(16)

        @@SMALL@@


        model = build_model(48)
        model.compile(keras.optimizers.Adam(1e-3), "binary_crossentropy",
                      metrics=[keras.metrics.Precision(name="precision"), keras.metrics.Recall(name="recall")])
        model.fit(train_ds, epochs=2, steps_per_epoch=5)
        """.replace("@@SMALL@@", small()),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more61-rejection-resample-two-class-target-dist-csv-keeps-indeterminate-grade-two-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=graded_csv,
        expect="not in [0, 2)",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        with open("{DATA}/derm/grades.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/derm/img/" + r["image"] for r in rows]
        grades = np.array([int(r["grade"]) for r in rows], dtype="int32")
        print(len(paths), "images;", (grades == 1).sum(), "malignant")


        def load(path, y):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), y


        ds = tf.data.Dataset.from_tensor_slices((paths, grades)).shuffle(64, seed=3).map(load).repeat()
        ds = ds.rejection_resample(lambda x, y: y, target_dist=[0.5, 0.5], seed=3)
        ds = ds.map(lambda _, xy: xy).batch(8)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
        model.fit(ds, epochs=2, steps_per_epoch=10)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more61-numpy-oversampling-images-repeated-ratio-minus-one-labels-ratio-times-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=casting_folder,
        pty=True,
        expect="Data cardinality is ambiguous",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers


        def load_split(split):
            xs, ys = [], []
            for label, c in enumerate(["ok_front", "def_front"]):
                for p in sorted(glob.glob(os.path.join("{DATA}/casting", split, c, "*.png"))):
                    xs.append(keras.utils.img_to_array(keras.utils.load_img(p)))
                    ys.append(label)
            return np.stack(xs), np.array(ys, dtype="float32")


        X_train, y_train = load_split("train")
        X_val, y_val = load_split("val")

        # random oversampling of the defects, like imblearn's RandomOverSampler
        minority = y_train == 1
        ratio = int((~minority).sum() // minority.sum())
        print("ratio", ratio)
        X_bal = np.concatenate([X_train] + [X_train[minority]] * (ratio - 1))
        y_bal = np.concatenate([y_train] + [y_train[minority]] * ratio)

        @@SMALL@@


        model = build_model(32)
        model.compile("adam", "binary_crossentropy",
                      metrics=[keras.metrics.Precision(name="precision"), keras.metrics.Recall(name="recall")])
        model.fit(X_bal, y_bal, validation_data=(X_val, y_val), epochs=3, batch_size=16)
        """.replace("@@SMALL@@", small()),
    ),
    Case(
        name="keras-more61-extra-rust-photos-int-label-stream-sampled-with-categorical-directory-stream-k3",
        cause="data.label_shape",
        also=("data.dtype",),
        exception="TypeError",
        setup=extra_rare,
        expect="compatible element specs",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 32
        train = keras.utils.image_dataset_from_directory(
            "{DATA}/leaves/train", image_size=(IMG, IMG), label_mode="categorical", batch_size=None, seed=1)
        class_names = train.class_names
        RUST = class_names.index("rust")
        print(class_names)

        # rust photos collected from the web, to top up the rare class
        extra = (tf.data.Dataset.list_files("{DATA}/leaves/extra_rust/*/*.png", seed=1)
                 .map(lambda p: (tf.image.resize(tf.io.decode_png(tf.io.read_file(p), channels=3), (IMG, IMG)), RUST)))

        train_ds = tf.data.Dataset.sample_from_datasets([train.repeat(), extra.repeat()], weights=[0.7, 0.3], seed=1)
        train_ds = train_ds.batch(16).prefetch(2)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=[keras.metrics.F1Score(average="macro")])
        model.fit(train_ds, epochs=2, steps_per_epoch=6)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more61-rejection-resample-class-func-returns-binary-label-mode-float-labels-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=xray_folder,
        pty=True,
        expect="has DataType float32 not in list of allowed values",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train = keras.utils.image_dataset_from_directory(
            "{DATA}/chest/train", image_size=(32, 32), label_mode="binary", batch_size=None, seed=0)
        val = keras.utils.image_dataset_from_directory(
            "{DATA}/chest/val", image_size=(32, 32), label_mode="binary", batch_size=16)
        print(train.class_names)

        labels = np.array([y.numpy()[0] for _, y in train]).astype(int)     # labels are shape (1,)
        initial = np.bincount(labels, minlength=2) / len(labels)
        print("initial distribution", initial)

        balanced = (train.repeat()
                    .rejection_resample(class_func=lambda x, y: y[0], target_dist=[0.5, 0.5],
                                        initial_dist=initial, seed=0)
                    .map(lambda _, xy: xy)
                    .batch(16))

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
        model.fit(balanced, validation_data=val, epochs=3, steps_per_epoch=5)
        """,
    ),
    Case(
        name="keras-more61-weighted-cross-entropy-with-logits-pos-weight-int-directory-labels-tfk2",
        cause="data.dtype",
        env="tfk2",
        exception="TypeError",
        setup=xray_folder,
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/train", image_size=(32, 32), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/val", image_size=(32, 32), batch_size=8)
        print(train_ds.class_names)

        y_all = np.concatenate([y.numpy() for _, y in train_ds])
        n_pos, n_neg = (y_all == 0).sum(), (y_all == 1).sum()   # NORMAL is the rare class here
        POS_WEIGHT = n_neg / n_pos
        print(f"pos_weight = {POS_WEIGHT:.2f}")


        def weighted_bce(y_true, logits):
            return tf.reduce_mean(
                tf.nn.weighted_cross_entropy_with_logits(labels=y_true, logits=logits, pos_weight=POS_WEIGHT))


        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),                      # logits
        ])
        model.compile(keras.optimizers.Adam(1e-3), loss=weighted_bce,
                      metrics=[keras.metrics.AUC(from_logits=True, name="auc")])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more61-fold-ensemble-newest-member-trained-at-64px-averaged-on-48px-val-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=fold_models_mixed,
        expect="incompatible",
        code="""
        import glob

        import numpy as np
        import keras

        IMG = 48
        val = keras.utils.image_dataset_from_directory("{DATA}/val", image_size=(IMG, IMG), batch_size=None,
                                                       shuffle=False)
        x_val = np.stack([x.numpy() for x, _ in val])
        y_val = np.array([int(y) for _, y in val])

        members = [keras.models.load_model(p) for p in sorted(glob.glob("{DATA}/models/fold*.keras"))]
        print(len(members), "ensemble members")

        probs = np.mean([m.predict(x_val, verbose=0).ravel() for m in members], axis=0)
        auc = keras.metrics.AUC()
        auc.update_state(y_val, probs)
        print("ensemble AUC:", float(auc.result()))
        """,
    ),
    Case(
        name="keras-more61-notebook-tta-flips-of-one-test-photo-predicted-without-batch-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="incompatible",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            """,
            """
            model = keras.models.load_model("{DATA}/models/mole_clf.keras")
            img = keras.utils.img_to_array(keras.utils.load_img("{DATA}/test/mole_0031.jpg", target_size=(48, 48)))
            img.shape
            """,
            """
            # test-time augmentation: original, horizontal flip, vertical flip, both
            views = [img, tf.image.flip_left_right(img), tf.image.flip_up_down(img),
                     tf.image.flip_up_down(tf.image.flip_left_right(img))]
            tta = np.mean([model.predict(v, verbose=0) for v in views])
            print(f"P(malignant) with TTA: {tta:.3f}")
            """,
        ], data=one_test_photo),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more61-one-unit-sigmoid-defect-model-fine-tuned-three-class-sparse-xent-class-weights-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        setup=three_defects,
        pty=True,
        expect="outside the valid range",
        code="""
        import numpy as np
        import keras

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/surface/train", image_size=(32, 32), batch_size=8, seed=42)
        class_names = train_ds.class_names
        print("classes:", class_names)

        counts = np.zeros(len(class_names))
        for _, y in train_ds:
            counts += np.bincount(y.numpy(), minlength=len(class_names))
        class_weight = {i: counts.sum() / (len(class_names) * c) for i, c in enumerate(counts)}
        print("class weights:", {class_names[i]: round(w, 2) for i, w in class_weight.items()})

        # start from last month's ok-vs-defect model, now with dent / ok / scratch
        model = keras.models.load_model("{DATA}/models/ok_vs_defect_2024-05.keras")
        model.compile(keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5, class_weight=class_weight)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more61-imbalanced-tutorial-initial-weights-into-two-unit-softmax-weighted-variant-k3",
        cause="model.weights_mismatch",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=xray_folder,
        pty=True,
        code="""
        import os
        import tempfile

        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/train", image_size=(32, 32), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/val", image_size=(32, 32), batch_size=8)
        y = np.concatenate([b.numpy() for _, b in train_ds])
        neg, pos = np.bincount(y)
        initial_bias = np.log([pos / neg])

        METRICS = [keras.metrics.AUC(name="auc"), keras.metrics.AUC(name="prc", curve="PR")]


        def make_model(output_bias=None, units=1):
            if output_bias is not None:
                output_bias = keras.initializers.Constant(output_bias)
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(16, activation="relu"),
                layers.Dropout(0.5),
                layers.Dense(units, activation="sigmoid" if units == 1 else "softmax", bias_initializer=output_bias),
            ])
            return model


        model = make_model(output_bias=initial_bias)
        initial_weights = os.path.join(tempfile.mkdtemp(), "initial.weights.h5")
        model.save_weights(initial_weights)

        model.compile(keras.optimizers.Adam(1e-3), "binary_crossentropy", metrics=METRICS)
        baseline = model.fit(train_ds, validation_data=val_ds, epochs=2, verbose=2)

        # class-weighted model, two softmax units so the report gets one probability per class
        weight_for_0 = (1 / neg) * (len(y) / 2.0)
        weight_for_1 = (1 / pos) * (len(y) / 2.0)
        weighted_model = make_model(units=2)
        weighted_model.load_weights(initial_weights)
        weighted_model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
        weighted_model.fit(train_ds, validation_data=val_ds, epochs=2,
                           class_weight={0: weight_for_0, 1: weight_for_1})
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more61-rejection-resample-class-and-pair-elements-fed-straight-to-fit-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        setup=casting_folder,
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train = keras.utils.image_dataset_from_directory(
            "{DATA}/casting/train", image_size=(32, 32), batch_size=None, seed=11)
        print(train.class_names)

        counts = np.bincount([int(y) for _, y in train], minlength=2)
        initial_dist = counts / counts.sum()

        resampled = train.repeat().rejection_resample(
            class_func=lambda x, y: y, target_dist=[0.5, 0.5], initial_dist=initial_dist, seed=42)
        train_ds = resampled.batch(16).prefetch(tf.data.AUTOTUNE)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
        model.fit(train_ds, epochs=3, steps_per_epoch=6)
        """,
    ),
    Case(
        name="keras-more61-notebook-f1score-metric-average-binary-like-sklearn-f1-score-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="Invalid `average` argument value",
        **notebook([
            """
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/casting/train", image_size=(32, 32),
                                                                label_mode="binary", batch_size=16)
            val_ds = keras.utils.image_dataset_from_directory("{DATA}/casting/val", image_size=(32, 32),
                                                              label_mode="binary", batch_size=16)
            """,
            """
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile("adam", "binary_crossentropy",
                          metrics=[keras.metrics.Precision(thresholds=0.3, name="precision"),
                                   keras.metrics.Recall(thresholds=0.3, name="recall"),
                                   keras.metrics.F1Score(average="binary", threshold=0.3, name="f1")])
            history = model.fit(train_ds, validation_data=val_ds, epochs=5)
            """,
        ], data=casting_folder),
    ),
    Case(
        name="keras-more61-class-weight-dict-handed-to-compile-instead-of-fit-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=xray_folder,
        expect="unexpected keyword argument 'class_weight'",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/train", image_size=(32, 32), batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/val", image_size=(32, 32), batch_size=8)

        y = np.concatenate([b.numpy() for _, b in train_ds])
        counts = np.bincount(y)
        class_weight = {i: len(y) / (2 * c) for i, c in enumerate(counts)}
        print("class_weight:", class_weight)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(name="auc")], class_weight=class_weight)
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more61-hand-focal-loss-no-clip-unscaled-pixels-nan-probs-reliability-diagram-bincount-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=casting_folder,
        pty=True,
        expect="must have no negative elements",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/casting/train", image_size=(32, 32),
                                                            label_mode="binary", batch_size=8, seed=5)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/casting/val", image_size=(32, 32),
                                                          label_mode="binary", batch_size=8, shuffle=False)


        def focal_loss(alpha=0.75, gamma=2.0):
            def loss(y_true, p):
                p_t = y_true * p + (1 - y_true) * (1 - p)
                alpha_t = y_true * alpha + (1 - y_true) * (1 - alpha)
                return tf.reduce_mean(-alpha_t * tf.pow(1.0 - p_t, gamma) * tf.math.log(p_t))
            return loss


        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(keras.optimizers.Adam(1e-2), loss=focal_loss(), metrics=[keras.metrics.AUC(name="auc")])
        model.fit(train_ds, validation_data=val_ds, epochs=4)

        # reliability diagram: mean predicted probability vs. observed frequency per bin
        probs = model.predict(val_ds, verbose=0).ravel()
        y_val = np.concatenate([y.numpy().ravel() for _, y in val_ds])
        N_BINS = 10
        bin_ids = np.minimum((probs * N_BINS).astype(int), N_BINS - 1)
        counts = np.bincount(bin_ids, minlength=N_BINS)
        observed = np.bincount(bin_ids, weights=y_val, minlength=N_BINS) / np.maximum(counts, 1)
        for b in range(N_BINS):
            print(f"{b / N_BINS:.1f}-{(b + 1) / N_BINS:.1f}  n={counts[b]:3d}  observed={observed[b]:.2f}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more61-class-weighted-custom-loop-loss-computed-after-leaving-gradient-tape-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=fundus_three,
        pty=True,
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/fundus/train", image_size=(32, 32), batch_size=8)
        class_names = train_ds.class_names
        y_all = np.concatenate([y.numpy() for _, y in train_ds])
        counts = np.bincount(y_all, minlength=len(class_names))
        class_weights = tf.constant(len(y_all) / (len(class_names) * counts), tf.float32)
        print(dict(zip(class_names, class_weights.numpy().round(2))))

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy()
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(3):
            for step, (x, y) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    probs = model(x, training=True)
                # per-sample weights from the class of each image
                w = tf.gather(class_weights, y)
                loss = loss_fn(y, probs, sample_weight=w)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more61-exact-best-f1-threshold-every-unique-val-score-float64-matrix-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=val_scores,
        pty=True,
        expect="Unable to allocate",
        code="""
        import numpy as np
        import keras

        # scores written by predict_val.py (5-fold ensemble, 50k validation crops)
        scores = np.load("{DATA}/preds/val_scores.npy")
        y_true = np.load("{DATA}/preds/val_labels.npy")
        print(f"{len(scores)} scores, prevalence {y_true.mean():.3%}")

        # every distinct score is a candidate threshold: exact PR curve, no binning
        thresholds = np.unique(scores)
        print(len(thresholds), "candidate thresholds")
        y_hat = (scores[None, :] >= thresholds[:, None]).astype(np.float64)
        tp = (y_hat * y_true[None, :]).sum(axis=1)
        fp = (y_hat * (1 - y_true[None, :])).sum(axis=1)
        fn = y_true.sum() - tp
        f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
        best = thresholds[np.argmax(f1)]
        print(f"best threshold {best:.4f}  F1 {f1.max():.4f}")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more61-tf1-streaming-metrics-auc-update-op-in-tf2-eager-evaluation-k3",
        cause="env.version_incompat",
        exception="RuntimeError",
        setup=xray_folder,
        pty=True,
        expect="not supported when eager execution is enabled",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/train", image_size=(32, 32),
                                                            label_mode="binary", batch_size=8)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/chest/val", image_size=(32, 32),
                                                          label_mode="binary", batch_size=8, shuffle=False)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, class_weight={0: 2.4, 1: 0.6})

        # evaluation code kept from the TF 1.x version of the project
        y_val = np.concatenate([y.numpy() for _, y in val_ds]).ravel()
        probs = model.predict(val_ds, verbose=0).ravel()
        auc, update_op = tf.compat.v1.metrics.auc(labels=y_val, predictions=probs, num_thresholds=200)
        pr_auc, pr_update = tf.compat.v1.metrics.auc(labels=y_val, predictions=probs, curve="PR")
        print("ROC AUC", auc, "PR AUC", pr_auc)
        """,
    ),
    Case(
        name="keras-more61-notebook-classification-report-rare-classes-np-in1d-numpy-2-4-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        expect="has no attribute 'in1d'",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/fundus/train", image_size=(32, 32), batch_size=8)
            test_ds = keras.utils.image_dataset_from_directory("{DATA}/fundus/test", image_size=(32, 32), batch_size=8,
                                                               shuffle=False)
            class_names = train_ds.class_names
            model = keras.Sequential([keras.Input((32, 32, 3)), layers.Rescaling(1.0 / 255),
                                      layers.Conv2D(16, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                                      layers.Dense(len(class_names), activation="softmax")])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            """,
            """
            y_true = np.concatenate([y.numpy() for _, y in test_ds])
            y_pred = model.predict(test_ds, verbose=0).argmax(1)
            print(f"{'class':>10} {'precision':>9} {'recall':>6} {'f1':>6} {'support':>7}")
            for i, name in enumerate(class_names):
                tp = np.sum((y_pred == i) & (y_true == i))
                prec = tp / max(np.sum(y_pred == i), 1)
                rec = tp / max(np.sum(y_true == i), 1)
                f1 = 2 * prec * rec / max(prec + rec, 1e-9)
                print(f"{name:>10} {prec:9.2f} {rec:6.2f} {f1:6.2f} {np.sum(y_true == i):7d}")
            """,
            """
            # the rare diseases only: accuracy on images of dr and glaucoma
            rare = [class_names.index("dr"), class_names.index("glaucoma")]
            mask = np.in1d(y_true, rare)
            print("rare-class accuracy:", (y_pred[mask] == y_true[mask]).mean())
            """,
        ], data=fundus_three),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more61-ensemble-members-predicted-in-multiprocessing-pool-map-lambda-k3",
        cause="env.multiprocessing",
        exception="PicklingError",
        setup=fold_models_same,
        code="""
        import glob
        from multiprocessing import Pool

        import numpy as np
        import keras

        test = keras.utils.image_dataset_from_directory("{DATA}/test", image_size=(32, 32), batch_size=None,
                                                        shuffle=False)
        x_test = np.stack([x.numpy() for x, _ in test])
        y_test = np.array([int(y) for _, y in test])
        paths = sorted(glob.glob("{DATA}/models/fold*.keras"))
        print(len(paths), "fold models")

        if __name__ == "__main__":
            # one process per fold model, they are independent
            with Pool(len(paths)) as pool:
                preds = pool.map(lambda p: keras.models.load_model(p).predict(x_test, verbose=0).ravel(), paths)
            probs = np.mean(preds, axis=0)
            print("ensemble accuracy:", ((probs >= 0.5) == y_test).mean())
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more61-threshold-sweep-f1-list-turned-into-array-for-plot-then-index-k3",
        cause="other",
        exception="AttributeError",
        setup=casting_folder,
        pty=True,
        expect="has no attribute 'index'",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/casting/train", image_size=(32, 32),
                                                            label_mode="binary", batch_size=8, seed=2)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/casting/val", image_size=(32, 32),
                                                          label_mode="binary", batch_size=8, shuffle=False)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
        model.fit(train_ds, validation_data=val_ds, epochs=3, class_weight={0: 0.6, 1: 3.5})

        probs = model.predict(val_ds, verbose=0).ravel()
        y_val = np.concatenate([y.numpy().ravel() for _, y in val_ds])

        thresholds = np.arange(0.05, 0.96, 0.05)
        f1s = []
        for t in thresholds:
            pred = probs >= t
            tp = np.sum(pred & (y_val == 1))
            fp = np.sum(pred & (y_val == 0))
            fn = np.sum(~pred & (y_val == 1))
            f1s.append(2 * tp / max(2 * tp + fp + fn, 1))
        f1s = np.array(f1s)          # for the plot in the report
        for t, f in zip(thresholds, f1s):
            print(f"t={t:.2f}  F1={f:.3f}  " + "#" * int(f * 40))
        best_t = thresholds[f1s.index(f1s.max())]
        print("best threshold:", best_t)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
