"""A thirty-third held-out set of PyTorch / torchvision failures: an untargeted sample of what
people training image classifiers, detectors and segmenters on their own data meet in scripts and
notebooks, spread over every cause id roughly as often as users hit them, each labelled by
construction with the cause it really is.

- image sizes / channels: ``Resize((128))`` (an int in parentheses) on phone photos of two
  orientations, ``v2.ScaleJitter`` copied from the detection recipe into a DeepLab pipeline (in
  workers), validation tiles padded to a multiple of 32 and concatenated for a dataset Dice, a
  grayscale ultrasound frame given to ``draw_segmentation_masks`` (notebook), CT slices exported
  as RGB PNGs into a one-channel U-Net;
- boxes: VIA ``width`` / ``height`` read as corners in a preview, SSDlite trained with
  ``v2.RandomIoUCrop`` and no ``SanitizeBoundingBoxes``;
- labels: Cityscapes ``labelIds`` into a 19-class FCN, a class dropped from ``classes.txt`` while
  the label files keep its id (RetinaNet), 0/255 wound masks into a two-class LR-ASPP (tqdm);
  ``v2.PILToTensor`` masks with a channel axis, a Roboflow one-hot CSV flattened, CutMix given
  labels as a column;
- model: single frames into ``r3d_18``, a ResNet whose ``avgpool`` became ``Identity`` evaluated
  at a larger size, a Mask R-CNN whose box predictor got a new class but whose mask predictor did
  not, an FCN with two output channels under ``BCEWithLogitsLoss``, ImageNet ResNet-50 weights
  loaded strictly into a DeepLab backbone, training resumed from a TorchScript export;
- data files: camera-raw ``.dng`` photos under ImageFolder, a Labelbox NDJSON export read with
  ``json.load``, masks missing for images still being annotated (in workers), an anchor k-means
  over a four-image pilot set;
- versions / API: ``np.cast`` in an old augmentation, ``ConvBNReLU`` imported from torchvision's
  MobileNetV2, a checkpoint holding numpy mean / std under the ``weights_only`` default,
  ``random_split(generator=42)`` (notebook), ``ignore_index: null`` from a JSON config;
- dtypes / devices: ``v2.ToImage`` without ``ToDtype``, a prediction EMA updated with ``lerp``
  after a CPU bfloat16 autocast block, a CutMix helper with a hard-coded ``.cuda()``;
- host memory (Mask R-CNN float masks of a dense nuclei image under an rlimit), spawn workers
  (an ``mmap`` of packed crops, a TorchScript teacher), a DDP barrier only rank 0 reaches,
  divergence seen through scipy's Procrustes and OpenCV's resize, a Dice loss on thresholded
  predictions, and plain bugs (an ``evaluate`` tuple formatted as a float, ``Path + str``).

Every case is a small real program run on CPU with the torch venv (no GPU, no downloads).

    /work/venvs/torch/bin/python corpus/generators/torch_more33.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more33.py"

SCRIPTS = {}
CELLS = {}


def np_setup(fn):
    """A setup that calls fn(work, np, Image) (numpy / PIL imported lazily)."""
    def setup(work: Path):
        import numpy as np
        from PIL import Image
        fn(work, np, Image)
    return setup


# ============================================================ data.image_size_mismatch
SCRIPTS["feeder-photos-resize-size-in-parens-is-int"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

IMG_SIZE = 128

train_tf = transforms.Compose([
    transforms.Resize((IMG_SIZE)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])

train_ds = datasets.ImageFolder("data/feeder/train", transform=train_tf)
print(f"{len(train_ds)} images, classes: {train_ds.classes}")
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(10):
    model.train()
    total = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: loss {total / len(loader):.4f}")
'''


def feeder_setup(work: Path):
    specs = []
    birds = ["blue_tit", "goldfinch", "house_sparrow", "robin"]
    for k, b in enumerate(birds):
        for i in range(3):
            # trail camera stills (landscape) and phone photos held upright (portrait)
            size = (160, 120) if (i + k) % 2 == 0 else (120, 160)
            specs.append((f"data/feeder/train/{b}/{b}_{i:03d}.jpg", size, "RGB"))
    make_images(work, specs)


SCRIPTS["deeplab-v2-scalejitter-from-detection-recipe-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import v2

CLASSES = ["soil", "crop", "weed"]

# large-scale jitter, as in the torchvision detection references
train_tf = v2.Compose([
    v2.ScaleJitter(target_size=(128, 128), scale_range=(0.5, 1.5)),
    v2.RandomHorizontalFlip(),
    v2.ToDtype({tv_tensors.Image: torch.float32, tv_tensors.Mask: torch.int64, "others": None}, scale=True),
])


class WeedField(Dataset):
    def __init__(self, root, transforms):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))
        self.transforms = transforms

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = tv_tensors.Image(Image.open(path).convert("RGB"))
        mask = tv_tensors.Mask(torch.from_numpy(np.array(Image.open(path.replace("images", "masks")))))
        return self.transforms(image, mask)


def main():
    loader = DataLoader(WeedField("data/weedfield/train", train_tf), batch_size=4, shuffle=True, num_workers=2)
    model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    for epoch in range(20):
        model.train()
        for images, masks in loader:
            out = model(images)["out"]
            loss = F.cross_entropy(out, masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def weedfield(work, np, Image):
    rng = np.random.default_rng(3)
    for i in range(8):
        d = work / "data/weedfield/train"
        (d / "images").mkdir(parents=True, exist_ok=True)
        (d / "masks").mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(d / "images" / f"plot_{i:03d}.png")
        m = np.zeros((120, 160), np.uint8)
        m[40:80, 20:60] = 1
        m[70:100, 100:140] = 2
        Image.fromarray(m).save(d / "masks" / f"plot_{i:03d}.png")


SCRIPTS["unet-val-tiles-padded-to-32-cat-for-dataset-dice"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.e1, self.e2, self.e3 = block(3, 16), block(16, 32), block(32, 64)
        self.u2, self.d2 = nn.ConvTranspose2d(64, 32, 2, stride=2), block(64, 32)
        self.u1, self.d1 = nn.ConvTranspose2d(32, 16, 2, stride=2), block(32, 16)
        self.head = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(F.max_pool2d(e1, 2))
        e3 = self.e3(F.max_pool2d(e2, 2))
        d2 = self.d2(torch.cat([self.u2(e3), e2], 1))
        d1 = self.d1(torch.cat([self.u1(d2), e1], 1))
        return self.head(d1)


def pad_to_multiple(x, m=32):
    h, w = x.shape[-2:]
    return F.pad(x, (0, (m - w % m) % m, 0, (m - h % m) % m))


class Tiles(Dataset):
    """orthophoto tiles; tiles at the edge of the mosaic are smaller than 96x96"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = read_image(self.images[i], ImageReadMode.RGB).float() / 255
        mask = (read_image(self.images[i].replace("images", "masks"), ImageReadMode.GRAY) > 0).float()
        return img, mask


def dice(pred, target, eps=1e-6):
    inter = (pred * target).sum()
    return (2 * inter + eps) / (pred.sum() + target.sum() + eps)


train_loader = DataLoader(Tiles("data/roofs/train"), batch_size=4, shuffle=True)
val_loader = DataLoader(Tiles("data/roofs/val"), batch_size=1)   # edge tiles differ in size
model = UNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    model.train()
    for img, mask in train_loader:
        loss = F.binary_cross_entropy_with_logits(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    preds, masks = [], []
    with torch.no_grad():
        for img, mask in val_loader:
            h, w = img.shape[-2:]
            logits = model(pad_to_multiple(img))[..., :h, :w]
            preds.append((logits.sigmoid() > 0.5).float())
            masks.append(mask)
    val_dice = dice(torch.cat(preds), torch.cat(masks))
    print(f"epoch {epoch}: train loss {loss.item():.4f}  val dice {val_dice:.4f}")
'''


def roofs(work, np, Image):
    rng = np.random.default_rng(0)
    sizes = {"train": [(96, 96)] * 8, "val": [(96, 96), (96, 96), (70, 96), (96, 41), (96, 96)]}
    for split, shapes in sizes.items():
        for i, (w, h) in enumerate(shapes):
            for sub_ in ("images", "masks"):
                (work / f"data/roofs/{split}/{sub_}").mkdir(parents=True, exist_ok=True)
            Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(
                work / f"data/roofs/{split}/images/tile_{i:03d}.png")
            m = np.zeros((h, w), np.uint8)
            m[h // 4: h // 2, w // 4: w // 2] = 255
            Image.fromarray(m).save(work / f"data/roofs/{split}/masks/tile_{i:03d}.png")


# ============================================================ data.image_channels
THYROID_NET = '''
import torch.nn as nn


def build_net():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 1, 1),
    )
