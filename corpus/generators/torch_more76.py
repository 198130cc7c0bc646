"""A seventy-sixth held-out set (g144, scored 0.95 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision detection failures, untargeted across the taxonomy.

The persona: engineers fine-tuning torchvision detectors (Faster R-CNN, RetinaNet, SSDlite, FCOS, Mask R-CNN; all
``weights=None, weights_backbone=None``) on their own data: VOC XML from LabelImg, COCO JSON from CVAT and YOLO txt
from Roboflow, converted by hand into ``{"boxes", "labels"}`` targets, with albumentations-style box transforms they
wrote themselves (numpy in, numpy out) or torchvision transforms v2 with ``tv_tensors.BoundingBoxes``, a hand-written
VOC-style mAP and an export of the predictions (VOC XML for re-annotation, JSON, ``.npy``). Images are kept small
(120-200 px, ``min_size`` / ``max_size`` set low). A natural mix of causes, each built so that its cause is known by
construction and made to fail inside torch, torchvision, NumPy, OpenCV, PIL, sqlite3/pickle or ElementTree:

- data: a v2 ``Resize(160)`` (an int: aspect kept) in front of a collate that ``torch.stack``-s the images for
  SSDlite over portrait and landscape frames (workers), a hand-written HSV jitter (``cv2.cvtColor``) on the greyscale
  IR frames of a VOC set (workers), a YOLO -> xyxy helper called with ``*img.size`` (``(w, h)`` taken as ``(h, w)``) on
  portrait photos and then ``v2.ClampBoundingBoxes`` (zero-width boxes), COCO ``[x, y, w, h]`` boxes declared as
  ``format="XYWH"`` and never converted to XYXY before RetinaNet, YOLO class ids shifted by one "for the background"
  into a RetinaNet sized ``len(names)`` (tqdm), a one-object YOLO file read with ``np.loadtxt`` and indexed with
  ``...`` (boxes of shape ``[4]``) into FCOS, a hand-written numpy ``Normalize`` giving float64 images to FCOS, VOC
  frames copied off the site camera while still uploading (truncated JPEG, workers), a zero-byte XML left by a
  LabelImg crash (workers), k-means anchors for nine clusters on the eight boxes of a pilot set;
- model: ``tv_tensors.Image`` wrapped around an HWC ``cv2`` array for SSDlite, a RetinaNet ``cls_logits`` conv
  swapped for the new classes while ``classification_head.num_classes`` stays 91 (notebook), an FCOS export script
  sized ``len(CLASSES)`` for a checkpoint trained with ``len(CLASSES) + 1``, ``format="pascal_voc"`` carried over
  from albumentations into ``tv_tensors.BoundingBoxes`` (workers), ``MultiStepLR`` given an int milestone from the
  config (notebook);
- optimisation / resource / environment / other: RetinaNet fed 0-255 float ``cv2`` images with the LR of the
  reference recipe raised to 1.0 (anomaly mode), a focal-loss prior written into the new RetinaNet
  ``cls_logits.bias`` with ``fill_`` outside ``no_grad``, every COCO polygon rasterised up front as a full-size
  float32 mask for Mask R-CNN under the job's memory limit, an annotation index in sqlite held by the Dataset under
  ``spawn`` workers, a ``voc_eval.py`` mAP using ``np.float``, predictions exported as VOC XML with ``int`` element
  text, and a stage-2 resume that unfroze the
  backbone and then loads the stage-1 optimizer state.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more76.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import json
import os
from pathlib import Path

from _record import (Case, prep, both, write, sub, imgs, class_folder, case_builders, make_images,  # noqa: E402,F401
                     shelf)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more76.py"

SCRIPTS = {}
CELLS = {}


# ------------------------------------------------------------------ data on disk
def two_boxes(w, h, i, ncls=3):
    """Two objects per image, inside the frame, class ids 0..ncls-1."""
    b1 = (int(0.10 * w) + i % 5, int(0.15 * h), int(0.45 * w), int(0.60 * h) - i % 3)
    b2 = (int(0.50 * w), int(0.30 * h) + i % 4, int(0.90 * w) - i % 5, int(0.85 * h))
    return [(i % ncls, b1), ((i + 1) % ncls, b2)]


VOC_OBJ = """    <object>
        <name>{name}</name>
        <pose>Unspecified</pose>
        <truncated>0</truncated>
        <difficult>0</difficult>
        <bndbox>
            <xmin>{x1}</xmin>
            <ymin>{y1}</ymin>
            <xmax>{x2}</xmax>
            <ymax>{y2}</ymax>
        </bndbox>
    </object>
