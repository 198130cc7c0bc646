"""A twenty-sixth held-out set of PyTorch / torchvision / ImageAI 3 failures: an untargeted
sample over every cause id, as beginners and notebook users write training code on their
own images (copied tutorials, torchvision models built with ``weights=None``, custom
``Dataset`` classes, ``ImageFolder``, Faster R-CNN / RetinaNet / SSDlite built from
scratch, ImageAI 3 detection training).

Images of two sizes in a ``make_grid`` preview and in a ``ConcatDataset`` of two folders
with two transform recipes; thermal frames read grey into SSDlite; greyscale JPEGs through
``np.transpose``. Boxes cast to int while still normalised, a TF-object-detection CSV read
one column off. Age groups from ``np.digitize`` (one bin too many), Oxford-pets 1-based
class ids in a smoothed target. Frame-wise clips against clip labels, box-and-class targets
into ``CrossEntropyLoss``. Float64 box targets under a GIoU loss, float labels to ``one_hot``. A
case-sensitive glob and a COCO ``file_name`` whose folder is joined twice. ImageAI anchor
k-means on synthetic paste-ins of two sizes and on a three-image pilot. A batch permuted
for ``imshow`` reused for training, a ResNet-50 head width on a ResNet-18. SSDlite's head
rebuilt with SSD300 anchor counts, RetinaNet's ``cls_logits`` replaced without its
``num_classes``. An optimizer state saved as the weights, a checkpoint resumed after a new
class folder. ``num_workers=-1``, a transform called on a path. RetinaNet at lr 2 under
anomaly detection, a find-then-classify pipeline whose pixel-box loss diverges until its crop padding asks for exabytes. An in-place
squeeze-excite multiply, ``set_grad_enabled(False)`` left by an inference cell. Anchor-recall
IoU over the whole dataset, a near-duplicate similarity matrix. GPU queries and a CUDA
generator on a CPU box. ``np.alltrue`` and ``Image.LINEAR`` in old helpers. A ``csv.reader``
and a local ``worker_init_fn`` under spawn. A rank-0 checkpoint read by rank 1 too early and
DDP around a fully frozen probe. ``StopIteration`` from a hand-counted epoch and numpy keys
in a class-index JSON.

With ``EE_GPU=1`` (on a CUDA machine, through the device tool) it writes only the GPU cases:
out of memory (VGG-16 at 1024 px, Faster R-CNN at full drone resolution) and tensors on two
devices (Faster R-CNN targets left on the CPU, an EMA copy made before ``.to``).

ImageAI 3 detection trainers here all fail before their validation step (which fails on
NumPy 2 with ``np.trapz``). Every case is a small real program run on CPU with the torch
venv (no downloads); the label is known by construction.

    /work/venvs/torch/bin/python corpus/generators/torch_more26.py [-k filter] [--out DIR] [-j N]
"""

import csv
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, write, yolo_layout  # noqa: E402

SRC = "corpus/generators/torch_more26.py"


# ====================================================================== setups
def det_json(root, n, size, boxes, name="labels.json", extra=None):
    def setup(work: Path):
        make_images(work, [(f"{root}/images/img_{i:03d}.jpg", size, "RGB") for i in range(n)])
        items = []
        for i in range(n):
            b = boxes(i)
            it = {"file": f"images/img_{i:03d}.jpg", "boxes": b, "labels": [1 + j % 2 for j in range(len(b))]}
            if extra:
                it.update(extra(i))
            items.append(it)
        (work / root / name).write_text(json.dumps(items, indent=1))
    return setup


def spread_boxes(i, w=160, h=120):
    b = [[10 + 3 * i, 12, 60 + 3 * i, 70], [80, 30 + 2 * i, 140, 100]]
    if i % 2:
        b.append([30, 75, 70, 110])
    return [[min(x1, w - 2), min(y1, h - 2), min(x2, w - 1), min(y2, h - 1)] for x1, y1, x2, y2 in b]


parts = det_json("data/parts", 8, (160, 120), spread_boxes)
flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 4, size=(72, 64))
               + class_folder("flowers/val", ("daisy", "rose", "tulip"), 2, size=(72, 64)))
mushrooms = imgs(class_folder("data/mushrooms/train", ("chanterelle", "morel", "porcini", "shiitake"), 4,
                              size=(64, 64)))


# ====================================================================== scripts
SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ 1. image sizes
CELLS["make-grid-preview-unresized-samples-notebook"] = [
    r'''import glob
import torch
import torchvision
from PIL import Image
from torch.utils.data import Dataset
from torchvision import transforms''',
    r'''class CoinDataset(Dataset):
    def __init__(self, files, transform=None):
        self.files = files
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB")
        label = 0 if "heads" in self.files[i] else 1
        if self.transform:
            img = self.transform(img)
        return img, label

files = sorted(glob.glob("coins/*/*.jpg"))
# resizing comes later in the training transforms, first just look at the data
preview_ds = CoinDataset(files, transform=transforms.ToTensor())
print(len(preview_ds), "images")''',
    r'''samples = [preview_ds[i][0] for i in range(8)]
grid = torchvision.utils.make_grid(samples, nrow=4, padding=2)
transforms.ToPILImage()(grid).save("preview.png")''',
]
coins = imgs([(f"coins/{'heads' if i % 2 else 'tails'}/coin_{i:03d}.jpg",
               (80, 80) if i % 3 else (96, 72), "RGB") for i in range(10)])

