"""A thirty-fifth held-out set of PyTorch / torchvision / ImageAI 3 failures: an untargeted sample of
what people training and running image models on their own data in Jupyter / Colab notebooks meet,
spread over the cause ids roughly as often as users hit them, each labelled by construction.

Every case is a small real program (most run cell by cell in a real IPython shell) on CPU with the
torch venv (no GPU, no downloads).

    /work/venvs/torch/bin/python corpus/generators/torch_more35.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more35.py"

SCRIPTS = {}
CELLS = {}


def np_setup(fn):
    def setup(work: Path):
        import numpy as np
        from PIL import Image
        fn(work, np, Image)
    return setup


# ============================================================ data.image_size_mismatch
CELLS["mean-std-stack-whole-dataset-no-resize-notebook"] = [
    '''
import torch
from torchvision import datasets, transforms

# first pass: only ToTensor, to compute the dataset's own mean / std for Normalize
stats_ds = datasets.ImageFolder("data/leaves", transform=transforms.ToTensor())
print(len(stats_ds), stats_ds.classes)
''',
    '''
all_imgs = torch.stack([img for img, _ in stats_ds])
mean = all_imgs.mean(dim=(0, 2, 3))
std = all_imgs.std(dim=(0, 2, 3))
print(mean, std)
''',
]


def leaves_setup(work: Path):
    specs = []
    for k, c in enumerate(["healthy", "rust", "scab"]):
        for i in range(3):
            specs.append((f"data/leaves/{c}/{c}_{i:03d}.jpg", (96, 72) if (i + k) % 3 else (80, 80), "RGB"))
    make_images(work, specs)


SCRIPTS["triplet-positive-uses-eval-transform-without-resize-workers"] = '''
import glob
import os
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

train_tf = transforms.Compose([
    transforms.Resize((96, 96)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
eval_tf = transforms.Compose([transforms.ToTensor()])


class TripletWhales(Dataset):
    """anchor / positive (same whale) / negative (other whale) for re-identification"""

    def __init__(self, root):
        self.by_id = {}
        for p in sorted(glob.glob(os.path.join(root, "*", "*.jpg"))):
            self.by_id.setdefault(os.path.basename(os.path.dirname(p)), []).append(p)
        self.items = [(w, p) for w, ps in self.by_id.items() for p in ps]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        whale, path = self.items[i]
        pos = random.choice(self.by_id[whale])
        neg_id = random.choice([w for w in self.by_id if w != whale])
        neg = random.choice(self.by_id[neg_id])
        anchor = train_tf(Image.open(path).convert("RGB"))
        positive = eval_tf(Image.open(pos).convert("RGB"))
        negative = train_tf(Image.open(neg).convert("RGB"))
        return anchor, positive, negative


def main():
    loader = DataLoader(TripletWhales("data/flukes/train"), batch_size=4, shuffle=True, num_workers=2)
    net = models.resnet18(weights=None, num_classes=128)
    criterion = nn.TripletMarginLoss(margin=0.3)
    opt = torch.optim.Adam(net.parameters(), lr=3e-4)
    for epoch in range(5):
        for a, p, n in loader:
            ea, ep, en = (F.normalize(net(x)) for x in (a, p, n))
            loss = criterion(ea, ep, en)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def flukes_setup(work: Path):
    specs = []
    for k, w in enumerate(["w_0a1f", "w_17c3", "w_5d20"]):
        for i in range(3):
            specs.append((f"data/flukes/train/{w}/{w}_{i}.jpg", (140 + 10 * i, 60 + 7 * k), "RGB"))
    make_images(work, specs)


# ============================================================ data.image_channels
CELLS["phone-photos-of-digits-into-mnist-cnn-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
''',
    '''
class DigitNet(nn.Module):
    # the network from our MNIST exercise
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.relu(self.conv1(x))
        x = self.pool(torch.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc2(torch.relu(self.fc1(x)))

model = DigitNet()
model.load_state_dict(torch.load("mnist_cnn.pt"))
model.eval()
''',
    '''
# my own handwriting, photographed with the phone and sorted into folders 0-9
tf = transforms.Compose([transforms.Resize((28, 28)), transforms.ToTensor()])
mine = datasets.ImageFolder("my_digits", transform=tf)
loader = DataLoader(mine, batch_size=8)
correct = 0
with torch.no_grad():
    for x, y in loader:
        correct += (model(x).argmax(1) == y).sum().item()
print(f"accuracy on my digits: {correct / len(mine):.2%}")
''',
]

MNIST_PREP = '''
import torch, torch.nn as nn
class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)
torch.save(DigitNet().state_dict(), "mnist_cnn.pt")
'''

SCRIPTS["grayscale-augment-num-output-channels-1-resnet"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# x-ray-like look for the weld photos: drop colour so the net focuses on texture
train_tf = transforms.Compose([
    transforms.Resize((96, 96)),
    transforms.Grayscale(num_output_channels=1),
    transforms.RandomRotation(10),
    transforms.ToTensor(),
])

ds = datasets.ImageFolder("data/welds/train", transform=train_tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()
    print("epoch", epoch, loss.item())
'''

# ============================================================ data.bbox_invalid
CELLS["labelme-rectangle-drawn-bottom-up-frcnn-notebook"] = [
    '''
import glob
import json
import os

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "pothole"]
''',
    '''
class LabelMeDataset(torch.utils.data.Dataset):
    def __init__(self, root):
        self.jsons = sorted(glob.glob(os.path.join(root, "*.json")))

    def __len__(self):
        return len(self.jsons)

    def __getitem__(self, i):
        ann = json.load(open(self.jsons[i]))
        img = Image.open(os.path.join(os.path.dirname(self.jsons[i]), ann["imagePath"])).convert("RGB")
        boxes, labels = [], []
        for shape in ann["shapes"]:
            (x1, y1), (x2, y2) = shape["points"]
            boxes.append([x1, y1, x2, y2])
            labels.append(CLASSES.index(shape["label"]))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}
        return TF.to_tensor(img), target

ds = LabelMeDataset("roads/labelme")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
''',
    '''
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, min_size=160, max_size=240)
in_f = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_f, len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]


def labelme_setup(work: Path):
    make_images(work, [(f"roads/labelme/road_{i:03d}.jpg", (200, 150), "RGB") for i in range(4)])
    for i in range(4):
        pts = [[30.0 + i, 40.0], [90.0, 100.0 + i]]
        if i == 2:  # this one was dragged from the lower right corner to the upper left
            pts = [[150.0, 120.0], [95.0, 70.0]]
        ann = {"version": "5.2.1", "flags": {}, "imagePath": f"road_{i:03d}.jpg", "imageHeight": 150,
               "imageWidth": 200, "shapes": [{"label": "pothole", "points": pts, "shape_type": "rectangle",
                                              "group_id": None, "flags": {}}]}
        (work / f"roads/labelme/road_{i:03d}.json").write_text(json.dumps(ann, indent=2))


SCRIPTS["cv2-boundingrect-xywh-used-as-xyxy-frcnn-workers"] = '''
import glob
import os

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn


class SeedDataset(Dataset):
    """seeds on a light box; boxes come from the contours of the binary masks"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.png")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.images[i]), cv2.COLOR_BGR2RGB)
        mask = cv2.imread(self.images[i].replace("images", "masks"), cv2.IMREAD_GRAYSCALE)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        boxes = [cv2.boundingRect(c) for c in contours]
        target = {
            "boxes": torch.tensor(boxes, dtype=torch.float32),
            "labels": torch.ones(len(boxes), dtype=torch.int64),
        }
        image = torch.from_numpy(img).permute(2, 0, 1).float() / 255
        return image, target


