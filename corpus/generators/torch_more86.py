"""An eighty-sixth held-out set (g160, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: retail and warehouse teams detecting and classifying products with many classes (dozens to hundreds of
SKUs) -- ImageAI 3 (imageai 3.0.3 on PyTorch) custom detectors and classifiers (``DetectionModelTrainer`` /
``CustomObjectDetection``, ``CustomImageClassification``) for about a third of the set, torchvision detectors
(Faster R-CNN) and classifiers (ResNet, MobileNet, small CNNs, few-shot prototype nets) for the rest. Their SKU lists
live in CSV files that change every month (products listed, delisted, renumbered), labels are hierarchical
(category / brand / SKU), shelf photos carry many small boxes (price tags, facings), product crops feed a classifier,
barcodes (EAN-13) serve as class names, and new products arrive with only a few images. A natural mix of causes, each
program built so that its cause is known by construction and made to fail inside ImageAI, torch, torchvision, NumPy,
OpenCV, PIL or multiprocessing:

- ImageAI trainer: shelf annotations written with the master-CSV SKU index while the class list is this month's
  active SKUs (data.label_out_of_range), a CSV-to-YOLO converter that unpacks ``img.shape[:2]`` as ``W, H`` on portrait
  shelf photos (data.bbox_invalid), a new-SKU onboarding run on studio packshots framed identically (anchor k-means,
  data.too_few_boxes), ``setDataDirectory`` given the ``train`` split folder (data.missing_or_corrupt), an ImageAI 2
  ``.h5`` as ``train_from_pretrained_model`` (env.version_incompat);
- ImageAI inference: the detection config JSON regenerated from this month's SKU CSV for last month's model
  (model.weights_mismatch), catalogue packshot PNGs with alpha given as PIL images (data.image_channels), a
  three-barcode new-products classifier asked for ``result_count=5`` (model.api_misuse);
- torchvision classifiers on product crops: ``Resize(128)`` on crops of every aspect ratio (workers,
  data.image_size_mismatch), mono scanner-camera crops under a three-value ``Normalize`` (tqdm, data.image_channels),
  category / brand / SKU targets stacked into one tensor for the SKU head's cross-entropy (notebook,
  data.label_shape), class indices read back with ``np.loadtxt`` as float64 (data.dtype), one folder per SKU of the
  new CSV made before photos exist (data.missing_or_corrupt), a crop CNN whose ``Linear`` was sized for 224 px run on
  96 px crops (tqdm, model.input_shape), four new SKUs fine-tuned on last month's 20-way head (model.output_mismatch),
  a full training checkpoint dict given to ``load_state_dict`` (model.weights_mismatch), few-shot prototypes
  computed once before the episode loop
  (optim.autograd_graph), a defaultdict-with-lambda SKU index under spawn workers (env.multiprocessing), an old
  augmentation helper importing ``torchvision.transforms.functional_tensor`` (env.version_incompat), a checkpoint
  saved into a month folder never created (tqdm, other);
- torchvision detectors / shelf photos: price-tag boxes of a downscaled shelf photo rounded to ints in Faster R-CNN
  (data.bbox_invalid), ``draw_bounding_boxes`` given the OpenCV HWC array (model.api_misuse), every shelf photo of the
  index preallocated at full resolution under the workstation's memory cap (resource.host_memory).

Dropped while writing: raw 0-255 crops at a "super-convergence" learning rate under anomaly mode
(optim.divergence): the small net's loss bounced around 1.4 to 4.7 for 30 epochs without turning NaN, so it did not
fail.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier training run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more86.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more86.py"

SCRIPTS = {}
CELLS = {}

MASTER = [f"{4006381333900 + 7 * k}" for k in range(40)]     # master SKU list: EAN-13 barcodes


def sku_rows(ids):
    def rows(split, i):
        return "".join(f"{ids[(i * 5 + k) % len(ids)]} 0.{10 + 13 * k:02d} 0.{22 + 9 * (k % 3) + i % 4:02d} "
                       f"0.0{4 + k % 3} 0.0{6 + i % 3}\n" for k in range(6))
    return rows


SKU_CSV_PREP = '''
import csv
master = @@MASTER@@
active = set(master[::3])          # this month's planogram: every third product is listed
with open("skus_2024_07.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["ean", "category", "brand", "active"])
    for k, ean in enumerate(master):
        w.writerow([ean, ["beverages", "snacks", "dairy"][k % 3], f"brand_{k % 7}", int(ean in active)])
'''

TRAIN_TAIL = '''
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=3)
trainer.trainModel()
'''

# ================================================================== ImageAI trainer
SCRIPTS["active-sku-csv-vs-master-index-annotations"] = '''
import csv

from imageai.Detection.Custom import DetectionModelTrainer

# class list = the SKUs listed on this month's planogram
with open("skus_2024_07.csv") as f:
    CLASSES = [r["ean"] for r in csv.DictReader(f) if r["active"] == "1"]
print(len(CLASSES), "active SKUs:", CLASSES[:4], "...")
DATA = "shelf_dets"
''' + TRAIN_TAIL

SCRIPTS["portrait-shelf-photos-shape-unpacked-as-w-h"] = '''
import csv
import os
from collections import defaultdict

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["cereal_a", "cereal_b", "oats", "muesli"]
DATA = "aisle7"

# boxes exported from the labelling tool: filename,sku,x1,y1,x2,y2 in pixels -> YOLO txt
boxes = defaultdict(list)
with open("aisle7_boxes.csv") as f:
    for r in csv.DictReader(f):
        boxes[(r["split"], r["filename"])].append(r)
for (split, fn), rows in boxes.items():
    img = cv2.imread(f"{DATA}/{split}/images/{fn}")
    W, H = img.shape[:2]
    os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
    with open(f"{DATA}/{split}/annotations/{fn[:-4]}.txt", "w") as out:
        for r in rows:
            x1, y1, x2, y2 = (float(r[k]) for k in ("x1", "y1", "x2", "y2"))
            out.write(f"{CLASSES.index(r['sku'])} {(x1 + x2) / 2 / W:.6f} {(y1 + y2) / 2 / H:.6f} "
                      f"{(x2 - x1) / W:.6f} {(y2 - y1) / H:.6f}\\n")
print(len(boxes), "images converted")
''' + TRAIN_TAIL

AISLE_PREP = '''
import csv
with open("aisle7_boxes.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["split", "filename", "sku", "x1", "y1", "x2", "y2"])
    for split, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            for k in range(8):
                x, y = 8 + 26 * (k % 4), 10 + 36 * (k // 4) + 70 * (i % 2)
                w.writerow([split, f"{split[:3]}_{i:04d}.jpg", ["cereal_a", "cereal_b", "oats", "muesli"][k % 4],
                            x, y, x + 18, y + 30])
'''

SCRIPTS["new-sku-packshots-identical-framing"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

# three products launched this week: the studio sent two packshots each, one box per photo
CLASSES = ["8710398520109", "5000112637922", "7622210449283"]
DATA = "new_skus_w31"
print(len(glob.glob(DATA + "/train/annotations/*.txt")), "annotated packshots")
''' + TRAIN_TAIL


def packshot_rows(split, i):
    return f"{i % 3} 0.500000 0.500000 0.600000 0.800000\n"


SCRIPTS["data-directory-given-train-split"] = '''
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["tag_red", "tag_yellow", "facing"]
DATA = "price_tags/train"
print(DATA, "->", len(os.listdir(os.path.join(DATA, "images"))), "images")
''' + TRAIN_TAIL

SCRIPTS["imageai2-h5-as-pretrained-model"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["bottle_05l", "bottle_15l", "can_033"]
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="drinks_shelf")
# transfer from the detector we trained in 2021 (ImageAI 2.1.6)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=50,
                       train_from_pretrained_model="pretrained/detection_model-ex-046--loss-0008.462.h5")
trainer.trainModel()
'''

# ================================================================== ImageAI inference
SCRIPTS["json-regenerated-from-new-csv-for-old-model"] = '''
import csv
import json

from imageai.Detection.Custom import CustomObjectDetection

MODEL = "shelf/models/tiny-yolov3_shelf_last.pt"        # trained in June
CFG = "shelf/json/shelf_tiny-yolov3_detection_config.json"

# keep the config in sync with the SKU master: labels come from this month's CSV
cfg = json.load(open(CFG))
with open("skus_2024_07.csv") as f:
    cfg["labels"] = [r["ean"] for r in csv.DictReader(f) if r["active"] == "1"]
json.dump(cfg, open(CFG, "w"))
print(len(cfg["labels"]), "labels written")

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(MODEL)
detector.setJsonPath(CFG)
detector.loadModel()
_, dets = detector.detectObjectsFromImage(input_image="shelf/photos/store12_bay3.jpg", output_type="array")
print(dets)
'''

SCRIPTS["catalogue-packshot-png-alpha-as-pil"] = '''
import glob

from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("shelf/models/tiny-yolov3_shelf_last.pt")
detector.setJsonPath("shelf/json/shelf_tiny-yolov3_detection_config.json")
detector.loadModel()

# sanity check on the e-commerce packshots: every product should be found once
for p in sorted(glob.glob("catalogue/*.png")):
    img = Image.open(p)
    print(p, img.size, img.mode)
    _, dets = detector.detectObjectsFromImage(input_image=img, output_type="array",
                                              minimum_percentage_probability=30)
    print(len(dets), "detections")
'''

SCRIPTS["new-products-classifier-result-count-5"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("new_products/models/mobilenet_v2-new_products-test_acc_0.83333_epoch-9.pt")
clf.setJsonPath("new_products/models/new_products_model_classes.json")
clf.loadModel()

for p in sorted(glob.glob("returns_desk/*.jpg")):
    names, probs = clf.classifyImage(p, result_count=5)
    for n, pr in zip(names, probs):
        print(f"{p}: {n} {pr:.1f}%")
'''

# ================================================================== torchvision classifiers
SCRIPTS["sku-crops-resize-int-any-aspect-workers"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize(128), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
ds = datasets.ImageFolder("crops/train", tf)
print(len(ds), "crops,", len(ds.classes), "SKUs")
loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
model = models.resnet18(num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["mono-scanner-crops-three-value-normalize"] = '''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from tqdm import tqdm


class ScannerCrops(Dataset):
    """Crops cut by the conveyor scanner camera; labels in crops.csv (path,sku_idx)."""
    def __init__(self, csv_path, tf):
        with open(csv_path) as f:
            self.rows = [(r["path"], int(r["sku_idx"])) for r in csv.DictReader(f)]
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, y = self.rows[i]
        return self.tf(Image.open(path)), y


tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(ScannerCrops("conveyor/crops.csv", tf), batch_size=4, shuffle=True)
model = models.mobilenet_v3_small(num_classes=24)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for x, y in tqdm(loader, desc="epoch 1"):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

MONO_PREP = '''
import csv, os
import numpy as np
from PIL import Image
os.makedirs("conveyor/img", exist_ok=True)
rng = np.random.default_rng(3)
with open("conveyor/crops.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["path", "sku_idx"])
    for i in range(12):
        p = f"conveyor/img/scan_{i:05d}.png"
        Image.fromarray(rng.integers(0, 256, (90 + 4 * i, 120), dtype=np.uint8), mode="L").save(p)
        w.writerow([p, i % 24])
'''

CELLS["hierarchical-targets-stacked-into-sku-ce-notebook"] = [
    '''import csv
import torch, torch.nn as nn
from PIL import Image
from torchvision import models, transforms

rows = list(csv.DictReader(open("crops/labels.csv")))
cats = sorted({r["category"] for r in rows}); brands = sorted({r["brand"] for r in rows}); skus = sorted({r["ean"] for r in rows})
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = torch.stack([tf(Image.open(r["path"]).convert("RGB")) for r in rows])
y = torch.tensor([[cats.index(r["category"]), brands.index(r["brand"]), skus.index(r["ean"])] for r in rows])
x.shape, y.shape, len(cats), len(brands), len(skus)''',
    '''class HierNet(nn.Module):
    """category / brand / SKU heads on one backbone"""
    def __init__(self):
        super().__init__()
        self.backbone = models.resnet18(num_classes=256)
        self.cat, self.brand, self.sku = nn.Linear(256, len(cats)), nn.Linear(256, len(brands)), nn.Linear(256, len(skus))
    def forward(self, x):
        h = torch.relu(self.backbone(x))
        return self.cat(h), self.brand(h), self.sku(h)

model = HierNet()
opt = torch.optim.Adam(model.parameters(), 1e-3)
ce = nn.CrossEntropyLoss()''',
    '''for step in range(3):
    c, b, s = model(x)
    loss = ce(s, y)        # SKU head first; add the coarse heads once this trains
    opt.zero_grad(); loss.backward(); opt.step()
    print(step, loss.item())''',
]

HIER_PREP = '''
import csv, os
import numpy as np
from PIL import Image
os.makedirs("crops/img", exist_ok=True)
rng = np.random.default_rng(4)
with open("crops/labels.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["path", "category", "brand", "ean"])
    for i in range(8):
        p = f"crops/img/c{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 256, (80, 64, 3), dtype=np.uint8)).save(p)
        w.writerow([p, ["beverages", "snacks"][i % 2], f"brand_{i % 3}", f"40063813339{i % 5:02d}"])
'''

SCRIPTS["barcode-class-index-loadtxt-float64"] = '''
import numpy as np
import torch
from PIL import Image
from torchvision import models, transforms

# train_labels.txt: "<crop file> <class index>"; classes.txt: one EAN per line (index = line number)
eans = [l.strip() for l in open("labels/classes.txt")]
files = np.loadtxt("labels/train_labels.txt", usecols=0, dtype=str)
idx = np.loadtxt("labels/train_labels.txt", usecols=1)
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = torch.stack([tf(Image.open("labels/crops/" + f).convert("RGB")) for f in files])
y = torch.from_numpy(idx)
print(x.shape, y[:5], len(eans), "classes")

model = models.resnet18(num_classes=len(eans))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(2):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, loss.item())
'''

BARCODE_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("labels/crops", exist_ok=True)
rng = np.random.default_rng(5)
eans = [str(4006381333900 + 7 * k) for k in range(15)]
open("labels/classes.txt", "w").write("\\n".join(eans) + "\\n")
with open("labels/train_labels.txt", "w") as f:
    for i in range(10):
        Image.fromarray(rng.integers(0, 256, (70, 50, 3), dtype=np.uint8)).save(f"labels/crops/p{i:04d}.jpg")
        f.write(f"p{i:04d}.jpg {(3 * i) % 15}\\n")
'''

SCRIPTS["sku-folders-made-from-csv-before-photos"] = '''
import csv
import os
import shutil

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# one folder per listed SKU, then copy the crops the pickers photographed this week
with open("skus_2024_07.csv") as f:
    listed = [r["ean"] for r in csv.DictReader(f) if r["active"] == "1"]
for ean in listed:
    os.makedirs(f"crops_2024_07/{ean}", exist_ok=True)
for fn in sorted(os.listdir("picker_uploads")):
    ean = fn.split("_")[0]
    if ean in listed:
        shutil.copy(f"picker_uploads/{fn}", f"crops_2024_07/{ean}/{fn}")

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
ds = datasets.ImageFolder("crops_2024_07", tf)
model = models.mobilenet_v3_small(num_classes=len(ds.classes))
loader = DataLoader(ds, batch_size=8, shuffle=True)
'''

SCRIPTS["crop-cnn-linear-sized-for-224-on-96"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm


class CropNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64 * 28 * 28, 256), nn.ReLU(), nn.Linear(256, n_classes))

    def forward(self, x):
        return self.head(self.features(x))


# crops are small on shelf photos: train at 96 px instead of 224 to keep them sharp
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("crops/train", tf)
model = CropNet(len(ds.classes))
opt = torch.optim.Adam(model.parameters(), 1e-3)
for x, y in tqdm(DataLoader(ds, batch_size=8, shuffle=True), desc="train"):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SCRIPTS["four-new-skus-on-last-months-head"] = '''
import json

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

old_skus = json.load(open("ckpt/skus_2024_06.json"))            # 20 SKUs
model = models.resnet18(num_classes=len(old_skus))
model.load_state_dict(torch.load("ckpt/resnet18_skus_2024_06.pt"))

# four products were added this month: few images each, fine-tune the whole net briefly
tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
ds = datasets.ImageFolder("new_sku_crops", tf)
skus = old_skus + [c for c in ds.classes if c not in old_skus]
ds.class_to_idx = {c: skus.index(c) for c in ds.classes}
ds.samples = [(p, skus.index(ds.classes[y])) for p, y in ds.samples]
print(len(skus), "SKUs after the update")
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for x, y in DataLoader(ds, batch_size=4, shuffle=True):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("done")
'''

OLD_HEAD_PREP = '''
import json, os, torch, torchvision
os.makedirs("ckpt", exist_ok=True)
skus = [str(4006381333900 + 7 * k) for k in range(20)]
json.dump(skus, open("ckpt/skus_2024_06.json", "w"))
torch.save(torchvision.models.resnet18(num_classes=20).state_dict(), "ckpt/resnet18_skus_2024_06.pt")
'''

SCRIPTS["training-checkpoint-dict-into-load-state-dict"] = '''
import torch
from PIL import Image
from torchvision import models, transforms

# nightly re-classification of the returns desk photos with the June model
ckpt_path = "runs/sku_cls/best.pt"
model = models.mobilenet_v3_large(num_classes=30)
model.load_state_dict(torch.load(ckpt_path, map_location="cpu"))
model.eval()
tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])
x = tf(Image.open("returns/r_0001.jpg").convert("RGB"))[None]
print(model(x).argmax(1))
'''

FULL_CKPT_PREP = '''
import os, torch, torchvision
os.makedirs("runs/sku_cls", exist_ok=True)
m = torchvision.models.mobilenet_v3_large(num_classes=30)
opt = torch.optim.AdamW(m.parameters(), 1e-3)
torch.save({"epoch": 27, "model": m.state_dict(), "optimizer": opt.state_dict(), "best_top1": 0.914,
            "skus": [str(4006381333900 + 7 * k) for k in range(30)]}, "runs/sku_cls/best.pt")
'''

SCRIPTS["few-shot-prototypes-computed-before-episodes"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, models, transforms

# prototypical network for new products: 5 support images per new SKU, queries from the shelf crops
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
support = datasets.ImageFolder("new_skus/support", tf)
query = datasets.ImageFolder("new_skus/query", tf)
encoder = models.resnet18(num_classes=64)
opt = torch.optim.Adam(encoder.parameters(), 1e-4)

xs = torch.stack([x for x, _ in support])
ys = torch.tensor(support.targets)
emb = encoder(xs)
prototypes = torch.stack([emb[ys == c].mean(0) for c in range(len(support.classes))])

for episode in range(5):
    idx = torch.randperm(len(query))[:4]
    xq = torch.stack([query[i][0] for i in idx])
    yq = torch.tensor([query.targets[i] for i in idx])
    logits = -torch.cdist(encoder(xq), prototypes)
    loss = F.cross_entropy(logits, yq)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"episode {episode}: loss {loss.item():.3f}")
'''

SCRIPTS["sku-index-defaultdict-lambda-spawn-workers"] = '''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class PickerCrops(Dataset):
    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        # SKUs get an index the first time they are seen (the CSV changes every month)
        self.sku_to_idx = defaultdict(lambda: len(self.sku_to_idx))
        for r in self.rows:
            self.sku_to_idx[r["ean"]]
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["path"]).convert("RGB")), self.sku_to_idx[r["ean"]]


if __name__ == "__main__":
    ds = PickerCrops("picks/picks.csv")
    print(len(ds), "crops,", len(ds.sku_to_idx), "SKUs")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    for x, y in loader:
        print(x.shape, y)
'''

PICKS_PREP = '''
import csv, os
import numpy as np
from PIL import Image
os.makedirs("picks/img", exist_ok=True)
rng = np.random.default_rng(7)
with open("picks/picks.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["path", "ean"])
    for i in range(8):
        p = f"picks/img/pk{i:04d}.jpg"
        Image.fromarray(rng.integers(0, 256, (100, 80, 3), dtype=np.uint8)).save(p)
        w.writerow([p, str(4006381333900 + 7 * (i % 4))])
'''

SCRIPTS["old-augment-helper-functional-tensor-import"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from shelf_aug import ShelfGlare

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(), ShelfGlare(p=0.5)])
ds = datasets.ImageFolder("crops/train", tf)
for x, y in DataLoader(ds, batch_size=8, shuffle=True):
    print(x.shape, y)
    break
'''

SHELF_AUG = '''
"""Augmentations for fridge / shelf glare, from the 2021 retail-vision repo."""
import random

import torch
from torchvision.transforms.functional_tensor import adjust_brightness, rgb_to_grayscale


class ShelfGlare:
    def __init__(self, p=0.5, strength=1.6):
        self.p, self.strength = p, strength

    def __call__(self, img):
        if random.random() > self.p:
            return img
        mask = rgb_to_grayscale(img) > 0.8
        return torch.where(mask, adjust_brightness(img, self.strength), img)
'''

SCRIPTS["checkpoint-into-month-folder-never-created"] = '''
import datetime

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

MONTH = datetime.date(2024, 7, 1).strftime("%Y-%m")
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("crops/train", tf)
model = models.mobilenet_v3_small(num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(1):
    for x, y in tqdm(DataLoader(ds, batch_size=8, shuffle=True), desc=f"epoch {epoch}"):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
torch.save({"model": model.state_dict(), "skus": ds.classes}, f"checkpoints/{MONTH}/sku_classifier.pt")
print("saved")
'''

# ================================================================== torchvision detection / shelf photos
SCRIPTS["price-tag-boxes-rounded-after-downscale-frcnn"] = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF

SCALE = 4      # shelf photos are 12 MP; train on quarter resolution
ann = json.load(open("shelf_photos/annotations.json"))
skus = ann["skus"]
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(skus) + 1,
                                          min_size=320, max_size=480)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for item in ann["images"]:
    img = Image.open("shelf_photos/" + item["file"]).convert("RGB")
    img = img.resize((img.width // SCALE, img.height // SCALE))
    boxes = torch.tensor([[round(v / SCALE) for v in b["xyxy"]] for b in item["boxes"]], dtype=torch.float32)
    labels = torch.tensor([skus.index(b["sku"]) + 1 for b in item["boxes"]])
    losses = model([TF.to_tensor(img)], [{"boxes": boxes, "labels": labels}])
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(item["file"], {k: round(v.item(), 3) for k, v in losses.items()})
'''

FRCNN_PREP = '''
import json, os
import numpy as np
from PIL import Image
os.makedirs("shelf_photos", exist_ok=True)
rng = np.random.default_rng(8)
skus = [str(4006381333900 + 7 * k) for k in range(12)] + ["price_tag"]
images = []
for i in range(2):
    fn = f"bay_{i:02d}.jpg"
    Image.fromarray(rng.integers(0, 256, (960, 1280, 3), dtype=np.uint8)).save("shelf_photos/" + fn)
    boxes = []
    for k in range(10):
        x, y = 40 + 120 * k, 100 + 300 * (k % 3)
        boxes.append({"sku": skus[k % 12], "xyxy": [x, y, x + 90, y + 180]})
        if k % 3 == 2 or i == 1:   # shelf-edge price tags: a few pixels tall at the edge
            boxes.append({"sku": "price_tag", "xyxy": [x + 10, y + 182, x + 70, y + 183]})
    images.append({"file": fn, "boxes": boxes})
json.dump({"skus": skus, "images": images}, open("shelf_photos/annotations.json", "w"), indent=1)
'''

SCRIPTS["draw-bounding-boxes-opencv-hwc-array"] = '''
import json

import cv2
import torch
from torchvision.utils import draw_bounding_boxes

# review sheet for the auditors: every predicted facing drawn on the shelf photo
preds = json.load(open("audit/bay_03_predictions.json"))
img = cv2.imread("audit/bay_03.jpg")[:, :, ::-1].copy()
boxes = torch.tensor([p["box"] for p in preds], dtype=torch.float32)
labels = [f'{p["ean"]} {p["score"]:.2f}' for p in preds]
print(len(preds), "facings")
sheet = draw_bounding_boxes(torch.from_numpy(img), boxes, labels=labels, colors="red", width=2)
cv2.imwrite("audit/bay_03_review.jpg", sheet.permute(1, 2, 0).numpy()[:, :, ::-1])
'''

AUDIT_PREP = '''
import json, os
import numpy as np, cv2
os.makedirs("audit", exist_ok=True)
cv2.imwrite("audit/bay_03.jpg", np.random.default_rng(9).integers(0, 256, (480, 640, 3), dtype=np.uint8))
json.dump([{"box": [20 + 48 * k, 60 + 120 * (k % 3), 60 + 48 * k, 150 + 120 * (k % 3)],
            "ean": str(4006381333900 + 7 * k), "score": 0.5 + 0.03 * k} for k in range(12)],
          open("audit/bay_03_predictions.json", "w"))
'''

SCRIPTS["preallocate-full-res-shelf-photos-memory-cap"] = '''
import csv
import resource

import torch
from PIL import Image
from torchvision.transforms import functional as TF

# the workstation's container limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 30, resource.RLIM_INFINITY))

with open("shelf_index.csv") as f:
    rows = list(csv.DictReader(f))
print(len(rows), "shelf photos in the index")
# decode once, keep everything in RAM for the many-small-boxes crops of every epoch
H, W = 3024, 4032
cache = torch.empty(len(rows), 3, H, W)
for i, r in enumerate(rows):
    cache[i] = TF.to_tensor(Image.open(r["path"]).convert("RGB").resize((W, H)))
'''

INDEX_PREP = '''
import csv
with open("shelf_index.csv", "w", newline="") as f:
    w = csv.writer(f); w.writerow(["path", "store", "bay"])
    for i in range(420):
        w.writerow([f"/mnt/photos/store{i % 14:02d}/bay_{i:04d}.jpg", f"store{i % 14:02d}", i])
'''


def cases():
    out, add, script, notebook = case_builders("torch-more86-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    master = "[" + ", ".join(f'"{e}"' for e in MASTER) + "]"
    sku_csv = prep(sub(SKU_CSV_PREP, MASTER=master))
    crops = imgs(class_folder("crops/train", [f"{4006381333900 + 7 * k}" for k in range(4)], 4, size=(64, 64)))
    shelf_model = save_tiny('["cola_05", "cola_15", "water_05", "juice_1l", "tea_05", "chips_a", "chips_b", '
                            '"nuts", "gum", "price_tag"]', 10, "shelf/models/tiny-yolov3_shelf_last.pt",
                            "shelf/json/shelf_tiny-yolov3_detection_config.json")

    # ---- ImageAI trainer
    script("active-sku-csv-vs-master-index-annotations", "data.label_out_of_range", also=["model.output_mismatch"],
           framework="imageai", forms=P, argv="train_shelf.py", timeout=400,
           setup=both(sku_csv, yolo_layout("shelf_dets", sku_rows(list(range(0, 40, 2))), size=(200, 150))))
    script("portrait-shelf-photos-shape-unpacked-as-w-h", "data.bbox_invalid", framework="imageai",
           argv="convert_and_train.py", timeout=400,
           setup=both(yolo_layout("aisle7", None, size=(120, 160), write_labels=False), prep(AISLE_PREP)))
    script("new-sku-packshots-identical-framing", "data.too_few_boxes", framework="imageai", argv="train_new_skus.py",
           timeout=400, setup=yolo_layout("new_skus_w31", packshot_rows, size=(160, 160)))
    script("data-directory-given-train-split", "data.missing_or_corrupt", also=["model.api_misuse"],
           framework="imageai", argv="train_tags.py", timeout=400,
           setup=yolo_layout("price_tags", sku_rows([0, 1, 2]), size=(160, 120)))
    script("imageai2-h5-as-pretrained-model", "env.version_incompat", also=["model.weights_mismatch"],
           framework="imageai", argv="train_drinks.py", timeout=400,
           setup=both(yolo_layout("drinks_shelf", sku_rows([0, 1, 2]), size=(160, 120)),
                      write("pretrained/detection_model-ex-046--loss-0008.462.h5", b"\x89HDF\r\n\x1a\n" + bytes(200))))

    # ---- ImageAI inference
    script("json-regenerated-from-new-csv-for-old-model", "model.weights_mismatch", also=["model.output_mismatch"],
           framework="imageai", argv="detect_bay.py",
           setup=both(sku_csv, shelf_model, imgs([("shelf/photos/store12_bay3.jpg", (320, 240), "RGB")])))
    script("catalogue-packshot-png-alpha-as-pil", "data.image_channels", framework="imageai", argv="check_packshots.py",
           setup=both(shelf_model, imgs([(f"catalogue/{4006381333900 + 7 * k}.png", (200, 260), "RGBA")
                                         for k in range(2)])))
    script("new-products-classifier-result-count-5", "model.api_misuse", framework="imageai", argv="returns_desk.py",
           setup=both(save_cls("mobilenet_v2", '["8710398520109", "5000112637922", "7622210449283"]',
                               "new_products/models/mobilenet_v2-new_products-test_acc_0.83333_epoch-9.pt",
                               "new_products/models/new_products_model_classes.json"),
                      imgs([(f"returns_desk/ret_{i:03d}.jpg", (240, 240), "RGB") for i in range(2)])))

    # ---- torchvision classifiers
    script("sku-crops-resize-int-any-aspect-workers", "data.image_size_mismatch", argv="train_crops.py",
           setup=imgs([(f"crops/train/{4006381333900 + 7 * k}/c{i:03d}.jpg", (40 + 23 * ((i + k) % 4), 96 - 11 * (i % 3)),
                        "RGB") for k in range(5) for i in range(4)]))
    script("mono-scanner-crops-three-value-normalize", "data.image_channels", forms=P, argv="train_scanner.py",
           setup=prep(MONO_PREP))
    notebook("hierarchical-targets-stacked-into-sku-ce-notebook", "data.label_shape", setup=prep(HIER_PREP))
    script("barcode-class-index-loadtxt-float64", "data.dtype", argv="train_barcodes.py", setup=prep(BARCODE_PREP))
    script("sku-folders-made-from-csv-before-photos", "data.missing_or_corrupt", argv="train_july.py",
           setup=both(sku_csv, imgs([(f"picker_uploads/{MASTER[k]}_{i:02d}.jpg", (80, 100), "RGB")
                                     for k in range(0, 40, 3) if k % 9 != 6 for i in range(2)])))
    script("crop-cnn-linear-sized-for-224-on-96", "model.input_shape", forms=P, argv="train_cropnet.py", setup=crops)
    script("four-new-skus-on-last-months-head", "model.output_mismatch", also=["data.label_out_of_range"],
           argv="finetune_new_skus.py",
           setup=both(prep(OLD_HEAD_PREP), imgs(class_folder("new_sku_crops", ["8710398520109", "5000112637922",
                                                                              "7622210449283", "5449000000996"], 3,
                                                             size=(80, 80)))))
    script("training-checkpoint-dict-into-load-state-dict", "model.weights_mismatch", argv="reclassify_returns.py",
           setup=both(prep(FULL_CKPT_PREP), imgs([("returns/r_0001.jpg", (200, 200), "RGB")])))
    script("few-shot-prototypes-computed-before-episodes", "optim.autograd_graph", argv="protonet.py",
           setup=imgs(class_folder("new_skus/support", ["sku_a", "sku_b", "sku_c"], 5, size=(64, 64))
                      + class_folder("new_skus/query", ["sku_a", "sku_b", "sku_c"], 3, size=(64, 64))))
    script("sku-index-defaultdict-lambda-spawn-workers", "env.multiprocessing", argv="load_picks.py",
           setup=prep(PICKS_PREP))
    script("old-augment-helper-functional-tensor-import", "env.version_incompat", argv="train_aug.py",
           extra={"shelf_aug.py": SHELF_AUG}, setup=crops)
    script("checkpoint-into-month-folder-never-created", "other", forms=P, argv="train_monthly.py", setup=crops)

    # ---- torchvision detection / shelf photos
    script("price-tag-boxes-rounded-after-downscale-frcnn", "data.bbox_invalid", argv="train_shelf_frcnn.py",
           setup=prep(FRCNN_PREP))
    script("draw-bounding-boxes-opencv-hwc-array", "model.api_misuse", also=["data.image_channels"],
           argv="review_sheet.py", setup=prep(AUDIT_PREP))
    script("preallocate-full-res-shelf-photos-memory-cap", "resource.host_memory", argv="cache_shelves.py",
           setup=prep(INDEX_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
