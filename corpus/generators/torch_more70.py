"""A seventieth held-out set (g133, scored 0.86 top-1 and 0.86 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: graduate students reproducing a paper's PyTorch repository on their own image data: argparse plus
JSON / Python config files, a COCO-format JSON ``Dataset`` they wrote themselves (or the repository's, pointed at
their data), gradient accumulation, an EMA copy of the model, learning-rate warm-up, bf16 autocast on CPU, resuming
from the repository's released checkpoint, and evaluation scripts that compute mAP / mIoU by hand. A natural mix
of causes, each program built so that its cause is known by construction and made to fail inside torch,
torchvision, OpenCV, SciPy, NumPy or Python itself; none a repeat of the scenarios in the other generators:

- data: a segmentation repo evaluated at full resolution whose ``val_batch_size`` the student raised from 1 to 4
  while the two inspection cameras give two photo sizes (tqdm, data.image_size_mismatch), the repo's
  ``normalize: "dataset"`` option computing mean / std over the student's RGBA PNG exports (four values) for
  images loaded as RGB (in workers, data.image_channels), a LabelMe-to-COCO converter that took the rectangle's two
  clicks in the order drawn (negative widths, Faster R-CNN, data.bbox_invalid), COCO polygons rasterised with
  ``cv2.fillPoly`` as float coordinates (in workers, data.dtype), an EMA-teacher pseudo-label threshold taken with
  ``torch.quantile`` under bf16 autocast (data.dtype), labels sliced ``arr[:, 4:]`` as an ``(N, 1)`` column for
  Faster R-CNN (data.label_shape), the repository's COCO builder hard-coding ``train2017/`` while the student's
  Roboflow export has ``train/`` (in workers, data.missing_or_corrupt), a fourth category added to the COCO JSON
  by a labmate with the config's ``num_classes`` left at 3 (data.label_out_of_range), the repo's anchor k-means
  (``scipy.cluster.vq.kmeans``) on point-tool boxes of two sizes (data.too_few_boxes);
- model: the repo's FPN at the student's 600 x 400 input (model.input_shape), the released Cityscapes checkpoint
  evaluated zero-shot on the student's four-class masks as a baseline row (notebook, model.output_mismatch), a
  "checkpoint" that is Google Drive's virus-scan HTML page (model.weights_mismatch), the evaluation script loading
  the repo's EMA wrapper state dict (``module.`` keys) into the bare model (model.weights_mismatch), an
  ``AveragedModel`` EMA given a two-argument ``avg_fn`` from a blog post (model.api_misuse), the mIoU script
  resizing logits to ``mask.shape`` of a batched mask (model.api_misuse), the repo's ``ModelEMA`` deep-copying a
  head built with the legacy ``nn.utils.weight_norm`` (model.api_misuse);
- optimisation: a validate-before-training pass under ``torch.inference_mode`` that caches the detection head's
  anchor grid (optim.autograd_graph);
- resource / environment / other: a hand-written mAP computing the IoU of every detection against every ground
  truth box of the whole val set at once under the cluster job's memory limit (resource.host_memory), the
  README's ``--device 0`` on a laptop without an NVIDIA driver (env.cuda_setup), the repo's joint transforms
  calling ``torchvision.transforms.functional._get_image_size`` (in workers, env.version_incompat), the
  student's wrapper adding ``--lr`` to the repository's parent parser that already has it (other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the "released"
checkpoints are written by the case's setup).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more70.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import json
from pathlib import Path

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more70.py"

SCRIPTS = {}
CELLS = {}


# ------------------------------------------------------------------ data helpers
def coco_split(root, split, n, size, cats, boxes, img_dir=None, json_path=None, ext="jpg", mode="RGB",
               name=None):
    """A setup writing a COCO-format split: images in ``img_dir`` (default root/split) and the JSON at
    ``json_path`` (default root/annotations/instances_<split>.json). ``boxes(i)`` gives the annotations of image i as
    (category_id, [x, y, w, h]) or (category_id, [x, y, w, h], polygons)."""
    def setup(work: Path):
        d = img_dir or f"{root}/{split}"
        sizes = [size(i) if callable(size) else size for i in range(n)]
        fname = name or (lambda i: f"{split}_{i:04d}.{ext}")
        make_images(work, [(f"{d}/{fname(i)}", sizes[i], mode) for i in range(n)])
        coco = {"info": {"description": "exported"}, "images": [], "annotations": [],
                "categories": [{"id": c, "name": nm, "supercategory": "none"} for c, nm in cats]}
        for i in range(n):
            w, h = sizes[i]
            coco["images"].append({"id": i + 1, "file_name": fname(i), "width": w, "height": h})
            for b in boxes(i):
                a = {"id": len(coco["annotations"]) + 1, "image_id": i + 1, "category_id": b[0],
                     "bbox": [round(v, 2) for v in b[1]], "area": round(abs(b[1][2] * b[1][3]), 2), "iscrowd": 0}
                if len(b) > 2:
                    a["segmentation"] = b[2]
                coco["annotations"].append(a)
        p = work / (json_path or f"{root}/annotations/instances_{split}.json")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(coco))
    return setup


def two_boxes(i, ncat=3):
    return [(1 + i % ncat, [20 + 7 * (i % 5), 30 + 5 * (i % 4), 80 + 3 * (i % 6), 60 + 4 * (i % 3)]),
            (1 + (i + 1) % ncat, [150 + 4 * (i % 4), 70 + 6 * (i % 3), 70 + 5 * (i % 4), 90 + 2 * (i % 5)])]


FRCNN_TRAIN = '''
import argparse
import json
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="@@CFG@@")
args = parser.parse_args()
cfg = json.load(open(args.config))
print(json.dumps(cfg))


class CocoJsonDataset(Dataset):
    """COCO-format JSON -> (image tensor, {"boxes": xyxy, "labels"}) for torchvision detectors."""

    def __init__(self, img_dir, ann_file):
        coco = json.load(open(ann_file))
        self.img_dir = img_dir
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)
        self.categories = {c["id"]: c["name"] for c in coco["categories"]}

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(os.path.join(self.img_dir, info["file_name"])).convert("RGB")
        anns = self.anns.get(info["id"], [])
@@TARGET@@
        return TF.to_tensor(img), target


def collate_fn(batch):
    return tuple(zip(*batch))


train_set = CocoJsonDataset(cfg["train_images"], cfg["train_ann"])
print(f"{len(train_set)} train images, categories: {train_set.categories}")
loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True, collate_fn=collate_fn)

torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                              num_classes=@@NC@@)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=cfg["lr"], momentum=0.9, weight_decay=1e-4)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.001, total_iters=cfg["warmup_iters"])

model.train()
for epoch in range(cfg["epochs"]):
    for it, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        warmup.step()
        if it % 2 == 0:
            print(f"epoch {epoch} it {it} loss {loss.item():.4f} " +
                  " ".join(f"{k}={v.item():.3f}" for k, v in loss_dict.items()), flush=True)
'''

XYWH_TARGET = '''\
        boxes = [[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                 for a in anns]
        target = {"boxes": torch.as_tensor(boxes, dtype=torch.float32).reshape(-1, 4),
                  "labels": torch.as_tensor([a["category_id"] for a in anns], dtype=torch.int64)}'''


def frcnn_cfg(root, epochs=2, lr=0.01, nc=None, extra=None):
    c = {"train_images": f"{root}/train", "train_ann": f"{root}/annotations/instances_train.json",
         "batch_size": 2, "lr": lr, "warmup_iters": 50, "epochs": epochs}
    if nc is not None:
        c["num_classes"] = nc
    c.update(extra or {})
    return json.dumps(c, indent=2) + "\n"


# ================================================================== data
SCRIPTS["seg-val-batch-raised-to-4-full-res-two-camera-sizes-tqdm"] = '''
import argparse
import glob
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/cracks.json")
args = parser.parse_args()
cfg = json.load(open(args.config))


class CrackSeg(Dataset):
    def __init__(self, root, split, crop=None):
        self.images = sorted(glob.glob(os.path.join(root, split, "images", "*.png")))
        self.crop = crop

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"))
        mask = np.asarray(Image.open(self.images[i].replace("images", "masks")))
        if self.crop:   # training: random crop; evaluation runs on the full image (as in the paper)
            h, w = mask.shape
            y, x = np.random.randint(0, h - self.crop + 1), np.random.randint(0, w - self.crop + 1)
            img, mask = img[y:y + self.crop, x:x + self.crop], mask[y:y + self.crop, x:x + self.crop]
        x = torch.from_numpy(img.copy()).permute(2, 0, 1).float() / 255.0
        return x, torch.from_numpy(mask.copy()).long()


class TinySegNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.ReLU(),
                                 nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.cls = nn.Conv2d(32, num_classes, 1)

    def forward(self, x):
        return F.interpolate(self.cls(self.enc(x)), size=x.shape[-2:], mode="bilinear", align_corners=False)


train_set = CrackSeg(cfg["data_root"], "train", crop=cfg["crop_size"])
val_set = CrackSeg(cfg["data_root"], "val")
train_loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True, drop_last=True)
val_loader = DataLoader(val_set, batch_size=cfg["val_batch_size"], shuffle=False)

model = TinySegNet(cfg["num_classes"])
optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])


def evaluate():
    model.eval()
    inter = np.zeros(cfg["num_classes"])
    union = np.zeros(cfg["num_classes"])
    with torch.no_grad():
        for x, y in tqdm(val_loader, desc="val"):
            pred = model(x).argmax(1)
            for c in range(cfg["num_classes"]):
                inter[c] += ((pred == c) & (y == c)).sum().item()
                union[c] += ((pred == c) | (y == c)).sum().item()
    return inter / np.maximum(union, 1)


for epoch in range(cfg["epochs"]):
    model.train()
    for x, y in tqdm(train_loader, desc=f"epoch {epoch}"):
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    iou = evaluate()
    print(f"epoch {epoch}: mIoU {iou.mean():.4f}  per class {np.round(iou, 3).tolist()}")
'''

CRACKS_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(5)
for split, n in (("train", 8), ("val", 6)):
    os.makedirs(f"data/cracks/{split}/images", exist_ok=True)
    os.makedirs(f"data/cracks/{split}/masks", exist_ok=True)
    for i in range(n):
        # two inspection cameras: 320x240 (drone) and 400x300 (handheld)
        w, h = (320, 240) if i % 3 else (400, 300)
        img = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        mask = np.zeros((h, w), np.uint8)
        mask[h // 3:h // 3 + 6, 20:w - 20] = 1
        Image.fromarray(img).save(f"data/cracks/{split}/images/{split}_{i:03d}.png")
        Image.fromarray(mask).save(f"data/cracks/{split}/masks/{split}_{i:03d}.png")
'''

CRACKS_CFG = json.dumps({"data_root": "data/cracks", "num_classes": 2, "crop_size": 96, "batch_size": 4,
                         "val_batch_size": 4, "lr": 1e-3, "epochs": 2}, indent=2) + "\n"

SCRIPTS["dataset-mean-std-computed-over-rgba-png-exports-workers"] = '''
import argparse
import glob
import json
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/wsol_leaves.json")
args = parser.parse_args()
cfg = json.load(open(args.config))


def dataset_statistics(image_dir):
    """per-channel mean / std of the training images (the repo's ``normalize: dataset`` option)"""
    s, s2, n = 0.0, 0.0, 0
    for p in sorted(glob.glob(os.path.join(image_dir, "*.png"))):
        a = np.asarray(Image.open(p), dtype=np.float64) / 255.0
        a = a.reshape(-1, a.shape[-1])
        s, s2, n = s + a.sum(0), s2 + (a ** 2).sum(0), n + a.shape[0]
    mean = s / n
    return mean.tolist(), np.sqrt(s2 / n - mean ** 2).tolist()


class CocoImageLabels(Dataset):
    """image-level (multi-label) targets from a COCO JSON, for weakly supervised localisation"""

    def __init__(self, img_dir, ann_file, transform):
        coco = json.load(open(ann_file))
        self.cat_index = {c["id"]: k for k, c in enumerate(coco["categories"])}
        self.images = coco["images"]
        self.labels = {im["id"]: torch.zeros(len(self.cat_index)) for im in self.images}
        for a in coco["annotations"]:
            self.labels[a["image_id"]][self.cat_index[a["category_id"]]] = 1.0
        self.img_dir, self.transform = img_dir, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        im = self.images[i]
        img = Image.open(os.path.join(self.img_dir, im["file_name"])).convert("RGB")
        return self.transform(img), self.labels[im["id"]]


if cfg["normalize"] == "dataset":
    mean, std = dataset_statistics(cfg["train_images"])
else:
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
print("normalize with mean", np.round(mean, 4).tolist(), "std", np.round(std, 4).tolist())

tf = T.Compose([T.Resize((cfg["img_size"], cfg["img_size"])), T.ToTensor(), T.Normalize(mean, std)])
train_set = CocoImageLabels(cfg["train_images"], cfg["train_ann"], tf)
loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=2)
model = models.resnet18(weights=None, num_classes=len(train_set.cat_index))
optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)
for epoch in range(cfg["epochs"]):
    for x, y in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

