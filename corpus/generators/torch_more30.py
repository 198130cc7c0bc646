"""A thirtieth held-out set of PyTorch / torchvision / ImageAI 3 failures: the product's seed
causes, reached the way ImageAI 3 and PyTorch users reach them on their own data sets.

- images of inconsistent size or channel count (EXIF-rotated phone photos decoded with the
  orientation applied, palette PNGs normalised with numpy, RGBA product shots through
  ``read_image``, one mask saved at half size, a Keras-style (H, W, 1) array and a bilevel
  TIFF given to ImageAI, BGRA overlay frames);
- boxes negative / out of range / in the wrong order (an offline flip script writing ``-x``,
  an offline mosaic that forgets to halve the boxes, letterboxed images with boxes normalised
  by the original size, YOLO rows fed to an FCOS / Faster R-CNN, VOC crops with xmin/xmax
  swapped, CenterNet centres past the border after an affine augmentation);
- class counts that do not fit (a converter writing ids from 1, class names from a stale
  config json, an extra folder under ImageFolder into ``one_hot``, a Faster R-CNN head copied
  from a two-class tutorial, a multi-label head built from an old attribute list);
- custom models whose output the loss cannot use (a YOLO head sized for 80 classes, a
  classifier without pooling, a (logits, features) tuple, a box predictor returning one
  tensor, a one-logit defect head under CrossEntropyLoss, torchvision outputs given to
  ImageAI's validator);
- objects where ImageAI expects a path or a directory (a dict of split folders, a json string,
  an uploaded file object, an open file handle, a rebuilt network given to ``loadModel``), and a
  notebook whose model-type cell runs after ``trainModel``;
- learning rates high enough to make the loss NaN;
- too few boxes / empty annotation files for ImageAI's anchor k-means and Faster R-CNN.

Every case is a small real program run on CPU with the torch venv (no GPU, no downloads);
the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more30.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more30.py"

SCRIPTS = {}
CELLS = {}

# ----------------------------------------------------------------------------- shared bits
ANCHORS6 = "[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]"

# a TinyYOLOv3 checkpoint + detection config as an earlier DetectionModelTrainer run leaves them
SAVE_TINY = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

for p in ("@@PT@@", "@@JSON@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
anchors = @@ANCHORS@@
torch.save(YoloV3Tiny(anchors=anchors, num_classes=@@NC@@).state_dict(), "@@PT@@")
with open("@@JSON@@", "w") as f:
    json.dump({"labels": @@LABELS@@, "anchors": anchors}, f)
'''


def save_tiny(labels, pt, js):
    n = labels.count(",") + 1
    return prep(sub(SAVE_TINY, ANCHORS=ANCHORS6, NC=str(n), PT=pt, JSON=js, LABELS=labels))


SAVE_CLS = '''
import json
import os
import torch
import torchvision

for p in ("@@PT@@", "@@JSON@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
torch.save(torchvision.models.@@ARCH@@(num_classes=@@NC@@).state_dict(), "@@PT@@")
json.dump({str(i): c for i, c in enumerate(@@LABELS@@)}, open("@@JSON@@", "w"))
'''


def save_cls(arch, labels, pt, js):
    n = labels.count(",") + 1
    return prep(sub(SAVE_CLS, ARCH=arch, NC=str(n), PT=pt, JSON=js, LABELS=labels))


def boxes(i, classes, base=0.12):
    """YOLO rows with varied sizes (so anchor k-means has enough distinct boxes)."""
    return "".join(f"{c} {0.25 + 0.2 * j:.3f} {0.3 + 0.15 * j:.3f} {base + 0.05 * j + 0.021 * i:.3f} "
                   f"{base + 0.04 * j + 0.017 * i:.3f}\n" for j, c in enumerate(classes))


# ===================================================================== 1. image size / channels
SCRIPTS["receipt-photos-decode-image-exif-orientation-stack"] = '''
import glob

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, decode_image, read_file

# every photo comes from the same phone at the same resolution, so no resize is needed
CLASSES = ["grocery", "restaurant", "taxi"]


class Receipts(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        img = decode_image(read_file(path), mode=ImageReadMode.RGB, apply_exif_orientation=True)
        label = CLASSES.index(path.split("/")[-1].split("_")[0])
        return img.float() / 255.0, label


model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(Receipts("data/receipts"), batch_size=4, shuffle=False)
for epoch in range(3):
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''


def receipts_setup(work: Path):
    from PIL import Image
    import random
    rnd = random.Random(3)
    d = work / "data/receipts"
    d.mkdir(parents=True, exist_ok=True)
    kinds = ["grocery", "restaurant", "taxi"]
    for i in range(8):
        im = Image.frombytes("RGB", (160, 120), bytes(rnd.randrange(256) for _ in range(160 * 120 * 3)))
        ex = im.getexif()
        ex[0x0110] = "Pixel 7"
        if i in (2, 5):          # held in portrait: the sensor data is landscape, the tag says rotate 90
            ex[0x0112] = 6
        im.save(d / f"{kinds[i % 3]}_{i:03d}.jpg", exif=ex, quality=90)


SCRIPTS["herbarium-palette-png-numpy-normalise-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class Herbarium(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.files[i]), dtype=np.float32) / 255.0
        img = (img - MEAN) / STD
        label = self.classes.index(os.path.basename(os.path.dirname(self.files[i])))
        return torch.from_numpy(img).permute(2, 0, 1), label


def main():
    ds = Herbarium("data/herbarium/train")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, len(ds.classes)))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["product-shots-read-image-rgba-v2-normalize"] = '''
import glob

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms import v2

tf = v2.Compose([
    v2.Resize((96, 96), antialias=True),
    v2.ToDtype(torch.float32, scale=True),
    v2.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
])


class Products(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return tf(read_image(self.files[i])), self.classes.index(self.files[i].split("/")[-2])


ds = Products("data/catalogue")
model = torchvision.models.mobilenet_v3_small(num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in DataLoader(ds, batch_size=4, shuffle=False):
    loss = nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item())
'''

SCRIPTS["lesion-mask-saved-half-size-stack"] = '''
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class Lesions(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        image = Image.open(os.path.join(self.root, "images", name)).convert("RGB").resize((128, 128))
        mask = Image.open(os.path.join(self.root, "masks", name.replace(".jpg", "_mask.png")))
        x = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)
        y = torch.from_numpy((np.asarray(mask) > 127).astype(np.float32))
        return x, y


net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 1, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
loader = DataLoader(Lesions("data/isic"), batch_size=4, shuffle=False)
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.binary_cross_entropy_with_logits(net(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, "loss", loss.item())
'''


def lesion_setup(work: Path):
    specs = [(f"data/isic/images/ISIC_{i:07d}.jpg", (160, 120), "RGB") for i in range(8)]
    # masks exported at 128x128 by the annotation tool, one re-exported at half size
    specs += [(f"data/isic/masks/ISIC_{i:07d}_mask.png", (64, 64) if i == 6 else (128, 128), "L") for i in range(8)]
    make_images(work, specs)


XRAY_PREDICT = '''
import cv2
import numpy as np
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("models/mobilenet_v2-chest-test_acc_0.87500_epoch-11.pt")
prediction.setJsonPath("models/chest_model_classes.json")
prediction.loadModel()

# same preprocessing as our old Keras pipeline: grayscale, 224x224, channel axis last
gray = cv2.imread("incoming/patient_0412.png", cv2.IMREAD_GRAYSCALE)
x = np.expand_dims(cv2.resize(gray, (224, 224)), axis=-1)
print("input", x.shape, x.dtype)
predictions, probabilities = prediction.classifyImage(x, result_count=2)
for name, prob in zip(predictions, probabilities):
    print(name, ":", prob)
'''

STAMP_DETECT = '''
from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("forms/models/tiny-yolov3_forms_mAP-0.52000_epoch-40.pt")
detector.setJsonPath("forms/json/forms_tiny-yolov3_detection_config.json")
detector.loadModel()

page = Image.open("scans/invoice_0007.tif")        # straight from the office scanner
print(page.mode, page.size)
annotated, detections = detector.detectObjectsFromImage(input_image=page, output_type="array",
                                                        minimum_percentage_probability=40)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

BILEVEL = '''
import random
from PIL import Image
rnd = random.Random(1)
im = Image.frombytes("L", (200, 260), bytes(rnd.choice((0, 255)) for _ in range(200 * 260))).convert("1")
import os
os.makedirs("scans", exist_ok=True)
im.save("scans/invoice_0007.tif", compression="group4")
'''

OVERLAY_DETECT = '''
import glob

import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("parking/models/tiny-yolov3_parking_mAP-0.61000_epoch-25.pt")
detector.setJsonPath("parking/json/parking_tiny-yolov3_detection_config.json")
detector.loadModel()

for path in sorted(glob.glob("frames/*.jpg")):
    frame = cv2.imread(path)
    # translucent timestamp banner, blended with an alpha channel
    frame = cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)
    banner = frame.copy()
    cv2.rectangle(banner, (0, 0), (frame.shape[1], 18), (0, 0, 0, 255), -1)
    frame = cv2.addWeighted(banner, 0.4, frame, 0.6, 0)
    cv2.putText(frame, path, (4, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255, 255), 1)
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array")
    print(path, len(detections), "cars")
'''

# ============================================================================ 2. boxes
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''


def det_train(pre="", model="TinyYOLOv3", datadir="dataset", classes='["apple", "banana"]', bs="4", epochs="3"):
    return pre + sub(DET_TRAIN, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs)


HFLIP_PRE = '''
# augment.py (run once): add a mirrored copy of every training image
import glob
import os

import cv2

for img_path in glob.glob("drones/train/images/*.jpg"):
    if "_flip" in img_path:
        continue
    img = cv2.imread(img_path)
    stem = os.path.splitext(os.path.basename(img_path))[0]
    cv2.imwrite(f"drones/train/images/{stem}_flip.jpg", cv2.flip(img, 1))
    rows = []
    for line in open(f"drones/train/annotations/{stem}.txt"):
        c, x, y, w, h = line.split()
        rows.append(f"{c} {-float(x):.6f} {y} {w} {h}")      # mirror the centre
    with open(f"drones/train/annotations/{stem}_flip.txt", "w") as f:
        f.write("\\n".join(rows) + "\\n")
print("augmented", len(glob.glob("drones/train/images/*.jpg")), "images")

'''

MOSAIC_PRE = '''
# mosaic.py: 2x2 mosaics of the small training photos (more objects per image)
import glob
import os

import cv2
import numpy as np

paths = sorted(glob.glob("shelf/train/images/*.jpg"))
for m in range(len(paths) // 4):
    group = paths[4 * m: 4 * m + 4]
    tiles = [cv2.resize(cv2.imread(p), (320, 240)) for p in group]
    mosaic = np.vstack([np.hstack(tiles[:2]), np.hstack(tiles[2:])])
    cv2.imwrite(f"shelf/train/images/mosaic_{m:03d}.jpg", mosaic)
    rows = []
    for k, p in enumerate(group):
        ox, oy = 0.5 * (k % 2), 0.5 * (k // 2)
        stem = os.path.splitext(os.path.basename(p))[0]
        for line in open(f"shelf/train/annotations/{stem}.txt"):
            c, x, y, w, h = map(float, line.split())
            rows.append(f"{int(c)} {x + ox:.6f} {y + oy:.6f} {w / 2:.6f} {h / 2:.6f}")
    with open(f"shelf/train/annotations/mosaic_{m:03d}.txt", "w") as f:
        f.write("\\n".join(rows) + "\\n")

'''

LETTERBOX_PRE = '''
# prepare.py: letterbox every photo to 416x416 once, and write YOLO labels from the VOC boxes
import glob
import os
import xml.etree.ElementTree as ET

import cv2
import numpy as np

CLASSES = ["helmet", "vest"]
for split in ("train", "validation"):
    os.makedirs(f"ppe416/{split}/images", exist_ok=True)
    os.makedirs(f"ppe416/{split}/annotations", exist_ok=True)
    for xml_path in glob.glob(f"ppe_raw/{split}/*.xml"):
        root = ET.parse(xml_path).getroot()
        stem = os.path.splitext(os.path.basename(xml_path))[0]
        img = cv2.imread(f"ppe_raw/{split}/{stem}.jpg")
        h, w = img.shape[:2]
        s = 416 / max(w, h)
        nw, nh = int(w * s), int(h * s)
        canvas = np.full((416, 416, 3), 114, np.uint8)
        dx, dy = (416 - nw) // 2, (416 - nh) // 2
        canvas[dy:dy + nh, dx:dx + nw] = cv2.resize(img, (nw, nh))
        cv2.imwrite(f"ppe416/{split}/images/{stem}.jpg", canvas)
        rows = []
        for obj in root.iter("object"):
            b = obj.find("bndbox")
            x1, y1, x2, y2 = (float(b.find(t).text) for t in ("xmin", "ymin", "xmax", "ymax"))
            # boxes moved onto the letterboxed canvas ...
            x1, x2 = x1 * s + dx, x2 * s + dx
            y1, y2 = y1 * s + dy, y2 * s + dy
            # ... and normalised (by the photo size)
            rows.append(f"{CLASSES.index(obj.find('name').text)} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} "
                        f"{(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        open(f"ppe416/{split}/annotations/{stem}.txt", "w").write("\\n".join(rows) + "\\n")

'''


def ppe_raw(work: Path):
    specs = []
    for split, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            stem = f"site_{split[:3]}_{i:03d}"
            specs.append((f"ppe_raw/{split}/{stem}.jpg", (200, 150), "RGB"))
            objs = ""
            for name, (x1, y1, x2, y2) in (("helmet", (40 + 3 * i, 20, 80 + 2 * i, 55 + i)),
                                           ("vest", (90, 60 + 2 * i, 150 + 3 * i, 130))):
                objs += (f"<object><name>{name}</name><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin>"
                         f"<xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>")
            p = work / "ppe_raw" / split / f"{stem}.xml"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(f"<annotation><filename>{stem}.jpg</filename><size><width>200</width>"
                         f"<height>150</height><depth>3</depth></size>{objs}</annotation>\n")
    make_images(work, specs)


SCRIPTS["fcos-yolo-txt-rows-used-as-xyxy"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fcos_resnet50_fpn
from torchvision.transforms.functional import to_tensor


class Weeds(Dataset):
    """Roboflow export, "YOLO v5 PyTorch" format: images/ + labels/"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        lbl = self.images[i].replace("images", "labels").replace(".jpg", ".txt")
        rows = np.loadtxt(lbl, ndmin=2)
        target = {"boxes": torch.as_tensor(rows[:, 1:], dtype=torch.float32),
                  "labels": torch.as_tensor(rows[:, 0], dtype=torch.int64) + 1}
        return to_tensor(img), target


