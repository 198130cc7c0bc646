"""A sixty-first held-out set (g118, scored 0.82 top-1 and 0.91 top-3 before any rule for it) of PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: hobbyists and small-business developers who train classifiers and detectors on their own photos
(phone pictures, webcam captures, screenshots, scanned documents, drone and trail-camera images): photos with EXIF
rotation, animated GIFs and 16-bit TIFF scans among the JPEGs, whole SD cards of pictures, folders synced from
iCloud or a Synology NAS, labels kept in LabelMe / CVAT exports, a small Flask-style demo or Raspberry Pi app that
reloads the trained model, a laptop CPU or a Pi as the only machine. A natural mix of causes, each program built
so that its cause is known by construction; none a repeat of the scenarios in the other generators:

- data: supplier product photos with animated GIF banners read by ``torchvision.io.decode_image`` (one tensor of
  frames, in workers), a hedgehog-camera class folder that iCloud's "Optimise Mac Storage" turned into ``.icloud``
  stubs (notebook), a Synology NAS share whose ``@eaDir`` thumbnail folders match a ``*/*`` glob (in workers),
  LabelMe labels typed with different spellings ("Deer", "deer ") mapped to ids for a Faster R-CNN sized from a
  hand-typed class list (tqdm), CVAT boxes drawn on EXIF-rotated portrait phone photos read back by
  ``decode_image`` (which does not apply the EXIF orientation) behind ``ClampBoundingBoxes``, Raspberry Pi camera
  frames captured by picamera2 as XBGR8888 (four channels) and tested on the laptop, LabelMe snout / tail points
  for a fish-length regressor with one extra click (in workers), class ids of a CVAT segmentation-mask export kept
  as the mask's ``uint8`` for a Faster R-CNN;
- model: ``ImageOps.exif_transpose(img, in_place=True)`` whose ``None`` is assigned back (in workers), eager static
  quantization for the Pi without ``QuantStub`` / ``DeQuantStub`` (deprecation warnings first), the Pi app that
  loads the ``quantize_dynamic`` state dict into the float model, MobileNetV3's head replaced at
  ``classifier[1]`` as in the MobileNetV2 recipe (notebook), a webcam predict script whose ``Resize(128)`` keeps
  the 4:3 aspect of the frames for a CNN trained on square crops;
- optimisation: 16-bit film-scanner TIFFs divided by 255 for a small CNN with SGD, caught by anomaly mode (tqdm),
  distillation of a Pi-sized student whose cross-entropy and KD losses are backpropagated one after the other
  (tqdm);
- resource / environment / other: every photo of a trail-camera SD card stacked into one batch for prediction
  under a 2 GB memory limit, ``torchvision.io.read_video`` (gone from torchvision) for trail-camera clips
  (notebook), one model per camera trained in a ``multiprocessing.Pool`` whose tasks make DataLoader workers, a
  repository's CUDA data prefetcher run on the laptop, a second torchrun on the same ``--master_port`` while the
  first fold still runs, EXIF ``DateTimeOriginal`` parsed with a dashed ``strptime`` format for a date split
  (notebook), the best checkpoint saved under ``runs/<--name>/`` when only ``runs/`` was created (tqdm).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the "trained"
models are files an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more61.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import os
import socket
import subprocess
import time

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases, torch_python  # noqa: E402

SRC = "corpus/generators/torch_more61.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data
SCRIPTS["supplier-product-photos-animated-gif-decode-image-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models
from torchvision.io import ImageReadMode, decode_image
from torchvision.transforms import v2

CATEGORIES = sorted(os.listdir("shop_photos"))


class ProductPhotos(Dataset):
    """photos saved from the suppliers' product pages ("Save image as..."), one folder per category"""

    def __init__(self, root, transform):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.*")))
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        path = self.paths[i]
        # decode_image reads jpg / png / gif / webp alike, and is faster than PIL on the laptop
        image = decode_image(path, mode=ImageReadMode.RGB)
        label = CATEGORIES.index(os.path.basename(os.path.dirname(path)))
        return self.transform(image), label


