"""A hundred-and-first held-out set (g190, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: forestry, sawmill and timber-yard staff -- log-end photos of discs and logs for ring counting and
species, board-defect detectors on the planer line with ImageAI 3.0.3 and torchvision Faster R-CNN, drone canopy
tiles cut from orthomosaics (RGB + NIR exports, world files, the photogrammetry report), harvester camera frames and
CAN-bus logs from the machine's on-board computer, kiln moisture-meter exports, data on USB drives passed between
the sites, the office PC and a yard laptop with a small GPU. The training scripts and notebooks are written by the
staff themselves. About a fifth of the cases use ImageAI 3. A natural mix of causes, each program built so that its
cause is known by construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy or
multiprocessing:

- images: canopy tiles cut from the orthomosaic with NumPy slices, so the right and bottom edge tiles come out
  smaller (workers, data.image_size_mismatch); RGB + NIR drone tiles exported as four-band PNGs and read with
  ``torchvision.io.read_image`` into a ResNet (notebook, data.image_channels); log-end photos on a USB drive that
  went through a Mac, its ``._*.jpg`` AppleDouble files picked up by ``ImageFolder`` (workers, tqdm,
  data.missing_or_corrupt); a ring-count sheet written on the office PC with Windows back-slash paths, read on the
  Linux laptop (data.missing_or_corrupt);
- labels: the mill tally sheet's 1-based species codes used as class indices (tqdm, data.label_out_of_range);
  pin knots marked with a single click in the labelling tool, giving zero-size boxes to Faster R-CNN
  (data.bbox_invalid); a multi-label board-defect head with ``BCEWithLogitsLoss`` against one defect index per
  board (data.label_shape); the kiln moisture-meter export read with ``np.loadtxt`` straight into the grade model
  (float64, data.dtype);
- models: harvester stem-diameter profiles fed to a ``Conv1d`` net without a channel dimension (model.input_shape);
  ``inception_v3`` for log-end species trained with its auxiliary output on (notebook, model.output_mismatch); the
  office PC's resume checkpoint dict given whole to ``load_state_dict`` (model.weights_mismatch); a
  ``WeightedRandomSampler`` for the rare rot class together with ``shuffle=True`` (notebook, model.api_misuse);
- optimisation: a harvester feed-roller LSTM carrying its hidden state across batches without ``detach``
  (optim.autograd_graph); a Poisson ring-count model on raw millimetre diameters whose rate goes to inf and then
  NaN inside ``torch.distributions.Poisson`` (optim.divergence);
- resource / environment: per-pixel map coordinates of a whole-compartment orthomosaic built with ``np.meshgrid``
  from the world file and the photogrammetry report (resource.host_memory); the yard laptop's script capping its
  small GPU with ``set_per_process_memory_fraction``, run on the office PC without an NVIDIA driver
  (env.cuda_setup); an old dendro repo's gradient helper importing ``torch._six`` (env.version_incompat); a
  Dataset holding the USB drive's ``tarfile`` under spawn DataLoader workers (env.multiprocessing);
- ImageAI 3: the board scanner's YOLO export in pixels (data.bbox_invalid); the species classifier trained as
  MobileNetV2 loaded with ``setModelTypeAsResNet50`` (re-raised as a plain ``Exception``,
  model.weights_mismatch); harvester mono-camera frames as 2-D arrays into ``detectObjectsFromImage``
  (data.image_channels); ``ClassificationModelTrainer`` on a ``train/`` folder holding the photos without class
  folders (data.missing_or_corrupt); the detector's ``.pt`` and JSON paths swapped (model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more101.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more101.py"

SCRIPTS = {}
CELLS = {}

SPECIES = ["spruce", "pine", "birch", "aspen"]

# ------------------------------------------------------------------ canopy tiles cut with NumPy slices
CANOPY_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
# the orthomosaic of stand 14 (downscaled here), cut into 128 px tiles for labelling
ortho = rng.integers(0, 255, (300, 420, 3), dtype=np.uint8)
os.makedirs("tiles/stand14", exist_ok=True)
rows = []
T = 128
k = 0
for y in range(0, ortho.shape[0], T):
    for x in range(0, ortho.shape[1], T):
        name = f"tiles/stand14/r{y // T:02d}_c{x // T:02d}.png"
        Image.fromarray(ortho[y:y + T, x:x + T]).save(name)
        rows.append((name, ["spruce", "pine", "birch", "dead"][k % 4]))
        k += 1
with open("tiles/stand14_labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("tile", "canopy")] + rows)
'''

SCRIPTS["canopy-tiles-numpy-slices-edge-tiles-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

CANOPY = ["spruce", "pine", "birch", "dead"]


class CanopyTiles(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        # all tiles are 128 x 128, cut that way from the orthomosaic
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.25] * 3)])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["tile"]).convert("RGB")), CANOPY.index(r["canopy"])


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(CanopyTiles("tiles/stand14_labels.csv"), batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CANOPY)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")
'''

# ------------------------------------------------------------------ RGB + NIR tiles through read_image (notebook)
CELLS["rgb-nir-drone-tiles-read-image-resnet-notebook"] = [
    '''import glob, os
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from torchvision import models
from torchvision.io import read_image
from torchvision.transforms import v2

HEALTH = ["healthy", "bark_beetle", "dead"]
files = sorted(glob.glob("ms_tiles/*/*.png"))
len(files)''',
    '''class MsTiles(Dataset):
    tf = v2.Compose([v2.Resize((96, 96)), v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return len(files)

    def __getitem__(self, i):
        p = files[i]
        return self.tf(read_image(p)), HEALTH.index(os.path.basename(os.path.dirname(p)))


loader = DataLoader(MsTiles(), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(HEALTH))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)''',
    '''for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 3))''',
]

# ------------------------------------------------------------------ USB drive through a Mac: ._ AppleDouble files
APPLEDOUBLE_PREP = '''
import glob, os

# the drive went through the Kajaani site's MacBook: every photo got an AppleDouble companion
for p in sorted(glob.glob("usb_logends/*/*.jpg")):
    d, f = os.path.split(p)
    blob = b"\\x00\\x05\\x16\\x07\\x00\\x02\\x00\\x00Mac OS X        \\x00\\x02" + b"\\x00" * 4070
    open(os.path.join(d, "._" + f), "wb").write(blob)
'''

SCRIPTS["usb-drive-mac-appledouble-files-imagefolder-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

if __name__ == "__main__":
    ds = datasets.ImageFolder("usb_logends", transform=tf)          # copied from the site's USB drive
    print(f"{len(ds)} log-end photos, classes {ds.classes}")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in tqdm(loader, desc=f"epoch {epoch}"):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
'''

# ------------------------------------------------------------------ ring-count sheet with Windows paths
RINGS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
rows = []
for site in ("site_A", "site_B"):
    os.makedirs(f"ring_photos/{site}", exist_ok=True)
    for i in range(6):
        Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"ring_photos/{site}/disc_{i:04d}.jpg")
        # the sheet was filled in on the office PC (Windows)
        rows.append((f"{site}\\\\disc_{i:04d}.jpg", int(rng.integers(35, 140))))
with open("ring_photos/ring_counts.csv", "w", newline="") as f:
    csv.writer(f).writerows([("photo", "rings")] + rows)
'''

SCRIPTS["ring-count-sheet-windows-backslash-paths"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

ROOT = "ring_photos"


class Discs(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(os.path.join(root, "ring_counts.csv"))))
        self.tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(os.path.join(self.root, r["photo"]))
        return self.tf(img), torch.tensor(float(r["rings"]))


loader = DataLoader(Discs(ROOT), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in loader:
        loss = nn.functional.l1_loss(model(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: MAE {loss.item():.1f} rings")
'''

# ------------------------------------------------------------------ tally sheet species codes 1..5
TALLY_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("yard_photos", exist_ok=True)
# species codes as printed on the mill tally sheet: 1 spruce, 2 pine, 3 birch, 4 aspen, 5 alder
codes = [5, 2, 1, 3, 4, 1, 2, 2, 3, 5, 1, 4, 2, 1, 3, 5]
rows = []
for i, c in enumerate(codes):
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"yard_photos/log_{i:05d}.jpg")
    rows.append((f"log_{i:05d}.jpg", c))
with open("yard_photos/tally.csv", "w", newline="") as f:
    csv.writer(f).writerows([("photo", "species_code")] + rows)
'''

SCRIPTS["tally-sheet-species-codes-one-based-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

SPECIES = ["spruce", "pine", "birch", "aspen", "alder"]


class YardLogs(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/tally.csv")))
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"{self.root}/{r['photo']}").convert("RGB")), int(r["species_code"])


loader = DataLoader(YardLogs("yard_photos"), batch_size=8, shuffle=False)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(SPECIES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ pin knots as single clicks
KNOTS_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("boards/images", exist_ok=True)
anns = []
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (100, 320, 3), dtype=np.uint8)).save(f"boards/images/board_{i:04d}.jpg")
    boxes = [[40 + 10 * i, 20, 75 + 10 * i, 60], [180, 30 + 2 * i, 230, 80]]
    labels = [1, 2]
    if i % 2 == 1:
        # pin knots are too small to drag a box around: the labelling tool stores the click as a box
        px, py = 260 + i, 50
        boxes.append([px, py, px, py])
        labels.append(3)
    anns.append({"file": f"board_{i:04d}.jpg", "boxes": boxes, "labels": labels})
json.dump(anns, open("boards/defects.json", "w"), indent=1)
'''

SCRIPTS["pin-knots-single-click-boxes-fasterrcnn"] = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

DEFECTS = ["__background__", "sound_knot", "dead_knot", "pin_knot"]


class Boards(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        self.anns = json.load(open(f"{root}/defects.json"))

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = Image.open(f"{self.root}/images/{a['file']}").convert("RGB")
        return TF.to_tensor(img), {"boxes": torch.tensor(a["boxes"], dtype=torch.float32),
                                   "labels": torch.tensor(a["labels"])}


loader = torch.utils.data.DataLoader(Boards("boards"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(DEFECTS))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(5):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ multi-label defect head, index targets
DEFECT_CSV_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("planer/crops", exist_ok=True)
rows = []
for i in range(16):
    Image.fromarray(rng.integers(0, 255, (48, 96, 3), dtype=np.uint8)).save(f"planer/crops/crop_{i:05d}.png")
    rows.append((f"crop_{i:05d}.png", ["knot", "split", "wane", "rot"][i % 4]))
with open("planer/defects.csv", "w", newline="") as f:
    csv.writer(f).writerows([("crop", "defect")] + rows)
'''

SCRIPTS["multilabel-defect-head-bce-index-targets"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

DEFECTS = ["knot", "split", "wane", "rot"]      # a board can have several: one sigmoid per defect


class PlanerCrops(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/defects.csv")))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        x = self.tf(Image.open(f"{self.root}/crops/{r['crop']}").convert("RGB"))
        return x, DEFECTS.index(r["defect"])


loader = DataLoader(PlanerCrops("planer"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(DEFECTS)))
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ kiln moisture export via np.loadtxt
KILN_PREP = '''
import numpy as np

rng = np.random.default_rng(8)
n = 200
moist = rng.uniform(8, 30, n)            # moisture content, percent
density = rng.uniform(380, 620, n)       # kg / m3
thick = rng.choice([22.0, 32.0, 50.0, 75.0], n)
width = rng.choice([100.0, 125.0, 150.0, 200.0], n)
grade = (moist < 16).astype(int) + (density > 480).astype(int)       # 0, 1, 2
np.savetxt("kiln_batch_2024w18.csv", np.c_[moist, density, thick, width, grade], delimiter=";", fmt="%.2f",
           header="moisture;density;thickness;width;grade", comments="")
'''

SCRIPTS["kiln-moisture-export-loadtxt-float64-grade-model"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

data = np.loadtxt("kiln_batch_2024w18.csv", delimiter=";", skiprows=1)
X = data[:, :4]
X = (X - X.mean(axis=0)) / X.std(axis=0)
y = data[:, 4].astype(np.int64)
print(X.shape, np.bincount(y))

ds = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
loader = DataLoader(ds, batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(30):
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 5 == 0:
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ stem profiles into Conv1d without channel dim
STEMS_PREP = '''
import numpy as np

rng = np.random.default_rng(9)
n, L = 160, 200                          # diameter every 10 cm over the first 20 m of the stem
butt = rng.uniform(220, 520, (n, 1))
taper = rng.uniform(0.6, 1.4, (n, 1))
profiles = (butt - taper * np.arange(L)[None] * 1.1 + rng.normal(0, 4, (n, L))).astype(np.float32)
assortment = (butt[:, 0] > 330).astype(np.int64) + (butt[:, 0] > 430).astype(np.int64)   # pulp, small log, sawlog
np.savez("harvester_stems_2024-05.npz", profiles=profiles, assortment=assortment)
'''

SCRIPTS["stem-diameter-profiles-conv1d-no-channel-dim"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

# stem diameter profiles from the harvester's .stm export, one row per stem (mm)
log = np.load("harvester_stems_2024-05.npz")
profiles = torch.from_numpy(log["profiles"]) / 500.0
labels = torch.from_numpy(log["assortment"])
loader = DataLoader(TensorDataset(profiles, labels), batch_size=16, shuffle=True)

model = nn.Sequential(
    nn.Conv1d(1, 16, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
    nn.Conv1d(16, 32, kernel_size=5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
    nn.Flatten(), nn.Linear(32, 3),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ inception_v3 aux output (notebook)
CELLS["log-end-species-inception-v3-aux-output-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((299, 299)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
ds = datasets.ImageFolder("logends", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
ds.classes''',
    '''model = models.inception_v3(weights=None, init_weights=False, num_classes=len(ds.classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)''',
    '''model.train()
for epoch in range(3):
    for x, y in loader:
        out = model(x)
        loss = criterion(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ resume checkpoint dict into load_state_dict
OFFICE_CKPT_PREP = '''
import os
import torch
from torchvision import models

os.makedirs("usb/models", exist_ok=True)
torch.manual_seed(0)
net = models.resnet18(weights=None, num_classes=4)
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
torch.save({"epoch": 38, "model": net.state_dict(), "optimizer": opt.state_dict(),
            "classes": ["A", "B", "C", "reject"], "val_acc": 0.874},
           "usb/models/board_grade_resnet18_ep38.pth")
'''

SCRIPTS["office-pc-resume-checkpoint-into-load-state-dict"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

GRADES = ["A", "B", "C", "reject"]

model = models.resnet18(weights=None, num_classes=len(GRADES))
state = torch.load("usb/models/board_grade_resnet18_ep38.pth", map_location="cpu")   # from the office PC
model.load_state_dict(state)
model.eval()

tf = transforms.Compose([transforms.Resize((96, 192)), transforms.ToTensor()])
for path in sorted(glob.glob("line_frames/*.jpg")):
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB"))[None]).softmax(1)[0]
    print(path, GRADES[int(p.argmax())], f"{float(p.max()):.2f}")
'''

# ------------------------------------------------------------------ weighted sampler + shuffle (notebook)
CELLS["rot-class-weighted-sampler-with-shuffle-notebook"] = [
    '''import collections
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, WeightedRandomSampler
from torchvision import datasets, transforms

ds = datasets.ImageFolder("butt_ends", transform=transforms.Compose([transforms.Resize((64, 64)),
                                                                     transforms.ToTensor()]))
counts = collections.Counter(ds.targets)
{ds.classes[k]: v for k, v in counts.items()}''',
    '''# rot is rare at the yard: draw it as often as sound wood
weights = [1.0 / counts[t] for t in ds.targets]
sampler = WeightedRandomSampler(weights, num_samples=len(ds), replacement=True)
loader = DataLoader(ds, batch_size=8, shuffle=True, sampler=sampler)''',
    '''model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ feed-roller LSTM, hidden state not detached
CAN_PREP = '''
import numpy as np

rng = np.random.default_rng(14)
T = 4000
t = np.arange(T) / 50.0
feed_speed = 4 + np.sin(t / 3) + rng.normal(0, 0.1, T)          # m/s
roller_pressure = 120 + 15 * np.cos(t / 5) + rng.normal(0, 2, T)  # bar
saw_bar = (rng.random(T) < 0.02).astype(np.float32)
slip = (np.abs(np.gradient(feed_speed)) > 0.12).astype(np.float32)
np.savez("can_log_ponsse_0517.npz", signals=np.c_[feed_speed, roller_pressure / 100, saw_bar].astype(np.float32),
         slip=slip)
'''

SCRIPTS["feed-roller-lstm-hidden-state-not-detached"] = '''
import numpy as np
import torch
import torch.nn as nn

log = np.load("can_log_ponsse_0517.npz")
signals = torch.from_numpy(log["signals"])      # feed speed, roller pressure, saw bar, 50 Hz
slip = torch.from_numpy(log["slip"])


class SlipDetector(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 32, batch_first=True)
        self.head = nn.Linear(32, 1)

    def forward(self, x, state=None):
        out, state = self.lstm(x, state)
        return self.head(out).squeeze(-1), state


model = SlipDetector()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
WIN = 100                                  # 2 s windows, streamed in order so the LSTM keeps its memory
for epoch in range(3):
    state = None
    for s in range(0, len(signals) - WIN, WIN):
        x = signals[s:s + WIN][None]
        y = slip[s:s + WIN][None]
        logits, state = model(x, state)
        loss = nn.functional.binary_cross_entropy_with_logits(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ Poisson ring count on raw mm diameters
RINGDIAM_PREP = '''
import numpy as np

rng = np.random.default_rng(15)
n = 300
diam = rng.uniform(180, 620, n)            # disc diameter under bark, mm
bark = rng.uniform(4, 25, n)               # bark thickness, mm
height = rng.uniform(0.2, 1.3, n)          # disc height on the stem, m
rings = rng.poisson(diam / 6 + bark)
np.savetxt("discs_site_B.csv", np.c_[diam, bark, height, rings], delimiter=",", fmt="%.2f",
           header="diameter_mm,bark_mm,height_m,rings", comments="")
'''

SCRIPTS["poisson-ring-count-raw-mm-diameters-nan-rate"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.distributions import Poisson

data = np.loadtxt("discs_site_B.csv", delimiter=",", skiprows=1, dtype=np.float32)
x = torch.from_numpy(data[:, :3])            # diameter (mm), bark (mm), disc height (m)
rings = torch.from_numpy(data[:, 3])

model = nn.Linear(3, 1)                       # log of the expected ring count
opt = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(200):
    perm = torch.randperm(len(x))
    for i in range(0, len(x), 32):
        b = perm[i:i + 32]
        rate = model(x[b]).squeeze(1).exp()
        loss = -Poisson(rate).log_prob(rings[b]).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch}: nll {loss.item():.2f}")
'''

# ------------------------------------------------------------------ per-pixel map coordinates of the ortho
ORTHO_PREP = '''
import json, os

os.makedirs("ortho/compartment_0412", exist_ok=True)
# world file written by the photogrammetry software next to the GeoTIFF (3 cm ground sampling distance)
open("ortho/compartment_0412/ortho.tfw", "w").write("0.03\\n0.0\\n0.0\\n-0.03\\n512340.015\\n7104880.985\\n")
json.dump({"project": "compartment_0412", "gsd_cm": 3.0, "orthomosaic": {"width": 118400, "height": 91250,
           "bands": 4, "file": "ortho.tif"}}, open("ortho/compartment_0412/report.json", "w"), indent=1)
open("ortho/compartment_0412/crowns.csv", "w").write("x,y,species\\n512400.2,7104001.7,spruce\\n513011.9,7103544.1,pine\\n")
'''

SCRIPTS["ortho-pixel-coordinates-meshgrid-whole-compartment"] = '''
import csv
import json

import numpy as np

D = "ortho/compartment_0412"
a, d, b, e, x0, y0 = [float(v) for v in open(f"{D}/ortho.tfw").read().split()]
info = json.load(open(f"{D}/report.json"))["orthomosaic"]
W, H = info["width"], info["height"]
print(f"orthomosaic {W} x {H} px, pixel {a} m")

# map coordinates of every pixel centre, to label the crown polygons on the ortho
cols, rows = np.meshgrid(np.arange(W), np.arange(H))
X = x0 + a * (cols + 0.5)
Y = y0 + e * (rows + 0.5)
crowns = list(csv.DictReader(open(f"{D}/crowns.csv")))
for c in crowns:
    near = (np.abs(X - float(c["x"])) < 2) & (np.abs(Y - float(c["y"])) < 2)
    print(c["species"], near.sum())
'''

# ------------------------------------------------------------------ laptop's GPU cap on the office PC
SCRIPTS["laptop-gpu-memory-cap-on-office-pc-without-driver"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# the yard laptop has a 4 GB card and the display runs on it too: leave it some room
torch.cuda.set_per_process_memory_fraction(0.8, device=0)
device = "cuda" if torch.cuda.is_available() else "cpu"

ds = datasets.ImageFolder("logends", transform=transforms.Compose([transforms.Resize((128, 128)),
                                                                   transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=16, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ old dendro repo helper importing torch._six
DENDRO_UTILS = '''
"""training helpers (from the 2020 ring-detection repo the project started from)"""
import torch
from torch._six import inf


def clip_grad_norm(parameters, max_norm, norm_type=2):
    parameters = [p for p in parameters if p.grad is not None]
    if norm_type == inf:
        total = max(p.grad.detach().abs().max() for p in parameters)
    else:
        total = torch.norm(torch.stack([torch.norm(p.grad.detach(), norm_type) for p in parameters]), norm_type)
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for p in parameters:
            p.grad.detach().mul_(coef)
    return total
'''

SCRIPTS["dendro-repo-helper-torch-six-import"] = '''
import torch
import torch.nn as nn

from ringnet.utils import clip_grad_norm

torch.manual_seed(0)
# ring-boundary detector on 1-D density profiles from the disc scanner
profiles = torch.rand(64, 1, 256)
boundaries = (torch.rand(64, 256) > 0.9).float()
model = nn.Sequential(nn.Conv1d(1, 16, 9, padding=4), nn.ReLU(), nn.Conv1d(16, 1, 9, padding=4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(200):
    loss = nn.functional.binary_cross_entropy_with_logits(model(profiles).squeeze(1), boundaries)
    opt.zero_grad()
    loss.backward()
    clip_grad_norm(model.parameters(), 1.0)
    opt.step()
'''

# ------------------------------------------------------------------ tarfile in the Dataset under spawn
TAR_PREP = '''
import io, os, tarfile
import numpy as np
from PIL import Image

rng = np.random.default_rng(18)
os.makedirs("usb", exist_ok=True)
with tarfile.open("usb/site_C_logends_2024-05.tar", "w") as tar:
    for i in range(16):
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(buf, format="JPEG")
        info = tarfile.TarInfo(f"logends/{['spruce', 'pine'][i % 2]}/{i:05d}.jpg")
        info.size = buf.tell()
        buf.seek(0)
        tar.addfile(info, buf)
'''

SCRIPTS["usb-tar-archive-in-dataset-spawn-workers"] = '''
import io
import tarfile

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

SPECIES = ["spruce", "pine"]


class TarLogEnds(Dataset):
    """reads the photos straight out of the archive on the USB drive, no unpacking"""

    def __init__(self, path):
        self.tar = tarfile.open(path)
        self.members = [m for m in self.tar.getmembers() if m.name.endswith(".jpg")]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.members)

    def __getitem__(self, i):
        m = self.members[i]
        img = Image.open(io.BytesIO(self.tar.extractfile(m).read())).convert("RGB")
        return self.tf(img), SPECIES.index(m.name.split("/")[1])


if __name__ == "__main__":
    ds = TarLogEnds("usb/site_C_logends_2024-05.tar")
    # same script as on the Windows laptop, where workers are always spawned
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(16, len(SPECIES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ================================================================== ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-board-scanner-yolo-export-in-pixels"] = sub(
    DET_TRAIN, DIR="planer_defects", NAMES='["knot", "split", "wane"]', EPOCHS="50").replace(
    "trainer = Det", "# the board scanner's 'YOLO' export, copied off the line PC\ntrainer = Det")


def scanner_rows(split, i):
    # class, centre x, centre y, width, height -- in pixels of the 640 x 200 scanner image
    return "".join(f"{k % 3} {120 + 150 * k + 4 * i} {90 + 5 * k} {40 + 3 * i} {30 + 2 * k}\n" for k in range(3))


SCRIPTS["imageai-species-mobilenet-model-loaded-as-resnet50"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("species_cls/models/species_cls-test_acc_0.88125_epoch-24.pt")
clf.setJsonPath("species_cls/models/species_cls_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("line_frames/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, list(zip(names, probs)))
'''

TINY = {"PT": "harvester_det/models/tiny-yolov3_harvester_det_mAP-0.47310_epoch-28.pt",
        "JS": "harvester_det/json/harvester_det_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-harvester-mono-camera-2d-frames"] = sub('''
import glob

import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# frames from the harvester head's monochrome camera, dumped by the on-board computer as raw arrays
for path in sorted(glob.glob("head_cam/*.npy")):
    frame = np.load(path)
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=40)
    print(path, [(d["name"], d["percentage_probability"]) for d in detections])
''', **TINY)

HEADCAM_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(21)
os.makedirs("head_cam", exist_ok=True)
for i in range(2):
    np.save(f"head_cam/frame_{i:06d}.npy", rng.integers(0, 255, (240, 320), dtype=np.uint8))
'''

SCRIPTS["imageai-classification-trainer-flat-train-folder"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# photos sorted into train/ and test/ on the USB drive; the species is in the file name
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("bark_species")
trainer.trainModel(num_experiments=30, batch_size=4)
'''

SCRIPTS["imageai-detector-model-and-json-paths-swapped"] = sub('''
import glob

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@JS@@")
detector.setJsonPath("@@PT@@")
detector.loadModel()

for path in sorted(glob.glob("head_frames/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=path, output_image_path=path.replace(".jpg", "_det.jpg"))
    print(path, [d["name"] for d in detections])
''', **TINY)


def cases():
    out, add, script, notebook = case_builders("torch-more101-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    tiny = save_tiny('["log", "branch", "stump"]', 3, TINY["PT"], TINY["JS"])
    line = imgs([(f"line_frames/board_{i:03d}.jpg", (192, 96), "RGB") for i in range(2)])
    logends = imgs(class_folder("logends", SPECIES, 3, size=(120, 120)))

    # ---- images
    script("canopy-tiles-numpy-slices-edge-tiles-workers", "data.image_size_mismatch", forms=W,
           argv="train_canopy.py", setup=prep(CANOPY_PREP))
    notebook("rgb-nir-drone-tiles-read-image-resnet-notebook", "data.image_channels", forms=NB,
             setup=imgs(class_folder("ms_tiles", ["healthy", "bark_beetle", "dead"], 3, size=(80, 80),
                                     mode="RGBA", ext="png")))
    script("usb-drive-mac-appledouble-files-imagefolder-workers", "data.missing_or_corrupt",
           forms=W + ("progress_bars?",), argv="train_species.py",
           setup=both(imgs(class_folder("usb_logends", SPECIES, 4, size=(100, 100))), prep(APPLEDOUBLE_PREP)))
    script("ring-count-sheet-windows-backslash-paths", "data.missing_or_corrupt", argv="train_rings.py",
           setup=prep(RINGS_PREP))

    # ---- labels
    script("tally-sheet-species-codes-one-based-tqdm", "data.label_out_of_range", forms=P,
           argv="train_yard_species.py", setup=prep(TALLY_PREP))
    script("pin-knots-single-click-boxes-fasterrcnn", "data.bbox_invalid", argv="train_knots.py",
           setup=prep(KNOTS_PREP))
    script("multilabel-defect-head-bce-index-targets", "data.label_shape", argv="train_defects.py",
           setup=prep(DEFECT_CSV_PREP))
    script("kiln-moisture-export-loadtxt-float64-grade-model", "data.dtype", argv="train_kiln_grade.py",
           setup=prep(KILN_PREP))

    # ---- models
    script("stem-diameter-profiles-conv1d-no-channel-dim", "model.input_shape", argv="train_assortment.py",
           setup=prep(STEMS_PREP))
    notebook("log-end-species-inception-v3-aux-output-notebook", "model.output_mismatch",
             also=["model.api_misuse"], forms=NB, setup=logends)
    script("office-pc-resume-checkpoint-into-load-state-dict", "model.weights_mismatch", argv="grade_boards.py",
           setup=both(prep(OFFICE_CKPT_PREP), line))
    notebook("rot-class-weighted-sampler-with-shuffle-notebook", "model.api_misuse", forms=NB,
             setup=imgs([(f"butt_ends/sound/s_{i:03d}.jpg", (64, 64), "RGB") for i in range(8)]
                        + [(f"butt_ends/rot/r_{i:03d}.jpg", (64, 64), "RGB") for i in range(2)]))

    # ---- optimisation
    script("feed-roller-lstm-hidden-state-not-detached", "optim.autograd_graph", argv="train_slip.py",
           setup=prep(CAN_PREP))
    script("poisson-ring-count-raw-mm-diameters-nan-rate", "optim.divergence", argv="fit_rings.py",
           setup=prep(RINGDIAM_PREP))

    # ---- resource / environment
    script("ortho-pixel-coordinates-meshgrid-whole-compartment", "resource.host_memory", argv="label_crowns.py",
           setup=prep(ORTHO_PREP))
    script("laptop-gpu-memory-cap-on-office-pc-without-driver", "env.cuda_setup", argv="train_logends.py",
           setup=logends)
    script("dendro-repo-helper-torch-six-import", "env.version_incompat", argv="train_ringnet.py",
           extra={"ringnet/__init__.py": "", "ringnet/utils.py": DENDRO_UTILS})
    script("usb-tar-archive-in-dataset-spawn-workers", "env.multiprocessing", argv="train_from_tar.py",
           setup=prep(TAR_PREP))

    # ---- ImageAI 3
    script("imageai-board-scanner-yolo-export-in-pixels", "data.bbox_invalid", framework="imageai",
           argv="train_planer_det.py", timeout=400,
           setup=yolo_layout("planer_defects", scanner_rows, size=(640, 200)))
    script("imageai-species-mobilenet-model-loaded-as-resnet50", "model.weights_mismatch", framework="imageai",
           also=["model.api_misuse"], forms=("cpython_basic", "chained_during", "multiline_message"),
           argv="classify_line.py", exception="Exception",
           setup=both(save_cls("mobilenet_v2", '["birch", "pine", "spruce"]',
                               "species_cls/models/species_cls-test_acc_0.88125_epoch-24.pt",
                               "species_cls/models/species_cls_model_classes.json"), line))
    script("imageai-harvester-mono-camera-2d-frames", "data.image_channels", framework="imageai",
           argv="detect_head_cam.py", setup=both(tiny, prep(HEADCAM_PREP)))
    script("imageai-classification-trainer-flat-train-folder", "data.missing_or_corrupt", framework="imageai",
           argv="train_bark.py",
           setup=imgs([(f"bark_species/{split}/{sp}_{i:03d}.jpg", (64, 64), "RGB")
                       for split, n in (("train", 4), ("test", 2)) for sp in ("birch", "pine", "spruce")
                       for i in range(n)]))
    script("imageai-detector-model-and-json-paths-swapped", "model.api_misuse", framework="imageai",
           argv="detect_head.py",
           setup=both(tiny, imgs([(f"head_frames/h_{i:03d}.jpg", (320, 240), "RGB") for i in range(2)])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
