"""A ninth held-out set of PyTorch / torchvision / ImageAI 3 training failures,
none of them a repeat of the scenarios in the other generators, centred on
object-detection training the way our users write it.

ImageAI 3 custom detection training (DetectionModelTrainer): a Pascal VOC data
directory laid out for ImageAI 2 (``annotations/*.xml``), YOLO labels
normalised twice (every box under 2 px), a header row written by a CSV export,
``nan`` cells from a spreadsheet export, an ``ignore`` class of -1, the class
id written in the last column, class names given as a ``set`` or as the result
of a helper without ``return``, ``num_experiments`` computed with ``/``, a
``pathlib.Path`` as the pretrained model, ImageAI 2's ``evaluateModel`` after
training.

torchvision Faster R-CNN / RetinaNet / SSD fine-tuning on custom data: Pascal
VOC XML parsed by hand (CVAT float coordinates, a click-without-drag box, a
missing ``<difficult>``, a capitalised class name, ``<size>`` of 0, labels
filtered without their boxes, ``VOCDetection`` targets given straight to the
model), YOLO text labels read by hand (a one-line file through
``np.loadtxt``, a trailing space, ``.txt`` next to ``.png`` images, strings into
``torch.tensor``, float class ids, centre-format pixel boxes, a hand-written
YOLOv1 target with a centre on the edge and a class id beyond the class list),
float64 images from numpy, ``image_id`` as a Python int, collate functions
(``lambda x: x``, stacking images), head replacement (RetinaNet
``num_classes`` attribute, ``FastRCNNPredictor`` given ``out_features``, the
v2 box head, an SSD head given one anchor count), anchors swapped after the
model is built, a wrong ``featmap_names``, SSD background images and 1-based
labels, ``sum(loss_dict)``, the eval output indexed like a dict, a checkpoint
loaded into a 91-class model, a background image in a hand-written mAP, v2
``SanitizeBoundingBoxes`` given a tuple, the removed ``torchvision.datapoints``
and ``box_convert(in_fmt="yolo")``.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more9.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, nb, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more9.py"


# ====================================================================== data builders
def voc_xml(fname, size, objs, with_difficult=True, size_override=None):
    """A LabelImg-style Pascal VOC annotation. objs: (name, xmin, ymin, xmax, ymax)."""
    w, h = size_override or size
    parts = [f"<annotation>\n\t<folder>JPEGImages</folder>\n\t<filename>{fname}</filename>\n"
             f"\t<size>\n\t\t<width>{w}</width>\n\t\t<height>{h}</height>\n\t\t<depth>3</depth>\n\t</size>\n"
             f"\t<segmented>0</segmented>\n"]
    for name, x1, y1, x2, y2, *rest in objs:
        parts.append(f"\t<object>\n\t\t<name>{name}</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n")
        if with_difficult:
            parts.append(f"\t\t<difficult>{rest[0] if rest else 0}</difficult>\n")
        parts.append(f"\t\t<bndbox>\n\t\t\t<xmin>{x1}</xmin>\n\t\t\t<ymin>{y1}</ymin>\n"
                     f"\t\t\t<xmax>{x2}</xmax>\n\t\t\t<ymax>{y2}</ymax>\n\t\t</bndbox>\n\t</object>\n")
    parts.append("</annotation>\n")
    return "".join(parts)


def default_objs(i):
    return [("helmet", 20 + 4 * i, 18, 70 + 4 * i, 66), ("head", 110, 30 + 3 * i, 150, 75 + 3 * i)]


def voc(root="data/helmets", n=4, size=(200, 150), objs=default_objs, difficult=lambda i: True,
        size_override=lambda i: None, sizes=None):
    """root/JPEGImages/*.jpg + root/Annotations/*.xml"""
    def setup(work: Path):
        specs = []
        ann = work / root / "Annotations"
        ann.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"hard_hat_workers{i}"
            sz = sizes[i % len(sizes)] if sizes else size
            specs.append((f"{root}/JPEGImages/{stem}.jpg", sz, "RGB"))
            (ann / f"{stem}.xml").write_text(voc_xml(f"{stem}.jpg", sz, objs(i), difficult(i), size_override(i)))
        make_images(work, specs)
    return setup


def yolo_default(i):
    return (f"0 {0.42 + 0.03 * i:.6f} {0.55:.6f} {0.21 + 0.02 * i:.6f} {0.18:.6f}\n"
            f"1 {0.71:.6f} {0.33 + 0.02 * i:.6f} {0.12:.6f} {0.10 + 0.01 * i:.6f}\n")


def yolo(root="data/potholes/train", n=4, size=(160, 120), lines=yolo_default, img_ext=lambda i: "jpg",
         img_dir="images", lbl_dir="labels", classes=None):
    """root/images/*.jpg + root/labels/*.txt (YOLO: cls cx cy w h, normalised)"""
    def setup(work: Path):
        specs = []
        for i in range(n):
            stem = f"img_{i:04d}"
            specs.append((f"{root}/{img_dir}/{stem}.{img_ext(i)}", size, "RGB"))
            p = work / root / lbl_dir / f"{stem}.txt"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(lines(i))
        make_images(work, specs)
        if classes:
            (work / root / "classes.txt").write_text("\n".join(classes) + "\n")
    return setup


def prerun(script, then=None):
    """A setup that runs one of the case's own helper scripts first (e.g. saving a checkpoint)."""
    def setup(work: Path):
        import subprocess
        import _record
        if then:
            then(work)
        subprocess.run([_record.torch_python(), script], cwd=work, check=True, capture_output=True)
    return setup


def iai_varied(i, classes):
    """one YOLO line per class id, each box a different size (k-means gets enough points)"""
    return "".join(f"{c} {0.3 + 0.1 * j:.2f} {0.5:.2f} {0.12 + 0.07 * j + 0.03 * i:.2f} {0.15 + 0.05 * j + 0.04 * i:.2f}\n"
                   for j, c in enumerate(classes))


def iai_dataset(root="hardhat", n_train=6, n_val=2, ann=None, ext=".txt", sizes=((96, 80), (120, 90)), extra=None):
    """ImageAI 3 layout: root/{train,validation}/{images,annotations}"""
    ann = ann or (lambda i: iai_varied(i, [i % 2, 1 - i % 2, 0]))

    def setup(work: Path):
        specs = []
        for split, n in (("train", n_train), ("validation", n_val)):
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
            for i in range(n):
                k = i if split == "train" else n_train + i
                stem = f"{root}_{k if split == 'train' else 100 + i:03d}"
                specs.append((f"{root}/{split}/images/{stem}.jpg", sizes[i % len(sizes)], "RGB"))
                (work / root / split / "annotations" / f"{stem}{ext}").write_text(ann(k))
        make_images(work, specs)
        if extra:
            extra(work)
    return setup


# ====================================================================== ImageAI 3 scripts
IAI_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer
@@PRE@@
trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@@@KW@@)
trainer.trainModel()
@@POST@@'''


def iai_train(model="TinyYOLOv3", datadir="hardhat", classes='["helmet", "head"]', bs="4", epochs="10", kw="",
              pre="", post=""):
    return sub(IAI_TRAIN, PRE=pre, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs, KW=kw,
               POST=post)


IAI = {}

IAI["det-train-pascal-voc-xml-annotations"] = iai_train(
    model="YOLOv3", datadir="kangaroo", classes='["kangaroo"]', bs="4", epochs="20")

IAI["det-train-yolo-labels-normalised-twice"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# labels converted with convert_labels.py (LabelImg pixel boxes -> YOLO)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="drones")
trainer.setTrainConfig(object_names_array=["drone", "bird"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''

IAI_CONVERT_TWICE = '''
import os
from PIL import Image

# pixel boxes exported from the labelling tool: cls x1 y1 x2 y2
for split in ("train", "validation"):
    src = f"raw_labels/{split}"
    for name in os.listdir(src):
        stem = name[:-4]
        w, h = Image.open(f"drones/{split}/images/{stem}.jpg").size
        out = []
        for line in open(os.path.join(src, name)):
            c, x1, y1, x2, y2 = map(float, line.split())
            cx, cy, bw, bh = (x1 + x2) / 2 / w, (y1 + y2) / 2 / h, (x2 - x1) / w, (y2 - y1) / h
            out.append(f"{int(c)} {cx / w:.6f} {cy / h:.6f} {bw / w:.6f} {bh / h:.6f}")
        with open(f"drones/{split}/annotations/{stem}.txt", "w") as f:
            f.write("\\n".join(out) + "\\n")
'''

IAI["det-train-annotations-csv-header-row"] = iai_train(
    datadir="wheat", classes='["wheat_head"]', epochs="15")

IAI["det-train-annotations-nan-from-spreadsheet"] = iai_train(
    model="YOLOv3", datadir="cracks", classes='["crack", "spall"]', epochs="25")

IAI["det-train-ignore-class-minus-one"] = iai_train(
    datadir="pedestrians", classes='["person", "cyclist"]', bs="8", epochs="40")

IAI["det-train-class-id-in-last-column"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# labels made with our own converter from the CSV export (x_center y_center width height class)
CLASSES = ["car", "truck", "motorbike"]

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="traffic")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=50,
                       train_from_pretrained_model="tiny-yolov3.pt")
trainer.trainModel()
'''

IAI["det-train-class-names-none-from-helper"] = '''
import os
from imageai.Detection.Custom import DetectionModelTrainer


def load_classes(path):
    names = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                names.append(line)
    print(f"{len(names)} classes: {names}")


DATA_DIR = "fish"
classes = load_classes(os.path.join(DATA_DIR, "classes.txt"))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory=DATA_DIR)
trainer.setTrainConfig(object_names_array=classes, batch_size=4, num_experiments=60)
trainer.trainModel()
'''

IAI["det-train-num-experiments-from-division"] = '''
import os
from imageai.Detection.Custom import DetectionModelTrainer

DATA = "solar_panels"
BATCH = 2
TARGET_ITERATIONS = 6          # about 6 optimiser steps in total for this quick test

n_images = len(os.listdir(os.path.join(DATA, "train", "images")))
steps_per_epoch = n_images // BATCH
epochs = TARGET_ITERATIONS / steps_per_epoch
print(f"{n_images} images, {steps_per_epoch} steps/epoch -> {epochs} epochs")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["panel", "defect"], batch_size=BATCH, num_experiments=epochs)
trainer.trainModel()
'''

IAI["det-train-pretrained-pathlib-path"] = '''
from pathlib import Path
from imageai.Detection.Custom import DetectionModelTrainer

BASE = Path(__file__).resolve().parent
DATA_DIR = BASE / "forklift"
PRETRAINED = BASE / "pretrained" / "tiny-yolov3.pt"

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=str(DATA_DIR))
trainer.setTrainConfig(object_names_array=["forklift", "person"], batch_size=4, num_experiments=100,
                       train_from_pretrained_model=PRETRAINED)
trainer.trainModel()
'''

IAI["det-train-evaluate-model-imageai2-api"] = '''
import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

np.trapz = np.trapezoid   # numpy 2 removed trapz (workaround from the ImageAI issues)

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhat")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=2)
trainer.trainModel()

# evaluate every saved model, as in the ImageAI custom detection tutorial
metrics = trainer.evaluateModel(model_path="hardhat/models",
                                json_path="hardhat/json/hardhat_tiny-yolov3_detection_config.json",
                                iou_threshold=0.5, object_threshold=0.3, nms_threshold=0.5)
print(metrics)
'''

IAI_SET_CELLS = [
    '''import os
from imageai.Detection.Custom import DetectionModelTrainer

DATA_DIR = "plates"
# LabelImg wrote classes.txt in every folder it was opened in; merge and de-duplicate them
names = []
for split in ("train", "validation"):
    with open(os.path.join(DATA_DIR, split, "annotations", "classes.txt")) as f:
        names += f.read().split()
classes = set(names)
classes''',
    '''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA_DIR)
trainer.setTrainConfig(object_names_array=classes, batch_size=4, num_experiments=20)''',
    '''trainer.trainModel()''',
]


# ====================================================================== torchvision: VOC XML by hand
SCRIPTS = {}

VOC_DS = '''
class HelmetDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "JPEGImages", self.ids[idx] + ".jpg")).convert("RGB")
        root = ET.parse(os.path.join(self.root, "Annotations", self.ids[idx] + ".xml")).getroot()
        boxes, labels = [], []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            boxes.append([@@COORD@@(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        target = {"boxes": torch.as_tensor(boxes, dtype=torch.float32),
                  "labels": torch.as_tensor(labels, dtype=torch.int64)}
        return TF.to_tensor(img), target
'''

SCRIPTS["frcnn-labelimg-click-zero-width-box"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
''' + sub(VOC_DS, COORD="float") + '''

def collate_fn(batch):
    return tuple(zip(*batch))


model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
loader = DataLoader(HelmetDataset("data/helmets"), batch_size=2, shuffle=False, collate_fn=collate_fn)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

model.train()
for epoch in range(10):
    for i, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
        print(f"epoch {epoch} iter {i} loss {losses.item():.4f}")
'''

SCRIPTS["voc-cvat-float-coords-int-parse-workers"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
''' + sub(VOC_DS, COORD="int") + '''

def collate_fn(batch):
    return tuple(zip(*batch))


def main():
    dataset = HelmetDataset("data/cvat_export")
    loader = DataLoader(dataset, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate_fn)
    model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()
    for epoch in range(5):
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print("epoch", epoch, "loss", loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["voc-class-name-capitalised-dict-lookup"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.models.detection import retinanet_resnet50_fpn

LABEL_MAP = {"helmet": 1, "head": 2, "person": 3}


def load_sample(xml_path, img_dir):
    root = ET.parse(xml_path).getroot()
    img = Image.open(os.path.join(img_dir, root.findtext("filename"))).convert("RGB")
    boxes, labels = [], []
    for obj in root.findall("object"):
        b = obj.find("bndbox")
        boxes.append([float(b.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")])
        labels.append(LABEL_MAP[obj.findtext("name")])
    image = torch.from_numpy(np.array(img)).permute(2, 0, 1).float() / 255
    return image, {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


samples = [load_sample(p, "data/helmets/JPEGImages") for p in sorted(glob.glob("data/helmets/Annotations/*.xml"))]
print("loaded", len(samples), "images")

model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(LABEL_MAP) + 1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
model.train()
for epoch in range(3):
    for i in range(0, len(samples), 2):
        images, targets = zip(*samples[i:i + 2])
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

VOC_DIFFICULT_CELLS = [
    '''import os
import xml.etree.ElementTree as ET
import torch
from PIL import Image
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "car", "van", "truck"]
ROOT = "datasets/vehicles_voc"''',
    '''def parse_voc(xml_file, keep_difficult=False):
    tree = ET.parse(xml_file)
    boxes, labels = [], []
    for obj in tree.findall("object"):
        difficult = int(obj.find("difficult").text)
        if difficult and not keep_difficult:
            continue
        bbox = obj.find("bndbox")
        boxes.append([float(bbox.find(t).text) for t in ("xmin", "ymin", "xmax", "ymax")])
        labels.append(CLASSES.index(obj.find("name").text))
    return torch.tensor(boxes, dtype=torch.float32), torch.tensor(labels, dtype=torch.int64)''',
    '''ann_dir = os.path.join(ROOT, "Annotations")
dataset = []
for f in sorted(os.listdir(ann_dir)):
    boxes, labels = parse_voc(os.path.join(ann_dir, f))
    img = TF.to_tensor(Image.open(os.path.join(ROOT, "JPEGImages", f.replace(".xml", ".jpg"))))
    dataset.append((img, {"boxes": boxes, "labels": labels}))
len(dataset)''',
]

SCRIPTS["voc-size-zero-resize-scale"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import functional as TF

CLASSES = ["background", "dog", "cat"]
SIZE = 320


class PetsVOC(Dataset):
    """Resizes every image to 320x320 up front and scales the boxes with it."""

    def __init__(self, root):
        self.xmls = sorted(glob.glob(os.path.join(root, "annotations", "*.xml")))
        self.root = root

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        ann = ET.parse(self.xmls[i]).getroot()
        w = float(ann.find("size/width").text)
        h = float(ann.find("size/height").text)
        sx, sy = SIZE / w, SIZE / h
        boxes, labels = [], []
        for obj in ann.findall("object"):
            b = obj.find("bndbox")
            x1, y1, x2, y2 = (float(b.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            boxes.append([x1 * sx, y1 * sy, x2 * sx, y2 * sy])
            labels.append(CLASSES.index(obj.find("name").text))
        img = Image.open(os.path.join(self.root, "images", ann.find("filename").text)).convert("RGB")
        img = TF.to_tensor(img.resize((SIZE, SIZE)))
        return img, {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


loader = DataLoader(PetsVOC("data/oxford_pets_subset"), batch_size=4, shuffle=True,
                    collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(20):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

SCRIPTS["voc-difficult-filtered-labels-only"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]


class HelmetDataset(Dataset):
    def __init__(self, root, use_difficult=False):
        self.root = root
        self.use_difficult = use_difficult
        self.ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "JPEGImages", self.ids[idx] + ".jpg")).convert("RGB")
        objs = ET.parse(os.path.join(self.root, "Annotations", self.ids[idx] + ".xml")).findall("object")
        boxes = [[float(o.find("bndbox").find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")] for o in objs]
        labels = [CLASSES.index(o.find("name").text) for o in objs
                  if self.use_difficult or o.find("difficult").text == "0"]
        return TF.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


loader = DataLoader(HelmetDataset("data/helmets"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(10):
    for step, (images, targets) in enumerate(loader):
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(epoch, step, {k: round(v.item(), 4) for k, v in loss_dict.items()})
'''

SCRIPTS["vocdetection-target-given-to-model"] = '''
import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import transforms
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

dataset = torchvision.datasets.VOCDetection("data", year="2012", image_set="train", download=False,
                                            transform=transforms.ToTensor())
loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=lambda batch: tuple(zip(*batch)))

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=21)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def vocdevkit(work: Path):
    base = work / "data" / "VOCdevkit" / "VOC2012"
    (base / "Annotations").mkdir(parents=True, exist_ok=True)
    (base / "ImageSets" / "Main").mkdir(parents=True, exist_ok=True)
    ids = [f"2008_00{100 + 7 * i}" for i in range(4)]
    specs = []
    for i, x in enumerate(ids):
        specs.append((f"data/VOCdevkit/VOC2012/JPEGImages/{x}.jpg", (160, 120), "RGB"))
        (base / "Annotations" / f"{x}.xml").write_text(
            voc_xml(f"{x}.jpg", (160, 120), [("dog", 12, 20, 90, 100), ("person", 95, 10, 150, 115)][: 1 + i % 2]))
    (base / "ImageSets" / "Main" / "train.txt").write_text("\n".join(ids) + "\n")
    make_images(work, specs)


# ====================================================================== torchvision: YOLO txt by hand
SCRIPTS["yolo-loadtxt-single-object-file"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


class YoloTxtDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        path = self.images[idx]
        img = Image.open(path).convert("RGB")
        w, h = img.size
        ann = np.loadtxt(path.replace("images", "labels").replace(".jpg", ".txt"))
        cls, cx, cy, bw, bh = ann[:, 0], ann[:, 1] * w, ann[:, 2] * h, ann[:, 3] * w, ann[:, 4] * h
        boxes = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], axis=1)
        return TF.to_tensor(img), {"boxes": torch.as_tensor(boxes, dtype=torch.float32),
                                   "labels": torch.as_tensor(cls + 1, dtype=torch.int64)}


loader = DataLoader(YoloTxtDataset("data/potholes/train"), batch_size=2, shuffle=True,
                    collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print("epoch", epoch, loss.item())
'''

SCRIPTS["yolo-split-space-trailing-space-chained"] = '''
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as TF


def read_yolo_labels(path):
    rows = []
    with open(path) as f:
        for line in f.read().splitlines():
            if line:
                rows.append([float(v) for v in line.split(" ")])
    return rows


class FruitDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.names = sorted(os.listdir(os.path.join(root, "images")))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = Image.open(os.path.join(self.root, "images", name)).convert("RGB")
        W, H = img.size
        label_file = os.path.join(self.root, "labels", os.path.splitext(name)[0] + ".txt")
        try:
            rows = read_yolo_labels(label_file)
        except ValueError as e:
            raise RuntimeError(f"could not parse {label_file}") from e
        boxes = [[(cx - w / 2) * W, (cy - h / 2) * H, (cx + w / 2) * W, (cy + h / 2) * H] for _, cx, cy, w, h in rows]
        labels = [int(c) for c, *_ in rows]
        return TF.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


ds = FruitDataset("data/fruits/train")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(5):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["yolo-txt-beside-png-images-replace-jpg"] = '''
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

# Roboflow "YOLO Darknet" export: images and .txt labels side by side in one folder
DATA = "data/trash-3/train"


class DarknetFolder(Dataset):
    def __init__(self, folder):
        self.folder = folder
        self.images = sorted(f for f in os.listdir(folder) if not f.endswith(".txt"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        img_path = os.path.join(self.folder, self.images[idx])
        img = Image.open(img_path).convert("RGB")
        W, H = img.size
        boxes, labels = [], []
        with open(img_path.replace(".jpg", ".txt")) as f:
            for line in f:
                c, cx, cy, w, h = map(float, line.split())
                boxes.append([(cx - w / 2) * W, (cy - h / 2) * H, (cx + w / 2) * W, (cy + h / 2) * H])
                labels.append(int(c) + 1)
        return TF.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


def main():
    loader = DataLoader(DarknetFolder(DATA), batch_size=2, shuffle=False, num_workers=2,
                        collate_fn=lambda b: tuple(zip(*b)))
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=4)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(3):
        for images, targets in loader:
            loss = sum(model(list(images), list(targets)).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
'''

SCRIPTS["yolo-label-strings-into-torch-tensor"] = '''
import glob
import os

import torch
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.ops import box_convert

images = sorted(glob.glob("data/potholes/train/images/*.jpg"))


def load(path):
    img = read_image(path).float() / 255.0
    _, H, W = img.shape
    with open(path.replace("/images/", "/labels/").replace(".jpg", ".txt")) as f:
        rows = [line.split() for line in f if line.strip()]
    t = torch.tensor(rows)
    boxes = box_convert(t[:, 1:], "cxcywh", "xyxy") * torch.tensor([W, H, W, H])
    return img, {"boxes": boxes, "labels": t[:, 0].long() + 1}


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
model.train()
for epoch in range(5):
    for path in images:
        img, target = load(path)
        loss = sum(model([img], [target]).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["yolo-loadtxt-float-class-ids-frcnn"] = '''
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms import functional as TF


class PotholeDataset(Dataset):
    def __init__(self, img_dir, label_dir):
        self.img_dir, self.label_dir = img_dir, label_dir
        self.files = sorted(os.listdir(img_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        name = self.files[idx]
        image = Image.open(os.path.join(self.img_dir, name)).convert("RGB")
        w, h = image.size
        data = np.loadtxt(os.path.join(self.label_dir, name.rsplit(".", 1)[0] + ".txt"), ndmin=2)
        xyxy = np.column_stack([(data[:, 1] - data[:, 3] / 2) * w, (data[:, 2] - data[:, 4] / 2) * h,
                                (data[:, 1] + data[:, 3] / 2) * w, (data[:, 2] + data[:, 4] / 2) * h])
        target = {"boxes": torch.from_numpy(xyxy).float(), "labels": torch.from_numpy(data[:, 0] + 1)}
        return TF.to_tensor(image), target


dataset = PotholeDataset("data/potholes/train/images", "data/potholes/train/labels")
loader = DataLoader(dataset, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["retinanet-yolo-centre-boxes-in-pixels"] = '''
import glob

import torch
from PIL import Image
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm


def load_yolo(img_path):
    img = Image.open(img_path).convert("RGB")
    W, H = img.size
    boxes, labels = [], []
    for line in open(img_path.replace("images", "labels").rsplit(".", 1)[0] + ".txt"):
        c, cx, cy, w, h = line.split()
        boxes.append([float(cx) * W, float(cy) * H, float(w) * W, float(h) * H])   # to pixels
        labels.append(int(c))
    return TF.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


data = [load_yolo(p) for p in sorted(glob.glob("data/potholes/train/images/*.jpg"))]
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(3):
    for img, target in tqdm(data, desc=f"epoch {epoch}"):
        losses = model([img], [target])
        loss = losses["classification"] + losses["bbox_regression"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

YOLOV1 = '''
import glob
import os

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

S, B = 7, 2
CLASSES = [l.strip() for l in open("data/parts/classes.txt") if l.strip()]
C = len(CLASSES)


class YoloV1Dataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        img = self.tf(Image.open(self.images[idx]).convert("RGB"))
        label_path = self.images[idx].replace("images", "labels").replace(".jpg", ".txt")
        target = torch.zeros(S, S, 5 + C)
        for line in open(label_path):
            c, cx, cy, w, h = line.split()
            c, cx, cy, w, h = int(c), float(cx), float(cy), float(w), float(h)
            i, j = int(cy * S), int(cx * S)          # grid cell row / column
            target[i, j, 0:4] = torch.tensor([cx * S - j, cy * S - i, w, h])
            target[i, j, 4] = 1.0
@@CLASS@@
        return img, target


model = nn.Sequential(
    nn.Conv2d(3, 16, 3, 2, 1), nn.LeakyReLU(0.1), nn.Conv2d(16, 32, 3, 2, 1), nn.LeakyReLU(0.1),
    nn.Conv2d(32, 64, 3, 2, 1), nn.LeakyReLU(0.1), nn.Conv2d(64, 64, 3, 2, 1), nn.LeakyReLU(0.1),
    nn.AdaptiveAvgPool2d(S), nn.Flatten(), nn.Linear(64 * S * S, S * S * (5 + C)),
)
loader = DataLoader(YoloV1Dataset("data/parts/train"), batch_size=4, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    for imgs, targets in loader:
        pred = model(imgs).view(-1, S, S, 5 + C)
        obj = targets[..., 4] == 1
        loss = (nn.functional.mse_loss(pred[..., :5][obj], targets[..., :5][obj])
                + nn.functional.binary_cross_entropy_with_logits(pred[..., 5:], targets[..., 5:]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
'''

SCRIPTS["yolov1-scratch-centre-on-bottom-edge"] = sub(YOLOV1, CLASS="            target[i, j, 5 + c] = 1.0")
SCRIPTS["yolov1-scratch-class-onehot"] = sub(YOLOV1, CLASS="""\
            target[i, j, 5:] = nn.functional.one_hot(torch.tensor(c), C).float()""")

# ====================================================================== torchvision: model / head building
SCRIPTS["retinanet-num-classes-attribute-only"] = '''
import torch
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms import functional as TF
from PIL import Image
import json

# fine-tune RetinaNet on our 3 defect classes
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None)   # 91 COCO classes
model.head.classification_head.num_classes = 3

ann = json.load(open("data/pcb/train.json"))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(12):
    for rec in ann:
        img = TF.to_tensor(Image.open("data/pcb/" + rec["file"]).convert("RGB"))
        target = {"boxes": torch.tensor(rec["boxes"], dtype=torch.float32),
                  "labels": torch.tensor(rec["labels"], dtype=torch.int64)}
        loss_dict = model([img], [target])
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def pcb_json(work: Path):
    import json
    make_images(work, [(f"data/pcb/img/{i:03d}.jpg", (160, 128), "RGB") for i in range(3)])
    recs = [{"file": f"img/{i:03d}.jpg", "boxes": [[10 + i, 12, 60 + i, 70], [80, 30, 120, 90 - i]],
             "labels": [1 + i % 3, 1]} for i in range(3)]
    (work / "data/pcb/train.json").write_text(json.dumps(recs))


SCRIPTS["frcnn-small-anchors-swapped-after-build"] = '''
import torch
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.transforms import functional as TF
from PIL import Image
import glob

# our objects (screws) are tiny: use smaller anchors and more aspect ratios
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
model.rpn.anchor_generator = AnchorGenerator(sizes=((8, 16, 32),) * 5, aspect_ratios=((0.5, 1.0, 2.0),) * 5)
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, 2)

files = sorted(glob.glob("data/screws/*.jpg"))
boxes = torch.tensor([[40.0, 40.0, 56.0, 52.0], [100.0, 70.0, 112.0, 86.0]])
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for f in files:
        img = TF.to_tensor(Image.open(f).convert("RGB"))
        loss = sum(model([img], [{"boxes": boxes, "labels": torch.tensor([1, 1])}]).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["frcnn-v2-box-head-fc7-in-features"] = '''
import torch
from torchvision.models.detection import fasterrcnn_resnet50_fpn_v2
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor

NUM_CLASSES = 4  # background + 3

def get_model(num_classes):
    model = fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None)
    # same as for fasterrcnn_resnet50_fpn in the blog post
    in_features = model.roi_heads.box_head.fc7.in_features
    model.roi_heads.box_predictor = FastRCNNPredictor(in_features, num_classes)
    return model

model = get_model(NUM_CLASSES)
print(model.roi_heads)
'''

SCRIPTS["frcnn-predictor-given-out-features"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
''' + sub(VOC_DS, COORD="float") + '''

model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None)
num_features = model.roi_heads.box_predictor.cls_score.out_features
model.roi_heads.box_predictor = FastRCNNPredictor(num_features, len(CLASSES))

loader = DataLoader(HelmetDataset("data/helmets"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["custom-backbone-roi-featmap-names"] = '''
import torch
import torchvision
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.ops import MultiScaleRoIAlign
from torchvision.transforms import functional as TF
from PIL import Image
import glob

backbone = torchvision.models.mobilenet_v2(weights=None).features
backbone.out_channels = 1280

anchor_generator = AnchorGenerator(sizes=((32, 64, 128, 256),), aspect_ratios=((0.5, 1.0, 2.0),))
roi_pooler = MultiScaleRoIAlign(featmap_names=["feat0"], output_size=7, sampling_ratio=2)
model = FasterRCNN(backbone, num_classes=3, rpn_anchor_generator=anchor_generator, box_roi_pool=roi_pooler)

images = [TF.to_tensor(Image.open(f).convert("RGB")) for f in sorted(glob.glob("data/leaves/*.jpg"))]
targets = [{"boxes": torch.tensor([[20.0, 15.0, 90.0, 100.0]]), "labels": torch.tensor([1])} for _ in images]
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    loss = sum(model(images, targets).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["ssd300-head-num-anchors-int"] = '''
import torch
from torchvision.models.detection import ssd300_vgg16
from torchvision.models.detection import _utils as det_utils
from torchvision.models.detection.ssd import SSDClassificationHead

NUM_CLASSES = 3  # background, apple, orange

model = ssd300_vgg16(weights=None, weights_backbone=None)
in_channels = det_utils.retrieve_out_channels(model.backbone, (300, 300))
num_anchors = 6   # default boxes per location
model.head.classification_head = SSDClassificationHead(in_channels, num_anchors, NUM_CLASSES)
model.transform.min_size = (300,)
model.transform.max_size = 300
print(model.head)
'''

SCRIPTS["ssd-background-images-empty-float-labels"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import functional as TF


class ShelfDataset(Dataset):
    """COCO-like json; shelf photos without any product are kept as negatives."""

    def __init__(self, ann_file, img_dir):
        self.items = json.load(open(ann_file))["images"]
        self.img_dir = img_dir

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        it = self.items[idx]
        img = TF.to_tensor(Image.open(f"{self.img_dir}/{it['file_name']}").convert("RGB"))
        boxes = [a["bbox"] for a in it["annotations"]]
        labels = [a["category_id"] for a in it["annotations"]]
        if len(boxes) == 0:
            return img, {"boxes": torch.zeros((0, 4)), "labels": torch.tensor(labels)}
        return img, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


ds = ShelfDataset("data/shelf/annotations.json", "data/shelf/images")
loader = DataLoader(ds, batch_size=4, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(30):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def shelf(work: Path, n=4):
    import json
    make_images(work, [(f"data/shelf/images/shelf_{i:02d}.jpg", (160, 120), "RGB") for i in range(n)])
    items = []
    for i in range(n):
        anns = [] if i == 1 else [{"bbox": [10 + i, 15, 70 + i, 90], "category_id": 1},
                                  {"bbox": [90, 20, 140, 100 - i], "category_id": 2}]
        items.append({"file_name": f"shelf_{i:02d}.jpg", "annotations": anns})
    (work / "data/shelf/annotations.json").write_text(json.dumps({"images": items}))


SCRIPTS["ssd300-boxes-python-lists"] = '''
import torch
from PIL import Image
from torchvision.models.detection import ssd300_vgg16
from torchvision.transforms import functional as TF
import csv
from collections import defaultdict

rows = defaultdict(list)
with open("data/racoons/train_labels.csv") as f:
    for r in csv.DictReader(f):
        rows[r["filename"]].append([float(r["xmin"]), float(r["ymin"]), float(r["xmax"]), float(r["ymax"])])

dataset = []
for fname, boxes in rows.items():
    img = TF.to_tensor(Image.open(f"data/racoons/images/{fname}").convert("RGB"))
    dataset.append((img, {"boxes": boxes, "labels": torch.ones(len(boxes), dtype=torch.int64)}))

model = ssd300_vgg16(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(5):
    for img, target in dataset:
        loss_dict = model([img], [target])
        loss = loss_dict["bbox_regression"] + loss_dict["classification"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def racoons(work: Path):
    files = [f"raccoon-{k}.jpg" for k in (1, 12, 27)]
    make_images(work, [(f"data/racoons/images/{f}", (180, 140), "RGB") for f in files])
    lines = ["filename,width,height,class,xmin,ymin,xmax,ymax"]
    for i, f in enumerate(files):
        lines.append(f"{f},180,140,raccoon,{20 + i},{15 + 2 * i},{120 + i},{130 - i}")
    (work / "data/racoons/train_labels.csv").write_text("\n".join(lines) + "\n")


SCRIPTS["ssd-labels-one-based-num-classes-tqdm"] = '''
import glob
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import ssdlite320_mobilenet_v3_large
from torchvision.transforms import functional as TF
from tqdm import tqdm

CLASSES = ["pothole", "crack"]          # label ids 1..2, 0 is background


class RoadDataset(Dataset):
    def __init__(self, root):
        self.imgs = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, i):
        img = Image.open(self.imgs[i]).convert("RGB")
        W, H = img.size
        boxes, labels = [], []
        for line in open(self.imgs[i].replace("images", "labels").replace(".jpg", ".txt")):
            c, cx, cy, w, h = map(float, line.split())
            boxes.append([(cx - w / 2) * W, (cy - h / 2) * H, (cx + w / 2) * W, (cy + h / 2) * H])
            labels.append(int(c) + 1)
        return TF.to_tensor(img), {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}


loader = DataLoader(RoadDataset("data/potholes/train"), batch_size=2, shuffle=False,
                    collate_fn=lambda b: tuple(zip(*b)))
model = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(3):
    pbar = tqdm(loader, desc=f"Epoch {epoch + 1}/3")
    for images, targets in pbar:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''

# ====================================================================== torchvision: loops, collate, eval
SCRIPTS["frcnn-float64-images-from-cv2"] = '''
import os
import xml.etree.ElementTree as ET

import cv2
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "helmet", "head"]


class HelmetDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        img = cv2.imread(os.path.join(self.root, "JPEGImages", self.ids[idx] + ".jpg"))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB) / 255.0
        img = torch.from_numpy(img).permute(2, 0, 1)
        tree = ET.parse(os.path.join(self.root, "Annotations", self.ids[idx] + ".xml"))
        boxes, labels = [], []
        for obj in tree.findall("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        return img, {"boxes": torch.tensor(boxes, dtype=torch.float32), "labels": torch.tensor(labels)}


def collate_fn(batch):
    return tuple(zip(*batch))


if __name__ == "__main__":
    loader = DataLoader(HelmetDataset("data/helmets"), batch_size=2, shuffle=True, num_workers=2,
                        collate_fn=collate_fn)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=0.0005)
    model.train()
    for epoch in range(10):
        for images, targets in loader:
            loss_dict = model(list(images), list(targets))
            losses = sum(loss_dict.values())
            optimizer.zero_grad()
            losses.backward()
            optimizer.step()
        print(f"epoch {epoch}: {losses.item():.4f}")
'''

SCRIPTS["frcnn-target-image-id-int-to-device"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


class HelmetDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "JPEGImages", self.ids[idx] + ".jpg")).convert("RGB")
        boxes, labels = [], []
        for obj in ET.parse(os.path.join(self.root, "Annotations", self.ids[idx] + ".xml")).findall("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        boxes = torch.as_tensor(boxes, dtype=torch.float32)
        target = {
            "boxes": boxes,
            "labels": torch.as_tensor(labels, dtype=torch.int64),
            "image_id": idx,
            "area": (boxes[:, 3] - boxes[:, 1]) * (boxes[:, 2] - boxes[:, 0]),
            "iscrowd": torch.zeros((len(labels),), dtype=torch.int64),
        }
        return TF.to_tensor(img), target


model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = FastRCNNPredictor(in_features, len(CLASSES))
model.to(device)

data_loader = DataLoader(HelmetDataset("data/helmets"), batch_size=2, shuffle=True,
                         collate_fn=lambda batch: tuple(zip(*batch)))
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)

for epoch in range(10):
    model.train()
    for images, targets in data_loader:
        images = list(image.to(device) for image in images)
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        loss_dict = model(images, targets)
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
'''

SCRIPTS["frcnn-collate-lambda-identity"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
''' + sub(VOC_DS, COORD="float") + '''

dataset = HelmetDataset("data/helmets")
# targets have a different number of boxes per image, so keep the batch as a plain list
loader = DataLoader(dataset, batch_size=4, shuffle=True, collate_fn=lambda x: x)

model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["frcnn-collate-stacks-images-workers"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
''' + sub(VOC_DS, COORD="float") + '''

def detection_collate(batch):
    images = torch.stack([b[0] for b in batch], dim=0)
    targets = [b[1] for b in batch]
    return images, targets


def main():
    loader = DataLoader(HelmetDataset("data/helmets"), batch_size=4, shuffle=True, num_workers=2,
                        collate_fn=detection_collate)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for epoch in range(10):
        for images, targets in loader:
            loss = sum(model(images, targets).values())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
'''

SCRIPTS["frcnn-sum-over-loss-dict"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
''' + sub(VOC_DS, COORD="float") + '''

loader = DataLoader(HelmetDataset("data/helmets"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

for epoch in range(10):
    model.train()
    running = 0.0
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch} loss {running / len(loader):.4f}")
'''

EVAL_DICT_CELLS = [
    '''import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF

CLASSES = ["__background__", "helmet", "head"]
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
model.load_state_dict(torch.load("helmet_frcnn.pth", map_location="cpu"))
model.eval()
print("model ready")''',
    '''img = TF.to_tensor(Image.open("test/site_photo.jpg").convert("RGB"))
with torch.no_grad():
    prediction = model([img])''',
    '''keep = prediction["scores"] > 0.5
for box, label in zip(prediction["boxes"][keep], prediction["labels"][keep]):
    print(CLASSES[label], [round(v, 1) for v in box.tolist()])''',
]

CKPT_91_CELLS = [
    '''import torch
import torchvision
from PIL import Image
from torchvision.transforms import functional as TF''',
    '''# checkpoint from the training notebook (fasterrcnn_resnet50_fpn fine-tuned on 3 classes + background)
model = torchvision.models.detection.fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
model.load_state_dict(torch.load("checkpoints/fasterrcnn_helmets_epoch_20.pth", map_location="cpu"))
model.eval()''',
    '''img = TF.to_tensor(Image.open("test/site_photo.jpg").convert("RGB"))
out = model([img])[0]
out["boxes"][:5], out["labels"][:5]''',
]

SAVE_CKPT = '''
import os
import torch
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor

m = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None)
m.roi_heads.box_predictor = FastRCNNPredictor(m.roi_heads.box_predictor.cls_score.in_features, 4)
os.makedirs("checkpoints", exist_ok=True)
torch.save(m.state_dict(), "checkpoints/fasterrcnn_helmets_epoch_20.pth")
'''

SAVE_SMALL = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
torch.save(fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3).state_dict(),
           "helmet_frcnn.pth")
'''

SCRIPTS["eval-map-background-image-iou-max"] = '''
import json

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.ops import box_iou
from torchvision.transforms import functional as TF
from tqdm import tqdm

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3,
                                               box_score_thresh=0.0)
model.eval()

val = json.load(open("data/shelf/val.json"))
tp, fp, n_gt = 0, 0, 0
for rec in tqdm(val, desc="eval"):
    img = TF.to_tensor(Image.open("data/shelf/images/" + rec["file_name"]).convert("RGB"))
    with torch.no_grad():
        pred = model([img])[0]
    gt = torch.tensor(rec["boxes"], dtype=torch.float32).reshape(-1, 4)
    n_gt += len(gt)
    ious = box_iou(pred["boxes"], gt)           # [num_pred, num_gt]
    best_iou, _ = ious.max(dim=1)
    tp += int((best_iou >= 0.5).sum())
    fp += int((best_iou < 0.5).sum())
print(f"precision {tp / max(tp + fp, 1):.3f} recall {tp / max(n_gt, 1):.3f}")
'''


def shelf_val(work: Path):
    import json
    make_images(work, [(f"data/shelf/images/val_{i:02d}.jpg", (160, 120), "RGB") for i in range(4)])
    recs = [{"file_name": f"val_{i:02d}.jpg", "boxes": [] if i == 2 else [[10, 15, 70 + i, 90], [90, 20, 140, 100]]}
            for i in range(4)]
    (work / "data/shelf/val.json").write_text(json.dumps(recs))


SCRIPTS["v2-sanitize-boxes-three-tuple"] = '''
import os
import xml.etree.ElementTree as ET

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import tv_tensors
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import v2

CLASSES = ["__background__", "helmet", "head"]

train_tf = v2.Compose([
    v2.ToImage(),
    v2.RandomHorizontalFlip(0.5),
    v2.RandomPhotometricDistort(p=0.5),
    v2.ToDtype(torch.float32, scale=True),
    v2.SanitizeBoundingBoxes(),
])


class HelmetDataset(Dataset):
    def __init__(self, root, transforms):
        self.root, self.transforms = root, transforms
        self.ids = sorted(f[:-4] for f in os.listdir(os.path.join(root, "Annotations")))

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "JPEGImages", self.ids[idx] + ".jpg")).convert("RGB")
        boxes, labels = [], []
        for obj in ET.parse(os.path.join(self.root, "Annotations", self.ids[idx] + ".xml")).findall("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.find("name").text))
        boxes = tv_tensors.BoundingBoxes(boxes, format="XYXY", canvas_size=(img.height, img.width))
        img, boxes, labels = self.transforms(img, boxes, torch.tensor(labels))
        return img, {"boxes": boxes, "labels": labels}


loader = DataLoader(HelmetDataset("data/helmets", train_tf), batch_size=2, shuffle=True,
                    collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["v2-datapoints-import-old-tutorial"] = '''
import torch
from torchvision import datapoints
from torchvision.transforms import v2 as T
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

transforms = T.Compose([
    T.RandomPhotometricDistort(),
    T.RandomZoomOut(fill={datapoints.Image: (123, 117, 104), "others": 0}),
    T.RandomIoUCrop(),
    T.RandomHorizontalFlip(),
    T.SanitizeBoundingBox(),
])
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
'''

SCRIPTS["box-convert-in-fmt-yolo"] = '''
import glob

import torch
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.ops import box_convert

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()

for img_path in sorted(glob.glob("data/potholes/train/images/*.jpg")):
    img = read_image(img_path).float() / 255
    _, h, w = img.shape
    lab = torch.tensor([[float(v) for v in l.split()] for l in open(img_path.replace("images", "labels")[:-4] + ".txt")])
    boxes = box_convert(lab[:, 1:], in_fmt="yolo", out_fmt="xyxy") * torch.tensor([w, h, w, h])
    loss = sum(model([img], [{"boxes": boxes, "labels": lab[:, 0].long() + 1}]).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


# ======================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more9-", SCRIPTS)

    def notebook(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), files=None, **kw):
        add(name, cause, {**nb(cells), **(files or {})}, forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    def iai(name, cause, text, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, {"train.py": text}, forms=forms, **kw)

    # ImageAI 3 custom detection training --------------------------------------------------------
    def voc_for_imageai(work: Path):
        """ImageAI 2 layout: the annotations folder holds Pascal VOC .xml files"""
        specs = []
        for split, n in (("train", 6), ("validation", 2)):
            (work / "kangaroo" / split / "annotations").mkdir(parents=True, exist_ok=True)
            for i in range(n):
                stem = f"{i + 1:05d}" if split == "train" else f"{i + 150:05d}"
                sz = (120 + 8 * i, 96)
                specs.append((f"kangaroo/{split}/images/{stem}.jpg", sz, "RGB"))
                (work / "kangaroo" / split / "annotations" / f"{stem}.xml").write_text(
                    voc_xml(f"{stem}.jpg", sz, [("kangaroo", 10 + i, 8, 70 + 3 * i, 88)]))
        make_images(work, specs)
    iai("det-train-pascal-voc-xml-annotations", "data.missing_or_corrupt", IAI["det-train-pascal-voc-xml-annotations"],
        also=["env.version_incompat"], setup=voc_for_imageai)

    def drones(work: Path):
        specs = []
        for split, n in (("train", 6), ("validation", 2)):
            (work / "drones" / split / "annotations").mkdir(parents=True, exist_ok=True)
            (work / "raw_labels" / split).mkdir(parents=True, exist_ok=True)
            for i in range(n):
                stem = f"drone_{i:03d}" if split == "train" else f"drone_{100 + i:03d}"
                specs.append((f"drones/{split}/images/{stem}.jpg", (128, 96), "RGB"))
                (work / "raw_labels" / split / f"{stem}.txt").write_text(
                    f"0 {20 + 3 * i} {18 + 2 * i} {70 + 4 * i} {60 + 3 * i}\n1 80 10 {104 + i} {34 + 2 * i}\n")
        make_images(work, specs)
        (work / "convert_labels.py").write_text(IAI_CONVERT_TWICE.lstrip("\n"))
        prerun("convert_labels.py")(work)
    add("imageai-det-train-yolo-labels-normalised-twice", "data.bbox_invalid",
        {"train.py": IAI["det-train-yolo-labels-normalised-twice"]}, also=["data.too_few_boxes"],
        framework="imageai", timeout=600, setup=drones)

    iai("det-train-annotations-csv-header-row", "data.bbox_invalid", IAI["det-train-annotations-csv-header-row"],
        forms=["cpython_basic", "chained_cause?"],
        setup=iai_dataset("wheat", ann=lambda k: "class x_center y_center width height\n" + iai_varied(k, [0, 0])))
    iai("det-train-annotations-nan-from-spreadsheet", "data.bbox_invalid",
        IAI["det-train-annotations-nan-from-spreadsheet"],
        setup=iai_dataset("cracks", ann=lambda k: iai_varied(k, [0, 1]) + ("1 0.62 0.41 nan nan\n" if k == 4 else "")))
    iai("det-train-ignore-class-minus-one", "data.label_out_of_range", IAI["det-train-ignore-class-minus-one"],
        also=["data.bbox_invalid"],
        setup=iai_dataset("pedestrians", ann=lambda k: iai_varied(k, [0, 1]) + ("-1 0.85 0.80 0.10 0.20\n" if k % 3 == 2 else "")))

    def class_last(k):
        return "".join(f"{0.3 + 0.1 * j:.2f} {0.5:.2f} {0.12 + 0.07 * j + 0.03 * k:.2f} {0.15 + 0.05 * j:.2f} {c}\n"
                       for j, c in enumerate([k % 3, (k + 1) % 3]))
    iai("det-train-class-id-in-last-column", "data.bbox_invalid", IAI["det-train-class-id-in-last-column"],
        setup=iai_dataset("traffic", ann=class_last))
    iai("det-train-class-names-none-from-helper", "model.api_misuse", IAI["det-train-class-names-none-from-helper"],
        setup=iai_dataset("fish", extra=lambda w: (w / "fish/classes.txt").write_text("fish\njellyfish\n")))
    iai("det-train-num-experiments-from-division", "model.api_misuse", IAI["det-train-num-experiments-from-division"],
        setup=iai_dataset("solar_panels", n_train=4))
    iai("det-train-pretrained-pathlib-path", "model.api_misuse", IAI["det-train-pretrained-pathlib-path"],
        setup=iai_dataset("forklift"))
    iai("det-train-evaluate-model-imageai2-api", "env.version_incompat", IAI["det-train-evaluate-model-imageai2-api"],
        also=["model.api_misuse"], forms=["cpython_basic", "progress_bars"], setup=iai_dataset("hardhat"))

    def plates(work: Path):
        iai_dataset("plates", ann=lambda k: iai_varied(k, [0, 0, 1]))(work)
        for split in ("train", "validation"):
            (work / "plates" / split / "annotations" / "classes.txt").write_text("plate\nplate_rear\n")
    add("imageai-det-train-class-names-set-notebook", "model.api_misuse", nb(IAI_SET_CELLS),
        forms=["ipython_cell", "ipython_arrows"], argv=["nb_runner.py"], home_is_project=True,
        framework="imageai", timeout=600, setup=plates)

    # torchvision: Pascal VOC XML by hand ------------------------------------------------------------
    script("frcnn-labelimg-click-zero-width-box", "data.bbox_invalid",
           setup=voc(objs=lambda i: default_objs(i) + ([("head", 131, 40, 131, 77)] if i == 3 else [])))
    script("voc-cvat-float-coords-int-parse-workers", "data.bbox_invalid", forms=["dataloader_worker"],
           setup=voc(root="data/cvat_export",
                     objs=lambda i: [("helmet", 20.37 + i, 18.0, 70.91, 66.12), ("head", 110.5, 30.25, 150.0, 75.8)]))
    script("voc-class-name-capitalised-dict-lookup", "data.label_out_of_range",
           setup=voc(objs=lambda i: [("helmet", 20, 18, 70, 66), ("Helmet" if i == 2 else "head", 110, 30, 150, 75)]))
    notebook("voc-missing-difficult-tag-notebook", "data.missing_or_corrupt", VOC_DIFFICULT_CELLS,
             setup=voc(root="datasets/vehicles_voc",
                       objs=lambda i: [("car", 20, 18, 90, 66), ("truck", 100, 30, 180, 120)],
                       difficult=lambda i: i != 2))

    def pets(work: Path):
        specs = []
        (work / "data/oxford_pets_subset/annotations").mkdir(parents=True, exist_ok=True)
        for i in range(6):
            stem = f"{'Abyssinian' if i % 2 else 'beagle'}_{100 + i}"
            sz = (180 + 10 * i, 140)
            specs.append((f"data/oxford_pets_subset/images/{stem}.jpg", sz, "RGB"))
            (work / "data/oxford_pets_subset/annotations" / f"{stem}.xml").write_text(
                voc_xml(f"{stem}.jpg", sz, [("cat" if i % 2 else "dog", 30, 20, 120, 110)],
                        size_override=(0, 0) if i == 3 else None))
        make_images(work, specs)
    script("voc-size-zero-resize-scale", "data.missing_or_corrupt", setup=pets)
    script("voc-difficult-filtered-labels-only", "data.label_shape",
           setup=voc(objs=lambda i: default_objs(i) + [("head", 150, 90, 185, 130, 1)]))
    script("vocdetection-target-given-to-model", "model.api_misuse", also=["data.label_shape"], setup=vocdevkit)

    # torchvision: YOLO txt read by hand ---------------------------------------------------------------
    script("yolo-loadtxt-single-object-file", "data.bbox_invalid",
           setup=yolo(lines=lambda i: yolo_default(i) if i % 2 == 0 else "0 0.500000 0.450000 0.300000 0.250000\n"))
    script("yolo-split-space-trailing-space-chained", "data.bbox_invalid", forms=["cpython_basic", "chained_cause"],
           setup=yolo(root="data/fruits/train",
                      lines=lambda i: "".join(l + (" \n" if i == 1 else "\n") for l in yolo_default(i).splitlines())))
    script("yolo-txt-beside-png-images-replace-jpg", "data.missing_or_corrupt", forms=["dataloader_worker"],
           setup=yolo(root="data/trash-3/train", img_dir="", lbl_dir="", img_ext=lambda i: "png" if i == 2 else "jpg"))
    script("yolo-label-strings-into-torch-tensor", "data.dtype", setup=yolo())
    script("yolo-loadtxt-float-class-ids-frcnn", "data.dtype", setup=yolo())
    script("retinanet-yolo-centre-boxes-in-pixels", "data.bbox_invalid", forms=["cpython_basic", "progress_bars?"],
           setup=yolo())
    def parts(lines):
        def setup(work: Path):
            yolo(root="data/parts/train", n=8, lines=lines)(work)
            (work / "data/parts/classes.txt").write_text("bolt\nnut\nwasher\nscrew\nspring\n")
        return setup
    script("yolov1-scratch-centre-on-bottom-edge", "data.bbox_invalid",
           setup=parts(lambda i: yolo_default(i) + ("2 0.400000 1.000000 0.200000 0.120000\n" if i == 5 else "")))
    script("yolov1-scratch-class-onehot", "data.label_out_of_range",
           setup=parts(lambda i: yolo_default(i) + ("5 0.300000 0.300000 0.200000 0.150000\n" if i == 6 else "")))

    # torchvision: building / replacing heads ---------------------------------------------------------------
    script("retinanet-num-classes-attribute-only", "model.output_mismatch", also=["model.api_misuse"], setup=pcb_json)
    script("frcnn-small-anchors-swapped-after-build", "model.output_mismatch", also=["model.api_misuse"],
           setup=imgs([(f"data/screws/{i:02d}.jpg", (160, 120), "RGB") for i in range(2)]))
    script("frcnn-v2-box-head-fc7-in-features", "model.api_misuse")
    script("frcnn-predictor-given-out-features", "model.input_shape", also=["model.api_misuse"], setup=voc())
    script("custom-backbone-roi-featmap-names", "model.api_misuse",
           setup=imgs([(f"data/leaves/leaf_{i}.jpg", (128, 128), "RGB") for i in range(2)]))
    script("ssd300-head-num-anchors-int", "model.api_misuse")
    script("ssd-background-images-empty-float-labels", "data.dtype", setup=shelf)
    script("ssd300-boxes-python-lists", "model.api_misuse", setup=racoons)
    script("ssd-labels-one-based-num-classes-tqdm", "data.label_out_of_range",
           forms=["cpython_basic", "progress_bars"], setup=yolo())

    # torchvision: loops, collate, evaluation -------------------------------------------------------------
    script("frcnn-float64-images-from-cv2", "data.dtype", forms=["cpython_basic", "dataloader_worker?"],
           setup=voc())
    script("frcnn-target-image-id-int-to-device", "data.dtype", also=["model.api_misuse"], setup=voc(),
           project="/content/drive/MyDrive/Colab Notebooks/helmet detection",
           forms=["cpython_basic", "paths_with_spaces"])
    script("frcnn-collate-lambda-identity", "model.api_misuse", setup=voc())
    script("frcnn-collate-stacks-images-workers", "data.image_size_mismatch", also=["model.api_misuse"],
           forms=["dataloader_worker"], setup=voc(sizes=[(200, 150), (180, 160)]))
    script("frcnn-sum-over-loss-dict", "model.api_misuse", setup=voc())
    notebook("frcnn-eval-output-indexed-like-dict-notebook", "model.api_misuse", EVAL_DICT_CELLS,
             files={"save_ckpt.py": SAVE_SMALL},
             setup=prerun("save_ckpt.py", imgs([("test/site_photo.jpg", (200, 150), "RGB")])))
    notebook("frcnn-checkpoint-into-default-91-class-model-notebook", "model.weights_mismatch", CKPT_91_CELLS,
             files={"save_ckpt.py": SAVE_CKPT},
             setup=prerun("save_ckpt.py", imgs([("test/site_photo.jpg", (200, 150), "RGB")])))
    script("eval-map-background-image-iou-max", "other", forms=["cpython_basic", "progress_bars?"], setup=shelf_val)
    script("v2-sanitize-boxes-three-tuple", "model.api_misuse", setup=voc())
    script("v2-datapoints-import-old-tutorial", "env.version_incompat")
    script("box-convert-in-fmt-yolo", "model.api_misuse", setup=yolo())
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