train_tf = v2.Compose([
    v2.Resize((128, 128), antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


def main():
    torch.manual_seed(0)
    ds = ProductPhotos("shop_photos", train_tf)
    print(f"{len(ds)} photos, categories: {CATEGORIES}")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.mobilenet_v3_small(weights=None, num_classes=len(CATEGORIES))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(8):
        model.train()
        for images, labels in loader:
            loss = criterion(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: loss {loss.item():.3f}")
    torch.save(model.state_dict(), "shop_classifier.pt")


if __name__ == "__main__":
    main()
'''

SHOP_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(11)
for cat in ["candles", "mugs", "soap", "tote_bags"]:
    os.makedirs(f"shop_photos/{cat}", exist_ok=True)
    for i in range(5):
        h, w = [(300, 300), (400, 300), (300, 400)][i % 3]
        img = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
        img.save(f"shop_photos/{cat}/{cat}_{i:02d}.{'png' if i == 4 else 'jpg'}")
# one supplier only has an animated banner for its mugs ("Save image as" keeps the .gif)
frames = [Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)) for _ in range(6)]
frames[0].save("shop_photos/mugs/mug_banner_spinning.gif", save_all=True, append_images=frames[1:],
               duration=120, loop=0)
'''

CELLS["icloud-optimised-storage-stubs-imagefolder-notebook"] = [
    '''
import os

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

# the garden-camera pictures live in iCloud Drive so that the phone and the MacBook both see them
DATA = "iCloud Drive/garden-cam/train"
print(sorted(os.listdir(DATA)))
''',
    '''
tf = T.Compose([T.Resize((128, 128)), T.ToTensor()])
train_ds = datasets.ImageFolder(DATA, transform=tf)
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)
print(train_ds.class_to_idx, len(train_ds))
''',
]


def icloud_setup(work):
    make_images(work, class_folder("iCloud Drive/garden-cam/train", ["blackbird", "cat", "fox"], 4,
                                   size=(160, 120)))
    # "Optimise Mac Storage" evicted the hedgehog pictures: only iCloud's placeholders are left on the disk
    d = work / "iCloud Drive/garden-cam/train/hedgehog"
    d.mkdir(parents=True, exist_ok=True)
    import plistlib
    for i in range(5):
        name = f"IMG_{4410 + i}.JPG"
        (d / f".{name}.icloud").write_bytes(plistlib.dumps(
            {"NSURLNameKey": name, "NSURLFileSizeKey": 2817334 + 977 * i, "NSURLFileResourceTypeKey": "NSURLFileResourceTypeRegular"},
            fmt=plistlib.FMT_BINARY))


SCRIPTS["synology-eadir-folders-in-class-glob-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

# the family photo share on the Synology, mounted on the laptop
ROOT = "nas/photo/bird_feeder"


class FeederDataset(Dataset):
    def __init__(self, root, transform):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*")))
        self.classes = sorted(d for d in os.listdir(root) if not d.startswith("."))
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        img = Image.open(path).convert("RGB")
        label = self.classes.index(os.path.basename(os.path.dirname(path)))
        return self.transform(img), label


def main():
    tf = T.Compose([T.Resize((112, 112)), T.RandomHorizontalFlip(), T.ToTensor()])
    ds = FeederDataset(ROOT, tf)
    print(f"{len(ds)} files in {len(ds.classes)} classes")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch}: {loss.item():.3f}")


if __name__ == "__main__":
    main()
'''


def synology_setup(work):
    classes = ["blue_tit", "goldfinch", "robin", "sparrow"]
    specs = class_folder("nas/photo/bird_feeder", classes, 4, size=(160, 120))
    # DSM's indexer leaves an @eaDir folder next to the photos, with a sub-folder of thumbnails per photo
    for c in classes:
        for i in range(4):
            specs.append((f"nas/photo/bird_feeder/{c}/@eaDir/{c}_{i:03d}.jpg/SYNOPHOTO_THUMB_SM.jpg", (40, 30), "RGB"))
    make_images(work, specs)


SCRIPTS["labelme-label-spelling-variants-fasterrcnn-hand-typed-classes-tqdm"] = '''
import glob
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F
from tqdm import tqdm

ANIMALS = ["badger", "deer", "fox"]          # what the camera sees in the woods
NUM_CLASSES = len(ANIMALS) + 1               # + background


class LabelMeBoxes(Dataset):
    def __init__(self, folder):
        self.jsons = sorted(glob.glob(os.path.join(folder, "*.json")))
        names = set()
        for p in self.jsons:
            with open(p) as f:
                names.update(s["label"] for s in json.load(f)["shapes"])
        # 0 is the background for torchvision detectors
        self.label_to_id = {name: i + 1 for i, name in enumerate(sorted(names))}
        print("labels found:", self.label_to_id)

    def __len__(self):
        return len(self.jsons)

    def __getitem__(self, i):
        with open(self.jsons[i]) as f:
            ann = json.load(f)
        img = Image.open(os.path.join(os.path.dirname(self.jsons[i]), ann["imagePath"])).convert("RGB")
        boxes, labels = [], []
        for s in ann["shapes"]:
            (x1, y1), (x2, y2) = s["points"]
            boxes.append([min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)])
            labels.append(self.label_to_id[s["label"]])
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}
        return F.to_tensor(img), target


ds = LabelMeBoxes("trailcam/labelme")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=NUM_CLASSES)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)

for epoch in range(10):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for images, targets in pbar:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

LABELME_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
os.makedirs("trailcam/labelme", exist_ok=True)
# labelled over two weekends, by me and by my brother
labels = ["deer", "fox", "badger", "deer", "Deer", "fox", "badger", "deer ", "fox", "deer"]
for i, lab in enumerate(labels):
    name = f"CAM2_{1200 + i:05d}.JPG"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"trailcam/labelme/{name}")
    x1, y1 = int(rng.integers(10, 150)), int(rng.integers(10, 100))
    shape = {"label": lab, "points": [[x1, y1], [x1 + 90.0, y1 + 70.0]], "group_id": None,
             "description": "", "shape_type": "rectangle", "flags": {}, "mask": None}
    ann = {"version": "5.4.1", "flags": {}, "shapes": [shape], "imagePath": name, "imageData": None,
           "imageHeight": 240, "imageWidth": 320}
    with open(f"trailcam/labelme/{name[:-4]}.json", "w") as f:
        json.dump(ann, f, indent=2)
