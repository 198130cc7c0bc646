"""A ninety-third held-out set (g175, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: insurance and automotive teams building car-damage assessment models in PyTorch and ImageAI 3.0.3 --
damage detectors (scratch, dent, broken glass) trained from claim photos annotated in COCO / Pascal VOC / YOLO
exports of different labelling tools, part segmentation masks (DeepLabV3), severity classifiers with class weights
for the imbalanced severity grades, repair-cost regression, and evaluation reports. The photos come from
policy-holders' phones: EXIF rotation, HEIC files "converted" to JPEG, huge resolutions, claims-portal screenshots
with an alpha channel; the class list changed between annotation rounds. About a quarter of the cases use ImageAI 3
(``DetectionModelTrainer``, ``ClassificationModelTrainer``, ``CustomObjectDetection``). A natural mix of causes,
each program built so that its cause is known by construction and made to fail inside torch, torchvision, ImageAI,
PIL, NumPy or multiprocessing:

- photos: claims-portal screenshots (RGBA PNG) opened without ``convert("RGB")`` for the severity ResNet
  (notebook, data.image_channels); phone photos ``exif_transpose``-d and resized with ``Resize(256)`` (shorter side)
  so portrait and landscape shots meet in one batch (workers, data.image_size_mismatch); HEIC photos that the
  converter only renamed to ``.jpg`` (workers, data.missing_or_corrupt); a stitched 360-degree walk-around
  panorama past PIL's decompression-bomb limit (other); the evaluation report preallocating part-probability
  maps at the phones' native 4032 x 3024 for every claim (resource.host_memory);
- detectors (torchvision Faster R-CNN): the round-2 COCO export (``broken_glass`` / ``lamp_damage`` added) on a
  model sized from the round-1 class list (tqdm, data.label_out_of_range); Pascal VOC files of two tools read with
  ``bndbox`` children taken by position, one tool writing ``xmin, xmax, ymin, ymax`` (data.bbox_invalid); the
  box predictor replaced by a single ``nn.Linear`` (model.output_mismatch);
- severity / cost models: severity grades returned as one-element tensors (tqdm, data.label_shape); class weights
  from NumPy ``bincount`` left as float64 (data.dtype); a ``WeightedRandomSampler`` with ``shuffle=True``
  (model.api_misuse); a single claim photo predicted without a batch axis (notebook, model.input_shape); a focal
  loss for the multi-label damage types clamping the sigmoid output in place (optim.autograd_graph); repair cost
  regressed in raw euros under anomaly mode (optim.divergence); a round-1 -> round-2 class remap held as a
  ``defaultdict(lambda: ...)`` in the Dataset under spawn workers (env.multiprocessing); a resumed severity
  checkpoint holding NumPy scalars under torch's ``weights_only`` default (env.version_incompat); the part
  segmentation checkpoint saved with ``aux_loss=True`` loaded into the default DeepLabV3 (model.weights_mismatch);
  the evaluation report's ``--device cuda`` default on a laptop (env.cuda_setup);
- ImageAI 3: the detector trainer given the round-1 names for round-2 YOLO labels (data.label_out_of_range), YOLO
  labels converted from COCO with the sensor (pre-EXIF) width / height (data.bbox_invalid), a broken-glass set
  whose boxes all come from one windscreen template (anchor k-means, data.too_few_boxes), the severity trainer on
  a ``severe`` folder of unconverted ``.HEIC`` files (data.missing_or_corrupt), ``detectObjectsFromImage`` on an
  ``.HEIC`` path (data.missing_or_corrupt), and the round-1 detection config JSON kept for a round-2 model
  (model.weights_mismatch).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more93.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more93.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ claim photos as they arrive
# specs: (path, (w, h), mode, exif orientation); mode "heic" writes HEIC bytes (what the phone really sent)
CLAIM_PREP = '''
import os
import numpy as np
from PIL import Image

HEIC = (b"\\x00\\x00\\x00\\x18ftypheic\\x00\\x00\\x00\\x00mif1heic" + b"\\x00\\x00\\x01\\x0emeta\\x00\\x00\\x00\\x00"
        + b"\\x00\\x00\\x00\\x21hdlr\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00pict" + bytes(range(256)) * 8)
rng = np.random.default_rng(11)
for path, (w, h), mode, orient in @@SPECS@@:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    if mode == "heic":
        with open(path, "wb") as f:
            f.write(HEIC)
        continue
    rgb = rng.integers(0, 255, (h, w, 3), dtype=np.uint8)
    img = Image.fromarray(rgb)
    if mode == "RGBA":
        alpha = np.full((h, w), 255, np.uint8)
        alpha[: h // 10] = 0                      # the status bar of the screenshot
        img = Image.fromarray(np.dstack([rgb, alpha]), "RGBA")
    kw = {}
    if orient:
        exif = Image.Exif()
        exif[0x0112] = orient
        kw["exif"] = exif
    img.save(path, **kw)
'''


def claims(specs):
    return prep(sub(CLAIM_PREP, SPECS=repr(list(specs))))


def photos(root, n, size, mode="RGB", ext="jpg", stem="IMG", orient=0, start=0):
    return [(f"{root}/{stem}_{start + i:04d}.{ext}", size, mode, orient) for i in range(n)]


SEVERITY = '["none", "minor", "moderate", "severe"]'

# claims.csv: photo, severity (0..3, imbalanced), damage types, repair cost in euros
CSV_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(3)
rows = []
for i in range(@@N@@):
    sev = [0, 1, 1, 1, 1, 2, 2, 3][i % 8]
    types = ";".join(sorted({["scratch", "dent", "glass"][j] for j in rng.integers(0, 3, 2)}))
    rows.append((f"IMG_{i:04d}.@@EXT@@", sev, types, int(250 + 2400 * sev + rng.integers(0, 900))))
with open("claims/claims.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(("photo", "severity", "damage_types", "repair_cost_eur"))
    w.writerows(rows)
'''


def claims_csv(n, ext="jpg"):
    return prep(sub(CSV_PREP, N=str(n), EXT=ext))


SAVE_SEVERITY = '''
import os
import torch
import torchvision

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.resnet18(num_classes=4).state_dict(), "checkpoints/severity_resnet18.pt")
'''

# the shared Dataset of the severity / cost scripts (claims/claims.csv + claims/photos/)
CLAIMS_DS = '''
import csv

import torch
from PIL import Image
from torch.utils.data import Dataset
from torchvision import transforms

SEVERITY = ["none", "minor", "moderate", "severe"]
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def read_claims(path="claims/claims.csv"):
    with open(path) as f:
        return list(csv.DictReader(f))


class ClaimPhotos(Dataset):
    def __init__(self, rows, root="claims/photos", size=224, target="severity"):
        self.rows, self.root, self.target = rows, root, target
        self.tf = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor(),
                                      transforms.Normalize(MEAN, STD)])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        x = self.tf(Image.open(f"{self.root}/{r['photo']}").convert("RGB"))
        return x, int(r[self.target])
'''

# ================================================================== photos from phones and the portal
CELLS["portal-screenshots-rgba-severity-predict-notebook"] = [
    '''import glob
import torch
from PIL import Image
from torchvision import models, transforms

SEVERITY = ["none", "minor", "moderate", "severe"]
model = models.resnet18(weights=None, num_classes=len(SEVERITY))
model.load_state_dict(torch.load("checkpoints/severity_resnet18.pt", map_location="cpu"))
model.eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])''',
    '''# claims that came in through the web portal this week (customers upload screenshots of their photos)
results = {}
for path in sorted(glob.glob("claims/portal_uploads/*.png")):
    img = Image.open(path)
    with torch.no_grad():
        probs = model(tf(img).unsqueeze(0)).softmax(1)[0]
    results[path] = SEVERITY[int(probs.argmax())]
results''',
]

SCRIPTS["phone-photos-exif-transpose-resize-shorter-side-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image, ImageOps
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms


class PhoneClaims(Dataset):
    def __init__(self, csv_path, root):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        # keep the aspect ratio: damage on a bumper is thin and long
        self.tf = transforms.Compose([transforms.Resize(256), transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = ImageOps.exif_transpose(Image.open(f"{self.root}/{r['photo']}"))   # phones store rotation in EXIF
        return self.tf(img.convert("RGB")), int(r["severity"])


if __name__ == "__main__":
    loader = DataLoader(PhoneClaims("claims/claims.csv", "claims/photos"), batch_size=4, shuffle=True,
                        num_workers=2)
    model = models.resnet18(weights=None, num_classes=4)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(20):
        for x, y in loader:
            loss = criterion(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["heic-bytes-renamed-jpg-claim-photos-workers"] = CLAIMS_DS + '''

if __name__ == "__main__":
    from torch.utils.data import DataLoader
    from torchvision import models
    from tqdm import tqdm

    loader = DataLoader(ClaimPhotos(read_claims()), batch_size=4, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(SEVERITY))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for epoch in range(10):
        for x, y in tqdm(loader, desc=f"epoch {epoch}"):
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
'''

# a PNG header of a 24000 x 16000 stitched panorama (the pixel data is never read)
PANO_PREP = '''
import os, struct, zlib

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

os.makedirs("claims/walkaround", exist_ok=True)
ihdr = struct.pack(">IIBBBBB", 24000, 16000, 8, 2, 0, 0, 0)
idat = zlib.compress(b"\\x00" + b"\\x80" * 3 * 24000)
with open("claims/walkaround/CLM-20931_360.png", "wb") as f:
    f.write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
'''

SCRIPTS["walkaround-panorama-past-decompression-bomb-limit"] = '''
import glob
import os

import torch
from PIL import Image
from torchvision import transforms
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

PARTS = ["background", "front_bumper", "rear_bumper", "hood", "door_fl", "door_fr", "door_rl", "door_rr",
         "fender_l", "fender_r", "windscreen", "headlamp", "tail_lamp"]

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(PARTS)).eval()
tf = transforms.Compose([transforms.Resize(520), transforms.ToTensor()])

# the app's 360-degree walk-around: one stitched image per claim
for path in sorted(glob.glob("claims/walkaround/*.png")):
    claim = os.path.basename(path).split("_")[0]
    pano = Image.open(path).convert("RGB")
    with torch.no_grad():
        parts = model(tf(pano).unsqueeze(0))["out"].argmax(1)
    print(claim, {PARTS[i]: int((parts == i).sum()) for i in parts.unique()})
'''

SCRIPTS["parts-eval-report-full-resolution-probability-maps"] = '''
import csv

import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import transforms
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

PARTS = ["background", "front_bumper", "rear_bumper", "hood", "door_fl", "door_fr", "door_rl", "door_rr",
         "fender_l", "fender_r", "windscreen", "headlamp", "tail_lamp"]
NATIVE_H, NATIVE_W = 3024, 4032          # the phones' native resolution: report IoU on the original pixels

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(PARTS)).eval()
with open("claims/val_claims.csv") as f:
    val = list(csv.DictReader(f))
print(f"evaluating {len(val)} validation claims")

probs = torch.zeros(len(val), len(PARTS), NATIVE_H, NATIVE_W)
tf = transforms.Compose([transforms.Resize((384, 512)), transforms.ToTensor()])
for i, r in enumerate(val):
    x = tf(Image.open(f"claims/photos/{r['photo']}").convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        out = model(x)["out"]
    probs[i] = F.interpolate(out, size=(NATIVE_H, NATIVE_W), mode="bilinear").softmax(1)[0]
'''

VAL_PREP = '''
import csv
with open("claims/val_claims.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(("photo", "claim_id"))
    for i in range(850):
        w.writerow((f"IMG_{i % 6:04d}.jpg", f"CLM-{20000 + i}"))
'''

# ================================================================== damage detectors (torchvision Faster R-CNN)
DAMAGE_COCO_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
os.makedirs("annotations/round2/images", exist_ok=True)
cats = [{"id": 1, "name": "scratch"}, {"id": 2, "name": "dent"}, {"id": 3, "name": "crack"},
        {"id": 4, "name": "broken_glass"}, {"id": 5, "name": "lamp_damage"}]
coco = {"images": [], "annotations": [], "categories": cats}
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"annotations/round2/images/claim_{i:03d}.jpg")
    coco["images"].append({"id": i + 1, "file_name": f"claim_{i:03d}.jpg", "width": 320, "height": 240})
    for k in range(2):
        x, y = int(rng.integers(10, 180)), int(rng.integers(10, 120))
        w, h = int(rng.integers(30, 120)), int(rng.integers(30, 100))
        cid = [1, 2, 3, 4, 5][(i + 3 * k) % 5]
        coco["annotations"].append({"id": len(coco["annotations"]) + 1, "image_id": i + 1, "category_id": cid,
                                    "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
with open("annotations/round2/instances_default.json", "w") as f:
    json.dump(coco, f)
'''

SCRIPTS["faster-rcnn-round2-coco-new-classes-round1-num-classes-tqdm"] = '''
import json
from collections import defaultdict

import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm

CLASSES = ["scratch", "dent", "crack"]          # the label map of the first annotation round


class CocoDamage(Dataset):
    def __init__(self, root, ann_file):
        with open(ann_file) as f:
            coco = json.load(f)
        self.root = root
        self.images = coco["images"]
        self.anns = defaultdict(list)
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = TF.to_tensor(Image.open(f"{self.root}/{info['file_name']}").convert("RGB"))
        anns = self.anns[info["id"]]
        boxes = torch.tensor([[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                              for a in anns], dtype=torch.float32)
        labels = torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)   # COCO ids start at 1
        return img, {"boxes": boxes, "labels": labels}


ds = CocoDamage("annotations/round2/images", "annotations/round2/instances_default.json")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES) + 1)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(12):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for images, targets in pbar:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

# two labelling tools' Pascal VOC: CVAT writes xmin, ymin, xmax, ymax; the body shop's tool xmin, xmax, ymin, ymax
VOC_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("voc/JPEGImages", exist_ok=True)
os.makedirs("voc/Annotations", exist_ok=True)
names = ["scratch", "dent", "broken_glass"]
for tool, n in (("cvat", 4), ("bodyshop", 4)):
    for i in range(n):
        stem = f"{tool}_{i:03d}"
        Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"voc/JPEGImages/{stem}.jpg")
        x1, y1 = 40 + 10 * i, 150 + 5 * i
        x2, y2 = x1 + 160, y1 + 60
        order = [("xmin", x1), ("ymin", y1), ("xmax", x2), ("ymax", y2)] if tool == "cvat" else \\
                [("xmin", x1), ("xmax", x2), ("ymin", y1), ("ymax", y2)]
        box = "".join(f"<{k}>{v}</{k}>" for k, v in order)
        xml = (f"<annotation><folder>JPEGImages</folder><filename>{stem}.jpg</filename>"
               f"<size><width>320</width><height>240</height><depth>3</depth></size>"
               f"<object><name>{names[i % 3]}</name><difficult>0</difficult><bndbox>{box}</bndbox></object>"
               f"</annotation>")
        with open(f"voc/Annotations/{stem}.xml", "w") as f:
            f.write(xml)
'''

SCRIPTS["voc-bndbox-by-position-two-tools-order"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "scratch", "dent", "broken_glass"]


class VOCDamage(Dataset):
    """Pascal VOC exports: CVAT for our own photos, the partner body shops' tool for theirs"""

    def __init__(self, root):
        self.root = root
        self.xmls = sorted(glob.glob(os.path.join(root, "Annotations", "*.xml")))

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        tree = ET.parse(self.xmls[i]).getroot()
        img = Image.open(os.path.join(self.root, "JPEGImages", tree.find("filename").text)).convert("RGB")
        boxes, labels = [], []
        for obj in tree.iter("object"):
            boxes.append([float(c.text) for c in obj.find("bndbox")])    # xmin, ymin, xmax, ymax
            labels.append(CLASSES.index(obj.find("name").text))
        return TF.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


