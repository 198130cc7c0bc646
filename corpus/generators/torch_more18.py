"""An eighteenth held-out set of PyTorch / torchvision failures, none of them a
repeat of the other generators' scenarios, following beginners who train
torchvision detectors and segmentation models (Faster R-CNN, RetinaNet, SSD,
Mask R-CNN, DeepLab / LR-ASPP) on their own data.

Target dicts and masks: labels filtered to the wanted classes while the boxes
are not, an exported annotation whose label list is one short (RetinaNet,
notebook), Mask R-CNN masks kept as a Python list, instance ids taken from
``range(max)`` when one id was deleted in the labelling tool, the mask predictor
sized from the box head, a cv2 grayscale thermal frame and an unpermuted HWC
frame given to Faster R-CNN.
Transforms: ``tv_tensors.BoundingBoxes`` given ``canvas_size=img.size`` (W, H),
masks exported at half resolution, the PennFudan tutorial's ``T.Compose(img,
target)`` taken from torchvision.transforms (v1), a v1 flip inside a v2
Compose, ``SanitizeBoundingBoxes`` with a COCO ``category_id`` key and with a
Python list of labels, ``v2.ToDtype(torch.int64)`` meant for the mask, a
palette mask opened with PIL and scaled like an image, a plain-tensor mask left
at its own size by ``v2.Resize``.
Model building: ``transform.min_size`` set to an int, a GeneralizedRCNNTransform
without mean/std, the SSD head sized from ``backbone.out_channels``,
``ssd300_vgg16(size=...)``, an SSDLite head without ``norm_layer``, a RetinaNet
head given the per-level anchor list, ``num_classes`` together with
``box_predictor``, an FPN asked for ``layer5``, DeepLab's ``aux_classifier``
replaced on a model built without it, LR-ASPP indexed like DeepLab.
Checkpoints and resume: a Mask R-CNN checkpoint into a Faster R-CNN, optimizer
momentum resumed after the head changed size, SGD state resumed into AdamW, a
cosine scheduler state into the warmup LambdaLR, a GradScaler state saved
while AMP was off.
AMP / GradScaler: ``scaler.scale(loss_dict)``, ``zero_grad`` between backward
and ``scaler.step``, an optimizer left on the model built before resuming,
``scaler.step`` on every batch of a gradient accumulation loop.
Schedulers: LinearLR warmup from 0, a warmup lambda that returns None after
warmup, SequentialLR with ReduceLROnPlateau, ReduceLROnPlateau stepped with the
COCO metrics dict, a poly schedule whose iteration count ignores the last
partial batch (the learning rate turns complex).
Collate / loops: a collate that drops unannotated images meeting a batch with
none, a collate that stacks target dicts (in workers), file names moved to the
device with the target dict, the PennFudan tutorial's ``engine`` helpers never
downloaded.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more18.py [-k filter] [--out DIR]
"""

import json
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import case_builders, class_folder, imgs, make_images, run_cases, sub  # noqa: E402,F401

SRC = "corpus/generators/torch_more18.py"


def prep(code):
    """A setup that runs `code` with the torch interpreter in the work dir (files an
    earlier run would have left there: checkpoints)."""
    import subprocess
    from _record import torch_python

    def setup(work: Path):
        (work / "_prep.py").write_text(textwrap.dedent(code))
        subprocess.run([torch_python(), "_prep.py"], cwd=work, check=True, capture_output=True)
        (work / "_prep.py").unlink()
    return setup


def both(*setups):
    def setup(work: Path):
        for s in setups:
            s(work)
    return setup


def cells(*parts):
    return [textwrap.dedent(p).strip("\n") for p in parts]


# ============================================================================ data set-ups
def det_json(root, classes, n=4, sizes=((240, 180), (200, 160)), per_image=None, name="img"):
    """images/<name>_NNN.jpg + labels/<name>_NNN.json with {"objects": [{"class", "bbox"}]}"""
    def setup(work: Path):
        specs = []
        for i in range(n):
            w, h = sizes[i % len(sizes)]
            specs.append((f"{root}/images/{name}_{i:03d}.jpg", (w, h), "RGB"))
            objs = per_image(i, w, h) if per_image else [
                {"class": classes[(i + j) % len(classes)],
                 "bbox": [10 + 20 * j, 12 + 15 * j, 60 + 25 * j + i, 70 + 20 * j + i]}
                for j in range(1 + i % 3)]
            p = work / root / "labels" / f"{name}_{i:03d}.json"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps({"file": f"{name}_{i:03d}.jpg", "width": w, "height": h, "objects": objs}))
        make_images(work, specs)
    return setup


