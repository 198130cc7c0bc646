"""Untargeted held-out Keras / TensorFlow failures (g161, scored 0.87 top-1 and 0.96 top-3 before any rule for it) of people building text recognisers in
Keras / tf.keras on their own images: captcha solvers (labels taken from the file names, as in the
keras.io captcha OCR example), licence-plate readers (plate crops and full frames with a box in a CSV),
water / electricity meter-reading OCR (readings in a CSV), handwritten word and line recognisers
(IAM-style ``words.txt`` / ``lines.txt``); CNN + RNN (CRNN) models trained with CTC
(``keras.losses.CTC`` / ``keras.ops.ctc_loss``, ``tf.nn.ctc_loss`` in a ``GradientTape`` loop,
``keras.backend.ctc_batch_cost`` in tf_keras inside the example's ``CTCLayer``), greedy CTC decoding,
character vocabularies with ``StringLookup`` (and its ``invert=True`` twin), images of varying widths
resized or padded, spread over the cause ids of the taxonomy:

- files: meter readings in ``readings.csv`` whose photos were renamed after a blur check, read in a
  ``tf.data`` map; a scraped captcha JPEG cut short by an interrupted download, opened with PIL in a
  ``keras.utils.Sequence`` (tf_keras); the captcha folder globbed for ``*.png`` while the files are
  ``.jpg`` (``max()`` of the empty label list);
- image sizes: handwritten word crops resized to a fixed height with ``preserve_aspect_ratio=True``
  and batched without padding to a common width;
- channels: an RGBA screenshot of a plate given to ``predict`` of the RGB plate reader (notebook);
- boxes: plate boxes (``x, y, w, h``) dragged past the right border of the frame, cut out with
  ``tf.image.crop_to_bounding_box`` in the pipeline;
- labels: ``StringLookup`` indices 1..n for a head of ``len(characters) + 1`` units under tf_keras
  ``ctc_batch_cost`` (whose blank is the last class);
- label shapes: plate texts of 6 and 7 characters batched without padding; one-hot encoded targets
  (from an earlier cross-entropy version) given to ``keras.losses.CTC``;
- dtypes: ``StringLookup``'s int64 label padded in ``map`` with ``tf.zeros(..., tf.int32)``;
- model inputs: the keras.io example's ``Input((200, 50, 1))`` with the ``tf.transpose`` of the
  images left out;
- model outputs: the last ``Bidirectional(LSTM)`` without ``return_sequences=True`` before the CTC
  head;
- weights: the plate reader's ``.weights.h5`` loaded into a rebuild whose vocabulary grew with the
  plates of a second region;
- API: ``predict`` on the two-input training model of the ``CTCLayer`` pattern; a custom CTC loss
  passing ``count_nonzero`` label lengths of shape ``(batch,)`` to ``ctc_batch_cost`` (tf_keras);
  ``tf.nn.ctc_loss`` given batch-major logits with its default ``logits_time_major=True``;
- divergence: a baseline that regresses the meter reading itself (0..99999) from raw 0..255 pixels with
  ``SGD(0.01, momentum=0.9)`` and MSE under ``enable_check_numerics``;
- gradients: the CTC loss of a custom loop computed after the ``GradientTape`` block has closed;
- host memory: every IAM text line preallocated as one float64 array padded to the widest line;
- versions: ``keras.backend.ctc_decode`` in the decoding cell of a notebook under Keras 3; a 2021
  tutorial's ``tensorflow.keras.layers.experimental.preprocessing`` import of ``StringLookup``;
- workers: a binarisation helper defined inside ``main()`` mapped over a ``multiprocessing.Pool``;
- plain bugs: the decoded indices mapped back with ``num_to_char`` and ``.numpy().decode()`` without
  ``tf.strings.reduce_join``.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21 (TF_USE_LEGACY_KERAS=1);
scripts, scripts under a terminal (progress bars) and notebook cells run in a real IPython shell.
Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more69.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g161): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more69.py"

CAPTCHA_CHARS = "2345678bcdefgmnpwxy"
PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _csv(path: Path, header, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


# ----------------------------------------------------------------------------- data
def captcha(d: Path, n=48, ext="png", size=(32, 128), truncate=None, seed=6901):
    r = _rng(seed)
    folder = d / "captcha_images"
    seen = set()
    while len(seen) < n:
        text = "".join(r.choice(list(CAPTCHA_CHARS), 5))
        if text in seen:
            continue
        seen.add(text)
        arr = r.integers(0, 255, size=(size[0], size[1], 3), dtype="uint8")
        p = folder / f"{text}.{ext}"
        if ext == "jpg":
            _jpg(p, arr)
        else:
            _png(p, arr)
    if truncate is not None:
        p = sorted(folder.iterdir())[truncate]
        b = p.read_bytes()
        p.write_bytes(b[: len(b) // 3])          # download interrupted


def captcha_jpg(d):
    captcha(d, ext="jpg")


def captcha_cut(d):
    captcha(d, ext="jpg", truncate=29)


def captcha_wide(d):
    captcha(d, size=(50, 200))


def _plate_text(r, var_len=False, letters=PLATE_LETTERS):
    n_letters = 2 if (var_len and r.random() < 0.4) else 3
    return "".join(r.choice(list(letters), n_letters)) + "".join(r.choice(list("0123456789"), 4))


def plate_crops(d: Path, n=40, var_len=False, letters=PLATE_LETTERS, seed=6902):
    r = _rng(seed)
    rows = []
    for i in range(n):
        text = _plate_text(r, var_len, letters)
        name = f"plate_{i:04d}.png"
        _png(d / "plates" / "crops" / name, r.integers(0, 255, size=(32, 128, 3), dtype="uint8"))
        rows.append([name, text])
    _csv(d / "plates" / "labels.csv", ["file", "text"], rows)


def plate_var(d):
    plate_crops(d, var_len=True)


def plate_frames(d: Path, n=30, seed=6903):
    r = _rng(seed)
    rows = []
    for i in range(n):
        name = f"frame_{i:04d}.jpg"
        _jpg(d / "plates" / "frames" / name, r.integers(0, 255, size=(240, 320, 3), dtype="uint8"))
        w, h = int(r.integers(90, 130)), int(r.integers(24, 40))
        x, y = int(r.integers(0, 320 - w)), int(r.integers(100, 240 - h))
        if i in (11, 23):            # car half out of the picture: the box was dragged past the edge
            x = 320 - w + int(r.integers(15, 40))
        rows.append([name, _plate_text(r), x, y, w, h])
    _csv(d / "plates" / "annotations.csv", ["file", "text", "x", "y", "w", "h"], rows)


def plate_screenshot(d: Path):
    plate_crops(d, n=24)
    r = _rng(6904)
    _png(d / "new" / "plate_photo.png", r.integers(0, 255, size=(40, 150, 3), dtype="uint8"))
    _png(d / "new" / "plate_screenshot.png", r.integers(0, 255, size=(64, 240, 4), dtype="uint8"))


def meters(d: Path, n=40, renamed=(), seed=6905):
    r = _rng(seed)
    rows = []
    for i in range(n):
        name = f"meter_{i:04d}.jpg"
        reading = "".join(r.choice(list("0123456789"), 5))
        rows.append([name, reading])
        if i in renamed:
            name = name.replace(".jpg", "_blurry.jpg")
        _jpg(d / "meters" / name, r.integers(0, 255, size=(32, 128, 3), dtype="uint8"))
    _csv(d / "meters" / "readings.csv", ["file", "reading"], rows)


def meters_renamed(d):
    meters(d, renamed=(13, 27))


WORDS = ["the", "of", "and", "move", "stop", "Gaitskell", "from", "nominating", "any", "more",
         "Labour", "life", "Peers", "is", "to", "be", "made", "at", "a", "meeting"]


def iam_words(d: Path, n=40, seed=6906):
    r = _rng(seed)
    lines = ["#--- words.txt ---------------------------------------------------------------#"]
    for i in range(n):
        word = WORDS[i % len(WORDS)]
        wid = int(min(300, 18 * len(word) + r.integers(-6, 20)))
        hei = int(r.integers(40, 70))
        wid_id = f"a01-{i // 10:03d}u-00-{i % 10:02d}"
        _png(d / "words" / f"{wid_id}.png", r.integers(120, 255, size=(hei, wid), dtype="uint8"))
        lines.append(f"{wid_id} ok 154 408 768 {wid} {hei} AT {word}")
    (d / "words.txt").write_text("\n".join(lines) + "\n")


def iam_lines_meta(d: Path, n=13353, seed=6907):
    r = _rng(seed)
    lines = ["#--- lines.txt ---------------------------------------------------------------#"]
    for i in range(n):
        w, h = int(r.integers(900, 2260)), int(r.integers(60, 180))
        lines.append(f"a{i // 300:02d}-{i % 300:03d}-{i % 9:02d} ok 154 19 408 {w} {h} "
                     "A|MOVE|to|stop|Mr.|Gaitskell|from")
    (d / "lines.txt").write_text("\n".join(lines) + "\n")


# ----------------------------------------------------------------------------- code snippets
CRNN = """
def build_crnn(num_classes, img_h=IMG_H, img_w=IMG_W, channels=1):
    inp = keras.Input((img_h, img_w, channels), name="image")
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Permute((2, 1, 3))(x)                         # width becomes the time axis
    x = layers.Reshape((img_w // 4, (img_h // 4) * 32))(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Bidirectional(layers.LSTM(32, return_sequences=True))(x)
    out = layers.Dense(num_classes, name="logits")(x)
    return keras.Model(inp, out, name="crnn")
"""

CAPTCHA_READ = """
data_dir = Path("{DATA}/captcha_images")
images = sorted(map(str, data_dir.glob("*.png")))
labels = [Path(p).stem for p in images]
characters = sorted(set("".join(labels)))
max_length = max(len(label) for label in labels)
print("images:", len(images), "characters:", len(characters), "max length:", max_length)

char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)
num_to_char = layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)
"""

ENCODE = """
def encode_single_sample(path, label):
    img = tf.io.read_file(path)
    img = tf.io.decode_png(img, channels=1)
    img = tf.image.convert_image_dtype(img, tf.float32)
    img = tf.image.resize(img, [IMG_H, IMG_W])
    label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
    return img, label
