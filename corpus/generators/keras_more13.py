"""A thirteenth set of real Keras / TensorFlow failures, centred on image
classifier and detector training that breaks on DTYPES, GRADIENTS, DEVICES /
DISTRIBUTION STRATEGIES and CORRUPT FILES, on TF 2.12 / 2.15 (Keras 2), TF 2.21
with tf_keras (Keras 2) and TF 2.21 (Keras 3), all reproducible on CPU.

Code paths keras_more.py ... keras_more12.py, tf_dtype.py and tf_optim.py leave
out: uint8 images scaled to [-1, 1] without a cast (in a ``Dataset.map`` and
eagerly in a notebook's predict cell), a normalisation layer holding float64
ImageNet means, a top-1 metric comparing float labels with ``tf.argmax``'s int64,
``tf.nn.sparse_softmax_cross_entropy_with_logits`` and ``tf.one_hot`` given the
float labels Keras hands to a loss, float64 box targets from NumPy in an eager
GradientTape loop, an RGB-D pipeline concatenating a uint8 depth map to float RGB,
a TFRecord box target stacked with the int64 class id, NMS on boxes decoded in
NumPy float64, ``draw_bounding_boxes`` on uint8 previews in a callback, a float
accuracy counter given an int32 count, float32 pixels written as bytes and read
back as uint8; tapes (a saliency map w.r.t. an unwatched input, gradient
accumulation over a detector head the warm-up loss does not use, a class loss
and a box loss taken from one non-persistent tape, one ``tf.function`` train step
reused by a new model and optimizer in every k-fold split, a distillation student
run through ``predict`` inside the tape, a head layer object given to
``tape.watch``, ``.numpy()`` logging inside a ``tf.function``);
``tf.distribute.MirroredStrategy`` over two logical CPUs (an
optimizer made outside the scope, a step called without ``strategy.run``,
``apply_gradients`` on per-replica gradients in cross-replica context, a
``tf.reduce_mean`` of a per-replica loss, ``predict`` on a distributed batch), a Colab TPU
resolver with no TPU, a PyTorch-style ``tf.device("cuda:0")``; files
(``flow_from_directory`` over a truncated and a zero-byte JPEG, ``list_files``
picking up ``Thumbs.db`` and a notes file, per-class sampling and class weights
with an empty class folder, a GZIP TFRecord read as plain, a one-hot label read
as a scalar feature, an image read with ``VarLenFeature``).

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more13.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import rgb as _rgb  # noqa: E402
from _record import class_folder, imgs, sub  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, save_png  # noqa: E402



# ---------------------------------------------------------------- data helpers
leaves = imgs(class_folder("leaves", ["healthy", "rust", "scab"], 6, size=(64, 64), ext="jpg"))
parts = imgs(class_folder("parts", ["bolt", "nut", "washer"], 8, size=(32, 32), ext="png"))


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(48, 48), fmt="jpeg")


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(48, 48), fmt="jpeg")


def rgbd(d: Path):
    import numpy as np
    rng = np.random.default_rng(3)
    for i in range(12):
        save_png(d / "grasp" / "rgb" / f"frame_{i:03d}.png", _rgb(48, 48, i))
        save_png(d / "grasp" / "depth" / f"frame_{i:03d}.png",
                 rng.integers(0, 255, size=(48, 48), dtype="uint8"), mode="L")
    (d / "grasp" / "labels.txt").write_text("".join(f"frame_{i:03d} {i % 2}\n" for i in range(12)))


def boxes_csv(d: Path):
    rows = ["file,xmin,ymin,xmax,ymax,label"]
    for i in range(16):
        save_png(d / "cones" / "images" / f"cone_{i:03d}.png", _rgb(64, 64, 20 + i))
        x0, y0 = 4 + i, 6 + (i * 3) % 20
        rows.append(f"cone_{i:03d}.png,{x0},{y0},{x0 + 24},{y0 + 30},{i % 2}")
    (d / "cones" / "boxes.csv").write_text("\n".join(rows) + "\n")


trunc_in_flowers = both(flowers, imgs([("flowers/roses/roses_from_phone.jpg", (48, 48), "truncated")]))
empty_in_pets = both(pets, imgs([("pets/dog/dog_download_17.jpg", (48, 48), "empty")]))


def junk_in_parts(d: Path):
    parts(d)
    (d / "parts" / "bolt" / "Thumbs.db").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (d / "parts" / "washer" / "notes.txt").write_text("washers from line 3, re-shoot the blurry ones\n")


def empty_class(d: Path):
    make_images(d / "defects", ["crack", "dent", "ok"], per_class=6, size=(32, 32), fmt="png")
    (d / "defects" / "scratch").mkdir()


# ---------------------------------------------------------------- shared code
def withm(code, **kw):
    """A case script with shared snippets (@@NAME@@) put in after dedenting."""
    return sub(textwrap.dedent(code), **{k: v.strip("\n") for k, v in kw.items()})


FLOWERS_MODEL = """
def build_model(num_classes):
    return keras.Sequential([
        keras.Input((48, 48, 3)),
        layers.Rescaling(1 / 255.0),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes),
    ])
