"""Untargeted held-out Keras / TensorFlow failures (g174, scored 0.96 top-1 and 0.96 top-3 before any rule for it) of makers of gesture and sign-language
recognisers in Keras 3 / tf.keras: webcam frames saved as JPEG / PNG in one folder per letter (mirrored,
from webcams of different resolutions, some greyscale from an IR camera, some PNG screenshots with an
alpha channel), hand crops cut from a hand detector's boxes, 21-point hand landmarks saved as ``.npy``
arrays and CSV rows, short frame sequences for the dynamic signs (``J``, ``Z``, ``hello``, ``thanks``
...) classified with ``TimeDistributed`` CNNs, ``ConvLSTM2D`` and ``GRU`` over frames, class lists of the
26 letters plus ``space``, ``del`` and ``nothing``, models exported to TF Lite or TF.js for a browser
demo, and live prediction loops over the captured frames, spread over the cause ids of the taxonomy:

- files: a zero-byte ``.jpg`` left in a letter folder by a capture script killed mid-write, read with
  ``image_dataset_from_directory``; a landmark file written with ``np.savetxt`` under a ``.npy`` name and
  read back with ``np.load`` (notebook);
- image sizes: dynamic-sign clips recorded with two webcams (different resolutions) decoded without a
  resize and batched (tf_keras);
- channels: greyscale IR-camera PNGs among the RGB frames decoded with ``decode_png``'s default
  ``channels=0`` and batched; a screenshot PNG with an alpha channel given to ``predict`` in the live
  demo (notebook);
- boxes: detector boxes padded by 20 % so the whole hand fits, past the frame's right edge, cut with
  ``tf.image.crop_to_bounding_box``;
- labels: a landmark CSV whose labelling script wrote ``A`` = 1 .. ``Z`` = 26 for a 26-way head;
- label shapes: ``to_categorical`` letter labels under ``sparse_categorical_crossentropy`` (tf_keras);
- dtypes: the letter names themselves (``"A"``, ``"B"`` ...) given to ``fit`` as the targets;
  ``float64`` landmark arrays minus a ``float32`` wrist offset inside a ``tf.data`` map;
- model inputs: a live loop giving one hand's ``(21, 3)`` landmarks to the MLP trained on flattened
  63-value rows (notebook); a ``ConvLSTM2D`` live buffer of frames given to ``predict`` without a batch
  axis;
- model outputs: a ``Dense(26)`` head trained on the 29 folders (letters + ``space`` / ``del`` /
  ``nothing``); a ``GRU(return_sequences=True)`` left on the last recurrent layer of a landmark-sequence
  classifier (tf_keras);
- weights: the ``.weights.h5`` of the greyscale (1-channel) run loaded into the RGB letter CNN;
- API: ``TFLiteConverter.from_keras_model`` given the ``.keras`` path; ``model.export(...,
  format="tfjs")`` for the browser demo;
- divergence: raw pixel landmark coordinates under SGD + momentum in a custom loop, stopped by
  ``tf.debugging.check_numerics``;
- gradients: the forward pass of a custom training loop computed before the ``GradientTape`` opens;
- host memory: every dynamic-sign clip of the dataset preallocated as one float32 array at 720p;
- versions: ``model.predict_classes`` in the live demo under tf_keras 2.21 (notebook);
- GPU setup: ``tf.device("/GPU:0")`` with soft device placement switched off in a CPU session;
- workers: landmark extraction with ``multiprocessing.Pool.map`` over a function defined inside ``main``;
- plain bugs: a majority vote over the last predicted letters with ``np.bincount`` on the letter strings.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more75.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g174): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import os
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook, prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SRC = "corpus/generators/keras_more75.py"

LETTERS = [chr(ord("A") + i) for i in range(26)]
EXTRAS = ["space", "del", "nothing"]
CLASSES = LETTERS + EXTRAS
DYNAMIC = ["J", "Z", "hello", "thanks", "please", "yes"]


# ---------------------------------------------------------------- data helpers
def _frame(r, h, w, c=3, block=4):
    """A smooth-ish random webcam frame (uint8) of shape (h, w, c)."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), c), dtype=np.uint8)
    out = np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w]
    return out[..., 0] if c == 1 else out


