"""A twenty-second set of real Keras / TensorFlow failures from people training image
classifiers and detectors, on TF 2.12 / 2.15 (Keras 2) and TF 2.21 (Keras 3), in
variations the earlier generators leave out.

- model outputs the loss cannot use: a custom ``GradientTape`` loop on a backbone
  without pooling (``sparse_softmax_cross_entropy_with_logits`` rank check), a
  binary defect classifier with no pooling before its sigmoid unit, a siamese network
  that returns the embedding difference without the final sigmoid unit, an anchor
  head with box deltas + objectness given to ``decode_deltas_to_boxes``, a TFLite-
  friendly concatenated detector head compiled with a loss dict, a multi-label tagger
  with a one-logit head in a custom loop, an SSD head with 6 anchors per cell against
  targets made for 9, a box+objectness+class head split for box+class;
- bounding boxes: copy-paste augmentation with ``pad_to_bounding_box`` for a box past
  the bottom, ``tf.slice`` crops of pixel boxes scaled as if normalised, a random
  crop that keeps a box past the right border, YOLO edge boxes checked with
  ``assert_non_negative`` and given to ``sample_distorted_bounding_box``, ragged boxes
  from a 5-column export reshaped to 4, Keras 3 ``RandomFlip`` with a class column,
  an own ``assert`` in a Sequence, ``crop_and_resize`` with a class column;
- Keras 2 / TF 1 habits on newer versions: ``regularizers.l2(l=...)``, Mask R-CNN's
  ``keras.engine``, ``_make_predict_function``, ``history['acc']``, Grad-CAM with
  ``K.gradients``, ``Dimension.value`` in a custom layer, ``model_to_estimator`` on
  TF 2.21, Keras 1 ``merge``, ``constraints.maxnorm``;
- divergence caught by the user's own guards: a NaN-guard callback, an
  ``assert_less`` on the loss, ``np.seterr(all="raise")`` in an evaluation softmax,
  strict JSON metrics, a gradient finiteness check in ``train_step``, an LR range
  test started too high;
- plain bugs in the training code itself: an LR list one epoch short, a typo inside a
  custom loss, an ``UnboundLocalError`` in a custom loop, a recursive property, a
  precision callback dividing by zero, unpacking three values from a two-element
  dataset, ``%`` formatting of the ``logs`` dict, ``os.makedirs`` of an existing
  run folder in a notebook.

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more22.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, rgb, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def birds(d: Path):
    make_images(d / "birds", ["finch", "robin", "sparrow", "wren"], per_class=6, size=(64, 64), fmt="jpeg")


def defects(d: Path):
    make_images(d / "defects", ["good", "scratch"], per_class=8, size=(48, 48))


def signatures(d: Path):
    make_images(d / "signatures", ["writer_a", "writer_b", "writer_c"], per_class=6, size=(48, 48))


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=8, size=(32, 32), fmt="jpeg")


def parts(d: Path):
    make_images(d / "parts", ["ok", "crack"], per_class=10, size=(32, 32))


def holiday_tags(d: Path):
    import json
    tags = ["beach", "people", "sunset", "boat", "dog"]
    ann = {}
    for i in range(16):
        name = f"IMG_{i:04d}.png"
        save_png(d / "holiday" / name, rgb(48, 48, seed=i))
        ann[name] = [t for k, t in enumerate(tags) if (i + k) % 3 == 0]
    (d / "holiday" / "tags.json").write_text(json.dumps(ann, indent=1))


def box_scenes(folder: str, boxes, size=64):
    """PNG scenes + boxes.csv (file,x1,y1,x2,y2,label); boxes: list of (x1,y1,x2,y2,label)."""
    def setup(d: Path):
        root = d / folder
        lines = ["file,x1,y1,x2,y2,label"]
        for i, (x1, y1, x2, y2, lab) in enumerate(boxes):
            name = f"img_{i:03d}.png"
            save_png(root / name, rgb(size, size, seed=100 + i))
            lines.append(f"{name},{x1},{y1},{x2},{y2},{lab}")
        (root / "boxes.csv").write_text("\n".join(lines) + "\n")
    return setup


def yolo_set(folder: str, rows_per_image, size=64):
    """images/*.png + labels/*.txt (class cx cy w h, normalised)."""
    def setup(d: Path):
        root = d / folder
        (root / "labels").mkdir(parents=True, exist_ok=True)
        for i, rows in enumerate(rows_per_image):
            save_png(root / "images" / f"{i:04d}.png", rgb(size, size, seed=200 + i))
            (root / "labels" / f"{i:04d}.txt").write_text(
                "".join(" ".join(str(v) for v in r) + "\n" for r in rows))
    return setup


GOOD_YOLO = [
    [(0, 0.50, 0.50, 0.30, 0.40)],
    [(1, 0.30, 0.60, 0.20, 0.20), (0, 0.70, 0.30, 0.25, 0.30)],
    [(1, 0.45, 0.40, 0.35, 0.30)],
    [(0, 0.60, 0.55, 0.20, 0.35)],
    [(1, 0.35, 0.35, 0.30, 0.25)],
    [(0, 0.55, 0.65, 0.40, 0.30)],
    [(1, 0.50, 0.50, 0.50, 0.50)],
    [(0, 0.40, 0.45, 0.25, 0.30)],
]


def tools_boxes(d: Path):
    """Workshop photos, one tool each: class + pixel box."""
    import random
    r = random.Random(4)
    classes = ["hammer", "pliers", "wrench"]
    lines = ["file,label,x1,y1,x2,y2"]
    for i in range(16):
        name = f"tool_{i:03d}.png"
        save_png(d / "tools" / name, rgb(64, 64, seed=300 + i))
        x1, y1 = r.randint(2, 30), r.randint(2, 30)
        lines.append(f"{name},{classes[i % 3]},{x1},{y1},{x1 + r.randint(10, 30)},{y1 + r.randint(10, 30)}")
    (d / "tools" / "boxes.csv").write_text("\n".join(lines) + "\n")


def storefront_logos(d: Path):
    """Background scenes, logo sprites and the layout file of a synthetic data set."""
    for i in range(6):
        save_png(d / "synth" / "backgrounds" / f"bg_{i}.png", rgb(64, 64, seed=400 + i))
    for name in ("acme", "globex", "initech"):
        save_png(d / "synth" / "logos" / f"{name}.png", rgb(20, 20, seed=hash(name) % 97))
    rows = ["background,logo,x1,y1,x2,y2",
            "bg_0.png,acme,10,12,30,28",
            "bg_1.png,globex,30,5,52,25",
            "bg_2.png,initech,4,30,26,50",
            "bg_3.png,acme,40,40,60,58",
            "bg_4.png,globex,20,50,42,70",     # drawn on the 64x86 preview of the storefront
            "bg_5.png,initech,8,8,24,24"]
    (d / "synth" / "layout.csv").write_text("\n".join(rows) + "\n")


def vial_crops(d: Path):
    """Lab photos with vial boxes already in pixels (the export says 'xyxy')."""
    lines = ["file,x1,y1,x2,y2,label"]
    for i in range(12):
        name = f"rack_{i:02d}.png"
        save_png(d / "vials" / name, rgb(64, 64, seed=500 + i))
        x1, y1 = 4 + i, 6 + i
        lines.append(f"{name},{x1},{y1},{x1 + 20},{y1 + 30},{i % 2}")
    (d / "vials" / "boxes.csv").write_text("\n".join(lines) + "\n")


def ragged_export(d: Path):
    """Annotation export: one row per box (class, x1, y1, x2, y2), counts per image."""
    import json
    import numpy as np
    rng = np.random.default_rng(6)
    counts = [1, 2, 1, 3, 1]
    rows = []
    for i, c in enumerate(counts):
        save_png(d / "dets" / f"frame_{i:03d}.png", rgb(64, 64, seed=600 + i))
        for _ in range(c):
            x1, y1 = rng.uniform(0, 0.5, 2)
            rows.append([rng.integers(0, 3), x1, y1, x1 + 0.3, y1 + 0.3])
    np.save(d / "dets" / "boxes.npy", np.array(rows, np.float32))
    (d / "dets" / "meta.json").write_text(json.dumps({"files": [f"frame_{i:03d}.png" for i in range(len(counts))],
                                                       "counts": counts}))


def corner_labels(d: Path):
    """x1 y1 x2 y2 class rows (pixels) written by the team's own labelling script."""
    import numpy as np
    rng = np.random.default_rng(7)
    for i in range(8):
        save_png(d / "drone" / "images" / f"{i:03d}.png", rgb(64, 64, seed=700 + i))
        rows = []
        for _ in range(1 + i % 3):
            x1, y1 = rng.integers(0, 40, 2)
            rows.append(f"{x1} {y1} {x1 + 20} {y1 + 16} {rng.integers(0, 4)}")
        (d / "drone" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "drone" / "labels" / f"{i:03d}.txt").write_text("\n".join(rows) + "\n")


def tfod_csv(d: Path):
    """TF OD API style CSV: normalised ymin, xmin, ymax, xmax plus class id."""
    lines = ["filename,ymin,xmin,ymax,xmax,class_id"]
    for i in range(6):
        name = f"shelf_{i:02d}.png"
        save_png(d / "shelf" / name, rgb(64, 64, seed=800 + i))
        for k in range(2):
            y = 0.1 + 0.1 * k
            lines.append(f"{name},{y:.2f},{0.2 + 0.05 * i:.2f},{y + 0.4:.2f},{0.5 + 0.05 * i:.2f},{(i + k) % 3}")
    (d / "shelf" / "boxes.csv").write_text("\n".join(lines) + "\n")


def counts_regression(d: Path):
    import numpy as np
    rng = np.random.default_rng(9)
    for i in range(24):
        save_png(d / "crowd" / f"frame_{i:03d}.png", rgb(32, 32, seed=900 + i))
    (d / "crowd" / "counts.txt").write_text("\n".join(str(int(c)) for c in rng.integers(20, 400, 24)) + "\n")


def imbalanced(d: Path):
    make_images(d / "xray" / "normal", [""], per_class=18, size=(32, 32))
    make_images(d / "xray" / "pneumonia", [""], per_class=2, size=(32, 32), seed=3)


CASES = [
    # ============================================================ model outputs
    Case(
        name="keras-more22-custom-loop-backbone-no-pooling-sparse-xent-rank-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=birds,
        expect="logits.shape.rank - 1",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(64, 64),
                                                            batch_size=8, seed=1)
        class_names = train_ds.class_names

        backbone = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False,
                                                  weights=None, alpha=0.35)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 127.5, offset=-1),
            backbone,
            layers.Dropout(0.2),
            layers.Dense(len(class_names)),
        ])
        optimizer = keras.optimizers.Adam(1e-3)

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                logits = model(images, training=True)
                loss = tf.reduce_mean(
                    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(3):
            for images, labels in train_ds:
                loss = train_step(images, labels)
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more22-defect-sigmoid-unit-on-feature-map-no-pooling-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=defects,
        pty=True,
        expect="must have the same rank",
        code="""
        import keras
        from keras import layers

        IMG = (48, 48)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/defects", image_size=IMG, batch_size=8, label_mode="binary", seed=3)

        model = keras.Sequential([
            keras.Input(IMG + (3,)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Dropout(0.3),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.summary()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more22-siamese-distance-output-without-sigmoid-unit-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=signatures,
        expect="must have the same shape",
        code="""
        import glob
        import os
        import random
        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/signatures/*/*.png"))
        writer = lambda f: os.path.basename(os.path.dirname(f))
        load = lambda f: keras.utils.img_to_array(keras.utils.load_img(f, target_size=(48, 48)))

        rng = random.Random(0)
        xa, xb, y = [], [], []
        for _ in range(48):
            a = rng.choice(files)
            same = rng.random() < 0.5
            b = rng.choice([f for f in files if f != a and (writer(f) == writer(a)) == same])
            xa.append(load(a)); xb.append(load(b)); y.append(float(same))
        xa, xb, y = np.stack(xa), np.stack(xb), np.array(y, "float32")[:, None]

        encoder = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64),
        ], name="encoder")

        in_a, in_b = keras.Input((48, 48, 3), name="left"), keras.Input((48, 48, 3), name="right")
        distance = layers.Lambda(lambda t: keras.ops.abs(t[0] - t[1]), name="l1_distance")(
            [encoder(in_a), encoder(in_b)])
        siamese = keras.Model([in_a, in_b], distance)
        siamese.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        siamese.fit([xa, xb], y, batch_size=8, epochs=5, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more22-anchor-head-objectness-into-decode-deltas-k3",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        framework="keras",
        setup=box_scenes("street", [(5, 5, 30, 40, "car")] * 3),
        expect="Incompatible shapes",
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers
        from keras.utils import bounding_boxes

        IMG, GRID, SIZES = 64, 8, (12, 24, 36)

        def make_anchors():
            centres = (np.arange(GRID) + 0.5) * IMG / GRID
            out = []
            for cy in centres:
                for cx in centres:
                    for s in SIZES:
                        out.append([cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2])
            return np.array(out, "float32")

        anchors = make_anchors()

        def build_detector():
            inputs = keras.Input((IMG, IMG, 3))
            h = layers.Rescaling(1 / 255)(inputs)
            h = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(h)
            h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
            h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
            head = layers.Conv2D(len(SIZES) * 5, 1, name="head")(h)     # 4 box deltas + objectness
            return keras.Model(inputs, layers.Reshape((-1, 5), name="per_anchor")(head))

        detector = build_detector()
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(IMG, IMG)))
                           for p in sorted(glob.glob("{DATA}/street/*.png"))])
        raw = detector.predict(photos)
        print("raw predictions", raw.shape, "anchors", anchors.shape)

        boxes = bounding_boxes.decode_deltas_to_boxes(
            anchors=anchors, boxes_delta=raw, anchor_format="xyxy", box_format="xyxy",
            variance=[0.1, 0.1, 0.2, 0.2])
        print(boxes.shape)
        """,
    ),
    Case(
        name="keras-more22-concatenated-tflite-head-loss-dict-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=tools_boxes,
        expect="do not correspond to any Model output",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["hammer", "pliers", "wrench"]
        rows = list(csv.DictReader(open("{DATA}/tools/boxes.csv")))
        x = np.stack([np.asarray(Image.open("{DATA}/tools/" + r["file"]), np.float32) / 255.0 for r in rows])
        cls = np.array([CLASSES.index(r["label"]) for r in rows])
        box = np.array([[float(r[k]) / 64.0 for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)

        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, activation="relu")(inputs)
        h = tf.keras.layers.MaxPooling2D()(h)
        h = tf.keras.layers.Conv2D(32, 3, activation="relu")(h)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        cls_out = tf.keras.layers.Dense(len(CLASSES), activation="softmax", name="cls")(h)
        box_out = tf.keras.layers.Dense(4, activation="sigmoid", name="box")(h)
        # one output tensor, so that the TFLite model on the phone has a single output
        outputs = tf.keras.layers.Concatenate(name="predictions")([cls_out, box_out])
        model = tf.keras.Model(inputs, outputs)

        model.compile(optimizer="adam",
                      loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
                      loss_weights={"cls": 1.0, "box": 5.0})
        model.fit(x, {"cls": cls, "box": box}, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more22-multilabel-tagger-one-logit-head-custom-loop-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=holiday_tags,
        expect="must have the same shape",
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        TAGS = ["beach", "people", "sunset", "boat", "dog"]
        ann = json.load(open("{DATA}/holiday/tags.json"))
        names = sorted(ann)
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f"{DATA}/holiday/{n}")) for n in names])
        y = np.array([[float(t in ann[n]) for t in TAGS] for n in names], np.float32)

        # backbone + head from the cats-vs-dogs notebook
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ])
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(3):
            for i in range(0, len(x), 8):
                xb, yb = x[i:i + 8], y[i:i + 8]
                with tf.GradientTape() as tape:
                    logits = model(xb, training=True)
                    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=yb, logits=logits))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more22-ssd-head-six-anchors-targets-for-nine-huber-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=box_scenes("parcels", [(4 + i, 6, 30 + i, 40, "box") for i in range(8)]),
        expect="Dimensions must be equal",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers

        IMG, GRID = 64, 8
        SCALES, RATIOS = (12, 24, 40), (0.5, 1.0, 2.0)
        ANCHORS_PER_CELL = 6            # from the SSD-lite config we started from

        def make_anchors():
            out = []
            centres = (np.arange(GRID) + 0.5) * IMG / GRID
            for cy in centres:
                for cx in centres:
                    for s in SCALES:
                        for r in RATIOS:
                            w, h = s * np.sqrt(r), s / np.sqrt(r)
                            out.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
            return np.array(out, np.float32)

        def iou(box, anchors):
            x1 = np.maximum(box[0], anchors[:, 0]); y1 = np.maximum(box[1], anchors[:, 1])
            x2 = np.minimum(box[2], anchors[:, 2]); y2 = np.minimum(box[3], anchors[:, 3])
            inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
            area = lambda b: (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
            return inter / (area(box) + area(anchors) - inter)

        def encode(box, anchors):
            target = np.zeros_like(anchors)
            pos = iou(box, anchors) > 0.4
            aw, ah = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
            target[pos, 0] = ((box[0] + box[2]) / 2 - (anchors[pos, 0] + anchors[pos, 2]) / 2) / aw[pos]
            target[pos, 1] = ((box[1] + box[3]) / 2 - (anchors[pos, 1] + anchors[pos, 3]) / 2) / ah[pos]
            target[pos, 2] = np.log((box[2] - box[0]) / aw[pos])
            target[pos, 3] = np.log((box[3] - box[1]) / ah[pos])
            return target

        anchors = make_anchors()
        rows = list(csv.DictReader(open("{DATA}/parcels/boxes.csv")))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/parcels/" + r["file"])) / 255.0
                      for r in rows])
        y = np.stack([encode(np.array([float(r[k]) for k in ("x1", "y1", "x2", "y2")]), anchors) for r in rows])
        print("box targets", y.shape)

        inputs = keras.Input((IMG, IMG, 3))
        h = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(h)
        deltas = layers.Conv2D(ANCHORS_PER_CELL * 4, 3, padding="same", name="box_head")(h)
        model = keras.Model(inputs, layers.Reshape((-1, 4), name="box_deltas")(deltas))
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.Huber())
        model.fit(x, y, batch_size=4, epochs=3)
        """,
    ),
    Case(
        name="keras-more22-yolo-style-head-objectness-loss-splits-box-class-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=tools_boxes,
        expect="split",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["hammer", "pliers", "wrench"]
        NUM_CLASSES = len(CLASSES)
        rows = list(csv.DictReader(open("{DATA}/tools/boxes.csv")))
        x = np.stack([np.asarray(Image.open("{DATA}/tools/" + r["file"]), np.float32) / 255.0 for r in rows])
        boxes = np.array([[float(r[k]) / 64.0 for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)
        onehot = tf.keras.utils.to_categorical([CLASSES.index(r["label"]) for r in rows], NUM_CLASSES)
        y = np.concatenate([boxes, onehot], axis=1)          # (N, 4 + classes)

        def localisation_loss(y_true, y_pred):
            true_box, true_cls = tf.split(y_true, [4, NUM_CLASSES], axis=-1)
            pred_box, pred_cls = tf.split(y_pred, [4, NUM_CLASSES], axis=-1)
            box_loss = tf.reduce_mean(tf.abs(true_box - pred_box), axis=-1)
            cls_loss = tf.keras.losses.categorical_crossentropy(true_cls, pred_cls, from_logits=True)
            return box_loss + cls_loss

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(5 + NUM_CLASSES, name="yolo_head"),    # x1 y1 x2 y2 obj + classes
        ])
        model.compile(optimizer="adam", loss=localisation_loss)
        model.fit(x, y, batch_size=4, epochs=5)
        """,
    ),
    # ============================================================ bounding boxes
    Case(
        name="keras-more22-copy-paste-logo-pad-to-bounding-box-past-bottom-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        framework="tensorflow",
        setup=storefront_logos,
        expect="must be <= target - offset",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/synth"
        H = W = 64
        LOGOS = ["acme", "globex", "initech"]

        def load(path):
            return tf.convert_to_tensor(np.asarray(Image.open(path)), tf.float32) / 255.0

        images, boxes, labels = [], [], []
        for r in csv.DictReader(open(f"{ROOT}/layout.csv")):
            x1, y1, x2, y2 = (int(r[k]) for k in ("x1", "y1", "x2", "y2"))
            background = load(f"{ROOT}/backgrounds/{r['background']}")
            logo = tf.image.resize(load(f"{ROOT}/logos/{r['logo']}.png"), (y2 - y1, x2 - x1))
            # paste the logo into the scene at its box (copy-paste augmentation)
            layer = tf.image.pad_to_bounding_box(logo, y1, x1, H, W)
            mask = tf.image.pad_to_bounding_box(tf.ones_like(logo), y1, x1, H, W)
            images.append(background * (1 - mask) + layer)
            boxes.append([x1 / W, y1 / H, x2 / W, y2 / H])
            labels.append(LOGOS.index(r["logo"]))
        print("synthetic images:", len(images))

        inputs = keras.Input((H, W, 3))
        h = layers.Conv2D(16, 3, activation="relu")(inputs)
        h = layers.GlobalAveragePooling2D()(h)
        model = keras.Model(inputs, [layers.Dense(3, activation="softmax")(h), layers.Dense(4, activation="sigmoid")(h)])
        model.compile("adam", ["sparse_categorical_crossentropy", "mse"])
        model.fit(tf.stack(images), (np.array(labels), np.array(boxes)), epochs=3)
        """,
    ),
    Case(
        name="keras-more22-vial-crops-pixel-boxes-scaled-again-tf-slice-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=vial_crops,
        expect="Expected",
        code="""
        import csv
        import tensorflow as tf

        ROOT = "{DATA}/vials"
        rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))
        files = [f"{ROOT}/{r['file']}" for r in rows]
        boxes = [[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows]
        labels = [int(r["label"]) for r in rows]

        def crop_vial(path, box, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            h, w = tf.shape(img)[0], tf.shape(img)[1]
            # boxes are normalised in the export (scale them to this image)
            b = tf.cast(box * tf.cast(tf.stack([w, h, w, h]), tf.float32), tf.int32)
            patch = tf.slice(img, [b[1], b[0], 0], [b[3] - b[1], b[2] - b[0], 3])
            return tf.image.resize(patch, (48, 32)) / 255.0, label

        ds = tf.data.Dataset.from_tensor_slices((files, boxes, labels)).map(crop_vial).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more22-pydataset-random-crop-keeps-box-past-right-border-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=box_scenes("birds_boxes", [(10, 12, 40, 44, "gull"), (20, 5, 50, 30, "tern"),
                                         (30, 20, 58, 50, "gull"), (22, 30, 90, 60, "tern"),
                                         (5, 5, 35, 35, "gull"), (14, 18, 44, 48, "tern"),
                                         (8, 26, 38, 56, "gull"), (25, 10, 55, 40, "tern")]),
        expect="low >= high",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/birds_boxes"
        SPECIES = ["gull", "tern"]
        CROP = 40

        class BirdCrops(keras.utils.PyDataset):
            \"\"\"Random 40x40 windows that always contain the whole bird.\"\"\"

            def __init__(self, rows, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.rows, self.batch_size = rows, batch_size
                self.rng = np.random.default_rng(0)

            def __len__(self):
                return len(self.rows) // self.batch_size

            def __getitem__(self, idx):
                xs, ys = [], []
                for r in self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    img = np.asarray(Image.open(f"{ROOT}/{r['file']}"), np.float32) / 255.0
                    H, W = img.shape[:2]
                    x1, y1, x2, y2 = (int(r[k]) for k in ("x1", "y1", "x2", "y2"))
                    ox = self.rng.integers(max(0, x2 - CROP), min(x1, W - CROP) + 1)
                    oy = self.rng.integers(max(0, y2 - CROP), min(y1, H - CROP) + 1)
                    xs.append(img[oy:oy + CROP, ox:ox + CROP])
                    ys.append(SPECIES.index(r["label"]))
                return np.stack(xs), np.array(ys)

        rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))
        model = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(BirdCrops(rows), epochs=3)
        """,
    ),
    Case(
        name="keras-more22-yolo-edge-boxes-assert-non-negative-map-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        framework="tensorflow",
        setup=yolo_set("kayaks", GOOD_YOLO[:3] + [[(0, 0.03, 0.50, 0.12, 0.30)]] + GOOD_YOLO[4:]),
        expect="Condition x >= 0 did not hold",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/kayaks"
        images = sorted(tf.io.gfile.glob(f"{ROOT}/images/*.png"))
        labels = [p.replace("/images/", "/labels/").replace(".png", ".txt") for p in images]

        def parse(image_path, label_path):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(image_path), channels=3), tf.float32) / 255.0
            img.set_shape((64, 64, 3))
            lines = tf.strings.split(tf.strings.strip(tf.io.read_file(label_path)), "\\n")
            rows = tf.reshape(tf.strings.to_number(tf.strings.split(lines)).to_tensor(), [-1, 5])
            cls, cx, cy, w, h = tf.unstack(rows, axis=-1)
            boxes = tf.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)
            tf.debugging.assert_non_negative(boxes, message="box corner < 0")
            tf.debugging.assert_less_equal(boxes, 1.0, message="box corner > 1")
            return img, boxes[0]                      # one kayak per photo for the localiser

        ds = tf.data.Dataset.from_tensor_slices((images, labels)).map(parse).batch(4)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile("adam", "mse")
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more22-ragged-boxes-five-column-export-reshaped-four-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        framework="tensorflow",
        setup=ragged_export,
        expect="RaggedTensor",
        code="""
        import json
        import numpy as np
        import tensorflow as tf

        ROOT = "{DATA}/dets"
        meta = json.load(open(f"{ROOT}/meta.json"))
        flat = np.load(f"{ROOT}/boxes.npy").reshape(-1, 4)        # x1, y1, x2, y2 per box
        boxes = tf.RaggedTensor.from_row_lengths(flat, meta["counts"])
        print("boxes per image:", boxes.row_lengths().numpy())

        images = [tf.io.decode_png(tf.io.read_file(f"{ROOT}/{f}"), channels=3) for f in meta["files"]]
        ds = tf.data.Dataset.from_tensor_slices((tf.stack(images), boxes.to_tensor(-1.0)))
        for img, b in ds.batch(2).take(1):
            print(img.shape, b.shape)
        """,
    ),
    Case(
        name="keras-more22-randomflip-bounding-boxes-class-column-map-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=corner_labels,
        expect="last dimension of 4",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/drone"
        MAX_BOXES = 4
        files = sorted(glob.glob(f"{ROOT}/images/*.png"))
        boxes, classes = [], []
        for f in files:
            rows = np.loadtxt(f.replace("images", "labels").replace(".png", ".txt"), ndmin=2, dtype=np.float32)
            pad = np.full((MAX_BOXES - len(rows), rows.shape[1]), -1, np.float32)
            boxes.append(np.concatenate([rows, pad]))              # x1 y1 x2 y2 class
            classes.append(np.concatenate([rows[:, 4], -np.ones(MAX_BOXES - len(rows), np.float32)]))

        flip = layers.RandomFlip("horizontal", bounding_box_format="xyxy", seed=1)

        def load(path, b, c):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            out = flip({"images": img, "bounding_boxes": {"boxes": b, "labels": c}})
            return out["images"], out["bounding_boxes"]

        ds = tf.data.Dataset.from_tensor_slices((files, np.stack(boxes), np.stack(classes)))
        ds = ds.map(load).batch(4)
        for images, targets in ds.take(1):
            print(images.shape, targets["boxes"].shape)
        """,
    ),
    Case(
        name="keras-more22-sample-distorted-bbox-yolo-box-over-left-edge-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        framework="tensorflow",
        setup=yolo_set("forklifts", GOOD_YOLO[:5] + [[(1, 0.06, 0.40, 0.20, 0.30)]] + GOOD_YOLO[6:]),
        expect="must be in [0.0, 1.0]",
        code="""
        import tensorflow as tf

        ROOT = "{DATA}/forklifts"
        images = sorted(tf.io.gfile.glob(f"{ROOT}/images/*.png"))
        labels = [p.replace("/images/", "/labels/").replace(".png", ".txt") for p in images]

        def crop_around_objects(image_path, label_path):
            img = tf.io.decode_png(tf.io.read_file(image_path), channels=3)
            lines = tf.strings.split(tf.strings.strip(tf.io.read_file(label_path)), "\\n")
            rows = tf.reshape(tf.strings.to_number(tf.strings.split(lines)).to_tensor(), [-1, 5])
            cls, cx, cy, w, h = tf.unstack(rows, axis=-1)
            boxes = tf.stack([cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2], axis=-1)   # ymin xmin ymax xmax
            begin, size, _ = tf.image.sample_distorted_bounding_box(
                tf.shape(img), bounding_boxes=boxes[None], min_object_covered=0.6,
                area_range=(0.3, 1.0), use_image_if_no_bounding_boxes=True)
            crop = tf.image.resize(tf.slice(img, begin, size), (48, 48)) / 255.0
            return crop, tf.cast(cls[0], tf.int32)

        ds = tf.data.Dataset.from_tensor_slices((images, labels)).map(crop_around_objects).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more22-sequence-own-assert-box-xmax-before-xmin-tf212",
        cause="data.bbox_invalid",
        exception="UnknownError",       # the AssertionError is raised inside the generator's PyFunc
        env="tf212",
        setup=box_scenes("meters", [(10, 10, 40, 40, "dial"), (12, 8, 44, 36, "dial"),
                                    (6, 14, 30, 50, "digital"), (20, 20, 50, 52, "dial"),
                                    (8, 8, 38, 30, "digital"), (14, 16, 48, 46, "dial"),
                                    (46, 12, 18, 40, "digital"), (10, 30, 40, 60, "dial")]),
        expect="xmax <= xmin",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/meters"

        class MeterBoxes(tf.keras.utils.Sequence):
            def __init__(self, rows, batch_size=4):
                self.rows, self.batch_size = rows, batch_size

            def __len__(self):
                return len(self.rows) // self.batch_size

            def __getitem__(self, idx):
                xs, ys = [], []
                for r in self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    img = np.asarray(Image.open(f"{ROOT}/{r['file']}"), np.float32) / 255.0
                    x1, y1, x2, y2 = (float(r[k]) for k in ("x1", "y1", "x2", "y2"))
                    assert x2 > x1, f"{r['file']}: xmax <= xmin ({x1}, {y1}, {x2}, {y2})"
                    assert y2 > y1, f"{r['file']}: ymax <= ymin ({x1}, {y1}, {x2}, {y2})"
                    xs.append(img)
                    ys.append([x1 / 64, y1 / 64, x2 / 64, y2 / 64])
                return np.stack(xs), np.array(ys, np.float32)

        rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        model.compile("adam", "mse")
        model.fit(MeterBoxes(rows), epochs=3)
        """,
    ),
    Case(
        name="keras-more22-roi-crop-and-resize-class-id-column-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        framework="tensorflow",
        setup=tfod_csv,
        expect="boxes must have 4 columns",
        code="""
        import csv
        from collections import defaultdict
        import numpy as np
        import tensorflow as tf

        ROOT = "{DATA}/shelf"
        per_image = defaultdict(list)
        for r in csv.DictReader(open(f"{ROOT}/boxes.csv")):
            per_image[r["filename"]].append([float(r[k]) for k in ("ymin", "xmin", "ymax", "xmax", "class_id")])

        files = sorted(per_image)
        images = tf.stack([tf.cast(tf.io.decode_png(tf.io.read_file(f"{ROOT}/{f}"), channels=3), tf.float32)
                           for f in files]) / 255.0
        rois = np.concatenate([np.array(per_image[f], np.float32) for f in files])
        box_indices = np.concatenate([[i] * len(per_image[f]) for i, f in enumerate(files)]).astype(np.int32)
        labels = rois[:, -1].astype(np.int32)

        # product crops for the shelf classifier
        crops = tf.image.crop_and_resize(images, rois, box_indices, crop_size=(32, 32))
        print("crops", crops.shape, "labels", labels.shape)
        """,
    ),
    # ============================================================ versions
    Case(
        name="keras-more22-resnet-block-regularizers-l2-l-keyword-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=flowers,
        expect="unexpected keyword argument 'l'",
        code="""
        import keras
        from keras import layers, regularizers

        WEIGHT_DECAY = 5e-4

        def conv_bn(x, filters, strides=1):
            x = layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False,
                              kernel_initializer="he_normal",
                              kernel_regularizer=regularizers.l2(l=WEIGHT_DECAY))(x)
            x = layers.BatchNormalization()(x)
            return layers.Activation("relu")(x)

        def residual_block(x, filters, strides=1):
            shortcut = x
            y = conv_bn(x, filters, strides)
            y = conv_bn(y, filters)
            if strides != 1 or shortcut.shape[-1] != filters:
                shortcut = layers.Conv2D(filters, 1, strides=strides)(shortcut)
            return layers.Add()([shortcut, y])

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8)
        inputs = keras.Input((32, 32, 3))
        x = layers.Rescaling(1 / 255)(inputs)
        x = conv_bn(x, 16)
        x = residual_block(x, 16)
        x = residual_block(x, 32, strides=2)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, layers.Dense(3, activation="softmax")(x))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more22-mask-rcnn-model-py-import-keras-engine-tf215",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        env="tf215",
        script="mrcnn_model.py",
        expect="keras.engine",
        code="""
        \"\"\"
        Mask R-CNN
        The main Mask R-CNN model implementation.
        \"\"\"
        import os
        import random
        import datetime
        import re
        import math
        import logging
        from collections import OrderedDict
        import multiprocessing
        import numpy as np
        import tensorflow as tf
        import keras
        import keras.backend as K
        import keras.layers as KL
        import keras.engine as KE
        import keras.models as KM


        class BatchNorm(KL.BatchNormalization):
            def call(self, inputs, training=None):
                return super(self.__class__, self).call(inputs, training=training)


        class ProposalLayer(KE.Layer):
            def __init__(self, proposal_count, nms_threshold, config=None, **kwargs):
                super(ProposalLayer, self).__init__(**kwargs)
                self.config = config
                self.proposal_count = proposal_count
                self.nms_threshold = nms_threshold
        """,
    ),
    Case(
        name="keras-more22-serving-make-predict-function-after-load-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        setup=parts,
        expect="_make_predict_function",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.models import load_model

        # nightly job: train and save
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/parts", image_size=(32, 32), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255, input_shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1)
        model.save("parts_classifier.h5")

        # inspection service (the Flask app loads the model once at start-up)
        model = load_model("parts_classifier.h5")
        model._make_predict_function()          # needed so that predict works from the request threads
        print(model.predict(np.zeros((1, 32, 32, 3), np.float32)))
        """,
    ),
    Case(
        name="keras-more22-nb-plot-history-acc-val-acc-keys-k3",
        cause="env.version_incompat",
        exception="KeyError",
        expect="KeyError",
        **notebook([
            """
import keras
from keras import layers
train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8,
                                                    validation_split=0.25, subset="training", seed=1)
