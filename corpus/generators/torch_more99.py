"""A ninety-ninth held-out set (g186, scored 0.92 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures, untargeted across the taxonomy.

The persona: veterinary clinics and animal shelters -- pet X-ray and ultrasound frames exported from the clinic's
PACS viewer and scanners as DICOM-derived PNGs (8-bit and 16-bit, with ``DICOMDIR`` index files, cine loops as
animated GIFs), breed / coat / species classifiers trained on intake photos, body-weight and adoption models, a
foreign-body detector on abdominal radiographs with torchvision Faster R-CNN, kennel-camera detectors with ImageAI
3.0.3 (about a fifth of the cases), microchip-reader CSV exports joined to photos, the shelter software's intake
export, volunteers' phone photos and notebooks, and a shelter's donated workstation. The training scripts and
notebooks are written by the vets, techs and volunteers themselves. A natural mix of causes, each program built so
that its cause is known by construction and made to fail inside torch, torchvision, ImageAI, PIL, NumPy or
multiprocessing:

- images: AFAST ultrasound frames cropped to the cart scanner's image sector with fixed NumPy slices, which come out
  smaller on the portable scanner's smaller exports (workers, data.image_size_mismatch); thorax radiographs loaded
  through an ``ImageFolder`` ``loader=`` that keeps them grey, among them viewer exports with the radiologist's
  coloured annotations burned in as RGB (notebook, data.image_channels); DICOMs converted to 16-bit PNG "so no grey
  levels are lost", opened as ``I;16`` and reaching the CNN as ``int16`` (data.dtype); an intake export re-saved by
  Excel that turned the 15-digit microchip numbers naming the photos into ``9.85141E+14`` (tqdm,
  data.missing_or_corrupt); a PACS export whose study folders hold a ``DICOMDIR`` index next to the PNG frames,
  listed with ``os.listdir`` (workers, data.missing_or_corrupt);
- labels: a swallowed sewing needle whose three-pixel-wide box collapses to zero width when the radiograph is
  downscaled and the coordinates truncated with ``int()`` (Faster R-CNN, data.bbox_invalid); the shelter
  software's breed lookup ids (17, 143, 201 ...) used as class indices for a head sized by the number of breeds
  (tqdm, data.label_out_of_range); two-view studies (lateral + VD) flattened into single radiographs while the
  targets stay one per study (data.label_shape);
- models: cine-loop GIFs stacked into ``[T, 3, H, W]`` clips for the frame classifier (notebook, model.input_shape);
  a free-fluid segmenter built on ``lraspp_mobilenet_v3_large`` whose ``OrderedDict`` output goes straight into
  ``cross_entropy`` (model.output_mismatch); the clinic PC's ResNet-50 breed checkpoint loaded into a ResNet-18 on
  the shelter laptop (model.weights_mismatch); a volunteer's first notebook constructing ``nn.CrossEntropyLoss``
  with the logits and labels (notebook, model.api_misuse);
- optimisation: a learnable radiograph window / level layer that clamps its width parameter in place in
  ``forward`` (optim.autograd_graph); body weight regressed in grams with SGD + momentum until the epoch's
  ``torch.histc`` of predictions meets NaN (tqdm, optim.divergence);
- resource / environment / other: an archive-wide percentile window computed by preallocating every radiograph of
  the PACS index at the largest detector size (resource.host_memory); a notebook ``Dataset`` class under spawn
  DataLoader workers, as on the volunteer's MacBook (notebook, env.multiprocessing); a kennel-camera speed test
  on the donated workstation timing with ``torch.cuda.Event`` while no NVIDIA driver is installed
  (env.cuda_setup); an adoption-preview grid labelled with ``ImageDraw.textsize`` under Pillow 10+
  (env.version_incompat); the shelter's intake helper ``queue.py`` next to the training script shadowing the
  standard library module that ``import torch`` needs (other);
- ImageAI 3: the kennel detector trained on the shared labelling project's four classes while
  ``object_names_array`` names only the two animals (data.label_out_of_range); kennel boxes drawn on main-stream
  snapshots and normalised by the sub-stream frame size (data.bbox_invalid); the coat classifier's "best" ``.pt``
  chosen by test accuracy across two training runs, the older one trained before a class was added, with the newer
  class JSON (re-raised as a plain ``Exception``, model.weights_mismatch); adoption-listing PNGs with transparent
  backgrounds opened with PIL and given to ``detectObjectsFromImage`` (data.image_channels); the deploy folder's
  first JSON by name -- the species classifier's class map -- given to ``CustomObjectDetection.setJsonPath``
  (model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more99.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more99.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== images
# ------------------------------------------------------------------ AFAST frames, sector crop with fixed slices
AFAST_VIEWS = ["diaphragmatico-hepatic", "spleno-renal", "cysto-colic", "hepato-renal"]

AFAST_PREP = '''
import csv, os
import numpy as np
import cv2

rng = np.random.default_rng(1)
os.makedirs("us_frames", exist_ok=True)
VIEWS = @@VIEWS@@
rows = []
for i in range(24):
    portable = i % 3 == 2                    # the Vscan-style portable scanner exports a smaller screen
    h, w = (300, 400) if portable else (384, 512)
    frame = rng.integers(0, 40, (h, w), dtype=np.uint8)
    cv2.ellipse(frame, (w // 2, h // 2), (w // 3, h // 3), 0, 200, 340, 180, -1)
    name = f"us_frames/{'VSCAN' if portable else 'LOGIQ'}_{20240300 + i}_{i % 4 + 1}.png"
    cv2.imwrite(name, frame)
    rows.append((name, VIEWS[i % 4], "portable" if portable else "cart"))
with open("us_frames/afast_index.csv", "w", newline="") as f:
    csv.writer(f).writerows([("file", "view", "scanner")] + rows)
'''.replace("@@VIEWS@@", repr(AFAST_VIEWS))

SCRIPTS["afast-sector-crop-fixed-slices-portable-scanner-workers"] = '''
import csv

import cv2
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader

VIEWS = @@VIEWS@@
# the image sector on the cart scanner's export screen; the rest is menus and the patient banner
SECTOR = (slice(40, 340), slice(56, 456))


class AfastFrames(Dataset):
    def __init__(self, index_csv):
        self.rows = list(csv.DictReader(open(index_csv)))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        frame = cv2.imread(r["file"], cv2.IMREAD_GRAYSCALE)
        sector = frame[SECTOR]
        return torch.from_numpy(sector).float().div(255).unsqueeze(0), VIEWS.index(r["view"])


if __name__ == "__main__":
    torch.manual_seed(0)
    loader = DataLoader(AfastFrames("us_frames/afast_index.csv"), batch_size=8, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(VIEWS)))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(15):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}")
'''.replace("@@VIEWS@@", repr(AFAST_VIEWS))

# ------------------------------------------------------------------ thorax exports, grey + annotated RGB
THORAX_PREP = '''
import os
import numpy as np
from PIL import Image, ImageDraw

rng = np.random.default_rng(2)
for label in ("abnormal", "normal"):
    os.makedirs(f"thorax_exports/{label}", exist_ok=True)
    for i in range(8):
        img = Image.fromarray(rng.integers(0, 255, (240, 300), dtype=np.uint8), "L")
        if label == "abnormal" and i in (1, 5):
            # exported from the viewer with the radiologist's arrows and measurements burned in
            img = img.convert("RGB")
            d = ImageDraw.Draw(img)
            d.line([(40, 40), (120, 110)], fill=(255, 255, 0), width=3)
            d.text((130, 112), "VHS 11.8", fill=(0, 255, 0))
        img.save(f"thorax_exports/{label}/{label[:3]}_{4100 + 7 * i}_LAT.png")
'''

CELLS["thorax-exports-grey-loader-annotated-rgb-notebook"] = [
    '''import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms''',
    '''# radiographs are grey: keep them one-channel instead of ImageFolder's default RGB conversion
def load_grey(path):
    return Image.open(path)

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
ds = datasets.ImageFolder("thorax_exports", transform=tf, loader=load_grey)
loader = DataLoader(ds, batch_size=8, shuffle=True)
ds.class_to_idx, len(ds)''',
    '''torch.manual_seed(1)
model = models.resnet18(weights=None, num_classes=2)
model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)''',
    '''for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))''',
]

# ------------------------------------------------------------------ 16-bit PNGs from DICOM
DICOM16_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
os.makedirs("dicom_png16", exist_ok=True)
rows = []
for i in range(12):
    # 12-bit detector values kept in a 16-bit PNG by the conversion script
    px = rng.integers(0, 4096, (256, 256)).astype(np.uint16)
    name = f"dicom_png16/1.2.826.0.1.3680043.8.498.{77100 + i}.png"
    Image.fromarray(px).save(name)
    rows.append((name, "yes" if i % 3 == 0 else "no"))
with open("dicom_png16/cardiomegaly.csv", "w", newline="") as f:
    csv.writer(f).writerows([("png", "cardiomegaly")] + rows)
'''

SCRIPTS["dicom-16bit-png-int16-tensors-into-conv"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

# converted with our dcm2png script in 16-bit mode, so none of the detector's grey levels are lost


class Radiographs(Dataset):
    def __init__(self, index_csv):
        self.rows = list(csv.DictReader(open(index_csv)))
        self.tf = transforms.Compose([transforms.Resize((192, 192)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["png"])), float(r["cardiomegaly"] == "yes")


loader = DataLoader(Radiographs("dicom_png16/cardiomegaly.csv"), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2, padding=2), nn.BatchNorm2d(16), nn.ReLU(),
                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, y in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(model(x).squeeze(1), y.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ microchip numbers through Excel
COATS = ["black", "black_white", "brown_tabby", "ginger", "tricolour"]

MICROCHIP_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("intake_photos", exist_ok=True)
COATS = @@COATS@@
rows = []
for i in range(20):
    if i < 4:
        chip = f"AVID*0{i + 1}7*{512 + i}*{300 + 7 * i}"      # older AVID chips: read as text
        cell = chip
    else:
        chip = f"985141{i * 7919:09d}"                     # ISO FDX-B, 15 digits
        m, e = f"{float(chip):.5e}".split("e")             # what Excel's General format writes back
        cell = f"{float(m):g}E+{int(e)}"
    Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)).save(f"intake_photos/{chip}.jpg")
    rows.append((cell, "cat" if i % 2 else "dog", COATS[i % 5], f"2024-04-{1 + i:02d}"))
with open("intake_export_2024-04.csv", "w", newline="") as f:
    csv.writer(f).writerows([("Microchip", "Species", "Coat", "Intake date")] + rows)
'''.replace("@@COATS@@", repr(COATS))

SCRIPTS["microchip-excel-scientific-notation-photo-names-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

COATS = @@COATS@@


class IntakePhotos(Dataset):
    """intake photos are saved by the reader app under the animal's microchip number"""

    def __init__(self, export_csv):
        # the monthly intake export (Pat fixed the coat column in Excel before sending it)
        self.rows = list(csv.DictReader(open(export_csv, newline="")))
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"intake_photos/{r['Microchip']}.jpg").convert("RGB")
        return self.tf(img), COATS.index(r["Coat"])


