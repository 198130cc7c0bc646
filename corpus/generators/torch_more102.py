"""A hundred-and-second held-out set (g192, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: insurance claims adjusters and small loss-assessment firms.

The persona: claims adjusters and small loss-assessment firms -- photos of damaged cars, roofs and water damage sent
by customers from their phones (HEIC converted to JPEG, EXIF-rotated, screenshots, PDFs of photos, printed photos
scanned at the office), dent and hail-mark detectors with ImageAI 3.0.3 and torchvision, damage-severity
classifiers, claim spreadsheets exported from the claims system, a shared Windows drive, and a workstation with a
small GPU next to the adjusters' laptops. The training scripts and notebooks are written by the staff themselves.
About a fifth of the cases use ImageAI 3. A natural mix of causes, each program built so that its cause is known by
construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy or multiprocessing:

- images: a customer's PDF of photos listed among the claim attachments (workers, tqdm, data.missing_or_corrupt);
  water-stain masks loaded at the photo's own size while the photos are resized (data.image_size_mismatch);
  printed photos scanned in grayscale at the office, read with ``torchvision.io.read_image`` into a ResNet (tqdm,
  data.image_channels); converted claim photos read as uint8 tensors straight into the model (notebook,
  data.dtype);
- labels: the claims export's ``-1`` "not assessed" severity used as a class index (tqdm,
  data.label_out_of_range); one-hot severity rows from ``np.eye`` given to ``NLLLoss`` (data.label_shape); a
  three-part repair-cost head (parts, labour, paint) regressed on the total from the export, with the broadcast
  warning before the error (data.label_shape); dent boxes from a COCO export ``[x, y, w, h]`` used as corners by
  Faster R-CNN (data.bbox_invalid);
- models: a roof-damage CNN whose ``Linear`` was sized for 224 px run on 256 px photos (model.input_shape); a
  total-loss / repairable head with two units under ``BCEWithLogitsLoss`` (model.output_mismatch); the
  workstation's ``DataParallel`` checkpoint loaded on a laptop (``module.`` keys, model.weights_mismatch);
  ``Normalize`` placed before ``ToTensor`` (workers, model.api_misuse);
- optimisation: a hail heat-map zeroed in place after the sigmoid (optim.autograd_graph); a backbone-freezing loop
  run after the new head was attached (notebook, optim.autograd_graph); a log-link roof-replacement cost model on
  raw square metres whose gradients overflow, caught by ``clip_grad_norm_(error_if_nonfinite=True)``
  (optim.divergence);
- resource / environment: a RAM cache for every full-resolution claim photo in the export (resource.host_memory);
  the workstation's CUDA checkpoint loaded on an adjuster's laptop without ``map_location`` (env.device_mismatch);
  an old hail-detection repo's augmentation helper using ``np.int`` (env.version_incompat); a notebook Dataset under
  spawn DataLoader workers, as on the Windows workstation (notebook, env.multiprocessing);
- ImageAI 3: hail-mark YOLO labels exported with a fourth class the names array lacks (data.label_out_of_range); a
  severity classifier's class JSON with a class added after training (re-raised as a plain ``Exception``,
  model.weights_mismatch); the dent trainer's first validation reaching ``np.trapz`` under NumPy 2
  (env.version_incompat); ``ClassificationModelTrainer`` on ``train/`` + ``validation/`` folders
  (data.missing_or_corrupt); zero-byte photos from failed portal downloads given to ``detectObjectsFromImage``
  (data.missing_or_corrupt).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more102.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more102.py"

SCRIPTS = {}
CELLS = {}

SEVERITY = ["minor", "moderate", "severe", "total_loss"]

# ------------------------------------------------------------------ a PDF of photos among the claim attachments
ATTACH_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(1)
rows = []
for c in range(8):
    claim = f"CLM-2024-{31870 + c}"
    os.makedirs(f"attachments/{claim}", exist_ok=True)
    for k in range(2):
        name = f"attachments/{claim}/IMG_{4410 + 3 * c + k}.jpg"
        Image.fromarray(rng.integers(0, 255, (90, 120, 3), dtype=np.uint8)).save(name)
        rows.append((claim, name, c % 4))
# one customer printed the photos to PDF on her phone and uploaded that
pages = [Image.fromarray(rng.integers(0, 255, (90, 120, 3), dtype=np.uint8)) for _ in range(3)]
pages[0].save("attachments/CLM-2024-31875/photos_rear_bumper.pdf", save_all=True, append_images=pages[1:])
rows.append(("CLM-2024-31875", "attachments/CLM-2024-31875/photos_rear_bumper.pdf", 1))
rows.sort()
with open("claims_export_attachments.csv", "w", newline="") as f:
    csv.writer(f).writerows([("claim_id", "attachment", "severity")] + rows)
'''

SCRIPTS["claim-attachments-customer-pdf-in-photo-list-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm


class ClaimPhotos(Dataset):
    def __init__(self, export):
        self.rows = list(csv.DictReader(open(export)))
        self.tf = transforms.Compose([transforms.Resize((96, 128)), transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["attachment"]).convert("RGB")), int(r["severity"])


if __name__ == "__main__":
    ds = ClaimPhotos("claims_export_attachments.csv")
    print(f"{len(ds)} attachments from the claims system export")
    loader = DataLoader(ds, batch_size=4, shuffle=False, num_workers=2)
    model = models.resnet18(weights=None, num_classes=4)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in tqdm(loader, desc=f"epoch {epoch}"):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
'''

# ------------------------------------------------------------------ water-stain masks left at the photo's size
STAIN_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("water_damage/photos", exist_ok=True)
os.makedirs("water_damage/masks", exist_ok=True)
# 4:3 photos from most phones, 16:9 from a few
sizes = [(160, 120), (160, 120), (160, 120), (160, 90), (160, 120), (160, 90), (160, 120), (160, 120)]
for i, (w, h) in enumerate(sizes):
    Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8)).save(f"water_damage/photos/wd_{i:04d}.jpg")
    m = np.zeros((h, w), dtype=np.uint8)
    m[h // 4: h // 2, w // 3: w // 2 + 10] = 1
    Image.fromarray(m).save(f"water_damage/masks/wd_{i:04d}.png")
'''

SCRIPTS["water-stain-masks-not-resized-with-photos"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class StainSeg(Dataset):
    def __init__(self, root):
        self.photos = sorted(glob.glob(os.path.join(root, "photos", "*.jpg")))
        self.root = root
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.photos)

    def __getitem__(self, i):
        p = self.photos[i]
        m = os.path.join(self.root, "masks", os.path.basename(p).replace(".jpg", ".png"))
        img = self.tf(Image.open(p).convert("RGB"))
        mask = torch.from_numpy(np.array(Image.open(m))).long()
        return img, mask


loader = DataLoader(StainSeg("water_damage"), batch_size=4, shuffle=False)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(16, 2, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ scanned prints in grayscale through read_image
SCANS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
# customers without a smartphone mail printed photos; the office scanner is set to "Grayscale, 150 dpi"
for sev in ("minor", "moderate", "severe"):
    os.makedirs(f"scanned_prints/{sev}", exist_ok=True)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (110, 150), dtype=np.uint8), mode="L").save(
            f"scanned_prints/{sev}/scan_{i:04d}.jpg")
'''

SCRIPTS["scanned-prints-grayscale-read-image-resnet-tqdm"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from torchvision import models
from torchvision.io import read_image
from torchvision.transforms import v2
from tqdm import tqdm

SEV = ["minor", "moderate", "severe"]


class Scans(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.tf = v2.Compose([v2.Resize((112, 112)), v2.ToDtype(torch.float32, scale=True)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        return self.tf(read_image(p)), SEV.index(os.path.basename(os.path.dirname(p)))


loader = DataLoader(Scans("scanned_prints"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(SEV))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/5"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ uint8 tensors into the model (notebook)
CELLS["converted-claim-photos-uint8-read-image-notebook"] = [
    '''import glob, os
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from torchvision.io import read_image
from torchvision.transforms import v2

# JPEGs converted from the customers' HEIC uploads by the portal
files = sorted(glob.glob("converted/*/*.jpg"))
classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})
len(files), classes''',
    '''class Converted(Dataset):
    tf = v2.Compose([v2.Resize((96, 96)), v2.RandomHorizontalFlip()])

    def __len__(self):
        return len(files)

    def __getitem__(self, i):
        p = files[i]
        return self.tf(read_image(p)), classes.index(os.path.basename(os.path.dirname(p)))


loader = DataLoader(Converted(), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ -1 "not assessed" severity in the export
NOTASSESSED_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("motor_claims/photos", exist_ok=True)
# severity as the claims system exports it: 0 minor .. 3 total loss, -1 = not yet assessed
sev = [0, 2, 1, 3, 0, 1, 1, 2, 0, -1, 3, 1, 2, 0, 1, 2]
rows = []
for i, s in enumerate(sev):
    Image.fromarray(rng.integers(0, 255, (72, 96, 3), dtype=np.uint8)).save(f"motor_claims/photos/{70412 + i}.jpg")
    rows.append((70412 + i, f"{70412 + i}.jpg", s, "2024-06-%02d" % (1 + i)))
with open("motor_claims/export_2024_06.csv", "w", newline="") as f:
    csv.writer(f).writerows([("claim_no", "photo", "severity_code", "reported")] + rows)
'''

SCRIPTS["claims-export-not-assessed-minus-one-severity-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
from tqdm import tqdm

SEVERITY = ["minor", "moderate", "severe", "total_loss"]


class MotorClaims(Dataset):
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/export_2024_06.csv")))
        self.tf = transforms.Compose([transforms.Resize((72, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"{self.root}/photos/{r['photo']}").convert("RGB")), int(r["severity_code"])


loader = DataLoader(MotorClaims("motor_claims"), batch_size=8, shuffle=False)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(SEVERITY)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ one-hot severity into NLLLoss
SEV_FEAT_PREP = '''
import numpy as np

rng = np.random.default_rng(5)
n = 240
# features the adjusters' estimate sheet produces: panels affected, airbags deployed, speed estimate, vehicle age
X = np.c_[rng.integers(1, 9, n), rng.integers(0, 3, n), rng.uniform(5, 90, n), rng.integers(0, 20, n)]
sev = np.clip((X[:, 0] // 3 + X[:, 1] + (X[:, 2] > 60)).astype(int), 0, 3)
np.savez("estimate_sheets_q2.npz", X=X.astype(np.float32), severity=sev)
'''

SCRIPTS["severity-one-hot-rows-nllloss"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

d = np.load("estimate_sheets_q2.npz")
X = (d["X"] - d["X"].mean(0)) / d["X"].std(0)
Y = np.eye(4, dtype=np.float32)[d["severity"]]          # one-hot, as in the course notebook

loader = DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 4), nn.LogSoftmax(dim=1))
criterion = nn.NLLLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(40):
    for xb, yb in loader:
        loss = criterion(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ three-part cost head vs the total
COST_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(6)
rows = []
for i in range(200):
    panels = int(rng.integers(1, 8))
    paint_h = float(rng.uniform(1, 12))
    parts = panels * float(rng.uniform(180, 650))
    labour = float(rng.uniform(4, 30)) * 68
    paint = paint_h * 74
    rows.append((f"CLM-{55000 + i}", panels, round(paint_h, 1), int(rng.integers(0, 18)), round(parts + labour + paint, 2)))
with open("repairs_closed_2023.csv", "w", newline="") as f:
    csv.writer(f).writerows([("claim_id", "panels", "paint_hours", "vehicle_age", "total_eur")] + rows)
'''

SCRIPTS["repair-cost-three-part-head-vs-total-column"] = '''
import csv

import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

rows = list(csv.DictReader(open("repairs_closed_2023.csv")))
X = torch.tensor([[float(r["panels"]), float(r["paint_hours"]), float(r["vehicle_age"])] for r in rows])
X = (X - X.mean(0)) / X.std(0)
y = torch.tensor([float(r["total_eur"]) for r in rows]) / 1000.0

# one output per cost block: parts, labour, paint (k EUR)
model = nn.Sequential(nn.Linear(3, 32), nn.ReLU(), nn.Linear(32, 3))
loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
criterion = nn.MSELoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(50):
    for xb, yb in loader:
        loss = criterion(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if epoch % 10 == 0:
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ COCO [x, y, w, h] dent boxes as corners
DENTS_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("dents/images", exist_ok=True)
coco = {"images": [], "annotations": [], "categories": [{"id": 1, "name": "dent"}, {"id": 2, "name": "scratch"}]}
for i in range(6):
    Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"dents/images/door_{i:03d}.jpg")
    coco["images"].append({"id": i + 1, "file_name": f"door_{i:03d}.jpg", "width": 320, "height": 240})
    for k, (x, y, w, h) in enumerate([(60 + 8 * i, 40, 70, 55), (200, 120 + 4 * i, 28, 22)]):
        coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1, "category_id": 1 + k % 2,
                                    "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
json.dump(coco, open("dents/annotations_coco.json", "w"))
'''

SCRIPTS["dent-boxes-coco-xywh-as-corners-fasterrcnn"] = '''
import collections
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


class Dents(torch.utils.data.Dataset):
    def __init__(self, root):
        self.root = root
        coco = json.load(open(f"{root}/annotations_coco.json"))
        self.images = coco["images"]
        self.anns = collections.defaultdict(list)
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        im = self.images[i]
        img = TF.to_tensor(Image.open(f"{self.root}/images/{im['file_name']}").convert("RGB"))
        anns = self.anns[im["id"]]
        target = {"boxes": torch.tensor([a["bbox"] for a in anns], dtype=torch.float32),
                  "labels": torch.tensor([a["category_id"] for a in anns])}
        return img, target


loader = torch.utils.data.DataLoader(Dents("dents"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(4):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ roof CNN Linear sized for 224 px
SCRIPTS["roof-damage-cnn-linear-for-224-on-256-photos"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class RoofNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 28 * 28, 128), nn.ReLU(),
                                        nn.Linear(128, n_classes))

    def forward(self, x):
        return self.classifier(self.features(x))


# drone and ladder photos of the roofs; 256 px keeps the hail marks visible
tf = transforms.Compose([transforms.Resize((256, 256)), transforms.ToTensor()])
ds = datasets.ImageFolder("roofs", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = RoofNet(len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ total-loss head with two units + BCE
SCRIPTS["total-loss-vs-repairable-two-unit-head-bce"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("write_off", transform=tf)          # repairable / total_loss
print(ds.class_to_idx)
loader = DataLoader(ds, batch_size=8, shuffle=True)

model = models.mobilenet_v3_small(weights=None)
model.classifier[3] = nn.Linear(model.classifier[3].in_features, len(ds.classes))
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))     # total losses are rarer
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y.float().unsqueeze(1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ DataParallel checkpoint from the workstation
DP_PREP = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("S_drive/models/severity", exist_ok=True)
torch.manual_seed(0)
net = nn.DataParallel(models.resnet18(weights=None, num_classes=4))     # the workstation's train.py
torch.save(net.state_dict(), "S_drive/models/severity/resnet18_severity_best.pth")
'''

SCRIPTS["workstation-dataparallel-checkpoint-on-laptop"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

SEVERITY = ["minor", "moderate", "severe", "total_loss"]

model = models.resnet18(weights=None, num_classes=len(SEVERITY))
model.load_state_dict(torch.load("S_drive/models/severity/resnet18_severity_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
for path in sorted(glob.glob("new_claims/*.jpg")):
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB"))[None]).softmax(1)[0]
    print(path, SEVERITY[int(p.argmax())], round(float(p.max()), 2))
'''

# ------------------------------------------------------------------ Normalize before ToTensor
SCRIPTS["normalize-before-totensor-damage-type-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

train_tf = transforms.Compose([
    transforms.Resize((112, 112)),
    transforms.RandomHorizontalFlip(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    transforms.ToTensor(),
])

if __name__ == "__main__":
    ds = datasets.ImageFolder("damage_type", transform=train_tf)     # hail / collision / water / fire
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ hail heat-map zeroed in place
HAILMAP_PREP = '''
import numpy as np

rng = np.random.default_rng(14)
n = 48
panels = rng.random((n, 3, 64, 64), dtype=np.float32)
heat = np.zeros((n, 1, 32, 32), dtype=np.float32)
for i in range(n):
    for _ in range(int(rng.integers(3, 15))):
        y, x = rng.integers(1, 31, 2)
        heat[i, 0, y - 1:y + 2, x - 1:x + 2] = 1.0
np.savez("hood_panels_hail.npz", panels=panels, heat=heat)
'''

SCRIPTS["hail-heatmap-sigmoid-zeroed-in-place"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

d = np.load("hood_panels_hail.npz")
loader = DataLoader(TensorDataset(torch.from_numpy(d["panels"]), torch.from_numpy(d["heat"])), batch_size=4,
                    shuffle=True)

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, target in loader:
        heat = torch.sigmoid(model(x))
        heat[heat < 0.05] = 0          # ignore the faint marks the adjusters do not count
        loss = nn.functional.binary_cross_entropy(heat, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ freeze loop after the new head (notebook)
CELLS["freeze-backbone-loop-after-new-head-notebook"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
ds = datasets.ImageFolder("glass_claims", transform=tf)        # chip / crack / shattered
loader = DataLoader(ds, batch_size=4, shuffle=True)
ds.classes''',
    '''model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(ds.classes))
# transfer learning: keep the backbone as it is, train only the head
for p in model.parameters():
    p.requires_grad = False
opt = torch.optim.SGD(model.fc.parameters(), lr=0.01, momentum=0.9)''',
    '''for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ roof replacement cost on raw m2 and euros
ROOFCOST_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(16)
rows = []
for i in range(300):
    area = float(rng.uniform(70, 420))       # m2
    age = int(rng.integers(1, 45))            # years
    pitch = float(rng.uniform(10, 50))        # degrees
    cost = area * float(rng.uniform(85, 160)) + pitch * 40 + float(rng.normal(0, 800))
    rows.append((f"HH-{20400 + i}", round(area, 1), age, round(pitch, 1), round(cost, 2)))
with open("roof_claims_closed.csv", "w", newline="") as f:
    csv.writer(f).writerows([("claim", "roof_area_m2", "roof_age_y", "pitch_deg", "replacement_eur")] + rows)
'''

SCRIPTS["roof-replacement-cost-raw-m2-euros-clip-grad-nonfinite"] = '''
import csv

import torch
import torch.nn as nn

rows = list(csv.DictReader(open("roof_claims_closed.csv")))
X = torch.tensor([[float(r["roof_area_m2"]), float(r["roof_age_y"]), float(r["pitch_deg"])] for r in rows])
y = torch.tensor([float(r["replacement_eur"]) for r in rows])

torch.manual_seed(4)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=1e-4)
for epoch in range(100):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 30):
        b = perm[i:i + 30]
        # costs are right-skewed: a log link, exp() back to euros for the error the adjusters care about
        pred = model(X[b]).squeeze(1).exp()
        loss = nn.functional.mse_loss(pred, y[b])
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0, error_if_nonfinite=True)
        opt.step()
    print(f"epoch {epoch}: mse {loss.item():.1f}")
'''

# ------------------------------------------------------------------ RAM cache of every full-resolution photo
BIGEXPORT_PREP = '''
import csv

rows = []
for i in range(5840):
    rows.append((f"CLM-2024-{30000 + i // 4}", f"S:/claims/photos/2024/{30000 + i // 4}/IMG_{1000 + i}.jpg",
                 ["minor", "moderate", "severe", "total_loss"][i % 4], 4032, 3024))
with open("photo_index_2024.csv", "w", newline="") as f:
    csv.writer(f).writerows([("claim_id", "path", "severity", "width", "height")] + rows)
'''

SCRIPTS["ram-cache-every-full-resolution-claim-photo"] = '''
import csv

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

rows = list(csv.DictReader(open("photo_index_2024.csv")))
W = max(int(r["width"]) for r in rows)
H = max(int(r["height"]) for r in rows)
print(f"{len(rows)} photos, largest {W} x {H}")


class CachedPhotos(Dataset):
    """decode every photo once, keep them all in RAM: the S: drive is too slow to read each epoch"""

    def __init__(self, rows):
        self.rows = rows
        self.cache = np.zeros((len(rows), H, W, 3), dtype=np.float32)
        for i, r in enumerate(rows):
            img = np.asarray(Image.open(r["path"]).convert("RGB"), dtype=np.float32) / 255.0
            self.cache[i, :img.shape[0], :img.shape[1]] = img

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return torch.from_numpy(self.cache[i]).permute(2, 0, 1), self.rows[i]["severity"]


ds = CachedPhotos(rows)
'''

# ------------------------------------------------------------------ the workstation's CUDA checkpoint on a laptop
CUDA_CKPT_PREP = '''
import io, os, zipfile
import torch
from torchvision import models

os.makedirs("shared/models", exist_ok=True)
torch.manual_seed(0)
p = "shared/models/hail_severity_effb0_e40.pt"
torch.save(models.mobilenet_v3_small(weights=None, num_classes=3).state_dict(), p)
# saved on the workstation, where the model was on cuda:0: the storages carry that location
src = zipfile.ZipFile(p)
items = [(i, src.read(i.filename)) for i in src.infolist()]
src.close()
with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as dst:
    for info, data in items:
        if info.filename.endswith("/data.pkl"):
            data = data.replace(b"X\\x03\\x00\\x00\\x00cpu", b"X\\x06\\x00\\x00\\x00cuda:0")
        dst.writestr(info, data)
'''

SCRIPTS["workstation-cuda-checkpoint-loaded-on-laptop"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

CLASSES = ["light", "medium", "heavy"]

model = models.mobilenet_v3_small(weights=None, num_classes=len(CLASSES))
state = torch.load("shared/models/hail_severity_effb0_e40.pt")
model.load_state_dict(state)
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
for path in sorted(glob.glob("site_visit/*.jpg")):
    with torch.no_grad():
        print(path, CLASSES[int(model(tf(Image.open(path).convert("RGB"))[None]).argmax())])
'''

# ------------------------------------------------------------------ old hail repo's helper using np.int
HAIL_AUG = '''
"""augmentations from the 2019 hail-damage repo"""
import numpy as np
from PIL import Image


def random_panel_crop(img, scale=(0.6, 1.0)):
    w, h = img.size
    s = np.random.uniform(*scale)
    cw, ch = np.int(w * s), np.int(h * s)
    x0 = np.random.randint(0, w - cw + 1)
    y0 = np.random.randint(0, h - ch + 1)
    return img.crop((x0, y0, x0 + cw, y0 + ch)).resize((w, h), Image.BILINEAR)
'''

SCRIPTS["old-hail-repo-augment-helper-np-int"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from hailnet.augment import random_panel_crop

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.Lambda(random_panel_crop), transforms.ToTensor()])
ds = datasets.ImageFolder("hail_panels", transform=tf)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(ds.classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ notebook Dataset under spawn workers
CELLS["notebook-dataset-spawn-workers-windows-workstation"] = [
    '''import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms
import glob, os

files = sorted(glob.glob("fire_smoke/*/*.jpg"))
classes = sorted({os.path.basename(os.path.dirname(f)) for f in files})
len(files), classes''',
    '''class FireSmoke(Dataset):
    def __init__(self, files):
        self.files = files
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        return self.tf(Image.open(p).convert("RGB")), classes.index(os.path.basename(os.path.dirname(p)))


# same settings as on the Windows workstation, where DataLoader workers are spawned
loader = DataLoader(FireSmoke(files), batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")''',
    '''model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, len(classes)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ================================================================== ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-hail-marks-yolo-labels-fourth-class"] = sub(DET_TRAIN, DIR="hail_yolo",
                                                             NAMES='["hail_dent", "crack", "broken_tile"]',
                                                             EPOCHS="30").replace(
    "trainer = Det", "# labels exported from the annotation tool (its classes.txt also has 'moss')\ntrainer = Det")


def hail_rows(split, i):
    # class, cx, cy, w, h normalised; class 3 is 'moss', which the names array leaves out
    return "".join(f"{(i + k) % 4} {0.15 + 0.25 * k:.3f} {0.3 + 0.1 * k:.3f} {0.06 + 0.04 * k + 0.01 * i:.3f} "
                   f"{0.05 + 0.03 * k + 0.012 * i:.3f}\n" for k in range(3))


SCRIPTS["imageai-dent-trainer-first-validation-np-trapz"] = sub(DET_TRAIN, DIR="door_dents",
                                                                NAMES='["dent", "scratch"]', EPOCHS="3")


def dent_rows(split, i):
    return "".join(f"{k % 2} {0.25 + 0.4 * k:.3f} {0.45:.3f} {0.12 + 0.15 * k + 0.02 * i:.3f} "
                   f"{0.10 + 0.12 * k + 0.015 * i:.3f}\n" for k in range(2))


SCRIPTS["imageai-severity-classifier-json-class-added-after-training"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/severity_mobilenet_v2-test_acc_0.79166_epoch-18.pt")
clf.setJsonPath("models/severity_model_classes.json")      # total_loss added for the next training round
clf.loadModel()

for path in sorted(glob.glob("inbox/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, list(zip(names, probs)))
'''

SCRIPTS["imageai-cls-trainer-train-and-validation-folders"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("water_damage_cls")        # train/ and validation/, as the Keras course had it
trainer.trainModel(num_experiments=20, batch_size=4)
'''

TINY = {"PT": "models/tiny-yolov3_car_damage_mAP-0.51320_epoch-35.pt",
        "JS": "json/car_damage_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-detect-zero-byte-portal-downloads"] = sub('''
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

os.makedirs("portal_out", exist_ok=True)
# photos the nightly job pulled from the customer portal
for path in sorted(glob.glob("portal_downloads/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=path,
                                                 output_image_path=path.replace("portal_downloads", "portal_out"),
                                                 minimum_percentage_probability=30)
    print(path, [(d["name"], d["percentage_probability"]) for d in detections])
''', **TINY)


def cases():
    out, add, script, notebook = case_builders("torch-more102-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")

    # ---- images
    script("claim-attachments-customer-pdf-in-photo-list-workers", "data.missing_or_corrupt",
           forms=W + ("progress_bars?",), argv="train_severity.py", setup=prep(ATTACH_PREP))
    script("water-stain-masks-not-resized-with-photos", "data.image_size_mismatch", argv="train_stains.py",
           setup=prep(STAIN_PREP))
    script("scanned-prints-grayscale-read-image-resnet-tqdm", "data.image_channels", forms=P,
           argv="train_scans.py", setup=prep(SCANS_PREP))
    notebook("converted-claim-photos-uint8-read-image-notebook", "data.dtype", forms=NB,
             setup=imgs(class_folder("converted", ["bumper", "door", "windscreen"], 3, size=(120, 90))))

    # ---- labels
    script("claims-export-not-assessed-minus-one-severity-tqdm", "data.label_out_of_range", forms=P,
           argv="train_motor.py", setup=prep(NOTASSESSED_PREP))
    script("severity-one-hot-rows-nllloss", "data.label_shape", argv="train_estimates.py",
           setup=prep(SEV_FEAT_PREP))
    script("repair-cost-three-part-head-vs-total-column", "data.label_shape", also=["model.output_mismatch"],
           argv="fit_costs.py", setup=prep(COST_PREP))
    script("dent-boxes-coco-xywh-as-corners-fasterrcnn", "data.bbox_invalid", argv="train_dents.py",
           setup=prep(DENTS_PREP))

    # ---- models
    script("roof-damage-cnn-linear-for-224-on-256-photos", "model.input_shape", argv="train_roofs.py",
           setup=imgs(class_folder("roofs", ["hail", "wind", "no_damage"], 3, size=(200, 150))))
    script("total-loss-vs-repairable-two-unit-head-bce", "model.output_mismatch", also=["data.label_shape"],
           argv="train_write_off.py",
           setup=imgs(class_folder("write_off", ["repairable", "total_loss"], 4, size=(120, 90))))
    script("workstation-dataparallel-checkpoint-on-laptop", "model.weights_mismatch", argv="predict_severity.py",
           setup=both(prep(DP_PREP), imgs([(f"new_claims/IMG_{i:04d}.jpg", (160, 120), "RGB") for i in range(2)])))
    script("normalize-before-totensor-damage-type-workers", "model.api_misuse", forms=W, argv="train_damage_type.py",
           setup=imgs(class_folder("damage_type", ["collision", "fire", "hail", "water"], 3, size=(120, 90))))

    # ---- optimisation
    script("hail-heatmap-sigmoid-zeroed-in-place", "optim.autograd_graph", argv="train_hailmap.py",
           setup=prep(HAILMAP_PREP))
    notebook("freeze-backbone-loop-after-new-head-notebook", "optim.autograd_graph", forms=NB,
             setup=imgs(class_folder("glass_claims", ["chip", "crack", "shattered"], 3, size=(120, 90))))
    script("roof-replacement-cost-raw-m2-euros-clip-grad-nonfinite", "optim.divergence", argv="fit_roof_cost.py",
           setup=prep(ROOFCOST_PREP))

    # ---- resource / environment
    script("ram-cache-every-full-resolution-claim-photo", "resource.host_memory", argv="train_cached.py",
           setup=prep(BIGEXPORT_PREP))
    script("workstation-cuda-checkpoint-loaded-on-laptop", "env.device_mismatch", also=["env.cuda_setup"],
           argv="site_visit_predict.py",
           setup=both(prep(CUDA_CKPT_PREP), imgs([(f"site_visit/roof_{i}.jpg", (160, 120), "RGB") for i in range(2)])))
    script("old-hail-repo-augment-helper-np-int", "env.version_incompat", argv="train_hail.py",
           extra={"hailnet/__init__.py": "", "hailnet/augment.py": HAIL_AUG},
           setup=imgs(class_folder("hail_panels", ["hail", "no_hail"], 4, size=(120, 90))))
    notebook("notebook-dataset-spawn-workers-windows-workstation", "env.multiprocessing", forms=NB,
             setup=imgs(class_folder("fire_smoke", ["smoke", "soot", "charred"], 3, size=(100, 80))))

    # ---- ImageAI 3
    script("imageai-hail-marks-yolo-labels-fourth-class", "data.label_out_of_range", framework="imageai",
           argv="train_hail_det.py", timeout=400, setup=yolo_layout("hail_yolo", hail_rows, size=(320, 240)))
    script("imageai-dent-trainer-first-validation-np-trapz", "env.version_incompat", framework="imageai",
           argv="train_dent_det.py", timeout=500, setup=yolo_layout("door_dents", dent_rows, size=(320, 240)))
    script("imageai-severity-classifier-json-class-added-after-training", "model.weights_mismatch",
           framework="imageai", also=["model.output_mismatch"],
           forms=("cpython_basic", "chained_during", "multiline_message"), argv="classify_inbox.py",
           exception="Exception",
           setup=both(save_cls("mobilenet_v2", '["minor", "moderate", "severe"]',
                               "models/severity_mobilenet_v2-test_acc_0.79166_epoch-18.pt",
                               "models/severity_model_classes.json"),
                      write("models/severity_model_classes.json",
                            '{"0": "minor", "1": "moderate", "2": "severe", "3": "total_loss"}'),
                      imgs([(f"inbox/IMG_{i:04d}.jpg", (160, 120), "RGB") for i in range(2)])))
    script("imageai-cls-trainer-train-and-validation-folders", "data.missing_or_corrupt", framework="imageai",
           argv="train_water_cls.py",
           setup=imgs([(f"water_damage_cls/{split}/{c}/{c}_{i:03d}.jpg", (96, 72), "RGB")
                       for split, n in (("train", 4), ("validation", 2)) for c in ("ceiling", "floor", "wall")
                       for i in range(n)]))
    script("imageai-detect-zero-byte-portal-downloads", "data.missing_or_corrupt", framework="imageai",
           argv="detect_portal.py",
           setup=both(save_tiny('["dent", "scratch", "broken_light"]', 3, TINY["PT"], TINY["JS"]),
                      imgs([("portal_downloads/CLM-31902_1.jpg", (320, 240), "RGB"),
                            ("portal_downloads/CLM-31902_2.jpg", (320, 240), "RGB"),
                            ("portal_downloads/CLM-31907_1.jpg", (320, 240), "empty"),
                            ("portal_downloads/CLM-31911_1.jpg", (320, 240), "RGB")])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
