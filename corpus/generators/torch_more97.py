"""A ninety-seventh held-out set (g182, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: museum, library and archive digitisation teams -- scanned pages and volumes, photographs, artworks and
objects; 16-bit and CMYK TIFF masters from the photo studio and outside print vendors, LZW masters copied from the
digitisation file share, multi-page volume TIFFs written by the book scanner, huge master scans with small
derivatives, colour targets and ICC profiles; stamp / seal / signature detectors with ImageAI 3.0.3 (about a quarter
of the cases) and torchvision Faster R-CNN, artwork style / period / maker classifiers with torchvision, handwritten
date crops, metadata exported from the collection management system as CSV / JSON (accession numbers with dots,
BCE dates, UNC master paths, ``true`` / ``false`` flags); training scripts and notebooks written by the teams
themselves. A natural mix of causes, each program built so that its cause is known by construction and made to fail
inside torch, torchvision, ImageAI, PIL, OpenCV, NumPy or multiprocessing:

- images: the print studio's CMYK TIFF masters among RGB ones, batched as four-channel tensors (notebook,
  data.image_channels); a book scanner that appends a reduced-resolution preview subfile to every second volume
  TIFF, so the per-page Dataset batches a thumbnail with full pages (workers, data.image_size_mismatch); master
  paths exported by the collection system as Windows UNC paths, opened on the Linux GPU box (workers + tqdm,
  data.missing_or_corrupt); LZW masters whose copy from the file share was interrupted (tqdm, a "Corrupt EXIF
  data" warning first, path with spaces, data.missing_or_corrupt);
- labels: stamp rectangles exported from PDF annotations (origin bottom-left), flipped to image rows without
  swapping the two corners, into Faster R-CNN (data.bbox_invalid); century classes computed from
  ``date_earliest`` when the antiquities department's BCE objects (negative years) are in the export (tqdm,
  data.label_out_of_range); eight per-digit date targets against ``[B, 8, 10]`` logits in ``cross_entropy``
  (data.label_shape); the JSON export's ``"signed": true`` flags kept as bool targets for ``BCEWithLogitsLoss``
  (data.dtype);
- models: a ViT-B/16 built at its default 224 px fed 384 px brushwork crops (model.input_shape); a notebook whose
  year-regression head (one output) is kept when the task becomes century classification (notebook,
  model.output_mismatch); the microfilm model (one-channel ``conv1``) loaded to fine-tune on colour scans
  (model.weights_mismatch); TIFF masters read with ``torchvision.io.read_image`` (workers, model.api_misuse);
- optimisation: few-shot maker attribution whose class prototypes are computed once from the support scans, with
  their graph, and reused every step (optim.autograd_graph); photograph dating from raw colour-histogram counts to
  raw calendar years with SGD under anomaly mode (optim.divergence);
- resource / environment: layout-segmentation logits of a whole volume upsampled at once to the masters' pixel size
  (resource.host_memory); the lab's old colour-target calibration helper calling the removed ``torch.lstsq``
  (env.version_incompat); a Dataset holding a prebuilt ImageCms scanner-profile -> sRGB transform under spawn
  workers (env.multiprocessing); a tiling script choosing its tile size from ``torch.cuda.mem_get_info`` run on a
  laptop without an NVIDIA driver (env.cuda_setup);
- ImageAI 3: signature labels exported as ``x y w h`` rows without the class column (data.bbox_invalid); a seal
  pilot with three annotated boxes for six anchors (data.too_few_boxes); 16-bit masters read with
  ``cv2.IMREAD_UNCHANGED`` given to ``classifyImage`` (notebook, data.dtype); CMYK vendor TIFF pages passed as PIL
  images to ``detectObjectsFromImage`` (data.image_channels); the team's own training checkpoint dict given to
  ``CustomImageClassification`` (re-raised as a plain ``Exception``, model.weights_mismatch); detection outputs
  named by accession number without an image extension (model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more97.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more97.py"

SCRIPTS = {}
CELLS = {}

STYLES = ["baroque", "impressionism", "realism", "romanticism"]

# ------------------------------------------------------------------ CMYK masters from the photo studio
STUDIO_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
os.makedirs("studio_masters", exist_ok=True)
STYLES = @@STYLES@@
rows = []
for i in range(12):
    num = f"SK-A-{1200 + i * 7}"
    img = Image.fromarray(rng.integers(0, 255, (150 + 10 * (i % 3), 120, 3), dtype=np.uint8))
    if i in (2, 7, 9):                  # re-shot by the studio for the catalogue: print-ready CMYK
        img = img.convert("CMYK")
    img.save(f"studio_masters/{num}.tif", compression="tiff_lzw")
    rows.append((num, f"{num}.tif", STYLES[i % 4]))
with open("studio_masters/style_export.csv", "w", newline="") as f:
    csv.writer(f).writerows([("object_number", "image_file", "style")] + rows)
'''.replace("@@STYLES@@", repr(STYLES))

CELLS["studio-cmyk-tiff-masters-style-batch-notebook"] = [
    '''import csv
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

STYLES = @@STYLES@@
rows = list(csv.DictReader(open("studio_masters/style_export.csv", encoding="utf-8")))
len(rows)'''.replace("@@STYLES@@", repr(STYLES)),
    '''class Masters(Dataset):
    tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(rows)

    def __getitem__(self, i):
        r = rows[i]
        return self.tf(Image.open(f"studio_masters/{r['image_file']}")), STYLES.index(r["style"])


loader = DataLoader(Masters(), batch_size=4, shuffle=False)
model = models.resnet18(weights=None, num_classes=len(STYLES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ volume TIFFs with a preview subfile
VOLUME_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("volumes", exist_ok=True)
HANDS = ["textualis", "cursiva", "humanistic"]
rows = []
for v in range(6):
    pages = [Image.fromarray(rng.integers(0, 255, (160, 120, 3), dtype=np.uint8)) for _ in range(5)]
    if v % 2 == 1:     # the book scanner's export adds a reduced-resolution preview as the last subfile
        pages.append(pages[0].resize((40, 53)))
    pages[0].save(f"volumes/MS_{v + 101:04d}.tif", save_all=True, append_images=pages[1:],
                  compression="tiff_deflate")
    rows.append((f"MS_{v + 101:04d}.tif", HANDS[v % 3]))
with open("volumes/volumes.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "script")] + rows)
'''

SCRIPTS["multipage-volume-tiff-preview-subfile-workers"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

HANDS = ["textualis", "cursiva", "humanistic"]


class VolumePages(Dataset):
    """every page of every volume TIFF, labelled with the volume's script"""

    def __init__(self, root):
        self.root = root
        self.items = []
        for r in csv.DictReader(open(f"{root}/volumes.csv")):
            with Image.open(f"{root}/{r['file']}") as im:
                for page in range(im.n_frames):
                    self.items.append((r["file"], page, HANDS.index(r["script"])))
        # all pages come off the same cradle at the same resolution: no resizing needed
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.25] * 3)])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, page, y = self.items[i]
        im = Image.open(f"{self.root}/{name}")
        im.seek(page)
        return self.tf(im.convert("RGB")), y


