"""A twenty-fifth held-out set of PyTorch / torchvision / ImageAI 3 failures: the seed
causes of the tool as first-GPU users of ImageAI 3 and plain PyTorch meet them, in
varied log forms (plain scripts, notebooks, DataLoader worker tracebacks, tqdm bars,
``logging`` lines, ANSI-coloured training logs, stderr routed through a logger and a
job wrapper that stamps every line).

Images of inconsistent size or channel count reaching a batch: phone photos of two
orientations batched for prediction, per-sample multi-scale sizes under a ``torch.cat``
collate, a letterbox that only shrinks, ``thumbnail`` sizes into ``torch.tensor``,
frames of two cameras, sticker PNGs whose alpha survives ``read_image``, 16-bit
electroluminescence PNGs kept 16-bit (and single-channel) by ``cv2.IMREAD_UNCHANGED``,
greyscale JPEGs in a hand-written letterbox, RGBA screenshots, a
greyscale scan read for inference, CMYK print proofs and a grey+alpha PNG handed to
ImageAI.

Boxes: COCO ids used as list indices and COCO xywh read as corners in converters to
ImageAI's YOLO txt, a single-class export without the class column, YOLO rows fed to
Faster R-CNN, VOC ``bndbox`` children read by position, crops from boxes dragged past
the image border, pixel YOLO rows in a grid-target builder, images without boxes.

Classes: a stale ``data.yaml`` class count, a validation folder with one more class, an
"unsure" label 255. Model outputs: no background class in Faster R-CNN, a custom
detector returning a tensor (training and evaluation), a 1000-way head under a
5-tag BCE, a CNN without ``flatten``, a YOLO head built for COCO, GoogLeNet's aux
outputs and a CIFAR tutorial head under MSE. Calls: ``torch.load`` of a loaded state
dict, a trailing comma in a config tuple given to ``setDataDirectory``, an open file
given to ``setModelPath``, a config dict as ``ImageFolder`` root, a notebook cell run
before ``setDataDirectory``, a PIL image given to ``cv2.imread``, ``Normalize`` before
``ToTensor`` and ``ToTensor`` on a tensor. Divergence: a one-object detector whose
pixel-box MSE blows up its shared trunk until the objectness BCE sees NaN, Faster R-CNN
at lr 5 under anomaly detection, a Gaussian box head and an object-count regressor on
raw pixels stopped by a detectron2-style non-finite loss check.

ImageAI 3 detection trainers here all fail before their validation step (which fails
on NumPy 2 with ``np.trapz``). Every case is a small real program run on CPU with the
torch venv (no GPU, no downloads); the label is known by construction.

    /work/venvs/torch/bin/python corpus/generators/torch_more25.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, write, yolo_layout  # noqa: E402

SRC = "corpus/generators/torch_more25.py"


# ====================================================================== setups
def good_rows(split, i):
    k = 0.02 * i + (0.01 if split == "validation" else 0.0)
    rows = [(0, 0.5, 0.5, 0.4 + k, 0.5 - k), (1, 0.25 + k, 0.3, 0.2, 0.25 + k), (0, 0.7, 0.7 - k, 0.3 + k, 0.2)]
    return "".join(f"{c} {a:.4f} {b:.4f} {w:.4f} {h:.4f}\n" for c, a, b, w, h in rows)


flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 4, size=(72, 64))
               + class_folder("flowers/val", ("daisy", "rose", "tulip"), 2, size=(72, 64)))
leaves = imgs(class_folder("leaves/train", ("healthy", "rust", "scab"), 4, size=(64, 64))
              + class_folder("leaves/val", ("healthy", "rust", "scab"), 2, size=(64, 64)))

# weights + detection config written by an earlier ImageAI training run (random weights, same layout)
TINY_WEIGHTS = '''
import json, os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
os.makedirs("parcels/models", exist_ok=True); os.makedirs("parcels/json", exist_ok=True)
anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(),
           "parcels/models/tiny-yolov3_parcels_mAP-0.52113_epoch-40.pt")
json.dump({"labels": ["parcel", "label"], "anchors": anchors},
          open("parcels/json/parcels_tiny-yolov3_detection_config.json", "w"))
'''
tiny_weights = prep(TINY_WEIGHTS)


# ====================================================================== scripts
SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ 1. image sizes
SCRIPTS["predict-folder-phone-photos-two-orientations-logging"] = r'''
import glob
import logging

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("predict")

CLASSES = ["ripe", "unripe", "overripe"]
# the training crops were already 96x96, so no Resize here
tf = transforms.Compose([transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

model = models.resnet18(num_classes=len(CLASSES))
model.eval()

paths = sorted(glob.glob("incoming/*.jpg"))
log.info("found %d images in incoming/", len(paths))
for start in range(0, len(paths), 4):
    chunk = paths[start:start + 4]
    log.info("batch %d: %s", start // 4, ", ".join(p.split("/")[-1] for p in chunk))
    batch = torch.stack([tf(Image.open(p).convert("RGB")) for p in chunk])
    with torch.no_grad():
        probs = model(batch).softmax(1)
    for p, row in zip(chunk, probs):
        log.info("%s -> %s (%.2f)", p, CLASSES[row.argmax()], row.max())
'''
phone_photos = imgs([(f"incoming/IMG_20240{i:03d}.jpg", (128, 96) if i % 3 else (96, 128), "RGB") for i in range(8)])

SCRIPTS["multiscale-size-drawn-per-sample-cat-collate-workers"] = r'''
import json
import random

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

SCALES = [256, 288, 320]   # multi-scale training, as in the YOLO papers


class Shelves(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        size = random.choice(SCALES)
        img = Image.open(f"{self.root}/{it['file']}").convert("RGB")
        w, h = img.size
        img = TF.to_tensor(img.resize((size, size)))
        boxes = torch.tensor(it["boxes"], dtype=torch.float32) * torch.tensor([size / w, size / h] * 2)
        return img, boxes


def collate(batch):
    images = torch.cat([b[0][None] for b in batch], 0)
    targets = [b[1] for b in batch]
    return images, targets


def main():
    random.seed(3)
    loader = DataLoader(Shelves("data/shelves"), batch_size=4, shuffle=True, num_workers=2, collate_fn=collate)
    backbone = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, 2, 1), torch.nn.ReLU(), torch.nn.Conv2d(16, 5, 1))
    opt = torch.optim.SGD(backbone.parameters(), lr=0.01)
    for epoch in range(2):
        for images, targets in loader:
            out = backbone(images)
            loss = F.smooth_l1_loss(out.mean((2, 3))[:, :4], torch.stack([t[0] for t in targets]) / images.shape[-1])
            opt.zero_grad()
            loss.backward()
            opt.step()
            print(f"epoch {epoch} size {images.shape[-1]} loss {loss.item():.4f}", flush=True)


if __name__ == "__main__":
    main()
'''


def det_json(root, n, size, boxes, labels=None, name="labels.json"):
    def setup(work: Path):
        make_images(work, [(f"{root}/images/img_{i:03d}.jpg", size if isinstance(size, tuple) else size(i), "RGB")
                           for i in range(n)])
        items = []
        for i in range(n):
            b = boxes(i)
            lab = labels(i) if labels else [1 + j % 2 for j in range(len(b))]
            items.append({"file": f"images/img_{i:03d}.jpg", "boxes": b, "labels": lab})
        (work / root / name).write_text(json.dumps(items, indent=1))
    return setup


def spread_boxes(i, w=160, h=120):
    b = [[10 + 3 * i, 12, 60 + 3 * i, 70], [80, 30 + 2 * i, 140, 100]]
    if i % 2:
        b.append([30, 75, 70, 110])
    return [[min(x1, w - 2), min(y1, h - 2), min(x2, w - 1), min(y2, h - 1)] for x1, y1, x2, y2 in b]


shelves = det_json("data/shelves", 8, (160, 120), spread_boxes)

SCRIPTS["letterbox-shrinks-only-np-stack-collate-tqdm"] = r'''
import glob

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

IMG = 128


def letterbox(img, size=IMG):
    h, w = img.shape[:2]
    if max(h, w) > size:                       # shrink big frames, small ones are "already fine"
        r = size / max(h, w)
        img = cv2.resize(img, (round(w * r), round(h * r)))
        h, w = img.shape[:2]
        top, left = (size - h) // 2, (size - w) // 2
        img = cv2.copyMakeBorder(img, top, size - h - top, left, size - w - left, cv2.BORDER_CONSTANT,
                                 value=(114, 114, 114))
    return img


class Frames(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = letterbox(cv2.imread(self.files[i]))
        return img[:, :, ::-1].transpose(2, 0, 1), i


def collate(batch):
    images = np.stack([b[0] for b in batch]).astype(np.float32) / 255.0
    return torch.from_numpy(images), [b[1] for b in batch]


loader = DataLoader(Frames("frames/train"), batch_size=4, shuffle=False, collate_fn=collate)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, 2, 1), torch.nn.SiLU(), torch.nn.Conv2d(8, 18, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for images, ids in tqdm(loader, desc=f"epoch {epoch}"):
        loss = model(images).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
'''
frames_mixed = imgs([(f"frames/train/cam_{i:03d}.jpg", (200, 150) if i < 9 else (120, 90), "RGB") for i in range(12)])

CELLS["thumbnail-keeps-aspect-torch-tensor-notebook"] = [
    r'''import glob
import numpy as np
import torch
from PIL import Image''',
    r'''paths = sorted(glob.glob("birds/*/*.jpg"))
classes = sorted({p.split("/")[1] for p in paths})
print(len(paths), classes)''',
    r'''arrays, labels = [], []
for p in paths:
    im = Image.open(p).convert("RGB")
    im.thumbnail((96, 96))          # shrink in place to at most 96x96
    arrays.append(np.asarray(im, dtype=np.float32) / 255.0)
    labels.append(classes.index(p.split("/")[1]))
print(arrays[0].shape)''',
    r'''X = torch.tensor(arrays).permute(0, 3, 1, 2)
y = torch.tensor(labels)
X.shape, y.shape''',
]
birds = imgs([(f"birds/{c}/{c}_{i}.jpg", (160, 160) if i < 3 else (160, 120), "RGB")
              for c in ("finch", "robin", "sparrow") for i in range(4)])

SCRIPTS["two-camera-npy-frames-default-collate-ansi"] = r'''
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

GREEN, YELLOW, RESET = "\033[32m", "\033[33m", "\033[0m"


class FrameCache(Dataset):
    """frames decoded once with ffmpeg and cached as .npy (uint8, HxWx3), label in the file name"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.npy"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        frame = torch.from_numpy(np.load(self.files[i])).permute(2, 0, 1).float() / 255
        label = int(self.files[i].rsplit("_", 1)[1][0])
        return frame, label


