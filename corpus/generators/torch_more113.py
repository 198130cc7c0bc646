"""A hundred-and-thirteenth held-out set (g210, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of PyTorch training failures: drone and aerial survey operators.

The persona: drone and aerial survey operators -- roof inspections for roofers and insurers, thermal and RGB
flights over solar farms (DJI H20T radiometric frames, panel-defect reports from the inspection platform),
multispectral crop-row flights with a Mavic 3M (separate band TIFFs, NDVI), weekly construction-progress flights,
flood mapping from orthomosaics after the river came over the banks -- who stitch their flights in WebODM / Pix4D,
cut the orthomosaics and DSMs into tiles (gdal2tiles, MBTiles, their own tilers) and train detectors, segmenters and
classifiers with torchvision models and hand-written loops on an office workstation and a field laptop, with a few
ImageAI 3.0.3 trainers and classifiers. Untargeted across the taxonomy; each program is built so that its cause is
known by construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy, sqlite3 / pickle or
multiprocessing:

- tiles and images: the same 2 m cell cut from two weekly orthomosaics flown at different heights (so different
  ground sampling distances) and stacked with ``torch.cat`` (workers, data.image_size_mismatch); DSM hillshade tiles
  from gdal2tiles, grey + alpha PNGs, into a one-band stem (tqdm, data.image_channels); a label CSV built from the
  planning grid over the field's bounding box, whose all-nodata corner tiles the tiler never wrote (workers, tqdm,
  data.missing_or_corrupt); Mavic 3M NDVI computed in NumPy float64 and stacked onto the RGB (data.dtype);
- boxes and labels: panel-defect boxes in orthomosaic pixels assigned to 320 px tiles with an inclusive overlap test,
  so a box that starts on a tile seam is clipped to zero width in the previous tile (data.bbox_invalid); the farm's
  IACS crop codes (115, 131, 311, 411) used as class indices (tqdm, data.label_out_of_range); flood masks exported
  from the annotation tool as colour-coded RGB PNGs (data.label_shape);
- models: five-band multispectral tiles saved band-last by the preprocessing script (model.input_shape); a flood
  DeepLabV3 with one output channel ("one class: water") under ``CrossEntropyLoss`` (notebook,
  model.output_mismatch); the office's panel-defect Faster R-CNN checkpoint loaded into the 91-class model before its
  box predictor is swapped (model.weights_mismatch); a roof-defect Faster R-CNN validated while still in train mode
  (notebook, model.api_misuse); crop-row masks brought down to a stride-4 head with ``F.interpolate`` without a
  channel axis (model.api_misuse);
- optimisation: a flood Dice loss computed on ``argmax`` masks (notebook, optim.autograd_graph); teacher
  pseudo-masks for the unlabelled roofs made under ``torch.inference_mode()`` (optim.autograd_graph); a hotspot
  classifier with a temperature-delta head on raw H20T radiometric counts, whose sigmoid turns NaN inside
  ``BCELoss`` (tqdm, optim.divergence);
- resource / environment: duplicate panels on the tile seams merged with ``box_iou`` over every detection of the solar
  farm (resource.host_memory); a WebODM MBTiles export read through a ``sqlite3`` connection opened in the Dataset,
  under spawn workers as on the office Windows PC (env.multiprocessing); the workstation's ``"gpu": 0`` config with
  ``torch.cuda.set_device`` on the field laptop (notebook, env.cuda_setup); an RGB + NIR fusion model under DDP on a
  week of RGB-only flights, its NIR branch never used (torchrun, gloo, env.distributed); last year's box
  augmentation helper importing ``torchvision.datapoints`` (env.version_incompat); a checkpoint name built from the
  survey sheet's ``12/06/2024`` date (other);
- ImageAI 3: the inspection platform's export with blank box cells for flag-only defects, converted with
  ``np.genfromtxt`` into ``nan`` rows (data.bbox_invalid); the roof-material classifier given the first JSON of a
  sorted glob, the roof-defect detector's config (re-raised as a plain ``Exception``, model.api_misuse); a flight-log
  filter with ``np.recfromcsv`` under NumPy 2 before ``DetectionModelTrainer`` (env.version_incompat).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more113.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more113.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ two weekly orthomosaics at different GSDs
PROGRESS_PREP = '''
import csv, json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
os.makedirs("site_B12/ortho", exist_ok=True)
# the slab area of the site is 8 m x 6 m; each weekly flight gives an orthomosaic at its own GSD (m / px)
flights = {"2024-W22": 0.016, "2024-W23": 0.016, "2024-W24": 0.022}     # W24 flown at 80 m by the new pilot
meta = {}
for week, gsd in flights.items():
    w, h = round(8 / gsd), round(6 / gsd)
    Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f"site_B12/ortho/{week}.png")
    meta[week] = {"gsd_m": gsd, "altitude_m": 60 if gsd < 0.02 else 80, "origin_e": 512300.0,
                  "origin_n": 5403212.0, "crs": "EPSG:25832"}
json.dump(meta, open("site_B12/ortho/flights.json", "w"), indent=1)
rows = []
for before, after in [("2024-W22", "2024-W23"), ("2024-W23", "2024-W24")]:
    for cx in range(4):
        for cy in range(3):
            rows.append((before, after, 2.0 * cx, 2.0 * cy, ["no_change", "formwork", "slab_poured"][(cx + cy) % 3]))
with open("site_B12/progress_cells.csv", "w", newline="") as f:
    csv.writer(f).writerows([("before", "after", "x_m", "y_m", "stage")] + rows)
'''

SCRIPTS["construction-progress-weekly-orthos-different-gsd-cat-workers"] = '''
import csv
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF

STAGES = ["no_change", "formwork", "slab_poured"]
CELL_M = 2.0


class ProgressPairs(Dataset):
    """the same 2 m x 2 m cell of the site in two consecutive weekly orthomosaics, stacked as 6 channels"""

    def __init__(self, root):
        self.root = root
        self.flights = json.load(open(f"{root}/ortho/flights.json"))
        self.rows = list(csv.DictReader(open(f"{root}/progress_cells.csv")))
        self.ortho = {}

    def cell(self, week, x_m, y_m):
        if week not in self.ortho:
            self.ortho[week] = TF.to_tensor(Image.open(f"{self.root}/ortho/{week}.png").convert("RGB"))
        gsd = self.flights[week]["gsd_m"]
        x0, y0, n = round(x_m / gsd), round(y_m / gsd), round(CELL_M / gsd)
        return self.ortho[week][:, y0:y0 + n, x0:x0 + n]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        x, y = float(r["x_m"]), float(r["y_m"])
        pair = torch.cat([self.cell(r["before"], x, y), self.cell(r["after"], x, y)], dim=0)
        return pair, STAGES.index(r["stage"])


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(ProgressPairs("site_B12"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(6, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(STAGES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ gdal2tiles hillshade tiles: grey + alpha
HILLSHADE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
# gdal2tiles on the single-band hillshade of the DSM: grey + alpha PNGs (alpha 0 outside the surveyed area)
for cls in ("stockpile", "excavation", "level_ground"):
    os.makedirs(f"earthworks_tiles/{cls}", exist_ok=True)
    for i in range(6):
        grey = rng.integers(0, 255, (128, 128), dtype=np.uint8)
        alpha = np.full((128, 128), 255, dtype=np.uint8)
        if i % 3 == 0:
            alpha[:, 96:] = 0
        Image.fromarray(np.dstack([grey, alpha])).save(f"earthworks_tiles/{cls}/20_{548120 + i}_{352110 + i}.png")
'''

SCRIPTS["dsm-hillshade-gdal2tiles-grey-alpha-one-band-stem-tqdm"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF
from tqdm import tqdm

CLASSES = ["excavation", "level_ground", "stockpile"]


class HillshadeTiles(Dataset):
    """hillshade of the DSM: a single grey band, so a one-channel network"""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.png")))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        return TF.to_tensor(Image.open(p)), CLASSES.index(os.path.basename(os.path.dirname(p)))


torch.manual_seed(0)
loader = DataLoader(HillshadeTiles("earthworks_tiles"), batch_size=6, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(8):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ planning grid lists tiles the tiler never wrote
GRID_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("tiles/field_07", exist_ok=True)
rows = []
# the agronomist's grid layer covers the field's bounding box: 6 rows x 8 columns of 20 m cells
for r in range(6):
    for c in range(8):
        name = f"tiles/field_07/r{r:02d}_c{c:02d}.png"
        # the field narrows to the south-east: those cells of the bounding box are all nodata in the orthomosaic
        # and the tiler (--skip-nodata) never wrote them
        if not (r >= 4 and c >= 6):
            Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(name)
        rows.append((name, r, c, ["good", "gappy", "weedy"][(r * 8 + c) % 3]))
with open("field_07_stand_grid.csv", "w", newline="") as f:
    csv.writer(f).writerows([("tile", "grid_row", "grid_col", "stand")] + rows)
'''

SCRIPTS["planning-grid-csv-lists-nodata-tiles-never-written-workers-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

STAND = ["good", "gappy", "weedy"]


class StandGrid(Dataset):
    def __init__(self, grid_csv):
        # one row per cell of the grid layer, exported from QGIS with the agronomist's stand rating
        self.rows = list(csv.DictReader(open(grid_csv)))
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.RandomVerticalFlip(),
                                      transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["tile"]).convert("RGB")), STAND.index(r["stand"])


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(StandGrid("field_07_stand_grid.csv"), batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(STAND)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in tqdm(loader, desc=f"epoch {epoch}"):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
'''

# ------------------------------------------------------------------ panel-defect boxes clipped to tile seams
PANELS_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("sf3_block_c", exist_ok=True)
Image.fromarray(rng.integers(0, 255, (640, 960, 3), dtype=np.uint8)).save("sf3_block_c/ortho_rgb.png")
# defects as the inspection platform exports them: pixel boxes on the orthomosaic; the panels sit on a 64 px pitch,
# so many box edges fall on multiples of 64 (and of the 320 px tiles)
defects = [
    {"type": "hotspot", "bbox": [64, 32, 128, 64]},
    {"type": "soiling", "bbox": [192, 128, 256, 192]},
    {"type": "cracked_module", "bbox": [600, 200, 700, 232]},
    {"type": "hotspot", "bbox": [640, 64, 704, 96]},
    {"type": "soiling", "bbox": [384, 448, 448, 512]},
    {"type": "hotspot", "bbox": [768, 352, 832, 384]},
]
json.dump({"site": "SF3", "block": "C", "ortho": "ortho_rgb.png", "defects": defects},
          open("sf3_block_c/defects_export.json", "w"), indent=1)
'''

SCRIPTS["panel-defect-boxes-clipped-on-tile-seam-zero-width-fasterrcnn"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "hotspot", "soiling", "cracked_module"]
TILE = 320


class OrthoTiles(Dataset):
    """320 px tiles of the block's orthomosaic with the defect boxes that touch them, clipped to the tile"""

    def __init__(self, root):
        export = json.load(open(f"{root}/defects_export.json"))
        self.ortho = TF.to_tensor(Image.open(f"{root}/{export['ortho']}").convert("RGB"))
        self.defects = export["defects"]
        h, w = self.ortho.shape[1:]
        self.tiles = [(tx, ty) for ty in range(0, h, TILE) for tx in range(0, w, TILE)]

    def __len__(self):
        return len(self.tiles)

    def __getitem__(self, i):
        tx, ty = self.tiles[i]
        boxes, labels = [], []
        for d in self.defects:
            x1, y1, x2, y2 = d["bbox"]
            if x1 <= tx + TILE and x2 >= tx and y1 <= ty + TILE and y2 >= ty:
                boxes.append([max(x1, tx) - tx, max(y1, ty) - ty, min(x2, tx + TILE) - tx, min(y2, ty + TILE) - ty])
                labels.append(CLASSES.index(d["type"]))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
                  "labels": torch.tensor(labels, dtype=torch.int64)}
        return self.ortho[:, ty:ty + TILE, tx:tx + TILE], target


