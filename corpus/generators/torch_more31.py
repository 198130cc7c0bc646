"""A thirty-first held-out set of PyTorch / torchvision / ImageAI 3 failures: an untargeted
sample of what people training classifiers and detectors on their own data meet in scripts
and notebooks, each labelled by construction with the cause it really is.

- image sizes / channels: two parking cameras downsampled by a scale factor, microscope tiles
  at two magnifications through ``Resize(int)`` in worker processes, RGB+NIR satellite tiles,
  a GIMP-exported LA signature scan in a predict loop;
- boxes: a one-pixel-wide crack whose ``masks_to_boxes`` box has no width, YOLO labels
  converted from a German-locale spreadsheet export with decimal commas;
- labels: the species column read for a genus head, class weights from ``bincount`` over a
  stray "unknown" label, a dataset that returns its label inside a list, gender+race labels
  into one head;
- dtypes: float16 metadata from ``.npy``, float labels used to index class weights, a weighted
  loss computed after a CPU bfloat16 autocast block;
- missing data: ``glob("**")`` without ``recursive``, ``cv2.imread`` on a ``~`` path, cloud-sync
  0-byte placeholders in the ImageAI test split, one-decimal box exports for anchor k-means;
- model shapes / heads / weights: licence-plate characters through a net built for 32 px, a
  ``permute`` copied from a cv2 pipeline into an input BatchNorm, a head sized from the val
  folder, a VOC DeepLab head kept for binary masks, resnet34 weights into resnet18, a
  custom-head resnet50 given to ImageAI;
- API misuse: ``transfer_from_model`` given a store_true flag, a ``read_image`` tensor given to
  ``classifyImage``, Keras shift ranges ported to ``RandomAffine``;
- optimisation / autograd: a text loss chart after the loss went NaN, a segmentation net with
  anomaly detection at a high learning rate, teacher logits precomputed with their graph, a
  focal loss editing the sigmoid output in place, a numpy soft-F1 loss re-wrapped in a tensor;
- host memory under an rlimit, spawn workers (a local target transform, a script exec'd by a
  runner), a DDP branch used every other step, numpy / torch.load version changes, and plain
  Python bugs in training loops.

Every case is a small real program run on CPU with the torch venv (no GPU, no downloads).

    /work/venvs/torch/bin/python corpus/generators/torch_more31.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more31.py"

SCRIPTS = {}
CELLS = {}


# ============================================================ data.image_size_mismatch
SCRIPTS["parking-two-cameras-interpolate-scale-factor-stack"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image

CLASSES = ["empty", "occupied"]


class ParkingFrames(Dataset):
    """Frames from the two entrance cameras, downsampled 4x to keep training fast."""

    def __init__(self, root):
        self.items = [(p, CLASSES.index(p.split(os.sep)[-2])) for p in sorted(glob.glob(f"{root}/*/*.jpg"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = read_image(path).float() / 255.0
        img = F.interpolate(img[None], scale_factor=0.25, mode="bilinear", align_corners=False)[0]
        return img, label


torch.manual_seed(0)
loader = DataLoader(ParkingFrames("data/parking/train"), batch_size=8, shuffle=True)
model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, len(CLASSES)),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for images, labels in loader:
        loss = F.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''


def parking_setup(work: Path):
    specs = []
    for i in range(3):   # north gate camera: 1280x720 stills, shrunk here
        specs.append((f"data/parking/train/{CLS2[i % 2]}/north_{i:04d}.jpg", (320, 180), "RGB"))
    for i in range(3):   # south gate camera: 4:3 sensor
        specs.append((f"data/parking/train/{CLS2[(i + 1) % 2]}/south_{i:04d}.jpg", (256, 192), "RGB"))
    make_images(work, specs)


CLS2 = ["empty", "occupied"]

SCRIPTS["microscopy-two-magnifications-resize-int-val-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

train_tf = transforms.Compose([
    transforms.RandomResizedCrop(128),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
val_tf = transforms.Compose([
    transforms.Resize(128),          # keep the whole field of view for validation
    transforms.ToTensor(),
])


def main():
    train_ds = datasets.ImageFolder("data/histo/train", transform=train_tf)
    val_ds = datasets.ImageFolder("data/histo/val", transform=val_tf)
    train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)
    val_loader = DataLoader(val_ds, batch_size=8, shuffle=False, num_workers=2)

    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(2):
        model.train()
        for x, y in train_loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum().item()
        print(f"epoch {epoch}: train loss {loss.item():.3f} val acc {correct / len(val_ds):.3f}")


if __name__ == "__main__":
    main()
'''


def histo_setup(work: Path):
    specs = []
    for split, n in (("train", 4), ("val", 4)):
        # 40x scans come off the scanner as 4:3 tiles, 10x overviews are square crops
        specs += [(f"data/histo/{split}/benign/b40x_{i:03d}.png", (200, 150), "RGB") for i in range(n)]
        specs += [(f"data/histo/{split}/malignant/m10x_{i:03d}.png", (160, 160), "RGB") for i in range(n)]
    make_images(work, specs)


# ============================================================ data.image_channels
SCRIPTS["satellite-rgb-nir-png-tiles-resnet18"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.models import resnet18

CLASSES = ["forest", "pasture", "residential", "river"]


class LandCover(Dataset):
    """64x64 tiles exported from QGIS (bands 4-3-2-8 of the Sentinel-2 scene)."""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.png")))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = read_image(self.files[i]).float() / 255.0
        label = CLASSES.index(os.path.basename(os.path.dirname(self.files[i])))
        return img, label


loader = DataLoader(LandCover("data/sentinel_tiles/train"), batch_size=8, shuffle=True)
model = resnet18(weights=None, num_classes=len(CLASSES))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(3):
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

SCRIPTS["signature-scans-la-png-predict-loop"] = '''
import os
import sys

import torch
from PIL import Image
from torchvision import models, transforms

CLASSES = ["forged", "genuine"]
tf = transforms.Compose([
    transforms.Resize((224, 224)),
    transforms.ToTensor(),
])

model = models.resnet18(weights=None, num_classes=2)
model.load_state_dict(torch.load("checkpoints/signature_resnet18.pt", map_location="cpu"))
model.eval()

folder = sys.argv[1] if len(sys.argv) > 1 else "incoming"
for name in sorted(os.listdir(folder)):
    img = Image.open(os.path.join(folder, name))
    x = tf(img).unsqueeze(0)
    with torch.no_grad():
        prob = model(x).softmax(1)[0]
    print(f"{name:28s} {CLASSES[prob.argmax()]:8s} {prob.max():.2f}")
'''


def signature_setup(work: Path):
    from PIL import Image
    import random
    rnd = random.Random(5)
    make_images(work, [(f"incoming/cheque_{i:04d}.jpg", (300, 120), "RGB") for i in range(3)])
    # re-saved from GIMP with a transparent background: grey + alpha
    la = Image.frombytes("LA", (300, 120), bytes(rnd.randrange(256) for _ in range(300 * 120 * 2)))
    la.save(work / "incoming/cheque_0003_cleaned.png")
    prep("import os, torch, torchvision\nos.makedirs('checkpoints', exist_ok=True)\n"
         "torch.save(torchvision.models.resnet18(num_classes=2).state_dict(), 'checkpoints/signature_resnet18.pt')\n")(work)


# ============================================================ data.bbox_invalid
SCRIPTS["crack-instance-masks-to-boxes-one-pixel-wide"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.ops import masks_to_boxes
from torchvision.transforms.functional import to_tensor

# instance masks painted in the labelling tool: 0 = background, 1..N = one defect each
# class of every instance: 1 = spall, 2 = crack


class BridgeDefects(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        stem = os.path.splitext(os.path.basename(self.images[i]))[0]
        mask = torch.from_numpy(np.array(Image.open(os.path.join(self.root, "masks", stem + ".png"))))
        ids = mask.unique()[1:]
        masks = mask[None] == ids[:, None, None]
        boxes = masks_to_boxes(masks)
        labels = torch.tensor([1 if k == 1 else 2 for k in ids.tolist()], dtype=torch.int64)
        image = to_tensor(Image.open(self.images[i]).convert("RGB"))
        return image, {"boxes": boxes, "labels": labels}


def collate(batch):
    return tuple(zip(*batch))


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
model.train()
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
loader = DataLoader(BridgeDefects("data/bridge"), batch_size=2, shuffle=False, collate_fn=collate)
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print({k: round(v.item(), 4) for k, v in loss_dict.items()})
'''


def bridge_setup(work: Path):
    import numpy as np
    from PIL import Image
    make_images(work, [(f"data/bridge/images/deck_{i:03d}.jpg", (200, 150), "RGB") for i in range(4)])
    (work / "data/bridge/masks").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        m = np.zeros((150, 200), dtype=np.uint8)
        m[30 + 5 * i:80 + 5 * i, 40:90] = 1                  # a spall patch
        if i == 0:
            m[20:130, 150 + i] = 2                             # a hairline crack, one pixel wide
        else:
            m[20:120, 140:146 + i] = 2
        Image.fromarray(m).save(work / f"data/bridge/masks/deck_{i:03d}.png")


DECIMAL_COMMA_PRE = '''
# csv_to_yolo.py: the boxes were exported from the lab spreadsheet (Excel, German locale)
import csv
import os

for split in ("train", "validation"):
    with open(f"beehive/{split}_boxes.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    os.makedirs(f"beehive/{split}/annotations", exist_ok=True)
    by_image = {}
    for r in rows:
        by_image.setdefault(r["image"], []).append(
            f"{r['class_id']} {r['x_center']} {r['y_center']} {r['width']} {r['height']}")
    for image, lines in by_image.items():
        stem = os.path.splitext(image)[0]
        with open(f"beehive/{split}/annotations/{stem}.txt", "w") as out:
            out.write("\\n".join(lines) + "\\n")
print("converted", sum(1 for _ in os.scandir("beehive/train/annotations")), "training label files")

'''

DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''


def det_train(pre="", model="TinyYOLOv3", datadir="dataset", classes='["apple", "banana"]', bs="4", epochs="3"):
    return pre + sub(DET_TRAIN, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs)


def beehive_setup(work: Path):
    specs = []
    lines = {"train": [], "validation": []}
    for split, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            name = f"frame_{split[:3]}_{i:03d}.jpg"
            specs.append((f"beehive/{split}/images/{name}", (320, 240), "RGB"))
            for j in range(2):
                vals = [0.25 + 0.3 * j, 0.4 + 0.1 * j, 0.12 + 0.02 * i + 0.03 * j, 0.1 + 0.015 * i + 0.02 * j]
                cells = [f"{v:.4f}".replace(".", ",") for v in vals]
                lines[split].append(";".join([name, str(j % 2)] + cells))
    make_images(work, specs)
    for split, rows in lines.items():
        (work / f"beehive/{split}_boxes.csv").write_text(
            "image;class_id;x_center;y_center;width;height\n" + "\n".join(rows) + "\n", encoding="utf-8")


# ============================================================ data.label_out_of_range
SCRIPTS["herbarium-genus-head-reads-species-column"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

# labels.csv: file,genus_id,species_id   (we only classify the 4 genera for now)
GENERA = ["Acer", "Betula", "Fagus", "Quercus"]

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])


class Herbarium(Dataset):
    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            reader = csv.reader(f)
            next(reader)
            self.rows = [(r[0], int(r[2])) for r in reader]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, label = self.rows[i]
        return tf(Image.open(path).convert("RGB")), label


loader = DataLoader(Herbarium("data/herbarium/labels.csv"), batch_size=4, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(GENERA))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for images, labels in loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''


def herbarium_setup(work: Path):
    species = [(0, 0), (0, 1), (1, 2), (1, 3), (2, 4), (2, 5), (3, 6), (3, 7), (3, 8)]
    specs, rows = [], ["file,genus_id,species_id"]
    for i, (g, s) in enumerate(species):
        p = f"data/herbarium/sheets/sheet_{i:04d}.jpg"
        specs.append((p, (90, 120), "RGB"))
        rows.append(f"{p},{g},{s}")
    make_images(work, specs)
    (work / "data/herbarium/labels.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["class-weights-bincount-over-stray-unknown-label"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

with open("data/waste/classes.json") as f:
    CLASSES = json.load(f)          # ["cardboard", "glass", "metal", "paper", "plastic"]
with open("data/waste/annotations.json") as f:
    ANN = json.load(f)              # [{"file": ..., "label": int}, ...] exported from the labelling tool

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class Waste(Dataset):
    def __len__(self):
        return len(ANN)

    def __getitem__(self, i):
        return tf(Image.open(ANN[i]["file"]).convert("RGB")), ANN[i]["label"]


# the classes are very unbalanced: weight the loss by inverse frequency
labels = torch.tensor([a["label"] for a in ANN])
counts = torch.bincount(labels).float()
class_weights = counts.sum() / (len(counts) * counts)
print("class weights:", [round(w, 2) for w in class_weights.tolist()])

model = models.resnet18(weights=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss(weight=class_weights)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for x, y in DataLoader(Waste(), batch_size=4, shuffle=True):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def waste_setup(work: Path):
    import json
    classes = ["cardboard", "glass", "metal", "paper", "plastic"]
    labels = [0, 0, 1, 1, 1, 2, 3, 3, 4, 4, 5]      # the last one: an annotator picked "unknown" (id 5)
    specs, ann = [], []
    for i, lab in enumerate(labels):
        p = f"data/waste/images/item_{i:04d}.jpg"
        specs.append((p, (80, 80), "RGB"))
        ann.append({"file": p, "label": lab})
    make_images(work, specs)
    (work / "data/waste/classes.json").write_text(json.dumps(classes))
    (work / "data/waste/annotations.json").write_text(json.dumps(ann, indent=1))


# ============================================================ data.label_shape
SCRIPTS["dataset-returns-tag-ids-list-for-future-multilabel"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["clear", "cloudy", "haze"]
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class SkyImages(Dataset):
    """tags.csv: file,tags  -- one tag per image today, several later (space separated)."""

    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        image = tf(Image.open(row["file"]).convert("RGB"))
        tag_ids = [CLASSES.index(t) for t in row["tags"].split()]
        return image, tag_ids


loader = DataLoader(SkyImages("data/sky/tags.csv"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for images, targets in loader:
        outputs = model(images)
        loss = criterion(outputs, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''


def sky_setup(work: Path):
    tags = ["clear", "cloudy", "haze", "clear", "cloudy", "clear", "haze", "cloudy"]
    make_images(work, [(f"data/sky/img_{i:03d}.jpg", (72, 72), "RGB") for i in range(len(tags))])
    (work / "data/sky/tags.csv").write_text(
        "file,tags\n" + "".join(f"data/sky/img_{i:03d}.jpg,{t}\n" for i, t in enumerate(tags)))


SCRIPTS["face-attributes-gender-race-pair-into-gender-head"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

# UTKFace file names: [age]_[gender]_[race]_[date&time].jpg
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class UTKFace(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*.jpg")))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        age, gender, race, _ = os.path.basename(self.files[i]).split("_")
        label = torch.tensor([int(gender), int(race)])
        return tf(Image.open(self.files[i]).convert("RGB")), label


class GenderNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Linear(512, 2)

    def forward(self, x):
        return self.backbone(x)


loader = DataLoader(UTKFace("data/UTKFace"), batch_size=4, shuffle=True)
model = GenderNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(2):
    for images, labels in loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def utk_setup(work: Path):
    people = [(26, 0, 1), (34, 1, 0), (51, 0, 3), (19, 1, 2), (42, 1, 0), (65, 0, 4)]
    make_images(work, [(f"data/UTKFace/{a}_{g}_{r}_2017011{i}174{i}.jpg", (100, 100), "RGB")
                       for i, (a, g, r) in enumerate(people)])


# ============================================================ data.dtype
SCRIPTS["melanoma-metadata-float16-npy-mlp-branch"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class Lesions(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        # age, sex, anatomical site one-hot ... saved compactly by the preprocessing notebook
        self.meta = np.load(os.path.join(root, "metadata.npy"))
        self.labels = np.load(os.path.join(root, "labels.npy"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        image = tf(Image.open(self.files[i]).convert("RGB"))
        return image, torch.from_numpy(self.meta[i]), int(self.labels[i])


class ImageMetaNet(nn.Module):
    def __init__(self, n_meta, n_classes=2):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.meta = nn.Sequential(nn.Linear(n_meta, 32), nn.ReLU())
        self.head = nn.Linear(512 + 32, n_classes)

    def forward(self, image, meta):
        return self.head(torch.cat([self.cnn(image), self.meta(meta)], dim=1))


ds = Lesions("data/isic")
model = ImageMetaNet(n_meta=ds.meta.shape[1])
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(2):
    for image, meta, label in DataLoader(ds, batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(image, meta), label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

ISIC_PREP = '''
import numpy as np
rng = np.random.default_rng(0)
meta = np.concatenate([rng.uniform(0.2, 0.9, (8, 1)), rng.integers(0, 2, (8, 1)), np.eye(6)[rng.integers(0, 6, 8)]], 1)
np.save("data/isic/metadata.npy", meta.astype(np.float16))   # 16-bit to keep the file small
np.save("data/isic/labels.npy", rng.integers(0, 2, 8))
'''

SCRIPTS["defect-bce-float-labels-index-class-weights"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((64, 64)), transforms.ToTensor()])


class Welds(Dataset):
    def __init__(self, csv_path):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        # BCEWithLogitsLoss wants float targets
        return tf(Image.open(r["file"])), torch.tensor(float(r["defect"]))


loader = DataLoader(Welds("data/welds/train.csv"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
# only ~20% of the welds are defective: weight each sample by its class
class_weight = torch.tensor([1.0, 4.0])
for epoch in range(3):
    for x, y in loader:
        logits = model(x).squeeze(1)
        per_sample = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
        loss = (per_sample * class_weight[y]).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def welds_setup(work: Path):
    flags = [0, 0, 1, 0, 0, 0, 1, 0]
    make_images(work, [(f"data/welds/img/weld_{i:03d}.png", (96, 64), "L") for i in range(len(flags))])
    (work / "data/welds/train.csv").write_text(
        "file,defect\n" + "".join(f"data/welds/img/weld_{i:03d}.png,{d}\n" for i, d in enumerate(flags)))


SCRIPTS["cpu-bf16-autocast-weighted-loss-after-block"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# no GPU on this laptop: bfloat16 autocast on the CPU is ~2x faster for the convolutions
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/coral/train", transform=tf)
counts = torch.bincount(torch.tensor(train_ds.targets), minlength=len(train_ds.classes)).float()
criterion = nn.CrossEntropyLoss(weight=counts.sum() / counts)

model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(3):
    for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
        with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
            logits = model(images)
        loss = criterion(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

# ============================================================ data.missing_or_corrupt
SCRIPTS["wildlife-glob-double-star-without-recursive"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

# camera-trap export: data/traps/<species>/<camera id>/<date>/*.jpg
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class CameraTraps(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "**", "*.jpg")))
        self.classes = sorted(os.listdir(root))
        print(f"{len(self.files)} images, {len(self.classes)} species")

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        species = os.path.relpath(self.files[i], "data/traps").split(os.sep)[0]
        return tf(Image.open(self.files[i]).convert("RGB")), self.classes.index(species)


ds = CameraTraps("data/traps")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

TRAPS = [(f"data/traps/{sp}/CAM0{c}/2024-0{c}-1{i}/IMG_{c}{i:03d}.jpg", (80, 60), "RGB")
         for sp in ("badger", "fox", "roe_deer") for c in (1, 2) for i in range(2)]

CELLS["cv2-imread-tilde-path-notebook"] = [
    '''
import glob
import os

import cv2
import numpy as np
import torch

DATA = "~/datasets/potholes/train"
files = sorted(glob.glob(os.path.join(os.path.expanduser(DATA), "*", "*.jpg")))
print(len(files), "images")
''',
    '''
def load_image(name, size=128):
    # glob gave absolute paths; keep the dataset-relative name so the CSV stays portable
    rel = os.path.relpath(name, os.path.expanduser(DATA))
    img = cv2.imread(os.path.join(DATA, rel))
    h, w = img.shape[:2]
    scale = size / max(h, w)
    img = cv2.resize(img, (int(w * scale), int(h * scale)))
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)

batch = [load_image(f) for f in files[:4]]
print([b.shape for b in batch])
''',
]

POTHOLES = [(f"datasets/potholes/train/{c}/{c}_{i:03d}.jpg", (160, 120), "RGB")
            for c in ("normal", "pothole") for i in range(3)]

IAI_CLS_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("@@DIR@@")
trainer.trainModel(num_experiments=@@EPOCHS@@, batch_size=@@BS@@)
'''


def cloud_placeholders(work: Path):
    make_images(work, class_folder("insects/train", ["aphid", "ladybird"], 3, size=(96, 96))
                + class_folder("insects/test", ["aphid", "ladybird"], 2, size=(96, 96)))
    # files that the sync client listed but never downloaded: 0-byte placeholders
    for name in ("insects/test/aphid/aphid_IMG_2291.jpg", "insects/test/ladybird/ladybird_IMG_2307.jpg"):
        (work / name).write_bytes(b"")


def one_decimal_labels(split, i):
    """YOLO rows written by an export set to one decimal place."""
    rows = []
    for j in range(3):
        w = 0.1 + 0.1 * ((i + j) % 2)
        h = 0.2 if (i + 2 * j) % 3 else 0.1
        rows.append(f"{j % 2} {0.2 + 0.3 * j:.1f} {0.5:.1f} {w:.1f} {h:.1f}")
    return "\n".join(rows) + "\n"


# ============================================================ model.input_shape
SCRIPTS["plate-characters-16px-into-net-built-for-32px"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


class CharNet(nn.Module):
    """Three valid 5x5 convolutions with pooling: worked great on the 32x32 synthetic fonts."""

    def __init__(self, n_classes=len(CHARS)):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 5), nn.ReLU(),
        )
        self.classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, n_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class PlateChars(Dataset):
    """Characters cut out of real plates by the segmentation step (16x16 crops)."""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*.png")))
        self.tf = transforms.Compose([transforms.Grayscale(), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        ch = os.path.basename(self.files[i])[0]
        return self.tf(Image.open(self.files[i])), CHARS.index(ch)


model = CharNet()
model.load_state_dict(torch.load("charnet_synthetic.pt"))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for x, y in DataLoader(PlateChars("data/plate_chars"), batch_size=16, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"fine-tune epoch {epoch}: {loss.item():.4f}")
'''

CHARNET_PREP = '''
import torch
import torch.nn as nn
features = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(64, 128, 5), nn.ReLU())
classifier = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 33))
sd = {**{"features." + k: v for k, v in features.state_dict().items()},
      **{"classifier." + k: v for k, v in classifier.state_dict().items()}}
torch.save(sd, "charnet_synthetic.pt")
'''

PLATE_CHARS = [(f"data/plate_chars/{c}_{i:04d}.png", (16, 16), "L") for i, c in enumerate("7K3PX0M9A2T5")]

SCRIPTS["totensor-then-permute-from-cv2-pipeline-input-bn"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class LeafNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.input_norm = nn.BatchNorm2d(3)       # learns the per-channel normalisation
        self.body = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        )
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.fc(self.body(self.input_norm(x)))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/cassava/train", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = LeafNet(len(ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for images, labels in loader:
        # from the old cv2 loader: HWC -> CHW
        images = images.permute(0, 3, 1, 2).float()
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ============================================================ model.output_mismatch
SCRIPTS["head-sized-from-val-folder-before-new-class-labelled"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

TRAIN_DIR, VAL_DIR = "data/pests/train", "data/pests/val"
num_classes = len([d for d in os.listdir(VAL_DIR) if os.path.isdir(os.path.join(VAL_DIR, d))])
print("classes:", num_classes)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder(TRAIN_DIR, transform=tf)
val_ds = datasets.ImageFolder(VAL_DIR, transform=tf)

model = models.efficientnet_b0(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, num_classes)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    model.train()
    for images, labels in DataLoader(train_ds, batch_size=8, shuffle=True):
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

PESTS = (class_folder("data/pests/train", ["aphid", "armyworm", "beetle", "mite", "sawfly", "stink_bug"], 2,
                      size=(72, 72))
         + class_folder("data/pests/val", ["aphid", "armyworm", "beetle", "mite", "sawfly"], 1, size=(72, 72)))

SCRIPTS["deeplab-voc-checkpoint-head-kept-binary-road-masks"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import functional as TF


class Roads(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "sat", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = TF.to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask_path = self.images[i].replace("sat", "mask").replace(".jpg", ".png")
        mask = torch.from_numpy((np.array(Image.open(mask_path)) > 127).astype(np.float32))[None]
        return image, mask


# start from the VOC-trained weights we keep on the shared drive
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=21, aux_loss=False)
model.load_state_dict(torch.load("weights/deeplabv3_mobilenet_v3_large_voc.pth", map_location="cpu"))

criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
model.train()
for epoch in range(2):
    for images, masks in DataLoader(Roads("data/roads"), batch_size=2, shuffle=True):
        out = model(images)["out"]
        loss = criterion(out, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def roads_setup(work: Path):
    from PIL import Image
    make_images(work, [(f"data/roads/sat/tile_{i:03d}.jpg", (128, 128), "RGB") for i in range(4)])
    (work / "data/roads/mask").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        m = Image.new("L", (128, 128), 0)
        m.paste(255, (50 + i, 0, 70 + i, 128))
        m.save(work / f"data/roads/mask/tile_{i:03d}.png")
    prep("import os, torch\nfrom torchvision.models.segmentation import deeplabv3_mobilenet_v3_large\n"
         "os.makedirs('weights', exist_ok=True)\n"
         "torch.save(deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=21, "
         "aux_loss=False).state_dict(), 'weights/deeplabv3_mobilenet_v3_large_voc.pth')\n")(work)


# ============================================================ model.weights_mismatch
SCRIPTS["predict-script-arch-default-resnet18-trained-resnet34"] = '''
import argparse

import torch
from PIL import Image
from torchvision import models, transforms

parser = argparse.ArgumentParser()
parser.add_argument("images", nargs="+")
parser.add_argument("--weights", default="runs/dogs_best.pth")
parser.add_argument("--arch", default="resnet18", choices=["resnet18", "resnet34", "resnet50"])
parser.add_argument("--num-classes", type=int, default=4)
args = parser.parse_args()

CLASSES = ["beagle", "boxer", "pug", "samoyed"]
model = getattr(models, args.arch)(weights=None, num_classes=args.num_classes)
model.load_state_dict(torch.load(args.weights, map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
for path in args.images:
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB"))[None]).softmax(1)[0]
    print(path, CLASSES[p.argmax()], f"{p.max():.2f}")
'''

IAI_OWN_HEAD_PREDICT = '''
from imageai.Classification.Custom import CustomImageClassification

# weights from our own PyTorch fine-tuning script (resnet50, dropout + linear head);
# ImageAI only does the inference side in the web app
predictor = CustomImageClassification()
predictor.setModelTypeAsResNet50()
predictor.setModelPath("models/resnet50_fabric_finetuned.pth")
predictor.setJsonPath("models/fabric_classes.json")
predictor.loadModel()

labels, probs = predictor.classifyImage("samples/roll_0193.jpg", result_count=3)
for label, p in zip(labels, probs):
    print(f"{label}: {p:.2f}%")
'''

OWN_HEAD_PREP = '''
import json
import os
import torch
import torch.nn as nn
import torchvision
os.makedirs("models", exist_ok=True)
m = torchvision.models.resnet50(weights=None)
m.fc = nn.Sequential(nn.Dropout(0.3), nn.Linear(2048, 3))
torch.save(m.state_dict(), "models/resnet50_fabric_finetuned.pth")
json.dump({"0": "hole", "1": "ok", "2": "stain"}, open("models/fabric_classes.json", "w"))
'''

# ============================================================ model.api_misuse
IAI_TRANSFER_FLAG = '''
import argparse

from imageai.Classification.Custom import ClassificationModelTrainer

parser = argparse.ArgumentParser(description="train the fruit classifier")
parser.add_argument("--data", default="fruits")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=4)
parser.add_argument("--transfer", action="store_true", help="start from the ImageNet MobileNetV2 weights")
args = parser.parse_args()

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(args.data)
trainer.trainModel(num_experiments=args.epochs, batch_size=args.batch_size,
                   transfer_from_model=args.transfer)
'''

SAVE_CLS = '''
import json
import os
import torch
import torchvision

for p in ("@@PT@@", "@@JSON@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
torch.save(torchvision.models.@@ARCH@@(num_classes=@@NC@@).state_dict(), "@@PT@@")
json.dump({str(i): c for i, c in enumerate(@@LABELS@@)}, open("@@JSON@@", "w"))
'''


def save_cls(arch, labels, pt, js):
    n = labels.count(",") + 1
    return prep(sub(SAVE_CLS, ARCH=arch, NC=str(n), PT=pt, JSON=js, LABELS=labels))


CELLS["imageai-custom-cls-classify-read-image-tensor-notebook"] = [
    '''
from imageai.Classification.Custom import CustomImageClassification

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-mushrooms-test_acc_0.91667_epoch-27.pt")
classifier.setJsonPath("models/mushrooms_model_classes.json")
classifier.loadModel()
''',
    '''
from torchvision.io import read_image

img = read_image("field_photos/IMG_4410.jpg")
print(img.shape, img.dtype)
labels, probs = classifier.classifyImage(img, result_count=2)
list(zip(labels, probs))
''',
]

SCRIPTS["keras-shift-ranges-ported-to-randomaffine"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# port of the Keras ImageDataGenerator settings that worked for us:
#   ImageDataGenerator(rotation_range=15, width_shift_range=0.1, height_shift_range=0.1,
#                      zoom_range=0.1, horizontal_flip=True)
train_tf = transforms.Compose([
    transforms.Resize((96, 96)),
    transforms.RandomAffine(degrees=15, translate=0.1, scale=(0.9, 1.1)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
train_ds = datasets.ImageFolder("data/xray_hands/train", transform=train_tf)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in DataLoader(train_ds, batch_size=8, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ============================================================ optim.divergence
CELLS["text-loss-chart-after-loss-went-nan-notebook"] = [
    '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

# no matplotlib on the lab server: draw the learning curve as text
def text_chart(history, width=40):
    top = max(history)
    for epoch, v in enumerate(history):
        print(f"{epoch:3d} {v:12.3f} |" + "#" * int(width * v / top))
''',
    '''
class AppleCounts(Dataset):
    """counts.csv: file,apples  -- apples counted by hand on each orchard photo"""

    def __init__(self, path):
        with open(path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((32, 32)), transforms.PILToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["file"]).convert("RGB")).float(), torch.tensor(float(r["apples"]))


torch.manual_seed(0)
ds = AppleCounts("data/orchard/counts.csv")
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
history = []
for epoch in range(6):
    total = 0.0
    for x, y in DataLoader(ds, batch_size=4, shuffle=True):
        loss = nn.functional.mse_loss(model(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    history.append(total)
''',
    '''
text_chart(history)
''',
]


def orchard_setup(work: Path):
    counts = [12, 37, 25, 48, 9, 31, 56, 18, 22, 41, 15, 29]
    make_images(work, [(f"data/orchard/img_{i:03d}.jpg", (64, 48), "RGB") for i in range(len(counts))])
    (work / "data/orchard/counts.csv").write_text(
        "file,apples\n" + "".join(f"data/orchard/img_{i:03d}.jpg,{c}\n" for i, c in enumerate(counts)))


SCRIPTS["unet-sgd-high-lr-detect-anomaly"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


class Block(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True))


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.enc2 = Block(3, 16), Block(16, 32)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec = Block(32, 16)
        self.out = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(nn.functional.max_pool2d(e1, 2))
        return self.out(self.dec(torch.cat([self.up(e2), e1], 1)))


class Cells(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.pil_to_tensor(Image.open(self.images[i]).convert("RGB")).float()   # raw 0-255 intensities
        mask = np.array(Image.open(self.images[i].replace("images", "masks"))) > 0
        return img, torch.from_numpy(mask).float()[None]


def dice_loss(logits, target, eps=1e-6):
    p = torch.sigmoid(logits)
    inter = (p * target).sum((1, 2, 3))
    return 1 - ((2 * inter + eps) / (p.sum((1, 2, 3)) + target.sum((1, 2, 3)) + eps)).mean()


torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)        # find where the NaNs come from
model = TinyUNet()
optimizer = torch.optim.SGD(model.parameters(), lr=1.0, momentum=0.9)   # the LR finder's "steepest" point
bce = nn.BCEWithLogitsLoss()
for epoch in range(20):
    for x, y in DataLoader(Cells("data/nuclei"), batch_size=2, shuffle=True):
        logits = model(x)
        loss = bce(logits, y) + dice_loss(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def nuclei_setup(work: Path):
    from PIL import Image, ImageDraw
    make_images(work, [(f"data/nuclei/images/n_{i:03d}.png", (48, 48), "RGB") for i in range(4)])
    (work / "data/nuclei/masks").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        m = Image.new("L", (48, 48), 0)
        ImageDraw.Draw(m).ellipse((10 + i, 12, 30 + i, 34), fill=255)
        m.save(work / f"data/nuclei/masks/n_{i:03d}.png")


# ============================================================ optim.autograd_graph
SCRIPTS["distillation-teacher-logits-precomputed-with-graph"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/flowers/train", transform=tf)
images = torch.stack([ds[i][0] for i in range(len(ds))])
labels = torch.tensor(ds.targets)

teacher = models.resnet34(weights=None, num_classes=len(ds.classes))
teacher.load_state_dict(torch.load("teacher_resnet34.pt"))
teacher.eval()
# the dataset is small: run the teacher once and reuse its soft targets every epoch
T = 4.0
teacher_logits = teacher(images)

student = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
for epoch in range(5):
    perm = torch.randperm(len(images))
    for start in range(0, len(images), 4):
        idx = perm[start:start + 4]
        s = student(images[idx])
        kd = F.kl_div(F.log_softmax(s / T, 1), F.softmax(teacher_logits[idx] / T, 1), reduction="batchmean") * T * T
        loss = 0.5 * kd + 0.5 * F.cross_entropy(s, labels[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

FLOWERS = class_folder("data/flowers/train", ["daisy", "rose", "tulip"], 4, size=(72, 72))

SCRIPTS["multilabel-focal-loss-pt-flipped-inplace-on-sigmoid"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

TAGS = ["agriculture", "cloudy", "road", "water"]
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class Planet(Dataset):
    def __init__(self, path):
        with open(path, newline="") as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        y = torch.zeros(len(TAGS))
        for t in r["tags"].split():
            y[TAGS.index(t)] = 1.0
        return tf(Image.open(r["file"]).convert("RGB")), y


def focal_loss(logits, targets, gamma=2.0):
    p = torch.sigmoid(logits)
    # p_t: probability of the true label for every tag
    p[targets == 0] = 1 - p[targets == 0]
    return (-(1 - p) ** gamma * torch.log(p.clamp(min=1e-6))).mean()


model = models.resnet18(weights=None, num_classes=len(TAGS))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in DataLoader(Planet("data/planet/train.csv"), batch_size=4, shuffle=True):
        loss = focal_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def planet_setup(work: Path):
    tags = ["agriculture road", "cloudy", "water", "agriculture water", "road", "cloudy water"]
    make_images(work, [(f"data/planet/img/train_{i}.jpg", (64, 64), "RGB") for i in range(len(tags))])
    (work / "data/planet/train.csv").write_text(
        "file,tags\n" + "".join(f"data/planet/img/train_{i}.jpg,{t}\n" for i, t in enumerate(tags)))


SCRIPTS["soft-f1-loss-in-numpy-rewrapped-in-tensor"] = '''
import torch
import torch.nn as nn
import numpy as np
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def soft_f1_loss(logits, targets):
    """1 - macro soft-F1, written in numpy so it matches the competition metric code exactly."""
    probs = torch.softmax(logits, dim=1).detach().numpy()
    onehot = np.eye(probs.shape[1])[targets.numpy()]
    tp = (probs * onehot).sum(0)
    fp = (probs * (1 - onehot)).sum(0)
    fn = ((1 - probs) * onehot).sum(0)
    f1 = 2 * tp / (2 * tp + fp + fn + 1e-8)
    return torch.tensor(1 - f1.mean(), dtype=torch.float32)


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/retina/train", transform=tf)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for x, y in DataLoader(ds, batch_size=8, shuffle=True):
        loss = soft_f1_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: soft-F1 loss {loss.item():.4f}")
'''

# ============================================================ resource.host_memory
SCRIPTS["preload-drone-frames-float32-then-stack-rlimit"] = '''
import glob
import resource

import torch
from PIL import Image
from torchvision.transforms import functional as TF

# the cluster login node kills jobs above 1.5 GB; keep this one inside that quota
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (int(1.5 * 1024 ** 3), hard))

frames = sorted(glob.glob("data/drone_flight_07/frames/*.jpg"))
print(f"caching {len(frames)} frames at 1024x1024 for the tracker")
cache = []
for f in frames:
    img = Image.open(f).convert("RGB").resize((1024, 1024))
    cache.append(TF.to_tensor(img))
clip = torch.stack(cache)           # (T, 3, 1024, 1024)
clip = (clip - clip.mean((0, 2, 3), keepdim=True)) / clip.std((0, 2, 3), keepdim=True)
torch.save(clip, "data/drone_flight_07/clip.pt")
'''

# ============================================================ env.multiprocessing
SCRIPTS["spawn-loader-local-target-transform-one-hot"] = '''
import torch
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    classes = datasets.ImageFolder("data/shoes/train").classes

    def to_soft_target(y):
        # label smoothing by hand: 0.9 on the true class, the rest spread over the others
        return F.one_hot(torch.tensor(y), len(classes)).float() * 0.9 + 0.1 / len(classes)

    ds = datasets.ImageFolder("data/shoes/train", transform=tf, target_transform=to_soft_target)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    mp.set_start_method("spawn")      # same behaviour as on the Windows workstation
    main()
'''

EXEC_RUNNER = '''
"""run.py: runs an experiment file inside this interpreter so its globals stay around for
inspection afterwards (python -i run.py), with the argv it expects."""
import sys

if __name__ == "__main__":
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    exec(compile(open(script).read(), script, "exec"))
'''

EXEC_TRAIN = '''
import glob
import os

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

mp.set_start_method("spawn", force=True)   # fork + OpenCV threads deadlocked on the Mac
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class LeafDataset(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        label = self.classes.index(os.path.basename(os.path.dirname(self.files[i])))
        return tf(Image.open(self.files[i]).convert("RGB")), label


ds = LeafDataset("data/leaves/train")
loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

# ============================================================ env.distributed
SCRIPTS["ddp-quality-head-only-on-scored-batches"] = '''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


class FruitNet(nn.Module):
    """class head + a ripeness-score head trained only where a score was annotated."""

    def __init__(self, n_classes=3):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.cls_head = nn.Linear(16, n_classes)
        self.score_head = nn.Linear(16, 1)

    def forward(self, x, with_score):
        f = self.backbone(x)
        return self.cls_head(f), (self.score_head(f).squeeze(1) if with_score else None)


def worker(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29617"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    torch.manual_seed(0)
    n = 32
    x = torch.randn(n, 3, 32, 32)
    y = torch.randint(0, 3, (n,))
    score = torch.rand(n)
    has_score = torch.arange(n) % 16 < 8            # only the first annotation batch of each 16 has scores
    ds = TensorDataset(x, y, score, has_score)
    loader = DataLoader(ds, batch_size=4, sampler=DistributedSampler(ds, num_replicas=world_size, rank=rank, shuffle=False))
    model = DDP(FruitNet())
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for step, (xb, yb, sb, mb) in enumerate(loader):
        logits, pred_score = model(xb, with_score=bool(mb.any()))
        loss = F.cross_entropy(logits, yb)
        if pred_score is not None:
            loss = loss + F.mse_loss(pred_score[mb], sb[mb])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if rank == 0:
            print(f"step {step}: loss {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(worker, args=(2,), nprocs=2)
'''

# ============================================================ env.version_incompat
SCRIPTS["old-yolo-repo-labels-np-object-ragged-boxes"] = '''
import glob
import os

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms.functional import resize


class YoloLabels(Dataset):
    """(from the 2019 YOLOv3 repo we started from) caches all label files as one object array."""

    def __init__(self, root, img_size=320):
        self.img_files = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.label_files = [p.replace("images", "labels").replace(".jpg", ".txt") for p in self.img_files]
        self.img_size = img_size
        labels = [np.loadtxt(f, ndmin=2).astype(np.float32) for f in self.label_files]
        self.labels = np.array(labels, dtype=np.object)

    def __len__(self):
        return len(self.img_files)

    def __getitem__(self, i):
        img = resize(read_image(self.img_files[i]), [self.img_size, self.img_size]).float() / 255
        return img, torch.from_numpy(self.labels[i])


def collate_fn(batch):
    imgs, targets = zip(*batch)
    return torch.stack(imgs), [t for t in targets]


loader = DataLoader(YoloLabels("data/helmets/train"), batch_size=4, collate_fn=collate_fn)
for imgs, targets in loader:
    print(imgs.shape, [t.shape for t in targets])
'''

HELMETS = [(f"data/helmets/train/images/site_{i:03d}.jpg", (160, 120), "RGB") for i in range(4)]


def helmet_labels(work: Path):
    d = work / "data/helmets/train/labels"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(4):
        rows = "".join(f"{k % 2} {0.2 + 0.2 * k:.3f} 0.400 0.100 0.150\n" for k in range(1 + i % 3))
        (d / f"site_{i:03d}.txt").write_text(rows)


SCRIPTS["resume-checkpoint-config-holds-pathlib-paths"] = '''
import argparse
from pathlib import Path

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--data", type=Path, default=Path("data/birds"))
parser.add_argument("--out", type=Path, default=Path("runs/birds"))
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--resume", type=Path, default=Path("runs/birds/last.pt"))
args = parser.parse_args()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder(args.data / "train", transform=tf)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
start_epoch = 0
if args.resume.exists():
    ckpt = torch.load(args.resume, map_location="cpu")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    start_epoch = ckpt["epoch"] + 1
    print(f"resumed from epoch {ckpt['epoch']}")

for epoch in range(start_epoch, args.epochs):
    for x, y in DataLoader(ds, batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                "config": vars(args)}, args.out / "last.pt")
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

BIRDS_CKPT = '''
import os
from pathlib import Path
import torch
import torchvision
os.makedirs("runs/birds", exist_ok=True)
m = torchvision.models.resnet18(num_classes=2)
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
cfg = {"data": Path("data/birds"), "out": Path("runs/birds"), "epochs": 6, "resume": Path("runs/birds/last.pt")}
torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "epoch": 2, "config": cfg}, "runs/birds/last.pt")
'''

# ============================================================ other
SCRIPTS["dataset-returns-path-for-error-analysis-loop-unpacks-two"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class ImageFolderWithPaths(datasets.ImageFolder):
    """Also return the file path so misclassified images can be looked at later."""

    def __getitem__(self, index):
        image, label = super().__getitem__(index)
        return image, label, self.samples[index][0]


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = ImageFolderWithPaths("data/fish/train", transform=tf)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    model.train()
    for images, labels in DataLoader(train_ds, batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

CELLS["import-tqdm-module-called-notebook"] = [
    '''
import torch
import torch.nn as nn
import tqdm
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/weather/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    running = 0.0
    for images, labels in tqdm(train_loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(epoch, running / len(train_loader))
''',
]

SCRIPTS["labels-json-int-keys-reloaded-as-strings-workers"] = '''
import glob
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class Skins(Dataset):
    """images/<image id>.jpg, labels.json: {image id: class id} written by prepare_labels.py"""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        with open(os.path.join(root, "labels.json")) as f:
            self.labels = json.load(f)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        image_id = int(os.path.splitext(os.path.basename(self.files[i]))[0])
        return tf(Image.open(self.files[i]).convert("RGB")), self.labels[image_id]


def main():
    loader = DataLoader(Skins("data/skin"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=3)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def skin_setup(work: Path):
    import json
    ids = [1021, 1035, 1102, 1187, 1240, 1299, 1306, 1411]
    make_images(work, [(f"data/skin/images/{i}.jpg", (80, 80), "RGB") for i in ids])
    # prepare_labels.py did json.dump({image_id: label}) with int keys
    (work / "data/skin/labels.json").write_text(json.dumps({i: k % 3 for k, i in enumerate(ids)}))


# ============================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more31-", SCRIPTS, CELLS)

    def iai(name, cause, files, forms=("cpython_basic",), argv="train.py", args=(), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, files, forms=forms, argv=[argv, *args], **kw)

    def iai_nb(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, nb(cells), forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    W = ["cpython_basic", "dataloader_worker"]
    P = ["cpython_basic", "progress_bars?"]

    # ------------------------------------------------------------- data.image_size_mismatch
    script("parking-two-cameras-interpolate-scale-factor-stack", "data.image_size_mismatch", setup=parking_setup)
    script("microscopy-two-magnifications-resize-int-val-workers", "data.image_size_mismatch", forms=W,
           setup=histo_setup, timeout=400)

    # ----------------------------------------------------------------- data.image_channels
    script("satellite-rgb-nir-png-tiles-resnet18", "data.image_channels",
           setup=imgs(class_folder("data/sentinel_tiles/train", ["forest", "pasture", "residential", "river"], 2,
                                   size=(64, 64), mode="RGBA", ext="png")))
    script("signature-scans-la-png-predict-loop", "data.image_channels", argv="predict.py", args=("incoming",),
           setup=signature_setup)

    # ------------------------------------------------------------------- data.bbox_invalid
    script("crack-instance-masks-to-boxes-one-pixel-wide", "data.bbox_invalid", setup=bridge_setup, timeout=400)
    iai("det-spreadsheet-export-decimal-commas", "data.bbox_invalid",
        {"train.py": det_train(DECIMAL_COMMA_PRE, datadir="beehive", classes='["bee", "varroa"]')}, forms=P,
        setup=beehive_setup)

    # ------------------------------------------------------------- data.label_out_of_range
    script("herbarium-genus-head-reads-species-column", "data.label_out_of_range", setup=herbarium_setup)
    script("class-weights-bincount-over-stray-unknown-label", "data.label_out_of_range",
           also=["model.output_mismatch"], setup=waste_setup)

    # ------------------------------------------------------------------- data.label_shape
    script("dataset-returns-tag-ids-list-for-future-multilabel", "data.label_shape", setup=sky_setup)
    script("face-attributes-gender-race-pair-into-gender-head", "data.label_shape", setup=utk_setup)

    # ------------------------------------------------------------------------ data.dtype
    script("melanoma-metadata-float16-npy-mlp-branch", "data.dtype",
           setup=both(imgs([(f"data/isic/images/ISIC_{i:07d}.jpg", (80, 80), "RGB") for i in range(8)]),
                      prep(ISIC_PREP)))
    script("defect-bce-float-labels-index-class-weights", "data.dtype", setup=welds_setup)
    script("cpu-bf16-autocast-weighted-loss-after-block", "data.dtype",
           setup=imgs(class_folder("data/coral/train", ["bleached", "healthy"], 3, size=(96, 96))))

    # -------------------------------------------------------------- data.missing_or_corrupt
    script("wildlife-glob-double-star-without-recursive", "data.missing_or_corrupt", setup=imgs(TRAPS))
    notebook("cv2-imread-tilde-path-notebook", "data.missing_or_corrupt", setup=imgs(POTHOLES))
    iai("cls-test-split-cloud-sync-zero-byte-placeholders", "data.missing_or_corrupt",
        {"train.py": sub(IAI_CLS_TRAIN, DIR="insects", EPOCHS="3", BS="4")}, forms=P, setup=cloud_placeholders)

    # ------------------------------------------------------------------ data.too_few_boxes
    iai("det-labels-exported-with-one-decimal-anchor-kmeans", "data.too_few_boxes",
        {"train.py": det_train(datadir="pallets", classes='["pallet", "forklift"]')}, forms=P,
        setup=yolo_layout("pallets", one_decimal_labels, size=(320, 240), splits=(("train", 8), ("validation", 2))))

    # ------------------------------------------------------------------ model.input_shape
    script("plate-characters-16px-into-net-built-for-32px", "model.input_shape",
           setup=both(imgs(PLATE_CHARS), prep(CHARNET_PREP)))
    script("totensor-then-permute-from-cv2-pipeline-input-bn", "model.input_shape",
           setup=imgs(class_folder("data/cassava/train", ["cbb", "cmd", "healthy"], 3, size=(80, 80))))

    # --------------------------------------------------------------- model.output_mismatch
    script("head-sized-from-val-folder-before-new-class-labelled", "model.output_mismatch",
           also=["data.label_out_of_range"], setup=imgs(PESTS))
    script("deeplab-voc-checkpoint-head-kept-binary-road-masks", "model.output_mismatch", setup=roads_setup,
           timeout=400)

    # -------------------------------------------------------------- model.weights_mismatch
    script("predict-script-arch-default-resnet18-trained-resnet34", "model.weights_mismatch", argv="predict.py",
           args=("samples/dog_01.jpg",),
           setup=both(imgs([("samples/dog_01.jpg", (120, 100), "RGB")]),
                      prep("import os, torch, torchvision\nos.makedirs('runs', exist_ok=True)\n"
                           "torch.save(torchvision.models.resnet34(num_classes=4).state_dict(), 'runs/dogs_best.pth')\n")))
    iai("custom-cls-own-dropout-head-resnet50-checkpoint", "model.weights_mismatch",
        {"predict.py": IAI_OWN_HEAD_PREDICT}, argv="predict.py", exception="Exception",
        setup=both(imgs([("samples/roll_0193.jpg", (160, 120), "RGB")]), prep(OWN_HEAD_PREP)))

    # ------------------------------------------------------------------- model.api_misuse
    iai("cls-trainer-transfer-from-model-store-true-flag", "model.api_misuse",
        {"train.py": IAI_TRANSFER_FLAG}, args=("--transfer", "--epochs", "5"),
        setup=imgs(class_folder("fruits/train", ["apple", "pear"], 3, size=(96, 96))
                   + class_folder("fruits/test", ["apple", "pear"], 1, size=(96, 96))))
    iai_nb("custom-cls-classify-read-image-tensor-notebook", "model.api_misuse",
           CELLS["imageai-custom-cls-classify-read-image-tensor-notebook"],
           setup=both(save_cls("mobilenet_v2", '["chanterelle", "fly_agaric", "porcini"]',
                               "models/mobilenet_v2-mushrooms-test_acc_0.91667_epoch-27.pt",
                               "models/mushrooms_model_classes.json"),
                      imgs([("field_photos/IMG_4410.jpg", (240, 180), "RGB")])))
    script("keras-shift-ranges-ported-to-randomaffine", "model.api_misuse",
           setup=imgs(class_folder("data/xray_hands/train", ["fracture", "normal"], 2, size=(96, 96), mode="L")))

    # ------------------------------------------------------------------- optim.divergence
    notebook("text-loss-chart-after-loss-went-nan-notebook", "optim.divergence", setup=orchard_setup)
    script("unet-sgd-high-lr-detect-anomaly", "optim.divergence", setup=nuclei_setup)

    # ---------------------------------------------------------------- optim.autograd_graph
    script("distillation-teacher-logits-precomputed-with-graph", "optim.autograd_graph",
           setup=both(imgs(FLOWERS), prep("import torch, torchvision\ntorch.save(torchvision.models.resnet34("
                                          "num_classes=3).state_dict(), 'teacher_resnet34.pt')\n")))
    script("multilabel-focal-loss-pt-flipped-inplace-on-sigmoid", "optim.autograd_graph", setup=planet_setup)
    script("soft-f1-loss-in-numpy-rewrapped-in-tensor", "optim.autograd_graph",
           setup=imgs(class_folder("data/retina/train", ["dr", "glaucoma", "normal"], 3, size=(64, 64))))

    # ---------------------------------------------------------------- resource.host_memory
    script("preload-drone-frames-float32-then-stack-rlimit", "resource.host_memory", argv="cache_frames.py",
           setup=imgs([(f"data/drone_flight_07/frames/frame_{i:05d}.jpg", (64, 48), "RGB") for i in range(60)]))

    # ----------------------------------------------------------------- env.multiprocessing
    script("spawn-loader-local-target-transform-one-hot", "env.multiprocessing",
           setup=imgs(class_folder("data/shoes/train", ["boot", "sandal", "sneaker"], 2, size=(64, 64))))
    add("exec-runner-spawn-workers-cant-find-dataset-class", "env.multiprocessing",
        {"run.py": EXEC_RUNNER, "train_leaves.py": EXEC_TRAIN}, argv=["run.py", "train_leaves.py"],
        setup=imgs(class_folder("data/leaves/train", ["healthy", "rust"], 3, size=(64, 64))))

    # -------------------------------------------------------------------- env.distributed
    script("ddp-quality-head-only-on-scored-batches", "env.distributed",
           forms=["cpython_basic", "multiline_message"], timeout=300)

    # -------------------------------------------------------------- env.version_incompat
    script("old-yolo-repo-labels-np-object-ragged-boxes", "env.version_incompat",
           forms=["cpython_basic", "multiline_message"], setup=both(imgs(HELMETS), helmet_labels))
    script("resume-checkpoint-config-holds-pathlib-paths", "env.version_incompat",
           forms=["cpython_basic", "multiline_message"],
           setup=both(imgs(class_folder("data/birds/train", ["robin", "wren"], 2, size=(64, 64))), prep(BIRDS_CKPT)))

    # ----------------------------------------------------------------------------- other
    script("dataset-returns-path-for-error-analysis-loop-unpacks-two", "other",
           setup=imgs(class_folder("data/fish/train", ["bass", "carp", "trout"], 2, size=(64, 64))))
    notebook("import-tqdm-module-called-notebook", "other",
             setup=imgs(class_folder("data/weather/train", ["fog", "rain", "sunny"], 2, size=(64, 64))))
    script("labels-json-int-keys-reloaded-as-strings-workers", "other", forms=W, setup=skin_setup)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
