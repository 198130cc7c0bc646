"""A fifty-second held-out set (g103, scored 0.86 top-1 and 1.00 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: engineers in industry and science who apply PyTorch / torchvision to their own imaging data:
medical scans (16-bit DICOM exports, NIfTI-like numpy volumes, CT series), satellite and drone tiles
(multispectral stacks with 4 to 13 bands, GeoTIFF-like tiles with their GDAL side-cars, per-band exports at
different ground resolutions), microscopy (16-bit TIFFs, tiny nuclei, log-scaled intensities, stitched
super-resolution tiles), factory inspection (MVTec-style anomaly folders, Severstal-style run-length defect
masks, very imbalanced masks) and document scans, plus an astronomy FITS reader. A natural mix of causes, each
program built so that its cause is known by construction:

- data: a five-band MicaSense stack through the RGB project's ``ColorJitter`` (in workers), document scans saved
  partly grey and partly colour by the scanner (in workers), CT series with different slice counts batched for a
  3-D net (tqdm), BigEarthNet-style per-band exports at 10 m / 20 m / 60 m stacked with ``np.stack``, MVTec
  ``good`` test images that have no ground-truth mask (in workers), GDAL ``.tif.aux.xml`` side-cars picked up by
  ``os.listdir`` and read with ``cv2.imread`` (tqdm), Severstal class ids 1..4 into a four-channel head (tqdm),
  NIfTI-like label volumes loaded with the image helper's channel axis (notebook), 16-bit microscope TIFFs into
  ``Normalize`` as ``uint16`` tensors (in workers), big-endian FITS pixels into ``torch.from_numpy``, nuclei
  boxes from ``ndimage.find_objects`` written inclusive so that one-pixel specks get zero width (Faster R-CNN);
- model: EuroSAT-MS tiles exported height x width x 13 into a 13-band stem, an ImageNet ResNet-18 checkpoint
  loaded into ``r3d_18`` for CT volumes, an nnU-Net-style deep-supervision list of outputs into
  ``CrossEntropyLoss``, CT volumes resampled with ``mode="bilinear"`` (in workers);
- optimisation: microscopy intensities log-scaled with zero background pixels (anomaly mode), a super-resolution
  stitching canvas created with ``requires_grad=True`` and filled patch by patch;
- resource / environment / other: CT volumes resampled to isotropic spacing and cached in RAM under a job memory
  limit, a hyperspectral PCA with ``torch.eig`` (notebook), a DICOM-to-PNG export with
  ``Image.fromarray(mode="I;16")`` under Pillow 13, a lab-server training script on a workstation without an
  NVIDIA driver (AMP warnings first), a per-image defect IoU dividing by zero on a good part (tqdm).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more52.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more52.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["micasense-five-band-stack-rgb-colorjitter-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

BANDS = ["blue", "green", "red", "red_edge", "nir"]   # MicaSense RedEdge-MX, stacked by our QGIS script


class PlotTiles(Dataset):
    def __init__(self, root, transform=None):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.npy"))]
        self.transform = transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        x = torch.from_numpy(np.load(path))          # (bands, H, W) reflectance 0..1
        if self.transform is not None:
            x = self.transform(x)
        return x, label


# same augmentation as our RGB crop-health model
train_tf = T.Compose([
    T.RandomHorizontalFlip(),
    T.RandomVerticalFlip(),
    T.ColorJitter(brightness=0.2, contrast=0.2),
])


def main():
    ds = PlotTiles("plots/train", train_tf)
    print(f"{len(ds)} plot tiles, classes {ds.classes}")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    model.conv1 = nn.Conv2d(len(BANDS), 64, kernel_size=7, stride=2, padding=3, bias=False)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

MICASENSE_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(11)
for cls in ["healthy", "nitrogen_stress", "water_stress"]:
    os.makedirs(f"plots/train/{cls}", exist_ok=True)
    for i in range(6):
        np.save(f"plots/train/{cls}/plot_{i:03d}.npy", rng.random((5, 96, 96), dtype=np.float32))
'''

SCRIPTS["document-scans-grey-and-colour-pages-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

DOC_TYPES = ["invoice", "delivery_note", "letter"]


class ScannedDocs(Dataset):
    """the scanner writes one PNG per page into scans/<document type>/"""

    def __init__(self, root, tf):
        self.items = [(p, DOC_TYPES.index(t)) for t in DOC_TYPES for p in sorted(glob.glob(f"{root}/{t}/*.png"))]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        page = Image.open(path)                 # scans are grey, no need to convert
        return self.tf(page), label


tf = T.Compose([T.Resize((256, 192)), T.ToTensor(), T.Normalize([0.5], [0.5])])


class PageNet(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 5, stride=2, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Linear(64, n)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    ds = ScannedDocs("scans", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = PageNet(len(DOC_TYPES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for pages, labels in loader:
            loss = nn.functional.cross_entropy(model(pages), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, round(loss.item(), 4))
'''

SCANS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(2)
for t in ["invoice", "delivery_note", "letter"]:
    os.makedirs(f"scans/{t}", exist_ok=True)
    for i in range(5):
        h, w = 330, 255                       # A4 at 30 dpi for the example
        page = np.full((h, w), 235, np.uint8)
        page[rng.integers(0, h, 400), rng.integers(0, w, 400)] = 20
        img = Image.fromarray(page, "L")
        if i % 3 == 1:                        # letterheads were scanned in colour mode
            img = img.convert("RGB")
        img.save(f"scans/{t}/{t}_{i:04d}.png")
'''

SCRIPTS["ct-series-different-slice-counts-3d-batch-tqdm"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm


class ChestCT(Dataset):
    def __init__(self, csv_path):
        with open(csv_path) as f:
            self.rows = [(r["series"], int(r["nodule"])) for r in csv.DictReader(f)]

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        series, label = self.rows[i]
        hu = np.load(f"ct/{series}.npy").astype(np.float32)       # (slices, 64, 64) in Hounsfield units
        hu = np.clip(hu, -1000, 400)
        vol = (hu + 1000) / 1400
        return torch.from_numpy(vol)[None], label                   # (1, D, H, W)


model = nn.Sequential(
    nn.Conv3d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool3d(2),
    nn.Conv3d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1),
    nn.Flatten(), nn.Linear(16, 2),
)
loader = DataLoader(ChestCT("series.csv"), batch_size=2, shuffle=False)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(20):
    for vol, label in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(vol), label)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

CT_PREP = '''
import csv
import os
import numpy as np

rng = np.random.default_rng(4)
os.makedirs("ct", exist_ok=True)
rows = []
for i, n_slices in enumerate([48, 41, 48, 60, 36, 48]):     # the scanners' protocols differ
    series = f"LIDC-{i:04d}"
    np.save(f"ct/{series}.npy", rng.integers(-1024, 1500, (n_slices, 64, 64)).astype(np.int16))
    rows.append({"series": series, "nodule": i % 2})
with open("series.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["series", "nodule"])
    w.writeheader()
    w.writerows(rows)
'''

SCRIPTS["bigearthnet-bands-at-10-20-60m-np-stack"] = '''
import glob
import json
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models

BANDS = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"]
LABELS = json.load(open("label_indices.json"))


class BigEarthPatches(Dataset):
    def __init__(self, root):
        self.patches = sorted(glob.glob(os.path.join(root, "S2*")))

    def __len__(self):
        return len(self.patches)

    def __getitem__(self, i):
        d = self.patches[i]
        name = os.path.basename(d)
        x = np.stack([np.load(os.path.join(d, f"{name}_{b}.npy")) for b in BANDS]).astype(np.float32) / 10000
        meta = json.load(open(os.path.join(d, f"{name}_labels_metadata.json")))
        y = torch.zeros(len(LABELS))
        for lab in meta["labels"]:
            y[LABELS[lab]] = 1
        return torch.from_numpy(x), y


ds = BigEarthPatches("BigEarthNet-pilot")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet50(weights=None, num_classes=len(LABELS))
model.conv1 = nn.Conv2d(len(BANDS), 64, 7, 2, 3, bias=False)
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

BIGEARTH_PREP = '''
import json
import os
import numpy as np

rng = np.random.default_rng(8)
labels = ["Arable land", "Coniferous forest", "Pastures", "Inland waters", "Urban fabric"]
json.dump({l: i for i, l in enumerate(labels)}, open("label_indices.json", "w"), indent=1)
size = {"B02": 120, "B03": 120, "B04": 120, "B08": 120,                     # 10 m
        "B05": 60, "B06": 60, "B07": 60, "B8A": 60, "B11": 60, "B12": 60,    # 20 m
        "B01": 20, "B09": 20}                                                # 60 m
for k in range(6):
    name = f"S2A_MSIL2A_20170613T101031_{k}_{k + 40}"
    d = os.path.join("BigEarthNet-pilot", name)
    os.makedirs(d, exist_ok=True)
    for b, s in size.items():
        np.save(os.path.join(d, f"{name}_{b}.npy"), rng.integers(0, 6000, (s, s)).astype(np.uint16))
    json.dump({"labels": [labels[k % 5], labels[(k + 2) % 5]]}, open(os.path.join(d, f"{name}_labels_metadata.json"), "w"))
'''

SCRIPTS["mvtec-good-test-images-without-ground-truth-workers"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T
from torchvision.models.segmentation import lraspp_mobilenet_v3_large

# supervised defect segmentation on the MVTec AD test split (we have no other masks)
ROOT = "mvtec_anomaly_detection/bottle"


class DefectSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/test/*/*.png"))
        self.tf = T.Compose([T.Resize((128, 128)), T.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img_path = self.images[i]
        mask_path = img_path.replace("/test/", "/ground_truth/").replace(".png", "_mask.png")
        img = self.tf(Image.open(img_path).convert("RGB"))
        mask = Image.open(mask_path).resize((128, 128), Image.NEAREST)
        return img, torch.from_numpy((np.array(mask) > 0).astype(np.int64))


if __name__ == "__main__":
    ds = DefectSeg(ROOT)
    print(len(ds), "test images with masks")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=2)
    weight = torch.tensor([1.0, 20.0])          # defects are tiny
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(30):
        for img, mask in loader:
            loss = nn.functional.cross_entropy(model(img)["out"], mask, weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

MVTEC_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
root = "mvtec_anomaly_detection/bottle"
for split, defects in [("test", ["broken_large", "contamination", "good"])]:
    for d in defects:
        os.makedirs(f"{root}/test/{d}", exist_ok=True)
        for i in range(3):
            Image.fromarray(rng.integers(0, 256, (160, 160, 3), dtype=np.uint8)).save(f"{root}/test/{d}/{i:03d}.png")
            if d != "good":           # MVTec ships masks for the defect types only
                os.makedirs(f"{root}/ground_truth/{d}", exist_ok=True)
                m = np.zeros((160, 160), np.uint8)
                m[40:60, 50:80] = 255
                Image.fromarray(m).save(f"{root}/ground_truth/{d}/{i:03d}_mask.png")
os.makedirs(f"{root}/train/good", exist_ok=True)
for i in range(3):
    Image.fromarray(rng.integers(0, 256, (160, 160, 3), dtype=np.uint8)).save(f"{root}/train/good/{i:03d}.png")
'''

SCRIPTS["qgis-aux-xml-sidecars-in-tile-folder-cv2-tqdm"] = '''
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

TILE_DIR = "ortho_2023/tiles"      # 4-band (B, G, R, NIR) uint16 GeoTIFF tiles cut with gdal_retile
MASK_DIR = "ortho_2023/masks"


class BuildingTiles(Dataset):
    def __init__(self):
        self.names = sorted(os.listdir(TILE_DIR))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = cv2.imread(os.path.join(TILE_DIR, name), cv2.IMREAD_UNCHANGED)
        img = img.astype(np.float32) / 4095.0                       # 12-bit sensor
        mask = cv2.imread(os.path.join(MASK_DIR, name.replace(".tif", ".png")), cv2.IMREAD_GRAYSCALE)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy((mask > 0).astype(np.int64))


model = nn.Sequential(
    nn.Conv2d(4, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 2, 1),
)
loader = DataLoader(BuildingTiles(), batch_size=4, shuffle=False)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for img, mask in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

AUX_XML = """<PAMDataset>
  <PAMRasterBand band="1">
    <Metadata>
      <MDI key="STATISTICS_MAXIMUM">4011</MDI>
      <MDI key="STATISTICS_MEAN">812.4</MDI>
      <MDI key="STATISTICS_MINIMUM">3</MDI>
      <MDI key="STATISTICS_STDDEV">402.9</MDI>
    </Metadata>
  </PAMRasterBand>