ds = FrameCache("cache/frames")
print(f"{GREEN}[data]{RESET} {len(ds)} cached frames")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
torch.manual_seed(0)
for epoch in range(3):
    print(f"{YELLOW}[train]{RESET} epoch {epoch + 1}/3")
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"{GREEN}[train]{RESET} loss {loss.item():.4f}")
'''
two_cams = prep('''
import os
import numpy as np
os.makedirs("cache/frames", exist_ok=True)
rng = np.random.default_rng(0)
for i in range(10):
    shape = (72, 128, 3) if i < 6 else (60, 80, 3)     # gate camera 1280x720, dock camera 640x480
    np.save(f"cache/frames/cam{1 if i < 6 else 2}_{i:03d}_{i % 2}.npy", rng.integers(0, 255, shape, dtype=np.uint8))
''')

# ------------------------------------------------------------------ 2. image channels
SCRIPTS["sticker-pngs-read-image-alpha-colorjitter-workers"] = r'''
import glob
import os

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms import v2


class Stickers(Dataset):
    def __init__(self, root, transform):
        self.classes = sorted(os.listdir(root))
        self.samples = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.png"))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        return self.transform(read_image(path)), label


train_tf = v2.Compose([
    v2.Resize((64, 64), antialias=True),
    v2.RandomHorizontalFlip(),
    v2.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.05),
    v2.ToDtype(torch.float32, scale=True),
])

if __name__ == "__main__":
    loader = DataLoader(Stickers("stickers/train", train_tf), batch_size=4, shuffle=True, num_workers=2)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                                torch.nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())
'''
stickers = imgs([(f"stickers/train/{c}/{c}_{i}.png", (80, 80), "RGBA") for c in ("cat", "heart", "star") for i in range(4)])

SCRIPTS["el-panels-16bit-gray-png-cv2-unchanged-bgr-slice-tqdm"] = r'''
import glob

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

CLASSES = ["ok", "crack", "hotspot"]


class PanelDataset(Dataset):
    def __init__(self, root):
        self.samples = [(p, i) for i, c in enumerate(CLASSES) for p in sorted(glob.glob(f"{root}/{c}/*"))]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        img = cv2.imread(path, cv2.IMREAD_UNCHANGED)          # keep full bit depth
        img = np.ascontiguousarray(img[:, :, ::-1])           # BGR -> RGB
        img = cv2.resize(img, (96, 96)).astype(np.float32)
        img /= 65535.0 if img.max() > 255 else 255.0
        return torch.from_numpy(img).permute(2, 0, 1), label


loader = DataLoader(PanelDataset("panels/train"), batch_size=4, shuffle=False)
model = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, 2), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                            torch.nn.Flatten(), torch.nn.Linear(16, len(CLASSES)))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    running = 0.0
    for x, y in tqdm(loader, desc=f"Epoch {epoch + 1}/3", unit="batch"):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running += loss.item()
    print(f"train loss {running / len(loader):.4f}")
'''
el_panels = both(
    imgs([(f"panels/train/{c}/drone_{i:02d}.jpg", (120, 100), "RGB") for c in ("ok", "crack") for i in range(4)]),
    prep('''
import os
import numpy as np
import cv2
os.makedirs("panels/train/hotspot", exist_ok=True)
rng = np.random.default_rng(1)
for i in range(3):   # electroluminescence camera: 16-bit single-channel PNG
    cv2.imwrite(f"panels/train/hotspot/el_{i:02d}.png", rng.integers(0, 65535, (100, 120), dtype=np.uint16))
'''))

SCRIPTS["letterbox-hwc-unpack-grayscale-jpgs-workers"] = r'''
import glob

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


def letterbox(img, size=128):
    h, w, c = img.shape
    r = size / max(h, w)
    nh, nw = int(h * r), int(w * r)
    resized = np.asarray(Image.fromarray(img).resize((nw, nh)))
    canvas = np.full((size, size, c), 114, dtype=np.uint8)
    top, left = (size - nh) // 2, (size - nw) // 2
    canvas[top:top + nh, left:left + nw] = resized
    return canvas


class Helmets(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.files[i]))
        img = letterbox(img)
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255.0


def main():
    loader = DataLoader(Helmets("helmets/images"), batch_size=4, shuffle=True, num_workers=2)
    for epoch in range(2):
        for batch in loader:
            print(epoch, tuple(batch.shape), flush=True)


if __name__ == "__main__":
    main()
'''
helmets_gray = imgs([(f"helmets/images/site_{i:03d}.jpg", (160, 120), "RGB") for i in range(8)]
                    + [(f"helmets/images/nightcam_{i:03d}.jpg", (160, 120), "L") for i in range(4)])

SCRIPTS["ui-screenshot-classifier-rgba-normalize-ansi"] = r'''
import logging
import sys

import torch
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class Colour(logging.Formatter):
    COLOURS = {"INFO": "\033[36m", "WARNING": "\033[33m", "ERROR": "\033[31m"}

    def format(self, record):
        return f"{self.COLOURS.get(record.levelname, '')}{record.levelname:<7}\033[0m {record.getMessage()}"


handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(Colour())
log = logging.getLogger("ui-cls")
log.addHandler(handler)
log.setLevel(logging.INFO)


