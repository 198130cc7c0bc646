"""A twentieth set of real Keras / TensorFlow image-training failures, in scenarios the
earlier keras_* and tf_* generators do not stage, on TF 2.21 (Keras 3) and TF 2.12 /
2.15 (Keras 2, graph-mode ``Graph execution error`` / ``Detected at node`` logs).

- image sizes: CIFAR-sized arrays concatenated with the user's own larger photos,
  change-detection tile pairs of two survey resolutions concatenated into one
  6-channel input, segmentation masks read by ``flow_from_directory`` at its
  default 256x256 target size beside 128x128 images;
- channels: ``random_hue`` on icons decoded with their alpha channel,
  ``ImageDataGenerator.fit`` on grayscale scans without a channel axis, a grayscale
  ``flow_from_directory`` feeding a 3-channel MobileNetV2 (notebook);
- boxes: TFRecord coordinate lists of unequal length from a converter that skipped
  a blank cell, a YOLO box dragged past the right border indexing past the grid;
- labels: ``CategoryEncoding`` sized by the largest grade (off by one), per-class
  accuracy by ``unsorted_segment_sum`` over a test folder with one more class,
  one-hot labels with an extra axis, a label dataset batched before ``zip``, a
  PatchGAN discriminator given one label per image, a validation subset of a
  label-sorted array, an empty label export;
- dtypes: a float32 ImageNet-mean ``Lambda`` under mixed_float16, Gaussian noise
  added to uint8 images, a float ``k`` given to ``rot90``;
- files: a Colab Drive path run locally, a truncated HDF5 image archive;
- models: U-Net crops copied from the paper, a grouped-convolution stem on RGB, one
  box head shared over pyramid levels of different widths, a ``Distiller`` whose
  teacher has more classes, a two-output centre-loss model with one loss, a
  multi-label head one tag short;
- weights: PyTorch-layout kernels given to ``set_weights``, RGB weights loaded into a
  grayscale model, a ``.weights.h5`` loaded into a model that gained BatchNorm;
- API misuse: a one-argument ``LambdaCallback``, a ``None`` in the callbacks list,
  losses collected in a list inside a ``tf.function``, a Python ``if`` on an unknown
  height in a map function, an int seed for stateless ops, ``len`` of a repeated
  dataset, ``label_smoothing`` given to the sparse loss;
- divergence: NaN uncertainty scores sampled by ``np.random.choice``, NaN boxes
  given to Hungarian matching, a histogram of NaN scores in a callback;
- gradient tapes: a loss turned into a Python float, a WGAN-GP penalty on an
  unwatched tensor, ``clip_by_global_norm``'s tuple zipped with the variables;
- memory: ``to_categorical`` on masks saved as 0/255;
- versions: ``Image.ANTIALIAS`` on Pillow 10+, ``scipy.misc.imread``,
  ``K.image_dim_ordering``, a Keras 2 JSON architecture read by Keras 3;
- other: a ``tf.data`` cache file still locked by a notebook's open iterator.

Notebook cases run every cell through a real IPython InteractiveShell
(``notebook`` from _tfrecord.py).

Every case is a small training / inference script that really fails with the
library's own error; the label is known by construction (what the script
breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more20.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder
and scored before any rule was looked at or written for them.
"""
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _tfrecord  # noqa: E402
from _tfrecord import Case, both, make_images, notebook, rgb, rng, save_png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=5, size=(48, 48), fmt="jpeg")


def pets(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(64, 64))


def cifar_npz(d: Path):
    import numpy as np
    r = rng(4)
    np.savez(d / "cifar_pets.npz", x=r.integers(0, 255, size=(40, 32, 32, 3), dtype=np.uint8),
             y=r.integers(0, 2, 40))


def change_tiles(d: Path):
    """Survey tiles: 2019 at 64x64; two 2023 tiles re-exported at a finer ground resolution."""
    for i in range(8):
        save_png(d / "tiles" / "before" / f"tile_{i:02d}.png", rgb(64, 64, seed=i))
        s = 80 if i in (5, 6) else 64
        save_png(d / "tiles" / "after" / f"tile_{i:02d}.png", rgb(s, s, seed=100 + i))


def seg_folders(d: Path):
    import numpy as np
    for i in range(8):
        save_png(d / "seg" / "images" / "all" / f"{i:03d}.png", rgb(128, 128, seed=i))
        m = (rng(i).random((128, 128)) > 0.7).astype(np.uint8) * 255
        save_png(d / "seg" / "masks" / "all" / f"{i:03d}.png", m)


def icons_some_rgba(d: Path):
    import numpy as np
    for c, kind in enumerate(["camera", "mail", "music"]):
        for i in range(4):
            arr = rgb(48, 48, seed=10 * c + i)
            if (c, i) in {(1, 2), (2, 0)}:
                alpha = rng(c + i).integers(0, 255, size=(48, 48, 1), dtype="uint8")
                arr = np.concatenate([arr, alpha], -1)
            save_png(d / "icons" / kind / f"{kind}_{i}.png", arr)


def gray_scans(d: Path):
    for c, kind in enumerate(["normal", "pneumonia"]):
        for i in range(6):
            save_png(d / "scans" / kind / f"{kind}_{i:02d}.png", rgb(64, 64, seed=20 * c + i)[..., 0])


def detection_tfrecord(d: Path):
    """A TFRecord written by a CSV-to-TFRecord converter that skipped blank cells, so that
    one image has two ymin values for three objects."""
    script = r'''
import numpy as np, tensorflow as tf, sys
out = sys.argv[1]
r = np.random.default_rng(2)
def f(v): return tf.train.Feature(float_list=tf.train.FloatList(value=v))
with tf.io.TFRecordWriter(out) as w:
    for i in range(10):
        img = tf.io.encode_jpeg(r.integers(0, 255, size=(120, 160, 3), dtype=np.uint8)).numpy()
        n = 1 + i % 3
        xmin = sorted(r.uniform(0.05, 0.45, n)); ymin = sorted(r.uniform(0.05, 0.45, n))
        xmax = [v + 0.3 for v in xmin]; ymax = [v + 0.3 for v in ymin]
        if i == 6:
            ymin = ymin[:-1]          # the blank ymin cell of the CSV row was skipped
        feat = {
            "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[img])),
            "image/object/bbox/xmin": f(xmin), "image/object/bbox/ymin": f(ymin),
            "image/object/bbox/xmax": f(xmax), "image/object/bbox/ymax": f(ymax),
            "image/object/class/label": tf.train.Feature(int64_list=tf.train.Int64List(value=[1] * n)),
        }
        w.write(tf.train.Example(features=tf.train.Features(feature=feat)).SerializeToString())
'''
    (d / "records").mkdir()
    _run_env("k3", script, str(d / "records" / "train.tfrecord"))