model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=256, max_size=320)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
loader = DataLoader(Weeds("data/weeds/train"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model.train()
for images, targets in loader:
    losses = model(list(images), list(targets))
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print({k: round(v.item(), 3) for k, v in losses.items()})
'''


def weeds_setup(work: Path):
    make_images(work, [(f"data/weeds/train/images/field_{i:03d}.jpg", (320, 256), "RGB") for i in range(4)])
    d = work / "data/weeds/train/labels"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (d / f"field_{i:03d}.txt").write_text(f"0 0.{52 + i} 0.48 0.21 0.33\n1 0.30 0.7{i} 0.12 0.18\n")


SCRIPTS["voc-crops-xmin-xmax-swapped-workers"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CLASSES = ["ripe", "unripe", "rotten"]


class FruitCrops(Dataset):
    """one 64x64 crop per annotated fruit, for a ripeness classifier"""

    def __init__(self, root):
        self.items = []
        for xml_path in sorted(glob.glob(os.path.join(root, "Annotations", "*.xml"))):
            tree = ET.parse(xml_path)
            img = os.path.join(root, "JPEGImages", tree.findtext("filename"))
            for obj in tree.findall("object"):
                bb = obj.find("bndbox")
                box = tuple(int(float(bb.findtext(t))) for t in ("xmin", "ymin", "xmax", "ymax"))
                self.items.append((img, box, CLASSES.index(obj.findtext("name"))))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, box, label = self.items[i]
        return self.tf(Image.open(path).convert("RGB").crop(box)), label


def main():
    loader = DataLoader(FruitCrops("data/orchard"), batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(CLASSES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print("epoch", epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def orchard_setup(work: Path):
    make_images(work, [(f"data/orchard/JPEGImages/tree_{i:03d}.jpg", (240, 180), "RGB") for i in range(5)])
    d = work / "data/orchard/Annotations"
    d.mkdir(parents=True, exist_ok=True)
    names = ["ripe", "unripe", "rotten"]
    for i in range(5):
        objs = ""
        for j in range(3):
            x1, y1, x2, y2 = 20 + 60 * j, 30 + 5 * i, 60 + 60 * j, 80 + 5 * i
            if i == 3 and j == 1:   # this image was mirrored by the labelling tool's "flip" button
                x1, x2 = 240 - x1, 240 - x2
            objs += (f"<object><name>{names[(i + j) % 3]}</name><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin>"
                     f"<xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>")
        (d / f"tree_{i:03d}.xml").write_text(f"<annotation><filename>tree_{i:03d}.jpg</filename>{objs}</annotation>\n")


SCRIPTS["centernet-heatmap-centre-past-border-after-affine"] = '''
import math
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

OUT = 64          # heatmap resolution (input 256 / stride 4)
NUM_CLASSES = 2


def random_affine(boxes, scale, shift):
    """zoom + shift augmentation of the image; boxes follow the same transform"""
    return boxes * scale + shift


def draw_gaussian(heatmap, cx, cy, radius=2):
    heatmap[cy, cx] = 1.0
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            y, x = cy + dy, cx + dx
            if 0 <= y < heatmap.shape[0] and 0 <= x < heatmap.shape[1]:
                heatmap[y, x] = max(heatmap[y, x], math.exp(-(dx * dx + dy * dy) / 2))


class Birds(Dataset):
    def __init__(self):
        rnd = np.random.default_rng(0)
        self.boxes = [rnd.uniform(20, 230, size=(3, 4)).round() for _ in range(16)]
        for b in self.boxes:
            b[:, 2:] = b[:, :2] + 24

    def __len__(self):
        return len(self.boxes)

    def __getitem__(self, i):
        random.seed(i)
        image = torch.rand(3, 256, 256)
        boxes = random_affine(self.boxes[i], scale=random.uniform(0.8, 1.25), shift=random.uniform(-30, 30))
        heatmap = np.zeros((NUM_CLASSES, OUT, OUT), dtype=np.float32)
        for j, (x1, y1, x2, y2) in enumerate(boxes):
            cx, cy = int((x1 + x2) / 2 / 4), int((y1 + y2) / 2 / 4)
            draw_gaussian(heatmap[j % NUM_CLASSES], cx, cy)
        return image, torch.from_numpy(heatmap)


net = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, stride=2, padding=1),
                    nn.ReLU(), nn.Conv2d(16, NUM_CLASSES, 1))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(3):
    for images, heatmaps in DataLoader(Birds(), batch_size=4, shuffle=True):
        loss = nn.functional.binary_cross_entropy_with_logits(net(images), heatmaps)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, loss.item())