</PAMDataset>
"""

ORTHO_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(12)
os.makedirs("ortho_2023/tiles", exist_ok=True)
os.makedirs("ortho_2023/masks", exist_ok=True)
for r in range(2):
    for c in range(3):
        name = f"tile_r{r:02d}_c{c:02d}"
        cv2.imwrite(f"ortho_2023/tiles/{name}.tif", rng.integers(0, 4096, (128, 128, 4)).astype(np.uint16))
        m = np.zeros((128, 128), np.uint8)
        m[20:60, 30:90] = 255
        cv2.imwrite(f"ortho_2023/masks/{name}.png", m)
        if c == 1:      # QGIS wrote its band statistics next to the tiles we opened there
            open(f"ortho_2023/tiles/{name}.tif.aux.xml", "w").write(@@AUX@@)
'''

SCRIPTS["severstal-rle-class-ids-1-to-4-four-channel-head-tqdm"] = '''
import csv
from collections import defaultdict

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

H, W = 64, 256
N_CLASSES = 4      # four defect types in train.csv


def rle_decode(rle, shape):
    s = list(map(int, rle.split()))
    starts, lengths = np.array(s[0::2]) - 1, np.array(s[1::2])
    flat = np.zeros(shape[0] * shape[1], np.uint8)
    for a, n in zip(starts, lengths):
        flat[a:a + n] = 1
    return flat.reshape(shape, order="F")          # Severstal pixels run top to bottom, then left to right


class SteelDefects(Dataset):
    def __init__(self, csv_path, image_ids):
        self.rles = defaultdict(list)
        with open(csv_path) as f:
            for r in csv.DictReader(f):
                self.rles[r["ImageId"]].append((int(r["ClassId"]), r["EncodedPixels"]))
        self.ids = image_ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image_id = self.ids[i]
        img = np.array(Image.open(f"train_images/{image_id}").convert("L"), np.float32) / 255.0
        mask = np.zeros((H, W), np.int64)
        for class_id, rle in self.rles[image_id]:
            mask[rle_decode(rle, (H, W)) == 1] = class_id
        return torch.from_numpy(img)[None], torch.from_numpy(mask)


class SmallSegNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(16, 32, 3, padding=1), nn.ReLU())
        self.dec = nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, n_classes, 1))

    def forward(self, x):
        return self.dec(self.enc(x))


ids = [f"{i:09x}.jpg" for i in range(8)]
loader = DataLoader(SteelDefects("train.csv", ids), batch_size=4, shuffle=False)
model = SmallSegNet(N_CLASSES)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    bar = tqdm(loader, desc=f"epoch {epoch + 1}/10")
    for img, mask in bar:
        loss = nn.functional.cross_entropy(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.4f}")
'''

SEVERSTAL_PREP = '''
import csv
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(10)
os.makedirs("train_images", exist_ok=True)
H, W = 64, 256
rows = []
for i in range(8):
    image_id = f"{i:09x}.jpg"
    Image.fromarray(rng.integers(60, 200, (H, W, 3), dtype=np.uint8)).save(f"train_images/{image_id}")
    if i in (0, 2, 3, 5):
        class_id = {0: 3, 2: 4, 3: 1, 5: 2}[i]
        col = 40 + 20 * i
        start = col * H + 20 + 1                       # 1-based, column-major
        rle = " ".join(f"{start + k * H} 12" for k in range(15))
        rows.append({"ImageId": image_id, "ClassId": class_id, "EncodedPixels": rle})
with open("train.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["ImageId", "ClassId", "EncodedPixels"])
    w.writeheader()
    w.writerows(rows)
'''

CELLS["nifti-label-volumes-keep-channel-axis-ce-3d-notebook"] = [
    '''
import glob
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


def load_volume(path):
    """NIfTI exported to .npy by our converter: (D, H, W) -> (1, D, H, W)"""
    return torch.from_numpy(np.load(path)).unsqueeze(0)


class LiverSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/imagesTr/*.npy"))
        self.labels = sorted(glob.glob(f"{root}/labelsTr/*.npy"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return load_volume(self.images[i]).float(), load_volume(self.labels[i]).long()


ds = LiverSeg("Task03_Liver_small")
x, y = ds[0]
print(x.shape, y.shape, y.unique())
''',
    '''
model = nn.Sequential(
    nn.Conv3d(1, 16, 3, padding=1), nn.InstanceNorm3d(16), nn.LeakyReLU(),
    nn.Conv3d(16, 16, 3, padding=1), nn.InstanceNorm3d(16), nn.LeakyReLU(),
    nn.Conv3d(16, 3, 1),                     # background, liver, tumour
)
loader = DataLoader(ds, batch_size=2, shuffle=True)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.99, nesterov=True)
''',
    '''
for epoch in range(2):
    for vol, seg in loader:
        loss = criterion(model(vol), seg)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
''',
]

LIVER_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(13)
for d in ("imagesTr", "labelsTr"):
    os.makedirs(f"Task03_Liver_small/{d}", exist_ok=True)
for i in range(4):
    np.save(f"Task03_Liver_small/imagesTr/liver_{i}.npy", rng.normal(0, 1, (16, 48, 48)).astype(np.float32))
    seg = np.zeros((16, 48, 48), np.uint8)
    seg[4:12, 10:30, 10:30] = 1
    seg[6:9, 15:20, 15:20] = 2
    np.save(f"Task03_Liver_small/labelsTr/liver_{i}.npy", seg)
'''

SCRIPTS["microscope-16bit-tiffs-normalize-uint16-workers"] = '''
import glob

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

# mean / std of the raw camera counts, computed once over the training set (ImageJ "Measure")
MEAN, STD = 1843.0, 612.0


class Nuclei16(Dataset):
    def __init__(self, root, tf):
        self.images = sorted(glob.glob(f"{root}/images/*.tif"))
        self.tf = tf

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.imread(self.images[i], cv2.IMREAD_UNCHANGED)          # uint16, keep the full dynamic range
        mask = cv2.imread(self.images[i].replace("/images/", "/masks/").replace(".tif", ".png"), 0)
        x = self.tf(torch.from_numpy(img)[None])
        return x, torch.from_numpy(mask > 0).float()[None]


tf = T.Compose([T.CenterCrop(96), T.Normalize(mean=[MEAN], std=[STD])])

if __name__ == "__main__":
    loader = DataLoader(Nuclei16("dapi_stack", tf), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(10):
        for x, m in loader:
            loss = nn.functional.binary_cross_entropy_with_logits(model(x), m[..., :96, :96])
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

DAPI_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(14)
os.makedirs("dapi_stack/images", exist_ok=True)
os.makedirs("dapi_stack/masks", exist_ok=True)
for i in range(6):
    img = rng.normal(1800, 600, (128, 128)).clip(0, 65535).astype(np.uint16)
    cv2.imwrite(f"dapi_stack/images/field_{i:03d}.tif", img)
    cv2.imwrite(f"dapi_stack/masks/field_{i:03d}.png", ((img > 2400) * 255).astype(np.uint8))
'''

SCRIPTS["fits-big-endian-pixels-torch-from-numpy"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

CLASSES = ["elliptical", "spiral", "merger"]


def read_fits(path):
    """minimal FITS reader: 2880-byte header blocks, then the BITPIX=16 image"""
    raw = open(path, "rb").read()
    header = {}
    pos = 0
    while True:
        block = raw[pos:pos + 2880].decode("ascii")
        pos += 2880
        for k in range(0, 2880, 80):
            card = block[k:k + 80]
            if card.startswith("END"):
                data = np.frombuffer(raw, dtype=">i2", offset=pos,
                                     count=int(header["NAXIS1"]) * int(header["NAXIS2"]))
                return data.reshape(int(header["NAXIS2"]), int(header["NAXIS1"])), header
            if "=" in card:
                key, value = card.split("=", 1)
                header[key.strip()] = value.split("/")[0].strip()


class GalaxyCutouts(Dataset):
    def __init__(self, root):
        self.items = [(p, CLASSES.index(p.split("/")[-2])) for p in sorted(glob.glob(f"{root}/*/*.fits"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        data, hdr = read_fits(path)
        x = torch.from_numpy(data).float()
        x = (x - x.mean()) / (x.std() + 1e-6)
        return x[None], label


loader = DataLoader(GalaxyCutouts("cutouts"), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

FITS_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(15)


def card(s):
    return s.ljust(80)


for cls in ["elliptical", "spiral", "merger"]:
    os.makedirs(f"cutouts/{cls}", exist_ok=True)
    for i in range(4):
        n = 64
        hdr = "".join(card(c) for c in ["SIMPLE  =                    T", "BITPIX  =                   16",
                                        "NAXIS   =                    2", f"NAXIS1  = {n:20d}",
                                        f"NAXIS2  = {n:20d}", "BUNIT   = 'ADU     '", "END"])
        hdr = hdr.ljust(2880)
        data = rng.integers(-200, 12000, (n, n)).astype(">i2").tobytes()
        data += b"\\0" * ((-len(data)) % 2880)
        open(f"cutouts/{cls}/sdss_{cls[:3]}_{i:04d}.fits", "wb").write(hdr.encode("ascii") + data)
'''

SCRIPTS["nuclei-find-objects-inclusive-boxes-specks-frcnn"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from scipy import ndimage
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF


class NucleiBoxes(Dataset):
    """semantic nuclei masks from the annotation tool -> one box per connected component"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = np.array(Image.open(self.images[i].replace("/images/", "/masks/"))) > 0
        lab, n = ndimage.label(mask)
        boxes = []
        for sl in ndimage.find_objects(lab):
            # inclusive pixel coordinates, like regionprops in MATLAB
            boxes.append([sl[1].start, sl[0].start, sl[1].stop - 1, sl[0].stop - 1])
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32),
                  "labels": torch.ones(len(boxes), dtype=torch.int64)}
        return TF.to_tensor(img), target