def collate(batch):
    return tuple(zip(*batch))


def main():
    loader = DataLoader(SeedDataset("data/seeds"), batch_size=2, shuffle=True, num_workers=2, collate_fn=collate)
    model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=2,
                                              min_size=160, max_size=200)
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
    model.train()
    for epoch in range(3):
        for images, targets in loader:
            losses = model(list(images), list(targets))
            loss = sum(losses.values())
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''


def seeds(work, np, Image):
    (work / "data/seeds/images").mkdir(parents=True)
    (work / "data/seeds/masks").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (160, 160, 3), dtype=np.uint8)).save(work / f"data/seeds/images/s_{i}.png")
        m = np.zeros((160, 160), np.uint8)
        m[60:80, 70:95] = 255
        m[110:130, 20:40] = 255
        Image.fromarray(m).save(work / f"data/seeds/masks/s_{i}.png")


# ============================================================ data.label_out_of_range
CELLS["review-photo-star-rating-1-to-5-ce-notebook"] = [
    '''
import csv
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

rows = list(csv.DictReader(open("reviews/ratings.csv")))
print(len(rows), rows[0])
NUM_CLASSES = 5   # 1 to 5 stars
''',
    '''
class ReviewPhotos(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf
    def __len__(self):
        return len(self.rows)
    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open("reviews/photos/" + r["photo"]).convert("RGB")
        return self.tf(img), int(r["stars"])

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(ReviewPhotos(rows, tf), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]


def reviews(work: Path):
    make_images(work, [(f"reviews/photos/r_{i:03d}.jpg", (80, 64), "RGB") for i in range(10)])
    stars = [5, 4, 1, 3, 5, 2, 4, 5, 3, 1]
    (work / "reviews/ratings.csv").write_text(
        "photo,stars\n" + "".join(f"r_{i:03d}.jpg,{s}\n" for i, s in enumerate(stars)))


CELLS["label-smoothing-one-hot-helper-new-class-folder-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

CLASSES = ["cardboard", "glass", "metal", "paper"]   # from the first data drop
''',
    '''
def smooth_one_hot(labels, num_classes=len(CLASSES), eps=0.1):
    oh = F.one_hot(labels, num_classes).float()
    return oh * (1 - eps) + eps / num_classes

def soft_ce(logits, soft_targets):
    return -(soft_targets * F.log_softmax(logits, dim=1)).sum(1).mean()
''',
    '''
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("waste/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = soft_ce(model(x), smooth_one_hot(y))
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]

# ============================================================ data.label_shape
CELLS["csv-label-slice-keeps-column-ce-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset
from torchvision import models, transforms

meta = np.genfromtxt("fabric/labels.csv", delimiter=",", skip_header=1, dtype=str)
names = meta[:, 0]
labels = meta[:, 1:2].astype(np.int64)     # class id column
print(names[:3], labels.shape)
''',
    '''
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
X = torch.stack([tf(Image.open("fabric/images/" + n).convert("RGB")) for n in names])
y = torch.from_numpy(labels)
loader = DataLoader(TensorDataset(X, y), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    for xb, yb in loader:
        opt.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
''',
]