'''

SCRIPTS["cvat-on-exif-rotated-phone-photos-decode-image-clamped-boxes"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.io import decode_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import v2

CLASSES = ["__background__", "chanterelle", "porcini"]


class CvatMushrooms(Dataset):
    """CVAT for images 1.1 export: annotations.xml + the phone photos"""

    def __init__(self, root, transforms):
        self.root = root
        self.items = []
        for image in ET.parse(os.path.join(root, "annotations.xml")).getroot().iter("image"):
            boxes = [[float(b.get(k)) for k in ("xtl", "ytl", "xbr", "ybr")] for b in image.iter("box")]
            labels = [CLASSES.index(b.get("label")) for b in image.iter("box")]
            self.items.append((image.get("name"), boxes, labels))
        self.transforms = transforms

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        name, boxes, labels = self.items[i]
        img = decode_image(os.path.join(self.root, "images", name))
        target = {
            "boxes": tv_tensors.BoundingBoxes(boxes, format="XYXY", canvas_size=img.shape[-2:]),
            "labels": torch.tensor(labels),
        }
        return self.transforms(img, target)


train_tf = v2.Compose([
    v2.RandomPhotometricDistort(p=0.5),
    v2.RandomHorizontalFlip(p=0.5),
    v2.ClampBoundingBoxes(),
    v2.ToDtype(torch.float32, scale=True),
])

torch.manual_seed(0)
ds = CvatMushrooms("mushrooms", train_tf)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

for epoch in range(10):
    model.train()
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch}: {losses.item():.4f}")
'''

MUSHROOM_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("mushrooms/images", exist_ok=True)
images = []
for i in range(6):
    name = f"IMG_20240921_{101500 + 37 * i}.jpg"
    # the phone stores the sensor's landscape pixels and an EXIF "rotate 90 CW" flag for portrait shots
    raw = Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6
    raw.save(f"mushrooms/images/{name}", exif=exif, quality=90)
    # CVAT shows the photo upright (300 wide, 400 high) and the boxes were drawn on that view
    boxes = [("chanterelle", 40 + 5 * i, 60, 120 + 5 * i, 140), ("porcini", 150, 310 + 4 * i, 240, 385)]
    images.append((i, name, boxes))
