"""A forty-ninth held-out set (g98, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: hobbyists training image classifiers (and the odd detector) on their own photos at home: a single
train.py, a Jupyter notebook run cell by cell, ImageAI 3 trainers, torchvision fine-tuning, DataLoader workers,
tqdm bars. A natural mix of causes, each program built so that its cause is known by construction:

- data: a Google Drive ``desktop.ini`` picked up by a glob in a class folder (workers), webcam snapshots
  smaller than a ``RandomCrop(224)`` (tqdm), trail-camera IR night frames kept mode ``L`` by a custom loader,
  star-rating folders ``1``..``5`` used as labels directly, a spreadsheet-exported CSV whose labels read as
  ``2.0`` and go through ``float()``, ``__getitem__`` returning the label as a one-element tensor, an ImageAI 3
  classification folder whose held-out split is named ``validation``;
- model: a CIFAR-tutorial net with ten outputs used for four classes with one-hot BCE, a predict cell feeding
  one photo without a batch dimension, a fine-tuned checkpoint with a ``Sequential(Dropout, Linear)`` head
  loaded into a plain ``Linear`` head, ``T.Compose`` given the transforms as separate arguments;
- optimisation: an epoch loss tensor accumulated and back-propagated every step (notebook), a siamese
  duplicate-photo finder whose Euclidean distance ``sqrt`` meets identical pairs under anomaly detection;
- environment / other: an old script's ``model_urls`` SSL work-around under a new torchvision, checkpoints
  saved per epoch into a ``checkpoints/`` folder that was never created (tqdm).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more49.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more49.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["gdrive-desktop-ini-in-photo-folder-glob-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

ROOT = "GoogleDrive/bird_feeder"   # synced folder, one sub-folder per species


class FeederPhotos(Dataset):
    def __init__(self, root, transform):
        self.classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        self.samples = []
        for i, c in enumerate(self.classes):
            for p in sorted(glob.glob(os.path.join(root, c, "*"))):
                self.samples.append((p, i))
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return self.transform(Image.open(path).convert("RGB")), label


def main():
    tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
    ds = FeederPhotos(ROOT, tf)
    print(f"{len(ds)} photos, {ds.classes}")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''

DESKTOP_INI = "[.ShellClassInfo]\r\nIconResource=C:\\\\Program Files\\\\Google\\\\Drive File Stream\\\\drive_fs.ico,0\r\n"

SCRIPTS["randomcrop-224-on-small-webcam-snaps-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

# same augmentation as the ImageNet example
train_tf = T.Compose([
    T.RandomCrop(224),
    T.RandomHorizontalFlip(),
    T.ToTensor(),
    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_set = datasets.ImageFolder("webcam_snaps/train", transform=train_tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x, y in pbar:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=loss.item())
'''

SCRIPTS["trailcam-ir-night-frames-mode-l-custom-loader"] = '''
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


def open_image(path):
    with open(path, "rb") as f:
        return Image.open(f).copy()     # keep the camera's own format, no conversion


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
ds = datasets.ImageFolder("trailcam", transform=tf, loader=open_image)
loader = DataLoader(ds, batch_size=8, shuffle=True)
print(len(ds), "frames", ds.classes)
model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

TRAILCAM_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
for cls in ["deer", "fox", "empty"]:
    os.makedirs(f"trailcam/{cls}", exist_ok=True)
    for i in range(4):
        night = i % 2 == 1    # IR flash at night: the camera writes greyscale JPEGs
        shape = (120, 160) if night else (120, 160, 3)
        arr = rng.integers(0, 256, shape, dtype=np.uint8)
        Image.fromarray(arr).save(f"trailcam/{cls}/IMG_{i:04d}{'_night' if night else ''}.JPG", quality=85)
'''

SCRIPTS["star-rating-folders-int-labels"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class RatedPhotos(Dataset):
    """my holiday photos sorted by how much I like them: ratings/1 ... ratings/5"""

    def __init__(self, root, tf):
        self.items = [(p, int(os.path.basename(os.path.dirname(p))))
                      for p in sorted(glob.glob(os.path.join(root, "*", "*.jpg")))]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, stars = self.items[i]
        return self.tf(Image.open(p).convert("RGB")), stars


ds = RatedPhotos("ratings", T.Compose([T.Resize((64, 64)), T.ToTensor()]))
NUM_CLASSES = 5
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=NUM_CLASSES)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in loader:
        loss = crit(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["spreadsheet-csv-labels-as-floats"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T


class LabelledPhotos(Dataset):
    def __init__(self, csv_path, tf):
        with open(csv_path, newline="") as f:
            self.rows = [(r["filename"], float(r["label"])) for r in csv.DictReader(f)]
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, label = self.rows[i]
        img = Image.open(f"photos/{name}").convert("RGB")
        return self.tf(img), torch.tensor(label)


ds = LabelledPhotos("labels.csv", T.Compose([T.Resize((64, 64)), T.ToTensor()]))
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SHEET_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("photos", exist_ok=True)
rows = []
for i in range(16):
    name = f"DSC_{4100 + i}.jpg"
    Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)).save(f"photos/{name}")
    rows.append({"filename": name, "label": f"{i % 3}.0"})     # the spreadsheet exported numbers as 0.0, 1.0, 2.0
with open("labels.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["filename", "label"])
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["getitem-label-as-one-element-tensor"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class Plants(Dataset):
    def __init__(self, ann_file, tf):
        ann = json.load(open(ann_file))
        self.classes = ann["classes"]
        self.items = ann["images"]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = self.tf(Image.open(it["file"]).convert("RGB"))
        label = torch.tensor([self.classes.index(it["species"])])
        return img, label


ds = Plants("houseplants.json", T.Compose([T.Resize((64, 64)), T.ToTensor()]))
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

PLANTS_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
os.makedirs("plants", exist_ok=True)
species = ["monstera", "pothos", "snake_plant"]
images = []
for i in range(12):
    p = f"plants/plant_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (80, 80, 3), dtype=np.uint8)).save(p)
    images.append({"file": p, "species": species[i % 3]})
json.dump({"classes": species, "images": images}, open("houseplants.json", "w"), indent=1)
'''

SCRIPTS["imageai-cls-heldout-split-named-validation"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# pets/
#   train/{cat,dog,rabbit}/*.jpg
#   validation/{cat,dog,rabbit}/*.jpg   (same layout as my detection project)
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=5, batch_size=4)
'''

# ================================================================== model
SCRIPTS["cifar-tutorial-net-ten-outputs-bce-onehot-four-classes"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


class Net(nn.Module):        # from the CIFAR-10 tutorial
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


tf = T.Compose([T.Resize((32, 32)), T.ToTensor()])
ds = datasets.ImageFolder("lego_bricks/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
print(ds.classes)
net = Net()
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
for epoch in range(10):
    for inputs, labels in loader:
        targets = F.one_hot(labels, num_classes=len(ds.classes)).float()
        loss = criterion(net(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

CELLS["predict-cell-single-photo-no-batch-dim-notebook"] = [
    '''
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_set = datasets.ImageFolder("dogs/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(1):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
print("trained, last loss", round(loss.item(), 3))
''',
    '''
# try it on a photo of our dog
model.eval()
img = tf(Image.open("my_dog.jpg").convert("RGB"))
with torch.no_grad():
    out = model(img)
print(train_set.classes[out.argmax().item()])
''',
]

SCRIPTS["dropout-head-checkpoint-into-plain-linear-predict"] = '''
import sys

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms as T

CLASSES = ["ripe", "unripe", "overripe"]

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
model.load_state_dict(torch.load("banana_best.pth", map_location="cpu"))
model.eval()

tf = T.Compose([T.Resize((128, 128)), T.ToTensor()])
x = tf(Image.open(sys.argv[1]).convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(CLASSES[model(x).argmax(1).item()])
'''

BANANA_PREP = '''
import torch
import torch.nn as nn
from torchvision import models

# what train.py saved: the head had a dropout in front of the linear layer
model = models.resnet18(weights=None)
model.fc = nn.Sequential(nn.Dropout(0.3), nn.Linear(512, 3))
torch.save(model.state_dict(), "banana_best.pth")
'''

SCRIPTS["compose-given-transforms-as-separate-args"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

train_tf = transforms.Compose(
    transforms.Resize((96, 96)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
)
ds = datasets.ImageFolder("garden/train", transform=train_tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ================================================================== optimisation
CELLS["epoch-loss-tensor-accumulated-then-backward-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_set = datasets.ImageFolder("coins/train", transform=tf)
loader = DataLoader(train_set, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_set.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
''',
    '''
for epoch in range(3):
    epoch_loss = 0
    for images, labels in loader:
        optimizer.zero_grad()
        epoch_loss += criterion(model(images), labels)
        epoch_loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {epoch_loss.item() / len(loader):.4f}")
''',
]

SCRIPTS["siamese-duplicate-photo-pairs-sqrt-distance-anomaly"] = '''
import glob
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

torch.autograd.set_detect_anomaly(True)   # I had NaNs last week
random.seed(0)
torch.manual_seed(0)


class Pairs(Dataset):
    """pairs from my photo library: same=1 for the burst shots of one scene, 0 otherwise"""

    def __init__(self, files, tf):
        self.files, self.tf = files, tf
        self.pairs = [(a, b, int(a.split("_")[1] == b.split("_")[1])) for a in files for b in files][:32]

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        a, b, same = self.pairs[i]
        load = lambda p: self.tf(Image.open(p).convert("RGB"))
        return load(a), load(b), torch.tensor(float(same))


def contrastive(e1, e2, same, margin=1.0):
    d = torch.sqrt(((e1 - e2) ** 2).sum(dim=1))
    return (same * d ** 2 + (1 - same) * torch.clamp(margin - d, min=0) ** 2).mean()


files = sorted(glob.glob("library/*.jpg"))
ds = Pairs(files, T.Compose([T.Resize((64, 64)), T.ToTensor()]))
loader = DataLoader(ds, batch_size=8, shuffle=False)
net = models.resnet18(weights=None, num_classes=32)
net.eval()   # frozen BN statistics for the embedding net
opt = torch.optim.Adam(net.parameters(), lr=1e-4)
for epoch in range(3):
    for a, b, same in loader:
        loss = contrastive(net(a), net(b), same)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== environment / other
SCRIPTS["old-script-model-urls-ssl-workaround-new-torchvision"] = '''
import ssl

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from torchvision.models import resnet

# fix for "CERTIFICATE_VERIFY_FAILED" on my machine (from a forum post)
ssl._create_default_https_context = ssl._create_unverified_context
resnet.model_urls["resnet18"] = resnet.model_urls["resnet18"].replace("https://", "http://")

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
ds = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["torch-save-into-missing-checkpoints-dir-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
ds = datasets.ImageFolder("cats/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}/2")
    for x, y in pbar:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
    torch.save(model.state_dict(), f"checkpoints/cats_epoch{epoch + 1}.pth")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more49-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    # ---- data
    script("gdrive-desktop-ini-in-photo-folder-glob-workers", "data.missing_or_corrupt", forms=W,
           setup=both(imgs(class_folder("GoogleDrive/bird_feeder", ["blue_tit", "robin", "sparrow"], 3, size=(90, 80))),
                      write("GoogleDrive/bird_feeder/robin/desktop.ini", DESKTOP_INI)))
    script("randomcrop-224-on-small-webcam-snaps-tqdm", "data.image_size_mismatch", also=["model.api_misuse"],
           forms=P, setup=imgs(class_folder("webcam_snaps/train", ["empty_desk", "me_working"], 4, size=(160, 120))))
    script("trailcam-ir-night-frames-mode-l-custom-loader", "data.image_channels",
           also=["data.image_size_mismatch"], setup=prep(TRAILCAM_PREP))
    script("star-rating-folders-int-labels", "data.label_out_of_range",
           setup=imgs([(f"ratings/{s}/photo_{s}{i}.jpg", (80, 60), "RGB") for s in range(1, 6) for i in range(3)]))
    script("spreadsheet-csv-labels-as-floats", "data.dtype", also=["data.label_shape"], setup=prep(SHEET_PREP))
    script("getitem-label-as-one-element-tensor", "data.label_shape", forms=P, setup=prep(PLANTS_PREP))
    script("imageai-cls-heldout-split-named-validation", "data.missing_or_corrupt", also=["model.api_misuse"],
           framework="imageai", timeout=600,
           setup=imgs(class_folder("pets/train", ["cat", "dog", "rabbit"], 4, size=(90, 90))
                      + class_folder("pets/validation", ["cat", "dog", "rabbit"], 1, size=(90, 90))))
    # ---- model
    script("cifar-tutorial-net-ten-outputs-bce-onehot-four-classes", "model.output_mismatch",
           also=["data.label_shape"],
           setup=imgs(class_folder("lego_bricks/train", ["brick_2x2", "brick_2x4", "plate_1x2", "slope"], 3,
                                   size=(70, 70))))
    notebook("predict-cell-single-photo-no-batch-dim-notebook", "model.input_shape",
             setup=imgs(class_folder("dogs/train", ["beagle", "collie"], 4, size=(80, 80))
                        + [("my_dog.jpg", (120, 90), "RGB")]))
    script("dropout-head-checkpoint-into-plain-linear-predict", "model.weights_mismatch",
           argv="predict.py", args=("test_banana.jpg",),
           setup=both(imgs([("test_banana.jpg", (100, 100), "RGB")]), prep(BANANA_PREP)))
    script("compose-given-transforms-as-separate-args", "model.api_misuse",
           setup=imgs(class_folder("garden/train", ["rose", "tulip"], 3, size=(100, 100))))
    # ---- optimisation
    notebook("epoch-loss-tensor-accumulated-then-backward-notebook", "optim.autograd_graph",
             setup=imgs(class_folder("coins/train", ["euro", "penny", "quarter"], 3, size=(70, 70))))
    script("siamese-duplicate-photo-pairs-sqrt-distance-anomaly", "optim.divergence",
           also=["optim.autograd_graph"],
           setup=imgs([(f"library/burst_{s}_{i}.jpg", (80, 80), "RGB") for s in range(3) for i in range(2)]))
    # ---- environment / other
    script("old-script-model-urls-ssl-workaround-new-torchvision", "env.version_incompat",
           setup=imgs(class_folder("flowers/train", ["daisy", "dandelion"], 3, size=(80, 80))))
    script("torch-save-into-missing-checkpoints-dir-tqdm", "other", also=["data.missing_or_corrupt"], forms=P,
           setup=imgs(class_folder("cats/train", ["ginger", "tabby"], 4, size=(80, 80))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
