"""A twentieth held-out set of PyTorch / torchvision failures: everyday image
classifier training and inference scripts as beginners and Kaggle users write
them. Custom ``Dataset`` classes over competition CSV files (header rows read as
data, ids turned into floats, blank label cells, FER2013 pixel strings, DICOM
files), hand-written class-imbalance weights and focal losses, multi-label and
regression heads, pretrained torchvision backbones with a replaced head (timm
habits on torchvision models, heads that do not fit the backbone), freezing and
unfreezing for fine-tuning, optimizers over the wrong parameters, GradScaler
with gradient accumulation, OneCycle / plateau schedulers, early stopping,
checkpoints saved and loaded across model changes, evaluation and submission
code, test-time augmentation.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads: "pretrained" weights are files an earlier run left on disk); the
label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more20.py [-k filter] [--out DIR]
"""

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, sub, write  # noqa: E402,F401

SRC = "corpus/generators/torch_more20.py"


# ====================================================================== setups
def csv_images(csv, header, rows, img_dir, ext="jpg", size=(64, 64), mode="RGB", no_image=()):
    """A competition folder: `img_dir/<row[0]>.<ext>` images and a CSV with these rows."""
    def setup(work: Path):
        specs = [(f"{img_dir}/{r[0]}.{ext}", size, mode) for r in rows if r[0] not in no_image]
        make_images(work, specs)
        lines = ([header] if header else []) + [",".join(str(x) for x in r) for r in rows]
        p = work / csv
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("\n".join(lines) + "\n")
    return setup


def weights(arch, path, **kw):
    """ImageNet-style weights file for `arch` (random values, same layout)."""
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    return prep(f'''
        import os, torch, torchvision
        os.makedirs(os.path.dirname("{path}") or ".", exist_ok=True)
        torch.save(torchvision.models.{arch}({args}).state_dict(), "{path}")
    ''')


def fer_csv(rows=16, short_row=None):
    """FER2013-style CSV: emotion,pixels,Usage with 48x48 space-separated pixels."""
    rnd = random.Random(7)
    lines = ["emotion,pixels,Usage"]
    for i in range(rows):
        n = 48 * 48 - (1 if i == short_row else 0)
        px = " ".join(str(rnd.randrange(256)) for _ in range(n))
        lines.append(f"{i % 7},{px},{'Training' if i < rows - 4 else 'PublicTest'}")
    return write("fer2013/fer2013.csv", "\n".join(lines) + "\n")


CASSAVA_IDS = ["1000015157", "1000201771", "100042118", "1000723321", "1000812911", "1000837476",
               "1000910826", "1001320321", "1001723730", "1001742395", "1001749118", "100204014"]
cassava = csv_images("train.csv", "image_id,label", [(i, n % 5) for n, i in enumerate(CASSAVA_IDS)],
                     "train_images")

APTOS_IDS = ["000c1434d8d7", "001639a390f0", "0024cdab0c1e", "002c21358ce6", "005b95c28852",
             "0083ee8054ee", "0097f532ac9f", "00a8624548a9", "00b74780d31d", "00cb6555d108",
             "00cc2b75cddd", "00e4ddff966a"]

PLANET_TAGS = ["agriculture", "clear", "cloudy", "haze", "primary", "water"]
planet = csv_images("train_v2.csv", "image_name,tags",
                    [(f"train_{i}", " ".join(PLANET_TAGS[j] for j in range(6) if (i + j) % 3 == 0) or "clear")
                     for i in range(12)], "train-jpg")

UTK = [f"{age}_{sex}_{race}_2017011{i}1742{i}5{i}.jpg.chip" for i, (age, sex, race) in
       enumerate([(26, 0, 1), (35, 1, 0), (61, 0, 3), (4, 1, 2), (42, 0, 0), (23, 1, 4), (70, 0, 0), (31, 1, 1),
                  (18, 0, 2), (54, 1, 0), (9, 0, 3), (38, 1, 1)])]
utkface = imgs([(f"UTKFace/{n}.jpg", (64, 64), "RGB") for n in UTK])


# ====================================================================== scripts
SCRIPTS = {}
CELLS = {}

# ---------------------------------------------------------------- CSV datasets
SCRIPTS["csv-reader-header-row-as-image-id-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

torch.manual_seed(0)


class CassavaDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform=None):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.reader(f))
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        image_id, label = self.rows[idx]
        image = Image.open(f"{self.img_dir}/{image_id}.jpg").convert("RGB")
        if self.transform:
            image = self.transform(image)
        return image, int(label)


train_tf = transforms.Compose([
    transforms.RandomResizedCrop(64, scale=(0.6, 1.0)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])

if __name__ == "__main__":
    dataset = CassavaDataset("train.csv", "train_images", train_tf)
    loader = DataLoader(dataset, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(3):
        model.train()
        for step, (images, labels) in enumerate(loader):
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
'''

SCRIPTS["genfromtxt-image-ids-become-floats"] = '''
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class SignDataset(Dataset):
    """train.csv: id,label  -> images/<id>.png"""

    def __init__(self, csv_file, img_dir, transform):
        data = np.genfromtxt(csv_file, delimiter=",", skip_header=1)
        self.ids = data[:, 0]
        self.labels = data[:, 1].astype(np.int64)
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        path = os.path.join(self.img_dir, f"{self.ids[idx]}.png")
        image = Image.open(path).convert("RGB")
        return self.transform(image), self.labels[idx]


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = SignDataset("data/train.csv", "data/images", tf)
print("train samples:", len(train_ds))
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 6)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(5):
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''

SCRIPTS["pandas-exported-csv-blank-label-cells-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from tqdm import tqdm


class RetinopathyDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        image = Image.open(f"{self.img_dir}/{row['id_code']}.png").convert("RGB")
        # the merged csv was written by pandas, labels come out as "2.0"
        label = int(float(row["diagnosis"]))
        return self.transform(image), label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.5] * 3, [0.5] * 3)])