def seg_pairs(root, n=4, sizes=((256, 192), (320, 240)), mask_scale=1, n_classes=3, palette=True,
              img_dir="images", mask_dir="masks"):
    """images/*.jpg + masks/*.png (class index per pixel, palette PNG like VOC)"""
    def setup(work: Path):
        import numpy as np
        from PIL import Image
        specs = []
        for i in range(n):
            w, h = sizes[i % len(sizes)]
            specs.append((f"{root}/{img_dir}/tile_{i:03d}.jpg", (w, h), "RGB"))
            mw, mh = w // mask_scale, h // mask_scale
            m = np.zeros((mh, mw), dtype=np.uint8)
            for c in range(1, n_classes):
                m[(c * mh) // (n_classes + 1): (c * mh) // (n_classes + 1) + mh // 5, mw // 6: mw // 2 + c * 7] = c
            im = Image.fromarray(m)
            if palette:
                im = im.convert("P")
                im.putpalette([0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0] + [0] * (256 * 3 - 12))
            p = work / root / mask_dir / f"tile_{i:03d}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            im.save(p)
        make_images(work, specs)
    return setup


def instance_masks(root, n=4, size=(220, 180), ids_for=None):
    """PennFudan layout: PNGImages/FudanPed000NN.png + PedMasks/FudanPed000NN_mask.png
    (0 background, 1..k instance ids)."""
    def setup(work: Path):
        import numpy as np
        from PIL import Image
        specs = []
        for i in range(n):
            w, h = size
            specs.append((f"{root}/PNGImages/FudanPed{i + 1:05d}.png", (w, h), "RGB"))
            ids = ids_for(i) if ids_for else list(range(1, 2 + i % 2 + 1))
            m = np.zeros((h, w), dtype=np.uint8)
            for k, obj in enumerate(ids):
                x0 = 10 + k * 60
                m[20 + k * 5: 150, x0: x0 + 45] = obj
            p = work / root / "PedMasks" / f"FudanPed{i + 1:05d}_mask.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(m).save(p)
        make_images(work, specs)
    return setup


SCRIPTS = {}
CELLS = {}

# ============================================================================ target dicts / masks
SCRIPTS["frcnn-labels-filtered-to-classes-boxes-not"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F
from tqdm import tqdm

# the export also has "manhole" and "patch" objects, we only train on these two
CLASSES = ["__background__", "pothole", "crack"]


class RoadDamage(Dataset):
    def __init__(self, root):
        self.root = root
        self.files = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        with open(os.path.join(self.root, "labels", name.replace(".jpg", ".json"))) as f:
            ann = json.load(f)
        objects = [o for o in ann["objects"] if o["class"] in CLASSES]
        boxes = torch.tensor([o["bbox"] for o in ann["objects"]], dtype=torch.float32)
        labels = torch.tensor([CLASSES.index(o["class"]) for o in objects], dtype=torch.int64)
        return F.to_tensor(img), {"boxes": boxes, "labels": labels}


def collate_fn(batch):
    return tuple(zip(*batch))


dataset = RoadDamage("data/road_damage")
loader = DataLoader(dataset, batch_size=2, shuffle=False, collate_fn=collate_fn)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=0.0005)

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


def road_objects(i, w, h):
    objs = [{"class": "pothole", "bbox": [12, 20, 70, 66]},
            {"class": "crack", "bbox": [90, 40, 150, 120]}]
    if i % 2 == 1:
        objs.insert(1, {"class": "manhole", "bbox": [40, 90, 96, 150]})
    return objs


CELLS["retinanet-export-label-list-one-short-notebook"] = cells(
    '''
    import json, glob, os
    import torch
    from PIL import Image
    from torchvision.models.detection import retinanet_resnet50_fpn
    from torchvision.transforms import functional as F

    CLASSES = ["background", "car", "truck", "bus"]
    ''',
    '''
    # annotations exported from the labelling tool as {"boxes": [...], "labels": [...]}
    samples = []
    for path in sorted(glob.glob("parking/annotations/*.json")):
        ann = json.load(open(path))
        img = Image.open(os.path.join("parking/frames", ann["image"])).convert("RGB")
        target = {"boxes": torch.tensor(ann["boxes"], dtype=torch.float32),
                  "labels": torch.tensor(ann["labels"], dtype=torch.int64)}
        samples.append((F.to_tensor(img), target))
    print(len(samples), "images")
    ''',
    '''
    model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                   min_size=256, max_size=320)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()
    ''',
    '''
    for epoch in range(2):
        for i in range(0, len(samples), 2):
            images = [s[0] for s in samples[i:i + 2]]
            targets = [s[1] for s in samples[i:i + 2]]
            loss_dict = model(images, targets)
            loss = loss_dict["classification"] + loss_dict["bbox_regression"]
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
    ''',
)


def parking(work: Path):
    specs = []
    for i in range(4):
        specs.append((f"parking/frames/cam1_{i:04d}.jpg", (256, 192), "RGB"))
        boxes = [[10, 20, 80, 70], [100, 60, 180, 140], [30, 100, 90, 170]][: 2 + i % 2]
        labels = [1, 2, 3][: len(boxes)]
        if i == 3:
            labels = labels[:-1]          # the exporter skipped the occluded bus
        p = work / "parking/annotations" / f"cam1_{i:04d}.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps({"image": f"cam1_{i:04d}.jpg", "boxes": boxes, "labels": labels}))
    make_images(work, specs)


PENNFUDAN_DS = '''
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.ops import masks_to_boxes
from torchvision.transforms import functional as F


class PennFudanDataset(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        self.imgs = sorted(os.listdir(os.path.join(root, "PNGImages")))
        self.masks = sorted(os.listdir(os.path.join(root, "PedMasks")))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "PNGImages", self.imgs[idx])).convert("RGB")
        mask = torch.from_numpy(np.array(Image.open(os.path.join(self.root, "PedMasks", self.masks[idx]))))
@@GETITEM@@


def collate_fn(batch):
    return tuple(zip(*batch))


dataset = PennFudanDataset("PennFudanPed")
loader = DataLoader(dataset, batch_size=2, shuffle=False, collate_fn=collate_fn)
model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, min_size=224, max_size=288)
@@HEAD@@
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch}: {losses.item():.4f}")
'''

SCRIPTS["maskrcnn-masks-kept-as-python-list"] = sub(PENNFUDAN_DS, HEAD="", GETITEM='''
        obj_ids = torch.unique(mask)[1:]
        masks = []
        boxes = []
        for obj_id in obj_ids:
            m = (mask == obj_id).to(torch.uint8)
            ys, xs = torch.where(m > 0)
            boxes.append([xs.min().item(), ys.min().item(), xs.max().item(), ys.max().item()])
            masks.append(m)
        target = {
            "boxes": torch.tensor(boxes, dtype=torch.float32),
            "labels": torch.ones((len(obj_ids),), dtype=torch.int64),
            "masks": masks,
        }
        return F.to_tensor(img), target''')

SCRIPTS["maskrcnn-instance-ids-from-range-deleted-id"] = sub(PENNFUDAN_DS, HEAD="", GETITEM='''
        num_objs = int(mask.max())
        obj_ids = torch.arange(1, num_objs + 1)
        masks = (mask == obj_ids[:, None, None]).to(dtype=torch.uint8)
        boxes = masks_to_boxes(masks)
        target = {
            "boxes": boxes,
            "labels": torch.ones((num_objs,), dtype=torch.int64),
            "masks": masks,
        }
        return F.to_tensor(img), target''')

SCRIPTS["maskrcnn-mask-predictor-in-features-from-box-head"] = sub(PENNFUDAN_DS, GETITEM='''
        obj_ids = torch.unique(mask)[1:]
        masks = (mask == obj_ids[:, None, None]).to(dtype=torch.uint8)
        target = {
            "boxes": masks_to_boxes(masks),
            "labels": torch.ones((len(obj_ids),), dtype=torch.int64),
            "masks": masks,
        }
        return F.to_tensor(img), target''', HEAD='''
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor

num_classes = 2
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, num_classes)
hidden_layer = 256
model.roi_heads.mask_predictor = MaskRCNNPredictor(in_features, hidden_layer, num_classes)
''')

SCRIPTS["frcnn-thermal-frames-cv2-grayscale"] = '''
import csv
import glob
import os

import cv2
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from tqdm import tqdm

# FLIR thermal frames, one CSV of boxes per frame: x1,y1,x2,y2,label
frames = sorted(glob.glob("flir/thermal_8_bit/*.jpg"))


def load(path):
    img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)        # thermal is single channel anyway
    img = torch.from_numpy(img).float() / 255.0
    rows = list(csv.reader(open(path.replace(".jpg", ".csv"))))
    boxes = torch.tensor([[float(v) for v in r[:4]] for r in rows])
    labels = torch.tensor([int(r[4]) for r in rows])
    return img, {"boxes": boxes, "labels": labels}


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
model.train()
for epoch in range(5):
    for i in tqdm(range(0, len(frames), 2), desc=f"epoch {epoch + 1}"):
        batch = [load(p) for p in frames[i:i + 2]]
        images = [b[0] for b in batch]
        targets = [b[1] for b in batch]
        loss = sum(model(images, targets).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def flir(work: Path):
    specs = []
    for i in range(4):
        specs.append((f"flir/thermal_8_bit/FLIR_{i:05d}.jpg", (240, 180), "L"))
        (work / "flir/thermal_8_bit").mkdir(parents=True, exist_ok=True)
        (work / f"flir/thermal_8_bit/FLIR_{i:05d}.csv").write_text("20,30,70,120,1\n110,40,160,150,2\n")
    make_images(work, specs)


CELLS["frcnn-cv2-frames-hwc-not-permuted-notebook"] = cells(
    '''
    import cv2, glob, json
    import torch
    from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
    ''',
    '''
    ann = json.load(open("drone/boxes.json"))
    images, targets = [], []
    for path in sorted(glob.glob("drone/frames/*.jpg")):
        img = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        images.append(torch.from_numpy(img).float() / 255.0)
        a = ann[path.split("/")[-1]]
        targets.append({"boxes": torch.tensor(a["boxes"], dtype=torch.float32),
                        "labels": torch.tensor(a["labels"], dtype=torch.int64)})
    images[0].shape
    ''',
    '''
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(3):
        loss_dict = model(images[:2], targets[:2])
        loss = sum(loss_dict.values())
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        print(epoch, loss.item())
    ''',
)


def drone(work: Path):
    specs, ann = [], {}
    for i in range(3):
        specs.append((f"drone/frames/DJI_{i:04d}.jpg", (256, 192), "RGB"))
        ann[f"DJI_{i:04d}.jpg"] = {"boxes": [[30, 40, 90, 100], [120, 50, 200, 150]], "labels": [1, 1]}
    (work / "drone").mkdir(parents=True, exist_ok=True)
    (work / "drone/boxes.json").write_text(json.dumps(ann))
    make_images(work, specs)


# ============================================================================ transforms v2 on boxes / masks
V2_DET_DS = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.transforms import v2

CLASSES = ["__background__", "bottle", "can"]


class LitterDataset(Dataset):
    def __init__(self, root, transforms=None):
        self.root = root
        self.files = sorted(os.listdir(os.path.join(root, "images")))
        self.transforms = transforms

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        ann = json.load(open(os.path.join(self.root, "labels", name.replace(".jpg", ".json"))))
@@TARGET@@
        if self.transforms is not None:
            img, target = self.transforms(img, target)
        return img, target


def collate_fn(batch):
    return tuple(zip(*batch))
'''

SCRIPTS["v2-bounding-boxes-canvas-size-from-pil-size-workers"] = sub(V2_DET_DS, TARGET='''
        boxes = tv_tensors.BoundingBoxes([o["bbox"] for o in ann["objects"]], format="XYXY",
                                         canvas_size=img.size)
        target = {"boxes": boxes,
                  "labels": torch.tensor([CLASSES.index(o["class"]) for o in ann["objects"]])}''') + '''

from torchvision.models.detection import ssdlite320_mobilenet_v3_large

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomPhotometricDistort(p=0.5),
    v2.RandomIoUCrop(),
    v2.Resize((320, 320)),
    v2.RandomHorizontalFlip(p=0.5),
    v2.ToDtype(torch.float32, scale=True),
    v2.SanitizeBoundingBoxes(),
])

if __name__ == "__main__":
    dataset = LitterDataset("data/litter", transforms=train_tf)
    loader = DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate_fn)
    model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=4e-5)
    model.train()
    for epoch in range(10):
        for images, targets in loader:
            loss_dict = model(list(images), list(targets))
            loss = sum(loss_dict.values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")
'''

SCRIPTS["v2-sanitize-coco-category-id-key"] = sub(V2_DET_DS, TARGET='''
        boxes = tv_tensors.BoundingBoxes([o["bbox"] for o in ann["objects"]], format="XYXY",
                                         canvas_size=(img.height, img.width))
        # same key names as the COCO json
        target = {"boxes": boxes,
                  "category_id": torch.tensor([CLASSES.index(o["class"]) for o in ann["objects"]])}''') + '''

from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomZoomOut(fill=0, p=0.5),
    v2.RandomResizedCrop((320, 320), scale=(0.5, 1.0), antialias=True),
    v2.ToDtype(torch.float32, scale=True),
    v2.SanitizeBoundingBoxes(min_size=2),
])

dataset = LitterDataset("data/litter", transforms=train_tf)
loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=collate_fn)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        targets = [{"boxes": t["boxes"], "labels": t["category_id"]} for t in targets]
        loss = sum(model(list(images), targets).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["v2-sanitize-labels-python-list"] = sub(V2_DET_DS, TARGET='''
        boxes = tv_tensors.BoundingBoxes([o["bbox"] for o in ann["objects"]], format="XYXY",
                                         canvas_size=(img.height, img.width))
        target = {"boxes": boxes, "labels": [CLASSES.index(o["class"]) for o in ann["objects"]]}''') + '''

from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomHorizontalFlip(p=0.5),
    v2.RandomAffine(degrees=10, translate=(0.1, 0.1)),
    v2.ClampBoundingBoxes(),
    v2.SanitizeBoundingBoxes(),
    v2.ToDtype(torch.float32, scale=True),
])