"""


def voc_xml(folder, fname, w, h, objs, classes):
    body = "".join(VOC_OBJ.format(name=classes[c], x1=b[0], y1=b[1], x2=b[2], y2=b[3]) for c, b in objs)
    return (f"<annotation>\n    <folder>{folder}</folder>\n    <filename>{fname}</filename>\n"
            f"    <size>\n        <width>{w}</width>\n        <height>{h}</height>\n        <depth>3</depth>\n"
            f"    </size>\n    <segmented>0</segmented>\n{body}</annotation>\n")


def voc_set(root, n, classes, size=(200, 150), mode=None, ext=None, empty_xml=()):
    """root/JPEGImages + root/Annotations (LabelImg layout). size, mode, ext: a value or a function of i."""
    def val(v, i):
        return v(i) if callable(v) else v

    def setup(work: Path):
        specs = []
        for i in range(n):
            w, h = val(size, i)
            e = val(ext, i) or "jpg"
            specs.append((f"{root}/JPEGImages/frame_{i:04d}.{e}", (w, h), val(mode, i) or "RGB"))
        make_images(work, specs)
        ann = work / root / "Annotations"
        ann.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            w, h = val(size, i)
            e = val(ext, i) or "jpg"
            if i in empty_xml:
                (ann / f"frame_{i:04d}.xml").write_bytes(b"")
                continue
            (ann / f"frame_{i:04d}.xml").write_text(
                voc_xml("JPEGImages", f"frame_{i:04d}.{e}", w, h, two_boxes(w, h, i, len(classes)), classes))
    return setup


def yolo_set(root, n, names, rows, size=(160, 120)):
    """A Roboflow-style YOLO export: root/train/images, root/train/labels, root/data.yaml-like names.txt."""
    def setup(work: Path):
        make_images(work, [(f"{root}/train/images/img_{i:04d}.jpg", size(i) if callable(size) else size, "RGB")
                           for i in range(n)])
        d = work / root / "train" / "labels"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            (d / f"img_{i:04d}.txt").write_text(rows(i))
        (work / root / "classes.txt").write_text("\n".join(names) + "\n")
    return setup


def coco_set(root, n, cats, size=(200, 150), per_image=2, ann_name="annotations/instances_train.json"):
    def setup(work: Path):
        w, h = size
        make_images(work, [(f"{root}/images/img_{i:04d}.jpg", size, "RGB") for i in range(n)])
        coco = {"images": [{"id": i + 1, "file_name": f"img_{i:04d}.jpg", "width": w, "height": h} for i in range(n)],
                "annotations": [], "categories": [{"id": k + 1, "name": c, "supercategory": ""}
                                                  for k, c in enumerate(cats)]}
        for i in range(n):
            for c, (x1, y1, x2, y2) in two_boxes(w, h, i, len(cats))[:per_image]:
                coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1,
                                            "category_id": c + 1, "bbox": [x1, y1, x2 - x1, y2 - y1],
                                            "area": (x2 - x1) * (y2 - y1), "iscrowd": 0, "segmentation": []})
        p = work / root / ann_name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(coco))
    return setup


def portrait_landscape(i):
    return (150, 200) if i % 2 else (200, 150)


PPE = ["helmet", "vest", "person"]

# ================================================================== data
SCRIPTS["ssdlite-v2-resize-int-then-collate-torch-stack-workers"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.io import decode_image
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import v2

CLASSES = ["__background__", "helmet", "vest", "person"]


class VOCDetection(Dataset):
    def __init__(self, root, transforms):
        self.root = root
        self.ids = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(root, "Annotations")))
        self.transforms = transforms

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        tree = ET.parse(os.path.join(self.root, "Annotations", self.ids[i] + ".xml"))
        img = decode_image(os.path.join(self.root, "JPEGImages", tree.findtext("filename")))
        boxes, labels = [], []
        for obj in tree.iter("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.findtext("name")))
        target = {"boxes": tv_tensors.BoundingBoxes(boxes, format="XYXY", canvas_size=img.shape[-2:]),
                  "labels": torch.tensor(labels)}
        return self.transforms(tv_tensors.Image(img), target)


train_tf = v2.Compose([
    v2.RandomHorizontalFlip(),
    v2.RandomPhotometricDistort(p=0.5),
    v2.Resize(160),                       # small input, the board only has 2 cores
    v2.ToDtype(torch.float32, scale=True),
    v2.SanitizeBoundingBoxes(),
])


def collate(batch):
    images, targets = zip(*batch)
    # SSD works on a fixed-size input anyway, so the images go in as one tensor
    return torch.stack(images), list(targets)


def main():
    ds = VOCDetection("data/site_ppe", train_tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate)
    model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=4e-5)
    model.train()
    for epoch in range(2):
        for step, (images, targets) in enumerate(loader):
            loss_dict = model(images, targets)
            loss = sum(loss_dict.values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            print(f"epoch {epoch} step {step} loss {loss.item():.3f}", flush=True)


if __name__ == "__main__":
    main()
'''

SCRIPTS["hand-hsv-jitter-on-greyscale-ir-frames-voc-workers"] = '''
import os
import random
import xml.etree.ElementTree as ET

import cv2
import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "helmet", "vest", "person"]


# --- augmentations, albumentations-style: image HWC uint8 numpy, boxes pascal_voc numpy
class HueSaturationValue:
    def __init__(self, hgain=0.015, sgain=0.7, vgain=0.4, p=0.8):
        self.gains, self.p = np.array([hgain, sgain, vgain]), p

    def __call__(self, image, bboxes, labels):
        if random.random() < self.p:
            r = np.random.uniform(-1, 1, 3) * self.gains + 1
            hue, sat, val = cv2.split(cv2.cvtColor(image, cv2.COLOR_RGB2HSV))
            x = np.arange(0, 256, dtype=r.dtype)
            lut_hue = ((x * r[0]) % 180).astype(np.uint8)
            lut_sat = np.clip(x * r[1], 0, 255).astype(np.uint8)
            lut_val = np.clip(x * r[2], 0, 255).astype(np.uint8)
            hsv = cv2.merge((cv2.LUT(hue, lut_hue), cv2.LUT(sat, lut_sat), cv2.LUT(val, lut_val)))
            image = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
        return image, bboxes, labels


class HorizontalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, image, bboxes, labels):
        if random.random() < self.p:
            w = image.shape[1]
            image = image[:, ::-1].copy()
            bboxes = bboxes.copy()
            bboxes[:, [0, 2]] = w - bboxes[:, [2, 0]]
        return image, bboxes, labels


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, image, bboxes, labels):
        for t in self.transforms:
            image, bboxes, labels = t(image, bboxes, labels)
        return image, bboxes, labels


class SiteDataset(Dataset):
    def __init__(self, root, aug):
        self.root, self.aug = root, aug
        self.xmls = sorted(os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        tree = ET.parse(os.path.join(self.root, "Annotations", self.xmls[i]))
        image = np.array(Image.open(os.path.join(self.root, "JPEGImages", tree.findtext("filename"))))
        objs = tree.findall("object")
        bboxes = np.array([[float(o.find("bndbox").findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")]
                           for o in objs], dtype=np.float32)
        labels = np.array([CLASSES.index(o.findtext("name")) for o in objs], dtype=np.int64)
        image, bboxes, labels = self.aug(image, bboxes, labels)
        img = torch.from_numpy(image).permute(2, 0, 1).float() / 255.0
        return img, {"boxes": torch.from_numpy(bboxes), "labels": torch.from_numpy(labels)}


def collate_fn(batch):
    return tuple(zip(*batch))


if __name__ == "__main__":
    torch.manual_seed(0)
    aug = Compose([HorizontalFlip(), HueSaturationValue()])
    loader = DataLoader(SiteDataset("data/site_cam", aug), batch_size=4, shuffle=True, num_workers=2,
                        collate_fn=collate_fn)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                                  min_size=160, max_size=224)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=5e-4)
    model.train()
    for epoch in range(3):
        for images, targets in loader:
            losses = sum(model(list(images), list(targets)).values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
        print(f"epoch {epoch}: {losses.item():.4f}", flush=True)
'''


def ir_mode(i):
    return "L" if i % 3 == 1 else "RGB"


def ir_ext(i):
    return "png" if i % 3 == 1 else "jpg"


SCRIPTS["yolo-to-xyxy-called-with-pil-size-portrait-clamp-frcnn"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import v2


def yolo_to_xyxy(rows, img_h, img_w):
    """YOLO (cx, cy, w, h) normalised -> absolute (x1, y1, x2, y2)"""
    cx, cy, w, h = rows.T
    return np.stack([(cx - w / 2) * img_w, (cy - h / 2) * img_h,
                     (cx + w / 2) * img_w, (cy + h / 2) * img_h], axis=1)


class YoloDataset(Dataset):
    def __init__(self, root, transforms):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.root, self.transforms = root, transforms

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        name = os.path.splitext(os.path.basename(self.images[i]))[0]
        rows = np.loadtxt(os.path.join(self.root, "labels", name + ".txt"), ndmin=2)
        boxes = yolo_to_xyxy(rows[:, 1:], *img.size)
        target = {"boxes": tv_tensors.BoundingBoxes(boxes, format="XYXY", canvas_size=(img.height, img.width),
                                                    dtype=torch.float32),
                  "labels": torch.as_tensor(rows[:, 0], dtype=torch.int64) + 1}
        return self.transforms(img, target)


transforms = v2.Compose([
    v2.ToImage(),
    v2.RandomHorizontalFlip(0.5),
    v2.RandomPhotometricDistort(p=0.3),
    v2.ClampBoundingBoxes(),           # Roboflow export has a few boxes hanging over the edge
    v2.ToDtype(torch.float32, scale=True),
])

names = open("data/shelf_yolo/classes.txt").read().split()
ds = YoloDataset("data/shelf_yolo/train", transforms)
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(names) + 1,
                                          min_size=160, max_size=224)
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
torch.manual_seed(0)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.3f}")
'''


def shelf_rows(i):
    # portrait phone photos of shelves; the price tags sit on the right-hand edge
    return (f"{i % 3} 0.30 0.40 0.25 0.30\n"
            f"{(i + 1) % 3} 0.{86 + i % 3} 0.{55 + i % 4} 0.08 0.12\n")


SCRIPTS["coco-boundingboxes-declared-xywh-never-converted-retinanet"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import v2


class CocoDetection(Dataset):
    """CVAT "COCO 1.0" export: images/ + annotations.json"""

    def __init__(self, root, ann_file, transforms):
        coco = json.load(open(ann_file))
        self.root, self.transforms = root, transforms
        self.images = coco["images"]
        self.cat_ids = [c["id"] for c in coco["categories"]]
        self.anns = {im["id"]: [] for im in self.images}
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(os.path.join(self.root, info["file_name"])).convert("RGB")
        anns = self.anns[info["id"]]
        target = {
            # COCO boxes are [x, y, w, h]; v2 knows the format
            "boxes": tv_tensors.BoundingBoxes([a["bbox"] for a in anns], format="XYWH",
                                              canvas_size=(info["height"], info["width"])),
            "labels": torch.tensor([self.cat_ids.index(a["category_id"]) + 1 for a in anns]),
        }
        return self.transforms(img, target)


transforms = v2.Compose([
    v2.ToImage(),
    v2.RandomHorizontalFlip(),
    v2.Resize((192, 192)),
    v2.SanitizeBoundingBoxes(),
    v2.ToDtype(torch.float32, scale=True),
])

ds = CocoDetection("shelf/images", "shelf/annotations.json", transforms)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(ds.cat_ids) + 1,
                               min_size=192, max_size=192)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = losses["classification"] + losses["bbox_regression"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["retinanet-yolo-ids-shifted-for-background-num-classes-len-names-tqdm"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms.functional import to_tensor
from tqdm import tqdm

NAMES = open("data/pallets_yolo/classes.txt").read().split()   # Roboflow export: pallet, forklift, person


class YoloTxt(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        W, H = img.size
        rows = np.loadtxt(self.images[i].replace("images", "labels").replace(".jpg", ".txt"), ndmin=2)
        cls, cx, cy, w, h = rows.T
        boxes = np.stack([(cx - w / 2) * W, (cy - h / 2) * H, (cx + w / 2) * W, (cy + h / 2) * H], 1)
        return to_tensor(img), {
            "boxes": torch.tensor(boxes, dtype=torch.float32),
            "labels": torch.tensor(cls, dtype=torch.int64) + 1,   # 0 is the background class in torchvision
        }


loader = DataLoader(YoloTxt("data/pallets_yolo/train"), batch_size=2, shuffle=True,
                    collate_fn=lambda b: tuple(zip(*b)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(NAMES),
                               min_size=160, max_size=224)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
model.train()
for epoch in range(3):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for images, targets in pbar:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''


def pallet_rows(i):
    return (f"0 0.35 0.55 0.30 0.40\n"
            f"2 0.{70 + i % 5} 0.40 0.15 0.45\n"
            f"1 0.55 0.30 0.20 0.25\n")


SCRIPTS["yolo-single-object-file-loadtxt-ellipsis-fcos"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.transforms.functional import to_tensor


class InsulatorYolo(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        W, H = img.size
        stem = os.path.splitext(os.path.basename(self.images[i]))[0]
        t = torch.from_numpy(np.loadtxt(f"{self.root}/labels/{stem}.txt", dtype=np.float32))
        cx, cy, w, h = t[..., 1] * W, t[..., 2] * H, t[..., 3] * W, t[..., 4] * H
        boxes = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1)
        return to_tensor(img), {"boxes": boxes, "labels": t[..., 0].long() + 1}


ds = InsulatorYolo("data/insulators/train")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=160, max_size=224)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for it, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"[{epoch}:{it}] " + " ".join(f"{k}={v.item():.3f}" for k, v in loss_dict.items()), flush=True)
'''


def insulator_rows(i):
    if i == 1:
        return "0 0.48 0.52 0.22 0.40\n"          # one insulator in the frame
    return "0 0.30 0.45 0.20 0.35\n1 0.70 0.50 0.18 0.30\n"


SCRIPTS["hand-numpy-normalize-float64-images-fcos"] = '''
import json
import os
import random

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fcos_resnet50_fpn


# --- my albumentations replacement (the server has no internet for pip)
class HorizontalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, image, bboxes):
        if random.random() < self.p:
            image = image[:, ::-1]
            bboxes = bboxes.copy()
            bboxes[:, [0, 2]] = image.shape[1] - bboxes[:, [2, 0]]
        return image, bboxes


class Normalize:
    def __init__(self, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225), max_pixel_value=255.0):
        self.mean, self.std, self.max_pixel_value = np.array(mean), np.array(std), max_pixel_value

    def __call__(self, image, bboxes):
        return (image / self.max_pixel_value - self.mean) / self.std, bboxes


class ToTensorV2:
    def __call__(self, image, bboxes):
        return torch.from_numpy(np.ascontiguousarray(image.transpose(2, 0, 1))), torch.as_tensor(bboxes)


class Compose:
    def __init__(self, ts):
        self.ts = ts

    def __call__(self, image, bboxes):
        for t in self.ts:
            image, bboxes = t(image, bboxes)
        return image, bboxes


class CocoBoxes(Dataset):
    def __init__(self, root, ann, aug):
        d = json.load(open(ann))
        self.root, self.aug, self.images = root, aug, d["images"]
        self.by_image = {}
        for a in d["annotations"]:
            self.by_image.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        im = self.images[i]
        image = np.asarray(Image.open(os.path.join(self.root, "images", im["file_name"])).convert("RGB"))
        anns = self.by_image[im["id"]]
        bboxes = np.array([[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)], dtype=np.float32)
        image, bboxes = self.aug(image, bboxes)
        return image, {"boxes": bboxes, "labels": torch.tensor([a["category_id"] for a in anns])}


aug = Compose([HorizontalFlip(), Normalize(), ToTensorV2()])
ds = CocoBoxes("data/weld_defects", "data/weld_defects/annotations/instances_train.json", aug)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
# the images are normalised in the dataset already -> identity normalisation inside the model
model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=4, min_size=160, max_size=224,
                          image_mean=[0.0, 0.0, 0.0], image_std=[1.0, 1.0, 1.0])
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

VOC_FRCNN_TRAIN = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "helmet", "vest", "person"]


class VOCDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        root = ET.parse(os.path.join(self.root, "Annotations", self.ids[idx] + ".xml")).getroot()
        img = Image.open(os.path.join(self.root, "JPEGImages", root.find("filename").text)).convert("RGB")
        boxes, labels = [], []
        for obj in root.findall("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.find(t).text) for t in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}
        return F.to_tensor(img), target


def collate_fn(batch):
    return tuple(zip(*batch))


if __name__ == "__main__":
    dataset = VOCDataset("@@ROOT@@")
    print(f"{len(dataset)} annotated frames", flush=True)
    loader = DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate_fn)
    model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                              min_size=160, max_size=224)
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9,
                                weight_decay=5e-4)
    lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)
    model.train()
    for epoch in range(4):
        for i, (images, targets) in enumerate(loader):
            loss_dict = model(list(images), list(targets))
            losses = sum(loss for loss in loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
            if i % 2 == 0:
                print(f"Epoch: [{epoch}] [{i}/{len(loader)}] loss: {losses.item():.4f}", flush=True)
        lr_scheduler.step()
'''

SCRIPTS["voc-frames-copied-while-camera-uploading-truncated-jpeg-workers"] = sub(VOC_FRCNN_TRAIN,
                                                                                 ROOT="data/gate_cam")
SCRIPTS["labelimg-crash-left-zero-byte-xml-workers"] = sub(VOC_FRCNN_TRAIN, ROOT="data/site_labels")


def truncate_some(root, which):
    def setup(work: Path):
        for i in which:
            p = work / root / "JPEGImages" / f"frame_{i:04d}.jpg"
            b = p.read_bytes()
            p.write_bytes(b[: len(b) // 3])
    return setup


SCRIPTS["kmeans-anchors-nine-clusters-eight-pilot-boxes"] = '''
import json

import numpy as np
import torch
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.backbone_utils import mobilenet_backbone

coco = json.load(open("data/pilot/annotations/instances_train.json"))
wh = np.array([a["bbox"][2:] for a in coco["annotations"]], dtype=np.float64)
print(f"{len(coco['images'])} images, {len(wh)} boxes")


def iou_wh(wh, centroids):
    inter = np.minimum(wh[:, None, 0], centroids[None, :, 0]) * np.minimum(wh[:, None, 1], centroids[None, :, 1])
    return inter / (wh[:, None].prod(-1) + centroids[None].prod(-1) - inter)


def kmeans_anchors(wh, k=9, iters=300, seed=0):
    """YOLO-style k-means on box (w, h) with 1 - IoU as the distance"""
    rng = np.random.default_rng(seed)
    centroids = wh[rng.choice(len(wh), size=k, replace=False)]
    for _ in range(iters):
        assign = iou_wh(wh, centroids).argmax(1)
        new = np.array([wh[assign == j].mean(0) if (assign == j).any() else centroids[j] for j in range(k)])
        if np.allclose(new, centroids):
            break
        centroids = new
    return centroids[np.argsort(centroids.prod(1))]


anchors = kmeans_anchors(wh)
sizes = tuple((int(s),) for s in np.sqrt(anchors.prod(1)).reshape(3, 3).mean(1))
ratios = tuple(tuple(float(r) for r in (anchors[3 * l:3 * l + 3, 1] / anchors[3 * l:3 * l + 3, 0])) for l in range(3))
print("anchor sizes", sizes, "ratios", ratios)

backbone = mobilenet_backbone(backbone_name="mobilenet_v3_large", weights=None, fpn=True, trainable_layers=6,
                              returned_layers=[4, 5])
model = FasterRCNN(backbone, num_classes=3, rpn_anchor_generator=AnchorGenerator(sizes, ratios),
                   min_size=160, max_size=224)
torch.save(model.state_dict(), "frcnn_custom_anchors_init.pth")
'''

# ================================================================== model
SCRIPTS["tv-tensors-image-wraps-cv2-hwc-array-ssdlite"] = '''
import glob
import os

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import v2


class ConveyorYolo(Dataset):
    def __init__(self, root, transforms):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.transforms = transforms

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.images[i]), cv2.COLOR_BGR2RGB)
        H, W = img.shape[:2]
        rows = np.loadtxt(self.images[i].replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2)
        cx, cy, w, h = rows[:, 1] * W, rows[:, 2] * H, rows[:, 3] * W, rows[:, 4] * H
        boxes = tv_tensors.BoundingBoxes(np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1),
                                         format="XYXY", canvas_size=(H, W), dtype=torch.float32)
        target = {"boxes": boxes, "labels": torch.as_tensor(rows[:, 0], dtype=torch.int64) + 1}
        return self.transforms(tv_tensors.Image(img), target)


transforms = v2.Compose([v2.RandomHorizontalFlip(), v2.ToDtype(torch.float32, scale=True),
                         v2.SanitizeBoundingBoxes()])
ds = ConveyorYolo("data/conveyor/train", transforms)
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=4e-5)
model.train()
for epoch in range(3):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = loss_dict["bbox_regression"] + loss_dict["classification"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''


def conveyor_rows(i):
    return f"{i % 2} 0.40 0.45 0.30 0.35\n{(i + 1) % 2} 0.75 0.60 0.20 0.25\n"


CELLS["retinanet-cls-logits-conv-swapped-num-classes-left-91-notebook"] = [
    '''
import json, os
import torch, torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms.functional import to_tensor

coco = json.load(open("data/drone_cars/annotations/instances_train.json"))
CATS = [c["name"] for c in coco["categories"]]
print(CATS, len(coco["images"]), "images")
''',
    '''
class DroneCoco(Dataset):
    def __init__(self, coco, img_dir):
        self.coco, self.img_dir = coco, img_dir
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.coco["images"])

    def __getitem__(self, i):
        im = self.coco["images"][i]
        anns = self.anns[im["id"]]
        boxes = torch.tensor([[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)], dtype=torch.float32)
        labels = torch.tensor([a["category_id"] for a in anns])
        return to_tensor(Image.open(os.path.join(self.img_dir, im["file_name"])).convert("RGB")), \\
            {"boxes": boxes, "labels": labels}

loader = DataLoader(DroneCoco(coco, "data/drone_cars/images"), batch_size=2, shuffle=True,
                    collate_fn=lambda b: tuple(zip(*b)))
''',
    '''
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, min_size=160, max_size=224)
# new classification layer for my classes (+ background)
num_classes = len(CATS) + 1
num_anchors = model.head.classification_head.num_anchors
model.head.classification_head.cls_logits = nn.Conv2d(256, num_anchors * num_classes, kernel_size=3, padding=1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
''',
    '''
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
''',
]

SCRIPTS["fcos-export-script-num-classes-without-background"] = '''
import argparse
import glob
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.transforms.functional import to_tensor

CLASSES = ["crack", "spalling", "rust"]

ap = argparse.ArgumentParser()
ap.add_argument("--weights", default="runs/fcos_bridge/best.pth")
ap.add_argument("--images", default="inspection/2025-05-12")
ap.add_argument("--out", default="inspection/2025-05-12_predictions.json")
args = ap.parse_args()

model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES), min_size=160, max_size=224)
model.load_state_dict(torch.load(args.weights, map_location="cpu"))
model.eval()

results = []
with torch.no_grad():
    for path in sorted(glob.glob(os.path.join(args.images, "*.jpg"))):
        pred = model([to_tensor(Image.open(path).convert("RGB"))])[0]
        for box, label, score in zip(pred["boxes"].tolist(), pred["labels"].tolist(), pred["scores"].tolist()):
            results.append({"image": os.path.basename(path), "label": CLASSES[label - 1], "score": round(score, 4),
                            "box": [round(v, 1) for v in box]})
json.dump(results, open(args.out, "w"), indent=1)
print(f"{len(results)} detections written to {args.out}")
'''

FCOS_CKPT = '''
import os, torch
from torchvision.models.detection import fcos_resnet50_fpn
os.makedirs("runs/fcos_bridge", exist_ok=True)
# train_fcos.py: num_classes = len(CLASSES) + 1  (background, as in the Faster R-CNN tutorial)
m = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=4)
torch.save(m.state_dict(), "runs/fcos_bridge/best.pth")
'''

SCRIPTS["boundingboxes-format-pascal-voc-from-albumentations-workers"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import v2

CLASSES = ["__background__", "helmet", "vest", "person"]

# was: A.Compose([...], bbox_params=A.BboxParams(format="pascal_voc", label_fields=["labels"]))
BBOX_FORMAT = "pascal_voc"

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomHorizontalFlip(p=0.5),
    v2.RandomAffine(degrees=0, translate=(0.05, 0.05), scale=(0.9, 1.1)),
    v2.ToDtype(torch.float32, scale=True),
    v2.SanitizeBoundingBoxes(),
])


class VOCBoxes(Dataset):
    def __init__(self, root, transforms):
        self.root, self.transforms = root, transforms
        self.xmls = sorted(os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        ann = ET.parse(os.path.join(self.root, "Annotations", self.xmls[i])).getroot()
        img = Image.open(os.path.join(self.root, "JPEGImages", ann.findtext("filename"))).convert("RGB")
        objs = ann.findall("object")
        boxes = [[float(o.find("bndbox").findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")] for o in objs]
        target = {"boxes": tv_tensors.BoundingBoxes(boxes, format=BBOX_FORMAT, canvas_size=(img.height, img.width)),
                  "labels": torch.tensor([CLASSES.index(o.findtext("name")) for o in objs])}
        return self.transforms(img, target)


if __name__ == "__main__":
    loader = DataLoader(VOCBoxes("data/site_ppe", train_tf), batch_size=4, shuffle=True, num_workers=2,
                        collate_fn=lambda b: tuple(zip(*b)))
    model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                              min_size=160, max_size=224)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(loss.item())
'''

CELLS["multisteplr-milestones-int-from-config-notebook"] = [
    '''
import json
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn

cfg = json.load(open("configs/frcnn_pallets.json"))
cfg
''',
    '''
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=cfg["num_classes"],
                                          min_size=cfg["min_size"], max_size=cfg["max_size"])
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=cfg["lr"], momentum=0.9, weight_decay=cfg["weight_decay"])
lr_scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=cfg["lr_steps"], gamma=cfg["lr_gamma"])
''',
]

PALLET_CFG = json.dumps({"num_classes": 4, "min_size": 160, "max_size": 224, "lr": 0.02, "weight_decay": 1e-4,
                         "epochs": 12, "lr_steps": 8, "lr_gamma": 0.1, "batch_size": 4,
                         "data": "data/pallets_voc"}, indent=2)

# ================================================================== optimisation
SCRIPTS["retinanet-focal-prior-bias-fill-outside-no-grad"] = '''
import math

import torch
import torch.nn as nn
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.models.detection.retinanet import RetinaNetClassificationHead

CLASSES = ["pothole", "crack"]

model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, min_size=160, max_size=224)
num_anchors = model.head.classification_head.num_anchors
head = RetinaNetClassificationHead(in_channels=256, num_anchors=num_anchors, num_classes=len(CLASSES) + 1)

# focal-loss init from the paper: bias so every anchor starts at p = 0.01
prior_probability = 0.01
nn.init.normal_(head.cls_logits.weight, std=0.01)
head.cls_logits.bias.fill_(-math.log((1 - prior_probability) / prior_probability))
model.head.classification_head = head
print("new head:", sum(p.numel() for p in head.parameters()), "parameters")
'''

SCRIPTS["retinanet-cv2-images-0-255-float-raised-lr-anomaly"] = '''
import glob
import os

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn


class PlateYolo(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.images[i]), cv2.COLOR_BGR2RGB)
        H, W = img.shape[:2]
        rows = np.loadtxt(self.images[i].replace("images", "labels").replace(".jpg", ".txt"), ndmin=2)
        c, cx, cy, w, h = rows.T
        boxes = np.stack([(cx - w / 2) * W, (cy - h / 2) * H, (cx + w / 2) * W, (cy + h / 2) * H], 1)
        image = torch.from_numpy(img).permute(2, 0, 1).float()
        return image, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(c + 1).long()}


loader = DataLoader(PlateYolo("data/plates/train"), batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, min_size=160, max_size=224)
# reference recipe: lr 0.01 for 16 images/batch; "bigger LR to converge faster on my small set"
optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9, weight_decay=1e-4)
torch.autograd.set_detect_anomaly(True)     # the last run printed loss=nan after a few steps
model.train()
for epoch in range(10):
    for step, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} " + " ".join(f"{k}={v.item():.4f}" for k, v in loss_dict.items()),
              flush=True)
'''


def plate_rows(i):
    return f"0 0.50 0.62 0.30 0.12\n0 0.{20 + i % 5} 0.30 0.22 0.10\n"


# ================================================================== resource / environment / other
SCRIPTS["maskrcnn-coco-polygons-rasterised-float32-upfront-memory-limit"] = '''
import json
import resource


def job_memory_limit(gib):
    # the cluster job's --mem, reproduced on the workstation
    vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + int(gib * 2 ** 30), resource.RLIM_INFINITY))


import cv2
import numpy as np
import torch
from torch.utils.data import Dataset
from torchvision.models.detection import maskrcnn_resnet50_fpn

job_memory_limit(1.5)


class RoofInstances(Dataset):
    """Drone orthophoto tiles annotated as polygons in CVAT (COCO 1.0 export)."""

    def __init__(self, ann_file):
        coco = json.load(open(ann_file))
        self.images = coco["images"]
        by_image = {}
        for a in coco["annotations"]:
            by_image.setdefault(a["image_id"], []).append(a)
        # rasterise every polygon once so that __getitem__ is cheap
        self.masks, self.boxes, self.labels = [], [], []
        for n, im in enumerate(self.images):
            masks = []
            for a in by_image.get(im["id"], []):
                m = np.zeros((im["height"], im["width"]), dtype=np.float32)
                for poly in a["segmentation"]:
                    cv2.fillPoly(m, [np.array(poly, dtype=np.int32).reshape(-1, 2)], 1.0)
                masks.append(m)
            self.masks.append(np.stack(masks))
            self.boxes.append(np.array([[x, y, x + w, y + h] for x, y, w, h in
                                        (a["bbox"] for a in by_image[im["id"]])], dtype=np.float32))
            self.labels.append(np.array([a["category_id"] for a in by_image[im["id"]]]))
            if n % 5 == 0:
                print(f"rasterised {n + 1}/{len(self.images)} tiles", flush=True)

    def __len__(self):
        return len(self.images)


ds = RoofInstances("data/roofs/annotations/instances_train.json")
model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=512, max_size=800)
print(len(ds), "tiles")
'''


def roofs_setup(work: Path):
    rng = __import__("random").Random(7)
    coco = {"images": [], "annotations": [], "categories": [{"id": 1, "name": "roof"}, {"id": 2, "name": "solar"}]}
    for i in range(40):
        coco["images"].append({"id": i + 1, "file_name": f"tile_{i:03d}.tif", "width": 4000, "height": 3000})
        for k in range(6):
            x, y = rng.randrange(100, 3500), rng.randrange(100, 2500)
            w, h = rng.randrange(80, 400), rng.randrange(80, 400)
            coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1,
                                        "category_id": 1 + k % 2, "bbox": [x, y, w, h], "area": w * h,
                                        "iscrowd": 0,
                                        "segmentation": [[x, y, x + w, y, x + w, y + h, x, y + h]]})
    p = work / "data/roofs/annotations/instances_train.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(coco))


SCRIPTS["coco-sqlite-annotation-index-in-dataset-spawn-workers"] = '''
import io
import sqlite3

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms.functional import to_tensor


class SqliteCoco(Dataset):
    """The 40k-image COCO json was too slow to json.load in every run, so convert_coco.py put it in sqlite."""

    def __init__(self, db_path):
        self.db = sqlite3.connect(db_path)
        self.ids = [r[0] for r in self.db.execute("SELECT id FROM images ORDER BY id")]

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        (path,) = self.db.execute("SELECT path FROM images WHERE id = ?", (self.ids[i],)).fetchone()
        rows = self.db.execute("SELECT x, y, w, h, category_id FROM annotations WHERE image_id = ?",
                               (self.ids[i],)).fetchall()
        boxes = torch.tensor([[x, y, x + w, y + h] for x, y, w, h, _ in rows], dtype=torch.float32)
        labels = torch.tensor([c for *_, c in rows])
        return to_tensor(Image.open(path).convert("RGB")), {"boxes": boxes, "labels": labels}


def collate(batch):
    return tuple(zip(*batch))


if __name__ == "__main__":
    ds = SqliteCoco("data/warehouse/annotations.sqlite")
    # fork + OpenCV threads hung the workers on the lab box, so spawn
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate,
                        multiprocessing_context="spawn", persistent_workers=True)
    model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=4,
                                              min_size=160, max_size=224)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()
    for epoch in range(2):
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''


def sqlite_setup(work: Path):
    import sqlite3
    make_images(work, [(f"data/warehouse/images/wh_{i:04d}.jpg", (200, 150), "RGB") for i in range(8)])
    db = sqlite3.connect(work / "data/warehouse/annotations.sqlite")
    db.execute("CREATE TABLE images (id INTEGER PRIMARY KEY, path TEXT, width INT, height INT)")
    db.execute("CREATE TABLE annotations (id INTEGER PRIMARY KEY, image_id INT, x REAL, y REAL, w REAL, h REAL, "
               "category_id INT)")
    for i in range(8):
        db.execute("INSERT INTO images VALUES (?, ?, 200, 150)", (i + 1, f"data/warehouse/images/wh_{i:04d}.jpg"))
        for c, (x1, y1, x2, y2) in two_boxes(200, 150, i):
            db.execute("INSERT INTO annotations (image_id, x, y, w, h, category_id) VALUES (?, ?, ?, ?, ?, ?)",
                       (i + 1, x1, y1, x2 - x1, y2 - y1, c + 1))
    db.commit()
    db.close()


EVAL_HEAD = '''
import glob
import os
import xml.etree.ElementTree as ET

import numpy as np
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms.functional import to_tensor

CLASSES = ["__background__", "helmet", "vest", "person"]
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                          min_size=160, max_size=224, box_score_thresh=0.0)
model.load_state_dict(torch.load("checkpoints/frcnn_ppe_epoch_11.pth", map_location="cpu"))
model.eval()
'''

FRCNN_PPE_CKPT = '''
import os, torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
m = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=4, min_size=160, max_size=224)
# stands in for the weights of the earlier training run: a classifier whose scores spread out
torch.nn.init.normal_(m.roi_heads.box_predictor.cls_score.weight, std=0.3)
torch.save(m.state_dict(), "checkpoints/frcnn_ppe_epoch_11.pth")
'''

SCRIPTS["voc-eval-py-map-np-float-alias-numpy2"] = EVAL_HEAD + '''

def parse_rec(xml_path):
    objects = []
    for obj in ET.parse(xml_path).findall("object"):
        bb = obj.find("bndbox")
        objects.append({"name": obj.find("name").text, "difficult": int(obj.find("difficult").text),
                        "bbox": [int(bb.find(t).text) for t in ("xmin", "ymin", "xmax", "ymax")]})
    return objects


def voc_ap(rec, prec):
    """VOC 2010+ AP: area under the interpolated precision/recall curve"""
    mrec = np.concatenate(([0.0], rec, [1.0]))
    mpre = np.concatenate(([0.0], prec, [0.0]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])


def voc_eval(detections, recs, classname, ovthresh=0.5):
    """adapted from py-faster-rcnn's voc_eval.py"""
    class_recs, npos = {}, 0
    for image_id, objs in recs.items():
        R = [o for o in objs if o["name"] == classname]
        bbox = np.array([x["bbox"] for x in R]).astype(np.float)
        difficult = np.array([x["difficult"] for x in R]).astype(bool)
        npos += int((~difficult).sum())
        class_recs[image_id] = {"bbox": bbox, "difficult": difficult, "det": [False] * len(R)}
    dets = sorted([d for d in detections if d[1] == classname], key=lambda d: -d[2])
    tp, fp = np.zeros(len(dets)), np.zeros(len(dets))
    for d, (image_id, _, score, bb) in enumerate(dets):
        R = class_recs[image_id]
        BBGT = R["bbox"]
        ovmax, jmax = -np.inf, -1
        if BBGT.size > 0:
            ixmin = np.maximum(BBGT[:, 0], bb[0]); iymin = np.maximum(BBGT[:, 1], bb[1])
            ixmax = np.minimum(BBGT[:, 2], bb[2]); iymax = np.minimum(BBGT[:, 3], bb[3])
            inters = np.maximum(ixmax - ixmin + 1.0, 0.0) * np.maximum(iymax - iymin + 1.0, 0.0)
            uni = ((bb[2] - bb[0] + 1.0) * (bb[3] - bb[1] + 1.0)
                   + (BBGT[:, 2] - BBGT[:, 0] + 1.0) * (BBGT[:, 3] - BBGT[:, 1] + 1.0) - inters)
            overlaps = inters / uni
            ovmax, jmax = np.max(overlaps), np.argmax(overlaps)
        if ovmax > ovthresh and not R["difficult"][jmax] and not R["det"][jmax]:
            tp[d] = 1.0
            R["det"][jmax] = True
        else:
            fp[d] = 1.0
    fp, tp = np.cumsum(fp), np.cumsum(tp)
    rec = tp / max(npos, 1)
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    return voc_ap(rec, prec)


