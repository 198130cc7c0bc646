"""A seventy-first held-out set (g135, scored 0.91 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: people running training and fine-tuning code that was written on a GPU machine, now on a CPU-only
laptop, a CI runner or a cheap cloud VM, and people moving code between machines: GPU-only switches, settings and
kernels left in (``.cuda()`` behind an argparse flag, the CUDA RNG state in every checkpoint, a pinned attention
kernel, a ``capturable`` optimizer from the A100 config), artefacts made on the GPU box (a pickle of CUDA
embeddings, fp16 feature dumps, DataParallel / DDP checkpoints and their ``module.`` keys, a legacy-format
checkpoint mapped with ``mmap``), distributed recipes run under gloo or without a launcher, spawn-started DataLoader
workers, pinned memory on a CI runner that treats warnings as errors; mixed with ordinary data and model faults they
hit along the way. A natural mix of causes, each program built so that its cause is known by construction and made
to fail inside torch, torchvision, ImageAI or the standard library; none a repeat of the scenarios in the other
generators:

- environment: ``--cuda False`` parsed by ``argparse`` with ``type=bool`` (still true, ``.cuda()``), a checkpoint
  helper that stores ``torch.cuda.get_rng_state()`` after the first epoch (tqdm), a small ViT whose attention is
  pinned to ``SDPBackend.EFFICIENT_ATTENTION`` (notebook), ``AdamW(capturable=True)`` from the A100 JSON config
  (tqdm), a catalogue-embedding gallery pickled on the GPU box with CUDA tensors and ``pickle.load``-ed on the
  laptop (notebook), ``init_process_group`` given ``device_id=torch.device("cuda", local_rank)`` with the gloo
  backend (torchrun), rank 0 de-duplicating photos with CNN embeddings while the other rank hits the short
  ``barrier`` timeout of the cluster config (torchrun), a DDP script run with plain ``python`` whose
  ``DistributedSampler`` gets ``rank=-1``, ``mp.spawn(args=(world_size))`` (not a tuple), spawn-started DataLoader
  workers that re-run the module-level ``os.makedirs(run_dir)``, a CI smoke test run with ``-W error`` that meets
  the DataLoader's ``pin_memory`` warning (unittest);
- model: the ``module.`` prefix stripped with ``k[7:]`` from a checkpoint of a single-GPU run, an ImageAI TinyYOLOv3
  fine-tuned under DDP and saved with the wrapper's keys (``CustomObjectDetection``), ``torch.load(mmap=True)`` of
  a checkpoint saved in the legacy (non-zip) format, NHWC uint8 batches permuted only on the GPU code path;
- data: a linear probe on fp16 features exported from the GPU box (notebook), a cloud VM's data disk mounted as the
  ImageFolder root with its ``lost+found``, a GPU run's "device-side assert" re-run on the laptop: the resumed head
  has one class fewer than the folders (tqdm), a unit-test fixture drawn with ``Image.new("L", ...)`` read by
  ``read_image`` (unittest), the CPU fallback of a loader whose resize happened on the GPU after a list collate (in
  workers), LabelImg VOC boxes (original pixels) normalised by the size of the halved laptop copy of the images for
  the ImageAI trainer;
- resource / optimisation: the ImageAI YOLOv3 trainer with the GPU box's batch size on a 4 GB VM, the old DDP
  tutorial's hand-written gradient averaging over a partly frozen model (torchrun).

Dropped while writing: a sigmoid + ``BCELoss`` multi-label head with the 8-GPU linearly scaled learning rate (the
sigmoid saturated at 0 / 1 and the loss sat at ~50 instead of turning NaN, so it did not fail).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None or weights an
earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more71.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more71.py"

SCRIPTS = {}
CELLS = {}

NORM = "T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])"

# ================================================================== environment
SCRIPTS["argparse-type-bool-cuda-false-still-true"] = '''
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

parser = argparse.ArgumentParser(description="fine-tune a ResNet-18 on the leaf photos")
parser.add_argument("--data", default="data/leaves/train")
parser.add_argument("--epochs", type=int, default=20)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--cuda", type=bool, default=True, help="train on the GPU (--cuda False on a CPU box)")
args = parser.parse_args()
print(vars(args))

tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), @@NORM@@])
train_ds = datasets.ImageFolder(args.data, transform=tf)
loader = DataLoader(train_ds, batch_size=args.batch_size, shuffle=True, num_workers=2, pin_memory=args.cuda)
print(f"{len(train_ds)} images, classes: {train_ds.classes}")

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
if args.cuda:
    torch.backends.cudnn.benchmark = True
    model = model.cuda()
    criterion = criterion.cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)

for epoch in range(args.epochs):
    model.train()
    for x, y in loader:
        if args.cuda:
            x, y = x.cuda(non_blocking=True), y.cuda(non_blocking=True)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
'''.replace("@@NORM@@", NORM)

SCRIPTS["checkpoint-helper-stores-cuda-rng-state-after-first-epoch-tqdm"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

from utils.checkpoint import save_checkpoint, seed_everything

seed_everything(42)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device)

tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(), @@NORM@@])
train_ds = datasets.ImageFolder("birds/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

os.makedirs("checkpoints", exist_ok=True)
for epoch in range(1, 31):
    model.train()
    running = 0.0
    for x, y in tqdm(loader, desc=f"epoch {epoch}/30"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item() * x.size(0)
    print(f"epoch {epoch}: train loss {running / len(train_ds):.4f}")
    save_checkpoint("checkpoints/last.pt", model, optimizer, epoch)
'''.replace("@@NORM@@", NORM)

CHECKPOINT_UTIL = '''
"""Checkpoints that resume bit-exactly (see "Reproducibility" in the README)."""
import random

import numpy as np
import torch


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


def rng_state():
    return {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state(),
    }


def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "rng": rng_state()}, path)
'''

CELLS["tiny-vit-attention-pinned-to-efficient-sdpa-kernel-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

device = "cuda" if torch.cuda.is_available() else "cpu"
print(torch.__version__, device)
''',
    '''
class Attention(nn.Module):
    def __init__(self, dim, heads=4, attn_drop=0.1):
        super().__init__()
        self.heads, self.attn_drop = heads, attn_drop
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.heads, C // self.heads).permute(2, 0, 3, 1, 4)
        # pin the memory-efficient kernel: with the math fallback batch 256 did not fit on the 24 GB card
        with sdpa_kernel(SDPBackend.EFFICIENT_ATTENTION):
            x = F.scaled_dot_product_attention(q, k, v, dropout_p=self.attn_drop if self.training else 0.0)
        return self.proj(x.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(dim), Attention(dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TinyViT(nn.Module):
    def __init__(self, num_classes, img=64, patch=8, dim=128, depth=4):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, (img // patch) ** 2 + 1, dim) * 0.02)
        self.blocks = nn.Sequential(*[Block(dim) for _ in range(depth)])
        self.norm, self.head = nn.LayerNorm(dim), nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        return self.head(self.norm(self.blocks(x))[:, 0])
''',
    '''
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("insects/train", transform=tf)
loader = DataLoader(train_ds, batch_size=16, shuffle=True)
model = TinyViT(len(train_ds.classes)).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)

for epoch in range(5):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
''',
]

SCRIPTS["adamw-capturable-from-a100-config-on-cpu-vm-tqdm"] = '''
import argparse
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/a100.json")
args = parser.parse_args()
cfg = json.load(open(args.config))
print("config:", cfg)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
tf = T.Compose([T.RandomResizedCrop(cfg["img_size"], scale=(0.6, 1.0)), T.ToTensor(), @@NORM@@])
train_ds = datasets.ImageFolder(cfg["train_dir"], transform=tf)
loader = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True, drop_last=True)

model = getattr(models, cfg["model"])(weights=None, num_classes=len(train_ds.classes)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), **cfg["optimizer"])
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg["epochs"] * len(loader))
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

for epoch in range(cfg["epochs"]):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}/{cfg['epochs']}")
    for x, y in pbar:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''.replace("@@NORM@@", NORM)

A100_CONFIG = '''{
  "model": "efficientnet_b0",
  "train_dir": "data/pets/train",
  "img_size": 128,
  "batch_size": 8,
  "epochs": 40,
  "optimizer": {"lr": 0.001, "betas": [0.9, 0.999], "weight_decay": 0.05, "capturable": true}
}
'''

CELLS["catalogue-gallery-pickled-with-cuda-embeddings-notebook"] = [
    '''
import pickle

import torch
import torch.nn.functional as F
from torchvision import models

device = "cuda" if torch.cuda.is_available() else "cpu"
print("fine-tuning the retrieval model on", device)
''',
    '''
# embeddings of the whole catalogue, computed on the training server by scripts/embed_catalogue.py;
# used to mine hard negatives for the triplet fine-tune
with open("artifacts/catalogue_gallery.pkl", "rb") as f:
    gallery = pickle.load(f)
print(len(gallery["skus"]), "catalogue images,", gallery["model"])
''',
]

GALLERY_PREP = '''
import os
import pickle

import torch
import torch.nn.functional as F
import torch.serialization as S

# the server pickled tensors that lived on its GPU: their storages are tagged cuda:0
S.location_tag = lambda storage: "cuda:0"
os.makedirs("artifacts", exist_ok=True)
torch.manual_seed(0)
emb = F.normalize(torch.randn(240, 256), dim=1)
gallery = {"skus": [f"SKU-{40000 + i}" for i in range(240)], "emb": emb, "model": "resnet50-arcface-e37"}
with open("artifacts/catalogue_gallery.pkl", "wb") as f:
    pickle.dump(gallery, f)
'''

# ---------------------------------------------------------------- distributed
SCRIPTS["gloo-fallback-keeps-nccl-device-id-torchrun"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T

local_rank = int(os.environ["LOCAL_RANK"])
backend = "nccl" if torch.cuda.is_available() else "gloo"
dist.init_process_group(backend, device_id=torch.device("cuda", local_rank))
rank, world = dist.get_rank(), dist.get_world_size()
if rank == 0:
    print(f"{backend}: {world} processes", flush=True)

tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
ds = datasets.ImageFolder("scans/train", transform=tf)
sampler = DistributedSampler(ds, shuffle=True)
loader = DataLoader(ds, batch_size=4, sampler=sampler)
model = DDP(models.resnet18(weights=None, num_classes=len(ds.classes)))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    sampler.set_epoch(epoch)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
dist.destroy_process_group()
'''

SCRIPTS["rank0-dedup-embeddings-other-rank-barrier-timeout-torchrun"] = '''
import json
import os
from datetime import timedelta

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Subset
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T

cfg = json.load(open("configs/ddp.json"))
dist.init_process_group("gloo", timeout=timedelta(seconds=cfg["dist_timeout_s"]))
rank = dist.get_rank()
KEEP = "cache/keep_indices.json"

ds = datasets.ImageFolder(cfg["data"], transform=T.Compose([T.Resize((cfg["embed_size"],) * 2), T.ToTensor()]))
if rank == 0 and not os.path.exists(KEEP):
    # drop near-duplicate burst shots before training: cosine similarity of ResNet-18 embeddings
    print(f"rank 0: embedding {len(ds)} photos to find duplicates", flush=True)
    embedder = models.resnet18(weights=None)
    embedder.load_state_dict(torch.load("weights/resnet18-f37072fd.pth", map_location="cpu"))
    embedder.fc = nn.Identity()
    embedder.eval()
    feats = []
    with torch.no_grad():
        for x, _ in DataLoader(ds, batch_size=16):
            feats.append(F.normalize(embedder(x), dim=1))
    feats = torch.cat(feats)
    sim = feats @ feats.T
    keep = [i for i in range(len(ds)) if not (sim[i, :i] > cfg["dup_threshold"]).any()]
    os.makedirs("cache", exist_ok=True)
    json.dump(keep, open(KEEP, "w"))
dist.barrier()                      # everyone waits for rank 0's list

keep = json.load(open(KEEP))
train_ds = Subset(datasets.ImageFolder(cfg["data"], transform=T.Compose([T.Resize((96, 96)), T.ToTensor()])), keep)
sampler = DistributedSampler(train_ds, shuffle=True)
loader = DataLoader(train_ds, batch_size=8, sampler=sampler)
model = DDP(models.resnet18(weights=None, num_classes=len(ds.classes)))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(cfg["epochs"]):
    sampler.set_epoch(epoch)
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
dist.destroy_process_group()
'''

DDP_CONFIG = '''{
  "data": "photos",
  "embed_size": 288,
  "dup_threshold": 0.97,
  "epochs": 20,
  "dist_timeout_s": 20,
  "_comment": "short collective timeout: fail fast instead of idling on 8 GPUs when a rank dies"
}
'''

RESNET18_FILE = prep('''
import os
import torch
from torchvision import models
os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
torch.save(models.resnet18(weights=None).state_dict(), "weights/resnet18-f37072fd.pth")
''')

SCRIPTS["ddp-script-run-with-plain-python-sampler-rank-minus-one"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T

# set by torchrun; the defaults mean "not distributed"
local_rank = int(os.environ.get("LOCAL_RANK", -1))
world_size = int(os.environ.get("WORLD_SIZE", 1))
distributed = world_size > 1
if distributed:
    dist.init_process_group("gloo")

tf = T.Compose([T.Resize((112, 112)), T.RandomHorizontalFlip(), T.ToTensor(), @@NORM@@])
train_ds = datasets.ImageFolder("xray/train", transform=tf)
train_sampler = DistributedSampler(train_ds, num_replicas=world_size, rank=local_rank, shuffle=True)
loader = DataLoader(train_ds, batch_size=8, sampler=train_sampler, num_workers=2)

model = models.densenet121(weights=None, num_classes=len(train_ds.classes))
if distributed:
    model = DDP(model)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(15):
    train_sampler.set_epoch(epoch)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if local_rank in (-1, 0):
        print(f"epoch {epoch}: {loss.item():.4f}")
'''.replace("@@NORM@@", NORM)

SCRIPTS["mp-spawn-args-world-size-not-a-tuple-gloo"] = '''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T


def train(rank, world_size):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29517")
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    ds = datasets.ImageFolder("coins/train", transform=tf)
    sampler = DistributedSampler(ds, num_replicas=world_size, rank=rank)
    loader = DataLoader(ds, batch_size=4, sampler=sampler)
    model = DDP(models.resnet18(weights=None, num_classes=len(ds.classes)))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(10):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if rank == 0:
            print(f"epoch {epoch}: {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    world_size = 2          # torch.cuda.device_count() on the GPU box; two CPU processes here
    mp.spawn(train, args=(world_size), nprocs=world_size, join=True)
'''

SCRIPTS["spawn-workers-rerun-module-level-run-dir-makedirs-workers"] = '''
import argparse
import glob
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--name", required=True, help="run name, becomes runs/<name>")
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()

RUN_DIR = os.path.join("runs", args.name)
os.makedirs(RUN_DIR)            # never overwrite an earlier run by accident
with open(os.path.join(RUN_DIR, "args.json"), "w") as f:
    json.dump(vars(args), f)


class SlideTiles(Dataset):
    def __init__(self, root, transform):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.png")))
        self.classes = sorted(os.listdir(root))
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        p = self.paths[i]
        return self.transform(Image.open(p).convert("RGB")), self.classes.index(os.path.basename(os.path.dirname(p)))


def main():
    ds = SlideTiles("tiles/train", T.Compose([T.RandomCrop(64), T.ToTensor()]))
    # spawn, not fork: on the GPU server the workers ran the stain augmentation with CUDA
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(args.epochs):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")
        torch.save(model.state_dict(), os.path.join(RUN_DIR, "last.pt"))


if __name__ == "__main__":
    main()
'''

SMOKE_TRAIN = '''
"""Training entry points, imported by the CI smoke test."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