"""

TWO_CPUS = """
# two logical CPUs so MirroredStrategy has two replicas to play with (the real box has 2 GPUs)
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
"""

CASES = [
    # ============================================================ dtypes
    Case(
        name="keras-more13-map-uint8-minus-127-5-no-cast-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=leaves,
        expect="Expected uint8 passed to parameter 'y'",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        root = "{DATA}/leaves"
        class_names = sorted(tf.io.gfile.listdir(root))
        files = tf.io.gfile.glob(root + "/*/*.jpg")
        labels = [class_names.index(f.split("/")[-2]) for f in files]

        def load(path, label):
            image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            image = tf.image.random_flip_left_right(image)
            image = (image - 127.5) / 127.5          # MobileNet wants [-1, 1]
            return image, label

        ds = (tf.data.Dataset.from_tensor_slices((files, labels))
              .shuffle(len(files)).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8))

        base = keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
        model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(len(class_names))])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-nb-predict-decode-jpeg-uint8-normalise-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        expect="Cannot convert 127.5 to EagerTensor of dtype uint8",
        **notebook([
            """
import tensorflow as tf
from tensorflow.keras import layers

train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
class_names = train_ds.class_names
train_ds = train_ds.map(lambda x, y: ((x - 127.5) / 127.5, y))
""",
            """