def fabric(work: Path):
    make_images(work, [(f"fabric/images/f_{i:03d}.jpg", (72, 72), "RGB") for i in range(8)])
    (work / "fabric/labels.csv").write_text("image,defect\n" + "".join(f"f_{i:03d}.jpg,{i % 3}\n" for i in range(8)))


SCRIPTS["dataset-label-wrapped-in-list-ce"] = '''
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class InsectTraps(Dataset):
    def __init__(self, ann_file, root, tf):
        self.items = json.load(open(ann_file))
        self.root, self.tf = root, tf
        self.classes = sorted({it["species"] for it in self.items})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = self.tf(Image.open(os.path.join(self.root, it["file"])).convert("RGB"))
        label = [self.classes.index(it["species"])]
        return img, label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = InsectTraps("traps/annotations.json", "traps/images", tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    for images, labels in loader:
        opt.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def traps(work: Path):
    make_images(work, [(f"traps/images/t_{i:03d}.jpg", (80, 80), "RGB") for i in range(8)])
    sp = ["aphid", "thrips", "whitefly"]
    (work / "traps/annotations.json").write_text(json.dumps([{"file": f"t_{i:03d}.jpg", "species": sp[i % 3]}
                                                             for i in range(8)]))


# ============================================================ data.dtype
CELLS["growth-stage-loadtxt-float-labels-ce-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

table = np.loadtxt("greenhouse/stages.csv", delimiter=",", skiprows=1, dtype=object)
files = table[:, 0].astype(str)
stages = table[:, 1].astype(float)          # BBCH stage 0-3
print(files[:2], stages[:2])
''',
    '''
class Plants(Dataset):
    def __init__(self):
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    def __len__(self):
        return len(files)
    def __getitem__(self, i):
        img = self.tf(Image.open("greenhouse/photos/" + files[i]).convert("RGB"))
        return img, torch.tensor(stages[i])

loader = DataLoader(Plants(), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=4)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    for x, stage in loader:
        opt.zero_grad()
        loss = criterion(model(x), stage)
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
''',
]


def greenhouse(work: Path):
    make_images(work, [(f"greenhouse/photos/p_{i:03d}.jpg", (64, 96), "RGB") for i in range(8)])
    (work / "greenhouse/stages.csv").write_text(
        "photo,stage\n" + "".join(f"p_{i:03d}.jpg,{i % 4}\n" for i in range(8)))


SCRIPTS["numpy-imagenet-normalise-promotes-float64-workers"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models

MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])


