"""A fifty-fifth held-out set (g108, scored 0.91 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: Kaggle competition regulars training image models in PyTorch: fold CSVs (a hand-written
stratified k-fold, since the box has no scikit-learn or pandas), test-time augmentation, out-of-fold
predictions, pseudo-labelling, ensembles of fold / experiment checkpoints, gradient accumulation, CPU
autocast, custom samplers for imbalance and the competitions' own label formats (run-length masks,
multi-label strings, boxes as strings in a CSV column, 16-bit medical PNGs), then the submission file. A
natural mix of causes, each program built so that its cause is known by construction; none a repeat of
the scenarios in the other generators:

- data: Severstal-style run-length masks decoded with ``reshape((width, height))`` and no transpose
  (tqdm), Global-Wheat ``bbox`` strings split with the regex ``[0-9]+`` (the ``.0`` decimals become
  zero heights, Faster R-CNN), Plant-Pathology-2021 label combinations (``"scab frog_eye_leaf_spot"``)
  used as class ids under the six-label head (tqdm), hard pseudo-labels kept in the float64
  ``[class, confidence]`` array of the inference script (tqdm), RSNA-mammography 16-bit PNGs windowed to
  one channel into a ResNet, a TTA inference script on the original-size test images after training
  on an offline-resized copy (in workers, tqdm), a fold CSV written on Kaggle with
  ``/kaggle/input/...`` paths run at home (``cv2.imread`` None, in workers);
- model: a PetFinder-Pawpularity regressor whose ImageNet head was never replaced (a broadcast warning
  first, notebook), an ensemble notebook zipping a hand-typed list of architectures with a sorted glob
  of experiment checkpoints, 2.5D CT input switched from 3 to 5 adjacent slices with the stock stem;
- API: a class-balanced sampler whose ``__iter__`` returns a list, TTA written ``torch.flip(x, 3)``
  (notebook), a ``worker_init_fn`` seeding NumPy with the 64-bit ``torch.initial_seed()`` (in workers);
- optimisation / autograd: soft pseudo-labels for the test set computed once with gradients and reused
  every step, an APTOS grade regressor whose learning rate follows the linear scaling rule without the
  ``/ 256`` under gradient accumulation (the QWK ``bincount`` meets NaN cast to int, tqdm);
- dtype: an out-of-fold ``float32`` buffer filled with CPU bfloat16 autocast logits;
- environment / resources: a fold checkpoint that also stores the OOF ``preds`` NumPy array, read by the
  inference notebook under the torch 2.6+ ``weights_only`` default; the competition zip opened once in
  ``Dataset.__init__`` and read by forked workers through the shared file offset (``BadZipFile``); a
  Shopee-style kNN pseudo-label step building the full train x train cosine matrix under a job memory limit;
- plain bugs: fold ids read back from ``train_folds.csv`` as strings and compared with an int (empty
  validation fold), a one-dimensional OOF buffer given the class probabilities (notebook), a test loader
  copied from the train loader with ``drop_last=True`` before ``np.column_stack`` of the submission
  (notebook).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more55.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more55.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["severstal-rle-reshape-width-height-no-transpose-tqdm"] = '''
import csv

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


def rle2mask(rle, shape=(1600, 256)):
    """EncodedPixels -> binary mask. shape = (width, height) of the steel sheet."""
    s = rle.split()
    starts, lengths = [np.asarray(x, dtype=int) for x in (s[0::2], s[1::2])]
    starts -= 1
    mask = np.zeros(shape[0] * shape[1], dtype=np.uint8)
    for lo, n in zip(starts, lengths):
        mask[lo:lo + n] = 1
    return mask.reshape(shape)


class SteelDataset(Dataset):
    def __init__(self, csv_path, img_dir, class_id="3"):
        with open(csv_path, newline="") as f:
            self.rows = [r for r in csv.DictReader(f) if r["ClassId"] == class_id]
        self.img_dir = img_dir

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = cv2.imread(f"{self.img_dir}/{r['ImageId']}")
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB).astype(np.float32) / 255.0
        mask = rle2mask(r["EncodedPixels"])
        return torch.from_numpy(img.transpose(2, 0, 1)), torch.from_numpy(mask).float().unsqueeze(0)


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1 = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.down2 = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.head = nn.Conv2d(32 + 16, 1, 1)

    def forward(self, x):
        d1 = self.down1(F.max_pool2d(x, 2))
        d2 = self.down2(F.max_pool2d(d1, 2))
        up = F.interpolate(d2, scale_factor=2, mode="bilinear", align_corners=False)
        out = self.head(torch.cat([up, d1], 1))
        return F.interpolate(out, scale_factor=2, mode="bilinear", align_corners=False)


ds = SteelDataset("train.csv", "train_images")
print(f"{len(ds)} images with class-3 defects")
loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
model = TinyUNet()
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
criterion = nn.BCEWithLogitsLoss()
for epoch in range(3):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for img, mask in pbar:
        loss = criterion(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.4f}")
'''

SEVERSTAL_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
W, H = 1600, 256
os.makedirs("train_images", exist_ok=True)
rows = []
for i in range(8):
    name = f"{int(rng.integers(0, 16 ** 8)):08x}{chr(97 + i)}.jpg"
    Image.fromarray(rng.integers(60, 200, (H, W, 3), dtype=np.uint8)).save(f"train_images/{name}", quality=80)
    m = np.zeros((H, W), np.uint8)
    x0 = int(rng.integers(0, W - 200))
    y0 = int(rng.integers(0, H - 80))
    m[y0:y0 + 60, x0:x0 + 150] = 1
    flat = m.T.flatten()                      # pixels numbered top to bottom, then left to right
    p = np.concatenate([[0], flat, [0]])
    runs = np.where(p[1:] != p[:-1])[0] + 1
    runs[1::2] -= runs[::2]
    rows.append([name, "3", " ".join(map(str, runs))])
    if i % 3 == 0:
        rows.append([name, "1", "1 20 257 20"])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["ImageId", "ClassId", "EncodedPixels"])
    w.writerows(rows)
'''

SCRIPTS["global-wheat-bbox-string-regex-drops-decimals-fasterrcnn"] = '''
import csv
import re
from collections import defaultdict

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
import torchvision.transforms.functional as TF


class WheatDataset(Dataset):
    def __init__(self, csv_path, img_dir):
        self.boxes = defaultdict(list)
        with open(csv_path, newline="") as f:
            for r in csv.DictReader(f):
                # bbox column is a string like "[834.0, 222.0, 56.0, 36.0]" (x, y, w, h)
                vals = np.array(re.findall(r"[0-9]+", r["bbox"]), dtype=np.float32)
                self.boxes[r["image_id"]].extend(vals.reshape(-1, 4).tolist())
        self.ids = sorted(self.boxes)
        self.img_dir = img_dir

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image_id = self.ids[i]
        img = TF.to_tensor(Image.open(f"{self.img_dir}/{image_id}.jpg").convert("RGB"))
        boxes = torch.tensor(self.boxes[image_id], dtype=torch.float32)
        boxes[:, 2:] += boxes[:, :2]                      # xywh -> xyxy
        target = {"boxes": boxes, "labels": torch.ones(len(boxes), dtype=torch.int64)}
        return img, target


def collate_fn(batch):
    return tuple(zip(*batch))


ds = WheatDataset("train.csv", "train")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate_fn)
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, 2)      # background + wheat head
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {losses.item():.4f}")
'''

WHEAT_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("train", exist_ok=True)
rows = []
for i in range(4):
    image_id = f"{int(rng.integers(0, 16 ** 9)):09x}"
    Image.fromarray(rng.integers(0, 256, (256, 256, 3), dtype=np.uint8)).save(f"train/{image_id}.jpg")
    for _ in range(3):
        x, y = rng.integers(0, 180, 2)
        w, h = rng.integers(20, 70, 2)
        rows.append([image_id, 256, 256, f"[{float(x)}, {float(y)}, {float(w)}, {float(h)}]", "usask_1"])
with open("train.csv", "w", newline="") as f:
    wr = csv.writer(f)
    wr.writerow(["image_id", "width", "height", "bbox", "source"])
    wr.writerows(rows)
'''

SCRIPTS["plant-pathology-label-combinations-into-six-class-head-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class CFG:
    num_classes = 6          # healthy, scab, frog_eye_leaf_spot, rust, complex, powdery_mildew
    img_size = 96
    batch_size = 8
    lr = 1e-3
    epochs = 3
    seed = 42


torch.manual_seed(CFG.seed)
with open("train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
LABELS = sorted({r["labels"] for r in rows})
label2id = {l: i for i, l in enumerate(LABELS)}


class LeafDataset(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"train_images/{r['image']}").convert("RGB")
        return self.tf(img), label2id[r["labels"]]


tf = T.Compose([T.Resize((CFG.img_size, CFG.img_size)), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(LeafDataset(rows, tf), batch_size=CFG.batch_size, shuffle=True)
model = models.resnet18(weights=None, num_classes=CFG.num_classes)
optimizer = torch.optim.AdamW(model.parameters(), lr=CFG.lr)
criterion = nn.CrossEntropyLoss()
for epoch in range(CFG.epochs):
    model.train()
    pbar = tqdm(loader, desc=f"Epoch {epoch + 1}/{CFG.epochs}")
    for images, labels in pbar:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
'''

PLANT_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(21)
combos = ["healthy", "scab", "frog_eye_leaf_spot", "rust", "complex", "powdery_mildew",
          "scab frog_eye_leaf_spot", "scab frog_eye_leaf_spot complex", "frog_eye_leaf_spot complex",
          "rust frog_eye_leaf_spot", "rust complex", "powdery_mildew complex"]
os.makedirs("train_images", exist_ok=True)
rows = []
for i in range(16):
    name = f"{int(rng.integers(0, 16 ** 12)):012x}{i:x}.jpg"[-20:]
    Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8)).save(f"train_images/{name}")
    rows.append([name, combos[i % len(combos)]])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image", "labels"])
    w.writerows(rows)
'''

SCRIPTS["pseudo-labels-kept-in-float-pred-conf-array-tqdm"] = '''
import csv
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

PSEUDO_THRESHOLD = 0.9
torch.manual_seed(0)


class ImageLabelDataset(Dataset):
    def __init__(self, items, tf):
        self.items, self.tf = items, tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return self.tf(Image.open(path).convert("RGB")), label


with open("train.csv", newline="") as f:
    train_items = [(f"train_images/{r['image_id']}", int(r["label"])) for r in csv.DictReader(f)]

# round 2: add the confident test predictions of round 1 (saved by infer.py as [pred_class, confidence])
pseudo = np.load("pseudo_round1.npy")
test_ids = sorted(os.listdir("test_images"))
pseudo_items = [(f"test_images/{name}", label) for name, (label, conf) in zip(test_ids, pseudo)
                if conf > PSEUDO_THRESHOLD]
print(f"train {len(train_items)} + pseudo {len(pseudo_items)}")

tf = T.Compose([T.Resize((64, 64)), T.RandomHorizontalFlip(), T.ToTensor()])
loader = DataLoader(ImageLabelDataset(train_items + pseudo_items, tf), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=5)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
for epoch in range(3):
    pbar = tqdm(loader, desc=f"round2 epoch {epoch}")
    for x, y in pbar:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

PSEUDO_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("train_images", exist_ok=True)
os.makedirs("test_images", exist_ok=True)
rows = []
for i in range(6):
    name = f"{1000015157 + 7919 * i}.jpg"
    Image.fromarray(rng.integers(0, 256, (80, 80, 3), dtype=np.uint8)).save(f"train_images/{name}")
    rows.append([name, i % 5])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "label"])
    w.writerows(rows)
preds, confs = [], []
for i in range(20):
    Image.fromarray(rng.integers(0, 256, (80, 80, 3), dtype=np.uint8)).save(f"test_images/{2216849948 + 13 * i}.jpg")
    preds.append(int(rng.integers(0, 5)))
    confs.append(float(rng.uniform(0.85, 1.0)))
np.save("pseudo_round1.npy", np.stack([np.array(preds), np.array(confs)], axis=1))
'''

SCRIPTS["rsna-mammo-16bit-png-windowed-one-channel-resnet"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class MammoDataset(Dataset):
    """RSNA screening mammography, DICOMs converted to 16-bit PNG (train_images/<patient>/<image>.png)"""

    def __init__(self, csv_path, size=128):
        with open(csv_path, newline="") as f:
            self.rows = list(csv.DictReader(f))
        self.size = size

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = np.array(Image.open(f"train_images/{r['patient_id']}/{r['image_id']}.png"), dtype=np.float32)
        lo, hi = np.percentile(img, (1, 99))                    # simple windowing of the 12-bit range
        img = np.clip((img - lo) / (hi - lo + 1e-6), 0.0, 1.0)
        x = torch.from_numpy(img)[None]                         # 1 x H x W
        x = F.interpolate(x[None], size=(self.size, self.size), mode="bilinear", align_corners=False)[0]
        return x, torch.tensor(float(r["cancer"]))


ds = MammoDataset("train.csv")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([4.0]))
for epoch in range(2):
    for x, y in loader:
        loss = criterion(model(x).squeeze(1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

MAMMO_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
rows = []
for p in range(4):
    patient = str(10006 + 331 * p)
    os.makedirs(f"train_images/{patient}", exist_ok=True)
    for v in range(2):
        image_id = str(462822612 + 97 * (2 * p + v))
        arr = rng.integers(200, 4095, (300, 240)).astype(np.uint16)      # 12-bit detector values
        Image.fromarray(arr).save(f"train_images/{patient}/{image_id}.png")
        rows.append([patient, image_id, "CC" if v == 0 else "MLO", int(p == 3)])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["patient_id", "image_id", "view", "cancer"])
    w.writerows(rows)
'''

SCRIPTS["tta-inference-original-size-test-after-offline-resized-train-workers"] = '''
import csv
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm

TEST_DIR = "test_images"
# training used the 256 px copies made by resize_dataset.py, so no Resize here
test_tf = T.Compose([T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class TestDataset(Dataset):
    def __init__(self, ids, tf):
        self.ids, self.tf = ids, tf

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return self.tf(Image.open(os.path.join(TEST_DIR, self.ids[i])).convert("RGB"))


def main():
    with open("sample_submission.csv", newline="") as f:
        ids = [r["image_id"] for r in csv.DictReader(f)]
    loader = DataLoader(TestDataset(ids, test_tf), batch_size=4, shuffle=False, num_workers=2)
    probs = np.zeros((len(ids), 5), dtype=np.float32)
    for path in sorted(glob.glob("models/resnet18_fold*.pth")):
        model = models.resnet18(weights=None, num_classes=5)
        model.load_state_dict(torch.load(path, map_location="cpu"))
        model.eval()
        out = []
        with torch.no_grad():
            for x in tqdm(loader, desc=os.path.basename(path)):
                p = model(x).softmax(1) + model(torch.flip(x, dims=[3])).softmax(1)     # hflip TTA
                out.append((p / 2).numpy())
        probs += np.concatenate(out)
    with open("submission.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image_id", "label"])
        w.writerows(zip(ids, probs.argmax(1)))


if __name__ == "__main__":
    main()
'''

TTA_PREP = '''
import csv
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

rng = np.random.default_rng(2)
os.makedirs("test_images", exist_ok=True)
os.makedirs("models", exist_ok=True)
ids = []
for i, (w, h) in enumerate([(256, 256), (320, 240), (256, 256), (240, 320), (300, 300), (256, 256)]):
    name = f"{2216849948 + 31 * i}.jpg"
    Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(f"test_images/{name}")
    ids.append(name)
with open("sample_submission.csv", "w", newline="") as f:
    wr = csv.writer(f)
    wr.writerow(["image_id", "label"])
    wr.writerows([[n, 4] for n in ids])
torch.manual_seed(0)
for fold in range(2):
    torch.save(models.resnet18(num_classes=5).state_dict(), f"models/resnet18_fold{fold}.pth")
'''

SCRIPTS["fold-csv-written-on-kaggle-input-paths-cv2-none-workers"] = '''
import csv

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class CFG:
    fold = 0
    size = 128
    batch_size = 8
    num_workers = 2
    lr = 1e-4


class CassavaDataset(Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = cv2.imread(r["path"])
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (CFG.size, CFG.size)).astype(np.float32) / 255.0
        return torch.from_numpy(img.transpose(2, 0, 1)), int(r["label"])


def main():
    # train_folds.csv comes from my Kaggle notebook's output (make_folds cell)
    with open("train_folds.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    trn = [r for r in rows if int(r["fold"]) != CFG.fold]
    loader = DataLoader(CassavaDataset(trn), batch_size=CFG.batch_size, shuffle=True,
                        num_workers=CFG.num_workers, drop_last=True)
    model = models.resnet18(weights=None, num_classes=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=CFG.lr)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"fold {CFG.fold} epoch {epoch} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

KAGGLE_PATHS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
local = "input/cassava-leaf-disease-classification/train_images"
os.makedirs(local, exist_ok=True)
rows = []
for i in range(15):
    name = f"{1000015157 + 104729 * i}.jpg"
    Image.fromarray(rng.integers(0, 256, (150, 200, 3), dtype=np.uint8)).save(f"{local}/{name}")
    rows.append([name, i % 5, f"/kaggle/input/cassava-leaf-disease-classification/train_images/{name}", i % 3])
with open("train_folds.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "label", "path", "fold"])
    w.writerows(rows)
'''

# ================================================================== model
PETFINDER_SETUP_CODE = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(14)
os.makedirs("petfinder/train", exist_ok=True)
rows = []
for i in range(16):
    pid = f"{int(rng.integers(0, 16 ** 15)):015x}{int(rng.integers(0, 16 ** 15)):015x}{i:02x}"
    Image.fromarray(rng.integers(0, 256, (120, 100, 3), dtype=np.uint8)).save(f"petfinder/train/{pid}.jpg")
    rows.append([pid, int(rng.integers(1, 101))])
with open("petfinder/train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Id", "Pawpularity"])
    w.writerows(rows)
'''

CELLS["pawpularity-imagenet-head-not-replaced-mse-notebook"] = [
    '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

class CFG:
    img_size = 96
    batch_size = 8
    lr = 1e-4
    epochs = 2

class PetDataset(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf
    def __len__(self):
        return len(self.rows)
    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"petfinder/train/{r['Id']}.jpg").convert("RGB")
        return self.tf(img), torch.tensor(float(r["Pawpularity"]))

with open("petfinder/train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
tf = T.Compose([T.Resize((CFG.img_size, CFG.img_size)), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_loader = DataLoader(PetDataset(rows, tf), batch_size=CFG.batch_size, shuffle=True)
len(rows)
''',
    '''
model = models.resnet34(weights=None)    # TODO: swap in the timm backbone once this runs
criterion = nn.MSELoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=CFG.lr)
''',
    '''
for epoch in range(CFG.epochs):
    model.train()
    running = 0.0
    for images, target in train_loader:
        preds = model(images)
        loss = torch.sqrt(criterion(preds, target))       # RMSE, the competition metric
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch}: rmse {running / len(train_loader):.3f}")
''',
]

ENSEMBLE_PREP = '''
import os
import torch
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# experiment log: exp012 resnet18, exp015 resnet34, exp020 efficientnet_b0 (fold 0 of each)
torch.save(models.resnet18(num_classes=5).state_dict(), "models/exp012_fold0.pth")
torch.save(models.resnet34(num_classes=5).state_dict(), "models/exp015_fold0.pth")
torch.save(models.efficientnet_b0(num_classes=5).state_dict(), "models/exp020_fold0.pth")
'''

CELLS["ensemble-arch-list-zipped-with-sorted-checkpoint-glob-notebook"] = [
    '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torchvision import models, transforms as T

test_files = sorted(glob.glob("test_images/*.jpg"))
tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
batch = torch.stack([tf(Image.open(p).convert("RGB")) for p in test_files])
batch.shape
''',
    '''
# best CV first: exp015 (0.891), exp012 (0.887), exp020 (0.884)
ARCHS = ["resnet34", "resnet18", "efficientnet_b0"]
CKPTS = sorted(glob.glob("models/*.pth"))

ensemble = []
for arch, path in zip(ARCHS, CKPTS):
    model = getattr(models, arch)(weights=None, num_classes=5)
    model.load_state_dict(torch.load(path, map_location="cpu"))
    ensemble.append(model.eval())
print(len(ensemble), "models")
''',
    '''
with torch.no_grad():
    probs = torch.stack([m(batch).softmax(1) for m in ensemble]).mean(0)
probs.argmax(1)
''',
]

SCRIPTS["ct-2p5d-five-adjacent-slices-stock-resnet-stem"] = '''
import csv
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class CFG:
    n_slices = 5          # was 3 (one slice each side); exp031: two each side
    size = 64
    batch_size = 4
    lr = 3e-4


class SliceStackDataset(Dataset):
    """2.5D: the slice and its neighbours stacked as channels"""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        files = sorted(glob.glob(f"train_images/{r['series_id']}/*.png"))
        k = int(r["instance"])
        half = CFG.n_slices // 2
        idx = np.clip(np.arange(k - half, k + half + 1), 0, len(files) - 1)
        stack = np.stack([np.array(Image.open(files[j]), dtype=np.float32) / 255.0 for j in idx])
        return torch.from_numpy(stack), int(r["label"])


with open("train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
loader = DataLoader(SliceStackDataset(rows), batch_size=CFG.batch_size, shuffle=True)
model = models.resnet18(weights=None, num_classes=2)
optimizer = torch.optim.AdamW(model.parameters(), lr=CFG.lr)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, round(loss.item(), 4))
'''

CT_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(31)
rows = []
for s in range(3):
    sid = f"1.2.826.0.1.3680043.{8000 + 17 * s}"
    os.makedirs(f"train_images/{sid}", exist_ok=True)
    for k in range(8):
        Image.fromarray(rng.integers(0, 256, (64, 64), dtype=np.uint8)).save(f"train_images/{sid}/{k:04d}.png")
        rows.append([sid, k, int(3 <= k <= 5 and s == 1)])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["series_id", "instance", "label"])
    w.writerows(rows)
'''

# ================================================================== API
SCRIPTS["class-balanced-sampler-iter-returns-list"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Sampler
from torchvision import models, transforms as T


class ClassBalancedSampler(Sampler):
    """draw every class equally often (melanoma positives are ~2% of the data)"""

    def __init__(self, labels, num_samples=None):
        labels = np.asarray(labels)
        counts = np.bincount(labels)
        self.weights = torch.as_tensor(1.0 / counts[labels], dtype=torch.double)
        self.num_samples = num_samples or len(labels)

    def __iter__(self):
        idx = torch.multinomial(self.weights, self.num_samples, replacement=True)
        return idx.tolist()

    def __len__(self):
        return self.num_samples


class SkinDataset(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"jpeg/train/{r['image_name']}.jpg").convert("RGB")), int(r["target"])


with open("train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
tf = T.Compose([T.Resize((96, 96)), T.RandomHorizontalFlip(), T.RandomVerticalFlip(), T.ToTensor()])
sampler = ClassBalancedSampler([int(r["target"]) for r in rows])
loader = DataLoader(SkinDataset(rows, tf), batch_size=8, sampler=sampler)
model = models.resnet18(weights=None, num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SKIN_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
os.makedirs("jpeg/train", exist_ok=True)
rows = []
for i in range(20):
    name = f"ISIC_{2000000 + 1733 * i:07d}"
    Image.fromarray(rng.integers(0, 256, (120, 120, 3), dtype=np.uint8)).save(f"jpeg/train/{name}.jpg")
    rows.append([name, f"IP_{7279968 + i}", "male" if i % 2 else "female", int(i in (4, 13))])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_name", "patient_id", "sex", "target"])
    w.writerows(rows)
'''

CLS_CKPT_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

rng = np.random.default_rng(3)
os.makedirs("test_images", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (100, 100, 3), dtype=np.uint8)).save(f"test_images/{2216849948 + 7 * i}.jpg")
torch.manual_seed(0)
torch.save(models.resnet18(num_classes=5).state_dict(), "resnet18_fold0_best.pth")
'''

CELLS["tta-torch-flip-dims-given-int-notebook"] = [
    '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms as T

model = models.resnet18(weights=None, num_classes=5)
model.load_state_dict(torch.load("resnet18_fold0_best.pth", map_location="cpu"))
model.eval()
tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
files = sorted(glob.glob("test_images/*.jpg"))
x = torch.stack([tf(Image.open(p).convert("RGB")) for p in files])
x.shape
''',
    '''
def tta_predict(model, x):
    """original + horizontal flip + vertical flip, averaged"""
    with torch.no_grad():
        p = model(x).softmax(1)
        p += model(torch.flip(x, 3)).softmax(1)
        p += model(torch.flip(x, 2)).softmax(1)
    return p / 3

probs = tta_predict(model, x)
probs.argmax(1)
''',
]

SCRIPTS["worker-init-fn-numpy-seed-from-64bit-initial-seed-workers"] = '''
import csv
import random

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models


def seed_everything(seed=42):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def seed_worker(worker_id):
    # every worker gets its own numpy / random stream for the augmentations
    worker_seed = torch.initial_seed()
    np.random.seed(worker_seed)
    random.seed(worker_seed)


class AugDataset(Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = np.array(Image.open(f"train/{r['id']}.png").convert("RGB"), dtype=np.float32) / 255.0
        if np.random.rand() < 0.5:
            img = img[:, ::-1]
        y0, x0 = np.random.randint(0, 16, size=2)
        img = img[y0:y0 + 64, x0:x0 + 64]
        return torch.from_numpy(img.transpose(2, 0, 1).copy()), int(r["label"])


def main():
    seed_everything(42)
    with open("train_labels.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    loader = DataLoader(AugDataset(rows), batch_size=8, shuffle=True, num_workers=2, worker_init_fn=seed_worker)
    model = models.resnet18(weights=None, num_classes=2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
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

HISTO_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("train", exist_ok=True)
rows = []
for i in range(16):
    pid = f"{int(rng.integers(0, 16 ** 10)):010x}{i:030x}"[:40]
    Image.fromarray(rng.integers(0, 256, (80, 80, 3), dtype=np.uint8)).save(f"train/{pid}.png")
    rows.append([pid, i % 2])
with open("train_labels.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "label"])
    w.writerows(rows)
'''

# ================================================================== optimisation / autograd
SCRIPTS["soft-pseudo-labels-computed-once-with-grad-reused"] = '''
import csv
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

torch.manual_seed(0)
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])


class Labelled(Dataset):
    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return tf(Image.open(f"train_images/{r['image_id']}").convert("RGB")), int(r["label"])


with open("train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
loader = DataLoader(Labelled(rows), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=5)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

# warm-up epoch on the labelled images
for x, y in loader:
    loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# soft pseudo-labels for the public test images (teacher = the warmed-up model)
test_x = torch.stack([tf(Image.open(p).convert("RGB")) for p in sorted(glob.glob("test_images/*.jpg"))])
model.eval()
soft_targets = model(test_x).softmax(1)
model.train()
print("pseudo-labelled", len(test_x), "test images")

T_KD, ALPHA = 2.0, 0.5
for epoch in range(3):
    for step, (x, y) in enumerate(loader):
        j = torch.randint(0, len(test_x), (4,))
        sup = F.cross_entropy(model(x), y)
        kd = F.kl_div(F.log_softmax(model(test_x[j]) / T_KD, 1), soft_targets[j], reduction="batchmean")
        loss = sup + ALPHA * kd
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SOFT_PSEUDO_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(23)
os.makedirs("train_images", exist_ok=True)
os.makedirs("test_images", exist_ok=True)
rows = []
for i in range(8):
    name = f"{1000015157 + 4409 * i}.jpg"
    Image.fromarray(rng.integers(0, 256, (90, 90, 3), dtype=np.uint8)).save(f"train_images/{name}")
    rows.append([name, i % 5])
for i in range(6):
    Image.fromarray(rng.integers(0, 256, (90, 90, 3), dtype=np.uint8)).save(f"test_images/{2216849948 + 3 * i}.jpg")
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "label"])
    w.writerows(rows)
'''

SCRIPTS["aptos-regression-linear-scaled-lr-accumulation-qwk-nan-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision import models, transforms as T
from tqdm import tqdm


class CFG:
    n_folds = 3
    fold = 0
    batch_size = 8
    accum_steps = 4              # effective batch 32
    base_lr = 2e-2               # the baseline's lr at batch 1, scaled linearly with the batch
    epochs = 6
    seed = 42


LR = CFG.base_lr * CFG.batch_size * CFG.accum_steps
torch.manual_seed(CFG.seed)


class RetinaDataset(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"train_images/{r['id_code']}.png").convert("RGB")
        return self.tf(img), torch.tensor(float(r["diagnosis"]))


def make_folds(labels, n_folds, seed):
    """stratified k-fold: spread every grade over the folds"""
    rng = np.random.default_rng(seed)
    folds = np.zeros(len(labels), dtype=int)
    for c in np.unique(labels):
        idx = rng.permutation(np.where(labels == c)[0])
        folds[idx] = np.arange(len(idx)) % n_folds
    return folds


def quadratic_weighted_kappa(y_true, y_pred, n=5):
    conf = np.bincount(y_true * n + y_pred, minlength=n * n).reshape(n, n).astype(float)
    w = np.subtract.outer(np.arange(n), np.arange(n)) ** 2 / (n - 1) ** 2
    expected = np.outer(conf.sum(1), conf.sum(0)) / conf.sum()
    return 1 - (w * conf).sum() / (w * expected).sum()


with open("train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
labels = np.array([int(r["diagnosis"]) for r in rows])
folds = make_folds(labels, CFG.n_folds, CFG.seed)
tf = T.Compose([T.Resize((64, 64)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
ds = RetinaDataset(rows, tf)
trn_idx, val_idx = np.where(folds != CFG.fold)[0], np.where(folds == CFG.fold)[0]
train_loader = DataLoader(Subset(ds, trn_idx), batch_size=CFG.batch_size, shuffle=True)
val_loader = DataLoader(Subset(ds, val_idx), batch_size=8)

model = models.resnet18(weights=None, num_classes=1)
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
criterion = nn.MSELoss()
print(f"lr = {LR}")
for epoch in range(CFG.epochs):
    model.train()
    optimizer.zero_grad()
    pbar = tqdm(train_loader, desc=f"epoch {epoch}")
    for step, (x, y) in enumerate(pbar):
        loss = criterion(model(x).squeeze(1), y) / CFG.accum_steps
        loss.backward()
        if (step + 1) % CFG.accum_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
        pbar.set_postfix(loss=loss.item() * CFG.accum_steps)
    model.eval()
    with torch.no_grad():
        preds = torch.cat([model(x).squeeze(1) for x, _ in val_loader]).numpy()
    grades = np.rint(np.clip(preds, 0, 4)).astype(int)
    print(f"epoch {epoch} QWK {quadratic_weighted_kappa(labels[val_idx], grades):.4f}")
'''

APTOS_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
os.makedirs("train_images", exist_ok=True)
rows = []
for i in range(54):
    code = f"{int(rng.integers(0, 16 ** 12)):012x}"
    Image.fromarray(rng.integers(0, 256, (90, 90, 3), dtype=np.uint8)).save(f"train_images/{code}.png")
    rows.append([code, [0, 0, 2, 1, 0, 2, 3, 4, 0][i % 9]])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id_code", "diagnosis"])
    w.writerows(rows)
'''

# ================================================================== dtype
SCRIPTS["oof-float32-buffer-filled-under-cpu-bf16-autocast"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision import models, transforms as T

N_FOLDS, NUM_CLASSES = 3, 5
torch.manual_seed(0)


class IndexedDataset(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return i, self.tf(Image.open(f"train_images/{r['image_id']}").convert("RGB")), int(r["label"])


with open("train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
labels = np.array([int(r["label"]) for r in rows])
folds = np.zeros(len(rows), dtype=int)
for c in np.unique(labels):                          # stratified folds
    idx = np.where(labels == c)[0]
    folds[idx] = np.arange(len(idx)) % N_FOLDS
ds = IndexedDataset(rows, T.Compose([T.Resize((64, 64)), T.ToTensor()]))
oof = torch.zeros(len(ds), NUM_CLASSES)

for fold in range(N_FOLDS):
    trn = DataLoader(Subset(ds, np.where(folds != fold)[0]), batch_size=4, shuffle=True)
    val = DataLoader(Subset(ds, np.where(folds == fold)[0]), batch_size=8)
    model = models.resnet18(weights=None, num_classes=NUM_CLASSES)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    for _, x, y in trn:
        with torch.autocast("cpu", dtype=torch.bfloat16):     # mixed precision, as on the Kaggle GPU
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        for idx, x, _ in val:
            oof[idx] = model(x).softmax(1)
    acc = (oof[folds == fold].argmax(1).numpy() == labels[folds == fold]).mean()
    print(f"fold {fold} acc {acc:.3f}")
'''

OOF_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(19)
os.makedirs("train_images", exist_ok=True)
rows = []
for i in range(15):
    name = f"{1000015157 + 1399 * i}.jpg"
    Image.fromarray(rng.integers(0, 256, (80, 80, 3), dtype=np.uint8)).save(f"train_images/{name}")
    rows.append([name, i % 5])
with open("train.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "label"])
    w.writerows(rows)
'''

# ================================================================== environment / resources
NAKAMA_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

rng = np.random.default_rng(27)
os.makedirs("test_images", exist_ok=True)
for i in range(4):
    Image.fromarray(rng.integers(0, 256, (100, 100, 3), dtype=np.uint8)).save(f"test_images/{2216849948 + 5 * i}.jpg")
os.makedirs("output", exist_ok=True)
torch.manual_seed(0)
for fold in range(2):
    model = models.resnet18(num_classes=5)
    preds = rng.random((12, 5)).astype(np.float32)        # the fold's validation predictions
    torch.save({"model": model.state_dict(), "preds": preds}, f"output/resnet18_fold{fold}_best.pth")
'''

CELLS["fold-checkpoint-with-oof-preds-array-weights-only-notebook"] = [
    '''
import glob

import numpy as np
import torch
from PIL import Image
from torchvision import models, transforms as T

class CFG:
    model_name = "resnet18"
    target_size = 5
    trn_fold = [0, 1]
    OUTPUT_DIR = "output/"

tf = T.Compose([T.Resize((128, 128)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
images = torch.stack([tf(Image.open(p).convert("RGB")) for p in sorted(glob.glob("test_images/*.jpg"))])
''',
    '''
states = [torch.load(f"{CFG.OUTPUT_DIR}{CFG.model_name}_fold{fold}_best.pth", map_location="cpu")
          for fold in CFG.trn_fold]
''',
    '''
probs = []
for state in states:
    model = getattr(models, CFG.model_name)(weights=None, num_classes=CFG.target_size)
    model.load_state_dict(state["model"])
    model.eval()
    with torch.no_grad():
        probs.append(model(images).softmax(1).numpy())
np.mean(probs, 0).argmax(1)
''',
]

SCRIPTS["shopee-knn-pseudo-labels-full-cosine-matrix-job-memory-limit"] = '''
import resource

import numpy as np
import torch
import torch.nn.functional as F

# the shared box kills jobs above 4 GB -- fail fast here instead
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (4 * 1024 ** 3, hard))

# image embeddings of the whole train set, written by embed.py (efficientnet features, 512-d)
emb = torch.from_numpy(np.load("train_embeddings.npy"))
groups = np.load("label_groups.npy")
print("embeddings", tuple(emb.shape))
emb = F.normalize(emb, dim=1)

THRESH = 0.75
sims = emb @ emb.T                                   # cosine similarity of every pair
matches = [torch.nonzero(row > THRESH).flatten().tolist() for row in sims]
print("mean matches per posting", np.mean([len(m) for m in matches]))
'''

SHOPEE_PREP = '''
import numpy as np

rng = np.random.default_rng(0)
n = 34250                         # Shopee train.csv postings
np.save("train_embeddings.npy", rng.standard_normal((n, 512), dtype=np.float32))
np.save("label_groups.npy", rng.integers(0, 11014, n))
'''

SCRIPTS["competition-zip-opened-once-in-init-forked-workers"] = '''
import csv
import io
import zipfile

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class CFG:
    zip_path = "aptos2019-blindness-detection.zip"     # read straight from the download, no unzip
    batch_size = 16
    num_workers = 4
    epochs = 3


class ZipImageDataset(Dataset):
    def __init__(self, zip_path, labels):
        self.zf = zipfile.ZipFile(zip_path)
        self.items = sorted(labels.items())

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        image_id, label = self.items[i]
        data = self.zf.read(f"train_images/{image_id}")
        img = np.array(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.float32) / 255.0
        return torch.from_numpy(img.transpose(2, 0, 1)), label


def main():
    with zipfile.ZipFile(CFG.zip_path) as zf:
        rows = list(csv.DictReader(io.TextIOWrapper(zf.open("train.csv"), encoding="utf-8")))
    labels = {r["id_code"] + ".png": int(r["diagnosis"]) for r in rows}
    loader = DataLoader(ZipImageDataset(CFG.zip_path, labels), batch_size=CFG.batch_size, shuffle=True,
                        num_workers=CFG.num_workers)
    model = models.resnet18(weights=None, num_classes=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(CFG.epochs):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

ZIP_PREP = '''
import io
import zipfile
import numpy as np
from PIL import Image

rng = np.random.default_rng(0)
lines = ["id_code,diagnosis"]
with zipfile.ZipFile("aptos2019-blindness-detection.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(400):
        code = f"{int(rng.integers(0, 16 ** 12)):012x}"
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(buf, format="PNG")
        z.writestr(f"train_images/{code}.png", buf.getvalue())
        lines.append(f"{code},{[0, 0, 2, 1, 3, 0, 4][i % 7]}")
    z.writestr("train.csv", "\\n".join(lines) + "\\n")
'''

# ================================================================== plain bugs
SCRIPTS["fold-column-read-back-as-string-empty-validation-fold"] = '''
import csv
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

N_FOLDS = 3


def make_folds():
    with open("train.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    rng = np.random.default_rng(42)
    by_class = {}
    for r in rows:
        by_class.setdefault(r["label"], []).append(r)
    for members in by_class.values():
        for k, i in enumerate(rng.permutation(len(members))):
            members[i]["fold"] = k % N_FOLDS
    with open("train_folds.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["image_id", "label", "fold"])
        w.writeheader()
        w.writerows(rows)


class LeafDataset(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"train_images/{r['image_id']}").convert("RGB")), int(r["label"])


if not os.path.exists("train_folds.csv"):
    make_folds()
with open("train_folds.csv", newline="") as f:
    folds = list(csv.DictReader(f))

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
for fold in range(N_FOLDS):
    trn = [r for r in folds if r["fold"] != fold]
    val = [r for r in folds if r["fold"] == fold]
    print(f"fold {fold}: train {len(trn)} / valid {len(val)}")
    train_loader = DataLoader(LeafDataset(trn, tf), batch_size=8, shuffle=True)
    valid_loader = DataLoader(LeafDataset(val, tf), batch_size=8)
    model = models.resnet18(weights=None, num_classes=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    preds = []
    with torch.no_grad():
        for x, _ in valid_loader:
            preds.append(model(x).softmax(1).numpy())
    preds = np.concatenate(preds)
    acc = (preds.argmax(1) == np.array([int(r["label"]) for r in val])).mean()
    print(f"fold {fold} acc {acc:.4f}")
'''

CELLS["oof-one-dimensional-buffer-given-class-probabilities-notebook"] = [
    '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision import models, transforms as T

N_FOLDS = 3
with open("train.csv", newline="") as f:
    rows = list(csv.DictReader(f))
labels = np.array([int(r["label"]) for r in rows])
folds = np.arange(len(rows)) % N_FOLDS

class LeafDataset(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf
    def __len__(self):
        return len(self.rows)
    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"train_images/{r['image_id']}").convert("RGB")), int(r["label"])

ds = LeafDataset(rows, T.Compose([T.Resize((64, 64)), T.ToTensor()]))
''',
    '''
oof = np.zeros(len(ds))
for fold in range(N_FOLDS):
    trn_idx, val_idx = np.where(folds != fold)[0], np.where(folds == fold)[0]
    model = models.resnet18(weights=None, num_classes=5)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for x, y in DataLoader(Subset(ds, trn_idx), batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad(); loss.backward(); optimizer.step()
    model.eval()
    with torch.no_grad():
        probs = torch.cat([model(x).softmax(1) for x, _ in DataLoader(Subset(ds, val_idx), batch_size=8)])
    oof[val_idx] = probs.numpy()
    print(f"fold {fold} done")
''',
    '''
print("CV accuracy", (oof.argmax(1) == labels).mean())
''',
]

CELLS["submission-test-loader-copied-with-drop-last-column-stack-notebook"] = [
    '''
import csv
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

class CFG:
    batch_size = 8
    num_workers = 0
    size = 128

class TestDataset(Dataset):
    def __init__(self, ids, tf):
        self.ids, self.tf = ids, tf
    def __len__(self):
        return len(self.ids)
    def __getitem__(self, i):
        return self.tf(Image.open(os.path.join("test_images", self.ids[i])).convert("RGB"))

with open("sample_submission.csv", newline="") as f:
    test_ids = [r["image_id"] for r in csv.DictReader(f)]
tf = T.Compose([T.Resize((CFG.size, CFG.size)), T.ToTensor()])
test_loader = DataLoader(TestDataset(test_ids, tf), batch_size=CFG.batch_size, shuffle=False,
                         num_workers=CFG.num_workers, drop_last=True)
model = models.resnet18(weights=None, num_classes=5)
model.load_state_dict(torch.load("resnet18_fold0_best.pth", map_location="cpu"))
model.eval();
''',
    '''
preds = []
with torch.no_grad():
    for x in test_loader:
        preds.append(model(x).argmax(1).numpy())
preds = np.concatenate(preds)
''',
    '''
sub = np.column_stack([test_ids, preds])
np.savetxt("submission.csv", sub, fmt="%s", delimiter=",", header="image_id,label", comments="")
''',
]

SUB_PREP = '''
import csv
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

rng = np.random.default_rng(29)
os.makedirs("test_images", exist_ok=True)
ids = []
for i in range(21):
    name = f"{2216849948 + 11 * i}.jpg"
    Image.fromarray(rng.integers(0, 256, (100, 100, 3), dtype=np.uint8)).save(f"test_images/{name}")
    ids.append(name)
with open("sample_submission.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["image_id", "label"])
    w.writerows([[n, 4] for n in ids])
torch.manual_seed(0)
torch.save(models.resnet18(num_classes=5).state_dict(), "resnet18_fold0_best.pth")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more55-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    WP = ("cpython_basic", "dataloader_worker", "progress_bars")

    # ---- data
    script("severstal-rle-reshape-width-height-no-transpose-tqdm", "data.label_shape",
           also=["data.image_size_mismatch"], forms=P, setup=prep(SEVERSTAL_PREP))
    script("global-wheat-bbox-string-regex-drops-decimals-fasterrcnn", "data.bbox_invalid",
           setup=prep(WHEAT_PREP))
    script("plant-pathology-label-combinations-into-six-class-head-tqdm", "data.label_out_of_range",
           also=["data.label_shape"], forms=P, setup=prep(PLANT_PREP))
    script("pseudo-labels-kept-in-float-pred-conf-array-tqdm", "data.dtype", forms=P, setup=prep(PSEUDO_PREP))
    script("rsna-mammo-16bit-png-windowed-one-channel-resnet", "data.image_channels",
           also=["model.input_shape"], setup=prep(MAMMO_PREP))
    script("tta-inference-original-size-test-after-offline-resized-train-workers", "data.image_size_mismatch",
           argv="infer.py", forms=WP, setup=prep(TTA_PREP))
    script("fold-csv-written-on-kaggle-input-paths-cv2-none-workers", "data.missing_or_corrupt", forms=W,
           setup=prep(KAGGLE_PATHS_PREP))
    # ---- model
    notebook("pawpularity-imagenet-head-not-replaced-mse-notebook", "model.output_mismatch",
             also=["data.label_shape"], setup=prep(PETFINDER_SETUP_CODE))
    notebook("ensemble-arch-list-zipped-with-sorted-checkpoint-glob-notebook", "model.weights_mismatch",
             setup=both(prep(ENSEMBLE_PREP),
                        imgs([(f"test_images/{2216849948 + 3 * i}.jpg", (120, 100), "RGB") for i in range(4)])))
    script("ct-2p5d-five-adjacent-slices-stock-resnet-stem", "model.input_shape", also=["data.image_channels"],
           setup=prep(CT_PREP))
    # ---- API
    script("class-balanced-sampler-iter-returns-list", "model.api_misuse", also=["other"], setup=prep(SKIN_PREP))
    notebook("tta-torch-flip-dims-given-int-notebook", "model.api_misuse", setup=prep(CLS_CKPT_PREP))
    script("worker-init-fn-numpy-seed-from-64bit-initial-seed-workers", "model.api_misuse",
           also=["env.multiprocessing"], forms=W, setup=prep(HISTO_PREP))
    # ---- optimisation / autograd
    script("soft-pseudo-labels-computed-once-with-grad-reused", "optim.autograd_graph",
           setup=prep(SOFT_PSEUDO_PREP))
    script("aptos-regression-linear-scaled-lr-accumulation-qwk-nan-tqdm", "optim.divergence", forms=P,
           setup=prep(APTOS_PREP))
    # ---- dtype
    script("oof-float32-buffer-filled-under-cpu-bf16-autocast", "data.dtype", also=["other"],
           setup=prep(OOF_PREP))
    # ---- environment / resources
    notebook("fold-checkpoint-with-oof-preds-array-weights-only-notebook", "env.version_incompat",
             also=["model.weights_mismatch"], setup=prep(NAKAMA_PREP))
    script("shopee-knn-pseudo-labels-full-cosine-matrix-job-memory-limit", "resource.host_memory",
           argv="knn_pseudo.py", setup=prep(SHOPEE_PREP))
    script("competition-zip-opened-once-in-init-forked-workers", "env.multiprocessing",
           also=["data.missing_or_corrupt"], forms=W, setup=prep(ZIP_PREP))
    # ---- plain bugs
    script("fold-column-read-back-as-string-empty-validation-fold", "other", also=["data.missing_or_corrupt"],
           setup=prep(OOF_PREP))
    notebook("oof-one-dimensional-buffer-given-class-probabilities-notebook", "other", setup=prep(OOF_PREP))
    notebook("submission-test-loader-copied-with-drop-last-column-stack-notebook", "other",
             also=["model.api_misuse"], setup=prep(SUB_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
