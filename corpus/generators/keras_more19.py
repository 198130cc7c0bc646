"""A nineteenth set of real Keras / TensorFlow failures, built around the causes of
the project's seed article (the ``Function call stack: train_function`` errors of
people training image classifiers and small detectors), in variations the earlier
generators leave out, on TF 2.12 / 2.15 (Keras 2, graph-mode ``Graph execution
error`` / ``Detected at node`` logs) and TF 2.21 (Keras 3).

- images of inconsistent channels or size: a ``Sequence`` over a sorted file list
  whose second batch is all grayscale scans, palette PNG logos stacked with RGB
  ones in a ``PyDataset``, CIFAR-10 pickle rows reshaped channels-first, a TFRecord
  of raw bytes reshaped to one fixed size, RGBA icons through ``from_generator``
  with a 3-channel signature, channels-first ``.npy`` arrays exported from a
  PyTorch pipeline, dash-cam frames of two resolutions in a fully convolutional
  model;
- bounding boxes: right-to-left drags in a hand-written ``-log(IoU)`` loss,
  pixel boxes matched against normalised anchors (smooth L1 over no positives),
  a box dragged past the left border and a right-to-left box in
  ``crop_to_bounding_box``, box rows that keep the class id given to
  ``crop_and_resize`` and YOLO label rows given to ``draw_bounding_boxes``;
- class counts: a validation folder without the last class one-hot encoded by
  ``to_categorical``, a test folder with an extra class, a one-unit sigmoid head
  for three classes with a sparse loss, a class count from ``os.listdir`` that
  counts a CSV file, ``class_weight`` keyed by one-based class ids, ``MeanIoU``
  left at two classes for three-class masks;
- model outputs the loss cannot use: a two-head model with one custom loss that
  unpacks ``y_pred``, a subclassed detector returning a list given a loss dict,
  a three-scale head given one target array, a list output against concatenated
  targets, a tuple output indexed by key in a custom loop, a classifier used in a
  detection script;
- objects where a path belongs: ``ModelCheckpoint(model)``, ``load_weights`` given
  a config dict and a callback object, ``load_model`` given an uploaded file's
  ``BytesIO`` and a checkpoint folder ``Path``, a ``ModelCheckpoint`` whose
  ``filepath`` is a config dict, ``save_model`` with its arguments swapped;
- divergence: ``enable_check_numerics`` on a count regressor with SGD at learning
  rate 10, an old ``NanTensorHook`` session, mixed float16 without loss scaling
  (a summed loss that overflows), a weight check in a callback after SGD at
  learning rate 10, a NaN count rounded in a notebook after SGD at learning rate 1;
- calls out of order: a GAN's combined model trained before it was compiled, a
  model rebuilt for evaluation and given its weights but never compiled, ``count_params`` before the model
  was built, ``set_weights`` into an unbuilt student, a ``tf.train.Checkpoint``
  restored and asserted before the model made its variables, ``load_weights``
  into an unbuilt subclassed detector.

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more19.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import csv
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, rgb, rng, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def xrays_gray_class(d: Path):
    """normal/ exported as RGB PNGs, pneumonia/ exported from DICOM as 8-bit grayscale."""
    for i in range(8):
        save_png(d / "xrays" / "normal" / f"normal_{i:03d}.png", rgb(64, 64, seed=i))
        save_png(d / "xrays" / "pneumonia" / f"pneu_{i:03d}.png", rgb(64, 64, seed=50 + i)[..., 0])


def palette_logos(d: Path):
    """Brand logos: most RGB, some saved as palette ("P") PNGs by an icon tool."""
    from PIL import Image
    for c, brand in enumerate(["acme", "globex", "initech"]):
        for i in range(6):
            arr = rgb(48, 48, seed=10 * c + i)
            p = d / "logos" / brand / f"{brand}_{i}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            img = Image.fromarray(arr)
            if i % 3 == 2:
                img = img.quantize(16)          # mode "P"
            img.save(p)


def cifar_pickle(d: Path):
    """A CIFAR-10 style python batch: rows of 3072 bytes (R plane, G plane, B plane), pickled
    by a NumPy 1.x interpreter as the real archive was."""
    out = d / "cifar-10-batches-py"
    out.mkdir(parents=True)
    script = (
        "import pickle, numpy as np\n"
        "r = np.random.default_rng(3)\n"
        "batch = {b'batch_label': b'training batch 1 of 5',\n"
        "         b'labels': [int(v) for v in r.integers(0, 10, 200)],\n"
        "         b'data': r.integers(0, 255, size=(200, 3072), dtype='uint8'),\n"
        "         b'filenames': [f'img_{i}.png'.encode() for i in range(200)]}\n"
        f"pickle.dump(batch, open({str(out / 'data_batch_1')!r}, 'wb'))\n"
    )
    subprocess.run([str(_tfrecord.env_python("tf212")), "-c", script], check=True, capture_output=True)


def part_photos_two_cameras(d: Path):
    """Parts photographed at 96x96, two of them by a second camera at 128x96."""
    for c, part in enumerate(["bolt", "nut", "washer"]):
        for i in range(6):
            h, w = (96, 128) if (c, i) in {(1, 3), (2, 1)} else (96, 96)
            save_png(d / "parts" / part / f"{part}_{i}.png", rgb(h, w, seed=20 * c + i))


def icons_rgba(d: Path):
    """App icons: most RGB, the exported ones with transparency (RGBA)."""
    for c, kind in enumerate(["camera", "mail", "music"]):
        for i in range(5):
            arr = rgb(64, 64, seed=30 * c + i)
            if i == 3:
                alpha = rng(c).integers(0, 255, size=(64, 64, 1), dtype="uint8")
                import numpy as np
                save_png(d / "icons" / kind / f"{kind}_{i}.png", np.concatenate([arr, alpha], -1))
            else:
                save_png(d / "icons" / kind / f"{kind}_{i}.png", arr)


def torch_npy(d: Path):
    """Arrays a PyTorch data pipeline exported: (N, C, H, W) float32, labels int64."""
    import numpy as np
    r = rng(4)
    (d / "export").mkdir()
    np.save(d / "export" / "x_train.npy", r.random((48, 3, 64, 64), dtype="float32"))
    np.save(d / "export" / "y_train.npy", r.integers(0, 4, 48))


def dashcam_frames(d: Path):
    """Frames from two dash cams: 96x160 and 72x128 (no resize on export)."""
    for c, cls in enumerate(["clear", "rain", "fog"]):
        for i in range(6):
            h, w = (96, 160) if i % 2 == 0 else (72, 128)
            save_png(d / "frames" / cls / f"{cls}_{i:03d}.png", rgb(h, w, seed=40 * c + i))


def product_boxes(d: Path):
    """Product photos (normalised corner boxes); annotators dragged some boxes right to left."""
    r = rng(6)
    rows = []
    for i in range(32):
        save_png(d / "products" / f"p{i:03d}.png", rgb(64, 64, seed=100 + i))
        x1, y1 = r.uniform(0.20, 0.35, 2)
        x2, y2 = r.uniform(0.65, 0.80, 2)
        if i in (9, 21):
            x1, x2 = x2, x1                     # dragged from right to left
        rows.append([f"p{i:03d}.png", f"{x1:.4f}", f"{y1:.4f}", f"{x2:.4f}", f"{y2:.4f}"])
    with open(d / "products" / "boxes.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "x1", "y1", "x2", "y2"])
        w.writerows(rows)


def pixel_boxes(d: Path):
    """Photos 640x480 downsampled to 64x64 for training; boxes kept in the original pixels."""
    r = rng(7)
    rows = []
    for i in range(24):
        save_png(d / "birds" / f"b{i:03d}.png", rgb(64, 64, seed=200 + i))
        x1, y1 = int(r.integers(40, 250)), int(r.integers(30, 200))
        rows.append([f"b{i:03d}.png", x1, y1, x1 + int(r.integers(120, 300)), y1 + int(r.integers(100, 250))])
    with open(d / "birds" / "boxes.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "xmin", "ymin", "xmax", "ymax"])
        w.writerows(rows)


def crop_boxes(d: Path, bad: str):
    """Fruit photos (120x160, JPEG) with pixel boxes to crop a classifier's training set from."""
    from PIL import Image
    r = rng(8)
    rows = []
    for i in range(18):
        p = d / "market" / f"m{i:03d}.jpg"
        p.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rgb(120, 160, seed=300 + i)).save(p)
        x1, y1 = int(r.integers(5, 60)), int(r.integers(5, 40))
        x2, y2 = x1 + int(r.integers(40, 90)), y1 + int(r.integers(40, 70))
        if i == 11 and bad == "left":
            x1 = -6                              # dragged past the left border
        if i == 11 and bad == "r2l":
            x1, x2 = x2, x1                      # dragged from right to left
        rows.append([p.name, x1, y1, x2, y2, int(r.integers(0, 3))])
    with open(d / "market" / "boxes.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "xmin", "ymin", "xmax", "ymax", "label"])
        w.writerows(rows)


def crop_left(d: Path):
    crop_boxes(d, "left")


def crop_r2l(d: Path):
    crop_boxes(d, "r2l")


def roi_rows(d: Path):
    """Shelf photos with one .txt per photo: rows `ymin xmin ymax xmax class` (normalised)."""
    r = rng(9)
    for i in range(6):
        save_png(d / "shelf" / f"s{i}.png", rgb(96, 96, seed=400 + i))
        with open(d / "shelf" / f"s{i}.txt", "w") as fh:
            for _ in range(3):
                y1, x1 = r.uniform(0.0, 0.5, 2)
                fh.write(f"{y1:.3f} {x1:.3f} {y1 + 0.3:.3f} {x1 + 0.3:.3f} {int(r.integers(0, 4))}\n")


def yolo_labels(d: Path):
    """A YOLO dataset: images/ and labels/ with `class cx cy w h` rows."""
    r = rng(10)
    for i in range(4):
        save_png(d / "yolo" / "images" / f"im{i}.png", rgb(128, 128, seed=500 + i))
        (d / "yolo" / "labels").mkdir(parents=True, exist_ok=True)
        with open(d / "yolo" / "labels" / f"im{i}.txt", "w") as fh:
            for _ in range(2):
                cx, cy = r.uniform(0.3, 0.7, 2)
                fh.write(f"{int(r.integers(0, 3))} {cx:.4f} {cy:.4f} 0.2000 0.2500\n")


def flowers_val_missing(d: Path):
    make_images(d / "flowers" / "train", ["daisy", "dandelion", "roses", "sunflowers", "tulips"],
                per_class=4, size=(48, 48), fmt="jpeg")
    make_images(d / "flowers" / "val", ["daisy", "dandelion", "roses", "sunflowers"],
                per_class=2, size=(48, 48), fmt="jpeg", seed=1)


def test_extra_class(d: Path):
    make_images(d / "waste" / "train", ["glass", "paper", "plastic"], per_class=6, size=(48, 48))
    make_images(d / "waste" / "test", ["glass", "metal", "paper", "plastic"], per_class=3, size=(48, 48),
                seed=2)


def three_classes(d: Path):
    make_images(d / "skin", ["benign", "malignant", "normal"], per_class=6, size=(48, 48), fmt="jpeg")


def listdir_csv(d: Path):
    make_images(d / "dataset" / "train", ["cats", "dogs", "horses"], per_class=5, size=(48, 48),
                fmt="jpeg")
    (d / "dataset" / "train" / "labels.csv").write_text("file,label\n")


def csv_one_based(d: Path):
    r = rng(11)
    lines = ["file,grade"]
    for i in range(30):
        save_png(d / "retina" / f"r{i:03d}.png", rgb(48, 48, seed=600 + i))
        lines.append(f"r{i:03d}.png,{int(r.choice([1, 1, 1, 2, 2, 3]))}")
    (d / "retina" / "labels.csv").write_text("\n".join(lines) + "\n")


def seg_three_class(d: Path):
    import numpy as np
    r = rng(12)
    for i in range(8):
        save_png(d / "roads" / "images" / f"{i:03d}.png", rgb(48, 48, seed=700 + i))
        save_png(d / "roads" / "masks" / f"{i:03d}.png", r.integers(0, 3, size=(48, 48)).astype(np.uint8))


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(48, 48), fmt="jpeg")


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=6, size=(48, 48), fmt="jpeg")