WSOL_CFG = json.dumps({"train_images": "data/leaf_lesions/train", "train_ann":
                       "data/leaf_lesions/annotations/instances_train.json", "img_size": 128,
                       "normalize": "dataset", "lr": 0.01, "epochs": 3}, indent=2) + "\n"

SCRIPTS["labelme-rectangles-clicked-bottom-right-first-frcnn"] = sub(FRCNN_TRAIN, CFG="configs/solar_frcnn.json",
                                                                     TARGET=XYWH_TARGET, NC="len(train_set.categories) + 1")


def labelme_boxes(i):
    # tools/labelme2coco.py: x, y = points[0]; w, h = points[1] - points[0]; one annotator drew from the
    # bottom-right corner, so her rectangles come out with negative width and height
    out = two_boxes(i, 2)
    if i % 3 == 1:
        x, y, w, h = out[1][1]
        out[1] = (out[1][0], [x + w, y + h, -w, -h])
    return out


SCRIPTS["coco-polygons-float-coords-cv2-fillpoly-workers"] = '''
import argparse
import json
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="data/weeds")
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--workers", type=int, default=2)
args = parser.parse_args()


class CocoSemSeg(Dataset):
    """semantic masks rasterised from the COCO polygons (class index = category order, 0 = background)"""

    def __init__(self, root, split, size=256):
        coco = json.load(open(os.path.join(root, "annotations", f"instances_{split}.json")))
        self.root, self.split, self.size = root, split, size
        self.cat_to_label = {c["id"]: k + 1 for k, c in enumerate(coco["categories"])}
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = cv2.imread(os.path.join(self.root, self.split, info["file_name"]))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        mask = np.zeros((info["height"], info["width"]), dtype=np.uint8)
        for a in self.anns.get(info["id"], []):
            for poly in a["segmentation"]:
                pts = np.array(poly).reshape(-1, 2)
                cv2.fillPoly(mask, [pts], self.cat_to_label[a["category_id"]])
        img = cv2.resize(img, (self.size, self.size))
        mask = cv2.resize(mask, (self.size, self.size), interpolation=cv2.INTER_NEAREST)
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255.0, torch.from_numpy(mask).long()


train_set = CocoSemSeg(args.data, "train")
loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=args.workers)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(train_set.cat_to_label) + 1)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4)
for epoch in range(args.epochs):
    for x, y in loader:
        loss = F.cross_entropy(model(x)["out"], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''


def polygon_boxes(i):
    out = []
    for cat, (x, y, w, h) in two_boxes(i, 2):
        poly = [x, y, x + w * 0.9, y + 0.13 * h, x + w, y + h, x + 0.21 * w, y + h * 0.87]
        out.append((cat, [x, y, w, h], [[round(v, 2) for v in poly]]))
    return out


SCRIPTS["ema-teacher-pseudo-label-quantile-under-bf16-autocast"] = '''
import argparse
import copy
import glob
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/semi_pollen.json")
parser.add_argument("--bf16", action="store_true", help="bf16 autocast on CPU")
args = parser.parse_args()
cfg = json.load(open(args.config))


