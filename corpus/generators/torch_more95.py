"""A ninety-fifth held-out set (g179, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: electronics-manufacturing engineers building PCB and solder-joint inspection in PyTorch and ImageAI
3.0.3 -- greyscale automated-optical-inspection (AOI) images (8- and 16-bit), golden-sample comparisons, anomaly
detection with autoencoders and PatchCore-like nearest-neighbour feature banks, component-level defect detectors,
tiny defect classes, huge panel images tiled into patches, label exports from the AOI machine (CSV with component
ids and offsets), and models run on the line PC. About a quarter of the cases use ImageAI 3. A natural mix of
causes, each program built so that its cause is known by construction and made to fail inside torch, torchvision,
ImageAI, PIL, NumPy or multiprocessing:

- AOI images: 8-bit greyscale solder-joint crops through an ImageNet ``Normalize`` (notebook, data.image_channels);
  a panel tiled on a 256 px grid whose right / bottom edge tiles come out smaller (workers,
  data.image_size_mismatch); the AOI export listing components whose images the machine never saved (workers,
  data.missing_or_corrupt); uint8 defect masks given to ``BCEWithLogitsLoss`` (data.dtype); the whole panel's
  overlapping tiles preallocated as float32 (resource.host_memory);
- labels: the AOI defect codes (1..5) used as class ids (tqdm, data.label_out_of_range); an NG / OK head with one
  logit and a ``[batch]`` target (data.label_shape); component boxes from board coordinates (y up) given to Faster
  R-CNN with y1 > y2 (data.bbox_invalid);
- anomaly models: a linear-bottleneck autoencoder trained on 64 px crops scoring a 128 px tile (notebook,
  model.input_shape); a conv autoencoder whose decoder returns 125 px for 128 px tiles (model.output_mismatch); a
  golden-sample embedding computed once outside the loop (optim.autograd_graph); 16-bit raw counts into an SGD
  autoencoder, the threshold histogram of NaN errors (optim.divergence); ``Normalize`` before ``ToTensor`` for the
  golden comparison (model.api_misuse);
- line PC: a checkpoint saved from ``nn.DataParallel`` (model.weights_mismatch); the inspection script's ``cuda``
  default on the CPU-only line PC (env.cuda_setup); the AOI results database connection held by the Dataset under
  spawn workers (env.multiprocessing); the PatchCore memory bank saved as a NumPy array and loaded under torch's
  ``weights_only`` default (env.version_incompat);
- ImageAI 3: the detection trainer on YOLO labels exported with the AOI confidence as a sixth column
  (data.bbox_invalid), on a solder-bridge set with three boxes (anchor k-means, data.too_few_boxes), on the AOI's
  1-based defect codes (data.label_out_of_range); the line PC's classifier given ResNet-50 weights as MobileNetV2
  (model.weights_mismatch); the solder-joint classifier trainer on an export without a ``test`` split
  (data.missing_or_corrupt).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more95.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more95.py"

SCRIPTS = {}
CELLS = {}

DEFECTS = ["solder_bridge", "insufficient", "missing", "shifted", "tombstone"]

# ------------------------------------------------------------------ AOI export: crops + CSV
AOI_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("aoi/crops", exist_ok=True)
rows = []
for i in range(@@N@@):
    board = f"PNL2417-{i // 8:02d}"
    refdes = ["R", "C", "U", "D"][i % 4] + str(10 + i)
    name = f"{board}_{refdes}.png"
    code = 0 if i % 3 else 1 + (i * 7) % 5           # 0 = pass, 1..5 = AOI defect codes
    saved = @@SAVE_ALL@@ or code != 0 or i < 4
    if saved:
        if "@@BITS@@" == "16":
            arr = (rng.integers(0, 4096, (64, 64)) * 16).astype(np.uint16)
            Image.fromarray(arr).save(f"aoi/crops/{name}")
        else:
            Image.fromarray(rng.integers(0, 255, (64, 64), dtype=np.uint8), "L").save(f"aoi/crops/{name}")
    rows.append((board, refdes, name, f"{rng.uniform(-0.2, 0.2):.3f}", f"{rng.uniform(-0.2, 0.2):.3f}",
                 "NG" if code else "OK", code))
with open("aoi/aoi_export.csv", "w", newline="") as f:
    csv.writer(f).writerows([("board_id", "refdes", "image", "x_offset_mm", "y_offset_mm", "result",
                              "defect_code")] + rows)
'''


def aoi(n=24, save_all=True, bits="8"):
    return prep(sub(AOI_PREP, N=str(n), SAVE_ALL=str(save_all), BITS=bits))


CELLS["aoi-greyscale-crops-imagenet-normalize-notebook"] = [
    '''import csv
import torch
from PIL import Image
from torchvision import models, transforms

rows = list(csv.DictReader(open("aoi/aoi_export.csv")))
tf = transforms.Compose([
    transforms.Resize((96, 96)),
    transforms.ToTensor(),
    transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])
len(rows), rows[0]''',
    '''x = torch.stack([tf(Image.open(f"aoi/crops/{r['image']}")) for r in rows])
y = torch.tensor([int(r["result"] == "NG") for r in rows])
x.shape''',
    '''model = models.resnet18(weights=None, num_classes=2)
loss = torch.nn.functional.cross_entropy(model(x), y)
loss.backward()''',
]

SCRIPTS["aoi-defect-codes-1-based-cross-entropy-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

DEFECTS = @@DEFECTS@@


class NgCrops(Dataset):
    """only the NG components: classify which defect the AOI flagged"""

    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = [r for r in csv.DictReader(f) if r["result"] == "NG"]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"aoi/crops/{r['image']}")), int(r["defect_code"])


loader = DataLoader(NgCrops("aoi/aoi_export.csv"), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, len(DEFECTS)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/20"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''.replace("@@DEFECTS@@", repr(DEFECTS))

SCRIPTS["solder-joint-ng-single-logit-bce-target-shape"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class SolderJoints(Dataset):
    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"aoi/crops/{r['image']}")), float(r["result"] == "NG")


model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))      # one logit: NG vs OK
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(3.0))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(15):
    for x, y in DataLoader(SolderJoints("aoi/aoi_export.csv"), batch_size=8, shuffle=True):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["aoi-export-ng-only-images-missing-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class AoiCrops(Dataset):
    def __init__(self, csv_path, root):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"{self.root}/{r['image']}")
        return self.tf(img), int(r["result"] == "NG")


if __name__ == "__main__":
    ds = AoiCrops("aoi/aoi_export.csv", "aoi/crops")
    print(f"{len(ds)} components in the export")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(16, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

SCRIPTS["aoi-db-sqlite-connection-in-dataset-spawn-workers"] = '''
import io
import sqlite3

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class AoiResults(Dataset):
    """reads crops straight from the AOI machine's results database (copied to the line PC nightly)"""

    def __init__(self, db_path):
        self.con = sqlite3.connect(db_path)
        self.ids = [r[0] for r in self.con.execute("SELECT id FROM inspections ORDER BY id")]
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        png, ng = self.con.execute("SELECT crop_png, ng FROM inspections WHERE id = ?", (self.ids[i],)).fetchone()
        return self.tf(Image.open(io.BytesIO(png))), ng