def _save(path: Path, arr, fmt=None):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    img.save(path, format=fmt) if fmt else img.save(path)


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def letter_folders(d: Path, root="asl_frames", classes=CLASSES, per=3, size=(64, 64), seed=7501,
                   channels=lambda c, i: 3, ext=lambda c, i: "jpg"):
    """root/<letter>/<letter>_<i>.<ext>: webcam frames, one folder per class."""
    r = _rng(seed)
    for c in classes:
        for i in range(per):
            h, w = size
            _save(d / root / c / f"{c}_{i:04d}.{ext(c, i)}", _frame(r, h, w, channels(c, i)))


def zero_byte_capture(d: Path):
    letter_folders(d)
    # capture.py was stopped with Ctrl-C while it wrote this frame
    (d / "asl_frames" / "M" / "M_0003.jpg").write_bytes(b"")


def ir_frames(d: Path):
    # the second recording session used the laptop's IR camera: greyscale PNGs
    letter_folders(d, ext=lambda c, i: "png", channels=lambda c, i: 1 if (c in "FKQW" and i == 1) else 3)


def screenshot(d: Path):
    letter_folders(d, classes=LETTERS, per=2)
    import numpy as np
    arr = _frame(_rng(7502), 96, 128, 4)
    arr[..., 3] = 255
    arr[:8, :, 3] = 0          # the rounded window corners of the screenshot tool
    _save(d / "live_capture" / "Screenshot 2025-03-14 at 10.42.07.png", np.ascontiguousarray(arr))


def detector_boxes(d: Path, edge=True):
    """frames/<id>.jpg (480 x 640 webcam frames, scaled down to 120 x 160) and boxes.csv of the hand
    detector: frame, letter, x, y, w, h in pixels."""
    r = _rng(7503)
    rows = []
    for i in range(18):
        name = f"frame_{i:05d}.jpg"
        _save(d / "frames" / name, _frame(r, 120, 160))
        w, h = int(r.integers(34, 56)), int(r.integers(40, 64))
        x, y = int(r.integers(4, 160 - w - 4)), int(r.integers(4, 120 - h - 4))
        if edge and i == 11:           # the signer's hand at the right edge of the frame
            x = 160 - w - 2
        rows.append([name, LETTERS[i % 26], x, y, w, h])
    _csv(d / "boxes.csv", ["frame", "letter", "x", "y", "w", "h"], rows)


def landmark_rows(d: Path, n=87, seed=7504, one_based=False, pixels=False):
    """hand_landmarks.csv: label, then x0, y0, z0 .. x20, y20, z20 (MediaPipe order)."""
    r = _rng(seed)
    rows = []
    for i in range(n):
        pts = r.uniform(0.2, 0.8, size=(21, 3))
        pts[:, 2] = r.normal(0, 0.05, size=21)
        if pixels:
            pts[:, 0] *= 1280
            pts[:, 1] *= 720
        k = i % 26
        rows.append([k + 1 if one_based else LETTERS[k]] + [round(float(v), 5) for v in pts.ravel()])
    header = ["label"] + [f"{a}{j}" for j in range(21) for a in "xyz"]
    _csv(d / "hand_landmarks.csv", header, rows)


def landmark_npys(d: Path, savetxt_one=False):
    """landmarks/<letter>/<letter>_<i>.npy: (21, 3) float64 landmarks of one hand."""
    import numpy as np
    r = _rng(7505)
    for c in CLASSES:
        for i in range(3):
            p = d / "landmarks" / c / f"{c}_{i:04d}.npy"
            p.parent.mkdir(parents=True, exist_ok=True)
            pts = r.uniform(0.2, 0.8, size=(21, 3))
            if savetxt_one and c == "R" and i == 2:
                np.savetxt(p, pts, delimiter=",", fmt="%.6f")   # the laptop's export_landmarks.py
            else:
                np.save(p, pts)


