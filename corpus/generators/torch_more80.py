"""An eightieth held-out set (g150, scored 0.96 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: PyTorch practitioners running hyperparameter sweeps and long, resumable experiments on their own image
data: hand-written grid and random searches over learning rate, batch size, image size, augmentation strength and
backbone; a JSON config merged with argparse overrides; one run per trial with its own output folder, checkpoints
saved every epoch and resumed after an interruption; early stopping and best-model selection; the results gathered
into CSV summaries. A natural mix of causes, each program built so that its cause is known by construction and made
to fail inside torch, torchvision, ImageAI, PIL, csv, json or multiprocessing:

- data: an augmentation-strength grid whose scale jitter draws a new side length per sample for a "fully
  convolutional" net (in workers, data.image_size_mismatch), the strong-augmentation recipe's
  ``RandomApply([Grayscale()])`` in front of a three-channel ``Normalize`` (tqdm, data.image_channels), a
  ``--classes`` override meant to train a two-class trial that only sizes the head while ``ImageFolder`` keeps
  every folder (notebook, data.label_out_of_range), an ``os.chdir`` into the trial's run folder after the
  ``ImageFolder`` listed its images by relative paths (data.missing_or_corrupt), trial output folders kept
  under the data folder so the next trial's ``ImageFolder`` sees ``runs`` as a class (data.missing_or_corrupt), a
  CutMix / MixUp strength grid whose soft targets meet the running-accuracy line (tqdm, data.label_shape), a
  fp16 checkpoint "to halve the disk use" written with ``model.half().state_dict()`` in the middle of training
  (data.dtype), quick ImageAI TinyYOLOv3 trials on a 10 % subset of the boxes (anchor k-means,
  data.too_few_boxes);
- model: an image-size sweep over a small CNN whose ``Linear`` was sized for 128 px (notebook, model.input_shape),
  run folders named by learning rate and batch size only, so the ResNet-34 trial resumes the ResNet-18 trial's
  ``last.pt`` (model.weights_mismatch), a backbone sweep sharing one ``Linear(512, n)`` head after the backbones'
  classifiers are replaced by ``Identity`` (model.output_mismatch), a ``last.pt`` cut short when the preemptible
  job was killed during ``torch.save`` (model.weights_mismatch), a random search whose batch size comes from
  ``Generator.choice`` as ``numpy.int64`` (model.api_misuse), a RandAugment magnitude grid that goes up to
  ``num_magnitude_bins`` (in workers, model.api_misuse);
- optimisation: a log-spaced learning-rate grid up to 0.1 for a seedling-height regressor (MSE on centimetres)
  whose per-epoch MAE-by-bin summary meets ``np.histogram`` of the diverged predictions (optim.divergence), a weight-decay grid implemented as an L2
  penalty computed once per trial and added to every step's loss (tqdm, optim.autograd_graph);
- resource / environment / other: augmented views of the whole set pre-allocated for every image size of the grid
  under the workstation's memory cap (resource.host_memory), two trials at a time in a ``multiprocessing.Pool``
  whose trials use DataLoader workers (env.multiprocessing), a resume of checkpoints that carry the merged config
  with argparse's ``pathlib.Path`` output folder under the ``weights_only`` default (env.version_incompat), a
  torchrun (gloo) sweep calling ``init_process_group`` at the start of every trial (env.distributed), the GPU
  cluster's JSON config (``"device": "cuda"``) on a CPU laptop (env.cuda_setup), a ``csv.DictWriter`` whose fields
  come from the first (Adam) trial before an SGD trial adds ``momentum`` (other), the trial config with its
  ``torch.device`` written to ``config.json`` (other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: earlier
checkpoints are files the case's setup leaves on disk, as an interrupted sweep would).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more80.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import json

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more80.py"

SCRIPTS = {}
CELLS = {}


def cfg(d):
    return json.dumps(d, indent=2) + "\n"


SMALLNET = '''

class SmallNet(nn.Module):
    """Three conv blocks + global pooling: any input size goes through."""

    def __init__(self, num_classes, width=16):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(2 * width, 4 * width, 3, padding=1), nn.BatchNorm2d(4 * width), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(4 * width, num_classes)

    def forward(self, x):
        return self.head(self.features(x))
'''

# ================================================================== data
SCRIPTS["aug-strength-grid-scale-jitter-per-sample-workers"] = '''
import argparse
import csv
import glob
import itertools
import json
import os
import random

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
''' + SMALLNET + '''

class FolderDataset(Dataset):
    def __init__(self, root, image_size, aug_strength=0.0, train=True):
        self.classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        self.samples = [(p, i) for i, c in enumerate(self.classes)
                        for p in sorted(glob.glob(os.path.join(root, c, "*.jpg")))]
        self.image_size, self.aug, self.train = image_size, aug_strength, train
        s = aug_strength
        self.tail = (T.Compose([T.RandomHorizontalFlip(), T.ColorJitter(0.3 * s, 0.3 * s, 0.3 * s), T.ToTensor()])
                     if train else T.ToTensor())

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        img = Image.open(path).convert("RGB")
        side = self.image_size
        if self.train and self.aug > 0:
            # scale jitter: +-25 % of the side at strength 1.0 (SmallNet ends in AdaptiveAvgPool, any size goes)
            side = int(round(side * random.uniform(1 - 0.25 * self.aug, 1 + 0.25 * self.aug)))
        img = img.resize((side, side), Image.BILINEAR)
        return self.tail(img), label


def run_trial(trial_id, cfg, out_root):
    run_dir = os.path.join(out_root, f"trial_{trial_id:03d}")
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    torch.manual_seed(cfg["seed"])
    random.seed(cfg["seed"])
    train_ds = FolderDataset(os.path.join(cfg["data_dir"], "train"), cfg["image_size"], cfg["aug_strength"])
    val_ds = FolderDataset(os.path.join(cfg["data_dir"], "val"), cfg["image_size"], train=False)
    train_dl = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True, num_workers=cfg["workers"])
    val_dl = DataLoader(val_ds, batch_size=cfg["batch_size"], num_workers=cfg["workers"])
    model = SmallNet(len(train_ds.classes))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    best = 0.0
    for epoch in range(cfg["epochs"]):
        model.train()
        for x, y in train_dl:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for x, y in val_dl:
                correct += (model(x).argmax(1) == y).sum().item()
        acc = correct / len(val_ds)
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
                   os.path.join(run_dir, "last.pt"))
        if acc > best:
            best = acc
            torch.save(model.state_dict(), os.path.join(run_dir, "best.pt"))
        print(f"[trial {trial_id}] epoch {epoch}  loss {loss.item():.3f}  val_acc {acc:.3f}", flush=True)
    return best


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="configs/sweep_aug.json")
    ap.add_argument("--out", default="runs/aug_sweep")
    ap.add_argument("--workers", type=int)
    args = ap.parse_args()
    with open(args.config) as f:
        base = json.load(f)
    if args.workers is not None:
        base["workers"] = args.workers
    grid = base.pop("grid")
    keys = sorted(grid)
    rows = []
    for i, values in enumerate(itertools.product(*(grid[k] for k in keys))):
        cfg = {**base, **dict(zip(keys, values))}
        print(f"=== trial {i}: " + ", ".join(f"{k}={cfg[k]}" for k in keys), flush=True)
        best = run_trial(i, cfg, args.out)
        rows.append({**dict(zip(keys, values)), "best_val_acc": best})
        with open(os.path.join(args.out, "summary.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
'''

AUG_CFG = cfg({"data_dir": "data/leaves", "image_size": 64, "batch_size": 8, "epochs": 1, "workers": 2,
               "weight_decay": 1e-4, "seed": 0, "grid": {"aug_strength": [0.0, 1.0], "lr": [1e-3]}})

SCRIPTS["strong-aug-randomapply-grayscale-before-normalize-tqdm"] = '''
import argparse
import csv
import json
import math
import os
import random

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T
from tqdm import tqdm

MEAN, STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)


def build_transforms(size, strength):
    """strength 0..1: how hard the training images are augmented (a hyperparameter of the search)."""
    aug = [T.RandomResizedCrop(size, scale=(1.0 - 0.6 * strength, 1.0)), T.RandomHorizontalFlip()]
    if strength >= 0.5:      # the "strong" recipe of the SimCLR-style papers
        aug += [T.RandomApply([T.ColorJitter(0.4 * strength, 0.4 * strength, 0.4 * strength, 0.1 * strength)], p=0.8),
                T.RandomApply([T.Grayscale()], p=0.2 * strength)]
    return T.Compose(aug + [T.ToTensor(), T.Normalize(MEAN, STD)])


def sample_trial(rng):
    return {"lr": 10 ** rng.uniform(-4, -2.5), "aug_strength": rng.choice([0.25, 0.5, 1.0]),
            "image_size": rng.choice([64, 80])}


def train_trial(name, hp, cfg):
    run_dir = os.path.join(cfg["out"], name)
    os.makedirs(run_dir, exist_ok=True)
    json.dump(hp, open(os.path.join(run_dir, "hparams.json"), "w"), indent=2)
    train_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "train"),
                                    build_transforms(hp["image_size"], hp["aug_strength"]))
    loader = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    for epoch in range(cfg["epochs"]):
        model.train()
        total = 0.0
        for x, y in tqdm(loader, desc=f"{name} epoch {epoch}", ncols=90):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(y)
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
                   os.path.join(run_dir, f"epoch_{epoch:02d}.pt"))
    return total / len(train_ds)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="configs/search.json")
    ap.add_argument("--trials", type=int)
    ap.add_argument("--seed", type=int)
    args = ap.parse_args()
    cfg = json.load(open(args.config))
    cfg.update({k: v for k, v in vars(args).items() if v is not None})
    rng = random.Random(cfg["seed"])
    with open(os.path.join(cfg["out"], "results.csv"), "a", newline="") as f:
        w = csv.writer(f)
        for t in range(cfg["trials"]):
            hp = sample_trial(rng)
            print(f"trial {t}: lr={hp['lr']:.2e} aug_strength={hp['aug_strength']} image_size={hp['image_size']}")
            final_loss = train_trial(f"trial_{t:02d}", hp, cfg)
            w.writerow([t, hp["lr"], hp["aug_strength"], hp["image_size"], final_loss])
            f.flush()
'''

CELLS["classes-override-two-class-trial-imagefolder-keeps-all-notebook"] = [
    '''import argparse, json, os
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--config", default="configs/base.json")
parser.add_argument("--lr", type=float)
parser.add_argument("--epochs", type=int)
parser.add_argument("--batch-size", type=int)
parser.add_argument("--classes", nargs="+", help="train on these classes only")
# notebook: this trial's overrides instead of the command line
args = parser.parse_args(["--classes", "healthy", "rust", "--lr", "3e-4", "--epochs", "2"])
cfg = json.load(open(args.config))
cfg.update({k: v for k, v in vars(args).items() if v is not None and k != "config"})
cfg''',
    '''torch.manual_seed(cfg["seed"])
tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
train_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "train"), tf)
train_dl = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True)
model = models.resnet18(weights=None, num_classes=len(cfg["classes"]))
opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
run_dir = os.path.join(cfg["out"], "trial_" + "-".join(cfg["classes"]) + f"_lr{cfg['lr']:g}")
os.makedirs(run_dir, exist_ok=True)
print(len(train_ds), "training images,", model.fc.out_features, "outputs ->", run_dir)''',
    '''history = []
for epoch in range(cfg["epochs"]):
    model.train()
    running = 0.0
    for x, y in train_dl:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item()
    history.append(running / len(train_dl))
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch, "cfg": cfg},
               os.path.join(run_dir, "last.pt"))
    print(f"epoch {epoch}: loss {history[-1]:.4f}")''',
]

SCRIPTS["chdir-into-trial-folder-relative-data-dir"] = '''
import argparse
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T


def parse():
    p = argparse.ArgumentParser(description="learning-rate sweep, one folder per trial")
    p.add_argument("--config", default="configs/birds.json")
    p.add_argument("--lrs", type=float, nargs="+", default=[1e-3, 3e-4])
    p.add_argument("--epochs", type=int)
    a = p.parse_args()
    with open(a.config) as f:
        cfg = json.load(f)
    if a.epochs:
        cfg["epochs"] = a.epochs
    return cfg, a.lrs


def run_trial(cfg, lr):
    name = f"lr_{lr:g}"
    run_dir = os.path.join(cfg["out_dir"], name)
    os.makedirs(run_dir, exist_ok=True)
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
    train_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "train"), tf)
    val_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "val"), tf)
    train_dl = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True)
    val_dl = DataLoader(val_ds, batch_size=cfg["batch_size"])
    os.chdir(run_dir)        # the trial's checkpoints and log.csv land in its own folder
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    best = 0.0
    with open("log.csv", "w") as log:
        log.write("epoch,train_loss,val_acc\\n")
        for epoch in range(cfg["epochs"]):
            model.train()
            for x, y in train_dl:
                loss = nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
            model.eval()
            with torch.no_grad():
                acc = sum((model(x).argmax(1) == y).sum().item() for x, y in val_dl) / len(val_ds)
            log.write(f"{epoch},{loss.item():.4f},{acc:.4f}\\n")
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch}, "last.pt")
            if acc >= best:
                best = acc
                torch.save(model.state_dict(), "best.pt")
            print(f"{name} epoch {epoch}: loss {loss.item():.4f} val_acc {acc:.3f}", flush=True)
    return best


if __name__ == "__main__":
    cfg, lrs = parse()
    results = {}
    for lr in lrs:
        results[lr] = run_trial(cfg, lr)
    print("best lr:", max(results, key=results.get))
'''

BIRDS_CFG = cfg({"data_dir": "data/birds", "out_dir": "runs/lr_sweep", "image_size": 64, "batch_size": 8,
                 "epochs": 1})

SCRIPTS["trial-runs-kept-under-data-folder-imagefolder-class"] = '''
import argparse
import csv
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, models
from torchvision import transforms as T


def load_config():
    p = argparse.ArgumentParser()
    p.add_argument("config")
    p.add_argument("--image-sizes", type=int, nargs="+")
    p.add_argument("--epochs", type=int)
    args = p.parse_args()
    cfg = json.load(open(args.config))
    for k, v in vars(args).items():
        if k != "config" and v is not None:
            cfg[k] = v
    return cfg


def trial(cfg, image_size):
    # keep every run next to the data it was trained on
    run_dir = os.path.join(cfg["data_dir"], "runs", f"{cfg['backbone']}_{image_size}px")
    tf = T.Compose([T.Resize((image_size, image_size)), T.ToTensor()])
    full = datasets.ImageFolder(cfg["data_dir"], tf)
    n_val = max(1, int(len(full) * cfg["val_fraction"]))
    train_ds, val_ds = random_split(full, [len(full) - n_val, n_val], generator=torch.Generator().manual_seed(0))
    os.makedirs(run_dir, exist_ok=True)
    model = getattr(models, cfg["backbone"])(weights=None, num_classes=len(full.classes))
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    best_acc = 0.0
    for epoch in range(cfg["epochs"]):
        model.train()
        for x, y in DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = sum((model(x).argmax(1) == y).sum().item()
                      for x, y in DataLoader(val_ds, batch_size=cfg["batch_size"])) / n_val
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
                   os.path.join(run_dir, "last.pt"))
        if acc >= best_acc:
            best_acc = acc
            torch.save(model.state_dict(), os.path.join(run_dir, "best.pt"))
        print(f"{image_size}px epoch {epoch}: loss {loss.item():.3f} acc {acc:.3f}", flush=True)
    return best_acc


if __name__ == "__main__":
    cfg = load_config()
    with open("image_size_sweep.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image_size", "best_val_acc"])
        for size in cfg["image_sizes"]:
            w.writerow([size, trial(cfg, size)])
'''

FUNGI_CFG = cfg({"data_dir": "data/fungi", "backbone": "resnet18", "image_sizes": [64, 96], "batch_size": 8,
                 "lr": 1e-3, "epochs": 1, "val_fraction": 0.25})

SCRIPTS["mix-alpha-grid-cutmix-soft-targets-running-accuracy-tqdm"] = '''
import argparse
import csv
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T
from torchvision.transforms import v2
from tqdm import tqdm

p = argparse.ArgumentParser()
p.add_argument("--config", default="configs/mix.json")
p.add_argument("--mix-alphas", type=float, nargs="+", default=[0.0, 1.0])
p.add_argument("--epochs", type=int)
args = p.parse_args()
cfg = json.load(open(args.config))
if args.epochs:
    cfg["epochs"] = args.epochs

tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.RandomHorizontalFlip(), T.ToTensor()])
train_ds = datasets.ImageFolder(cfg["train_dir"], tf)
NUM_CLASSES = len(train_ds.classes)
summary = []
for alpha in args.mix_alphas:
    torch.manual_seed(0)
    run_dir = os.path.join(cfg["out"], f"mix_alpha_{alpha:g}")
    os.makedirs(run_dir, exist_ok=True)
    loader = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True, drop_last=True)
    mix = v2.RandomChoice([v2.CutMix(num_classes=NUM_CLASSES, alpha=alpha),
                           v2.MixUp(num_classes=NUM_CLASSES, alpha=alpha)]) if alpha > 0 else None
    model = models.resnet18(weights=None, num_classes=NUM_CLASSES)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=0.05)
    criterion = nn.CrossEntropyLoss(label_smoothing=cfg["label_smoothing"])
    for epoch in range(cfg["epochs"]):
        model.train()
        correct = seen = 0
        bar = tqdm(loader, desc=f"alpha={alpha:g} ep{epoch}", ncols=100)
        for images, labels in bar:
            if mix is not None:
                images, labels = mix(images, labels)
            out = model(images)
            loss = criterion(out, labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            correct += (out.argmax(1) == labels).sum().item()
            seen += len(images)
            bar.set_postfix(loss=f"{loss.item():.3f}", acc=f"{correct / seen:.3f}")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
                   os.path.join(run_dir, "last.pt"))
    summary.append((alpha, correct / seen))
with open(os.path.join(cfg["out"], "mix_sweep.csv"), "w", newline="") as f:
    csv.writer(f).writerows([("mix_alpha", "train_acc"), *summary])
'''

MIX_CFG = cfg({"train_dir": "data/textures/train", "out": "runs/mix_sweep", "image_size": 64, "batch_size": 8,
               "lr": 1e-3, "epochs": 1, "label_smoothing": 0.1})

SCRIPTS["fp16-checkpoints-via-model-half-mid-training"] = '''
import argparse
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision import transforms as T
''' + SMALLNET + '''

def save_checkpoint(path, model, optimizer, epoch, best_acc):
    # 48 trials x 30 epochs of checkpoints on the shared disk: keep the weights in fp16 to halve the size
    torch.save({"model": model.half().state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                "best_acc": best_acc}, path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/trial_017.json")
    p.add_argument("--resume", action="store_true")
    args = p.parse_args()
    cfg = json.load(open(args.config))
    run_dir = os.path.join(cfg["out"], cfg["name"])
    os.makedirs(run_dir, exist_ok=True)
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
    train_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "train"), tf)
    val_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "val"), tf)
    model = SmallNet(len(train_ds.classes), width=cfg["width"])
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, nesterov=True)
    start, best_acc = 0, 0.0
    last = os.path.join(run_dir, "last.pt")
    if args.resume and os.path.exists(last):
        ckpt = torch.load(last)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        start, best_acc = ckpt["epoch"] + 1, ckpt["best_acc"]
    for epoch in range(start, cfg["epochs"]):
        model.train()
        for x, y in DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            acc = sum((model(x).argmax(1) == y).sum().item()
                      for x, y in DataLoader(val_ds, batch_size=cfg["batch_size"])) / len(val_ds)
        best_acc = max(best_acc, acc)
        save_checkpoint(last, model, opt, epoch, best_acc)
        print(f"{cfg['name']} epoch {epoch}: loss {loss.item():.4f} val_acc {acc:.3f} best {best_acc:.3f}", flush=True)


if __name__ == "__main__":
    main()
'''

TRIAL17_CFG = cfg({"name": "trial_017", "data_dir": "data/fabric", "out": "runs/fabric_search", "image_size": 48,
                   "width": 24, "lr": 0.02, "batch_size": 8, "epochs": 3})

SCRIPTS["imageai-quick-trials-ten-percent-subset-anchor-kmeans"] = '''
import glob
import itertools
import os
import random
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["pothole"]
SRC_DIR = "potholes"
GRID = {"data_fraction": [0.1, 0.5, 1.0], "batch_size": [4, 8]}


def subset(fraction, trial_dir, seed=0):
    """copy a fraction of the training images (+ their annotations) into the trial's data folder"""
    images = sorted(glob.glob(f"{SRC_DIR}/train/images/*.jpg"))
    keep = random.Random(seed).sample(images, max(1, round(fraction * len(images))))
    for split in ("train", "validation"):
        for d in ("images", "annotations"):
            os.makedirs(f"{trial_dir}/{split}/{d}", exist_ok=True)
    for img in keep:
        name = os.path.basename(img)[:-4]
        shutil.copy(img, f"{trial_dir}/train/images/")
        shutil.copy(f"{SRC_DIR}/train/annotations/{name}.txt", f"{trial_dir}/train/annotations/")
    for img in glob.glob(f"{SRC_DIR}/validation/images/*.jpg"):
        name = os.path.basename(img)[:-4]
        shutil.copy(img, f"{trial_dir}/validation/images/")
        shutil.copy(f"{SRC_DIR}/validation/annotations/{name}.txt", f"{trial_dir}/validation/annotations/")
    return len(keep)