def checkpoint_dir(d: Path):
    """A folder of tf.train checkpoint files left by save_weights (no saved_model.pb)."""
    ck = d / "checkpoints"
    ck.mkdir()
    (ck / "checkpoint").write_text('model_checkpoint_path: "ckpt-12"\nall_model_checkpoint_paths: "ckpt-12"\n')
    (ck / "ckpt-12.index").write_bytes(b"\x00" * 64)
    (ck / "ckpt-12.data-00000-of-00001").write_bytes(b"\x00" * 256)


# ---------------------------------------------------------------- shared snippets
K2_CNN = """
model = tf.keras.Sequential([
    tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
    tf.keras.layers.Conv2D(16, 3, activation="relu"),
    tf.keras.layers.MaxPooling2D(),
    tf.keras.layers.Conv2D(32, 3, activation="relu"),
    tf.keras.layers.GlobalAveragePooling2D(),
    tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
])
"""


def k2_cnn(ind=8):
    import textwrap
    return textwrap.indent(K2_CNN, " " * ind)


CASES = [
    # ============================================================ (1) image channels / sizes
    Case(
        name="keras-more19-sequence-sorted-files-gray-class-batch-tf215",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf215",
        setup=xrays_gray_class,
        expect="yielded an element of shape (8, 64, 64)",
        code="""
        import glob
        import math
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        files = sorted(glob.glob("{DATA}/xrays/*/*.png"))
        labels = [0 if "/normal/" in f else 1 for f in files]
        print(len(files), "x-rays")

        class XraySequence(tf.keras.utils.Sequence):
            def __init__(self, files, labels, batch_size=8):
                self.files, self.labels, self.batch_size = files, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.array([np.asarray(Image.open(f).resize((64, 64)), np.float32) / 255.0
                              for f in self.files[sl]])
                y = np.array(self.labels[sl], np.float32)
                return x, y

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(XraySequence(files, labels), epochs=3, shuffle=False)
        """,
    ),
    Case(
        name="keras-more19-pydataset-palette-png-logos-np-stack-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=palette_logos,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import random
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        brands = sorted(p.split("/")[-1] for p in glob.glob("{DATA}/logos/*"))
        files = sorted(glob.glob("{DATA}/logos/*/*.png"))
        random.Random(1).shuffle(files)
        labels = [brands.index(f.split("/")[-2]) for f in files]

        class LogoBatches(keras.utils.PyDataset):
            def __init__(self, files, labels, batch_size=6, **kwargs):
                super().__init__(**kwargs)
                self.files, self.labels, self.batch_size = files, labels, batch_size

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                images = [np.asarray(Image.open(f).resize((48, 48)), "float32") / 255.0 for f in batch]
                x = np.stack(images)
                y = np.array(self.labels[idx * self.batch_size:(idx + 1) * self.batch_size])
                return x, y

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(brands), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(LogoBatches(files, labels), epochs=3)
        """,
    ),
    Case(
        name="keras-more19-cifar-pickle-rows-channels-first-tf212",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        env="tf212",
        setup=cifar_pickle,
        expect="found shape=(None, 3, 32, 32)",
        code="""
        import pickle
        import numpy as np
        import tensorflow as tf

        def unpickle(path):
            with open(path, "rb") as fo:
                return pickle.load(fo, encoding="bytes")

        batch = unpickle("{DATA}/cifar-10-batches-py/data_batch_1")
        x_train = batch[b"data"].reshape(-1, 3, 32, 32).astype("float32") / 255.0
        y_train = np.array(batch[b"labels"])
        print("x_train:", x_train.shape, "y_train:", y_train.shape)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)),
            tf.keras.layers.MaxPooling2D((2, 2)),
            tf.keras.layers.Conv2D(64, (3, 3), activation="relu"),
            tf.keras.layers.MaxPooling2D((2, 2)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(10),
        ])
        model.compile(optimizer="adam",
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        history = model.fit(x_train, y_train, epochs=10, batch_size=32, validation_split=0.1)
        """,
    ),
    Case(
        name="keras-more19-tfrecord-raw-bytes-fixed-reshape-second-camera-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=part_photos_two_cameras,
        expect="Input to reshape is a tensor with",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["bolt", "nut", "washer"]
        IMG = 96

        # ---- 1. convert the photos to a TFRecord (raw pixels, fast to read back)
        with tf.io.TFRecordWriter("parts.tfrecord") as writer:
            for path in sorted(glob.glob("{DATA}/parts/*/*.png")):
                img = np.asarray(Image.open(path).convert("RGB"), np.uint8)
                label = CLASSES.index(path.split("/")[-2])
                ex = tf.train.Example(features=tf.train.Features(feature={
                    "image": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img.tobytes()])),
                    "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
                }))
                writer.write(ex.SerializeToString())

        # ---- 2. train from the TFRecord
        spec = {"image": tf.io.FixedLenFeature([], tf.string), "label": tf.io.FixedLenFeature([], tf.int64)}

        def parse(record):
            ex = tf.io.parse_single_example(record, spec)
            img = tf.reshape(tf.io.decode_raw(ex["image"], tf.uint8), [IMG, IMG, 3])
            return tf.cast(img, tf.float32) / 255.0, ex["label"]

        ds = tf.data.TFRecordDataset("parts.tfrecord").map(parse).shuffle(32, seed=0).batch(6)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(IMG, IMG, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-from-generator-rgba-icons-signature-tf212",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf212",
        setup=icons_rgba,
        expect="where an element of shape (64, 64, 3) was expected",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = ["camera", "mail", "music"]
        files = sorted(glob.glob("{DATA}/icons/*/*.png"))

        def gen():
            for f in files:
                img = np.asarray(Image.open(f).resize((64, 64)), np.float32) / 255.0
                yield img, CLASSES.index(f.split("/")[-2])

        ds = tf.data.Dataset.from_generator(
            gen,
            output_signature=(tf.TensorSpec(shape=(64, 64, 3), dtype=tf.float32),
                              tf.TensorSpec(shape=(), dtype=tf.int32)),
        ).shuffle(16).batch(4)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-torch-npy-channels-first-free-size-conv-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=torch_npy,
        expect="expected shape=(None, None, None, 3), found shape=(8, 3, 64, 64)",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # arrays saved by the PyTorch data pipeline of the previous project
        x_train = np.load("{DATA}/export/x_train.npy")
        y_train = np.load("{DATA}/export/y_train.npy")
        print(x_train.shape, x_train.dtype, y_train.shape)

        inputs = keras.Input(shape=(None, None, 3))     # any image size
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(4, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-sequence-dashcam-two-resolutions-np-array-tf215",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tf215",
        setup=dashcam_frames,
        expect="inhomogeneous shape",
        code="""
        import glob
        import random
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        WEATHER = ["clear", "fog", "rain"]
        files = sorted(glob.glob("{DATA}/frames/*/*.png"))
        random.Random(0).shuffle(files)

        class FrameSequence(tf.keras.utils.Sequence):
            # the model is fully convolutional, so frames are fed at their own resolution
            def __init__(self, files, batch_size=6):
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return len(self.files) // self.batch_size

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.array([np.asarray(Image.open(f), np.float32) / 255.0 for f in batch])
                y = np.array([WEATHER.index(f.split("/")[-2]) for f in batch])
                return x, y

        inputs = tf.keras.Input(shape=(None, None, 3))
        x = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        x = tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu")(x)
        x = tf.keras.layers.GlobalAveragePooling2D()(x)
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(3, activation="softmax")(x))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(FrameSequence(files), epochs=3)
        """,
    ),
    # ============================================================ (2) bounding boxes
    Case(
        name="keras-more19-unitbox-iou-log-loss-right-to-left-boxes-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        setup=product_boxes,
        expect="Tensor had Inf values",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        with open("{DATA}/products/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/products/" + r["file"]), np.float32) / 255.0 for r in rows])
        y = np.array([[float(r["x1"]), float(r["y1"]), float(r["x2"]), float(r["y2"])] for r in rows], np.float32)

        def to_corners(p):
            cx, cy, w, h = tf.unstack(p, axis=-1)
            return tf.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)

        def iou_loss(y_true, y_pred):
            # UnitBox: -ln(IoU)
            tx1, ty1, tx2, ty2 = tf.unstack(y_true, axis=-1)
            px1, py1, px2, py2 = tf.unstack(to_corners(y_pred), axis=-1)
            iw = tf.nn.relu(tf.minimum(tx2, px2) - tf.maximum(tx1, px1))
            ih = tf.nn.relu(tf.minimum(ty2, py2) - tf.maximum(ty1, py1))
            inter = iw * ih
            union = (tx2 - tx1) * (ty2 - ty1) + (px2 - px1) * (py2 - py1) - inter
            loss = -tf.math.log(inter / union)
            return tf.debugging.check_numerics(tf.reduce_mean(loss), "iou loss")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(4, activation="sigmoid"),   # cx, cy, w, h
        ])
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss=iou_loss)
        model.fit(x, y, batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-anchor-match-pixel-boxes-no-positives-smooth-l1-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=pixel_boxes,
        expect="Tensor had NaN values",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        with open("{DATA}/birds/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        images = np.stack([np.asarray(Image.open("{DATA}/birds/" + r["file"]), np.float32) / 255.0 for r in rows])
        boxes = np.array([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows], np.float32)

        # 4x4 grid of anchors, normalised [x1, y1, x2, y2]
        c = (np.arange(4) + 0.5) / 4
        cx, cy = np.meshgrid(c, c)
        ANCHORS = tf.constant(np.stack([cx - 0.2, cy - 0.2, cx + 0.2, cy + 0.2], -1).reshape(-1, 4), tf.float32)

        def pairwise_iou(gt, anchors):
            x1 = tf.maximum(gt[:, None, 0], anchors[None, :, 0])
            y1 = tf.maximum(gt[:, None, 1], anchors[None, :, 1])
            x2 = tf.minimum(gt[:, None, 2], anchors[None, :, 2])
            y2 = tf.minimum(gt[:, None, 3], anchors[None, :, 3])
            inter = tf.nn.relu(x2 - x1) * tf.nn.relu(y2 - y1)
            a_gt = (gt[:, 2] - gt[:, 0]) * (gt[:, 3] - gt[:, 1])
            a_an = (anchors[:, 2] - anchors[:, 0]) * (anchors[:, 3] - anchors[:, 1])
            return inter / (a_gt[:, None] + a_an[None, :] - inter)

        def box_loss(y_true, y_pred):
            # y_pred: offsets for every anchor, (batch, 16, 4)
            positive = tf.cast(pairwise_iou(y_true, ANCHORS) > 0.4, tf.float32)
            target = y_true[:, None, :] - ANCHORS[None]
            diff = tf.abs(target - y_pred)
            smooth_l1 = tf.reduce_sum(tf.where(diff < 1.0, 0.5 * diff ** 2, diff - 0.5), axis=-1)
            loss = tf.reduce_sum(smooth_l1 * positive) / tf.reduce_sum(positive)
            return tf.debugging.check_numerics(loss, "box regression loss")

        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, strides=2, activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(32, 3, strides=2, activation="relu")(h)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        out = tf.keras.layers.Reshape((16, 4))(tf.keras.layers.Dense(16 * 4)(h))
        model = tf.keras.Model(inputs, out)
        model.compile(optimizer="adam", loss=box_loss)
        model.fit(images, boxes, batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-crop-to-bounding-box-past-left-border-map-tf212",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf212",
        setup=crop_left,
        expect="offset_width must be >= 0",
        code="""
        import csv
        import tensorflow as tf

        with open("{DATA}/market/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        paths = ["{DATA}/market/" + r["file"] for r in rows]
        xmin = [int(r["xmin"]) for r in rows]
        ymin = [int(r["ymin"]) for r in rows]
        xmax = [int(r["xmax"]) for r in rows]
        ymax = [int(r["ymax"]) for r in rows]
        labels = [int(r["label"]) for r in rows]

        def load_crop(path, x1, y1, x2, y2, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            obj = tf.image.crop_to_bounding_box(img, y1, x1, y2 - y1, x2 - x1)
            obj = tf.image.resize(obj, (64, 64)) / 255.0
            return obj, label

        ds = (tf.data.Dataset.from_tensor_slices((paths, xmin, ymin, xmax, ymax, labels))
              .map(load_crop).batch(6))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-crop-to-bounding-box-right-to-left-map-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=crop_r2l,
        expect="target_width must be > 0",
        code="""
        import csv
        import tensorflow as tf
        import keras
        from keras import layers

        with open("{DATA}/market/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        paths = ["{DATA}/market/" + r["file"] for r in rows]
        boxes = [[int(r["xmin"]), int(r["ymin"]), int(r["xmax"]), int(r["ymax"])] for r in rows]
        labels = [int(r["label"]) for r in rows]

        def load_crop(path, box, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            x1, y1, x2, y2 = box[0], box[1], box[2], box[3]
            obj = tf.image.crop_to_bounding_box(img, y1, x1, y2 - y1, x2 - x1)
            return tf.image.resize(obj, (64, 64)) / 255.0, label

        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, labels))
              .map(load_crop, num_parallel_calls=tf.data.AUTOTUNE).batch(6).prefetch(2))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-crop-and-resize-roi-rows-keep-class-id-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=roi_rows,
        expect="boxes must have 4 columns",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        # stage 2 of a two-stage detector: crop every annotated object, train a classifier on the crops
        images, boxes, box_indices, labels = [], [], [], []
        for i, path in enumerate(sorted(glob.glob("{DATA}/shelf/*.png"))):
            images.append(np.asarray(Image.open(path).convert("RGB"), np.float32) / 255.0)
            rows = np.loadtxt(path.replace(".png", ".txt"), ndmin=2)
            boxes.append(rows)
            box_indices += [i] * len(rows)
            labels += rows[:, 4].astype(int).tolist()

        images = np.stack(images)
        boxes = np.concatenate(boxes).astype(np.float32)
        print("images", images.shape, "boxes", boxes.shape)
        crops = tf.image.crop_and_resize(images, boxes, box_indices, crop_size=(32, 32))
        print("crops", crops.shape)
        """,
    ),
    Case(
        name="keras-more19-draw-bounding-boxes-yolo-label-rows-tf215",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        env="tf215",
        setup=yolo_labels,
        expect="The size of the third dimension of the box must be 4",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf

        # preview the ground truth before training
        for path in sorted(glob.glob("{DATA}/yolo/images/*.png"))[:2]:
            img = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32)
            label_file = path.replace("/images/", "/labels/").replace(".png", ".txt")
            boxes = np.loadtxt(label_file, ndmin=2).astype(np.float32)
            preview = tf.image.draw_bounding_boxes(img[None], boxes[None], colors=[[1.0, 0.0, 0.0, 1.0]])
            out = tf.image.convert_image_dtype(preview[0], tf.uint8)
            tf.io.write_file(path.replace(".png", "_gt.png"), tf.io.encode_png(out))
            print("wrote preview for", path)
        """,
    ),
    # ============================================================ (3) class counts
    Case(
        name="keras-more19-val-folder-missing-class-to-categorical-tf215",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        env="tf215",
        setup=flowers_val_missing,
        expect="are incompatible",
        code="""
        import glob
        import os
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        CLASSES = sorted(os.listdir("{DATA}/flowers/train"))
        NUM_CLASSES = len(CLASSES)

        def load_split(split):
            xs, ys = [], []
            for path in sorted(glob.glob(f"{DATA}/flowers/{split}/*/*.jpg")):
                xs.append(np.asarray(Image.open(path).convert("RGB"), np.float32))
                ys.append(CLASSES.index(path.split("/")[-2]))
            return np.stack(xs), np.array(ys)

        x_train, y_train = load_split("train")
        x_val, y_val = load_split("val")
        y_train = tf.keras.utils.to_categorical(y_train)
        y_val = tf.keras.utils.to_categorical(y_val)
        print("train", x_train.shape, y_train.shape, "val", x_val.shape, y_val.shape)
        """ + k2_cnn() + """
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, validation_data=(x_val, y_val), batch_size=4, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-evaluate-test-folder-extra-class-sparse-tf212",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf212",
        setup=test_extra_class,
        expect="outside the valid range",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/waste/train", image_size=(48, 48), batch_size=6, seed=1)
        test_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/waste/test", image_size=(48, 48), batch_size=6, shuffle=False)
        NUM_CLASSES = len(train_ds.class_names)
        """ + k2_cnn() + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        test_loss, test_acc = model.evaluate(test_ds)
        print(f"test accuracy: {test_acc:.3f}")
        """,
    ),
    Case(
        name="keras-more19-sigmoid-one-unit-head-three-classes-sparse-tf215",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=three_classes,
        expect="which is outside the valid range of [0, 1)",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/skin", image_size=(48, 48), batch_size=6, seed=3)
        print(train_ds.class_names)

        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-num-classes-listdir-counts-csv-file-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=listdir_csv,
        expect="must have the same shape",
        code="""
        import os
        import keras
        from keras import layers

        TRAIN_DIR = "{DATA}/dataset/train"
        NUM_CLASSES = len(os.listdir(TRAIN_DIR))
        print("classes:", NUM_CLASSES)

        train_ds = keras.utils.image_dataset_from_directory(
            TRAIN_DIR, image_size=(48, 48), batch_size=5, label_mode="categorical", seed=7)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-class-weight-one-based-grades-tf215",
        cause="data.label_out_of_range",
        exception="ValueError",
        env="tf215",
        setup=csv_one_based,
        expect="Expected `class_weight` to be a dict with keys from 0",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        with open("{DATA}/retina/labels.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/retina/" + r["file"]), np.float32) / 255.0 for r in rows])
        y = np.array([int(r["grade"]) for r in rows])          # grades 1, 2, 3

        classes, counts = np.unique(y, return_counts=True)
        class_weight = {int(c): len(y) / (len(classes) * n) for c, n in zip(classes, counts)}
        print("class weights:", class_weight)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=6, epochs=3, class_weight=class_weight)
        """,
    ),
    Case(
        name="keras-more19-seg-meaniou-two-classes-three-class-masks-tf215",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="tf215",
        setup=seg_three_class,
        expect="`labels` out of bound",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        # road / lane marking / background
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0
                      for f in sorted(glob.glob("{DATA}/roads/images/*.png"))])
        y = np.stack([np.asarray(Image.open(f), np.int32)
                      for f in sorted(glob.glob("{DATA}/roads/masks/*.png"))])[..., None]
        print(x.shape, y.shape, np.unique(y))

        inputs = tf.keras.Input((48, 48, 3))
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        outputs = tf.keras.layers.Conv2D(3, 1, activation="softmax")(h)
        model = tf.keras.Model(inputs, outputs)

        class SparseMeanIoU(tf.keras.metrics.MeanIoU):
            def update_state(self, y_true, y_pred, sample_weight=None):
                return super().update_state(y_true, tf.argmax(y_pred, axis=-1), sample_weight)

        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=[SparseMeanIoU(num_classes=2, name="mean_iou")])
        model.fit(x, y, batch_size=4, epochs=3)
        """,
    ),
    # ============================================================ (4) outputs the loss cannot use
    Case(
        name="keras-more19-two-head-model-one-custom-loss-unpacks-tf212",
        cause="model.output_mismatch",
        exception="OperatorNotAllowedInGraphError",
        env="tf212",
        setup=product_boxes,
        expect="Iterating over a symbolic `tf.Tensor` is not allowed",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        with open("{DATA}/products/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/products/" + r["file"]), np.float32) / 255.0 for r in rows])
        boxes = np.array([[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)
        present = np.ones((len(rows), 1), np.float32)

        inputs = tf.keras.Input((64, 64, 3))
        h = tf.keras.layers.Conv2D(16, 3, activation="relu")(inputs)
        h = tf.keras.layers.GlobalAveragePooling2D()(h)
        objectness = tf.keras.layers.Dense(1, activation="sigmoid", name="objectness")(h)
        box = tf.keras.layers.Dense(4, activation="sigmoid", name="box")(h)
        model = tf.keras.Model(inputs, [objectness, box])

        def detection_loss(y_true, y_pred):
            obj_true, box_true = y_true
            obj_pred, box_pred = y_pred
            obj_loss = tf.keras.losses.binary_crossentropy(obj_true, obj_pred)
            box_loss = tf.reduce_sum(tf.abs(box_true - box_pred), axis=-1)
            return obj_loss + obj_true[:, 0] * box_loss

        model.compile(optimizer="adam", loss=detection_loss)
        model.fit(x, [present, boxes], batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-subclassed-detector-list-output-loss-dict-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=product_boxes,
        expect="Found unexpected losses or metrics that do not correspond to any Model output",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        with open("{DATA}/products/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/products/" + r["file"]), np.float32) / 255.0 for r in rows])
        y_box = np.array([[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)
        y_cls = np.zeros(len(rows), np.int32)

        class TinyDetector(tf.keras.Model):
            def __init__(self, num_classes=2):
                super().__init__()
                self.backbone = tf.keras.Sequential([
                    tf.keras.layers.Conv2D(16, 3, activation="relu"),
                    tf.keras.layers.MaxPooling2D(),
                    tf.keras.layers.Conv2D(32, 3, activation="relu"),
                    tf.keras.layers.GlobalAveragePooling2D(),
                ])
                self.cls_head = tf.keras.layers.Dense(num_classes, activation="softmax", name="cls")
                self.box_head = tf.keras.layers.Dense(4, activation="sigmoid", name="box")

            def call(self, images):
                features = self.backbone(images)
                return [self.cls_head(features), self.box_head(features)]

        model = TinyDetector()
        model.compile(optimizer="adam",
                      loss={"cls": "sparse_categorical_crossentropy", "box": tf.keras.losses.Huber()},
                      loss_weights={"cls": 1.0, "box": 5.0})
        model.fit(x, {"cls": y_cls, "box": y_box}, batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-three-scale-head-list-single-target-k3",
        cause="model.output_mismatch",
        exception="KeyError",
        setup=pixel_boxes,
        expect="in the `loss` argument, can't be found",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        with open("{DATA}/birds/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/birds/" + r["file"]), np.float32) / 255.0 for r in rows])
        # one target grid, (8, 8, 5): objectness + box, built for the stride-8 output
        y = np.zeros((len(rows), 8, 8, 5), np.float32)

        inputs = keras.Input((64, 64, 3))
        c1 = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
        c2 = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(c1)
        p8 = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(c2)
        p16 = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(p8)
        p32 = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(p16)
        heads = [layers.Conv2D(5, 1, name=f"head_{s}")(p) for s, p in ((8, p8), (16, p16), (32, p32))]
        model = keras.Model(inputs, heads, name="yolo_tiny")
        model.summary()

        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-subclassed-detector-list-vs-concatenated-targets-tf212",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf212",
        setup=product_boxes,
        expect="Dimensions must be equal",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        with open("{DATA}/products/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/products/" + r["file"]), np.float32) / 255.0 for r in rows])
        cls = np.eye(3, dtype=np.float32)[np.arange(len(rows)) % 3]
        box = np.array([[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)
        y = np.concatenate([cls, box], axis=1)           # (N, 3 + 4)

        class Detector(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.conv = tf.keras.layers.Conv2D(16, 3, activation="relu")
                self.pool = tf.keras.layers.GlobalAveragePooling2D()
                self.cls = tf.keras.layers.Dense(3, activation="softmax")
                self.box = tf.keras.layers.Dense(4, activation="sigmoid")

            def call(self, x):
                h = self.pool(self.conv(x))
                return [self.cls(h), self.box(h)]

        model = Detector()
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-custom-loop-tuple-output-indexed-by-key-tf215",
        cause="model.output_mismatch",
        exception="TypeError",
        env="tf215",
        setup=product_boxes,
        expect="tuple indices must be integers or slices, not str",
        code="""
        import csv
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        with open("{DATA}/products/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/products/" + r["file"]), np.float32) / 255.0 for r in rows])
        boxes = np.array([[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)
        scores = np.ones((len(rows), 1), np.float32)
        ds = tf.data.Dataset.from_tensor_slices((x, {"boxes": boxes, "scores": scores})).batch(8)

        class BoxNet(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.features = tf.keras.Sequential([tf.keras.layers.Conv2D(16, 3, activation="relu"),
                                                     tf.keras.layers.GlobalAveragePooling2D()])
                self.boxes = tf.keras.layers.Dense(4, activation="sigmoid")
                self.scores = tf.keras.layers.Dense(1, activation="sigmoid")

            def call(self, x):
                h = self.features(x)
                return self.boxes(h), self.scores(h)

        model = BoxNet()
        optimizer = tf.keras.optimizers.Adam(1e-3)
        huber = tf.keras.losses.Huber()
        bce = tf.keras.losses.BinaryCrossentropy()

        @tf.function
        def train_step(images, targets):
            with tf.GradientTape() as tape:
                out = model(images, training=True)
                loss = huber(targets["boxes"], out["boxes"]) + bce(targets["scores"], out["scores"])
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(3):
            for images, targets in ds:
                loss = train_step(images, targets)
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more19-classifier-in-detect-script-unpack-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=pets,
        expect="not enough values to unpack",
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers

        # train a small pet model, then run it with the detection script from the course
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)
        class_names = train_ds.class_names
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)
        model.save("pet_detector.keras")

        # ---- detect.py
        detector = keras.models.load_model("pet_detector.keras")
        for path in sorted(glob.glob("{DATA}/pets/*/*.jpg"))[:1]:
            img = keras.utils.img_to_array(keras.utils.load_img(path, target_size=(48, 48)))
            boxes, scores, classes = detector.predict(img[None])
            for box, score, cls in zip(boxes, scores, classes):
                if score > 0.5:
                    print(class_names[int(cls)], box)
        """,
    ),
    # ============================================================ (5) object where a path belongs
    Case(
        name="keras-more19-checkpoint-given-model-object-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=flowers,
        expect="object has no attribute 'endswith'",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6,
                                                            validation_split=0.3, subset="training", seed=1)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6,
                                                          validation_split=0.3, subset="validation", seed=1)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        checkpoint = keras.callbacks.ModelCheckpoint(model, monitor="val_accuracy", save_best_only=True)
        model.fit(train_ds, validation_data=val_ds, epochs=5, callbacks=[checkpoint])
        """,
    ),
    Case(
        name="keras-more19-load-weights-config-dict-tf215",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf215",
        setup=flowers,
        expect="'dict' object has no attribute 'endswith'",
        code="""
        import json
        import tensorflow as tf

        config = json.loads('''
        {
          "image_size": 48,
          "num_classes": 3,
          "checkpoint": {"path": "weights/flowers_best.h5", "epoch": 12}
        }
        ''')

        NUM_CLASSES = config["num_classes"]
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1.0 / 255, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.load_weights(config["checkpoint"])
        test_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        print(model.predict(test_ds).argmax(axis=1))
        """,
    ),
    Case(
        name="keras-more19-load-weights-given-checkpoint-callback-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=pets,
        expect="path should be string, bytes, os.PathLike or integer",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        best = keras.callbacks.ModelCheckpoint("best.weights.h5", monitor="accuracy",
                                               save_best_only=True, save_weights_only=True)
        model.fit(train_ds, epochs=3, callbacks=[best], verbose=2)

        # go back to the best epoch before evaluating
        model.load_weights(best)
        print(model.evaluate(train_ds))
        """,
    ),
    Case(
        name="keras-more19-load-model-uploaded-bytesio-tf215",
        cause="model.api_misuse",
        exception="OSError",
        env="tf215",
        expect="Unable to load model",
        code="""
        import io
        import numpy as np
        import tensorflow as tf

        # the web app receives the model file as an upload (bytes in memory)
        m = tf.keras.Sequential([tf.keras.layers.Dense(2, activation="softmax", input_shape=(8,))])
        m.save("uploaded_model.h5")
        with open("uploaded_model.h5", "rb") as fh:
            uploaded = io.BytesIO(fh.read())

        model = tf.keras.models.load_model(uploaded)
        print(model.predict(np.random.rand(1, 8)))
        """,
    ),
    Case(
        name="keras-more19-load-model-checkpoint-folder-path-tf212",
        cause="model.api_misuse",
        also=("model.weights_mismatch",),
        exception="OSError",
        env="tf212",
        setup=checkpoint_dir,
        expect="SavedModel file does not exist at",
        code="""
        from pathlib import Path
        import numpy as np
        import tensorflow as tf

        CKPT_DIR = Path("{DATA}") / "checkpoints"
        print(sorted(p.name for p in CKPT_DIR.iterdir()))

        model = tf.keras.models.load_model(CKPT_DIR)
        print(model.predict(np.random.rand(1, 48, 48, 3)))
        """,
    ),
    Case(
        name="keras-more19-checkpoint-filepath-config-dict-tf212",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf212",
        setup=pets,
        expect="'dict' object has no attribute 'format'",
        code="""
        import tensorflow as tf

        CONFIG = {
            "epochs": 3,
            "batch_size": 4,
            "checkpoint": {"dir": "runs/exp1", "filename": "pets_{epoch:02d}.h5"},
        }

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48),
                                                               batch_size=CONFIG["batch_size"])
        NUM_CLASSES = 2
        """ + k2_cnn() + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        checkpoint = tf.keras.callbacks.ModelCheckpoint(filepath=CONFIG["checkpoint"], save_weights_only=True)
        model.fit(train_ds, epochs=CONFIG["epochs"], callbacks=[checkpoint])
        """,
    ),
    Case(
        name="keras-more19-save-model-arguments-swapped-tf212",
        cause="model.api_misuse",
        exception="AttributeError",
        env="tf212",
        setup=pets,
        expect="'str' object has no attribute",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)
        NUM_CLASSES = 2
        """ + k2_cnn() + """
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        tf.keras.models.save_model("pets_classifier.h5", model)
        """,
    ),
    # ============================================================ (6) divergence
    Case(
        name="keras-more19-enable-check-numerics-sgd-lr-10-count-regressor-tf212",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf212",
        setup=flowers,
        expect="Detected Infinity or NaN",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        tf.debugging.enable_check_numerics()

        # regress the number of flowers in each photo (counts from the annotation sheet)
        files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        x = np.stack([np.asarray(Image.open(f), np.float32) for f in files])      # raw 0..255 pixels
        counts = np.random.default_rng(1).integers(1, 12, len(files)).astype(np.float32)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(64, activation="relu"),
            tf.keras.layers.Dense(1),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=10.0), loss="mse", metrics=["mae"])
        model.fit(x, counts, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more19-nan-tensor-hook-monitored-session-sgd-lr-10-tf215",
        cause="optim.divergence",
        exception="NanLossDuringTrainingError",
        env="tf215",
        setup=pets,
        expect="NaN loss during training",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        tf.compat.v1.disable_eager_execution()

        files = sorted(glob.glob("{DATA}/pets/*/*.jpg"))
        x_all = np.stack([np.asarray(Image.open(f), np.float32).reshape(-1) for f in files])   # 0..255
        y_all = np.array([[1.0 if "/dog/" in f else 0.0] for f in files], np.float32)

        X = tf.compat.v1.placeholder(tf.float32, [None, 48 * 48 * 3])
        Y = tf.compat.v1.placeholder(tf.float32, [None, 1])
        hidden = tf.compat.v1.layers.dense(X, 64, activation=tf.nn.relu)
        logits = tf.compat.v1.layers.dense(hidden, 1)
        loss = tf.reduce_mean(tf.square(tf.sigmoid(logits) - Y) + tf.square(logits - Y))
        global_step = tf.compat.v1.train.get_or_create_global_step()
        train_op = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=10.0).minimize(
            loss, global_step=global_step)

        hooks = [tf.compat.v1.train.NanTensorHook(loss), tf.compat.v1.train.StopAtStepHook(last_step=300)]
        with tf.compat.v1.train.MonitoredTrainingSession(checkpoint_dir="ckpt", hooks=hooks,
                                                         save_checkpoint_steps=100) as sess:
            step = 0
            while not sess.should_stop():
                idx = np.random.choice(len(files), 4)
                _, l = sess.run([train_op, loss], feed_dict={X: x_all[idx], Y: y_all[idx]})
                step += 1
                if step % 10 == 0:
                    print("step", step, "loss", l)
        """,
    ),
    Case(
        name="keras-more19-mixed-float16-custom-loop-sum-loss-no-scaling-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=pets,
        expect="Tensor had Inf values",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        keras.mixed_precision.set_global_policy("mixed_float16")

        # denoising autoencoder on raw pixels (0..255)
        files = sorted(glob.glob("{DATA}/pets/*/*.jpg"))
        clean = np.stack([np.asarray(Image.open(f), np.float32) for f in files])
        noisy = np.clip(clean + np.random.normal(0, 25, clean.shape), 0, 255).astype(np.float32)
        ds = tf.data.Dataset.from_tensor_slices((noisy, clean)).batch(4)

        inputs = keras.Input((48, 48, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        outputs = layers.Conv2D(3, 3, padding="same")(h)
        model = keras.Model(inputs, outputs)
        optimizer = keras.optimizers.Adam(1e-3)          # no LossScaleOptimizer

        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                pred = model(x, training=True)
                loss = tf.reduce_sum(tf.square(tf.cast(y, pred.dtype) - pred))
                loss = tf.debugging.check_numerics(loss, "reconstruction loss")
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        for epoch in range(3):
            for x, y in ds:
                loss = train_step(x, y)
            print("epoch", epoch, "loss", float(loss))
        """,
    ),
    Case(
        name="keras-more19-weights-check-callback-sgd-lr-10-regressor-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=pets,
        expect="Tensor had NaN values",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        # age regression from face crops (ages 1..15), pixels left at 0..255
        files = sorted(glob.glob("{DATA}/pets/*/*.jpg"))
        x = np.stack([np.asarray(Image.open(f), np.float32) for f in files])
        y = np.random.default_rng(0).uniform(1, 15, len(files)).astype(np.float32)

        class WeightsAreFinite(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                for w in self.model.weights:
                    tf.debugging.check_numerics(w.value, f"{w.path} after epoch {epoch + 1}")

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=10.0), loss="mse", metrics=["mae"])
        model.fit(x, y, batch_size=4, epochs=5, callbacks=[WeightsAreFinite()])
        """,
    ),
    Case(
        name="keras-more19-nb-nan-count-round-sgd-lr-1-k3",
        cause="optim.divergence",
        exception="ValueError",
        expect="cannot convert float NaN to integer",
        **notebook([
            """
            import glob
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            # how many flowers are in each photo (counts from the annotation sheet)
            files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files])
            counts = np.random.default_rng(1).integers(1, 12, len(files)).astype("float32")
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(1),
            ])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse", metrics=["mae"])
            history = model.fit(x, counts, batch_size=4, epochs=5, verbose=2)
            """,
            """
            pred = model.predict(x[:1])[0][0]
            print(f"predicted: {round(float(pred))} flowers (annotated: {int(counts[0])})")
            """,
        ], data=flowers),
    ),
    # ============================================================ (7) calls out of order
    Case(
        name="keras-more19-gan-combined-train-on-batch-uncompiled-tf212",
        cause="model.api_misuse",
        exception="RuntimeError",
        env="tf212",
        setup=pets,
        expect="You must compile your model before training/testing",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        LATENT = 32
        real = np.stack([np.asarray(Image.open(f), np.float32) / 127.5 - 1.0
                         for f in sorted(glob.glob("{DATA}/pets/*/*.jpg"))])

        generator = tf.keras.Sequential([
            tf.keras.layers.Dense(12 * 12 * 32, activation="relu", input_shape=(LATENT,)),
            tf.keras.layers.Reshape((12, 12, 32)),
            tf.keras.layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu"),
            tf.keras.layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
        ])
        discriminator = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 4, strides=2, padding="same", input_shape=(48, 48, 3)),
            tf.keras.layers.LeakyReLU(0.2),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        discriminator.compile(optimizer=tf.keras.optimizers.Adam(2e-4, 0.5), loss="binary_crossentropy")

        discriminator.trainable = False
        z = tf.keras.Input((LATENT,))
        gan = tf.keras.Model(z, discriminator(generator(z)))

        batch = 4
        for step in range(20):
            noise = np.random.normal(size=(batch, LATENT)).astype(np.float32)
            fake = generator.predict(noise, verbose=0)
            idx = np.random.randint(0, len(real), batch)
            d_loss_real = discriminator.train_on_batch(real[idx], np.ones((batch, 1)))
            d_loss_fake = discriminator.train_on_batch(fake, np.zeros((batch, 1)))
            g_loss = gan.train_on_batch(noise, np.ones((batch, 1)))
            print(f"step {step}: d {0.5 * (d_loss_real + d_loss_fake):.3f} g {g_loss:.3f}")
        """,
    ),
    Case(
        name="keras-more19-evaluate-rebuilt-model-load-weights-uncompiled-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="You must call `compile()` before using the model",
        code="""
        import keras
        from keras import layers

        def build_model(num_classes=3):
            return keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(num_classes, activation="softmax"),
            ])

        # ---- train.py
        ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=6)
        model = build_model()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=2, verbose=2)
        model.save_weights("flowers.weights.h5")

        # ---- evaluate.py
        model = build_model()
        model.load_weights("flowers.weights.h5")
        loss, acc = model.evaluate(ds)
        print("accuracy", acc)
        """,
    ),
    Case(
        name="keras-more19-count-params-before-build-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=pets,
        expect="You tried to call `count_params`",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)

        model = keras.Sequential([
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        print(f"training a model with {model.count_params():,} parameters")
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more19-student-set-weights-before-build-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=pets,
        expect="but the layer was expecting 0 weights",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)

        def make_model(input_shape=None):
            kw = {"input_shape": input_shape} if input_shape else {}
            return tf.keras.Sequential([
                tf.keras.layers.Rescaling(1.0 / 255, **kw),
                tf.keras.layers.Conv2D(16, 3, activation="relu"),
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(2, activation="softmax"),
            ])

        teacher = make_model((48, 48, 3))
        teacher.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        teacher.fit(train_ds, epochs=2)

        # warm-start the student from the teacher, then fine-tune it
        student = make_model()
        for s_layer, t_layer in zip(student.layers, teacher.layers):
            s_layer.set_weights(t_layer.get_weights())
        student.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        student.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more19-tf-checkpoint-restore-assert-consumed-before-build-tf215",
        cause="model.api_misuse",
        exception="AssertionError",
        env="tf215",
        setup=pets,
        expect="Unresolved object in checkpoint",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)

        class PetNet(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.rescale = tf.keras.layers.Rescaling(1.0 / 255)
                self.conv = tf.keras.layers.Conv2D(16, 3, activation="relu")
                self.pool = tf.keras.layers.GlobalAveragePooling2D()
                self.out = tf.keras.layers.Dense(2)

            def call(self, x):
                return self.out(self.pool(self.conv(self.rescale(x))))

        def train(model, optimizer, epochs):
            loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
            for _ in range(epochs):
                for x, y in train_ds:
                    with tf.GradientTape() as tape:
                        loss = loss_fn(y, model(x, training=True))
                    grads = tape.gradient(loss, model.trainable_variables)
                    optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return float(loss)

        # first run: train and checkpoint
        model, optimizer = PetNet(), tf.keras.optimizers.Adam(1e-3)
        print("loss", train(model, optimizer, 1))
        ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)
        manager = tf.train.CheckpointManager(ckpt, "ckpts", max_to_keep=3)
        manager.save()

        # resumed run
        model, optimizer = PetNet(), tf.keras.optimizers.Adam(1e-3)
        ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)
        ckpt.restore(tf.train.latest_checkpoint("ckpts")).assert_consumed()
        print("resumed; loss", train(model, optimizer, 1))
        """,
    ),
    Case(
        name="keras-more19-subclassed-detector-load-weights-before-build-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=product_boxes,
        expect="You are loading weights into a model that has not yet been built",
        code="""
        import csv
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        class BoxRegressor(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.conv1 = layers.Conv2D(16, 3, activation="relu")
                self.conv2 = layers.Conv2D(32, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.box = layers.Dense(4, activation="sigmoid")

            def call(self, x):
                return self.box(self.pool(self.conv2(self.conv1(x))))

        with open("{DATA}/products/boxes.csv") as fh:
            rows = list(csv.DictReader(fh))
        x = np.stack([np.asarray(Image.open("{DATA}/products/" + r["file"]), np.float32) / 255.0 for r in rows])
        y = np.array([[float(r[k]) for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)

        model = BoxRegressor()
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, batch_size=8, epochs=1, verbose=2)
        model.save_weights("box_regressor.weights.h5")

        # ---- predict.py
        detector = BoxRegressor()
        detector.load_weights("box_regressor.weights.h5")
        print(detector.predict(x[:2]))
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
