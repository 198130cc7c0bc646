"""Untargeted held-out Keras / TensorFlow failures (g146, scored 0.86 top-1 and 1.00 top-3 before any rule for it) of tf.keras users building multi-input and
multi-output image models: a photo plus tabular metadata (patient age, sensor readings read with the
``csv`` module), two heads (class + box regression, or class + severity), named ``keras.Input``s and
named output layers with dicts for ``loss``, ``loss_weights`` and ``metrics``, ``tf.data`` pipelines
yielding nested ``({"image", "meta"}, {"cls", "box"})`` structures, models saved and reloaded, and
predictions on new samples, spread over the cause ids of the taxonomy:

- files: ``metadata.csv`` rows whose photo was deleted as a duplicate, read in a nested ``tf.data`` map;
  a blank ``age`` cell in the metadata CSV (``float('')``);
- image sizes: a nested pipeline decoding field photos of several sizes, batched without a resize;
- channels: a new RGBA sample photo given to ``predict`` next to its metadata (notebook);
- boxes: pixel box coordinates from the CSV given to ``tf.image.sample_distorted_bounding_box`` as
  box-aware augmentation;
- labels: class ids 0, 1, 2, 4 with the class head sized ``len(set(labels))``;
- label shapes: integer class ids for a ``categorical_crossentropy`` entry of the loss dict (tf_keras);
- dtypes: float64 metadata from ``from_tensor_slices`` standardised in ``map`` with float32 constants;
- model inputs: a sensor column added to the inference CSV for a reloaded model; the dataset's input
  dict keyed ``metadata`` while the ``keras.Input`` is named ``meta``;
- model outputs: a one-unit severity head with a ``categorical_crossentropy`` on one-hot grades;
- weights: ``.weights.h5`` of the three-sensor model loaded into the four-sensor rebuild;
- API: a ``loss`` dict keyed ``class`` for an output layer named ``cls``; a ``.keras`` file with a
  custom box loss reloaded without ``custom_objects``;
- divergence: raw sensor units and pixel box targets with SGD under ``enable_check_numerics``;
- gradients: one non-persistent ``GradientTape`` asked for the gradients of both heads;
- host memory: a nearest-neighbour imputation of missing sensor values with a full pairwise distance
  matrix of the metadata rows;
- versions: ``model.save("export/severity_model")`` (the TF 2 SavedModel habit) under Keras 3;
  loading a TF 2.x SavedModel folder with ``keras.models.load_model`` under Keras 3;
- workers: a ``multiprocessing.Pool`` parsing CSV rows with a lambda;
- plain bugs: ``predict(...)[0]`` on a model whose outputs are a dict.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more63.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g146): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more63.py"

HEADER = ["image_id", "age", "temp", "humidity", "label", "severity", "xmin", "ymin", "xmax", "ymax"]


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _rows(r, n, labels=(0, 1, 2), pixel=False, size=32):
    rows = []
    for i in range(n):
        x1, y1 = float(r.uniform(0.05, 0.4)), float(r.uniform(0.05, 0.4))
        x2, y2 = x1 + float(r.uniform(0.2, 0.5)), y1 + float(r.uniform(0.2, 0.5))
        box = [x1, y1, x2, y2]
        if pixel:
            box = [int(v * 480) for v in box]          # annotated on the 640x480 originals
        else:
            box = [round(v, 4) for v in box]
        rows.append([f"img_{i:04d}", int(r.integers(18, 90)), round(float(r.normal(31, 3)), 2),
                     round(float(r.uniform(20, 90)), 1), int(labels[i % len(labels)]), int(r.integers(0, 4))] + box)
    return rows


def skin(d: Path, n=40, labels=(0, 1, 2), pixel=False, sizes=None, skip=(), blank_age=None, seed=6301):
    r = _rng(seed)
    rows = _rows(r, n, labels, pixel)
    if blank_age is not None:
        rows[blank_age][1] = ""
    for i, row in enumerate(rows):
        if i in skip:
            continue
        h, w = sizes[i % len(sizes)] if sizes else (32, 32)
        _jpg(d / "images" / f"{row[0]}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
    _csv(d / "metadata.csv", HEADER, rows)


def skin_missing(d):
    skin(d, skip=(17,))


def skin_sizes(d):
    skin(d, sizes=[(32, 32), (32, 32), (48, 40), (32, 32)])


def skin_pixel(d):
    skin(d, pixel=True)


def skin_gap(d):
    skin(d, labels=(0, 1, 2, 4))


def skin_blank(d):
    skin(d, blank_age=23)


def big_meta(d: Path):
    r = _rng(6302)
    rows = []
    for i in range(60000):
        hum = "" if i % 97 == 0 else round(float(r.uniform(20, 90)), 1)
        rows.append([f"img_{i:05d}", int(r.integers(18, 90)), round(float(r.normal(31, 3)), 2), hum,
                     round(float(r.normal(1013, 8)), 1)])
    _csv(d / "sensors.csv", ["image_id", "age", "temp", "humidity", "pressure"], rows)


def new_samples(d: Path):
    r = _rng(6303)
    _png(d / "new" / "lesion_a.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
    _png(d / "new" / "lesion_b.png", r.integers(0, 255, size=(32, 32, 4), dtype="uint8"))   # phone screenshot
    _csv(d / "new" / "meta.csv", ["image_id", "age", "temp", "humidity"],
         [["lesion_a", 54, 30.9, 41.0], ["lesion_b", 37, 32.2, 63.5]])


# the model most cases build: image branch + metadata branch, two named heads
MODEL = """
def build(n_meta=3, n_classes=3):
    image = keras.Input((32, 32, 3), name="image")
    meta = keras.Input((n_meta,), name="meta")
    x = layers.Rescaling(1.0 / 255)(image)
    x = layers.Conv2D(8, 3, activation="relu")(x)
    x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(16, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    m = layers.Dense(8, activation="relu")(meta)
    h = layers.Concatenate()([x, m])
    h = layers.Dense(16, activation="relu")(h)
    cls = layers.Dense(n_classes, activation="softmax", name="cls")(h)
    box = layers.Dense(4, activation="sigmoid", name="box")(h)
    return keras.Model({"image": image, "meta": meta}, {"cls": cls, "box": box}, name="lesion_net")
"""

READ = """
def read_meta(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    meta = np.array([[float(r["age"]), float(r["temp"]), float(r["humidity"])] for r in rows], "float32")
    labels = np.array([int(r["label"]) for r in rows])
    boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")
    return rows, meta, labels, boxes


def load_images(rows):
    return np.stack([np.asarray(Image.open(f"{DATA}/images/{r['image_id']}.jpg").convert("RGB"))
                     for r in rows]).astype("float32")
"""


def _ind(src, indent="        "):
    return "\n".join((indent + l) if l else l for l in src.strip("\n").splitlines()).lstrip()


def code(body):
    return body.replace("@@MODEL@@", _ind(MODEL)).replace("@@READ@@", _ind(READ))


IMPORTS = """
        import csv

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers
"""

COMPILE = """model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
            loss_weights={"cls": 1.0, "box": 5.0},
            metrics={"cls": ["accuracy"], "box": ["mae"]},
        )"""


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more63-metadata-csv-row-for-deleted-duplicate-photo-nested-tf-data-map-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=skin_missing,
        pty=True,
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        paths = [f"{DATA}/images/{r['image_id']}.jpg" for r in rows]


        def load(inputs, targets):
            img = tf.io.decode_jpeg(tf.io.read_file(inputs["image"]), channels=3)
            img = tf.image.resize(img, (32, 32))
            return {"image": img, "meta": inputs["meta"]}, targets


        ds = tf.data.Dataset.from_tensor_slices(({"image": paths, "meta": meta}, {"cls": labels, "box": boxes}))
        ds = ds.shuffle(64).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8).prefetch(2)

        model = build()
        """ + COMPILE + """
        model.fit(ds, epochs=3)
        """),
    ),
    Case(
        name="keras-more63-blank-age-cell-in-metadata-csv-float-empty-string-k3",
        cause="data.missing_or_corrupt",
        also=("data.dtype",),
        exception="ValueError",
        setup=skin_blank,
        expect="could not convert string to float",
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build()
        """ + COMPILE + """
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=3, batch_size=8)
        """),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more63-field-photos-several-sizes-nested-dataset-batched-without-resize-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=skin_sizes,
        pty=True,
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        mean, std = meta.mean(0), meta.std(0)
        paths = [f"{DATA}/images/{r['image_id']}.jpg" for r in rows]


        def load(path, m, y_cls, y_box):
            img = tf.cast(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), tf.float32)
            return {"image": img, "meta": (m - mean) / std}, {"cls": y_cls, "box": y_box}


        ds = (tf.data.Dataset.from_tensor_slices((paths, meta, labels, boxes))
              .map(load).shuffle(64).batch(8))

        model = build()
        """ + COMPILE + """
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more63-notebook-predict-new-lesion-rgba-screenshot-with-metadata-row-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="InvalidArgumentError",
        expect="Depth of input must be a multiple of depth of filter: 4 vs 3",
        **notebook([
            """
            import csv
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers
            """,
            _ind(MODEL, "") + "\n\nmodel = build()\nmodel.summary()",
            """
            with open("{DATA}/new/meta.csv") as f:
                new = list(csv.DictReader(f))
            new[0]
            """,
            """
            for r in new:
                img = np.asarray(Image.open(f"{DATA}/new/{r['image_id']}.png").resize((32, 32)), "float32")
                meta = np.array([[float(r["age"]), float(r["temp"]), float(r["humidity"])]], "float32")
                out = model.predict({"image": img[None], "meta": meta}, verbose=0)
                print(r["image_id"], out["cls"].argmax(-1), out["box"].round(3))
            """,
        ], data=new_samples),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more63-pixel-boxes-from-csv-into-sample-distorted-bounding-box-augment-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=skin_pixel,
        expect="must be in [0.0, 1.0]",
        code=code(IMPORTS + """
        @@MODEL@@


        with open("{DATA}/metadata.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{DATA}/images/{r['image_id']}.jpg" for r in rows]
        meta = np.array([[float(r["age"]), float(r["temp"]), float(r["humidity"])] for r in rows], "float32")
        labels = np.array([int(r["label"]) for r in rows])
        # ymin, xmin, ymax, xmax as tf.image wants them
        boxes = np.array([[float(r[k]) for k in ("ymin", "xmin", "ymax", "xmax")] for r in rows], "float32")


        def augment(inputs, targets):
            img = tf.io.decode_jpeg(tf.io.read_file(inputs["image"]), channels=3)
            begin, size, _ = tf.image.sample_distorted_bounding_box(
                tf.shape(img), bounding_boxes=targets["box"][None, None], min_object_covered=0.8,
                use_image_if_no_bounding_boxes=True)
            img = tf.image.resize(tf.slice(img, begin, size), (32, 32))
            return {"image": img, "meta": inputs["meta"]}, targets


        ds = (tf.data.Dataset.from_tensor_slices(({"image": paths, "meta": meta}, {"cls": labels, "box": boxes}))
              .map(augment).batch(8))
        model = build()
        """ + COMPILE + """
        model.fit(ds, epochs=2)
        """),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more63-class-ids-0-1-2-4-head-sized-len-set-labels-loss-dict-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=skin_gap,
        pty=True,
        expect="outside the valid range",
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        NUM_CLASSES = len(set(labels.tolist()))
        print("classes:", sorted(set(labels.tolist())), "->", NUM_CLASSES)

        model = build(n_classes=NUM_CLASSES)
        """ + COMPILE + """
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes},
                  validation_split=0.2, epochs=3, batch_size=8)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more63-integer-class-ids-categorical-crossentropy-in-loss-dict-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=skin,
        pty=True,
        code=tfk2(code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build()
        model.compile(
            optimizer="adam",
            loss={"cls": "categorical_crossentropy", "box": "mse"},
            loss_weights={"cls": 1.0, "box": 5.0},
            metrics={"cls": "accuracy"},
        )
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=3, batch_size=8)
        """)),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more63-float64-metadata-standardised-in-map-with-float32-constants-k3",
        cause="data.dtype",
        exception="TypeError",
        expect="does not match type float64",
        setup=skin,
        code=code(IMPORTS + """
        @@MODEL@@


        with open("{DATA}/metadata.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{DATA}/images/{r['image_id']}.jpg" for r in rows]
        meta = np.array([[float(r["age"]), float(r["temp"]), float(r["humidity"])] for r in rows])
        labels = np.array([int(r["label"]) for r in rows])
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")

        MEAN = tf.constant(meta.mean(0), tf.float32)
        STD = tf.constant(meta.std(0), tf.float32)


        def load(path, m, y_cls, y_box):
            img = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), (32, 32))
            return {"image": img, "meta": (m - MEAN) / STD}, {"cls": y_cls, "box": y_box}


        ds = tf.data.Dataset.from_tensor_slices((paths, meta, labels, boxes)).map(load).batch(8)
        model = build()
        """ + COMPILE + """
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more63-reloaded-model-inference-csv-gained-pressure-column-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=skin,
        pty=True,
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build()
        """ + COMPILE + """
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=2, batch_size=8)
        model.save("lesion_net.keras")

        # ---- predict.py: the clinic's new export has a pressure sensor as well
        model = keras.models.load_model("lesion_net.keras")
        new_meta = np.array([[54, 30.9, 41.0, 1011.2], [37, 32.2, 63.5, 1009.8]], "float32")
        new_images = images[:2]
        pred = model.predict({"image": new_images, "meta": new_meta})
        print(pred["cls"].argmax(-1))
        """),
    ),
    Case(
        name="keras-more63-dataset-input-dict-keyed-metadata-input-named-meta-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        setup=skin,
        expect="Missing data for input",
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)

        ds = (tf.data.Dataset.from_tensor_slices(({"image": images, "metadata": meta},
                                                  {"cls": labels, "box": boxes}))
              .shuffle(64).batch(8).prefetch(tf.data.AUTOTUNE))
        model = build()
        """ + COMPILE + """
        model.fit(ds, epochs=3)
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more63-one-unit-severity-head-categorical-crossentropy-one-hot-grades-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=skin,
        pty=True,
        code=code(IMPORTS + """
        @@READ@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        severity = keras.utils.to_categorical([int(r["severity"]) for r in rows], 4)

        image = keras.Input((32, 32, 3), name="image")
        meta_in = keras.Input((3,), name="meta")
        x = layers.Rescaling(1.0 / 255)(image)
        x = layers.Conv2D(8, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        h = layers.Concatenate()([x, layers.Dense(8, activation="relu")(meta_in)])
        cls = layers.Dense(3, activation="softmax", name="cls")(h)
        sev = layers.Dense(1, activation="sigmoid", name="severity")(h)     # grade 0..3
        model = keras.Model({"image": image, "meta": meta_in}, {"cls": cls, "severity": sev})
        model.compile("adam",
                      loss={"cls": "sparse_categorical_crossentropy", "severity": "categorical_crossentropy"},
                      loss_weights={"cls": 1.0, "severity": 0.5},
                      metrics={"cls": "accuracy", "severity": "accuracy"})
        model.fit({"image": images, "meta": meta}, {"cls": labels, "severity": severity}, epochs=3, batch_size=8)
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more63-three-sensor-weights-h5-into-four-sensor-rebuild-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=skin,
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build(n_meta=3)
        """ + COMPILE + """
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=1, batch_size=8, verbose=2)
        model.save_weights("lesion_net.weights.h5")

        # v2: pressure sensor added to the metadata branch, warm-started from v1
        model2 = build(n_meta=4)
        model2.load_weights("lesion_net.weights.h5")
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more63-loss-dict-keyed-class-output-layer-named-cls-k3",
        cause="model.api_misuse",
        exception="KeyError",
        setup=skin,
        pty=True,
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build()
        model.compile(
            optimizer="adam",
            loss={"class": "sparse_categorical_crossentropy", "box": keras.losses.Huber()},
            loss_weights={"class": 1.0, "box": 10.0},
            metrics={"class": "accuracy"},
        )
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=3, batch_size=8)
        """),
    ),
    Case(
        name="keras-more63-keras-file-custom-giou-box-loss-reloaded-without-custom-objects-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=skin,
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        def giou_loss(y_true, y_pred):
            x1 = tf.maximum(y_true[:, 0], y_pred[:, 0]); y1 = tf.maximum(y_true[:, 1], y_pred[:, 1])
            x2 = tf.minimum(y_true[:, 2], y_pred[:, 2]); y2 = tf.minimum(y_true[:, 3], y_pred[:, 3])
            inter = tf.maximum(x2 - x1, 0.0) * tf.maximum(y2 - y1, 0.0)
            area = lambda b: (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
            union = area(y_true) + area(y_pred) - inter + 1e-7
            return 1.0 - inter / union


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build()
        model.compile("adam", loss={"cls": "sparse_categorical_crossentropy", "box": giou_loss},
                      loss_weights={"cls": 1.0, "box": 2.0}, metrics={"cls": "accuracy"})
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=2, batch_size=8, verbose=2)
        model.save("lesion_giou.keras")
        print("saved")

        # ---- later, in serve.py
        model = keras.models.load_model("lesion_giou.keras")
        print(model.predict({"image": images[:1], "meta": meta[:1]}))
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more63-raw-sensor-units-pixel-box-targets-sgd-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=skin_pixel,
        pty=True,
        code=code(IMPORTS + """
        tf.debugging.enable_check_numerics()

        with open("{DATA}/metadata.csv") as f:
            rows = list(csv.DictReader(f))
        images = np.stack([np.asarray(Image.open(f"{DATA}/images/{r['image_id']}.jpg"))
                           for r in rows]).astype("float32")
        # raw readings: age in years, skin temperature, humidity in %
        meta = np.array([[float(r["age"]), float(r["temp"]), float(r["humidity"])] for r in rows], "float32")
        labels = np.array([int(r["label"]) for r in rows])
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")

        image = keras.Input((32, 32, 3), name="image")
        meta_in = keras.Input((3,), name="meta")
        x = layers.Conv2D(8, 3, activation="relu")(image)
        x = layers.GlobalAveragePooling2D()(x)
        h = layers.Concatenate()([x, meta_in])
        h = layers.Dense(32, activation="relu")(h)
        cls = layers.Dense(3, activation="softmax", name="cls")(h)
        box = layers.Dense(4, name="box")(h)          # pixels
        model = keras.Model({"image": image, "meta": meta_in}, {"cls": cls, "box": box})
        model.compile(keras.optimizers.SGD(0.01, momentum=0.9),
                      loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                      loss_weights={"cls": 1.0, "box": 1.0})
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=10, batch_size=8)
        """),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more63-custom-loop-one-tape-gradient-per-head-two-optimizers-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        setup=skin,
        expect="non-persistent",
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        ds = tf.data.Dataset.from_tensor_slices(({"image": images, "meta": meta},
                                                 {"cls": labels, "box": boxes})).batch(8)
        model = build()
        cls_loss = keras.losses.SparseCategoricalCrossentropy()
        box_loss = keras.losses.MeanSquaredError()
        opt_cls = keras.optimizers.Adam(1e-3)
        opt_box = keras.optimizers.Adam(1e-4)      # the box head learns slower

        for epoch in range(3):
            for x, y in ds:
                with tf.GradientTape() as tape:
                    out = model(x, training=True)
                    l_cls = cls_loss(y["cls"], out["cls"])
                    l_box = box_loss(y["box"], out["box"])
                g_cls = tape.gradient(l_cls, model.trainable_variables)
                g_box = tape.gradient(l_box, model.trainable_variables)
                opt_cls.apply_gradients([(g, v) for g, v in zip(g_cls, model.trainable_variables) if g is not None])
                opt_box.apply_gradients([(g, v) for g, v in zip(g_box, model.trainable_variables) if g is not None])
            print(f"epoch {epoch}: cls {float(l_cls):.4f} box {float(l_box):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more63-knn-impute-missing-humidity-full-pairwise-distance-matrix-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=big_meta,
        as_limit=8 * 1024**3,
        code="""
        import csv

        import numpy as np

        with open("{DATA}/sensors.csv") as f:
            rows = list(csv.DictReader(f))
        X = np.array([[float(r[k]) if r[k] else np.nan for k in ("age", "temp", "humidity", "pressure")]
                      for r in rows])
        print(X.shape, "rows,", int(np.isnan(X).sum()), "missing")

        # KNNImputer-style: fill each missing humidity from the 5 nearest rows (age, temp, pressure)
        F = X[:, [0, 1, 3]]
        F = (F - F.mean(0)) / F.std(0)
        D = np.sqrt(((F[:, None, :] - F[None, :, :]) ** 2).sum(-1))
        np.fill_diagonal(D, np.inf)
        miss = np.isnan(X[:, 2])
        D[:, miss] = np.inf
        nn = np.argsort(D[miss], axis=1)[:, :5]
        X[miss, 2] = X[nn, 2].mean(1)
        np.save("sensors_imputed.npy", X)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more63-model-save-savedmodel-folder-habit-under-keras3-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=skin,
        pty=True,
        expect="Invalid filepath extension",
        code=code(IMPORTS + """
        import os

        @@READ@@


        @@MODEL@@


        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build()
        """ + COMPILE + """
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=2, batch_size=8)
        os.makedirs("export", exist_ok=True)
        model.save("export/lesion_net")        # TF 2 SavedModel, for TF Serving
        """),
    ),
    Case(
        name="keras-more63-notebook-load-tf2-savedmodel-folder-with-keras3-load-model-k3",
        cause="env.version_incompat",
        exception="ValueError",
        **notebook([
            """
            import numpy as np
            import keras
            """,
            """
            model = keras.models.load_model("{DATA}/export/lesion_net")
            """,
            """
            out = model.predict({"image": np.zeros((1, 32, 32, 3), "float32"), "meta": np.array([[54, 30.9, 41.0]], "float32")})
            out
            """,
        ], data=lambda d: prep("tfk2", """
            import numpy as np
            import tf_keras as keras
            from tf_keras import layers
            image = keras.Input((32, 32, 3), name="image")
            meta = keras.Input((3,), name="meta")
            x = layers.GlobalAveragePooling2D()(layers.Conv2D(8, 3, activation="relu")(image))
            h = layers.Concatenate()([x, layers.Dense(8, activation="relu")(meta)])
            model = keras.Model({"image": image, "meta": meta},
                                {"cls": layers.Dense(3, activation="softmax", name="cls")(h),
                                 "box": layers.Dense(4, activation="sigmoid", name="box")(h)})
            model.save("export/lesion_net")
        """, d)),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more63-pool-map-lambda-parses-metadata-rows-k3",
        cause="env.multiprocessing",
        exception="PicklingError",
        setup=skin,
        code=code(IMPORTS + """
        from multiprocessing import Pool

        @@MODEL@@


        COLS = ("age", "temp", "humidity")

        if __name__ == "__main__":
            with open("{DATA}/metadata.csv") as f:
                rows = list(csv.DictReader(f))
            with Pool(4) as pool:
                meta = np.array(pool.map(lambda r: [float(r[c]) for c in COLS], rows), "float32")
                images = np.stack(pool.map(lambda r: np.asarray(Image.open(f"{DATA}/images/{r['image_id']}.jpg")), rows))
            labels = np.array([int(r["label"]) for r in rows])
            boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], "float32")
            model = build()
            """ + COMPILE.replace("\n        ", "\n            ") + """
            model.fit({"image": images.astype("float32"), "meta": meta}, {"cls": labels, "box": boxes}, epochs=2)
        """),
    ),
    # =================================================================== other
    Case(
        name="keras-more63-predict-dict-outputs-indexed-with-zero-k3",
        cause="other",
        exception="KeyError",
        setup=skin,
        pty=True,
        code=code(IMPORTS + """
        @@READ@@


        @@MODEL@@


        CLASSES = ["nevus", "melanoma", "keratosis"]
        rows, meta, labels, boxes = read_meta("{DATA}/metadata.csv")
        images = load_images(rows)
        model = build()
        """ + COMPILE + """
        model.fit({"image": images, "meta": meta}, {"cls": labels, "box": boxes}, epochs=2, batch_size=8)

        probs, pred_boxes = model.predict({"image": images[:4], "meta": meta[:4]})[0], None
        for p in probs:
            print(CLASSES[int(np.argmax(p))])
        """),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