def open_png(path):
    return Image.open(path)          # screenshots are PNG already, no conversion needed


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train = datasets.ImageFolder("screens/train", transform=tf, loader=open_png)
log.info("classes: %s", train.classes)
log.info("%d training screenshots", len(train))
loader = DataLoader(train, batch_size=4, shuffle=True)
model = models.mobilenet_v3_small(num_classes=len(train.classes))
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(2):
    log.info("epoch %d", epoch + 1)
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    log.info("loss %.4f", loss.item())
'''
screens = imgs(class_folder("screens/train", ("button", "checkbox", "dropdown"), 3, size=(120, 60), mode="RGBA",
                            ext="png"))

CELLS["scanned-form-gray-read-image-conv-notebook"] = [
    r'''import torch
import torchvision
from torchvision.io import read_image
from torchvision.transforms import v2''',
    r'''# classifier trained last week on colour photos of forms (3 classes)
model = torchvision.models.efficientnet_b0(num_classes=3)
model.load_state_dict(torch.load("form_classifier_effb0.pt", map_location="cpu"))
model.eval()
CLASSES = ["invoice", "receipt", "id_card"]''',
    r'''prep = v2.Compose([v2.Resize((224, 224), antialias=True), v2.ToDtype(torch.float32, scale=True)])''',
    r'''img = read_image("scans/scan_0007.jpg")     # from the office scanner
x = prep(img).unsqueeze(0)
x.shape''',
    r'''with torch.no_grad():
    logits = model(x)
CLASSES[logits.argmax(1).item()]''',
]
scan_setup = both(
    imgs([("scans/scan_0007.jpg", (180, 240), "L")]),
    prep('''
import torch, torchvision
torch.save(torchvision.models.efficientnet_b0(num_classes=3).state_dict(), "form_classifier_effb0.pt")
'''))

SCRIPTS["print-proofs-cmyk-totensor-resnet-logging"] = r'''
import logging

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

logging.basicConfig(level=logging.INFO, format="[%(asctime)s] %(levelname)s - %(message)s")


def load_proof(path):
    from PIL import Image
    img = Image.open(path)
    img.load()
    return img


tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
data = datasets.ImageFolder("proofs/train", transform=tf, loader=load_proof)
logging.info("classes=%s n=%d", data.classes, len(data))
loader = DataLoader(data, batch_size=4, shuffle=True)
model = models.resnet18(num_classes=len(data.classes))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(2):
    for step, (x, y) in enumerate(loader):
        logging.info("epoch %d step %d batch %s", epoch, step, tuple(x.shape))
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''
proofs = imgs(class_folder("proofs/train", ("misregistered", "ok"), 3, size=(96, 80), mode="CMYK"))

SCRIPTS["imageai-custom-detect-gray-alpha-png-array"] = r'''
import numpy as np
from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("parcels/models/tiny-yolov3_parcels_mAP-0.52113_epoch-40.pt")
detector.setJsonPath("parcels/json/parcels_tiny-yolov3_detection_config.json")
detector.loadModel()

for name in ["conveyor_001.png", "conveyor_002.png"]:
    frame = np.array(Image.open(f"exports/{name}"))      # exported from the labelling tool
    print(name, frame.shape, frame.dtype)
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=70)
    print(f"  {len(detections)} objects above 70%")
'''
la_pngs = both(tiny_weights, imgs([("exports/conveyor_001.png", (160, 120), "RGB")]), prep('''
import numpy as np
from PIL import Image
rng = np.random.default_rng(2)
Image.fromarray(rng.integers(0, 255, (120, 160, 2), dtype=np.uint8), mode="LA").save("exports/conveyor_002.png")
'''))