loader = DataLoader(OrthoTiles("sf3_block_c"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(6):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ IACS crop codes as class indices
CROPCODE_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("m3m_fields/tiles", exist_ok=True)
# crop codes as the farm's IACS declaration has them: 115 winter wheat, 131 winter barley,
# 311 winter rapeseed, 411 silage maize
fields = [("F03", 115), ("F04", 131), ("F07", 411), ("F09", 311), ("F11", 115), ("F12", 411)]
rows = []
for fid, code in fields:
    for k in range(3):
        name = f"m3m_fields/tiles/{fid}_{k:03d}.jpg"
        Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(name)
        rows.append((name, fid, code))
with open("m3m_fields/field_tiles_2024.csv", "w", newline="") as f:
    csv.writer(f).writerows([("tile", "field_id", "crop_code")] + rows)
'''

SCRIPTS["iacs-crop-codes-used-as-class-index-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

CROPS = {115: "winter wheat", 131: "winter barley", 311: "winter rapeseed", 411: "silage maize"}


class FieldTiles(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.RandomRotation(90), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["tile"]).convert("RGB")), int(r["crop_code"])


torch.manual_seed(0)
loader = DataLoader(FieldTiles("m3m_fields/field_tiles_2024.csv"), batch_size=6, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CROPS)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/10"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ flood masks as colour-coded RGB PNGs
FLOODRGB_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("flood_2024-06/images", exist_ok=True)
os.makedirs("flood_2024-06/masks", exist_ok=True)
# the annotation tool's export: one colour per class (dry land black, open water blue, flooded vegetation cyan)
colours = np.array([[0, 0, 0], [0, 0, 255], [0, 255, 255]], dtype=np.uint8)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"flood_2024-06/images/ortho_{i:04d}.jpg")
    cls = np.zeros((128, 128), dtype=np.uint8)
    cls[40 + i:90, :] = 1
    cls[90:110, 20 + 4 * i:100] = 2
    Image.fromarray(colours[cls]).save(f"flood_2024-06/masks/ortho_{i:04d}.png")
'''

SCRIPTS["flood-masks-colour-coded-rgb-png-cross-entropy"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF

CLASSES = ["dry", "open_water", "flooded_vegetation"]


class FloodTiles(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        p = self.images[i]
        m = os.path.join(self.root, "masks", os.path.basename(p).replace(".jpg", ".png"))
        return TF.to_tensor(Image.open(p).convert("RGB")), torch.from_numpy(np.array(Image.open(m))).long()


class SmallFCN(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                                  nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(32, n_classes, 1)

    def forward(self, x):
        return self.head(self.body(x))


loader = DataLoader(FloodTiles("flood_2024-06"), batch_size=4, shuffle=True)
model = SmallFCN(len(CLASSES))
criterion = nn.CrossEntropyLoss(weight=torch.tensor([0.2, 0.4, 0.4]))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, mask in loader:
        loss = criterion(model(x), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ Mavic 3M NDVI in float64
M3M_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("m3m_2024-05-28", exist_ok=True)
rows = []
for i in range(12):
    stem = f"m3m_2024-05-28/DJI_20240528101{i:03d}_{i + 1:04d}"
    # the RGB camera at its own resolution, the multispectral bands as 16-bit single-band TIFFs
    Image.fromarray(rng.integers(0, 255, (192, 256, 3), dtype=np.uint8)).save(f"{stem}_D.JPG")
    Image.fromarray(rng.integers(3000, 20000, (96, 128), dtype=np.uint16)).save(f"{stem}_MS_R.TIF")
    Image.fromarray(rng.integers(12000, 40000, (96, 128), dtype=np.uint16)).save(f"{stem}_MS_NIR.TIF")
    rows.append((os.path.basename(stem), ["emerged_ok", "gappy", "waterlogged"][i % 3]))
with open("m3m_2024-05-28/emergence_labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("capture", "emergence")] + rows)
'''

SCRIPTS["mavic3m-ndvi-float64-stacked-onto-rgb"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader

FLIGHT = "m3m_2024-05-28"
EMERGENCE = ["emerged_ok", "gappy", "waterlogged"]


class RgbNdvi(Dataset):
    """RGB resized to the multispectral frame + an NDVI band from the R and NIR TIFFs"""

    def __init__(self, flight):
        self.flight = flight
        self.rows = list(csv.DictReader(open(f"{flight}/emergence_labels.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        stem = f"{self.flight}/{r['capture']}"
        red = np.asarray(Image.open(f"{stem}_MS_R.TIF"), dtype=np.float64)
        nir = np.asarray(Image.open(f"{stem}_MS_NIR.TIF"), dtype=np.float64)
        ndvi = (nir - red) / (nir + red + 1e-6)
        h, w = ndvi.shape
        rgb = np.asarray(Image.open(f"{stem}_D.JPG").convert("RGB").resize((w, h))) / 255.0
        x = np.concatenate([rgb, ndvi[..., None]], axis=2).transpose(2, 0, 1)
        return torch.from_numpy(x), EMERGENCE.index(r["emergence"])


loader = DataLoader(RgbNdvi(FLIGHT), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(4, 16, 3, stride=2, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(EMERGENCE)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ five-band stacks saved band-last
MS5_PREP = '''
import csv, os
import numpy as np

rng = np.random.default_rng(8)
os.makedirs("ms_stacks/field_12", exist_ok=True)
rows = []
for i in range(16):
    # blue, green, red, red edge, NIR reflectance, aligned and stacked by the preprocessing script (np.dstack)
    bands = [rng.uniform(0.02, 0.6, (64, 64)).astype(np.float32) for _ in range(5)]
    np.save(f"ms_stacks/field_12/tile_{i:04d}.npy", np.dstack(bands))
    rows.append((f"tile_{i:04d}.npy", ["low", "medium", "high"][i % 3]))
with open("ms_stacks/field_12/weed_pressure.csv", "w", newline="") as f:
    csv.writer(f).writerows([("stack", "weed_pressure")] + rows)
'''

SCRIPTS["five-band-multispectral-stacks-band-last-into-stem"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

PRESSURE = ["low", "medium", "high"]
BANDS = ["blue", "green", "red", "red_edge", "nir"]


class MsStacks(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/weed_pressure.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return torch.from_numpy(np.load(f"{self.root}/{r['stack']}")), PRESSURE.index(r["weed_pressure"])


torch.manual_seed(0)
loader = DataLoader(MsStacks("ms_stacks/field_12"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(len(BANDS), 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, len(PRESSURE)))
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(15):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''

# ------------------------------------------------------------------ flood DeepLab with one output channel (notebook)
FLOODBIN_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
os.makedirs("river_flood/images", exist_ok=True)
os.makedirs("river_flood/masks", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"river_flood/images/t_{i:04d}.jpg")
    m = np.zeros((128, 128), dtype=np.uint8)
    m[:, : 30 + 10 * i] = 1           # 1 = water, 0 = dry
    Image.fromarray(m).save(f"river_flood/masks/t_{i:04d}.png")
'''

CELLS["flood-deeplab-one-output-channel-cross-entropy-notebook"] = [
    '''import glob, os
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
from torchvision.transforms import functional as TF


class RiverFlood(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        p = self.images[i]
        m = os.path.join(self.root, "masks", os.path.basename(p).replace(".jpg", ".png"))
        return TF.to_tensor(Image.open(p).convert("RGB")), torch.from_numpy(np.array(Image.open(m))).long()


ds = RiverFlood("river_flood")
loader = DataLoader(ds, batch_size=2, shuffle=True)
x, m = ds[0]
x.shape, m.unique()''',
    '''# one class: water (everything else is background)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=1)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)''',
    '''model.train()
for epoch in range(10):
    for x, mask in loader:
        out = model(x)["out"]
        loss = criterion(out, mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ office Faster R-CNN checkpoint into the 91-class model
PV_CKPT_PREP = '''
import os
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# trained on the office workstation: background + hotspot, cracked cell, soiling
m = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
torch.save(m.state_dict(), "models/pv_defects_frcnn_mnv3_office_2024-06.pth")
'''

SCRIPTS["pv-defect-frcnn-checkpoint-loaded-before-box-predictor-swap"] = '''
import glob

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "hotspot", "cracked_cell", "soiling"]

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None)
model.load_state_dict(torch.load("models/pv_defects_frcnn_mnv3_office_2024-06.pth", map_location="cpu"))
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, len(CLASSES))
model.eval()

with torch.no_grad():
    for path in sorted(glob.glob("flight_2024-06-14_SF3/*.JPG")):
        det = model([TF.to_tensor(Image.open(path).convert("RGB"))])[0]
        keep = det["scores"] > 0.5
        print(path, [(CLASSES[int(c)], round(float(s), 2)) for c, s in zip(det["labels"][keep], det["scores"][keep])])
'''

# ------------------------------------------------------------------ roof Faster R-CNN validated in train mode (notebook)
ROOF_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("roof_tiles/train", exist_ok=True)
os.makedirs("roof_tiles/val", exist_ok=True)
ann = {}
for split, n in (("train", 4), ("val", 2)):
    for i in range(n):
        name = f"{split}/roof_{1200 + 10 * i + (split == 'val')}.jpg"
        Image.fromarray(rng.integers(0, 255, (320, 320, 3), dtype=np.uint8)).save(f"roof_tiles/{name}")
        ann[name] = [{"label": 1 + k % 3, "box": [40 + 60 * k, 50 + 20 * i, 90 + 60 * k, 110 + 20 * i]} for k in range(3)]
json.dump({"classes": ["__background__", "missing_shingle", "ponding", "debris"], "annotations": ann},
          open("roof_tiles/annotations.json", "w"), indent=1)
'''

CELLS["roof-defect-frcnn-validated-still-in-train-mode-notebook"] = [
    '''import json
import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

meta = json.load(open("roof_tiles/annotations.json"))
CLASSES = meta["classes"]


class RoofTiles(Dataset):
    def __init__(self, split):
        self.names = sorted(n for n in meta["annotations"] if n.startswith(split + "/"))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        n = self.names[i]
        anns = meta["annotations"][n]
        target = {"boxes": torch.tensor([a["box"] for a in anns], dtype=torch.float32),
                  "labels": torch.tensor([a["label"] for a in anns])}
        return TF.to_tensor(Image.open(f"roof_tiles/{n}").convert("RGB")), target


collate = lambda b: tuple(zip(*b))
train_loader = DataLoader(RoofTiles("train"), batch_size=2, shuffle=True, collate_fn=collate)
val_loader = DataLoader(RoofTiles("val"), batch_size=2, collate_fn=collate)
len(train_loader.dataset), len(val_loader.dataset)''',
    '''torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for images, targets in train_loader:
    losses = model(list(images), list(targets))
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
{k: round(v.item(), 3) for k, v in losses.items()}''',
    '''# how many defects does it find on the validation roofs?
with torch.no_grad():
    for images, targets in val_loader:
        preds = model(list(images))
        for p, t in zip(preds, targets):
            print(len(p["boxes"]), "found,", len(t["boxes"]), "annotated")''',
]

# ------------------------------------------------------------------ crop-row masks interpolated without a channel axis
ROWS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("crop_rows/images", exist_ok=True)
os.makedirs("crop_rows/masks", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"crop_rows/images/row_{i:04d}.jpg")
    m = np.zeros((128, 128), dtype=np.uint8)      # 0 soil between the rows, 1 crop row, 2 weed
    for c in range(8, 128, 24):
        m[:, c:c + 6] = 1
    m[20 + 5 * i:30 + 5 * i, 40:52] = 2
    Image.fromarray(m).save(f"crop_rows/masks/row_{i:04d}.png")
'''

SCRIPTS["crop-row-masks-interpolated-to-stride4-head-without-channel-axis"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF


class CropRows(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        p = self.images[i]
        m = os.path.join(self.root, "masks", os.path.basename(p).replace(".jpg", ".png"))
        return TF.to_tensor(Image.open(p).convert("RGB")), torch.from_numpy(np.array(Image.open(m))).long()


class RowNet(nn.Module):
    """light segmenter for the sprayer: predicts at 1/4 of the tile resolution"""

    def __init__(self, n_classes=3):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv2d(32, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(32, n_classes, 1)

    def forward(self, x):
        return self.head(self.enc(x))


loader = DataLoader(CropRows("crop_rows"), batch_size=4, shuffle=True)
model = RowNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, mask in loader:
        logits = model(x)
        # bring the masks down to the head's resolution
        target = F.interpolate(mask.float(), size=logits.shape[-2:], mode="nearest").long()
        loss = F.cross_entropy(logits, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ Dice loss on argmax masks (notebook)
CELLS["flood-extent-dice-loss-on-argmax-masks-notebook"] = [
    '''import glob, os
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import TensorDataset, DataLoader
from torchvision.transforms import functional as TF

imgs = sorted(glob.glob("river_flood/images/*.jpg"))
X = torch.stack([TF.to_tensor(Image.open(p).convert("RGB")) for p in imgs])
M = torch.stack([torch.from_numpy(np.array(Image.open(p.replace("images", "masks").replace(".jpg", ".png"))))
                 for p in imgs]).long()
loader = DataLoader(TensorDataset(X, M), batch_size=2, shuffle=True)
X.shape, M.shape, M.float().mean().item()''',
    '''model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(32, 2, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def dice_loss(pred, target, eps=1.0):
    # the flooded share of a tile is small: Dice instead of pixel accuracy
    inter = (pred * target).sum()
    return 1 - (2 * inter + eps) / (pred.sum() + target.sum() + eps)''',
    '''for epoch in range(10):
    for x, m in loader:
        water = model(x).argmax(1).float()
        loss = dice_loss(water, m.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, round(loss.item(), 4))''',
]

# ------------------------------------------------------------------ teacher pseudo-masks under inference_mode
PSEUDO_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
for d in ("roofs/labelled/images", "roofs/labelled/masks", "roofs/unlabelled"):
    os.makedirs(d, exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"roofs/labelled/images/r_{i:03d}.jpg")
    m = np.zeros((96, 96), dtype=np.uint8)
    m[20:70, 15 + i:80] = 255             # roof outline painted in white
    Image.fromarray(m).save(f"roofs/labelled/masks/r_{i:03d}.png")
for i in range(12):
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"roofs/unlabelled/u_{i:03d}.jpg")
'''

SCRIPTS["roof-outline-teacher-pseudo-masks-under-inference-mode"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision.transforms import functional as TF


def seg_net():
    return nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(16, 1, 1))


def load(paths):
    return torch.stack([TF.to_tensor(Image.open(p).convert("RGB")) for p in paths])


lab = sorted(glob.glob("roofs/labelled/images/*.jpg"))
x_lab = load(lab)
y_lab = torch.stack([torch.from_numpy(np.array(Image.open(p.replace("images", "masks").replace(".jpg", ".png"))) > 0)
                     for p in lab]).float().unsqueeze(1)
x_unl = load(sorted(glob.glob("roofs/unlabelled/*.jpg")))

torch.manual_seed(0)
# stage 1: teacher on the few hand-labelled roofs
teacher = seg_net()
opt_t = torch.optim.Adam(teacher.parameters(), lr=1e-3)
for step in range(30):
    loss = F.binary_cross_entropy_with_logits(teacher(x_lab), y_lab)
    opt_t.zero_grad()
    loss.backward()
    opt_t.step()
print("teacher loss", round(loss.item(), 4))

# stage 2: student on the unlabelled roofs with the teacher's masks
teacher.eval()
student = seg_net()
opt_s = torch.optim.Adam(student.parameters(), lr=1e-3)
for epoch in range(5):
    for i in range(0, len(x_unl), 4):
        xb = x_unl[i:i + 4]
        with torch.inference_mode():      # fastest way to run the teacher
            pseudo = (torch.sigmoid(teacher(xb)) > 0.5).float()
        loss = F.binary_cross_entropy_with_logits(student(xb), pseudo)
        opt_s.zero_grad()
        loss.backward()
        opt_s.step()
    print("student epoch", epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ hotspot classifier on raw radiometric counts
HOTSPOT_PREP = '''
import numpy as np

rng = np.random.default_rng(14)
n = 384
# panel crops from the H20T radiometric frames, raw 16-bit counts as the thermal SDK returns them
X = rng.normal(30500, 900, (n, 1, 32, 32)).clip(0, 65535).astype(np.uint16)
hot = (rng.random(n) < 0.3).astype(np.float32)
delta_t = (rng.uniform(200, 2500, n) * hot).astype(np.float32)      # hotspot minus panel mean, in counts
np.savez("sf3_h20t_panel_crops_2024-06-11.npz", X=X, hotspot=hot, delta_t=delta_t)
'''

SCRIPTS["h20t-hotspot-raw-radiometric-counts-bceloss-nan-tqdm"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader
from tqdm import tqdm

d = np.load("sf3_h20t_panel_crops_2024-06-11.npz")
X = torch.from_numpy(d["X"].astype(np.float32))
ds = TensorDataset(X, torch.from_numpy(d["hotspot"]), torch.from_numpy(d["delta_t"]))
loader = DataLoader(ds, batch_size=32, shuffle=True)


class HotspotNet(nn.Module):
    """is there a hotspot on the panel, and how much hotter is it"""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
                                      nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.cls = nn.Sequential(nn.Linear(16, 1), nn.Sigmoid())
        self.reg = nn.Linear(16, 1)

    def forward(self, x):
        h = self.features(x)
        return self.cls(h).squeeze(1), self.reg(h).squeeze(1)


torch.manual_seed(0)
model = HotspotNet()
bce, mse = nn.BCELoss(), nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(20):
    for x, hot, dt in tqdm(loader, desc=f"epoch {epoch}"):
        p_hot, pred_dt = model(x)
        loss = bce(p_hot, hot) + mse(pred_dt, dt)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ box_iou over every detection of the farm
FARM_PREP = '''
import numpy as np

rng = np.random.default_rng(15)
# the overnight inference run over the whole farm: 1024 px tiles with a 64 px overlap, ~70 panels per tile
tiles = [(tx, ty) for ty in range(0, 60 * 960, 960) for tx in range(0, 70 * 960, 960)]
per = 72
n = len(tiles) * per
t = np.repeat(np.array(tiles, dtype=np.float32), per, axis=0)
x1 = rng.uniform(0, 990, n).astype(np.float32)
y1 = rng.uniform(0, 1000, n).astype(np.float32)
det = np.column_stack([t, x1, y1, x1 + 32, y1 + 18, rng.uniform(0.3, 1.0, n).astype(np.float32)])
np.save("sf3_panel_detections_all_tiles.npy", det)
'''

SCRIPTS["solar-farm-seam-duplicates-box-iou-over-all-detections"] = '''
import numpy as np
import torch
from torchvision.ops import box_iou

# columns: tile_x0, tile_y0, x1, y1, x2, y2, score (tile-local pixels)
det = torch.from_numpy(np.load("sf3_panel_detections_all_tiles.npy"))
boxes = det[:, 2:6] + det[:, [0, 1, 0, 1]]          # to orthomosaic pixels
scores = det[:, 6]
print(f"{len(boxes)} panel detections on {len(torch.unique(det[:, :2], dim=0))} tiles")

# a panel on a seam between two overlapping tiles is detected twice: drop the lower-scoring copy,
# the rest become the pseudo-labels for the next training round
order = scores.argsort(descending=True)
boxes, scores = boxes[order], scores[order]
iou = box_iou(boxes, boxes)
dup = (iou > 0.5).triu(diagonal=1).any(dim=0)
keep = ~dup
print(f"kept {int(keep.sum())} panels after merging the seams")
np.save("sf3_panel_pseudo_labels.npy", torch.cat([boxes[keep], scores[keep, None]], 1).numpy())
'''

# ------------------------------------------------------------------ MBTiles through sqlite3 under spawn workers
MBTILES_PREP = '''
import csv, io, sqlite3
import numpy as np
from PIL import Image

rng = np.random.default_rng(16)
# the orthophoto downloaded from WebODM as MBTiles
db = sqlite3.connect("hangar_district_ortho.mbtiles")
db.execute("CREATE TABLE metadata (name text, value text)")
db.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)")
db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "hangar district"), ("format", "png"),
                                                      ("minzoom", "21"), ("maxzoom", "21")])
rows = []
for k in range(24):
    col, row = 1096240 + k % 6, 1397010 + k // 6
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (256, 256, 3), dtype=np.uint8)).save(buf, format="PNG")
    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (21, col, row, buf.getvalue()))
    rows.append((21, col, row, ["flat_roof", "pitched_roof", "no_building"][k % 3]))
db.commit()
db.close()
with open("hangar_district_labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("z", "x", "y", "label")] + rows)
'''

SCRIPTS["webodm-mbtiles-sqlite-connection-in-dataset-spawn-workers"] = '''
import csv
import io
import sqlite3

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

LABELS = ["flat_roof", "pitched_roof", "no_building"]


class MBTilesDataset(Dataset):
    """tiles read straight out of the MBTiles file, no need to unpack 40 000 PNGs"""

    def __init__(self, mbtiles, labels_csv):
        self.db = sqlite3.connect(mbtiles)
        self.items = [(int(r["z"]), int(r["x"]), int(r["y"]), LABELS.index(r["label"]))
                      for r in csv.DictReader(open(labels_csv))]
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        z, x, y, label = self.items[i]
        (blob,) = self.db.execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                                  (z, x, y)).fetchone()
        return self.tf(Image.open(io.BytesIO(blob)).convert("RGB")), label


if __name__ == "__main__":
    ds = MBTilesDataset("hangar_district_ortho.mbtiles", "hangar_district_labels.csv")
    # same script as on the office Windows PC, where DataLoader workers are spawned
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(LABELS)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ workstation config with set_device (notebook)
CELLS["workstation-config-cuda-set-device-field-laptop-notebook"] = [
    '''import json
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

cfg = json.load(open("train_config_workstation.json"))     # synced from the office
tf = transforms.Compose([transforms.Resize((cfg["img_size"], cfg["img_size"])), transforms.ToTensor()])
ds = datasets.ImageFolder(cfg["data"], transform=tf)
loader = DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True)
ds.classes''',
    '''torch.cuda.set_device(cfg["gpu"])
device = torch.device("cuda", cfg["gpu"])
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"])''',
    '''for epoch in range(cfg["epochs"]):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ RGB + NIR fusion under DDP, RGB-only week
FUSION_PREP = '''
import json
import numpy as np

rng = np.random.default_rng(18)
# this week's flights were all flown with the Mavic 3E (RGB only); the M3M flights carry a NIR band
flights = []
for k in range(4):
    name = f"flight_2024-06-1{k}_M3E"
    np.savez(f"{name}.npz", rgb=rng.random((16, 3, 64, 64), dtype=np.float32),
             label=rng.integers(0, 3, 16))
    flights.append({"file": f"{name}.npz", "sensor": "M3E", "has_nir": False})
json.dump(flights, open("flights_week24.json", "w"), indent=1)
'''

SCRIPTS["rgb-nir-fusion-ddp-rgb-only-week-nir-branch-unused-torchrun"] = '''
import json

import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import Dataset, DataLoader
from torch.utils.data.distributed import DistributedSampler


class FlightTiles(Dataset):
    def __init__(self, index):
        self.items = []
        for f in json.load(open(index)):
            d = np.load(f["file"])
            nir = d["nir"] if f["has_nir"] else None
            for i in range(len(d["label"])):
                self.items.append((d["rgb"][i], None if nir is None else nir[i], int(d["label"][i])))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        rgb, nir, label = self.items[i]
        return torch.from_numpy(rgb), (torch.zeros(0) if nir is None else torch.from_numpy(nir)), label


class FusionNet(nn.Module):
    """RGB branch for every flight, NIR branch for the flights that have a NIR band"""

    def __init__(self, n_classes=3):
        super().__init__()
        self.rgb = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                 nn.Flatten())
        self.nir = nn.Sequential(nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                 nn.Flatten())
        self.head_rgb = nn.Linear(16, n_classes)
        self.head_fused = nn.Linear(16 + 8, n_classes)

    def forward(self, rgb, nir):
        f = self.rgb(rgb)
        if nir.numel() == 0:
            return self.head_rgb(f)
        return self.head_fused(torch.cat([f, self.nir(nir)], dim=1))


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)
    ds = FlightTiles("flights_week24.json")
    sampler = DistributedSampler(ds, shuffle=True)
    loader = DataLoader(ds, batch_size=8, sampler=sampler)
    model = DDP(FusionNet())
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        sampler.set_epoch(epoch)
        for rgb, nir, y in loader:
            loss = F.cross_entropy(model(rgb, nir), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if rank == 0:
            print(f"epoch {epoch}: {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ checkpoint name from the survey sheet's date
SHEET_PREP = '''
import csv
with open("survey_sheet_hangar7.csv", "w", newline="") as f:
    csv.writer(f).writerows([("site", "client", "date", "pilot", "aircraft", "altitude_m"),
                             ("hangar_7", "Airfield Estates Ltd", "12/06/2024", "J. Moss", "M3E", 45)])
'''

SCRIPTS["roof-classifier-checkpoint-name-from-survey-sheet-date"] = '''
import csv
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

sheet = next(csv.DictReader(open("survey_sheet_hangar7.csv")))
site, flight_date = sheet["site"], sheet["date"]
run_dir = os.path.join("runs", site)
os.makedirs(run_dir, exist_ok=True)

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("hangar7_roof_panels", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
best = float("inf")
for epoch in range(3):
    total = 0.0
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(y)
    total /= len(ds)
    print(f"epoch {epoch}: {total:.4f}")
    if total < best:
        best = total
        torch.save({"model": model.state_dict(), "classes": ds.classes, "epoch": epoch},
                   os.path.join(run_dir, f"roof_condition_{flight_date}_best.pt"))
'''

# ------------------------------------------------------------------ last year's helper: torchvision.datapoints
ROOFAUG = '''
"""box-aware augmentation for the roof-defect detector (from last year's repo, torchvision 0.15 beta API)"""
import torch
from torchvision import datapoints
from torchvision.transforms import v2


def train_transforms(size=320):
    return v2.Compose([v2.RandomHorizontalFlip(), v2.RandomPhotometricDistort(p=0.5),
                       v2.Resize((size, size), antialias=True), v2.ToDtype(torch.float32, scale=True)])


def wrap_target(boxes, labels, canvas_hw):
    return {"boxes": datapoints.BoundingBox(boxes, format="XYXY", spatial_size=canvas_hw), "labels": labels}
'''

ROOFAUG_ANN = ('{"roof_0001.jpg": [[30, 40, 90, 100, 1], [150, 60, 200, 120, 2]], '
               '"roof_0002.jpg": [[10, 20, 60, 80, 1]], "roof_0003.jpg": [[100, 100, 180, 160, 3]]}')

SCRIPTS["roof-defect-aug-helper-torchvision-datapoints-import"] = '''
import json

import torch
from torch.utils.data import Dataset, DataLoader
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

from roofaug.transforms import train_transforms, wrap_target


class RoofDefects(Dataset):
    def __init__(self, root):
        self.root = root
        self.ann = json.load(open(f"{root}/boxes.json"))
        self.names = sorted(self.ann)
        self.tf = train_transforms()

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        img = read_image(f"{self.root}/{self.names[i]}")
        rows = torch.tensor(self.ann[self.names[i]], dtype=torch.float32)
        return self.tf(img, wrap_target(rows[:, :4], rows[:, 4].long(), img.shape[-2:]))


loader = DataLoader(RoofDefects("roof_defects"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== ImageAI 3
PV_EXPORT = """\
image,defect,xmin,ymin,xmax,ymax
DJI_20240611103012_0001_T.JPG,hotspot,40.5,60.0,72.5,84.0
DJI_20240611103012_0001_T.JPG,diode_failure,150.0,96.5,214.0,128.0
DJI_20240611103014_0002_T.JPG,hotspot,88.0,120.5,110.0,140.0
DJI_20240611103016_0003_T.JPG,soiling,,,,
DJI_20240611103018_0004_T.JPG,diode_failure,20.0,30.0,84.5,62.0
DJI_20240611103020_0005_T.JPG,hotspot,200.5,180.0,228.0,204.5
DJI_20240611103020_0005_T.JPG,soiling,,,,
DJI_20240611103022_0006_T.JPG,hotspot,60.0,40.0,90.5,66.0
DJI_20240611103024_0007_T.JPG,diode_failure,120.0,150.0,184.0,182.5
DJI_20240611103026_0008_T.JPG,hotspot,250.0,30.5,276.0,52.0
"""

SCRIPTS["imageai-pv-inspection-export-blank-box-cells-nan-labels"] = '''
import os

import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

NAMES = ["hotspot", "diode_failure", "soiling"]
W, H = 320, 256          # H20T thermal frames

# the inspection platform's export -> one YOLO txt per frame
export = np.genfromtxt("sf3_inspection_export.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
for split in ("train", "validation"):
    os.makedirs(f"pv_thermal/{split}/annotations", exist_ok=True)
    for img in sorted(os.listdir(f"pv_thermal/{split}/images")):
        with open(f"pv_thermal/{split}/annotations/{os.path.splitext(img)[0]}.txt", "w") as f:
            for r in export[export["image"] == img]:
                cx, cy = (r["xmin"] + r["xmax"]) / 2 / W, (r["ymin"] + r["ymax"]) / 2 / H
                bw, bh = (r["xmax"] - r["xmin"]) / W, (r["ymax"] - r["ymin"]) / H
                f.write(f"{NAMES.index(r['defect'])} {cx:.6f} {cy:.6f} {bw:.6f} {bh:.6f}\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="pv_thermal")
trainer.setTrainConfig(object_names_array=NAMES, batch_size=4, num_experiments=50)
trainer.trainModel()
'''

ROOF_DET_CONFIG = ('{"labels": ["missing_shingle", "ponding", "debris", "damaged_flashing"], '
                   '"anchors": [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]}')

SCRIPTS["imageai-roof-material-json-from-sorted-glob-detector-config"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(glob.glob("roof_models/*.pt")[0])
clf.setJsonPath(sorted(glob.glob("roof_models/json/*.json"))[0])
clf.loadModel()

for path in sorted(glob.glob("quote_requests/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, list(zip(names, probs)))
'''

AIRDATA = "\n".join(
    ["time(millisecond),datetime(utc),latitude,longitude,height_above_takeoff(feet),isPhoto,photo_name"]
    + [f"{1000 * i},2024-06-12 10:31:{i:02d},51.50{i:02d},-0.12{i:02d},{120 + 10 * i},1,"
       f"DJI_20240612103{i:03d}_{i + 1:04d}_V.JPG" for i in range(8)]) + "\n"

SCRIPTS["imageai-flight-log-altitude-filter-np-recfromcsv-numpy2"] = '''
import os
import shutil

import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

# keep the photos taken below 150 ft: higher up the roof vents are only a few pixels wide
log = np.recfromcsv("flightlogs/AirData_M3E_2024-06-12.csv")
low = {name.decode() for name, h in zip(log["photo_name"], log["height_above_takeofffeet"]) if h < 150}
for split in ("train", "validation"):
    for name in os.listdir(f"roof_vents_all/{split}/images"):
        if name in low:
            for sub_dir, ext in (("images", ""), ("annotations", ".txt")):
                os.makedirs(f"roof_vents/{split}/{sub_dir}", exist_ok=True)
                src = name if not ext else os.path.splitext(name)[0] + ext
                shutil.copy(f"roof_vents_all/{split}/{sub_dir}/{src}", f"roof_vents/{split}/{sub_dir}/{src}")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="roof_vents")
trainer.setTrainConfig(object_names_array=["roof_vent", "skylight"], batch_size=4, num_experiments=40)
trainer.trainModel()
'''


def vent_rows(split, i):
    return "".join(f"{k % 2} {0.2 + 0.3 * k:.4f} {0.4 + 0.05 * i:.4f} {0.06 + 0.02 * k:.4f} {0.05 + 0.01 * k:.4f}\n"
                   for k in range(2))


def vents_layout(work):
    """the flight's photos under DJI names, YOLO labels beside them"""
    names = [f"DJI_20240612103{i:03d}_{i + 1:04d}_V" for i in range(8)]
    specs = [(f"roof_vents_all/{'train' if i < 6 else 'validation'}/images/{n}.JPG", (320, 240), "RGB")
             for i, n in enumerate(names)]
    make_images(work, specs)
    for i, n in enumerate(names):
        split = "train" if i < 6 else "validation"
        d = work / "roof_vents_all" / split / "annotations"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{n}.txt").write_text(vent_rows(split, i))


def cases():
    out, _add, script, notebook = case_builders("torch-more113-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    pv_frames = [f"DJI_20240611103{12 + 2 * i:03d}_{i + 1:04d}_T.JPG" for i in range(8)]

    # ---- tiles and images
    script("construction-progress-weekly-orthos-different-gsd-cat-workers", "data.image_size_mismatch", forms=W,
           argv="train_progress.py", setup=prep(PROGRESS_PREP))
    script("dsm-hillshade-gdal2tiles-grey-alpha-one-band-stem-tqdm", "data.image_channels", forms=P,
           argv="train_earthworks.py", setup=prep(HILLSHADE_PREP))
    script("planning-grid-csv-lists-nodata-tiles-never-written-workers-tqdm", "data.missing_or_corrupt",
           forms=W + ("progress_bars?",), argv="train_stand.py", setup=prep(GRID_PREP))
    script("mavic3m-ndvi-float64-stacked-onto-rgb", "data.dtype", argv="train_emergence.py", setup=prep(M3M_PREP))

    # ---- boxes and labels
    script("panel-defect-boxes-clipped-on-tile-seam-zero-width-fasterrcnn", "data.bbox_invalid",
           argv="train_pv_defects.py", setup=prep(PANELS_PREP))
    script("iacs-crop-codes-used-as-class-index-tqdm", "data.label_out_of_range", forms=P, argv="train_crops.py",
           setup=prep(CROPCODE_PREP))
    script("flood-masks-colour-coded-rgb-png-cross-entropy", "data.label_shape", also=["data.image_channels"],
           argv="train_flood.py", setup=prep(FLOODRGB_PREP))

    # ---- models
    script("five-band-multispectral-stacks-band-last-into-stem", "model.input_shape", also=["data.image_channels"],
           argv="train_weeds.py", setup=prep(MS5_PREP))
    notebook("flood-deeplab-one-output-channel-cross-entropy-notebook", "model.output_mismatch",
             also=["data.label_out_of_range"], forms=NB, setup=prep(FLOODBIN_PREP))
    script("pv-defect-frcnn-checkpoint-loaded-before-box-predictor-swap", "model.weights_mismatch",
           argv="detect_field.py",
           setup=both(prep(PV_CKPT_PREP),
                      imgs([(f"flight_2024-06-14_SF3/DJI_0{410 + i}.JPG", (320, 240), "RGB") for i in range(2)])))
    notebook("roof-defect-frcnn-validated-still-in-train-mode-notebook", "model.api_misuse", forms=NB,
             setup=prep(ROOF_PREP))
    script("crop-row-masks-interpolated-to-stride4-head-without-channel-axis", "model.api_misuse",
           also=["data.label_shape"], argv="train_rows.py", setup=prep(ROWS_PREP))

    # ---- optimisation
    notebook("flood-extent-dice-loss-on-argmax-masks-notebook", "optim.autograd_graph", forms=NB,
             setup=prep(FLOODBIN_PREP))
    script("roof-outline-teacher-pseudo-masks-under-inference-mode", "optim.autograd_graph",
           argv="train_roofs_semi.py", setup=prep(PSEUDO_PREP))
    script("h20t-hotspot-raw-radiometric-counts-bceloss-nan-tqdm", "optim.divergence", forms=P,
           argv="train_hotspots.py", setup=prep(HOTSPOT_PREP))

    # ---- resource / environment
    script("solar-farm-seam-duplicates-box-iou-over-all-detections", "resource.host_memory",
           argv="merge_seams.py", setup=prep(FARM_PREP))
    script("webodm-mbtiles-sqlite-connection-in-dataset-spawn-workers", "env.multiprocessing",
           argv="train_buildings.py", setup=prep(MBTILES_PREP))
    notebook("workstation-config-cuda-set-device-field-laptop-notebook", "env.cuda_setup", forms=NB,
             setup=both(write("train_config_workstation.json",
                              '{"gpu": 0, "img_size": 96, "batch_size": 8, "epochs": 10, "lr": 0.001, '
                              '"data": "roof_condition"}'),
                        imgs(class_folder("roof_condition", ["good", "worn", "damaged"], 3, size=(128, 96)))))
    script("rgb-nir-fusion-ddp-rgb-only-week-nir-branch-unused-torchrun", "env.distributed",
           argv="train_fusion_ddp.py", forms=("cpython_basic", "launcher_prefix"),
           exception="RuntimeError",  # the ranks' own error; torchrun's ChildFailedError only reports it
           pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"), timeout=300,
           setup=prep(FUSION_PREP))
    script("roof-defect-aug-helper-torchvision-datapoints-import", "env.version_incompat", argv="train_roof_det.py",
           extra={"roofaug/__init__.py": "", "roofaug/transforms.py": ROOFAUG},
           setup=both(imgs([(f"roof_defects/roof_000{i}.jpg", (320, 240), "RGB") for i in (1, 2, 3)]),
                      write("roof_defects/boxes.json", ROOFAUG_ANN)))
    script("roof-classifier-checkpoint-name-from-survey-sheet-date", "other", argv="train_roof_condition.py",
           setup=both(prep(SHEET_PREP),
                      imgs(class_folder("hangar7_roof_panels", ["sound", "corroded", "holed"], 4, size=(120, 90)))))

    # ---- ImageAI 3
    script("imageai-pv-inspection-export-blank-box-cells-nan-labels", "data.bbox_invalid", framework="imageai",
           also=["data.missing_or_corrupt"], argv="train_pv_thermal.py",
           setup=both(imgs([(f"pv_thermal/{'train' if i < 6 else 'validation'}/images/{n}", (320, 256), "RGB")
                            for i, n in enumerate(pv_frames)]),
                      write("sf3_inspection_export.csv", PV_EXPORT)))
    script("imageai-roof-material-json-from-sorted-glob-detector-config", "model.api_misuse", framework="imageai",
           also=["model.weights_mismatch"], forms=("cpython_basic", "chained_during", "multiline_message"),
           argv="classify_roofs.py", exception="Exception",
           setup=both(save_cls("mobilenet_v2", '["asphalt_shingle", "clay_tile", "flat_membrane", "metal"]',
                               "roof_models/roof_material_mobilenet_v2-test_acc_0.91250_epoch-17.pt",
                               "roof_models/json/roof_material_model_classes.json"),
                      write("roof_models/json/roof_defects_tiny-yolov3_detection_config.json", ROOF_DET_CONFIG),
                      imgs([(f"quote_requests/job_{4410 + i}.jpg", (160, 120), "RGB") for i in range(2)])))
    script("imageai-flight-log-altitude-filter-np-recfromcsv-numpy2", "env.version_incompat", framework="imageai",
           argv="train_vents.py",
           setup=both(vents_layout, write("flightlogs/AirData_M3E_2024-06-12.csv", AIRDATA)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