class CocoCrops(Dataset):
    """one labelled crop per COCO annotation (pollen grains cut out of the slide images)"""

    def __init__(self, img_dir, ann_file, tf):
        coco = json.load(open(ann_file))
        self.files = {im["id"]: im["file_name"] for im in coco["images"]}
        self.cat_index = {c["id"]: k for k, c in enumerate(coco["categories"])}
        self.anns, self.img_dir, self.tf = coco["annotations"], img_dir, tf

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        x, y, w, h = a["bbox"]
        img = Image.open(os.path.join(self.img_dir, self.files[a["image_id"]])).convert("RGB")
        return self.tf(img.crop((x, y, x + w, y + h))), self.cat_index[a["category_id"]]


class Unlabelled(Dataset):
    def __init__(self, folder, weak, strong):
        self.paths = sorted(glob.glob(os.path.join(folder, "*.jpg")))
        self.weak, self.strong = weak, strong

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).convert("RGB")
        return self.weak(img), self.strong(img)


weak = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
strong = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ColorJitter(0.4, 0.4, 0.4), T.ToTensor()])
labelled = CocoCrops(cfg["train_images"], cfg["train_ann"], weak)
unlabelled = Unlabelled(cfg["unlabelled_images"], weak, strong)
lab_loader = DataLoader(labelled, batch_size=cfg["batch_size"], shuffle=True, drop_last=True)
unl_loader = DataLoader(unlabelled, batch_size=cfg["batch_size"] * cfg["mu"], shuffle=True, drop_last=True)

model = models.resnet18(weights=None, num_classes=len(labelled.cat_index))
teacher = copy.deepcopy(model).eval()
for p in teacher.parameters():
    p.requires_grad_(False)
optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, nesterov=True)

for epoch in range(cfg["epochs"]):
    for (xl, yl), (xw, xs) in zip(lab_loader, unl_loader):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            with torch.no_grad():
                probs = teacher(xw).softmax(1)
            logits_l, logits_s = model(xl), model(xs)
        conf, pseudo = probs.max(1)
        # the paper's adaptive threshold: keep the most confident (1 - q) of the unlabelled batch
        thr = torch.quantile(conf, cfg["pseudo_quantile"])
        mask = (conf >= thr).float()
        loss_l = F.cross_entropy(logits_l.float(), yl)
        loss_u = (F.cross_entropy(logits_s.float(), pseudo, reduction="none") * mask).mean()
        loss = loss_l + cfg["lambda_u"] * loss_u
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for pt, ps in zip(teacher.parameters(), model.parameters()):
                pt.mul_(cfg["ema_decay"]).add_(ps, alpha=1 - cfg["ema_decay"])
    print(f"epoch {epoch}: loss {loss.item():.4f} (thr {thr.item():.3f})")
'''

POLLEN_CFG = json.dumps({"train_images": "data/pollen/train", "train_ann": "data/pollen/annotations/instances_train.json",
                         "unlabelled_images": "data/pollen/unlabelled", "batch_size": 4, "mu": 2, "lr": 0.03,
                         "pseudo_quantile": 0.7, "lambda_u": 1.0, "ema_decay": 0.999, "epochs": 2}, indent=2) + "\n"

SCRIPTS["frcnn-labels-sliced-as-column-from-annotation-array"] = sub(
    FRCNN_TRAIN, CFG="configs/pallets_frcnn.json", NC="len(train_set.categories) + 1", TARGET='''\
        # one row per object: x, y, w, h, label (COCO ids are 1..K, 0 is the background)
        arr = np.array([a["bbox"] + [a["category_id"]] for a in anns], dtype=np.float32).reshape(-1, 5)
        arr[:, 2:4] += arr[:, 0:2]                               # xywh -> xyxy
        target = {"boxes": torch.from_numpy(arr[:, :4]),
                  "labels": torch.from_numpy(arr[:, 4:]).long()}''')

SCRIPTS["repo-coco-builder-hardcodes-train2017-roboflow-export-workers"] = '''
import argparse
from pathlib import Path

import torch
from torch.utils.data import DataLoader

import datasets
from models import build_model

parser = argparse.ArgumentParser("train")
parser.add_argument("--coco_path", type=str, required=True)
parser.add_argument("--num_classes", type=int, default=91)
parser.add_argument("--batch_size", type=int, default=2)
parser.add_argument("--num_workers", type=int, default=2)
parser.add_argument("--epochs", type=int, default=12)
parser.add_argument("--lr", type=float, default=0.01)
args = parser.parse_args()

dataset_train = datasets.build("train", args)
print(f"train: {len(dataset_train)} images from {args.coco_path}")
loader = DataLoader(dataset_train, batch_size=args.batch_size, shuffle=True, num_workers=args.num_workers,
                    collate_fn=datasets.collate_fn)
model = build_model(args)
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=args.lr, momentum=0.9)
for epoch in range(args.epochs):
    model.train()
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

REPO_DATASETS = '''
"""datasets/__init__.py of the paper's repository"""
import json
import os
from pathlib import Path

import torch
from PIL import Image
from torchvision.transforms import functional as F


class CocoDetection(torch.utils.data.Dataset):
    def __init__(self, img_folder, ann_file):
        coco = json.load(open(ann_file))
        self.img_folder = img_folder
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        info = self.images[idx]
        img = Image.open(os.path.join(self.img_folder, info["file_name"])).convert("RGB")
        anns = [a for a in self.anns.get(info["id"], []) if not a.get("iscrowd", 0)]
        boxes = torch.tensor([a["bbox"] for a in anns], dtype=torch.float32).reshape(-1, 4)
        boxes[:, 2:] += boxes[:, :2]
        labels = torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)
        return F.to_tensor(img), {"boxes": boxes, "labels": labels, "image_id": info["id"]}


def collate_fn(batch):
    return tuple(zip(*batch))


def build(image_set, args):
    root = Path(args.coco_path)
    assert root.exists(), f"provided COCO path {root} does not exist"
    PATHS = {
        "train": (root / "train2017", root / "annotations" / "instances_train2017.json"),
        "val": (root / "val2017", root / "annotations" / "instances_val2017.json"),
    }
    img_folder, ann_file = PATHS[image_set]
    return CocoDetection(img_folder, ann_file)
'''

REPO_MODELS = '''
"""models/__init__.py of the paper's repository"""
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn


def build_model(args):
    return fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=args.num_classes)
'''