class Sushi(Dataset):
    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.paths[i]), cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (96, 96)).astype(np.float32) / 255.0
        img = (img - MEAN) / STD
        label = self.classes.index(os.path.basename(os.path.dirname(self.paths[i])))
        return torch.from_numpy(img.transpose(2, 0, 1)), label


def main():
    ds = Sushi("data/sushi/train")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(3):
        for x, y in loader:
            opt.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

CELLS["imageai-custom-cls-classify-float-array-from-cv2-notebook"] = [
    '''
import cv2
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-herbs-test_acc_0.91667_epoch-18.pt")
clf.setJsonPath("models/herbs_model_classes.json")
clf.loadModel()
''',
    '''
# same preprocessing as in training notebook: RGB, scaled to 0-1
img = cv2.imread("test/basil_from_market.jpg")
img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB) / 255.0
print(img.shape, img.dtype)
names, probs = clf.classifyImage(img, result_count=2)
for n, p in zip(names, probs):
    print(f"{n}: {p:.2f}%")
''',
]

HERBS_PREP = '''
import json, os, torch, torch.nn as nn
from torchvision.models import mobilenet_v2
os.makedirs("models", exist_ok=True)
m = mobilenet_v2(weights=None)
m.classifier[1] = nn.Linear(m.classifier[1].in_features, 3)
torch.save(m.state_dict(), "models/mobilenet_v2-herbs-test_acc_0.91667_epoch-18.pt")
json.dump({"0": "basil", "1": "mint", "2": "parsley"}, open("models/herbs_model_classes.json", "w"))
'''

# ============================================================ data.missing_or_corrupt
CELLS["colab-zip-macosx-appledouble-files-imagefolder-notebook"] = [
    '''
import zipfile
zipfile.ZipFile("mushrooms.zip").extractall("/content/data" if False else "data")
import os
print(os.listdir("data"))
''',
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data", transform=tf)
print(ds.classes)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]


def macosx_zip(work: Path):
    import io
    import zipfile
    from PIL import Image
    import random
    rnd = random.Random(0)
    with zipfile.ZipFile(work / "mushrooms.zip", "w") as z:
        for c in ["amanita", "boletus", "chanterelle"]:
            for i in range(3):
                im = Image.frombytes("RGB", (72, 72), bytes(rnd.randrange(256) for _ in range(72 * 72 * 3)))
                b = io.BytesIO()
                im.save(b, format="JPEG")
                z.writestr(f"{c}/{c}_{i}.jpg", b.getvalue())
                # Finder's AppleDouble resource forks
                z.writestr(f"__MACOSX/{c}/._{c}_{i}.jpg",
                           b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(60))


SCRIPTS["csv-trailing-empty-rows-blank-filename-workers"] = '''
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

# exported from the lab spreadsheet
table = np.genfromtxt("data/corals/labels.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
CLASSES = ["bleached", "healthy"]


class Corals(Dataset):
    def __init__(self, table, root, tf):
        self.table, self.root, self.tf = table, root, tf

    def __len__(self):
        return len(self.table)

    def __getitem__(self, i):
        row = self.table[i]
        img = Image.open(os.path.join(self.root, row["image"])).convert("RGB")
        return self.tf(img), CLASSES.index(row["status"])


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    loader = DataLoader(Corals(table, "data/corals/images", tf), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def corals(work: Path):
    make_images(work, [(f"data/corals/images/c_{i:03d}.jpg", (80, 60), "RGB") for i in range(6)])
    rows = "".join(f"c_{i:03d}.jpg,{'bleached' if i % 2 else 'healthy'}\n" for i in range(6))
    (work / "data/corals/labels.csv").write_text("image,status\n" + rows + ",\n,\n")


CELLS["kaggle-csv-ids-png-suffix-files-are-jpg-notebook"] = [
    '''
import csv
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

rows = list(csv.reader(open("input/train.csv")))[1:]
print(len(rows), rows[:2])
''',
    '''
class CactusDataset(Dataset):
    def __init__(self, rows, img_dir, tf):
        self.rows, self.img_dir, self.tf = rows, img_dir, tf
    def __len__(self):
        return len(self.rows)
    def __getitem__(self, i):
        image_id, label = self.rows[i]
        img = Image.open(f"{self.img_dir}/{image_id}.png").convert("RGB")
        return self.tf(img), int(label)

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
train_loader = DataLoader(CactusDataset(rows, "input/train", tf), batch_size=8, shuffle=True)
''',
    '''