def main():
    # the line PC runs Windows: DataLoader workers are started with spawn
    loader = DataLoader(AoiResults("aoi/results.db"), batch_size=8, shuffle=True, num_workers=2,
                        multiprocessing_context="spawn")
    model = nn.Sequential(nn.Conv2d(1, 8, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(8, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
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

DB_PREP = '''
import io, os, sqlite3
import numpy as np
from PIL import Image

os.makedirs("aoi", exist_ok=True)
rng = np.random.default_rng(2)
con = sqlite3.connect("aoi/results.db")
con.execute("CREATE TABLE inspections (id INTEGER PRIMARY KEY, refdes TEXT, crop_png BLOB, ng INTEGER)")
for i in range(16):
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (48, 48), dtype=np.uint8), "L").save(buf, format="PNG")
    con.execute("INSERT INTO inspections VALUES (?, ?, ?, ?)", (i, f"C{100 + i}", buf.getvalue(), i % 4 == 0))
con.commit()
'''

# ------------------------------------------------------------------ panels and tiles
PANEL_PREP = '''
import os
import numpy as np
from PIL import Image

os.makedirs("panels", exist_ok=True)
rng = np.random.default_rng(9)
for i in range(2):
    Image.fromarray(rng.integers(0, 255, (700, 1000), dtype=np.uint8), "L").save(f"panels/panel_{i:03d}.png")
'''

SCRIPTS["panel-grid-tiles-edge-remainder-workers"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader

TILE = 256


class PanelTiles(Dataset):
    """every full AOI panel scan cut into 256 x 256 tiles on a grid"""

    def __init__(self, paths):
        self.panels = [np.asarray(Image.open(p)) for p in paths]
        self.index = []
        for k, panel in enumerate(self.panels):
            h, w = panel.shape
            for y in range(0, h, TILE):
                for x in range(0, w, TILE):
                    self.index.append((k, y, x))

    def __len__(self):
        return len(self.index)

    def __getitem__(self, i):
        k, y, x = self.index[i]
        tile = self.panels[k][y:y + TILE, x:x + TILE]
        return torch.from_numpy(tile.astype(np.float32) / 255.0).unsqueeze(0)


if __name__ == "__main__":
    ds = PanelTiles(sorted(glob.glob("panels/*.png")))
    print(f"{len(ds)} tiles")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    ae = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
                       nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1), nn.Sigmoid())
    opt = torch.optim.Adam(ae.parameters(), lr=1e-3)
    for epoch in range(10):
        for x in loader:
            loss = nn.functional.mse_loss(ae(x), x)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

SCRIPTS["panel-overlapping-tiles-preallocated-float32"] = '''
import json

import numpy as np
from PIL import Image

meta = json.load(open("panels/PNL2417_scan.json"))
H, W = meta["height_px"], meta["width_px"]
TILE, STRIDE = 512, 64          # heavy overlap so the anomaly map has no seams
ny, nx = (H - TILE) // STRIDE + 1, (W - TILE) // STRIDE + 1
print(f"panel {meta['panel']}: {W} x {H} px -> {ny * nx} tiles")

# every tile as a 3-channel float32 patch for the PatchCore backbone
tiles = np.zeros((ny * nx, 3, TILE, TILE), dtype=np.float32)
panel = np.asarray(Image.open(meta["file"]), dtype=np.float32) / 65535.0
'''

PANEL_META = '''
import json, os
os.makedirs("panels", exist_ok=True)
json.dump({"panel": "PNL2417", "file": "panels/PNL2417_scan.tif", "width_px": 12000, "height_px": 9000,
           "bits": 16, "um_per_px": 12.5}, open("panels/PNL2417_scan.json", "w"))
'''

# ------------------------------------------------------------------ defect masks
MASK_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("masks/images", exist_ok=True)
os.makedirs("masks/labels", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (64, 64), dtype=np.uint8), "L").save(f"masks/images/j_{i:03d}.png")
    m = np.zeros((64, 64), np.uint8)
    m[20 + i:30 + i, 10:40] = 1                    # void / bridge region painted in the labelling tool
    Image.fromarray(m, "L").save(f"masks/labels/j_{i:03d}.png")
'''

SCRIPTS["solder-void-masks-uint8-bce-with-logits"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader


class VoidMasks(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        p = self.images[i]
        x = torch.from_numpy(np.asarray(Image.open(p), dtype=np.float32) / 255.0).unsqueeze(0)
        m = torch.from_numpy(np.array(Image.open(f"{self.root}/labels/{os.path.basename(p)}"))).unsqueeze(0)
        return x, m


net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                    nn.Conv2d(16, 1, 1))
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(10):
    for x, m in DataLoader(VoidMasks("masks"), batch_size=4, shuffle=True):
        loss = criterion(net(x), m)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ component boxes from the AOI CSV
BOX_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("boards", exist_ok=True)
rows = []
for b in range(3):
    Image.fromarray(rng.integers(0, 255, (240, 320), dtype=np.uint8), "L").save(f"boards/board_{b}.png")
    for k, (part, cx, cy, w, h) in enumerate([("C", 60, 50, 20, 10), ("R", 150, 120, 16, 8),
                                              ("U", 240, 170, 48, 48)]):
        # centroid in board millimetres (origin bottom-left, y up), 0.1 mm per px on the scan
        rows.append((f"board_{b}.png", f"{part}{b}{k}", f"{cx / 10:.1f}", f"{cy / 10:.1f}", f"{w / 10:.1f}",
                     f"{h / 10:.1f}", 1 + (b + k) % 3))
with open("boards/components.csv", "w", newline="") as f:
    csv.writer(f).writerows([("image", "refdes", "x_mm", "y_mm", "len_mm", "wid_mm", "class_id")] + rows)
'''

SCRIPTS["fasterrcnn-components-board-coords-y-up"] = '''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

PX_PER_MM = 10
comps = defaultdict(list)
for r in csv.DictReader(open("boards/components.csv")):
    comps[r["image"]].append(r)


def target_for(rows):
    boxes = []
    for r in rows:
        cx, cy = float(r["x_mm"]) * PX_PER_MM, float(r["y_mm"]) * PX_PER_MM
        w, h = float(r["len_mm"]) * PX_PER_MM, float(r["wid_mm"]) * PX_PER_MM
        # top / bottom edge of the body in board coordinates
        boxes.append([cx - w / 2, cy + h / 2, cx + w / 2, cy - h / 2])
    return {"boxes": torch.tensor(boxes), "labels": torch.tensor([int(r["class_id"]) for r in rows])}


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
for epoch in range(5):
    for name, rows in comps.items():
        img = TF.to_tensor(Image.open(f"boards/{name}").convert("RGB"))
        losses = model([img], [target_for(rows)])
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ anomaly models
CELLS["linear-bottleneck-ae-64px-scores-128px-tile-notebook"] = [
    '''import glob
import numpy as np
import torch
import torch.nn as nn
from PIL import Image

crops = torch.stack([torch.from_numpy(np.asarray(Image.open(p), dtype=np.float32) / 255.0)[None, :64, :64]
                     for p in sorted(glob.glob("aoi/crops/*.png"))])
ae = nn.Sequential(nn.Flatten(), nn.Linear(64 * 64, 128), nn.ReLU(), nn.Linear(128, 64 * 64), nn.Sigmoid(),
                   nn.Unflatten(1, (1, 64, 64)))
opt = torch.optim.Adam(ae.parameters(), lr=1e-3)
for step in range(30):
    loss = nn.functional.mse_loss(ae(crops), crops)
    opt.zero_grad()
    loss.backward()
    opt.step()
loss.item()''',
    '''# score the 128 x 128 tile around U12 from today's panel
tile = torch.from_numpy(np.asarray(Image.open("panels/U12_tile.png"), dtype=np.float32) / 255.0)[None, None]
with torch.no_grad():
    err = (ae(tile) - tile).pow(2).mean()
err''',
]

TILE_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("panels", exist_ok=True)
Image.fromarray(np.random.default_rng(1).integers(0, 255, (128, 128), dtype=np.uint8), "L").save("panels/U12_tile.png")
'''

SCRIPTS["conv-ae-decoder-125px-for-128px-tiles"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader


class GoodTiles(Dataset):
    """only defect-free tiles: the autoencoder learns what a good board looks like"""

    def __init__(self, pattern):
        self.paths = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.paths[i]).resize((128, 128)), dtype=np.float32) / 255.0
        return torch.from_numpy(img).unsqueeze(0)