SCRIPTS["labmate-added-fourth-category-config-num-classes-left-at-3"] = sub(
    FRCNN_TRAIN, CFG="configs/insects_frcnn.json", TARGET=XYWH_TARGET,
    NC='cfg["num_classes"] + 1')


def insect_boxes(i):
    # images 0-9: the first annotation round (3 species); 10-15: a labmate's round with a fourth species
    out = two_boxes(i, 3)
    if i >= 10 or i % 4 == 0:
        out.append((4, [230, 150, 50, 40]))
    return out


INSECT_CATS = [(1, "aphid"), (2, "thrips"), (3, "whitefly"), (4, "spider_mite")]

SCRIPTS["repo-autoanchor-scipy-kmeans-on-point-tool-boxes"] = '''
"""tools/autoanchor.py: k-means anchors for our dataset (9 anchors, 3 per FPN level), as in the paper's repo"""
import argparse
import json

import numpy as np
from scipy.cluster.vq import kmeans

parser = argparse.ArgumentParser()
parser.add_argument("--ann", default="data/nuclei/annotations/instances_train.json")
parser.add_argument("--img-size", type=int, default=640)
parser.add_argument("--n", type=int, default=9)
args = parser.parse_args()

coco = json.load(open(args.ann))
sizes = {im["id"]: (im["width"], im["height"]) for im in coco["images"]}
wh = []
for a in coco["annotations"]:
    w0, h0 = sizes[a["image_id"]]
    r = args.img_size / max(w0, h0)                 # letterboxed to img_size
    wh.append([a["bbox"][2] * r, a["bbox"][3] * r])
wh = np.array(wh, dtype=np.float64)
print(f"{len(wh)} boxes from {len(coco['images'])} images, wh min {wh.min(0)} max {wh.max(0)}")

s = wh.std(0)                                       # sigmas for whitening
k, dist = kmeans(wh / s, args.n, iter=30)
k *= s
anchors = k[np.argsort(k.prod(1))].round().reshape(3, 3, 2)
print("anchors per level:")
for level, a in zip(("P3/8", "P4/16", "P5/32"), anchors):
    print(f"  {level}: {a.tolist()}")
'''


def nuclei_boxes(i):
    # the point-and-click tool puts a default-size box around each clicked nucleus
    out = []
    for j in range(6):
        s = (24, 24) if (i + j) % 4 else (36, 30)
        out.append((1, [20 + 40 * j, 30 + 25 * (j % 3) + i, s[0], s[1]]))
    return out


# ================================================================== model
SCRIPTS["repo-fpn-lateral-add-student-input-600x400"] = '''
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import resnet18
from torchvision.models._utils import IntermediateLayerGetter

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/potholes_fpn.json")
args = parser.parse_args()
cfg = json.load(open(args.config))


class FPN(nn.Module):
    """the paper's top-down pathway (C3-C5 -> P3-P5)"""

    def __init__(self, in_channels=(128, 256, 512), out_channels=128):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, out_channels, 1) for c in in_channels)
        self.smooth = nn.ModuleList(nn.Conv2d(out_channels, out_channels, 3, padding=1) for _ in in_channels)

    def forward(self, feats):
        c3, c4, c5 = feats
        p5 = self.lateral[2](c5)
        p4 = self.lateral[1](c4) + F.interpolate(p5, scale_factor=2, mode="nearest")
        p3 = self.lateral[0](c3) + F.interpolate(p4, scale_factor=2, mode="nearest")
        return [s(p) for s, p in zip(self.smooth, (p3, p4, p5))]


class Detector(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.body = IntermediateLayerGetter(resnet18(weights=None),
                                            return_layers={"layer2": "c3", "layer3": "c4", "layer4": "c5"})
        self.fpn = FPN()
        self.cls_head = nn.Conv2d(128, num_classes, 3, padding=1)
        self.box_head = nn.Conv2d(128, 4, 3, padding=1)

    def forward(self, x):
        feats = list(self.body(x).values())
        return [(self.cls_head(p), self.box_head(p)) for p in self.fpn(feats)]


model = Detector(cfg["num_classes"])
w, h = cfg["img_size"]
print(f"input {w}x{h}")
x = torch.rand(cfg["batch_size"], 3, h, w)
outs = model(x)
for (cls, box) in outs:
    print(tuple(cls.shape), tuple(box.shape))
'''

FPN_CFG = json.dumps({"num_classes": 3, "img_size": [600, 400], "batch_size": 2,
                      "comment": "img_size is [width, height]; our dashcam frames are 3:2"}, indent=2) + "\n"

SEGNET_PY = '''
"""models/segnet.py of the paper's repository (a small encoder-decoder)"""
import torch.nn as nn
import torch.nn.functional as F


class SegNetLite(nn.Module):
    def __init__(self, num_classes, width=16):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, width, 3, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),
                                 nn.Conv2d(width, 2 * width, 3, 2, 1), nn.BatchNorm2d(2 * width), nn.ReLU())
        self.head = nn.Conv2d(2 * width, num_classes, 1)

    def forward(self, x):
        return F.interpolate(self.head(self.enc(x)), size=x.shape[-2:], mode="bilinear", align_corners=False)


def build_from_cfg(cfg):
    return SegNetLite(cfg["num_classes"], cfg.get("width", 16))
'''

CITYSCAPES_CKPT = '''
import os, torch
from models.segnet import SegNetLite
os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
m = SegNetLite(19)
with torch.no_grad():   # a trained Cityscapes head: vegetation (8) and sky (10) dominate rural scenes
    m.head.bias[8] += 0.6
    m.head.bias[10] += 0.5
torch.save({"cfg": {"num_classes": 19, "width": 16, "dataset": "cityscapes"}, "state_dict": m.state_dict(),
            "iteration": 160000}, "pretrained/segnetlite_cityscapes_160k.pth")
'''

FARM_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(2)
os.makedirs("data/farmroads/val/images", exist_ok=True)
os.makedirs("data/farmroads/val/masks", exist_ok=True)
for i in range(4):
    Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(f"data/farmroads/val/images/{i:03d}.png")
    m = np.zeros((120, 160), np.uint8); m[60:, :] = 1; m[80:100, 40:120] = 2; m[10:30, 10:50] = 3
    Image.fromarray(m).save(f"data/farmroads/val/masks/{i:03d}.png")
json.dump({"classes": ["background", "road", "crop_row", "vehicle"]}, open("data/farmroads/meta.json", "w"))
'''

CELLS["released-cityscapes-checkpoint-zero-shot-miou-baseline-notebook"] = [
    '''
import glob, json
import numpy as np
import torch
from PIL import Image
from models.segnet import build_from_cfg

CLASSES = json.load(open("data/farmroads/meta.json"))["classes"]
n = len(CLASSES)
print(n, CLASSES)
''',
    '''
# baseline row for Table 2: the authors' released checkpoint, no fine-tuning
ckpt = torch.load("pretrained/segnetlite_cityscapes_160k.pth", map_location="cpu")
model = build_from_cfg(ckpt["cfg"])
model.load_state_dict(ckpt["state_dict"])
model.eval();
''',
    '''
def fast_hist(gt, pred, n):
    k = (gt >= 0) & (gt < n)
    return np.bincount(n * gt[k].astype(int) + pred[k], minlength=n ** 2).reshape(n, n)

hist = np.zeros((n, n))
for p in sorted(glob.glob("data/farmroads/val/images/*.png")):
    x = torch.from_numpy(np.asarray(Image.open(p).convert("RGB")).copy()).permute(2, 0, 1).float()[None] / 255
    gt = np.asarray(Image.open(p.replace("images", "masks")))
    with torch.no_grad():
        pred = model(x).argmax(1)[0].numpy()
    hist += fast_hist(gt.flatten(), pred.flatten(), n)