# ------------------------------------------------------------------ 3. boxes
SCRIPTS["imageai-det-coco-converter-image-index-not-id"] = r'''
import json
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

# --- convert the COCO export from the labelling tool to ImageAI's YOLO txt layout ---
def coco_to_yolo(coco_json, image_dir, out_dir, names):
    coco = json.load(open(coco_json))
    os.makedirs(f"{out_dir}/images", exist_ok=True)
    os.makedirs(f"{out_dir}/annotations", exist_ok=True)
    cat_index = {c["id"]: names.index(c["name"]) for c in coco["categories"]}
    lines = {}
    for a in coco["annotations"]:
        img = coco["images"][a["image_id"]]            # image record of this annotation
        x, y, w, h = a["bbox"]
        row = (cat_index[a["category_id"]], (x + w / 2) / img["width"], (y + h / 2) / img["height"],
               w / img["width"], h / img["height"])
        lines.setdefault(a["image_id"], []).append("%d %.6f %.6f %.6f %.6f" % row)
    for im in coco["images"]:
        shutil.copy(f"{image_dir}/{im['file_name']}", f"{out_dir}/images/{im['file_name']}")
        stem = os.path.splitext(im["file_name"])[0]
        with open(f"{out_dir}/annotations/{stem}.txt", "w") as f:
            f.write("\n".join(lines.get(im["id"], [])) + "\n")


NAMES = ["pothole", "crack"]
coco_to_yolo("export/train.json", "export/train", "roads/train", NAMES)
coco_to_yolo("export/val.json", "export/val", "roads/validation", NAMES)
print("converted", len(os.listdir("roads/train/annotations")), "train files")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="roads")
trainer.setTrainConfig(object_names_array=NAMES, batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def coco_export(work: Path):
    specs = []
    for split, n in (("train", 6), ("val", 2)):
        images, anns = [], []
        for i in range(n):
            w, h = ((320, 240), (160, 120))[i % 2]     # dashcam frames and phone thumbnails
            fn = f"{split}_{i:03d}.jpg"
            specs.append((f"export/{split}/{fn}", (w, h), "RGB"))
            images.append({"id": i + 1, "file_name": fn, "width": w, "height": h})
            for j in range(2):
                bw, bh = w * (0.2 + 0.05 * j), h * (0.25 + 0.04 * i)
                anns.append({"id": len(anns) + 1, "image_id": i + 1, "category_id": 1 + j,
                             "bbox": [round(w * (0.15 + 0.4 * j), 1), round(h * 0.3, 1), round(bw, 1), round(bh, 1)]})
        anns = [a for a in anns if a["image_id"] < n]     # the last image had no labels yet
        (work / "export").mkdir(exist_ok=True)
        (work / f"export/{split}.json").write_text(json.dumps({
            "images": images, "annotations": anns,
            "categories": [{"id": 1, "name": "pothole"}, {"id": 2, "name": "crack"}]}))
    make_images(work, specs)


SCRIPTS["imageai-det-single-class-export-no-class-column"] = r'''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="solar")
trainer.setTrainConfig(object_names_array=["panel"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''


def no_class_column(split, i):
    """the tool's single-class 'boxes only' export: cx cy w h, no class id"""
    k = 0.02 * i
    return "".join(f"{a:.5f} {b:.5f} {c:.5f} {d:.5f}\n"
                   for a, b, c, d in ((0.3, 0.4, 0.2 + k, 0.15), (0.65 + k, 0.5, 0.22, 0.18 + k), (0.5, 0.8, 0.3, 0.12)))


solar = yolo_layout("solar", no_class_column)

CELLS["imageai-det-coco-xywh-as-corners-converter-notebook"] = [
    r'''import json, os, shutil
from imageai.Detection.Custom import DetectionModelTrainer''',
    r'''def convert(split_json, img_dir, out_dir):
    with open(split_json) as f:
        coco = json.load(f)
    size = {im["id"]: (im["width"], im["height"]) for im in coco["images"]}
    names = {im["id"]: im["file_name"] for im in coco["images"]}
    os.makedirs(out_dir + "/images", exist_ok=True)
    os.makedirs(out_dir + "/annotations", exist_ok=True)
    rows = {}
    for a in coco["annotations"]:
        W, H = size[a["image_id"]]
        x1, y1, x2, y2 = a["bbox"]
        cx, cy, bw, bh = (x1 + x2) / 2 / W, (y1 + y2) / 2 / H, (x2 - x1) / W, (y2 - y1) / H
        rows.setdefault(a["image_id"], []).append(f"{a['category_id'] - 1} {cx:.6f} {cy:.6f} {bw:.6f} {bh:.6f}")
    for i, fn in names.items():
        shutil.copy(os.path.join(img_dir, fn), os.path.join(out_dir, "images", fn))
        with open(os.path.join(out_dir, "annotations", fn.rsplit(".", 1)[0] + ".txt"), "w") as f:
            f.write("\n".join(rows.get(i, [])))

convert("export/train.json", "export/train", "roads/train")
convert("export/val.json", "export/val", "roads/validation")
with open("roads/train/annotations/train_000.txt") as f:
    print(f.read())''',
    r'''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="roads")
trainer.setTrainConfig(object_names_array=["pothole", "crack"], batch_size=4, num_experiments=30)''',
    r'''trainer.trainModel()''',
]

SCRIPTS["frcnn-yolo-txt-rows-as-xyxy-tqdm"] = r'''
import glob
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm


class YoloTxtDataset(Dataset):
    """images/*.jpg + labels/*.txt, exported from Roboflow as 'YOLO v5 PyTorch'"""

    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        label = os.path.join(self.root, "labels", os.path.basename(path)[:-4] + ".txt")
        rows = [list(map(float, l.split())) for l in open(label) if l.strip()]
        target = {"boxes": torch.tensor([r[1:] for r in rows], dtype=torch.float32),
                  "labels": torch.tensor([int(r[0]) + 1 for r in rows], dtype=torch.int64)}
        return TF.to_tensor(Image.open(path).convert("RGB")), target


loader = DataLoader(YoloTxtDataset("dataset/train"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=160, max_size=200)
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
model.train()
for epoch in range(5):
    bar = tqdm(loader, desc=f"Epoch {epoch}")
    for images, targets in bar:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        bar.set_postfix(loss=f"{loss.item():.3f}")
'''
yolo_rows_ds = yolo_layout("dataset", lambda s, i: good_rows(s, i), splits=(("train", 4),), ann="labels")

SCRIPTS["frcnn-voc-bndbox-children-read-by-position-logging"] = r'''
import glob
import logging
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF

logging.basicConfig(level=logging.INFO, format="%(asctime)s - %(name)s - %(levelname)s - %(message)s")
logger = logging.getLogger("train_detector")
CLASSES = ["__background__", "dog", "cat"]


class VOCDataset(Dataset):
    def __init__(self, root):
        self.xmls = sorted(glob.glob(f"{root}/Annotations/*.xml"))
        self.root = root

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        tree = ET.parse(self.xmls[i])
        boxes, labels = [], []
        for obj in tree.findall("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(child.text) for child in bb)     # xmin, ymin, xmax, ymax
            boxes.append([x1, y1, x2, y2])
            labels.append(CLASSES.index(obj.find("name").text))
        img = Image.open(f"{self.root}/JPEGImages/{tree.find('filename').text}").convert("RGB")
        return TF.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


ds = VOCDataset("pets_voc")
logger.info("loaded %d annotated images", len(ds))
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                          min_size=160, max_size=200)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(10):
    for it, (images, targets) in enumerate(loader):
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        logger.info("epoch %d iter %d loss %.4f", epoch, it, loss.item())
'''


def voc_xml_setup(work: Path):
    """VoTT-style export: bndbox children written as xmin, xmax, ymin, ymax"""
    specs = []
    (work / "pets_voc/Annotations").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        fn = f"pet_{i:03d}.jpg"
        specs.append((f"pets_voc/JPEGImages/{fn}", (200, 150), "RGB"))
        objs = ""
        for j, (x1, y1, x2, y2) in enumerate(((20 + 5 * i, 40, 90, 130), (110, 15 + 3 * i, 185, 100))):
            objs += (f"  <object>\n    <name>{('dog', 'cat')[j]}</name>\n    <bndbox>\n"
                     f"      <xmin>{x1}</xmin>\n      <xmax>{x2}</xmax>\n      <ymin>{y1}</ymin>\n"
                     f"      <ymax>{y2}</ymax>\n    </bndbox>\n  </object>\n")
        (work / f"pets_voc/Annotations/pet_{i:03d}.xml").write_text(
            f"<annotation>\n  <folder>JPEGImages</folder>\n  <filename>{fn}</filename>\n"
            f"  <size><width>200</width><height>150</height><depth>3</depth></size>\n{objs}</annotation>\n")
    make_images(work, specs)


SCRIPTS["crop-classifier-coco-boxes-past-border-cv2-resize-workers"] = r'''
import json

import cv2
import torch
from torch.utils.data import DataLoader, Dataset


class CropDataset(Dataset):
    """one sample per COCO box: the crop, resized, with its category (for a second-stage classifier)"""

    def __init__(self, coco_path, image_dir):
        coco = json.load(open(coco_path))
        files = {im["id"]: im["file_name"] for im in coco["images"]}
        self.samples = [(f"{image_dir}/{files[a['image_id']]}", a["bbox"], a["category_id"] - 1)
                        for a in coco["annotations"]]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, (x, y, w, h), label = self.samples[i]
        img = cv2.imread(path)
        crop = img[int(y):int(y + h), int(x):int(x + w)]
        crop = cv2.resize(crop, (64, 64))
        return torch.from_numpy(crop).permute(2, 0, 1).float() / 255.0, label


def main():
    ds = CropDataset("fish/annotations.json", "fish/images")
    print(len(ds), "crops")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, 2), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                                torch.nn.Flatten(), torch.nn.Linear(16, 3))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch} loss {loss.item():.3f}", flush=True)


if __name__ == "__main__":
    main()
'''


def fish_setup(work: Path):
    images, anns, specs = [], [], []
    for i in range(5):
        fn = f"tank_{i:03d}.jpg"
        specs.append((f"fish/images/{fn}", (200, 150), "RGB"))
        images.append({"id": i, "file_name": fn, "width": 200, "height": 150})
        for j in range(3):
            x, y, w, h = 20 + 50 * j, 30 + 5 * i, 40, 30
            if i == 3 and j == 0:
                x, w = -30.0, 62       # box dragged past the left edge in the annotation tool
            anns.append({"id": len(anns), "image_id": i, "category_id": 1 + j, "bbox": [x, y, w, h]})
    (work / "fish").mkdir(exist_ok=True)
    (work / "fish/annotations.json").write_text(json.dumps({"images": images, "annotations": anns,
                                                            "categories": [{"id": k} for k in (1, 2, 3)]}))
    make_images(work, specs)


SCRIPTS["yolo-grid-targets-pixel-rows-index-ansi"] = r'''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF

S, NC = 7, 2
BOLD, BLUE, RESET = "\033[1m", "\033[34m", "\033[0m"


class YoloV1Data(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((112, 112)))
        target = torch.zeros(S, S, 5 + NC)
        for line in open(self.images[i].replace("images", "labels").replace(".jpg", ".txt")):
            c, cx, cy, w, h = map(float, line.split())
            gi, gj = int(cx * S), int(cy * S)
            target[gj, gi, :5] = torch.tensor([cx * S - gi, cy * S - gj, w, h, 1.0])
            target[gj, gi, 5 + int(c)] = 1.0
        return img, target


model = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(S), nn.Conv2d(32, 5 + NC, 1))
loader = DataLoader(YoloV1Data("boats"), batch_size=4, shuffle=True)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    print(f"{BOLD}{BLUE}==> Epoch {epoch + 1}/3{RESET}")
    for x, t in loader:
        pred = model(x).permute(0, 2, 3, 1)
        loss = ((pred - t) ** 2).sum() / x.shape[0]
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"    loss {loss.item():.3f}")
'''


def boats_pixel_rows(work: Path):
    specs = []
    (work / "boats/labels").mkdir(parents=True, exist_ok=True)
    for i in range(6):
        specs.append((f"boats/images/harbour_{i:03d}.jpg", (640, 480), "RGB"))
        if i < 4:
            rows = f"0 {0.3 + 0.05 * i:.4f} 0.4500 0.2000 0.1500\n1 0.7000 {0.6 + 0.02 * i:.4f} 0.1200 0.2500\n"
        else:   # labelled later with a different tool: pixel centre/size
            rows = f"0 {212 + 10 * i} 233 96 71\n1 455 {300 + i} 60 118\n"
        (work / f"boats/labels/harbour_{i:03d}.txt").write_text(rows)
    make_images(work, specs)


SCRIPTS["frcnn-coco-negative-images-empty-boxes-tensor"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF


class CocoDet(Dataset):
    def __init__(self, root):
        coco = json.load(open(f"{root}/_annotations.coco.json"))
        self.root = root
        self.images = coco["images"]
        self.anns = {im["id"]: [] for im in self.images}
        for a in coco["annotations"]:
            self.anns[a["image_id"]].append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        im = self.images[i]
        anns = self.anns[im["id"]]
        boxes = torch.tensor([[a["bbox"][0], a["bbox"][1], a["bbox"][0] + a["bbox"][2], a["bbox"][1] + a["bbox"][3]]
                              for a in anns], dtype=torch.float32)
        labels = torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)
        image = TF.to_tensor(Image.open(f"{self.root}/{im['file_name']}").convert("RGB"))
        return image, {"boxes": boxes, "labels": labels}


ds = CocoDet("wildlife/train")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=160, max_size=200)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for step, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"[{epoch}][{step}/{len(loader)}] loss={loss.item():.4f}", flush=True)
'''


def wildlife_setup(work: Path):
    images, anns, specs = [], [], []
    for i in range(6):
        fn = f"trap_{i:04d}.jpg"
        specs.append((f"wildlife/train/{fn}", (200, 150), "RGB"))
        images.append({"id": i, "file_name": fn, "width": 200, "height": 150})
        if i in (3, 5):
            continue        # camera-trap frames with no animal (kept on purpose as negatives)
        anns.append({"id": len(anns), "image_id": i, "category_id": 1 + i % 2, "bbox": [30 + 4 * i, 40, 80, 60]})
    (work / "wildlife/train").mkdir(parents=True, exist_ok=True)
    (work / "wildlife/train/_annotations.coco.json").write_text(json.dumps(
        {"images": images, "annotations": anns, "categories": [{"id": 1, "name": "deer"}, {"id": 2, "name": "boar"}]}))
    make_images(work, specs)


# ------------------------------------------------------------------ 4. classes
SCRIPTS["yolo-loss-one-hot-nc-from-stale-data-yaml"] = r'''
import glob

