"""A fifteenth held-out set of PyTorch / torchvision / ImageAI 3 failures, none of
them a repeat of the other generators' scenarios, following beginners who train
image classifiers and detectors.

Heads and losses: a from-scratch ViT that keeps the token axis of its class
token, a custom CNN ending in ``view(-1)`` (notebook), TenCrop evaluation fed
straight to a ResNet, InceptionV3 on 32 px CIFAR images.
Datasets and loaders: a ``BatchSampler`` given as ``sampler``, a boolean numpy
mask as ``Subset`` indices, an ``IterableDataset`` with ``shuffle=True``, class
names parsed from Windows-style paths (in workers), SupCon two-view samples into
a linear probe, ``v2.CutMix`` inside ``__getitem__`` (in workers), a validation
loader with ``drop_last=True`` and fewer images than a batch.
Transforms: FiveCrop followed by ToTensor, Resize on an HWC tensor from NumPy,
a ``convert("RGB")`` Lambda placed after ToTensor (in workers), per-channel
statistics computed on RGBA tiles (alpha std 0), RandomRotation with
``expand=True``.
Class counts and checkpoints: the class list given as ``num_classes``, a
checkpoint whose head was ``Sequential(Dropout, Linear)``, a Faster R-CNN
checkpoint loaded with the background class forgotten, a Kaggle ``archive.zip``
renamed to ``.pth``, a VGG-style ``classifier[6]`` edit on MobileNetV2.
torchvision detection: boxes nested one level too deep, targets filtered without
their images, boxes left as NumPy arrays, float64 scores into ``nms``, a single
ground-truth box as a 1-D tensor into ``box_iou``.
ImageAI 3: CustomObjectDetection given a ``.webp`` photo and asked for
``CustomObjects``; CustomVideoObjectDetection without ``loadModel``;
ImageAI 2 calls (``setDataDirectory(train_subdirectory=...)``,
``loadModel(detection_speed=...)``); a torchvision weights URL as
``transfer_from_model``.
Optimizers and schedulers: StepLR given the model, ``optimizer.step(loss)``,
OneCycleLR without a length, parameter generators in a list (GAN),
CosineAnnealingWarmRestarts with ``T_0`` from integer division.
dtypes, autograd, divergence: float64 tabular metadata concatenated to CNN
features, boolean multi-hot targets, FGSM on uint8 images, a saliency map on
inputs that do not require grad (notebook), a confidence histogram after the
loss went NaN, ``.item()`` on the per-batch correct mask, CIFAR-10 root pointing
inside the extracted folder.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more15.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, sub  # noqa: E402,F401

SRC = "corpus/generators/torch_more15.py"


SCRIPTS = {}
CELLS = {}

# ============================================================ heads, losses, input shapes
SCRIPTS["vit-scratch-cls-slice-keeps-token-dim"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class TinyViT(nn.Module):
    def __init__(self, num_classes, img=64, patch=8, dim=128, depth=2, heads=4):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        n = (img // patch) ** 2
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, dim))
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 2, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1) + self.pos
        x = self.encoder(x)
        return self.head(x[:, :1])          # class token


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("data/insects/train", tf)
loader = DataLoader(train, batch_size=8, shuffle=True)
model = TinyViT(num_classes=len(train.classes))
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for images, labels in loader:
        loss = criterion(model(images), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.3f}")
'''

CELLS["cnn-forward-view-minus-one-ce-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((48, 48)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/fer/train", tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.classes)
''',
    '''
class EmotionNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 12 * 12, n_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.fc(x.flatten(1))
        return x.view(-1)

model = EmotionNet(len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
''',
    '''
for epoch in range(5):
    for images, labels in train_loader:
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]

SCRIPTS["tencrop-eval-5d-into-resnet"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# test-time augmentation: average the predictions over ten crops
tta = transforms.Compose([
    transforms.Resize(128),
    transforms.TenCrop(112),
    transforms.Lambda(lambda crops: torch.stack([transforms.ToTensor()(c) for c in crops])),
])
test_ds = datasets.ImageFolder("data/dogs/test", tta)
model = torchvision.models.resnet18(num_classes=len(test_ds.classes))
model.eval()
correct = 0
with torch.no_grad():
    for images, labels in DataLoader(test_ds, batch_size=4):
        outputs = model(images)
        correct += (outputs.argmax(1) == labels).sum().item()
print("TTA accuracy", correct / len(test_ds))
'''

SCRIPTS["inception-v3-on-cifar-32px"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset

# CIFAR-10 style arrays (N, 32, 32, 3) saved from a Keras tutorial
x = torch.rand(64, 32, 32, 3).permute(0, 3, 1, 2)
y = torch.randint(0, 10, (64,))
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)

model = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False, num_classes=10)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
model.train()
for epoch in range(2):
    for images, labels in loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ============================================================ datasets and loaders
SCRIPTS["batchsampler-given-as-sampler"] = '''
import glob

import torch
from PIL import Image
from torch.utils.data import BatchSampler, DataLoader, Dataset, RandomSampler
from torchvision import transforms


class Butterflies(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        path = self.files[idx]
        image = self.tf(Image.open(path).convert("RGB"))
        return image, self.classes.index(path.split("/")[-2])


ds = Butterflies("data/butterflies/train")
# sample batches without replacement
sampler = BatchSampler(RandomSampler(ds), batch_size=8, drop_last=False)
loader = DataLoader(ds, sampler=sampler)
for images, labels in loader:
    print(images.shape, labels.shape)
'''

SCRIPTS["subset-bool-mask-indices"] = '''
import numpy as np
import torch
import torchvision
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

full = datasets.ImageFolder("data/xray", transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()]))
rng = np.random.default_rng(42)
is_train = rng.random(len(full)) < 0.8
train_ds = Subset(full, is_train)
val_ds = Subset(full, ~is_train)
print(len(train_ds), "train /", len(val_ds), "val")

model = torchvision.models.resnet18(num_classes=len(full.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
    loss = torch.nn.functional.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["iterable-dataset-shuffle-true"] = '''
import glob
import tarfile

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, IterableDataset
from torchvision import transforms

CLASSES = ["cloudy", "rain", "shine", "sunrise"]


class ShardStream(IterableDataset):
    """reads (image, label) pairs from .tar shards without unpacking them"""

    def __init__(self, pattern):
        self.shards = sorted(glob.glob(pattern))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __iter__(self):
        for shard in self.shards:
            with tarfile.open(shard) as tar:
                for member in tar.getmembers():
                    label = CLASSES.index(member.name.split("_")[0])
                    yield self.tf(Image.open(tar.extractfile(member)).convert("RGB")), label


ds = ShardStream("data/shards/weather-*.tar")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = torchvision.models.mobilenet_v3_small(num_classes=len(CLASSES))
for images, labels in loader:
    print(model(images).shape)
'''


def shards(work: Path):
    import tarfile
    make_images(work, [(f"raw/{c}_{i}.jpg", (80, 60), "RGB") for c in ("cloudy", "rain", "shine", "sunrise")
                       for i in range(2)])
    (work / "data/shards").mkdir(parents=True)
    for k in range(2):
        with tarfile.open(work / f"data/shards/weather-{k:04d}.tar", "w") as tar:
            for p in sorted((work / "raw").iterdir())[k * 4:(k + 1) * 4]:
                tar.add(p, arcname=p.name)


SCRIPTS["windows-path-split-class-lookup-workers"] = '''
import glob
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

ROOT = os.path.join("data", "fruits360", "Training")
CLASSES = sorted(os.listdir(ROOT))
CLASS_TO_IDX = {c: i for i, c in enumerate(CLASSES)}


class Fruits(Dataset):
    def __init__(self, root, tf):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.tf = tf

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        path = self.paths[i]
        label = CLASS_TO_IDX[path.split("\\\\")[-2]]      # written on the Windows laptop
        return self.tf(Image.open(path).convert("RGB")), label


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    loader = DataLoader(Fruits(ROOT, tf), batch_size=8, shuffle=True, num_workers=2)
    for epoch in range(2):
        for images, labels in loader:
            print(epoch, images.shape, labels[:4].tolist())


if __name__ == "__main__":
    main()
'''

SCRIPTS["supcon-two-views-into-linear-probe"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class TwoCropTransform:
    """two augmented views of the same image (from the SupCon repo)"""

    def __init__(self, transform):
        self.transform = transform

    def __call__(self, x):
        return [self.transform(x), self.transform(x)]


aug = transforms.Compose([transforms.RandomResizedCrop(64, scale=(0.5, 1.0)), transforms.RandomHorizontalFlip(),
                          transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/leaves/train", TwoCropTransform(aug))
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

# stage 2: linear probe on top of the (frozen) encoder
encoder = torchvision.models.resnet18(num_classes=128)
encoder.fc = nn.Identity()
for p in encoder.parameters():
    p.requires_grad = False
probe = nn.Linear(512, len(train_ds.classes))
optimizer = torch.optim.SGD(probe.parameters(), lr=0.1)
for images, labels in loader:
    with torch.no_grad():
        feats = encoder(images)
    loss = nn.functional.cross_entropy(probe(feats), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["cutmix-inside-getitem-workers"] = '''
import glob

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import v2

CLASSES = ["bacterial_spot", "early_blight", "healthy", "late_blight"]


class TomatoLeaves(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.tf = v2.Compose([v2.ToImage(), v2.Resize((64, 64), antialias=True), v2.ToDtype(torch.float32, scale=True)])
        self.mix = v2.CutMix(num_classes=len(CLASSES))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        image = self.tf(Image.open(self.files[i]).convert("RGB"))
        label = torch.tensor(CLASSES.index(self.files[i].split("/")[-2]))
        image, label = self.mix(image, label)        # CutMix regularisation
        return image, label


def main():
    loader = DataLoader(TomatoLeaves("data/plantvillage/train"), batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for images, soft_labels in loader:
        loss = torch.nn.functional.cross_entropy(model(images), soft_labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
'''

SCRIPTS["val-loader-drop-last-zero-batches-tqdm"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/coins/train", tf)
val_ds = datasets.ImageFolder("data/coins/val", tf)
BATCH = 16
# drop_last avoids a BatchNorm error on a last batch of one image
train_loader = DataLoader(train_ds, batch_size=BATCH, shuffle=True, drop_last=True)
val_loader = DataLoader(val_ds, batch_size=BATCH, shuffle=False, drop_last=True)

model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(1, 3):
    model.train()
    for images, labels in tqdm(train_loader, desc=f"epoch {epoch} train", ncols=90):
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for images, labels in tqdm(val_loader, desc=f"epoch {epoch} val", ncols=90):
            val_loss += criterion(model(images), labels).item()
    print(f"epoch {epoch}: val loss {val_loss / len(val_loader):.4f}")
'''

# ============================================================ transforms
SCRIPTS["fivecrop-then-totensor"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_tf = transforms.Compose([
    transforms.Resize(96),
    transforms.FiveCrop(64),          # more training crops per image
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("data/textures/train", train_tf)
model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
    print(model(images).shape)
'''

SCRIPTS["resize-on-hwc-tensor-from-numpy"] = '''
import glob

import cv2
import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Vehicles(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.tf = transforms.Compose([
            transforms.Resize((96, 96), antialias=True),
            transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
        ])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.files[i]), cv2.COLOR_BGR2RGB)
        img = torch.from_numpy(img).float() / 255.0
        return self.tf(img), self.classes.index(self.files[i].split("/")[-2])


ds = Vehicles("data/vehicles/train")
model = torchvision.models.resnet18(num_classes=len(ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for images, labels in DataLoader(ds, batch_size=4, shuffle=True):
    loss = torch.nn.functional.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["lambda-convert-rgb-after-totensor-workers"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def to_rgb(img):
    return img.convert("RGB")       # a few scans are grayscale


train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.ToTensor(),
    transforms.Lambda(to_rgb),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


def main():
    train_ds = datasets.ImageFolder("data/skin/train", train_tf)
    loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
    for images, labels in loader:
        print(model(images).shape)


if __name__ == "__main__":
    main()
'''

SCRIPTS["normalize-stats-from-rgba-tiles"] = '''
import glob

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms import v2


def dataset_stats(files):
    """per-channel mean / std of the training tiles"""
    stack = torch.stack([read_image(f).float() / 255 for f in files])
    return stack.mean(dim=(0, 2, 3)).tolist(), stack.std(dim=(0, 2, 3)).tolist()


class Tiles(Dataset):
    def __init__(self, files, mean, std):
        self.files = files
        self.classes = sorted({f.split("/")[-2] for f in files})
        self.tf = v2.Compose([v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean, std)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(read_image(self.files[i])), self.classes.index(self.files[i].split("/")[-2])


files = sorted(glob.glob("data/eurosat_tiles/train/*/*.png"))
mean, std = dataset_stats(files)
print("mean", [round(m, 3) for m in mean], "std", [round(s, 3) for s in std])
ds = Tiles(files, mean, std)
model = torchvision.models.resnet18(num_classes=len(ds.classes))
for images, labels in DataLoader(ds, batch_size=4, shuffle=True):
    print(model(images).shape)
'''

SCRIPTS["randomrotation-expand-varying-sizes"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.RandomRotation(degrees=45, expand=True),    # keep the corners of the part
    transforms.ToTensor(),
])
train_ds = datasets.ImageFolder("data/castings/train", train_tf)
model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
torch.manual_seed(3)
for epoch in range(2):
    for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ============================================================ class counts, checkpoints
SCRIPTS["resnet-num-classes-given-class-list"] = '''
import torch
import torchvision
from torchvision import datasets, transforms

train_ds = datasets.ImageFolder("data/garbage/train", transforms.ToTensor())
num_classes = train_ds.classes
print("classes:", num_classes)
model = torchvision.models.resnet34(weights=None, num_classes=num_classes)
'''

SCRIPTS["checkpoint-head-sequential-dropout-keys"] = '''
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

CLASSES = ["glioma", "meningioma", "no_tumor", "pituitary"]
model = torchvision.models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
model.load_state_dict(torch.load("checkpoints/brain_mri_resnet18_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
x = tf(Image.open("samples/scan_017.jpg").convert("RGB")).unsqueeze(0)
print(CLASSES[model(x).argmax(1).item()])
'''

SAVE_DROPOUT_HEAD = '''
import os, torch, torch.nn as nn, torchvision
# the training notebook used a dropout head
m = torchvision.models.resnet18(weights=None)
m.fc = nn.Sequential(nn.Dropout(0.3), nn.Linear(512, 4))
os.makedirs("checkpoints", exist_ok=True)
torch.save(m.state_dict(), "checkpoints/brain_mri_resnet18_best.pth")
'''

SCRIPTS["frcnn-checkpoint-background-class-forgotten"] = '''
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["pothole", "crack", "manhole"]

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("runs/road_damage/model_final.pth", map_location="cpu"))
model.eval()
image = TF.to_tensor(Image.open("samples/street_042.jpg").convert("RGB"))
with torch.no_grad():
    out = model([image])[0]
for box, label, score in zip(out["boxes"], out["labels"], out["scores"]):
    if score > 0.5:
        print(CLASSES[label - 1], box.tolist(), float(score))
'''

SAVE_FRCNN_4 = '''
import os, torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
os.makedirs("runs/road_damage", exist_ok=True)
# trained with background + 3 classes
m = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
torch.save(m.state_dict(), "runs/road_damage/model_final.pth")
'''

SCRIPTS["kaggle-archive-zip-renamed-to-pth"] = '''
import torch
import torchvision

# weights from the Kaggle notebook's output tab ("Download" gives archive.zip; renamed it)
model = torchvision.models.efficientnet_b0(num_classes=5)
state = torch.load("weights/efficientnet_b0_cassava.pth", map_location="cpu")
model.load_state_dict(state)
model.eval()
print("loaded")
'''

ZIP_AS_PTH = '''
import io, os, zipfile, torch, torchvision
buf = io.BytesIO()
torch.save(torchvision.models.efficientnet_b0(num_classes=5).state_dict(), buf)
os.makedirs("weights", exist_ok=True)
with zipfile.ZipFile("weights/efficientnet_b0_cassava.pth", "w") as z:
    z.writestr("kaggle/working/efficientnet_b0_cassava.pth", buf.getvalue())
    z.writestr("kaggle/working/submission.csv", "image_id,label\\n1000015157.jpg,0\\n")
'''

SCRIPTS["mobilenet-v2-classifier-index-6"] = '''
import torch
import torch.nn as nn
import torchvision
from torchvision import datasets, transforms

train_ds = datasets.ImageFolder("data/flowers/train", transforms.Compose([transforms.Resize((96, 96)),
                                                                          transforms.ToTensor()]))
model = torchvision.models.mobilenet_v2(weights=None)
for p in model.features.parameters():
    p.requires_grad = False
# replace the last layer of the classifier (as in the VGG16 tutorial)
num_features = model.classifier[6].in_features
model.classifier[6] = nn.Linear(num_features, len(train_ds.classes))
'''

# ============================================================ torchvision detection
DET_COMMON = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF
'''

SCRIPTS["frcnn-boxes-nested-per-object-json"] = DET_COMMON + '''

class Ships(torch.utils.data.Dataset):
    def __init__(self, ann_file):
        self.items = json.load(open(ann_file))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        image = TF.to_tensor(Image.open(item["image"]).convert("RGB"))
        boxes = torch.tensor([obj["bbox"] for obj in item["objects"]], dtype=torch.float32)
        labels = torch.tensor([obj["category"] for obj in item["objects"]], dtype=torch.int64)
        return image, {"boxes": boxes, "labels": labels}


ds = Ships("data/ships/annotations.json")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for images, targets in loader:
    losses = model(list(images), list(targets))
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(loss.item())
'''


def ships(work: Path):
    import json
    make_images(work, [(f"data/ships/images/sar_{i:03d}.jpg", (160, 120), "RGB") for i in range(4)])
    items = []
    for i in range(4):
        # exported from a polygon tool: each object keeps a list of boxes (one per part)
        items.append({"image": f"data/ships/images/sar_{i:03d}.jpg",
                      "objects": [{"category": 1, "bbox": [[12 + i, 20, 80, 70]]},
                                  {"category": 2, "bbox": [[90, 30 + i, 150, 100]]}]})
    (work / "data/ships/annotations.json").write_text(json.dumps(items, indent=1))


SCRIPTS["frcnn-targets-filtered-images-kept"] = DET_COMMON + '''
import glob
import os


def load_batch(paths):
    images, targets = [], []
    for p in paths:
        images.append(TF.to_tensor(Image.open(p).convert("RGB")))
        ann = json.load(open(p.replace("images", "labels").replace(".jpg", ".json")))
        if not ann["boxes"]:
            continue                      # background image: nothing to learn from
        targets.append({"boxes": torch.tensor(ann["boxes"], dtype=torch.float32),
                        "labels": torch.tensor(ann["labels"], dtype=torch.int64)})
    return images, targets


paths = sorted(glob.glob("data/wind_turbines/images/*.jpg"))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for start in range(0, len(paths), 4):
    images, targets = load_batch(paths[start:start + 4])
    losses = model(images, targets)
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(start, round(loss.item(), 3))
'''


def turbines(work: Path):
    import json
    make_images(work, [(f"data/wind_turbines/images/blade_{i:03d}.jpg", (160, 120), "RGB") for i in range(8)])
    lab = work / "data/wind_turbines/labels"
    lab.mkdir(parents=True)
    for i in range(8):
        empty = i == 5
        ann = {"boxes": [] if empty else [[20 + i, 15, 90, 100]], "labels": [] if empty else [1]}
        (lab / f"blade_{i:03d}.json").write_text(json.dumps(ann))


SCRIPTS["frcnn-boxes-numpy-from-loadtxt"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


class Apples(torch.utils.data.Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        rows = np.loadtxt(self.images[i].replace("images", "boxes").replace(".png", ".csv"), delimiter=",", ndmin=2)
        target = {"boxes": rows[:, 1:5].astype(np.float32), "labels": torch.as_tensor(rows[:, 0], dtype=torch.int64)}
        return image, target


loader = torch.utils.data.DataLoader(Apples("data/minneapple"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for images, targets in loader:
    loss = sum(model(list(images), list(targets)).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def apples(work: Path):
    make_images(work, [(f"data/minneapple/images/orchard_{i:02d}.png", (160, 120), "RGB") for i in range(4)])
    (work / "data/minneapple/boxes").mkdir(parents=True)
    for i in range(4):
        (work / f"data/minneapple/boxes/orchard_{i:02d}.csv").write_text(
            f"1,{10 + i},12,40,45\n1,60,{30 + i},95,70\n")


SCRIPTS["nms-scores-float64-from-numpy"] = '''
import numpy as np
import torch
import torchvision


CLASS_CALIBRATION = np.array([1.0, 1.35, 0.9])      # boost the rare "forklift" class


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def postprocess(pred, conf_thres=0.25, iou_thres=0.45):
    """pred: [N, 5 + nc] raw head output for one image (cx, cy, w, h, obj, classes...)"""
    pred = pred.detach()
    boxes = torchvision.ops.box_convert(pred[:, :4], "cxcywh", "xyxy")
    obj = sigmoid(pred[:, 4].numpy())                       # numpy is easier to debug
    cls_prob = sigmoid(pred[:, 5:].numpy()) * CLASS_CALIBRATION
    scores = torch.from_numpy(obj * cls_prob.max(1))
    keep = scores > conf_thres
    boxes, scores = boxes[keep], scores[keep]
    keep = torchvision.ops.nms(boxes, scores, iou_thres)
    return boxes[keep], scores[keep]


torch.manual_seed(0)
head = torch.nn.Linear(16, 5 + 3)
features = torch.randn(200, 16)
pred = head(features)
pred[:, :4] = torch.rand(200, 4) * 300 + 20
boxes, scores = postprocess(pred)
print(len(boxes), "detections")
'''

SCRIPTS["box-iou-single-gt-box-1d-eval"] = '''
import json

import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.ops import box_iou

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2,
                                              box_score_thresh=0.0)
model.eval()
gt = json.load(open("data/val_boxes.json"))       # one licence plate per image
hits = 0
with torch.no_grad():
    for name, box in gt.items():
        image = torch.rand(3, 240, 320)
        pred = model([image])[0]
        gt_box = torch.tensor(box, dtype=torch.float32)
        ious = box_iou(pred["boxes"], gt_box)
        hits += int(ious.max() >= 0.5)
print("recall@0.5", hits / len(gt))
'''

# ============================================================ ImageAI 3
SAVE_TINY = '''
import json
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=2).state_dict(), "hardhat_tiny-yolov3_mAP-0.38_epoch-40.pt")
with open("hardhat_tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["helmet", "head"], "anchors": anchors6}, f)
'''

SCRIPTS["imageai-custom-detect-webp-image"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat_tiny-yolov3_mAP-0.38_epoch-40.pt")
detector.setJsonPath("hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site_photos/crane_0412.webp",
                                             output_image_path="crane_0412_detected.jpg",
                                             minimum_percentage_probability=40)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

SCRIPTS["imageai-custom-detect-customobjects-method"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat_tiny-yolov3_mAP-0.38_epoch-40.pt")
detector.setJsonPath("hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()
# only report people without a helmet
only_heads = detector.CustomObjects(head=True)
detections = detector.detectObjectsFromImage(input_image="site_photos/gate_cam.jpg", output_image_path="gate_out.jpg",
                                             custom_objects=only_heads, minimum_percentage_probability=40)
print(len(detections), "heads without helmet")
'''

SCRIPTS["imageai-video-detect-without-loadmodel"] = '''
from imageai.Detection.Custom import CustomVideoObjectDetection


def per_frame(frame_number, objects, counts):
    print("frame", frame_number, counts)


video_detector = CustomVideoObjectDetection()
video_detector.setModelTypeAsTinyYOLOv3()
video_detector.setModelPath("hardhat_tiny-yolov3_mAP-0.38_epoch-40.pt")
video_detector.setJsonPath("hardhat_tiny-yolov3_detection_config.json")
video_detector.detectObjectsFromVideo(input_file_path="site_videos/entrance.mp4",
                                      output_file_path="entrance_detected",
                                      frames_per_second=10,
                                      per_frame_function=per_frame,
                                      minimum_percentage_probability=40,
                                      log_progress=True)
'''

MAKE_VIDEO = '''
import os
import cv2
import numpy as np
os.makedirs("site_videos", exist_ok=True)
rng = np.random.default_rng(0)
w = cv2.VideoWriter("site_videos/entrance.mp4", cv2.VideoWriter_fourcc(*"mp4v"), 10, (160, 120))
for i in range(6):
    w.write(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
w.release()
'''

SCRIPTS["imageai-cls-v2-setdatadirectory-subdirectory-kwargs"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

model_trainer = ClassificationModelTrainer()
model_trainer.setModelTypeAsResNet50()
model_trainer.setDataDirectory(data_directory="idenprof", train_subdirectory="train", test_subdirectory="test",
                               models_subdirectory="models", json_subdirectory="json")
model_trainer.trainModel(num_experiments=100, batch_size=32)
'''

SCRIPTS["imageai-objectdetection-v2-loadmodel-detection-speed"] = '''
from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel(detection_speed="fast")
detections = detector.detectObjectsFromImage(input_image="street.jpg", output_image_path="street_new.jpg",
                                             minimum_percentage_probability=30)
for eachObject in detections:
    print(eachObject["name"], " : ", eachObject["percentage_probability"])
'''

SAVE_COCO_TINY = '''
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
# stand-in for the released tiny-yolov3.pt (same layout, random values)
torch.save(YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=80).state_dict(),
           "tiny-yolov3.pt")
'''

SCRIPTS["imageai-cls-transfer-from-weights-url"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("birds")
trainer.trainModel(num_experiments=20, batch_size=4,
                   transfer_from_model="https://download.pytorch.org/models/resnet50-0676ba61.pth")
'''


def cls_folder(root, classes, per=3, size=(64, 64)):
    specs = []
    for split in ("train", "test"):
        specs += class_folder(f"{root}/{split}", classes, per, size=size)
    return imgs(specs)


# ============================================================ optimizers and schedulers
SCRIPTS["steplr-given-model"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.optim import lr_scheduler

model = torchvision.models.resnet18(num_classes=6)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
# Decay LR by a factor of 0.1 every 7 epochs
exp_lr_scheduler = lr_scheduler.StepLR(model, step_size=7, gamma=0.1)
'''

SCRIPTS["optimizer-step-given-loss"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_ds = datasets.ImageFolder("data/signs/train", transforms.Compose([transforms.Resize((32, 32)),
                                                                        transforms.ToTensor()]))
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                      nn.Linear(16 * 16 * 16, len(train_ds.classes)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step(loss)
    print(epoch, loss.item())
'''

SCRIPTS["onecycle-without-total-steps"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

EPOCHS = 10
train_ds = datasets.ImageFolder("data/rice/train", transforms.Compose([transforms.Resize((64, 64)),
                                                                       transforms.ToTensor()]))
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-2)
for epoch in range(EPOCHS):
    for images, labels in train_loader:
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
'''

SCRIPTS["gan-adam-list-of-parameter-generators"] = '''
import torch
import torch.nn as nn

latent = 64
G = nn.Sequential(nn.ConvTranspose2d(latent, 64, 4, 1, 0), nn.BatchNorm2d(64), nn.ReLU(True),
                  nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(True),
                  nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
E = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, latent, 8))
D = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(32, 1, 8), nn.Flatten())

# BiGAN: generator and encoder share one optimizer
opt_ge = torch.optim.Adam([G.parameters(), E.parameters()], lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
'''

SCRIPTS["cosine-warm-restarts-t0-from-division"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

EPOCHS = 8
N_CYCLES = 10
train_ds = datasets.ImageFolder("data/cells/train", transforms.Compose([transforms.Resize((64, 64)),
                                                                        transforms.ToTensor()]))
model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=EPOCHS // N_CYCLES, eta_min=1e-5)
for epoch in range(EPOCHS):
    for images, labels in DataLoader(train_ds, batch_size=8, shuffle=True):
        loss = torch.nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
'''

# ============================================================ dtypes, autograd, divergence
SCRIPTS["image-metadata-concat-float64"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Lesions(Dataset):
    """dermoscopy image + patient metadata (age, sex, site)"""

    def __init__(self, csv_file):
        self.rows = list(csv.DictReader(open(csv_file)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.tf(Image.open(f"data/isic/images/{r['image_name']}.jpg").convert("RGB"))
        meta = np.array([float(r["age_approx"]) / 90, r["sex"] == "male", float(r["site_id"]) / 6])
        return image, torch.from_numpy(meta), int(r["target"])


class ImageMetaNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = torchvision.models.resnet18(num_classes=64)
        self.meta = nn.Sequential(nn.Linear(3, 16), nn.ReLU())
        self.head = nn.Linear(64 + 16, 2)

    def forward(self, image, meta):
        return self.head(torch.cat([self.cnn(image), self.meta(meta)], dim=1))


model = ImageMetaNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for image, meta, y in DataLoader(Lesions("data/isic/train.csv"), batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(image, meta), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def opaque_tiles(work: Path):
    """RGBA tiles as exported by the GIS tool: the alpha band is always 255"""
    from PIL import Image
    make_images(work, class_folder("data/eurosat_tiles/train", ("forest", "highway", "river"), 2, size=(64, 64),
                                   mode="RGBA", ext="png"))
    for p in sorted((work / "data/eurosat_tiles/train").rglob("*.png")):
        im = Image.open(p)
        im.putalpha(255)
        im.save(p)


def isic(work: Path):
    make_images(work, [(f"data/isic/images/ISIC_{i:07d}.jpg", (80, 80), "RGB") for i in range(8)])
    rows = "".join(f"ISIC_{i:07d},{30 + 5 * i},{'male' if i % 2 else 'female'},{i % 6},{int(i % 3 == 0)}\n"
                   for i in range(8))
    (work / "data/isic/train.csv").write_text("image_name,age_approx,sex,site_id,target\n" + rows)


SCRIPTS["bce-bool-multilabel-targets"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

TAGS = ["clear", "cloudy", "agriculture", "road", "water", "habitation"]


class Planet(Dataset):
    def __init__(self, csv_file):
        self.rows = list(csv.DictReader(open(csv_file)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        image = self.tf(Image.open(f"data/planet/train-jpg/{r['image_name']}.jpg").convert("RGB"))
        tags = r["tags"].split()
        target = np.array([t in tags for t in TAGS])
        return image, torch.from_numpy(target)


model = torchvision.models.resnet18(num_classes=len(TAGS))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for images, targets in DataLoader(Planet("data/planet/train_v2.csv"), batch_size=4, shuffle=True):
    loss = criterion(model(images), targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def planet(work: Path):
    make_images(work, [(f"data/planet/train-jpg/train_{i}.jpg", (64, 64), "RGB") for i in range(8)])
    tags = ["clear agriculture road", "cloudy", "clear water", "clear habitation road", "clear agriculture",
            "cloudy water", "clear road", "clear agriculture water habitation"]
    (work / "data/planet/train_v2.csv").write_text(
        "image_name,tags\n" + "".join(f"train_{i},{t}\n" for i, t in enumerate(tags)))


SCRIPTS["fgsm-uint8-images-requires-grad"] = '''
import glob

import torch
import torch.nn.functional as F
import torchvision
from torchvision.io import read_image
from torchvision.transforms.functional import resize

# robustness check of the trained traffic-sign classifier with FGSM
model = torchvision.models.resnet18(num_classes=4)
model.eval()
files = sorted(glob.glob("data/gtsrb_test/*.png"))
images = torch.stack([resize(read_image(f), [64, 64], antialias=True) for f in files])
labels = torch.tensor([0, 1, 2, 3])[: len(files)]

eps = 8
images.requires_grad_(True)
loss = F.cross_entropy(model(images.float() / 255), labels)
loss.backward()
adv = (images + eps * images.grad.sign()).clamp(0, 255)
print("adversarial accuracy", (model(adv.float() / 255).argmax(1) == labels).float().mean().item())
'''

CELLS["saliency-grad-input-not-requiring-grad-notebook"] = [
    '''
import torch
import torchvision
from PIL import Image
from torchvision import transforms

model = torchvision.models.resnet18(num_classes=3)
model.eval()
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
x = tf(Image.open("samples/pneumonia_012.jpeg").convert("RGB")).unsqueeze(0)
''',
    '''
# vanilla gradient saliency map
logits = model(x)
target = logits.argmax(1).item()
grad, = torch.autograd.grad(logits[0, target], x)
saliency = grad.abs().max(dim=1)[0]
print(saliency.shape)
''',
]

SCRIPTS["confidence-histogram-after-nan-loss"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
# 0-255 pixels, never scaled
x = torch.randint(0, 256, (256, 3, 32, 32)).float()
y = torch.randint(0, 10, (256,))
# MLP baseline
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.Linear(256, 128), nn.Linear(128, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(4):
    for xb, yb in DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True):
        loss = nn.functional.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")

# calibration: histogram of the top-1 confidence on the training set
with torch.no_grad():
    conf = model(x).softmax(1).max(1).values.numpy()
counts, edges = np.histogram(conf, bins=10)
for c, lo in zip(counts, edges):
    print(f"{lo:.1f}: {'#' * int(c)}")
'''

SCRIPTS["accuracy-item-on-correct-mask"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

val_ds = datasets.ImageFolder("data/mushrooms/val", transforms.Compose([transforms.Resize((64, 64)),
                                                                        transforms.ToTensor()]))
model = torchvision.models.resnet18(num_classes=len(val_ds.classes))
model.eval()
correct = total = 0
with torch.no_grad():
    for images, labels in DataLoader(val_ds, batch_size=4):
        preds = model(images).argmax(dim=1)
        correct += (preds == labels).item()
        total += labels.size(0)
print(f"val accuracy {correct / total:.3f}")
'''

SCRIPTS["cifar10-root-inside-extracted-folder"] = '''
import torch
import torchvision
from torchvision import transforms

# downloaded cifar-10-python.tar.gz by hand and extracted it into data/
train_set = torchvision.datasets.CIFAR10(root="data/cifar-10-batches-py", train=True, download=False,
                                         transform=transforms.ToTensor())
train_loader = torch.utils.data.DataLoader(train_set, batch_size=64, shuffle=True)
print(len(train_set))
'''


def cifar(work: Path):
    import pickle
    d = work / "data/cifar-10-batches-py"
    d.mkdir(parents=True)
    for name in ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"]:
        (d / name).write_bytes(pickle.dumps({"data": b"", "labels": []}))
    (d / "batches.meta").write_bytes(pickle.dumps({"label_names": ["airplane", "automobile"]}))
    (d / "readme.html").write_text("<html></html>\n")


# ======================================================================= cases
def cases():
    out, add, script, notebook = case_builders("torch-more15-", SCRIPTS, CELLS)

    def iai(key, cause, argv="detect.py", forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add(key, cause, {argv: SCRIPTS[key]}, forms=forms, argv=[argv], **kw)

    # heads, losses, input shapes ---------------------------------------------------------------
    script("vit-scratch-cls-slice-keeps-token-dim", "model.output_mismatch", also=["data.label_shape"],
           setup=imgs(class_folder("data/insects/train", ("ant", "bee", "beetle", "moth", "wasp"), 2, size=(80, 64))))
    notebook("cnn-forward-view-minus-one-ce-notebook", "model.output_mismatch", also=["data.label_shape"],
             setup=imgs(class_folder("data/fer/train", ("angry", "happy", "neutral", "sad"), 3, size=(48, 48), mode="L",
                                     ext="png")))
    script("tencrop-eval-5d-into-resnet", "model.input_shape", also=["model.api_misuse"],
           setup=imgs(class_folder("data/dogs/test", ("beagle", "husky", "pug"), 2, size=(150, 130))))
    script("inception-v3-on-cifar-32px", "model.input_shape", timeout=300)

    # datasets and loaders ---------------------------------------------------------------------
    script("batchsampler-given-as-sampler", "model.api_misuse",
           setup=imgs(class_folder("data/butterflies/train", ("monarch", "swallowtail", "admiral"), 3, size=(90, 70))))
    script("subset-bool-mask-indices", "model.api_misuse",
           setup=imgs(class_folder("data/xray", ("normal", "pneumonia"), 5, size=(72, 72), mode="L")))
    script("iterable-dataset-shuffle-true", "model.api_misuse", setup=shards)
    script("windows-path-split-class-lookup-workers", "other", forms=["dataloader_worker"],
           setup=imgs(class_folder("data/fruits360/Training", ("Apple Braeburn", "Banana", "Kiwi"), 3,
                                   size=(100, 100))))
    script("supcon-two-views-into-linear-probe", "model.api_misuse", also=["model.input_shape"],
           forms=["cpython_basic", "multiline_message"],
           setup=imgs(class_folder("data/leaves/train", ("maple", "oak", "birch"), 3, size=(90, 90))))
    script("cutmix-inside-getitem-workers", "model.api_misuse", forms=["dataloader_worker"],
           setup=imgs(class_folder("data/plantvillage/train",
                                   ("bacterial_spot", "early_blight", "healthy", "late_blight"), 3, size=(80, 80))))
    script("val-loader-drop-last-zero-batches-tqdm", "model.api_misuse", also=["data.missing_or_corrupt"],
           forms=["cpython_basic", "progress_bars"],
           setup=imgs(class_folder("data/coins/train", ("1c", "5c", "10c", "25c"), 5, size=(64, 64))
                      + class_folder("data/coins/val", ("1c", "5c", "10c", "25c"), 2, size=(64, 64))))

    # transforms -------------------------------------------------------------------------------
    script("fivecrop-then-totensor", "model.api_misuse",
           setup=imgs(class_folder("data/textures/train", ("bumpy", "striped", "woven"), 2, size=(120, 100))))
    script("resize-on-hwc-tensor-from-numpy", "data.image_channels", also=["model.input_shape"],
           setup=imgs(class_folder("data/vehicles/train", ("bus", "car", "truck"), 2, size=(160, 120))))
    script("lambda-convert-rgb-after-totensor-workers", "model.api_misuse", also=["data.image_channels"],
           forms=["dataloader_worker"],
           setup=imgs(class_folder("data/skin/train", ("benign", "malignant"), 4, size=(80, 80))))
    script("normalize-stats-from-rgba-tiles", "data.image_channels", setup=opaque_tiles)
    script("randomrotation-expand-varying-sizes", "data.image_size_mismatch", also=["model.api_misuse"],
           setup=imgs(class_folder("data/castings/train", ("ok", "defect"), 4, size=(70, 70))))

    # class counts, checkpoints ----------------------------------------------------------------
    script("resnet-num-classes-given-class-list", "model.api_misuse", also=["model.output_mismatch"],
           forms=["cpython_basic", "multiline_message?"],
           setup=imgs(class_folder("data/garbage/train", ("cardboard", "glass", "metal", "paper", "plastic"), 1)))
    script("checkpoint-head-sequential-dropout-keys", "model.weights_mismatch",
           forms=["cpython_basic", "multiline_message?"],
           setup=both(prep(SAVE_DROPOUT_HEAD), imgs([("samples/scan_017.jpg", (140, 140), "RGB")])))
    script("frcnn-checkpoint-background-class-forgotten", "model.weights_mismatch", also=["model.output_mismatch"],
           forms=["cpython_basic", "multiline_message?"], timeout=300,
           setup=both(prep(SAVE_FRCNN_4), imgs([("samples/street_042.jpg", (320, 240), "RGB")])))
    script("kaggle-archive-zip-renamed-to-pth", "model.weights_mismatch", also=["data.missing_or_corrupt"],
           setup=prep(ZIP_AS_PTH))
    script("mobilenet-v2-classifier-index-6", "model.api_misuse",
           setup=imgs(class_folder("data/flowers/train", ("daisy", "rose", "tulip"), 1)))

    # torchvision detection -----------------------------------------------------------------------
    script("frcnn-boxes-nested-per-object-json", "data.bbox_invalid", setup=ships, timeout=300)
    script("frcnn-targets-filtered-images-kept", "data.label_shape", also=["model.api_misuse"],
           setup=turbines, timeout=300)
    script("frcnn-boxes-numpy-from-loadtxt", "model.api_misuse", also=["data.dtype"], setup=apples, timeout=300)
    script("nms-scores-float64-from-numpy", "data.dtype")
    script("box-iou-single-gt-box-1d-eval", "data.bbox_invalid", also=["data.label_shape"], timeout=300,
           extra={"data/val_boxes.json": '{"plate_0001.jpg": [112, 140, 208, 172], '
                                         '"plate_0002.jpg": [80, 150, 190, 181]}'})

    # ImageAI 3 ---------------------------------------------------------------------------------
    iai("imageai-custom-detect-webp-image", "data.missing_or_corrupt", also=["model.api_misuse"],
        setup=both(prep(SAVE_TINY), imgs([("site_photos/crane_0412.webp", (200, 150), "RGB")])))
    iai("imageai-custom-detect-customobjects-method", "model.api_misuse", also=["env.version_incompat"],
        setup=both(prep(SAVE_TINY), imgs([("site_photos/gate_cam.jpg", (200, 150), "RGB")])))
    iai("imageai-video-detect-without-loadmodel", "model.api_misuse", forms=["cpython_basic", "chained_during"],
        setup=both(prep(SAVE_TINY), prep(MAKE_VIDEO)))
    iai("imageai-cls-v2-setdatadirectory-subdirectory-kwargs", "env.version_incompat", argv="train.py",
        also=["model.api_misuse"], setup=cls_folder("idenprof", ("chef", "doctor", "pilot")))
    iai("imageai-objectdetection-v2-loadmodel-detection-speed", "env.version_incompat", also=["model.api_misuse"],
        setup=both(prep(SAVE_COCO_TINY), imgs([("street.jpg", (200, 150), "RGB")])))
    iai("imageai-cls-transfer-from-weights-url", "model.api_misuse", argv="train.py",
        also=["model.weights_mismatch"], setup=cls_folder("birds", ("sparrow", "robin")))

    # optimizers and schedulers ----------------------------------------------------------------
    script("steplr-given-model", "model.api_misuse")
    script("optimizer-step-given-loss", "model.api_misuse",
           setup=imgs(class_folder("data/signs/train", ("stop", "yield"), 3, size=(40, 40))))
    script("onecycle-without-total-steps", "model.api_misuse",
           setup=imgs(class_folder("data/rice/train", ("arborio", "basmati", "jasmine"), 2)))
    script("gan-adam-list-of-parameter-generators", "model.api_misuse")
    script("cosine-warm-restarts-t0-from-division", "model.api_misuse",
           setup=imgs(class_folder("data/cells/train", ("infected", "uninfected"), 2)))

    # dtypes, autograd, divergence ----------------------------------------------------------------
    script("image-metadata-concat-float64", "data.dtype", setup=isic)
    script("bce-bool-multilabel-targets", "data.dtype", setup=planet)
    script("fgsm-uint8-images-requires-grad", "data.dtype", also=["optim.autograd_graph"],
           setup=imgs([(f"data/gtsrb_test/{i:05d}.png", (48, 48), "RGB") for i in range(4)]))
    notebook("saliency-grad-input-not-requiring-grad-notebook", "optim.autograd_graph",
             setup=imgs([("samples/pneumonia_012.jpeg", (150, 150), "L")]))
    script("confidence-histogram-after-nan-loss", "optim.divergence", timeout=300)
    script("accuracy-item-on-correct-mask", "model.api_misuse",
           setup=imgs(class_folder("data/mushrooms/val", ("amanita", "boletus", "chanterelle"), 3)))
    script("cifar10-root-inside-extracted-folder", "data.missing_or_corrupt", setup=cifar)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
