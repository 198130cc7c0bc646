"""A fifty-eighth held-out set (g113, scored 0.82 top-1 and 0.95 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: first-time GPU users following a YouTube video or a blog tutorial in a Colab / Kaggle notebook or
a small ``train.py``: image classification with torchvision models and ``ImageFolder``, a U-Net for segmentation
masks, a small Faster R-CNN / Keypoint R-CNN fine-tune, keypoint regression, Kaggle CSV data sets, augmentations
written by hand in the style of albumentations (it is not installed), tqdm loops, accuracy metrics, early stopping
and saving the best model. A natural mix of causes, each program built so that its cause is known by construction;
none a repeat of the scenarios in the other generators:

- data: a hand-written joint flip / ``np.rot90`` augmentation for a U-Net on non-square photos (in workers), a
  hand-written albumentations-style ``ToGray`` that returns a one-channel array before ``Normalize`` (Kaggle CSV of
  paths, in workers), Sign Language MNIST (no class 9 = J) with the head sized by ``len(np.unique(labels))``
  (notebook, tqdm), a batch-size-1 U-Net whose masks go through ``squeeze()`` (tqdm), a numpy Gaussian-noise
  augmentation that turns the images float64 (Colab notebook), Keypoint R-CNN document corners parsed with
  ``int()`` from the CSV, the Kaggle facial-keypoints ``training.csv`` read with ``np.genfromtxt`` and its blank
  cells kept as NaN (anomaly mode, tqdm), a Kaggle labels CSV re-saved in Excel that dropped the ids' leading zeros
  (in workers);
- model: a milesial-style U-Net checkpoint trained with ``--bilinear`` loaded by ``predict.py`` without it, a Canny
  edge map stacked as a fourth input channel into the tutorial's three-channel U-Net (tqdm), a keypoint preview cell
  that gives ``draw_keypoints`` the tuple of images made by the detection ``collate_fn`` (notebook), the Faster
  R-CNN tutorial's custom-backbone recipe with ResNet-18 layers swapped in but ``backbone.out_channels = 1280`` kept
  (deprecation warnings first);
- optimisation: keypoint coordinates taken from the heatmaps with ``argmax`` for an MSE loss (notebook), a
  "ResNet from scratch" block that adds the shortcut in place after the last ReLU (tqdm), early stopping on the
  epoch loss that ``copy.deepcopy``-s a model which keeps its last feature maps as an attribute (tqdm);
- resource / environment / other: Gaussian heatmap targets for every image preallocated in ``__init__`` under a
  job memory limit, a hand-written CoarseDropout calling ``np.product`` (NumPy 2, in workers), best weights restored
  with ``map_location="cuda:0"`` on a CPU runtime (notebook), the official transfer-learning tutorial's
  ``TemporaryDirectory`` checkpoint path reused after the ``with`` block, a train / validation split written as
  ``random.shuffle(range(n))`` (notebook), an argparse ``--patience`` without ``type=int`` (tqdm), a hand-written
  blur transform class given ``forward`` instead of ``__call__`` (tqdm).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more58.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more58.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["unet-hand-rot90-joint-augment-non-square-photos-workers"] = '''
import glob
import random

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class JointAugment:
    """flip / rotate the photo and its mask together (albumentations is not installed here)"""

    def __init__(self, p_flip=0.5, p_rot=0.5):
        self.p_flip, self.p_rot = p_flip, p_rot

    def __call__(self, image, mask):
        if random.random() < self.p_flip:
            image, mask = np.fliplr(image), np.fliplr(mask)
        if random.random() < self.p_rot:
            k = random.randint(1, 3)
            image, mask = np.rot90(image, k), np.rot90(mask, k)
        # .copy(): torch.from_numpy does not take the negative strides of fliplr / rot90
        return image.copy(), mask.copy()


class LeafSegDataset(Dataset):
    def __init__(self, root, size=(160, 120), augment=None):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.size = size
        self.augment = augment

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img_path = self.images[i]
        mask_path = img_path.replace("/images/", "/masks/").replace(".jpg", ".png")
        image = np.array(Image.open(img_path).convert("RGB").resize(self.size))
        mask = np.array(Image.open(mask_path).convert("L").resize(self.size, Image.NEAREST))
        if self.augment is not None:
            image, mask = self.augment(image, mask)
        x = torch.from_numpy(image).permute(2, 0, 1).float() / 255.0
        y = torch.from_numpy((mask > 127).astype(np.float32)).unsqueeze(0)
        return x, y


def double_conv(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, in_channels=3, out_channels=1, features=(16, 32, 64)):
        super().__init__()
        self.downs, self.ups = nn.ModuleList(), nn.ModuleList()
        ch = in_channels
        for f in features:
            self.downs.append(double_conv(ch, f))
            ch = f
        self.bottleneck = double_conv(features[-1], features[-1] * 2)
        for f in reversed(features):
            self.ups.append(nn.ConvTranspose2d(f * 2, f, 2, stride=2))
            self.ups.append(double_conv(f * 2, f))
        self.final = nn.Conv2d(features[0], out_channels, 1)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        skips = []
        for down in self.downs:
            x = down(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for i in range(0, len(self.ups), 2):
            x = self.ups[i](x)
            x = self.ups[i + 1](torch.cat([skips[-(i // 2 + 1)], x], dim=1))
        return self.final(x)


def main():
    torch.manual_seed(0)
    train_ds = LeafSegDataset("data/leaves", augment=JointAugment())
    loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2)
    model = UNet()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    for epoch in range(5):
        model.train()
        for images, masks in loader:
            loss = loss_fn(model(images), masks)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

LEAVES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
os.makedirs("data/leaves/images", exist_ok=True)
os.makedirs("data/leaves/masks", exist_ok=True)
for i in range(16):
    # phone photos, landscape 4:3
    Image.fromarray(rng.integers(0, 256, (150, 200, 3), dtype=np.uint8)).save(f"data/leaves/images/leaf_{i:03d}.jpg")
    mask = np.zeros((150, 200), np.uint8)
    mask[30 + i:110, 40:150 - i] = 255
    Image.fromarray(mask).save(f"data/leaves/masks/leaf_{i:03d}.png")
'''

AUG_TOGRAY = '''
"""albumentations-style augmentations written by hand (pip install albumentations failed on this box)"""
import random

import cv2
import numpy as np


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, image):
        for t in self.transforms:
            image = t(image)
        return image


class HorizontalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, image):
        return cv2.flip(image, 1) if random.random() < self.p else image


class RandomBrightnessContrast:
    def __init__(self, brightness_limit=0.2, contrast_limit=0.2, p=0.5):
        self.b, self.c, self.p = brightness_limit, contrast_limit, p

    def __call__(self, image):
        if random.random() < self.p:
            alpha = 1.0 + random.uniform(-self.c, self.c)
            beta = 255 * random.uniform(-self.b, self.b)
            image = cv2.convertScaleAbs(image, alpha=alpha, beta=beta)
        return image


class ToGray:
    def __init__(self, p=0.2):
        self.p = p

    def __call__(self, image):
        if random.random() < self.p:
            image = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        return image
'''

SCRIPTS["kaggle-csv-hand-togray-aug-drops-channel-axis-workers"] = '''
import csv
import os

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

import aug as A

IMG_SIZE = 128


class RiceLeafDataset(Dataset):
    def __init__(self, csv_path, img_dir, augment=None):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir = img_dir
        self.classes = sorted({r["label"] for r in self.rows})
        self.augment = augment
        self.to_tensor = T.Compose([
            T.ToTensor(),
            T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        ])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        image = cv2.imread(os.path.join(self.img_dir, row["image_id"]))
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        image = cv2.resize(image, (IMG_SIZE, IMG_SIZE))
        if self.augment is not None:
            image = self.augment(image)
        return self.to_tensor(image), self.classes.index(row["label"])


def main():
    torch.manual_seed(42)
    train_aug = A.Compose([A.HorizontalFlip(p=0.5), A.RandomBrightnessContrast(p=0.5), A.ToGray(p=0.2)])
    train_ds = RiceLeafDataset("data/train.csv", "data/train_images", augment=train_aug)
    train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    for epoch in range(10):
        model.train()
        correct = total = 0
        for images, labels in train_loader:
            outputs = model(images)
            loss = criterion(outputs, labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
        print(f"epoch {epoch + 1} loss {loss.item():.3f} acc {correct / total:.3f}")


if __name__ == "__main__":
    main()
'''

RICE_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("data/train_images", exist_ok=True)
rows = []
for k, label in enumerate(["bacterial_blight", "blast", "brown_spot", "tungro"] * 6):
    name = f"IMG_{2400 + k}.jpg"
    Image.fromarray(rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)).save(f"data/train_images/{name}")
    rows.append({"image_id": name, "label": label})
with open("data/train.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image_id", "label"])
    w.writeheader()
    w.writerows(rows)
'''

CELLS["sign-language-mnist-head-from-unique-labels-tqdm-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split
from tqdm import tqdm

torch.manual_seed(0)
data = np.loadtxt("sign_mnist_train.csv", delimiter=",", skiprows=1, dtype=np.float32)
labels = data[:, 0].astype(np.int64)
images = data[:, 1:].reshape(-1, 1, 28, 28) / 255.0
NUM_CLASSES = len(np.unique(labels))
print(images.shape, "classes:", NUM_CLASSES)
''',
    '''
ds = TensorDataset(torch.from_numpy(images), torch.from_numpy(labels))
train_ds, val_ds = random_split(ds, [0.8, 0.2])
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=16)

model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.3),
    nn.Linear(128, NUM_CLASSES),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(5):
    model.train()
    running, correct, seen = 0.0, 0, 0
    loop = tqdm(train_loader, desc=f"Epoch {epoch + 1}/5")
    for x, y in loop:
        out = model(x)
        loss = criterion(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item() * y.size(0)
        correct += (out.argmax(1) == y).sum().item()
        seen += y.size(0)
        loop.set_postfix(loss=running / seen, acc=correct / seen)
''',
]

SIGN_PREP = '''
import numpy as np

rng = np.random.default_rng(7)
# 24 static letters: J (9) and Z (25) need motion, so the label column skips 9
letters = [k for k in range(25) if k != 9]
labels = rng.permutation(np.repeat(letters, 5))
pixels = rng.integers(0, 256, (len(labels), 784))
header = "label," + ",".join(f"pixel{i}" for i in range(1, 785))
np.savetxt("sign_mnist_train.csv", np.column_stack([labels, pixels]), fmt="%d", delimiter=",",
           header=header, comments="")
'''

SCRIPTS["unet-batch-size-one-masks-squeezed-cross-entropy-tqdm"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from tqdm import tqdm

CLASSES = ["background", "road", "building", "vegetation"]
BATCH_SIZE = 1          # the drone tiles did not fit the Colab T4 at batch 4
IMG_SIZE = 128


class DroneDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.img_tf = T.Compose([T.Resize((IMG_SIZE, IMG_SIZE)), T.ToTensor()])
        self.mask_tf = T.Compose([T.Resize((IMG_SIZE, IMG_SIZE), interpolation=T.InterpolationMode.NEAREST),
                                  T.PILToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        image = Image.open(path).convert("RGB")
        mask = Image.open(path.replace("images", "masks").replace(".jpg", ".png"))
        return self.img_tf(image), self.mask_tf(mask)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.e1, self.e2, self.e3 = block(3, 16), block(16, 32), block(32, 64)
        self.pool = nn.MaxPool2d(2)
        self.u2, self.d2 = nn.ConvTranspose2d(64, 32, 2, stride=2), block(64, 32)
        self.u1, self.d1 = nn.ConvTranspose2d(32, 16, 2, stride=2), block(32, 16)
        self.head = nn.Conv2d(16, n_classes, 1)

    def forward(self, x):
        e1 = self.e1(x)
        e2 = self.e2(self.pool(e1))
        e3 = self.e3(self.pool(e2))
        d2 = self.d2(torch.cat([self.u2(e3), e2], 1))
        d1 = self.d1(torch.cat([self.u1(d2), e1], 1))
        return self.head(d1)


torch.manual_seed(0)
loader = DataLoader(DroneDataset("semantic_drone/train"), batch_size=BATCH_SIZE, shuffle=True)
model = UNet(len(CLASSES))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(10):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for images, masks in pbar:
        masks = masks.squeeze().long()          # [B, 1, H, W] -> [B, H, W] for CrossEntropyLoss
        outputs = model(images)
        loss = criterion(outputs, masks)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''

DRONE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("semantic_drone/train/images", exist_ok=True)
os.makedirs("semantic_drone/train/masks", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)).save(
        f"semantic_drone/train/images/{i:03d}.jpg")
    mask = np.zeros((180, 240), np.uint8)
    mask[:, 80:120] = 1
    mask[20:90, 140:220] = 2
    mask[110:170, 10:70] = 3
    Image.fromarray(mask).save(f"semantic_drone/train/masks/{i:03d}.png")
'''

CELLS["colab-hand-gaussian-noise-aug-float64-notebook"] = [
    '''
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device)
data_dir = "flowers"
''',
    '''
class AddGaussianNoise:
    """noise augmentation from the blog post, done in numpy"""

    def __init__(self, mean=0.0, std=10.0):
        self.mean, self.std = mean, std

    def __call__(self, img):
        arr = np.asarray(img, dtype=np.float32)
        arr = arr + np.random.normal(self.mean, self.std, arr.shape)
        return np.clip(arr, 0, 255) / 255.0


train_tf = T.Compose([
    T.Resize((96, 96)),
    T.RandomHorizontalFlip(),
    AddGaussianNoise(std=12.0),
    T.ToTensor(),
    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder(f"{data_dir}/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.classes, len(train_ds))
''',
    '''
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
model = model.to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(5):
    model.train()
    correct = 0
    for images, labels in train_loader:
        images, labels = images.to(device), labels.to(device)
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (outputs.argmax(1) == labels).sum().item()
    print(f"Epoch {epoch + 1}: loss={loss.item():.4f} acc={correct / len(train_ds):.3f}")
''',
]

SCRIPTS["keypointrcnn-document-corners-csv-parsed-as-int"] = '''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import keypointrcnn_resnet50_fpn
from torchvision.transforms import functional as F


class ReceiptCorners(Dataset):
    """one receipt per photo, its four corners clicked in order: tl, tr, br, bl"""

    def __init__(self, root):
        self.root = root
        with open(f"{root}/corners.csv", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            self.rows = [(r[0], [int(v) for v in r[1:]]) for r in reader]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, pts = self.rows[i]
        image = F.to_tensor(Image.open(f"{self.root}/images/{name}").convert("RGB"))
        xs, ys = pts[0::2], pts[1::2]
        keypoints = [[x, y, 1] for x, y in zip(xs, ys)]
        target = {
            "boxes": torch.tensor([[min(xs), min(ys), max(xs), max(ys)]], dtype=torch.float32),
            "labels": torch.tensor([1]),
            "keypoints": torch.tensor([keypoints]),
        }
        return image, target


def collate_fn(batch):
    return tuple(zip(*batch))


ds = ReceiptCorners("receipts")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate_fn)
model = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, num_keypoints=4,
                                  min_size=320, max_size=480)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

for epoch in range(10):
    model.train()
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch}: {losses.item():.3f}", {k: round(v.item(), 3) for k, v in loss_dict.items()})
'''

RECEIPTS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("receipts/images", exist_ok=True)
with open("receipts/corners.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["filename", "x1", "y1", "x2", "y2", "x3", "y3", "x4", "y4"])
    for i in range(6):
        name = f"receipt_{i:03d}.jpg"
        Image.fromarray(rng.integers(0, 256, (320, 240, 3), dtype=np.uint8)).save(f"receipts/images/{name}")
        x0, y0 = 30 + 3 * i, 40 + 2 * i
        w.writerow([name, x0, y0, 200 - i, y0 + 5, 205 - i, 280, x0 - 4, 270 + i])
'''

SCRIPTS["facial-keypoints-genfromtxt-blank-cells-nan-anomaly-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

CSV = "data/training.csv"
torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)   # the loss showed nan from the first epoch on

keypoints = np.genfromtxt(CSV, delimiter=",", skip_header=1, usecols=range(30), dtype=np.float32)
with open(CSV, newline="") as f:
    faces = np.stack([np.array(r["Image"].split(), dtype=np.float32).reshape(96, 96) for r in csv.DictReader(f)])
X = torch.from_numpy(faces / 255.0).unsqueeze(1)
Y = torch.from_numpy((keypoints - 48.0) / 48.0)          # pixel coordinates -> [-1, 1]
print("faces", tuple(X.shape), "keypoints", tuple(Y.shape))

loader = DataLoader(TensorDataset(X, Y), batch_size=8, shuffle=True)
model = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(128 * 12 * 12, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 30),
)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    model.train()
    bar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for x, y in bar:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        bar.set_postfix(rmse=f"{loss.item() ** 0.5 * 48:.2f}px")
'''

FACES_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(9)
names = ["left_eye_center", "right_eye_center", "left_eye_inner_corner", "left_eye_outer_corner",
         "right_eye_inner_corner", "right_eye_outer_corner", "left_eyebrow_inner_end", "left_eyebrow_outer_end",
         "right_eyebrow_inner_end", "right_eyebrow_outer_end", "nose_tip", "mouth_left_corner",
         "mouth_right_corner", "mouth_center_top_lip", "mouth_center_bottom_lip"]
header = [f"{n}_{a}" for n in names for a in ("x", "y")] + ["Image"]
os.makedirs("data", exist_ok=True)
with open("data/training.csv", "w") as f:
    f.write(",".join(header) + "\\n")
    for i in range(40):
        kp = rng.uniform(20, 76, 30).round(6)
        cells = [str(v) for v in kp]
        if i % 4 != 0:
            # like the Kaggle file: most faces only have the eye centres, the nose and the bottom lip
            for j in range(30):
                if j not in (0, 1, 2, 3, 20, 21, 28, 29):
                    cells[j] = ""
        pixels = " ".join(str(v) for v in rng.integers(0, 256, 96 * 96))
        f.write(",".join(cells) + "," + pixels + "\\n")
'''

SCRIPTS["kaggle-labels-csv-resaved-in-excel-ids-lost-leading-zeros-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class CactusDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform=None):
        with open(csv_file, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        img_path = os.path.join(self.img_dir, f"{row['id']}.jpg")
        image = Image.open(img_path).convert("RGB")
        if self.transform:
            image = self.transform(image)
        return image, int(row["has_cactus"])


def main():
    tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.RandomVerticalFlip(), T.ToTensor()])
    # train_labels.csv: I fixed a few wrong labels by hand in Excel last night
    ds = CactusDataset("data/train_labels.csv", "data/train", transform=tf)
    loader = DataLoader(ds, batch_size=16, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=2)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        correct = 0
        for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
            out = model(x)
            loss = criterion(out, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            correct += (out.argmax(1) == y).sum().item()
        print(f"acc {correct / len(ds):.3f}")


if __name__ == "__main__":
    main()
'''

CACTUS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("data/train", exist_ok=True)
rows = []
for i in range(24):
    file_id = f"{i * 37 + 5:05d}"
    Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(f"data/train/{file_id}.jpg")
    # the copy Excel saved: the id column became a number
    rows.append({"id": str(int(file_id)), "has_cactus": int(rng.integers(0, 2))})
with open("data/train_labels.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["id", "has_cactus"])
    w.writeheader()
    w.writerows(rows)
'''

# ================================================================== model
UNET_MILESIAL = '''
""" Parts of the U-Net model (after milesial/Pytorch-UNet) """
import torch
import torch.nn as nn
import torch.nn.functional as F


class DoubleConv(nn.Module):
    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]
        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
        return self.conv(torch.cat([x2, x1], dim=1))


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False):
        super().__init__()
        self.n_channels, self.n_classes, self.bilinear = n_channels, n_classes, bilinear
        self.inc = DoubleConv(n_channels, 64)
        self.down1 = Down(64, 128)
        self.down2 = Down(128, 256)
        self.down3 = Down(256, 512)
        factor = 2 if bilinear else 1
        self.down4 = Down(512, 1024 // factor)
        self.up1 = Up(1024, 512 // factor, bilinear)
        self.up2 = Up(512, 256 // factor, bilinear)
        self.up3 = Up(256, 128 // factor, bilinear)
        self.up4 = Up(128, 64, bilinear)
        self.outc = OutConv(64, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        return self.outc(x)
'''

SCRIPTS["unet-checkpoint-trained-bilinear-predict-without-flag"] = '''
import argparse
import logging
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from unet import UNet


def predict_img(net, full_img, device, scale_factor=0.5, out_threshold=0.5):
    net.eval()
    w, h = full_img.size
    img = full_img.resize((int(w * scale_factor), int(h * scale_factor)), Image.BICUBIC)
    img = torch.from_numpy(np.asarray(img, dtype=np.float32).transpose(2, 0, 1) / 255.0)
    img = img.unsqueeze(0).to(device=device, dtype=torch.float32)
    with torch.no_grad():
        output = net(img).cpu()
        output = F.interpolate(output, (h, w), mode="bilinear")
        mask = output.argmax(dim=1) if net.n_classes > 1 else torch.sigmoid(output) > out_threshold
    return mask[0].long().squeeze().numpy()


def get_args():
    parser = argparse.ArgumentParser(description="Predict masks from input images")
    parser.add_argument("--model", "-m", default="checkpoints/checkpoint_epoch5.pth", metavar="FILE")
    parser.add_argument("--input", "-i", metavar="INPUT", nargs="+", required=True)
    parser.add_argument("--output", "-o", metavar="OUTPUT", nargs="+")
    parser.add_argument("--scale", "-s", type=float, default=0.5)
    parser.add_argument("--bilinear", action="store_true", default=False, help="Use bilinear upsampling")
    parser.add_argument("--classes", "-c", type=int, default=2)
    return parser.parse_args()


if __name__ == "__main__":
    args = get_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    net = UNet(n_channels=3, n_classes=args.classes, bilinear=args.bilinear)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    logging.info(f"Loading model {args.model}")
    logging.info(f"Using device {device}")
    net.to(device=device)
    state_dict = torch.load(args.model, map_location=device)
    mask_values = state_dict.pop("mask_values", [0, 1])
    net.load_state_dict(state_dict)
    logging.info("Model loaded!")
    for i, filename in enumerate(args.input):
        img = Image.open(filename).convert("RGB")
        mask = predict_img(net, img, device, scale_factor=args.scale)
        out = args.output[i] if args.output else os.path.splitext(filename)[0] + "_OUT.png"
        Image.fromarray((np.array(mask_values)[mask] * 255).astype(np.uint8)).save(out)
        logging.info(f"Mask saved to {out}")
'''

UNET_CKPT_PREP = '''
import os
import torch
from unet import UNet

# what `python train.py --epochs 5 --scale 0.5 --bilinear` left (bilinear: less memory on the Colab T4)
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
sd = UNet(n_channels=3, n_classes=2, bilinear=True).state_dict()
sd["mask_values"] = [0, 1]
torch.save(sd, "checkpoints/checkpoint_epoch5.pth")
'''

SCRIPTS["unet-rgb-plus-canny-edge-fourth-channel-tqdm"] = '''
import glob

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class CrackDataset(Dataset):
    """road-crack photos; an edge map as an extra input channel helps thin cracks (blog tip)"""

    def __init__(self, root, size=128):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        img = cv2.resize(cv2.imread(path), (self.size, self.size))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        edges = cv2.Canny(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), 100, 200)
        x = np.dstack([img, edges]).astype(np.float32) / 255.0          # H x W x 4
        mask = cv2.imread(path.replace("images", "masks").replace(".jpg", ".png"), cv2.IMREAD_GRAYSCALE)
        mask = cv2.resize(mask, (self.size, self.size), interpolation=cv2.INTER_NEAREST)
        return torch.from_numpy(x).permute(2, 0, 1), torch.from_numpy((mask > 0).astype(np.float32))[None]


class DoubleConv(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, in_channels=3, out_channels=1):
        super().__init__()
        self.enc1, self.enc2 = DoubleConv(in_channels, 32), DoubleConv(32, 64)
        self.bott = DoubleConv(64, 128)
        self.up2, self.dec2 = nn.ConvTranspose2d(128, 64, 2, 2), DoubleConv(128, 64)
        self.up1, self.dec1 = nn.ConvTranspose2d(64, 32, 2, 2), DoubleConv(64, 32)
        self.out = nn.Conv2d(32, out_channels, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(nn.functional.max_pool2d(e1, 2))
        b = self.bott(nn.functional.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1)


loader = DataLoader(CrackDataset("cracks/train"), batch_size=4, shuffle=True)
model = UNet()
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(20):
    loop = tqdm(loader, leave=True)
    for x, y in loop:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loop.set_description(f"Epoch [{epoch + 1}/20]")
        loop.set_postfix(loss=loss.item())
'''

CRACKS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("cracks/train/images", exist_ok=True)
os.makedirs("cracks/train/masks", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (160, 160, 3), dtype=np.uint8)).save(f"cracks/train/images/crack_{i:03d}.jpg")
    mask = np.zeros((160, 160), np.uint8)
    mask[:, 70 + i:73 + i] = 255
    Image.fromarray(mask).save(f"cracks/train/masks/crack_{i:03d}.png")
'''

CELLS["hand-keypoints-preview-draw-keypoints-on-collated-batch-notebook"] = [
    '''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import keypointrcnn_resnet50_fpn
from torchvision.transforms import functional as F
from torchvision.utils import draw_keypoints

FINGERTIPS = ["thumb", "index", "middle", "ring", "pinky"]


class HandDataset(Dataset):
    def __init__(self, root):
        self.root = root
        with open(f"{root}/keypoints.csv", newline="") as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = F.to_tensor(Image.open(f"{self.root}/images/{r['file']}").convert("RGB"))
        kps = [[float(r[f"{k}_x"]), float(r[f"{k}_y"]), float(r[f"{k}_v"])] for k in FINGERTIPS]
        kps = torch.tensor([kps])                                    # [1 hand, 5 keypoints, (x, y, visible)]
        xs, ys = kps[0, :, 0], kps[0, :, 1]
        box = torch.tensor([[xs.min() - 10, ys.min() - 10, xs.max() + 10, ys.max() + 10]])
        return img, {"boxes": box, "labels": torch.tensor([1]), "keypoints": kps}


def collate_fn(batch):
    return tuple(zip(*batch))


ds = HandDataset("hands")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate_fn)
model = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, num_keypoints=5)
print(len(ds), "images")
''',
    '''
# look at one batch with its labels drawn before training
images, targets = next(iter(loader))
preview = draw_keypoints(images, targets[0]["keypoints"][..., :2], colors="red", radius=4)
F.to_pil_image(preview).save("preview_batch.png")
''',
]

HANDS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(21)
os.makedirs("hands/images", exist_ok=True)
tips = ["thumb", "index", "middle", "ring", "pinky"]
with open("hands/keypoints.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["file"] + [f"{k}_{a}" for k in tips for a in ("x", "y", "v")])
    for i in range(4):
        name = f"hand_{i:03d}.jpg"
        Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"hands/images/{name}")
        row = [name]
        for j in range(5):
            row += [60 + 45 * j, 80 + 10 * (j % 2) + i, 2 if j != 4 else 1]
        w.writerow(row)
'''

SCRIPTS["fasterrcnn-tutorial-backbone-swapped-to-resnet18-out-channels-1280"] = '''
import json

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.rpn import AnchorGenerator
from torchvision.transforms import functional as F

CLASSES = ["__background__", "bottle", "can", "carton"]


class ShelfDataset(Dataset):
    def __init__(self, root):
        self.root = root
        coco = json.load(open(f"{root}/annotations.json"))
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = F.to_tensor(Image.open(f"{self.root}/images/{info['file_name']}").convert("RGB"))
        anns = self.anns[info["id"]]
        boxes = [[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)]
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32),
                  "labels": torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)}
        return img, target


# "Modifying the model to add a different backbone" from the TorchVision object detection tutorial,
# with ResNet-18 layers instead of MobileNetV2 features
backbone = torchvision.models.resnet18(pretrained=False)
backbone = nn.Sequential(*list(backbone.children())[:-2])
backbone.out_channels = 1280
anchor_generator = AnchorGenerator(sizes=((32, 64, 128, 256, 512),), aspect_ratios=((0.5, 1.0, 2.0),))
roi_pooler = torchvision.ops.MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2)
model = FasterRCNN(backbone, num_classes=len(CLASSES), rpn_anchor_generator=anchor_generator,
                   box_roi_pool=roi_pooler, min_size=320, max_size=480)

loader = DataLoader(ShelfDataset("shelf"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
for epoch in range(10):
    model.train()
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''

SCRIPTS["hand-blur-transform-class-written-with-forward-tqdm"] = '''
import random

import torch
import torch.nn as nn
from PIL import ImageFilter
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm


class RandomGaussianBlur:
    """blur augmentation from the video: PIL's GaussianBlur with a random radius"""

    def __init__(self, p=0.5, radius=(0.1, 2.0)):
        self.p = p
        self.radius = radius

    def forward(self, img):
        if random.random() < self.p:
            img = img.filter(ImageFilter.GaussianBlur(radius=random.uniform(*self.radius)))
        return img


