"""A fourth held-out set of PyTorch / torchvision / ImageAI 3 training failures,
none of them a repeat of the scenarios in the other generators, centred on what
beginners hit when training classifiers and detectors: custom Dataset classes
returning PIL images, swapped (label, image) pairs or detection-style tuples to a
classifier; random_split lengths and Subset attributes; np.stack collates of
unresized frames; truncated VOC XML and Git LFS pointer annotation files;
16-bit PNGs; transforms used as classes, v2 Normalize on uint8, Lambda repeats on
RGB; torchvision detection targets (a dict instead of a list, squeezed single
boxes, 2-D labels, Python-list labels, batched images in the list, RGBA PNGs,
labels past num_classes in RetinaNet, scores [N, 1] into NMS, validation loss in
eval mode); ReduceLROnPlateau without a metric, training under no_grad,
Grad-CAM hooks, weight histograms after divergence; evaluation code (torch.max
without dim, confusion matrix with the ImageNet head left on); saving and
loading (path to load_state_dict, torch.load of a state dict, whole-model
pickles under weights_only, torch._six in copied reference utils, LeNet on
28 px); ImageAI 3 classification / detection inference and training slips
(no model type, float arrays, pathlib paths, output_type="array", extraction
folders, a folder as JSON path, ImageAI 2 anchors, palette images to RetinaNet,
a class count instead of names).

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more4.py [-k filter] [--out DIR]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, nb, class_folder, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more4.py"


SCRIPTS = {}

# ====================================================================== custom datasets / loaders
SCRIPTS["dataset-returns-pil-no-totensor-workers"] = '''
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class FlowerDataset(Dataset):
    def __init__(self, root, transform=None):
        self.classes = sorted(os.listdir(root))
        self.samples = [(os.path.join(root, c, f), i) for i, c in enumerate(self.classes)
                        for f in sorted(os.listdir(os.path.join(root, c)))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        image = Image.open(path).convert("RGB")
        if self.transform:
            image = self.transform(image)
        return image, label


train_tf = transforms.Compose([
    transforms.RandomResizedCrop(64),
    transforms.RandomHorizontalFlip(),
    transforms.ColorJitter(0.2, 0.2, 0.2),
])


def main():
    ds = FlowerDataset("data/flowers/train", train_tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(ds.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(5):
        for images, labels in loader:
            loss = criterion(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["random-split-rounded-lengths"] = '''
import torch
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
dataset = datasets.ImageFolder("data/leaves", transform=tf)
print(f"{len(dataset)} images, classes: {dataset.classes}")

train_size = int(0.8 * len(dataset))
val_size = int(0.2 * len(dataset))
train_ds, val_ds = random_split(dataset, [train_size, val_size], generator=torch.Generator().manual_seed(42))
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=16)
'''

SCRIPTS["subset-has-no-classes"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
full = datasets.ImageFolder("data/garbage", transform=tf)
train_ds, val_ds = random_split(full, [0.8, 0.2])

model = torchvision.models.mobilenet_v3_small(weights=None)
model.classifier[3] = nn.Linear(model.classifier[3].in_features, len(train_ds.classes))
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
'''

SCRIPTS["dataset-returns-label-image-swapped"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class SkinLesions(Dataset):
    """benign (0) vs malignant (1)"""

    def __init__(self, csv_file, img_dir, transform):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir, self.transform = img_dir, transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        image = Image.open(f"{self.img_dir}/{row['image_id']}.jpg").convert("RGB")
        label = torch.tensor(float(row["benign_malignant"] == "malignant"))
        return label, self.transform(image)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(SkinLesions("data/ISIC_2020_Training_GroundTruth.csv", "data/train", tf), batch_size=4, shuffle=True)
model = SmallCNN()
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for images, labels in loader:
    outputs = model(images).squeeze(1)
    loss = criterion(outputs, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["classifier-with-detection-collate"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def collate_fn(batch):
    # copied from the detection tutorial
    return tuple(zip(*batch))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/cells/train", transform=tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True, collate_fn=collate_fn)
model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for images, labels in loader:
        outputs = model(images)
        loss = nn.functional.cross_entropy(outputs, torch.tensor(labels))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["np-stack-collate-unresized-frames-workers"] = '''
import glob

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class Frames(Dataset):
    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        frame = cv2.cvtColor(cv2.imread(self.files[i]), cv2.COLOR_BGR2RGB)
        label = 1 if "defect" in self.files[i] else 0
        return frame, label


def collate(batch):
    frames = np.stack([b[0] for b in batch]).astype(np.float32) / 255.0
    labels = np.array([b[1] for b in batch])
    return torch.from_numpy(frames).permute(0, 3, 1, 2), torch.from_numpy(labels)


def main():
    loader = DataLoader(Frames("data/line_camera/*.jpg"), batch_size=4, shuffle=False, num_workers=2,
                        collate_fn=collate)
    for x, y in loader:
        print(x.shape, y.tolist(), flush=True)


if __name__ == "__main__":
    main()
'''

SCRIPTS["voc-xml-truncated-copy-workers"] = '''
import os
import xml.etree.ElementTree as ET

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "cat", "dog"]


class PetsVOC(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        root = ET.parse(os.path.join(self.root, "Annotations", self.ids[i] + ".xml")).getroot()
        boxes, labels = [], []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        image = Image.open(os.path.join(self.root, "JPEGImages", self.ids[i] + ".jpg")).convert("RGB")
        return TF.to_tensor(image), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


def main():
    loader = DataLoader(PetsVOC("data/pets_voc"), batch_size=2, shuffle=False, num_workers=2,
                        collate_fn=lambda b: tuple(zip(*b)))
    for step, (images, targets) in enumerate(loader):
        print(step, [t["labels"].tolist() for t in targets], flush=True)


if __name__ == "__main__":
    main()
'''


def pets_voc(work: Path):
    specs = []
    for i in range(8):
        stem = f"Abyssinian_{i + 1}"
        specs.append((f"data/pets_voc/JPEGImages/{stem}.jpg", (160, 120), "RGB"))
        xml = (f"<annotation><folder>images</folder><filename>{stem}.jpg</filename>"
               f"<size><width>160</width><height>120</height><depth>3</depth></size>"
               f"<object><name>{'cat' if i % 3 else 'dog'}</name><pose>Frontal</pose><truncated>0</truncated>"
               f"<difficult>0</difficult><bndbox><xmin>{20 + i}</xmin><ymin>15</ymin><xmax>{110 + i}</xmax>"
               f"<ymax>100</ymax></bndbox></object></annotation>\n")
        if i == 5:   # the copy from the external drive was interrupted
            xml = xml[: len(xml) * 2 // 3]
        p = work / "data/pets_voc/Annotations" / f"{stem}.xml"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(xml)
    make_images(work, specs)


SCRIPTS["coco-json-git-lfs-pointer"] = '''
import json
import os

import torch
from PIL import Image
from torch.utils.data import Dataset
from torchvision.transforms import functional as TF


class CocoBoxes(Dataset):
    def __init__(self, img_dir, ann_file):
        with open(ann_file) as f:
            coco = json.load(f)
        self.img_dir = img_dir
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        image = Image.open(os.path.join(self.img_dir, info["file_name"])).convert("RGB")
        boxes = [[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in self.anns.get(info["id"], []))]
        return TF.to_tensor(image), {"boxes": torch.tensor(boxes, dtype=torch.float32)}


# repository cloned from the lab's GitHub (annotations are tracked with Git LFS)
train_ds = CocoBoxes("datasets/drones/train", "datasets/drones/annotations/instances_train.json")
print(len(train_ds))
'''

LFS_POINTER = ("version https://git-lfs.github.com/spec/v1\n"
               "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
               "size 18244713\n")

SCRIPTS["png-16bit-totensor-int16"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class ChestXray(Dataset):
    """grayscale DICOM exports, saved as PNG"""

    def __init__(self, root, transform):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        image = Image.open(self.files[i])
        return self.transform(image), self.classes.index(self.files[i].split("/")[-2])


model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 2),
)
tf = transforms.Compose([transforms.CenterCrop(96), transforms.ToTensor()])
loader = DataLoader(ChestXray("data/xray/train", tf), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for images, labels in loader:
    print(images.shape, images.dtype)
    loss = nn.functional.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def xray16(work: Path):
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    for c in ("NORMAL", "PNEUMONIA"):
        for i in range(4):
            p = work / f"data/xray/train/{c}/{c.lower()}_{i:04d}.png"
            p.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray((rng.random((128, 128)) * 4095).astype(np.uint16)).save(p)


# ====================================================================== transforms
SCRIPTS["compose-totensor-class-not-instance"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor,
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("data/food/train", transform=train_tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for images, labels in loader:
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["v2-normalize-without-todtype"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import v2

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomResizedCrop(64, antialias=True),
    v2.RandomHorizontalFlip(),
    v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("data/birds/train", transform=train_tf)
model = torchvision.models.efficientnet_b0(num_classes=len(train_ds.classes))
for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
    print(model(images).shape)
'''

SCRIPTS["lambda-repeat-gray-on-rgb"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# X-rays are grayscale, the ImageNet backbone wants 3 channels
tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.ToTensor(),
    transforms.Lambda(lambda x: x.repeat(3, 1, 1)),
])
train_ds = datasets.ImageFolder("data/chest_xray/train", transform=tf)
model = torchvision.models.resnet18(num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
    loss = nn.functional.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

# ====================================================================== torchvision detection
FRCNN_HEAD = '''
import numpy as np
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=0.0005)
'''

SCRIPTS["frcnn-target-dict-not-list"] = FRCNN_HEAD + '''
model.train()
# one image at a time while debugging
for i in range(4):
    image = TF.to_tensor(Image.open(f"data/potholes/img_{i}.jpg").convert("RGB"))
    target = {"boxes": torch.tensor([[34., 50., 120., 140.], [150., 90., 230., 170.]]),
              "labels": torch.tensor([1, 2])}
    loss_dict = model([image], target)
    loss = sum(loss_dict.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(i, loss.item())
'''

SCRIPTS["frcnn-single-object-boxes-squeezed"] = FRCNN_HEAD + '''
import glob
import os

from torch.utils.data import DataLoader, Dataset


class Weeds(Dataset):
    """annotations: one 'class,x1,y1,x2,y2' line per object"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        ann = np.loadtxt(self.images[i].replace(".jpg", ".txt"), delimiter=",")
        target = {"boxes": torch.as_tensor(ann[..., 1:5], dtype=torch.float32),
                  "labels": torch.as_tensor(ann[..., 0], dtype=torch.int64)}
        return TF.to_tensor(Image.open(self.images[i]).convert("RGB")), target