model = models.resnet18(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]


def cactus(work: Path):
    ids = [f"{h:08x}" for h in (0x0004be2c, 0x000c8a36, 0x000d1e9a, 0x0011485b, 0x0014d7a1, 0x0017c3c0)]
    make_images(work, [(f"input/train/{i}.jpg", (32, 32), "RGB") for i in ids])
    (work / "input/train.csv").write_text("id,has_cactus\n" + "".join(f"{i},{k % 2}\n" for k, i in enumerate(ids)))


# ============================================================ model.input_shape
CELLS["vgg-features-custom-head-25088-at-128px-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

IMG = 128   # smaller than 224 so it fits in Colab RAM
tf = transforms.Compose([transforms.Resize((IMG, IMG)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/dogs_vs_cats", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
''',
    '''
class VGGTransfer(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.features = models.vgg11(weights=None).features
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(512 * 7 * 7, 256), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(256, n_classes),
        )

    def forward(self, x):
        return self.head(self.features(x))

model = VGGTransfer(len(ds.classes))
opt = torch.optim.Adam(model.head.parameters(), lr=1e-3)
''',
    '''
for x, y in loader:
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
    print(loss.item())
''',
]

SCRIPTS["cv2-gray-square-predict-without-batch-or-channel-axis"] = '''
import glob
import sys

import cv2
import torch
import torch.nn as nn

PIECES = ["bishop", "empty", "king", "knight", "pawn", "queen", "rook"]

net = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 12 * 12, len(PIECES)),
)
net.load_state_dict(torch.load("chess_cnn.pt"))
net.eval()

# squares cut from the board photo by split_board.py
for path in sorted(glob.glob(sys.argv[1] + "/*.png")):
    gray = cv2.resize(cv2.imread(path, cv2.IMREAD_GRAYSCALE), (48, 48))
    x = torch.from_numpy(gray).float() / 255.0
    with torch.no_grad():
        pred = net(x).argmax(1).item()
    print(path, PIECES[pred])
'''

CHESS_PREP = '''
import torch, torch.nn as nn
net = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 12 * 12, 7),
)
torch.save(net.state_dict(), "chess_cnn.pt")
'''

# ============================================================ model.output_mismatch
CELLS["multilabel-bce-efficientnet-head-not-replaced-notebook"] = [
    '''
import json
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

TAGS = ["beach", "mountain", "people", "sunset", "water"]
ann = json.load(open("holiday/tags.json"))
''',
    '''
class Holiday(Dataset):
    def __init__(self):
        self.items = list(ann.items())
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        name, tags = self.items[i]
        y = torch.zeros(len(TAGS))
        y[[TAGS.index(t) for t in tags]] = 1.0
        return self.tf(Image.open("holiday/photos/" + name).convert("RGB")), y

loader = DataLoader(Holiday(), batch_size=4, shuffle=True)
model = models.efficientnet_b0(weights=None)
for p in model.features.parameters():
    p.requires_grad = False
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
''',
    '''
for epoch in range(2):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]


def holiday(work: Path):
    make_images(work, [(f"holiday/photos/h_{i:03d}.jpg", (96, 64), "RGB") for i in range(6)])
    tags = [["beach", "water"], ["mountain"], ["people", "sunset"], ["beach", "people", "water"],
            ["sunset"], ["mountain", "water"]]
    (work / "holiday/tags.json").write_text(json.dumps({f"h_{i:03d}.jpg": t for i, t in enumerate(tags)}))


# ============================================================ model.weights_mismatch
CELLS["efficientnet-b0-checkpoint-into-b2-notebook"] = [
    '''
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

CLASSES = ["cracked", "intact"]
''',
    '''
# b2 for the bigger inference box
model = models.efficientnet_b2(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(CLASSES))
model.load_state_dict(torch.load("checkpoints/eggs_best.pth", map_location="cpu"))
model.eval()
''',
    '''
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = tf(Image.open("incoming/egg_0031.jpg").convert("RGB")).unsqueeze(0)
print(CLASSES[model(x).argmax(1).item()])
''',
]

EGGS_PREP = '''
import os, torch, torch.nn as nn
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
m = models.efficientnet_b0(weights=None)
m.classifier[1] = nn.Linear(m.classifier[1].in_features, 2)
torch.save(m.state_dict(), "checkpoints/eggs_best.pth")
'''