iou = np.diag(hist) / (hist.sum(0) + hist.sum(1) - np.diag(hist))
print("mIoU", np.nanmean(iou))
''',
]

SCRIPTS["released-checkpoint-is-google-drive-virus-scan-page"] = '''
import argparse
import json

import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/finetune_birds.json")
parser.add_argument("--resume", default="", help="released checkpoint to fine-tune from")
args = parser.parse_args()
cfg = json.load(open(args.config))

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=cfg["num_classes"])
if args.resume:
    print(f"loading {args.resume}")
    checkpoint = torch.load(args.resume, map_location="cpu")
    state = checkpoint["model"]
    state = {k: v for k, v in state.items() if not k.startswith("roi_heads.box_predictor")}
    missing, unexpected = model.load_state_dict(state, strict=False)
    print("missing", missing, "unexpected", unexpected)
'''

GDRIVE_HTML = ('<!DOCTYPE html><html><head><title>Google Drive - Virus scan warning</title><meta http-equiv="content-type" '
               'content="text/html; charset=utf-8"/><link href=&#47;static&#47;doclist&#47;client&#47;css&#47;'
               '4033072956&#45;untrustedcontent.css rel="stylesheet" nonce="Zx1YQ6f0fKyV1Zp0nF8c0A"></head>'
               '<body><div class="uc-main"><div id="uc-text"><p class="uc-warning-caption">Google Drive can\'t scan this '
               'file for viruses.</p><p class="uc-warning-subcaption"><span class="uc-name-size"><a href="/open?id='
               '1aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW">frcnn_mnv3_birds_release.pth</a> (158M)</span> is too large for '
               'Google to scan for viruses. Would you still like to download this file?</p><form id="download-form" '
               'action="https://drive.usercontent.google.com/download" method="get"><input type="submit" '
               'id="uc-download-link" class="goog-inline-block jfk-button jfk-button-action" value="Download anyway"/>'
               '<input type="hidden" name="id" value="1aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW"><input type="hidden" '
               'name="export" value="download"><input type="hidden" name="confirm" value="t"></form></div></div>'
               '</body></html>\n')

EMA_PY = '''
"""utils/ema.py of the paper's repository"""
import math
from copy import deepcopy

import torch
import torch.nn as nn


class ModelEMA(nn.Module):
    """Exponential moving average of the model weights, with a warm-up of the decay."""

    def __init__(self, model, decay=0.9998, tau=2000):
        super().__init__()
        self.module = deepcopy(model).eval()
        for p in self.module.parameters():
            p.requires_grad_(False)
        self.updates = 0
        self.decay_fn = lambda x: decay * (1 - math.exp(-x / tau))

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = self.decay_fn(self.updates)
        for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
            if ema_v.dtype.is_floating_point:
                ema_v.mul_(d).add_(model_v.detach(), alpha=1 - d)
'''

SCRIPTS["eval-loads-ema-wrapper-state-dict-into-bare-model"] = '''
import argparse
import glob

import torch
from PIL import Image
from torchvision import models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--ckpt", default="runs/exp7/last.pth")
parser.add_argument("--use-ema", action="store_true", help="evaluate the EMA weights (the paper reports these)")
args = parser.parse_args()

ckpt = torch.load(args.ckpt, map_location="cpu")
print("checkpoint keys:", list(ckpt))
classes = ckpt["classes"]
model = models.mobilenet_v3_small(weights=None, num_classes=len(classes))
model.load_state_dict(ckpt["ema"] if args.use_ema else ckpt["model"])
model.eval()

tf = T.Compose([T.Resize((128, 128)), T.ToTensor()])
correct = total = 0
for p in sorted(glob.glob("data/moths/val/*/*.jpg")):
    y = classes.index(p.split("/")[-2])
    with torch.no_grad():
        correct += int(model(tf(Image.open(p).convert("RGB"))[None]).argmax(1).item() == y)
    total += 1
print(f"top-1 {correct / total:.3f} on {total} images")
'''

EMA_CKPT = '''
import os, torch
from torchvision import models
from utils.ema import ModelEMA
os.makedirs("runs/exp7", exist_ok=True)
torch.manual_seed(0)
model = models.mobilenet_v3_small(weights=None, num_classes=3)
ema = ModelEMA(model)
ema.update(model)
torch.save({"epoch": 29, "model": model.state_dict(), "ema": ema.state_dict(), "updates": ema.updates,
            "classes": ["geometer", "hawk_moth", "noctuid"]}, "runs/exp7/last.pth")
'''

SCRIPTS["averagedmodel-ema-avg-fn-two-args-from-blog"] = '''
import argparse
import json

import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/fungi.json")
args = parser.parse_args()
cfg = json.load(open(args.config))

tf = T.Compose([T.RandomResizedCrop(96, scale=(0.5, 1.0)), T.ToTensor()])
train_set = datasets.ImageFolder(cfg["train_dir"], tf)
loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True, drop_last=True)
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=0.05)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=cfg["warmup_steps"])


def ema_avg(averaged_param, model_param):
    # "EMA in 3 lines" (blog post)
    return cfg["ema_decay"] * averaged_param + (1 - cfg["ema_decay"]) * model_param


ema_model = AveragedModel(model, avg_fn=ema_avg)
step = 0
for epoch in range(cfg["epochs"]):
    for i, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y) / cfg["accum_steps"]
        loss.backward()
        if (i + 1) % cfg["accum_steps"] == 0:
            optimizer.step()
            optimizer.zero_grad()
            warmup.step()
            ema_model.update_parameters(model)
            step += 1
            print(f"step {step} lr {warmup.get_last_lr()[0]:.2e} loss {loss.item() * cfg['accum_steps']:.4f}",
                  flush=True)
'''

FUNGI_CFG = json.dumps({"train_dir": "data/fungi/train", "batch_size": 4, "accum_steps": 2, "lr": 1e-3,
                        "warmup_steps": 20, "ema_decay": 0.999, "epochs": 2}, indent=2) + "\n"

SCRIPTS["miou-eval-interpolates-logits-to-batched-mask-shape"] = '''
import argparse
import glob
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

parser = argparse.ArgumentParser()
parser.add_argument("--ckpt", default="runs/lraspp_wetlands/best.pth")
parser.add_argument("--data", default="data/wetlands/val")
parser.add_argument("--input-size", type=int, default=256)
args = parser.parse_args()

CLASSES = ["background", "water", "reed", "mudflat"]


class ValSet(Dataset):
    def __init__(self, root, size):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((self.size, self.size), Image.BILINEAR)
        mask = np.asarray(Image.open(self.images[i].replace("images", "masks")))    # full resolution
        x = torch.from_numpy(np.asarray(img).copy()).permute(2, 0, 1).float() / 255.0
        return x, torch.from_numpy(mask.copy()).long()


model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load(args.ckpt, map_location="cpu"))
model.eval()

loader = DataLoader(ValSet(args.data, args.input_size), batch_size=1)
n = len(CLASSES)
hist = np.zeros((n, n), dtype=np.int64)
with torch.no_grad():
    for x, mask in loader:
        logits = model(x)["out"]
        logits = F.interpolate(logits, size=mask.shape, mode="bilinear", align_corners=False)
        pred = logits.argmax(1)
        k = mask.flatten().numpy() * n + pred.flatten().numpy()
        hist += np.bincount(k, minlength=n * n).reshape(n, n)
iou = np.diag(hist) / np.maximum(hist.sum(0) + hist.sum(1) - np.diag(hist), 1)
for c, v in zip(CLASSES, iou):
    print(f"{c:>12s}: {v:.4f}")
