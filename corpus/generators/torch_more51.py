"""A fifty-first held-out set (g101, scored 0.81 top-1 and 0.95 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, themed on the causes whose message
is least telling: invalid / empty boxes, losses that turn NaN / inf, and label tensors of the wrong shape, with about a
quarter of other causes mixed in.

The persona: people training detectors, keypoint and counting regressors, classifiers and sequence models on their
own data (train.py scripts with custom Datasets, notebooks run cell by cell, DataLoader workers, tqdm bars, ImageAI 3
trainers and the small conversion scripts in front of them), each program built so that its cause is known by
construction while its message points elsewhere; none a repeat of the other generators' scenarios.

- boxes (data.bbox_invalid): dashcam frames whose burnt-in timestamp strip was cropped off after labelling and whose
  YOLO rows were re-normalised to the new height (ImageAI 3), Roboflow background images whose empty label files
  reach a ``rows[:, 0]`` slice (Faster R-CNN, in workers), a hand-written SSD matcher taking ``box_iou(...).max(1)``
  over the negatives of a COCO export, LabelImg "verified empty" XMLs through ``torch.stack`` of per-object boxes
  (SSDlite, notebook), pixel boxes of the 1600 x 1200 originals on 320 x 240 copies behind ``ClampBoundingBoxes``
  (FCOS);
- NaN / inf (optim.divergence): ``scaler.scale(loss).backward()`` followed by a plain ``optimizer.step()`` under CPU
  float16 autocast (a reliability histogram meets NaN), bilinear pooling of cached feature maps overflowing float16
  under anomaly mode, a hand-written multi-label BCE on raw 0-255 pixels (``log(1 - p)`` of a saturated sigmoid,
  anomaly mode), keypoint heatmaps divided by their own maximum for an occluded keypoint (a preview ``cv2.circle``
  meets NaN), an Elman ReLU RNN on absolute QuickDraw stroke coordinates with ``clip_grad_norm_(error_if_nonfinite=True)``,
  a leaf-counting regressor on raw pixels whose count histogram goes through ``torch.bincount``, per-batch steering
  target standardisation over a straight stretch of road (0 / 0) feeding angle-bin loss weights;
- label shapes (data.label_shape): mixup applied to class indices, a localisation dataset returning its box as a
  Python list (``default_collate`` transposes it), one-hot plate characters into ``ctc_loss``, one-hot labels into a
  ``MultiMarginLoss`` SVM head;
- others: VisDrone "ignored region" category 0 shifted to class -1 by a converter (ImageAI 3, label_out_of_range),
  ``torch.tensor([])`` labels for background images in Faster R-CNN (dtype), ``sum(loss_dict)`` without ``.values()``
  (api_misuse), a NaN guard ``torch.nan_to_num_`` on sigmoid outputs (autograd), ``if torch.isnan(loss)`` on a
  per-sample loss (a plain bug).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more51.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import yolo_layout  # noqa: E402
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more51.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== boxes
SCRIPTS["imageai-dashcam-banner-cropped-labels-renormalised"] = '''
import glob

from PIL import Image
from imageai.Detection.Custom import DetectionModelTrainer

BANNER = 16   # the dashcam burns a date / speed strip into the bottom 16 px of every frame


def strip_banner(split):
    """crop the strip away; the labels were normalised to the old height, so rescale y and h"""
    for img_path in sorted(glob.glob(f"dashcam/{split}/images/*.jpg")):
        im = Image.open(img_path)
        w, h = im.size
        im.crop((0, 0, w, h - BANNER)).save(img_path)
        k = h / (h - BANNER)
        ann = img_path.replace("/images/", "/annotations/").rsplit(".", 1)[0] + ".txt"
        rows = []
        with open(ann) as f:
            for line in f:
                c, cx, cy, bw, bh = line.split()
                rows.append(f"{c} {cx} {float(cy) * k:.6f} {bw} {float(bh) * k:.6f}")
        with open(ann, "w") as f:
            f.write("\\n".join(rows) + "\\n")


for split in ("train", "validation"):
    strip_banner(split)
print("banner removed")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="dashcam")
trainer.setTrainConfig(object_names_array=["car", "pedestrian"], batch_size=4, num_experiments=10)
trainer.trainModel()
'''


def dashcam_rows(split, i):
    rows = [f"1 0.{30 + i * 5} 0.45 0.08 0.25"]
    if i % 3 == 2:
        rows.append("0 0.52 0.91 0.40 0.16")     # the car right in front, at the bottom of the frame
    else:
        rows.append(f"0 0.{40 + i} 0.62 0.22 0.18")
    return "\n".join(rows) + "\n"


SCRIPTS["roboflow-background-empty-label-files-row-slice-workers"] = '''
import glob

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

# Roboflow "YOLOv5 PyTorch" export: train/images/*.jpg + train/labels/*.txt (class cx cy w h, normalised)


class YoloTxtDetection(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        img = read_image(path, ImageReadMode.RGB).float() / 255
        _, h, w = img.shape
        label_path = path.replace("/images/", "/labels/").rsplit(".", 1)[0] + ".txt"
        with open(label_path) as f:
            rows = torch.tensor([[float(v) for v in line.split()] for line in f if line.strip()])
        labels = rows[:, 0].long() + 1          # 0 is the background for torchvision
        cx, cy, bw, bh = rows[:, 1:].T
        boxes = torch.stack([(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h], dim=1)
        return img, {"boxes": boxes, "labels": labels}


def collate(batch):
    return tuple(zip(*batch))


def main():
    torch.manual_seed(0)
    ds = YoloTxtDetection("hardhat/train")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(3):
        for step, (images, targets) in enumerate(loader):
            losses = model(list(images), list(targets))
            loss = sum(losses.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(f"epoch {epoch} step {step} loss {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''


def hardhat_setup(work):
    specs = [(f"hardhat/train/images/site_{i:03d}.jpg", (160, 120), "RGB") for i in range(10)]
    make_images(work, specs)
    d = work / "hardhat/train/labels"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(10):
        if i in (3, 7):
            text = ""          # background images: Roboflow writes an empty label file
        else:
            text = f"0 0.{30 + i} 0.40 0.20 0.30\n1 0.70 0.{50 + i} 0.15 0.25\n"
        (d / f"site_{i:03d}.txt").write_text(text)


SCRIPTS["hand-written-ssd-matcher-coco-negatives-max-over-empty"] = '''
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.ops import box_iou

IMG = 128
GRID = 8
SIZES = [24, 48, 80]


class CocoBoxes(Dataset):
    def __init__(self, ann_file, img_dir):
        coco = json.load(open(ann_file))
        self.img_dir = img_dir
        self.images = coco["images"]
        self.anns = {im["id"]: [] for im in self.images}
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)
        self.tf = T.Compose([T.Resize((IMG, IMG)), T.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(f"{self.img_dir}/{info['file_name']}").convert("RGB")
        sx, sy = IMG / info["width"], IMG / info["height"]
        boxes = [[a["bbox"][0] * sx, a["bbox"][1] * sy, (a["bbox"][0] + a["bbox"][2]) * sx,
                  (a["bbox"][1] + a["bbox"][3]) * sy] for a in self.anns[info["id"]]]
        labels = [a["category_id"] for a in self.anns[info["id"]]]
        return (self.tf(img), torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
                torch.tensor(labels, dtype=torch.int64))


def make_anchors():
    step = IMG / GRID
    out = []
    for gy in range(GRID):
        for gx in range(GRID):
            cx, cy = (gx + 0.5) * step, (gy + 0.5) * step
            for s in SIZES:
                out.append([cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2])
    return torch.tensor(out)


def match(anchors, gt_boxes, gt_labels, thr=0.5):
    iou = box_iou(anchors, gt_boxes)               # [A, G]
    best_iou, best_gt = iou.max(dim=1)
    cls_t = gt_labels[best_gt].clone()
    cls_t[best_iou < thr] = 0                       # background
    return cls_t, gt_boxes[best_gt]


class TinySSD(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(64, 64, 3, 2, 1), nn.ReLU(), nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU())
        self.cls = nn.Conv2d(128, len(SIZES) * num_classes, 3, padding=1)
        self.reg = nn.Conv2d(128, len(SIZES) * 4, 3, padding=1)
        self.nc = num_classes

    def forward(self, x):
        f = self.body(x)
        b = x.shape[0]
        return (self.cls(f).permute(0, 2, 3, 1).reshape(b, -1, self.nc),
                self.reg(f).permute(0, 2, 3, 1).reshape(b, -1, 4))


def collate(batch):
    return torch.stack([b[0] for b in batch]), [b[1] for b in batch], [b[2] for b in batch]


ds = CocoBoxes("shelf_coco/annotations.json", "shelf_coco/images")
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=collate)
anchors = make_anchors()
model = TinySSD(num_classes=4)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
torch.manual_seed(0)
for epoch in range(5):
    for images, boxes, labels in loader:
        cls_out, reg_out = model(images)
        loss = 0.0
        for i in range(len(images)):
            cls_t, box_t = match(anchors, boxes[i], labels[i])
            pos = cls_t > 0
            loss = loss + F.cross_entropy(cls_out[i], cls_t)
            if pos.any():
                loss = loss + F.smooth_l1_loss(reg_out[i][pos], box_t[pos] / IMG)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''

SHELF_COCO_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("shelf_coco/images", exist_ok=True)
coco = {"images": [], "annotations": [], "categories": [{"id": 1, "name": "bottle"}, {"id": 2, "name": "can"},
                                                      {"id": 3, "name": "box"}]}
for i in range(12):
    name = f"aisle_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"shelf_coco/images/{name}")
    coco["images"].append({"id": i + 1, "file_name": name, "width": 320, "height": 240})
    if i % 4 == 3:
        continue          # empty shelf photos added as negatives (no annotations in the export)
    for k in range(2):
        x, y = int(rng.integers(10, 200)), int(rng.integers(10, 140))
        coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1,
                                    "bbox": [x, y, 60, 80], "category_id": 1 + (i + k) % 3,
                                    "area": 4800, "iscrowd": 0})
json.dump(coco, open("shelf_coco/annotations.json", "w"))
'''

CELLS["labelimg-verified-empty-xml-torch-stack-ssdlite-notebook"] = [
    '''
import glob
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "pigeon", "sparrow"]


class VocBirds(Dataset):
    def __init__(self, root):
        self.xmls = sorted(glob.glob(f"{root}/Annotations/*.xml"))
        self.root = root

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        tree = ET.parse(self.xmls[i]).getroot()
        img = Image.open(f"{self.root}/JPEGImages/{tree.findtext('filename')}").convert("RGB")
        boxes = torch.stack([
            torch.tensor([float(o.find("bndbox").findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")])
            for o in tree.iter("object")
        ])
        labels = torch.tensor([CLASSES.index(o.findtext("name")) for o in tree.iter("object")])
        return TF.to_tensor(img), {"boxes": boxes, "labels": labels}


ds = VocBirds("balcony_voc")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
print(len(ds), "annotated images")
''',
    '''
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for step, (images, targets) in enumerate(loader):
    loss_dict = model(list(images), list(targets))
    loss = sum(loss_dict.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, {k: round(v.item(), 3) for k, v in loss_dict.items()})
''',
]

BALCONY_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("balcony_voc/JPEGImages", exist_ok=True)
os.makedirs("balcony_voc/Annotations", exist_ok=True)
OBJ = """
    <object>
        <name>{name}</name>
        <pose>Unspecified</pose>
        <truncated>0</truncated>
        <difficult>0</difficult>
        <bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox>
    </object>"""
for i in range(8):
    name = f"cam_{i:04d}.jpg"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"balcony_voc/JPEGImages/{name}")
    # LabelImg: frames marked "verified" with no birds are saved with no <object> at all
    objs = "" if i == 5 else "".join(OBJ.format(name=["pigeon", "sparrow"][k % 2], x1=20 + 90 * k, y1=40,
                                                 x2=90 + 90 * k, y2=130) for k in range(1 + i % 2))
    xml = f"""<annotation verified="yes">
    <folder>JPEGImages</folder>
    <filename>{name}</filename>
    <path>C:\\\\Users\\\\me\\\\balcony_voc\\\\JPEGImages\\\\{name}</path>
    <source><database>Unknown</database></source>
    <size><width>320</width><height>240</height><depth>3</depth></size>
    <segmented>0</segmented>{objs}