model = tf.keras.Sequential([
    layers.Input((48, 48, 3)),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(len(class_names), activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=2, verbose=2)
""",
            """
# try it on one of my own photos
raw = tf.io.read_file("{DATA}/flowers/roses/roses_002.jpg")
img = tf.io.decode_jpeg(raw, channels=3)
img = (img - 127.5) / 127.5
pred = model.predict(img[tf.newaxis])
class_names[pred.argmax()]
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more13-imagenet-normalize-layer-float64-constants-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=leaves,
        expect="float64",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        IMAGENET_MEAN = np.array([0.485, 0.456, 0.406]) * 255.0
        IMAGENET_STD = np.array([0.229, 0.224, 0.225]) * 255.0


        class ImageNetNormalize(layers.Layer):
            \"\"\"Same normalisation the PyTorch backbone was trained with.\"\"\"
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.mean = tf.constant(IMAGENET_MEAN)
                self.std = tf.constant(IMAGENET_STD)

            def call(self, x):
                return (x - self.mean) / self.std


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/leaves", image_size=(64, 64), batch_size=8)
        inputs = keras.Input((64, 64, 3))
        x = ImageNetNormalize()(inputs)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(3, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-top1-metric-equal-argmax-int64-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=flowers,
        expect="Equal",
        code=withm("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        @@MODEL@@

        def top1_accuracy(y_true, y_pred):
            correct = tf.equal(y_true, tf.argmax(y_pred, axis=-1))
            return tf.reduce_mean(tf.cast(correct, tf.float32))


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = build_model(len(train_ds.class_names))
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=[top1_accuracy])
        model.fit(train_ds, epochs=3)
        """, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-custom-loss-sparse-softmax-xent-float-labels-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=flowers,
        expect="labels",
        code=withm("""
        import tensorflow as tf
        import keras
        from keras import layers
        @@MODEL@@

        def smoothed_xent(y_true, y_pred):
            # plain cross-entropy plus a small penalty on over-confident logits
            xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred)
            return xent + 1e-3 * tf.reduce_sum(tf.square(y_pred), axis=-1)


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = build_model(len(train_ds.class_names))
        model.compile(optimizer="adam", loss=smoothed_xent, metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-flow-sparse-focal-loss-one-hot-float-labels-tf212",
        cause="data.dtype",
        exception="TypeError",
        env="tf212",
        setup=flowers,
        expect="indices",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        NUM_CLASSES = 3

        def focal_loss(gamma=2.0):
            def loss(y_true, y_pred):
                y_true = tf.one_hot(y_true, NUM_CLASSES)
                y_pred = tf.clip_by_value(y_pred, 1e-7, 1.0)
                ce = -y_true * tf.math.log(y_pred)
                return tf.reduce_sum(tf.pow(1.0 - y_pred, gamma) * ce, axis=-1)
            return loss


        gen = ImageDataGenerator(rescale=1 / 255.0)
        train = gen.flow_from_directory("{DATA}/flowers", target_size=(48, 48), batch_size=8, class_mode="sparse")

        model = tf.keras.Sequential([
            layers.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss=focal_loss(), metrics=["accuracy"])
        model.fit(train, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-box-regressor-float64-targets-eager-loop-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        framework="tensorflow",
        setup=boxes_csv,
        expect="double",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/cones/boxes.csv")))
        images = np.stack([np.asarray(Image.open("{DATA}/cones/images/" + r["file"]), dtype="float32") / 255.0
                           for r in rows])
        # normalised corner boxes, one cone per image
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows]) / 64.0

        ds = tf.data.Dataset.from_tensor_slices((images, boxes)).shuffle(16).batch(4)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(5):
            for x, y in ds:
                with tf.GradientTape() as tape:
                    pred = model(x, training=True)
                    loss = tf.reduce_mean(tf.abs(y - pred))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: L1 box loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more13-rgbd-concat-uint8-depth-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=rgbd,
        expect="ConcatV2",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        root = "{DATA}/grasp"
        names, labels = zip(*(line.split() for line in open(root + "/labels.txt")))
        labels = [int(l) for l in labels]

        def load(name, label):
            rgb = tf.io.decode_png(tf.io.read_file(root + "/rgb/" + name + ".png"), channels=3)
            rgb = tf.image.convert_image_dtype(rgb, tf.float32)
            depth = tf.io.decode_png(tf.io.read_file(root + "/depth/" + name + ".png"), channels=1)
            return tf.concat([rgb, depth], axis=-1), label      # RGB-D, 4 channels

        ds = tf.data.Dataset.from_tensor_slices((list(names), labels)).map(load).batch(4)

        model = keras.Sequential([
            keras.Input((48, 48, 4)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-tfrecord-box-target-stack-int64-class-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=boxes_csv,
        expect="Pack",
        code="""
        import csv
        import tensorflow as tf
        from tensorflow.keras import layers

        # ---- convert the annotations once
        with tf.io.TFRecordWriter("cones.tfrecord") as w:
            for r in csv.DictReader(open("{DATA}/cones/boxes.csv")):
                png = open("{DATA}/cones/images/" + r["file"], "rb").read()
                f = {
                    "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[png])),
                    "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(r["label"])])),
                }
                for k in ("xmin", "ymin", "xmax", "ymax"):
                    f[k] = tf.train.Feature(float_list=tf.train.FloatList(value=[float(r[k]) / 64.0]))
                w.write(tf.train.Example(features=tf.train.Features(feature=f)).SerializeToString())

        # ---- train
        spec = {
            "image": tf.io.FixedLenFeature([], tf.string),
            "label": tf.io.FixedLenFeature([], tf.int64),
            "xmin": tf.io.FixedLenFeature([], tf.float32),
            "ymin": tf.io.FixedLenFeature([], tf.float32),
            "xmax": tf.io.FixedLenFeature([], tf.float32),
            "ymax": tf.io.FixedLenFeature([], tf.float32),
        }

        def parse(record):
            ex = tf.io.parse_single_example(record, spec)
            image = tf.image.convert_image_dtype(tf.io.decode_png(ex["image"], channels=3), tf.float32)
            target = tf.stack([ex["xmin"], ex["ymin"], ex["xmax"], ex["ymax"], ex["label"]])
            return image, target

        ds = tf.data.TFRecordDataset("cones.tfrecord").map(parse).batch(4)
        model = tf.keras.Sequential([
            layers.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5),
        ])
        model.compile("adam", "mse")
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-nms-on-numpy-decoded-float64-boxes-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        framework="tensorflow",
        setup=boxes_csv,
        expect="NonMaxSuppression",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        GRID = 8
        # anchor centres on an 8x8 grid, 16 px boxes (pixel corners)
        cy, cx = np.meshgrid(np.arange(GRID) + 0.5, np.arange(GRID) + 0.5, indexing="ij")
        anchors = tf.constant(np.stack([cy - 1, cx - 1, cy + 1, cx + 1], axis=-1).reshape(-1, 4) * (64 / GRID))

        inputs = keras.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(x)
        x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(x)
        head = layers.Conv2D(5, 1)(x)                      # 4 offsets + objectness per cell
        detector = keras.Model(inputs, layers.Reshape((GRID * GRID, 5))(head))

        files = sorted(glob.glob("{DATA}/cones/images/*.png"))[:4]
        batch = np.stack([np.asarray(Image.open(f), dtype="float32") / 255.0 for f in files])
        raw = detector.predict(batch, verbose=0)

        for f, out in zip(files, raw):
            boxes = anchors + out[:, :4] * 8.0            # decode offsets (pixels)
            scores = tf.sigmoid(out[:, 4])
            keep = tf.image.non_max_suppression(boxes, scores, max_output_size=10, iou_threshold=0.5)
            print(f, tf.gather(boxes, keep).numpy().round(1))
        """,
    ),
    Case(
        name="keras-more13-callback-draw-boxes-uint8-previews-tf215",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="tf215",
        framework="tensorflow",
        setup=boxes_csv,
        expect="of uint8 is not in the list",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers

        rows = list(csv.DictReader(open("{DATA}/cones/boxes.csv")))
        paths = ["{DATA}/cones/images/" + r["file"] for r in rows]
        # draw_bounding_boxes wants [ymin, xmin, ymax, xmax], normalised
        boxes = np.array([[float(r["ymin"]), float(r["xmin"]), float(r["ymax"]), float(r["xmax"])]
                          for r in rows], dtype="float32") / 64.0

        def load(path, box):
            image = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return image, box

        ds = tf.data.Dataset.from_tensor_slices((paths, boxes)).map(load).batch(4)
        preview_images, _ = next(iter(ds))


        class BoxPreview(tf.keras.callbacks.Callback):
            def __init__(self, images, logdir):
                super().__init__()
                self.images = images
                self.writer = tf.summary.create_file_writer(logdir)

            def on_epoch_end(self, epoch, logs=None):
                pred = self.model.predict(self.images, verbose=0)
                drawn = tf.image.draw_bounding_boxes(self.images, pred[:, None, :], colors=[[1.0, 0.0, 0.0]])
                with self.writer.as_default():
                    tf.summary.image("predicted boxes", drawn, step=epoch)


        model = tf.keras.Sequential([
            layers.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile("adam", "mse")
        model.fit(ds, epochs=3, callbacks=[BoxPreview(preview_images, "logs/boxes")])
        """,
    ),
    Case(
        name="keras-more13-eval-loop-float-counter-int32-correct-k3",
        cause="data.dtype",
        exception="ValueError",
        framework="tensorflow",
        setup=flowers,
        expect="Tensor conversion requested dtype float32 for Tensor with dtype int32",
        code=withm("""
        import tensorflow as tf
        import keras
        from keras import layers
        @@MODEL@@

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            validation_split=0.25, subset="training", seed=1)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                          validation_split=0.25, subset="validation", seed=1)
        model = build_model(3)
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train_ds, epochs=1, verbose=2)

        correct = tf.Variable(0.0)
        seen = tf.Variable(0.0)
        for images, labels in val_ds:
            preds = tf.argmax(model(images, training=False), axis=-1, output_type=tf.int32)
            correct.assign_add(tf.reduce_sum(tf.cast(preds == labels, tf.int32)))
            seen.assign_add(float(len(labels)))
        print("val accuracy", float(correct / seen))
        """, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-tfrecord-float32-pixels-decode-raw-uint8-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=parts,
        expect="Input to reshape is a tensor with",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        classes = ["bolt", "nut", "washer"]

        # ---- preprocessing script: normalise once, store raw pixels
        with tf.io.TFRecordWriter("parts.tfrecord") as w:
            for label, c in enumerate(classes):
                for f in sorted(glob.glob(f"{DATA}/parts/{c}/*.png")):
                    pixels = (np.asarray(Image.open(f).convert("RGB")) / 255.0).astype("float32")
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "pixels": tf.train.Feature(bytes_list=tf.train.BytesList(value=[pixels.tobytes()])),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
                    }))
                    w.write(ex.SerializeToString())

        # ---- training script
        def parse(record):
            ex = tf.io.parse_single_example(record, {
                "pixels": tf.io.FixedLenFeature([], tf.string),
                "label": tf.io.FixedLenFeature([], tf.int64),
            })
            image = tf.io.decode_raw(ex["pixels"], tf.uint8)
            image = tf.reshape(image, (32, 32, 3))
            return tf.cast(image, tf.float32) / 255.0, ex["label"]

        ds = tf.data.TFRecordDataset("parts.tfrecord").map(parse).shuffle(24).batch(8)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # ============================================================ gradient tapes
    Case(
        name="keras-more13-nb-saliency-map-input-not-watched-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        expect="Attempt to convert a value (None)",
        **notebook([
            """
import numpy as np
import tensorflow as tf
import keras
from keras import layers

train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)
model = keras.Sequential([
    keras.Input((48, 48, 3)),
    layers.Rescaling(1 / 255.0),
    layers.Conv2D(16, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(32, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2),
])
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
model.fit(train_ds, epochs=2, verbose=2)
""",
            """
# vanilla saliency: which pixels push the predicted class up?
images, labels = next(iter(train_ds))
image = tf.convert_to_tensor(images[:1])
with tf.GradientTape() as tape:
    logits = model(image)
    top_class = tf.argmax(logits[0])
    score = logits[0, top_class]
grads = tape.gradient(score, image)
saliency = tf.reduce_max(tf.abs(grads), axis=-1)[0]
saliency.shape
""",
        ], data=pets),
    ),
    Case(
        name="keras-more13-grad-accumulation-unused-box-head-tf215",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        setup=boxes_csv,
        expect="None",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/cones/boxes.csv")))
        images = np.stack([np.asarray(Image.open("{DATA}/cones/images/" + r["file"]), dtype="float32") / 255.0
                           for r in rows])
        labels = np.array([int(r["label"]) for r in rows])
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows],
                         dtype="float32") / 64.0
        ds = tf.data.Dataset.from_tensor_slices((images, labels, boxes)).batch(2)

        inputs = layers.Input((64, 64, 3))
        x = layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = layers.GlobalAveragePooling2D()(x)
        cls_out = layers.Dense(2, name="cls")(x)
        box_out = layers.Dense(4, activation="sigmoid", name="box")(x)
        model = tf.keras.Model(inputs, [cls_out, box_out])

        optimizer = tf.keras.optimizers.Adam(1e-3)
        xent = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        ACCUM_STEPS = 4          # effective batch 8 on a small GPU
        WARMUP_EPOCHS = 2        # classification only first, boxes later

        for epoch in range(4):
            accum = [tf.zeros_like(v) for v in model.trainable_variables]
            for step, (x, y_cls, y_box) in enumerate(ds):
                with tf.GradientTape() as tape:
                    cls_logits, box_pred = model(x, training=True)
                    loss = xent(y_cls, cls_logits)
                    if epoch >= WARMUP_EPOCHS:
                        loss += tf.reduce_mean(tf.abs(y_box - box_pred))
                grads = tape.gradient(loss, model.trainable_variables)
                accum = [a + g for a, g in zip(accum, grads)]
                if (step + 1) % ACCUM_STEPS == 0:
                    optimizer.apply_gradients(zip([a / ACCUM_STEPS for a in accum], model.trainable_variables))
                    accum = [tf.zeros_like(v) for v in model.trainable_variables]
            print("epoch", epoch, "loss", float(loss))
        """,
    ),
    Case(
        name="keras-more13-detector-cls-and-box-grads-one-tape-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        framework="tensorflow",
        setup=boxes_csv,
        expect="non-persistent GradientTape",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/cones/boxes.csv")))
        images = np.stack([np.asarray(Image.open("{DATA}/cones/images/" + r["file"]), dtype="float32") / 255.0
                           for r in rows])
        labels = np.array([int(r["label"]) for r in rows])
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows],
                         dtype="float32") / 64.0
        ds = tf.data.Dataset.from_tensor_slices((images, labels, boxes)).batch(4)

        backbone = keras.Sequential([keras.Input((64, 64, 3)), layers.Conv2D(16, 3, strides=2, activation="relu"),
                                     layers.GlobalAveragePooling2D()], name="backbone")
        cls_head = layers.Dense(2, name="cls_head")
        box_head = layers.Dense(4, activation="sigmoid", name="box_head")
        cls_head.build((None, 16))
        box_head.build((None, 16))

        cls_opt = keras.optimizers.Adam(1e-3)
        box_opt = keras.optimizers.Adam(1e-4)   # boxes train slower
        xent = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        for epoch in range(3):
            for x, y_cls, y_box in ds:
                with tf.GradientTape() as tape:
                    feats = backbone(x, training=True)
                    cls_loss = xent(y_cls, cls_head(feats))
                    box_loss = tf.reduce_mean(tf.abs(y_box - box_head(feats)))
                cls_vars = backbone.trainable_variables + cls_head.trainable_variables
                cls_opt.apply_gradients(zip(tape.gradient(cls_loss, cls_vars), cls_vars))
                box_vars = box_head.trainable_variables
                box_opt.apply_gradients(zip(tape.gradient(box_loss, box_vars), box_vars))
            print(epoch, float(cls_loss), float(box_loss))
        """,
    ),
    Case(
        name="keras-more13-kfold-shared-tf-function-new-model-per-fold-k3",
        cause="model.api_misuse",
        also=("optim.autograd_graph",),
        exception="ValueError",
        framework="tensorflow",
        setup=parts,
        expect="tf.function only supports singleton tf.Variables",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        classes = ["bolt", "nut", "washer"]
        X, Y = [], []
        for i, c in enumerate(classes):
            for f in sorted(glob.glob(f"{DATA}/parts/{c}/*.png")):
                X.append(np.asarray(Image.open(f).convert("RGB"), dtype="float32") / 255.0)
                Y.append(i)
        X, Y = np.stack(X), np.array(Y)

        def make_model():
            return keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3),
            ])

        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        @tf.function
        def train_step(model, optimizer, x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        folds = np.array_split(np.random.default_rng(0).permutation(len(X)), 4)
        for k, val_idx in enumerate(folds):
            train_idx = np.setdiff1d(np.arange(len(X)), val_idx)
            model, optimizer = make_model(), keras.optimizers.Adam(1e-3)
            ds = tf.data.Dataset.from_tensor_slices((X[train_idx], Y[train_idx])).batch(6)
            for epoch in range(2):
                for x, y in ds:
                    loss = train_step(model, optimizer, x, y)
            acc = np.mean(np.argmax(model.predict(X[val_idx], verbose=0), -1) == Y[val_idx])
            print(f"fold {k}: val acc {acc:.2f}")
        """,
    ),
    Case(
        name="keras-more13-distillation-student-predict-in-tape-tf215",
        cause="optim.autograd_graph",
        exception="LookupError",
        env="tf215",
        framework="tensorflow",
        setup=flowers,
        expect="No gradient defined for operation",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)

        def small(width, name):
            return tf.keras.Sequential([
                layers.Input((48, 48, 3)),
                layers.Rescaling(1 / 255.0),
                layers.Conv2D(width, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3),
            ], name=name)

        teacher = small(64, "teacher")
        teacher.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        teacher.fit(train_ds, epochs=1, verbose=2)

        student = small(8, "student")
        optimizer = tf.keras.optimizers.Adam(1e-3)
        kld = tf.keras.losses.KLDivergence()
        T = 4.0

        for epoch in range(3):
            for images, labels in train_ds:
                soft_targets = tf.nn.softmax(teacher.predict(images, verbose=0) / T)
                with tf.GradientTape() as tape:
                    student_logits = student.predict(images, verbose=0)
                    loss = kld(soft_targets, tf.nn.softmax(student_logits / T)) * T * T
                grads = tape.gradient(loss, student.trainable_variables)
                optimizer.apply_gradients(zip(grads, student.trainable_variables))
            print("epoch", epoch, "distillation loss", float(loss))
        """,
    ),
    Case(
        name="keras-more13-finetune-head-tape-watch-layer-object-tfk2",
        cause="optim.autograd_graph",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tfk2",
        framework="tensorflow",
        setup=pets,
        expect="not tf.Tensor or tf.Variable",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=8)

        backbone = tf.keras.Sequential([
            layers.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ], name="backbone")
        head = layers.Dense(2, name="head")
        model = tf.keras.Sequential([backbone, head])

        optimizer = tf.keras.optimizers.Adam(1e-3)
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        # stage 1: only the new head learns, the backbone stays as it is
        for epoch in range(3):
            for images, labels in train_ds:
                with tf.GradientTape(watch_accessed_variables=False) as tape:
                    tape.watch(head)
                    loss = loss_fn(labels, model(images, training=True))
                grads = tape.gradient(loss, head.trainable_variables)
                optimizer.apply_gradients(zip(grads, head.trainable_variables))
            print("epoch", epoch, "loss", float(loss))
        """,
    ),
    Case(
        name="keras-more13-numpy-logging-inside-tf-function-step-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        framework="tensorflow",
        setup=flowers,
        expect="has no attribute 'numpy'",
        code=withm("""
        import tensorflow as tf
        import keras
        from keras import layers
        @@MODEL@@

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = build_model(3)
        optimizer = keras.optimizers.Adam(1e-3)
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        history = []

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            history.append(loss.numpy())          # for the loss curve
            return loss

        for epoch in range(3):
            for images, labels in train_ds:
                train_step(images, labels)
            print("epoch", epoch, "last loss", history[-1])
        """, MODEL=FLOWERS_MODEL),
    ),
    # ============================================================ strategies / devices
    Case(
        name="keras-more13-mirrored-cpu-optimizer-outside-scope-fit-k3",
        cause="model.api_misuse",
        also=("env.distributed",),
        exception="RuntimeError",
        setup=flowers,
        expect="Mixing different tf.distribute.Strategy objects",
        code=withm("""
        import tensorflow as tf
        import keras
        from keras import layers
        @@CPUS@@
        @@MODEL@@

        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        print("replicas:", strategy.num_replicas_in_sync)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        optimizer = keras.optimizers.Adam(learning_rate=1e-3)
        with strategy.scope():
            model = build_model(3)
        model.compile(optimizer=optimizer,
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """, CPUS=TWO_CPUS, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-mirrored-cpu-step-without-strategy-run-k3",
        cause="env.distributed",
        also=("model.api_misuse",),
        exception="ValueError",
        framework="tensorflow",
        setup=flowers,
        expect="PerReplica",
        code=withm("""
        import tensorflow as tf
        import keras
        from keras import layers
        @@CPUS@@
        @@MODEL@@

        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        GLOBAL_BATCH = 8

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48),
                                                            batch_size=GLOBAL_BATCH)
        dist_ds = strategy.experimental_distribute_dataset(train_ds)

        with strategy.scope():
            model = build_model(3)
            optimizer = keras.optimizers.Adam(1e-3)
            loss_obj = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="none")

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                per_example = loss_obj(labels, model(images, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(3):
            total = 0.0
            for images, labels in dist_ds:
                total += train_step(images, labels)
            print("epoch", epoch, "loss", float(total))
        """, CPUS=TWO_CPUS, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-mirrored-cpu-apply-gradients-cross-replica-tf215",
        cause="env.distributed",
        also=("model.api_misuse",),
        exception="ValueError",
        expect="Type PerReplica is not supported",
        env="tf215",
        framework="tensorflow",
        setup=flowers,
        code=withm("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        @@CPUS@@
        @@MODEL@@

        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        GLOBAL_BATCH = 8
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48),
                                                            batch_size=GLOBAL_BATCH)
        dist_ds = strategy.experimental_distribute_dataset(train_ds)

        with strategy.scope():
            model = build_model(3)
            optimizer = keras.optimizers.Adam(1e-3)
            loss_obj = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, reduction=keras.losses.Reduction.NONE)

        def compute_grads(images, labels):
            with tf.GradientTape() as tape:
                per_example = loss_obj(labels, model(images, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
            return tape.gradient(loss, model.trainable_variables)

        for epoch in range(3):
            for images, labels in dist_ds:
                grads = strategy.run(compute_grads, args=(images, labels))
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print("epoch", epoch, "done")
        """, CPUS=TWO_CPUS, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-mirrored-cpu-mean-of-per-replica-loss-tf215",
        cause="env.distributed",
        exception="ValueError",
        env="tf215",
        framework="tensorflow",
        setup=flowers,
        expect="PerReplica",
        code=withm("""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        @@CPUS@@
        @@MODEL@@

        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        GLOBAL_BATCH = 8
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48),
                                                            batch_size=GLOBAL_BATCH)
        dist_ds = strategy.experimental_distribute_dataset(train_ds)

        with strategy.scope():
            model = build_model(3)
            optimizer = keras.optimizers.Adam(1e-3)
            loss_obj = keras.losses.SparseCategoricalCrossentropy(
                from_logits=True, reduction=keras.losses.Reduction.NONE)

        def train_step(images, labels):
            with tf.GradientTape() as tape:
                per_example = loss_obj(labels, model(images, training=True))
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        @tf.function
        def distributed_step(images, labels):
            return strategy.run(train_step, args=(images, labels))

        for epoch in range(3):
            epoch_loss, batches = 0.0, 0
            for images, labels in dist_ds:
                epoch_loss += tf.reduce_mean(distributed_step(images, labels))
                batches += 1
            print(f"epoch {epoch}: loss {epoch_loss / batches:.4f}")
        """, CPUS=TWO_CPUS, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-mirrored-cpu-predict-distributed-batch-k3",
        cause="env.distributed",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=flowers,
        expect="Unrecognized data type",
        code=withm("""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        @@CPUS@@
        @@MODEL@@

        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                          shuffle=False)
        with strategy.scope():
            model = build_model(3)
            model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        model.fit(val_ds, epochs=1, verbose=2)

        # collect predictions batch by batch for the confusion matrix
        y_true, y_pred = [], []
        for images, labels in strategy.experimental_distribute_dataset(val_ds):
            logits = model.predict(images, verbose=0)
            y_pred.extend(np.argmax(logits, -1))
            y_true.extend(strategy.gather(labels, axis=0).numpy())
        print(tf.math.confusion_matrix(y_true, y_pred))
        """, CPUS=TWO_CPUS, MODEL=FLOWERS_MODEL),
    ),
    Case(
        name="keras-more13-nb-colab-tpu-resolver-no-tpu-tf215",
        cause="env.cuda_setup",
        also=("env.distributed",),
        exception="ValueError",
        env="tf215",
        expect="Please provide a TPU Name to connect to",
        **notebook([
            """
import tensorflow as tf
print(tf.__version__)
train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
""",
            """
# TPU setup (from the Kaggle flowers notebook)
resolver = tf.distribute.cluster_resolver.TPUClusterResolver()
tf.config.experimental_connect_to_cluster(resolver)
tf.tpu.experimental.initialize_tpu_system(resolver)
strategy = tf.distribute.TPUStrategy(resolver)
print("replicas:", strategy.num_replicas_in_sync)
""",
        ], data=flowers),
    ),
    Case(
        name="keras-more13-tf-device-cuda-0-torch-habit-k3",
        cause="model.api_misuse",
        also=("env.cuda_setup",),
        exception="ValueError",
        setup=flowers,
        expect="Unknown attribute 'cuda'",
        code=withm("""
        import tensorflow as tf
        import keras
        from keras import layers
        @@MODEL@@

        device = "cuda:0"          # "cpu" on the laptop
        print("training on", device)

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        with tf.device(device):
            model = build_model(3)
            model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            model.fit(train_ds, epochs=3)
        """, MODEL=FLOWERS_MODEL),
    ),
    # ============================================================ corrupt / missing files
    Case(
        name="keras-more13-flow-from-directory-truncated-phone-jpeg-tf212",
        cause="data.missing_or_corrupt",
        exception="OSError",
        env="tf212",
        setup=trunc_in_flowers,
        expect="image file is truncated",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gen = ImageDataGenerator(rescale=1 / 255.0)
        train = gen.flow_from_directory("{DATA}/flowers", target_size=(48, 48), batch_size=8,
                                        class_mode="categorical")
        model = tf.keras.Sequential([
            layers.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(train.num_classes, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-flow-from-directory-zero-byte-download-tf212",
        cause="data.missing_or_corrupt",
        exception="UnidentifiedImageError",
        env="tf212",
        setup=empty_in_pets,
        expect="cannot identify image file",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        gen = ImageDataGenerator(rescale=1 / 255.0, validation_split=0.2)
        train = gen.flow_from_directory("{DATA}/pets", target_size=(48, 48), batch_size=4,
                                        class_mode="binary", subset="training")
        val = gen.flow_from_directory("{DATA}/pets", target_size=(48, 48), batch_size=4,
                                      class_mode="binary", subset="validation")
        model = tf.keras.Sequential([
            layers.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train, validation_data=val, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-list-files-thumbs-db-and-notes-in-class-folders-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=junk_in_parts,
        expect="Unknown image file format",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        root = "{DATA}/parts"
        class_names = tf.constant(sorted(tf.io.gfile.listdir(root)))

        def load(path):
            label = tf.argmax(tf.cast(tf.strings.split(path, "/")[-2] == class_names, tf.int32))
            image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            image = tf.image.resize(image, (32, 32)) / 255.0
            return image, label

        ds = tf.data.Dataset.list_files(root + "/*/*", shuffle=True, seed=0).map(load).batch(8)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-balanced-per-class-sampling-empty-class-folder-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=empty_class,
        expect="No files matched pattern",
        code="""
        import os
        import tensorflow as tf
        import keras
        from keras import layers

        root = "{DATA}/defects"
        class_names = sorted(os.listdir(root))
        print("classes:", class_names)

        def load(path, label):
            image = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(image, tf.float32) / 255.0, label

        # one stream per class, sampled evenly: the defect classes are rare on the line
        per_class = [
            tf.data.Dataset.list_files(f"{root}/{c}/*.png", shuffle=True)
            .map(lambda p, i=i: load(p, i)).repeat()
            for i, c in enumerate(class_names)
        ]
        ds = tf.data.Dataset.sample_from_datasets(per_class).batch(8)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3, steps_per_epoch=5)
        """,
    ),
    Case(
        name="keras-more13-nb-class-weights-empty-class-folder-k3",
        cause="data.missing_or_corrupt",
        exception="ZeroDivisionError",
        expect="division by zero",
        **notebook([
            """
