"""A forty-sixth held-out set (g90, scored 0.95 top-1 and 0.95 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: an untargeted sample of
what students and first-time practitioners meet when they train image models on their own data (course
notebooks run cell by cell, Kaggle-style competition scripts, code adapted from blog tutorials and
ChatGPT answers, custom Dataset classes over CSVs / pickles / folders, torchvision fine-tuning, ImageAI 3
trainers on their own folders, hand-written training-loop utilities), spread over the cause ids roughly
as often as users hit them, none a repeat of the scenarios in the other generators.

- data: bird-call mel-spectrogram PNGs whose width follows the clip length, through ``ImageFolder``
  without a resize (in workers, tqdm), knee X-rays read grey for CLAHE into a ResNet stem (notebook),
  ImageAI 3 pseudo-labels from ``CustomObjectDetection`` normalised by the 416 px network size, a
  course's CIFAR-100 pickle read with ``fine_labels`` under a 20-superclass head, a CAPTCHA reader whose
  4- to 6-character texts reach ``default_collate`` as tensors, per-sample mixup coefficients drawn with
  ``np.random.beta(size=B)`` (float64, tqdm), a Kaggle split script that moved the validation photos
  while ``train.csv`` still lists them (in workers), an ImageAI 3 classification ``model_directory``
  kept inside the train folder (the second run), an offline augmentation that multiplies two labelled
  photos before ImageAI 3 anchor k-means;
- model: a course CNN whose ``forward`` flattens with ``view(BATCH_SIZE, -1)`` (the short last batch,
  notebook), a 68-landmark (136-output) keypoint net on the Kaggle 15-keypoint CSV (a broadcast warning
  first), plain VGG-16 feature weights loaded into ``vgg16_bn``;
- API: ``CosineAnnealingWarmRestarts`` given ``T_mult=1.5`` from a JSON config, a resume script whose
  checkpoint holds the optimizer object itself (``weights_only`` default);
- optimisation / autograd: a house-price-from-photos regression on raw dollars whose predictions meet
  ``torch.histogram`` after the loss went NaN (notebook), a copied SAM optimizer whose second step
  backpropagates the first forward pass again (tqdm);
- resource / environment: ``Resize((2240, 2240))`` (a zero too many) under a job memory limit, a
  ``DataLoader(timeout=5)`` over a per-sample non-local-means denoise (in workers), a Kaggle
  ``seed_everything`` helper calling ``torch.set_deterministic``, validation run on rank 0 only through
  the DDP wrapper (gloo buffer broadcast timeout under torchrun), a ChatGPT batch-size helper calling
  ``torch.cuda.mem_get_info`` on a laptop without a GPU (notebook);
- plain bugs: a hand-written per-class precision dividing by a class the model never predicted.

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars, torchrun,
warnings before the error) on CPU with the torch venv (no GPU, no downloads, weights=None); the label is
known by construction.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more46.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases, yolo_layout  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more46.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data.image_size_mismatch
SCRIPTS["birdcall-spectrogram-pngs-clip-length-widths-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

# mel spectrograms exported with librosa (n_mels=128, hop 512) -> every PNG is 128 px high,
# so no resizing is needed
tf = T.Compose([
    T.ToTensor(),
    T.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
])


def main():
    train_ds = datasets.ImageFolder("spectrograms/train", transform=tf)
    print(f"{len(train_ds)} spectrograms, species: {train_ds.classes}")
    loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)

    model = models.resnet18(weights=None)
    model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(15):
        model.train()
        pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
        for x, y in pbar:
            loss = criterion(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            pbar.set_postfix(loss=f"{loss.item():.3f}")


if __name__ == "__main__":
    main()
'''


def birdcall_setup(work: Path):
    # one PNG per recording: 128 mel bins high, one column per STFT frame (the clips last 2.5 s to 10 s)
    widths = [216, 431, 302, 862, 216, 517, 345, 431]
    specs = []
    for k, sp in enumerate(("blackbird", "chaffinch", "great_tit", "robin")):
        for i in range(5):
            specs.append((f"spectrograms/train/{sp}/XC{40213 + 37 * k + i}.png", (widths[(i + k) % 8], 128), "L"))
    make_images(work, specs)


# ================================================================== data.image_channels
CELLS["knee-xray-clahe-grey-into-resnet-notebook"] = [
    '''
import glob
import os

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

# Kellgren-Lawrence grades 0..4, one folder per grade
DATA = "knee_kl/train"
IMG = 128
clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
''',
    '''
class KneeXray(Dataset):
    def __init__(self, root):
        self.items = [(p, int(g)) for g in sorted(os.listdir(root))
                      for p in sorted(glob.glob(os.path.join(root, g, "*.png")))]
        self.to_tensor = T.Compose([T.ToTensor(), T.Normalize([0.5], [0.5])])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, grade = self.items[i]
        img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)      # CLAHE works on one channel
        img = clahe.apply(img)                             # contrast enhancement, as in the paper
        img = cv2.resize(img, (IMG, IMG))
        return self.to_tensor(img), grade


train_ds = KneeXray(DATA)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
x, y = next(iter(train_loader))
print(len(train_ds), "x-rays", x.shape, y[:8].tolist())
''',
    '''
model = models.resnet34(weights=None)
model.fc = nn.Linear(model.fc.in_features, 5)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(10):
    model.train()
    total = 0.0
    for images, grades in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), grades)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: loss {total / len(train_loader):.4f}")
''',
]

# ================================================================== data.bbox_invalid
SCRIPTS["imageai-pseudo-labels-normalised-by-416"] = '''
import glob
import os
import shutil

from imageai.Detection.Custom import CustomObjectDetection, DetectionModelTrainer

# round 2 of the pothole project: let the round-1 model label the new dash-cam frames,
# then retrain on hand labels + pseudo labels
CLASSES = ["pothole", "crack"]
NET_SIZE = 416          # ImageAI runs TinyYOLOv3 at 416 x 416

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("road/models/tiny-yolov3_road_last.pt")
detector.setJsonPath("road/json/road_tiny-yolov3_detection_config.json")
detector.loadModel()

os.makedirs("preview", exist_ok=True)
for path in sorted(glob.glob("unlabelled/*.jpg")):
    name = os.path.splitext(os.path.basename(path))[0]
    detections = detector.detectObjectsFromImage(input_image=path, output_image_path=f"preview/{name}.jpg",
                                                 minimum_percentage_probability=50)
    detections = sorted(detections, key=lambda d: -d["percentage_probability"])[:5]
    lines = []
    for d in detections:
        x1, y1, x2, y2 = d["box_points"]
        cx, cy = (x1 + x2) / 2 / NET_SIZE, (y1 + y2) / 2 / NET_SIZE
        w, h = (x2 - x1) / NET_SIZE, (y2 - y1) / NET_SIZE
        lines.append(f"{CLASSES.index(d['name'])} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
    shutil.copy(path, f"road/train/images/{name}.jpg")
    with open(f"road/train/annotations/{name}.txt", "w") as f:
        f.write("\\n".join(lines) + "\\n")
    print(f"{name}: {len(lines)} pseudo labels")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="road")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=20,
                       train_from_pretrained_model="road/models/tiny-yolov3_road_last.pt")
trainer.trainModel()
'''


def pothole_rows(split, i):
    return f"{i % 2} {0.3 + 0.05 * i:.6f} 0.620000 {0.10 + 0.01 * i:.6f} 0.080000\n0 0.710000 0.550000 0.140000 0.090000\n"


def road_setup(work: Path):
    yolo_layout("road", pothole_rows, size=(1280, 720), splits=(("train", 6), ("validation", 2)))(work)
    save_tiny('["pothole", "crack"]', 2, "road/models/tiny-yolov3_road_last.pt",
              "road/json/road_tiny-yolov3_detection_config.json")(work)
    make_images(work, [(f"unlabelled/dashcam_{i:04d}.jpg", (1280, 720), "RGB") for i in range(3)])


# ================================================================== data.label_out_of_range
SCRIPTS["cifar100-pickle-fine-labels-20-superclass-head"] = '''
import pickle

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# Assignment 3: classify CIFAR-100 images into the 20 superclasses
NUM_CLASSES = 20


def load_split(path):
    with open(path, "rb") as f:
        d = pickle.load(f, encoding="bytes")
    x = d[b"data"].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0
    y = np.array(d[b"fine_labels"])
    return torch.from_numpy(x), torch.from_numpy(y)


x_train, y_train = load_split("cifar-100-python/train")
print("train:", x_train.shape, y_train.shape)
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)


class ConvNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(128, num_classes)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


model = ConvNet(NUM_CLASSES)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)

for epoch in range(30):
    model.train()
    correct = 0
    for xb, yb in train_loader:
        out = model(xb)
        loss = criterion(out, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (out.argmax(1) == yb).sum().item()
    print(f"epoch {epoch + 1}: loss {loss.item():.3f} acc {correct / len(y_train):.3f}")
'''

CIFAR100_PREP = '''
import os
import pickle
import numpy as np
rng = np.random.default_rng(0)
os.makedirs("cifar-100-python", exist_ok=True)
for split, n in (("train", 160), ("test", 40)):
    fine = rng.integers(0, 100, n)
    d = {b"filenames": [f"img_{i}.png".encode() for i in range(n)], b"batch_label": split.encode(),
         b"fine_labels": fine.tolist(), b"coarse_labels": (fine // 5).tolist(),
         b"data": rng.integers(0, 255, (n, 3072), dtype=np.uint8)}
    with open(f"cifar-100-python/{split}", "wb") as f:
        pickle.dump(d, f)
meta = {b"fine_label_names": [f"fine_{i}".encode() for i in range(100)],
        b"coarse_label_names": [f"coarse_{i}".encode() for i in range(20)]}
with open("cifar-100-python/meta", "wb") as f:
    pickle.dump(meta, f)
'''

# ================================================================== data.label_shape
SCRIPTS["captcha-ctc-texts-of-4-to-6-chars-default-collate"] = '''
import os
import string

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

CHARS = string.digits + string.ascii_lowercase
char2idx = {c: i + 1 for i, c in enumerate(CHARS)}      # 0 is the CTC blank


class Captchas(Dataset):
    """captchas/<text>.png (two Kaggle captcha sets merged)"""

    def __init__(self, root):
        self.root = root
        self.files = sorted(os.listdir(root))
        self.tf = T.Compose([T.Grayscale(), T.Resize((50, 200)), T.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        name = self.files[i]
        text = os.path.splitext(name)[0]
        img = self.tf(Image.open(os.path.join(self.root, name)))
        target = torch.tensor([char2idx[c] for c in text], dtype=torch.long)
        return img, target


class CRNN(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.rnn = nn.GRU(64 * 12, 128, bidirectional=True, batch_first=True)
        self.fc = nn.Linear(256, n_classes)

    def forward(self, x):
        f = self.cnn(x)                                  # B, 64, 12, 50
        f = f.permute(0, 3, 1, 2).flatten(2)             # B, 50, 768
        out, _ = self.rnn(f)
        return self.fc(out).log_softmax(2)               # B, T, C


torch.manual_seed(0)
ds = Captchas("captchas")
loader = DataLoader(ds, batch_size=16, shuffle=True)
model = CRNN(len(CHARS) + 1)
ctc = nn.CTCLoss(blank=0, zero_infinity=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(50):
    for imgs, targets in loader:
        log_probs = model(imgs).permute(1, 0, 2)         # T, B, C for CTCLoss
        input_lengths = torch.full((imgs.size(0),), log_probs.size(0), dtype=torch.long)
        target_lengths = torch.full((imgs.size(0),), targets.size(1), dtype=torch.long)
        loss = ctc(log_probs, targets, input_lengths, target_lengths)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: ctc {loss.item():.3f}")
'''

CAPTCHA_PREP = '''
import os
import random
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
random.seed(0)
alphabet = "2345678bcdefgmnpwxy"
os.makedirs("captchas", exist_ok=True)
for i in range(40):
    n = 5 if i % 3 else random.choice([4, 6])           # the second set has 4- and 6-character codes
    text = "".join(random.choice(alphabet) for _ in range(n))
    Image.fromarray(rng.integers(0, 255, (50, 200, 3), dtype=np.uint8)).save(f"captchas/{text}.png")
'''

# ================================================================== data.dtype
SCRIPTS["per-sample-mixup-lambda-numpy-beta-size-b-tqdm"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

ALPHA = 0.4
tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("food/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
criterion = nn.CrossEntropyLoss()


def mixup(x, y):
    """mixup with one coefficient per sample (better than one per batch, says the blog)"""
    lam = torch.from_numpy(np.random.beta(ALPHA, ALPHA, size=x.size(0)))
    idx = torch.randperm(x.size(0))
    lam_x = lam.view(-1, 1, 1, 1)
    return lam_x * x + (1 - lam_x) * x[idx], y, y[idx], lam


for epoch in range(20):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        x, y_a, y_b, lam = mixup(x, y)
        out = model(x)
        loss = (lam * nn.functional.cross_entropy(out, y_a, reduction="none")
                + (1 - lam) * nn.functional.cross_entropy(out, y_b, reduction="none")).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

# ================================================================== data.missing_or_corrupt
SCRIPTS["kaggle-split-moved-val-images-train-csv-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

IMG_DIR = "data/train_images"


class CassavaDataset(Dataset):
    def __init__(self, csv_file, img_dir, transform=None):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.img_dir = img_dir
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        img = Image.open(f"{self.img_dir}/{row['image_id']}").convert("RGB")
        if self.transform:
            img = self.transform(img)
        return img, int(row["label"])


def main():
    tf = T.Compose([T.Resize((128, 128)), T.RandomHorizontalFlip(), T.ToTensor()])
    train_ds = CassavaDataset("data/train.csv", IMG_DIR, tf)
    val_ds = CassavaDataset("data/val.csv", "data/val_images", T.Compose([T.Resize((128, 128)), T.ToTensor()]))
    print(f"train {len(train_ds)}  val {len(val_ds)}")
    train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, num_workers=2)

    model = models.efficientnet_b0(weights=None, num_classes=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
    for epoch in range(10):
        model.train()
        for x, y in train_loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

CASSAVA_PREP = '''
import csv
import os
import random
import shutil
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
os.makedirs("data/train_images", exist_ok=True)
rows = []
for i in range(30):
    image_id = f"{1000015157 + 7919 * i}.jpg"
    Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(f"data/train_images/{image_id}")
    rows.append({"image_id": image_id, "label": str(i % 5)})
with open("data/train.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image_id", "label"])
    w.writeheader()
    w.writerows(rows)
# make_split.py (run last week): move 20% of the photos to data/val_images and write val.csv
random.seed(42)
val = random.sample(rows, 6)
os.makedirs("data/val_images", exist_ok=True)
for r in val:
    shutil.move(f"data/train_images/{r['image_id']}", f"data/val_images/{r['image_id']}")
with open("data/val.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image_id", "label"])
    w.writeheader()
    w.writerows(val)
'''

MAKE_SPLIT = '''
import csv
import os
import random
import shutil

random.seed(42)
rows = list(csv.DictReader(open("data/train.csv")))
val = random.sample(rows, len(rows) // 5)
os.makedirs("data/val_images", exist_ok=True)
for r in val:
    shutil.move(f"data/train_images/{r['image_id']}", f"data/val_images/{r['image_id']}")
with open("data/val.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["image_id", "label"])
    w.writeheader()
    w.writerows(val)
print(len(val), "images moved to data/val_images")
'''

SCRIPTS["imageai-cls-model-directory-inside-train-folder-second-run"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# keep the trained models next to the data they were trained on
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("leaves")
trainer.trainModel(num_experiments=10, batch_size=4, model_directory="leaves/train/models")
'''

LEAVES_RUN1_PREP = '''
import json
import os
import torch
# what the first run left in its model_directory
os.makedirs("leaves/train/models", exist_ok=True)
torch.save({"classifier.1.weight": torch.zeros(3, 1280), "classifier.1.bias": torch.zeros(3)},
           "leaves/train/models/mobilenet_v2-leaves-test_acc_0.66667_epoch-3.pt")
json.dump({"0": "healthy", "1": "powdery_mildew", "2": "rust"}, open("leaves/train/models/leaves_model_classes.json", "w"))
'''

# ================================================================== data.too_few_boxes
SCRIPTS["imageai-det-offline-augment-copies-of-two-photos"] = '''
import glob
import os
import random

from PIL import Image, ImageEnhance
from imageai.Detection.Custom import DetectionModelTrainer

random.seed(0)
N_COPIES = 30


def write_copy(img, rows, split, name, flip):
    if flip:
        img = img.transpose(Image.FLIP_LEFT_RIGHT)
        rows = [[c, 1 - x, y, w, h] for c, x, y, w, h in rows]
    img = ImageEnhance.Brightness(img).enhance(random.uniform(0.7, 1.3))
    img = ImageEnhance.Contrast(img).enhance(random.uniform(0.8, 1.2))
    img.save(f"kiwi/{split}/images/{name}.jpg")
    with open(f"kiwi/{split}/annotations/{name}.txt", "w") as f:
        for c, x, y, w, h in rows:
            f.write(f"{int(c)} {x:.6f} {y:.6f} {w:.6f} {h:.6f}\\n")


# the labelled photos so far (LabelImg, YOLO format): grow them into a data set with augmentation
for split in ("train", "validation"):
    os.makedirs(f"kiwi/{split}/images", exist_ok=True)
    os.makedirs(f"kiwi/{split}/annotations", exist_ok=True)
labelled = sorted(glob.glob("labelled/*.jpg"))
for k, path in enumerate(labelled):
    stem = os.path.splitext(os.path.basename(path))[0]
    with open(f"labelled/{stem}.txt") as f:
        rows = [list(map(float, line.split())) for line in f if line.strip()]
    img = Image.open(path).convert("RGB")
    split = "validation" if k == len(labelled) - 1 else "train"
    for i in range(N_COPIES if split == "train" else 4):
        write_copy(img, rows, split, f"{stem}_aug{i:03d}", flip=i % 2 == 1)
print(len(os.listdir("kiwi/train/images")), "training images")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="kiwi")
trainer.setTrainConfig(object_names_array=["kiwi", "kiwi_flower"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''


def kiwi_setup(work: Path):
    make_images(work, [(f"labelled/orchard_{i:02d}.jpg", (640, 480), "RGB") for i in range(3)])
    rows = ["0 0.310000 0.420000 0.120000 0.150000\n1 0.640000 0.380000 0.080000 0.090000\n",
            "0 0.520000 0.560000 0.140000 0.170000\n0 0.220000 0.300000 0.110000 0.130000\n",
            "1 0.450000 0.500000 0.090000 0.100000\n"]
    for i, r in enumerate(rows):
        (work / f"labelled/orchard_{i:02d}.txt").write_text(r)


# ================================================================== model.input_shape
CELLS["course-cnn-view-batch-size-last-batch-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

BATCH_SIZE = 16
EPOCHS = 5
IMG_SIZE = 64
''',
    '''
tf = T.Compose([T.Resize((IMG_SIZE, IMG_SIZE)), T.ToTensor()])
train_set = datasets.ImageFolder("shapes/train", transform=tf)
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)
print(len(train_set), "images,", len(train_loader), "batches, classes:", train_set.classes)
''',
    '''
class Net(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(32 * 16 * 16, 128)
        self.fc2 = nn.Linear(128, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(BATCH_SIZE, -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


net = Net(len(train_set.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
''',
    '''
for epoch in range(EPOCHS):
    running_loss = 0.0
    for i, (inputs, labels) in enumerate(train_loader):
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    print(f"[{epoch + 1}] loss: {running_loss / len(train_loader):.3f}")
print("Finished Training")
''',
]

# ================================================================== model.output_mismatch
SCRIPTS["landmark-net-136-outputs-on-kaggle-15-keypoints-csv"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class FacialKeypoints(Dataset):
    """Kaggle facial-keypoints training.csv: 30 keypoint columns + Image (96x96 pixels as text)"""

    def __init__(self, csv_file):
        self.images, self.keypoints = [], []
        with open(csv_file) as f:
            for row in csv.DictReader(f):
                if any(v == "" for v in row.values()):
                    continue                        # same as dropna()
                img = np.array(row.pop("Image").split(), dtype=np.float32).reshape(1, 96, 96) / 255.0
                self.images.append(img)
                self.keypoints.append(np.array([float(v) for v in row.values()], dtype=np.float32))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        kp = (self.keypoints[i] - 48.0) / 48.0     # centre and scale to about [-1, 1]
        return torch.from_numpy(self.images[i]), torch.from_numpy(kp)


class Net(nn.Module):
    """the architecture from the facial keypoint detection project (68 landmarks)"""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.conv3 = nn.Conv2d(64, 128, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.drop = nn.Dropout(0.3)
        self.fc1 = nn.Linear(128 * 10 * 10, 1000)
        self.fc2 = nn.Linear(1000, 136)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = self.pool(F.relu(self.conv3(x)))
        x = self.drop(torch.flatten(x, 1))
        x = self.drop(F.relu(self.fc1(x)))
        return self.fc2(x)


ds = FacialKeypoints("facial-keypoints/training.csv")
print(len(ds), "faces with all 15 keypoints")
loader = DataLoader(ds, batch_size=8, shuffle=True)
net = Net()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)

for epoch in range(20):
    for images, key_pts in loader:
        output_pts = net(images)
        loss = criterion(output_pts, key_pts)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: {loss.item():.4f}")
'''

KEYPOINTS_PREP = '''
import csv
import os
import numpy as np
rng = np.random.default_rng(0)
names = ["left_eye_center", "right_eye_center", "left_eye_inner_corner", "left_eye_outer_corner",
         "right_eye_inner_corner", "right_eye_outer_corner", "left_eyebrow_inner_end",
         "left_eyebrow_outer_end", "right_eyebrow_inner_end", "right_eyebrow_outer_end", "nose_tip",
         "mouth_left_corner", "mouth_right_corner", "mouth_center_top_lip", "mouth_center_bottom_lip"]
cols = [f"{n}_{a}" for n in names for a in ("x", "y")] + ["Image"]
os.makedirs("facial-keypoints", exist_ok=True)
with open("facial-keypoints/training.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for i in range(28):
        kp = [f"{v:.6f}" for v in rng.uniform(20, 76, 30)]
        if i % 4 == 3:
            kp[4:8] = ["", "", "", ""]               # most rows only have the 4 main keypoints
        w.writerow(kp + [" ".join(str(p) for p in rng.integers(0, 255, 96 * 96))])
'''

# ================================================================== model.weights_mismatch
SCRIPTS["vgg16-feature-weights-into-vgg16-bn"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((96, 96)), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("textures/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

# VGG-16 with batch norm trains faster; the ImageNet conv weights come from the lab share
# (features only: vgg16_features.pth, the classifier is retrained anyway)
model = models.vgg16_bn(weights=None)
model.features.load_state_dict(torch.load("pretrained/vgg16_features.pth"))
for p in model.features.parameters():
    p.requires_grad = False
model.avgpool = nn.AdaptiveAvgPool2d(1)
model.classifier = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Dropout(0.5),
                                 nn.Linear(256, len(train_ds.classes)))

optimizer = torch.optim.Adam(model.classifier.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

VGG_FEATURES_PREP = '''
import os
import torch
import torchvision
os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.vgg16(weights=None).features.state_dict(), "pretrained/vgg16_features.pth")
'''

# ================================================================== model.api_misuse
SCRIPTS["cosine-warm-restarts-t-mult-1-5-from-config"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T


class EarlyStopping:
    def __init__(self, patience=5):
        self.patience, self.best, self.bad = patience, float("inf"), 0

    def __call__(self, val_loss):
        if val_loss < self.best:
            self.best, self.bad = val_loss, 0
        else:
            self.bad += 1
        return self.bad >= self.patience


cfg = json.load(open("config.json"))
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("weather/train", tf)
val_ds = datasets.ImageFolder("weather/val", tf)
train_loader = DataLoader(train_ds, batch_size=cfg["batch_size"], shuffle=True)
val_loader = DataLoader(val_ds, batch_size=cfg["batch_size"])

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
    optimizer, T_0=cfg["T_0"], T_mult=cfg["T_mult"], eta_min=cfg["eta_min"])
stopper = EarlyStopping(patience=cfg["patience"])

for epoch in range(cfg["epochs"]):
    model.train()
    for i, (x, y) in enumerate(train_loader):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step(epoch + i / len(train_loader))
    model.eval()
    with torch.no_grad():
        val_loss = sum(nn.functional.cross_entropy(model(x), y, reduction="sum").item() for x, y in val_loader)
    val_loss /= len(val_ds)
    print(f"epoch {epoch}: val {val_loss:.4f} lr {scheduler.get_last_lr()[0]:.5f}")
    if stopper(val_loss):
        break
'''

WEATHER_CONFIG = '''{
  "batch_size": 8,
  "lr": 0.05,
  "epochs": 60,
  "T_0": 5,
  "T_mult": 1.5,
  "eta_min": 1e-5,
  "patience": 8
}
'''

SCRIPTS["resume-checkpoint-holding-optimizer-object"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

CKPT = "checkpoints/last.pth"
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("bugs/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
start_epoch, best_acc = 0, 0.0

if os.path.exists(CKPT):
    ckpt = torch.load(CKPT)
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    start_epoch, best_acc = ckpt["epoch"] + 1, ckpt["best_acc"]
    print(f"resumed from epoch {ckpt['epoch']}")

for epoch in range(start_epoch, 30):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer,
                "best_acc": best_acc}, CKPT)
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

BUGS_RUN1_PREP = '''
import os
import torch
import torchvision
# the checkpoint the same script wrote before the laptop went to sleep (epoch 4)
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
torch.save({"epoch": 4, "model": model.state_dict(), "optimizer": optimizer, "best_acc": 0.0},
           "checkpoints/last.pth")
'''

# ================================================================== optim.divergence
CELLS["house-price-from-photos-raw-dollars-histogram-notebook"] = [
    '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

rows = list(csv.DictReader(open("houses/listings.csv")))
print(len(rows), "listings, e.g.", rows[0])
''',
    '''
class HousePhotos(Dataset):
    def __init__(self, rows):
        self.rows = rows
        self.tf = T.Compose([T.Resize((64, 64)), T.ToTensor(),
                             T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open(f"houses/photos/{r['photo']}").convert("RGB"))
        return img, torch.tensor(float(r["price"]))


loader = DataLoader(HousePhotos(rows), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=1)      # one output: the price
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
''',
    '''
step = 0
for epoch in range(3):
    model.train()
    for img, price in loader:
        pred = model(img).squeeze(1)
        loss = criterion(pred, price)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 2 == 0:
            print(f"epoch {epoch + 1} step {step}: MSE {loss.item():.4g}")
        step += 1
''',
    '''
# how are the predicted prices distributed?
model.eval()
with torch.no_grad():
    preds = torch.cat([model(img).squeeze(1) for img, _ in loader])
counts, edges = torch.histogram(preds, bins=10)
for c, lo in zip(counts.tolist(), edges.tolist()):
    print(f"{lo:>12,.0f}  {'#' * int(c)}")
''',
]


def houses_setup(work: Path):
    make_images(work, [(f"houses/photos/listing_{i:04d}.jpg", (160, 120), "RGB") for i in range(40)])
    lines = ["photo,price,bedrooms\n"]
    for i in range(40):
        lines.append(f"listing_{i:04d}.jpg,{185000 + 23750 * (i % 17) + 1250 * i},{2 + i % 4}\n")
    (work / "houses/listings.csv").write_text("".join(lines))


# ================================================================== optim.autograd_graph
SCRIPTS["sam-optimizer-second-step-reuses-first-outputs-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm


class SAM(torch.optim.Optimizer):
    """Sharpness-Aware Minimization (copied from github.com/davda54/sam)"""

    def __init__(self, params, base_optimizer, rho=0.05, **kwargs):
        defaults = dict(rho=rho, **kwargs)
        super().__init__(params, defaults)
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        self.param_groups = self.base_optimizer.param_groups

    @torch.no_grad()
    def first_step(self, zero_grad=False):
        grad_norm = self._grad_norm()
        for group in self.param_groups:
            scale = group["rho"] / (grad_norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                self.state[p]["old_p"] = p.data.clone()
                p.add_(p.grad * scale.to(p))
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad=False):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.data = self.state[p]["old_p"]
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()

    def _grad_norm(self):
        return torch.norm(torch.stack([p.grad.norm(p=2) for group in self.param_groups
                                       for p in group["params"] if p.grad is not None]), p=2)


tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
train_ds = datasets.ImageFolder("wildlife/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = SAM(model.parameters(), torch.optim.SGD, lr=0.05, momentum=0.9)

for epoch in range(10):
    model.train()
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        outputs = model(x)
        # first forward-backward pass
        loss = criterion(outputs, y)
        loss.backward()
        optimizer.first_step(zero_grad=True)
        # second forward-backward pass
        criterion(outputs, y).backward()
        optimizer.second_step(zero_grad=True)
'''

# ================================================================== resource.host_memory
SCRIPTS["resize-2240-typo-under-job-memory-limit"] = '''
import resource

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

# cluster job: #SBATCH --mem=4G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (4 * 1024 ** 3, hard))

train_tf = T.Compose([
    T.Resize((2240, 2240)),
    T.RandomHorizontalFlip(),
    T.ToTensor(),
    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = datasets.ImageFolder("skin/train", train_tf)
loader = DataLoader(train_ds, batch_size=16, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    for step, (x, y) in enumerate(loader):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step}: {loss.item():.4f}")
'''

# ================================================================== env.multiprocessing
SCRIPTS["dataloader-timeout-over-nlmeans-denoise-workers"] = '''
import glob

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Micrographs(Dataset):
    """phase-contrast micrographs; denoised on the fly (non-local means)"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = cv2.imread(self.files[i])
        img = cv2.fastNlMeansDenoisingColored(img, None, 10, 10, 7, 21)
        img = cv2.resize(img, (128, 128))
        x = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        return x, self.classes.index(self.files[i].split("/")[-2])