val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8,
                                                  validation_split=0.25, subset="validation", seed=1)
""",
            """
model = keras.Sequential([
    keras.Input((32, 32, 3)),
    layers.Rescaling(1 / 255),
    layers.Conv2D(16, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(train_ds, validation_data=val_ds, epochs=3, verbose=2)
""",
            """
# learning curves (from the book's chapter 5 notebook)
acc = history.history['acc']
val_acc = history.history['val_acc']
loss = history.history['loss']
val_loss = history.history['val_loss']
for epoch in range(len(acc)):
    print(f"{epoch + 1}: acc {acc[epoch]:.3f} val_acc {val_acc[epoch]:.3f}")
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more22-gradcam-backend-gradients-eager-tf215",
        cause="env.version_incompat",
        exception="RuntimeError",
        env="tf215",
        setup=parts,
        expect="tf.gradients is not supported when eager execution is enabled",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import backend as K
        from tensorflow.keras.preprocessing import image

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/parts", image_size=(32, 32), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255, input_shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.Conv2D(32, 3, activation="relu", name="last_conv"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)

        # Grad-CAM (Deep Learning with Python, 1st edition, listing 5.42)
        img = image.load_img("{DATA}/parts/crack/crack_000.png", target_size=(32, 32))
        x = np.expand_dims(image.img_to_array(img), axis=0)
        preds = model.predict(x)
        class_idx = np.argmax(preds[0])
        class_output = model.output[:, class_idx]
        last_conv_layer = model.get_layer("last_conv")
        grads = K.gradients(class_output, last_conv_layer.output)[0]
        pooled_grads = K.mean(grads, axis=(0, 1, 2))
        iterate = K.function([model.input], [pooled_grads, last_conv_layer.output[0]])
        pooled_grads_value, conv_layer_output_value = iterate([x])
        """,
    ),
    Case(
        name="keras-more22-se-block-build-dimension-value-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="'int' object has no attribute 'value'",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        class SqueezeExcite(layers.Layer):
            \"\"\"Squeeze-and-excitation block (ported from our TF 1.x code base).\"\"\"

            def __init__(self, ratio=4, **kwargs):
                super().__init__(**kwargs)
                self.ratio = ratio

            def build(self, input_shape):
                channels = input_shape[-1].value
                self.squeeze = layers.Dense(channels // self.ratio, activation="relu")
                self.excite = layers.Dense(channels, activation="sigmoid")
                super().build(input_shape)

            def call(self, x):
                s = tf.reduce_mean(x, axis=[1, 2])
                s = self.excite(self.squeeze(s))
                return x * s[:, None, None, :]

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8)
        inputs = keras.Input((32, 32, 3))
        x = layers.Rescaling(1 / 255)(inputs)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = SqueezeExcite()(x)
        x = layers.GlobalAveragePooling2D()(x)
        model = keras.Model(inputs, layers.Dense(3, activation="softmax")(x))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more22-model-to-estimator-on-tf221-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="estimator",
        code="""
        import tensorflow as tf

        IMG = (32, 32)

        def input_fn():
            ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=IMG, batch_size=8)
            return ds.map(lambda x, y: ({"image": x / 255.0}, y)).repeat()

        model = tf.keras.Sequential([
            tf.keras.Input(IMG + (3,), name="image"),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])

        # run on the cluster with the Estimator API (checkpoints, exports, train_and_evaluate)
        estimator = tf.keras.estimator.model_to_estimator(keras_model=model, model_dir="estimator_dir")
        estimator.train(input_fn=input_fn, steps=20)
        """,
    ),
    Case(
        name="keras-more22-keras1-merge-concat-two-towers-tf212",
        cause="env.version_incompat",
        exception="ImportError",
        env="tf212",
        expect="cannot import name 'merge'",
        code="""
        import numpy as np
        from keras.models import Model
        from keras.layers import Input, Conv2D, MaxPooling2D, Flatten, Dense, merge

        # RGB + depth two-tower classifier
        rgb_in = Input(shape=(32, 32, 3))
        depth_in = Input(shape=(32, 32, 1))
        a = MaxPooling2D()(Conv2D(16, 3, activation="relu")(rgb_in))
        b = MaxPooling2D()(Conv2D(8, 3, activation="relu")(depth_in))
        x = merge([Flatten()(a), Flatten()(b)], mode="concat")
        out = Dense(4, activation="softmax")(x)
        model = Model([rgb_in, depth_in], out)
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit([np.random.rand(16, 32, 32, 3), np.random.rand(16, 32, 32, 1)], np.random.randint(0, 4, 16))
        """,
    ),
    Case(
        name="keras-more22-cifar-tutorial-maxnorm-constraint-import-tf215",
        cause="env.version_incompat",
        exception="ImportError",
        env="tf215",
        setup=flowers,
        expect="maxnorm",
        code="""
        import tensorflow as tf
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Conv2D, Dense, Dropout, Flatten, MaxPooling2D
        from tensorflow.keras.constraints import maxnorm
        from tensorflow.keras.optimizers import SGD

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8)
        train_ds = train_ds.map(lambda x, y: (x / 255.0, y))

        model = Sequential()
        model.add(Conv2D(32, (3, 3), input_shape=(32, 32, 3), padding="same", activation="relu",
                         kernel_constraint=maxnorm(3)))
        model.add(Dropout(0.2))
        model.add(MaxPooling2D(pool_size=(2, 2)))
        model.add(Flatten())
        model.add(Dense(128, activation="relu", kernel_constraint=maxnorm(3)))
        model.add(Dense(3, activation="softmax"))
        model.compile(loss="sparse_categorical_crossentropy", optimizer=SGD(learning_rate=0.01, momentum=0.9),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ divergence
    Case(
        name="keras-more22-nan-guard-callback-floating-point-error-sgd-k3",
        cause="optim.divergence",
        exception="FloatingPointError",
        setup=counts_regression,
        pty=True,
        expect="non-finite loss",
        code="""
        import glob
        import math
        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/crowd/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files])
        y = np.loadtxt("{DATA}/crowd/counts.txt", dtype=np.float32)

        class NanGuard(keras.callbacks.Callback):
            \"\"\"Stop with a clear error instead of training on NaN for hours.\"\"\"

            def on_epoch_begin(self, epoch, logs=None):
                self.epoch = epoch

            def on_train_batch_end(self, batch, logs=None):
                loss = logs["loss"]
                if not math.isfinite(loss):
                    raise FloatingPointError(f"non-finite loss {loss} at epoch {self.epoch + 1}, batch {batch}")

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse", metrics=["mae"])
        model.fit(x, y, batch_size=4, epochs=20, callbacks=[NanGuard()])
        """,
    ),
    Case(
        name="keras-more22-custom-loop-assert-less-loss-exploded-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        setup=counts_regression,
        expect="loss exploded",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/crowd/*.png"))
        x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(f)) for f in files])
        y = np.loadtxt("{DATA}/crowd/counts.txt", dtype=np.float32)[:, None]
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(24, seed=0).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(32),
            tf.keras.layers.Dense(1),
        ])
        optimizer = tf.keras.optimizers.SGD(learning_rate=0.01)
        loss_fn = tf.keras.losses.MeanSquaredError()

        @tf.function
        def train_step(images, counts):
            with tf.GradientTape() as tape:
                loss = loss_fn(counts, model(images, training=True))
            tf.debugging.assert_less(loss, 1e8, message="loss exploded")
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(10):
            for images, counts in ds:
                loss = train_step(images, counts)
            print(f"epoch {epoch + 1}: loss {float(loss):.2f}")
        """,
    ),
    Case(
        name="keras-more22-eval-numpy-softmax-seterr-raise-overflow-k3",
        cause="optim.divergence",
        exception="FloatingPointError",
        setup=flowers,
        expect="overflow",
        code="""
        import numpy as np
        import keras
        from keras import layers

        np.seterr(all="raise")        # fail loudly on bad numbers in the evaluation code

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8, seed=0)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=3, verbose=2)

        logits, labels = [], []
        for images, y in train_ds:
            logits.append(model.predict(images, verbose=0))
            labels.append(y.numpy())
        logits, labels = np.concatenate(logits), np.concatenate(labels)
        probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        print("accuracy", (probs.argmax(1) == labels).mean())
        """,
    ),
    Case(
        name="keras-more22-metrics-json-allow-nan-false-after-terminate-on-nan-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=counts_regression,
        expect="Out of range float values are not JSON compliant",
        code="""
        import glob
        import json
        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/crowd/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files])
        y = np.loadtxt("{DATA}/crowd/counts.txt", dtype=np.float32)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse", metrics=["mae"])
        history = model.fit(x, y, batch_size=4, epochs=10, validation_split=0.25, verbose=2,
                            callbacks=[keras.callbacks.TerminateOnNaN()])

        # the experiment dashboard only accepts strict JSON
        report = {"epochs": len(history.history["loss"]),
                  "final_loss": history.history["loss"][-1],
                  "val_mae": history.history.get("val_mae", [None])[-1]}
        with open("metrics.json", "w") as fh:
            json.dump(report, fh, allow_nan=False)
        """,
    ),
    Case(
        name="keras-more22-train-step-assert-finite-gradients-box-regressor-tf212",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf212",
        setup=tools_boxes,
        expect="gradient is not finite",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/tools/boxes.csv")))
        x = np.stack([np.asarray(Image.open("{DATA}/tools/" + r["file"]), np.float32) / 255.0 for r in rows])
        y = np.array([[float(r[k]) / 64.0 for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)

        class Localiser(tf.keras.Model):
            def train_step(self, data):
                images, boxes = data
                with tf.GradientTape() as tape:
                    pred = self(images, training=True)
                    loss = self.compiled_loss(boxes, pred)
                grads = tape.gradient(loss, self.trainable_variables)
                grads = [tf.debugging.assert_all_finite(g, "gradient is not finite") for g in grads]
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                self.compiled_metrics.update_state(boxes, pred)
                return {m.name: m.result() for m in self.metrics}

        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3)(inputs)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        h = tf.keras.layers.Dense(32)(h)
        model = Localiser(inputs, tf.keras.layers.Dense(4)(h))
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=50.0), loss="mse")
        model.fit(x, y, batch_size=4, epochs=10)
        """,
    ),
    Case(
        name="keras-more22-nb-lr-range-test-start-lr-too-high-nanargmin-k3",
        cause="optim.divergence",
        exception="ValueError",
        expect="All-NaN slice encountered",
        **notebook([
            """
import numpy as np
import keras
from keras import layers

train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=4, seed=0)

class LRFinder(keras.callbacks.Callback):
    def __init__(self, start_lr, end_lr, num_steps):
        super().__init__()
        self.start_lr, self.end_lr, self.num_steps = start_lr, end_lr, num_steps
        self.lrs, self.losses, self.step = [], [], 0

    def on_train_batch_begin(self, batch, logs=None):
        lr = self.start_lr * (self.end_lr / self.start_lr) ** (self.step / self.num_steps)
        self.model.optimizer.learning_rate.assign(lr)
        self.lrs.append(lr)

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(logs["loss"])
        self.step += 1
""",
            """
model = keras.Sequential([
    keras.Input((32, 32, 3)),
    layers.Conv2D(16, 3),
    layers.GlobalAveragePooling2D(),
    layers.Dense(3),
])
model.compile(optimizer=keras.optimizers.SGD(momentum=0.9),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
finder = LRFinder(start_lr=1.0, end_lr=100.0, num_steps=30)
model.fit(train_ds.repeat(), steps_per_epoch=30, epochs=1, callbacks=[finder], verbose=0)
print(finder.losses[:5])
""",
            """
# skip the first 10 and the last 5 steps, as in the fastai plot
losses = np.array(finder.losses[10:-5])
lrs = np.array(finder.lrs[10:-5])
best_lr = lrs[np.nanargmin(losses)] / 10
print("suggested learning rate:", best_lr)
""",
        ], data=flowers),
    ),
    # ============================================================ other (plain bugs in the training code)
    Case(
        name="keras-more22-lr-schedule-list-one-epoch-short-k3",
        cause="other",
        exception="IndexError",
        setup=flowers,
        pty=True,
        expect="list index out of range",
        code="""
        import keras
        from keras import layers

        EPOCHS = 7
        # warm-up, then two steps down
        LR_PER_EPOCH = [1e-4, 5e-4, 1e-3, 1e-3, 1e-4, 1e-5]

        def schedule(epoch, lr):
            return LR_PER_EPOCH[epoch]

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=EPOCHS, callbacks=[keras.callbacks.LearningRateScheduler(schedule, verbose=1)])
        """,
    ),
    Case(
        name="keras-more22-focal-loss-typo-name-error-in-fit-k3",
        cause="other",
        exception="NameError",
        setup=birds,
        expect="gama",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        NUM_CLASSES = 4
        ALPHA, GAMMA = 0.25, 2.0

        def focal_loss(y_true, y_pred):
            y_true = tf.one_hot(tf.cast(tf.reshape(y_true, [-1]), tf.int32), NUM_CLASSES)
            y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0 - 1e-7)
            ce = -y_true * tf.math.log(y_pred)
            weight = ALPHA * tf.pow(1.0 - y_pred, gama)
            return tf.reduce_sum(weight * ce, axis=-1)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(64, 64), batch_size=8)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=focal_loss, metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more22-custom-loop-best-val-loss-unbound-local-tf215",
        cause="other",
        exception="UnboundLocalError",
        env="tf215",
        setup=flowers,
        expect="best_val_loss",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8,
                                                               validation_split=0.25, subset="training", seed=2)
        val_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8,
                                                             validation_split=0.25, subset="validation", seed=2)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255, input_shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3),
        ])
        optimizer = tf.keras.optimizers.Adam(1e-3)
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        best_val_loss = float("inf")

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        def train(epochs):
            for epoch in range(epochs):
                for x, y in train_ds:
                    train_step(x, y)
                val_loss = float(tf.reduce_mean([loss_fn(y, model(x)) for x, y in val_ds]))
                print(f"epoch {epoch + 1}: val_loss {val_loss:.4f}")
                if val_loss < best_val_loss:
                    best_val_loss = val_loss
                    model.save_weights("best.weights.h5")

        train(5)
        """,
    ),
    Case(
        name="keras-more22-train-config-property-setter-recursion-k3",
        cause="other",
        exception="RecursionError",
        setup=flowers,
        expect="maximum recursion depth exceeded",
        code="""
        import keras
        from keras import layers

        class TrainConfig:
            def __init__(self, image_size=32, batch_size=8, epochs=3):
                self.image_size = image_size
                self.batch_size = batch_size
                self.epochs = epochs

            @property
            def image_size(self):
                return self.image_size

            @image_size.setter
            def image_size(self, value):
                self.image_size = int(value)      # accept "32" from the command line

        cfg = TrainConfig(image_size="32")
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(cfg.image_size, cfg.image_size), batch_size=cfg.batch_size)
        model = keras.Sequential([
            keras.Input((cfg.image_size, cfg.image_size, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(train_ds, epochs=cfg.epochs)
        """,
    ),
    Case(
        name="keras-more22-precision-callback-no-positive-predictions-zero-division-tf212",
        cause="other",
        exception="ZeroDivisionError",
        env="tf212",
        setup=imbalanced,
        expect="division by zero",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/xray/*/*.png"))
        x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(f)) / 255.0 for f in files])
        y = np.array([int("/pneumonia/" in f) for f in files])

        class PrecisionRecall(tf.keras.callbacks.Callback):
            def __init__(self, x_val, y_val):
                super().__init__()
                self.x_val, self.y_val = x_val, y_val

            def on_epoch_end(self, epoch, logs=None):
                pred = (self.model.predict(self.x_val, verbose=0)[:, 0] > 0.5).astype(int)
                tp = int(((pred == 1) & (self.y_val == 1)).sum())
                fp = int(((pred == 1) & (self.y_val == 0)).sum())
                fn = int(((pred == 0) & (self.y_val == 1)).sum())
                precision = tp / (tp + fp)
                recall = tp / (tp + fn)
                print(f" - val_precision {precision:.3f} - val_recall {recall:.3f}")

        pos, neg = y.sum(), len(y) - y.sum()
        initial_bias = np.log(pos / neg)        # start from the class prior (imbalanced data tutorial)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(8, 3, activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid",
                                  bias_initializer=tf.keras.initializers.Constant(initial_bias)),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=3, callbacks=[PrecisionRecall(x, y)])
        """,
    ),
    Case(
        name="keras-more22-custom-loop-unpack-sample-weights-from-dir-dataset-k3",
        cause="other",
        exception="ValueError",
        setup=flowers,
        expect="not enough values to unpack",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        optimizer = keras.optimizers.Adam(1e-3)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        for epoch in range(3):
            for images, labels, weights in train_ds:
                with tf.GradientTape() as tape:
                    loss = loss_fn(labels, model(images, training=True), sample_weight=weights)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more22-epoch-logger-percent-format-logs-dict-tf215",
        cause="other",
        exception="TypeError",
        env="tf215",
        setup=flowers,
        expect="must be real number, not dict",
        code="""
        import tensorflow as tf

        class EpochLogger(tf.keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                print("epoch %d: loss %.4f" % (epoch + 1, logs))

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255, input_shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, verbose=0, callbacks=[EpochLogger()])
        """,
    ),
    Case(
        name="keras-more22-nb-rerun-cell-makedirs-run-folder-exists-k3",
        cause="other",
        exception="FileExistsError",
        expect="File exists",
        **notebook([
            """
import os
import keras
from keras import layers

EXPERIMENT = "flowers-small-cnn"
train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(32, 32), batch_size=8)

def build():
    model = keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Rescaling(1 / 255),
        layers.Conv2D(16, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(3, activation="softmax"),
    ])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
""",
            """
run_dir = os.path.join("runs", EXPERIMENT)
os.makedirs(run_dir)
model = build()
model.fit(train_ds, epochs=1, verbose=2,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(run_dir, "log.csv"))])
model.save(os.path.join(run_dir, "model.keras"))
""",
            """
# same cell again after changing the number of epochs
run_dir = os.path.join("runs", EXPERIMENT)
os.makedirs(run_dir)
model = build()
model.fit(train_ds, epochs=2, verbose=2,
          callbacks=[keras.callbacks.CSVLogger(os.path.join(run_dir, "log.csv"))])
""",
        ], data=flowers),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