def build_loader(root, batch_size=32, workers=0):
    tf = T.Compose([T.Resize((64, 64)), T.ToTensor(), @@NORM@@])
    ds = datasets.ImageFolder(root, transform=tf)
    # pinned host memory: faster host-to-device copies on the training server
    return DataLoader(ds, batch_size=batch_size, shuffle=True, num_workers=workers, pin_memory=True)


def build_model(num_classes):
    return models.mobilenet_v3_small(weights=None, num_classes=num_classes)


def train_one_epoch(model, loader, optimizer, device="cpu"):
    model.train()
    total = 0.0
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)
'''.replace("@@NORM@@", NORM)

SCRIPTS["ci-warnings-as-errors-pin-memory-no-accelerator-unittest"] = '''
import math
import unittest

import torch

from train import build_loader, build_model, train_one_epoch


class TrainSmokeTest(unittest.TestCase):
    """Runs on every push (GitHub Actions, ubuntu-latest: no GPU). Warnings are errors in CI."""

    def test_one_epoch_on_fixture(self):
        torch.manual_seed(0)
        loader = build_loader("tests/fixtures/tiny_flowers", batch_size=4)
        model = build_model(num_classes=2)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        loss = train_one_epoch(model, loader, opt)
        self.assertTrue(math.isfinite(loss))

    def test_model_output_shape(self):
        model = build_model(num_classes=2).eval()
        with torch.no_grad():
            self.assertEqual(tuple(model(torch.zeros(1, 3, 64, 64)).shape), (1, 2))
