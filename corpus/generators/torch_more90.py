"""A ninetieth held-out set (g168, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: researchers reproducing a paper from its GitHub repository and then adapting it to their own data in
PyTorch -- the repo's multi-task models (a shared backbone with a classification head and a segmentation or keypoint
heatmap head, ``models/mtl.py``), its config files (YAML-like dicts, mmcv-style pipeline lists, argparse defaults)
whose values disagree with the new data (ignore index, input size, mean / std, class names), its custom Datasets
returning dicts or tuples (``datasets/scenes.py``), its collate functions and samplers, checkpoints released by the
authors with other heads, and its evaluation / benchmark scripts; ImageAI 3.0.3 is the baseline of their comparison
tables (about a fifth of the cases). A natural mix of causes, each program built so that its cause is known by
construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy or multiprocessing:

- PyTorch / torchvision: masks whose unlabelled boundaries are 255 while the repo config says ``ignore_index: -1``
  (tqdm, data.label_out_of_range); the authors' COCO checkpoint (80 classes, 17 keypoints) loaded strictly into the
  3-class, 5-keypoint model (notebook, model.weights_mismatch); RGBA microscopy PNGs under the argparse three-value
  mean / std (workers, data.image_channels); a torchvision ``Resize`` on the image only, so the repo's collate stacks
  masks of their native sizes (workers, data.image_size_mismatch); an evaluation notebook that takes the stride-8
  segmentation logits straight into ``cross_entropy`` against full-size masks, skipping the repo's upsampling loss
  (notebook, model.output_mismatch); CVAT colour-coded RGB masks as cross-entropy targets (notebook,
  data.label_shape); uint8 masks from ``np.array(mask)`` in a tuple Dataset (data.dtype); NumPy float64 Gaussian
  keypoint heatmaps into ``binary_cross_entropy`` (data.dtype); a flatten head sized for the paper's 256 px run with
  ``--input-size 320`` (model.input_shape); an mmcv-style pipeline list with ``Normalize`` before ``ToTensor``
  (workers, model.api_misuse); one ``backward()`` per task through the shared backbone (optim.autograd_graph); an
  ``img_norm_cfg`` in 0-1 units applied to 0-255 tensors in a DeepPose-style regressor without BatchNorm, under the
  config's anomaly mode (optim.divergence); a config class map kept as a lambda in the Dataset under the repo's spawn
  start method (env.multiprocessing); the repo's test script preallocating every probability map at ADE20K's 150
  classes (resource.host_memory); the repo's loader hard-coding ``.jpg`` for PNG tiles (workers,
  data.missing_or_corrupt); a repeat-factor sampler whose ``__len__`` returns a float, met by ``len(loader)`` for
  ``OneCycleLR`` (other); the repo's mIoU script using ``np.float`` (env.version_incompat); the FPS benchmark's
  ``torch.cuda.synchronize()`` on a laptop without an NVIDIA driver (env.cuda_setup); COCO ``[x, y, w, h]`` boxes given
  to Keypoint R-CNN as ``x1y1x2y2`` (data.bbox_invalid);
- ImageAI 3 baseline: ``ClassificationModelTrainer`` pointed at the repo's flat ``train/`` + ``test/`` split folders
  with CSV labels (data.missing_or_corrupt), the repo's normalised CHW float array given to ``classifyImage``
  (model.api_misuse), the class JSON rewritten from the paper config's five class names for a three-class model
  (model.weights_mismatch), YOLOv8 segmentation-format polygon rows as ImageAI detection labels (data.bbox_invalid).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run or the authors left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more90.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more90.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ the repo's own files
# models/mtl.py of the paper's repository: a shared backbone with an image-level classification head and a dense
# head (segmentation logits or keypoint heatmaps) at stride 8
MTL_MODELS = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, stride):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Backbone(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.stem = conv_bn(3, width, 2)
        self.layer1 = conv_bn(width, 2 * width, 2)
        self.layer2 = conv_bn(2 * width, 4 * width, 2)
        self.out_channels = 4 * width

    def forward(self, x):
        return self.layer2(self.layer1(self.stem(x)))      # stride 8


class MultiTaskNet(nn.Module):
    """Shared backbone + classification head + segmentation head (logits at stride 8)."""

    def __init__(self, num_classes, num_seg_classes, width=16):
        super().__init__()
        self.backbone = Backbone(width)
        c = self.backbone.out_channels
        self.cls_head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.1), nn.Linear(c, num_classes))
        self.seg_head = nn.Sequential(conv_bn(c, c, 1), nn.Conv2d(c, num_seg_classes, 1))

    def forward(self, x):
        f = self.backbone(x)
        return {"cls": self.cls_head(f), "seg": self.seg_head(f)}


class PoseMultiTaskNet(nn.Module):
    """Shared backbone + classification head + keypoint heatmap head (stride 8)."""

    def __init__(self, num_classes, num_keypoints, width=16):
        super().__init__()
        self.backbone = Backbone(width)
        c = self.backbone.out_channels
        self.cls_head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, num_classes))
        self.kp_head = nn.Sequential(conv_bn(c, c, 1), nn.Conv2d(c, num_keypoints, 1))

    def forward(self, x):
        f = self.backbone(x)
        return self.cls_head(f), self.kp_head(f)


def seg_loss(logits, mask, ignore_index=255):
    """the repo's loss: logits are upsampled to the mask size first"""
    logits = F.interpolate(logits, size=mask.shape[-2:], mode="bilinear", align_corners=False)
    return F.cross_entropy(logits, mask, ignore_index=ignore_index)