'''

SCRIPTS["retinanet-plot-origin-boxes-y-flipped"] = '''
import json

import torch
from torchvision.models.detection import retinanet_resnet50_fpn

# boxes exported from our matplotlib labelling widget (origin bottom-left, y grows upwards)
H, W = 240, 320
ann = json.load(open("data/cells/annotations.json"))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=240, max_size=320)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(2):
    for item in ann:
        image = torch.rand(3, H, W)
        target = {"boxes": torch.tensor(item["boxes"], dtype=torch.float32),
                  "labels": torch.tensor(item["labels"])}
        losses = model([image], [target])
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def cells_ann():
    import json
    out = []
    for i in range(4):
        bxs = []
        for j in range(2):
            x1, x2 = 30 + 90 * j, 80 + 90 * j
            y1_img, y2_img = 40 + 10 * i, 100 + 10 * i
            bxs.append([x1, 240 - y1_img, x2, 240 - y2_img])   # plot coordinates: y measured from the bottom
        out.append({"file": f"cell_{i}.png", "boxes": bxs, "labels": [1, 2]})
    return json.dumps(out)


# ===================================================================== 3. class counts
FROM1_PRE = '''
# convert.py: LabelMe json -> YOLO txt
import glob
import json
import os

CLASSES = ["car", "truck", "bus"]
CLASS_ID = {name: i for i, name in enumerate(CLASSES, start=1)}

for split in ("train", "validation"):
    os.makedirs(f"traffic/{split}/annotations", exist_ok=True)
    for jp in glob.glob(f"labelme/{split}/*.json"):
        d = json.load(open(jp))
        W, H = d["imageWidth"], d["imageHeight"]
        rows = []
        for s in d["shapes"]:
            (x1, y1), (x2, y2) = s["points"]
            rows.append(f"{CLASS_ID[s['label']]} {(x1 + x2) / 2 / W:.6f} {(y1 + y2) / 2 / H:.6f} "
                        f"{abs(x2 - x1) / W:.6f} {abs(y2 - y1) / H:.6f}")
        stem = os.path.splitext(os.path.basename(jp))[0]
        open(f"traffic/{split}/annotations/{stem}.txt", "w").write("\\n".join(rows) + "\\n")

'''


