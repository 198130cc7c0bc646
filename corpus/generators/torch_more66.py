"""A sixty-sixth held-out set (g126, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: researchers writing plain-PyTorch training scripts for volumetric and video data: 3-D CNNs
(``Conv3d``, ``MaxPool3d``, 3-D U-Nets) on CT / MRI volumes stored as ``.npy`` stacks of slices, patch sampling
and sliding-window inference, video clips (frames stacked along time) for action recognition with ``r3d_18``-style
models (weights=None), temporal augmentation, clip collation, argparse configs and checkpoint / resume. A natural
mix of causes, each program built so that its cause is known by construction; none a repeat of the scenarios in
the other generators:

- data: sliding-window inference whose patch grid starts run to the end of the volume so the edge patches come
  out short and meet the default collate (tqdm), a BraTS-style four-modality loader globbing ``*_t1*``/``*_t2*``
  files for a subject whose ``t1ce`` export is missing (a three-channel volume into a four-channel ``Conv3d``),
  BraTS segmentation labels {0, 1, 2, 4} (enhancing tumour is 4) under a four-class head (notebook), CT volumes
  kept as the int16 Hounsfield units of the ``.npy`` export into ``Conv3d``, a CT ``.npy`` cut short by an
  interrupted rsync (in workers), a multi-clip-per-video sampler whose clips are folded into the batch axis while
  the labels stay one per video (tqdm);
- model: a C3D-style network whose ``fc6`` is sized for 16-frame clips run with an argparse ``--clip-len 32``,
  a four-level 3-D U-Net on patches 40 slices deep (a skip connection of 5 against an upsampled 4, notebook),
  an ``r3d_18`` checkpoint resumed by a script whose ``--arch`` default became ``r2plus1d_18``, a resumed
  ``CosineAnnealingLR`` built with ``last_epoch=start_epoch - 1`` before the optimizer state is loaded;
- optimisation: a 3-D SRCNN for MRI super-resolution trained on raw scanner intensities (0..4000) with SGD, anomaly
  mode on, a mean-teacher semi-supervised 3-D segmentation whose EMA teacher is a ``deepcopy`` updated in place
  outside ``no_grad`` (tqdm);
- resource / environment / other: a TotalSegmentator-style sliding-window accumulator of 105 class logits at full
  CT resolution under the cluster's job memory limit, a LUNA16 MetaImage ``.raw`` reader that keeps open file
  handles for slice seeking under ``spawn`` workers, a foreground-biased patch sampler calling ``np.sometrue``
  (NumPy 2, tqdm), a resume that parses the start epoch out of the checkpoint file name as a string.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: volumes, clips
and checkpoints are what an earlier export or training run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more66.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import os
from pathlib import Path

import numpy as np

from _record import Case, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more66.py"

SCRIPTS = {}
CELLS = {}


# ------------------------------------------------------------------ setups (what an earlier export left)
def volumes(d, names, shape, dtype="float32", lo=0, hi=1, seed=0):
    """`.npy` volumes `d/<name>.npy` of `shape` with values in [lo, hi)."""
    def setup(work):
        rng = np.random.default_rng(seed)
        os.makedirs(work / d, exist_ok=True)
        for n in names:
            if np.issubdtype(np.dtype(dtype), np.integer):
                v = rng.integers(lo, hi, shape).astype(dtype)
            else:
                v = (lo + (hi - lo) * rng.random(shape)).astype(dtype)
            np.save(work / d / f"{n}.npy", v)
    return setup


def clips(root, classes, per, t=24, size=(64, 64), seed=0):
    """Frame folders `root/<class>/<video>/img_00001.jpg`... as the ffmpeg extraction step leaves them."""
    def setup(work):
        from PIL import Image

        rng = np.random.default_rng(seed)
        for c in classes:
            for v in range(per):
                vd = work / root / c / f"v_{c}_g{v + 1:02d}_c01"
                os.makedirs(vd, exist_ok=True)
                for f in range(t):
                    Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8)).save(
                        vd / f"img_{f + 1:05d}.jpg")
    return setup


# ================================================================== data
SCRIPTS["sliding-window-edge-patches-short-default-collate-tqdm"] = '''
import argparse
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

parser = argparse.ArgumentParser()
parser.add_argument("--volumes", default="data/test_vols")
parser.add_argument("--patch", type=int, default=32)
parser.add_argument("--overlap", type=float, default=0.25)
parser.add_argument("--batch-size", type=int, default=4)
args = parser.parse_args()


class SmallUNet3D(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv3d(1, 16, 3, padding=1), nn.InstanceNorm3d(16), nn.LeakyReLU(),
                                 nn.Conv3d(16, 16, 3, padding=1), nn.InstanceNorm3d(16), nn.LeakyReLU())
        self.head = nn.Conv3d(16, n_classes, 1)

    def forward(self, x):
        return self.head(self.enc(x))


class PatchGrid(Dataset):
    """every patch of a volume on a regular grid (sliding-window inference)"""

    def __init__(self, vol, patch, overlap):
        self.vol = vol
        self.p = patch
        stride = int(patch * (1 - overlap))
        D, H, W = vol.shape
        self.starts = [(z, y, x) for z in range(0, D, stride) for y in range(0, H, stride) for x in range(0, W, stride)]

    def __len__(self):
        return len(self.starts)

    def __getitem__(self, i):
        z, y, x = self.starts[i]
        p = self.p
        patch = self.vol[z:z + p, y:y + p, x:x + p]
        return torch.from_numpy(np.ascontiguousarray(patch))[None], torch.tensor([z, y, x])


model = SmallUNet3D()
model.eval()
for path in sorted(glob.glob(f"{args.volumes}/*.npy")):
    vol = np.load(path).astype(np.float32)
    vol = (vol - vol.mean()) / (vol.std() + 1e-8)
    ds = PatchGrid(vol, args.patch, args.overlap)
    out = torch.zeros((3,) + vol.shape)
    count = torch.zeros(vol.shape)
    with torch.no_grad():
        for patches, starts in tqdm(DataLoader(ds, batch_size=args.batch_size), desc=path.split("/")[-1]):
            logits = model(patches)
            for l, (z, y, x) in zip(logits, starts.tolist()):
                out[:, z:z + args.patch, y:y + args.patch, x:x + args.patch] += l
                count[z:z + args.patch, y:y + args.patch, x:x + args.patch] += 1
    pred = (out / count).argmax(0)
    np.save(path.replace(".npy", "_pred.npy"), pred.numpy().astype(np.uint8))
'''

SCRIPTS["brats-missing-t1ce-export-three-modalities-into-four-channel-conv3d"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

ROOT = "data/BraTS2020_TrainingData_npy"
MODALITIES = 4   # t1, t1ce, t2, flair


class BraTSDataset(Dataset):
    def __init__(self, root):
        self.cases = sorted(d for d in glob.glob(f"{root}/BraTS20_Training_*") if os.path.isdir(d))

    def __len__(self):
        return len(self.cases)

    def __getitem__(self, i):
        d = self.cases[i]
        name = os.path.basename(d)
        files = sorted(glob.glob(f"{d}/{name}_t*.npy")) + glob.glob(f"{d}/{name}_flair.npy")
        image = np.stack([np.load(f) for f in files]).astype(np.float32)
        seg = np.load(f"{d}/{name}_seg.npy").astype(np.int64)
        seg[seg == 4] = 3
        return torch.from_numpy(image), torch.from_numpy(seg)


def block(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.BatchNorm3d(cout), nn.ReLU(inplace=True))


model = nn.Sequential(block(MODALITIES, 16), block(16, 16), nn.Conv3d(16, 4, 1))
loader = DataLoader(BraTSDataset(ROOT), batch_size=1, shuffle=False)
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    for step, (image, seg) in enumerate(loader):
        loss = criterion(model(image), seg)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
'''


def brats_setup(missing_t1ce=None, shape=(24, 32, 32), seed=0):
    def setup(work):
        rng = np.random.default_rng(seed)
        for i in range(1, 4):
            name = f"BraTS20_Training_{i:03d}"
            d = work / "data/BraTS2020_TrainingData_npy" / name
            os.makedirs(d, exist_ok=True)
            for m in ("t1", "t1ce", "t2", "flair"):
                if m == "t1ce" and i == missing_t1ce:
                    continue
                np.save(d / f"{name}_{m}.npy", rng.random(shape).astype(np.float32))
            np.save(d / f"{name}_seg.npy", rng.choice(np.array([0, 1, 2, 4], dtype=np.uint8), shape,
                                                      p=[0.85, 0.05, 0.05, 0.05]))
    return setup


CELLS["brats-labels-0-1-2-4-four-class-head-notebook"] = [
    '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

cases = sorted(glob.glob("data/BraTS2020_TrainingData_npy/BraTS20_Training_*"))
print(len(cases), "subjects")
seg = np.load(f"{cases[0]}/{os.path.basename(cases[0])}_seg.npy")
print("label values:", np.unique(seg))
''',
    '''
NUM_CLASSES = 4   # background, necrotic core, oedema, enhancing tumour


class BraTS(Dataset):
    def __init__(self, cases):
        self.cases = cases

    def __len__(self):
        return len(self.cases)

    def __getitem__(self, i):
        d = self.cases[i]
        n = os.path.basename(d)
        x = np.stack([np.load(f"{d}/{n}_{m}.npy") for m in ("t1", "t1ce", "t2", "flair")])
        y = np.load(f"{d}/{n}_seg.npy")
        return torch.from_numpy(x).float(), torch.from_numpy(y).long()


model = nn.Sequential(nn.Conv3d(4, 16, 3, padding=1), nn.ReLU(), nn.Conv3d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv3d(16, NUM_CLASSES, 1))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
loader = DataLoader(BraTS(cases), batch_size=2, shuffle=True)
''',
    '''
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
''',
]

SCRIPTS["ct-int16-hounsfield-npy-into-conv3d"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class CTVolumes(Dataset):
    """CT volumes exported slice-stacked to .npy (Hounsfield units) + a label CSV"""

    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        vol = np.load(f"data/ct/{r['series_uid']}.npy")
        vol = np.clip(vol, -1000, 400)          # lung / soft-tissue window
        return torch.from_numpy(vol).unsqueeze(0), int(r["label"])


class Net3D(nn.Module):
    def __init__(self, n_classes=2):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(1, 8, 3, padding=1), nn.BatchNorm3d(8), nn.ReLU(), nn.MaxPool3d(2),
            nn.Conv3d(8, 16, 3, padding=1), nn.BatchNorm3d(16), nn.ReLU(), nn.AdaptiveAvgPool3d(1))
        self.fc = nn.Linear(16, n_classes)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


model = Net3D()
loader = DataLoader(CTVolumes("data/labels.csv"), batch_size=2, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for vol, label in loader:
        loss = nn.functional.cross_entropy(model(vol), label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''


def ct_setup(n=6, shape=(32, 48, 48), trunc=None):
    def setup(work):
        rng = np.random.default_rng(3)
        os.makedirs(work / "data/ct", exist_ok=True)
        uids = [f"1.3.6.1.4.1.14519.5.2.1.6279.6001.{rng.integers(10**11, 10**12)}" for _ in range(n)]
        with open(work / "data/labels.csv", "w") as f:
            f.write("series_uid,label\n")
            for i, u in enumerate(uids):
                f.write(f"{u},{i % 2}\n")
                np.save(work / f"data/ct/{u}.npy", rng.integers(-1024, 1500, shape).astype(np.int16))
        if trunc is not None:
            p = work / f"data/ct/{uids[trunc]}.npy"
            b = p.read_bytes()
            p.write_bytes(b[: int(len(b) * 0.6)])
    return setup


SCRIPTS["ct-npy-cut-short-by-interrupted-rsync-workers"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class CTVolumes(Dataset):
    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        vol = np.load(f"data/ct/{r['series_uid']}.npy").astype(np.float32)
        vol = (np.clip(vol, -1000, 400) + 300) / 700
        return torch.from_numpy(vol)[None], int(r["label"])


model = nn.Sequential(nn.Conv3d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool3d(2),
                      nn.Conv3d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                      nn.Linear(16, 2))
loader = DataLoader(CTVolumes("data/labels.csv"), batch_size=2, shuffle=False, num_workers=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for step, (vol, label) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(vol), label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
'''

SCRIPTS["multi-clip-per-video-folded-into-batch-labels-per-video-tqdm"] = '''
import glob
import os
import random

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.video import r3d_18
from tqdm import tqdm

CLIP_LEN, CLIPS_PER_VIDEO, SIZE = 8, 3, 56


class MultiClipVideos(Dataset):
    """several random clips per video each time it is drawn (more temporal coverage per epoch)"""

    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.videos = [(d, i) for i, c in enumerate(self.classes) for d in sorted(glob.glob(f"{root}/{c}/*"))]

    def __len__(self):
        return len(self.videos)

    def load_clip(self, frames, start):
        imgs = [np.asarray(Image.open(f).convert("RGB").resize((SIZE, SIZE))) for f in frames[start:start + CLIP_LEN]]
        return torch.from_numpy(np.stack(imgs)).permute(3, 0, 1, 2).float() / 255   # C, T, H, W

    def __getitem__(self, i):
        d, label = self.videos[i]
        frames = sorted(glob.glob(f"{d}/img_*.jpg"))
        starts = [random.randint(0, len(frames) - CLIP_LEN) for _ in range(CLIPS_PER_VIDEO)]
        return torch.stack([self.load_clip(frames, s) for s in starts]), label   # K, C, T, H, W


ds = MultiClipVideos("data/frames/train")
loader = DataLoader(ds, batch_size=2, shuffle=True)
model = r3d_18(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    for clips, labels in tqdm(loader, desc=f"epoch {epoch}"):
        clips = clips.flatten(0, 1)          # (B*K, C, T, H, W)
        loss = criterion(model(clips), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

# ================================================================== model
SCRIPTS["c3d-fc6-sized-for-16-frames-clip-len-32-argparse"] = '''
import argparse
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

parser = argparse.ArgumentParser(description="C3D action recognition")
parser.add_argument("--data", default="data/frames/train")
parser.add_argument("--clip-len", type=int, default=16)
parser.add_argument("--size", type=int, default=112)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--lr", type=float, default=3e-3)
args = parser.parse_args()


class C3D(nn.Module):
    """C3D (Tran et al. 2015), narrower; fc6 expects the 16 x 112 x 112 clip of the paper"""

    def __init__(self, num_classes):
        super().__init__()
        def conv(i, o):
            return nn.Sequential(nn.Conv3d(i, o, 3, padding=1), nn.ReLU(inplace=True))
        self.features = nn.Sequential(
            conv(3, 16), nn.MaxPool3d((1, 2, 2)),
            conv(16, 32), nn.MaxPool3d(2),
            conv(32, 64), nn.MaxPool3d(2),
            conv(64, 64), nn.MaxPool3d(2),
            conv(64, 64), nn.MaxPool3d(2, padding=(0, 1, 1)))
        self.fc6 = nn.Linear(64 * 1 * 4 * 4, 256)
        self.fc7 = nn.Linear(256, 256)
        self.fc8 = nn.Linear(256, num_classes)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):
        x = self.features(x).flatten(1)
        x = self.dropout(torch.relu(self.fc6(x)))
        x = self.dropout(torch.relu(self.fc7(x)))
        return self.fc8(x)


class Clips(Dataset):
    def __init__(self, root, clip_len, size):
        self.classes = sorted(os.listdir(root))
        self.videos = [(d, i) for i, c in enumerate(self.classes) for d in sorted(glob.glob(f"{root}/{c}/*"))]
        self.clip_len, self.size = clip_len, size

    def __len__(self):
        return len(self.videos)

    def __getitem__(self, i):
        d, label = self.videos[i]
        frames = sorted(glob.glob(f"{d}/*.jpg"))
        idx = np.linspace(0, len(frames) - 1, self.clip_len).round().astype(int)
        clip = np.stack([np.asarray(Image.open(frames[j]).convert("RGB").resize((self.size, self.size))) for j in idx])
        return torch.from_numpy(clip).permute(3, 0, 1, 2).float().div(255), label


ds = Clips(args.data, args.clip_len, args.size)
model = C3D(len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
print(f"{len(ds)} videos, clip_len={args.clip_len}", flush=True)
for epoch in range(args.epochs):
    for x, y in DataLoader(ds, batch_size=2, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}", flush=True)
'''

CELLS["unet3d-four-levels-patches-40-slices-deep-notebook"] = [
    '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PATCH = (40, 64, 64)     # the MRI stacks only have 40-48 slices, so the patch keeps 40 in z
vols = sorted(glob.glob("data/mri/*_img.npy"))
print(len(vols), "volumes", np.load(vols[0]).shape)
''',
    '''
def double_conv(i, o):
    return nn.Sequential(nn.Conv3d(i, o, 3, padding=1), nn.InstanceNorm3d(o), nn.LeakyReLU(inplace=True),
                         nn.Conv3d(o, o, 3, padding=1), nn.InstanceNorm3d(o), nn.LeakyReLU(inplace=True))


class UNet3D(nn.Module):
    def __init__(self, cin=1, n_classes=2, f=(8, 16, 32, 64, 128)):
        super().__init__()
        self.downs = nn.ModuleList([double_conv(cin, f[0])] + [double_conv(f[i], f[i + 1]) for i in range(4)])
        self.ups = nn.ModuleList([nn.ConvTranspose3d(f[i + 1], f[i], 2, stride=2) for i in reversed(range(4))])
        self.dec = nn.ModuleList([double_conv(2 * f[i], f[i]) for i in reversed(range(4))])
        self.out = nn.Conv3d(f[0], n_classes, 1)

    def forward(self, x):
        skips = []
        for i, down in enumerate(self.downs):
            x = down(x)
            if i < 4:
                skips.append(x)
                x = F.max_pool3d(x, 2)
        for up, dec, skip in zip(self.ups, self.dec, reversed(skips)):
            x = dec(torch.cat([up(x), skip], dim=1))
        return self.out(x)


model = UNet3D()
print(sum(p.numel() for p in model.parameters()) / 1e6, "M parameters")
''',
    '''
def random_patch(img, lbl, size=PATCH):
    z, y, x = (np.random.randint(0, s - p + 1) for s, p in zip(img.shape, size))
    sl = (slice(z, z + size[0]), slice(y, y + size[1]), slice(x, x + size[2]))
    return img[sl], lbl[sl]


optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for it in range(20):
    img = np.load(vols[it % len(vols)])
    lbl = np.load(vols[it % len(vols)].replace("_img", "_lbl"))
    pi, pl = random_patch(img, lbl)
    x = torch.from_numpy(pi)[None, None].float()
    y = torch.from_numpy(pl)[None].long()
    loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if it % 5 == 0:
        print(it, loss.item())
''',
]


def mri_setup(work):
    rng = np.random.default_rng(5)
    os.makedirs(work / "data/mri", exist_ok=True)
    for i in range(3):
        d = 40 + 4 * i
        np.save(work / f"data/mri/sub-{i + 1:02d}_img.npy", rng.random((d, 80, 80)).astype(np.float32))
        np.save(work / f"data/mri/sub-{i + 1:02d}_lbl.npy", (rng.random((d, 80, 80)) > 0.9).astype(np.uint8))


SCRIPTS["r3d-checkpoint-resumed-with-arch-default-r2plus1d"] = '''
import argparse
import os

import torch
import torch.nn as nn
from torchvision.models import video as video_models

parser = argparse.ArgumentParser()
parser.add_argument("--arch", default="r2plus1d_18", choices=["r3d_18", "mc3_18", "r2plus1d_18"])
parser.add_argument("--num-classes", type=int, default=10)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--epochs", type=int, default=45)
parser.add_argument("--resume", default="")
args = parser.parse_args()

model = getattr(video_models, args.arch)(weights=None, num_classes=args.num_classes)
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
start_epoch = 0
if args.resume and os.path.isfile(args.resume):
    print(f"=> loading checkpoint {args.resume}", flush=True)
    ckpt = torch.load(args.resume, map_location="cpu")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    start_epoch = ckpt["epoch"] + 1
    print(f"=> resumed from epoch {ckpt['epoch']}", flush=True)

for epoch in range(start_epoch, args.epochs):
    x = torch.randn(2, 3, 8, 56, 56)
    loss = nn.functional.cross_entropy(model(x), torch.randint(0, args.num_classes, (2,)))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

R3D_CKPT = '''
import os
import torch
from torchvision.models.video import r3d_18

os.makedirs("runs/kinetics10_r3d", exist_ok=True)
m = r3d_18(weights=None, num_classes=10)
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
torch.save({"epoch": 17, "arch": "r3d_18", "model": m.state_dict(), "optimizer": opt.state_dict()},
           "runs/kinetics10_r3d/checkpoint.pth")
'''

SCRIPTS["cosine-scheduler-last-epoch-before-optimizer-state-resume"] = '''
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=100)
parser.add_argument("--lr", type=float, default=2e-4)
parser.add_argument("--resume", default="checkpoints/unet3d_last.pth")
args = parser.parse_args()


def block(i, o):
    return nn.Sequential(nn.Conv3d(i, o, 3, padding=1), nn.InstanceNorm3d(o), nn.LeakyReLU())


model = nn.Sequential(block(1, 16), block(16, 16), nn.Conv3d(16, 2, 1))
optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-5)

ckpt = torch.load(args.resume, map_location="cpu")
start_epoch = ckpt["epoch"] + 1
model.load_state_dict(ckpt["model"])
# continue the cosine curve where the last run stopped
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs, eta_min=1e-6,
                                                       last_epoch=start_epoch - 1)
optimizer.load_state_dict(ckpt["optimizer"])
print(f"resuming at epoch {start_epoch}, lr {scheduler.get_last_lr()[0]:.2e}")

data = TensorDataset(torch.randn(8, 1, 24, 32, 32), torch.randint(0, 2, (8, 24, 32, 32)))
for epoch in range(start_epoch, args.epochs):
    for x, y in DataLoader(data, batch_size=2, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
'''

UNET_CKPT = '''
import os
import torch
import torch.nn as nn


def block(i, o):
    return nn.Sequential(nn.Conv3d(i, o, 3, padding=1), nn.InstanceNorm3d(o), nn.LeakyReLU())


model = nn.Sequential(block(1, 16), block(16, 16), nn.Conv3d(16, 2, 1))
opt = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=1e-5)
model(torch.randn(1, 1, 8, 8, 8)).mean().backward()
opt.step()
os.makedirs("checkpoints", exist_ok=True)
torch.save({"epoch": 41, "model": model.state_dict(), "optimizer": opt.state_dict()}, "checkpoints/unet3d_last.pth")
'''

# ================================================================== optimisation
SCRIPTS["srcnn3d-mri-raw-scanner-intensities-sgd-anomaly-mode"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

torch.autograd.set_detect_anomaly(True)
torch.manual_seed(0)


class SRPatches(Dataset):
    """high-res MRI patches and their 2x-downsampled-then-upsampled low-res input"""

    def __init__(self, files, patch=24, n=32):
        self.vols = [np.load(f).astype(np.float32) for f in files]
        self.patch, self.n = patch, n
        self.rng = np.random.default_rng(0)

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        v = self.vols[i % len(self.vols)]
        z, y, x = (self.rng.integers(0, s - self.patch + 1) for s in v.shape)
        hr = torch.from_numpy(v[z:z + self.patch, y:y + self.patch, x:x + self.patch].copy())[None]
        lr = F.interpolate(F.avg_pool3d(hr[None], 2), scale_factor=2, mode="trilinear", align_corners=False)[0]
        return lr, hr


class SRCNN3D(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv3d(1, 32, 9, padding=4)
        self.conv2 = nn.Conv3d(32, 16, 1)
        self.conv3 = nn.Conv3d(16, 1, 5, padding=2)

    def forward(self, x):
        return self.conv3(F.relu(self.conv2(F.relu(self.conv1(x)))))


loader = DataLoader(SRPatches(sorted(glob.glob("data/t1w/*.npy"))), batch_size=4, shuffle=True)
model = SRCNN3D()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)   # the SRCNN paper's learning rate
for epoch in range(10):
    for step, (lr_img, hr_img) in enumerate(loader):
        loss = F.mse_loss(model(lr_img), hr_img)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} mse {loss.item():.4g}", flush=True)
'''

SCRIPTS["mean-teacher-ema-deepcopy-updated-in-place-outside-no-grad-tqdm"] = '''
import copy
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

EMA_DECAY, CONS_WEIGHT, PATCH = 0.99, 0.1, (16, 48, 48)


class Patches(Dataset):
    def __init__(self, files, labelled):
        self.files, self.labelled = files, labelled

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = np.load(self.files[i])
        z, y, x = (np.random.randint(0, s - p + 1) for s, p in zip(img.shape, PATCH))
        sl = np.s_[z:z + PATCH[0], y:y + PATCH[1], x:x + PATCH[2]]
        out = torch.from_numpy(img[sl].copy())[None].float()
        if self.labelled:
            return out, torch.from_numpy(np.load(self.files[i].replace("image", "label"))[sl].copy()).long()
        return out


def block(i, o):
    return nn.Sequential(nn.Conv3d(i, o, 3, padding=1), nn.BatchNorm3d(o), nn.ReLU(inplace=True))


student = nn.Sequential(block(1, 16), nn.Dropout3d(0.2), block(16, 16), nn.Conv3d(16, 2, 1))
teacher = copy.deepcopy(student)


def update_ema(student, teacher, decay):
    for t, s in zip(teacher.parameters(), student.parameters()):
        t.mul_(decay).add_(s, alpha=1 - decay)


lab = DataLoader(Patches(sorted(glob.glob("data/LA/labelled/*_image.npy")), True), batch_size=2, shuffle=True)
unlab = DataLoader(Patches(sorted(glob.glob("data/LA/unlabelled/*_image.npy")), False), batch_size=2, shuffle=True)
optimizer = torch.optim.SGD(student.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(3):
    for (x, y), u in tqdm(zip(lab, unlab), total=min(len(lab), len(unlab)), desc=f"epoch {epoch}"):
        sup = F.cross_entropy(student(x), y)
        noise = torch.clamp(torch.randn_like(u) * 0.1, -0.2, 0.2)
        with torch.no_grad():
            t_out = teacher(u + noise).softmax(1)
        cons = F.mse_loss(student(u).softmax(1), t_out)
        loss = sup + CONS_WEIGHT * cons
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        update_ema(student, teacher, EMA_DECAY)
'''


def la_setup(work):
    rng = np.random.default_rng(9)
    for split, n in (("labelled", 4), ("unlabelled", 6)):
        os.makedirs(work / f"data/LA/{split}", exist_ok=True)
        for i in range(n):
            shape = (24, 64, 64)
            np.save(work / f"data/LA/{split}/case{i:02d}_image.npy", rng.random(shape).astype(np.float32))
            if split == "labelled":
                np.save(work / f"data/LA/{split}/case{i:02d}_label.npy", (rng.random(shape) > 0.8).astype(np.uint8))


# ================================================================== resource / environment / other
SCRIPTS["totalseg-sliding-window-105-class-accumulator-full-res-job-memory-limit"] = '''
import resource

# the cluster's job memory: 16 GB (sbatch --mem=16G)
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (16 * 1024 ** 3, hard))

import argparse
import itertools

import numpy as np
import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("ct", help="CT volume (.npy, z y x, HU)")
parser.add_argument("--classes", type=int, default=105)   # 104 structures + background
parser.add_argument("--patch", type=int, nargs=3, default=[128, 128, 128])
args = parser.parse_args()

vol = np.load(args.ct, mmap_mode="r")
print("CT", vol.shape, vol.dtype, flush=True)
model = nn.Sequential(nn.Conv3d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv3d(8, args.classes, 1)).eval()

# accumulate logits and a patch count over the whole volume, then argmax
logits = torch.zeros((args.classes,) + vol.shape, dtype=torch.float32)
counts = torch.zeros(vol.shape, dtype=torch.float32)
steps = [range(0, max(s - p, 0) + 1, p // 2) for s, p in zip(vol.shape, args.patch)]
with torch.no_grad():
    for z, y, x in itertools.product(*steps):
        pz, py, px = args.patch
        patch = torch.from_numpy(np.asarray(vol[z:z + pz, y:y + py, x:x + px], dtype=np.float32))[None, None]
        logits[:, z:z + pz, y:y + py, x:x + px] += model(patch / 1000.0)[0]
        counts[z:z + pz, y:y + py, x:x + px] += 1
np.save(args.ct.replace(".npy", "_seg.npy"), (logits / counts).argmax(0).numpy().astype(np.uint8))
'''

BIG_CT = '''
import numpy as np
import os
os.makedirs("data/abdomen", exist_ok=True)
np.lib.format.open_memmap("data/abdomen/s0113_ct.npy", mode="w+", dtype=np.int16, shape=(612, 512, 512)).flush()
'''

SCRIPTS["luna16-mhd-raw-file-handles-kept-open-spawn-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


def read_mhd(path):
    hdr = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.partition(" = ")
            hdr[k.strip()] = v.strip()
    dims = tuple(int(d) for d in hdr["DimSize"].split())[::-1]          # z, y, x
    return hdr, dims


class LunaSlabs(Dataset):
    """2.5-D slabs read straight from the .raw files: keep a handle per scan and seek to the slab"""

    DT = np.dtype("<i2")

    def __init__(self, root, slab=8):
        self.scans = []
        for mhd in sorted(glob.glob(f"{root}/*.mhd")):
            hdr, dims = read_mhd(mhd)
            raw = open(os.path.join(root, hdr["ElementDataFile"]), "rb")
            self.scans.append((raw, dims))
        self.slab = slab
        self.index = [(s, z) for s, (_, d) in enumerate(self.scans) for z in range(0, d[0] - slab + 1, slab)]

    def __len__(self):
        return len(self.index)

    def __getitem__(self, i):
        s, z = self.index[i]
        raw, (D, H, W) = self.scans[s]
        raw.seek(z * H * W * self.DT.itemsize)
        a = np.frombuffer(raw.read(self.slab * H * W * self.DT.itemsize), dtype=self.DT).reshape(self.slab, H, W)
        x = torch.from_numpy(np.clip(a, -1000, 400).astype(np.float32) / 1000)[None]
        return x, int(a.max() > 300)


def main():
    ds = LunaSlabs("data/luna16/subset0")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2,
                        multiprocessing_context="spawn")   # fork + open files was flaky on the Mac
    model = nn.Sequential(nn.Conv3d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                          nn.Linear(8, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def luna_setup(work):
    rng = np.random.default_rng(11)
    d = work / "data/luna16/subset0"
    os.makedirs(d, exist_ok=True)
    for i in range(3):
        uid = f"1.3.6.1.4.1.14519.5.2.1.6279.6001.{105756658031515062000744821260 + 7 * i}"
        dims = (48, 48, 32)  # x y z
        rng.integers(-1024, 1200, dims[::-1]).astype("<i2").tofile(d / f"{uid}.raw")
        (d / f"{uid}.mhd").write_text(
            "ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
            "CompressedData = False\nTransformMatrix = 1 0 0 0 1 0 0 0 1\nOffset = -195 -195 -378\n"
            "CenterOfRotation = 0 0 0\nAnatomicalOrientation = RAI\nElementSpacing = 0.76 0.76 2.5\n"
            f"DimSize = {dims[0]} {dims[1]} {dims[2]}\nElementType = MET_SHORT\nElementDataFile = {uid}.raw\n")


SCRIPTS["foreground-biased-patch-sampler-np-sometrue-numpy2-tqdm"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

PATCH = 32


class ForegroundPatches(Dataset):
    """2/3 of the patches must contain foreground (kidney / tumour), the rest are random"""

    def __init__(self, cases, per_case=8, fg_ratio=0.66):
        self.cases = cases
        self.per_case, self.fg_ratio = per_case, fg_ratio
        self.rng = np.random.default_rng(0)

    def __len__(self):
        return len(self.cases) * self.per_case

    def _crop(self, img, seg):
        z, y, x = (self.rng.integers(0, s - PATCH + 1) for s in img.shape)
        sl = np.s_[z:z + PATCH, y:y + PATCH, x:x + PATCH]
        return img[sl], seg[sl]

    def __getitem__(self, i):
        case = self.cases[i // self.per_case]
        img = np.load(f"{case}/imaging.npy")
        seg = np.load(f"{case}/segmentation.npy")
        want_fg = self.rng.random() < self.fg_ratio
        for _ in range(50):
            pi, ps = self._crop(img, seg)
            if not want_fg or np.sometrue(ps > 0):
                break
        return torch.from_numpy(pi.astype(np.float32))[None], torch.from_numpy(ps.astype(np.int64))


cases = sorted(glob.glob("data/kits19/case_*"))
loader = DataLoader(ForegroundPatches(cases), batch_size=2, shuffle=True)
model = nn.Sequential(nn.Conv3d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv3d(16, 3, 1))
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(2):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def kits_setup(work):
    rng = np.random.default_rng(13)
    for i in range(3):
        d = work / f"data/kits19/case_{i:05d}"
        os.makedirs(d, exist_ok=True)
        np.save(d / "imaging.npy", rng.integers(-1000, 1000, (40, 64, 64)).astype(np.int16))
        seg = np.zeros((40, 64, 64), np.uint8)
        seg[15:25, 20:40, 20:40] = 1
        seg[18:22, 28:34, 28:34] = 2
        np.save(d / "segmentation.npy", seg)


SCRIPTS["resume-start-epoch-parsed-from-checkpoint-filename"] = '''
import argparse
import glob
import os

import torch
import torch.nn as nn
from torchvision.models.video import r3d_18

parser = argparse.ArgumentParser()
parser.add_argument("--ckpt-dir", default="checkpoints/hmdb_r3d")
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--num-classes", type=int, default=6)
args = parser.parse_args()

model = r3d_18(weights=None, num_classes=args.num_classes)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

start_epoch = 0
ckpts = sorted(glob.glob(os.path.join(args.ckpt_dir, "epoch_*.pth")))
if ckpts:
    last = ckpts[-1]
    model.load_state_dict(torch.load(last, map_location="cpu"))
    start_epoch = os.path.basename(last).split("_")[1].split(".")[0]   # epoch_007.pth -> 007
    print(f"resuming from {last}", flush=True)

for epoch in range(start_epoch, args.epochs):
    clips = torch.randn(2, 3, 8, 56, 56)
    loss = nn.functional.cross_entropy(model(clips), torch.randint(0, args.num_classes, (2,)))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    torch.save(model.state_dict(), os.path.join(args.ckpt_dir, f"epoch_{epoch:03d}.pth"))
'''

HMDB_CKPTS = '''
import os
import torch
from torchvision.models.video import r3d_18

os.makedirs("checkpoints/hmdb_r3d", exist_ok=True)
for e in range(6, 8):
    torch.save(r3d_18(weights=None, num_classes=6).state_dict(), f"checkpoints/hmdb_r3d/epoch_{e:03d}.pth")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more66-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    NB = ("ipython_cell", "ipython_arrows")

    # ---- data
    script("sliding-window-edge-patches-short-default-collate-tqdm", "data.image_size_mismatch", forms=P,
           argv="infer.py", setup=volumes("data/test_vols", ["liver_017", "liver_023"], (40, 72, 72)))
    script("brats-missing-t1ce-export-three-modalities-into-four-channel-conv3d", "data.image_channels",
           also=["model.input_shape"], setup=brats_setup(missing_t1ce=2))
    notebook("brats-labels-0-1-2-4-four-class-head-notebook", "data.label_out_of_range",
             also=["model.output_mismatch"], forms=NB, setup=brats_setup(shape=(16, 32, 32)))
    script("ct-int16-hounsfield-npy-into-conv3d", "data.dtype", setup=ct_setup())
    script("ct-npy-cut-short-by-interrupted-rsync-workers", "data.missing_or_corrupt", forms=W,
           setup=ct_setup(trunc=3))
    script("multi-clip-per-video-folded-into-batch-labels-per-video-tqdm", "data.label_shape", forms=P,
           setup=clips("data/frames/train", ["Basketball", "Diving", "JumpRope"], 2, t=16, size=(64, 48)))
    # ---- model
    script("c3d-fc6-sized-for-16-frames-clip-len-32-argparse", "model.input_shape", args=("--clip-len", "32"),
           setup=clips("data/frames/train", ["ApplyEyeMakeup", "Archery"], 2, t=40, size=(128, 112)))
    notebook("unet3d-four-levels-patches-40-slices-deep-notebook", "model.input_shape", forms=NB, setup=mri_setup)
    script("r3d-checkpoint-resumed-with-arch-default-r2plus1d", "model.weights_mismatch",
           args=("--resume", "runs/kinetics10_r3d/checkpoint.pth"), setup=prep(R3D_CKPT))
    script("cosine-scheduler-last-epoch-before-optimizer-state-resume", "model.api_misuse", setup=prep(UNET_CKPT))
    # ---- optimisation
    script("srcnn3d-mri-raw-scanner-intensities-sgd-anomaly-mode", "optim.divergence",
           setup=volumes("data/t1w", ["sub-01", "sub-02"], (32, 48, 48), dtype="uint16", lo=0, hi=4000))
    script("mean-teacher-ema-deepcopy-updated-in-place-outside-no-grad-tqdm", "optim.autograd_graph", forms=P,
           setup=la_setup)
    # ---- resource / environment / other
    script("totalseg-sliding-window-105-class-accumulator-full-res-job-memory-limit", "resource.host_memory",
           argv="predict.py", args=("data/abdomen/s0113_ct.npy",), setup=prep(BIG_CT))
    script("luna16-mhd-raw-file-handles-kept-open-spawn-workers", "env.multiprocessing", setup=luna_setup)
    script("foreground-biased-patch-sampler-np-sometrue-numpy2-tqdm", "env.version_incompat", forms=P,
           setup=kits_setup)
    script("resume-start-epoch-parsed-from-checkpoint-filename", "other", setup=prep(HMDB_CKPTS))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=3))