'''

# ================================================================== model
SCRIPTS["dataparallel-prefix-stripped-by-slicing-single-gpu-checkpoint"] = '''
import json

import torch
from PIL import Image
from torchvision import models, transforms as T

classes = json.load(open("checkpoints/classes.json"))
model = models.resnet18(weights=None, num_classes=len(classes))

ckpt = torch.load("checkpoints/resnet18_fold0_best.pth", map_location="cpu")
# the checkpoints come from the 4-GPU box, trained with nn.DataParallel: drop the "module." prefix
state_dict = {k[7:]: v for k, v in ckpt["state_dict"].items()}
model.load_state_dict(state_dict)
model.eval()

tf = T.Compose([T.Resize((224, 224)), T.ToTensor(), @@NORM@@])
x = tf(Image.open("samples/weld_0192.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    p = model(x).softmax(1)[0]
print(classes[p.argmax()], f"{p.max():.3f}")
'''.replace("@@NORM@@", NORM)

FOLD0_PREP = '''
import json, os
import torch
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
classes = ["crack", "good", "porosity", "undercut"]
json.dump(classes, open("checkpoints/classes.json", "w"))
torch.manual_seed(0)
m = models.resnet18(weights=None, num_classes=len(classes))
# fold 0 was re-run on a single GPU after the 4-GPU box went down: no DataParallel wrapper
torch.save({"epoch": 23, "state_dict": m.state_dict(), "best_f1": 0.874}, "checkpoints/resnet18_fold0_best.pth")
'''

SCRIPTS["imageai-tiny-yolov3-ddp-finetune-module-keys-custom-detection"] = '''
import os

from imageai.Detection.Custom import CustomObjectDetection

os.makedirs("out", exist_ok=True)
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
# fine-tuned with our own torchrun script on the 4-GPU box (ImageAI's trainer has no multi-GPU)
detector.setModelPath("models/tiny-yolov3_pallets_ddp_epoch60.pt")
detector.setJsonPath("json/pallets_tiny-yolov3_detection_config.json")
detector.loadModel()

for name in sorted(os.listdir("dock_cam")):
    detections = detector.detectObjectsFromImage(input_image=os.path.join("dock_cam", name),
                                                 output_image_path=os.path.join("out", name),
                                                 minimum_percentage_probability=40)
    print(name, [(d["name"], d["percentage_probability"]) for d in detections])
'''

DDP_TINY_PREP = '''
import json
import os

import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

os.makedirs("models", exist_ok=True)
os.makedirs("json", exist_ok=True)
anchors = @@ANCHORS@@
torch.manual_seed(0)
model = YoloV3Tiny(anchors=anchors, num_classes=2)
# ddp_finetune.py saved model.state_dict() of the DistributedDataParallel wrapper
torch.save({"module." + k: v for k, v in model.state_dict().items()}, "models/tiny-yolov3_pallets_ddp_epoch60.pt")
json.dump({"labels": ["pallet", "forklift"], "anchors": anchors},
          open("json/pallets_tiny-yolov3_detection_config.json", "w"))
'''.replace("@@ANCHORS@@", ANCHORS6)

SCRIPTS["low-ram-vm-mmap-load-legacy-format-checkpoint"] = '''
import torch
from torchvision import models

print("torch", torch.__version__)
model = models.mobilenet_v3_large(weights=None, num_classes=6)

# this VM has 2 GB of RAM: map the checkpoint from disk instead of reading it all into memory
state = torch.load("weights/mnv3_large_scenes_gpu.pth", map_location="cpu", mmap=True, weights_only=True)
model.load_state_dict(state, assign=True)
model.eval()
print("loaded", sum(p.numel() for p in model.parameters()), "parameters")
'''

LEGACY_PREP = '''
import os
import torch
from torchvision import models
os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
m = models.mobilenet_v3_large(weights=None, num_classes=6)
# export script on the GPU box: "old format so the torch 1.4 edge boxes can read it"
torch.save(m.state_dict(), "weights/mnv3_large_scenes_gpu.pth", _use_new_zipfile_serialization=False)
'''

SCRIPTS["nhwc-memmap-batches-permuted-only-on-gpu-path"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

# uint8 N x H x W x C, written once by prepare_data.py
images = np.load("data/train_images_u8.npy", mmap_mode="r")
labels = np.load("data/train_labels.npy")
print("images", images.shape, images.dtype, "labels", labels.shape)
ds = TensorDataset(torch.from_numpy(np.ascontiguousarray(images)), torch.from_numpy(labels))
loader = DataLoader(ds, batch_size=16, shuffle=True)

MEAN = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)


def gpu_preprocess(x):
    """uint8 NHWC -> normalised float NCHW, done on the GPU (keeps the CPU workers free)"""
    x = x.to(device, non_blocking=True).permute(0, 3, 1, 2).float().div_(255)
    return (x - MEAN) / STD


def cpu_preprocess(x):
    # fallback for the laptop
    return x.float().div(255).sub(0.45).div(0.225)


preprocess = gpu_preprocess if device.type == "cuda" else cpu_preprocess

model = models.resnet18(weights=None, num_classes=int(labels.max()) + 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    for xb, yb in loader:
        xb, yb = preprocess(xb), yb.to(device)
        loss = nn.functional.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

NHWC_PREP = '''
import os
import numpy as np
os.makedirs("data", exist_ok=True)
rng = np.random.default_rng(0)
np.save("data/train_images_u8.npy", rng.integers(0, 256, (48, 96, 96, 3), dtype=np.uint8))
np.save("data/train_labels.npy", rng.integers(0, 5, 48).astype(np.int64))
'''

# ================================================================== data
CELLS["linear-probe-on-fp16-features-from-gpu-box-notebook"] = [
    '''
import json

import numpy as np
import torch
import torch.nn as nn

# DINOv2 ViT-S/14 features of every photo, extracted on the GPU box (extract_features.py)
X_train = torch.from_numpy(np.load("features/train_feats.npy"))
y_train = torch.from_numpy(np.load("features/train_labels.npy"))
X_val = torch.from_numpy(np.load("features/val_feats.npy"))
y_val = torch.from_numpy(np.load("features/val_labels.npy"))
classes = json.load(open("features/classes.json"))
print(X_train.shape, y_train.shape, X_val.shape, len(classes), "classes")
''',
    '''
probe = nn.Linear(X_train.shape[1], len(classes))
opt = torch.optim.AdamW(probe.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(100):
    perm = torch.randperm(len(X_train))
    for i in range(0, len(perm), 64):
        idx = perm[i:i + 64]
        loss = nn.functional.cross_entropy(probe(X_train[idx]), y_train[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 20 == 0:
        acc = (probe(X_val).argmax(1) == y_val).float().mean().item()
        print(f"epoch {epoch}: loss {loss.item():.3f} val acc {acc:.3f}")
''',
]

FEATS_PREP = '''
import json, os
import numpy as np
os.makedirs("features", exist_ok=True)
rng = np.random.default_rng(3)
classes = ["bicycle", "e-scooter", "motorbike", "pram"]
for split, n in (("train", 200), ("val", 40)):
    # extract_features.py: feats.append(model(x).half().cpu().numpy())   # halves the 2 GB dump
    np.save(f"features/{split}_feats.npy", rng.standard_normal((n, 384)).astype(np.float16))
    np.save(f"features/{split}_labels.npy", rng.integers(0, len(classes), n).astype(np.int64))
json.dump(classes, open("features/classes.json", "w"))
'''

SCRIPTS["cloud-vm-data-disk-lost-found-imagefolder-root"] = '''
import argparse
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="/mnt/data")
parser.add_argument("--epochs", type=int, default=12)
args = parser.parse_args()

# the dataset lives on the VM's attached disk (ext4, mounted on --data): one folder per class
print("classes on disk:", sorted(os.listdir(args.data)))
tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), @@NORM@@])
train_ds = datasets.ImageFolder(args.data, transform=tf)
loader = DataLoader(train_ds, batch_size=16, shuffle=True, num_workers=2)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(args.epochs):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''.replace("@@NORM@@", NORM)


def data_disk(work):
    make_images(work, class_folder("datadisk", ["cracked", "intact", "missing_tile"], 4, size=(160, 120)))
    (work / "datadisk" / "lost+found").mkdir()


SCRIPTS["cpu-rerun-of-device-assert-resumed-head-new-class-folder-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

# On the 3090 this died with "CUDA error: device-side assert triggered" in the middle of epoch 1.
# Re-running on the laptop's CPU to get a readable error.
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

ckpt = torch.load("checkpoints/convnext_tiny_stage1.pt", map_location="cpu")
classes = ckpt["classes"]
model = models.convnext_tiny(weights=None, num_classes=len(classes))
model.load_state_dict(ckpt["model"])
model.to(device)
print("resuming from stage 1:", classes)

tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(), @@NORM@@])
train_ds = datasets.ImageFolder("shelf_items/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()

for epoch in range(5):
    model.train()
    for x, y in tqdm(loader, desc=f"stage 2 epoch {epoch + 1}"):
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''.replace("@@NORM@@", NORM)

STAGE1_PREP = '''
import os
import torch
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
classes = ["cereal", "coffee", "detergent", "pasta", "tea"]
torch.manual_seed(0)
m = models.convnext_tiny(weights=None, num_classes=len(classes))
torch.save({"model": m.state_dict(), "classes": classes, "epoch": 30}, "checkpoints/convnext_tiny_stage1.pt")
'''

PIPE_DATA = '''
import os

import torch
from torch.utils.data import Dataset
from torchvision.io import read_image
from torchvision.transforms import v2


class DefectImages(Dataset):
    """<root>/<class>/*.png, decoded with torchvision.io (the production images are RGB PNG exports)"""

    def __init__(self, root, size=64):
        self.classes = sorted(os.listdir(root))
        self.items = [(os.path.join(root, c, f), k) for k, c in enumerate(self.classes)
                      for f in sorted(os.listdir(os.path.join(root, c)))]
        self.tf = v2.Compose([v2.Resize((size, size), antialias=True), v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return self.tf(read_image(path)), label
'''

PIPE_MODEL = '''
import torch.nn as nn
from torchvision import models


def build_model(num_classes):
    m = models.resnet18(weights=None)
    m.fc = nn.Linear(m.fc.in_features, num_classes)
    return m
'''

SCRIPTS["unittest-fixture-images-drawn-in-mode-l-read-image"] = '''
import os
import shutil
import tempfile
import unittest

import torch
from PIL import Image
from torch.utils.data import DataLoader

from pipeline.data import DefectImages
from pipeline.model import build_model


class PipelineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # a tiny synthetic fixture, so the test runs on the CPU runner in seconds
        cls.root = tempfile.mkdtemp()
        for k, cls_name in enumerate(["good", "scratch"]):
            os.makedirs(os.path.join(cls.root, cls_name))
            for i in range(4):
                Image.new("L", (80, 80), color=40 * k + 10 * i).save(os.path.join(cls.root, cls_name, f"{i}.png"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.root)

    def test_dataset_len(self):
        self.assertEqual(len(DefectImages(self.root)), 8)

    def test_train_step(self):
        ds = DefectImages(self.root)
        x, y = next(iter(DataLoader(ds, batch_size=4, shuffle=True)))
        model = build_model(len(ds.classes))
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        self.assertTrue(torch.isfinite(loss))


if __name__ == "__main__":
    unittest.main()
'''

SCRIPTS["cpu-fallback-default-collate-without-gpu-resize-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision import models
from torchvision.io import ImageReadMode, read_image

USE_GPU = torch.cuda.is_available()
device = torch.device("cuda" if USE_GPU else "cpu")


class RawPhotos(Dataset):
    """photos at native resolution (uint8 C x H x W); resizing happens on the GPU, batched"""

    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, k) for k, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return read_image(path, ImageReadMode.RGB), label


def list_collate(batch):
    return [b[0] for b in batch], torch.tensor([b[1] for b in batch])


def gpu_resize(images, size=160):
    return torch.stack([F.interpolate(im.to(device).float()[None] / 255, size=(size, size), mode="bilinear",
                                      antialias=True)[0] for im in images])


ds = RawPhotos("roofs/train")
loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2,
                    collate_fn=list_collate if USE_GPU else None)   # no GPU: let the default collate batch them