class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 5, stride=2), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(32, 16, 5, stride=2), nn.ReLU(),
                                 nn.ConvTranspose2d(16, 1, 5, stride=2), nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x))


ae = ConvAE()
opt = torch.optim.Adam(ae.parameters(), lr=1e-3)
for epoch in range(20):
    for x in DataLoader(GoodTiles("aoi/crops/*.png"), batch_size=8, shuffle=True):
        loss = nn.functional.mse_loss(ae(x), x)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

GOLDEN_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(12)
os.makedirs("golden", exist_ok=True)
Image.fromarray(rng.integers(0, 255, (64, 64), dtype=np.uint8), "L").save("golden/rev_C_golden_U7.png")
'''

SCRIPTS["golden-sample-embedding-computed-once-outside-loop"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader


def load(path):
    return torch.from_numpy(np.asarray(Image.open(path).resize((64, 64)), dtype=np.float32) / 255.0).unsqueeze(0)


class Joints(Dataset):
    def __init__(self):
        self.rows = list(csv.DictReader(open("aoi/aoi_export.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return load(f"aoi/crops/{r['image']}"), float(r["result"] == "NG")


embed = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 16))
opt = torch.optim.Adam(embed.parameters(), lr=1e-3)

# the golden sample of this component (rev C board) embedded once
golden = embed(load("golden/rev_C_golden_U7.png").unsqueeze(0))

for epoch in range(10):
    for x, ng in DataLoader(Joints(), batch_size=8, shuffle=True):
        dist = (embed(x) - golden).pow(2).sum(1)
        # contrastive: OK joints close to golden, NG joints at least a margin away
        loss = ((1 - ng) * dist + ng * torch.relu(4.0 - dist)).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["ae-16bit-raw-counts-sgd-threshold-histogram"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

# 16-bit AOI crops (12-bit sensor shifted up), taken as they come
x = torch.stack([torch.from_numpy(np.asarray(Image.open(p)).astype(np.float32)).flatten()
                 for p in sorted(glob.glob("aoi/crops/*.png"))])
print(x.shape, x.min().item(), x.max().item())

ae = nn.Sequential(nn.Linear(64 * 64, 256), nn.ReLU(), nn.Linear(256, 64 * 64))
opt = torch.optim.SGD(ae.parameters(), lr=0.1, momentum=0.9)
for epoch in range(20):
    recon = ae(x)
    loss = nn.functional.mse_loss(recon, x)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        err = (ae(x) - x).pow(2).mean(1)
        hist = torch.histc(err, bins=50)           # the threshold is set from the error histogram
        threshold = err.quantile(0.99)
    print(f"epoch {epoch} loss {loss.item():.1f} threshold {threshold.item():.1f}")
'''