def labelme_setup(work: Path):
    import json
    specs = []
    names = ["car", "truck", "bus"]
    for split, n in (("train", 6), ("validation", 2)):
        d = work / "labelme" / split
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"cam2_{split[:3]}_{i:04d}"
            specs.append((f"traffic/{split}/images/{stem}.jpg", (240, 180), "RGB"))
            shapes = [{"label": names[(i + j) % 3], "points": [[20 + 60 * j, 30 + 4 * i], [70 + 60 * j + 3 * i, 90 + 5 * j]],
                       "shape_type": "rectangle"} for j in range(3)]
            (d / f"{stem}.json").write_text(json.dumps({"imageWidth": 240, "imageHeight": 180, "shapes": shapes,
                                                        "imagePath": f"{stem}.jpg"}))
    make_images(work, specs)


STALE_PRE = '''
import json

# class names as saved by the last training run (before "mask" was added to the label set)
with open("ppe/json/ppe_tiny-yolov3_detection_config.json") as f:
    config = json.load(f)
print("classes:", config["labels"])
'''

STALE_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="ppe")
trainer.setTrainConfig(object_names_array=config["labels"], batch_size=4, num_experiments=10,
                       train_from_pretrained_model="ppe/models/tiny-yolov3_ppe_last.pt")
trainer.trainModel()
'''

SCRIPTS["imagefolder-extra-folder-mixup-one-hot"] = '''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision import datasets, transforms

NUM_CLASSES = 4          # battery, glass, paper, plastic

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/waste/train", transform=tf)
loader = torch.utils.data.DataLoader(train_ds, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=NUM_CLASSES)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def mixup(x, y, alpha=0.4):
    lam = np.random.beta(alpha, alpha)
    perm = torch.randperm(x.size(0))
    y1 = F.one_hot(y, num_classes=NUM_CLASSES).float()
    return lam * x + (1 - lam) * x[perm], lam * y1 + (1 - lam) * y1[perm]


for epoch in range(3):
    for x, y in loader:
        x, y_soft = mixup(x, y)
        loss = torch.sum(-y_soft * F.log_softmax(model(x), dim=1), dim=1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''

SCRIPTS["frcnn-predictor-copied-from-two-class-tutorial"] = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor

CLASSES = ["__background__", "pothole", "crack", "manhole"]

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None)
in_features = model.roi_heads.box_predictor.cls_score.in_features
# from the PennFudan tutorial: 1 class (person) + background
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, 2)

opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
model.train()
for step in range(3):
    images = [torch.rand(3, 240, 320) for _ in range(2)]
    targets = [{"boxes": torch.tensor([[30., 40., 120., 150.], [150., 60., 260., 200.]]),
                "labels": torch.tensor([1, 3])},
               {"boxes": torch.tensor([[10., 20., 90., 100.]]), "labels": torch.tensor([2])}]
    losses = model(images, targets)
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, {k: round(v.item(), 4) for k, v in losses.items()})
'''

SCRIPTS["multilabel-head-from-old-attribute-list"] = '''
import csv
import json

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

config = json.load(open("config.json"))          # written when the project started
model = torchvision.models.resnet18()
model.fc = nn.Linear(model.fc.in_features, len(config["attributes"]))


class Garments(Dataset):
    def __init__(self, csv_path):
        with open(csv_path) as f:
            reader = csv.reader(f)
            self.header = next(reader)[1:]
            self.rows = list(reader)
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        x = self.tf(Image.open(f"data/images/{row[0]}").convert("RGB"))
        return x, torch.tensor([float(v) for v in row[1:]])


ds = Garments("data/attributes.csv")
print("attributes in csv:", ds.header)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for x, y in DataLoader(ds, batch_size=4, shuffle=True):
    loss = criterion(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item())
'''


def garments_setup(work: Path):
    import json
    attrs = ["striped", "floral", "long_sleeve", "hooded", "denim", "sleeveless"]
    (work / "config.json").write_text(json.dumps({"attributes": attrs[:5], "image_size": 64}))
    rows = ["file," + ",".join(attrs)]
    for i in range(8):
        rows.append(f"g_{i:03d}.jpg," + ",".join(str((i + k) % 2) for k in range(6)))
    (work / "data").mkdir(exist_ok=True)
    (work / "data/attributes.csv").write_text("\n".join(rows) + "\n")
    make_images(work, [(f"data/images/g_{i:03d}.jpg", (72, 96), "RGB") for i in range(8)])


# ======================================================== 4. model output the loss cannot use
SCRIPTS["custom-yolo-head-sized-for-coco-classes"] = '''
import torch
import torch.nn as nn

