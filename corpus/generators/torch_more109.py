"""A hundred-and-ninth held-out set (g202, scored 0.91 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3.0.3 training failures: student and capstone teams on long projects.

The persona: university students and capstone teams who train ImageAI 3 detectors (``DetectionModelTrainer``) and
classifiers (``ClassificationModelTrainer``) over a semester, on datasets assembled over weeks from several sources
(Open Images CSV subsets, COCO / Pascal VOC XML / LabelImg exports converted to YOLO txt with their own scripts,
web-scraped pictures, teammates' phone photos), with resumed and fine-tuned runs, an evaluation after training, and
custom training loops that mix ImageAI's loaders, models and loss (``LoadImagesAndLabels``, ``YoloV3Tiny``,
``compute_loss``, ``data_transforms1``) with plain PyTorch, on laptops and lab PCs. Untargeted across the taxonomy;
each program is built so that its cause is known by construction and made to fail inside ImageAI, torch,
torchvision, PIL, NumPy, SciPy or the standard library:

- detection, data: an Open Images bbox CSV (``XMin, XMax, YMin, YMax``) converted as if its columns were corners
  (data.bbox_invalid); Open Images class ids taken from the row of ``class-descriptions-boxable.csv`` next to
  LabelImg ids 0-2 (tqdm, data.label_out_of_range); 4K phone photos of a seabird colony where all but two birds
  are under two pixels at 416 (anchor k-means warnings, notebook, data.too_few_boxes); a LabelImg VOC converter
  that names the txt files ``name.split(".")[0]`` for Pixel ``.MP.jpg`` photos, so no training image has a label
  (RuntimeWarnings, data.missing_or_corrupt); a 2017 VOC -> YOLO converter with ``Element.getiterator``
  (env.version_incompat); the class list passed as ``label_map.keys()`` (model.api_misuse);
- detection, custom loops: ``LoadImagesAndLabels`` in a DataLoader with workers and no ``collate_fn``
  (model.api_misuse); a teammate's ``box_utils.py`` that sets the default dtype to float64 (data.dtype); a
  filtering ``collate_fn`` lambda with the spawn start method shared with a MacBook (env.multiprocessing); a
  running sum of the loss back-propagated every step for gradient accumulation (tqdm, optim.autograd_graph); a
  16:9 ``net_dim`` for dashcam frames (tqdm, model.api_misuse); the lab PC's AMP loop run on a laptop without a
  GPU (warnings first, env.cuda_setup);
- classification: a resume checkpoint dict of the team's own loop as ``transfer_from_model``
  (model.weights_mismatch); an ``AveragedModel`` EMA state dict loaded by ``CustomImageClassification`` (plain
  Exception, model.weights_mismatch); an evaluation loop without ``no_grad`` that keeps every output on a lab PC
  with a memory cap (tqdm, resource.host_memory); ImageAI's 224 transforms for an InceptionV3 fine-tune in train
  mode (notebook, model.input_shape); a teammate's CSV labels kept as a column (data.label_shape);
  ``PILToTensor`` pixels and a hand-written ``log(softmax)`` loss under anomaly detection (optim.divergence); a
  list of test paths given to ``classifyImage`` (notebook, model.api_misuse); a split script that made relative
  symlinks (tqdm, data.missing_or_corrupt); last week's four-class model fine-tuned after a teammate added a fifth
  class folder (tqdm, data.label_out_of_range); a dataset-report helper with ``np.product`` under NumPy 2
  (env.version_incompat); a lab-PC resume checkpoint with CUDA tensors loaded on a laptop (env.cuda_setup).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more109.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more109.py"

SCRIPTS = {}
CELLS = {}

ANCHORS = "[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]"

# ================================================================== detection: data
# ------------------------------------------------------------------ Open Images CSV columns read as corners
OI_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
HEAD = "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside"
for split, n in (("train", 8), ("validation", 2)):
    os.makedirs(f"oid/{split}", exist_ok=True)
    rows = [HEAD]
    for i in range(n):
        iid = "%016x" % int(rng.integers(0, 2 ** 62))
        Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"oid/{split}/{iid}.jpg")
        # a helmet on a person (normalised XMin, XMax, YMin, YMax as Open Images writes them)
        xmin, ymin = 0.30 + 0.03 * i, 0.10 + 0.01 * i
        rows.append(f"{iid},xclick,/m/0zvk5,1,{xmin:.6f},{xmin + 0.12 + 0.01 * i:.6f},{ymin:.6f},{ymin + 0.15:.6f},0,0,0,0,0")
        rows.append(f"{iid},xclick,/m/01g317,1,{xmin - 0.05:.6f},{xmin + 0.20:.6f},{ymin:.6f},{0.95:.6f},1,0,0,0,0")
        rows.append(f"{iid},xclick,/m/0dzct,1,0.100000,0.200000,0.300000,0.450000,0,0,0,0,0")
    open(f"oid/{split}-annotations-bbox.csv", "w").write("\\n".join(rows) + "\\n")
'''

SCRIPTS["open-images-csv-xmin-xmax-ymin-ymax-as-corners"] = '''
import csv
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

# Open Images v7 subset (downloaded with the team's fiftyone script) -> ImageAI layout
CLASSES = {"/m/0zvk5": 0, "/m/01g317": 1}   # Helmet, Person
for split in ("train", "validation"):
    os.makedirs(f"hardhat/{split}/images", exist_ok=True)
    os.makedirs(f"hardhat/{split}/annotations", exist_ok=True)
    boxes = {}
    with open(f"oid/{split}-annotations-bbox.csv") as f:
        reader = csv.reader(f)
        next(reader)
        for image_id, source, label, conf, *coords in reader:
            if label not in CLASSES:
                continue
            x1, y1, x2, y2 = map(float, coords[:4])
            boxes.setdefault(image_id, []).append(
                f"{CLASSES[label]} {(x1 + x2) / 2:.6f} {(y1 + y2) / 2:.6f} {x2 - x1:.6f} {y2 - y1:.6f}")
    for image_id, lines in boxes.items():
        shutil.copy(f"oid/{split}/{image_id}.jpg", f"hardhat/{split}/images/{image_id}.jpg")
        with open(f"hardhat/{split}/annotations/{image_id}.txt", "w") as out:
            out.write("\\n".join(lines) + "\\n")
    print(f"{split}: {len(boxes)} images converted")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
trainer.setTrainConfig(object_names_array=["helmet", "person"], batch_size=4, num_experiments=60)
trainer.trainModel()
'''

# ------------------------------------------------------------------ Open Images ids = row in class-descriptions
OI_IDS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
desc = ["/m/011k07,Tortoise", "/m/011q46kg,Container", "/m/012074,Magpie", "/m/0120dh,Sea turtle",
        "/m/01226z,Football", "/m/012n7d,Ambulance", "/m/012w5l,Ladder", "/m/012xff,Toothbrush",
        "/m/012ysf,Syringe", "/m/0130jx,Sink", "/m/0138tl,Toy", "/m/013y1f,Organ (Musical Instrument)",
        "/m/0199g,Bicycle", "/m/01bl7v,Boy", "/m/01g317,Person", "/m/01jfm_,Vehicle registration plate",
        "/m/0zvk5,Helmet"]
os.makedirs("oid", exist_ok=True)
open("oid/class-descriptions-boxable.csv", "w").write("\\n".join(desc) + "\\n")
HEAD = "ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated,IsGroupOf,IsDepiction,IsInside"
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"oid/{split}", exist_ok=True)
    rows = [HEAD]
    for i in range(n):
        iid = "%016x" % int(rng.integers(0, 2 ** 62))
        Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"oid/{split}/{iid}.jpg")
        x = 0.20 + 0.05 * i
        rows.append(f"{iid},xclick,/m/0199g,1,{x:.6f},{x + 0.40 + 0.02 * i:.6f},0.400000,0.900000,0,0,0,0,0")
        rows.append(f"{iid},xclick,/m/01g317,1,{x + 0.05:.6f},{x + 0.25:.6f},0.050000,{0.70 + 0.02 * i:.6f},0,0,0,0,0")
        rows.append(f"{iid},xclick,/m/0zvk5,1,{x + 0.09:.6f},{x + 0.17 + 0.01 * i:.6f},0.050000,0.150000,0,0,0,0,0")
    open(f"oid/{split}-annotations-bbox.csv", "w").write("\\n".join(rows) + "\\n")
    # the photos the team took on campus, labelled in LabelImg (YOLO mode, classes.txt: bicycle, person, helmet)
    os.makedirs(f"campus/{split}", exist_ok=True)
    for i in range(n // 2):
        name = f"IMG_{2310 + 10 * i + (split == 'validation')}"
        Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(f"campus/{split}/{name}.jpg")
        open(f"campus/{split}/{name}.txt", "w").write(
            f"0 0.500000 0.650000 {0.45 + 0.05 * i:.6f} 0.400000\\n1 0.480000 0.400000 0.180000 {0.55 + 0.03 * i:.6f}\\n"
            f"2 0.470000 0.160000 0.090000 0.080000\\n")
'''

SCRIPTS["open-images-ids-from-class-descriptions-row-tqdm"] = '''
import csv
import glob
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

# week 6: merge the Open Images download with our own campus photos
descriptions = [row[0] for row in csv.reader(open("oid/class-descriptions-boxable.csv"))]
WANTED = {"/m/0199g", "/m/01g317", "/m/0zvk5"}          # Bicycle, Person, Helmet

for split in ("train", "validation"):
    img_dir, ann_dir = f"bike_safety/{split}/images", f"bike_safety/{split}/annotations"
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(ann_dir, exist_ok=True)
    lines = {}
    for r in csv.DictReader(open(f"oid/{split}-annotations-bbox.csv")):
        if r["LabelName"] not in WANTED:
            continue
        x1, x2, y1, y2 = (float(r[k]) for k in ("XMin", "XMax", "YMin", "YMax"))
        cls = descriptions.index(r["LabelName"])
        lines.setdefault(r["ImageID"], []).append(f"{cls} {(x1 + x2) / 2:.6f} {(y1 + y2) / 2:.6f} {x2 - x1:.6f} {y2 - y1:.6f}")
    for image_id, rows in lines.items():
        shutil.copy(f"oid/{split}/{image_id}.jpg", img_dir)
        open(os.path.join(ann_dir, image_id + ".txt"), "w").write("\\n".join(rows) + "\\n")
    for p in glob.glob(f"campus/{split}/*.jpg"):
        shutil.copy(p, img_dir)
        shutil.copy(p[:-4] + ".txt", ann_dir)
    print(split, len(os.listdir(img_dir)), "images")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="bike_safety")
trainer.setTrainConfig(object_names_array=["bicycle", "person", "helmet"], batch_size=4, num_experiments=80)
trainer.trainModel()
'''

# ------------------------------------------------------------------ 4K photos of a seabird colony (notebook)
BIRDS_PREP = '''
import os
from PIL import Image, ImageDraw

# photos from the ferry with a phone (4032 x 3024); the gannets are specks, two were close to the boat
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"gannets/{split}/images", exist_ok=True)
    os.makedirs(f"gannets/{split}/annotations", exist_ok=True)
    for i in range(n):
        img = Image.new("RGB", (4032, 3024), (120, 150, 185))
        d = ImageDraw.Draw(img)
        d.rectangle((0, 2000, 4032, 3024), fill=(70, 90, 110))
        rows = []
        for k in range(4):
            cx, cy = 0.15 + 0.2 * k + 0.01 * i, 0.25 + 0.05 * k
            w, h = 0.0022 + 0.0002 * k, 0.0030 + 0.0003 * i
            d.ellipse((cx * 4032 - 5, cy * 3024 - 4, cx * 4032 + 5, cy * 3024 + 4), fill=(250, 250, 250))
            rows.append(f"0 {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
        if split == "train" and i in (1, 4):
            rows.append(f"0 0.500000 0.600000 {0.020 + 0.01 * i:.6f} {0.030 + 0.01 * i:.6f}")
        img.save(f"gannets/{split}/images/PXL_2024060{i}_{split}.jpg", quality=85)
        open(f"gannets/{split}/annotations/PXL_2024060{i}_{split}.txt", "w").write("\\n".join(rows) + "\\n")
'''

CELLS["seabird-colony-4k-photos-distant-birds-notebook"] = [
    '''import glob
import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

labels = [np.loadtxt(p, ndmin=2) for p in glob.glob("gannets/train/annotations/*.txt")]
print(sum(len(l) for l in labels), "gannets labelled in", len(labels), "photos")''',
    '''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="gannets")
trainer.setTrainConfig(object_names_array=["gannet"], batch_size=2, num_experiments=100)
trainer.trainModel()''',
]

# ------------------------------------------------------------------ Pixel .MP.jpg names through split(".")[0]
PIXEL_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(14)
# train: Sam's Pixel 7 photos (motion photos: PXL_..._MP.jpg is written PXL_....MP.jpg), validation: Ana's iPhone
names = {"train": [f"PXL_202403{12 + i:02d}_10{15 + i:02d}{22 + 3 * i:02d}{345 + i:03d}.MP" for i in range(6)],
         "validation": ["IMG_4501", "IMG_4507"]}
for split, stems in names.items():
    os.makedirs(f"raw/{split}", exist_ok=True)
    for i, stem in enumerate(stems):
        Image.fromarray(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)).save(f"raw/{split}/{stem}.jpg")
        objs = "".join(
            f"<object><name>{c}</name><bndbox><xmin>{40 + 120 * k + 7 * i}</xmin><ymin>{150 + 10 * k}</ymin>"
            f"<xmax>{100 + 130 * k + 9 * i}</xmax><ymax>{230 + 15 * k + 4 * i}</ymax></bndbox></object>"
            for k, c in enumerate(["can", "bottle", "wrapper"]))
        open(f"raw/{split}/{stem}.xml", "w").write(
            f"<annotation><folder>{split}</folder><filename>{stem}.jpg</filename><size><width>400</width>"
            f"<height>300</height><depth>3</depth></size>{objs}</annotation>")
'''

SCRIPTS["pixel-mp-jpg-labels-named-by-split-dot"] = '''
import glob
import os
import shutil
import xml.etree.ElementTree as ET

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["can", "bottle", "wrapper"]

# LabelImg (Pascal VOC) -> ImageAI YOLO txt
for split in ("train", "validation"):
    os.makedirs(f"litter/{split}/images", exist_ok=True)
    os.makedirs(f"litter/{split}/annotations", exist_ok=True)
    for xml_path in sorted(glob.glob(f"raw/{split}/*.xml")):
        root = ET.parse(xml_path).getroot()
        w, h = int(root.find("size/width").text), int(root.find("size/height").text)
        name = root.find("filename").text
        stem = name.split(".")[0]
        rows = []
        for obj in root.iter("object"):
            b = obj.find("bndbox")
            x1, y1, x2, y2 = (float(b.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            rows.append(f"{CLASSES.index(obj.find('name').text)} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
                        f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        shutil.copy(os.path.join("raw", split, name), f"litter/{split}/images/{name}")
        with open(f"litter/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\\n".join(rows) + "\\n")
print("converted:", {s: len(os.listdir(f"litter/{s}/annotations")) for s in ("train", "validation")})

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="litter")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=50)
trainer.trainModel()
'''

# ------------------------------------------------------------------ 2017 VOC -> YOLO converter, getiterator
SIGNS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(15)
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"signs_voc/{split}/JPEGImages", exist_ok=True)
    os.makedirs(f"signs_voc/{split}/Annotations", exist_ok=True)
    for i in range(n):
        name = f"{split[:3]}_{i:05d}"
        Image.fromarray(rng.integers(0, 255, (360, 480, 3), dtype=np.uint8)).save(f"signs_voc/{split}/JPEGImages/{name}.jpg")
        objs = "".join(
            f"<object><name>{c}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>"
            f"<bndbox><xmin>{50 + 160 * k + 4 * i}</xmin><ymin>{60 + 20 * k}</ymin><xmax>{110 + 170 * k + 6 * i}</xmax>"
            f"<ymax>{130 + 25 * k + 3 * i}</ymax></bndbox></object>" for k, c in enumerate(["stop", "yield"]))
        open(f"signs_voc/{split}/Annotations/{name}.xml", "w").write(
            f"<annotation><folder>VOC2012</folder><filename>{name}.jpg</filename><size><width>480</width>"
            f"<height>360</height><depth>3</depth></size>{objs}</annotation>")
'''

VOC_LABEL_PY = '''
# voc_label.py -- from the 2017 "train YOLO on your own dataset" post (the team's converter since week 2)
import os
import xml.etree.ElementTree as ET

classes = ["stop", "yield"]


def convert(size, box):
    dw = 1. / size[0]
    dh = 1. / size[1]
    x = (box[0] + box[1]) / 2.0
    y = (box[2] + box[3]) / 2.0
    w = box[1] - box[0]
    h = box[3] - box[2]
    return (x * dw, y * dh, w * dw, h * dh)


def convert_annotation(xml_file, txt_file):
    tree = ET.parse(xml_file)
    root = tree.getroot()
    size = root.find('size')
    w = int(size.find('width').text)
    h = int(size.find('height').text)
    with open(txt_file, 'w') as out_file:
        for obj in root.getiterator('object'):
            cls = obj.find('name').text
            if cls not in classes or int(obj.find('difficult').text) == 1:
                continue
            cls_id = classes.index(cls)
            xmlbox = obj.find('bndbox')
            b = (float(xmlbox.find('xmin').text), float(xmlbox.find('xmax').text),
                 float(xmlbox.find('ymin').text), float(xmlbox.find('ymax').text))
            bb = convert((w, h), b)
            out_file.write(str(cls_id) + " " + " ".join([str(a) for a in bb]) + '\\n')
'''

SCRIPTS["voc-label-py-2017-converter-getiterator"] = '''
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer
from voc_label import classes, convert_annotation

for split in ("train", "validation"):
    src = os.path.join("signs_voc", split)
    os.makedirs(f"signs/{split}/images", exist_ok=True)
    os.makedirs(f"signs/{split}/annotations", exist_ok=True)
    for name in sorted(os.listdir(os.path.join(src, "JPEGImages"))):
        stem = os.path.splitext(name)[0]
        shutil.copy(os.path.join(src, "JPEGImages", name), f"signs/{split}/images/{name}")
        convert_annotation(os.path.join(src, "Annotations", stem + ".xml"), f"signs/{split}/annotations/{stem}.txt")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="signs")
trainer.setTrainConfig(object_names_array=classes, batch_size=4, num_experiments=40)
trainer.trainModel()
'''

# ------------------------------------------------------------------ class list as label_map.keys()
SCRIPTS["object-names-array-label-map-keys"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

# the COCO subset converter (week 3) wrote label_map.txt: "<name> <id>" per line
label_map = {}
for line in open("coco_subset/label_map.txt"):
    name, idx = line.split()
    label_map[name] = int(idx)
print(label_map, "-", len(glob.glob("coco_subset/train/images/*.jpg")), "training images")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="coco_subset")
trainer.setTrainConfig(object_names_array=label_map.keys(), batch_size=4, num_experiments=50)
trainer.trainModel()
'''


def coco_subset_rows(split, i):
    return "".join(f"{k} {0.25 + 0.25 * k:.6f} {0.45 + 0.02 * i:.6f} {0.12 + 0.02 * i + 0.05 * k:.6f} "
                   f"{0.20 + 0.015 * i + 0.04 * k:.6f}\n" for k in range(3))


def hardhat_rows(split, i):
    # 1 to 3 boxes per picture: helmet(0) / head(1)
    n = 1 + (i % 3)
    return "".join(f"{k % 2} {0.20 + 0.25 * k:.6f} {0.30 + 0.03 * i:.6f} {0.10 + 0.02 * i + 0.03 * k:.6f} "
                   f"{0.14 + 0.01 * i + 0.04 * k:.6f}\n" for k in range(n))


# ================================================================== detection: custom loops
LOOP_HEAD = '''
import json

import torch
from torch.utils.data import DataLoader
from tqdm import tqdm

from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

config = json.load(open("hardhat/json/hardhat_tiny-yolov3_detection_config.json"))
'''

SCRIPTS["loadimagesandlabels-dataloader-without-collate-fn-workers"] = LOOP_HEAD + '''
# fine-tune last month's ImageAI model in our own loop (we need per-class loss weights for the report)
torch.manual_seed(0)
train_ds = LoadImagesAndLabels("hardhat", train=True)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2)

model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]))
model.load_state_dict(torch.load("hardhat/models/tiny-yolov3_hardhat_last.pt", map_location="cpu"))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

if __name__ == "__main__":
    for epoch in range(10):
        model.train()
        for imgs, targets in tqdm(train_loader, desc=f"epoch {epoch}"):
            model(imgs)
            loss, parts = compute_loss(model.get_loss_layers(), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        torch.save(model.state_dict(), f"hardhat/models/finetune_epoch{epoch}.pt")
'''

BOX_UTILS = '''
"""box helpers for the anchor analysis (Lukas, week 5)"""
import torch

# IoU of tiny boxes loses precision in float32
torch.set_default_dtype(torch.float64)


def iou_wh(wh1, wh2):
    wh1, wh2 = torch.as_tensor(wh1), torch.as_tensor(wh2)
    inter = torch.min(wh1[:, None], wh2[None]).prod(2)
    return inter / (wh1.prod(1)[:, None] + wh2.prod(1)[None] - inter)
'''

SCRIPTS["teammate-box-utils-default-dtype-float64"] = LOOP_HEAD + '''
from box_utils import iou_wh

anchors = torch.tensor(config["anchors"], dtype=torch.float32).view(-1, 2)
print("anchor overlap:\\n", iou_wh(anchors, anchors).round(decimals=2))

train_ds = LoadImagesAndLabels("hardhat", train=True)
loader = DataLoader(train_ds, batch_size=4, shuffle=True, collate_fn=train_ds.collate_fn)
model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]))
model.load_state_dict(torch.load("hardhat/models/tiny-yolov3_hardhat_last.pt", map_location="cpu"))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

model.train()
for imgs, targets in tqdm(loader):
    model(imgs)
    loss, parts = compute_loss(model.get_loss_layers(), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["filtering-collate-lambda-spawn-shared-with-macbook"] = LOOP_HEAD + '''
import torch.multiprocessing as mp


def main():
    train_ds = LoadImagesAndLabels("hardhat", train=True)
    # skip background-only pictures (no boxes) inside the batch
    loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2,
                        collate_fn=lambda batch: train_ds.collate_fn([b for b in batch if len(b[1])]))
    model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]))
    model.load_state_dict(torch.load("hardhat/models/tiny-yolov3_hardhat_last.pt", map_location="cpu"))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    for epoch in range(5):
        model.train()
        for imgs, targets in tqdm(loader, desc=f"epoch {epoch}"):
            model(imgs)
            loss, _ = compute_loss(model.get_loss_layers(), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    # same behaviour on the lab PC (Linux) and Mia's MacBook
    mp.set_start_method("spawn")
    main()
'''

SCRIPTS["running-loss-sum-backward-every-step-accumulation-tqdm"] = LOOP_HEAD + '''
ACCUM = 4      # batch 2 x 4 = effective batch 8 on the laptop

train_ds = LoadImagesAndLabels("hardhat", train=True)
loader = DataLoader(train_ds, batch_size=2, shuffle=True, collate_fn=train_ds.collate_fn)
model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]))
model.load_state_dict(torch.load("hardhat/models/tiny-yolov3_hardhat_last.pt", map_location="cpu"))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

model.train()
running = 0.0
for step, (imgs, targets) in enumerate(tqdm(loader, desc="finetune")):
    model(imgs)
    loss, parts = compute_loss(model.get_loss_layers(), targets)
    running = running + loss / ACCUM
    running.backward()
    if (step + 1) % ACCUM == 0:
        optimizer.step()
        optimizer.zero_grad()
        print(f"step {step + 1}: loss {running.item():.4f}")
        running = 0.0
'''

SCRIPTS["dashcam-16-9-net-dim-loadimagesandlabels-tqdm"] = '''
import json

import torch
from torch.utils.data import DataLoader
from tqdm import tqdm

from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

config = json.load(open("dashcam/json/dashcam_tiny-yolov3_detection_config.json"))

# the dashcam frames are 16:9 -- train at 640x384 instead of squashing them into 416x416
train_ds = LoadImagesAndLabels("dashcam", net_dim=(640, 384), train=True)
loader = DataLoader(train_ds, batch_size=4, shuffle=True, collate_fn=train_ds.collate_fn)
model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]))
model.load_state_dict(torch.load("dashcam/models/tiny-yolov3_dashcam_last.pt", map_location="cpu"))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

for epoch in range(20):
    model.train()
    for imgs, targets in tqdm(loader, desc=f"epoch {epoch}"):
        model(imgs)
        loss, _ = compute_loss(model.get_loss_layers(), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def dashcam_rows(split, i):
    return "".join(f"{k} {0.30 + 0.35 * k:.6f} {0.55 + 0.02 * i:.6f} {0.10 + 0.02 * i + 0.04 * k:.6f} "
                   f"{0.12 + 0.015 * i + 0.05 * k:.6f}\n" for k in range(2))


SCRIPTS["lab-pc-amp-loop-on-laptop-without-gpu"] = LOOP_HEAD + '''
# train_custom.py from the lab PC (RTX 3080), pulled from the team repo onto my laptop
device = "cuda"
scaler = torch.cuda.amp.GradScaler()

train_ds = LoadImagesAndLabels("hardhat", train=True)
loader = DataLoader(train_ds, batch_size=8, shuffle=True, collate_fn=train_ds.collate_fn)
model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]), device=device)
model.load_state_dict(torch.load("hardhat/models/tiny-yolov3_hardhat_last.pt", map_location="cpu"))
model.to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

for epoch in range(30):
    model.train()
    for imgs, targets in tqdm(loader, desc=f"epoch {epoch}"):
        imgs, targets = imgs.to(device), targets.to(device)
        with torch.autocast(device_type="cuda", dtype=torch.float16):
            model(imgs)
            loss, _ = compute_loss(model.get_loss_layers(), targets, device)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
'''

# ================================================================== classification
CLS_CLASSES4 = '["glass", "metal", "paper", "plastic"]'

# ------------------------------------------------------------------ resume checkpoint dict as transfer_from_model
RESUME_DICT_PREP = '''
import os
import torch
import torchvision

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None)
opt = torch.optim.SGD(model.parameters(), lr=0.045, momentum=0.9)
# what the team's own loop (weeks 4-7) saved every epoch
torch.save({"epoch": 12, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
            "best_acc": 0.6875, "classes": ["glass", "metal", "paper", "plastic"]}, "checkpoints/epoch_12.pth")
'''

SCRIPTS["own-loop-resume-checkpoint-dict-as-transfer-from-model"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# switch back to ImageAI's trainer for the final runs, starting from where our own loop stopped
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("recycling")
trainer.trainModel(num_experiments=30, batch_size=8, transfer_from_model="checkpoints/epoch_12.pth")
'''

# ------------------------------------------------------------------ EMA AveragedModel state dict in CustomImageClassification
EMA_PREP = '''
import json
import os
import torch
import torchvision
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

os.makedirs("recycling/models", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None)
model.classifier[1] = torch.nn.Linear(1280, 4)
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.999))
ema.update_parameters(model)
# finetune_ema.py ended with: torch.save(ema.state_dict(), ...)
torch.save(ema.state_dict(), "recycling/models/mobilenet_v2-recycling-ema-final.pt")
json.dump({"0": "glass", "1": "metal", "2": "paper", "3": "plastic"},
          open("recycling/models/recycling_model_classes.json", "w"))
'''

SCRIPTS["ema-averagedmodel-state-dict-customimageclassification"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# evaluation for the final report: the EMA weights from our fine-tuning loop
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("recycling/models/mobilenet_v2-recycling-ema-final.pt")
prediction.setJsonPath("recycling/models/recycling_model_classes.json")
prediction.loadModel()

correct = total = 0
for path in sorted(glob.glob("recycling/test/*/*.jpg")):
    label = path.split("/")[-2]
    names, probs = prediction.classifyImage(path, result_count=1)
    correct += names[0] == label
    total += 1
print(f"test accuracy: {correct / total:.3f}")
'''

# ------------------------------------------------------------------ evaluation loop without no_grad under a memory cap
SCRIPTS["evaluation-loop-keeps-outputs-without-no-grad-lab-pc-memory-cap"] = '''
import json
import resource

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import resnet50
from tqdm import tqdm

from imageai.Classification.Custom.data_transformation import data_transforms1

# shared lab PC: every student job is capped at 3 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

classes = json.load(open("skin_lesions/models/skin_lesions_model_classes.json"))
model = resnet50(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(classes))
model.load_state_dict(torch.load("skin_lesions/models/resnet50-skin_lesions-test_acc_0.70833_epoch-41.pt",
                                 map_location="cpu"))
model.eval()

test = datasets.ImageFolder("skin_lesions/test", transform=data_transforms1["test"])
loader = DataLoader(test, batch_size=16)
all_logits, all_labels = [], []
for x, y in tqdm(loader, desc="evaluating"):
    all_logits.append(model(x))
    all_labels.append(y)
logits = torch.cat(all_logits)
print("accuracy:", (logits.argmax(1) == torch.cat(all_labels)).float().mean().item())
'''

# ------------------------------------------------------------------ InceptionV3 fine-tune with ImageAI's 224 transforms
INCEPTION_PREP = '''
import json
import os
import torch
import torchvision

os.makedirs("bird_song_specs/models", exist_ok=True)
torch.manual_seed(0)
# as ClassificationModelTrainer builds and saves it: inception_v3(init_weights=False), only fc replaced
model = torchvision.models.inception_v3(weights=None, init_weights=False)
model.fc = torch.nn.Linear(2048, 3)
torch.save(model.state_dict(), "bird_song_specs/models/inception_v3-bird_song_specs-test_acc_0.66667_epoch-8.pt")
json.dump({"0": "blackbird", "1": "robin", "2": "wren"},
          open("bird_song_specs/models/bird_song_specs_model_classes.json", "w"))
'''

CELLS["inceptionv3-finetune-with-imageai-224-transforms-notebook"] = [
    '''import json
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import inception_v3

from imageai.Classification.Custom.data_transformation import data_transforms1

classes = json.load(open("bird_song_specs/models/bird_song_specs_model_classes.json"))
train = datasets.ImageFolder("bird_song_specs/train", transform=data_transforms1["train"])
loader = DataLoader(train, batch_size=4, shuffle=True)
len(train), train.classes''',
    '''model = inception_v3(weights=None, init_weights=False)
model.fc = nn.Linear(model.fc.in_features, len(classes))
model.load_state_dict(torch.load("bird_song_specs/models/inception_v3-bird_song_specs-test_acc_0.66667_epoch-8.pt"))
optimizer = torch.optim.SGD(model.fc.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.CrossEntropyLoss()''',
    '''model.train()
for epoch in range(3):
    for x, y in loader:
        out, aux = model(x)
        loss = criterion(out, y) + 0.4 * criterion(aux, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ teammate's CSV labels kept as a column
SCRIPTS["teammate-csv-labels-kept-as-column-cross-entropy"] = '''
import json

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1

classes = json.load(open("recycling/models/recycling_model_classes.json"))
name_to_idx = {v: int(k) for k, v in classes.items()}


class PhoneBatch(Dataset):
    """Jonas' phone photos: phone_batch/labels.csv (file,label)"""

    def __init__(self, csv_path):
        rows = np.loadtxt(csv_path, delimiter=",", dtype=str, skiprows=1, ndmin=2)
        self.files = rows[:, 0]
        self.labels = torch.tensor([[name_to_idx[n]] for n in rows[:, 1]])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open("phone_batch/" + self.files[i]).convert("RGB")
        return data_transforms1["train"](img), self.labels[i]


