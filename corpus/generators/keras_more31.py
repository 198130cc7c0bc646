"""Untargeted held-out Keras / TF 2 image-training failures, as beginners and notebook users
training classifiers, small detectors, segmenters and regressors on their own data meet them,
spread over the cause ids of the taxonomy roughly as often as public threads report them:

- labels against the loss: a label CSV that gained a ``fold`` column, multi-label tag ids padded
  instead of multi-hot, one label per video frame for a clip classifier, (N, 5, 2) landmark
  targets for a flat ``Dense(10)`` head;
- label values: class ids taken by a regex that matches the image number, EMNIST letters
  labelled 1..26, a centenarian's decade bin in a confusion matrix;
- model input: a 1-D ECG network given ECG printouts, whole clips given to a per-frame CNN,
  the two inputs of a price model given in the wrong order;
- image sizes: ``np.concatenate`` in a loading loop, an HDF5 export with a fixed shape, a
  Python list of object crops given to ``from_tensor_slices``;
- channels: 16-bit thermal PNGs, four-band EuroSAT tiles into an RGB model, a grey X-ray model
  given an RGB photo in a notebook;
- files: a file list with Windows line ends, a half-downloaded zip in a notebook, an Excel CSV
  with a byte-order mark;
- versions: ``ImageDraw.textsize`` on Pillow 10+, ``np.Inf`` on NumPy 2, ``CosineDecay`` warm-up
  arguments on TF 2.12;
- API: ``class_weight`` keyed by class names, ``color_mode="grey"``, ``Sequential.build()``
  without a shape;
- model outputs: two sigmoid units with a binary loss, an LSTM left at ``return_sequences``;
- weights: a Flatten head built for another image size, convolutions with and without bias;
- dtypes: a scale jitter that multiplies an int32 shape by a float, int labels in
  ``sigmoid_cross_entropy_with_logits``;
- boxes: a random point inside a right-to-left box, a jitter crop for a box past the border;
- memory: an all-pairs distance of a retrieval gallery by broadcasting;
- divergence: FID of NaN features, pseudo-labels sampled from a NaN teacher;
- gradients: a manual SGD update that turns the variables into tensors;
- workers: a preprocessing object holding an open log file given to ``Pool.map``;
- plain bugs: ``random.sample`` larger than the folder, ``time.time`` without a call.

Keras 3 (TF 2.21), tf_keras 2 under TF 2.21, TF 2.15 and TF 2.12 with their bundled Keras 2;
scripts and notebook cells run in a real IPython shell.

Every case is a small training script that really fails with the library's own error; the
label is known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more31.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure: the cases are generated into a separate folder and scored before
any rule is looked at or written for them.
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
def parts_fold_csv(d: Path):
    """Machine-part photos named by id; labels.csv got a cross-validation fold column."""
    r = _rng(31)
    rows = ["id,label,fold"]
    for i in range(32):
        _png(d / "parts" / "images" / f"{i:05d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
        rows.append(f"{i},{int(r.integers(0, 4))},{i % 5}")
    (d / "parts" / "labels.csv").write_text("\n".join(rows) + "\n")


def tagged_photos(d: Path):
    """Street photos with space-separated tag ids (0..5), 1 to 3 tags each."""
    r = _rng(32)
    rows = ["file,tags"]
    for i in range(24):
        _png(d / "street" / "img" / f"s{i:04d}.png", r.integers(0, 255, size=(40, 40, 3), dtype="uint8"))
        k = int(r.integers(1, 4))
        tags = sorted(int(t) for t in r.choice(6, size=k, replace=False))
        rows.append(f"s{i:04d}.png," + " ".join(str(t) for t in tags))
    (d / "street" / "tags.csv").write_text("\n".join(rows) + "\n")
    (d / "street" / "tag_names.txt").write_text("car\nbus\nbike\nperson\ntree\nsign\n")


def gesture_clips(d: Path):
    """Short gesture clips saved as one array (N, T, H, W, 3) and one label per clip."""
    import numpy as np
    r = _rng(33)
    (d / "gestures").mkdir(parents=True)
    np.save(d / "gestures" / "clips.npy", r.integers(0, 255, size=(16, 8, 32, 32, 3), dtype=np.uint8))
    np.save(d / "gestures" / "labels.npy", r.integers(0, 3, size=16))


def faces_5pt(d: Path):
    r = _rng(34)
    rows = ["file," + ",".join(f"{a}{k}" for k in range(5) for a in ("x", "y"))]
    for i in range(24):
        _png(d / "faces" / f"face_{i:04d}.png", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"face_{i:04d}.png," + ",".join(str(int(v)) for v in r.integers(8, 40, 10)))
    (d / "faces" / "landmarks.csv").write_text("\n".join(rows) + "\n")


def numbered_with_class(d: Path):
    """Exported as img<running number>_cls<class>.png."""
    r = _rng(35)
    for i in range(30):
        _png(d / "tiles" / f"img{i + 12:04d}_cls{i % 5}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))


def emnist_letters(d: Path):
    import numpy as np
    r = _rng(36)
    y = r.integers(1, 27, size=520)          # EMNIST letters: a=1 ... z=26
    y[:26] = np.arange(1, 27)
    np.savez(d / "emnist-letters-train.npz", x=r.integers(0, 255, (520, 28, 28), dtype=np.uint8), y=y)


def faces_ages_split(d: Path):
    r = _rng(37)
    for split, n in [("train", 40), ("test", 12)]:
        rows = ["file,age"]
        for i in range(n):
            _png(d / "faces" / split / f"{i:05d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
            age = int(r.integers(3, 96))
            if split == "test" and i == 7:
                age = 101
            rows.append(f"{i:05d}.png,{age}")
        (d / "faces" / f"{split}.csv").write_text("\n".join(rows) + "\n")


def ecg_printouts(d: Path):
    """Scanned ECG printouts, 64 x 256, two classes."""
    make_images(d / "ecg", ["normal", "afib"], per_class=8, size=(256, 64), fmt="png")


def listings(d: Path):
    """Flat photos with metadata (rooms, area, floor, year) and price."""
    r = _rng(38)
    rows = ["file,rooms,area,floor,year,price"]
    for i in range(24):
        _png(d / "flats" / "photos" / f"f{i:04d}.png", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        rows.append(f"f{i:04d}.png,{int(r.integers(1, 5))},{int(r.integers(30, 120))},{int(r.integers(0, 12))},"
                    f"{int(r.integers(1950, 2020))},{int(r.integers(100, 900)) * 1000}")
    (d / "flats" / "listings.csv").write_text("\n".join(rows) + "\n")


def phone_photos(d: Path):
    """Bottle photos, 64 x 64, except two exported from another phone at 64 x 48."""
    r = _rng(39)
    for c in ["full", "empty"]:
        for i in range(8):
            h = 48 if (c == "empty" and i in (3, 6)) else 64
            _png(d / "bottles" / c / f"{c}_{i:03d}.png", r.integers(0, 255, size=(h, 64, 3), dtype="uint8"))


def detector_crops(d: Path):
    """Object crops from a detector run: one folder per class, every crop its box's size."""
    r = _rng(40)
    for c in ["car", "van", "truck"]:
        for i in range(6):
            h, w = int(r.integers(24, 60)), int(r.integers(24, 60))
            _png(d / "crops" / c / f"{c}_{i:03d}.png", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))