"""

PLATE_READ = """
with open("{DATA}/plates/labels.csv") as f:
    rows = list(csv.DictReader(f))
paths = [f"{DATA}/plates/crops/{r['file']}" for r in rows]
texts = [r["text"] for r in rows]
characters = sorted(set("".join(texts)))
char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)
num_to_char = layers.StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)
"""

CTC_LAYER_TFK2 = """
class CTCLayer(layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.backend.ctc_batch_cost

    def call(self, y_true, y_pred):
        batch_len = tf.cast(tf.shape(y_true)[0], dtype="int64")
        input_length = tf.cast(tf.shape(y_pred)[1], dtype="int64")
        label_length = tf.cast(tf.shape(y_true)[1], dtype="int64")
        input_length = input_length * tf.ones(shape=(batch_len, 1), dtype="int64")
        label_length = label_length * tf.ones(shape=(batch_len, 1), dtype="int64")
        loss = self.loss_fn(y_true, y_pred, input_length, label_length)
        self.add_loss(loss)
        return y_pred
"""


def _ind(src, indent="        "):
    return "\n".join((indent + ln) if ln else ln for ln in src.strip("\n").splitlines()).lstrip()


def code(body):
    for key, snip in (("CRNN", CRNN), ("CAPTCHA", CAPTCHA_READ), ("ENCODE", ENCODE),
                      ("PLATES", PLATE_READ), ("CTCLAYER", CTC_LAYER_TFK2)):
        body = body.replace(f"@@{key}@@", _ind(snip))
    return body


IMPORTS = """
        import csv
        from pathlib import Path

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
"""

IMPORTS_TFK2 = IMPORTS.replace("import keras\n", "import tf_keras as keras\n").replace(
    "from keras import layers", "from tf_keras import layers")


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more69-meter-readings-csv-photos-renamed-after-blur-check-tf-data-map-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=meters_renamed,
        pty=True,
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        with open("{DATA}/meters/readings.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{DATA}/meters/{r['file']}" for r in rows]
        readings = [r["reading"] for r in rows]
        digits = layers.StringLookup(vocabulary=list("0123456789"), mask_token=None)


        def load(path, reading):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=1)
            img = tf.image.resize(tf.image.convert_image_dtype(img, tf.float32), (IMG_H, IMG_W))
            return img, digits(tf.strings.unicode_split(reading, "UTF-8"))


        ds = (tf.data.Dataset.from_tensor_slices((paths, readings))
              .shuffle(len(paths)).map(load, num_parallel_calls=tf.data.AUTOTUNE)
              .batch(8).prefetch(tf.data.AUTOTUNE))

        model = build_crnn(digits.vocabulary_size() + 1)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.CTC())
        model.fit(ds, epochs=5)
        """),
    ),
    Case(
        name="keras-more69-scraped-captcha-jpeg-cut-short-pil-sequence-ctc-layer-tfk2",
        cause="data.missing_or_corrupt",
        exception="OSError",
        env="tfk2",
        setup=captcha_cut,
        pty=True,
        expect="truncated",
        code=code(IMPORTS_TFK2 + """
        import math

        from PIL import Image

        IMG_H, IMG_W = 32, 128

        data_dir = Path("{DATA}/captcha_images")
        images = sorted(map(str, data_dir.glob("*.jpg")))
        labels = [Path(p).stem for p in images]
        characters = sorted(set("".join(labels)))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)


        class CaptchaSequence(keras.utils.Sequence):
            def __init__(self, paths, labels, batch_size=8):
                super().__init__()
                self.paths, self.labels, self.batch_size = paths, labels, batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([np.asarray(Image.open(p).convert("L").resize((IMG_W, IMG_H)), "float32") / 255.0
                              for p in self.paths[sl]])[..., None]
                y = char_to_num(tf.strings.unicode_split(self.labels[sl], "UTF-8")).to_tensor()
                return {"image": x, "label": y}, None


        @@CTCLAYER@@


        inp = keras.Input((IMG_H, IMG_W, 1), name="image")
        labels_in = keras.Input((None,), name="label", dtype="float32")
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Permute((2, 1, 3))(x)
        x = layers.Reshape((IMG_W // 4, (IMG_H // 4) * 32))(x)
        x = layers.Bidirectional(layers.LSTM(32, return_sequences=True))(x)
        x = layers.Dense(len(char_to_num.get_vocabulary()) + 1, activation="softmax", name="dense2")(x)
        output = CTCLayer(name="ctc_loss")(labels_in, x)
        model = keras.Model([inp, labels_in], output, name="ocr_model_v1")
        model.compile(optimizer=keras.optimizers.Adam())
        model.fit(CaptchaSequence(images, labels), epochs=5)
        """),
    ),
    Case(
        name="keras-more69-captcha-folder-globbed-png-files-are-jpg-max-empty-sequence-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        setup=captcha_jpg,
        expect="max() arg is an empty sequence",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128
        BATCH_SIZE = 16

        @@CAPTCHA@@


        @@ENCODE@@


        train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
                    .map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE))
        """),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more69-iam-words-fixed-height-preserve-aspect-ratio-batched-unpadded-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=iam_words,
        pty=True,
        expect="Cannot add tensor to the batch",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        words = []
        with open("{DATA}/words.txt") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                parts = line.strip().split(" ")
                if parts[1] == "ok":
                    words.append((f"{DATA}/words/{parts[0]}.png", parts[-1]))
        paths, texts = zip(*words)
        characters = sorted(set("".join(texts)))
        max_len = max(map(len, texts))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)


        def load(path, text):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)
            img = tf.image.convert_image_dtype(img, tf.float32)
            # keep the handwriting undistorted: scale to the line height, width follows
            img = tf.image.resize(img, (IMG_H, IMG_W), preserve_aspect_ratio=True)
            label = char_to_num(tf.strings.unicode_split(text, "UTF-8"))
            label = tf.pad(label, [[0, max_len - tf.shape(label)[0]]])
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((list(paths), list(texts)))
              .shuffle(64).map(load).batch(16).prefetch(2))
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        model.compile(optimizer="adam", loss=keras.losses.CTC())
        model.fit(ds, epochs=10)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more69-notebook-rgba-plate-screenshot-predict-rgb-plate-reader-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="InvalidArgumentError",
        expect="Depth of input must be a multiple of depth of filter: 4 vs 3",
        **notebook([
            """
            import csv
            import numpy as np
            import tensorflow as tf
            from PIL import Image
            import keras
            from keras import layers

            IMG_H, IMG_W = 32, 128
            """,
            _ind(PLATE_READ, "") + "\n" + _ind(CRNN, "") + """

