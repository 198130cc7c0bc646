"""A hundred-and-fourth held-out set (g196, scored 0.92 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: railway and tram maintenance staff.

The persona: railway and tram maintenance staff -- track-inspection camera frames from a measuring trolley (written
to the trolley PC's SD card per run, with chainage in the file names), catenary and pantograph photos from the
roof cameras and the patrol, detectors of rail defects and missing fastening clips with ImageAI 3.0.3 and
torchvision, classifiers of sleeper condition, line-scan images stitched per kilometre (raw strips and PNGs),
axle-box accelerations and rail-profile laser scans from the trolley, inspection spreadsheets exported as CSV from
the asset-management system, a depot workstation with a small GPU and laptops in the field. The training scripts
and notebooks are written by the staff themselves. About a fifth of the cases use ImageAI 3. A natural mix of
causes, each program built so that its cause is known by construction and made to fail inside torch, torchvision,
ImageAI, PIL, NumPy, SciPy or multiprocessing:

- images: line-scan strips stitched per kilometre, whose along-track length follows the odometer, put through
  ``Resize(192)`` (which keeps the aspect ratio) and batched (workers, data.image_size_mismatch); pantograph
  roof-camera frames from the mono camera, opened without ``convert("RGB")`` and normalised with the ImageNet
  mean (workers, data.image_channels); the last frame of a trolley run cut short on the SD card when the trolley
  PC lost power (tqdm, data.missing_or_corrupt);
- labels: the asset-management export's sleeper condition code 9 ("not assessed, covered by ballast") used as a
  class index (tqdm, data.label_out_of_range); missing-clip boxes converted from chainage on a run recorded in the
  down direction, so the box ends come before the starts, into Faster R-CNN (data.bbox_invalid); a rail-wear head
  predicting vertical and lateral wear trained against the export's vertical-wear column only (a broadcasting
  warning first, data.label_shape); the track category of the section export read with ``np.loadtxt`` into an
  ``nn.Embedding`` (data.dtype);
- models: one catenary dropper photo from the patrol classified without a batch axis, so ``Flatten`` flattens the
  wrong dimensions (notebook, model.input_shape); an LR-ASPP contact-wire segmenter whose ``OrderedDict`` output is
  given to the loss (model.output_mismatch); the depot's sleeper checkpoint with a ``Dropout`` + ``Linear`` head
  loaded on the field laptop into a plain ResNet-18 (model.weights_mismatch); ``nn.CrossEntropyLoss`` constructed
  with the logits and labels (notebook, model.api_misuse);
- optimisation: a change detector between this month's and last month's runs whose reference embeddings are
  computed once before the loop (optim.autograd_graph); a track-geometry regressor on raw axle-box acceleration
  counts under anomaly detection (optim.divergence);
- resource / environment: a whole line section of kilometre strips preallocated as one float32 array
  (resource.host_memory); raw line-scan strips memory-mapped with ``mmap`` inside the Dataset under spawn workers,
  as on the Windows field laptop (env.multiprocessing); the depot workstation's ``device: cuda:0`` config on a
  field laptop without an NVIDIA driver (env.cuda_setup); an old rail-surface augmentation helper importing
  ``torchvision.transforms.functional_tensor`` (env.version_incompat); gradient checkpointing of a shared siamese
  backbone under DDP with ``find_unused_parameters=True`` (torchrun, gloo, env.distributed); train / validation
  sizes hard-coded from last month's export for ``random_split`` (a path with spaces, other);
- ImageAI 3: missing-clip labels normalised by the tile height without subtracting the tile's offset in the
  kilometre strip (data.bbox_invalid); clip boxes from the fixed line-scan camera geometry, all of one height,
  so the anchor k-means whitening divides by a zero spread (data.too_few_boxes); the depot's fine-tuned sleeper
  classifier saved with ``torch.save(model)`` and loaded on the laptop (re-raised as a plain ``Exception``,
  model.weights_mismatch);
  ``ClassificationModelTrainer`` given a nested ``model_directory`` that does not exist yet (other);
  ``custom_objects`` given as a list of class names (notebook, model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more104.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more104.py"

SCRIPTS = {}
CELLS = {}

SLEEPER = ["sound", "hairline_crack", "broken", "rail_seat_wear"]

# ------------------------------------------------------------------ km strips through Resize(int)
STRIPS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
os.makedirs("linescan/L4120_track1", exist_ok=True)
rows = []
# one stitched strip per kilometre: 96 px across the track, along-track length from the odometer pulses
for k in range(12):
    length = int(rng.integers(700, 760))
    name = f"linescan/L4120_track1/km_{112 + k:03d}.png"
    Image.fromarray(rng.integers(0, 255, (length, 96, 3), dtype=np.uint8)).save(name)
    rows.append((name, ["clean", "fouled", "mud_spot"][k % 3]))
with open("linescan/L4120_track1/ballast_by_km.csv", "w", newline="") as f:
    csv.writer(f).writerows([("strip", "ballast")] + rows)
'''

SCRIPTS["km-strips-resize-int-keeps-aspect-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

BALLAST = ["clean", "fouled", "mud_spot"]


class KmStrips(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize(192), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["strip"]).convert("RGB")), BALLAST.index(r["ballast"])


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(KmStrips("linescan/L4120_track1/ballast_by_km.csv"), batch_size=4, shuffle=True,
                        num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 5, stride=4), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(BALLAST)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")
'''

# ------------------------------------------------------------------ pantograph mono camera frames, ImageNet Normalize
PANTO_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("pantograph/roofcam_2024-05", exist_ok=True)
rows = []
for i in range(12):
    name = f"pantograph/roofcam_2024-05/unit_{4021 + i % 4}_{i:05d}.jpg"
    # the roof camera over the pantograph is a monochrome camera with IR lighting
    Image.fromarray(rng.integers(0, 255, (120, 160), dtype=np.uint8), mode="L").save(name)
    rows.append((name, ["ok", "chipped", "worn_to_limit"][i % 3]))
with open("pantograph/strip_condition.csv", "w", newline="") as f:
    csv.writer(f).writerows([("frame", "carbon_strip")] + rows)
'''

SCRIPTS["pantograph-mono-roofcam-imagenet-normalize-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

STRIP = ["ok", "chipped", "worn_to_limit"]


class CarbonStrips(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([
            transforms.Resize((160, 160)),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
        ])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["frame"])), STRIP.index(r["carbon_strip"])


if __name__ == "__main__":
    loader = DataLoader(CarbonStrips("pantograph/strip_condition.csv"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(STRIP))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(8):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, round(loss.item(), 3))
'''

# ------------------------------------------------------------------ trolley SD card: last frame cut short
TROLLEY_PREP = '''
import csv, io, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
run = "trolley_runs/2024-05-14_L4120_up"
os.makedirs(run, exist_ok=True)
rows = []
for i in range(14):
    chain = 112400 + 5 * i
    name = f"{run}/rail_left_{chain // 1000:03d}+{chain % 1000:03d}.jpg"
    img = Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=92)
    data = buf.getvalue()
    if i == 13:
        # the trolley PC lost power at the end of the run: the last frame was not written out completely
        data = data[: len(data) // 2]
    open(name, "wb").write(data)
    rows.append((os.path.basename(name), ["none", "squat", "head_check"][i % 3]))
with open(f"{run}/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("frame", "surface_defect")] + rows)
'''

SCRIPTS["trolley-run-last-frame-cut-short-tqdm"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

RUN = "trolley_runs/2024-05-14_L4120_up"
DEFECT = ["none", "squat", "head_check"]


class RailSurface(Dataset):
    def __init__(self, run):
        self.run = run
        self.rows = list(csv.DictReader(open(os.path.join(run, "labels.csv"))))
        self.tf = transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(os.path.join(self.run, r["frame"])).convert("RGB")
        return self.tf(img), DEFECT.index(r["surface_defect"])


loader = DataLoader(RailSurface(RUN), batch_size=4, shuffle=False)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(DEFECT)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ sleeper condition code 9 = not assessed
SLEEPER_EXPORT_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("sleeper_crops", exist_ok=True)
# condition codes as the asset-management system exports them:
# 0 sound, 1 hairline crack, 2 broken, 3 rail seat wear, 9 not assessed (covered by ballast)
codes = [0, 1, 0, 2, 9, 3, 0, 1, 1, 0, 2, 9, 0, 3, 1, 0]
rows = []
for i, c in enumerate(codes):
    sid = f"SL-4120-{112000 + 60 * i}"
    Image.fromarray(rng.integers(0, 255, (64, 96, 3), dtype=np.uint8)).save(f"sleeper_crops/{sid}.jpg")
    rows.append((sid, f"{112 + i * 0.06:.3f}", f"{sid}.jpg", c))
with open("sleeper_survey_export.csv", "w", newline="") as f:
    csv.writer(f).writerows([("sleeper_id", "km", "photo", "condition_code")] + rows)
'''

SCRIPTS["sleeper-export-code-9-not-assessed-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

SLEEPER = ["sound", "hairline_crack", "broken", "rail_seat_wear"]


class SleeperSurvey(Dataset):
    def __init__(self, export):
        self.rows = list(csv.DictReader(open(export)))
        self.tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"sleeper_crops/{r['photo']}").convert("RGB")), int(r["condition_code"])


torch.manual_seed(0)
loader = DataLoader(SleeperSurvey("sleeper_survey_export.csv"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(SLEEPER)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ clip boxes from chainage on a down-direction run
CLIPS_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
os.makedirs("clip_tiles", exist_ok=True)
tiles = []
for i in range(6):
    direction = "up" if i < 3 else "down"
    start = 112.400 + 0.0005 * i if direction == "up" else 113.100 - 0.0005 * (i - 3)
    name = f"L4120_{direction}_{start:.4f}.jpg"
    # tiles of 0.5 m along the track (256 px) by 1.6 m across (256 px)
    Image.fromarray(rng.integers(0, 255, (256, 256, 3), dtype=np.uint8)).save(f"clip_tiles/{name}")
    defects = []
    for k in range(2):
        a = start * 1000 + (0.08 + 0.2 * k if direction == "up" else -0.08 - 0.2 * k)
        b = a + (0.06 if direction == "up" else -0.06)      # the tool records from/to in running direction
        defects.append({"type": ["missing_clip", "broken_clip"][k], "chainage_from_m": round(a, 3),
                        "chainage_to_m": round(b, 3), "lateral_from_mm": 180 + 900 * k, "lateral_to_mm": 260 + 900 * k})
    tiles.append({"tile": name, "direction": direction, "tile_start_m": round(start * 1000, 3), "defects": defects})
json.dump(tiles, open("clip_tiles/inspection_defects.json", "w"), indent=1)
'''

SCRIPTS["down-direction-run-clip-boxes-fasterrcnn"] = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "missing_clip", "broken_clip"]
PX_PER_M = 512          # along the track
MM_PER_PX = 6.25        # across the track


class ClipTiles(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        self.tiles = json.load(open(f"{root}/inspection_defects.json"))

    def __len__(self):
        return len(self.tiles)

    def __getitem__(self, i):
        t = self.tiles[i]
        img = Image.open(f"{self.root}/{t['tile']}").convert("RGB")
        boxes, labels = [], []
        for d in t["defects"]:
            x1 = d["lateral_from_mm"] / MM_PER_PX
            x2 = d["lateral_to_mm"] / MM_PER_PX
            y1 = (d["chainage_from_m"] - t["tile_start_m"]) * PX_PER_M
            y2 = (d["chainage_to_m"] - t["tile_start_m"]) * PX_PER_M
            boxes.append([x1, y1, x2, y2])
            labels.append(CLASSES.index(d["type"]))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}
        return TF.to_tensor(img), target


ds = ClipTiles("clip_tiles")
loader = torch.utils.data.DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(4):
    for imgs, targets in loader:
        losses = model(list(imgs), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ rail wear: two outputs, one target column
WEAR_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(6)
# rail head profiles from the trolley's laser, 200 points each, one per metre
np.save("rail_profiles_L4120.npy", rng.normal(0, 1, (96, 200)).astype(np.float32))
with open("rail_wear_export.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["profile_idx", "km", "vertical_wear_mm"])
    for i in range(96):
        w.writerow([i, f"{112.4 + i / 1000:.3f}", f"{rng.uniform(0.2, 9.5):.1f}"])
'''

SCRIPTS["rail-wear-two-output-head-vertical-only-column"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

profiles = torch.from_numpy(np.load("rail_profiles_L4120.npy"))
rows = list(csv.DictReader(open("rail_wear_export.csv")))
wear = torch.tensor([float(r["vertical_wear_mm"]) for r in rows])

# predicts vertical and lateral head wear (mm) from the laser profile
model = nn.Sequential(nn.Linear(200, 64), nn.ReLU(), nn.Linear(64, 2))
loader = DataLoader(TensorDataset(profiles, wear), batch_size=16, shuffle=True)
criterion = nn.MSELoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(50):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: mse {loss.item():.3f}")
'''

# ------------------------------------------------------------------ section export via loadtxt into Embedding
SECTIONS_PREP = '''
import numpy as np

rng = np.random.default_rng(7)
with open("section_features_export.csv", "w") as f:
    f.write("line_speed_kmh,annual_mgt,uic_group,sleeper_age_years,renewal_within_5y\\n")
    for i in range(120):
        f.write(f"{rng.choice([60, 80, 100, 120, 160])},{rng.uniform(2, 45):.1f},{rng.integers(1, 7)},"
                f"{rng.integers(3, 48)},{int(rng.random() < 0.3)}\\n")
'''

SCRIPTS["section-export-loadtxt-uic-group-embedding"] = '''
import numpy as np
import torch
import torch.nn as nn

data = np.loadtxt("section_features_export.csv", delimiter=",", skiprows=1)
num = torch.tensor(data[:, [0, 1, 3]], dtype=torch.float32)
num = (num - num.mean(0)) / num.std(0)
uic_group = torch.from_numpy(data[:, 2])          # UIC track category 1..6
target = torch.tensor(data[:, 4], dtype=torch.float32)


class RenewalModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.group = nn.Embedding(7, 4)
        self.mlp = nn.Sequential(nn.Linear(3 + 4, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, num, group):
        return self.mlp(torch.cat([num, self.group(group)], dim=1)).squeeze(1)


model = RenewalModel()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(200):
    loss = nn.functional.binary_cross_entropy_with_logits(model(num, uic_group), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
print("final loss", loss.item())
'''

# ------------------------------------------------------------------ one dropper photo without a batch axis (notebook)
CELLS["dropper-photo-classified-without-batch-axis-notebook"] = [
    '''import glob
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("droppers", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
ds.classes''',
    '''torch.manual_seed(0)
model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16 * 16, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 3))''',
    '''# today's patrol photo, mast 112-34
img = Image.open("patrol/mast_112-34_dropper.jpg").convert("RGB")
x = tf(img)
model.eval()
with torch.no_grad():
    pred = model(x).argmax(1)
ds.classes[pred.item()]''',
]

# ------------------------------------------------------------------ LR-ASPP contact wire segmenter, dict output
WIRE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
os.makedirs("catenary_seg/images", exist_ok=True)
os.makedirs("catenary_seg/masks", exist_ok=True)
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)).save(f"catenary_seg/images/cw_{i:04d}.jpg")
    m = np.zeros((128, 128), dtype=np.uint8)
    m[60 + i:64 + i, :] = 1            # contact wire
    Image.fromarray(m).save(f"catenary_seg/masks/cw_{i:04d}.png")
'''

SCRIPTS["contact-wire-lraspp-dict-output-into-loss"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import functional as TF


class WireMasks(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        p = self.images[i]
        m = os.path.join(self.root, "masks", os.path.basename(p).replace(".jpg", ".png"))
        return TF.to_tensor(Image.open(p).convert("RGB")), torch.from_numpy(np.array(Image.open(m))).long()


loader = DataLoader(WireMasks("catenary_seg"), batch_size=2, shuffle=True)
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=2)
criterion = nn.CrossEntropyLoss(weight=torch.tensor([0.1, 0.9]))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
model.train()
for epoch in range(10):
    for x, mask in loader:
        out = model(x)
        loss = criterion(out, mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ depot checkpoint with Dropout + Linear head
DEPOT_CKPT_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
m = models.resnet18(weights=None)
# the depot workstation's training script: dropout before the classifier
m.fc = nn.Sequential(nn.Dropout(0.3), nn.Linear(512, 4))
torch.save(m.state_dict(), "models/sleeper_resnet18_depot_2024-05.pt")
'''

SCRIPTS["depot-sleeper-checkpoint-dropout-head-field-laptop"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

SLEEPER = ["sound", "hairline_crack", "broken", "rail_seat_wear"]

model = models.resnet18(weights=None, num_classes=len(SLEEPER))
model.load_state_dict(torch.load("models/sleeper_resnet18_depot_2024-05.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 192)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
with torch.no_grad():
    for p in sorted(glob.glob("field_photos/*.jpg")):
        probs = model(tf(Image.open(p).convert("RGB")).unsqueeze(0)).softmax(1)[0]
        print(p, SLEEPER[int(probs.argmax())], f"{probs.max():.2f}")
'''

# ------------------------------------------------------------------ nn.CrossEntropyLoss(outputs, labels) (notebook)
CELLS["sleeper-notebook-crossentropyloss-given-logits-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 144)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("sleepers/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.class_to_idx)''',
    '''model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    model.train()
    for images, labels in train_loader:
        outputs = model(images)
        loss = nn.CrossEntropyLoss(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch + 1}: {loss.item():.4f}")''',
]

# ------------------------------------------------------------------ change detection, reference embeddings once
CHANGE_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
for run in ("2024-04", "2024-05"):
    os.makedirs(f"monthly_runs/{run}", exist_ok=True)
rows = []
for i in range(16):
    pos = f"{112400 + 25 * i}"
    base = rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(base).save(f"monthly_runs/2024-04/{pos}.png")
    changed = int(i % 4 == 0)
    cur = rng.integers(0, 255, (64, 64, 3), dtype=np.uint8) if changed else base
    Image.fromarray(cur).save(f"monthly_runs/2024-05/{pos}.png")
    rows.append((pos, changed))
with open("monthly_runs/changes_2024-05.csv", "w", newline="") as f:
    csv.writer(f).writerows([("chainage_m", "changed")] + rows)
'''

SCRIPTS["monthly-run-change-detector-reference-embeddings-once"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms

tf = transforms.ToTensor()
rows = list(csv.DictReader(open("monthly_runs/changes_2024-05.csv")))
ref = torch.stack([tf(Image.open(f"monthly_runs/2024-04/{r['chainage_m']}.png")) for r in rows])
cur = torch.stack([tf(Image.open(f"monthly_runs/2024-05/{r['chainage_m']}.png")) for r in rows])
changed = torch.tensor([float(r["changed"]) for r in rows])

torch.manual_seed(0)
encoder = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 16))
margin = nn.Parameter(torch.tensor(1.0))
opt = torch.optim.Adam(list(encoder.parameters()) + [margin], lr=1e-3)

# last month's run does not change: embed it once
ref_emb = encoder(ref)

for epoch in range(20):
    perm = torch.randperm(len(rows))
    for i in range(0, len(rows), 4):
        idx = perm[i:i + 4]
        dist = (encoder(cur[idx]) - ref_emb[idx]).pow(2).sum(1)
        loss = nn.functional.binary_cross_entropy_with_logits(dist - margin, changed[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ track geometry from raw axle-box counts
AXLEBOX_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(13)
# axle-box accelerometer, 16-bit counts straight from the trolley's logger, 1 s windows at 200 Hz
np.save("axlebox_L4120_2024-05.npy", rng.normal(0, 6000, (512, 200)).astype(np.float32))
with open("track_geometry_export.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["window", "km", "longitudinal_level_sd_mm"])
    for i in range(512):
        w.writerow([i, f"{112.4 + i * 0.02:.3f}", f"{rng.uniform(0.4, 3.5):.2f}"])
'''

SCRIPTS["axle-box-raw-counts-geometry-regressor-anomaly-mode"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

X = torch.from_numpy(np.load("axlebox_L4120_2024-05.npy"))
y = torch.tensor([float(r["longitudinal_level_sd_mm"]) for r in csv.DictReader(open("track_geometry_export.csv"))])

torch.autograd.set_detect_anomaly(True)     # last run ended with nan: find where
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(200, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
for epoch in range(30):
    for xb, yb in loader:
        loss = nn.functional.mse_loss(model(xb).squeeze(1), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''

# ------------------------------------------------------------------ whole line section preallocated
SECTION_META_PREP = '''
import json
json.dump({"line": "L4120", "track": 1, "km_from": 112, "km_to": 124, "camera": "linescan 2048 px",
           "row_pitch_mm": 1.0, "rows_per_km": 1000000, "width_px": 2048, "channels": 1,
           "strips": [f"km_{k:03d}.raw" for k in range(112, 124)]},
          open("section_L4120_t1.json", "w"), indent=1)
'''

SCRIPTS["line-section-km-strips-preallocated-float32"] = '''
import json

import numpy as np

meta = json.load(open("section_L4120_t1.json"))
n_km = meta["km_to"] - meta["km_from"]
rows, width = meta["rows_per_km"], meta["width_px"]
print(f"{meta['line']} track {meta['track']}: {n_km} km, {rows} rows of {width} px per km")

# the whole section in one array, normalised, so the sleeper detector can slide over it
section = np.zeros((n_km * rows, width), dtype=np.float32)
for k, name in enumerate(meta["strips"]):
    strip = np.fromfile(f"strips/{name}", dtype=np.uint8).reshape(rows, width)
    section[k * rows:(k + 1) * rows] = strip / 255.0
print(section.shape, section.mean())
'''

# ------------------------------------------------------------------ mmap in the Dataset under spawn
RAW_PREP = '''
import json, os
import numpy as np

rng = np.random.default_rng(15)
os.makedirs("raw_strips", exist_ok=True)
index = []
for k in range(3):
    name = f"raw_strips/km_{112 + k:03d}.raw"
    rng.integers(0, 255, (2048, 256), dtype=np.uint8).tofile(name)
    for t in range(0, 2048, 256):
        index.append({"file": name, "row": t, "label": int(rng.integers(0, 3))})
json.dump({"width": 256, "tile_rows": 256, "tiles": index}, open("raw_strips/tiles.json", "w"))
'''

SCRIPTS["raw-linescan-mmap-in-dataset-spawn-workers"] = '''
import json
import mmap

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader


class RawStripTiles(Dataset):
    """tiles cut straight out of the raw line-scan strips, memory-mapped so nothing is loaded twice"""

    def __init__(self, index_path):
        idx = json.load(open(index_path))
        self.w, self.h, self.tiles = idx["width"], idx["tile_rows"], idx["tiles"]
        self.maps = {}
        for t in self.tiles:
            if t["file"] not in self.maps:
                with open(t["file"], "rb") as f:
                    self.maps[t["file"]] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def __len__(self):
        return len(self.tiles)

    def __getitem__(self, i):
        t = self.tiles[i]
        buf = self.maps[t["file"]][t["row"] * self.w:(t["row"] + self.h) * self.w]
        x = torch.from_numpy(np.frombuffer(buf, dtype=np.uint8).reshape(1, self.h, self.w).astype(np.float32) / 255)
        return x, t["label"]


if __name__ == "__main__":
    ds = RawStripTiles("raw_strips/tiles.json")
    # same script as on the Windows field laptop, where DataLoader workers are spawned
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = nn.Sequential(nn.Conv2d(1, 8, 5, stride=4), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ depot config cuda:0 on the field laptop
DEPOT_CFG_PREP = '''
import json
json.dump({"device": "cuda:0", "img_size": [96, 144], "batch_size": 8, "epochs": 10, "lr": 0.001,
           "data": "sleepers/train"}, open("depot_config.json", "w"), indent=1)
'''

SCRIPTS["depot-config-cuda-device-field-laptop"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

cfg = json.load(open("depot_config.json"))      # copied over from the depot workstation
device = torch.device(cfg["device"])

ds = datasets.ImageFolder(cfg["data"], transform=transforms.Compose([transforms.Resize(cfg["img_size"]),
                                                                      transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=cfg["batch_size"], shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes)).to(device)
opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
for epoch in range(cfg["epochs"]):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ old augmentation helper: functional_tensor
RAILAUG = '''
"""photometric augmentation for rail-surface frames (from the 2021 rail-SR repo)"""
import random

import torch
from torchvision.transforms.functional_tensor import adjust_contrast, rgb_to_grayscale


class RailPhotometric:
    def __init__(self, p_gray=0.3, contrast=(0.7, 1.3)):
        self.p_gray, self.contrast = p_gray, contrast

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if random.random() < self.p_gray:
            x = rgb_to_grayscale(x, num_output_channels=3)
        return adjust_contrast(x, random.uniform(*self.contrast))
'''

SCRIPTS["rail-surface-aug-helper-functional-tensor-import"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from railaug.photometric import RailPhotometric

tf = transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor(), RailPhotometric()])
ds = datasets.ImageFolder("rail_surface", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ DDP + reentrant checkpoint of a shared backbone
SCRIPTS["siamese-checkpointed-backbone-ddp-find-unused-torchrun"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.checkpoint import checkpoint


class SiameseChange(nn.Module):
    """this month's frame vs last month's frame at the same chainage, one shared backbone"""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU())
        self.blocks = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                                    nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
                                    nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(64, 1)

    def embed(self, x):
        # activation checkpointing: the depot GPU has 6 GB
        return checkpoint(self.blocks, self.stem(x), use_reentrant=True)

    def forward(self, cur, ref):
        return self.head((self.embed(cur) - self.embed(ref)).abs()).squeeze(1)


def main():
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(rank)
    # find_unused_parameters as in the multi-task script this one was copied from
    model = DDP(SiameseChange(), find_unused_parameters=True)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for step in range(20):
        cur, ref = torch.rand(4, 3, 64, 64), torch.rand(4, 3, 64, 64)
        changed = (torch.rand(4) < 0.25).float()
        loss = F.binary_cross_entropy_with_logits(model(cur, ref), changed)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if rank == 0 and step % 5 == 0:
            print(f"step {step} loss {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
'''

# ------------------------------------------------------------------ random_split with last month's counts
SPLIT_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(19)
os.makedirs("survey_photos", exist_ok=True)
rows = []
# this month's export has 23 sleepers (last month's had 20)
for i in range(23):
    sid = f"SL-4120-{113000 + 60 * i}"
    Image.fromarray(rng.integers(0, 255, (48, 72, 3), dtype=np.uint8)).save(f"survey_photos/{sid}.jpg")
    rows.append((sid, f"{sid}.jpg", int(rng.integers(0, 4))))
with open("survey_export_2024-06.csv", "w", newline="") as f:
    csv.writer(f).writerows([("sleeper_id", "photo", "condition_code")] + rows)
'''

SCRIPTS["survey-export-random-split-last-months-counts"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader, random_split
from torchvision import transforms

N_TRAIN, N_VAL = 16, 4


class Survey(Dataset):
    def __init__(self, export):
        self.rows = list(csv.DictReader(open(export)))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"survey_photos/{r['photo']}").convert("RGB")), int(r["condition_code"])


full = Survey("survey_export_2024-06.csv")
train_ds, val_ds = random_split(full, [N_TRAIN, N_VAL], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in train_loader:
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

SCRIPTS["imageai-clip-labels-km-strip-offset-not-subtracted"] = sub(
    DET_TRAIN, DIR="clip_yolo", NAMES='["missing_clip", "broken_clip"]', EPOCHS="40").replace(
    "trainer = Det", "# labels converted from the km-strip annotations, tiles of 256 rows\ntrainer = Det")


def strip_offset_rows(split, i):
    # the tile's own offset in the strip (i * 256 rows) was not subtracted before dividing by the tile height
    tile0 = (i + (0 if split == "train" else 6)) * 256
    out = []
    for k in range(2):
        yc = (tile0 + 70 + 90 * k) / 256
        out.append(f"{k} {0.25 + 0.5 * k:.4f} {yc:.4f} 0.1250 0.0800\n")
    return "".join(out)


SCRIPTS["imageai-fixed-camera-clip-boxes-anchor-kmeans"] = sub(
    DET_TRAIN, DIR="fastening_clips", NAMES='["clip", "missing_clip"]', EPOCHS="60").replace(
    "trainer = Det", "# clip positions from the line-scan frames of the trolley's fixed down-looking camera\ntrainer = Det")


def fixed_camera_rows(split, i):
    # every clip sits at the same place under the fixed camera: boxes of one height and two widths (field / gauge
    # side)
    rows = []
    for k in range(4):
        cls = 1 if (i + k) % 5 == 0 else 0
        w, h = (0.1250, 0.0625) if k % 2 == 0 else (0.1094, 0.0625)
        rows.append(f"{cls} {[0.18, 0.36, 0.64, 0.82][k]:.4f} {0.25 + 0.5 * (k // 2):.4f} {w:.4f} {h:.4f}\n")
    return "".join(rows)


FULL_MODEL_PREP = '''
import json
import os
import torch
import torch.nn as nn
from torchvision.models import mobilenet_v2

os.makedirs("sleeper_cls/models", exist_ok=True)
torch.manual_seed(0)
# the depot's own fine-tuning script (after the ImageAI trainer): saves the whole model
m = mobilenet_v2(weights=None)
m.classifier[1] = nn.Linear(m.classifier[1].in_features, 4)
torch.save(m, "sleeper_cls/models/mobilenet_v2-sleepers-finetuned-2024-05.pt")
json.dump({"0": "broken", "1": "hairline_crack", "2": "rail_seat_wear", "3": "sound"},
          open("sleeper_cls/models/sleepers_model_classes.json", "w"))
'''

SCRIPTS["imageai-sleeper-classifier-whole-model-saved-laptop"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("sleeper_cls/models/mobilenet_v2-sleepers-finetuned-2024-05.pt")
clf.setJsonPath("sleeper_cls/models/sleepers_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("field_photos/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, list(zip(names, probs)))
'''

SCRIPTS["imageai-cls-trainer-nested-model-directory"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("sleeper_dataset")
# keep every month's run apart
trainer.trainModel(num_experiments=20, batch_size=4, model_directory="runs/sleeper_cls/2024-06")
'''

TINY = {"PT": "clip_det/models/tiny-yolov3_clip_det_mAP-0.52140_epoch-37.pt",
        "JS": "clip_det/json/clip_det_tiny-yolov3_detection_config.json"}

CELLS["imageai-detect-custom-objects-as-list-notebook"] = [
    sub('''from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()''', **TINY),
    '''import glob
frames = sorted(glob.glob("run_2024-06-03/*.jpg"))
len(frames)''',
    '''# only the missing clips go into the work order
for f in frames:
    dets = detector.detectObjectsFromImage(input_image=f, output_image_path=f.replace(".jpg", "_det.jpg"),
                                           custom_objects=["missing_clip"], minimum_percentage_probability=30)
    print(f, [(d["name"], d["percentage_probability"]) for d in dets])''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more104-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    sleepers = imgs(class_folder("sleepers/train", SLEEPER, 3, size=(144, 96)))
    field = imgs([(f"field_photos/SL-4120-{118000 + 60 * i}.jpg", (144, 96), "RGB") for i in range(2)])

    # ---- images
    script("km-strips-resize-int-keeps-aspect-workers", "data.image_size_mismatch", forms=W,
           argv="train_ballast.py", setup=prep(STRIPS_PREP))
    script("pantograph-mono-roofcam-imagenet-normalize-workers", "data.image_channels", forms=W,
           argv="train_carbon_strip.py", setup=prep(PANTO_PREP))
    script("trolley-run-last-frame-cut-short-tqdm", "data.missing_or_corrupt", forms=P,
           argv="train_rail_surface.py", setup=prep(TROLLEY_PREP))

    # ---- labels
    script("sleeper-export-code-9-not-assessed-tqdm", "data.label_out_of_range", forms=P,
           argv="train_sleepers.py", setup=prep(SLEEPER_EXPORT_PREP))
    script("down-direction-run-clip-boxes-fasterrcnn", "data.bbox_invalid", argv="train_clips.py",
           setup=prep(CLIPS_PREP))
    script("rail-wear-two-output-head-vertical-only-column", "data.label_shape", also=["model.output_mismatch"],
           argv="train_wear.py", setup=prep(WEAR_PREP))
    script("section-export-loadtxt-uic-group-embedding", "data.dtype", argv="renewal_model.py",
           setup=prep(SECTIONS_PREP))

    # ---- models
    notebook("dropper-photo-classified-without-batch-axis-notebook", "model.input_shape", forms=NB,
             setup=imgs(class_folder("droppers", ["intact", "slack", "broken"], 3, size=(80, 80))
                        + [("patrol/mast_112-34_dropper.jpg", (120, 90), "RGB")]))
    script("contact-wire-lraspp-dict-output-into-loss", "model.output_mismatch", also=["model.api_misuse"],
           argv="train_wire_seg.py", setup=prep(WIRE_PREP))
    script("depot-sleeper-checkpoint-dropout-head-field-laptop", "model.weights_mismatch", argv="classify_field.py",
           setup=both(prep(DEPOT_CKPT_PREP), field))
    notebook("sleeper-notebook-crossentropyloss-given-logits-notebook", "model.api_misuse", forms=NB, setup=sleepers)

    # ---- optimisation
    script("monthly-run-change-detector-reference-embeddings-once", "optim.autograd_graph",
           argv="train_change.py", setup=prep(CHANGE_PREP))
    script("axle-box-raw-counts-geometry-regressor-anomaly-mode", "optim.divergence", argv="train_geometry.py",
           setup=prep(AXLEBOX_PREP))

    # ---- resource / environment
    script("line-section-km-strips-preallocated-float32", "resource.host_memory", argv="stitch_section.py",
           setup=prep(SECTION_META_PREP))
    script("raw-linescan-mmap-in-dataset-spawn-workers", "env.multiprocessing", argv="train_raw_tiles.py",
           setup=prep(RAW_PREP))
    script("depot-config-cuda-device-field-laptop", "env.cuda_setup", argv="train_sleepers.py",
           setup=both(prep(DEPOT_CFG_PREP), sleepers))
    script("rail-surface-aug-helper-functional-tensor-import", "env.version_incompat", argv="train_surface.py",
           extra={"railaug/__init__.py": "", "railaug/photometric.py": RAILAUG},
           setup=imgs(class_folder("rail_surface", ["none", "squat", "head_check"], 3, size=(128, 96))))
    script("siamese-checkpointed-backbone-ddp-find-unused-torchrun", "env.distributed",
           also=["optim.autograd_graph"], argv="train_change_ddp.py", forms=("cpython_basic", "launcher_prefix"),
           exception="RuntimeError",  # the ranks' own error; torchrun's ChildFailedError only reports it
           pre=("-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"), timeout=300)
    script("survey-export-random-split-last-months-counts", "other", forms=("cpython_basic", "paths_with_spaces"),
           argv="train_survey.py", project="/home/user/Track Inspection/sleeper survey", setup=prep(SPLIT_PREP))

    # ---- ImageAI 3
    script("imageai-clip-labels-km-strip-offset-not-subtracted", "data.bbox_invalid", framework="imageai",
           argv="train_clip_det.py", setup=yolo_layout("clip_yolo", strip_offset_rows, size=(256, 256)))
    script("imageai-fixed-camera-clip-boxes-anchor-kmeans", "data.too_few_boxes", framework="imageai",
           argv="train_clips.py", timeout=400, setup=yolo_layout("fastening_clips", fixed_camera_rows, size=(256, 256)))
    script("imageai-sleeper-classifier-whole-model-saved-laptop", "model.weights_mismatch", framework="imageai",
           also=["model.api_misuse", "env.version_incompat"],
           forms=("cpython_basic", "chained_during", "multiline_message"),
           argv="classify_sleepers.py", exception="Exception", setup=both(prep(FULL_MODEL_PREP), field))
    script("imageai-cls-trainer-nested-model-directory", "other", framework="imageai", also=["model.api_misuse"],
           argv="train_sleeper_cls.py",
           setup=imgs(class_folder("sleeper_dataset/train", SLEEPER, 3, size=(96, 64))
                      + class_folder("sleeper_dataset/test", SLEEPER, 1, size=(96, 64))))
    notebook("imageai-detect-custom-objects-as-list-notebook", "model.api_misuse", framework="imageai", forms=NB,
             setup=both(save_tiny('["clip", "missing_clip"]', 2, TINY["PT"], TINY["JS"]),
                        imgs([(f"run_2024-06-03/frame_{112400 + 5 * i}.jpg", (320, 240), "RGB") for i in range(2)])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