</annotation>
"""
    open(f"balcony_voc/Annotations/cam_{i:04d}.xml", "w").write(xml)
'''

SCRIPTS["fcos-original-resolution-boxes-on-downscaled-copies-clamp"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.transforms import v2
from tqdm import tqdm

# annotations.json was exported by the labelling tool on the camera originals;
# the photos in ./small were batch-resized with IrfanView afterwards to save disk space


class PalletDataset(Dataset):
    def __init__(self, ann_file, img_dir, transforms):
        self.items = json.load(open(ann_file))
        self.img_dir = img_dir
        self.transforms = transforms

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(f"{self.img_dir}/{it['file']}").convert("RGB")
        boxes = tv_tensors.BoundingBoxes(it["boxes"], format="XYXY", canvas_size=(img.height, img.width))
        target = {"boxes": boxes, "labels": torch.tensor(it["labels"])}
        return self.transforms(img, target)


tf = v2.Compose([
    v2.ToImage(),
    v2.RandomHorizontalFlip(),
    v2.ClampBoundingBoxes(),          # keep boxes inside the image
    v2.ToDtype(torch.float32, scale=True),
])
ds = PalletDataset("annotations.json", "small", tf)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=240, max_size=320)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
torch.manual_seed(1)
model.train()
for epoch in range(2):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for images, targets in pbar:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

PALLET_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("small", exist_ok=True)
items = []
for i in range(6):
    name = f"IMG_{2200 + i}.JPG"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"small/{name}")
    # boxes in the 1600 x 1200 pixel space of the originals
    boxes = [[120 + 10 * i, 150, 260 + 10 * i, 220], [700, 480 + 20 * i, 1150, 900], [1250, 200, 1540, 610]]
    items.append({"file": name, "boxes": boxes, "labels": [1, 2, 1]})
json.dump(items, open("annotations.json", "w"), indent=1)
'''

SCRIPTS["background-images-labels-torch-tensor-empty-float-frcnn"] = '''
import csv
import os
from collections import defaultdict

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = {"crack": 1, "spall": 2}


class BridgeInspection(Dataset):
    """boxes.csv: filename,xmin,ymin,xmax,ymax,class; photos without defects have no row"""

    def __init__(self, img_dir, csv_path):
        self.img_dir = img_dir
        self.files = sorted(os.listdir(img_dir))
        self.rows = defaultdict(list)
        with open(csv_path, newline="") as f:
            for r in csv.DictReader(f):
                self.rows[r["filename"]].append(r)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        name = self.files[i]
        img = TF.to_tensor(Image.open(os.path.join(self.img_dir, name)).convert("RGB"))
        rows = self.rows.get(name, [])
        boxes = torch.tensor([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows],
                             dtype=torch.float32).reshape(-1, 4)
        labels = torch.tensor([CLASSES[r["class"]] for r in rows])
        return img, {"boxes": boxes, "labels": labels}


ds = BridgeInspection("bridge/images", "bridge/boxes.csv")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(3):
    for step, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"[{epoch}:{step}] loss={loss.item():.4f}")
'''

BRIDGE_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("bridge/images", exist_ok=True)
rows = []
for i in range(8):
    name = f"pier_{i:02d}.jpg"
    Image.fromarray(rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)).save(f"bridge/images/{name}")
    if i in (3, 6):
        continue              # no defect on this photo
    rows.append([name, 20 + i, 30, 120 + i, 90, "crack"])
    rows.append([name, 130, 60 + i, 220, 160, "spall"])
with open("bridge/boxes.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["filename", "xmin", "ymin", "xmax", "ymax", "class"])
    w.writerows(rows)
'''

SCRIPTS["imageai-visdrone-ignored-region-category-zero-minus-one"] = '''
import glob
import os
import shutil

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["pedestrian", "people", "bicycle", "car", "van", "truck", "tricycle", "awning-tricycle", "bus", "motor"]


def visdrone_to_yolo(src, split):
    """VisDrone rows: bbox_left,bbox_top,bbox_width,bbox_height,score,object_category,truncation,occlusion"""
    os.makedirs(f"visdrone_yolo/{split}/images", exist_ok=True)
    os.makedirs(f"visdrone_yolo/{split}/annotations", exist_ok=True)
    for ann in sorted(glob.glob(f"{src}/annotations/*.txt")):
        stem = os.path.splitext(os.path.basename(ann))[0]
        img_path = f"{src}/images/{stem}.jpg"
        h, w = cv2.imread(img_path).shape[:2]
        shutil.copy(img_path, f"visdrone_yolo/{split}/images/{stem}.jpg")
        out = []
        for line in open(ann):
            x, y, bw, bh, score, cat = map(int, line.strip().split(",")[:6])
            if cat == 11:          # "others"
                continue
            out.append(f"{cat - 1} {(x + bw / 2) / w:.6f} {(y + bh / 2) / h:.6f} {bw / w:.6f} {bh / h:.6f}")
        with open(f"visdrone_yolo/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\\n".join(out) + "\\n")


visdrone_to_yolo("VisDrone2019-DET-train", "train")
visdrone_to_yolo("VisDrone2019-DET-val", "validation")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="visdrone_yolo")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=20)
trainer.trainModel()
'''

VISDRONE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
for src, n in (("VisDrone2019-DET-train", 6), ("VisDrone2019-DET-val", 2)):
    os.makedirs(f"{src}/images", exist_ok=True)
    os.makedirs(f"{src}/annotations", exist_ok=True)
    for i in range(n):
        stem = f"0000{137 + i:03d}_0{2200 + 31 * i}_d_0000{5 + i:03d}"
        Image.fromarray(rng.integers(0, 256, (150, 200, 3), dtype=np.uint8)).save(f"{src}/images/{stem}.jpg")
        rows = [f"{20 + 5 * i},{30},{14},{22},1,1,0,0", f"{90},{60 + 3 * i},{30},{18},1,4,0,1",
                f"{140},{100},{25},{20},1,10,0,0", f"{40},{110},{12},{9},1,11,0,2"]
        if i % 2 == 0:
            rows.append(f"{150},{5},{45},{30},0,0,0,0")      # ignored region (crowd far away)
        open(f"{src}/annotations/{stem}.txt", "w").write("\\n".join(rows) + "\\n")
'''

# ================================================================== NaN / inf
SCRIPTS["gradscaler-cpu-fp16-optimizer-step-bypasses-scaler"] = '''
import numpy as np
import torch
import torch.nn as nn

# features of the weld photos, extracted once with the frozen backbone (see extract.py)
feats = torch.load("weld_features.pt")
X, y = feats["x"], feats["y"].float()
head = nn.Sequential(nn.Linear(X.shape[1], 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 1))
opt = torch.optim.SGD(head.parameters(), lr=0.05, momentum=0.9)
scaler = torch.amp.GradScaler("cpu")
crit = nn.BCEWithLogitsLoss()
torch.manual_seed(0)
for epoch in range(6):
    head.train()
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 32):
        idx = perm[i:i + 32]
        with torch.autocast("cpu", dtype=torch.float16):
            logits = head(X[idx]).squeeze(1)
            loss = crit(logits.float(), y[idx])
        opt.zero_grad()
        scaler.scale(loss).backward()
        opt.step()
    print(f"epoch {epoch}: train loss {loss.item():.4f}")

    # reliability diagram of the defect probabilities
    head.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.float16):
        probs = torch.sigmoid(head(X).squeeze(1).float()).numpy()
    counts, edges = np.histogram(probs, bins=10)
    print("  prob histogram:", counts.tolist())
'''

WELD_PREP = '''
import torch
torch.manual_seed(3)
x = torch.relu(torch.randn(512, 512) * 1.5)
y = (x[:, :8].sum(1) > x[:, 8:16].sum(1)).long()
torch.save({"x": x, "y": y}, "weld_features.pt")
'''

SCRIPTS["bilinear-pooling-cached-features-fp16-autocast-anomaly"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.autograd.set_detect_anomaly(True)


class BilinearHead(nn.Module):
    """bilinear CNN (Lin et al.) on top of cached layer4 maps of a frozen ResNet"""

    def __init__(self, channels, num_classes):
        super().__init__()
        self.fc = nn.Linear(channels * channels, num_classes)

    def forward(self, f):
        b, c, h, w = f.shape
        f = f.reshape(b, c, h * w)
        x = torch.bmm(f, f.transpose(1, 2)).reshape(b, -1)          # sum pooling over locations
        x = torch.sign(x) * torch.sqrt(torch.abs(x) + 1e-10)
        x = F.normalize(x, dim=1)
        return self.fc(x)


cache = torch.load("cub_layer4_cache.pt")
ds = TensorDataset(cache["feats"], cache["labels"])
loader = DataLoader(ds, batch_size=8, shuffle=True)
head = BilinearHead(cache["feats"].shape[1], num_classes=int(cache["labels"].max()) + 1)
opt = torch.optim.SGD(head.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-8)
for epoch in range(10):
    for feats, labels in loader:
        with torch.autocast("cpu", dtype=torch.float16):    # "mixed precision makes the 262k-wide fc fit"
            loss = F.cross_entropy(head(feats), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

CUB_PREP = '''
import torch
torch.manual_seed(5)
feats = torch.relu(torch.randn(48, 128, 7, 7) * 3)
feats[:, :6] *= 40           # a few channels fire hard on every bird (post-ReLU layer4 of a pretrained net)
torch.save({"feats": feats, "labels": torch.arange(48) % 6}, "cub_layer4_cache.pt")
'''

SCRIPTS["hand-written-multilabel-bce-raw-pixels-log-one-minus-p-anomaly"] = '''
import csv

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

torch.autograd.set_detect_anomaly(True)
TAGS = ["clouds", "water", "road", "forest", "building"]


class Tiles(Dataset):
    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = cv2.resize(cv2.imread(f"tiles/{r['image']}"), (64, 64))
        x = torch.from_numpy(img).permute(2, 0, 1).float()
        y = torch.tensor([float(t in r["tags"].split()) for t in TAGS])
        return x, y


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16 * 16, len(TAGS)), nn.Sigmoid(),
)
loader = DataLoader(Tiles("tags.csv"), batch_size=8, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(5):
    for step, (x, y) in enumerate(loader):
        loss = bce(model(x), y)
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

TILES_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("tiles", exist_ok=True)
tags = ["clouds", "water", "road", "forest", "building"]
rows = []
for i in range(24):
    name = f"tile_{i:04d}.png"
    Image.fromarray(rng.integers(0, 256, (80, 80, 3), dtype=np.uint8)).save(f"tiles/{name}")
    rows.append({"image": name, "tags": " ".join(t for k, t in enumerate(tags) if (i >> k) & 1)})
with open("tags.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image", "tags"])
    w.writeheader()
    w.writerows(rows)
'''

CELLS["keypoint-heatmap-normalised-by-max-occluded-nan-preview-notebook"] = [
    '''
import json

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

S, H = 96, 24          # input size, heatmap size
KEYPOINTS = ["left_eye", "right_eye", "nose"]


def gaussian_heatmap(x, y, v, sigma=1.5):
    hm = np.zeros((H, H), np.float32)
    if v > 0:
        xs, ys = np.meshgrid(np.arange(H), np.arange(H))
        hm = np.exp(-((xs - x * H / S) ** 2 + (ys - y * H / S) ** 2) / (2 * sigma ** 2)).astype(np.float32)
    return hm / hm.max()          # peak exactly 1.0 even when the centre falls between pixels


class PetFaces(Dataset):
    def __init__(self, ann):
        self.items = json.load(open(ann))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = cv2.resize(cv2.imread(it["file"]), (S, S)).astype(np.float32) / 255
        hms = np.stack([gaussian_heatmap(*kp) for kp in it["keypoints"]])
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(hms)


ds = PetFaces("pet_faces.json")
loader = DataLoader(ds, batch_size=4, shuffle=True)
print(len(ds), "faces")
''',
    '''
model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
    nn.Conv2d(64, len(KEYPOINTS), 1),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for step, (x, hm) in enumerate(loader):
        loss = F.mse_loss(model(x), hm)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} mse {loss.item():.5f}")
''',
    '''
def soft_argmax(hm):
    p = F.softmax(hm.flatten(1), dim=1).reshape(hm.shape)
    ys, xs = torch.meshgrid(torch.arange(H, dtype=torch.float32), torch.arange(H, dtype=torch.float32), indexing="ij")
    return (p * xs).sum((1, 2)) * S / H, (p * ys).sum((1, 2)) * S / H


model.eval()
x, _ = ds[0]
with torch.no_grad():
    px, py = soft_argmax(model(x[None])[0])
vis = (x.permute(1, 2, 0).numpy() * 255).astype(np.uint8).copy()
for kx, ky in zip(px.tolist(), py.tolist()):
    cv2.circle(vis, (int(kx), int(ky)), 3, (0, 0, 255), -1)
cv2.imwrite("preview.jpg", vis)
''',
]

PETFACE_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("faces", exist_ok=True)
items = []
for i in range(12):
    p = f"faces/pet_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (128, 128, 3), dtype=np.uint8)).save(p)
    kps = [[30 + i, 40, 2], [66 - i, 40, 2], [48, 62 + i % 5, 2]]
    if i in (4, 9):
        kps[2] = [0, 0, 0]       # nose hidden behind a paw: CVAT exports it as (0, 0, v=0)
    items.append({"file": p, "keypoints": kps})
json.dump(items, open("pet_faces.json", "w"))
'''

SCRIPTS["elman-relu-rnn-absolute-stroke-coords-clip-nonfinite"] = '''
import json

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset

CLASSES = ["cat", "house", "tree", "car"]


class Doodles(Dataset):
    """QuickDraw simplified drawings: [[xs], [ys]] per stroke, 0-255 canvas"""

    def __init__(self, path):
        self.items = [json.loads(line) for line in open(path)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        pts = []
        for xs, ys in it["drawing"]:
            for k, (x, y) in enumerate(zip(xs, ys)):
                pts.append([x, y, float(k == 0)])       # absolute coordinates + pen-down flag
        return torch.tensor(pts, dtype=torch.float32), CLASSES.index(it["word"])


def collate(batch):
    seqs, labels = zip(*batch)
    return pad_sequence(seqs, batch_first=True), torch.tensor([len(s) for s in seqs]), torch.tensor(labels)


class StrokeRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(3, 128, num_layers=2, nonlinearity="relu", batch_first=True)
        self.fc = nn.Linear(128, len(CLASSES))

    def forward(self, x, lengths):
        out, _ = self.rnn(x)
        last = out[torch.arange(len(x)), lengths - 1]
        return self.fc(last)


loader = DataLoader(Doodles("doodles.ndjson"), batch_size=16, shuffle=True, collate_fn=collate)
model = StrokeRNN()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
crit = nn.CrossEntropyLoss()
torch.manual_seed(0)
for epoch in range(20):
    for step, (x, lengths, y) in enumerate(loader):
        loss = crit(model(x, lengths), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1000.0, error_if_nonfinite=True)
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

DOODLE_PREP = '''
import json
import numpy as np

rng = np.random.default_rng(1)
words = ["cat", "house", "tree", "car"]
with open("doodles.ndjson", "w") as f:
    for i in range(64):
        strokes = []
        for s in range(int(rng.integers(3, 7))):
            n = int(rng.integers(8, 25))
            xs = np.clip(np.cumsum(rng.integers(-12, 13, n)) + rng.integers(40, 215), 0, 255).tolist()
            ys = np.clip(np.cumsum(rng.integers(-12, 13, n)) + rng.integers(40, 215), 0, 255).tolist()
            strokes.append([xs, ys])
        f.write(json.dumps({"word": words[i % 4], "countrycode": "DE", "recognized": True,
                            "drawing": strokes}) + "\\n")
'''

SCRIPTS["leaf-count-regression-raw-pixels-bincount-histogram-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class Rosettes(Dataset):
    """CVPPP-style leaf counting: plant_XXX_rgb.png + counts.csv"""

    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = [(r["file"], float(r["count"])) for r in csv.DictReader(f)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, count = self.rows[i]
        img = np.asarray(Image.open(f"plants/{name}").convert("RGB").resize((64, 64)), dtype=np.float32)
        return torch.from_numpy(img).permute(2, 0, 1), torch.tensor(count)


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(64, 1),
)
loader = DataLoader(Rosettes("counts.csv"), batch_size=8, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(3):
    preds = []
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x, count in pbar:
        out = model(x).squeeze(1)
        loss = nn.functional.mse_loss(out, count)
        opt.zero_grad()
        loss.backward()
        opt.step()
        preds.append(out.detach())
        pbar.set_postfix(mse=f"{loss.item():.2f}")
    hist = torch.bincount(torch.cat(preds).round().long().clamp(max=30))
    print("predicted leaf-count histogram:", hist.tolist())
'''

LEAF_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
os.makedirs("plants", exist_ok=True)
rows = []
for i in range(32):
    name = f"plant_{i:03d}_rgb.png"
    Image.fromarray(rng.integers(0, 256, (100, 100, 3), dtype=np.uint8)).save(f"plants/{name}")
    rows.append({"file": name, "count": int(rng.integers(5, 18))})
with open("counts.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["file", "count"])
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["steering-batch-standardised-targets-straight-road-bin-weights"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

NBINS = 21


class DrivingLog(Dataset):
    """driving_log.csv from the simulator: center image, steering angle in [-1, 1]"""

    def __init__(self, path):
        with open(path, newline="") as f:
            self.rows = [(r["center"], float(r["steering"])) for r in csv.DictReader(f)]
        self.tf = T.Compose([T.Resize((66, 200)), T.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        p, angle = self.rows[i]
        return self.tf(Image.open(p).convert("RGB")), torch.tensor(angle)


ds = DrivingLog("driving_log.csv")
angles = np.array([a for _, a in ds.rows])
hist, _ = np.histogram(angles, bins=NBINS, range=(-3, 3))
bin_weights = torch.tensor(1.0 / np.maximum(hist, 1), dtype=torch.float32)   # rare angles count more

model = nn.Sequential(        # PilotNet-ish
    nn.Conv2d(3, 24, 5, 2), nn.ELU(), nn.Conv2d(24, 36, 5, 2), nn.ELU(), nn.Conv2d(36, 48, 5, 2), nn.ELU(),
    nn.Flatten(), nn.LazyLinear(100), nn.ELU(), nn.Linear(100, 1),
)
loader = DataLoader(ds, batch_size=8, shuffle=False)     # keep the frames in driving order
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for step, (x, angle) in enumerate(loader):
        target = (angle - angle.mean()) / angle.std()           # standardise the targets per batch
        bins = ((target + 3) / 6 * (NBINS - 1)).round().long().clamp(max=NBINS - 1)
        w = bin_weights[bins]
        loss = (w * (model(x).squeeze(1) - target) ** 2).sum() / w.sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

DRIVE_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(21)
os.makedirs("IMG", exist_ok=True)
rows = []
for i in range(40):
    p = f"IMG/center_2016_12_01_13_30_{i:02d}_{100 + 7 * i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (80, 160, 3), dtype=np.uint8)).save(p)
    straight = 16 <= i < 24          # a long straight: the wheel is not touched
    angle = 0.0 if straight else float(np.round(np.sin(i / 4) * 0.4 + rng.normal(0, 0.05), 4))
    rows.append({"center": p, "left": p.replace("center", "left"), "right": p.replace("center", "right"),
                 "steering": angle, "throttle": 0.8, "brake": 0, "speed": 30.1})
with open("driving_log.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
'''

# ================================================================== label shapes
SCRIPTS["mixup-on-class-indices-cross-entropy"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


def mixup(x, y, alpha=0.4):
    lam = float(np.random.beta(alpha, alpha))
    perm = torch.randperm(x.size(0))
    return lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm]


tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
ds = datasets.ImageFolder("fruit/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for x, y in loader:
        x, y = mixup(x, y)
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["localisation-box-as-python-list-default-collate-transposed"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class BirdBoxes(Dataset):
    """one bird per photo; box normalised to [0, 1] as x1, y1, x2, y2"""

    def __init__(self, ann):
        self.items = json.load(open(ann))
        self.tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(it["file"]).convert("RGB")
        w, h = img.size
        x1, y1, x2, y2 = it["bbox"]
        return self.tf(img), [x1 / w, y1 / h, x2 / w, y2 / h]


loader = DataLoader(BirdBoxes("birds.json"), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=4)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.MSELoss()
for epoch in range(5):
    for x, box in loader:
        target = torch.stack(box).float()
        loss = crit(torch.sigmoid(model(x)), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

BIRDS_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
os.makedirs("birds", exist_ok=True)
items = []
for i in range(20):
    p = f"birds/Black_Footed_Albatross_{i:04d}.jpg"
    Image.fromarray(rng.integers(0, 256, (150, 200, 3), dtype=np.uint8)).save(p)
    items.append({"file": p, "bbox": [30 + i, 20, 150 + i, 120]})
json.dump(items, open("birds.json", "w"))
'''

SCRIPTS["ctc-plate-reader-one-hot-targets"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
MAXLEN = 8


class Plates(Dataset):
    """crops named after their text, e.g. plates/KA19MF4521.png"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.png"))
        self.tf = T.Compose([T.Grayscale(), T.Resize((32, 128)), T.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        text = os.path.splitext(os.path.basename(self.files[i]))[0]
        ids = torch.tensor([CHARS.index(c) + 1 for c in text])            # 0 = CTC blank
        target = torch.zeros(MAXLEN, len(CHARS) + 1)
        target[torch.arange(len(ids)), ids] = 1                           # one-hot, padded to MAXLEN
        return self.tf(Image.open(self.files[i])), target, len(ids)


class CRNN(nn.Module):
    def __init__(self, nclass):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 64, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(128, 256, 3, 1, 1), nn.ReLU(), nn.MaxPool2d((8, 1)))
        self.rnn = nn.LSTM(256, 128, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(256, nclass)

    def forward(self, x):
        f = self.cnn(x).squeeze(2).permute(0, 2, 1)       # [B, T, C]
        out, _ = self.rnn(f)
        return self.fc(out).log_softmax(2).permute(1, 0, 2)    # [T, B, C] for CTC


loader = DataLoader(Plates("plates"), batch_size=4, shuffle=True)
model = CRNN(len(CHARS) + 1)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, targets, lengths in loader:
        logp = model(x)
        input_lengths = torch.full((x.size(0),), logp.size(0), dtype=torch.long)
        loss = F.ctc_loss(logp, targets, input_lengths, lengths, blank=0)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

PLATES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(23)
os.makedirs("plates", exist_ok=True)
for text in ["KA19MF4521", "MH12DE1433", "DL8CAF5030", "TN22BZ0097", "HR26DK8337", "KL07CN5551"]:
    Image.fromarray(rng.integers(0, 256, (40, 150, 3), dtype=np.uint8)).save(f"plates/{text[:8]}.png")
'''

CELLS["svm-head-multimargin-one-hot-labels-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
one_hot = lambda y: F.one_hot(torch.tensor(y), num_classes=4)      # same targets as the Keras version
train_set = datasets.ImageFolder("fabric/train", transform=tf, target_transform=one_hot)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
print(train_set.classes)
''',
    '''
# "an SVM on top of CNN features": multi-class hinge loss instead of softmax
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
criterion = nn.MultiMarginLoss(margin=1.0)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''',
]

# ================================================================== others
SCRIPTS["faster-rcnn-sum-loss-dict-keys-tqdm"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm


class Shelf(Dataset):
    def __init__(self, root):
        coco = json.load(open(f"{root}/annotations.json"))
        self.root = root
        self.images = coco["images"]
        self.anns = {im["id"]: [] for im in self.images}
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = TF.to_tensor(Image.open(f"{self.root}/images/{info['file_name']}").convert("RGB"))
        anns = self.anns[info["id"]]
        boxes = torch.tensor([[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                              for a in anns], dtype=torch.float32)
        labels = torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)
        return img, {"boxes": boxes, "labels": labels}


loader = DataLoader(Shelf("shelf"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(5):
    for images, targets in tqdm(loader, desc=f"epoch {epoch}"):
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict)
        opt.zero_grad()
        losses.backward()
        opt.step()
'''

SCRIPTS["nan-guard-nan-to-num-inplace-on-sigmoid-output"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

# multi-label: a photo can show several of the attributes; last run went NaN after a few epochs
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
ds = datasets.ImageFolder("attributes/train", transform=tf,
                          target_transform=lambda c: F.one_hot(torch.tensor(c), 3).float())
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        probs = torch.sigmoid(model(x))
        torch.nan_to_num_(probs, nan=0.5)            # guard against the NaNs from last time
        loss = F.binary_cross_entropy(probs, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CELLS["isnan-guard-on-per-sample-weighted-loss-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
ds = datasets.ImageFolder("xray/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
counts = torch.bincount(torch.tensor(ds.targets))
class_w = (counts.sum() / counts).float()
model = models.resnet18(weights=None, num_classes=len(ds.classes))
crit = nn.CrossEntropyLoss(reduction="none")          # per-sample, weighted below
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    for x, y in loader:
        loss = crit(model(x), y) * class_w[y]
        if torch.isnan(loss):
            print("nan loss, skipping batch")
            continue
        opt.zero_grad()
        loss.mean().backward()
        opt.step()
    print(epoch, loss.mean().item())
''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more51-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    # ---- boxes
    script("imageai-dashcam-banner-cropped-labels-renormalised", "data.bbox_invalid", framework="imageai",
           setup=yolo_layout("dashcam", dashcam_rows, size=(160, 120), splits=(("train", 6), ("validation", 2))))
    script("roboflow-background-empty-label-files-row-slice-workers", "data.bbox_invalid",
           also=["data.missing_or_corrupt"], forms=W, setup=hardhat_setup)
    script("hand-written-ssd-matcher-coco-negatives-max-over-empty", "data.bbox_invalid",
           also=["data.missing_or_corrupt"], setup=prep(SHELF_COCO_PREP))
    notebook("labelimg-verified-empty-xml-torch-stack-ssdlite-notebook", "data.bbox_invalid",
             also=["data.missing_or_corrupt"], setup=prep(BALCONY_PREP))
    script("fcos-original-resolution-boxes-on-downscaled-copies-clamp", "data.bbox_invalid", forms=P,
           setup=prep(PALLET_PREP))
    # ---- NaN / inf
    script("gradscaler-cpu-fp16-optimizer-step-bypasses-scaler", "optim.divergence", also=["model.api_misuse"],
           setup=prep(WELD_PREP))
    script("bilinear-pooling-cached-features-fp16-autocast-anomaly", "optim.divergence", setup=prep(CUB_PREP))
    script("hand-written-multilabel-bce-raw-pixels-log-one-minus-p-anomaly", "optim.divergence",
           setup=prep(TILES_PREP))
    notebook("keypoint-heatmap-normalised-by-max-occluded-nan-preview-notebook", "optim.divergence",
             also=["data.missing_or_corrupt"], setup=prep(PETFACE_PREP))
    script("elman-relu-rnn-absolute-stroke-coords-clip-nonfinite", "optim.divergence", setup=prep(DOODLE_PREP))
    script("leaf-count-regression-raw-pixels-bincount-histogram-tqdm", "optim.divergence", forms=P,
           setup=prep(LEAF_PREP))
    script("steering-batch-standardised-targets-straight-road-bin-weights", "optim.divergence",
           also=["data.label_out_of_range"], setup=prep(DRIVE_PREP))
    # ---- label shapes
    script("mixup-on-class-indices-cross-entropy", "data.label_shape", also=["data.dtype"],
           setup=imgs(class_folder("fruit/train", ["apple", "banana", "cherry"], 4, size=(80, 80))))
    script("localisation-box-as-python-list-default-collate-transposed", "data.label_shape",
           setup=prep(BIRDS_PREP))
    script("ctc-plate-reader-one-hot-targets", "data.label_shape", setup=prep(PLATES_PREP))
    notebook("svm-head-multimargin-one-hot-labels-notebook", "data.label_shape",
             setup=imgs(class_folder("fabric/train", ["denim", "linen", "silk", "wool"], 3, size=(80, 80))))
    # ---- others
    script("imageai-visdrone-ignored-region-category-zero-minus-one", "data.label_out_of_range",
           also=["data.bbox_invalid"], framework="imageai", setup=prep(VISDRONE_PREP))
    script("background-images-labels-torch-tensor-empty-float-frcnn", "data.dtype", also=["data.bbox_invalid"],
           setup=prep(BRIDGE_PREP))
    script("faster-rcnn-sum-loss-dict-keys-tqdm", "model.api_misuse", also=["other"], forms=P,
           setup=lambda w: __import__("_record").shelf(w))
    script("nan-guard-nan-to-num-inplace-on-sigmoid-output", "optim.autograd_graph", also=["optim.divergence"],
           setup=imgs(class_folder("attributes/train", ["striped", "dotted", "plain"], 4, size=(80, 80))))
    notebook("isnan-guard-on-per-sample-weighted-loss-notebook", "other", also=["model.api_misuse"],
             setup=imgs(class_folder("xray/train", ["normal", "pneumonia"], 4, size=(80, 80))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
