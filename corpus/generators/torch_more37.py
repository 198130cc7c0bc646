"""A thirty-seventh held-out set (g71, scored 0.92 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: people fine-tuning
torchvision detection and segmentation models (Faster R-CNN, RetinaNet, FCOS, SSDlite, Mask R-CNN,
Keypoint R-CNN, DeepLabV3, FCN, all built with ``weights=None``) and ImageAI 3's
``DetectionModelTrainer`` on their own data, an untargeted sample over the cause ids, none a repeat
of the scenarios in the other generators.

- Dataset classes: FCN images left unresized because "it is fully convolutional", a VOC loader
  without the detection ``collate_fn`` (in workers), Keypoint R-CNN given COCO ``bbox`` (xywh) as
  corners and COCO's flat ``keypoints`` list, GIS tiles whose map y axis points up (FCOS), masks a
  converter saved as JPEG (DeepLabV3), CVAT COCO category ids with a gap (SSDlite), Label Studio
  upload prefixes in ``file_name``, LabelImg ``<filename>`` tags naming the PNGs later converted to
  JPEG (in workers), an ``unsqueeze(0)`` copied from the predict script into ``__getitem__``,
  ``np.int32`` masks;
- models / checkpoints: an FCOS given RetinaNet's classification head, a MobileNet Faster R-CNN
  checkpoint into the ResNet-50 builder, a Colab checkpoint loaded on a laptop without a GPU, the
  DeepLab output dict given to the loss, ``OneCycleLR`` sized from the dataset length, every
  parameter frozen after the new predictor was attached (notebook);
- versions / environment: ``torchvision.models.utils`` from an old DeepLab tutorial, a ``zipfile``
  dataset under spawn workers;
- plain bugs: predictions written with ``json.dump`` as tensors, a matching loop taking ``max``
  over an image with no predictions;
- ImageAI 3: a Roboflow COCO export moved into the ImageAI layout without YOLO labels, label files
  written with commas by a converter, Darknet ``yolov3.weights`` as the pretrained model, YOLOv3
  training under a job memory limit.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads); the label is
known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more37.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more37.py"

SCRIPTS = {}
CELLS = {}


# ----------------------------------------------------------------------------- data helpers
def voc_xml(filename, w, h, objs, folder="images"):
    rows = "".join(
        f"  <object>\n    <name>{n}</name>\n    <pose>Unspecified</pose>\n    <truncated>0</truncated>\n"
        f"    <difficult>0</difficult>\n    <bndbox>\n      <xmin>{a}</xmin>\n      <ymin>{b}</ymin>\n"
        f"      <xmax>{c}</xmax>\n      <ymax>{d}</ymax>\n    </bndbox>\n  </object>\n"
        for n, (a, b, c, d) in objs)
    return (f"<annotation>\n  <folder>{folder}</folder>\n  <filename>{filename}</filename>\n"
            f"  <size>\n    <width>{w}</width>\n    <height>{h}</height>\n    <depth>3</depth>\n  </size>\n"
            f"  <segmented>0</segmented>\n{rows}</annotation>\n")


def masks_setup(root, n, sizes, ncls=3, ext="png", quality=75):
    """images root/images/*.jpg and label masks root/masks/*.<ext> (class ids 0..ncls-1)."""
    def setup(work: Path):
        import numpy as np
        from PIL import Image
        rng = np.random.default_rng(0)
        (work / root / "images").mkdir(parents=True, exist_ok=True)
        (work / root / "masks").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            w, h = sizes[i % len(sizes)]
            Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(work / root / "images" / f"tile_{i:03d}.jpg")
            m = np.zeros((h, w), np.uint8)
            for c in range(1, ncls):
                y, x = rng.integers(0, h // 2), rng.integers(0, w // 2)
                m[y:y + h // 3, x:x + w // 3] = c
            if ext == "png":
                Image.fromarray(m).save(work / root / "masks" / f"tile_{i:03d}.png")
            else:
                Image.fromarray(m).save(work / root / "masks" / f"tile_{i:03d}.jpg", quality=quality)
    return setup


# ============================================================ data.image_size_mismatch
SCRIPTS["fcn-no-resize-fully-convolutional-default-collate"] = '''
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import fcn_resnet50
from torchvision.transforms import functional as TF


class RoofTiles(Dataset):
    """drone tiles + label masks (0 background, 1 roof, 2 solar panel)"""

    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", name.replace(".jpg", ".png")))
        # no Resize: FCN is fully convolutional, it takes any input size
        img = TF.normalize(TF.to_tensor(img), [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        return img, torch.as_tensor(np.array(mask), dtype=torch.long)


loader = DataLoader(RoofTiles("roofs"), batch_size=4, shuffle=True)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)

model.train()
for epoch in range(10):
    for images, masks in loader:
        out = model(images)["out"]
        loss = criterion(out, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["fasterrcnn-voc-loader-without-detection-collate-workers"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.transforms import functional as F

CLASSES = ["__background__", "pothole", "crack"]


class RoadDamage(Dataset):
    def __init__(self, root):
        self.root = root
        self.xmls = sorted(glob.glob(os.path.join(root, "Annotations", "*.xml")))

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, idx):
        tree = ET.parse(self.xmls[idx]).getroot()
        img = Image.open(os.path.join(self.root, "JPEGImages", tree.find("filename").text)).convert("RGB")
        boxes, labels = [], []
        for obj in tree.iter("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels, dtype=torch.int64)}
        return F.to_tensor(img), target


def main():
    dataset = RoadDamage("RDD_subset")
    loader = DataLoader(dataset, batch_size=2, shuffle=True, num_workers=2)
    model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None)
    in_features = model.roi_heads.box_predictor.cls_score.in_features
    model.roi_heads.box_predictor = FastRCNNPredictor(in_features, len(CLASSES))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
    model.train()
    for epoch in range(5):
        for images, targets in loader:
            loss_dict = model(list(images), targets)
            losses = sum(loss for loss in loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
        print(epoch, losses.item())


if __name__ == "__main__":
    main()
'''


def rdd_setup(work: Path):
    sizes = [(160, 120), (128, 96), (160, 120), (120, 160)]
    make_images(work, [(f"RDD_subset/JPEGImages/Norway_{i:06d}.jpg", sizes[i], "RGB") for i in range(4)])
    (work / "RDD_subset/Annotations").mkdir(parents=True)
    for i, (w, h) in enumerate(sizes):
        objs = [("pothole", (10, 12, 60, 50))] + ([("crack", (70, 40, 110, 90))] if i % 2 else [])
        (work / f"RDD_subset/Annotations/Norway_{i:06d}.xml").write_text(voc_xml(f"Norway_{i:06d}.jpg", w, h, objs))


# ============================================================ data.bbox_invalid
SCRIPTS["keypointrcnn-coco-bbox-xywh-used-as-corners"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import keypointrcnn_resnet50_fpn
from torchvision.transforms import functional as F


class HandKeypoints(Dataset):
    """COCO-keypoints export from CVAT: 4 keypoints per hand (wrist, thumb, index, pinky)"""

    def __init__(self, root, ann_file):
        coco = json.load(open(ann_file))
        self.root = root
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(os.path.join(self.root, info["file_name"])).convert("RGB")
        anns = self.anns[info["id"]]
        boxes = torch.tensor([a["bbox"] for a in anns], dtype=torch.float32)
        kps = torch.tensor([a["keypoints"] for a in anns], dtype=torch.float32).view(len(anns), -1, 3)
        target = {"boxes": boxes, "labels": torch.ones(len(anns), dtype=torch.int64), "keypoints": kps}
        return F.to_tensor(img), target


ds = HandKeypoints("hands/images", "hands/annotations/person_keypoints_default.json")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, num_keypoints=4,
                                  min_size=160, max_size=224)
optimizer = torch.optim.SGD(model.parameters(), lr=0.002, momentum=0.9)
model.train()
for epoch in range(20):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, {k: round(v.item(), 4) for k, v in loss_dict.items()})
'''


def hands_setup(work: Path):
    make_images(work, [(f"hands/images/frame_{i:04d}.jpg", (200, 150), "RGB") for i in range(4)])
    anns, imgs_ = [], []
    k = 1
    for i in range(4):
        imgs_.append({"id": i + 1, "file_name": f"frame_{i:04d}.jpg", "width": 200, "height": 150})
        for (x, y, w, h) in [(70 + 5 * i, 40, 40, 50), (20, 60 + 3 * i, 30, 35)]:
            kp = [x + 5, y + h - 5, 2, x + 8, y + 10, 2, x + w // 2, y + 4, 2, x + w - 5, y + 12, 2]
            anns.append({"id": k, "image_id": i + 1, "category_id": 1, "bbox": [x, y, w, h], "area": w * h,
                         "iscrowd": 0, "num_keypoints": 4, "keypoints": kp})
            k += 1
    coco = {"images": imgs_, "annotations": anns,
            "categories": [{"id": 1, "name": "hand", "keypoints": ["wrist", "thumb", "index", "pinky"],
                            "skeleton": [[1, 2], [1, 3], [1, 4]]}]}
    p = work / "hands/annotations/person_keypoints_default.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(coco))


SCRIPTS["fcos-geo-tiles-map-y-axis-points-up"] = '''
import csv
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.transforms import functional as F

# tiles exported from QGIS: 0.5 m per pixel, top-left corner of every tile in tiles.csv
RES = 0.5


class TreeCrowns(Dataset):
    def __init__(self, root):
        self.root = root
        self.tiles = {r["tile"]: (float(r["left"]), float(r["top"])) for r in csv.DictReader(open(f"{root}/tiles.csv"))}
        self.crowns = {}
        for r in csv.DictReader(open(f"{root}/crowns.csv")):   # crown polygons' extents in map metres
            self.crowns.setdefault(r["tile"], []).append([float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")])
        self.names = sorted(self.tiles)

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        left, top = self.tiles[name]
        img = Image.open(os.path.join(self.root, "tiles", name)).convert("RGB")
        boxes = []
        for xmin, ymin, xmax, ymax in self.crowns[name]:
            # metres -> pixels
            boxes.append([(xmin - left) / RES, (top - ymin) / RES, (xmax - left) / RES, (top - ymax) / RES])
        target = {"boxes": torch.tensor(boxes), "labels": torch.ones(len(boxes), dtype=torch.int64)}
        return F.to_tensor(img), target


loader = DataLoader(TreeCrowns("orchard"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, min_size=128, max_size=128)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
model.train()
for epoch in range(30):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''


def orchard_setup(work: Path):
    make_images(work, [(f"orchard/tiles/tile_{i}.png", (128, 128), "RGB") for i in range(2)])
    tiles = "tile,left,top\n" + "".join(f"tile_{i}.png,{512300.0 + 64 * i},{5403200.0}\n" for i in range(2))
    (work / "orchard/tiles.csv").write_text(tiles)
    rows = ["tile,xmin,ymin,xmax,ymax"]
    for i in range(2):
        left, top = 512300.0 + 64 * i, 5403200.0
        for (a, b, c, d) in [(5, 8, 17, 20), (30, 25, 44, 39)]:
            rows.append(f"tile_{i}.png,{left + a},{top - d},{left + c},{top - b}")
    (work / "orchard/crowns.csv").write_text("\n".join(rows) + "\n")


# ============================================================ data.label_out_of_range
SCRIPTS["deeplab-masks-converted-to-jpeg"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

NUM_CLASSES = 3   # background, healthy leaf, lesion

img_tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(),
                             transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class LeafSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.masks = sorted(glob.glob(os.path.join(root, "masks", "*.jpg")))   # masks exported by our converter

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.masks[i]).resize((128, 128), Image.NEAREST)
        return img_tf(img), torch.from_numpy(np.array(mask)).long()


loader = DataLoader(LeafSeg("leaf_seg"), batch_size=2, shuffle=True, drop_last=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(10):
    model.train()
    for x, y in loader:
        out = model(x)["out"]
        loss = criterion(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["ssdlite-cvat-coco-category-ids-with-gap"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import v2
from torchvision import tv_tensors

ANN = "shelf/annotations/instances_default.json"   # CVAT "COCO 1.0" export
coco = json.load(open(ANN))
CATS = {c["id"]: c["name"] for c in coco["categories"]}
NUM_CLASSES = len(CATS) + 1   # + background
print("classes:", CATS, "->", NUM_CLASSES)

tf = v2.Compose([v2.ToImage(), v2.Resize((320, 320)), v2.ToDtype(torch.float32, scale=True)])


class Shelf(Dataset):
    def __init__(self):
        self.images = coco["images"]
        self.by_img = {}
        for a in coco["annotations"]:
            self.by_img.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(os.path.join("shelf/images", info["file_name"])).convert("RGB")
        anns = self.by_img.get(info["id"], [])
        boxes = tv_tensors.BoundingBoxes([a["bbox"] for a in anns], format="XYWH",
                                         canvas_size=(img.height, img.width))
        img, boxes = tf(img, boxes)
        boxes = v2.functional.convert_bounding_box_format(boxes, new_format=tv_tensors.BoundingBoxFormat.XYXY)
        return img, {"boxes": boxes, "labels": torch.tensor([a["category_id"] for a in anns])}


loader = DataLoader(Shelf(), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=4e-5)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=50)
model.train()
for epoch in range(50):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def shelf_setup(work: Path):
    make_images(work, [(f"shelf/images/aisle3_{i:03d}.jpg", (240, 180), "RGB") for i in range(4)])
    # "bottle" (id 3) was deleted in CVAT after a few tasks; ids were not renumbered
    cats = [{"id": 1, "name": "can", "supercategory": ""}, {"id": 2, "name": "box", "supercategory": ""},
            {"id": 4, "name": "jar", "supercategory": ""}]
    anns, k = [], 1
    for i in range(4):
        for j, cid in enumerate([1, 2, 4] if i % 2 else [1, 4]):
            anns.append({"id": k, "image_id": i + 1, "category_id": cid, "bbox": [20 + 60 * j, 30, 40, 90],
                         "area": 3600, "iscrowd": 0, "segmentation": []})
            k += 1
    coco = {"licenses": [], "info": {}, "categories": cats, "annotations": anns,
            "images": [{"id": i + 1, "file_name": f"aisle3_{i:03d}.jpg", "width": 240, "height": 180}
                       for i in range(4)]}
    p = work / "shelf/annotations/instances_default.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(coco))


# ============================================================ data.label_shape
SCRIPTS["keypointrcnn-coco-keypoints-flat-list"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import keypointrcnn_resnet50_fpn
from torchvision.transforms import functional as F


def xywh_to_xyxy(b):
    x, y, w, h = b
    return [x, y, x + w, y + h]


class HandKeypoints(Dataset):
    def __init__(self, root, ann_file):
        coco = json.load(open(ann_file))
        self.root = root
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(os.path.join(self.root, info["file_name"])).convert("RGB")
        anns = self.anns[info["id"]]
        target = {
            "boxes": torch.tensor([xywh_to_xyxy(a["bbox"]) for a in anns], dtype=torch.float32),
            "labels": torch.ones(len(anns), dtype=torch.int64),
            "keypoints": torch.tensor([a["keypoints"] for a in anns], dtype=torch.float32),
        }
        return F.to_tensor(img), target


ds = HandKeypoints("hands/images", "hands/annotations/person_keypoints_default.json")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, num_keypoints=4,
                                  min_size=160, max_size=224)
optimizer = torch.optim.SGD(model.parameters(), lr=0.002, momentum=0.9)
model.train()
for epoch in range(20):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, {k: round(v.item(), 4) for k, v in loss_dict.items()})
'''


# ============================================================ data.dtype
SCRIPTS["deeplab-masks-read-as-int32-numpy"] = '''
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import v2

img_tf = v2.Compose([v2.ToImage(), v2.Resize((128, 128)), v2.ToDtype(torch.float32, scale=True),
                     v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class Cells(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        img = Image.open(os.path.join(self.root, "images", n)).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", n.replace(".jpg", ".png"))).resize((128, 128), Image.NEAREST)
        mask = np.array(mask, dtype=np.int32)   # class ids, int so they can be compared with the class table
        return img_tf(img), torch.from_numpy(mask)


loader = DataLoader(Cells("cells"), batch_size=2, shuffle=True, drop_last=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    for x, y in loader:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(x)["out"]
        loss = criterion(logits.float(), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


# ============================================================ data.missing_or_corrupt
SCRIPTS["retinanet-label-studio-upload-prefixed-file-names"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as F

ROOT = "birds"
coco = json.load(open(os.path.join(ROOT, "result.json")))   # Label Studio "COCO" export


class Birds(Dataset):
    def __init__(self):
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        path = os.path.join(ROOT, "images", os.path.basename(info["file_name"]))
        img = Image.open(path).convert("RGB")
        boxes = [[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in self.anns[info["id"]])]
        labels = [a["category_id"] + 1 for a in self.anns[info["id"]]]
        return F.to_tensor(img), {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


loader = DataLoader(Birds(), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(coco["categories"]) + 1,
                               min_size=256, max_size=320)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(12):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = losses["classification"] + losses["bbox_regression"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def birds_setup(work: Path):
    names = ["IMG_2041.jpg", "IMG_2042.jpg", "IMG_2047.jpg", "IMG_2050.jpg"]
    make_images(work, [(f"birds/images/{n}", (200, 150), "RGB") for n in names])
    pref = ["3f2a1c4e", "9b07de11", "c41f8a20", "05e6b7d9"]
    coco = {"images": [{"width": 200, "height": 150, "id": i, "file_name": f"../../label-studio/media/upload/4/{p}-{n}"}
                       for i, (p, n) in enumerate(zip(pref, names))],
            "categories": [{"id": 0, "name": "heron"}, {"id": 1, "name": "egret"}],
            "annotations": [{"id": i, "image_id": i, "category_id": i % 2, "segmentation": [],
                             "bbox": [30.5, 22.0, 80.25, 96.0], "ignore": 0, "iscrowd": 0, "area": 7704.0}
                            for i in range(4)],
            "info": {"year": 2024, "version": "1.0", "contributor": "Label Studio"}}
    (work / "birds/result.json").write_text(json.dumps(coco))


SCRIPTS["fasterrcnn-labelimg-filename-tag-png-converted-to-jpg-workers"] = (
    SCRIPTS["fasterrcnn-voc-loader-without-detection-collate-workers"]
    .replace('    loader = DataLoader(dataset, batch_size=2, shuffle=True, num_workers=2)',
             '    loader = DataLoader(dataset, batch_size=2, shuffle=True, num_workers=2,\n'
             '                        collate_fn=lambda batch: tuple(zip(*batch)))')
    .replace('"RDD_subset"', '"weeds"').replace('"pothole", "crack"', '"thistle", "dock"')
    .replace("class RoadDamage", "class WeedsVOC").replace("= RoadDamage(", "= WeedsVOC("))


def weeds_setup(work: Path):
    # annotated in LabelImg on the PNG screenshots, then the folder was converted to JPEG to save space
    sizes = [(160, 120)] * 4
    make_images(work, [(f"weeds/JPEGImages/field_{i:04d}.jpg", sizes[i], "RGB") for i in range(4)])
    (work / "weeds/Annotations").mkdir(parents=True)
    for i, (w, h) in enumerate(sizes):
        (work / f"weeds/Annotations/field_{i:04d}.xml").write_text(
            voc_xml(f"field_{i:04d}.png", w, h, [("thistle", (10, 12, 60, 50)), ("dock", (70, 40, 110, 90))],
                    folder="screenshots"))


# ============================================================ model.input_shape
SCRIPTS["fcn-dataset-keeps-predict-unsqueeze"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models.segmentation import fcn_resnet50

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])


def load_image(path):
    # same helper as in predict.py
    img = Image.open(path).convert("RGB")
    return tf(img).unsqueeze(0)


class Potholes(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        mask = Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png"))
        mask = transforms.functional.pil_to_tensor(mask.resize((96, 96), Image.NEAREST))[0].long()
        return load_image(self.images[i]), mask


loader = DataLoader(Potholes("potholes"), batch_size=2, shuffle=True)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(3):
    for imgs, masks in loader:
        out = model(imgs)["out"]
        loss = loss_fn(out, masks)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


# ============================================================ model.output_mismatch
SCRIPTS["fcos-classification-head-copied-from-retinanet"] = '''
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.models.detection.retinanet import RetinaNetClassificationHead

CLASSES = ["background", "helmet", "head"]


class Helmets(Dataset):
    def __init__(self):
        self.rows = [l.split(",") for l in open("helmets/labels.csv").read().split()[1:]]
        self.names = sorted({r[0] for r in self.rows})

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        rows = [r for r in self.rows if r[0] == n]
        img = read_image(f"helmets/images/{n}").float() / 255
        boxes = torch.tensor([[float(v) for v in r[1:5]] for r in rows])
        labels = torch.tensor([CLASSES.index(r[5]) for r in rows])
        return img, {"boxes": boxes, "labels": labels}


model = fcos_resnet50_fpn(weights=None, weights_backbone=None, min_size=160, max_size=160)
# new head for our 3 classes (same as the RetinaNet fine-tuning notebook)
in_channels = model.backbone.out_channels
model.head.classification_head = RetinaNetClassificationHead(in_channels, num_anchors=9, num_classes=len(CLASSES))

loader = DataLoader(Helmets(), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimizer.step()
    print(epoch, loss.item())
'''


def helmets_setup(work: Path):
    make_images(work, [(f"helmets/images/site_{i:03d}.jpg", (160, 160), "RGB") for i in range(4)])
    rows = ["filename,xmin,ymin,xmax,ymax,class"]
    for i in range(4):
        rows += [f"site_{i:03d}.jpg,20,15,60,55,helmet", f"site_{i:03d}.jpg,90,30,140,80,head"]
    (work / "helmets/labels.csv").write_text("\n".join(rows) + "\n")


# ============================================================ model.weights_mismatch
SCRIPTS["fasterrcnn-predict-script-resnet50-for-mobilenet-checkpoint"] = '''
import sys

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "scratch", "dent"]

model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/car_damage_best.pth", map_location="cpu"))
model.eval()

img = Image.open(sys.argv[1]).convert("RGB")
with torch.no_grad():
    pred = model([F.to_tensor(img)])[0]
for box, label, score in zip(pred["boxes"], pred["labels"], pred["scores"]):
    if score > 0.5:
        print(CLASSES[label], [round(v) for v in box.tolist()], f"{score:.2f}")
'''

MOBILENET_CKPT = '''
import os, torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
os.makedirs("checkpoints", exist_ok=True)
m = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save(m.state_dict(), "checkpoints/car_damage_best.pth")
'''


# ============================================================ env.cuda_setup
SCRIPTS["maskrcnn-colab-checkpoint-on-laptop-without-gpu"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor
from torchvision.transforms import functional as F


def get_model(num_classes):
    model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
    in_features = model.roi_heads.box_predictor.cls_score.in_features
    model.roi_heads.box_predictor = FastRCNNPredictor(in_features, num_classes)
    model.roi_heads.mask_predictor = MaskRCNNPredictor(256, 256, num_classes)
    return model


model = get_model(2)
# downloaded from Google Drive after training in Colab
model.load_state_dict(torch.load("maskrcnn_pennfudan_epoch10.pt"))
model.eval()
os.makedirs("out", exist_ok=True)
for path in sorted(glob.glob("new_photos/*.jpg")):
    with torch.no_grad():
        pred = model([F.to_tensor(Image.open(path).convert("RGB"))])[0]
    masks = (pred["masks"][:, 0] > 0.5).numpy()
    Image.fromarray((masks.any(0) * 255).astype(np.uint8)).save(os.path.join("out", os.path.basename(path)))
'''

# the checkpoint as torch.save wrote it on the Colab GPU: its storages are tagged "cuda:0"
CUDA_CKPT = '''
import torch
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor
m = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None)
m.roi_heads.box_predictor = FastRCNNPredictor(1024, 2)
m.roi_heads.mask_predictor = MaskRCNNPredictor(256, 256, 2)
torch.serialization.register_package(1, lambda obj: "cuda:0", lambda obj, loc: None)
torch.save(m.state_dict(), "maskrcnn_pennfudan_epoch10.pt")
'''


# ============================================================ model.api_misuse
SCRIPTS["deeplab-output-dict-into-cross-entropy-tqdm"] = '''
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models.segmentation import deeplabv3_resnet50
from tqdm import tqdm


class Floodnet(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(f"{root}/images"))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        img = self.tf(Image.open(f"{self.root}/images/{n}").convert("RGB"))
        mask = Image.open(f"{self.root}/masks/{n[:-4]}.png").resize((96, 96), Image.NEAREST)
        return img, torch.from_numpy(np.array(mask)).long()


loader = DataLoader(Floodnet("floodnet"), batch_size=2, shuffle=True, drop_last=True)
model = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=3, aux_loss=True)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = torch.optim.lr_scheduler.PolynomialLR(optimizer, total_iters=30, power=0.9)

for epoch in range(30):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for images, masks in pbar:
        outputs = model(images)
        loss = criterion(outputs, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
    scheduler.step()
'''

SCRIPTS["onecycle-total-steps-from-dataset-length"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "pothole", "crack"]
EPOCHS = 1
BATCH_SIZE = 2


class RoadDamage(Dataset):
    def __init__(self, root):
        self.root = root
        self.xmls = sorted(glob.glob(os.path.join(root, "Annotations", "*.xml")))

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, idx):
        tree = ET.parse(self.xmls[idx]).getroot()
        img = Image.open(os.path.join(self.root, "JPEGImages", tree.find("filename").text)).convert("RGB")
        boxes = [[float(o.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
                 for o in tree.iter("object")]
        labels = [CLASSES.index(o.find("name").text) for o in tree.iter("object")]
        return F.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


dataset = RoadDamage("RDD_subset")
loader = DataLoader(dataset, batch_size=BATCH_SIZE, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(
    optimizer, max_lr=1e-3, total_steps=EPOCHS * (len(dataset) // BATCH_SIZE))

model.train()
for epoch in range(EPOCHS):
    for step, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        scheduler.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f} lr {scheduler.get_last_lr()[0]:.2e}")
'''


def rdd5_setup(work: Path):
    make_images(work, [(f"RDD_subset/JPEGImages/Japan_{i:06d}.jpg", (160, 120), "RGB") for i in range(5)])
    (work / "RDD_subset/Annotations").mkdir(parents=True)
    for i in range(5):
        (work / f"RDD_subset/Annotations/Japan_{i:06d}.xml").write_text(
            voc_xml(f"Japan_{i:06d}.jpg", 160, 120, [("pothole", (10, 12, 60, 50)), ("crack", (70, 40, 110, 90))]))


# ============================================================ optim.autograd_graph
CELLS["fasterrcnn-freeze-everything-after-new-predictor-notebook"] = [
    '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor

model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, min_size=160, max_size=200)
model.roi_heads.box_predictor = FastRCNNPredictor(model.roi_heads.box_predictor.cls_score.in_features, 3)
''',
    '''
# small data set: freeze the backbone, only train the heads
for param in model.parameters():
    param.requires_grad = False
trainable = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(model.roi_heads.parameters(), lr=0.005, momentum=0.9)
print(len(trainable), "trainable tensors")
''',
    '''
images = [torch.rand(3, 150, 200), torch.rand(3, 150, 200)]
targets = [{"boxes": torch.tensor([[20., 30., 90., 120.]]), "labels": torch.tensor([1])},
           {"boxes": torch.tensor([[50., 10., 150., 80.], [5., 90., 60., 140.]]), "labels": torch.tensor([2, 1])}]
model.train()
loss_dict = model(images, targets)
losses = sum(loss_dict.values())
optimizer.zero_grad()
losses.backward()
optimizer.step()
print({k: v.item() for k, v in loss_dict.items()})
''',
]



# ============================================================ env.version_incompat
SCRIPTS["deeplab-old-tutorial-models-utils-import"] = '''
import torch
import torch.nn as nn
from torchvision.models.segmentation import deeplabv3_resnet50
from torchvision.models.segmentation.deeplabv3 import DeepLabHead
from torchvision.models.utils import load_state_dict_from_url

# from the 2020 "fine-tune DeepLabV3 on your own masks" tutorial
model_urls = {"deeplabv3_resnet50_coco": "https://download.pytorch.org/models/deeplabv3_resnet50_coco-cd0a2569.pth"}


def create_model(num_classes, pretrained=False):
    model = deeplabv3_resnet50(weights=None, weights_backbone=None, aux_loss=False)
    if pretrained:
        model.load_state_dict(load_state_dict_from_url(model_urls["deeplabv3_resnet50_coco"]), strict=False)
    model.classifier = DeepLabHead(2048, num_classes)
    return model


model = create_model(2)
print(sum(p.numel() for p in model.parameters()))
'''


# ============================================================ env.multiprocessing
SCRIPTS["voc-zip-dataset-spawn-workers"] = '''
import io
import xml.etree.ElementTree as ET
import zipfile

import torch
import torch.multiprocessing as mp
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn_v2
from torchvision.transforms import functional as F

CLASSES = ["__background__", "car", "van"]


class ZippedVOC(Dataset):
    """read straight from the Kaggle zip, no need to extract 20 GB"""

    def __init__(self, zip_path):
        self.zf = zipfile.ZipFile(zip_path)
        self.xmls = sorted(n for n in self.zf.namelist() if n.endswith(".xml"))

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        root = ET.fromstring(self.zf.read(self.xmls[i]))
        img = Image.open(io.BytesIO(self.zf.read("JPEGImages/" + root.find("filename").text))).convert("RGB")
        objs = list(root.iter("object"))
        boxes = [[float(o.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")] for o in objs]
        labels = [CLASSES.index(o.find("name").text) for o in objs]
        return F.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


def collate(batch):
    return tuple(zip(*batch))


if __name__ == "__main__":
    mp.set_start_method("spawn")   # as on the Mac
    loader = DataLoader(ZippedVOC("uavdt_voc.zip"), batch_size=2, shuffle=True, num_workers=2, collate_fn=collate)
    model = retinanet_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    model.train()
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(loss.item())
'''


def zip_setup(work: Path):
    import io
    import zipfile
    from PIL import Image
    import numpy as np
    rng = np.random.default_rng(0)
    with zipfile.ZipFile(work / "uavdt_voc.zip", "w") as z:
        for i in range(4):
            buf = io.BytesIO()
            Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(buf, format="JPEG")
            z.writestr(f"JPEGImages/M0101_{i:06d}.jpg", buf.getvalue())
            z.writestr(f"Annotations/M0101_{i:06d}.xml",
                       voc_xml(f"M0101_{i:06d}.jpg", 160, 120, [("car", (10, 12, 40, 30)), ("van", (70, 40, 110, 70))]))


# ============================================================ other
SCRIPTS["coco-results-json-dump-tensors"] = '''
import glob
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as F

model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=160, max_size=200,
                               score_thresh=0.0)
model.load_state_dict(torch.load("runs/exp3/retinanet_final.pth", map_location="cpu"))
model.eval()

results = []
names = sorted(glob.glob("test_images/*.jpg"))
with torch.no_grad():
    for image_id, path in enumerate(names, start=1):
        pred = model([F.to_tensor(Image.open(path).convert("RGB"))])[0]
        for box, score, label in zip(pred["boxes"][:20], pred["scores"][:20], pred["labels"][:20]):
            x1, y1, x2, y2 = box
            results.append({"image_id": image_id, "category_id": label, "bbox": [x1, y1, x2 - x1, y2 - y1],
                            "score": score})
print(len(results), "detections")
with open("detections_test.json", "w") as f:
    json.dump(results, f)
print("wrote detections_test.json for the COCO evaluation server")
'''

RETINA_CKPT = '''
import os, torch
from torchvision.models.detection import retinanet_resnet50_fpn
os.makedirs("runs/exp3", exist_ok=True)
torch.manual_seed(0)
torch.save(retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3).state_dict(),
           "runs/exp3/retinanet_final.pth")
'''

SCRIPTS["eval-matching-max-over-image-without-predictions"] = '''
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.ops import box_iou
from torchvision.transforms import functional as F

CLASSES = ["__background__", "scratch", "dent"]
gt = json.load(open("val/annotations.json"))   # {"file": [[x1, y1, x2, y2, cls], ...]}

model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                          min_size=160, max_size=200, box_score_thresh=0.5)
model.load_state_dict(torch.load("checkpoints/car_damage_best.pth", map_location="cpu"))
model.eval()

tp, fn = 0, 0
with torch.no_grad():
    for name, rows in gt.items():
        img = F.to_tensor(Image.open(os.path.join("val/images", name)).convert("RGB"))
        pred = model([img])[0]
        gt_boxes = torch.tensor([r[:4] for r in rows], dtype=torch.float32)
        ious = box_iou(gt_boxes, pred["boxes"])          # [n_gt, n_pred]
        best_iou, _ = ious.max(dim=1)
        tp += int((best_iou >= 0.5).sum())
        fn += int((best_iou < 0.5).sum())
print(f"recall@0.5: {tp / (tp + fn):.3f}")
'''


def cardamage_val_setup(work: Path):
    make_images(work, [(f"val/images/car_{i:03d}.jpg", (200, 150), "RGB") for i in range(3)])
    (work / "val/annotations.json").write_text(json.dumps(
        {f"car_{i:03d}.jpg": [[20, 30, 90, 100, 1], [110, 40, 180, 120, 2]] for i in range(3)}))


# ============================================================ ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@@@PRE@@)
trainer.trainModel()
'''


def det_train(head="", model="TinyYOLOv3", datadir="dataset", classes='["apple", "banana"]', bs="4", epochs="3",
              pre=""):
    return head + sub(DET_TRAIN, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs, PRE=pre)


def yolo_rows(i, classes, base=0.12):
    return "".join(f"{c} {0.25 + 0.2 * j:.3f} {0.3 + 0.15 * j:.3f} {base + 0.05 * j + 0.021 * i:.3f} "
                   f"{base + 0.04 * j + 0.017 * i:.3f}\n" for j, c in enumerate(classes))


ROBOFLOW_COCO_HEAD = '''
import os
import shutil

# Roboflow export ("COCO JSON"): train/*.jpg + train/_annotations.coco.json
# ImageAI wants <split>/images and <split>/annotations, so move things into place
for split in ("train", "valid"):
    dst = "validation" if split == "valid" else "train"
    os.makedirs(f"hardhat/{dst}/images", exist_ok=True)
    os.makedirs(f"hardhat/{dst}/annotations", exist_ok=True)
    for f in os.listdir(f"export/{split}"):
        if f.endswith(".json"):
            shutil.copy(f"export/{split}/{f}", f"hardhat/{dst}/annotations/{f}")
        else:
            shutil.copy(f"export/{split}/{f}", f"hardhat/{dst}/images/{f}")
print({d: len(os.listdir(f"hardhat/{d}/images")) for d in ("train", "validation")})
'''


def roboflow_coco_setup(work: Path):
    for split, n in (("train", 6), ("valid", 2)):
        names = [f"hh_{i:04d}_jpg.rf.{(i * 2654435761) % 16 ** 8:08x}.jpg" for i in range(n)]
        make_images(work, [(f"export/{split}/{nm}", (208, 208), "RGB") for nm in names])
        anns, k = [], 0
        for i in range(n):
            for j in range(2):
                anns.append({"id": k, "image_id": i, "category_id": 1 + j, "bbox": [20 + 60 * j, 30, 40 + 5 * i, 50],
                             "area": 2000, "segmentation": [], "iscrowd": 0})
                k += 1
        coco = {"categories": [{"id": 0, "name": "workers", "supercategory": "none"},
                               {"id": 1, "name": "head", "supercategory": "workers"},
                               {"id": 2, "name": "helmet", "supercategory": "workers"}],
                "images": [{"id": i, "file_name": nm, "height": 208, "width": 208} for i, nm in enumerate(names)],
                "annotations": anns}
        (work / f"export/{split}/_annotations.coco.json").write_text(json.dumps(coco))


COMMA_HEAD = '''
import os

# labels from our own converter (one "class,cx,cy,w,h" row per object)
print(open("parcels/train/annotations/" + sorted(os.listdir("parcels/train/annotations"))[0]).read())
'''


def comma_setup(work: Path):
    yolo_layout("parcels", lambda s, i: yolo_rows(i, [0, 1]).replace(" ", ","), size=(240, 180))(work)


YOLOV3_MEM_HEAD = '''
import resource

# the shared workstation's job wrapper caps every training job at 2 GB of RAM
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))
'''


# ============================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more37-", SCRIPTS, CELLS)

    def iai(name, cause, files, forms=("cpython_basic",), argv="train.py", **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, files, forms=forms, argv=[argv], **kw)

    P = ["cpython_basic", "progress_bars?"]

    # data.image_size_mismatch
    script("fcn-no-resize-fully-convolutional-default-collate", "data.image_size_mismatch",
           setup=masks_setup("roofs", 4, [(96, 72), (80, 80), (96, 72), (72, 96)]))
    script("fasterrcnn-voc-loader-without-detection-collate-workers", "data.image_size_mismatch",
           forms=("cpython_basic", "dataloader_worker"), also=["model.api_misuse"], setup=rdd_setup)
    # data.bbox_invalid
    script("keypointrcnn-coco-bbox-xywh-used-as-corners", "data.bbox_invalid", setup=hands_setup)
    script("fcos-geo-tiles-map-y-axis-points-up", "data.bbox_invalid", setup=orchard_setup)
    # data.label_out_of_range
    script("deeplab-masks-converted-to-jpeg", "data.label_out_of_range",
           setup=masks_setup("leaf_seg", 4, [(128, 128)], ext="jpg"))
    script("ssdlite-cvat-coco-category-ids-with-gap", "data.label_out_of_range", setup=shelf_setup)
    # data.label_shape
    script("keypointrcnn-coco-keypoints-flat-list", "data.label_shape", setup=hands_setup)
    # data.dtype
    script("deeplab-masks-read-as-int32-numpy", "data.dtype", setup=masks_setup("cells", 4, [(128, 128)]))
    # data.missing_or_corrupt
    script("retinanet-label-studio-upload-prefixed-file-names", "data.missing_or_corrupt", setup=birds_setup)
    script("fasterrcnn-labelimg-filename-tag-png-converted-to-jpg-workers", "data.missing_or_corrupt",
           forms=("cpython_basic", "dataloader_worker"), setup=weeds_setup)
    # model.input_shape
    script("fcn-dataset-keeps-predict-unsqueeze", "model.input_shape", setup=masks_setup("potholes", 4, [(120, 90)]))
    # model.output_mismatch
    script("fcos-classification-head-copied-from-retinanet", "model.output_mismatch", setup=helmets_setup)
    # model.weights_mismatch
    script("fasterrcnn-predict-script-resnet50-for-mobilenet-checkpoint", "model.weights_mismatch",
           argv="predict.py", args=("garage/IMG_5521.jpg",),
           setup=both(prep(MOBILENET_CKPT), imgs([("garage/IMG_5521.jpg", (200, 150), "RGB")])))
    # env.cuda_setup
    script("maskrcnn-colab-checkpoint-on-laptop-without-gpu", "env.cuda_setup", argv="predict.py",
           also=["env.device_mismatch"],
           setup=both(prep(CUDA_CKPT), imgs([(f"new_photos/street_{i}.jpg", (200, 150), "RGB") for i in range(2)])))
    # model.api_misuse
    # the corpus labels this failure (torch_more.py's deeplab-output-dict-ce) output_mismatch first
    script("deeplab-output-dict-into-cross-entropy-tqdm", "model.api_misuse", forms=P, also=["model.output_mismatch"],
           setup=masks_setup("floodnet", 4, [(120, 90)]))
    script("onecycle-total-steps-from-dataset-length", "model.api_misuse", setup=rdd5_setup)
    # optim.autograd_graph
    notebook("fasterrcnn-freeze-everything-after-new-predictor-notebook", "optim.autograd_graph")
    # env.version_incompat
    script("deeplab-old-tutorial-models-utils-import", "env.version_incompat")
    # env.multiprocessing
    script("voc-zip-dataset-spawn-workers", "env.multiprocessing", setup=zip_setup)
    # other
    script("coco-results-json-dump-tensors", "other", argv="export_detections.py",
           setup=both(prep(RETINA_CKPT), imgs([(f"test_images/{i:06d}.jpg", (200, 150), "RGB") for i in range(2)])))
    script("eval-matching-max-over-image-without-predictions", "other", argv="evaluate.py",
           setup=both(prep(MOBILENET_CKPT), cardamage_val_setup))

    # ImageAI 3
    iai("det-train-roboflow-coco-export-without-yolo-labels", "data.missing_or_corrupt",
        {"train.py": det_train(ROBOFLOW_COCO_HEAD, datadir="hardhat", classes='["head", "helmet"]')}, forms=P,
        also=["data.too_few_boxes"], setup=roboflow_coco_setup)
    iai("det-train-converter-wrote-comma-separated-labels", "data.missing_or_corrupt",
        {"train.py": det_train(COMMA_HEAD, datadir="parcels", classes='["box", "envelope"]')}, forms=P,
        also=["data.bbox_invalid"], setup=comma_setup)
    iai("det-train-darknet-yolov3-weights-as-pretrained", "model.weights_mismatch",
        {"train.py": det_train(model="YOLOv3", datadir="fish", classes='["salmon", "trout"]',
                               pre=',\n                       train_from_pretrained_model="yolov3.weights"')},
        forms=P, setup=both(yolo_layout("fish", lambda s, i: yolo_rows(i, [0, 1]), size=(240, 180)),
                            write("yolov3.weights", bytes(20) + bytes(range(256)) * 64)))
    iai("det-train-yolov3-under-job-memory-limit", "resource.host_memory",
        {"train.py": det_train(YOLOV3_MEM_HEAD, model="YOLOv3", datadir="forklifts", classes='["forklift", "pallet"]',
                               bs="8")},
        forms=P, setup=yolo_layout("forklifts", lambda s, i: yolo_rows(i, [0, 1]), size=(320, 240),
                                   splits=(("train", 8), ("validation", 2))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=4))