SCRIPTS["golden-compare-normalize-before-totensor"] = '''
import csv

import torch
from PIL import Image
from torchvision import transforms

tf = transforms.Compose([
    transforms.Resize((64, 64)),
    transforms.Normalize(mean=[0.5], std=[0.25]),
    transforms.ToTensor(),
])

golden = tf(Image.open("golden/rev_C_golden_U7.png"))
for r in csv.DictReader(open("aoi/aoi_export.csv")):
    x = tf(Image.open(f"aoi/crops/{r['image']}"))
    diff = (x - golden).abs()
    print(r["refdes"], f"{diff.mean().item():.3f}")
'''

# ------------------------------------------------------------------ line PC
DP_CKPT = '''
import os
import torch
import torch.nn as nn

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
net = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 2))
# trained on the 4-GPU server with nn.DataParallel
torch.save(nn.DataParallel(net).state_dict(), "models/solder_ngok_v12.pt")
'''

SCRIPTS["line-pc-dataparallel-checkpoint-module-prefix"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms

net = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 2))
net.load_state_dict(torch.load("models/solder_ngok_v12.pt", map_location="cpu"))
net.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
for r in csv.DictReader(open("aoi/aoi_export.csv")):
    with torch.no_grad():
        p = net(tf(Image.open(f"aoi/crops/{r['image']}")).unsqueeze(0)).softmax(1)[0, 1]
    print(r["board_id"], r["refdes"], "NG" if p > 0.5 else "OK")