if __name__ == "__main__":
    torch.manual_seed(0)
    ds = VolumePages("volumes")
    print(f"{len(ds)} pages")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(HANDS)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ UNC master paths from the collection system
UNC_PREP = r'''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
os.makedirs("exports", exist_ok=True)
TYPES = ["painting", "print", "drawing", "photograph"]
rows = []
for i in range(16):
    num = f"{1950 + i}.{100 + 3 * i}"
    unc = "\\\\cms-fs01\\Digitisation\\Masters\\" + TYPES[i % 4].title() + "s\\" + num + ".jpg"
    rows.append((num, f"Object {num}", TYPES[i % 4], unc))
with open("exports/objects_2024-05-02.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows([("object_number", "title", "object_type", "master_path")] + rows)
'''

SCRIPTS["cms-export-unc-master-paths-workers-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

TYPES = ["painting", "print", "drawing", "photograph"]


class CollectionObjects(Dataset):
    """object type classifier, straight from the collection system's export"""

    def __init__(self, export_csv):
        self.rows = list(csv.DictReader(open(export_csv, encoding="utf-8")))
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["master_path"]).convert("RGB")), TYPES.index(r["object_type"])


if __name__ == "__main__":
    ds = CollectionObjects("exports/objects_2024-05-02.csv")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(TYPES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(8):
        for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
'''

# ------------------------------------------------------------------ LZW masters, copy interrupted
PERIODS = ["1600-1700", "1700-1800", "1800-1900"]

LZW_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(14)
for p, period in enumerate(@@PERIODS@@):
    d = f"period_train/{period}"
    os.makedirs(d, exist_ok=True)
    for i in range(5):
        name = f"{d}/RP-P-{1890 + p}-{i + 11:03d}.tif"
        Image.fromarray(rng.integers(0, 255, (96, 80, 3), dtype=np.uint8)).save(name, compression="tiff_lzw")
        if (p, i) == (2, 3):                     # robocopy from the share was interrupted on this one
            data = open(name, "rb").read()
            open(name, "wb").write(data[: len(data) // 2])
'''.replace("@@PERIODS@@", repr(PERIODS))

SCRIPTS["lzw-masters-interrupted-copy-from-share-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train = datasets.ImageFolder("period_train", tf)
print(train.class_to_idx, len(train), "masters")

model = models.resnet18(weights=None, num_classes=len(train.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
torch.manual_seed(0)
for epoch in range(10):
    for x, y in tqdm(DataLoader(train, batch_size=4, shuffle=True), desc=f"epoch {epoch + 1}/10"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ stamps from PDF annotations
PDF_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(15)
os.makedirs("charters/pages", exist_ok=True)
anns = []
for i in range(4):
    name = f"charter_{i + 1:04d}.jpg"
    Image.fromarray(rng.integers(0, 255, (396, 306, 3), dtype=np.uint8)).save(f"charters/pages/{name}")
    # PDF /Rect entries in points, origin at the bottom-left of a 612 x 792 pt page
    anns.append({"page_image": name, "page_size_pt": [612, 792], "subtype": "Square", "contents": "stamp",
                 "rect": [400 + 10 * i, 80 + 6 * i, 520 + 10 * i, 190 + 6 * i]})
    anns.append({"page_image": name, "page_size_pt": [612, 792], "subtype": "Square", "contents": "seal",
                 "rect": [90, 60 + 4 * i, 200, 170 + 4 * i]})
json.dump(anns, open("charters/pdf_annotations.json", "w"), indent=1)
'''

SCRIPTS["stamp-boxes-pdf-rects-flipped-corners-fasterrcnn"] = '''
import json
from collections import defaultdict

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = {"stamp": 1, "seal": 2}
SCALE = 0.5          # pages were rendered from the PDF at 36 dpi (0.5 px per point)

per_page = defaultdict(list)
for a in json.load(open("charters/pdf_annotations.json")):
    x0, y0, x1, y1 = a["rect"]
    page_h = a["page_size_pt"][1]
    # PDF y grows upwards: flip to image rows
    box = [x0 * SCALE, (page_h - y0) * SCALE, x1 * SCALE, (page_h - y1) * SCALE]
    per_page[a["page_image"]].append((box, CLASSES[a["contents"]]))

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES) + 1)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
for epoch in range(10):
    for name, objs in per_page.items():
        img = TF.to_tensor(Image.open(f"charters/pages/{name}").convert("RGB"))
        target = {"boxes": torch.tensor([b for b, _ in objs]), "labels": torch.tensor([c for _, c in objs])}
        losses = model([img], [target])
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ century classes, BCE objects
OBJECTS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(16)
os.makedirs("objects", exist_ok=True)
rows = []
for i in range(24):
    num = f"{['BK', 'SK', 'AK', 'NG'][i % 4]}-{1000 + 17 * i}"
    Image.fromarray(rng.integers(0, 255, (80, 80, 3), dtype=np.uint8)).save(f"objects/{num}.jpg")
    if i % 4 == 2:                                          # antiquities: dates BCE are negative years
        dept, early = "Antiquities", -int(rng.integers(100, 700))
    else:
        dept, early = "Paintings and Prints", int(rng.integers(1400, 1999))
    rows.append((num, f"{num}.jpg", dept, early, early + int(rng.integers(0, 30))))
with open("objects/collection_export.csv", "w", newline="") as f:
    csv.writer(f).writerows([("object_number", "image", "department", "date_earliest", "date_latest")] + rows)
'''

SCRIPTS["century-classes-bce-dates-export-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

CENTURIES = ["15th", "16th", "17th", "18th", "19th", "20th"]


class DatedObjects(Dataset):
    def __init__(self, export_csv):
        self.rows = list(csv.DictReader(open(export_csv)))
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        century = int(r["date_earliest"]) // 100 - 14        # 1400-1499 -> 0 ... 1900-1999 -> 5
        return self.tf(Image.open(f"objects/{r['image']}").convert("RGB")), century


torch.manual_seed(0)
model = models.resnet18(weights=None, num_classes=len(CENTURIES))
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
loader = DataLoader(DatedObjects("objects/collection_export.csv"), batch_size=8, shuffle=True)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}", unit="batch"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ handwritten date crops
DATES_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(17)
os.makedirs("date_crops", exist_ok=True)
labels = {}
for i in range(16):
    name = f"reg_{i + 1:04d}.png"
    Image.fromarray(rng.integers(0, 255, (32, 128), dtype=np.uint8), "L").save(f"date_crops/{name}")
    y, m, d = int(rng.integers(1850, 1950)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
    labels[name] = f"{y:04d}-{m:02d}-{d:02d}"            # as transcribed by the volunteers
json.dump(labels, open("date_crops/transcriptions.json", "w"), indent=1)
'''

SCRIPTS["handwritten-date-digit-logits-vs-targets"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

N_DIGITS = 8      # YYYYMMDD


class DateCrops(Dataset):
    def __init__(self, root):
        self.root = root
        self.labels = json.load(open(f"{root}/transcriptions.json"))
        self.names = sorted(self.labels)
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        digits = [int(c) for c in self.labels[name] if c.isdigit()]
        return self.tf(Image.open(f"{self.root}/{name}")), torch.tensor(digits)


class DateReader(nn.Module):
    """one 10-way classifier per digit position"""

    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 8)))
        self.head = nn.Linear(64 * 8, N_DIGITS * 10)

    def forward(self, x):
        return self.head(self.cnn(x).flatten(1)).view(-1, N_DIGITS, 10)


model = DateReader()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in DataLoader(DateCrops("date_crops"), batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))
'''

# ------------------------------------------------------------------ signed / unsigned from the JSON export
SIGNED_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(18)
os.makedirs("works_on_paper", exist_ok=True)
objs = []
for i in range(12):
    num = f"RP-T-{1950 + i}-{40 + i}"
    Image.fromarray(rng.integers(0, 255, (100, 80, 3), dtype=np.uint8)).save(f"works_on_paper/{num}.jpg")
    objs.append({"objectNumber": num, "title": f"Study {i}", "objectType": "drawing",
                 "image": f"{num}.jpg", "signed": bool(i % 3 == 0), "inscriptions": []})
json.dump({"exportDate": "2024-05-02", "objects": objs}, open("works_on_paper/export.json", "w"), indent=1)
'''