recs, detections = {}, []
with torch.no_grad():
    for xml_path in sorted(glob.glob("data/site_ppe_val/Annotations/*.xml")):
        image_id = os.path.splitext(os.path.basename(xml_path))[0]
        recs[image_id] = parse_rec(xml_path)
        img = Image.open(f"data/site_ppe_val/JPEGImages/{image_id}.jpg").convert("RGB")
        out = model([to_tensor(img)])[0]
        for b, l, s in zip(out["boxes"].numpy(), out["labels"].tolist(), out["scores"].tolist()):
            detections.append((image_id, CLASSES[l], s, b))
print(f"{len(detections)} detections on {len(recs)} images")

aps = {c: voc_eval(detections, recs, c) for c in CLASSES[1:]}
for c, ap in aps.items():
    print(f"AP[{c}] = {ap:.4f}")
print(f"mAP@0.5 = {np.mean(list(aps.values())):.4f}")
'''

SCRIPTS["export-predictions-voc-xml-int-element-text"] = EVAL_HEAD + '''

def write_voc(path, filename, size, boxes, labels):
    """predictions -> LabelImg XML so the team can correct them instead of labelling from scratch"""
    ann = ET.Element("annotation")
    ET.SubElement(ann, "folder").text = "JPEGImages"
    ET.SubElement(ann, "filename").text = filename
    sz = ET.SubElement(ann, "size")
    for tag, v in zip(("width", "height", "depth"), (*size, 3)):
        ET.SubElement(sz, tag).text = str(v)
    for box, label in zip(boxes, labels):
        obj = ET.SubElement(ann, "object")
        ET.SubElement(obj, "name").text = CLASSES[label]
        ET.SubElement(obj, "difficult").text = "0"
        bnd = ET.SubElement(obj, "bndbox")
        for tag, v in zip(("xmin", "ymin", "xmax", "ymax"), box):
            ET.SubElement(bnd, tag).text = int(round(v))
    ET.ElementTree(ann).write(path)


