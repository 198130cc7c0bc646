"""A sixty-fourth held-out set (g123, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: Kaggle-style data scientists running image competitions: ``train.csv`` / ``folds.csv`` label files
(read with ``csv`` / NumPy: the box has neither pandas nor scikit-learn, so the folds come from a fold column an
earlier split notebook wrote), k-fold loops that rebuild or reset the model, optimizer and loaders per fold,
out-of-fold predictions, test-time augmentation, ensembles of fold checkpoints and blends of experiments,
submission files, mixed image + tabular features, a fold resumed after a Kaggle session restart, and kernels with
4 CPUs and a memory limit. A natural mix of causes, each program built so that its cause is known by
construction; none a repeat of the scenarios in the other generators:

- data: multi-scale TTA views (1.0 and 1.25) ``torch.cat``-ed into one forward batch of a fold ensemble (tqdm),
  Human Protein Atlas red / green / blue / yellow PNGs stacked into a four-channel tensor for a stock ResNet,
  Herbarium-style non-contiguous ``category_id`` values under a head sized by the number of categories with
  label smoothing (tqdm), a label column sliced as ``arr[:, 0:1]`` (a pandas ``df[["label"]]`` habit) into
  cross-entropy, image + tabular metadata (sex, age, one-hot body site) built from Python ints (notebook), a fold
  resumed after a session restart whose resized-image manifest points into the wiped ``/kaggle/temp`` cache (in
  workers, a worker-count warning first), VinBigData radiologist boxes scaled to the 256 px PNGs with ``int()``
  so a thin box collapses to zero width (Faster R-CNN, tqdm);
- model: a metadata feature list built as "every column but the ids and the fold" (the ``target`` column
  included) that is one column shorter on ``test.csv`` at submission time, a RANZCR CLiP notebook whose ``CFG``
  cell came from a Cassava notebook (``num_classes = 5`` for eleven catheter targets, tqdm), image + metadata
  fusion fold checkpoints loaded by an inference script that still defines the image-only model, a ``OneCycleLR``
  made once before a fold loop that only resets the weights per fold (tqdm), ``ReduceLROnPlateau`` swapped in for
  a per-batch cosine schedule and still stepped per batch without a metric;
- optimisation: experiment blend weights fitted on OOF probabilities with Adam and clamped in place after each
  step (notebook), an OOF ``predict`` helper that switches autograd off with ``torch.set_grad_enabled(False)`` for
  the folds after it (tqdm), a PetFinder-Pawpularity image + metadata regressor given raw pixel width / height /
  file size next to the 0/1 flags and the raw 1..100 score, SGD, anomaly mode on;
- resource / environment / other: every test image's eight dihedral TTA views at 512 px preallocated once for all
  the fold models under the kernel's memory limit, a TTA test Dataset holding its view functions as lambdas under
  ``multiprocessing_context="spawn"`` (in workers), a hand-written ROC AUC calling ``np.trapz`` (NumPy 2, tqdm), a
  DDP fold loop (gloo, torchrun) that calls ``destroy_process_group`` at the end of each fold, out-of-fold
  probabilities written into a Python list with the fold's NumPy index array (notebook), fold test predictions
  returned as ``.tolist()`` and averaged with ``sum(...) / n`` for the submission.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: fold
checkpoints and OOF files are what an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more64.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import csv
import os

import numpy as np

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more64.py"

SCRIPTS = {}
CELLS = {}


# ------------------------------------------------------------------ setups (data an earlier notebook left)
def _img(path, size, mode, rng):
    from PIL import Image

    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    w, h = size
    if mode == "L":
        arr = rng.integers(0, 256, (h, w), dtype=np.uint8)
    else:
        arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    Image.fromarray(arr, mode=None).save(path)


def _table(path, header, rows):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def comp(csv_path, n, header, rowfn, img_dir=None, size=(64, 64), mode="RGB", ext="jpg", seed=0, img_of=None):
    """A competition folder: a CSV of `n` rows (rowfn(i, rng) -> row, the image id first) and, where
    `img_dir` is given, an image `img_dir/<id>.<ext>` for each row."""
    def setup(work):
        rng = np.random.default_rng(seed)
        rows = [rowfn(i, rng) for i in range(n)]
        _table(str(work / csv_path), header, rows)
        if img_dir:
            for r in rows:
                name = img_of(r) if img_of else f"{r[0]}.{ext}"
                _img(str(work / img_dir / name), size, mode, rng)
    return setup


def kaggle_ids(i, base=1000015157):
    return str(base + 7919 * i)


# fold checkpoints an earlier training run left (plain torchvision classifiers)
FOLD_CKPTS = '''
import os
import torch
import torchvision

os.makedirs("@@DIR@@", exist_ok=True)
for fold in range(@@N@@):
    torch.manual_seed(fold)
    torch.save(torchvision.models.@@ARCH@@(weights=None, num_classes=@@NC@@).state_dict(), f"@@DIR@@/@@ARCH@@_fold{fold}_best.pth")
'''


def fold_ckpts(d, n, arch="resnet18", nc=5):
    return prep(sub(FOLD_CKPTS, DIR=d, N=str(n), ARCH=arch, NC=str(nc)))


# ================================================================== data
SCRIPTS["tta-multiscale-views-cat-into-one-batch-fold-ensemble-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class CFG:
    exp = "exp07"
    img_size = 128
    n_folds = 3
    batch_size = 8
    num_classes = 5
    tta_scales = (1.0, 1.25)   # +0.004 on the public LB


class TestDataset(Dataset):
    def __init__(self, ids, root, transform):
        self.ids, self.root, self.transform = ids, root, transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return self.transform(Image.open(f"{self.root}/{self.ids[i]}").convert("RGB"))


def tta_probs(model, x):
    views = []
    for s in CFG.tta_scales:
        xs = x if s == 1.0 else F.interpolate(x, scale_factor=s, mode="bilinear", align_corners=False)
        views += [xs, xs.flip(3)]
    # every view in one forward pass: much faster on the kernel than a loop over the views
    logits = model(torch.cat(views))
    return logits.view(len(views), x.shape[0], -1).softmax(-1).mean(0)


def main():
    with open("sample_submission.csv", newline="") as f:
        test_ids = [r["image_id"] for r in csv.DictReader(f)]
    tf = T.Compose([T.Resize((CFG.img_size, CFG.img_size)), T.ToTensor(),
                    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    loader = DataLoader(TestDataset(test_ids, "test_images", tf), batch_size=CFG.batch_size, shuffle=False)
    probs = np.zeros((len(test_ids), CFG.num_classes), dtype=np.float32)
    for fold in range(CFG.n_folds):
        model = models.resnet18(weights=None, num_classes=CFG.num_classes)
        model.load_state_dict(torch.load(f"models/{CFG.exp}/resnet18_fold{fold}_best.pth", map_location="cpu"))
        model.eval()
        fold_probs = []
        with torch.no_grad():
            for x in tqdm(loader, desc=f"fold {fold}"):
                fold_probs.append(tta_probs(model, x).numpy())
        probs += np.concatenate(fold_probs) / CFG.n_folds
    with open("submission.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image_id", "label"])
        w.writerows(zip(test_ids, probs.argmax(1)))


if __name__ == "__main__":
    main()
'''

SCRIPTS["hpa-rgby-four-channel-stack-stock-resnet-folds"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

N_CLASSES = 28
COLORS = ("red", "green", "blue", "yellow")
# per-channel statistics of the HPA train set (from a public kernel)
MEAN = [0.0804, 0.0526, 0.0548, 0.0827]
STD = [0.1496, 0.1122, 0.1560, 0.1497]


class ProteinDataset(Dataset):
    def __init__(self, rows, root, transform):
        self.rows, self.root, self.transform = rows, root, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        # the four stains come as four grey PNGs: stack them into one H x W x 4 image
        img = np.stack([np.array(Image.open(f"{self.root}/{row['Id']}_{c}.png")) for c in COLORS], axis=-1)
        target = torch.zeros(N_CLASSES)
        target[[int(t) for t in row["Target"].split()]] = 1.0
        return self.transform(img), target


def run_fold(fold, rows):
    tf = T.Compose([T.ToTensor(), T.Normalize(MEAN, STD)])
    train_rows = [r for r in rows if int(r["fold"]) != fold]
    train_loader = DataLoader(ProteinDataset(train_rows, "train", tf), batch_size=8, shuffle=True)
    model = models.resnet18(weights=None, num_classes=N_CLASSES)
    criterion = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    for epoch in range(4):
        model.train()
        total = 0.0
        for x, y in train_loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(f"fold {fold} epoch {epoch}: train loss {total / len(train_loader):.4f}")
    torch.save(model.state_dict(), f"resnet18_rgby_fold{fold}.pth")


def main():
    torch.manual_seed(42)
    with open("train_folds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    print(f"{len(rows)} images, folds {sorted({r['fold'] for r in rows})}")
    for fold in range(4):
        run_fold(fold, rows)


if __name__ == "__main__":
    main()
'''


def hpa_setup(work):
    rng = np.random.default_rng(3)
    rows = []
    for i in range(16):
        iid = f"{rng.integers(0, 16**8):08x}-bb99-11e8-b2b9-ac1f6b6435d0"
        tgt = " ".join(str(t) for t in sorted(set(rng.integers(0, 28, rng.integers(1, 4)).tolist())))
        rows.append([iid, tgt, i % 4])
        for c in ("red", "green", "blue", "yellow"):
            _img(str(work / f"train/{iid}_{c}.png"), (64, 64), "L", rng)
    _table(str(work / "train_folds.csv"), ["Id", "Target", "fold"], rows)


SCRIPTS["herbarium-noncontiguous-category-ids-label-smoothing-folds-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class CFG:
    img_size = 96
    batch_size = 8
    epochs = 3
    lr = 3e-4
    n_folds = 3
    smoothing = 0.1


class HerbariumDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(f"train_images/{r['file_name']}").convert("RGB")), int(r["category_id"])


def main():
    torch.manual_seed(0)
    with open("train_metadata_folds.csv", newline="") as f:
        meta = list(csv.DictReader(f))
    num_classes = len({r["category_id"] for r in meta})
    print(f"{len(meta)} specimens, {num_classes} species")
    tf = T.Compose([T.Resize((CFG.img_size, CFG.img_size)), T.RandomHorizontalFlip(), T.ToTensor(),
                    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    for fold in range(CFG.n_folds):
        train_rows = [r for r in meta if int(r["fold"]) != fold]
        loader = DataLoader(HerbariumDataset(train_rows, tf), batch_size=CFG.batch_size, shuffle=True)
        model = models.resnet18(weights=None, num_classes=num_classes)
        criterion = nn.CrossEntropyLoss(label_smoothing=CFG.smoothing)
        optimizer = torch.optim.AdamW(model.parameters(), lr=CFG.lr, weight_decay=1e-2)
        for epoch in range(CFG.epochs):
            model.train()
            pbar = tqdm(loader, desc=f"fold {fold} epoch {epoch}")
            for x, y in pbar:
                loss = criterion(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                pbar.set_postfix(loss=f"{loss.item():.3f}")
        torch.save(model.state_dict(), f"herbarium_resnet18_fold{fold}.pth")


if __name__ == "__main__":
    main()
'''

HERB_CATS = [1023, 1024, 1187, 2310, 4412, 8043]
HERB_GENUS = {1023: "Carex", 1024: "Carex", 1187: "Cyperus", 2310: "Juncus", 4412: "Poa", 8043: "Viola"}


def herb_row(i, rng):
    cat = HERB_CATS[i % len(HERB_CATS)]
    return [f"{i:05d}", f"{cat // 100:03d}/{cat % 100:02d}/{i:05d}__{i % 7:03d}.jpg", cat, HERB_GENUS[cat], i % 3]


SCRIPTS["label-column-sliced-2d-cross-entropy-fold-loop"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

N_FOLDS = 4
EPOCHS = 5
BATCH_SIZE = 8

with open("train_folds.csv", newline="") as f:
    rows = list(csv.reader(f))[1:]
image_ids = np.array([r[0] for r in rows])
table = np.array([[int(r[1]), int(r[2])] for r in rows])   # label, fold
labels = table[:, 0:1]
folds = table[:, 1]


class LeafDataset(Dataset):
    def __init__(self, ids, labels, transform):
        self.ids, self.labels, self.transform = ids, labels, transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image = Image.open(f"train_images/{self.ids[i]}").convert("RGB")
        return self.transform(image), torch.tensor(self.labels[i])


tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.RandomVerticalFlip(), T.ToTensor()])
for fold in range(N_FOLDS):
    trn = folds != fold
    train_ds = LeafDataset(image_ids[trn], labels[trn], tf)
    train_loader = DataLoader(train_ds, batch_size=BATCH_SIZE, shuffle=True)
    model = models.resnet34(weights=None, num_classes=5)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(EPOCHS):
        model.train()
        for images, targets in train_loader:
            loss = criterion(model(images), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"fold {fold} epoch {epoch}: {loss.item():.4f}")
'''

CELLS["image-tabular-int-meta-long-into-linear-notebook"] = [
    '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

SITES = ["head/neck", "lower extremity", "oral/genital", "palms/soles", "torso", "upper extremity"]

with open("train_folds.csv", newline="") as f:
    df = list(csv.DictReader(f))
for r in df:
    r["sex"] = 1 if r["sex"] == "male" else 0
    r["age_approx"] = int(float(r["age_approx"] or 50))
print(len(df), "images,", sum(int(r["target"]) for r in df), "melanoma")
''',
    '''
class MelanomaDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.transform(Image.open(f"jpeg/train/{r['image_name']}.jpg").convert("RGB"))
        site = [int(r["anatom_site_general_challenge"] == s) for s in SITES]
        meta = torch.tensor([r["sex"], r["age_approx"]] + site)
        return image, meta, torch.tensor(float(r["target"]))


class ImageMetaNet(nn.Module):
    def __init__(self, n_meta):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.meta = nn.Sequential(nn.Linear(n_meta, 32), nn.BatchNorm1d(32), nn.SiLU(), nn.Dropout(0.3))
        self.head = nn.Linear(512 + 32, 1)

    def forward(self, image, meta):
        return self.head(torch.cat([self.cnn(image), self.meta(meta)], dim=1)).squeeze(1)
''',
    '''
tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor()])
fold = 0
train_loader = DataLoader(MelanomaDataset([r for r in df if r["fold"] != str(fold)], tf), batch_size=8, shuffle=True)
model = ImageMetaNet(n_meta=2 + len(SITES))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    model.train()
    for image, meta, target in train_loader:
        loss = criterion(model(image, meta), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"fold {fold} epoch {epoch}: {loss.item():.4f}")
''',
]

ISIC_SITES = ["head/neck", "lower extremity", "oral/genital", "palms/soles", "torso", "upper extremity", ""]


def isic_row(i, rng):
    return [f"ISIC_{int(rng.integers(10**6, 10**7)):07d}", f"IP_{int(rng.integers(10**6, 10**7)):07d}",
            ["male", "female"][i % 2], ["", "35.0", "45.0", "60.0", "70.0"][i % 5],
            ISIC_SITES[i % len(ISIC_SITES)], int(i % 5 == 0), i % 4]


ISIC_HEADER = ["image_name", "patient_id", "sex", "age_approx", "anatom_site_general_challenge", "target", "fold"]

SCRIPTS["resume-fold-after-restart-resized-cache-in-kaggle-temp-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class CFG:
    n_folds = 5
    start_fold = 2          # folds 0 and 1 finished before the session restarted
    epochs = 4
    batch_size = 16
    num_workers = 4         # 4 CPUs on the kernel
    out_dir = "working"


class CassavaDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(r["path"]).convert("RGB")), int(r["label"])


def main():
    # written by the first session: the 384 px copies made with a multiprocessing resize
    with open(f"{CFG.out_dir}/train_resized_384.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    done = sorted(p for p in os.listdir(CFG.out_dir) if p.endswith(".pth"))
    print("checkpoints found:", done)
    tf = T.Compose([T.RandomResizedCrop(128, scale=(0.6, 1.0)), T.RandomHorizontalFlip(), T.ToTensor()])
    for fold in range(CFG.start_fold, CFG.n_folds):
        train_rows = [r for r in rows if int(r["fold"]) != fold]
        loader = DataLoader(CassavaDataset(train_rows, tf), batch_size=CFG.batch_size, shuffle=True,
                            num_workers=CFG.num_workers)
        model = models.resnet18(weights=None, num_classes=5)
        optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
        for epoch in range(CFG.epochs):
            model.train()
            for x, y in tqdm(loader, desc=f"fold {fold} epoch {epoch}"):
                loss = nn.functional.cross_entropy(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        torch.save(model.state_dict(), f"{CFG.out_dir}/resnet18_fold{fold}.pth")


if __name__ == "__main__":
    main()
'''


def cassava_resume_setup(work):
    rng = np.random.default_rng(8)
    rows = []
    for i in range(40):
        iid = kaggle_ids(i)
        rows.append([f"/kaggle/temp/train_384/{iid}.jpg", int(rng.integers(0, 5)), i % 5])
    _table(str(work / "working/train_resized_384.csv"), ["path", "label", "fold"], rows)


SCRIPTS["vinbigdata-thin-box-int-scaled-to-256-png-fasterrcnn-tqdm"] = '''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm

IMG_SIZE = 256            # the PNGs of the "VinBigData 256 px" dataset
NUM_CLASSES = 15          # 14 findings + background


class VinBigDataset(Dataset):
    def __init__(self, csv_path, fold, train=True):
        boxes = defaultdict(list)
        with open(csv_path, newline="") as f:
            for r in csv.DictReader(f):
                if (int(r["fold"]) != fold) != train or r["class_name"] == "No finding":
                    continue
                boxes[r["image_id"]].append(r)
        self.ids = sorted(boxes)
        self.boxes = boxes

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image_id = self.ids[i]
        image = TF.to_tensor(Image.open(f"train_256/{image_id}.png").convert("RGB"))
        rows = self.boxes[image_id]
        # boxes are in the original DICOM pixels: scale them to the 256 px PNG
        sx = IMG_SIZE / float(rows[0]["width"])
        sy = IMG_SIZE / float(rows[0]["height"])
        b = [[int(float(r["x_min"]) * sx), int(float(r["y_min"]) * sy),
              int(float(r["x_max"]) * sx), int(float(r["y_max"]) * sy)] for r in rows]
        target = {"boxes": torch.tensor(b, dtype=torch.float32),
                  "labels": torch.tensor([int(r["class_id"]) + 1 for r in rows])}
        return image, target


def main():
    torch.manual_seed(0)
    ds = VinBigDataset("train_folds.csv", fold=0)
    print(f"fold 0: {len(ds)} training images with findings")
    loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
    for epoch in range(3):
        model.train()
        pbar = tqdm(loader, desc=f"epoch {epoch}")
        for images, targets in pbar:
            losses = model(list(images), list(targets))
            loss = sum(losses.values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            pbar.set_postfix(loss=f"{loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

VIN_CLASSES = ["Aortic enlargement", "Atelectasis", "Calcification", "Cardiomegaly", "Consolidation", "ILD",
               "Infiltration", "Lung Opacity", "Nodule/Mass", "Other lesion", "Pleural effusion",
               "Pleural thickening", "Pneumothorax", "Pulmonary fibrosis"]


def vin_setup(work):
    rng = np.random.default_rng(21)
    rows = []
    for i in range(8):
        iid = "".join(f"{int(v):08x}" for v in rng.integers(0, 2**32, 4))
        _img(str(work / f"train_256/{iid}.png"), (256, 256), "L", rng)
        w, h = 2304 + 16 * (i % 3), 2880
        fold = i % 4
        if i == 5:
            rows.append([iid, "No finding", 14, "R9", "", "", "", "", w, h, fold])
            continue
        for k in range(1 + i % 3):
            c = int(rng.integers(0, 14))
            x0, y0 = int(rng.integers(200, 1600)), int(rng.integers(300, 2000))
            bw, bh = int(rng.integers(120, 600)), int(rng.integers(120, 600))
            if i == 3 and k == 0:
                c, x0, bw, bh = 8, 1530, 6, 58     # a small nodule marked with a very thin box
            rows.append([iid, VIN_CLASSES[c], c, f"R{8 + k}", x0, y0, x0 + bw, y0 + bh, w, h, fold])
    _table(str(work / "train_folds.csv"), ["image_id", "class_name", "class_id", "rad_id", "x_min", "y_min",
                                           "x_max", "y_max", "width", "height", "fold"], rows)


# ================================================================== model
SCRIPTS["meta-features-every-column-but-ids-includes-target-submission"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

ID_COLS = ("image_name", "patient_id", "fold")
N_FOLDS, EPOCHS = 2, 1


def read_table(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    features = [c for c in rows[0] if c not in ID_COLS]
    meta = np.array([[float(r[c]) for c in features] for r in rows], dtype=np.float32)
    return rows, features, meta


class ImageMetaDataset(Dataset):
    def __init__(self, rows, meta, root, transform, with_target=True):
        self.rows, self.meta, self.root, self.transform = rows, meta, root, transform
        self.with_target = with_target

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.transform(Image.open(f"{self.root}/{r['image_name']}.jpg").convert("RGB"))
        meta = torch.from_numpy(self.meta[i])
        if self.with_target:
            return image, meta, torch.tensor(float(r["target"]))
        return image, meta


class Net(nn.Module):
    def __init__(self, n_meta):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.meta = nn.Sequential(nn.Linear(n_meta, 64), nn.ReLU(), nn.Linear(64, 32))
        self.head = nn.Linear(512 + 32, 1)

    def forward(self, x, m):
        return self.head(torch.cat([self.cnn(x), self.meta(m)], 1)).squeeze(1)


def main():
    torch.manual_seed(0)
    tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
    rows, features, meta = read_table("train_folds.csv")
    print("meta features:", features)
    folds = np.array([int(r["fold"]) for r in rows])
    models_ = []
    for fold in range(N_FOLDS):
        idx = np.where(folds != fold)[0]
        ds = ImageMetaDataset([rows[i] for i in idx], meta[idx], "train", tf)
        model = Net(n_meta=len(features))
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)
        for epoch in range(EPOCHS):
            for x, m, y in DataLoader(ds, batch_size=8, shuffle=True):
                loss = nn.functional.binary_cross_entropy_with_logits(model(x, m), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
        print(f"fold {fold}: last loss {loss.item():.4f}")
        models_.append(model.eval())

    # ---- submission
    test_rows, test_features, test_meta = read_table("test.csv")
    test_loader = DataLoader(ImageMetaDataset(test_rows, test_meta, "test", tf, with_target=False), batch_size=8)
    preds = []
    with torch.no_grad():
        for x, m in test_loader:
            preds.append(torch.stack([mdl(x, m).sigmoid() for mdl in models_]).mean(0))
    preds = torch.cat(preds).numpy()
    with open("submission.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image_name", "target"])
        w.writerows((r["image_name"], f"{p:.5f}") for r, p in zip(test_rows, preds))


if __name__ == "__main__":
    main()
'''

META_SITES = ["site_head/neck", "site_lower extremity", "site_torso", "site_upper extremity"]


def meta_setup(work):
    rng = np.random.default_rng(31)
    head = ["image_name", "patient_id", "sex", "age_approx"] + META_SITES + ["width", "height", "target", "fold"]
    rows = []
    for i in range(16):
        name = f"ISIC_{int(rng.integers(10**6, 10**7)):07d}"
        site = [0] * 4
        site[i % 4] = 1
        rows.append([name, f"IP_{int(rng.integers(10**6, 10**7)):07d}", i % 2, round(float(rng.integers(3, 9)) / 10, 1)]
                    + site + [round(6000 / 6000, 3), round(4000 / 6000, 3), int(i % 4 == 0), i % 2])
        _img(str(work / f"train/{name}.jpg"), (80, 60), "RGB", rng)
    _table(str(work / "train_folds.csv"), head, rows)
    trows = []
    for i in range(6):
        name = f"ISIC_{int(rng.integers(10**6, 10**7)):07d}"
        site = [0] * 4
        site[i % 4] = 1
        trows.append([name, f"IP_{int(rng.integers(10**6, 10**7)):07d}", i % 2, 0.5] + site + [1.0, 0.667])
        _img(str(work / f"test/{name}.jpg"), (80, 60), "RGB", rng)
    _table(str(work / "test.csv"), ["image_name", "patient_id", "sex", "age_approx"] + META_SITES
           + ["width", "height"], trows)


RANZCR_COLS = ["ETT - Abnormal", "ETT - Borderline", "ETT - Normal", "NGT - Abnormal", "NGT - Borderline",
               "NGT - Incompletely Imaged", "NGT - Normal", "CVC - Abnormal", "CVC - Borderline", "CVC - Normal",
               "Swan Ganz Catheter Present"]

CELLS["ranzcr-eleven-targets-cfg-num-classes-from-cassava-notebook"] = [
    '''
# ====================================================
# CFG  (from my Cassava notebook)
# ====================================================
class CFG:
    debug = False
    model_name = "resnet18"
    size = 128
    epochs = 3
    lr = 1e-4
    batch_size = 8
    n_fold = 4
    trn_fold = [0, 1, 2, 3]
    num_classes = 5
    seed = 42
''',
    '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

torch.manual_seed(CFG.seed)
with open("train_folds.csv", newline="") as f:
    train = list(csv.DictReader(f))
target_cols = [c for c in train[0] if c not in ("StudyInstanceUID", "PatientID", "fold")]
print(len(train), "radiographs,", len(target_cols), "targets")


class TrainDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform
        self.labels = np.array([[float(r[c]) for c in target_cols] for r in rows], dtype=np.float32)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        image = Image.open(f"train/{self.rows[i]['StudyInstanceUID']}.jpg").convert("RGB")
        return self.transform(image), torch.from_numpy(self.labels[i])
''',
    '''
def train_loop(fold):
    tf = T.Compose([T.Resize((CFG.size, CFG.size)), T.ToTensor()])
    train_ds = TrainDataset([r for r in train if int(r["fold"]) != fold], tf)
    loader = DataLoader(train_ds, batch_size=CFG.batch_size, shuffle=True, drop_last=True)
    model = getattr(models, CFG.model_name)(weights=None, num_classes=CFG.num_classes)
    criterion = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=CFG.lr)
    for epoch in range(CFG.epochs):
        model.train()
        for images, labels in tqdm(loader, desc=f"fold {fold} epoch {epoch}"):
            loss = criterion(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model


for fold in CFG.trn_fold:
    train_loop(fold)
''',
]


def ranzcr_row(i, rng):
    uid = "1.2.826.0.1.3680043.8.498." + str(int(rng.integers(10**10, 10**11)))
    lab = [0] * 11
    lab[[2, 6, 9][i % 3]] = 1
    if i % 5 == 0:
        lab[7] = 1
    return [uid] + lab + [f"{int(rng.integers(10**8, 10**9)):x}", i % 4]


SCRIPTS["fusion-fold-checkpoints-into-image-only-inference-model"] = '''
import csv
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class SkinNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Linear(self.cnn.fc.in_features, 1)

    def forward(self, x):
        return self.cnn(x).squeeze(1)


class TestDataset(Dataset):
    def __init__(self, names, transform):
        self.names, self.transform = names, transform

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        return self.transform(Image.open(f"test/{self.names[i]}.jpg").convert("RGB"))


with open("test.csv", newline="") as f:
    names = [r["image_name"] for r in csv.DictReader(f)]
tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(TestDataset(names, tf), batch_size=16)

checkpoints = sorted(glob.glob("input/melanoma-exp12/fold*_best.pth"))
print(f"{len(checkpoints)} fold checkpoints")
preds = np.zeros(len(names))
for path in checkpoints:
    model = SkinNet()
    model.load_state_dict(torch.load(path, map_location="cpu"))
    model.eval()
    with torch.no_grad():
        p = torch.cat([model(x).sigmoid() for x in loader]).numpy()
    preds += p / len(checkpoints)

with open("submission.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_name", "target"])
    w.writerows(zip(names, preds))
'''

FUSION_PREP = '''
import os
import torch
import torch.nn as nn
import torchvision


class ImageMetaNet(nn.Module):
    def __init__(self, n_meta=9):
        super().__init__()
        self.cnn = torchvision.models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.meta = nn.Sequential(nn.Linear(n_meta, 64), nn.BatchNorm1d(64), nn.SiLU(), nn.Linear(64, 32))
        self.head = nn.Linear(512 + 32, 1)


os.makedirs("input/melanoma-exp12", exist_ok=True)
for fold in range(3):
    torch.manual_seed(fold)
    torch.save(ImageMetaNet().state_dict(), f"input/melanoma-exp12/fold{fold}_best.pth")
'''

SCRIPTS["onecycle-made-once-fold-loop-only-resets-weights-tqdm"] = '''
import copy
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class CFG:
    n_folds = 3
    epochs = 2
    batch_size = 8
    max_lr = 1e-3


class PlantDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(f"images/{r['image_id']}.jpg").convert("RGB")), int(r["label"])


with open("train_folds.csv", newline="") as f:
    rows = list(csv.DictReader(f))
tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor()])


def make_loaders(fold):
    trn = [r for r in rows if int(r["fold"]) != fold]
    val = [r for r in rows if int(r["fold"]) == fold]
    return (DataLoader(PlantDataset(trn, tf), batch_size=CFG.batch_size, shuffle=True),
            DataLoader(PlantDataset(val, tf), batch_size=CFG.batch_size))


torch.manual_seed(0)
train_loader, valid_loader = make_loaders(0)
model = models.resnet18(weights=None, num_classes=4)
init_state = copy.deepcopy(model.state_dict())
optimizer = torch.optim.AdamW(model.parameters(), lr=CFG.max_lr / 25, weight_decay=1e-2)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=CFG.max_lr, epochs=CFG.epochs,
                                                steps_per_epoch=len(train_loader))
criterion = nn.CrossEntropyLoss()

for fold in range(CFG.n_folds):
    train_loader, valid_loader = make_loaders(fold)
    model.load_state_dict(init_state)      # every fold starts from the same weights
    for epoch in range(CFG.epochs):
        model.train()
        pbar = tqdm(train_loader, desc=f"fold {fold} epoch {epoch}")
        for x, y in pbar:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            scheduler.step()
            pbar.set_postfix(loss=f"{loss.item():.3f}", lr=f"{scheduler.get_last_lr()[0]:.2e}")
        model.eval()
        with torch.no_grad():
            acc = sum((model(x).argmax(1) == y).sum().item() for x, y in valid_loader) / len(valid_loader.dataset)
        print(f"fold {fold} epoch {epoch}: val acc {acc:.3f}")
    torch.save(model.state_dict(), f"resnet18_fold{fold}.pth")
'''

SCRIPTS["reduce-lr-on-plateau-stepped-per-batch-without-metric"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

N_FOLDS, EPOCHS = 5, 10


class ImageDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(f"train_images/{r['image_id']}.jpg").convert("RGB")), int(r["label"])


def evaluate(model, loader, criterion):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += criterion(model(x), y).item() * len(y)
    return total / len(loader.dataset)


def main():
    torch.manual_seed(0)
    with open("train_folds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    for fold in range(N_FOLDS):
        trn = DataLoader(ImageDataset([r for r in rows if int(r["fold"]) != fold], tf), batch_size=8, shuffle=True)
        val = DataLoader(ImageDataset([r for r in rows if int(r["fold"]) == fold], tf), batch_size=8)
        model = models.efficientnet_b0(weights=None, num_classes=5)
        criterion = nn.CrossEntropyLoss()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        # was CosineAnnealingWarmRestarts(optimizer, T_0=len(trn)); plateau did better on the CV
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1)
        best = float("inf")
        for epoch in range(EPOCHS):
            model.train()
            for x, y in trn:
                loss = criterion(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                scheduler.step()
            val_loss = evaluate(model, val, criterion)
            print(f"fold {fold} epoch {epoch}: val loss {val_loss:.4f}")
            if val_loss < best:
                best = val_loss
                torch.save(model.state_dict(), f"effb0_fold{fold}.pth")


if __name__ == "__main__":
    main()
'''

# ================================================================== optimisation
CELLS["blend-weights-fitted-on-oof-clamped-in-place-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn.functional as F

EXPS = ["exp07_resnet34", "exp11_effb0", "exp13_convnext_t"]
oof = torch.from_numpy(np.stack([np.load(f"oof/{e}_oof.npy") for e in EXPS]))   # (3, N, 5) probabilities
y = torch.from_numpy(np.load("oof/labels.npy"))
for e, p in zip(EXPS, oof):
    print(f"{e}: oof acc {(p.argmax(1) == y).float().mean():.4f}  logloss {F.nll_loss(p.log(), y):.4f}")
''',
    '''
# fit the blend weights on the OOF predictions
w = torch.ones(len(EXPS), requires_grad=True)
opt = torch.optim.Adam([w], lr=0.05)
for it in range(300):
    blend = (w[:, None, None] * oof).sum(0) / w.sum()
    loss = F.nll_loss(blend.clamp_min(1e-7).log(), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    w.clamp_(min=0.0)          # no negative weights
    if it % 50 == 0:
        print(it, loss.item(), w.tolist())
print("weights:", (w / w.sum()).tolist())
''',
]

OOF_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(5)
os.makedirs("oof", exist_ok=True)
y = rng.integers(0, 5, 400)
np.save("oof/labels.npy", y)
for k, e in enumerate(["exp07_resnet34", "exp11_effb0", "exp13_convnext_t"]):
    logits = rng.normal(size=(400, 5)) + (2.0 + 0.3 * k) * np.eye(5)[y]
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    np.save(f"oof/{e}_oof.npy", p.astype(np.float32))
'''

SCRIPTS["oof-predict-set-grad-enabled-false-leaks-into-next-fold-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

N_FOLDS, EPOCHS, BS = 3, 1, 8


class DRDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(f"train_images/{r['id_code']}.png").convert("RGB")), int(r["diagnosis"])


def predict(model, loader):
    model.eval()
    torch.set_grad_enabled(False)
    probs = [model(x).softmax(1) for x, _ in loader]
    return torch.cat(probs).numpy()


def main():
    torch.manual_seed(0)
    with open("train_folds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    folds = np.array([int(r["fold"]) for r in rows])
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    oof = np.zeros((len(rows), 5), dtype=np.float32)
    for fold in range(N_FOLDS):
        trn_idx, val_idx = np.where(folds != fold)[0], np.where(folds == fold)[0]
        train_loader = DataLoader(DRDataset([rows[i] for i in trn_idx], tf), batch_size=BS, shuffle=True)
        valid_loader = DataLoader(DRDataset([rows[i] for i in val_idx], tf), batch_size=BS)
        model = models.resnet18(weights=None, num_classes=5)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        for epoch in range(EPOCHS):
            model.train()
            pbar = tqdm(train_loader, desc=f"fold {fold} epoch {epoch}")
            for x, y in pbar:
                loss = nn.functional.cross_entropy(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                pbar.set_postfix(loss=f"{loss.item():.3f}")
        oof[val_idx] = predict(model, valid_loader)
        acc = (oof[val_idx].argmax(1) == np.array([int(rows[i]["diagnosis"]) for i in val_idx])).mean()
        print(f"fold {fold}: oof acc {acc:.3f}")
    np.save("oof_resnet18.npy", oof)


if __name__ == "__main__":
    main()
'''

SCRIPTS["pawpularity-raw-pixel-size-metadata-sgd-anomaly-mode"] = '''
import csv
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

FLAGS = ["Subject Focus", "Eyes", "Face", "Near", "Action", "Accessory", "Group", "Collage", "Human", "Occlusion",
         "Info", "Blur"]
torch.autograd.set_detect_anomaly(True)   # the loss went NaN in the last version, find where


class PetDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        path = f"train/{r['Id']}.jpg"
        img = Image.open(path).convert("RGB")
        # extra features: the photo's size and file size
        meta = [float(r[c]) for c in FLAGS] + [img.width, img.height, os.path.getsize(path)]
        return self.transform(img), torch.tensor(meta, dtype=torch.float32), torch.tensor(float(r["Pawpularity"]))


class PawNet(nn.Module):
    def __init__(self, n_meta):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.head = nn.Sequential(nn.Linear(512 + n_meta, 128), nn.ReLU(), nn.Linear(128, 1))

    def forward(self, x, meta):
        return self.head(torch.cat([self.cnn(x), meta], 1)).squeeze(1)


def main():
    torch.manual_seed(0)
    with open("train_folds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    for fold in range(5):
        loader = DataLoader(PetDataset([r for r in rows if int(r["fold"]) != fold], tf), batch_size=8, shuffle=True)
        model = PawNet(len(FLAGS) + 3)
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
        for epoch in range(5):
            model.train()
            for x, meta, y in loader:
                loss = nn.functional.mse_loss(model(x, meta), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            print(f"fold {fold} epoch {epoch}: rmse {loss.item() ** 0.5:.3f}")


if __name__ == "__main__":
    main()
'''


def paw_setup(work):
    from PIL import Image

    rng = np.random.default_rng(13)
    rows = []
    for i in range(20):
        iid = "".join(f"{int(v):08x}" for v in rng.integers(0, 2**32, 4))
        w, h = [(720, 960), (960, 720), (540, 720), (1080, 1080)][i % 4]
        arr = rng.integers(0, 256, (h // 6, w // 6, 3), dtype=np.uint8)
        os.makedirs(work / "train", exist_ok=True)
        Image.fromarray(arr).resize((w, h)).save(work / f"train/{iid}.jpg", quality=90)
        flags = [int(rng.random() < 0.3) for _ in range(12)]
        rows.append([iid] + flags + [int(rng.integers(1, 101)), i % 5])
    _table(str(work / "train_folds.csv"),
           ["Id", "Subject Focus", "Eyes", "Face", "Near", "Action", "Accessory", "Group", "Collage", "Human",
            "Occlusion", "Info", "Blur", "Pawpularity", "fold"], rows)


# ================================================================== resource / environment / other
SCRIPTS["eight-view-tta-cache-whole-test-set-kernel-memory-limit"] = '''
import resource

# the kernel's RAM: 30 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (30 * 1024 ** 3, hard))

import csv

import numpy as np
import torch
from PIL import Image
from torchvision import models, transforms as T
from tqdm import tqdm

IMG_SIZE = 512
N_FOLDS = 5

with open("sample_submission.csv", newline="") as f:
    test_ids = [r["id"] for r in csv.DictReader(f)]
print(f"{len(test_ids)} test images")

tf = T.Compose([T.Resize((IMG_SIZE, IMG_SIZE)), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

# build the 8 dihedral views once and reuse them for all five fold models
views = torch.empty(len(test_ids), 8, 3, IMG_SIZE, IMG_SIZE)
for i, image_id in enumerate(tqdm(test_ids, desc="tta views")):
    x = tf(Image.open(f"test/{image_id}.tif").convert("RGB"))
    for k in range(4):
        r = torch.rot90(x, k, dims=(1, 2))
        views[i, 2 * k] = r
        views[i, 2 * k + 1] = r.flip(2)

preds = np.zeros(len(test_ids))
for fold in range(N_FOLDS):
    model = models.resnet34(weights=None, num_classes=1)
    model.load_state_dict(torch.load(f"models/resnet34_fold{fold}.pth", map_location="cpu"))
    model.eval()
    with torch.no_grad():
        for i in range(len(test_ids)):
            preds[i] += model(views[i]).sigmoid().mean().item() / N_FOLDS
'''

SCRIPTS["tta-dataset-view-lambdas-spawn-workers"] = '''
import csv

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class TTADataset(Dataset):
    """returns every TTA view of a test image, stacked: (n_views, 3, H, W)"""

    def __init__(self, ids, root, size=128):
        self.ids, self.root = ids, root
        self.base = T.Compose([T.Resize((size, size)), T.ToTensor()])
        self.views = [
            lambda x: x,
            lambda x: x.flip(-1),
            lambda x: x.flip(-2),
            lambda x: x.transpose(-1, -2),
        ]

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        x = self.base(Image.open(f"{self.root}/{self.ids[i]}.jpg").convert("RGB"))
        return torch.stack([v(x) for v in self.views])


def main():
    with open("sample_submission.csv", newline="") as f:
        ids = [r["image_id"] for r in csv.DictReader(f)]
    # fork + OpenCV threads froze the kernel at fold 3 (see the discussion thread): use spawn
    loader = DataLoader(TTADataset(ids, "test_images"), batch_size=8, num_workers=2,
                        multiprocessing_context="spawn")
    model = models.resnet18(weights=None, num_classes=5)
    model.load_state_dict(torch.load("models/resnet18_fold0_best.pth", map_location="cpu"))
    model.eval()
    probs = []
    with torch.no_grad():
        for x in tqdm(loader):
            b, v = x.shape[:2]
            probs.append(model(x.flatten(0, 1)).softmax(1).view(b, v, -1).mean(1))
    probs = torch.cat(probs).numpy()
    with open("submission.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image_id", "label"])
        w.writerows(zip(ids, probs.argmax(1)))


if __name__ == "__main__":
    main()
'''

SCRIPTS["hand-written-roc-auc-np-trapz-fold-validation-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


def roc_auc(y_true, y_score):
    """ROC AUC without scikit-learn"""
    order = np.argsort(-y_score)
    y = np.asarray(y_true)[order]
    tpr = np.concatenate([[0], np.cumsum(y) / y.sum()])
    fpr = np.concatenate([[0], np.cumsum(1 - y) / (1 - y).sum()])
    return np.trapz(tpr, fpr)


class CancerDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(f"train/{r['id']}.tif").convert("RGB")), torch.tensor(float(r["label"]))


def main():
    torch.manual_seed(0)
    with open("train_folds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    tf = T.Compose([T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])
    for fold in range(5):
        trn = DataLoader(CancerDataset([r for r in rows if int(r["fold"]) != fold], tf), batch_size=8, shuffle=True)
        val = DataLoader(CancerDataset([r for r in rows if int(r["fold"]) == fold], tf), batch_size=16)
        model = models.resnet18(weights=None, num_classes=1)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        best = 0.0
        for epoch in range(3):
            model.train()
            for x, y in tqdm(trn, desc=f"fold {fold} epoch {epoch}"):
                loss = nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            model.eval()
            with torch.no_grad():
                scores = torch.cat([model(x).squeeze(1) for x, _ in val]).numpy()
            labels = np.array([float(r["label"]) for r in val.dataset.rows])
            auc = roc_auc(labels, scores)
            print(f"fold {fold} epoch {epoch}: val auc {auc:.4f}")
            if auc > best:
                best = auc
                torch.save(model.state_dict(), f"resnet18_fold{fold}.pth")


if __name__ == "__main__":
    main()
'''


def pcam_setup(work):
    from PIL import Image

    rng = np.random.default_rng(17)
    rows = []
    for i in range(20):
        iid = "".join(f"{int(v):08x}" for v in rng.integers(0, 2**32, 5))
        os.makedirs(work / "train", exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (96, 96, 3), dtype=np.uint8)).save(work / f"train/{iid}.tif")
        rows.append([iid, int(i % 3 == 0), i % 5])
    _table(str(work / "train_folds.csv"), ["id", "label", "fold"], rows)


SCRIPTS["ddp-fold-loop-destroys-process-group-each-fold-torchrun"] = '''
import csv
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from PIL import Image
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler
from torchvision import models, transforms as T

N_FOLDS, EPOCHS = 3, 1


class LeafDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(f"train_images/{r['image_id']}.jpg").convert("RGB")), int(r["label"])


def run_fold(fold, rows, rank):
    tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
    ds = LeafDataset([r for r in rows if int(r["fold"]) != fold], tf)
    sampler = DistributedSampler(ds, shuffle=True, seed=fold)
    loader = DataLoader(ds, batch_size=4, sampler=sampler)
    model = DDP(models.resnet18(weights=None, num_classes=5))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(EPOCHS):
        sampler.set_epoch(epoch)
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if rank == 0:
            print(f"fold {fold} epoch {epoch}: loss {loss.item():.4f}", flush=True)
    if rank == 0:
        torch.save(model.module.state_dict(), f"resnet18_fold{fold}.pth")
    # free the communicator's buffers before the next fold
    dist.destroy_process_group()


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    with open("train_folds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    for fold in range(N_FOLDS):
        run_fold(fold, rows, rank)


if __name__ == "__main__":
    main()
'''

CELLS["oof-python-list-indexed-by-fold-index-array-notebook"] = [
    '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

with open("train_folds.csv", newline="") as f:
    train = list(csv.DictReader(f))
folds = np.array([int(r["fold"]) for r in train])
labels = np.array([int(r["label"]) for r in train])
N_FOLDS = folds.max() + 1


class ImgDataset(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.transform(Image.open(f"train_images/{r['image_id']}.jpg").convert("RGB")), int(r["label"])


tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
print(len(train), "images in", N_FOLDS, "folds")
''',
    '''
torch.manual_seed(0)
oof = [0.0] * len(train)        # out-of-fold probability of the positive class
for fold in range(N_FOLDS):
    trn_idx = np.where(folds != fold)[0]
    val_idx = np.where(folds == fold)[0]
    model = models.resnet18(weights=None, num_classes=2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for x, y in DataLoader(ImgDataset([train[i] for i in trn_idx], tf), batch_size=8, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        p = torch.cat([model(x).softmax(1)[:, 1] for x, _ in DataLoader(ImgDataset([train[i] for i in val_idx], tf),
                                                                         batch_size=16)])
    oof[val_idx] = p.numpy()
    print(f"fold {fold} done")
''',
]

SCRIPTS["fold-test-preds-tolist-summed-for-submission"] = '''
import csv
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

N_FOLDS = 3


class TestDataset(Dataset):
    def __init__(self, ids, transform):
        self.ids, self.transform = ids, transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return self.transform(Image.open(f"test_images/{self.ids[i]}").convert("RGB"))


def predict(model, loader):
    model.eval()
    out = []
    with torch.no_grad():
        for x in loader:
            out.append(model(x).softmax(1))
    return torch.cat(out).tolist()     # plain lists: go straight into the json log


with open("sample_submission.csv", newline="") as f:
    ids = [r["image_id"] for r in csv.DictReader(f)]
tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(TestDataset(ids, tf), batch_size=8)

fold_preds = []
for fold in range(N_FOLDS):
    model = models.resnet18(weights=None, num_classes=5)
    model.load_state_dict(torch.load(f"models/exp07/resnet18_fold{fold}_best.pth", map_location="cpu"))
    fold_preds.append(predict(model, loader))
    print(f"fold {fold}: {len(fold_preds[-1])} test predictions")
with open("test_preds.json", "w") as f:
    json.dump(fold_preds, f)

preds = sum(fold_preds) / N_FOLDS
with open("submission.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "label"])
    w.writerows((i, int(max(range(5), key=lambda c: p[c]))) for i, p in zip(ids, preds))
'''


def label_rows(n_cls, ext="jpg", n_folds=3, fold_col=True):
    def row(i, rng):
        r = [f"{kaggle_ids(i)}.{ext}" if ext else kaggle_ids(i), int(rng.integers(0, n_cls))]
        return r + [i % n_folds] if fold_col else r
    return row


def cases():
    out, add, script, notebook = case_builders("torch-more64-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    NB = ("ipython_cell", "ipython_arrows")
    NBP = ("ipython_cell", "ipython_arrows", "progress_bars")
    TR = ("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2")

    def sample_sub(n, key="image_id", img_dir="test_images", size=(120, 90), ext="jpg"):
        def row(i, rng):
            return [f"{kaggle_ids(i, 2216849948)}.{ext}" if key == "image_id" else kaggle_ids(i, 2216849948), 0]
        return comp("sample_submission.csv", n, [key, "label"], row, img_dir=img_dir, size=size,
                    img_of=(lambda r: r[0]) if key == "image_id" else None, ext=ext)

    def train_csv(n, n_cls, n_folds, img_dir="train_images", size=(100, 80), ext="jpg", seed=0, key="image_id",
                  label="label", name="train_folds.csv", id_ext=True):
        def row(i, rng):
            iid = kaggle_ids(i)
            return [f"{iid}.{ext}" if id_ext else iid, int(rng.integers(0, n_cls)), i % n_folds]
        return comp(name, n, [key, label, "fold"], row, img_dir=img_dir, size=size, seed=seed,
                    img_of=(lambda r: r[0]) if id_ext else None, ext=ext)

    # ---- data
    script("tta-multiscale-views-cat-into-one-batch-fold-ensemble-tqdm", "data.image_size_mismatch", forms=P,
           argv="predict.py", setup=both(sample_sub(10), fold_ckpts("models/exp07", 3)))
    script("hpa-rgby-four-channel-stack-stock-resnet-folds", "data.image_channels", also=["model.input_shape"],
           setup=hpa_setup)
    script("herbarium-noncontiguous-category-ids-label-smoothing-folds-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P,
           setup=comp("train_metadata_folds.csv", 18, ["image_id", "file_name", "category_id", "genus", "fold"],
                      herb_row, img_dir="train_images", size=(80, 120), img_of=lambda r: r[1]))
    script("label-column-sliced-2d-cross-entropy-fold-loop", "data.label_shape",
           setup=train_csv(16, 5, 4))
    notebook("image-tabular-int-meta-long-into-linear-notebook", "data.dtype", forms=NB,
             setup=comp("train_folds.csv", 16, ISIC_HEADER, isic_row, img_dir="jpeg/train", size=(90, 60)))
    script("resume-fold-after-restart-resized-cache-in-kaggle-temp-workers", "data.missing_or_corrupt", forms=W,
           setup=both(cassava_resume_setup, fold_ckpts("working", 2)))
    script("vinbigdata-thin-box-int-scaled-to-256-png-fasterrcnn-tqdm", "data.bbox_invalid", forms=P,
           setup=vin_setup)
    # ---- model
    script("meta-features-every-column-but-ids-includes-target-submission", "model.input_shape",
           setup=meta_setup)
    notebook("ranzcr-eleven-targets-cfg-num-classes-from-cassava-notebook", "model.output_mismatch",
             also=["data.label_shape"], forms=NBP,
             setup=comp("train_folds.csv", 16, ["StudyInstanceUID"] + RANZCR_COLS + ["PatientID", "fold"], ranzcr_row,
                        img_dir="train", size=(80, 96)))
    script("fusion-fold-checkpoints-into-image-only-inference-model", "model.weights_mismatch", argv="infer.py",
           setup=both(comp("test.csv", 6, ["image_name", "patient_id"],
                           lambda i, rng: [f"ISIC_{int(rng.integers(10**6, 10**7)):07d}", f"IP_{i:07d}"],
                           img_dir="test", size=(90, 60)), prep(FUSION_PREP)))
    script("onecycle-made-once-fold-loop-only-resets-weights-tqdm", "model.api_misuse", forms=P,
           setup=train_csv(24, 4, 3, img_dir="images", id_ext=False))
    script("reduce-lr-on-plateau-stepped-per-batch-without-metric", "model.api_misuse",
           setup=train_csv(20, 5, 5, id_ext=False))
    # ---- optimisation
    notebook("blend-weights-fitted-on-oof-clamped-in-place-notebook", "optim.autograd_graph", forms=NB,
             setup=prep(OOF_PREP))
    script("oof-predict-set-grad-enabled-false-leaks-into-next-fold-tqdm", "optim.autograd_graph", forms=P,
           setup=comp("train_folds.csv", 18, ["id_code", "diagnosis", "fold"],
                      lambda i, rng: [f"{rng.integers(0, 16**12):012x}", int(rng.integers(0, 5)), i % 3],
                      img_dir="train_images", ext="png", size=(96, 72)))
    script("pawpularity-raw-pixel-size-metadata-sgd-anomaly-mode", "optim.divergence", setup=paw_setup)
    # ---- resource / environment / other
    script("eight-view-tta-cache-whole-test-set-kernel-memory-limit", "resource.host_memory", argv="predict.py",
           setup=comp("sample_submission.csv", 4200, ["id", "label"],
                      lambda i, rng: [f"{rng.integers(0, 16**10):010x}{i:06x}", 0]))
    script("tta-dataset-view-lambdas-spawn-workers", "env.multiprocessing", argv="predict.py",
           setup=both(comp("sample_submission.csv", 10, ["image_id", "label"],
                           lambda i, rng: [kaggle_ids(i, 2216849948), 0], img_dir="test_images", size=(120, 90)),
                      fold_ckpts("models", 1)))
    script("hand-written-roc-auc-np-trapz-fold-validation-tqdm", "env.version_incompat", forms=P, setup=pcam_setup)
    script("ddp-fold-loop-destroys-process-group-each-fold-torchrun", "env.distributed", argv="train_ddp.py", pre=TR,
           setup=train_csv(16, 5, 3, id_ext=False), timeout=300,
           exception="ValueError")  # the rank's own error; torchrun's ChildFailedError only reports it
    notebook("oof-python-list-indexed-by-fold-index-array-notebook", "other", forms=NB,
             setup=train_csv(12, 2, 2, id_ext=False))
    script("fold-test-preds-tolist-summed-for-submission", "other", argv="predict.py",
           setup=both(sample_sub(6), fold_ckpts("models/exp07", 3)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=3))