import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


def read_yaml(path):   # tiny reader for "key: value" lines
    cfg = {}
    for line in open(path):
        if ":" in line:
            k, v = line.split(":", 1)
            cfg[k.strip()] = v.strip()
    return cfg


cfg = read_yaml("dataset/data.yaml")
NC = int(cfg["nc"])
print("data.yaml:", cfg)


class Det(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        rows = torch.tensor([list(map(float, l.split()))
                             for l in open(self.images[i].replace("images", "labels")[:-4] + ".txt")])
        return TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((96, 96))), rows


def collate(batch):
    return torch.stack([b[0] for b in batch]), [b[1] for b in batch]


head = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, 2, 1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                           torch.nn.Flatten(), torch.nn.Linear(16, NC))
opt = torch.optim.Adam(head.parameters(), lr=1e-3)
for epoch in range(3):
    for x, rows in DataLoader(Det("dataset/train"), batch_size=4, shuffle=False, collate_fn=collate):
        logits = head(x)
        cls = torch.stack([r[0, 0].long() for r in rows])
        loss = F.binary_cross_entropy_with_logits(logits, F.one_hot(cls, NC).float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, "cls loss", round(loss.item(), 4))
'''


def stale_yaml(work: Path):
    yolo_layout("dataset", lambda s, i: f"{i % 3} 0.5 0.5 0.3 0.3\n", splits=(("train", 9),), ann="labels")(work)
    # Roboflow export after 'forklift' was added to the project; data.yaml copied from the first version
    (work / "dataset/data.yaml").write_text("train: ../train/images\nval: ../valid/images\n\nnc: 2\n"
                                            "names: ['pallet', 'person']\n")


CELLS["val-imagefolder-extra-class-confusion-matrix-notebook"] = [
    r'''import numpy as np
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms''',
    r'''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("garbage/train", tf)