# cheapest trials first: a bad setting shows up in minutes instead of hours
for i, (fraction, bs) in enumerate(itertools.product(GRID["data_fraction"], GRID["batch_size"])):
    trial_dir = f"sweeps/potholes/trial_{i:02d}_frac{fraction}_bs{bs}"
    n = subset(fraction, trial_dir)
    print(f"trial {i}: data_fraction={fraction} batch_size={bs} ({n} train images)", flush=True)
    trainer = DetectionModelTrainer()
    trainer.setModelTypeAsTinyYOLOv3()
    trainer.setDataDirectory(data_directory=trial_dir)
    trainer.setTrainConfig(object_names_array=CLASSES, batch_size=bs, num_experiments=3)
    trainer.trainModel()
'''

# ================================================================== model
CELLS["image-size-sweep-cnn-linear-sized-for-128-notebook"] = [
    '''import csv, itertools, json, os
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

cfg = json.load(open("configs/cracks.json"))
cfg''',
    '''class CrackNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),     # 128 -> 64
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),    # 64 -> 32
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),    # 32 -> 16
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 16 * 16, 64), nn.ReLU(),
                                        nn.Dropout(0.3), nn.Linear(64, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def run_trial(image_size, lr, epochs=1):
    name = f"img{image_size}_lr{lr:g}"
    run_dir = os.path.join(cfg["out"], name)
    os.makedirs(run_dir, exist_ok=True)
    tf = T.Compose([T.Resize((image_size, image_size)), T.ToTensor()])
    ds = datasets.ImageFolder(cfg["data_dir"], tf)
    loader = DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True)
    torch.manual_seed(0)
    model = CrackNet(len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        torch.save({"model": model.state_dict(), "epoch": epoch}, os.path.join(run_dir, "last.pt"))
    return {"image_size": image_size, "lr": lr, "final_loss": round(loss.item(), 4)}''',
    '''results = []
for image_size, lr in itertools.product(cfg["image_sizes"], cfg["lrs"]):
    results.append(run_trial(image_size, lr))
    print(results[-1])''',
]

CRACKS_CFG = cfg({"data_dir": "data/cracks", "out": "runs/cracks_sweep", "batch_size": 8,
                  "image_sizes": [128, 160], "lrs": [1e-3]})

SCRIPTS["resume-run-folder-named-without-backbone"] = '''
import argparse
import csv
import itertools
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T


def get_args():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/grid.json")
    p.add_argument("--out", default="runs/grid")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    a = p.parse_args()
    cfg = json.load(open(a.config))
    cfg.update({k: v for k, v in vars(a).items() if v is not None and k != "config"})
    return cfg


def run(cfg, lr, backbone):
    run_dir = os.path.join(cfg["out"], f"lr{lr:g}_bs{cfg['batch_size']}")
    os.makedirs(run_dir, exist_ok=True)
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
    train_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "train"), tf)
    model = getattr(models, backbone)(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    start_epoch, best = 0, 0.0
    last = os.path.join(run_dir, "last.pt")
    if os.path.exists(last):                  # interrupted last night: pick up where it stopped
        ckpt = torch.load(last, map_location="cpu")
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        start_epoch, best = ckpt["epoch"] + 1, ckpt["best"]
        print(f"resuming {backbone} lr={lr:g} from epoch {start_epoch}", flush=True)
    for epoch in range(start_epoch, cfg["epochs"]):
        model.train()
        for x, y in DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        best = max(best, -loss.item())
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch, "best": best}, last)
        print(f"{backbone} lr={lr:g} epoch {epoch}: loss {loss.item():.4f}", flush=True)
    return best