train_ds = RetinopathyDataset("merged_train.csv", "train_images", tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=False)

model = models.resnet18(weights=None)
model.fc = nn.Linear(512, 5)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()

for epoch in range(2):
    model.train()
    pbar = tqdm(train_loader, desc=f"Epoch {epoch + 1}/2")
    for images, labels in pbar:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''

FER_DATASET = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
@@EXTRA_IMPORT@@

EMOTIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]


class FER2013(Dataset):
    def __init__(self, csv_file, usage="Training", transform=None):
        with open(csv_file, newline="") as f:
            self.rows = [r for r in csv.DictReader(f) if r["Usage"] == usage]
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
@@GETITEM@@


class EmotionCNN(nn.Module):
    def __init__(self, num_classes=7):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(128 * 6 * 6, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


@@MAIN@@
'''

SCRIPTS["fer2013-pixel-row-cut-short-reshape-workers"] = sub(
    FER_DATASET, EXTRA_IMPORT="",
    GETITEM='''\
        pixels = np.array(row["pixels"].split(), dtype=np.uint8).reshape(48, 48)
        image = Image.fromarray(pixels)
        if self.transform:
            image = self.transform(image)
        return image, int(row["emotion"])''',
    MAIN='''\
if __name__ == "__main__":
    train_tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.RandomRotation(10),
                                   transforms.ToTensor(), transforms.Normalize([0.5], [0.5])])
    train_ds = FER2013("fer2013/fer2013.csv", "Training", train_tf)
    loader = DataLoader(train_ds, batch_size=4, shuffle=False, num_workers=2)
    model = EmotionCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(10):
        running = 0.0
        for images, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            running += loss.item()
        print(f"epoch {epoch}: {running / len(loader):.4f}")''')

SCRIPTS["fer2013-pixels-parsed-as-float64-tqdm"] = sub(
    FER_DATASET, EXTRA_IMPORT="from tqdm import tqdm",
    GETITEM='''\
        pixels = np.array(row["pixels"].split(), dtype=float).reshape(1, 48, 48) / 255.0
        return torch.from_numpy(pixels), int(row["emotion"])''',
    MAIN='''\
train_ds = FER2013("fer2013/fer2013.csv", "Training")
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = EmotionCNN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for images, labels in tqdm(loader, desc=f"epoch {epoch}"):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()''')

SCRIPTS["rsna-csv-points-at-dicom-files"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class PneumoniaDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform):
        with open(csv_file, newline="") as f:
            rows = list(csv.DictReader(f))
        # one row per box; keep one label per patient
        self.samples = {r["patientId"]: int(r["Target"]) for r in rows}
        self.ids = sorted(self.samples)
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        pid = self.ids[idx]
        image = Image.open(os.path.join(self.img_dir, pid + ".dcm")).convert("RGB")
        return self.transform(image), self.samples[pid]


tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
ds = PneumoniaDataset("stage_2_train_labels.csv", "stage_2_train_images", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)

model = models.densenet121(weights=None)
model.classifier = nn.Linear(model.classifier.in_features, 2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for images, labels in loader:
    optimizer.zero_grad()
    loss = criterion(model(images), labels)
    loss.backward()
    optimizer.step()
    print(loss.item())
'''


def rsna_setup(work: Path):
    ids = ["0004cfab-14fd-4e49-80ba-63a80b6bddd6", "00313ee0-9eaa-42f4-b0ab-c148ed3241cd",
           "00322d4d-1c29-4943-afc9-b6754be640eb", "003d8fa0-6bf1-40ed-b54c-ac657f8495c5",
           "00436515-870c-4b36-a041-de91049b9ab4", "00569f44-917d-4c86-a842-81832af98c30"]
    lines = ["patientId,x,y,width,height,Target"]
    d = work / "stage_2_train_images"
    d.mkdir(parents=True, exist_ok=True)
    for i, pid in enumerate(ids):
        lines.append(f"{pid},{'264.0,152.0,213.0,379.0,1' if i % 2 else ',,,,0'}")
        # DICOM: 128-byte preamble, "DICM", then a few group-0002 elements
        (d / f"{pid}.dcm").write_bytes(bytes(128) + b"DICM" + b"\x02\x00\x00\x00UL\x04\x00\xc4\x00\x00\x00"
                                       + b"\x02\x00\x10\x00UI\x14\x001.2.840.10008.1.2.1\x00" + bytes(600))
    (work / "stage_2_train_labels.csv").write_text("\n".join(lines) + "\n")