'''

# data/<name>/images/*.jpg, data/<name>/masks/*.png (values 0..5, 255 = void where asked) and labels.csv (scene class)
SCENES_PREP = '''
import os, csv
import numpy as np
from PIL import Image

root = "@@ROOT@@"
os.makedirs(f"{root}/images", exist_ok=True)
os.makedirs(f"{root}/masks", exist_ok=True)
rng = np.random.default_rng(0)
sizes = @@SIZES@@
rows = []
for i in range(@@N@@):
    w, h = sizes[i % len(sizes)]
    img = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
    Image.fromarray(img).save(f"{root}/images/{i:04d}.@@EXT@@")
    mask = np.zeros((h, w), dtype=np.uint8)
    for k in range(1, 6):
        y0, x0 = rng.integers(0, h - 20), rng.integers(0, w - 20)
        mask[y0:y0 + 20, x0:x0 + 20] = k
    if @@VOID@@:
        mask[::7, :] = 255            # the annotation tool marks unlabelled boundaries as 255
    if @@COLOUR@@:
        palette = np.array([[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128]], np.uint8)
        Image.fromarray(palette[mask]).save(f"{root}/masks/{i:04d}.png")
    else:
        Image.fromarray(mask).save(f"{root}/masks/{i:04d}.png")
    rows.append((f"{i:04d}", int(i % 3)))
with open(f"{root}/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("id", "scene")] + rows)
'''


def scenes(root="data/street", n=12, sizes="[(128, 96)]", ext="jpg", void=False, colour=False):
    return prep(sub(SCENES_PREP, ROOT=root, N=str(n), SIZES=sizes, EXT=ext, VOID=str(void), COLOUR=str(colour)))


SCENE_DATASET = '''
import csv
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset


class SceneSegDataset(Dataset):
    """Returns a dict: image (C, H, W), mask (H, W), label (scene class)."""

    def __init__(self, root, transform=None):
        self.root = root
        with open(os.path.join(root, "labels.csv")) as f:
            self.items = [(r["id"], int(r["scene"])) for r in csv.DictReader(f)]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, label = self.items[i]
        img = Image.open(os.path.join(self.root, "images", name + ".jpg")).convert("RGB")
        mask = Image.open(os.path.join(self.root, "masks", name + ".png"))
        if self.transform is not None:
            img = self.transform(img)
        return {"image": img, "mask": torch.from_numpy(np.array(mask)).long(), "label": label}
'''

PKG = {"models/__init__.py": "", "models/mtl.py": MTL_MODELS, "datasets/__init__.py": "",
       "datasets/scenes.py": SCENE_DATASET}

SCENE_COLLATE = '''


def mtl_collate(batch):
    """the repo's collate: stacks every tensor field of the sample dicts"""
    return {
        "image": torch.stack([b["image"] for b in batch]),
        "mask": torch.stack([b["mask"] for b in batch]),
        "label": torch.tensor([b["label"] for b in batch]),
    }
'''

# ================================================================== PyTorch / torchvision
SCRIPTS["config-ignore-index-minus-one-void-255-masks"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import transforms
from tqdm import tqdm

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet, seg_loss

# configs/mtl_street.yaml of the repo, as a dict
cfg = {
    "data": {"root": "data/street", "input_size": [96, 128], "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]},
    "model": {"num_classes": 3, "num_seg_classes": 6, "width": 16},
    "loss": {"ignore_index": -1, "seg_weight": 1.0, "cls_weight": 0.5},
    "train": {"batch_size": 4, "epochs": 2, "lr": 1e-3},
}

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(cfg["data"]["mean"], cfg["data"]["std"])])
ds = SceneSegDataset(cfg["data"]["root"], transform=tf)
loader = DataLoader(ds, batch_size=cfg["train"]["batch_size"], shuffle=True)
model = MultiTaskNet(**cfg["model"])
opt = torch.optim.AdamW(model.parameters(), lr=cfg["train"]["lr"])
for epoch in range(cfg["train"]["epochs"]):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for batch in pbar:
        out = model(batch["image"])
        loss = (cfg["loss"]["seg_weight"] * seg_loss(out["seg"], batch["mask"], ignore_index=cfg["loss"]["ignore_index"])
                + cfg["loss"]["cls_weight"] * torch.nn.functional.cross_entropy(out["cls"], batch["label"]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

# the authors' released checkpoint: COCO (80 classes, 17 keypoints)
POSE_CKPT_PREP = '''
import os
import torch
from models.mtl import PoseMultiTaskNet

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
net = PoseMultiTaskNet(num_classes=80, num_keypoints=17)
torch.save({"epoch": 140, "arch": "pose_mtl_w16", "state_dict": net.state_dict(), "best_ap": 0.642},
           "checkpoints/pose_mtl_w16_coco_140e.pth")
'''

CELLS["released-coco-checkpoint-17-keypoints-notebook"] = [
    '''import torch
from models.mtl import PoseMultiTaskNet

# our config: 3 animal classes, 5 keypoints (nose, 2 ears, tail base, tail tip)
cfg = dict(num_classes=3, num_keypoints=5, pretrained="checkpoints/pose_mtl_w16_coco_140e.pth")
model = PoseMultiTaskNet(cfg["num_classes"], cfg["num_keypoints"])''',
    '''ckpt = torch.load(cfg["pretrained"], map_location="cpu")
print(ckpt["arch"], ckpt["epoch"], ckpt["best_ap"])
model.load_state_dict(ckpt["state_dict"])''',
]

SCRIPTS["rgba-microscopy-pngs-three-value-mean-workers"] = '''
import argparse
import glob
import os

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

from models.mtl import MultiTaskNet


class CellDataset(Dataset):
    def __init__(self, root, classes, transform):
        self.samples = [(p, classes.index(os.path.basename(os.path.dirname(p))))
                        for p in sorted(glob.glob(os.path.join(root, "*", "*.png")))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return {"image": self.transform(Image.open(path)), "label": label, "path": path}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/cells")
    p.add_argument("--classes", nargs="+", default=["interphase", "mitosis"])
    p.add_argument("--mean", nargs=3, type=float, default=[0.485, 0.456, 0.406])
    p.add_argument("--std", nargs=3, type=float, default=[0.229, 0.224, 0.225])
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(), transforms.Normalize(args.mean, args.std)])
    loader = DataLoader(CellDataset(args.data, args.classes, tf), batch_size=4, shuffle=True, num_workers=args.workers)
    model = MultiTaskNet(num_classes=len(args.classes), num_seg_classes=2)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        for batch in loader:
            loss = F.cross_entropy(model(batch["image"])["cls"], batch["label"])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["image-only-resize-masks-native-size-repo-collate-workers"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import transforms

from datasets.scenes import SceneSegDataset, mtl_collate
from models.mtl import MultiTaskNet, seg_loss

cfg = {"root": "data/street", "input_size": (96, 128), "batch_size": 4, "workers": 2, "lr": 1e-3}

if __name__ == "__main__":
    # the repo resized with its own joint transforms; ours uses torchvision on the image
    tf = transforms.Compose([transforms.Resize(cfg["input_size"]), transforms.ToTensor()])
    ds = SceneSegDataset(cfg["root"], transform=tf)
    loader = DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True, num_workers=cfg["workers"],
                        collate_fn=mtl_collate)
    model = MultiTaskNet(num_classes=3, num_seg_classes=6)
    opt = torch.optim.Adam(model.parameters(), cfg["lr"])
    for epoch in range(2):
        for batch in loader:
            out = model(batch["image"])
            loss = seg_loss(out["seg"], batch["mask"]) + torch.nn.functional.cross_entropy(out["cls"], batch["label"])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())