SCRIPTS["signed-flag-json-bool-targets-bce"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms


class SignedDrawings(Dataset):
    """is there a signature on the sheet? (flag from the cataloguers' export)"""

    def __init__(self, export):
        self.objects = json.load(open(export))["objects"]
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __len__(self):
        return len(self.objects)

    def __getitem__(self, i):
        o = self.objects[i]
        img = Image.open(f"works_on_paper/{o['image']}").convert("RGB")
        return self.tf(img), torch.tensor(o["signed"])


model = models.resnet18(weights=None, num_classes=1)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in DataLoader(SignedDrawings("works_on_paper/export.json"), batch_size=4, shuffle=True):
        loss = criterion(model(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ ViT on brushwork crops
BRUSH_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(19)
for a in ["rembrandt", "workshop", "follower"]:
    os.makedirs(f"brushwork/{a}", exist_ok=True)
    for i in range(3):
        Image.fromarray(rng.integers(0, 255, (384, 384, 3), dtype=np.uint8)).save(f"brushwork/{a}/{a}_{i:03d}.png")
'''

SCRIPTS["vit-b16-brushwork-crops-384"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# detail crops cut at 384 px from the 1200-dpi masters: smaller and the brushstrokes are gone
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])
crops = datasets.ImageFolder("brushwork", tf)
print(crops.class_to_idx)

model = models.vit_b_16(weights=None, num_classes=len(crops.classes))
opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.05)
for epoch in range(5):
    for x, y in DataLoader(crops, batch_size=2, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ year regression head kept for centuries
CELLS["century-head-left-from-year-regression-notebook"] = [
    '''import csv
import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

rows = [r for r in csv.DictReader(open("objects/collection_export.csv")) if r["department"] != "Antiquities"]
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = torch.stack([tf(Image.open(f"objects/{r['image']}").convert("RGB")) for r in rows])
years = torch.tensor([float(r["date_earliest"]) for r in rows])
x.shape, years.min(), years.max()''',
    '''# first try: regress the year directly
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 1)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(3):
    loss = nn.functional.mse_loss(model(x).squeeze(1), (years - 1700) / 300)
    opt.zero_grad()
    loss.backward()
    opt.step()
loss.item()''',
    '''# too noisy: the curators only need the century, so make it a classification
CENTURIES = ["15th", "16th", "17th", "18th", "19th", "20th"]
century = (years // 100 - 14).long()
for step in range(20):
    loss = nn.functional.cross_entropy(model(x), century)
    opt.zero_grad()
    loss.backward()
    opt.step()
loss.item()''',
]

# ------------------------------------------------------------------ microfilm model onto colour scans
MICROFILM_CKPT = '''
import os
import torch
import torch.nn as nn
from torchvision import models

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
m = models.resnet18(weights=None, num_classes=4)
m.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)     # microfilm is greyscale
torch.save(m.state_dict(), "models/microfilm_doctype_resnet18_ep30.pt")
'''

SCRIPTS["microfilm-grey-checkpoint-colour-scans"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

DOC_TYPES = ["charter", "letter", "ledger", "map"]

# start from the document-type model trained on the microfilm backlog, fine-tune on the new colour scans
model = models.resnet18(weights=None, num_classes=len(DOC_TYPES))
model.load_state_dict(torch.load("models/microfilm_doctype_resnet18_ep30.pt"))

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
scans = datasets.ImageFolder("colour_scans", tf)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(5):
    for x, y in DataLoader(scans, batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ read_image on TIFF masters
TIFF_MASTERS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(20)
os.makedirs("masters", exist_ok=True)
rows = []
for i in range(10):
    num = f"PH-{2001 + i}"
    Image.fromarray(rng.integers(0, 255, (120, 90, 3), dtype=np.uint8)).save(f"masters/{num}.tif")
    rows.append((f"masters/{num}.tif", ["albumen", "gelatin_silver", "cyanotype"][i % 3]))
with open("masters/process.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "process")] + rows)
'''

SCRIPTS["read-image-tiff-masters-workers"] = '''
import csv

import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from torchvision.io import read_image, ImageReadMode

PROCESSES = ["albumen", "gelatin_silver", "cyanotype"]


class PhotoMasters(Dataset):
    """photographic process classifier; read_image decodes straight to uint8 tensors, no PIL"""

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((128, 128), antialias=True),
                                      transforms.ConvertImageDtype(torch.float32)])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(read_image(r["file"], mode=ImageReadMode.RGB)), PROCESSES.index(r["process"])


if __name__ == "__main__":
    loader = DataLoader(PhotoMasters("masters/process.csv"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(PROCESSES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ few-shot maker attribution
MAKERS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(21)
for split, n in (("support", 3), ("query", 4)):
    for m in ["hals", "leyster", "molenaer", "de_bray", "verspronck"]:
        os.makedirs(f"makers/{split}/{m}", exist_ok=True)
        for i in range(n):
            Image.fromarray(rng.integers(0, 255, (80, 64, 3), dtype=np.uint8)).save(f"makers/{split}/{m}/{m}_{i}.jpg")
'''

SCRIPTS["maker-prototypes-computed-once-backward-twice"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 80)), transforms.ToTensor()])
support = datasets.ImageFolder("makers/support", tf)      # three attributed works per maker
query = datasets.ImageFolder("makers/query", tf)
n_way, k_shot = len(support.classes), 3
print(support.classes)

