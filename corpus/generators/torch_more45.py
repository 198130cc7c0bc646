"""A forty-fifth held-out set of PyTorch / torchvision / ImageAI 3 failures: an untargeted sample of
what people training image models on their own data in 2025-2026 meet (plain train.py scripts,
notebooks, DataLoader workers, torchvision's built-in dataset classes on local copies, transforms v2,
ImageAI 3 trainers on their own folders), spread over the cause ids roughly as often as users hit
them, none a repeat of the scenarios in the other generators (g88, scored 0.82 top-1 and
1.00 top-3 before any rule for it).

- data: ``v2.Resize(size=None, max_size=...)`` taken for "fit into a square" on scans of mixed
  aspect (in workers), ``RandomApply([RandomCrop])`` after the resize (tqdm), ``FashionMNIST`` from
  local raw files into a ResNet (notebook), Oxford-IIIT Pet trimaps (1..3) into a three-class
  LR-ASPP, NYU-style depth PNGs read as H x W x 1 against a B x 1 x H x W prediction (broadcast
  warning first), MediaPipe pose sequences saved as float64 ``.npy`` into an LSTM, a CSV of accented
  mushroom file names whose files were unzipped from a Mac in NFD form (in workers), ``GTSRB``'s test
  split without ``GT-final_test.csv`` (notebook), ImageAI 3 detection labels with the class id in the
  last column, ImageAI 3 anchor k-means over drone photos whose birds are all under 2 px at 416;
- model: MaxViT-T fine-tuned at 128 px (tqdm), a mini-CLIP whose image and text projections have
  different widths, a one-channel-stem X-ray checkpoint loaded into a stock ResNet-18 (notebook);
- API: a ``ModuleList`` of blocks called like a ``Sequential``, ``F.interpolate`` on a 2-D mask
  in ``__getitem__`` (in workers);
- optimisation / autograd: a defect presence + defect area (pixels) multi-task net whose unscaled
  area loss blows the shared trunk up until ``BCELoss`` meets NaN, online hard-example mining that
  calls ``backward`` on the per-sample losses;
- resource / environment: a dataset mean / std computed from one ``batch_size=len(ds)`` batch
  under a job memory limit, an ``lru_cache`` wrapper kept on a Dataset under spawn workers,
  ``torch.onnx.export`` after training on a torch whose exporter needs ``onnxscript``, a bf16/fp16
  choice via ``get_device_capability`` on a CPU laptop;
- plain bugs: an ImageAI split script calling ``random.sample`` on a set (Python 3.11).

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars,
warnings before the error) on CPU with the torch venv (no GPU, no downloads, weights=None); the
label is known by construction.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more45.py [-k filter] [--out DIR] [-j N]
"""

import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases, yolo_layout  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more45.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data.image_size_mismatch
SCRIPTS["v2-resize-size-none-max-size-scans-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models
from torchvision.transforms import v2

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]

# scans come in every size: cap the longest side at 160 px so the batches stay small
train_tf = v2.Compose([
    v2.ToImage(),
    v2.Resize(size=None, max_size=160),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize(MEAN, STD),
])


def main():
    train_ds = datasets.ImageFolder("paperwork/train", transform=train_tf)
    loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(5):
        model.train()
        for x, y in loader:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''


def paperwork_setup(work: Path):
    sizes = [(300, 420), (420, 300), (310, 440), (600, 280), (300, 420), (350, 500)]
    specs = []
    for c in ("invoice", "receipt", "delivery_note"):
        for i, wh in enumerate(sizes):
            specs.append((f"paperwork/train/{c}/scan_{i:03d}.jpg", wh, "RGB"))
    make_images(work, specs)


