"""An eighty-ninth held-out set (g209, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of Keras / TensorFlow failures: manufacturing quality engineers.

Untargeted held-out Keras / TensorFlow failures (g209) of quality engineers in factories training defect
classifiers, detectors, segmenters and anomaly autoencoders with Keras 3 and tf_keras 2 on the factory PCs,
in notebooks and scripts: surface defects on hot-rolled steel (NEU, Severstal-style strips), PCB inspection
(DeepPCB template / test pairs, the AOI machine's solder-joint export), textile flaws and dye-lot shades
from the loom and the lab's spectrophotometer, X-ray radiographs of weld seams and the welding robot's
current / voltage traces, bottle fill levels and cap defects on the filling line, and packaging-label
checks, with data coming from the line cameras' PCs, the AOI export share, the MES and a GitLab repository
of inspection images, spread over the cause ids of the taxonomy:

- files: the MVTec-AD-style bottle test set read with one mask path per image, where the ``good`` images
  have no ground-truth mask (``PyDataset`` with ``load_img``, terminal); the AOI image repository cloned
  on the new training PC without ``git lfs``, its PNGs left as pointer files, read by
  ``image_dataset_from_directory`` (notebook);
- image sizes: DeepPCB-style template and test images put together channel-wise with ``np.concatenate``
  before the resize, the new AOI camera giving 600 px images against the old 640 px templates; fill-level
  crops cut with each filling line's own region of interest from the camera JSON and stacked in a
  ``Sequence`` (tf_keras, terminal);
- channels: NEU hot-rolled steel images (8-bit grey BMP) decoded with ``decode_bmp``'s default channels
  for a MobileNetV2 built for RGB; dye-lot swatches exported by the
  spectrophotometer software as RGBA PNG put through ``tf.image.rgb_to_hsv`` in the map (terminal);
- boxes: DeepPCB ``x1,y1,x2,y2,type`` annotations read as ``x, y, w, h`` and cut with
  ``crop_to_bounding_box``;
- too few boxes: anchors for the bottle-cap detector from the widely copied ``kmeans.py`` (random
  initial clusters drawn with ``replace=False``) on the seven cap boxes annotated so far;
- labels: ISO 6520 weld imperfection groups (first digit 1 .. 5) as class ids of a five-class radiograph
  head (terminal); the AOI machine's solder-joint defect codes 1 .. 6 given to ``to_categorical`` with
  six classes (tf_keras);
- label shapes: a convolutional anomaly autoencoder (binary cross-entropy, as in the Keras blog) fitted
  with the good / defect labels of the classifier notebook as its target (notebook);
- dtypes: 16-bit weld radiographs log-transformed with ``tf.math.log1p`` straight after
  ``decode_png(dtype=tf.uint16)``; an SSIM loss of a textile anomaly autoencoder given the uint8 tiles of
  the ``tf.data`` pipeline as its target (tf_keras, terminal);
- model inputs: the weld-seam ``LSTM`` trained on (current, voltage) traces given the new welding
  controller's logs with a wire-feed column (notebook);
- model outputs: a six-folder NEU dataset with one-hot labels against a head sized from the old line's
  five-class config (tf_keras);
- weights: the RGB area-camera textile model's ``.weights.h5`` loaded into the rebuild for the mono
  line-scan camera;
- API: AOI export folders ``OK`` / ``NG`` given as ``class_names=["ok", "ng"]`` (terminal);
- divergence: a fill-level anomaly autoencoder on raw 0 .. 255 pixels under SGD with momentum, its NaN
  error maps given to ``np.nanargmax`` to locate the defect (terminal);
- gradients: GANomaly generator and discriminator gradients taken from one non-persistent tape;
- host memory: every 64 px patch of a fabric roll's line-scan image taken at stride 1 with
  ``tf.image.extract_patches`` for a PatchCore-style memory bank;
- versions: ``RandomPerspective`` from the Keras 3 docs on the labelling line's legacy-Keras PC (notebook,
  tf_keras); ``keras.layers.normalization`` from a 2019 Severstal U-Net kernel under Keras 3;
- workers: ``Pool.map`` over a method of the fill-line pre-labeller holding the ``queue.Queue`` of its PLC
  sender thread;
- plain bugs: the label-inspection shift report formatting each one-element prediction row with
  ``:.3f`` (terminal).

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more89.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g209): the cases are generated into a separate folder and scored
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

SRC = "corpus/generators/keras_more89.py"

NEU = ["crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches"]
MVTEC_DEFECTS = ["broken_large", "broken_small", "contamination"]
FILL = ["underfill", "ok", "overfill"]
SHADES = ["dark", "light", "on_shade"]
SOLDER = ["insufficient", "excess", "bridge", "missing", "tombstone", "shift"]
ISO6520 = {"100": "crack", "1011": "longitudinal crack", "2011": "gas pore", "2012": "porosity",
           "301": "slag inclusion", "3041": "tungsten inclusion", "4011": "lack of side-wall fusion",
           "402": "lack of penetration", "5011": "continuous undercut", "502": "excess weld metal"}


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _grey(r, h, w, block=4, lo=60, hi=200):
    """A grey texture (uint8, h x w), like a steel or fabric surface."""
    import numpy as np
    small = r.integers(lo, hi, size=(-(-h // block), -(-w // block)), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


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


def mvtec_bottle(d: Path):
    """mvtec/bottle/test/<defect|good>/NNN.png and ground_truth/<defect>/NNN_mask.png (none for good)."""
    import numpy as np
    r = _rng(8901)
    root = d / "mvtec" / "bottle"
    for i in range(10):
        _save(root / "train" / "good" / f"{i:03d}.png", _blocky_rgb(r, 96, 96, block=4))
    for defect in MVTEC_DEFECTS:
        for i in range(6):
            _save(root / "test" / defect / f"{i:03d}.png", _blocky_rgb(r, 96, 96, block=4))
            mask = np.zeros((96, 96), np.uint8)
            y, x = int(r.integers(10, 60)), int(r.integers(10, 60))
            mask[y:y + int(r.integers(8, 28)), x:x + int(r.integers(8, 28))] = 255
            _save(root / "ground_truth" / defect / f"{i:03d}_mask.png", mask)
    for i in range(8):
        _save(root / "test" / "good" / f"{i:03d}.png", _blocky_rgb(r, 96, 96, block=4))


def aoi_lfs_repo(d: Path):
    """aoi-images/ (a git clone made without git-lfs): .gitattributes and pointer files named *.png."""
    import hashlib
    r = _rng(8902)
    repo = d / "aoi-images"
    repo.mkdir(parents=True, exist_ok=True)
    (repo / ".gitattributes").write_text("*.png filter=lfs diff=lfs merge=lfs -text\n")
    (repo / "README.md").write_text("# AOI images, SMT line 2\n\nOK / NG crops exported from the AOI "
                                    "review station. Images are stored with Git LFS.\n")
    for c in ("NG", "OK"):
        for i in range(10):
            oid = hashlib.sha256(f"{c}{i}".encode()).hexdigest()
            p = repo / "crops" / c / f"L2_{c}_{24100 + i * 3}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\n"
                         f"size {int(r.integers(18000, 42000))}\n")


def deeppcb_pairs(d: Path):
    """pcb_pairs/<group>/<id>_temp.jpg + <id>_test.jpg and pairs.csv; group 50600 from the new AOI
    camera (600 px test images) against the old 640 px templates."""
    r = _rng(8903)
    rows = [["group", "board", "defective"]]
    for group, n in (("group00041", 8), ("group12000", 8), ("group50600", 6)):
        for i in range(n):
            board = f"{int(group[5:]) + i:08d}"
            base = _grey(r, 640, 640, block=16, lo=0, hi=255)
            _save(d / "pcb_pairs" / group / f"{board}_temp.jpg", base)
            size = 600 if group == "group50600" else 640
            _save(d / "pcb_pairs" / group / f"{board}_test.jpg", _grey(r, size, size, block=16, lo=0, hi=255))
            rows.append([group, board, int(r.integers(0, 2))])
    _csv(d / "pcb_pairs" / "pairs.csv", rows)


def fill_line_frames(d: Path):
    """fill/frames/*.png (240 x 320 from the filling lines' cameras), fill/rois.json and fill/labels.csv."""
    import json
    r = _rng(8904)
    rois = {"line1": {"camera": "acA1300-60gc", "roi": [60, 120, 120, 80]},
            "line3": {"camera": "a2A1920-51gc", "roi": [52, 118, 128, 84]}}
    (d / "fill").mkdir(parents=True, exist_ok=True)
    (d / "fill" / "rois.json").write_text(json.dumps(rois, indent=2))
    rows = [["frame", "line", "fill"]]
    for i in range(40):
        line = "line1" if i % 3 else "line3"
        name = f"{line}_{20241014}_{i:05d}.png"
        _save(d / "fill" / "frames" / name, _blocky_rgb(r, 240, 320, block=4))
        rows.append([name, line, FILL[int(r.integers(0, 3))]])
    _csv(d / "fill" / "labels.csv", rows)


def neu_bmp(d: Path):
    """NEU-CLS/<class>/<class>_<n>.bmp: 200 x 200 8-bit grey bitmaps of hot-rolled strip."""
    r = _rng(8905)
    for c in NEU:
        for i in range(5):
            _save(d / "NEU-CLS" / c / f"{c}_{i + 1}.bmp", _grey(r, 200, 200, block=5))


def dye_swatches(d: Path):
    """swatches/<shade>/*.png: dye-lot swatches exported by the spectrophotometer software (RGBA)."""
    import numpy as np
    r = _rng(8906)
    for c in SHADES:
        for i in range(8):
            rgb = _blocky_rgb(r, 64, 64, block=4)
            alpha = np.full((64, 64, 1), 255, np.uint8)
            _save(d / "swatches" / c / f"lot{7310 + i}_{c}.png", np.concatenate([rgb, alpha], axis=-1))


def deeppcb_boxes(d: Path):
    """pcb/images/<id>_test.jpg (640 x 640) and pcb/annotations/<id>.txt lines 'x1,y1,x2,y2,type'."""
    r = _rng(8907)
    for i in range(10):
        board = f"{20085000 + i * 7}"
        _save(d / "pcb" / "images" / f"{board}_test.jpg", _grey(r, 640, 640, block=16, lo=0, hi=255))
        lines = []
        for _ in range(int(r.integers(2, 5))):
            x1, y1 = int(r.integers(20, 580)), int(r.integers(20, 580))
            w, h = int(r.integers(18, 40)), int(r.integers(18, 40))
            lines.append(f"{x1},{y1},{min(x1 + w, 639)},{min(y1 + h, 639)},{int(r.integers(1, 7))}")
        (d / "pcb" / "annotations").mkdir(parents=True, exist_ok=True)
        (d / "pcb" / "annotations" / f"{board}.txt").write_text("\n".join(lines) + "\n")


def cap_boxes(d: Path):
    """caps/images/*.jpg (60 photos) and caps/labels/*.txt (YOLO) for the seven caps annotated so far."""
    r = _rng(8908)
    for i in range(60):
        _save(d / "caps" / "images" / f"cap_{i:04d}.jpg", _blocky_rgb(r, 96, 96, block=4))
    (d / "caps" / "labels").mkdir(parents=True, exist_ok=True)
    for i in range(5):
        n = 2 if i in (1, 3) else 1
        lines = [f"{int(r.integers(0, 3))} {r.uniform(0.3, 0.7):.6f} {r.uniform(0.3, 0.7):.6f} "
                 f"{r.uniform(0.08, 0.25):.6f} {r.uniform(0.08, 0.25):.6f}" for _ in range(n)]
        (d / "caps" / "labels" / f"cap_{i:04d}.txt").write_text("\n".join(lines) + "\n")


def weld_radiographs(d: Path):
    """welds/radiographs/*.png (grey 64 x 128) and welds/rt_report.csv with ISO 6520-1 reference numbers."""
    r = _rng(8909)
    codes = list(ISO6520)
    rows = [["film", "weld_id", "iso6520", "description"]]
    for i in range(40):
        name = f"RT-24-{3300 + i}.png"
        _save(d / "welds" / "radiographs" / name, _grey(r, 64, 128, block=4))
        code = codes[i % len(codes)]
        rows.append([name, f"W{118 + i // 4}-{i % 4 + 1}", code, ISO6520[code]])
    _csv(d / "welds" / "rt_report.csv", rows)


def solder_export(d: Path):
    """aoi_export/joints/*.png (48 x 48 solder-joint crops) and aoi_export/defects.csv (codes 1 .. 6)."""
    r = _rng(8910)
    rows = [["crop", "component", "defect_code"]]
    for i in range(48):
        name = f"joint_{61200 + i}.png"
        _save(d / "aoi_export" / "joints" / name, _blocky_rgb(r, 48, 48, block=4))
        rows.append([name, f"R{100 + i % 17}", 1 + i % 6])
    _csv(d / "aoi_export" / "defects.csv", rows)


def mvtec_arrays(d: Path):
    """mvtec_npz/bottle.npz: train (good only), test images and test labels (0 good, 1 defect)."""
    import numpy as np
    r = _rng(8911)
    (d / "mvtec_npz").mkdir(parents=True, exist_ok=True)
    x_train = np.stack([_blocky_rgb(r, 64, 64, block=4) for _ in range(40)])
    x_test = np.stack([_blocky_rgb(r, 64, 64, block=4) for _ in range(20)])
    np.savez(d / "mvtec_npz" / "bottle.npz", x_train=x_train, y_train=np.zeros(40, np.int64),
             x_test=x_test, y_test=np.r_[np.zeros(8, np.int64), np.ones(12, np.int64)])


def weld_16bit(d: Path):
    """rt16/<class>/*.png: 16-bit grey radiographs from the digital detector array."""
    import numpy as np
    from PIL import Image
    r = _rng(8912)
    for c in ("accept", "reject"):
        (d / "rt16" / c).mkdir(parents=True, exist_ok=True)
        for i in range(8):
            arr = (r.integers(2000, 60000, size=(16, 32)).repeat(4, 0).repeat(4, 1)).astype(np.uint16)
            Image.fromarray(arr).save(d / "rt16" / c / f"DDA_{c}_{i:03d}.png")


def textile_tiles(d: Path):
    """loom/good/*.png: defect-free fabric tiles (grey 64 x 64) for the anomaly autoencoder."""
    r = _rng(8913)
    for i in range(32):
        _save(d / "loom" / "good" / f"tile_{i:04d}.png", _grey(r, 64, 64, block=2))


def weld_traces(d: Path):
    """traces/old/*.csv (t_ms, current_a, voltage_v) + labels.csv, traces/new/*.csv with wire_feed_m_min."""
    import numpy as np
    r = _rng(8914)
    rows = [["seam", "ok"]]
    for i in range(60):
        t = np.arange(200)
        cur = 180 + 12 * np.sin(t / 7) + r.normal(0, 4, 200)
        vol = 24 + 1.5 * np.sin(t / 11) + r.normal(0, 0.4, 200)
        p = d / "traces" / "old" / f"seam_{i:04d}.csv"
        p.parent.mkdir(parents=True, exist_ok=True)
        np.savetxt(p, np.c_[t, cur, vol], delimiter=",", fmt="%.3f", header="t_ms,current_a,voltage_v",
                   comments="")
        rows.append([f"seam_{i:04d}", int(r.integers(0, 2))])
    _csv(d / "traces" / "labels.csv", rows)
    for i in range(6):
        t = np.arange(200)
        cur = 182 + 10 * np.sin(t / 7) + r.normal(0, 4, 200)
        vol = 24 + 1.2 * np.sin(t / 11) + r.normal(0, 0.4, 200)
        wfs = 9.5 + r.normal(0, 0.1, 200)
        p = d / "traces" / "new" / f"R7_seam_{i:04d}.csv"
        p.parent.mkdir(parents=True, exist_ok=True)
        np.savetxt(p, np.c_[t, cur, vol, wfs], delimiter=",", fmt="%.3f",
                   header="t_ms,current_a,voltage_v,wire_feed_m_min", comments="")


def neu_folders_and_config(d: Path):
    """neu_line4/<class>/*.png (six classes) and line_config.json of the old five-class line."""
    import json
    r = _rng(8915)
    for c in NEU:
        for i in range(5):
            _save(d / "neu_line4" / c / f"{c}_{i:03d}.png", _grey(r, 64, 64, block=4))
    (d / "line_config.json").write_text(json.dumps(
        {"line": "HSM-3", "camera": "top", "image_size": [64, 64], "num_classes": 5,
         "classes": ["inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches"]}, indent=2))


def textile_rgb_weights(d: Path):
    """models/fabric_flaw_rgb.weights.h5 (area camera, RGB) and mono/<class>/*.png (line-scan camera)."""
    r = _rng(8916)
    for c in ("good", "hole", "stain", "thick_yarn"):
        for i in range(6):
            _save(d / "mono" / c / f"{c}_{i:03d}.png", _grey(r, 64, 64, block=2))
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="softmax"),
        ], name="fabric_flaw")
        model.save_weights("models/fabric_flaw_rgb.weights.h5")
    """, d)


def aoi_ok_ng(d: Path):
    r = _rng(8917)
    for c in ("NG", "OK"):
        for i in range(10):
            _save(d / "aoi_review" / c / f"{c}_{i:04d}.png", _blocky_rgb(r, 64, 64, block=4))


def fill_good_frames(d: Path):
    """fill_good/*.png (64 x 64 fill-line crops of good bottles) and fill_test/*.png."""
    r = _rng(8918)
    for i in range(48):
        _save(d / "fill_good" / f"good_{i:04d}.png", _blocky_rgb(r, 64, 64, block=4))
    for i in range(8):
        _save(d / "fill_test" / f"shift2_{i:04d}.png", _blocky_rgb(r, 64, 64, block=4))


def fabric_good_arrays(d: Path):
    import numpy as np
    r = _rng(8919)
    (d / "fabric").mkdir(parents=True, exist_ok=True)
    np.save(d / "fabric" / "good_tiles.npy", np.stack([_grey(r, 32, 32, block=2) for _ in range(64)])[..., None])


def fabric_roll(d: Path):
    """rolls/roll_24-1187.npy: a 2048 x 8192 uint8 line-scan image of one fabric roll section."""
    import json

    import numpy as np
    r = _rng(8920)
    (d / "rolls").mkdir(parents=True, exist_ok=True)
    tile = _grey(r, 256, 256, block=2)
    np.save(d / "rolls" / "roll_24-1187.npy", np.tile(tile, (8, 32)))
    (d / "rolls" / "roll_24-1187.json").write_text(json.dumps(
        {"roll": "24-1187", "article": "twill 280 g/m2", "px_per_mm": 8, "camera": "linescan 8k"}, indent=2))


def label_photos(d: Path):
    r = _rng(8921)
    for c in ("label_ok", "label_skewed"):
        for i in range(8):
            _save(d / "labels_line" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 64, 96, block=4))


def severstal_tiles(d: Path):
    import numpy as np
    r = _rng(8922)
    (d / "severstal").mkdir(parents=True, exist_ok=True)
    np.save(d / "severstal" / "x.npy", np.stack([_grey(r, 64, 256, block=4) for _ in range(24)])[..., None])
    np.save(d / "severstal" / "y.npy", (r.random((24, 64, 256, 4)) > 0.97).astype("uint8"))


def fill_prelabel(d: Path):
    r = _rng(8923)
    for i in range(16):
        _save(d / "fill_raw" / f"line2_{i:05d}.png", _blocky_rgb(r, 120, 80, block=4))


def label_shift(d: Path):
    import numpy as np
    r = _rng(8924)
    (d / "label_train").mkdir(parents=True, exist_ok=True)
    np.save(d / "label_train" / "x.npy", r.integers(0, 255, (48, 48, 72, 3), dtype=np.uint8))
    np.save(d / "label_train" / "y.npy", r.integers(0, 2, 48))
    for i in range(6):
        _save(d / "shift_2024-10-15_B" / f"LBL_{8800 + i}.jpg", _blocky_rgb(r, 48, 72, block=4))


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
        name="keras-more89-mvtec-bottle-good-test-images-have-no-ground-truth-mask-pydataset-load-img-k3",
        cause="data.missing_or_corrupt",
        exception="FileNotFoundError",
        setup=mvtec_bottle,
        pty=True,
        code=IMPORTS + """
        import math

        # supervised defect segmenter on the MVTec AD bottle category: every test image with its mask
        ROOT = "{DATA}/mvtec/bottle"
        images = sorted(glob.glob(os.path.join(ROOT, "test", "*", "*.png")))
        print(len(images), "test images in", sorted(os.listdir(os.path.join(ROOT, "test"))))


        def mask_path(img_path):
            defect = img_path.split(os.sep)[-2]
            stem = os.path.splitext(os.path.basename(img_path))[0]
            return os.path.join(ROOT, "ground_truth", defect, stem + "_mask.png")


        class BottleMasks(keras.utils.PyDataset):
            def __init__(self, paths, batch_size=4, **kwargs):
                super().__init__(**kwargs)
                self.paths = paths
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.paths) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.paths[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in batch]) / 255.0
                y = np.stack([keras.utils.img_to_array(keras.utils.load_img(mask_path(p), color_mode="grayscale"))
                              for p in batch]) / 255.0
                return x, y


        inp = keras.Input((96, 96, 3))
        t = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        t = layers.Conv2D(16, 3, padding="same", activation="relu")(t)
        out = layers.Conv2D(1, 1, activation="sigmoid", name="defect_mask")(t)
        model = keras.Model(inp, out, name="bottle_seg")
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(BottleMasks(images), epochs=3)
        """,
    ),
    Case(
        name="keras-more89-aoi-image-repo-cloned-without-git-lfs-pointer-pngs-image-dataset-from-directory-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="InvalidArgumentError",
        **notebook([
            cell(imports=True, body="""
            # OK / NG crops of SMT line 2 from the team's GitLab repository (git clone on the new training PC)
            REPO = "{DATA}/aoi-images"
            {c: len(os.listdir(os.path.join(REPO, "crops", c))) for c in sorted(os.listdir(os.path.join(REPO, "crops")))}
            """),
            cell("""
            train_ds, val_ds = keras.utils.image_dataset_from_directory(
                os.path.join(REPO, "crops"), image_size=(64, 64), batch_size=8,
                validation_split=0.2, subset="both", seed=24)
            class_names = train_ds.class_names
            class_names
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 64, 3)),
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid", name="ng"),
            ], name="aoi_ok_ng")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            history = model.fit(train_ds, validation_data=val_ds, epochs=10)
            """),
        ], data=aoi_lfs_repo),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more89-deeppcb-template-and-test-image-concatenated-before-resize-new-aoi-camera-600px-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=deeppcb_pairs,
        code=IMPORTS + """
        from PIL import Image

        # defect / no defect from the template-test pair of each board (template and test as two channels)
        ROOT = "{DATA}/pcb_pairs"
        with open(os.path.join(ROOT, "pairs.csv")) as f:
            rows = list(csv.DictReader(f))
        print(len(rows), "board pairs from groups", sorted({r["group"] for r in rows}))


        def load_pair(group, board):
            tmpl = np.asarray(Image.open(os.path.join(ROOT, group, board + "_temp.jpg")).convert("L"))
            test = np.asarray(Image.open(os.path.join(ROOT, group, board + "_test.jpg")).convert("L"))
            pair = np.concatenate([tmpl[..., None], test[..., None]], axis=-1)
            return tf.image.resize(pair, (160, 160)).numpy() / 255.0


        x = np.stack([load_pair(r["group"], r["board"]) for r in rows])
        y = np.array([int(r["defective"]) for r in rows])

        model = keras.Sequential([
            keras.Input((160, 160, 2)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="defective"),
        ], name="pcb_pair")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    Case(
        name="keras-more89-fill-level-crops-cut-with-each-lines-own-roi-stacked-in-sequence-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=fill_line_frames,
        pty=True,
        code=tfk2(IMPORTS + """
        import math
        import random

        FILL = ["underfill", "ok", "overfill"]
        with open("{DATA}/fill/rois.json") as f:
            ROIS = json.load(f)                     # per filling line: camera and [top, left, height, width]
        with open("{DATA}/fill/labels.csv") as f:
            rows = list(csv.DictReader(f))
        random.Random(3).shuffle(rows)


        class FillCrops(keras.utils.Sequence):
            # the neck of the bottle, where the fill line sits, cut out of the full camera frame
            def __init__(self, rows, batch_size=8):
                self.rows = rows
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                crops = []
                for r in batch:
                    frame = keras.utils.img_to_array(keras.utils.load_img("{DATA}/fill/frames/" + r["frame"]))
                    top, left, h, w = ROIS[r["line"]]["roi"]
                    crops.append(frame[top:top + h, left:left + w] / 255.0)
                return np.array(crops), np.array([FILL.index(r["fill"]) for r in batch])


        model = keras.Sequential([
            keras.Input((None, None, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(FILL), activation="softmax"),
        ], name="fill_level")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(FillCrops(rows), epochs=5)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more89-neu-steel-8-bit-bmp-decode-bmp-default-channels-into-rgb-mobilenetv2-k3",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="InvalidArgumentError",
        setup=neu_bmp,
        code=IMPORTS + """
        # NEU surface defect database (hot-rolled strip), six classes of 200 x 200 bitmaps
        CLASSES = sorted(os.listdir("{DATA}/NEU-CLS"))
        paths = sorted(glob.glob("{DATA}/NEU-CLS/*/*.bmp"))
        labels = [CLASSES.index(p.split(os.sep)[-2]) for p in paths]


        def load(path, label):
            img = tf.io.decode_bmp(tf.io.read_file(path))
            img = tf.image.resize(img, (128, 128))
            return keras.applications.mobilenet_v2.preprocess_input(img), label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=8).map(load).batch(8))

        # the proxy blocks the ImageNet weights download on the plant network, so train from scratch
        base = keras.applications.MobileNetV2(input_shape=(128, 128, 3), include_top=False, weights=None)
        model = keras.Sequential([
            base,
            layers.GlobalAveragePooling2D(),
            layers.Dropout(0.2),
            layers.Dense(len(CLASSES), activation="softmax"),
        ], name="neu_mobilenet")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more89-dye-lot-swatches-rgba-png-from-spectrophotometer-rgb-to-hsv-in-map-k3",
        cause="data.image_channels",
        exception="FailedPreconditionError",
        setup=dye_swatches,
        pty=True,
        code=IMPORTS + """
        # shade sorting of dye lots: swatch images exported from the lab's spectrophotometer software
        SHADES = sorted(os.listdir("{DATA}/swatches"))
        paths = sorted(glob.glob("{DATA}/swatches/*/*.png"))
        labels = [SHADES.index(p.split(os.sep)[-2]) for p in paths]
        print(len(paths), "swatches,", SHADES)


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.convert_image_dtype(img, tf.float32)
            hsv = tf.image.rgb_to_hsv(img)              # shade is mostly hue and value
            return tf.image.resize(hsv, (64, 64)), label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=2).map(load).batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(SHADES), activation="softmax"),
        ], name="dye_shade")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more89-deeppcb-x1-y1-x2-y2-annotations-read-as-x-y-w-h-crop-to-bounding-box-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=deeppcb_boxes,
        code=IMPORTS + """
        # defect-type classifier on crops around each annotated PCB defect
        # annotation line per defect: x, y, w, h, type (1 open, 2 short, 3 mousebite, 4 spur, 5 copper, 6 pin-hole)
        crops, types = [], []
        for img_path in sorted(glob.glob("{DATA}/pcb/images/*_test.jpg")):
            board = os.path.basename(img_path).replace("_test.jpg", "")
            img = tf.io.decode_jpeg(tf.io.read_file(img_path), channels=1)
            with open(f"{DATA}/pcb/annotations/{board}.txt") as f:
                for line in f:
                    x, y, w, h, t = map(int, line.strip().split(","))
                    crop = tf.image.crop_to_bounding_box(img, y, x, h, w)
                    crops.append(tf.image.resize(crop, (32, 32)) / 255.0)
                    types.append(t - 1)

        x, y = tf.stack(crops), np.array(types)
        print(len(types), "defect crops")
        model = keras.Sequential([
            keras.Input((32, 32, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(6, activation="softmax"),
        ], name="pcb_defect_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more89-bottle-cap-anchors-kmeans-py-random-choice-replace-false-seven-boxes-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        setup=cap_boxes,
        code=IMPORTS + """
        # anchors for the cap detector (tilted cap, missing liner, dented rim), with the usual kmeans.py:
        # IoU distance, median update, random initial clusters
        def iou(box, clusters):
            x = np.minimum(clusters[:, 0], box[0])
            y = np.minimum(clusters[:, 1], box[1])
            intersection = x * y
            return intersection / (box[0] * box[1] + clusters[:, 0] * clusters[:, 1] - intersection)


        def kmeans(boxes, k, dist=np.median):
            rows = boxes.shape[0]
            distances = np.empty((rows, k))
            last_clusters = np.zeros((rows,))
            clusters = boxes[np.random.choice(rows, k, replace=False)]
            while True:
                for row in range(rows):
                    distances[row] = 1 - iou(boxes[row], clusters)
                nearest_clusters = np.argmin(distances, axis=1)
                if (last_clusters == nearest_clusters).all():
                    break
                for cluster in range(k):
                    clusters[cluster] = dist(boxes[nearest_clusters == cluster], axis=0)
                last_clusters = nearest_clusters
            return clusters


        images = glob.glob("{DATA}/caps/images/*.jpg")
        labels = sorted(glob.glob("{DATA}/caps/labels/*.txt"))
        boxes = np.concatenate([np.loadtxt(p, ndmin=2)[:, 3:5] for p in labels])
        print(len(images), "cap photos,", len(labels), "annotated,", len(boxes), "boxes")

        anchors = kmeans(boxes, k=9)
        anchors = anchors[np.argsort(anchors.prod(1))] * 320
        print("anchors:", ", ".join(f"{w:.0f},{h:.0f}" for w, h in anchors))
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more89-weld-radiograph-iso-6520-first-digit-groups-one-to-five-five-class-head-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=weld_radiographs,
        pty=True,
        code=IMPORTS + """
        # imperfection group of each radiograph from the RT report (ISO 6520-1 reference numbers)
        GROUPS = ["cracks", "cavities", "solid inclusions", "lack of fusion / penetration", "shape and dimension"]
        with open("{DATA}/welds/rt_report.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/welds/radiographs/" + r["film"],
                                                                   color_mode="grayscale"))
                      for r in rows]) / 255.0
        y = np.array([int(r["iso6520"][0]) for r in rows])      # 1xx cracks, 2xx cavities, ... 5xx shape
        print("films", x.shape, "groups", np.unique(y))

        model = keras.Sequential([
            keras.Input((64, 128, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(GROUPS), activation="softmax"),
        ], name="weld_rt_group")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more89-aoi-solder-joint-defect-codes-one-to-six-to-categorical-six-classes-tfk2",
        cause="data.label_out_of_range",
        exception="IndexError",
        env="tfk2",
        setup=solder_export,
        code=tfk2(IMPORTS + """
        # solder-joint defects from the AOI machine's review export
        SOLDER = ["insufficient", "excess", "bridge", "missing", "tombstone", "shift"]
        with open("{DATA}/aoi_export/defects.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/aoi_export/joints/" + r["crop"]))
                      for r in rows]) / 255.0
        codes = np.array([int(r["defect_code"]) for r in rows])
        y = keras.utils.to_categorical(codes, num_classes=len(SOLDER))
        print("joints", x.shape, "labels", y.shape)

        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(SOLDER), activation="softmax"),
        ], name="solder_joint")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more89-mvtec-anomaly-autoencoder-fitted-with-good-defect-labels-of-classifier-notebook-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            data = np.load("{DATA}/mvtec_npz/bottle.npz")
            x_train = data["x_train"].astype("float32") / 255.0
            y_train = data["y_train"]
            x_test = data["x_test"].astype("float32") / 255.0
            y_test = data["y_test"]
            x_train.shape, x_test.shape, np.bincount(y_test)
            """),
            cell("""
            # convolutional autoencoder as in the Keras blog: trained on good bottles only,
            # the reconstruction error is the anomaly score
            inp = keras.Input((64, 64, 3))
            t = layers.Conv2D(32, 3, activation="relu", padding="same")(inp)
            t = layers.MaxPooling2D(2, padding="same")(t)
            t = layers.Conv2D(16, 3, activation="relu", padding="same")(t)
            encoded = layers.MaxPooling2D(2, padding="same")(t)
            t = layers.Conv2D(16, 3, activation="relu", padding="same")(encoded)
            t = layers.UpSampling2D(2)(t)
            t = layers.Conv2D(32, 3, activation="relu", padding="same")(t)
            t = layers.UpSampling2D(2)(t)
            decoded = layers.Conv2D(3, 3, activation="sigmoid", padding="same")(t)
            autoencoder = keras.Model(inp, decoded, name="bottle_ae")
            autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
            """),
            cell("""
            history = autoencoder.fit(x_train, y_train, epochs=20, batch_size=8, shuffle=True,
                                      validation_data=(x_test, y_test))
            """),
        ], data=mvtec_arrays),
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more89-weld-16-bit-radiographs-log1p-on-uint16-after-decode-png-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=weld_16bit,
        code=IMPORTS + """
        # digital detector array radiographs are 16 bit; attenuation is logarithmic in the grey value
        CLASSES = ["accept", "reject"]
        paths = sorted(glob.glob("{DATA}/rt16/*/*.png"))
        labels = [CLASSES.index(p.split(os.sep)[-2]) for p in paths]


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path), channels=1, dtype=tf.uint16)
            img = tf.math.log1p(img) / np.log1p(65535.0)
            return tf.image.resize(img, (64, 128)), label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=4).map(load).batch(4))

        model = keras.Sequential([
            keras.Input((64, 128, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="reject"),
        ], name="weld_rt_accept")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more89-textile-anomaly-autoencoder-ssim-loss-uint8-tiles-as-target-tfk2",
        cause="data.dtype",
        exception="TypeError",
        env="tfk2",
        setup=textile_tiles,
        pty=True,
        code=tfk2(IMPORTS + """
        # defect-free fabric tiles from loom 7; the SSIM autoencoder of Bergmann et al. for the flaw map
        paths = sorted(glob.glob("{DATA}/loom/good/*.png"))


        def load(path):
            return tf.io.decode_png(tf.io.read_file(path), channels=1)


        ds = (tf.data.Dataset.from_tensor_slices(paths).map(load)
              .map(lambda img: (img, img)).shuffle(64, seed=7).batch(8))

        inp = keras.Input((64, 64, 1))
        t = layers.Rescaling(1.0 / 255)(inp)
        t = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu")(t)
        t = layers.Conv2D(64, 4, strides=2, padding="same", activation="relu")(t)
        t = layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu")(t)
        out = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="sigmoid")(t)
        model = keras.Model(inp, out, name="fabric_ssim_ae")


        def ssim_loss(y_true, y_pred):
            return 1.0 - tf.reduce_mean(tf.image.ssim(y_true, y_pred, max_val=1.0))


        model.compile(optimizer=keras.optimizers.Adam(2e-4), loss=ssim_loss)
        model.fit(ds, epochs=10)
        """),
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more89-weld-seam-lstm-current-voltage-given-new-controller-logs-with-wire-feed-notebook-k3",
        cause="model.input_shape",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            # seam traces of welding robot R4 (current, voltage at 1 kHz), labelled from the cut-and-etch tests
            with open("{DATA}/traces/labels.csv") as f:
                labels = {r["seam"]: int(r["ok"]) for r in csv.DictReader(f)}
            files = sorted(glob.glob("{DATA}/traces/old/*.csv"))
            x = np.stack([np.loadtxt(p, delimiter=",", skiprows=1)[:, 1:] for p in files]).astype("float32")
            y = np.array([labels[os.path.basename(p)[:-4]] for p in files])
            mean, std = x.mean(axis=(0, 1)), x.std(axis=(0, 1))
            x = (x - mean) / std
            x.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((200, 2)),
                layers.LSTM(32),
                layers.Dense(1, activation="sigmoid", name="seam_ok"),
            ], name="seam_lstm")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=3, batch_size=16, verbose=2)
            """),
            cell("""
            # robot R7 got the new welding controller; its logs go to traces/new
            new_files = sorted(glob.glob("{DATA}/traces/new/*.csv"))
            x_new = np.stack([np.loadtxt(p, delimiter=",", skiprows=1)[:, 1:] for p in new_files]).astype("float32")
            x_new = (x_new - x_new.mean(axis=(0, 1))) / x_new.std(axis=(0, 1))
            for p, s in zip(new_files, model.predict(x_new)[:, 0]):
                print(os.path.basename(p), "OK" if s > 0.5 else "CHECK", round(float(s), 3))
            """),
        ], data=weld_traces),
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more89-neu-six-folders-one-hot-head-sized-from-old-five-class-line-config-tfk2",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        env="tfk2",
        setup=neu_folders_and_config,
        code=tfk2(IMPORTS + """
        # the hot strip mill's line config, shared with the inspection PC of line 3
        with open("{DATA}/line_config.json") as f:
            cfg = json.load(f)
        NUM_CLASSES = cfg["num_classes"]
        H, W = cfg["image_size"]

        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/neu_line4", image_size=(H, W), color_mode="grayscale", label_mode="categorical",
            batch_size=8, seed=31)
        print(train_ds.class_names)

        model = keras.Sequential([
            keras.Input((H, W, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(NUM_CLASSES, activation="softmax"),
        ], name="strip_defects")
        model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """),
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more89-rgb-area-camera-fabric-flaw-weights-h5-into-mono-line-scan-rebuild-k3",
        cause="model.weights_mismatch",
        exception="ValueError",
        setup=textile_rgb_weights,
        code=IMPORTS + """
        # the loom's inspection moved from the RGB area camera to a mono line-scan camera:
        # same network, one input channel, starting from the old weights
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/mono", image_size=(64, 64), color_mode="grayscale", batch_size=8, seed=5)
        CLASSES = train_ds.class_names

        model = keras.Sequential([
            keras.Input((64, 64, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CLASSES), activation="softmax"),
        ], name="fabric_flaw")
        model.load_weights("{DATA}/models/fabric_flaw_rgb.weights.h5")

        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more89-aoi-review-ok-ng-folders-given-as-lowercase-class-names-k3",
        cause="model.api_misuse",
        exception="ValueError",
        setup=aoi_ok_ng,
        pty=True,
        code=IMPORTS + """
        # label 0 = ok, label 1 = ng, so that the sigmoid output is the NG probability
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/aoi_review", class_names=["ok", "ng"], label_mode="binary",
            image_size=(64, 64), batch_size=8, seed=9)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="ng"),
        ], name="aoi_ng")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more89-fill-line-anomaly-autoencoder-raw-pixels-sgd-nan-error-map-nanargmax-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=fill_good_frames,
        pty=True,
        code=IMPORTS + """
        # anomaly autoencoder on good bottles only; the pixel with the largest error marks the defect
        good = sorted(glob.glob("{DATA}/fill_good/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in good])      # 0 .. 255

        inp = keras.Input((64, 64, 3))
        t = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(inp)
        t = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(t)
        t = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(t)
        out = layers.Conv2DTranspose(3, 3, strides=2, padding="same")(t)
        ae = keras.Model(inp, out, name="fill_ae")
        ae.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        ae.fit(x, x, epochs=8, batch_size=8)

        test = sorted(glob.glob("{DATA}/fill_test/*.png"))
        xt = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in test])
        err = ((xt - ae.predict(xt, verbose=0)) ** 2).mean(axis=-1)
        for p, e in zip(test, err):
            yy, xx = np.unravel_index(np.nanargmax(e), e.shape)
            print(os.path.basename(p), "max error at", (int(yy), int(xx)), f"score {np.nanmean(e):.1f}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more89-ganomaly-generator-and-discriminator-gradients-from-one-non-persistent-tape-k3",
        cause="optim.autograd_graph",
        exception="RuntimeError",
        setup=fabric_good_arrays,
        code=IMPORTS + """
        # GANomaly on good fabric tiles: encoder-decoder-encoder generator + discriminator
        x = np.load("{DATA}/fabric/good_tiles.npy").astype("float32") / 127.5 - 1.0
        ds = tf.data.Dataset.from_tensor_slices(x).shuffle(64, seed=1).batch(16)
        Z = 32


        def encoder(name):
            return keras.Sequential([
                keras.Input((32, 32, 1)),
                layers.Conv2D(32, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
                layers.Conv2D(64, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
                layers.Flatten(), layers.Dense(Z),
            ], name=name)


        enc1, enc2 = encoder("enc1"), encoder("enc2")
        dec = keras.Sequential([
            keras.Input((Z,)),
            layers.Dense(8 * 8 * 64), layers.Reshape((8, 8, 64)),
            layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
        ], name="dec")
        disc = keras.Sequential([
            keras.Input((32, 32, 1)),
            layers.Conv2D(32, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2D(64, 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Flatten(), layers.Dense(1),
        ], name="disc")
        gen_vars = enc1.trainable_variables + dec.trainable_variables + enc2.trainable_variables
        g_opt, d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)
        bce = keras.losses.BinaryCrossentropy(from_logits=True)

        for epoch in range(5):
            for xb in ds:
                with tf.GradientTape() as tape:
                    z = enc1(xb, training=True)
                    x_hat = dec(z, training=True)
                    z_hat = enc2(x_hat, training=True)
                    d_real, d_fake = disc(xb, training=True), disc(x_hat, training=True)
                    g_loss = (bce(tf.ones_like(d_fake), d_fake)
                              + 50.0 * tf.reduce_mean(tf.abs(xb - x_hat))
                              + tf.reduce_mean(tf.square(z - z_hat)))
                    d_loss = bce(tf.ones_like(d_real), d_real) + bce(tf.zeros_like(d_fake), d_fake)
                g_grads = tape.gradient(g_loss, gen_vars)
                d_grads = tape.gradient(d_loss, disc.trainable_variables)
                g_opt.apply_gradients(zip(g_grads, gen_vars))
                d_opt.apply_gradients(zip(d_grads, disc.trainable_variables))
            print(f"epoch {epoch + 1}: g_loss {float(g_loss):.4f} d_loss {float(d_loss):.4f}")
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more89-fabric-roll-line-scan-stride-one-extract-patches-patchcore-memory-bank-k3",
        cause="resource.host_memory",
        exception="ResourceExhaustedError",
        setup=fabric_roll,
        as_limit=8 * 1024**3,
        code=IMPORTS + """
        # PatchCore-style memory bank of a good roll section: every 64 px patch of the line-scan image
        with open("{DATA}/rolls/roll_24-1187.json") as f:
            meta = json.load(f)
        roll = np.load("{DATA}/rolls/roll_24-1187.npy")
        print("roll", meta["roll"], meta["article"], roll.shape, roll.dtype)

        img = tf.convert_to_tensor(roll[None, :, :, None], dtype=tf.float32) / 255.0
        patches = tf.image.extract_patches(img, sizes=[1, 64, 64, 1], strides=[1, 1, 1, 1],
                                           rates=[1, 1, 1, 1], padding="VALID")
        patches = tf.reshape(patches, (-1, 64, 64, 1))
        print(patches.shape[0], "patches")
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more89-packaging-label-random-perspective-from-keras3-docs-on-legacy-keras-line-pc-notebook-tfk2",
        cause="env.version_incompat",
        exception="AttributeError",
        env="tfk2",
        **notebook([
            cell("""
            # label-check PC on the packaging line (TF_USE_LEGACY_KERAS=1, for the 2022 OCR model)
            import tensorflow as tf
            from tensorflow import keras
            from tensorflow.keras import layers

            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/labels_line", image_size=(64, 96), batch_size=8, seed=6)
            class_names = train_ds.class_names
            class_names
            """),
            cell("""
            # bottles are round, so labels are seen in perspective (augmentation from the Keras docs)
            augment = keras.Sequential([
                layers.RandomPerspective(factor=0.3),
                layers.RandomBrightness(0.2),
            ], name="augment")
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((64, 96, 3)),
                augment,
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(1, activation="sigmoid"),
            ], name="label_skew")
            model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=5)
            """),
        ], data=label_photos),
    ),
    Case(
        name="keras-more89-severstal-2019-unet-kernel-keras-layers-normalization-import-under-keras3-k3",
        cause="env.version_incompat",
        exception="ModuleNotFoundError",
        setup=severstal_tiles,
        code="""
        # U-Net for the four steel defect classes, from a 2019 Severstal kernel, on strip tiles from line 2
        import numpy as np
        from keras.models import Model
        from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D, concatenate
        from keras.layers.normalization import BatchNormalization
        from keras.optimizers import Adam

        x = np.load("{DATA}/severstal/x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/severstal/y.npy").astype("float32")


        def conv_block(t, n):
            t = Conv2D(n, 3, padding="same", activation="relu")(t)
            t = BatchNormalization()(t)
            return Conv2D(n, 3, padding="same", activation="relu")(t)


        inp = Input((64, 256, 1))
        c1 = conv_block(inp, 16)
        c2 = conv_block(MaxPooling2D()(c1), 32)
        c3 = conv_block(MaxPooling2D()(c2), 64)
        u2 = conv_block(concatenate([UpSampling2D()(c3), c2]), 32)
        u1 = conv_block(concatenate([UpSampling2D()(u2), c1]), 16)
        out = Conv2D(4, 1, activation="sigmoid")(u1)
        model = Model(inp, out)
        model.compile(optimizer=Adam(1e-3), loss="binary_crossentropy")
        model.fit(x, y, epochs=5, batch_size=4, validation_split=0.2)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more89-fill-line-prelabeller-pool-map-over-method-of-class-holding-plc-sender-queue-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=fill_prelabel,
        code="""
        import glob
        import multiprocessing as mp
        import os
        import queue
        import socket
        import threading

        import numpy as np
        from PIL import Image

        PLC = ("127.0.0.1", 50210)           # the filling line's PLC listens for fill heights on UDP


        class FillPrelabeller:
            # fill height of each bottle from the dark band of the liquid, written next to the image as a
            # pre-label for the annotators; a sender thread passes each result on to the line display
            def __init__(self, out_dir):
                self.out_dir = out_dir
                self.to_plc = queue.Queue()
                threading.Thread(target=self._send, daemon=True).start()

            def _send(self):
                sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                while True:
                    sock.sendto(self.to_plc.get().encode(), PLC)

            def label(self, path):
                img = np.asarray(Image.open(path).convert("L"), dtype="float32")
                profile = img.mean(axis=1)
                level = int(np.argmax(profile < profile.mean()))
                self.to_plc.put(f"{os.path.basename(path)};{level}")
                with open(os.path.join(self.out_dir, os.path.basename(path) + ".txt"), "w") as f:
                    f.write(str(level))
                return level


        if __name__ == "__main__":
            frames = sorted(glob.glob("{DATA}/fill_raw/*.png"))
            os.makedirs("prelabels", exist_ok=True)
            prelabeller = FillPrelabeller("prelabels")
            print(len(frames), "frames to pre-label")
            with mp.Pool(4) as pool:
                levels = pool.map(prelabeller.label, frames)
            print("fill levels:", np.bincount(levels))
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more89-label-inspection-shift-report-format-spec-on-one-element-prediction-rows-k3",
        cause="other",
        exception="TypeError",
        setup=label_shift,
        pty=True,
        code=IMPORTS + """
        # label placement check (ok / skewed) retrained on the week's rejects, then the shift report
        x = np.load("{DATA}/label_train/x.npy").astype("float32") / 255.0
        y = np.load("{DATA}/label_train/y.npy")
        model = keras.Sequential([
            keras.Input((48, 72, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="skewed"),
        ], name="label_skew")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=4, batch_size=8)

        shift = sorted(glob.glob("{DATA}/shift_2024-10-15_B/*.jpg"))
        xs = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in shift]) / 255.0
        probs = model.predict(xs, verbose=0)
        print("shift B, 2024-10-15:", len(shift), "bottles photographed at the labeller")
        for p, prob in zip(shift, probs):
            print(f"{os.path.basename(p):<16} p(skewed) = {prob:.3f}", "REJECT" if prob > 0.5 else "")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