torch.manual_seed(0)
encoder = models.resnet18(weights=None, num_classes=64)
opt = torch.optim.Adam(encoder.parameters(), lr=1e-4)

# one prototype per maker: the mean embedding of its support scans
sx = torch.stack([x for x, _ in sorted(support, key=lambda s: s[1])])
prototypes = encoder(sx).view(n_way, k_shot, -1).mean(1)

for epoch in range(10):
    for x, y in DataLoader(query, batch_size=5, shuffle=True):
        logits = -torch.cdist(encoder(x), prototypes)
        loss = nn.functional.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ dating photographs by print tone
PRINTS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(22)
os.makedirs("photo_prints", exist_ok=True)
rows = []
for i in range(64):
    name = f"photo_prints/FOTO-{3000 + i}.jpg"
    tone = rng.uniform(0.6, 1.0, 3)
    Image.fromarray((rng.integers(0, 255, (96, 128, 3)) * tone).astype(np.uint8)).save(name)
    rows.append((name, int(rng.integers(1850, 1990))))
with open("photo_prints/dated.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "year")] + rows)
'''

SCRIPTS["print-tone-histogram-dating-raw-years-anomaly"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

rows = list(csv.DictReader(open("photo_prints/dated.csv")))


def tone_histogram(path):
    """32-bin histogram per channel: paper tone and fading date a print"""
    img = torch.from_numpy(np.asarray(Image.open(path).convert("RGB"))).permute(2, 0, 1).float()
    return torch.cat([torch.histc(img[c], bins=32, min=0, max=255) for c in range(3)])


X = torch.stack([tone_histogram(r["file"]) for r in rows])
Y = torch.tensor([float(r["year"]) for r in rows])
print(f"{len(X)} prints, {Y.min().item():.0f}-{Y.max().item():.0f}", flush=True)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(96, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
torch.autograd.set_detect_anomaly(True)        # the loss went NaN last time: find where
for epoch in range(50):
    for i in range(0, len(X), 8):
        loss = nn.functional.mse_loss(model(X[i:i + 8]).squeeze(1), Y[i:i + 8])
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} batch {i // 8} mse {loss.item():.4g}", flush=True)
'''

# ------------------------------------------------------------------ layout masks at master resolution
LAYOUT_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(23)
os.makedirs("volume_0412/derivatives", exist_ok=True)
pages = []
for p in range(8):
    name = f"volume_0412/derivatives/p{p + 1:04d}.jpg"
    Image.fromarray(rng.integers(0, 255, (350, 250, 3), dtype=np.uint8)).save(name)
    pages.append({"derivative": name, "master": f"p{p + 1:04d}.tif", "master_width": 10000, "master_height": 14000,
                  "dpi": 600})
json.dump({"volume": "0412", "pages": pages}, open("volume_0412/mets_summary.json", "w"), indent=1)
'''

SCRIPTS["layout-logits-upsampled-to-master-size-whole-volume"] = '''
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision.transforms import functional as TF

REGIONS = ["background", "text", "marginalia", "illustration", "initial", "stamp", "page_number", "catchword",
           "running_title", "table", "decoration", "binding"]

vol = json.load(open("volume_0412/mets_summary.json"))
pages = torch.stack([TF.to_tensor(Image.open(p["derivative"]).convert("RGB")) for p in vol["pages"]])
H, W = vol["pages"][0]["master_height"], vol["pages"][0]["master_width"]
print(f"volume {vol['volume']}: {len(pages)} pages, derivatives {tuple(pages.shape[-2:])}, masters {H}x{W}")

torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(32, len(REGIONS), 1))
model.eval()
with torch.no_grad():
    logits = model(pages)
    # masks go back to the transcription platform in master pixel coordinates
    full = F.interpolate(logits, size=(H, W), mode="bilinear", align_corners=False)
    masks = full.argmax(1).to(torch.uint8)