train_tf = T.Compose([
    T.Resize((128, 128)),
    T.RandomHorizontalFlip(),
    RandomGaussianBlur(p=0.3),
    T.ToTensor(),
    T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
])
train_ds = datasets.ImageFolder("dataset/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.mobilenet_v2(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    model.train()
    total_loss, correct = 0.0, 0
    for images, labels in tqdm(train_loader, desc=f"Epoch {epoch + 1}"):
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
        correct += (outputs.argmax(1) == labels).sum().item()
    print(f"loss {total_loss / len(train_loader):.4f} acc {100 * correct / len(train_ds):.1f}%")
'''

# ================================================================== optimisation
CELLS["keypoint-heatmap-argmax-coordinates-mse-notebook"] = [
    '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

IMG = 128
NUM_KP = 4        # nose, left ear, right ear, tail base


class PetKeypoints(Dataset):
    def __init__(self, root):
        self.root = root
        with open(f"{root}/labels.csv", newline="") as f:
            self.rows = list(csv.reader(f))[1:]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        name, *coords = self.rows[i]
        img = Image.open(f"{self.root}/{name}").convert("RGB")
        sx, sy = IMG / img.width, IMG / img.height
        img = torch.from_numpy(np.asarray(img.resize((IMG, IMG)), dtype=np.float32) / 255).permute(2, 0, 1)
        kp = torch.tensor([float(v) for v in coords]).view(NUM_KP, 2) * torch.tensor([sx, sy])
        return img, kp


loader = DataLoader(PetKeypoints("pets"), batch_size=4, shuffle=True)
''',
    '''
class HeatmapNet(nn.Module):
    """stride-4 heatmaps, one channel per keypoint (like the simple baselines tutorial)"""

    def __init__(self, k=NUM_KP):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, 64, 3, 1, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Conv2d(64, k, 1))

    def forward(self, x):
        return self.body(x)


def heatmaps_to_coords(hm):
    """pixel coordinates of each heatmap's peak"""
    b, k, h, w = hm.shape
    idx = hm.flatten(2).argmax(dim=-1)
    xs, ys = idx % w, idx // w
    return torch.stack([xs, ys], dim=-1).float() * (IMG / w)


model = HeatmapNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(10):
    for imgs, kps in loader:
        pred = heatmaps_to_coords(model(imgs))
        loss = F.mse_loss(pred, kps)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, f"{loss.item():.2f}")
''',
]