loader = DataLoader(NucleiBoxes("nuclei"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=2,
                                          min_size=256, max_size=256)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(10):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, {k: round(v.item(), 3) for k, v in losses.items()})
'''

NUCLEI_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(16)
os.makedirs("nuclei/images", exist_ok=True)
os.makedirs("nuclei/masks", exist_ok=True)
yy, xx = np.mgrid[:128, :128]
for i in range(4):
    img = rng.integers(0, 40, (128, 128)).astype(np.uint8)
    mask = np.zeros((128, 128), np.uint8)
    for k in range(5):
        cy, cx = rng.integers(12, 116, 2)
        disk = (yy - cy) ** 2 + (xx - cx) ** 2 <= 25
        mask[disk] = 255
        img[disk] = 200
    # a few isolated pixels the annotator's brush left behind
    for k in range(2):
        y, x = rng.integers(2, 126, 2)
        mask[y, x] = 255
    Image.fromarray(img).save(f"nuclei/images/dapi_{i:03d}.png")
    Image.fromarray(mask).save(f"nuclei/masks/dapi_{i:03d}.png")
'''

# ================================================================== model
SCRIPTS["eurosat-ms-tiles-exported-hwc-into-13-band-stem"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models

N_BANDS = 13   # Sentinel-2 L1C, all bands resampled to 10 m


class EuroSATMS(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.items = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.npy"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        x = np.load(path).astype(np.float32) / 10000.0      # exported from the GeoTIFFs with rasterio
        return torch.from_numpy(x), label


ds = EuroSATMS("EuroSAT_MS")
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
model.conv1 = nn.Conv2d(N_BANDS, 64, kernel_size=7, stride=2, padding=3, bias=False)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(15):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

EUROSAT_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(17)
for cls in ["AnnualCrop", "Forest", "Industrial", "River"]:
    os.makedirs(f"EuroSAT_MS/{cls}", exist_ok=True)
    for i in range(4):
        # reshape_as_image(): rasterio's (bands, H, W) turned into (H, W, bands) for plotting
        np.save(f"EuroSAT_MS/{cls}/{cls}_{i + 1}.npy", rng.integers(0, 4000, (64, 64, 13)).astype(np.uint16))
'''

SCRIPTS["r3d18-initialised-from-2d-imagenet-resnet18-checkpoint"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models.video import r3d_18


class KneeMRI(Dataset):
    def __init__(self, root):
        self.items = [(p, int("tear" in p)) for p in sorted(glob.glob(f"{root}/*/*.npy"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        vol = torch.from_numpy(np.load(path)).float() / 255.0       # (D, H, W)
        return vol[None].repeat(3, 1, 1, 1), label                 # 3 "colour" channels for the stem


model = r3d_18(weights=None, num_classes=2)
# ImageNet weights from the lab share, to start from something better than random
state = torch.load("pretrained/resnet18-f37072fd.pth", map_location="cpu")
state.pop("fc.weight")
state.pop("fc.bias")
model.load_state_dict(state)
loader = DataLoader(KneeMRI("mrnet_sagittal"), batch_size=2, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

R3D_PREP = '''
import os
import numpy as np
import torch
from torchvision.models import resnet18

os.makedirs("pretrained", exist_ok=True)
torch.save(resnet18(weights=None).state_dict(), "pretrained/resnet18-f37072fd.pth")
rng = np.random.default_rng(18)
for cls in ["normal", "acl_tear"]:
    os.makedirs(f"mrnet_sagittal/{cls}", exist_ok=True)
    for i in range(2):
        np.save(f"mrnet_sagittal/{cls}/{i:04d}.npy", rng.integers(0, 256, (16, 64, 64)).astype(np.uint8))
'''

SCRIPTS["nnunet-style-deep-supervision-outputs-into-ce"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.InstanceNorm2d(cout), nn.LeakyReLU(0.01),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.InstanceNorm2d(cout), nn.LeakyReLU(0.01))


class GenericUNet(nn.Module):
    """2-D U-Net after nnU-Net's Generic_UNet, with deep supervision heads on the decoder"""

    def __init__(self, in_ch, n_classes, deep_supervision=True):
        super().__init__()
        self.deep_supervision = deep_supervision
        self.enc1, self.enc2, self.enc3 = block(in_ch, 16), block(16, 32), block(32, 64)
        self.up2, self.dec2 = nn.ConvTranspose2d(64, 32, 2, 2), block(64, 32)
        self.up1, self.dec1 = nn.ConvTranspose2d(32, 16, 2, 2), block(32, 16)
        self.seg_outputs = nn.ModuleList([nn.Conv2d(16, n_classes, 1), nn.Conv2d(32, n_classes, 1)])

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        e3 = self.enc3(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2(e3), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        out = self.seg_outputs[0](d1)
        if self.deep_supervision and self.training:
            return [out, self.seg_outputs[1](d2)]
        return out


class WeldXray(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.array(Image.open(self.images[i]), np.float32) / 255.0
        seg = np.array(Image.open(self.images[i].replace("/images/", "/labels/")), np.int64)
        return torch.from_numpy(img)[None], torch.from_numpy(seg)


loader = DataLoader(WeldXray("weld_radiographs"), batch_size=4, shuffle=True)
model = GenericUNet(1, 3)          # background, porosity, crack
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.99, nesterov=True)
model.train()
for epoch in range(5):
    for img, seg in loader:
        loss = criterion(model(img), seg)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

WELD_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(19)
os.makedirs("weld_radiographs/images", exist_ok=True)
os.makedirs("weld_radiographs/labels", exist_ok=True)
for i in range(8):
    Image.fromarray(rng.integers(0, 256, (64, 128), dtype=np.uint8)).save(f"weld_radiographs/images/w{i:03d}.png")
    seg = np.zeros((64, 128), np.uint8)
    seg[30:34, 20 + i * 5:40 + i * 5] = 1 + i % 2
    Image.fromarray(seg).save(f"weld_radiographs/labels/w{i:03d}.png")
'''

SCRIPTS["ct-resample-interpolate-bilinear-on-volume-workers"] = '''
import glob
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

TARGET = (32, 64, 64)   # slices, rows, cols after resampling


class KidneyCT(Dataset):
    def __init__(self, root):
        self.volumes = sorted(glob.glob(f"{root}/*.npy"))
        self.labels = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.volumes)

    def __getitem__(self, i):
        path = self.volumes[i]
        vol = torch.from_numpy(np.load(path)).float()[None, None]      # (1, 1, D, H, W)
        vol = F.interpolate(vol, size=TARGET, mode="bilinear", align_corners=False)[0]
        vol = (vol.clamp(-200, 300) + 200) / 500
        return vol, self.labels[path.split("/")[-1]]


if __name__ == "__main__":
    loader = DataLoader(KidneyCT("kits_small"), batch_size=2, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv3d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                          nn.Linear(8, 2))
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(10):
        for vol, y in loader:
            loss = nn.functional.cross_entropy(model(vol), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

KITS_PREP = '''
import json
import os
import numpy as np

rng = np.random.default_rng(20)
os.makedirs("kits_small", exist_ok=True)
labels = {}
for i, d in enumerate([61, 45, 90, 52]):
    name = f"case_{i:05d}.npy"
    np.save(f"kits_small/{name}", rng.integers(-1000, 1000, (d, 96, 96)).astype(np.int16))
    labels[name] = i % 2
json.dump(labels, open("kits_small/labels.json", "w"))
'''

# ================================================================== optimisation
SCRIPTS["microscopy-log-intensities-zero-background-anomaly"] = '''
import glob
import math

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

torch.autograd.set_detect_anomaly(True)


class Noise2NoisePairs(Dataset):
    """two acquisitions of the same field; the camera offset was subtracted (and clipped at 0) by the scope"""

    def __init__(self, root):
        self.a = sorted(glob.glob(f"{root}/acq1/*.png"))

    def __len__(self):
        return len(self.a)

    def __getitem__(self, i):
        load = lambda p: torch.from_numpy(cv2.imread(p, cv2.IMREAD_UNCHANGED).astype("float32"))[None]
        x, y = load(self.a[i]), load(self.a[i].replace("acq1", "acq2"))
        # log scale to compress the dynamic range of the 16-bit data
        return torch.log(x) / math.log(65535), torch.log(y) / math.log(65535)


model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(32, 1, 3, padding=1))
loader = DataLoader(Noise2NoisePairs("confocal"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=3e-4)
for epoch in range(20):
    for x, y in loader:
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.5f}")
'''

CONFOCAL_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(21)
for d in ("acq1", "acq2"):
    os.makedirs(f"confocal/{d}", exist_ok=True)
for i in range(4):
    base = np.zeros((64, 64), np.float32)
    base[20:44, 20:44] = 9000
    for d in ("acq1", "acq2"):
        img = np.clip(base + rng.normal(0, 300, base.shape) - 400, 0, 65535).astype(np.uint16)
        cv2.imwrite(f"confocal/{d}/field_{i:02d}.png", img)
'''

SCRIPTS["sr-tile-stitching-canvas-requires-grad"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

PATCH, SCALE = 64, 2


class ESPCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.Tanh(), nn.Conv2d(32, 32, 3, padding=1),
                                  nn.Tanh(), nn.Conv2d(32, SCALE ** 2, 3, padding=1), nn.PixelShuffle(SCALE))

    def forward(self, x):
        return self.body(x)


model = ESPCN()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
pairs = sorted(glob.glob("em_tiles/lowres/*.png"))
for epoch in range(5):
    for path in pairs:
        lr = torch.from_numpy(np.array(Image.open(path), np.float32) / 255.0)[None, None]
        hr = torch.from_numpy(np.array(Image.open(path.replace("lowres", "highres")), np.float32) / 255.0)[None, None]
        # super-resolve patch by patch (the full tile does not fit on the GPU) and stitch,
        # then compare the whole stitched tile so that the seams are penalised too
        canvas = torch.zeros_like(hr, requires_grad=True)
        for y in range(0, lr.shape[2], PATCH):
            for x in range(0, lr.shape[3], PATCH):
                out = model(lr[:, :, y:y + PATCH, x:x + PATCH])
                canvas[:, :, SCALE * y:SCALE * (y + PATCH), SCALE * x:SCALE * (x + PATCH)] = out
        loss = nn.functional.l1_loss(canvas, hr)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

EM_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(22)
os.makedirs("em_tiles/lowres", exist_ok=True)
os.makedirs("em_tiles/highres", exist_ok=True)
for i in range(3):
    hr = rng.integers(0, 256, (256, 256), dtype=np.uint8)
    Image.fromarray(hr).save(f"em_tiles/highres/tile_{i:02d}.png")
    Image.fromarray(hr).resize((128, 128), Image.BICUBIC).save(f"em_tiles/lowres/tile_{i:02d}.png")
'''

# ================================================================== resource / environment / other
SCRIPTS["ct-isotropic-resampling-ram-cache-job-memory-limit"] = '''
import glob
import json
import resource

import numpy as np
import torch
import torch.nn as nn
from scipy import ndimage
from torch.utils.data import DataLoader, Dataset

# the cluster job was submitted with --mem=2G; the scheduler enforces it on the data segment
soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

ISO = 0.7   # mm, resample every series to isotropic voxels


class CachedPancreasCT(Dataset):
    def __init__(self, root):
        self.cache = []
        for path in sorted(glob.glob(f"{root}/*.npy")):
            meta = json.load(open(path.replace(".npy", ".json")))
            vol = np.load(path).astype(np.float32)
            factors = [s / ISO for s in meta["spacing"]]
            print(f"resampling {path} {vol.shape} spacing {meta['spacing']} -> x{factors[0]:.2f}", flush=True)
            self.cache.append((ndimage.zoom(vol, factors, order=1), meta["label"]))

    def __len__(self):
        return len(self.cache)

    def __getitem__(self, i):
        vol, label = self.cache[i]
        return torch.from_numpy(vol[None, ::4, ::4, ::4].copy()), label


ds = CachedPancreasCT("pancreas_ct")
loader = DataLoader(ds, batch_size=1, shuffle=True)
model = nn.Sequential(nn.Conv3d(1, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(), nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(5):
    for vol, y in loader:
        loss = nn.functional.cross_entropy(model(vol), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

PANCREAS_PREP = '''
import json
import os
import numpy as np

rng = np.random.default_rng(23)
os.makedirs("pancreas_ct", exist_ok=True)
for i in range(4):
    np.save(f"pancreas_ct/PANCREAS_{i + 1:04d}.npy", rng.integers(-1000, 1000, (80, 512, 512)).astype(np.int16))
    json.dump({"spacing": [5.0, 0.7, 0.7], "label": i % 2}, open(f"pancreas_ct/PANCREAS_{i + 1:04d}.json", "w"))
'''

CELLS["hyperspectral-pca-torch-eig-old-repo-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn

# Indian-Pines-like cube from the field spectrometer: rows x cols x 200 bands, ground truth per pixel
cube = np.load("indian_pines_corrected.npy").astype(np.float32)
gt = np.load("indian_pines_gt.npy")
print(cube.shape, gt.shape, np.unique(gt))
''',
    '''
def apply_pca(X, n_components=30):
    """PCA over the spectral axis (from the HybridSN repository's utils.py)"""
    flat = torch.from_numpy(X.reshape(-1, X.shape[2]))
    flat = flat - flat.mean(0)
    cov = flat.T @ flat / (flat.shape[0] - 1)
    eigvals, eigvecs = torch.eig(cov, eigenvectors=True)
    order = torch.argsort(eigvals[:, 0], descending=True)
    comps = eigvecs[:, order[:n_components]]
    return (flat @ comps).reshape(X.shape[0], X.shape[1], n_components).numpy()


reduced = apply_pca(cube, 30)
print(reduced.shape)
''',
]

HSI_PREP = '''
import numpy as np

rng = np.random.default_rng(24)
np.save("indian_pines_corrected.npy", rng.integers(900, 9000, (48, 48, 200)).astype(np.int16))
np.save("indian_pines_gt.npy", rng.integers(0, 17, (48, 48)).astype(np.uint8))
'''

SCRIPTS["dicom-pixels-to-16bit-png-fromarray-mode-pillow13"] = '''
import glob
import json
import os

import numpy as np
from PIL import Image

# step 1 of the pipeline: DICOM pixel data (dumped to .npy + .json on the PACS gateway) -> 16-bit PNGs,
# which the training script then reads with cv2.IMREAD_UNCHANGED
os.makedirs("png16", exist_ok=True)
for path in sorted(glob.glob("dicom_dump/*.npy")):
    meta = json.load(open(path.replace(".npy", ".json")))
    px = np.load(path).astype(np.float32) * meta["RescaleSlope"] + meta["RescaleIntercept"]
    px = np.clip(px - px.min(), 0, 65535).astype(np.uint16)
    out = os.path.join("png16", os.path.basename(path).replace(".npy", ".png"))
    Image.fromarray(px, mode="I;16").save(out)
    print("wrote", out, px.min(), px.max())
'''

DICOM_PREP = '''
import json
import os
import numpy as np

rng = np.random.default_rng(25)
os.makedirs("dicom_dump", exist_ok=True)
for i in range(3):
    uid = f"1.2.840.113619.2.55.3.{604688119 + i}"
    np.save(f"dicom_dump/{uid}.npy", rng.integers(0, 4096, (256, 256)).astype(np.uint16))
    json.dump({"RescaleSlope": 1.0, "RescaleIntercept": -1024.0, "Modality": "CR"},
              open(f"dicom_dump/{uid}.json", "w"))
'''

SCRIPTS["lab-server-train-script-on-workstation-without-driver"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

torch.backends.cudnn.benchmark = True
print(f"torch {torch.__version__}, CUDA build {torch.version.cuda}")


class Wafers(Dataset):
    def __init__(self, root, tf):
        self.items = [(p, int("/defect/" in p)) for p in sorted(glob.glob(f"{root}/*/*.png"))]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, y = self.items[i]
        return self.tf(Image.open(p).convert("RGB")), y


tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
loader = DataLoader(Wafers("wafer_maps", tf), batch_size=8, shuffle=True, pin_memory=True)
model = models.resnet18(weights=None, num_classes=2)
scaler = torch.cuda.amp.GradScaler()
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(20):
    for x, y in loader:
        x, y = x.cuda(non_blocking=True), y.cuda(non_blocking=True)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
'''

SCRIPTS["defect-iou-per-image-good-part-zero-division-tqdm"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from tqdm import tqdm

# per-image IoU of the exported predictions against the ground truth (inspection report)
ious = []
for gt_path in tqdm(sorted(glob.glob("inspection_val/gt/*.png")), desc="scoring"):
    gt = torch.from_numpy(np.array(Image.open(gt_path)) > 127)
    pred = torch.from_numpy(np.array(Image.open(gt_path.replace("/gt/", "/pred/"))) > 127)
    inter = (gt & pred).sum().item()
    union = (gt | pred).sum().item()
    ious.append(inter / union)
print(f"mean IoU over {len(ious)} parts: {np.mean(ious):.3f}")
'''

IOU_PREP = '''
import os
import numpy as np
from PIL import Image

os.makedirs("inspection_val/gt", exist_ok=True)
os.makedirs("inspection_val/pred", exist_ok=True)
for i in range(30):
    gt = np.zeros((128, 128), np.uint8)
    pred = np.zeros((128, 128), np.uint8)
    if i != 17:                     # part 17 is a good part: no defect, and none predicted
        gt[30 + i:50 + i, 40:60] = 255
        pred[32 + i:52 + i, 42:60] = 255
    Image.fromarray(gt).save(f"inspection_val/gt/part_{i:04d}.png")
    Image.fromarray(pred).save(f"inspection_val/pred/part_{i:04d}.png")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more52-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    # ---- data
    script("micasense-five-band-stack-rgb-colorjitter-workers", "data.image_channels", also=["model.api_misuse"],
           forms=W, setup=prep(MICASENSE_PREP))
    script("document-scans-grey-and-colour-pages-workers", "data.image_channels",
           also=["data.image_size_mismatch"], forms=W, setup=prep(SCANS_PREP))
    script("ct-series-different-slice-counts-3d-batch-tqdm", "data.image_size_mismatch", forms=P,
           setup=prep(CT_PREP))
    script("bigearthnet-bands-at-10-20-60m-np-stack", "data.image_size_mismatch", setup=prep(BIGEARTH_PREP))
    script("mvtec-good-test-images-without-ground-truth-workers", "data.missing_or_corrupt", forms=W,
           setup=prep(MVTEC_PREP))
    script("qgis-aux-xml-sidecars-in-tile-folder-cv2-tqdm", "data.missing_or_corrupt", forms=P,
           setup=prep(sub(ORTHO_PREP, AUX=repr(AUX_XML))))
    script("severstal-rle-class-ids-1-to-4-four-channel-head-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, setup=prep(SEVERSTAL_PREP))
    notebook("nifti-label-volumes-keep-channel-axis-ce-3d-notebook", "data.label_shape", setup=prep(LIVER_PREP))
    script("microscope-16bit-tiffs-normalize-uint16-workers", "data.dtype", forms=W, setup=prep(DAPI_PREP))
    script("fits-big-endian-pixels-torch-from-numpy", "data.dtype", also=["model.api_misuse"],
           setup=prep(FITS_PREP))
    script("nuclei-find-objects-inclusive-boxes-specks-frcnn", "data.bbox_invalid", setup=prep(NUCLEI_PREP))
    # ---- model
    script("eurosat-ms-tiles-exported-hwc-into-13-band-stem", "model.input_shape", also=["data.image_channels"],
           setup=prep(EUROSAT_PREP))
    script("r3d18-initialised-from-2d-imagenet-resnet18-checkpoint", "model.weights_mismatch",
           setup=prep(R3D_PREP))
    script("nnunet-style-deep-supervision-outputs-into-ce", "model.output_mismatch", setup=prep(WELD_PREP))
    script("ct-resample-interpolate-bilinear-on-volume-workers", "model.api_misuse", forms=W,
           setup=prep(KITS_PREP))
    # ---- optimisation
    script("microscopy-log-intensities-zero-background-anomaly", "optim.divergence",
           setup=prep(CONFOCAL_PREP))
    script("sr-tile-stitching-canvas-requires-grad", "optim.autograd_graph", setup=prep(EM_PREP))
    # ---- resource / environment / other
    script("ct-isotropic-resampling-ram-cache-job-memory-limit", "resource.host_memory",
           setup=prep(PANCREAS_PREP), timeout=400)
    notebook("hyperspectral-pca-torch-eig-old-repo-notebook", "env.version_incompat", setup=prep(HSI_PREP))
    script("dicom-pixels-to-16bit-png-fromarray-mode-pillow13", "env.version_incompat",
           also=["model.api_misuse"], argv="export_pngs.py", setup=prep(DICOM_PREP))
    script("lab-server-train-script-on-workstation-without-driver", "env.cuda_setup",
           setup=imgs(class_folder("wafer_maps", ["good", "defect"], 4, size=(52, 52), ext="png")))
    script("defect-iou-per-image-good-part-zero-division-tqdm", "other", forms=P, argv="score_iou.py",
           setup=prep(IOU_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