'''

CELLS["ultrasound-overlay-draw-segmentation-masks-gray-frame-notebook"] = [
    '''
import glob

import torch
from torchvision.io import ImageReadMode, read_image, write_png
from torchvision.utils import draw_segmentation_masks

from thyroid_net import build_net

model = build_net()
model.load_state_dict(torch.load("runs/thyroid_unet_best.pt"))
model.eval()
frames = sorted(glob.glob("scans/patient_12/*.png"))
print(len(frames), "frames")
''',
    '''
import os
os.makedirs("overlays", exist_ok=True)
for path in frames:
    frame = read_image(path, ImageReadMode.GRAY)          # the net was trained on 1-channel frames
    with torch.no_grad():
        prob = model(frame[None].float() / 255).sigmoid()[0]
    nodule = prob > 0.5
    overlay = draw_segmentation_masks(frame, nodule, alpha=0.4, colors="red")
    write_png(overlay, os.path.join("overlays", os.path.basename(path)))
''',
]

SCRIPTS["ct-slices-exported-rgb-png-one-channel-unet"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image


class LiverSlices(Dataset):
    """slices exported from the viewer as PNG; masks 0 = background, 255 = liver"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "slices", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        ct = read_image(self.images[i]).float() / 255
        mask = (read_image(self.images[i].replace("slices", "masks")) > 127).float()
        return ct, mask


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class SmallUNet(nn.Module):
    def __init__(self, in_channels=1):       # CT is single-channel
        super().__init__()
        self.enc1 = conv_block(in_channels, 16)
        self.enc2 = conv_block(16, 32)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec = conv_block(32, 16)
        self.out = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        return self.out(self.dec(torch.cat([self.up(e2), e1], 1)))


loader = DataLoader(LiverSlices("data/liver_ct/train"), batch_size=4, shuffle=True)
model = SmallUNet(in_channels=1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
print(f"{len(loader.dataset)} slices")
for epoch in range(5):
    for ct, mask in loader:
        loss = F.binary_cross_entropy_with_logits(model(ct), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def liver(work, np, Image):
    rng = np.random.default_rng(1)
    for i in range(8):
        for s in ("slices", "masks"):
            (work / f"data/liver_ct/train/{s}").mkdir(parents=True, exist_ok=True)
        g = rng.integers(0, 255, (96, 96), dtype=np.uint8)
        # the export dialog wrote grey values into three identical RGB channels
        Image.fromarray(np.stack([g, g, g], -1)).save(work / f"data/liver_ct/train/slices/case07_{i:03d}.png")
        m = np.zeros((96, 96), np.uint8)
        m[30:70, 20:60] = 255
        Image.fromarray(m).save(work / f"data/liver_ct/train/masks/case07_{i:03d}.png")


# ============================================================ data.bbox_invalid
SCRIPTS["via-rect-width-height-read-as-corners-preview"] = '''
import json
import os

import torch
from torchvision.io import read_image, write_jpeg
from torchvision.utils import draw_bounding_boxes

# VGG Image Annotator (VIA 2) project export
with open("data/potholes/via_region_data.json") as f:
    via = json.load(f)

CLASSES = ["pothole", "crack"]
samples = []
for entry in via.values():
    boxes, labels = [], []
    for region in entry["regions"]:
        sa = region["shape_attributes"]
        x1, y1, x2, y2 = sa["x"], sa["y"], sa["width"], sa["height"]
        boxes.append([x1, y1, x2, y2])
        labels.append(CLASSES.index(region["region_attributes"]["type"]) + 1)
    samples.append((entry["filename"], torch.tensor(boxes, dtype=torch.float32), torch.tensor(labels)))
print(f"{len(samples)} annotated images")

# look at a few before training the Faster R-CNN
os.makedirs("preview", exist_ok=True)
for name, boxes, labels in samples[:4]:
    img = read_image(os.path.join("data/potholes/images", name))
    drawn = draw_bounding_boxes(img, boxes, labels=[CLASSES[l - 1] for l in labels], colors="yellow", width=2)
    write_jpeg(drawn, os.path.join("preview", name))
print("previews written to preview/")
'''


def potholes(work, np, Image):
    make_images(work, [(f"data/potholes/images/road_{i:03d}.jpg", (240, 180), "RGB") for i in range(5)])
    via = {}
    regions = [
        [(30, 40, 60, 35, "pothole")],
        [(20, 100, 50, 30, "crack"), (150, 60, 45, 40, "pothole")],
        [(70, 20, 80, 50, "pothole")],
        [(10, 10, 40, 40, "crack")],
        [(100, 90, 60, 60, "pothole")],
    ]
    for i, regs in enumerate(regions):
        name = f"road_{i:03d}.jpg"
        size = (work / "data/potholes/images" / name).stat().st_size
        via[f"{name}{size}"] = {
            "filename": name, "size": size, "file_attributes": {},
            "regions": [{"shape_attributes": {"name": "rect", "x": x, "y": y, "width": w, "height": h},
                         "region_attributes": {"type": t}} for x, y, w, h, t in regs],
        }
    (work / "data/potholes/via_region_data.json").write_text(json.dumps(via))


SCRIPTS["ssdlite-v2-randomioucrop-without-sanitize-tqdm"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import v2
from tqdm import tqdm

CLASSES = ["background", "insulator", "damper"]

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomPhotometricDistort(p=0.5),
    v2.RandomZoomOut(fill={tv_tensors.Image: (123, 117, 104), "others": 0}),
    v2.RandomIoUCrop(),
    v2.Resize((320, 320)),
    v2.RandomHorizontalFlip(p=0.5),
    v2.ToDtype(torch.float32, scale=True),
])


class PowerLine(Dataset):
    def __init__(self, ann_file, transforms):
        self.items = json.load(open(ann_file))
        self.transforms = transforms

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = Image.open(item["file"]).convert("RGB")
        boxes = tv_tensors.BoundingBoxes([o["bbox"] for o in item["objects"]], format="XYXY",
                                         canvas_size=(img.height, img.width))
        labels = torch.tensor([CLASSES.index(o["label"]) for o in item["objects"]])
        return self.transforms(img, {"boxes": boxes, "labels": labels})


def collate(batch):
    return tuple(zip(*batch))


torch.manual_seed(0)
loader = DataLoader(PowerLine("data/powerline/train.json", train_tf), batch_size=4, shuffle=True, collate_fn=collate)
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.015, momentum=0.9, weight_decay=4e-5)
model.train()
for epoch in range(30):
    for images, targets in tqdm(loader, desc=f"epoch {epoch}"):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def powerline(work, np, Image):
    make_images(work, [(f"data/powerline/images/tower_{i:03d}.jpg", (320, 240), "RGB") for i in range(8)])
    items = []
    for i in range(8):
        items.append({"file": f"data/powerline/images/tower_{i:03d}.jpg", "objects": [
            {"label": "insulator", "bbox": [20 + 3 * i, 30, 70 + 3 * i, 110]},
            {"label": "damper", "bbox": [230, 160 + i, 300, 220]},
            {"label": "insulator", "bbox": [140, 20, 175, 90 + i]},
        ]})
    (work / "data/powerline/train.json").write_text(json.dumps(items, indent=1))


# ============================================================ data.label_out_of_range
SCRIPTS["fcn-cityscapes-label-ids-not-train-ids"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import fcn_resnet50
from torchvision.transforms import functional as TF

NUM_CLASSES = 19          # the 19 Cityscapes evaluation classes
IGNORE = 255


class CityscapesFine(Dataset):
    def __init__(self, root, split="train"):
        self.images = sorted(glob.glob(os.path.join(root, "leftImg8bit", split, "*", "*_leftImg8bit.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img_path = self.images[i]
        mask_path = img_path.replace("leftImg8bit", "gtFine", 1).replace("_leftImg8bit.png", "_gtFine_labelIds.png")
        image = TF.to_tensor(Image.open(img_path).convert("RGB"))
        mask = torch.from_numpy(np.array(Image.open(mask_path), dtype=np.int64))
        return image, mask


ds = CityscapesFine("data/cityscapes")
print(f"{len(ds)} training images")
loader = DataLoader(ds, batch_size=2, shuffle=True)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss(ignore_index=IGNORE)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(2):
    for step, (images, masks) in enumerate(loader):
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step}: loss {loss.item():.4f}")
'''