PETS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
os.makedirs("pets", exist_ok=True)
with open("pets/labels.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["file", "nose_x", "nose_y", "lear_x", "lear_y", "rear_x", "rear_y", "tail_x", "tail_y"])
    for i in range(8):
        name = f"pet_{i:03d}.jpg"
        Image.fromarray(rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)).save(f"pets/{name}")
        w.writerow([name] + [int(v) for v in rng.uniform(10, 170, 8)])
'''

SCRIPTS["resnet-from-scratch-block-inplace-shortcut-add-after-relu-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from tqdm import tqdm


class BasicBlock(nn.Module):
    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_ch)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_ch)
        self.relu = nn.ReLU()
        self.shortcut = nn.Sequential()
        if stride != 1 or in_ch != out_ch:
            self.shortcut = nn.Sequential(nn.Conv2d(in_ch, out_ch, 1, stride, bias=False), nn.BatchNorm2d(out_ch))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out += self.shortcut(x)
        return out


class ResNet(nn.Module):
    def __init__(self, num_classes, layers=(2, 2, 2)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        blocks, ch = [], 32
        for i, n in enumerate(layers):
            out_ch = 32 * 2 ** i
            for j in range(n):
                blocks.append(BasicBlock(ch, out_ch, stride=2 if (j == 0 and i > 0) else 1))
                ch = out_ch
        self.layers = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(ch, num_classes)

    def forward(self, x):
        x = self.layers(self.stem(x))
        return self.fc(torch.flatten(self.pool(x), 1))


tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
train_ds = datasets.ImageFolder("weather/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = ResNet(num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
for epoch in range(15):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}/15")
    for images, labels in pbar:
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
'''