# ------------------------------------------------------------- imbalance / losses
SCRIPTS["balanced-class-weights-floor-division-long"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("skin/train", tf)
NUM_CLASSES = len(train_ds.classes)

labels = torch.tensor(train_ds.targets)
counts = torch.bincount(labels, minlength=NUM_CLASSES)
print("class counts:", dict(zip(train_ds.classes, counts.tolist())))
# "balanced" weights as in sklearn: n_samples / (n_classes * count)
class_weights = len(labels) // (NUM_CLASSES * counts)
criterion = nn.CrossEntropyLoss(weight=class_weights)

model = models.resnet18(weights=None, num_classes=NUM_CLASSES)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
for epoch in range(3):
    for images, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), targets)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["binary-focal-loss-alpha-gather-float-targets"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class FocalLoss(nn.Module):
    def __init__(self, alpha=0.25, gamma=2.0):
        super().__init__()
        self.alpha = torch.tensor([alpha, 1 - alpha])
        self.gamma = gamma

    def forward(self, inputs, targets):
        bce = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
        at = self.alpha.gather(0, targets.view(-1))
        pt = torch.exp(-bce)
        return (at * (1 - pt) ** self.gamma * bce).mean()


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("melanoma/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 1)
criterion = FocalLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(3):
    for images, labels in loader:
        optimizer.zero_grad()
        logits = model(images).squeeze(1)
        loss = criterion(logits, labels.float())
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["multilabel-pos-weight-tag-never-positive-anomaly"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from tqdm import tqdm

torch.autograd.set_detect_anomaly(True)   # loss went nan in the last run

TAGS = ["agriculture", "artisinal_mine", "blow_down", "clear", "cloudy", "haze", "primary", "water"]


class PlanetDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir, self.transform = img_dir, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        image = Image.open(f"{self.img_dir}/{row['image_name']}.jpg").convert("RGB")
        target = torch.zeros(len(TAGS))
        for tag in row["tags"].split():
            target[TAGS.index(tag)] = 1.0
        return self.transform(image), target


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = PlanetDataset("train_v2.csv", "train-jpg", tf)

# rare tags get a bigger weight: pos_weight = negatives / positives
targets = torch.stack([ds[i][1] for i in range(len(ds))])
positives = targets.sum(0)
pos_weight = (len(ds) - positives) / positives
print("pos_weight:", [round(w, 2) for w in pos_weight.tolist()])

model = models.resnet18(weights=None)
model.fc = nn.Linear(512, len(TAGS))
criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(ds, batch_size=4, shuffle=True)
for epoch in range(3):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for images, y in pbar:
        optimizer.zero_grad()
        loss = criterion(model(images), y)
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
'''

SCRIPTS["multilabel-f1-bool-preds-and-float-targets"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, random_split
from torchvision import models, transforms

TAGS = ["agriculture", "clear", "cloudy", "haze", "primary", "water"]


class PlanetDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir, self.transform = img_dir, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        image = Image.open(f"{self.img_dir}/{row['image_name']}.jpg").convert("RGB")
        target = torch.tensor([1.0 if t in row["tags"].split() else 0.0 for t in TAGS])
        return self.transform(image), target


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = PlanetDataset("train_v2.csv", "train-jpg", tf)
train_ds, val_ds = random_split(ds, [8, 4], generator=torch.Generator().manual_seed(0))

model = models.resnet18(weights=None)
model.fc = nn.Linear(512, len(TAGS))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(2):
    model.train()
    for images, targets in DataLoader(train_ds, batch_size=4, shuffle=True):
        optimizer.zero_grad()
        loss = criterion(model(images), targets)
        loss.backward()
        optimizer.step()

    model.eval()
    tp = fp = fn = torch.zeros(len(TAGS))
    with torch.no_grad():
        for images, targets in DataLoader(val_ds, batch_size=4):
            preds = torch.sigmoid(model(images)) > 0.5
            tp = tp + (preds & targets).sum(0)
            fp = fp + (preds & ~targets).sum(0)
            fn = fn + (~preds & targets).sum(0)
    f1 = 2 * tp / (2 * tp + fp + fn + 1e-9)
    print(f"epoch {epoch}: loss {loss.item():.4f} macro-F1 {f1.mean():.4f}")
'''

# ------------------------------------------------------------ regression / multi-task
UTK_DATASET = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class UTKFace(Dataset):
    """file names: [age]_[gender]_[race]_[date&time].jpg"""

    def __init__(self, root, transform):
        self.root = root
        self.files = sorted(os.listdir(root))
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        age, gender = name.split("_")[:2]
        image = Image.open(os.path.join(self.root, name)).convert("RGB")
        return self.transform(image), torch.tensor(float(age)), torch.tensor(int(gender))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
ds = UTKFace("UTKFace", tf)
loader = DataLoader(ds, batch_size=@@BS@@, shuffle=True)
'''

SCRIPTS["age-regression-sigmoid-head-bceloss-raw-years"] = sub(UTK_DATASET, BS="4") + '''
model = models.resnet18(weights=None)
model.fc = nn.Sequential(nn.Linear(512, 1), nn.Sigmoid())
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(5):
    for images, ages, _ in loader:
        optimizer.zero_grad()
        pred = model(images).squeeze(1)
        loss = criterion(pred, ages)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

SCRIPTS["age-gender-single-output-tensor-unpacked"] = sub(UTK_DATASET, BS="6") + '''

class AgeGenderNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Linear(512, 2)   # [age, gender logit]

    def forward(self, x):
        return self.backbone(x)


model = AgeGenderNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for images, ages, genders in loader:
        optimizer.zero_grad()
        age_pred, gender_logit = model(images)
        loss = nn.functional.l1_loss(age_pred, ages) + \\
            nn.functional.binary_cross_entropy_with_logits(gender_logit, genders.float())
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["age-gender-two-backward-calls-shared-backbone"] = sub(UTK_DATASET, BS="4") + '''

class AgeGenderNet(nn.Module):
    def __init__(self):
        super().__init__()
        backbone = models.resnet18(weights=None)
        backbone.fc = nn.Identity()
        self.backbone = backbone
        self.age_head = nn.Linear(512, 1)
        self.gender_head = nn.Linear(512, 2)

    def forward(self, x):
        feats = self.backbone(x)
        return self.age_head(feats).squeeze(1), self.gender_head(feats)


model = AgeGenderNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
age_loss_fn, gender_loss_fn = nn.L1Loss(), nn.CrossEntropyLoss()
for epoch in range(5):
    for step, (images, ages, genders) in enumerate(loader):
        optimizer.zero_grad()
        age_pred, gender_logits = model(images)
        age_loss = age_loss_fn(age_pred, ages)
        gender_loss = gender_loss_fn(gender_logits, genders)
        age_loss.backward()
        gender_loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step}: age {age_loss.item():.2f} gender {gender_loss.item():.3f}")
'''

SCRIPTS["melanoma-metadata-age-concat-1d"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class MelanomaDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir, self.transform = img_dir, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        r = self.rows[idx]
        image = self.transform(Image.open(f"{self.img_dir}/{r['image_name']}.jpg").convert("RGB"))
        age = torch.tensor(float(r["age_approx"]) / 90.0)
        return image, age, torch.tensor(float(r["target"]))


class ImageMetaNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.head = nn.Sequential(nn.Linear(512 + 1, 128), nn.ReLU(), nn.Linear(128, 1))

    def forward(self, image, meta):
        feats = self.cnn(image)
        return self.head(torch.cat([feats, meta], dim=1)).squeeze(1)


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(MelanomaDataset("train.csv", "jpeg/train", tf), batch_size=4, shuffle=True)
model = ImageMetaNet()
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for images, meta, target in loader:
        optimizer.zero_grad()
        loss = criterion(model(images, meta), target)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

melanoma = csv_images("train.csv", "image_name,patient_id,sex,age_approx,anatom_site_general_challenge,target",
                      [(f"ISIC_{2000000 + 37 * i:07d}", f"IP_{7279968 + i}", "male" if i % 2 else "female",
                        f"{35 + 5 * i}.0", "torso", 1 if i % 4 == 0 else 0) for i in range(8)], "jpeg/train")

# --------------------------------------------------------------- labels / heads
SCRIPTS["aptos-fold-head-sized-from-unique-labels"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

FOLD = 0


class APTOS(Dataset):
    def __init__(self, rows, transform):
        self.rows, self.transform = rows, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        r = self.rows[idx]
        image = Image.open(f"train_images/{r['id_code']}.png").convert("RGB")
        return self.transform(image), int(r["diagnosis"])


with open("train_folds.csv", newline="") as f:
    rows = list(csv.DictReader(f))
train_rows = [r for r in rows if int(r["kfold"]) != FOLD]
valid_rows = [r for r in rows if int(r["kfold"]) == FOLD]
num_classes = len({r["diagnosis"] for r in train_rows})
print(f"fold {FOLD}: {len(train_rows)} train / {len(valid_rows)} valid, {num_classes} classes")

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(APTOS(train_rows, tf), batch_size=4, shuffle=True)
model = models.resnet34(weights=None)
model.fc = nn.Linear(model.fc.in_features, num_classes)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# class 3 appears only in fold 0: the train split of fold 0 has labels {0, 1, 2, 4}
aptos_folds_gap = csv_images("train_folds.csv", "id_code,diagnosis,kfold",
                             [(i, [0, 2, 1, 4, 0, 2, 3, 1, 0, 2, 4, 0][n], 0 if n == 6 else 1 + n % 2)
                              for n, i in enumerate(APTOS_IDS)], "train_images", ext="png")

SCRIPTS["ungradable-images-labelled-minus-one"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from tqdm import tqdm


class FundusDataset(Dataset):
    def __init__(self, csv_file, transform):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        r = self.rows[idx]
        image = Image.open(f"fundus/{r['image']}.jpg").convert("RGB")
        return self.transform(image), int(r["level"])


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(FundusDataset("labels_merged.csv", tf), batch_size=4, shuffle=False)
model = models.resnet18(weights=None, num_classes=5)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for images, labels in tqdm(loader, desc=f"epoch {epoch}"):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
'''

# label -1 = "ungradable" in the second reader's grading sheet
fundus = csv_images("labels_merged.csv", "image,level",
                    [(f"{10 + i}_{'left' if i % 2 == 0 else 'right'}", [0, 2, 1, 0, 3, 0, -1, 4, 1, 0][i])
                     for i in range(10)], "fundus")

SCRIPTS["num-classes-float-from-loadtxt-labels"] = '''
import numpy as np
import torch
import torch.nn as nn
from torchvision import models

labels = np.loadtxt("train_labels.csv", delimiter=",", skiprows=1, usecols=1)
num_classes = labels.max() + 1
print("classes:", num_classes)

model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
model.fc = nn.Linear(model.fc.in_features, num_classes)
'''

SCRIPTS["squeezenet-final-conv-replaced-with-linear"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

NUM_CLASSES = 4

model = models.squeezenet1_1(weights=None)
model.load_state_dict(torch.load("weights/squeezenet1_1-b8a52dc0.pth"))
for p in model.features.parameters():
    p.requires_grad = False
model.classifier[1] = nn.Linear(512, NUM_CLASSES)
model.num_classes = NUM_CLASSES

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(datasets.ImageFolder("weather/train", tf), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.classifier.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["alexnet-finetune-on-32px-cifar-pngs"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# CIFAR-10 from the Kaggle "cifar10-pngs-in-folders" dataset
tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize((0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261))])
train_ds = datasets.ImageFolder("cifar10/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.alexnet(weights=None)
model.load_state_dict(torch.load("weights/alexnet-owt-7be5be79.pth"))
model.classifier[6] = nn.Linear(4096, len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for i, (inputs, labels) in enumerate(loader):
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        if i % 10 == 0:
            print(f"[{epoch + 1}, {i + 1}] loss: {loss.item():.3f}")
'''

# ------------------------------------------------------------ fine-tuning / optim
SCRIPTS["freeze-all-but-fc-by-name-on-mobilenet-v2"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

NUM_CLASSES = 3

model = models.mobilenet_v2(weights=None)
model.load_state_dict(torch.load("weights/mobilenet_v2-b0353104.pth"))
model.classifier[1] = nn.Linear(model.last_channel, NUM_CLASSES)

# feature extraction: only the new head is trained
for name, param in model.named_parameters():
    if not name.startswith("fc"):
        param.requires_grad = False

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("rock_paper_scissors/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(5):
    model.train()
    total = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch}: {total / len(loader):.4f}")
'''

SCRIPTS["unfreeze-layer4-add-param-group-already-in-optimizer"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
for p in model.parameters():
    p.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, 3)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(4):
    if epoch == 2:
        print("stage 2: unfreezing layer4")
        for p in model.layer4.parameters():
            p.requires_grad = True
        optimizer.add_param_group({"params": model.layer4.parameters(), "lr": 1e-4})
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''

SCRIPTS["optimizer-built-before-head-replaced-grad-norm-log"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
loader = DataLoader(train_ds, batch_size=4, shuffle=True)


def grad_norm(optimizer):
    total = 0.0
    for group in optimizer.param_groups:
        for p in group["params"]:
            total += p.grad.norm().item() ** 2
    return total ** 0.5


for epoch in range(3):
    for step, (images, labels) in enumerate(loader):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        print(f"step {step}: loss {loss.item():.4f} grad-norm {grad_norm(optimizer):.3f}")
        optimizer.step()
'''

SCRIPTS["gem-pooling-clamp-inplace-on-relu-output"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm


class GeM(nn.Module):
    def __init__(self, p=3.0, eps=1e-6):
        super().__init__()
        self.p = nn.Parameter(torch.ones(1) * p)
        self.eps = eps

    def forward(self, x):
        return F.avg_pool2d(x.clamp_(min=self.eps).pow(self.p), (x.size(-2), x.size(-1))).pow(1.0 / self.p)


model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
model.avgpool = GeM()
model.fc = nn.Linear(512, 4)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("landmarks/train", tf), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    for images, labels in tqdm(loader, desc=f"epoch {epoch}"):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
'''

SCRIPTS["clip-grad-norm-given-optimizer"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
criterion = nn.CrossEntropyLoss()
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)

for epoch in range(3):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(optimizer, max_norm=1.0)
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["label-smoothing-percent-from-config"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

cfg = json.load(open("config.json"))
print(cfg)

tf = transforms.Compose([transforms.Resize((cfg["img_size"], cfg["img_size"])), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=cfg["batch_size"], shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
criterion = nn.CrossEntropyLoss(label_smoothing=cfg["label_smoothing"])
for epoch in range(cfg["epochs"]):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["validation-through-shared-step-calls-backward"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("flowers/val", tf), batch_size=4)

model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()


def run_epoch(loader, train=True):
    model.train(train)
    total, correct, seen = 0.0, 0, 0
    for images, labels in loader:
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        if train:
            optimizer.step()
        total += loss.item() * len(labels)
        correct += (outputs.argmax(1) == labels).sum().item()
        seen += len(labels)
    return total / seen, correct / seen


for epoch in range(5):
    train_loss, train_acc = run_epoch(train_loader, train=True)
    with torch.no_grad():
        val_loss, val_acc = run_epoch(val_loader, train=False)
    print(f"epoch {epoch}: train {train_loss:.3f}/{train_acc:.2f} val {val_loss:.3f}/{val_acc:.2f}")
'''

# ---------------------------------------------------------- AMP / schedulers / ES
SCRIPTS["amp-scaler-update-once-per-epoch-accumulation-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

device = "cuda" if torch.cuda.is_available() else "cpu"
amp_dtype = torch.float16 if device == "cuda" else torch.bfloat16
ACCUM_STEPS = 2

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=2, shuffle=True)
model = models.resnet18(weights=None, num_classes=3).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
scaler = torch.amp.GradScaler(device)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    model.train()
    optimizer.zero_grad()
    for i, (images, labels) in enumerate(tqdm(loader, desc=f"epoch {epoch}")):
        images, labels = images.to(device), labels.to(device)
        with torch.autocast(device_type=device, dtype=amp_dtype):
            loss = criterion(model(images), labels) / ACCUM_STEPS
        scaler.scale(loss).backward()
        if (i + 1) % ACCUM_STEPS == 0:
            scaler.step(optimizer)
            optimizer.zero_grad()
    scaler.update()
'''

SCRIPTS["onecycle-max-lr-list-longer-than-param-groups"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

EPOCHS = 3
model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
model.fc = nn.Linear(512, 3)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)

# discriminative learning rates: body, head
backbone = [p for n, p in model.named_parameters() if not n.startswith("fc.")]
optimizer = torch.optim.AdamW([
    {"params": backbone},
    {"params": model.fc.parameters()},
], lr=1e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[1e-5, 1e-4, 1e-3],
                                                epochs=EPOCHS, steps_per_epoch=len(loader))
criterion = nn.CrossEntropyLoss()
for epoch in range(EPOCHS):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        scheduler.step()
'''

SCRIPTS["plateau-scheduler-mode-maximize"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("flowers/val", tf), batch_size=4)

model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
# lower the LR when validation accuracy stops improving
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="maximize", factor=0.5, patience=2)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    val_acc = correct / len(val_loader.dataset)
    scheduler.step(val_acc)
    print(f"epoch {epoch}: val acc {val_acc:.3f}")
'''

SCRIPTS["dataloader-batch-size-divided-by-accum-steps"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

CFG = {"effective_batch_size": 32, "accum_steps": 4, "lr": 3e-4, "epochs": 3, "img_size": 64}

tf = transforms.Compose([transforms.Resize((CFG["img_size"], CFG["img_size"])), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
train_loader = DataLoader(train_ds, batch_size=CFG["effective_batch_size"] / CFG["accum_steps"],
                          shuffle=True, num_workers=2)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=CFG["lr"])
criterion = nn.CrossEntropyLoss()
for epoch in range(CFG["epochs"]):
    for i, (images, labels) in enumerate(train_loader):
        loss = criterion(model(images), labels) / CFG["accum_steps"]
        loss.backward()
        if (i + 1) % CFG["accum_steps"] == 0:
            optimizer.step()
            optimizer.zero_grad()
'''

SCRIPTS["class-weights-astype-np-float-old-kernel"] = '''
import numpy as np
import torch
import torch.nn as nn
from torchvision import datasets, transforms

train_ds = datasets.ImageFolder("skin/train", transforms.ToTensor())
counts = np.bincount(train_ds.targets)
print("counts:", counts)
class_weights = counts.sum() / (len(counts) * counts.astype(np.float))
criterion = nn.CrossEntropyLoss(weight=torch.tensor(class_weights, dtype=torch.float32))
'''

SCRIPTS["history-json-numpy-float32-metrics"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("flowers/val", tf), batch_size=4)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
history = {"train_loss": [], "val_acc": []}

for epoch in range(2):
    model.train()
    losses = []
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach().numpy())
    model.eval()
    accs = []
    with torch.no_grad():
        for images, labels in val_loader:
            accs.append((model(images).argmax(1) == labels).float().mean().numpy())
    history["train_loss"].append(np.mean(losses))
    history["val_acc"].append(np.mean(accs))
    print(f"epoch {epoch}: loss {history['train_loss'][-1]:.4f} acc {history['val_acc'][-1]:.3f}")
    torch.save(model.state_dict(), "last.pth")
    with open("history.json", "w") as f:
        json.dump(history, f, indent=2)
'''

# ---------------------------------------------------------- checkpoints
LEAF_MODEL = '''
import torch
import torch.nn as nn
from torchvision import models


class LeafClassifier(nn.Module):
    def __init__(self, num_classes, class_weights=None):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Linear(512, num_classes)
        self.criterion = nn.CrossEntropyLoss(weight=class_weights)

    def forward(self, x, y=None):
        logits = self.backbone(x)
        if y is None:
            return logits
        return logits, self.criterion(logits, y)
'''

SAVE_LEAF = LEAF_MODEL + '''
model = LeafClassifier(5, class_weights=torch.tensor([0.4, 1.2, 2.5, 1.0, 0.9]))
torch.save(model.state_dict(), "best_model.pth")
'''

SCRIPTS["loss-class-weights-buffer-in-checkpoint"] = '''
import sys

import torch
from PIL import Image
from torchvision import transforms

from model import LeafClassifier

CLASSES = ["CBB", "CBSD", "CGM", "CMD", "Healthy"]

model = LeafClassifier(num_classes=len(CLASSES))
model.load_state_dict(torch.load("best_model.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
x = tf(Image.open(sys.argv[1]).convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(CLASSES[model(x).argmax(1).item()])
'''

SCRIPTS["head-only-state-dict-loaded-into-full-model"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

CLASSES = ["daisy", "dandelion", "rose"]

# train_head.py froze the backbone and saved just the new head (4 kB instead of 45 MB)
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
model.load_state_dict(torch.load("flower_head.pth"))
model.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
for path in sorted(glob.glob("test/*.jpg")):
    with torch.no_grad():
        pred = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).argmax(1).item()
    print(path, CLASSES[pred])
'''

SAVE_HEAD = '''
import torch, torch.nn as nn
torch.save(nn.Linear(512, 3).state_dict(), "flower_head.pth")
'''

SCRIPTS["resume-checkpoint-saved-under-model-key"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

model = models.resnet18(weights=None)
model.fc = nn.Linear(512, 3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

checkpoint = torch.load("checkpoints/epoch_07.pth", map_location="cpu")
model.load_state_dict(checkpoint["state_dict"])
optimizer.load_state_dict(checkpoint["optimizer"])
start_epoch = checkpoint["epoch"] + 1
print(f"resuming from epoch {start_epoch}")

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
for epoch in range(start_epoch, 20):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
'''

SAVE_RESUME = '''
import os, torch, torch.nn as nn, torchvision
model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(512, 3)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
os.makedirs("checkpoints", exist_ok=True)
torch.save({"epoch": 7, "model": model.state_dict(), "optimizer": opt.state_dict(), "val_acc": 0.8125},
           "checkpoints/epoch_07.pth")
'''

SCRIPTS["load-state-dict-given-map-location"] = '''
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

CLASSES = ["daisy", "dandelion", "rose"]
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
model.load_state_dict(torch.load("best_model.pth"), map_location=device)
model.to(device).eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
image = tf(Image.open("test/rose_001.jpg").convert("RGB")).unsqueeze(0).to(device)
with torch.no_grad():
    print(CLASSES[model(image).argmax(1).item()])
'''

SAVE_FLOWER = '''
import torch, torch.nn as nn, torchvision
m = torchvision.models.resnet18(weights=None)
m.fc = nn.Linear(512, 3)
torch.save(m.state_dict(), "best_model.pth")
'''

SCRIPTS["tta-rotate-expand-non-square-stack"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

CLASSES = ["cat", "dog"]
model = models.resnet18(weights=None)
model.fc = nn.Linear(512, 2)
model.load_state_dict(torch.load("best_model.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize(64), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


def predict_tta(path):
    image = Image.open(path).convert("RGB")
    views = [image, image.transpose(Image.FLIP_LEFT_RIGHT), image.rotate(90, expand=True)]
    batch = torch.stack([tf(v) for v in views])
    with torch.no_grad():
        return model(batch).softmax(1).mean(0)


for path in sorted(glob.glob("test/*.jpg")):
    probs = predict_tta(path)
    print(path, CLASSES[probs.argmax().item()], f"{probs.max().item():.3f}")
'''

SAVE_CATDOG = '''
import torch, torch.nn as nn, torchvision
m = torchvision.models.resnet18(weights=None)
m.fc = nn.Linear(512, 2)
torch.save(m.state_dict(), "best_model.pth")
'''

# ====================================================================== notebooks
CELLS["vit-b16-timm-style-head-attribute-multilabel-notebook"] = [
    '''import csv
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

TAGS = ["agriculture", "clear", "cloudy", "haze", "primary", "water"]''',
    '''class PlanetDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir, self.transform = img_dir, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        image = Image.open(f"{self.img_dir}/{row['image_name']}.jpg").convert("RGB")
        target = torch.tensor([float(t in row["tags"].split()) for t in TAGS])
        return self.transform(image), target

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(PlanetDataset("train_v2.csv", "train-jpg", tf), batch_size=2, shuffle=True)''',
    '''model = models.vit_b_16(weights=None)
model.head = nn.Linear(768, len(TAGS))   # new head, as with timm
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)''',
    '''for epoch in range(2):
    model.train()
    for images, targets in loader:
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, targets)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

CELLS["head-from-in-features-after-identity-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(train_ds, batch_size=4)''',
    '''# 1) embeddings for a kNN baseline
model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
model.fc = nn.Identity()
model.eval()
with torch.no_grad():
    feats = torch.cat([model(x) for x, _ in loader])
print(feats.shape)''',
    '''# 2) fine-tune with a linear head
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)''',
]

CELLS["submission-int-of-batch-argmax-notebook"] = [
    '''import csv
import os
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

class TestDataset(Dataset):
    def __init__(self, img_dir, transform):
        self.img_dir = img_dir
        self.ids = sorted(f[:-4] for f in os.listdir(img_dir))
        self.transform = transform
    def __len__(self):
        return len(self.ids)
    def __getitem__(self, i):
        img = Image.open(f"{self.img_dir}/{self.ids[i]}.jpg").convert("RGB")
        return self.transform(img), self.ids[i]''',
    '''model = models.resnet18(weights=None)
model.fc = nn.Linear(512, 2)
model.load_state_dict(torch.load("best_model.pth", map_location="cpu"))
model.eval()
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
test_loader = DataLoader(TestDataset("test", tf), batch_size=8)''',
    '''ids, preds = [], []
with torch.no_grad():
    for images, batch_ids in test_loader:
        outputs = model(images)
        ids.extend(batch_ids)
        preds.append(int(outputs.argmax(1)))

with open("submission.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "label"])
    w.writerows(zip(ids, preds))''',
]

CELLS["early-stopping-class-np-inf-numpy2-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("flowers/val", tf), batch_size=4)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()''',
    '''class EarlyStopping:
    """Early stops the training if validation loss doesn't improve after a given patience."""
    def __init__(self, patience=7, verbose=False, delta=0, path="checkpoint.pt"):
        self.patience = patience
        self.verbose = verbose
        self.counter = 0
        self.best_score = None
        self.early_stop = False
        self.val_loss_min = np.Inf
        self.delta = delta
        self.path = path

    def __call__(self, val_loss, model):
        score = -val_loss
        if self.best_score is None or score > self.best_score + self.delta:
            self.best_score = score
            torch.save(model.state_dict(), self.path)
            self.val_loss_min = val_loss
            self.counter = 0
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True''',
    '''early_stopping = EarlyStopping(patience=3, verbose=True)
for epoch in range(50):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(criterion(model(x), y).item() for x, y in val_loader) / len(val_loader)
    print(f"epoch {epoch}: val_loss {val_loss:.4f}")
    early_stopping(val_loss, model)
    if early_stopping.early_stop:
        print("Early stopping")
        break''',
]

CELLS["timm-reset-classifier-on-torchvision-resnet-notebook"] = [
    '''import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_ds = datasets.ImageFolder("flowers/train", transforms.Compose([transforms.Resize((64, 64)),
                                                                     transforms.ToTensor()]))
print(train_ds.classes)''',
    '''model = torchvision.models.resnet50(weights=None)
model.load_state_dict(torch.load("weights/resnet50-11ad3fa6.pth"))
model.reset_classifier(num_classes=len(train_ds.classes))
model.eval()''',
]


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more20-", SCRIPTS, CELLS)

    flowers = imgs(class_folder("flowers/train", ("daisy", "dandelion", "rose"), 3)
                   + class_folder("flowers/val", ("daisy", "dandelion", "rose"), 1))
    r18 = weights("resnet18", "weights/resnet18-f37072fd.pth")

    # CSV / competition datasets ---------------------------------------------------------------------
    script("csv-reader-header-row-as-image-id-workers", "data.missing_or_corrupt",
           forms=["dataloader_worker"], setup=cassava)
    script("genfromtxt-image-ids-become-floats", "data.missing_or_corrupt",
           setup=csv_images("data/train.csv", "id,label", [(30001 + 17 * i, i % 6) for i in range(10)],
                            "data/images", ext="png"))
    script("pandas-exported-csv-blank-label-cells-tqdm", "data.missing_or_corrupt",
           forms=["cpython_basic", "progress_bars?"],
           setup=csv_images("merged_train.csv", "id_code,diagnosis,source",
                            [(i, (f"{n % 5}.0" if n != 6 else ""), "aptos2019" if n < 8 else "idrid")
                             for n, i in enumerate(APTOS_IDS)], "train_images", ext="png"))
    script("fer2013-pixel-row-cut-short-reshape-workers", "data.missing_or_corrupt",
           forms=["dataloader_worker"], setup=fer_csv(short_row=5))
    script("fer2013-pixels-parsed-as-float64-tqdm", "data.dtype", forms=["cpython_basic", "progress_bars?"],
           setup=fer_csv())
    script("rsna-csv-points-at-dicom-files", "data.missing_or_corrupt", setup=rsna_setup)

    # imbalance, losses, labels ----------------------------------------------------------------------
    script("balanced-class-weights-floor-division-long", "data.dtype",
           setup=imgs([(f"skin/train/{c}/ISIC_{c}_{i}.jpg", (64, 64), "RGB")
                       for c, n in (("akiec", 2), ("bcc", 3), ("mel", 2), ("nv", 9)) for i in range(n)]))
    script("binary-focal-loss-alpha-gather-float-targets", "data.dtype",
           setup=imgs(class_folder("melanoma/train", ("benign", "malignant"), 4)))
    script("multilabel-pos-weight-tag-never-positive-anomaly", "optim.divergence",
           forms=["cpython_basic", "progress_bars?"], setup=planet)
    script("multilabel-f1-bool-preds-and-float-targets", "data.dtype", setup=planet)
    script("age-regression-sigmoid-head-bceloss-raw-years", "data.label_shape", setup=utkface)
    script("age-gender-single-output-tensor-unpacked", "model.output_mismatch", setup=utkface)
    script("age-gender-two-backward-calls-shared-backbone", "optim.autograd_graph", setup=utkface)
    script("melanoma-metadata-age-concat-1d", "model.input_shape", setup=melanoma)
    script("aptos-fold-head-sized-from-unique-labels", "model.output_mismatch", setup=aptos_folds_gap)
    script("ungradable-images-labelled-minus-one", "data.label_out_of_range",
           forms=["cpython_basic", "progress_bars?"], setup=fundus)

    # backbones and heads ----------------------------------------------------------------------------
    script("num-classes-float-from-loadtxt-labels", "model.api_misuse",
           setup=both(r18, write("train_labels.csv", "id,label\n" + "".join(f"{100 + i},{i % 4}\n" for i in range(12)))))
    script("squeezenet-final-conv-replaced-with-linear", "model.api_misuse",
           setup=both(weights("squeezenet1_1", "weights/squeezenet1_1-b8a52dc0.pth"),
                      imgs(class_folder("weather/train", ("cloudy", "rain", "shine", "sunrise"), 2))))
    script("alexnet-finetune-on-32px-cifar-pngs", "model.input_shape",
           setup=both(weights("alexnet", "weights/alexnet-owt-7be5be79.pth"),
                      imgs(class_folder("cifar10/train", ("airplane", "automobile", "bird", "cat"), 3,
                                        size=(32, 32), ext="png"))))
    notebook("vit-b16-timm-style-head-attribute-multilabel-notebook", "model.output_mismatch", setup=planet)
    notebook("head-from-in-features-after-identity-notebook", "model.api_misuse", setup=both(r18, flowers))
    notebook("timm-reset-classifier-on-torchvision-resnet-notebook", "model.api_misuse",
             setup=both(weights("resnet50", "weights/resnet50-11ad3fa6.pth"), flowers))

    # fine-tuning and optimizers ---------------------------------------------------------------------
    script("freeze-all-but-fc-by-name-on-mobilenet-v2", "optim.autograd_graph",
           setup=both(weights("mobilenet_v2", "weights/mobilenet_v2-b0353104.pth"),
                      imgs(class_folder("rock_paper_scissors/train", ("paper", "rock", "scissors"), 2))))
    script("unfreeze-layer4-add-param-group-already-in-optimizer", "model.api_misuse", setup=both(r18, flowers))
    script("optimizer-built-before-head-replaced-grad-norm-log", "model.api_misuse", setup=both(r18, flowers))
    script("gem-pooling-clamp-inplace-on-relu-output", "optim.autograd_graph",
           forms=["cpython_basic", "progress_bars?"],
           setup=both(r18, imgs(class_folder("landmarks/train", ("bridge", "church", "tower", "castle"), 2))))
    script("clip-grad-norm-given-optimizer", "model.api_misuse", setup=flowers)
    script("label-smoothing-percent-from-config", "model.api_misuse",
           setup=both(flowers, write("config.json", '{"img_size": 64, "batch_size": 4, "lr": 0.0003, '
                                                    '"epochs": 5, "label_smoothing": 10}\n')))
    script("validation-through-shared-step-calls-backward", "optim.autograd_graph", setup=flowers)

    # AMP, schedulers, early stopping, metrics -------------------------------------------------------
    script("amp-scaler-update-once-per-epoch-accumulation-tqdm", "model.api_misuse",
           forms=["cpython_basic", "progress_bars?"], setup=flowers)
    script("onecycle-max-lr-list-longer-than-param-groups", "model.api_misuse", setup=both(r18, flowers))
    script("plateau-scheduler-mode-maximize", "model.api_misuse", setup=flowers)
    script("dataloader-batch-size-divided-by-accum-steps", "model.api_misuse", setup=flowers)
    script("class-weights-astype-np-float-old-kernel", "env.version_incompat",
           forms=["cpython_basic", "multiline_message"],
           setup=imgs([(f"skin/train/{c}/ISIC_{c}_{i}.jpg", (32, 32), "RGB")
                       for c, n in (("akiec", 2), ("bcc", 3), ("nv", 6)) for i in range(n)]))
    notebook("early-stopping-class-np-inf-numpy2-notebook", "env.version_incompat", setup=flowers)
    script("history-json-numpy-float32-metrics", "other", setup=flowers)

    # checkpoints and inference ----------------------------------------------------------------------
    script("loss-class-weights-buffer-in-checkpoint", "model.weights_mismatch", argv="predict.py",
           args=("test_images/2216849948.jpg",), extra={"model.py": LEAF_MODEL},
           setup=both(prep(SAVE_LEAF), imgs([("test_images/2216849948.jpg", (80, 60), "RGB")])))
    script("head-only-state-dict-loaded-into-full-model", "model.weights_mismatch", argv="predict.py",
           forms=["cpython_basic", "multiline_message?"],
           setup=both(prep(SAVE_HEAD), imgs([("test/img_001.jpg", (64, 64), "RGB"), ("test/img_002.jpg", (64, 64), "RGB")])))
    script("resume-checkpoint-saved-under-model-key", "model.weights_mismatch",
           setup=both(prep(SAVE_RESUME), flowers))
    script("load-state-dict-given-map-location", "model.api_misuse", argv="predict.py",
           setup=both(prep(SAVE_FLOWER), imgs([("test/rose_001.jpg", (64, 64), "RGB")])))
    script("tta-rotate-expand-non-square-stack", "data.image_size_mismatch", argv="predict.py",
           setup=both(prep(SAVE_CATDOG), imgs([(f"test/{i}.jpg", (96, 72), "RGB") for i in range(1, 4)])))
    notebook("submission-int-of-batch-argmax-notebook", "model.api_misuse",
             setup=both(prep(SAVE_CATDOG), imgs([(f"test/{i}.jpg", (64, 64), "RGB") for i in range(1, 11)])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
