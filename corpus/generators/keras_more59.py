"""Untargeted held-out Keras / TensorFlow image-model failures (g137, scored 0.95 top-1 and 1.00 top-3 before any rule for it) of teams keeping Keras 2-style
image training code alive with ``tf_keras`` (``TF_USE_LEGACY_KERAS=1``) on TensorFlow 2.21, and of
the half of the team that moved to Keras 3: ``ImageDataGenerator`` pipelines, subclassed models with
a custom ``train_step``, custom callbacks (learning-rate schedules, early stopping on custom
metrics), ``.h5`` checkpoints passed between the two stacks, ``tf.compat.v1`` leftovers,
``SavedModel`` export and reload, classification and small detection heads, spread over the cause
ids of the taxonomy:

- files: an ``.h5`` image archive re-written by the Keras 3 half with new dataset keys, read by the
  tf_keras ``ImageDataGenerator.flow`` script with the old ones;
- sizes / channels: detections cropped with ``crop_to_bounding_box`` and stacked for the second-stage
  classifier without a resize; a "random grayscale" augmentation (2-D PIL ``convert("L")`` arrays) in
  the ``Sequence`` that replaced ``flow_from_directory(preprocessing_function=...)``;
- boxes: Inception-style ``sample_distorted_bounding_box`` crop augmentation fed pixel boxes;
- labels: images without an object padded with class ``-1`` for a sparse loss in a detector's
  ``train_step``; a validation folder loaded with ``label_mode="categorical"`` for a model trained
  with sparse labels;
- dtypes: a custom F1 metric (for early stopping on ``val_f1``) multiplying int32 directory labels by
  float predictions; a tf_keras SavedModel with a uint8 serving signature reloaded as a Keras 3
  ``TFSMLayer`` and given float32 batches;
- model: a tf_keras ``.h5`` (Flatten head, 128 px) evaluated by the Keras 3 half at 96 px; a tf_keras
  10-class ``.h5`` fine-tuned in Keras 3 on a 3-class folder without a new head;
- weights: a tf_keras ``ModelCheckpoint(save_weights_only=True)`` TF-checkpoint prefix given to Keras 3
  ``load_weights``;
- API: ``ImageDataGenerator.flow(x, [y_cls, y_box])`` for a two-output detector (notebook); a
  ``CosineDecay`` schedule object handed to the ``LearningRateScheduler`` callback;
- training: a defect classifier on unscaled directory pixels with SGD + momentum whose NaN scores
  reach the score-histogram callback (``np.histogram``); a ``train_step`` IoU loss on boxes rounded
  to integer pixels (no gradients);
- resources / environment / other: full-resolution drone photos predicted in batches of 8 (CPU
  allocator OOM), a TF1 ``tf.compat.v1.summary.FileWriter`` image-logging callback under eager, a
  Keras 3 ``.h5`` loaded by tf_keras, ``ImageDataGenerator`` augmentation on a fresh tf_keras venv
  without SciPy, the shared ``ImageDataGenerator`` script run by the Keras 3 half, a polynomial
  learning-rate schedule resumed past its last epoch (complex learning rate).

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) and Keras 3 (keras 3.15) on tensorflow-cpu 2.21; scripts,
scripts under a terminal (progress bars) and a notebook run in a real IPython shell. Everything runs
on a CPU: causes that need a GPU are not produced.

Every case is a small training / evaluation script that really fails with the library's own error;
the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more59.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g137): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import make_images as _imgs  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402

SRC = "corpus/generators/keras_more59.py"

PARTS = ["bolt", "nut", "washer"]


# ---------------------------------------------------------------- data helpers
def folder(root, classes=PARTS, per=8, size=(64, 64), seed=0):
    def setup(d: Path):
        _imgs(d / root, classes, per_class=per, size=size, fmt="jpeg", seed=seed)
    return setup


def h5_archive(d: Path):
    import h5py
    r = _rng(5901)
    with h5py.File(d / "parts_64px.h5", "w") as f:
        # re-exported by the Keras 3 half of the team: new key names
        f.create_dataset("images", data=r.integers(0, 255, size=(60, 64, 64, 3), dtype="uint8"))
        f.create_dataset("labels", data=r.integers(0, 3, size=60).astype("int64"))
        f.attrs["classes"] = ",".join(PARTS)


def shelf_boxes(d: Path):
    import json
    r = _rng(5902)
    ann = {}
    for i in range(4):
        fn = f"shelf_{i:03d}.jpg"
        _jpg(d / "shelf" / fn, r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))
        boxes = []
        for _ in range(2):
            x, y = int(r.integers(0, 200)), int(r.integers(0, 140))
            boxes.append([x, y, int(r.integers(30, 110)), int(r.integers(30, 90))])   # x, y, w, h
        ann[fn] = boxes
    (d / "shelf" / "detections.json").write_text(json.dumps(ann, indent=1))


def pascal_boxes(d: Path):
    import json
    r = _rng(5903)
    ann = {}
    for i in range(12):
        fn = f"img_{i:04d}.jpg"
        _jpg(d / "parts" / "images" / fn, r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))
        x1, y1 = int(r.integers(0, 200)), int(r.integers(0, 120))
        ann[fn] = [[y1, x1, y1 + int(r.integers(40, 110)), x1 + int(r.integers(40, 110))]]   # ymin xmin ymax xmax px
    (d / "parts" / "boxes.json").write_text(json.dumps(ann, indent=1))


def det_arrays(d: Path):
    import numpy as np
    r = _rng(5904)
    (d / "det").mkdir(parents=True, exist_ok=True)
    np.save(d / "det" / "images.npy", r.integers(0, 255, size=(48, 64, 64, 3), dtype=np.uint8))
    cls = r.integers(0, 3, size=48)
    cls[[5, 13, 30]] = -1                       # frames without a part: padded as "no object"
    box = r.uniform(0.05, 0.6, size=(48, 2))
    box = np.concatenate([box, box + r.uniform(0.1, 0.35, size=(48, 2))], axis=1)
    box[cls < 0] = 0.0
    np.save(d / "det" / "classes.npy", cls)
    np.save(d / "det" / "boxes.npy", box.astype("float32"))


def tfk2_savedmodel(d: Path):
    folder("flowers", ["daisy", "roses", "tulips"], per=6, size=(96, 96), seed=5905)(d)
    prep("tfk2", """
        import os
        import tensorflow as tf
        tf.keras.utils.set_random_seed(0)
        os.makedirs("models", exist_ok=True)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(96, 96, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])

        @tf.function(input_signature=[tf.TensorSpec([None, 96, 96, 3], tf.uint8, name="images")])
        def serve(images):
            return {"probs": model(tf.cast(images, tf.float32), training=False)}

        tf.saved_model.save(model, "export/flowers/1", signatures={"serving_default": serve})
    """, d)


def tfk2_flatten_h5(d: Path):
    folder("flowers", ["daisy", "roses", "tulips"], per=6, size=(96, 96), seed=5906)(d)
    prep("tfk2", """
        import os
        import tensorflow as tf
        tf.keras.utils.set_random_seed(0)
        os.makedirs("models", exist_ok=True)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(128, 128, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(4),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(4),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.save("models/flowers_cnn_128.h5")
    """, d)


def tfk2_ten_class_h5(d: Path):
    folder("parts_v2", PARTS, per=8, size=(64, 64), seed=5907)(d)
    prep("tfk2", """
        import os
        import tensorflow as tf
        tf.keras.utils.set_random_seed(0)
        os.makedirs("models", exist_ok=True)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(10, activation="softmax", name="predictions"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.save("models/parts_v1_10cls.h5")
    """, d)


def tfk2_tf_checkpoint(d: Path):
    folder("parts", PARTS, per=4, size=(64, 64), seed=5908)(d)
    prep("tfk2", """
        import numpy as np
        import tensorflow as tf
        tf.keras.utils.set_random_seed(0)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy")
        ckpt = tf.keras.callbacks.ModelCheckpoint("checkpoints/best", save_weights_only=True)
        model.fit(np.random.rand(16, 64, 64, 3) * 255, np.random.randint(0, 3, 16), epochs=1, verbose=0,
                  callbacks=[ckpt])
    """, d)


def k3_weights_h5(d: Path):
    det_arrays(d)
    prep("k3", """
        import os
        import keras
        from keras import layers
        keras.utils.set_random_seed(0)
        os.makedirs("models", exist_ok=True)
        inp = keras.Input((64, 64, 3))
        h = layers.Rescaling(1.0 / 255)(inp)
        h = layers.Conv2D(16, 3, strides=2, activation="relu")(h)
        h = layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = layers.GlobalAveragePooling2D()(h)
        out = layers.Dense(4, activation="sigmoid", name="box")(h)
        model = keras.Model(inp, out)
        model.save_weights("models/box_head.weights.h5")
    """, d)


def k3_full_h5(d: Path):
    folder("parts", PARTS, per=4, size=(64, 64), seed=5909)(d)
    prep("k3", """
        import os
        import keras
        from keras import layers
        keras.utils.set_random_seed(0)
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("models/parts_cnn.h5")
    """, d)


def drone_photos(d: Path):
    import numpy as np
    for i in range(8):
        # flat colour + gradient: full-size 6000 x 4000 JPEGs that stay small on disk
        g = np.linspace(0, 255, 6000, dtype="float32")[None, :, None]
        arr = np.broadcast_to(g, (4000, 6000, 3)).astype("uint8")
        _jpg(d / "survey" / f"DJI_{i:04d}.JPG", np.ascontiguousarray(arr), quality=50)


# a small tf_keras classifier for 64 px inputs, as the Keras 2-style scripts write it
TFK_CNN = """
model = tf.keras.Sequential([
    tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
])
"""


def tfk_cnn(indent="        "):
    return "\n".join((indent + line) if line else line for line in TFK_CNN.strip("\n").splitlines()).lstrip()


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more59-h5-image-archive-rewritten-by-keras3-half-new-dataset-keys-tfk2",
        cause="data.missing_or_corrupt",
        env="tfk2",
        exception="KeyError",
        setup=h5_archive,
        expect="doesn't exist",
        code="""
        import h5py
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator
        from tensorflow.keras.utils import to_categorical

        NUM_CLASSES = 3

        with h5py.File("{DATA}/parts_64px.h5", "r") as f:
            x_train = f["x_train"][:]
            y_train = f["y_train"][:]
        print("x_train", x_train.shape)

        datagen = ImageDataGenerator(rescale=1.0 / 255, validation_split=0.2)
        train_gen = datagen.flow(x_train, to_categorical(y_train, NUM_CLASSES), batch_size=16, subset="training")
        val_gen = datagen.flow(x_train, to_categorical(y_train, NUM_CLASSES), batch_size=16, subset="validation")

        @@CNN@@
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, validation_data=val_gen, epochs=5)
        """.replace("@@CNN@@", tfk_cnn()),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more59-second-stage-classifier-stacks-detection-crops-without-resize-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=shelf_boxes,
        expect="Shapes of all inputs must match",
        code="""
        import json

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        CROP = 64
        CLASSES = ["cereal", "soda", "soap"]

        classifier = keras.Sequential([
            keras.Input((CROP, CROP, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])

        detections = json.load(open("{DATA}/shelf/detections.json"))
        for fn, boxes in detections.items():
            img = tf.io.decode_jpeg(tf.io.read_file("{DATA}/shelf/" + fn), channels=3)
            crops = []
            for x, y, w, h in boxes:
                crops.append(tf.image.crop_to_bounding_box(img, y, x, h, w))
            batch = tf.cast(tf.stack(crops), tf.float32)
            probs = classifier.predict(batch, verbose=0)
            print(fn, [CLASSES[i] for i in probs.argmax(1)])
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more59-random-grayscale-augment-pil-convert-l-in-sequence-port-np-stack-tfk2",
        cause="data.image_channels",
        env="tfk2",
        exception="ValueError",
        setup=folder("parts/train", per=10),
        pty=True,
        expect="must have the same shape",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image

        ROOT = "{DATA}/parts/train"
        CLASSES = sorted(os.listdir(ROOT))
        NUM_CLASSES = len(CLASSES)
        rng = np.random.default_rng(7)


        def random_grayscale(img, p=0.3):
            # parts are photographed under sodium lamps on line 2: train colour-blind sometimes
            if rng.random() < p:
                return np.asarray(img.convert("L"), dtype="float32")
            return np.asarray(img, dtype="float32")


        class PartsSequence(tf.keras.utils.Sequence):
            \"\"\"Replaces ImageDataGenerator.flow_from_directory(preprocessing_function=...).\"\"\"

            def __init__(self, root, batch_size=8):
                super().__init__()
                self.items = [(p, CLASSES.index(c)) for c in CLASSES for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
                rng.shuffle(self.items)
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def __getitem__(self, i):
                batch = self.items[i * self.batch_size:(i + 1) * self.batch_size]
                x = np.stack([random_grayscale(Image.open(p).convert("RGB").resize((64, 64))) for p, _ in batch])
                y = tf.keras.utils.to_categorical([c for _, c in batch], NUM_CLASSES)
                return x / 255.0, y


        @@CNN@@
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(PartsSequence(ROOT), epochs=5)
        """.replace("@@CNN@@", tfk_cnn()),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more59-inception-style-sample-distorted-bounding-box-given-pixel-boxes-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=pascal_boxes,
        pty=True,
        expect="must be in [0.0, 1.0]",
        code="""
        import json

        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/parts"
        ann = json.load(open(f"{ROOT}/boxes.json"))
        files = sorted(ann)
        boxes = tf.ragged.constant([ann[f] for f in files], dtype=tf.float32).to_tensor()


        def load_and_crop(path, bbox):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            # Inception preprocessing: random crop that keeps most of the object
            begin, size, _ = tf.image.sample_distorted_bounding_box(
                tf.shape(img), bounding_boxes=bbox[None], min_object_covered=0.5,
                aspect_ratio_range=(0.75, 1.33), area_range=(0.3, 1.0), use_image_if_no_bounding_boxes=True)
            img = tf.slice(img, begin, size)
            return tf.image.resize(img, (96, 96)), 1.0


        ds = (tf.data.Dataset.from_tensor_slices(([f"{ROOT}/images/{f}" for f in files], boxes))
              .map(load_and_crop).batch(4))

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy")
        model.fit(ds, epochs=2)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more59-detector-train-step-no-object-frames-class-minus-one-sparse-loss-tfk2",
        cause="data.label_out_of_range",
        env="tfk2",
        exception="InvalidArgumentError",
        setup=det_arrays,
        pty=True,
        expect="outside the valid range",
        code="""
        import numpy as np
        import tensorflow as tf

        NUM_CLASSES = 3


        class PartDetector(tf.keras.Model):
            \"\"\"One part per frame: class logits + [ymin, xmin, ymax, xmax] in 0..1.\"\"\"

            def __init__(self):
                super().__init__()
                self.backbone = tf.keras.Sequential([
                    tf.keras.layers.Rescaling(1.0 / 255),
                    tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
                    tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
                    tf.keras.layers.GlobalAveragePooling2D(),
                ])
                self.cls_head = tf.keras.layers.Dense(NUM_CLASSES)
                self.box_head = tf.keras.layers.Dense(4, activation="sigmoid")
                self.loss_tracker = tf.keras.metrics.Mean(name="loss")

            def call(self, x, training=False):
                h = self.backbone(x, training=training)
                return self.cls_head(h), self.box_head(h)

            def train_step(self, data):
                x, (y_cls, y_box) = data
                with tf.GradientTape() as tape:
                    cls_logits, box = self(x, training=True)
                    cls_loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(
                        y_cls, cls_logits, from_logits=True))
                    has_obj = tf.cast(y_cls >= 0, tf.float32)
                    box_loss = tf.reduce_mean(has_obj * tf.reduce_sum(tf.abs(y_box - box), axis=-1))
                    loss = cls_loss + 5.0 * box_loss
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                self.loss_tracker.update_state(loss)
                return {"loss": self.loss_tracker.result()}

            @property
            def metrics(self):
                return [self.loss_tracker]


        images = np.load("{DATA}/det/images.npy")
        classes = np.load("{DATA}/det/classes.npy")
        boxes = np.load("{DATA}/det/boxes.npy")
        ds = tf.data.Dataset.from_tensor_slices((images, (classes, boxes))).shuffle(64, seed=0).batch(8)

        model = PartDetector()
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3))
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more59-val-folder-loaded-categorical-by-other-half-model-trained-sparse-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=folder("parts_split/train", per=8, seed=5910),
        pty=True,
        expect="target.shape",
        code="""
        import shutil

        import keras
        from keras import layers

        # the validation split lives next to train/ (copied by prepare_val.py)
        shutil.copytree("{DATA}/parts_split/train", "{DATA}/parts_split/val")


        def load_train():
            return keras.utils.image_dataset_from_directory(
                "{DATA}/parts_split/train", image_size=(64, 64), batch_size=8, seed=1)


        def load_val():
            # from the colleague's evaluate.py
            return keras.utils.image_dataset_from_directory(
                "{DATA}/parts_split/val", image_size=(64, 64), batch_size=8, label_mode="categorical")


        train_ds, val_ds = load_train(), load_val()
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(), metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more59-custom-f1-metric-int32-directory-labels-times-float-preds-early-stopping-tfk2",
        cause="data.dtype",
        env="tfk2",
        exception="TypeError",
        setup=folder("welds", ["good", "porous"], per=10, seed=5911),
        pty=True,
        code="""
        import tensorflow as tf


        class F1Score(tf.keras.metrics.Metric):
            def __init__(self, name="f1", threshold=0.5, **kwargs):
                super().__init__(name=name, **kwargs)
                self.threshold = threshold
                self.tp = self.add_weight(name="tp", initializer="zeros")
                self.fp = self.add_weight(name="fp", initializer="zeros")
                self.fn = self.add_weight(name="fn", initializer="zeros")

            def update_state(self, y_true, y_pred, sample_weight=None):
                y_pred = tf.cast(y_pred > self.threshold, tf.float32)
                self.tp.assign_add(tf.reduce_sum(y_true * y_pred))
                self.fp.assign_add(tf.reduce_sum((1 - y_true) * y_pred))
                self.fn.assign_add(tf.reduce_sum(y_true * (1 - y_pred)))

            def result(self):
                p = self.tp / (self.tp + self.fp + 1e-7)
                r = self.tp / (self.tp + self.fn + 1e-7)
                return 2 * p * r / (p + r + 1e-7)

            def reset_state(self):
                for v in (self.tp, self.fp, self.fn):
                    v.assign(0.0)


        train_ds, val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/welds", image_size=(64, 64), batch_size=8, validation_split=0.25, subset="both", seed=3)

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(64, 64, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", F1Score()])
        model.fit(train_ds, validation_data=val_ds, epochs=20,
                  callbacks=[tf.keras.callbacks.EarlyStopping(monitor="val_f1", mode="max", patience=4,
                                                              restore_best_weights=True)])
        """,
    ),
    Case(
        name="keras-more59-tf-keras-savedmodel-uint8-signature-reloaded-as-tfsmlayer-float-batches-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        expect="was expected to be a uint8 tensor",
        setup=tfk2_savedmodel,
        code="""
        import numpy as np
        import keras

        # exported by the tf_keras training job (export.py, serving signature takes raw uint8 pixels)
        serving = keras.layers.TFSMLayer("{DATA}/export/flowers/1", call_endpoint="serving_default")

        test_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=(96, 96), batch_size=6, shuffle=False)
        class_names = test_ds.class_names

        correct = total = 0
        for images, labels in test_ds:
            probs = serving(images)["probs"]
            correct += int(np.sum(np.argmax(probs, axis=1) == labels.numpy()))
            total += len(labels)
        print(f"accuracy of the exported model: {correct / total:.3f}")
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more59-tf-keras-h5-flatten-head-128px-evaluated-at-96px-by-keras3-half-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=tfk2_flatten_h5,
        expect="incompatible",
        code="""
        import keras

        IMG_SIZE = (96, 96)      # the new capture rig

        model = keras.models.load_model("{DATA}/models/flowers_cnn_128.h5")
        test_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/flowers", image_size=IMG_SIZE, batch_size=6, label_mode="categorical", shuffle=False)
        loss, acc = model.evaluate(test_ds)
        print(f"test accuracy {acc:.3f}")
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more59-tf-keras-ten-class-h5-fine-tuned-in-keras3-on-three-part-folders-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=tfk2_ten_class_h5,
        pty=True,
        expect="output.shape",
        code="""
        import keras

        base = keras.models.load_model("{DATA}/models/parts_v1_10cls.h5")
        base.summary()

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/parts_v2", image_size=(64, 64), batch_size=8, label_mode="categorical", seed=0)
        print("classes:", train_ds.class_names)

        # fine-tune everything with a small learning rate
        base.compile(optimizer=keras.optimizers.Adam(1e-4), loss="categorical_crossentropy", metrics=["accuracy"])
        base.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more59-tf-keras-checkpoint-prefix-save-weights-only-loaded-by-keras3-k3",
        cause="model.weights_mismatch",
        also=("env.version_incompat",),
        exception="ValueError",
        setup=tfk2_tf_checkpoint,
        expect="File format not supported",
        code="""
        import os

        import keras
        from keras import layers

        print(sorted(os.listdir("{DATA}/checkpoints")))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.load_weights("{DATA}/checkpoints/best")
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/parts", image_size=(64, 64), batch_size=4)
        print(model.predict(test_ds).argmax(1))
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more59-notebook-datagen-flow-given-list-of-class-and-box-targets-two-output-tfk2",
        cause="model.api_misuse",
        also=("data.label_shape",),
        env="tfk2",
        exception="ValueError",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            from tensorflow.keras.preprocessing.image import ImageDataGenerator
            """,
            """
            images = np.load("{DATA}/det/images.npy").astype("float32")
            classes = np.clip(np.load("{DATA}/det/classes.npy"), 0, None)
            boxes = np.load("{DATA}/det/boxes.npy")
            images.shape, classes.shape, boxes.shape
            """,
            """
            inp = tf.keras.Input((64, 64, 3))
            h = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inp)
            h = tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu")(h)
            h = tf.keras.layers.GlobalAveragePooling2D()(h)
            cls_out = tf.keras.layers.Dense(3, activation="softmax", name="cls")(h)
            box_out = tf.keras.layers.Dense(4, activation="sigmoid", name="box")(h)
            model = tf.keras.Model(inp, [cls_out, box_out])
            model.compile("adam", loss={"cls": "sparse_categorical_crossentropy", "box": "huber"})
            """,
            """
            datagen = ImageDataGenerator(rescale=1.0 / 255, brightness_range=None)
            train_gen = datagen.flow(images, [classes, boxes], batch_size=8)
            model.fit(train_gen, epochs=3)
            """,
        ], data=det_arrays),
    ),
    Case(
        name="keras-more59-cosine-decay-schedule-object-handed-to-learning-rate-scheduler-callback-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=folder("parts", per=8, seed=5912),
        pty=True,
        expect="schedule",
        code="""
        import keras
        from keras import layers

        EPOCHS = 10
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/parts", image_size=(64, 64), batch_size=8)
        steps = EPOCHS * train_ds.cardinality().numpy()

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])

        cosine = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=steps, alpha=0.01)
        model.fit(train_ds, epochs=EPOCHS,
                  callbacks=[keras.callbacks.LearningRateScheduler(cosine, verbose=1)])
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more59-defect-classifier-unscaled-pixels-sgd-momentum-nan-score-histogram-callback-tfk2",
        cause="optim.divergence",
        env="tfk2",
        exception="ValueError",
        setup=folder("crops", ["background", "defect"], per=16, seed=5913),
        pty=True,
        expect="is not finite",
        code="""
        import numpy as np
        import tensorflow as tf

        # no rescale: the old pipeline divided by 255 in a Lambda layer that was dropped in the port
        train_ds, val_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/crops", image_size=(64, 64), batch_size=8, label_mode="binary", validation_split=0.25,
            subset="both", seed=0)


        class ScoreHistogram(tf.keras.callbacks.Callback):
            \"\"\"Prints the distribution of validation defect scores (to pick the alarm threshold).\"\"\"

            def __init__(self, data, bins=10):
                super().__init__()
                self.data, self.bins = data, bins

            def on_epoch_end(self, epoch, logs=None):
                scores = self.model.predict(self.data, verbose=0).ravel()
                counts, edges = np.histogram(scores, bins=self.bins, range=None)
                print(" ".join(f"{e:.1f}:{c}" for e, c in zip(edges, counts)))


        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, 3, input_shape=(64, 64, 3)),
            tf.keras.layers.LeakyReLU(0.1),
            tf.keras.layers.Conv2D(32, 3),
            tf.keras.layers.LeakyReLU(0.1),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64),
            tf.keras.layers.LeakyReLU(0.1),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                      loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=10,
                  callbacks=[ScoreHistogram(val_ds),
                             tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more59-train-step-iou-loss-on-boxes-rounded-to-integer-pixels-no-gradients-tfk2",
        cause="optim.autograd_graph",
        env="tfk2",
        exception="ValueError",
        setup=det_arrays,
        pty=True,
        expect="No gradients provided",
        code="""
        import numpy as np
        import tensorflow as tf

        IMG = 64


        def iou_loss(y_true, y_pred):
            # compare boxes on the pixel grid, like the annotation tool does
            t = tf.cast(tf.round(y_true * IMG), tf.int32)
            p = tf.cast(tf.round(y_pred * IMG), tf.int32)
            ih = tf.maximum(0, tf.minimum(t[:, 2], p[:, 2]) - tf.maximum(t[:, 0], p[:, 0]))
            iw = tf.maximum(0, tf.minimum(t[:, 3], p[:, 3]) - tf.maximum(t[:, 1], p[:, 1]))
            inter = tf.cast(ih * iw, tf.float32)
            area_t = tf.cast((t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1]), tf.float32)
            area_p = tf.cast((p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1]), tf.float32)
            return 1.0 - tf.reduce_mean(inter / (area_t + area_p - inter + 1e-6))


        class BoxRegressor(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.body = tf.keras.Sequential([
                    tf.keras.layers.Rescaling(1.0 / 255),
                    tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
                    tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu"),
                    tf.keras.layers.GlobalAveragePooling2D(),
                    tf.keras.layers.Dense(4, activation="sigmoid"),
                ])

            def call(self, x, training=False):
                return self.body(x, training=training)

            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = iou_loss(y, y_pred)
                grads = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                return {"iou_loss": loss}


        images = np.load("{DATA}/det/images.npy")
        boxes = np.load("{DATA}/det/boxes.npy")
        model = BoxRegressor()
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3))
        model.fit(images, boxes, batch_size=8, epochs=5)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more59-full-resolution-drone-photos-predict-batch-eight-cpu-allocator-oom-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=drone_photos,
        pty=True,
        timeout=600,
        expect="OOM",
        code="""
        import glob
        import os

        os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"     # silence the oneDNN banner
        import tensorflow as tf
        import keras
        from keras import layers

        paths = sorted(glob.glob("{DATA}/survey/*.JPG"))
        print(len(paths), "survey photos")


        def load(path):
            return tf.io.decode_jpeg(tf.io.read_file(path), channels=3)


        # fully convolutional: "works on any image size", so the photos go in at full resolution
        seg = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(1, 1, activation="sigmoid"),
        ])
        ds = tf.data.Dataset.from_tensor_slices(paths).map(load).batch(8)
        masks = seg.predict(ds)
        print(masks.shape)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more59-tf1-summary-filewriter-image-logging-callback-under-eager-tfk2",
        cause="env.version_incompat",
        env="tfk2",
        exception="RuntimeError",
        setup=folder("parts", per=8, seed=5914),
        pty=True,
        expect="FileWriter is not compatible with eager execution",
        code="""
        import numpy as np
        import tensorflow as tf

        NUM_CLASSES = 3


        class ImageLogger(tf.keras.callbacks.Callback):
            \"\"\"Writes a few training images to TensorBoard (from the TF 1.x project).\"\"\"

            def __init__(self, log_dir, dataset):
                super().__init__()
                self.log_dir, self.dataset = log_dir, dataset

            def on_train_begin(self, logs=None):
                self.writer = tf.compat.v1.summary.FileWriter(self.log_dir)

            def on_epoch_end(self, epoch, logs=None):
                x, _ = next(iter(self.dataset))
                summary = tf.compat.v1.summary.image("train_batch", x[:4] / 255.0, max_outputs=4)
                self.writer.add_summary(summary, epoch)
                self.writer.flush()


        train_gen = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/parts", image_size=(64, 64), batch_size=8, label_mode="categorical", seed=0)

        @@CNN@@
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=5, callbacks=[ImageLogger("logs/images", train_gen)])
        """.replace("@@CNN@@", tfk_cnn()),
    ),
    Case(
        name="keras-more59-keras3-saved-h5-full-model-loaded-by-tf-keras-inference-server-tfk2",
        cause="env.version_incompat",
        also=("model.weights_mismatch",),
        env="tfk2",
        exception="TypeError",
        expect="batch_shape",
        setup=k3_full_h5,
        code="""
        import numpy as np
        import tensorflow as tf

        model = tf.keras.models.load_model("{DATA}/models/parts_cnn.h5")
        test_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/parts", image_size=(64, 64), batch_size=4,
                                                              shuffle=False)
        print(model.predict(test_ds).argmax(1))
        """,
    ),
    Case(
        name="keras-more59-fresh-tf-keras-venv-without-scipy-datagen-rotation-augment-tfk2",
        cause="env.version_incompat",
        env="tfk2",
        exception="NameError",
        setup=folder("parts/train", per=8, seed=5917),
        pty=True,
        expect="scipy",
        code="""
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        # requirements.txt of the new inference / training box: tensorflow-cpu==2.21 tf_keras==2.21
        NUM_CLASSES = 3

        datagen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=20, width_shift_range=0.1,
                                     height_shift_range=0.1, zoom_range=0.15, horizontal_flip=True)
        train_gen = datagen.flow_from_directory("{DATA}/parts/train", target_size=(64, 64), batch_size=8)

        @@CNN@@
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=10)
        """.replace("@@CNN@@", tfk_cnn()),
    ),
    Case(
        name="keras-more59-shared-imagedatagenerator-train-script-run-by-keras3-half-k3",
        cause="env.version_incompat",
        exception="ImportError",
        setup=folder("parts", per=8, seed=5915),
        expect="ImageDataGenerator",
        code="""
        import keras
        from keras import layers
        from keras.preprocessing.image import ImageDataGenerator

        NUM_CLASSES = 3

        datagen = ImageDataGenerator(rescale=1.0 / 255, rotation_range=15, horizontal_flip=True,
                                     validation_split=0.25)
        train_gen = datagen.flow_from_directory("{DATA}/parts", target_size=(64, 64), batch_size=8,
                                                subset="training")
        val_gen = datagen.flow_from_directory("{DATA}/parts", target_size=(64, 64), batch_size=8,
                                              subset="validation")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, validation_data=val_gen, epochs=10)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more59-poly-decay-lr-schedule-resumed-past-last-epoch-complex-learning-rate-tfk2",
        cause="other",
        also=("model.api_misuse",),
        env="tfk2",
        exception="ValueError",
        setup=folder("parts", per=8, seed=5916),
        pty=True,
        expect="schedule",
        code="""
        import tensorflow as tf

        NUM_CLASSES = 3
        INIT_LR = 1e-3
        MAX_EPOCHS = 4          # from the first run's config
        POWER = 0.9


        def poly_decay(epoch):
            return INIT_LR * (1 - epoch / float(MAX_EPOCHS)) ** POWER


        train_gen = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/parts", image_size=(64, 64), batch_size=8, label_mode="categorical", seed=0)

        @@CNN@@
        model.compile(optimizer=tf.keras.optimizers.Adam(INIT_LR), loss="categorical_crossentropy",
                      metrics=["accuracy"])
        # resume: the first run stopped after epoch 4, train 3 more
        model.fit(train_gen, initial_epoch=4, epochs=7,
                  callbacks=[tf.keras.callbacks.LearningRateScheduler(poly_decay, verbose=1)])
        """.replace("@@CNN@@", tfk_cnn()),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