if __name__ == "__main__":
    cfg = get_args()
    rows = []
    for lr, backbone in itertools.product(cfg["lrs"], cfg["backbones"]):
        rows.append({"lr": lr, "backbone": backbone, "best": run(cfg, lr, backbone)})
    with open(os.path.join(cfg["out"], "summary.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["lr", "backbone", "best"])
        w.writeheader()
        w.writerows(rows)
'''

GRID_CFG = cfg({"data_dir": "data/parts", "image_size": 64, "batch_size": 8, "epochs": 2,
                "lrs": [0.001, 0.01], "backbones": ["resnet18", "resnet34"]})

GRID_PREP = '''
import os, torch, torchvision
os.makedirs("runs/grid/lr0.001_bs8", exist_ok=True)
torch.manual_seed(0)
m = torchvision.models.resnet18(weights=None, num_classes=3)
opt = torch.optim.SGD(m.parameters(), lr=0.001, momentum=0.9, weight_decay=5e-4)
torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "epoch": 1, "best": -0.91},
           "runs/grid/lr0.001_bs8/last.pt")
'''

SCRIPTS["backbone-sweep-shared-head-feature-dim-512"] = '''
import argparse
import csv
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T

FEAT_DIM = 512          # pooled feature size of the backbone


def build_model(backbone, num_classes, dropout):
    net = getattr(models, backbone)(weights=None)
    # strip the ImageNet classifier, keep the pooled features; the same head for every backbone
    if hasattr(net, "fc"):
        net.fc = nn.Identity()
    else:
        net.classifier = nn.Identity()
    return nn.Sequential(net, nn.Dropout(dropout), nn.Linear(FEAT_DIM, num_classes))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/backbones.json")
    p.add_argument("--backbones", nargs="+")
    p.add_argument("--dropout", type=float)
    a = p.parse_args()
    cfg = json.load(open(a.config))
    cfg.update({k: v for k, v in vars(a).items() if v is not None and k != "config"})
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor(),
                    T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
    train_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "train"), tf)
    results = []
    for backbone in cfg["backbones"]:
        torch.manual_seed(cfg["seed"])
        run_dir = os.path.join(cfg["out"], backbone)
        os.makedirs(run_dir, exist_ok=True)
        model = build_model(backbone, len(train_ds.classes), cfg["dropout"])
        opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
        for epoch in range(cfg["epochs"]):
            model.train()
            for x, y in DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True):
                loss = nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
            torch.save({"model": model.state_dict(), "epoch": epoch}, os.path.join(run_dir, "last.pt"))
            print(f"{backbone} epoch {epoch}: loss {loss.item():.4f}", flush=True)
        results.append((backbone, loss.item()))
    with open(os.path.join(cfg["out"], "backbones.csv"), "w", newline="") as f:
        csv.writer(f).writerows([("backbone", "final_loss"), *results])