dataset = LitterDataset("data/litter", transforms=train_tf)
loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=collate_fn)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        targets = [{"boxes": t["boxes"], "labels": torch.as_tensor(t["labels"])} for t in targets]
        loss = sum(model(list(images), targets).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["v1-flip-inside-v2-compose-workers"] = sub(V2_DET_DS, TARGET='''
        boxes = tv_tensors.BoundingBoxes([o["bbox"] for o in ann["objects"]], format="XYXY",
                                         canvas_size=(img.height, img.width))
        target = {"boxes": boxes,
                  "labels": torch.tensor([CLASSES.index(o["class"]) for o in ann["objects"]])}''') + '''

from torchvision import transforms as T
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

# flip + colour jitter copied over from the classifier project
train_tf = v2.Compose([
    v2.ToImage(),
    T.RandomHorizontalFlip(p=0.5),
    T.ColorJitter(brightness=0.2, contrast=0.2),
    v2.ToDtype(torch.float32, scale=True),
])

if __name__ == "__main__":
    dataset = LitterDataset("data/litter", transforms=train_tf)
    loader = DataLoader(dataset, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate_fn)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()
    for epoch in range(10):
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
'''

CELLS["pennfudan-v1-compose-image-and-target-notebook"] = cells(
    '''
    import os
    import numpy as np
    import torch
    from PIL import Image
    import torchvision.transforms as T
    from torchvision.models.detection import maskrcnn_resnet50_fpn
    ''',
    '''
    class PennFudanDataset(torch.utils.data.Dataset):
        def __init__(self, root, transforms):
            self.root = root
            self.transforms = transforms
            self.imgs = list(sorted(os.listdir(os.path.join(root, "PNGImages"))))
            self.masks = list(sorted(os.listdir(os.path.join(root, "PedMasks"))))

        def __getitem__(self, idx):
            img = Image.open(os.path.join(self.root, "PNGImages", self.imgs[idx])).convert("RGB")
            mask = np.array(Image.open(os.path.join(self.root, "PedMasks", self.masks[idx])))
            obj_ids = np.unique(mask)[1:]
            masks = mask == obj_ids[:, None, None]
            boxes = []
            for i in range(len(obj_ids)):
                pos = np.nonzero(masks[i])
                boxes.append([np.min(pos[1]), np.min(pos[0]), np.max(pos[1]), np.max(pos[0])])
            target = {}
            target["boxes"] = torch.as_tensor(boxes, dtype=torch.float32)
            target["labels"] = torch.ones((len(obj_ids),), dtype=torch.int64)
            target["masks"] = torch.as_tensor(masks, dtype=torch.uint8)
            target["image_id"] = idx
            if self.transforms is not None:
                img, target = self.transforms(img, target)
            return img, target

        def __len__(self):
            return len(self.imgs)
    ''',
    '''
    # the tutorial does `import transforms as T` (its own helper file), torchvision has the same names
    def get_transform(train):
        transforms = [T.ToTensor()]
        if train:
            transforms.append(T.RandomHorizontalFlip(0.5))
        return T.Compose(transforms)

    dataset = PennFudanDataset("PennFudanPed", get_transform(train=True))
    data_loader = torch.utils.data.DataLoader(dataset, batch_size=2, shuffle=True,
                                              collate_fn=lambda batch: tuple(zip(*batch)))
    ''',
    '''
    model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=0.0005)
    model.train()
    images, targets = next(iter(data_loader))
    loss_dict = model(list(images), list(targets))
    ''',
)

CELLS["pennfudan-engine-helpers-not-downloaded-notebook"] = cells(
    '''
    import torch
    from torchvision.models.detection import maskrcnn_resnet50_fpn
    from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
    ''',
    '''
    from engine import train_one_epoch, evaluate
    import utils
    ''',
    '''
    model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=0.0005)
    for epoch in range(2):
        train_one_epoch(model, optimizer, data_loader, torch.device("cpu"), epoch, print_freq=10)
    ''',
)

SEG_V2_DS = '''
import os

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import v2

NUM_CLASSES = 3   # background, building, road


class TileDataset(Dataset):
    def __init__(self, root, transforms):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))
        self.transforms = transforms

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        image = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
@@MASK@@
        return self.transforms(image, mask)
'''

SEG_LOOP = '''
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss(ignore_index=255)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
model.train()
for epoch in range(5):
    for images, masks in loader:
        out = model(images)["out"]
        loss = criterion(out, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["seg-v2-masks-exported-at-half-resolution"] = sub(SEG_V2_DS, MASK='''
        mask = tv_tensors.Mask(torch.from_numpy(np.array(Image.open(os.path.join(self.root, "masks", name.replace(".jpg", ".png"))))).long())''') + '''
train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomResizedCrop((256, 256), scale=(0.5, 1.0), antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])
loader = DataLoader(TileDataset("data/aerial", train_tf), batch_size=2, shuffle=True)
''' + SEG_LOOP

SCRIPTS["seg-v2-todtype-int64-meant-for-mask"] = sub(SEG_V2_DS, MASK='''
        mask = tv_tensors.Mask(np.array(Image.open(os.path.join(self.root, "masks", name.replace(".jpg", ".png")))))''') + '''