def cityscapes(work, np, Image):
    rng = np.random.default_rng(2)
    for i in range(4):
        stem = f"aachen_{i:06d}_000019"
        d_img = work / "data/cityscapes/leftImg8bit/train/aachen"
        d_gt = work / "data/cityscapes/gtFine/train/aachen"
        d_img.mkdir(parents=True, exist_ok=True)
        d_gt.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (64, 128, 3), dtype=np.uint8)).save(d_img / f"{stem}_leftImg8bit.png")
        ids = np.zeros((64, 128), np.uint8)      # labelIds: 0 unlabeled
        ids[:16] = 23       # sky
        ids[16:32] = 11     # building
        ids[32:40, :40] = 21    # vegetation
        ids[40:] = 7        # road
        ids[40:, 100:] = 8  # sidewalk
        ids[36:52, 50:80] = 26  # car
        Image.fromarray(ids).save(d_gt / f"{stem}_gtFine_labelIds.png")


SCRIPTS["retinanet-class-dropped-from-classes-txt-labels-keep-id"] = '''
import glob
import os

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.models.detection import retinanet_resnet50_fpn

ROOT = "data/recycling"
# "glass" was removed from the list: too few examples to learn it
CLASSES = [c.strip() for c in open(os.path.join(ROOT, "classes.txt")) if c.strip()]
print("classes:", CLASSES)


class YoloTxt(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = read_image(self.images[i], ImageReadMode.RGB).float() / 255
        h, w = img.shape[1:]
        rows = [l.split() for l in open(self.images[i].replace("images", "labels").replace(".jpg", ".txt"))]
        labels = torch.tensor([int(r[0]) for r in rows])
        cx, cy, bw, bh = torch.tensor([[float(v) for v in r[1:]] for r in rows]).T
        boxes = torch.stack([(cx - bw / 2) * w, (cy - bh / 2) * h, (cx + bw / 2) * w, (cy + bh / 2) * h], 1)
        return img, {"boxes": boxes, "labels": labels}


loader = DataLoader(YoloTxt(ROOT), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                               min_size=240, max_size=320)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(10):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: " + ", ".join(f"{k} {v.item():.3f}" for k, v in losses.items()))
'''


def recycling(work, np, Image):
    make_images(work, [(f"data/recycling/images/bin_{i:03d}.jpg", (320, 240), "RGB") for i in range(4)])
    (work / "data/recycling/classes.txt").write_text("bottle\ncan\ncarton\n")
    rows = [
        ["0 0.25 0.40 0.30 0.45", "3 0.70 0.55 0.35 0.50"],
        ["1 0.50 0.50 0.40 0.40"],
        ["2 0.30 0.60 0.25 0.35", "0 0.75 0.30 0.30 0.40"],
        ["3 0.45 0.45 0.50 0.60"],
    ]
    (work / "data/recycling/labels").mkdir(parents=True, exist_ok=True)
    for i, r in enumerate(rows):
        (work / f"data/recycling/labels/bin_{i:03d}.txt").write_text("\n".join(r) + "\n")


