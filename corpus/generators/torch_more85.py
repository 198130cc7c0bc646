"""An eighty-fifth held-out set (g159, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: a small team that wrote its own training framework for image models in plain PyTorch instead of using
Lightning (``trainkit``, built here as a real package in every case): a ``Trainer`` class with hooks
(``training_step`` / ``optimizer_step`` / ``evaluate`` that reuses the training step) and callbacks (tqdm progress,
automatic checkpointing with resume, LR scheduling, a JSON history writer), dataclass configs loaded from JSON files,
model / dataset / loss / optimizer / scheduler / callback registries keyed by name, a metrics tracker, a
``DetectionTrainer`` for torchvision detectors, a DDP path under torchrun and a ``predict.py`` CLI. A natural mix of
causes, each program built so that its cause is known by construction and made to fail inside torch, torchvision,
PIL, NumPy, SciPy, json or multiprocessing; the failures come from their data, their models and the framework's glue:

- data: a validation transform that resizes the short side without a crop (in workers, data.image_size_mismatch),
  a ``"grayscale": true`` X-ray config into the registry's 3-channel CNN (data.image_channels), the predict CLI on a
  folder of RGBA screenshots (data.image_channels), a CVAT COCO export converted to the ``boxes.csv`` x1,y1,x2,y2
  columns straight from ``bbox`` (data.bbox_invalid), a manifest whose labels come 1-based from the labelling
  database (tqdm, data.label_out_of_range), ``"loss": "bce"`` tried on a single-label folder (data.label_shape), an
  ``.npz`` cache written with float32 labels (data.dtype), an ``.npz`` cache cut short by a killed prepare job
  (data.missing_or_corrupt), a new export tool writing manifest paths relative to the CSV (in workers,
  data.missing_or_corrupt), an auto-anchor callback run on the first labelling session's four boxes
  (data.too_few_boxes);
- model: ``img_size`` raised to 96 for the registry's ``simple_cnn`` (tqdm, model.input_shape), a one-channel
  ``tiny_unet`` road mask head under ``cross_entropy`` (model.output_mismatch), the predict CLI on a checkpoint
  from a ``"compile": true`` run (model.weights_mismatch), ``"lr": "3e-4"`` as a JSON string (model.api_misuse), the
  ``plateau`` scheduler under the framework's LR callback that calls ``step()`` (model.api_misuse);
- optimisation: a crowd-count regressor on raw counts with SGD under the config's ``detect_anomaly``
  (optim.divergence), a SAM ``Trainer`` subclass whose ``training_step`` calls ``backward`` itself, reused by
  ``evaluate()`` under ``no_grad`` (notebook, optim.autograd_graph), an EMA callback that updates its copy in place
  outside ``no_grad`` (optim.autograd_graph);
- resource / environment / other: a RAM cache of full-resolution float tensors under the lab box's ``ulimit -d``
  (resource.host_memory), ``"device": "cuda"`` kept from the GPU server's config on a laptop (env.cuda_setup), a
  ``spawn`` DataLoader context with a lambda EXIF transform (env.multiprocessing), a deep-supervision aux head
  switched off with ``aux_weight: 0`` under DDP (torchrun, gloo, env.distributed), resuming a checkpoint from the
  framework's old version that pickled the config dataclass, under the ``weights_only`` default
  (env.version_incompat), a metrics tracker fed detached loss tensors "to avoid a sync" and the JSON history
  callback (other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more85.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import json  # noqa: E402

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     )
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more85.py"

# ================================================================== the framework (trainkit)
FW = {}

FW["trainkit/__init__.py"] = '''
"""trainkit: our small training framework (Trainer + hooks + callbacks, registries, JSON configs)."""
from .config import TrainConfig
from .registry import MODELS, DATASETS, LOSSES, OPTIMIZERS, SCHEDULERS, CALLBACKS, TRAINERS
from . import models, datasets, losses, optim, callbacks  # noqa: F401  (fill the registries)
from .trainer import Trainer
from . import detection  # noqa: F401
from .builder import build_all, build_loaders
'''

FW["trainkit/registry.py"] = '''
class Registry:
    """name -> builder, so configs can say {"name": "resnet18"}."""

    def __init__(self, kind):
        self.kind = kind
        self._fns = {}

    def register(self, name):
        def deco(fn):
            self._fns[name] = fn
            return fn
        return deco

    def get(self, name):
        try:
            return self._fns[name]
        except KeyError:
            raise KeyError(f"unknown {self.kind} {name!r}; registered: {sorted(self._fns)}") from None

    def build(self, name, *args, **kwargs):
        return self.get(name)(*args, **kwargs)


MODELS = Registry("model")
DATASETS = Registry("dataset")
LOSSES = Registry("loss")
OPTIMIZERS = Registry("optimizer")
SCHEDULERS = Registry("scheduler")
CALLBACKS = Registry("callback")
TRAINERS = Registry("trainer")
'''

FW["trainkit/config.py"] = '''
import dataclasses
import json
from dataclasses import dataclass, field
from typing import Optional


@dataclass
class DataConfig:
    name: str = "image_folder"
    root: str = "data"
    img_size: int = 64
    batch_size: int = 8
    num_workers: int = 0
    mp_context: Optional[str] = None
    val_split: Optional[str] = "val"
    grayscale: bool = False
    args: dict = field(default_factory=dict)


@dataclass
class ModelConfig:
    name: str = "simple_cnn"
    num_classes: int = 2
    args: dict = field(default_factory=dict)


@dataclass
class OptimConfig:
    name: str = "adamw"
    lr: float = 1e-3
    weight_decay: float = 0.0
    scheduler: Optional[str] = None
    scheduler_args: dict = field(default_factory=dict)


@dataclass
class TrainConfig:
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    task: str = "classification"
    loss: str = "cross_entropy"
    loss_args: dict = field(default_factory=dict)
    epochs: int = 2
    device: str = "cpu"
    seed: int = 0
    out_dir: str = "runs/exp"
    resume: Optional[str] = None
    grad_clip: Optional[float] = None
    detect_anomaly: bool = False
    compile: bool = False
    callbacks: list = field(default_factory=lambda: ["progress", "checkpoint"])

    @classmethod
    def from_dict(cls, raw):
        raw = dict(raw)
        return cls(data=DataConfig(**raw.pop("data", {})), model=ModelConfig(**raw.pop("model", {})),
                   optim=OptimConfig(**raw.pop("optim", {})), **raw)

    @classmethod
    def from_json(cls, path):
        with open(path) as f:
            return cls.from_dict(json.load(f))

    def to_dict(self):
        return dataclasses.asdict(self)
'''

FW["trainkit/transforms.py"] = '''
from torchvision import transforms as T

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def build_transforms(img_size, train, grayscale=False):
    ops = []
    if grayscale:
        ops.append(T.Grayscale(num_output_channels=1))
    if train:
        ops += [T.RandomResizedCrop(img_size, scale=(0.6, 1.0)), T.RandomHorizontalFlip()]
    else:
        ops += [T.Resize((img_size, img_size))]
    ops.append(T.ToTensor())
    ops.append(T.Normalize([0.5], [0.5]) if grayscale else T.Normalize(MEAN, STD))
    return T.Compose(ops)
'''

FW["trainkit/datasets.py"] = '''
import csv
import os
from collections import defaultdict

import numpy as np
import torch
from PIL import Image
from torchvision import datasets as tvd
from torchvision.transforms import functional as TF

from .registry import DATASETS


@DATASETS.register("image_folder")
def image_folder(root, split, transform, **_):
    return tvd.ImageFolder(os.path.join(root, split), transform=transform)


@DATASETS.register("cached_folder")
class CachedFolder(torch.utils.data.Dataset):
    """ImageFolder decoded once into RAM (to_tensor at full resolution), augmented from there."""

    def __init__(self, root, split, transform, **_):
        folder = tvd.ImageFolder(os.path.join(root, split))
        self.classes = folder.classes
        self.transform = transform
        self.cache = []
        for i, (path, label) in enumerate(folder.samples):
            self.cache.append((TF.to_tensor(Image.open(path).convert("RGB")), label))
            print(f"  cached {i + 1}/{len(folder.samples)} {path}", flush=True)

    def __len__(self):
        return len(self.cache)

    def __getitem__(self, i):
        x, y = self.cache[i]
        return self.transform(TF.to_pil_image(x)), y


@DATASETS.register("csv_manifest")
class CsvManifest(torch.utils.data.Dataset):
    """<root>/<split>.csv with rows `path,label` (the export of our labelling tool)."""

    def __init__(self, root, split, transform, regression=False, **_):
        self.transform = transform
        with open(os.path.join(root, f"{split}.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        cast = float if regression else int
        self.samples = [(r["path"], cast(r["label"])) for r in rows]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        img = Image.open(path).convert("RGB")
        return self.transform(img), torch.tensor(label)


@DATASETS.register("npz")
class NpzArrays(torch.utils.data.Dataset):
    """<root>/<split>.npz with `images` (N, H, W, 3) uint8 and `labels` (N,), built once by prepare_data.py."""

    def __init__(self, root, split, transform=None, **_):
        z = np.load(os.path.join(root, f"{split}.npz"))
        self.images, self.labels = z["images"], z["labels"]

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = torch.from_numpy(self.images[i]).permute(2, 0, 1).float().div(255)
        return (x - 0.5) / 0.5, torch.as_tensor(self.labels[i])


@DATASETS.register("seg_folder")
class SegFolder(torch.utils.data.Dataset):
    """<root>/<split>/images/*.png + <root>/<split>/masks/*.png (pixel value = class id)."""

    def __init__(self, root, split, transform=None, **_):
        self.dir = os.path.join(root, split)
        self.names = sorted(os.listdir(os.path.join(self.dir, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        img = Image.open(os.path.join(self.dir, "images", self.names[i])).convert("RGB")
        mask = np.array(Image.open(os.path.join(self.dir, "masks", self.names[i])))
        return TF.normalize(TF.to_tensor(img), [0.5] * 3, [0.5] * 3), torch.from_numpy(mask).long()


@DATASETS.register("csv_boxes")
class CsvBoxes(torch.utils.data.Dataset):
    """<root>/<split>/images/*.jpg + <root>/<split>/boxes.csv with rows `image,x1,y1,x2,y2,label`."""

    def __init__(self, root, split, transform=None, **_):
        self.dir = os.path.join(root, split)
        self.boxes = defaultdict(list)
        with open(os.path.join(self.dir, "boxes.csv"), newline="") as f:
            for r in csv.DictReader(f):
                self.boxes[r["image"]].append([float(r["x1"]), float(r["y1"]), float(r["x2"]), float(r["y2"]),
                                               int(r["label"])])
        self.names = sorted(self.boxes)

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = TF.to_tensor(Image.open(os.path.join(self.dir, "images", name)).convert("RGB"))
        b = torch.tensor(self.boxes[name])
        return img, {"boxes": b[:, :4], "labels": b[:, 4].long()}

    def all_boxes(self):
        return np.array([b[:4] for v in self.boxes.values() for b in v], dtype=np.float32)


def detection_collate(batch):
    return tuple(zip(*batch))
'''

FW["trainkit/models.py"] = '''
import torch
import torchvision
from torch import nn

from .registry import MODELS


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


@MODELS.register("simple_cnn")
class SimpleCNN(nn.Module):
    def __init__(self, num_classes, in_chans=3):
        super().__init__()
        self.features = nn.Sequential(conv_bn(in_chans, 16), nn.MaxPool2d(2), conv_bn(16, 32), nn.MaxPool2d(2),
                                      conv_bn(32, 64), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 8 * 8, 128), nn.ReLU(inplace=True), nn.Dropout(0.2),
                                  nn.Linear(128, num_classes))

    def forward(self, x):
        return self.head(self.features(x))


@MODELS.register("resnet18")
def resnet18(num_classes, **_):
    return torchvision.models.resnet18(weights=None, num_classes=num_classes)


@MODELS.register("count_regressor")
class CountRegressor(nn.Module):
    def __init__(self, num_classes=1, **_):
        super().__init__()
        self.features = nn.Sequential(conv_bn(3, 16), nn.MaxPool2d(2), conv_bn(16, 32), nn.AdaptiveAvgPool2d(1))
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.features(x).flatten(1)).squeeze(1)


@MODELS.register("aux_cnn")
class AuxCNN(nn.Module):
    """simple_cnn with a deep-supervision head on the stage-2 features (like Inception's aux_logits)."""

    def __init__(self, num_classes, **_):
        super().__init__()
        self.stage1 = nn.Sequential(conv_bn(3, 16), nn.MaxPool2d(2), conv_bn(16, 32), nn.MaxPool2d(2))
        self.stage2 = nn.Sequential(conv_bn(32, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(64, num_classes)
        self.aux = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, num_classes))

    def forward(self, x):
        f = self.stage1(x)
        logits = self.head(self.stage2(f))
        if self.training:
            return logits, self.aux(f)
        return logits


@MODELS.register("tiny_unet")
class TinyUNet(nn.Module):
    def __init__(self, num_classes, **_):
        super().__init__()
        self.enc1, self.enc2 = conv_bn(3, 16), conv_bn(16, 32)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec = conv_bn(32, 16)
        self.out = nn.Conv2d(16, num_classes, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool(e1))
        return self.out(self.dec(torch.cat([self.up(e2), e1], 1)))


@MODELS.register("fasterrcnn_mobilenet")
def fasterrcnn_mobilenet(num_classes, **kw):
    return torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
        weights=None, weights_backbone=None, num_classes=num_classes, **kw)
'''

FW["trainkit/losses.py"] = '''
import torch.nn.functional as F
from torch import nn

from .registry import LOSSES

LOSSES.register("cross_entropy")(nn.CrossEntropyLoss)
LOSSES.register("bce")(nn.BCEWithLogitsLoss)
LOSSES.register("mse")(nn.MSELoss)
LOSSES.register("smooth_l1")(nn.SmoothL1Loss)


@LOSSES.register("cross_entropy_aux")
class AuxCrossEntropy(nn.Module):
    """CE on the main logits + aux_weight * CE on the deep-supervision logits (training only)."""

    def __init__(self, aux_weight=0.4):
        super().__init__()
        self.aux_weight = aux_weight

    def forward(self, out, y):
        if not isinstance(out, tuple):
            return F.cross_entropy(out, y)
        logits, aux = out
        loss = F.cross_entropy(logits, y)
        if self.aux_weight:
            loss = loss + self.aux_weight * F.cross_entropy(aux, y)
        return loss
'''

FW["trainkit/optim.py"] = '''
import torch

from .registry import OPTIMIZERS, SCHEDULERS


@OPTIMIZERS.register("adamw")
def adamw(params, lr, weight_decay=0.0):
    return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)


@OPTIMIZERS.register("sgd")
def sgd(params, lr, weight_decay=0.0, momentum=0.9):
    return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)


@SCHEDULERS.register("cosine")
def cosine(optimizer, epochs, **_):
    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)


@SCHEDULERS.register("step")
def step(optimizer, epochs, step_size=10, gamma=0.1):
    return torch.optim.lr_scheduler.StepLR(optimizer, step_size=step_size, gamma=gamma)


@SCHEDULERS.register("plateau")
def plateau(optimizer, epochs, patience=2, factor=0.5):
    return torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", patience=patience, factor=factor)
'''

FW["trainkit/metrics.py"] = '''
from collections import defaultdict


class MetricTracker:
    """Running (weighted) means of the step metrics of one epoch, plus the history of the epochs."""

    def __init__(self):
        self.history = []
        self.reset()

    def reset(self):
        self._sum = defaultdict(float)
        self._n = defaultdict(int)

    def update(self, n=1, **values):
        for k, v in values.items():
            self._sum[k] += v * n
            self._n[k] += n

    def compute(self):
        return {k: self._sum[k] / self._n[k] for k in self._sum}


def accuracy(out, y):
    if isinstance(out, tuple):
        out = out[0]
    if out.dim() != 2 or y.dim() != 1:
        return None
    return (out.argmax(1) == y).float().mean().item()
'''

FW["trainkit/callbacks.py"] = '''
import json
import os

import torch
from tqdm import tqdm

from .registry import CALLBACKS


class Callback:
    def on_fit_start(self, trainer):
        pass

    def on_epoch_start(self, trainer):
        pass

    def on_train_batch_end(self, trainer, step, loss):
        pass

    def on_epoch_end(self, trainer, logs):
        pass

    def on_fit_end(self, trainer):
        pass


@CALLBACKS.register("progress")
class ProgressBar(Callback):
    def on_epoch_start(self, trainer):
        self.bar = tqdm(total=trainer.steps_per_epoch, desc=f"epoch {trainer.epoch + 1}/{trainer.cfg.epochs}",
                        ncols=80, disable=not trainer.is_main)

    def on_train_batch_end(self, trainer, step, loss):
        self.bar.update(1)
        self.bar.set_postfix(loss=f"{loss:.3f}")

    def on_epoch_end(self, trainer, logs):
        self.bar.close()
        if trainer.is_main:
            print(f"epoch {trainer.epoch + 1}: " + "  ".join(f"{k}={v:.4f}" for k, v in logs.items()), flush=True)


@CALLBACKS.register("checkpoint")
class ModelCheckpoint(Callback):
    """last.pt every epoch, best.pt when the monitored value improves."""

    def __init__(self, monitor="val_loss"):
        self.monitor = monitor
        self.best = None

    def on_epoch_end(self, trainer, logs):
        if not trainer.is_main:
            return
        os.makedirs(trainer.cfg.out_dir, exist_ok=True)
        state = trainer.state_dict()
        torch.save(state, os.path.join(trainer.cfg.out_dir, "last.pt"))
        score = logs.get(self.monitor)
        if score is not None and (self.best is None or score < self.best):
            self.best = score
            torch.save(state, os.path.join(trainer.cfg.out_dir, "best.pt"))


@CALLBACKS.register("lr_scheduler")
class LRScheduler(Callback):
    def on_epoch_end(self, trainer, logs):
        trainer.scheduler.step()


@CALLBACKS.register("history")
class HistoryWriter(Callback):
    """<out_dir>/history.json, rewritten after every epoch (the dashboard reads it)."""

    def on_epoch_end(self, trainer, logs):
        os.makedirs(trainer.cfg.out_dir, exist_ok=True)
        with open(os.path.join(trainer.cfg.out_dir, "history.json"), "w") as f:
            json.dump(trainer.metrics.history, f, indent=1)
'''

FW["trainkit/trainer.py"] = '''
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from .metrics import MetricTracker, accuracy
from .registry import CALLBACKS, TRAINERS


@TRAINERS.register("classification")
@TRAINERS.register("segmentation")
@TRAINERS.register("regression")
class Trainer:
    """fit / evaluate / predict around a model, a loss and an optimizer, with hooks and callbacks."""

    def __init__(self, cfg, model, loss_fn, optimizer, scheduler=None, callbacks=None):
        self.cfg = cfg
        self.device = torch.device(cfg.device)
        self.distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
        self.is_main = int(os.environ.get("RANK", "0")) == 0
        self.model = model.to(self.device)
        if self.distributed:
            if not dist.is_initialized():
                dist.init_process_group(backend="nccl" if self.device.type == "cuda" else "gloo")
            self.model = DistributedDataParallel(self.model)
        if cfg.compile:
            self.model = torch.compile(self.model)
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.scheduler = scheduler
        names = list(cfg.callbacks if callbacks is None else callbacks)
        if scheduler is not None and "lr_scheduler" not in names:
            names.append("lr_scheduler")
        self.callbacks = [CALLBACKS.build(n) for n in names]
        self.metrics = MetricTracker()
        self.epoch = 0
        self.global_step = 0
        self.steps_per_epoch = 0
        self.train_loader = None

    # ---------------------------------------------------------------- hooks
    def _hook(self, name, *args):
        for cb in self.callbacks:
            getattr(cb, name)(self, *args)

    def to_device(self, batch):
        x, y = batch
        return x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)

    def training_step(self, batch):
        """One step: forward + loss. Override to change what a step does; evaluate() reuses it."""
        x, y = self.to_device(batch)
        out = self.model(x)
        return self.loss_fn(out, y), out, y

    def optimizer_step(self, loss):
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if self.cfg.grad_clip:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.grad_clip)
        self.optimizer.step()
        self.global_step += 1

    def batch_metrics(self, out, y):
        acc = accuracy(out, y)
        return {} if acc is None else {"acc": acc}

    # ---------------------------------------------------------------- loops
    def run_epoch(self, loader, train):
        self.model.train(train)
        self.metrics.reset()
        for step, batch in enumerate(loader):
            loss, out, y = self.training_step(batch)
            if train:
                self.optimizer_step(loss)
                self._hook("on_train_batch_end", step, loss.item())
            self.metrics.update(n=len(y), loss=loss.item(), **self.batch_metrics(out, y))
        return self.metrics.compute()

    def fit(self, train_loader, val_loader=None):
        self.train_loader = train_loader
        if self.cfg.resume:
            self.load_checkpoint(self.cfg.resume)
        torch.autograd.set_detect_anomaly(self.cfg.detect_anomaly)
        self.steps_per_epoch = len(train_loader)
        self._hook("on_fit_start")
        for epoch in range(self.epoch, self.cfg.epochs):
            self.epoch = epoch
            if hasattr(train_loader.sampler, "set_epoch"):
                train_loader.sampler.set_epoch(epoch)
            self._hook("on_epoch_start")
            logs = {f"train_{k}": v for k, v in self.run_epoch(train_loader, train=True).items()}
            if val_loader is not None:
                logs.update({f"val_{k}": v for k, v in self.evaluate(val_loader).items()})
            self.metrics.history.append({"epoch": epoch + 1, **logs})
            self._hook("on_epoch_end", logs)
        self._hook("on_fit_end")
        return self.metrics.history

    @torch.no_grad()
    def evaluate(self, loader):
        """Same step as training (same loss, same metrics), without the update."""
        return self.run_epoch(loader, train=False)

    @torch.no_grad()
    def predict(self, x):
        self.model.eval()
        return self.model(x.to(self.device)).softmax(-1)

    # ---------------------------------------------------------------- checkpoints
    def state_dict(self):
        return {"epoch": self.epoch, "global_step": self.global_step, "model": self.model.state_dict(),
                "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict() if self.scheduler is not None else None,
                "config": self.cfg.to_dict(), "history": self.metrics.history}

    def load_checkpoint(self, path):
        ckpt = torch.load(path, map_location=self.device)
        self.model.load_state_dict(ckpt["model"])
        self.optimizer.load_state_dict(ckpt["optimizer"])
        if self.scheduler is not None and ckpt.get("scheduler"):
            self.scheduler.load_state_dict(ckpt["scheduler"])
        self.epoch = ckpt["epoch"] + 1
        self.global_step = ckpt.get("global_step", 0)
        self.metrics.history = list(ckpt.get("history", []))
        print(f"resumed from {path} (epoch {self.epoch})", flush=True)
'''

FW["trainkit/detection.py"] = '''
import numpy as np
from scipy.cluster.vq import kmeans2
from torchvision.models.detection.anchor_utils import AnchorGenerator

from .callbacks import Callback
from .registry import CALLBACKS, TRAINERS
from .trainer import Trainer


@TRAINERS.register("detection")
class DetectionTrainer(Trainer):
    """torchvision detectors: the model returns its loss dict in train mode."""

    def to_device(self, batch):
        images, targets = batch
        return ([im.to(self.device) for im in images],
                [{k: v.to(self.device) for k, v in t.items()} for t in targets])

    def training_step(self, batch):
        images, targets = self.to_device(batch)
        loss_dict = self.model(images, targets)
        return sum(loss_dict.values()), loss_dict, targets

    def batch_metrics(self, out, y):
        return {k: v.item() for k, v in out.items()}


@CALLBACKS.register("autoanchor")
class AutoAnchor(Callback):
    """Fit the RPN anchor sizes to the training boxes (k-means on sqrt(w*h)) before the first epoch."""

    def on_fit_start(self, trainer):
        boxes = trainer.train_loader.dataset.all_boxes()
        scale = np.sqrt((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]))[:, None]
        gen = trainer.model.rpn.anchor_generator
        k = len(gen.sizes[0])
        centroids, _ = kmeans2(scale, k, minit="points", seed=trainer.cfg.seed)
        sizes = tuple(int(round(c)) for c in sorted(centroids[:, 0]))
        print(f"autoanchor: sizes {gen.sizes[0]} -> {sizes}", flush=True)
        trainer.model.rpn.anchor_generator = AnchorGenerator((sizes,) * len(gen.sizes), gen.aspect_ratios)
'''

FW["trainkit/builder.py"] = '''
import os

import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler

from .datasets import detection_collate
from .registry import DATASETS, LOSSES, MODELS, OPTIMIZERS, SCHEDULERS, TRAINERS
from .transforms import build_transforms


def build_loaders(cfg):
    d = cfg.data
    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    kw = dict(batch_size=d.batch_size, num_workers=d.num_workers,
              collate_fn=detection_collate if cfg.task == "detection" else None)
    if d.num_workers > 0 and d.mp_context:
        kw["multiprocessing_context"] = d.mp_context
    train_ds = DATASETS.build(d.name, d.root, "train", build_transforms(d.img_size, True, d.grayscale), **d.args)
    sampler = DistributedSampler(train_ds, shuffle=True, seed=cfg.seed) if distributed else None
    train_loader = DataLoader(train_ds, shuffle=sampler is None, sampler=sampler, **kw)
    val_loader = None
    if d.val_split:
        val_ds = DATASETS.build(d.name, d.root, d.val_split, build_transforms(d.img_size, False, d.grayscale),
                                **d.args)
        val_loader = DataLoader(val_ds, shuffle=False, **kw)
    return train_loader, val_loader


def setup_distributed(cfg):
    """Under torchrun: one process group for the loaders' samplers and the Trainer's DDP wrapper."""
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if cfg.device.startswith("cuda") else "gloo")


def build_all(cfg):
    setup_distributed(cfg)
    torch.manual_seed(cfg.seed)
    train_loader, val_loader = build_loaders(cfg)
    model = MODELS.build(cfg.model.name, num_classes=cfg.model.num_classes, **cfg.model.args)
    loss_fn = LOSSES.build(cfg.loss, **cfg.loss_args) if cfg.task != "detection" else None
    optimizer = OPTIMIZERS.build(cfg.optim.name, [p for p in model.parameters() if p.requires_grad],
                                 lr=cfg.optim.lr, weight_decay=cfg.optim.weight_decay)
    scheduler = None
    if cfg.optim.scheduler:
        scheduler = SCHEDULERS.build(cfg.optim.scheduler, optimizer, cfg.epochs, **cfg.optim.scheduler_args)
    trainer = TRAINERS.build(cfg.task, cfg, model, loss_fn, optimizer, scheduler)
    return trainer, train_loader, val_loader
'''

TRAIN_PY = '''
import argparse

from trainkit import TrainConfig, build_all


def main():
    parser = argparse.ArgumentParser(description="Train a model from a trainkit JSON config")
    parser.add_argument("config")
    parser.add_argument("--resume", default=None, help="checkpoint to resume from")
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args()

    cfg = TrainConfig.from_json(args.config)
    if args.resume:
        cfg.resume = args.resume
    if args.epochs:
        cfg.epochs = args.epochs
    print(f"config {args.config}: task={cfg.task} model={cfg.model.name} data={cfg.data.name}:{cfg.data.root} "
          f"device={cfg.device}", flush=True)
    trainer, train_loader, val_loader = build_all(cfg)
    print(f"train: {len(train_loader.dataset)} samples"
          + (f", val: {len(val_loader.dataset)} samples" if val_loader is not None else ""), flush=True)
    trainer.fit(train_loader, val_loader)
    print("done", flush=True)


if __name__ == "__main__":
    main()
'''

PREDICT_PY = '''
import argparse
import glob
import os

import torch
from PIL import Image

from trainkit import MODELS, TrainConfig
from trainkit.transforms import build_transforms


def main():
    parser = argparse.ArgumentParser(description="Classify images with a trainkit checkpoint")
    parser.add_argument("checkpoint")
    parser.add_argument("images", nargs="+", help="image files or folders")
    parser.add_argument("--topk", type=int, default=1)
    args = parser.parse_args()

    ckpt = torch.load(args.checkpoint, map_location="cpu")
    cfg = TrainConfig.from_dict(ckpt["config"])
    model = MODELS.build(cfg.model.name, num_classes=cfg.model.num_classes, **cfg.model.args)
    model.load_state_dict(ckpt["model"])
    model.eval()
    classes = ckpt.get("classes") or [str(i) for i in range(cfg.model.num_classes)]
    tf = build_transforms(cfg.data.img_size, train=False, grayscale=cfg.data.grayscale)

    paths = []
    for a in args.images:
        paths += sorted(glob.glob(os.path.join(a, "*"))) if os.path.isdir(a) else [a]
    for path in paths:
        img = Image.open(path)@@CONVERT@@
        with torch.no_grad():
            probs = model(tf(img).unsqueeze(0)).softmax(1)[0]
        p, idx = probs.topk(args.topk)
        print(path, "  ".join(f"{classes[i]}={q:.3f}" for q, i in zip(p.tolist(), idx.tolist())), flush=True)


if __name__ == "__main__":
    main()
'''


def fw(changes=None, train=TRAIN_PY, extra=None):
    """The framework files with (old, new) replacements per file, train.py and the case's own files."""
    files = dict(FW)
    for path, reps in (changes or {}).items():
        text = files.get(path, "")
        for old, new in reps:
            if old:
                assert old in text, (path, old)
                text = text.replace(old, new, 1)
            else:
                text += new
        files[path] = text
    files["train.py"] = train
    files.update(extra or {})
    return files


def config(**kw):
    """A JSON config as the team writes them (nested dicts for data / model / optim)."""
    return json.dumps(kw, indent=2) + "\n"


# ================================================================== synthetic data (prep snippets)
def photo_folder(root, classes, splits=(("train", 6), ("val", 3)), sizes=((96, 72),), mode="RGB", ext="jpg"):
    specs = []
    for split, per in splits:
        for c in classes:
            for i in range(per):
                specs.append((f"{root}/{split}/{c}/{c}_{i:03d}.{ext}", sizes[i % len(sizes)], mode))
    return imgs(specs)


MANIFEST_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("@@ROOT@@/images", exist_ok=True)
for split, n in (("train", @@NTRAIN@@), ("val", @@NVAL@@)):
    rows = []
    for i in range(n):
        name = f"{split}_{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 256, (72, 72, 3), dtype=np.uint8)).save(f"@@ROOT@@/images/{name}")
        rows.append({"path": @@PATHEXPR@@, "label": @@LABELEXPR@@})
    with open(f"@@ROOT@@/{split}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["path", "label"])
        w.writeheader()
        w.writerows(rows)
'''


def manifest(root, path_expr, label_expr, ntrain=24, nval=8):
    return prep(sub(MANIFEST_PREP, ROOT=root, PATHEXPR=path_expr, LABELEXPR=label_expr, NTRAIN=str(ntrain),
                    NVAL=str(nval)))


NPZ_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(0)
os.makedirs("@@ROOT@@", exist_ok=True)
for split, n in (("train", 40), ("val", 12)):
    images = rng.integers(0, 256, (n, 48, 48, 3), dtype=np.uint8)
    labels = np.zeros(n, dtype=@@LDTYPE@@)
    labels[:] = rng.integers(0, 3, n)
    np.savez(f"@@ROOT@@/{split}.npz", images=images, labels=labels)
@@AFTER@@
'''

CKPT_PREP = '''
import os
import torch
from trainkit import MODELS, TrainConfig

cfg = TrainConfig.from_json("@@CFG@@")
torch.manual_seed(0)
model = MODELS.build(cfg.model.name, num_classes=cfg.model.num_classes, **cfg.model.args)
@@WRAP@@
os.makedirs(cfg.out_dir, exist_ok=True)
opt = torch.optim.AdamW(model.parameters(), lr=cfg.optim.lr)
torch.save({"epoch": 11, "global_step": 132, "model": model.state_dict(), "optimizer": opt.state_dict(),
            "scheduler": None, "history": [], "config": @@CONFIG@@, "classes": @@CLASSES@@},
           os.path.join(cfg.out_dir, "@@NAME@@"))
'''


def ckpt(cfg_path, name="best.pt", wrap="", config="cfg.to_dict()", classes="None"):
    return prep(sub(CKPT_PREP, CFG=cfg_path, WRAP=wrap, CONFIG=config, NAME=name, CLASSES=classes))


COCO_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("data/pallets/train/images", exist_ok=True)
images, anns = [], []
for i in range(6):
    name = f"dock_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"data/pallets/train/images/{name}")
    images.append({"id": i + 1, "file_name": name, "width": 320, "height": 240})
    for j in range(2):
        x, y = 140 + 30 * j + 5 * i, 90 + 20 * j
        w, h = 60 + 4 * i, 50 + 3 * j
        anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": 1 + (i + j) % 2,
                     "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
json.dump({"images": images, "annotations": anns,
           "categories": [{"id": 1, "name": "pallet"}, {"id": 2, "name": "forklift"}]},
          open("data/pallets/train/annotations.json", "w"), indent=1)
'''

PILOT_BOXES_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("data/weld_defects/train/images", exist_ok=True)
rows = [("seam_000.jpg", 40, 60, 88, 94, 1), ("seam_001.jpg", 120, 30, 150, 70, 1),
        ("seam_001.jpg", 200, 140, 260, 180, 2), ("seam_002.jpg", 70, 110, 130, 150, 1)]
for name in sorted({r[0] for r in rows}):
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"data/weld_defects/train/images/{name}")
with open("data/weld_defects/train/boxes.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image", "x1", "y1", "x2", "y2", "label"])
    w.writerows(rows)
'''

SEG_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
for split, n in (("train", 12), ("val", 4)):
    os.makedirs(f"data/roads/{split}/images", exist_ok=True)
    os.makedirs(f"data/roads/{split}/masks", exist_ok=True)
    for i in range(n):
        img = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
        mask = np.zeros((64, 64), np.uint8)
        mask[:, 20 + i % 8:40 + i % 8] = 1          # the road strip
        Image.fromarray(img).save(f"data/roads/{split}/images/tile_{i:03d}.png")
        Image.fromarray(mask).save(f"data/roads/{split}/masks/tile_{i:03d}.png")
'''

BIG_PHOTOS_PREP = '''
import os
import numpy as np
import cv2

# phone photos at full resolution (smooth gradients: small files, full-size pixels)
yy, xx = np.mgrid[0:3024, 0:4032]
for c in ("intact", "cracked"):
    os.makedirs(f"data/facade/train/{c}", exist_ok=True)
    os.makedirs(f"data/facade/val/{c}", exist_ok=True)
    for i in range(8):
        img = np.stack([(xx * (i + 1)) % 256, (yy * 3) % 256, ((xx + yy) // (i + 2)) % 256], -1).astype(np.uint8)
        cv2.imwrite(f"data/facade/train/{c}/IMG_{i:04d}.jpg", img)
    cv2.imwrite(f"data/facade/val/{c}/IMG_9000.jpg", img)
'''

RLIMIT_HEAD = '''
import resource

# the lab server caps every login at 3 GB (`ulimit -d`); the same cap as there
_, _hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, _hard))
'''

# ================================================================== notebook (SAM subclass)
SAM_CELLS = [
    '''import torch
from trainkit import Trainer, TrainConfig, build_loaders, MODELS, LOSSES

cfg = TrainConfig.from_json("configs/leaf_spots_sam.json")
train_loader, val_loader = build_loaders(cfg)
len(train_loader.dataset), len(val_loader.dataset)''',
    '''class SAMTrainer(Trainer):
    """Sharpness-aware minimisation: gradient at w, step to w + e, the framework backprops the loss there."""
    rho = 0.05

    def training_step(self, batch):
        x, y = self.to_device(batch)
        loss = self.loss_fn(self.model(x), y)
        loss.backward()                                   # gradient at w
        with torch.no_grad():
            grads = [p.grad for p in self.model.parameters() if p.grad is not None]
            norm = torch.norm(torch.stack([g.norm(2) for g in grads]), 2) + 1e-12
            self._e = []
            for p in self.model.parameters():
                e = None if p.grad is None else p.grad * (self.rho / norm)
                if e is not None:
                    p.add_(e)                             # w + e
                self._e.append(e)
        out = self.model(x)
        return self.loss_fn(out, y), out, y

    def optimizer_step(self, loss):
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()                                   # gradient at w + e
        with torch.no_grad():
            for p, e in zip(self.model.parameters(), self._e):
                if e is not None:
                    p.sub_(e)                             # back to w
        self.optimizer.step()''',
    '''torch.manual_seed(cfg.seed)
model = MODELS.build(cfg.model.name, num_classes=cfg.model.num_classes)
opt = torch.optim.SGD(model.parameters(), lr=cfg.optim.lr, momentum=0.9)
trainer = SAMTrainer(cfg, model, LOSSES.build(cfg.loss), opt)
history = trainer.fit(train_loader, val_loader)''',
]


# ================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more85-")
    T = ("cpython_basic",)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    CFG = "configs/run.json"

    def train(name, cause, cfg, setup, forms=P, changes=None, train_py=TRAIN_PY, args=(), **kw):
        add(name, cause, fw(changes, train_py, {CFG: cfg}), forms=forms, argv=["train.py", CFG, *args],
            setup=setup, **kw)

    # ---- data
    train("val-transform-resize-short-side-no-crop-workers", "data.image_size_mismatch",
          config(data={"name": "image_folder", "root": "data/bark", "img_size": 64, "batch_size": 4,
                       "num_workers": 2}, model={"name": "simple_cnn", "num_classes": 3}, epochs=2,
                 out_dir="runs/bark"),
          photo_folder("data/bark", ["oak", "pine", "birch"], sizes=((96, 72), (72, 96), (80, 80))),
          forms=W + ("progress_bars?",),
          changes={"trainkit/transforms.py": [("ops += [T.Resize((img_size, img_size))]",
                                               "ops += [T.Resize(img_size)]  # no crop: evaluate on the whole image")]})
    train("grayscale-xray-config-into-3-channel-simple-cnn", "data.image_channels",
          config(data={"name": "image_folder", "root": "data/chest_xray", "img_size": 64, "batch_size": 8,
                       "grayscale": True}, model={"name": "simple_cnn", "num_classes": 2}, epochs=3,
                 out_dir="runs/xray_gray"),
          photo_folder("data/chest_xray", ["normal", "pneumonia"], sizes=((80, 80),), mode="L", ext="png"),
          also=["model.input_shape"])
    add("predict-cli-folder-of-rgba-screenshots", "data.image_channels",
        fw(extra={"predict.py": sub(PREDICT_PY, CONVERT=""),
                  "configs/ui_states.json": config(data={"name": "image_folder", "root": "data/ui", "img_size": 64},
                                                   model={"name": "simple_cnn", "num_classes": 3},
                                                   out_dir="runs/ui_states")}),
        forms=T, argv=["predict.py", "runs/ui_states/best.pt", "screenshots/"],
        setup=both(ckpt("configs/ui_states.json", classes='["login", "dashboard", "error"]'),
                   imgs([("screenshots/app_001.jpg", (120, 90), "RGB"), ("screenshots/app_002.png", (120, 90), "RGBA"),
                         ("screenshots/app_003.png", (120, 90), "RGBA")])))
    coco_train = TRAIN_PY.replace('''    cfg = TrainConfig.from_json(args.config)''', '''    cfg = TrainConfig.from_json(args.config)
    # CVAT gives us COCO json; the csv_boxes dataset wants image,x1,y1,x2,y2,label
    for split in ("train",):
        coco = json.load(open(f"{cfg.data.root}/{split}/annotations.json"))
        names = {im["id"]: im["file_name"] for im in coco["images"]}
        with open(f"{cfg.data.root}/{split}/boxes.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["image", "x1", "y1", "x2", "y2", "label"])
            for a in coco["annotations"]:
                w.writerow([names[a["image_id"]], *a["bbox"], a["category_id"]])''').replace(
        "import argparse\n", "import argparse\nimport csv\nimport json\n")
    train("cvat-coco-bbox-written-as-x1y1x2y2-fasterrcnn", "data.bbox_invalid",
          config(task="detection", data={"name": "csv_boxes", "root": "data/pallets", "batch_size": 2,
                                         "val_split": None},
                 model={"name": "fasterrcnn_mobilenet", "num_classes": 3}, optim={"name": "sgd", "lr": 0.01},
                 epochs=2, out_dir="runs/pallets"),
          prep(COCO_PREP), train_py=coco_train, timeout=300)
    train("manifest-labels-one-based-from-labelling-db", "data.label_out_of_range",
          config(data={"name": "csv_manifest", "root": "data/ceramics", "img_size": 64, "batch_size": 8},
                 model={"name": "simple_cnn", "num_classes": 4}, epochs=3, out_dir="runs/ceramics"),
          manifest("data/ceramics", 'f"data/ceramics/images/{name}"', "1 + i % 4"))
    train("bce-loss-config-on-single-label-folder", "data.label_shape",
          config(data={"name": "image_folder", "root": "data/fabric", "img_size": 64, "batch_size": 6},
                 model={"name": "simple_cnn", "num_classes": 4}, loss="bce", epochs=3, out_dir="runs/fabric_bce"),
          photo_folder("data/fabric", ["denim", "linen", "silk", "wool"], splits=(("train", 4), ("val", 2))),
          also=["data.dtype"])
    train("npz-cache-written-with-float32-labels", "data.dtype",
          config(data={"name": "npz", "root": "cache/parts48", "img_size": 48, "batch_size": 8},
                 model={"name": "resnet18", "num_classes": 3}, epochs=3, out_dir="runs/parts48"),
          prep(sub(NPZ_PREP, ROOT="cache/parts48", LDTYPE="np.float32", AFTER="")))
    train("npz-cache-truncated-by-killed-prepare-job", "data.missing_or_corrupt",
          config(data={"name": "npz", "root": "cache/parts48", "img_size": 48, "batch_size": 8},
                 model={"name": "resnet18", "num_classes": 3}, epochs=3, out_dir="runs/parts48"),
          prep(sub(NPZ_PREP, ROOT="cache/parts48", LDTYPE="np.int64", AFTER='''
# prepare_data.py was OOM-killed while it rewrote train.npz
b = open("cache/parts48/train.npz", "rb").read()
open("cache/parts48/train.npz", "wb").write(b[: len(b) // 3])''')), forms=T)
    train("manifest-paths-relative-to-csv-new-export-workers", "data.missing_or_corrupt",
          config(data={"name": "csv_manifest", "root": "data/coins", "img_size": 64, "batch_size": 8,
                       "num_workers": 2}, model={"name": "simple_cnn", "num_classes": 3}, epochs=3,
                 out_dir="runs/coins"),
          manifest("data/coins", 'f"images/{name}"', "i % 3"), forms=W)
    train("autoanchor-callback-on-first-labelling-session", "data.too_few_boxes",
          config(task="detection", data={"name": "csv_boxes", "root": "data/weld_defects", "batch_size": 2,
                                         "val_split": None},
                 model={"name": "fasterrcnn_mobilenet", "num_classes": 3}, optim={"name": "sgd", "lr": 0.01},
                 callbacks=["autoanchor", "progress", "checkpoint"], epochs=2, out_dir="runs/weld"),
          prep(PILOT_BOXES_PREP), forms=T, timeout=300)

    # ---- model
    train("simple-cnn-registry-img-size-raised-to-96", "model.input_shape",
          config(data={"name": "image_folder", "root": "data/bark", "img_size": 96, "batch_size": 4},
                 model={"name": "simple_cnn", "num_classes": 3}, epochs=3, out_dir="runs/bark_96"),
          photo_folder("data/bark", ["oak", "pine", "birch"], sizes=((128, 128),)))
    train("tiny-unet-one-channel-road-head-cross-entropy", "model.output_mismatch",
          config(task="segmentation", data={"name": "seg_folder", "root": "data/roads", "batch_size": 4},
                 model={"name": "tiny_unet", "num_classes": 1}, epochs=3, out_dir="runs/roads"),
          prep(SEG_PREP), also=["data.label_out_of_range"])
    add("predict-cli-checkpoint-from-compiled-run", "model.weights_mismatch",
        fw(extra={"predict.py": sub(PREDICT_PY, CONVERT='.convert("RGB")'),
                  "configs/weld_seams.json": config(data={"name": "image_folder", "root": "data/weld", "img_size": 64},
                                                    model={"name": "simple_cnn", "num_classes": 2}, compile=True,
                                                    out_dir="runs/weld_seams")}),
        forms=T, argv=["predict.py", "runs/weld_seams/best.pt", "incoming/"],
        setup=both(ckpt("configs/weld_seams.json", wrap="model = torch.compile(model)  # cfg.compile",
                        classes='["ok", "porous"]'),
                   imgs([(f"incoming/seam_{i:03d}.jpg", (100, 80), "RGB") for i in range(2)])))
    train("json-config-lr-written-as-string", "model.api_misuse",
          config(data={"name": "image_folder", "root": "data/fabric", "img_size": 64, "batch_size": 6},
                 model={"name": "resnet18", "num_classes": 4}, optim={"name": "adamw", "lr": "3e-4",
                                                                      "weight_decay": 0.05},
                 epochs=10, out_dir="runs/fabric_r18"),
          photo_folder("data/fabric", ["denim", "linen", "silk", "wool"], splits=(("train", 3), ("val", 1))),
          forms=T, also=["other"])
    train("plateau-scheduler-under-lr-callback-step", "model.api_misuse",
          config(data={"name": "image_folder", "root": "data/seeds", "img_size": 64, "batch_size": 6},
                 model={"name": "simple_cnn", "num_classes": 3},
                 optim={"name": "adamw", "lr": 1e-3, "scheduler": "plateau", "scheduler_args": {"patience": 1}},
                 epochs=6, out_dir="runs/seeds"),
          photo_folder("data/seeds", ["barley", "oat", "rye"], splits=(("train", 4), ("val", 2))))

    # ---- optimisation
    train("count-regressor-raw-counts-sgd-detect-anomaly", "optim.divergence",
          config(task="regression", data={"name": "csv_manifest", "root": "data/crowd", "img_size": 64,
                                          "batch_size": 8, "args": {"regression": True}},
                 model={"name": "count_regressor"}, loss="mse", optim={"name": "sgd", "lr": 0.05},
                 detect_anomaly=True, epochs=5, out_dir="runs/crowd"),
          manifest("data/crowd", 'f"data/crowd/images/{name}"', "float(40 + (37 * i) % 260)", ntrain=32, nval=8))
    add("sam-trainer-subclass-evaluate-reuses-step-notebook", "optim.autograd_graph",
        {**fw(extra={"configs/leaf_spots_sam.json": config(
            data={"name": "image_folder", "root": "data/leaf_spots", "img_size": 64, "batch_size": 6},
            model={"name": "simple_cnn", "num_classes": 3}, optim={"name": "sgd", "lr": 0.05},
            callbacks=["progress"], epochs=2, out_dir="runs/leaf_sam")}), **nb(SAM_CELLS)},
        forms=("ipython_cell", "ipython_arrows", "progress_bars?"), argv=["nb_runner.py"], home_is_project=True,
        setup=photo_folder("data/leaf_spots", ["healthy", "rust", "scab"], splits=(("train", 4), ("val", 2))))
    ema_cb = '''

@CALLBACKS.register("ema")
class EMA(Callback):
    """Exponential moving average of the weights, evaluated and saved as ema.pt."""

    def __init__(self, decay=0.999):
        self.decay = decay

    def on_fit_start(self, trainer):
        import copy
        self.ema = copy.deepcopy(trainer.model).eval()

    def on_train_batch_end(self, trainer, step, loss):
        for e, p in zip(self.ema.parameters(), trainer.model.parameters()):
            e.mul_(self.decay).add_(p.detach(), alpha=1 - self.decay)

    def on_epoch_end(self, trainer, logs):
        torch.save(self.ema.state_dict(), os.path.join(trainer.cfg.out_dir, "ema.pt"))
'''
    train("ema-callback-updates-copy-outside-no-grad", "optim.autograd_graph",
          config(data={"name": "image_folder", "root": "data/seeds", "img_size": 64, "batch_size": 6},
                 model={"name": "simple_cnn", "num_classes": 3}, callbacks=["progress", "checkpoint", "ema"],
                 epochs=3, out_dir="runs/seeds_ema"),
          photo_folder("data/seeds", ["barley", "oat", "rye"], splits=(("train", 4), ("val", 2))),
          changes={"trainkit/callbacks.py": [("", ema_cb)]})

    # ---- resource / environment / other
    train("ram-cache-full-resolution-float-tensors-ulimit", "resource.host_memory",
          config(data={"name": "cached_folder", "root": "data/facade", "img_size": 128, "batch_size": 4},
                 model={"name": "resnet18", "num_classes": 2}, epochs=3, out_dir="runs/facade"),
          prep(BIG_PHOTOS_PREP), forms=T, train_py=RLIMIT_HEAD + TRAIN_PY, timeout=400)
    train("device-cuda-kept-from-gpu-server-config", "env.cuda_setup",
          config(data={"name": "image_folder", "root": "data/seeds", "img_size": 64, "batch_size": 16,
                       "num_workers": 0}, model={"name": "resnet18", "num_classes": 3}, device="cuda",
                 epochs=30, out_dir="runs/seeds_r18"),
          photo_folder("data/seeds", ["barley", "oat", "rye"], splits=(("train", 3), ("val", 1))), forms=T,
          also=["env.device_mismatch"])
    train("spawn-context-lambda-exif-transform", "env.multiprocessing",
          config(data={"name": "image_folder", "root": "data/bark", "img_size": 64, "batch_size": 4,
                       "num_workers": 2, "mp_context": "spawn"},
                 model={"name": "simple_cnn", "num_classes": 3}, epochs=2, out_dir="runs/bark_spawn"),
          photo_folder("data/bark", ["oak", "pine", "birch"], splits=(("train", 3), ("val", 1))), forms=T,
          changes={"trainkit/transforms.py": [
              ("from torchvision import transforms as T\n",
               "from PIL import ImageOps\nfrom torchvision import transforms as T\n"),
              ("    ops = []\n", "    ops = [T.Lambda(lambda im: ImageOps.exif_transpose(im))]  # phone photos\n")]})
    add("ddp-aux-head-switched-off-aux-weight-zero-torchrun", "env.distributed",
        fw(extra={CFG: config(data={"name": "image_folder", "root": "data/bark", "img_size": 32, "batch_size": 2},
                              model={"name": "aux_cnn", "num_classes": 3}, loss="cross_entropy_aux",
                              loss_args={"aux_weight": 0.0}, epochs=2, out_dir="runs/bark_ddp")}),
        forms=T, argv=["-m", "torch.distributed.run", "--nproc_per_node=2", "train.py", CFG],
        setup=photo_folder("data/bark", ["oak", "pine", "birch"], splits=(("train", 4), ("val", 1)),
                           sizes=((48, 48),)),
        timeout=400, exception="RuntimeError", also=["model.api_misuse"])
    train("resume-checkpoint-with-pickled-config-dataclass", "env.version_incompat",
          config(data={"name": "image_folder", "root": "data/seeds", "img_size": 64, "batch_size": 6},
                 model={"name": "simple_cnn", "num_classes": 3}, epochs=20, out_dir="runs/seeds"),
          both(photo_folder("data/seeds", ["barley", "oat", "rye"], splits=(("train", 3), ("val", 1))),
               ckpt(CFG, name="last.pt", config="cfg", wrap="# trainkit 0.3 saved the config dataclass itself")),
          forms=T, args=("--resume", "runs/seeds/last.pt"), also=["model.weights_mismatch"])
    train("metrics-tracker-detached-loss-tensors-history-json", "other",
          config(data={"name": "image_folder", "root": "data/seeds", "img_size": 64, "batch_size": 6},
                 model={"name": "simple_cnn", "num_classes": 3}, callbacks=["progress", "checkpoint", "history"],
                 epochs=3, out_dir="runs/seeds_hist"),
          photo_folder("data/seeds", ["barley", "oat", "rye"], splits=(("train", 4), ("val", 2))),
          changes={"trainkit/trainer.py": [
              ('''                self._hook("on_train_batch_end", step, loss.item())
            self.metrics.update(n=len(y), loss=loss.item(), **self.batch_metrics(out, y))''',
               '''                self._hook("on_train_batch_end", step, loss.detach())
            # no .item() here: it forces a GPU sync every step
            self.metrics.update(n=len(y), loss=loss.detach(), **self.batch_metrics(out, y))''')]})
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
