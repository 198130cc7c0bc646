"""A twenty-first held-out set of PyTorch / torchvision / ImageAI 3 failures, new
variations on the project's seed causes: photos of mixed orientation, aspect,
channel count and bit depth reaching a batch (EXIF-rotated phone photos,
``thumbnail`` resizes, LA / CMYK / palette / 16-bit files, an MNIST model given
an RGB photo); bounding boxes flipped without swapping, rescaled to zero height,
converted from labelme / COCO the wrong way, drawn or cropped as xywh, missing
the RoI batch index, degenerate boxes in a log-encoded regression; class counts
that do not fit the labels or the model (1-based Stanford Cars labels, a
``.DS_Store`` that is not there, hidden thumbnail folders, background forgotten
in a one-hot Dice loss or a Mask R-CNN mask head, a hand-written ImageAI class
JSON); custom models whose output the loss or the caller cannot use (tuples,
feature-extractor dicts, a detector returning tensors, a backbone returning a
tuple of stages, logits given as probabilities, a U-Net without sigmoid);
objects passed where ImageAI / torch / PIL want a path; learning rates or fp16
that make the loss NaN (anomaly mode on pixel-space box regression, OHEM
sampling weights, active-learning sampling, fp16 Adam); calls made in the wrong order
(GradScaler, accumulation, schedulers, ImageAI loadModel / classifyImage).

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads: "pretrained" weights are files an earlier run left on disk); the
label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more21.py [-k filter] [--out DIR]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, sub, write  # noqa: E402,F401

SRC = "corpus/generators/torch_more21.py"


# ====================================================================== setups
def weights(arch, path, **kw):
    """Weights file for `arch` (random values, same layout)."""
    args = ", ".join(f"{k}={v!r}" for k, v in kw.items())
    return prep(f'''
        import os, torch, torchvision
        os.makedirs(os.path.dirname("{path}") or ".", exist_ok=True)
        torch.save(torchvision.models.{arch}({args}).state_dict(), "{path}")
    ''')


flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 3)
               + class_folder("flowers/val", ("daisy", "rose", "tulip"), 1))

# phone photos batch-resized to 160x120, some still carrying an EXIF "rotate 90" tag
phone_photos = prep('''
    import os, random
    from PIL import Image
    rnd = random.Random(3)
    for c in ("healthy", "rust", "scab"):
        os.makedirs(f"leaves/{c}", exist_ok=True)
        for i in range(3):
            img = Image.frombytes("RGB", (160, 120), bytes(rnd.randrange(256) for _ in range(160 * 120 * 3)))
            exif = Image.Exif()
            exif[0x010F] = "Apple"
            exif[0x0110] = "iPhone 12"
            exif[0x0112] = 6 if (c, i) in (("healthy", 2), ("rust", 1)) else 1
            img.save(f"leaves/{c}/IMG_{4100 + 7 * i + len(c)}.jpg", exif=exif.tobytes(), quality=90)
''')

# scanned signatures saved by the scanner app as greyscale + alpha PNGs
signatures = prep('''
    import os, random
    from PIL import Image
    rnd = random.Random(5)
    for c in ("forged", "genuine"):
        os.makedirs(f"signatures/train/{c}", exist_ok=True)
        for i in range(4):
            img = Image.frombytes("LA", (120, 60), bytes(rnd.randrange(256) for _ in range(120 * 60 * 2)))
            img.save(f"signatures/train/{c}/{c}_{i:03d}.png")
''')

# ImageAI detection weights + config written by an earlier training run (random weights, same layout)
SAVE_TINY = '''
import json, os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
os.makedirs("hardhat/models", exist_ok=True)
os.makedirs("hardhat/json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=2).state_dict(), "hardhat/models/tiny-yolov3_hardhat_mAP-0.38_epoch-41.pt")
with open("hardhat/json/hardhat_tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["helmet", "head"], "anchors": anchors6}, f)
'''
tiny_weights = prep(SAVE_TINY)

# ImageAI classification weights + class json written by an earlier ClassificationModelTrainer run
SAVE_CLS = '''
import json, os
import torch, torchvision
os.makedirs("pets/models", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=2).state_dict(),
           "pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
json.dump({"0": "cat", "1": "dog"}, open("pets/models/pets_model_classes.json", "w"))
'''
cls_weights = prep(SAVE_CLS)


def det_images(root, n_train=4, n_val=2, size=(160, 90)):
    specs = []
    for split, n in (("train", n_train), ("validation", n_val)):
        for i in range(n):
            specs.append((f"{root}/{split}/images/img_{split[0]}{i:03d}.jpg", size, "RGB"))
    return imgs(specs)


# ====================================================================== scripts
SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ 1. image size / channels
SCRIPTS["phone-photos-preresized-exif-transpose-no-resize"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image, ImageOps
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

# all photos were resized to 160x120 with `mogrify -resize 160x120!` before training,
# so no Resize transform is needed here


class LeafPhotos(Dataset):
    def __init__(self, root):
        self.classes = sorted(os.listdir(root))
        self.samples = [(p, i) for i, c in enumerate(self.classes)
                        for p in sorted(glob.glob(os.path.join(root, c, "*.jpg")))]
        self.tf = transforms.Compose([transforms.ToTensor(),
                                      transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        # phone photos: apply the EXIF orientation so the leaves are upright
        img = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
        return self.tf(img), label


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 3),
)
ds = LeafPhotos("leaves")
loader = DataLoader(ds, batch_size=4, shuffle=False)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(5):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''

SCRIPTS["pil-thumbnail-keeps-aspect-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as TF


class ProductImages(Dataset):
    """shop product photos scraped from three suppliers"""

    def __init__(self, root, size=128):
        self.classes = sorted(os.listdir(root))
        self.items = [(f, self.classes.index(c)) for c in self.classes for f in sorted(glob.glob(f"{root}/{c}/*"))]
        self.size = size

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = Image.open(path).convert("RGB")
        img.thumbnail((self.size, self.size))   # resize to 128x128
        return TF.to_tensor(img), label


def main():
    loader = DataLoader(ProductImages("products"), batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(10):
        for x, y in loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        print("epoch", epoch)


if __name__ == "__main__":
    main()
'''

CELLS["signature-scans-la-png-normalize-notebook"] = [
    '''import glob
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import models, transforms''',
    '''class SignatureDataset(Dataset):
    def __init__(self, root, transform):
        self.files = sorted(glob.glob(f"{root}/*/*.png"))
        self.labels = [0 if "/forged/" in f else 1 for f in self.files]
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i])
        return self.transform(img), self.labels[i]

tf = transforms.Compose([
    transforms.Resize((64, 128)),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_ds = SignatureDataset("signatures/train", tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
len(train_ds)''',
    '''model = models.resnet18(weights=None, num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]

MNIST_NET = '''
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.dropout1(x)
        x = x.flatten(1)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)
'''

SCRIPTS["mnist-cnn-predict-own-digit-photo-rgb"] = '''
import sys

import torch
from PIL import Image
from torchvision import transforms

from model import Net

model = Net()
model.load_state_dict(torch.load("mnist_cnn.pt", map_location="cpu"))
model.eval()

# same preprocessing as the MNIST example
tf = transforms.Compose([
    transforms.Resize((28, 28)),
    transforms.ToTensor(),
    transforms.Normalize((0.1307,), (0.3081,)),
])
img = Image.open(sys.argv[1])
x = tf(img).unsqueeze(0)
with torch.no_grad():
    pred = model(x).argmax(1).item()
print("predicted digit:", pred)
'''

SCRIPTS["predict-cmyk-catalogue-jpeg-np-array-permute"] = '''
import sys

import cv2
import numpy as np
import torch
import torchvision
from PIL import Image

CLASSES = ["bag", "dress", "sandal", "shirt"]
model = torchvision.models.resnet18(num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/fashion_resnet18_best.pth", map_location="cpu"))
model.eval()

def load(path):
    img = np.array(Image.open(path))
    img = cv2.resize(img, (128, 128))
    x = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
    return x


for path in sys.argv[1:]:
    x = load(path)
    with torch.no_grad():
        probs = model(x.unsqueeze(0)).softmax(1)[0]
    print(path, CLASSES[int(probs.argmax())], f"{probs.max():.3f}")
'''

SCRIPTS["imageai-custom-detect-palette-png-pil-image"] = '''
from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.38_epoch-41.pt")
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()

# frames exported from the site camera's web viewer
frame = Image.open("camera_export/frame_0012.png")
detections = detector.detectObjectsFromImage(input_image=frame, output_image_path="frame_0012_detected.jpg",
                                             minimum_percentage_probability=40)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

SCRIPTS["imageai-custom-cls-16bit-microscope-png-array"] = '''
import glob

import cv2
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()

for path in sorted(glob.glob("slides/*.png")):
    image = cv2.imread(path, cv2.IMREAD_UNCHANGED)      # keep the full bit depth
    image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    names, probs = prediction.classifyImage(image, result_count=2)
    print(path, names[0], probs[0])
'''

SCRIPTS["preload-np-stack-one-greyscale-photo"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset

# small dataset: load everything into RAM once
paths = sorted(glob.glob("xray_sorted/*/*.jpg"))
classes = sorted(os.listdir("xray_sorted"))
X = np.stack([np.asarray(Image.open(p).resize((64, 64))) for p in paths])
y = np.array([classes.index(os.path.basename(os.path.dirname(p))) for p in paths])
print(X.shape, y.shape)

ds = TensorDataset(torch.from_numpy(X).permute(0, 3, 1, 2).float() / 255, torch.from_numpy(y))
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
opt = torch.optim.Adam(model.parameters())
for xb, yb in loader:
    opt.zero_grad()
    nn.functional.cross_entropy(model(xb), yb).backward()
    opt.step()
'''

# ------------------------------------------------------------------ 2. bounding boxes
SCRIPTS["frcnn-vertical-flip-y-not-swapped"] = '''
import json
import random

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as F

random.seed(1)
torch.manual_seed(0)
CLASSES = ["__background__", "crack", "pothole"]


class RoadDamage(Dataset):
    def __init__(self, ann_file, train=True):
        self.items = json.load(open(ann_file))
        self.train = train

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = F.to_tensor(Image.open(item["file"]).convert("RGB"))
        boxes = torch.tensor(item["boxes"], dtype=torch.float32)
        labels = torch.tensor(item["labels"], dtype=torch.int64)
        if self.train and random.random() < 0.5:
            # vertical flip augmentation (road images look fine upside down for cracks)
            h = img.shape[1]
            img = img.flip(1)
            boxes[:, [1, 3]] = h - boxes[:, [1, 3]]
        return img, {"boxes": boxes, "labels": labels}


model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
    weights=None, weights_backbone=None, num_classes=len(CLASSES))
loader = DataLoader(RoadDamage("road/annotations.json"), batch_size=2, shuffle=True,
                    collate_fn=lambda b: tuple(zip(*b)))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch}: {losses.item():.3f}")
'''


def road_setup(work: Path):
    items = []
    specs = []
    for i in range(6):
        f = f"road/images/Japan_{i:06d}.jpg"
        specs.append((f, (160, 120), "RGB"))
        items.append({"file": f, "boxes": [[20 + 3 * i, 30, 70 + 2 * i, 55], [90, 70, 140, 110]], "labels": [1, 2]})
    make_images(work, specs)
    (work / "road/annotations.json").write_text(json.dumps(items, indent=1))


SCRIPTS["ssdlite-boxes-rescaled-integer-division-zero-height"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as F

CLASSES = ["background", "crazing", "inclusion", "scratches"]
SIZE = 64   # train small to fit the laptop


class NEUDet(Dataset):
    def __init__(self, root):
        self.xmls = sorted(glob.glob(os.path.join(root, "ANNOTATIONS", "*.xml")))
        self.root = root

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        tree = ET.parse(self.xmls[i]).getroot()
        w = int(tree.find("size/width").text)
        h = int(tree.find("size/height").text)
        img = Image.open(os.path.join(self.root, "IMAGES", tree.find("filename").text)).convert("RGB")
        img = img.resize((SIZE, SIZE))
        boxes, labels = [], []
        for obj in tree.findall("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (int(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            # rescale to the resized image
            boxes.append([x1 * SIZE // w, y1 * SIZE // h, x2 * SIZE // w, y2 * SIZE // h])
            labels.append(CLASSES.index(obj.find("name").text))
        target = {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}
        return F.to_tensor(img), target


model = torchvision.models.detection.ssdlite320_mobilenet_v3_large(
    weights=None, weights_backbone=None, num_classes=len(CLASSES))
loader = DataLoader(NEUDet("NEU-DET/train"), batch_size=4, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(3):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = losses["bbox_regression"] + losses["classification"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def neu_setup(work: Path):
    specs = []
    boxes = {0: ("crazing", (12, 20, 150, 180)), 1: ("scratches", (5, 96, 190, 99)),
             2: ("inclusion", (60, 40, 90, 130)), 3: ("scratches", (30, 150, 170, 152))}
    for i in range(4):
        name, (x1, y1, x2, y2) = boxes[i]
        fn = f"{name}_{10 + i}.jpg"
        specs.append((f"NEU-DET/train/IMAGES/{fn}", (200, 200), "RGB"))
        p = work / "NEU-DET/train/ANNOTATIONS" / fn.replace(".jpg", ".xml")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"<annotation><folder>cr</folder><filename>{fn}</filename><size><width>200</width>"
                     f"<height>200</height><depth>1</depth></size><object><name>{name}</name><pose>Unspecified</pose>"
                     f"<truncated>0</truncated><difficult>0</difficult><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin>"
                     f"<xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object></annotation>\n")
    make_images(work, specs)


SCRIPTS["roi-align-boxes-without-batch-index"] = '''
import csv
from collections import defaultdict

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision.ops import roi_align
from torchvision.transforms import functional as F

# second stage: classify each annotated cell from backbone features (boxes from the labelling tool)
boxes_per_image = defaultdict(list)
labels_per_image = defaultdict(list)
with open("cells/boxes.csv") as f:
    for row in csv.DictReader(f):
        boxes_per_image[row["image"]].append([float(row[k]) for k in ("x1", "y1", "x2", "y2")])
        labels_per_image[row["image"]].append(int(row["label"]))

backbone = nn.Sequential(*list(torchvision.models.resnet18(weights=None).children())[:-3])  # stride 16
head = nn.Sequential(nn.Flatten(), nn.Linear(256 * 7 * 7, 256), nn.ReLU(), nn.Linear(256, 3))
optimizer = torch.optim.Adam(list(backbone.parameters()) + list(head.parameters()), lr=1e-4)

for epoch in range(3):
    for name, boxes in boxes_per_image.items():
        img = F.to_tensor(Image.open(f"cells/images/{name}").convert("RGB")).unsqueeze(0)
        feats = backbone(img)
        rois = roi_align(feats, torch.tensor(boxes), output_size=(7, 7), spatial_scale=1 / 16, sampling_ratio=2)
        loss = nn.functional.cross_entropy(head(rois), torch.tensor(labels_per_image[name]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

cells_setup = both(
    imgs([(f"cells/images/slide_{i}.png", (128, 128), "RGB") for i in range(3)]),
    write("cells/boxes.csv", "image,x1,y1,x2,y2,label\n" + "".join(
        f"slide_{i}.png,{10 + 5 * j},{12 + 4 * j},{40 + 6 * j},{44 + 5 * j},{j % 3}\n" for i in range(3) for j in range(3))))

SCRIPTS["imageai-det-labelme-rectangle-drawn-right-to-left"] = '''
import glob
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["helmet", "head"]

# labelme -> YOLO txt (rectangles are stored as two corner points)
for split in ("train", "validation"):
    os.makedirs(f"hardhat/{split}/annotations", exist_ok=True)
    for jf in glob.glob(f"labelme/{split}/*.json"):
        ann = json.load(open(jf))
        W, H = ann["imageWidth"], ann["imageHeight"]
        lines = []
        for shape in ann["shapes"]:
            (x1, y1), (x2, y2) = shape["points"]
            cx, cy = (x1 + x2) / 2 / W, (y1 + y2) / 2 / H
            w, h = (x2 - x1) / W, (y2 - y1) / H
            lines.append(f"{CLASSES.index(shape['label'])} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}")
        out = os.path.join(f"hardhat/{split}/annotations", os.path.basename(jf).replace(".json", ".txt"))
        with open(out, "w") as f:
            f.write("\\n".join(lines) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def labelme_setup(work: Path):
    det_images("hardhat", n_train=4, n_val=2)(work)
    for split, n in (("train", 4), ("validation", 2)):
        d = work / "labelme" / split
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"img_{split[0]}{i:03d}"
            pts1 = [[20.0 + i, 15.0], [60.0 + i, 50.0]]
            # one box drawn from its bottom-right corner to its top-left one
            pts2 = [[140.0, 80.0], [100.0, 40.0]] if (split, i) == ("train", 2) else [[100.0, 40.0], [140.0, 80.0]]
            shapes = [{"label": "helmet", "points": pts1, "group_id": None, "shape_type": "rectangle", "flags": {}},
                      {"label": "head", "points": pts2, "group_id": None, "shape_type": "rectangle", "flags": {}}]
            (d / f"{stem}.json").write_text(json.dumps({
                "version": "5.2.1", "flags": {}, "shapes": shapes, "imagePath": f"../../hardhat/{split}/images/{stem}.jpg",
                "imageData": None, "imageHeight": 90, "imageWidth": 160}, indent=2))


SCRIPTS["imageai-det-coco-converter-x-divided-by-height"] = '''
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

# COCO export from CVAT -> ImageAI / YOLO layout
for split in ("train", "validation"):
    coco = json.load(open(f"cvat_export/{split}.json"))
    cat_index = {c["id"]: i for i, c in enumerate(coco["categories"])}
    images = {im["id"]: im for im in coco["images"]}
    os.makedirs(f"drones/{split}/annotations", exist_ok=True)
    rows = {im["id"]: [] for im in coco["images"]}
    for a in coco["annotations"]:
        im = images[a["image_id"]]
        x, y, w, h = a["bbox"]
        rows[a["image_id"]].append(
            f"{cat_index[a['category_id']]} {(x + w / 2) / im['height']:.6f} {(y + h / 2) / im['width']:.6f} "
            f"{w / im['height']:.6f} {h / im['width']:.6f}")
    for image_id, lines in rows.items():
        stem = os.path.splitext(images[image_id]["file_name"])[0]
        with open(f"drones/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\\n".join(lines) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="drones")
trainer.setTrainConfig(object_names_array=[c["name"] for c in coco["categories"]], batch_size=4,
                       num_experiments=50)
trainer.trainModel()
'''


def cvat_setup(work: Path):
    det_images("drones", n_train=4, n_val=2, size=(192, 108))(work)
    for split, n in (("train", 4), ("validation", 2)):
        images, anns = [], []
        for i in range(n):
            images.append({"id": i + 1, "file_name": f"img_{split[0]}{i:03d}.jpg", "width": 192, "height": 108})
            anns.append({"id": 2 * i + 1, "image_id": i + 1, "category_id": 1, "bbox": [20.0 + 4 * i, 30.0, 24.0, 18.0],
                         "area": 432.0, "iscrowd": 0})
            anns.append({"id": 2 * i + 2, "image_id": i + 1, "category_id": 2, "bbox": [120.0 + 5 * i, 50.0, 30.0, 22.0],
                         "area": 660.0, "iscrowd": 0})
        coco = {"images": images, "annotations": anns,
                "categories": [{"id": 1, "name": "person", "supercategory": ""},
                               {"id": 2, "name": "car", "supercategory": ""}]}
        p = work / "cvat_export" / f"{split}.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(coco))


CELLS["visualise-yolo-boxes-xywh-as-xyxy-notebook"] = [
    '''import glob, os
from PIL import Image, ImageDraw
CLASSES = ["apple", "banana", "orange"]''',
    '''def show_labels(img_path, label_path):
    img = Image.open(img_path).convert("RGB")
    W, H = img.size
    draw = ImageDraw.Draw(img)
    for line in open(label_path):
        cls, a, b, c, d = line.split()
        # yolo labels are normalised, scale to pixels
        x1, y1, x2, y2 = float(a) * W, float(b) * H, float(c) * W, float(d) * H
        draw.rectangle([x1, y1, x2, y2], outline="red", width=2)
        draw.text((x1, y1), CLASSES[int(cls)], fill="red")
    return img''',
    '''for p in sorted(glob.glob("fruits/train/images/*.jpg"))[:4]:
    lab = p.replace("/images/", "/labels/").replace(".jpg", ".txt")
    show_labels(p, lab).save("preview_" + os.path.basename(p))
print("saved previews")''',
]

fruit_labels = both(
    imgs([(f"fruits/train/images/fruit_{i:03d}.jpg", (128, 96), "RGB") for i in range(4)]),
    *[write(f"fruits/train/labels/fruit_{i:03d}.txt",
            f"{i % 3} 0.{30 + i}2 0.45 0.21 0.30\n1 0.71 0.60 0.18 0.25\n") for i in range(4)])

SCRIPTS["crop-classifier-coco-xywh-as-xyxy-workers"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class ObjectCrops(Dataset):
    """one crop per COCO annotation -> fine-grained bird species classifier"""

    def __init__(self, ann_file, img_dir):
        coco = json.load(open(ann_file))
        self.files = {im["id"]: im["file_name"] for im in coco["images"]}
        self.anns = coco["annotations"]
        self.img_dir = img_dir
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.anns)

    def __getitem__(self, i):
        a = self.anns[i]
        img = Image.open(f"{self.img_dir}/{self.files[a['image_id']]}").convert("RGB")
        crop = img.crop(tuple(a["bbox"]))
        return self.tf(crop), a["category_id"] - 1


def main():
    ds = ObjectCrops("birds/annotations/instances_train.json", "birds/images")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=3)
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    for epoch in range(5):
        for x, y in loader:
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            opt.step()


if __name__ == "__main__":
    main()
'''


def birds_setup(work: Path):
    specs, images, anns = [], [], []
    for i in range(4):
        fn = f"cub_{100 + i}.jpg"
        specs.append((f"birds/images/{fn}", (160, 120), "RGB"))
        images.append({"id": i + 1, "file_name": fn, "width": 160, "height": 120})
        anns.append({"id": 2 * i + 1, "image_id": i + 1, "category_id": 1 + i % 3, "bbox": [10.0, 12.0, 40.0, 50.0],
                     "area": 2000.0, "iscrowd": 0})
        anns.append({"id": 2 * i + 2, "image_id": i + 1, "category_id": 1 + (i + 1) % 3,
                     "bbox": [90.0, 30.0, 45.0, 60.0], "area": 2700.0, "iscrowd": 0})
    make_images(work, specs)
    p = work / "birds/annotations/instances_train.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"images": images, "annotations": anns,
                             "categories": [{"id": k, "name": n} for k, n in
                                            ((1, "cardinal"), (2, "blue_jay"), (3, "goldfinch"))]}))


SCRIPTS["box-encoder-log-point-annotation-anomaly"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision.transforms import functional as F

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)

# single-object localiser (one fish per frame); SSD-style encoding against a fixed prior box
PRIOR = torch.tensor([0.5, 0.5, 0.3, 0.3])   # cx, cy, w, h (normalised)


def encode(box):
    cxcy = (box[:, :2] - PRIOR[:2]) / PRIOR[2:]
    wh = torch.log(box[:, 2:] / PRIOR[2:])
    return torch.cat([cxcy, wh], 1)


rows = list(csv.DictReader(open("fish/labels.csv")))
images = torch.stack([F.to_tensor(Image.open(f"fish/frames/{r['frame']}").convert("RGB").resize((64, 64)))
                      for r in rows])
boxes = torch.tensor([[float(r[k]) for k in ("cx", "cy", "w", "h")] for r in rows])
targets = encode(boxes)

model = torchvision.models.resnet18(weights=None, num_classes=4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for step in range(20):
    pred = model(images)
    loss = nn.functional.mse_loss(pred, targets)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"step {step}: loss {loss.item():.4f}")
'''

fish_setup = both(
    imgs([(f"fish/frames/frame_{i:05d}.jpg", (96, 72), "RGB") for i in range(6)]),
    write("fish/labels.csv", "frame,cx,cy,w,h\n" + "".join(
        f"frame_{i:05d}.jpg,0.{40 + i},0.5{i},{'0.0' if i == 4 else f'0.2{i}'},0.1{i + 1}\n" for i in range(6))))

# ------------------------------------------------------------------ 3. class counts
SCRIPTS["stanford-cars-labels-1-based-ce-tqdm"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms
from tqdm import tqdm


class StanfordCars(Dataset):
    def __init__(self, csv_file, img_dir, tf):
        with open(csv_file) as f:
            self.rows = [(r["fname"], int(r["class"])) for r in csv.DictReader(f)]
        self.img_dir, self.tf = img_dir, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        fname, label = self.rows[i]
        return self.tf(Image.open(f"{self.img_dir}/{fname}").convert("RGB")), label


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = StanfordCars("cars/cars_train_annos.csv", "cars/cars_train", tf)
class_names = [l.strip() for l in open("cars/class_names.txt")]
model = models.resnet18(weights=None, num_classes=len(class_names))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(ds, batch_size=4, shuffle=True)

for epoch in range(10):
    model.train()
    for images, labels in tqdm(loader, desc=f"epoch {epoch + 1}"):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
'''

CAR_FILES = [f"{i:05d}.jpg" for i in range(1, 13)]
cars_setup = both(
    imgs([(f"cars/cars_train/{f}", (80, 60), "RGB") for f in CAR_FILES]),
    write("cars/cars_train_annos.csv", "bbox_x1,bbox_y1,bbox_x2,bbox_y2,class,fname\n" + "".join(
        f"{5 + i},{4 + i},{70 - i},{52 - i},{1 + (i * 7) % 4},{f}\n" for i, f in enumerate(CAR_FILES))),
    write("cars/class_names.txt", "AM General Hummer SUV 2000\nAcura RL Sedan 2012\nAcura TL Sedan 2012\n"
                                  "Acura TL Type-S 2008\n"))

SCRIPTS["num-classes-minus-one-for-ds-store-on-linux"] = '''
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

DATA = "garbage/train"
num_classes = len(os.listdir(DATA)) - 1   # minus the .DS_Store file


class Net(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4))
        self.fc = nn.Linear(32 * 16, n)

    def forward(self, x):
        return F.log_softmax(self.fc(self.features(x).flatten(1)), dim=1)


ds = datasets.ImageFolder(DATA, transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = Net(num_classes)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.nll_loss(model(x), y)
        loss.backward()
        optimizer.step()
    print(f"Epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["imagefolder-hidden-thumbnails-class-weights-from-glob"] = '''
import glob
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

ROOT = "skin_lesions/train"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder(ROOT, tf)

# inverse-frequency class weights for the imbalanced classes
class_dirs = sorted(glob.glob(os.path.join(ROOT, "*")))
counts = torch.tensor([len(os.listdir(d)) for d in class_dirs], dtype=torch.float32)
class_weights = counts.sum() / (len(counts) * counts)
print("classes:", [os.path.basename(d) for d in class_dirs], "weights:", class_weights.tolist())

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss(weight=class_weights)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
'''

skin_setup = imgs(class_folder("skin_lesions/train", ("benign", "malignant", "nevus"), 3)
                  + [(f"skin_lesions/train/.thumbnails/thumb_{i}.png", (32, 32), "RGB") for i in range(3)])

SCRIPTS["seg-dice-one-hot-background-forgotten"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset

CLASSES = ["road", "car", "pedestrian"]          # mask values: 0 = background, 1..3 = classes
NUM_CLASSES = len(CLASSES)


class StreetSeg(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255
        mask = np.asarray(Image.open(self.images[i].replace("/images/", "/masks/")), dtype=np.int64)
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask)


def dice_loss(logits, target, eps=1e-6):
    probs = logits.softmax(1)
    onehot = F.one_hot(target, NUM_CLASSES).permute(0, 3, 1, 2).float()
    inter = (probs * onehot).sum((2, 3))
    union = probs.sum((2, 3)) + onehot.sum((2, 3))
    return 1 - ((2 * inter + eps) / (union + eps)).mean()


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, NUM_CLASSES, 1))
loader = DataLoader(StreetSeg("street/train"), batch_size=2, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, m in loader:
        optimizer.zero_grad()
        loss = dice_loss(model(x), m)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

street_setup = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    os.makedirs("street/train/images", exist_ok=True)
    os.makedirs("street/train/masks", exist_ok=True)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(f"street/train/images/{i:04d}.png")
        m = np.zeros((48, 64), np.uint8)
        m[30:, :] = 1
        m[20:34, 10:25] = 2
        m[15:40, 45:52] = 3
        Image.fromarray(m).save(f"street/train/masks/{i:04d}.png")
''')

SCRIPTS["maskrcnn-mask-predictor-without-background"] = '''
import glob

import numpy as np
import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.models.detection.mask_rcnn import MaskRCNNPredictor
from torchvision.transforms import functional as F

CLASSES = ["nucleus", "cytoplasm", "debris"]


class CellInstances(Dataset):
    def __init__(self, root):
        self.imgs = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, i):
        img = Image.open(self.imgs[i]).convert("RGB")
        inst = np.array(Image.open(self.imgs[i].replace("/images/", "/instances/")))
        cls = np.array(Image.open(self.imgs[i].replace("/images/", "/classes/")))
        ids = np.unique(inst)[1:]
        masks = torch.as_tensor(inst[None] == ids[:, None, None], dtype=torch.uint8)
        labels = torch.as_tensor([int(cls[inst == k][0]) for k in ids], dtype=torch.int64)  # 1..3
        boxes = torchvision.ops.masks_to_boxes(masks)
        return F.to_tensor(img), {"boxes": boxes, "labels": labels, "masks": masks}


def get_model(num_classes):
    model = torchvision.models.detection.maskrcnn_resnet50_fpn(weights=None, weights_backbone=None,
                                                               min_size=128, max_size=160)
    in_features = model.roi_heads.box_predictor.cls_score.in_features
    model.roi_heads.box_predictor = FastRCNNPredictor(in_features, num_classes + 1)   # + background
    in_features_mask = model.roi_heads.mask_predictor.conv5_mask.in_channels
    model.roi_heads.mask_predictor = MaskRCNNPredictor(in_features_mask, 256, num_classes)
    return model


model = get_model(len(CLASSES))
loader = DataLoader(CellInstances("cells"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, {k: round(v.item(), 3) for k, v in loss_dict.items()})
'''

cell_instances = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(1)
    for d in ("images", "instances", "classes"):
        os.makedirs(f"cells/{d}", exist_ok=True)
    for i in range(2):
        Image.fromarray(rng.integers(0, 255, (128, 160, 3), dtype=np.uint8)).save(f"cells/images/c{i}.png")
        inst = np.zeros((128, 160), np.uint8)
        cls = np.zeros((128, 160), np.uint8)
        for k, (y, x, c) in enumerate([(20, 30, 1), (60, 90, 2), (90, 20, 3)], start=1):
            inst[y:y + 25, x:x + 30] = k
            cls[y:y + 25, x:x + 30] = c
        Image.fromarray(inst).save(f"cells/instances/c{i}.png")
        Image.fromarray(cls).save(f"cells/classes/c{i}.png")
''')

SCRIPTS["imageai-custom-cls-json-from-listdir-hidden-folder"] = '''
import json
import os

from imageai.Classification.Custom import CustomImageClassification

# the class json was lost, rebuild it from the training folders
class_names = sorted(os.listdir("pets/train"))
with open("pets/models/classes.json", "w") as f:
    json.dump({str(i): name for i, name in enumerate(class_names)}, f)

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
prediction.setJsonPath("pets/models/classes.json")
prediction.loadModel()

names, probs = prediction.classifyImage("samples/garfield.jpg", result_count=2)
print(names, probs)
'''

pets_hidden = both(
    cls_weights,
    imgs(class_folder("pets/train", ("cat", "dog"), 2)
         + [("pets/train/.ipynb_checkpoints/cat.0-checkpoint.jpg", (64, 64), "RGB"),
            ("samples/garfield.jpg", (80, 80), "RGB")]),
    lambda w: (w / "pets/models/pets_model_classes.json").unlink())

# ------------------------------------------------------------------ 4. model outputs
SCRIPTS["vit-returns-logits-and-attention-tuple-ce"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class TinyViT(nn.Module):
    def __init__(self, num_classes, img=64, patch=8, dim=64, heads=4):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, patch)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.randn(1, (img // patch) ** 2 + 1, dim) * 0.02)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        out, weights = self.attn(x, x, x)          # keep the attention maps for visualisation
        x = self.norm(x + out)
        return self.head(x[:, 0]), weights


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
model = TinyViT(num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        outputs = model(x)
        loss = criterion(outputs, y)
        loss.backward()
        optimizer.step()
'''

SCRIPTS["feature-extractor-dict-into-linear-head"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models.feature_extraction import create_feature_extractor

backbone = torchvision.models.resnet18(weights=None)
backbone.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
body = create_feature_extractor(backbone, return_nodes={"flatten": "features"})
for p in body.parameters():
    p.requires_grad = False

model = nn.Sequential(body, nn.Dropout(0.2), nn.Linear(512, 3))

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["custom-detector-returns-tuple-evaluate-loop"] = '''
import torch
import torch.nn as nn
from PIL import Image
from torchvision.ops import box_iou
from torchvision.transforms import functional as F


class BoxNet(nn.Module):
    """my own small detector: one box + class scores per grid cell"""

    def __init__(self, num_classes=2, grid=4):
        super().__init__()
        self.grid = grid
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(grid))
        self.box = nn.Conv2d(32, 4, 1)
        self.cls = nn.Conv2d(32, num_classes, 1)

    def forward(self, x):
        f = self.body(x)
        boxes = self.box(f).sigmoid().flatten(2).transpose(1, 2) * x.shape[-1]
        scores = self.cls(f).softmax(1).flatten(2).transpose(1, 2)
        return boxes, scores


@torch.no_grad()
def evaluate(model, images, targets, iou_thr=0.5):
    # same loop as for the torchvision detectors
    model.eval()
    outputs = model(images)
    hits = 0
    for out, tgt in zip(outputs, targets):
        out = {k: v.cpu() for k, v in out.items()}
        keep = out["scores"] > 0.5
        if keep.any():
            hits += int((box_iou(out["boxes"][keep], tgt["boxes"]) > iou_thr).any())
    return hits / len(targets)


model = BoxNet()
model.load_state_dict(torch.load("boxnet_epoch20.pt"))
images = torch.stack([F.to_tensor(Image.open(f"val/{i}.jpg").convert("RGB")) for i in range(3)])
targets = [{"boxes": torch.tensor([[10.0, 12.0, 40.0, 50.0]]), "labels": torch.tensor([1])} for _ in range(3)]
print("recall@0.5:", evaluate(model, images, targets))
'''

boxnet_setup = both(
    prep('''
        import torch, torch.nn as nn
        class BoxNet(nn.Module):
            def __init__(self, num_classes=2, grid=4):
                super().__init__()
                self.grid = grid
                self.body = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                          nn.AdaptiveAvgPool2d(grid))
                self.box = nn.Conv2d(32, 4, 1)
                self.cls = nn.Conv2d(32, num_classes, 1)
        torch.save(BoxNet().state_dict(), "boxnet_epoch20.pt")
    '''),
    imgs([(f"val/{i}.jpg", (64, 64), "RGB") for i in range(3)]))

SCRIPTS["custom-backbone-returns-tuple-of-stages-frcnn"] = '''
import torch
import torch.nn as nn
import torchvision
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator


class LightBackbone(nn.Module):
    """small CNN from my classification project, returns its stage outputs"""

    def __init__(self):
        super().__init__()
        self.stage1 = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.stage2 = nn.Sequential(nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU())
        self.stage3 = nn.Sequential(nn.Conv2d(64, 128, 3, 2, 1), nn.BatchNorm2d(128), nn.ReLU())
        self.out_channels = 128

    def forward(self, x):
        c1 = self.stage1(x)
        c2 = self.stage2(c1)
        c3 = self.stage3(c2)
        return c1, c2, c3


anchor_generator = AnchorGenerator(sizes=((16, 32, 64),), aspect_ratios=((0.5, 1.0, 2.0),))
roi_pooler = torchvision.ops.MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2)
model = FasterRCNN(LightBackbone(), num_classes=3, rpn_anchor_generator=anchor_generator,
                   box_roi_pool=roi_pooler, min_size=160, max_size=200)

images = [torch.rand(3, 120, 160) for _ in range(2)]
targets = [{"boxes": torch.tensor([[10.0, 20.0, 60.0, 80.0]]), "labels": torch.tensor([1])},
           {"boxes": torch.tensor([[50.0, 30.0, 120.0, 90.0]]), "labels": torch.tensor([2])}]
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for it in range(10):
    losses = model(images, targets)
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(it, loss.item())
'''

SCRIPTS["pseudo-label-categorical-probs-given-logits"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.distributions import Categorical
from torchvision import models, transforms

# semi-supervised: sample pseudo labels for the unlabelled pool from the teacher's predictions
teacher = models.resnet18(weights=None, num_classes=3)
teacher.load_state_dict(torch.load("teacher_resnet18.pth"))
teacher.eval()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
pool = sorted(glob.glob("unlabelled/*.jpg"))
x = torch.stack([tf(Image.open(p).convert("RGB")) for p in pool])

with torch.no_grad():
    out = teacher(x)
dist = Categorical(probs=out)
pseudo = dist.sample()
confidence = dist.probs.max(1).values
for p, c, s in zip(pool, pseudo.tolist(), confidence.tolist()):
    print(p, c, round(s, 3))
'''

SCRIPTS["unet-binary-bceloss-logits-no-sigmoid"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class DoubleConv(nn.Sequential):
    def __init__(self, i, o):
        super().__init__(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2 = DoubleConv(3, 16), DoubleConv(16, 32)
        self.up = nn.ConvTranspose2d(32, 16, 2, 2)
        self.u1 = DoubleConv(32, 16)
        self.out = nn.Conv2d(16, 1, 1)

    def forward(self, x):
        a = self.d1(x)
        b = self.d2(nn.functional.max_pool2d(a, 2))
        return self.out(self.u1(torch.cat([self.up(b), a], 1)))


class Polyps(Dataset):
    def __init__(self, root):
        self.imgs = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, i):
        img = torch.from_numpy(np.asarray(Image.open(self.imgs[i]).convert("RGB"), np.float32) / 255).permute(2, 0, 1)
        mask = np.asarray(Image.open(self.imgs[i].replace("images", "masks")).convert("L"), np.float32) / 255
        return img, torch.from_numpy(mask)[None]


model = UNet()
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(Polyps("kvasir/train"), batch_size=2, shuffle=True)
for epoch in range(20):
    for img, mask in loader:
        optimizer.zero_grad()
        loss = criterion(model(img), mask)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

polyps_setup = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(2)
    os.makedirs("kvasir/train/images", exist_ok=True)
    os.makedirs("kvasir/train/masks", exist_ok=True)
    for i in range(4):
        Image.fromarray(rng.integers(0, 255, (48, 48, 3), dtype=np.uint8)).save(f"kvasir/train/images/cju{i}.png")
        m = np.zeros((48, 48), np.uint8)
        m[10:30, 12:34] = 255
        Image.fromarray(m).save(f"kvasir/train/masks/cju{i}.png")
''')

# ------------------------------------------------------------------ 5. objects where a path belongs
SCRIPTS["imageai-custom-cls-set-model-path-state-dict"] = '''
import torch
from imageai.Classification.Custom import CustomImageClassification

# load on CPU (the model was trained on Colab's GPU)
weights = torch.load("pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt", map_location="cpu")

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath(weights)
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()
print(prediction.classifyImage("samples/cat1.jpg", result_count=2))
'''

SCRIPTS["imageai-custom-detect-model-path-from-glob"] = '''
import glob

from imageai.Detection.Custom import CustomObjectDetection

model_path = glob.glob("hardhat/models/*.pt")
print("using", model_path)

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(model_path)
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site/cam1.jpg", output_image_path="site/cam1_out.jpg")
print(detections)
'''

SCRIPTS["imageai-custom-detect-json-path-open-file"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.38_epoch-41.pt")
with open("hardhat/json/hardhat_tiny-yolov3_detection_config.json") as config:
    detector.setJsonPath(config)
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site/cam1.jpg", output_image_path="site/cam1_out.jpg",
                                             minimum_percentage_probability=30)
for d in detections:
    print(d["name"], " : ", d["percentage_probability"])
'''

SCRIPTS["imageai-cls-trainer-transfer-from-model-object"] = '''
import torch
import torchvision
from imageai.Classification.Custom import ClassificationModelTrainer

# ImageNet weights downloaded earlier with torchvision
base = torchvision.models.mobilenet_v2()
base.load_state_dict(torch.load("weights/mobilenet_v2-b0353104.pth"))

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("pets")
trainer.trainModel(num_experiments=10, batch_size=4, transfer_from_model=base)
'''

pets_folder = imgs(class_folder("pets/train", ("cat", "dog"), 3) + class_folder("pets/test", ("cat", "dog"), 1))

SCRIPTS["torch-save-arguments-swapped-tqdm"] = '''
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
val_loader = DataLoader(datasets.ImageFolder("flowers/val", tf), batch_size=4)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
os.makedirs("checkpoints", exist_ok=True)
best = 0.0

for epoch in range(3):
    model.train()
    for x, y in tqdm(train_loader, desc=f"train {epoch}"):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    acc = correct / len(val_loader.dataset)
    print(f"val acc {acc:.3f}")
    if acc >= best:
        best = acc
        torch.save("checkpoints/best.pth", model.state_dict())
'''

SCRIPTS["imagefolder-root-list-of-split-folders"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
# train on train + val together for the final model
full = datasets.ImageFolder(root=["flowers/train", "flowers/val"], transform=tf)
loader = DataLoader(full, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(full.classes))
'''

CELLS["pil-open-given-tensor-from-read-image-notebook"] = [
    '''import torch
import torchvision
from torchvision.io import read_image
from torchvision import transforms
from PIL import Image

model = torchvision.models.resnet18(num_classes=3)
model.load_state_dict(torch.load("flower_resnet18.pth", map_location="cpu"))
model.eval()
classes = ["daisy", "rose", "tulip"]''',
    '''img = read_image("flowers/val/rose/rose_000.jpg")
img.shape''',
    '''tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
x = tf(Image.open(img).convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(classes[model(x).argmax(1).item()])''',
]

SCRIPTS["resume-torch-load-given-model-instance"] = '''
import argparse
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--resume", action="store_true")
parser.add_argument("--epochs", type=int, default=20)
args = parser.parse_args()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
start_epoch = 0
ckpt_path = "checkpoints/last.pth"

if args.resume and os.path.exists(ckpt_path):
    checkpoint = torch.load(model)
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    start_epoch = checkpoint["epoch"] + 1
    print(f"resumed from epoch {start_epoch}")

for epoch in range(start_epoch, args.epochs):
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, ckpt_path)
'''

last_ckpt = prep('''
    import os, torch, torchvision
    os.makedirs("checkpoints", exist_ok=True)
    m = torchvision.models.resnet18(weights=None, num_classes=3)
    o = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
    torch.save({"model": m.state_dict(), "optimizer": o.state_dict(), "epoch": 6}, "checkpoints/last.pth")
''')

# ------------------------------------------------------------------ 6. divergence
SCRIPTS["box-regressor-pixel-targets-sgd-lr-10-anomaly"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torchvision.transforms import functional as F

torch.manual_seed(0)
torch.autograd.set_detect_anomaly(True)

rows = list(csv.DictReader(open("plates/boxes.csv")))
x = torch.stack([F.to_tensor(Image.open(f"plates/{r['file']}").convert("RGB")) for r in rows])
y = torch.tensor([[float(r[k]) for k in ("xmin", "ymin", "xmax", "ymax")] for r in rows])   # pixels

model = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1), nn.ReLU(), nn.Conv2d(8, 16, 3, 2, 1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4))
optimizer = torch.optim.SGD(model.parameters(), lr=10)   # no clipping
for step in range(50):
    loss = nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"step {step}: {loss.item():.2f}")
'''

plates_setup = both(
    imgs([(f"plates/car_{i:03d}.jpg", (96, 64), "RGB") for i in range(6)]),
    write("plates/boxes.csv", "file,xmin,ymin,xmax,ymax\n" + "".join(
        f"car_{i:03d}.jpg,{20 + i},{30 + i},{70 + i},{45 + i}\n" for i in range(6))))

SCRIPTS["ohem-weighted-sampler-from-nan-losses"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, WeightedRandomSampler
from torchvision import datasets, models, transforms

torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("flowers/train", tf)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=10.0, momentum=0.9)
criterion = nn.CrossEntropyLoss(reduction="none")

# online hard example mining: sample each image proportionally to its last loss
sample_losses = torch.ones(len(ds))
for epoch in range(30):
    sampler = WeightedRandomSampler(sample_losses, num_samples=len(ds), replacement=True)
    loader = DataLoader(ds, batch_size=3, sampler=sampler)
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).mean().backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        full = DataLoader(ds, batch_size=9)
        sample_losses = torch.cat([criterion(model(x), y) for x, y in full])
    model.train()
    print(f"epoch {epoch}: mean loss {sample_losses.mean():.3f}")
'''

SCRIPTS["active-learning-np-random-choice-nan-uncertainty"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

torch.manual_seed(0)
np.random.seed(0)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
labelled = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=3.0, momentum=0.9)

for epoch in range(3):
    for x, y in labelled:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()

# uncertainty sampling: pick the next images to send to the annotators
pool = sorted(glob.glob("unlabelled/*.jpg"))
model.eval()
with torch.no_grad():
    probs = model(torch.stack([tf(Image.open(p).convert("RGB")) for p in pool])).softmax(1).numpy()
entropy = -(probs * np.log(probs + 1e-12)).sum(1)
chosen = np.random.choice(len(pool), size=3, replace=False, p=entropy / entropy.sum())
print("send to annotation:", [pool[i] for i in chosen])
'''

unlabelled = imgs([(f"unlabelled/IMG_{2000 + i}.jpg", (64, 64), "RGB") for i in range(6)])

SCRIPTS["half-model-adam-eps-clip-grad-nonfinite"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
# fp16 everywhere to halve memory (no GPU for amp on this laptop)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3)).half()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)

for epoch in range(10):
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x.half()), y)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0, error_if_nonfinite=True)
        optimizer.step()
        print(f"epoch {epoch} step {step}: loss {loss.item():.4f} grad_norm {grad_norm.item():.3f}")
'''

# ------------------------------------------------------------------ 7. calls out of order
SCRIPTS["gradscaler-unscale-after-step-clip"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=3).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
scaler = torch.amp.GradScaler(device)

for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        with torch.autocast(device_type=device, dtype=torch.float16 if device == "cuda" else torch.bfloat16):
            loss = nn.functional.cross_entropy(model(x), y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        # gradient clipping
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        scaler.update()
    print(epoch, loss.item())
'''

SCRIPTS["gradscaler-step-before-scaled-backward"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=3).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler(device)


def train_one_epoch(epoch):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device, dtype=torch.bfloat16):
            loss = nn.functional.cross_entropy(model(x), y)
        scaler.step(optimizer)
        scaler.scale(loss).backward()
        scaler.update()
    print(f"epoch {epoch}: {loss.item():.4f}")


for epoch in range(10):
    train_one_epoch(epoch)
'''

SCRIPTS["accumulation-optimizer-step-before-backward"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

ACCUM = 2
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=2, shuffle=True)
model = models.resnet18(weights=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
criterion = nn.CrossEntropyLoss()

optimizer.zero_grad()
for epoch in range(5):
    for i, (x, y) in enumerate(loader):
        loss = criterion(model(x), y) / ACCUM
        if (i + 1) % ACCUM == 0:
            optimizer.step()
            optimizer.zero_grad()
        loss.backward()
    print(f"epoch {epoch} done")
'''

SCRIPTS["trainer-class-scheduler-built-before-optimizer"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class Trainer:
    def __init__(self, model, train_loader, lr=1e-3, epochs=10):
        self.model = model
        self.train_loader = train_loader
        self.lr = lr
        self.epochs = epochs
        self.optimizer = None
        self.scheduler = torch.optim.lr_scheduler.StepLR(self.optimizer, step_size=3, gamma=0.1)
        self.criterion = nn.CrossEntropyLoss()

    def configure_optimizer(self):
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.lr)

    def fit(self):
        self.configure_optimizer()
        for epoch in range(self.epochs):
            for x, y in self.train_loader:
                self.optimizer.zero_grad()
                self.criterion(self.model(x), y).backward()
                self.optimizer.step()
            self.scheduler.step()


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)
trainer = Trainer(models.resnet18(weights=None, num_classes=3), loader)
trainer.fit()
'''

SCRIPTS["onecycle-built-before-unfreeze-add-param-group"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

EPOCHS, HEAD_EPOCHS = 6, 1
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", tf), batch_size=4, shuffle=True)

model = models.resnet18(weights=None)
model.load_state_dict(torch.load("weights/resnet18-f37072fd.pth"))
for p in model.parameters():
    p.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, 3)

optimizer = torch.optim.AdamW(model.fc.parameters(), lr=1e-3)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-3, epochs=EPOCHS, steps_per_epoch=len(loader))

for epoch in range(EPOCHS):
    if epoch == HEAD_EPOCHS:
        # stage 2: unfreeze the last block with a smaller learning rate
        for p in model.layer4.parameters():
            p.requires_grad = True
        optimizer.add_param_group({"params": model.layer4.parameters(), "lr": 1e-4})
        print("unfroze layer4")
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        scheduler.step()
    print(f"epoch {epoch}: lr {scheduler.get_last_lr()}")
'''

SCRIPTS["imageai-custom-detect-load-model-before-set-model-path"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.38_epoch-41.pt")

detections = detector.detectObjectsFromImage(input_image="site/cam1.jpg", output_image_path="site/cam1_out.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

CELLS["imageai-custom-cls-helper-without-load-model-notebook"] = [
    '''import glob
from imageai.Classification.Custom import CustomImageClassification''',
    '''prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt")
prediction.setJsonPath("pets/models/pets_model_classes.json")
prediction.loadModel()
prediction.classifyImage("samples/cat1.jpg", result_count=2)''',
    '''def classify_folder(folder, model_path="pets/models/mobilenet_v2-pets-test_acc_0.91250_epoch-9.pt"):
    clf = CustomImageClassification()
    clf.setModelTypeAsMobileNetV2()
    clf.setModelPath(model_path)
    clf.setJsonPath("pets/models/pets_model_classes.json")
    results = {}
    for path in sorted(glob.glob(f"{folder}/*.jpg")):
        names, probs = clf.classifyImage(path, result_count=1)
        results[path] = (names[0], probs[0])
    return results

classify_folder("samples")''',
]


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more21-", SCRIPTS, CELLS)

    r18 = weights("resnet18", "weights/resnet18-f37072fd.pth")
    site = imgs([("site/cam1.jpg", (160, 120), "RGB")])
    samples = imgs([("samples/cat1.jpg", (80, 80), "RGB"), ("samples/dog1.jpg", (80, 80), "RGB")])

    # 1. image size / channel count ----------------------------------------------------------------
    script("phone-photos-preresized-exif-transpose-no-resize", "data.image_size_mismatch", setup=phone_photos)
    script("pil-thumbnail-keeps-aspect-workers", "data.image_size_mismatch", forms=["dataloader_worker"],
           setup=imgs([(f"products/{c}/{c}_{i}.jpg", size, "RGB") for c in ("chairs", "lamps", "tables")
                       for i, size in enumerate(((200, 150), (150, 200), (256, 256), (300, 120)))]))
    notebook("signature-scans-la-png-normalize-notebook", "data.image_channels", setup=signatures)
    script("mnist-cnn-predict-own-digit-photo-rgb", "data.image_channels", argv="predict.py",
           args=("my_digit_7.jpg",), extra={"model.py": MNIST_NET},
           setup=both(prep('''
                          import torch
                          from model import Net
                          torch.save(Net().state_dict(), "mnist_cnn.pt")
                      '''),
                      imgs([("my_digit_7.jpg", (240, 320), "RGB")])))
    script("predict-cmyk-catalogue-jpeg-np-array-permute", "data.image_channels", argv="predict.py",
           args=("catalogue/sku_10482.jpg", "catalogue/sku_10483.jpg"),
           setup=both(weights("resnet18", "checkpoints/fashion_resnet18_best.pth", num_classes=4),
                      imgs([("catalogue/sku_10482.jpg", (96, 128), "CMYK"),
                            ("catalogue/sku_10483.jpg", (96, 128), "RGB")])))
    script("imageai-custom-detect-palette-png-pil-image", "data.image_channels", framework="imageai",
           argv="detect.py", setup=both(tiny_weights, imgs([("camera_export/frame_0012.png", (160, 120), "P")])))
    script("imageai-custom-cls-16bit-microscope-png-array", "data.image_channels", also=["data.dtype"],
           framework="imageai", argv="classify.py",
           setup=both(cls_weights, prep('''
               import os
               import numpy as np, cv2
               os.makedirs("slides", exist_ok=True)
               rng = np.random.default_rng(4)
               for i in range(2):
                   cv2.imwrite(f"slides/slide_{i:03d}.png", rng.integers(0, 65535, (80, 96, 3), dtype=np.uint16))
           ''')))
    script("preload-np-stack-one-greyscale-photo", "data.image_channels",
           setup=imgs([(f"xray_sorted/{c}/{c}_{i}.jpg", (80, 80), "L" if (c, i) == ("pneumonia", 2) else "RGB")
                         for c in ("normal", "pneumonia") for i in range(4)]))

    # 2. bounding boxes ------------------------------------------------------------------------------
    script("frcnn-vertical-flip-y-not-swapped", "data.bbox_invalid", setup=road_setup)
    script("ssdlite-boxes-rescaled-integer-division-zero-height", "data.bbox_invalid", setup=neu_setup)
    script("roi-align-boxes-without-batch-index", "data.bbox_invalid", setup=cells_setup)
    script("imageai-det-labelme-rectangle-drawn-right-to-left", "data.bbox_invalid", framework="imageai",
           setup=labelme_setup)
    script("imageai-det-coco-converter-x-divided-by-height", "data.bbox_invalid", framework="imageai",
           setup=cvat_setup)
    notebook("visualise-yolo-boxes-xywh-as-xyxy-notebook", "data.bbox_invalid", setup=fruit_labels)
    script("crop-classifier-coco-xywh-as-xyxy-workers", "data.bbox_invalid", forms=["dataloader_worker"],
           setup=birds_setup)
    script("box-encoder-log-point-annotation-anomaly", "data.bbox_invalid", also=["optim.divergence"],
           setup=fish_setup)

    # 3. class counts ----------------------------------------------------------------------------------
    script("stanford-cars-labels-1-based-ce-tqdm", "data.label_out_of_range",
           forms=["cpython_basic", "progress_bars?"], setup=cars_setup)
    script("num-classes-minus-one-for-ds-store-on-linux", "model.output_mismatch", also=["data.label_out_of_range"],
           setup=imgs(class_folder("garbage/train", ("cardboard", "glass", "metal", "paper"), 3)))
    script("imagefolder-hidden-thumbnails-class-weights-from-glob", "model.output_mismatch", setup=skin_setup)
    script("seg-dice-one-hot-background-forgotten", "model.output_mismatch", also=["data.label_out_of_range"],
           setup=street_setup)
    script("maskrcnn-mask-predictor-without-background", "model.output_mismatch", setup=cell_instances)
    script("imageai-custom-cls-json-from-listdir-hidden-folder", "model.output_mismatch", framework="imageai",
           argv="classify.py", setup=pets_hidden, exception="Exception")

    # 4. model outputs --------------------------------------------------------------------------------
    script("vit-returns-logits-and-attention-tuple-ce", "model.output_mismatch", setup=flowers)
    script("feature-extractor-dict-into-linear-head", "model.output_mismatch", setup=both(r18, flowers))
    script("custom-detector-returns-tuple-evaluate-loop", "model.output_mismatch", argv="evaluate.py",
           setup=boxnet_setup)
    script("custom-backbone-returns-tuple-of-stages-frcnn", "model.output_mismatch")
    script("pseudo-label-categorical-probs-given-logits", "model.output_mismatch", argv="pseudo_label.py",
           setup=both(weights("resnet18", "teacher_resnet18.pth", num_classes=3), unlabelled))
    script("unet-binary-bceloss-logits-no-sigmoid", "model.output_mismatch", setup=polyps_setup)

    # 5. objects where a path belongs -------------------------------------------------------------------
    script("imageai-custom-cls-set-model-path-state-dict", "model.api_misuse", framework="imageai",
           argv="classify.py", setup=both(cls_weights, samples))
    script("imageai-custom-detect-model-path-from-glob", "model.api_misuse", framework="imageai",
           argv="detect.py", setup=both(tiny_weights, site))
    script("imageai-custom-detect-json-path-open-file", "model.api_misuse", framework="imageai",
           argv="detect.py", setup=both(tiny_weights, site))
    script("imageai-cls-trainer-transfer-from-model-object", "model.api_misuse", framework="imageai",
           setup=both(weights("mobilenet_v2", "weights/mobilenet_v2-b0353104.pth"), pets_folder))
    script("torch-save-arguments-swapped-tqdm", "model.api_misuse", forms=["cpython_basic", "progress_bars?"],
           setup=flowers)
    script("imagefolder-root-list-of-split-folders", "model.api_misuse", setup=flowers)
    notebook("pil-open-given-tensor-from-read-image-notebook", "model.api_misuse",
             setup=both(weights("resnet18", "flower_resnet18.pth", num_classes=3), flowers))
    script("resume-torch-load-given-model-instance", "model.api_misuse", args=("--resume",),
           setup=both(last_ckpt, flowers))

    # 6. divergence ------------------------------------------------------------------------------------
    script("box-regressor-pixel-targets-sgd-lr-10-anomaly", "optim.divergence", setup=plates_setup)
    script("ohem-weighted-sampler-from-nan-losses", "optim.divergence", setup=flowers)
    script("active-learning-np-random-choice-nan-uncertainty", "optim.divergence", setup=both(flowers, unlabelled))
    script("half-model-adam-eps-clip-grad-nonfinite", "optim.divergence", setup=flowers)

    # 7. calls out of order ---------------------------------------------------------------------------
    script("gradscaler-unscale-after-step-clip", "model.api_misuse", setup=flowers)
    script("gradscaler-step-before-scaled-backward", "model.api_misuse", setup=flowers)
    script("accumulation-optimizer-step-before-backward", "model.api_misuse", also=["optim.autograd_graph"],
           setup=flowers)
    script("trainer-class-scheduler-built-before-optimizer", "model.api_misuse", setup=flowers)
    script("onecycle-built-before-unfreeze-add-param-group", "model.api_misuse", setup=both(r18, flowers))
    script("imageai-custom-detect-load-model-before-set-model-path", "model.api_misuse", framework="imageai",
           argv="detect.py", setup=both(tiny_weights, site))
    notebook("imageai-custom-cls-helper-without-load-model-notebook", "model.api_misuse", framework="imageai",
             setup=both(cls_weights, samples))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