os.makedirs("prelabels/Annotations", exist_ok=True)
with torch.no_grad():
    for p in sorted(glob.glob("unlabelled/*.jpg")):
        img = Image.open(p).convert("RGB")
        out = model([to_tensor(img)])[0]
        keep = out["scores"] > 0.05
        name = os.path.basename(p)
        write_voc(f"prelabels/Annotations/{os.path.splitext(name)[0]}.xml", name, img.size,
                  out["boxes"][keep].tolist(), out["labels"][keep].tolist())
        print("wrote", name, int(keep.sum()), "boxes")
'''

SCRIPTS["stage2-unfrozen-backbone-resumes-stage1-optimizer-state"] = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn

# stage 2: unfreeze the whole backbone and keep training from the stage-1 checkpoint
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=4, min_size=160,
                                          max_size=224, trainable_backbone_layers=6)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.002, momentum=0.9, weight_decay=1e-4)
lr_scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[8, 11], gamma=0.1)

checkpoint = torch.load("runs/stage1/checkpoint.pth", map_location="cpu")
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
lr_scheduler.load_state_dict(checkpoint["lr_scheduler"])
start_epoch = checkpoint["epoch"] + 1
print(f"resuming at epoch {start_epoch} with {sum(p.numel() for p in params)} trainable parameters")
'''