'''

CELLS["stride8-logits-against-full-mask-eval-notebook"] = [
    '''import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import transforms

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
val_loader = DataLoader(SceneSegDataset("data/street", transform=tf), batch_size=4)
model = MultiTaskNet(num_classes=3, num_seg_classes=6)
model.load_state_dict(torch.load("work_dirs/mtl_street/latest.pth", map_location="cpu"))
model.eval();''',
    '''# validation loss + pixel accuracy for the paper's table
total_loss, correct, pixels = 0.0, 0, 0
with torch.no_grad():
    for batch in val_loader:
        out = model(batch["image"])
        total_loss += F.cross_entropy(out["seg"], batch["mask"]).item()
        correct += (out["seg"].argmax(1) == batch["mask"]).sum().item()
        pixels += batch["mask"].numel()
print(total_loss / len(val_loader), correct / pixels)''',
]

STREET_CKPT_PREP = '''
import os
import torch
from models.mtl import MultiTaskNet

os.makedirs("work_dirs/mtl_street", exist_ok=True)
torch.manual_seed(0)
torch.save(MultiTaskNet(num_classes=3, num_seg_classes=6).state_dict(), "work_dirs/mtl_street/latest.pth")
'''

CELLS["cvat-colour-masks-into-crossentropy-notebook"] = [
    '''import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import transforms

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet, seg_loss

# masks exported from CVAT ("Segmentation mask 1.1")
ds = SceneSegDataset("data/cvat_export", transform=transforms.ToTensor())
loader = DataLoader(ds, batch_size=4, shuffle=True)
sample = ds[0]
sample["image"].shape, sample["mask"].shape''',
    '''model = MultiTaskNet(num_classes=3, num_seg_classes=6)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for batch in loader:
        out = model(batch["image"])
        loss = seg_loss(out["seg"], batch["mask"]) + 0.5 * F.cross_entropy(out["cls"], batch["label"])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

