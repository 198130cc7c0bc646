"""An eighty-seventh held-out set (g204, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of Keras / TensorFlow failures: city and regional government analysts.

Untargeted held-out Keras / TensorFlow failures (g204) of analysts in city and regional government
training image classifiers, detectors and segmenters with Keras 3 and tf_keras 2 in notebooks and
scripts: traffic-camera snapshots from the open-data camera API (congestion, incidents), street-damage
and litter photos sent in through the 311 app (potholes, cracks, overflowing bins, fly-tipping),
satellite land-use tiles (Sentinel-2 band arrays, QGIS exports, ESA WorldCover masks), permit-document
scans from the planning office's archive and air-quality sensors and haze cameras, with data coming from
the 311 CRM export, the GIS team's shared drive, the permit database and the sensor vendor's portal,
spread over the cause ids of the taxonomy:

- files: offline traffic cameras whose JSON error bodies the snapshot downloader saved as ``.jpg``, read
  with PIL in a ``PyDataset`` (terminal); a 311 litter photo cut short when the VPN dropped during the
  download, read with ``load_img`` (notebook);
- image sizes: Sentinel-2 10 m and 20 m band arrays stacked into one land-use tile; permit scans from the
  old 100 dpi and the new 150 dpi scanner kept in a Python list for ``from_tensor_slices`` (tf_keras);
- channels: QGIS land-use tile exports with a transparent no-data border (RGBA PNG) decoded with the
  default ``channels`` (terminal); the road-survey van's mono camera frames read with PIL for the RGB
  pothole model (tf_keras notebook);
- boxes: TACO-style litter annotations exported as YOLO segmentation polygons read as YOLO boxes with
  ``np.loadtxt``;
- too few boxes: pothole anchors taken as the medians of nine size groups of the five boxes drawn so far
  (``np.array_split``);
- labels: ESA WorldCover codes (10 ... 80) as class ids of a seven-class land-use segmenter (terminal);
  pavement condition index ratings from ``np.digitize`` with the last upper limit (PCI 100, freshly
  resurfaced streets) giving a sixth bin (tf_keras);
- label shapes: multi-hot litter tags from the 311 CRM export under ``sparse_categorical_crossentropy``;
- dtypes: predicted pothole boxes drawn with ``tf.image.draw_bounding_boxes`` on uint8 photos for the
  council report; per-tile standardisation with ``tf.math.reduce_std`` on uint8 land-use tiles in the
  ``tf.data`` map;
- model inputs: new frames for the congestion ``Flatten`` model (trained on 90 x 160 frames) loaded with
  the keras.io tutorial's ``target_size=(180, 180)``;
- model outputs: a litter grid detector whose targets are encoded for stride 4 while the model pools
  down by 8;
- weights: a seven-class land-use TF-format checkpoint restored into the nine-class model (tf_keras);
- API: ``RandomZoom((0.8, 1.2))`` ported from an ``ImageDataGenerator(zoom_range=[0.8, 1.2])`` notebook
  (notebook);
- divergence: a PM2.5 regressor on raw haze-camera pixels and raw ug/m3 under SGD, its NaN predictions
  given to ``np.histogram`` (terminal);
- gradients: a "hard IoU" pothole segmentation loss built on ``tf.round`` (terminal);
- host memory: a day of 1080p traffic-camera frames preallocated as float32 for a median background;
- versions: ``layers.CuDNNLSTM`` from a 2019 air-quality forecasting repository under Keras 3
  (notebook); ``pad_to_aspect_ratio`` from the Keras 3 docs on the permit office's legacy-Keras PC
  (tf_keras);
- workers: ``Pool.map`` over a method of the permit-archive class holding an open ``sqlite3`` connection;
- plain bugs: the repair priority list sorted as (severity, request) pairs whose tied severities make
  Python compare the request dicts (terminal).

Keras 3 (keras 3.15 on tensorflow-cpu 2.21) and tf_keras 2.21; scripts, scripts under a terminal
(progress bars) and notebook cells run in a real IPython shell. Everything runs on a CPU.

Every case is a small training script that really fails with the library's own error; the label is
known by construction (what the script breaks).

Run:  /work/venvs/tf/bin/python corpus/generators/keras_more87.py [--out DIR] [-j N] [-k TEXT] [CASE ...]

Written as a held-out measure (g204): the cases are generated into a separate folder and scored
before any rule is looked at or written for them.
"""

import os
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _tfrecord
from _tfrecord import Case, notebook, prep
from _tfrecord import rng as _rng

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

SRC = "corpus/generators/keras_more87.py"

CONDITIONS = ["free_flow", "slow", "congested"]
LAND_USE = ["residential", "commercial", "industrial", "park", "agriculture", "water"]
WORLDCOVER = [10, 20, 30, 40, 50, 60, 80]   # tree, shrub, grass, crop, built-up, bare, water
LITTER = ["bottle", "can", "cup", "bag", "wrapper", "cigarette"]
PERMIT_TYPES = ["application_form", "elevation", "floor_plan", "site_plan"]