# CrossEntropyLoss wants the mask as int64
train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomCrop((192, 192)),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.int64),
])
loader = DataLoader(TileDataset("data/aerial", train_tf), batch_size=2, shuffle=True)
''' + SEG_LOOP

SCRIPTS["seg-v2-palette-mask-opened-as-pil-image"] = sub(SEG_V2_DS, MASK='''
        mask = Image.open(os.path.join(self.root, "masks", name.replace(".jpg", ".png")))''') + '''
train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomResizedCrop((224, 224), scale=(0.5, 1.0), antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
])
loader = DataLoader(TileDataset("data/aerial", train_tf), batch_size=2, shuffle=True)
''' + SEG_LOOP

SCRIPTS["seg-v2-plain-tensor-mask-not-resized-workers"] = sub(SEG_V2_DS, MASK='''
        mask = torch.from_numpy(np.array(Image.open(os.path.join(self.root, "masks", name.replace(".jpg", ".png"))))).long()''') + '''
train_tf = v2.Compose([
    v2.ToImage(),
    v2.Resize((256, 256), antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
])

if __name__ == "__main__":
    loader = DataLoader(TileDataset("data/aerial", train_tf), batch_size=4, shuffle=False, num_workers=2)
''' + textwrap.indent(SEG_LOOP, "    ")

# ============================================================================ building the models
SCRIPTS["frcnn-multiscale-min-size-set-to-int"] = '''
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "pothole", "crack"]
root = "data/road_damage"
samples = []
for name in sorted(os.listdir(f"{root}/images")):
    ann = json.load(open(f"{root}/labels/{name[:-4]}.json"))
    target = {"boxes": torch.tensor([o["bbox"] for o in ann["objects"]], dtype=torch.float32),
              "labels": torch.tensor([CLASSES.index(o["class"]) for o in ann["objects"]])}
    samples.append((F.to_tensor(Image.open(f"{root}/images/{name}").convert("RGB")), target))

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
# potholes are small, train at a higher resolution than 320
model.transform.min_size = 640
model.transform.max_size = 1024

optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(10):
    for i in range(0, len(samples), 2):
        images, targets = zip(*samples[i:i + 2])
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["frcnn-custom-transform-without-mean-std"] = '''
import torch
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection.transform import GeneralizedRCNNTransform

NUM_CLASSES = 4  # background + 3 kinds of pills

model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
# the pill photos are all 512x512 already, do not upscale to 800
model.transform = GeneralizedRCNNTransform(min_size=512, max_size=512)

optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
images = [torch.rand(3, 512, 512) for _ in range(2)]
targets = [{"boxes": torch.tensor([[40.0, 60.0, 120.0, 150.0]]), "labels": torch.tensor([1])} for _ in range(2)]
loss = sum(model(images, targets).values())
loss.backward()
optimizer.step()
'''

SCRIPTS["ssd-head-in-channels-from-backbone-out-channels"] = '''
import torch
from torchvision.models.detection import ssd300_vgg16
from torchvision.models.detection.ssd import SSDClassificationHead

NUM_CLASSES = 3  # background, helmet, head

model = ssd300_vgg16(weights=None, weights_backbone=None)
num_anchors = model.anchor_generator.num_anchors_per_location()
# same trick as for Faster R-CNN: read the channels off the backbone
in_channels = model.backbone.out_channels
model.head.classification_head = SSDClassificationHead(in_channels, num_anchors, NUM_CLASSES)

optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9, weight_decay=5e-4)
'''