NUM_ANCHORS = 3
NUM_CLASSES = 3          # helmet, head, person


class TinyYolo(nn.Module):
    def __init__(self, num_classes=80):
        super().__init__()
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
            nn.Conv2d(64, 64, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
            nn.Conv2d(64, 64, 3, stride=2, padding=1), nn.LeakyReLU(0.1),
        )
        self.head = nn.Conv2d(64, NUM_ANCHORS * (5 + num_classes), 1)

    def forward(self, x):
        return self.head(self.backbone(x))


def yolo_loss(pred, target):
    n, _, s, _ = pred.shape
    pred = pred.view(n, NUM_ANCHORS, 5 + NUM_CLASSES, s, s).permute(0, 1, 3, 4, 2)
    obj = nn.functional.binary_cross_entropy_with_logits(pred[..., 4], target[..., 4])
    box = nn.functional.mse_loss(pred[..., :4].sigmoid(), target[..., :4])
    cls = nn.functional.binary_cross_entropy_with_logits(pred[..., 5:], target[..., 5:])
    return obj + box + cls


model = TinyYolo()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(3):
    images = torch.rand(2, 3, 416, 416)
    target = torch.zeros(2, NUM_ANCHORS, 13, 13, 5 + NUM_CLASSES)
    target[0, 1, 6, 7] = torch.tensor([0.5, 0.4, 0.2, 0.3, 1, 0, 1, 0])
    loss = yolo_loss(model(images), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

SCRIPTS["classifier-without-global-pool-spatial-logits"] = '''
import torch
import torch.nn as nn
from torchvision import datasets, transforms


class LeafNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d(2),
        )
        # 1x1 conv as the classifier (fully convolutional, works for any input size)
        self.classifier = nn.Conv2d(128, num_classes, 1)

    def forward(self, x):
        return self.classifier(self.features(x))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/plant_village/train", transform=tf)
loader = torch.utils.data.DataLoader(ds, batch_size=8, shuffle=True)
model = LeafNet(len(ds.classes))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["face-id-model-returns-logits-and-embedding"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, TensorDataset


class FaceNet(nn.Module):
    """ResNet trunk -> 128-d embedding (for center loss) + identity logits"""

    def __init__(self, num_ids):
        super().__init__()
        trunk = torchvision.models.resnet18()
        trunk.fc = nn.Identity()
        self.trunk = trunk
        self.embed = nn.Linear(512, 128)
        self.logits = nn.Linear(128, num_ids)

    def forward(self, x):
        e = nn.functional.normalize(self.embed(self.trunk(x)))
        return self.logits(e), e


faces = TensorDataset(torch.rand(32, 3, 64, 64), torch.randint(0, 10, (32,)))
model = FaceNet(num_ids=10)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(2):
    for x, y in DataLoader(faces, batch_size=8, shuffle=True):
        out = model(x)
        loss = criterion(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["frcnn-custom-box-predictor-one-tensor"] = '''
import torch
import torch.nn as nn
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "insulator", "damper"]


class DeeperPredictor(nn.Module):
    """two-layer head instead of torchvision's FastRCNNPredictor"""

    def __init__(self, in_features, num_classes):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(in_features, 512), nn.ReLU(), nn.Dropout(0.2))
        self.out = nn.Linear(512, num_classes + num_classes * 4)

    def forward(self, x):
        return self.out(self.mlp(x.flatten(1)))


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None)
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = DeeperPredictor(in_features, len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
images = [torch.rand(3, 240, 320), torch.rand(3, 240, 320)]
targets = [{"boxes": torch.tensor([[40., 30., 160., 120.]]), "labels": torch.tensor([1])},
           {"boxes": torch.tensor([[100., 80., 220., 200.]]), "labels": torch.tensor([2])}]
for step in range(3):
    losses = model(images, targets)
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

SCRIPTS["defect-single-logit-head-crossentropy"] = '''
import torch
import torch.nn as nn
import torchvision
from torchvision import datasets, transforms

# ok / defect  ->  one output "probability of defect"
model = torchvision.models.resnet18()
model.fc = nn.Sequential(nn.Linear(model.fc.in_features, 1), nn.Sigmoid())

tf = transforms.Compose([transforms.Grayscale(3), transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/castings/train", transform=tf)
print(ds.class_to_idx)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(2):
    for x, y in torch.utils.data.DataLoader(ds, batch_size=8, shuffle=True):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

IAI_VALIDATE_FRCNN = '''
import torch
from torch.utils.data import DataLoader
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.Detection.Custom.yolo import validate

# our own Faster R-CNN, scored with the same mAP code ImageAI uses for its YOLO models
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
model.load_state_dict(torch.load("frcnn_fruits_epoch20.pth"))
model.eval()

val_ds = LoadImagesAndLabels("fruits", train=False)
val_loader = DataLoader(val_ds, batch_size=2, shuffle=False, collate_fn=val_ds.collate_fn)
mp, mr, map50, map50_95 = validate.run(model, val_loader, num_class=2)
print(f"precision {mp:.3f} recall {mr:.3f} mAP@0.5 {map50:.3f} mAP@0.5:0.95 {map50_95:.3f}")
'''

# ============================================================ 5. object where a path is expected
SPLITS_DICT = '''
from imageai.Detection.Custom import DetectionModelTrainer

DATA = {
    "train": "datasets/bottles/train",
    "validation": "datasets/bottles/validation",
}

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["bottle", "can"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''

JSON_STRING = '''
import json

from imageai.Detection.Custom import CustomObjectDetection

# the config is kept in our settings module instead of a loose file
CONFIG = json.dumps({
    "labels": ["bottle", "can"],
    "anchors": [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319],
})

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_bottles_mAP-0.48000_epoch-31.pt")
detector.setJsonPath(CONFIG)
detector.loadModel()
print(detector.detectObjectsFromImage(input_image="belt.jpg", output_image_path="belt-detected.jpg"))
'''

OWN_LOOP_MODEL_PATH = '''
import json

import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.Detection.Custom import CustomObjectDetection

# weights from our own training loop (see train_loop.py); rebuild the network and hand it to ImageAI
config = json.load(open("bees/json/bees_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=config["anchors"], num_classes=len(config["labels"]))
model.load_state_dict(torch.load("bees/models/own_loop_epoch_50.pt"))

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setJsonPath("bees/json/bees_tiny-yolov3_detection_config.json")
detector.loadModel(model)
print(detector.detectObjectsFromImage(input_image="hive_entrance.jpg", output_image_path="hive-detected.jpg"))
'''

STREAMLIT_BYTES = '''
import io

from imageai.Classification.Custom import CustomImageClassification


class UploadedFile(io.BytesIO):
    """what st.file_uploader hands back"""
    name = "mobilenet_v2-birds-test_acc_0.81250_epoch-14.pt"


def load_classifier(model_file, json_path):
    prediction = CustomImageClassification()
    prediction.setModelTypeAsMobileNetV2()
    prediction.setModelPath(model_file)
    prediction.setJsonPath(json_path)
    prediction.loadModel()
    return prediction


uploaded = UploadedFile(open("mobilenet_v2-birds-test_acc_0.81250_epoch-14.pt", "rb").read())
clf = load_classifier(uploaded, "birds_model_classes.json")
print(clf.classifyImage("robin.jpg", result_count=2))
'''

PRETRAINED_OPEN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
with open("yolov3.pt", "rb") as pretrained:
    trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=30,
                           train_from_pretrained_model=pretrained)
    trainer.trainModel()
'''

TYPE_AFTER_TRAIN_CELLS = [
    "from imageai.Detection.Custom import DetectionModelTrainer\n\ntrainer = DetectionModelTrainer()",
    'trainer.setDataDirectory(data_directory="kangaroos")\n'
    'trainer.setTrainConfig(object_names_array=["kangaroo"], batch_size=4, num_experiments=5)',
    "trainer.trainModel()",
    "trainer.setModelTypeAsTinyYOLOv3()",
]

# ======================================================================= 6. divergence
YOLO_OWN_LOOP = '''
import torch
from torch.utils.data import DataLoader
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.Detection.Custom.yolo.compute_loss import compute_loss

# ImageAI's trainer has no learning-rate option: find one with an LR range test on the same pieces
torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)      # to see where it breaks, if it does
ds = LoadImagesAndLabels("pallets", train=True)
loader = DataLoader(ds, batch_size=3, shuffle=True, collate_fn=ds.collate_fn)
model = YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=2)
lr = 1e-2
opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
model.train()
history = []
for epoch in range(12):
    for imgs, targets in loader:
        model(imgs)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    history.append((lr, loss.item()))
    print(f"lr {lr:g}: box {parts[0]:.4f} obj {parts[1]:.4f} cls {parts[2]:.4f}")
    lr *= 10
    for group in opt.param_groups:
        group["lr"] = lr