def load(path):
    return np.asarray(Image.open(path).resize((IMG_W, IMG_H)), "float32") / 255.0


x = np.stack([load(p) for p in paths])
y = char_to_num(tf.strings.unicode_split(texts, "UTF-8")).to_tensor()
model = build_crnn(char_to_num.vocabulary_size() + 1, channels=3)
model.compile(optimizer="adam", loss=keras.losses.CTC())
model.fit(x, y, epochs=2, batch_size=8, verbose=2)""",
            """
            def read_plate(path):
                img = load(path)[None]
                logits = model.predict(img, verbose=0)
                seq, _ = keras.ops.ctc_decode(logits, [logits.shape[1]])
                return tf.strings.reduce_join(num_to_char(seq[0][0])).numpy().decode()

            read_plate("{DATA}/new/plate_photo.png")
            """,
            """
            read_plate("{DATA}/new/plate_screenshot.png")
            """,
        ], data=plate_screenshot),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more69-plate-boxes-dragged-past-right-border-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=plate_frames,
        pty=True,
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        with open("{DATA}/plates/annotations.csv") as f:
            rows = list(csv.DictReader(f))
        paths = [f"{DATA}/plates/frames/{r['file']}" for r in rows]
        texts = [r["text"] for r in rows]
        boxes = np.array([[int(r["x"]), int(r["y"]), int(r["w"]), int(r["h"])] for r in rows], "int32")
        characters = sorted(set("".join(texts)))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)


        def crop_plate(path, text, box):
            frame = tf.io.decode_jpeg(tf.io.read_file(path), channels=1)
            x, y, w, h = box[0], box[1], box[2], box[3]
            plate = tf.image.crop_to_bounding_box(frame, y, x, h, w)
            plate = tf.image.resize(tf.image.convert_image_dtype(plate, tf.float32), (IMG_H, IMG_W))
            return plate, char_to_num(tf.strings.unicode_split(text, "UTF-8"))


        ds = (tf.data.Dataset.from_tensor_slices((paths, texts, boxes))
              .map(crop_plate, num_parallel_calls=tf.data.AUTOTUNE).batch(8))
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        model.compile(optimizer="adam", loss=keras.losses.CTC())
        model.fit(ds, epochs=5)
        """),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more69-stringlookup-ids-1-to-n-head-len-characters-plus-one-ctc-batch-cost-tfk2",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=captcha,
        pty=True,
        code=code(IMPORTS_TFK2 + """
        IMG_H, IMG_W = 32, 128
        BATCH_SIZE = 16

        @@CAPTCHA@@


        @@ENCODE@@


        @@CTCLAYER@@


        train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
                    .map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
                    .map(lambda img, lab: {"image": img, "label": lab})
                    .batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE))

        inp = keras.Input((IMG_H, IMG_W, 1), name="image")
        labels_in = keras.Input((None,), name="label", dtype="float32")
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Permute((2, 1, 3))(x)
        x = layers.Reshape((IMG_W // 4, (IMG_H // 4) * 32))(x)
        x = layers.Bidirectional(layers.LSTM(32, return_sequences=True))(x)
        # one unit per character plus the CTC blank
        x = layers.Dense(len(characters) + 1, activation="softmax", name="dense2")(x)
        output = CTCLayer(name="ctc_loss")(labels_in, x)
        model = keras.Model([inp, labels_in], output, name="ocr_model_v1")
        model.compile(optimizer=keras.optimizers.Adam())
        model.fit(train_ds, epochs=10)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more69-plate-texts-six-and-seven-chars-batched-without-padding-k3",
        cause="data.label_shape",
        also=("data.image_size_mismatch",),
        exception="InvalidArgumentError",
        setup=plate_var,
        pty=True,
        expect="Cannot add tensor to the batch",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        @@PLATES@@


        def load(path, text):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)
            img = tf.image.resize(tf.image.convert_image_dtype(img, tf.float32), (IMG_H, IMG_W))
            return img, char_to_num(tf.strings.unicode_split(text, "UTF-8"))


        ds = (tf.data.Dataset.from_tensor_slices((paths, texts))
              .shuffle(len(paths), seed=1).map(load).batch(8).prefetch(2))
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        model.compile(optimizer="adam", loss=keras.losses.CTC())
        model.fit(ds, epochs=10)
        """),
    ),
    Case(
        name="keras-more69-captcha-one-hot-targets-from-crossentropy-version-into-keras-ctc-loss-k3",
        cause="data.label_shape",
        exception="ValueError",
        setup=captcha,
        expect="Targets `y_true` are expected",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@CAPTCHA@@


        @@CRNN@@


        x = np.stack([tf.image.resize(tf.io.decode_png(tf.io.read_file(p), channels=1), (IMG_H, IMG_W)).numpy()
                      for p in images]) / 255.0
        num_classes = char_to_num.vocabulary_size() + 1
        # v1 of this script was five softmax heads with categorical_crossentropy
        y = keras.utils.to_categorical(char_to_num(tf.strings.unicode_split(labels, "UTF-8")).to_tensor(),
                                       num_classes)
        print(x.shape, y.shape)

        model = build_crnn(num_classes)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.CTC())
        model.fit(x, y, validation_split=0.1, epochs=10, batch_size=16)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more69-stringlookup-int64-label-padded-with-int32-zeros-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=plate_var,
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128
        MAX_LEN = 7

        @@CRNN@@


        @@PLATES@@


        def load(path, text):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)
            img = tf.image.resize(tf.image.convert_image_dtype(img, tf.float32), (IMG_H, IMG_W))
            label = char_to_num(tf.strings.unicode_split(text, "UTF-8"))
            pad = tf.zeros([MAX_LEN - tf.shape(label)[0]], dtype=tf.int32)   # 0 = CTC blank
            return img, tf.concat([label, pad], axis=0)


        ds = (tf.data.Dataset.from_tensor_slices((paths, texts))
              .shuffle(len(paths)).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8))
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        model.compile(optimizer="adam", loss=keras.losses.CTC())
        model.fit(ds, epochs=10)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more69-keras-io-captcha-input-200x50-transpose-left-out-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=captcha_wide,
        pty=True,
        code=code(IMPORTS + """
        img_width, img_height = 200, 50
        BATCH_SIZE = 16

        data_dir = Path("{DATA}/captcha_images")
        images = sorted(map(str, data_dir.glob("*.png")))
        labels = [Path(p).stem for p in images]
        characters = sorted(set("".join(labels)))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)


        def encode_single_sample(img_path, label):
            img = tf.io.read_file(img_path)
            img = tf.io.decode_png(img, channels=1)
            img = tf.image.convert_image_dtype(img, tf.float32)
            img = tf.image.resize(img, [img_height, img_width])
            label = char_to_num(tf.strings.unicode_split(label, input_encoding="UTF-8"))
            return img, label


        train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
                    .map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE))

        input_img = layers.Input(shape=(img_width, img_height, 1), name="image", dtype="float32")
        x = layers.Conv2D(32, (3, 3), activation="relu", padding="same", name="Conv1")(input_img)
        x = layers.MaxPooling2D((2, 2), name="pool1")(x)
        x = layers.Conv2D(64, (3, 3), activation="relu", padding="same", name="Conv2")(x)
        x = layers.MaxPooling2D((2, 2), name="pool2")(x)
        new_shape = ((img_width // 4), (img_height // 4) * 64)
        x = layers.Reshape(target_shape=new_shape, name="reshape")(x)
        x = layers.Dense(64, activation="relu", name="dense1")(x)
        x = layers.Dropout(0.2)(x)
        x = layers.Bidirectional(layers.LSTM(64, return_sequences=True, dropout=0.25))(x)
        x = layers.Dense(len(char_to_num.get_vocabulary()) + 1, name="dense2")(x)
        model = keras.models.Model(inputs=input_img, outputs=x, name="ocr_model_v1")
        model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CTC())
        model.fit(train_ds, epochs=20)
        """),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more69-last-bilstm-without-return-sequences-before-ctc-head-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=plate_crops,
        pty=True,
        expect="Logits `y_pred` are expected",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@PLATES@@


        def load(path, text):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)
            img = tf.image.resize(tf.image.convert_image_dtype(img, tf.float32), (IMG_H, IMG_W))
            return img, char_to_num(tf.strings.unicode_split(text, "UTF-8"))


        ds = tf.data.Dataset.from_tensor_slices((paths, texts)).map(load).shuffle(64).batch(8)

        inp = keras.Input((IMG_H, IMG_W, 1))
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Permute((2, 1, 3))(x)
        x = layers.Reshape((IMG_W // 4, (IMG_H // 4) * 64))(x)
        x = layers.Bidirectional(layers.LSTM(64, return_sequences=True))(x)
        x = layers.Bidirectional(layers.LSTM(32))(x)
        out = layers.Dense(char_to_num.vocabulary_size() + 1)(x)
        model = keras.Model(inp, out, name="plate_reader")
        model.summary()
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.CTC())
        model.fit(ds, epochs=10)
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more69-plate-reader-weights-into-rebuild-with-second-region-vocabulary-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=lambda d: (plate_crops(d), _more_plates(d)),
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        def read(csv_path, crops):
            with open(csv_path) as f:
                rows = list(csv.DictReader(f))
            return [f"{crops}/{r['file']}" for r in rows], [r["text"] for r in rows]


        def images(paths):
            return np.stack([tf.image.resize(tf.io.decode_png(tf.io.read_file(p), channels=1), (IMG_H, IMG_W)).numpy()
                             for p in paths]) / 255.0


        paths, texts = read("{DATA}/plates/labels.csv", "{DATA}/plates/crops")
        characters = sorted(set("".join(texts)))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        model.compile(optimizer="adam", loss=keras.losses.CTC())
        model.fit(images(paths), char_to_num(tf.strings.unicode_split(texts, "UTF-8")).to_tensor(),
                  epochs=1, batch_size=8, verbose=2)
        model.save_weights("plate_reader.weights.h5")
        print("saved, vocabulary", char_to_num.vocabulary_size())

        # fine-tune on both regions, starting from the first region's reader
        p2, t2 = read("{DATA}/plates_region2/labels.csv", "{DATA}/plates_region2/crops")
        paths, texts = paths + p2, texts + t2
        characters = sorted(set("".join(texts)))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        model.load_weights("plate_reader.weights.h5")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss=keras.losses.CTC())
        model.fit(images(paths), char_to_num(tf.strings.unicode_split(texts, "UTF-8")).to_tensor(),
                  epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more69-predict-on-two-input-ctc-layer-training-model-with-images-only-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        setup=captcha,
        pty=True,
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128
        BATCH_SIZE = 16

        @@CAPTCHA@@


        @@ENCODE@@


        class CTCLayer(layers.Layer):
            def call(self, y_true, y_pred):
                batch_len = keras.ops.shape(y_true)[0]
                input_length = keras.ops.full((batch_len,), keras.ops.shape(y_pred)[1], dtype="int32")
                label_length = keras.ops.full((batch_len,), keras.ops.shape(y_true)[1], dtype="int32")
                loss = keras.ops.ctc_loss(y_true, y_pred, label_length, input_length, mask_index=0)
                self.add_loss(keras.ops.mean(loss))
                return y_pred


        train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
                    .map(encode_single_sample).map(lambda i, l: {"image": i, "label": l})
                    .batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE))

        inp = keras.Input((IMG_H, IMG_W, 1), name="image")
        labels_in = keras.Input((None,), name="label", dtype="int32")
        x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
        x = layers.Permute((2, 1, 3))(x)
        x = layers.Reshape((IMG_W // 4, (IMG_H // 4) * 32))(x)
        x = layers.Bidirectional(layers.LSTM(32, return_sequences=True))(x)
        x = layers.Dense(len(char_to_num.get_vocabulary()) + 1, name="dense2")(x)
        output = CTCLayer(name="ctc_loss")(labels_in, x)
        model = keras.Model([inp, labels_in], output, name="ocr_model_v1")
        model.compile(optimizer=keras.optimizers.Adam())
        model.fit(train_ds, epochs=2)

        for batch in train_ds.take(1):
            preds = model.predict(batch["image"])
            seq, _ = keras.ops.ctc_decode(preds, keras.ops.full((preds.shape[0],), preds.shape[1]))
            print(seq[0][:4])
        """),
    ),
    Case(
        name="keras-more69-custom-ctc-loss-count-nonzero-label-length-shape-batch-ctc-batch-cost-tfk2",
        cause="model.api_misuse",
        also=("data.label_shape",),
        exception="ValueError",
        env="tfk2",
        setup=meters,
        pty=True,
        expect="Can not squeeze dim",
        code=code(IMPORTS_TFK2 + """
        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        with open("{DATA}/meters/readings.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(f"{DATA}/meters/{r['file']}"),
                                                                   channels=1), (IMG_H, IMG_W)))
                      for r in rows]) / 255.0
        # digits 1..10, 0 = padding; the blank is the last class for ctc_batch_cost
        y = np.array([[int(c) + 1 for c in r["reading"]] for r in rows], "int32")


        def ctc_loss(y_true, y_pred):
            batch = tf.shape(y_pred)[0]
            input_length = tf.fill([batch, 1], tf.shape(y_pred)[1])
            label_length = tf.math.count_nonzero(y_true, axis=1)
            return keras.backend.ctc_batch_cost(y_true, y_pred, input_length, label_length)


        base = build_crnn(12)
        model = keras.Model(base.input, layers.Softmax()(base.output))
        model.compile(optimizer="adam", loss=ctc_loss)
        model.fit(x, y, epochs=10, batch_size=8, validation_split=0.2)
        """),
    ),
    Case(
        name="keras-more69-tape-loop-tf-nn-ctc-loss-batch-major-logits-default-time-major-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=captcha,
        expect="ctc_loss_dense",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128
        BATCH_SIZE = 16

        @@CAPTCHA@@


        @@ENCODE@@


        @@CRNN@@


        train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
                    .map(encode_single_sample).shuffle(64).batch(BATCH_SIZE))
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        optimizer = keras.optimizers.Adam(1e-3)


        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = model(x, training=True)                      # (batch, time, classes)
                label_length = tf.fill([tf.shape(y)[0]], tf.shape(y)[1])
                logit_length = tf.fill([tf.shape(y)[0]], tf.shape(logits)[1])
                loss = tf.reduce_mean(tf.nn.ctc_loss(tf.cast(y, tf.int32), logits, label_length, logit_length,
                                                     blank_index=0))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss


        for epoch in range(10):
            for step, (x, y) in enumerate(train_ds):
                loss = train_step(x, y)
            print(f"epoch {epoch}: ctc {float(loss):.4f}")
        """),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more69-meter-reading-regressed-as-raw-number-sgd-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=meters,
        pty=True,
        code=code(IMPORTS + """
        tf.debugging.enable_check_numerics()

        IMG_H, IMG_W = 32, 128

        with open("{DATA}/meters/readings.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(f"{DATA}/meters/{r['file']}"),
                                                                   channels=1), (IMG_H, IMG_W)))
                      for r in rows])
        # baseline before the CTC model: regress the reading itself (kWh, 0..99999)
        y = np.array([float(r["reading"]) for r in rows], "float32")
        print("readings", y.min(), "..", y.max())

        model = keras.Sequential([
            keras.Input((IMG_H, IMG_W, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1),
        ])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse", metrics=["mae"])
        model.fit(x, y, epochs=30, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more69-handwriting-loop-ctc-loss-computed-after-tape-block-closed-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=iam_words,
        expect="No gradients provided",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        words = []
        with open("{DATA}/words.txt") as f:
            for line in f:
                if not line.startswith("#"):
                    parts = line.split()
                    words.append((f"{DATA}/words/{parts[0]}.png", parts[-1]))
        paths, texts = map(list, zip(*words))
        characters = sorted(set("".join(texts)))
        char_to_num = layers.StringLookup(vocabulary=characters, mask_token=None)


        def distortion_free_resize(path, text):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1)
            img = tf.image.resize(img, (IMG_H, IMG_W), preserve_aspect_ratio=True)
            img = tf.image.resize_with_pad(img, IMG_H, IMG_W) / 255.0
            return img, char_to_num(tf.strings.unicode_split(text, "UTF-8"))


        ds = (tf.data.Dataset.from_tensor_slices((paths, texts)).map(distortion_free_resize)
              .shuffle(64).padded_batch(8))
        model = build_crnn(char_to_num.vocabulary_size() + 1)
        optimizer = keras.optimizers.Adam(1e-3)
        ctc = keras.losses.CTC()

        for epoch in range(20):
            for x, y in ds:
                with tf.GradientTape() as tape:
                    logits = model(x, training=True)
                loss = ctc(y, logits)
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch}: {float(loss):.4f}")
        """),
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more69-iam-lines-preallocated-float64-padded-to-widest-line-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=iam_lines_meta,
        as_limit=8 * 1024**3,
        code="""
        import numpy as np

        entries = []
        with open("{DATA}/lines.txt") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                p = line.split(" ")
                if p[1] == "ok":
                    entries.append((p[0], int(p[5]), int(p[6]), p[-1].strip().replace("|", " ")))
        print(len(entries), "lines")

        # pad everything to the largest line so nothing gets squashed
        max_w = max(e[1] for e in entries)
        max_h = max(e[2] for e in entries)
        print("canvas", max_h, "x", max_w)
        X = np.zeros((len(entries), max_h, max_w, 1))
        y = [e[3] for e in entries]
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more69-notebook-keras-backend-ctc-decode-in-decoding-cell-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        expect="ctc_decode",
        **notebook([
            """
            from pathlib import Path
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers

            IMG_H, IMG_W = 32, 128
            """,
            _ind(CAPTCHA_READ, "") + "\n" + _ind(ENCODE, "") + "\n" + _ind(CRNN, "") + """

