"""A twelfth set of real Keras / TensorFlow failures, centred on classifier and
detector training where the MODEL or the way the API is called is wrong, not the
data, on TF 2.12 / 2.15 (Keras 2), TF 2.21 with tf_keras (Keras 2) and TF 2.21
(Keras 3).

Code paths keras_more.py ... keras_more11.py leave out: custom box / keypoint
losses that do not fit the head (a flat ``Dense(MAX_BOXES * 4)`` head reshaped to
``(MAX_BOXES, 5)``, an IoU loss that unstacks an objectness column the head does
not predict, a GIoU loss that splits a five-unit objectness + box head in four, a
one-box head against padded ``(MAX_BOXES, 4)`` targets under Huber, an anchor head
at stride 16 against a stride-8 target grid in a GradientTape loop, a YOLO head
sized for the old class count, a keypoint head without the visibility column run
eagerly); multi-output detectors (a metrics list for a dict-output model, a loss
dict keyed by layer names on a subclassed model whose outputs are ``output_1`` /
``output_2``, a ``loss_weights`` key that names no output, targets given as a list
to a dict-output model, one loss string for a class head and a box head);
compile / fit arguments (``"Adam(learning_rate=1e-4)"`` as an optimizer string,
``"f1_score"`` as a metric string in Keras 2, a learning rate left as the string
argparse returns, an EarlyStopping patience from argparse); callbacks (a
ModelCheckpoint path for a SavedModel directory, ``save_freq="batch"``, the TF
tutorial's ``lr * tf.math.exp(-0.1)`` schedule under Keras 3, ReduceLROnPlateau
driven by hand in a custom loop without ``set_model``, TensorBoard's Keras 2.2
``write_grads``); mixed precision (the TF 2.3 ``experimental`` API, a policy set
after the backbone was built and its float32 features added to float16 ones, a
float16 box head in a custom loop subtracted from float32 targets); saving and
loading (``save_weights`` to a plain ``.h5`` name under Keras 3, a subclassed
detector whose ``get_config`` drops its constructor arguments, ``load_weights``
into a Sequential model with no Input, a ``.keras`` file into a deeper model,
``load_model`` on ``saved_model.pb``, a model loaded with ``compile=False`` then
evaluated); transfer learning and fine-tuning (``pop()`` on a functional
MobileNetV2, a backbone built for 160 px reused on a 224 px Input, ``input_tensor``
and ``input_shape`` that disagree, ``trainable`` set on a slice of the layer list,
gradients of ``trainable_variables`` zipped with ``model.weights`` after freezing);
subclassing (``super().__init__()`` forgotten in a Model and in a Layer, Keras 2's
``optimizer.minimize(..., tape=tape)`` in a Keras 3 ``train_step``); learning
rates that turn a BatchNorm classifier's predictions to NaN, met by
``tf.math.confusion_matrix`` and by ``np.bincount`` over pseudo-labels.

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more12.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import rgb as _rgb, rng as _rng  # noqa: E402
from _record import class_folder, imgs, sub  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, save_png  # noqa: E402



# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(48, 48), fmt="jpeg")


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(48, 48), fmt="jpeg")


def birds(d: Path):
    make_images(d / "birds", ["crow", "finch", "robin", "sparrow"], per_class=5, size=(96, 96), fmt="png")


defects = imgs(class_folder("defects", ["ok", "scratch"], 10, size=(32, 32), ext="png"))

leaves = imgs(class_folder("leaves", ["healthy", "rust", "scab"], 6, size=(64, 64), ext="jpg"))


def parts_boxes(d: Path):
    """machine parts on a conveyor: 1-3 parts per 96x96 frame, normalised x1,y1,x2,y2 per row."""
    rng = _rng(3)
    rows = ["image,label,x1,y1,x2,y2"]
    for i in range(16):
        name = f"frame_{i:03d}.png"
        save_png(d / "conveyor" / "images" / name, _rgb(96, 96, 10 + i))
        for _ in range(1 + i % 3):
            x1, y1 = rng.uniform(0.05, 0.5, 2)
            x2, y2 = x1 + rng.uniform(0.15, 0.45), y1 + rng.uniform(0.15, 0.45)
            rows.append(f"{name},{rng.integers(0, 3)},{x1:.3f},{y1:.3f},{x2:.3f},{y2:.3f}")
    (d / "conveyor" / "boxes.csv").write_text("\n".join(rows) + "\n")


def plates(d: Path):
    """car photos; has_plate is 0 when no plate is visible (the box is then all zeros)."""
    rng = _rng(4)
    rows = ["image,has_plate,x1,y1,x2,y2"]
    for i in range(16):
        name = f"car_{i:03d}.png"
        save_png(d / "plates" / "images" / name, _rgb(64, 64, 40 + i))
        if i % 4 == 3:
            rows.append(f"{name},0,0,0,0,0")
            continue
        x1, y1 = rng.uniform(0.2, 0.5, 2)
        rows.append(f"{name},1,{x1:.3f},{y1:.3f},{x1 + 0.3:.3f},{y1 + 0.12:.3f}")
    (d / "plates" / "labels.csv").write_text("\n".join(rows) + "\n")


def faces_keypoints(d: Path):
    """17 keypoints per person as (x, y, visible) triples, flattened to 51 numbers."""
    import numpy as np
    rng = _rng(6)
    for i in range(16):
        save_png(d / "poses" / "images" / f"person_{i:03d}.png", _rgb(64, 64, 60 + i))
    kp = rng.uniform(0, 1, (16, 17, 3)).astype("float32")
    kp[..., 2] = (kp[..., 2] > 0.3).astype("float32")
    np.save(d / "poses" / "keypoints.npy", kp.reshape(16, 51))


def grid_targets(d: Path):
    """pre-encoded detection targets: one (S, S, A, 5 + C) grid per image, written by encode_targets.py."""
    import numpy as np
    rng = _rng(7)
    for i in range(16):
        save_png(d / "shelf" / "images" / f"shelf_{i:03d}.png", _rgb(96, 96, 80 + i))
    np.save(d / "shelf" / "targets_s8.npy", rng.uniform(0, 1, (16, 12, 12, 3, 8)).astype("float32"))


# A loader the conveyor cases share: frames + padded (MAX_BOXES, 5) targets
# (objectness, x1, y1, x2, y2).
CONVEYOR_LOADER = '''
import csv
import numpy as np
from PIL import Image

MAX_BOXES = 10
IMG = 96


def load_conveyor(root):
    rows = {}
    with open(f"{root}/boxes.csv") as f:
        for r in csv.DictReader(f):
            rows.setdefault(r["image"], []).append([1.0] + [float(r[k]) for k in ("x1", "y1", "x2", "y2")])
    images, targets = [], []
    for name, boxes in sorted(rows.items()):
        img = Image.open(f"{root}/images/{name}").convert("RGB").resize((IMG, IMG))
        images.append(np.asarray(img, np.float32) / 255.0)
        t = np.zeros((MAX_BOXES, 5), np.float32)
        t[:len(boxes)] = boxes[:MAX_BOXES]
        targets.append(t)
    return np.stack(images), np.stack(targets)
'''


def conveyor(code: str) -> str:
    """A conveyor case's script: the shared loader, then the case's own code."""
    return sub("@@LOADER@@\n" + textwrap.dedent(code).lstrip("\n"), LOADER=CONVEYOR_LOADER.strip("\n"))


CASES = [
    # ============================================================ custom heads vs custom losses
    Case(
        name="keras-more12-box-loss-reshape-flat-head-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        setup=parts_boxes,
        expect="evenly divisible by 50",
        code=conveyor("""
        import tensorflow as tf
        import keras
        from keras import layers

        x, y = load_conveyor("{DATA}/conveyor")
        print("images", x.shape, "targets", y.shape)


        def box_loss(y_true, y_pred):
            # one row per slot: objectness logit + x1 y1 x2 y2
            y_pred = tf.reshape(y_pred, (-1, MAX_BOXES, 5))
            obj_loss = keras.losses.binary_crossentropy(y_true[..., :1], y_pred[..., :1], from_logits=True)
            box_l1 = tf.reduce_sum(tf.abs(y_true[..., 1:] - tf.sigmoid(y_pred[..., 1:])), axis=-1)
            return tf.reduce_mean(obj_loss + y_true[..., 0] * box_l1)


        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(128, activation="relu"),
            layers.Dense(MAX_BOXES * 4),          # 4 numbers per box
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=box_loss)
        model.fit(x, y, batch_size=8, epochs=5)
        """),
    ),
    Case(
        name="keras-more12-plate-iou-loss-unstack-objectness-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        setup=plates,
        expect="Dimension must be 5 but is 4",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        images, targets = [], []
        with open("{DATA}/plates/labels.csv") as f:
            for r in csv.DictReader(f):
                img = Image.open("{DATA}/plates/images/" + r["image"]).convert("RGB")
                images.append(np.asarray(img, np.float32) / 255.0)
                targets.append([float(r[k]) for k in ("has_plate", "x1", "y1", "x2", "y2")])
        x, y = np.stack(images), np.array(targets, np.float32)


        def plate_loss(y_true, y_pred):
            t_obj, tx1, ty1, tx2, ty2 = tf.unstack(y_true, num=5, axis=-1)
            p_obj, px1, py1, px2, py2 = tf.unstack(y_pred, num=5, axis=-1)
            iw = tf.maximum(0.0, tf.minimum(px2, tx2) - tf.maximum(px1, tx1))
            ih = tf.maximum(0.0, tf.minimum(py2, ty2) - tf.maximum(py1, ty1))
            inter = iw * ih
            union = (px2 - px1) * (py2 - py1) + (tx2 - tx1) * (ty2 - ty1) - inter
            iou = inter / (union + 1e-7)
            obj = keras.losses.binary_crossentropy(t_obj[:, None], p_obj[:, None])
            return obj + t_obj * (1.0 - iou)


        inputs = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, activation="relu")(inputs)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        box = layers.Dense(4, activation="sigmoid", name="plate_box")(h)
        model = keras.Model(inputs, box)
        model.compile(optimizer="adam", loss=plate_loss)
        model.fit(x, y, batch_size=4, epochs=10, validation_split=0.25)
        """,
    ),
    Case(
        name="keras-more12-giou-split-objectness-head-five-tfk2",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tfk2",
        framework="keras",
        setup=plates,
        expect="evenly divisible by 4 but is 5",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        images, boxes = [], []
        with open("{DATA}/plates/labels.csv") as f:
            for r in csv.DictReader(f):
                if r["has_plate"] == "0":
                    continue
                images.append(np.asarray(Image.open("{DATA}/plates/images/" + r["image"]).convert("RGB"),
                                         np.float32) / 255.0)
                boxes.append([float(r[k]) for k in ("x1", "y1", "x2", "y2")])
        x, y = np.stack(images), np.array(boxes, np.float32)


        def giou_loss(y_true, y_pred):
            px1, py1, px2, py2 = tf.split(y_pred, 4, axis=-1)
            tx1, ty1, tx2, ty2 = tf.split(y_true, 4, axis=-1)
            inter = tf.nn.relu(tf.minimum(px2, tx2) - tf.maximum(px1, tx1)) * \\
                tf.nn.relu(tf.minimum(py2, ty2) - tf.maximum(py1, ty1))
            union = (px2 - px1) * (py2 - py1) + (tx2 - tx1) * (ty2 - ty1) - inter
            hull = (tf.maximum(px2, tx2) - tf.minimum(px1, tx1)) * (tf.maximum(py2, ty2) - tf.minimum(py1, ty1))
            iou = inter / (union + 1e-7)
            return tf.reduce_mean(1.0 - iou + (hull - union) / (hull + 1e-7))


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            # objectness + box, so the same head can later say "no plate"
            tf.keras.layers.Dense(5, activation="sigmoid"),
        ])
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=giou_loss)
        model.fit(x, y, batch_size=4, epochs=10)
        """,
    ),
    Case(
        name="keras-more12-single-box-head-padded-box-targets-huber-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        env="k3",
        setup=parts_boxes,
        expect="Dimensions must be equal",
        code=conveyor("""
        import keras
        from keras import layers

        x, y = load_conveyor("{DATA}/conveyor")
        boxes = y[..., 1:]                     # (N, MAX_BOXES, 4), zero rows are padding

        backbone = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False,
                                                  weights=None, pooling="avg")
        inputs = keras.Input((IMG, IMG, 3))
        features = backbone(inputs)
        outputs = layers.Dense(4, activation="sigmoid", name="boxes")(features)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=keras.losses.Huber(delta=0.1))
        model.fit(x, boxes, batch_size=8, epochs=3)
        """),
    ),
    Case(
        name="keras-more12-anchor-head-stride16-grid-targets-stride8-loop-tf215",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=grid_targets,
        expect="Incompatible shapes",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ANCHORS, NUM_CLASSES = 3, 3
        files = sorted(glob.glob("{DATA}/shelf/images/*.png"))
        images = np.stack([np.asarray(Image.open(f).convert("RGB"), np.float32) / 255.0 for f in files])
        targets = np.load("{DATA}/shelf/targets_s8.npy")        # encoded for a 12x12 grid (stride 8)
        ds = tf.data.Dataset.from_tensor_slices((images, targets)).shuffle(16).batch(4)


        def conv_bn(x, filters, stride):
            x = tf.keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
            x = tf.keras.layers.BatchNormalization()(x)
            return tf.keras.layers.LeakyReLU(0.1)(x)


        inputs = tf.keras.Input((96, 96, 3))
        x = conv_bn(inputs, 16, 2)
        x = conv_bn(x, 32, 2)
        x = conv_bn(x, 64, 2)
        x = conv_bn(x, 128, 2)                                   # one more stage than the encoder assumed
        x = tf.keras.layers.Conv2D(ANCHORS * (5 + NUM_CLASSES), 1)(x)
        outputs = tf.keras.layers.Reshape((x.shape[1], x.shape[2], ANCHORS, 5 + NUM_CLASSES))(x)
        model = tf.keras.Model(inputs, outputs)
        optimizer = tf.keras.optimizers.Adam(1e-3)


        def detection_loss(y_true, y_pred):
            obj_mask = y_true[..., 4:5]
            xy = tf.reduce_sum(tf.square(y_true[..., :2] - tf.sigmoid(y_pred[..., :2])) * obj_mask)
            wh = tf.reduce_sum(tf.square(y_true[..., 2:4] - y_pred[..., 2:4]) * obj_mask)
            obj = tf.reduce_sum(tf.keras.losses.binary_crossentropy(y_true[..., 4:5], y_pred[..., 4:5],
                                                                    from_logits=True))
            return (xy + wh + obj) / tf.cast(tf.shape(y_true)[0], tf.float32)


        for epoch in range(3):
            for step, (batch_x, batch_y) in enumerate(ds):
                with tf.GradientTape() as tape:
                    loss = detection_loss(batch_y, model(batch_x, training=True))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more12-yolo-grid-head-channels-old-class-count-tf212",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf212",
        expect="Dimensions must be equal, but are 20 and 15",
        code="""
        import numpy as np
        import tensorflow as tf

        # config.py of the first project (15 classes); the new data set has 20 (Pascal VOC)
        S, B, C_MODEL = 7, 2, 15
        C_DATA = 20

        x_train = np.random.rand(32, 112, 112, 3).astype("float32")
        y_train = np.zeros((32, S, S, B * 5 + C_DATA), "float32")       # from voc_to_yolo_grid()
        y_train[:, 3, 3, 4] = 1.0
        y_train[:, 3, 3, B * 5 + 7] = 1.0


        def yolo_v1_loss(y_true, y_pred):
            obj = y_true[..., 4:5]
            coord = tf.reduce_sum(tf.square(y_true[..., :4] - y_pred[..., :4]) * obj, axis=-1)
            conf = tf.reduce_sum(tf.square(y_true[..., 4:B * 5:5] - y_pred[..., 4:B * 5:5]), axis=-1)
            cls = tf.reduce_sum(tf.square(y_true[..., B * 5:] - y_pred[..., B * 5:]), axis=-1)
            return tf.reduce_mean(5.0 * coord + conf + cls)


        inputs = tf.keras.Input((112, 112, 3))
        x = inputs
        for filters in (16, 32, 64, 128):
            x = tf.keras.layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
        outputs = tf.keras.layers.Conv2D(B * 5 + C_MODEL, 1, name="yolo_head")(x)
        model = tf.keras.Model(inputs, outputs)
        model.summary()
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-4), loss=yolo_v1_loss)
        model.fit(x_train, y_train, batch_size=8, epochs=2)
        """,
    ),
    Case(
        name="keras-more12-keypoint-head-xy-only-visibility-loss-run-eagerly-k3",
        cause="model.output_mismatch",
        exception="InvalidArgumentError",
        env="k3",
        setup=faces_keypoints,
        expect="Input to reshape is a tensor with",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        NUM_KP = 17
        files = sorted(glob.glob("{DATA}/poses/images/*.png"))
        x = np.stack([np.asarray(Image.open(f).convert("RGB"), np.float32) / 255.0 for f in files])
        y = np.load("{DATA}/poses/keypoints.npy")                # (N, 17 * 3): x, y, visible


        def masked_keypoint_loss(y_true, y_pred):
            y_true = tf.reshape(y_true, (-1, NUM_KP, 3))
            y_pred = tf.reshape(y_pred, (-1, NUM_KP, 3))
            visible = y_true[..., 2]
            err = tf.reduce_sum(tf.square(y_true[..., :2] - y_pred[..., :2]), axis=-1)
            return tf.reduce_sum(visible * err) / (tf.reduce_sum(visible) + 1.0)


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_KP * 2, activation="sigmoid", name="keypoints"),   # x, y per keypoint
        ])
        # eager so that print() in the loss works while debugging
        model.compile(optimizer="adam", loss=masked_keypoint_loss, run_eagerly=True)
        model.fit(x, y, batch_size=8, epochs=5)
        """,
    ),
    # ============================================================ multi-output detectors
    Case(
        name="keras-more12-two-head-detector-metrics-list-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=parts_boxes,
        expect="Invalid `metrics`",
        code=conveyor("""
        import keras
        from keras import layers

        x, y = load_conveyor("{DATA}/conveyor")
        first_box = y[:, 0, 1:]                         # the largest part in each frame
        part_class = np.random.default_rng(0).integers(0, 3, len(x))

        inputs = keras.Input((IMG, IMG, 3))
        h = layers.Conv2D(16, 3, activation="relu")(inputs)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        outputs = {
            "label": layers.Dense(3, activation="softmax", name="label")(h),
            "bbox": layers.Dense(4, activation="sigmoid", name="bbox")(h),
        }
        model = keras.Model(inputs, outputs)
        model.compile(
            optimizer="adam",
            loss={"label": "sparse_categorical_crossentropy", "bbox": "mse"},
            loss_weights={"label": 1.0, "bbox": 5.0},
            metrics=["accuracy"],
        )
        model.fit(x, {"label": part_class, "bbox": first_box}, batch_size=8, epochs=5)
        """),
    ),
    Case(
        name="keras-more12-subclassed-detector-loss-dict-output-names-tf212",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf212",
        setup=parts_boxes,
        expect="Found unexpected losses or metrics",
        code=conveyor("""
        import tensorflow as tf

        x, y = load_conveyor("{DATA}/conveyor")
        first_box = y[:, 0, 1:]
        part_class = np.arange(len(x)) % 3


        class PartDetector(tf.keras.Model):
            def __init__(self, num_classes=3):
                super().__init__()
                self.backbone = tf.keras.Sequential([
                    tf.keras.layers.Conv2D(16, 3, activation="relu"),
                    tf.keras.layers.MaxPooling2D(),
                    tf.keras.layers.Conv2D(32, 3, activation="relu"),
                    tf.keras.layers.GlobalAveragePooling2D(),
                ])
                self.class_head = tf.keras.layers.Dense(num_classes, activation="softmax", name="class_head")
                self.box_head = tf.keras.layers.Dense(4, activation="sigmoid", name="box_head")

            def call(self, images, training=False):
                features = self.backbone(images, training=training)
                return self.class_head(features), self.box_head(features)


        model = PartDetector()
        model.compile(
            optimizer=tf.keras.optimizers.Adam(1e-3),
            loss={"class_head": "sparse_categorical_crossentropy", "box_head": "huber"},
            metrics={"class_head": "accuracy"},
        )
        model.fit(x, (part_class, first_box), batch_size=8, epochs=5)
        """),
    ),
    Case(
        name="keras-more12-loss-weights-dict-bbox-key-k3",
        cause="model.api_misuse",
        exception="KeyError",
        env="k3",
        setup=parts_boxes,
        code=conveyor("""
        import keras
        from keras import layers

        x, y = load_conveyor("{DATA}/conveyor")
        first_box = y[:, 0, 1:]
        part_class = np.arange(len(x)) % 3

        inputs = keras.Input((IMG, IMG, 3))
        h = layers.Rescaling(2.0, offset=-1.0)(inputs)
        h = layers.Conv2D(16, 3, activation="relu")(h)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        cls_out = layers.Dense(3, activation="softmax", name="cls")(h)
        box_out = layers.Dense(4, activation="sigmoid", name="box")(h)
        model = keras.Model(inputs, [cls_out, box_out])

        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss={"cls": "sparse_categorical_crossentropy", "box": "mse"},
            loss_weights={"cls": 1.0, "bbox": 10.0},     # boxes matter more
        )
        model.fit(x, (part_class, first_box), batch_size=8, epochs=5)
        """),
    ),
    Case(
        name="keras-more12-dict-output-detector-targets-as-list-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=parts_boxes,
        expect="must have rank",
        code=conveyor("""
        import keras
        from keras import layers

        x, y = load_conveyor("{DATA}/conveyor")
        first_box = y[:, 0, 1:]
        part_class = np.arange(len(x)) % 3

        backbone = keras.applications.MobileNetV2(input_shape=(IMG, IMG, 3), include_top=False,
                                                  weights=None, pooling="avg", alpha=0.35)
        inputs = keras.Input((IMG, IMG, 3))
        f = backbone(inputs)
        model = keras.Model(inputs, {
            "part_class": layers.Dense(3, activation="softmax")(f),
            "part_box": layers.Dense(4, activation="sigmoid")(f),
        })
        model.compile(
            optimizer="adam",
            loss={"part_class": "sparse_categorical_crossentropy", "part_box": "mse"},
        )
        # same order as the outputs dict above
        model.fit(x, [part_class, first_box], batch_size=8, epochs=3)
        """),
    ),
    Case(
        name="keras-more12-two-head-detector-one-loss-string-k3",
        cause="model.api_misuse",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="k3",
        setup=parts_boxes,
        expect="must have rank",
        code=conveyor("""
        import keras
        from keras import layers

        x, y = load_conveyor("{DATA}/conveyor")
        first_box = y[:, 0, 1:]
        part_class = np.arange(len(x)) % 3

        inputs = keras.Input((IMG, IMG, 3))
        h = layers.Conv2D(16, 3, activation="relu")(inputs)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        model = keras.Model(inputs, [layers.Dense(3, activation="softmax", name="cls")(h),
                                     layers.Dense(4, activation="sigmoid", name="box")(h)])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, [part_class, first_box], batch_size=8, epochs=5)
        """),
    ),
    # ============================================================ compile / fit arguments
    Case(
        name="keras-more12-compile-optimizer-string-with-args-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=flowers,
        expect="Could not interpret optimizer identifier",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="Adam(learning_rate=1e-4)", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more12-metrics-f1-score-string-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        setup=defects,
        expect="'str' object is not callable",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(32, 32),
                                                               batch_size=8, label_mode="binary")
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        # scratches are rare, so track F1 as well
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", "f1_score"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more12-argparse-learning-rate-string-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=leaves,
        expect="Argument `learning_rate` should be float",
        code="""
        import argparse
        import keras
        from keras import layers

        parser = argparse.ArgumentParser()
        parser.add_argument("--data", default="{DATA}/leaves")
        parser.add_argument("--epochs", type=int, default=5)
        parser.add_argument("--lr", default="3e-4")
        parser.add_argument("--img-size", type=int, default=64)
        args = parser.parse_args()

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            args.data, image_size=(args.img_size, args.img_size), batch_size=8,
            validation_split=0.2, subset="both", seed=1)
        model = keras.Sequential([
            keras.Input((args.img_size, args.img_size, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=args.lr),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=args.epochs)
        """,
    ),
    Case(
        name="keras-more12-early-stopping-patience-from-argparse-string-tf212",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf212",
        setup=leaves,
        expect="not supported between instances of 'int' and 'str'",
        code="""
        import argparse
        import tensorflow as tf

        parser = argparse.ArgumentParser()
        parser.add_argument("--epochs", type=int, default=8)
        parser.add_argument("--patience", default="2")
        args = parser.parse_args()

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/leaves", image_size=(64, 64), batch_size=8, validation_split=0.25, subset="training", seed=3)
        val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/leaves", image_size=(64, 64), batch_size=8, validation_split=0.25, subset="validation", seed=3)

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        early = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=args.patience,
                                                 restore_best_weights=True)
        model.fit(train_ds, validation_data=val_ds, epochs=args.epochs, callbacks=[early])
        """,
    ),
    # ============================================================ callbacks
    Case(
        name="keras-more12-checkpoint-savedmodel-dir-path-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        setup=pets,
        expect="The filepath provided must end in `.keras`",
        code="""
        import os
        import keras
        from keras import layers

        train_ds, val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/pets", image_size=(48, 48), batch_size=8, label_mode="binary",
            validation_split=0.25, subset="both", seed=7)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

        os.makedirs("checkpoints", exist_ok=True)
        checkpoint = keras.callbacks.ModelCheckpoint(
            filepath="checkpoints/pets_epoch{epoch:02d}",      # one SavedModel folder per epoch
            monitor="val_accuracy", mode="max", save_best_only=True)
        model.fit(train_ds, validation_data=val_ds, epochs=10, callbacks=[checkpoint])
        """,
    ),
    Case(
        name="keras-more12-checkpoint-save-freq-batch-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=birds,
        expect="Unrecognized save_freq",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(96, 96), batch_size=4)
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None,
                                              alpha=0.35, pooling="avg")
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1 / 127.5, offset=-1),
            base,
            layers.Dropout(0.2),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        # Colab disconnects: keep a checkpoint after every batch
        checkpoint = keras.callbacks.ModelCheckpoint("birds_latest.keras", save_freq="batch")
        model.fit(train_ds, epochs=20, callbacks=[checkpoint])
        """,
    ),
    Case(
        name="keras-more12-nb-lr-scheduler-tf-exp-tensor-k3",
        cause="model.api_misuse",
        also=("env.version_incompat",),
        exception="ValueError",
        expect="The output of the `schedule` function should be a float",
        **notebook([
            """