model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("recycling/models/mobilenet_v2-recycling-test_acc_0.81250_epoch-22.pt"))
loader = DataLoader(PhoneBatch("phone_batch/labels.csv"), batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.CrossEntropyLoss()

model.train()
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

PHONE_BATCH_CSV = "file,label\n" + "".join(
    f"IMG_{3100 + i}.jpg,{['glass', 'metal', 'paper', 'plastic'][i % 4]}\n" for i in range(12))

# ------------------------------------------------------------------ PILToTensor pixels + log(softmax) under anomaly
SCRIPTS["piltotensor-pixels-hand-written-log-softmax-anomaly"] = '''
import json

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import resnet50

torch.manual_seed(0)
classes = json.load(open("leaf_disease/models/leaf_disease_model_classes.json"))

# head-only fine-tune on the new field photos; backbone from the ImageAI run, kept in eval mode (frozen BN)
model = resnet50(weights=None)
model.fc = nn.Linear(2048, len(classes))
model.load_state_dict(torch.load("leaf_disease/models/resnet50-leaf_disease-test_acc_0.75000_epoch-33.pt"))
for p in model.parameters():
    p.requires_grad = False
model.fc = nn.Linear(2048, len(classes))
model.eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.PILToTensor(),
                         transforms.Lambda(lambda t: t.float())])
loader = DataLoader(datasets.ImageFolder("leaf_disease/field_photos", transform=tf), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)

torch.autograd.set_detect_anomaly(True)      # the loss went nan last week, find where
for epoch in range(5):
    for x, y in loader:
        probs = F.softmax(model(x), dim=1)
        loss = F.nll_loss(torch.log(probs), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ classifyImage given a list of paths (notebook)
CELLS["classify-image-given-list-of-test-paths-notebook"] = [
    '''import glob
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("waste_sorter/models/resnet50-waste_sorter-test_acc_0.78125_epoch-27.pt")
prediction.setJsonPath("waste_sorter/models/waste_sorter_model_classes.json")
prediction.loadModel()
test_paths = sorted(glob.glob("waste_sorter/test/*/*.jpg"))
len(test_paths)''',
    '''# evaluate the whole test split in one go
names, probs = prediction.classifyImage(test_paths, result_count=1)
acc = sum(n == p.split("/")[-2] for n, p in zip(names, test_paths)) / len(test_paths)
print(f"test accuracy {acc:.3f}")''',
]

# ------------------------------------------------------------------ split script with relative symlinks
SPLIT_PY = '''
"""make_split.py -- 80/20 split of all_photos/ into dataset/train + dataset/test without copying (lab PC quota)"""
import os
import random

random.seed(7)
for cls in sorted(os.listdir("all_photos")):
    files = sorted(os.listdir(os.path.join("all_photos", cls)))
    random.shuffle(files)
    cut = int(0.8 * len(files))
    for split, chunk in (("train", files[:cut]), ("test", files[cut:])):
        os.makedirs(os.path.join("dataset", split, cls), exist_ok=True)
        for f in chunk:
            os.symlink(os.path.join("all_photos", cls, f), os.path.join("dataset", split, cls, f))
'''

SCRIPTS["split-script-relative-symlinks-tqdm"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# dataset/ made by make_split.py (symlinks into all_photos/, which holds the web + phone photos)
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("dataset")
trainer.trainModel(num_experiments=40, batch_size=8)
'''

# ------------------------------------------------------------------ teammate added a fifth class folder
SCRIPTS["resume-finetune-after-teammate-added-class-folder-tqdm"] = '''
import json

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import mobilenet_v2
from tqdm import tqdm

from imageai.Classification.Custom.data_transformation import data_transforms1

torch.manual_seed(0)
# last week's ImageAI model, fine-tuned further on the merged folder (web photos + everybody's phone photos)
classes = json.load(open("recycling/models/recycling_model_classes.json"))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("recycling/models/mobilenet_v2-recycling-test_acc_0.81250_epoch-22.pt"))

train = datasets.ImageFolder("merged/train", transform=data_transforms1["train"])
loader = DataLoader(train, batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), f"recycling/models/finetune-epoch-{epoch + 1}.pt")
'''

# ------------------------------------------------------------------ dataset report helper with np.product
DATASET_REPORT_PY = '''
"""dataset_report.py -- per-class image counts and mean megapixels (from the 2019 capstone template)"""
import os

import numpy as np
from PIL import Image


def report(root):
    for split in sorted(os.listdir(root)):
        for cls in sorted(os.listdir(os.path.join(root, split))):
            d = os.path.join(root, split, cls)
            sizes = [Image.open(os.path.join(d, f)).size for f in os.listdir(d)]
            mp = np.mean([np.product(s) for s in sizes]) / 1e6
            print(f"{split:5s} {cls:12s} {len(sizes):4d} images  {mp:.2f} MP")
'''

SCRIPTS["dataset-report-helper-np-product-numpy2"] = '''
from dataset_report import report
from imageai.Classification.Custom import ClassificationModelTrainer

report("insects")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsDenseNet121()
trainer.setDataDirectory("insects")
trainer.trainModel(num_experiments=60, batch_size=8)
'''

# ------------------------------------------------------------------ lab PC resume checkpoint with CUDA tensors
LAB_CKPT_PREP = '''
import io
import os
import zipfile
import torch
import torchvision

os.makedirs("runs/lab_pc", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None)
model.classifier[1] = torch.nn.Linear(1280, 4)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
model(torch.randn(2, 3, 64, 64)).sum().backward()
opt.step()
# on the lab PC everything lived on cuda:0 when it was saved
torch.save({"epoch": 18, "model": model.state_dict(), "optimizer": opt.state_dict()}, "_cpu.pth")
with zipfile.ZipFile("_cpu.pth") as zin, zipfile.ZipFile("runs/lab_pc/last.pth", "w", zipfile.ZIP_STORED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename.endswith("data.pkl"):
            assert b"X\\x03\\x00\\x00\\x00cpu" in data
            data = data.replace(b"X\\x03\\x00\\x00\\x00cpu", b"X\\x06\\x00\\x00\\x00cuda:0")
        zout.writestr(info.filename, data)
os.remove("_cpu.pth")
'''

SCRIPTS["lab-pc-resume-checkpoint-cuda-tensors-on-laptop"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import mobilenet_v2
from tqdm import tqdm

from imageai.Classification.Custom.data_transformation import data_transforms1

# resume the lab PC run at home for the last epochs before the deadline
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

ckpt = torch.load("runs/lab_pc/last.pth")
model.load_state_dict(ckpt["model"])
optimizer.load_state_dict(ckpt["optimizer"])
start = ckpt["epoch"] + 1

loader = DataLoader(datasets.ImageFolder("recycling/train", transform=data_transforms1["train"]),
                    batch_size=8, shuffle=True)
criterion = nn.CrossEntropyLoss()
for epoch in range(start, 25):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def cases():
    out, add, script, notebook = case_builders("torch-more109-", SCRIPTS, CELLS)
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    F = "imageai"
    R4 = ["glass", "metal", "paper", "plastic"]
    hardhat = both(yolo_layout("hardhat", hardhat_rows, size=(320, 240), splits=(("train", 8), ("validation", 2))),
                   save_tiny('["helmet", "head"]', 2, "hardhat/models/tiny-yolov3_hardhat_last.pt",
                             "hardhat/json/hardhat_tiny-yolov3_detection_config.json"))
    recycling_model = save_cls("mobilenet_v2", '["glass", "metal", "paper", "plastic"]',
                               "recycling/models/mobilenet_v2-recycling-test_acc_0.81250_epoch-22.pt",
                               "recycling/models/recycling_model_classes.json")

    # ---- detection: data
    script("open-images-csv-xmin-xmax-ymin-ymax-as-corners", "data.bbox_invalid", framework=F,
           argv="prepare_and_train.py", setup=prep(OI_PREP))
    script("open-images-ids-from-class-descriptions-row-tqdm", "data.label_out_of_range", framework=F, forms=P,
           argv="merge_and_train.py", timeout=400, setup=prep(OI_IDS_PREP))
    notebook("seabird-colony-4k-photos-distant-birds-notebook", "data.too_few_boxes", framework=F, forms=NB,
             timeout=400, setup=prep(BIRDS_PREP))
    script("pixel-mp-jpg-labels-named-by-split-dot", "data.missing_or_corrupt", also=["data.too_few_boxes"],
           framework=F, argv="convert_and_train.py", setup=prep(PIXEL_PREP))
    script("voc-label-py-2017-converter-getiterator", "env.version_incompat", framework=F,
           argv="train_signs.py", extra={"voc_label.py": VOC_LABEL_PY}, setup=prep(SIGNS_PREP))
    script("object-names-array-label-map-keys", "model.api_misuse", framework=F, argv="train_coco_subset.py",
           timeout=400,
           setup=both(yolo_layout("coco_subset", coco_subset_rows, size=(320, 240)),
                      write("coco_subset/label_map.txt", "bicycle 0\nmotorcycle 1\nbus 2\n")))

    # ---- detection: custom loops
    script("loadimagesandlabels-dataloader-without-collate-fn-workers", "model.api_misuse",
           also=["data.label_shape", "data.image_size_mismatch"], framework=F,
           forms=("cpython_basic", "dataloader_worker", "progress_bars?"), argv="finetune.py", setup=hardhat)
    script("teammate-box-utils-default-dtype-float64", "data.dtype", framework=F, forms=P, argv="finetune.py",
           extra={"box_utils.py": BOX_UTILS}, setup=hardhat)
    script("filtering-collate-lambda-spawn-shared-with-macbook", "env.multiprocessing", framework=F, forms=P,
           argv="finetune.py", setup=hardhat)
    script("running-loss-sum-backward-every-step-accumulation-tqdm", "optim.autograd_graph", framework=F, forms=P,
           argv="finetune_accum.py", setup=hardhat)
    script("dashcam-16-9-net-dim-loadimagesandlabels-tqdm", "model.api_misuse", also=["model.input_shape"],
           framework=F, forms=P, argv="finetune_dashcam.py",
           setup=both(yolo_layout("dashcam", dashcam_rows, size=(640, 360)),
                      save_tiny('["car", "cyclist"]', 2, "dashcam/models/tiny-yolov3_dashcam_last.pt",
                                "dashcam/json/dashcam_tiny-yolov3_detection_config.json")))
    script("lab-pc-amp-loop-on-laptop-without-gpu", "env.cuda_setup", framework=F, argv="train_custom.py",
           setup=hardhat)

    # ---- classification
    script("own-loop-resume-checkpoint-dict-as-transfer-from-model", "model.weights_mismatch",
           also=["model.api_misuse"], framework=F, argv="train_final.py",
           setup=both(imgs(class_folder("recycling/train", R4, 3) + class_folder("recycling/test", R4, 2)),
                      prep(RESUME_DICT_PREP)))
    script("ema-averagedmodel-state-dict-customimageclassification", "model.weights_mismatch", framework=F,
           forms=("cpython_basic", "chained_during"), argv="evaluate.py", exception="Exception",
           setup=both(imgs(class_folder("recycling/test", R4, 2)), prep(EMA_PREP)))
    script("evaluation-loop-keeps-outputs-without-no-grad-lab-pc-memory-cap", "resource.host_memory",
           also=["optim.autograd_graph"], framework=F, forms=P, argv="evaluate.py", timeout=400,
           setup=both(save_cls("resnet50", '["benign", "malignant", "nevus"]',
                               "skin_lesions/models/resnet50-skin_lesions-test_acc_0.70833_epoch-41.pt",
                               "skin_lesions/models/skin_lesions_model_classes.json"),
                      imgs(class_folder("skin_lesions/test", ["benign", "malignant", "nevus"], 16, size=(96, 96)))))
    notebook("inceptionv3-finetune-with-imageai-224-transforms-notebook", "model.input_shape", framework=F,
             forms=NB, timeout=400,
             setup=both(prep(INCEPTION_PREP),
                        imgs(class_folder("bird_song_specs/train", ["blackbird", "robin", "wren"], 3,
                                          size=(128, 96)))))
    script("teammate-csv-labels-kept-as-column-cross-entropy", "data.label_shape", framework=F,
           argv="finetune_phone_batch.py", extra={"phone_batch/labels.csv": PHONE_BATCH_CSV},
           setup=both(recycling_model,
                      imgs([(f"phone_batch/IMG_{3100 + i}.jpg", (120, 160), "RGB") for i in range(12)])))
    script("piltotensor-pixels-hand-written-log-softmax-anomaly", "optim.divergence", also=["data.dtype"],
           framework=F, argv="finetune_head.py", timeout=400,
           setup=both(save_cls("resnet50", '["healthy", "powdery_mildew", "rust"]',
                               "leaf_disease/models/resnet50-leaf_disease-test_acc_0.75000_epoch-33.pt",
                               "leaf_disease/models/leaf_disease_model_classes.json"),
                      imgs(class_folder("leaf_disease/field_photos", ["healthy", "powdery_mildew", "rust"], 3,
                                        size=(160, 120)))))
    notebook("classify-image-given-list-of-test-paths-notebook", "model.api_misuse", framework=F, forms=NB,
             setup=both(save_cls("resnet50", '["cardboard", "food", "glass"]',
                                 "waste_sorter/models/resnet50-waste_sorter-test_acc_0.78125_epoch-27.pt",
                                 "waste_sorter/models/waste_sorter_model_classes.json"),
                        imgs(class_folder("waste_sorter/test", ["cardboard", "food", "glass"], 2, size=(160, 120)))))
    script("split-script-relative-symlinks-tqdm", "data.missing_or_corrupt", framework=F, forms=P,
           argv="train.py", extra={"make_split.py": SPLIT_PY},
           setup=both(imgs(class_folder("all_photos", ["ant", "bee", "wasp"], 5, size=(96, 96))), prep(SPLIT_PY)))
    script("resume-finetune-after-teammate-added-class-folder-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], framework=F, forms=P, argv="finetune_merged.py",
           setup=both(recycling_model, imgs(class_folder("merged/train", R4 + ["textile"], 4, size=(96, 96)))))
    script("dataset-report-helper-np-product-numpy2", "env.version_incompat", framework=F, argv="train.py",
           extra={"dataset_report.py": DATASET_REPORT_PY},
           setup=imgs(class_folder("insects/train", ["beetle", "butterfly", "moth"], 3)
                      + class_folder("insects/test", ["beetle", "butterfly", "moth"], 2)))
    script("lab-pc-resume-checkpoint-cuda-tensors-on-laptop", "env.cuda_setup", also=["env.device_mismatch"],
           framework=F, argv="resume_home.py",
           setup=both(prep(LAB_CKPT_PREP), imgs(class_folder("recycling/train", R4, 2))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