STAGE1_CKPT = '''
import os, torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
os.makedirs("runs/stage1", exist_ok=True)
m = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=4, min_size=160,
                                      max_size=224)
for p in m.backbone.body.parameters():   # stage 1: backbone frozen, FPN + heads only
    p.requires_grad_(False)
params = [p for p in m.parameters() if p.requires_grad]
opt = torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)
sch = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 11], gamma=0.1)
loss = sum(p.sum() for p in params) * 0.0
loss.backward()
opt.step()
torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "lr_scheduler": sch.state_dict(),
            "epoch": 5}, "runs/stage1/checkpoint.pth")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more76-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    NB = ("ipython_cell", "ipython_arrows")

    # ---- data
    script("ssdlite-v2-resize-int-then-collate-torch-stack-workers", "data.image_size_mismatch", forms=W,
           setup=voc_set("data/site_ppe", 8, PPE, size=portrait_landscape))
    script("hand-hsv-jitter-on-greyscale-ir-frames-voc-workers", "data.image_channels", forms=W,
           setup=voc_set("data/site_cam", 9, PPE, size=(200, 150), mode=ir_mode, ext=ir_ext))
    script("yolo-to-xyxy-called-with-pil-size-portrait-clamp-frcnn", "data.bbox_invalid",
           setup=yolo_set("data/shelf_yolo", 6, ["price_tag", "product", "gap"], shelf_rows, size=(120, 160)))
    script("coco-boundingboxes-declared-xywh-never-converted-retinanet", "data.bbox_invalid",
           also=["model.api_misuse"], setup=shelf)
    script("retinanet-yolo-ids-shifted-for-background-num-classes-len-names-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P,
           setup=yolo_set("data/pallets_yolo", 6, ["pallet", "forklift", "person"], pallet_rows, size=(200, 150)))
    script("yolo-single-object-file-loadtxt-ellipsis-fcos", "data.label_shape", also=["data.bbox_invalid"],
           setup=yolo_set("data/insulators", 4, ["insulator", "damper"], insulator_rows, size=(200, 150)))
    script("hand-numpy-normalize-float64-images-fcos", "data.dtype",
           setup=coco_set("data/weld_defects", 6, ["porosity", "crack", "undercut"]))
    script("voc-frames-copied-while-camera-uploading-truncated-jpeg-workers", "data.missing_or_corrupt", forms=W,
           setup=both(voc_set("data/gate_cam", 8, PPE), truncate_some("data/gate_cam", (2, 3, 5, 6))))
    script("labelimg-crash-left-zero-byte-xml-workers", "data.missing_or_corrupt", forms=W,
           setup=voc_set("data/site_labels", 8, PPE, empty_xml=(1, 4, 6)))
    script("kmeans-anchors-nine-clusters-eight-pilot-boxes", "data.too_few_boxes", argv="make_anchors.py",
           setup=coco_set("data/pilot", 4, ["bolt", "nut"], per_image=2))

    # ---- model
    script("tv-tensors-image-wraps-cv2-hwc-array-ssdlite", "model.input_shape", also=["data.image_channels"],
           setup=yolo_set("data/conveyor", 6, ["box", "bag"], conveyor_rows, size=(200, 160)))
    notebook("retinanet-cls-logits-conv-swapped-num-classes-left-91-notebook", "model.output_mismatch",
             also=["model.api_misuse"], forms=NB,
             setup=coco_set("data/drone_cars", 4, ["car", "van", "truck"]))
    script("fcos-export-script-num-classes-without-background", "model.weights_mismatch", argv="export_preds.py",
           setup=both(prep(FCOS_CKPT), imgs([(f"inspection/2025-05-12/DJI_{i:04d}.jpg", (200, 150), "RGB")
                                            for i in range(3)])))
    script("boundingboxes-format-pascal-voc-from-albumentations-workers", "model.api_misuse", forms=W,
           setup=voc_set("data/site_ppe", 8, PPE))
    notebook("multisteplr-milestones-int-from-config-notebook", "model.api_misuse", forms=NB,
             files={"configs/frcnn_pallets.json": PALLET_CFG})

    # ---- optimisation
    script("retinanet-focal-prior-bias-fill-outside-no-grad", "optim.autograd_graph", argv="build_model.py")
    script("retinanet-cv2-images-0-255-float-raised-lr-anomaly", "optim.divergence",
           setup=yolo_set("data/plates", 8, ["plate"], plate_rows, size=(200, 150)))

    # ---- resource / environment / other
    script("maskrcnn-coco-polygons-rasterised-float32-upfront-memory-limit", "resource.host_memory",
           setup=roofs_setup, timeout=300)
    script("coco-sqlite-annotation-index-in-dataset-spawn-workers", "env.multiprocessing", setup=sqlite_setup)
    script("voc-eval-py-map-np-float-alias-numpy2", "env.version_incompat", argv="evaluate.py",
           setup=both(prep(FRCNN_PPE_CKPT), voc_set("data/site_ppe_val", 4, PPE)))
    script("export-predictions-voc-xml-int-element-text", "other", also=["model.api_misuse"], argv="prelabel.py",
           setup=both(prep(FRCNN_PPE_CKPT), imgs([(f"unlabelled/cam2_{i:04d}.jpg", (200, 150), "RGB")
                                                  for i in range(3)])))
    script("stage2-unfrozen-backbone-resumes-stage1-optimizer-state", "other", also=["model.weights_mismatch"],
           argv="train_stage2.py", setup=prep(STAGE1_CKPT))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
