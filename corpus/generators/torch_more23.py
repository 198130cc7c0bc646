"""A twenty-third held-out set of PyTorch / torchvision / ImageAI 3 failures, new
variations on the project's seed causes: a validation transform without the
resize, a 2x2 mosaic of unresized tiles, ``read_image`` left in UNCHANGED mode
on mixed grey / colour files, a one-channel X-ray stem fed RGB, ultrasound
frames converted to "L" under ImageNet statistics, RGBA drone PNGs into Faster
R-CNN and transparent logos read with ``IMREAD_UNCHANGED`` into ImageAI; boxes
mapped through a 90 degree rotation without reordering, VOC XML children read
by position, YOLO rows with their class column wrapped as ``BoundingBoxes``,
Supervisely exteriors with the bottom-left corner first, an offline translate
augmentation that never clipped, YOLOv5 ``--save-conf`` pseudo labels and a
CSV box column list that kept the label; class counts that do not fit (COCO
ids kept for a two-class subset, a class JSON from another run, a multi-label
head counting the split column, ``one_hot`` sized from the first of two
concatenated datasets, 1-based FCOS labels, a head sized from ``max(label)``);
model outputs the loss cannot use (a stride-8 FCN without upsampling, per-class
box outputs against one box, a YOLO head left at COCO's 80 classes, a siamese
pair of embeddings, a Faster R-CNN backbone that ends in ``Flatten``); objects
passed where ImageAI or torch want a path and the reverse (an ImageFolder as
data directory, a loaded class dict as JSON path, a state dict as pretrained
model, an upload buffer, pathlib paths, a file name into the model, a ``.npy``
path as class weights); learning rates that make the loss NaN / inf
(multinomial hard-example mining, drawing diverged boxes, a VAE posterior,
perplexity overflow, anomaly mode on a keypoint regressor); library calls out
of order (ImageAI ``trainModel`` before ``setTrainConfig``, a model-type setter
never called, ``loadModel`` before the model type, GradScaler ``update``
before ``step`` and ``unscale_`` every micro-batch).

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads: "pretrained" weights are files an earlier run left on disk); the
label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more23.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import (  # noqa: E402,F401
    both,
    case_builders,
    class_folder,
    imgs,
    make_images,
    prep,
    run_cases,
    sub,
    write,
    yolo_layout,
)

SRC = "corpus/generators/torch_more23.py"

# the ImageAI / YOLO layout with four training and two validation images by default
yolo_dataset = partial(yolo_layout, splits=(("train", 4), ("validation", 2)))


# ====================================================================== setups
def varied_rows(split, i):
    """three boxes of different sizes per image, classes 0 / 1 (normalised YOLO rows)"""
    k = 0.01 * i + (0.005 if split == "validation" else 0.0)
    return (f"0 {0.25 + k:.4f} {0.30 + k:.4f} {0.12 + k:.4f} {0.20 + 2 * k:.4f}\n"
            f"1 {0.60 + k:.4f} {0.55:.4f} {0.30 + 2 * k:.4f} {0.25 + k:.4f}\n"
            f"0 {0.75:.4f} {0.70 - k:.4f} {0.08 + k:.4f} {0.10 + k:.4f}\n")


# ImageAI detection weights + config written by an earlier training run (random weights, same layout)
SAVE_TINY = '''
import json, os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
os.makedirs("logos/models", exist_ok=True)
os.makedirs("logos/json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=3).state_dict(), "logos/models/tiny-yolov3_logos_mAP-0.41250_epoch-30.pt")
with open("logos/json/logos_tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["adidas", "nike", "puma"], "anchors": anchors6}, f)
'''
tiny_weights = prep(SAVE_TINY)

# ImageAI classification weights + class json written by an earlier ClassificationModelTrainer run
SAVE_CLS = '''
import json, os
import torch, torchvision
os.makedirs("pets/models", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(),
           "pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
json.dump({"0": "cat", "1": "dog"}, open("pets/models/pets_model_classes.json", "w"))
'''
cls_weights = prep(SAVE_CLS)

samples = imgs([("samples/cat_01.jpg", (80, 80), "RGB"), ("samples/dog_07.jpg", (80, 80), "RGB")])
pets_folder = imgs(class_folder("pets/train", ("cat", "dog"), 3, size=(72, 64))
                   + class_folder("pets/test", ("cat", "dog"), 1, size=(72, 64)))
flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 3)
               + class_folder("flowers/val", ("daisy", "rose", "tulip"), 1))


def det_pngs(root, n, size=(96, 72), mode="RGB"):
    return imgs([(f"{root}/img_{i:03d}.png", size, mode) for i in range(n)])


# ====================================================================== scripts
SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ 1. image size / channels
SCRIPTS["val-transform-forgot-resize-two-camera-sizes"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
train_tf = transforms.Compose([
    transforms.RandomResizedCrop(64, scale=(0.6, 1.0)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize(MEAN, STD),
])
# no augmentation for validation
val_tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])

train_ds = datasets.ImageFolder("birds/train", train_tf)
val_ds = datasets.ImageFolder("birds/val", val_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    total = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1} train loss {total / len(train_loader):.4f}")

    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    print(f"          val acc {correct / len(val_ds):.3f}")
'''

birds = imgs([(f"birds/train/{c}/{c}_{i:03d}.jpg", (96 + 16 * i, 80), "RGB")
              for c in ("finch", "robin", "wren") for i in range(3)]
             + [(f"birds/val/{c}/{c}_{i:03d}.jpg", (120, 90) if i % 2 == 0 else (90, 120), "RGB")
                for c in ("finch", "robin", "wren") for i in range(2)])

SCRIPTS["mosaic-2x2-torch-cat-unresized-tiles"] = r'''
import glob
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

CLASSES = ["bicycle", "bus", "car", "truck"]


class MosaicDataset(Dataset):
    """2x2 mosaic of four street photos -> multi-label target (which classes appear)"""

    def __init__(self, root, length=32):
        self.items = [(p, CLASSES.index(p.split("/")[-2])) for p in sorted(glob.glob(f"{root}/*/*.jpg"))]
        self.length = length

    def __len__(self):
        return self.length

    def __getitem__(self, idx):
        rnd = random.Random(idx)
        picks = [rnd.choice(self.items) for _ in range(4)]
        # all photos come from the same dashcam export, so the tiles line up
        tiles = [TF.to_tensor(Image.open(p).convert("RGB")) for p, _ in picks]
        top = torch.cat([tiles[0], tiles[1]], dim=2)
        bottom = torch.cat([tiles[2], tiles[3]], dim=2)
        mosaic = torch.cat([top, bottom], dim=1)
        target = torch.zeros(len(CLASSES))
        for _, c in picks:
            target[c] = 1.0
        return mosaic, target


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)),
)
loader = DataLoader(MosaicDataset("street"), batch_size=8, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.BCEWithLogitsLoss()

for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

street = imgs([(f"street/{c}/{c}_{i:03d}.jpg", (96, 72) if (c, i) == ("truck", 1) else (96, 96), "RGB")
               for c in ("bicycle", "bus", "car", "truck") for i in range(3)])

SCRIPTS["read-image-unchanged-gray-and-rgb-stack-workers"] = r'''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.transforms import v2


class DefectDataset(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.files = [(f, i) for i, c in enumerate(self.classes) for f in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
        self.tf = v2.Compose([v2.Resize((64, 64), antialias=True), v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path, label = self.files[i]
        # keep whatever the camera wrote (some line cameras save 16-bit or alpha)
        img = read_image(path, mode=ImageReadMode.UNCHANGED)
        return self.tf(img), label


def main():
    ds = DefectDataset("pcb/train")
    loader = DataLoader(ds, batch_size=6, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(16, len(ds.classes)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

pcb = imgs([(f"pcb/train/{c}/{c}_{i:03d}.jpg", (80, 80), "L" if c == "scratch" else "RGB")
            for c in ("good", "short", "scratch") for i in range(4)])

CELLS["resnet-conv1-one-channel-xray-loaded-rgb-notebook"] = [
    r'''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms''',
    r'''# chest X-rays are greyscale: give ResNet a one-channel stem
model = models.resnet18(weights=None, num_classes=2)
model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
train_ds = datasets.ImageFolder("chest_xray/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
print(train_ds.classes, len(train_ds))''',
    r'''optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]
xrays = imgs(class_folder("chest_xray/train", ("NORMAL", "PNEUMONIA"), 3, size=(96, 96), mode="L"))

CELLS["ultrasound-convert-l-imagenet-normalize-notebook"] = [
    r'''import glob, os
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms''',
    r'''class Ultrasound(Dataset):
    def __init__(self, root, tf):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.png"))]
        self.tf = tf
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        p, y = self.items[i]
        img = Image.open(p).convert("L")   # ultrasound is greyscale anyway
        return self.tf(img), y

# same preprocessing as the torchvision ImageNet models
tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])
ds = Ultrasound("breast_us/train", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)''',
    r'''model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for x, y in loader:
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
print(loss.item())''',
]
ultrasound = imgs([(f"breast_us/train/{c}/{c} ({i}).png", (90, 70), "RGB")
                   for c in ("benign", "malignant", "normal") for i in range(1, 4)])

SCRIPTS["frcnn-rgba-drone-png-read-image"] = r'''
import json

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn


class DroneDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.anns = json.load(open(f"{root}/annotations.json"))

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = read_image(f"{self.root}/{a['file']}").float() / 255.0
        target = {"boxes": torch.tensor(a["boxes"], dtype=torch.float32),
                  "labels": torch.tensor(a["labels"], dtype=torch.int64)}
        return img, target


def collate(batch):
    return tuple(zip(*batch))


ds = DroneDataset("drone")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)

model.train()
for epoch in range(10):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

drone = both(det_pngs("drone", 4, size=(128, 96), mode="RGBA"),
             write("drone/annotations.json", json.dumps(
                 [{"file": f"img_{i:03d}.png", "boxes": [[10 + i, 12, 50 + i, 60], [70, 20, 110, 70]], "labels": [1, 2]}
                  for i in range(4)])))

SCRIPTS["imageai-custom-detect-cv2-unchanged-transparent-png"] = r'''
import glob

import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("logos/models/tiny-yolov3_logos_mAP-0.41250_epoch-30.pt")
detector.setJsonPath("logos/json/logos_tiny-yolov3_detection_config.json")
detector.loadModel()

for path in sorted(glob.glob("shop_assets/*.png")):
    # IMREAD_UNCHANGED so the PNGs are read exactly as the designers exported them
    frame = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                 minimum_percentage_probability=30)
    print(path, detections[1])
'''
transparent = imgs([(f"shop_assets/banner_{i:02d}.png", (200, 112), "RGBA") for i in range(2)])

# ------------------------------------------------------------------ 2. bounding boxes
SCRIPTS["frcnn-rot90-augment-boxes-corner-order"] = r'''
import json
import random

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


def random_rot90(img, boxes, p=0.5):
    """rotate the image 90 degrees counter-clockwise and move the boxes with it"""
    if random.random() < p:
        _, h, w = img.shape
        img = torch.rot90(img, 1, dims=(1, 2))
        x1, y1, x2, y2 = boxes.unbind(1)
        # (x, y) -> (y, w - x)
        boxes = torch.stack([y1, w - x1, y2, w - x2], dim=1)
    return img, boxes


class Solar(Dataset):
    def __init__(self, ann):
        self.items = json.load(open(ann))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = TF.to_tensor(Image.open(it["image"]).convert("RGB"))
        boxes = torch.tensor(it["boxes"], dtype=torch.float32)
        img, boxes = random_rot90(img, boxes)
        return img, {"boxes": boxes, "labels": torch.ones(len(boxes), dtype=torch.int64)}


random.seed(0)
torch.manual_seed(0)
loader = DataLoader(Solar("panels/train.json"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(5):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

panels = both(imgs([(f"panels/images/p{i:03d}.jpg", (128, 96), "RGB") for i in range(4)]),
              write("panels/train.json", json.dumps(
                  [{"image": f"panels/images/p{i:03d}.jpg", "boxes": [[12, 10, 60, 40], [70, 50, 120, 90]]}
                   for i in range(4)])))

SCRIPTS["fcos-voc-xml-bndbox-children-by-position"] = r'''
import glob
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "crack", "pothole"]


def parse_voc(xml_path):
    root = ET.parse(xml_path).getroot()
    boxes, labels = [], []
    for obj in root.iter("object"):
        bb = obj.find("bndbox")
        # xmin, ymin, xmax, ymax
        boxes.append([float(child.text) for child in bb])
        labels.append(CLASSES.index(obj.find("name").text))
    return boxes, labels


class RoadDamage(Dataset):
    def __init__(self, root):
        self.xmls = sorted(glob.glob(f"{root}/annotations/*.xml"))
        self.root = root

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        boxes, labels = parse_voc(self.xmls[i])
        name = ET.parse(self.xmls[i]).getroot().find("filename").text
        img = TF.to_tensor(Image.open(f"{self.root}/images/{name}").convert("RGB"))
        return img, {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


loader = DataLoader(RoadDamage("road_damage"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                          min_size=128, max_size=160)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(5):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def road_damage_setup(work: Path):
    make_images(work, [(f"road_damage/images/rd_{i:03d}.jpg", (160, 120), "RGB") for i in range(4)])
    d = work / "road_damage" / "annotations"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(4):
        # the last two were exported by a different labelling tool: xmin, xmax, ymin, ymax
        if i < 2:
            bb = f"<xmin>{20 + i}</xmin><ymin>30</ymin><xmax>70</xmax><ymax>80</ymax>"
        else:
            bb = f"<xmin>{20 + i}</xmin><xmax>{100 + i}</xmax><ymin>30</ymin><ymax>80</ymax>"
        (d / f"rd_{i:03d}.xml").write_text(
            f"<annotation><folder>images</folder><filename>rd_{i:03d}.jpg</filename>"
            f"<size><width>160</width><height>120</height><depth>3</depth></size>"
            f"<object><name>{'crack' if i % 2 else 'pothole'}</name><difficult>0</difficult>"
            f"<bndbox>{bb}</bndbox></object></annotation>\n")


SCRIPTS["v2-boundingboxes-yolo-rows-with-class-column"] = r'''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import v2


class YoloFolder(Dataset):
    def __init__(self, root, transforms):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.transforms = transforms

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        img = Image.open(path).convert("RGB")
        W, H = img.size
        rows = np.loadtxt(path.replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2)
        # yolo rows are normalised: scale them back to pixels
        rows = rows * np.array([1, W, H, W, H])
        boxes = tv_tensors.BoundingBoxes(torch.as_tensor(rows, dtype=torch.float32),
                                         format="CXCYWH", canvas_size=(H, W))
        target = {"boxes": boxes, "labels": torch.as_tensor(rows[:, 0], dtype=torch.int64) + 1}
        img, target = self.transforms(img, target)
        target["boxes"] = v2.functional.convert_bounding_box_format(target["boxes"], new_format="XYXY")
        return img, target


tf = v2.Compose([v2.ToImage(), v2.RandomHorizontalFlip(0.5), v2.Resize((160, 160)),
                 v2.ToDtype(torch.float32, scale=True)])
ds = YoloFolder("weeds/train", tf)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(5):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

weeds = both(imgs([(f"weeds/train/images/w{i:03d}.jpg", (128, 96), "RGB") for i in range(4)]),
             *[write(f"weeds/train/labels/w{i:03d}.txt", f"0 0.3{i} 0.40 0.20 0.25\n1 0.70 0.6{i} 0.15 0.30\n")
               for i in range(4)])

SCRIPTS["imageai-det-supervisely-exterior-bottom-left-first"] = r'''
import glob
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["ripe", "unripe"]

# Supervisely project export -> ImageAI (YOLO) annotations
for split in ("train", "validation"):
    os.makedirs(f"tomatoes/{split}/annotations", exist_ok=True)
    for ann_path in sorted(glob.glob(f"supervisely/{split}/ann/*.json")):
        ann = json.load(open(ann_path))
        W, H = ann["size"]["width"], ann["size"]["height"]
        lines = []
        for obj in ann["objects"]:
            (x1, y1), (x2, y2) = obj["points"]["exterior"]
            w, h = x2 - x1, y2 - y1
            lines.append(f"{CLASSES.index(obj['classTitle'])} {(x1 + w / 2) / W:.6f} {(y1 + h / 2) / H:.6f} "
                         f"{w / W:.6f} {h / H:.6f}")
        stem = os.path.basename(ann_path)[:-len(".jpg.json")]
        with open(f"tomatoes/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\n".join(lines) + "\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="tomatoes")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def supervisely_setup(work: Path):
    yolo_dataset("tomatoes", None, size=(160, 120), write_labels=False)(work)
    for split, n in (("train", 4), ("validation", 2)):
        d = work / "supervisely" / split / "ann"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            objs = [{"classTitle": "ripe", "geometryType": "rectangle",
                     "points": {"exterior": [[20 + 3 * i, 30], [60 + 3 * i, 70]], "interior": []}}]
            # drawn from the bottom-left corner: Supervisely keeps the two clicked points as they were
            ex = [[90, 100], [140, 60]] if (split, i) == ("train", 1) else [[90, 60], [140, 100]]
            objs.append({"classTitle": "unripe", "geometryType": "rectangle",
                         "points": {"exterior": ex, "interior": []}})
            (d / f"{split[:3]}_{i:04d}.jpg.json").write_text(json.dumps(
                {"description": "", "tags": [], "size": {"height": 120, "width": 160}, "objects": objs}))


SCRIPTS["imageai-det-offline-translate-augment-unclipped"] = r'''
import glob
import os
import random

import cv2
import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

random.seed(7)
root = "forklifts/train"

# offline augmentation: three shifted copies of every training image, labels shifted with them
for img_path in sorted(glob.glob(f"{root}/images/*.jpg")):
    stem = os.path.splitext(os.path.basename(img_path))[0]
    img = cv2.imread(img_path)
    h, w = img.shape[:2]
    rows = np.loadtxt(f"{root}/annotations/{stem}.txt", ndmin=2)
    for k in range(3):
        dx, dy = random.randint(0, w // 3), random.randint(0, h // 4)
        M = np.float32([[1, 0, dx], [0, 1, dy]])
        cv2.imwrite(f"{root}/images/{stem}_shift{k}.jpg", cv2.warpAffine(img, M, (w, h)))
        shifted = rows.copy()
        shifted[:, 1] += dx / w
        shifted[:, 2] += dy / h
        np.savetxt(f"{root}/annotations/{stem}_shift{k}.txt", shifted, fmt="%d %.6f %.6f %.6f %.6f")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="forklifts")
trainer.setTrainConfig(object_names_array=["forklift", "pallet"], batch_size=4, num_experiments=40)
trainer.trainModel()
'''

CELLS["imageai-det-pseudo-labels-save-conf-six-columns-notebook"] = [
    r'''import glob, os, shutil
from imageai.Detection.Custom import DetectionModelTrainer''',
    r'''# pseudo-labels for the unlabelled frames, from `python detect.py --save-txt --save-conf` of a YOLOv5 teacher
pseudo = sorted(glob.glob("runs/detect/exp/labels/*.txt"))
for p in pseudo:
    shutil.copy(p, "bees/train/annotations/" + os.path.basename(p))
print(len(pseudo), "pseudo-labelled frames added")''',
    r'''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="bees")
trainer.setTrainConfig(object_names_array=["bee", "varroa"], batch_size=4, num_experiments=20)
trainer.trainModel()''',
]


def bees_setup(work: Path):
    yolo_dataset("bees", varied_rows)(work)
    make_images(work, [(f"bees/train/images/frame_{i:05d}.jpg", (160, 120), "RGB") for i in (120, 240)])
    d = work / "runs" / "detect" / "exp" / "labels"
    d.mkdir(parents=True, exist_ok=True)
    for i in (120, 240):
        (d / f"frame_{i:05d}.txt").write_text("0 0.412 0.388 0.094 0.117 0.871\n1 0.655 0.512 0.031 0.042 0.634\n")


CELLS["frcnn-csv-boxes-keep-label-column-notebook"] = [
    r'''import csv
from collections import defaultdict
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF''',
    r'''# boxes.csv: filename,xmin,ymin,xmax,ymax,label
rows = defaultdict(list)
with open("wheat/boxes.csv") as f:
    for r in csv.DictReader(f):
        rows[r["filename"]].append([float(r["xmin"]), float(r["ymin"]), float(r["xmax"]), float(r["ymax"]), int(r["label"])])

def load(name):
    img = TF.to_tensor(Image.open(f"wheat/images/{name}").convert("RGB"))
    ann = torch.tensor(rows[name])
    return img, {"boxes": ann, "labels": ann[:, 4].long()}

samples = [load(n) for n in sorted(rows)]
len(samples)''',
    r'''model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for i in range(0, len(samples), 2):
        images, targets = zip(*samples[i:i + 2])
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())''',
]
wheat = both(imgs([(f"wheat/images/{i:08x}.jpg", (128, 128), "RGB") for i in (0x1a2b, 0x3c4d, 0x5e6f, 0x7a8b)]),
             write("wheat/boxes.csv", "filename,xmin,ymin,xmax,ymax,label\n" + "".join(
                 f"{i:08x}.jpg,{10 + j * 30},{12 + j * 20},{40 + j * 30},{44 + j * 20},1\n"
                 for i in (0x1a2b, 0x3c4d, 0x5e6f, 0x7a8b) for j in range(2))))

# ------------------------------------------------------------------ 3. class counts
SCRIPTS["imageai-det-subset-classes-labels-keep-coco-ids"] = r'''
from imageai.Detection.Custom import DetectionModelTrainer

# labels were exported from our COCO-pretrained auto-labeller (COCO ids: 0 person, 2 car);
# we only care about people and cars on the parking cameras
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="parking")
trainer.setTrainConfig(object_names_array=["person", "car"], batch_size=4, num_experiments=25)
trainer.trainModel()
'''


def coco_id_rows(split, i):
    return varied_rows(split, i).replace("\n1 ", "\n2 ")


CLS_OTHER_RUN = prep('''
    import json, os, time
    import torch, torchvision
    os.makedirs("pets/models", exist_ok=True)
    # first run: cat / dog
    json.dump({"0": "cat", "1": "dog"}, open("pets/models/pets_model_classes.json", "w"))
    torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(),
               "pets/models/mobilenet_v2-pets-test_acc_0.87500_epoch-4.pt")
    time.sleep(0.05)
    # second run after adding rabbits, written to its own folder name
    os.makedirs("pets_v2/models", exist_ok=True)
    json.dump({"0": "cat", "1": "dog", "2": "rabbit"}, open("pets_v2/models/pets_v2_model_classes.json", "w"))
    torch.save(torchvision.models.mobilenet_v2(num_classes=3).state_dict(),
               "pets_v2/models/mobilenet_v2-pets_v2-test_acc_0.93333_epoch-11.pt")
''')

SCRIPTS["imageai-custom-cls-json-from-other-dataset-run"] = r'''
import glob
import os

from imageai.Classification.Custom import CustomImageClassification

# newest model from any training run
model_path = max(glob.glob("*/models/*.pt"), key=os.path.getmtime)
print("using", model_path)

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath(model_path)
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()

for img in sorted(glob.glob("samples/*.jpg")):
    labels, probs = prediction.classifyImage(img, result_count=2)
    print(img, labels, probs)
'''

SCRIPTS["multilabel-csv-head-counts-split-column"] = r'''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

with open("weather/labels.csv") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)

# columns: image, then one 0/1 column per label
NUM_LABELS = len(header) - 1
LABEL_COLS = [c for c in header if c not in ("image", "split")]
print("labels:", LABEL_COLS)


class Weather(Dataset):
    def __init__(self, rows, split):
        self.rows = [r for r in rows if r[header.index("split")] == split]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = dict(zip(header, self.rows[i]))
        img = self.tf(Image.open(f"weather/images/{r['image']}").convert("RGB"))
        return img, torch.tensor([float(r[c]) for c in LABEL_COLS])


model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, NUM_LABELS)
loader = DataLoader(Weather(rows, "train"), batch_size=4, shuffle=True)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

weather = both(imgs([(f"weather/images/{i:04d}.jpg", (80, 60), "RGB") for i in range(8)]),
               write("weather/labels.csv", "image,split,sunny,cloudy,rain,snow\n" + "".join(
                   f"{i:04d}.jpg,{'train' if i < 6 else 'val'},{i % 2},{(i + 1) % 2},{int(i % 3 == 0)},{int(i == 5)}\n"
                   for i in range(8))))

CELLS["one-hot-num-classes-from-first-of-concat-datasets-notebook"] = [
    r'''import torch
import torch.nn.functional as F
from torch.utils.data import ConcatDataset, DataLoader
from torchvision import datasets, models, transforms''',
    r'''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
farm_a = datasets.ImageFolder("leaf_disease/farm_a", tf)
farm_b = datasets.ImageFolder("leaf_disease/farm_b", tf)
print(farm_a.classes, farm_b.classes)
train_ds = ConcatDataset([farm_a, farm_b])
num_classes = len(farm_a.classes)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)''',
    r'''def smooth_ce(logits, y, eps=0.1):
    target = F.one_hot(y, num_classes).float() * (1 - eps) + eps / num_classes
    return -(target * F.log_softmax(logits, 1)).sum(1).mean()

model = models.resnet18(weights=None, num_classes=num_classes)
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss = smooth_ce(model(x), y)
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]
leaf_farms = imgs(class_folder("leaf_disease/farm_a", ("healthy", "mildew", "rust"), 2)
                  + class_folder("leaf_disease/farm_b", ("blight", "healthy", "mildew", "rust"), 2))

SCRIPTS["fcos-labels-one-based-num-classes-len-names"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.transforms import functional as TF

CLASSES = ["bottle", "can", "carton"]


class Litter(Dataset):
    def __init__(self, ann):
        coco = json.load(open(ann))
        self.images = coco["images"]
        self.anns = {im["id"]: [a for a in coco["annotations"] if a["image_id"] == im["id"]] for im in self.images}

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        im = self.images[i]
        img = TF.to_tensor(Image.open(f"litter/images/{im['file_name']}").convert("RGB"))
        anns = self.anns[im["id"]]
        boxes = torch.tensor([[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                              for a in anns], dtype=torch.float32)
        # COCO category ids start at 1 (0 is background in torchvision detectors)
        labels = torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)
        return img, {"boxes": boxes, "labels": labels}


loader = DataLoader(Litter("litter/annotations.json"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES), min_size=128, max_size=160)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(5):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

litter = both(imgs([(f"litter/images/{i:06d}.jpg", (160, 120), "RGB") for i in range(4)]),
              write("litter/annotations.json", json.dumps({
                  "images": [{"id": i, "file_name": f"{i:06d}.jpg", "width": 160, "height": 120} for i in range(4)],
                  "annotations": [{"id": 10 * i + j, "image_id": i, "category_id": 1 + (i + j) % 3,
                                   "bbox": [20 + 40 * j, 30, 30, 40], "area": 1200, "iscrowd": 0}
                                  for i in range(4) for j in range(2)],
                  "categories": [{"id": 1, "name": "bottle"}, {"id": 2, "name": "can"}, {"id": 3, "name": "carton"}]})))

CELLS["species-head-sized-max-label-id-notebook"] = [
    r'''import csv
import torch, torch.nn as nn
from PIL import Image
from torchvision import models, transforms''',
    r'''with open("plankton/train.csv") as f:
    rows = [(r["file"], int(r["species_id"])) for r in csv.DictReader(f)]
num_classes = max(y for _, y in rows)
print("species:", num_classes)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
X = torch.stack([tf(Image.open(f"plankton/images/{f}").convert("RGB")) for f, _ in rows])
Y = torch.tensor([y for _, y in rows])''',
    r'''model = models.resnet18(weights=None)
model.fc = nn.Linear(512, num_classes)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 4):
        idx = perm[i:i + 4]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(X[idx]), Y[idx])
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]
plankton = both(imgs([(f"plankton/images/pk_{i:04d}.png", (48, 48), "L") for i in range(10)]),
                write("plankton/train.csv", "file,species_id\n" + "".join(f"pk_{i:04d}.png,{i % 5}\n" for i in range(10))))

# ------------------------------------------------------------------ 4. model outputs
SCRIPTS["fcn-head-stride-8-no-upsample-ce"] = r'''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=2, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class TinyFCN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.encoder = nn.Sequential(block(3, 32), block(32, 64), block(64, 128))
        self.classifier = nn.Conv2d(128, num_classes, 1)

    def forward(self, x):
        return self.classifier(self.encoder(x))


class Roofs(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/masks/")), dtype=np.int64)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask)


model = TinyFCN(num_classes=3)
loader = DataLoader(Roofs("roofs/train"), batch_size=4, shuffle=True)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, m in loader:
        opt.zero_grad()
        loss = criterion(model(x), m)
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

roofs = prep('''
    import os
    import numpy as np
    from PIL import Image
    os.makedirs("roofs/train/images", exist_ok=True)
    os.makedirs("roofs/train/masks", exist_ok=True)
    rng = np.random.default_rng(1)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"roofs/train/images/tile_{i:03d}.png")
        Image.fromarray(rng.integers(0, 3, (64, 64), dtype=np.uint8)).save(f"roofs/train/masks/tile_{i:03d}.png")
''')

SCRIPTS["box-regressor-per-class-outputs-giou-loss"] = r'''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from torchvision.ops import generalized_box_iou_loss

CLASSES = ["cat", "dog", "horse"]


class ClassifyAndLocalize(nn.Module):
    """single-object localisation: class logits + one box per class (like the R-CNN box head)"""

    def __init__(self, num_classes):
        super().__init__()
        backbone = models.resnet18(weights=None)
        backbone.fc = nn.Identity()
        self.backbone = backbone
        self.cls_head = nn.Linear(512, num_classes)
        self.box_head = nn.Linear(512, 4 * num_classes)

    def forward(self, x):
        f = self.backbone(x)
        return self.cls_head(f), torch.sigmoid(self.box_head(f))


class Pets(Dataset):
    def __init__(self, ann):
        self.items = json.load(open(ann))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(it["file"]).convert("RGB")
        W, H = img.size
        x1, y1, x2, y2 = it["box"]
        return self.tf(img), CLASSES.index(it["label"]), torch.tensor([x1 / W, y1 / H, x2 / W, y2 / H])


model = ClassifyAndLocalize(len(CLASSES))
loader = DataLoader(Pets("animals/train.json"), batch_size=4, shuffle=True)
ce = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for x, y, box in loader:
        logits, pred_box = model(x)
        loss = ce(logits, y) + 2.0 * generalized_box_iou_loss(pred_box, box, reduction="mean")
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

animals = both(imgs([(f"animals/images/a{i:03d}.jpg", (96, 80), "RGB") for i in range(6)]),
               write("animals/train.json", json.dumps(
                   [{"file": f"animals/images/a{i:03d}.jpg", "label": ["cat", "dog", "horse"][i % 3],
                     "box": [10 + i, 8, 70 + i, 72]} for i in range(6)])))

CELLS["yolo-head-channels-for-coco-80-reshape-notebook"] = [
    r'''import torch
import torch.nn as nn
NUM_CLASSES = 3          # helmet, vest, person
NUM_ANCHORS = 3''',
    r'''def conv(cin, cout, s=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, s, 1, bias=False), nn.BatchNorm2d(cout), nn.LeakyReLU(0.1))

class TinyYolo(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(3, 16, 2), conv(16, 32, 2), conv(32, 64, 2), conv(64, 128, 2), conv(128, 256, 2))
        # detection head from the yolov3-tiny cfg: anchors * (5 + classes)
        self.head = nn.Conv2d(256, 255, 1)
    def forward(self, x):
        return self.head(self.body(x))

model = TinyYolo()
x = torch.randn(2, 3, 256, 256)
out = model(x)
out.shape''',
    r'''def yolo_loss(pred, targets):
    B, _, H, W = pred.shape
    pred = pred.view(B, NUM_ANCHORS, 5 + NUM_CLASSES, H, W).permute(0, 1, 3, 4, 2)
    obj = pred[..., 4]
    return nn.functional.binary_cross_entropy_with_logits(obj, targets)

targets = torch.zeros(2, NUM_ANCHORS, 8, 8)
targets[0, 1, 3, 4] = 1
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
loss = yolo_loss(model(x), targets)
loss.backward()
opt.step()''',
]

SCRIPTS["siamese-returns-embedding-pair-into-bce"] = r'''
import glob
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class SignaturePairs(Dataset):
    def __init__(self, root, n=32):
        self.writers = {w.split("/")[-1]: sorted(glob.glob(f"{w}/*.png")) for w in sorted(glob.glob(f"{root}/*"))}
        self.n = n
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        rnd = random.Random(i)
        w1 = rnd.choice(list(self.writers))
        same = rnd.random() < 0.5
        w2 = w1 if same else rnd.choice([w for w in self.writers if w != w1])
        a, b = rnd.choice(self.writers[w1]), rnd.choice(self.writers[w2])
        load = lambda p: self.tf(Image.open(p).convert("RGB"))
        return load(a), load(b), torch.tensor(float(same))


class Siamese(nn.Module):
    def __init__(self):
        super().__init__()
        net = models.resnet18(weights=None)
        net.fc = nn.Linear(512, 128)
        self.embed = net

    def forward(self, a, b):
        return self.embed(a), self.embed(b)


model = Siamese()
loader = DataLoader(SignaturePairs("signatures"), batch_size=8, shuffle=True)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for a, b, same in loader:
        opt.zero_grad()
        loss = criterion(model(a, b), same)
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''
signatures = imgs([(f"signatures/writer_{w:03d}/sig_{i}.png", (96, 48), "L") for w in range(3) for i in range(3)])

SCRIPTS["frcnn-backbone-ends-with-flatten"] = r'''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.rpn import AnchorGenerator
from torchvision.ops import MultiScaleRoIAlign
from torchvision.transforms import functional as TF

# backbone: our own ResNet-18 classifier trained on the fish crops, minus its fc layer
classifier = models.resnet18(weights=None, num_classes=4)
classifier.load_state_dict(torch.load("fish_resnet18.pth"))
backbone = nn.Sequential(*list(classifier.children())[:-1], nn.Flatten())
backbone.out_channels = 512

model = FasterRCNN(
    backbone,
    num_classes=5,
    rpn_anchor_generator=AnchorGenerator(sizes=((32, 64, 128),), aspect_ratios=((0.5, 1.0, 2.0),)),
    box_roi_pool=MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2),
    min_size=160, max_size=200,
)


class Fish(Dataset):
    def __init__(self, ann):
        self.items = json.load(open(ann))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = TF.to_tensor(Image.open(it["file"]).convert("RGB"))
        return img, {"boxes": torch.tensor(it["boxes"], dtype=torch.float32),
                     "labels": torch.tensor(it["labels"])}


loader = DataLoader(Fish("fish/train.json"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
model.train()
for epoch in range(5):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

fish = both(prep('''
                import torch, torchvision
                torch.save(torchvision.models.resnet18(num_classes=4).state_dict(), "fish_resnet18.pth")
             '''),
            imgs([(f"fish/images/f{i:03d}.jpg", (160, 120), "RGB") for i in range(4)]),
            write("fish/train.json", json.dumps(
                [{"file": f"fish/images/f{i:03d}.jpg", "boxes": [[20, 20, 80, 70]], "labels": [1 + i % 4]}
                 for i in range(4)])))

# ------------------------------------------------------------------ 5. objects vs paths
SCRIPTS["imageai-cls-trainer-set-data-directory-imagefolder-object"] = r'''
from imageai.Classification.Custom import ClassificationModelTrainer
from torchvision import datasets

# check the folders first
train_ds = datasets.ImageFolder("pets/train")
print(f"{len(train_ds)} training images, classes: {train_ds.classes}")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(train_ds)
trainer.trainModel(num_experiments=10, batch_size=4)
'''

CELLS["imageai-custom-cls-set-json-path-loaded-dict-notebook"] = [
    r'''import json
from imageai.Classification.Custom import CustomImageClassification''',
    r'''with open("pets/models/pets_model_classes.json") as f:
    class_map = json.load(f)
class_map''',
    r'''classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
classifier.setJsonPath(class_map)
classifier.loadModel()''',
    r'''classifier.classifyImage("samples/cat_01.jpg", result_count=2)''',
]

SCRIPTS["imageai-det-trainer-pretrained-state-dict-object"] = r'''
import torch
from imageai.Detection.Custom import DetectionModelTrainer

# start from the hard-hat model we trained last month (same architecture)
pretrained = torch.load("pretrained/tiny-yolov3_hardhat_last.pt", map_location="cpu")
print(f"pretrained weights: {len(pretrained)} tensors")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="vests")
trainer.setTrainConfig(object_names_array=["vest", "no-vest"], batch_size=4, num_experiments=20,
                       train_from_pretrained_model=pretrained)
trainer.trainModel()
'''

hardhat_pretrained = prep('''
    import os, torch
    from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
    os.makedirs("pretrained", exist_ok=True)
    torch.save(YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=2).state_dict(),
               "pretrained/tiny-yolov3_hardhat_last.pt")
''')

SCRIPTS["imageai-custom-detect-bytesio-upload"] = r'''
import io
import sys

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("logos/models/tiny-yolov3_logos_mAP-0.41250_epoch-30.pt")
detector.setJsonPath("logos/json/logos_tiny-yolov3_detection_config.json")
detector.loadModel()


def handle_upload(raw: bytes):
    """what the web endpoint does with the uploaded file body"""
    image = io.BytesIO(raw)
    return detector.detectObjectsFromImage(input_image=image, output_image_path="upload_result.jpg",
                                           minimum_percentage_probability=40)


with open(sys.argv[1], "rb") as f:
    for det in handle_upload(f.read()):
        print(det["name"], det["percentage_probability"])
'''

CELLS["imageai-custom-cls-classify-pathlib-glob-notebook"] = [
    r'''from pathlib import Path
from imageai.Classification.Custom import CustomImageClassification

MODELS = Path("pets/models")''',
    r'''clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(str(MODELS / "mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt"))
clf.setJsonPath(str(MODELS / "pets_model_classes.json"))
clf.loadModel()''',
    r'''for img in sorted(Path("samples").glob("*.jpg")):
    names, probs = clf.classifyImage(img, result_count=1)
    print(img.name, names[0], probs[0])''',
]

SCRIPTS["predict-image-path-straight-into-model"] = r'''
import argparse

import torch
from torchvision import models, transforms

CLASSES = ["daisy", "rose", "tulip"]

parser = argparse.ArgumentParser()
parser.add_argument("image")
parser.add_argument("--weights", default="checkpoints/flowers_resnet18.pth")
args = parser.parse_args()

model = models.resnet18(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load(args.weights, map_location="cpu"))
model.eval()

preprocess = transforms.Compose([
    transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])

with torch.no_grad():
    logits = model(args.image)
print(CLASSES[logits.argmax(1).item()])
'''

flowers_ckpt = prep('''
    import os, torch, torchvision
    os.makedirs("checkpoints", exist_ok=True)
    torch.save(torchvision.models.resnet18(num_classes=3).state_dict(), "checkpoints/flowers_resnet18.pth")
''')

SCRIPTS["ce-class-weights-given-npy-path-from-yaml"] = r'''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# config.yaml (parsed by hand, no extra dependencies)
cfg = dict(line.split(": ", 1) for line in open("config.yaml").read().splitlines() if ": " in line)
print(cfg)

ds = datasets.ImageFolder(cfg["train_dir"], transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=int(cfg["batch_size"]), shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))

# class weights computed by compute_weights.py (inverse frequency)
criterion = nn.CrossEntropyLoss(weight=cfg["class_weights"])
optimizer = torch.optim.Adam(model.parameters(), lr=float(cfg["lr"]))

for epoch in range(int(cfg["epochs"])):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

weights_cfg = both(flowers,
                   write("config.yaml", "train_dir: flowers/train\nbatch_size: 4\nlr: 0.0003\nepochs: 5\n"
                                        "class_weights: class_weights.npy\n"),
                   prep('''
                       import numpy as np
                       np.save("class_weights.npy", np.array([0.8, 1.4, 0.9], dtype=np.float32))
                   '''))

# ------------------------------------------------------------------ 6. divergence
SCRIPTS["hard-example-mining-multinomial-after-lr-diverges"] = r'''
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
# 32x32 greyscale face crops (raw 0-255 values) -> age in years
X = torch.randint(0, 256, (256, 1, 32, 32)).float()
age = torch.randint(1, 90, (256,)).float()

model = nn.Sequential(nn.Flatten(), nn.Linear(32 * 32, 64), nn.LeakyReLU(0.1), nn.Linear(64, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

# online hard example mining: draw the next batch proportional to each sample's last loss
weights = torch.ones(len(X))
for step in range(300):
    idx = torch.multinomial(weights, 32, replacement=True)
    per_sample = F.mse_loss(model(X[idx]).squeeze(1), age[idx], reduction="none")
    loss = per_sample.mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    weights[idx] = per_sample.detach()
    print(f"step {step}: loss {loss.item():.4f}")
'''

CELLS["draw-predictions-from-diverged-box-regressor-notebook"] = [
    r'''import torch, torch.nn as nn
from torchvision.utils import draw_bounding_boxes
torch.manual_seed(0)
# toy localisation set: a bright square somewhere in a 64x64 frame, box target in pixels
N = 64
imgs = torch.zeros(N, 3, 64, 64)
boxes = torch.zeros(N, 4)
for i in range(N):
    x, y, s = torch.randint(0, 40, (1,)).item(), torch.randint(0, 40, (1,)).item(), torch.randint(8, 24, (1,)).item()
    imgs[i, :, y:y + s, x:x + s] = 1.0
    boxes[i] = torch.tensor([x, y, x + s, y + s], dtype=torch.float)''',
    r'''model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 128), nn.ReLU(), nn.Linear(128, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.3)
for epoch in range(30):
    for i in range(0, N, 16):
        loss = nn.functional.mse_loss(model(imgs[i:i + 16]), boxes[i:i + 16])
        opt.zero_grad(); loss.backward(); opt.step()
print("final loss", loss.item())''',
    r'''with torch.no_grad():
    pred = model(imgs[:4])
canvas = (imgs[0] * 255).to(torch.uint8)
vis = draw_bounding_boxes(canvas, pred[:1], colors="red", width=2)
# zoom into the predicted box
x1, y1, x2, y2 = pred[0].tolist()
crop = imgs[0][:, int(y1):int(y2), int(x1):int(x2)]
crop.shape''',
]

SCRIPTS["vae-normal-posterior-lr-too-high"] = r'''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.distributions import Normal, kl_divergence
from torchvision import transforms


class ConvVAE(nn.Module):
    def __init__(self, z=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
                                 nn.Flatten(), nn.Linear(64 * 8 * 8, 2 * z))
        self.dec = nn.Sequential(nn.Linear(z, 64 * 8 * 8), nn.Unflatten(1, (64, 8, 8)), nn.ReLU(),
                                 nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 3, 4, 2, 1))

    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        q = Normal(mu, torch.exp(0.5 * logvar))
        z = q.rsample()
        return self.dec(z), q


tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
X = torch.stack([tf(Image.open(p).convert("RGB")) for p in sorted(glob.glob("faces/*.jpg"))])
prior = Normal(torch.zeros(16), torch.ones(16))

model = ConvVAE()
opt = torch.optim.Adam(model.parameters(), lr=0.5)
for epoch in range(200):
    recon, q = model(X)
    rec = nn.functional.mse_loss(recon, X, reduction="sum")
    kl = kl_divergence(q, prior).sum()
    loss = (rec + kl) / len(X)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 5 == 0:
        print(f"epoch {epoch}: loss {loss.item():.2f}")
'''
faces = imgs([(f"faces/face_{i:03d}.jpg", (48, 48), "RGB") for i in range(16)])

SCRIPTS["caption-decoder-perplexity-math-exp-overflow"] = r'''
import math

import torch
import torch.nn as nn

torch.manual_seed(0)
VOCAB, EMB, HID = 200, 32, 64
# image features from the frozen CNN (pre-extracted) + tokenised captions
feats = torch.randn(64, 512) * 20
captions = torch.randint(0, VOCAB, (64, 12))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.init_h = nn.Linear(512, HID)
        self.emb = nn.Embedding(VOCAB, EMB)
        self.gru = nn.GRU(EMB, HID, batch_first=True)
        self.out = nn.Linear(HID, VOCAB)

    def forward(self, f, tokens):
        h0 = self.init_h(f).unsqueeze(0)
        o, _ = self.gru(self.emb(tokens), h0)
        return self.out(o)


model = Decoder()
opt = torch.optim.SGD(model.parameters(), lr=40.0)
for epoch in range(50):
    for i in range(0, 64, 16):
        logits = model(feats[i:i + 16], captions[i:i + 16, :-1])
        loss = nn.functional.cross_entropy(logits.reshape(-1, VOCAB), captions[i:i + 16, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}  perplexity {math.exp(loss.item()):.1f}")
'''

SCRIPTS["keypoint-regressor-detect-anomaly-pixel-targets"] = r'''
import json

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

# 5 facial landmarks per image, in pixels of the 96x96 crops
anns = json.load(open("landmarks/train.json"))
tf = transforms.Compose([transforms.ToTensor()])
X = torch.stack([tf(Image.open(a["file"]).convert("RGB")) for a in anns])
Y = torch.tensor([a["keypoints"] for a in anns], dtype=torch.float32).flatten(1)

model = models.resnet18(weights=None)
model.fc = nn.Linear(512, 10)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

for epoch in range(100):
    with torch.autograd.detect_anomaly():
        pred = model(X)
        loss = nn.functional.mse_loss(pred, Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.2f}")
'''
landmarks = both(imgs([(f"landmarks/img_{i:03d}.jpg", (96, 96), "RGB") for i in range(8)]),
                 write("landmarks/train.json", json.dumps(
                     [{"file": f"landmarks/img_{i:03d}.jpg",
                       "keypoints": [[30 + i, 35], [66 - i, 35], [48, 52 + i], [36, 70], [60, 70]]} for i in range(8)])))

# ------------------------------------------------------------------ 7. calls out of order
SCRIPTS["imageai-det-train-model-before-set-train-config"] = r'''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="helmets")
trainer.trainModel()
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=30)
'''

SCRIPTS["imageai-cls-trainer-model-type-setter-not-called"] = r'''
import argparse

from imageai.Classification.Custom import ClassificationModelTrainer

parser = argparse.ArgumentParser()
parser.add_argument("--arch", default="mobilenet", choices=["mobilenet", "resnet", "densenet", "inception"])
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

trainer = ClassificationModelTrainer()
set_arch = {
    "mobilenet": trainer.setModelTypeAsMobileNetV2,
    "resnet": trainer.setModelTypeAsResNet50,
    "densenet": trainer.setModelTypeAsDenseNet121,
    "inception": trainer.setModelTypeAsInceptionV3,
}[args.arch]
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=args.epochs, batch_size=4)
'''

CELLS["imageai-custom-detect-load-model-before-model-type-notebook"] = [
    r'''from imageai.Detection.Custom import CustomObjectDetection
detector = CustomObjectDetection()
detector.setModelPath("logos/models/tiny-yolov3_logos_mAP-0.41250_epoch-30.pt")
detector.setJsonPath("logos/json/logos_tiny-yolov3_detection_config.json")
detector.loadModel()''',
    r'''detector.setModelTypeAsTinyYOLOv3()
detections = detector.detectObjectsFromImage(input_image="samples/cat_01.jpg", output_image_path="out.jpg")
detections''',
]

SCRIPTS["gradscaler-update-every-micro-batch-accumulation"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
ACCUM = 4

ds = datasets.ImageFolder("flowers/train", transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=2, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
scaler = torch.amp.GradScaler(device)

for epoch in range(3):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        x, y = x.to(device), y.to(device)
        with torch.autocast(device_type=device, dtype=torch.bfloat16 if device == "cpu" else torch.float16):
            loss = nn.functional.cross_entropy(model(x), y) / ACCUM
        scaler.scale(loss).backward()
        if (i + 1) % ACCUM == 0:
            scaler.step(optimizer)
            optimizer.zero_grad()
        scaler.update()
    print(epoch, loss.item() * ACCUM)
'''

SCRIPTS["gradscaler-unscale-every-micro-batch-clip"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
ACCUM = 4

ds = datasets.ImageFolder("flowers/train", transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=2, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
scaler = torch.amp.GradScaler(device)

for epoch in range(3):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        x, y = x.to(device), y.to(device)
        with torch.autocast(device_type=device, dtype=torch.bfloat16 if device == "cpu" else torch.float16):
            loss = nn.functional.cross_entropy(model(x), y) / ACCUM
        scaler.scale(loss).backward()
        # clip before every step so fp16 spikes do not blow up the weights
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        if (i + 1) % ACCUM == 0:
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad()
    print(epoch, loss.item() * ACCUM)
'''


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more23-", SCRIPTS, CELLS)

    # 1. image size / channel count ----------------------------------------------------------------
    script("val-transform-forgot-resize-two-camera-sizes", "data.image_size_mismatch", setup=birds)
    script("mosaic-2x2-torch-cat-unresized-tiles", "data.image_size_mismatch", setup=street)
    script("read-image-unchanged-gray-and-rgb-stack-workers", "data.image_channels",
           forms=["cpython_basic", "dataloader_worker"], setup=pcb)
    notebook("resnet-conv1-one-channel-xray-loaded-rgb-notebook", "data.image_channels", setup=xrays)
    notebook("ultrasound-convert-l-imagenet-normalize-notebook", "data.image_channels", setup=ultrasound)
    script("frcnn-rgba-drone-png-read-image", "data.image_channels", setup=drone)
    script("imageai-custom-detect-cv2-unchanged-transparent-png", "data.image_channels", framework="imageai",
           argv="detect.py", setup=both(tiny_weights, transparent))

    # 2. bounding boxes ------------------------------------------------------------------------------
    script("frcnn-rot90-augment-boxes-corner-order", "data.bbox_invalid", setup=panels)
    script("fcos-voc-xml-bndbox-children-by-position", "data.bbox_invalid", setup=road_damage_setup)
    script("v2-boundingboxes-yolo-rows-with-class-column", "data.bbox_invalid", setup=weeds)
    script("imageai-det-supervisely-exterior-bottom-left-first", "data.bbox_invalid", framework="imageai",
           setup=supervisely_setup)
    script("imageai-det-offline-translate-augment-unclipped", "data.bbox_invalid", framework="imageai",
           setup=yolo_dataset("forklifts", varied_rows))
    notebook("imageai-det-pseudo-labels-save-conf-six-columns-notebook", "data.bbox_invalid", framework="imageai",
             setup=bees_setup)
    notebook("frcnn-csv-boxes-keep-label-column-notebook", "data.bbox_invalid", setup=wheat)

    # 3. class counts ----------------------------------------------------------------------------------
    script("imageai-det-subset-classes-labels-keep-coco-ids", "data.label_out_of_range", framework="imageai",
           setup=yolo_dataset("parking", coco_id_rows))
    script("imageai-custom-cls-json-from-other-dataset-run", "model.output_mismatch", framework="imageai",
           argv="classify.py", setup=both(CLS_OTHER_RUN, samples), exception="Exception")
    script("multilabel-csv-head-counts-split-column", "model.output_mismatch", setup=weather)
    notebook("one-hot-num-classes-from-first-of-concat-datasets-notebook", "data.label_out_of_range",
             setup=leaf_farms)
    script("fcos-labels-one-based-num-classes-len-names", "data.label_out_of_range", setup=litter)
    notebook("species-head-sized-max-label-id-notebook", "model.output_mismatch", also=["data.label_out_of_range"],
             setup=plankton)

    # 4. model outputs --------------------------------------------------------------------------------
    script("fcn-head-stride-8-no-upsample-ce", "model.output_mismatch", setup=roofs)
    script("box-regressor-per-class-outputs-giou-loss", "model.output_mismatch", setup=animals)
    notebook("yolo-head-channels-for-coco-80-reshape-notebook", "model.output_mismatch")
    script("siamese-returns-embedding-pair-into-bce", "model.output_mismatch", setup=signatures)
    script("frcnn-backbone-ends-with-flatten", "model.output_mismatch", setup=fish)

    # 5. objects vs paths -------------------------------------------------------------------------------
    script("imageai-cls-trainer-set-data-directory-imagefolder-object", "model.api_misuse", framework="imageai",
           setup=pets_folder)
    notebook("imageai-custom-cls-set-json-path-loaded-dict-notebook", "model.api_misuse", framework="imageai",
             setup=both(cls_weights, samples))
    script("imageai-det-trainer-pretrained-state-dict-object", "model.api_misuse", framework="imageai",
           setup=both(hardhat_pretrained, yolo_dataset("vests", varied_rows)))
    script("imageai-custom-detect-bytesio-upload", "model.api_misuse", framework="imageai", argv="detect.py",
           args=("uploads/IMG_2231.jpg",),
           setup=both(tiny_weights, imgs([("uploads/IMG_2231.jpg", (160, 120), "RGB")])))
    notebook("imageai-custom-cls-classify-pathlib-glob-notebook", "model.api_misuse", framework="imageai",
             setup=both(cls_weights, samples))
    script("predict-image-path-straight-into-model", "model.api_misuse", argv="predict.py",
           args=("test_photos/rose_01.jpg",),
           setup=both(flowers_ckpt, imgs([("test_photos/rose_01.jpg", (120, 100), "RGB")])))
    script("ce-class-weights-given-npy-path-from-yaml", "model.api_misuse", setup=weights_cfg)

    # 6. divergence ------------------------------------------------------------------------------------
    script("hard-example-mining-multinomial-after-lr-diverges", "optim.divergence")
    notebook("draw-predictions-from-diverged-box-regressor-notebook", "optim.divergence")
    script("vae-normal-posterior-lr-too-high", "optim.divergence", setup=faces)
    script("caption-decoder-perplexity-math-exp-overflow", "optim.divergence")
    script("keypoint-regressor-detect-anomaly-pixel-targets", "optim.divergence", setup=landmarks)

    # 7. calls out of order ---------------------------------------------------------------------------
    script("imageai-det-train-model-before-set-train-config", "model.api_misuse", framework="imageai",
           setup=yolo_dataset("helmets", varied_rows))
    script("imageai-cls-trainer-model-type-setter-not-called", "model.api_misuse", framework="imageai",
           setup=pets_folder)
    notebook("imageai-custom-detect-load-model-before-model-type-notebook", "model.api_misuse",
             framework="imageai", setup=both(tiny_weights, samples))
    script("gradscaler-update-every-micro-batch-accumulation", "model.api_misuse", setup=flowers)
    script("gradscaler-unscale-every-micro-batch-clip", "model.api_misuse", setup=flowers)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