'''

SCRIPTS["line-pc-inspect-device-cuda-default"] = '''
import argparse
import csv

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms

ap = argparse.ArgumentParser(description="re-inspect AOI NG calls on the line PC")
ap.add_argument("--export", default="aoi/aoi_export.csv")
ap.add_argument("--device", default="cuda")
args = ap.parse_args()

net = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 2))
net.load_state_dict(torch.load("models/solder_ngok_v12.pt", map_location="cpu"))
net.to(args.device).eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
for r in csv.DictReader(open(args.export)):
    x = tf(Image.open(f"aoi/crops/{r['image']}")).unsqueeze(0).to(args.device)
    with torch.no_grad():
        print(r["refdes"], net(x).argmax(1).item())
'''

PLAIN_CKPT = DP_CKPT.replace("nn.DataParallel(net).state_dict()", "net.state_dict()")

BANK_PREP = '''
import os
import numpy as np
import torch

os.makedirs("patchcore", exist_ok=True)
rng = np.random.default_rng(0)
bank = rng.standard_normal((2000, 128)).astype(np.float32)          # coreset of layer2+layer3 patch features
torch.save({"memory_bank": bank, "threshold": float(np.quantile(rng.random(100), 0.99)),
            "backbone": "resnet18", "layers": ["layer2", "layer3"]}, "patchcore/bank_PNL2417_revC.pt")