with open("mushrooms/annotations.xml", "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\\n<annotations>\\n  <version>1.1</version>\\n')
    for i, name, boxes in images:
        f.write(f'  <image id="{i}" name="{name}" width="300" height="400">\\n')
        for lab, x1, y1, x2, y2 in boxes:
            f.write(f'    <box label="{lab}" source="manual" occluded="0" xtl="{x1:.2f}" ytl="{y1:.2f}" '
                    f'xbr="{x2:.2f}" ybr="{y2:.2f}" z_order="0">\\n    </box>\\n')
        f.write('  </image>\\n')
    f.write('</annotations>\\n')
'''

SCRIPTS["picamera2-xbgr-frames-npy-tested-on-laptop"] = '''
"""Check the feeder model on frames the Pi captured (picam2.capture_array() dumped to frames.npy)."""
import json

import numpy as np
import torch
import torch.nn.functional as F
from torchvision import models, transforms as T

with open("feeder_classes.json") as f:
    classes = json.load(f)
model = models.mobilenet_v3_small(weights=None, num_classes=len(classes))
model.load_state_dict(torch.load("feeder_mnv3.pt", map_location="cpu"))
model.eval()

preprocess = T.Compose([
    T.Resize((224, 224), antialias=True),
    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])

frames = np.load("frames.npy")
print("frames:", frames.shape, frames.dtype)
with torch.no_grad():
    for k, frame in enumerate(frames):
        x = torch.from_numpy(frame).permute(2, 0, 1).float() / 255.0
        x = preprocess(x).unsqueeze(0)
        probs = F.softmax(model(x), dim=1)[0]
        print(k, classes[int(probs.argmax())], f"{probs.max().item():.2f}")
'''

PICAM_PREP = '''
import json
import numpy as np
import torch
from torchvision import models

classes = ["empty", "great_tit", "robin", "squirrel"]
json.dump(classes, open("feeder_classes.json", "w"))
torch.manual_seed(0)
torch.save(models.mobilenet_v3_small(weights=None, num_classes=len(classes)).state_dict(), "feeder_mnv3.pt")
# picamera2's default preview/still format is XBGR8888: four bytes per pixel
rng = np.random.default_rng(2)
frames = rng.integers(0, 256, (3, 480, 640, 4), dtype=np.uint8)
frames[..., 3] = 255
np.save("frames.npy", frames)
'''

SCRIPTS["labelme-fish-length-points-extra-click-workers"] = '''
import glob
import json
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

SIZE = 160


class FishPoints(Dataset):
    """LabelMe "point" shapes: the snout and the tail fork of each fish on the measuring board"""

    def __init__(self, folder):
        self.jsons = sorted(glob.glob(os.path.join(folder, "*.json")))
        self.tf = T.Compose([T.Resize((SIZE, SIZE)), T.ToTensor()])

    def __len__(self):
        return len(self.jsons)

    def __getitem__(self, i):
        with open(self.jsons[i]) as f:
            ann = json.load(f)
        img = Image.open(os.path.join(os.path.dirname(self.jsons[i]), ann["imagePath"])).convert("RGB")
        sx, sy = SIZE / ann["imageWidth"], SIZE / ann["imageHeight"]
        pts = [c for s in ann["shapes"] if s["shape_type"] == "point"
               for c in (s["points"][0][0] * sx, s["points"][0][1] * sy)]
        return self.tf(img), torch.tensor(pts, dtype=torch.float32) / SIZE


def main():
    ds = FishPoints("catch_photos")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None)
    model.fc = nn.Linear(model.fc.in_features, 4)       # snout x, y, tail x, y
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(20):
        for x, y in loader:
            loss = nn.functional.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}: mse {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

FISH_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(6)
os.makedirs("catch_photos", exist_ok=True)
for i in range(8):
    name = f"PXL_20240608_{70211 + 13 * i}.jpg"
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save(f"catch_photos/{name}")
    pts = [("snout", [60.0 + i, 150.0]), ("tail", [330.0 - i, 140.0])]
    if i == 5:
        pts.append(("tail", [318.0, 171.0]))    # a second click on the tail, the first one looked off
    shapes = [{"label": lab, "points": [p], "group_id": None, "description": "", "shape_type": "point",
               "flags": {}, "mask": None} for lab, p in pts]
    ann = {"version": "5.4.1", "flags": {}, "shapes": shapes, "imagePath": name, "imageData": None,
           "imageHeight": 300, "imageWidth": 400}
    with open(f"catch_photos/{name[:-4]}.json", "w") as f:
        json.dump(ann, f, indent=2)
'''

SCRIPTS["cvat-segmentation-mask-export-uint8-labels-fasterrcnn"] = '''
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

# CVAT "Segmentation mask 1.1" export of the roof survey: labelmap.txt, SegmentationClass/, SegmentationObject/
ROOT = "roof_survey"


def read_labelmap(path):
    names = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            names.append(line.split(":")[0])
    return names


class RoofPanels(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.path.splitext(n)[0] for n in os.listdir(os.path.join(root, "JPEGImages")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = Image.open(os.path.join(self.root, "JPEGImages", name + ".jpg")).convert("RGB")
        # both masks are palette PNGs: the pixel value is the class index / the instance index
        cls_mask = np.array(Image.open(os.path.join(self.root, "SegmentationClass", name + ".png")))
        obj_mask = np.array(Image.open(os.path.join(self.root, "SegmentationObject", name + ".png")))
        obj_ids = np.unique(obj_mask)[1:]
        boxes, labels = [], []
        for oid in obj_ids:
            ys, xs = np.where(obj_mask == oid)
            boxes.append([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1])
            labels.append(cls_mask[ys[0], xs[0]])
        target = {
            "boxes": torch.as_tensor(np.array(boxes), dtype=torch.float32),
            "labels": torch.from_numpy(np.array(labels)),
        }
        return F.to_tensor(img), target


classes = read_labelmap(os.path.join(ROOT, "labelmap.txt"))
print("classes:", classes)
ds = RoofPanels(ROOT)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
for epoch in range(10):
    model.train()
    for images, targets in loader:
        losses = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {losses.item():.3f}")
'''

ROOF_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
for d in ("JPEGImages", "SegmentationClass", "SegmentationObject"):
    os.makedirs(f"roof_survey/{d}", exist_ok=True)
with open("roof_survey/labelmap.txt", "w") as f:
    f.write("# label:color_rgb:parts:actions\\nbackground:0,0,0::\\nsolar_panel:250,50,83::\\nskylight:51,221,255::\\n")
palette = [0, 0, 0, 250, 50, 83, 51, 221, 255] + [0] * (256 * 3 - 9)
obj_palette = [0, 0, 0] + [int(v) for v in rng.integers(0, 256, 255 * 3)]
for i in range(4):
    name = f"DJI_{510 + i:04d}"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"roof_survey/JPEGImages/{name}.jpg")
    cls = np.zeros((240, 320), np.uint8)
    obj = np.zeros((240, 320), np.uint8)
    cls[30:110, 40:150] = 1
    obj[30:110, 40:150] = 1
    cls[140:200, 180 + i:260] = 2
    obj[140:200, 180 + i:260] = 2
    for arr, pal, d in ((cls, palette, "SegmentationClass"), (obj, obj_palette, "SegmentationObject")):
        im = Image.frombytes("P", (320, 240), arr.tobytes())
        im.putpalette(pal)
        im.save(f"roof_survey/{d}/{name}.png")
'''

# ================================================================== model
SCRIPTS["exif-transpose-in-place-return-assigned-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image, ImageOps
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T
from tqdm import tqdm


class PhonePhotos(Dataset):
    def __init__(self, root, transform):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted(os.listdir(root))
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i])
        # portrait shots come out sideways without this; in_place to save memory on the 12 MP photos
        img = ImageOps.exif_transpose(img, in_place=True)
        img = img.convert("RGB")
        label = self.classes.index(os.path.basename(os.path.dirname(self.paths[i])))
        return self.transform(img), label


def main():
    tf = T.Compose([T.Resize((128, 128)), T.ToTensor()])
    ds = PhonePhotos("houseplants", tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()


if __name__ == "__main__":
    main()
'''

SCRIPTS["pi-static-quantization-without-quant-stub"] = '''
"""Make the leaf classifier small enough for the Raspberry Pi: int8 post-training quantization."""
import glob
import json

import torch
from PIL import Image
from torchvision import models, transforms as T

torch.backends.quantized.engine = "qnnpack"       # the Pi's ARM CPU

classes = json.load(open("leaf_classes.json"))
model = models.resnet18(weights=None, num_classes=len(classes))
model.load_state_dict(torch.load("leaf_resnet18.pt", map_location="cpu"))
model.eval()

tf = T.Compose([T.Resize((160, 160)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
calib = [tf(Image.open(p).convert("RGB")).unsqueeze(0) for p in sorted(glob.glob("calib/*.jpg"))]

model.qconfig = torch.ao.quantization.get_default_qconfig("qnnpack")
prepared = torch.ao.quantization.prepare(model)
with torch.no_grad():
    for x in calib:
        prepared(x)
quantized = torch.ao.quantization.convert(prepared)
print("quantized; checking one photo")

with torch.no_grad():
    out = quantized(calib[0])
print(classes[out.argmax(1).item()])
torch.jit.save(torch.jit.script(quantized), "leaf_resnet18_int8.pt")
'''

SCRIPTS["pi-app-float-model-given-dynamic-quantized-state-dict"] = '''
"""Raspberry Pi doorbell app: classify the snapshot that the motion sensor triggers."""
import json
import sys

import torch
import torch.nn.functional as F
from PIL import Image
from torchvision import models, transforms as T

MODEL_PATH = "models/doorbell_resnet18_pi.pt"   # the small one I made on the laptop for the Pi
CLASSES = json.load(open("models/doorbell_classes.json"))


def load_model():
    model = models.resnet18(weights=None, num_classes=len(CLASSES))
    state = torch.load(MODEL_PATH, map_location="cpu")
    model.load_state_dict(state)
    return model.eval()


def classify(model, path):
    tf = T.Compose([T.Resize((160, 160)), T.ToTensor(),
                    T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        probs = F.softmax(model(x), dim=1)[0]
    return CLASSES[int(probs.argmax())], float(probs.max())


if __name__ == "__main__":
    model = load_model()
    print("model loaded")
    for path in sys.argv[1:]:
        print(path, *classify(model, path))
'''

DOORBELL_PREP = '''
import json
import os
import warnings
import torch
import torch.nn as nn
from torchvision import models

warnings.filterwarnings("ignore")
os.makedirs("models", exist_ok=True)
classes = ["courier", "family", "nobody", "stranger"]
json.dump(classes, open("models/doorbell_classes.json", "w"))
torch.manual_seed(0)
model = models.resnet18(weights=None, num_classes=len(classes)).eval()
torch.save(model.state_dict(), "models/doorbell_resnet18.pt")
small = torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
torch.save(small.state_dict(), "models/doorbell_resnet18_pi.pt")
'''

CELLS["mobilenet-v3-head-replaced-at-v2-index-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm.auto import tqdm

tf = T.Compose([T.Resize((160, 160)), T.RandomHorizontalFlip(), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("receipts_vs_docs/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print(train_ds.classes)
''',
    '''
# MobileNetV3 instead of V2: it is faster on the Pi. Head swap as in the MobileNetV2 fine-tuning post
model = models.mobilenet_v3_large(weights=None)
model.classifier[1] = nn.Linear(1280, len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(5):
    model.train()
    running = 0.0
    for images, labels in tqdm(train_loader, desc=f"epoch {epoch + 1}"):
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: {running / len(train_loader):.3f}")
''',
]

SCRIPTS["webcam-predict-resize-int-on-4-3-frames-fixed-flatten"] = '''
"""Run the cat-flap model over the frames the laptop webcam saved (640 x 480)."""
import glob

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms as T

from model import CatFlapNet

# same preprocessing as train.py (the training crops were cut square on the phone)
tf = T.Compose([T.Resize(128), T.ToTensor(), T.Normalize([0.5] * 3, [0.5] * 3)])

model = CatFlapNet(num_classes=3)
model.load_state_dict(torch.load("catflap.pt", map_location="cpu"))
model.eval()
names = ["our_cat", "neighbour_cat", "no_cat"]

for path in sorted(glob.glob("webcam/*.jpg")):
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        pred = model(x).argmax(1).item()
    print(path, names[pred])
'''

CATFLAP_MODEL = '''
import torch.nn as nn


class CatFlapNet(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64 * 16 * 16, 128), nn.ReLU(),
                                        nn.Linear(128, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x))
'''

CATFLAP_PREP = '''
import torch
from model import CatFlapNet

torch.manual_seed(0)
torch.save(CatFlapNet(3).state_dict(), "catflap.pt")
'''

# ================================================================== optimisation
SCRIPTS["film-scanner-16bit-tiff-divided-by-255-anomaly-tqdm"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

torch.autograd.set_detect_anomaly(True)     # the loss went nan last night, find out where


class NegativeScans(Dataset):
    """B&W negatives scanned at 16 bit (the scanner's "48-bit colour / 16-bit grey" setting)"""

    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.tif")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).resize((96, 96))
        x = np.asarray(img, dtype=np.float32) / 255.0
        label = self.classes.index(os.path.basename(os.path.dirname(self.paths[i])))
        return torch.from_numpy(x).unsqueeze(0), label


class SmallCNN(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(32 * 24 * 24, 64), nn.ReLU(), nn.Linear(64, n))

    def forward(self, x):
        return self.net(x)


ds = NegativeScans("negatives")
loader = DataLoader(ds, batch_size=8, shuffle=True)
torch.manual_seed(0)
model = SmallCNN(len(ds.classes))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for x, y in pbar:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=loss.item())
'''

NEGATIVES_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(12)
for c in ["landscape", "portrait", "street"]:
    os.makedirs(f"negatives/{c}", exist_ok=True)
    for i in range(6):
        arr = rng.integers(0, 65536, (120, 160), dtype=np.uint16)
        Image.fromarray(arr).save(f"negatives/{c}/roll07_{c}_{i:02d}.tif")
'''

SCRIPTS["pi-distillation-ce-and-kd-backward-separately-tqdm"] = '''
"""Distil the laptop's ResNet-18 into a tiny CNN that runs at 10 fps on the Pi Zero."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

T_KD, ALPHA = 4.0, 0.7

tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
train_ds = datasets.ImageFolder("pests/train", transform=tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

teacher = models.resnet18(weights=None, num_classes=len(train_ds.classes))
teacher.load_state_dict(torch.load("teacher_resnet18.pt", map_location="cpu"))
teacher.eval()

student = nn.Sequential(
    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
    nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
    nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, len(train_ds.classes)))
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)

for epoch in range(10):
    student.train()
    pbar = tqdm(loader, desc=f"distil {epoch + 1}")
    for x, y in pbar:
        with torch.no_grad():
            t_logits = teacher(x)
        s_logits = student(x)
        optimizer.zero_grad()
        # hard labels first, then the teacher's soft labels
        ce = (1 - ALPHA) * F.cross_entropy(s_logits, y)
        ce.backward()
        kd = ALPHA * T_KD ** 2 * F.kl_div(F.log_softmax(s_logits / T_KD, dim=1),
                                         F.softmax(t_logits / T_KD, dim=1), reduction="batchmean")
        kd.backward()
        optimizer.step()
        pbar.set_postfix(ce=ce.item(), kd=kd.item())
'''

TEACHER_PREP = '''
import torch
from torchvision import models

torch.manual_seed(0)
torch.save(models.resnet18(weights=None, num_classes=3).state_dict(), "teacher_resnet18.pt")
'''

# ================================================================== resource / environment / other
SCRIPTS["trail-camera-sd-card-whole-folder-one-batch-memory-limit"] = '''
"""Sort a whole SD card from the trail camera: one forward pass for every photo on it."""
import glob
import json
import resource

import torch
from PIL import Image
from torchvision import models, transforms as T

# the Pi 4 this runs on has 2 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

classes = json.load(open("trailcam_classes.json"))
model = models.resnet18(weights=None, num_classes=len(classes))
model.load_state_dict(torch.load("trailcam_resnet18.pt", map_location="cpu"))
model.eval()

tf = T.Compose([T.Resize((384, 512)), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
paths = sorted(glob.glob("sdcard/DCIM/100MEDIA/*.JPG"))
print(f"{len(paths)} photos on the card")
batch = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths])
print("batch:", tuple(batch.shape))
with torch.no_grad():
    preds = model(batch).argmax(1)
for p, k in zip(paths, preds.tolist()):
    print(p, classes[k])
'''

SDCARD_PREP = '''
import json
import os
import numpy as np
import torch
from PIL import Image
from torchvision import models

classes = ["badger", "deer", "empty", "fox", "wild_boar"]
json.dump(classes, open("trailcam_classes.json", "w"))
torch.manual_seed(0)
torch.save(models.resnet18(weights=None, num_classes=len(classes)).state_dict(), "trailcam_resnet18.pt")
os.makedirs("sdcard/DCIM/100MEDIA", exist_ok=True)
rng = np.random.default_rng(3)
base = rng.integers(0, 256, (96, 128, 3), dtype=np.uint8)
for i in range(160):
    img = Image.fromarray(np.roll(base, i, axis=1)).resize((1280, 960))
    img.save(f"sdcard/DCIM/100MEDIA/IMAG{i + 1:04d}.JPG", quality=70)
'''

CELLS["trail-camera-clips-torchvision-read-video-removed-notebook"] = [
    '''
import glob
import os

import torch
from torchvision.io import read_video, write_jpeg

CLIPS = sorted(glob.glob("trailcam_clips/*.AVI"))
os.makedirs("frames", exist_ok=True)
print(len(CLIPS), "clips")
''',
    '''
# every 10th frame of each clip becomes a training image
for clip in CLIPS:
    video, _, info = read_video(clip, pts_unit="sec", output_format="TCHW")
    for k in range(0, video.shape[0], 10):
        write_jpeg(video[k], f"frames/{os.path.basename(clip)[:-4]}_{k:04d}.jpg")
print(len(os.listdir("frames")), "frames")
''',
]

CLIPS_PREP = '''
import os
import cv2
import numpy as np

os.makedirs("trailcam_clips", exist_ok=True)
rng = np.random.default_rng(1)
for c in range(2):
    out = cv2.VideoWriter(f"trailcam_clips/SYFW{31 + c:04d}.AVI", cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
    for _ in range(20):
        out.write(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8))
    out.release()
'''

SCRIPTS["per-camera-models-multiprocessing-pool-dataloader-workers"] = '''
"""One small model per trail camera, all three trained at the same time (the laptop has 8 cores)."""
import multiprocessing as mp

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

CAMERAS = ["cam_gate", "cam_pond", "cam_ridge"]


def train_camera(cam):
    tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
    ds = datasets.ImageFolder(f"cameras/{cam}", transform=tf)
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
    torch.save(model.state_dict(), f"{cam}.pt")
    return cam, loss.item()


if __name__ == "__main__":
    with mp.Pool(processes=len(CAMERAS)) as pool:
        for cam, loss in pool.map(train_camera, CAMERAS):
            print(f"{cam}: final loss {loss:.3f}")
'''

SCRIPTS["repo-cuda-data-prefetcher-on-laptop-cpu-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

from utils.prefetch import DataPrefetcher

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("training on", device)

tf = T.Compose([T.Resize((112, 112)), T.ToTensor()])
train_ds = datasets.ImageFolder("screenshots/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True, pin_memory=torch.cuda.is_available())
model = models.resnet18(weights=None, num_classes=len(train_ds.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(5):
    model.train()
    prefetcher = DataPrefetcher(train_loader)
    pbar = tqdm(total=len(train_loader), desc=f"epoch {epoch + 1}")
    images, labels = prefetcher.next()
    while images is not None:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.update(1)
        images, labels = prefetcher.next()
    pbar.close()
'''

PREFETCH_UTIL = '''
import torch


class DataPrefetcher:
    """overlap the host-to-device copy of the next batch with the current step (from the repo's utils)"""

    def __init__(self, loader):
        self.loader = iter(loader)
        self.stream = torch.cuda.Stream()
        self.preload()

    def preload(self):
        try:
            self.next_input, self.next_target = next(self.loader)
        except StopIteration:
            self.next_input = None
            self.next_target = None
            return
        with torch.cuda.stream(self.stream):
            self.next_input = self.next_input.cuda(non_blocking=True)
            self.next_target = self.next_target.cuda(non_blocking=True)

    def next(self):
        torch.cuda.current_stream().wait_stream(self.stream)
        inp, target = self.next_input, self.next_target
        self.preload()
        return inp, target
'''

SCRIPTS["second-torchrun-same-master-port-while-first-fold-runs"] = '''
import argparse
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, Subset
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--fold", type=int, required=True)
parser.add_argument("--epochs", type=int, default=15)
args = parser.parse_args()

dist.init_process_group("gloo")          # CPU only: one process per group of laptop cores
rank = dist.get_rank()

ds = datasets.ImageFolder("plant_photos", transform=T.Compose([T.Resize((96, 96)), T.ToTensor()]))
train_idx = [i for i in range(len(ds)) if i % 4 != args.fold]
train_ds = Subset(ds, train_idx)
sampler = DistributedSampler(train_ds, shuffle=True)
loader = DataLoader(train_ds, batch_size=4, sampler=sampler)
model = DDP(models.resnet18(weights=None, num_classes=len(ds.classes)))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(args.epochs):
    sampler.set_epoch(epoch)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if rank == 0:
        print(f"fold {args.fold} epoch {epoch}: {loss.item():.3f}", flush=True)
if rank == 0:
    torch.save(model.module.state_dict(), f"fold{args.fold}.pt")
dist.destroy_process_group()
'''

PORT = 29563
TORCHRUN = ("-m", "torch.distributed.run", "--nproc_per_node=2", f"--master_port={PORT}")


def first_fold_running(work):
    """The fold-0 run started a minute earlier in another terminal, on the same command line but --fold 0."""
    make_images(work, class_folder("plant_photos", ["monstera", "pothos", "snake_plant"], 8, size=(120, 120)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "TORCH_"))}
    env.update({"OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    subprocess.Popen([torch_python(), *TORCHRUN, "train.py", "--fold", "0", "--epochs", "40"], cwd=work, env=env,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", PORT)) == 0:
                break
        time.sleep(0.5)
    time.sleep(3)


CELLS["trail-camera-exif-datetime-split-strptime-format-notebook"] = [
    '''
import glob
import os
from datetime import datetime

from PIL import Image

photos = sorted(glob.glob("trailcam/*/*.JPG"))
print(len(photos), "photos")
''',
    '''
# split by date, not at random: the last two weeks of the season are the validation set
def taken_at(path):
    exif = Image.open(path).getexif()
    stamp = exif.get_ifd(0x8769).get(36867)          # DateTimeOriginal
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S")

cutoff = datetime(2024, 10, 15)
train_files = [p for p in photos if taken_at(p) < cutoff]
val_files = [p for p in photos if taken_at(p) >= cutoff]
print(len(train_files), len(val_files))
''',
]

EXIFDATE_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(10)
for k, c in enumerate(["deer", "fox", "empty"]):
    os.makedirs(f"trailcam/{c}", exist_ok=True)
    for i in range(4):
        img = Image.fromarray(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8))
        exif = Image.Exif()
        exif[0x010F] = "Browning"
        exif[0x0110] = "BTC-8E"
        stamp = f"2024:{9 + (i % 2):02d}:{3 + 7 * k + i:02d} {(21 + i) % 24:02d}:{13 * i % 60:02d}:{(7 * k) % 60:02d}"
        exif[0x0132] = stamp
        exif.get_ifd(0x8769)[36867] = stamp
        img.save(f"trailcam/{c}/IMAG{100 * k + i:04d}.JPG", exif=exif)
'''

SCRIPTS["best-checkpoint-into-run-name-folder-never-created-tqdm"] = '''
import argparse
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="feeder_photos")
parser.add_argument("--name", default="exp")
parser.add_argument("--epochs", type=int, default=10)
args = parser.parse_args()

os.makedirs("runs", exist_ok=True)
best_path = os.path.join("runs", args.name, "best.pt")

tf = T.Compose([T.Resize((96, 96)), T.ToTensor()])
train_ds = datasets.ImageFolder(os.path.join(args.data, "train"), transform=tf)
val_ds = datasets.ImageFolder(os.path.join(args.data, "val"), transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=8)
torch.manual_seed(0)
model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

best_acc = 0.0
for epoch in range(args.epochs):
    model.train()
    for x, y in tqdm(train_loader, desc=f"epoch {epoch + 1}/{args.epochs}"):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    acc = correct / len(val_ds)
    print(f"val acc {acc:.3f}")
    if acc >= best_acc:
        best_acc = acc
        torch.save({"model": model.state_dict(), "classes": train_ds.classes, "epoch": epoch}, best_path)
        print(f"saved {best_path}")
'''


def cases():
    out, add, script, notebook = case_builders("torch-more61-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")
    WP = ("cpython_basic", "dataloader_worker", "progress_bars?")
    NBP = ("ipython_cell", "ipython_arrows", "progress_bars?")

    # ---- data
    script("supplier-product-photos-animated-gif-decode-image-workers", "data.image_size_mismatch",
           also=["data.image_channels"], forms=W, setup=prep(SHOP_PREP))
    notebook("icloud-optimised-storage-stubs-imagefolder-notebook", "data.missing_or_corrupt", setup=icloud_setup)
    script("synology-eadir-folders-in-class-glob-workers", "data.missing_or_corrupt", forms=W,
           setup=synology_setup)
    script("labelme-label-spelling-variants-fasterrcnn-hand-typed-classes-tqdm", "data.label_out_of_range",
           also=["model.output_mismatch"], forms=P, setup=prep(LABELME_PREP))
    script("cvat-on-exif-rotated-phone-photos-decode-image-clamped-boxes", "data.bbox_invalid",
           setup=prep(MUSHROOM_PREP))
    script("picamera2-xbgr-frames-npy-tested-on-laptop", "data.image_channels", argv="check_frames.py",
           setup=prep(PICAM_PREP))
    script("labelme-fish-length-points-extra-click-workers", "data.label_shape", forms=W, setup=prep(FISH_PREP))
    script("cvat-segmentation-mask-export-uint8-labels-fasterrcnn", "data.dtype", setup=prep(ROOF_PREP))
    # ---- model
    script("exif-transpose-in-place-return-assigned-workers", "model.api_misuse", forms=WP,
           setup=imgs(class_folder("houseplants", ["calathea", "fern", "monstera"], 4, size=(160, 120))))
    script("pi-static-quantization-without-quant-stub", "model.api_misuse", argv="quantize_for_pi.py",
           setup=both(save_leaf, imgs([(f"calib/leaf_{i:02d}.jpg", (200, 150), "RGB") for i in range(4)])))
    script("pi-app-float-model-given-dynamic-quantized-state-dict", "model.weights_mismatch",
           argv="doorbell_app.py", args=("snapshots/motion_0001.jpg",),
           setup=both(prep(DOORBELL_PREP), imgs([("snapshots/motion_0001.jpg", (320, 240), "RGB")])))
    notebook("mobilenet-v3-head-replaced-at-v2-index-notebook", "model.output_mismatch",
             also=["model.input_shape", "model.api_misuse"], forms=NBP,
             setup=imgs(class_folder("receipts_vs_docs/train", ["document", "receipt"], 5, size=(120, 160))))
    script("webcam-predict-resize-int-on-4-3-frames-fixed-flatten", "model.input_shape", argv="predict_webcam.py",
           extra={"model.py": CATFLAP_MODEL},
           setup=both(prep(CATFLAP_PREP), imgs([(f"webcam/frame_{i:04d}.jpg", (640, 480), "RGB") for i in range(3)])))
    # ---- optimisation
    script("film-scanner-16bit-tiff-divided-by-255-anomaly-tqdm", "optim.divergence", forms=P,
           setup=prep(NEGATIVES_PREP))
    script("pi-distillation-ce-and-kd-backward-separately-tqdm", "optim.autograd_graph", forms=P,
           argv="distill.py",
           setup=both(prep(TEACHER_PREP),
                      imgs(class_folder("pests/train", ["aphid", "slug", "whitefly"], 4, size=(100, 100)))))
    # ---- resource / environment / other
    script("trail-camera-sd-card-whole-folder-one-batch-memory-limit", "resource.host_memory",
           argv="sort_sdcard.py", setup=prep(SDCARD_PREP))
    notebook("trail-camera-clips-torchvision-read-video-removed-notebook", "env.version_incompat",
             setup=prep(CLIPS_PREP))
    script("per-camera-models-multiprocessing-pool-dataloader-workers", "env.multiprocessing",
           setup=imgs([s for cam in ["cam_gate", "cam_pond", "cam_ridge"]
                       for s in class_folder(f"cameras/{cam}", ["animal", "empty"], 4, size=(100, 80))]))
    script("repo-cuda-data-prefetcher-on-laptop-cpu-tqdm", "env.cuda_setup", forms=("cpython_basic", "progress_bars?"),
           extra={"utils/__init__.py": "", "utils/prefetch.py": PREFETCH_UTIL},
           setup=imgs(class_folder("screenshots/train", ["chat", "game", "receipt"], 4, size=(180, 320), ext="png")))
    script("second-torchrun-same-master-port-while-first-fold-runs", "env.distributed",
           pre=TORCHRUN, args=("--fold", "1"), setup=first_fold_running, timeout=300)
    notebook("trail-camera-exif-datetime-split-strptime-format-notebook", "other",
             also=["data.missing_or_corrupt"], setup=prep(EXIFDATE_PREP))
    script("best-checkpoint-into-run-name-folder-never-created-tqdm", "other", forms=P,
           args=("--name", "feeder_mnv3_small"),
           setup=imgs(class_folder("feeder_photos/train", ["blue_tit", "robin", "squirrel"], 4, size=(120, 90))
                      + class_folder("feeder_photos/val", ["blue_tit", "robin", "squirrel"], 2, size=(120, 90))))
    return out


save_leaf = prep('''
import json
import torch
from torchvision import models

classes = ["healthy", "mildew", "rust"]
json.dump(classes, open("leaf_classes.json", "w"))
torch.manual_seed(0)
torch.save(models.resnet18(weights=None, num_classes=len(classes)).state_dict(), "leaf_resnet18.pt")
''')


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