import tensorflow as tf
import keras
from keras import layers

train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
class_names = train_ds.class_names
class_names
""",
            """
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Rescaling(1 / 255.0),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(len(class_names), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
""",
            """
# from the TensorFlow docs: keep the rate for 2 epochs, then decay it exponentially
def scheduler(epoch, lr):
    if epoch < 2:
        return lr
    return lr * tf.math.exp(-0.1)

lr_callback = keras.callbacks.LearningRateScheduler(scheduler, verbose=1)
history = model.fit(train_ds, epochs=6, callbacks=[lr_callback])
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more12-reduce-lr-custom-loop-no-set-model-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        setup=leaves,
        expect="'NoneType' object has no attribute 'optimizer'",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/leaves", image_size=(64, 64), batch_size=6, validation_split=0.25, subset="training", seed=2)
        val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/leaves", image_size=(64, 64), batch_size=6, validation_split=0.25, subset="validation", seed=2)

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3),
        ])
        optimizer = tf.keras.optimizers.Adam(1e-3)
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        reduce_lr = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, verbose=1)


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(5):
            for x, y in train_ds:
                loss = train_step(x, y)
            val_loss = tf.reduce_mean([loss_fn(y, model(x)) for x, y in val_ds])
            print(f"epoch {epoch}: loss={float(loss):.4f} val_loss={float(val_loss):.4f}")
            reduce_lr.on_epoch_end(epoch, logs={"val_loss": float(val_loss)})
        """,
    ),
    Case(
        name="keras-more12-tensorboard-write-grads-k3",
        cause="env.version_incompat",
        exception="TypeError",
        env="k3",
        setup=flowers,
        expect="unexpected keyword argument 'write_grads'",
        code="""
        import datetime
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        log_dir = "logs/fit/" + datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        tensorboard = keras.callbacks.TensorBoard(log_dir=log_dir, histogram_freq=1, write_graph=True,
                                                  write_grads=True, write_images=True)
        model.fit(train_ds, epochs=5, callbacks=[tensorboard])
        """,
    ),
    # ============================================================ mixed precision
    Case(
        name="keras-more12-nb-mixed-precision-experimental-api-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        expect="has no attribute 'experimental'",
        **notebook([
            """