'''

SCRIPTS["patchcore-numpy-memory-bank-torch-load"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torchvision import models

state = torch.load("patchcore/bank_PNL2417_revC.pt")
bank = torch.as_tensor(state["memory_bank"])
backbone = models.resnet18(weights=None).eval()


def patch_features(x):
    x = backbone.maxpool(backbone.relu(backbone.bn1(backbone.conv1(x))))
    f2 = backbone.layer2(backbone.layer1(x))
    return f2.flatten(2).transpose(1, 2)[0]


for p in sorted(glob.glob("aoi/crops/*.png")):
    x = torch.from_numpy(np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255.0).permute(2, 0, 1)
    with torch.no_grad():
        score = torch.cdist(patch_features(x[None]), bank).min(1).values.max()
    print(p, score.item() > state["threshold"])
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

SCRIPTS["imageai-aoi-yolo-export-confidence-column"] = sub(
    DET_TRAIN, DIR="pcb_defects", NAMES='["solder_bridge", "missing", "tombstone"]', EPOCHS="50").replace(
    "trainer = Det", "# labels exported by the AOI review station's 'YOLO' export\ntrainer = Det")
SCRIPTS["imageai-solder-bridge-three-boxes"] = sub(
    DET_TRAIN, DIR="bridges", NAMES='["solder_bridge"]', EPOCHS="30")
SCRIPTS["imageai-aoi-defect-codes-1-based"] = sub(
    DET_TRAIN, DIR="pcb_defects", NAMES="DEFECTS", EPOCHS="50").replace(
    "trainer = Det", "# the AOI's defect codes: 1 solder_bridge, 2 missing, 3 tombstone\n"
    'DEFECTS = ["solder_bridge", "missing", "tombstone"]\n\ntrainer = Det')

SCRIPTS["imageai-line-pc-classifier-resnet50-weights-as-mobilenet"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("line_models/solder_joints_resnet50-test_acc_0.96_epoch-38.pt")
clf.setJsonPath("line_models/solder_joints_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("today/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=1)
    print(path, names[0], probs[0])
'''