model = models.efficientnet_b0(weights=None, num_classes=len(ds.classes)).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(10):
    for images, labels in loader:
        x = gpu_resize(images) if USE_GPU else images.float() / 255
        loss = nn.functional.cross_entropy(model(x), labels.to(device))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== resource / optimisation
SCRIPTS["imageai-yolov3-trainer-gpu-batch-size-on-4gb-vm"] = '''
import resource

from imageai.Detection.Custom import DetectionModelTrainer

# this VM has 4 GB and no swap: keep the job inside it instead of being OOM-killed with the SSH session
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (4 * 1024 ** 3, hard))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="hardhats")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=32, num_experiments=50)
trainer.trainModel()
'''


def hardhat_rows(split, i):
    return (f"0 0.{30 + i % 40:02d} 0.{35 + i % 30:02d} 0.{12 + i % 7:02d} 0.{15 + i % 9:02d}\n"
            f"1 0.{62 + i % 20:02d} 0.{40 + i % 25:02d} 0.{10 + i % 8:02d} 0.{13 + i % 6:02d}\n")


SCRIPTS["imageai-voc-to-yolo-normalised-by-halved-laptop-copy-size"] = '''
import glob
import os
import xml.etree.ElementTree as ET

from PIL import Image
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["dent", "scratch"]
DATA = "car_damage"

# LabelImg VOC XMLs -> the YOLO txt files ImageAI reads (class cx cy w h, normalised by the image size)
for split in ("train", "validation"):
    os.makedirs(os.path.join(DATA, split, "annotations"), exist_ok=True)
    for xml_path in sorted(glob.glob(os.path.join("voc_xml", split, "*.xml"))):
        root = ET.parse(xml_path).getroot()
        name = root.findtext("filename")
        with Image.open(os.path.join(DATA, split, "images", name)) as im:
            W, H = im.size
        rows = []
        for obj in root.iter("object"):
            b = obj.find("bndbox")
            x1, y1, x2, y2 = (float(b.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax"))
            rows.append(f"{CLASSES.index(obj.findtext('name'))} {(x1 + x2) / 2 / W:.6f} {(y1 + y2) / 2 / H:.6f} "
                        f"{(x2 - x1) / W:.6f} {(y2 - y1) / H:.6f}")
        with open(os.path.join(DATA, split, "annotations", os.path.splitext(name)[0] + ".txt"), "w") as f:
            f.write("\\n".join(rows) + "\\n")
print("converted", len(glob.glob(os.path.join(DATA, "*", "annotations", "*.txt"))), "annotation files")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=30)
trainer.trainModel()
'''