def landmark_sequences(d: Path, n=48, frames=30):
    """sequences/<sign>/<i>.npy: (30, 63) landmark rows of a dynamic sign."""
    import numpy as np
    r = _rng(7506)
    for i in range(n):
        sign = DYNAMIC[i % len(DYNAMIC)]
        p = d / "sequences" / sign / f"{i:04d}.npy"
        p.parent.mkdir(parents=True, exist_ok=True)
        np.save(p, r.uniform(0, 1, size=(frames, 63)).astype("float32"))


def clips(d: Path, two_cams=False, n=12, frames=8):
    """clips/<sign>/<clip>/frame_000.jpg ...; clips.csv (clip, sign)."""
    r = _rng(7507)
    rows = []
    for i in range(n):
        sign = DYNAMIC[i % len(DYNAMIC)]
        clip = f"{sign}_{i:03d}"
        # the lab webcam (4:3) and the laptop's 720p camera (16:9), stored at a quarter size
        h, w = ((120, 160) if (not two_cams or i % 3) else (90, 160))
        for f in range(frames):
            _save(d / "clips" / sign / clip / f"frame_{f:03d}.jpg", _frame(r, h, w))
        rows.append([f"clips/{sign}/{clip}", sign])
    _csv(d / "clips.csv", ["clip", "sign"], rows)


def grey_weights(d: Path):
    letter_folders(d)
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(29, activation="softmax"),
        ], name="asl_cnn")
        model.save_weights("asl_cnn_grey.weights.h5")
    """, d)


def huge_clip_list(d: Path):
    clips(d, n=6)
    rows = [[f"clips/{DYNAMIC[i % 6]}/{DYNAMIC[i % 6]}_{i:03d}", DYNAMIC[i % 6]] for i in range(2400)]
    _csv(d / "clips.csv", ["clip", "sign"], rows)


def live_frames(d: Path):
    letter_folders(d)
    r = _rng(7508)
    for i in range(12):
        _save(d / "live_capture" / f"live_{i:04d}.jpg", _frame(r, 64, 64))


# ---------------------------------------------------------------- code snippets
IMPORTS = """
        import csv
        import glob
        import os

        import numpy as np
        import tensorflow as tf
        from PIL import Image
        import keras
        from keras import layers
"""

LISTS = """
LETTERS = [chr(ord("A") + i) for i in range(26)]
CLASSES = LETTERS + ["space", "del", "nothing"]
"""

CNN = """
def build_letter_cnn(num_classes=len(CLASSES), size=64, channels=3):
    return keras.Sequential([
        keras.Input((size, size, channels)),
        layers.Rescaling(1 / 255.0),
        layers.RandomFlip("horizontal"),        # left- and right-handed signers, mirrored webcams
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(num_classes, activation="softmax"),
    ], name="asl_cnn")
"""

MLP = """
def build_landmark_mlp(num_classes=len(CLASSES)):
    return keras.Sequential([
        keras.Input((63,)),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(64, activation="relu"),
        layers.Dense(num_classes, activation="softmax"),
    ], name="landmark_mlp")
"""

LM_CSV = """
with open("{DATA}/hand_landmarks.csv", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    table = list(reader)
x = np.array([[float(v) for v in r[1:]] for r in table], dtype="float32")
print(len(table), "landmark rows,", x.shape[1], "values each")
"""


def _ind(src, indent="        "):
    return "\n".join((indent + ln) if ln else ln for ln in src.strip("\n").splitlines()).lstrip()


SNIPS = {"LISTS": LISTS, "CNN": CNN, "MLP": MLP, "LM_CSV": LM_CSV}


def code(body):
    for k, v in SNIPS.items():
        body = body.replace(f"@@{k}@@", _ind(v))
    return body


def cell(body, imports=False):
    """A notebook cell: the body dedented, the snippets inserted at column 0."""
    b = textwrap.dedent(body)
    if imports:
        b = textwrap.dedent(IMPORTS).lstrip("\n") + b
    for k, v in SNIPS.items():
        b = b.replace(f"@@{k}@@", v.strip("\n"))
    return b


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


DS_FROM_DIR = """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/asl_frames", validation_split=0.2, subset="training", seed=123,
            image_size=(64, 64), batch_size=16)
        val_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/asl_frames", validation_split=0.2, subset="validation", seed=123,
            image_size=(64, 64), batch_size=16)
        print(train_ds.class_names)