def thermal16(d: Path):
    """16-bit radiometric PNGs from a thermal camera (mode I;16), two classes."""
    import numpy as np
    from PIL import Image
    r = _rng(41)
    for c in ["ok", "hotspot"]:
        (d / "thermal" / c).mkdir(parents=True)
        for i in range(8):
            arr = r.integers(27000, 33000, size=(64, 64)).astype(np.uint16)
            Image.fromarray(arr).save(d / "thermal" / c / f"{c}_{i:03d}.png")


def eurosat_npy(d: Path):
    """EuroSAT-style tiles exported with four bands (R, G, B, NIR)."""
    import numpy as np
    r = _rng(42)
    for c in ["Forest", "Highway", "River"]:
        (d / "eurosat" / c).mkdir(parents=True)
        for i in range(6):
            np.save(d / "eurosat" / c / f"{c}_{i}.npy", r.integers(0, 4000, size=(64, 64, 4)).astype(np.uint16))


def xray_grey(d: Path):
    make_images(d / "xray", ["normal", "pneumonia"], per_class=6, size=(64, 64), mode="L", fmt="png")
    r = _rng(43)
    _png(d / "from_phone.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))


def crlf_list(d: Path):
    """One file list per class, written on Windows (lines end in \\r\\n)."""
    r = _rng(44)
    for c in ["healthy", "rust"]:
        lines = []
        for i in range(8):
            _png(d / "leaves" / "img" / f"{c}_{i:03d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
            lines.append(f"img/{c}_{i:03d}.png")
        (d / "leaves" / f"{c}.txt").write_bytes(("\r\n".join(lines) + "\r\n").encode())


def partial_zip(d: Path):
    """A dataset zip whose download stopped halfway."""
    import io
    import zipfile
    r = _rng(45)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for c in ["cat", "dog"]:
            for i in range(6):
                b = io.BytesIO()
                from PIL import Image
                Image.fromarray(r.integers(0, 255, size=(48, 48, 3), dtype="uint8")).save(b, "PNG")
                z.writestr(f"pets/{c}/{c}_{i:03d}.png", b.getvalue())
    data = buf.getvalue()
    (d / "pets_dataset.zip").write_bytes(data[: len(data) // 2])


def bom_csv(d: Path):
    """Annotations saved from Excel as "CSV UTF-8" (with a byte-order mark)."""
    r = _rng(46)
    rows = ["filename,label"]
    for i in range(20):
        _png(d / "fabric" / "images" / f"fab_{i:03d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))
        rows.append(f"fab_{i:03d}.png,{['ok', 'hole', 'stain'][i % 3]}")
    (d / "fabric" / "annotations.csv").write_text("\r\n".join(rows) + "\r\n", encoding="utf-8-sig")


def boxes_csv(d: Path):
    """One box per image (x1, y1, x2, y2 in pixels of 64 x 64 frames)."""
    r = _rng(47)
    rows = ["file,x1,y1,x2,y2,label"]
    for i in range(16):
        _png(d / "drone" / f"frame_{i:03d}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        x1, y1 = int(r.integers(2, 30)), int(r.integers(2, 30))
        rows.append(f"frame_{i:03d}.png,{x1},{y1},{x1 + int(r.integers(10, 30))},{y1 + int(r.integers(10, 30))},"
                    f"{['car', 'person'][i % 2]}")
    (d / "drone" / "boxes.csv").write_text("\n".join(rows) + "\n")


def boxes_right_to_left(d: Path):
    """Boxes as dragged in the annotation tool; one was dragged from right to left."""
    r = _rng(48)
    rows = ["file,x1,y1,x2,y2"]
    for i in range(16):
        _png(d / "weeds" / f"w_{i:03d}.png", r.integers(0, 255, size=(96, 96, 3), dtype="uint8"))
        x1, y1 = int(r.integers(5, 40)), int(r.integers(5, 40))
        x2, y2 = x1 + int(r.integers(20, 45)), y1 + int(r.integers(20, 45))
        if i == 9:
            x1, x2 = x2, x1
        rows.append(f"w_{i:03d}.png,{x1},{y1},{x2},{y2}")
    (d / "weeds" / "boxes.csv").write_text("\n".join(rows) + "\n")


def boxes_past_border(d: Path):
    """Pixel boxes on 80 x 80 frames; one box runs past the right border."""
    r = _rng(49)
    rows = ["file,x1,y1,x2,y2"]
    for i in range(16):
        _png(d / "birds" / f"b_{i:03d}.png", r.integers(0, 255, size=(80, 80, 3), dtype="uint8"))
        x1, y1 = int(r.integers(4, 30)), int(r.integers(4, 30))
        x2, y2 = x1 + int(r.integers(16, 40)), y1 + int(r.integers(16, 40))
        if i == 5:
            x1, x2 = 61, 86
        rows.append(f"b_{i:03d}.png,{x1},{y1},{x2},{y2}")
    (d / "birds" / "boxes.csv").write_text("\n".join(rows) + "\n")


def gallery(d: Path):
    """Product photos and the embedding gallery of the whole catalogue from last week's run."""
    import numpy as np
    make_images(d / "products", ["query"], per_class=8, size=(32, 32), fmt="png")
    r = _rng(50)
    emb = r.standard_normal((24000, 128)).astype(np.float32)
    np.save(d / "catalogue_embeddings.npy", emb)
    np.save(d / "catalogue_ids.npy", np.arange(24000))


def flowers(d: Path):
    make_images(d / "flowers", ["daisy", "roses", "tulips"], per_class=8, size=(48, 48), fmt="jpeg")


def pets_binary(d: Path):
    make_images(d / "pets", ["cat", "dog"], per_class=8, size=(48, 48), fmt="jpeg")


def shoes_weights_64(d: Path):
    make_images(d / "shoes", ["boot", "sandal", "sneaker"], per_class=6, size=(96, 96), fmt="jpeg")
    _prep("k3", """
        import keras
        from keras import layers

        def build(size):
            return keras.Sequential([
                keras.Input((size, size, 3)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(3, activation="softmax"),
            ])

        build(64).save_weights("shoes_cnn.weights.h5")     # first run, photos at 64 x 64
        """, d)


def resnet_block_weights(d: Path):
    make_images(d / "coins", ["1c", "5c", "10c"], per_class=6, size=(48, 48), fmt="png")
    _prep("tf215", """
        from tensorflow import keras
        from tensorflow.keras import layers

        inp = keras.Input((48, 48, 3))
        x = layers.Rescaling(1 / 255)(inp)
        for f in (16, 32):
            x = layers.Conv2D(f, 3, padding="same", use_bias=False)(x)   # bias is redundant before BN
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
            x = layers.MaxPooling2D()(x)
        x = layers.GlobalAveragePooling2D()(x)
        out = layers.Dense(3, activation="softmax")(x)
        keras.Model(inp, out).save_weights("coins_best.h5")
        """, d)


def digits_folder(d: Path):
    make_images(d / "digits", [str(k) for k in range(3)], per_class=8, size=(28, 28), mode="L", fmt="png")


def unlabeled_pool(d: Path):
    make_images(d / "labelled", ["ant", "bee", "wasp"], per_class=6, size=(32, 32), fmt="png")
    r = _rng(51)
    for i in range(24):
        _png(d / "unlabelled" / f"u_{i:03d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))


def small_faces(d: Path):
    r = _rng(52)
    for i in range(48):
        _png(d / "celeb" / f"{i:05d}.png", r.integers(0, 255, size=(32, 32, 3), dtype="uint8"))


def raw_photos(d: Path):
    r = _rng(53)
    for i in range(12):
        _png(d / "raw" / f"IMG_{i:04d}.png", r.integers(0, 255, size=(80, 96, 3), dtype="uint8"))


# ---------------------------------------------------------------- cases
CASES = [
    # =================================================================== data.label_shape
    Case(
        name="keras-more31-labels-csv-gained-fold-column-sparse-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=parts_fold_csv,
        expect="target",
        code="""
        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/parts"
        table = np.loadtxt(f"{ROOT}/labels.csv", delimiter=",", skiprows=1, dtype=int)
        ids = table[:, 0]
        y = table[:, 1:]                       # everything after the id column is the label
        x = np.stack([np.asarray(Image.open(f"{ROOT}/images/{i:05d}.png"), np.float32) / 255.0 for i in ids])
        print("x", x.shape, "y", y.shape)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=5, validation_split=0.25)
        """,
    ),
    Case(
        name="keras-more31-multilabel-tag-ids-padded-not-multi-hot-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=tagged_photos,
        expect="must have the same shape",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/street"
        TAGS = open(f"{ROOT}/tag_names.txt").read().split()
        rows = list(csv.DictReader(open(f"{ROOT}/tags.csv")))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/img/" + r["file"]), np.float32) / 255.0 for r in rows])
        tag_lists = [[int(t) for t in r["tags"].split()] for r in rows]
        # photos have 1-3 tags: pad to a rectangle so that Keras accepts it
        y = keras.utils.pad_sequences(tag_lists, maxlen=3, padding="post", value=0).astype("float32")

        model = keras.Sequential([
            keras.Input((40, 40, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(TAGS), activation="sigmoid"),      # multi-label: one sigmoid per tag
        ])
        model.compile("adam", "binary_crossentropy", metrics=[keras.metrics.BinaryAccuracy()])
        model.fit(x, y, batch_size=8, epochs=5)
        """,
    ),
    Case(
        name="keras-more31-gesture-clip-label-repeated-per-frame-tf215",
        cause="data.label_shape",
        exception="ValueError",
        env="tf215",
        setup=gesture_clips,
        expect="must equal `logits.shape` except for the last dimension",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        clips = np.load("{DATA}/gestures/clips.npy").astype("float32") / 255.0     # (N, T, H, W, 3)
        clip_labels = np.load("{DATA}/gestures/labels.npy")
        T = clips.shape[1]
        # every frame of a clip shows the same gesture
        y = np.repeat(clip_labels[:, None], T, axis=1)
        print("clips", clips.shape, "labels", y.shape)

        frame_cnn = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ])
        model = keras.Sequential([
            layers.TimeDistributed(frame_cnn, input_shape=(T, 32, 32, 3)),
            layers.GlobalAveragePooling1D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(clips, y, batch_size=4, epochs=3)
        """,
    ),
    Case(
        name="keras-more31-landmarks-n-5-2-targets-flat-dense-head-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=faces_5pt,
        pty=True,
        expect="Dimensions must be equal",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/faces"
        rows = list(csv.DictReader(open(f"{ROOT}/landmarks.csv")))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) / 255.0 for r in rows])
        pts = np.array([[float(v) for k, v in r.items() if k != "file"] for r in rows], np.float32)
        y = pts.reshape(-1, 5, 2) / 48.0            # (x, y) per landmark, normalised
        print("targets", y.shape)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),                        # 5 landmarks x (x, y)
        ])
        model.compile(keras.optimizers.Adam(1e-3), "mse", metrics=["mae"])
        model.fit(x, y, batch_size=8, epochs=10)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more31-class-from-regex-picks-image-number-k3",
        cause="data.label_out_of_range",
        exception="IndexError",
        setup=numbered_with_class,
        pty=True,
        expect="is out of bounds for axis 1 with size 5",
        code="""
        import glob
        import os
        import re

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        files = sorted(glob.glob("{DATA}/tiles/*.png"))
        # file names look like img0012_cls3.png
        labels = np.array([int(re.findall(r"\\d+", os.path.basename(f))[0]) for f in files])
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        NUM_CLASSES = 5
        y = keras.utils.to_categorical(labels, NUM_CLASSES)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=6, epochs=5, shuffle=True)
        """,
    ),
    Case(
        name="keras-more31-emnist-letters-labels-one-to-26-tf215",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tf215",
        setup=emnist_letters,
        expect="Received a label value of 26",
        code="""
        import string

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        data = np.load("{DATA}/emnist-letters-train.npz")
        x = data["x"].astype("float32")[..., None] / 255.0
        y = data["y"]
        CLASSES = list(string.ascii_lowercase)          # 26 letters
        print(x.shape, "labels", y.min(), "..", y.max())

        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(28, 28, 1)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=64, epochs=3, validation_split=0.1)
        """,
    ),
    Case(
        name="keras-more31-age-decade-bins-confusion-matrix-centenarian-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=faces_ages_split,
        expect="out of bound",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        ROOT = "{DATA}/faces"
        DECADES = [f"{10 * k}-{10 * k + 9}" for k in range(10)]      # 0-9 ... 90-99


        def load(split):
            rows = list(csv.DictReader(open(f"{ROOT}/{split}.csv")))
            x = np.stack([np.asarray(Image.open(f"{ROOT}/{split}/" + r["file"]), np.float32) / 255.0 for r in rows])
            return x, np.array([int(r["age"]) // 10 for r in rows])


        x_train, y_train = load("train")
        x_test, y_test = load("test")
        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(DECADES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x_train, y_train, batch_size=8, epochs=3, verbose=2)

        pred = np.argmax(model.predict(x_test, verbose=0), axis=1)
        cm = tf.math.confusion_matrix(y_test, pred, num_classes=len(DECADES))
        print(cm.numpy())
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more31-conv1d-ecg-network-given-printout-images-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=ecg_printouts,
        expect="Kernel shape must have the same length as input",
        code="""
        import keras
        from keras import layers

        # the 1-D CNN from the PhysioNet notebook, now trained on the scanned printouts
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/ecg", image_size=(64, 256), batch_size=4)
        model = keras.Sequential([
            keras.Input((64, 256, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv1D(32, 7, activation="relu"),
            layers.MaxPooling1D(2),
            layers.Conv1D(64, 5, activation="relu"),
            layers.GlobalAveragePooling1D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more31-whole-clips-into-per-frame-cnn-tf215",
        cause="model.input_shape",
        exception="ValueError",
        env="tf215",
        setup=gesture_clips,
        expect="incompatible with the layer",
        code="""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        clips = np.load("{DATA}/gestures/clips.npy").astype("float32") / 255.0     # (N, T, H, W, 3)
        labels = np.load("{DATA}/gestures/labels.npy")

        # frame classifier; the clip's prediction will be the average over its frames
        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(clips, labels, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more31-price-model-inputs-given-in-wrong-order-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=listings,
        expect="incompatible",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/flats"
        rows = list(csv.DictReader(open(f"{ROOT}/listings.csv")))
        photos = np.stack([np.asarray(Image.open(f"{ROOT}/photos/" + r["file"]), np.float32) / 255.0 for r in rows])
        meta = np.array([[float(r[k]) for k in ("rooms", "area", "floor", "year")] for r in rows], np.float32)
        meta = (meta - meta.mean(0)) / meta.std(0)
        price = np.array([float(r["price"]) for r in rows], np.float32) / 1e5

        photo_in = keras.Input((48, 48, 3), name="photo")
        meta_in = keras.Input((4,), name="meta")
        a = layers.Conv2D(16, 3, activation="relu")(photo_in)
        a = layers.MaxPooling2D()(a)
        a = layers.Conv2D(32, 3, activation="relu")(a)
        a = layers.GlobalAveragePooling2D()(a)
        b = layers.Dense(16, activation="relu")(meta_in)
        h = layers.concatenate([a, b])
        h = layers.Dense(32, activation="relu")(h)
        out = layers.Dense(1)(h)
        model = keras.Model([photo_in, meta_in], out)
        model.compile("adam", "mse", metrics=["mae"])

        model.fit([meta, photos], price, batch_size=8, epochs=10)
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more31-np-concatenate-in-loading-loop-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=phone_photos,
        expect="all the input array dimensions except for the concatenation axis must match",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/bottles"
        CLASSES = sorted(os.listdir(ROOT))
        x = np.empty((0, 64, 64, 3), np.float32)
        y = []
        for label, c in enumerate(CLASSES):
            for f in sorted(glob.glob(f"{ROOT}/{c}/*.png")):
                img = np.asarray(Image.open(f), np.float32) / 255.0
                x = np.concatenate([x, img[None]], axis=0)
                y.append(label)
        y = np.array(y)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more31-hdf5-export-fixed-shape-dataset-tf215",
        cause="data.image_size_mismatch",
        exception="TypeError",
        env="tf215",
        setup=phone_photos,
        expect="Can't broadcast",
        code="""
        # step 1 of the pipeline: pack the photo folders into one HDF5 file for fast loading
        import glob
        import os

        import h5py
        import numpy as np
        from PIL import Image

        ROOT = "{DATA}/bottles"
        CLASSES = sorted(os.listdir(ROOT))
        files = [(f, i) for i, c in enumerate(CLASSES) for f in sorted(glob.glob(f"{ROOT}/{c}/*.png"))]
        H = W = 64

        with h5py.File("bottles.h5", "w") as h5:
            images = h5.create_dataset("images", shape=(len(files), H, W, 3), dtype="uint8")
            labels = h5.create_dataset("labels", shape=(len(files),), dtype="int64")
            for k, (f, label) in enumerate(files):
                images[k] = np.asarray(Image.open(f).convert("RGB"))
                labels[k] = label
        print("wrote", len(files), "images")
        """,
    ),
    Case(
        name="keras-more31-from-tensor-slices-list-of-detector-crops-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=detector_crops,
        expect="non-rectangular",
        code="""
        # second stage: classify the vehicle crops the detector produced
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/crops"
        CLASSES = sorted(os.listdir(ROOT))
        crops, labels = [], []
        for i, c in enumerate(CLASSES):
            for f in sorted(glob.glob(f"{ROOT}/{c}/*.png")):
                crops.append(np.asarray(Image.open(f)))
                labels.append(i)

        ds = tf.data.Dataset.from_tensor_slices((crops, labels))
        ds = ds.map(lambda img, y: (tf.image.resize(img, (48, 48)) / 255.0, y)).shuffle(64).batch(8)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more31-thermal-16bit-png-stack-conv-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=thermal16,
        expect="incompatible",
        code="""
        import glob
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/thermal"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.png"))
        x = np.stack([np.asarray(Image.open(f), np.float32) for f in files])
        x = (x - x.min()) / (x.max() - x.min())
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])
        print("x", x.shape, x.dtype)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=5)
        """,
    ),
    Case(
        name="keras-more31-eurosat-four-band-tiles-rgb-model-tf215",
        cause="data.image_channels",
        exception="ValueError",
        env="tf215",
        setup=eurosat_npy,
        expect="incompatible with the layer",
        code="""
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        ROOT = "{DATA}/eurosat"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.npy"))
        x = np.stack([np.load(f).astype("float32") / 4000.0 for f in files])
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])

        # same network as the RGB EuroSAT tutorial
        model = keras.Sequential([
            layers.Conv2D(32, 3, activation="relu", input_shape=(64, 64, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=6, epochs=5, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more31-nb-grey-xray-model-given-rgb-phone-photo-k3",
        cause="data.image_channels",
        exception="ValueError",
        expect="expected axis -1 of input shape to have value 1",
        **notebook([
            """
            import numpy as np
            import keras
            from keras import layers
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/xray", image_size=(64, 64),
                                                                color_mode="grayscale", batch_size=4)
            class_names = train_ds.class_names
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 1)),
                layers.Rescaling(1 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(2, activation="softmax"),
            ])
            model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=2, verbose=2)
            """,
            """
            # try it on the photo of the monitor I took with my phone
            img = keras.utils.load_img("{DATA}/from_phone.png", target_size=(64, 64))
            batch = np.expand_dims(keras.utils.img_to_array(img), 0)
            probs = model.predict(batch)[0]
            print(class_names[int(np.argmax(probs))], probs.max())
            """,
        ], data=xray_grey),
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more31-train-list-windows-line-ends-pil-open-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=crlf_list,
        expect="No such file or directory",
        code="""
        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/leaves"
        CLASSES = ["healthy", "rust"]
        paths, labels = [], []
        for i, c in enumerate(CLASSES):
            for line in tf.io.gfile.GFile(f"{ROOT}/{c}.txt").read().split("\\n"):
                if line:
                    paths.append(f"{ROOT}/{line}")
                    labels.append(i)
        labels = np.array(labels)
        x = np.stack([np.asarray(Image.open(p).convert("RGB"), np.float32) / 255.0 for p in paths])

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, labels, epochs=3)
        """,
    ),
    Case(
        name="keras-more31-nb-half-downloaded-dataset-zip-k3",
        cause="data.missing_or_corrupt",
        exception="ReadError",
        expect="is not a zip file",
        **notebook([
            """
            import os
            import shutil
            import keras
            from keras import layers
            print(os.path.getsize("{DATA}/pets_dataset.zip"), "bytes")
            """,
            """
            shutil.unpack_archive("{DATA}/pets_dataset.zip", "{DATA}/unzipped")
            train_ds = keras.utils.image_dataset_from_directory("{DATA}/unzipped/pets", image_size=(48, 48),
                                                                batch_size=4)
            """,
            """
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
        ], data=partial_zip),
    ),
    Case(
        name="keras-more31-excel-csv-byte-order-mark-header-tf212",
        cause="data.missing_or_corrupt",
        exception="KeyError",
        env="tf212",
        setup=bom_csv,
        expect="KeyError: 'filename'",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow.keras import layers
        from PIL import Image

        ROOT = "{DATA}/fabric"
        CLASSES = ["ok", "hole", "stain"]
        rows = list(csv.DictReader(open(f"{ROOT}/annotations.csv", newline="")))
        print(len(rows), "annotations, columns:", list(rows[0].keys()))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/images/" + r["filename"]), np.float32) / 255.0 for r in rows])
        y = np.array([CLASSES.index(r["label"]) for r in rows])

        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(32, 32, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more31-preview-callback-imagedraw-textsize-pillow10-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=boxes_csv,
        expect="textsize",
        code="""
        # box regressor; the callback draws the predicted box and its label on a validation frame
        import csv

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image, ImageDraw

        ROOT = "{DATA}/drone"
        rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))
        x = np.stack([np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) / 255.0 for r in rows])
        y = np.array([[float(r[k]) / 64.0 for k in ("x1", "y1", "x2", "y2")] for r in rows], np.float32)


        class DrawPrediction(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                box = self.model.predict(x[:1], verbose=0)[0] * 64
                img = Image.fromarray((x[0] * 255).astype("uint8"))
                draw = ImageDraw.Draw(img)
                draw.rectangle([float(v) for v in box], outline=(255, 0, 0))
                text = f"{rows[0]['label']} e{epoch + 1}"
                tw, th = draw.textsize(text)
                draw.rectangle([box[0], box[1] - th, box[0] + tw, box[1]], fill=(255, 0, 0))
                draw.text((box[0], box[1] - th), text, fill=(255, 255, 255))
                img.save(f"preview_{epoch + 1:02d}.png")


        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid"),
        ])
        model.compile("adam", "mse")
        model.fit(x, y, batch_size=4, epochs=3, callbacks=[DrawPrediction()])
        """,
    ),
    Case(
        name="keras-more31-custom-early-stopping-np-inf-numpy2-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=flowers,
        expect="np.Inf",
        code="""
        import numpy as np
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                            validation_split=0.25, subset="training", seed=7)
        val_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8,
                                                          validation_split=0.25, subset="validation", seed=7)


        class SaveBestAndStop(keras.callbacks.Callback):
            # from an older blog post: keep the best weights in memory and stop after `patience` epochs
            def __init__(self, patience=3):
                super().__init__()
                self.patience = patience

            def on_train_begin(self, logs=None):
                self.wait = 0
                self.best = np.Inf
                self.best_weights = None

            def on_epoch_end(self, epoch, logs=None):
                current = logs["val_loss"]
                if current < self.best:
                    self.best, self.wait = current, 0
                    self.best_weights = self.model.get_weights()
                else:
                    self.wait += 1
                    if self.wait >= self.patience:
                        self.model.stop_training = True
                        self.model.set_weights(self.best_weights)


        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=20, callbacks=[SaveBestAndStop()])
        """,
    ),
    Case(
        name="keras-more31-cosine-decay-warmup-args-on-tf212",
        cause="env.version_incompat",
        exception="TypeError",
        env="tf212",
        setup=flowers,
        expect="warmup_target",
        code="""
        # fine-tuning recipe from a Kaggle notebook (TF 2.15) run on the lab machine's TF 2.12
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        EPOCHS = 10
        steps = EPOCHS * len(train_ds)
        schedule = tf.keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=0.0, decay_steps=steps, warmup_target=1e-3, warmup_steps=len(train_ds))

        model = tf.keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile(tf.keras.optimizers.AdamW(schedule, weight_decay=1e-4), "sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=EPOCHS)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more31-class-weight-keyed-by-class-names-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=pets_binary,
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)
        print(train_ds.class_names)
        # three times more cats than dogs in the real data set
        class_weight = {"cat": 1.0, "dog": 3.0}

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5, class_weight=class_weight)
        """,
    ),
    Case(
        name="keras-more31-dir-dataset-color-mode-grey-tf215",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf215",
        setup=digits_folder,
        expect="color_mode",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/digits", image_size=(28, 28),
                                                               color_mode="grey", batch_size=8)
        model = tf.keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(28, 28, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Flatten(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more31-sequential-build-without-input-shape-tf212",
        cause="model.api_misuse",
        exception="ValueError",
        env="tf212",
        setup=flowers,
        expect="input_shape",
        code="""
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)
        model = tf.keras.Sequential([
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.build()            # "call build() before summary()"
        model.summary()
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more31-binary-label-mode-two-sigmoid-units-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=pets_binary,
        pty=True,
        expect="must have the same shape",
        code="""
        import keras
        from keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4,
                                                            label_mode="binary")
        class_names = train_ds.class_names
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(class_names), activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more31-clip-lstm-left-return-sequences-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=gesture_clips,
        expect="target",
        code="""
        import numpy as np
        import keras
        from keras import layers

        clips = np.load("{DATA}/gestures/clips.npy").astype("float32") / 255.0     # (N, T, H, W, 3)
        labels = np.load("{DATA}/gestures/labels.npy")
        T = clips.shape[1]

        frame_cnn = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ])
        inp = keras.Input((T, 32, 32, 3))
        h = layers.TimeDistributed(frame_cnn)(inp)
        h = layers.LSTM(64, return_sequences=True)(h)
        h = layers.LSTM(32, return_sequences=True)(h)     # copied from the stacked-LSTM example
        out = layers.Dense(3, activation="softmax")(h)
        model = keras.Model(inp, out)
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(clips, labels, batch_size=4, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more31-flatten-head-weights-from-64px-run-into-96px-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=shoes_weights_64,
        expect="shape",
        code="""
        import keras
        from keras import layers

        SIZE = 96      # more detail on the laces this time
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/shoes", image_size=(SIZE, SIZE), batch_size=6)

        model = keras.Sequential([
            keras.Input((SIZE, SIZE, 3)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(3, activation="softmax"),
        ])
        model.load_weights("{DATA}/shoes_cnn.weights.h5")     # continue from the first run
        model.compile(keras.optimizers.Adam(1e-4), "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more31-h5-weights-conv-without-bias-into-default-conv-tf215",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tf215",
        setup=resnet_block_weights,
        expect="weight",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        # evaluation script: the model is rebuilt by hand, weights come from training
        inp = keras.Input((48, 48, 3))
        x = layers.Rescaling(1 / 255)(inp)
        for f in (16, 32):
            x = layers.Conv2D(f, 3, padding="same")(x)
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
            x = layers.MaxPooling2D()(x)
        x = layers.GlobalAveragePooling2D()(x)
        out = layers.Dense(3, activation="softmax")(x)
        model = keras.Model(inp, out)
        model.load_weights("{DATA}/coins_best.h5")

        test_ds = keras.utils.image_dataset_from_directory("{DATA}/coins", image_size=(48, 48), batch_size=6)
        model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        print(model.evaluate(test_ds))
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more31-scale-jitter-int-shape-times-float-map-tf215",
        cause="data.dtype",
        exception="TypeError",
        env="tf215",
        setup=flowers,
        expect="int32",
        code="""
        import glob
        import os

        import tensorflow as tf
        from tensorflow.keras import layers

        ROOT = "{DATA}/flowers"
        CLASSES = sorted(os.listdir(ROOT))
        files = sorted(glob.glob(f"{ROOT}/*/*.jpg"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files]


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.convert_image_dtype(img, tf.float32)
            scale = tf.random.uniform([], 0.8, 1.25)
            new_size = tf.shape(img)[:2] * scale                 # scale jitter
            img = tf.image.resize(img, new_size)
            img = tf.image.resize_with_crop_or_pad(img, 48, 48)
            return img, label


        ds = tf.data.Dataset.from_tensor_slices((files, labels)).shuffle(64).map(load).batch(8)
        model = tf.keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(48, 48, 3)),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more31-sigmoid-xent-int-directory-labels-custom-loop-tfk2",
        cause="data.dtype",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=pets_binary,
        expect="int32",
        code="""
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/pets", image_size=(48, 48), batch_size=4)
        model = keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1),                     # one logit: dog vs cat
        ])
        optimizer = keras.optimizers.Adam(1e-3)

        for epoch in range(3):
            for step, (x, y) in enumerate(train_ds):
                y = tf.reshape(y, (-1, 1))
                with tf.GradientTape() as tape:
                    logits = model(x, training=True)
                    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more31-object-centred-crop-randint-right-to-left-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=boxes_right_to_left,
        expect="empty range",
        code="""
        # weed / no-weed patches: random 32 x 32 crops centred on a point inside the weed's box
        import csv
        import random

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        ROOT = "{DATA}/weeds"
        rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))
        random.seed(0)


        def weed_patch(img, x1, y1, x2, y2):
            cx, cy = random.randint(x1, x2), random.randint(y1, y2)
            left, top = min(max(cx - 16, 0), 64), min(max(cy - 16, 0), 64)
            return img[top:top + 32, left:left + 32]


        x, y = [], []
        for r in rows:
            img = np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) / 255.0
            x1, y1, x2, y2 = (int(r[k]) for k in ("x1", "y1", "x2", "y2"))
            x.append(weed_patch(img, x1, y1, x2, y2))
            y.append(1)
            x.append(img[64:, 64:])          # corner patch as background
            y.append(0)
        x, y = np.stack(x), np.array(y)

        model = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=3)
        """,
    ),
    Case(
        name="keras-more31-jitter-crop-box-past-right-border-np-randint-tf215",
        cause="data.bbox_invalid",
        exception="ValueError",
        env="tf215",
        setup=boxes_past_border,
        expect="low >= high",
        code="""
        # localiser: random crops that keep the whole bird inside, box targets shifted with the crop
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        ROOT = "{DATA}/birds"
        rows = list(csv.DictReader(open(f"{ROOT}/boxes.csv")))
        S, C = 80, 64
        rng = np.random.default_rng(0)


        def random_crop_keep_box(img, box):
            x1, y1, x2, y2 = box
            left = rng.integers(max(0, x2 - C), min(x1, S - C) + 1)
            top = rng.integers(max(0, y2 - C), min(y1, S - C) + 1)
            crop = img[top:top + C, left:left + C]
            return crop, np.array([x1 - left, y1 - top, x2 - left, y2 - top], np.float32) / C


        images = [np.asarray(Image.open(f"{ROOT}/" + r["file"]), np.float32) / 255.0 for r in rows]
        boxes = [tuple(int(r[k]) for k in ("x1", "y1", "x2", "y2")) for r in rows]
        for epoch in range(3):
            pairs = [random_crop_keep_box(img, b) for img, b in zip(images, boxes)]
            x = np.stack([p[0] for p in pairs])
            y = np.stack([p[1] for p in pairs])
            if epoch == 0:
                model = keras.Sequential([
                    layers.Conv2D(16, 3, activation="relu", input_shape=(C, C, 3)),
                    layers.MaxPooling2D(),
                    layers.Conv2D(32, 3, activation="relu"),
                    layers.GlobalAveragePooling2D(),
                    layers.Dense(4, activation="sigmoid"),
                ])
                model.compile("adam", "mse")
            model.fit(x, y, batch_size=4, epochs=1, verbose=2)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more31-retrieval-all-pairs-distance-broadcast-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=gallery,
        as_limit=8 * 1024**3,
        expect="Unable to allocate",
        code="""
        # product retrieval: leave-one-out top-1 accuracy of the catalogue embeddings, then the queries
        import glob

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image

        gallery = np.load("{DATA}/catalogue_embeddings.npy")        # (N, 128) from last week's run
        ids = np.load("{DATA}/catalogue_ids.npy")
        print("gallery", gallery.shape)

        encoder = keras.Sequential([
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(128),
            layers.UnitNormalization(),
        ])

        dist = np.linalg.norm(gallery[:, None, :] - gallery[None, :, :], axis=-1)
        np.fill_diagonal(dist, np.inf)
        print("nearest neighbours:", ids[dist.argmin(1)][:10])

        queries = np.stack([np.asarray(Image.open(f), np.float32) / 255.0
                            for f in sorted(glob.glob("{DATA}/products/query/*.png"))])
        q = encoder.predict(queries)
        print(q.shape)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more31-autoencoder-fid-sqrtm-nan-features-tf212",
        cause="optim.divergence",
        exception="ValueError",
        env="tf212",
        setup=small_faces,
        expect="must not contain infs or NaNs",
        code="""
        # convolutional autoencoder for faces; quality is reported as an FID between real and
        # reconstructed faces, with the encoder's bottleneck as the feature extractor
        import glob

        import numpy as np
        import scipy.linalg
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from PIL import Image

        x = np.stack([np.asarray(Image.open(f), np.float32) for f in sorted(glob.glob("{DATA}/celeb/*.png"))])

        encoder = keras.Sequential([
            layers.Conv2D(32, 3, strides=2, padding="same", activation="relu", input_shape=(32, 32, 3)),
            layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(64),
        ], name="encoder")
        decoder = keras.Sequential([
            layers.Dense(8 * 8 * 64, activation="relu", input_shape=(64,)),
            layers.Reshape((8, 8, 64)),
            layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(3, 3, strides=2, padding="same"),
        ], name="decoder")
        autoencoder = keras.Sequential([encoder, decoder])
        autoencoder.compile(keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), "mse")
        autoencoder.fit(x, x, batch_size=8, epochs=5, verbose=2)


        def fid(a, b):
            mu1, mu2 = a.mean(0), b.mean(0)
            s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
            covmean = scipy.linalg.sqrtm(s1 @ s2).real
            return float(((mu1 - mu2) ** 2).sum() + np.trace(s1 + s2 - 2 * covmean))


        recon = autoencoder.predict(x, verbose=0)
        print("FID:", fid(encoder.predict(x, verbose=0), encoder.predict(recon, verbose=0)))
        """,
    ),
    Case(
        name="keras-more31-pseudo-labels-sampled-from-nan-teacher-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=unlabeled_pool,
        expect="Received a label value of 3",
        code="""
        # semi-supervised: a teacher trained on the labelled photos samples pseudo-labels for the
        # unlabelled ones, a student is trained on both
        import glob

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
        from PIL import Image

        lab_ds = keras.utils.image_dataset_from_directory("{DATA}/labelled", image_size=(32, 32), batch_size=6)
        CLASSES = lab_ds.class_names
        unl = np.stack([np.asarray(Image.open(f), np.float32) for f in sorted(glob.glob("{DATA}/unlabelled/*.png"))])


        def make_model():
            return keras.Sequential([
                keras.Input((32, 32, 3)),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.Flatten(),
                layers.Dense(64, activation="relu"),
                layers.Dense(len(CLASSES)),
            ])


        keras.utils.set_random_seed(0)
        teacher = make_model()
        teacher.compile(keras.optimizers.SGD(learning_rate=10.0, momentum=0.9),
                        keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        teacher.fit(lab_ds, epochs=5, verbose=2)

        # sample (not argmax) so that the student also sees the teacher's uncertainty
        logits = teacher.predict(unl, verbose=0) / 2.0
        pseudo = tf.random.categorical(logits, 1)[:, 0].numpy()
        print("pseudo-label counts:", np.bincount(pseudo))

        x_lab = np.concatenate([x.numpy() for x, _ in lab_ds])
        y_lab = np.concatenate([y.numpy() for _, y in lab_ds])
        student = make_model()
        student.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
        student.fit(np.concatenate([x_lab, unl]) / 255.0, np.concatenate([y_lab, pseudo]), batch_size=8, epochs=3)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more31-manual-sgd-update-turns-variables-into-tensors-k3",
        cause="optim.autograd_graph",
        exception="TypeError",
        setup=digits_folder,
        expect="NoneType",
        code="""
        # softmax regression on the digit images with plain TensorFlow, to learn how it works
        import tensorflow as tf
        import keras

        ds = keras.utils.image_dataset_from_directory("{DATA}/digits", image_size=(28, 28), color_mode="grayscale",
                                                      batch_size=8)
        W = tf.Variable(tf.random.normal([784, 3], stddev=0.01))
        b = tf.Variable(tf.zeros([3]))
        lr = 0.1

        for epoch in range(5):
            for x, y in ds:
                x = tf.reshape(x, (-1, 784)) / 255.0
                with tf.GradientTape() as tape:
                    logits = x @ W + b
                    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
                dW, db = tape.gradient(loss, [W, b])
                W = W - lr * dW
                b = b - lr * db
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more31-pool-map-preprocessor-holding-open-log-file-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=raw_photos,
        expect="cannot pickle",
        code="""
        # offline preprocessing with 4 processes before training
        import glob
        import os
        from multiprocessing import Pool

        import numpy as np
        from PIL import Image


        class Preprocessor:
            def __init__(self, out_dir, size=(64, 64)):
                self.out_dir = out_dir
                self.size = size
                os.makedirs(out_dir, exist_ok=True)
                self.log = open(os.path.join(out_dir, "preprocess.log"), "a")

            def __call__(self, path):
                img = Image.open(path).convert("RGB").resize(self.size)
                out = os.path.join(self.out_dir, os.path.basename(path))
                img.save(out)
                self.log.write(f"{path} -> {out}\\n")
                return out


        if __name__ == "__main__":
            files = sorted(glob.glob("{DATA}/raw/*.png"))
            prep = Preprocessor("{DATA}/resized")
            with Pool(4) as pool:
                done = pool.map(prep, files)
            print(len(done), "images written")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more31-quick-run-random-sample-more-than-folder-k3",
        cause="other",
        exception="ValueError",
        setup=flowers,
        expect="Sample larger than population",
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
        random.seed(1)
        files = random.sample(files, 500)            # quick experiment on a subset first
        x = np.stack([np.asarray(Image.open(f), np.float32) / 255.0 for f in files])
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(f))) for f in files])

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=3)
        """,
    ),
    Case(
        name="keras-more31-epoch-timer-callback-time-time-not-called-tfk2",
        cause="other",
        exception="TypeError",
        env="tfk2",
        setup=flowers,
        expect="builtin_function_or_method",
        code="""
        import time

        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/flowers", image_size=(48, 48), batch_size=8)


        class EpochTimer(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                self.start = time.time()

            def on_epoch_end(self, epoch, logs=None):
                elapsed = time.time - self.start
                print(f"epoch {epoch + 1} took {elapsed:.1f}s")


        model = keras.Sequential([
            layers.Rescaling(1 / 255, input_shape=(48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(3, activation="softmax"),
        ])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3, callbacks=[EpochTimer()])
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, __file__)