SCRIPTS["early-stopping-deepcopy-model-keeping-feature-maps-tqdm"] = '''
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T
from tqdm import tqdm


class SimpleCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        )
        self.classifier = nn.Linear(64, num_classes)
        self.feature_maps = None

    def forward(self, x):
        x = self.features(x)
        self.feature_maps = x            # kept for the class activation map cell
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x)


tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
train_ds = datasets.ImageFolder("pcb/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = SimpleCNN(len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
# early stopping on the epoch loss (the data set is too small for a validation split)
best_loss, best_model, patience, bad_epochs = float("inf"), None, 3, 0

for epoch in range(30):
    model.train()
    epoch_loss = 0.0
    for x, y in tqdm(train_loader, desc=f"epoch {epoch + 1}"):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() * y.size(0)
    epoch_loss /= len(train_ds)
    print(f"epoch {epoch + 1}: loss {epoch_loss:.4f}")
    if epoch_loss < best_loss:
        best_loss, bad_epochs = epoch_loss, 0
        best_model = copy.deepcopy(model)
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print("early stopping")
            break

torch.save(best_model.state_dict(), "best_model.pt")
'''

# ================================================================== resource / environment / other
SCRIPTS["hand-keypoint-heatmaps-preallocated-in-init-memory-limit"] = '''
import resource

# the lab PC's job limit (ulimit -v) is 3 GB for my account
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

NUM_KP = 21          # wrist + 4 joints per finger
HM_SIZE = 256
SIGMA = 3.0


class HandPoseDataset(Dataset):
    def __init__(self, root):
        self.root = root
        with open(f"{root}/annotations.csv", newline="") as f:
            self.rows = list(csv.reader(f))[1:]
        # build every target heatmap once, so __getitem__ is just a lookup
        self.heatmaps = np.zeros((len(self.rows), NUM_KP, HM_SIZE, HM_SIZE))
        yy, xx = np.mgrid[0:HM_SIZE, 0:HM_SIZE]
        for i, row in enumerate(self.rows):
            kps = np.array(row[1:], dtype=np.float32).reshape(NUM_KP, 2)
            for k, (x, y) in enumerate(kps):
                self.heatmaps[i, k] = np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * SIGMA ** 2))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        img = Image.open(f"{self.root}/images/{self.rows[i][0]}").convert("RGB").resize((HM_SIZE, HM_SIZE))
        x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255).permute(2, 0, 1)
        return x, torch.from_numpy(self.heatmaps[i]).float()


ds = HandPoseDataset("freihand_subset")
print(len(ds), "samples")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, NUM_KP, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, hm in loader:
        loss = nn.functional.mse_loss(model(x), hm)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

HANDPOSE_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(31)
os.makedirs("freihand_subset/images", exist_ok=True)
with open("freihand_subset/annotations.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["file"] + [f"kp{k}_{a}" for k in range(21) for a in ("x", "y")])
    for i in range(320):
        name = f"{i:08d}.jpg"
        if i < 4:
            Image.fromarray(rng.integers(0, 256, (224, 224, 3), dtype=np.uint8)).save(f"freihand_subset/images/{name}")
        w.writerow([name] + [round(float(v), 2) for v in rng.uniform(20, 236, 42)])
'''