SCRIPTS["random-apply-crop-after-resize-coral-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

torch.manual_seed(42)

train_tf = T.Compose([
    T.Resize((128, 128)),
    T.RandomApply([T.RandomCrop(112)], p=0.5),     # zoom in now and then
    T.RandomHorizontalFlip(),
    T.RandomVerticalFlip(),
    T.ToTensor(),
    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("reef/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):
    model.train()
    running = 0.0
    for images, labels in tqdm(train_loader, desc=f"Epoch {epoch + 1}/10"):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"train loss {running / len(train_loader):.4f}")
'''

# ================================================================== data.image_channels
CELLS["fashionmnist-local-raw-files-into-resnet18-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

device = "cuda" if torch.cuda.is_available() else "cpu"
tf = T.Compose([T.ToTensor(), T.Normalize((0.2860,), (0.3530,))])
train_set = datasets.FashionMNIST("data", train=True, download=False, transform=tf)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
print(len(train_set), train_set.classes[:4])
''',
    '''
# transfer learning with a ResNet-18 (weights=ResNet18_Weights.DEFAULT at home, the lab node is offline)
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 10)
model = model.to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(3):
    model.train()
    for images, labels in train_loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: {loss.item():.4f}")
''',
]

FMNIST_PREP = '''
import os
import struct
import numpy as np
rng = np.random.default_rng(0)
raw = "data/FashionMNIST/raw"
os.makedirs(raw, exist_ok=True)
for prefix, n in (("train", 96), ("t10k", 32)):
    with open(f"{raw}/{prefix}-images-idx3-ubyte", "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28))
        f.write(rng.integers(0, 255, (n, 28, 28), dtype=np.uint8).tobytes())
    with open(f"{raw}/{prefix}-labels-idx1-ubyte", "wb") as f:
        f.write(struct.pack(">II", 2049, n))
        f.write((np.arange(n) % 10).astype(np.uint8).tobytes())
'''

# ================================================================== data.label_out_of_range
SCRIPTS["oxford-pet-trimaps-three-class-lraspp"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms.functional as TF
from torch.utils.data import DataLoader
from torchvision.datasets import OxfordIIITPet
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import InterpolationMode

CLASSES = ["pet", "background", "border"]        # the three trimap classes
SIZE = [128, 128]


def joint(img, trimap):
    img = TF.to_tensor(TF.resize(img, SIZE))
    mask = TF.resize(trimap, SIZE, interpolation=InterpolationMode.NEAREST)
    return img, torch.from_numpy(np.array(mask)).long()


def main():
    train_set = OxfordIIITPet("data", split="trainval", target_types="segmentation", transforms=joint)
    loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=2)
    model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        model.train()
        for images, masks in loader:
            out = model(images)["out"]
            loss = criterion(out, masks)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

PETS_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
base = "data/oxford-iiit-pet"
os.makedirs(f"{base}/images", exist_ok=True)
os.makedirs(f"{base}/annotations/trimaps", exist_ok=True)
lines = []
for k, (breed, cid, species) in enumerate([("Abyssinian", 1, 1), ("beagle", 4, 2), ("Bengal", 6, 1), ("boxer", 9, 2)]):
    for i in range(1, 3):
        name = f"{breed}_{100 + i}"
        h, w = 180 + 20 * k, 220
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f"{base}/images/{name}.jpg")
        tri = np.full((h, w), 2, np.uint8)                  # 2 = background
        tri[30:h - 30, 40:w - 40] = 3                         # 3 = border
        tri[36:h - 36, 46:w - 46] = 1                         # 1 = pet
        Image.fromarray(tri).save(f"{base}/annotations/trimaps/{name}.png")
        lines.append(f"{name} {cid} {species} {k + 1}")
open(f"{base}/annotations/trainval.txt", "w").write("\\n".join(lines) + "\\n")
open(f"{base}/annotations/test.txt", "w").write(lines[0] + "\\n")
'''

# ================================================================== data.label_shape
SCRIPTS["depth-png-target-hw1-vs-b1hw-prediction"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset

H, W = 48, 64


class IndoorDepth(Dataset):
    """rgb/*.jpg + depth/*.png (16-bit, millimetres) exported from the RealSense recorder"""

    def __init__(self, root):
        self.rgb = sorted(glob.glob(os.path.join(root, "rgb", "*.jpg")))
        self.root = root

    def __len__(self):
        return len(self.rgb)

    def __getitem__(self, i):
        name = os.path.basename(self.rgb[i]).replace(".jpg", ".png")
        img = TF.to_tensor(Image.open(self.rgb[i]).convert("RGB").resize((W, H)))
        depth = Image.open(os.path.join(self.root, "depth", name)).resize((W, H), Image.NEAREST)
        depth = np.array(depth, dtype=np.float32)[..., None] / 1000.0     # metres, H x W x 1
        return img, torch.from_numpy(depth)


class TinyDepthNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def forward(self, x):
        return torch.relu(self.dec(self.enc(x)))       # B x 1 x H x W, depth in metres


loader = DataLoader(IndoorDepth("realsense_office"), batch_size=4, shuffle=True)
model = TinyDepthNet()
criterion = nn.L1Loss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for img, depth in loader:
        pred = model(img)
        loss = criterion(pred, depth)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: L1 {loss.item():.3f} m")
'''

DEPTH_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
os.makedirs("realsense_office/rgb", exist_ok=True)
os.makedirs("realsense_office/depth", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"realsense_office/rgb/frame_{i:05d}.jpg")
    d = rng.integers(400, 6000, (240, 320)).astype(np.uint16)
    Image.fromarray(d).save(f"realsense_office/depth/frame_{i:05d}.png")
'''

# ================================================================== data.dtype
SCRIPTS["mediapipe-pose-sequences-float64-npy-lstm"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

SEQ_LEN = 30


class PoseSequences(Dataset):
    """poses/<exercise>/<clip>.npy: T x 33 x 3 landmarks saved from MediaPipe Pose"""

    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, c) for c, name in enumerate(self.classes)
                      for p in sorted(glob.glob(os.path.join(root, name, "*.npy")))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        seq = np.load(path)[:SEQ_LEN]
        seq = seq - seq[:, 23:25].mean(axis=1, keepdims=True)     # centre on the hips
        return torch.from_numpy(seq.reshape(SEQ_LEN, -1)), label


class ExerciseLSTM(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.lstm = nn.LSTM(33 * 3, 128, num_layers=2, batch_first=True, dropout=0.2)
        self.fc = nn.Linear(128, n_classes)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1])


ds = PoseSequences("poses")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = ExerciseLSTM(len(ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

POSE_PREP = '''
import os
import numpy as np
rng = np.random.default_rng(0)
for ex in ("squat", "pushup", "lunge"):
    os.makedirs(f"poses/{ex}", exist_ok=True)
    for i in range(3):
        lm = rng.random((40, 33, 3))              # x, y, z per landmark (float64, as the recorder saved them)
        np.save(f"poses/{ex}/{ex}_{i:03d}.npy", lm)
'''

# ================================================================== data.missing_or_corrupt
SCRIPTS["csv-accented-names-unzipped-nfd-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

ROOT = "champignons"      # images.zip from the club's shared Mac, labels.csv typed in Excel


class Mushrooms(Dataset):
    def __init__(self, root, tf):
        with open(os.path.join(root, "labels.csv"), encoding="utf-8") as f:
            self.rows = list(csv.DictReader(f))
        self.classes = sorted({r["espece"] for r in self.rows})
        self.root, self.tf = root, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(os.path.join(self.root, "images", r["fichier"])).convert("RGB")
        return self.tf(img), self.classes.index(r["espece"])


def main():
    ds = Mushrooms(ROOT, T.Compose([T.Resize((96, 96)), T.ToTensor()]))
    print(len(ds), "photos,", ds.classes)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def mushrooms_setup(work: Path):
    species = ["cèpe", "girolle", "morille", "pézize orangée"]
    rows = ["fichier,espece\n"]
    specs = []
    for s in species:
        for i in range(3):
            name = f"{s.replace(' ', '_')}_{i + 1:02d}.jpg"
            rows.append(f"{unicodedata.normalize('NFC', name)},{unicodedata.normalize('NFC', s)}\n")
            specs.append((f"champignons/images/{unicodedata.normalize('NFD', name)}", (120, 100), "RGB"))
    make_images(work, specs)
    (work / "champignons/labels.csv").write_text("".join(rows), encoding="utf-8")


CELLS["gtsrb-test-split-without-gt-csv-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

tf = T.Compose([T.Resize((32, 32)), T.ToTensor(), T.Normalize((0.34, 0.31, 0.32), (0.27, 0.26, 0.27))])
train_set = datasets.GTSRB("data", split="train", transform=tf)
train_loader = DataLoader(train_set, batch_size=16, shuffle=True)
print(len(train_set), "training signs")
''',
    '''
model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 43),
)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
''',
    '''
# downloaded GTSRB_Final_Test_Images.zip into data/gtsrb and unzipped it
test_set = datasets.GTSRB("data", split="test", transform=tf)
test_loader = DataLoader(test_set, batch_size=64)
correct = 0
model.eval()
with torch.no_grad():
    for x, y in test_loader:
        correct += (model(x).argmax(1) == y).sum().item()
print(f"test accuracy: {correct / len(test_set):.3f}")
''',
]