import tensorflow as tf
from tensorflow.keras import mixed_precision
print(tf.__version__)
""",
            """
# speed up training on the T4 (from the TF 2.3 mixed precision guide)
policy = mixed_precision.experimental.Policy("mixed_float16")
mixed_precision.experimental.set_policy(policy)
print("Compute dtype:", policy.compute_dtype)
""",
            """
train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(96, 96), batch_size=4)
""",
        ], data=birds),
    ),
    Case(
        name="keras-more12-mixed-precision-policy-after-backbone-add-tf215",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        env="tf215",
        setup=birds,
        expect="has type float16 that does not match type float32",
        code="""
        import tensorflow as tf

        IMG = (96, 96)
        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=IMG, batch_size=4)

        backbone = tf.keras.applications.MobileNetV2(input_shape=IMG + (3,), include_top=False,
                                                     weights=None, pooling="avg", alpha=0.35)

        # the head is where the time goes: train it in float16
        tf.keras.mixed_precision.set_global_policy("mixed_float16")

        inputs = tf.keras.Input(IMG + (3,))
        x = tf.keras.applications.mobilenet_v2.preprocess_input(inputs)
        features = backbone(x)
        colour = tf.keras.layers.GlobalAveragePooling2D()(tf.keras.layers.Conv2D(1280, 1)(x))
        x = features + colour                               # colour statistics help with finches
        x = tf.keras.layers.Dropout(0.2)(x)
        outputs = tf.keras.layers.Dense(4, activation="softmax", dtype="float32")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more12-mixed-precision-custom-loop-float16-box-head-tfk2",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="TypeError",
        env="tfk2",
        setup=plates,
        expect="has type float16 that does not match type float32",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        tf.keras.mixed_precision.set_global_policy("mixed_float16")

        images, boxes = [], []
        with open("{DATA}/plates/labels.csv") as f:
            for r in csv.DictReader(f):
                if r["has_plate"] == "1":
                    images.append(np.asarray(Image.open("{DATA}/plates/images/" + r["image"]).convert("RGB")))
                    boxes.append([float(r[k]) for k in ("x1", "y1", "x2", "y2")])
        ds = tf.data.Dataset.from_tensor_slices((np.stack(images), np.array(boxes, np.float32)))
        ds = ds.map(lambda img, box: (tf.cast(img, tf.float32) / 255.0, box)).shuffle(16).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),
        ])
        optimizer = tf.keras.mixed_precision.LossScaleOptimizer(tf.keras.optimizers.Adam(1e-3))


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                pred = model(x, training=True)
                loss = tf.reduce_mean(tf.abs(y - pred))
                scaled = optimizer.get_scaled_loss(loss)
            grads = optimizer.get_unscaled_gradients(tape.gradient(scaled, model.trainable_variables))
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(5):
            for x, y in ds:
                loss = train_step(x, y)
            print("epoch", epoch, "L1", float(loss))
        """,
    ),
    # ============================================================ saving / loading
    Case(
        name="keras-more12-nb-save-weights-h5-name-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        expect="The filename must end in `.weights.h5`",
        **notebook([
            """