def yolo_parts(d: Path):
    """YOLO txt labels; one box of image 5 was dragged past the right border (x_center 1.04)."""
    for i in range(8):
        save_png(d / "parts" / "images" / f"part_{i:02d}.png", rgb(64, 64, seed=i))
        rows = [f"{i % 2} 0.40 0.50 0.30 0.25"]
        if i == 5:
            rows.append("1 1.04 0.42 0.22 0.30")
        lab = d / "parts" / "labels" / f"part_{i:02d}.txt"
        lab.parent.mkdir(parents=True, exist_ok=True)
        lab.write_text("\n".join(rows) + "\n")


def fundus_grades(d: Path):
    lines = ["image,grade"]
    for i in range(12):
        save_png(d / "fundus" / "images" / f"eye_{i:03d}.png", rgb(48, 48, seed=i))
        lines.append(f"eye_{i:03d}.png,{[0, 2, 1, 0, 3, 1, 0, 2, 4, 1, 0, 3][i]}")
    (d / "fundus" / "grades.csv").write_text("\n".join(lines) + "\n")


def flowers_train_test(d: Path):
    make_images(d / "flowers" / "train", ["daisy", "roses", "tulips"], per_class=5, size=(48, 48), fmt="jpeg")
    make_images(d / "flowers" / "test", ["daisy", "roses", "sunflowers", "tulips"], per_class=3,
                size=(48, 48), fmt="jpeg", seed=3)


def leaves_csv(d: Path):
    lines = ["file,label"]
    for i in range(12):
        save_png(d / "leaves" / f"leaf_{i:03d}.png", rgb(48, 48, seed=i))
        lines.append(f"leaf_{i:03d}.png,{i % 3}")
    (d / "leaves" / "labels.csv").write_text("\n".join(lines) + "\n")