SCRIPTS["concat-two-imagefolders-different-resize-workers"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import ConcatDataset, DataLoader
from torchvision import datasets, models, transforms

# our own phone photos
own_tf = transforms.Compose([
    transforms.Resize((96, 96)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
# the Kaggle set, transforms copied from the Kaggle notebook that came with it
kaggle_tf = transforms.Compose([
    transforms.Resize(128),
    transforms.CenterCrop(112),
    transforms.ToTensor(),
])

own = datasets.ImageFolder("data/own_photos", transform=own_tf)
extra = datasets.ImageFolder("data/kaggle_extra", transform=kaggle_tf)
assert own.classes == extra.classes
train_ds = ConcatDataset([own, extra])
print(f"{len(own)} own + {len(extra)} extra images, classes {own.classes}")

loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)
model = models.resnet18(weights=None, num_classes=len(own.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()

if __name__ == "__main__":
    for epoch in range(3):
        for images, labels in loader:
            loss = loss_fn(model(images), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''
two_sources = imgs(class_folder("data/own_photos", ("cat", "dog"), 5, size=(120, 90))
                   + class_folder("data/kaggle_extra", ("cat", "dog"), 5, size=(150, 150)))

# ------------------------------------------------------------------ 2. image channels
SCRIPTS["ssdlite-thermal-gray-frames-image-mean-one-value"] = r'''
import json

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.models.detection import ssdlite320_mobilenet_v3_large


class ThermalFrames(Dataset):
    """FLIR frames exported as 8-bit greyscale PNGs, boxes in pixels."""

    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = read_image(f"{self.root}/{it['file']}", mode=ImageReadMode.GRAY).float() / 255.0
        target = {"boxes": torch.tensor(it["boxes"], dtype=torch.float32),
                  "labels": torch.tensor(it["labels"], dtype=torch.int64)}
        return img, target


def collate(batch):
    return tuple(zip(*batch))


# thermal images have one channel, so one mean and one std
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3,
                                      image_mean=[0.5], image_std=[0.25])
loader = DataLoader(ThermalFrames("data/thermal"), batch_size=4, shuffle=True, collate_fn=collate)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

model.train()
for epoch in range(5):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''


def thermal(work: Path):
    make_images(work, [(f"data/thermal/images/frame_{i:04d}.png", (160, 120), "L") for i in range(8)])
    items = [{"file": f"images/frame_{i:04d}.png", "boxes": spread_boxes(i), "labels": [1, 2] + [1] * (i % 2)}
             for i in range(8)]
    (work / "data/thermal/labels.json").write_text(json.dumps(items))


SCRIPTS["np-array-transpose-grayscale-jpgs-workers"] = r'''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class XrayDataset(Dataset):
    def __init__(self, csv_file, size=64):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.size = size

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        img = Image.open("data/xray/" + row["image"]).resize((self.size, self.size))
        img = np.array(img, dtype=np.float32) / 255.0
        img = img.transpose(2, 0, 1)          # HWC -> CHW for pytorch
        return torch.from_numpy(img), int(row["pneumonia"])


def main():
    ds = XrayDataset("data/xray/train.csv")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, "loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
'''


def xray(work: Path):
    make_images(work, [(f"data/xray/img_{i:04d}.jpg", (96, 96), "L") for i in range(8)])
    with open(work / "data/xray/train.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image", "pneumonia"])
        for i in range(8):
            w.writerow([f"img_{i:04d}.jpg", i % 2])


# ------------------------------------------------------------------ 3. boxes
SCRIPTS["frcnn-normalised-coords-int-cast-zero-boxes-tqdm"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F
from tqdm import tqdm

CLASSES = ["__background__", "pothole", "crack"]


class RoadDataset(Dataset):
    def __init__(self, root):
        self.root = root
        # export from the labelling web app: one record per image
        self.records = json.load(open(f"{root}/export.json"))

    def __len__(self):
        return len(self.records)

    def __getitem__(self, idx):
        rec = self.records[idx]
        img = Image.open(f"{self.root}/{rec['image']}").convert("RGB")
        boxes, labels = [], []
        for obj in rec["objects"]:
            b = obj["bbox"]
            # pixel coordinates as ints for the model
            boxes.append([int(b["xmin"]), int(b["ymin"]), int(b["xmax"]), int(b["ymax"])])
            labels.append(CLASSES.index(obj["label"]))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}
        return F.to_tensor(img), target


loader = DataLoader(RoadDataset("data/roads"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

model.train()
for epoch in range(10):
    pbar = tqdm(loader, desc=f"Epoch {epoch + 1}/10")
    for images, targets in pbar:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{losses.item():.3f}")
'''


def roads(work: Path):
    make_images(work, [(f"data/roads/img_{i:03d}.jpg", (200, 150), "RGB") for i in range(6)])
    recs = []
    for i in range(6):
        objs = [{"label": "pothole", "bbox": {"xmin": 0.12 + 0.01 * i, "ymin": 0.31, "xmax": 0.43, "ymax": 0.66}},
                {"label": "crack", "bbox": {"xmin": 0.52, "ymin": 0.18, "xmax": 0.91, "ymax": 0.35 + 0.02 * i}}]
        recs.append({"image": f"img_{i:03d}.jpg", "width": 200, "height": 150, "objects": objs})
    (work / "data/roads/export.json").write_text(json.dumps(recs, indent=1))


SCRIPTS["ssdlite-tfod-csv-box-columns-off-by-one"] = r'''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import functional as F

CLASSES = ["background", "helmet", "head"]


class HelmetCSV(Dataset):
    """train_labels.csv as written by the xml_to_csv.py script of the TF object detection tutorial."""

    def __init__(self, csv_path, image_dir):
        self.image_dir = image_dir
        self.boxes = defaultdict(list)
        self.labels = defaultdict(list)
        with open(csv_path) as f:
            reader = csv.reader(f)
            next(reader)                       # header
            for row in reader:
                fname = row[0]
                self.boxes[fname].append([float(v) for v in row[3:7]])   # xmin, ymin, xmax, ymax
                self.labels[fname].append(CLASSES.index(row[3]))
        self.files = sorted(self.boxes)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        f = self.files[i]
        img = F.to_tensor(Image.open(f"{self.image_dir}/{f}").convert("RGB"))
        return img, {"boxes": torch.tensor(self.boxes[f]), "labels": torch.tensor(self.labels[f])}


ds = HelmetCSV("data/helmets/train_labels.csv", "data/helmets/images")
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(20):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def helmets_csv(work: Path):
    make_images(work, [(f"data/helmets/images/hard_hat_workers{i}.png", (160, 120), "RGB") for i in range(6)])
    with open(work / "data/helmets/train_labels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["filename", "width", "height", "class", "xmin", "ymin", "xmax", "ymax"])
        for i in range(6):
            for j, (x1, y1, x2, y2) in enumerate(spread_boxes(i)):
                w.writerow([f"hard_hat_workers{i}.png", 160, 120, "helmet" if j % 2 == 0 else "head", x1, y1, x2, y2])


# ------------------------------------------------------------------ 4. classes out of range
SCRIPTS["age-groups-np-digitize-five-bins-one-hot"] = r'''
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

AGE_GROUPS = ["child", "teen", "adult", "senior"]
BIN_EDGES = [13, 20, 40, 60]          # upper edges of child / teen / adult / senior
SMOOTHING = 0.1

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class FaceAges(Dataset):
    def __init__(self, csv_file):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        group = int(np.digitize(int(r["age"]), BIN_EDGES))
        return tf(Image.open("data/faces/" + r["file"]).convert("RGB")), group


loader = DataLoader(FaceAges("data/faces/ages.csv"), batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(AGE_GROUPS))
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)

for epoch in range(10):
    for images, groups in loader:
        soft = F.one_hot(groups, num_classes=len(AGE_GROUPS)).float()
        soft = soft * (1 - SMOOTHING) + SMOOTHING / len(AGE_GROUPS)
        loss = torch.sum(-soft * F.log_softmax(model(images), dim=1), dim=1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss={loss.item():.4f}")
'''


def faces(work: Path):
    ages = [4, 9, 15, 17, 23, 31, 38, 45, 52, 58, 66, 71, 12, 27, 35, 61]
    make_images(work, [(f"data/faces/face_{i:03d}.jpg", (72, 72), "RGB") for i in range(len(ages))])
    with open(work / "data/faces/ages.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "age"])
        for i, a in enumerate(ages):
            w.writerow([f"face_{i:03d}.jpg", a])


SCRIPTS["pets-list-txt-class-id-soft-targets-workers"] = r'''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

NUM_BREEDS = 4
EPS = 0.1


class Pets(Dataset):
    """Oxford-IIIT Pet layout: annotations/list.txt + images/<name>.jpg"""

    def __init__(self, root):
        self.root = root
        self.items = []
        for line in open(f"{root}/annotations/list.txt"):
            if line.startswith("#"):
                continue
            name, class_id, species, breed_id = line.split()
            self.items.append((name, int(class_id)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, class_id = self.items[i]
        target = np.full(NUM_BREEDS, EPS / NUM_BREEDS, dtype=np.float32)
        target[class_id] += 1.0 - EPS
        img = Image.open(f"{self.root}/images/{name}.jpg").convert("RGB")
        return self.tf(img), torch.from_numpy(target)


def main():
    loader = DataLoader(Pets("data/pets"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=NUM_BREEDS)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()        # accepts class probabilities as targets
    for epoch in range(5):
        for x, y in loader:
            loss = loss_fn(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def pets(work: Path):
    breeds = ["Abyssinian", "Bengal", "beagle", "pug"]
    lines = ["#Image CLASS-ID SPECIES BREED ID", "#ID: 1:37 Class ids", "#SPECIES: 1:Cat 2:Dog",
             "#BREED ID: 1-25:Cat 1:12:Dog", "#All images with 1st letter as captial are cat images"]
    specs = []
    for c, b in enumerate(breeds, 1):
        for k in range(3):
            lines.append(f"{b}_{100 + k} {c} {1 if b[0].isupper() else 2} {c if b[0].isupper() else c - 2}")
            specs.append((f"data/pets/images/{b}_{100 + k}.jpg", (80, 70), "RGB"))
    make_images(work, specs)
    (work / "data/pets/annotations").mkdir(parents=True, exist_ok=True)
    (work / "data/pets/annotations/list.txt").write_text("\n".join(lines) + "\n")


# ------------------------------------------------------------------ 5. label shape
SCRIPTS["frame-wise-cnn-clip-labels-not-repeated"] = r'''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

ACTIONS = sorted(os.listdir("data/clips"))
FRAMES = 8
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])


class Clips(Dataset):
    """data/clips/<action>/<clip_id>/frame_XX.jpg, one label per clip"""

    def __init__(self):
        self.clips = [(d, ACTIONS.index(d.split(os.sep)[-2])) for d in sorted(glob.glob("data/clips/*/*"))]

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, i):
        d, label = self.clips[i]
        frames = sorted(glob.glob(os.path.join(d, "*.jpg")))[:FRAMES]
        return torch.stack([tf(Image.open(f).convert("RGB")) for f in frames]), label


loader = DataLoader(Clips(), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ACTIONS))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(5):
    for clips, labels in loader:
        b, t, c, h, w = clips.shape
        frames = clips.view(b * t, c, h, w)       # run the 2D CNN on every frame
        outputs = model(frames)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
clips = imgs([(f"data/clips/{a}/clip_{c:02d}/frame_{k:02d}.jpg", (80, 60), "RGB")
              for a in ("jump", "run", "wave") for c in range(2) for k in range(8)])

SCRIPTS["single-object-localizer-full-target-into-crossentropy"] = r'''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["cat", "dog", "rabbit"]


class PetBoxes(Dataset):
    """one animal per photo: target = [class, x1, y1, x2, y2] (box normalised)"""

    def __init__(self, root):
        self.root = root
        self.ann = json.load(open(f"{root}/annotations.json"))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.ann)

    def __getitem__(self, i):
        a = self.ann[i]
        img = Image.open(f"{self.root}/{a['file']}").convert("RGB")
        w, h = img.size
        x1, y1, x2, y2 = a["box"]
        target = torch.tensor([CLASSES.index(a["class"]), x1 / w, y1 / h, x2 / w, y2 / h], dtype=torch.float32)
        return self.tf(img), target


class Localizer(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.cls_head = nn.Linear(512, n_classes)
        self.box_head = nn.Sequential(nn.Linear(512, 4), nn.Sigmoid())

    def forward(self, x):
        f = self.backbone(x)
        return self.cls_head(f), self.box_head(f)


model = Localizer(len(CLASSES))
loader = DataLoader(PetBoxes("data/petbox"), batch_size=4, shuffle=True)
cls_loss, box_loss = nn.CrossEntropyLoss(), nn.SmoothL1Loss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(10):
    for images, targets in loader:
        logits, boxes = model(images)
        loss = cls_loss(logits, targets) + box_loss(boxes, targets[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def petbox(work: Path):
    make_images(work, [(f"data/petbox/p_{i:03d}.jpg", (120, 100), "RGB") for i in range(8)])
    ann = [{"file": f"p_{i:03d}.jpg", "class": ["cat", "dog", "rabbit"][i % 3], "box": [10 + i, 15, 90, 80 + i]}
           for i in range(8)]
    (work / "data/petbox/annotations.json").write_text(json.dumps(ann))


# ------------------------------------------------------------------ 6. dtypes
SCRIPTS["localizer-float64-box-targets-giou-loss"] = r'''
import json

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from torchvision.ops import generalized_box_iou_loss


class LicensePlates(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/plates.json"))
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = Image.open(f"{self.root}/{it['file']}").convert("RGB")
        w, h = img.size
        box = np.array(it["plate"]) / np.array([w, h, w, h])     # normalise to 0-1
        return self.tf(img), torch.from_numpy(box)


model = models.resnet18(weights=None)
model.fc = nn.Sequential(nn.Linear(512, 4), nn.Sigmoid())
loader = DataLoader(LicensePlates("data/plates"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
l1 = nn.L1Loss()

for epoch in range(20):
    total = 0.0
    for images, boxes in loader:
        pred = model(images)
        loss = l1(pred, boxes) + generalized_box_iou_loss(pred, boxes, reduction="mean")
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: loss {total / len(loader):.5f}")
'''


def plates(work: Path):
    make_images(work, [(f"data/plates/car_{i:03d}.jpg", (160, 120), "RGB") for i in range(8)])
    items = [{"file": f"car_{i:03d}.jpg", "plate": [50 + i, 80, 110 + i, 100]} for i in range(8)]
    (work / "data/plates/plates.json").write_text(json.dumps(items))


CELLS["label-smoothing-one-hot-float-labels-loadtxt-notebook"] = [
    r'''import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset
from torchvision import transforms''',
    r'''# labels.txt: one class id per line, same order as the image list
files = [l.strip() for l in open("data/bees/files.txt")]
labels = np.loadtxt("data/bees/labels.txt")
tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
X = torch.stack([tf(Image.open("data/bees/" + f).convert("RGB")) for f in files])
y = torch.from_numpy(labels)
train_loader = DataLoader(TensorDataset(X, y), batch_size=4, shuffle=True)
print(X.shape, y[:5])''',
    r'''model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

def smooth_ce(logits, target, eps=0.1):
    n = logits.size(1)
    soft = F.one_hot(target, n).float() * (1 - eps) + eps / n
    return -(soft * F.log_softmax(logits, 1)).sum(1).mean()''',
    r'''for epoch in range(5):
    for xb, yb in train_loader:
        loss = smooth_ce(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]


def bees(work: Path):
    make_images(work, [(f"data/bees/b_{i:03d}.jpg", (60, 60), "RGB") for i in range(9)])
    (work / "data/bees/files.txt").write_text("".join(f"b_{i:03d}.jpg\n" for i in range(9)))
    (work / "data/bees/labels.txt").write_text("".join(f"{i % 3}\n" for i in range(9)))


# ------------------------------------------------------------------ 7. missing / corrupt
SCRIPTS["glob-lowercase-jpg-camera-uppercase-JPG"] = r'''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["defect", "ok"]


class Welds(Dataset):
    def __init__(self, root, tf):
        self.samples = []
        for label, cls in enumerate(CLASSES):
            for path in glob.glob(os.path.join(root, cls, "*.jpg")):
                self.samples.append((path, label))
        self.tf = tf

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return self.tf(Image.open(path).convert("RGB")), label


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = Welds("data/welds/train", tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(10):
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
welds = imgs([(f"data/welds/train/{c}/DSC_{i:04d}.JPG", (80, 60), "RGB") for c in ("defect", "ok") for i in range(4)])

SCRIPTS["coco-file-name-images-prefix-joined-twice-workers"] = r'''
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F


class CocoDet(Dataset):
    def __init__(self, img_dir, ann_file):
        coco = json.load(open(ann_file))
        self.img_dir = img_dir
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(os.path.join(self.img_dir, info["file_name"])).convert("RGB")
        anns = self.anns.get(info["id"], [])
        boxes = [[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]] for a in anns]
        labels = [a["category_id"] for a in anns]
        return F.to_tensor(img), {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


def collate(batch):
    return tuple(zip(*batch))


def main():
    ds = CocoDet("dataset/images", "dataset/annotations/instances_train.json")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(10):
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def coco_prefixed(work: Path):
    make_images(work, [(f"dataset/images/{i:06d}.jpg", (160, 120), "RGB") for i in range(6)])
    images = [{"id": i + 1, "file_name": f"images/{i:06d}.jpg", "width": 160, "height": 120} for i in range(6)]
    anns, k = [], 1
    for i in range(6):
        for j, (x1, y1, x2, y2) in enumerate(spread_boxes(i)):
            anns.append({"id": k, "image_id": i + 1, "category_id": 1 + j % 2, "bbox": [x1, y1, x2 - x1, y2 - y1],
                         "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
            k += 1
    coco = {"images": images, "annotations": anns,
            "categories": [{"id": 1, "name": "bottle"}, {"id": 2, "name": "can"}]}
    (work / "dataset/annotations").mkdir(parents=True, exist_ok=True)
    (work / "dataset/annotations/instances_train.json").write_text(json.dumps(coco))


# ------------------------------------------------------------------ 8. too few boxes (ImageAI)
SCRIPTS["imageai-tinyyolo-synthetic-paste-ins-two-scales"] = r'''
from imageai.Detection.Custom import DetectionModelTrainer

# synthetic set: logo PNGs pasted onto random backgrounds by make_synthetic.py
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="synthetic_logos")
trainer.setTrainConfig(object_names_array=["logo_a", "logo_b"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''


def paste_rows(split, i):
    # the paste script only uses two scales: 64x64 and 128x128 px on a 320x320 canvas
    s = [64 / 320, 128 / 320]
    rows = [(i % 2, 0.3, 0.3, s[0], s[0]), ((i + 1) % 2, 0.65, 0.6, s[1], s[1])]
    if i % 3 == 0:
        rows.append((0, 0.8, 0.2, s[0], s[0]))
    return "".join(f"{c} {x:.6f} {y:.6f} {w:.6f} {h:.6f}\n" for c, x, y, w, h in rows)


synthetic = yolo_layout("synthetic_logos", paste_rows, lambda s, i: (160, 160), splits=(("train", 8), ("validation", 2)))

CELLS["imageai-yolov3-pilot-three-images-notebook"] = [
    r'''from imageai.Detection.Custom import DetectionModelTrainer''',
    r'''# quick pilot before labelling the rest: 3 photos labelled so far
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="kiwi_pilot")''',
    r'''trainer.setTrainConfig(object_names_array=["kiwi"], batch_size=2, num_experiments=5)
trainer.trainModel()''',
]


def pilot_rows(split, i):
    rows = [[(0, 0.5, 0.5, 0.30, 0.25)], [(0, 0.4, 0.6, 0.22, 0.20), (0, 0.7, 0.3, 0.18, 0.16)],
            [(0, 0.5, 0.45, 0.35, 0.33)]][i % 3]
    return "".join(f"{c} {x:.4f} {y:.4f} {w:.4f} {h:.4f}\n" for c, x, y, w, h in rows)


pilot = yolo_layout("kiwi_pilot", pilot_rows, lambda s, i: (160, 120), splits=(("train", 3), ("validation", 1)))

# ------------------------------------------------------------------ 9. input shape
CELLS["permute-batch-for-imshow-reused-in-train-notebook"] = [
    r'''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms''',
    r'''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
images, labels = next(iter(loader))
print(images.shape, labels)''',
    r'''# look at the batch (HWC for plotting)
images = images.permute(0, 2, 3, 1)
for i in range(4):
    print(train_ds.classes[labels[i]], images[i].shape, float(images[i].mean()))''',
    r'''model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, len(train_ds.classes)))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    r'''# sanity check: overfit the one batch first
for step in range(50):
    out = model(images)
    loss = criterion(out, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(loss.item())''',
]

SCRIPTS["resnet18-head-width-from-resnet50-tutorial"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

data_tf = transforms.Compose([
    transforms.RandomResizedCrop(96),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("data/mushrooms/train", data_tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

# resnet50 was too slow on my laptop, switched to resnet18
model = models.resnet18(weights=None)
model.fc = nn.Sequential(
    nn.Linear(2048, 256),
    nn.ReLU(),
    nn.Dropout(0.4),
    nn.Linear(256, len(train_ds.classes)),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)

for epoch in range(10):
    model.train()
    for inputs, labels in loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
    print(f"Epoch {epoch}/{9} loss: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ 10. model outputs
SCRIPTS["ssdlite-head-rebuilt-with-ssd300-anchor-counts"] = r'''
import torch
from functools import partial
from torch import nn
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.models.detection.ssdlite import SSDLiteClassificationHead
from torchvision.transforms import functional as F
from PIL import Image
import json

NUM_CLASSES = 3   # background + apple + pear

model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None)
# replace the 91-class COCO head (recipe from a forum answer about SSD300)
in_channels = [672, 480, 512, 256, 256, 128]
num_anchors = [4, 6, 6, 6, 4, 4]
norm_layer = partial(nn.BatchNorm2d, eps=0.001, momentum=0.03)
model.head.classification_head = SSDLiteClassificationHead(in_channels, num_anchors, NUM_CLASSES, norm_layer)

items = json.load(open("data/parts/labels.json"))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(5):
    for k in range(0, len(items), 4):
        batch = items[k:k + 4]
        images = [F.to_tensor(Image.open("data/parts/" + it["file"]).convert("RGB")) for it in batch]
        targets = [{"boxes": torch.tensor(it["boxes"], dtype=torch.float32),
                    "labels": torch.tensor(it["labels"])} for it in batch]
        loss_dict = model(images, targets)
        loss = sum(loss_dict.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in loss_dict.items()})
'''

SCRIPTS["retinanet-cls-logits-replaced-num-classes-stale"] = r'''
import math

import torch
import torch.nn as nn
from PIL import Image
import json
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as F

CLASSES = ["bg", "screw", "nut"]

model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, min_size=256, max_size=320)
# new classification layer for our classes
num_anchors = model.head.classification_head.num_anchors
cls_logits = nn.Conv2d(256, num_anchors * len(CLASSES), kernel_size=3, stride=1, padding=1)
nn.init.normal_(cls_logits.weight, std=0.01)
nn.init.constant_(cls_logits.bias, -math.log((1 - 0.01) / 0.01))
model.head.classification_head.cls_logits = cls_logits

items = json.load(open("data/parts/labels.json"))
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
model.train()
for epoch in range(10):
    for it in items:
        img = F.to_tensor(Image.open("data/parts/" + it["file"]).convert("RGB"))
        target = {"boxes": torch.tensor(it["boxes"], dtype=torch.float32), "labels": torch.tensor(it["labels"])}
        losses = model([img], [target])
        loss = losses["classification"] + losses["bbox_regression"]
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ 11. weights
SCRIPTS["optimizer-state-saved-as-model-weights"] = r'''
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

from utils import load_checkpoint

CLASSES = ["daisy", "rose", "tulip"]
model = models.resnet18(weights=None, num_classes=len(CLASSES))
load_checkpoint(model, "checkpoints/best_model.pth")
model.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
img = tf(Image.open("flowers/val/rose/rose_000.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(CLASSES[model(img).argmax(1).item()])
'''
UTILS_CKPT = r'''
import os

import torch


def save_checkpoint(model, optimizer, folder="checkpoints"):
    os.makedirs(folder, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(folder, "best_optimizer.pth"))
    torch.save(optimizer.state_dict(), os.path.join(folder, "best_model.pth"))


def load_checkpoint(model, path):
    state = torch.load(path, map_location="cpu")
    model.load_state_dict(state)
    print(f"loaded {path}")
    return model
'''
swapped_ckpt = both(flowers, write("utils.py", UTILS_CKPT.lstrip()), prep('''
import torch
from torchvision import models
from utils import save_checkpoint
m = models.resnet18(weights=None, num_classes=3)
opt = torch.optim.Adam(m.parameters(), lr=1e-3)
m(torch.rand(2, 3, 64, 64)).sum().backward()
opt.step()
save_checkpoint(m, opt)
'''))

SCRIPTS["resume-after-new-class-folder-added"] = r'''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/mushrooms/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print("classes:", train_ds.classes)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
start_epoch = 0
if os.path.exists("checkpoints/last.pth"):
    ckpt = torch.load("checkpoints/last.pth")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    start_epoch = ckpt["epoch"] + 1
    print(f"resuming from epoch {start_epoch}")

for epoch in range(start_epoch, 30):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch},
               "checkpoints/last.pth")
'''
# last week's run had three classes; 'shiitake' was added since
resume_ckpt = both(mushrooms, prep('''
import os, torch
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
m = models.resnet18(weights=None, num_classes=3)
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
torch.save({"model": m.state_dict(), "optimizer": opt.state_dict(), "epoch": 11}, "checkpoints/last.pth")
'''))

# ------------------------------------------------------------------ 12. calls
SCRIPTS["dataloader-num-workers-minus-one-all-cores"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

BATCH_SIZE = 16
N_JOBS = -1      # use all cores

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
val_ds = datasets.ImageFolder("flowers/val", tf)
train_loader = DataLoader(train_ds, batch_size=BATCH_SIZE, shuffle=True, num_workers=N_JOBS)
val_loader = DataLoader(val_ds, batch_size=BATCH_SIZE, num_workers=N_JOBS)

model = models.mobilenet_v2(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["predict-transform-applied-to-path-string"] = r'''
import sys

import torch
from torchvision import models, transforms

CLASSES = ["daisy", "rose", "tulip"]
preprocess = transforms.Compose([
    transforms.Resize(72),
    transforms.CenterCrop(64),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])

model = models.resnet18(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("flower_resnet18.pth"))
model.eval()


def predict(image_path):
    x = preprocess(image_path).unsqueeze(0)
    with torch.no_grad():
        probs = model(x).softmax(1)[0]
    return CLASSES[probs.argmax()], probs.max().item()


for path in sys.argv[1:]:
    label, p = predict(path)
    print(f"{path}: {label} ({p:.1%})")
'''
flower_weights = both(flowers, prep('''
import torch
from torchvision import models
torch.save(models.resnet18(weights=None, num_classes=3).state_dict(), "flower_resnet18.pth")
'''))

# ------------------------------------------------------------------ 13. divergence
CELLS["retinanet-lr-2-detect-anomaly-notebook"] = [
    r'''import json
import torch
from PIL import Image
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as F''',
    r'''items = json.load(open("data/parts/labels.json"))
images = [F.to_tensor(Image.open("data/parts/" + it["file"]).convert("RGB")) for it in items]
targets = [{"boxes": torch.tensor(it["boxes"], dtype=torch.float32), "labels": torch.tensor(it["labels"])}
           for it in items]
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=160, max_size=200)''',
    r'''# loss was going down too slowly with 0.01
optimizer = torch.optim.SGD(model.parameters(), lr=2.0, momentum=0.9)
torch.autograd.set_detect_anomaly(True)
model.train()''',
    r'''for epoch in range(20):
    for k in range(0, len(images), 2):
        loss_dict = model(images[k:k + 2], targets[k:k + 2])
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, {n: round(v.item(), 4) for n, v in loss_dict.items()})''',
]

SCRIPTS["find-then-classify-crop-pixel-box-loss-diverges"] = r'''
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision.transforms.functional import crop, resize

# stage 1 finds the part (box in pixels), stage 2 classifies the crop; trained together
items = json.load(open("data/parts/labels.json"))
X = torch.stack([torch.from_numpy(np.array(Image.open("data/parts/" + it["file"]).convert("RGB"), dtype=np.float32))
                 .permute(2, 0, 1) for it in items])                    # 0-255 pixels
BOX = torch.tensor([it["boxes"][0] for it in items], dtype=torch.float32)
CLS = torch.tensor([it["labels"][0] - 1 for it in items])

localizer = nn.Sequential(nn.Conv2d(3, 16, 5, 2), nn.ReLU(), nn.Conv2d(16, 32, 5, 2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 4))
classifier = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                           nn.Flatten(), nn.Linear(16, 2))
opt = torch.optim.SGD(list(localizer.parameters()) + list(classifier.parameters()), lr=0.01, momentum=0.9)

for step in range(100):
    boxes = localizer(X)
    box_loss = F.mse_loss(boxes, BOX)
    crops = []
    for img, b in zip(X, boxes.detach()):
        x1, y1, x2, y2 = [int(v) for v in b.clamp(min=0)]
        crops.append(resize(crop(img, y1, x1, max(y2 - y1, 8), max(x2 - x1, 8)), [32, 32]) / 255.0)
    cls_loss = F.cross_entropy(classifier(torch.stack(crops)), CLS)
    loss = box_loss + cls_loss
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: box {box_loss.item():.1f} cls {cls_loss.item():.3f}")
'''

# ------------------------------------------------------------------ 14. autograd
SCRIPTS["se-block-inplace-multiply-relu-output"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class SEBlock(nn.Module):
    def __init__(self, c, r=4):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(c, c // r), nn.ReLU(), nn.Linear(c // r, c), nn.Sigmoid())

    def forward(self, x):
        w = self.fc(self.pool(x).flatten(1))
        x *= w[:, :, None, None]           # re-weight the channels
        return x


class SmallSENet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.act = nn.ReLU()
        self.se1 = SEBlock(32)
        self.conv2 = nn.Conv2d(32, 64, 3, stride=2, padding=1)
        self.se2 = SEBlock(64)
        self.head = nn.Linear(64, n_classes)

    def forward(self, x):
        x = self.se1(self.act(self.conv1(x)))
        x = self.se2(self.act(self.conv2(x)))
        return self.head(x.mean((2, 3)))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = SmallSENet(len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CELLS["set-grad-enabled-false-left-by-inference-cell-notebook"] = [
    r'''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
val_ds = datasets.ImageFolder("flowers/val", tf)
model = models.resnet18(weights=None, num_classes=3)''',
    r'''# quick look at what the untrained model predicts
torch.set_grad_enabled(False)
model.eval()
x, y = next(iter(DataLoader(val_ds, batch_size=6)))
print("pred:", model(x).argmax(1).tolist(), "true:", y.tolist())''',
    r'''optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model.train()
for epoch in range(3):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ 15. host memory
SCRIPTS["anchor-recall-box-iou-all-anchors-vs-all-gt"] = r'''
"""How many ground-truth boxes of the whole dataset are matched by any anchor (IoU >= 0.5)?"""
import csv

import torch
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.image_list import ImageList
from torchvision.ops import box_iou

gt = []
with open("data/boxes_all.csv") as f:
    for row in csv.DictReader(f):
        gt.append([float(row["x1"]), float(row["y1"]), float(row["x2"]), float(row["y2"])])
gt = torch.tensor(gt)
print("gt boxes:", len(gt))

# anchors of the Faster R-CNN FPN at 1333x800
gen = AnchorGenerator(sizes=((32,), (64,), (128,), (256,), (512,)), aspect_ratios=((0.5, 1.0, 2.0),) * 5)
feats = [torch.zeros(1, 1, 800 // s, 1344 // s) for s in (4, 8, 16, 32, 64)]
anchors = gen(ImageList(torch.zeros(1, 3, 800, 1344), [(800, 1344)]), feats)[0]
print("anchors:", len(anchors))

iou = box_iou(anchors, gt)                  # anchors x gt
recall = (iou.max(0).values >= 0.5).float().mean()
print(f"anchor recall @0.5: {recall:.3f}")
'''


def all_boxes(work: Path):
    import random
    rnd = random.Random(1)
    (work / "data").mkdir(exist_ok=True)
    with open(work / "data/boxes_all.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image", "x1", "y1", "x2", "y2"])
        for i in range(420000):
            x, y = rnd.randrange(1200), rnd.randrange(700)
            w.writerow([f"img_{i // 12:06d}.jpg", x, y, x + 8 + rnd.randrange(120), y + 8 + rnd.randrange(90)])


SCRIPTS["near-duplicate-similarity-matrix-whole-dataset"] = r'''
"""Find near-duplicate photos before the train/val split (same scene shot twice)."""
import numpy as np

paths = [l.strip() for l in open("data/all_images.txt")]
print(f"{len(paths)} images")
# 64-d colour histograms computed earlier by compute_features.py
feats = np.load("data/hist_features.npy", mmap_mode="r")
assert len(feats) == len(paths)

sim = np.zeros((len(paths), len(paths)), dtype=np.float32)
for i in range(0, len(paths), 4096):
    block = np.asarray(feats[i:i + 4096], dtype=np.float32)
    sim[i:i + 4096] = block @ np.asarray(feats, dtype=np.float32).T
dups = np.argwhere(np.triu(sim, 1) > 0.98)
print(len(dups), "near-duplicate pairs")
'''


def hist_feats(work: Path):
    import numpy as np
    n = 380000
    (work / "data").mkdir(exist_ok=True)
    (work / "data/all_images.txt").write_text("".join(f"photos/{i // 1000:03d}/IMG_{i:06d}.jpg\n" for i in range(n)))
    np.lib.format.open_memmap(work / "data/hist_features.npy", mode="w+", dtype=np.float16, shape=(n, 64)).flush()


# ------------------------------------------------------------------ 16. cuda setup
SCRIPTS["auto-batch-size-from-free-gpu-memory"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"


def pick_batch_size(per_image_mb=45, reserve=0.8):
    """largest power of two that fits into the free GPU memory"""
    free, total = torch.cuda.mem_get_info()
    budget = free / 2**20 * reserve
    bs = 1
    while bs * 2 * per_image_mb < budget:
        bs *= 2
    print(f"GPU free {free / 2**30:.1f} GiB of {total / 2**30:.1f} GiB -> batch size {bs}")
    return bs


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(ds, batch_size=pick_batch_size(), shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

CELLS["dataloader-cuda-generator-from-seed-recipe-notebook"] = [
    r'''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
print(torch.__version__, "cuda available:", torch.cuda.is_available())''',
    r'''SEED = 42
torch.manual_seed(SEED)
# reproducible shuffling (from the "deterministic training on GPU" post)
g = torch.Generator(device="cuda")
g.manual_seed(SEED)''',
    r'''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True, generator=g)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
for x, y in loader:
    print(model(x).shape)
    break''',
]

# ------------------------------------------------------------------ 17. versions
SCRIPTS["voc-map-eval-np-alltrue-numpy2"] = r'''
import json

import numpy as np
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

from voc_eval import voc_ap

items = json.load(open("data/parts/labels.json"))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
model.load_state_dict(torch.load("parts_frcnn.pth"))
model.eval()

scores, tps, n_gt = [], [], 0
with torch.no_grad():
    for it in items:
        img = F.to_tensor(Image.open("data/parts/" + it["file"]).convert("RGB"))
        out = model([img])[0]
        n_gt += len(it["boxes"])
        scores += out["scores"].tolist()
        tps += [0] * len(out["scores"])
order = np.argsort(-np.array(scores))
tp = np.cumsum(np.array(tps)[order]) if len(order) else np.zeros(1)
fp = np.cumsum(1 - np.array(tps)[order]) if len(order) else np.zeros(1)
rec = tp / max(n_gt, 1)
prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
print("AP:", voc_ap(rec, prec))
'''
VOC_EVAL = r'''
# voc_eval.py -- from the py-faster-rcnn repository (2016)
import numpy as np


def voc_ap(rec, prec, use_07_metric=False):
    """ap = voc_ap(rec, prec, [use_07_metric])
    Compute VOC AP given precision and recall."""
    assert np.alltrue(rec >= 0) and np.alltrue(prec >= 0), "negative precision / recall"
    if use_07_metric:
        ap = 0.
        for t in np.arange(0., 1.1, 0.1):
            p = 0 if np.sum(rec >= t) == 0 else np.max(prec[rec >= t])
            ap = ap + p / 11.
    else:
        mrec = np.concatenate(([0.], rec, [1.]))
        mpre = np.concatenate(([0.], prec, [0.]))
        for i in range(mpre.size - 1, 0, -1):
            mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
        i = np.where(mrec[1:] != mrec[:-1])[0]
        ap = np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1])
    return ap
'''
voc_eval = both(parts, write("voc_eval.py", VOC_EVAL.lstrip()), prep('''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
torch.save(fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3).state_dict(),
           "parts_frcnn.pth")
'''))

SCRIPTS["letterbox-helper-image-linear-pillow"] = r'''
import glob

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from PIL import Image

from datasets_utils import letterbox


class Signs(Dataset):
    def __init__(self, pattern, size=96):
        self.files = sorted(glob.glob(pattern))
        self.size = size
        self.to_tensor = transforms.ToTensor()

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = letterbox(Image.open(self.files[i]).convert("RGB"), self.size)
        return self.to_tensor(img), 0 if "stop" in self.files[i] else 1


loader = DataLoader(Signs("data/signs/*.jpg"), batch_size=4, shuffle=True)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                            torch.nn.Flatten(), torch.nn.Linear(8, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(3):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''
LETTERBOX = r'''
# datasets_utils.py -- helpers copied from an old traffic-sign repo
from PIL import Image


def letterbox(img, size, fill=(114, 114, 114)):
    """resize keeping the aspect ratio and pad to size x size"""
    w, h = img.size
    scale = size / max(w, h)
    nw, nh = int(w * scale), int(h * scale)
    img = img.resize((nw, nh), Image.LINEAR)
    canvas = Image.new("RGB", (size, size), fill)
    canvas.paste(img, ((size - nw) // 2, (size - nh) // 2))
    return canvas
'''
signs = both(imgs([(f"data/signs/{'stop' if i % 2 else 'yield'}_{i:03d}.jpg", (120, 90), "RGB") for i in range(8)]),
             write("datasets_utils.py", LETTERBOX.lstrip()))

# ------------------------------------------------------------------ 18. multiprocessing
SCRIPTS["spawn-dataset-keeps-csv-reader"] = r'''
import csv

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Leaves(Dataset):
    def __init__(self, csv_path):
        self.reader = csv.reader(open(csv_path, newline=""))
        next(self.reader)
        self.rows = [r for r in self.reader]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, label = self.rows[i]
        return self.tf(Image.open(path).convert("RGB")), int(label)


def main():
    loader = DataLoader(Leaves("data/leaves.csv"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters())
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    mp.set_start_method("spawn")   # macOS default; set here so the cluster behaves the same
    main()
'''


def leaves_csv(work: Path):
    specs = [(f"data/leaves/{c}_{i}.jpg", (70, 70), "RGB") for c in ("healthy", "rust", "scab") for i in range(3)]
    make_images(work, specs)
    rows = "path,label\n" + "".join(f"data/leaves/{c}_{i}.jpg,{k}\n" for k, c in enumerate(("healthy", "rust", "scab"))
                                     for i in range(3))
    (work / "data/leaves.csv").write_text(rows)


SCRIPTS["spawn-local-worker-init-fn-seeding"] = r'''
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def main(seed=0):
    torch.manual_seed(seed)

    def seed_worker(worker_id):
        worker_seed = torch.initial_seed() % 2**32
        np.random.seed(worker_seed)
        random.seed(worker_seed)

    tf = transforms.Compose([transforms.RandomResizedCrop(64), transforms.ToTensor()])
    ds = datasets.ImageFolder("flowers/train", tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, worker_init_fn=seed_worker,
                        multiprocessing_context="spawn", persistent_workers=True)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ 19. distributed
SCRIPTS["ddp-rank0-saves-checkpoint-rank1-loads-early"] = r'''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision import models


def run(rank, world_size):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29541")
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    model = models.resnet18(weights=None, num_classes=3)

    # warm start: rank 0 converts the old classifier checkpoint, every rank loads it
    if rank == 0:
        old = models.resnet18(weights=None, num_classes=3).state_dict()
        torch.save(old, "warm_start.pth")
    model.load_state_dict(torch.load("warm_start.pth", map_location="cpu"))

    ddp = DDP(model)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.01)
    for step in range(3):
        x, y = torch.rand(4, 3, 64, 64), torch.randint(0, 3, (4,))
        loss = nn.functional.cross_entropy(ddp(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if rank == 0:
        print("done", loss.item())
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(run, args=(2,), nprocs=2)
'''

SCRIPTS["ddp-linear-probe-backbone-frozen-before-head"] = r'''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision import models


def train(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29543"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)

    model = models.resnet18(weights=None)
    model.load_state_dict(torch.load("ssl_backbone.pth", map_location="cpu"))
    # linear probe: freeze the self-supervised backbone
    for p in model.parameters():
        p.requires_grad = False
    model = DDP(model)
    model.module.fc = nn.Linear(512, 5)     # fresh trainable head

    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.1)
    for step in range(5):
        x, y = torch.rand(8, 3, 64, 64), torch.randint(0, 5, (8,))
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(train, args=(2,), nprocs=2)
'''
ssl_backbone = prep('''
import torch
from torchvision import models
torch.save(models.resnet18(weights=None).state_dict(), "ssl_backbone.pth")
''')

# ------------------------------------------------------------------ 20. other
SCRIPTS["steps-per-epoch-ceil-next-iter-drop-last"] = r'''
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

BATCH = 8
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/mushrooms/train", tf)
# drop_last so BatchNorm never sees a batch of 1
loader = DataLoader(train_ds, batch_size=BATCH, shuffle=True, drop_last=True)
steps_per_epoch = math.ceil(len(train_ds) / BATCH)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=steps_per_epoch * 5)

for epoch in range(5):
    it = iter(loader)
    for step in tqdm(range(steps_per_epoch), desc=f"epoch {epoch}"):
        x, y = next(it)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
'''
mushrooms_odd = imgs(class_folder("data/mushrooms/train", ("chanterelle", "morel", "porcini"), 4, size=(64, 64))
                     + [("data/mushrooms/train/porcini/porcini_extra.jpg", (64, 64), "RGB")])

SCRIPTS["idx-to-class-json-numpy-int64-keys"] = r'''
import json
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")

os.makedirs("export", exist_ok=True)
torch.save(model.state_dict(), "export/model.pth")
# class index -> name, for the web app
labels = np.array(train_ds.targets)
idx_to_class = {idx: train_ds.classes[idx] for idx in np.unique(labels)}
with open("export/classes.json", "w") as f:
    json.dump(idx_to_class, f, indent=2)
print("exported")
'''

# ====================================================================== GPU only (EE_GPU=1)
SCRIPTS["gpu-vgg16-batch-128-at-1024px"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from PIL import Image
import glob

device = torch.device("cuda")
# keep the full resolution so the hairline cracks stay visible
tf = transforms.Compose([transforms.Resize((1024, 1024)), transforms.ToTensor()])


class Cracks(Dataset):
    def __init__(self):
        self.files = sorted(glob.glob("data/cracks/*/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return tf(Image.open(self.files[i]).convert("RGB")), int("positive" in self.files[i])


loader = DataLoader(Cracks(), batch_size=128, shuffle=True, num_workers=4)   # batch size from the CIFAR tutorial
model = models.vgg16(weights=None, num_classes=2).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
cracks = imgs([(f"data/cracks/{c}/c_{i:03d}.jpg", (64, 64), "RGB") for c in ("positive", "negative") for i in range(64)])

SCRIPTS["gpu-frcnn-min-size-native-drone-resolution"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms import functional as F

device = torch.device("cuda")


class DroneDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = F.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB"))
        return img, {"boxes": torch.tensor(it["boxes"], dtype=torch.float32), "labels": torch.tensor(it["labels"])}


loader = DataLoader(DroneDataset("data/drone"), batch_size=8, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
# the sheep are ~30 px at native resolution, so don't let torchvision shrink the 6000x4000 frames
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, min_size=4000, max_size=6000)
model.to(device).train()
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)

for epoch in range(20):
    for images, targets in loader:
        images = [img.to(device) for img in images]
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        loss = sum(model(images, targets).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def drone(work: Path):
    import numpy as np
    from PIL import Image
    d = work / "data/drone/images"
    d.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    base = rng.integers(0, 256, (4000, 6000, 3), dtype=np.uint8)
    items = []
    for i in range(8):
        Image.fromarray(np.roll(base, 97 * i, axis=1)).save(d / f"DJI_{i:04d}.JPG", quality=80)
        boxes = [[1000 + 40 * k + i, 800 + 60 * k, 1032 + 40 * k + i, 830 + 60 * k] for k in range(12)]
        items.append({"file": f"images/DJI_{i:04d}.JPG", "boxes": boxes, "labels": [1] * 12})
    (work / "data/drone/labels.json").write_text(json.dumps(items))


SCRIPTS["gpu-frcnn-targets-left-on-cpu"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as F

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


class Parts(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = F.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB"))
        return img, {"boxes": torch.tensor(it["boxes"], dtype=torch.float32), "labels": torch.tensor(it["labels"])}


loader = DataLoader(Parts("data/parts"), batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=3).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        images = list(img.to(device) for img in images)
        loss_dict = model(images, list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["gpu-ema-copy-made-before-to-device"] = r'''
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = torch.device("cuda")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
ema_model = copy.deepcopy(model)          # exponential moving average of the weights for evaluation
for p in ema_model.parameters():
    p.requires_grad_(False)
model = model.to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


@torch.no_grad()
def update_ema(ema, m, decay=0.999):
    for ema_p, p in zip(ema.parameters(), m.parameters()):
        ema_p.mul_(decay).add_(p.detach(), alpha=1 - decay)


for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        update_ema(ema_model, model)
    print(epoch, loss.item())
'''


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more26-", SCRIPTS, CELLS)

    W = ["cpython_basic", "dataloader_worker"]
    P = ["cpython_basic", "progress_bars"]
    M = ["cpython_basic", "multiline_message"]

    if os.environ.get("EE_GPU"):
        script("gpu-vgg16-batch-128-at-1024px", "resource.gpu_oom", forms=["cpython_basic", "cuda_oom"], setup=cracks)
        script("gpu-frcnn-min-size-native-drone-resolution", "resource.gpu_oom", forms=["cpython_basic", "cuda_oom"],
               setup=drone, timeout=400)
        script("gpu-frcnn-targets-left-on-cpu", "env.device_mismatch", setup=parts)
        script("gpu-ema-copy-made-before-to-device", "env.device_mismatch", setup=flowers)
        return out

    # 1. image sizes
    notebook("make-grid-preview-unresized-samples-notebook", "data.image_size_mismatch", setup=coins)
    script("concat-two-imagefolders-different-resize-workers", "data.image_size_mismatch", forms=W, setup=two_sources)
    # 2. channels
    script("ssdlite-thermal-gray-frames-image-mean-one-value", "data.image_channels", setup=thermal)
    script("np-array-transpose-grayscale-jpgs-workers", "data.image_channels", forms=W, setup=xray)
    # 3. boxes
    script("frcnn-normalised-coords-int-cast-zero-boxes-tqdm", "data.bbox_invalid", forms=P, setup=roads)
    script("ssdlite-tfod-csv-box-columns-off-by-one", "data.bbox_invalid", setup=helmets_csv)
    # 4. classes
    script("age-groups-np-digitize-five-bins-one-hot", "data.label_out_of_range", setup=faces)
    script("pets-list-txt-class-id-soft-targets-workers", "data.label_out_of_range", forms=W, setup=pets)
    # 5. label shape
    script("frame-wise-cnn-clip-labels-not-repeated", "data.label_shape", setup=clips)
    script("single-object-localizer-full-target-into-crossentropy", "data.label_shape", setup=petbox)
    # 6. dtypes
    script("localizer-float64-box-targets-giou-loss", "data.dtype", setup=plates)
    notebook("label-smoothing-one-hot-float-labels-loadtxt-notebook", "data.dtype", setup=bees)
    # 7. missing
    script("glob-lowercase-jpg-camera-uppercase-JPG", "data.missing_or_corrupt", setup=welds)
    script("coco-file-name-images-prefix-joined-twice-workers", "data.missing_or_corrupt", forms=W,
           setup=coco_prefixed)
    # 8. too few boxes
    script("imageai-tinyyolo-synthetic-paste-ins-two-scales", "data.too_few_boxes", framework="imageai",
           setup=synthetic)
    notebook("imageai-yolov3-pilot-three-images-notebook", "data.too_few_boxes", framework="imageai", setup=pilot)
    # 9. input shape
    notebook("permute-batch-for-imshow-reused-in-train-notebook", "model.input_shape", setup=flowers)
    script("resnet18-head-width-from-resnet50-tutorial", "model.input_shape", setup=mushrooms)
    # 10. outputs
    script("ssdlite-head-rebuilt-with-ssd300-anchor-counts", "model.output_mismatch", setup=parts)
    script("retinanet-cls-logits-replaced-num-classes-stale", "model.output_mismatch", setup=parts)
    # 11. weights
    script("optimizer-state-saved-as-model-weights", "model.weights_mismatch", forms=M, argv="predict.py",
           setup=swapped_ckpt)
    script("resume-after-new-class-folder-added", "model.weights_mismatch", forms=M, setup=resume_ckpt)
    # 12. calls
    script("dataloader-num-workers-minus-one-all-cores", "model.api_misuse", setup=flowers)
    script("predict-transform-applied-to-path-string", "model.api_misuse", argv="predict.py",
           args=("flowers/val/rose/rose_000.jpg",), setup=flower_weights)
    # 13. divergence
    notebook("retinanet-lr-2-detect-anomaly-notebook", "optim.divergence", setup=parts, timeout=400)
    # the run ends when the diverged boxes make a crop too large for the host memory
    script("find-then-classify-crop-pixel-box-loss-diverges", "optim.divergence", setup=parts,
           also=["resource.host_memory"])
    # 14. autograd
    script("se-block-inplace-multiply-relu-output", "optim.autograd_graph", setup=flowers)
    notebook("set-grad-enabled-false-left-by-inference-cell-notebook", "optim.autograd_graph", setup=flowers)
    # 15. host memory
    script("anchor-recall-box-iou-all-anchors-vs-all-gt", "resource.host_memory", argv="anchor_stats.py",
           setup=all_boxes)
    script("near-duplicate-similarity-matrix-whole-dataset", "resource.host_memory", argv="find_dups.py",
           setup=hist_feats)
    # 16. cuda setup
    script("auto-batch-size-from-free-gpu-memory", "env.cuda_setup", setup=flowers)
    notebook("dataloader-cuda-generator-from-seed-recipe-notebook", "env.cuda_setup", setup=flowers)
    # 17. versions
    script("voc-map-eval-np-alltrue-numpy2", "env.version_incompat", argv="evaluate.py", setup=voc_eval)
    script("letterbox-helper-image-linear-pillow", "env.version_incompat", setup=signs)
    # 18. multiprocessing
    script("spawn-dataset-keeps-csv-reader", "env.multiprocessing", setup=leaves_csv)
    script("spawn-local-worker-init-fn-seeding", "env.multiprocessing", setup=flowers)
    # 19. distributed
    script("ddp-rank0-saves-checkpoint-rank1-loads-early", "env.distributed", timeout=180)
    script("ddp-linear-probe-backbone-frozen-before-head", "env.distributed", setup=ssl_backbone,
           timeout=180)
    # 20. other
    script("steps-per-epoch-ceil-next-iter-drop-last", "other", forms=P, setup=mushrooms_odd)
    script("idx-to-class-json-numpy-int64-keys", "other", setup=flowers)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
