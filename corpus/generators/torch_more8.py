"""An eighth held-out set of PyTorch / torchvision / ImageAI 3 training failures,
none of them a repeat of the scenarios in the other generators, centred on the
everyday slips of beginners training image classifiers and detectors. Custom
Dataset classes: a ``__getitem__`` that returns the path instead of the image,
no ``__len__``, Kaggle CSV ids without the file extension, a validation set
built without a transform, albumentations-style ``transform(image=...)`` calls
on a torchvision Compose, ``torch.Tensor(label)`` on an int, a dict sample
unpacked as a tuple, class-name strings as labels, cv2 arrays permuted but not
converted to float, float64 arrays saved with ``np.save``, float64 labels from
``np.loadtxt``, grayscale PNGs read with IMREAD_UNCHANGED, empty validation
folders (wrong glob, wrong folder name). Transforms: ``Resize(224, 224)``,
Compose without a list, ToPILImage on a batch, PIL / cv2 resize with one int,
RandomResizedCrop ``scale=(0.8)``. Loss and labels: the loss class never
instantiated, argmax predictions into the loss, class weights as float64 and as
a Python list. Model code: a ResNet given a MobileNet ``classifier`` edit, a
``foward`` typo, a trailing comma in ``__init__``, a forward without
``return``, ``torch.no_grad`` without parentheses, ``torch.max`` used as a
tensor. Saving / loading: a whole pickled model given
to ``load_state_dict``, a wrapper-module prefix, a resume script expecting a
checkpoint dict, ``torch.save`` into a folder path. Devices: ``"gpu"`` as a
device string, ``torch.cuda.is_available`` not called, ``.to()`` on a list of
detection images. torchvision detection: the loss dict given to backward, a
single image not in a list, a model left in train mode for inference, PIL images
without ToTensor, YOLO-normalised boxes, int32 labels, a one-level anchor
generator on an FPN backbone. Old tutorials: ``next(loader)`` and
``iter(loader).next()``. ImageAI 3: a models folder as the model path, an image
path without its extension.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more8.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, nb, class_folder, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more8.py"


SCRIPTS = {}

# ====================================================================== custom Dataset classes
SCRIPTS["dataset-returns-path-not-image"] = '''
import glob
import os

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["cat", "dog"]
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class PetDataset(Dataset):
    def __init__(self, root, transform=None):
        self.samples = []
        for idx, name in enumerate(CLASSES):
            for path in sorted(glob.glob(os.path.join(root, name, "*.jpg"))):
                self.samples.append((path, idx))
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        img_path = self.samples[idx][0]
        label = self.samples[idx][1]
        return img_path, torch.tensor(label)


train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = PetDataset("data/pets/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
print(f"{len(train_ds)} training images")

model = models.resnet18(weights=None, num_classes=len(CLASSES)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    model.train()
    for images, labels in train_loader:
        labels = labels.to(device)
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")
'''

SCRIPTS["dataset-without-len"] = '''
import csv
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class LeafDataset(Dataset):
    """Plant leaves: data/leaves/train.csv has  filename,label  rows."""

    def __init__(self, csv_file, img_dir, transform=None):
        with open(csv_file) as f:
            rows = list(csv.reader(f))[1:]
        self.items = [(name, int(label)) for name, label in rows]
        self.img_dir = img_dir
        self.transform = transform

    def __getitem__(self, index):
        name, label = self.items[index]
        image = Image.open(os.path.join(self.img_dir, name)).convert("RGB")
        if self.transform is not None:
            image = self.transform(image)
        return image, label


tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
dataset = LeafDataset("data/leaves/train.csv", "data/leaves/images", transform=tf)
loader = DataLoader(dataset, batch_size=8, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 4),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["kaggle-csv-ids-without-extension-workers"] = '''
import csv
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

IMG_DIR = "data/train_images"


class CassavaDataset(Dataset):
    def __init__(self, csv_path, img_dir, transform=None):
        with open(csv_path, newline="") as f:
            self.rows = [r for r in csv.DictReader(f)]
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        img_path = os.path.join(self.img_dir, row["image_id"])
        image = Image.open(img_path).convert("RGB")
        if self.transform:
            image = self.transform(image)
        return image, int(row["label"])


if __name__ == "__main__":
    tf = transforms.Compose([
        transforms.Resize((64, 64)),
        transforms.ToTensor(),
        transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
    ])
    ds = CassavaDataset("data/train.csv", IMG_DIR, transform=tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=5)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(3):
        model.train()
        total = 0.0
        for images, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            total += loss.item()
        print(f"Epoch {epoch}: {total / len(loader):.3f}")
'''

SCRIPTS["val-dataset-built-without-transform"] = '''
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class FruitDataset(Dataset):
    def __init__(self, root, transform=None):
        self.classes = sorted(os.listdir(root))
        self.samples = [(os.path.join(root, c, f), i)
                        for i, c in enumerate(self.classes)
                        for f in sorted(os.listdir(os.path.join(root, c)))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        image = Image.open(path).convert("RGB")
        image = self.transform(image)
        return image, label


train_transform = transforms.Compose([
    transforms.RandomResizedCrop(64),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
train_set = FruitDataset("fruits/train", transform=train_transform)
val_set = FruitDataset("fruits/val")
train_loader = DataLoader(train_set, batch_size=4, shuffle=True)
val_loader = DataLoader(val_set, batch_size=4)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(train_set.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    running_loss = 0.0
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * inputs.size(0)
    print(f"[{epoch + 1}] train loss: {running_loss / len(train_set):.4f}")

    model.eval()
    correct = 0
    with torch.no_grad():
        for inputs, labels in val_loader:
            preds = model(inputs).argmax(dim=1)
            correct += (preds == labels).sum().item()
    print(f"[{epoch + 1}] val acc: {correct / len(val_set):.3f}")
'''

SCRIPTS["albumentations-call-on-torchvision-compose"] = '''
import glob
import os

import cv2
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class SkinLesionDataset(Dataset):
    def __init__(self, image_paths, labels, transform=None):
        self.image_paths = image_paths
        self.labels = labels
        self.transform = transform

    def __len__(self):
        return len(self.image_paths)

    def __getitem__(self, idx):
        image = cv2.imread(self.image_paths[idx])
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        if self.transform:
            augmented = self.transform(image=image)
            image = augmented["image"]
        return image, self.labels[idx]


train_transform = transforms.Compose([
    transforms.ToPILImage(),
    transforms.Resize((96, 96)),
    transforms.RandomRotation(20),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])

paths = sorted(glob.glob("isic/train/*/*.jpg"))
labels = [0 if os.path.basename(os.path.dirname(p)) == "benign" else 1 for p in paths]
train_ds = SkinLesionDataset(paths, labels, transform=train_transform)
train_dl = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.efficientnet_b0(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(2):
    for xb, yb in train_dl:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
    print("epoch", epoch, "loss", loss.item())
'''

SCRIPTS["torch-Tensor-on-int-label-tqdm"] = '''
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

CLASS_NAMES = ["glioma", "meningioma", "notumor", "pituitary"]


class BrainMRIDataset(Dataset):
    def __init__(self, root, transform):
        self.paths, self.labels = [], []
        for label, name in enumerate(CLASS_NAMES):
            for f in sorted(os.listdir(os.path.join(root, name))):
                self.paths.append(os.path.join(root, name, f))
                self.labels.append(label)
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, idx):
        image = Image.open(self.paths[idx]).convert("RGB")
        image = self.transform(image)
        label = torch.Tensor(self.labels[idx])
        return image, label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = BrainMRIDataset("mri/Training", tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)


class SimpleCNN(nn.Module):
    def __init__(self, num_classes=4):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Linear(32 * 16 * 16, num_classes)

    def forward(self, x):
        x = self.features(x)
        return self.classifier(torch.flatten(x, 1))


model = SimpleCNN()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    loop = tqdm(train_loader, desc=f"Epoch {epoch + 1}/5")
    for images, labels in loop:
        optimizer.zero_grad()
        loss = criterion(model(images), labels.long())
        loss.backward()
        optimizer.step()
        loop.set_postfix(loss=loss.item())
'''

SCRIPTS["dataset-dict-sample-unpacked-as-tuple"] = '''
import json

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class BirdsDataset(Dataset):
    def __init__(self, annotation_file, transform=None):
        with open(annotation_file) as f:
            self.records = json.load(f)
        self.transform = transform

    def __len__(self):
        return len(self.records)

    def __getitem__(self, idx):
        rec = self.records[idx]
        image = Image.open(rec["file"]).convert("RGB")
        if self.transform:
            image = self.transform(image)
        return {"image": image, "label": torch.tensor(rec["class_id"])}


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(BirdsDataset("birds/train.json", tf), batch_size=4, shuffle=True)

model = models.resnet18(weights=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    for images, labels in train_loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["class-name-strings-as-labels-to-device"] = '''
import glob
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"


class WasteDataset(Dataset):
    def __init__(self, root, transform=None):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        img = Image.open(path).convert("RGB")
        label = os.path.basename(os.path.dirname(path))      # "cardboard", "glass", ...
        if self.transform:
            img = self.transform(img)
        return img, label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = WasteDataset("garbage/train", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.mobilenet_v2(weights=None, num_classes=3).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

SCRIPTS["cv2-permute-without-float"] = '''
import glob

import cv2
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset


class RoadSignDataset(Dataset):
    def __init__(self, files, img_size=64):
        self.files = files
        self.img_size = img_size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        path = self.files[idx]
        img = cv2.imread(path)
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (self.img_size, self.img_size))
        img = torch.from_numpy(img).permute(2, 0, 1)        # HWC -> CHW
        label = 0 if "/stop/" in path else 1
        return img, label


files = sorted(glob.glob("signs/train/*/*.png"))
loader = DataLoader(RoadSignDataset(files), batch_size=8, shuffle=True)
model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(3 * 64 * 64, 256),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(256, 2),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(5):
    for img, label in loader:
        optimizer.zero_grad()
        out = model(img)
        loss = criterion(out, label)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["np-loadtxt-float64-labels-ce"] = '''
import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class DigitsDataset(Dataset):
    def __init__(self, list_file, labels_file, transform):
        self.paths = open(list_file).read().split()
        self.labels = np.loadtxt(labels_file)
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, idx):
        img = Image.open(self.paths[idx]).convert("L")
        return self.transform(img), torch.tensor(self.labels[idx])


tf = transforms.Compose([transforms.Resize((28, 28)), transforms.ToTensor(),
                         transforms.Normalize((0.1307,), (0.3081,))])
ds = DigitsDataset("digits/files.txt", "digits/labels.txt", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)

model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["cv2-bgr2gray-on-gray-png-workers"] = '''
import glob
import os

import cv2
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

CLASSES = ["crazing", "inclusion", "scratches"]


class SteelDefects(Dataset):
    def __init__(self, root):
        self.items = [(p, CLASSES.index(os.path.basename(os.path.dirname(p))))
                      for p in sorted(glob.glob(os.path.join(root, "*", "*")))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
        img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        img = cv2.resize(img, (64, 64)).astype("float32") / 255.0
        return torch.from_numpy(img).unsqueeze(0), label


def main():
    loader = DataLoader(SteelDefects("NEU-DET/train"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        nn.Flatten(), nn.Linear(32, len(CLASSES)),
    )
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    for epoch in range(4):
        for x, y in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        print(epoch, round(loss.item(), 4))


if __name__ == "__main__":
    main()
'''

SCRIPTS["val-glob-wrong-extension-zero-division"] = '''
import glob
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CLASSES = ["buildings", "forest", "sea"]


class SceneDataset(Dataset):
    def __init__(self, folder, transform):
        self.items = []
        for i, c in enumerate(CLASSES):
            for p in glob.glob(os.path.join(folder, c, "*.jpg")):
                self.items.append((p, i))
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, y = self.items[i]
        return self.transform(Image.open(p).convert("RGB")), y


tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
train_loader = DataLoader(SceneDataset("intel/seg_train", tf), batch_size=4, shuffle=True)
test_loader = DataLoader(SceneDataset("intel/seg_test", tf), batch_size=4, shuffle=False)

model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4),
                      nn.Flatten(), nn.Linear(8 * 16, len(CLASSES)))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()

    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for x, y in test_loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.size(0)
    print(f"Epoch {epoch + 1}: loss={loss.item():.4f} test_acc={100 * correct / total:.2f}%")
'''

SCRIPTS["val-folder-name-mismatch-torch-cat"] = '''
import glob
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

ROOT = "dataset"
CLASSES = ["no_mask", "mask"]


class MaskDataset(Dataset):
    def __init__(self, split, transform):
        self.samples = [(f, CLASSES.index(c)) for c in CLASSES
                        for f in sorted(glob.glob(os.path.join(ROOT, split, c, "*.jpg")))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        f, y = self.samples[idx]
        return self.transform(Image.open(f).convert("RGB")), y


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_dl = DataLoader(MaskDataset("train", tf), batch_size=4, shuffle=True)
val_dl = DataLoader(MaskDataset("val", tf), batch_size=4)

model = models.resnet18(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    model.train()
    for x, y in train_dl:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: train loss {loss.item():.3f}")

model.eval()
all_preds, all_labels = [], []
with torch.no_grad():
    for x, y in val_dl:
        all_preds.append(model(x).argmax(1))
        all_labels.append(y)
all_preds = torch.cat(all_preds)
all_labels = torch.cat(all_labels)
print("val accuracy:", (all_preds == all_labels).float().mean().item())
'''

# ====================================================================== transforms
SCRIPTS["transforms-resize-two-ints"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

data_transforms = {
    "train": transforms.Compose([
        transforms.Resize(224, 224),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ]),
    "val": transforms.Compose([
        transforms.Resize(224, 224),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ]),
}
image_datasets = {x: datasets.ImageFolder(f"hymenoptera_data/{x}", data_transforms[x]) for x in ["train", "val"]}
dataloaders = {x: DataLoader(image_datasets[x], batch_size=4, shuffle=True) for x in ["train", "val"]}
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 2)
'''

SCRIPTS["transforms-compose-without-list"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

transform = transforms.Compose(
    transforms.Resize((32, 32)),
    transforms.ToTensor(),
    transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)),
)
train_data = datasets.ImageFolder("cifar_like/train", transform=transform)
train_loader = DataLoader(train_data, batch_size=16, shuffle=True)

model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Linear(256, 10))
'''

SCRIPTS["pil-resize-single-int"] = '''
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

IMG_SIZE = 96


class FoodDataset(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(os.path.join(root, c, f), i) for i, c in enumerate(self.classes)
                      for f in sorted(os.listdir(os.path.join(root, c)))]
        self.to_tensor = transforms.ToTensor()

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        path, label = self.items[idx]
        img = Image.open(path).convert("RGB").resize(IMG_SIZE)
        return self.to_tensor(img), label


ds = FoodDataset("food/train")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 5, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(ds.classes)))
opt = torch.optim.Adam(model.parameters())
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["cv2-resize-single-int-workers"] = '''
import glob
import os

import cv2
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

LABELS = {"NORMAL": 0, "PNEUMONIA": 1}


class ChestXray(Dataset):
    def __init__(self, root, img_size=128):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.jpeg")))
        self.img_size = img_size

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, idx):
        p = self.paths[idx]
        img = cv2.imread(p, cv2.IMREAD_GRAYSCALE)
        img = cv2.resize(img, self.img_size)
        img = np.expand_dims(img.astype(np.float32) / 255.0, 0)
        return torch.from_numpy(img), LABELS[os.path.basename(os.path.dirname(p))]


if __name__ == "__main__":
    train_loader = DataLoader(ChestXray("chest_xray/train"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in train_loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
        print("epoch", epoch, loss.item())
'''

SCRIPTS["randomresizedcrop-scale-not-tuple"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

train_tf = transforms.Compose([
    transforms.RandomResizedCrop(224, scale=(0.8)),
    transforms.RandomHorizontalFlip(),
    transforms.ColorJitter(brightness=0.2, contrast=0.2),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("flowers/train", transform=train_tf)
train_dl = DataLoader(train_ds, batch_size=32, shuffle=True, num_workers=2)
model = models.resnet50(weights=None, num_classes=len(train_ds.classes))
'''

# ====================================================================== losses / labels
SCRIPTS["loss-class-not-instantiated"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((28, 28)), transforms.ToTensor()])
train_set = datasets.ImageFolder("fashion/train", transform=tf)
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 128)
        self.fc2 = nn.Linear(128, len(train_set.classes))

    def forward(self, x):
        x = x.view(x.size(0), -1)
        return self.fc2(torch.relu(self.fc1(x)))


net = Net()
criterion = nn.CrossEntropyLoss
optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)

for epoch in range(2):
    running_loss = 0.0
    for i, (inputs, labels) in enumerate(train_loader):
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"[{epoch + 1}] loss: {running_loss / len(train_loader):.3f}")
'''

SCRIPTS["argmax-predictions-into-loss"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("weather/train", transform=tf)
train_dl = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    model.train()
    for images, labels in train_dl:
        optimizer.zero_grad()
        outputs = model(images)
        _, preds = torch.max(outputs, 1)
        loss = criterion(preds, labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["ce-class-weights-float64-from-numpy"] = '''
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("retina/train", transform=tf)
train_dl = DataLoader(train_ds, batch_size=4, shuffle=True)

# the classes are imbalanced: weight each one by its inverse frequency
counts = np.bincount(train_ds.targets)
class_weights = len(train_ds.targets) / (len(counts) * counts)
print("class weights:", class_weights)
criterion = nn.CrossEntropyLoss(weight=torch.from_numpy(class_weights))

model = models.densenet121(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for images, labels in train_dl:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["ce-class-weights-python-list"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("defects/train", transform=tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 3)
model = model.to(device)
# "good" images outnumber the defects 10:1
criterion = nn.CrossEntropyLoss(weight=[0.1, 1.0, 1.0])
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
'''

# ====================================================================== model code
SCRIPTS["resnet-given-mobilenet-classifier-edit"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("dogs/train", transform=tf)
num_classes = len(train_ds.classes)

# model = models.mobilenet_v2(weights=None)
model = models.resnet34(weights=None)
for param in model.parameters():
    param.requires_grad = False
model.classifier[1] = nn.Linear(model.classifier[1].in_features, num_classes)

optimizer = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-3)
'''

SCRIPTS["forward-method-misspelled"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class CatDogCNN(nn.Module):
    def __init__(self):
        super(CatDogCNN, self).__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(32 * 16 * 16, 64)
        self.fc2 = nn.Linear(64, 2)

    def foward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 32 * 16 * 16)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("catsdogs/train", tf), batch_size=4, shuffle=True)
model = CatDogCNN()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
for epoch in range(3):
    for inputs, labels in loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
'''

SCRIPTS["layer-trailing-comma-tuple"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class FlowerNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, kernel_size=3, padding=1),
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, padding=1)
        self.bn2 = nn.BatchNorm2d(64)
        self.head = nn.Linear(64, n_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.head(x)


train_ds = datasets.ImageFolder("flowers/train", transforms.Compose([transforms.Resize((64, 64)),
                                                                      transforms.ToTensor()]))
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = FlowerNet(len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
'''

SCRIPTS["forward-without-return"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class TrafficSignNet(nn.Module):
    def __init__(self, num_classes=43):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(64 * 6 * 6, 256)
        self.fc2 = nn.Linear(256, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.dropout(torch.flatten(x, 1))
        x = F.relu(self.fc1(x))
        x = self.fc2(x)


tf = transforms.Compose([transforms.Resize((30, 30)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("gtsrb/Train", tf), batch_size=8, shuffle=True)
model = TrafficSignNet()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)

for epoch in range(5):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        output = model(images)
        loss = criterion(output, labels)
        loss.backward()
        optimizer.step()
    print("Epoch", epoch + 1, "loss", loss.item())
'''

SCRIPTS["no-grad-without-parentheses-tqdm"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("hotdog/train", tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("hotdog/test", tf), batch_size=4)

model = models.squeezenet1_1(weights=None, num_classes=2)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad:
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += len(y)
    return correct / total


for epoch in range(3):
    model.train()
    for x, y in tqdm(train_loader, desc=f"epoch {epoch}"):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"val accuracy: {evaluate(model, val_loader):.3f}")
'''

# ====================================================================== saving / loading
SCRIPTS["load-state-dict-given-whole-model"] = '''
import torch
from torch import nn
from torchvision import models, transforms
from PIL import Image


def build_model(num_classes=3):
    model = models.resnet18(weights=None)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


# --- end of train.py -------------------------------------------------------
trained = build_model()
torch.save(trained, "best_model.pth")

# --- predict.py --------------------------------------------------------------
classes = ["cloudy", "rain", "shine"]
model = build_model()
model.load_state_dict(torch.load("best_model.pth", map_location="cpu", weights_only=False))
model.eval()
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
x = tf(Image.open("test/rain_017.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(classes[model(x).argmax(1).item()])
'''

SCRIPTS["wrapper-module-prefix-in-checkpoint"] = '''
import torch
from torch import nn
from torchvision import models


class CarClassifier(nn.Module):
    """What train.py trained: a backbone plus a small head."""

    def __init__(self, num_classes):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(512, num_classes)

    def forward(self, x):
        return self.head(self.dropout(self.backbone(x)))


torch.save(CarClassifier(num_classes=5).state_dict(), "car_classifier.pt")

# ------------------------------------------------------------- inference.py
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 5)
state = torch.load("car_classifier.pt", map_location="cpu")
model.load_state_dict(state)
model.eval()
print("model ready")
'''

SCRIPTS["resume-expects-checkpoint-dict"] = '''
import os

import torch
from torch import nn
from torchvision import models

model = models.mobilenet_v3_small(weights=None, num_classes=4)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

# train.py saved only the weights at the end of each epoch
torch.save(model.state_dict(), "checkpoints/epoch_12.pth")

# ---------------------------------------------------------------- resume
RESUME = "checkpoints/epoch_12.pth"
start_epoch = 0
if os.path.isfile(RESUME):
    print(f"=> loading checkpoint '{RESUME}'")
    checkpoint = torch.load(RESUME, map_location="cpu")
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    start_epoch = checkpoint["epoch"] + 1
    print(f"=> resumed at epoch {start_epoch}")
'''

SCRIPTS["torch-save-to-folder-path-tqdm"] = '''
import os

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

SAVE_DIR = "weights/"
os.makedirs(SAVE_DIR, exist_ok=True)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("mushrooms/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
best_loss = float("inf")

for epoch in range(2):
    epoch_loss = 0.0
    for x, y in tqdm(loader, desc=f"Epoch {epoch + 1}"):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        epoch_loss += loss.item()
    if epoch_loss < best_loss:
        best_loss = epoch_loss
        torch.save(model.state_dict(), SAVE_DIR)
        print("saved best model")
'''

# ====================================================================== devices
SCRIPTS["device-string-gpu"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# train on the GPU
device = torch.device("gpu")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("apparel/train", tf), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=3).to(device)
'''

SCRIPTS["cuda-is-available-not-called"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = "cuda" if torch.cuda.is_available else "cpu"
print("Using device:", device)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("sports/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.efficientnet_b0(weights=None, num_classes=len(train_ds.classes))
model.to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
'''

# ====================================================================== torchvision detection
DET_DATASET = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]


class HelmetDataset(Dataset):
    """helmets/annotations.json: {"img_000.jpg": [[x1, y1, x2, y2, class_id], ...], ...}"""

    def __init__(self, root, transforms=@@TRANSFORMS@@):
        self.root = root
        with open(os.path.join(root, "annotations.json")) as f:
            self.ann = json.load(f)
        self.files = sorted(self.ann)
        self.transforms = transforms

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        objs = self.ann[name]
        target = {
            "boxes": torch.tensor([o[:4] for o in objs], dtype=torch.float32),
            "labels": @@LABELS@@,
            "image_id": idx,
        }
        if self.transforms is not None:
            img = self.transforms(img)
        return img, target


def collate_fn(batch):
    return tuple(zip(*batch))
'''


def det_dataset_code(transforms="TF.to_tensor", labels="torch.tensor([o[4] for o in objs], dtype=torch.int64)"):
    return sub(DET_DATASET, TRANSFORMS=transforms, LABELS=labels)


DET_MODEL = '''
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
'''

DET_LOOP_STD = '''
dataset = HelmetDataset("helmets")
data_loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=collate_fn)
for epoch in range(2):
    model.train()
    for images, targets in data_loader:
        images = list(image for image in images)
        targets = [{k: v for k, v in t.items()} for t in targets]
        loss_dict = model(images, targets)
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {losses.item():.3f}")
'''


def helmets(n=4, boxes=None):
    def setup(work: Path):
        import json
        specs = []
        ann = {}
        for i in range(n):
            name = f"img_{i:03d}.jpg"
            specs.append((f"helmets/images/{name}", (160, 120), "RGB"))
            ann[name] = boxes(i) if boxes else [[10 + i, 12, 60 + i, 70, 1], [80, 30 + i, 130, 90, 2]]
        make_images(work, specs)
        (work / "helmets" / "annotations.json").write_text(json.dumps(ann, indent=1))
    return setup


SCRIPTS["frcnn-loss-dict-backward"] = det_dataset_code() + DET_MODEL + '''
device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
model.to(device)
dataset = HelmetDataset("helmets")
data_loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=collate_fn)

num_epochs = 10
for epoch in range(num_epochs):
    model.train()
    for images, targets in data_loader:
        images = [img.to(device) for img in images]
        targets = [{k: (v.to(device) if torch.is_tensor(v) else v) for k, v in t.items()} for t in targets]
        optimizer.zero_grad()
        loss = model(images, targets)
        loss.backward()
        optimizer.step()
    print(f"Epoch: {epoch}, Loss: {loss}")
'''

SCRIPTS["frcnn-images-list-to-device"] = det_dataset_code() + DET_MODEL + '''
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model.to(device)


def my_collate(batch):
    images = [item[0] for item in batch]
    targets = [item[1] for item in batch]
    return images, targets


loader = DataLoader(HelmetDataset("helmets"), batch_size=2, shuffle=True, collate_fn=my_collate)
for epoch in range(5):
    model.train()
    for images, targets in loader:
        images = images.to(device)
        targets = [{k: v.to(device) if torch.is_tensor(v) else v for k, v in t.items()} for t in targets]
        loss_dict = model(images, targets)
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["frcnn-single-image-not-in-list"] = det_dataset_code() + DET_MODEL + DET_LOOP_STD + '''
# ---- try it on a new photo
model.eval()
img = TF.to_tensor(Image.open("site_photo.jpg").convert("RGB"))
with torch.no_grad():
    prediction = model(img)
for box, label, score in zip(prediction[0]["boxes"], prediction[0]["labels"], prediction[0]["scores"]):
    if score > 0.5:
        print(CLASSES[label], box.tolist(), float(score))
'''

SCRIPTS["frcnn-inference-left-in-train-mode"] = det_dataset_code() + DET_MODEL + DET_LOOP_STD + '''
torch.save(model.state_dict(), "helmet_frcnn.pth")

# ---- inference on the test photos
model.load_state_dict(torch.load("helmet_frcnn.pth"))
for name in ["site_photo.jpg"]:
    img = TF.to_tensor(Image.open(name).convert("RGB"))
    with torch.no_grad():
        out = model([img])[0]
    keep = out["scores"] > 0.6
    print(name, out["boxes"][keep].tolist(), [CLASSES[i] for i in out["labels"][keep]])
'''

SCRIPTS["frcnn-pil-images-no-to-tensor"] = det_dataset_code(transforms="None") + DET_MODEL + DET_LOOP_STD

SCRIPTS["frcnn-labels-int32-numpy"] = (det_dataset_code(labels="torch.from_numpy(np.array([o[4] for o in objs], dtype=np.int32))")
                                       .replace("import torch\n", "import numpy as np\nimport torch\n", 1)
                                       + DET_MODEL + DET_LOOP_STD)

SCRIPTS["frcnn-yolo-normalised-boxes-tqdm"] = '''
import glob
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm


class YoloTxtDataset(Dataset):
    """Roboflow 'YOLO v5 PyTorch' export: images/*.jpg and labels/*.txt (cls xc yc w h)."""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        path = self.images[idx]
        img = TF.to_tensor(Image.open(path).convert("RGB"))
        label_path = os.path.join(self.root, "labels", os.path.basename(path)[:-4] + ".txt")
        boxes, labels = [], []
        with open(label_path) as f:
            for line in f:
                cls, *box = line.split()
                boxes.append([float(v) for v in box])
                labels.append(int(cls) + 1)          # 0 is background
        target = {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}
        return img, target


ds = YoloTxtDataset("potholes/train")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

for epoch in range(3):
    model.train()
    pbar = tqdm(loader, total=len(loader))
    for images, targets in pbar:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_description(f"loss {loss.item():.3f}")
'''

SCRIPTS["fpn-backbone-one-level-anchor-generator"] = det_dataset_code() + '''
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import resnet_fpn_backbone
from torchvision.models.detection.rpn import AnchorGenerator

# a lighter backbone than resnet50, following the torchvision tutorial
backbone = resnet_fpn_backbone(backbone_name="resnet18", weights=None, trainable_layers=3)
anchor_generator = AnchorGenerator(sizes=((32, 64, 128, 256, 512),),
                                   aspect_ratios=((0.5, 1.0, 2.0),))
model = FasterRCNN(backbone, num_classes=len(CLASSES), rpn_anchor_generator=anchor_generator,
                   min_size=320, max_size=320)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
''' + DET_LOOP_STD

# ====================================================================== ImageAI 3
SAVE_CLS = '''
import json
import os
import torch
import torchvision

# written by an earlier ClassificationModelTrainer run on two classes
os.makedirs("pets/models", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(),
           "pets/models/mobilenet_v2-pets-test_acc_0.87500_epoch-14.pt")
json.dump({"0": "cat", "1": "dog"}, open("pets/models/pets_model_classes.json", "w"))
'''

IAI_MODEL_FOLDER = SAVE_CLS + '''
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()
predictions, probabilities = prediction.classifyImage("samples/cat_01.jpg", result_count=2)
for p, prob in zip(predictions, probabilities):
    print(p, ":", prob)
'''

IAI_IMAGE_NO_EXT = SAVE_CLS + '''
import os
from imageai.Classification.Custom import CustomImageClassification

execution_path = os.getcwd()
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath(os.path.join(execution_path, "pets/models/mobilenet_v2-pets-test_acc_0.87500_epoch-14.pt"))
prediction.setJsonPath(os.path.join(execution_path, "pets/models/pets_model_classes.json"))
prediction.loadModel()

for name in ["cat_01", "dog_01"]:
    predictions, probabilities = prediction.classifyImage(os.path.join(execution_path, "samples", name),
                                                          result_count=2)
    print(name, predictions[0], probabilities[0])
'''

# ====================================================================== notebooks
NPY_CELLS = [
    '''import glob, os
import numpy as np
from PIL import Image

classes = ["benign", "malignant"]
X, y = [], []
for i, c in enumerate(classes):
    for p in sorted(glob.glob(f"skin/train/{c}/*.jpg")):
        X.append(np.asarray(Image.open(p).convert("RGB").resize((64, 64))) / 255.0)
        y.append(i)
X, y = np.array(X), np.array(y)
np.save("X_train.npy", X); np.save("y_train.npy", y)
print(X.shape, X.dtype, y.shape)''',
    '''import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models

X = torch.from_numpy(np.load("X_train.npy")).permute(0, 3, 1, 2)
y = torch.from_numpy(np.load("y_train.npy"))
train_loader = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=2)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

TOPIL_CELLS = [
    '''import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_tf = transforms.Compose([
    transforms.RandomResizedCrop(64),
    transforms.RandomHorizontalFlip(),
    transforms.ColorJitter(0.3, 0.3, 0.3),
    transforms.ToTensor(),
])
train_ds = datasets.ImageFolder("birds/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
print(train_ds.classes)''',
    '''# look at what the augmentations do
images, labels = next(iter(train_loader))
print(images.shape, labels)
preview = transforms.ToPILImage()(images)
preview.save("augmented_preview.png")''',
]

TORCH_MAX_CELLS = [
    '''import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
test_ds = datasets.ImageFolder("flowers/test", tf)
test_loader = DataLoader(test_ds, batch_size=4)
model = models.resnet18(weights=None, num_classes=len(test_ds.classes))
model.eval()''',
    '''correct = 0
total = 0
with torch.no_grad():
    for images, labels in test_loader:
        outputs = model(images)
        predicted = torch.max(outputs, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
print(f"Accuracy of the network on the test images: {100 * correct / total:.1f} %")''',
]

NEXT_LOADER_CELLS = [
    '''import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

transform = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
trainset = datasets.ImageFolder("animals/train", transform=transform)
trainloader = DataLoader(trainset, batch_size=4, shuffle=True)
classes = trainset.classes''',
    '''# get some random training images
images, labels = next(trainloader)
print(" ".join(f"{classes[labels[j]]:5s}" for j in range(4)))''',
]

DOT_NEXT_CELLS = [
    '''import torch
import torchvision
import torchvision.transforms as transforms

transform = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(),
                                transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
trainset = torchvision.datasets.ImageFolder(root="./data/train", transform=transform)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=True, num_workers=0)
classes = tuple(trainset.classes)''',
    '''dataiter = iter(trainloader)
images, labels = dataiter.next()
print(images.shape)
print(" ".join("%5s" % classes[labels[j]] for j in range(4)))''',
]


# ======================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more8-", SCRIPTS)

    def notebook(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        add(name, cause, nb(cells), forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    def iai(name, cause, text, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, {"main.py": text}, forms=forms, argv=["main.py"], **kw)

    def folders(root, classes, per=3, **kw):
        return imgs(class_folder(root, classes, per, **kw))

    # custom Dataset classes -------------------------------------------------------------------
    script("dataset-returns-path-not-image", "model.api_misuse", setup=folders("data/pets/train", ("cat", "dog")))

    def leaves(work: Path):
        make_images(work, [(f"data/leaves/images/leaf_{i:03d}.jpg", (64, 64), "RGB") for i in range(8)])
        rows = "".join(f"leaf_{i:03d}.jpg,{i % 4}\n" for i in range(8))
        (work / "data/leaves/train.csv").write_text("filename,label\n" + rows)
    script("dataset-without-len", "model.api_misuse", setup=leaves)

    def cassava(work: Path):
        ids = [f"{1000015157 + 7919 * i}" for i in range(8)]
        make_images(work, [(f"data/train_images/{x}.jpg", (80, 60), "RGB") for x in ids])
        (work / "data/train.csv").write_text("image_id,label\n" + "".join(f"{x},{i % 5}\n" for i, x in enumerate(ids)))
    script("kaggle-csv-ids-without-extension-workers", "data.missing_or_corrupt",
           forms=["dataloader_worker"], setup=cassava)

    fruits = imgs(class_folder("fruits/train", ("apple", "banana", "orange"), 3, size=(72, 72))
                  + class_folder("fruits/val", ("apple", "banana", "orange"), 2, size=(72, 72)))
    script("val-dataset-built-without-transform", "model.api_misuse", setup=fruits)
    script("albumentations-call-on-torchvision-compose", "model.api_misuse",
           setup=folders("isic/train", ("benign", "malignant"), size=(90, 80)))
    script("torch-Tensor-on-int-label-tqdm", "data.label_shape", forms=["cpython_basic", "progress_bars?"],
           setup=folders("mri/Training", ("glioma", "meningioma", "notumor", "pituitary"), 3))

    def birds_json(work: Path):
        import json
        specs, recs = [], []
        for i in range(6):
            f = f"birds/images/{i:04d}.jpg"
            specs.append((f, (70, 70), "RGB"))
            recs.append({"file": f, "class_id": i % 3})
        make_images(work, specs)
        (work / "birds/train.json").write_text(json.dumps(recs))
    script("dataset-dict-sample-unpacked-as-tuple", "model.api_misuse", setup=birds_json)
    script("class-name-strings-as-labels-to-device", "data.label_shape",
           setup=folders("garbage/train", ("cardboard", "glass", "metal")))
    script("cv2-permute-without-float", "data.dtype", setup=folders("signs/train", ("stop", "yield"), 4, ext="png"))

    def digits(work: Path):
        files = [f"digits/img/{i:03d}.png" for i in range(8)]
        make_images(work, [(f, (28, 28), "L") for f in files])
        (work / "digits/files.txt").write_text("\n".join(files) + "\n")
        (work / "digits/labels.txt").write_text("".join(f"{(3 * i) % 10}\n" for i in range(8)))
    script("np-loadtxt-float64-labels-ce", "data.dtype", setup=digits)

    steel = imgs(class_folder("NEU-DET/train", ("crazing", "inclusion", "scratches"), 3, size=(80, 80))
                 + [("NEU-DET/train/scratches/scratches_gray_100.png", (80, 80), "L"),
                    ("NEU-DET/train/crazing/crazing_gray_101.png", (80, 80), "L")])
    script("cv2-bgr2gray-on-gray-png-workers", "data.image_channels", forms=["dataloader_worker"], setup=steel)

    intel = imgs(class_folder("intel/seg_train", ("buildings", "forest", "sea"), 2)
                 + class_folder("intel/seg_test", ("buildings", "forest", "sea"), 2, ext="png"))
    script("val-glob-wrong-extension-zero-division", "data.missing_or_corrupt", setup=intel)
    masks = imgs(class_folder("dataset/train", ("no_mask", "mask"), 3)
                 + class_folder("dataset/valid", ("no_mask", "mask"), 2))
    script("val-folder-name-mismatch-torch-cat", "data.missing_or_corrupt", setup=masks)

    # transforms ---------------------------------------------------------------------------------
    script("transforms-resize-two-ints", "model.api_misuse",
           setup=imgs(class_folder("hymenoptera_data/train", ("ants", "bees"), 2)
                      + class_folder("hymenoptera_data/val", ("ants", "bees"), 2)))
    script("transforms-compose-without-list", "model.api_misuse",
           setup=folders("cifar_like/train", ("airplane", "cat", "ship")))
    script("pil-resize-single-int", "model.api_misuse",
           project="/home/user/Documents/Food Classifier", forms=["cpython_basic", "paths_with_spaces"],
           setup=folders("food/train", ("pizza", "sushi", "steak"), size=(120, 90)))
    script("cv2-resize-single-int-workers", "model.api_misuse", forms=["dataloader_worker"],
           setup=imgs(class_folder("chest_xray/train", ("NORMAL", "PNEUMONIA"), 3, size=(96, 80), ext="jpeg")))
    script("randomresizedcrop-scale-not-tuple", "model.api_misuse",
           setup=folders("flowers/train", ("daisy", "rose")))
    notebook("notebook-topilimage-on-batch", "model.api_misuse", TOPIL_CELLS,
             setup=folders("birds/train", ("finch", "robin")))

    # losses and labels ----------------------------------------------------------------------------
    script("loss-class-not-instantiated", "model.api_misuse",
           setup=folders("fashion/train", ("bag", "sandal", "shirt"), mode="L", ext="png", size=(28, 28)))
    script("argmax-predictions-into-loss", "model.api_misuse", also=["optim.autograd_graph"],
           setup=folders("weather/train", ("cloudy", "rain", "sunrise")))
    script("ce-class-weights-float64-from-numpy", "data.dtype",
           setup=imgs(class_folder("retina/train", ("mild", "none"), 2)
                      + class_folder("retina/train", ("severe",), 1)))
    script("ce-class-weights-python-list", "model.api_misuse",
           setup=folders("defects/train", ("good", "crack", "dent")))

    # model code ---------------------------------------------------------------------------------------
    script("resnet-given-mobilenet-classifier-edit", "model.api_misuse",
           setup=folders("dogs/train", ("beagle", "husky", "pug"), 1))
    script("forward-method-misspelled", "model.api_misuse", setup=folders("catsdogs/train", ("cats", "dogs")))
    script("layer-trailing-comma-tuple", "model.api_misuse", setup=folders("flowers/train", ("daisy", "tulip")))
    script("forward-without-return", "model.api_misuse",
           setup=folders("gtsrb/Train", ("00", "01", "02"), size=(40, 40), ext="png"))
    script("no-grad-without-parentheses-tqdm", "model.api_misuse", forms=["cpython_basic", "progress_bars"],
           setup=imgs(class_folder("hotdog/train", ("hot_dog", "not_hot_dog"), 3)
                      + class_folder("hotdog/test", ("hot_dog", "not_hot_dog"), 2)))
    notebook("notebook-torch-max-used-as-tensor", "model.api_misuse", TORCH_MAX_CELLS,
             setup=folders("flowers/test", ("daisy", "rose", "tulip"), 2))

    # saving / loading -----------------------------------------------------------------------------------
    script("load-state-dict-given-whole-model", "model.weights_mismatch", also=["model.api_misuse"],
           setup=imgs([("test/rain_017.jpg", (80, 60), "RGB")]))
    script("wrapper-module-prefix-in-checkpoint", "model.weights_mismatch")
    add("resume-expects-checkpoint-dict", "model.weights_mismatch",
        {"train.py": SCRIPTS["resume-expects-checkpoint-dict"], "checkpoints/.keep": ""})
    script("torch-save-to-folder-path-tqdm", "model.api_misuse", forms=["cpython_basic", "progress_bars"],
           setup=folders("mushrooms/train", ("edible", "poisonous")))

    # devices ------------------------------------------------------------------------------------------------
    script("device-string-gpu", "model.api_misuse", setup=folders("apparel/train", ("dress", "shirt", "shoe"), 1))
    script("cuda-is-available-not-called", "env.cuda_setup", also=["model.api_misuse"],
           setup=folders("sports/train", ("cricket", "hockey"), 1))
    script("frcnn-images-list-to-device", "model.api_misuse", setup=helmets())

    # torchvision detection ------------------------------------------------------------------------------
    script("frcnn-loss-dict-backward", "model.api_misuse", setup=helmets())
    add("frcnn-single-image-not-in-list", "model.input_shape",
        {"train.py": SCRIPTS["frcnn-single-image-not-in-list"]},
        setup=lambda w: (helmets()(w), make_images(w, [("site_photo.jpg", (200, 150), "RGB")])))
    add("frcnn-inference-left-in-train-mode", "model.api_misuse",
        {"train.py": SCRIPTS["frcnn-inference-left-in-train-mode"]},
        setup=lambda w: (helmets()(w), make_images(w, [("site_photo.jpg", (200, 150), "RGB")])))
    script("frcnn-pil-images-no-to-tensor", "model.api_misuse", setup=helmets())
    script("frcnn-labels-int32-numpy", "data.dtype", setup=helmets())

    def potholes(work: Path):
        make_images(work, [(f"potholes/train/images/pothole_{i:03d}.jpg", (160, 120), "RGB") for i in range(4)])
        lab = work / "potholes/train/labels"
        lab.mkdir(parents=True)
        for i in range(4):
            (lab / f"pothole_{i:03d}.txt").write_text(
                f"0 {0.42 + 0.03 * i:.6f} {0.55:.6f} {0.21 + 0.02 * i:.6f} {0.18:.6f}\n"
                f"0 {0.71:.6f} {0.33 + 0.02 * i:.6f} {0.12:.6f} {0.10 + 0.01 * i:.6f}\n")
    script("frcnn-yolo-normalised-boxes-tqdm", "data.bbox_invalid", forms=["cpython_basic", "progress_bars"],
           setup=potholes)
    script("fpn-backbone-one-level-anchor-generator", "model.api_misuse", setup=helmets())

    # old tutorials in notebooks ----------------------------------------------------------------------------
    notebook("notebook-npy-float64-images", "data.dtype", NPY_CELLS,
             setup=folders("skin/train", ("benign", "malignant"), size=(80, 80)))
    notebook("notebook-next-on-dataloader", "model.api_misuse", NEXT_LOADER_CELLS,
             setup=folders("animals/train", ("cat", "dog", "horse")))
    notebook("notebook-dataiter-dot-next", "env.version_incompat", DOT_NEXT_CELLS,
             setup=folders("data/train", ("plane", "car", "bird")))

    # ImageAI 3 -------------------------------------------------------------------------------------------------
    samples = imgs([("samples/cat_01.jpg", (120, 100), "RGB"), ("samples/dog_01.jpg", (120, 100), "RGB")])
    iai("cls-model-path-is-models-folder", "model.api_misuse", IAI_MODEL_FOLDER, setup=samples)
    iai("cls-image-path-without-extension", "data.missing_or_corrupt", IAI_IMAGE_NO_EXT, setup=samples)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
