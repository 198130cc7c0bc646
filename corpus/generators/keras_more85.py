"""Untargeted held-out Keras / TensorFlow failures (g195, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of language-school and education-technology teams
training Keras / tf.keras models with Keras 3 and tf_keras 2 in notebooks and scripts: handwriting
recognition of children's worksheets scanned at school (letters, digits, whole worksheet pages),
classifiers of scanned exam pages and answer boxes (blank / written, ticked choice A-D, marks),
sign-language hand-shape images from classroom webcams, quiz-app photo uploads, with data coming from
school Chromebooks, LMS / gradebook exports, the school copier and shared Google Drive folders, spread
over the cause ids of the taxonomy:

- files: quiz-app uploads withdrawn by the students while their rows stay in the responses export,
  read with ``tf.io.read_file`` (terminal); the school copier's scan-to-folder writing TIFF files,
  read by ``image_dataset_from_directory`` (notebook);
- image sizes: answer boxes cut from exam pages with the per-question template (boxes of different
  sizes) batched in ``tf.data`` (terminal); sign-language frames from Chromebook webcams (4:3) and a
  teacher's laptop (16:9) stacked in a ``keras.utils.Sequence`` (tf_keras);
- channels: worksheet scans from the copier (greyscale) and from a teacher's phone (colour) stacked
  with PIL / NumPy (notebook); quiz-app PNG uploads with an alpha channel given to an RGB model
  (terminal, a Keras ``input_shape`` warning before the error);
- boxes: a VGG Image Annotator export whose ``x, y, width, height`` are read as two corners and
  cut with ``crop_to_bounding_box``;
- labels: handwritten letters labelled with ``ord(letter) - ord("a")`` where the teacher typed some
  capitals (terminal); German school grades 1..6 used as class ids for a six-unit head (tf_keras);
- label shapes: ticked-choice folders A-D read with the default integer labels under
  ``categorical_crossentropy`` (tf_keras);
- dtypes: gradebook scores left as strings from the LMS CSV (notebook); float answer-box crops
  given to ``tf.io.encode_png`` for the teachers' review folder;
- model inputs: one child's digit given to ``predict`` without a batch axis (notebook);
- model outputs: a worksheet background cleaner with valid-padding convolutions against full-size
  clean scans; a blank / written answer-box head with two softmax units and binary cross-entropy;
- weights: EMNIST letter weights (26 classes) loaded into the digit model (tf_keras);
- API: ``validation_split`` given to ``fit`` next to a directory dataset (terminal);
- divergence: an exam-score regressor on raw pixels and raw marks under SGD in a custom loop with a
  ``Progbar`` and ``check_numerics`` (terminal);
- gradients: a letter-accuracy "loss" built from ``tf.argmax``;
- host memory: a whole term of 300 dpi A4 exam scans preallocated as one float32 array;
- versions: ``RandomElasticTransform`` from the Keras 3 docs on the school JupyterHub with
  ``TF_USE_LEGACY_KERAS=1`` (tf_keras); a Keras 2 habit of saving a TF Serving model folder with
  ``model.save`` under Keras 3 (notebook);
- workers: a ``PyDataset`` of quiz uploads holding an open rejected-uploads log, run with workers
  under the ``spawn`` start method;
- plain bugs: children's names hashed with ``hashlib`` as ``str`` to anonymise the upload names.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more85.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g195): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more85.py"

UPLOAD_TYPES = ["worksheet", "whiteboard", "textbook_page", "drawing"]
SUBJECTS = ["maths", "reading", "spelling"]
HANDSHAPES = ["A", "B", "C", "L", "V", "Y"]
CHOICES = ["A", "B", "C", "D"]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _page(r, h, w):
    """A grey 'scanned page': white paper with darker random strokes (uint8, h x w)."""
    import numpy as np
    page = np.full((h, w), 235, np.uint8)
    for _ in range(max(4, h * w // 2500)):
        y, x = int(r.integers(0, h - 4)), int(r.integers(0, w - 20))
        page[y:y + 3, x:x + int(r.integers(5, 20))] = int(r.integers(20, 90))
    return page


def _save(path: Path, arr, quality=88, mode=None, **kw):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(path, quality=quality, **kw)
    else:
        img.save(path, **kw)


def _csv(path: Path, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def quiz_withdrawn(d: Path):
    """quiz/uploads/*.jpg and quiz/responses.csv; three uploads were withdrawn by the students."""
    r = _rng(8501)
    rows = [["response_id", "student", "upload", "upload_type"]]
    for i in range(48):
        name = f"resp{40210 + i}_IMG_{3100 + i * 3}.jpg"
        rows.append([40210 + i, f"S{1000 + (i * 37) % 600}", name, UPLOAD_TYPES[i % 4]])
        if i in (29, 35, 41):
            continue
        _save(d / "quiz" / "uploads" / name, _blocky_rgb(r, 120, 160, block=4))
    _csv(d / "quiz" / "responses.csv", rows)


def copier_tiffs(d: Path):
    """copier_scans/<subject>/SCAN_*.tif, as the school copier's scan-to-folder writes them."""
    r = _rng(8502)
    for s in SUBJECTS:
        for i in range(6):
            _save(d / "copier_scans" / s / f"SCAN_20240917_{s[:3].upper()}_{i:04d}.tif", _page(r, 220, 160))


TEMPLATE = {"q1": [60, 40, 48, 160], "q2": [130, 40, 48, 160], "q3": [200, 40, 48, 220],
            "q4": [270, 40, 64, 300], "q5": [360, 40, 48, 160], "q6": [430, 40, 96, 320]}


def exam_template(d: Path):
    """exam/pages/*.png (grey 400 x 560 scans), exam/template.json and exam/marks.csv."""
    import json
    r = _rng(8503)
    rows = [["page", "question", "correct"]]
    for i in range(12):
        name = f"class7b_quiz3_p{i:03d}.png"
        _save(d / "exam" / "pages" / name, _page(r, 560, 400))
        for q in TEMPLATE:
            rows.append([name, q, int(r.integers(0, 2))])
    (d / "exam" / "template.json").write_text(json.dumps(TEMPLATE, indent=2))
    _csv(d / "exam" / "marks.csv", rows)


def webcam_signs(d: Path):
    """signs/<handshape>/*.jpg: Chromebook webcams at 160 x 120, the teacher's laptop at 160 x 90."""
    r = _rng(8504)
    for c in HANDSHAPES:
        for i in range(8):
            laptop = i % 4 == 3
            w, h = (160, 90) if laptop else (160, 120)
            name = f"{'laptop' if laptop else 'cb'}_{c}_{i:03d}.jpg"
            _save(d / "signs" / c / name, _blocky_rgb(r, h, w, block=4))


def mixed_worksheets(d: Path):
    """worksheets/<year>/*: the copier's greyscale PNG scans and colour phone photos of worksheets."""
    r = _rng(8505)
    for y in ("year1", "year2", "year3"):
        for i in range(8):
            if i % 3 == 2:
                _save(d / "worksheets" / y / f"PXL_202409{10 + i}_{y}_{i:02d}.jpg", _blocky_rgb(r, 300, 220, block=6))
            else:
                _save(d / "worksheets" / y / f"scan_{y}_{i:02d}.png", _page(r, 300, 220))


def quiz_rgba(d: Path):
    """quiz_png/<type>/*.png: uploads exported by the quiz app with a transparent rounded frame (RGBA)."""
    import numpy as np
    r = _rng(8506)
    for c in UPLOAD_TYPES:
        for i in range(6):
            rgb = _blocky_rgb(r, 96, 96, block=4)
            alpha = np.full((96, 96, 1), 255, np.uint8)
            alpha[:4, :4] = alpha[:4, -4:] = alpha[-4:, :4] = alpha[-4:, -4:] = 0
            _save(d / "quiz_png" / c / f"upload_{c}_{i:03d}.png", np.concatenate([rgb, alpha], axis=-1))


def via_export(d: Path):
    """answers/*.png and the VGG Image Annotator CSV export of their answer boxes."""
    import json
    r = _rng(8507)
    rows = [["filename", "file_size", "file_attributes", "region_count", "region_id",
             "region_shape_attributes", "region_attributes"]]
    boxes = [(212, 96, 180, 64), (212, 200, 180, 64), (212, 304, 180, 64)]
    for i in range(10):
        name = f"worksheet_{i:03d}.png"
        _save(d / "answers" / name, _page(r, 480, 420))
        size = (d / "answers" / name).stat().st_size
        for k, (x, y, w, h) in enumerate(boxes):
            shape = {"name": "rect", "x": x + int(r.integers(-4, 5)), "y": y + int(r.integers(-4, 5)),
                     "width": w, "height": h}
            attrs = {"answer": ["blank", "written"][int(r.integers(0, 2))]}
            rows.append([name, size, "{}", len(boxes), k, json.dumps(shape), json.dumps(attrs)])
    _csv(d / "answers" / "via_region_data.csv", rows)


def letters_with_capitals(d: Path):
    """letters/*.png (28 x 28 grey crops) and labels.csv; the teacher typed a few labels as capitals."""
    r = _rng(8508)
    rows = [["crop", "letter"]]
    for i in range(96):
        name = f"ws{i // 12:02d}_cell{i % 12:02d}.png"
        _save(d / "letters" / name, _page(r, 28, 28))
        ch = LETTERS[(i * 7) % 26]
        if i in (37, 58, 71, 90):
            ch = ch.upper()
        rows.append([name, ch])
    _csv(d / "letters" / "labels.csv", rows)


def essay_grades(d: Path):
    """essays/*.png and grades.csv with the German grades 1 (sehr gut) .. 6 (ungenuegend)."""
    r = _rng(8509)
    rows = [["scan", "class", "grade"]]
    for i in range(42):
        name = f"aufsatz_{i:03d}.png"
        _save(d / "essays" / name, _page(r, 64, 48))
        rows.append([name, ["7a", "7b", "8a"][i % 3], 1 + i % 6])
    _csv(d / "essays" / "grades.csv", rows)


def choice_folders(d: Path):
    """answer_boxes/<A|B|C|D>/*.png: crops of the ticked multiple-choice box."""
    r = _rng(8510)
    for c in CHOICES:
        for i in range(8):
            _save(d / "answer_boxes" / c / f"q{i:02d}_{c}.png", _blocky_rgb(r, 48, 48, block=4))


def gradebook(d: Path):
    """lms/gradebook.csv (the LMS export: scores as text) and lms/scans/*.png."""
    r = _rng(8511)
    rows = [["user_id", "scan", "score"]]
    for i in range(40):
        name = f"u{5200 + i}_quiz4.png"
        _save(d / "lms" / "scans" / name, _page(r, 64, 64))
        rows.append([5200 + i, name, f"{float(r.integers(0, 21)) / 2:.1f}"])
    _csv(d / "lms" / "gradebook.csv", rows)


def review_crops(d: Path):
    """exam_pages/*.png and answer_regions.csv (pixel boxes of the answer fields)."""
    r = _rng(8512)
    rows = [["page", "y", "x", "h", "w", "written"]]
    for i in range(8):
        name = f"mock_exam_p{i:02d}.png"
        _save(d / "exam_pages" / name, _page(r, 400, 300))
        for k in range(3):
            rows.append([name, 40 + 110 * k, 30, 60, 200, int(r.integers(0, 2))])
    _csv(d / "exam_pages" / "answer_regions.csv", rows)


def digits_and_child(d: Path):
    """digits/digits.npz (28 x 28 worksheet digits) and digits/mia_7.png (one child's digit)."""
    import numpy as np
    r = _rng(8513)
    (d / "digits").mkdir(parents=True, exist_ok=True)
    x = np.stack([_page(r, 28, 28) for _ in range(120)])
    np.savez(d / "digits" / "digits.npz", x=x, y=r.integers(0, 10, 120))
    _save(d / "digits" / "mia_7.png", _page(r, 56, 56))


def noisy_clean(d: Path):
    """scans/noisy/*.png and scans/clean/*.png (128 x 128 grey) for the background cleaner."""
    import numpy as np
    r = _rng(8514)
    for i in range(16):
        clean = _page(r, 128, 128)
        noise = r.integers(-40, 40, clean.shape)
        noisy = np.clip(clean.astype(int) + noise - 30, 0, 255).astype(np.uint8)
        _save(d / "scans" / "clean" / f"ws_{i:03d}.png", clean)
        _save(d / "scans" / "noisy" / f"ws_{i:03d}.png", noisy)


def blank_written(d: Path):
    r = _rng(8515)
    for c in ("blank", "written"):
        for i in range(10):
            _save(d / "boxes" / c / f"{c}_{i:03d}.png", _blocky_rgb(r, 48, 96, block=4))


def emnist_weights(d: Path):
    import numpy as np
    r = _rng(8516)
    (d / "digits").mkdir(parents=True, exist_ok=True)
    np.save(d / "digits" / "x.npy", r.integers(0, 255, (64, 28, 28, 1), dtype=np.uint8))
    np.save(d / "digits" / "y.npy", r.integers(0, 10, 64))
    prep("tfk2", """
        import os
        import tf_keras as keras
        from tf_keras import layers
        os.makedirs("models", exist_ok=True)
        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(26, activation="softmax"),
        ], name="emnist_letters")
        model.save_weights("models/emnist_letters.h5")
    """, d)


def sign_folders(d: Path):
    r = _rng(8517)
    for c in HANDSHAPES:
        for i in range(6):
            _save(d / "handshapes" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))


def exam_scores(d: Path):
    r = _rng(8518)
    rows = [["scan", "total_marks"]]
    for i in range(48):
        name = f"paper_{i:03d}.png"
        _save(d / "papers" / name, _page(r, 96, 64))
        rows.append([name, int(r.integers(12, 100))])
    _csv(d / "papers" / "totals.csv", rows)


def letter_arrays(d: Path):
    import numpy as np
    r = _rng(8519)
    (d / "letters").mkdir(parents=True, exist_ok=True)
    np.save(d / "letters" / "x.npy", np.stack([_page(r, 28, 28) for _ in range(64)])[..., None])
    np.save(d / "letters" / "y.npy", r.integers(0, 26, 64))


def term_scans(d: Path):
    import json
    (d / "term").mkdir(parents=True, exist_ok=True)
    meta = {"term": "2024-autumn", "classes": 14, "exams_per_class": 6, "pages_per_exam": 14,
            "dpi": 300, "page_mm": [210, 297]}
    (d / "term" / "scan_batch.json").write_text(json.dumps(meta, indent=2))


def worksheet_letters(d: Path):
    r = _rng(8520)
    for c in LETTERS[:8]:
        for i in range(4):
            _save(d / "letters" / c / f"{c}_{i:03d}.png", _page(r, 32, 32))


def answer_box_arrays(d: Path):
    import numpy as np
    r = _rng(8521)
    (d / "boxes").mkdir(parents=True, exist_ok=True)
    np.save(d / "boxes" / "x.npy", r.integers(0, 255, (48, 48, 96, 1), dtype=np.uint8))
    np.save(d / "boxes" / "y.npy", r.integers(0, 2, 48))


def quiz_uploads(d: Path):
    r = _rng(8522)
    for c in UPLOAD_TYPES:
        for i in range(6):
            _save(d / "uploads" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 64, block=4))


def named_uploads(d: Path):
    r = _rng(8523)
    rows = [["student_name", "class", "upload", "upload_type"]]
    names = ["Mia Schneider", "Noah Weber", "Emma Fischer", "Ben Wagner", "Lina Becker", "Paul Hoffmann"]
    for i in range(24):
        name = f"IMG_{5400 + i}.jpg"
        _save(d / "drive" / "Class 4c uploads" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([names[i % 6], "4c", name, UPLOAD_TYPES[i % 4]])
    _csv(d / "drive" / "Class 4c uploads" / "uploads.csv", rows)


# ---------------------------------------------------------------- code snippets
IMPORTS = """
        import csv
        import glob
        import json
        import os

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers
"""


def tfk2(s):
    return s.replace("import keras\n", "import tf_keras as keras\n").replace(
        "from keras import layers", "from tf_keras import layers")


def cell(body, imports=False):
    b = textwrap.dedent(body)
    if imports:
        b = textwrap.dedent(IMPORTS).lstrip("\n") + b
    return b


CASES = [
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more85-quiz-app-uploads-withdrawn-rows-left-in-responses-export-read-file-k3",
        cause="data.missing_or_corrupt",
        exception="NotFoundError",
        setup=quiz_withdrawn,
        pty=True,
        code=IMPORTS + """
        # photo uploads of the weekly homework quiz: the export has one row per response
        UPLOAD_TYPES = ["worksheet", "whiteboard", "textbook_page", "drawing"]
        with open("{DATA}/quiz/responses.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/quiz/uploads/" + r["upload"] for r in rows]
        labels = [UPLOAD_TYPES.index(r["upload_type"]) for r in rows]
        print(len(rows), "responses in the export")


        def load(path, label):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (96, 96)) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(UPLOAD_TYPES), activation="softmax"),
        ], name="upload_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=3)
        """,
    ),
    Case(
        name="keras-more85-school-copier-scan-to-folder-tiff-files-image-dataset-from-directory-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            # scans of the subject worksheets, straight from the copier's scan-to-folder share
            for subject in sorted(os.listdir("{DATA}/copier_scans")):
                print(subject, len(os.listdir(os.path.join("{DATA}/copier_scans", subject))), "scans")
            """),
            cell("""
            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/copier_scans", validation_split=0.25, subset="both", seed=7,
                color_mode="grayscale", image_size=(160, 120), batch_size=8)
            class_names = train_ds.class_names
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((160, 120, 1)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ], name="worksheet_subject")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, validation_data=val_ds, epochs=5)
            """),
        ], data=copier_tiffs),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more85-answer-boxes-cut-with-per-question-template-batched-in-tf-data-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=exam_template,
        pty=True,
        code=IMPORTS + """
        # cut every answer box out of the scanned quiz pages with the template of the quiz
        with open("{DATA}/exam/template.json") as f:
            template = json.load(f)                     # question -> [top, left, height, width]
        with open("{DATA}/exam/marks.csv") as f:
            rows = list(csv.DictReader(f))
        paths = ["{DATA}/exam/pages/" + r["page"] for r in rows]
        boxes = [template[r["question"]] for r in rows]
        correct = [int(r["correct"]) for r in rows]
        print(len(rows), "answer boxes on", len(set(paths)), "pages")


        def load(path, box, label):
            page = tf.io.decode_png(tf.io.read_file(path), channels=1)
            crop = tf.image.crop_to_bounding_box(page, box[0], box[1], box[2], box[3])
            return tf.cast(crop, tf.float32) / 255.0, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, boxes, correct))
              .map(load).shuffle(256, seed=3).batch(16))

        # fully convolutional, so the boxes can keep their own size
        model = keras.Sequential([
            keras.Input((None, None, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalMaxPooling2D(),
            layers.Dense(1, activation="sigmoid", name="correct"),
        ], name="answer_marker")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=4)
        """,
    ),
    Case(
        name="keras-more85-sign-handshape-frames-chromebook-and-laptop-webcams-stacked-in-sequence-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=webcam_signs,
        code=tfk2(IMPORTS + """
        import math
        import random

        HANDSHAPES = ["A", "B", "C", "L", "V", "Y"]


        class SignFrames(keras.utils.Sequence):
            # frames the pupils recorded with the classroom webcams during the signing lesson
            def __init__(self, root, batch_size=8):
                self.items = [(p, HANDSHAPES.index(c)) for c in HANDSHAPES
                              for p in sorted(glob.glob(os.path.join(root, c, "*.jpg")))]
                random.Random(0).shuffle(self.items)
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.items) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.items[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) / 255.0 for p, _ in batch])
                y = np.array([label for _, label in batch])
                return x, y


        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(HANDSHAPES), activation="softmax"),
        ], name="handshape")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(SignFrames("{DATA}/signs"), epochs=5)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more85-copier-grey-scans-and-phone-colour-worksheet-photos-np-stack-notebook-k3",
        cause="data.image_channels",
        also=("data.image_size_mismatch",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            YEARS = ["year1", "year2", "year3"]
            paths = sorted(glob.glob("{DATA}/worksheets/*/*"))
            labels = np.array([YEARS.index(p.split(os.sep)[-2]) for p in paths])
            len(paths), np.bincount(labels)
            """),
            cell("""
            # every worksheet to 128 x 128, pixels to 0..1
            x = np.stack([np.asarray(Image.open(p).resize((128, 128)), dtype="float32") / 255.0 for p in paths])
            x.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((128, 128, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(3, activation="softmax"),
            ], name="worksheet_level")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, labels, epochs=5, batch_size=4)
            """),
        ], data=mixed_worksheets),
    ),
    Case(
        name="keras-more85-quiz-app-png-uploads-with-alpha-frame-into-rgb-conv-input-shape-warning-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        setup=quiz_rgba,
        pty=True,
        code=IMPORTS + """
        from PIL import Image

        UPLOAD_TYPES = ["worksheet", "whiteboard", "textbook_page", "drawing"]
        paths = sorted(glob.glob("{DATA}/quiz_png/*/*.png"))
        x = np.stack([np.asarray(Image.open(p).resize((96, 96))) for p in paths]).astype("float32") / 255.0
        y = np.array([UPLOAD_TYPES.index(p.split(os.sep)[-2]) for p in paths])
        print("uploads:", x.shape)

        model = keras.Sequential([
            layers.Conv2D(16, 3, activation="relu", input_shape=(96, 96, 3)),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(UPLOAD_TYPES), activation="softmax"),
        ], name="upload_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more85-via-export-x-y-width-height-read-as-corners-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=via_export,
        code=IMPORTS + """
        # answer boxes drawn by the teaching assistants in the VGG Image Annotator (VIA), exported as CSV
        crops, labels = [], []
        with open("{DATA}/answers/via_region_data.csv") as f:
            for r in csv.DictReader(f):
                shape = json.loads(r["region_shape_attributes"])
                answer = json.loads(r["region_attributes"])["answer"]
                x1, y1, x2, y2 = shape["x"], shape["y"], shape["width"], shape["height"]   # box corners
                page = tf.io.decode_png(tf.io.read_file("{DATA}/answers/" + r["filename"]), channels=1)
                crop = tf.image.crop_to_bounding_box(page, y1, x1, y2 - y1, x2 - x1)
                crops.append(tf.image.resize(crop, (48, 96)) / 255.0)
                labels.append(int(answer == "written"))

        x, y = tf.stack(crops), np.array(labels)
        model = keras.Sequential([
            keras.Input((48, 96, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="blank_or_written")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more85-handwritten-letters-ord-minus-ord-a-with-capitals-typed-by-teacher-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=letters_with_capitals,
        pty=True,
        code=IMPORTS + """
        with open("{DATA}/letters/labels.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/letters/" + r["crop"],
                                                                   color_mode="grayscale"))
                      for r in rows]) / 255.0
        y = np.array([ord(r["letter"]) - ord("a") for r in rows])      # a -> 0 ... z -> 25
        print(x.shape, "letters from", len({r["crop"][:4] for r in rows}), "worksheets")

        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(26, activation="softmax"),
        ], name="letters")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=16)
        """,
    ),
    Case(
        name="keras-more85-german-school-grades-one-to-six-as-class-ids-six-unit-head-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=essay_grades,
        code=tfk2(IMPORTS + """
        GRADES = ["sehr gut", "gut", "befriedigend", "ausreichend", "mangelhaft", "ungenuegend"]
        with open("{DATA}/essays/grades.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/essays/" + r["scan"],
                                                                   color_mode="grayscale"))
                      for r in rows]) / 255.0
        y = np.array([int(r["grade"]) for r in rows])

        model = keras.Sequential([
            keras.Input((64, 48, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GRADES), activation="softmax"),
        ], name="essay_grade")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=6)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more85-ticked-choice-folders-default-int-labels-categorical-crossentropy-tfk2",
        cause="data.label_shape",
        exception="ValueError",
        env="tfk2",
        setup=choice_folders,
        code=tfk2(IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/answer_boxes", image_size=(48, 48), batch_size=8, seed=11)
        print(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax", name="choice"),
        ], name="ticked_choice")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more85-lms-gradebook-scores-left-as-strings-from-csv-notebook-k3",
        cause="data.dtype",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            with open("{DATA}/lms/gradebook.csv") as f:
                rows = list(csv.DictReader(f))
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/lms/scans/" + r["scan"],
                                                                       color_mode="grayscale"))
                          for r in rows]) / 255.0
            y = np.array([r["score"] for r in rows])          # quiz score out of 10
            x.shape, y[:5]
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 64, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, name="score"),
            ], name="quiz_score")
            model.compile(optimizer="adam", loss="mae")
            model.fit(x, y, epochs=5, batch_size=8)
            """),
        ], data=gradebook),
    ),
    Case(
        name="keras-more85-float-answer-crops-given-to-encode-png-for-teacher-review-folder-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=review_crops,
        code=IMPORTS + """
        # cut the answer fields, and put a copy of every crop into the review folder for the teachers
        os.makedirs("review", exist_ok=True)
        crops, labels = [], []
        with open("{DATA}/exam_pages/answer_regions.csv") as f:
            for i, r in enumerate(csv.DictReader(f)):
                page = tf.io.decode_png(tf.io.read_file("{DATA}/exam_pages/" + r["page"]), channels=1)
                crop = tf.image.crop_to_bounding_box(page, int(r["y"]), int(r["x"]), int(r["h"]), int(r["w"]))
                crop = tf.image.resize(crop, (48, 96))
                tf.io.write_file(f"review/{i:04d}_{r['written']}.png", tf.io.encode_png(crop))
                crops.append(crop / 255.0)
                labels.append(int(r["written"]))
        print(len(crops), "answer fields")

        x, y = tf.stack(crops), np.array(labels)
        model = keras.Sequential([
            keras.Input((48, 96, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ], name="written_field")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more85-one-childs-digit-predicted-without-batch-axis-notebook-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            from PIL import Image

            data = np.load("{DATA}/digits/digits.npz")
            x = data["x"][..., None].astype("float32") / 255.0
            y = data["y"]
            x.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((28, 28, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.Flatten(),
                layers.Dense(10, activation="softmax"),
            ], name="worksheet_digits")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            history = model.fit(x, y, epochs=3, batch_size=16, verbose=2)
            """),
            cell("""
            # Mia's "7" from today's worksheet
            img = Image.open("{DATA}/digits/mia_7.png").convert("L").resize((28, 28))
            img = np.asarray(img, dtype="float32")[..., None] / 255.0
            probs = model.predict(img)
            print("predicted digit:", probs.argmax())
            """),
        ], data=digits_and_child),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more85-worksheet-background-cleaner-valid-padding-against-full-size-clean-scans-k3",
        cause="model.output_mismatch",
        exception="ValueError",
        setup=noisy_clean,
        code=IMPORTS + """
        # clean the grey background and the copier streaks off scanned worksheets before the OCR step
        noisy = sorted(glob.glob("{DATA}/scans/noisy/*.png"))
        load = lambda p: keras.utils.img_to_array(keras.utils.load_img(p, color_mode="grayscale")) / 255.0
        x = np.stack([load(p) for p in noisy])
        y = np.stack([load(p.replace("/noisy/", "/clean/")) for p in noisy])
        print("noisy", x.shape, "clean", y.shape)

        model = keras.Sequential([
            keras.Input((128, 128, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(1, 1, activation="sigmoid", name="clean"),
        ], name="scan_cleaner")
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    Case(
        name="keras-more85-blank-or-written-answer-box-two-softmax-units-binary-crossentropy-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=blank_written,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/boxes", image_size=(48, 96), batch_size=8, seed=5)
        print(train_ds.class_names)            # ['blank', 'written']

        model = keras.Sequential([
            keras.Input((48, 96, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(2, activation="softmax"),
        ], name="answer_box")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more85-emnist-letter-weights-26-classes-loaded-into-digit-model-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=emnist_weights,
        code=tfk2(IMPORTS + """
        # start the worksheet-digit model from the EMNIST letters model of last term's project
        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ], name="worksheet_digits")
        model.load_weights("{DATA}/models/emnist_letters.h5")

        x = np.load("{DATA}/digits/x.npy")
        y = np.load("{DATA}/digits/y.npy")
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=16)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more85-handshape-directory-dataset-fit-with-validation-split-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=sign_folders,
        pty=True,
        code=IMPORTS + """
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/handshapes", image_size=(64, 64), batch_size=8, seed=2)
        HANDSHAPES = train_ds.class_names

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.RandomFlip("horizontal"),        # left- and right-handed signers
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(HANDSHAPES), activation="softmax"),
        ], name="handshape")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(train_ds, validation_split=0.2, epochs=10)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more85-exam-score-regressor-raw-pixels-raw-marks-sgd-progbar-check-numerics-k3",
        cause="optim.divergence",
        exception="InvalidArgumentError",
        setup=exam_scores,
        pty=True,
        code=IMPORTS + """
        with open("{DATA}/papers/totals.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/papers/" + r["scan"],
                                                                   color_mode="grayscale"))
                      for r in rows])                                     # 0 .. 255
        y = np.array([float(r["total_marks"]) for r in rows], "float32")   # 0 .. 100 marks
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=1).batch(8)

        model = keras.Sequential([
            keras.Input((96, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, name="total_marks"),
        ], name="exam_total")
        opt = keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
        mse = keras.losses.MeanSquaredError()

        steps = len(ds)
        for epoch in range(10):
            print(f"Epoch {epoch + 1}/10")
            bar = keras.utils.Progbar(steps, stateful_metrics=["loss"])
            for step, (xb, yb) in enumerate(ds):
                with tf.GradientTape() as tape:
                    loss = mse(yb, model(xb, training=True)[:, 0])
                    loss = tf.debugging.check_numerics(loss, "exam_total loss")
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
                bar.update(step + 1, values=[("loss", float(loss))])
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more85-letter-accuracy-loss-from-argmax-custom-loop-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=letter_arrays,
        code=IMPORTS + """
        x = np.load("{DATA}/letters/x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/letters/y.npy")
        ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(64, seed=0).batch(16)

        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(26, activation="softmax"),
        ], name="letters")
        opt = keras.optimizers.Adam(1e-3)

        # the teachers care about the letter error rate, so train on it directly
        for epoch in range(5):
            for xb, yb in ds:
                with tf.GradientTape() as tape:
                    pred = tf.argmax(model(xb, training=True), axis=-1)
                    errors = tf.cast(tf.not_equal(pred, tf.cast(yb, tf.int64)), tf.float32)
                    loss = tf.reduce_mean(errors)
                grads = tape.gradient(loss, model.trainable_variables)
                opt.apply_gradients(zip(grads, model.trainable_variables))
            print(f"epoch {epoch + 1}: letter error rate {float(loss):.3f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more85-term-of-300-dpi-a4-exam-scans-preallocated-float32-array-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=term_scans,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        with open("{DATA}/term/scan_batch.json") as f:
            batch = json.load(f)
        pages = batch["classes"] * batch["exams_per_class"] * batch["pages_per_exam"]
        h = round(batch["page_mm"][1] / 25.4 * batch["dpi"])
        w = round(batch["page_mm"][0] / 25.4 * batch["dpi"])
        print(batch["term"], ":", pages, "pages at", (h, w))

        # all pages of the term in one array, so the page classifier can shuffle across exams
        scans = np.zeros((pages, h, w, 3), dtype="float32")
        for i, p in enumerate(sorted(glob.glob("{DATA}/term/scans/*.png"))):
            scans[i] = keras.utils.img_to_array(keras.utils.load_img(p)) / 255.0
        print(scans.shape)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more85-random-elastic-transform-from-keras3-docs-on-legacy-keras-jupyterhub-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        setup=worksheet_letters,
        code="""
        # the school JupyterHub image sets TF_USE_LEGACY_KERAS=1 for last year's OCR course notebooks
        import tensorflow as tf
        from tensorflow.keras import layers

        train_ds = tf.keras.utils.image_dataset_from_directory(
            "{DATA}/letters", image_size=(32, 32), color_mode="grayscale", batch_size=8, seed=4)
        NUM_CLASSES = len(train_ds.class_names)

        # elastic distortions for handwriting, from the Keras 3 augmentation docs
        augment = tf.keras.Sequential([
            layers.RandomElasticTransform(factor=0.5, scale=0.1),
            layers.RandomRotation(0.05),
        ])
        train_ds = train_ds.map(lambda x, y: (augment(x, training=True), y))

        model = tf.keras.Sequential([
            tf.keras.Input((32, 32, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more85-answer-box-model-saved-as-tf-serving-version-folder-with-model-save-notebook-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            x = np.load("{DATA}/boxes/x.npy").astype("float32") / 255.0
            y = np.load("{DATA}/boxes/y.npy")
            x.shape, np.bincount(y)
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((48, 96, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ], name="answer_box")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=3, batch_size=8, verbose=2)
            """),
            cell("""
            # TF Serving for the quiz app loads models/<name>/<version>/ (as in the 2021 deployment guide)
            model.save("serving/answer_box/1")
            os.listdir("serving/answer_box/1")
            """),
        ], data=answer_box_arrays),
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more85-quiz-upload-pydataset-with-open-rejects-log-spawn-workers-k3",
        cause="env.multiprocessing",
        exception="InvalidArgumentError",
        setup=quiz_uploads,
        code="""
        import glob
        import multiprocessing as mp
        import os

        import numpy as np
        import keras
        from keras import layers
        from PIL import Image, UnidentifiedImageError

        UPLOAD_TYPES = ["worksheet", "whiteboard", "textbook_page", "drawing"]


        class QuizUploads(keras.utils.PyDataset):
            def __init__(self, root, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.items = [(p, UPLOAD_TYPES.index(t)) for t in UPLOAD_TYPES
                              for p in sorted(glob.glob(os.path.join(root, t, "*.jpg")))]
                self.batch_size = batch_size
                self.rejects = open("rejected_uploads.log", "a")     # unreadable uploads, for the teachers

            def __len__(self):
                return len(self.items) // self.batch_size

            def __getitem__(self, idx):
                xs, ys = [], []
                for p, label in self.items[idx * self.batch_size:(idx + 1) * self.batch_size]:
                    try:
                        img = Image.open(p).convert("RGB").resize((64, 64))
                    except UnidentifiedImageError:
                        self.rejects.write(p + "\\n")
                        continue
                    xs.append(np.asarray(img, "float32") / 255.0)
                    ys.append(label)
                return np.stack(xs), np.array(ys)


        if __name__ == "__main__":
            mp.set_start_method("spawn")        # fork after TensorFlow is loaded hung on the Chromebook
            train = QuizUploads("{DATA}/uploads", workers=2, use_multiprocessing=True)
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(UPLOAD_TYPES), activation="softmax"),
            ], name="upload_type")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train, epochs=3)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more85-children-names-hashed-as-str-to-anonymise-drive-uploads-k3",
        cause="other",
        exception="TypeError",
        setup=named_uploads,
        code=IMPORTS + """
        import hashlib
        import shutil

        # data protection: no children's names in the training folder on the shared drive
        SRC = "{DATA}/drive/Class 4c uploads"
        with open(os.path.join(SRC, "uploads.csv")) as f:
            rows = list(csv.DictReader(f))
        os.makedirs("anon", exist_ok=True)
        for r in rows:
            pseudonym = hashlib.sha1(r["student_name"]).hexdigest()[:10]
            dst = os.path.join("anon", r["upload_type"], f"{pseudonym}_{r['upload']}")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy(os.path.join(SRC, r["upload"]), dst)

        train_ds = keras.utils.image_dataset_from_directory("anon", image_size=(64, 64), batch_size=8)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(train_ds.class_names), activation="softmax"),
        ], name="upload_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=3)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
