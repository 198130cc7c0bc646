"""A twenty-eighth held-out set of PyTorch / torchvision / ImageAI 3 failures, sampled across
the whole taxonomy roughly in the proportion public threads report them, none a repeat of the
scenarios in the other generators.

Data: random patches cut with a numpy shape unpacked like ``PIL.size``, a v2 ``RandomChoice`` of
two resize scales, ``RandomZoomOut`` with a ``torch.cat`` collate, ``decode_image`` in GRAY
mode copied from an OCR script, RGBA icons through ``RandomGrayscale``, a CutMix/MixUp
``num_classes`` read from a stale config, a hand-written label-smoothing loss sized by hand,
``torch.eye`` one-hot sized from the classes present in the train split, MixUp soft labels in
an accuracy line, a sigmoid head with 1-d BCELoss targets, bf16 features scattered into a
float32 centroid memory under CPU autocast, int16 labels in a tensor cache, numpy sin-cos
position embeddings kept as float64, CSV paths relative to the CSV, a min-side filter that
drops every photo, a preprocessing cache cut short, COCO annotations of deduplicated images,
an empty frames folder, an ImageAI data split named ``val``, instance masks cropped away before
``masks_to_boxes``, DETR box ops given cxcywh targets, scipy ``kmeans2`` on stamp-sized boxes.

Model: flat CSV pixel rows and 5-d clips into conv2d, a Swin window partition on a size that is
no multiple of the window, a ConvNeXt LayerNorm on NCHW, an unpooled Swin head, CenterNet
targets at the wrong stride, a patch-14 ViT given a patch-16 checkpoint, BatchNorm swapped to
GroupNorm, an ImageAI detection config from a three-class run.

API, versions, environment, optimisation: a bucketing batch sampler plus ``batch_size``,
``torch.autocast`` without a device type, v2 ``Normalize`` on PIL images, ImageAI detection
training for one experiment, ``weights_only`` and a numpy scalar in a checkpoint, ``np.float_``
in a collate, the beta ``get_spatial_size``, a DETR matcher and a grade regressor after
divergence, an EMA teacher updated in place, a memory bank kept with its graph, a phase-name
typo under ``set_grad_enabled``, one forward over the whole test folder under a memory limit, a
meta-device model moved with ``.to``, ``torch.cuda.synchronize`` and a memory fraction on a
CPU box, spawn workers given a generator and a thread pool.

Every case is a small real program run on CPU with the torch venv (no GPU, no downloads); the
label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more28.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more28.py"

SCRIPTS = {}
CELLS = {}

# ====================================================================== data.image_size_mismatch
SCRIPTS["random-patch-numpy-shape-unpacked-as-pil-size-workers"] = '''
import random
from pathlib import Path

import numpy as np
import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset

PATCH = 96


class PatchDataset(Dataset):
    """Random 96x96 patches from the histology tiles, no resizing so the cell scale is kept."""

    def __init__(self, root):
        self.classes = sorted(p.name for p in Path(root).iterdir() if p.is_dir())
        self.items = [(f, i) for i, c in enumerate(self.classes) for f in sorted((Path(root) / c).glob("*.png"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = np.asarray(Image.open(path).convert("RGB"))
        w, h = img.shape[:2]
        x = random.randint(0, w - PATCH)
        y = random.randint(0, h - PATCH)
        patch = img[y:y + PATCH, x:x + PATCH]
        return torch.from_numpy(patch.copy()).permute(2, 0, 1).float() / 255, label


if __name__ == "__main__":
    torch.manual_seed(0)
    ds = PatchDataset("tiles/train")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(ds.classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''

V2_HEAD = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
'''

SCRIPTS["v2-randomchoice-two-resize-scales-per-sample"] = V2_HEAD + '''
# multi-scale training, as in the detection papers
train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomChoice([v2.Resize((96, 96)), v2.Resize((128, 128))]),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize(MEAN, STD),
])
train_set = datasets.ImageFolder("birds/train", transform=train_tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)

model = torchvision.models.resnet18(num_classes=len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
torch.manual_seed(0)
for epoch in range(5):
    running = 0.0
    for images, labels in loader:
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: loss {running / len(loader):.4f}")
'''

SCRIPTS["v2-randomzoomout-torch-cat-collate"] = V2_HEAD + '''
train_tf = v2.Compose([
    v2.ToImage(),
    v2.Resize((64, 64)),
    v2.RandomZoomOut(fill=0, side_range=(1.0, 1.6), p=0.5),   # small objects need context
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize(MEAN, STD),
])


def collate(batch):
    images = torch.cat([img.unsqueeze(0) for img, _ in batch], dim=0)
    labels = torch.tensor([label for _, label in batch])
    return images, labels


torch.manual_seed(3)
train_set = datasets.ImageFolder("insects/train", transform=train_tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, collate_fn=collate)
model = torchvision.models.mobilenet_v3_small(num_classes=len(train_set.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for images, labels in loader:
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ====================================================================== data.image_channels
SCRIPTS["decode-image-gray-mode-copied-from-ocr-script"] = '''
from pathlib import Path

import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, decode_image
from torchvision.transforms import v2


class LeafDataset(Dataset):
    # loader taken from my receipt-OCR project
    def __init__(self, root, size=64):
        self.classes = sorted(p.name for p in Path(root).iterdir())
        self.files = [(str(f), i) for i, c in enumerate(self.classes) for f in sorted((Path(root) / c).iterdir())]
        self.tf = v2.Compose([v2.Resize((size, size), antialias=True), v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path, label = self.files[i]
        img = decode_image(path, mode=ImageReadMode.GRAY)
        return self.tf(img), label


train_set = LeafDataset("leaves/train")
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# a ConvNeXt written by hand, timm style (used by several cases)
CONVNEXT = '''
import torch
from torch import nn
import torch.nn.functional as F


class LayerNorm2d(nn.LayerNorm):
    """LayerNorm over the channels of an NCHW tensor."""

    def forward(self, x):
        x = x.permute(0, 2, 3, 1)
        x = F.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class Block(nn.Module):
    def __init__(self, dim, ls_init=1e-6):
        super().__init__()
        self.conv_dw = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))
        self.gamma = nn.Parameter(ls_init * torch.ones(dim))

    def forward(self, x):
        shortcut = x
        x = self.conv_dw(x)
        @@NORM@@
        return shortcut + x


class ConvNeXtAtto(nn.Module):
    def __init__(self, num_classes=1000, in_chans=@@INCH@@, dims=(40, 80, 160, 320), depths=(2, 2, 2, 2)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_chans, dims[0], 4, stride=4), LayerNorm2d(dims[0]))
        stages = []
        for i, (d, n) in enumerate(zip(dims, depths)):
            down = nn.Identity() if i == 0 else nn.Sequential(LayerNorm2d(dims[i - 1]), nn.Conv2d(dims[i - 1], d, 2, stride=2))
            stages.append(nn.Sequential(down, *[Block(d) for _ in range(n)]))
        self.stages = nn.Sequential(*stages)
        self.head_norm = nn.LayerNorm(dims[-1])
        self.head = nn.Linear(dims[-1], num_classes)

    def forward_features(self, x):
        return self.stages(self.stem(x))

    def forward(self, x):
        x = self.forward_features(x).mean((2, 3))
        return self.head(self.head_norm(x))
'''

NORM_OK = '''x = x.permute(0, 2, 3, 1)
        x = self.gamma * self.mlp(self.norm(x))
        x = x.permute(0, 3, 1, 2)'''
NORM_BAD = '''x = self.norm(x)
        x = x.permute(0, 2, 3, 1)
        x = self.gamma * self.mlp(x)
        x = x.permute(0, 3, 1, 2)'''

CONVNEXT_TRAIN = '''
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from convnext import ConvNeXtAtto

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])
train_set = datasets.ImageFolder("@@ROOT@@", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = ConvNeXtAtto(num_classes=len(train_set.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=0.05)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

for epoch in range(10):
    model.train()
    for images, labels in loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def convnext_files(norm=NORM_OK, inch="3", root="food/train"):
    model = CONVNEXT.replace("@@NORM@@", norm).replace("@@INCH@@", inch)
    train = "import torch\nfrom torch import nn\n" + CONVNEXT_TRAIN.replace("@@ROOT@@", root)
    return {"convnext.py": model, "train.py": train}


SCRIPTS["decode-image-keeps-alpha-randomgrayscale-workers"] = '''
from pathlib import Path

import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import decode_image
from torchvision.transforms import v2


class IconDataset(Dataset):
    def __init__(self, root, transform):
        self.classes = sorted(p.name for p in Path(root).iterdir())
        self.files = [(str(f), i) for i, c in enumerate(self.classes) for f in sorted((Path(root) / c).glob("*.png"))]
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path, label = self.files[i]
        return self.transform(decode_image(path)), label


train_tf = v2.Compose([
    v2.RandomResizedCrop(64, scale=(0.7, 1.0), antialias=True),
    v2.RandomGrayscale(p=0.2),
    v2.ToDtype(torch.float32, scale=True),
])

if __name__ == "__main__":
    torch.manual_seed(0)
    train_set = IconDataset("app_icons/train", train_tf)
    loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(train_set.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, round(loss.item(), 4))
'''

# ====================================================================== data.label_out_of_range
SCRIPTS["v2-cutmix-mixup-num-classes-from-stale-config"] = V2_HEAD + '''
import json

cfg = json.load(open("config.json"))
tf = v2.Compose([v2.ToImage(), v2.Resize((64, 64)), v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])
train_set = datasets.ImageFolder("garbage/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True)
print("classes:", train_set.classes)

cutmix_or_mixup = v2.RandomChoice([v2.CutMix(num_classes=cfg["num_classes"]), v2.MixUp(num_classes=cfg["num_classes"])])
model = torchvision.models.resnet18(num_classes=len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
torch.manual_seed(0)
for epoch in range(cfg["epochs"]):
    for images, labels in loader:
        images, labels = cutmix_or_mixup(images, labels)
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["label-smoothing-loss-class-count-typed-by-hand"] = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class LabelSmoothingLoss(nn.Module):
    """From a blog post, before CrossEntropyLoss had label_smoothing."""

    def __init__(self, classes, smoothing=0.1):
        super().__init__()
        self.classes = classes
        self.confidence = 1.0 - smoothing
        self.smoothing = smoothing

    def forward(self, pred, target):
        pred = pred.log_softmax(dim=-1)
        with torch.no_grad():
            true_dist = torch.full((pred.size(0), self.classes), self.smoothing / (self.classes - 1))
            true_dist.scatter_(1, target.unsqueeze(1), self.confidence)
        return torch.mean(torch.sum(-true_dist * pred, dim=-1))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("weather/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes))
criterion = LabelSmoothingLoss(classes=4, smoothing=0.1)    # cloudy, rain, shine, sunrise
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["torch-eye-one-hot-sized-from-train-split-labels"] = '''
import csv

import numpy as np
import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

rows = list(csv.DictReader(open("skin/labels.csv")))
n_train = int(0.8 * len(rows))            # rows are in acquisition order: last 20% for validation
train_rows, val_rows = rows[:n_train], rows[n_train:]
train_labels = np.array([int(r["dx"]) for r in train_rows])
num_classes = len(np.unique(train_labels))
print("train images:", len(train_rows), "classes:", num_classes)


class SkinDataset(Dataset):
    def __init__(self, rows):
        self.rows = rows
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"skin/images/{r['image']}.jpg").convert("RGB")), int(r["dx"])


eye = torch.eye(num_classes)
loader = DataLoader(SkinDataset(train_rows), batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=num_classes)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.BCEWithLogitsLoss()
for epoch in range(3):
    for x, y in loader:
        target = eye[y]
        loss = criterion(model(x), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ====================================================================== data.label_shape
SCRIPTS["mixup-soft-labels-into-accuracy-eq"] = V2_HEAD + '''
tf = v2.Compose([v2.ToImage(), v2.Resize((64, 64)), v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])
train_set = datasets.ImageFolder("dogs/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True)
mixup = v2.MixUp(alpha=0.2, num_classes=len(train_set.classes))
model = torchvision.models.resnet18(num_classes=len(train_set.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)

for epoch in range(5):
    correct, seen, total_loss = 0, 0, 0.0
    for images, labels in loader:
        images, labels = mixup(images, labels)
        outputs = model(images)
        loss = nn.functional.cross_entropy(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * images.size(0)
        correct += (outputs.argmax(1) == labels).sum().item()
        seen += images.size(0)
    print(f"epoch {epoch + 1}: loss {total_loss / seen:.4f} acc {correct / seen:.3f}")
'''

SCRIPTS["sigmoid-head-bceloss-labels-1d"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("cracks/train", transform=tf)      # negative / positive
loader = DataLoader(train_set, batch_size=8, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(64, 1), nn.Sigmoid(),
)
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for images, labels in loader:
        probs = model(images)
        loss = criterion(probs, labels.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ====================================================================== data.dtype
SCRIPTS["centroid-memory-scatter-add-under-cpu-autocast"] = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("shoes/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
num_classes = len(train_set.classes)

backbone = torchvision.models.resnet18()
backbone.fc = nn.Identity()
head = nn.Linear(512, num_classes)
params = list(backbone.parameters()) + list(head.parameters())
optimizer = torch.optim.AdamW(params, lr=1e-3)

# running class centroids for the centre loss
centroid_sum = torch.zeros(num_classes, 512)
centroid_cnt = torch.zeros(num_classes, 1)

for epoch in range(3):
    for x, y in loader:
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):     # mixed precision on the CPU box
            feats = backbone(x)
            logits = head(feats)
            ce = nn.functional.cross_entropy(logits, y)
        centroids = centroid_sum / centroid_cnt.clamp(min=1)
        center = ((feats.float() - centroids[y]) ** 2).sum(1).mean()
        loss = ce + 0.01 * center
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            centroid_sum.scatter_add_(0, y[:, None].expand(-1, 512), feats.detach())
            centroid_cnt.scatter_add_(0, y[:, None], torch.ones(len(y), 1))
    print(epoch, loss.item())
'''

SCRIPTS["labels-cached-as-int16-tensor-file"] = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# written once by preprocess.py (images resized to 32x32, uint8 and int16 to keep the file small)
cache = torch.load("cache/train_32px.pt")
images = cache["images"].float().div(255)
labels = cache["labels"]
print(images.shape, labels.shape, cache["classes"])

loader = DataLoader(TensorDataset(images, labels), batch_size=16, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(cache["classes"]))
model.maxpool = nn.Identity()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

CACHE_INT16 = '''
import os
import torch
os.makedirs("cache", exist_ok=True)
g = torch.Generator().manual_seed(0)
torch.save({"images": torch.randint(0, 256, (64, 3, 32, 32), dtype=torch.uint8, generator=g),
            "labels": torch.randint(0, 5, (64,), generator=g).to(torch.int16),
            "classes": ["bus", "car", "motorbike", "truck", "van"]}, "cache/train_32px.pt")
'''

SCRIPTS["handwritten-vit-sincos-pos-embed-float64-buffer"] = '''
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def get_2d_sincos_pos_embed(embed_dim, grid_size):
    """As in the MAE code."""
    grid_h = np.arange(grid_size, dtype=np.float32)
    grid_w = np.arange(grid_size, dtype=np.float32)
    grid = np.stack(np.meshgrid(grid_w, grid_h), axis=0).reshape(2, -1)
    omega = 1.0 / 10000 ** (np.arange(embed_dim // 4, dtype=np.float64) / (embed_dim / 4.0))
    out_h = np.einsum("m,d->md", grid[0], omega)
    out_w = np.einsum("m,d->md", grid[1], omega)
    return np.concatenate([np.sin(out_h), np.cos(out_h), np.sin(out_w), np.cos(out_w)], axis=1)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        h = self.norm1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.norm2(x))


class TinyViT(nn.Module):
    def __init__(self, img_size=64, patch=8, dim=96, depth=4, heads=3, num_classes=10):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, stride=patch)
        pos = get_2d_sincos_pos_embed(dim, img_size // patch)
        self.register_buffer("pos_embed", torch.from_numpy(pos).unsqueeze(0), persistent=False)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = x + self.pos_embed
        x = self.norm(self.blocks(x))
        return self.head(x.mean(1))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("galaxies/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = TinyViT(num_classes=len(train_set.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.05)
for epoch in range(20):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ====================================================================== data.missing_or_corrupt
SCRIPTS["csv-paths-relative-to-csv-folder-workers"] = '''
import csv

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CSV = "data/plants/labels.csv"     # exported by the labelling tool next to its images/ folder


class PlantDataset(Dataset):
    def __init__(self, csv_path, transform):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.classes = sorted({r["label"] for r in self.rows})
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        img = Image.open(row["path"]).convert("RGB")
        return self.transform(img), self.classes.index(row["label"])


if __name__ == "__main__":
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = PlantDataset(CSV, tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(ds.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''


def plants_setup(work: Path):
    make_images(work, [(f"data/plants/images/leaf_{i:03d}.jpg", (80, 60), "RGB") for i in range(8)])
    rows = ["path,label"] + [f"images/leaf_{i:03d}.jpg,{('healthy', 'blight')[i % 2]}" for i in range(8)]
    (work / "data/plants/labels.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["dataset-min-side-filter-drops-every-photo"] = '''
from pathlib import Path

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

MIN_SIDE = 224      # skip thumbnails and icons the scraper picked up


class ScrapedDataset(Dataset):
    def __init__(self, root, transform):
        self.classes = sorted(p.name for p in Path(root).iterdir() if p.is_dir())
        self.samples = []
        for label, c in enumerate(self.classes):
            for f in sorted((Path(root) / c).glob("*.jpg")):
                with Image.open(f) as im:
                    if min(im.size) >= MIN_SIDE:
                        self.samples.append((f, label))
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        f, label = self.samples[i]
        return self.transform(Image.open(f).convert("RGB")), label


tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
train_set = ScrapedDataset("furniture/train", tf)
print(f"{len(train_set)} training images in {len(train_set.classes)} classes")
loader = DataLoader(train_set, batch_size=16, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["preprocessed-tensor-cache-cut-short"] = '''
import os

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import datasets, transforms

CACHE = "cache/flowers_64.pt"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

if os.path.exists(CACHE):
    images, labels, classes = torch.load(CACHE)          # decoded last time, much faster
else:
    folder = datasets.ImageFolder("flowers/train", transform=tf)
    images = torch.stack([x for x, _ in folder])
    labels = torch.tensor(folder.targets)
    classes = folder.classes
    os.makedirs("cache", exist_ok=True)
    torch.save((images, labels, classes), CACHE)

loader = DataLoader(TensorDataset(images, labels), batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# an earlier run was killed (Colab disconnect) while it was writing the cache
CACHE_CUT = '''
import os
import torch
os.makedirs("cache", exist_ok=True)
g = torch.Generator().manual_seed(0)
torch.save((torch.rand(40, 3, 64, 64, generator=g), torch.randint(0, 3, (40,), generator=g),
            ["daisy", "rose", "tulip"]), "cache/flowers_64.pt")
data = open("cache/flowers_64.pt", "rb").read()
open("cache/flowers_64.pt", "wb").write(data[: len(data) // 3])
'''

SCRIPTS["coco-annotations-of-deduplicated-images-workers"] = '''
import json
from collections import defaultdict

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


class CocoDetection(Dataset):
    def __init__(self, root, ann_file):
        coco = json.load(open(ann_file))
        self.root = root
        self.images = {img["id"]: img for img in coco["images"]}
        self.anns = defaultdict(list)
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)
        self.ids = sorted(self.anns)          # only images that have boxes

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image_id = self.ids[i]
        info = self.images[image_id]
        img = TF.to_tensor(Image.open(f"{self.root}/{info['file_name']}").convert("RGB"))
        boxes = [[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                 for a in self.anns[image_id]]
        labels = [a["category_id"] for a in self.anns[image_id]]
        return img, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


def collate(batch):
    return tuple(zip(*batch))


if __name__ == "__main__":
    ds = CocoDetection("pallets/images", "pallets/annotations/instances_train_dedup.json")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(2):
        for images, targets in loader:
            losses = model(list(images), list(targets))
            loss = sum(losses.values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''


def pallets_setup(work: Path):
    import json
    kept = [0, 1, 2, 4, 5]        # 3 and 6 were removed as near-duplicates (the files and "images" entries)
    make_images(work, [(f"pallets/images/wh_{i:04d}.jpg", (96, 72), "RGB") for i in kept])
    images = [{"id": i + 1, "file_name": f"wh_{i:04d}.jpg", "width": 96, "height": 72} for i in kept]
    anns = []
    for i in range(7):
        for k in range(2):
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": 1 + k,
                         "bbox": [8 + 20 * k, 10 + 2 * i, 24, 30], "area": 720, "iscrowd": 0})
    (work / "pallets/annotations").mkdir(parents=True, exist_ok=True)
    (work / "pallets/annotations/instances_train_dedup.json").write_text(json.dumps(
        {"images": images, "annotations": anns, "categories": [{"id": 1, "name": "pallet"}, {"id": 2, "name": "forklift"}]}))


SCRIPTS["action-clips-frames-folder-empty-np-stack-workers"] = '''
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset


class ClipDataset(Dataset):
    """frames/<action>/<clip>/frame_XXXX.jpg, extracted with ffmpeg beforehand."""

    def __init__(self, root, num_frames=4):
        self.classes = sorted(p.name for p in Path(root).iterdir())
        self.clips = [(clip, i) for i, c in enumerate(self.classes) for clip in sorted((Path(root) / c).iterdir())]
        self.num_frames = num_frames

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, i):
        clip, label = self.clips[i]
        frames = sorted(clip.glob("*.jpg"))[: self.num_frames]
        video = np.stack([np.asarray(Image.open(f).convert("RGB").resize((48, 48))) for f in frames])
        video = torch.from_numpy(video).permute(3, 0, 1, 2).float() / 255     # C, T, H, W
        return video, label


if __name__ == "__main__":
    ds = ClipDataset("frames")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv3d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                          nn.Linear(16, len(ds.classes)))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''


def clips_setup(work: Path):
    specs = []
    for action in ("jump", "run", "wave"):
        for k in range(3):
            if action == "wave" and k == 2:
                (work / f"frames/{action}/clip_{k:02d}").mkdir(parents=True)   # ffmpeg failed on this .avi
                continue
            specs += [(f"frames/{action}/clip_{k:02d}/frame_{j:04d}.jpg", (64, 48), "RGB") for j in range(4)]
    make_images(work, specs)


SCRIPTS["imageai-cls-data-split-named-val-not-test"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# dataset exported from Roboflow "folder" format: train/ val/
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("mushrooms")
trainer.trainModel(num_experiments=5, batch_size=4)
'''

# ====================================================================== data.bbox_invalid
SCRIPTS["maskrcnn-random-crop-instance-vanishes-masks-to-boxes"] = '''
import random
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import maskrcnn_resnet50_fpn
from torchvision.ops import masks_to_boxes
from torchvision.transforms import functional as TF


class CellDataset(Dataset):
    """images/*.png and masks/*.png, one integer id per cell instance."""

    def __init__(self, root, crop=64):
        self.images = sorted(Path(root, "images").glob("*.png"))
        self.root = root
        self.crop = crop

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = torch.from_numpy(np.array(Image.open(Path(self.root, "masks", self.images[i].name))))
        ids = mask.unique()[1:]
        masks = (mask[None] == ids[:, None, None]).to(torch.uint8)
        # random crop, same window for image and masks
        top = random.randint(0, img.shape[1] - self.crop)
        left = random.randint(0, img.shape[2] - self.crop)
        img = img[:, top:top + self.crop, left:left + self.crop]
        masks = masks[:, top:top + self.crop, left:left + self.crop]
        boxes = masks_to_boxes(masks)
        return img, {"boxes": boxes, "labels": torch.ones(len(ids), dtype=torch.int64), "masks": masks}


random.seed(4)
ds = CellDataset("nuclei/train")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, min_size=64, max_size=64)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def nuclei_setup(work: Path):
    from PIL import Image, ImageDraw
    (work / "nuclei/train/images").mkdir(parents=True)
    (work / "nuclei/train/masks").mkdir(parents=True)
    make_images(work, [(f"nuclei/train/images/cell_{i:02d}.png", (128, 128), "RGB") for i in range(4)])
    for i in range(4):
        m = Image.new("L", (128, 128), 0)
        d = ImageDraw.Draw(m)
        d.ellipse([4, 4, 24, 22], fill=1)             # near the corner: often cropped away
        d.ellipse([50 + i, 48, 80 + i, 76], fill=2)
        d.ellipse([100, 98 - i, 122, 122], fill=3)
        m.save(work / f"nuclei/train/masks/cell_{i:02d}.png")


DETR_BOX_OPS = '''
# util/box_ops.py, copied from the DETR repository
import torch
from torchvision.ops.boxes import box_area


def box_cxcywh_to_xyxy(x):
    x_c, y_c, w, h = x.unbind(-1)
    b = [(x_c - 0.5 * w), (y_c - 0.5 * h), (x_c + 0.5 * w), (y_c + 0.5 * h)]
    return torch.stack(b, dim=-1)


def box_iou(boxes1, boxes2):
    area1 = box_area(boxes1)
    area2 = box_area(boxes2)
    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[:, :, 0] * wh[:, :, 1]
    union = area1[:, None] + area2 - inter
    iou = inter / union
    return iou, union


def generalized_box_iou(boxes1, boxes2):
    """
    Generalized IoU from https://giou.stanford.edu/
    The boxes should be in [x0, y0, x1, y1] format
    """
    # degenerate boxes gives inf / nan results
    # so do an early check
    assert (boxes1[:, 2:] >= boxes1[:, :2]).all()
    assert (boxes2[:, 2:] >= boxes2[:, :2]).all()
    iou, union = box_iou(boxes1, boxes2)
    lt = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])
    wh = (rb - lt).clamp(min=0)
    area = wh[:, :, 0] * wh[:, :, 1]
    return iou - (area - union) / area
'''

SCRIPTS["detr-box-ops-giou-given-cxcywh-targets"] = '''
from pathlib import Path

import torch
import torchvision
from PIL import Image
from scipy.optimize import linear_sum_assignment
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

from util.box_ops import box_cxcywh_to_xyxy, generalized_box_iou

NUM_QUERIES, NUM_CLASSES = 10, 2


class YoloTxtDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(Path(root, "images").glob("*.jpg"))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        rows = [list(map(float, line.split())) for line in
                open(str(self.images[i]).replace("images", "labels").replace(".jpg", ".txt"))]
        t = torch.tensor(rows)
        return self.tf(Image.open(self.images[i]).convert("RGB")), {"labels": t[:, 0].long(), "boxes": t[:, 1:]}


class MiniDETR(nn.Module):
    def __init__(self):
        super().__init__()
        backbone = torchvision.models.resnet18()
        self.backbone = nn.Sequential(*list(backbone.children())[:-2])
        self.proj = nn.Conv2d(512, 128, 1)
        self.query = nn.Embedding(NUM_QUERIES, 128)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(128, 4, 256, batch_first=True), 2)
        self.class_embed = nn.Linear(128, NUM_CLASSES + 1)
        self.bbox_embed = nn.Sequential(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 4))

    def forward(self, x):
        mem = self.proj(self.backbone(x)).flatten(2).transpose(1, 2)
        hs = self.decoder(self.query.weight.unsqueeze(0).expand(x.size(0), -1, -1), mem)
        return self.class_embed(hs), self.bbox_embed(hs).sigmoid()      # boxes: normalised cx, cy, w, h


@torch.no_grad()
def match(logits, boxes, targets):
    out = []
    for lg, bx, t in zip(logits, boxes, targets):
        cost_class = -lg.softmax(-1)[:, t["labels"]]
        cost_bbox = torch.cdist(bx, t["boxes"], p=1)
        cost_giou = -generalized_box_iou(box_cxcywh_to_xyxy(bx), t["boxes"])
        c = 5 * cost_bbox + cost_class + 2 * cost_giou
        out.append(linear_sum_assignment(c.numpy()))
    return out


ds = YoloTxtDataset("helmets/train")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = MiniDETR()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
for epoch in range(3):
    for images, targets in loader:
        logits, boxes = model(torch.stack(images))
        indices = match(logits, boxes, targets)
        loss = 0
        for b, (qi, ti) in enumerate(indices):
            tgt_cls = torch.full((NUM_QUERIES,), NUM_CLASSES)
            tgt_cls[qi] = targets[b]["labels"][ti]
            loss = loss + nn.functional.cross_entropy(logits[b], tgt_cls)
            loss = loss + nn.functional.l1_loss(boxes[b][qi], targets[b]["boxes"][ti])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def helmets_setup(work: Path):
    make_images(work, [(f"helmets/train/images/site_{i:03d}.jpg", (96, 72), "RGB") for i in range(4)])
    (work / "helmets/train/labels").mkdir(parents=True)
    for i in range(4):
        (work / f"helmets/train/labels/site_{i:03d}.txt").write_text(
            f"0 {0.30 + 0.05 * i:.3f} 0.420 0.180 0.260\n1 0.700 {0.55 + 0.02 * i:.3f} 0.220 0.300\n")


# ====================================================================== data.too_few_boxes
SCRIPTS["anchor-kmeans2-on-stamp-sized-boxes"] = '''
"""Compute 9 anchors for our YOLO from the training labels (k-means on box w, h)."""
from pathlib import Path

import numpy as np
from scipy.cluster.vq import kmeans2

IMG = 416
wh = []
for f in sorted(Path("stamps/train/labels").glob("*.txt")):
    for line in f.read_text().splitlines():
        _, _, _, w, h = map(float, line.split())
        wh.append((w * IMG, h * IMG))
wh = np.array(wh)
print(f"{len(wh)} boxes, {len(np.unique(wh, axis=0))} distinct sizes")

centroids, assignment = kmeans2(wh, 9, iter=30, minit="points", missing="raise", seed=0)
anchors = centroids[np.argsort(centroids.prod(1))].round().astype(int)
print("anchors:", ", ".join(f"{w},{h}" for w, h in anchors))
'''


def stamps_setup(work: Path):
    d = work / "stamps/train/labels"
    d.mkdir(parents=True)
    # the labelling tool's default box size was never adjusted: two sizes over the whole set
    for i in range(30):
        size = "0.150000 0.150000" if i % 5 else "0.300000 0.150000"
        d.joinpath(f"doc_{i:03d}.txt").write_text(
            f"0 {0.2 + 0.01 * i:.6f} 0.300000 {size}\n0 0.600000 {0.5 + 0.01 * i:.6f} {size}\n")


# ====================================================================== model.input_shape
SCRIPTS["sign-language-csv-flat-pixels-into-cnn"] = '''
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class SignMNIST(Dataset):
    """sign_mnist_train.csv: label, pixel1 ... pixel784"""

    def __init__(self, path):
        data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float32)
        self.labels = torch.from_numpy(data[:, 0]).long()
        self.pixels = torch.from_numpy(data[:, 1:] / 255.0)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.pixels[i], self.labels[i]


class SignCNN(nn.Module):
    def __init__(self, num_classes=25):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


loader = DataLoader(SignMNIST("sign_mnist_train.csv"), batch_size=16, shuffle=True)
model = SignCNN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def sign_csv(work: Path):
    import random
    rnd = random.Random(0)
    lines = ["label," + ",".join(f"pixel{i}" for i in range(1, 785))]
    for _ in range(48):
        lines.append(str(rnd.randrange(25)) + "," + ",".join(str(rnd.randrange(256)) for _ in range(784)))
    (work / "sign_mnist_train.csv").write_text("\n".join(lines) + "\n")


SCRIPTS["clip-batch-5d-into-2d-backbone"] = '''
from pathlib import Path

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class FallClips(Dataset):
    """clips/<label>/<clip>/*.jpg -> (T, C, H, W), 8 frames per clip."""

    def __init__(self, root, t=8):
        self.classes = sorted(p.name for p in Path(root).iterdir())
        self.clips = [(c, i) for i, k in enumerate(self.classes) for c in sorted((Path(root) / k).iterdir())]
        self.t = t
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, i):
        clip, label = self.clips[i]
        frames = sorted(clip.glob("*.jpg"))[: self.t]
        return torch.stack([self.tf(Image.open(f).convert("RGB")) for f in frames]), label


ds = FallClips("clips")
loader = DataLoader(ds, batch_size=2, shuffle=True)
# fine-tune an image model on the clips, the frames should give it enough
model = torchvision.models.resnet18(num_classes=len(ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for clips, labels in loader:
        loss = nn.functional.cross_entropy(model(clips), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def fall_clips(work: Path):
    make_images(work, [(f"clips/{c}/clip_{k:02d}/f_{j:03d}.jpg", (64, 48), "RGB")
                       for c in ("fall", "no_fall") for k in range(2) for j in range(8)])


SWIN = '''
import torch
from torch import nn


def window_partition(x, ws):
    B, H, W, C = x.shape
    x = x.view(B, H // ws, ws, W // ws, ws, C)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, ws * ws, C)


def window_reverse(windows, ws, H, W):
    B = windows.shape[0] // ((H // ws) * (W // ws))
    x = windows.view(B, H // ws, W // ws, ws, ws, -1)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(B, H, W, -1)


class SwinBlock(nn.Module):
    def __init__(self, dim, heads, ws):
        super().__init__()
        self.ws = ws
        self.norm1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):                    # x: B, H, W, C
        B, H, W, C = x.shape
        h = window_partition(self.norm1(x), self.ws)
        h = self.attn(h, h, h, need_weights=False)[0]
        x = x + window_reverse(h, self.ws, H, W)
        return x + self.mlp(self.norm2(x))


class PatchMerging(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(4 * dim)
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)

    def forward(self, x):
        x = torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], -1)
        return self.reduction(self.norm(x))


class TinySwin(nn.Module):
    def __init__(self, num_classes, dim=48, patch=4, ws=4):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, stride=patch)
        self.stage1 = nn.Sequential(SwinBlock(dim, 3, ws), SwinBlock(dim, 3, ws))
        self.merge = PatchMerging(dim)
        self.stage2 = nn.Sequential(SwinBlock(2 * dim, 6, ws), SwinBlock(2 * dim, 6, ws))
        self.norm = nn.LayerNorm(2 * dim)
        self.head = nn.Linear(2 * dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x).permute(0, 2, 3, 1)          # B, H, W, C
        x = self.stage2(self.merge(self.stage1(x)))
        @@HEAD@@
'''

HEAD_OK = "return self.head(self.norm(x).mean((1, 2)))"
HEAD_BAD = "return self.head(self.norm(x))"

SWIN_TRAIN = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from swin import TinySwin

tf = transforms.Compose([transforms.Resize((@@SIZE@@, @@SIZE@@)), transforms.ToTensor(),
                         transforms.Normalize([0.5] * 3, [0.5] * 3)])
train_set = datasets.ImageFolder("@@ROOT@@", transform=tf)
loader = DataLoader(train_set, batch_size=4, shuffle=True)
model = TinySwin(num_classes=len(train_set.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
for epoch in range(10):
    for images, labels in loader:
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def swin_files(head=HEAD_OK, size="64", root="bark/train"):
    return {"swin.py": SWIN.replace("@@HEAD@@", head),
            "train.py": SWIN_TRAIN.replace("@@SIZE@@", size).replace("@@ROOT@@", root)}


# ====================================================================== model.output_mismatch
SCRIPTS["centernet-heatmap-targets-at-stride-2-head-stride-4"] = '''
import json
from pathlib import Path

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CFG = {"input": 128, "down_ratio": 2, "num_classes": 2}     # down_ratio copied from the hourglass config


def draw_gaussian(hm, cx, cy, radius=2):
    ys, xs = torch.meshgrid(torch.arange(hm.shape[0]), torch.arange(hm.shape[1]), indexing="ij")
    g = torch.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * (radius / 3) ** 2))
    torch.maximum(hm, g, out=hm)


class Fruit(Dataset):
    def __init__(self, root):
        self.items = json.load(open(Path(root) / "boxes.json"))
        self.root = root
        self.tf = transforms.Compose([transforms.Resize((CFG["input"], CFG["input"])), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(Path(self.root) / it["file"]).convert("RGB")
        out = CFG["input"] // CFG["down_ratio"]
        hm = torch.zeros(CFG["num_classes"], out, out)
        for (x1, y1, x2, y2), c in zip(it["boxes"], it["labels"]):
            sx, sy = out / img.width, out / img.height
            draw_gaussian(hm[c], (x1 + x2) / 2 * sx, (y1 + y2) / 2 * sy)
        return self.tf(img), hm


class CenterNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        r = torchvision.models.resnet18()
        self.backbone = nn.Sequential(*list(r.children())[:-2])                    # stride 32
        self.up = nn.Sequential(
            nn.ConvTranspose2d(512, 128, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(64, 64, 4, 2, 1), nn.ReLU())                          # stride 4
        self.hm = nn.Conv2d(64, num_classes, 1)

    def forward(self, x):
        return self.hm(self.up(self.backbone(x))).sigmoid()


def focal_loss(pred, gt):
    pred = pred.clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = 1 - pos
    pos_loss = torch.log(pred) * (1 - pred) ** 2 * pos
    neg_loss = torch.log(1 - pred) * pred ** 2 * (1 - gt) ** 4 * neg
    return -(pos_loss.sum() + neg_loss.sum()) / pos.sum().clamp(min=1)


loader = DataLoader(Fruit("orchard"), batch_size=2, shuffle=True)
model = CenterNet(CFG["num_classes"])
optimizer = torch.optim.Adam(model.parameters(), lr=1.25e-4)
for epoch in range(3):
    for images, heatmaps in loader:
        loss = focal_loss(model(images), heatmaps)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def orchard_setup(work: Path):
    import json
    make_images(work, [(f"orchard/tree_{i:02d}.jpg", (160, 120), "RGB") for i in range(4)])
    items = [{"file": f"tree_{i:02d}.jpg", "boxes": [[20, 30, 50, 60], [90 + i, 40, 130, 90]], "labels": [0, 1]}
             for i in range(4)]
    (work / "orchard/boxes.json").write_text(json.dumps(items))


# ====================================================================== model.weights_mismatch
VIT_MODEL = '''
import torch
from torch import nn


class PatchEmbed(nn.Module):
    def __init__(self, img_size=112, patch_size=16, in_chans=3, embed_dim=192):
        super().__init__()
        self.num_patches = (img_size // patch_size) ** 2
        self.proj = nn.Conv2d(in_chans, embed_dim, patch_size, stride=patch_size)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ViT(nn.Module):
    def __init__(self, img_size=112, patch_size=16, embed_dim=192, depth=4, num_heads=3, num_classes=1000):
        super().__init__()
        self.patch_embed = PatchEmbed(img_size, patch_size, 3, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, self.patch_embed.num_patches + 1, embed_dim))
        layer = nn.TransformerEncoderLayer(embed_dim, num_heads, 4 * embed_dim, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(embed_dim)
        self.head = nn.Linear(embed_dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(x))[:, 0])


def vit_tiny_patch16(**kw):
    return ViT(patch_size=16, **kw)


def vit_tiny_patch14(**kw):
    return ViT(patch_size=14, **kw)
'''

SCRIPTS["handwritten-vit-patch14-model-patch16-checkpoint"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from models_vit import vit_tiny_patch14

# fine-tune from our own self-supervised pre-training run
tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
train_set = datasets.ImageFolder("xray/train", transform=tf)
model = vit_tiny_patch14(num_classes=1000)
ckpt = torch.load("pretrain/vit_tiny_ssl_ep300.pth", map_location="cpu")
model.load_state_dict(ckpt["model"])
model.head = nn.Linear(192, len(train_set.classes))

loader = DataLoader(train_set, batch_size=8, shuffle=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

VIT_SAVE = '''
import os
import torch
from models_vit import vit_tiny_patch16
os.makedirs("pretrain", exist_ok=True)
torch.save({"model": vit_tiny_patch16(num_classes=1000).state_dict(), "epoch": 300}, "pretrain/vit_tiny_ssl_ep300.pth")
'''

SCRIPTS["backbone-bn-swapped-to-groupnorm-old-checkpoint"] = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# batch 2 at full resolution: BatchNorm statistics are useless, switch to GroupNorm
def gn(channels):
    return nn.GroupNorm(32, channels)


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_set = datasets.ImageFolder("wafers/train", transform=tf)
model = torchvision.models.resnet18(norm_layer=gn)
state = torch.load("checkpoints/resnet18_wafers_epoch40.pth", map_location="cpu")
model.fc = nn.Linear(512, len(train_set.classes))
model.load_state_dict(state)

loader = DataLoader(train_set, batch_size=2, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

BN_SAVE = '''
import os
import torch, torchvision
from torch import nn
os.makedirs("checkpoints", exist_ok=True)
m = torchvision.models.resnet18()
m.fc = nn.Linear(512, 3)
torch.save(m.state_dict(), "checkpoints/resnet18_wafers_epoch40.pth")
'''

SCRIPTS["imageai-custom-detect-config-from-three-class-run"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_ppe_mAP-0.61_epoch-40.pt")
detector.setJsonPath("json/ppe_tiny-yolov3_detection_config.json")
detector.loadModel()
for d in detector.detectObjectsFromImage(input_image="site.jpg", output_image_path="site-detected.jpg",
                                         minimum_percentage_probability=40):
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

# the weights come from the first run (helmet, vest); the json was overwritten by a later
# run that added "goggles"
IMAGEAI_PPE = '''
import json, os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
os.makedirs("models", exist_ok=True)
os.makedirs("json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(), "models/tiny-yolov3_ppe_mAP-0.61_epoch-40.pt")
json.dump({"labels": ["helmet", "vest", "goggles"], "anchors": anchors},
          open("json/ppe_tiny-yolov3_detection_config.json", "w"))
'''

# ====================================================================== model.api_misuse
SCRIPTS["aspect-bucket-batch-sampler-plus-batch-size"] = '''
import random
from collections import defaultdict

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Sampler
from torchvision import datasets, transforms


class AspectBucketSampler(Sampler):
    """Batches of images with the same orientation, so they can be resized without distortion."""

    def __init__(self, dataset, batch_size):
        self.buckets = defaultdict(list)
        for i, (path, _) in enumerate(dataset.samples):
            w, h = Image.open(path).size
            self.buckets[w >= h].append(i)
        self.batch_size = batch_size

    def __iter__(self):
        batches = []
        for idx in self.buckets.values():
            random.shuffle(idx)
            batches += [idx[i:i + self.batch_size] for i in range(0, len(idx), self.batch_size)]
        random.shuffle(batches)
        return iter(batches)

    def __len__(self):
        return sum((len(v) + self.batch_size - 1) // self.batch_size for v in self.buckets.values())


tf = transforms.Compose([transforms.Resize(96), transforms.CenterCrop(96), transforms.ToTensor()])
train_set = datasets.ImageFolder("paintings/train", transform=tf)
sampler = AspectBucketSampler(train_set, batch_size=8)
loader = DataLoader(train_set, batch_size=8, batch_sampler=sampler, num_workers=0)
model = torchvision.models.resnet18(num_classes=len(train_set.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["autocast-migrated-from-cuda-amp-without-device-type"] = '''
import argparse

import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--amp", action="store_true")
args = parser.parse_args()

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("textures/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
# torch.cuda.amp.* is deprecated: moved to the torch.amp / torch.autocast spelling
scaler = torch.amp.GradScaler(enabled=args.amp)

for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.autocast(enabled=args.amp):
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(epoch, loss.item())
'''

SCRIPTS["v2-normalize-before-toimage-on-pil-workers"] = V2_HEAD + '''
train_tf = v2.Compose([
    v2.RandomResizedCrop(64, scale=(0.6, 1.0)),
    v2.RandomHorizontalFlip(),
    v2.ColorJitter(0.2, 0.2, 0.2),
    v2.Normalize(MEAN, STD),
    v2.ToImage(),
    v2.ToDtype(torch.float32, scale=True),
])

if __name__ == "__main__":
    train_set = datasets.ImageFolder("coins/train", transform=train_tf)
    loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.efficientnet_b0(num_classes=len(train_set.classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''

SCRIPTS["imageai-det-train-one-experiment-smoke-test"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# quick smoke test before the overnight run
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="forklifts")
trainer.setTrainConfig(object_names_array=["forklift", "person"], batch_size=4, num_experiments=1)
trainer.trainModel()
'''


def varied(i, classes):
    return "".join(f"{c} {0.3 + 0.1 * j:.2f} {0.5:.2f} {0.12 + 0.07 * j + 0.03 * i:.2f} {0.15 + 0.05 * j + 0.04 * i:.2f}\n"
                   for j, c in enumerate(classes))


def det_dataset(root, n_train=8, n_val=2):
    def setup(work: Path):
        specs = []
        for split, n in (("train", n_train), ("validation", n_val)):
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
            for i in range(n):
                stem = f"img_{i:03d}" if split == "train" else f"img_{100 + i:03d}"
                specs.append((f"{root}/{split}/images/{stem}.jpg", (96 + 8 * (i % 3), 80), "RGB"))
                (work / root / split / "annotations" / f"{stem}.txt").write_text(varied(i, [i % 2, 1 - i % 2, 0]))
        make_images(work, specs)
    return setup


# ====================================================================== env.version_incompat
SCRIPTS["resume-checkpoint-best-acc-numpy-scalar-weights-only"] = '''
import os

import numpy as np
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

start_epoch, best_acc = 0, 0.0
if os.path.exists("checkpoints/last.pth"):
    ckpt = torch.load("checkpoints/last.pth")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    start_epoch, best_acc = ckpt["epoch"] + 1, ckpt["best_acc"]
    print(f"resumed from epoch {ckpt['epoch']} (best acc {best_acc:.3f})")

for epoch in range(start_epoch, 30):
    correct = 0
    for x, y in loader:
        out = model(x)
        loss = nn.functional.cross_entropy(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (out.argmax(1) == y).sum().item()
    acc = np.float64(correct) / len(train_set)
    best_acc = max(best_acc, acc)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                "best_acc": best_acc}, "checkpoints/last.pth")
'''

# written by the same script last week under torch 2.4 (numpy accuracy kept in the dict)
RESUME_SAVE = '''
import os
import numpy as np
import torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
m = torchvision.models.resnet18(num_classes=3)
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "epoch": 11,
            "best_acc": np.float64(17) / 18}, "checkpoints/last.pth")
'''

SCRIPTS["detection-collate-np-float-underscore-numpy2"] = '''
import json

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


class Parcels(Dataset):
    def __init__(self, ann):
        self.items = json.load(open(ann))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return Image.open(it["file"]).convert("RGB"), it["boxes"], it["labels"]


def collate(batch):
    images, targets = [], []
    for img, boxes, labels in batch:
        images.append(TF.to_tensor(img))
        targets.append({"boxes": torch.from_numpy(np.asarray(boxes, dtype=np.float_)).float(),
                        "labels": torch.as_tensor(labels, dtype=torch.int64)})
    return images, targets


loader = DataLoader(Parcels("parcels/train.json"), batch_size=2, shuffle=True, collate_fn=collate)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(3):
    for images, targets in loader:
        loss = sum(model(images, targets).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def parcels_setup(work: Path):
    import json
    make_images(work, [(f"parcels/img_{i:02d}.jpg", (120, 90), "RGB") for i in range(4)])
    items = [{"file": f"parcels/img_{i:02d}.jpg", "boxes": [[10, 12, 50, 60], [60, 20 + i, 110, 80]], "labels": [1, 2]}
             for i in range(4)]
    (work / "parcels/train.json").write_text(json.dumps(items))


SCRIPTS["letterbox-v2-beta-get-spatial-size"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F


class Letterbox(torch.nn.Module):
    """Resize the long side to `size` and pad to a square (from the torchvision 0.15 beta blog post)."""

    def __init__(self, size):
        super().__init__()
        self.size = size

    def forward(self, img, target):
        h, w = F.get_spatial_size(img)
        scale = self.size / max(h, w)
        nh, nw = round(h * scale), round(w * scale)
        img, target = F.resize(img, [nh, nw]), F.resize(target, [nh, nw])
        pad = [0, 0, self.size - nw, self.size - nh]
        return F.pad(img, pad), F.pad(target, pad)


class Pets(Dataset):
    def __init__(self, ann):
        self.items = json.load(open(ann))
        self.letterbox = Letterbox(160)
        self.to_float = v2.ToDtype(torch.float32, scale=True)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = tv_tensors.Image(v2.functional.pil_to_tensor(Image.open(it["file"]).convert("RGB")))
        boxes = tv_tensors.BoundingBoxes(it["boxes"], format="XYXY", canvas_size=img.shape[-2:])
        img, boxes = self.letterbox(img, boxes)
        return self.to_float(img), {"boxes": boxes, "labels": torch.tensor(it["labels"])}


loader = DataLoader(Pets("pets/train.json"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(3):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def pets_json(work: Path):
    import json
    make_images(work, [(f"pets/img_{i:02d}.jpg", (120, 90), "RGB") for i in range(4)])
    items = [{"file": f"pets/img_{i:02d}.jpg", "boxes": [[10, 12, 60, 70]], "labels": [1 + i % 2]} for i in range(4)]
    (work / "pets/train.json").write_text(json.dumps(items))


# ====================================================================== optim.divergence
SCRIPTS["detr-matcher-cost-matrix-nan-after-divergence"] = '''
from pathlib import Path

import numpy as np
import torch
import torchvision
from PIL import Image
from scipy.optimize import linear_sum_assignment
from torch import nn
from torch.utils.data import DataLoader, Dataset

NUM_QUERIES, NUM_CLASSES = 8, 2


class Boxes(Dataset):
    """pixel boxes x1 y1 x2 y2 in labels/*.txt, images kept at their 96x72 size."""

    def __init__(self, root):
        self.images = sorted(Path(root, "images").glob("*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = torch.from_numpy(np.array(Image.open(self.images[i]).convert("RGB"))).permute(2, 0, 1).float()
        rows = [list(map(float, l.split())) for l in open(str(self.images[i]).replace("images", "labels")[:-4] + ".txt")]
        t = torch.tensor(rows)
        return img, {"labels": t[:, 0].long(), "boxes": t[:, 1:]}


class DetrLike(nn.Module):
    def __init__(self):
        super().__init__()
        r = torchvision.models.resnet18()
        self.backbone = nn.Sequential(*list(r.children())[:-2])
        self.query = nn.Embedding(NUM_QUERIES, 128)
        self.proj = nn.Conv2d(512, 128, 1)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(128, 4, 256, batch_first=True, dropout=0.0), 2)
        self.cls = nn.Linear(128, NUM_CLASSES + 1)
        self.box = nn.Linear(128, 4)          # pixel coordinates, straight regression

    def forward(self, x):
        mem = self.proj(self.backbone(x)).flatten(2).transpose(1, 2)
        hs = self.decoder(self.query.weight.expand(x.size(0), -1, -1), mem)
        return self.cls(hs), self.box(hs)


@torch.no_grad()
def hungarian(logits, boxes, targets):
    out = []
    for lg, bx, t in zip(logits, boxes, targets):
        cost = torch.cdist(bx, t["boxes"], p=1) - lg.softmax(-1)[:, t["labels"]]
        out.append(linear_sum_assignment(cost.numpy()))
    return out


torch.manual_seed(0)
loader = DataLoader(Boxes("crates/train"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = DetrLike()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)     # the lr from my classifier
for epoch in range(50):
    for images, targets in loader:
        logits, boxes = model(torch.stack(images))
        loss = 0
        for b, (qi, ti) in enumerate(hungarian(logits, boxes, targets)):
            tgt = torch.full((NUM_QUERIES,), NUM_CLASSES)
            tgt[qi] = targets[b]["labels"][ti]
            loss = loss + nn.functional.cross_entropy(logits[b], tgt)
            loss = loss + nn.functional.mse_loss(boxes[b][qi], targets[b]["boxes"][ti])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.2f}")
'''


def crates_setup(work: Path):
    make_images(work, [(f"crates/train/images/c_{i:03d}.jpg", (96, 72), "RGB") for i in range(4)])
    (work / "crates/train/labels").mkdir(parents=True)
    for i in range(4):
        (work / f"crates/train/labels/c_{i:03d}.txt").write_text(
            f"0 {8 + i} 10 40 {50 + i}\n1 50 {20 + i} 90 70\n")


SCRIPTS["grade-regressor-diverged-nan-confusion-index"] = '''
import csv

import numpy as np
import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

rows = list(csv.DictReader(open("aptos/train.csv")))


class Fundus(Dataset):
    def __init__(self, rows):
        self.rows = rows
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"aptos/train_images/{r['id_code']}.png").convert("RGB")), float(r["diagnosis"])


torch.manual_seed(0)
loader = DataLoader(Fundus(rows), batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=1)      # regression on the 0-4 grade, thresholds rounded
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
criterion = nn.MSELoss()

for epoch in range(10):
    confusion = np.zeros((5, 5), dtype=int)
    for x, y in loader:
        pred = model(x).squeeze(1)
        loss = criterion(pred, y.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        grades = pred.detach().round().clamp(0, 4).long()
        for t, p in zip(y.long().tolist(), grades.tolist()):
            confusion[t, p] += 1
    kappa_input = confusion / confusion.sum()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''


def aptos_setup(work: Path):
    make_images(work, [(f"aptos/train_images/{i:06x}.png", (56, 56), "RGB") for i in range(24)])
    (work / "aptos/train.csv").write_text("id_code,diagnosis\n" + "".join(f"{i:06x},{i % 5}\n" for i in range(24)))


# ====================================================================== optim.autograd_graph
SCRIPTS["mean-teacher-ema-update-inplace-without-no-grad"] = '''
import copy

import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

weak = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
labelled = datasets.ImageFolder("parasites/labelled", transform=weak)
loader = DataLoader(labelled, batch_size=8, shuffle=True)

student = torchvision.models.resnet18(num_classes=len(labelled.classes))
teacher = copy.deepcopy(student)
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)


def update_teacher(student, teacher, alpha=0.99):
    for t, s in zip(teacher.parameters(), student.parameters()):
        t.mul_(alpha).add_(s.detach(), alpha=1 - alpha)


for epoch in range(5):
    for x, y in loader:
        logits = student(x)
        with torch.no_grad():
            target = teacher(x).softmax(1)
        loss = nn.functional.cross_entropy(logits, y) + nn.functional.mse_loss(logits.softmax(1), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        update_teacher(student, teacher)
    print(epoch, loss.item())
'''

SCRIPTS["prototype-memory-bank-stores-features-with-graph"] = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("logos/train", transform=tf)
loader = DataLoader(train_set, batch_size=4, shuffle=True)
num_classes = len(train_set.classes)

encoder = torchvision.models.resnet18()
encoder.fc = nn.Linear(512, 128)
optimizer = torch.optim.SGD(encoder.parameters(), lr=0.01, momentum=0.9)
prototypes = torch.zeros(num_classes, 128)          # one running prototype per class


for epoch in range(5):
    for x, y in loader:
        z = nn.functional.normalize(encoder(x), dim=1)
        logits = z @ nn.functional.normalize(prototypes, dim=1).T / 0.1
        loss = nn.functional.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        for c in y.unique():
            prototypes[c] = 0.9 * prototypes[c] + 0.1 * z[y == c].mean(0)
    print(epoch, loss.item())
'''

SCRIPTS["phase-loop-set-grad-enabled-name-typo"] = '''
import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
image_datasets = {p: datasets.ImageFolder(f"bees/{p}", transform=tf) for p in ["train", "val"]}
loaders = {p: DataLoader(image_datasets[p], batch_size=4, shuffle=p == "train") for p in ["train", "val"]}
model = torchvision.models.resnet18(num_classes=2)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)

for epoch in range(5):
    for phase in ["Train", "Val"]:
        model.train() if phase == "Train" else model.eval()
        running_loss = 0.0
        for inputs, labels in loaders[phase.lower()]:
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                loss = criterion(model(inputs), labels)
                if phase == "Train":
                    loss.backward()
                    optimizer.step()
            running_loss += loss.item() * inputs.size(0)
        print(f"{phase} loss: {running_loss / len(image_datasets[phase.lower()]):.4f}")
'''

# ====================================================================== resource.host_memory
SCRIPTS["predict-whole-test-folder-one-forward-rlimit"] = '''
import resource
from pathlib import Path

import torch
import torchvision
from PIL import Image
from torchvision import transforms

# the shared inference box gives each job 2 GB; set the same limit here
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

tf = transforms.Compose([transforms.Resize((448, 448)), transforms.ToTensor()])
model = torchvision.models.resnet18(num_classes=4)
model.eval()

files = sorted(Path("test_images").glob("*.jpg"))
batch = torch.stack([tf(Image.open(f).convert("RGB")) for f in files])
print("test images:", batch.shape)
with torch.no_grad():
    preds = model(batch).argmax(1)
for f, p in zip(files, preds.tolist()):
    print(f.name, p)
'''

# ====================================================================== env.device_mismatch
CELLS["param-count-on-meta-device-model-reused-notebook"] = [
    '''import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
print(len(train_set), train_set.classes)''',
    '''# which backbone fits? count parameters without allocating them
with torch.device("meta"):
    candidates = {name: torchvision.models.get_model(name, num_classes=len(train_set.classes))
                  for name in ["resnet18", "resnet34", "efficientnet_b0"]}
for name, m in candidates.items():
    print(f"{name:16s} {sum(p.numel() for p in m.parameters()) / 1e6:.1f}M")''',
    '''model = candidates["resnet18"].to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(loss.item())''',
]

# ====================================================================== env.cuda_setup
SCRIPTS["fps-benchmark-cuda-synchronize-cpu-box"] = '''
import time

import torch
import torchvision

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = torchvision.models.mobilenet_v3_small(num_classes=5).to(device).eval()
x = torch.randn(8, 3, 128, 128, device=device)

with torch.no_grad():
    for _ in range(3):          # warm-up
        model(x)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(20):
        model(x)
    torch.cuda.synchronize()
dt = time.perf_counter() - t0
print(f"{20 * x.size(0) / dt:.1f} images/s on {device}")
'''

CELLS["per-process-memory-fraction-cap-notebook"] = [
    '''import torch
import torchvision
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# lab rule: the shared workstation GPU is split between two notebooks
torch.cuda.set_per_process_memory_fraction(0.5, device=0)
device = "cuda" if torch.cuda.is_available() else "cpu"''',
    '''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)''',
]

# ====================================================================== env.multiprocessing
SCRIPTS["spawn-dataset-keeps-glob-generator"] = '''
import multiprocessing as mp
from pathlib import Path

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class MoldDataset(Dataset):
    def __init__(self, root, transform):
        self.root = Path(root)
        self.classes = sorted(p.name for p in self.root.iterdir())
        self.files = self.root.rglob("*.jpg")                 # lazily, the real set has 400k images
        self.samples = [(f, self.classes.index(f.parent.name)) for f in sorted(self.root.rglob("*.jpg"))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        f, label = self.samples[i]
        return self.transform(Image.open(f).convert("RGB")), label


if __name__ == "__main__":
    mp.set_start_method("spawn")           # same as the Mac default, to debug the worker crash
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = MoldDataset("mold/train", tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(ds.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(loss.item())
'''

SCRIPTS["spawn-dataset-keeps-threadpool-prefetcher"] = '''
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class PrefetchDataset(Dataset):
    """Decodes the next images in background threads (the files live on a slow NFS share)."""

    def __init__(self, root, transform):
        self.classes = sorted(p.name for p in Path(root).iterdir())
        self.samples = [(f, i) for i, c in enumerate(self.classes) for f in sorted((Path(root) / c).glob("*.jpg"))]
        self.transform = transform
        self.pool = ThreadPoolExecutor(max_workers=4)
        self.pending = {}

    def _load(self, i):
        return Image.open(self.samples[i][0]).convert("RGB")

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        fut = self.pending.pop(i, None) or self.pool.submit(self._load, i)
        nxt = (i + 1) % len(self)
        self.pending[nxt] = self.pool.submit(self._load, nxt)
        return self.transform(fut.result()), self.samples[i][1]


if __name__ == "__main__":
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = PrefetchDataset("scans/train", tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn",
                        persistent_workers=True)
    model = torchvision.models.resnet18(num_classes=len(ds.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''


# ====================================================================== cases
def folder(root, classes, per=4, size=(64, 64), mode="RGB", ext="jpg"):
    return imgs(class_folder(root, classes, per, size=size, mode=mode, ext=ext))


def cases():
    out, add, script, notebook = case_builders("torch-more28-", SCRIPTS, CELLS)

    W = ["cpython_basic", "dataloader_worker"]
    flowers = folder("flowers/train", ["daisy", "rose", "tulip"], 6, size=(48, 48))

    # data.image_size_mismatch
    script("random-patch-numpy-shape-unpacked-as-pil-size-workers", "data.image_size_mismatch", forms=W,
           setup=folder("tiles/train", ["benign", "tumor"], 6, size=(160, 120), ext="png"))
    script("v2-randomchoice-two-resize-scales-per-sample", "data.image_size_mismatch",
           setup=folder("birds/train", ["finch", "sparrow", "tit"], 6, size=(80, 64)))
    script("v2-randomzoomout-torch-cat-collate", "data.image_size_mismatch",
           setup=folder("insects/train", ["ant", "bee", "wasp"], 6, size=(70, 60)))

    # data.image_channels
    script("decode-image-gray-mode-copied-from-ocr-script", "data.image_channels",
           setup=folder("leaves/train", ["healthy", "rust", "scab"], 4, size=(60, 60)))
    add("handwritten-convnext-in-chans-1-default", "data.image_channels", convnext_files(inch="1"),
        forms=["cpython_basic"], setup=folder("food/train", ["pizza", "ramen", "sushi"], 4, size=(64, 64)))
    script("decode-image-keeps-alpha-randomgrayscale-workers", "data.image_channels", forms=W,
           setup=folder("app_icons/train", ["games", "social", "tools"], 8, size=(48, 48), mode="RGBA", ext="png"))

    # data.label_out_of_range
    script("v2-cutmix-mixup-num-classes-from-stale-config", "data.label_out_of_range",
           extra={"config.json": '{"num_classes": 4, "epochs": 10}\n'},
           setup=folder("garbage/train", ["cardboard", "glass", "metal", "paper", "plastic"], 4, size=(48, 48)))
    script("label-smoothing-loss-class-count-typed-by-hand", "data.label_out_of_range",
           setup=folder("weather/train", ["cloudy", "fog", "rain", "shine", "sunrise"], 4, size=(48, 48)))

    def skin(work: Path):
        make_images(work, [(f"skin/images/ISIC_{i:05d}.jpg", (48, 48), "RGB") for i in range(30)])
        # class 3 (dermatofibroma) is rare: only in the last rows, all of them in the validation part
        dx = [i % 5 if i % 5 != 3 else 0 for i in range(27)] + [3, 3, 3]
        (work / "skin/labels.csv").write_text("image,dx\n" + "".join(f"ISIC_{i:05d},{d}\n" for i, d in enumerate(dx)))

    script("torch-eye-one-hot-sized-from-train-split-labels", "data.label_out_of_range", setup=skin)

    # data.label_shape
    script("mixup-soft-labels-into-accuracy-eq", "data.label_shape",
           setup=folder("dogs/train", ["beagle", "boxer", "corgi", "husky", "pug"], 4, size=(48, 48)))
    script("sigmoid-head-bceloss-labels-1d", "data.label_shape",
           setup=folder("cracks/train", ["negative", "positive"], 6, size=(48, 48)))

    # data.dtype
    script("centroid-memory-scatter-add-under-cpu-autocast", "data.dtype",
           setup=folder("shoes/train", ["boot", "sandal", "sneaker"], 4, size=(48, 48)))
    script("labels-cached-as-int16-tensor-file", "data.dtype", setup=prep(CACHE_INT16))
    script("handwritten-vit-sincos-pos-embed-float64-buffer", "data.dtype",
           setup=folder("galaxies/train", ["elliptical", "spiral"], 4, size=(64, 64)))

    # data.missing_or_corrupt
    script("csv-paths-relative-to-csv-folder-workers", "data.missing_or_corrupt", forms=W, setup=plants_setup)
    script("dataset-min-side-filter-drops-every-photo", "data.missing_or_corrupt",
           setup=folder("furniture/train", ["chair", "sofa", "table"], 3, size=(160, 120)))
    script("preprocessed-tensor-cache-cut-short", "data.missing_or_corrupt", setup=both(flowers, prep(CACHE_CUT)))
    script("coco-annotations-of-deduplicated-images-workers", "data.missing_or_corrupt", forms=W,
           setup=pallets_setup)
    script("action-clips-frames-folder-empty-np-stack-workers", "data.missing_or_corrupt", forms=W,
           setup=clips_setup)
    script("imageai-cls-data-split-named-val-not-test", "data.missing_or_corrupt", framework="imageai",
           setup=imgs([(f"mushrooms/{s}/{c}/{c}_{i}.jpg", (48, 48), "RGB") for s in ("train", "val")
                       for c in ("edible", "poisonous") for i in range(3)]))

    # data.bbox_invalid
    script("maskrcnn-random-crop-instance-vanishes-masks-to-boxes", "data.bbox_invalid", setup=nuclei_setup)
    script("detr-box-ops-giou-given-cxcywh-targets", "data.bbox_invalid", extra={"util/box_ops.py": DETR_BOX_OPS,
                                                                                  "util/__init__.py": ""},
           setup=helmets_setup)

    # data.too_few_boxes
    script("anchor-kmeans2-on-stamp-sized-boxes", "data.too_few_boxes", argv="anchors.py", setup=stamps_setup)

    # model.input_shape
    script("sign-language-csv-flat-pixels-into-cnn", "model.input_shape", setup=sign_csv)
    script("clip-batch-5d-into-2d-backbone", "model.input_shape", setup=fall_clips)
    add("handwritten-swin-window-partition-size-not-multiple", "model.input_shape", swin_files(size="100"),
        setup=folder("bark/train", ["birch", "oak", "pine"], 3, size=(100, 100)))
    add("handwritten-convnext-block-layernorm-on-nchw", "model.input_shape", convnext_files(norm=NORM_BAD),
        setup=folder("food/train", ["pizza", "ramen", "sushi"], 4, size=(64, 64)))

    # model.output_mismatch
    add("handwritten-swin-head-on-unpooled-tokens", "model.output_mismatch",
        swin_files(head=HEAD_BAD, size="64", root="fabric/train"),
        setup=folder("fabric/train", ["denim", "silk", "wool"], 3, size=(64, 64)))
    script("centernet-heatmap-targets-at-stride-2-head-stride-4", "model.output_mismatch", setup=orchard_setup)

    # model.weights_mismatch
    script("handwritten-vit-patch14-model-patch16-checkpoint", "model.weights_mismatch",
           extra={"models_vit.py": VIT_MODEL},
           setup=both(prep(VIT_SAVE),
                      folder("xray/train", ["normal", "pneumonia"], 3, size=(64, 64))))
    script("backbone-bn-swapped-to-groupnorm-old-checkpoint", "model.weights_mismatch",
           setup=both(prep(BN_SAVE), folder("wafers/train", ["center", "edge", "scratch"], 3, size=(64, 64))))
    script("imageai-custom-detect-config-from-three-class-run", "model.weights_mismatch", argv="detect.py",
           framework="imageai", setup=both(prep(IMAGEAI_PPE), imgs([("site.jpg", (160, 120), "RGB")])))

    # model.api_misuse
    script("aspect-bucket-batch-sampler-plus-batch-size", "model.api_misuse",
           setup=imgs(class_folder("paintings/train", ["baroque", "cubism"], 3, size=(80, 60))
                      + class_folder("paintings/train", ["impressionism"], 3, size=(60, 80))))
    script("autocast-migrated-from-cuda-amp-without-device-type", "model.api_misuse", args=("--amp",),
           setup=folder("textures/train", ["bumpy", "striped"], 4, size=(48, 48)))
    script("v2-normalize-before-toimage-on-pil-workers", "model.api_misuse", forms=W,
           setup=folder("coins/train", ["1c", "5c", "10c"], 4, size=(48, 48)))
    script("imageai-det-train-one-experiment-smoke-test", "model.api_misuse", framework="imageai",
           setup=det_dataset("forklifts"), timeout=400)

    # env.version_incompat
    script("resume-checkpoint-best-acc-numpy-scalar-weights-only", "env.version_incompat",
           setup=both(flowers, prep(RESUME_SAVE)))
    script("detection-collate-np-float-underscore-numpy2", "env.version_incompat", setup=parcels_setup)
    script("letterbox-v2-beta-get-spatial-size", "env.version_incompat", setup=pets_json)

    # optim.divergence
    script("detr-matcher-cost-matrix-nan-after-divergence", "optim.divergence", setup=crates_setup, timeout=400)
    script("grade-regressor-diverged-nan-confusion-index", "optim.divergence", setup=aptos_setup)

    # optim.autograd_graph
    script("mean-teacher-ema-update-inplace-without-no-grad", "optim.autograd_graph",
           setup=folder("parasites/labelled", ["falciparum", "uninfected"], 4, size=(48, 48)))
    script("prototype-memory-bank-stores-features-with-graph", "optim.autograd_graph",
           setup=folder("logos/train", ["brand_a", "brand_b", "brand_c"], 4, size=(48, 48)))
    script("phase-loop-set-grad-enabled-name-typo", "optim.autograd_graph",
           setup=both(folder("bees/train", ["ants", "bees"], 4, size=(48, 48)),
                      folder("bees/val", ["ants", "bees"], 2, size=(48, 48))))

    # resource.host_memory
    script("predict-whole-test-folder-one-forward-rlimit", "resource.host_memory", argv="predict.py",
           setup=imgs([(f"test_images/img_{i:04d}.jpg", (120, 90), "RGB") for i in range(64)]), timeout=300)

    # env.device_mismatch
    notebook("param-count-on-meta-device-model-reused-notebook", "env.device_mismatch", also=["model.api_misuse"],
             setup=flowers)

    # env.cuda_setup
    script("fps-benchmark-cuda-synchronize-cpu-box", "env.cuda_setup", argv="benchmark.py")
    notebook("per-process-memory-fraction-cap-notebook", "env.cuda_setup", setup=flowers)

    # env.multiprocessing
    script("spawn-dataset-keeps-glob-generator", "env.multiprocessing",
           setup=folder("mold/train", ["aspergillus", "penicillium"], 4, size=(48, 48)))
    script("spawn-dataset-keeps-threadpool-prefetcher", "env.multiprocessing",
           setup=folder("scans/train", ["ok", "defect"], 4, size=(48, 48)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