loader = DataLoader(Weeds("data/weeds"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model.train()
for step, (images, targets) in enumerate(loader):
    loss = sum(model(list(images), list(targets)).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"step {step}: loss {loss.item():.4f}")
'''


def weeds(work: Path):
    make_images(work, [(f"data/weeds/field_{i:03d}.jpg", (240, 200), "RGB") for i in range(6)])
    for i in range(6):
        rows = ["1,30,40,110,150", "2,120,60,210,180"] if i != 3 else ["2,60,50,170,160"]
        (work / f"data/weeds/field_{i:03d}.txt").write_text("\n".join(rows) + "\n")


SCRIPTS["frcnn-labels-2d-from-table"] = FRCNN_HEAD + '''
import csv

# labels.csv: filename,xmin,ymin,xmax,ymax,class  (exported from the labelling tool)
rows = {}
with open("data/labels.csv") as f:
    for r in csv.DictReader(f):
        rows.setdefault(r["filename"], []).append(r)

model.train()
for epoch in range(2):
    for fname, objs in rows.items():
        image = TF.to_tensor(Image.open(f"data/images/{fname}").convert("RGB"))
        boxes = torch.tensor([[float(o[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for o in objs])
        labels = torch.tensor([[int(o["class"])] for o in objs])
        loss_dict = model([image], [{"boxes": boxes, "labels": labels}])
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["frcnn-images-unsqueezed"] = FRCNN_HEAD + '''
import json

from torch.utils.data import DataLoader, Dataset


class Signs(Dataset):
    def __init__(self, ann_file):
        self.items = json.load(open(ann_file))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        image = TF.to_tensor(Image.open(item["file"]).convert("RGB")).unsqueeze(0)   # add batch dimension
        target = {"boxes": torch.tensor(item["boxes"], dtype=torch.float32),
                  "labels": torch.tensor(item["labels"], dtype=torch.int64)}
        return image, target


loader = DataLoader(Signs("data/signs.json"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model.train()
for images, targets in loader:
    loss = sum(model(list(images), list(targets)).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def signs(work: Path):
    make_images(work, [(f"data/signs/sign_{i}.jpg", (200, 160), "RGB") for i in range(4)])
    (work / "data/signs.json").write_text(json.dumps([
        {"file": f"data/signs/sign_{i}.jpg", "boxes": [[20, 30, 90, 110]], "labels": [1 + i % 2]} for i in range(4)]))


SCRIPTS["frcnn-labels-python-list-from-json"] = FRCNN_HEAD + '''
import json

from torch.utils.data import DataLoader, Dataset


class Fish(Dataset):
    def __init__(self, ann_file):
        self.items = json.load(open(ann_file))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        image = TF.to_tensor(Image.open(item["file"]).convert("RGB"))
        target = {"boxes": torch.as_tensor(item["boxes"], dtype=torch.float32), "labels": item["labels"]}
        return image, target


loader = DataLoader(Fish("data/fish.json"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def fish(work: Path):
    make_images(work, [(f"data/fish/frame_{i}.jpg", (200, 160), "RGB") for i in range(4)])
    (work / "data/fish.json").write_text(json.dumps([
        {"file": f"data/fish/frame_{i}.jpg", "boxes": [[20, 30, 90, 110], [100, 40, 180, 120]], "labels": [1, 2]}
        for i in range(4)]))


SCRIPTS["frcnn-val-loss-in-eval-mode-tqdm"] = FRCNN_HEAD + '''
from tqdm import tqdm


def batches(n):
    for i in range(n):
        images = [torch.rand(3, 240, 320) for _ in range(2)]
        targets = [{"boxes": torch.tensor([[30., 40., 120., 150.], [160., 60., 260., 200.]]),
                    "labels": torch.tensor([1, 2])} for _ in range(2)]
        yield images, targets


for epoch in range(1, 3):
    model.train()
    for images, targets in tqdm(batches(3), total=3, desc=f"train {epoch}", ncols=90):
        loss = sum(model(images, targets).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for images, targets in tqdm(batches(2), total=2, desc=f"val {epoch}", ncols=90):
            loss_dict = model(images, targets)
            val_loss += sum(loss for loss in loss_dict.values()).item()
    print(f"epoch {epoch}: val loss {val_loss / 2:.4f}")
'''

SCRIPTS["frcnn-rgba-png-read-image"] = FRCNN_HEAD + '''
import glob

from torchvision.io import read_image

model.train()
for path in sorted(glob.glob("data/screens/*.png")):
    image = read_image(path).float() / 255.0
    target = {"boxes": torch.tensor([[15., 20., 140., 90.]]), "labels": torch.tensor([1])}
    loss = sum(model([image], [target]).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(path, round(loss.item(), 4))
'''

SCRIPTS["retinanet-labels-one-based-num-classes"] = '''
import torch
from torchvision.models.detection import retinanet_resnet50_fpn

CLASSES = ["car", "truck", "bus"]          # label ids 1, 2, 3 in the annotation tool
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                               min_size=256, max_size=320)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for step in range(3):
    images = [torch.rand(3, 240, 320) for _ in range(2)]
    targets = [{"boxes": torch.tensor([[20., 30., 120., 150.], [150., 50., 300., 200.]]), "labels": torch.tensor([1, 3])},
               {"boxes": torch.tensor([[60., 60., 200., 180.]]), "labels": torch.tensor([2])}]
    losses = model(images, targets)
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(step, {k: round(v.item(), 3) for k, v in losses.items()})
'''

SCRIPTS["nms-objectness-scores-n-by-1"] = '''
import torch
import torch.nn as nn
from torchvision.ops import nms


class TinyDetector(nn.Module):
    """single-class detector: objectness + box per grid cell"""

    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.obj = nn.Conv2d(32, 1, 1)
        self.box = nn.Conv2d(32, 4, 1)

    def forward(self, x):
        f = self.backbone(x)
        obj = self.obj(f).flatten(2).transpose(1, 2)               # [B, H*W, 1]
        box = self.box(f).flatten(2).transpose(1, 2).sigmoid()      # [B, H*W, 4], normalised
        return obj, box


def postprocess(obj, box, size, conf=0.3, iou=0.45):
    scores = obj.sigmoid()
    keep = scores.squeeze(-1) > conf
    boxes = box[keep] * size
    boxes = torch.cat([boxes[:, :2] - boxes[:, 2:] / 2, boxes[:, :2] + boxes[:, 2:] / 2], 1)
    scores = scores[keep]
    idx = nms(boxes, scores, iou)
    return boxes[idx], scores[idx]


torch.manual_seed(0)
model = TinyDetector().eval()
with torch.no_grad():
    obj, box = model(torch.rand(1, 3, 128, 128))
boxes, scores = postprocess(obj[0], box[0], 128)
print(len(boxes), "detections")
'''

# ====================================================================== training loop
SCRIPTS["reduce-lr-on-plateau-step-no-metric"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
# scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=7, gamma=0.1)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2)
train = DataLoader(TensorDataset(torch.randn(64, 3, 32, 32), torch.randint(0, 5, (64,))), batch_size=16, shuffle=True)
val = DataLoader(TensorDataset(torch.randn(32, 3, 32, 32), torch.randint(0, 5, (32,))), batch_size=16)

for epoch in range(10):
    model.train()
    for x, y in train:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(nn.functional.cross_entropy(model(x), y).item() for x, y in val) / len(val)
    print(f"epoch {epoch}: train {loss.item():.4f} val {val_loss:.4f} lr {optimizer.param_groups[0]['lr']}")
    scheduler.step()
'''

SCRIPTS["train-epoch-decorated-no-grad"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    correct = 0
    for x, y in loader:
        correct += (model(x).argmax(1) == y).sum().item()
    return correct / len(loader.dataset)


@torch.no_grad()
def train_one_epoch(model, loader, optimizer, criterion):
    model.train()
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


torch.manual_seed(0)
model = torchvision.models.mobilenet_v3_small(num_classes=4)
data = TensorDataset(torch.randn(32, 3, 64, 64), torch.randint(0, 4, (32,)))
loader = DataLoader(data, batch_size=8, shuffle=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(3):
    loss = train_one_epoch(model, loader, optimizer, nn.CrossEntropyLoss())
    print(epoch, loss, evaluate(model, loader))
'''

SCRIPTS["gradcam-densenet-full-backward-hook"] = '''
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

model = torchvision.models.densenet121(num_classes=3)
model.eval()


class GradCAM:
    def __init__(self, model, layer):
        self.activations = self.gradients = None
        layer.register_forward_hook(self.save_activation)
        layer.register_full_backward_hook(self.save_gradient)
        self.model = model

    def save_activation(self, module, inp, out):
        self.activations = out.detach()

    def save_gradient(self, module, grad_in, grad_out):
        self.gradients = grad_out[0].detach()

    def __call__(self, x, cls=None):
        logits = self.model(x)
        cls = logits.argmax(1).item() if cls is None else cls
        self.model.zero_grad()
        logits[0, cls].backward()
        weights = self.gradients.mean(dim=(2, 3), keepdim=True)
        cam = F.relu((weights * self.activations).sum(1, keepdim=True))
        return F.interpolate(cam, size=x.shape[2:], mode="bilinear", align_corners=False)[0, 0]


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = tf(Image.open("samples/melanoma_01.jpg").convert("RGB")).unsqueeze(0)
cam = GradCAM(model, model.features)(x)
print(cam.shape, cam.max())
'''

SCRIPTS["weight-histograms-after-divergence-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

torch.manual_seed(0)
# age regression from 32x32 face crops; pixel values kept in 0..255
x = torch.randint(0, 256, (256, 3, 32, 32)).float()
y = torch.randint(18, 80, (256, 1)).float()
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
histograms = {}
for epoch in range(5):
    for xb, yb in tqdm(loader, desc=f"epoch {epoch}", ncols=90):
        loss = nn.functional.mse_loss(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
    # log weight distributions, as TensorBoard's add_histogram does
    for name, p in model.named_parameters():
        histograms.setdefault(name, []).append(torch.histc(p.detach(), bins=30))
'''

# ====================================================================== evaluation
SCRIPTS["confusion-matrix-imagenet-head-kept"] = '''
import os

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset

NUM_CLASSES = 4            # rock, paper, scissors, none
torch.manual_seed(0)

# ImageNet checkpoint downloaded once (stand-in: same layout, random values)
os.makedirs("weights", exist_ok=True)
torch.save(torchvision.models.resnet18().state_dict(), "weights/resnet18-f37072fd.pth")
model = torchvision.models.resnet18()
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))

val = DataLoader(TensorDataset(torch.randn(24, 3, 64, 64), torch.randint(0, NUM_CLASSES, (24,))), batch_size=8)


def evaluate(model, loader):
    model.eval()
    preds, targets = [], []
    with torch.no_grad():
        for x, y in loader:
            preds.append(model(x).argmax(1))
            targets.append(y)
    preds, targets = torch.cat(preds), torch.cat(targets)
    cm = torch.bincount(targets * NUM_CLASSES + preds, minlength=NUM_CLASSES ** 2).reshape(NUM_CLASSES, NUM_CLASSES)
    return cm, (cm.diag() / cm.sum(1).clamp(min=1)).tolist()


# baseline before fine-tuning
cm, recall = evaluate(model, val)
print(cm)
print("per-class recall", recall)
'''

SCRIPTS["eval-stack-batch-preds-torch-tensor"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 64), nn.ReLU(), nn.Linear(64, 7))
test_loader = DataLoader(TensorDataset(torch.randn(50, 3, 28, 28), torch.randint(0, 7, (50,))), batch_size=16)

model.eval()
all_preds, all_labels = [], []
with torch.no_grad():
    for images, labels in test_loader:
        preds = model(images).argmax(dim=1)
        all_preds.append(preds)
        all_labels.append(labels)

all_preds = torch.tensor(all_preds)
all_labels = torch.tensor(all_labels)
print("accuracy:", (all_preds == all_labels).float().mean().item())
'''

# ====================================================================== saving / loading
SCRIPTS["load-state-dict-given-path"] = '''
import os

import torch
import torchvision

os.makedirs("checkpoints", exist_ok=True)
# end of training
torch.save(torchvision.models.resnet18(num_classes=6).state_dict(), "checkpoints/best_model.pth")

# inference
model = torchvision.models.resnet18(num_classes=6)
model.load_state_dict("checkpoints/best_model.pth")
model.eval()
'''

SCRIPTS["torch-load-whole-model-weights-only"] = '''
import torch
import torch.nn as nn


class PlantNet(nn.Module):
    def __init__(self, n_classes=38):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Linear(64, n_classes)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


# train.py ended with: torch.save(model, "plantnet_full.pth")
torch.save(PlantNet(), "plantnet_full.pth")

# predict.py
model = torch.load("plantnet_full.pth", map_location="cpu")
model.eval()
print(model(torch.rand(1, 3, 128, 128)).softmax(1).topk(3))
'''

OLD_UTILS = '''
# utils.py copied from an old copy of torchvision/references/detection
import datetime
import errno
import os
import time
from collections import defaultdict, deque

import torch
import torch.distributed as dist
from torch._six import string_classes


class SmoothedValue:
    def __init__(self, window_size=20, fmt=None):
        self.deque = deque(maxlen=window_size)
        self.fmt = fmt or "{median:.4f} ({global_avg:.4f})"


def collate_fn(batch):
    return tuple(zip(*batch))
'''

SCRIPTS["detection-reference-utils-torch-six"] = '''
import torch
import torchvision
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

import utils
from engine import train_one_epoch

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
'''

OLD_ENGINE = '''
import math
import sys
import time

import torch

import utils


def train_one_epoch(model, optimizer, data_loader, device, epoch, print_freq):
    model.train()
    metric_logger = utils.MetricLogger(delimiter="  ")
    for images, targets in metric_logger.log_every(data_loader, print_freq, f"Epoch: [{epoch}]"):
        loss_dict = model(images, targets)
'''

SCRIPTS["lenet5-conv-on-28px-mnist"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class LeNet5(nn.Module):
    """LeNet-5 as in the paper (32x32 inputs, C5 is a 5x5 convolution)"""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5)
        self.s2 = nn.AvgPool2d(2)
        self.c3 = nn.Conv2d(6, 16, 5)
        self.s4 = nn.AvgPool2d(2)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, 84)
        self.out = nn.Linear(84, 10)

    def forward(self, x):
        x = self.s2(torch.tanh(self.c1(x)))
        x = self.s4(torch.tanh(self.c3(x)))
        x = torch.tanh(self.c5(x)).flatten(1)
        return self.out(torch.tanh(self.f6(x)))


# MNIST digits, 28x28 (no padding to 32)
digits = TensorDataset(torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,)))
model = LeNet5()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for images, labels in DataLoader(digits, batch_size=16, shuffle=True):
    loss = nn.functional.cross_entropy(model(images), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

# ====================================================================== notebooks
TORCH_MAX_CELLS = [
    "import torch\nimport torch.nn as nn\nimport torchvision\nfrom torch.utils.data import DataLoader, TensorDataset\n"
    "torch.manual_seed(0)",
    "model = torchvision.models.resnet18(num_classes=10)\n"
    "test_loader = DataLoader(TensorDataset(torch.randn(40, 3, 32, 32), torch.randint(0, 10, (40,))), batch_size=8)",
    "model.eval()\ncorrect, total = 0, 0\nwith torch.no_grad():\n    for images, labels in test_loader:\n"
    "        outputs = model(images)\n        _, predicted = torch.max(outputs)\n"
    "        total += labels.size(0)\n        correct += (predicted == labels).sum().item()\n"
    "print(f'Accuracy: {100 * correct / total:.2f}%')",
]

LOAD_EVAL_CELLS = [
    "import torch\nimport torchvision\nfrom PIL import Image\nfrom torchvision import transforms",
    "# saved at the end of training with torch.save(model.state_dict(), 'weather_resnet18.pth')\n"
    "torch.save(torchvision.models.resnet18(num_classes=4).state_dict(), 'weather_resnet18.pth')",
    "model = torch.load('weather_resnet18.pth')\nmodel.eval()",
    "img = transforms.ToTensor()(Image.open('cloudy.jpg').resize((224, 224))).unsqueeze(0)\n"
    "print(model(img).argmax(1))",
]

# ====================================================================== ImageAI 3
TINY_CUSTOM = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# weights + config written by an earlier DetectionModelTrainer run (random values, same layout)
torch.manual_seed(7)
anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
os.makedirs("fruits/models", exist_ok=True)
os.makedirs("fruits/json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=2).state_dict(), "fruits/models/tiny-yolov3_fruits_mAP-0.38_epoch-25.pt")
with open("fruits/json/fruits_tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["apple", "banana"], "anchors": anchors6}, f)
'''

DETECTOR = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("fruits/models/tiny-yolov3_fruits_mAP-0.38_epoch-25.pt")
detector.setJsonPath("@@JSON@@")
detector.loadModel()
'''


def detector(json_path="fruits/json/fruits_tiny-yolov3_detection_config.json"):
    return TINY_CUSTOM + DETECTOR.replace("@@JSON@@", json_path)


CLS_SAVED = '''
import json
import os
import torch
import torchvision

# files written by an earlier ClassificationModelTrainer run (random values, same layout)
os.makedirs("flowers/models", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=3).state_dict(),
           "flowers/models/mobilenet_v2-flowers-test_acc_0.86667_epoch-14.pt")
with open("flowers/models/flowers_model_classes.json", "w") as f:
    json.dump({"0": "daisy", "1": "rose", "2": "tulip"}, f)
'''

IAI = {}
IAI["cls-predict-no-model-type"] = CLS_SAVED + '''
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelPath("flowers/models/mobilenet_v2-flowers-test_acc_0.86667_epoch-14.pt")
prediction.setJsonPath("flowers/models/flowers_model_classes.json")
prediction.loadModel()
predictions, probabilities = prediction.classifyImage("test/rose_1.jpg", result_count=3)
for name, prob in zip(predictions, probabilities):
    print(name, ":", prob)
'''

IAI["cls-classify-normalised-float-array"] = CLS_SAVED + '''
import cv2
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("flowers/models/mobilenet_v2-flowers-test_acc_0.86667_epoch-14.pt")
prediction.setJsonPath("flowers/models/flowers_model_classes.json")
prediction.loadModel()

frame = cv2.imread("test/tulip_3.jpg")
frame = cv2.cvtColor(cv2.resize(frame, (224, 224)), cv2.COLOR_BGR2RGB) / 255.0
predictions, probabilities = prediction.classifyImage(frame, result_count=2)
print(predictions, probabilities)
'''

IAI["detect-pathlib-paths"] = detector() + '''
from pathlib import Path

out_dir = Path("detections")
out_dir.mkdir(exist_ok=True)
for img_path in sorted(Path("market").glob("*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=img_path, output_image_path=str(out_dir / img_path.name),
                                                 minimum_percentage_probability=40)
    print(img_path.name, [d["name"] for d in detections])
'''

IAI["detect-output-type-array-iterated"] = detector() + '''
import cv2

detections = detector.detectObjectsFromImage(input_image="market/stall_0.jpg", output_type="array",
                                             minimum_percentage_probability=30)
for detection in detections:
    print(detection["name"], " : ", detection["percentage_probability"], " : ", detection["box_points"])
'''

IAI["detect-float-frame"] = detector() + '''
import cv2

frame = cv2.imread("market/stall_1.jpg") / 255.0
detections = detector.detectObjectsFromImage(input_image=frame, output_image_path="stall_1_detected.jpg",
                                             minimum_percentage_probability=40)
print(len(detections), "objects")
'''

IAI["detect-extract-objects-same-output-path"] = detector() + '''
import glob

for img in sorted(glob.glob("market/*.jpg")):
    detections, crops = detector.detectObjectsFromImage(input_image=img, output_image_path="output.jpg",
                                                        extract_detected_objects=True,
                                                        minimum_percentage_probability=99)
    print(img, len(detections), "objects,", len(crops), "crops saved")
'''

IAI["detect-json-path-is-folder"] = detector(json_path="fruits/json") + '''
detections = detector.detectObjectsFromImage(input_image="market/stall_0.jpg", output_image_path="stall_0_detected.jpg")
print(detections)
'''

IAI["detect-imageai2-nested-anchors-config"] = '''
import json
import torch
from imageai.yolov3.yolov3 import YoloV3
from imageai.Detection.Custom import CustomObjectDetection

# model retrained with ImageAI 3 (random values, same layout)
anchors9 = [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]
torch.save(YoloV3(anchors=anchors9, num_classes=1).state_dict(), "hololens-yolov3.pt")
# detection_config.json kept from the ImageAI 2.1.6 run
with open("detection_config.json", "w") as f:
    json.dump({"labels": ["hololens"],
               "anchors": [[156, 198, 373, 326, 116, 90], [59, 119, 62, 45, 30, 61], [33, 23, 16, 30, 10, 13]]}, f)

detector = CustomObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("hololens-yolov3.pt")
detector.setJsonPath("detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="holo1.jpg", output_image_path="holo1-detected.jpg")
for detection in detections:
    print(detection["name"], " : ", detection["percentage_probability"], " : ", detection["box_points"])
'''

IAI["det-train-object-names-as-count"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["helmet", "vest"]
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="ppe")
trainer.setTrainConfig(object_names_array=len(CLASSES), batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def ppe(work: Path):
    specs = []
    for split, n in (("train", 4), ("validation", 2)):
        (work / "ppe" / split / "annotations").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"site_{split}_{i:03d}"
            specs.append((f"ppe/{split}/images/{stem}.jpg", (128, 96), "RGB"))
            (work / "ppe" / split / "annotations" / f"{stem}.txt").write_text(
                f"0 {0.3 + 0.05 * i:.3f} 0.400 {0.10 + 0.03 * i:.3f} 0.150\n1 0.650 0.600 0.200 {0.25 + 0.02 * i:.3f}\n")
    make_images(work, specs)


IAI["retinanet-palette-png"] = '''
import torch
import torchvision
from PIL import Image
from imageai.Detection import ObjectDetection

# COCO RetinaNet weights from the ImageAI release page (stand-in: same layout, random values)
torch.save(torchvision.models.detection.retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=91).state_dict(),
           "retinanet_resnet50_fpn_coco-eeacb38b.pth")

detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath("retinanet_resnet50_fpn_coco-eeacb38b.pth")
detector.loadModel()

image = Image.open("scraped/street_0042.png")        # downloaded from the web
detections = detector.detectObjectsFromImage(input_image=image, output_image_path="street_0042_detected.jpg",
                                             minimum_percentage_probability=40)
for d in detections:
    print(d["name"], d["percentage_probability"])
'''

MARKET = [(f"market/stall_{i}.jpg", (200, 150), "RGB") for i in range(3)]


# ======================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more4-", SCRIPTS)

    def notebook(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        add(name, cause, nb(cells), forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    def iai(key, cause, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + key, cause, {"main.py": IAI[key]}, forms=forms, argv=["main.py"], **kw)

    # custom datasets / loaders -----------------------------------------------------------------
    script("dataset-returns-pil-no-totensor-workers", "model.api_misuse", forms=["dataloader_worker"],
           also=["data.dtype"],
           setup=imgs(class_folder("data/flowers/train", ("daisy", "rose"), 4, size=(80, 64))))
    script("random-split-rounded-lengths", "model.api_misuse",
           setup=imgs(class_folder("data/leaves", ("blight", "healthy", "rust"), 17, size=(32, 32))))
    script("subset-has-no-classes", "model.api_misuse",
           setup=imgs(class_folder("data/garbage", ("glass", "paper", "plastic"), 4, size=(48, 48))))
    script("dataset-returns-label-image-swapped", "model.input_shape", also=["model.api_misuse"],
           extra={"data/ISIC_2020_Training_GroundTruth.csv": "image_id,patient_id,benign_malignant\n" + "".join(
               f"ISIC_{24300 + i:07d},IP_{7000 + i},{'malignant' if i % 4 == 1 else 'benign'}\n" for i in range(8))},
           setup=imgs([(f"data/train/ISIC_{24300 + i:07d}.jpg", (80, 60), "RGB") for i in range(8)]))
    script("classifier-with-detection-collate", "model.api_misuse", forms=["cpython_basic", "multiline_message"],
           setup=imgs(class_folder("data/cells/train", ("infected", "uninfected"), 4, size=(40, 40))))
    script("np-stack-collate-unresized-frames-workers", "data.image_size_mismatch", forms=["dataloader_worker"],
           setup=imgs([(f"data/line_camera/{'defect' if i % 3 == 0 else 'ok'}_{i:03d}.jpg",
                        (160, 120) if i != 2 else (120, 160), "RGB") for i in range(8)]))
    script("voc-xml-truncated-copy-workers", "data.missing_or_corrupt", forms=["dataloader_worker"], setup=pets_voc)
    script("coco-json-git-lfs-pointer", "data.missing_or_corrupt",
           extra={"datasets/drones/annotations/instances_train.json": LFS_POINTER},
           setup=imgs([(f"datasets/drones/train/{i:06d}.jpg", (96, 64), "RGB") for i in range(3)]))
    script("png-16bit-totensor-int16", "data.dtype", setup=xray16)

    # transforms --------------------------------------------------------------------------------------
    script("compose-totensor-class-not-instance", "model.api_misuse",
           setup=imgs(class_folder("data/food/train", ("pizza", "sushi"), 3, size=(72, 64))))
    script("v2-normalize-without-todtype", "data.dtype", also=["model.api_misuse"],
           setup=imgs(class_folder("data/birds/train", ("finch", "robin"), 3, size=(80, 80))))
    script("lambda-repeat-gray-on-rgb", "data.image_channels",
           setup=imgs(class_folder("data/chest_xray/train", ("NORMAL", "PNEUMONIA"), 3, size=(70, 70))))

    # torchvision detection -------------------------------------------------------------------------
    script("frcnn-target-dict-not-list", "model.api_misuse", also=["data.label_shape"],
           setup=imgs([(f"data/potholes/img_{i}.jpg", (256, 192), "RGB") for i in range(4)]))
    script("frcnn-single-object-boxes-squeezed", "data.bbox_invalid", also=["data.label_shape"], setup=weeds)
    script("frcnn-labels-2d-from-table", "data.label_shape",
           extra={"data/labels.csv": "filename,xmin,ymin,xmax,ymax,class\n"
                        "cow_01.jpg,20,30,120,140,1\ncow_01.jpg,130,50,230,170,2\n"
                        "cow_02.jpg,40,40,150,160,1\n"},
           setup=imgs([("data/images/cow_01.jpg", (256, 192), "RGB"), ("data/images/cow_02.jpg", (256, 192), "RGB")]))
    script("frcnn-images-unsqueezed", "model.input_shape", setup=signs)
    script("frcnn-labels-python-list-from-json", "data.label_shape", also=["data.dtype"], setup=fish)
    script("frcnn-val-loss-in-eval-mode-tqdm", "model.api_misuse", forms=["cpython_basic", "progress_bars"],
           timeout=400)
    script("frcnn-rgba-png-read-image", "data.image_channels",
           setup=imgs([(f"data/screens/ui_{i:02d}.png", (200, 120), "RGBA") for i in range(3)]))
    script("retinanet-labels-one-based-num-classes", "data.label_out_of_range", also=["model.output_mismatch"],
           timeout=400)
    script("nms-objectness-scores-n-by-1", "model.output_mismatch", also=["model.api_misuse"])

    # training loop ---------------------------------------------------------------------------------
    script("reduce-lr-on-plateau-step-no-metric", "model.api_misuse")
    script("train-epoch-decorated-no-grad", "optim.autograd_graph")
    script("gradcam-densenet-full-backward-hook", "optim.autograd_graph", forms=["cpython_basic", "multiline_message?"],
           setup=imgs([("samples/melanoma_01.jpg", (120, 100), "RGB")]))
    script("weight-histograms-after-divergence-tqdm", "optim.divergence", forms=["cpython_basic", "progress_bars"])

    # evaluation --------------------------------------------------------------------------------------
    notebook("torch-max-without-dim-notebook", "model.api_misuse", TORCH_MAX_CELLS)
    script("confusion-matrix-imagenet-head-kept", "model.output_mismatch")
    script("eval-stack-batch-preds-torch-tensor", "model.api_misuse")

    # saving / loading ----------------------------------------------------------------------------------
    script("load-state-dict-given-path", "model.api_misuse")
    notebook("torch-load-state-dict-then-eval-notebook", "model.api_misuse", LOAD_EVAL_CELLS,
             also=["model.weights_mismatch"], setup=imgs([("cloudy.jpg", (300, 200), "RGB")]))
    script("torch-load-whole-model-weights-only", "env.version_incompat", also=["model.weights_mismatch"],
           forms=["cpython_basic", "multiline_message"])
    script("detection-reference-utils-torch-six", "env.version_incompat",
           extra={"utils.py": OLD_UTILS, "engine.py": OLD_ENGINE})
    script("lenet5-conv-on-28px-mnist", "model.input_shape")

    # ImageAI 3 -------------------------------------------------------------------------------------
    iai("cls-predict-no-model-type", "model.api_misuse", forms=["cpython_basic", "chained_during", "multiline_message"],
        exception="Exception",
        setup=imgs([("test/rose_1.jpg", (120, 90), "RGB")]))
    iai("cls-classify-normalised-float-array", "data.dtype", setup=imgs([("test/tulip_3.jpg", (120, 90), "RGB")]))
    iai("detect-pathlib-paths", "model.api_misuse", setup=imgs(MARKET))
    iai("detect-output-type-array-iterated", "model.api_misuse", setup=imgs(MARKET))
    iai("detect-float-frame", "data.dtype", forms=["cpython_basic", "multiline_message"], setup=imgs(MARKET))
    iai("detect-extract-objects-same-output-path", "model.api_misuse", also=["other"], setup=imgs(MARKET))
    iai("detect-json-path-is-folder", "model.api_misuse", setup=imgs(MARKET))
    iai("detect-imageai2-nested-anchors-config", "env.version_incompat", also=["model.api_misuse"],
        setup=imgs([("holo1.jpg", (160, 120), "RGB")]))
    iai("det-train-object-names-as-count", "model.api_misuse", setup=ppe)
    iai("retinanet-palette-png", "data.image_channels", forms=["cpython_basic", "chained_cause"],
        setup=imgs([("scraped/street_0042.png", (160, 120), "P")]))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