"""

CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more75-zero-byte-capture-jpg-in-letter-folder-image-dataset-from-directory-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=zero_byte_capture,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@CNN@@

        """ + DS_FROM_DIR + """
        model = build_letter_cnn(len(train_ds.class_names))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=3)
        """),
    ),
    Case(
        name="keras-more75-nb-landmark-npy-written-with-savetxt-np-load-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@
            """),
            cell("""
            files = sorted(glob.glob("{DATA}/landmarks/*/*.npy"))
            len(files)
            """),
            cell("""
            X, y = [], []
            for p in files:
                pts = np.load(p)                        # (21, 3) from MediaPipe Hands
                X.append((pts - pts[0]).ravel())        # relative to the wrist
                y.append(CLASSES.index(os.path.basename(os.path.dirname(p))))
            X = np.array(X, dtype="float32")
            y = np.array(y)
            X.shape, y.shape
            """),
        ], data=lambda d: landmark_npys(d, savetxt_one=True)),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more75-dynamic-sign-clips-from-two-webcams-batched-without-resize-tfk2",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=lambda d: clips(d, two_cams=True),
        pty=True,
        code=tfk2(code(IMPORTS + """
        SIGNS = ["J", "Z", "hello", "thanks", "please", "yes"]
        FRAMES = 8

        with open("{DATA}/clips.csv", newline="") as f:
            rows = list(csv.DictReader(f))


        def clip_generator():
            for r in rows:
                frames = sorted(glob.glob(os.path.join("{DATA}", r["clip"], "*.jpg")))[:FRAMES]
                clip = np.stack([np.asarray(Image.open(p), dtype="float32") / 255.0 for p in frames])
                yield clip, SIGNS.index(r["sign"])


        ds = tf.data.Dataset.from_generator(
            clip_generator,
            output_signature=(tf.TensorSpec((FRAMES, None, None, 3), tf.float32),
                              tf.TensorSpec((), tf.int32)))
        ds = ds.shuffle(32, seed=0).batch(4).prefetch(tf.data.AUTOTUNE)

        frame_cnn = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
        ])
        model = keras.Sequential([
            keras.Input((FRAMES, None, None, 3)),
            layers.TimeDistributed(frame_cnn),
            layers.GRU(32),
            layers.Dense(len(SIGNS), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """)),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more75-greyscale-ir-camera-pngs-decode-png-default-channels-batched-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=ir_frames,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@CNN@@


        paths = sorted(glob.glob("{DATA}/asl_frames/*/*.png"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths]
        print(len(paths), "frames")


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.resize(img, (64, 64))
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=7)
              .map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(16)
              .prefetch(tf.data.AUTOTUNE))

        model = build_letter_cnn()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """),
    ),
    Case(
        name="keras-more75-nb-screenshot-png-with-alpha-given-to-predict-in-live-demo-k3",
        cause="data.image_channels",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@


            @@CNN@@
            """),
            cell("""
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/asl_frames", image_size=(64, 64), batch_size=16, seed=1)
            model = build_letter_cnn(len(train_ds.class_names))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=1, verbose=2)
            """),
            cell("""
            # try it on a screenshot of the video call
            img = Image.open("{DATA}/live_capture/Screenshot 2025-03-14 at 10.42.07.png").resize((64, 64))
            frame = np.asarray(img, dtype="float32")[None]
            probs = model.predict(frame)
            print("predicted letter:", train_ds.class_names[int(np.argmax(probs))])
            """),
        ], data=screenshot),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more75-detector-box-padded-20-percent-past-frame-edge-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=detector_boxes,
        code=code(IMPORTS + """
        @@LISTS@@

        PAD = 0.20          # grow every box by 20 % so the fingertips are never cut off
        CROP = 64

        with open("{DATA}/boxes.csv", newline="") as f:
            boxes = list(csv.DictReader(f))

        crops, labels = [], []
        for b in boxes:
            frame = tf.io.decode_jpeg(tf.io.read_file(os.path.join("{DATA}/frames", b["frame"])), channels=3)
            x, y, w, h = (int(b[k]) for k in ("x", "y", "w", "h"))
            px, py = int(w * PAD / 2), int(h * PAD / 2)
            x, y = max(x - px, 0), max(y - py, 0)
            hand = tf.image.crop_to_bounding_box(frame, y, x, h + 2 * py, w + 2 * px)
            crops.append(tf.image.resize(hand, (CROP, CROP)))
            labels.append(CLASSES.index(b["letter"]))
        print("cropped", len(crops), "hands")
        np.savez("{DATA}/hand_crops.npz", x=np.stack(crops), y=np.array(labels))
        """),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more75-landmark-csv-letters-numbered-from-1-for-26-way-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=lambda d: landmark_rows(d, one_based=True),
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@MLP@@


        @@LM_CSV@@
        y = np.array([int(r[0]) for r in table])        # label column of label_tool.py
        print("labels", y.min(), "..", y.max())

        model = build_landmark_mlp(num_classes=len(LETTERS))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=10, batch_size=16, validation_split=0.2)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more75-to-categorical-letters-with-sparse-categorical-crossentropy-tfk2",
        cause="data.label_shape",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=landmark_rows,
        pty=True,
        code=tfk2(code(IMPORTS + """
        @@LISTS@@


        @@MLP@@


        @@LM_CSV@@
        y = keras.utils.to_categorical([CLASSES.index(r[0]) for r in table], num_classes=len(CLASSES))

        model = build_landmark_mlp()
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=20, batch_size=16, validation_split=0.2)
        """)),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more75-letter-names-given-to-fit-as-targets-k3",
        cause="data.dtype",
        also=("data.label_shape",),
        exception="ValueError",
        setup=landmark_rows,
        code=code(IMPORTS + """
        @@LISTS@@


        @@MLP@@


        @@LM_CSV@@
        y = np.array([r[0] for r in table])             # "A", "B", ...

        model = build_landmark_mlp()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=20, batch_size=16, validation_split=0.2)
        model.save("landmark_mlp.keras")
        """),
    ),
    Case(
        name="keras-more75-float64-landmark-npys-minus-float32-wrist-offset-in-dataset-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=landmark_npys,
        code=code(IMPORTS + """
        @@LISTS@@


        @@MLP@@


        files = sorted(glob.glob("{DATA}/landmarks/*/*.npy"))
        X = np.stack([np.load(p) for p in files])                       # (N, 21, 3)
        y = np.array([CLASSES.index(os.path.basename(os.path.dirname(p))) for p in files])
        CENTER = tf.constant([0.5, 0.5, 0.0])                           # the middle of the frame


        def normalise(pts, label):
            pts = pts - pts[0:1] + CENTER        # move the wrist to the centre
            pts = pts / tf.reduce_max(tf.abs(pts))
            return tf.reshape(pts, [63]), label


        def mirror(pts, label):                  # left-handed signers
            return pts * tf.constant([-1.0, 1.0, 1.0] * 21), label


        ds = (tf.data.Dataset.from_tensor_slices((X, y))
              .shuffle(len(X), seed=3)
              .map(normalise)
              .concatenate(tf.data.Dataset.from_tensor_slices((X, y)).map(normalise).map(mirror))
              .batch(16))

        model = build_landmark_mlp()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=10)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more75-nb-live-loop-21x3-landmarks-to-mlp-trained-on-flat-63-rows-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            @@LISTS@@


            @@MLP@@
            """),
            cell("""
            @@LM_CSV@@
            y = np.array([CLASSES.index(r[0]) for r in table])
            model = build_landmark_mlp()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5, batch_size=16, verbose=0)
            model.evaluate(x, y, verbose=0)
            """),
            cell("""
            # live loop: the landmarks of each captured frame, as the hand tracker returns them
            for p in sorted(glob.glob("{DATA}/landmarks/*/*.npy"))[:10]:
                hand = np.load(p).astype("float32")          # (21, 3)
                probs = model.predict(hand[None], verbose=0)
                print(os.path.basename(p), "->", CLASSES[int(probs.argmax())], f"{probs.max():.2f}")
            """),
        ], data=lambda d: (landmark_rows(d), landmark_npys(d))),
    ),
    Case(
        name="keras-more75-convlstm-live-frame-buffer-predicted-without-batch-axis-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=clips,
        code=code(IMPORTS + """
        from collections import deque

        SIGNS = ["J", "Z", "hello", "thanks", "please", "yes"]
        FRAMES, SIZE = 8, 32


        def load_clip(folder):
            frames = sorted(glob.glob(os.path.join(folder, "*.jpg")))[:FRAMES]
            return np.stack([np.asarray(Image.open(p).convert("RGB").resize((SIZE, SIZE)), "float32") / 255.0
                             for p in frames])


        with open("{DATA}/clips.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([load_clip(os.path.join("{DATA}", r["clip"])) for r in rows])
        y = np.array([SIGNS.index(r["sign"]) for r in rows])

        model = keras.Sequential([
            keras.Input((FRAMES, SIZE, SIZE, 3)),
            layers.ConvLSTM2D(16, 3, padding="same", return_sequences=False),
            layers.BatchNormalization(),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(SIGNS), activation="softmax"),
        ], name="convlstm_signs")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=4, verbose=2)

        # ---- live demo: keep the last FRAMES webcam frames and classify the window
        buffer = deque(maxlen=FRAMES)
        for p in sorted(glob.glob(os.path.join("{DATA}", rows[0]["clip"], "*.jpg"))):
            frame = np.asarray(Image.open(p).convert("RGB").resize((SIZE, SIZE)), "float32") / 255.0
            buffer.append(frame[:, ::-1])          # mirror like the preview window
            if len(buffer) == FRAMES:
                probs = model.predict(np.array(buffer), verbose=0)
                print("sign:", SIGNS[int(np.argmax(probs))])
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more75-dense-26-head-trained-on-29-folders-with-space-del-nothing-k3",
        cause="model.output_mismatch",
        also=("data.label_out_of_range",),
        exception="InvalidArgumentError",
        setup=letter_folders,
        pty=True,
        code=code(IMPORTS + """
        import string

        NUM_CLASSES = len(string.ascii_uppercase)      # one output per letter of the alphabet

        """ + DS_FROM_DIR + """
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1 / 255.0),
            layers.RandomFlip("horizontal"),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ], name="asl_cnn")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """),
    ),
    Case(
        name="keras-more75-gru-return-sequences-left-on-last-layer-landmark-sequences-tfk2",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=landmark_sequences,
        pty=True,
        code=tfk2(code(IMPORTS + """
        SIGNS = ["J", "Z", "hello", "thanks", "please", "yes"]
        SEQ_LEN = 30

        files = sorted(glob.glob("{DATA}/sequences/*/*.npy"))
        x = np.stack([np.load(p) for p in files])                       # (N, 30, 63)
        y = np.array([SIGNS.index(os.path.basename(os.path.dirname(p))) for p in files])
        print("x", x.shape, "y", y.shape)

        model = keras.Sequential([
            keras.Input((SEQ_LEN, 63)),
            layers.GRU(64, return_sequences=True),
            layers.Dropout(0.2),
            layers.GRU(32, return_sequences=True),
            layers.Dense(32, activation="relu"),
            layers.Dense(len(SIGNS), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=30, batch_size=8, validation_split=0.2)
        """)),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more75-greyscale-run-weights-h5-loaded-into-rgb-letter-cnn-k3",
        cause="model.weights_mismatch",
        also=("data.image_channels",),
        exception="ValueError",
        setup=grey_weights,
        code=code(IMPORTS + """
        @@LISTS@@


        @@CNN@@

        """ + DS_FROM_DIR + """
        model = build_letter_cnn(len(train_ds.class_names))
        model.load_weights("{DATA}/asl_cnn_grey.weights.h5")      # warm start from last week's run
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more75-tflite-converter-from-keras-model-given-keras-path-k3",
        cause="model.api_misuse",
        exception="AttributeError",
        setup=landmark_rows,
        code=code(IMPORTS + """
        @@LISTS@@


        @@MLP@@


        @@LM_CSV@@
        y = np.array([CLASSES.index(r[0]) for r in table])
        model = build_landmark_mlp()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=16, verbose=2)
        model.save("landmark_mlp.keras")

        # ---- to_tflite.py for the Android app
        converter = tf.lite.TFLiteConverter.from_keras_model("landmark_mlp.keras")
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        with open("landmark_mlp.tflite", "wb") as f:
            f.write(converter.convert())
        """),
    ),
    Case(
        name="keras-more75-model-export-format-tfjs-for-browser-demo-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=letter_folders,
        pty=True,
        code=code(IMPORTS + """
        @@LISTS@@


        @@CNN@@

        """ + DS_FROM_DIR + """
        model = build_letter_cnn(len(train_ds.class_names))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, validation_data=val_ds, epochs=2)

        # the browser demo (demo/index.html) loads web_model/model.json with tf.loadLayersModel
        model.export("demo/web_model", format="tfjs")
        with open("demo/labels.txt", "w") as f:
            f.write("\\n".join(train_ds.class_names))
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more75-raw-pixel-landmarks-sgd-lr-custom-loop-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=lambda d: landmark_rows(d, pixels=True),
        code=code(IMPORTS + """
        @@LISTS@@


        @@LM_CSV@@
        # MediaPipe's coordinates times the 1280 x 720 frame: pixels
        y = np.array([CLASSES.index(r[0]) for r in table])

        model = keras.Sequential([
            keras.Input((63,)),
            layers.Dense(128, activation="leaky_relu"),
            layers.Dense(64, activation="leaky_relu"),
            layers.Dense(len(CLASSES)),
        ], name="landmark_mlp")
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        optimizer = keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256, seed=0).batch(16)

        for epoch in range(20):
            for step, (xb, yb) in enumerate(ds):
                with tf.GradientTape() as tape:
                    logits = model(xb, training=True)
                    loss = loss_fn(yb, logits)
                print(f"epoch {epoch} step {step}: loss {float(loss):.4g}")
                tf.debugging.check_numerics(loss, f"loss at epoch {epoch} step {step}")
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
        """),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more75-forward-pass-before-gradient-tape-opens-custom-loop-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=landmark_rows,
        code=code(IMPORTS + """
        @@LISTS@@


        @@MLP@@


        @@LM_CSV@@
        y = np.array([CLASSES.index(r[0]) for r in table])

        model = build_landmark_mlp()
        loss_fn = keras.losses.SparseCategoricalCrossentropy()
        optimizer = keras.optimizers.Adam(1e-3)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256, seed=0).batch(16)

        for epoch in range(10):
            for xb, yb in ds:
                probs = model(xb, training=True)
                with tf.GradientTape() as tape:
                    loss = loss_fn(yb, probs)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: loss {float(loss):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more75-all-dynamic-sign-clips-preallocated-float32-720p-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=huge_clip_list,
        as_limit=8 * 1024**3,
        code=code(IMPORTS + """
        SIGNS = ["J", "Z", "hello", "thanks", "please", "yes"]
        FRAMES, H, W = 30, 720, 1280      # full webcam resolution: the fingers are small

        with open("{DATA}/clips.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        print(len(rows), "clips")

        X = np.zeros((len(rows), FRAMES, H, W, 3), dtype=np.float32)
        y = np.zeros(len(rows), dtype=np.int64)
        for i, r in enumerate(rows):
            frames = sorted(glob.glob(os.path.join("{DATA}", r["clip"], "*.jpg")))[:FRAMES]
            for j, p in enumerate(frames):
                X[i, j] = np.asarray(Image.open(p).convert("RGB").resize((W, H)), np.float32) / 255.0
            y[i] = SIGNS.index(r["sign"])
        print("loaded", X.shape)
        """),
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more75-nb-live-demo-predict-classes-under-tf-keras-2-21-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        **notebook([
            tfk2(cell(imports=True, body="""
            @@LISTS@@


            @@CNN@@
            """)),
            cell("""
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/asl_frames", image_size=(64, 64), batch_size=16, seed=1)
            model = build_letter_cnn(len(train_ds.class_names))
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, epochs=1, verbose=2)
            """),
            cell("""
            # live predictions on the frames the webcam loop saved
            for p in sorted(glob.glob("{DATA}/live_capture/*.jpg")):
                frame = np.asarray(Image.open(p).convert("RGB").resize((64, 64)), "float32")
                frame = frame[:, ::-1]                       # un-mirror the selfie view
                letter = model.predict_classes(frame[None])[0]
                print(os.path.basename(p), CLASSES[letter])
            """),
        ], data=live_frames),
    ),
    # =================================================================== env.cuda_setup
    Case(
        name="keras-more75-tf-device-gpu0-with-soft-placement-off-cpu-session-k3",
        cause="env.cuda_setup",
        exception="InvalidArgumentError",
        setup=landmark_rows,
        code=code(IMPORTS + """
        @@LISTS@@


        @@MLP@@

        # fail loudly instead of silently training on the CPU
        tf.config.set_soft_device_placement(False)
        print("GPUs:", tf.config.list_physical_devices("GPU"))

        @@LM_CSV@@
        y = np.array([CLASSES.index(r[0]) for r in table])

        with tf.device("/GPU:0"):
            model = build_landmark_mlp()
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=10, batch_size=16)
        """),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more75-landmark-extraction-pool-map-over-function-defined-in-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=letter_folders,
        code=code(IMPORTS + """
        from multiprocessing import Pool

        @@LISTS@@


        def main():
            paths = sorted(glob.glob("{DATA}/asl_frames/*/*.jpg"))
            print(len(paths), "frames")

            def extract(path):
                # stand-in for the hand tracker: brightest pixels per 21 grid cells
                img = np.asarray(Image.open(path).convert("L").resize((84, 84)), "float32") / 255.0
                cells = img.reshape(7, 12, 3, 28).max(axis=(1, 3)).ravel()[:21]
                return np.stack([cells, cells[::-1], np.zeros(21)], axis=1)

            with Pool(processes=4) as pool:
                landmarks = pool.map(extract, paths)
            np.save("landmarks.npy", np.stack(landmarks))


        if __name__ == "__main__":
            main()
        """),
    ),
    # =================================================================== other
    Case(
        name="keras-more75-live-majority-vote-np-bincount-on-letter-strings-k3",
        cause="other",
        exception="ValueError",
        setup=live_frames,
        code=code(IMPORTS + """
        from collections import deque

        @@LISTS@@


        @@CNN@@


        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/asl_frames", image_size=(64, 64), batch_size=16, seed=1)
        names = train_ds.class_names
        model = build_letter_cnn(len(names))
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=1, verbose=2)

        # ---- live loop: smooth the flicker with a vote over the last 5 frames
        recent = deque(maxlen=5)
        text = ""
        for p in sorted(glob.glob("{DATA}/live_capture/*.jpg")):
            frame = np.asarray(Image.open(p).convert("RGB").resize((64, 64)), "float32")[None]
            recent.append(names[int(np.argmax(model.predict(frame, verbose=0)))])
            if len(recent) == recent.maxlen:
                letter = names[np.bincount(list(recent)).argmax()]
                text += " " if letter == "space" else letter
        print(text)
        """),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