SCRIPTS["imageai-solder-classifier-no-test-split"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("solder_joints")
trainer.trainModel(num_experiments=20, batch_size=4)
'''


def conf_rows(split, i):
    # class cx cy w h confidence -- the review station appends the AOI's confidence
    rnd = [(0, 0.30, 0.40, 0.08, 0.05, 0.97), (1, 0.62, 0.55, 0.06, 0.04, 0.88), (2, 0.45, 0.62, 0.05, 0.09, 0.91)]
    a, b = rnd[i % 3], rnd[(i + 1) % 3]
    return "".join(f"{c} {x:.4f} {y:.4f} {w:.4f} {h:.4f} {p:.2f}\n" for c, x, y, w, h, p in (a, b))


def code_rows(split, i):
    # AOI defect codes written as the class column: 1..3 instead of 0..2
    rnd = [(1, 0.30, 0.40, 0.08, 0.05), (2, 0.62, 0.55, 0.06, 0.04), (3, 0.45, 0.62, 0.05, 0.09)]
    a, b = rnd[i % 3], rnd[(i + 1) % 3]
    return "".join(f"{c} {x:.4f} {y:.4f} {w + 0.011 * i + 0.004 * k:.4f} {h + 0.007 * i + 0.003 * k:.4f}\n"
                   for k, (c, x, y, w, h) in enumerate((a, b)))


def bridge_rows(split, i):
    # solder bridges are rare: three boxed in the whole set
    boxed = {("train", 0): "0 0.410000 0.520000 0.030000 0.020000\n",
             ("train", 3): "0 0.655000 0.305000 0.040000 0.018000\n",
             ("validation", 1): "0 0.250000 0.700000 0.028000 0.022000\n"}
    return boxed.get((split, i), "")


CLS_PREP = '''
import json, os
import torch
import torch.nn as nn
from torchvision.models import resnet50

os.makedirs("line_models", exist_ok=True)
torch.manual_seed(0)
m = resnet50(weights=None)
m.fc = nn.Linear(m.fc.in_features, 3)
torch.save(m.state_dict(), "line_models/solder_joints_resnet50-test_acc_0.96_epoch-38.pt")
json.dump({"0": "good", "1": "insufficient", "2": "solder_bridge"},
          open("line_models/solder_joints_model_classes.json", "w"))
'''


def cases():
    out, add, script, notebook = case_builders("torch-more95-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    golden = prep(GOLDEN_PREP)

    # ---- AOI crops and exports
    notebook("aoi-greyscale-crops-imagenet-normalize-notebook", "data.image_channels", forms=NB, setup=aoi())
    script("aoi-defect-codes-1-based-cross-entropy-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, argv="train_defect_types.py", setup=aoi(n=40))
    script("solder-joint-ng-single-logit-bce-target-shape", "data.label_shape", also=["model.output_mismatch"],
           argv="train_ngok.py", setup=aoi())
    script("aoi-export-ng-only-images-missing-workers", "data.missing_or_corrupt", forms=W,
           argv="train_aoi_crops.py", setup=aoi(save_all=False))
    script("aoi-db-sqlite-connection-in-dataset-spawn-workers", "env.multiprocessing", argv="train_from_db.py",
           setup=prep(DB_PREP))
    script("solder-void-masks-uint8-bce-with-logits", "data.dtype", argv="train_voids.py", setup=prep(MASK_PREP))

    # ---- panels
    script("panel-grid-tiles-edge-remainder-workers", "data.image_size_mismatch", forms=W,
           argv="train_panel_ae.py", setup=prep(PANEL_PREP))
    script("panel-overlapping-tiles-preallocated-float32", "resource.host_memory", argv="tile_panel.py",
           setup=prep(PANEL_META))
    script("fasterrcnn-components-board-coords-y-up", "data.bbox_invalid", argv="train_components.py",
           setup=prep(BOX_PREP))

    # ---- anomaly models
    notebook("linear-bottleneck-ae-64px-scores-128px-tile-notebook", "model.input_shape", forms=NB,
             setup=both(aoi(n=12), prep(TILE_PREP)))
    script("conv-ae-decoder-125px-for-128px-tiles", "model.output_mismatch", also=["model.input_shape"],
           argv="train_conv_ae.py", setup=aoi(n=12))
    script("golden-sample-embedding-computed-once-outside-loop", "optim.autograd_graph", argv="train_golden.py",
           setup=both(aoi(), golden))
    script("ae-16bit-raw-counts-sgd-threshold-histogram", "optim.divergence", also=["data.dtype"],
           argv="train_ae16.py", setup=aoi(n=16, bits="16"))
    script("golden-compare-normalize-before-totensor", "model.api_misuse", argv="compare_golden.py",
           setup=both(aoi(n=6), golden))

    # ---- line PC
    script("line-pc-dataparallel-checkpoint-module-prefix", "model.weights_mismatch", argv="inspect_line.py",
           setup=both(aoi(n=6), prep(DP_CKPT)))
    script("line-pc-inspect-device-cuda-default", "env.cuda_setup", also=["env.device_mismatch"],
           argv="inspect_line.py", setup=both(aoi(n=6), prep(PLAIN_CKPT)))
    script("patchcore-numpy-memory-bank-torch-load", "env.version_incompat", also=["model.weights_mismatch"],
           argv="score_patchcore.py", setup=both(aoi(n=4), prep(BANK_PREP)))

    # ---- ImageAI 3
    script("imageai-aoi-yolo-export-confidence-column", "data.bbox_invalid", framework="imageai",
           argv="train_pcb_defects.py", timeout=400,
           setup=yolo_layout("pcb_defects", conf_rows, size=(320, 240)))
    script("imageai-solder-bridge-three-boxes", "data.too_few_boxes", framework="imageai",
           argv="train_bridges.py", timeout=400, setup=yolo_layout("bridges", bridge_rows, size=(320, 240)))
    script("imageai-aoi-defect-codes-1-based", "data.label_out_of_range", also=["model.output_mismatch"],
           framework="imageai", forms=P, argv="train_pcb_defects.py", timeout=400,
           setup=yolo_layout("pcb_defects", code_rows, size=(320, 240)))
    script("imageai-line-pc-classifier-resnet50-weights-as-mobilenet", "model.weights_mismatch",
           also=["model.api_misuse"], framework="imageai", argv="classify_line.py",
           exception="Exception",  # ImageAI re-raises the load_state_dict RuntimeError as Exception
           setup=both(prep(CLS_PREP), imgs([(f"today/joint_{i:03d}.jpg", (96, 96), "RGB") for i in range(2)])))
    script("imageai-solder-classifier-no-test-split", "data.missing_or_corrupt", framework="imageai",
           argv="train_solder_cls.py", timeout=400,
           setup=imgs(class_folder("solder_joints/train", ["good", "insufficient", "solder_bridge"], 3,
                                   size=(64, 64))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