SCRIPTS["predict-load-state-dict-given-whole-pickled-model"] = '''
import sys

import torch
from PIL import Image
from torchvision import models, transforms

CLASSES = ["ants", "bees"]

model = models.resnet18(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("runs/exp3/best_model.pt", map_location="cpu", weights_only=False))
model.eval()

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
for path in sys.argv[1:]:
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        p = model(x).softmax(1)[0]
    print(path, CLASSES[p.argmax().item()], f"{p.max().item():.2%}")
'''

WHOLE_PREP = '''
import os, torch
from torchvision import models
os.makedirs("runs/exp3", exist_ok=True)
model = models.resnet18(weights=None, num_classes=2)
torch.save(model, "runs/exp3/best_model.pt")    # as train.py does after the best epoch
'''

# ============================================================ model.api_misuse
CELLS["predict-pil-resize-given-int-notebook"] = [
    '''
import numpy as np
import torch
from PIL import Image
from torchvision import models

model = models.resnet18(weights=None, num_classes=4)
model.load_state_dict(torch.load("coffee_beans_resnet18.pt"))
model.eval()
CLASSES = ["dark", "green", "light", "medium"]
''',
    '''
def predict(path, size=128):
    img = Image.open(path).convert("RGB").resize(size)
    x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255).permute(2, 0, 1).unsqueeze(0)
    with torch.no_grad():
        return CLASSES[model(x).argmax(1).item()]

predict("samples/roast_017.jpg")
''',
]

COFFEE_PREP = '''
import torch
from torchvision import models
torch.save(models.resnet18(weights=None, num_classes=4).state_dict(), "coffee_beans_resnet18.pt")
'''

SCRIPTS["loss-class-called-with-tensors-instead-of-instance"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/pills/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(3):
    running = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = nn.CrossEntropyLoss(outputs, labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch}: {running / len(loader):.4f}")
'''

CELLS["imageai-custom-cls-json-written-as-list-notebook"] = [
    '''
from imageai.Classification.Custom import CustomImageClassification
import json

# the class file went missing with the old laptop, rebuilt by hand from the folder names
json.dump(["dent", "scratch", "undamaged"], open("car_damage_classes.json", "w"))
''',
    '''
clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("resnet50-car_damage-test_acc_0.83333_epoch-24.pt")
clf.setJsonPath("car_damage_classes.json")
clf.loadModel()
''',
    '''
names, probs = clf.classifyImage("claims/claim_5521.jpg", result_count=2)
print(names, probs)
''',
]

CAR_PREP = '''
import torch, torch.nn as nn
from torchvision.models import resnet50
m = resnet50(weights=None)
m.fc = nn.Linear(m.fc.in_features, 3)
torch.save(m.state_dict(), "resnet50-car_damage-test_acc_0.83333_epoch-24.pt")
'''

# ============================================================ optim.divergence
CELLS["conv-autoencoder-raw-pixels-latent-pca-lowrank-notebook"] = [
    '''
import glob
import numpy as np
import torch
import torch.nn as nn
from PIL import Image

torch.manual_seed(0)
paths = sorted(glob.glob("fabric_patches/*.png"))
X = torch.stack([torch.from_numpy(np.array(Image.open(p).convert("RGB"), dtype=np.float32)).permute(2, 0, 1)
                 for p in paths])
print(X.shape, X.min().item(), X.max().item())
''',
    '''
encoder = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                        nn.Flatten(), nn.Linear(32 * 8 * 8, 16))
decoder = nn.Sequential(nn.Linear(16, 32 * 8 * 8), nn.ReLU(), nn.Unflatten(1, (32, 8, 8)),
                        nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 3, 4, 2, 1))
params = list(encoder.parameters()) + list(decoder.parameters())
opt = torch.optim.SGD(params, lr=0.1, momentum=0.9)
for step in range(30):
    loss = nn.functional.mse_loss(decoder(encoder(X)), X)
    opt.zero_grad(); loss.backward(); opt.step()
    if step % 5 == 0:
        print(step, loss.item())
''',
    '''
# 2-D view of the latent space
with torch.no_grad():
    z = encoder(X)
U, S, V = torch.pca_lowrank(z, q=2)
coords = (z - z.mean(0)) @ V[:, :2]
print(coords[:5])
''',
]


def patches(work, np, Image):
    (work / "fabric_patches").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i in range(8):
        Image.fromarray(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)).save(work / f"fabric_patches/p_{i:02d}.png")


# ============================================================ optim.autograd_graph
CELLS["hand-rolled-ce-softmax-clamp-inplace-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/butterflies", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
def my_cross_entropy(logits, targets, eps=1e-7):
    probs = F.softmax(logits, dim=1)
    probs.clamp_(eps, 1.0)          # avoid log(0)
    return -torch.log(probs[torch.arange(len(targets)), targets]).mean()
''',
    '''
for epoch in range(2):
    for x, y in loader:
        loss = my_cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''',
]