GTSRB_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
base = "data/gtsrb/GTSRB"
for c in range(3):
    d = f"{base}/Training/{c:05d}"
    os.makedirs(d, exist_ok=True)
    rows = ["Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2;ClassId"]
    for i in range(4):
        w, h = int(rng.integers(29, 60)), int(rng.integers(29, 60))
        Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f"{d}/00000_{i:05d}.ppm")
        rows.append(f"00000_{i:05d}.ppm;{w};{h};5;5;{w - 5};{h - 5};{c}")
    open(f"{d}/GT-{c:05d}.csv", "w").write("\\n".join(rows) + "\\n")
os.makedirs(f"{base}/Final_Test/Images", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)).save(f"{base}/Final_Test/Images/{i:05d}.ppm")
open(f"{base}/Final_Test/Images/GT-final_test.test.csv", "w").write(
    "Filename;Width;Height;Roi.X1;Roi.Y1;Roi.X2;Roi.Y2\\n" + "".join(f"{i:05d}.ppm;40;40;5;5;35;35\\n" for i in range(6)))
'''

# ================================================================== data.bbox_invalid
SCRIPTS["imageai-det-kaggle-labels-class-id-last-column"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# Kaggle "construction site safety" set, copied into the layout ImageAI wants:
#   site/train/images/*.jpg + site/train/annotations/*.txt (and the same for validation)
CLASSES = ["helmet", "head", "vest"]

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="site")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def site_rows(split, i):
    # this Kaggle export writes "x_center y_center width height class"
    rows = []
    for k in range(3):
        cls = (i + k) % 3
        rows.append(f"{0.2 + 0.25 * k:.6f} {0.3 + 0.05 * (i % 4):.6f} {0.12 + 0.01 * k:.6f} {0.2:.6f} {cls}")
    return "\n".join(rows) + "\n"


# ================================================================== data.too_few_boxes
SCRIPTS["imageai-det-drone-tiny-birds-anchor-kmeans"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# gull / tern colony counts from a DJI Mavic at 60 m (1920 x 1080 frames), labelled in CVAT (YOLO 1.1)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="colony")
trainer.setTrainConfig(object_names_array=["gull", "tern"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''

DRONE_PREP = '''
import os
import numpy as np
import cv2
rng = np.random.default_rng(0)
for split, n in (("train", 8), ("validation", 2)):
    os.makedirs(f"colony/{split}/images", exist_ok=True)
    os.makedirs(f"colony/{split}/annotations", exist_ok=True)
    for i in range(n):
        img = np.full((1080, 1920, 3), (96, 118, 104), np.uint8)
        img += rng.integers(0, 24, img.shape, dtype=np.uint8)
        cv2.imwrite(f"colony/{split}/images/DJI_{i + 412:04d}.JPG", img)
        rows = [f"{k % 2} {rng.uniform(0.1, 0.9):.6f} {rng.uniform(0.1, 0.9):.6f} "
                f"{rng.uniform(0.003, 0.0045):.6f} {rng.uniform(0.004, 0.007):.6f}" for k in range(6)]
        open(f"colony/{split}/annotations/DJI_{i + 412:04d}.txt", "w").write("\\n".join(rows) + "\\n")