if __name__ == "__main__":
    main()
'''

BACKBONES_CFG = cfg({"data_dir": "data/tools", "out": "runs/backbones", "image_size": 64, "batch_size": 8,
                     "lr": 1e-3, "epochs": 1, "seed": 0, "dropout": 0.2,
                     "backbones": ["resnet18", "mobilenet_v3_small", "efficientnet_b0"]})

SCRIPTS["resume-last-pt-truncated-by-preemption"] = '''
import argparse
import glob
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T


def main():
    p = argparse.ArgumentParser(description="resumable random-search worker (preemptible queue)")
    p.add_argument("--sweep-dir", default="runs/search_v2")
    p.add_argument("--epochs", type=int, default=3)
    a = p.parse_args()
    for trial_dir in sorted(glob.glob(os.path.join(a.sweep_dir, "trial_*"))):
        hp = json.load(open(os.path.join(trial_dir, "hparams.json")))
        if os.path.exists(os.path.join(trial_dir, "DONE")):
            print(f"{os.path.basename(trial_dir)}: done, skipping")
            continue
        tf = T.Compose([T.Resize((hp["image_size"], hp["image_size"])), T.ToTensor()])
        train_ds = datasets.ImageFolder(hp["data_dir"], tf)
        model = getattr(models, hp["backbone"])(weights=None, num_classes=len(train_ds.classes))
        opt = torch.optim.AdamW(model.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
        start = 0
        last = os.path.join(trial_dir, "last.pt")
        if os.path.exists(last):
            print(f"{os.path.basename(trial_dir)}: resuming from {last}", flush=True)
            ckpt = torch.load(last, map_location="cpu")
            model.load_state_dict(ckpt["model"])
            opt.load_state_dict(ckpt["optimizer"])
            start = ckpt["epoch"] + 1
        for epoch in range(start, a.epochs):
            for x, y in DataLoader(train_ds, batch_size=hp["batch_size"], shuffle=True):
                loss = nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
            torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch}, last)
        open(os.path.join(trial_dir, "DONE"), "w").close()


if __name__ == "__main__":
    main()
