"""A fifty-sixth held-out set (g110, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: people fine-tuning torchvision detection and segmentation models with today's APIs
(``torchvision.transforms.v2`` and ``tv_tensors``: ``BoundingBoxes``, ``Mask``, ``SanitizeBoundingBoxes``;
``torchvision.io.decode_image``; the weights enums; Mask R-CNN, Faster R-CNN v2, RetinaNet, FCOS, SSDlite,
DeepLabV3, LR-ASPP) on their own COCO / VOC / YOLO-format data, in scripts and notebooks. A natural mix of
causes, each program built so that its cause is known by construction:

- data: Label Studio polyline "cracks" exported to COCO with a zero-height ``bbox`` reaching RetinaNet
  without ``SanitizeBoundingBoxes`` (tqdm), ``v2.RandomShortestSize`` copied from the detection recipe into
  a DeepLab pipeline and batched by the default collate (in workers), LabelImg's ``classes.txt`` in the YOLO
  ``labels`` folder paired with an image that does not exist (FCOS, in workers), a Roboflow YOLOv8 export
  (``train/images``) globbed with the Ultralytics ``images/train`` layout (SSDlite, notebook), a
  ``RandomRotation`` fill of 255 for ``tv_tensors.Mask`` (the reference's ignore value) with no
  ``ignore_index`` (LR-ASPP, tqdm), a ``decode_image`` uint8 ``Mask`` left alone by the one-dtype
  ``v2.ToDtype`` (notebook), RGBA orthophoto tiles through ``decode_image``'s default ``UNCHANGED`` mode;
- model: a two-class DeepLabV3 head under ``BCEWithLogitsLoss`` with a one-channel mask, the detection
  reference's ``checkpoint.pth`` dict loaded as a state dict into Mask R-CNN v2, one image tensor instead of
  a list given to Faster R-CNN v2 (notebook), ``v2.RandomIoUCrop`` called on the image alone (SSDlite), a
  COCO weights enum together with ``num_classes``, Mask R-CNN validated without ``model.eval()``;
- optimisation: Faster R-CNN v2 at a learning rate "scaled" from the reference, stopped by the
  ``clip_grad_norm_(max_norm=inf, error_if_nonfinite=True)`` that only logs the gradient norm (tqdm), a DeepLab frozen after its new head was put in;
- resource / environment / other: a whole drone orthomosaic through DeepLab under a job memory limit, a
  torchvision 0.15 beta helper's ``convert_format_bounding_box``, a ``collate_fn`` defined inside ``main``
  under the spawn start method (Mask R-CNN), DeepLab with ``aux_loss=True`` whose aux output is never used
  under DDP (torchrun, gloo), COCO results with NumPy ``float32`` scores given to ``json.dump`` (RetinaNet).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more56.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import json as _json  # noqa: E402
import random as _random  # noqa: E402
from pathlib import Path  # noqa: E402

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more56.py"

SCRIPTS = {}
CELLS = {}


# ------------------------------------------------------------------ data builders (setups)
def _photo(size, seed):
    """A smooth RGB 'photo' with a few rectangles (small JPEGs, fast to write)."""
    from PIL import Image, ImageDraw
    rnd = _random.Random(seed)
    w, h = size
    img = Image.new("RGB", (w, h), (rnd.randrange(60, 200), rnd.randrange(60, 200), rnd.randrange(60, 200)))
    d = ImageDraw.Draw(img)
    for _ in range(4):
        x1, y1 = rnd.randrange(0, w - 20), rnd.randrange(0, h - 20)
        d.rectangle([x1, y1, x1 + rnd.randrange(10, 40), y1 + rnd.randrange(10, 40)],
                    fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    return img


def coco_set(root, n, size=(200, 150), cats=("crack", "spall"), polyline=(), polygons=False, split="train"):
    """root/images/*.jpg + root/annotations/instances_<split>.json (COCO, bbox xywh, polygons).
    polyline: image indices that also get a horizontal line traced by a polyline tool (bbox h = 0)."""
    def setup(work: Path) -> None:
        rnd = _random.Random(7)
        (work / root / "images").mkdir(parents=True, exist_ok=True)
        (work / root / "annotations").mkdir(parents=True, exist_ok=True)
        images, anns = [], []
        aid = 1
        for i in range(n):
            w, h = size
            name = f"{split}_{i:04d}.jpg"
            _photo(size, i).save(work / root / "images" / name, quality=90)
            images.append({"id": i + 1, "file_name": name, "width": w, "height": h})
            for _ in range(rnd.randrange(1, 3)):
                bw, bh = rnd.randrange(20, 60), rnd.randrange(20, 50)
                x, y = rnd.randrange(0, w - bw), rnd.randrange(0, h - bh)
                a = {"id": aid, "image_id": i + 1, "category_id": rnd.randrange(1, len(cats) + 1),
                     "bbox": [float(x), float(y), float(bw), float(bh)], "area": float(bw * bh), "iscrowd": 0}
                if polygons:
                    a["segmentation"] = [[x, y, x + bw, y, x + bw * 0.8, y + bh, x + bw * 0.1, y + bh * 0.9]]
                else:
                    a["segmentation"] = []
                anns.append(a)
                aid += 1
            if i in polyline:
                x, y, L = rnd.randrange(5, 60), rnd.randrange(20, h - 20), rnd.randrange(50, 120)
                anns.append({"id": aid, "image_id": i + 1, "category_id": 1,
                             "bbox": [float(x), float(y), float(L), 0.0], "area": 0.0, "iscrowd": 0,
                             "segmentation": [[x, y, x + L / 2, y, x + L, y]]})
                aid += 1
        coco = {"images": images, "annotations": anns,
                "categories": [{"id": k + 1, "name": c, "supercategory": "defect"} for k, c in enumerate(cats)]}
        (work / root / "annotations" / f"instances_{split}.json").write_text(_json.dumps(coco))
    return setup


def voc_seg(root, n, sizes=((160, 120),), ncls=3, mode="RGB"):
    """root/JPEGImages/*.jpg (or .png for RGBA) + root/SegmentationClass/*.png (L, values 0..ncls-1)
    + root/ImageSets/Segmentation/train.txt."""
    def setup(work: Path) -> None:
        from PIL import Image, ImageDraw
        rnd = _random.Random(3)
        for sub_ in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
            (work / root / sub_).mkdir(parents=True, exist_ok=True)
        ids = []
        for i in range(n):
            size = sizes[i % len(sizes)]
            name = f"tile_{i:04d}"
            img = _photo(size, 100 + i)
            if mode == "RGBA":
                img = img.convert("RGBA")
                a = Image.new("L", size, 255)
                ImageDraw.Draw(a).rectangle([0, 0, size[0] // 5, size[1]], fill=0)   # no-data strip
                img.putalpha(a)
                img.save(work / root / "JPEGImages" / f"{name}.png")
            else:
                img.save(work / root / "JPEGImages" / f"{name}.jpg", quality=90)
            m = Image.new("L", size, 0)
            d = ImageDraw.Draw(m)
            for _ in range(3):
                x1, y1 = rnd.randrange(0, size[0] - 30), rnd.randrange(0, size[1] - 30)
                d.rectangle([x1, y1, x1 + rnd.randrange(15, 50), y1 + rnd.randrange(15, 40)],
                            fill=rnd.randrange(1, ncls))
            m.save(work / root / "SegmentationClass" / f"{name}.png")
            ids.append(name)
        (work / root / "ImageSets/Segmentation/train.txt").write_text("\n".join(ids) + "\n")
    return setup


def yolo_set(img_dir, lbl_dir, n, size=(192, 144), ncls=2, prefix="img", classes_txt=None):
    """YOLO txt labels (cls cx cy w h, normalised) next to the images."""
    def setup(work: Path) -> None:
        rnd = _random.Random(11)
        (work / img_dir).mkdir(parents=True, exist_ok=True)
        (work / lbl_dir).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            _photo(size, 200 + i).save(work / img_dir / f"{prefix}_{i:04d}.jpg", quality=90)
            rows = []
            for _ in range(rnd.randrange(1, 4)):
                w, h = rnd.uniform(0.1, 0.35), rnd.uniform(0.1, 0.35)
                cx, cy = rnd.uniform(w / 2, 1 - w / 2), rnd.uniform(h / 2, 1 - h / 2)
                rows.append(f"{rnd.randrange(ncls)} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
            (work / lbl_dir / f"{prefix}_{i:04d}.txt").write_text("\n".join(rows) + "\n")
        if classes_txt:
            (work / lbl_dir / "classes.txt").write_text("\n".join(classes_txt) + "\n")
    return setup


# shared pieces of the scripts ----------------------------------------------------------------
COCO_DS = '''
class CocoBoxes(torch.utils.data.Dataset):
    """COCO-format export (images/ + annotations/instances_*.json), read without pycocotools."""

    def __init__(self, root, ann_file, transforms=None):
        self.root = root
        with open(ann_file) as f:
            coco = json.load(f)
        self.images = coco["images"]
        self.cat_ids = [c["id"] for c in coco["categories"]]
        self.anns = {im["id"]: [] for im in self.images}
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)
        self.transforms = transforms

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        info = self.images[idx]
        img = tv_tensors.Image(decode_image(os.path.join(self.root, "images", info["file_name"])))
        anns = [a for a in self.anns[info["id"]] if not a.get("iscrowd", 0)]
        boxes = tv_tensors.BoundingBoxes(
            torch.tensor([a["bbox"] for a in anns], dtype=torch.float32).reshape(-1, 4),
            format="XYWH", canvas_size=img.shape[-2:])
        target = {"boxes": boxes,
                  "labels": torch.tensor([self.cat_ids.index(a["category_id"]) + 1 for a in anns],
                                         dtype=torch.int64),
                  "image_id": info["id"]}
        if self.transforms is not None:
            img, target = self.transforms(img, target)
        return img, target


def collate_fn(batch):
    return tuple(zip(*batch))
'''

YOLO_DS = '''
class YoloDetection(torch.utils.data.Dataset):
    """images/xxx.jpg + labels/xxx.txt with 'cls cx cy w h' rows (normalised)."""

    def __init__(self, img_dir, label_dir, transforms=None):
        self.img_dir, self.label_dir = img_dir, label_dir
        self.files = sorted(glob.glob(os.path.join(img_dir, "*.jpg")))
        self.transforms = transforms

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        path = self.files[idx]
        img = tv_tensors.Image(decode_image(path, mode=ImageReadMode.RGB))
        h, w = img.shape[-2:]
        stem = os.path.splitext(os.path.basename(path))[0]
        rows = torch.tensor(np.loadtxt(os.path.join(self.label_dir, stem + ".txt"), ndmin=2),
                            dtype=torch.float32)
        cxcywh = rows[:, 1:] * torch.tensor([w, h, w, h])
        target = {"boxes": tv_tensors.BoundingBoxes(cxcywh, format="CXCYWH", canvas_size=(h, w)),
                  "labels": rows[:, 0].long() + 1}       # 0 is the background for torchvision detectors
        if self.transforms is not None:
            img, target = self.transforms(img, target)
        return img, target
'''

VOC_SEG_DS = '''
class VocSegmentation(torch.utils.data.Dataset):
    """VOC layout: JPEGImages/*.jpg, SegmentationClass/*.png, ImageSets/Segmentation/train.txt"""

    def __init__(self, root, image_set="train", transforms=None):
        with open(os.path.join(root, "ImageSets", "Segmentation", image_set + ".txt")) as f:
            self.ids = [l.strip() for l in f if l.strip()]
        self.root = root
        self.transforms = transforms

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        name = self.ids[i]
        img = tv_tensors.Image(decode_image(os.path.join(self.root, "JPEGImages", name + ".jpg")))
        mask = tv_tensors.Mask(decode_image(os.path.join(self.root, "SegmentationClass", name + ".png")))
        if self.transforms is not None:
            img, mask = self.transforms(img, mask)
        return img, mask
'''

DET_IMPORTS = '''
import glob
import json
import os

import numpy as np
import torch
from torchvision import tv_tensors
from torchvision.io import ImageReadMode, decode_image
from torchvision.transforms import v2
'''

# ================================================================== data
SCRIPTS["label-studio-polyline-cracks-coco-zero-height-retinanet"] = DET_IMPORTS + '''
from torchvision.models.detection import retinanet_resnet50_fpn_v2
from tqdm import tqdm
''' + COCO_DS + '''

def main():
    tf = v2.Compose([
        v2.ConvertBoundingBoxFormat("XYXY"),
        v2.RandomHorizontalFlip(0.5),
        v2.RandomPhotometricDistort(p=0.5),
        v2.ToDtype(torch.float32, scale=True),
    ])
    ds = CocoBoxes("bridge_defects", "bridge_defects/annotations/instances_train.json", tf)
    loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate_fn)
    print(f"{len(ds)} images, classes: crack, spall")

    model = retinanet_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=3,
                                      min_size=192, max_size=256)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=1e-4)
    model.train()
    for epoch in range(3):
        pbar = tqdm(loader, desc=f"epoch {epoch}")
        for images, targets in pbar:
            images = list(images)
            targets = [{k: v for k, v in t.items() if k != "image_id"} for t in targets]
            loss_dict = model(images, targets)
            loss = sum(loss_dict.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
            pbar.set_postfix(loss=f"{loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["segmentation-random-shortest-size-from-detection-recipe-workers"] = '''
import os

import torch
import torch.nn as nn
from torchvision import tv_tensors
from torchvision.io import decode_image
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import v2
''' + VOC_SEG_DS + '''

def get_transform(train):
    # multi-scale training, as in the torchvision detection recipe
    t = [v2.RandomShortestSize(min_size=(128, 144, 160, 176), max_size=256)]
    if train:
        t.append(v2.RandomHorizontalFlip(0.5))
    t += [v2.ToDtype({tv_tensors.Image: torch.float32, tv_tensors.Mask: torch.int64}, scale=True),
          v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])]
    return v2.Compose(t)


def main():
    ds = VocSegmentation("farm_plots", "train", get_transform(train=True))
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, drop_last=True)
    model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4)
    crit = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(10):
        model.train()
        for images, masks in loader:
            out = model(images)["out"]
            loss = crit(out, masks.squeeze(1))
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["labelimg-classes-txt-in-yolo-labels-paired-as-image-fcos-workers"] = DET_IMPORTS + '''
from torchvision.models.detection import fcos_resnet50_fpn

CLASSES = ["helmet", "head"]


class HardHatYolo(torch.utils.data.Dataset):
    """LabelImg YOLO output: one .txt per image in labels/, the photos in images/."""

    def __init__(self, root, transforms=None):
        self.root = root
        self.label_files = sorted(glob.glob(os.path.join(root, "labels", "*.txt")))
        self.transforms = transforms

    def __len__(self):
        return len(self.label_files)

    def __getitem__(self, idx):
        lbl = self.label_files[idx]
        stem = os.path.splitext(os.path.basename(lbl))[0]
        img = tv_tensors.Image(decode_image(os.path.join(self.root, "images", stem + ".jpg"),
                                            mode=ImageReadMode.RGB))
        h, w = img.shape[-2:]
        rows = torch.tensor(np.loadtxt(lbl, ndmin=2), dtype=torch.float32)
        boxes = tv_tensors.BoundingBoxes(rows[:, 1:] * torch.tensor([w, h, w, h]), format="CXCYWH",
                                         canvas_size=(h, w))
        target = {"boxes": boxes, "labels": rows[:, 0].long() + 1}
        if self.transforms:
            img, target = self.transforms(img, target)
        return img, target


def collate_fn(batch):
    return tuple(zip(*batch))


def main():
    tf = v2.Compose([v2.ConvertBoundingBoxFormat("XYXY"), v2.RandomHorizontalFlip(),
                     v2.ToDtype(torch.float32, scale=True), v2.SanitizeBoundingBoxes()])
    ds = HardHatYolo("hardhat", tf)
    print(f"found {len(ds)} labelled images")
    loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate_fn)
    model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES) + 1,
                              min_size=160, max_size=224)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    model.train()
    for epoch in range(5):
        for step, (images, targets) in enumerate(loader):
            losses = model(list(images), list(targets))
            loss = sum(losses.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(f"epoch {epoch} step {step}: " + ", ".join(f"{k}={v.item():.3f}" for k, v in losses.items()))


if __name__ == "__main__":
    main()
'''

CELLS["roboflow-yolov8-export-globbed-with-ultralytics-layout-notebook"] = [
    DET_IMPORTS + '''
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
''' + YOLO_DS,
    '''
DATA = "Hard-Hat-Workers-3"          # unzipped Roboflow "YOLOv8" export
train_ds = YoloDetection(f"{DATA}/images/train", f"{DATA}/labels/train",
                         transforms=v2.Compose([v2.ConvertBoundingBoxFormat("XYXY"),
                                                v2.RandomHorizontalFlip(),
                                                v2.ToDtype(torch.float32, scale=True)]))
val_ds = YoloDetection(f"{DATA}/images/valid", f"{DATA}/labels/valid",
                       transforms=v2.Compose([v2.ConvertBoundingBoxFormat("XYXY"),
                                              v2.ToDtype(torch.float32, scale=True)]))
print(len(train_ds), len(val_ds))
''',
    '''
train_loader = torch.utils.data.DataLoader(train_ds, batch_size=8, shuffle=True,
                                           collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.015, momentum=0.9, weight_decay=4e-5)
for epoch in range(2):
    model.train()
    for images, targets in train_loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]

SCRIPTS["lraspp-rotation-fill-255-mask-without-ignore-index-tqdm"] = '''
import os

import torch
import torch.nn as nn
from torchvision import tv_tensors
from torchvision.io import decode_image
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import v2
from tqdm import tqdm
''' + VOC_SEG_DS + '''

CLASSES = ["background", "weed", "crop"]

train_tf = v2.Compose([
    v2.RandomResizedCrop(128, scale=(0.5, 1.0), antialias=True),
    # like the torchvision segmentation reference: pad / rotate masks with 255
    v2.RandomRotation(20, fill={tv_tensors.Image: 0, tv_tensors.Mask: 255}),
    v2.RandomHorizontalFlip(),
    v2.ToDtype({tv_tensors.Image: torch.float32, tv_tensors.Mask: torch.int64, "others": None}, scale=True),
])

ds = VocSegmentation("weeds_voc", "train", train_tf)
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)

for epoch in range(20):
    model.train()
    running = 0.0
    for imgs, masks in tqdm(loader, desc=f"Epoch {epoch + 1}/20"):
        out = model(imgs)["out"]
        loss = criterion(out, masks.squeeze(1))
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item()
    print(f"train loss {running / len(loader):.4f}")
'''

CELLS["tv-tensors-mask-uint8-left-by-single-dtype-todtype-notebook"] = [
    '''
import os
import torch
import torch.nn as nn
from torchvision import tv_tensors
from torchvision.io import decode_image, ImageReadMode
from torchvision.transforms import v2
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
''',
    '''
class PetSeg(torch.utils.data.Dataset):
    def __init__(self, root, tf):
        self.root = root
        self.names = sorted(f[:-4] for f in os.listdir(f"{root}/JPEGImages"))
        self.tf = tf
    def __len__(self):
        return len(self.names)
    def __getitem__(self, i):
        n = self.names[i]
        img = tv_tensors.Image(decode_image(f"{self.root}/JPEGImages/{n}.jpg", mode=ImageReadMode.RGB))
        mask = tv_tensors.Mask(decode_image(f"{self.root}/SegmentationClass/{n}.png")[0])
        return self.tf(img, mask)

tf = v2.Compose([
    v2.Resize((128, 128)),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
ds = PetSeg("pets_seg", tf)
img, mask = ds[0]
print(img.shape, img.dtype, mask.shape, mask.dtype, mask.unique())
''',
    '''
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
''',
    '''
for epoch in range(5):
    model.train()
    for x, y in loader:
        out = model(x)["out"]
        loss = criterion(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]

SCRIPTS["rgba-orthophoto-tiles-decode-image-unchanged-deeplab-tqdm"] = '''
import glob
import os

import torch
import torch.nn as nn
from torchvision import tv_tensors
from torchvision.io import decode_image
from torchvision.models.segmentation import deeplabv3_resnet50
from torchvision.transforms import v2
from tqdm import tqdm

ROOT = "ortho_tiles"     # 128 px tiles cut from the QGIS export, masks from the field survey


class Tiles(torch.utils.data.Dataset):
    def __init__(self, root, tf):
        self.images = sorted(glob.glob(f"{root}/JPEGImages/*.png"))
        self.tf = tf

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        p = self.images[i]
        img = tv_tensors.Image(decode_image(p))
        mask = tv_tensors.Mask(decode_image(p.replace("JPEGImages", "SegmentationClass"))[0])
        return self.tf(img, mask)


tf = v2.Compose([
    v2.RandomCrop(112),
    v2.RandomVerticalFlip(),
    v2.RandomHorizontalFlip(),
    v2.ToDtype({tv_tensors.Image: torch.float32, tv_tensors.Mask: torch.int64, "others": None}, scale=True),
])
ds = Tiles(ROOT, tf)
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
model = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    with tqdm(loader, unit="batch") as bar:
        bar.set_description(f"Epoch {epoch}")
        for x, y in bar:
            loss = loss_fn(model(x)["out"], y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            bar.set_postfix(loss=loss.item())
'''

# ================================================================== model
SCRIPTS["binary-deeplab-two-class-head-bce-one-channel-mask"] = '''
import os

import torch
import torch.nn as nn
from torchvision import tv_tensors
from torchvision.io import decode_image, ImageReadMode
from torchvision.models.segmentation import deeplabv3_resnet50
from torchvision.transforms import v2


class RoofDataset(torch.utils.data.Dataset):
    """aerial crops + 0/1 roof masks"""

    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "JPEGImages")))
        self.tf = v2.Compose([v2.Resize((128, 128)), v2.RandomHorizontalFlip(),
                              v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        img = tv_tensors.Image(decode_image(os.path.join(self.root, "JPEGImages", n), mode=ImageReadMode.RGB))
        mask = decode_image(os.path.join(self.root, "SegmentationClass", n.replace(".jpg", ".png")))
        mask = tv_tensors.Mask((mask > 0).float())          # [1, H, W], roof = 1
        return self.tf(img, mask)


ds = RoofDataset("roofs")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True)
# two classes: background and roof
model = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=2)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(10):
    model.train()
    for img, mask in loader:
        out = model(img)["out"]
        loss = criterion(out, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

MRCNN_REF_CKPT = '''
import os
import torch
from torchvision.models.detection import maskrcnn_resnet50_fpn_v2

torch.manual_seed(0)
model = maskrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[16, 22], gamma=0.1)
os.makedirs("output/maskrcnn_grapes", exist_ok=True)
# what references/detection/train.py writes at the end of every epoch (args dropped)
torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
            "lr_scheduler": sched.state_dict(), "epoch": 25},
           "output/maskrcnn_grapes/checkpoint.pth")
'''

SCRIPTS["reference-checkpoint-dict-into-maskrcnn-v2-predict"] = '''
import sys

import torch
from torchvision.io import decode_image, ImageReadMode
from torchvision.models.detection import maskrcnn_resnet50_fpn_v2
from torchvision.transforms import v2
from torchvision.utils import draw_segmentation_masks, save_image

CLASSES = ["__background__", "grape_bunch", "leaf"]

model = maskrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("output/maskrcnn_grapes/checkpoint.pth", map_location="cpu"))
model.eval()

img = decode_image(sys.argv[1], mode=ImageReadMode.RGB)
x = v2.functional.to_dtype(img, torch.float32, scale=True)
with torch.no_grad():
    pred = model([x])[0]
keep = pred["scores"] > 0.5
masks = pred["masks"][keep, 0] > 0.5
save_image(draw_segmentation_masks(img, masks, alpha=0.5).float() / 255, "prediction.png")
print(f"{int(keep.sum())} objects")
'''

FRCNN_V2_SD = '''
import torch
from torchvision.models.detection import fasterrcnn_resnet50_fpn_v2
torch.manual_seed(0)
m = fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=3)
torch.save(m.state_dict(), "screws_frcnn_v2.pt")
'''

CELLS["predict-cell-one-image-tensor-not-list-fasterrcnn-v2-notebook"] = [
    '''
import torch
from torchvision.io import decode_image, ImageReadMode
from torchvision.models.detection import fasterrcnn_resnet50_fpn_v2
from torchvision.transforms import v2
from torchvision.utils import draw_bounding_boxes

CLASSES = ["__background__", "screw", "nut"]
model = fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                   min_size=320, max_size=480)
model.load_state_dict(torch.load("screws_frcnn_v2.pt", map_location="cpu"))
model.eval();
''',
    '''
img = decode_image("workbench.jpg", mode=ImageReadMode.RGB)
preprocess = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
x = preprocess(img)
print(x.shape, x.dtype)
''',
    '''
with torch.no_grad():
    pred = model(x)
boxes = pred[0]["boxes"][pred[0]["scores"] > 0.7]
labels = [CLASSES[i] for i in pred[0]["labels"][pred[0]["scores"] > 0.7]]
draw_bounding_boxes(img, boxes, labels, width=3)
''',
]

SCRIPTS["random-iou-crop-called-on-image-alone-ssdlite"] = DET_IMPORTS + '''
from torchvision.models.detection import ssdlite320_mobilenet_v3_large

CLASSES = ["bicycle", "scooter", "car"]


class ParkingLot(torch.utils.data.Dataset):
    def __init__(self, root, train=True):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.root = root
        # SSD augmentation (torchvision detection recipe)
        self.img_tf = v2.Compose([
            v2.RandomPhotometricDistort(p=1.0),
            v2.RandomZoomOut(fill={tv_tensors.Image: (123, 117, 104), "others": 0}),
            v2.RandomIoUCrop(),
            v2.Resize((320, 320)),
            v2.RandomHorizontalFlip(p=0.5),
            v2.ToDtype(torch.float32, scale=True),
        ]) if train else v2.Compose([v2.Resize((320, 320)), v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        p = self.images[i]
        img = decode_image(p, mode=ImageReadMode.RGB)
        h, w = img.shape[-2:]
        rows = np.loadtxt(p.replace("images", "labels").replace(".jpg", ".txt"), ndmin=2)
        cx, cy, bw, bh = (rows[:, 1] * w, rows[:, 2] * h, rows[:, 3] * w, rows[:, 4] * h)
        boxes = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)
        img = self.img_tf(img)
        # boxes follow the 320 x 320 resize
        boxes = boxes * np.array([320 / w, 320 / h, 320 / w, 320 / h])
        return img, {"boxes": torch.as_tensor(boxes, dtype=torch.float32),
                     "labels": torch.as_tensor(rows[:, 0], dtype=torch.int64) + 1}


def main():
    ds = ParkingLot("parking", train=True)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
    model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES) + 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.015, momentum=0.9, weight_decay=4e-5)
    for epoch in range(60):
        model.train()
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["coco-weights-enum-with-num-classes-fasterrcnn-v2"] = DET_IMPORTS + '''
from torchvision.models.detection import FasterRCNN_ResNet50_FPN_V2_Weights, fasterrcnn_resnet50_fpn_v2
''' + COCO_DS + '''

CLASSES = ["__background__", "pothole", "crack", "manhole"]


def main():
    weights = FasterRCNN_ResNet50_FPN_V2_Weights.DEFAULT
    tf = v2.Compose([v2.ConvertBoundingBoxFormat("XYXY"), v2.RandomHorizontalFlip(),
                     v2.ToDtype(torch.float32, scale=True), v2.SanitizeBoundingBoxes()])
    ds = CocoBoxes("roads", "roads/annotations/instances_train.json", tf)
    loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate_fn)
    print(f"{len(ds)} training images")
    model = fasterrcnn_resnet50_fpn_v2(weights=weights, num_classes=len(CLASSES))
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
    for epoch in range(12):
        model.train()
        for images, targets in loader:
            targets = [{"boxes": t["boxes"], "labels": t["labels"]} for t in targets]
            loss = sum(model(list(images), targets).values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

MRCNN_DS = '''
class CocoInstances(torch.utils.data.Dataset):
    """COCO polygons rasterised with PIL (no pycocotools on this box)."""

    def __init__(self, root, split, transforms=None):
        with open(f"{root}/annotations/instances_{split}.json") as f:
            coco = json.load(f)
        self.root = root
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)
        self.transforms = transforms

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        info = self.images[idx]
        img = tv_tensors.Image(decode_image(f"{self.root}/images/{info['file_name']}", mode=ImageReadMode.RGB))
        h, w = img.shape[-2:]
        masks, boxes, labels = [], [], []
        for a in self.anns.get(info["id"], []):
            m = Image.new("L", (w, h), 0)
            for poly in a["segmentation"]:
                ImageDraw.Draw(m).polygon(poly, fill=1)
            masks.append(torch.from_numpy(np.array(m)))
            x, y, bw, bh = a["bbox"]
            boxes.append([x, y, x + bw, y + bh])
            labels.append(a["category_id"])
        target = {
            "boxes": tv_tensors.BoundingBoxes(torch.tensor(boxes, dtype=torch.float32), format="XYXY",
                                              canvas_size=(h, w)),
            "masks": tv_tensors.Mask(torch.stack(masks)),
            "labels": torch.tensor(labels, dtype=torch.int64),
        }
        if self.transforms is not None:
            img, target = self.transforms(img, target)
        return img, target
'''

SCRIPTS["maskrcnn-validation-loop-without-model-eval"] = DET_IMPORTS + '''
from PIL import Image, ImageDraw
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.ops import box_iou
''' + MRCNN_DS + '''

def collate_fn(batch):
    return tuple(zip(*batch))


def main():
    train_tf = v2.Compose([v2.RandomHorizontalFlip(), v2.ToDtype(torch.float32, scale=True),
                           v2.SanitizeBoundingBoxes()])
    val_tf = v2.ToDtype(torch.float32, scale=True)
    train_ds = CocoInstances("cells", "train", train_tf)
    val_ds = CocoInstances("cells", "val", val_tf)
    train_loader = torch.utils.data.DataLoader(train_ds, batch_size=2, shuffle=True, collate_fn=collate_fn)
    val_loader = torch.utils.data.DataLoader(val_ds, batch_size=2, collate_fn=collate_fn)

    model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3,
                                  min_size=160, max_size=224)
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
    for epoch in range(10):
        model.train()
        for images, targets in train_loader:
            loss = sum(model(list(images), list(targets)).values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} train loss {loss.item():.3f}")

        # validation: mean best IoU of the predicted boxes
        ious = []
        with torch.no_grad():
            for images, targets in val_loader:
                outputs = model(list(images))
                for out, t in zip(outputs, targets):
                    if len(out["boxes"]):
                        ious.append(box_iou(t["boxes"], out["boxes"]).max(1).values.mean().item())
        print(f"epoch {epoch} val IoU {sum(ious) / max(len(ious), 1):.3f}")


if __name__ == "__main__":
    main()
'''

# ================================================================== optimisation
SCRIPTS["fasterrcnn-v2-lr-scaled-from-reference-grad-norm-nonfinite-tqdm"] = DET_IMPORTS + '''
from torchvision.models.detection import fasterrcnn_resnet50_fpn_v2
from tqdm import tqdm
''' + YOLO_DS + '''

# reference: lr 0.02 for 8 GPUs x 2 images; "linear scaling" for our batch of 4 x 25 accumulation
BASE_LR = 0.02
LR = BASE_LR * 4 * 25 / 2


def main():
    tf = v2.Compose([v2.ConvertBoundingBoxFormat("XYXY"), v2.RandomHorizontalFlip(),
                     v2.ToDtype(torch.float32, scale=True), v2.SanitizeBoundingBoxes()])
    ds = YoloDetection("solar_panels/images", "solar_panels/labels", tf)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
    torch.manual_seed(0)
    model = fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=3,
                                       min_size=160, max_size=224)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9, weight_decay=1e-4)
    print(f"lr = {LR}")
    for epoch in range(20):
        model.train()
        bar = tqdm(loader, desc=f"epoch {epoch}")
        for images, targets in bar:
            losses = model(list(images), list(targets))
            loss = sum(losses.values())
            opt.zero_grad()
            loss.backward()
            # gradient norm for the log (no clipping)
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=float("inf"),
                                                       error_if_nonfinite=True)
            opt.step()
            bar.set_postfix(loss=f"{loss.item():.3f}", grad_norm=f"{grad_norm.item():.1f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["deeplab-frozen-after-new-head-was-put-in"] = '''
import os

import torch
import torch.nn as nn
from torchvision import tv_tensors
from torchvision.io import decode_image
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import v2
''' + VOC_SEG_DS + '''

NUM_CLASSES = 3   # background, road, sidewalk

tf = v2.Compose([v2.RandomResizedCrop(128, scale=(0.6, 1.0)), v2.RandomHorizontalFlip(),
                 v2.ToDtype({tv_tensors.Image: torch.float32, tv_tensors.Mask: torch.int64, "others": None},
                            scale=True)])
ds = VocSegmentation("streets_voc", "train", tf)
loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True)

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None)  # COCO-VOC weights on the lab box
model.classifier[4] = nn.Conv2d(256, NUM_CLASSES, kernel_size=1)
# fine-tune only the new head: freeze the pretrained layers
for param in model.parameters():
    param.requires_grad = False

optimizer = torch.optim.Adam(model.classifier[4].parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(15):
    model.train()
    for images, masks in loader:
        out = model(images)["out"]
        loss = criterion(out, masks.squeeze(1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== resource / env / other
ORTHO_PREP = '''
import os
import torch
from PIL import Image
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

os.makedirs("orthomosaics", exist_ok=True)
g = Image.linear_gradient("L").resize((7200, 6400))
Image.merge("RGB", (g, g.transpose(Image.Transpose.ROTATE_90).resize((7200, 6400)), g)).save(
    "orthomosaics/field_07_2024-06-12.jpg", quality=80)
torch.manual_seed(0)
m = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4)
os.makedirs("runs/crops_v3", exist_ok=True)
torch.save(m.state_dict(), "runs/crops_v3/best.pt")
'''

SCRIPTS["orthomosaic-whole-image-deeplab-predict-memory-limit"] = '''
import resource
import sys

import torch
from torchvision.io import decode_image, ImageReadMode
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import v2
from torchvision.utils import save_image

# the job's memory limit, as the cluster enforces it
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

CLASSES = ["background", "maize", "weeds", "bare_soil"]

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("runs/crops_v3/best.pt", map_location="cpu"))
model.eval()

prep = v2.Compose([v2.ToDtype(torch.float32, scale=True),
                   v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
img = decode_image(sys.argv[1], mode=ImageReadMode.RGB)
print(f"orthomosaic {tuple(img.shape)}")
with torch.inference_mode():
    logits = model(prep(img).unsqueeze(0))["out"]
pred = logits.argmax(1)
save_image(pred.float() / (len(CLASSES) - 1), "field_classes.png")
'''

BOXES_UTIL = '''
"""Box helpers from our 2023 detection notebook (torchvision 0.15 beta transforms)."""
import torch
import torchvision

torchvision.disable_beta_transforms_warning()
from torchvision.transforms.v2 import functional as F  # noqa: E402
from torchvision import tv_tensors  # noqa: E402


def yolo_rows_to_boxes(rows, h, w):
    """YOLO rows (cls cx cy w h, normalised) -> XYXY pixel boxes."""
    cxcywh = rows[:, 1:] * torch.tensor([w, h, w, h], dtype=rows.dtype)
    xyxy = F.convert_format_bounding_box(cxcywh, old_format=tv_tensors.BoundingBoxFormat.CXCYWH,
                                         new_format=tv_tensors.BoundingBoxFormat.XYXY)
    return tv_tensors.BoundingBoxes(xyxy, format="XYXY", canvas_size=(h, w))
'''

SCRIPTS["beta-transforms-helper-convert-format-bounding-box"] = '''
import glob
import os

import numpy as np
import torch
from torchvision import tv_tensors
from torchvision.io import ImageReadMode, decode_image
from torchvision.models.detection import retinanet_resnet50_fpn_v2
from torchvision.transforms import v2

from utils.boxes import yolo_rows_to_boxes


class Drones(torch.utils.data.Dataset):
    def __init__(self, root, tf):
        self.files = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.tf = tf

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        img = tv_tensors.Image(decode_image(p, mode=ImageReadMode.RGB))
        rows = torch.from_numpy(np.loadtxt(p.replace("images", "labels")[:-4] + ".txt", ndmin=2)).float()
        target = {"boxes": yolo_rows_to_boxes(rows, *img.shape[-2:]), "labels": rows[:, 0].long() + 1}
        return self.tf(img, target)


def main():
    tf = v2.Compose([v2.RandomHorizontalFlip(), v2.ToDtype(torch.float32, scale=True),
                     v2.SanitizeBoundingBoxes()])
    ds = Drones("drones", tf)
    loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
    model = retinanet_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=3,
                                      min_size=160, max_size=224)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(10):
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["collate-fn-inside-main-spawn-start-method-maskrcnn"] = DET_IMPORTS + '''
import torch.multiprocessing as mp
from PIL import Image, ImageDraw
from torchvision.models.detection import maskrcnn_resnet50_fpn_v2
''' + MRCNN_DS + '''

def main():
    tf = v2.Compose([v2.RandomHorizontalFlip(), v2.ToDtype(torch.float32, scale=True),
                     v2.SanitizeBoundingBoxes()])
    ds = CocoInstances("grapes", "train", tf)

    def collate_fn(batch):
        return tuple(zip(*batch))

    loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, num_workers=2,
                                         collate_fn=collate_fn, persistent_workers=True)
    model = maskrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=3,
                                     min_size=160, max_size=224)
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
    for epoch in range(10):
        model.train()
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")


if __name__ == "__main__":
    # decode_image(device="cuda") inside the workers needs spawn, not fork
    mp.set_start_method("spawn", force=True)
    main()
'''

SCRIPTS["ddp-deeplab-aux-loss-output-unused-torchrun-gloo"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data.distributed import DistributedSampler
from torchvision import tv_tensors
from torchvision.io import decode_image
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import v2
''' + VOC_SEG_DS + '''

def main():
    dist.init_process_group("gloo")          # gloo on the workstation, nccl on the cluster
    rank = dist.get_rank()
    torch.manual_seed(0)
    tf = v2.Compose([v2.RandomResizedCrop(96, scale=(0.5, 1.0)), v2.RandomHorizontalFlip(),
                     v2.ToDtype({tv_tensors.Image: torch.float32, tv_tensors.Mask: torch.int64, "others": None},
                                scale=True)])
    ds = VocSegmentation("lanes_voc", "train", tf)
    sampler = DistributedSampler(ds, shuffle=True)
    loader = torch.utils.data.DataLoader(ds, batch_size=2, sampler=sampler)
    model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3, aux_loss=True)
    model = DDP(model)
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(5):
        sampler.set_epoch(epoch)
        model.train()
        for step, (images, masks) in enumerate(loader):
            out = model(images)
            loss = criterion(out["out"], masks.squeeze(1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            if rank == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

SCRIPTS["coco-results-numpy-float32-scores-json-dump-retinanet"] = DET_IMPORTS + '''
from torchvision.models.detection import retinanet_resnet50_fpn_v2
''' + COCO_DS + '''

def main():
    train_tf = v2.Compose([v2.ConvertBoundingBoxFormat("XYXY"), v2.RandomHorizontalFlip(),
                           v2.ToDtype(torch.float32, scale=True), v2.SanitizeBoundingBoxes()])
    val_tf = v2.Compose([v2.ConvertBoundingBoxFormat("XYXY"), v2.ToDtype(torch.float32, scale=True)])
    train_ds = CocoBoxes("shelf/train", "shelf/train/annotations/instances_train.json", train_tf)
    val_ds = CocoBoxes("shelf/val", "shelf/val/annotations/instances_val.json", val_tf)
    train_loader = torch.utils.data.DataLoader(train_ds, batch_size=2, shuffle=True, collate_fn=collate_fn)
    val_loader = torch.utils.data.DataLoader(val_ds, batch_size=2, collate_fn=collate_fn)

    # low score threshold for mAP evaluation
    model = retinanet_resnet50_fpn_v2(weights=None, weights_backbone=None, num_classes=3,
                                      min_size=160, max_size=224, score_thresh=0.001, detections_per_img=20)
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for images, targets in train_loader:
        targets = [{"boxes": t["boxes"], "labels": t["labels"]} for t in targets]
        loss = sum(model(list(images), targets).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch 0 loss {loss.item():.3f}")

    model.eval()
    results = []
    with torch.no_grad():
        for images, targets in val_loader:
            for out, t in zip(model(list(images)), targets):
                xywh = v2.functional.convert_bounding_box_format(out["boxes"], old_format="XYXY",
                                                                 new_format="XYWH")
                for box, score, label in zip(xywh.tolist(), out["scores"].numpy(), out["labels"].tolist()):
                    results.append({"image_id": t["image_id"], "category_id": val_ds.cat_ids[label - 1],
                                    "bbox": [round(v, 2) for v in box], "score": score})
    print(f"{len(results)} detections")
    os.makedirs("eval", exist_ok=True)
    with open("eval/detections_val.json", "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
'''


def cases():
    out, add, script, notebook = case_builders("torch-more56-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    # ---- data
    script("label-studio-polyline-cracks-coco-zero-height-retinanet", "data.bbox_invalid", forms=P,
           setup=coco_set("bridge_defects", 6, polyline=(1, 2, 4, 5)))
    script("segmentation-random-shortest-size-from-detection-recipe-workers", "data.image_size_mismatch",
           also=["model.api_misuse"], forms=W,
           setup=voc_seg("farm_plots", 8, sizes=((240, 160), (160, 240), (200, 200), (256, 144)), ncls=4))
    script("labelimg-classes-txt-in-yolo-labels-paired-as-image-fcos-workers", "data.missing_or_corrupt", forms=W,
           setup=yolo_set("hardhat/images", "hardhat/labels", 7, prefix="hardhat", classes_txt=["helmet", "head"]))
    notebook("roboflow-yolov8-export-globbed-with-ultralytics-layout-notebook", "data.missing_or_corrupt",
             setup=both(yolo_set("Hard-Hat-Workers-3/train/images", "Hard-Hat-Workers-3/train/labels", 6),
                        yolo_set("Hard-Hat-Workers-3/valid/images", "Hard-Hat-Workers-3/valid/labels", 2),
                        write("Hard-Hat-Workers-3/data.yaml",
                              "train: ../train/images\nval: ../valid/images\n\nnc: 2\nnames: ['head', 'helmet']\n")))
    script("lraspp-rotation-fill-255-mask-without-ignore-index-tqdm", "data.label_out_of_range", forms=P,
           setup=voc_seg("weeds_voc", 8, sizes=((160, 160),), ncls=3))
    notebook("tv-tensors-mask-uint8-left-by-single-dtype-todtype-notebook", "data.dtype",
             setup=voc_seg("pets_seg", 6, sizes=((150, 120),), ncls=3))
    script("rgba-orthophoto-tiles-decode-image-unchanged-deeplab-tqdm", "data.image_channels", forms=P,
           setup=voc_seg("ortho_tiles", 6, sizes=((128, 128),), ncls=3, mode="RGBA"))
    # ---- model
    script("binary-deeplab-two-class-head-bce-one-channel-mask", "model.output_mismatch",
           also=["data.label_shape"], setup=voc_seg("roofs", 4, sizes=((160, 120),), ncls=2))
    script("reference-checkpoint-dict-into-maskrcnn-v2-predict", "model.weights_mismatch",
           argv="predict.py", args=("vineyard_row_12.jpg",),
           setup=both(imgs([("vineyard_row_12.jpg", (200, 150), "RGB")]), prep(MRCNN_REF_CKPT)))
    notebook("predict-cell-one-image-tensor-not-list-fasterrcnn-v2-notebook", "model.input_shape",
             also=["model.api_misuse"],
             setup=both(imgs([("workbench.jpg", (240, 180), "RGB")]), prep(FRCNN_V2_SD)))
    script("random-iou-crop-called-on-image-alone-ssdlite", "model.api_misuse",
           setup=yolo_set("parking/images", "parking/labels", 6, ncls=3))
    script("coco-weights-enum-with-num-classes-fasterrcnn-v2", "model.api_misuse", also=["model.weights_mismatch"],
           setup=coco_set("roads", 4, cats=("pothole", "crack", "manhole")))
    script("maskrcnn-validation-loop-without-model-eval", "model.api_misuse",
           setup=both(coco_set("cells", 4, polygons=True, cats=("nucleus", "debris")),
                      coco_set("cells", 2, polygons=True, cats=("nucleus", "debris"), split="val")))
    # ---- optimisation
    script("fasterrcnn-v2-lr-scaled-from-reference-grad-norm-nonfinite-tqdm", "optim.divergence", forms=P, timeout=540,
           setup=yolo_set("solar_panels/images", "solar_panels/labels", 8))
    script("deeplab-frozen-after-new-head-was-put-in", "optim.autograd_graph",
           setup=voc_seg("streets_voc", 4, sizes=((160, 120),), ncls=3))
    # ---- resource / environment / other
    script("orthomosaic-whole-image-deeplab-predict-memory-limit", "resource.host_memory",
           argv="predict.py", args=("orthomosaics/field_07_2024-06-12.jpg",), setup=prep(ORTHO_PREP))
    script("beta-transforms-helper-convert-format-bounding-box", "env.version_incompat",
           extra={"utils/__init__.py": "", "utils/boxes.py": BOXES_UTIL},
           setup=yolo_set("drones/images", "drones/labels", 4))
    script("collate-fn-inside-main-spawn-start-method-maskrcnn", "env.multiprocessing",
           setup=coco_set("grapes", 4, polygons=True, cats=("grape_bunch", "leaf")))
    script("ddp-deeplab-aux-loss-output-unused-torchrun-gloo", "env.distributed",
           argv="train_ddp.py", pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"),
           setup=voc_seg("lanes_voc", 8, sizes=((128, 96),), ncls=3),
           exception="RuntimeError")  # the rank's own error; torchrun's ChildFailedError only reports it
    script("coco-results-numpy-float32-scores-json-dump-retinanet", "other",
           setup=both(coco_set("shelf/train", 4, cats=("bottle", "can")),
                      coco_set("shelf/val", 2, cats=("bottle", "can"), split="val")))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