# ============================================================ env.multiprocessing
SCRIPTS["tar-shards-dataset-tarfile-handle-spawn-workers"] = '''
import io
import tarfile

import torch
import torch.multiprocessing as mp
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class TarImages(Dataset):
    """reads images straight out of the shard, no extraction (the cluster has a file-count quota)"""

    def __init__(self, shard, tf):
        self.tar = tarfile.open(shard)
        self.members = [m for m in self.tar.getmembers() if m.name.endswith(".jpg")]
        self.classes = sorted({m.name.split("/")[0] for m in self.members})
        self.tf = tf

    def __len__(self):
        return len(self.members)

    def __getitem__(self, i):
        m = self.members[i]
        img = Image.open(io.BytesIO(self.tar.extractfile(m).read())).convert("RGB")
        return self.tf(img), self.classes.index(m.name.split("/")[0])


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = TarImages("shards/plankton-000.tar", tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2,
                        multiprocessing_context="spawn", persistent_workers=True)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

TAR_PREP = '''
import io, os, random, tarfile
from PIL import Image
rnd = random.Random(0)
os.makedirs("shards", exist_ok=True)
with tarfile.open("shards/plankton-000.tar", "w") as t:
    for c in ["copepod", "diatom", "larva"]:
        for i in range(3):
            im = Image.frombytes("RGB", (64, 64), bytes(rnd.randrange(256) for _ in range(64 * 64 * 3)))
            b = io.BytesIO(); im.save(b, format="JPEG"); data = b.getvalue()
            info = tarfile.TarInfo(f"{c}/{c}_{i}.jpg"); info.size = len(data)
            t.addfile(info, io.BytesIO(data))
'''

# ============================================================ env.cuda_setup
CELLS["colab-first-cell-get-device-name-cpu-runtime-notebook"] = [
    '''
import torch
print(torch.__version__)
print("GPU:", torch.cuda.get_device_name(0))
device = torch.device("cuda")
''',
    '''
from torchvision import models
model = models.resnet18(weights=None, num_classes=3).to(device)
''',
]

# ============================================================ other
CELLS["history-json-dump-tensor-losses-notebook"] = [
    '''
import json
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/rocks", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
history = {"loss": [], "acc": []}
''',
    '''
for epoch in range(2):
    total, correct, seen = 0.0, 0, 0
    for x, y in loader:
        out = model(x)
        loss = criterion(out, y)
        opt.zero_grad(); loss.backward(); opt.step()
        total += loss.detach() * len(y)
        correct += (out.argmax(1) == y).sum()
        seen += len(y)
    history["loss"].append(total / seen)
    history["acc"].append(correct / seen)
    print(f"epoch {epoch}: loss {total / seen:.3f} acc {correct / seen:.3f}")
''',
    '''
with open("history.json", "w") as f:
    json.dump(history, f, indent=2)
