"""A hundred-and-sixth held-out set (g199, scored 0.87 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3.0.3 custom object detection failures: field biologists and conservation volunteers.

The persona: small teams of field biologists and conservation volunteers -- camera-trap photos (roe deer, wild
boar, red fox, badger, hare) sorted per station on SD cards and catalogued in Timelapse, drone surveys of gull
colonies and seal haul-outs (tiles with ``.jgw`` world files from the photogrammetry software, nest points from
QGIS, a whole-site orthomosaic), MicaSense multispectral band TIFFs and thermal drone frames from fawn-rescue
flights before the mowing, labelled with LabelImg, CVAT, Label Studio and Roboflow (YOLO txt exports, MegaDetector
pre-labels), datasets mixed from colleagues, training with ``DetectionModelTrainer`` on the lab PC and detection
with ``CustomObjectDetection`` / ``CustomVideoObjectDetection`` on the volunteers' laptops. Every case uses ImageAI
3 custom detection; each program is built so that its cause is known by construction and made to fail inside
ImageAI, torch, OpenCV, NumPy, SciPy, json or multiprocessing:

- dataset layout and annotation files: a colleague's validation split zipped on Windows as ``Images/`` +
  ``Annotations/``, unzipped on the Linux lab PC (data.missing_or_corrupt); MegaDetector pre-labels written by the
  group's converter as ``IMG_0001.jpg.txt``, so no box is paired with any photo and the anchor k-means gets none
  (data.missing_or_corrupt); one annotation hand-fixed in Windows Notepad and saved with a UTF-8 BOM
  (data.missing_or_corrupt); camera-trap labels from the photos' Timelapse CSV with Windows relative paths, read on
  a Linux laptop for detection (data.missing_or_corrupt);
- boxes and class ids: gull nest points from QGIS turned into YOLO boxes with the tile's ``.jgw`` world file, the
  negative y pixel size made positive, so every row is negative (data.bbox_invalid); a colleague's Label Studio
  export whose class ids follow its alphabetical ``classes.txt`` merged into the three-species set (tqdm, a path with
  spaces, data.label_out_of_range); nests digitised as points and buffered to fixed-size squares in QGIS, flown at
  two heights, so TinyYOLOv3's k-means finds two box sizes for six anchors (data.too_few_boxes);
- images into the detector: MicaSense band TIFFs stacked into a five-band array (data.image_channels); thermal
  fawn-rescue frames rendered with a colour map and stored as float16 ``.npy`` (notebook, data.dtype); the whole
  seal haul-out orthomosaic given to ``detectObjectsFromImage`` on the lab server under its job memory limit
  (resource.host_memory);
- model files and configs: the TinyYOLOv3 ``.pt`` copied to a field laptop with the copy cut short
  (model.weights_mismatch); a student's fine-tuning checkpoint dict (``model_state_dict``, optimizer, epoch) given
  to ``setModelPath`` (model.weights_mismatch); object names taken from CVAT's Ultralytics ``data.yaml`` as a dict,
  so the detection config's labels are a JSON object with string keys (notebook, model.api_misuse); a Roboflow
  export's ``data.yaml`` given to ``setJsonPath`` (model.api_misuse); last season's ``models`` folder as
  ``train_from_pretrained_model`` (model.api_misuse);
- API use and environment: ``trainModel(num_experiments=..., batch_size=...)`` as in the classification trainer
  (model.api_misuse); a station folder given to ``detectObjectsFromImage``, as its docstring suggests (notebook,
  model.api_misuse); detections saved into per-station output folders that do not exist, with
  ``extract_detected_objects=True`` (other); the laptop's USB camera index as ``camera_input`` of
  ``detectObjectsFromVideo`` (model.api_misuse); SD-card folders detected in a ``multiprocessing.Pool`` with a lambda
  (env.multiprocessing); ``evaluateModel`` from the ImageAI 2 guide (env.version_incompat); an ImageAI 2 field
  guide's ``detectObjectsFromImage(input_type="array")`` (env.version_incompat); the lab PC's training script, which
  logs its GPU name, run on a volunteer's laptop (env.cuda_setup).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads: model files are ones an earlier
run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more106.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import sys

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more106.py"

SCRIPTS = {}
CELLS = {}

SPECIES = '["roe_deer", "wild_boar", "red_fox"]'

# model files an earlier training run on the lab PC left on disk
CAM = {"PT": "camtrap/models/tiny-yolov3_camtrap_mAP-0.61342_epoch-37.pt",
       "JS": "camtrap/json/camtrap_tiny-yolov3_detection_config.json"}
SEAL = {"PT": "seals/models/tiny-yolov3_seals_mAP-0.55210_epoch-44.pt",
        "JS": "seals/json/seals_tiny-yolov3_detection_config.json"}
FAWN = {"PT": "fawns/models/tiny-yolov3_fawns_mAP-0.70114_epoch-52.pt",
        "JS": "fawns/json/fawns_tiny-yolov3_detection_config.json"}


def cam_rows(split, i):
    # YOLO txt as LabelImg writes it: class x_centre y_centre width height, normalised
    return "".join(f"{k % 3} {0.22 + 0.28 * k:.6f} {0.45 + 0.08 * k:.6f} {0.12 + 0.02 * i + 0.03 * k:.6f} "
                   f"{0.15 + 0.015 * i + 0.04 * k:.6f}\n" for k in range(3))


def camtrap_photos(root, n=3, size=(320, 240)):
    """Station folders of camera-trap photos as they come off the SD cards."""
    return imgs([(f"{root}/station_{s:02d}/IMG_{s * 100 + i:04d}.JPG", size, "RGB") for s in (3, 7) for i in range(n)])


# ================================================================== training: layout and annotation files
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

@@COMMENT@@
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

# ------------------------------------------------------------------ colleague's split zipped on Windows: Images/
SCRIPTS["imageai-colleague-validation-split-capitalised-folders"] = sub(
    DET_TRAIN, DIR="camtrap_2024", NAMES=SPECIES, EPOCHS="60",
    COMMENT="# train/: our stations; validation/: Jana's stations, from her zip (labelled on her Windows laptop)")

CAPITAL_PREP = '''
import os
# Jana zipped her folders on Windows, where the VOC habit of capitalised names does not matter
os.rename("camtrap_2024/validation/images", "camtrap_2024/validation/Images")
os.rename("camtrap_2024/validation/annotations", "camtrap_2024/validation/Annotations")
'''

# ------------------------------------------------------------------ MegaDetector pre-labels as IMG_0001.jpg.txt
SCRIPTS["imageai-megadetector-prelabels-txt-named-with-image-extension"] = '''
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

ROOT = "camtrap_md"
CLASSES = ["roe_deer", "wild_boar", "red_fox"]

# MegaDetector found the animals, the volunteers only picked the species in the review sheet
with open("md_results_reviewed.json") as f:
    md = json.load(f)
for im in md["images"]:
    split = "validation" if im["file"].startswith("val") else "train"
    out = os.path.join(ROOT, split, "annotations", os.path.basename(im["file"]) + ".txt")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        for det in im["detections"]:
            x, y, w, h = det["bbox"]                      # MegaDetector: normalised x_min, y_min, width, height
            f.write(f"{CLASSES.index(det['species'])} {x + w / 2:.6f} {y + h / 2:.6f} {w:.6f} {h:.6f}\\n")
print("labels written:", sum(len(fs) for d, _, fs in os.walk(ROOT) if d.endswith("annotations")))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=ROOT)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=50)
trainer.trainModel()
'''

MD_PREP = '''
import json, os
import numpy as np

rng = np.random.default_rng(3)
images = []
for split, n in (("train", 6), ("validation", 2)):
    for i in range(n):
        dets = []
        for k in range(2):
            w, h = 0.10 + 0.03 * k + 0.01 * i, 0.14 + 0.02 * k + 0.01 * i
            dets.append({"category": "1", "conf": round(0.8 + 0.05 * k, 3),
                         "bbox": [round(0.15 + 0.4 * k, 4), round(0.3 + 0.1 * k, 4), round(w, 4), round(h, 4)],
                         "species": ["roe_deer", "wild_boar", "red_fox"][(i + k) % 3]})
        images.append({"file": f"{split}/images/{split[:3]}_{i:04d}.jpg", "detections": dets})
json.dump({"info": {"detector": "md_v5a.0.0.pt"}, "images": images}, open("md_results_reviewed.json", "w"), indent=1)
'''

# ------------------------------------------------------------------ one label hand-fixed in Notepad (UTF-8 BOM)
SCRIPTS["imageai-label-hand-fixed-in-notepad-utf8-bom"] = sub(
    DET_TRAIN, DIR="camtrap_2024", NAMES=SPECIES, EPOCHS="60",
    COMMENT="# LabelImg (YOLO mode) labels; a few wrong species ids were corrected by hand on the office PC")

BOM_PREP = '''
# the fox in tra_0004 had been labelled as boar: fixed in Notepad, "Save as UTF-8"
p = "camtrap_2024/train/annotations/tra_0004.txt"
rows = open(p).read().splitlines()
rows[0] = "2" + rows[0][1:]
open(p, "w", encoding="utf-8-sig", newline="\\r\\n").write("\\n".join(rows) + "\\n")
'''

# ================================================================== training: boxes and class ids
# ------------------------------------------------------------------ QGIS nest points through the world file
SCRIPTS["imageai-gull-nests-qgis-points-world-file-y-sign"] = '''
import csv
import glob
import os
from collections import defaultdict

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

ROOT = "gull_colony"
NEST_M = 0.8          # box side on the ground, metres
SPECIES = ["herring_gull", "lesser_black_backed_gull"]

# nest points digitised in QGIS on the orthomosaic (EPSG:25832), one row per nest
nests = defaultdict(list)
with open("nests_2024.csv", newline="") as f:
    for r in csv.DictReader(f):
        nests[r["tile"]].append((float(r["easting"]), float(r["northing"]), SPECIES.index(r["species"])))

for jpg in sorted(glob.glob(f"{ROOT}/*/images/*.jpg")):
    h, w = cv2.imread(jpg).shape[:2]
    # world file: pixel size x, rotation, rotation, pixel size y, x and y of the upper-left pixel
    with open(jpg[:-4] + ".jgw") as wf:
        a, _, _, e, c, f = (float(v) for v in wf.read().split())
    stem = os.path.splitext(os.path.basename(jpg))[0]
    ann_dir = os.path.dirname(jpg).replace("images", "annotations")
    os.makedirs(ann_dir, exist_ok=True)
    with open(os.path.join(ann_dir, stem + ".txt"), "w") as out:
        for east, north, cls in nests[stem]:
            col = (east - c) / a
            row = (north - f) / abs(e)
            size_px = NEST_M / a
            out.write(f"{cls} {col / w:.6f} {row / h:.6f} {size_px / w:.6f} {size_px / h:.6f}\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=ROOT)
trainer.setTrainConfig(object_names_array=SPECIES, batch_size=4, num_experiments=80)
trainer.trainModel()
'''

GULL_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
rows = []
GSD = 0.015                       # 1.5 cm per pixel
W, H = 400, 300
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"gull_colony/{split}/images", exist_ok=True)
    for i in range(n):
        stem = f"tile_{split[:3]}_{i:03d}"
        Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8)).save(f"gull_colony/{split}/images/{stem}.jpg")
        x0, y0 = 467200.0 + 6.0 * i, 6079800.0 - 4.5 * (i + 10 * (split == "validation"))
        # .jgw next to the tile, as the photogrammetry software writes it
        open(f"gull_colony/{split}/images/{stem}.jgw", "w").write(f"{GSD}\\n0.0\\n0.0\\n{-GSD}\\n{x0}\\n{y0}\\n")
        for k in range(3):
            col, row = 60 + 120 * k + 5 * i, 70 + 60 * k
            rows.append((stem, round(x0 + col * GSD, 3), round(y0 - row * GSD, 3),
                         ["herring_gull", "lesser_black_backed_gull"][(i + k) % 2]))
with open("nests_2024.csv", "w", newline="") as f:
    csv.writer(f).writerows([("tile", "easting", "northing", "species")] + rows)
'''

# ------------------------------------------------------------------ colleague's Label Studio export merged in
SCRIPTS["imageai-merged-label-studio-export-alphabetical-ids-tqdm"] = '''
import glob
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

OURS = "exports/our_stations"                    # LabelImg, predefined_classes.txt: roe_deer, wild_boar, red_fox
THEIRS = "exports/label_studio_project_12"       # Label Studio YOLO export from the Brandenburg group
MERGED = "merged"

for split, take in (("train", slice(0, 5)), ("validation", slice(5, 7))):
    for d in ("images", "annotations"):
        os.makedirs(os.path.join(MERGED, split, d), exist_ok=True)
    for src in (OURS, THEIRS):
        for img in sorted(glob.glob(os.path.join(src, "images", "*.jpg")))[take]:
            stem = os.path.splitext(os.path.basename(img))[0]
            shutil.copy(img, os.path.join(MERGED, split, "images"))
            shutil.copy(os.path.join(src, "labels", stem + ".txt"), os.path.join(MERGED, split, "annotations"))

print(len(os.listdir(f"{MERGED}/train/images")), "training photos,",
      len(os.listdir(f"{MERGED}/validation/images")), "validation photos")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=MERGED)
trainer.setTrainConfig(object_names_array=["roe_deer", "wild_boar", "red_fox"], batch_size=4, num_experiments=60)
trainer.trainModel()
'''

MERGE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
for src, prefix, names in (("exports/our_stations", "st07", ["roe_deer", "wild_boar", "red_fox"]),
                           ("exports/label_studio_project_12", "b3f9a1c2-BB04",
                            ["badger", "hare", "red_fox", "roe_deer", "wild_boar"])):
    os.makedirs(f"{src}/images", exist_ok=True)
    os.makedirs(f"{src}/labels", exist_ok=True)
    open(f"{src}/classes.txt", "w").write("\\n".join(names) + "\\n")
    for i in range(7):
        stem = f"{prefix}_{i:04d}"
        Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"{src}/images/{stem}.jpg")
        rows = []
        for k, sp in enumerate([("roe_deer", "wild_boar"), ("red_fox", "roe_deer"), ("wild_boar", "red_fox")][i % 3]):
            w = 0.12 + 0.025 * i + 0.05 * k + (0.01 if prefix == "st07" else 0.0)
            h = 0.18 + 0.02 * i + 0.06 * k
            rows.append(f"{names.index(sp)} {0.25 + 0.45 * k:.6f} {0.5 + 0.05 * k:.6f} {w:.6f} {h:.6f}")
        open(f"{src}/labels/{stem}.txt", "w").write("\\n".join(rows) + "\\n")
'''

# ------------------------------------------------------------------ fixed-size nest buffers, two flight heights
SCRIPTS["imageai-nest-buffers-fixed-size-two-flight-heights-kmeans"] = sub(
    DET_TRAIN, DIR="tern_nests", NAMES='["common_tern_nest", "arctic_tern_nest"]', EPOCHS="80",
    COMMENT="# boxes: QGIS buffer of 0.5 m around each GPS nest point, clipped per tile and exported as YOLO txt")


def tern_rows(split, i):
    # flight 1 at 30 m (GSD 0.8 cm): 62 px squares; flight 2 at 45 m (GSD 1.2 cm): 42 px squares; 480 x 360 tiles
    px = 62 if i % 2 == 0 else 42
    return "".join(f"{k % 2} {(80 + 150 * k + 7 * i) / 480:.6f} {(90 + 80 * k + 5 * i) / 360:.6f} "
                   f"{px / 480:.6f} {px / 360:.6f}\n" for k in range(3))


# ================================================================== training: API use and environment
# ------------------------------------------------------------------ trainModel with the classification kwargs
SCRIPTS["imageai-trainer-trainmodel-given-classification-kwargs"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

SPECIES = ["roe_deer", "wild_boar", "red_fox"]

# last year's species classifier was trained with ClassificationModelTrainer; same pattern here
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="camtrap_2024")
trainer.setTrainConfig(object_names_array=SPECIES)
trainer.trainModel(num_experiments=60, batch_size=8)
'''

# ------------------------------------------------------------------ evaluateModel from the ImageAI 2 guide
SCRIPTS["imageai-trainer-evaluatemodel-from-imageai2-guide"] = sub('''
from imageai.Detection.Custom import DetectionModelTrainer

# evaluation step from the "Custom Detection Training" guide the volunteers were given (2021 workshop)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="camtrap")
metrics = trainer.evaluateModel(model_path="camtrap/models",
                                json_path="@@JS@@",
                                iou_threshold=0.5, object_threshold=0.3, nms_threshold=0.5)
for m in metrics:
    print(m["model_file"], m["map"])
''', **CAM)

# ------------------------------------------------------------------ last season's models folder as pretrained model
SCRIPTS["imageai-trainer-pretrained-model-given-models-folder"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# start from last season's detector instead of from scratch
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="camtrap_2024")
trainer.setTrainConfig(object_names_array=["roe_deer", "wild_boar", "red_fox"], batch_size=4, num_experiments=40,
                       train_from_pretrained_model="camtrap/models")
trainer.trainModel()
'''

# ------------------------------------------------------------------ the lab PC's script on a laptop
SCRIPTS["imageai-lab-pc-train-script-logs-gpu-on-laptop"] = '''
import time

import torch
from imageai.Detection.Custom import DetectionModelTrainer

# train_camtrap.py from the lab PC (RTX 3060); the log line helps when two groups share the machine
print(time.strftime("%Y-%m-%d %H:%M"), "training on", torch.cuda.get_device_name(0))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="camtrap_2024")
trainer.setTrainConfig(object_names_array=["roe_deer", "wild_boar", "red_fox"], batch_size=8, num_experiments=60)
trainer.trainModel()
'''

# ================================================================== detection: model files and configs
DET_HEAD = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
'''

# ------------------------------------------------------------------ names from CVAT's data.yaml as a dict
CELLS["imageai-cvat-ultralytics-yaml-names-dict-config-notebook"] = [
    '''import glob, os
from imageai.Detection.Custom import CustomObjectDetection

# trained on the lab PC; object_names_array came from the CVAT "Ultralytics YOLO" export's data.yaml ("names")
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
photos = sorted(glob.glob("sd_card/*/*.JPG"))
len(photos)'''.replace("@@PT@@", CAM["PT"]).replace("@@JS@@", CAM["JS"]),
    '''os.makedirs("detected", exist_ok=True)
for p in photos:
    found = detector.detectObjectsFromImage(input_image=p, output_image_path=os.path.join("detected", os.path.basename(p)),
                                            minimum_percentage_probability=40)
    print(os.path.basename(p), [d["name"] for d in found])''',
]

DICT_JSON_PREP = sub('''
import json
# the lab PC's trainer wrote object_names_array as given: the data.yaml dict, keys turned into strings by json
cfg = json.load(open("@@JS@@"))
cfg["labels"] = {str(i): n for i, n in enumerate(cfg["labels"])}
json.dump(cfg, open("@@JS@@", "w"))
''', **CAM)

# ------------------------------------------------------------------ Roboflow's data.yaml as the JSON path
SCRIPTS["imageai-detect-roboflow-data-yaml-as-json-path"] = sub('''
import glob

from imageai.Detection.Custom import CustomObjectDetection

# model trained on the lab PC from the Roboflow export "seal-haulout.v3i.yolov5pytorch"
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("seal-haulout.v3i.yolov5pytorch/data.yaml")
detector.loadModel()

for p in sorted(glob.glob("flight_0612/*.jpg")):
    found = detector.detectObjectsFromImage(input_image=p, output_image_path=p.replace(".jpg", "_seals.jpg"))
    print(p, len(found), "seals")
''', **SEAL)

DATA_YAML = '''train: ../train/images
val: ../valid/images
test: ../test/images

nc: 2
names: ['grey_seal', 'harbour_seal']

roboflow:
  workspace: wadden-volunteers
  project: seal-haulout
  version: 3
  license: CC BY 4.0
  url: https://universe.roboflow.com/wadden-volunteers/seal-haulout/dataset/3
'''

# ------------------------------------------------------------------ model copy to the field laptop cut short
SCRIPTS["imageai-detect-model-copy-to-field-laptop-cut-short"] = sub(DET_HEAD, **CAM) + '''
import glob

for p in sorted(glob.glob("sd_card/station_07/*.JPG")):
    print(p, [d["name"] for d in detector.detectObjectsFromImage(input_image=p, output_image_path=p + ".det.jpg")])
'''

TRUNC_PREP = sub('''
import os
# copied to the field laptop from the USB stick, which was pulled before the copy had finished
p = "@@PT@@"
size = os.path.getsize(p)
with open(p, "r+b") as f:
    f.truncate(int(size * 0.62))
''', **CAM)

# ------------------------------------------------------------------ a student's fine-tuning checkpoint dict
SCRIPTS["imageai-detect-student-finetune-checkpoint-dict"] = '''
import glob

from imageai.Detection.Custom import CustomObjectDetection

# Lena's thesis model: ImageAI's detector fine-tuned further with her own loop on the new stations
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("thesis_lena/checkpoints/finetune_best.pt")
detector.setJsonPath("@@JS@@")
detector.loadModel()

for p in sorted(glob.glob("sd_card/station_03/*.JPG")):
    found = detector.detectObjectsFromImage(input_image=p, output_image_path=p + ".det.jpg")
    print(p, [(d["name"], d["percentage_probability"]) for d in found])
'''.replace("@@JS@@", CAM["JS"])

CKPT_PREP = sub('''
import os
import torch

os.makedirs("thesis_lena/checkpoints", exist_ok=True)
sd = torch.load("@@PT@@")
params = [torch.zeros(4, requires_grad=True)]
opt = torch.optim.SGD(params, lr=1e-3, momentum=0.9)
torch.save({"epoch": 14, "model_state_dict": sd, "optimizer_state_dict": opt.state_dict(), "val_map50": 0.664},
           "thesis_lena/checkpoints/finetune_best.pt")
''', **CAM)

# ================================================================== detection: images into the detector
# ------------------------------------------------------------------ MicaSense bands stacked into five channels
SCRIPTS["imageai-detect-micasense-five-band-stack"] = sub('''
import glob

import cv2
import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# MicaSense RedEdge capture: IMG_0042_1.tif ... IMG_0042_5.tif = blue, green, red, near-IR, red edge (16 bit)
for cap in sorted({p.rsplit("_", 1)[0] for p in glob.glob("micasense/0004SET/000/IMG_*_?.tif")}):
    bands = [cv2.imread(f"{cap}_{b}.tif", cv2.IMREAD_UNCHANGED) for b in range(1, 6)]
    stack = np.dstack([(b / 256).astype(np.uint8) for b in bands])      # 16-bit reflectance counts to 8 bit
    annotated, found = detector.detectObjectsFromImage(input_image=stack, output_type="array",
                                                       minimum_percentage_probability=35)
    print(cap, [d["name"] for d in found])
''', **SEAL)

MICASENSE_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(5)
os.makedirs("micasense/0004SET/000", exist_ok=True)
for cap in (42, 43):
    for b in range(1, 6):
        band = rng.integers(2000, 40000, (240, 320), dtype=np.uint16)
        cv2.imwrite(f"micasense/0004SET/000/IMG_{cap:04d}_{b}.tif", band)
'''

# ------------------------------------------------------------------ thermal fawn frames as float16 .npy (notebook)
CELLS["imageai-detect-fawn-thermal-float16-npy-notebook"] = [
    '''import glob
import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()'''.replace("@@PT@@", FAWN["PT"]).replace("@@JS@@", FAWN["JS"]),
    '''# frames from this morning's flight over the meadow at Hof Brandt, converted from the R-JPEGs at home:
# temperatures rendered with the "inferno" map, kept as float16 to fit the whole flight on the laptop
frames = sorted(glob.glob("flight_2024-05-21/thermal_rgb/*.npy"))
print(len(frames), np.load(frames[0]).shape, np.load(frames[0]).dtype)''',
    '''for f in frames:
    frame = np.load(f)
    annotated, found = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                       minimum_percentage_probability=30)
    if found:
        print("possible fawn in", f, found)''',
]

THERMAL_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(9)
os.makedirs("flight_2024-05-21/thermal_rgb", exist_ok=True)
for i in range(3):
    t = rng.normal(14.0, 2.0, (256, 320)).astype(np.float32)     # degrees C, 640x512 sensor binned 2x
    t[100:130, 150:190] += 18.0                                       # something warm in the grass
    v = np.clip((t - 5.0) / 35.0, 0, 1)
    rgb = np.stack([v, v ** 2, np.sqrt(v)], axis=-1).astype(np.float16)
    np.save(f"flight_2024-05-21/thermal_rgb/DJI_{i + 201:04d}_T.npy", rgb)
'''

# ------------------------------------------------------------------ the whole orthomosaic under the job memory limit
SCRIPTS["imageai-detect-whole-orthomosaic-under-job-memory-limit"] = sub('''
import resource

# the lab server's job limit for the volunteers' account (set in the job script the admin gave us)
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (int(1.8 * 1024 ** 3), hard))

from imageai.Detection.Custom import CustomObjectDetection  # noqa: E402

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# count the seals on the whole haul-out at once instead of tile by tile
found = detector.detectObjectsFromImage(input_image="odm_orthophoto/haulout_2024-06-12.png",
                                        output_image_path="odm_orthophoto/haulout_2024-06-12_seals.jpg",
                                        minimum_percentage_probability=40)
print(len(found), "seals")
''', **SEAL)

ORTHO_PREP = '''
import os
import cv2
import numpy as np

# WebODM's orthophoto of the sandbank, exported as PNG (12000 x 9000 here)
os.makedirs("odm_orthophoto", exist_ok=True)
H, W = 9000, 12000
y = np.linspace(0, 255, H, dtype=np.float32)[:, None]
x = np.linspace(0, 255, W, dtype=np.float32)[None, :]
img = np.empty((H, W, 3), np.uint8)
img[..., 0] = (0.5 * y + 0.5 * x).astype(np.uint8)
img[..., 1] = y.astype(np.uint8)
img[..., 2] = x.astype(np.uint8)
cv2.imwrite("odm_orthophoto/haulout_2024-06-12.png", img)
'''

# ================================================================== detection: API use and environment
# ------------------------------------------------------------------ a station folder given as input_image (notebook)
CELLS["imageai-detect-station-folder-as-input-image-notebook"] = [
    '''from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()'''.replace("@@PT@@", CAM["PT"]).replace("@@JS@@", CAM["JS"]),
    '''# the loader's docstring: "If the given path is a directory, this function only load the images in the directory"
results = detector.detectObjectsFromImage(input_image="sd_card/station_07",
                                          output_image_path="detected/station_07.jpg",
                                          minimum_percentage_probability=40)
results''',
]

# ------------------------------------------------------------------ Timelapse CSV with Windows relative paths
SCRIPTS["imageai-detect-timelapse-csv-windows-relative-paths"] = sub('''
import csv
import os

from imageai.Detection.Custom import CustomObjectDetection

ROOT = "camtrap_2024"

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# the Timelapse database exported as CSV on the office PC: the photos still marked "unidentified"
with open(os.path.join(ROOT, "TimelapseData_export.csv"), newline="") as f:
    todo = [r for r in csv.DictReader(f) if r["Species"] == "unidentified"]
print(len(todo), "photos to check")

for r in todo:
    path = os.path.join(ROOT, r["RelativePath"], r["File"])
    found = detector.detectObjectsFromImage(input_image=path, output_image_path=path + "_det.jpg",
                                            minimum_percentage_probability=50)
    print(r["File"], [d["name"] for d in found])
''', **CAM)

TIMELAPSE_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
rows = []
for station in ("Station03", "Station07"):
    os.makedirs(f"camtrap_2024/spring/{station}", exist_ok=True)
    for i in range(3):
        name = f"IMG_{i + 1:04d}.JPG"
        Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"camtrap_2024/spring/{station}/{name}")
        rows.append((name, f"spring\\\\{station}", f"2024-04-{10 + i:02d} 0{i + 3}:12:44",
                     ["unidentified", "roe_deer", "unidentified"][i]))
with open("camtrap_2024/TimelapseData_export.csv", "w", newline="") as f:
    csv.writer(f).writerows([("File", "RelativePath", "DateTime", "Species")] + rows)
'''

# ------------------------------------------------------------------ per-station output folders never created
SCRIPTS["imageai-detect-extract-objects-station-output-folders-missing"] = sub('''
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# crops of every animal go to the species-review sheet, one output folder per station
for p in sorted(glob.glob("sd_card/station_*/*.JPG")):
    station = os.path.basename(os.path.dirname(p))
    out = os.path.join("review", station, os.path.basename(p))
    found, crops = detector.detectObjectsFromImage(input_image=p, output_image_path=out,
                                                   extract_detected_objects=True,
                                                   minimum_percentage_probability=40)
    print(p, len(crops), "crops")
''', **CAM)

# ------------------------------------------------------------------ ImageAI 2 field guide: input_type="array"
SCRIPTS["imageai-detect-imageai2-field-guide-input-type-array"] = sub('''
import glob

import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# step 4 of the volunteers' field guide (written for ImageAI 2.1): detect on photos already in memory
for p in sorted(glob.glob("sd_card/station_03/*.JPG")):
    img = cv2.imread(p)
    img = cv2.resize(img, (img.shape[1] // 2, img.shape[0] // 2))
    annotated, found = detector.detectObjectsFromImage(input_image=img, input_type="array", output_type="array",
                                                       minimum_percentage_probability=40)
    print(p, [d["name"] for d in found])
''', **CAM)

# ------------------------------------------------------------------ SD-card folders in a Pool with a lambda
SCRIPTS["imageai-detect-sd-card-folders-pool-map-lambda"] = sub('''
import glob
import os
from multiprocessing import Pool

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

if __name__ == "__main__":
    photos = sorted(glob.glob("sd_card/station_*/*.JPG"))
    os.makedirs("detected", exist_ok=True)
    # 4 cores on the laptop: one SD card's photos per process
    with Pool(2) as pool:
        results = pool.map(lambda p: detector.detectObjectsFromImage(
            input_image=p, output_image_path=os.path.join("detected", os.path.basename(p)),
            minimum_percentage_probability=40), photos)
    for p, found in zip(photos, results):
        print(p, [d["name"] for d in found])
''', **CAM)

# ------------------------------------------------------------------ USB camera index as camera_input
SCRIPTS["imageai-video-usb-camera-index-as-camera-input"] = sub('''
from imageai.Detection.Custom import CustomVideoObjectDetection


def per_frame(frame_number, objects, counts):
    if counts:
        print(f"frame {frame_number}: {counts}")


# live test at the feeding station: the laptop's USB camera is device 0 (cv2.VideoCapture(0) shows it fine)
video_detector = CustomVideoObjectDetection()
video_detector.setModelTypeAsTinyYOLOv3()
video_detector.setModelPath("@@PT@@")
video_detector.setJsonPath("@@JS@@")
video_detector.loadModel()

video_detector.detectObjectsFromVideo(camera_input=0,
                                      output_file_path="feeding_station_live",
                                      frames_per_second=10,
                                      per_frame_function=per_frame,
                                      minimum_percentage_probability=40,
                                      detection_timeout=120)
''', **CAM)


def cases():
    out, add, script, notebook = case_builders("torch-more106-", SCRIPTS, CELLS)
    B = ("cpython_basic",)
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    IA = {"framework": "imageai"}
    cam_model = save_tiny(SPECIES, 3, CAM["PT"], CAM["JS"])
    seal_model = save_tiny('["grey_seal", "harbour_seal"]', 2, SEAL["PT"], SEAL["JS"])
    fawn_model = save_tiny('["fawn", "hare", "deer"]', 3, FAWN["PT"], FAWN["JS"])
    sd_card = camtrap_photos("sd_card")
    camtrap_2024 = yolo_layout("camtrap_2024", cam_rows, size=(320, 240))

    # ---- training: layout and annotation files
    script("imageai-colleague-validation-split-capitalised-folders", "data.missing_or_corrupt", forms=B,
           argv="train_camtrap.py", setup=both(camtrap_2024, prep(CAPITAL_PREP)), **IA)
    script("imageai-megadetector-prelabels-txt-named-with-image-extension", "data.missing_or_corrupt", forms=B,
           argv="md_to_yolo_and_train.py",
           setup=both(yolo_layout("camtrap_md", cam_rows, size=(320, 240), write_labels=False), prep(MD_PREP)), **IA)
    script("imageai-label-hand-fixed-in-notepad-utf8-bom", "data.missing_or_corrupt", also=["data.bbox_invalid"],
           forms=B, argv="train_camtrap.py", setup=both(camtrap_2024, prep(BOM_PREP)), **IA)

    # ---- training: boxes and class ids
    script("imageai-gull-nests-qgis-points-world-file-y-sign", "data.bbox_invalid", forms=B,
           argv="nests_to_yolo_train.py", setup=prep(GULL_PREP), **IA)
    script("imageai-merged-label-studio-export-alphabetical-ids-tqdm", "data.label_out_of_range",
           forms=("cpython_basic", "progress_bars", "paths_with_spaces"), argv="merge_and_train.py",
           project="/home/lab/Camera Traps 2024", subdir="Camera Traps 2024", setup=prep(MERGE_PREP), **IA)
    script("imageai-nest-buffers-fixed-size-two-flight-heights-kmeans", "data.too_few_boxes", forms=B,
           argv="train_terns.py", setup=yolo_layout("tern_nests", tern_rows, size=(480, 360)), **IA)

    # ---- training: API use and environment
    script("imageai-trainer-trainmodel-given-classification-kwargs", "model.api_misuse", forms=B,
           argv="train_camtrap.py", setup=camtrap_2024, **IA)
    script("imageai-trainer-evaluatemodel-from-imageai2-guide", "env.version_incompat", also=["model.api_misuse"],
           forms=B, argv="evaluate_camtrap.py", setup=both(yolo_layout("camtrap", cam_rows, size=(320, 240)), cam_model),
           **IA)
    script("imageai-trainer-pretrained-model-given-models-folder", "model.api_misuse", forms=B,
           argv="train_camtrap.py", setup=both(camtrap_2024, cam_model), **IA)
    script("imageai-lab-pc-train-script-logs-gpu-on-laptop", "env.cuda_setup", forms=B, argv="train_camtrap.py",
           setup=camtrap_2024, **IA)

    # ---- detection: model files and configs
    notebook("imageai-cvat-ultralytics-yaml-names-dict-config-notebook", "model.api_misuse", forms=NB,
             setup=both(cam_model, prep(DICT_JSON_PREP), sd_card), **IA)
    script("imageai-detect-roboflow-data-yaml-as-json-path", "model.api_misuse", forms=B, argv="count_seals.py",
           setup=both(seal_model, write("seal-haulout.v3i.yolov5pytorch/data.yaml", DATA_YAML),
                      imgs([(f"flight_0612/DJI_{i:04d}.jpg", (400, 300), "RGB") for i in range(2)])), **IA)
    script("imageai-detect-model-copy-to-field-laptop-cut-short", "model.weights_mismatch",
           also=["data.missing_or_corrupt"], forms=B, argv="detect_station.py",
           setup=both(cam_model, prep(TRUNC_PREP), sd_card), **IA)
    script("imageai-detect-student-finetune-checkpoint-dict", "model.weights_mismatch", forms=B,
           argv="detect_thesis_model.py", setup=both(cam_model, prep(CKPT_PREP), sd_card), **IA)

    # ---- detection: images into the detector
    script("imageai-detect-micasense-five-band-stack", "data.image_channels", forms=B, argv="detect_multispectral.py",
           setup=both(seal_model, prep(MICASENSE_PREP)), **IA)
    notebook("imageai-detect-fawn-thermal-float16-npy-notebook", "data.dtype", forms=NB,
             setup=both(fawn_model, prep(THERMAL_PREP)), exception="error", **IA)  # cv2.error, as IPython shows it
    script("imageai-detect-whole-orthomosaic-under-job-memory-limit", "resource.host_memory", forms=B,
           argv="count_haulout.py", setup=both(seal_model, prep(ORTHO_PREP)), timeout=400, **IA)

    # ---- detection: API use and environment
    notebook("imageai-detect-station-folder-as-input-image-notebook", "model.api_misuse", forms=NB,
             setup=both(cam_model, sd_card), **IA)
    script("imageai-detect-timelapse-csv-windows-relative-paths", "data.missing_or_corrupt", forms=B,
           argv="check_unidentified.py", setup=both(cam_model, prep(TIMELAPSE_PREP)), **IA)
    script("imageai-detect-extract-objects-station-output-folders-missing", "other", also=["model.api_misuse"],
           forms=B, argv="crops_for_review.py", setup=both(cam_model, sd_card), **IA)
    script("imageai-detect-imageai2-field-guide-input-type-array", "env.version_incompat",
           also=["model.api_misuse"], forms=B, argv="detect_station.py", setup=both(cam_model, sd_card), **IA)
    script("imageai-detect-sd-card-folders-pool-map-lambda", "env.multiprocessing", forms=B,
           argv="detect_all_cards.py", setup=both(cam_model, sd_card), **IA)
    script("imageai-video-usb-camera-index-as-camera-input", "model.api_misuse", forms=B,
           argv="live_feeding_station.py", setup=cam_model, **IA)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