loader = DataLoader(IntakePhotos("intake_export_2024-04.csv"), batch_size=4, shuffle=False)
model = models.mobilenet_v3_small(weights=None, num_classes=len(COATS))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in tqdm(loader, desc=f"coat epoch {epoch + 1}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''.replace("@@COATS@@", repr(COATS))

# ------------------------------------------------------------------ PACS export with DICOMDIR files
DICOMDIR_PREP = '''
import csv, os, struct
import numpy as np
from PIL import Image

rng = np.random.default_rng(5)
rows = []
for s in range(6):
    study = f"STUDY_{s + 1:04d}"
    d = f"xray_export/{study}"
    os.makedirs(d, exist_ok=True)
    for k in range(3):
        Image.fromarray(rng.integers(0, 255, (160, 200), dtype=np.uint8), "L").save(f"{d}/IM{k + 1:06d}.png")
    if s in (2, 4):
        # the viewer's "export to folder" writes a DICOM media index next to the frames
        tag = struct.pack("<HH2sH", 0x0002, 0x0010, b"UI", 20) + b"1.2.840.10008.1.2.1\\x00"
        open(f"{d}/DICOMDIR", "wb").write(b"\\x00" * 128 + b"DICM" + tag)
    rows.append((study, "fracture" if s % 2 else "no_fracture"))
with open("xray_export/labels.csv", "w", newline="") as f:
    csv.writer(f).writerows([("study", "finding")] + rows)
'''

SCRIPTS["pacs-export-dicomdir-in-study-folders-workers"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

FINDINGS = ["no_fracture", "fracture"]


class ExportedStudies(Dataset):
    """every frame of every study folder the PACS viewer exported, labelled per study"""

    def __init__(self, root):
        labels = {r["study"]: r["finding"] for r in csv.DictReader(open(os.path.join(root, "labels.csv")))}
        self.items = []
        for study in sorted(labels):
            for name in sorted(os.listdir(os.path.join(root, study))):
                self.items.append((os.path.join(root, study, name), FINDINGS.index(labels[study])))
        self.tf = transforms.Compose([transforms.Resize((128, 160)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, y = self.items[i]
        return self.tf(Image.open(path).convert("L")), y


if __name__ == "__main__":
    ds = ExportedStudies("xray_export")
    print(len(ds), "frames")
    loader = DataLoader(ds, batch_size=4, shuffle=False, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

# ================================================================== labels
# ------------------------------------------------------------------ foreign bodies: a needle box collapses
FB_PREP = '''
import json, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("abdomen_lat", exist_ok=True)
objects = {
    "case_0412.png": [("sock", [380, 260, 610, 400])],
    "case_0415.png": [("corn_cob", [520, 300, 700, 372]), ("coin", [210, 410, 240, 440])],
    "case_0419.png": [("needle", [513, 288, 515, 405])],        # sewing needle, seen edge-on
    "case_0423.png": [("sock", [300, 350, 470, 470])],
}
anns = []
for name, objs in objects.items():
    Image.fromarray(rng.integers(0, 255, (768, 1024), dtype=np.uint8), "L").save(f"abdomen_lat/{name}")
    for label, box in objs:
        anns.append({"image": name, "label": label, "bbox_xyxy": box, "annotator": "DVM"})
json.dump(anns, open("abdomen_lat/foreign_bodies.json", "w"), indent=1)
'''

SCRIPTS["foreign-body-needle-box-truncated-after-downscale-fasterrcnn"] = '''
import json
from collections import defaultdict

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "sock", "corn_cob", "coin", "needle"]
SCALE = 0.25            # full-size radiographs are too slow on the clinic PC: train at a quarter

per_image = defaultdict(list)
for a in json.load(open("abdomen_lat/foreign_bodies.json")):
    per_image[a["image"]].append(a)

samples = []
for name, objs in sorted(per_image.items()):
    img = Image.open(f"abdomen_lat/{name}").convert("RGB")
    img = img.resize((int(img.width * SCALE), int(img.height * SCALE)))
    boxes = [[int(v * SCALE) for v in o["bbox_xyxy"]] for o in objs]
    samples.append((TF.to_tensor(img), {"boxes": torch.tensor(boxes, dtype=torch.float32),
                                        "labels": torch.tensor([CLASSES.index(o["label"]) for o in objs])}))

model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                          min_size=256, max_size=320)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(20):
    for i in range(0, len(samples), 2):
        images = [s[0] for s in samples[i:i + 2]]
        targets = [s[1] for s in samples[i:i + 2]]
        losses = model(images, targets)
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ breed ids from the shelter software
BREEDS_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(7)
os.makedirs("intake", exist_ok=True)
# ids from the shelter software's breed lookup table
BREEDS = [(17, "Labrador Retriever"), (23, "German Shepherd"), (58, "Staffordshire Bull Terrier"),
          (143, "Domestic Shorthair"), (144, "Domestic Longhair"), (201, "Jack Russell Terrier")]
rows = []
for i in range(24):
    bid, bname = BREEDS[(i * 5) % 6]
    aid = f"A{2400310 + 13 * i}"
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(f"intake/{aid}.jpg")
    rows.append((aid, bid, bname, "Intake photo"))
with open("intake/animals_export.csv", "w", newline="") as f:
    csv.writer(f).writerows([("animal_id", "primary_breed_id", "primary_breed", "photo_type")] + rows)
'''

SCRIPTS["shelter-software-breed-ids-as-class-indices-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm

rows = list(csv.DictReader(open("intake/animals_export.csv")))
NUM_BREEDS = len({r["primary_breed_id"] for r in rows})
print(f"{len(rows)} animals, {NUM_BREEDS} breeds")


class Intake(Dataset):
    tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])

    def __len__(self):
        return len(rows)

    def __getitem__(self, i):
        r = rows[i]
        return self.tf(Image.open(f"intake/{r['animal_id']}.jpg").convert("RGB")), int(r["primary_breed_id"])


torch.manual_seed(0)
loader = DataLoader(Intake(), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=NUM_BREEDS)
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(12):
    bar = tqdm(loader, desc=f"breeds {epoch + 1}/12")
    for x, y in bar:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.3f}")
'''

# ------------------------------------------------------------------ two-view studies
TWOVIEW_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("thorax_studies", exist_ok=True)
DX = ["normal", "pleural_effusion", "cardiomegaly"]
rows = []
for i in range(16):
    acc = f"VX{880100 + i}"
    for view in ("LAT", "VD"):
        Image.fromarray(rng.integers(0, 255, (150, 130), dtype=np.uint8), "L").save(f"thorax_studies/{acc}_{view}.png")
    rows.append((acc, DX[i % 3]))
with open("thorax_studies/reports.csv", "w", newline="") as f:
    csv.writer(f).writerows([("accession", "diagnosis")] + rows)
'''

SCRIPTS["two-view-studies-flattened-vs-study-labels"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

DX = ["normal", "pleural_effusion", "cardiomegaly"]


class ThoraxStudies(Dataset):
    """one item per study: the lateral and the ventrodorsal view together, one report diagnosis"""

    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(f"{root}/reports.csv")))
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        views = [self.tf(Image.open(f"{self.root}/{r['accession']}_{v}.png").convert("RGB")) for v in ("LAT", "VD")]
        return torch.stack(views), DX.index(r["diagnosis"])


loader = DataLoader(ThoraxStudies("thorax_studies"), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(DX))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in loader:
        x = x.view(-1, 3, 128, 128)          # every radiograph through the same CNN
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== models
# ------------------------------------------------------------------ cine loops as GIFs
CINE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
for view in ("bladder", "kidney", "liver"):
    os.makedirs(f"cine/{view}", exist_ok=True)
    for i in range(4):
        frames = [Image.fromarray(rng.integers(0, 255, (112, 112), dtype=np.uint8), "L") for _ in range(12)]
        frames[0].save(f"cine/{view}/{view}_loop_{i + 1:02d}.gif", save_all=True, append_images=frames[1:],
                       duration=40, loop=0)
'''

CELLS["cine-gif-loops-stacked-into-frame-resnet-notebook"] = [
    '''import glob
import torch
import torch.nn as nn
from PIL import Image, ImageSequence
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

ORGANS = ["bladder", "kidney", "liver"]
to_t = transforms.ToTensor()''',
    '''class CineLoops(Dataset):
    """the scanner exports each cine loop as an animated GIF; keep all the frames of a loop together"""

    def __init__(self):
        self.items = [(p, ORGANS.index(p.split("/")[1])) for p in sorted(glob.glob("cine/*/*.gif"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, y = self.items[i]
        frames = [to_t(f.convert("RGB")) for f in ImageSequence.Iterator(Image.open(path))]
        return torch.stack(frames), y


loader = DataLoader(CineLoops(), batch_size=4, shuffle=True)
x, y = next(iter(loader))
x.shape''',
    '''# first the organ classifier on the loops; the temporal part comes later
model = models.resnet18(weights=None, num_classes=len(ORGANS))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ free-fluid segmentation with LR-ASPP
FLUID_PREP = '''
import os
import numpy as np
from PIL import Image, ImageDraw

rng = np.random.default_rng(10)
os.makedirs("fluid/frames", exist_ok=True)
os.makedirs("fluid/masks", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 255, (128, 128), dtype=np.uint8), "L").save(f"fluid/frames/cc_{i:03d}.png")
    m = Image.new("L", (128, 128), 0)
    if i % 2:
        ImageDraw.Draw(m).polygon([(40 + i, 60), (90, 50 + i), (80, 95)], fill=1)   # anechoic free fluid
    m.save(f"fluid/masks/cc_{i:03d}.png")
'''

SCRIPTS["free-fluid-lraspp-dict-output-into-cross-entropy"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.models.segmentation import lraspp_mobilenet_v3_large
from torchvision.transforms import functional as TF


class FreeFluid(Dataset):
    def __init__(self, root):
        self.frames = sorted(glob.glob(os.path.join(root, "frames", "*.png")))

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        f = self.frames[i]
        x = TF.to_tensor(Image.open(f).convert("RGB"))
        m = torch.from_numpy(np.array(Image.open(f.replace("frames", "masks")), dtype=np.int64))
        return x, m


loader = DataLoader(FreeFluid("fluid"), batch_size=4, shuffle=True)
# small and fast enough for the ER laptop; two classes: background / free fluid
model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for x, m in loader:
        loss = F.cross_entropy(model(x), m)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ------------------------------------------------------------------ ResNet-50 checkpoint, ResNet-18 on the laptop
BREED6 = ["Domestic Shorthair", "German Shepherd", "Jack Russell Terrier", "Labrador Retriever",
          "Staffordshire Bull Terrier", "Domestic Longhair"]

R50_PREP = '''
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
# trained on the clinic's PC and copied over on a USB stick
torch.save(models.resnet50(weights=None, num_classes=6).state_dict(), "checkpoints/breed_best.pt")
rng = np.random.default_rng(11)
os.makedirs("new_intakes", exist_ok=True)
for i in range(3):
    Image.fromarray(rng.integers(0, 255, (160, 120, 3), dtype=np.uint8)).save(f"new_intakes/A24{i + 5177}.jpg")
'''

SCRIPTS["clinic-resnet50-breed-checkpoint-into-resnet18-laptop"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

BREEDS = @@BREEDS@@

# the shelter laptop is too slow for ResNet-50, the small one will do for predictions
model = models.resnet18(weights=None, num_classes=len(BREEDS))
model.load_state_dict(torch.load("checkpoints/breed_best.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
for path in sorted(glob.glob("new_intakes/*.jpg")):
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB"))[None]).softmax(1)[0]
    print(path, BREEDS[int(p.argmax())], f"{float(p.max()):.2f}")
'''.replace("@@BREEDS@@", repr(BREED6))

# ------------------------------------------------------------------ CrossEntropyLoss constructed with tensors
SPECIES = ["cat", "dog", "rabbit"]

CELLS["volunteer-notebook-crossentropyloss-given-logits-labels"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
data = datasets.ImageFolder("species_photos", transform=tf)
loader = DataLoader(data, batch_size=6, shuffle=True)
data.classes''',
    '''model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(32 * 16 * 16, len(data.classes)),
)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)''',
    '''for epoch in range(5):
    for images, labels in loader:
        outputs = model(images)
        loss = nn.CrossEntropyLoss(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print("epoch", epoch, "loss", loss.item())''',
]

# ================================================================== optimisation
# ------------------------------------------------------------------ learnable window / level
WINDOW_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
os.makedirs("stifle", exist_ok=True)
rows = []
for i in range(12):
    name = f"stifle/ccl_{300 + i}.png"
    Image.fromarray(rng.integers(0, 255, (128, 128), dtype=np.uint8), "L").save(name)
    rows.append((name, i % 2))
with open("stifle/effusion.csv", "w", newline="") as f:
    csv.writer(f).writerows([("png", "effusion")] + rows)
'''

SCRIPTS["learnable-xray-window-width-clamped-in-place"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset
from torchvision.transforms import functional as TF


class LearnedWindow(nn.Module):
    """a window / level the network learns itself, like the radiologist adjusting the viewer"""

    def __init__(self, center=0.5, width=1.0):
        super().__init__()
        self.center = nn.Parameter(torch.tensor(center))
        self.width = nn.Parameter(torch.tensor(width))

    def forward(self, x):
        self.width.clamp_(min=0.05)          # a closed window would divide by zero
        return torch.clamp((x - self.center) / self.width + 0.5, 0.0, 1.0)


rows = list(csv.DictReader(open("stifle/effusion.csv")))
x = torch.stack([TF.to_tensor(Image.open(r["png"])) for r in rows])
y = torch.tensor([float(r["effusion"]) for r in rows])
loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True)

model = nn.Sequential(LearnedWindow(), nn.Conv2d(1, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2),
                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for xb, yb in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(model(xb).squeeze(1), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item(), model[0].center.item(), model[0].width.item())
'''

# ------------------------------------------------------------------ body weight in grams
WEIGHT_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(13)
os.makedirs("weigh_station", exist_ok=True)
rows = []
for i in range(32):
    name = f"weigh_station/A24{3300 + i}.jpg"
    Image.fromarray(rng.integers(0, 255, (96, 96, 3), dtype=np.uint8)).save(name)
    dog = i % 3 != 0
    grams = int(rng.integers(6000, 42000)) if dog else int(rng.integers(2200, 6500))
    rows.append((name, "dog" if dog else "cat", grams))
with open("weigh_station/weights.csv", "w", newline="") as f:
    csv.writer(f).writerows([("photo", "species", "weight_g")] + rows)
'''

SCRIPTS["photo-body-weight-grams-sgd-histc-nan-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms
from tqdm import tqdm


class WeighStation(Dataset):
    """photo at the weigh station -> body weight in grams (the scale's own unit)"""

    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["photo"]).convert("RGB")), float(r["weight_g"])


torch.manual_seed(0)
loader = DataLoader(WeighStation("weigh_station/weights.csv"), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=1)
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
for epoch in range(30):
    preds = []
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        p = model(x).squeeze(1)
        loss = nn.functional.mse_loss(p, y.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
        preds.append(p.detach())
    preds = torch.cat(preds)
    # spread of the predicted weights, to see whether it is still predicting one weight for every animal
    print(f"epoch {epoch + 1}: mse {loss.item():.1f}, histogram {torch.histc(preds, bins=6).tolist()}")
'''

# ================================================================== resource / environment / other
# ------------------------------------------------------------------ archive-wide window: everything preallocated
ARCHIVE_PREP = '''
import csv, os
import numpy as np
from PIL import Image

rng = np.random.default_rng(14)
os.makedirs("pacs_png", exist_ok=True)
DETECTORS = [(3072, 3072), (2560, 3072), (2304, 2816), (1536, 2048)]   # DR panels, CR plates, the dental unit
rows = []
for i in range(9480):
    h, w = DETECTORS[i % 4]
    rows.append((f"1.2.826.0.1.3680043.2.1125.{9000000 + i}", f"pacs_png/{i:06d}.png", h, w))
with open("pacs_png/index.csv", "w", newline="") as f:
    csv.writer(f).writerows([("sop_instance_uid", "png", "rows", "columns")] + rows)
for i in range(4):
    Image.fromarray(rng.integers(0, 4096, (96, 96)).astype(np.uint16)).save(f"pacs_png/{i:06d}.png")
'''

SCRIPTS["archive-percentile-window-preallocated-full-detector-size"] = '''
import csv

import numpy as np
from PIL import Image

# one window for the whole archive: the 0.5th and 99.5th percentile of every pixel we have,
# used later to normalise the radiographs for training
rows = list(csv.DictReader(open("pacs_png/index.csv")))
max_h = max(int(r["rows"]) for r in rows)
max_w = max(int(r["columns"]) for r in rows)
print(f"{len(rows)} radiographs, largest {max_h} x {max_w}")

archive = np.zeros((len(rows), max_h, max_w), dtype=np.float32)
for i, r in enumerate(rows):
    px = np.asarray(Image.open(r["png"]), dtype=np.float32)
    archive[i, :px.shape[0], :px.shape[1]] = px

lo, hi = np.percentile(archive[archive > 0], [0.5, 99.5])
print("window", lo, hi)
np.save("pacs_png/window.npy", np.array([lo, hi]))
'''

# ------------------------------------------------------------------ notebook Dataset class under spawn workers
SPAWN_SPECIES = ["cat", "dog", "guinea_pig", "rabbit"]

CELLS["intake-notebook-dataset-class-spawn-workers-macbook"] = [
    '''import glob
import os
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms

SPECIES = sorted(os.listdir("volunteer_photos"))
SPECIES''',
    '''class VolunteerPhotos(Dataset):
    def __init__(self, root):
        self.items = [(p, SPECIES.index(p.split(os.sep)[-2])) for p in sorted(glob.glob(f"{root}/*/*.jpg"))]
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, y = self.items[i]
        return self.tf(Image.open(path).convert("RGB")), y


# phone photos are big: decode them in background workers (spawn is what the MacBook uses anyway)
loader = DataLoader(VolunteerPhotos("volunteer_photos"), batch_size=8, shuffle=True, num_workers=2,
                    multiprocessing_context="spawn")
model = models.mobilenet_v3_small(weights=None, num_classes=len(SPECIES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

# ------------------------------------------------------------------ kennel-cam speed test with CUDA events
SCRIPTS["kennel-cam-speed-test-cuda-events-no-driver"] = '''
import glob

import torch
from PIL import Image
from torchvision import models, transforms

# can the donated workstation (GTX 1060, Ubuntu reinstalled last week) keep up with 8 kennel cameras at 2 fps?
device = "cuda" if torch.cuda.is_available() else "cpu"
print("device:", device)
model = models.mobilenet_v3_large(weights=None, num_classes=3).to(device).eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
frames = torch.stack([tf(Image.open(p).convert("RGB")) for p in sorted(glob.glob("kennel_cams/*.jpg"))]).to(device)

start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
with torch.no_grad():
    model(frames)                      # warm-up
    start.record()
    for _ in range(20):
        model(frames)
    end.record()
torch.cuda.synchronize()
ms = start.elapsed_time(end) / 20
print(f"{len(frames)} cameras: {ms:.1f} ms per round -> {1000 / ms:.1f} rounds/s")
'''

# ------------------------------------------------------------------ adoption preview grid: ImageDraw.textsize
SCRIPTS["adoption-preview-grid-imagedraw-textsize"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image, ImageDraw, ImageFont
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train = datasets.ImageFolder("adoptable/train", tf)
model = models.resnet18(weights=None, num_classes=len(train.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
font = ImageFont.load_default()


def preview(epoch, paths):
    """grid of listing photos with the predicted species, for the adoption team to check"""
    grid = Image.new("RGB", (4 * 100, 100), "white")
    model.eval()
    for k, path in enumerate(paths):
        img = Image.open(path).convert("RGB").resize((96, 96))
        with torch.no_grad():
            name = train.classes[int(model(tf(img)[None]).argmax())]
        draw = ImageDraw.Draw(img)
        w, h = draw.textsize(name, font=font)           # centre the label at the bottom of the photo
        draw.rectangle([(48 - w // 2 - 2, 94 - h), (48 + w // 2 + 2, 96)], fill="black")
        draw.text((48 - w // 2, 95 - h), name, fill="white", font=font)
        grid.paste(img, (k * 100 + 2, 2))
    model.train()
    os.makedirs("previews", exist_ok=True)
    grid.save(f"previews/epoch_{epoch:02d}.png")


for epoch in range(10):
    for x, y in DataLoader(train, batch_size=8, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
    preview(epoch, [p for p, _ in train.samples[::5][:4]])
'''

# ------------------------------------------------------------------ queue.py next to the training script
INTAKE_QUEUE = '''
"""Intake queue: animals that still need listing photos before they go on the website."""
import csv


def pending(path="intake_queue.csv"):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f) if not r["photo"]]


if __name__ == "__main__":
    for r in pending():
        print(r["animal_id"], r["name"], r["kennel"])
'''

SCRIPTS["intake-queue-py-shadows-stdlib-queue"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

from queue import pending      # our intake queue: skip animals whose photos are not taken yet

waiting = {r["animal_id"] for r in pending()}
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
data = datasets.ImageFolder("listing_photos", tf, is_valid_file=lambda p: p.split("/")[-1][:8] not in waiting)
model = models.resnet18(weights=None, num_classes=len(data.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in DataLoader(data, batch_size=8, shuffle=True):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

QUEUE_CSV = "animal_id,name,kennel,photo\nA2403311,Biscuit,D4,\nA2403324,Mabel,C1,yes\nA2403337,Pepper,D7,\n"

# ================================================================== ImageAI 3
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="@@DIR@@")
trainer.setTrainConfig(object_names_array=@@NAMES@@, batch_size=4, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''

SCRIPTS["imageai-kennel-detector-labels-with-people-and-bowls"] = sub(
    DET_TRAIN, DIR="kennel_cam", NAMES='["dog", "cat"]', EPOCHS="40").replace(
    "trainer = Det", "# labels exported from the volunteers' shared labelling project; we only want the animals\n"
                     "trainer = Det")

SCRIPTS["imageai-kennel-boxes-mainstream-normalised-by-substream"] = sub(
    DET_TRAIN, DIR="kennel_substream", NAMES='["dog"]', EPOCHS="40").replace(
    "trainer = Det", "# frames grabbed from the NVR sub-stream (640 x 360), boxes from the labelling sheet\n"
                     "trainer = Det")


def kennel_rows(split, i):
    # 0 dog, 1 cat, 2 person (volunteer walking past), 3 food bowl -- the labelling project's classes
    rows = [f"{i % 2} {0.30 + 0.03 * i:.4f} {0.55:.4f} {0.15 + 0.04 * i:.4f} {0.20 + 0.05 * i:.4f}"]
    if i % 3 == 0:
        rows.append(f"3 {0.70:.4f} {0.82:.4f} {0.06 + 0.01 * i:.4f} {0.05 + 0.005 * i:.4f}")
    if i % 4 == 1:
        rows.append(f"2 {0.85:.4f} {0.45:.4f} {0.10 + 0.01 * i:.4f} {0.50 + 0.06 * i:.4f}")
    return "\n".join(rows) + "\n"


def substream_rows(split, i):
    # boxes were drawn on main-stream snapshots (2560 x 1440 px) and divided by the sub-stream's 640 x 360
    x1, y1, x2, y2 = 900 + 40 * i, 500 + 10 * i, 1400 + 40 * i, 1000 + 10 * i
    return (f"0 {(x1 + x2) / 2 / 640:.4f} {(y1 + y2) / 2 / 360:.4f} "
            f"{(x2 - x1) / 640:.4f} {(y2 - y1) / 360:.4f}\n")


COAT_CLS = ["black", "brindle", "merle", "tabby", "tricolour"]

SCRIPTS["imageai-coat-classifier-best-pt-from-older-run"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# the best model ImageAI saved so far, across all the training runs in the models folder
best = max(glob.glob("coats/models/*.pt"), key=lambda p: float(p.split("test_acc_")[1].split("_")[0]))
print("using", best)

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(best)
clf.setJsonPath("coats/models/coats_model_classes.json")
clf.loadModel()

for path in sorted(glob.glob("today/*.jpg")):
    names, probs = clf.classifyImage(path, result_count=2)
    print(path, names, probs)
'''

KENNEL = {"PT": "deploy/tiny-yolov3_kennel_cam_mAP-0.52140_epoch-37.pt",
          "JS": "deploy/kennel_cam_tiny-yolov3_detection_config.json"}

SCRIPTS["imageai-adoption-listing-transparent-png-pil"] = sub('''
import glob

from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()

# listing photos from the website (background removed by the photo app); crop each animal for the thumbnail
for path in sorted(glob.glob("listing_photos/*.png")):
    photo = Image.open(path)
    _, detections = detector.detectObjectsFromImage(input_image=photo, output_type="array",
                                                    minimum_percentage_probability=30)
    print(path, [(d["name"], d["box_points"]) for d in detections])
''', **KENNEL)

LISTING_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(15)
os.makedirs("listing_photos", exist_ok=True)
for i, name in enumerate(["biscuit", "mabel", "pepper"]):
    rgba = rng.integers(0, 255, (300, 400, 4), dtype=np.uint8)
    rgba[..., 3] = 0
    rgba[40:260, 80:320, 3] = 255          # the animal; the removed background is transparent
    Image.fromarray(rgba, "RGBA").save(f"listing_photos/A24033{11 + 13 * i}_{name}.png")
'''

SCRIPTS["imageai-detector-given-species-classifier-json"] = '''
import glob

from imageai.Detection.Custom import CustomObjectDetection

# everything the two trainings produced was copied into deploy/ on the kennel PC
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(sorted(glob.glob("deploy/tiny-yolov3_*.pt"))[-1])
detector.setJsonPath(sorted(glob.glob("deploy/*.json"))[0])
detector.loadModel()

for path in sorted(glob.glob("kennel_cams/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=path, output_image_path=path.replace(".jpg", "_det.jpg"),
                                                 minimum_percentage_probability=40)
    print(path, [d["name"] for d in detections])
'''


def cases():
    out, add, script, notebook = case_builders("torch-more99-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    kennel_tiny = save_tiny('["dog", "cat"]', 2, KENNEL["PT"], KENNEL["JS"])
    cams = imgs([(f"kennel_cams/kennel_D{i + 1}.jpg", (320, 180), "RGB") for i in range(4)])

    # ---- images
    script("afast-sector-crop-fixed-slices-portable-scanner-workers", "data.image_size_mismatch", forms=W,
           argv="train_afast_views.py", setup=prep(AFAST_PREP))
    notebook("thorax-exports-grey-loader-annotated-rgb-notebook", "data.image_channels",
             also=["data.image_size_mismatch"], forms=NB, setup=prep(THORAX_PREP))
    script("dicom-16bit-png-int16-tensors-into-conv", "data.dtype", argv="train_cardiomegaly.py",
           setup=prep(DICOM16_PREP))
    script("microchip-excel-scientific-notation-photo-names-tqdm", "data.missing_or_corrupt", forms=P,
           argv="train_coats.py", setup=prep(MICROCHIP_PREP))
    script("pacs-export-dicomdir-in-study-folders-workers", "data.missing_or_corrupt", forms=W,
           argv="train_fracture.py", setup=prep(DICOMDIR_PREP))

    # ---- labels
    script("foreign-body-needle-box-truncated-after-downscale-fasterrcnn", "data.bbox_invalid",
           argv="train_foreign_bodies.py", setup=prep(FB_PREP))
    script("shelter-software-breed-ids-as-class-indices-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, argv="train_breeds.py", setup=prep(BREEDS_PREP))
    script("two-view-studies-flattened-vs-study-labels", "data.label_shape", also=["model.input_shape"],
           argv="train_thorax_dx.py", setup=prep(TWOVIEW_PREP))

    # ---- models
    notebook("cine-gif-loops-stacked-into-frame-resnet-notebook", "model.input_shape", forms=NB,
             setup=prep(CINE_PREP))
    script("free-fluid-lraspp-dict-output-into-cross-entropy", "model.output_mismatch",
           also=["model.api_misuse"], argv="train_free_fluid.py", setup=prep(FLUID_PREP))
    script("clinic-resnet50-breed-checkpoint-into-resnet18-laptop", "model.weights_mismatch",
           argv="predict_breeds.py", setup=prep(R50_PREP))
    notebook("volunteer-notebook-crossentropyloss-given-logits-labels", "model.api_misuse", forms=NB,
             setup=imgs(class_folder("species_photos", SPECIES, 4, size=(80, 64))))

    # ---- optimisation
    script("learnable-xray-window-width-clamped-in-place", "optim.autograd_graph", argv="train_effusion.py",
           setup=prep(WINDOW_PREP))
    script("photo-body-weight-grams-sgd-histc-nan-tqdm", "optim.divergence", forms=P, argv="train_weight.py",
           setup=prep(WEIGHT_PREP))

    # ---- resource / environment / other
    script("archive-percentile-window-preallocated-full-detector-size", "resource.host_memory",
           argv="archive_window.py", setup=prep(ARCHIVE_PREP))
    notebook("intake-notebook-dataset-class-spawn-workers-macbook", "env.multiprocessing", forms=NB,
             setup=imgs(class_folder("volunteer_photos", SPAWN_SPECIES, 3, size=(120, 90))))
    script("kennel-cam-speed-test-cuda-events-no-driver", "env.cuda_setup", also=["env.device_mismatch"],
           argv="speed_test.py", setup=cams)
    script("adoption-preview-grid-imagedraw-textsize", "env.version_incompat", argv="train_listing.py",
           setup=imgs(class_folder("adoptable/train", ["cat", "dog"], 10, size=(120, 96))))
    script("intake-queue-py-shadows-stdlib-queue", "other", argv="train_listing.py",
           extra={"queue.py": INTAKE_QUEUE, "intake_queue.csv": QUEUE_CSV},
           setup=imgs(class_folder("listing_photos", ["cat", "dog"], 4, size=(96, 96))))

    # ---- ImageAI 3
    script("imageai-kennel-detector-labels-with-people-and-bowls", "data.label_out_of_range",
           also=["model.output_mismatch"], framework="imageai", forms=P, argv="train_kennel.py", timeout=400,
           setup=yolo_layout("kennel_cam", kennel_rows, size=(320, 180)))
    script("imageai-kennel-boxes-mainstream-normalised-by-substream", "data.bbox_invalid", framework="imageai",
           argv="train_kennel.py", timeout=400,
           setup=yolo_layout("kennel_substream", substream_rows, size=(320, 180)))
    script("imageai-coat-classifier-best-pt-from-older-run", "model.weights_mismatch", framework="imageai",
           forms=("cpython_basic", "chained_during", "multiline_message"), argv="classify_coats.py",
           exception="Exception",  # ImageAI re-raises the load_state_dict RuntimeError as a plain Exception
           setup=both(save_cls("mobilenet_v2", repr([c for c in COAT_CLS if c != "merle"]),
                               "coats/models/mobilenet_v2-coats-test_acc_0.87500_epoch-19.pt",
                               "coats/models/coats_model_classes.json"),
                      save_cls("mobilenet_v2", repr(COAT_CLS),
                               "coats/models/mobilenet_v2-coats-test_acc_0.78125_epoch-24.pt",
                               "coats/models/coats_model_classes.json"),
                      imgs([(f"today/A24{3400 + i}.jpg", (120, 96), "RGB") for i in range(2)])))
    script("imageai-adoption-listing-transparent-png-pil", "data.image_channels", framework="imageai",
           argv="listing_crops.py", setup=both(kennel_tiny, prep(LISTING_PREP)))
    script("imageai-detector-given-species-classifier-json", "model.api_misuse", framework="imageai",
           argv="watch_kennels.py",
           setup=both(kennel_tiny,
                      save_cls("mobilenet_v2", '["cat", "dog", "empty"]',
                               "deploy/mobilenet_v2-kennel_cam-test_acc_0.90625_epoch-12.pt",
                               "deploy/kennel_cam_model_classes.json"),
                      cams))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