''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more35-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")

    # data.image_size_mismatch
    notebook("mean-std-stack-whole-dataset-no-resize-notebook", "data.image_size_mismatch", setup=leaves_setup)
    script("triplet-positive-uses-eval-transform-without-resize-workers", "data.image_size_mismatch", forms=W,
           setup=flukes_setup)
    # data.image_channels
    notebook("phone-photos-of-digits-into-mnist-cnn-notebook", "data.image_channels",
             setup=both(imgs(class_folder("my_digits", [str(d) for d in range(10)], 1, size=(60, 80))),
                        prep(MNIST_PREP)))
    script("grayscale-augment-num-output-channels-1-resnet", "data.image_channels",
           setup=imgs(class_folder("data/welds/train", ["good", "porosity", "undercut"], 3, size=(100, 80))))
    # data.bbox_invalid
    notebook("labelme-rectangle-drawn-bottom-up-frcnn-notebook", "data.bbox_invalid", setup=labelme_setup,
             timeout=300)
    script("cv2-boundingrect-xywh-used-as-xyxy-frcnn-workers", "data.bbox_invalid", setup=np_setup(seeds),
           timeout=300)
    # data.label_out_of_range
    notebook("review-photo-star-rating-1-to-5-ce-notebook", "data.label_out_of_range", setup=reviews)
    notebook("label-smoothing-one-hot-helper-new-class-folder-notebook", "data.label_out_of_range",
             setup=imgs(class_folder("waste/train", ["cardboard", "glass", "metal", "paper", "plastic"], 2,
                                     size=(72, 72))))
    # data.label_shape
    notebook("csv-label-slice-keeps-column-ce-notebook", "data.label_shape", setup=fabric)
    script("dataset-label-wrapped-in-list-ce", "data.label_shape", setup=traps)
    # data.dtype
    notebook("growth-stage-loadtxt-float-labels-ce-notebook", "data.dtype", setup=greenhouse)
    script("numpy-imagenet-normalise-promotes-float64-workers", "data.dtype",
           setup=imgs(class_folder("data/sushi/train", ["maki", "nigiri", "sashimi"], 3, size=(90, 80))))
    notebook("imageai-custom-cls-classify-float-array-from-cv2-notebook", "data.dtype", framework="imageai",
             setup=both(imgs([("test/basil_from_market.jpg", (120, 90), "RGB")]), prep(HERBS_PREP)))
    # data.missing_or_corrupt
    notebook("colab-zip-macosx-appledouble-files-imagefolder-notebook", "data.missing_or_corrupt",
             setup=macosx_zip)
    script("csv-trailing-empty-rows-blank-filename-workers", "data.missing_or_corrupt", forms=W, setup=corals)
    notebook("kaggle-csv-ids-png-suffix-files-are-jpg-notebook", "data.missing_or_corrupt", setup=cactus)
    # model.input_shape
    notebook("vgg-features-custom-head-25088-at-128px-notebook", "model.input_shape",
             setup=imgs(class_folder("data/dogs_vs_cats", ["cat", "dog"], 2, size=(100, 90))))
    script("cv2-gray-square-predict-without-batch-or-channel-axis", "model.input_shape", argv="predict.py",
           args=("board_squares",),
           setup=both(imgs([(f"board_squares/sq_{r}{c}.png", (60, 60), "L") for r in "ab" for c in "12"]),
                      prep(CHESS_PREP)))
    # model.output_mismatch
    notebook("multilabel-bce-efficientnet-head-not-replaced-notebook", "model.output_mismatch", setup=holiday)
    # model.weights_mismatch
    notebook("efficientnet-b0-checkpoint-into-b2-notebook", "model.weights_mismatch",
             setup=both(imgs([("incoming/egg_0031.jpg", (100, 100), "RGB")]), prep(EGGS_PREP)))
    script("predict-load-state-dict-given-whole-pickled-model", "model.weights_mismatch", argv="predict.py",
           args=("photos/IMG_2231.jpg",),
           setup=both(imgs([("photos/IMG_2231.jpg", (120, 90), "RGB")]), prep(WHOLE_PREP)))
    # model.api_misuse
    notebook("predict-pil-resize-given-int-notebook", "model.api_misuse",
             setup=both(imgs([("samples/roast_017.jpg", (120, 120), "RGB")]), prep(COFFEE_PREP)))
    script("loss-class-called-with-tensors-instead-of-instance", "model.api_misuse",
           setup=imgs(class_folder("data/pills/train", ["aspirin", "ibuprofen", "paracetamol"], 2, size=(70, 70))))
    notebook("imageai-custom-cls-json-written-as-list-notebook", "model.api_misuse", framework="imageai",
             setup=both(imgs([("claims/claim_5521.jpg", (120, 90), "RGB")]), prep(CAR_PREP)))
    # optim.divergence
    notebook("conv-autoencoder-raw-pixels-latent-pca-lowrank-notebook", "optim.divergence", setup=np_setup(patches))
    # optim.autograd_graph
    notebook("hand-rolled-ce-softmax-clamp-inplace-notebook", "optim.autograd_graph",
             setup=imgs(class_folder("data/butterflies", ["monarch", "peacock", "swallowtail"], 2, size=(70, 70))))
    # env.multiprocessing
    script("tar-shards-dataset-tarfile-handle-spawn-workers", "env.multiprocessing", setup=prep(TAR_PREP))
    # env.cuda_setup
    notebook("colab-first-cell-get-device-name-cpu-runtime-notebook", "env.cuda_setup")
    # other
    notebook("history-json-dump-tensor-losses-notebook", "other",
             setup=imgs(class_folder("data/rocks", ["basalt", "granite", "marble"], 2, size=(70, 70))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