SCRIPTS["ssd300-size-kwarg-for-512-input"] = '''
import torch
from torchvision.models.detection import ssd300_vgg16

# our drone frames are 512x512, SSD300 would shrink them
model = ssd300_vgg16(weights=None, weights_backbone=None, num_classes=5, size=(512, 512))
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
model.train()
images = [torch.rand(3, 512, 512)]
targets = [{"boxes": torch.tensor([[50.0, 40.0, 180.0, 200.0]]), "labels": torch.tensor([2])}]
loss = sum(model(images, targets).values())
loss.backward()
'''

SCRIPTS["ssdlite-head-replaced-without-norm-layer"] = '''
import torch
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.models.detection import _utils as det_utils
from torchvision.models.detection.ssdlite import SSDLiteClassificationHead

NUM_CLASSES = 2  # background + fish

model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None)
in_channels = det_utils.retrieve_out_channels(model.backbone, (320, 320))
num_anchors = model.anchor_generator.num_anchors_per_location()
model.head.classification_head = SSDLiteClassificationHead(in_channels, num_anchors, NUM_CLASSES)
print(model.head)
'''

SCRIPTS["retinanet-head-given-anchors-per-level-list"] = '''
import math

import torch
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.models.detection.retinanet import RetinaNetClassificationHead

NUM_CLASSES = 3

model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, min_size=320, max_size=416)
num_anchors = model.anchor_generator.num_anchors_per_location()
in_channels = model.backbone.out_channels
model.head.classification_head = RetinaNetClassificationHead(in_channels, num_anchors, NUM_CLASSES)
print("new head", model.head.classification_head.cls_logits)
'''

SCRIPTS["frcnn-num-classes-and-box-predictor"] = '''
import torch
from torchvision.models import mobilenet_v3_large
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.ops import MultiScaleRoIAlign

NUM_CLASSES = 3

backbone = mobilenet_v3_large(weights=None).features
backbone.out_channels = 960
anchor_generator = AnchorGenerator(sizes=((32, 64, 128, 256),), aspect_ratios=((0.5, 1.0, 2.0),))
roi_pooler = MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2)
box_head = TwoMLPHead(960 * 7 * 7, 1024)
model = FasterRCNN(backbone,
                   num_classes=NUM_CLASSES,
                   rpn_anchor_generator=anchor_generator,
                   box_roi_pool=roi_pooler,
                   box_head=box_head,
                   box_predictor=FastRCNNPredictor(1024, NUM_CLASSES))
print(model)
'''

SCRIPTS["fpn-backbone-return-layers-layer5"] = '''
import torch
from torchvision.models import resnet34
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import BackboneWithFPN

body = resnet34(weights=None)
# five pyramid levels like the paper (P2-P6)
return_layers = {"layer1": "0", "layer2": "1", "layer3": "2", "layer4": "3", "layer5": "4"}
backbone = BackboneWithFPN(body, return_layers=return_layers,
                           in_channels_list=[64, 128, 256, 512, 512], out_channels=256)
model = FasterRCNN(backbone, num_classes=5, min_size=320, max_size=416)
print(sum(p.numel() for p in model.parameters()))
'''

CELLS["deeplab-aux-classifier-replaced-without-aux-loss-notebook"] = cells(
    '''
    import torch
    from torch import nn
    from torchvision.models.segmentation import deeplabv3_resnet50
    ''',
    '''
    NUM_CLASSES = 2   # background, lesion
    model = deeplabv3_resnet50(weights=None, weights_backbone=None)
    model.classifier
    ''',
    '''
    model.classifier[4] = nn.Conv2d(256, NUM_CLASSES, kernel_size=1)
    model.aux_classifier[4] = nn.Conv2d(256, NUM_CLASSES, kernel_size=1)
    ''',
)

SCRIPTS["lraspp-head-indexed-like-deeplab-classifier"] = '''
import torch
from torch import nn
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

NUM_CLASSES = 4   # background, weed, crop, soil

model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None)
# replace the last conv of the head, as in the DeepLab fine-tuning guide
model.classifier[4] = nn.Conv2d(128, NUM_CLASSES, kernel_size=1)

optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
x = torch.rand(2, 3, 256, 256)
print(model(x)["out"].shape)
'''

# ============================================================================ checkpoints and resume
SAVE_MASKRCNN = '''
import torch
from torchvision.models.detection import maskrcnn_resnet50_fpn
torch.manual_seed(0)
m = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save(m.state_dict(), "runs/exp3/best_model.pth")
'''

SCRIPTS["maskrcnn-checkpoint-into-fasterrcnn-inference"] = '''
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "scratch", "dent"]

# boxes are all we need for the report, so build the plain detector
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("runs/exp3/best_model.pth", map_location="cpu"))
model.eval()

img = F.to_tensor(Image.open("samples/door_panel.jpg").convert("RGB"))
with torch.no_grad():
    pred = model([img])[0]
for box, label, score in zip(pred["boxes"], pred["labels"], pred["scores"]):
    if score > 0.5:
        print(CLASSES[label], [round(v) for v in box.tolist()], f"{score:.2f}")
'''


def mkdir_then(path, code):
    def setup(work: Path):
        (work / path).mkdir(parents=True, exist_ok=True)
        prep(code)(work)
    return setup


SAVE_FRCNN_5CLS = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=5)
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
model.train()
imgs = [torch.rand(3, 200, 240)]
tg = [{"boxes": torch.tensor([[20.0, 30.0, 90.0, 120.0]]), "labels": torch.tensor([3])}]
loss = sum(model(imgs, tg).values()); loss.backward(); opt.step()
torch.save({"epoch": 24, "model": model.state_dict(), "optimizer": opt.state_dict()},
           "checkpoints/warehouse_5cls_epoch24.pth")
'''

SCRIPTS["resume-optimizer-momentum-after-head-resized"] = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from tqdm import tqdm

NUM_CLASSES = 3   # the new site only has pallets and forklifts

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)

ckpt = torch.load("checkpoints/warehouse_5cls_epoch24.pth", map_location="cpu")
state = {k: v for k, v in ckpt["model"].items() if not k.startswith("roi_heads.box_predictor")}
missing, unexpected = model.load_state_dict(state, strict=False)
print("re-initialised:", missing)
optimizer.load_state_dict(ckpt["optimizer"])
start_epoch = ckpt["epoch"] + 1

images = [torch.rand(3, 200, 240) for _ in range(4)]
targets = [{"boxes": torch.tensor([[20.0, 30.0, 90.0, 120.0]]), "labels": torch.tensor([1 + i % 2])} for i in range(4)]
model.train()
for epoch in range(start_epoch, start_epoch + 5):
    for i in tqdm(range(0, 4, 2), desc=f"epoch {epoch}"):
        loss = sum(model(images[i:i + 2], targets[i:i + 2]).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SAVE_DEEPLAB_SGD = '''