def main():
    ds = Micrographs("cells")
    # timeout so that a stuck worker raises instead of hanging the job forever
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, timeout=5)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(ds.classes)))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(20):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

# ================================================================== env.version_incompat
SCRIPTS["kaggle-seed-everything-torch-set-deterministic"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

from utils import seed_everything, AverageMeter

CFG = {"seed": 42, "img_size": 96, "batch_size": 8, "epochs": 10, "lr": 1e-3}
seed_everything(CFG["seed"])

tf = T.Compose([T.Resize((CFG["img_size"], CFG["img_size"])), T.ToTensor()])
train_ds = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(train_ds, batch_size=CFG["batch_size"], shuffle=True)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=CFG["lr"])

for epoch in range(CFG["epochs"]):
    meter = AverageMeter()
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        meter.update(loss.item(), x.size(0))
    print(f"epoch {epoch}: {meter.avg:.4f}")
'''

SEED_UTILS = '''
import os
import random

import numpy as np
import torch


def seed_everything(seed=42):
    """from a 2020 Kaggle kernel: full reproducibility"""
    random.seed(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.set_deterministic(True)


class AverageMeter:
    def __init__(self):
        self.sum, self.count = 0.0, 0

    def update(self, val, n=1):
        self.sum += val * n
        self.count += n

    @property
    def avg(self):
        return self.sum / max(self.count, 1)
'''

# ================================================================== env.distributed
SCRIPTS["ddp-validation-on-rank-zero-through-ddp-wrapper"] = '''
import datetime

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T


def main():
    # a short timeout: the first attempt hung for 30 minutes
    dist.init_process_group("gloo", timeout=datetime.timedelta(seconds=20))
    rank = dist.get_rank()
    tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
    train_ds = datasets.ImageFolder("dogs/train", tf)
    val_ds = datasets.ImageFolder("dogs/val", tf)
    sampler = DistributedSampler(train_ds, shuffle=True)
    train_loader = DataLoader(train_ds, batch_size=4, sampler=sampler)
    val_loader = DataLoader(val_ds, batch_size=4)

    model = DDP(models.resnet18(weights=None, num_classes=len(train_ds.classes)))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    for epoch in range(5):
        sampler.set_epoch(epoch)
        model.train()
        for x, y in train_loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"[rank {rank}] epoch {epoch} train loss {loss.item():.4f}", flush=True)

        if rank == 0:                      # evaluate once, on the main process only
            model.eval()
            correct = 0
            with torch.no_grad():
                for x, y in val_loader:
                    correct += (model(x).argmax(1) == y).sum().item()
            print(f"epoch {epoch}: val acc {correct / len(val_ds):.3f}", flush=True)
        dist.barrier()

    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ================================================================== env.cuda_setup