import os
import keras
from keras import layers

root = "{DATA}/defects"
train_ds = keras.utils.image_dataset_from_directory(root, image_size=(32, 32), batch_size=8)
class_names = train_ds.class_names
class_names
""",
            """
counts = {c: len(os.listdir(os.path.join(root, c))) for c in class_names}
total = sum(counts.values())
class_weight = {i: total / (len(class_names) * counts[c]) for i, c in enumerate(class_names)}
class_weight
""",
        ], data=empty_class),
    ),
    Case(
        name="keras-more13-tfrecord-gzip-shards-read-uncompressed-k3",
        cause="model.api_misuse",
        also=("data.missing_or_corrupt",),
        exception="DataLossError",
        setup=parts,
        expect="corrupted record",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        classes = ["bolt", "nut", "washer"]

        # ---- shard writer copied from the data team's converter
        options = tf.io.TFRecordOptions(compression_type="GZIP")
        with tf.io.TFRecordWriter("parts-00000-of-00001.tfrecord", options) as w:
            for label, c in enumerate(classes):
                for f in sorted(glob.glob(f"{DATA}/parts/{c}/*.png")):
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[open(f, "rb").read()])),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
                    }))
                    w.write(ex.SerializeToString())

        # ---- training
        spec = {"image": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}

        def parse(record):
            ex = tf.io.parse_single_example(record, spec)
            image = tf.io.decode_png(ex["image"], channels=3)
            return tf.cast(image, tf.float32) / 255.0, ex["label"]

        files = tf.io.gfile.glob("parts-*.tfrecord")
        ds = tf.data.TFRecordDataset(files).map(parse).shuffle(64).batch(8)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-tfrecord-one-hot-label-scalar-spec-tf215",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=parts,
        expect="label",
        code="""
        import glob
        import tensorflow as tf
        from tensorflow.keras import layers

        classes = ["bolt", "nut", "washer"]

        with tf.io.TFRecordWriter("parts.tfrecord") as w:
            for label, c in enumerate(classes):
                one_hot = [1 if j == label else 0 for j in range(len(classes))]
                for f in sorted(glob.glob(f"{DATA}/parts/{c}/*.png")):
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[open(f, "rb").read()])),
                        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=one_hot)),
                    }))
                    w.write(ex.SerializeToString())

        spec = {"image": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}

        def parse(record):
            ex = tf.io.parse_single_example(record, spec)
            image = tf.image.convert_image_dtype(tf.io.decode_png(ex["image"], channels=3), tf.float32)
            return image, ex["label"]

        ds = tf.data.TFRecordDataset("parts.tfrecord").map(parse).shuffle(64).batch(8)
        model = tf.keras.Sequential([
            layers.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more13-tfrecord-image-varlen-feature-decode-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=parts,
        expect="SparseTensor",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        classes = ["bolt", "nut", "washer"]
        with tf.io.TFRecordWriter("parts.tfrecord") as w:
            for label, c in enumerate(classes):
                for f in sorted(glob.glob(f"{DATA}/parts/{c}/*.png")):
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[open(f, "rb").read()])),
                        "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
                    }))
                    w.write(ex.SerializeToString())

        # the images are not all the same size later on, so do not fix the length
        spec = {
            "image/encoded": tf.io.VarLenFeature(tf.string),
            "image/class/label": tf.io.FixedLenFeature([], tf.int64),
        }

        def parse(record):
            ex = tf.io.parse_single_example(record, spec)
            image = tf.io.decode_png(ex["image/encoded"], channels=3)
            image = tf.image.resize(image, (32, 32)) / 255.0
            return image, ex["image/class/label"]

        ds = tf.data.TFRecordDataset("parts.tfrecord").map(parse).batch(8)
        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