import torch
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
torch.manual_seed(0)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50)
model.train()
out = model(torch.rand(2, 3, 128, 128))["out"]
torch.nn.functional.cross_entropy(out, torch.randint(0, 3, (2, 128, 128))).backward()
opt.step(); sched.step()
torch.save({"epoch": 11, "model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
            "scheduler_state": sched.state_dict(), "best_miou": 0.412}, "weights/last.pt")
'''

RESUME_SEG = '''
import math

import torch
from torch import nn
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

EPOCHS = 50
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
@@OPT@@

ckpt = torch.load("weights/last.pt", map_location="cpu")
model.load_state_dict(ckpt["model_state"])
optimizer.load_state_dict(ckpt["optimizer_state"])
scheduler.load_state_dict(ckpt["scheduler_state"])
start_epoch = ckpt["epoch"] + 1
print(f"resuming from epoch {start_epoch}, best mIoU {ckpt['best_miou']:.3f}")

model.train()
for epoch in range(start_epoch, EPOCHS):
    for step in range(4):
        images, masks = torch.rand(2, 3, 128, 128), torch.randint(0, 3, (2, 128, 128))
        loss = criterion(model(images)["out"], masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
'''

SCRIPTS["resume-sgd-optimizer-state-into-adamw"] = sub(RESUME_SEG, OPT='''
# switched to AdamW for the second half of training
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-2)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)''')

SCRIPTS["resume-cosine-scheduler-state-into-warmup-lambdalr"] = sub(RESUME_SEG, OPT='''
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
WARMUP = 3


def warmup_cosine(epoch):
    if epoch < WARMUP:
        return (epoch + 1) / WARMUP
    return 0.5 * (1 + math.cos(math.pi * (epoch - WARMUP) / (EPOCHS - WARMUP)))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=warmup_cosine)''')

SAVE_NO_AMP = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler("cpu", enabled=False)   # laptop run, use_amp was off
torch.save({"epoch": 7, "model": model.state_dict(), "optimizer": opt.state_dict(),
            "scaler": scaler.state_dict()}, "output/checkpoint.pth")
'''

SCRIPTS["resume-gradscaler-state-saved-with-amp-off"] = '''
import argparse

import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

parser = argparse.ArgumentParser()
parser.add_argument("--resume", default="output/checkpoint.pth")
parser.add_argument("--amp", action="store_true", default=True)
args = parser.parse_args()

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4).to(device)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)
scaler = torch.amp.GradScaler(device.type) if args.amp else None

start_epoch = 0
if args.resume:
    checkpoint = torch.load(args.resume, map_location="cpu")
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    start_epoch = checkpoint["epoch"] + 1
    if args.amp:
        scaler.load_state_dict(checkpoint["scaler"])
print("start training from epoch", start_epoch)
'''

# ============================================================================ AMP / GradScaler
AMP_HEAD = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from tqdm import tqdm

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
torch.manual_seed(0)
images = [torch.rand(3, 200, 240) for _ in range(4)]
targets = [{"boxes": torch.tensor([[20.0, 30.0, 90.0, 120.0], [100.0, 40.0, 180.0, 150.0]]),
            "labels": torch.tensor([1, 2])} for _ in range(4)]
'''

SCRIPTS["amp-scaler-scale-given-loss-dict"] = AMP_HEAD + '''
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler(device.type)

model.train()
for epoch in range(3):
    for i in range(0, len(images), 2):
        with torch.autocast(device_type=device.type, enabled=device.type == "cuda"):
            losses = model(images[i:i + 2], targets[i:i + 2])
        optimizer.zero_grad()
        scaler.scale(losses).backward()
        scaler.step(optimizer)
        scaler.update()
'''

SCRIPTS["amp-zero-grad-between-backward-and-step-tqdm"] = AMP_HEAD + '''
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler(device.type)

model.train()
for epoch in range(3):
    pbar = tqdm(range(0, len(images), 2), desc=f"Epoch {epoch + 1}/3")
    for i in pbar:
        with torch.autocast(device_type=device.type, enabled=device.type == "cuda"):
            loss_dict = model(images[i:i + 2], targets[i:i + 2])
            loss = sum(loss_dict.values())
        scaler.scale(loss).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        optimizer.zero_grad()
        scaler.step(optimizer)
        scaler.update()
        pbar.set_postfix(loss=loss.item())
'''

SAVE_FRCNN_3CLS = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save({"epoch": 4, "model": model.state_dict()}, "runs/last.pth")
'''

SCRIPTS["amp-optimizer-built-before-model-rebuilt-on-resume"] = AMP_HEAD + '''
import os


def build_model():
    return fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)


model = build_model().to(device)
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler(device.type)

start_epoch = 0
if os.path.exists("runs/last.pth"):
    ckpt = torch.load("runs/last.pth", map_location=device)
    model = build_model().to(device)
    model.load_state_dict(ckpt["model"])
    start_epoch = ckpt["epoch"] + 1
    print("resumed from epoch", ckpt["epoch"])

model.train()
for epoch in range(start_epoch, 12):
    for i in range(0, len(images), 2):
        with torch.autocast(device_type=device.type, enabled=device.type == "cuda"):
            loss = sum(model(images[i:i + 2], targets[i:i + 2]).values())
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
'''

SCRIPTS["amp-deeplab-accumulation-scaler-step-every-batch"] = '''
import torch
from torch import nn
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=5).to(device)
criterion = nn.CrossEntropyLoss(ignore_index=255)
optimizer = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-4)
scaler = torch.amp.GradScaler(device.type)
ACCUM_STEPS = 4   # batch of 2 fits in memory, we want an effective batch of 8

model.train()
optimizer.zero_grad()
for it in range(40):
    images = torch.rand(2, 3, 160, 160, device=device)
    masks = torch.randint(0, 5, (2, 160, 160), device=device)
    with torch.autocast(device_type=device.type, enabled=device.type == "cuda"):
        loss = criterion(model(images)["out"], masks) / ACCUM_STEPS
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    if (it + 1) % ACCUM_STEPS == 0:
        scaler.update()
        optimizer.zero_grad()
        print(f"update {(it + 1) // ACCUM_STEPS}: loss {loss.item() * ACCUM_STEPS:.4f}")
'''

# ============================================================================ schedulers
SCHED_HEAD = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from tqdm import tqdm