print(f"mIoU: {iou.mean():.4f}")
'''

WETLANDS_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
os.makedirs("runs/lraspp_wetlands", exist_ok=True)
torch.manual_seed(0)
torch.save(lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4).state_dict(),
           "runs/lraspp_wetlands/best.pth")
rng = np.random.default_rng(7)
os.makedirs("data/wetlands/val/images", exist_ok=True)
os.makedirs("data/wetlands/val/masks", exist_ok=True)
for i in range(3):
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save(f"data/wetlands/val/images/{i:03d}.png")
    m = np.zeros((300, 400), np.uint8); m[150:, :] = 1; m[100:150, 50:200] = 2; m[200:260, 250:380] = 3
    Image.fromarray(m).save(f"data/wetlands/val/masks/{i:03d}.png")
'''

SCRIPTS["repo-model-ema-deepcopies-weight-norm-cosine-head"] = '''
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

from utils.ema import ModelEMA

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/lichens_cosine.json")
args = parser.parse_args()
cfg = json.load(open(args.config))


class CosineClassifier(nn.Module):
    """the paper's normalised classifier: weight-normalised 1x1 conv on L2-normalised features"""

    def __init__(self, in_features, num_classes, scale=16.0):
        super().__init__()
        self.fc = nn.utils.weight_norm(nn.Linear(in_features, num_classes, bias=False), name="weight")
        self.scale = scale

    def forward(self, x):
        return self.scale * self.fc(F.normalize(x, dim=1))


def build_model(num_classes):
    m = models.resnet18(weights=None)
    m.fc = CosineClassifier(m.fc.in_features, num_classes)
    return m


tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor()])
train_set = datasets.ImageFolder(cfg["train_dir"], tf)
loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True)
model = build_model(len(train_set.classes))
ema = ModelEMA(model, decay=cfg["ema_decay"]) if cfg["use_ema"] else None
optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)
for epoch in range(cfg["epochs"]):
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if ema is not None:
            ema.update(model)
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

LICHEN_CFG = json.dumps({"train_dir": "data/lichens/train", "batch_size": 4, "lr": 0.05, "ema_decay": 0.9998,
                         "use_ema": True, "epochs": 2}, indent=2) + "\n"

# ================================================================== optimisation
SCRIPTS["validate-first-under-inference-mode-caches-anchor-grid"] = '''
import argparse
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/yolo_tiny_bees.json")
parser.add_argument("--val-first", action="store_true", help="evaluate the released checkpoint before training")
args = parser.parse_args()
cfg = json.load(open(args.config))


class Detect(nn.Module):
    """the repo's YOLO-style head; grids are built once per feature-map size and cached"""

    def __init__(self, nc, anchors, ch, stride):
        super().__init__()
        self.no, self.na = nc + 5, len(anchors) // 2
        self.register_buffer("anchors", torch.tensor(anchors, dtype=torch.float32).view(self.na, 2) / stride)
        self.stride = stride
        self.m = nn.Conv2d(ch, self.na * self.no, 1)
        self.grid = torch.empty(0)
        self.anchor_grid = torch.empty(0)

    def _make_grid(self, nx, ny):
        yv, xv = torch.meshgrid(torch.arange(ny), torch.arange(nx), indexing="ij")
        grid = torch.stack((xv, yv), 2).view(1, 1, ny, nx, 2).float()
        anchor_grid = (self.anchors * self.stride).view(1, self.na, 1, 1, 2).expand(1, self.na, ny, nx, 2)
        return grid, anchor_grid

    def forward(self, x):
        bs, _, ny, nx = x.shape
        y = self.m(x).view(bs, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2)
        if self.grid.shape[2:4] != (ny, nx):
            self.grid, self.anchor_grid = self._make_grid(nx, ny)
        xy = (y[..., :2].sigmoid() * 2 - 0.5 + self.grid) * self.stride
        wh = (y[..., 2:4].sigmoid() * 2) ** 2 * self.anchor_grid
        return torch.cat((xy, wh, y[..., 4:]), -1)


class TinyYolo(nn.Module):
    def __init__(self, nc):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.SiLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.SiLU(),
                                      nn.Conv2d(32, 64, 3, 2, 1), nn.SiLU(), nn.Conv2d(64, 64, 3, 2, 1), nn.SiLU())
        self.detect = Detect(nc, [10, 13, 16, 30, 33, 23], 64, 16)

    def forward(self, x):
        return self.detect(self.backbone(x))


def box_loss(pred, tbox):
    """L1 on the decoded centre / size of the responsible cell (one object per image, as in the toy set)"""
    return F.l1_loss(pred[:, 0, 4, 4, :4], tbox)


@torch.inference_mode()
def evaluate(model, loader):
    model.eval()
    err = [box_loss(model(x), t).item() for x, t in loader]
    model.train()
    return sum(err) / len(err)


torch.manual_seed(0)
S = cfg["img_size"]
train = TensorDataset(torch.rand(16, 3, S, S), torch.rand(16, 4) * S)
val = TensorDataset(torch.rand(8, 3, S, S), torch.rand(8, 4) * S)
train_loader = DataLoader(train, batch_size=4, shuffle=True)
val_loader = DataLoader(val, batch_size=4)
model = TinyYolo(cfg["num_classes"])
optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.937)
if args.val_first:
    print(f"val box L1 before training: {evaluate(model, val_loader):.3f}")
for epoch in range(cfg["epochs"]):
    for x, t in train_loader:
        loss = box_loss(model(x), t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: train {loss.item():.3f}  val {evaluate(model, val_loader):.3f}")
'''

BEES_CFG = json.dumps({"num_classes": 2, "img_size": 160, "lr": 0.001, "epochs": 3}, indent=2) + "\n"

# ================================================================== resource / environment / other
SCRIPTS["hand-map-iou-all-detections-vs-all-gt-job-memory-limit"] = '''
import argparse
import json
import resource

import numpy as np
import torch
from torchvision.ops import box_iou


def job_memory_limit(gib):
    # the cluster's SLURM job (--mem=4G), reproduced on the interactive node
    vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + int(gib * 2 ** 30), resource.RLIM_INFINITY))


job_memory_limit(2.0)

parser = argparse.ArgumentParser()
parser.add_argument("--gt", default="data/shipwrecks/annotations/instances_val.json")
parser.add_argument("--dets", default="runs/eval/detections_val.json")
parser.add_argument("--iou", type=float, default=0.5)
args = parser.parse_args()

gt = json.load(open(args.gt))
dets = json.load(open(args.dets))
print(f"{len(gt['images'])} images, {len(gt['annotations'])} gt boxes, {len(dets)} detections")


def xywh2xyxy(b):
    b = torch.tensor(b, dtype=torch.float32)
    return torch.cat([b[:, :2], b[:, :2] + b[:, 2:]], 1)


aps = []
for cat in gt["categories"]:
    g = [a for a in gt["annotations"] if a["category_id"] == cat["id"]]
    d = sorted((x for x in dets if x["category_id"] == cat["id"]), key=lambda x: -x["score"])
    g_img = torch.tensor([a["image_id"] for a in g])
    d_img = torch.tensor([x["image_id"] for x in d])
    ious = box_iou(xywh2xyxy([x["bbox"] for x in d]), xywh2xyxy([a["bbox"] for a in g]))
    ious[d_img[:, None] != g_img[None, :]] = 0          # only pairs from the same image count
    matched = torch.zeros(len(g), dtype=torch.bool)
    tp = torch.zeros(len(d))
    for k in range(len(d)):
        best, j = ious[k].max(0)
        if best >= args.iou and not matched[j]:
            matched[j] = True
            tp[k] = 1
    prec = tp.cumsum(0) / torch.arange(1, len(d) + 1)
    rec = tp.cumsum(0) / max(len(g), 1)
    aps.append(torch.trapezoid(prec, rec).item())
    print(f"{cat['name']}: AP50 {aps[-1]:.4f}")