VOC_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
boxes = [[(60, 80, 210, 190), (380, 250, 600, 420)], [(300, 120, 470, 260)], [(40, 300, 260, 450), (420, 60, 620, 200)],
         [(200, 200, 360, 330)], [(90, 40, 300, 170), (330, 280, 560, 460)], [(480, 150, 630, 330)]]
for split, idx in (("train", range(6)), ("validation", range(2))):
    os.makedirs(f"car_damage/{split}/images", exist_ok=True)
    os.makedirs(f"voc_xml/{split}", exist_ok=True)
    for i in idx:
        name = f"claim_{split[:3]}_{i:03d}.jpg"
        # the laptop copy was shrunk with `mogrify -resize 50%` to save disk; the XMLs were not touched
        Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"car_damage/{split}/images/{name}")
        objs = "".join(
            f"<object><name>{'dent' if k % 2 == 0 else 'scratch'}</name><difficult>0</difficult><bndbox>"
            f"<xmin>{b[0]}</xmin><ymin>{b[1]}</ymin><xmax>{b[2]}</xmax><ymax>{b[3]}</ymax></bndbox></object>"
            for k, b in enumerate(boxes[i]))
        xml = (f"<annotation><folder>images</folder><filename>{name}</filename>"
               f"<size><width>640</width><height>480</height><depth>3</depth></size>{objs}</annotation>")
        open(f"voc_xml/{split}/{os.path.splitext(name)[0]}.xml", "w").write(xml)
