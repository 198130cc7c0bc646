"""An eighty-eighth held-out set (g164, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: developers automating paperwork with image models in PyTorch -- page-orientation and document-type
classifiers on scanned pages, layout-region detectors (tables, signatures, stamps) built on torchvision's Faster
R-CNN or ImageAI 3.0.3 (about a quarter of the cases), very tall receipts and wide ledgers, 1-bit and 16-bit greyscale
TIFF/PNG scans, multi-page TIFFs split into page images, and labels coming from a spreadsheet export (CSV). A natural
mix of causes, each program built so that its cause is known by construction and made to fail inside torch,
torchvision, ImageAI, PIL, NumPy or multiprocessing:

- classifiers: 1-bit TIFF pages through ImageNet ``Normalize`` (data.image_channels), tall receipts resized by the
  shorter side and batched by DataLoader workers (data.image_size_mismatch), one-hot doc-type columns of the
  spreadsheet as CrossEntropy targets (data.label_shape), 16-bit greyscale TIFFs through ``ToTensor`` (data.dtype),
  A4-aspect pages into a head sized for 224x224 (notebook, model.input_shape), page files named from the sheet's page
  count after a multi-page split (data.missing_or_corrupt), a running-loss tensor backpropagated every step
  (optim.autograd_graph), raw 16-bit pixel values with a high learning rate under anomaly detection
  (a skew-angle regressor, optim.divergence), a deskew helper importing ``torchvision.transforms.functional_tensor`` (env.version_incompat),
  a DataParallel checkpoint loaded into a plain model (model.weights_mismatch), a multi-label stamp/signature/table
  head left with two outputs (model.output_mismatch), greyscale PNGs read with ``torchvision.io.read_image`` into a
  ResNet (notebook, data.image_channels), a 600-dpi multi-page document stacked as float64 under a memory cap
  (resource.host_memory);
- torchvision layout detectors: x,y,w,h boxes from the sheet given as x1,y1,x2,y2 (data.bbox_invalid),
  ``num_classes`` without the background class (data.label_out_of_range), a ``lambda`` collate_fn with spawn workers
  (env.multiprocessing), a validation loop that forgets ``model.eval()`` (model.api_misuse);
- ImageAI 3: 1-bit TIFF frames passed as PIL images to ``CustomObjectDetection`` (data.image_channels), a
  ``ClassificationModelTrainer`` dataset with ``validation/`` instead of ``test/`` (data.missing_or_corrupt), a
  MobileNetV2 orientation model loaded as ResNet50 (model.weights_mismatch), ``loadModel()`` called before the model
  and JSON paths are set (model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more88.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more88.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ data preps
ONEBIT_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("scans", exist_ok=True)
rng = np.random.default_rng(0)
rows = ["file,orientation"]
for i in range(12):
    a = rng.random((420, 300)) > 0.9
    Image.fromarray(a).convert("1").save(f"scans/page_{i:04d}.tif", compression="group4")
    rows.append(f"page_{i:04d}.tif,{[0, 90, 180, 270][i % 4]}")
open("orientation_labels.csv", "w").write("\\n".join(rows) + "\\n")
'''

ONEHOT_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("pages", exist_ok=True)
rng = np.random.default_rng(1)
rows = ["filename,invoice,receipt,letter,form"]
for i in range(16):
    Image.fromarray(rng.integers(0, 255, (96, 72), dtype=np.uint8), "L").save(f"pages/doc_{i:04d}.png")
    hot = [0, 0, 0, 0]; hot[i % 4] = 1
    rows.append(f"doc_{i:04d}.png," + ",".join(map(str, hot)))
open("doc_types_export.csv", "w").write("\\n".join(rows) + "\\n")
'''

U16_PREP = '''
import os, numpy as np
from PIL import Image
rng = np.random.default_rng(2)
for cls in ("handwritten", "typed"):
    os.makedirs(f"scans16/{cls}", exist_ok=True)
    for i in range(6):
        a = rng.integers(0, 65535, (128, 96), dtype=np.uint16)
        Image.fromarray(a).save(f"scans16/{cls}/{cls}_{i:03d}.tif")
'''

MULTIPAGE_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("inbox", exist_ok=True)
rng = np.random.default_rng(3)
pages = {"contract_0001": 3, "contract_0002": 2, "invoice_0003": 1, "letter_0004": 2}
for stem, n in pages.items():
    frames = [Image.fromarray(rng.integers(0, 255, (160, 120), dtype=np.uint8), "L") for _ in range(n)]
    frames[0].save(f"inbox/{stem}.tif", save_all=True, append_images=frames[1:])
# the sheet was filled by hand: contract_0002 has 3 pages there (a page was removed from the scan later)
rows = ["document,doc_type,pages", "contract_0001,contract,3", "contract_0002,contract,3",
        "invoice_0003,invoice,1", "letter_0004,letter,2"]
open("register_export.csv", "w").write("\\n".join(rows) + "\\n")
'''

LAYOUT_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("forms", exist_ok=True)
rng = np.random.default_rng(4)
rows = ["image,label,x,y,w,h"]
for i in range(4):
    Image.fromarray(rng.integers(200, 255, (320, 240, 3), dtype=np.uint8)).save(f"forms/form_{i:03d}.png")
    rows += [f"form_{i:03d}.png,table,20,40,200,120",
             f"form_{i:03d}.png,signature,140,250,80,30",
             f"form_{i:03d}.png,stamp,30,240,60,60"]
open("regions_export.csv", "w").write("\\n".join(rows) + "\\n")
'''

DP_CKPT = '''
import os, torch, torchvision, json
os.makedirs("checkpoints", exist_ok=True)
model = torch.nn.DataParallel(torchvision.models.resnet18(num_classes=5))
torch.save({"epoch": 12, "state_dict": model.state_dict()}, "checkpoints/doctype_best.pth")
json.dump(["contract", "form", "invoice", "letter", "receipt"], open("checkpoints/classes.json", "w"))
'''

BIG_TIFF_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("archive", exist_ok=True)
frames = [Image.new("1", (4960, 7016), 1) for _ in range(4)]
frames[0].save("archive/deed_1987_0412.tif", save_all=True, append_images=frames[1:], compression="group4")
'''

IAI_FRAMES_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("incoming", exist_ok=True)
rng = np.random.default_rng(5)
frames = [Image.fromarray(rng.random((416, 320)) > 0.1).convert("1") for _ in range(3)]
frames[0].save("incoming/batch_2024_03_fax.tif", save_all=True, append_images=frames[1:], compression="group4")
'''

TRAIN_HEAD = '''
import csv
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
'''

# ================================================================== classifiers
SCRIPTS["onebit-tiff-pages-imagenet-normalize"] = TRAIN_HEAD + '''from torchvision import models, transforms

tf = transforms.Compose([
    transforms.Resize((160, 112)),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


class ScannedPages(Dataset):
    def __init__(self, sheet, root="scans"):
        self.rows = list(csv.DictReader(open(sheet)))
        self.root = root
        self.angles = sorted({int(r["orientation"]) for r in self.rows})

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        page = Image.open(f"{self.root}/{r['file']}")
        return tf(page), self.angles.index(int(r["orientation"]))


ds = ScannedPages("orientation_labels.csv")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(num_classes=len(ds.angles))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["tall-receipts-resize-shorter-side-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# receipts come out of the scanner as long strips; keep the aspect ratio so the text is not squashed
tf = transforms.Compose([transforms.Resize(96), transforms.ToTensor()])
ds = datasets.ImageFolder("receipts/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
model = models.mobilenet_v3_small(num_classes=len(ds.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
crit = nn.CrossEntropyLoss()

if __name__ == "__main__":
    for epoch in range(2):
        for step, (x, y) in enumerate(loader):
            opt.zero_grad()
            loss = crit(model(x), y)
            loss.backward()
            opt.step()
            print(f"epoch {epoch} step {step} loss {loss.item():.3f}")
'''

SCRIPTS["spreadsheet-one-hot-doc-type-columns"] = TRAIN_HEAD + '''import numpy as np

SHEET = "doc_types_export.csv"
CLASSES = ["invoice", "receipt", "letter", "form"]


class DocTypes(Dataset):
    def __init__(self, sheet):
        self.rows = list(csv.DictReader(open(sheet)))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        x = torch.from_numpy(np.asarray(Image.open("pages/" + r["filename"]).convert("L"), np.float32) / 255.)
        y = torch.tensor([int(r[c]) for c in CLASSES])
        return x.unsqueeze(0), y


model = nn.Sequential(
    nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, len(CLASSES)),
)
loader = DataLoader(DocTypes(SHEET), batch_size=8, shuffle=True)
opt = torch.optim.Adam(model.parameters(), 1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(5):
    for x, y in loader:
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["sixteen-bit-grey-tiff-totensor"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from PIL import Image


def load_tiff(path):
    return Image.open(path)          # keep the full 16-bit depth of the archive scans


ds = datasets.ImageFolder("scans16", transform=transforms.ToTensor(), loader=load_tiff)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = nn.Sequential(
    nn.Conv2d(1, 8, 5, stride=2), nn.ReLU(),
    nn.Conv2d(8, 16, 3, stride=2), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2),
)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    print("epoch", epoch, float(loss))
'''

CELLS["a4-aspect-pages-into-224-head-notebook"] = [
    '''import torch, torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# A4 is 1:1.414 -> keep the page shape
tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((256, 181)), transforms.ToTensor()])
ds = datasets.ImageFolder("pages/train", transform=tf)
print(ds.classes, len(ds))''',
    '''class PageNet(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.fc = nn.Linear(32 * 56 * 56, n)   # from the 224x224 tutorial

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))

model = PageNet(len(ds.classes))''',
    '''loader = DataLoader(ds, batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for x, y in loader:
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
print(loss.item())''',
]

SCRIPTS["multipage-split-page-count-from-sheet"] = TRAIN_HEAD + '''import os
from PIL import ImageSequence
from torchvision import models, transforms

# 1) split every multi-page TIFF in the inbox into page PNGs
os.makedirs("pages", exist_ok=True)
for name in sorted(os.listdir("inbox")):
    stem = os.path.splitext(name)[0]
    with Image.open(os.path.join("inbox", name)) as tif:
        for n, frame in enumerate(ImageSequence.Iterator(tif), start=1):
            frame.convert("L").save(f"pages/{stem}_p{n}.png")
print("split done:", len(os.listdir("pages")), "pages")

# 2) one sample per page, the doc type and the page count come from the register export
rows = list(csv.DictReader(open("register_export.csv")))
types = sorted({r["doc_type"] for r in rows})
samples = [(f"pages/{r['document']}_p{p}.png", types.index(r["doc_type"]))
           for r in rows for p in range(1, int(r["pages"]) + 1)]

tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((128, 96)), transforms.ToTensor()])


class Pages(Dataset):
    def __len__(self):
        return len(samples)

    def __getitem__(self, i):
        path, y = samples[i]
        return tf(Image.open(path)), y


if __name__ == "__main__":
    loader = DataLoader(Pages(), batch_size=4, shuffle=False, num_workers=2)
    model = models.resnet18(num_classes=len(types))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for x, y in loader:
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        print("loss", loss.item())
'''

SCRIPTS["running-loss-tensor-backward"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((112, 80)), transforms.ToTensor()])
ds = datasets.ImageFolder("doc_types/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), 1e-4)
crit = nn.CrossEntropyLoss()

for epoch in range(2):
    running = 0.0
    bar = tqdm(loader, desc=f"epoch {epoch}")
    for step, (x, y) in enumerate(bar):
        loss = crit(model(x), y)
        running = running + loss
        avg = running / (step + 1)           # smoother than the per-batch loss
        opt.zero_grad()
        avg.backward()
        opt.step()
        bar.set_postfix(loss=float(avg))
'''

SCRIPTS["raw-16bit-pixels-high-lr-anomaly"] = '''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
import glob

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)     # the loss went NaN last night, find out where

files = sorted(glob.glob("scans16/*/*.tif"))
X = torch.stack([torch.from_numpy(np.asarray(Image.open(f), dtype=np.float32)) for f in files]).unsqueeze(1)
# skew angle (degrees) of each scan, from the QA sheet
angle = torch.tensor([[(-1.5 + 0.5 * i) % 3] for i in range(len(files))])
model = nn.Sequential(nn.Flatten(), nn.Linear(X[0].numel(), 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for step in range(50):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), angle)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4g}")
'''

DESKEW_HELPER = '''
import math

import torch
from torchvision.transforms.functional import rotate
from torchvision.transforms.functional_tensor import rgb_to_grayscale


def deskew(img: torch.Tensor) -> torch.Tensor:
    g = rgb_to_grayscale(img)
    cols = (g < 0.5).float().mean(dim=-2)
    angle = math.degrees(math.atan2(float(cols.argmax() - cols.argmin()), g.shape[-1])) / 10
    return rotate(img, angle, fill=1.0)
'''

SCRIPTS["deskew-helper-functional-tensor-import"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

from preprocess.deskew import deskew

tf = transforms.Compose([transforms.Resize((128, 96)), transforms.ToTensor(), transforms.Lambda(deskew)])
ds = datasets.ImageFolder("doc_types/train", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), 1e-4)
for x, y in loader:
    opt.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
'''

SCRIPTS["dataparallel-checkpoint-into-plain-model"] = '''
import json
import sys

import torch
import torchvision
from PIL import Image
from torchvision import transforms

classes = json.load(open("checkpoints/classes.json"))
model = torchvision.models.resnet18(num_classes=len(classes))
ckpt = torch.load("checkpoints/doctype_best.pth", map_location="cpu")
model.load_state_dict(ckpt["state_dict"])
model.eval()

tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((224, 160)), transforms.ToTensor()])
for path in sys.argv[1:]:
    with torch.no_grad():
        p = model(tf(Image.open(path)).unsqueeze(0)).softmax(1)[0]
    print(path, classes[int(p.argmax())], f"{float(p.max()):.2f}")
'''

SCRIPTS["stamp-presence-multilabel-head-two-outputs"] = TRAIN_HEAD + '''from torchvision import models, transforms

# multi-label: does the page carry a table / a signature / a stamp?
FLAGS = ["has_table", "has_signature", "has_stamp"]
tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((128, 96)), transforms.ToTensor()])


class Flags(Dataset):
    def __init__(self, sheet):
        self.rows = list(csv.DictReader(open(sheet)))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return tf(Image.open("pages/" + r["file"])), torch.tensor([float(r[f]) for f in FLAGS])


model = models.resnet18()
model.fc = nn.Linear(model.fc.in_features, 2)    # head from the signed / unsigned model
loader = DataLoader(Flags("page_flags.csv"), batch_size=4, shuffle=True)
crit = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), 1e-4)
for epoch in range(2):
    for x, y in loader:
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
'''

FLAGS_PREP = '''
import os, numpy as np
from PIL import Image
os.makedirs("pages", exist_ok=True)
rng = np.random.default_rng(6)
rows = ["file,has_table,has_signature,has_stamp"]
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (140, 100), dtype=np.uint8), "L").save(f"pages/p{i:03d}.png")
    rows.append(f"p{i:03d}.png,{i % 2},{(i // 2) % 2},{int(i % 3 == 0)}")
open("page_flags.csv", "w").write("\\n".join(rows) + "\\n")
'''

SCRIPTS["archive-600dpi-pages-float64-memory-cap"] = '''
import resource

import numpy as np
import torch
from PIL import Image, ImageSequence

# the shared OCR box has 2 GB per job: keep this script inside it instead of being OOM-killed
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

Image.MAX_IMAGE_PIXELS = None
with Image.open("archive/deed_1987_0412.tif") as tif:
    pages = [np.asarray(p.convert("RGB"), dtype=np.float64) / 255.0 for p in ImageSequence.Iterator(tif)]
batch = torch.from_numpy(np.stack(pages)).permute(0, 3, 1, 2)
print(batch.shape)
'''

# ================================================================== torchvision layout detectors
DET_HEAD = '''
import csv
from collections import defaultdict

import torch
import torchvision
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "table", "signature", "stamp"]


class Regions(Dataset):
    def __init__(self, sheet):
        self.boxes = defaultdict(list)
        for r in csv.DictReader(open(sheet)):
            self.boxes[r["image"]].append(r)
        self.images = sorted(self.boxes)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        name = self.images[i]
        img = F.to_tensor(Image.open("forms/" + name).convert("RGB"))
        rows = self.boxes[name]
'''

SCRIPTS["layout-fasterrcnn-xywh-boxes-from-sheet"] = DET_HEAD + '''        boxes = torch.tensor([[float(r["x"]), float(r["y"]), float(r["w"]), float(r["h"])] for r in rows])
        labels = torch.tensor([CLASSES.index(r["label"]) for r in rows])
        return img, {"boxes": boxes, "labels": labels}


ds = Regions("regions_export.csv")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

DET_GOOD_ITEM = '''        boxes = torch.tensor([[float(r["x"]), float(r["y"]), float(r["x"]) + float(r["w"]),
                               float(r["y"]) + float(r["h"])] for r in rows])
        labels = torch.tensor([@@LABEL@@ for r in rows])
        return img, {"boxes": boxes, "labels": labels}


def collate(batch):
    return tuple(zip(*batch))

'''

SCRIPTS["layout-fasterrcnn-num-classes-without-background"] = DET_HEAD + sub(
    DET_GOOD_ITEM, LABEL='CLASSES.index(r["label"])') + '''
ds = Regions("regions_export.csv")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate)
# three region types: table, signature, stamp
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, float(loss))
'''

SCRIPTS["layout-collate-lambda-spawn-workers"] = DET_HEAD + sub(
    DET_GOOD_ITEM, LABEL='CLASSES.index(r["label"])') + '''
if __name__ == "__main__":
    torch.multiprocessing.set_start_method("spawn")   # same code as on the Mac
    ds = Regions("regions_export.csv")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, collate_fn=lambda b: tuple(zip(*b)))
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["layout-validation-loop-without-eval"] = DET_HEAD + sub(
    DET_GOOD_ITEM, LABEL='CLASSES.index(r["label"])') + '''
ds = Regions("regions_export.csv")
train_loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=collate)
val_loader = DataLoader(ds, batch_size=2, collate_fn=collate)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
for epoch in range(1):
    model.train()
    for images, targets in train_loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, "train loss", float(loss))
    with torch.no_grad():
        found = 0
        for images, targets in val_loader:
            preds = model(list(images))
            found += sum(len(p["boxes"]) for p in preds)
    print("val detections", found)
'''

# ================================================================== ImageAI 3
SCRIPTS["imageai-pil-onebit-fax-frames"] = '''
from PIL import Image, ImageSequence
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/layout_tiny-yolov3.pt")
detector.setJsonPath("models/layout_tiny-yolov3_detection_config.json")
detector.loadModel()

with Image.open("incoming/batch_2024_03_fax.tif") as fax:
    for n, page in enumerate(ImageSequence.Iterator(fax), start=1):
        _, found = detector.detectObjectsFromImage(input_image=page, output_type="array",
                                                   minimum_percentage_probability=40)
        print(f"page {n}:", [(d["name"], d["percentage_probability"]) for d in found])
'''

SCRIPTS["imageai-classification-trainer-validation-folder"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("doc_types")
trainer.trainModel(num_experiments=3, batch_size=4)
'''

SCRIPTS["imageai-orientation-mobilenet-loaded-as-resnet50"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("models/orientation_mobilenet_v2-test_acc_0.97_epoch-18.pt")
clf.setJsonPath("models/orientation_model_classes.json")
clf.loadModel()
for page in sorted(glob.glob("to_check/*.png")):
    names, probs = clf.classifyImage(page, result_count=1)
    print(page, names[0], probs[0])
'''

SCRIPTS["imageai-detector-loadmodel-before-paths"] = '''
import glob

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.loadModel()
detector.setModelPath("models/layout_tiny-yolov3.pt")
detector.setJsonPath("models/layout_tiny-yolov3_detection_config.json")

for page in sorted(glob.glob("pages/*.png")):
    detector.detectObjectsFromImage(input_image=page, output_image_path=page.replace(".png", "_regions.jpg"))
'''


def cases():
    out, add, script, notebook = case_builders("torch-more88-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    layout_model = save_tiny('["table", "signature", "stamp"]', 3, "models/layout_tiny-yolov3.pt",
                             "models/layout_tiny-yolov3_detection_config.json")
    doc_types = imgs(class_folder("doc_types/train", ["invoice", "letter", "receipt"], 4, size=(80, 112), mode="L",
                                  ext="png"))
    receipts = imgs([(f"receipts/train/{c}/r_{i:03d}.jpg", (120, 300 + 90 * i + 40 * k), "RGB")
                     for k, c in enumerate(["grocery", "fuel", "taxi"]) for i in range(4)])

    # ---- classifiers
    script("onebit-tiff-pages-imagenet-normalize", "data.image_channels", argv="train_orientation.py",
           setup=prep(ONEBIT_PREP))
    script("tall-receipts-resize-shorter-side-workers", "data.image_size_mismatch", argv="train_receipts.py",
           setup=receipts)
    script("spreadsheet-one-hot-doc-type-columns", "data.label_shape", also=["data.dtype"],
           argv="train_doctype.py",
           setup=prep(ONEHOT_PREP))
    script("sixteen-bit-grey-tiff-totensor", "data.dtype", argv="train_script_type.py", setup=prep(U16_PREP))
    notebook("a4-aspect-pages-into-224-head-notebook", "model.input_shape",
             setup=imgs(class_folder("pages/train", ["contract", "invoice"], 4, size=(124, 175))))
    script("multipage-split-page-count-from-sheet", "data.missing_or_corrupt", argv="split_and_train.py",
           setup=prep(MULTIPAGE_PREP))
    script("running-loss-tensor-backward", "optim.autograd_graph", forms=P, argv="train_doctype.py",
           setup=doc_types)
    script("raw-16bit-pixels-high-lr-anomaly", "optim.divergence", also=["data.dtype"], argv="train_quick.py",
           setup=prep(U16_PREP))
    script("deskew-helper-functional-tensor-import", "env.version_incompat", argv="train_doctype.py",
           extra={"preprocess/__init__.py": "", "preprocess/deskew.py": DESKEW_HELPER}, setup=doc_types)
    script("dataparallel-checkpoint-into-plain-model", "model.weights_mismatch", argv="classify_pages.py",
           args=("inbox/page_001.png",),
           setup=both(prep(DP_CKPT), imgs([("inbox/page_001.png", (120, 170), "L")])))
    script("stamp-presence-multilabel-head-two-outputs", "model.output_mismatch", also=["data.label_shape"],
           argv="train_flags.py", setup=prep(FLAGS_PREP))
    script("archive-600dpi-pages-float64-memory-cap", "resource.host_memory", argv="load_archive.py",
           setup=prep(BIG_TIFF_PREP))

    # ---- torchvision layout detectors
    script("layout-fasterrcnn-xywh-boxes-from-sheet", "data.bbox_invalid", argv="train_layout.py",
           setup=prep(LAYOUT_PREP))
    script("layout-fasterrcnn-num-classes-without-background", "data.label_out_of_range",
           also=["model.output_mismatch"], argv="train_layout.py", setup=prep(LAYOUT_PREP))
    script("layout-collate-lambda-spawn-workers", "env.multiprocessing", argv="train_layout.py",
           setup=prep(LAYOUT_PREP))
    script("layout-validation-loop-without-eval", "model.api_misuse", argv="train_layout.py",
           setup=prep(LAYOUT_PREP))

    # ---- ImageAI 3
    script("imageai-pil-onebit-fax-frames", "data.image_channels", also=["model.api_misuse"], framework="imageai",
           argv="detect_fax.py", setup=both(layout_model, prep(IAI_FRAMES_PREP)))
    script("imageai-classification-trainer-validation-folder", "data.missing_or_corrupt", framework="imageai",
           argv="train_doctypes.py",
           setup=imgs(class_folder("doc_types/train", ["invoice", "letter"], 4, size=(96, 128))
                      + class_folder("doc_types/validation", ["invoice", "letter"], 2, size=(96, 128))))
    script("imageai-orientation-mobilenet-loaded-as-resnet50", "model.weights_mismatch", framework="imageai",
           argv="check_orientation.py", exception="Exception",  # ImageAI re-raises the RuntimeError as Exception
           setup=both(save_cls("mobilenet_v2", '["0", "180", "270", "90"]',
                               "models/orientation_mobilenet_v2-test_acc_0.97_epoch-18.pt",
                               "models/orientation_model_classes.json"),
                      imgs([("to_check/scan_0001.png", (200, 280), "RGB")])))
    script("imageai-detector-loadmodel-before-paths", "model.api_misuse", framework="imageai",
           argv="find_regions.py", setup=both(layout_model, imgs([("pages/form_001.png", (320, 416), "RGB")])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