'''

TRUNC_PREP = '''
import json, os, torch, torchvision
for t, (lr, done) in enumerate([(3e-4, True), (1e-3, True), (2e-3, False)]):
    d = f"runs/search_v2/trial_{t:03d}"
    os.makedirs(d, exist_ok=True)
    hp = {"data_dir": "data/pets/train", "backbone": "resnet18", "image_size": 64, "lr": lr, "weight_decay": 0.01,
          "batch_size": 8}
    json.dump(hp, open(f"{d}/hparams.json", "w"))
    m = torchvision.models.resnet18(weights=None, num_classes=3)
    opt = torch.optim.AdamW(m.parameters(), lr=lr, weight_decay=0.01)
    torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "epoch": 2 if done else 1}, f"{d}/last.pt")
    if done:
        open(f"{d}/DONE", "w").close()
    else:
        # the node was preempted while torch.save was writing this file
        b = open(f"{d}/last.pt", "rb").read()
        open(f"{d}/last.pt", "wb").write(b[: int(len(b) * 0.6)])
'''

SCRIPTS["random-search-batch-size-numpy-int64"] = '''
import argparse
import json
import os

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T

p = argparse.ArgumentParser()
p.add_argument("--config", default="configs/random_search.json")
p.add_argument("--n-trials", type=int)
p.add_argument("--seed", type=int)
args = p.parse_args()
cfg = json.load(open(args.config))
cfg.update({k: v for k, v in vars(args).items() if v is not None and k != "config"})

rng = np.random.default_rng(cfg["seed"])
tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
train_ds = datasets.ImageFolder(os.path.join(cfg["data_dir"], "train"), tf)
for t in range(cfg["n_trials"]):
    hp = {
        "lr": float(10 ** rng.uniform(np.log10(cfg["lr_min"]), np.log10(cfg["lr_max"]))),
        "batch_size": rng.choice(cfg["batch_sizes"]),
        "weight_decay": float(rng.choice([0.0, 1e-4, 1e-3])),
    }
    print(f"trial {t}: {hp}", flush=True)
    run_dir = os.path.join(cfg["out"], f"trial_{t:03d}")
    os.makedirs(run_dir, exist_ok=True)
    loader = DataLoader(train_ds, batch_size=hp["batch_size"], shuffle=True)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.AdamW(model.parameters(), lr=hp["lr"], weight_decay=hp["weight_decay"])
    for epoch in range(cfg["epochs"]):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch, "hp": hp},
                   os.path.join(run_dir, "last.pt"))
'''

RS_CFG = cfg({"data_dir": "data/signs", "out": "runs/random_search", "image_size": 48, "epochs": 2, "n_trials": 20,
              "seed": 42, "lr_min": 1e-4, "lr_max": 3e-2, "batch_sizes": [8, 16, 32]})

SCRIPTS["randaugment-magnitude-grid-up-to-num-bins-workers"] = '''
import argparse
import itertools
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T


def make_loader(cfg, magnitude, num_ops):
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])),
                    T.RandAugment(num_ops=num_ops, magnitude=magnitude),
                    T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))])
    ds = datasets.ImageFolder(cfg["train_dir"], tf)
    return ds, DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True, num_workers=cfg["num_workers"],
                          persistent_workers=False)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/randaug.json")
    p.add_argument("--num-workers", type=int)
    a = p.parse_args()
    cfg = json.load(open(a.config))
    if a.num_workers is not None:
        cfg["num_workers"] = a.num_workers
    # RandAugment strength grid, from mild to the top of its range (num_magnitude_bins=31)
    for magnitude, num_ops in itertools.product(cfg["magnitudes"], cfg["num_ops"]):
        torch.manual_seed(0)
        name = f"ra_m{magnitude}_n{num_ops}"
        os.makedirs(os.path.join(cfg["out"], name), exist_ok=True)
        ds, loader = make_loader(cfg, magnitude, num_ops)
        model = models.resnet18(weights=None, num_classes=len(ds.classes))
        opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)
        for epoch in range(cfg["epochs"]):
            for x, y in loader:
                loss = nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
            torch.save(model.state_dict(), os.path.join(cfg["out"], name, f"epoch{epoch}.pt"))
        print(f"{name}: final loss {loss.item():.4f}", flush=True)


if __name__ == "__main__":
    main()
'''

RA_CFG = cfg({"train_dir": "data/coins/train", "out": "runs/randaug", "image_size": 48, "batch_size": 8, "lr": 0.01,
              "epochs": 1, "num_workers": 2, "magnitudes": [9, 31], "num_ops": [2]})

# ================================================================== optimisation
SCRIPTS["log-lr-grid-height-regressor-mae-by-bin-histogram"] = """
import argparse
import csv
import json
import os

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
""" + SMALLNET + """

class HeightDataset(Dataset):
    \"\"\"seedling photos + heights.csv (file,height_cm) measured by hand\"\"\"

    def __init__(self, root, rows, size):
        self.root, self.rows = root, rows
        self.tf = T.Compose([T.Resize((size, size)), T.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, h = self.rows[i]
        return self.tf(Image.open(os.path.join(self.root, name)).convert("RGB")), torch.tensor(float(h))


def evaluate(model, loader, n_bins):
    \"\"\"MAE overall and per predicted-height bin, for the sweep's summary CSV\"\"\"
    model.eval()
    preds, targets = [], []
    with torch.no_grad():
        for x, y in loader:
            preds.append(model(x).squeeze(1))
            targets.append(y)
    pred, target = torch.cat(preds).numpy(), torch.cat(targets).numpy()
    err = np.abs(pred - target)
    counts, edges = np.histogram(pred, bins=n_bins)
    which = np.clip(np.digitize(pred, edges[1:-1]), 0, n_bins - 1)
    per_bin = [float(err[which == b].mean()) if counts[b] else float("nan") for b in range(n_bins)]
    return float(err.mean()), per_bin


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/lr_grid.json")
    p.add_argument("--epochs", type=int)
    a = p.parse_args()
    cfg = json.load(open(a.config))
    if a.epochs:
        cfg["epochs"] = a.epochs
    rows = list(csv.reader(open(os.path.join(cfg["data_dir"], "heights.csv"))))[1:]
    split = int(len(rows) * 0.75)
    train_ds = HeightDataset(os.path.join(cfg["data_dir"], "images"), rows[:split], cfg["image_size"])
    val_ds = HeightDataset(os.path.join(cfg["data_dir"], "images"), rows[split:], cfg["image_size"])
    train_dl = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True)
    val_dl = DataLoader(val_ds, batch_size=cfg["batch_size"])
    lrs = np.logspace(np.log10(cfg["lr_min"]), np.log10(cfg["lr_max"]), cfg["n_lrs"])
    os.makedirs(cfg["out"], exist_ok=True)
    with open(os.path.join(cfg["out"], "lr_grid.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["lr", "epoch", "train_mse", "val_mae", *[f"mae_bin{b}" for b in range(cfg["n_bins"])]])
        for lr in lrs:
            torch.manual_seed(cfg["seed"])
            model = SmallNet(1)
            opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
            run_dir = os.path.join(cfg["out"], f"lr{lr:.0e}")
            os.makedirs(run_dir, exist_ok=True)
            for epoch in range(cfg["epochs"]):
                model.train()
                for x, y in train_dl:
                    loss = nn.functional.mse_loss(model(x).squeeze(1), y)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                mae, per_bin = evaluate(model, val_dl, cfg["n_bins"])
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
                           os.path.join(run_dir, "last.pt"))
                w.writerow([f"{lr:.1e}", epoch, f"{loss.item():.2f}", f"{mae:.2f}", *[f"{m:.2f}" for m in per_bin]])
                print(f"lr={lr:.1e} epoch {epoch}: train_mse {loss.item():.2f} val_mae {mae:.2f} cm", flush=True)


if __name__ == "__main__":
    main()
"""

LR_CFG = cfg({"data_dir": "data/seedlings", "out": "runs/lr_grid", "image_size": 32, "batch_size": 8, "epochs": 3,
              "seed": 0, "lr_min": 1e-4, "lr_max": 1e-1, "n_lrs": 4, "n_bins": 4})


def seedlings(work):
    import random
    make_images(work, [(f"data/seedlings/images/pot_{i:03d}.jpg", (64, 64), "RGB") for i in range(24)])
    rnd = random.Random(4)
    (work / "data/seedlings/heights.csv").write_text(
        "file,height_cm\n" + "".join(f"pot_{i:03d}.jpg,{rnd.uniform(12, 85):.1f}\n" for i in range(24)))


SCRIPTS["weight-decay-grid-l2-penalty-computed-once-tqdm"] = '''
import argparse
import csv
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T
from tqdm import tqdm