'''

SCRIPTS["manual-gradient-all-reduce-over-frozen-backbone-torchrun"] = '''
import torch
import torch.distributed as dist
import torch.nn as nn
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T


def average_gradients(model):
    """from the "Writing Distributed Applications with PyTorch" tutorial"""
    size = float(dist.get_world_size())
    for param in model.parameters():
        dist.all_reduce(param.grad, op=dist.ReduceOp.SUM)
        param.grad /= size


dist.init_process_group("gloo")
rank = dist.get_rank()
torch.manual_seed(0)

tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
ds = datasets.ImageFolder("wood/train", transform=tf)
sampler = DistributedSampler(ds)
loader = DataLoader(ds, batch_size=4, sampler=sampler)

model = models.resnet18(weights=None)
# CPU run: train only the last block and the head, the rest stays as in the ImageNet checkpoint
for name, p in model.named_parameters():
    p.requires_grad = name.startswith(("layer4", "fc"))
model.fc = nn.Linear(model.fc.in_features, len(ds.classes))
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)

for epoch in range(10):
    sampler.set_epoch(epoch)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        average_gradients(model)
        opt.step()
    if rank == 0:
        print(f"epoch {epoch}: {loss.item():.4f}", flush=True)
dist.destroy_process_group()
'''

TORCHRUN = ("-m", "torch.distributed.run", "--nproc_per_node=2")


def cases():
    out, add, script, notebook = case_builders("torch-more71-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    TR = ("cpython_basic", "launcher_prefix")
    UT = ("cpython_basic",)

    # ---- environment
    script("argparse-type-bool-cuda-false-still-true", "env.cuda_setup", also=["model.api_misuse"],
           args=("--cuda", "False", "--batch-size", "8"),
           setup=imgs(class_folder("data/leaves/train", ["blight", "healthy", "rust"], 4, size=(140, 140))))
    script("checkpoint-helper-stores-cuda-rng-state-after-first-epoch-tqdm", "env.cuda_setup", forms=P,
           extra={"utils/__init__.py": "", "utils/checkpoint.py": CHECKPOINT_UTIL},
           setup=imgs(class_folder("birds/train", ["finch", "sparrow", "wren"], 4, size=(120, 100))))
    notebook("tiny-vit-attention-pinned-to-efficient-sdpa-kernel-notebook", "env.cuda_setup",
             also=["model.api_misuse"],
             setup=imgs(class_folder("insects/train", ["ant", "bee", "wasp"], 4, size=(90, 90))))
    script("adamw-capturable-from-a100-config-on-cpu-vm-tqdm", "env.cuda_setup", also=["model.api_misuse"],
           forms=P, args=("--config", "configs/a100.json"), extra={"configs/a100.json": A100_CONFIG},
           setup=imgs(class_folder("data/pets/train", ["cat", "dog"], 6, size=(150, 150))))
    notebook("catalogue-gallery-pickled-with-cuda-embeddings-notebook", "env.device_mismatch",
             also=["env.cuda_setup"], setup=prep(GALLERY_PREP))
    script("gloo-fallback-keeps-nccl-device-id-torchrun", "env.distributed", also=["env.cuda_setup"],
           pre=TORCHRUN + ("--master_port=29631",), timeout=180,
           setup=imgs(class_folder("scans/train", ["benign", "malignant"], 4, size=(100, 100))))
    script("rank0-dedup-embeddings-other-rank-barrier-timeout-torchrun", "env.distributed", forms=TR,
           pre=TORCHRUN + ("--master_port=29632",), extra={"configs/ddp.json": DDP_CONFIG}, timeout=240,
           exception="RuntimeError",  # the rank's own error; torchrun's ChildFailedError only reports it
           setup=both(RESNET18_FILE,
                      imgs(class_folder("photos", ["heron", "kingfisher", "otter"], 80, size=(48, 40)))))
    script("ddp-script-run-with-plain-python-sampler-rank-minus-one", "env.distributed",
           also=["model.api_misuse"],
           setup=imgs(class_folder("xray/train", ["normal", "pneumonia"], 4, size=(128, 128))))
    script("mp-spawn-args-world-size-not-a-tuple-gloo", "model.api_misuse",
           also=["env.multiprocessing", "env.distributed"], forms=("cpython_basic",),
           timeout=180, setup=imgs(class_folder("coins/train", ["euro", "penny", "yen"], 4, size=(100, 100))))
    script("spawn-workers-rerun-module-level-run-dir-makedirs-workers", "env.multiprocessing",
           forms=("cpython_basic", "dataloader_worker?"), args=("--name", "he-stain-cpu"),
           setup=imgs(class_folder("tiles/train", ["stroma", "tumour"], 4, size=(80, 80), ext="png")))
    script("ci-warnings-as-errors-pin-memory-no-accelerator-unittest", "other", also=["env.cuda_setup"],
           forms=UT, argv="tests/test_smoke.py", pre=("-W", "error", "-m", "unittest", "-v"),
           extra={"train.py": SMOKE_TRAIN, "tests/__init__.py": ""},
           setup=imgs(class_folder("tests/fixtures/tiny_flowers", ["daisy", "tulip"], 4, size=(72, 72),
                                   ext="png")))

    # ---- model
    script("dataparallel-prefix-stripped-by-slicing-single-gpu-checkpoint", "model.weights_mismatch",
           argv="predict.py", setup=both(prep(FOLD0_PREP), imgs([("samples/weld_0192.jpg", (320, 240), "RGB")])))
    script("imageai-tiny-yolov3-ddp-finetune-module-keys-custom-detection", "model.weights_mismatch",
           framework="imageai", forms=("cpython_basic", "chained_during"), argv="detect_dock.py",
           setup=both(prep(DDP_TINY_PREP), imgs([(f"dock_cam/frame_{i:04d}.jpg", (416, 312), "RGB")
                                                 for i in range(2)])))
    script("low-ram-vm-mmap-load-legacy-format-checkpoint", "model.weights_mismatch",
           also=["env.version_incompat", "model.api_misuse"], argv="serve_scenes.py", setup=prep(LEGACY_PREP))
    script("nhwc-memmap-batches-permuted-only-on-gpu-path", "model.input_shape", also=["data.image_channels"],
           setup=prep(NHWC_PREP))

    # ---- data
    notebook("linear-probe-on-fp16-features-from-gpu-box-notebook", "data.dtype", setup=prep(FEATS_PREP))
    script("cloud-vm-data-disk-lost-found-imagefolder-root", "data.missing_or_corrupt",
           args=("--data", "datadisk"), setup=data_disk)
    script("cpu-rerun-of-device-assert-resumed-head-new-class-folder-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P,
           setup=both(prep(STAGE1_PREP),
                      imgs(class_folder("shelf_items/train", ["cereal", "coffee", "detergent", "pasta", "tea",
                                                              "toothpaste"], 3, size=(100, 100)))))
    script("unittest-fixture-images-drawn-in-mode-l-read-image", "data.image_channels", forms=UT,
           argv="tests/test_pipeline.py", pre=("-m", "unittest", "-v"),
           extra={"pipeline/__init__.py": "", "pipeline/data.py": PIPE_DATA, "pipeline/model.py": PIPE_MODEL,
                  "tests/__init__.py": ""})
    script("cpu-fallback-default-collate-without-gpu-resize-workers", "data.image_size_mismatch", forms=W,
           setup=imgs([(f"roofs/train/{c}/{c}_{i:02d}.jpg", s, "RGB")
                       for c, sizes in (("flat", [(640, 480), (480, 640), (800, 600)]),
                                        ("pitched", [(640, 480), (1024, 768), (640, 360)]))
                       for i, s in enumerate(sizes * 2)]))

    # ---- resource / optimisation
    script("imageai-yolov3-trainer-gpu-batch-size-on-4gb-vm", "resource.host_memory", framework="imageai",
           forms=("cpython_basic", "progress_bars?"), argv="train_hardhats.py", timeout=400,
           setup=yolo_layout("hardhats", hardhat_rows, size=(416, 416), splits=(("train", 32), ("validation", 4))))
    script("imageai-voc-to-yolo-normalised-by-halved-laptop-copy-size", "data.bbox_invalid", framework="imageai",
           forms=("cpython_basic", "progress_bars?"), argv="train_damage.py", timeout=400, setup=prep(VOC_PREP))
    script("manual-gradient-all-reduce-over-frozen-backbone-torchrun", "optim.autograd_graph",
           also=["env.distributed"], forms=TR, pre=TORCHRUN + ("--master_port=29633",), timeout=180,
           exception="TypeError",  # the rank's own error; torchrun's ChildFailedError only reports it
           setup=imgs(class_folder("wood/train", ["knot", "clean", "split"], 4, size=(100, 100))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