print(min(history, key=lambda t: t[1]))
'''

SCRIPTS["age-gender-multitask-years-mse-then-bce"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
cfg = json.load(open("config.json"))

# UTKFace-style crops: age in years (regression) + gender (binary), one shared trunk
faces = torch.rand(64, 3, 32, 32)
age = torch.randint(18, 80, (64,)).float()
gender = (torch.rand(64) > 0.5).float()


class AgeGender(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                                   nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.age = nn.Linear(32, 1)
        self.gender = nn.Sequential(nn.Linear(32, 1), nn.Sigmoid())

    def forward(self, x):
        f = self.trunk(x)
        return self.age(f).squeeze(1), self.gender(f).squeeze(1)


model = AgeGender()
opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9)
bce = nn.BCELoss()
for epoch in range(cfg["epochs"]):
    for x, a, g in DataLoader(TensorDataset(faces, age, gender), batch_size=16, shuffle=True):
        pred_age, pred_gender = model(x)
        loss = nn.functional.mse_loss(pred_age, a) + bce(pred_gender, g)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''

SCRIPTS["weight-histogram-logging-after-divergence"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# crowd counting: regress the number of people straight from the image
torch.manual_seed(0)
images = torch.rand(48, 3, 48, 48)
counts = torch.randint(50, 400, (48,)).float()
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.LeakyReLU(0.1), nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(128, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01)


def log_histograms(model, epoch):
    # what wandb.watch(model, log="all") does every epoch
    for name, p in model.named_parameters():
        hist, edges = np.histogram(p.detach().numpy().ravel(), bins=32)
        print(f"  {name:12s} [{edges[0]:+.3f}, {edges[-1]:+.3f}] peak bin {hist.argmax()}")


for epoch in range(6):
    for x, y in DataLoader(TensorDataset(images, counts), batch_size=8, shuffle=True):
        loss = nn.functional.mse_loss(model(x).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} mse {loss.item():.1f}")
    log_histograms(model, epoch)
'''

SCRIPTS["detect-anomaly-landmark-regressor-lr-sweep"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)

# landmark detector (5 face keypoints) trained as coordinate regression on raw pixel targets
model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.LeakyReLU(0.1), nn.Conv2d(16, 32, 3, stride=2),
                      nn.LeakyReLU(0.1), nn.Flatten(), nn.LazyLinear(10))
for lr in [0.001, 0.01, 0.1, 1.0]:
    model(torch.rand(1, 3, 64, 64))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    for step in range(20):
        x = torch.rand(8, 3, 64, 64) * 255
        y = torch.rand(8, 10) * 64
        loss = ((model(x) - y) ** 2).sum(dim=1).mean()      # squared point error in pixels
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"lr={lr}: mean squared point error {loss.item():.2f}px^2")
'''

# ================================================================ 7. too few / empty boxes
SCRIPTS["frcnn-background-only-frames-empty-txt"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms.functional import to_tensor


class Trapcam(Dataset):
    """camera-trap frames; each frame has a txt with 'label x1 y1 x2 y2' rows (pixels)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        rows = []
        with open(self.images[i].replace(".jpg", ".txt")) as f:
            for line in f:
                rows.append([float(v) for v in line.split()])
        rows = torch.tensor(rows)
        target = {"boxes": rows[:, 1:] if len(rows) else rows, "labels": rows[:, 0].long() if len(rows) else rows.long()}
        return to_tensor(Image.open(self.images[i]).convert("RGB")), target


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
loader = DataLoader(Trapcam("data/trapcam"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
for images, targets in loader:
    losses = model(list(images), list(targets))
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(round(loss.item(), 4))
'''


def trapcam_setup(work: Path):
    make_images(work, [(f"data/trapcam/IMG_{i:04d}.jpg", (320, 240), "RGB") for i in range(6)])
    for i in range(6):
        txt = "" if i == 3 else f"{1 + i % 2} {40 + 5 * i} 60 {150 + 4 * i} 180\n"   # IMG_0003: no animal
        (work / f"data/trapcam/IMG_{i:04d}.txt").write_text(txt)


