"""A forty-eighth held-out set (g96, scored 0.91 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, themed on the causes hardest to tell from their message: odd image modes, dtypes, the meta device, library calls used wrongly and plain bugs.

The persona: people training image models on their own folders (train.py scripts with custom Datasets,
notebooks run cell by cell, DataLoader workers, tqdm bars, ImageAI 3 trainers and the small preparation
scripts in front of them), each program built so that its cause is unambiguous by construction while its
message could belong to a neighbouring cause; none a repeat of the scenarios in the other generators.

- data.image_channels: shop cut-out PNGs kept RGBA by a custom loader under ``TrivialAugmentWide`` (in
  workers), FLIR-style 16-bit thermal PNGs kept ``I;16`` "for the radiometric values" under ``ColorJitter``
  (tqdm), a grey X-ray pipeline whose ``RandomErasing`` fills with the three ImageNet means (notebook), a
  DANN-style MNIST (grey) -> MNIST-M (colour) run concatenating the two domains' batches, downloaded PNG
  logos with transparency re-saved as JPEG for an ImageAI 3 ClassificationModelTrainer, an offline PIL
  mixup (``Image.blend``) meeting one grey document scan;
- data.dtype: a Sobel edge-aware loss whose kernel is built from integer literals, 16-bit depth PNGs
  resized with ``F.interpolate`` as ``uint16`` tensors (in workers, a non-writable-array warning first),
  segmentation class-frequency weights from ``torch.histc`` over int64 masks, a tqdm accuracy postfix of
  ``(pred == y).mean()`` on a bool tensor, two annotators' COCO pixel boxes merged with ``nms`` as int64;
- env.device_mismatch (the meta device, reproducible on a CPU box): class weights for the loss built inside
  the ``torch.device("meta")`` fast-init block (tqdm), a ViT whose non-persistent sinusoidal position table is
  not in the checkpoint loaded with ``assign=True``, a fine-tuning notebook whose new head is missing from the
  ``strict=False, assign=True`` checkpoint;
- model.api_misuse: ``swa_utils.update_bn`` over a loader of dict batches, ``LambdaLR`` given two warm-up
  lambdas for an optimizer with one parameter group, ``torch.nn.functional.normalize`` taken for
  torchvision's ``normalize`` (in workers), an ImageAI 3 batch size from ``np.clip`` (a numpy integer);
- other: an ImageNet ``std`` typed ``0,225`` (a zero std), ``convert("RBG")`` (in workers), a notebook
  training loop using the preview cell's ``labels`` (fails at the short last batch);
- balance: one-hot ``uint8`` labels from an ``.npz`` cache into ``CrossEntropyLoss`` (data.label_shape), a
  stem built with ``in_channels: 4`` from the config of an RGB+NIR project fed RGB photos (model.input_shape).

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars, warnings
before the error) on CPU with the torch venv (no GPU, no downloads, weights=None: "pretrained" checkpoints are
files an earlier step left on disk); the label is known by construction.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more48.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases, yolo_layout  # noqa: E402,F401

SRC = "corpus/generators/torch_more48.py"

SCRIPTS = {}
CELLS = {}
EXTRA = {}

# ================================================================== data.image_channels
SCRIPTS["shop-cutouts-rgba-custom-loader-trivialaugment-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

torch.manual_seed(0)


class ProductImages(Dataset):
    """product photos exported from the shop's CMS (products.csv: path,category)"""

    def __init__(self, csv_path, transform=None):
        with open(csv_path) as f:
            rows = list(csv.DictReader(f))
        self.categories = sorted({r["category"] for r in rows})
        self.items = [(r["path"], self.categories.index(r["category"])) for r in rows]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = Image.open(path)
        if self.transform:
            img = self.transform(img)
        return img, label


train_tf = T.Compose([
    T.Resize((96, 96)),
    T.RandomHorizontalFlip(),
    T.TrivialAugmentWide(),
    T.ToTensor(),
])


