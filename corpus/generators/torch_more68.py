"""A sixty-eighth held-out set (g128, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: people fine-tuning torchvision classifiers for the first time from the official "transfer learning"
and "fine-tuning" tutorials, then changing one thing: their own folder of images, a different backbone
(efficientnet, convnext, vit_b_16, regnet, all weights=None), a different image size, freezing only some layers, a
new optimizer or scheduler, saving and reloading for a prediction script. A natural mix of causes, each program
built so that its cause is known by construction:

- data: a val transform of ``Resize(128)`` (an int, aspect kept) without the tutorial's ``CenterCrop`` over
  portrait and landscape phone photos, a ``read_image`` Dataset over a folder with a few greyscale scans into a
  three-mean ``transforms.Normalize`` (in workers), a predict script whose ``v2.ToImage()`` replaced ``ToTensor()`` without
  the ``ToDtype`` step, a plant CSV whose labels are numbered 1..4 under a four-class head on a partly frozen
  ``regnet_y_400mf``, a split script that left one class folder of ``val/`` empty (ImageFolder);
- model: ``vit_b_16`` fine-tuned at 160x160 (notebook), a predict script that builds ``regnet_x_400mf`` for a
  ``regnet_y_400mf`` checkpoint, ``ReduceLROnPlateau`` swapped in for the tutorial's ``StepLR`` while
  ``scheduler.step()`` stays without the validation loss;
- resource / environment / other: a dataset mean/std computed by stacking every full-resolution phone photo in
  one tensor under the shared box's per-user memory limit, the tutorial's ``StepLR`` given ``verbose=True`` as an
  older blog showed (removed from current PyTorch), ``torch.save`` of the best weights into a ``checkpoints/``
  folder that was never created.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more68.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import os
from pathlib import Path

import numpy as np

from _record import Case, prep, both, write, sub, imgs, class_folder, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more68.py"

SCRIPTS = {}
CELLS = {}


def mkdir(rel):
    def setup(work):
        os.makedirs(work / rel, exist_ok=True)
    return setup


# ================================================================== data
SCRIPTS["val-resize-int-without-centercrop-mixed-aspect-phone-photos"] = '''
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

IMG = 128
data_transforms = {
    "train": transforms.Compose([transforms.RandomResizedCrop(IMG), transforms.RandomHorizontalFlip(),
                                 transforms.ToTensor(),
                                 transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
    # tutorial had Resize(256) + CenterCrop(224); Resize(IMG) already gives IMG so the crop went
    "val": transforms.Compose([transforms.Resize(IMG), transforms.ToTensor(),
                               transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
}
image_datasets = {x: datasets.ImageFolder(f"data/my_dogs/{x}", data_transforms[x]) for x in ["train", "val"]}
dataloaders = {x: torch.utils.data.DataLoader(image_datasets[x], batch_size=4, shuffle=True) for x in ["train", "val"]}
class_names = image_datasets["train"].classes

model = models.efficientnet_b0(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(class_names))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)

for epoch in range(3):
    for phase in ["train", "val"]:
        model.train() if phase == "train" else model.eval()
        running_corrects = 0
        for inputs, labels in dataloaders[phase]:
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                outputs = model(inputs)
                loss = criterion(outputs, labels)
                if phase == "train":
                    loss.backward()
                    optimizer.step()
            running_corrects += (outputs.argmax(1) == labels).sum().item()
        print(f"epoch {epoch} {phase} acc {running_corrects / len(image_datasets[phase]):.3f}", flush=True)
'''


def phone_photos(root, classes, per_split):
    specs = []
    for split, n in per_split:
        for c in classes:
            for i in range(n):
                size = (96, 128) if i % 2 else (128, 96)
                specs.append((f"{root}/{split}/{c}/IMG_{2040 + i:04d}.jpg", size, "RGB"))
    return imgs(specs)


SCRIPTS["read-image-dataset-greyscale-scans-three-mean-normalize-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from torchvision.io import read_image


class LeafDataset(Dataset):
    def __init__(self, root, transform):
        self.classes = sorted(os.listdir(root))
        self.samples = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return self.transform(read_image(path)), label


tf = transforms.Compose([transforms.Resize((96, 96), antialias=True), transforms.ConvertImageDtype(torch.float32),
                         transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
train_set = LeafDataset("data/leaves/train", tf)
loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=2)

model = models.convnext_tiny(weights=None)
model.classifier[2] = nn.Linear(model.classifier[2].in_features, len(train_set.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
for epoch in range(2):
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}", flush=True)
'''

LEAF_IMAGES = (class_folder("data/leaves/train", ["healthy", "rust", "scab"], 4, size=(80, 80))
               + [("data/leaves/train/rust/scan_0007.jpg", (80, 80), "L"),
                  ("data/leaves/train/scab/scan_0012.jpg", (80, 80), "L"),
                  ("data/leaves/train/healthy/scan_0003.jpg", (80, 80), "L")])

SCRIPTS["predict-v2-toimage-without-todtype-before-normalize"] = '''
import sys

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models
from torchvision.transforms import v2

CLASSES = ["cat", "dog", "rabbit"]

model = models.efficientnet_b0(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(CLASSES))
model.load_state_dict(torch.load("efficientnet_pets.pth", map_location="cpu"))
model.eval()

# ToTensor() printed a deprecation warning, so: ToImage()
preprocess = v2.Compose([v2.ToImage(), v2.Resize((128, 128)),
                         v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])

for path in sys.argv[1:]:
    x = preprocess(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        probs = model(x).softmax(1)[0]
    print(f"{path}: {CLASSES[probs.argmax()]} ({probs.max():.2f})")
'''

PETS_CKPT = '''
import torch, torch.nn as nn
from torchvision import models
m = models.efficientnet_b0(weights=None)
m.classifier[1] = nn.Linear(m.classifier[1].in_features, 3)
torch.save(m.state_dict(), "efficientnet_pets.pth")
'''

SCRIPTS["plant-csv-labels-numbered-1-to-4-partly-frozen-regnet"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class PlantCSV(Dataset):
    def __init__(self, csv_path, img_dir, transform):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir, self.transform = img_dir, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"{self.img_dir}/{r['image_id']}.jpg").convert("RGB")
        return self.transform(img), int(r["label"])


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
ds = PlantCSV("data/plants/train.csv", "data/plants/images", tf)
num_classes = len({r["label"] for r in ds.rows})
print("classes:", num_classes)

model = models.regnet_y_400mf(weights=None)
# freeze the stem and the first three stages, fine-tune block4 + the new head
for name, p in model.named_parameters():
    if not name.startswith(("trunk_output.block4", "fc")):
        p.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, num_classes)

optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(ds, batch_size=4, shuffle=True)
for epoch in range(3):
    for imgs, labels in loader:
        loss = criterion(model(imgs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def plants_setup(work):
    make = imgs([(f"data/plants/images/plant_{i:04d}.jpg", (80, 80), "RGB") for i in range(12)])
    make(work)
    with open(work / "data/plants/train.csv", "w") as f:
        f.write("image_id,label\n")
        for i in range(12):
            f.write(f"plant_{i:04d},{i % 4 + 1}\n")


SCRIPTS["split-script-left-val-class-folder-empty-imagefolder"] = '''
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
image_datasets = {x: datasets.ImageFolder(f"data/flowers_split/{x}", tf) for x in ["train", "val"]}
dataloaders = {x: torch.utils.data.DataLoader(image_datasets[x], batch_size=4, shuffle=True) for x in ["train", "val"]}
dataset_sizes = {x: len(image_datasets[x]) for x in ["train", "val"]}
print(dataset_sizes)

model = models.efficientnet_b0(weights=None)
model.classifier[1] = nn.Linear(1280, len(image_datasets["train"].classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
for epoch in range(2):
    for x, y in dataloaders["train"]:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

FLOWERS = ["daisy", "dandelion", "rose", "tulip"]

# ================================================================== model
CELLS["vit-b-16-fine-tuned-at-160px-own-folder-notebook"] = [
    '''
import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

IMG_SIZE = 160   # 224 was too slow on my laptop
tf = transforms.Compose([transforms.Resize((IMG_SIZE, IMG_SIZE)), transforms.ToTensor(),
                         transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])
train_set = datasets.ImageFolder("data/birds/train", tf)
loader = torch.utils.data.DataLoader(train_set, batch_size=2, shuffle=True)
print(train_set.classes)
''',
    '''
model = models.vit_b_16(weights=None)
model.heads.head = nn.Linear(model.heads.head.in_features, len(train_set.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5)
''',
    '''
model.train()
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]

SCRIPTS["predict-builds-regnet-x-for-regnet-y-checkpoint"] = '''
import argparse

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

parser = argparse.ArgumentParser()
parser.add_argument("images", nargs="+")
parser.add_argument("--weights", default="best_regnet.pth")
args = parser.parse_args()

CLASSES = ["buildings", "forest", "glacier", "mountain", "sea", "street"]
model = models.regnet_x_400mf(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
model.load_state_dict(torch.load(args.weights, map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
for p in args.images:
    with torch.no_grad():
        print(p, CLASSES[model(tf(Image.open(p).convert("RGB"))[None]).argmax(1).item()])
'''

REGNET_CKPT = '''
import torch, torch.nn as nn
from torchvision import models
m = models.regnet_y_400mf(weights=None)
m.fc = nn.Linear(m.fc.in_features, 6)
torch.save(m.state_dict(), "best_regnet.pth")
'''

TUTORIAL_LOOP = '''
import time

import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

data_transforms = {
    "train": transforms.Compose([transforms.RandomResizedCrop(96), transforms.RandomHorizontalFlip(),
                                 transforms.ToTensor(),
                                 transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
    "val": transforms.Compose([transforms.Resize(110), transforms.CenterCrop(96), transforms.ToTensor(),
                               transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
}
image_datasets = {x: datasets.ImageFolder(f"data/hymenoptera_data/{x}", data_transforms[x]) for x in ["train", "val"]}
dataloaders = {x: torch.utils.data.DataLoader(image_datasets[x], batch_size=4, shuffle=True) for x in ["train", "val"]}
dataset_sizes = {x: len(image_datasets[x]) for x in ["train", "val"]}


def train_model(model, criterion, optimizer, scheduler, num_epochs=3):
    since = time.time()
    for epoch in range(num_epochs):
        print(f"Epoch {epoch}/{num_epochs - 1}")
        print("-" * 10)
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss, running_corrects = 0.0, 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
@@GRAD@@
                _, preds = torch.max(outputs, 1)
                loss = criterion(outputs, labels)
                if phase == "train":
                    loss.backward()
                    optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == "train":
                scheduler.step()
            epoch_loss = running_loss / dataset_sizes[phase]
            epoch_acc = running_corrects.double() / dataset_sizes[phase]
            print(f"{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}", flush=True)
    print(f"Training complete in {time.time() - since:.0f}s")
    return model


model_ft = models.@@ARCH@@(weights=None)
@@HEAD@@
criterion = nn.CrossEntropyLoss()
optimizer_ft = torch.optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9)
@@SCHED@@
model_ft = train_model(model_ft, criterion, optimizer_ft, exp_lr_scheduler, num_epochs=3)
'''

WITH_GRAD = '''\
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)'''

SCRIPTS["reduce-lr-on-plateau-swapped-in-step-without-val-loss"] = sub(
    TUTORIAL_LOOP, ARCH="efficientnet_b0", GRAD=WITH_GRAD,
    HEAD="model_ft.classifier[1] = nn.Linear(model_ft.classifier[1].in_features, 2)",
    SCHED="# StepLR -> ReduceLROnPlateau (lower the LR when the loss stops improving)\n"
          "exp_lr_scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer_ft, mode=\"min\", factor=0.1, "
          "patience=2)")

# ================================================================== resource / environment / other
SCRIPTS["dataset-mean-std-stacks-every-full-res-photo-user-memory-limit"] = '''
import resource

# shared lab box: the admins cap every user's processes at 2 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

import glob

import torch
from PIL import Image
from torchvision import transforms

# mean / std of my own photos instead of the ImageNet numbers
paths = sorted(glob.glob("data/my_photos/train/*/*.jpg"))
print(len(paths), "images", flush=True)
to_tensor = transforms.ToTensor()
all_imgs = torch.stack([to_tensor(Image.open(p).convert("RGB")) for p in paths])
mean = all_imgs.mean(dim=(0, 2, 3))
std = all_imgs.std(dim=(0, 2, 3))
print("mean", mean.tolist(), "std", std.tolist())
'''


def big_photos(work):
    from PIL import Image
    w, h = 1600, 1200
    yy, xx = np.mgrid[0:h, 0:w]
    for c in ("indoor", "outdoor"):
        d = work / f"data/my_photos/train/{c}"
        os.makedirs(d, exist_ok=True)
        for i in range(36):
            a = np.stack([(xx + 7 * i) % 256, (yy + 3 * i) % 256, (xx + yy) % 256], -1).astype(np.uint8)
            Image.fromarray(a).save(d / f"PXL_2024{i:04d}.jpg", quality=85)


SCRIPTS["tutorial-steplr-verbose-true-from-older-blog"] = sub(
    TUTORIAL_LOOP, ARCH="convnext_tiny", GRAD=WITH_GRAD,
    HEAD="model_ft.classifier[2] = nn.Linear(model_ft.classifier[2].in_features, 2)",
    SCHED="exp_lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer_ft, step_size=7, gamma=0.1, verbose=True)")

SCRIPTS["torch-save-best-weights-into-missing-checkpoints-folder"] = '''
import copy

import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
sets = {x: datasets.ImageFolder(f"data/hymenoptera_data/{x}", tf) for x in ["train", "val"]}
loaders = {x: torch.utils.data.DataLoader(sets[x], batch_size=4, shuffle=(x == "train")) for x in ["train", "val"]}

model = models.efficientnet_b0(weights=None)
for p in model.features[:6].parameters():       # freeze the early stages only
    p.requires_grad = False
model.classifier[1] = nn.Linear(1280, 2)
optimizer = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-3)

best_acc = 0.0
for epoch in range(3):
    model.train()
    for x, y in loaders["train"]:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loaders["val"]:
            correct += (model(x).argmax(1) == y).sum().item()
    acc = correct / len(sets["val"])
    print(f"epoch {epoch} val acc {acc:.3f}", flush=True)
    if acc >= best_acc:
        best_acc = acc
        best_wts = copy.deepcopy(model.state_dict())
        torch.save(best_wts, "checkpoints/efficientnet_b0_best.pth")
'''


def hymenoptera(per_train=4, per_val=2, size=(120, 100)):
    return imgs(class_folder("data/hymenoptera_data/train", ["ants", "bees"], per_train, size=size)
                + class_folder("data/hymenoptera_data/val", ["ants", "bees"], per_val, size=size))


def cases():
    out, add, script, notebook = case_builders("torch-more68-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows")

    # ---- data
    script("val-resize-int-without-centercrop-mixed-aspect-phone-photos", "data.image_size_mismatch",
           setup=phone_photos("data/my_dogs", ["beagle", "corgi"], [("train", 4), ("val", 4)]))
    script("read-image-dataset-greyscale-scans-three-mean-normalize-workers", "data.image_channels", forms=W,
           setup=imgs(LEAF_IMAGES))
    script("predict-v2-toimage-without-todtype-before-normalize", "data.dtype", argv="predict.py",
           args=("samples/cat_01.jpg", "samples/dog_02.jpg"),
           setup=both(prep(PETS_CKPT), imgs([("samples/cat_01.jpg", (160, 120), "RGB"),
                                             ("samples/dog_02.jpg", (120, 160), "RGB")])))
    script("plant-csv-labels-numbered-1-to-4-partly-frozen-regnet", "data.label_out_of_range",
           also=["model.output_mismatch"], setup=plants_setup)
    script("split-script-left-val-class-folder-empty-imagefolder", "data.missing_or_corrupt",
           setup=both(imgs(class_folder("data/flowers_split/train", FLOWERS, 3)
                           + class_folder("data/flowers_split/val", FLOWERS[:3], 1)),
                      mkdir("data/flowers_split/val/tulip")))
    # ---- model
    notebook("vit-b-16-fine-tuned-at-160px-own-folder-notebook", "model.input_shape", forms=NB,
             setup=imgs(class_folder("data/birds/train", ["robin", "sparrow", "wren"], 2, size=(120, 90))))
    script("predict-builds-regnet-x-for-regnet-y-checkpoint", "model.weights_mismatch", argv="predict.py",
           args=("test/street_0012.jpg",),
           setup=both(prep(REGNET_CKPT), imgs([("test/street_0012.jpg", (150, 150), "RGB")])))
    script("reduce-lr-on-plateau-swapped-in-step-without-val-loss", "model.api_misuse", setup=hymenoptera())
    # ---- resource / environment / other
    script("dataset-mean-std-stacks-every-full-res-photo-user-memory-limit", "resource.host_memory",
           argv="compute_stats.py", setup=big_photos)
    script("tutorial-steplr-verbose-true-from-older-blog", "env.version_incompat",
           also=["model.api_misuse"], setup=hymenoptera())
    script("torch-save-best-weights-into-missing-checkpoints-folder", "other", setup=hymenoptera())
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=3))