print(f"mAP50 {np.mean(aps):.4f}")
'''

SHIPWRECK_PREP = '''
import json, os
import numpy as np
rng = np.random.default_rng(0)
os.makedirs("data/shipwrecks/annotations", exist_ok=True)
os.makedirs("runs/eval", exist_ok=True)
n_img = 400
images = [{"id": i + 1, "file_name": f"sonar_{i:05d}.png", "width": 1024, "height": 1024} for i in range(n_img)]
anns, dets = [], []
for i in range(n_img):
    for j in range(40):
        x, y = rng.uniform(0, 900, 2).round(1)
        anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": 1, "bbox": [x, y, 60.0, 40.0],
                     "area": 2400.0, "iscrowd": 0})
    for j in range(100):   # the model's top-100 per image, no score threshold (as in the paper's protocol)
        x, y = rng.uniform(0, 900, 2).round(1)
        dets.append({"image_id": i + 1, "category_id": 1, "bbox": [x, y, 55.0, 42.0],
                     "score": round(float(rng.uniform()), 4)})
json.dump({"images": images, "annotations": anns, "categories": [{"id": 1, "name": "wreck"}]},
          open("data/shipwrecks/annotations/instances_val.json", "w"))
json.dump(dets, open("runs/eval/detections_val.json", "w"))
'''

SCRIPTS["readme-device-0-on-laptop-without-nvidia-driver"] = '''
import argparse
import json
import os

import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

from utils.torch_utils import select_device

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/coco_frcnn.json")
parser.add_argument("--device", default="", help="cuda device, i.e. 0 or 0,1,2,3 or cpu")
parser.add_argument("--batch-size", type=int, default=16)
args = parser.parse_args()
cfg = json.load(open(args.config))

device = select_device(args.device, batch_size=args.batch_size)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                              num_classes=cfg["num_classes"]).to(device)
print(f"model on {device}")
'''

TORCH_UTILS = '''
"""utils/torch_utils.py of the paper's repository"""
import os
import platform

import torch


def select_device(device="", batch_size=None):
    # device = "cpu" or "0" or "0,1,2,3"
    s = f"torch {torch.__version__} python {platform.python_version()} "
    cpu = device.lower() == "cpu"
    if cpu:
        os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    elif device:
        os.environ["CUDA_VISIBLE_DEVICES"] = device   # set environment variable before any CUDA call
    cuda = not cpu and (bool(device) or torch.cuda.is_available())
    if cuda:
        devices = device.split(",") if device else "0"
        n = len(devices)
        if n > 1 and batch_size:
            assert batch_size % n == 0, f"batch-size {batch_size} not multiple of GPU count {n}"
        space = " " * len(s)
        for i, d in enumerate(devices):
            p = torch.cuda.get_device_properties(i)
            s += f"{'' if i == 0 else space}CUDA:{d} ({p.name}, {p.total_memory / 1024 ** 2:.0f}MiB)\\n"
    else:
        s += "CPU\\n"
    print(s.rstrip())
    return torch.device("cuda:0" if cuda else "cpu")
'''

SCRIPTS["repo-joint-transforms-use-private-get-image-size-workers"] = '''
import argparse
import glob
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

import transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="data/glaciers")
parser.add_argument("--crop", type=int, default=128)
parser.add_argument("--epochs", type=int, default=3)
args = parser.parse_args()


class GlacierSeg(Dataset):
    def __init__(self, root, split, transforms):
        self.images = sorted(glob.glob(os.path.join(root, split, "images", "*.png")))
        self.transforms = transforms

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("images", "masks"))
        return self.transforms(img, mask)


train_tf = T.Compose([T.RandomResize(160, 220), T.RandomHorizontalFlip(0.5), T.RandomCrop(args.crop), T.ToTensor()])
train_set = GlacierSeg(args.data, "train", train_tf)
loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=2, drop_last=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(args.epochs):
    for x, y in loader:
        loss = F.cross_entropy(model(x)["out"], y, ignore_index=255)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

REPO_TRANSFORMS = '''
"""transforms.py of the paper's repository (joint image / mask transforms, 2020)"""
import random

import numpy as np
import torch
from torchvision import transforms as T
from torchvision.transforms import functional as F


def pad_if_smaller(img, size, fill=0):
    min_size = min(img.size)
    if min_size < size:
        ow, oh = img.size
        padh = size - oh if oh < size else 0
        padw = size - ow if ow < size else 0
        img = F.pad(img, (0, 0, padw, padh), fill=fill)
    return img


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, image, target):
        for t in self.transforms:
            image, target = t(image, target)
        return image, target


class RandomResize:
    def __init__(self, min_size, max_size=None):
        self.min_size, self.max_size = min_size, max_size or min_size

    def __call__(self, image, target):
        size = random.randint(self.min_size, self.max_size)
        image = F.resize(image, size)
        target = F.resize(target, size, interpolation=T.InterpolationMode.NEAREST)
        return image, target


class RandomHorizontalFlip:
    def __init__(self, flip_prob):
        self.flip_prob = flip_prob

    def __call__(self, image, target):
        if random.random() < self.flip_prob:
            image, target = F.hflip(image), F.hflip(target)
        return image, target


class RandomCrop:
    def __init__(self, size):
        self.size = size

    @staticmethod
    def get_params(img, output_size):
        w, h = F._get_image_size(img)
        th, tw = output_size
        if w == tw and h == th:
            return 0, 0, h, w
        i = random.randint(0, h - th)
        j = random.randint(0, w - tw)
        return i, j, th, tw

    def __call__(self, image, target):
        image = pad_if_smaller(image, self.size)
        target = pad_if_smaller(target, self.size, fill=255)
        crop_params = self.get_params(image, (self.size, self.size))
        image = F.crop(image, *crop_params)
        target = F.crop(target, *crop_params)
        return image, target


class ToTensor:
    def __call__(self, image, target):
        image = F.to_tensor(image)
        target = torch.as_tensor(np.array(target), dtype=torch.int64)
        return image, target
'''

GLACIER_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(9)
os.makedirs("data/glaciers/train/images", exist_ok=True)
os.makedirs("data/glaciers/train/masks", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)).save(f"data/glaciers/train/images/g_{i:03d}.png")
    m = np.zeros((180, 240), np.uint8); m[:90] = 1; m[120:, 100:] = 2
    Image.fromarray(m).save(f"data/glaciers/train/masks/g_{i:03d}.png")
'''

SCRIPTS["wrapper-adds-lr-to-repo-parent-parser"] = '''
"""train_mydata.py: run the paper's main() on our dataset with a few extra options"""
import argparse

import main as repo_main

parser = argparse.ArgumentParser("fine-tune on the ponds dataset", parents=[repo_main.get_args_parser()])
parser.add_argument("--dataset_root", default="data/ponds")
parser.add_argument("--num_classes", type=int, default=4)
parser.add_argument("--lr", type=float, default=2e-5, help="smaller lr for fine-tuning")
args = parser.parse_args()
repo_main.main(args)
'''

REPO_MAIN = '''
"""main.py of the paper's repository"""
import argparse