print(masks.shape)
'''

# ------------------------------------------------------------------ colour target calibration (old helper)
COLOUR_PREP = '''
import csv, json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(24)
os.makedirs("targets", exist_ok=True)
os.makedirs("scans", exist_ok=True)
ref = rng.integers(30, 240, (24, 3))
json.dump({"target": "ColorChecker Classic 24", "srgb": ref.tolist()}, open("targets/colorchecker_reference.json", "w"))
measured = np.clip(ref * [0.92, 1.03, 0.88] + [6, -4, 10] + rng.normal(0, 2, (24, 3)), 0, 255)
chart = np.zeros((80, 120, 3), np.uint8)
for k in range(24):
    r, c = divmod(k, 6)
    chart[r * 20:(r + 1) * 20, c * 20:(c + 1) * 20] = measured[k]
Image.fromarray(chart).save("targets/session_2024-05-02_chart.tif")
rows = []
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"scans/obj_{i:03d}.tif")
    rows.append((f"scans/obj_{i:03d}.tif", ["oil", "tempera"][i % 2]))
with open("scans/medium.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "medium")] + rows)
'''

COLOUR_HELPER = '''
"""Colour-target calibration (digitisation lab utilities, 2020)."""
import json

import numpy as np
import torch
from PIL import Image


def patch_means(chart_path, rows=4, cols=6):
    chart = torch.from_numpy(np.asarray(Image.open(chart_path).convert("RGB"))).float()
    h, w = chart.shape[0] // rows, chart.shape[1] // cols
    return torch.stack([chart[r * h:(r + 1) * h, c * w:(c + 1) * w].reshape(-1, 3).mean(0)
                        for r in range(rows) for c in range(cols)])


def fit_ccm(chart_path, reference_json):
    """3x4 colour-correction matrix (with offset) mapping measured patches to reference sRGB"""
    measured = patch_means(chart_path)
    reference = torch.tensor(json.load(open(reference_json))["srgb"], dtype=torch.float32)
    A = torch.cat([measured, torch.ones(len(measured), 1)], 1)
    solution, _ = torch.lstsq(reference, A)
    return solution[:4]


class ApplyCCM:
    def __init__(self, ccm):
        self.ccm = ccm

    def __call__(self, img):
        x = torch.from_numpy(np.asarray(img.convert("RGB"))).float()
        x = torch.cat([x, torch.ones(*x.shape[:2], 1)], -1) @ self.ccm
        return (x.clamp(0, 255) / 255).permute(2, 0, 1)
'''

SCRIPTS["colour-target-calibration-old-helper-torch-lstsq"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

from labutils.colour import ApplyCCM, fit_ccm

MEDIA = ["oil", "tempera"]


class CalibratedScans(Dataset):
    def __init__(self, csv_path, ccm):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([ApplyCCM(ccm), transforms.Resize((96, 96), antialias=True)])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["file"])), MEDIA.index(r["medium"])


# every capture session is calibrated against its own shot of the colour target
ccm = fit_ccm("targets/session_2024-05-02_chart.tif", "targets/colorchecker_reference.json")
print("colour-correction matrix\\n", ccm)
model = models.resnet18(weights=None, num_classes=len(MEDIA))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in DataLoader(CalibratedScans("scans/medium.csv", ccm), batch_size=4, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ ICC transform held by the Dataset
ICC_PREP = '''
import csv, os
import numpy as np
from PIL import Image, ImageCms

rng = np.random.default_rng(25)
os.makedirs("scanner_out", exist_ok=True)
profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()   # stands in for the scanner's ICC
rows = []
for i in range(12):
    name = f"scanner_out/scan_{i:05d}.tif"
    Image.fromarray(rng.integers(0, 255, (90, 120, 3), dtype=np.uint8)).save(name, icc_profile=profile)
    rows.append((name, ["recto", "verso"][i % 2]))
with open("scanner_out/sides.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "side")] + rows)
'''

SCRIPTS["icc-profile-transform-in-dataset-spawn-workers"] = '''
import csv
import io

import torch
import torch.nn as nn
from PIL import Image, ImageCms
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

SIDES = ["recto", "verso"]


class ProfiledScans(Dataset):
    """scans carry the scanner's ICC profile: convert them to sRGB before the model sees them"""

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        first = Image.open(self.rows[0]["file"])
        scanner = ImageCms.ImageCmsProfile(io.BytesIO(first.info["icc_profile"]))
        # one scanner, one profile: build the transform once instead of for every page
        self.to_srgb = ImageCms.buildTransform(scanner, ImageCms.createProfile("sRGB"), "RGB", "RGB")
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = ImageCms.applyTransform(Image.open(r["file"]).convert("RGB"), self.to_srgb)
        return self.tf(img), SIDES.index(r["side"])


if __name__ == "__main__":
    # the lab's Mac Studio starts DataLoader workers with spawn; same here so both machines behave alike
    torch.multiprocessing.set_start_method("spawn")
    loader = DataLoader(ProfiledScans("scanner_out/sides.csv"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(16, len(SIDES)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ------------------------------------------------------------------ tile size from GPU memory
SCRIPTS["huge-scan-tile-size-from-gpu-memory-laptop"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torchvision.transforms import functional as TF

device = "cuda" if torch.cuda.is_available() else "cpu"


def tile_size():
    """largest tile that fits: 1024 px on the 48 GB card, 512 on the 24 GB one, 256 otherwise"""
    free, total = torch.cuda.mem_get_info()
    return 1024 if total > 40e9 else 512 if total > 20e9 else 256


def tiles(img, t):
    x = TF.to_tensor(img)
    for y0 in range(0, x.shape[1] - t + 1, t):
        for x0 in range(0, x.shape[2] - t + 1, t):
            yield x[:, y0:y0 + t, x0:x0 + t]


T = tile_size()
print(f"device {device}, tiles of {T} px")
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 2, 1)).to(device)
for path in sorted(glob.glob("maps/*.jpg")):
    with torch.no_grad():
        for tile in tiles(Image.open(path).convert("RGB"), T):
            model(tile[None].to(device))
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

SCRIPTS["imageai-signature-labels-without-class-column"] = sub(
    DET_TRAIN, DIR="signatures", NAMES='["signature"]', EPOCHS="50").replace(
    "trainer = Det", "# labels written by our export script from the catalogue's 'signature location' field\n"
                     "trainer = Det")
SCRIPTS["imageai-seal-pilot-three-boxes-anchors"] = sub(
    DET_TRAIN, DIR="seals_pilot", NAMES='["seal"]', EPOCHS="30").replace(
    "trainer = Det", "# pilot: charters from one box, seals marked where the cataloguer found one\ntrainer = Det")


def signature_rows(split, i):
    # x_centre y_centre width height, normalised -- one class, so no class id was written
    n = 1 + (i % 2)
    return "".join(f"{0.62 + 0.03 * k:.4f} {0.81 - 0.05 * k:.4f} {0.22 + 0.01 * i:.4f} {0.07:.4f}\n"
                   for k in range(n))


def seal_rows(split, i):
    if split == "validation":
        return f"0 0.5000 0.8200 {0.15 + 0.01 * i:.4f} {0.11 + 0.01 * i:.4f}\n"
    if i in (1, 4, 6):
        return f"0 {0.40 + 0.05 * i:.4f} 0.8000 {0.12 + 0.02 * i:.4f} {0.10 + 0.015 * i:.4f}\n"
    return ""                                  # no seal on this charter


CELLS["imageai-classify-16bit-masters-imread-unchanged-notebook"] = [
    '''import glob
import cv2
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("period/models/mobilenet_v2-period-test_acc_0.81250_epoch-22.pt")
clf.setJsonPath("period/models/period_model_classes.json")
clf.loadModel()''',
    '''# read the masters as they are: 16 bits per channel, no 8-bit conversion
for path in sorted(glob.glob("masters_16bit/*.tif")):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    names, probs = clf.classifyImage(img, result_count=2)
    print(path, img.dtype, list(zip(names, probs)))''',
]

MASTERS16_PREP = '''
import os
import numpy as np
import cv2

rng = np.random.default_rng(26)
os.makedirs("masters_16bit", exist_ok=True)
for i in range(2):
    cv2.imwrite(f"masters_16bit/SK-C-{500 + i}.tif", rng.integers(0, 65535, (120, 96, 3), dtype=np.uint16))
'''

STAMP = {"PT": "stamps/models/tiny-yolov3_stamps_mAP-0.47310_epoch-41.pt",
         "JS": "stamps/json/stamps_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-detect-cmyk-vendor-tiff-pages-pil"] = sub('''
import glob

from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# the vendor delivers TIFF; ImageAI only takes .jpg / .png paths, so hand it the opened page
for path in sorted(glob.glob("vendor_delivery/*.tif")):
    page = Image.open(path)
    _, detections = detector.detectObjectsFromImage(input_image=page, output_type="array",
                                                    minimum_percentage_probability=40)
    print(path, [(d["name"], d["percentage_probability"]) for d in detections])
''', **STAMP)

CMYK_PAGES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(27)
os.makedirs("vendor_delivery", exist_ok=True)
for i in range(2):
    rgb = Image.fromarray(rng.integers(0, 255, (300, 200, 3), dtype=np.uint8))
    rgb.convert("CMYK").save(f"vendor_delivery/NL-HaNA_1.04.02_{1130 + i}_{i + 1:04d}.tif", compression="tiff_lzw")
'''

SCRIPTS["imageai-classifier-own-training-checkpoint-dict"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# trained with our own torchvision script (mobilenet_v2, four periods); served through ImageAI like the others
clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("runs/period_mnv2/best.pt")
clf.setJsonPath("runs/period_mnv2/period_classes.json")
clf.loadModel()

for path in sorted(glob.glob("inbox/*.jpg")):
    print(path, clf.classifyImage(path, result_count=1))
'''

OWN_CKPT_PREP = '''
import json, os
import torch
from torchvision import models

os.makedirs("runs/period_mnv2", exist_ok=True)
torch.manual_seed(0)
m = models.mobilenet_v2(weights=None, num_classes=4)
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
classes = ["1600-1700", "1700-1800", "1800-1900", "1900-2000"]
torch.save({"epoch": 23, "model_state_dict": m.state_dict(), "optimizer_state_dict": opt.state_dict(),
            "val_acc": 0.78, "classes": classes}, "runs/period_mnv2/best.pt")
json.dump({str(i): c for i, c in enumerate(classes)}, open("runs/period_mnv2/period_classes.json", "w"))
'''

SCRIPTS["imageai-detect-output-named-by-accession-number"] = sub('''
import csv
import os

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

with open("letters/letters_export.csv", newline="") as f:
    letters = list(csv.DictReader(f))

os.makedirs("detected", exist_ok=True)
for row in letters:
    # one annotated image per object, named by its accession number
    detections = detector.detectObjectsFromImage(input_image=row["derivative"],
                                                 output_image_path=os.path.join("detected", row["accession"]),
                                                 minimum_percentage_probability=40)
    print(row["accession"], len(detections), "stamps")
''', **STAMP)

LETTERS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(28)
os.makedirs("letters", exist_ok=True)
rows = []
for i in range(3):
    acc = f"1923.45.{i + 2}"
    name = f"letters/{acc.replace('.', '_')}.jpg"
    Image.fromarray(rng.integers(0, 255, (280, 200, 3), dtype=np.uint8)).save(name)
    rows.append((acc, f"Letter to the director ({i + 1})", name))
with open("letters/letters_export.csv", "w", newline="") as f:
    csv.writer(f).writerows([("accession", "title", "derivative")] + rows)
'''


def cases():
    out, add, script, notebook = case_builders("torch-more97-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    WP = ("cpython_basic", "dataloader_worker", "progress_bars?")
    stamp_model = save_tiny('["stamp", "seal"]', 2, STAMP["PT"], STAMP["JS"])

    # ---- images
    notebook("studio-cmyk-tiff-masters-style-batch-notebook", "data.image_channels",
             also=["data.image_size_mismatch"], forms=NB, setup=prep(STUDIO_PREP))
    script("multipage-volume-tiff-preview-subfile-workers", "data.image_size_mismatch", forms=W,
           argv="train_script_hands.py", setup=prep(VOLUME_PREP))
    script("cms-export-unc-master-paths-workers-tqdm", "data.missing_or_corrupt", forms=WP,
           argv="train_object_type.py", setup=prep(UNC_PREP))
    script("lzw-masters-interrupted-copy-from-share-tqdm", "data.missing_or_corrupt",
           forms=("cpython_basic", "progress_bars?", "paths_with_spaces"), argv="train_period.py",
           project="/home/user/Digitisation Lab/period classifier", setup=prep(LZW_PREP))

    # ---- labels
    script("stamp-boxes-pdf-rects-flipped-corners-fasterrcnn", "data.bbox_invalid", argv="train_stamps.py",
           setup=prep(PDF_PREP))
    script("century-classes-bce-dates-export-tqdm", "data.label_out_of_range", forms=P, argv="train_century.py",
           setup=prep(OBJECTS_PREP))
    script("handwritten-date-digit-logits-vs-targets", "data.label_shape", also=["model.output_mismatch"],
           argv="train_date_reader.py", setup=prep(DATES_PREP))
    script("signed-flag-json-bool-targets-bce", "data.dtype", argv="train_signed.py", setup=prep(SIGNED_PREP))

    # ---- models
    script("vit-b16-brushwork-crops-384", "model.input_shape", argv="train_attribution.py", setup=prep(BRUSH_PREP))
    notebook("century-head-left-from-year-regression-notebook", "model.output_mismatch",
             also=["data.label_out_of_range"], forms=NB, setup=prep(OBJECTS_PREP))
    script("microfilm-grey-checkpoint-colour-scans", "model.weights_mismatch", also=["data.image_channels"],
           argv="finetune_colour.py",
           setup=both(prep(MICROFILM_CKPT),
                      imgs(class_folder("colour_scans", ["charter", "letter", "ledger", "map"], 2, size=(96, 96)))))
    script("read-image-tiff-masters-workers", "model.api_misuse", also=["data.missing_or_corrupt"], forms=W,
           argv="train_process.py", setup=prep(TIFF_MASTERS_PREP))

    # ---- optimisation
    script("maker-prototypes-computed-once-backward-twice", "optim.autograd_graph", argv="fewshot_makers.py",
           setup=prep(MAKERS_PREP))
    script("print-tone-histogram-dating-raw-years-anomaly", "optim.divergence", argv="date_prints.py",
           setup=prep(PRINTS_PREP))

    # ---- resource / environment
    script("layout-logits-upsampled-to-master-size-whole-volume", "resource.host_memory", argv="layout_masks.py",
           setup=prep(LAYOUT_PREP))
    script("colour-target-calibration-old-helper-torch-lstsq", "env.version_incompat", argv="train_medium.py",
           forms=("cpython_basic", "multiline_message"),
           extra={"labutils/__init__.py": "", "labutils/colour.py": COLOUR_HELPER}, setup=prep(COLOUR_PREP))
    script("icc-profile-transform-in-dataset-spawn-workers", "env.multiprocessing", argv="train_sides.py",
           setup=prep(ICC_PREP))
    script("huge-scan-tile-size-from-gpu-memory-laptop", "env.cuda_setup", argv="segment_maps.py",
           setup=imgs([(f"maps/kaart_{i:03d}.jpg", (600, 450), "RGB") for i in range(2)]))

    # ---- ImageAI 3
    script("imageai-signature-labels-without-class-column", "data.bbox_invalid", framework="imageai",
           argv="train_signatures.py", timeout=400,
           setup=yolo_layout("signatures", signature_rows, size=(200, 280)))
    script("imageai-seal-pilot-three-boxes-anchors", "data.too_few_boxes", framework="imageai",
           argv="train_seals.py", timeout=400,
           setup=yolo_layout("seals_pilot", seal_rows, size=(200, 280), splits=(("train", 8), ("validation", 2))))
    notebook("imageai-classify-16bit-masters-imread-unchanged-notebook", "data.dtype",
             also=["data.image_channels"], framework="imageai", forms=NB,
             setup=both(save_cls("mobilenet_v2", '["baroque", "renaissance", "modern"]',
                                 "period/models/mobilenet_v2-period-test_acc_0.81250_epoch-22.pt",
                                 "period/models/period_model_classes.json"),
                        prep(MASTERS16_PREP)))
    script("imageai-detect-cmyk-vendor-tiff-pages-pil", "data.image_channels", framework="imageai",
           argv="find_stamps.py", setup=both(stamp_model, prep(CMYK_PAGES_PREP)))
    script("imageai-classifier-own-training-checkpoint-dict", "model.weights_mismatch", framework="imageai",
           forms=("cpython_basic", "chained_during", "multiline_message"), argv="classify_inbox.py",
           exception="Exception",
           setup=both(prep(OWN_CKPT_PREP), imgs([(f"inbox/scan_{i:03d}.jpg", (96, 120), "RGB") for i in range(2)])))
    script("imageai-detect-output-named-by-accession-number", "model.api_misuse", framework="imageai",
           argv="stamp_letters.py", setup=both(stamp_model, prep(LETTERS_PREP)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