AUG_DROPOUT = '''
"""a few albumentations-style transforms, by hand (copied from an old Kaggle kernel)"""
import random

import numpy as np


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, image):
        for t in self.transforms:
            image = t(image)
        return image


class VerticalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, image):
        return image[::-1].copy() if random.random() < self.p else image


class CoarseDropout:
    """cut up to max_holes rectangles out of the image, at most max_ratio of its area in all"""

    def __init__(self, max_holes=8, max_ratio=0.1, fill_value=0, p=0.5):
        self.max_holes, self.max_ratio, self.fill_value, self.p = max_holes, max_ratio, fill_value, p

    def __call__(self, image):
        h, w = image.shape[:2]
        budget = self.max_ratio * np.product(image.shape[:2])
        if random.random() > self.p:
            return image
        image = image.copy()
        for _ in range(random.randint(1, self.max_holes)):
            side = int(np.sqrt(budget / self.max_holes))
            y, x = random.randint(0, h - side), random.randint(0, w - side)
            image[y:y + side, x:x + side] = self.fill_value
        return image
'''

SCRIPTS["kaggle-hand-coarse-dropout-np-product-numpy2-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models

import augs


class MelanomaDataset(Dataset):
    def __init__(self, root, transform=None):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted(os.listdir(root))
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        path = self.paths[i]
        image = np.array(Image.open(path).convert("RGB").resize((128, 128)))
        if self.transform:
            image = self.transform(image)
        x = torch.from_numpy(image).permute(2, 0, 1).float() / 255.0
        return x, self.classes.index(os.path.basename(os.path.dirname(path)))


def main():
    train_tf = augs.Compose([augs.VerticalFlip(p=0.5), augs.CoarseDropout(max_holes=8, max_ratio=0.1, p=0.5)])
    ds = MelanomaDataset("isic/train", transform=train_tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.efficientnet_b0(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

CELLS["kaggle-restore-best-weights-map-location-cuda-cpu-runtime-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

class CFG:
    img_size = 96
    batch_size = 8
    epochs = 4
    lr = 1e-3
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

print("Using", CFG.device)
tf = T.Compose([T.Resize((CFG.img_size, CFG.img_size)), T.ToTensor()])
train_ds = datasets.ImageFolder("brain_mri/train", transform=tf)
val_ds = datasets.ImageFolder("brain_mri/val", transform=tf)
train_loader = DataLoader(train_ds, batch_size=CFG.batch_size, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=CFG.batch_size)
''',
    '''
torch.manual_seed(0)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes)).to(CFG.device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=CFG.lr)
best_loss = float("inf")
for epoch in range(CFG.epochs):
    model.train()
    for x, y in train_loader:
        x, y = x.to(CFG.device), y.to(CFG.device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            x, y = x.to(CFG.device), y.to(CFG.device)
            val_loss += criterion(model(x), y).item() * y.size(0)
    val_loss /= len(val_ds)
    print(f"epoch {epoch + 1}: val_loss {val_loss:.4f}")
    if val_loss < best_loss:
        best_loss = val_loss
        torch.save(model.state_dict(), "best_model.pth")
        print("  saved best model")
''',
    '''
# load the best checkpoint back for the test predictions
model.load_state_dict(torch.load("best_model.pth", map_location="cuda:0"))
model.eval()
''',
]

SCRIPTS["transfer-tutorial-best-params-tempdir-path-used-after-with"] = '''
import os
import time
from tempfile import TemporaryDirectory

import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torchvision import datasets, models, transforms

data_transforms = {
    "train": transforms.Compose([transforms.RandomResizedCrop(96), transforms.RandomHorizontalFlip(),
                                 transforms.ToTensor(),
                                 transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
    "val": transforms.Compose([transforms.Resize(110), transforms.CenterCrop(96), transforms.ToTensor(),
                               transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
}
data_dir = "data/hymenoptera_data"
image_datasets = {x: datasets.ImageFolder(os.path.join(data_dir, x), data_transforms[x]) for x in ["train", "val"]}
dataloaders = {x: torch.utils.data.DataLoader(image_datasets[x], batch_size=4, shuffle=True) for x in ["train", "val"]}
dataset_sizes = {x: len(image_datasets[x]) for x in ["train", "val"]}
class_names = image_datasets["train"].classes
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")


def train_model(model, criterion, optimizer, scheduler, num_epochs=25):
    since = time.time()
    # Create a temporary directory to save training checkpoints
    with TemporaryDirectory() as tempdir:
        best_model_params_path = os.path.join(tempdir, "best_model_params.pt")
        torch.save(model.state_dict(), best_model_params_path)
        best_acc = 0.0
        for epoch in range(num_epochs):
            print(f"Epoch {epoch}/{num_epochs - 1}")
            print("-" * 10)
            for phase in ["train", "val"]:
                model.train() if phase == "train" else model.eval()
                running_loss, running_corrects = 0.0, 0
                for inputs, labels in dataloaders[phase]:
                    inputs, labels = inputs.to(device), labels.to(device)
                    optimizer.zero_grad()
                    with torch.set_grad_enabled(phase == "train"):
                        outputs = model(inputs)
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
                print(f"{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}")
                if phase == "val" and epoch_acc > best_acc:
                    best_acc = epoch_acc
                    torch.save(model.state_dict(), best_model_params_path)
            print()
        time_elapsed = time.time() - since
        print(f"Training complete in {time_elapsed // 60:.0f}m {time_elapsed % 60:.0f}s")
        print(f"Best val Acc: {best_acc:4f}")
        model.load_state_dict(torch.load(best_model_params_path, weights_only=True))
    # also hand back where the best weights are, for the export step below
    return model, best_model_params_path


model_ft = models.resnet18(weights=None)
model_ft.fc = nn.Linear(model_ft.fc.in_features, len(class_names))
model_ft = model_ft.to(device)
criterion = nn.CrossEntropyLoss()
optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=7, gamma=0.1)
model_ft, best_path = train_model(model_ft, criterion, optimizer_ft, exp_lr_scheduler, num_epochs=2)

# export: a fresh CPU model with the best weights, for the Flask demo
export_model = models.resnet18(weights=None)
export_model.fc = nn.Linear(export_model.fc.in_features, len(class_names))
export_model.load_state_dict(torch.load(best_path, map_location="cpu", weights_only=True))
torch.save(export_model.state_dict(), "ants_bees_resnet18.pt")
print("exported")
'''

CELLS["kaggle-hand-train-val-split-shuffle-range-notebook"] = [
    '''
import random

import torch
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms as T

random.seed(42)
full_ds = datasets.ImageFolder("chest_xray/train", transform=T.Compose([T.Grayscale(3), T.Resize((128, 128)),
                                                                        T.ToTensor()]))
print(full_ds.classes, len(full_ds))
''',
    '''
# 80 / 20 split without sklearn
indices = range(len(full_ds))
random.shuffle(indices)
split = int(0.8 * len(full_ds))
train_ds, val_ds = Subset(full_ds, indices[:split]), Subset(full_ds, indices[split:])
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=16)
print(len(train_ds), len(val_ds))
''',
]

SCRIPTS["early-stopping-patience-argparse-without-type"] = '''
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="garbage")
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--patience", default=5, help="epochs without val improvement before stopping")
args = parser.parse_args()

tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
train_ds = datasets.ImageFolder(f"{args.data}/train", transform=tf)
val_ds = datasets.ImageFolder(f"{args.data}/val", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=8)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)

best_val, epochs_no_improve = float("inf"), 0
for epoch in range(args.epochs):
    model.train()
    for x, y in tqdm(train_loader, desc=f"epoch {epoch + 1}/{args.epochs}"):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(criterion(model(x), y).item() * len(y) for x, y in val_loader) / len(val_ds)
    print(f"val_loss {val_loss:.4f}")
    if val_loss < best_val:
        best_val, epochs_no_improve = val_loss, 0
        torch.save(model.state_dict(), "best.pt")
    else:
        epochs_no_improve += 1
    if epochs_no_improve >= args.patience:
        print(f"early stopping at epoch {epoch + 1}")
        break
'''


def shelf_setup(work):
    from _record import shelf
    shelf(work)


def cases():
    out, add, script, notebook = case_builders("torch-more58-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    WP = ("cpython_basic", "dataloader_worker", "progress_bars")
    NBP = ("ipython_cell", "ipython_arrows", "progress_bars")

    # ---- data
    script("unet-hand-rot90-joint-augment-non-square-photos-workers", "data.image_size_mismatch", forms=W,
           setup=prep(LEAVES_PREP))
    script("kaggle-csv-hand-togray-aug-drops-channel-axis-workers", "data.image_channels", forms=W,
           extra={"aug.py": AUG_TOGRAY}, setup=prep(RICE_PREP))
    notebook("sign-language-mnist-head-from-unique-labels-tqdm-notebook", "data.label_out_of_range",
             also=["model.output_mismatch"], forms=NBP, setup=prep(SIGN_PREP))
    script("unet-batch-size-one-masks-squeezed-cross-entropy-tqdm", "data.label_shape", forms=P,
           setup=prep(DRONE_PREP))
    notebook("colab-hand-gaussian-noise-aug-float64-notebook", "data.dtype",
             setup=imgs(class_folder("flowers/train", ["daisy", "rose", "tulip"], 4, size=(120, 100))))
    script("keypointrcnn-document-corners-csv-parsed-as-int", "data.dtype", setup=prep(RECEIPTS_PREP))
    script("facial-keypoints-genfromtxt-blank-cells-nan-anomaly-tqdm", "data.missing_or_corrupt",
           also=["optim.divergence"], forms=P, setup=prep(FACES_PREP))
    script("kaggle-labels-csv-resaved-in-excel-ids-lost-leading-zeros-workers", "data.missing_or_corrupt",
           forms=WP, setup=prep(CACTUS_PREP))
    # ---- model
    script("unet-checkpoint-trained-bilinear-predict-without-flag", "model.weights_mismatch", argv="predict.py",
           args=("-i", "data/test/frame_0001.jpg", "-o", "frame_0001_mask.png"),
           extra={"unet.py": UNET_MILESIAL},
           setup=both(prep(UNET_CKPT_PREP), imgs([("data/test/frame_0001.jpg", (160, 120), "RGB")])))
    script("unet-rgb-plus-canny-edge-fourth-channel-tqdm", "model.input_shape", also=["data.image_channels"],
           forms=P, setup=prep(CRACKS_PREP))
    notebook("hand-keypoints-preview-draw-keypoints-on-collated-batch-notebook", "model.api_misuse",
             setup=prep(HANDS_PREP))
    script("fasterrcnn-tutorial-backbone-swapped-to-resnet18-out-channels-1280", "model.api_misuse",
           also=["model.input_shape"], setup=shelf_setup)
    # ---- optimisation
    notebook("keypoint-heatmap-argmax-coordinates-mse-notebook", "optim.autograd_graph", setup=prep(PETS_PREP))
    script("resnet-from-scratch-block-inplace-shortcut-add-after-relu-tqdm", "optim.autograd_graph", forms=P,
           setup=imgs(class_folder("weather/train", ["cloudy", "rain", "shine", "sunrise"], 4, size=(90, 90))))
    script("early-stopping-deepcopy-model-keeping-feature-maps-tqdm", "optim.autograd_graph",
           also=["model.api_misuse"], forms=P,
           setup=imgs(class_folder("pcb/train", ["defect", "ok"], 6, size=(80, 80))))
    # ---- resource / environment / other
    script("hand-keypoint-heatmaps-preallocated-in-init-memory-limit", "resource.host_memory",
           setup=prep(HANDPOSE_PREP))
    script("kaggle-hand-coarse-dropout-np-product-numpy2-workers", "env.version_incompat", forms=W,
           extra={"augs.py": AUG_DROPOUT},
           setup=imgs(class_folder("isic/train", ["benign", "malignant"], 6, size=(150, 150))))
    notebook("kaggle-restore-best-weights-map-location-cuda-cpu-runtime-notebook", "env.cuda_setup",
             also=["env.device_mismatch"],
             setup=imgs(class_folder("brain_mri/train", ["glioma", "meningioma", "no_tumor"], 4, size=(100, 100))
                        + class_folder("brain_mri/val", ["glioma", "meningioma", "no_tumor"], 2, size=(100, 100))))
    script("transfer-tutorial-best-params-tempdir-path-used-after-with", "other",
           also=["data.missing_or_corrupt"], env={"TMPDIR": "/dev/shm"},
           setup=imgs(class_folder("data/hymenoptera_data/train", ["ants", "bees"], 4, size=(120, 100))
                      + class_folder("data/hymenoptera_data/val", ["ants", "bees"], 2, size=(120, 100))))
    notebook("kaggle-hand-train-val-split-shuffle-range-notebook", "other",
             setup=imgs(class_folder("chest_xray/train", ["NORMAL", "PNEUMONIA"], 5, size=(100, 100), mode="L")))
    script("hand-blur-transform-class-written-with-forward-tqdm", "other", also=["model.api_misuse"], forms=P,
           setup=imgs(class_folder("dataset/train", ["glass", "metal", "paper"], 4, size=(140, 140))))
    script("early-stopping-patience-argparse-without-type", "other", also=["model.api_misuse"], forms=P,
           args=("--epochs", "20", "--patience", "3"),
           setup=imgs(class_folder("garbage/train", ["cardboard", "glass", "plastic"], 3, size=(100, 100))
                      + class_folder("garbage/val", ["cardboard", "glass", "plastic"], 2, size=(100, 100))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
