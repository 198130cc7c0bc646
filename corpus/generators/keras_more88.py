"""An eighty-eighth held-out set (g207, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of Keras / TensorFlow failures: medical imaging researchers and clinic data scientists.

Untargeted held-out Keras / TensorFlow failures (g207) of medical imaging researchers and clinic data
scientists training classifiers and segmenters with Keras 3 and tf_keras 2, in notebooks on a hospital
workstation or Kaggle and in small scripts: dermatology photos and dermoscopy (HAM10000, ISIC 2018 / 2019
exports), chest X-rays (NIH ChestX-ray14, the paediatric pneumonia set, VinBigData), retinal fundus images
(APTOS, DRIVE), histopathology tiles (PatchCamelyon, CAMELYON tiles cut with OpenSlide, PANDA, BCSS,
MIDOG, BreakHis) and ultrasound (BUSI, HC18, thyroid nodules, echocardiography clips), with data coming from
Kaggle downloads, Zenodo archives, PACS exports and the lab's shared drive, spread over the cause ids of
the taxonomy:

- files: HAM10000 images looked up in ``HAM10000_images_part_1`` only, while half of the metadata rows
  point into ``part_2`` (notebook); the PatchCamelyon ``.h5.gz`` files from Zenodo opened with ``h5py``
  without unpacking them (terminal);
- image sizes: APTOS fundus photos resized first and then cropped to the retina (the Kaggle
  ``crop_image_from_gray``), crops of different sizes put into one array; ISIC 2018 lesion photos
  resized in the ``tf.data`` map while their masks are not, batched (tf_keras, terminal);
- channels: CAMELYON tiles written from OpenSlide ``read_region`` (RGBA) read with PIL for an RGB tile
  classifier (terminal); DRIVE vessel patches reduced to the green channel given to the U-Net copied from
  the RGB lesion notebook (tf_keras notebook);
- boxes: VinBigData "No finding" rows with empty box fields decoded by ``tf.io.decode_csv`` with ``0.0``
  defaults and cut with ``crop_to_bounding_box``;
- too few boxes: k-means++ anchors for a mitosis detector on MIDOG boxes, which are all 50 x 50 px
  (sampling probabilities 0 / 0);
- labels: PANDA ISUP grades 0 ... 5 for a five-unit head sized by the grade groups 1 ... 5 (terminal);
  ISIC 2019 ground-truth columns (with SCC) argmax'd into class ids for the seven-class HAM10000 model
  (tf_keras);
- label shapes: BUSI masks globbed with ``*_mask*.png`` (lesions with a second ``_mask_1`` file) next to
  the images (notebook);
- dtypes: chest X-ray histogram equalisation with ``tf.histogram_fixed_width`` on the uint8 decoded image
  and a float value range; log-domain despeckling (``tf.math.log1p``) of uint8 thyroid ultrasound frames
  in the ``tf.data`` map (tf_keras);
- model inputs: whole echo clips given to the frame-by-frame view classifier (notebook);
- model outputs: a BCSS tissue segmenter whose head has one channel per tissue class, without the
  background class that ``to_categorical`` counts;
- weights: the ISIC image + metadata model's ``.weights.h5`` loaded into the image-only app model;
- API: ``DenseNet121(weights="imagenet", input_shape=(512, 512, 3))`` for fundus grading with the default
  ``include_top``;
- divergence: an HC18 head-circumference regressor on raw pixels and raw millimetres under SGD, its NaN
  predictions turned into gestational weeks and days (terminal);
- gradients: a two-scale histopathology model that brings the 20x features to the 5x grid with an
  ``area`` resize (no gradient for ``ResizeArea``);
- host memory: Macenko stain vectors from ``np.linalg.svd`` of every tissue pixel's optical density with
  the default ``full_matrices=True``;
- versions: ``evaluate_generator`` after a Keras 3 ``fit`` in the pneumonia script (terminal); Keras 3's
  ``RandomErasing`` for hair-occlusion augmentation on the legacy-Keras workstation (tf_keras);
- workers: ``multiprocessing.set_start_method("spawn")`` in a notebook cell after an earlier cell's
  ``Pool`` fixed the start method (notebook);
- plain bugs: a patient-level split drawn with ``random.sample`` from a ``set`` of patient IDs.

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more88.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g207): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more88.py"

HAM_DX = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"]
ISIC2019 = ["MEL", "NV", "BCC", "AK", "BKL", "DF", "VASC", "SCC", "UNK"]
BCSS = ["tumor", "stroma", "inflammatory", "necrosis", "other"]      # mask values 1 .. 5, 0 = background
VINBIG = ["Aortic enlargement", "Atelectasis", "Calcification", "Cardiomegaly", "Consolidation", "ILD",
          "Infiltration", "Lung Opacity", "Nodule/Mass", "Other lesion", "Pleural effusion",
          "Pleural thickening", "Pneumothorax", "Pulmonary fibrosis"]
CXR14 = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule", "Pneumonia",
         "Pneumothorax", "No Finding"]


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _grey(r, h, w, block=4, lo=20, hi=230):
    """A blocky greyscale image (uint8, h x w), an X-ray or ultrasound stand-in."""
    import numpy as np
    small = r.integers(lo, hi, size=(-(-h // block), -(-w // block)), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _ellipse(h, w, cy, cx, ry, rx):
    import numpy as np
    yy, xx = np.mgrid[:h, :w]
    return ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2 <= 1.0


def _save(path: Path, arr, quality=90, mode=None):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.fromarray(arr)
    if mode:
        img = img.convert(mode)
    if path.suffix.lower() in (".jpg", ".jpeg"):
        img.save(path, format="JPEG", quality=quality)
    else:
        img.save(path)


def _csv(path: Path, rows):
    import csv
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)


def ham10000_two_parts(d: Path):
    """ham10000/HAM10000_metadata.csv and the images split over HAM10000_images_part_1 / part_2 (as on Kaggle)."""
    r = _rng(8801)
    root = d / "ham10000"
    rows = [["lesion_id", "image_id", "dx", "dx_type", "age", "sex", "localization"]]
    ids = sorted(set(int(v) for v in r.integers(24306, 34320, 60)))[:40]
    order = r.permutation(len(ids))
    for n, k in enumerate(order):
        iid = ids[k]
        part = "HAM10000_images_part_1" if iid < 29306 else "HAM10000_images_part_2"
        _save(root / part / f"ISIC_{iid:07d}.jpg", _blocky_rgb(r, 90, 120, block=6))
        rows.append([f"HAM_{n * 37 + 11:07d}", f"ISIC_{iid:07d}", HAM_DX[int(r.integers(0, 7))],
                     ["histo", "follow_up", "consensus"][n % 3], float(5 * int(r.integers(6, 17))),
                     ["male", "female"][n % 2], ["back", "lower extremity", "trunk", "face"][n % 4]])
    rows[1:] = sorted(rows[1:])
    _csv(root / "HAM10000_metadata.csv", rows)


def pcam_gz(d: Path):
    """pcam/camelyonpatch_level_2_split_{train,valid}_{x,y}.h5.gz as downloaded from Zenodo."""
    import gzip
    import h5py
    import numpy as np
    r = _rng(8802)
    (d / "pcam").mkdir(parents=True, exist_ok=True)
    for split, n in (("train", 64), ("valid", 16)):
        xs = np.stack([_blocky_rgb(r, 96, 96, block=4) for _ in range(n)])
        ys = r.integers(0, 2, (n, 1, 1, 1)).astype(np.uint8)
        for xy, arr in (("x", xs), ("y", ys)):
            tmp = d / "pcam" / f"_{split}_{xy}.h5"
            with h5py.File(tmp, "w") as f:
                f.create_dataset(xy, data=arr)
            with open(tmp, "rb") as src, gzip.open(d / "pcam" / f"camelyonpatch_level_2_split_{split}_{xy}.h5.gz",
                                                   "wb") as dst:
                dst.write(src.read())
            tmp.unlink()


def aptos_fundus(d: Path):
    """aptos/train_images/<id>.png: a retina on black, from two camera formats (wide and square), train.csv."""
    import numpy as np
    r = _rng(8803)
    rows = [["id_code", "diagnosis"]]
    for i in range(24):
        wide = i % 3 != 1
        h, w = (180, 240) if wide else (160, 160)
        rad = 90 if wide else 70
        img = np.clip(r.normal(3, 2, (h, w, 3)), 0, 255).astype(np.uint8)
        disc = _ellipse(h, w, h / 2, w / 2, rad, rad)
        tex = _blocky_rgb(r, h, w, block=6)
        tex[..., 0] = 120 + tex[..., 0] // 2
        img[disc] = tex[disc]
        code = f"{int(r.integers(0, 16**12)):012x}"
        _save(d / "aptos" / "train_images" / f"{code}.png", img)
        rows.append([code, int(r.integers(0, 5))])
    _csv(d / "aptos" / "train.csv", rows)


def isic2018_seg(d: Path):
    """ISIC 2018 task 1: photos of several sizes and *_segmentation.png masks of the same size as each photo."""
    import numpy as np
    r = _rng(8804)
    root = d / "isic2018"
    sizes = [(120, 160), (150, 200), (144, 192), (135, 180)]
    for i in range(24):
        h, w = sizes[i % 4]
        name = f"ISIC_{i * 13 + 24:07d}"
        _save(root / "ISIC2018_Task1-2_Training_Input" / f"{name}.jpg", _blocky_rgb(r, h, w, block=6))
        m = _ellipse(h, w, h * r.uniform(0.4, 0.6), w * r.uniform(0.4, 0.6), h * r.uniform(0.15, 0.3),
                     w * r.uniform(0.15, 0.3))
        _save(root / "ISIC2018_Task1_Training_GroundTruth" / f"{name}_segmentation.png", (m * 255).astype(np.uint8))


def camelyon_rgba_tiles(d: Path):
    """camelyon_tiles/<slide>/<slide>_<x>_<y>.png (RGBA, as read_region returns them) and tiles.csv."""
    import numpy as np
    r = _rng(8805)
    rows = [["tile", "slide", "label"]]
    for s, lab in (("tumor_009", "tumor"), ("tumor_031", "tumor"), ("normal_014", "normal"), ("normal_102", "normal")):
        for k in range(10):
            x, y = int(r.integers(200, 900)) * 96, int(r.integers(200, 900)) * 96
            rgba = np.concatenate([_blocky_rgb(r, 96, 96, block=4), np.full((96, 96, 1), 255, np.uint8)], axis=-1)
            name = f"{s}/{s}_{x}_{y}.png"
            _save(d / "camelyon_tiles" / name, rgba)
            rows.append([name, s, lab if k % 4 else "normal"])
    _csv(d / "camelyon_tiles" / "tiles.csv", rows)


def drive_vessels(d: Path):
    """drive/training/images/NN_training.tif (RGB) and drive/training/1st_manual/NN_manual1.gif (vessel masks)."""
    import numpy as np
    r = _rng(8806)
    for n in range(21, 33):
        img = _blocky_rgb(r, 128, 128, block=4)
        _save(d / "drive" / "training" / "images" / f"{n}_training.tif", img)
        mask = np.zeros((128, 128), np.uint8)
        for _ in range(6):
            if r.integers(0, 2):
                mask[int(r.integers(0, 126)), :] = 255
            else:
                mask[:, int(r.integers(0, 126))] = 255
        _save(d / "drive" / "training" / "1st_manual" / f"{n}_manual1.gif", mask)


def vinbig_boxes(d: Path):
    """vinbig/train.csv (one row per radiologist finding; "No finding" rows have empty boxes) and 256 px PNGs."""
    r = _rng(8807)
    rows = [["image_id", "class_name", "class_id", "rad_id", "x_min", "y_min", "x_max", "y_max"]]
    for i in range(16):
        iid = r.bytes(16).hex()
        _save(d / "vinbig" / "train" / f"{iid}.png", _grey(r, 256, 256, block=8))
        if i in (2, 7, 11):
            for rad in ("R8", "R9", "R10"):
                rows.append([iid, "No finding", 14, rad, "", "", "", ""])
            continue
        for _ in range(int(r.integers(1, 4))):
            c = int(r.integers(0, 14))
            x0, y0 = int(r.integers(10, 150)), int(r.integers(10, 150))
            rows.append([iid, VINBIG[c], c, f"R{int(r.integers(8, 11))}", x0, y0,
                         x0 + int(r.integers(20, 90)), y0 + int(r.integers(20, 90))])
    _csv(d / "vinbig" / "train.csv", rows)


def midog_boxes(d: Path):
    """midog/MIDOG.json (COCO style): every mitotic figure and hard negative is a 50 x 50 px box."""
    import json
    r = _rng(8808)
    images, anns = [], []
    for i in range(20):
        images.append({"id": i + 1, "file_name": f"{i + 1:03d}.tiff", "width": 7215, "height": 5412})
        for _ in range(int(r.integers(2, 9))):
            cx, cy = int(r.integers(100, 7100)), int(r.integers(100, 5300))
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "bbox": [cx - 25, cy - 25, 50, 50],
                         "category_id": int(r.integers(1, 3))})
    (d / "midog").mkdir(parents=True, exist_ok=True)
    (d / "midog" / "MIDOG.json").write_text(json.dumps({
        "images": images, "annotations": anns,
        "categories": [{"id": 1, "name": "mitotic figure"}, {"id": 2, "name": "hard negative"}]}))


def panda_tiles(d: Path):
    """panda/train.csv (image_id, data_provider, isup_grade, gleason_score) and one tile mosaic per biopsy."""
    r = _rng(8809)
    gleason = {0: "0+0", 1: "3+3", 2: "3+4", 3: "4+3", 4: "4+4", 5: "4+5"}
    rows = [["image_id", "data_provider", "isup_grade", "gleason_score"]]
    for i in range(48):
        iid = r.bytes(16).hex()
        g = [0, 1, 5, 2, 0, 3, 4, 1][i % 8]
        _save(d / "panda" / "tiles" / f"{iid}.png", _blocky_rgb(r, 64, 64, block=4))
        rows.append([iid, ["karolinska", "radboud"][i % 2], g, gleason[g] if g or i % 2 else "negative"])
    _csv(d / "panda" / "train.csv", rows)


def isic2019_and_ham_model(d: Path):
    """isic2019/ISIC_2019_Training_GroundTruth.csv (one-hot columns), the photos and models/ham10000_cnn.h5."""
    import numpy as np
    r = _rng(8810)
    rows = [["image"] + ISIC2019]
    for i in range(40):
        name = f"ISIC_{i * 29 + 61:07d}"
        _save(d / "isic2019" / "ISIC_2019_Training_Input" / f"{name}.jpg", _blocky_rgb(r, 64, 64, block=4))
        c = [1, 0, 7, 2, 4, 1, 3, 5, 6, 7][i % 10]
        onehot = np.zeros(9)
        onehot[c] = 1.0
        rows.append([name] + [f"{v:.1f}" for v in onehot])
    _csv(d / "isic2019" / "ISIC_2019_Training_GroundTruth.csv", rows)
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("tfk2", """
        import tf_keras as keras
        from tf_keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(7, activation="softmax", name="dx"),
        ], name="ham10000_cnn")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.save("models/ham10000_cnn.h5")
    """, d)


def busi(d: Path):
    """Dataset_BUSI_with_GT/<class>/<class> (n).png with <class> (n)_mask.png, and a _mask_1.png for some lesions."""
    import numpy as np
    r = _rng(8811)
    root = d / "Dataset_BUSI_with_GT"
    for c, n in (("benign", 10), ("malignant", 8), ("normal", 6)):
        for k in range(1, n + 1):
            h, w = int(r.integers(90, 130)), int(r.integers(110, 150))
            _save(root / c / f"{c} ({k}).png", _grey(r, h, w, block=4), mode="RGB")
            m = np.zeros((h, w), np.uint8)
            if c != "normal":
                m[_ellipse(h, w, h / 2, w / 2, h / 5, w / 4)] = 255
            _save(root / c / f"{c} ({k})_mask.png", m)
            if c != "normal" and k in (4, 7):
                m2 = np.zeros((h, w), np.uint8)
                m2[_ellipse(h, w, h / 4, w / 4, h / 10, w / 10)] = 255
                _save(root / c / f"{c} ({k})_mask_1.png", m2)


def pneumonia_folders(d: Path, root="chest_xray", per=(10, 14)):
    """chest_xray/{train,test}/{NORMAL,PNEUMONIA}/*.jpeg, greyscale JPEGs as in the Kermany set."""
    r = _rng(8812)
    for split, (nn, np_) in (("train", per), ("test", (4, 6))):
        for k in range(nn):
            _save(d / root / split / "NORMAL" / f"IM-{115 + k * 3:04d}-0001.jpeg", _grey(r, 128, 128))
        for k in range(np_):
            kind = "bacteria" if k % 3 else "virus"
            _save(d / root / split / "PNEUMONIA" / f"person{k + 1}_{kind}_{k * 2 + 1}.jpeg", _grey(r, 128, 128))


def thyroid_us(d: Path):
    """thyroid_us/{benign,malignant}/*.png: greyscale ultrasound frames of the nodule."""
    r = _rng(8813)
    for c, n in (("benign", 12), ("malignant", 10)):
        for k in range(n):
            _save(d / "thyroid_us" / c / f"{c}_{k:04d}.png", _grey(r, 96, 128, block=2, lo=0, hi=200))


def echo_clips(d: Path):
    """echo/clips/<id>.npy (16 frames of 64 x 64, uint8) and echo/views.csv (A4C / PLAX / PSAX)."""
    import numpy as np
    r = _rng(8814)
    rows = [["FileName", "View", "Split"]]
    (d / "echo" / "clips").mkdir(parents=True, exist_ok=True)
    for i in range(30):
        name = f"0X{int(r.integers(0, 16**15)):015X}"
        clip = np.stack([_grey(r, 64, 64, block=4, lo=0, hi=180) for _ in range(16)])
        np.save(d / "echo" / "clips" / f"{name}.npy", clip)
        rows.append([name, ["A4C", "PLAX", "PSAX"][i % 3], "TRAIN" if i < 24 else "VAL"])
    _csv(d / "echo" / "views.csv", rows)


def bcss_masks(d: Path):
    """bcss/images/*.png (64 x 64 tiles) and bcss/masks/*.png with 0 = background/outside ROI, 1 .. 5 tissue."""
    import numpy as np
    r = _rng(8815)
    for i in range(24):
        name = f"TCGA-A2-A0{i % 9}D-DX1_xmin{int(r.integers(10000, 90000))}_ymin{int(r.integers(10000, 90000))}"
        _save(d / "bcss" / "images" / f"{name}.png", _blocky_rgb(r, 64, 64, block=4))
        small = r.integers(0, 6, (8, 8)).astype(np.uint8)
        _save(d / "bcss" / "masks" / f"{name}.png", np.repeat(np.repeat(small, 8, 0), 8, 1))


def isic_meta_weights(d: Path):
    """models/isic_meta_v2.weights.h5 (image + metadata model) and app_uploads/*.jpg."""
    r = _rng(8816)
    for i in range(6):
        _save(d / "app_uploads" / f"upload_{7400 + i}.jpg", _blocky_rgb(r, 96, 96, block=4))
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import keras
        from keras import layers
        image = keras.Input((96, 96, 3), name="image")
        meta = keras.Input((12,), name="meta")            # age, sex, 10 body sites
        t = layers.Rescaling(1.0 / 255)(image)
        t = layers.Conv2D(16, 3, activation="relu")(t)
        t = layers.MaxPooling2D()(t)
        t = layers.Conv2D(32, 3, activation="relu")(t)
        t = layers.MaxPooling2D()(t)
        t = layers.Conv2D(64, 3, activation="relu")(t)
        t = layers.GlobalAveragePooling2D()(t)
        m = layers.Dense(16, activation="relu")(meta)
        t = layers.Concatenate()([t, m])
        t = layers.Dense(64, activation="relu")(t)
        out = layers.Dense(7, activation="softmax", name="dx")(t)
        model = keras.Model([image, meta], out, name="isic_meta_v2")
        model.save_weights("models/isic_meta_v2.weights.h5")
    """, d)


def aptos_grade_folders(d: Path):
    r = _rng(8817)
    for g in range(5):
        for k in range(5):
            _save(d / "aptos_graded" / str(g) / f"{int(r.integers(0, 16**12)):012x}.png",
                  _blocky_rgb(r, 128, 128, block=8))


def hc18(d: Path):
    """hc18/training_set/NNN_HC.png and training_set_pixel_size_and_HC.csv (head circumference in mm)."""
    r = _rng(8818)
    rows = [["filename", "pixel size(mm)", "head circumference (mm)"]]
    for i in range(48):
        name = f"{i:03d}_HC.png"
        img = _grey(r, 64, 96, block=4, lo=0, hi=140)
        img[_ellipse(64, 96, 32, 48, 22, 30) & ~_ellipse(64, 96, 32, 48, 19, 27)] = 230
        _save(d / "hc18" / "training_set" / name, img)
        rows.append([name, f"{r.uniform(0.05, 0.25):.9f}", f"{r.uniform(50, 330):.2f}"])
    _csv(d / "hc18" / "training_set_pixel_size_and_HC.csv", rows)


def two_scale_tiles(d: Path):
    """pcam_multiscale/tiles_20x.npy (96 px), tiles_5x.npy (24 px context) and labels.npy."""
    import numpy as np
    r = _rng(8819)
    (d / "pcam_multiscale").mkdir(parents=True, exist_ok=True)
    np.save(d / "pcam_multiscale" / "tiles_20x.npy", np.stack([_blocky_rgb(r, 96, 96, block=4) for _ in range(32)]))
    np.save(d / "pcam_multiscale" / "tiles_5x.npy", np.stack([_blocky_rgb(r, 48, 48, block=2) for _ in range(32)]))
    np.save(d / "pcam_multiscale" / "labels.npy", r.integers(0, 2, 32).astype("float32"))


def breakhis_tiles(d: Path):
    """breakhis/400X/*.png: H&E-ish tiles (pink background, purple nuclei) of 512 x 512."""
    import numpy as np
    r = _rng(8820)
    for k in range(4):
        img = np.empty((512, 512, 3), np.uint8)
        img[...] = (236, 200, 222)
        small = r.integers(0, 3, (64, 64))
        big = np.repeat(np.repeat(small, 8, 0), 8, 1)
        img[big == 1] = (180, 90, 160)
        img[big == 2] = (90, 50, 140)
        _save(d / "breakhis" / "400X" / f"SOB_M_DC-14-{11520 + k}-400-00{k + 1}.png", img)


def dermoscopy_folders(d: Path):
    r = _rng(8821)
    for c in ("benign", "malignant"):
        for k in range(10):
            _save(d / "isic_binary" / "train" / c / f"ISIC_{int(r.integers(0, 10**7)):07d}.jpg",
                  _blocky_rgb(r, 96, 96, block=4))


def tissue_tiles(d: Path):
    """qc_tiles/*.png: tiles for the tissue-fraction QC, and qc_tiles/labels.csv."""
    r = _rng(8822)
    rows = [["tile", "label"]]
    for k in range(16):
        name = f"slide_{k // 4:02d}_tile_{k:03d}.png"
        _save(d / "qc_tiles" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([name, int(k % 3 == 0)])
    _csv(d / "qc_tiles" / "labels.csv", rows)


def cxr14_entries(d: Path):
    """cxr14/Data_Entry_2017.csv (several images per patient) and cxr14/images/*.png."""
    r = _rng(8823)
    rows = [["Image Index", "Finding Labels", "Follow-up #", "Patient ID", "Patient Age", "Patient Gender",
             "View Position"]]
    for p in range(12):
        pid = 1 + int(r.integers(0, 30000))
        for fu in range(int(r.integers(1, 4))):
            name = f"{pid:08d}_{fu:03d}.png"
            _save(d / "cxr14" / "images" / name, _grey(r, 64, 64))
            k = int(r.integers(1, 3))
            labels = "|".join(sorted(set(CXR14[int(j)] for j in r.integers(0, 8, k)))) if p % 3 else "No Finding"
            rows.append([name, labels, fu, pid, int(r.integers(20, 80)), ["M", "F"][p % 2], ["PA", "AP"][fu % 2]])
    _csv(d / "cxr14" / "Data_Entry_2017.csv", rows)


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
        name="keras-more88-ham10000-images-looked-up-in-part-1-folder-only-load-img-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        expect="HAM10000_images_part_1",
        **notebook([
            cell(imports=True, body="""
            # Kaggle "Skin Cancer MNIST: HAM10000", downloaded to the workstation
            ROOT = "{DATA}/ham10000"
            with open(os.path.join(ROOT, "HAM10000_metadata.csv")) as f:
                meta = list(csv.DictReader(f))
            DX = sorted({r["dx"] for r in meta})
            len(meta), DX
            """),
            cell("""
            IMAGE_DIR = os.path.join(ROOT, "HAM10000_images_part_1")
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img(os.path.join(IMAGE_DIR, r["image_id"] + ".jpg"),
                                                                       target_size=(90, 120)))
                          for r in meta]) / 255.0
            y = np.array([DX.index(r["dx"]) for r in meta])
            x.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((90, 120, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(DX), activation="softmax"),
            ], name="ham_dx")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
            """),
        ], data=ham10000_two_parts),
    ),
    Case(
        name="keras-more88-patchcamelyon-h5-gz-from-zenodo-opened-with-h5py-unpacked-pydataset-k3",
        cause="data.missing_or_corrupt",
        exception="OSError",
        expect="file signature not found",
        setup=pcam_gz,
        pty=True,
        code=IMPORTS + """
        import math

        import h5py

        # PatchCamelyon as published on Zenodo (record 2546921)
        PCAM = "{DATA}/pcam"
        for f in sorted(os.listdir(PCAM)):
            print(f"{f:48s} {os.path.getsize(os.path.join(PCAM, f)) / 1e6:6.1f} MB")


        class PCamSplit(keras.utils.PyDataset):
            def __init__(self, split, batch_size=16, **kwargs):
                super().__init__(**kwargs)
                self.x = h5py.File(f"{PCAM}/camelyonpatch_level_2_split_{split}_x.h5.gz", "r")["x"]
                self.y = h5py.File(f"{PCAM}/camelyonpatch_level_2_split_{split}_y.h5.gz", "r")["y"]
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.x) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                return self.x[sl].astype("float32") / 255.0, self.y[sl].reshape(-1).astype("float32")


        train, valid = PCamSplit("train"), PCamSplit("valid")
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="metastasis"),
        ], name="pcam_cnn")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train, validation_data=valid, epochs=3)
        """,
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more88-aptos-fundus-resized-first-then-cropped-to-retina-crops-into-one-array-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        expect="inhomogeneous",
        setup=aptos_fundus,
        code=IMPORTS + """
        from PIL import Image

        IMG = 128


        def crop_image_from_gray(img, tol=7):
            # from the APTOS 2019 kernels: drop the black border around the retina
            gray = np.asarray(Image.fromarray(img).convert("L"))
            mask = gray > tol
            return img[np.ix_(mask.any(1), mask.any(0))]


        def load(id_code):
            img = Image.open("{DATA}/aptos/train_images/" + id_code + ".png").convert("RGB")
            img = img.resize((IMG, IMG))            # resize first: the originals are up to 3216 x 2136, cropping is slow
            return crop_image_from_gray(np.asarray(img))


        with open("{DATA}/aptos/train.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.array([load(r["id_code"]) for r in rows], dtype="float32") / 255.0
        y = np.array([int(r["diagnosis"]) for r in rows])
        print("fundus images", x.shape)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(5, activation="softmax", name="dr_grade"),
        ], name="aptos_cnn")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    Case(
        name="keras-more88-isic2018-lesion-photos-resized-in-map-masks-left-at-photo-size-batched-tfk2",
        cause="data.image_size_mismatch",
        also=("data.label_shape",),
        exception="InvalidArgumentError",
        env="tfk2",
        setup=isic2018_seg,
        pty=True,
        code=tfk2(IMPORTS + """
        ROOT = "{DATA}/isic2018"
        images = sorted(glob.glob(ROOT + "/ISIC2018_Task1-2_Training_Input/*.jpg"))
        masks = [p.replace("ISIC2018_Task1-2_Training_Input", "ISIC2018_Task1_Training_GroundTruth")
                  .replace(".jpg", "_segmentation.png") for p in images]
        print(len(images), "lesions")


        def load(image_path, mask_path):
            img = tf.io.decode_jpeg(tf.io.read_file(image_path), channels=3)
            img = tf.image.resize(img, (128, 128)) / 255.0
            mask = tf.io.decode_png(tf.io.read_file(mask_path), channels=1)
            mask = tf.cast(mask > 127, tf.float32)
            return img, mask


        train_ds = (tf.data.Dataset.from_tensor_slices((images, masks))
                    .shuffle(64, seed=1).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8))

        inp = keras.Input((128, 128, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.UpSampling2D()(c2)
        u1 = layers.Concatenate()([u1, c1])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(u1)
        out = layers.Conv2D(1, 1, activation="sigmoid", name="lesion")(c3)
        model = keras.Model(inp, out, name="isic_unet")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.BinaryIoU()])
        model.fit(train_ds, epochs=5)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more88-camelyon-tiles-saved-from-openslide-read-region-rgba-read-with-pil-k3",
        cause="data.image_channels",
        exception="ValueError",
        setup=camelyon_rgba_tiles,
        pty=True,
        code=IMPORTS + """
        from PIL import Image

        # tiles were cut at level 0 by tile_slides.py (openslide read_region, saved as PNG)
        ROOT = "{DATA}/camelyon_tiles"
        with open(os.path.join(ROOT, "tiles.csv")) as f:
            rows = list(csv.DictReader(f))
        x = np.stack([np.asarray(Image.open(os.path.join(ROOT, r["tile"])), dtype="float32") / 255.0 for r in rows])
        y = np.array([r["label"] == "tumor" for r in rows], dtype="float32")
        print("tiles", x.shape, "tumor", int(y.sum()))

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="tumor"),
        ], name="camelyon_tile_cnn")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", keras.metrics.AUC()])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more88-drive-vessel-patches-green-channel-into-unet-copied-from-rgb-lesion-notebook-tfk2",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        env="tfk2",
        **notebook([
            tfk2(cell(imports=True, body="""
            from PIL import Image

            # DRIVE: 20 training images, manual vessel annotations as GIF
            images = sorted(glob.glob("{DATA}/drive/training/images/*_training.tif"))
            masks = [p.replace("/images/", "/1st_manual/").replace("_training.tif", "_manual1.gif") for p in images]
            len(images)
            """)),
            cell("""
            # vessels have the best contrast in the green channel
            def green(p):
                g = np.asarray(Image.open(p).convert("RGB"), dtype="float32")[..., 1:2]
                return (g - g.mean()) / (g.std() + 1e-6)


            def patches(a, size=64):
                return [a[i:i + size, j:j + size] for i in range(0, a.shape[0], size) for j in range(0, a.shape[1], size)]


            x = np.stack([pt for p in images for pt in patches(green(p))])
            y = np.stack([pt for p in masks for pt in patches(np.asarray(Image.open(p), dtype="float32")[..., None] / 255.0)])
            x.shape, y.shape
            """),
            cell("""
            # the small U-Net from our ISIC lesion notebook
            def small_unet(input_shape=(64, 64, 3)):
                inp = keras.Input(input_shape)
                c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
                p1 = layers.MaxPooling2D()(c1)
                c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
                u1 = layers.Concatenate()([layers.UpSampling2D()(c2), c1])
                c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(u1)
                return keras.Model(inp, layers.Conv2D(1, 1, activation="sigmoid")(c3), name="small_unet")


            model = small_unet()
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
            """),
        ], data=drive_vessels),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more88-vinbigdata-no-finding-rows-empty-boxes-decode-csv-zero-defaults-crop-k3",
        cause="data.bbox_invalid",
        exception="InvalidArgumentError",
        expect="must be > 0",
        setup=vinbig_boxes,
        code=IMPORTS + """
        # finding classifier on the radiologists' boxes (VinBigData, 256 px PNG version)
        ROOT = "{DATA}/vinbig"
        NUM_FINDINGS = 14
        DEFAULTS = [[""], [""], [0], [""], [0.0], [0.0], [0.0], [0.0]]


        def crop(line):
            image_id, _, class_id, _, x0, y0, x1, y1 = tf.io.decode_csv(line, DEFAULTS)
            img = tf.io.decode_png(tf.io.read_file(ROOT + "/train/" + image_id + ".png"), channels=1)
            patch = tf.image.crop_to_bounding_box(img, tf.cast(y0, tf.int32), tf.cast(x0, tf.int32),
                                                  tf.cast(y1 - y0, tf.int32), tf.cast(x1 - x0, tf.int32))
            return tf.image.resize(patch, (64, 64)) / 255.0, class_id


        ds = (tf.data.TextLineDataset(ROOT + "/train.csv").skip(1)
              .map(crop, num_parallel_calls=tf.data.AUTOTUNE).batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_FINDINGS, activation="softmax"),
        ], name="finding_patch_cnn")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more88-midog-mitosis-boxes-all-50px-kmeans-plus-plus-anchor-seeding-nan-probabilities-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        expect="Probabilities contain NaN",
        setup=midog_boxes,
        code="""
        import json

        import numpy as np

        # anchors for the mitosis detector: k-means (1 - IoU) over the MIDOG box sizes, k-means++ seeding
        with open("{DATA}/midog/MIDOG.json") as f:
            coco = json.load(f)
        sizes = {im["id"]: (im["width"], im["height"]) for im in coco["images"]}
        wh = np.array([[a["bbox"][2] / sizes[a["image_id"]][0], a["bbox"][3] / sizes[a["image_id"]][1]]
                       for a in coco["annotations"]])
        print(len(wh), "boxes in", len(sizes), "fields")


        def iou(boxes, centroids):
            inter = np.minimum(boxes[:, None, 0], centroids[None, :, 0]) * np.minimum(boxes[:, None, 1], centroids[None, :, 1])
            union = (boxes[:, 0] * boxes[:, 1])[:, None] + (centroids[:, 0] * centroids[:, 1])[None, :] - inter
            return inter / union


        def kmeans_pp_init(boxes, k, rng):
            centroids = [boxes[rng.integers(len(boxes))]]
            for _ in range(1, k):
                d = (1 - iou(boxes, np.array(centroids))).min(axis=1)
                centroids.append(boxes[rng.choice(len(boxes), p=d ** 2 / (d ** 2).sum())])
            return np.array(centroids)


        def kmeans(boxes, k, rng, iters=100):
            centroids = kmeans_pp_init(boxes, k, rng)
            for _ in range(iters):
                nearest = np.argmax(iou(boxes, centroids), axis=1)
                new = np.array([np.median(boxes[nearest == j], axis=0) for j in range(k)])
                if np.allclose(new, centroids):
                    break
                centroids = new
            return centroids[np.argsort(centroids.prod(axis=1))]


        anchors = kmeans(wh, 9, np.random.default_rng(0)) * 416
        print("anchors:", ",  ".join(f"{w:.0f},{h:.0f}" for w, h in anchors))
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more88-panda-isup-grades-0-to-5-five-unit-head-for-grade-groups-1-to-5-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        expect="outside the valid range",
        setup=panda_tiles,
        pty=True,
        code=IMPORTS + """
        # prostate biopsies (PANDA): one tile mosaic per biopsy, ISUP grade group from train.csv
        NUM_GRADE_GROUPS = 5                        # ISUP grade groups 1 .. 5
        with open("{DATA}/panda/train.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/panda/tiles/" + r["image_id"] + ".png"))
                      for r in rows]) / 255.0
        y = np.array([int(r["isup_grade"]) for r in rows])
        print(len(rows), "biopsies from", sorted({r["data_provider"] for r in rows}))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_GRADE_GROUPS, activation="softmax", name="isup"),
        ], name="panda_isup")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.25)
        """,
    ),
    Case(
        name="keras-more88-isic2019-ground-truth-argmax-with-scc-column-into-seven-class-ham10000-model-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        expect="outside the valid range",
        env="tfk2",
        setup=isic2019_and_ham_model,
        code=tfk2(IMPORTS + """
        # continue training the HAM10000 model on the ISIC 2019 challenge images
        model = keras.models.load_model("{DATA}/models/ham10000_cnn.h5")
        print("model classes:", model.output_shape[-1])

        with open("{DATA}/isic2019/ISIC_2019_Training_GroundTruth.csv") as f:
            reader = csv.reader(f)
            header = next(reader)
            rows = list(reader)
        print("ground-truth columns:", header[1:])
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(
            "{DATA}/isic2019/ISIC_2019_Training_Input/" + r[0] + ".jpg", target_size=(64, 64))) for r in rows])
        y = np.array([np.argmax([float(v) for v in r[1:]]) for r in rows])

        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more88-busi-masks-globbed-with-mask-star-second-mask-1-files-more-masks-than-images-notebook-k3",
        cause="data.label_shape",
        exception="ValueError",
        expect="cardinality",
        **notebook([
            cell(imports=True, body="""
            # Breast Ultrasound Images Dataset (BUSI), Kaggle download
            ROOT = "{DATA}/Dataset_BUSI_with_GT"
            images = sorted(p for p in glob.glob(ROOT + "/*/*.png") if "mask" not in p)
            masks = sorted(glob.glob(ROOT + "/*/*_mask*.png"))
            len(images), len(masks)
            """),
            cell("""
            def load(p, grayscale=False):
                img = keras.utils.load_img(p, target_size=(64, 64), color_mode="grayscale" if grayscale else "rgb")
                return keras.utils.img_to_array(img) / 255.0


            x = np.stack([load(p) for p in images])
            y = np.stack([load(p, grayscale=True) for p in masks])
            """),
            cell("""
            inp = keras.Input((64, 64, 3))
            c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
            p1 = layers.MaxPooling2D()(c1)
            c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
            u1 = layers.Concatenate()([layers.UpSampling2D()(c2), c1])
            c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(u1)
            model = keras.Model(inp, layers.Conv2D(1, 1, activation="sigmoid")(c3), name="busi_unet")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[keras.metrics.BinaryIoU()])
            model.fit(x, y, epochs=10, batch_size=8)
            """),
        ], data=busi),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more88-chest-xray-histogram-equalisation-histogram-fixed-width-uint8-float-range-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=pneumonia_folders,
        code=IMPORTS + """
        # paediatric chest X-rays (Kermany): equalise the histogram so that exposure differences do not matter
        CLASSES = ["NORMAL", "PNEUMONIA"]


        def equalize(img):
            hist = tf.histogram_fixed_width(img, [0.0, 255.0], nbins=256)
            cdf = tf.cast(tf.cumsum(hist), tf.float32)
            cdf = (cdf - cdf[0]) / (cdf[-1] - cdf[0]) * 255.0
            return tf.gather(cdf, tf.cast(img, tf.int32))


        def load(path):
            img = tf.io.decode_jpeg(tf.io.read_file(path), channels=1)
            img = equalize(img)
            img = tf.image.resize(img, (128, 128)) / 255.0
            label = tf.cast(tf.strings.regex_full_match(path, ".*/PNEUMONIA/.*"), tf.float32)
            return img, label


        files = tf.data.Dataset.list_files("{DATA}/chest_xray/train/*/*.jpeg", seed=4)
        train_ds = files.map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8)

        model = keras.Sequential([
            keras.Input((128, 128, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="pneumonia"),
        ], name="cxr_pneumonia")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more88-thyroid-ultrasound-log-domain-despeckle-log1p-on-uint8-frames-in-map-tfk2",
        cause="data.dtype",
        exception="TypeError",
        env="tfk2",
        setup=thyroid_us,
        code=tfk2(IMPORTS + """
        # speckle is multiplicative: smooth in the log domain, then back (homomorphic filtering)
        CLASSES = ["benign", "malignant"]
        paths = sorted(glob.glob("{DATA}/thyroid_us/*/*.png"))
        labels = [CLASSES.index(os.path.basename(os.path.dirname(p))) for p in paths]


        def despeckle(frame):
            log_frame = tf.math.log1p(frame)
            smooth = tf.nn.avg_pool2d(log_frame[None], ksize=3, strides=1, padding="SAME")[0]
            return tf.math.expm1(smooth)


        def load(path, label):
            frame = tf.io.decode_png(tf.io.read_file(path), channels=1)
            frame = despeckle(frame)
            return tf.image.resize(frame, (96, 128)) / 255.0, label


        ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(64, seed=2).map(load).batch(8)

        model = keras.Sequential([
            keras.Input((96, 128, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="malignant"),
        ], name="thyroid_nodule")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more88-whole-echo-clips-given-to-frame-by-frame-view-classifier-notebook-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            # echo view classification (A4C / PLAX / PSAX) from the clips exported by the echo lab
            VIEWS = ["A4C", "PLAX", "PSAX"]
            with open("{DATA}/echo/views.csv") as f:
                rows = list(csv.DictReader(f))
            clips = np.stack([np.load("{DATA}/echo/clips/" + r["FileName"] + ".npy") for r in rows]).astype("float32") / 255.0
            views = np.array([VIEWS.index(r["View"]) for r in rows])
            train = np.array([r["Split"] == "TRAIN" for r in rows])
            clips.shape
            """),
            cell("""
            # one frame at a time; a clip's view is the majority vote of its frames
            model = keras.Sequential([
                keras.Input((64, 64, 1)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(64, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(VIEWS), activation="softmax", name="view"),
            ], name="echo_view")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            """),
            cell("""
            model.fit(clips[train], views[train], validation_data=(clips[~train], views[~train]), epochs=5, batch_size=4)
            """),
        ], data=echo_clips),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more88-bcss-tissue-segmenter-head-per-tissue-class-without-background-to-categorical-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=bcss_masks,
        code=IMPORTS + """
        # BCSS: tumor, stroma, inflammatory, necrosis, other; 0 in the masks is outside the annotated ROI
        TISSUES = ["tumor", "stroma", "inflammatory", "necrosis", "other"]
        images = sorted(glob.glob("{DATA}/bcss/images/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in images]) / 255.0
        masks = np.stack([keras.utils.img_to_array(keras.utils.load_img(p.replace("/images/", "/masks/"),
                                                                        color_mode="grayscale"))[..., 0]
                          for p in images]).astype("int64")
        y = keras.utils.to_categorical(masks)
        print("tiles", x.shape, "one-hot masks", y.shape)

        inp = keras.Input((64, 64, 3))
        c1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        p1 = layers.MaxPooling2D()(c1)
        c2 = layers.Conv2D(32, 3, padding="same", activation="relu")(p1)
        u1 = layers.Concatenate()([layers.UpSampling2D()(c2), c1])
        c3 = layers.Conv2D(16, 3, padding="same", activation="relu")(u1)
        out = layers.Conv2D(len(TISSUES), 1, activation="softmax", name="tissue")(c3)
        model = keras.Model(inp, out, name="bcss_unet")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more88-isic-image-plus-metadata-weights-h5-loaded-into-image-only-app-model-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        expect="could not be loaded",
        setup=isic_meta_weights,
        code=IMPORTS + """
        # the triage app only gets the photo (no age / sex / site): same network without the metadata branch
        inp = keras.Input((96, 96, 3), name="image")
        t = layers.Rescaling(1.0 / 255)(inp)
        t = layers.Conv2D(16, 3, activation="relu")(t)
        t = layers.MaxPooling2D()(t)
        t = layers.Conv2D(32, 3, activation="relu")(t)
        t = layers.MaxPooling2D()(t)
        t = layers.Conv2D(64, 3, activation="relu")(t)
        t = layers.GlobalAveragePooling2D()(t)
        t = layers.Dense(64, activation="relu")(t)
        out = layers.Dense(7, activation="softmax", name="dx")(t)
        model = keras.Model(inp, out, name="isic_app")
        model.load_weights("{DATA}/models/isic_meta_v2.weights.h5")

        uploads = sorted(glob.glob("{DATA}/app_uploads/*.jpg"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(96, 96))) for p in uploads])
        for p, probs in zip(uploads, model.predict(x, verbose=0)):
            print(os.path.basename(p), probs.round(2))
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more88-fundus-grading-densenet121-imagenet-512px-input-shape-default-include-top-k3",
        cause="model.api_misuse",
        also=("model.input_shape",),
        exception="ValueError",
        setup=aptos_grade_folders,
        code=IMPORTS + """
        # diabetic retinopathy grade 0 .. 4; microaneurysms need resolution, so 512 px like the winning APTOS kernels
        IMG = 512
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/aptos_graded", image_size=(IMG, IMG),
                                                            batch_size=4, seed=5)
        grades = train_ds.class_names

        base = keras.applications.DenseNet121(weights="imagenet", input_shape=(IMG, IMG, 3))
        base.trainable = False
        inp = keras.Input((IMG, IMG, 3))
        t = keras.applications.densenet.preprocess_input(inp)
        t = base(t, training=False)
        t = layers.GlobalAveragePooling2D()(t)
        t = layers.Dropout(0.3)(t)
        out = layers.Dense(len(grades), activation="softmax", name="dr_grade")(t)
        model = keras.Model(inp, out)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more88-hc18-head-circumference-raw-pixels-raw-mm-sgd-nan-gestational-weeks-int-k3",
        cause="optim.divergence",
        exception="ValueError",
        expect="cannot convert float NaN to integer",
        setup=hc18,
        pty=True,
        code=IMPORTS + """
        # HC18: fetal head circumference (mm) straight from the ultrasound frame
        with open("{DATA}/hc18/training_set_pixel_size_and_HC.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/hc18/training_set/" + r["filename"],
                                                                    color_mode="grayscale"))
                      for r in rows])                                              # 0 .. 255
        y = np.array([float(r["head circumference (mm)"]) for r in rows], dtype="float32")

        model = keras.Sequential([
            keras.Input((64, 96, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, name="hc_mm"),
        ], name="hc18_regressor")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, y, epochs=6, batch_size=8)

        # gestational age from HC (Hadlock 1984, HC in cm)
        for r, hc in zip(rows[:6], model.predict(x[:6], verbose=0)[:, 0]):
            ga = 8.96 + 0.540 * (hc / 10) + 0.0003 * (hc / 10) ** 3
            weeks, days = divmod(int(round(ga * 7)), 7)
            print(f"{r['filename']}: HC {hc:.1f} mm -> {weeks}w{days}d")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more88-two-scale-histopathology-model-20x-features-area-resized-to-5x-grid-no-gradient-k3",
        cause="optim.autograd_graph",
        exception="LookupError",
        setup=two_scale_tiles,
        code=IMPORTS + """
        # 20x tile plus its 5x context; the 20x features are brought to the 5x grid and fused
        x20 = np.load("{DATA}/pcam_multiscale/tiles_20x.npy").astype("float32") / 255.0
        x5 = np.load("{DATA}/pcam_multiscale/tiles_5x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/pcam_multiscale/labels.npy")

        in20 = keras.Input((96, 96, 3), name="tile_20x")
        in5 = keras.Input((48, 48, 3), name="context_5x")
        f20 = layers.Conv2D(16, 3, padding="same", activation="relu")(in20)
        f20 = layers.Conv2D(16, 3, padding="same", activation="relu")(f20)
        # area resize = exact average over each 2 x 2 block, whatever the sizes are
        f20 = layers.Lambda(lambda t: tf.image.resize(t, (48, 48), method="area"), name="to_5x_grid")(f20)
        f5 = layers.Conv2D(16, 3, padding="same", activation="relu")(in5)
        t = layers.Concatenate()([f20, f5])
        t = layers.Conv2D(32, 3, activation="relu")(t)
        t = layers.GlobalAveragePooling2D()(t)
        out = layers.Dense(1, activation="sigmoid", name="tumor")(t)
        model = keras.Model([in20, in5], out, name="two_scale")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit([x20, x5], y, epochs=3, batch_size=8)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more88-macenko-stain-vectors-np-linalg-svd-full-matrices-of-every-tissue-pixel-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=breakhis_tiles,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        # Macenko stain normalisation before training: H&E stain vectors of each BreakHis image
        def stain_vectors(img, beta=0.15, alpha=1):
            od = -np.log((img.reshape(-1, 3).astype("float64") + 1) / 240)
            od_hat = od[(od > beta).all(axis=1)]
            print("tissue pixels:", len(od_hat))
            _, _, vt = np.linalg.svd(od_hat)
            plane = vt[:2].T
            proj = od_hat @ plane
            phi = np.arctan2(proj[:, 1], proj[:, 0])
            lo, hi = np.percentile(phi, alpha), np.percentile(phi, 100 - alpha)
            v1 = plane @ np.array([np.cos(lo), np.sin(lo)])
            v2 = plane @ np.array([np.cos(hi), np.sin(hi)])
            return np.array([v1, v2]) if v1[0] > v2[0] else np.array([v2, v1])


        for p in sorted(glob.glob("{DATA}/breakhis/400X/*.png")):
            img = keras.utils.img_to_array(keras.utils.load_img(p), dtype="uint8")
            print(os.path.basename(p), stain_vectors(img).round(3))
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more88-pneumonia-script-evaluate-generator-after-keras3-fit-sequence-test-set-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        setup=pneumonia_folders,
        pty=True,
        code=IMPORTS + """
        import math


        class XraySequence(keras.utils.Sequence):
            # test-set loader from the 2019 version of this script
            def __init__(self, root, batch_size=8):
                self.paths = sorted(glob.glob(root + "/*/*.jpeg"))
                self.labels = [float("PNEUMONIA" in p) for p in self.paths]
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                sl = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, color_mode="grayscale"))
                              for p in self.paths[sl]]) / 255.0
                return x, np.array(self.labels[sl])


        train_ds = keras.utils.image_dataset_from_directory("{DATA}/chest_xray/train", image_size=(128, 128),
                                                            color_mode="grayscale", label_mode="binary",
                                                            batch_size=8, seed=8)
        model = keras.Sequential([
            keras.Input((128, 128, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="pneumonia"),
        ], name="cxr_pneumonia")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", keras.metrics.AUC(name="auc")])
        model.fit(train_ds, epochs=3)

        test_gen = XraySequence("{DATA}/chest_xray/test")
        loss, acc, auc = model.evaluate_generator(test_gen, steps=len(test_gen))
        print(f"test accuracy {acc:.3f}  AUC {auc:.3f}")
        """,
    ),
    Case(
        name="keras-more88-keras3-random-erasing-hair-occlusion-augmentation-on-legacy-keras-workstation-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        setup=dermoscopy_folders,
        code="""
        # the dermatology workstation keeps TF_USE_LEGACY_KERAS=1 for the old triage model
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        train_ds = keras.utils.image_dataset_from_directory("{DATA}/isic_binary/train", image_size=(96, 96),
                                                            batch_size=8, seed=3)
        print(train_ds.class_names)

        # hairs and ruler marks hide parts of the lesion: random erasing (keras.io augmentation layers)
        augment = keras.Sequential([
            layers.RandomFlip("horizontal_and_vertical"),
            layers.RandomRotation(0.25),
            layers.RandomErasing(factor=0.5, scale=(0.02, 0.1)),
        ], name="augment")

        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            augment,
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="malignant"),
        ], name="isic_binary")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more88-notebook-set-start-method-spawn-after-earlier-pool-cell-fixed-context-k3",
        cause="env.multiprocessing",
        exception="RuntimeError",
        expect="context has already been set",
        **notebook([
            cell(imports=True, body="""
            import multiprocessing as mp

            from PIL import Image

            with open("{DATA}/qc_tiles/labels.csv") as f:
                rows = list(csv.DictReader(f))
            len(rows)
            """),
            cell("""
            # tissue fraction of each tile (QC), on all cores
            def tissue_fraction(name):
                a = np.asarray(Image.open("{DATA}/qc_tiles/" + name).convert("L"))
                return float((a < 220).mean())


            with mp.Pool(2) as pool:
                fractions = pool.map(tissue_fraction, [r["tile"] for r in rows])
            keep = [r for r, fr in zip(rows, fractions) if fr > 0.2]
            len(keep)
            """),
            cell("""
            # TensorFlow is not fork-safe: start the loader workers with spawn (forum advice)
            mp.set_start_method("spawn")

            x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/qc_tiles/" + r["tile"])) for r in keep]) / 255.0
            y = np.array([int(r["label"]) for r in keep], dtype="float32")
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ])
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=3, batch_size=4)
            """),
        ], data=tissue_tiles),
    ),
    # =================================================================== other
    Case(
        name="keras-more88-cxr14-patient-level-split-random-sample-from-set-of-patient-ids-k3",
        cause="other",
        exception="TypeError",
        expect="Population must be a sequence",
        setup=cxr14_entries,
        code=IMPORTS + """
        import random

        # split by patient, not by image: follow-up films of one patient must not end up on both sides
        random.seed(42)
        with open("{DATA}/cxr14/Data_Entry_2017.csv") as f:
            rows = list(csv.DictReader(f))
        patients = {r["Patient ID"] for r in rows}
        print(len(rows), "images of", len(patients), "patients")
        val_patients = set(random.sample(patients, k=len(patients) // 5))
        train_rows = [r for r in rows if r["Patient ID"] not in val_patients]
        val_rows = [r for r in rows if r["Patient ID"] in val_patients]


        def arrays(rs):
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/cxr14/images/" + r["Image Index"],
                                                                        color_mode="grayscale")) for r in rs]) / 255.0
            y = np.array([r["Finding Labels"] != "No Finding" for r in rs], dtype="float32")
            return x, y


        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="abnormal"),
        ], name="cxr14_abnormal")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(*arrays(train_rows), validation_data=arrays(val_rows), epochs=5, batch_size=8)
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