val_ds = datasets.ImageFolder("garbage/val", tf)
print(train_ds.classes)
print(val_ds.classes)''',
    r'''model = models.resnet18(num_classes=len(train_ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in DataLoader(train_ds, batch_size=8, shuffle=True):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(); loss.backward(); opt.step()
print("train loss", loss.item())''',
    r'''n = len(train_ds.classes)
cm = np.zeros((n, n), dtype=int)
model.eval()
with torch.no_grad():
    for x, y in DataLoader(val_ds, batch_size=8):
        pred = model(x).argmax(1)
        for t, p in zip(y.numpy(), pred.numpy()):
            cm[t, p] += 1
cm''',
]
garbage = imgs(class_folder("garbage/train", ("cardboard", "glass", "metal", "paper", "plastic"), 2, size=(64, 64))
               + class_folder("garbage/val", ("cardboard", "glass", "metal", "paper", "plastic", "trash"), 2,
                              size=(64, 64)))

SCRIPTS["crowd-labels-unsure-255-ce-stderr-logger"] = r'''
import csv
import logging
import sys

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

logging.basicConfig(level=logging.INFO, format="%(asctime)s | %(levelname)-8s | %(name)s | %(message)s",
                    stream=sys.__stderr__)


class StreamToLogger:
    """send everything written to stderr (warnings, tracebacks) to the job log"""

    def __init__(self, logger, level):
        self.logger, self.level, self.buf = logger, level, ""

    def write(self, text):
        self.buf += text
        while "\n" in self.buf:
            line, self.buf = self.buf.split("\n", 1)
            self.logger.log(self.level, line)

    def flush(self):
        pass


sys.stderr = StreamToLogger(logging.getLogger("stderr"), logging.ERROR)
log = logging.getLogger("train")

CLASSES = ["benign", "malignant", "normal"]


class Rows(Dataset):
    def __init__(self, csv_path, tf):
        self.rows = list(csv.DictReader(open(csv_path)))
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["path"]).convert("RGB")), int(r["label"])


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = Rows("labels_consensus.csv", tf)
log.info("%d labelled images", len(ds))
model = models.resnet18(num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for step, (x, y) in enumerate(DataLoader(ds, batch_size=4, shuffle=False)):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        log.info("epoch %d step %d loss %.4f", epoch, step, loss.item())
'''


def consensus_csv(work: Path):
    make_images(work, [(f"us/img_{i:03d}.jpg", (80, 80), "RGB") for i in range(12)])
    rows = ["path,label,votes"]
    for i in range(12):
        lab = 255 if i == 6 else i % 3          # 255 = annotators could not agree
        rows.append(f"us/img_{i:03d}.jpg,{lab},{3 if lab != 255 else 1}")
    (work / "labels_consensus.csv").write_text("\n".join(rows) + "\n")


# ------------------------------------------------------------------ 5. model outputs
SCRIPTS["frcnn-num-classes-without-background"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF

CLASSES = ["bottle", "can", "carton"]     # label ids 1..3, 0 is background


class Litter(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return (TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB")),
                {"boxes": torch.tensor(it["boxes"], dtype=torch.float32),
                 "labels": torch.tensor(it["labels"], dtype=torch.int64)})


model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                          min_size=160, max_size=200)
loader = DataLoader(Litter("data/litter"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for step, (images, targets) in enumerate(loader):
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(epoch, step, {k: round(v.item(), 3) for k, v in losses.items()})
'''
litter = det_json("data/litter", 6, (160, 120), spread_boxes, labels=lambda i: [1 + (i + j) % 3 for j in range(2 + i % 2)])

SCRIPTS["custom-detector-returns-tensor-loss-dict-values"] = r'''
import json

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


class Litter(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return (TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB").resize((128, 128))),
                {"boxes": torch.tensor(it["boxes"], dtype=torch.float32),
                 "labels": torch.tensor(it["labels"], dtype=torch.int64)})


class SimpleDetector(nn.Module):
    """resnet18 trunk + a dense head: 4 box numbers + class scores per cell"""

    def __init__(self, num_classes):
        super().__init__()
        trunk = torchvision.models.resnet18(weights=None)
        self.body = nn.Sequential(*list(trunk.children())[:-2])
        self.head = nn.Conv2d(512, 4 + num_classes, 1)

    def forward(self, images, targets=None):
        x = torch.stack(images) if isinstance(images, (list, tuple)) else images
        out = self.head(self.body(x))
        return out.flatten(2).transpose(1, 2)           # [B, cells, 4 + C]


model = SimpleDetector(num_classes=4)
loader = DataLoader(Litter("data/litter"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

# training loop from the torchvision detection tutorial
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
'''

CELLS["custom-detector-eval-outputs-str-index-notebook"] = [
    r'''import torch
import torch.nn as nn
import torchvision
from torchvision.ops import box_iou''',
    r'''class BoxRegressor(nn.Module):
    """one box + class per image: [x1, y1, x2, y2, logit_0, ..., logit_C-1]"""
    def __init__(self, num_classes=3):
        super().__init__()
        self.net = torchvision.models.mobilenet_v3_small(num_classes=4 + num_classes)
    def forward(self, x):
        return self.net(x)

model = BoxRegressor()
model.load_state_dict(torch.load("box_regressor.pt"))
model.eval();''',
    r'''images = torch.rand(4, 3, 128, 128)
targets = [{"boxes": torch.tensor([[10., 20., 60., 90.]]), "labels": torch.tensor([1])} for _ in range(4)]''',
    r'''# mAP-style matching copied from the detection reference evaluation
with torch.no_grad():
    outputs = model(images)
ious = []
for out, t in zip(outputs, targets):
    keep = out["scores"] > 0.5
    ious.append(box_iou(out["boxes"][keep], t["boxes"]).max().item())
sum(ious) / len(ious)''',
]
box_regressor_w = prep('''
import torch, torchvision, torch.nn as nn
class BoxRegressor(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.net = torchvision.models.mobilenet_v3_small(num_classes=4 + num_classes)
torch.save(BoxRegressor().state_dict(), "box_regressor.pt")
''')

SCRIPTS["multilabel-resnet-head-not-replaced-bce-ansi"] = r'''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

TAGS = ["clouds", "water", "road", "forest", "buildings"]
C, R = "\033[95m", "\033[0m"


class Tiles(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.reader(open(csv_path)))[1:]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        path, tags = self.rows[i]
        y = torch.zeros(len(TAGS))
        for t in tags.split():
            y[TAGS.index(t)] = 1.0
        return self.tf(Image.open(path).convert("RGB")), y


model = models.resnet34(weights=None)       # same setup as the ImageNet fine-tuning notebook
criterion = torch.nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
print(f"{C}>>> multi-label training on {len(TAGS)} tags{R}")
for epoch in range(2):
    for x, y in DataLoader(Tiles("tiles/train.csv"), batch_size=8, shuffle=True):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"{C}>>> epoch {epoch} loss {loss.item():.4f}{R}")
'''


def tiles_setup(work: Path):
    make_images(work, [(f"tiles/img_{i:03d}.jpg", (64, 64), "RGB") for i in range(10)])
    tags = ["clouds water", "road buildings", "forest", "water forest", "clouds", "road", "buildings forest",
            "water", "clouds road", "forest road"]
    (work / "tiles/train.csv").write_text("path,tags\n" + "".join(f"tiles/img_{i:03d}.jpg,{t}\n"
                                                                  for i, t in enumerate(tags)))


SCRIPTS["custom-cnn-no-flatten-ce-spatial-targets-tqdm"] = r'''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm


class LeafNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Conv2d(128, num_classes, 1)   # 1x1 conv as the "fully connected" layer

    def forward(self, x):
        return self.classifier(self.features(x))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train = datasets.ImageFolder("leaves/train", tf)
model = LeafNet(len(train.classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    pbar = tqdm(DataLoader(train, batch_size=4, shuffle=True), desc=f"epoch {epoch + 1}/5", leave=True)
    for x, y in pbar:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=loss.item())
'''

SCRIPTS["yolo-head-built-for-coco-80-view-nc-2"] = r'''
import torch
import torch.nn as nn

NUM_CLASSES = 2          # helmet, head
ANCHORS = [(10, 13), (16, 30), (33, 23)]


class YoloLayer(nn.Module):
    def __init__(self, anchors, num_classes):
        super().__init__()
        self.na, self.nc = len(anchors), num_classes

    def forward(self, p):
        b, _, h, w = p.shape
        return p.view(b, self.na, 5 + self.nc, h, w).permute(0, 1, 3, 4, 2).contiguous()


class TinyYolo(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.LeakyReLU(0.1), nn.Conv2d(16, 32, 3, 2, 1),
                                      nn.LeakyReLU(0.1), nn.Conv2d(32, 64, 3, 2, 1), nn.LeakyReLU(0.1),
                                      nn.Conv2d(64, 128, 3, 2, 1), nn.LeakyReLU(0.1), nn.Conv2d(128, 256, 3, 2, 1))
        self.head = nn.Conv2d(256, 255, 1)        # 3 * (5 + 80), as in yolov3-tiny.cfg
        self.yolo = YoloLayer(ANCHORS, NUM_CLASSES)

    def forward(self, x):
        return self.yolo(self.head(self.backbone(x)))


model = TinyYolo()
# load the darknet-converted COCO weights, then fine-tune on the helmet set
model.load_state_dict(torch.load("yolov3_tiny_coco_converted.pt"), strict=False)
imgs = torch.rand(2, 3, 416, 416)
out = model(imgs)
print(out.shape)
'''
yolo_coco_w = prep('''
import torch, torch.nn as nn
head = nn.Conv2d(256, 255, 1)
torch.save({"head.weight": head.weight.data, "head.bias": head.bias.data}, "yolov3_tiny_coco_converted.pt")
''')

SCRIPTS["googlenet-aux-outputs-ce-tqdm"] = r'''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train = datasets.ImageFolder("flowers/train", tf)
loader = DataLoader(train, batch_size=4, shuffle=True)

model = models.googlenet(weights=None, num_classes=len(train.classes), aux_logits=True, init_weights=True)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):
    model.train()
    total = 0.0
    for inputs, labels in tqdm(loader, desc=f"Epoch {epoch + 1}/10"):
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"loss: {total / len(loader):.4f}")
'''

CELLS["cifar-tutorial-10-outputs-mse-one-hot-notebook"] = [
    r'''import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms''',
    r'''class Net(nn.Module):          # from the CIFAR-10 tutorial
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)''',
    r'''tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
train = datasets.ImageFolder("weather/train", tf)
loader = DataLoader(train, batch_size=4, shuffle=True)
train.classes''',
    r'''net = Net()
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
for epoch in range(2):
    for inputs, labels in loader:
        optimizer.zero_grad()
        outputs = net(inputs)
        target = F.one_hot(labels, num_classes=len(train.classes)).float()
        loss = criterion(outputs, target)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]
weather = imgs(class_folder("weather/train", ("cloudy", "rain", "shine", "sunrise"), 3, size=(48, 40)))

# ------------------------------------------------------------------ 6. calls made wrongly
CELLS["torch-load-given-loaded-checkpoint-entry-notebook"] = [
    r'''import torch
from torchvision import models''',
    r'''ckpt = torch.load("runs/exp3/checkpoint_epoch_25.pth", map_location="cpu")
print(ckpt.keys(), ckpt["epoch"], ckpt["best_acc"])''',
    r'''model = models.resnet18(num_classes=4)
model.load_state_dict(torch.load(ckpt["model_state_dict"]))
model.eval()''',
]
ckpt_setup = prep('''
import os, torch
from torchvision import models
os.makedirs("runs/exp3", exist_ok=True)
m = models.resnet18(num_classes=4)
torch.save({"epoch": 25, "best_acc": 0.912, "model_state_dict": m.state_dict()}, "runs/exp3/checkpoint_epoch_25.pth")
''')

SCRIPTS["imageai-det-train-data-dir-tuple-trailing-comma-config"] = r'''
import config
from imageai.Detection.Custom import DetectionModelTrainer

print(f"dataset: {config.DATA_DIR}  classes: {config.CLASSES}")
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=config.DATA_DIR)
trainer.setTrainConfig(object_names_array=config.CLASSES, batch_size=config.BATCH_SIZE,
                       num_experiments=config.EPOCHS)
trainer.trainModel()
'''
trailing_comma_cfg = both(yolo_layout("datasets/hardhat", good_rows), write("config.py", '''\
# training settings
DATA_DIR = "datasets/hardhat",
CLASSES = ["helmet", "head"]
BATCH_SIZE = 8
EPOCHS = 100
'''))

SCRIPTS["imageai-custom-detect-set-model-path-open-file"] = r'''
import os
from imageai.Detection.Custom import CustomObjectDetection

MODEL = "parcels/models/tiny-yolov3_parcels_mAP-0.52113_epoch-40.pt"
CONFIG = "parcels/json/parcels_tiny-yolov3_detection_config.json"

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
with open(MODEL, "rb") as weights:
    detector.setModelPath(weights)
detector.setJsonPath(CONFIG)
detector.loadModel()
for name in sorted(os.listdir("belt")):
    detections = detector.detectObjectsFromImage(input_image=f"belt/{name}", output_image_path=f"out_{name}")
    print(name, [(d["name"], d["percentage_probability"]) for d in detections])
'''
belt = both(tiny_weights, imgs([(f"belt/frame_{i}.jpg", (160, 120), "RGB") for i in range(2)]))

SCRIPTS["imagefolder-root-from-yaml-dict-job-wrapper"] = r'''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def load_cfg(path):
    cfg, section = {}, None
    for raw in open(path):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        key, _, val = line.strip().partition(":")
        if raw.startswith(" ") and section is not None:
            cfg[section][key] = val.strip()
        elif val.strip():
            cfg[key] = val.strip()
        else:
            section = key
            cfg[key] = {}
    return cfg


cfg = load_cfg("configs/leaves.yaml")
print("config:", cfg, flush=True)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder(root=cfg["data"], transform=tf)
loader = DataLoader(train_ds, batch_size=int(cfg["batch_size"]), shuffle=True)
model = models.resnet18(num_classes=len(train_ds.classes))
'''
JOB_WRAPPER = r'''
"""run a training command and stamp every output line, as the lab's job runner does"""
import subprocess
import sys
import time

proc = subprocess.Popen([sys.executable, "-u", *sys.argv[1:]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True)
for line in proc.stdout:
    sys.stdout.write(time.strftime("%Y-%m-%d %H:%M:%S") + " [job 4812] " + line)
    sys.stdout.flush()
sys.exit(proc.wait())
'''
yaml_cfg = both(leaves, write("configs/leaves.yaml", '''\
# leaf disease classifier
data:
  train: leaves/train
  val: leaves/val
batch_size: 8
epochs: 20
lr: 0.001
'''))

CELLS["imageai-cls-train-cell-before-set-data-directory-notebook"] = [
    r'''from imageai.Classification.Custom import ClassificationModelTrainer''',
    r'''trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()''',
    r'''trainer.trainModel(num_experiments=5, batch_size=4)''',
    r'''trainer.setDataDirectory("leaves")''',
]
leaves_cls = imgs(class_folder("leaves/train", ("healthy", "rust"), 3, size=(64, 64))
                  + class_folder("leaves/test", ("healthy", "rust"), 2, size=(64, 64)))

SCRIPTS["cv2-imread-given-pil-image-predict-helper"] = r'''
import cv2
import numpy as np
import torch
from PIL import Image, ImageOps
from torchvision import models

CLASSES = ["ok", "scratch", "dent"]


def preprocess(image_path):
    img = cv2.imread(image_path)
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    img = cv2.resize(img, (128, 128)).astype(np.float32) / 255.0
    return torch.from_numpy(img).permute(2, 0, 1).unsqueeze(0)


model = models.resnet18(num_classes=len(CLASSES))
model.eval()

# the upload handler gives us a PIL image; fix the phone rotation first
upload = ImageOps.exif_transpose(Image.open("uploads/part_0042.jpg"))
x = preprocess(upload)
with torch.no_grad():
    print(CLASSES[model(x).argmax(1).item()])
'''
uploads = imgs([("uploads/part_0042.jpg", (160, 120), "RGB")])

SCRIPTS["normalize-before-totensor-compose-workers"] = r'''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

train_tf = transforms.Compose([
    transforms.RandomResizedCrop(64),
    transforms.RandomHorizontalFlip(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    transforms.ToTensor(),
])


def main():
    train = datasets.ImageFolder("flowers/train", train_tf)
    loader = DataLoader(train, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(num_classes=len(train.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["totensor-on-read-image-tensor-tqdm"] = r'''
import glob

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from torchvision.io import read_image, ImageReadMode
from tqdm import tqdm


class Flowers(Dataset):
    def __init__(self, root, transform):
        self.classes = ["daisy", "rose", "tulip"]
        self.samples = [(p, i) for i, c in enumerate(self.classes) for p in sorted(glob.glob(f"{root}/{c}/*.jpg"))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        img = read_image(path, mode=ImageReadMode.RGB)       # faster than PIL
        return self.transform(img), label


tf = transforms.Compose([transforms.ToTensor(), transforms.Resize((64, 64), antialias=True)])
loader = DataLoader(Flowers("flowers/train", tf), batch_size=4, shuffle=True)
model = models.resnet18(num_classes=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in tqdm(loader, desc=f"train {epoch}"):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

# ------------------------------------------------------------------ 7. divergence
SCRIPTS["one-object-detector-pixel-box-mse-objectness-bce-tqdm"] = r'''
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF
from tqdm import tqdm


class Doorbell(Dataset):
    # one parcel per frame at most: objectness + box of the parcel (pixels)
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        img = TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB"))
        has = len(it["boxes"]) > 0
        box = torch.tensor(it["boxes"][0] if has else [0, 0, 0, 0], dtype=torch.float32)
        return img, box, torch.tensor(float(has))


class OneObjectNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(4), nn.Flatten())
        self.box = nn.Linear(512, 4)
        self.obj = nn.Sequential(nn.Linear(512, 1), nn.Sigmoid())

    def forward(self, x):
        f = self.body(x)
        return self.box(f), self.obj(f).squeeze(1)


torch.manual_seed(0)
model = OneObjectNet()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)    # 0.01 was far too slow
loader = DataLoader(Doorbell("data/doorbell"), batch_size=4, shuffle=True)
for epoch in range(30):
    for x, box, has in tqdm(loader, desc=f"epoch {epoch + 1}/30"):
        pred_box, pred_obj = model(x)
        loss = (F.mse_loss(pred_box[has > 0], box[has > 0])        # box only where there is a parcel
                + F.binary_cross_entropy(pred_obj, has))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''
doorbell = det_json("data/doorbell", 12, (160, 120), lambda i: [] if i % 4 == 3 else spread_boxes(i)[:1])

SCRIPTS["frcnn-sgd-lr-5-detect-anomaly-tqdm"] = r'''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm


class Shelves(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return (TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB")),
                {"boxes": torch.tensor(it["boxes"], dtype=torch.float32),
                 "labels": torch.tensor(it["labels"], dtype=torch.int64)})


torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)          # find where the NaN comes from
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=128, max_size=160)
loader = DataLoader(Shelves("data/shelves"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD(model.parameters(), lr=5.0, momentum=0.9)
model.train()
for epoch in range(20):
    for images, targets in tqdm(loader, desc=f"Epoch {epoch}", leave=False):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: " + ", ".join(f"{k}={v.item():.3f}" for k, v in loss_dict.items()))
'''

SCRIPTS["gaussian-box-head-normal-invalid-loc-high-lr"] = r'''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.distributions import Normal
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


class OneBox(Dataset):
    """single-object localisation: the first box of each image, in pixels"""

    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return (TF.to_tensor(Image.open(f"{self.root}/{it['file']}").convert("RGB")),
                torch.tensor(it["boxes"][0], dtype=torch.float32))


class GaussianBoxHead(nn.Module):
    """predicts mean and log-variance of each box coordinate (Gaussian YOLO style)"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(4), nn.Flatten())
        self.mu = nn.Linear(512, 4)
        self.log_var = nn.Linear(512, 4)

    def forward(self, x):
        f = self.body(x)
        return self.mu(f), self.log_var(f)


torch.manual_seed(0)
model = GaussianBoxHead()
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
loader = DataLoader(OneBox("data/shelves"), batch_size=4, shuffle=True)
for epoch in range(50):
    for x, box in loader:
        mu, log_var = model(x)
        dist = Normal(mu, torch.exp(0.5 * log_var).clamp(min=1e-3))
        loss = -dist.log_prob(box).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch:02d} nll {loss.item():.3f}", flush=True)
'''

SCRIPTS["object-count-regressor-raw-pixels-floatingpointerror-ansi"] = r'''
import json
import math

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

RED, GREEN, DIM, RESET = "\033[1;31m", "\033[32m", "\033[2m", "\033[0m"


class Counts(Dataset):
    # how many boxes are in each image: a count regressor trained from the detection labels
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/labels.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        x = torch.from_numpy(np.asarray(Image.open(f"{self.root}/{it['file']}").convert("RGB"), dtype=np.float32))
        return x.permute(2, 0, 1), torch.tensor(float(len(it["boxes"])))     # 0..255, no scaling


torch.manual_seed(0)
model = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1), nn.ReLU(), nn.AdaptiveAvgPool2d(8), nn.Flatten(), nn.Linear(512, 1))
opt = torch.optim.SGD(model.parameters(), lr=3.0, momentum=0.9)     # bigger steps, the loss barely moved
it = 0
for epoch in range(20):
    for x, count in DataLoader(Counts("data/shelves"), batch_size=4, shuffle=True):
        loss = nn.functional.mse_loss(model(x).squeeze(1), count)
        if not math.isfinite(loss.item()):
            print(f"{RED}[ERROR]{RESET} non-finite loss at iter {it}")
            raise FloatingPointError(f"Loss became infinite or NaN at iteration={it}!\nloss_dict = "
                                     f"{{'loss_count': {loss.item()}}}")
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"{GREEN}[iter {it:03d}]{RESET} {DIM}epoch {epoch}{RESET} loss={loss.item():.4f}")
        it += 1
'''


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more25-", SCRIPTS, CELLS)

    W = ["cpython_basic", "dataloader_worker"]
    P = ["cpython_basic", "progress_bars"]
    A = ["cpython_basic", "ansi"]

    # 1. image sizes ----------------------------------------------------------------------------------
    script("predict-folder-phone-photos-two-orientations-logging", "data.image_size_mismatch", argv="predict.py",
           setup=phone_photos)
    script("multiscale-size-drawn-per-sample-cat-collate-workers", "data.image_size_mismatch", forms=W, setup=shelves)
    script("letterbox-shrinks-only-np-stack-collate-tqdm", "data.image_size_mismatch", forms=P, setup=frames_mixed)
    notebook("thumbnail-keeps-aspect-torch-tensor-notebook", "data.image_size_mismatch", setup=birds)
    script("two-camera-npy-frames-default-collate-ansi", "data.image_size_mismatch", forms=A, setup=two_cams)

    # 2. image channels -------------------------------------------------------------------------------
    script("sticker-pngs-read-image-alpha-colorjitter-workers", "data.image_channels", forms=W, setup=stickers)
    script("el-panels-16bit-gray-png-cv2-unchanged-bgr-slice-tqdm", "data.image_channels", forms=P, setup=el_panels)
    script("letterbox-hwc-unpack-grayscale-jpgs-workers", "data.image_channels", forms=W, setup=helmets_gray)
    script("ui-screenshot-classifier-rgba-normalize-ansi", "data.image_channels", forms=A, setup=screens)
    notebook("scanned-form-gray-read-image-conv-notebook", "data.image_channels", setup=scan_setup)
    script("print-proofs-cmyk-totensor-resnet-logging", "data.image_channels", setup=proofs)
    script("imageai-custom-detect-gray-alpha-png-array", "data.image_channels", framework="imageai",
           forms=["cpython_basic", "multiline_message"], argv="detect.py", setup=la_pngs)

    # 3. boxes ----------------------------------------------------------------------------------------
    script("imageai-det-coco-converter-image-index-not-id", "data.bbox_invalid", framework="imageai",
           setup=coco_export)
    script("imageai-det-single-class-export-no-class-column", "data.bbox_invalid", framework="imageai",
           setup=solar)
    notebook("imageai-det-coco-xywh-as-corners-converter-notebook", "data.bbox_invalid", framework="imageai",
             setup=coco_export)
    script("frcnn-yolo-txt-rows-as-xyxy-tqdm", "data.bbox_invalid", forms=P, setup=yolo_rows_ds)
    script("frcnn-voc-bndbox-children-read-by-position-logging", "data.bbox_invalid", setup=voc_xml_setup)
    script("crop-classifier-coco-boxes-past-border-cv2-resize-workers", "data.bbox_invalid", forms=W,
           setup=fish_setup)
    script("yolo-grid-targets-pixel-rows-index-ansi", "data.bbox_invalid", forms=A, setup=boats_pixel_rows)
    script("frcnn-coco-negative-images-empty-boxes-tensor", "data.bbox_invalid", setup=wildlife_setup)

    # 4. classes --------------------------------------------------------------------------------------
    script("yolo-loss-one-hot-nc-from-stale-data-yaml", "data.label_out_of_range", setup=stale_yaml)
    notebook("val-imagefolder-extra-class-confusion-matrix-notebook", "data.label_out_of_range", setup=garbage)
    script("crowd-labels-unsure-255-ce-stderr-logger", "data.label_out_of_range",
           forms=["cpython_basic", "log_prefix"], setup=consensus_csv, exception="IndexError")

    # 5. model outputs --------------------------------------------------------------------------------
    script("frcnn-num-classes-without-background", "model.output_mismatch", also=["data.label_out_of_range"],
           setup=litter)
    script("custom-detector-returns-tensor-loss-dict-values", "model.output_mismatch", setup=litter)
    notebook("custom-detector-eval-outputs-str-index-notebook", "model.output_mismatch", setup=box_regressor_w)
    script("multilabel-resnet-head-not-replaced-bce-ansi", "model.output_mismatch", forms=A, setup=tiles_setup)
    script("custom-cnn-no-flatten-ce-spatial-targets-tqdm", "model.output_mismatch", forms=P, setup=leaves)
    script("yolo-head-built-for-coco-80-view-nc-2", "model.output_mismatch", setup=yolo_coco_w)
    script("googlenet-aux-outputs-ce-tqdm", "model.output_mismatch", forms=P, setup=flowers)
    notebook("cifar-tutorial-10-outputs-mse-one-hot-notebook", "model.output_mismatch", setup=weather)

    # 6. calls made wrongly ---------------------------------------------------------------------------
    notebook("torch-load-given-loaded-checkpoint-entry-notebook", "model.api_misuse", setup=ckpt_setup)
    script("imageai-det-train-data-dir-tuple-trailing-comma-config", "model.api_misuse", framework="imageai",
           setup=trailing_comma_cfg)
    script("imageai-custom-detect-set-model-path-open-file", "model.api_misuse", framework="imageai",
           argv="detect.py", setup=belt)
    add("imagefolder-root-from-yaml-dict-job-wrapper", "model.api_misuse",
        {"train.py": SCRIPTS["imagefolder-root-from-yaml-dict-job-wrapper"], "run_job.py": JOB_WRAPPER},
        forms=["cpython_basic", "log_prefix"], argv=["run_job.py", "train.py"], setup=yaml_cfg,
        exception="TypeError")
    notebook("imageai-cls-train-cell-before-set-data-directory-notebook", "model.api_misuse", framework="imageai",
             setup=leaves_cls)
    script("cv2-imread-given-pil-image-predict-helper", "model.api_misuse", forms=["cpython_basic", "multiline_message"],
           argv="predict.py", setup=uploads)
    script("normalize-before-totensor-compose-workers", "model.api_misuse", forms=W, setup=flowers)
    script("totensor-on-read-image-tensor-tqdm", "model.api_misuse", forms=P, setup=flowers)

    # 7. divergence -----------------------------------------------------------------------------------
    script("one-object-detector-pixel-box-mse-objectness-bce-tqdm", "optim.divergence", forms=P, setup=doorbell)
    script("frcnn-sgd-lr-5-detect-anomaly-tqdm", "optim.divergence", forms=P, setup=shelves)
    script("gaussian-box-head-normal-invalid-loc-high-lr", "optim.divergence",
           forms=["cpython_basic", "multiline_message"], setup=shelves)
    script("object-count-regressor-raw-pixels-floatingpointerror-ansi", "optim.divergence",
           forms=["cpython_basic", "ansi", "multiline_message"], setup=shelves)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