def h5_truncated(d: Path):
    import h5py
    import numpy as np
    p = d / "sat_tiles.h5"
    with h5py.File(p, "w") as f:
        f.create_dataset("images", data=rng(1).integers(0, 255, size=(60, 32, 32, 3), dtype=np.uint8))
        f.create_dataset("labels", data=rng(2).integers(0, 4, 60))
    data = p.read_bytes()
    p.write_bytes(data[: len(data) * 2 // 5])      # the download stopped part-way


def defects_empty_csv(d: Path):
    make_images(d / "defects" / "images", ["all"], per_class=6, size=(48, 48))
    (d / "defects" / "labels.csv").write_text("filename,label\n")


def torch_weights(d: Path):
    """A state_dict exported from PyTorch with numpy: conv kernels (out, in, kh, kw), linear (out, in)."""
    import numpy as np
    r = rng(9)
    np.savez(d / "leafnet_torch.npz",
             **{"conv1.weight": r.normal(0, 0.1, (16, 3, 3, 3)).astype("float32"),
                "conv1.bias": np.zeros(16, "float32"),
                "conv2.weight": r.normal(0, 0.1, (32, 16, 3, 3)).astype("float32"),
                "conv2.bias": np.zeros(32, "float32"),
                "fc.weight": r.normal(0, 0.1, (3, 32)).astype("float32"),
                "fc.bias": np.zeros(3, "float32")})
    make_images(d / "leaves", ["healthy", "rust", "scab"], per_class=3, size=(48, 48))


def rgb_weights_tf215(d: Path):
    script = r'''
import sys, numpy as np, tensorflow as tf
L = tf.keras.layers
m = tf.keras.Sequential([L.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 3)), L.MaxPooling2D(),
                         L.Conv2D(32, 3, activation="relu"), L.GlobalAveragePooling2D(), L.Dense(2, activation="softmax")])
m.compile("adam", "sparse_categorical_crossentropy")
m.fit(np.random.rand(8, 64, 64, 3), np.random.randint(0, 2, 8), epochs=1, verbose=0)
m.save_weights(sys.argv[1])
'''
    _run_env("tf215", script, str(d / "photos_cnn.h5"))
    gray_scans(d)


def weights_without_bn_k3(d: Path):
    script = r'''
import sys, numpy as np, keras
from keras import layers
m = keras.Sequential([keras.Input((48, 48, 3)), layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                      layers.Conv2D(32, 3, activation="relu"), layers.GlobalAveragePooling2D(),
                      layers.Dense(3, activation="softmax")])
m.compile("adam", "sparse_categorical_crossentropy")
m.fit(np.random.rand(8, 48, 48, 3), np.random.randint(0, 3, 8), epochs=1, verbose=0)
m.save_weights(sys.argv[1])
'''
    (d / "checkpoints").mkdir()
    _run_env("k3", script, str(d / "checkpoints" / "flowers_best.weights.h5"))
    flowers(d)


def keras2_json(d: Path):
    script = r'''
import sys, tensorflow as tf
L = tf.keras.layers
m = tf.keras.Sequential([L.Rescaling(1 / 255.0, input_shape=(48, 48, 3)), L.Conv2D(16, 3, activation="relu"),
                         L.MaxPooling2D(), L.Conv2D(32, 3, activation="relu"), L.GlobalAveragePooling2D(),
                         L.Dense(3, activation="softmax")])
open(sys.argv[1], "w").write(m.to_json())
'''
    _run_env("tf215", script, str(d / "flowers_architecture.json"))
    flowers(d)


def masks_0_255(d: Path):
    import numpy as np
    for i in range(120):
        m = (rng(i).random((256, 256)) > 0.8).astype(np.uint8) * 255
        save_png(d / "roads" / "masks" / f"tile_{i:03d}.png", m)
        if i < 8:
            save_png(d / "roads" / "images" / f"tile_{i:03d}.png", rgb(256, 256, seed=i))


def fruit_boxes(d: Path):
    import json
    ann = {}
    for i in range(12):
        save_png(d / "fruit" / f"img_{i:03d}.png", rgb(48, 48, seed=i))
        r = rng(i)
        boxes = []
        for _ in range(3):
            x, y = r.uniform(0, 30, 2)
            boxes.append([float(x), float(y), float(x + 12), float(y + 12)])
        ann[f"img_{i:03d}.png"] = boxes
    (d / "fruit" / "boxes.json").write_text(json.dumps(ann))


def _run_env(env: str, script: str, *args):
    py = _tfrecord.env_python(env)
    e = dict(os.environ, CUDA_VISIBLE_DEVICES="", TF_CPP_MIN_LOG_LEVEL="3")
    e.pop("TF_USE_LEGACY_KERAS", None)
    subprocess.run([str(py), "-c", script, *args], check=True, capture_output=True, env=e)


CASES = [
    # ============================================================ image sizes
    Case(
        name="keras-more20-nb-cifar-arrays-plus-phone-photos-concatenate-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        expect="all the input array dimensions except for the concatenation axis must match",
        **notebook([
            """
            import glob
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            # cat / dog crops exported from CIFAR-10 last week, plus our own photos
            cifar = np.load("{DATA}/cifar_pets.npz")
            x_cifar, y_cifar = cifar["x"].astype("float32"), cifar["y"]
            files = sorted(glob.glob("{DATA}/pets/*/*.png"))
            x_own = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files])
            y_own = np.array([0 if "/cat/" in f else 1 for f in files])
            print(x_cifar.shape, x_own.shape)
            """,
            """
            x_train = np.concatenate([x_cifar, x_own]) / 255.0
            y_train = np.concatenate([y_cifar, y_own])
            model = keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x_train, y_train, epochs=3, batch_size=8, validation_split=0.2)
            """,
        ], data=both(cifar_npz, pets)),
    ),
    Case(
        name="keras-more20-change-detection-pair-concat-tile-sizes-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=change_tiles,
        expect="ConcatOp",
        code="""
        import glob
        import tensorflow as tf

        before = sorted(glob.glob("{DATA}/tiles/before/*.png"))
        after = sorted(glob.glob("{DATA}/tiles/after/*.png"))
        changed = [1, 0, 1, 1, 0, 0, 1, 0]          # from the survey team's sheet

        def load_pair(path_before, path_after, label):
            a = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path_before), channels=3), tf.float32)
            b = tf.image.convert_image_dtype(tf.io.decode_png(tf.io.read_file(path_after), channels=3), tf.float32)
            return tf.concat([a, b], axis=-1), label          # early fusion: one 6-channel input

        train_ds = (tf.data.Dataset.from_tensor_slices((before, after, changed))
                    .map(load_pair, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(4))

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 6)),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Conv2D(32, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more20-flow-from-directory-masks-default-target-size-tf212",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf212",
        setup=seg_folders,
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        SEED = 7
        image_gen = ImageDataGenerator(rescale=1 / 255.0).flow_from_directory(
            "{DATA}/seg/images", target_size=(128, 128), class_mode=None, batch_size=4, seed=SEED)
        mask_gen = ImageDataGenerator(rescale=1 / 255.0).flow_from_directory(
            "{DATA}/seg/masks", color_mode="grayscale", class_mode=None, batch_size=4, seed=SEED)
        train_gen = zip(image_gen, mask_gen)

        inputs = tf.keras.Input((128, 128, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        m1 = layers.Concatenate()([u1, c1])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(m1)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(c3)
        unet = tf.keras.Model(inputs, outputs)
        unet.compile(optimizer="adam", loss="binary_crossentropy")
        unet.fit(train_gen, steps_per_epoch=2, epochs=2)
        """,
    ),
    # ============================================================ channels
    Case(
        name="keras-more20-random-hue-icons-decoded-with-alpha-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=icons_some_rgba,
        expect="input must have 3 channels",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/icons/*/*.png"))
        classes = sorted({f.split("/")[-2] for f in files})
        labels = [classes.index(f.split("/")[-2]) for f in files]

        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path))          # keep the file's own channels
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = tf.image.random_hue(img, 0.08)
            img = tf.image.random_flip_left_right(img)
            return tf.image.resize(img, (48, 48)), label

        train_ds = (tf.data.Dataset.from_tensor_slices((files, labels))
                    .shuffle(len(files), seed=0)
                    .map(load)
                    .batch(4))

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(classes), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-datagen-fit-gray-scans-no-channel-axis-tf212",
        cause="data.image_channels",
        exception="ValueError",
        env="tf212",
        setup=gray_scans,
        expect="should have rank 4",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        files = sorted(glob.glob("{DATA}/scans/*/*.png"))
        x = np.stack([np.asarray(Image.open(f), dtype="float32") for f in files])
        y = np.array([1 if "/pneumonia/" in f else 0 for f in files])
        print("scans:", x.shape)

        datagen = ImageDataGenerator(featurewise_center=True, featurewise_std_normalization=True,
                                     rotation_range=10, horizontal_flip=True)
        datagen.fit(x)            # dataset mean / std for the featurewise normalisation

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 1)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(datagen.flow(x, y, batch_size=4), epochs=2)
        """,
    ),
    Case(
        name="keras-more20-nb-flow-from-directory-grayscale-mobilenet-tf212",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        env="tf212",
        expect="input depth must be evenly divisible by filter depth: 1 vs 3",
        **notebook([
            """
            import tensorflow as tf
            from tensorflow.keras.preprocessing.image import ImageDataGenerator
            """,
            """
            datagen = ImageDataGenerator(rescale=1 / 255.0, validation_split=0.25)
            train_gen = datagen.flow_from_directory("{DATA}/scans", target_size=(96, 96), color_mode="grayscale",
                                                    class_mode="binary", batch_size=4, subset="training")
            val_gen = datagen.flow_from_directory("{DATA}/scans", target_size=(96, 96), color_mode="grayscale",
                                                  class_mode="binary", batch_size=4, subset="validation")
            """,
            """
            base = tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None, alpha=0.35)
            model = tf.keras.Sequential([
                base,
                tf.keras.layers.GlobalAveragePooling2D(),
                tf.keras.layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            history = model.fit(train_gen, validation_data=val_gen, epochs=2)
            """,
        ], data=gray_scans),
    ),
    # ============================================================ boxes
    Case(
        name="keras-more20-tfrecord-bbox-coordinate-lists-unequal-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=detection_tfrecord,
        expect="Shapes of all inputs must match",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        features = {
            "image/encoded": tf.io.FixedLenFeature([], tf.string),
            "image/object/bbox/xmin": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/ymin": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/xmax": tf.io.VarLenFeature(tf.float32),
            "image/object/bbox/ymax": tf.io.VarLenFeature(tf.float32),
            "image/object/class/label": tf.io.VarLenFeature(tf.int64),
        }

        def parse(record):
            ex = tf.io.parse_single_example(record, features)
            image = tf.image.resize(tf.io.decode_jpeg(ex["image/encoded"], channels=3), (96, 96)) / 255.0
            boxes = tf.stack([tf.sparse.to_dense(ex["image/object/bbox/" + k]) for k in ("ymin", "xmin", "ymax", "xmax")],
                             axis=-1)
            return image, boxes[0]          # single-object localiser: the first annotated box

        train_ds = tf.data.TFRecordDataset("{DATA}/records/train.tfrecord").map(parse).batch(2)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, strides=2, activation="relu"),
            layers.Conv2D(32, 3, strides=2, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-yolo-box-past-right-border-grid-index-k3",
        cause="data.bbox_invalid",
        exception="IndexError",
        setup=yolo_parts,
        expect="out of bounds",
        code="""
        import glob
        import math
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        S, C = 4, 2          # 4x4 grid, two part types

        class YoloBatches(keras.utils.PyDataset):
            def __init__(self, files, batch_size, **kwargs):
                super().__init__(**kwargs)
                self.files, self.batch_size = files, batch_size

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.zeros((len(batch), 64, 64, 3), "float32")
                y = np.zeros((len(batch), S, S, 5 + C), "float32")
                for i, f in enumerate(batch):
                    x[i] = np.asarray(Image.open(f).convert("RGB"), "float32") / 255.0
                    for cls, xc, yc, w, h in np.loadtxt(f.replace("images", "labels").replace(".png", ".txt"), ndmin=2):
                        gx, gy = int(xc * S), int(yc * S)
                        y[i, gy, gx, :5] = [1.0, xc * S - gx, yc * S - gy, w, h]
                        y[i, gy, gx, 5 + int(cls)] = 1.0
                return x, y

        files = sorted(glob.glob("{DATA}/parts/images/*.png"))
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2D(5 + C, 1),
        ])
        model.compile(optimizer="adam", loss="mse")
        model.fit(YoloBatches(files, batch_size=4), epochs=2)
        """,
    ),
    # ============================================================ labels
    Case(
        name="keras-more20-category-encoding-num-tokens-max-grade-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=fundus_grades,
        expect="Input values must be in the range 0 <= values < num_tokens",
        code="""
        import tensorflow as tf

        rows = [line.strip().split(",") for line in open("{DATA}/fundus/grades.csv")][1:]
        paths = ["{DATA}/fundus/images/" + r[0] for r in rows]
        grades = [int(r[1]) for r in rows]
        NUM_GRADES = max(grades)          # retinopathy grades go up to 4
        one_hot = tf.keras.layers.CategoryEncoding(num_tokens=NUM_GRADES, output_mode="one_hot")

        def load(path, grade):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.convert_image_dtype(img, tf.float32), one_hot(grade)

        train_ds = tf.data.Dataset.from_tensor_slices((paths, grades)).map(load).batch(4)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(NUM_GRADES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-per-class-accuracy-segment-sum-extra-test-class-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=flowers_train_test,
        expect="is out of range",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/train", image_size=(48, 48), batch_size=4)
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers/test", image_size=(48, 48), batch_size=4,
                                                           shuffle=False)
        NUM_CLASSES = len(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        # per-class accuracy on the held-out folder
        correct = tf.zeros(NUM_CLASSES)
        total = tf.zeros(NUM_CLASSES)
        for images, labels in test_ds:
            pred = tf.argmax(model(images, training=False), axis=-1, output_type=tf.int32)
            hit = tf.cast(pred == labels, tf.float32)
            correct += tf.math.unsorted_segment_sum(hit, labels, NUM_CLASSES)
            total += tf.math.unsorted_segment_sum(tf.ones_like(hit), labels, NUM_CLASSES)
        for name, c, t in zip(train_ds.class_names, correct.numpy(), total.numpy()):
            print(f"{name:10s} {c / t:.2f}")
        """,
    ),
    Case(
        name="keras-more20-nb-tf-one-hot-of-label-column-extra-axis-k3",
        cause="data.label_shape",
        exception="ValueError",
        expect="must have the same rank",
        **notebook([
            """
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            """,
            """
            rows = np.loadtxt("{DATA}/leaves/labels.csv", delimiter=",", skiprows=1, dtype=str)
            files = ["{DATA}/leaves/" + f for f in rows[:, 0]]
            y = rows[:, 1:2].astype(int)
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f, target_size=(48, 48))) for f in files]) / 255.0
            y_onehot = tf.one_hot(y, depth=3)
            x.shape, y_onehot.shape
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y_onehot, epochs=3, batch_size=4)
            """,
        ], data=leaves_csv),
    ),
    Case(
        name="keras-more20-zip-batched-label-dataset-with-images-tf215",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf215",
        setup=flowers,
        expect="logits and labels must have the same first dimension",
        code="""
        import glob
        import tensorflow as tf

        BATCH_SIZE = 5
        AUTOTUNE = tf.data.AUTOTUNE
        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        class_names = sorted({p.split("/")[-2] for p in paths})
        labels = [class_names.index(p.split("/")[-2]) for p in paths]

        def load_image(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)) / 255.0

        images = tf.data.Dataset.from_tensor_slices(paths).map(load_image, num_parallel_calls=AUTOTUNE)
        label_ds = tf.data.Dataset.from_tensor_slices(labels).batch(BATCH_SIZE)
        train_ds = tf.data.Dataset.zip((images, label_ds)).shuffle(16, seed=1).batch(BATCH_SIZE).prefetch(AUTOTUNE)

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-patchgan-discriminator-one-label-per-image-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=pets,
        expect="must have the same rank",
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/pets/*/*.png"))
        real = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files]) / 127.5 - 1.0

        generator = keras.Sequential([
            keras.Input((32,)),
            layers.Dense(16 * 16 * 32, activation="relu"),
            layers.Reshape((16, 16, 32)),
            layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
        ], name="generator")

        # PatchGAN: one real/fake score per 16x16 patch
        discriminator = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 4, strides=2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"),
            layers.LeakyReLU(0.2),
            layers.Conv2D(1, 4, padding="same", activation="sigmoid"),
        ], name="discriminator")
        discriminator.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss="binary_crossentropy")

        BATCH = 4
        for step in range(3):
            idx = np.random.randint(0, len(real), BATCH)
            fake = generator.predict(np.random.normal(size=(BATCH, 32)), verbose=0)
            d_loss_real = discriminator.train_on_batch(real[idx], np.ones((BATCH, 1)))
            d_loss_fake = discriminator.train_on_batch(fake, np.zeros((BATCH, 1)))
            print(step, d_loss_real, d_loss_fake)
        """,
    ),
    Case(
        name="keras-more20-datagen-validation-subset-label-sorted-arrays-tf212",
        cause="data.missing_or_corrupt",
        also=("data.label_shape",),
        exception="ValueError",
        env="tf212",
        setup=flowers,
        expect="Training and validation subsets have different number of classes",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator, img_to_array, load_img

        files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))        # class by class
        classes = sorted({f.split("/")[-2] for f in files})
        x = np.stack([img_to_array(load_img(f, target_size=(48, 48))) for f in files])
        y = np.array([classes.index(f.split("/")[-2]) for f in files])

        datagen = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True, validation_split=0.2)
        train_it = datagen.flow(x, y, batch_size=4, subset="training")
        val_it = datagen.flow(x, y, batch_size=4, subset="validation")

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(classes), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_it, validation_data=val_it, epochs=2)
        """,
    ),
    # ============================================================ dtypes
    Case(
        name="keras-more20-mixed-float16-lambda-imagenet-mean-constant-tf212",
        cause="data.dtype",
        exception="TypeError",
        env="tf212",
        setup=flowers,
        expect="has type float32 that does not match type float16",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        tf.keras.mixed_precision.set_global_policy("mixed_float16")

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(64, 64), batch_size=4)
        IMAGENET_MEAN = tf.constant([0.485, 0.456, 0.406])
        IMAGENET_STD = tf.constant([0.229, 0.224, 0.225])

        inputs = tf.keras.Input((64, 64, 3))
        x = layers.Lambda(lambda t: (t / 255.0 - IMAGENET_MEAN) / IMAGENET_STD, name="imagenet_norm")(inputs)
        x = layers.Conv2D(16, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(3, activation="softmax", dtype="float32")(x)
        model = tf.keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-gaussian-noise-on-uint8-decoded-images-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=flowers,
        expect="does not match type uint8",
        code="""
        import glob
        import tensorflow as tf
        import keras
        from keras import layers

        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        class_names = sorted({p.split("/")[-2] for p in paths})
        labels = [class_names.index(p.split("/")[-2]) for p in paths]

        def load_noisy(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize_with_crop_or_pad(img, 48, 48)
            img = img + tf.random.normal(tf.shape(img), stddev=8.0)      # sensor-noise augmentation
            return tf.clip_by_value(img, 0.0, 255.0) / 255.0, label

        train_ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load_noisy).batch(4)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-rot90-random-float-quarter-turns-tf215",
        cause="data.dtype",
        also=("model.api_misuse",),
        exception="ValueError",
        env="tf215",
        setup=flowers,
        expect="Tensor conversion requested dtype int32 for Tensor with dtype float32",
        code="""
        import tensorflow as tf

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)

        def augment(images, labels):
            k = tf.random.uniform([], minval=0, maxval=4)        # 0..3 quarter turns (aerial photos)
            images = tf.image.rot90(images, k=k)
            images = tf.image.random_flip_left_right(images)
            return images, labels

        train_ds = train_ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
        model = tf.keras.Sequential([
            tf.keras.layers.Rescaling(1 / 255.0, input_shape=(48, 48, 3)),
            tf.keras.layers.Conv2D(16, 3, activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ files
    Case(
        name="keras-more20-flow-from-directory-colab-drive-path-tf212",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        env="tf212",
        setup=flowers,
        expect="/content/drive/MyDrive",
        code="""
        import os
        import tensorflow as tf
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        BASE = "/content/drive/MyDrive/flower_project"          # notebook exported from Colab
        train_dir = os.path.join(BASE, "train")

        datagen = ImageDataGenerator(rescale=1 / 255.0, horizontal_flip=True)
        train_gen = datagen.flow_from_directory(train_dir, target_size=(48, 48), batch_size=4,
                                                class_mode="categorical")
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(train_gen.num_classes, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-h5-image-archive-download-truncated-k3",
        cause="data.missing_or_corrupt",
        exception="OSError",
        setup=h5_truncated,
        expect="truncated file",
        code="""
        import h5py
        import numpy as np
        import keras
        from keras import layers

        # satellite tiles packed into one HDF5 file by the data team
        with h5py.File("{DATA}/sat_tiles.h5", "r") as f:
            x = f["images"][:].astype("float32") / 255.0
            y = f["labels"][:]

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=8)
        """,
    ),
    Case(
        name="keras-more20-nb-empty-label-export-to-categorical-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        expect="zero-size array to reduction operation maximum",
        **notebook([
            """
            import glob
            import numpy as np
            import keras
            """,
            """
            files = sorted(glob.glob("{DATA}/defects/images/all/*.png"))
            labels = np.loadtxt("{DATA}/defects/labels.csv", delimiter=",", skiprows=1, usecols=1, dtype=int)
            len(files), labels.shape
            """,
            """
            y = keras.utils.to_categorical(labels)
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files]) / 255.0
            """,
        ], data=defects_empty_csv),
    ),
    # ============================================================ model input shapes
    Case(
        name="keras-more20-unet-valid-convs-crops-copied-from-paper-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="should be smaller than the corresponding spatial dimension",
        code="""
        import numpy as np
        import keras
        from keras import layers

        # crop sizes of the skip connections, as in the U-Net paper (572x572 input)
        PAPER_CROPS = {1: 88, 2: 40}

        def block(x, filters):
            x = layers.Conv2D(filters, 3, activation="relu")(x)       # valid convolutions
            return layers.Conv2D(filters, 3, activation="relu")(x)

        inputs = keras.Input((96, 96, 3))
        c1 = block(inputs, 16)
        c2 = block(layers.MaxPooling2D()(c1), 32)
        c3 = block(layers.MaxPooling2D()(c2), 64)
        u2 = layers.Conv2DTranspose(32, 2, strides=2)(c3)
        s2 = layers.Cropping2D(PAPER_CROPS[2])(c2)
        d2 = block(layers.Concatenate()([u2, s2]), 32)
        u1 = layers.Conv2DTranspose(16, 2, strides=2)(d2)
        s1 = layers.Cropping2D(PAPER_CROPS[1])(c1)
        d1 = block(layers.Concatenate()([u1, s1]), 16)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(d1)
        unet = keras.Model(inputs, outputs)
        unet.compile(optimizer="adam", loss="binary_crossentropy")
        """,
    ),
    Case(
        name="keras-more20-grouped-conv-stem-on-rgb-input-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="must be evenly divisible by the number of groups",
        code="""
        import numpy as np
        import keras
        from keras import layers

        CARDINALITY = 4

        def resnext_block(x, filters):
            y = layers.Conv2D(filters, 3, padding="same", groups=CARDINALITY, use_bias=False)(x)
            y = layers.BatchNormalization()(y)
            y = layers.ReLU()(y)
            y = layers.Conv2D(filters, 1, use_bias=False)(y)
            y = layers.BatchNormalization()(y)
            return layers.ReLU()(y)

        inputs = keras.Input((64, 64, 3))
        x = resnext_block(inputs, 32)              # the stem reuses the grouped block
        x = layers.MaxPooling2D()(x)
        x = resnext_block(x, 64)
        x = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(5, activation="softmax")(x)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(np.random.rand(16, 64, 64, 3), np.random.randint(0, 5, 16), epochs=1, batch_size=4)
        """,
    ),
    Case(
        name="keras-more20-shared-box-head-over-pyramid-levels-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="expected axis -1 of input shape to have value 64",
        code="""
        import keras
        from keras import layers

        NUM_ANCHORS, NUM_CLASSES = 9, 3

        inputs = keras.Input((128, 128, 3))
        x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inputs)
        c3 = layers.Conv2D(64, 3, strides=4, padding="same", activation="relu")(x)      # stride 8
        c4 = layers.Conv2D(128, 3, strides=2, padding="same", activation="relu")(c3)    # stride 16
        c5 = layers.Conv2D(256, 3, strides=2, padding="same", activation="relu")(c4)    # stride 32

        # one head shared by all pyramid levels (RetinaNet style)
        box_head = layers.Conv2D(NUM_ANCHORS * 4, 3, padding="same", name="box_head")
        cls_head = layers.Conv2D(NUM_ANCHORS * NUM_CLASSES, 3, padding="same", name="cls_head")
        boxes = layers.Concatenate(axis=1)([layers.Reshape((-1, 4))(box_head(p)) for p in (c3, c4, c5)])
        scores = layers.Concatenate(axis=1)([layers.Reshape((-1, NUM_CLASSES))(cls_head(p)) for p in (c3, c4, c5)])
        detector = keras.Model(inputs, [boxes, scores])
        detector.summary()
        """,
    ),
    # ============================================================ model outputs
    Case(
        name="keras-more20-nb-distiller-teacher-ten-classes-student-five-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        expect="Teacher and student output shapes are incompatible",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            # teacher: the big model trained on all ten product categories
            x_all = np.random.rand(40, 48, 48, 3).astype("float32")
            y_all = np.random.randint(0, 10, 40)
            teacher = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(10),
            ], name="teacher")
            teacher.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            teacher.fit(x_all, y_all, epochs=1, batch_size=8, verbose=0)
            """,
            """
            # student for the shelf camera: only the five categories sold in that store
            student = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(8, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(5),
            ], name="student")
            distiller = keras.distillation.Distiller(
                teacher=teacher, student=student,
                distillation_losses=keras.distillation.LogitsDistillation(temperature=4.0),
                student_loss_weight=0.3)
            distiller.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
            distiller.fit(x_all, y_all % 5, epochs=2, batch_size=8)
            """,
        ]),
    ),
    Case(
        name="keras-more20-center-loss-model-two-outputs-one-loss-k3",
        cause="model.output_mismatch",
        also=("model.api_misuse",),
        exception="KeyError",
        setup=flowers,
        expect="can't be found in either the model's output",
        code="""
        import glob
        import numpy as np
        import keras
        from keras import layers

        files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        classes = sorted({f.split("/")[-2] for f in files})
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files]) / 255.0
        y = np.array([classes.index(f.split("/")[-2]) for f in files])

        # returns the embedding too, for the centre-loss term added later
        inputs = keras.Input((48, 48, 3))
        h = layers.Conv2D(16, 3, activation="relu")(inputs)
        h = layers.GlobalAveragePooling2D()(h)
        embedding = layers.Dense(8, name="embedding")(h)
        probs = layers.Dense(len(classes), activation="softmax", name="probs")(embedding)
        model = keras.Model(inputs, [probs, embedding])

        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more20-multilabel-tags-head-one-short-logits-bce-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=lambda d: _satellite_tags(d),
        expect="`logits` and `labels` must have the same shape",
        code="""
        import numpy as np
        import tensorflow as tf

        TAGS = ["agriculture", "clear", "haze", "primary", "water"]

        rows = [line.strip().split(",") for line in open("{DATA}/planet/labels.csv")]
        header, rows = rows[0], rows[1:]
        x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img("{DATA}/planet/" + r[0])) for r in rows]) / 255.0
        y = np.array([[float(v) for v in r[1:]] for r in rows], "float32")     # one column per tag

        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(TAGS)),
        ])
        model.compile(optimizer="adam", loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
                      metrics=[tf.keras.metrics.BinaryAccuracy(threshold=0.0)])
        model.fit(x, y, epochs=2, batch_size=4)
        """,
    ),
    # ============================================================ weights
    Case(
        name="keras-more20-nb-pytorch-kernels-set-weights-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="is not compatible with provided weight shape",
        **notebook([
            """
            import glob
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            # the same LeafNet as the PyTorch repo: conv(3->16) conv(16->32) pool fc(32->3)
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(16, 3, padding="same", activation="relu", name="conv1"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, padding="same", activation="relu", name="conv2"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax", name="fc"),
            ])
            state = np.load("{DATA}/leafnet_torch.npz")
            list(state.keys())
            """,
            """
            for name in ["conv1", "conv2", "fc"]:
                model.get_layer(name).set_weights([state[name + ".weight"], state[name + ".bias"]])
            """,
            """
            files = sorted(glob.glob("{DATA}/leaves/*/*.png"))
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files]) / 255.0
            model.predict(x).argmax(axis=1)
            """,
        ], data=torch_weights),
    ),
    Case(
        name="keras-more20-gray-scan-model-loads-rgb-photo-weights-tf215",
        cause="model.weights_mismatch",
        also=("data.image_channels",),
        exception="ValueError",
        env="tf215",
        setup=rgb_weights_tf215,
        expect="Shape mismatch",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf
        from PIL import Image

        files = sorted(glob.glob("{DATA}/scans/*/*.png"))
        x = np.stack([np.asarray(Image.open(f), "float32")[..., None] for f in files]) / 255.0
        y = np.array([1 if "/pneumonia/" in f else 0 for f in files])

        L = tf.keras.layers
        model = tf.keras.Sequential([L.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 1)), L.MaxPooling2D(),
                                     L.Conv2D(32, 3, activation="relu"), L.GlobalAveragePooling2D(),
                                     L.Dense(2, activation="softmax")])
        model.load_weights("{DATA}/photos_cnn.h5")          # warm start from the photo classifier
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more20-weights-h5-into-model-with-batchnorm-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=weights_without_bn_k3,
        expect="could not be loaded",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)

        # v2: BatchNorm after each convolution; warm start from v1's best checkpoint
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.BatchNormalization(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.load_weights("{DATA}/checkpoints/flowers_best.weights.h5")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ API misuse
    Case(
        name="keras-more20-nb-lambda-callback-on-epoch-end-one-argument-k3",
        cause="model.api_misuse",
        exception="TypeError",
        expect="positional argument",
        **notebook([
            """
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1 / 255.0),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            progress = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch: print(f"finished epoch {epoch + 1}"))
            """,
            "history = model.fit(train_ds, epochs=3, callbacks=[progress])",
        ], data=flowers),
    ),
    Case(
        name="keras-more20-callbacks-list-conditional-none-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=flowers,
        expect="'NoneType' object has no attribute",
        code="""
        import keras
        from keras import layers

        USE_TENSORBOARD = False        # no tensorboard on the lab machine

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        callbacks = [
            keras.callbacks.EarlyStopping(monitor="loss", patience=3),
            keras.callbacks.ModelCheckpoint("flowers.keras", monitor="loss", save_best_only=True),
            keras.callbacks.TensorBoard("logs") if USE_TENSORBOARD else None,
        ]
        model.fit(train_ds, epochs=3, callbacks=callbacks)
        """,
    ),
    Case(
        name="keras-more20-tf-function-step-appends-loss-to-python-list-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        expect="is out of scope and cannot be used here",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)
        epoch_losses = []

        @tf.function
        def train_step(images, labels):
            with tf.GradientTape() as tape:
                loss = loss_fn(labels, model(images, training=True))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            epoch_losses.append(loss)
            return loss

        for epoch in range(2):
            epoch_losses.clear()
            for images, labels in train_ds:
                train_step(images, labels)
            print(f"epoch {epoch}: loss {float(tf.reduce_mean(epoch_losses)):.4f}")
        """,
    ),
    Case(
        name="keras-more20-map-python-if-on-decoded-height-tf215",
        cause="model.api_misuse",
        exception="TypeError",
        env="tf215",
        setup=flowers,
        expect="'>' not supported between instances of 'NoneType' and 'int'",
        code="""
        import glob
        import tensorflow as tf

        paths = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        class_names = sorted({p.split("/")[-2] for p in paths})
        labels = [class_names.index(p.split("/")[-2]) for p in paths]

        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            if img.shape[0] > 1024 or img.shape[1] > 1024:         # only shrink the big phone photos first
                img = tf.image.resize(img, (1024, 1024), preserve_aspect_ratio=True)
            img = tf.image.resize(img, (48, 48)) / 255.0
            return img, label

        train_ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(4)
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(len(class_names), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-stateless-random-flip-int-seed-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flowers,
        expect="Shape must be rank 1 but is rank 0",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        SEED = 42
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)

        def augment(images, labels):
            images = tf.image.stateless_random_flip_left_right(images, seed=SEED)
            images = tf.image.stateless_random_brightness(images, max_delta=20.0, seed=SEED)
            return images, labels

        train_ds = train_ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more20-nb-len-of-repeated-dataset-steps-k3",
        cause="model.api_misuse",
        exception="TypeError",
        expect="The dataset is infinite",
        **notebook([
            """
            import tensorflow as tf
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4,
                                                                validation_split=0.2, subset="training", seed=1)
            train_ds = train_ds.shuffle(32).repeat().prefetch(tf.data.AUTOTUNE)
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1 / 255.0),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=3, steps_per_epoch=len(train_ds))
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more20-sparse-crossentropy-label-smoothing-kwarg-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=flowers,
        expect="unexpected keyword argument 'label_smoothing'",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        model.compile(optimizer="adam",
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ divergence
    Case(
        name="keras-more20-nb-active-learning-sample-nan-uncertainty-k3",
        cause="optim.divergence",
        exception="ValueError",
        expect="probabilities contain NaN",
        **notebook([
            """
            import glob
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
            classes = sorted({f.split("/")[-2] for f in files})
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(f)) for f in files])   # raw 0-255 pixels
            y = np.array([classes.index(f.split("/")[-2]) for f in files])
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Conv2D(8, 3),
                layers.Flatten(),
                layers.Dense(32),
                layers.Dense(len(classes), activation="softmax"),
            ])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0, momentum=0.9),
                          loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x, y, epochs=3, batch_size=4, verbose=2)
            """,
            """
            # active learning: send the most uncertain unlabelled photos to the annotators
            pool = np.random.default_rng(0).uniform(0, 255, size=(20, 48, 48, 3)).astype("float32")
            probs = model.predict(pool, verbose=0)
            entropy = -(probs * np.log(probs + 1e-9)).sum(axis=1)
            to_label = np.random.choice(len(pool), size=5, replace=False, p=entropy / entropy.sum())
            to_label
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more20-hungarian-matching-nan-box-predictions-tf212",
        cause="optim.divergence",
        exception="ValueError",
        env="tf212",
        setup=fruit_boxes,
        expect="matrix contains invalid numeric entries",
        code="""
        import json
        import numpy as np
        import tensorflow as tf
        from scipy.optimize import linear_sum_assignment

        ann = json.load(open("{DATA}/fruit/boxes.json"))
        names = sorted(ann)
        x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img("{DATA}/fruit/" + n)) for n in names])
        y = np.array([ann[n] for n in names], "float32")            # 3 boxes per image, pixel corners

        L = tf.keras.layers
        model = tf.keras.Sequential([
            L.Conv2D(8, 3, activation="relu", input_shape=(48, 48, 3)), L.MaxPooling2D(), L.Flatten(),
            L.Dense(32, activation="relu"), L.Dense(3 * 4), L.Reshape((3, 4)),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse")
        model.fit(x, y, epochs=3, batch_size=4)

        # evaluation: one-to-one matching of predicted and annotated boxes (DETR style)
        pred = model.predict(x, verbose=0)
        errors = []
        for p, t in zip(pred, y):
            cost = np.abs(p[:, None, :] - t[None, :, :]).sum(-1)
            rows, cols = linear_sum_assignment(cost)
            errors.append(cost[rows, cols].mean())
        print("mean L1 after matching:", np.mean(errors))
        """,
    ),
    Case(
        name="keras-more20-score-histogram-callback-nan-range-tf215",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tf215",
        setup=flowers,
        expect="value_range should satisfy",
        code="""
        import glob
        import numpy as np
        import tensorflow as tf

        files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
        classes = sorted({f.split("/")[-2] for f in files})
        x = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(f)) for f in files])
        y = np.array([classes.index(f.split("/")[-2]) for f in files])

        class ScoreHistogram(tf.keras.callbacks.Callback):
            # prints how confident the model is on a fixed batch after every epoch
            def on_epoch_end(self, epoch, logs=None):
                top = tf.reduce_max(self.model(x[:8], training=False), axis=1)
                counts = tf.histogram_fixed_width(top, [tf.reduce_min(top), tf.reduce_max(top)], nbins=5)
                print(f"epoch {epoch}: top-score histogram {counts.numpy().tolist()}")

        L = tf.keras.layers
        model = tf.keras.Sequential([
            L.Conv2D(8, 3, input_shape=(48, 48, 3)), L.Flatten(), L.Dense(32),
            L.Dense(len(classes), activation="softmax"),
        ])
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=1.0, momentum=0.9),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=4, callbacks=[ScoreHistogram()])
        """,
    ),
    # ============================================================ gradient tapes
    Case(
        name="keras-more20-tape-gradient-of-python-float-loss-k3",
        cause="optim.autograd_graph",
        exception="TypeError",
        setup=flowers,
        expect="to a TensorFlow DType",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(2):
            for step, (images, labels) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    logits = model(images, training=True)
                    loss = float(loss_fn(labels, logits))          # a plain number for the log line
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                print(f"epoch {epoch} step {step}: loss {loss:.4f}")
        """,
    ),
    Case(
        name="keras-more20-nb-wgan-gp-interpolated-images-not-watched-tf215",
        cause="optim.autograd_graph",
        exception="ValueError",
        env="tf215",
        expect="Attempt to convert a value (None)",
        **notebook([
            """
            import glob
            import numpy as np
            import tensorflow as tf
            L = tf.keras.layers
            """,
            """
            files = sorted(glob.glob("{DATA}/pets/*/*.png"))
            real_images = np.stack([tf.keras.utils.img_to_array(tf.keras.utils.load_img(f)) for f in files]) / 127.5 - 1
            generator = tf.keras.Sequential([
                L.Dense(8 * 8 * 32, activation="relu", input_shape=(32,)), L.Reshape((8, 8, 32)),
                L.Conv2DTranspose(16, 4, strides=4, padding="same", activation="relu"),
                L.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
            ])
            critic = tf.keras.Sequential([
                L.Conv2D(16, 4, strides=2, padding="same", input_shape=(64, 64, 3)), L.LeakyReLU(0.2),
                L.Conv2D(32, 4, strides=2, padding="same"), L.LeakyReLU(0.2), L.Flatten(), L.Dense(1),
            ])
            g_opt = tf.keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9)
            c_opt = tf.keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9)
            """,
            """
            def gradient_penalty(real, fake):
                alpha = tf.random.uniform([real.shape[0], 1, 1, 1])
                interpolated = real + alpha * (fake - real)
                with tf.GradientTape() as gp_tape:
                    pred = critic(interpolated, training=True)
                grads = gp_tape.gradient(pred, interpolated)
                norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
                return tf.reduce_mean((norm - 1.0) ** 2)

            def critic_step(real):
                noise = tf.random.normal([real.shape[0], 32])
                with tf.GradientTape() as tape:
                    fake = generator(noise, training=True)
                    loss = (tf.reduce_mean(critic(fake, training=True)) - tf.reduce_mean(critic(real, training=True))
                            + 10.0 * gradient_penalty(real, fake))
                grads = tape.gradient(loss, critic.trainable_variables)
                c_opt.apply_gradients(zip(grads, critic.trainable_variables))
                return loss
            """,
            """
            for step in range(3):
                batch = tf.constant(real_images[np.random.randint(0, len(real_images), 4)], tf.float32)
                print(step, float(critic_step(batch)))
            """,
        ], data=pets),
    ),
    Case(
        name="keras-more20-clip-by-global-norm-tuple-zipped-with-variables-k3",
        cause="optim.autograd_graph",
        also=("model.api_misuse",),
        exception="InvalidArgumentError",
        setup=flowers,
        expect="Shapes of all inputs must match",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)

        for epoch in range(2):
            for images, labels in train_ds:
                with tf.GradientTape() as tape:
                    loss = loss_fn(labels, model(images, training=True))
                grads = tape.gradient(loss, model.trainable_variables)
                grads = tf.clip_by_global_norm(grads, 5.0)             # keep the updates bounded
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: loss {float(loss):.4f}")
        """,
    ),
    # ============================================================ memory
    Case(
        name="keras-more20-to-categorical-road-masks-saved-0-255-k3",
        cause="resource.host_memory",
        also=("data.label_out_of_range",),
        exception="_ArrayMemoryError",
        setup=masks_0_255,
        as_limit=10 * 1024**3,
        expect="Unable to allocate",
        code="""
        import glob
        import numpy as np
        import keras

        mask_files = sorted(glob.glob("{DATA}/roads/masks/*.png"))
        masks = np.stack([keras.utils.img_to_array(keras.utils.load_img(f, color_mode="grayscale"))[..., 0]
                          for f in mask_files]).astype("int64")
        print("masks:", masks.shape, "values:", np.unique(masks))
        y = keras.utils.to_categorical(masks)           # road / background one-hot
        print(y.shape)
        """,
    ),
    # ============================================================ versions
    Case(
        name="keras-more20-nb-pil-antialias-thumbnails-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        expect="has no attribute 'ANTIALIAS'",
        **notebook([
            """
            import glob
            import numpy as np
            from PIL import Image
            import keras
            """,
            """
            def load_thumbnail(path, size=(32, 32)):
                img = Image.open(path).convert("RGB")
                return np.asarray(img.resize(size, Image.ANTIALIAS), dtype="float32") / 255.0

            files = sorted(glob.glob("{DATA}/flowers/*/*.jpg"))
            x = np.stack([load_thumbnail(f) for f in files])
            x.shape
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more20-scipy-misc-imread-imresize-loader-tf212",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf212",
        setup=flowers,
        expect="scipy.misc",
        code="""
        import glob
        import numpy as np
        import scipy.misc
        import tensorflow as tf

        def load_images(folder, size=(48, 48)):
            images, labels = [], []
            for label, cls in enumerate(sorted(glob.glob(folder + "/*"))):
                for f in sorted(glob.glob(cls + "/*.jpg")):
                    img = scipy.misc.imread(f, mode="RGB")
                    images.append(scipy.misc.imresize(img, size))
                    labels.append(label)
            return np.array(images, "float32") / 255.0, np.array(labels)

        x, y = load_images("{DATA}/flowers")
        model = tf.keras.Sequential([
            tf.keras.layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            tf.keras.layers.GlobalAveragePooling2D(),
            tf.keras.layers.Dense(3, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=4)
        """,
    ),
    Case(
        name="keras-more20-backend-image-dim-ordering-keras1-script-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="image_dim_ordering",
        code="""
        import keras
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

        img_width, img_height = 48, 48
        if K.image_dim_ordering() == "th":
            input_shape = (3, img_width, img_height)
        else:
            input_shape = (img_width, img_height, 3)

        model = Sequential()
        model.add(Conv2D(16, (3, 3), activation="relu", input_shape=input_shape))
        model.add(MaxPooling2D((2, 2)))
        model.add(Flatten())
        model.add(Dense(3, activation="softmax"))
        model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
        """,
    ),
    Case(
        name="keras-more20-keras2-json-architecture-read-by-keras3-k3",
        cause="env.version_incompat",
        exception="TypeError",
        setup=keras2_json,
        expect="batch_input_shape",
        code="""
        import keras

        # architecture exported by a colleague's TF 2.15 notebook with model.to_json()
        with open("{DATA}/flowers_architecture.json") as f:
            model = keras.models.model_from_json(f.read())

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    # ============================================================ other
    Case(
        name="keras-more20-nb-cache-file-locked-by-open-iterator-k3",
        cause="other",
        exception="AlreadyExistsError",
        expect="cache lockfile already exists",
        **notebook([
            """
            import os
            import tensorflow as tf
            import keras
            from keras import layers
            os.makedirs("tf_cache", exist_ok=True)
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=4)
            train_ds = train_ds.cache("tf_cache/flowers_train").prefetch(tf.data.AUTOTUNE)
            """,
            """
            # look at one batch
            batches = iter(train_ds)
            images, labels = next(batches)
            images.shape, labels.numpy()
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1 / 255.0),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2)
            """,
        ], data=flowers),
    ),
]


def _satellite_tags(d: Path):
    """Planet-style multi-label sheet: the export gained a sixth tag column ("cloudy")."""
    tags = ["agriculture", "clear", "cloudy", "haze", "primary", "water"]
    lines = ["image_name," + ",".join(tags)]
    r = rng(6)
    for i in range(12):
        save_png(d / "planet" / f"chip_{i:03d}.png", rgb(48, 48, seed=i))
        lines.append(f"chip_{i:03d}.png," + ",".join(str(int(v)) for v in r.integers(0, 2, len(tags))))
    (d / "planet" / "labels.csv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