def main():
    train_set = ProductImages("products.csv", transform=train_tf)
    loader = DataLoader(train_set, batch_size=8, shuffle=True, num_workers=2)
    print(f"{len(train_set)} products, categories: {train_set.categories}")

    model = models.mobilenet_v3_small(weights=None, num_classes=len(train_set.categories))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(15):
        model.train()
        for step, (images, labels) in enumerate(loader):
            loss = criterion(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

CUTOUTS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("cms_export", exist_ok=True)
rows = []
for i in range(24):
    cat = ["bags", "lamps", "mugs", "shoes"][i % 4]
    rgba = np.zeros((120, 120, 4), np.uint8)
    rgba[..., :3] = rng.integers(0, 256, (120, 120, 3), dtype=np.uint8)
    yy, xx = np.mgrid[:120, :120]
    rgba[..., 3] = np.where((yy - 60) ** 2 + (xx - 60) ** 2 < 45 ** 2, 255, 0)   # background cut away
    path = f"cms_export/{cat}_{1000 + i}.png"
    Image.fromarray(rgba, "RGBA").save(path)
    rows.append({"path": path, "category": cat})
with open("products.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["path", "category"])
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["flir-thermal-16bit-pngs-kept-i16-colorjitter-tqdm"] = '''
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm


def load_radiometric(path):
    # keep the 16-bit radiometric counts: the default loader would turn the frames into 8-bit RGB
    return Image.open(path)


train_tf = T.Compose([
    T.Resize((96, 96)),
    T.RandomHorizontalFlip(),
    T.ColorJitter(brightness=0.2, contrast=0.2),    # different camera gains
    T.PILToTensor(),
    T.ConvertImageDtype(torch.float32),
])

train_set = datasets.ImageFolder("thermal/train", transform=train_tf, loader=load_radiometric)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
print(f"{len(train_set)} thermal frames, classes {train_set.classes}")

model = models.resnet18(weights=None, num_classes=len(train_set.classes))
model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}/10")
    for frames, labels in pbar:
        loss = criterion(model(frames), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

THERMAL_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
for cls in ["cyclist", "pedestrian", "vehicle"]:
    os.makedirs(f"thermal/train/{cls}", exist_ok=True)
    for i in range(4):
        counts = (rng.normal(7400, 300, (128, 160))).clip(0, 65535).astype(np.uint16)   # raw sensor counts
        Image.fromarray(counts).save(f"thermal/train/{cls}/FLIR_{i + 8800:05d}.png")
'''

CELLS["xray-grey-pipeline-randomerasing-imagenet-mean-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

torch.manual_seed(1)
IMAGENET_MEAN = (0.485, 0.456, 0.406)
''',
    '''
# the chest X-rays are grey: one channel all the way, the stem is rebuilt for it
train_tf = T.Compose([
    T.Grayscale(num_output_channels=1),
    T.Resize((128, 128)),
    T.RandomRotation(5),
    T.ToTensor(),
    T.Normalize([0.5], [0.5]),
    T.RandomErasing(p=0.5, scale=(0.02, 0.1), value=IMAGENET_MEAN),   # cutout, filled with the mean colour
])
train_ds = datasets.ImageFolder("cxr/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.classes, len(train_ds))
''',
    '''
model = models.densenet121(weights=None, num_classes=len(train_ds.classes))
model.features.conv0 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
''',
    '''
for epoch in range(5):
    model.train()
    running = 0.0
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch}: {running / len(train_loader):.4f}")
''',
]

SCRIPTS["dann-mnist-source-mnistm-target-concat-batches"] = '''
import argparse

import torch
import torch.nn as nn
from torch.autograd import Function
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


class GradReverse(Function):
    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return grad.neg() * ctx.alpha, None


class DANN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 5), nn.BatchNorm2d(32), nn.MaxPool2d(2), nn.ReLU(True),
            nn.Conv2d(32, 48, 5), nn.BatchNorm2d(48), nn.Dropout2d(), nn.MaxPool2d(2), nn.ReLU(True),
            nn.Flatten())
        self.label_head = nn.Sequential(nn.Linear(48 * 4 * 4, 100), nn.ReLU(True), nn.Linear(100, 10))
        self.domain_head = nn.Sequential(nn.Linear(48 * 4 * 4, 100), nn.ReLU(True), nn.Linear(100, 2))

    def forward(self, x, alpha=1.0):
        f = self.features(x)
        return self.label_head(f), self.domain_head(GradReverse.apply(f, alpha))


parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

tf = T.Compose([T.Resize(28), T.ToTensor(), T.Normalize((0.5,), (0.5,))])
source = datasets.MNIST("data", train=True, transform=tf)                 # labelled digits
target = datasets.ImageFolder("data/mnist_m/train", transform=tf)         # unlabelled MNIST-M
src_loader = DataLoader(source, batch_size=args.batch_size, shuffle=True, drop_last=True)
tgt_loader = DataLoader(target, batch_size=args.batch_size, shuffle=True, drop_last=True)
print(f"source: {len(source)} MNIST digits, target: {len(target)} MNIST-M digits")

model = DANN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
ce = nn.CrossEntropyLoss()
for epoch in range(args.epochs):
    for step, ((xs, ys), (xt, _)) in enumerate(zip(src_loader, tgt_loader)):
        x = torch.cat([xs, xt])                               # one forward pass over both domains
        domain = torch.cat([torch.zeros(len(xs)), torch.ones(len(xt))]).long()
        class_out, domain_out = model(x, alpha=0.1)
        loss = ce(class_out[:len(xs)], ys) + ce(domain_out, domain)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''

MNIST_PREP = '''
import os
import struct
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
raw = "data/MNIST/raw"
os.makedirs(raw, exist_ok=True)
for prefix, n in (("train", 96), ("t10k", 32)):
    digits = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    with open(f"{raw}/{prefix}-images-idx3-ubyte", "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + digits.tobytes())
    with open(f"{raw}/{prefix}-labels-idx1-ubyte", "wb") as f:
        f.write(struct.pack(">II", 2049, n) + rng.integers(0, 10, n, dtype=np.uint8).tobytes())
for d in range(10):
    os.makedirs(f"data/mnist_m/train/{d}", exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(
            f"data/mnist_m/train/{d}/{d * 1000 + i:08d}.png")
'''

SCRIPTS["imageai-cls-prep-downloaded-png-logos-saved-as-jpeg"] = '''
import glob
import os
import random

from PIL import Image
from imageai.Classification.Custom import ClassificationModelTrainer

SRC = "downloads"         # one folder per brand, images saved from a web image search
DST = "logos"
random.seed(0)

for brand in sorted(os.listdir(SRC)):
    files = sorted(glob.glob(os.path.join(SRC, brand, "*")))
    random.shuffle(files)
    n_test = max(1, len(files) // 5)
    for i, src in enumerate(files):
        split = "test" if i < n_test else "train"
        os.makedirs(os.path.join(DST, split, brand), exist_ok=True)
        img = Image.open(src)
        img.thumbnail((256, 256))
        # ImageAI's examples use .jpg everywhere: store every image as a JPEG
        name = os.path.splitext(os.path.basename(src))[0] + ".jpg"
        img.save(os.path.join(DST, split, brand, name), quality=92)
    print(f"{brand}: {len(files)} images")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(DST)
trainer.trainModel(num_experiments=20, batch_size=4)
'''

LOGOS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
for brand in ["acme", "globex", "initech"]:
    os.makedirs(f"downloads/{brand}", exist_ok=True)
    for i in range(5):
        arr = rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)
        if brand == "globex" and i == 3:
            rgba = np.dstack([arr, np.where(arr[..., 0] > 128, 255, 0).astype(np.uint8)])
            Image.fromarray(rgba, "RGBA").save(f"downloads/{brand}/{brand}-logo-transparent-{i}.png")
        else:
            Image.fromarray(arr).save(f"downloads/{brand}/{brand}_{i}.jpg", quality=90)
