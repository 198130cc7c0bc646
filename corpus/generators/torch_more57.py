"""A fifty-seventh held-out set (g112, scored 0.86 top-1 and 0.90 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: experienced PyTorch users speeding up or scaling image training on CPU boxes before they move to
GPUs: ``torch.compile``, ``channels_last``, bf16 autocast on CPU, ``torch.utils.checkpoint``, gradient
accumulation and micro-batching, DDP with the gloo backend under torchrun on one machine, DistributedSampler,
EMA models (``AveragedModel``), full training-state checkpoints, ``torch.export``, custom autograd Functions and
module hooks. A natural mix of causes, each program built so that its cause is known by construction; none a
repeat of the scenarios in the other generators:

- data: a DDP + DistributedSampler job (gloo, torchrun) whose ``Resize(128)`` keeps the aspect ratio of mixed
  landscape / portrait photos, a decode-once ``read_image`` tensor cache meeting RGBA screenshots, the class
  count taken from the validation folder that lacks one class (bf16 autocast, tqdm), micro-batches cut with
  ``x.split(micro)`` but ``y.chunk(micro)`` for gradient accumulation, a bf16 inference script that casts the
  model with ``.to(torch.bfloat16)`` and feeds float batches, a manifest CSV of absolute paths written on the
  laptop (in workers);
- model: ``channels_last`` activations flattened with ``view``, a ``torch.export`` program traced at batch 1 and
  evaluated at batch 8 (notebook), ``resnet18(weights=None)`` left at 1000 outputs with five class weights
  (tqdm), a resume into an optimizer rebuilt with no-weight-decay parameter groups (EMA + full state),
  stochastic depth with ``.item()`` under ``torch.compile(fullgraph=True)``, ``channels_last`` applied per sample
  inside ``__getitem__`` (in workers);
- optimisation: per-layer gradient-norm logging with ``register_full_backward_hook`` on a ResNet whose ReLUs are
  in place, a hand-written GeM autograd Function whose backward returns the pooled-shape gradient, the whole
  model wrapped in ``checkpoint(..., use_reentrant=True)``, a linear-scaling-rule learning rate with gradient
  accumulation on raw 0-255 pixels and a hand-written ``log(softmax)`` label-smoothing loss (anomaly mode);
- resource / environment / other: ``checkpoint_sequential`` trusted to fit batch 256 at 224 px under a job
  memory limit, the GPU recipe's ``init_process_group("nccl")`` under torchrun on the CPU box, rank 0
  evaluating and saving ``final.pt`` while the other rank loads it at once (torchrun), a packed-shard dataset
  holding an open file under ``multiprocessing_context="spawn"``, a full training state that pickles a
  ``LambdaLR`` warm-up scheduler object (lambda) instead of its ``state_dict``.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more57.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more57.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["ddp-gloo-resize-int-mixed-aspect-photos-torchrun"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler
from torchvision import datasets, models, transforms as T


def main():
    dist.init_process_group(backend="gloo")      # CPU box for now, nccl once the GPUs arrive
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)

    tf = T.Compose([
        T.Resize(128),
        T.RandomHorizontalFlip(),
        T.ToTensor(),
        T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    ds = datasets.ImageFolder("data/train", transform=tf)
    sampler = DistributedSampler(ds, num_replicas=world, rank=rank, shuffle=True)
    loader = DataLoader(ds, batch_size=4, sampler=sampler, num_workers=0)

    model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(memory_format=torch.channels_last)
    model = DDP(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.02 * world, momentum=0.9)
    crit = nn.CrossEntropyLoss()
    if rank == 0:
        print(f"world={world} images={len(ds)} per-rank={len(sampler)}")

    for epoch in range(3):
        sampler.set_epoch(epoch)
        model.train()
        for x, y in loader:
            x = x.to(memory_format=torch.channels_last)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = crit(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        if rank == 0:
            print(f"epoch {epoch} loss {loss.item():.3f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''


def mixed_aspect(work):
    specs = []
    for c in ["bicycle", "scooter", "skateboard"]:
        for i in range(4):
            specs.append((f"data/train/{c}/{c}_{i:03d}.jpg", (160, 120) if i % 2 == 0 else (120, 160), "RGB"))
    make_images(work, specs)


SCRIPTS["read-image-tensor-cache-rgba-screenshots"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models
from torchvision.io import read_image
from torchvision.transforms import v2

CACHE = "cache/train_uint8.pt"
CLASSES = sorted(os.listdir("ui_shots"))


def build_cache():
    """decode every image once (JPEG/PNG decoding was 40% of the epoch time on this box)"""
    resize = v2.Resize((96, 96), antialias=True)
    xs, ys = [], []
    for label, c in enumerate(CLASSES):
        for path in sorted(glob.glob(f"ui_shots/{c}/*")):
            xs.append(resize(read_image(path)))
            ys.append(label)
    os.makedirs("cache", exist_ok=True)
    torch.save({"x": torch.stack(xs), "y": torch.tensor(ys)}, CACHE)


if not os.path.exists(CACHE):
    build_cache()
data = torch.load(CACHE)
ds = TensorDataset(data["x"], data["y"])
loader = DataLoader(ds, batch_size=16, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(CLASSES)).to(memory_format=torch.channels_last)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        x = (x.float() / 255).to(memory_format=torch.channels_last)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def ui_shots(work):
    specs = []
    for c in ["dialog", "login_form", "settings_page"]:
        for i in range(4):
            # screenshots taken with the OS tool are RGBA PNGs, the older ones were saved as JPEG
            mode = "RGBA" if (c == "settings_page" and i >= 2) else "RGB"
            ext = "png" if mode == "RGBA" else "jpg"
            specs.append((f"ui_shots/{c}/shot_{i:03d}.{ext}", (200, 140), mode))
    make_images(work, specs)


SCRIPTS["num-classes-from-val-folder-bf16-autocast-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

torch.manual_seed(0)
train_tf = T.Compose([T.RandomResizedCrop(96, scale=(0.6, 1.0)), T.RandomHorizontalFlip(), T.ToTensor()])
val_tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
train_set = datasets.ImageFolder("wildlife/train", transform=train_tf)
val_set = datasets.ImageFolder("wildlife/val", transform=val_tf)
NUM_CLASSES = len(val_set.classes)

train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
val_loader = DataLoader(val_set, batch_size=8)
model = models.resnet18(weights=None, num_classes=NUM_CLASSES).to(memory_format=torch.channels_last)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
crit = nn.CrossEntropyLoss(label_smoothing=0.1)

for epoch in range(10):
    model.train()
    pbar = tqdm(train_loader, desc=f"train {epoch}")
    for x, y in pbar:
        x = x.to(memory_format=torch.channels_last)
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            logits = model(x)
            loss = crit(logits, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

SCRIPTS["micro-batches-split-vs-chunk-grad-accum"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

BATCH = 16        # the batch size of the GPU recipe
ACCUM_STEPS = 2   # CPU box: run it as micro-batches and accumulate

tf = T.Compose([T.Resize((112, 112)), T.ToTensor()])
ds = datasets.ImageFolder("leaves/train", transform=tf)
loader = DataLoader(ds, batch_size=BATCH, shuffle=True, drop_last=True)
model = models.resnet34(weights=None, num_classes=len(ds.classes)).to(memory_format=torch.channels_last)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
crit = nn.CrossEntropyLoss()

for epoch in range(3):
    for step, (x, y) in enumerate(loader):
        opt.zero_grad(set_to_none=True)
        micro = x.size(0) // ACCUM_STEPS
        for xb, yb in zip(x.split(micro), y.chunk(micro)):
            xb = xb.to(memory_format=torch.channels_last)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = crit(model(xb), yb) / ACCUM_STEPS
            loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item() * ACCUM_STEPS:.3f}")
'''

SCRIPTS["bf16-inference-model-cast-float-batches"] = '''
import time

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

# bf16 is supposed to be ~2x faster on this Sapphire Rapids box
tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
val_set = datasets.ImageFolder("parts/val", transform=tf)
loader = DataLoader(val_set, batch_size=8, num_workers=0)

model = models.resnet50(weights=None, num_classes=len(val_set.classes))
model.load_state_dict(torch.load("checkpoints/resnet50_parts.pt", map_location="cpu"))
model = model.to(torch.bfloat16).to(memory_format=torch.channels_last).eval()

correct = total = 0
t0 = time.perf_counter()
with torch.inference_mode():
    for x, y in loader:
        x = x.to(memory_format=torch.channels_last)
        pred = model(x).argmax(1)
        correct += (pred == y).sum().item()
        total += y.numel()
print(f"acc {correct / total:.3f}  {total / (time.perf_counter() - t0):.1f} img/s")
'''

PARTS_PREP = '''
import os
import torch
from torchvision import models

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(models.resnet50(weights=None, num_classes=3).state_dict(), "checkpoints/resnet50_parts.pt")
'''

SCRIPTS["manifest-csv-laptop-absolute-paths-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class ManifestDataset(Dataset):
    def __init__(self, manifest, transform):
        with open(manifest, newline="") as f:
            rows = list(csv.DictReader(f))
        self.paths = [r["path"] for r in rows]
        self.classes = sorted({r["label"] for r in rows})
        self.targets = [self.classes.index(r["label"]) for r in rows]
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).convert("RGB")
        return self.transform(img), self.targets[i]


def main():
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    ds = ManifestDataset("manifests/train.csv", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, persistent_workers=True,
                        prefetch_factor=4)
    model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            x = x.to(memory_format=torch.channels_last)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, round(loss.item(), 4))


if __name__ == "__main__":
    main()
'''

MANIFEST_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("manifests", exist_ok=True)
rows = []
for label in ["defect", "ok"]:
    os.makedirs(f"images/{label}", exist_ok=True)
    for i in range(6):
        name = f"{label}/cap_{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 256, (100, 100, 3), dtype=np.uint8)).save(f"images/{name}")
        # the manifest was written on the laptop with os.path.abspath
        rows.append({"path": f"/Users/dana/Projects/bottlecaps/images/{name}", "label": label})
with open("manifests/train.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["path", "label"])
    w.writeheader()
    w.writerows(rows)
'''

# ================================================================== model
SCRIPTS["channels-last-activations-flattened-with-view"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


class FastNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(inplace=True), nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(128 * 8 * 8, num_classes)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1)
        return self.classifier(x)


tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
ds = datasets.ImageFolder("signs/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = FastNet(len(ds.classes)).to(memory_format=torch.channels_last)   # NHWC is faster with oneDNN
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(5):
    for x, y in loader:
        x = x.to(memory_format=torch.channels_last)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CELLS["torch-export-traced-at-batch-one-eval-batch-eight-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
train_set = datasets.ImageFolder("food/train", transform=tf)
val_set = datasets.ImageFolder("food/val", transform=tf)
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for x, y in DataLoader(train_set, batch_size=8, shuffle=True):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
print("loss", round(loss.item(), 3))
''',
    '''
# export for the serving box (no Python model code there)
model.eval()
example = torch.randn(1, 3, 96, 96)
ep = torch.export.export(model, (example,))
torch.export.save(ep, "food_resnet18.pt2")
print(ep.graph_signature.user_inputs)
''',
    '''
# sanity check: the exported program gives the same accuracy on the val split
served = torch.export.load("food_resnet18.pt2").module()
correct = 0
with torch.no_grad():
    for x, y in DataLoader(val_set, batch_size=8):
        correct += (served(x).argmax(1) == y).sum().item()
print("val acc", correct / len(val_set))
''',
]

SCRIPTS["resnet18-default-1000-outputs-five-class-weights-tqdm"] = '''
from collections import Counter

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor()])
ds = datasets.ImageFolder("skin/train", transform=tf)
counts = Counter(ds.targets)
weights = torch.tensor([len(ds) / (len(ds.classes) * counts[i]) for i in range(len(ds.classes))])
print("class weights", [round(w, 2) for w in weights.tolist()])

loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None).to(memory_format=torch.channels_last)
criterion = nn.CrossEntropyLoss(weight=weights)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x = x.to(memory_format=torch.channels_last)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["resume-into-no-weight-decay-param-groups-ema"] = '''
import argparse

import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

p = argparse.ArgumentParser()
p.add_argument("--resume", default="")
p.add_argument("--epochs", type=int, default=30)
p.add_argument("--wd", type=float, default=5e-4)
args = p.parse_args()


def param_groups(model, wd):
    """no weight decay on BN and bias (the 'bag of tricks' recipe)"""
    decay, no_decay = [], []
    for name, prm in model.named_parameters():
        (no_decay if prm.ndim <= 1 else decay).append(prm)
    return [{"params": decay, "weight_decay": wd}, {"params": no_decay, "weight_decay": 0.0}]


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
ds = datasets.ImageFolder("fabric/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(memory_format=torch.channels_last)
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.999))
opt = torch.optim.SGD(param_groups(model, args.wd), lr=0.05, momentum=0.9, nesterov=True)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)

start_epoch = 0
if args.resume:
    ckpt = torch.load(args.resume, map_location="cpu")
    model.load_state_dict(ckpt["model"])
    ema.load_state_dict(ckpt["ema"])
    opt.load_state_dict(ckpt["optimizer"])
    sched.load_state_dict(ckpt["scheduler"])
    start_epoch = ckpt["epoch"] + 1
    print(f"resumed from {args.resume} at epoch {start_epoch}")

for epoch in range(start_epoch, args.epochs):
    for x, y in loader:
        x = x.to(memory_format=torch.channels_last)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        ema.update_parameters(model)
    sched.step()
    torch.save({"epoch": epoch, "model": model.state_dict(), "ema": ema.state_dict(),
                "optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, "runs/exp3/last.pt")
'''

FABRIC_PREP = '''
import os
import torch
import torch.nn as nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torchvision import models

# what last week's run (plain SGD with weight decay on everything) left behind
os.makedirs("runs/exp3", exist_ok=True)
torch.manual_seed(0)
model = models.resnet18(weights=None, num_classes=3).to(memory_format=torch.channels_last)
ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.999))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=30)
for _ in range(2):
    loss = nn.functional.cross_entropy(model(torch.randn(4, 3, 96, 96)), torch.tensor([0, 1, 2, 0]))
    opt.zero_grad(); loss.backward(); opt.step(); ema.update_parameters(model)
for _ in range(12):
    sched.step()
torch.save({"epoch": 11, "model": model.state_dict(), "ema": ema.state_dict(),
            "optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, "runs/exp3/last.pt")
'''

SCRIPTS["stochastic-depth-item-under-compile-fullgraph"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


class ResBlock(nn.Module):
    def __init__(self, ch, drop_prob):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch)
        self.drop_prob = drop_prob

    def forward(self, x):
        # stochastic depth: skip the residual branch with probability drop_prob
        if self.training and torch.rand(1).item() < self.drop_prob:
            return x
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(x + out)


class Net(nn.Module):
    def __init__(self, num_classes, depth=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.blocks = nn.Sequential(*[ResBlock(32, 0.1 * (i + 1) / depth) for i in range(depth)])
        self.head = nn.Linear(32, num_classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(F.adaptive_avg_pool2d(x, 1).flatten(1))


tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
ds = datasets.ImageFolder("pills/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True, drop_last=True)
model = Net(len(ds.classes)).to(memory_format=torch.channels_last)
compiled = torch.compile(model, fullgraph=True)   # fail loudly on graph breaks
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = F.cross_entropy(compiled(x.to(memory_format=torch.channels_last)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["channels-last-per-sample-in-getitem-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class Tiles(Dataset):
    def __init__(self, root, tf):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.png"))]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        x = self.tf(Image.open(path).convert("RGB"))
        # convert in the workers so the main process does not pay for the NHWC copy
        return x.contiguous(memory_format=torch.channels_last), label


def main():
    ds = Tiles("tiles/train", T.Compose([T.Resize((64, 64)), T.ToTensor()]))
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

# ================================================================== optimisation
SCRIPTS["full-backward-hooks-grad-norm-logger-inplace-relu"] = '''
from collections import defaultdict

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

grad_norms = defaultdict(list)


def log_grad_norm(name):
    def hook(module, grad_input, grad_output):
        grad_norms[name].append(grad_output[0].norm().item())
    return hook


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
ds = datasets.ImageFolder("xrays/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))

# which layers' gradients vanish when I raise the batch size? log every conv / bn
for name, module in model.named_modules():
    if isinstance(module, (nn.Conv2d, nn.BatchNorm2d)):
        module.register_full_backward_hook(log_grad_norm(name))

opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v[-1], 4) for k, v in list(grad_norms.items())[:4]})
'''

SCRIPTS["gem-autograd-function-backward-pooled-shape-grad"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


class GeMFunction(torch.autograd.Function):
    """generalised-mean pooling with a hand-written backward (saves the pow graph, less RAM)"""

    @staticmethod
    def forward(ctx, x, p, eps):
        xc = x.clamp(min=eps)
        pooled = xc.pow(p).mean(dim=(-2, -1), keepdim=True)
        out = pooled.pow(1.0 / p)
        ctx.save_for_backward(xc, pooled)
        ctx.p = p
        return out

    @staticmethod
    def backward(ctx, grad_out):
        xc, pooled = ctx.saved_tensors
        p = ctx.p
        n = xc.shape[-1] * xc.shape[-2]
        # d out / d x = pooled^(1/p - 1) * x^(p - 1) / n
        grad_x = grad_out * pooled.pow(1.0 / p - 1) * xc.pow(p - 1).mean(dim=(-2, -1), keepdim=True) / n
        return grad_x, None, None


class GeM(nn.Module):
    def __init__(self, p=3.0, eps=1e-6):
        super().__init__()
        self.p, self.eps = p, eps

    def forward(self, x):
        return GeMFunction.apply(x, self.p, self.eps)


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
ds = datasets.ImageFolder("landmarks/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
model.avgpool = GeM()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["whole-model-checkpoint-use-reentrant-true"] = '''
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((128, 128)), T.ToTensor()])
ds = datasets.ImageFolder("cells/train", transform=tf)
loader = DataLoader(ds, batch_size=16, shuffle=True)
model = models.resnet50(weights=None, num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    for x, y in loader:
        # activation checkpointing so batch 16 at 128 px fits in the 8 GB of this VM
        out = checkpoint(model, x, use_reentrant=True)
        loss = crit(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["linear-scaling-lr-raw-pixels-label-smoothing-anomaly"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)

# target setup: 8 GPUs x 32 images; here: batch 8 x 4 accumulation steps, same effective LR
BASE_LR, BASE_BATCH = 0.1, 256
BATCH, ACCUM, WORLD = 8, 4, 8
LR = BASE_LR * BATCH * ACCUM * WORLD / BASE_BATCH


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2))


def smooth_ce(logits, target, eps=0.1):
    n = logits.size(1)
    soft = torch.full_like(logits, eps / (n - 1)).scatter_(1, target[:, None], 1 - eps)
    return -(soft * torch.log(F.softmax(logits, dim=1))).sum(1).mean()


# uint8 -> float without the /255 and Normalize: "the net will learn the scale"
tf = T.Compose([T.Resize((64, 64)), T.PILToTensor(), T.ConvertImageDtype(torch.uint8), T.Lambda(lambda t: t.float())])
ds = datasets.ImageFolder("fruit/train", transform=tf)
loader = DataLoader(ds, batch_size=BATCH, shuffle=True, drop_last=True)
model = nn.Sequential(block(3, 32), block(32, 64), block(64, 128), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(128, len(ds.classes)))
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
print(f"lr = {LR}")
for epoch in range(20):
    for step, (x, y) in enumerate(loader):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(x)
        loss = smooth_ce(logits.float(), y) / ACCUM
        loss.backward()
        if (step + 1) % ACCUM == 0:
            opt.step()
            opt.zero_grad()
    print(f"epoch {epoch} loss {loss.item() * ACCUM:.4f}")
'''

# ================================================================== resource / environment / other
SCRIPTS["checkpoint-sequential-batch-256-under-memory-limit"] = '''
import resource

# the training container has 3 GiB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint_sequential
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

BATCH = 256   # "activation checkpointing makes the big batch fit"
tf = T.Compose([T.Resize((224, 224)), T.ToTensor()])
ds = datasets.ImageFolder("birds/train", transform=tf)
loader = DataLoader(ds, batch_size=BATCH, shuffle=True, num_workers=2)
net = models.resnet50(weights=None, num_classes=len(ds.classes))
body = nn.Sequential(net.conv1, net.bn1, net.relu, net.maxpool, net.layer1, net.layer2, net.layer3, net.layer4,
                     net.avgpool, nn.Flatten(), net.fc)
opt = torch.optim.SGD(body.parameters(), lr=0.1, momentum=0.9)
for epoch in range(2):
    for x, y in loader:
        x.requires_grad_(True)
        out = checkpoint_sequential(body, 4, x, use_reentrant=False)
        loss = nn.functional.cross_entropy(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(epoch, loss.item())
'''

SCRIPTS["gpu-recipe-nccl-init-torchrun-cpu-box"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler
from torchvision import datasets, models, transforms as T


def setup():
    dist.init_process_group(backend="nccl")
    local_rank = int(os.environ["LOCAL_RANK"])
    return local_rank


def main():
    local_rank = setup()
    device = torch.device("cuda", local_rank) if torch.cuda.is_available() else torch.device("cpu")
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    ds = datasets.ImageFolder("data/train", transform=tf)
    sampler = DistributedSampler(ds)
    loader = DataLoader(ds, batch_size=8, sampler=sampler)
    model = DDP(models.resnet18(weights=None, num_classes=len(ds.classes)).to(device))
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    for epoch in range(3):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x.to(device)), y.to(device))
            opt.zero_grad()
            loss.backward()
            opt.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

SCRIPTS["rank0-saves-final-while-other-rank-loads-torchrun"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler
from torchvision import datasets, models, transforms as T


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.numel()
    return correct / total


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    train_set = datasets.ImageFolder("insects/train", transform=tf)
    val_set = datasets.ImageFolder("insects/val", transform=tf)
    test_set = datasets.ImageFolder("insects/test", transform=tf)
    sampler = DistributedSampler(train_set)
    loader = DataLoader(train_set, batch_size=4, sampler=sampler)
    model = DDP(models.resnet18(weights=None, num_classes=len(train_set.classes)))
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    os.makedirs("checkpoints", exist_ok=True)

    for epoch in range(2):
        sampler.set_epoch(epoch)
        model.train()
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()

    if rank == 0:
        acc = evaluate(model.module, DataLoader(val_set, batch_size=16))
        print(f"val acc {acc:.3f}")
        torch.save(model.module.state_dict(), "checkpoints/final.pt")

    # every rank scores its shard of the test set with the saved weights
    net = models.resnet18(weights=None, num_classes=len(train_set.classes))
    net.load_state_dict(torch.load("checkpoints/final.pt", map_location="cpu"))
    test_loader = DataLoader(test_set, batch_size=8, sampler=DistributedSampler(test_set, shuffle=False))
    acc = torch.tensor([evaluate(net, test_loader)])
    dist.all_reduce(acc)
    if rank == 0:
        print(f"test acc {acc.item() / dist.get_world_size():.3f}")
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

SCRIPTS["packed-shard-open-file-handle-spawn-workers"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class PackedShard(Dataset):
    """all crops packed into one uint8 file (96x96x3 each) + a json index: no per-file open/decoding"""

    def __init__(self, bin_path, index_path):
        meta = json.load(open(index_path))
        self.labels = meta["labels"]
        self.shape = tuple(meta["shape"])
        self.item_bytes = int(np.prod(self.shape))
        self.f = open(bin_path, "rb")

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        self.f.seek(i * self.item_bytes)
        arr = np.frombuffer(self.f.read(self.item_bytes), dtype=np.uint8).reshape(self.shape)
        x = torch.from_numpy(arr.copy()).permute(2, 0, 1).float() / 255
        return x, self.labels[i]


def main():
    ds = PackedShard("shards/train_000.bin", "shards/train_000.json")
    # spawn: fork + OpenMP threads deadlocked on this box
    loader = DataLoader(ds, batch_size=16, shuffle=True, num_workers=2, multiprocessing_context="spawn",
                        persistent_workers=True)
    model = models.resnet18(weights=None, num_classes=4).to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    for epoch in range(3):
        for x, y in loader:
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = nn.functional.cross_entropy(model(x.to(memory_format=torch.channels_last)), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SHARD_PREP = '''
import json
import os
import numpy as np

rng = np.random.default_rng(4)
os.makedirs("shards", exist_ok=True)
n = 48
arr = rng.integers(0, 256, (n, 96, 96, 3), dtype=np.uint8)
arr.tofile("shards/train_000.bin")
json.dump({"shape": [96, 96, 3], "labels": [int(i % 4) for i in range(n)]}, open("shards/train_000.json", "w"))
'''

SCRIPTS["full-state-pickles-lambdalr-warmup-scheduler"] = '''
import math
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


def main():
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    ds = datasets.ImageFolder("shoes/train", transform=tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True)
    model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    epochs, warmup = 20, 2
    total = epochs * len(loader)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / (warmup * len(loader)) if s < warmup * len(loader)
        else 0.5 * (1 + math.cos(math.pi * s / total)))
    os.makedirs("runs", exist_ok=True)
    for epoch in range(epochs):
        for x, y in loader:
            with torch.autocast("cpu", dtype=torch.bfloat16):
                loss = nn.functional.cross_entropy(model(x.to(memory_format=torch.channels_last)), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print(f"epoch {epoch} loss {loss.item():.3f} lr {sched.get_last_lr()[0]:.2e}")
        # full training state so a preempted job can pick up where it stopped
        torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
                    "scheduler": sched, "rng": torch.get_rng_state()}, "runs/last.pt")


if __name__ == "__main__":
    main()
'''


def cases():
    out, add, script, notebook = case_builders("torch-more57-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    TR = ("-m", "torch.distributed.run", "--nproc_per_node=2")

    # ---- data
    script("ddp-gloo-resize-int-mixed-aspect-photos-torchrun", "data.image_size_mismatch",
           pre=(*TR, "--master_port=29571"), setup=mixed_aspect, timeout=300, exception="RuntimeError")
    script("read-image-tensor-cache-rgba-screenshots", "data.image_channels", also=["data.image_size_mismatch"],
           setup=ui_shots)
    script("num-classes-from-val-folder-bf16-autocast-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P,
           setup=imgs(class_folder("wildlife/train", ["badger", "deer", "fox", "owl"], 4, size=(110, 90))
                      + class_folder("wildlife/val", ["badger", "deer", "fox"], 2, size=(110, 90))))
    script("micro-batches-split-vs-chunk-grad-accum", "data.label_shape",
           setup=imgs(class_folder("leaves/train", ["healthy", "rust", "scab"], 6, size=(120, 120))))
    script("bf16-inference-model-cast-float-batches", "data.dtype", also=["model.api_misuse"], argv="evaluate.py",
           setup=both(imgs(class_folder("parts/val", ["bolt", "nut", "washer"], 3, size=(140, 140))),
                      prep(PARTS_PREP)))
    script("manifest-csv-laptop-absolute-paths-workers", "data.missing_or_corrupt", forms=W,
           setup=prep(MANIFEST_PREP))
    # ---- model
    script("channels-last-activations-flattened-with-view", "model.api_misuse", also=["model.input_shape"],
           setup=imgs(class_folder("signs/train", ["stop", "yield", "speed_30"], 4, size=(80, 80))))
    notebook("torch-export-traced-at-batch-one-eval-batch-eight-notebook", "model.input_shape",
             also=["model.api_misuse"],
             setup=imgs(class_folder("food/train", ["pizza", "sushi"], 4, size=(100, 100))
                        + class_folder("food/val", ["pizza", "sushi"], 4, size=(100, 100))))
    script("resnet18-default-1000-outputs-five-class-weights-tqdm", "model.output_mismatch",
           also=["model.api_misuse"], forms=P,
           setup=imgs([(f"skin/train/{c}/{c}_{i:03d}.jpg", (100, 100), "RGB")
                       for c, n in [("akiec", 2), ("bcc", 3), ("mel", 4), ("nv", 8), ("vasc", 2)]
                       for i in range(n)]))
    script("resume-into-no-weight-decay-param-groups-ema", "model.weights_mismatch", also=["other"],
           args=("--resume", "runs/exp3/last.pt"),
           setup=both(imgs(class_folder("fabric/train", ["hole", "ok", "stain"], 3, size=(100, 100))),
                      prep(FABRIC_PREP)))
    script("stochastic-depth-item-under-compile-fullgraph", "model.api_misuse",
           setup=imgs(class_folder("pills/train", ["round", "oval", "capsule"], 4, size=(80, 80))), timeout=400)
    script("channels-last-per-sample-in-getitem-workers", "model.api_misuse", also=["model.input_shape"], forms=W,
           setup=imgs(class_folder("tiles/train", ["crack", "clean"], 4, size=(80, 80), ext="png")))
    # ---- optimisation
    script("full-backward-hooks-grad-norm-logger-inplace-relu", "optim.autograd_graph",
           also=["model.api_misuse"],
           setup=imgs(class_folder("xrays/train", ["normal", "pneumonia"], 4, size=(100, 100))))
    script("gem-autograd-function-backward-pooled-shape-grad", "optim.autograd_graph",
           also=["model.api_misuse"],
           setup=imgs(class_folder("landmarks/train", ["bridge", "tower", "church"], 3, size=(100, 100))))
    script("whole-model-checkpoint-use-reentrant-true", "optim.autograd_graph", also=["model.api_misuse"],
           setup=imgs(class_folder("cells/train", ["healthy", "infected"], 8, size=(140, 140))))
    script("linear-scaling-lr-raw-pixels-label-smoothing-anomaly", "optim.divergence",
           also=["optim.autograd_graph"],
           setup=imgs(class_folder("fruit/train", ["apple", "banana", "cherry"], 12, size=(70, 70))), timeout=400)
    # ---- resource / environment / other
    script("checkpoint-sequential-batch-256-under-memory-limit", "resource.host_memory",
           setup=imgs(class_folder("birds/train", ["finch", "robin", "wren", "jay"], 64, size=(64, 64))),
           timeout=400)
    script("gpu-recipe-nccl-init-torchrun-cpu-box", "env.distributed", also=["env.cuda_setup"],
           argv="train_ddp.py", pre=(*TR, "--master_port=29572"),
           setup=imgs(class_folder("data/train", ["a", "b"], 4, size=(100, 100))), timeout=300)
    script("rank0-saves-final-while-other-rank-loads-torchrun", "env.distributed",
           also=["data.missing_or_corrupt"], argv="train_ddp.py", pre=(*TR, "--master_port=29573"),
           setup=imgs(class_folder("insects/train", ["ant", "bee", "wasp"], 4, size=(100, 100))
                      + class_folder("insects/val", ["ant", "bee", "wasp"], 12, size=(100, 100))
                      + class_folder("insects/test", ["ant", "bee", "wasp"], 2, size=(100, 100))), timeout=300,
           exception="FileNotFoundError")
    script("packed-shard-open-file-handle-spawn-workers", "env.multiprocessing", setup=prep(SHARD_PREP))
    script("full-state-pickles-lambdalr-warmup-scheduler", "other", also=["model.api_misuse"],
           setup=imgs(class_folder("shoes/train", ["boot", "sandal", "sneaker"], 3, size=(100, 100))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