torch.manual_seed(0)
images = [torch.rand(3, 200, 240) for _ in range(4)]
targets = [{"boxes": torch.tensor([[20.0, 30.0, 90.0, 120.0]]), "labels": torch.tensor([1 + i % 2])} for i in range(4)]
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)
'''

SCRIPTS["warmup-linearlr-start-factor-zero"] = SCHED_HEAD + '''
EPOCHS = 26
warmup_iters = 500
# ramp the lr up from 0 during the first 500 iterations, then step at 16 and 22 like the paper
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.0, total_iters=warmup_iters)
main = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[16, 22], gamma=0.1)

model.train()
for epoch in range(EPOCHS):
    for i in range(0, len(images), 2):
        loss = sum(model(images[i:i + 2], targets[i:i + 2]).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        warmup.step()
    main.step()
'''

SCRIPTS["warmup-lambda-returns-none-after-warmup-tqdm"] = SCHED_HEAD + '''
WARMUP_EPOCHS = 2


def warmup_factor(epoch):
    if epoch < WARMUP_EPOCHS:
        return (epoch + 1) / (WARMUP_EPOCHS + 1)
    elif epoch >= 8:
        return 0.1


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=warmup_factor)

model.train()
for epoch in range(12):
    running = 0.0
    for i in tqdm(range(0, len(images), 2), desc=f"epoch {epoch}"):
        loss = sum(model(images[i:i + 2], targets[i:i + 2]).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    scheduler.step()
    print(f"epoch {epoch} loss {running / 2:.3f} lr {optimizer.param_groups[0]['lr']:.5f}")
'''

SCRIPTS["sequentiallr-warmup-then-plateau"] = SCHED_HEAD + '''
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=3)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.1, patience=3)
scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, schedulers=[warmup, plateau], milestones=[3])

model.train()
for epoch in range(30):
    for i in range(0, len(images), 2):
        loss = sum(model(images[i:i + 2], targets[i:i + 2]).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
'''

CELLS["plateau-stepped-with-coco-metrics-dict-notebook"] = cells(
    SCHED_HEAD.replace("from tqdm import tqdm\n", ""),
    '''
    from torchvision.ops import box_iou

    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="max", factor=0.5, patience=2)

    def evaluate(model, images, targets):
        model.eval()
        hits, total = 0, 0
        with torch.no_grad():
            for img, tgt in zip(images, targets):
                pred = model([img])[0]
                if len(pred["boxes"]):
                    hits += int((box_iou(pred["boxes"], tgt["boxes"]).max(0).values > 0.5).sum())
                total += len(tgt["boxes"])
        model.train()
        return {"recall@0.5": hits / total, "num_images": len(images)}
    ''',
    '''
    for epoch in range(10):
        model.train()
        for i in range(0, len(images), 2):
            loss = sum(model(images[i:i + 2], targets[i:i + 2]).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        metrics = evaluate(model, images, targets)
        print(epoch, metrics)
        scheduler.step(metrics)
    ''',
)

SCRIPTS["deeplab-poly-lr-iters-from-floor-division"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

EPOCHS = 2
BATCH_SIZE = 4
images = torch.rand(10, 3, 96, 96)
masks = torch.randint(0, 3, (10, 96, 96))
loader = DataLoader(TensorDataset(images, masks), batch_size=BATCH_SIZE, shuffle=True)

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
# "poly" policy from the DeepLab paper
iters_per_epoch = len(images) // BATCH_SIZE
total_iters = EPOCHS * iters_per_epoch
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda it: (1 - it / total_iters) ** 0.9)

model.train()
for epoch in range(EPOCHS):
    for x, y in loader:
        loss = criterion(model(x)["out"], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    print(f"epoch {epoch}: loss {loss.item():.4f} lr {optimizer.param_groups[0]['lr']}")
'''

# ============================================================================ collate functions / loops
SCRIPTS["collate-drops-unannotated-images-empty-batch"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "pothole", "crack"]


class RoadDamage(Dataset):
    def __init__(self, root):
        self.root = root
        self.files = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        ann = json.load(open(os.path.join(self.root, "labels", name.replace(".jpg", ".json"))))
        if len(ann["objects"]) == 0:
            return None          # images without damage are useless for training
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        target = {"boxes": torch.tensor([o["bbox"] for o in ann["objects"]], dtype=torch.float32),
                  "labels": torch.tensor([CLASSES.index(o["class"]) for o in ann["objects"]])}
        return F.to_tensor(img), target


def collate_fn(batch):
    batch = [b for b in batch if b is not None]
    return tuple(zip(*batch))


loader = DataLoader(RoadDamage("data/road_damage"), batch_size=2, shuffle=False, collate_fn=collate_fn)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for step, (images, targets) in enumerate(loader):
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.3f}")
'''


def road_some_empty(i, w, h):
    if i in (2, 3):
        return []      # a batch of undamaged road
    return road_objects(0, w, h)


SCRIPTS["collate-stacks-target-dicts-workers"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "pothole", "crack"]


class RoadDamage(Dataset):
    def __init__(self, root):
        self.root = root
        self.files = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB").resize((256, 192))
        ann = json.load(open(os.path.join(self.root, "labels", name.replace(".jpg", ".json"))))
        target = {"boxes": torch.tensor([o["bbox"] for o in ann["objects"]], dtype=torch.float32),
                  "labels": torch.tensor([CLASSES.index(o["class"]) for o in ann["objects"]])}
        return F.to_tensor(img), target


def collate_fn(batch):
    images = torch.stack([b[0] for b in batch])     # all resized to 256x192 above
    targets = torch.stack([b[1] for b in batch])
    return images, targets


if __name__ == "__main__":
    loader = DataLoader(RoadDamage("data/road_damage"), batch_size=2, shuffle=True,
                        num_workers=2, collate_fn=collate_fn)
    model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                   min_size=192, max_size=256)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(3):
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
'''

SCRIPTS["target-dict-file-name-moved-to-device"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "pothole", "crack"]


class RoadDamage(Dataset):
    def __init__(self, root):
        self.root = root
        self.files = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        ann = json.load(open(os.path.join(self.root, "labels", name.replace(".jpg", ".json"))))
        target = {"boxes": torch.tensor([o["bbox"] for o in ann["objects"]], dtype=torch.float32),
                  "labels": torch.tensor([CLASSES.index(o["class"]) for o in ann["objects"]]),
                  "image_id": torch.tensor([idx]),
                  "file_name": name}          # handy when looking at bad predictions later
        return F.to_tensor(img), target