def l2_penalty(model):
    return sum((p ** 2).sum() for n, p in model.named_parameters() if "bn" not in n and "bias" not in n)


def run_trial(cfg, wd, train_ds):
    run_dir = os.path.join(cfg["out"], f"wd_{wd:g}")
    os.makedirs(run_dir, exist_ok=True)
    torch.manual_seed(0)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)   # decay done by hand below
    loader = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True)
    reg = wd * l2_penalty(model)          # this trial's weight decay term
    for epoch in range(cfg["epochs"]):
        model.train()
        for x, y in tqdm(loader, desc=f"wd={wd:g} epoch {epoch}", ncols=90):
            loss = nn.functional.cross_entropy(model(x), y) + reg
            opt.zero_grad()
            loss.backward()
            opt.step()
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch},
                   os.path.join(run_dir, "last.pt"))
    return loss.item()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/wd.json")
    p.add_argument("--wds", type=float, nargs="+")
    a = p.parse_args()
    cfg = json.load(open(a.config))
    if a.wds:
        cfg["wds"] = a.wds
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
    train_ds = datasets.ImageFolder(cfg["train_dir"], tf)
    with open(os.path.join(cfg["out"], "wd_sweep.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["weight_decay", "final_loss"])
        for wd in cfg["wds"]:
            w.writerow([wd, run_trial(cfg, wd, train_ds)])
'''

WD_CFG = cfg({"train_dir": "data/seeds/train", "out": "runs/wd_sweep", "image_size": 48, "batch_size": 8,
              "lr": 0.01, "epochs": 2, "wds": [1e-4, 5e-4, 1e-3]})

# ================================================================== resource / environment / other
SCRIPTS["cached-augmented-views-every-grid-size-memory-cap"] = '''
import json
import os
import resource

import torch
from torchvision import datasets
from torchvision import transforms as T

# the workstation's per-user memory limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 30, resource.RLIM_INFINITY))

cfg = json.load(open("configs/cache.json"))
src = datasets.ImageFolder(cfg["train_dir"])
print(f"{len(src)} images, sizes {cfg['image_sizes']}, {cfg['views_per_image']} views each")

# decode + augment once, up front: every trial of the grid then reads its image size from RAM
cache = {}
for size in cfg["image_sizes"]:
    n = len(src) * cfg["views_per_image"]
    cache[size] = torch.empty((n, 3, size, size), dtype=torch.float32)
    print(f"allocated {size}px cache: {cache[size].numel() * 4 / 2 ** 30:.2f} GiB", flush=True)
for size, views in cache.items():
    aug = T.Compose([T.RandomResizedCrop(size, scale=(0.5, 1.0)), T.RandomHorizontalFlip(), T.ToTensor()])
    for i, (img, _) in enumerate(src):
        for v in range(cfg["views_per_image"]):
            views[i * cfg["views_per_image"] + v] = aug(img)
torch.save({s: v.half() for s, v in cache.items()}, os.path.join(cfg["out"], "view_cache.pt"))
'''

CACHE_CFG = cfg({"train_dir": "data/insects/train", "out": "runs", "image_sizes": [224, 320, 448],
                 "views_per_image": 32})

SCRIPTS["parallel-trials-pool-with-dataloader-workers"] = '''
import itertools
import json
import os
from multiprocessing import Pool

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T

CFG = json.load(open("configs/parallel.json"))


def run_trial(hp):
    lr, bs = hp
    name = f"lr{lr:g}_bs{bs}"
    run_dir = os.path.join(CFG["out"], name)
    os.makedirs(run_dir, exist_ok=True)
    torch.set_num_threads(2)
    tf = T.Compose([T.Resize((CFG["image_size"], CFG["image_size"])), T.ToTensor()])
    ds = datasets.ImageFolder(CFG["train_dir"], tf)
    loader = DataLoader(ds, batch_size=bs, shuffle=True, num_workers=CFG["num_workers"])
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(CFG["epochs"]):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        torch.save({"model": model.state_dict(), "epoch": epoch}, os.path.join(run_dir, "last.pt"))
    return name, loss.item()


if __name__ == "__main__":
    grid = list(itertools.product(CFG["lrs"], CFG["batch_sizes"]))
    print(f"{len(grid)} trials, {CFG['parallel']} at a time")
    with Pool(CFG["parallel"]) as pool:          # 16 cores: run two trials side by side
        results = pool.map(run_trial, grid)
    for name, loss in sorted(results, key=lambda r: r[1]):
        print(f"{name}: {loss:.4f}")
'''

PAR_CFG = cfg({"train_dir": "data/flowers/train", "out": "runs/parallel", "image_size": 48, "epochs": 2,
               "num_workers": 2, "parallel": 2, "lrs": [1e-3, 3e-4], "batch_sizes": [8, 16]})

SCRIPTS["resume-checkpoint-with-pathlib-config-weights-only"] = '''
import argparse
import json
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T


def get_config():
    p = argparse.ArgumentParser()
    p.add_argument("--config", type=Path, default=Path("configs/trial_04.json"))
    p.add_argument("--out", type=Path, default=Path("runs/search/trial_04"))
    p.add_argument("--resume", action="store_true")
    p.add_argument("--epochs", type=int)
    args = p.parse_args()
    cfg = json.loads(args.config.read_text())
    cfg.update({k: v for k, v in vars(args).items() if v is not None and k != "config"})
    return cfg


def main():
    cfg = get_config()
    out = cfg["out"]
    out.mkdir(parents=True, exist_ok=True)
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
    train_ds = datasets.ImageFolder(cfg["data_dir"], tf)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg["epochs"])
    start = 0
    if cfg["resume"] and (out / "last.pt").exists():
        ckpt = torch.load(out / "last.pt")
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        sched.load_state_dict(ckpt["scheduler"])
        start = ckpt["epoch"] + 1
        print(f"resumed {out} at epoch {start}", flush=True)
    for epoch in range(start, cfg["epochs"]):
        for x, y in DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        sched.step()
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                    "epoch": epoch, "config": cfg}, out / "last.pt")
        print(f"epoch {epoch}: loss {loss.item():.4f}", flush=True)


if __name__ == "__main__":
    main()