CELLS["chatgpt-batch-size-helper-mem-get-info-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device)
''',
    '''
def auto_batch_size(model, img_size, max_bs=256, safety=0.8):
    """Pick the largest batch size that fits in free GPU memory (suggested by ChatGPT)."""
    free_bytes, total_bytes = torch.cuda.mem_get_info()
    n_params = sum(p.numel() for p in model.parameters())
    per_image = 4 * 3 * img_size * img_size * 60           # activations, rough estimate
    budget = free_bytes * safety - 4 * n_params * 4         # weights, grads, Adam states
    return int(max(1, min(max_bs, budget // per_image)))


model = models.efficientnet_b0(weights=None, num_classes=4).to(device)
BATCH_SIZE = auto_batch_size(model, 128)
print("batch size:", BATCH_SIZE)
''',
    '''
tf = T.Compose([T.Resize((128, 128)), T.ToTensor()])
train_ds = datasets.ImageFolder("retina/train", tf)
loader = DataLoader(train_ds, batch_size=BATCH_SIZE, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]

# ================================================================== other
SCRIPTS["per-class-precision-class-never-predicted"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

from metrics import classification_report

torch.manual_seed(0)
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("garbage/train", tf)
val_ds = datasets.ImageFolder("garbage/val", tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=8)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(8):
    model.train()
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    y_true, y_pred = [], []
    with torch.no_grad():
        for x, y in val_loader:
            y_pred += model(x).argmax(1).tolist()
            y_true += y.tolist()
    print(f"epoch {epoch}: train loss {loss.item():.4f}")
    print(classification_report(y_true, y_pred, val_ds.classes))
'''

METRICS_PY = '''
def classification_report(y_true, y_pred, class_names):
    """precision / recall / F1 per class, without sklearn"""
    lines = [f"{'class':<12}{'prec':>8}{'rec':>8}{'f1':>8}"]
    for c, name in enumerate(class_names):
        tp = sum(1 for t, p in zip(y_true, y_pred) if t == c and p == c)
        fp = sum(1 for t, p in zip(y_true, y_pred) if t != c and p == c)
        fn = sum(1 for t, p in zip(y_true, y_pred) if t == c and p != c)
        precision = tp / (tp + fp)
        recall = tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
        lines.append(f"{name:<12}{precision:>8.3f}{recall:>8.3f}{f1:>8.3f}")
    return "\\n".join(lines)
'''


def cases():
    out, add, script, notebook = case_builders("torch-more46-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    script("birdcall-spectrogram-pngs-clip-length-widths-workers", "data.image_size_mismatch",
           forms=("cpython_basic", "dataloader_worker", "progress_bars?"), setup=birdcall_setup)
    notebook("knee-xray-clahe-grey-into-resnet-notebook", "data.image_channels",
             setup=imgs(class_folder("knee_kl/train", ["0", "1", "2", "3", "4"], 3, size=(180, 180), ext="png")))
    iai("imageai-pseudo-labels-normalised-by-416", "data.bbox_invalid", argv="pseudo_label_and_retrain.py",
        setup=road_setup)
    script("cifar100-pickle-fine-labels-20-superclass-head", "data.label_out_of_range", setup=prep(CIFAR100_PREP))
    script("captcha-ctc-texts-of-4-to-6-chars-default-collate", "data.label_shape", setup=prep(CAPTCHA_PREP))
    script("per-sample-mixup-lambda-numpy-beta-size-b-tqdm", "data.dtype", forms=P,
           setup=imgs(class_folder("food/train", ["pizza", "ramen", "sushi"], 4, size=(120, 100))))
    script("kaggle-split-moved-val-images-train-csv-workers", "data.missing_or_corrupt", forms=W,
           extra={"make_split.py": MAKE_SPLIT}, setup=prep(CASSAVA_PREP))
    iai("imageai-cls-model-directory-inside-train-folder-second-run", "data.missing_or_corrupt",
        also=["model.api_misuse"],
        setup=both(imgs(class_folder("leaves/train", ["healthy", "powdery_mildew", "rust"], 3, size=(90, 90))
                        + class_folder("leaves/test", ["healthy", "powdery_mildew", "rust"], 1, size=(90, 90))),
                   prep(LEAVES_RUN1_PREP)))
    iai("imageai-det-offline-augment-copies-of-two-photos", "data.too_few_boxes", argv="augment_and_train.py",
        setup=kiwi_setup)
    notebook("course-cnn-view-batch-size-last-batch-notebook", "model.input_shape", also=["data.label_shape"],
             setup=imgs(class_folder("shapes/train", ["circle", "square", "triangle"], 12, size=(80, 80))))
    script("landmark-net-136-outputs-on-kaggle-15-keypoints-csv", "model.output_mismatch",
           also=["data.label_shape"], setup=prep(KEYPOINTS_PREP))
    script("vgg16-feature-weights-into-vgg16-bn", "model.weights_mismatch",
           setup=both(imgs(class_folder("textures/train", ["braided", "dotted", "striped"], 2, size=(100, 100))),
                      prep(VGG_FEATURES_PREP)))
    script("cosine-warm-restarts-t-mult-1-5-from-config", "model.api_misuse",
           extra={"config.json": WEATHER_CONFIG},
           setup=imgs(class_folder("weather/train", ["cloudy", "rain", "shine"], 3, size=(80, 80))
                      + class_folder("weather/val", ["cloudy", "rain", "shine"], 1, size=(80, 80))))
    script("resume-checkpoint-holding-optimizer-object", "model.api_misuse", also=["env.version_incompat"],
           setup=both(imgs(class_folder("bugs/train", ["aphid", "ladybird", "weevil"], 3, size=(80, 80))),
                      prep(BUGS_RUN1_PREP)))
    notebook("house-price-from-photos-raw-dollars-histogram-notebook", "optim.divergence", setup=houses_setup)
    script("sam-optimizer-second-step-reuses-first-outputs-tqdm", "optim.autograd_graph", forms=P,
           setup=imgs(class_folder("wildlife/train", ["deer", "fox", "boar"], 4, size=(80, 80))))
    script("resize-2240-typo-under-job-memory-limit", "resource.host_memory",
           setup=imgs(class_folder("skin/train", ["benign", "malignant"], 8, size=(300, 225))), timeout=400)
    script("dataloader-timeout-over-nlmeans-denoise-workers", "env.multiprocessing",
           setup=imgs(class_folder("cells", ["mitotic", "interphase"], 8, size=(1600, 1200), ext="png")), timeout=300)
    script("kaggle-seed-everything-torch-set-deterministic", "env.version_incompat",
           extra={"utils.py": SEED_UTILS},
           setup=imgs(class_folder("flowers/train", ["daisy", "dandelion", "tulip"], 2, size=(80, 80))))
    script("ddp-validation-on-rank-zero-through-ddp-wrapper", "env.distributed", argv="train_ddp.py",
           pre=("-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29746"),
           setup=imgs(class_folder("dogs/train", ["beagle", "corgi", "husky"], 4, size=(80, 80))
                      + class_folder("dogs/val", ["beagle", "corgi", "husky"], 2, size=(80, 80))), timeout=300,
           exception="RuntimeError")
    notebook("chatgpt-batch-size-helper-mem-get-info-notebook", "env.cuda_setup")
    script("per-class-precision-class-never-predicted", "other", extra={"metrics.py": METRICS_PY},
           setup=imgs(class_folder("garbage/train", ["cardboard", "glass", "metal", "paper"], 3, size=(72, 72))
                      + class_folder("garbage/val", ["cardboard", "glass", "metal", "paper"], 2, size=(72, 72))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