def get_args_parser():
    parser = argparse.ArgumentParser("Set transformer detector", add_help=False)
    parser.add_argument("--lr", default=1e-4, type=float)
    parser.add_argument("--lr_backbone", default=1e-5, type=float)
    parser.add_argument("--batch_size", default=2, type=int)
    parser.add_argument("--weight_decay", default=1e-4, type=float)
    parser.add_argument("--epochs", default=300, type=int)
    parser.add_argument("--lr_drop", default=200, type=int)
    parser.add_argument("--clip_max_norm", default=0.1, type=float)
    parser.add_argument("--num_queries", default=100, type=int)
    parser.add_argument("--resume", default="", help="resume from checkpoint")
    parser.add_argument("--output_dir", default="", help="path where to save, empty for no saving")
    return parser


def main(args):
    print(args)
'''


def cases():
    out, add, script, notebook = case_builders("torch-more70-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    NB = ("ipython_cell", "ipython_arrows")

    # ---- data
    script("seg-val-batch-raised-to-4-full-res-two-camera-sizes-tqdm", "data.image_size_mismatch", forms=P,
           argv="train_seg.py", extra={"configs/cracks.json": CRACKS_CFG}, setup=prep(CRACKS_PREP))
    script("dataset-mean-std-computed-over-rgba-png-exports-workers", "data.image_channels", forms=W,
           argv="train_wsol.py", extra={"configs/wsol_leaves.json": WSOL_CFG},
           setup=coco_split("data/leaf_lesions", "train", 8, (160, 120), [(1, "rust"), (2, "scab")],
                            lambda i: two_boxes(i, 2), ext="png", mode="RGBA"))
    script("labelme-rectangles-clicked-bottom-right-first-frcnn", "data.bbox_invalid",
           extra={"configs/solar_frcnn.json": frcnn_cfg("data/solar")},
           setup=coco_split("data/solar", "train", 8, (320, 240), [(1, "hotspot"), (2, "crack")], labelme_boxes))
    script("coco-polygons-float-coords-cv2-fillpoly-workers", "data.dtype", forms=W, argv="train_seg.py",
           setup=coco_split("data/weeds", "train", 6, (320, 240), [(1, "thistle"), (2, "dock")], polygon_boxes))
    script("ema-teacher-pseudo-label-quantile-under-bf16-autocast", "data.dtype", also=["model.api_misuse"],
           argv="train_semi.py", args=("--bf16",), extra={"configs/semi_pollen.json": POLLEN_CFG},
           setup=both(coco_split("data/pollen", "train", 4, (320, 240), [(1, "birch"), (2, "grass"), (3, "oak")],
                                 lambda i: two_boxes(i, 3)),
                      imgs([(f"data/pollen/unlabelled/slide_{i:03d}.jpg", (96, 96), "RGB") for i in range(8)])))
    script("frcnn-labels-sliced-as-column-from-annotation-array", "data.label_shape",
           extra={"configs/pallets_frcnn.json": frcnn_cfg("data/pallets")},
           setup=coco_split("data/pallets", "train", 6, (320, 240), [(1, "pallet"), (2, "forklift")],
                            lambda i: two_boxes(i, 2)))
    script("repo-coco-builder-hardcodes-train2017-roboflow-export-workers", "data.missing_or_corrupt", forms=W,
           args=("--coco_path", "data/kelp_coco", "--num_classes", "3"),
           extra={"datasets/__init__.py": REPO_DATASETS, "models/__init__.py": REPO_MODELS},
           setup=coco_split("data/kelp_coco", "train", 6, (320, 240), [(1, "kelp"), (2, "urchin")],
                            lambda i: two_boxes(i, 2),
                            json_path="data/kelp_coco/annotations/instances_train2017.json",
                            name=lambda i: f"IMG_{2040 + i}_jpg.rf.{i:02d}a9c.jpg"))
    script("labmate-added-fourth-category-config-num-classes-left-at-3", "data.label_out_of_range",
           also=["model.output_mismatch"], extra={"configs/insects_frcnn.json": frcnn_cfg("data/sticky_traps", nc=3)},
           setup=coco_split("data/sticky_traps", "train", 16, (320, 240), INSECT_CATS, insect_boxes))
    script("repo-autoanchor-scipy-kmeans-on-point-tool-boxes", "data.too_few_boxes", argv="tools/autoanchor.py",
           setup=coco_split("data/nuclei", "train", 10, (320, 240), [(1, "nucleus")], nuclei_boxes))

    # ---- model
    script("repo-fpn-lateral-add-student-input-600x400", "model.input_shape",
           extra={"configs/potholes_fpn.json": FPN_CFG})
    notebook("released-cityscapes-checkpoint-zero-shot-miou-baseline-notebook", "model.output_mismatch", forms=NB,
             files={"models/__init__.py": "", "models/segnet.py": SEGNET_PY},
             setup=both(prep(CITYSCAPES_CKPT), prep(FARM_PREP)))
    script("released-checkpoint-is-google-drive-virus-scan-page", "model.weights_mismatch",
           also=["data.missing_or_corrupt"], argv="finetune.py",
           args=("--resume", "pretrained/frcnn_mnv3_birds_release.pth"),
           extra={"configs/finetune_birds.json": json.dumps({"num_classes": 5}) + "\n"},
           setup=write("pretrained/frcnn_mnv3_birds_release.pth", GDRIVE_HTML))
    script("eval-loads-ema-wrapper-state-dict-into-bare-model", "model.weights_mismatch", argv="eval.py",
           args=("--ckpt", "runs/exp7/last.pth", "--use-ema"),
           extra={"utils/__init__.py": "", "utils/ema.py": EMA_PY},
           setup=both(prep(EMA_CKPT), imgs(class_folder("data/moths/val", ["geometer", "hawk_moth", "noctuid"], 2,
                                                       size=(120, 90)))))
    script("averagedmodel-ema-avg-fn-two-args-from-blog", "model.api_misuse",
           extra={"configs/fungi.json": FUNGI_CFG},
           setup=imgs(class_folder("data/fungi/train", ["amanita", "boletus", "chanterelle"], 4, size=(120, 100))))
    script("miou-eval-interpolates-logits-to-batched-mask-shape", "model.api_misuse", also=["data.label_shape"],
           argv="eval_miou.py", setup=prep(WETLANDS_PREP))
    script("repo-model-ema-deepcopies-weight-norm-cosine-head", "model.api_misuse", also=["optim.autograd_graph"],
           extra={"configs/lichens_cosine.json": LICHEN_CFG, "utils/__init__.py": "", "utils/ema.py": EMA_PY},
           setup=imgs(class_folder("data/lichens/train", ["crustose", "foliose", "fruticose"], 3, size=(100, 100))))

    # ---- optimisation
    script("validate-first-under-inference-mode-caches-anchor-grid", "optim.autograd_graph", args=("--val-first",),
           extra={"configs/yolo_tiny_bees.json": BEES_CFG})

    # ---- resource / environment / other
    script("hand-map-iou-all-detections-vs-all-gt-job-memory-limit", "resource.host_memory", argv="eval_map.py",
           setup=prep(SHIPWRECK_PREP), timeout=400)
    script("readme-device-0-on-laptop-without-nvidia-driver", "env.cuda_setup", args=("--device", "0"),
           extra={"configs/coco_frcnn.json": json.dumps({"num_classes": 91}) + "\n", "utils/__init__.py": "",
                  "utils/torch_utils.py": TORCH_UTILS})
    script("repo-joint-transforms-use-private-get-image-size-workers", "env.version_incompat", forms=W,
           extra={"transforms.py": REPO_TRANSFORMS}, setup=prep(GLACIER_PREP))
    script("wrapper-adds-lr-to-repo-parent-parser", "other", also=["model.api_misuse"], argv="train_mydata.py",
           extra={"main.py": REPO_MAIN})
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