'''

T04_CFG = cfg({"data_dir": "data/dogs/train", "image_size": 48, "lr": 5e-4, "weight_decay": 0.05, "batch_size": 8,
               "epochs": 4})

T04_PREP = '''
# the run before the weekend, with the torch of the old cluster image (weights_only=False by default then)
from pathlib import Path
import torch, torchvision
out = Path("runs/search/trial_04")
out.mkdir(parents=True, exist_ok=True)
m = torchvision.models.resnet18(weights=None, num_classes=3)
opt = torch.optim.AdamW(m.parameters(), lr=5e-4, weight_decay=0.05)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
cfg = {"data_dir": "data/dogs/train", "image_size": 48, "lr": 5e-4, "weight_decay": 0.05, "batch_size": 8,
       "epochs": 4, "out": out, "resume": False}
torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "epoch": 1,
            "config": cfg}, out / "last.pt")
'''

SCRIPTS["torchrun-sweep-init-process-group-every-trial"] = '''
import argparse
import json
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models
from torchvision import transforms as T


def run_trial(cfg, lr):
    dist.init_process_group(backend=cfg["backend"])
    rank = dist.get_rank()
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
    ds = datasets.ImageFolder(cfg["train_dir"], tf)
    sampler = DistributedSampler(ds, shuffle=True, seed=0)
    loader = DataLoader(ds, batch_size=cfg["batch_size"], sampler=sampler)
    torch.manual_seed(0)
    model = DDP(models.resnet18(weights=None, num_classes=len(ds.classes)))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    for epoch in range(cfg["epochs"]):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if rank == 0:
            run_dir = os.path.join(cfg["out"], f"lr{lr:g}")
            os.makedirs(run_dir, exist_ok=True)
            torch.save({"model": model.module.state_dict(), "epoch": epoch}, os.path.join(run_dir, "last.pt"))
            print(f"[lr={lr:g}] epoch {epoch}: loss {loss.item():.4f}", flush=True)
    return loss.item()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/ddp_sweep.json")
    p.add_argument("--backend")
    a = p.parse_args()
    cfg = json.load(open(a.config))
    if a.backend:
        cfg["backend"] = a.backend
    for lr in cfg["lrs"]:
        run_trial(cfg, lr)
'''

DDP_CFG = cfg({"train_dir": "data/cells/train", "out": "runs/ddp_sweep", "image_size": 48, "batch_size": 4,
               "epochs": 1, "backend": "nccl", "lrs": [0.01, 0.003, 0.001]})

SCRIPTS["cluster-json-config-device-cuda-on-laptop"] = '''
import argparse
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T

p = argparse.ArgumentParser(description="re-run the best trial of the cluster sweep locally")
p.add_argument("--config", default="runs/cluster_sweep/trial_031/config.json")
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--data-dir", default="data/wood/train")
p.add_argument("--num-workers", type=int, default=0)
args = p.parse_args()
with open(args.config) as f:
    cfg = json.load(f)
cfg.update(epochs=args.epochs, data_dir=args.data_dir, num_workers=args.num_workers)
print("config:", cfg)

device = torch.device(cfg["device"])
tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
train_ds = datasets.ImageFolder(cfg["data_dir"], tf)
loader = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True, num_workers=cfg["num_workers"],
                    pin_memory=cfg["pin_memory"])
model = getattr(models, cfg["backbone"])(weights=None, num_classes=len(train_ds.classes)).to(device)
opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
os.makedirs("runs/local_rerun", exist_ok=True)
for epoch in range(cfg["epochs"]):
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save(model.state_dict(), f"runs/local_rerun/epoch{epoch}.pt")
'''

CLUSTER_CFG = cfg({"trial": 31, "backbone": "resnet18", "image_size": 48, "batch_size": 8, "lr": 0.0007,
                   "weight_decay": 0.02, "epochs": 40, "device": "cuda", "pin_memory": True, "num_workers": 8,
                   "data_dir": "/scratch/jdoe/wood/train"})

SCRIPTS["summary-csv-dictwriter-fields-from-first-trial"] = '''
import argparse
import csv
import json
import os
import random

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision import transforms as T
''' + SMALLNET + '''

def sample(rng):
    hp = {"optimizer": rng.choice(["adam", "sgd"]), "lr": round(10 ** rng.uniform(-4, -2), 6),
          "batch_size": rng.choice([8, 16])}
    if hp["optimizer"] == "sgd":
        hp["momentum"] = rng.choice([0.8, 0.9, 0.95])
    return hp