def collate_fn(batch):
    return tuple(zip(*batch))


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(RoadDamage("data/road_damage"), batch_size=2, shuffle=True, collate_fn=collate_fn)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for images, targets in loader:
        images = [img.to(device) for img in images]
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        loss = sum(model(images, targets).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


# ============================================================================ cases
def cases():
    out, add, script, notebook = case_builders("torch-more18-", SCRIPTS, CELLS)

    road = det_json("data/road_damage", ["pothole", "crack"], n=4, per_image=road_objects, name="road")
    road_clean = det_json("data/road_damage", ["pothole", "crack"], n=4, name="road")
    litter = det_json("data/litter", ["bottle", "can"], n=4, sizes=((320, 240), (300, 200)), name="beach")
    pennfudan = instance_masks("PennFudanPed")
    aerial = seg_pairs("data/aerial")

    # target dicts / masks ---------------------------------------------------------------------
    script("frcnn-labels-filtered-to-classes-boxes-not", "data.label_shape",
           forms=["cpython_basic", "progress_bars"], setup=road)
    notebook("retinanet-export-label-list-one-short-notebook", "data.label_shape", setup=parking, timeout=600)
    script("maskrcnn-masks-kept-as-python-list", "data.label_shape", also=["model.api_misuse"],
           setup=pennfudan, timeout=600)
    script("maskrcnn-instance-ids-from-range-deleted-id", "data.bbox_invalid", also=["data.label_shape"],
           setup=instance_masks("PennFudanPed", ids_for=lambda i: [1, 3] if i == 1 else [1, 2]), timeout=600)
    script("maskrcnn-mask-predictor-in-features-from-box-head", "model.input_shape", also=["model.api_misuse"],
           setup=pennfudan, timeout=600)
    script("frcnn-thermal-frames-cv2-grayscale", "data.image_channels",
           forms=["cpython_basic", "progress_bars"], setup=flir)
    notebook("frcnn-cv2-frames-hwc-not-permuted-notebook", "model.input_shape", setup=drone)

    # transforms v2 on boxes / masks ----------------------------------------------------------
    script("v2-bounding-boxes-canvas-size-from-pil-size-workers", "model.api_misuse", also=["data.bbox_invalid"],
           forms=["cpython_basic", "dataloader_worker"], setup=litter)
    script("v2-sanitize-coco-category-id-key", "model.api_misuse",
           setup=litter)
    script("v2-sanitize-labels-python-list", "model.api_misuse", also=["data.dtype"], setup=litter)
    script("v1-flip-inside-v2-compose-workers", "model.api_misuse", forms=["cpython_basic", "dataloader_worker"],
           setup=litter)
    notebook("pennfudan-v1-compose-image-and-target-notebook", "model.api_misuse", setup=pennfudan)
    script("seg-v2-masks-exported-at-half-resolution", "data.label_shape", also=["data.image_size_mismatch"],
           setup=seg_pairs("data/aerial", mask_scale=2))
    script("seg-v2-todtype-int64-meant-for-mask", "data.dtype", also=["model.api_misuse"], setup=aerial)
    script("seg-v2-palette-mask-opened-as-pil-image", "model.api_misuse", also=["data.label_shape"], setup=aerial)
    script("seg-v2-plain-tensor-mask-not-resized-workers", "model.api_misuse",
           also=["data.image_size_mismatch"], forms=["cpython_basic", "dataloader_worker"], setup=aerial)

    # building the models ------------------------------------------------------------------------
    script("frcnn-multiscale-min-size-set-to-int", "model.api_misuse", setup=road_clean)
    script("frcnn-custom-transform-without-mean-std", "model.api_misuse")
    script("ssd-head-in-channels-from-backbone-out-channels", "model.api_misuse")
    script("ssd300-size-kwarg-for-512-input", "model.api_misuse")
    script("ssdlite-head-replaced-without-norm-layer", "model.api_misuse")
    script("retinanet-head-given-anchors-per-level-list", "model.api_misuse")
    script("frcnn-num-classes-and-box-predictor", "model.api_misuse")
    script("fpn-backbone-return-layers-layer5", "model.api_misuse")
    notebook("deeplab-aux-classifier-replaced-without-aux-loss-notebook", "model.api_misuse")
    script("lraspp-head-indexed-like-deeplab-classifier", "model.api_misuse")

    # checkpoints and resume --------------------------------------------------------------------
    script("maskrcnn-checkpoint-into-fasterrcnn-inference", "model.weights_mismatch",
           forms=["cpython_basic", "multiline_message"], argv="predict.py",
           setup=both(mkdir_then("runs/exp3", SAVE_MASKRCNN), imgs([("samples/door_panel.jpg", (320, 240), "RGB")])),
           timeout=600)
    script("resume-optimizer-momentum-after-head-resized", "model.weights_mismatch",
           forms=["cpython_basic", "progress_bars?"], setup=mkdir_then("checkpoints", SAVE_FRCNN_5CLS))
    script("resume-sgd-optimizer-state-into-adamw", "model.weights_mismatch",
           setup=mkdir_then("weights", SAVE_DEEPLAB_SGD))
    script("resume-cosine-scheduler-state-into-warmup-lambdalr", "model.weights_mismatch",
           setup=mkdir_then("weights", SAVE_DEEPLAB_SGD))
    script("resume-gradscaler-state-saved-with-amp-off", "model.weights_mismatch", also=["model.api_misuse"],
           setup=mkdir_then("output", SAVE_NO_AMP))

    # AMP / GradScaler ---------------------------------------------------------------------------
    script("amp-scaler-scale-given-loss-dict", "model.api_misuse")
    script("amp-zero-grad-between-backward-and-step-tqdm", "model.api_misuse", also=["optim.autograd_graph"],
           forms=["cpython_basic", "progress_bars"])
    script("amp-optimizer-built-before-model-rebuilt-on-resume", "model.api_misuse",
           setup=mkdir_then("runs", SAVE_FRCNN_3CLS))
    script("amp-deeplab-accumulation-scaler-step-every-batch", "model.api_misuse")

    # schedulers ---------------------------------------------------------------------------------
    script("warmup-linearlr-start-factor-zero", "model.api_misuse")
    script("warmup-lambda-returns-none-after-warmup-tqdm", "model.api_misuse",
           forms=["cpython_basic", "progress_bars"])
    script("sequentiallr-warmup-then-plateau", "model.api_misuse")
    notebook("plateau-stepped-with-coco-metrics-dict-notebook", "model.api_misuse")
    script("deeplab-poly-lr-iters-from-floor-division", "model.api_misuse", also=["optim.divergence"])

    # collate functions / loops ------------------------------------------------------------------
    script("collate-drops-unannotated-images-empty-batch", "data.missing_or_corrupt", also=["model.api_misuse"],
           setup=det_json("data/road_damage", ["pothole", "crack"], n=4, per_image=road_some_empty, name="road"))
    script("collate-stacks-target-dicts-workers", "model.api_misuse", forms=["cpython_basic", "dataloader_worker"],
           setup=road_clean, timeout=600)
    script("target-dict-file-name-moved-to-device", "model.api_misuse", setup=road_clean,
           forms=["cpython_basic", "paths_with_spaces"],
           project="/home/user/My Projects/road damage")
    notebook("pennfudan-engine-helpers-not-downloaded-notebook", "other", also=["env.version_incompat"])
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