SCRIPTS["wound-masks-0-255-two-class-lraspp-tqdm"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import functional as TF
from tqdm import tqdm


class FootUlcers(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = np.array(Image.open(self.images[i].replace("images", "labels")))
        return img, torch.from_numpy(mask).long()


loader = DataLoader(FootUlcers("data/wound/train"), batch_size=4, shuffle=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=2)   # background, wound
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    model.train()
    pbar = tqdm(loader, desc=f"Epoch {epoch + 1}/10")
    for images, masks in pbar:
        out = model(images)["out"]
        loss = criterion(out, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
'''


def wounds(work, np, Image):
    rng = np.random.default_rng(4)
    for i in range(8):
        for s in ("images", "labels"):
            (work / f"data/wound/train/{s}").mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(
            work / f"data/wound/train/images/{i:04d}.png")
        m = np.zeros((128, 128), np.uint8)
        m[40 + i:80, 50:90 - i] = 255          # exported by the annotation tool as 0 / 255
        Image.fromarray(m).save(work / f"data/wound/train/labels/{i:04d}.png")


# ============================================================ data.label_shape
SCRIPTS["landcover-v2-piltotensor-mask-channel-axis-ce"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2

CLASSES = ["water", "forest", "farmland", "urban"]

image_tf = v2.Compose([v2.ToImage(), v2.Resize((96, 96)), v2.ToDtype(torch.float32, scale=True)])
mask_tf = v2.Compose([v2.PILToTensor(), v2.Resize((96, 96), interpolation=v2.InterpolationMode.NEAREST)])


class LandCover(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png"))
        return image_tf(img), mask_tf(mask)


def cbr(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


model = nn.Sequential(
    cbr(3, 32), nn.MaxPool2d(2), cbr(32, 64), nn.MaxPool2d(2), cbr(64, 64),
    nn.Upsample(scale_factor=4, mode="bilinear", align_corners=False), cbr(64, 32), nn.Conv2d(32, len(CLASSES), 1),
)
loader = DataLoader(LandCover("data/landcover/train"), batch_size=4, shuffle=True)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(8):
    for images, masks in loader:
        loss = criterion(model(images), masks.long())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def landcover(work, np, Image):
    make_images(work, [(f"data/landcover/train/images/tile_{i:03d}.jpg", (128, 128), "RGB") for i in range(8)])
    (work / "data/landcover/train/masks").mkdir(parents=True, exist_ok=True)
    for i in range(8):
        m = np.zeros((128, 128), np.uint8)
        m[:64, :64], m[:64, 64:], m[64:, :64], m[64:, 64:] = 0, 1, 2, 3
        Image.fromarray(np.roll(m, 8 * i, axis=1)).save(work / f"data/landcover/train/masks/tile_{i:03d}.png")


SCRIPTS["roboflow-one-hot-classes-csv-flattened"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])


class RoboflowFolder(Dataset):
    """Roboflow "Multi-Label Classification" CSV export: filename, <one column per class>"""

    def __init__(self, split_dir):
        self.dir = split_dir
        with open(os.path.join(split_dir, "_classes.csv")) as f:
            reader = csv.reader(f)
            self.classes = [c.strip() for c in next(reader)[1:]]
            self.rows = [(r[0], [int(v) for v in r[1:]]) for r in reader]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, label = self.rows[i]
        img = Image.open(os.path.join(self.dir, name)).convert("RGB")
        return tf(img), torch.tensor(label)


train_ds = RoboflowFolder("data/eggs/train")
print("classes:", train_ds.classes)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for images, labels in loader:
        outputs = model(images)
        loss = criterion(outputs, labels.view(-1))       # CrossEntropyLoss wants 1-D targets
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def eggs(work, np, Image):
    names = [f"egg_{i:03d}_jpg.rf.{(i * 7919) % 100000:05d}a3e.jpg" for i in range(8)]
    make_images(work, [(f"data/eggs/train/{n}", (120, 120), "RGB") for n in names])
    lines = ["filename, cracked, intact"] + [f"{n},{int(i % 3 == 0)},{int(i % 3 != 0)}" for i, n in enumerate(names)]
    (work / "data/eggs/train/_classes.csv").write_text("\n".join(lines) + "\n")


SCRIPTS["v2-cutmix-given-labels-as-column-from-dataset"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision.transforms import v2

tf = v2.Compose([v2.ToImage(), v2.RandomResizedCrop(96, antialias=True), v2.ToDtype(torch.float32, scale=True)])
# labels as tensors too, so the whole batch can be moved with .to(device)
train_ds = datasets.ImageFolder("data/leaves/train", transform=tf, target_transform=lambda y: torch.tensor([y]))
NUM_CLASSES = len(train_ds.classes)
loader = DataLoader(train_ds, batch_size=4, shuffle=True, drop_last=True)

cutmix_or_mixup = v2.RandomChoice([v2.CutMix(num_classes=NUM_CLASSES), v2.MixUp(num_classes=NUM_CLASSES)])
model = models.resnet18(weights=None, num_classes=NUM_CLASSES)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for images, labels in loader:
        images, labels = cutmix_or_mixup(images, labels)
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ============================================================ model.input_shape
SCRIPTS["r3d18-clips-extracted-to-frames-dataset"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.models.video import r3d_18
from torchvision.transforms import v2

CLASSES = sorted(os.listdir("data/gym_actions/train"))
tf = v2.Compose([v2.Resize((112, 112)), v2.ToDtype(torch.float32, scale=True),
                 v2.Normalize([0.43216, 0.394666, 0.37645], [0.22803, 0.22145, 0.216989])])


class ActionFrames(Dataset):
    """data/gym_actions/train/<action>/<clip>/frame_XXXX.jpg, extracted with ffmpeg at 5 fps"""

    def __init__(self, root):
        self.samples = [(p, CLASSES.index(p.split(os.sep)[-3]))
                        for p in sorted(glob.glob(os.path.join(root, "*", "*", "*.jpg")))]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return tf(read_image(path, ImageReadMode.RGB)), label


loader = DataLoader(ActionFrames("data/gym_actions/train"), batch_size=4, shuffle=True)
model = r3d_18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
print(f"{len(loader.dataset)} samples, {len(CLASSES)} actions")
for epoch in range(5):
    for clips, labels in loader:
        loss = criterion(model(clips), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

GYM = [(f"data/gym_actions/train/{a}/{a}_clip{c:02d}/frame_{f:04d}.jpg", (128, 96), "RGB")
       for a in ["deadlift", "pushup", "squat"] for c in range(2) for f in range(4)]

SCRIPTS["resnet-avgpool-identity-spatial-head-validated-larger"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

TRAIN_SIZE = 128

train_tf = transforms.Compose([transforms.RandomResizedCrop(TRAIN_SIZE), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor()])
val_tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])   # more detail for validation

train_ds = datasets.ImageFolder("data/fabric/train", transform=train_tf)
val_ds = datasets.ImageFolder("data/fabric/val", transform=val_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)

model = models.resnet18(weights=None)
# defects are small and local: keep the 4x4 layout of the last feature map instead of averaging it away
model.avgpool = nn.Identity()
model.fc = nn.Linear(512 * (TRAIN_SIZE // 32) ** 2, len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(5):
    model.train()
    for x, y in train_loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    print(f"epoch {epoch}: loss {loss.item():.4f}, val acc {correct / len(val_ds):.3f}")
'''

FABRIC = (class_folder("data/fabric/train", ["hole", "ok", "stain"], 3, size=(150, 150))
          + class_folder("data/fabric/val", ["hole", "ok", "stain"], 1, size=(150, 150)))

# ============================================================ model.output_mismatch
SCRIPTS["maskrcnn-pear-added-box-predictor-replaced-mask-predictor-kept"] = '''
import glob
import json
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.ops import masks_to_boxes
from torchvision.transforms import functional as TF

CLASSES = ["apple", "pear"]          # pears added this season


class Orchard(Dataset):
    """images/*.png, instances/*.png (instance ids), classes.json {image: {instance id: class}}"""

    def __init__(self, root):
        self.root = root
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))
        self.classes = json.load(open(os.path.join(root, "classes.json")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        name = os.path.basename(self.images[i])
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        inst = torch.from_numpy(np.array(Image.open(os.path.join(self.root, "instances", name))).astype(np.int64))
        ids = inst.unique()[1:]
        masks = (inst[None] == ids[:, None, None]).to(torch.uint8)
        labels = torch.tensor([CLASSES.index(self.classes[name][str(int(k))]) + 1 for k in ids])
        return img, {"boxes": masks_to_boxes(masks), "labels": labels, "masks": masks}


# start from last season's apple model (background + apple) and add the new class
model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, min_size=160, max_size=240)
model.load_state_dict(torch.load("runs/apples/maskrcnn_apples_best.pth"))
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, len(CLASSES) + 1)

loader = DataLoader(Orchard("data/orchard"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def orchard(work, np, Image):
    rng = np.random.default_rng(5)
    classes = {}
    for s in ("images", "instances"):
        (work / f"data/orchard/{s}").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        name = f"row3_tree{i:02d}.png"
        Image.fromarray(rng.integers(0, 255, (180, 240, 3), dtype=np.uint8)).save(work / "data/orchard/images" / name)
        inst = np.zeros((180, 240), np.uint8)
        inst[30:90, 40:100] = 1
        inst[80:150, 140:210] = 2
        inst[20:60, 160:200] = 3
        Image.fromarray(inst).save(work / "data/orchard/instances" / name)
        classes[name] = {"1": "apple", "2": "pear", "3": "pear" if i % 2 else "apple"}
    (work / "data/orchard/classes.json").write_text(json.dumps(classes))


APPLES_CKPT = '''
import os, torch
from torchvision.models.detection import maskrcnn_resnet50_fpn
os.makedirs("runs/apples", exist_ok=True)
torch.save(maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2).state_dict(),
           "runs/apples/maskrcnn_apples_best.pth")
'''

SCRIPTS["fcn-two-class-head-under-bce-crack-masks"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.models.segmentation import fcn_resnet50


class Cracks(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = read_image(self.images[i], ImageReadMode.RGB).float() / 255
        mask = read_image(self.images[i].replace("images", "masks").replace(".jpg", ".png"), ImageReadMode.GRAY)
        return img, (mask > 127).float()


NUM_CLASSES = 2       # background, crack
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(5.0))    # cracks are thin: weight them up
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(Cracks("data/concrete/train"), batch_size=2, shuffle=True)
for epoch in range(10):
    model.train()
    for images, masks in loader:
        logits = model(images)["out"]
        loss = criterion(logits, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def concrete(work, np, Image):
    make_images(work, [(f"data/concrete/train/images/c_{i:04d}.jpg", (96, 96), "RGB") for i in range(4)])
    (work / "data/concrete/train/masks").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        m = np.zeros((96, 96), np.uint8)
        m[10:90, 45 + i:48 + i] = 255
        Image.fromarray(m).save(work / f"data/concrete/train/masks/c_{i:04d}.png")


# ============================================================ model.weights_mismatch
SCRIPTS["deeplab-backbone-offline-imagenet-resnet50-strict-load"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models.segmentation import deeplabv3_resnet50

# the cluster has no internet: the ImageNet weights were copied over by hand
BACKBONE_WEIGHTS = "pretrained/resnet50-0676ba61.pth"
NUM_CLASSES = 4   # background, bone, muscle, fat

model = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
state = torch.load(BACKBONE_WEIGHTS, map_location="cpu")
model.backbone.load_state_dict(state)
print("loaded ImageNet backbone from", BACKBONE_WEIGHTS)

data = TensorDataset(torch.rand(4, 3, 96, 96), torch.randint(0, NUM_CLASSES, (4, 96, 96)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for images, masks in DataLoader(data, batch_size=2):
    loss = nn.functional.cross_entropy(model(images)["out"], masks)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

RESNET50_PREP = '''
import os, torch, torchvision
os.makedirs("pretrained", exist_ok=True)
torch.save(torchvision.models.resnet50().state_dict(), "pretrained/resnet50-0676ba61.pth")
'''

SCRIPTS["resume-training-from-torchscript-export"] = '''
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="data/flowers")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--resume", default="")
args = parser.parse_args()

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder(f"{args.data}/train", transform=tf)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
if args.resume:
    state = torch.load(args.resume, map_location="cpu")
    model.load_state_dict(state)
    print("resumed from", args.resume)

optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
for epoch in range(args.epochs):
    for x, y in DataLoader(train_ds, batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), "flowers_resnet18.pth")
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

TS_EXPORT_PREP = '''
import os, torch, torchvision
os.makedirs("export", exist_ok=True)
m = torchvision.models.resnet18(num_classes=5).eval()
torch.jit.script(m).save("export/flowers_resnet18.pt")
'''