AUGMENT_COPIES_PRE = '''
# augment.py: 10 brightness/contrast variants of each of the 3 labelled photos
import glob
import os
import shutil

import cv2

for split in ("train",):
    for img_path in sorted(glob.glob(f"signs/{split}/images/*.jpg")):
        stem = os.path.splitext(os.path.basename(img_path))[0]
        if "_aug" in stem:
            continue
        img = cv2.imread(img_path)
        for k in range(10):
            out = cv2.convertScaleAbs(img, alpha=0.8 + 0.04 * k, beta=-20 + 4 * k)
            cv2.imwrite(f"signs/{split}/images/{stem}_aug{k}.jpg", out)
            shutil.copy(f"signs/{split}/annotations/{stem}.txt", f"signs/{split}/annotations/{stem}_aug{k}.txt")
print(len(glob.glob("signs/train/images/*.jpg")), "training images")

'''


# ============================================================================== cases
def cases():
    out, add, script, _ = case_builders("torch-more30-", SCRIPTS)

    def iai(name, cause, files, forms=("cpython_basic",), argv="train.py", args=(), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, files, forms=forms, argv=[argv, *args], **kw)

    def iai_nb(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, nb(cells), forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    W = ["cpython_basic", "dataloader_worker"]
    P = ["cpython_basic", "progress_bars?"]

    # ---------------------------------------------------------------- 1. image size / channels
    script("receipt-photos-decode-image-exif-orientation-stack", "data.image_size_mismatch", setup=receipts_setup)
    script("herbarium-palette-png-numpy-normalise-workers", "data.image_channels", forms=W,
           setup=imgs(class_folder("data/herbarium/train", ["acer", "quercus"], 3, size=(64, 64), ext="jpg")
                      + [("data/herbarium/train/quercus/quercus_scan_09.png", (64, 64), "P")]))
    script("product-shots-read-image-rgba-v2-normalize", "data.image_channels",
           setup=imgs(class_folder("data/catalogue", ["lamp", "mug"], 3, size=(80, 80), ext="png")
                      + [("data/catalogue/mug/mug_cutout_transparent.png", (80, 80), "RGBA")]))
    script("lesion-mask-saved-half-size-stack", "data.image_size_mismatch", setup=lesion_setup)
    iai("custom-cls-keras-style-hw1-gray-array", "data.image_channels", {"predict.py": XRAY_PREDICT},
        argv="predict.py",
        setup=both(save_cls("mobilenet_v2", '["normal", "pneumonia"]',
                            "models/mobilenet_v2-chest-test_acc_0.87500_epoch-11.pt", "models/chest_model_classes.json"),
                   imgs([("incoming/patient_0412.png", (256, 256), "L")])))
    iai("custom-detect-bilevel-tiff-from-scanner", "data.image_channels", {"detect.py": STAMP_DETECT},
        argv="detect.py",
        setup=both(save_tiny('["stamp", "signature"]', "forms/models/tiny-yolov3_forms_mAP-0.52000_epoch-40.pt",
                             "forms/json/forms_tiny-yolov3_detection_config.json"), prep(BILEVEL)))
    iai("custom-detect-bgra-timestamp-overlay-frames", "data.image_channels", {"detect.py": OVERLAY_DETECT},
        argv="detect.py",
        setup=both(save_tiny('["car"]', "parking/models/tiny-yolov3_parking_mAP-0.61000_epoch-25.pt",
                             "parking/json/parking_tiny-yolov3_detection_config.json"),
                   imgs([(f"frames/frame_{i:05d}.jpg", (320, 240), "RGB") for i in range(3)])))

    # ------------------------------------------------------------------------------- 2. boxes
    iai("det-offline-hflip-copies-negative-centre", "data.bbox_invalid",
        {"train.py": det_train(HFLIP_PRE, datadir="drones", classes='["drone", "bird"]')}, forms=P,
        setup=yolo_layout("drones", lambda s, i: boxes(i, [0, 1]), size=(240, 180)))
    iai("det-offline-mosaic-offsets-without-halving", "data.bbox_invalid",
        {"train.py": det_train(MOSAIC_PRE, model="YOLOv3", datadir="shelf", classes='["cereal", "soup", "pasta"]')},
        forms=P, setup=yolo_layout("shelf", lambda s, i: boxes(i, [0, 1, 2], base=0.1), size=(320, 240),
                                   splits=(("train", 8), ("validation", 2))))
    iai("det-letterboxed-images-boxes-normalised-by-photo", "data.bbox_invalid",
        {"train.py": det_train(LETTERBOX_PRE, datadir="ppe416", classes='["helmet", "vest"]')}, forms=P,
        setup=ppe_raw)
    script("fcos-yolo-txt-rows-used-as-xyxy", "data.bbox_invalid", setup=weeds_setup, timeout=400)
    script("voc-crops-xmin-xmax-swapped-workers", "data.bbox_invalid", forms=W, setup=orchard_setup)
    script("centernet-heatmap-centre-past-border-after-affine", "data.bbox_invalid")
    script("retinanet-plot-origin-boxes-y-flipped", "data.bbox_invalid",
           setup=write("data/cells/annotations.json", cells_ann()), timeout=400)

    # ------------------------------------------------------------------------ 3. class counts
    iai("det-labelme-converter-ids-from-one", "data.label_out_of_range",
        {"train.py": det_train(FROM1_PRE, datadir="traffic", classes='["car", "truck", "bus"]')}, forms=P,
        setup=labelme_setup)
    iai("det-object-names-from-stale-run-config", "data.label_out_of_range",
        {"train.py": STALE_PRE + STALE_TRAIN}, forms=P, also=["model.output_mismatch"],
        setup=both(yolo_layout("ppe", lambda s, i: boxes(i, [0, 1, 2]), size=(240, 180)),
                   save_tiny('["helmet", "vest"]', "ppe/models/tiny-yolov3_ppe_last.pt",
                             "ppe/json/ppe_tiny-yolov3_detection_config.json")))
    script("imagefolder-extra-folder-mixup-one-hot", "data.label_out_of_range", also=["model.output_mismatch"],
           setup=imgs(class_folder("data/waste/train", ["battery", "glass", "paper", "plastic", "unsorted"], 2,
                                   size=(48, 48))))
    script("frcnn-predictor-copied-from-two-class-tutorial", "model.output_mismatch",
           also=["data.label_out_of_range"])
    script("multilabel-head-from-old-attribute-list", "model.output_mismatch", also=["data.label_shape"],
           setup=garments_setup)

    # ------------------------------------------------------- 4. model output the loss cannot use
    script("custom-yolo-head-sized-for-coco-classes", "model.output_mismatch")
    script("classifier-without-global-pool-spatial-logits", "model.output_mismatch",
           setup=imgs(class_folder("data/plant_village/train", ["blight", "healthy", "rust"], 3, size=(64, 64))))
    script("face-id-model-returns-logits-and-embedding", "model.output_mismatch")
    script("frcnn-custom-box-predictor-one-tensor", "model.output_mismatch")
    script("defect-single-logit-head-crossentropy", "model.output_mismatch",
           setup=imgs(class_folder("data/castings/train", ["def_front", "ok_front"], 4, size=(64, 64))))
    iai("validate-run-given-fasterrcnn-model", "model.output_mismatch", {"evaluate.py": IAI_VALIDATE_FRCNN},
        argv="evaluate.py", forms=P, also=["model.api_misuse"],
        setup=both(yolo_layout("fruits", lambda s, i: boxes(i, [0, 1]), size=(240, 180)),
                   prep("import torch\nfrom torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn\n"
                        "torch.save(fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, "
                        "num_classes=3).state_dict(), 'frcnn_fruits_epoch20.pth')\n")))

    # ----------------------------------------------- 5. object where ImageAI expects a path
    iai("det-train-data-directory-dict-of-splits", "model.api_misuse", {"train.py": SPLITS_DICT},
        setup=yolo_layout("datasets/bottles", lambda s, i: boxes(i, [0, 1]), size=(240, 180)))
    iai("custom-detect-json-path-given-json-string", "model.api_misuse", {"detect.py": JSON_STRING}, argv="detect.py",
        setup=both(save_tiny('["bottle", "can"]', "models/tiny-yolov3_bottles_mAP-0.48000_epoch-31.pt",
                             "models/unused_config.json"), imgs([("belt.jpg", (320, 240), "RGB")])))
    iai("custom-detect-load-model-given-rebuilt-network", "model.api_misuse", {"detect.py": OWN_LOOP_MODEL_PATH},
        argv="detect.py",
        setup=both(save_tiny('["bee", "wasp"]', "bees/models/own_loop_epoch_50.pt",
                             "bees/json/bees_tiny-yolov3_detection_config.json"),
                   imgs([("hive_entrance.jpg", (320, 240), "RGB")])))
    iai("custom-cls-set-model-path-uploaded-bytes", "model.api_misuse", {"app.py": STREAMLIT_BYTES}, argv="app.py",
        setup=both(save_cls("mobilenet_v2", '["robin", "sparrow"]', "mobilenet_v2-birds-test_acc_0.81250_epoch-14.pt",
                            "birds_model_classes.json"), imgs([("robin.jpg", (120, 90), "RGB")])))
    iai("det-train-pretrained-open-file-handle", "model.api_misuse", {"train.py": PRETRAINED_OPEN},
        setup=both(yolo_layout("hardhat", lambda s, i: boxes(i, [0, 1]), size=(240, 180)),
                   write("yolov3.pt", b"\x80\x02weights")))
    iai_nb("det-train-model-type-cell-after-train-notebook", "model.api_misuse", TYPE_AFTER_TRAIN_CELLS,
           forms=["ipython_cell", "ipython_arrows", "progress_bars?"],
           setup=yolo_layout("kangaroos", lambda s, i: boxes(i, [0, 0]), size=(240, 180)))

    # ------------------------------------------------------------------------ 6. divergence
    iai("yolo-own-loop-lr-range-test-detect-anomaly", "optim.divergence", {"train_loop.py": YOLO_OWN_LOOP},
        argv="train_loop.py",
        setup=yolo_layout("pallets", lambda s, i: boxes(i, [0, 1]), size=(240, 180)))
    script("age-gender-multitask-years-mse-then-bce", "optim.divergence",
           setup=write("config.json", '{"lr": 0.5, "epochs": 20, "batch_size": 16}'))
    script("weight-histogram-logging-after-divergence", "optim.divergence")
    script("detect-anomaly-landmark-regressor-lr-sweep", "optim.divergence", forms=["cpython_basic", "multiline_message?"])

    # ------------------------------------------------------------------ 7. too few / empty boxes
    iai("det-cvat-export-annotations-all-empty", "data.too_few_boxes",
        {"train.py": det_train(datadir="mice", classes='["mouse"]')}, forms=P, also=["data.missing_or_corrupt"],
        setup=yolo_layout("mice", lambda s, i: "", size=(320, 240)))
    iai("det-sticky-trap-insects-under-two-pixels", "data.too_few_boxes",
        {"train.py": det_train(model="YOLOv3", datadir="traps", classes='["whitefly", "thrips"]')}, forms=P,
        also=["data.bbox_invalid"],
        setup=yolo_layout("traps", lambda s, i: "".join(
            f"{k % 2} {0.1 + 0.11 * k:.4f} {0.2 + 0.07 * k:.4f} {0.0012 + 0.0001 * i:.5f} {0.0011 + 0.0001 * k:.5f}\n"
            for k in range(6)), size=(1600, 1200)))
    iai("det-yolov3-only-first-images-labelled", "data.too_few_boxes",
        {"train.py": det_train(model="YOLOv3", datadir="solar", classes='["hotspot", "crack"]')}, forms=P,
        setup=both(yolo_layout("solar", lambda s, i: boxes(i, [0, 1]), size=(240, 180), write_labels=False),
                   write("solar/train/annotations/tra_0000.txt", boxes(0, [0, 1, 0])),
                   write("solar/train/annotations/tra_0001.txt", boxes(1, [1, 0])),
                   write("solar/validation/annotations/val_0000.txt", boxes(2, [0]))))
    iai("det-tiny-five-photos-one-box-each", "data.too_few_boxes",
        {"train.py": det_train(datadir="logos", classes='["logo_a", "logo_b", "logo_c"]', bs="2")}, forms=P,
        setup=yolo_layout("logos", lambda s, i: boxes(i, [i % 3]), size=(240, 180),
                          splits=(("train", 5), ("validation", 2))))
    iai("det-brightness-copies-of-three-photos", "data.too_few_boxes",
        {"train.py": det_train(AUGMENT_COPIES_PRE, model="YOLOv3", datadir="signs", classes='["stop", "yield"]')},
        forms=P, setup=yolo_layout("signs", lambda s, i: boxes(i, [0, 1]), size=(240, 180),
                                   splits=(("train", 3), ("validation", 2))))
    script("frcnn-background-only-frames-empty-txt", "data.too_few_boxes", also=["data.bbox_invalid"],
           setup=trapcam_setup)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