'''

# ================================================================== model.input_shape
SCRIPTS["maxvit-finetune-at-128px-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

IMG_SIZE = 128          # 224 does not fit the 8 GB card with MaxViT

tf = T.Compose([T.Resize((IMG_SIZE, IMG_SIZE)), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("skin_lesions/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.maxvit_t(weights=None)           # MaxViT_T_Weights.IMAGENET1K_V1 on the workstation
model.classifier[5] = nn.Linear(model.classifier[5].in_features, len(train_ds.classes), bias=False)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)

for epoch in range(10):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x, y in pbar:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

# ================================================================== model.output_mismatch
SCRIPTS["mini-clip-image-and-text-projection-widths"] = '''
import csv
import re

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

CFG = {"image_embed_dim": 512, "text_embed_dim": 256, "temperature": 0.07, "max_len": 16}


def tokenize(text):
    return re.findall(r"[a-z]+", text.lower())


class Captions(Dataset):
    """product photos + one short caption each (captions.csv: image,caption)"""

    def __init__(self, root):
        self.rows = list(csv.DictReader(open(f"{root}/captions.csv")))
        words = sorted({w for r in self.rows for w in tokenize(r["caption"])})
        self.vocab = {w: i + 1 for i, w in enumerate(words)}          # 0 = padding
        self.tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
        self.root = root

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        ids = [self.vocab[w] for w in tokenize(r["caption"])][:CFG["max_len"]]
        ids += [0] * (CFG["max_len"] - len(ids))
        return self.tf(Image.open(f"{self.root}/images/{r['image']}").convert("RGB")), torch.tensor(ids)


class ImageEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.proj = nn.Linear(512, CFG["image_embed_dim"])

    def forward(self, x):
        return F.normalize(self.proj(self.backbone(x)), dim=-1)


class TextEncoder(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.emb = nn.Embedding(vocab_size + 1, 128, padding_idx=0)
        self.gru = nn.GRU(128, 256, batch_first=True)
        self.proj = nn.Linear(256, CFG["text_embed_dim"])

    def forward(self, ids):
        _, h = self.gru(self.emb(ids))
        return F.normalize(self.proj(h[-1]), dim=-1)


ds = Captions("shop")
loader = DataLoader(ds, batch_size=8, shuffle=True, drop_last=True)
img_enc, txt_enc = ImageEncoder(), TextEncoder(len(ds.vocab))
params = list(img_enc.parameters()) + list(txt_enc.parameters())
optimizer = torch.optim.AdamW(params, lr=1e-4)

for epoch in range(10):
    for images, ids in loader:
        img_emb, txt_emb = img_enc(images), txt_enc(ids)
        logits = img_emb @ txt_emb.T / CFG["temperature"]
        target = torch.arange(len(images))
        loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: contrastive loss {loss.item():.4f}")
'''


def shop_setup(work: Path):
    caps = ["red cotton t-shirt with round neck", "blue denim jacket", "black leather boots",
            "white running shoes", "green wool scarf", "grey hooded sweatshirt", "brown canvas backpack",
            "yellow rain coat", "navy blue chinos", "pink summer dress"]
    make_images(work, [(f"shop/images/p{i:04d}.jpg", (110, 130), "RGB") for i in range(len(caps))])
    (work / "shop/captions.csv").write_text(
        "image,caption\n" + "".join(f"p{i:04d}.jpg,{c}\n" for i, c in enumerate(caps)))


# ================================================================== model.weights_mismatch
CELLS["xray-one-channel-stem-checkpoint-into-stock-resnet18-notebook"] = [
    '''
import json
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms as T

CLASSES = json.load(open("checkpoints/classes.json"))
CLASSES
''',
    '''
model = models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/xray_resnet18_best.pth", map_location="cpu"))
model.eval()
''',
    '''
tf = T.Compose([T.Grayscale(), T.Resize((224, 224)), T.ToTensor(), T.Normalize([0.5], [0.25])])
x = tf(Image.open("patient_0042.png")).unsqueeze(0)
with torch.no_grad():
    probs = model(x).softmax(1)[0]
print({c: round(p.item(), 3) for c, p in zip(CLASSES, probs)})
''',
]

XRAY_PREP = '''
import json, os
import torch
import torch.nn as nn
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
# what train_xray.py saved: a ResNet-18 whose stem takes the single X-ray channel
m = models.resnet18(num_classes=2)
m.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
torch.save(m.state_dict(), "checkpoints/xray_resnet18_best.pth")
json.dump(["NORMAL", "PNEUMONIA"], open("checkpoints/classes.json", "w"))
'''

# ================================================================== model.api_misuse
SCRIPTS["modulelist-of-blocks-called-like-sequential"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T


class ConvBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(torch.relu(self.bn(self.conv(x))))


class LeafNet(nn.Module):
    def __init__(self, n_classes, widths=(32, 64, 128)):
        super().__init__()
        chans = (3,) + tuple(widths)
        self.blocks = nn.ModuleList([ConvBlock(a, b) for a, b in zip(chans[:-1], chans[1:])])
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(widths[-1], n_classes))

    def forward(self, x):
        x = self.blocks(x)
        return self.head(x)


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
train_ds = datasets.ImageFolder("cassava/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = LeafNet(len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
print(f"{sum(p.numel() for p in model.parameters()):,} parameters")

for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["interpolate-2d-mask-in-getitem-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

SIZE = (128, 128)


class PolypSeg(Dataset):
    """Kvasir-SEG style: images/*.jpg and masks/*.jpg (white = polyp)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = torch.from_numpy(np.array(Image.open(self.images[i]).convert("RGB"))).permute(2, 0, 1).float() / 255
        mask = np.array(Image.open(self.images[i].replace("images", "masks")).convert("L")) > 127
        mask = torch.from_numpy(mask).float()
        img = F.interpolate(img[None], size=SIZE, mode="bilinear", align_corners=False)[0]
        mask = F.interpolate(mask, size=SIZE, mode="nearest")
        return img, mask


class SmallUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.mid = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.ReLU())
        self.up = nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(32, 1, 3, padding=1))

    def forward(self, x):
        return self.up(self.mid(self.down(x)))


def main():
    loader = DataLoader(PolypSeg("kvasir"), batch_size=4, shuffle=True, num_workers=2)
    model = SmallUNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(10):
        for img, mask in loader:
            loss = criterion(model(img), mask.unsqueeze(1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

KVASIR_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
os.makedirs("kvasir/images", exist_ok=True)
os.makedirs("kvasir/masks", exist_ok=True)
for i in range(8):
    h, w = 300 + 10 * i, 360
    Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f"kvasir/images/cju{i:04d}.jpg")
    m = np.zeros((h, w), np.uint8)
    m[80:200, 100:240] = 255
    Image.fromarray(m).save(f"kvasir/masks/cju{i:04d}.jpg")
'''

# ================================================================== optim.divergence
SCRIPTS["defect-presence-and-area-pixels-multitask-bce-nan"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T


class WeldDefects(Dataset):
    """labels.csv: file, defect (0/1), area_px (defect area in pixels, 0 when there is none)"""

    def __init__(self, root):
        self.rows = list(csv.DictReader(open(f"{root}/labels.csv")))
        self.root = root
        self.tf = T.Compose([T.Grayscale(3), T.Resize((64, 64)), T.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open(f"{self.root}/{r['file']}"))
        return img, torch.tensor(float(r["defect"])), torch.tensor(float(r["area_px"]))


class DefectNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1), nn.LeakyReLU(0.1),
            nn.Conv2d(16, 32, 3, 2, 1), nn.LeakyReLU(0.1),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.presence = nn.Sequential(nn.Linear(32, 1), nn.Sigmoid())
        self.area = nn.Linear(32, 1)

    def forward(self, x):
        f = self.trunk(x)
        return self.presence(f).squeeze(1), self.area(f).squeeze(1)


loader = DataLoader(WeldDefects("welds"), batch_size=8, shuffle=True)
model = DefectNet()
bce, mse = nn.BCELoss(), nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
step = 0
for epoch in range(20):
    for x, defect, area in loader:
        p, a = model(x)
        loss = bce(p, defect) + mse(a, area)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"step {step}: loss {loss.item():.4g}")
        step += 1
'''


def welds_setup(work: Path):
    make_images(work, [(f"welds/w_{i:03d}.png", (80, 80), "L") for i in range(32)])
    rows = ["file,defect,area_px\n"]
    for i in range(32):
        d = int(i % 3 != 0)
        rows.append(f"w_{i:03d}.png,{d},{(350 + 97 * i) * d}\n")
    (work / "welds/labels.csv").write_text("".join(rows))


# ================================================================== optim.autograd_graph
SCRIPTS["ohem-backward-on-per-sample-losses"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("fabric/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss(reduction="none")     # per-sample losses for online hard example mining
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(5):
    for x, y in loader:
        losses = criterion(model(x), y)
        hard = losses[losses >= losses.median()]         # keep the harder half of the batch
        optimizer.zero_grad()
        hard.backward()
        optimizer.step()
    print(f"epoch {epoch}: hard loss {hard.mean().item():.4f}")
'''

# ================================================================== resource.host_memory
SCRIPTS["dataset-mean-std-one-batch-len-ds-rlimit"] = '''
import resource

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

# cluster job: --mem=2G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

# per-channel mean / std of the training set, for Normalize()
ds = datasets.ImageFolder("aerial/train", T.Compose([T.Resize((448, 448)), T.ToTensor()]))
print(len(ds), "images")
loader = DataLoader(ds, batch_size=len(ds), shuffle=False)
images, _ = next(iter(loader))
mean = images.mean(dim=(0, 2, 3))
std = images.std(dim=(0, 2, 3))
print("mean", mean.tolist(), "std", std.tolist())
'''

AERIAL_PREP = '''
import os
import shutil
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
for c in ("buildings", "farmland", "forest", "water"):
    d = f"aerial/train/{c}"
    os.makedirs(d, exist_ok=True)
    first = f"{d}/{c}_0000.jpg"
    Image.fromarray(rng.integers(0, 255, (512, 512, 3), dtype=np.uint8)).save(first, quality=70)
    for i in range(1, 100):
        shutil.copyfile(first, f"{d}/{c}_{i:04d}.jpg")
'''

# ================================================================== env.multiprocessing
SCRIPTS["lru-cache-wrapper-on-dataset-spawn-workers"] = '''
import functools
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class SatelliteTiles(Dataset):
    """256 px crops cut on the fly from a few large scenes"""

    def __init__(self, root, crops_per_scene=8):
        self.scenes = sorted(glob.glob(f"{root}/*.png"))
        self.crops_per_scene = crops_per_scene
        # decode each scene once, every crop of it reuses the array
        self.load_scene = functools.lru_cache(maxsize=4)(self._load_scene)

    def _load_scene(self, path):
        return np.asarray(Image.open(path).convert("RGB"))

    def __len__(self):
        return len(self.scenes) * self.crops_per_scene

    def __getitem__(self, i):
        scene = self.load_scene(self.scenes[i // self.crops_per_scene])
        rng = np.random.default_rng(i)
        y, x = rng.integers(0, scene.shape[0] - 64), rng.integers(0, scene.shape[1] - 64)
        crop = scene[y:y + 64, x:x + 64]
        return torch.from_numpy(crop.copy()).permute(2, 0, 1).float() / 255, int(i % 2)


def main():
    ds = SatelliteTiles("scenes")
    # the GPU colour augmentation in the workers needs spawn (CUDA cannot be forked)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
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

# ================================================================== env.version_incompat
SCRIPTS["onnx-export-after-training-dynamo-default"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("parts/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")

torch.save(model.state_dict(), "parts_mobilenet.pt")

# export for the line PC (onnxruntime), same call as in the deployment guide
model.eval()
dummy = torch.randn(1, 3, 64, 64)
torch.onnx.export(model, dummy, "parts_mobilenet.onnx", input_names=["image"], output_names=["logits"],
                  dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17)
print("exported parts_mobilenet.onnx")
'''

# ================================================================== env.cuda_setup
SCRIPTS["amp-dtype-from-device-capability-cpu-laptop"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

device = "cuda" if torch.cuda.is_available() else "cpu"
# bf16 autocast on Ampere and newer, fp16 + GradScaler on older cards
major, minor = torch.cuda.get_device_capability()
amp_dtype = torch.bfloat16 if major >= 8 else torch.float16
print(f"device={device} amp={amp_dtype}")

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
loader = DataLoader(datasets.ImageFolder("bees/train", tf), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=2).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
scaler = torch.amp.GradScaler(device, enabled=(amp_dtype == torch.float16))

for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.autocast(device_type=device, dtype=amp_dtype):
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(epoch, loss.item())
'''

# ================================================================== other
SCRIPTS["imageai-split-script-random-sample-of-set"] = '''
import glob
import os
import random
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

random.seed(0)

# step 1: split the labelled photos into the train / validation layout ImageAI wants
stems = {os.path.splitext(os.path.basename(p))[0] for p in glob.glob("labelled/*.jpg")}
val = set(random.sample(stems, k=max(1, len(stems) // 5)))
for stem in stems:
    split = "validation" if stem in val else "train"
    for sub_dir, ext in (("images", ".jpg"), ("annotations", ".txt")):
        os.makedirs(f"apples/{split}/{sub_dir}", exist_ok=True)
        shutil.copy(f"labelled/{stem}{ext}", f"apples/{split}/{sub_dir}/{stem}{ext}")
print(len(stems) - len(val), "train /", len(val), "validation")

# step 2: train
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="apples")
trainer.setTrainConfig(object_names_array=["apple", "damaged_apple"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def apples_setup(work: Path):
    make_images(work, [(f"labelled/orchard_{i:03d}.jpg", (160, 120), "RGB") for i in range(10)])
    for i in range(10):
        (work / f"labelled/orchard_{i:03d}.txt").write_text(
            f"{i % 2} {0.3 + 0.02 * i:.4f} 0.5 0.2 0.25\n0 0.7 0.4 0.15 0.2\n")


def cases():
    out, add, script, notebook = case_builders("torch-more45-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    script("v2-resize-size-none-max-size-scans-workers", "data.image_size_mismatch", forms=W, setup=paperwork_setup)
    script("random-apply-crop-after-resize-coral-tqdm", "data.image_size_mismatch", forms=P,
           setup=imgs(class_folder("reef/train", ["bleached", "healthy", "dead"], 6, size=(150, 140))))
    notebook("fashionmnist-local-raw-files-into-resnet18-notebook", "data.image_channels",
             also=["model.input_shape"], setup=prep(FMNIST_PREP))
    script("oxford-pet-trimaps-three-class-lraspp", "data.label_out_of_range", setup=prep(PETS_PREP))
    script("depth-png-target-hw1-vs-b1hw-prediction", "data.label_shape", setup=prep(DEPTH_PREP))
    script("mediapipe-pose-sequences-float64-npy-lstm", "data.dtype", setup=prep(POSE_PREP))
    script("csv-accented-names-unzipped-nfd-workers", "data.missing_or_corrupt", forms=W, setup=mushrooms_setup)
    notebook("gtsrb-test-split-without-gt-csv-notebook", "data.missing_or_corrupt", setup=prep(GTSRB_PREP))
    iai("imageai-det-kaggle-labels-class-id-last-column", "data.bbox_invalid",
        setup=yolo_layout("site", site_rows, size=(200, 150), splits=(("train", 6), ("validation", 2))))
    iai("imageai-det-drone-tiny-birds-anchor-kmeans", "data.too_few_boxes", also=["data.bbox_invalid"],
        setup=prep(DRONE_PREP))
    script("maxvit-finetune-at-128px-tqdm", "model.input_shape", forms=P,
           setup=imgs(class_folder("skin_lesions/train", ["benign", "malignant", "nevus"], 3, size=(150, 150))))
    script("mini-clip-image-and-text-projection-widths", "model.output_mismatch", setup=shop_setup)
    notebook("xray-one-channel-stem-checkpoint-into-stock-resnet18-notebook", "model.weights_mismatch",
             setup=both(prep(XRAY_PREP), imgs([("patient_0042.png", (256, 256), "L")])))
    script("modulelist-of-blocks-called-like-sequential", "model.api_misuse",
           setup=imgs(class_folder("cassava/train", ["cbb", "cbsd", "healthy"], 3, size=(110, 100))))
    script("interpolate-2d-mask-in-getitem-workers", "model.api_misuse", forms=W, setup=prep(KVASIR_PREP))
    script("defect-presence-and-area-pixels-multitask-bce-nan", "optim.divergence", setup=welds_setup)
    script("ohem-backward-on-per-sample-losses", "optim.autograd_graph",
           setup=imgs(class_folder("fabric/train", ["hole", "stain", "ok"], 4, size=(80, 80))))
    script("dataset-mean-std-one-batch-len-ds-rlimit", "resource.host_memory", argv="compute_stats.py",
           setup=prep(AERIAL_PREP), timeout=400)
    script("lru-cache-wrapper-on-dataset-spawn-workers", "env.multiprocessing",
           setup=imgs([(f"scenes/scene_{i}.png", (300, 240), "RGB") for i in range(3)]))
    script("onnx-export-after-training-dynamo-default", "env.version_incompat", also=["other"],
           setup=imgs(class_folder("parts/train", ["bolt", "nut", "washer"], 3, size=(72, 72))))
    script("amp-dtype-from-device-capability-cpu-laptop", "env.cuda_setup",
           setup=imgs(class_folder("bees/train", ["bee", "wasp"], 3, size=(72, 72))))
    iai("imageai-split-script-random-sample-of-set", "other", also=["env.version_incompat"], argv="prepare_and_train.py",
        setup=apples_setup)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