# ============================================================ data.missing_or_corrupt
SCRIPTS["imagefolder-over-camera-raw-dng-photos"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
print("loading data/owls ...")
train_ds = datasets.ImageFolder("data/owls/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def owls(work: Path):
    for k, owl in enumerate(["barn_owl", "little_owl", "tawny_owl"]):
        d = work / "data/owls/train" / owl
        d.mkdir(parents=True, exist_ok=True)
        for i in range(3):
            # Adobe DNG straight off the card: a TIFF container
            (d / f"IMG_{4100 + 10 * k + i}.DNG").write_bytes(b"II*\x00\x08\x00\x00\x00" + bytes(range(256)) * 8)


SCRIPTS["labelbox-ndjson-export-read-with-json-load"] = '''
import json
import os

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["background", "forklift", "person"]
ANNOTATIONS = "data/warehouse/export-labelbox.json"


class Warehouse(Dataset):
    def __init__(self, ann_file):
        with open(ann_file) as f:
            self.rows = json.load(f)
        print(f"{len(self.rows)} labelled images")

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        img = read_image(os.path.join("data/warehouse/images", row["data_row"]["external_id"]), ImageReadMode.RGB)
        boxes, labels = [], []
        for obj in row["objects"]:
            b = obj["bounding_box"]
            boxes.append([b["left"], b["top"], b["left"] + b["width"], b["top"] + b["height"]])
            labels.append(CLASSES.index(obj["name"]))
        return img.float() / 255, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


dataset = Warehouse(ANNOTATIONS)
loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def warehouse(work: Path):
    make_images(work, [(f"data/warehouse/images/cam2_{i:05d}.jpg", (320, 240), "RGB") for i in range(3)])
    lines = []
    for i in range(3):
        lines.append(json.dumps({
            "data_row": {"id": f"clx{i:04d}q8", "external_id": f"cam2_{i:05d}.jpg"},
            "media_attributes": {"height": 240, "width": 320},
            "objects": [{"name": "forklift", "bounding_box": {"top": 40, "left": 30 + i, "height": 120, "width": 150}},
                        {"name": "person", "bounding_box": {"top": 60, "left": 220, "height": 150, "width": 50}}],
        }))
    # Labelbox exports NDJSON (one JSON object per line); saved here as .json
    (work / "data/warehouse/export-labelbox.json").write_text("\n".join(lines) + "\n")


SCRIPTS["seg-masks-missing-for-images-still-being-annotated-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


class Polyps(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        print(f"found {len(self.images)} frames")

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((96, 96))
        mask_path = self.images[i].replace("images", "masks").replace(".jpg", ".png")
        mask = Image.open(mask_path).resize((96, 96), Image.NEAREST)
        return TF.to_tensor(img), torch.from_numpy((np.array(mask) > 0).astype(np.float32))[None]


def main():
    torch.manual_seed(0)
    loader = DataLoader(Polyps("data/colonoscopy"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                          nn.Conv2d(16, 1, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for images, masks in loader:
            loss = nn.functional.binary_cross_entropy_with_logits(model(images), masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def polyps(work, np, Image):
    make_images(work, [(f"data/colonoscopy/images/seq04_{i:05d}.jpg", (128, 112), "RGB") for i in range(12)])
    (work / "data/colonoscopy/masks").mkdir(parents=True, exist_ok=True)
    for i in range(7):           # the annotators are at frame 7 of 12
        m = np.zeros((112, 128), np.uint8)
        m[30:70, 40:90] = 255
        Image.fromarray(m).save(work / f"data/colonoscopy/masks/seq04_{i:05d}.png")


# ============================================================ data.too_few_boxes
SCRIPTS["anchor-kmeans-for-anchor-generator-on-pilot-set"] = '''
import glob

import numpy as np
import torch
from torchvision.models.detection.anchor_utils import AnchorGenerator

# pilot annotations: images/<name>.jpg + labels/<name>.txt (class x1 y1 x2 y2, pixels)
wh = []
for path in sorted(glob.glob("data/pilot/labels/*.txt")):
    for row in np.loadtxt(path, ndmin=2):
        wh.append([row[3] - row[1], row[4] - row[2]])
wh = np.array(wh)
print(f"{len(wh)} boxes from {len(glob.glob('data/pilot/labels/*.txt'))} images")


def iou_wh(boxes, centroids):
    inter = np.minimum(boxes[:, None, 0], centroids[None, :, 0]) * np.minimum(boxes[:, None, 1], centroids[None, :, 1])
    union = boxes[:, 0:1] * boxes[:, 1:2] + (centroids[:, 0] * centroids[:, 1])[None] - inter
    return inter / union


def kmeans_anchors(boxes, k=9, iters=300, seed=0):
    rng = np.random.default_rng(seed)
    centroids = boxes[rng.choice(len(boxes), k, replace=False)]
    for _ in range(iters):
        assign = np.argmax(iou_wh(boxes, centroids), axis=1)
        new = np.array([np.median(boxes[assign == j], axis=0) for j in range(k)])
        if np.allclose(new, centroids):
            break
        centroids = new
    return centroids[np.argsort(centroids.prod(1))]


anchors = kmeans_anchors(wh, k=9)
sizes = tuple((int(np.sqrt(a[0] * a[1])),) for a in anchors[::3])
ratios = tuple(tuple(float(a[1] / a[0]) for a in anchors[i:i + 3]) for i in range(0, 9, 3))
print("sizes", sizes, "ratios", ratios)
torch.save({"sizes": sizes, "aspect_ratios": ratios}, "anchors.pt")
AnchorGenerator(sizes, ratios)
'''


def pilot(work: Path):
    make_images(work, [(f"data/pilot/images/p{i}.jpg", (320, 240), "RGB") for i in range(4)])
    rows = [["0 40 50 120 130", "0 200 60 260 150"], ["1 30 30 90 200"], ["0 100 80 180 160"],
            ["1 10 20 70 220", "0 150 40 230 120"]]
    d = work / "data/pilot/labels"
    d.mkdir(parents=True, exist_ok=True)
    for i, r in enumerate(rows):
        (d / f"p{i}.txt").write_text("\n".join(r) + "\n")


# ============================================================ env.version_incompat
SCRIPTS["old-color-augment-np-cast-float32"] = '''
import glob
import os
import random

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models


# --- augmentations.py from the 2018 SSD port this project started from ---
class RandomBrightness:
    def __init__(self, delta=32):
        self.delta = delta

    def __call__(self, image):
        if random.randint(0, 1):
            image = np.cast["float32"](image)
            image += random.uniform(-self.delta, self.delta)
            image = np.clip(image, 0, 255)
        return image


class Mushrooms(Dataset):
    def __init__(self, root, aug):
        self.items = [(p, i) for i, c in enumerate(sorted(os.listdir(root)))
                      for p in sorted(glob.glob(os.path.join(root, c, "*.jpg")))]
        self.aug = aug

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = np.asarray(Image.open(path).convert("RGB").resize((96, 96)), dtype=np.uint8)
        img = self.aug(img)
        return torch.from_numpy(np.ascontiguousarray(img, dtype=np.float32) / 255).permute(2, 0, 1), label


random.seed(0)
loader = DataLoader(Mushrooms("data/mushrooms/train", RandomBrightness()), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SEG_HEAD_MODULE = '''
"""Lightweight segmentation model: MobileNetV2 features + a small decoder (from our 2020 repo)."""
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import mobilenet_v2
from torchvision.models.mobilenetv2 import ConvBNReLU, InvertedResidual


class MobileSeg(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.encoder = mobilenet_v2(weights=None).features
        self.decoder = nn.Sequential(
            InvertedResidual(1280, 128, stride=1, expand_ratio=1),
            ConvBNReLU(128, 64, kernel_size=3),
            nn.Conv2d(64, num_classes, 1),
        )

    def forward(self, x):
        out = self.decoder(self.encoder(x))
        return F.interpolate(out, size=x.shape[-2:], mode="bilinear", align_corners=False)
'''

SCRIPTS["mobile-seg-imports-convbnrelu-from-torchvision"] = '''
import torch
import torch.nn as nn

from models.mobile_seg import MobileSeg

NUM_CLASSES = 3
model = MobileSeg(NUM_CLASSES)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
images, masks = torch.rand(2, 3, 128, 128), torch.randint(0, NUM_CLASSES, (2, 128, 128))
for step in range(10):
    loss = nn.functional.cross_entropy(model(images), masks)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, loss.item())
'''

SCRIPTS["predict-checkpoint-holds-numpy-mean-std"] = '''
import sys

import torch
from PIL import Image
from torchvision import models, transforms

ckpt = torch.load("runs/pets/best.pth", map_location="cpu")
classes = ckpt["classes"]
model = models.resnet18(weights=None, num_classes=len(classes))
model.load_state_dict(ckpt["model"])
model.eval()

tf = transforms.Compose([
    transforms.Resize((128, 128)),
    transforms.ToTensor(),
    transforms.Normalize(ckpt["mean"].tolist(), ckpt["std"].tolist()),   # statistics of our own data set
])
for path in sys.argv[1:]:
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        p = model(x).softmax(1)[0]
    print(path, classes[p.argmax()], f"{p.max():.2f}")
'''

PETS_CKPT = '''
import os, numpy as np, torch, torchvision
os.makedirs("runs/pets", exist_ok=True)
m = torchvision.models.resnet18(num_classes=3)
torch.save({"model": m.state_dict(), "classes": ["cat", "dog", "rabbit"], "epoch": 17,
            "mean": np.array([0.512, 0.471, 0.405]), "std": np.array([0.262, 0.251, 0.258])},
           "runs/pets/best.pth")
'''

# ============================================================ model.api_misuse
CELLS["random-split-generator-given-seed-int-notebook"] = [
    '''
import torch
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, models, transforms

SEED = 42
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
full_ds = datasets.ImageFolder("data/coins", transform=tf)
print(len(full_ds), full_ds.classes)
''',
    '''
# reproducible 80 / 20 split
train_ds, val_ds = random_split(full_ds, [0.8, 0.2], generator=SEED)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)
print(len(train_ds), len(val_ds))
''',
]

SCRIPTS["seg-config-json-ignore-index-null"] = '''
import glob
import json
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import functional as TF

with open("configs/kelp.json") as f:
    cfg = json.load(f)
print("config:", cfg)


class Kelp(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = np.array(Image.open(self.images[i].replace("images", "masks")), dtype=np.int64)
        return img, torch.from_numpy(mask)


model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=cfg["num_classes"])
criterion = nn.CrossEntropyLoss(ignore_index=cfg["ignore_index"])
optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
loader = DataLoader(Kelp(cfg["data"]), batch_size=cfg["batch_size"], shuffle=True)
for epoch in range(cfg["epochs"]):
    model.train()
    for images, masks in loader:
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

KELP_CFG = json.dumps({"data": "data/kelp/train", "num_classes": 3, "ignore_index": None, "lr": 0.0005,
                       "weight_decay": 0.01, "batch_size": 4, "epochs": 30}, indent=2) + "\n"


def kelp(work, np, Image):
    rng = np.random.default_rng(6)
    for s in ("images", "masks"):
        (work / f"data/kelp/train/{s}").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(work / f"data/kelp/train/images/k{i}.png")
        m = np.zeros((96, 96), np.uint8)
        m[20:50, 20:60], m[60:90, 30:80] = 1, 2
        Image.fromarray(m).save(work / f"data/kelp/train/masks/k{i}.png")


# ============================================================ data.dtype
SCRIPTS["v2-toimage-migration-without-todtype"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision.transforms import v2

# moved to transforms v2: ToTensor() is deprecated, ToImage() replaces it
train_tf = v2.Compose([
    v2.RandomResizedCrop(112, antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ToImage(),
])
train_ds = datasets.ImageFolder("data/skin_lesions/train", transform=train_tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.efficientnet_b0(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(5):
    model.train()
    for images, labels in loader:
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["noisy-labels-prediction-ema-lerp-after-cpu-bf16-autocast"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, models, transforms


class Indexed(Dataset):
    def __init__(self, ds):
        self.ds = ds

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        x, y = self.ds[i]
        return x, y, i


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
base = datasets.ImageFolder("data/webly_food/train", transform=tf)      # scraped, labels are noisy
ds = Indexed(base)
loader = DataLoader(ds, batch_size=4, shuffle=True)
num_classes = len(base.classes)
model = models.resnet18(weights=None, num_classes=num_classes)
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)

# running average of each sample's predicted distribution (temporal ensembling / label correction)
ema_pred = torch.full((len(ds), num_classes), 1.0 / num_classes)
alpha = 0.7

for epoch in range(10):
    for images, labels, idx in loader:
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):      # mixed precision on the CPU box
            logits = model(images)
            probs = logits.softmax(1)
            soft = alpha * ema_pred[idx] + (1 - alpha) * F.one_hot(labels, num_classes)
            loss = torch.sum(-soft * F.log_softmax(logits, 1), 1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ema_pred[idx] = ema_pred[idx].lerp(probs.detach(), 1 - alpha)
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ============================================================ env.cuda_setup
SCRIPTS["cutmix-helper-from-kaggle-kernel-hardcoded-cuda"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("training on", device)


# ---- cutmix helpers copied from a Kaggle kernel ----
def rand_bbox(size, lam):
    W, H = size[2], size[3]
    cut_rat = np.sqrt(1.0 - lam)
    cut_w, cut_h = int(W * cut_rat), int(H * cut_rat)
    cx, cy = np.random.randint(W), np.random.randint(H)
    return (np.clip(cx - cut_w // 2, 0, W), np.clip(cy - cut_h // 2, 0, H),
            np.clip(cx + cut_w // 2, 0, W), np.clip(cy + cut_h // 2, 0, H))


def cutmix(data, target, alpha=1.0):
    lam = np.random.beta(alpha, alpha)
    index = torch.randperm(data.size(0)).cuda()
    bbx1, bby1, bbx2, bby2 = rand_bbox(data.size(), lam)
    data[:, :, bbx1:bbx2, bby1:bby2] = data[index, :, bbx1:bbx2, bby1:bby2]
    lam = 1 - ((bbx2 - bbx1) * (bby2 - bby1) / (data.size(-1) * data.size(-2)))
    return data, target, target[index], lam


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/cassava/train", transform=tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(5):
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        if np.random.rand() < 0.5:
            images, ya, yb, lam = cutmix(images, labels)
            out = model(images)
            loss = lam * criterion(out, ya) + (1 - lam) * criterion(out, yb)
        else:
            loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ============================================================ resource.host_memory
SCRIPTS["maskrcnn-dense-nuclei-float-masks-rlimit"] = '''
import glob
import os
import resource

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.ops import masks_to_boxes
from torchvision.transforms import functional as TF

# the shared workstation caps each job at 1.5 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (int(1.5 * 1024 ** 3), hard))


class Nuclei(Dataset):
    """images/*.png + labels/*.png (16-bit instance label maps from the annotation tool)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        inst = torch.from_numpy(np.array(Image.open(self.images[i].replace("images", "labels"))).astype(np.int64))
        ids = inst.unique()[1:]
        masks = (inst[None] == ids[:, None, None]).float()
        return img, {"boxes": masks_to_boxes(masks), "labels": torch.ones(len(ids), dtype=torch.int64),
                     "masks": masks}


ds = Nuclei("data/nuclei/train")
print(f"{len(ds)} tiles")
loader = DataLoader(ds, batch_size=1, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, box_detections_per_img=800)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for images, targets in loader:
    loss = sum(model(list(images), list(targets)).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def nuclei(work, np, Image):
    rng = np.random.default_rng(7)
    for s in ("images", "labels"):
        (work / f"data/nuclei/train/{s}").mkdir(parents=True, exist_ok=True)
    H = W = 1024
    Image.fromarray(rng.integers(0, 255, (H, W, 3), dtype=np.uint8)).save(work / "data/nuclei/train/images/slide03_tile00.png")
    lab = np.zeros((H, W), np.uint16)
    k = 0
    for y in range(12, H - 12, 40):
        for x in range(12, W - 12, 40):
            k += 1
            lab[y:y + 20, x:x + 20] = k          # ~650 nuclei in one tile
    Image.fromarray(lab).save(work / "data/nuclei/train/labels/slide03_tile00.png")


# ============================================================ env.multiprocessing
SCRIPTS["packed-crops-mmap-dataset-spawn-workers"] = '''
import mmap

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models

SIZE = 64


class PackedCrops(Dataset):
    """all crops packed into one uint8 file (N x 64 x 64 x 3) so an epoch is one sequential read"""

    def __init__(self, bin_path, label_path):
        self.labels = np.load(label_path)
        with open(bin_path, "rb") as f:
            self.buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        n = SIZE * SIZE * 3
        crop = np.frombuffer(self.buf, dtype=np.uint8, count=n, offset=i * n).reshape(SIZE, SIZE, 3)
        return torch.from_numpy(crop.copy()).permute(2, 0, 1).float() / 255, int(self.labels[i])


def main():
    ds = PackedCrops("data/pack/train_crops.u8", "data/pack/train_labels.npy")
    loader = DataLoader(ds, batch_size=16, shuffle=True, num_workers=2,
                        multiprocessing_context="spawn", persistent_workers=True)
    model = models.resnet18(weights=None, num_classes=4)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

PACK_PREP = '''
import os, numpy as np
os.makedirs("data/pack", exist_ok=True)
rng = np.random.default_rng(0)
rng.integers(0, 255, (64, 64, 64, 3), dtype=np.uint8).tofile("data/pack/train_crops.u8")
np.save("data/pack/train_labels.npy", rng.integers(0, 4, 64))
'''

SCRIPTS["pseudo-label-dataset-holds-torchscript-teacher-spawn"] = '''
import glob

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])


class PseudoLabelled(Dataset):
    """unlabelled camera-trap images, labelled on the fly by the exported teacher"""

    def __init__(self, pattern, teacher_path, threshold=0.0):
        self.files = sorted(glob.glob(pattern))
        self.teacher = torch.jit.load(teacher_path).eval()
        self.threshold = threshold

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x = tf(Image.open(self.files[i]).convert("RGB"))
        with torch.no_grad():
            p = self.teacher(x[None]).softmax(1)[0]
        return x, int(p.argmax()), float(p.max())


def main():
    ds = PseudoLabelled("data/trap_unlabelled/*.jpg", "export/teacher_resnet34_scripted.pt")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    student = models.resnet18(weights=None, num_classes=5)
    optimizer = torch.optim.SGD(student.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        for x, y, conf in loader:
            loss = (nn.functional.cross_entropy(student(x), y, reduction="none") * conf).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    mp.set_start_method("spawn")      # workers must not inherit the teacher's OpenMP threads
    main()
'''

TEACHER_PREP = '''
import os, torch, torchvision
os.makedirs("export", exist_ok=True)
torch.jit.script(torchvision.models.resnet34(num_classes=5).eval()).save("export/teacher_resnet34_scripted.pt")
'''

# ============================================================ env.distributed
SCRIPTS["ddp-barrier-only-in-rank0-checkpoint-block"] = '''
import datetime
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


def build_model():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(16, 4))


def run(rank, world_size):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29653")
    dist.init_process_group("gloo", rank=rank, world_size=world_size, timeout=datetime.timedelta(seconds=30))
    torch.manual_seed(0)
    ds = TensorDataset(torch.rand(64, 3, 32, 32), torch.randint(0, 4, (64,)))
    sampler = DistributedSampler(ds, num_replicas=world_size, rank=rank)
    loader = DataLoader(ds, batch_size=8, sampler=sampler)
    model = DDP(build_model())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    best = float("inf")
    for epoch in range(5):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if rank == 0:
            print(f"epoch {epoch}: loss {loss.item():.4f}", flush=True)
            if loss.item() < best:
                best = loss.item()
                torch.save(model.module.state_dict(), "best.pt")
                dist.barrier()      # make sure the file is written before anyone reads it
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(run, args=(2,), nprocs=2)
'''

# ============================================================ optim.divergence
SCRIPTS["face-landmarks-pixel-targets-nme-after-procrustes"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from scipy.linalg import orthogonal_procrustes
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])


class Landmarks(Dataset):
    """faces/*.jpg (96x96) + landmarks.csv: file, then x, y of eyes, nose tip and mouth corners in pixels"""

    def __init__(self, csv_path):
        with open(csv_path) as f:
            rows = list(csv.reader(f))[1:]
        self.items = [(r[0], np.array(r[1:], dtype=np.float32)) for r in rows]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, pts = self.items[i]
        return tf(Image.open(path).convert("RGB")), torch.from_numpy(pts)


def nme_aligned(pred, gt):
    """normalised mean error after a rigid (Procrustes) alignment of the 5 points"""
    p, g = pred.reshape(-1, 2), gt.reshape(-1, 2)
    p, g = p - p.mean(0), g - g.mean(0)
    R, _ = orthogonal_procrustes(p, g)
    return np.linalg.norm(p @ R - g, axis=1).mean() / np.linalg.norm(g[0] - g[1])


ds = Landmarks("data/faces/landmarks.csv")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=10)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(4):
    model.train()
    for x, y in loader:
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: train mse {loss.item():.2f}")
    model.eval()
    with torch.no_grad():
        errs = [nme_aligned(model(x[None])[0].numpy(), y.numpy()) for x, y in ds]
    print(f"epoch {epoch}: NME (aligned) {np.mean(errs):.4f}")
'''


def faces(work, np, Image):
    make_images(work, [(f"data/faces/f_{i:04d}.jpg", (96, 96), "RGB") for i in range(24)])
    rng = np.random.default_rng(8)
    lines = ["file,lex,ley,rex,rey,nx,ny,lmx,lmy,rmx,rmy"]
    for i in range(24):
        base = np.array([30, 38, 66, 38, 48, 55, 34, 72, 62, 72], dtype=float) + rng.normal(0, 2, 10)
        lines.append(f"data/faces/f_{i:04d}.jpg," + ",".join(f"{v:.1f}" for v in base))
    (work / "data/faces/landmarks.csv").write_text("\n".join(lines) + "\n")


SCRIPTS["cell-diameter-regressor-rescale-val-images-cv2"] = '''
import csv

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models

TARGET_DIAMETER = 30.0      # the segmentation net was trained on cells of ~30 px


class Diameters(Dataset):
    """crops/*.png + diameters.csv (median cell diameter in pixels, measured on the masks)"""

    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = [(r["file"], float(r["diameter"])) for r in csv.DictReader(f)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, d = self.rows[i]
        img = cv2.imread(path, cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255
        return torch.from_numpy(img)[None].repeat(3, 1, 1), torch.tensor([d])


ds = Diameters("data/cells/diameters.csv")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(3):
    model.train()
    for x, d in loader:
        loss = nn.functional.mse_loss(model(x), d)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: mse {loss.item():.3f}")
    # rescale the validation crops the way the segmentation pipeline will
    model.eval()
    for path, _ in ds.rows[:4]:
        img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        x = torch.from_numpy(img.astype(np.float32) / 255)[None, None].repeat(1, 3, 1, 1)
        with torch.no_grad():
            diam = model(x).item()
        scale = TARGET_DIAMETER / diam
        rescaled = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
        print(f"{path}: predicted diameter {diam:.1f} px -> {rescaled.shape}")
'''


def cells(work, np, Image):
    make_images(work, [(f"data/cells/crops/c{i:03d}.png", (96, 96), "L") for i in range(24)])
    rng = np.random.default_rng(9)
    lines = ["file,diameter"] + [f"data/cells/crops/c{i:03d}.png,{rng.uniform(12, 48):.1f}" for i in range(24)]
    (work / "data/cells/diameters.csv").write_text("\n".join(lines) + "\n")


# ============================================================ optim.autograd_graph
SCRIPTS["unet-dice-loss-on-thresholded-predictions"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image


class Lungs(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x = read_image(self.images[i], ImageReadMode.GRAY).float() / 255
        y = (read_image(self.images[i].replace("images", "masks"), ImageReadMode.GRAY) > 0).float()
        return x, y


def dice_loss(pred, target, eps=1.0):
    inter = (pred * target).sum((1, 2, 3))
    return 1 - ((2 * inter + eps) / (pred.sum((1, 2, 3)) + target.sum((1, 2, 3)) + eps)).mean()


model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 1, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(Lungs("data/chest_xray"), batch_size=4, shuffle=True)
for epoch in range(10):
    for x, y in loader:
        pred = (torch.sigmoid(model(x)) > 0.5).float()      # optimise the Dice we report
        loss = dice_loss(pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: dice loss {loss.item():.4f}")
'''


def lungs(work, np, Image):
    make_images(work, [(f"data/chest_xray/images/p{i:03d}.png", (96, 96), "L") for i in range(4)])
    (work / "data/chest_xray/masks").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        m = np.zeros((96, 96), np.uint8)
        m[20:80, 10:40], m[20:80, 56:86] = 255, 255
        Image.fromarray(m).save(work / f"data/chest_xray/masks/p{i:03d}.png")


# ============================================================ other
CELLS["evaluate-returns-loss-and-acc-formatted-as-float-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/pasta/train", transform=tf)
val_ds = datasets.ImageFolder("data/pasta/val", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)
model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
def evaluate(model, loader):
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            total_loss += criterion(out, y).item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
            n += len(y)
    return total_loss / n, correct / n
''',
    '''
for epoch in range(3):
    model.train()
    for x, y in train_loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    val_acc = evaluate(model, val_loader)
    print(f"epoch {epoch + 1}: train loss {loss.item():.4f}, val acc {val_acc:.3f}")
''',
]

SCRIPTS["run-dir-pathlib-plus-string-checkpoint-name"] = '''
import time
from pathlib import Path

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

DATA = Path("data/sign_language")
RUN_DIR = Path("runs") / time.strftime("%Y%m%d")
RUN_DIR.mkdir(parents=True, exist_ok=True)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder(DATA / "train", transform=tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(1, 6):
    model.train()
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
    ckpt_path = RUN_DIR + f"/epoch_{epoch:03d}.pt"
    torch.save({"epoch": epoch, "model": model.state_dict()}, ckpt_path)
'''


# ============================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more33-", SCRIPTS, CELLS)
    W = ["cpython_basic", "dataloader_worker"]
    P = ["cpython_basic", "progress_bars?"]
    M = ["cpython_basic", "multiline_message"]

    # ------------------------------------------------------------- data.image_size_mismatch
    script("feeder-photos-resize-size-in-parens-is-int", "data.image_size_mismatch", setup=feeder_setup)
    script("deeplab-v2-scalejitter-from-detection-recipe-workers", "data.image_size_mismatch", forms=W,
           setup=np_setup(weedfield), timeout=400)
    script("unet-val-tiles-padded-to-32-cat-for-dataset-dice", "data.image_size_mismatch", setup=np_setup(roofs))

    # ----------------------------------------------------------------- data.image_channels
    notebook("ultrasound-overlay-draw-segmentation-masks-gray-frame-notebook", "data.image_channels",
             files={"thyroid_net.py": THYROID_NET},
             setup=both(imgs([(f"scans/patient_12/frame_{i:03d}.png", (128, 96), "L") for i in range(3)]),
                        prep("import os, torch\nfrom thyroid_net import build_net\nos.makedirs('runs', exist_ok=True)\n"
                             "torch.save(build_net().state_dict(), 'runs/thyroid_unet_best.pt')\n")))
    script("ct-slices-exported-rgb-png-one-channel-unet", "data.image_channels", setup=np_setup(liver))

    # ------------------------------------------------------------------- data.bbox_invalid
    script("via-rect-width-height-read-as-corners-preview", "data.bbox_invalid", setup=np_setup(potholes))
    script("ssdlite-v2-randomioucrop-without-sanitize-tqdm", "data.bbox_invalid", forms=P,
           setup=np_setup(powerline), timeout=400)

    # ------------------------------------------------------------- data.label_out_of_range
    script("fcn-cityscapes-label-ids-not-train-ids", "data.label_out_of_range", setup=np_setup(cityscapes))
    script("retinanet-class-dropped-from-classes-txt-labels-keep-id", "data.label_out_of_range",
           setup=np_setup(recycling), timeout=400)
    script("wound-masks-0-255-two-class-lraspp-tqdm", "data.label_out_of_range", forms=P, setup=np_setup(wounds))

    # ------------------------------------------------------------------- data.label_shape
    script("landcover-v2-piltotensor-mask-channel-axis-ce", "data.label_shape", setup=np_setup(landcover))
    script("roboflow-one-hot-classes-csv-flattened", "data.label_shape", setup=np_setup(eggs))
    script("v2-cutmix-given-labels-as-column-from-dataset", "data.label_shape",
           setup=imgs(class_folder("data/leaves/train", ["angular_spot", "bean_rust", "healthy"], 3, size=(120, 120))))

    # ------------------------------------------------------------------ model.input_shape
    script("r3d18-clips-extracted-to-frames-dataset", "model.input_shape", setup=imgs(GYM), timeout=400)
    script("resnet-avgpool-identity-spatial-head-validated-larger", "model.input_shape", setup=imgs(FABRIC))

    # --------------------------------------------------------------- model.output_mismatch
    script("maskrcnn-pear-added-box-predictor-replaced-mask-predictor-kept", "model.output_mismatch",
           setup=both(np_setup(orchard), prep(APPLES_CKPT)), timeout=400)
    script("fcn-two-class-head-under-bce-crack-masks", "model.output_mismatch", also=["data.label_shape"],
           setup=np_setup(concrete))

    # -------------------------------------------------------------- model.weights_mismatch
    script("deeplab-backbone-offline-imagenet-resnet50-strict-load", "model.weights_mismatch", forms=M,
           setup=prep(RESNET50_PREP))
    script("resume-training-from-torchscript-export", "model.weights_mismatch",
           args=("--resume", "export/flowers_resnet18.pt"),
           setup=both(imgs(class_folder("data/flowers/train", ["daisy", "rose", "tulip"], 2, size=(100, 100))),
                      prep(TS_EXPORT_PREP)))

    # -------------------------------------------------------------- data.missing_or_corrupt
    script("imagefolder-over-camera-raw-dng-photos", "data.missing_or_corrupt", setup=owls)
    script("labelbox-ndjson-export-read-with-json-load", "data.missing_or_corrupt", setup=warehouse)
    script("seg-masks-missing-for-images-still-being-annotated-workers", "data.missing_or_corrupt", forms=W,
           setup=np_setup(polyps))

    # ------------------------------------------------------------------ data.too_few_boxes
    script("anchor-kmeans-for-anchor-generator-on-pilot-set", "data.too_few_boxes", argv="compute_anchors.py",
           setup=pilot)

    # -------------------------------------------------------------- env.version_incompat
    script("old-color-augment-np-cast-float32", "env.version_incompat",
           setup=imgs(class_folder("data/mushrooms/train", ["chanterelle", "morel", "porcini"], 3, size=(110, 100))))
    script("mobile-seg-imports-convbnrelu-from-torchvision", "env.version_incompat",
           extra={"models/__init__.py": "", "models/mobile_seg.py": SEG_HEAD_MODULE})
    script("predict-checkpoint-holds-numpy-mean-std", "env.version_incompat", forms=M, argv="predict.py",
           args=("samples/IMG_0412.jpg",),
           setup=both(imgs([("samples/IMG_0412.jpg", (160, 120), "RGB")]), prep(PETS_CKPT)))

    # ------------------------------------------------------------------- model.api_misuse
    notebook("random-split-generator-given-seed-int-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/coins", ["1c", "2c", "5c", "10c"], 3, size=(80, 80))))
    script("seg-config-json-ignore-index-null", "model.api_misuse", extra={"configs/kelp.json": KELP_CFG},
           setup=np_setup(kelp))

    # ------------------------------------------------------------------------ data.dtype
    script("v2-toimage-migration-without-todtype", "data.dtype",
           setup=imgs(class_folder("data/skin_lesions/train", ["benign", "malignant"], 3, size=(140, 120))))
    script("noisy-labels-prediction-ema-lerp-after-cpu-bf16-autocast", "data.dtype",
           setup=imgs(class_folder("data/webly_food/train", ["dumpling", "pizza", "ramen"], 3, size=(100, 100))))

    # -------------------------------------------------------------------- env.cuda_setup
    script("cutmix-helper-from-kaggle-kernel-hardcoded-cuda", "env.cuda_setup",
           setup=imgs(class_folder("data/cassava/train", ["cbb", "cbsd", "healthy"], 4, size=(100, 100))))

    # ---------------------------------------------------------------- resource.host_memory
    script("maskrcnn-dense-nuclei-float-masks-rlimit", "resource.host_memory", setup=np_setup(nuclei),
           timeout=400)

    # ----------------------------------------------------------------- env.multiprocessing
    script("packed-crops-mmap-dataset-spawn-workers", "env.multiprocessing", setup=prep(PACK_PREP))
    script("pseudo-label-dataset-holds-torchscript-teacher-spawn", "env.multiprocessing",
           setup=both(imgs([(f"data/trap_unlabelled/IMG_{i:04d}.jpg", (120, 90), "RGB") for i in range(8)]),
                      prep(TEACHER_PREP)))

    # -------------------------------------------------------------------- env.distributed
    script("ddp-barrier-only-in-rank0-checkpoint-block", "env.distributed", timeout=300)

    # ------------------------------------------------------------------- optim.divergence
    script("face-landmarks-pixel-targets-nme-after-procrustes", "optim.divergence", setup=np_setup(faces))
    script("cell-diameter-regressor-rescale-val-images-cv2", "optim.divergence", setup=np_setup(cells))

    # ---------------------------------------------------------------- optim.autograd_graph
    script("unet-dice-loss-on-thresholded-predictions", "optim.autograd_graph", setup=np_setup(lungs))

    # ----------------------------------------------------------------------------- other
    notebook("evaluate-returns-loss-and-acc-formatted-as-float-notebook", "other",
             setup=imgs(class_folder("data/pasta/train", ["farfalle", "fusilli", "penne"], 2, size=(80, 80))
                        + class_folder("data/pasta/val", ["farfalle", "fusilli", "penne"], 1, size=(80, 80))))
    script("run-dir-pathlib-plus-string-checkpoint-name", "other",
           setup=imgs(class_folder("data/sign_language/train", ["A", "B", "C"], 2, size=(64, 64))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