# ---------------------------------------------------------------- data helpers
def _blocky_rgb(r, h, w, block=8):
    """A smooth-ish random RGB photo (uint8) of h x w."""
    import numpy as np
    small = r.integers(0, 255, size=(-(-h // block), -(-w // block), 3), dtype=np.uint8)
    return np.repeat(np.repeat(small, block, axis=0), block, axis=1)[:h, :w].copy()


def _page(r, h, w):
    """A grey 'scanned page': white paper with darker random strokes (uint8, h x w)."""
    import numpy as np
    page = np.full((h, w), 238, np.uint8)
    for _ in range(max(4, h * w // 2000)):
        y, x = int(r.integers(0, h - 4)), int(r.integers(0, w - 20))
        page[y:y + 2, x:x + int(r.integers(5, 20))] = int(r.integers(20, 90))
    return page


def _save(path: Path, arr, quality=88, mode=None):
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


def camera_snapshots(d: Path):
    """cams/2024-10-08/cam<id>_<hhmm>.jpg and cams/labels.csv; camera 214 went offline at 08:20 and the
    downloader saved the API's JSON error body under the .jpg name."""
    r = _rng(8701)
    rows = [["snapshot", "camera", "condition"]]
    for hh, mm in [(7, m) for m in range(0, 60, 10)] + [(8, m) for m in range(0, 60, 10)]:
        for cid in (201, 207, 214, 230):
            name = f"2024-10-08/cam{cid}_{hh:02d}{mm:02d}.jpg"
            p = d / "cams" / name
            if cid == 214 and (hh, mm) >= (8, 20):
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text('{"error": "camera offline", "camera_id": 214, "status": 503}')
            else:
                _save(p, _blocky_rgb(r, 180, 320, block=8))
            rows.append([name, cid, CONDITIONS[int(r.integers(0, 3))]])
    _csv(d / "cams" / "labels.csv", rows)


def litter_reports_vpn(d: Path):
    """311/export_2024-10.csv and 311/photos/*.jpg; one photo cut short by the VPN drop."""
    r = _rng(8702)
    rows = [["service_request_id", "category", "photo"]]
    cats = ["litter", "illegal_dumping", "overflowing_bin"]
    for i in range(30):
        name = f"SR-2024-{118300 + i * 7}.jpg"
        _save(d / "311" / "photos" / name, _blocky_rgb(r, 240, 320, block=8), quality=92)
        rows.append([118300 + i * 7, cats[i % 3], name])
    p = d / "311" / "photos" / f"SR-2024-{118300 + 17 * 7}.jpg"
    b = p.read_bytes()
    p.write_bytes(b[: int(len(b) * 0.55)])
    _csv(d / "311" / "export_2024-10.csv", rows)


def sentinel_bands(d: Path):
    """s2_tiles/<tile>/<band>.npy: 10 m bands at 64 x 64, 20 m bands (B11, B12) at 32 x 32."""
    import numpy as np
    r = _rng(8703)
    rows = [["tile", "land_use"]]
    for i in range(24):
        tile = f"T32UQD_{i:03d}"
        for b in ("B02", "B03", "B04", "B08"):
            (d / "s2_tiles" / tile).mkdir(parents=True, exist_ok=True)
            np.save(d / "s2_tiles" / tile / f"{b}.npy", r.integers(200, 4000, (64, 64), dtype=np.uint16))
        for b in ("B11", "B12"):
            np.save(d / "s2_tiles" / tile / f"{b}.npy", r.integers(200, 4000, (32, 32), dtype=np.uint16))
        rows.append([tile, LAND_USE[i % 6]])
    _csv(d / "s2_tiles" / "labels.csv", rows)


def permit_scans_two_dpi(d: Path):
    """permits/scans/*.png: 2019 and earlier from the old scanner (100 dpi), 2020 on from the new (150 dpi)."""
    r = _rng(8704)
    rows = [["scan", "doc_type"]]
    for i in range(24):
        year = 2017 + i // 4
        h, w = (117, 83) if year < 2020 else (175, 124)
        name = f"BP-{year}-{310 + i:04d}_p1.png"
        _save(d / "permits" / "scans" / name, _page(r, h, w))
        rows.append([name, PERMIT_TYPES[i % 4]])
    _csv(d / "permits" / "index.csv", rows)


def qgis_rgba_tiles(d: Path):
    """qgis_export/<class>/*.png: tiles exported by QGIS with transparent no-data at the edge (RGBA)."""
    import numpy as np
    r = _rng(8705)
    for c in LAND_USE:
        for i in range(6):
            rgb = _blocky_rgb(r, 64, 64, block=4)
            alpha = np.full((64, 64, 1), 255, np.uint8)
            alpha[:, : int(r.integers(0, 12))] = 0          # outside the city boundary
            _save(d / "qgis_export" / c / f"{c}_{i:03d}.png", np.concatenate([rgb, alpha], axis=-1))


def survey_van_frames(d: Path):
    """models/pothole_v2.h5 (RGB 96 x 96) and survey_van/2024-10-09/*.png (mono camera frames)."""
    r = _rng(8706)
    for i in range(8):
        _save(d / "survey_van" / "2024-10-09" / f"frame_{5120 + i * 25:06d}.png",
              _blocky_rgb(r, 120, 160, block=4), mode="L")
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("tfk2", """
        import tf_keras as keras
        from tf_keras import layers
        model = keras.Sequential([
            keras.Input((96, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, activation="sigmoid", name="pothole"),
        ], name="pothole_v2")
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.save("models/pothole_v2.h5")
    """, d)


def _polygon(r, n):
    import numpy as np
    cx, cy, rad = r.uniform(0.3, 0.7), r.uniform(0.3, 0.7), r.uniform(0.08, 0.2)
    ang = np.sort(r.uniform(0, 2 * np.pi, n))
    return [v for a in ang for v in (cx + rad * np.cos(a), cy + rad * np.sin(a))]


def taco_polygons(d: Path):
    """litter/images/*.jpg and litter/labels/*.txt in YOLO segmentation format (class x1 y1 x2 y2 ...)."""
    r = _rng(8707)
    for i in range(12):
        name = f"taco_batch3_{i:04d}"
        _save(d / "litter" / "images" / f"{name}.jpg", _blocky_rgb(r, 120, 160, block=4))
        lines = []
        for n in [4, 6] if i == 0 else [int(r.integers(4, 8))]:
            pts = _polygon(r, n)
            lines.append(" ".join([str(int(r.integers(0, len(LITTER))))] + [f"{v:.5f}" for v in pts]))
        (d / "litter" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "litter" / "labels" / f"{name}.txt").write_text("\n".join(lines) + "\n")


def pothole_first_boxes(d: Path):
    """potholes/images/*.jpg (40 photos) and potholes/labels/*.txt for the five annotated so far."""
    r = _rng(8708)
    for i in range(40):
        _save(d / "potholes" / "images" / f"PXL_20241002_{i:04d}.jpg", _blocky_rgb(r, 120, 160, block=4))
    (d / "potholes" / "labels").mkdir(parents=True, exist_ok=True)
    for i, (w, h) in enumerate([(0.22, 0.15), (0.22, 0.15), (0.31, 0.18), (0.22, 0.15), (0.12, 0.09)]):
        (d / "potholes" / "labels" / f"PXL_20241002_{i:04d}.txt").write_text(
            f"0 {r.uniform(0.3, 0.7):.6f} {r.uniform(0.4, 0.8):.6f} {w:.6f} {h:.6f}\n")


def worldcover_tiles(d: Path):
    """worldcover/tiles/*.png (RGB 64 x 64) and worldcover/masks/*.png with the ESA WorldCover codes."""
    import numpy as np
    r = _rng(8709)
    for i in range(24):
        _save(d / "worldcover" / "tiles" / f"tile_{i:03d}.png", _blocky_rgb(r, 64, 64, block=8))
        small = r.choice(np.array(WORLDCOVER, np.uint8), size=(8, 8))
        mask = np.repeat(np.repeat(small, 8, 0), 8, 1)
        _save(d / "worldcover" / "masks" / f"tile_{i:03d}.png", mask)


def pci_photos(d: Path):
    """streets/photos/*.jpg and streets/pci_2024.csv (pavement condition index 0 .. 100)."""
    r = _rng(8710)
    rows = [["segment_id", "street", "photo", "pci"]]
    streets = ["Elm St", "Harbor Rd", "Main St", "Oak Ave", "Mill Ln", "2nd Ave"]
    for i in range(40):
        name = f"seg_{4100 + i}.jpg"
        _save(d / "streets" / "photos" / name, _blocky_rgb(r, 64, 64, block=4))
        pci = 100 if i in (5, 21, 33) else int(r.integers(8, 99))     # resurfaced this summer
        rows.append([4100 + i, streets[i % 6], name, pci])
    _csv(d / "streets" / "pci_2024.csv", rows)


def litter_tags(d: Path):
    """crm/photos/*.jpg and crm/litter_export.csv; the tags column holds every litter type seen."""
    r = _rng(8711)
    rows = [["case_id", "photo", "tags"]]
    for i in range(32):
        name = f"case_{77100 + i}.jpg"
        _save(d / "crm" / "photos" / name, _blocky_rgb(r, 64, 64, block=4))
        k = int(r.integers(1, 4))
        tags = sorted(r.choice(LITTER, size=k, replace=False))
        rows.append([77100 + i, name, ";".join(tags)])
    _csv(d / "crm" / "litter_export.csv", rows)


def pothole_boxes(d: Path):
    """potholes/*.jpg (128 x 128) and boxes.csv with one normalised box (ymin, xmin, ymax, xmax) each."""
    r = _rng(8712)
    rows = [["photo", "ymin", "xmin", "ymax", "xmax"]]
    for i in range(32):
        name = f"pothole_{i:03d}.jpg"
        _save(d / "potholes" / name, _blocky_rgb(r, 128, 128, block=4))
        y0, x0 = r.uniform(0.2, 0.5), r.uniform(0.1, 0.5)
        rows.append([name, f"{y0:.4f}", f"{x0:.4f}", f"{y0 + r.uniform(0.15, 0.4):.4f}",
                     f"{x0 + r.uniform(0.15, 0.4):.4f}"])
    _csv(d / "potholes" / "boxes.csv", rows)


def land_use_tiles(d: Path):
    r = _rng(8713)
    for c in LAND_USE:
        for i in range(6):
            _save(d / "land_use" / c / f"{c}_{i:03d}.png", _blocky_rgb(r, 64, 64, block=4))


def congestion_model(d: Path):
    """models/congestion_v3.keras (trained on 90 x 160 frames) and incoming/*.jpg (320 x 180)."""
    r = _rng(8714)
    for i in range(6):
        _save(d / "incoming" / f"cam207_{1700 + i * 5:04d}.jpg", _blocky_rgb(r, 180, 320, block=8))
    (d / "models").mkdir(parents=True, exist_ok=True)
    prep("k3", """
        import keras
        from keras import layers
        model = keras.Sequential([
            keras.Input((90, 160, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(3, activation="softmax", name="condition"),
        ], name="congestion_v3")
        model.save("models/congestion_v3.keras")
    """, d)


def litter_grid(d: Path):
    """litter_det/images/*.jpg (64 x 64) and litter_det/labels/*.txt (YOLO boxes)."""
    r = _rng(8715)
    for i in range(24):
        name = f"bin_area_{i:03d}"
        _save(d / "litter_det" / "images" / f"{name}.jpg", _blocky_rgb(r, 64, 64, block=4))
        lines = [f"0 {r.uniform(0.1, 0.9):.5f} {r.uniform(0.1, 0.9):.5f} {r.uniform(0.05, 0.2):.5f} "
                 f"{r.uniform(0.05, 0.2):.5f}" for _ in range(int(r.integers(1, 4)))]
        (d / "litter_det" / "labels").mkdir(parents=True, exist_ok=True)
        (d / "litter_det" / "labels" / f"{name}.txt").write_text("\n".join(lines) + "\n")


def land_use_checkpoint(d: Path):
    """land_use_9/<class>/*.png and checkpoints/landuse/cp-0020.ckpt* (the seven-class run)."""
    r = _rng(8716)
    for c in LAND_USE + ["construction", "solar_farm", "transport"]:
        for i in range(4):
            _save(d / "land_use_9" / c / f"{c}_{i:03d}.png", _blocky_rgb(r, 64, 64, block=4))
    prep("tfk2", """
        import os
        import tf_keras as keras
        from tf_keras import layers
        os.makedirs("checkpoints/landuse", exist_ok=True)
        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(7, activation="softmax"),
        ], name="land_use")
        model.save_weights("checkpoints/landuse/cp-0020.ckpt")
    """, d)


def traffic_folders(d: Path):
    r = _rng(8717)
    for c in ("crash", "breakdown", "clear"):
        for i in range(8):
            _save(d / "incidents" / c / f"{c}_{i:03d}.jpg", _blocky_rgb(r, 72, 128, block=4))


def haze_photos(d: Path):
    r = _rng(8718)
    rows = [["photo", "pm25_ugm3"]]
    for i in range(48):
        name = f"skyline_{i:03d}.jpg"
        _save(d / "haze" / name, _blocky_rgb(r, 64, 96, block=4))
        rows.append([name, round(float(r.uniform(40, 320)), 1)])
    _csv(d / "haze" / "pm25_hourly.csv", rows)


def pothole_masks(d: Path):
    import numpy as np
    r = _rng(8719)
    for i in range(24):
        _save(d / "seg" / "images" / f"road_{i:03d}.png", _blocky_rgb(r, 64, 64, block=4))
        mask = np.zeros((64, 64), np.uint8)
        y, x = int(r.integers(8, 40)), int(r.integers(8, 40))
        mask[y:y + int(r.integers(8, 20)), x:x + int(r.integers(8, 20))] = 255
        _save(d / "seg" / "masks" / f"road_{i:03d}.png", mask)


def camera_day(d: Path):
    import json
    (d / "cams").mkdir(parents=True, exist_ok=True)
    (d / "cams" / "cam207.json").write_text(json.dumps(
        {"camera_id": 207, "location": "Harbor Rd / 5th St", "resolution": [1920, 1080],
         "snapshot_interval_s": 2, "archive": "cams/cam207/2024-10-08/"}, indent=2))


def sensor_log(d: Path):
    import numpy as np
    r = _rng(8720)
    rows = [["timestamp", "station", "pm25", "no2", "temp_c", "rh_pct"]]
    for st in ("AQ-03", "AQ-11", "AQ-17"):
        base = r.uniform(8, 25)
        for h in range(24 * 14):
            pm = base + 10 * np.sin(h / 24 * 2 * np.pi) + r.normal(0, 3)
            rows.append([f"2024-09-{1 + h // 24:02d}T{h % 24:02d}:00", st, f"{max(pm, 1):.1f}",
                         f"{r.uniform(10, 60):.1f}", f"{r.uniform(8, 24):.1f}", f"{r.uniform(40, 95):.0f}"])
    _csv(d / "sensors" / "aq_hourly_2024-09.csv", rows)


def permit_type_folders(d: Path):
    r = _rng(8721)
    for c in PERMIT_TYPES:
        for i in range(6):
            _save(d / "permit_types" / c / f"{c}_{i:03d}.png", _page(r, 160, 112))


def permit_archive_db(d: Path):
    import sqlite3
    r = _rng(8722)
    (d / "archive" / "scans").mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(d / "archive" / "permits.sqlite")
    con.execute("CREATE TABLE scans (scan_id INTEGER PRIMARY KEY, path TEXT, doc_type TEXT, year INTEGER)")
    for i in range(24):
        name = f"scans/BP-{2015 + i % 9}-{i:04d}.png"
        _save(d / "archive" / name, _page(r, 200, 140))
        con.execute("INSERT INTO scans VALUES (?, ?, ?, ?)", (i + 1, name, PERMIT_TYPES[i % 4], 2015 + i % 9))
    con.commit()
    con.close()


def repair_requests(d: Path):
    import numpy as np
    r = _rng(8723)
    (d / "damage").mkdir(parents=True, exist_ok=True)
    np.save(d / "damage" / "photos.npy", r.integers(0, 255, (48, 64, 64, 3), dtype=np.uint8))
    np.save(d / "damage" / "severity.npy", r.integers(1, 6, 48).astype("float32"))
    rows = [["service_request_id", "address", "ward", "photo"]]
    for i in range(12):
        name = f"SR-2024-{119400 + i}.jpg"
        _save(d / "open_requests" / name, _blocky_rgb(r, 64, 64, block=4))
        rows.append([119400 + i, f"{100 + i * 13} {['Elm St', 'Main St', 'Oak Ave'][i % 3]}", 1 + i % 4, name])
    _csv(d / "open_requests" / "open_requests.csv", rows)


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
        name="keras-more87-offline-traffic-cameras-json-error-bodies-saved-as-jpg-pil-pydataset-k3",
        cause="data.missing_or_corrupt",
        exception="UnidentifiedImageError",
        setup=camera_snapshots,
        pty=True,
        code=IMPORTS + """
        import math

        from PIL import Image

        # snapshots pulled every 10 minutes from the city's open-data camera API by download_snapshots.py
        CONDITIONS = ["free_flow", "slow", "congested"]
        ROOT = "{DATA}/cams"
        with open(os.path.join(ROOT, "labels.csv")) as f:
            rows = list(csv.DictReader(f))
        print(len(rows), "labelled snapshots from", len({r["camera"] for r in rows}), "cameras")


        class CameraSnapshots(keras.utils.PyDataset):
            def __init__(self, rows, batch_size=8, **kwargs):
                super().__init__(**kwargs)
                self.rows = rows
                self.batch_size = batch_size

            def __len__(self):
                return math.ceil(len(self.rows) / self.batch_size)

            def __getitem__(self, idx):
                batch = self.rows[idx * self.batch_size:(idx + 1) * self.batch_size]
                x = np.stack([np.asarray(Image.open(os.path.join(ROOT, r["snapshot"])).convert("RGB").resize((160, 90)),
                                         dtype="float32") / 255.0 for r in batch])
                y = np.array([CONDITIONS.index(r["condition"]) for r in batch])
                return x, y


        model = keras.Sequential([
            keras.Input((90, 160, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(CONDITIONS), activation="softmax"),
        ], name="congestion")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(CameraSnapshots(rows), epochs=3)
        """,
    ),
    Case(
        name="keras-more87-311-litter-photo-cut-short-by-vpn-drop-load-img-notebook-k3",
        cause="data.missing_or_corrupt",
        exception="OSError",
        **notebook([
            cell(imports=True, body="""
            # 311 service requests with a photo, exported from the CRM; photos fetched over the city VPN
            with open("{DATA}/311/export_2024-10.csv") as f:
                reqs = list(csv.DictReader(f))
            CATEGORIES = sorted({r["category"] for r in reqs})
            len(reqs), CATEGORIES
            """),
            cell("""
            x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/311/photos/" + r["photo"],
                                                                       target_size=(96, 128)))
                          for r in reqs]) / 255.0
            y = np.array([CATEGORIES.index(r["category"]) for r in reqs])
            x.shape
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((96, 128, 3)),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(CATEGORIES), activation="softmax"),
            ], name="sr_category")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
            """),
        ], data=litter_reports_vpn),
    ),
    # =================================================================== data.image_size_mismatch
    Case(
        name="keras-more87-sentinel2-10m-and-20m-band-arrays-stacked-into-land-use-tile-k3",
        cause="data.image_size_mismatch",
        exception="ValueError",
        setup=sentinel_bands,
        code=IMPORTS + """
        # land use per parcel tile from Sentinel-2 L2A bands, cut by the GIS team into one .npy per band
        LAND_USE = ["residential", "commercial", "industrial", "park", "agriculture", "water"]
        BANDS = ["B02", "B03", "B04", "B08", "B11", "B12"]     # blue, green, red, NIR, SWIR 1, SWIR 2
        with open("{DATA}/s2_tiles/labels.csv") as f:
            rows = list(csv.DictReader(f))


        def load_tile(tile):
            bands = [np.load(f"{DATA}/s2_tiles/{tile}/{b}.npy") for b in BANDS]
            return np.stack(bands, axis=-1).astype("float32") / 10000.0      # L2A reflectance scale


        x = np.stack([load_tile(r["tile"]) for r in rows])
        y = np.array([LAND_USE.index(r["land_use"]) for r in rows])
        print("tiles", x.shape)

        model = keras.Sequential([
            keras.Input((64, 64, len(BANDS))),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(LAND_USE), activation="softmax"),
        ], name="land_use_s2")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8, validation_split=0.2)
        """,
    ),
    Case(
        name="keras-more87-permit-scans-old-100dpi-and-new-150dpi-scanner-list-into-from-tensor-slices-tfk2",
        cause="data.image_size_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=permit_scans_two_dpi,
        code=tfk2(IMPORTS + """
        from PIL import Image

        # first page of every building-permit file in the archive, sorted into document types
        PERMIT_TYPES = ["application_form", "elevation", "floor_plan", "site_plan"]
        with open("{DATA}/permits/index.csv") as f:
            rows = list(csv.DictReader(f))
        scans = [np.asarray(Image.open("{DATA}/permits/scans/" + r["scan"]), dtype="float32")[..., None] / 255.0
                 for r in rows]
        labels = [PERMIT_TYPES.index(r["doc_type"]) for r in rows]
        print(len(scans), "scans")

        ds = (tf.data.Dataset.from_tensor_slices((scans, labels))
              .map(lambda s, y: (tf.image.resize(s, (176, 124)), y))
              .shuffle(64, seed=1).batch(8))

        model = keras.Sequential([
            keras.Input((176, 124, 1)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PERMIT_TYPES), activation="softmax"),
        ], name="permit_doc_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """),
    ),
    # =================================================================== data.image_channels
    Case(
        name="keras-more87-qgis-land-use-tiles-rgba-nodata-border-decode-png-default-channels-k3",
        cause="data.image_channels",
        exception="InvalidArgumentError",
        setup=qgis_rgba_tiles,
        pty=True,
        code=IMPORTS + """
        # tiles exported from the land-use layer in QGIS ("Export map to image", one folder per class)
        LAND_USE = ["residential", "commercial", "industrial", "park", "agriculture", "water"]
        paths = sorted(glob.glob("{DATA}/qgis_export/*/*.png"))
        labels = [LAND_USE.index(p.split(os.sep)[-2]) for p in paths]
        print(len(paths), "tiles")


        def load(path, label):
            img = tf.io.decode_png(tf.io.read_file(path))
            img = tf.image.resize(img, (64, 64)) / 255.0
            return img, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=3).map(load).batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(LAND_USE), activation="softmax"),
        ], name="land_use_qgis")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    Case(
        name="keras-more87-road-survey-van-mono-camera-frames-pil-into-rgb-pothole-model-notebook-tfk2",
        cause="data.image_channels",
        also=("model.input_shape",),
        exception="ValueError",
        env="tfk2",
        **notebook([
            cell("""
            # the roads division's PC (TF_USE_LEGACY_KERAS=1 for the pothole model of 2022)
            import glob
            import os

            import numpy as np
            from PIL import Image
            from tensorflow import keras

            model = keras.models.load_model("{DATA}/models/pothole_v2.h5")
            model.input_shape
            """),
            cell("""
            # frames from yesterday's run of the road-survey van
            frames = sorted(glob.glob("{DATA}/survey_van/2024-10-09/*.png"))
            x = np.stack([np.asarray(Image.open(p).resize((96, 96)), dtype="float32") / 255.0 for p in frames])
            x.shape
            """),
            cell("""
            probs = model.predict(x)[:, 0]
            for p, pr in zip(frames, probs):
                print(os.path.basename(p), "POTHOLE" if pr > 0.5 else "-", f"{pr:.2f}")
            """),
        ], data=survey_van_frames),
    ),
    # =================================================================== data.bbox_invalid
    Case(
        name="keras-more87-taco-litter-yolo-segmentation-polygon-export-read-as-yolo-boxes-loadtxt-k3",
        cause="data.bbox_invalid",
        exception="ValueError",
        setup=taco_polygons,
        code=IMPORTS + """
        # litter crops for the litter-type classifier, cut with the boxes of the annotation export
        # (exported from the labelling tool as "YOLO": class cx cy w h per line, normalised)
        LITTER = ["bottle", "can", "cup", "bag", "wrapper", "cigarette"]
        crops, labels = [], []
        for img_path in sorted(glob.glob("{DATA}/litter/images/*.jpg")):
            img = keras.utils.img_to_array(keras.utils.load_img(img_path))
            H, W = img.shape[:2]
            boxes = np.loadtxt(img_path.replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2)
            for cls, cx, cy, w, h in boxes:
                x0, y0 = int((cx - w / 2) * W), int((cy - h / 2) * H)
                crop = img[y0:y0 + int(h * H), x0:x0 + int(w * W)]
                crops.append(tf.image.resize(crop, (48, 48)).numpy() / 255.0)
                labels.append(int(cls))

        x, y = np.stack(crops), np.array(labels)
        print(len(x), "litter crops")
        model = keras.Sequential([
            keras.Input((48, 48, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(LITTER), activation="softmax"),
        ], name="litter_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== data.too_few_boxes
    Case(
        name="keras-more87-pothole-anchors-medians-of-nine-size-groups-from-five-boxes-array-split-k3",
        cause="data.too_few_boxes",
        exception="ValueError",
        setup=pothole_first_boxes,
        code=IMPORTS + """
        # anchors for the pothole detector: sort the boxes by area, cut into 9 groups, median of each group
        images = sorted(glob.glob("{DATA}/potholes/images/*.jpg"))
        labels = sorted(glob.glob("{DATA}/potholes/labels/*.txt"))
        wh = np.concatenate([np.loadtxt(p, ndmin=2)[:, 3:5] for p in labels])
        print(len(images), "photos,", len(wh), "boxes")

        INPUT = 416
        groups = np.array_split(wh[np.argsort(wh.prod(1))], 9)
        anchors = np.array([np.median(g, axis=0) for g in groups])
        anchors_px = [(int(round(w * INPUT)), int(round(h * INPUT))) for w, h in anchors]
        print("anchors =", ", ".join(f"{w},{h}" for w, h in anchors_px))

        with open("pothole_anchors.txt", "w") as f:
            f.write(", ".join(f"{w},{h}" for w, h in anchors_px))
        """,
    ),
    # =================================================================== data.label_out_of_range
    Case(
        name="keras-more87-esa-worldcover-codes-10-to-80-as-class-ids-seven-class-land-use-segmenter-k3",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        setup=worldcover_tiles,
        pty=True,
        code=IMPORTS + """
        # land cover per pixel: tree, shrub, grass, crop, built-up, bare, water (ESA WorldCover 2021 masks)
        NUM_CLASSES = 7
        tiles = sorted(glob.glob("{DATA}/worldcover/tiles/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in tiles]) / 255.0
        y = np.stack([keras.utils.img_to_array(keras.utils.load_img(p.replace("/tiles/", "/masks/"),
                                                                    color_mode="grayscale"))
                      for p in tiles]).astype("int32")
        print("tiles", x.shape, "masks", y.shape, "mask values", np.unique(y))

        inp = keras.Input((64, 64, 3))
        t = layers.Conv2D(32, 3, padding="same", activation="relu")(inp)
        t = layers.Conv2D(32, 3, padding="same", activation="relu")(t)
        t = layers.Conv2D(32, 3, padding="same", activation="relu")(t)
        out = layers.Conv2D(NUM_CLASSES, 1, activation="softmax", name="land_cover")(t)
        model = keras.Model(inp, out, name="land_cover_fcn")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    Case(
        name="keras-more87-pavement-condition-index-np-digitize-upper-limits-pci-100-sixth-bin-tfk2",
        cause="data.label_out_of_range",
        exception="InvalidArgumentError",
        env="tfk2",
        setup=pci_photos,
        code=tfk2(IMPORTS + """
        # street-segment photos rated from the 2024 pavement survey (PCI 0 .. 100)
        RATINGS = ["failed", "poor", "fair", "good", "excellent"]
        UPPER_LIMITS = [25, 40, 55, 85, 100]          # upper PCI of each rating

        with open("{DATA}/streets/pci_2024.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/streets/photos/" + r["photo"]))
                      for r in rows]) / 255.0
        y = np.digitize([int(r["pci"]) for r in rows], UPPER_LIMITS)
        print(dict(zip(RATINGS, np.bincount(y, minlength=len(RATINGS)))))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(RATINGS), activation="softmax"),
        ], name="pci_rating")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """),
    ),
    # =================================================================== data.label_shape
    Case(
        name="keras-more87-311-crm-litter-tags-multi-hot-under-sparse-categorical-crossentropy-k3",
        cause="data.label_shape",
        also=("model.output_mismatch",),
        exception="ValueError",
        setup=litter_tags,
        code=IMPORTS + """
        LITTER = ["bottle", "can", "cup", "bag", "wrapper", "cigarette"]
        with open("{DATA}/crm/litter_export.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/crm/photos/" + r["photo"]))
                      for r in rows]) / 255.0
        y = np.zeros((len(rows), len(LITTER)), dtype="float32")
        for i, r in enumerate(rows):
            for tag in r["tags"].split(";"):
                y[i, LITTER.index(tag)] = 1.0
        print("photos", x.shape, "tags", y.shape)

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(LITTER), activation="softmax", name="litter"),
        ], name="litter_tags")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=5, batch_size=8)
        """,
    ),
    # =================================================================== data.dtype
    Case(
        name="keras-more87-predicted-pothole-boxes-drawn-on-uint8-photos-for-council-report-k3",
        cause="data.dtype",
        exception="InvalidArgumentError",
        setup=pothole_boxes,
        code=IMPORTS + """
        with open("{DATA}/potholes/boxes.csv") as f:
            rows = list(csv.DictReader(f))
        photos = tf.stack([tf.io.decode_jpeg(tf.io.read_file("{DATA}/potholes/" + r["photo"]), channels=3)
                           for r in rows])
        boxes = np.array([[float(r[k]) for k in ("ymin", "xmin", "ymax", "xmax")] for r in rows], "float32")

        model = keras.Sequential([
            keras.Input((128, 128, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(4, activation="sigmoid", name="box"),
        ], name="pothole_box")
        model.compile(optimizer="adam", loss="mse")
        model.fit(photos, boxes, epochs=3, batch_size=8, verbose=2)

        # figures for the council report: the first eight photos with the predicted box in red
        pred = model.predict(photos[:8], verbose=0)
        drawn = tf.image.draw_bounding_boxes(photos[:8], pred[:, None, :], colors=[[255.0, 0.0, 0.0, 255.0]])
        os.makedirs("report", exist_ok=True)
        for i, img in enumerate(drawn):
            tf.io.write_file(f"report/pothole_{i}.jpg", tf.io.encode_jpeg(tf.cast(img, tf.uint8)))
        """,
    ),
    Case(
        name="keras-more87-land-use-tiles-per-tile-standardisation-reduce-std-on-uint8-in-map-k3",
        cause="data.dtype",
        exception="TypeError",
        setup=land_use_tiles,
        code=IMPORTS + """
        LAND_USE = ["residential", "commercial", "industrial", "park", "agriculture", "water"]
        paths = sorted(glob.glob("{DATA}/land_use/*/*.png"))
        labels = [LAND_USE.index(p.split(os.sep)[-2]) for p in paths]


        def load(path, label):
            tile = tf.io.decode_png(tf.io.read_file(path), channels=3)      # 64 x 64 tiles from the GIS team
            # per-tile standardisation, so the summer and winter acquisitions look alike
            tile = (tile - tf.reduce_mean(tile)) / tf.math.reduce_std(tile)
            return tile, label


        ds = (tf.data.Dataset.from_tensor_slices((paths, labels))
              .shuffle(len(paths), seed=5).map(load, num_parallel_calls=tf.data.AUTOTUNE).batch(8))

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(LAND_USE), activation="softmax"),
        ], name="land_use")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(ds, epochs=5)
        """,
    ),
    # =================================================================== model.input_shape
    Case(
        name="keras-more87-congestion-flatten-model-16x9-frames-loaded-at-tutorial-180-square-size-k3",
        cause="model.input_shape",
        exception="ValueError",
        setup=congestion_model,
        code=IMPORTS + """
        # the 5-minute job of the traffic management centre: classify the newest frame of each camera
        CONDITIONS = ["free_flow", "slow", "congested"]
        model = keras.models.load_model("{DATA}/models/congestion_v3.keras")

        frames = sorted(glob.glob("{DATA}/incoming/*.jpg"))
        # (load_img / predict lines as in the keras.io image classification tutorial)
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p, target_size=(180, 180))) for p in frames])
        print("frames", x.shape)
        for p, pr in zip(frames, model.predict(x, verbose=0)):
            print(os.path.basename(p), CONDITIONS[int(pr.argmax())], f"{pr.max():.2f}")
        """,
    ),
    # =================================================================== model.output_mismatch
    Case(
        name="keras-more87-litter-grid-detector-targets-encoded-for-stride-4-model-pools-by-8-k3",
        cause="model.output_mismatch",
        also=("data.label_shape",),
        exception="ValueError",
        setup=litter_grid,
        code=IMPORTS + """
        # one-class litter detector around the bins: objectness + box per grid cell (YOLO v1 style)
        IMG, STRIDE = 64, 4
        GRID = IMG // STRIDE
        images = sorted(glob.glob("{DATA}/litter_det/images/*.jpg"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in images]) / 255.0
        y = np.zeros((len(images), GRID, GRID, 5), dtype="float32")
        for i, p in enumerate(images):
            for _, cx, cy, w, h in np.loadtxt(p.replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2):
                gx, gy = min(int(cx * GRID), GRID - 1), min(int(cy * GRID), GRID - 1)
                y[i, gy, gx] = [1.0, cx * GRID - gx, cy * GRID - gy, w, h]
        print("images", x.shape, "targets", y.shape)

        model = keras.Sequential([
            keras.Input((IMG, IMG, 3)),
            layers.Conv2D(16, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(5, 1, activation="sigmoid", name="grid"),
        ], name="litter_grid")
        model.compile(optimizer="adam", loss="binary_crossentropy")
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== model.weights_mismatch
    Case(
        name="keras-more87-seven-class-land-use-tf-checkpoint-restored-into-nine-class-model-tfk2",
        cause="model.weights_mismatch",
        exception="ValueError",
        env="tfk2",
        setup=land_use_checkpoint,
        code=tfk2(IMPORTS + """
        # construction sites, solar farms and transport land were added to the land-use classes this year;
        # continue from the last checkpoint of the 2023 run
        train_ds = keras.utils.image_dataset_from_directory("{DATA}/land_use_9", image_size=(64, 64),
                                                            batch_size=8, seed=7)
        classes = train_ds.class_names

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(len(classes), activation="softmax"),
        ], name="land_use")
        latest = tf.train.latest_checkpoint("{DATA}/checkpoints/landuse")
        print("restoring", os.path.basename(latest))
        model.load_weights(latest)

        model.compile(optimizer=keras.optimizers.Adam(1e-4), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """),
    ),
    # =================================================================== model.api_misuse
    Case(
        name="keras-more87-incident-camera-random-zoom-0-8-1-2-ported-from-imagedatagenerator-notebook-k3",
        cause="model.api_misuse",
        exception="ValueError",
        **notebook([
            cell(imports=True, body="""
            train_ds = keras.utils.image_dataset_from_directory(
                "{DATA}/incidents", image_size=(72, 128), batch_size=8, seed=12)
            class_names = train_ds.class_names
            class_names
            """),
            cell("""
            # the 2021 notebook had ImageDataGenerator(zoom_range=[0.8, 1.2], horizontal_flip=True)
            augment = keras.Sequential([
                layers.RandomFlip("horizontal"),
                layers.RandomZoom((0.8, 1.2)),
            ], name="augment")
            """),
            cell("""
            model = keras.Sequential([
                keras.Input((72, 128, 3)),
                augment,
                layers.Rescaling(1.0 / 255),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(),
                layers.Dense(len(class_names), activation="softmax"),
            ], name="incident")
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            model.fit(train_ds, epochs=5)
            """),
        ], data=traffic_folders),
    ),
    # =================================================================== optim.divergence
    Case(
        name="keras-more87-pm25-haze-camera-raw-pixels-raw-ugm3-sgd-nan-predictions-np-histogram-k3",
        cause="optim.divergence",
        exception="ValueError",
        setup=haze_photos,
        pty=True,
        code=IMPORTS + """
        # PM2.5 from the haze over the skyline: the rooftop camera's hourly photo and the reference monitor
        with open("{DATA}/haze/pm25_hourly.csv") as f:
            rows = list(csv.DictReader(f))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/haze/" + r["photo"]))
                      for r in rows])                                        # 0 .. 255
        y = np.array([float(r["pm25_ugm3"]) for r in rows], dtype="float32")  # ug/m3

        model = keras.Sequential([
            keras.Input((64, 96, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, name="pm25"),
        ], name="haze_pm25")
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="mse")
        model.fit(x, y, epochs=6, batch_size=8)

        pred = model.predict(x, verbose=0)[:, 0]
        counts, edges = np.histogram(pred, bins=8)
        for c, lo, hi in zip(counts, edges, edges[1:]):
            print(f"{lo:6.1f} - {hi:6.1f} ug/m3: {c}")
        """,
    ),
    # =================================================================== optim.autograd_graph
    Case(
        name="keras-more87-pothole-segmenter-hard-iou-loss-on-tf-round-no-gradients-k3",
        cause="optim.autograd_graph",
        exception="ValueError",
        setup=pothole_masks,
        pty=True,
        code=IMPORTS + """
        # pothole area per photo for the repair estimate; the roads team reports IoU, so train on IoU
        images = sorted(glob.glob("{DATA}/seg/images/*.png"))
        x = np.stack([keras.utils.img_to_array(keras.utils.load_img(p)) for p in images]) / 255.0
        y = np.stack([keras.utils.img_to_array(keras.utils.load_img(p.replace("/images/", "/masks/"),
                                                                    color_mode="grayscale"))
                      for p in images]) / 255.0


        def iou_loss(y_true, y_pred):
            pred_mask = tf.round(y_pred)                    # the mask the roads team would see
            inter = tf.reduce_sum(y_true * pred_mask, axis=[1, 2, 3])
            union = tf.reduce_sum(y_true + pred_mask, axis=[1, 2, 3]) - inter
            return 1.0 - (inter + 1.0) / (union + 1.0)


        inp = keras.Input((64, 64, 3))
        t = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
        t = layers.Conv2D(16, 3, padding="same", activation="relu")(t)
        out = layers.Conv2D(1, 1, activation="sigmoid", name="pothole")(t)
        model = keras.Model(inp, out, name="pothole_seg")
        model.compile(optimizer="adam", loss=iou_loss)
        model.fit(x, y, epochs=5, batch_size=4)
        """,
    ),
    # =================================================================== resource.host_memory
    Case(
        name="keras-more87-day-of-1080p-traffic-camera-frames-preallocated-float32-median-background-k3",
        cause="resource.host_memory",
        exception="_ArrayMemoryError",
        setup=camera_day,
        as_limit=6 * 1024**3,
        code=IMPORTS + """
        # background model of camera 207 for the stopped-vehicle detector: per-pixel median over a whole day
        with open("{DATA}/cams/cam207.json") as f:
            cam = json.load(f)
        w, h = cam["resolution"]
        n = 24 * 3600 // cam["snapshot_interval_s"]
        print("camera", cam["camera_id"], cam["location"], ":", n, "frames at", (h, w))

        frames = np.empty((n, h, w, 3), dtype="float32")
        for i, p in enumerate(sorted(glob.glob(os.path.join("{DATA}", cam["archive"], "*.jpg")))):
            frames[i] = keras.utils.img_to_array(keras.utils.load_img(p)) / 255.0
        background = np.median(frames, axis=0)
        """,
    ),
    # =================================================================== env.version_incompat
    Case(
        name="keras-more87-air-quality-forecast-cudnnlstm-from-2019-repo-under-keras3-notebook-k3",
        cause="env.version_incompat",
        exception="AttributeError",
        **notebook([
            cell(imports=True, body="""
            # hourly PM2.5 of the city's low-cost sensor network, exported from the vendor portal
            with open("{DATA}/sensors/aq_hourly_2024-09.csv") as f:
                rows = list(csv.DictReader(f))
            stations = sorted({r["station"] for r in rows})
            series = {s: np.array([float(r["pm25"]) for r in rows if r["station"] == s], "float32") for s in stations}
            {s: len(v) for s, v in series.items()}
            """),
            cell("""
            LOOKBACK = 24
            xs, ys = [], []
            for s, v in series.items():
                v = v / 50.0
                for t in range(LOOKBACK, len(v)):
                    xs.append(v[t - LOOKBACK:t, None])
                    ys.append(v[t])
            x, y = np.stack(xs), np.array(ys)
            x.shape, y.shape
            """),
            cell("""
            # model from the air-quality forecasting repository the consultants left (2019)
            model = keras.Sequential([
                keras.Input((LOOKBACK, 1)),
                layers.CuDNNLSTM(64, return_sequences=True),
                layers.CuDNNLSTM(32),
                layers.Dense(1, name="pm25_next_hour"),
            ])
            model.compile(optimizer="adam", loss="mae")
            model.fit(x, y, epochs=5, batch_size=32, validation_split=0.2)
            """),
        ], data=sensor_log),
    ),
    Case(
        name="keras-more87-keras3-docs-pad-to-aspect-ratio-permit-scans-on-legacy-keras-pc-tfk2",
        cause="env.version_incompat",
        also=("model.api_misuse",),
        exception="TypeError",
        env="tfk2",
        setup=permit_type_folders,
        code="""
        # the planning office's PC keeps TF_USE_LEGACY_KERAS=1 for the old permit-routing model
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras import layers

        # pages are A4 portrait; pad them to the model's aspect ratio instead of squashing them
        # (image_dataset_from_directory docs on keras.io)
        train_ds = keras.utils.image_dataset_from_directory(
            "{DATA}/permit_types", image_size=(224, 160), color_mode="grayscale", batch_size=8,
            pad_to_aspect_ratio=True, seed=3)
        PERMIT_TYPES = train_ds.class_names

        model = keras.Sequential([
            keras.Input((224, 160, 1)),
            layers.Rescaling(1.0 / 255),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(len(PERMIT_TYPES), activation="softmax"),
        ], name="permit_doc_type")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(train_ds, epochs=5)
        """,
    ),
    # =================================================================== env.multiprocessing
    Case(
        name="keras-more87-permit-archive-pool-map-over-method-of-class-holding-sqlite-connection-k3",
        cause="env.multiprocessing",
        exception="TypeError",
        setup=permit_archive_db,
        code="""
        import multiprocessing as mp
        import os
        import sqlite3

        import numpy as np
        from PIL import Image

        ARCHIVE = "{DATA}/archive"


        class PermitArchive:
            # the planning office's scan archive: file paths and document types live in permits.sqlite
            def __init__(self, root):
                self.root = root
                self.db = sqlite3.connect(os.path.join(root, "permits.sqlite"))

            def scan_ids(self):
                return [r[0] for r in self.db.execute("SELECT scan_id FROM scans ORDER BY scan_id")]

            def prepare(self, scan_id):
                path, doc_type = self.db.execute(
                    "SELECT path, doc_type FROM scans WHERE scan_id = ?", (scan_id,)).fetchone()
                page = Image.open(os.path.join(self.root, path)).convert("L").resize((160, 224))
                return np.asarray(page, dtype="float32") / 255.0, doc_type


        if __name__ == "__main__":
            archive = PermitArchive(ARCHIVE)
            ids = archive.scan_ids()
            print(len(ids), "scans in the archive")
            with mp.Pool(4) as pool:
                pages = pool.map(archive.prepare, ids)
            x = np.stack([p for p, _ in pages])[..., None]
            np.save("permit_pages.npy", x)
            print("saved", x.shape)
        """,
    ),
    # =================================================================== other
    Case(
        name="keras-more87-repair-priority-list-sorted-severity-request-pairs-tied-severities-compare-dicts-k3",
        cause="other",
        exception="TypeError",
        setup=repair_requests,
        pty=True,
        code=IMPORTS + """
        # street-damage severity 1 (cosmetic) .. 5 (hazard) from the 311 photo, to order the repair crews' list
        x = np.load("{DATA}/damage/photos.npy").astype("float32") / 255.0
        y = np.load("{DATA}/damage/severity.npy")

        model = keras.Sequential([
            keras.Input((64, 64, 3)),
            layers.Conv2D(16, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(1, name="severity"),
        ], name="damage_severity")
        model.compile(optimizer="adam", loss="mae")
        model.fit(x, y, epochs=4, batch_size=8)

        with open("{DATA}/open_requests/open_requests.csv") as f:
            requests = list(csv.DictReader(f))
        photos = np.stack([keras.utils.img_to_array(keras.utils.load_img("{DATA}/open_requests/" + r["photo"]))
                           for r in requests]) / 255.0
        severity = [int(np.clip(round(float(s)), 1, 5)) for s in model.predict(photos, verbose=0)[:, 0]]

        priority = sorted(zip(severity, requests), reverse=True)
        with open("repair_priority.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["rank", "service_request_id", "address", "ward", "severity"])
            for rank, (s, r) in enumerate(priority, 1):
                w.writerow([rank, r["service_request_id"], r["address"], r["ward"], s])
        print("repair list written:", len(priority), "requests")
        """,
    ),
]


if __name__ == "__main__":
    _tfrecord.main(CASES, SRC)
