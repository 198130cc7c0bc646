"""Untargeted held-out Keras / TF 2 training failures (g109, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of Kaggle and hackathon participants in
image competitions: training loops over k folds that rebuild the model every fold, multi-input models
(image + tabular metadata), multi-output and multi-label heads, class and sample weights, custom
metrics (F1, QWK, Dice) and callbacks, test-time augmentation with tf.data, mixed precision,
TPU-style code run on a CPU (``TPUClusterResolver`` fallbacks, ``strategy.scope()``), competition
CSVs read with ``csv`` (RLE masks, space-separated multi-labels, boxes stored as strings) and
submission files, spread over the cause ids of the taxonomy as these users meet them:

- image sizes: a Plant Pathology 2020 TPU-style pipeline that batches the decoded photos and resizes
  whole batches afterwards ("faster on the accelerator"), meeting the few portrait photos;
- channels: the four Human Protein Atlas stains (red, green, blue, yellow) stacked into one array
  for a three-channel ResNet50 (notebook);
- boxes: Happywhale fin boxes from a public dataset, stored as COCO ``"[x, y, w, h]"`` strings, read as
  corners and given to ``crop_to_bounding_box`` in the tf.data map;
- class ids: iMet attribute ids (space-separated) written into a multi-hot matrix sized by the
  number of distinct ids seen in train.csv (notebook); Understanding Clouds RLE masks merged into one
  class-index mask (0 = sky, 1..4 = cloud types) for a four-channel softmax head;
- label shapes: Severstal RLE masks merged into one channel for a four-class sigmoid head with a
  BCE + Dice loss; a streaming QWK metric written for sparse labels given the one-hot labels that
  label smoothing needs (APTOS);
- dtypes: ISIC 2019 external-data TFRecords (``age_approx`` stored as a float) parsed with the 2020
  notebook's int64 feature spec (tf_keras); ``tf.concat`` of float16 backbone features and float32
  metadata under ``mixed_float16`` (Pawpularity, tf_keras, notebook);
- files: the RSNA pneumonia ``.dcm`` files given to ``tf.io.decode_image``;
- model inputs: an ISIC metadata ``Input`` sized by the number of metadata columns before the site
  column was one-hot encoded; TTA views ``tf.stack``-ed in a map before ``batch`` (5-D input,
  notebook);
- model outputs: the Plant Pathology 2020 four-unit head reused for the six 2021 labels (tf_keras);
- weights: an APTOS inference notebook that loads the regression folds' ``.weights.h5`` into a
  five-class head;
- API: ``ReduceLROnPlateau`` next to an optimizer built on a ``CosineDecay`` schedule; a k-fold loop
  reading ``history.history["val_auc"]`` while tf_keras names the second fold's metric ``auc_1``;
- versions: ``keras.metrics.F1Score(num_classes=...)`` kept from ``tfa.metrics.F1Score``, the
  two-GPU template's ``tf.keras.layers.experimental.SyncBatchNormalization`` under Keras 3;
- divergence: an MLP baseline on raw pixels with SGD whose NaN out-of-fold predictions reach the
  ``np.linalg.lstsq`` blend (progress bar shows ``nan``);
- gradients: a SAM (sharpness-aware minimization) ``train_step`` that asks the same non-persistent
  tape for the second gradient;
- host memory: the whole Severstal training set preallocated at full size (notebook);
- distribution: a strategy re-created for every fold while the metrics were made in the first
  strategy's scope;
- plain bugs: an RLE encoder that ``" ".join``-s the integer runs when writing the TGS Salt
  submission (notebook).

Keras 3 (keras 3.15.1 on tensorflow-cpu 2.21) and tf_keras 2.21 under TF 2.21
(TF_USE_LEGACY_KERAS=1); scripts, scripts under a terminal (progress bars) and notebook cells run in
a real IPython shell. Everything is small enough to run on a CPU; causes that need a GPU
(resource.gpu_oom, env.device_mismatch) are not produced. The TF environments have no pandas, so the
competition CSVs are read with the ``csv`` module.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more48.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g109): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord  # noqa: E402
from _tfrecord import Case, notebook  # noqa: E402
from _tfrecord import prep as _prep  # noqa: E402
from _tfrecord import rng as _rng  # noqa: E402
from _tfrecord import save_jpg as _jpg  # noqa: E402
from _tfrecord import save_png as _png  # noqa: E402

SRC = "corpus/generators/keras_more48.py"


# ---------------------------------------------------------------- data helpers
def _hex(r, n=9):
    return "".join("0123456789abcdef"[int(k)] for k in r.integers(0, 16, size=n))


def _rle(mask):
    """Kaggle run-length encoding (column-major, 1-based starts) of a 2-D 0/1 mask."""
    import numpy as np

    pixels = np.concatenate([[0], mask.T.flatten(), [0]])
    runs = np.where(pixels[1:] != pixels[:-1])[0] + 1
    runs[1::2] -= runs[::2]
    return " ".join(str(int(v)) for v in runs)


def _blob(h, w, r):
    """A random elliptic 0/1 blob (a defect, a cloud, a salt body)."""
    import numpy as np

    yy, xx = np.mgrid[0:h, 0:w]
    cy, cx = r.uniform(0.2 * h, 0.8 * h), r.uniform(0.2 * w, 0.8 * w)
    ry, rx = r.uniform(0.1 * h, 0.3 * h), r.uniform(0.05 * w, 0.2 * w)
    return ((((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2) < 1).astype("uint8")


def plant_pathology_2020(d: Path):
    """Plant Pathology 2020 (FGVC7): images/Train_<i>.jpg + train.csv with one-hot columns. The
    photos are landscape 2048 x 1365 except a few portrait ones (here 144 x 96 / 96 x 144)."""
    r = _rng(4801)
    root = d / "plant-pathology-2020-fgvc7"
    rows = ["image_id,healthy,multiple_diseases,rust,scab"]
    for i in range(24):
        h, w = (144, 96) if i in (5, 13, 19) else (96, 144)
        _jpg(root / "images" / f"Train_{i}.jpg", r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        k = [0, 2, 3, 2, 0, 3, 1, 2][i % 8]
        rows.append(f"Train_{i}," + ",".join("1" if j == k else "0" for j in range(4)))
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def hpa(d: Path):
    """Human Protein Atlas: four 8-bit stains per sample (<id>_red/green/blue/yellow.png) and
    train.csv with space-separated label ids (28 classes)."""
    r = _rng(4802)
    root = d / "human-protein-atlas-image-classification"
    rows = ["Id,Target"]
    for i in range(24):
        sid = f"{_hex(r, 8)}-{_hex(r, 4)}-11e8-{_hex(r, 4)}-{_hex(r, 12)}"
        for c in ("red", "green", "blue", "yellow"):
            _png(root / "train" / f"{sid}_{c}.png", r.integers(0, 255, size=(64, 64), dtype="uint8"))
        tags = sorted({int(t) for t in r.choice([0, 0, 2, 5, 7, 14, 21, 23, 25, 25], size=1 + i % 3)})
        rows.append(f"{sid},{' '.join(str(t) for t in tags)}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def happywhale(d: Path):
    """Happywhale: train_images/<hex>.jpg + train.csv (image,species,individual_id) and a public
    'fin boxes' dataset whose box column is a COCO-style "[x, y, w, h]" string in pixels."""
    r = _rng(4803)
    root = d / "happy-whale-and-dolphin"
    species = ["beluga", "humpback_whale", "bottlenose_dolphin", "blue_whale"]
    rows, boxes = ["image,species,individual_id"], ["image,box,conf"]
    for i in range(20):
        name = f"{_hex(r, 14)}.jpg"
        h, w = [(120, 180), (135, 180), (120, 160)][i % 3]
        _jpg(root / "train_images" / name, r.integers(0, 255, size=(h, w, 3), dtype="uint8"))
        rows.append(f"{name},{species[i % 4]},{_hex(r, 12)}")
        bw, bh = int(r.integers(30, 55)), int(r.integers(20, 40))
        bx, by = int(r.integers(bw + 5, w - bw - 5)), int(r.integers(bh + 5, h - bh - 5))
        boxes.append(f'{name},"[{bx}.0, {by}.0, {bw}.0, {bh}.0]",{r.uniform(0.5, 0.95):.3f}')
    (root / "train.csv").write_text("\n".join(rows) + "\n")
    (d / "happywhale-fin-boxes").mkdir()
    (d / "happywhale-fin-boxes" / "train_boxes.csv").write_text("\n".join(boxes) + "\n")


def imet(d: Path):
    """iMet Collection (FGVC): labels.csv (attribute_id,attribute_name) and train.csv with
    space-separated attribute ids; only part of the attributes occur in the training images."""
    r = _rng(4804)
    root = d / "imet-2020-fgvc7"
    cultures = ["american", "british", "french", "japanese", "italian", "egyptian", "chinese", "dutch"]
    tags = ["men", "women", "flowers", "landscapes", "portraits", "birds", "horses", "trees", "boats",
            "dogs", "inscriptions", "textiles", "vases", "coins", "masks", "swords", "crosses", "angels"]
    names = [f"culture::{c}" for c in cultures] + [f"tag::{t}" for t in tags]
    names += [f"tag::motif_{k}" for k in range(60 - len(names))]
    (root).mkdir(parents=True)
    (root / "labels.csv").write_text("attribute_id,attribute_name\n" +
                                     "\n".join(f"{i},{n}" for i, n in enumerate(names)) + "\n")
    rows = ["id,attribute_ids"]
    pool = list(range(0, 8)) + [9, 12, 13, 17, 18, 21, 22, 25, 28, 31, 33, 36, 40, 44, 47, 51, 53, 58]
    for i in range(24):
        iid = _hex(r, 16)
        _png(root / "train" / f"{iid}.png", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        ids = sorted({int(v) for v in r.choice(pool, size=2 + i % 3)})
        rows.append(f"{iid},{' '.join(str(v) for v in ids)}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def severstal(d: Path):
    """Severstal: train_images/<hex>.jpg and train.csv (ImageId,ClassId,EncodedPixels), one row
    per defect class present in an image (here 32 x 200 instead of 256 x 1600)."""
    r = _rng(4805)
    root = d / "severstal-steel-defect-detection"
    rows = ["ImageId,ClassId,EncodedPixels"]
    for i in range(16):
        name = f"{_hex(r, 9)}.jpg"
        _jpg(root / "train_images" / name, r.integers(60, 200, size=(32, 200, 3), dtype="uint8"))
        for cls in sorted({int(c) for c in r.choice([1, 3, 3, 4, 2], size=1 + i % 2)}):
            rows.append(f"{name},{cls},{_rle(_blob(32, 200, r))}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def isic2019_tfrec(d: Path):
    """ISIC 2019 external-data TFRecords (two shards, count in the name) whose age_approx is
    stored as a float, unlike the 2020 competition shards (int64)."""
    (d / "isic2019-tfrec-48").mkdir()
    _prep("k3", """
        import io
        import numpy as np
        import tensorflow as tf

        rng = np.random.default_rng(4806)

        def f_bytes(v):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=[v]))

        def f_int(v):
            return tf.train.Feature(int64_list=tf.train.Int64List(value=[v]))

        def f_float(v):
            return tf.train.Feature(float_list=tf.train.FloatList(value=[v]))

        k = 0
        for shard in range(2):
            with tf.io.TFRecordWriter(f"isic2019-tfrec-48/train{shard:02d}-12.tfrec") as w:
                for i in range(12):
                    img = tf.io.encode_jpeg(rng.integers(0, 255, size=(48, 48, 3), dtype="uint8")).numpy()
                    ex = tf.train.Example(features=tf.train.Features(feature={
                        "image": f_bytes(img),
                        "image_name": f_bytes(f"ISIC_{62000 + k:07d}".encode()),
                        "target": f_int(int(rng.random() < 0.2)),
                        "sex": f_int(int(rng.integers(0, 2))),
                        "age_approx": f_float(float(rng.integers(3, 17) * 5)),
                        "anatom_site_general_challenge": f_int(int(rng.integers(0, 6))),
                    }))
                    w.write(ex.SerializeToString())
                    k += 1
        """, d)


def pawpularity(d: Path):
    """PetFinder.my Pawpularity: train/<hex>.jpg + train.csv (12 binary metadata columns, score 1..100)."""
    r = _rng(4807)
    root = d / "petfinder-pawpularity-score"
    cols = ["Subject Focus", "Eyes", "Face", "Near", "Action", "Accessory", "Group", "Collage", "Human",
            "Occlusion", "Info", "Blur"]
    rows = ["Id," + ",".join(cols) + ",Pawpularity"]
    for i in range(32):
        pid = _hex(r, 32)
        _jpg(root / "train" / f"{pid}.jpg", r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        meta = [str(int(v)) for v in r.random(12) < 0.4]
        rows.append(f"{pid}," + ",".join(meta) + f",{int(r.integers(1, 101))}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def rsna_dicom(d: Path):
    """RSNA Pneumonia Detection: stage_2_train_images/<patientId>.dcm (DICOM files: 128-byte
    preamble, 'DICM', data elements, 8-bit pixel data) and stage_2_train_labels.csv."""
    import struct

    r = _rng(4808)
    root = d / "rsna-pneumonia-detection-challenge"
    (root / "stage_2_train_images").mkdir(parents=True)

    def elem(group, el, vr, value):
        if vr in (b"OB", b"OW", b"UN", b"SQ"):
            return struct.pack("<HH", group, el) + vr + b"\0\0" + struct.pack("<I", len(value)) + value
        return struct.pack("<HH", group, el) + vr + struct.pack("<H", len(value)) + value

    rows = ["patientId,x,y,width,height,Target"]
    for i in range(16):
        pid = f"{_hex(r, 8)}-{_hex(r, 4)}-{_hex(r, 4)}-{_hex(r, 4)}-{_hex(r, 12)}"
        body = (elem(0x0002, 0x0010, b"UI", b"1.2.840.10008.1.2.1\0")
                + elem(0x0008, 0x0060, b"CS", b"CR")
                + elem(0x0010, 0x0020, b"LO", pid.encode()[:36])
                + elem(0x0010, 0x0040, b"CS", b"M " if i % 2 else b"F ")
                + elem(0x0028, 0x0010, b"US", struct.pack("<H", 64))
                + elem(0x0028, 0x0011, b"US", struct.pack("<H", 64))
                + elem(0x7FE0, 0x0010, b"OW", bytes(r.integers(0, 255, size=64 * 64, dtype="uint8"))))
        (root / "stage_2_train_images" / f"{pid}.dcm").write_bytes(b"\0" * 128 + b"DICM" + body)
        if i % 3 == 0:
            rows.append(f"{pid},{r.integers(100, 500)}.0,{r.integers(100, 500)}.0,"
                        f"{r.integers(100, 300)}.0,{r.integers(100, 400)}.0,1")
        else:
            rows.append(f"{pid},,,,,0")
    (root / "stage_2_train_labels.csv").write_text("\n".join(rows) + "\n")


def isic2020(d: Path):
    """SIIM-ISIC Melanoma: jpeg/train/ISIC_<n>.jpg + train.csv with patient metadata (some sex /
    age / site cells empty, as in the real file)."""
    r = _rng(4809)
    root = d / "siim-isic-melanoma-classification"
    sites = ["head/neck", "upper extremity", "lower extremity", "torso", "palms/soles", "oral/genital"]
    rows = ["image_name,patient_id,sex,age_approx,anatom_site_general_challenge,diagnosis,benign_malignant,target"]
    for i in range(40):
        name = f"ISIC_{int(r.integers(10**6, 10**7 - 1)):07d}"
        _jpg(root / "jpeg" / "train" / f"{name}.jpg", r.integers(0, 255, size=(48, 48, 3), dtype="uint8"))
        target = int(i % 5 == 0)
        sex = "" if i == 7 else ("male" if r.random() < 0.5 else "female")
        age = "" if i == 7 else f"{int(r.integers(4, 18)) * 5}.0"
        site = "" if i in (3, 11) else sites[int(r.integers(0, 6))]
        rows.append(f"{name},IP_{int(r.integers(10**6, 10**7 - 1)):07d},{sex},{age},{site},"
                    f"{'melanoma' if target else 'nevus'},{'malignant' if target else 'benign'},{target}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def cassava(d: Path):
    """Cassava Leaf Disease: train_images/<n>.jpg + train.csv (image_id,label 0..4), a test folder
    and sample_submission.csv."""
    r = _rng(4810)
    root = d / "cassava-leaf-disease-classification"
    rows = ["image_id,label"]
    for i in range(40):
        iid = f"{int(r.integers(10**8, 10**10))}.jpg"
        _jpg(root / "train_images" / iid, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"{iid},{[3, 3, 1, 2, 4, 0, 3, 2][i % 8]}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")
    subs = ["image_id,label"]
    for i in range(6):
        iid = f"{int(r.integers(10**8, 10**10))}.jpg"
        _jpg(root / "test_images" / iid, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        subs.append(f"{iid},4")
    (root / "sample_submission.csv").write_text("\n".join(subs) + "\n")
    (root / "label_num_to_disease_map.json").write_text(json.dumps({
        "0": "Cassava Bacterial Blight (CBB)", "1": "Cassava Brown Streak Disease (CBSD)",
        "2": "Cassava Green Mottle (CGM)", "3": "Cassava Mosaic Disease (CMD)", "4": "Healthy"}))


def plant_pathology_2021(d: Path):
    """Plant Pathology 2021 (FGVC8): train.csv with space-separated disease names per image."""
    r = _rng(4811)
    root = d / "plant-pathology-2021-fgvc8"
    labels = ["healthy", "scab", "frog_eye_leaf_spot", "scab frog_eye_leaf_spot", "rust", "complex",
              "powdery_mildew", "rust frog_eye_leaf_spot", "scab", "healthy"]
    rows = ["image,labels"]
    for i in range(30):
        name = f"{_hex(r, 16)}.jpg"
        _jpg(root / "train_images" / name, r.integers(0, 255, size=(64, 64, 3), dtype="uint8"))
        rows.append(f"{name},{labels[i % len(labels)]}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def aptos_folds(d: Path):
    """APTOS 2019: test_images/<id>.png + test.csv, and the fold weights the training notebook wrote:
    EfficientNetB0 with a one-unit regression head (grades predicted as a number, rounded for QWK)."""
    r = _rng(4812)
    root = d / "aptos2019-blindness-detection"
    rows = ["id_code"]
    for i in range(8):
        code = _hex(r, 12)
        _png(root / "test_images" / f"{code}.png", r.integers(0, 255, size=(80, 80, 3), dtype="uint8"))
        rows.append(code)
    (root / "test.csv").write_text("\n".join(rows) + "\n")
    (d / "aptos-effb0-folds").mkdir()
    _prep("k3", """
        import keras
        from keras import layers

        IMG = 64
        for fold in range(3):
            base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(IMG, IMG, 3))
            inp = keras.Input((IMG, IMG, 3))
            x = base(inp)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Dropout(0.3)(x)
            out = layers.Dense(1, activation="linear")(x)
            model = keras.Model(inp, out)
            model.save_weights(f"aptos-effb0-folds/effb0_reg_fold{fold}.weights.h5")
        """, d)


def aptos_train(d: Path):
    """APTOS 2019: train_images/<id_code>.png + train.csv (id_code,diagnosis 0..4)."""
    r = _rng(4816)
    root = d / "aptos2019-blindness-detection"
    rows = ["id_code,diagnosis"]
    for i in range(40):
        code = _hex(r, 12)
        _png(root / "train_images" / f"{code}.png", r.integers(0, 255, size=(80, 80, 3), dtype="uint8"))
        rows.append(f"{code},{[0, 0, 2, 1, 0, 3, 2, 4][i % 8]}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def severstal_2019_csv(d: Path):
    """The first Severstal train.csv layout: one row per image and class (ImageId_ClassId), the
    EncodedPixels cell empty when the class is absent; 12568 training images."""
    r = _rng(4813)
    root = d / "severstal-steel-defect-detection"
    root.mkdir(parents=True)
    lines = ["ImageId_ClassId,EncodedPixels"]
    for i in range(12568):
        name = f"{_hex(r, 9)}.jpg"
        for cls in range(1, 5):
            rle = ""
            if r.random() < 0.12:
                start = int(r.integers(1, 409000))
                rle = " ".join(f"{start + 256 * k} {int(r.integers(3, 40))}" for k in range(3))
            lines.append(f"{name}_{cls},{rle}")
    (root / "train.csv").write_text("\n".join(lines) + "\n")


def clouds(d: Path):
    """Understanding Clouds from Satellite Images: train_images/<hex>.jpg and train.csv with one
    Image_Label row per image and cloud type (Fish, Flower, Gravel, Sugar), RLE or empty."""
    r = _rng(4814)
    root = d / "understanding_cloud_organization"
    rows = ["Image_Label,EncodedPixels"]
    for i in range(16):
        name = f"{_hex(r, 7)}.jpg"
        _jpg(root / "train_images" / name, r.integers(0, 255, size=(56, 84, 3), dtype="uint8"))
        for c in ("Fish", "Flower", "Gravel", "Sugar"):
            rows.append(f"{name}_{c},{_rle(_blob(56, 84, r)) if r.random() < 0.5 else ''}")
    (root / "train.csv").write_text("\n".join(rows) + "\n")


def tgs_salt(d: Path):
    """TGS Salt Identification: train/images, train/masks (101 x 101 PNGs), test/images and
    sample_submission.csv (id,rle_mask)."""
    r = _rng(4815)
    root = d / "tgs-salt-identification-challenge"
    for i in range(24):
        sid = _hex(r, 10)
        _png(root / "train" / "images" / f"{sid}.png", r.integers(0, 255, size=(101, 101), dtype="uint8"))
        _png(root / "train" / "masks" / f"{sid}.png", (_blob(101, 101, r) * 255).astype("uint8"))
    subs = ["id,rle_mask"]
    for i in range(6):
        sid = _hex(r, 10)
        _png(root / "test" / "images" / f"{sid}.png", r.integers(0, 255, size=(101, 101), dtype="uint8"))
        subs.append(f"{sid},1 1")
    (root / "sample_submission.csv").write_text("\n".join(subs) + "\n")


CASES = [
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more48-plant-pathology-tpu-pipeline-batches-before-resize-k3",
        cause="data.image_size_mismatch",
        exception="InvalidArgumentError",
        setup=plant_pathology_2020,
        pty=True,
        expect="Cannot batch tensors with different shapes",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        AUTO = tf.data.AUTOTUNE
        GCS_DS_PATH = "{DATA}/plant-pathology-2020-fgvc7"
        LABELS = ["healthy", "multiple_diseases", "rust", "scab"]
        IMAGE_SIZE = (64, 96)          # the photos are 1365 x 2048: keep the aspect ratio
        EPOCHS = 4

        try:
            tpu = tf.distribute.cluster_resolver.TPUClusterResolver()
            tf.config.experimental_connect_to_cluster(tpu)
            tf.tpu.experimental.initialize_tpu_system(tpu)
            strategy = tf.distribute.TPUStrategy(tpu)
        except ValueError:
            strategy = tf.distribute.get_strategy()
        print("REPLICAS:", strategy.num_replicas_in_sync)
        BATCH_SIZE = 8 * strategy.num_replicas_in_sync

        rows = list(csv.DictReader(open(f"{GCS_DS_PATH}/train.csv")))
        train_paths = [f"{GCS_DS_PATH}/images/{r['image_id']}.jpg" for r in rows]
        train_labels = np.array([[int(r[c]) for c in LABELS] for r in rows], dtype="float32")
        print(len(train_paths), "training images")


        def decode_image(filename, label):
            bits = tf.io.read_file(filename)
            image = tf.image.decode_jpeg(bits, channels=3)
            return image, label


        def resize_and_augment(images, labels):
            # resizing and flipping whole batches keeps the TPU busy instead of the host CPU
            images = tf.image.resize(images, IMAGE_SIZE) / 255.0
            images = tf.image.random_flip_left_right(images)
            return images, labels


        train_dataset = (
            tf.data.Dataset.from_tensor_slices((train_paths, train_labels))
            .map(decode_image, num_parallel_calls=AUTO)
            .repeat()
            .shuffle(512, seed=2020)
            .batch(BATCH_SIZE)
            .map(resize_and_augment, num_parallel_calls=AUTO)
            .prefetch(AUTO)
        )

        with strategy.scope():
            model = keras.Sequential([
                keras.Input((*IMAGE_SIZE, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(LABELS), activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="categorical_crossentropy",
                          metrics=["categorical_accuracy"])

        STEPS_PER_EPOCH = len(train_paths) // BATCH_SIZE
        history = model.fit(train_dataset, epochs=EPOCHS, steps_per_epoch=STEPS_PER_EPOCH)
        """,
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more48-nb-hpa-four-stains-stacked-for-rgb-resnet-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        expect="found shape=(None, 64, 64, 4)",
        **notebook([
            """
            import csv
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            PATH = "{DATA}/human-protein-atlas-image-classification"
            N_CLASSES = 28
            rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
            print(len(rows), rows[:3])
            """,
            """
            def load_sample(sample_id):
                # the four stains: microtubules, protein of interest, nucleus, ER
                stains = [np.asarray(Image.open(f"{PATH}/train/{sample_id}_{c}.png"))
                          for c in ("red", "green", "blue", "yellow")]
                return np.stack(stains, axis=-1).astype("float32") / 255.0


            x = np.stack([load_sample(r["Id"]) for r in rows])
            y = np.zeros((len(rows), N_CLASSES), dtype="float32")
            for i, r in enumerate(rows):
                y[i, [int(t) for t in r["Target"].split()]] = 1.0
            print(x.shape, y.shape, y.sum(0)[:8])
            """,
            """
            base = keras.applications.ResNet50(include_top=False, weights=None, input_shape=(64, 64, 3),
                                               pooling="avg")
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                base,
                layers.Dropout(0.4),
                layers.Dense(N_CLASSES, activation="sigmoid"),
            ])
            model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy",
                          metrics=[keras.metrics.F1Score(average="macro", threshold=0.4, name="f1")])
            """,
            """
            history = model.fit(x, y, validation_split=0.25, batch_size=8, epochs=10)
            """,
        ], data=hpa),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more48-happywhale-xywh-box-strings-read-as-corners-crop-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        setup=happywhale,
        pty=True,
        expect="must be > 0",
        code="""
        import csv
        import json

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        COMP = "{DATA}/happy-whale-and-dolphin"
        BOXES = "{DATA}/happywhale-fin-boxes/train_boxes.csv"
        IMG = 64
        AUTO = tf.data.AUTOTUNE

        train = list(csv.DictReader(open(f"{COMP}/train.csv")))
        boxes = {r["image"]: json.loads(r["box"]) for r in csv.DictReader(open(BOXES))}
        species = sorted({r["species"] for r in train})
        sp_index = {s: i for i, s in enumerate(species)}

        paths = [f"{COMP}/train_images/{r['image']}" for r in train]
        bbox = np.array([boxes[r["image"]] for r in train], dtype="int32")   # x0, y0, x1, y1
        labels = np.array([sp_index[r["species"]] for r in train])
        print(len(paths), "images,", len(species), "species; first box:", bbox[0])


        def load_crop(path, box, label):
            image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            x0, y0, x1, y1 = box[0], box[1], box[2], box[3]
            fin = tf.image.crop_to_bounding_box(image, y0, x0, y1 - y0, x1 - x0)
            fin = tf.image.resize(fin, (IMG, IMG)) / 255.0
            return fin, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, bbox, labels))
              .shuffle(len(paths), seed=0)
              .map(load_crop, num_parallel_calls=AUTO)
              .batch(8)
              .prefetch(AUTO))

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(species), activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more48-nb-imet-attribute-ids-class-count-from-seen-ids-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="IndexError",
        expect="out of bounds for axis 1",
        **notebook([
            """
            import csv
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            PATH = "{DATA}/imet-2020-fgvc7"
            train = list(csv.DictReader(open(f"{PATH}/train.csv")))
            train_ids = [[int(a) for a in r["attribute_ids"].split()] for r in train]
            all_attributes = sorted({a for ids in train_ids for a in ids})
            N_CLASSES = len(all_attributes)
            print(len(train), "images,", N_CLASSES, "attributes")
            """,
            """
            x = np.stack([np.asarray(Image.open(f"{PATH}/train/{r['id']}.png"), dtype="float32") / 255.0
                          for r in train])
            y = np.zeros((len(train), N_CLASSES), dtype="float32")
            for i, ids in enumerate(train_ids):
                y[i, ids] = 1.0
            print(x.shape, y.shape)
            """,
            """
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(N_CLASSES, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy",
                          metrics=[keras.metrics.F1Score(average="micro", threshold=0.1, name="f2ish")])
            model.fit(x, y, validation_split=0.2, batch_size=8, epochs=5)
            """,
        ], data=imet),
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more48-clouds-rle-class-index-mask-softmax-four-channels-k3",
        cause="data.label_out_of_range",
        also=("model.output_mismatch",),
        exception="InvalidArgumentError",
        setup=clouds,
        pty=True,
        expect="Received a label value of 4",
        code="""
        import csv
        from collections import defaultdict

        import numpy as np
        from PIL import Image
        import keras
        from keras import layers

        PATH = "{DATA}/understanding_cloud_organization"
        CLASSES = ["Fish", "Flower", "Gravel", "Sugar"]
        H, W = 56, 84


        def rle2mask(rle, shape=(H, W)):
            s = rle.split()
            starts, lengths = [np.asarray(v, dtype=int) for v in (s[0::2], s[1::2])]
            starts -= 1
            mask = np.zeros(shape[0] * shape[1], dtype=np.uint8)
            for lo, n in zip(starts, lengths):
                mask[lo:lo + n] = 1
            return mask.reshape(shape, order="F")


        masks = defaultdict(lambda: np.zeros((H, W), dtype=np.uint8))
        for row in csv.DictReader(open(f"{PATH}/train.csv")):
            image, label = row["Image_Label"].split("_")
            if row["EncodedPixels"]:
                # one mask per image: 0 = clear sky, k + 1 = cloud type k
                masks[image][rle2mask(row["EncodedPixels"]) == 1] = CLASSES.index(label) + 1
            else:
                masks[image]

        names = sorted(masks)
        x = np.stack([np.asarray(Image.open(f"{PATH}/train_images/{n}"), dtype="float32") / 255.0 for n in names])
        y = np.stack([masks[n] for n in names])
        print(x.shape, y.shape, np.unique(y))


        def conv(x, f):
            x = layers.Conv2D(f, 3, padding="same", activation="relu")(x)
            return layers.Conv2D(f, 3, padding="same", activation="relu")(x)


        inp = keras.Input((H, W, 3))
        c1 = conv(inp, 16)
        p1 = layers.MaxPooling2D()(c1)
        c2 = conv(p1, 32)
        u1 = layers.UpSampling2D()(c2)
        c3 = conv(layers.Concatenate()([u1, c1]), 16)
        out = layers.Conv2D(len(CLASSES), 1, activation="softmax")(c3)
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, batch_size=4, epochs=5, validation_split=0.25)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more48-severstal-rle-masks-merged-one-channel-four-class-head-dice-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=severstal,
        pty=True,
        code="""
        import csv
        from collections import defaultdict

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers, ops

        PATH = "{DATA}/severstal-steel-defect-detection"
        H, W, N_CLASSES = 32, 200, 4


        def rle2mask(mask_rle, shape=(H, W)):
            s = mask_rle.split()
            starts, lengths = [np.asarray(v, dtype=int) for v in (s[0::2], s[1::2])]
            starts -= 1
            ends = starts + lengths
            img = np.zeros(shape[0] * shape[1], dtype=np.uint8)
            for lo, hi in zip(starts, ends):
                img[lo:hi] = 1
            return img.reshape(shape, order="F")


        defects = defaultdict(list)
        for row in csv.DictReader(open(f"{PATH}/train.csv")):
            defects[row["ImageId"]].append((int(row["ClassId"]), row["EncodedPixels"]))
        image_ids = sorted(defects)

        X = np.zeros((len(image_ids), H, W, 3), dtype=np.float32)
        Y = np.zeros((len(image_ids), H, W), dtype=np.float32)
        for i, image_id in enumerate(image_ids):
            X[i] = np.asarray(tf.keras.utils.load_img(f"{PATH}/train_images/{image_id}"), np.float32) / 255.0
            for class_id, rle in defects[image_id]:
                Y[i] = np.maximum(Y[i], rle2mask(rle))
        print(X.shape, Y.shape)


        def dice_coef(y_true, y_pred, smooth=1.0):
            y_true_f = ops.reshape(y_true, [-1])
            y_pred_f = ops.reshape(y_pred, [-1])
            intersection = ops.sum(y_true_f * y_pred_f)
            return (2.0 * intersection + smooth) / (ops.sum(y_true_f) + ops.sum(y_pred_f) + smooth)


        def bce_dice_loss(y_true, y_pred):
            return keras.losses.binary_crossentropy(y_true, y_pred) + (1 - dice_coef(y_true, y_pred))


        inp = keras.Input((H, W, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.Conv2DTranspose(16, 2, strides=2, padding="same")(c2)
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(layers.Concatenate()([u1, c1]))
        out = layers.Conv2D(N_CLASSES, 1, activation="sigmoid")(c3)      # one mask per defect class
        model = keras.Model(inp, out)
        model.compile(optimizer="adam", loss=bce_dice_loss, metrics=[dice_coef])
        model.fit(X, Y, batch_size=4, epochs=5, validation_split=0.25)
        """,
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more48-aptos-qwk-metric-for-sparse-labels-given-smoothed-one-hot-k3",
        cause="data.label_shape",
        also=("model.api_misuse",),
        exception="ValueError",
        setup=aptos_train,
        pty=True,
        expect="Dimension 0 in both shapes must be equal",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        PATH = "{DATA}/aptos2019-blindness-detection"
        IMG, N_CLASSES = 64, 5


        class QuadraticWeightedKappa(keras.metrics.Metric):
            \"\"\"Streaming QWK (the competition metric), from a public kernel.\"\"\"

            def __init__(self, num_classes=5, name="qwk", **kwargs):
                super().__init__(name=name, **kwargs)
                self.num_classes = num_classes
                self.cm = self.add_weight(name="cm", shape=(num_classes, num_classes), initializer="zeros")
                n = num_classes
                self.w = tf.constant([[(i - j) ** 2 / (n - 1) ** 2 for j in range(n)] for i in range(n)],
                                     dtype="float32")

            def update_state(self, y_true, y_pred, sample_weight=None):
                y_true = tf.reshape(tf.cast(y_true, tf.int64), [-1])
                y_pred = tf.argmax(y_pred, axis=-1)
                cm = tf.math.confusion_matrix(y_true, y_pred, num_classes=self.num_classes, dtype=tf.float32)
                self.cm.assign_add(cm)

            def result(self):
                hist_true = tf.reduce_sum(self.cm, axis=1)
                hist_pred = tf.reduce_sum(self.cm, axis=0)
                expected = tf.tensordot(hist_true, hist_pred, axes=0) / tf.reduce_sum(self.cm)
                return 1.0 - tf.reduce_sum(self.w * self.cm) / (tf.reduce_sum(self.w * expected) + 1e-7)

            def reset_state(self):
                self.cm.assign(tf.zeros_like(self.cm))


        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        x = np.stack([np.asarray(keras.utils.load_img(f"{PATH}/train_images/{r['id_code']}.png",
                                                      target_size=(IMG, IMG)), "float32") for r in rows]) / 255.0
        # one-hot targets so that label smoothing can be used
        y = keras.utils.to_categorical([int(r["diagnosis"]) for r in rows], N_CLASSES)
        print(x.shape, y.shape)

        base = keras.applications.EfficientNetB0(include_top=False, weights=None, input_shape=(IMG, IMG, 3),
                                                 pooling="avg")
        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            base,
            layers.Dropout(0.4),
            layers.Dense(N_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.Adam(1e-4),
                      loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
                      metrics=["accuracy", QuadraticWeightedKappa(N_CLASSES)])
        model.fit(x, y, validation_split=0.2, batch_size=8, epochs=5)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more48-isic2019-tfrecords-age-float-parsed-as-int64-tfk2",
        cause="data.dtype",
        also=("data.missing_or_corrupt",),
        env="tfk2",
        exception="InvalidArgumentError",
        setup=isic2019_tfrec,
        expect="Data types don't match",
        code="""
        import re

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        AUTO = tf.data.experimental.AUTOTUNE
        IMAGE_SIZE = [48, 48]
        BATCH_SIZE = 8
        # external data: the ISIC 2019 images in the same TFRecord layout as the 2020 competition
        FILES = tf.io.gfile.glob("{DATA}/isic2019-tfrec-48/train*.tfrec")


        def count_data_items(filenames):
            n = [int(re.compile(r"-([0-9]*)\\.").search(f).group(1)) for f in filenames]
            return np.sum(n)


        def decode_image(image_data):
            image = tf.image.decode_jpeg(image_data, channels=3)
            image = tf.cast(image, tf.float32) / 255.0
            return tf.reshape(image, [*IMAGE_SIZE, 3])


        def read_labeled_tfrecord(example):
            tfrec_format = {
                "image": tf.io.FixedLenFeature([], tf.string),
                "image_name": tf.io.FixedLenFeature([], tf.string),
                "target": tf.io.FixedLenFeature([], tf.int64),
                "sex": tf.io.FixedLenFeature([], tf.int64),
                "age_approx": tf.io.FixedLenFeature([], tf.int64),
                "anatom_site_general_challenge": tf.io.FixedLenFeature([], tf.int64),
            }
            example = tf.io.parse_single_example(example, tfrec_format)
            meta = tf.stack([
                tf.cast(example["sex"], tf.float32),
                tf.cast(example["age_approx"], tf.float32) / 90.0,
                tf.cast(example["anatom_site_general_challenge"], tf.float32) / 5.0,
            ])
            return {"image": decode_image(example["image"]), "meta": meta}, example["target"]


        def get_dataset(files, shuffle=True):
            ds = tf.data.TFRecordDataset(files, num_parallel_reads=AUTO)
            if shuffle:
                ds = ds.shuffle(1024, seed=42)
            ds = ds.map(read_labeled_tfrecord, num_parallel_calls=AUTO)
            return ds.batch(BATCH_SIZE).prefetch(AUTO)


        N = count_data_items(FILES)
        print(f"{len(FILES)} files, {N} images")

        img_in = keras.Input((*IMAGE_SIZE, 3), name="image")
        meta_in = keras.Input((3,), name="meta")
        x = layers.Conv2D(16, 3, activation="relu")(img_in)
        x = layers.MaxPooling2D()(x)
        x = layers.Conv2D(32, 3, activation="relu")(x)
        x = layers.GlobalAveragePooling2D()(x)
        m = layers.Dense(8, activation="relu")(meta_in)
        x = layers.Concatenate()([x, m])
        out = layers.Dense(1, activation="sigmoid")(x)
        model = keras.Model([img_in, meta_in], out)
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(label_smoothing=0.05),
                      metrics=[keras.metrics.AUC(name="auc")])
        model.fit(get_dataset(FILES), epochs=3, steps_per_epoch=N // BATCH_SIZE)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more48-nb-pawpularity-mixed-float16-tf-concat-image-features-metadata-tfk2",
        cause="data.dtype",
        also=("model.api_misuse",),
        env="tfk2",
        exception="TypeError",
        expect="that don't all match",
        **notebook([
            """
            import csv
            import numpy as np
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers, mixed_precision

            mixed_precision.set_global_policy("mixed_float16")     # 2x faster on the T4
            PATH = "{DATA}/petfinder-pawpularity-score"
            """,
            """
            rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
            META = [c for c in rows[0] if c not in ("Id", "Pawpularity")]
            meta = np.array([[float(r[c]) for c in META] for r in rows], dtype="float32")
            target = np.array([float(r["Pawpularity"]) for r in rows], dtype="float32") / 100.0
            images = np.stack([np.asarray(keras.utils.load_img(f"{PATH}/train/{r['Id']}.jpg", target_size=(64, 64)))
                               for r in rows]).astype("float32")
            print(images.shape, meta.shape, target.shape)
            """,
            """
            def build_model(img_size=64, n_meta=len(META)):
                img_in = keras.Input((img_size, img_size, 3), name="image")
                meta_in = keras.Input((n_meta,), name="meta")
                base = keras.applications.EfficientNetB0(include_top=False, weights=None,
                                                         input_shape=(img_size, img_size, 3), pooling="avg")
                x = base(img_in)
                x = tf.concat([x, meta_in], axis=-1)
                x = layers.Dense(64, activation="relu")(x)
                out = layers.Dense(1, activation="sigmoid", dtype="float32")(x)
                model = keras.Model([img_in, meta_in], out)
                model.compile(optimizer=keras.optimizers.Adam(2e-4), loss="binary_crossentropy",
                              metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])
                return model


            model = build_model()
            model.summary()
            """,
            """
            model.fit({"image": images, "meta": meta}, target, batch_size=8, epochs=3, validation_split=0.25)
            """,
        ], data=pawpularity),
    ),
    # =================================================================== data.missing_or_corrupt
    Case(
        name="keras-more48-rsna-pneumonia-dcm-files-into-decode-image-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        setup=rsna_dicom,
        expect="Unknown image file format",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        ROOT = "{DATA}/rsna-pneumonia-detection-challenge"
        IMAGE_DIR = f"{ROOT}/stage_2_train_images"
        IMG = 64
        AUTO = tf.data.AUTOTUNE

        labels = {}
        for row in csv.DictReader(open(f"{ROOT}/stage_2_train_labels.csv")):
            labels[row["patientId"]] = max(labels.get(row["patientId"], 0), int(row["Target"]))
        ids = sorted(labels)
        paths = [f"{IMAGE_DIR}/{pid}.dcm" for pid in ids]
        y = np.array([labels[pid] for pid in ids], dtype="float32")
        print(len(paths), "patients,", int(y.sum()), "with pneumonia")

        n_val = len(paths) // 4
        neg, pos = (y == 0).sum(), (y == 1).sum()
        class_weight = {0: len(y) / (2 * neg), 1: len(y) / (2 * pos)}


        def load(path, label):
            image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
            image = tf.image.resize(image, (IMG, IMG)) / 255.0
            return image, label


        train_ds = (tf.data.Dataset.from_tensor_slices((paths[n_val:], y[n_val:]))
                    .shuffle(64, seed=1).map(load, num_parallel_calls=AUTO).batch(8).prefetch(AUTO))
        val_ds = tf.data.Dataset.from_tensor_slices((paths[:n_val], y[:n_val])).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
        model.fit(train_ds, validation_data=val_ds, epochs=5, class_weight=class_weight)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more48-isic-metadata-input-sized-before-site-one-hot-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=isic2020,
        expect="incompatible",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        PATH = "{DATA}/siim-isic-melanoma-classification"
        IMG = 48
        META_COLS = ["sex", "age_approx", "anatom_site_general_challenge"]
        SITES = ["head/neck", "upper extremity", "lower extremity", "torso", "palms/soles", "oral/genital"]

        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))


        def encode_meta(r):
            sex = {"male": 1.0, "female": 0.0}.get(r["sex"], 0.5)
            age = float(r["age_approx"] or 50) / 90.0
            site = [float(r["anatom_site_general_challenge"] == s) for s in SITES]
            site.append(float(r["anatom_site_general_challenge"] == ""))          # unknown site
            return [sex, age, *site]


        meta = np.array([encode_meta(r) for r in rows], dtype="float32")
        paths = [f"{PATH}/jpeg/train/{r['image_name']}.jpg" for r in rows]
        target = np.array([int(r["target"]) for r in rows], dtype="float32")
        print("meta", meta.shape, "positives", int(target.sum()))


        def load(path, meta, label):
            image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            image = tf.image.resize(image, (IMG, IMG)) / 255.0
            return {"image": image, "meta": meta}, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, meta, target))
              .shuffle(len(paths), seed=7).map(load).batch(8))


        def build_model():
            img_in = keras.Input((IMG, IMG, 3), name="image")
            meta_in = keras.Input((len(META_COLS),), name="meta")
            x = layers.Conv2D(16, 3, activation="relu")(img_in)
            x = layers.MaxPooling2D()(x)
            x = layers.Conv2D(32, 3, activation="relu")(x)
            x = layers.GlobalAveragePooling2D()(x)
            m = layers.Dense(16, activation="relu")(meta_in)
            m = layers.BatchNormalization()(m)
            x = layers.Concatenate()([x, m])
            x = layers.Dropout(0.3)(x)
            out = layers.Dense(1, activation="sigmoid")(x)
            return keras.Model({"image": img_in, "meta": meta_in}, out)


        model = build_model()
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.AUC(name="auc")])
        model.fit(ds, epochs=5, class_weight={0: 1.0, 1: 4.0})
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more48-nb-cassava-tta-views-stacked-before-batch-k3",
        cause="model.input_shape",
        exception="ValueError",
        expect="64, 64, 3)",
        **notebook([
            """
            import csv
            import json
            import os
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers

            PATH = "{DATA}/cassava-leaf-disease-classification"
            IMG, N_CLASSES, AUTO = 64, 5, tf.data.AUTOTUNE
            rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
            x = np.stack([np.asarray(keras.utils.load_img(f"{PATH}/train_images/{r['image_id']}"), "float32")
                          for r in rows])
            y = np.array([int(r["label"]) for r in rows])
            print(x.shape, np.bincount(y))
            """,
            """
            model = keras.Sequential([
                keras.Input((IMG, IMG, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(N_CLASSES, activation="softmax"),
            ])
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, batch_size=8, epochs=2, verbose=2)
            """,
            """
            TTA = 4
            test_ids = sorted(os.listdir(f"{PATH}/test_images"))


            def load_test(image_id):
                image = tf.io.decode_jpeg(tf.io.read_file(PATH + "/test_images/" + image_id), channels=3)
                return tf.cast(tf.image.resize(image, (IMG, IMG)), tf.float32), image_id


            def tta_views(image, image_id):
                views = [image,
                         tf.image.flip_left_right(image),
                         tf.image.flip_up_down(image),
                         tf.image.rot90(image)]
                return tf.stack(views), image_id


            test_ds = (tf.data.Dataset.from_tensor_slices(test_ids)
                       .map(load_test, num_parallel_calls=AUTO)
                       .map(tta_views, num_parallel_calls=AUTO)
                       .batch(8)
                       .prefetch(AUTO))
            probs = model.predict(test_ds.map(lambda views, image_id: views))
            probs = probs.reshape(len(test_ids), TTA, N_CLASSES).mean(axis=1)
            """,
            """
            with open("submission.csv", "w") as f:
                f.write("image_id,label\\n")
                for image_id, p in zip(test_ids, probs.argmax(1)):
                    f.write(f"{image_id},{p}\\n")
            print(open("submission.csv").read())
            """,
        ], data=cassava),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more48-plant-pathology-2021-six-labels-2020-four-unit-head-tfk2",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        env="tfk2",
        exception="ValueError",
        setup=plant_pathology_2021,
        pty=True,
        expect="must have the same shape",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        PATH = "{DATA}/plant-pathology-2021-fgvc8"
        IMG = 64
        AUTO = tf.data.experimental.AUTOTUNE

        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        LABELS = sorted({l for r in rows for l in r["labels"].split()})
        print(len(LABELS), "labels:", LABELS)
        y = np.array([[float(l in r["labels"].split()) for l in LABELS] for r in rows], dtype="float32")
        paths = [f"{PATH}/train_images/{r['image']}" for r in rows]


        def load(path, label):
            img = tf.image.decode_jpeg(tf.io.read_file(path), channels=3)
            img = tf.image.resize(img, (IMG, IMG)) / 255.0
            img = tf.image.random_flip_left_right(img)
            return img, label


        n_val = len(paths) // 5
        train_ds = (tf.data.Dataset.from_tensor_slices((paths[n_val:], y[n_val:]))
                    .shuffle(256, seed=2021).map(load, num_parallel_calls=AUTO).batch(8).prefetch(AUTO))
        val_ds = tf.data.Dataset.from_tensor_slices((paths[:n_val], y[:n_val])).map(load).batch(8)


        # model from last year's Plant Pathology (2020) notebook
        def build_model():
            base = keras.applications.DenseNet121(include_top=False, weights=None, input_shape=(IMG, IMG, 3))
            model = keras.Sequential([
                base,
                layers.GlobalAveragePooling2D(),
                layers.Dense(4, activation="sigmoid"),
            ])
            return model


        model = build_model()
        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="binary_crossentropy",
                      metrics=[keras.metrics.AUC(multi_label=True, name="auc")])
        model.fit(train_ds, validation_data=val_ds, epochs=5)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more48-nb-aptos-regression-fold-weights-into-five-class-head-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        **notebook([
            """
            import csv
            import glob
            import numpy as np
            import tensorflow as tf
            import keras
            from keras import layers

            TEST = "{DATA}/aptos2019-blindness-detection"
            WEIGHTS = sorted(glob.glob("{DATA}/aptos-effb0-folds/*.weights.h5"))
            IMG, N_CLASSES = 64, 5
            test_ids = [r["id_code"] for r in csv.DictReader(open(f"{TEST}/test.csv"))]
            print(len(test_ids), "test images,", len(WEIGHTS), "fold models")
            """,
            """
            def build_model():
                base = keras.applications.EfficientNetB0(include_top=False, weights=None,
                                                         input_shape=(IMG, IMG, 3))
                inp = keras.Input((IMG, IMG, 3))
                x = base(inp)
                x = layers.GlobalAveragePooling2D()(x)
                x = layers.Dropout(0.3)(x)
                out = layers.Dense(N_CLASSES, activation="softmax")(x)
                return keras.Model(inp, out)


            x_test = np.stack([np.asarray(keras.utils.load_img(f"{TEST}/test_images/{i}.png",
                                                               target_size=(IMG, IMG)), "float32")
                               for i in test_ids])
            """,
            """
            preds = np.zeros((len(test_ids), N_CLASSES))
            for path in WEIGHTS:
                model = build_model()
                model.load_weights(path)
                preds += model.predict(x_test, verbose=0) / len(WEIGHTS)
            diagnosis = preds.argmax(1)
            """,
        ], data=aptos_folds),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more48-cassava-reduce-lr-on-plateau-with-cosine-decay-schedule-k3",
        cause="model.api_misuse",
        exception="TypeError",
        setup=cassava,
        pty=True,
        expect="LearningRateSchedule",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        PATH = "{DATA}/cassava-leaf-disease-classification"
        IMG, N_CLASSES, BATCH, EPOCHS = 64, 5, 8, 12
        AUTO = tf.data.AUTOTUNE
        keras.utils.set_random_seed(42)

        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        paths = np.array([f"{PATH}/train_images/{r['image_id']}" for r in rows])
        labels = np.array([int(r["label"]) for r in rows])
        val_mask = np.arange(len(rows)) % 5 == 0


        def load(path, label):
            img = tf.image.decode_jpeg(tf.io.read_file(path), channels=3)
            return tf.image.resize(img, (IMG, IMG)), label


        def make_ds(p, l, training):
            ds = tf.data.Dataset.from_tensor_slices((p, l))
            if training:
                ds = ds.shuffle(len(p), seed=42)
            return ds.map(load, num_parallel_calls=AUTO).batch(BATCH).prefetch(AUTO)


        train_ds = make_ds(paths[~val_mask], labels[~val_mask], True)
        val_ds = make_ds(paths[val_mask], labels[val_mask], False)

        steps = int(np.ceil((~val_mask).sum() / BATCH))
        schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=steps * EPOCHS, alpha=0.01)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Rescaling(1.0 / 255),
            layers.RandomFlip("horizontal"),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.3),
            layers.Dense(N_CLASSES, activation="softmax"),
        ])
        model.compile(optimizer=keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-4),
                      loss=keras.losses.SparseCategoricalCrossentropy(),
                      metrics=["accuracy"])

        callbacks = [
            keras.callbacks.ModelCheckpoint("cassava_best.weights.h5", monitor="val_accuracy",
                                            save_best_only=True, save_weights_only=True),
            keras.callbacks.ReduceLROnPlateau(monitor="val_accuracy", factor=0.5, patience=1, verbose=1),
            keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=4, restore_best_weights=True),
        ]
        model.fit(train_ds, validation_data=val_ds, epochs=EPOCHS, callbacks=callbacks)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more48-kfold-history-key-val-auc-renamed-auc-1-second-fold-tfk2",
        cause="model.api_misuse",
        also=("other",),
        env="tfk2",
        exception="KeyError",
        setup=isic2020,
        expect="KeyError: 'val_auc'",
        code="""
        import csv

        import numpy as np
        from PIL import Image
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        PATH = "{DATA}/siim-isic-melanoma-classification"
        N_FOLDS, SEED = 4, 42
        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        X = np.stack([np.asarray(Image.open(f"{PATH}/jpeg/train/{r['image_name']}.jpg"), np.float32) / 255.0
                      for r in rows])
        y = np.array([int(r["target"]) for r in rows])
        folds = np.random.RandomState(SEED).permutation(len(y)) % N_FOLDS


        def build_model():
            model = keras.Sequential([
                layers.Conv2D(16, 3, activation="relu", input_shape=X.shape[1:]),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.AUC()])
            return model


        oof_auc = []
        for fold in range(N_FOLDS):
            trn, val = folds != fold, folds == fold
            model = build_model()
            history = model.fit(X[trn], y[trn], validation_data=(X[val], y[val]), batch_size=8, epochs=2,
                                verbose=2)
            best = int(np.argmax(history.history["val_auc"]))
            oof_auc.append(history.history["val_auc"][best])
            print(f"fold {fold}: best epoch {best + 1}, val AUC {oof_auc[-1]:.4f}")

        print("CV AUC", np.mean(oof_auc))
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more48-cassava-tfa-f1score-num-classes-kept-for-keras-f1score-k3",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="TypeError",
        setup=cassava,
        expect="num_classes",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        # tensorflow_addons is end-of-life: its F1Score moved into keras.metrics
        # import tensorflow_addons as tfa
        PATH = "{DATA}/cassava-leaf-disease-classification"
        IMG, N_CLASSES = 64, 5

        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        x = np.stack([np.asarray(keras.utils.load_img(f"{PATH}/train_images/{r['image_id']}"), "float32")
                      for r in rows])
        y = keras.utils.to_categorical([int(r["label"]) for r in rows], N_CLASSES)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(N_CLASSES, activation="softmax"),
        ])
        model.compile(
            optimizer="adam",
            loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1),
            metrics=["accuracy", keras.metrics.F1Score(num_classes=N_CLASSES, average="macro", name="f1")],
        )
        model.fit(x, y, validation_split=0.2, batch_size=8, epochs=5)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more48-two-gpu-template-sync-batchnorm-experimental-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=cassava,
        expect="experimental",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf

        PATH = "{DATA}/cassava-leaf-disease-classification"
        IMG, N_CLASSES = 64, 5

        strategy = tf.distribute.MirroredStrategy()       # Kaggle "GPU T4 x2"
        print("Number of replicas:", strategy.num_replicas_in_sync)
        BATCH = 8 * strategy.num_replicas_in_sync

        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        x = np.stack([np.asarray(tf.keras.utils.load_img(f"{PATH}/train_images/{r['image_id']}"), "float32")
                      for r in rows]) / 255.0
        y = np.array([int(r["label"]) for r in rows])


        def conv_bn(x, filters):
            x = tf.keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
            # sync the batch statistics across the two GPUs (small per-GPU batches)
            x = tf.keras.layers.experimental.SyncBatchNormalization()(x)
            return tf.keras.layers.Activation("relu")(x)


        with strategy.scope():
            inp = tf.keras.Input((IMG, IMG, 3))
            x = conv_bn(inp, 16)
            x = tf.keras.layers.MaxPooling2D()(x)
            x = conv_bn(x, 32)
            x = tf.keras.layers.GlobalAveragePooling2D()(x)
            out = tf.keras.layers.Dense(N_CLASSES, activation="softmax")(x)
            model = tf.keras.Model(inp, out)
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

        model.fit(x, y, batch_size=BATCH, epochs=5, validation_split=0.2)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more48-pawpularity-oof-blend-lstsq-after-sgd-model-went-nan-k3",
        cause="optim.divergence",
        exception="LinAlgError",
        setup=pawpularity,
        pty=True,
        expect="SVD did not converge",
        code="""
        import csv

        import numpy as np
        import keras
        from keras import layers

        PATH = "{DATA}/petfinder-pawpularity-score"
        N_FOLDS = 2
        keras.utils.set_random_seed(0)

        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        META = [c for c in rows[0] if c not in ("Id", "Pawpularity")]
        X = np.stack([np.asarray(keras.utils.load_img(f"{PATH}/train/{r['Id']}.jpg"), "float32") for r in rows])
        M = np.array([[float(r[c]) for c in META] for r in rows], dtype="float32")
        y = np.array([float(r["Pawpularity"]) for r in rows], dtype="float32")
        folds = np.arange(len(y)) % N_FOLDS


        def cnn_a():
            img = keras.Input((64, 64, 3))
            meta = keras.Input((len(META),))
            x = layers.Rescaling(1.0 / 255)(img)
            x = layers.Conv2D(16, 3, activation="relu")(x)
            x = layers.GlobalAveragePooling2D()(x)
            x = layers.Concatenate()([x, meta])
            out = layers.Dense(1)(x)
            model = keras.Model([img, meta], out)
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse",
                          metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])
            return model


        def mlp_b():
            # second model for the blend: a quick MLP baseline on the raw pixels + metadata, plain SGD
            img = keras.Input((64, 64, 3))
            meta = keras.Input((len(META),))
            x = layers.Flatten()(img)
            x = layers.Concatenate()([x, meta])
            x = layers.Dense(64)(x)
            x = layers.Dropout(0.2)(x)
            out = layers.Dense(1)(x)
            model = keras.Model([img, meta], out)
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse",
                          metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])
            return model


        oof = np.zeros((len(y), 2), dtype="float32")
        for k, build in enumerate([cnn_a, mlp_b]):
            for fold in range(N_FOLDS):
                trn, val = folds != fold, folds == fold
                model = build()
                model.fit([X[trn], M[trn]], y[trn], validation_data=([X[val], M[val]], y[val]),
                          batch_size=4, epochs=4)
                oof[val, k] = model.predict([X[val], M[val]], verbose=0)[:, 0]
            print(f"model {k}: OOF RMSE {np.sqrt(np.mean((oof[:, k] - y) ** 2)):.3f}")

        # blend weights fitted on the out-of-fold predictions
        weights, *_ = np.linalg.lstsq(np.c_[oof, np.ones(len(y))], y, rcond=None)
        print("blend weights", weights)
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more48-cassava-sam-train-step-second-gradient-from-same-tape-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        setup=cassava,
        pty=True,
        expect="non-persistent GradientTape",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        PATH = "{DATA}/cassava-leaf-disease-classification"
        IMG, N_CLASSES = 64, 5


        class SAMModel(keras.Model):
            \"\"\"Sharpness-Aware Minimization (Foret et al. 2020), as in the Kaggle kernels.\"\"\"

            def __init__(self, backbone, rho=0.05, **kwargs):
                super().__init__(**kwargs)
                self.backbone = backbone
                self.rho = rho

            def call(self, x, training=False):
                return self.backbone(x, training=training)

            def train_step(self, data):
                x, y = data
                params = self.backbone.trainable_variables
                with tf.GradientTape() as tape:
                    y_pred = self.backbone(x, training=True)
                    loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
                grads = tape.gradient(loss, params)

                # climb to the local worst case w + e(w)
                grad_norm = tf.linalg.global_norm(grads)
                e_ws = []
                for g, p in zip(grads, params):
                    e_w = g * self.rho / (grad_norm + 1e-12)
                    p.assign_add(e_w)
                    e_ws.append(e_w)

                # gradient at the perturbed weights
                y_pred = self.backbone(x, training=True)
                loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
                sam_grads = tape.gradient(loss, params)

                for p, e_w in zip(params, e_ws):
                    p.assign_sub(e_w)
                self.optimizer.apply_gradients(zip(sam_grads, params))
                for m in self.metrics:
                    if m.name != "loss":
                        m.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}


        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        x = np.stack([np.asarray(keras.utils.load_img(f"{PATH}/train_images/{r['image_id']}"), "float32")
                      for r in rows]) / 255.0
        y = np.array([int(r["label"]) for r in rows])

        backbone = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(N_CLASSES, activation="softmax"),
        ])
        model = SAMModel(backbone)
        model.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, batch_size=8, epochs=5)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more48-nb-severstal-full-size-train-arrays-preallocated-k3",
        cause="resource.host_memory",
        exception="MemoryError",
        expect="Unable to allocate",
        **notebook([
            """
            import csv
            import numpy as np
            import tensorflow as tf
            import keras

            PATH = "{DATA}/severstal-steel-defect-detection"
            rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
            image_ids = sorted({r["ImageId_ClassId"].rsplit("_", 1)[0] for r in rows})
            print(len(rows), "rows,", len(image_ids), "images")
            """,
            """
            H, W = 256, 1600
            # load everything once, so the epochs don't wait for JPEG decoding
            X = np.zeros((len(image_ids), H, W, 3), dtype=np.float32)
            Y = np.zeros((len(image_ids), H, W, 4), dtype=np.float32)
            print(X.nbytes / 1e9, "GB")
            """,
        ], data=severstal_2019_csv),
    ),
    # =================================================================== env.distributed
    Case(
        name="keras-more48-kfold-strategy-recreated-each-fold-metrics-from-first-scope-k3",
        cause="env.distributed",
        also=("model.api_misuse",),
        exception="RuntimeError",
        setup=isic2020,
        expect="Mixing different tf.distribute.Strategy objects",
        code="""
        import csv

        import numpy as np
        import tensorflow as tf
        import keras
        from keras import layers

        PATH = "{DATA}/siim-isic-melanoma-classification"
        FOLDS, IMG = 3, 48


        def get_strategy():
            try:
                tpu = tf.distribute.cluster_resolver.TPUClusterResolver()
                tf.config.experimental_connect_to_cluster(tpu)
                tf.tpu.experimental.initialize_tpu_system(tpu)
                return tf.distribute.TPUStrategy(tpu)
            except ValueError:
                return tf.distribute.MirroredStrategy()      # GPU(s), or the CPU


        strategy = get_strategy()
        print("REPLICAS:", strategy.num_replicas_in_sync)
        with strategy.scope():
            METRICS = [keras.metrics.AUC(name="auc"), keras.metrics.BinaryAccuracy(name="acc")]

        rows = list(csv.DictReader(open(f"{PATH}/train.csv")))
        X = np.stack([np.asarray(keras.utils.load_img(f"{PATH}/jpeg/train/{r['image_name']}.jpg"), "float32")
                      for r in rows]) / 255.0
        y = np.array([int(r["target"]) for r in rows], dtype="float32")
        fold_of = np.arange(len(y)) % FOLDS


        def build_model():
            model = keras.Sequential([
                keras.Input((IMG, IMG, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=METRICS)
            return model


        for fold in range(FOLDS):
            print(f"##### FOLD {fold}")
            keras.backend.clear_session()
            strategy = get_strategy()          # fresh TPU / GPU state for every fold
            with strategy.scope():
                model = build_model()
            trn, val = fold_of != fold, fold_of == fold
            model.fit(X[trn], y[trn], validation_data=(X[val], y[val]), batch_size=8, epochs=3, verbose=2)
            model.save_weights(f"fold{fold}.weights.h5")
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more48-nb-tgs-salt-submission-rle-join-of-int-runs-k3",
        cause="other",
        exception="TypeError",
        expect="expected str instance",
        **notebook([
            """
            import csv
            import glob
            import os
            import numpy as np
            from PIL import Image
            import keras
            from keras import layers

            PATH = "{DATA}/tgs-salt-identification-challenge"
            ids = sorted(os.path.basename(p)[:-4] for p in glob.glob(f"{PATH}/train/images/*.png"))
            X = np.stack([np.asarray(Image.open(f"{PATH}/train/images/{i}.png"), "float32")[..., None] / 255.0
                          for i in ids])
            Y = np.stack([(np.asarray(Image.open(f"{PATH}/train/masks/{i}.png")) > 127).astype("float32")[..., None]
                          for i in ids])
            print(X.shape, Y.shape, Y.mean())
            """,
            """
            inp = keras.Input((101, 101, 1))
            x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
            x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
            out = layers.Conv2D(1, 1, activation="sigmoid")(x)
            model = keras.Model(inp, out)
            model.compile(optimizer="adam", loss="binary_crossentropy",
                          metrics=[keras.metrics.BinaryIoU(target_class_ids=[1], name="iou")])
            model.fit(X, Y, batch_size=8, epochs=2, verbose=2)
            """,
            """
            test_ids = [r["id"] for r in csv.DictReader(open(f"{PATH}/sample_submission.csv"))]
            X_test = np.stack([np.asarray(Image.open(f"{PATH}/test/images/{i}.png"), "float32")[..., None] / 255.0
                               for i in test_ids])
            # TTA: average with the horizontally flipped prediction
            p = model.predict(X_test, verbose=0)
            p_flip = model.predict(X_test[:, :, ::-1], verbose=0)[:, :, ::-1]
            preds = (p + p_flip) / 2
            masks = (preds[..., 0] > 0.5).astype(np.uint8)
            print(masks.shape, masks.mean())
            """,
            """
            def rle_encode(img):
                pixels = img.T.flatten()
                pixels = np.concatenate([[0], pixels, [0]])
                runs = np.where(pixels[1:] != pixels[:-1])[0] + 1
                runs[1::2] -= runs[::2]
                return " ".join(runs)


            with open("submission.csv", "w", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["id", "rle_mask"])
                for i, m in zip(test_ids, masks):
                    writer.writerow([i, rle_encode(m)])
            """,
        ], data=tgs_salt),
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