loader = DataLoader(VOCDamage("voc"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["faster-rcnn-box-predictor-replaced-with-linear"] = '''
import json
from collections import defaultdict

import torch
import torch.nn as nn
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "scratch", "dent", "crack", "broken_glass", "lamp_damage"]

with open("annotations/round2/instances_default.json") as f:
    coco = json.load(f)
anns = defaultdict(list)
for a in coco["annotations"]:
    anns[a["image_id"]].append(a)

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None)
# new head for our damage classes
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = nn.Linear(in_features, len(CLASSES))
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)

model.train()
for epoch in range(10):
    for info in coco["images"]:
        img = TF.to_tensor(Image.open(f"annotations/round2/images/{info['file_name']}").convert("RGB"))
        a = anns[info["id"]]
        target = {"boxes": torch.tensor([[b["bbox"][0], b["bbox"][1], b["bbox"][0] + b["bbox"][2],
                                          b["bbox"][1] + b["bbox"][3]] for b in a], dtype=torch.float32),
                  "labels": torch.tensor([b["category_id"] for b in a])}
        loss = sum(model([img], [target]).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== severity / cost models
SCRIPTS["severity-grades-one-element-tensors-weighted-ce-tqdm"] = CLAIMS_DS + '''


class SeverityDataset(ClaimPhotos):
    def __getitem__(self, i):
        x, y = super().__getitem__(i)
        return x, torch.tensor([y])


if __name__ == "__main__":
    from torch.utils.data import DataLoader
    from torchvision import models
    from tqdm import tqdm

    rows = read_claims()
    loader = DataLoader(SeverityDataset(rows), batch_size=4, shuffle=True)
    # severe claims are rare: weight them up
    weights = torch.tensor([2.0, 0.5, 1.0, 4.0])
    criterion = torch.nn.CrossEntropyLoss(weight=weights)
    model = models.resnet18(weights=None, num_classes=len(SEVERITY))
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(15):
        for x, y in tqdm(loader, desc=f"epoch {epoch + 1}/15"):
            loss = criterion(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
'''

SCRIPTS["severity-class-weights-numpy-bincount-float64"] = CLAIMS_DS + '''

import numpy as np
from torch.utils.data import DataLoader
from torchvision import models

rows = read_claims()
y_train = np.array([int(r["severity"]) for r in rows])
counts = np.bincount(y_train, minlength=len(SEVERITY))
class_weights = len(y_train) / (len(SEVERITY) * counts)          # sklearn's "balanced" formula
print("class weights:", dict(zip(SEVERITY, class_weights.round(2))))

criterion = torch.nn.CrossEntropyLoss(weight=torch.from_numpy(class_weights))
loader = DataLoader(ClaimPhotos(rows), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(SEVERITY))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(15):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["severity-weighted-random-sampler-with-shuffle"] = CLAIMS_DS + '''

from torch.utils.data import DataLoader, WeightedRandomSampler
from torchvision import models

rows = read_claims()
labels = torch.tensor([int(r["severity"]) for r in rows])
class_count = torch.bincount(labels, minlength=len(SEVERITY)).float()
sample_weights = (1.0 / class_count)[labels]
sampler = WeightedRandomSampler(sample_weights, num_samples=len(sample_weights), replacement=True)

train_loader = DataLoader(ClaimPhotos(rows), batch_size=8, sampler=sampler, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(SEVERITY))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(15):
    for x, y in train_loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CELLS["single-claim-photo-no-batch-axis-notebook"] = [
    '''import torch
from PIL import Image
from torchvision import models, transforms

SEVERITY = ["none", "minor", "moderate", "severe"]
model = models.resnet18(weights=None, num_classes=4)
model.load_state_dict(torch.load("checkpoints/severity_resnet18.pt", map_location="cpu"))
model.eval()
preprocess = transforms.Compose([
    transforms.Resize((224, 224)),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])''',
    '''# the adjuster asked about this one
img = Image.open("claims/photos/IMG_0007.jpg").convert("RGB")
x = preprocess(img)
with torch.no_grad():
    logits = model(x)
SEVERITY[logits.argmax().item()], logits.softmax(-1)''',
]

SCRIPTS["damage-types-focal-loss-sigmoid-clamped-in-place"] = CLAIMS_DS + '''

from torch.utils.data import DataLoader
from torchvision import models

TYPES = ["scratch", "dent", "glass"]


class DamageTypes(ClaimPhotos):
    def __getitem__(self, i):
        r = self.rows[i]
        x = self.tf(Image.open(f"{self.root}/{r['photo']}").convert("RGB"))
        y = torch.zeros(len(TYPES))
        for t in r["damage_types"].split(";"):
            y[TYPES.index(t)] = 1.0
        return x, y


def focal_loss(logits, targets, alpha=0.25, gamma=2.0, eps=1e-6):
    """sigmoid focal loss (Lin et al.) -- glass damage is rare"""
    p = torch.sigmoid(logits)
    p.clamp_(eps, 1 - eps)                  # avoid log(0)
    pt = torch.where(targets == 1, p, 1 - p)
    w = torch.where(targets == 1, alpha, 1 - alpha)
    return (-w * (1 - pt) ** gamma * torch.log(pt)).mean()


loader = DataLoader(DamageTypes(read_claims()), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(TYPES))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in loader:
        loss = focal_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["repair-cost-raw-euros-regression-anomaly"] = CLAIMS_DS + '''

import torch.nn as nn
from torch.utils.data import DataLoader


class CostNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.head = nn.Linear(64, 1)

    def forward(self, x):
        return self.head(self.features(x)).squeeze(1)


torch.autograd.set_detect_anomaly(True)      # the loss went nan last night, find out where
ds = ClaimPhotos(read_claims(), size=128, target="repair_cost_eur")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = CostNet()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(30):
    for step, (x, cost) in enumerate(loader):
        pred = model(x)
        loss = nn.functional.mse_loss(pred, cost.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} mse {loss.item():.1f}")
'''

SCRIPTS["round-class-remap-defaultdict-lambda-spawn-workers"] = '''
import csv
from collections import defaultdict

import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

# round 1 was annotated as "light"/"medium"/"heavy"; round 2 uses the adjusters' severity names
ROUND2 = ["none", "minor", "moderate", "severe"]


class MixedRoundClaims(Dataset):
    def __init__(self, csv_path, root):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        self.remap = defaultdict(lambda: 0, {"light": 1, "medium": 2, "heavy": 3,
                                            "minor": 1, "moderate": 2, "severe": 3})
        self.tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"{self.root}/{r['photo']}").convert("RGB")), self.remap[r["label"]]


if __name__ == "__main__":
    ds = MixedRoundClaims("claims/rounds.csv", "claims/photos")
    # the MacBook default, kept for the Linux box too
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = models.resnet18(weights=None, num_classes=len(ROUND2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(10):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

ROUNDS_PREP = '''
import csv
with open("claims/rounds.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(("photo", "label", "round"))
    for i in range(12):
        w.writerow((f"IMG_{i:04d}.jpg", ["light", "medium", "heavy", "minor", "moderate", "severe"][i % 6], 1 + i // 6))
'''

RESUME_PREP = '''
import os
import numpy as np
import torch
import torchvision

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.resnet18(num_classes=4)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
torch.save({"epoch": 12, "model": model.state_dict(), "optimizer": opt.state_dict(),
            "best_macro_f1": np.float64(0.7134), "class_counts": np.array([61, 212, 97, 18])},
           "checkpoints/severity_last.pth")
'''

SCRIPTS["resume-severity-checkpoint-numpy-scalars-weights-only"] = CLAIMS_DS + '''

import argparse

from torch.utils.data import DataLoader
from torchvision import models

p = argparse.ArgumentParser()
p.add_argument("--resume", default="checkpoints/severity_last.pth")
p.add_argument("--epochs", type=int, default=30)
args = p.parse_args()

model = models.resnet18(weights=None, num_classes=len(SEVERITY))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
start_epoch, best_f1 = 0, 0.0
if args.resume:
    ckpt = torch.load(args.resume, map_location="cpu")
    model.load_state_dict(ckpt["model"])
    opt.load_state_dict(ckpt["optimizer"])
    start_epoch, best_f1 = ckpt["epoch"] + 1, ckpt["best_macro_f1"]
    print(f"resumed from epoch {ckpt['epoch']} (best macro-F1 {best_f1:.4f})")

loader = DataLoader(ClaimPhotos(read_claims()), batch_size=4, shuffle=True)
for epoch in range(start_epoch, args.epochs):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

PARTS_CKPT_PREP = '''
import os
import torch
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=13, aux_loss=True)
torch.save(model.state_dict(), "checkpoints/parts_deeplabv3_mbv3_best.pth")
'''

SCRIPTS["parts-deeplab-checkpoint-aux-classifier-keys"] = '''
import glob

import torch
from PIL import Image
from torchvision import transforms
from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large

PARTS = ["background", "front_bumper", "rear_bumper", "hood", "door_fl", "door_fr", "door_rl", "door_rr",
         "fender_l", "fender_r", "windscreen", "headlamp", "tail_lamp"]

model = deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(PARTS))
model.load_state_dict(torch.load("checkpoints/parts_deeplabv3_mbv3_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((384, 512)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
for path in sorted(glob.glob("claims/photos/*.jpg")):
    with torch.no_grad():
        mask = model(tf(Image.open(path).convert("RGB")).unsqueeze(0))["out"].argmax(1)[0]
    print(path, [PARTS[i] for i in mask.unique().tolist()])
'''

SCRIPTS["eval-report-device-cuda-default-on-laptop"] = CLAIMS_DS + '''

import argparse
import json

from torch.utils.data import DataLoader
from torchvision import models

p = argparse.ArgumentParser(description="severity model evaluation report")
p.add_argument("--checkpoint", default="checkpoints/severity_resnet18.pt")
p.add_argument("--device", default="cuda")
p.add_argument("--out", default="reports/severity_eval.json")
args = p.parse_args()

model = models.resnet18(weights=None, num_classes=len(SEVERITY))
model.load_state_dict(torch.load(args.checkpoint, map_location="cpu"))
model = model.to(args.device).eval()

conf = torch.zeros(len(SEVERITY), len(SEVERITY), dtype=torch.long)
with torch.no_grad():
    for x, y in DataLoader(ClaimPhotos(read_claims()), batch_size=8):
        pred = model(x.to(args.device)).argmax(1).cpu()
        for t, q in zip(y, pred):
            conf[t, q] += 1
recall = (conf.diag() / conf.sum(1).clamp(min=1)).tolist()
json.dump({"confusion": conf.tolist(), "recall": dict(zip(SEVERITY, recall))}, open(args.out, "w"), indent=2)
'''

# ================================================================== ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=20)
trainer.trainModel()
'''

SCRIPTS["imageai-detector-round2-yolo-labels-round1-names"] = sub(
    DET_TRAIN, DIR="car_damage", NAMES="CLASSES").replace(
    "trainer = Det", 'CLASSES = ["scratch", "dent"]          # classes.txt from the first labelling round\n\ntrainer = Det')

SCRIPTS["imageai-detector-windscreen-template-boxes"] = sub(
    DET_TRAIN, DIR="windscreens", NAMES='["broken_glass"]')

# COCO export whose image width / height the export script read from the JPEG header (sensor orientation) while the
# labelling tool showed (and boxed) the EXIF-rotated portrait photo
EXIF_COCO_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"car_claims/{split}/images", exist_ok=True)
    coco = {"images": [], "annotations": [], "categories": [{"id": 0, "name": "scratch"}, {"id": 1, "name": "dent"}]}
    for i in range(n):
        name = f"IMG_{split[:3]}_{i:04d}.jpg"
        exif = Image.Exif()
        exif[0x0112] = 6 if i % 2 else 1           # every second photo taken in portrait
        Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(f"car_claims/{split}/images/{name}", exif=exif)
        coco["images"].append({"id": i, "file_name": name, "width": 160, "height": 120})
        dw, dh = (120, 160) if i % 2 else (160, 120)   # what the tool displayed
        w, h = int(dw * 0.4), int(dh * 0.3)
        x, y = int(dw * 0.5), int(dh * 0.65)
        coco["annotations"].append({"id": len(coco["annotations"]), "image_id": i, "category_id": i % 2,
                                    "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
    with open(f"car_claims/{split}/coco.json", "w") as f:
        json.dump(coco, f)
'''

SCRIPTS["imageai-detector-coco-to-yolo-sensor-size-portrait-boxes"] = '''
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

# convert the labelling tool's COCO export into the YOLO txt files ImageAI wants
for split in ("train", "validation"):
    with open(f"car_claims/{split}/coco.json") as f:
        coco = json.load(f)
    size = {im["id"]: (im["width"], im["height"]) for im in coco["images"]}
    name = {im["id"]: os.path.splitext(im["file_name"])[0] for im in coco["images"]}
    os.makedirs(f"car_claims/{split}/annotations", exist_ok=True)
    rows = {}
    for a in coco["annotations"]:
        W, H = size[a["image_id"]]
        x, y, w, h = a["bbox"]
        rows.setdefault(a["image_id"], []).append(
            f"{a['category_id']} {(x + w / 2) / W:.6f} {(y + h / 2) / H:.6f} {w / W:.6f} {h / H:.6f}")
    for image_id, lines in rows.items():
        with open(f"car_claims/{split}/annotations/{name[image_id]}.txt", "w") as f:
            f.write("\\n".join(lines) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="car_claims")
trainer.setTrainConfig(object_names_array=["scratch", "dent"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''

SCRIPTS["imageai-severity-trainer-severe-folder-only-heic"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("severity")
trainer.trainModel(num_experiments=20, batch_size=4)
'''

SCRIPTS["imageai-detect-heic-claim-photo-path"] = '''
import os

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("car_damage/models/tiny-yolov3_car_damage_mAP-0.41730_epoch-48.pt")
detector.setJsonPath("car_damage/json/car_damage_tiny-yolov3_detection_config.json")
detector.loadModel()

os.makedirs("out", exist_ok=True)
for fname in sorted(os.listdir("claims/inbox")):
    detections = detector.detectObjectsFromImage(input_image=os.path.join("claims/inbox", fname),
                                                 output_image_path=os.path.join("out", fname + ".jpg"),
                                                 minimum_percentage_probability=30)
    print(fname, [(d["name"], d["percentage_probability"]) for d in detections])
'''

SCRIPTS["imageai-detector-round1-config-json-round2-model"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("car_damage/models/tiny-yolov3_car_damage_round2_last.pt")
# the config json of the first round is the one deployed with the claims app
detector.setJsonPath("deploy/car_damage_tiny-yolov3_detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="claims/inbox/IMG_0001.jpg",
                                             output_image_path="out/IMG_0001_detected.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''


def round2_rows(split, i):
    # round-2 export: 0 scratch, 1 dent, 2 broken_glass, 3 lamp_damage
    rnd = [(2, 0.31, 0.42, 0.22, 0.18), (3, 0.66, 0.55, 0.14, 0.12), (0, 0.48, 0.60, 0.35, 0.08),
           (1, 0.40, 0.38, 0.28, 0.30), (2, 0.52, 0.30, 0.60, 0.25), (3, 0.25, 0.70, 0.10, 0.09)]
    a, b = rnd[i % 6], rnd[(i + 2) % 6]
    scale = 1 + 0.05 * i
    return "".join(f"{c} {x:.4f} {y:.4f} {min(w * scale, 0.9):.4f} {min(h * scale, 0.9):.4f}\n" for c, x, y, w, h in (a, b))


def windscreen_rows(split, i):
    # every broken_glass box comes from the windscreen template of the labelling tool
    return "0 0.500000 0.420000 0.800000 0.450000\n" if i % 3 else "0 0.500000 0.420000 0.780000 0.440000\n"


def cases():
    out, add, script, notebook = case_builders("torch-more93-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    phone = claims(photos("claims/photos", 12, (160, 120)))
    sev_ckpt = prep(SAVE_SEVERITY)
    damage_coco = prep(DAMAGE_COCO_PREP)
    labels2 = '["scratch", "dent", "broken_glass"]'

    # ---- photos from phones and the portal
    notebook("portal-screenshots-rgba-severity-predict-notebook", "data.image_channels", forms=NB,
             setup=both(sev_ckpt, claims(photos("claims/portal_uploads", 3, (180, 320), mode="RGBA", ext="png",
                                                stem="Screenshot_2024-05-1"))))
    script("phone-photos-exif-transpose-resize-shorter-side-workers", "data.image_size_mismatch", forms=W,
           argv="train_severity.py",
           setup=both(claims([(f"claims/photos/IMG_{i:04d}.jpg", (400, 300), "RGB", 6 if i % 2 else 1)
                              for i in range(12)]), claims_csv(12)))
    script("heic-bytes-renamed-jpg-claim-photos-workers", "data.missing_or_corrupt", forms=W,
           argv="train_severity.py",
           setup=both(claims(photos("claims/photos", 12, (160, 120))
                             + [("claims/photos/IMG_0005.jpg", (0, 0), "heic", 0),
                                ("claims/photos/IMG_0009.jpg", (0, 0), "heic", 0)]), claims_csv(12)))
    script("walkaround-panorama-past-decompression-bomb-limit", "other",
           also=["data.missing_or_corrupt", "resource.host_memory"], argv="segment_walkaround.py",
           setup=prep(PANO_PREP))
    script("parts-eval-report-full-resolution-probability-maps", "resource.host_memory", argv="eval_parts.py",
           setup=both(claims(photos("claims/photos", 6, (160, 120))), prep(VAL_PREP)))

    # ---- damage detectors
    script("faster-rcnn-round2-coco-new-classes-round1-num-classes-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, argv="train_detector.py", setup=damage_coco)
    script("voc-bndbox-by-position-two-tools-order", "data.bbox_invalid", argv="train_detector.py",
           setup=prep(VOC_PREP))
    script("faster-rcnn-box-predictor-replaced-with-linear", "model.output_mismatch", also=["model.api_misuse"],
           argv="train_detector.py", setup=damage_coco)

    # ---- severity / cost models
    script("severity-grades-one-element-tensors-weighted-ce-tqdm", "data.label_shape", forms=P,
           argv="train_severity.py", setup=both(phone, claims_csv(12)))
    script("severity-class-weights-numpy-bincount-float64", "data.dtype", argv="train_severity.py",
           setup=both(phone, claims_csv(12)))
    script("severity-weighted-random-sampler-with-shuffle", "model.api_misuse", argv="train_severity.py",
           setup=both(phone, claims_csv(12)))
    notebook("single-claim-photo-no-batch-axis-notebook", "model.input_shape", forms=NB,
             setup=both(sev_ckpt, phone))
    script("damage-types-focal-loss-sigmoid-clamped-in-place", "optim.autograd_graph", argv="train_types.py",
           setup=both(phone, claims_csv(12)))
    script("repair-cost-raw-euros-regression-anomaly", "optim.divergence", argv="train_cost.py",
           setup=both(phone, claims_csv(12)))
    script("round-class-remap-defaultdict-lambda-spawn-workers", "env.multiprocessing", argv="train_severity.py",
           setup=both(phone, prep(ROUNDS_PREP)))
    script("resume-severity-checkpoint-numpy-scalars-weights-only", "env.version_incompat",
           also=["model.weights_mismatch"], argv="train_severity.py",
           setup=both(phone, claims_csv(12), prep(RESUME_PREP)))
    script("parts-deeplab-checkpoint-aux-classifier-keys", "model.weights_mismatch", argv="predict_parts.py",
           setup=both(claims(photos("claims/photos", 2, (160, 120))), prep(PARTS_CKPT_PREP)))
    script("eval-report-device-cuda-default-on-laptop", "env.cuda_setup", also=["env.device_mismatch"],
           argv="eval_severity.py", setup=both(phone, claims_csv(12), sev_ckpt, write("reports/.keep", "")))

    # ---- ImageAI 3
    script("imageai-detector-round2-yolo-labels-round1-names", "data.label_out_of_range",
           also=["model.output_mismatch"], framework="imageai", forms=P, argv="train_damage.py", timeout=400,
           setup=yolo_layout("car_damage", round2_rows, size=(208, 156)))
    script("imageai-detector-coco-to-yolo-sensor-size-portrait-boxes", "data.bbox_invalid", framework="imageai",
           argv="train_damage.py", timeout=400, setup=prep(EXIF_COCO_PREP))
    script("imageai-detector-windscreen-template-boxes", "data.too_few_boxes", framework="imageai",
           argv="train_glass.py", timeout=400,
           setup=yolo_layout("windscreens", windscreen_rows, size=(208, 156)))
    script("imageai-severity-trainer-severe-folder-only-heic", "data.missing_or_corrupt", framework="imageai",
           argv="train_severity.py", timeout=400,
           setup=both(imgs(class_folder("severity/train", ["minor", "moderate"], 3, size=(120, 90))
                           + class_folder("severity/test", ["minor", "moderate", "severe"], 1, size=(120, 90))),
                      claims([(f"severity/train/severe/IMG_{7401 + i}.HEIC", (0, 0), "heic", 0)
                              for i in range(3)])))
    script("imageai-detect-heic-claim-photo-path", "data.missing_or_corrupt", also=["model.api_misuse"],
           framework="imageai", argv="detect_inbox.py",
           setup=both(save_tiny(labels2, 3, "car_damage/models/tiny-yolov3_car_damage_mAP-0.41730_epoch-48.pt",
                                "car_damage/json/car_damage_tiny-yolov3_detection_config.json"),
                      claims([("claims/inbox/IMG_0871.HEIC", (0, 0), "heic", 0),
                              ("claims/inbox/IMG_0872.jpg", (320, 240), "RGB", 0)])))
    script("imageai-detector-round1-config-json-round2-model", "model.weights_mismatch",
           also=["model.output_mismatch"], framework="imageai", argv="detect_claim.py",
           setup=both(save_tiny('["scratch", "dent"]', 3, "car_damage/models/tiny-yolov3_car_damage_round2_last.pt",
                                "deploy/car_damage_tiny-yolov3_detection_config.json"),
                      claims([("claims/inbox/IMG_0001.jpg", (320, 240), "RGB", 0)]), write("out/.keep", "")))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