SCRIPTS["uint8-masks-tuple-dataset-crossentropy"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

from models.mtl import MultiTaskNet

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class LeafDataset(Dataset):
    """returns (image, mask, label) like the repo's VOCMultiTask dataset"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        mask = np.array(Image.open(path.replace("images", "masks").replace(".jpg", ".png")))
        return self.tf(Image.open(path).convert("RGB")), torch.from_numpy(mask), i % 3


loader = DataLoader(LeafDataset("data/leaves"), batch_size=4, shuffle=True)
model = MultiTaskNet(num_classes=3, num_seg_classes=6)
criterion_seg = nn.CrossEntropyLoss(ignore_index=255)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(5):
    for image, mask, label in loader:
        out = model(image)
        logits = F.interpolate(out["seg"], size=mask.shape[-2:], mode="bilinear", align_corners=False)
        loss = criterion_seg(logits, mask) + F.cross_entropy(out["cls"], label)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"[{epoch}] loss={loss.item():.4f}")
'''

POSE_DATA_PREP = '''
import json, os
import numpy as np
from PIL import Image

os.makedirs("data/animals/images", exist_ok=True)
rng = np.random.default_rng(3)
anns = []
for i in range(12):
    Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"data/animals/images/{i:04d}.jpg")
    kps = [[float(rng.uniform(8, 120)), float(rng.uniform(8, 120)), 2] for _ in range(5)]
    anns.append({"file_name": f"{i:04d}.jpg", "category_id": int(i % 3), "keypoints": kps})
json.dump({"annotations": anns}, open("data/animals/annotations.json", "w"))
'''

SCRIPTS["gaussian-heatmaps-float64-bce-keypoint-head"] = '''
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

from models.mtl import PoseMultiTaskNet

cfg = dict(input_size=128, heatmap_stride=8, sigma=1.5, num_keypoints=5, num_classes=3, lr=5e-4, epochs=3)


def gaussian_heatmaps(keypoints, size, stride, sigma):
    """the repo's target generator, written with NumPy"""
    h = w = size // stride
    ys, xs = np.mgrid[0:h, 0:w]
    maps = np.zeros((len(keypoints), h, w))
    for k, (x, y, v) in enumerate(keypoints):
        if v > 0:
            maps[k] = np.exp(-((xs - x / stride) ** 2 + (ys - y / stride) ** 2) / (2 * sigma ** 2))
    return maps


class AnimalPose(Dataset):
    def __init__(self, root):
        self.root = root
        self.anns = json.load(open(os.path.join(root, "annotations.json")))["annotations"]
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = self.tf(Image.open(os.path.join(self.root, "images", a["file_name"])).convert("RGB"))
        target = torch.from_numpy(gaussian_heatmaps(a["keypoints"], cfg["input_size"], cfg["heatmap_stride"], cfg["sigma"]))
        return img, target, a["category_id"]


loader = DataLoader(AnimalPose("data/animals"), batch_size=4, shuffle=True)
model = PoseMultiTaskNet(cfg["num_classes"], cfg["num_keypoints"])
opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
for epoch in range(cfg["epochs"]):
    for img, heatmaps, label in loader:
        logits, hm_logits = model(img)
        loss = F.cross_entropy(logits, label) + F.binary_cross_entropy(torch.sigmoid(hm_logits), heatmaps)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["flatten-head-sized-for-paper-input-size-argparse"] = '''
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from models.mtl import Backbone

PAPER_INPUT = 256      # the resolution of the paper's experiments


class MultiLabelAttrNet(nn.Module):
    """category head + attribute head on a flattened stride-8 feature map (as in the repo)"""

    def __init__(self, num_classes, num_attrs, width=16):
        super().__init__()
        self.backbone = Backbone(width)
        feat = self.backbone.out_channels * (PAPER_INPUT // 32) ** 2
        self.reduce = nn.Sequential(nn.Conv2d(self.backbone.out_channels, self.backbone.out_channels, 3, 2, 1),
                                    nn.ReLU(), nn.MaxPool2d(2))
        self.cls_head = nn.Linear(feat, num_classes)
        self.attr_head = nn.Linear(feat, num_attrs)

    def forward(self, x):
        f = torch.flatten(self.reduce(self.backbone(x)), 1)
        return self.cls_head(f), self.attr_head(f)


p = argparse.ArgumentParser()
p.add_argument("--data", default="data/garments/train")
p.add_argument("--input-size", type=int, default=320)
p.add_argument("--num-attrs", type=int, default=6)
p.add_argument("--batch-size", type=int, default=4)
args = p.parse_args()

tf = transforms.Compose([transforms.Resize((args.input_size, args.input_size)), transforms.ToTensor()])
ds = datasets.ImageFolder(args.data, transform=tf)
loader = DataLoader(ds, batch_size=args.batch_size, shuffle=True)
model = MultiLabelAttrNet(len(ds.classes), args.num_attrs)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for images, labels in loader:
    attrs = torch.zeros(len(labels), args.num_attrs)
    cls_logits, attr_logits = model(images)
    loss = F.cross_entropy(cls_logits, labels) + F.binary_cross_entropy_with_logits(attr_logits, attrs)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["config-pipeline-normalize-before-totensor-workers"] = '''
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from models.mtl import MultiTaskNet

# configs/garments_r18.py (mmcv-style pipeline list)
train_pipeline = [
    dict(type="RandomResizedCrop", size=96, scale=(0.5, 1.0)),
    dict(type="RandomHorizontalFlip"),
    dict(type="Normalize", mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    dict(type="ToTensor"),
]
data = dict(root="data/garments/train", batch_size=4, workers=2)


def build_pipeline(cfg_list):
    ops = []
    for c in cfg_list:
        c = dict(c)
        ops.append(getattr(transforms, c.pop("type"))(**c))
    return transforms.Compose(ops)


if __name__ == "__main__":
    ds = datasets.ImageFolder(data["root"], transform=build_pipeline(train_pipeline))
    loader = DataLoader(ds, batch_size=data["batch_size"], shuffle=True, num_workers=data["workers"])
    model = MultiTaskNet(num_classes=len(ds.classes), num_seg_classes=2)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for images, labels in loader:
        loss = F.cross_entropy(model(images)["cls"], labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["per-task-backward-shared-backbone"] = '''
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import transforms

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet, seg_loss

cfg = {"tasks": ["seg", "cls"], "task_weights": {"seg": 1.0, "cls": 0.4}, "lr": 1e-3, "batch_size": 4}

ds = SceneSegDataset("data/street", transform=transforms.ToTensor())
loader = DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True)
model = MultiTaskNet(num_classes=3, num_seg_classes=6)
opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])

for epoch in range(3):
    for it, batch in enumerate(loader):
        out = model(batch["image"])
        losses = {"seg": seg_loss(out["seg"], batch["mask"]), "cls": F.cross_entropy(out["cls"], batch["label"])}
        opt.zero_grad()
        # one backward per task so each head only sees its own weighted loss (as in the paper's Alg. 1)
        for task in cfg["tasks"]:
            (cfg["task_weights"][task] * losses[task]).backward()
        opt.step()
        if it % 2 == 0:
            print(f"epoch {epoch} it {it} " + " ".join(f"{k}={v.item():.3f}" for k, v in losses.items()))
'''

SCRIPTS["mean-std-0-1-on-0-255-tensors-anomaly-mode"] = '''
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader

# configs/animal_kp_regress.py
cfg = dict(
    img_norm_cfg=dict(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    optimizer=dict(lr=0.02, momentum=0.9, weight_decay=1e-4),
    optimizer_config=dict(grad_clip=None),
    total_epochs=20,
    detect_anomaly=True,
)


class AnimalKeypoints(Dataset):
    def __init__(self, root):
        self.root = root
        self.anns = json.load(open(os.path.join(root, "annotations.json")))["annotations"]
        self.mean = torch.tensor(cfg["img_norm_cfg"]["mean"]).view(3, 1, 1)
        self.std = torch.tensor(cfg["img_norm_cfg"]["std"]).view(3, 1, 1)

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = np.array(Image.open(os.path.join(self.root, "images", a["file_name"])).convert("RGB"))
        img = torch.from_numpy(img).permute(2, 0, 1).float()
        img = (img - self.mean) / self.std
        kps = torch.tensor([[x, y] for x, y, v in a["keypoints"]]).flatten()
        return img, kps, a["category_id"]


class KeypointRegressor(nn.Module):
    """the repo's DeepPose-style baseline: conv trunk, a class head and a coordinate head"""

    def __init__(self, num_classes=3, num_keypoints=5):
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(3, 16, 5, 2, 2), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                   nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.cls = nn.Linear(64, num_classes)
        self.coords = nn.Linear(64, 2 * num_keypoints)

    def forward(self, x):
        f = self.trunk(x)
        return self.cls(f), self.coords(f)


torch.manual_seed(0)
torch.autograd.set_detect_anomaly(cfg["detect_anomaly"])
loader = DataLoader(AnimalKeypoints("data/animals"), batch_size=4, shuffle=True)
model = KeypointRegressor()
opt = torch.optim.SGD(model.parameters(), **cfg["optimizer"])
for epoch in range(cfg["total_epochs"]):
    for it, (img, kps, label) in enumerate(loader):
        logits, coords = model(img)
        loss = F.cross_entropy(logits, label) + F.mse_loss(coords, kps)
        opt.zero_grad()
        loss.backward()
        if cfg["optimizer_config"]["grad_clip"] is not None:
            nn.utils.clip_grad_norm_(model.parameters(), **cfg["optimizer_config"]["grad_clip"])
        opt.step()
        print(f"Epoch [{epoch + 1}][{it + 1}/{len(loader)}] lr: {cfg['optimizer']['lr']:.3e}, loss: {loss.item():.4f}")
'''

SCRIPTS["config-class-map-lambda-spawn-workers"] = '''
import os

import torch
import torch.multiprocessing as mp
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

from models.mtl import MultiTaskNet

CFG = {"root": "data/garments/train", "class_names": ["dress", "shirt", "trousers"], "input_size": 96,
       "batch_size": 4, "num_workers": 2}


class FolderDataset(Dataset):
    def __init__(self, root, transform, target_transform):
        self.samples = [(os.path.join(root, c, f), c) for c in sorted(os.listdir(root))
                        for f in sorted(os.listdir(os.path.join(root, c)))]
        self.transform, self.target_transform = transform, target_transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, name = self.samples[i]
        return self.transform(Image.open(path).convert("RGB")), self.target_transform(name)


def build_dataset(cfg):
    class_to_idx = {c: i for i, c in enumerate(cfg["class_names"])}
    tf = transforms.Compose([transforms.Resize((cfg["input_size"], cfg["input_size"])), transforms.ToTensor()])
    return FolderDataset(cfg["root"], tf, target_transform=lambda name: class_to_idx[name])


def main():
    ds = build_dataset(CFG)
    loader = DataLoader(ds, batch_size=CFG["batch_size"], shuffle=True, num_workers=CFG["num_workers"])
    model = MultiTaskNet(num_classes=len(CFG["class_names"]), num_seg_classes=2)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for epoch in range(2):
        for images, labels in loader:
            loss = F.cross_entropy(model(images)["cls"], labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)   # from the repo's train.py (CUDA in workers)
    main()
'''

SCRIPTS["eval-accumulates-full-probability-maps-ade-config"] = '''
import argparse

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import transforms

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet

# tools/test.py of the repo: keeps every probability map for the multi-scale / flip ensemble at the end
p = argparse.ArgumentParser()
p.add_argument("--data", default="data/street")
p.add_argument("--num-seg-classes", type=int, default=150)      # ADE20K
p.add_argument("--eval-size", type=int, nargs=2, default=[512, 512])
p.add_argument("--num-val", type=int, default=2000)
args = p.parse_args()

ds = SceneSegDataset(args.data, transform=transforms.Compose([transforms.Resize(args.eval_size), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=2)
model = MultiTaskNet(num_classes=3, num_seg_classes=args.num_seg_classes).eval()
print(f"evaluating {len(ds)} images (index sized for {args.num_val})")
all_probs = np.zeros((args.num_val, args.num_seg_classes, *args.eval_size), dtype=np.float64)
all_masks = np.zeros((args.num_val, *args.eval_size), dtype=np.int64)
idx = 0
with torch.no_grad():
    for batch in loader:
        probs = F.interpolate(model(batch["image"])["seg"], size=args.eval_size, mode="bilinear").softmax(1)
        all_probs[idx:idx + len(probs)] = probs.numpy()
        idx += len(probs)
'''

SCRIPTS["repo-loader-hardcodes-jpg-own-pngs-workers"] = '''
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import transforms

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet, seg_loss

if __name__ == "__main__":
    # our drone tiles were exported as PNG
    ds = SceneSegDataset("data/drone_tiles", transform=transforms.ToTensor())
    print(f"{len(ds)} training samples")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, persistent_workers=True)
    model = MultiTaskNet(num_classes=3, num_seg_classes=6)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for epoch in range(3):
        for batch in loader:
            out = model(batch["image"])
            loss = seg_loss(out["seg"], batch["mask"]) + F.cross_entropy(out["cls"], batch["label"])
            opt.zero_grad()
            loss.backward()
            opt.step()
'''

SCRIPTS["class-balanced-sampler-len-float-onecycle"] = '''
import csv
import random

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Sampler
from torchvision import transforms

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet, seg_loss


class ClassBalancedSampler(Sampler):
    """the repo's repeat-factor sampler: rare scene classes are drawn more often"""

    def __init__(self, labels, repeat_thresh=0.5):
        freq = {c: labels.count(c) / len(labels) for c in set(labels)}
        self.repeat = [max(1.0, (repeat_thresh / freq[c]) ** 0.5) for c in labels]

    def __iter__(self):
        idx = [i for i, r in enumerate(self.repeat) for _ in range(int(r + random.random()))]
        random.shuffle(idx)
        return iter(idx)

    def __len__(self):
        return sum(self.repeat)


labels = [int(r["scene"]) for r in csv.DictReader(open("data/street/labels.csv"))]
ds = SceneSegDataset("data/street", transform=transforms.ToTensor())
loader = DataLoader(ds, batch_size=4, sampler=ClassBalancedSampler(labels), drop_last=True)
model = MultiTaskNet(num_classes=3, num_seg_classes=6)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
epochs = 10
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=epochs, steps_per_epoch=len(loader))
for epoch in range(epochs):
    for batch in loader:
        out = model(batch["image"])
        loss = seg_loss(out["seg"], batch["mask"]) + F.cross_entropy(out["cls"], batch["label"])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
'''

SCRIPTS["repo-miou-eval-np-float"] = '''
import numpy as np
import torch
from torch.utils.data import DataLoader
from torchvision import transforms

from datasets.scenes import SceneSegDataset
from models.mtl import MultiTaskNet, seg_loss  # noqa: F401

CLASS_NAMES = ["background", "road", "sidewalk", "building", "vegetation", "car"]


def fast_hist(pred, gt, n):
    k = (gt >= 0) & (gt < n)
    return np.bincount(n * gt[k].astype(int) + pred[k], minlength=n ** 2).reshape(n, n)


def per_class_iou(hist):
    hist = hist.astype(np.float)
    return np.diag(hist) / (hist.sum(1) + hist.sum(0) - np.diag(hist))


model = MultiTaskNet(num_classes=3, num_seg_classes=len(CLASS_NAMES))
model.load_state_dict(torch.load("work_dirs/mtl_street/latest.pth", map_location="cpu"))
model.eval()
loader = DataLoader(SceneSegDataset("data/street", transform=transforms.ToTensor()), batch_size=4)
hist = np.zeros((len(CLASS_NAMES), len(CLASS_NAMES)), dtype=np.int64)
with torch.no_grad():
    for batch in loader:
        logits = torch.nn.functional.interpolate(model(batch["image"])["seg"], size=batch["mask"].shape[-2:],
                                                 mode="bilinear", align_corners=False)
        pred = logits.argmax(1).numpy()
        hist += fast_hist(pred.flatten(), batch["mask"].numpy().flatten(), len(CLASS_NAMES))
ious = per_class_iou(hist)
for name, iou in zip(CLASS_NAMES, ious):
    print(f"{name:12s} {100 * iou:5.2f}")
print(f"mIoU {100 * np.nanmean(ious):.2f}")
'''

SCRIPTS["fps-benchmark-cuda-synchronize-laptop"] = '''
import argparse
import time

import torch

from models.mtl import MultiTaskNet

p = argparse.ArgumentParser(description="speed benchmark for Table 3")
p.add_argument("--input-size", type=int, nargs=2, default=[96, 128])
p.add_argument("--iters", type=int, default=50)
args = p.parse_args()

model = MultiTaskNet(num_classes=3, num_seg_classes=6).eval()
x = torch.randn(1, 3, *args.input_size)
with torch.no_grad():
    for _ in range(5):           # warm-up
        model(x)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(args.iters):
        model(x)
    torch.cuda.synchronize()
print(f"{args.iters / (time.perf_counter() - t0):.1f} FPS")
'''

# person/animal boxes as the annotation tool exported them: COCO [x, y, w, h]
KPRCNN_PREP = '''
import json, os
import numpy as np
from PIL import Image

os.makedirs("data/barn/images", exist_ok=True)
rng = np.random.default_rng(5)
anns = []
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (160, 200, 3), dtype=np.uint8)).save(f"data/barn/images/{i:04d}.jpg")
    x, y = 60 + 5 * i, 40 + 3 * i
    w, h = 40, 50
    kps = [[x + 5 + 6 * k, y + 8 + 7 * k, 2] for k in range(5)]
    anns.append({"file_name": f"{i:04d}.jpg", "bbox": [x, y, w, h], "category_id": 1, "keypoints": kps})
json.dump({"annotations": anns, "categories": [{"id": 1, "name": "cow"}]}, open("data/barn/annotations.json", "w"))
'''

SCRIPTS["keypoint-rcnn-coco-xywh-boxes-as-xyxy"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.detection import keypointrcnn_resnet50_fpn
from torchvision.transforms import functional as TF


class BarnKeypoints(Dataset):
    def __init__(self, root):
        self.root = root
        self.anns = json.load(open(os.path.join(root, "annotations.json")))["annotations"]

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = TF.to_tensor(Image.open(os.path.join(self.root, "images", a["file_name"])).convert("RGB"))
        target = {
            "boxes": torch.tensor([a["bbox"]], dtype=torch.float32),
            "labels": torch.tensor([a["category_id"]]),
            "keypoints": torch.tensor([a["keypoints"]], dtype=torch.float32),
        }
        return img, target


def collate_fn(batch):          # references/detection/utils.py
    return tuple(zip(*batch))


loader = DataLoader(BarnKeypoints("data/barn"), batch_size=2, shuffle=True, collate_fn=collate_fn)
model = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, num_keypoints=5,
                                  min_size=160, max_size=256)
params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss_dict.values())
        opt.zero_grad()
        losses.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in loss_dict.items()})