train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
            .map(encode_single_sample).batch(16))
model = build_crnn(len(char_to_num.get_vocabulary()) + 1)
model.compile(optimizer="adam", loss=keras.losses.CTC())
model.fit(train_ds, epochs=2, verbose=2)""",
            """
            def decode_batch_predictions(pred):
                input_len = np.ones(pred.shape[0]) * pred.shape[1]
                results = keras.backend.ctc_decode(pred, input_length=input_len, greedy=True)[0][0][:, :max_length]
                output_text = []
                for res in results:
                    res = tf.strings.reduce_join(num_to_char(res)).numpy().decode("utf-8")
                    output_text.append(res)
                return output_text


            for batch_images, batch_labels in train_ds.take(1):
                preds = model.predict(batch_images)
                print(decode_batch_predictions(preds))
            """,
        ], data=captcha),
    ),
    Case(
        name="keras-more69-2021-tutorial-experimental-preprocessing-stringlookup-import-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=plate_crops,
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers
        from tensorflow.keras.layers.experimental.preprocessing import StringLookup

        with open("{DATA}/plates/labels.csv") as f:
            rows = list(csv.DictReader(f))
        texts = [r["text"] for r in rows]
        characters = sorted(set("".join(texts)))
        char_to_num = StringLookup(vocabulary=list(characters), mask_token=None)
        num_to_char = StringLookup(vocabulary=char_to_num.get_vocabulary(), mask_token=None, invert=True)
        print(char_to_num.get_vocabulary())
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more69-pool-map-binarise-helper-defined-inside-main-k3",
        cause="env.multiprocessing",
        exception="AttributeError",
        setup=plate_crops,
        expect="Can't pickle local object",
        code=code(IMPORTS + """
        from multiprocessing import Pool

        from PIL import Image

        IMG_H, IMG_W = 32, 128

        @@CRNN@@


        def main():
            with open("{DATA}/plates/labels.csv") as f:
                rows = list(csv.DictReader(f))
            texts = [r["text"] for r in rows]

            def binarise(name):
                img = np.asarray(Image.open(f"{DATA}/plates/crops/{name}").convert("L").resize((IMG_W, IMG_H)))
                return (img > img.mean()).astype("float32")[..., None]

            with Pool(4) as pool:
                x = np.stack(pool.map(binarise, [r["file"] for r in rows]))

            char_to_num = layers.StringLookup(vocabulary=sorted(set("".join(texts))), mask_token=None)
            y = char_to_num(tf.strings.unicode_split(texts, "UTF-8")).to_tensor()
            model = build_crnn(char_to_num.vocabulary_size() + 1)
            model.compile(optimizer="adam", loss=keras.losses.CTC())
            model.fit(x, y, epochs=10, batch_size=8)


        if __name__ == "__main__":
            main()
        """),
    ),
    # =================================================================== other
    Case(
        name="keras-more69-decoded-ids-num-to-char-numpy-decode-without-reduce-join-k3",
        cause="other",
        exception="AttributeError",
        setup=captcha,
        pty=True,
        expect="has no attribute 'decode'",
        code=code(IMPORTS + """
        IMG_H, IMG_W = 32, 128
        BATCH_SIZE = 16

        @@CAPTCHA@@


        @@ENCODE@@


        @@CRNN@@


        train_ds = (tf.data.Dataset.from_tensor_slices((images, labels))
                    .map(encode_single_sample, num_parallel_calls=tf.data.AUTOTUNE)
                    .batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE))
        model = build_crnn(len(char_to_num.get_vocabulary()) + 1)
        model.compile(optimizer=keras.optimizers.Adam(), loss=keras.losses.CTC())
        model.fit(train_ds, epochs=2)


        def decode_batch_predictions(pred):
            input_len = np.ones(pred.shape[0]) * pred.shape[1]
            (decoded,), _ = keras.ops.ctc_decode(pred, sequence_lengths=input_len, strategy="greedy")
            out = []
            for res in decoded[:, :max_length]:
                out.append(num_to_char(res).numpy().decode("utf-8"))
            return out


        for batch_images, batch_labels in train_ds.take(1):
            preds = model.predict(batch_images)
            for text, pred in zip(batch_labels, decode_batch_predictions(preds)):
                print(text.numpy(), "->", pred)
        """),
    ),
]


def _more_plates(d: Path):
    # a second region's plates use letters the first region never issues
    r = _rng(6908)
    rows = []
    for i in range(16):
        text = "".join(r.choice(list("IOQ"), 1)) + "".join(r.choice(list(PLATE_LETTERS), 2)) + \
            "".join(r.choice(list("0123456789"), 4))
        name = f"r2_{i:04d}.png"
        _png(d / "plates_region2" / "crops" / name, r.integers(0, 255, size=(32, 128, 3), dtype="uint8"))
        rows.append([name, text])
    _csv(d / "plates_region2" / "labels.csv", ["file", "text"], rows)


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