def train(hp, cfg, ds):
    torch.manual_seed(0)
    model = SmallNet(len(ds.classes))
    if hp["optimizer"] == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=hp["lr"], momentum=hp["momentum"])
    else:
        opt = torch.optim.Adam(model.parameters(), lr=hp["lr"])
    for epoch in range(cfg["epochs"]):
        for x, y in DataLoader(ds, batch_size=hp["batch_size"], shuffle=True):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return loss.item()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/search.json")
    p.add_argument("--trials", type=int)
    a = p.parse_args()
    cfg = json.load(open(a.config))
    if a.trials:
        cfg["trials"] = a.trials
    ds = datasets.ImageFolder(cfg["train_dir"], T.Compose([T.Resize((40, 40)), T.ToTensor()]))
    rng = random.Random(cfg["seed"])
    os.makedirs(cfg["out"], exist_ok=True)
    writer = None
    with open(os.path.join(cfg["out"], "summary.csv"), "w", newline="") as f:
        for t in range(cfg["trials"]):
            hp = sample(rng)
            row = {"trial": t, **hp, "final_loss": round(train(hp, cfg, ds), 4)}
            print(row, flush=True)
            if writer is None:
                writer = csv.DictWriter(f, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
'''

SEARCH_CFG = cfg({"train_dir": "data/shells/train", "out": "runs/search", "epochs": 1, "trials": 12, "seed": 1})

SCRIPTS["trial-config-json-with-torch-device"] = '''
import argparse
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision import transforms as T


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--config", default="configs/defaults.json")
    p.add_argument("--lr", type=float)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--image-size", type=int)
    p.add_argument("--name", required=True)
    return p.parse_args()


def main():
    args = parse_args()
    cfg = json.load(open(args.config))
    cfg.update({k: v for k, v in vars(args).items() if v is not None and k != "config"})
    cfg["device"] = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    run_dir = os.path.join(cfg["out"], cfg["name"])
    os.makedirs(run_dir, exist_ok=True)
    # the merged config next to the checkpoints, so every trial can be reproduced
    with open(os.path.join(run_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    tf = T.Compose([T.Resize((cfg["image_size"], cfg["image_size"])), T.ToTensor()])
    ds = datasets.ImageFolder(cfg["data_dir"], tf)
    model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(cfg["device"])
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    for epoch in range(cfg["epochs"]):
        for x, y in DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True):
            loss = nn.functional.cross_entropy(model(x.to(cfg["device"])), y.to(cfg["device"]))
            opt.zero_grad()
            loss.backward()
            opt.step()
        torch.save(model.state_dict(), os.path.join(run_dir, f"epoch{epoch:03d}.pt"))


if __name__ == "__main__":
    main()
'''

DEFAULTS_CFG = cfg({"data_dir": "data/rocks/train", "out": "runs", "image_size": 64, "batch_size": 16, "lr": 1e-3,
                    "epochs": 10})


def cases():
    out, add, script, notebook = case_builders("torch-more80-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    NB = ("ipython_cell", "ipython_arrows")
    TR = ("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2")

    def folders(root, classes, per, size=(56, 56), splits=("train",), per_val=2):
        specs = []
        for s in splits:
            specs += class_folder(f"{root}/{s}", classes, per if s == "train" else per_val, size=size)
        return imgs(specs)

    # ---- data
    script("aug-strength-grid-scale-jitter-per-sample-workers", "data.image_size_mismatch", forms=W,
           argv="sweep_aug.py", extra={"configs/sweep_aug.json": AUG_CFG},
           setup=folders("data/leaves", ["maple", "oak", "birch"], 6, size=(80, 72), splits=("train", "val")))
    script("strong-aug-randomapply-grayscale-before-normalize-tqdm", "data.image_channels", forms=P,
           argv="random_search.py", args=("--trials", "6"),
           extra={"configs/search.json": cfg({"data_dir": "data/moths", "out": "runs/moth_search", "batch_size": 8,
                                              "epochs": 1, "trials": 20, "seed": 3}),
                  "runs/moth_search/.keep": ""},
           setup=folders("data/moths", ["atlas", "luna", "sphinx", "tiger"], 6, size=(96, 96)))
    notebook("classes-override-two-class-trial-imagefolder-keeps-all-notebook", "data.label_out_of_range",
             also=["model.output_mismatch"], forms=NB,
             files={"configs/base.json": cfg({"data_dir": "data/apple_leaves", "out": "runs/apple",
                                              "classes": ["healthy", "rust", "scab"], "image_size": 64,
                                              "batch_size": 8, "lr": 1e-3, "epochs": 10, "seed": 0})},
             setup=folders("data/apple_leaves", ["healthy", "rust", "scab"], 5, size=(72, 72)))
    script("chdir-into-trial-folder-relative-data-dir", "data.missing_or_corrupt", argv="lr_sweep.py",
           extra={"configs/birds.json": BIRDS_CFG},
           setup=folders("data/birds", ["finch", "robin", "wren"], 4, size=(72, 64), splits=("train", "val")))
    script("trial-runs-kept-under-data-folder-imagefolder-class", "data.missing_or_corrupt",
           argv="size_sweep.py", args=("configs/fungi.json",), extra={"configs/fungi.json": FUNGI_CFG},
           setup=imgs(class_folder("data/fungi", ["amanita", "boletus", "chanterelle"], 5, size=(96, 80))))
    script("mix-alpha-grid-cutmix-soft-targets-running-accuracy-tqdm", "data.label_shape", forms=P,
           argv="mix_sweep.py", extra={"configs/mix.json": MIX_CFG},
           setup=folders("data/textures", ["brick", "grass", "gravel", "wood"], 6, size=(72, 72)))
    script("fp16-checkpoints-via-model-half-mid-training", "data.dtype", argv="train_trial.py",
           extra={"configs/trial_017.json": TRIAL17_CFG},
           setup=folders("data/fabric", ["cotton", "denim", "wool"], 5, size=(64, 64), splits=("train", "val")))
    script("imageai-quick-trials-ten-percent-subset-anchor-kmeans", "data.too_few_boxes", framework="imageai",
           argv="sweep_potholes.py", timeout=400,
           setup=yolo_layout("potholes", lambda split, i: f"0 0.{30 + i % 40} 0.{45 + i % 30} 0.{12 + i % 9} 0.{10 + i % 7}\n",
                             size=(160, 120), splits=(("train", 20), ("validation", 2))))

    # ---- model
    notebook("image-size-sweep-cnn-linear-sized-for-128-notebook", "model.input_shape", forms=NB,
             files={"configs/cracks.json": CRACKS_CFG},
             setup=imgs(class_folder("data/cracks", ["crack", "no_crack"], 6, size=(180, 180))))
    script("resume-run-folder-named-without-backbone", "model.weights_mismatch", argv="grid.py",
           extra={"configs/grid.json": GRID_CFG},
           setup=both(folders("data/parts", ["bolt", "nut", "washer"], 4, size=(64, 64)), prep(GRID_PREP)))
    script("backbone-sweep-shared-head-feature-dim-512", "model.output_mismatch", also=["model.input_shape"],
           argv="backbone_sweep.py", extra={"configs/backbones.json": BACKBONES_CFG},
           setup=folders("data/tools", ["hammer", "pliers", "saw", "wrench"], 4, size=(72, 72)))
    script("resume-last-pt-truncated-by-preemption", "model.weights_mismatch", also=["data.missing_or_corrupt"],
           argv="search_worker.py",
           setup=both(folders("data/pets", ["cat", "dog", "rabbit"], 4, size=(64, 64)), prep(TRUNC_PREP)))
    script("random-search-batch-size-numpy-int64", "model.api_misuse", also=["data.dtype"],
           argv="random_search.py", extra={"configs/random_search.json": RS_CFG},
           setup=folders("data/signs", ["stop", "yield", "speed"], 5, size=(56, 56)))
    script("randaugment-magnitude-grid-up-to-num-bins-workers", "model.api_misuse", forms=W,
           argv="randaug_sweep.py", extra={"configs/randaug.json": RA_CFG},
           setup=folders("data/coins", ["cent", "dime", "nickel", "quarter"], 4, size=(64, 64)))

    # ---- optimisation
    script("log-lr-grid-height-regressor-mae-by-bin-histogram", "optim.divergence", argv="lr_grid.py",
           extra={"configs/lr_grid.json": LR_CFG}, setup=seedlings)
    script("weight-decay-grid-l2-penalty-computed-once-tqdm", "optim.autograd_graph", forms=P,
           argv="wd_sweep.py", extra={"configs/wd.json": WD_CFG, "runs/wd_sweep/.keep": ""},
           setup=folders("data/seeds", ["barley", "oat", "rye", "wheat"], 4, size=(56, 56)))

    # ---- resource / environment / other
    script("cached-augmented-views-every-grid-size-memory-cap", "resource.host_memory", argv="build_cache.py",
           extra={"configs/cache.json": CACHE_CFG},
           setup=folders("data/insects", ["ant", "bee", "beetle", "fly", "moth"], 8, size=(48, 48)))
    script("parallel-trials-pool-with-dataloader-workers", "env.multiprocessing", argv="parallel_sweep.py",
           extra={"configs/parallel.json": PAR_CFG},
           setup=folders("data/flowers", ["daisy", "rose", "tulip"], 4, size=(56, 56)))
    script("resume-checkpoint-with-pathlib-config-weights-only", "env.version_incompat", argv="train.py",
           args=("--resume",), extra={"configs/trial_04.json": T04_CFG},
           setup=both(folders("data/dogs", ["beagle", "collie", "pug"], 4, size=(56, 56)), prep(T04_PREP)))
    script("torchrun-sweep-init-process-group-every-trial", "env.distributed", forms=("cpython_basic",),
           pre=TR, argv="ddp_sweep.py", args=("--backend", "gloo"), extra={"configs/ddp_sweep.json": DDP_CFG},
           timeout=400, exception="ValueError",  # the ranks' own error; torchrun's ChildFailedError only reports it
           setup=folders("data/cells", ["healthy", "infected"], 4, size=(48, 48)))
    script("cluster-json-config-device-cuda-on-laptop", "env.cuda_setup", also=["env.device_mismatch"],
           argv="rerun_best.py", extra={"runs/cluster_sweep/trial_031/config.json": CLUSTER_CFG},
           setup=folders("data/wood", ["ash", "oak", "pine"], 4, size=(56, 56)))
    script("summary-csv-dictwriter-fields-from-first-trial", "other", argv="search.py",
           extra={"configs/search.json": SEARCH_CFG},
           setup=folders("data/shells", ["conch", "cowrie", "scallop"], 4, size=(48, 48)))
    script("trial-config-json-with-torch-device", "other", argv="train.py",
           args=("--name", "bs32_lr3e-4", "--lr", "3e-4", "--batch-size", "32"),
           extra={"configs/defaults.json": DEFAULTS_CFG},
           setup=folders("data/rocks", ["basalt", "granite", "marble"], 4, size=(56, 56)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
