"""Untargeted held-out Keras / TF 2 image-training failures, as people training
classifiers, small detectors, segmenters and regressors on their own data meet them
in scripts and notebooks, spread over the cause ids of the taxonomy:

- image sizes: test-time augmentation that stacks rot90 views of landscape photos, a
  "random resized crop" that never resizes back, video clips from two cameras, a
  semi-supervised loop whose unlabelled folder is read at the default 256 x 256;
- channels: MNIST digits "converted" to RGB with ``np.repeat`` on the last axis, a
  validation map copied from the inference script that skips ``rgb_to_grayscale``;
- boxes: VOC XML with xmin / xmax swapped cropped with PIL, an objectness-mask target
  built from a box drawn bottom to top;
- labels: Sign Language MNIST with 24 classes, iNaturalist species ids used as class
  indices, SVHN's label 10 for the digit 0, one-hot of a label column vector, MixUp's
  soft labels with a sparse loss, a categorical loss object on integer labels;
- dtypes: boolean masks in a Dice loss, per-class loss weights gathered with float
  labels parsed from file names;
- files: a git-lfs pointer instead of a ``.npy`` array, Kaggle ids without extension;
- models: a subclassed two-branch model whose metadata one-hot width differs between
  splits, a Python list of photos given to ``fit``, a 68-point landmark head for
  5-point labels, a Lab colorisation head for RGB targets, weights of a grayscale run,
  a no-top weights file for a full model;
- API: ``array_to_img`` on a batch, a Lambda layer met by ``safe_mode``, ``y`` next
  to a dataset, ``class_names`` spelled unlike the folders;
- versions: ``predict_generator``, ``RandAugment`` on TF 2.15, ``np.int``;
- optimisation: age groups resampled by a validation MAE that turned NaN, raw pixels under
  ``check_numerics``, a generator step through ``stop_gradient``, a loss turned into a
  Python float inside the tape; host memory: a float64 array for full-size photos;
- plain Python bugs around training (``other``).

Keras 3 (TF 2.21), tf_keras 2 under TF 2.21, TF 2.15 and TF 2.12 with their bundled
Keras 2; scripts and notebook cells run in a real IPython shell.

Every case is a small training script that really fails with the library's own
error; the label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more29.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases were generated into a separate folder and
scored before any rule was looked at or written for them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, make_images, notebook, both  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402


# ---------------------------------------------------------------- data helpers
def landscape_pets(d: Path):
    """Phone photos, landscape, 64 wide and 48 high."""
    make_images(d / "pets", ["cat", "dog"], per_class=6, size=(64, 48), fmt="jpeg")


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=8, size=(48, 48), fmt="jpeg")


def clips_two_cameras(d: Path):
    """Short clips stored as frame folders; the clips of the second camera are 64x48."""
    r = _rng(2)
    for c in ["fall", "walk"]:
        for k in range(4):
            cam = "camB" if (c == "walk" and k == 3) else "camA"
            h, w = (48, 64) if cam == "camB" else (64, 64)
            for t in range(4):
                _png(d / "clips" / c / f"{cam}_{k:03d}" / f"frame_{t:03d}.png",
                     r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def semi_supervised(d: Path):
    make_images(d / "leaves" / "labelled", ["healthy", "rust"], per_class=4, size=(32, 32), fmt="png")
    r = _rng(3)
    for i in range(12):
        _png(d / "leaves" / "unlabelled" / f"u_{i:03d}.png", r.integers(0, 255, size=(80, 80, 3), dtype="uint8"))


def digits_npz(d: Path):
    r = _rng(4)
    import numpy as np
    np.savez(d / "mnist_local.npz", x_train=r.integers(0, 255, (256, 28, 28), dtype=np.uint8),
             y_train=r.integers(0, 10, 256))


def xray_split(d: Path):
    make_images(d / "xray" / "train", ["normal", "pneumonia"], per_class=6, size=(64, 64), fmt="png")
    make_images(d / "xray" / "val", ["normal", "pneumonia"], per_class=2, size=(64, 64), fmt="png", seed=1)


def voc_swapped(d: Path):
    """VOC-style XML files from a home-made annotation tool; on one object xmin / xmax are swapped."""
    r = _rng(5)
    names = ["apple", "banana", "orange"]
    for i in range(8):
        _png(d / "fruit" / "JPEGImages" / f"img_{i:04d}.png", r.integers(0, 255, size=(120, 160, 3), dtype="uint8"))
        objs = []
        for j in range(2):
            x1, y1 = int(r.integers(5, 80)), int(r.integers(5, 50))
            x2, y2 = x1 + int(r.integers(20, 60)), y1 + int(r.integers(20, 50))
            if i == 5 and j == 1:
                x1, x2 = x2, x1
            objs.append(f"""  <object>
    <name>{names[(i + j) % 3]}</name>
    <difficult>0</difficult>
    <bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox>
  </object>""")
        xml = (f"<annotation>\n  <filename>img_{i:04d}.png</filename>\n"
               f"  <size><width>160</width><height>120</height><depth>3</depth></size>\n"
               + "\n".join(objs) + "\n</annotation>\n")
        p = d / "fruit" / "Annotations" / f"img_{i:04d}.xml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(xml)


def boxes_bottom_up(d: Path):
    """Drone frames with one box each (x1,y1,x2,y2 in pixels); one box drawn bottom to top."""
    r = _rng(6)
    rows = ["file,x1,y1,x2,y2"]
    for i in range(16):
        _png(d / "cars" / f"frame_{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        x1, y1 = int(r.integers(2, 30)), int(r.integers(2, 30))
        x2, y2 = x1 + int(r.integers(8, 30)), y1 + int(r.integers(8, 30))
        if i == 11:
            y1, y2 = y2, y1
        rows.append(f"frame_{i:03d}.png,{x1},{y1},{x2},{y2}")
    (d / "cars" / "boxes.csv").write_text("\n".join(rows) + "\n")


def sign_mnist(d: Path):
    """Sign Language MNIST layout: label,pixel1..pixel784; labels 0-24 without 9 (J)."""
    import numpy as np
    r = _rng(7)
    n = 240
    labels = r.choice([k for k in range(25) if k != 9], size=n)
    labels[3] = 24
    pix = r.integers(0, 255, size=(n, 784))
    header = "label," + ",".join(f"pixel{i + 1}" for i in range(784))
    np.savetxt(d / "sign_mnist_train.csv", np.column_stack([labels, pix]), fmt="%d", delimiter=",",
               header=header, comments="")


def inat_species(d: Path):
    r = _rng(8)
    ids = [1203, 4417, 5520, 6012]
    rows = ["file,species_id"]
    for i in range(24):
        _png(d / "birds" / f"obs_{i:05d}.png", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"obs_{i:05d}.png,{ids[i % 4]}")
    (d / "birds" / "train.csv").write_text("\n".join(rows) + "\n")


def svhn_mat(d: Path):
    _prep("tf212", """
        import numpy as np
        import scipy.io
        r = np.random.default_rng(9)
        n = 200
        X = r.integers(0, 255, size=(32, 32, 3, n), dtype=np.uint8)
        y = r.integers(1, 11, size=(n, 1)).astype(np.uint8)     # SVHN: digit 0 is stored as 10
        scipy.io.savemat("train_32x32.mat", {"X": X, "y": y})
        """, d)


def images_with_csv(d: Path):
    r = _rng(10)
    rows = ["filename,label"]
    for i in range(30):
        _png(d / "parts" / "images" / f"part_{i:04d}.png", r.integers(0, 255, size=(40, 40, 3), dtype="uint8"))
        rows.append(f"part_{i:04d}.png,{int(r.integers(0, 5))}")
    (d / "parts" / "labels.csv").write_text("\n".join(rows) + "\n")


def four_classes(d: Path):
    make_images(d / "weather", ["cloudy", "rain", "shine", "sunrise"], per_class=5, size=(40, 40), fmt="jpeg")


def seg_binary(d: Path):
    r = _rng(11)
    for i in range(12):
        _png(d / "cells" / "images" / f"c{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        _png(d / "cells" / "masks" / f"c{i:03d}.png", (r.integers(0, 2, size=(64, 64)) * 255).astype("uint8"))


def named_by_class(d: Path):
    """Files named <class id>_<n>.png in one folder."""
    r = _rng(12)
    for i in range(24):
        _png(d / "defects" / f"{i % 3}_{i:04d}.png", r.integers(0, 255, size=(40, 40, 3), dtype="uint8"))


def lfs_npy(d: Path):
    import hashlib
    folder = d / "dataset"
    folder.mkdir(parents=True)
    for name, size in [("x_train.npy", 37748864), ("y_train.npy", 8128)]:
        oid = hashlib.sha256(name.encode()).hexdigest()
        (folder / name).write_text(f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n")


def kaggle_ids(d: Path):
    import hashlib
    r = _rng(13)
    rows = ["id,has_cactus"]
    for i in range(24):
        ident = hashlib.md5(str(i).encode()).hexdigest()
        _png(d / "cactus" / "train" / f"{ident}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
        rows.append(f"{ident},{int(r.integers(0, 2))}")
    (d / "cactus" / "train.csv").write_text("\n".join(rows) + "\n")


def lesions_meta(d: Path):
    """Dermoscopy crops with metadata; the validation split has a body site the training split lacks."""
    r = _rng(14)
    train_sites = ["back", "face", "lower extremity", "trunk", "upper extremity"]
    for split, n in [("train", 24), ("val", 12)]:
        rows = ["image_id,age,sex,localization,dx"]
        for i in range(n):
            iid = f"ISIC_{split}_{i:05d}"
            _png(d / "ham" / "images" / f"{iid}.png", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
            site = train_sites[i % 5] if not (split == "val" and i == 3) else "scalp"
            rows.append(f"{iid},{int(r.integers(20, 80))},{'male' if i % 2 else 'female'},{site},"
                        f"{['nv', 'mel', 'bkl'][i % 3]}")
        (d / "ham" / f"{split}_metadata.csv").write_text("\n".join(rows) + "\n")


def faces_5pt(d: Path):
    r = _rng(15)
    rows = ["file," + ",".join(f"{a}{k}" for k in range(5) for a in ("x", "y"))]
    for i in range(24):
        _png(d / "faces" / f"face_{i:04d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"face_{i:04d}.png," + ",".join(str(int(v)) for v in r.integers(10, 54, 10)))
    (d / "faces" / "landmarks.csv").write_text("\n".join(rows) + "\n")


def colour_photos(d: Path):
    r = _rng(16)
    for i in range(16):
        _png(d / "old_photos" / f"p{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def xray_gray_weights(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=6, size=(64, 64), fmt="png")
    _prep("k3", """
        import keras
        from keras import layers

        def build(channels):
            return keras.Sequential([
                keras.Input((64, 64, channels)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(2, activation="softmax"),
            ])

        build(1).save_weights("xray_cnn_v1.weights.h5")     # last month's run read the scans in grey
        """, d)


def mobilenet_notop_file(d: Path):
    make_images(d / "birds", ["crow", "finch", "gull", "owl"], per_class=4, size=(96, 96), fmt="jpeg")
    _prep("tf215", """
        import tensorflow as tf
        m = tf.keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights=None)
        m.save_weights("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5")
        """, d)


def flat_with_csv(d: Path):
    r = _rng(17)
    rows = ["file,label"]
    for i in range(20):
        _png(d / "screws" / "images" / f"s_{i:04d}.png", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"s_{i:04d}.png,{i % 2}")
    (d / "screws" / "labels.csv").write_text("\n".join(rows) + "\n")


def kaggle_capitalised(d: Path):
    make_images(d / "PetImages", ["Cat", "Dog"], per_class=6, size=(48, 48), fmt="jpeg")


def ages_csv(d: Path):
    r = _rng(18)
    rows = ["file,age"]
    for i in range(48):
        _png(d / "utk" / f"{i:05d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
        rows.append(f"{i:05d}.png,{int(r.integers(1, 90))}")
    (d / "utk" / "ages.csv").write_text("\n".join(rows) + "\n")


def big_photo_list(d: Path):
    """The list of full-size survey photos (the photos themselves sit on the NAS)."""
    rows = ["path,label"] + [f"/mnt/nas/survey/IMG_{i:05d}.JPG,{i % 4}" for i in range(2400)]
    (d / "survey_index.csv").write_text("\n".join(rows) + "\n")


def anime_faces(d: Path):
    r = _rng(19)
    for i in range(32):
        _png(d / "faces" / f"{i:05d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more29-nb-tta-rot90-views-landscape-photo-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        expect="Shapes of all inputs must match",
        **notebook([
            """
            import glob
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 64), batch_size=4)
            class_names = train_ds.class_names
            model = keras.Sequential([
                keras.Input((None, None, 3)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            """,
            """
            # test-time augmentation: average the predictions over flipped and rotated views
            def predict_tta(path):
                img = tf.cast(tf.io.decode_jpeg(tf.io.read_file(path), channels=3), tf.float32)
                views = [img,
                         tf.image.flip_left_right(img),
                         tf.image.rot90(img, k=1),
                         tf.image.rot90(img, k=3)]
                batch = tf.stack(views)
                return model.predict(batch, verbose=0).mean(axis=0)

            for path in sorted(glob.glob("{DATA}/pets/*/*.jpg"))[:4]:
                probs = predict_tta(path)
                print(path.split("/")[-1], class_names[int(np.argmax(probs))], probs.max())
            """,
        ], data=landscape_pets),
    ),
    Case(
        name="keras-more29-pydataset-random-resized-crop-never-resized-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=flowers,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        IMG = 48


        class FlowerData(keras.utils.PyDataset):
            \"\"\"Random-resized-crop augmentation, done by hand.\"\"\"

            def __init__(self, files, batch_size=8, **kw):
                super().__init__(**kw)
                self.files, self.batch_size = files, batch_size
                self.rng = np.random.default_rng(0)

            def __len__(self):
                return math.ceil(len(self.files) / self.batch_size)

            def random_resized_crop(self, img):
                scale = self.rng.uniform(0.6, 1.0)
                side = int(IMG * scale)
                x0 = int(self.rng.integers(0, IMG - side + 1))
                y0 = int(self.rng.integers(0, IMG - side + 1))
                return img.crop((x0, y0, x0 + side, y0 + side))

            def __getitem__(self, idx):
                batch = self.files[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(self.random_resized_crop(Image.open(f).convert("RGB")), np.float32) / 255.0
                              for f in batch])
                y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in batch])
                return x, y


        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        np.random.default_rng(1).shuffle(files)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(FlowerData(files), epochs=3)
        """,
    ),
    Case(
        name="keras-more29-sequence-video-clips-two-cameras-tf215",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tf215",
        setup=clips_two_cameras,
        expect="all input arrays must have the same shape",
        code="""
        import glob
        import math
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        ROOT = "{DATA}/clips"
        CLASSES = sorted(os.listdir(ROOT))
        FRAMES = 4
        clips = sorted(glob.glob(f"{ROOT}/*/*"))           # one folder of frames per clip
        labels = [CLASSES.index(os.path.basename(os.path.dirname(c))) for c in clips]


        class ClipSequence(tf.keras.utils.Sequence):
            def __init__(self, clips, labels, batch_size=2):
                self.clips, self.labels, self.batch_size = clips, np.array(labels), batch_size

            def __len__(self):
                return math.ceil(len(self.clips) / self.batch_size)

            def load_clip(self, folder):
                frames = sorted(glob.glob(os.path.join(folder, "*.png")))[:FRAMES]
                return np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in frames])

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([self.load_clip(c) for c in self.clips[sl]])
                return x, self.labels[sl]


        model = tf.keras.Sequential([
            layers.TimeDistributed(layers.Conv2D(16, 3, activation="relu"), input_shape=(FRAMES, 64, 64, 3)),
            layers.TimeDistributed(layers.GlobalAveragePooling2D()),
            layers.LSTM(16),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ClipSequence(clips, labels, batch_size=4), epochs=2)
        """,
    ),
    Case(
        name="keras-more29-fixmatch-unlabelled-folder-default-image-size-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=semi_supervised,
        expect="ConcatOp",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        IMG = 32
        labelled = keras.utils.image_dataset_from_directory("{DATA}/leaves/labelled", image_size=(IMG, IMG),
                                                            batch_size=4, seed=0)
        unlabelled = keras.utils.image_dataset_from_directory("{DATA}/leaves/unlabelled", labels=None,
                                                              batch_size=8, seed=0)

        weak = keras.Sequential([layers.RandomFlip("horizontal")])
        strong = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.2),
                                   layers.RandomContrast(0.4)])

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2),
        ])
        opt = keras.optimizers.Adam(1e-3)
        ce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        for step, ((x_l, y_l), x_u) in enumerate(zip(labelled.repeat(), unlabelled)):
            with tf.GradientTape() as tape:
                # one forward pass over labelled + weak + strong views, as in the FixMatch paper
                x_all = tf.concat([x_l, weak(x_u), strong(x_u)], axis=0)
                logits = model(x_all, training=True)
                n = tf.shape(x_l)[0]
                logits_l = logits[:n]
                logits_w, logits_s = tf.split(logits[n:], 2)
                pseudo = tf.argmax(tf.stop_gradient(logits_w), axis=-1)
                mask = tf.cast(tf.reduce_max(tf.nn.softmax(logits_w), -1) > 0.95, tf.float32)
                loss = ce(y_l, logits_l) + tf.reduce_mean(mask * keras.losses.sparse_categorical_crossentropy(
                    pseudo, logits_s, from_logits=True))
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"step {step} loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more29-mnist-np-repeat-last-axis-then-resize-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=digits_npz,
        expect="incompatible shape",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        data = np.load("{DATA}/mnist_local.npz")
        x_train = data["x_train"].astype("float32") / 255.0        # (N, 28, 28) grey digits
        y_train = data["y_train"]

        # MobileNetV2 wants 3 channels and at least 32x32
        x_train = np.repeat(x_train, 3, axis=-1)
        x_train = tf.image.resize(x_train, (32, 32)).numpy()
        print("x_train", x_train.shape)

        base = keras.applications.MobileNetV2(input_shape=(32, 32, 3), include_top=False, weights=None)
        model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=32, epochs=2, validation_split=0.1)
        """,
    ),
    Case(
        name="keras-more29-val-map-copied-without-rgb-to-grayscale-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=xray_split,
        expect="is incompatible with the layer",
        code="""
        import glob
        import os

        import tensorflow as tf
        from tensorflow.keras import layers

        CLASSES = ["normal", "pneumonia"]


        def file_list(split):
            files = sorted(glob.glob(f"{DATA}/xray/{split}/*/*.png"))
            labels = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files]
            return files, labels


        def load_train(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.image.rgb_to_grayscale(img)             # the scans are grey; train on one channel
            img = tf.image.resize(img, (64, 64)) / 255.0
            img = tf.image.random_flip_left_right(img)
            return img, label


        def load_val(path, label):                           # copied from predict.py
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (64, 64)) / 255.0
            return img, label


        train_ds = tf.data.Dataset.from_tensor_slices(file_list("train")).shuffle(16).map(load_train).batch(4)
        val_ds = tf.data.Dataset.from_tensor_slices(file_list("val")).map(load_val).batch(4)

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(64, 64, 1)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more29-voc-xml-crops-xmin-xmax-swapped-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=voc_swapped,
        expect="Coordinate 'right' is less than 'left'",
        code="""
        # second stage of a two-stage pipeline: classify the fruit crops cut out of the annotated photos
        import glob
        import xml.etree.ElementTree as ET

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/fruit"
        CLASSES = ["apple", "banana", "orange"]
        crops, labels = [], []
        for xml_file in sorted(glob.glob(f"{ROOT}/Annotations/*.xml")):
            tree = ET.parse(xml_file).getroot()
            img = Image.open(f"{ROOT}/JPEGImages/" + tree.find("filename").text).convert("RGB")
            for obj in tree.iter("object"):
                bb = obj.find("bndbox")
                box = tuple(int(float(bb.find(k).text)) for k in ("xmin", "ymin", "xmax", "ymax"))
                crop = img.crop(box).resize((48, 48))
                crops.append(np.asarray(crop, np.float32) / 255.0)
                labels.append(CLASSES.index(obj.find("name").text))

        x, y = np.stack(crops), np.array(labels)
        print("crops:", x.shape)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3, batch_size=4)
        """,
    ),
    Case(
        name="keras-more29-objectness-mask-target-box-bottom-to-top-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=boxes_bottom_up,
        expect="negative dimensions are not allowed",
        code="""
        # box-supervised car segmentation: the target is a soft mask that is 1 inside the box, with a
        # linear fall-off towards its border
        import csv
        import math

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/cars"
        rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))


        def box_mask(x1, y1, x2, y2, size=64):
            h, w = y2 - y1, x2 - x1
            patch = np.zeros((h, w), np.float32)
            yy, xx = np.mgrid[0:h, 0:w]
            patch[:] = np.minimum(np.minimum(yy + 1, h - yy), np.minimum(xx + 1, w - xx))
            patch /= patch.max()
            mask = np.zeros((size, size), np.float32)
            mask[y1:y2, x1:x2] = patch
            return mask


        class CarMasks(keras.utils.PyDataset):
            def __init__(self, rows, batch_size=4, **kw):
                super().__init__(**kw)
                self.rows, self.batch_size = rows, batch_size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) / 255.0 for r in batch])
                y = np.stack([box_mask(*(int(r[k]) for k in ("x1", "y1", "x2", "y2"))) for r in batch])
                return x, y[..., None]


        inputs = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = keras.Model(inputs, outputs)
        model.compile("adam", "binary_crossentropy")
        model.fit(CarMasks(rows), epochs=3)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more29-nb-sign-language-mnist-24-classes-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        expect="Received a label value of 24",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            raw = np.loadtxt("{DATA}/sign_mnist_train.csv", delimiter=",", skiprows=1)
            y_train = raw[:, 0].astype("int64")
            x_train = raw[:, 1:].reshape(-1, 28, 28, 1).astype("float32") / 255.0
            print(x_train.shape, y_train.shape)
            """,
            """
            NUM_CLASSES = 24     # 26 letters minus J and Z, which need motion
            model = keras.Sequential([
                keras.Input((28, 28, 1)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dropout(0.3),
                layers.Dense(NUM_CLASSES, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x_train, y_train, batch_size=32, epochs=3, validation_split=0.1)
            """,
        ], data=sign_mnist),
    ),
    Case(
        name="keras-more29-inaturalist-species-ids-as-class-index-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=inat_species,
        expect="which is outside the valid range",
        code="""
        import csv

        import tensorflow as tf
        from tensorflow.keras import layers

        ROOT = "{DATA}/birds"
        rows = list(csv.DictReader(open(f"{ROOT}/train.csv")))
        paths = [f"{ROOT}/" + r["file"] for r in rows]
        labels = [int(r["species_id"]) for r in rows]
        num_classes = len(set(labels))
        print("species:", num_classes)


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (48, 48)) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(32).map(load).batch(8)
        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more29-svhn-mat-label-10-to-categorical-tf212",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="tf212",
        setup=svhn_mat,
        expect="index 10 is out of bounds",
        code="""
        import numpy as np
        import scipy.io
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.utils import to_categorical

        mat = scipy.io.loadmat("{DATA}/train_32x32.mat")
        x_train = np.transpose(mat["X"], (3, 0, 1, 2)).astype("float32") / 255.0
        y_train = mat["y"].flatten()
        print("x", x_train.shape, "labels", np.unique(y_train))
        y_train = to_categorical(y_train, num_classes=10)

        model = tf.keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=32, epochs=3)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more29-one-hot-of-label-column-vector-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=images_with_csv,
        expect="must have the same rank",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/parts"
        NUM_CLASSES = 5
        table = np.array(list(csv.reader(open(f"{ROOT}/labels.csv")))[1:])
        files = table[:, 0]
        labels = table[:, 1:].astype("int64")                 # the label column
        x = np.stack([np.asarray(Image.open(f"{ROOT}/images/{f}"), np.float32) / 255.0 for f in files])
        y = tf.one_hot(labels, NUM_CLASSES)
        print("x", x.shape, "y", y.shape)

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more29-mixup-generator-soft-labels-sparse-loss-tf212",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tf212",
        setup=flowers,
        expect="logits and labels must have the same first dimension",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.utils import to_categorical
        from PIL import Image

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])


        def mixup_generator(x, y, batch_size=8, alpha=0.2):
            y_onehot = to_categorical(y, len(CLASSES))
            while True:
                idx = np.random.permutation(len(x))
                for s in range(0, len(x) - batch_size + 1, batch_size):
                    a = idx[s:s + batch_size]
                    b = np.random.permutation(a)
                    lam = np.random.beta(alpha, alpha, size=(batch_size, 1))
                    xm = lam[..., None, None] * x[a] + (1 - lam[..., None, None]) * x[b]
                    ym = lam * y_onehot[a] + (1 - lam) * y_onehot[b]
                    yield xm.astype("float32"), ym.astype("float32")


        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(mixup_generator(x, y), steps_per_epoch=len(x) // 8, epochs=3)
        """,
    ),
    Case(
        name="keras-more29-custom-loop-categorical-loss-on-int-dir-labels-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=four_classes,
        expect="are incompatible",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/weather", image_size=(40, 40), batch_size=8)
        num_classes = len(train_ds.class_names)

        model = keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(40, 40, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(num_classes, activation="softmax"),
        ])
        loss_fn = keras.losses.CategoricalCrossentropy()
        optimizer = keras.optimizers.Adam(1e-3)
        train_acc = keras.metrics.CategoricalAccuracy()

        for epoch in range(3):
            for x, y in train_ds:
                with tf.GradientTape() as tape:
                    probs = model(x, training=True)
                    loss = loss_fn(y, probs)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                train_acc.update_state(y, probs)
            print(f"epoch {epoch + 1}: loss {float(loss):.4f} acc {float(train_acc.result()):.3f}")
            train_acc.reset_states()
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more29-custom-loop-boolean-masks-dice-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=seg_binary,
        expect="of bool is not in the list of allowed values",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        images = sorted(tf.io.gfile.glob("{DATA}/cells/images/*.png"))
        masks = sorted(tf.io.gfile.glob("{DATA}/cells/masks/*.png"))


        def load(img_path, mask_path):
            img = tf.cast(tf.io.decode_png(tf.io.read_file(img_path), channels=3), tf.float32) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1) > 127     # foreground
            return img, mask


        ds = tf.data.Dataset.from_tensor_slices((images, masks)).map(load).shuffle(12).batch(4)


        def dice_loss(y_true, y_pred, eps=1.0):
            inter = tf.reduce_sum(y_true * y_pred, axis=(1, 2, 3))
            union = tf.reduce_sum(y_true, axis=(1, 2, 3)) + tf.reduce_sum(y_pred, axis=(1, 2, 3))
            return 1.0 - tf.reduce_mean((2.0 * inter + eps) / (union + eps))


        inputs = keras.Input((64, 64, 3))
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(16, 3, padding="same", activation="relu")(h)
        outputs = layers.Conv2D(1, 1, activation="sigmoid")(h)
        model = keras.Model(inputs, outputs)
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(3):
            for x, m in ds:
                with tf.GradientTape() as tape:
                    loss = dice_loss(m, model(x, training=True))
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: dice loss {float(loss):.4f}")
        """,
    ),
    Case(
        name="keras-more29-class-weight-gather-float-labels-from-names-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=named_by_class,
        expect="Tindices",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        CLASS_WEIGHTS = tf.constant([1.0, 3.5, 6.0])     # scratch, dent, crack: the rare ones count more


        def load(path):
            name = tf.strings.split(path, "/")[-1]
            label = tf.strings.to_number(tf.strings.split(name, "_")[0])
            img = tf.cast(tf.io.decode_png(tf.io.read_file(path), channels=3), tf.float32) / 255.0
            return img, label


        ds = tf.data.Dataset.list_files("{DATA}/defects/*.png", shuffle=True, seed=0).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        opt = keras.optimizers.Adam(1e-3)

        for epoch in range(2):
            for x, y in ds:
                with tf.GradientTape() as tape:
                    logits = model(x, training=True)
                    per_sample = keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)
                    weights = tf.gather(CLASS_WEIGHTS, y)
                    loss = tf.reduce_sum(per_sample * weights) / tf.reduce_sum(weights)
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: weighted loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more29-git-lfs-pointer-npy-arrays-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=lfs_npy,
        expect="pickled",
        code="""
        # the preprocessed arrays come with the repository (git clone of the course materials)
        import numpy as np
        import keras
        from keras import layers

        x_train = np.load("{DATA}/dataset/x_train.npy")
        y_train = np.load("{DATA}/dataset/y_train.npy")
        print(x_train.shape, y_train.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, epochs=5, batch_size=32)
        """,
    ),
    Case(
        name="keras-more29-kaggle-csv-ids-without-extension-tf215",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        env="tf215",
        setup=kaggle_ids,
        expect="No such file or directory",
        code="""
        import csv

        import tensorflow as tf
        from tensorflow.keras import layers

        ROOT = "{DATA}/cactus"
        rows = list(csv.DictReader(open(f"{ROOT}/train.csv")))
        paths = [f"{ROOT}/train/" + r["id"] for r in rows]
        labels = [float(r["has_cactus"]) for r in rows]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=3)
            return tf.cast(img, tf.float32) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8).prefetch(2)
        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more29-metadata-branch-one-hot-built-per-split-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=lesions_meta,
        expect="expected axis -1 of input shape",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/ham"
        DX = ["nv", "mel", "bkl"]


        def load_split(split):
            rows = list(csv.DictReader(open(f"{ROOT}/{split}_metadata.csv")))
            images = np.stack([np.asarray(Image.open(f"{ROOT}/images/{r['image_id']}.png"), np.float32) / 255.0
                               for r in rows])
            sites = sorted({r["localization"] for r in rows})             # one-hot body site
            meta = np.array([[float(r["age"]) / 100.0, float(r["sex"] == "male")]
                             + [float(r["localization"] == s) for s in sites] for r in rows], np.float32)
            y = np.array([DX.index(r["dx"]) for r in rows])
            return images, meta, y


        x_img, x_meta, y = load_split("train")
        v_img, v_meta, v_y = load_split("val")

        class LesionNet(keras.Model):
            \"\"\"Image branch + metadata branch, fused before the classifier.\"\"\"

            def __init__(self, num_classes):
                super().__init__()
                self.conv = layers.Conv2D(16, 3, activation="relu")
                self.pool = layers.GlobalAveragePooling2D()
                self.meta_fc = layers.Dense(8, activation="relu")
                self.concat = layers.Concatenate()
                self.head = layers.Dense(num_classes, activation="softmax")

            def call(self, inputs):
                image, meta = inputs
                return self.head(self.concat([self.pool(self.conv(image)), self.meta_fc(meta)]))


        model = LesionNet(len(DX))
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit([x_img, x_meta], y, validation_data=([v_img, v_meta], v_y), batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more29-fit-python-list-of-image-arrays-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        setup=landscape_pets,
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import img_to_array, load_img

        CLASSES = ["cat", "dog"]
        x_train, y_train = [], []
        for f in sorted(glob.glob("{DATA}/pets/*/*.jpg")):
            x_train.append(img_to_array(load_img(f, target_size=(48, 64))) / 255.0)
            y_train.append(CLASSES.index(os.path.basename(os.path.dirname(f))))
        y_train = np.array(y_train)
        print(len(x_train), "images")

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=4, epochs=3)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more29-landmarks-68-point-head-5-point-labels-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=faces_5pt,
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/faces"
        rows = list(csv.DictReader(open(f"{ROOT}/landmarks.csv")))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) / 255.0 for r in rows])
        y = np.array([[float(v) / 64.0 for k, v in r.items() if k != "file"] for r in rows], np.float32)
        print("x", x.shape, "y", y.shape)

        NUM_POINTS = 68        # as in the dlib predictor
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(128, activation="relu"),
            layers.Dense(NUM_POINTS * 2, activation="sigmoid"),
        ])
        model.compile(keras.optimizers.Adam(1e-3), "mse", metrics=["mae"])
        model.fit(x, y, batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more29-colorisation-ab-head-rgb-targets-tf215",
        cause="model.output_mismatch",
        exception="ValueError",
        env="tf215",
        setup=colour_photos,
        expect="Dimensions must be equal",
        code="""
        # colourise old photos: grey in, colour out (architecture from a Lab-colourisation tutorial)
        import glob

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        files = sorted(glob.glob("{DATA}/old_photos/*.png"))
        rgb = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        grey = np.stack([np.asarray(Image.open(f).convert("L"), np.float32)[..., None] / 255.0 for f in files])

        inputs = tf.keras.Input((64, 64, 1))
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(inputs)
        h = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(h)
        h = layers.Conv2D(64, 3, padding="same", activation="relu")(h)
        h = layers.UpSampling2D()(h)
        h = layers.Conv2D(32, 3, padding="same", activation="relu")(h)
        outputs = layers.Conv2D(2, 3, padding="same", activation="tanh")(h)       # a and b channels
        model = tf.keras.Model(inputs, outputs)
        model.compile("adam", "mse")
        model.fit(grey, rgb, batch_size=4, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more29-grayscale-run-weights-into-rgb-model-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=xray_gray_weights,
        expect="could not be loaded",
        code="""
        import keras
        from keras import layers

        # this month the scans are read as RGB (the new scanner exports colour PNGs)
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/xray", image_size=(64, 64), batch_size=4)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.load_weights("{DATA}/xray_cnn_v1.weights.h5")          # continue from last month's model
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2)
        """,
    ),
    Case(
        name="keras-more29-mobilenet-no-top-weights-file-full-model-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=mobilenet_notop_file,
        code="""
        # the lab machine has no internet: the weights file was copied over by hand
        import keras
        from keras import layers

        WEIGHTS = "{DATA}/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5"
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/birds", image_size=(96, 96), batch_size=4)

        base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=WEIGHTS)
        features = base.get_layer("global_average_pooling2d").output
        outputs = layers.Dense(len(train_ds.class_names), activation="softmax")(features)
        model = keras.Model(base.input, outputs)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds.map(lambda x, y: (keras.applications.mobilenet_v2.preprocess_input(x), y)), epochs=2)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more29-nb-array-to-img-on-augmented-batch-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="Expected image array to have rank 3",
        **notebook([
            """
            import os
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
            augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.15),
                                        layers.RandomZoom(0.2)])
            """,
            """
            # look at a few augmented images before training
            os.makedirs("previews", exist_ok=True)
            images, labels = next(iter(train_ds))
            for i in range(4):
                aug = augment(images[i:i + 1], training=True)
                keras.utils.array_to_img(aug).save(f"previews/aug_{i}.png")
            print(sorted(os.listdir("previews")))
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more29-nb-lambda-preprocessing-layer-reload-k3",
        cause="model.api_misuse",
        exception="ValueError",
        expect="safe_mode",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            """,
            """
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Lambda(lambda x: x / 127.5 - 1.0),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            model.save("flowers_v1.keras")
            """,
            """
            # next day: reload the model for the demo
            model = keras.models.load_model("flowers_v1.keras")
            img = keras.utils.load_img("{DATA}/flowers/roses/roses_000.jpg", target_size=(48, 48))
            print(model.predict(np.asarray(img, np.float32)[None]))
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more29-fit-unlabelled-dir-dataset-plus-label-array-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=flat_with_csv,
        expect="`y` should not be passed",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        ROOT = "{DATA}/screws"
        rows = sorted(csv.DictReader(open(f"{ROOT}/labels.csv")), key=lambda r: r["file"])
        y_train = np.array([int(r["label"]) for r in rows])

        # images in one folder, labels in the CSV: read the images in file order
        x_ds = keras.utils.image_dataset_from_directory(f"{ROOT}/images", labels=None, shuffle=False,
                                                        image_size=(48, 48), batch_size=4)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x_ds, y_train, epochs=3)
        """,
    ),
    Case(
        name="keras-more29-dir-class-names-lowercase-vs-folders-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=kaggle_capitalised,
        expect="class_names",
        code="""
        import keras
        from keras import layers

        CLASS_NAMES = ["cat", "dog"]       # fixed order, so that 0 = cat in the app
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/PetImages", class_names=CLASS_NAMES,
                                                            image_size=(48, 48), batch_size=4)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more29-predict-generator-test-folder-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="predict_generator",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            validation_split=0.25, subset="training", seed=3)
        test_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                           validation_split=0.25, subset="validation", seed=3,
                                                           shuffle=False)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=2, verbose=2)

        probs = model.predict_generator(test_ds, steps=len(test_ds), verbose=1)
        y_true = np.concatenate([y for _, y in test_ds])
        print("test accuracy", float(np.mean(probs.argmax(1) == y_true)))
        """,
    ),
    Case(
        name="keras-more29-randaugment-layer-on-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        setup=flowers,
        expect="RandAugment",
        code="""
        # augmentation block from the current keras.io tutorial, run on the workstation's TF 2.15
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        augment = keras.Sequential([
            layers.RandomFlip("horizontal"),
            layers.RandAugment(value_range=(0, 255), num_ops=2, factor=0.5),
        ])
        train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y))

        model = keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more29-np-int-alias-in-label-parsing-tf215",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tf215",
        setup=images_with_csv,
        expect="has no attribute 'int'",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        ROOT = "{DATA}/parts"
        rows = list(csv.DictReader(open(f"{ROOT}/labels.csv")))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/images/" + r["filename"]), np.float32) / 255.0 for r in rows])
        y = np.array([r["label"] for r in rows]).astype(np.int)

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(40, 40, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=3)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more29-age-groups-resampled-by-val-mae-nan-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=ages_csv,
        expect="Total of weights must be finite",
        code="""
        # age regression; the age groups the model gets wrong are drawn more often: after each epoch
        # the training faces are resampled in proportion to their group's validation MAE
        import csv
        import random

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/utk"
        rows = list(csv.DictReader(open(f"{ROOT}/ages.csv")))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) for r in rows])     # 0..255
        y = np.array([float(r["age"]) for r in rows], np.float32)                                       # years
        group = np.minimum(y // 20, 4).astype(int)
        val = np.arange(len(y)) % 4 == 0
        x_tr, y_tr, g_tr = x[~val], y[~val], group[~val]
        x_val, y_val, g_val = x[val], y[val], group[val]

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), "mse", metrics=["mae"])

        group_mae = {g: 1.0 for g in range(5)}
        random.seed(0)
        for epoch in range(5):
            idx = random.choices(range(len(y_tr)), weights=[group_mae[g] for g in g_tr], k=len(y_tr))
            model.fit(x_tr[idx], y_tr[idx], batch_size=4, epochs=1, verbose=2)
            err = np.abs(model.predict(x_val, verbose=0)[:, 0] - y_val)
            group_mae = {g: float(err[g_val == g].mean()) if np.any(g_val == g) else 1.0 for g in range(5)}
            print(f"epoch {epoch + 1}: val MAE per age group", {g: round(v, 1) for g, v in group_mae.items()})
        """,
    ),
    Case(
        name="keras-more29-keypoint-loop-raw-pixels-check-numerics-tfk2",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=faces_5pt,
        expect="Tensor had",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        ROOT = "{DATA}/faces"
        rows = list(csv.DictReader(open(f"{ROOT}/landmarks.csv")))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) for r in rows])      # 0..255
        y = np.array([[float(v) for k, v in r.items() if k != "file"] for r in rows], np.float32)       # pixels
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(24, seed=0).batch(4)

        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(10),
        ])
        optimizer = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)

        for epoch in range(5):
            for step, (xb, yb) in enumerate(ds):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(tf.square(model(xb, training=True) - yb))
                tf.debugging.check_numerics(loss, "keypoint loss")
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.2f}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more29-dcgan-generator-step-stop-gradient-fakes-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=anime_faces,
        expect="No gradients provided",
        code="""
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        files = sorted(glob.glob("{DATA}/faces/*.png"))
        real = np.stack([np.asarray(Image.open(f), np.float32) / 127.5 - 1.0 for f in files])
        ds = tf.data.Dataset.from_tensor_slices(real).shuffle(32).batch(8)
        LATENT = 32

        generator = keras.Sequential([
            keras.Input((LATENT,)),
            layers.Dense(8 * 8 * 32), layers.Reshape((8, 8, 32)),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh"),
        ])
        discriminator = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Flatten(), layers.Dense(1),
        ])
        bce = keras.losses.BinaryCrossentropy(from_logits=True)
        g_opt, d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)

        for epoch in range(2):
            for real_batch in ds:
                noise = tf.random.normal((tf.shape(real_batch)[0], LATENT))
                # discriminator step
                with tf.GradientTape() as d_tape:
                    fake = generator(noise, training=True)
                    real_logits = discriminator(real_batch, training=True)
                    fake_logits = discriminator(tf.stop_gradient(fake), training=True)
                    d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
                d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
                d_opt.apply_gradients(zip(d_grads, discriminator.trainable_variables))
                # generator step
                with tf.GradientTape() as g_tape:
                    fake = generator(noise, training=True)
                    fake_logits = discriminator(tf.stop_gradient(fake), training=True)
                    g_loss = bce(tf.ones_like(fake_logits), fake_logits)
                g_grads = g_tape.gradient(g_loss, generator.trainable_variables)
                g_opt.apply_gradients(zip(g_grads, generator.trainable_variables))
            print(f"epoch {epoch + 1}: d {float(d_loss):.3f} g {float(g_loss):.3f}")
        """,
    ),
    Case(
        name="keras-more29-loss-made-python-float-inside-tape-k3",
        cause="optim.autograd_graph",
        exception="TypeError",
        setup=flowers,
        expect="Cannot convert the argument",
        code="""
        import tensorflow as tf
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3),
        ])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.Adam(1e-3)
        history = []

        for epoch in range(3):
            for step, (x, y) in enumerate(train_ds):
                with tf.GradientTape() as tape:
                    logits = model(x, training=True)
                    loss = float(loss_fn(y, logits))          # plain number for the progress log
                history.append(loss)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                print(f"epoch {epoch + 1} step {step}: loss {loss:.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more29-preallocate-float64-full-size-survey-photos-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=big_photo_list,
        as_limit=16 * 1024**3,
        expect="Unable to allocate",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        rows = list(csv.DictReader(open("{DATA}/survey_index.csv")))
        H, W = 1536, 2048          # keep full resolution: the cracks are thin
        print(f"{len(rows)} photos")

        x = np.zeros((len(rows), H, W, 3))
        y = np.zeros(len(rows), dtype=int)
        for i, r in enumerate(rows):
            x[i] = np.asarray(Image.open(r["path"]).convert("RGB").resize((W, H))) / 255.0
            y[i] = int(r["label"])

        model = keras.Sequential([
            keras.Input((H, W, 3)),
            layers.Conv2D(16, 7, strides=4, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=2, epochs=10)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more29-callback-log-line-str-plus-int-tfk2",
        cause="other",
        exception="TypeError",
        env="tfk2",
        setup=flowers,
        expect="can only concatenate str",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            validation_split=0.25, subset="training", seed=1)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                          validation_split=0.25, subset="validation", seed=1)


        class TelegramLog(keras.callbacks.Callback):
            \"\"\"Send one line per epoch to the phone (printed here).\"\"\"

            def on_epoch_end(self, epoch, logs=None):
                msg = "Epoch " + (epoch + 1) + ": val_accuracy=" + str(round(logs["val_accuracy"], 3))
                print(msg)


        model = keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3, callbacks=[TelegramLog()])
        """,
    ),
    Case(
        name="keras-more29-class-indices-keys-indexed-tf212",
        cause="other",
        exception="TypeError",
        env="tf212",
        setup=flowers,
        expect="'dict_keys' object is not subscriptable",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from tensorflow.keras.preprocessing.image import ImageDataGenerator

        datagen = ImageDataGenerator(rescale=1 / 255)
        train_gen = datagen.flow_from_directory("{DATA}/flowers", target_size=(48, 48), batch_size=8,
                                                class_mode="sparse")
        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(train_gen.num_classes, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_gen, epochs=2)

        class_names = train_gen.class_indices.keys()
        img = tf.keras.utils.load_img("{DATA}/flowers/tulips/tulips_000.jpg", target_size=(48, 48))
        probs = model.predict(np.asarray(img, np.float32)[None] / 255.0)[0]
        print("prediction:", class_names[int(np.argmax(probs))], f"{probs.max():.2f}")
        """,
    ),
    Case(
        name="keras-more29-nb-train-on-batch-result-formatted-k3",
        cause="other",
        exception="TypeError",
        expect="unsupported format string passed to list.__format__",
        **notebook([
            """
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
            """,
            """
            model = keras.Sequential([
                keras.Input((48, 48, 3)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            """,
            """
            # manual loop so that I can watch every batch
            for epoch in range(2):
                for i, (x, y) in enumerate(train_ds):
                    loss = model.train_on_batch(x, y)
                    print(f"epoch {epoch} batch {i}: loss {loss:.4f}")
            """,
        ], data=flowers),
    ),
    Case(
        name="keras-more29-train-val-split-random-shuffle-zip-k3",
        cause="other",
        exception="TypeError",
        setup=flowers,
        expect="has no len()",
        code="""
        import glob
        import os
        import random

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files]

        random.seed(42)
        pairs = zip(files, labels)
        random.shuffle(pairs)
        n_val = len(files) // 5
        val_pairs, train_pairs = pairs[:n_val], pairs[n_val:]


        def load(pairs):
            x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f, _ in pairs])
            return x, np.array([l for _, l in pairs])


        x_train, y_train = load(train_pairs)
        x_val, y_val = load(val_pairs)
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