'''

# ================================================================== ImageAI 3 (the baseline of the comparison table)
FUNGI_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
classes = ["agaricus", "amanita", "boletus"]
for split, n in (("train", 9), ("test", 3)):
    os.makedirs(f"data/fungi/{split}", exist_ok=True)
    rows = [("filename", "label")]
    for i in range(n):
        name = f"{split}_{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"data/fungi/{split}/{name}")
        rows.append((name, classes[i % 3]))
    with open(f"data/fungi/{split}.csv", "w", newline="") as f:
        csv.writer(f).writerows(rows)
'''

SCRIPTS["imageai-baseline-trainer-on-repo-csv-split-layout"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# baseline row of Table 2: ImageAI's ResNet50 trainer on the same split (data/fungi/{train,test} + the split CSVs)
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("data/fungi")
trainer.trainModel(num_experiments=10, batch_size=4)
'''

SCRIPTS["imageai-baseline-classify-repo-preprocessed-chw-array"] = '''
import glob

import numpy as np
from PIL import Image
from imageai.Classification.Custom import CustomImageClassification

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


def preprocess(path, size=224):
    """the repo's eval preprocessing, reused so both models see the same input"""
    img = np.asarray(Image.open(path).convert("RGB").resize((size, size)), dtype=np.float32) / 255.0
    return ((img - MEAN) / STD).transpose(2, 0, 1)          # CHW


baseline = CustomImageClassification()
baseline.setModelTypeAsMobileNetV2()
baseline.setModelPath("baselines/imageai/mobilenet_v2-fungi-test_acc_0.66667_epoch-10.pt")
baseline.setJsonPath("baselines/imageai/fungi_model_classes.json")
baseline.loadModel()
for path in sorted(glob.glob("data/fungi_eval/*.jpg")):
    names, probs = baseline.classifyImage(preprocess(path), result_count=1)
    print(path, names[0], probs[0])
'''

SCRIPTS["imageai-baseline-class-json-from-paper-config"] = '''
import json

from imageai.Classification.Custom import CustomImageClassification

# configs/fungi.py of the repo (class list copied from the paper's dataset card)
cfg = dict(class_names=["agaricus", "amanita", "boletus", "cantharellus", "cortinarius"], input_size=224)

# the baseline was trained with ImageAI; rewrite its class json from the config so both share the same names
with open("baselines/imageai/fungi_model_classes.json", "w") as f:
    json.dump({str(i): c for i, c in enumerate(cfg["class_names"])}, f)

baseline = CustomImageClassification()
baseline.setModelTypeAsResNet50()
baseline.setModelPath("baselines/imageai/resnet50-fungi-test_acc_0.77778_epoch-14.pt")
baseline.setJsonPath("baselines/imageai/fungi_model_classes.json")
baseline.loadModel()
print(baseline.classifyImage("data/fungi_eval/eval_0000.jpg", result_count=3))
'''

# the annotation tool's "YOLO" export was the YOLOv8 segmentation format: class + polygon points
POLYGON_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"data/solar/{split}/images", exist_ok=True)
    os.makedirs(f"data/solar/{split}/annotations", exist_ok=True)
    for i in range(n):
        Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(
            f"data/solar/{split}/images/{split[:3]}_{i:04d}.jpg")
        rows = []
        for k in range(1 + i % 2):
            x, y = 0.1 + 0.3 * k + 0.02 * i, 0.2 + 0.05 * i
            rows.append(f"{k % 2} {x:.4f} {y:.4f} {x + 0.2:.4f} {y:.4f} {x + 0.2:.4f} {y + 0.15:.4f} {x:.4f} {y + 0.15:.4f}")
        open(f"data/solar/{split}/annotations/{split[:3]}_{i:04d}.txt", "w").write("\\n".join(rows) + "\\n")
'''

SCRIPTS["imageai-baseline-detector-yolov8-seg-polygon-labels"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# the detection baseline of Table 4 on our solar-panel set (labels exported from the annotation tool as "YOLO")
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="data/solar")
trainer.setTrainConfig(object_names_array=["panel", "defect"], batch_size=4, num_experiments=5)
trainer.trainModel()
'''


def cases():
    out, add, script, notebook = case_builders("torch-more90-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    pkg = PKG
    pkg_c = {**PKG, "datasets/scenes.py": SCENE_DATASET + SCENE_COLLATE}
    street = scenes()
    garments = imgs(class_folder("data/garments/train", ["dress", "shirt", "trousers"], 4, size=(100, 120)))
    animals = prep(POSE_DATA_PREP)
    fungi_eval = imgs([(f"data/fungi_eval/eval_{i:04d}.jpg", (200, 160), "RGB") for i in range(2)])

    # ---- PyTorch / torchvision, the paper's multi-task repo on our data
    script("config-ignore-index-minus-one-void-255-masks", "data.label_out_of_range",
           forms=("cpython_basic", "progress_bars?"), argv="train_mtl.py", extra=pkg,
           setup=scenes(void=True))
    notebook("released-coco-checkpoint-17-keypoints-notebook", "model.weights_mismatch", also=["model.output_mismatch"],
             forms=NB,
             files={k: v for k, v in pkg.items() if k.startswith("models/")}, setup=prep(POSE_CKPT_PREP))
    script("rgba-microscopy-pngs-three-value-mean-workers", "data.image_channels", forms=W, argv="train_cells.py",
           extra=pkg, setup=imgs(class_folder("data/cells", ["interphase", "mitosis"], 4, size=(80, 80), mode="RGBA",
                                              ext="png")))
    script("image-only-resize-masks-native-size-repo-collate-workers", "data.image_size_mismatch",
           also=["data.label_shape"], forms=W, argv="train_street.py", extra=pkg_c,
           setup=scenes(sizes="[(128, 96), (160, 120), (96, 128)]"))
    notebook("stride8-logits-against-full-mask-eval-notebook", "model.output_mismatch", also=["data.label_shape"],
             forms=NB, files=pkg, setup=both(street, prep(STREET_CKPT_PREP)))
    notebook("cvat-colour-masks-into-crossentropy-notebook", "data.label_shape", also=["data.image_channels"],
             forms=NB, files=pkg, setup=scenes(root="data/cvat_export", colour=True))
    script("uint8-masks-tuple-dataset-crossentropy", "data.dtype", argv="train_leaves.py", extra=pkg,
           setup=scenes(root="data/leaves"))
    script("gaussian-heatmaps-float64-bce-keypoint-head", "data.dtype", argv="train_pose.py", extra=pkg, setup=animals)
    script("flatten-head-sized-for-paper-input-size-argparse", "model.input_shape", argv="train_attrs.py",
           args=("--input-size", "320"), extra=pkg, setup=garments)
    script("config-pipeline-normalize-before-totensor-workers", "model.api_misuse", forms=W, argv="train_garments.py",
           extra=pkg, setup=garments)
    script("per-task-backward-shared-backbone", "optim.autograd_graph", argv="train_mtl.py", extra=pkg, setup=street)
    script("mean-std-0-1-on-0-255-tensors-anomaly-mode", "optim.divergence", argv="train_kp_regress.py",
           setup=animals)
    script("config-class-map-lambda-spawn-workers", "env.multiprocessing", argv="train_garments.py", extra=pkg,
           setup=garments)
    script("eval-accumulates-full-probability-maps-ade-config", "resource.host_memory", argv="tools/test.py",
           extra=pkg, env={"PYTHONPATH": "."}, setup=street)
    script("repo-loader-hardcodes-jpg-own-pngs-workers", "data.missing_or_corrupt", forms=W, argv="train_drone.py",
           extra=pkg, setup=scenes(root="data/drone_tiles", ext="png"))
    script("class-balanced-sampler-len-float-onecycle", "other", also=["model.api_misuse"], argv="train_balanced.py",
           extra=pkg, setup=street)
    script("repo-miou-eval-np-float", "env.version_incompat", argv="tools/eval_miou.py", extra=pkg,
           env={"PYTHONPATH": "."}, setup=both(street, prep(STREET_CKPT_PREP)))
    script("fps-benchmark-cuda-synchronize-laptop", "env.cuda_setup", argv="tools/benchmark.py", extra=pkg,
           env={"PYTHONPATH": "."})
    script("keypoint-rcnn-coco-xywh-boxes-as-xyxy", "data.bbox_invalid", argv="train_kprcnn.py",
           setup=prep(KPRCNN_PREP))

    # ---- ImageAI 3 baseline
    script("imageai-baseline-trainer-on-repo-csv-split-layout", "data.missing_or_corrupt", also=["model.api_misuse"],
           framework="imageai", argv="baselines/train_imageai.py", setup=prep(FUNGI_PREP))
    script("imageai-baseline-classify-repo-preprocessed-chw-array", "model.api_misuse", also=["data.dtype"],
           framework="imageai", argv="baselines/eval_imageai.py",
           setup=both(save_cls("mobilenet_v2", '["agaricus", "amanita", "boletus"]',
                               "baselines/imageai/mobilenet_v2-fungi-test_acc_0.66667_epoch-10.pt",
                               "baselines/imageai/fungi_model_classes.json"), fungi_eval))
    script("imageai-baseline-class-json-from-paper-config", "model.weights_mismatch", also=["model.output_mismatch"],
           framework="imageai", argv="baselines/eval_imageai.py",
           exception="Exception",  # ImageAI re-raises the RuntimeError as Exception
           setup=both(save_cls("resnet50", '["agaricus", "amanita", "boletus"]',
                               "baselines/imageai/resnet50-fungi-test_acc_0.77778_epoch-14.pt",
                               "baselines/imageai/fungi_model_classes.json"), fungi_eval))
    script("imageai-baseline-detector-yolov8-seg-polygon-labels", "data.bbox_invalid", framework="imageai",
           argv="baselines/train_detector.py", timeout=400, setup=prep(POLYGON_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