import keras
from keras import layers

train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8,
                                                    label_mode="binary")
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Rescaling(1 / 255.0),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
""",
            """
history = model.fit(train_ds, epochs=3, verbose=2)
""",
            """
# keep the weights, the Flask app rebuilds the architecture itself
model.save_weights("cats_vs_dogs_weights.h5")
""",
        ], data=pets),
    ),
    Case(
        name="keras-more12-subclassed-detector-get-config-drops-args-k3",
        cause="model.api_misuse",
        exception="TypeError",
        env="k3",
        setup=parts_boxes,
        expect="Unable to revive model from config",
        code=conveyor("""
        import keras
        from keras import layers

        x, y = load_conveyor("{DATA}/conveyor")
        first_box = y[:, 0, 1:]
        part_class = np.arange(len(x)) % 3


        @keras.saving.register_keras_serializable(package="conveyor")
        class PartDetector(keras.Model):
            def __init__(self, num_classes, width=16, **kwargs):
                super().__init__(**kwargs)
                self.num_classes = num_classes
                self.width = width
                self.c1 = layers.Conv2D(width, 3, activation="relu")
                self.c2 = layers.Conv2D(width * 2, 3, strides=2, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.cls = layers.Dense(num_classes, activation="softmax")
                self.box = layers.Dense(4, activation="sigmoid")

            def call(self, images):
                f = self.pool(self.c2(self.c1(images)))
                return self.cls(f), self.box(f)

            def get_config(self):
                config = super().get_config()
                config.update({"width": self.width})
                return config


        model = PartDetector(num_classes=3)
        model.compile(optimizer="adam", loss=["sparse_categorical_crossentropy", "mse"])
        model.fit(x, (part_class, first_box), batch_size=8, epochs=2)
        model.save("part_detector.keras")

        # inference service
        detector = keras.models.load_model("part_detector.keras")
        print(detector.predict(x[:2]))
        """),
    ),
    Case(
        name="keras-more12-load-weights-sequential-without-input-k3",
        cause="model.api_misuse",
        exception="ValueError",
        env="k3",
        setup=flowers,
        expect="has not yet been built",
        code="""
        import numpy as np
        import keras
        from keras import layers


        def build_classifier(num_classes=3):
            return keras.Sequential([
                layers.Rescaling(1 / 255.0),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(num_classes, activation="softmax"),
            ])


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = build_classifier()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)
        model.save_weights("flowers.weights.h5")

        # predict.py
        predictor = build_classifier()
        predictor.load_weights("flowers.weights.h5")
        img = keras.utils.img_to_array(keras.utils.load_img("{DATA}/flowers/roses/roses_000.jpg"))
        print(train_ds.class_names[int(np.argmax(predictor.predict(img[None])))])
        """,
    ),
    Case(
        name="keras-more12-load-weights-keras-file-into-deeper-model-tf215",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf215",
        setup=leaves,
        expect="expected 2 variables, but received 0 variables",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/leaves", image_size=(64, 64), batch_size=6)


        def make_model(extra_block=False):
            layers = [
                tf.keras.layers.Rescaling(1 / 255.0, input_shape=(64, 64, 3)),
                tf.keras.layers.Conv2D(16, 3, activation="relu"),
                tf.keras.layers.MaxPooling2D(),
            ]
            if extra_block:
                layers += [tf.keras.layers.Conv2D(32, 3, activation="relu"), tf.keras.layers.MaxPooling2D()]
            layers += [tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(3, activation="softmax")]
            return tf.keras.Sequential(layers)


        v1 = make_model()
        v1.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        v1.fit(train_ds, epochs=2, verbose=2)
        v1.save("leaf_v1.keras")

        # v2: one more conv block, warm-started from v1
        v2 = make_model(extra_block=True)
        v2.load_weights("leaf_v1.keras")
        v2.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        v2.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more12-load-model-on-saved-model-pb-tf215",
        cause="model.api_misuse",
        exception="OSError",
        env="tf215",
        setup=defects,
        expect="file signature not found",
        code="""
        import os
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(32, 32),
                                                               batch_size=8, label_mode="binary")
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(32, 32, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)
        model.save("export/defect_model/1")
        print(os.listdir("export/defect_model/1"))

        # serve.py
        model_path = "export/defect_model/1/saved_model.pb"
        served = tf.keras.models.load_model(model_path)
        print(served.predict(next(iter(train_ds))[0]))
        """,
    ),
    Case(
        name="keras-more12-load-model-compile-false-evaluate-tf212",
        cause="model.api_misuse",
        exception="RuntimeError",
        env="tf212",
        setup=pets,
        expect="You must compile your model before training/testing",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8,
                                                               label_mode="binary")
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)
        model.save("pets.h5")

        # evaluate.py -- compile=False avoids the "No training configuration found" warning
        reloaded = tf.keras.models.load_model("pets.h5", compile=False)
        loss, acc = reloaded.evaluate(train_ds)
        print(f"accuracy {acc:.3f}")
        """,
    ),
    # ============================================================ transfer learning / fine-tuning
    Case(
        name="keras-more12-transfer-pop-on-functional-mobilenet-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        setup=birds,
        expect="'Functional' object has no attribute 'pop'",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(96, 96), batch_size=4)

        model = tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), weights=None, alpha=0.35)
        model.pop()                                   # drop the 1000-way ImageNet classifier
        for layer in model.layers:
            layer.trainable = False
        out = tf.keras.layers.Dense(4, activation="softmax")(model.layers[-1].output)
        model = tf.keras.Model(model.input, out)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more12-nb-transfer-base-160-reused-at-224-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="is incompatible with the layer: expected shape=(None, 160, 160, 3)",
        **notebook([
            """
import keras
from keras import layers

IMG_SIZE = (160, 160)
base_model = keras.applications.MobileNetV2(input_shape=IMG_SIZE + (3,), include_top=False, weights=None)
base_model.trainable = False
""",
            """
# 160 px was not enough for the small birds: use the full 224 px
IMG_SIZE = (224, 224)
train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=IMG_SIZE, batch_size=4)
""",
            """
inputs = keras.Input(shape=IMG_SIZE + (3,))
x = keras.applications.mobilenet_v2.preprocess_input(inputs)
x = base_model(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dropout(0.2)(x)
outputs = layers.Dense(4, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
""",
        ], data=birds),
    ),
    Case(
        name="keras-more12-transfer-input-tensor-vs-input-shape-k3",
        cause="model.input_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        env="k3",
        setup=birds,
        expect="input_tensor.shape",
        code="""
        import keras
        from keras import layers

        IMG = 96
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(IMG, IMG), batch_size=4)

        inputs = keras.Input((IMG, IMG, 3))
        x = layers.RandomFlip("horizontal")(inputs)
        x = layers.Rescaling(1 / 127.5, offset=-1)(x)
        base = keras.applications.MobileNetV2(include_top=False, weights=None, input_tensor=x,
                                              input_shape=(128, 128, 3), alpha=0.35)
        x = layers.GlobalAveragePooling2D()(base.output)
        outputs = layers.Dense(4, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more12-transfer-freeze-slice-of-layers-list-tf212",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf212",
        setup=birds,
        expect="'list' object has no attribute 'trainable'",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(96, 96), batch_size=4)
        base = tf.keras.applications.ResNet50(include_top=False, weights=None, input_shape=(96, 96, 3))

        # fine-tune only the last stage (conv5_*)
        FINE_TUNE_AT = 143
        base.layers[:FINE_TUNE_AT].trainable = False

        model = tf.keras.Sequential([
            base,
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(1e-3, momentum=0.9),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more12-frozen-base-apply-gradients-model-weights-k3",
        cause="model.api_misuse",
        exception="InvalidArgumentError",
        env="k3",
        setup=birds,
        expect="Incompatible shapes",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(96, 96), batch_size=4)
        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None,
                                              pooling="avg", alpha=0.35)
        base.trainable = False
        model = keras.Sequential([keras.Input((96, 96, 3)), layers.Rescaling(1 / 127.5, offset=-1), base,
                                  layers.Dense(4)])

        optimizer = keras.optimizers.Adam(1e-3)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        for epoch in range(3):
            for images, labels in train_ds:
                with tf.GradientTape() as tape:
                    loss = loss_fn(labels, model(images, training=True))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.weights))
            print(f"epoch {epoch}: {float(loss):.4f}")
        """,
    ),
    # ============================================================ subclassing
    Case(
        name="keras-more12-subclassed-model-no-super-init-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        env="k3",
        setup=flowers,
        expect="_dtype_policy",
        code="""
        import keras
        from keras import layers


        class FlowerNet(keras.Model):
            def __init__(self, num_classes):
                self.features = keras.Sequential([
                    layers.Rescaling(1 / 255.0),
                    layers.Conv2D(16, 3, activation="relu"),
                    layers.MaxPooling2D(),
                    layers.Conv2D(32, 3, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                ])
                self.classifier = layers.Dense(num_classes)

            def call(self, x):
                return self.classifier(self.features(x))


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = FlowerNet(len(train_ds.class_names))
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more12-custom-box-head-layer-no-super-init-tf215",
        cause="model.api_misuse",
        exception="RuntimeError",
        env="tf215",
        setup=parts_boxes,
        expect="You must call `super().__init__()`",
        code=conveyor("""
        import tensorflow as tf

        x, y = load_conveyor("{DATA}/conveyor")


        class BoxHead(tf.keras.layers.Layer):
            def __init__(self, max_boxes):
                self.max_boxes = max_boxes
                self.dense = tf.keras.layers.Dense(max_boxes * 5)
                self.reshape = tf.keras.layers.Reshape((max_boxes, 5))

            def call(self, features):
                return self.reshape(self.dense(features))


        inputs = tf.keras.Input((IMG, IMG, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        outputs = BoxHead(MAX_BOXES)(h)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=8, epochs=3)
        """),
    ),
    Case(
        name="keras-more12-train-step-optimizer-minimize-tape-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="AttributeError",
        env="k3",
        setup=leaves,
        expect="object has no attribute 'minimize'",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers


        class LeafClassifier(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
                self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
                self.compiled_metrics.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}


        inputs = keras.Input((64, 64, 3))
        h = layers.Rescaling(1 / 255.0)(inputs)
        h = layers.Conv2D(16, 3, activation="relu")(h)
        h = layers.MaxPooling2D()(h)
        h = layers.Conv2D(32, 3, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        model = LeafClassifier(inputs, layers.Dense(3, activation="softmax")(h))

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves", image_size=(64, 64), batch_size=6)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # ============================================================ learning rate -> NaN -> an error later
    Case(
        name="keras-more12-high-lr-nan-confusion-matrix-round-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="k3",
        setup=defects,
        expect="`predictions` contains negative values",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(32, 32), batch_size=4,
                                                            label_mode="binary", shuffle=False)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.Flatten(),
            layers.Dense(64),
            layers.Dense(1, activation="sigmoid"),
        ])
        # lr=1.0 to get through the plateau quickly
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0, momentum=0.9),
                      loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)

        y_true = np.concatenate([y.numpy() for _, y in train_ds]).astype("int32").ravel()
        probs = model.predict(train_ds)
        y_pred = tf.cast(tf.round(probs[:, 0]), tf.int32)
        print(tf.math.confusion_matrix(y_true, y_pred, num_classes=2))
        """,
    ),
    Case(
        name="keras-more12-nb-high-lr-nan-pseudo-labels-bincount-tf215",
        cause="optim.divergence",
        exception="ValueError",
        env="tf215",
        expect="must have no negative elements",
        **notebook([
            """
import glob
import numpy as np
import tensorflow as tf
from PIL import Image

labelled = tf.keras.utils.image_dataset_from_directory("{DATA}/defects", image_size=(32, 32), batch_size=4,
                                                       label_mode="binary")
unlabelled = np.stack([np.asarray(Image.open(f).convert("RGB"), np.float32)
                       for f in sorted(glob.glob("{DATA}/unlabelled/*.png"))])
unlabelled.shape
""",
            """
teacher = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
    tf.keras.layers.BatchNormalization(),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(64),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
teacher.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=1.0, momentum=0.9),
                loss="binary_crossentropy", metrics=["accuracy"])
teacher.fit(labelled, epochs=3, verbose=2)
""",
            """
# pseudo-labels for the unlabelled frames; check the class balance before self-training
pseudo = np.round(teacher.predict(unlabelled)[:, 0]).astype(int)
print("ok / scratch:", np.bincount(pseudo, minlength=2))
""",
        ], data=both(defects, imgs([(f"unlabelled/frame_{i:03d}.png", (32, 32), "RGB") for i in range(12)]))),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