'''

SCRIPTS["offline-mixup-image-blend-meets-grey-scan"] = '''
import glob
import os
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

random.seed(0)
SIZE = (160, 160)
ROOT = "documents/train"
OUT = "documents_mix/train"

# offline augmentation: for every document add two blends with another page of the same type,
# so the small classes get more (and more varied) training pages
for doc_type in sorted(os.listdir(ROOT)):
    pages = sorted(glob.glob(os.path.join(ROOT, doc_type, "*.jpg")))
    os.makedirs(os.path.join(OUT, doc_type), exist_ok=True)
    for i, p in enumerate(pages):
        a = Image.open(p).resize(SIZE)
        a.save(os.path.join(OUT, doc_type, os.path.basename(p)))
        for k in range(2):
            b = Image.open(random.choice(pages)).resize(SIZE)
            mixed = Image.blend(a, b, alpha=random.uniform(0.2, 0.4))
            mixed.save(os.path.join(OUT, doc_type, f"mix{k}_{os.path.basename(p)}"))
    print(f"{doc_type}: {len(pages)} pages -> {3 * len(pages)}")

train_set = datasets.ImageFolder(OUT, transform=T.Compose([T.Resize(SIZE), T.ToTensor()]))
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== data.dtype
SCRIPTS["sr-edge-aware-loss-sobel-kernel-integer-literals"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

SCALE = 2


class SRPairs(Dataset):
    def __init__(self, root, patch=64):
        self.files = sorted(glob.glob(f"{root}/*.png"))
        self.crop = T.RandomCrop(patch)
        self.to_tensor = T.ToTensor()

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        hr = self.crop(Image.open(self.files[i]).convert("RGB"))
        lr = hr.resize((hr.width // SCALE, hr.height // SCALE), Image.BICUBIC)
        return self.to_tensor(lr), self.to_tensor(hr)


class EdgeLoss(nn.Module):
    """L1 between the Sobel gradient maps of the prediction and the target (keeps text strokes sharp)"""

    def __init__(self):
        super().__init__()
        kx = torch.tensor([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
        self.register_buffer("kx", kx.view(1, 1, 3, 3))
        self.register_buffer("ky", kx.t().contiguous().view(1, 1, 3, 3))

    def grad(self, img):
        grey = img.mean(dim=1, keepdim=True)
        return torch.cat([F.conv2d(grey, self.kx, padding=1), F.conv2d(grey, self.ky, padding=1)], 1)

    def forward(self, pred, target):
        return F.l1_loss(self.grad(pred), self.grad(target))


class ESPCN(nn.Module):
    def __init__(self, scale):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 64, 5, padding=2), nn.Tanh(), nn.Conv2d(64, 32, 3, padding=1), nn.Tanh(),
                                  nn.Conv2d(32, 3 * scale ** 2, 3, padding=1))
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        return self.shuffle(self.body(x))


loader = DataLoader(SRPairs("scans/hr"), batch_size=4, shuffle=True)
model = ESPCN(SCALE)
l1, edge = nn.L1Loss(), EdgeLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(50):
    for lr_img, hr_img in loader:
        sr = model(lr_img)
        loss = l1(sr, hr_img) + 0.1 * edge(sr, hr_img)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["depth-16bit-pngs-interpolate-uint16-tensor-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

H, W = 120, 160   # network resolution


class RGBDepth(Dataset):
    def __init__(self, root):
        self.rgb = sorted(glob.glob(os.path.join(root, "rgb", "*.jpg")))

    def __len__(self):
        return len(self.rgb)

    def __getitem__(self, i):
        rgb = np.asarray(Image.open(self.rgb[i]).convert("RGB"))
        depth = np.asarray(Image.open(self.rgb[i].replace("rgb", "depth").replace(".jpg", ".png")))  # millimetres
        rgb = torch.from_numpy(rgb).permute(2, 0, 1).float().div(255)
        depth = torch.from_numpy(depth)[None]
        rgb = F.interpolate(rgb[None], size=(H, W), mode="bilinear", align_corners=False)[0]
        depth = F.interpolate(depth[None], size=(H, W), mode="nearest")[0]
        return rgb, depth / 1000.0


class TinyDepthNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def forward(self, x):
        return F.softplus(self.dec(self.enc(x)))


if __name__ == "__main__":
    loader = DataLoader(RGBDepth("kitchen"), batch_size=4, shuffle=True, num_workers=2)
    model = TinyDepthNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(20):
        for rgb, depth in loader:
            loss = F.l1_loss(model(rgb), depth)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: L1 {loss.item():.3f} m")
'''

DEPTH_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("kitchen/rgb", exist_ok=True)
os.makedirs("kitchen/depth", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"kitchen/rgb/{i:05d}.jpg", quality=90)
    depth_mm = rng.integers(500, 4500, (240, 320)).astype(np.uint16)
    Image.fromarray(depth_mm).save(f"kitchen/depth/{i:05d}.png")
'''

SCRIPTS["seg-class-frequency-weights-histc-over-long-masks"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

CLASSES = ["background", "road", "sidewalk", "vegetation", "sky"]


class DroneSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB").resize((128, 128)), dtype=np.float32) / 255.0
        mask = Image.open(self.images[i].replace("images", "masks").replace(".jpg", ".png")).resize((128, 128), Image.NEAREST)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(np.array(mask)).long()


def class_weights(dataset, n):
    """median-frequency balancing (SegNet): w_c = median(f) / f_c"""
    counts = torch.zeros(n)
    for _, mask in DataLoader(dataset, batch_size=4):
        counts += torch.histc(mask, bins=n, min=0, max=n - 1)
    freq = counts / counts.sum()
    return freq.median() / freq


train_set = DroneSeg("uavid_small/train")
weights = class_weights(train_set, len(CLASSES))
print("class weights:", weights)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss(weight=weights)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    for x, y in DataLoader(train_set, batch_size=4, shuffle=True):
        loss = criterion(model(x)["out"], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

UAVID_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("uavid_small/train/images", exist_ok=True)
os.makedirs("uavid_small/train/masks", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (160, 200, 3), dtype=np.uint8)).save(f"uavid_small/train/images/seq1_{i:06d}.jpg")
    mask = np.zeros((160, 200), np.uint8)
    mask[:40] = 4
    mask[40:90, :120] = 3
    mask[90:, 60:140] = 1
    mask[90:, 140:] = 2
    Image.fromarray(mask).save(f"uavid_small/train/masks/seq1_{i:06d}.png")
'''

SCRIPTS["accuracy-postfix-eq-mean-on-bool-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_set = datasets.ImageFolder("bees/train", transform=tf)
val_set = datasets.ImageFolder("bees/val", transform=tf)
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
val_loader = DataLoader(val_set, batch_size=8)

model = models.resnet18(weights=None, num_classes=len(train_set.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(1, 11):
    model.train()
    bar = tqdm(train_loader, desc=f"Epoch {epoch} train")
    for images, labels in bar:
        logits = model(images)
        loss = criterion(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        acc = (logits.argmax(dim=1) == labels).mean()
        bar.set_postfix(loss=loss.item(), acc=acc.item())
'''

SCRIPTS["annotator-merge-nms-on-int-coco-pixel-boxes"] = '''
import json
from collections import defaultdict

import torch
from torchvision.ops import nms

# two annotators labelled the same shelf photos; keep one box where their boxes overlap
IOU_DUP = 0.6


def load_boxes(path):
    coco = json.load(open(path))
    per_image = defaultdict(list)
    for a in coco["annotations"]:
        x, y, w, h = a["bbox"]
        per_image[a["image_id"]].append(([x, y, x + w, y + h], a["category_id"]))
    return coco["images"], per_image


images, ann_a = load_boxes("labels/annotator_a.json")
_, ann_b = load_boxes("labels/annotator_b.json")

merged = {"images": images, "annotations": [], "categories": json.load(open("labels/annotator_a.json"))["categories"]}
for img in images:
    rows = ann_a[img["id"]] + ann_b[img["id"]]
    boxes = torch.tensor([r[0] for r in rows])
    cats = torch.tensor([r[1] for r in rows])
    # annotator A is the senior one: prefer her boxes when two overlap
    scores = torch.tensor([1.0] * len(ann_a[img["id"]]) + [0.5] * len(ann_b[img["id"]]))
    keep = nms(boxes, scores, IOU_DUP)
    for k in keep.tolist():
        x1, y1, x2, y2 = boxes[k].tolist()
        merged["annotations"].append({"id": len(merged["annotations"]) + 1, "image_id": img["id"],
                                      "bbox": [x1, y1, x2 - x1, y2 - y1], "category_id": int(cats[k]),
                                      "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
    print(f"{img['file_name']}: {len(rows)} boxes -> {len(keep)}")

json.dump(merged, open("labels/merged.json", "w"))
'''

SHELF_LABELS_PREP = '''
import json
import os
import numpy as np

rng = np.random.default_rng(11)
os.makedirs("labels", exist_ok=True)
images = [{"id": i + 1, "file_name": f"shelf_{i:03d}.jpg", "width": 640, "height": 480} for i in range(4)]
cats = [{"id": 1, "name": "bottle"}, {"id": 2, "name": "can"}]
for who, jitter in (("a", 0), ("b", 6)):
    anns = []
    for img in images:
        for j in range(3):
            x, y = 60 + 150 * j, 80 + 20 * img["id"]
            dx, dy = (int(v) for v in rng.integers(-jitter, jitter + 1, 2)) if jitter else (0, 0)
            anns.append({"id": len(anns) + 1, "image_id": img["id"], "bbox": [x + dx, y + dy, 90, 200],
                         "category_id": 1 + j % 2, "area": 18000, "iscrowd": 0})
    json.dump({"images": images, "annotations": anns, "categories": cats}, open(f"labels/annotator_{who}.json", "w"))
'''

# ================================================================== env.device_mismatch (meta device)
SCRIPTS["fast-init-meta-device-criterion-class-weights-tqdm"] = '''
import json
from collections import Counter

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

cfg = json.load(open("config.json"))

tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder(cfg["train_dir"], transform=tf)
loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True)
n = len(train_set.classes)
counts = Counter(train_set.targets)

# build on the meta device: no time wasted on a random init, the weights come from the checkpoint
with torch.device(cfg["init_device"]):
    model = getattr(models, cfg["arch"])(num_classes=n)
    class_weights = torch.tensor([len(train_set) / (n * counts[c]) for c in range(n)])
    criterion = nn.CrossEntropyLoss(weight=class_weights, label_smoothing=0.05)
model.load_state_dict(torch.load(cfg["init_weights"], weights_only=True), assign=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
print(f"{cfg['arch']}: {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M params, {n} classes")

for epoch in range(cfg["epochs"]):
    model.train()
    for images, labels in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

FAST_INIT_CONFIG = json.dumps({
    "train_dir": "skin/train", "arch": "resnet18", "init_device": "meta",
    "init_weights": "checkpoints/resnet18_skin_stage1.pth", "batch_size": 8, "lr": 1e-4, "epochs": 10}, indent=2) + "\n"

SKIN_STAGE1_PREP = '''
import os
import torch
import torchvision

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.resnet18(num_classes=3).state_dict(), "checkpoints/resnet18_skin_stage1.pth")
'''

SCRIPTS["vit-meta-init-assign-nonpersistent-position-table"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

from vit import TinyViT

tf = T.Compose([T.Resize((64, 64)), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
train_set = datasets.ImageFolder("galaxies/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)

# fine-tune the self-supervised checkpoint; build the model on the meta device and let the
# checkpoint tensors become the parameters (load_state_dict(..., assign=True)), as the PyTorch docs show
with torch.device("meta"):
    model = TinyViT(img_size=64, patch=8, dim=128, depth=4, heads=4, num_classes=len(train_set.classes))
ckpt = torch.load("checkpoints/tinyvit_ssl_ep200.pt", weights_only=True)
print(model.load_state_dict(ckpt["model"], assign=True))

optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.05)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for images, labels in loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

VIT_PY = '''
import math

import torch
import torch.nn as nn


def sinusoid_table(n, dim):
    pos = torch.arange(n).unsqueeze(1)
    div = torch.exp(torch.arange(0, dim, 2) * (-math.log(10000.0) / dim))
    table = torch.zeros(n, dim)
    table[:, 0::2] = torch.sin(pos * div)
    table[:, 1::2] = torch.cos(pos * div)
    return table


class TinyViT(nn.Module):
    def __init__(self, img_size=64, patch=8, dim=128, depth=4, heads=4, num_classes=10):
        super().__init__()
        n = (img_size // patch) ** 2
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        # fixed (not learned) position table: rebuilt from the sizes, so it is left out of checkpoints
        self.register_buffer("pos_table", sinusoid_table(n + 1, dim)[None], persistent=False)
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 4, dropout=0.0, batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, depth)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(len(x), -1, -1), x], dim=1) + self.pos_table
        return self.head(self.norm(self.blocks(x))[:, 0])
'''

VIT_SSL_PREP = '''
import os
import torch
from vit import TinyViT

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
m = TinyViT(img_size=64, patch=8, dim=128, depth=4, heads=4, num_classes=3)
torch.save({"epoch": 200, "model": m.state_dict()}, "checkpoints/tinyvit_ssl_ep200.pt")
'''

CELLS["meta-init-finetune-new-head-missing-strict-false-notebook"] = [
    '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

tf = T.Compose([T.Resize((96, 96)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("mushrooms/train", transform=tf)
train_dl = DataLoader(train_ds, batch_size=8, shuffle=True)
classes = train_ds.classes
print(classes)
''',
    '''
# skip the random init (it is overwritten anyway): build on the meta device
with torch.device("meta"):
    model = torchvision.models.mobilenet_v3_small()
    model.classifier[3] = nn.Linear(model.classifier[3].in_features, len(classes))
''',
    '''
# ImageNet weights, without the 1000-class layer; the new head keeps its own init
sd = torch.load("weights/mobilenet_v3_small_imagenet.pth", weights_only=True)
sd = {k: v for k, v in sd.items() if not k.startswith("classifier.3.")}
model.load_state_dict(sd, strict=False, assign=True)
''',
    '''
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    for xb, yb in train_dl:
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]

MBV3_IMAGENET_PREP = '''
import os
import torch
import torchvision

os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.mobilenet_v3_small().state_dict(), "weights/mobilenet_v3_small_imagenet.pth")
'''

# ================================================================== model.api_misuse
SCRIPTS["swa-update-bn-over-dict-batches"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.optim.swa_utils import SWALR, AveragedModel, update_bn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class Leaves(Dataset):
    def __init__(self, root, tf):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, c) for c, name in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{name}/*.jpg"))]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return {"image": self.tf(Image.open(path).convert("RGB")), "label": label, "path": path}


train_set = Leaves("cassava/train", T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()]))
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
swa_model = AveragedModel(model)
swa_scheduler = SWALR(optimizer, swa_lr=0.01)
criterion = nn.CrossEntropyLoss()
EPOCHS, SWA_START = 4, 2

for epoch in range(EPOCHS):
    model.train()
    for batch in train_loader:
        loss = criterion(model(batch["image"]), batch["label"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if epoch >= SWA_START:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")

# recompute the BatchNorm statistics for the averaged weights
update_bn(train_loader, swa_model)
torch.save(swa_model.module.state_dict(), "cassava_swa.pt")
'''

SCRIPTS["lambdalr-two-warmup-lambdas-one-param-group"] = '''
import json
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

cfg = json.load(open("finetune.json"))
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_set = datasets.ImageFolder(cfg["data"], transform=tf)
loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True)

model = models.resnet34(weights=None)
model.load_state_dict(torch.load(cfg["pretrained"], weights_only=True))
model.fc = nn.Linear(model.fc.in_features, len(train_set.classes))

optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=0.01)
steps = cfg["epochs"] * len(loader)


def backbone_lambda(step):
    # backbone: frozen-ish for the warm-up, then cosine
    if step < cfg["warmup_steps"]:
        return 0.0
    return 0.5 * (1 + math.cos(math.pi * step / steps))


def head_lambda(step):
    # head: linear warm-up, then cosine
    if step < cfg["warmup_steps"]:
        return (step + 1) / cfg["warmup_steps"]
    return 0.5 * (1 + math.cos(math.pi * step / steps))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=[backbone_lambda, head_lambda])
criterion = nn.CrossEntropyLoss()
for epoch in range(cfg["epochs"]):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}, lr {scheduler.get_last_lr()}")
'''

FINETUNE_JSON = json.dumps({"data": "birds/train", "pretrained": "weights/resnet34_imagenet.pth", "batch_size": 8,
                            "lr": 3e-4, "epochs": 12, "warmup_steps": 20}, indent=2) + "\n"

R34_PREP = '''
import os
import torch
import torchvision

os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.resnet34().state_dict(), "weights/resnet34_imagenet.pth")
'''

SCRIPTS["nn-functional-normalize-taken-for-transforms-normalize-workers"] = '''
import glob
import os

import cv2
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision import models

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


class PlantDoc(Dataset):
    def __init__(self, root, size=96):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(os.path.join(root, c, "*.jpg")))]
        self.size = size

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (self.size, self.size))
        img = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        img = F.normalize(img, MEAN, STD)
        return img, label


def main():
    ds = PlantDoc("plantdoc/train")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, persistent_workers=True)
    model = models.efficientnet_b0(weights=None, num_classes=len(ds.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["imageai-cls-batch-size-from-numpy-clip"] = '''
import os

import numpy as np
from imageai.Classification.Custom import ClassificationModelTrainer

DATA = "tomato_leaves"
n_train = sum(len(files) for _, _, files in os.walk(os.path.join(DATA, "train")))
# about ten batches per epoch, but keep the batch between 2 and 16 images
batch_size = np.clip(n_train // 10, 2, 16)
print(f"{n_train} training images -> batch size {batch_size}")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory(DATA)
trainer.trainModel(num_experiments=30, batch_size=batch_size)
'''

# ================================================================== other
SCRIPTS["imagenet-std-typed-with-a-comma-zero-std"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0,225]

train_tf = T.Compose([
    T.RandomResizedCrop(96, scale=(0.6, 1.0)),
    T.RandomHorizontalFlip(),
    T.ToTensor(),
    T.Normalize(IMAGENET_MEAN, IMAGENET_STD),
])
train_set = datasets.ImageFolder("cats_dogs/train", transform=train_tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["pil-convert-rbg-typo-in-dataset-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class Paintings(Dataset):
    def __init__(self, csv_file, transform):
        with open(csv_file) as f:
            self.rows = [(r["file"], int(r["style_id"])) for r in csv.DictReader(f)]
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, label = self.rows[i]
        img = Image.open(path).convert("RBG")
        return self.transform(img), label


def main():
    tf = T.Compose([T.Resize((80, 80)), T.ToTensor()])
    loader = DataLoader(Paintings("wikiart_small.csv", tf), batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=4)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

WIKIART_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("wikiart", exist_ok=True)
rows = []
for i in range(16):
    p = f"wikiart/painting_{i:04d}.jpg"
    Image.fromarray(rng.integers(0, 256, (100, 90, 3), dtype=np.uint8)).save(p, quality=90)
    rows.append({"file": p, "style_id": i % 4})
with open("wikiart_small.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["file", "style_id"])
    w.writeheader()
    w.writerows(rows)
'''

CELLS["preview-cell-labels-reused-in-train-loop-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

BATCH_SIZE = 16
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_data = datasets.ImageFolder("fruits/train", transform=tf)
train_loader = DataLoader(train_data, batch_size=BATCH_SIZE, shuffle=True)
print(len(train_data), train_data.classes)
''',
    '''
# look at one batch
images, labels = next(iter(train_loader))
print(images.shape, labels)
''',
    '''
model = models.resnet18(weights=None, num_classes=len(train_data.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    model.train()
    total = 0.0
    for batch_idx, (inputs, targets) in enumerate(train_loader):
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: loss {total / len(train_loader):.4f}")
''',
]

# ================================================================== balance: data.label_shape / model.input_shape
SCRIPTS["onehot-uint8-labels-from-npz-cache-crossentropy"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models

# preprocess.py cached the resized images and the labels (see cache/README)
cache = np.load("cache/signs_64.npz")
x = torch.from_numpy(cache["images"]).permute(0, 3, 1, 2).float() / 255.0
y = torch.from_numpy(cache["labels"])
print("images", tuple(x.shape), x.dtype, "labels", tuple(y.shape), y.dtype)

loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
model = models.resnet18(weights=None, num_classes=int(cache["num_classes"]))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for images, labels in loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SIGNS_NPZ_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(8)
os.makedirs("cache", exist_ok=True)
n, k = 48, 6
ids = rng.integers(0, k, n)
np.savez("cache/signs_64.npz", images=rng.integers(0, 256, (n, 64, 64, 3), dtype=np.uint8),
         labels=np.eye(k, dtype=np.uint8)[ids], num_classes=k)
with open("cache/README", "w") as f:
    f.write("signs_64.npz: images uint8 (N, 64, 64, 3); labels one-hot uint8 (N, 6)\\n")
'''

SCRIPTS["stem-in-channels-4-config-from-rgbn-project"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


class ConvBlock(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.MaxPool2d(2))


class SmallCNN(nn.Module):
    def __init__(self, in_channels, widths, num_classes):
        super().__init__()
        chans = [in_channels] + widths
        self.features = nn.Sequential(*[ConvBlock(a, b) for a, b in zip(chans[:-1], chans[1:])])
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(widths[-1], num_classes))

    def forward(self, x):
        return self.head(self.features(x))


cfg = json.load(open("configs/roofs.json"))
tf = T.Compose([T.Resize((cfg["img_size"], cfg["img_size"])), T.ToTensor(),
                T.Normalize(cfg["mean"][:3], cfg["std"][:3])])
train_set = datasets.ImageFolder(cfg["train_dir"], transform=tf)
loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True)
model = SmallCNN(cfg["in_channels"], cfg["widths"], len(train_set.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
for epoch in range(cfg["epochs"]):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# copied from the crop-field project (Sentinel-2 RGB + NIR tiles) and edited for the roof photos
ROOFS_CONFIG = json.dumps({
    "train_dir": "roofs/train", "img_size": 64, "in_channels": 4, "widths": [32, 64, 128],
    "mean": [0.485, 0.456, 0.406, 0.5], "std": [0.229, 0.224, 0.225, 0.25],
    "batch_size": 8, "lr": 1e-3, "epochs": 20}, indent=2) + "\n"


def cases():
    out, add, script, notebook = case_builders("torch-more48-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    # ---- data.image_channels
    script("shop-cutouts-rgba-custom-loader-trivialaugment-workers", "data.image_channels", forms=W,
           setup=prep(CUTOUTS_PREP))
    script("flir-thermal-16bit-pngs-kept-i16-colorjitter-tqdm", "data.image_channels", also=["data.dtype"],
           forms=P, setup=prep(THERMAL_PREP))
    notebook("xray-grey-pipeline-randomerasing-imagenet-mean-notebook", "data.image_channels",
             also=["model.api_misuse"],
             setup=imgs(class_folder("cxr/train", ["normal", "pneumonia"], 8, size=(140, 140), mode="L")))
    script("dann-mnist-source-mnistm-target-concat-batches", "data.image_channels", argv="train_dann.py",
           args=("--batch-size", "16", "--epochs", "5"), setup=prep(MNIST_PREP))
    iai("imageai-cls-prep-downloaded-png-logos-saved-as-jpeg", "data.image_channels",
        argv="prepare_and_train.py", setup=prep(LOGOS_PREP))
    script("offline-mixup-image-blend-meets-grey-scan", "data.image_channels", argv="augment_and_train.py",
           setup=imgs(class_folder("documents/train", ["invoice", "receipt"], 3, size=(150, 200))
                      + [("documents/train/receipt/receipt_scan_017.jpg", (150, 200), "L")]))
    # ---- data.dtype
    script("sr-edge-aware-loss-sobel-kernel-integer-literals", "data.dtype",
           setup=imgs([(f"scans/hr/page_{i:03d}.png", (128, 128), "RGB") for i in range(6)]))
    script("depth-16bit-pngs-interpolate-uint16-tensor-workers", "data.dtype", forms=W, setup=prep(DEPTH_PREP))
    script("seg-class-frequency-weights-histc-over-long-masks", "data.dtype", also=["model.api_misuse"],
           setup=prep(UAVID_PREP))
    script("accuracy-postfix-eq-mean-on-bool-tqdm", "data.dtype", also=["other"], forms=P,
           setup=imgs(class_folder("bees/train", ["bumblebee", "honeybee", "wasp"], 4, size=(80, 80))
                      + class_folder("bees/val", ["bumblebee", "honeybee", "wasp"], 1, size=(80, 80))))
    script("annotator-merge-nms-on-int-coco-pixel-boxes", "data.dtype", argv="merge_labels.py",
           setup=prep(SHELF_LABELS_PREP))
    # ---- env.device_mismatch
    script("fast-init-meta-device-criterion-class-weights-tqdm", "env.device_mismatch", forms=P,
           extra={"config.json": FAST_INIT_CONFIG},
           setup=both(imgs(class_folder("skin/train", ["melanoma", "nevus", "keratosis"], 3, size=(100, 100))),
                      prep(SKIN_STAGE1_PREP)))
    script("vit-meta-init-assign-nonpersistent-position-table", "env.device_mismatch",
           extra={"vit.py": VIT_PY},
           setup=both(imgs(class_folder("galaxies/train", ["elliptical", "spiral", "irregular"], 3, size=(72, 72))),
                      prep(VIT_SSL_PREP)))
    notebook("meta-init-finetune-new-head-missing-strict-false-notebook", "env.device_mismatch",
             setup=both(imgs(class_folder("mushrooms/train", ["amanita", "boletus", "chanterelle", "morel"], 2,
                                          size=(100, 100))),
                        prep(MBV3_IMAGENET_PREP)))
    # ---- model.api_misuse
    script("swa-update-bn-over-dict-batches", "model.api_misuse",
           setup=imgs(class_folder("cassava/train", ["cbb", "cbsd", "healthy"], 3, size=(72, 72))))
    script("lambdalr-two-warmup-lambdas-one-param-group", "model.api_misuse",
           extra={"finetune.json": FINETUNE_JSON},
           setup=both(imgs(class_folder("birds/train", ["robin", "sparrow", "wren"], 3, size=(72, 72))), prep(R34_PREP)))
    script("nn-functional-normalize-taken-for-transforms-normalize-workers", "model.api_misuse", forms=W,
           setup=imgs(class_folder("plantdoc/train", ["apple_scab", "corn_rust", "tomato_blight"], 3, size=(110, 110))))
    iai("imageai-cls-batch-size-from-numpy-clip", "model.api_misuse", also=["data.dtype"],
        argv="train_imageai.py",
        setup=imgs(class_folder("tomato_leaves/train", ["early_blight", "healthy", "leaf_mold"], 4, size=(90, 90))
                   + class_folder("tomato_leaves/test", ["early_blight", "healthy", "leaf_mold"], 1, size=(90, 90))))
    # ---- other
    script("imagenet-std-typed-with-a-comma-zero-std", "other",
           setup=imgs(class_folder("cats_dogs/train", ["cat", "dog"], 4, size=(110, 100))))
    script("pil-convert-rbg-typo-in-dataset-workers", "other", also=["data.image_channels"], forms=W,
           setup=prep(WIKIART_PREP))
    notebook("preview-cell-labels-reused-in-train-loop-notebook", "other", also=["data.label_shape"],
             setup=imgs(class_folder("fruits/train", ["apple", "banana", "cherry"], 12, size=(72, 72))))
    # ---- balance
    script("onehot-uint8-labels-from-npz-cache-crossentropy", "data.label_shape", also=["data.dtype"],
           setup=prep(SIGNS_NPZ_PREP))
    script("stem-in-channels-4-config-from-rgbn-project", "model.input_shape", also=["data.image_channels"],
           extra={"configs/roofs.json": ROOFS_CONFIG},
           setup=imgs(class_folder("roofs/train", ["flat", "gabled", "hipped"], 3, size=(80, 80))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
