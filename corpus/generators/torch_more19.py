"""A nineteenth held-out set of PyTorch / torchvision / ImageAI 3 failures, none of
them a repeat of the other generators' scenarios, following ImageAI 3 users who
train and run detectors and classifiers on their own data, and people writing
the same image-classification code by hand in plain PyTorch.

ImageAI 3 DetectionModelTrainer: a home-made VOC-XML -> YOLO converter that names
its output ``<image>.jpg.txt``, that meets phone photos whose XML ``<size>`` was
written in landscape while the boxes were drawn in portrait, and that meets a
class nobody put in the class list; Roboflow-renamed labels (``_jpg.rf.<hash>``)
beside the original photos; a 1-pixel-high web banner and a gigapixel drone
mosaic among the training images; a split script whose ``int(n * 0.1)`` leaves
``validation/images`` empty; a Pascal VOC devkit folder as the data directory; an
unextracted Roboflow zip as the data directory; the previous run's detection
config given as the pretrained model; ``setModelTypeAsRetinaNet`` on the trainer.
CustomObjectDetection: a ``--min-prob`` argparse option left as a string,
extracted objects written under a results folder that does not exist, a stitched
gigapixel panorama. ObjectDetection (COCO) given ``setJsonPath``.
CustomImageClassification / ClassificationModelTrainer: a CHW array prepared for
PyTorch, ``loadModel`` without parentheses (notebook), a Teachable Machine
``labels.txt`` as the class json, the ImageNet example's ``model_best.pth.tar``,
``loadModel`` run before ``setModelPath`` (notebook), an image renamed so that
``cv2.imread`` gives None, a flat (unsorted) ``test`` folder.

Plain PyTorch: BCELoss on a softmax head for four classes, MSELoss on retinopathy
grades, a one-logit BCEWithLogits head with 1-D labels, labels returned as
one-element tensors, a one-hot with an extra "background" column, 1-based class
ids from file names through ``one_hot`` (notebook), float labels left over from a
binary model (notebook), a label column read as strings into ``torch.from_numpy``
(notebook), ``sorted(os.listdir())`` picking up ``.DS_Store`` as a class, grey
leaves opened without ``convert`` (in workers), an RGBA screenshot through
Normalize, 16 px favicons into a CNN built for 64 px, GoogLeNet's auxiliary
outputs in train mode, a BatchNorm1d head with a last batch of one, a decompression
bomb and iPhone HEIC photos renamed ``.jpg`` in an ImageFolder (in workers), a
white ``fill`` for grey document scans, the validation transform passed to
ImageFolder as ``target_transform``.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more19.py [-k filter] [--out DIR]
"""

import struct
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, sub, write  # noqa: E402,F401

SRC = "corpus/generators/torch_more19.py"


def huge_png(rel, w, h):
    """A PNG whose header announces a w x h RGB image (a stitched mosaic / scan):
    readers refuse it from the header alone, before any pixel is decoded."""
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xffffffff)

    comp = zlib.compressobj()
    idat = comp.compress(b"\x00" * (w * 3 + 1) * 2) + comp.flush(zlib.Z_SYNC_FLUSH)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return write(rel, data)


def heic_bytes(seed):
    """What an iPhone writes: an ISO-BMFF 'ftypheic' box, then HEVC data."""
    import random
    rnd = random.Random(seed)
    return (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"
            + b"\x00\x00\x01\x0dmeta\x00\x00\x00\x00" + bytes(rnd.randrange(256) for _ in range(3000)))


SCRIPTS = {}
CELLS = {}

# ====================================================================== ImageAI 3 data
def yolo_box_lines(i, classes=(0, 1)):
    return "".join(f"{c} {0.35 + 0.1 * j:.3f} {0.45 + 0.05 * j:.3f} {0.12 + 0.04 * i + 0.05 * j:.3f} "
                   f"{0.18 + 0.03 * i + 0.06 * j:.3f}\n" for j, c in enumerate(classes))


def yolo_ds(root, n_train=6, n_val=2, stem=lambda split, i: f"{split}_{i:03d}",
            label=lambda s: s + ".txt", sizes=((128, 96), (112, 84), (96, 128)), val_images=True, ann=True):
    """root/{train,validation}/{images,annotations} as ImageAI 3 wants it (YOLO txt)."""
    def setup(work: Path):
        specs = []
        for split, n in (("train", n_train), ("validation", n_val)):
            (work / root / split / "images").mkdir(parents=True, exist_ok=True)
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
            if split == "validation" and not val_images:
                continue
            for i in range(n):
                s = stem(split, i)
                specs.append((f"{root}/{split}/images/{s}.jpg", sizes[i % len(sizes)], "RGB"))
                if ann:
                    (work / root / split / "annotations" / label(s)).write_text(yolo_box_lines(i))
        make_images(work, specs)
    return setup


def voc_xml(fname, size, objects):
    w, h = size
    objs = "".join(
        f"\t<object>\n\t\t<name>{n}</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n"
        f"\t\t<difficult>0</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>{b[0]}</xmin>\n\t\t\t<ymin>{b[1]}</ymin>\n"
        f"\t\t\t<xmax>{b[2]}</xmax>\n\t\t\t<ymax>{b[3]}</ymax>\n\t\t</bndbox>\n\t</object>\n"
        for n, b in objects)
    return (f"<annotation>\n\t<folder>images</folder>\n\t<filename>{fname}</filename>\n"
            f"\t<path>C:\\Users\\dev\\roads\\images\\{fname}</path>\n\t<source>\n\t\t<database>Unknown</database>\n"
            f"\t</source>\n\t<size>\n\t\t<width>{w}</width>\n\t\t<height>{h}</height>\n\t\t<depth>3</depth>\n"
            f"\t</size>\n\t<segmented>0</segmented>\n{objs}</annotation>\n")


def voc_roads(xml_size=None, extra_name=None, portrait=frozenset()):
    """roads/{train,validation}/{images,xml}: LabelImg Pascal VOC files.
    portrait: indices whose XML <size> is landscape while the boxes are portrait."""
    def setup(work: Path):
        specs = []
        for split, n in (("train", 6), ("validation", 2)):
            for i in range(n):
                stem = f"road_{split[:3]}_{i:03d}"
                w, h = (640, 480)
                objects = [("pothole", (60 + 20 * i, 200 + 10 * i, 180 + 30 * i, 300 + 12 * i)),
                           ("crack", (300, 80 + 5 * i, 420 + 10 * i, 150 + 9 * i))]
                if split == "train" and i in portrait:
                    # photo taken upright: boxes in a 480 x 640 frame, <size> says 640 x 480
                    objects.append(("pothole", (140, 430, 300, 600)))
                if extra_name and split == "train" and i == 4:
                    objects.append((extra_name, (500, 120, 560, 330)))
                specs.append((f"roads/{split}/images/{stem}.jpg", (128, 96), "RGB"))
                p = work / "roads" / split / "xml" / f"{stem}.xml"
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(voc_xml(f"{stem}.jpg", (w, h), objects))
        make_images(work, specs)
    return setup


VOC_CONVERT = '''
import glob
import os
import xml.etree.ElementTree as ET

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["pothole", "crack"]


def voc_to_yolo(split):
    """LabelImg (Pascal VOC) -> YOLO txt, the layout ImageAI 3 trains on."""
    out_dir = os.path.join("roads", split, "annotations")
    os.makedirs(out_dir, exist_ok=True)
    for xml_path in sorted(glob.glob(os.path.join("roads", split, "xml", "*.xml"))):
        root = ET.parse(xml_path).getroot()
        fname = root.findtext("filename")
        w = float(root.findtext("size/width"))
        h = float(root.findtext("size/height"))
        lines = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax"))
            cls = CLASSES.index(obj.findtext("name"))
            lines.append(f"{cls} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} {(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        with open(os.path.join(out_dir, @@OUTNAME@@), "w") as f:
            f.write("\\n".join(lines) + "\\n")
    print(split, "converted")


for split in ("train", "validation"):
    voc_to_yolo(split)

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="roads")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=20)
trainer.trainModel()
'''

SCRIPTS["imageai-det-train-voc-converter-names-labels-jpg-txt"] = sub(VOC_CONVERT, OUTNAME="fname + \".txt\"")
SCRIPTS["imageai-det-train-voc-converter-portrait-photos-landscape-size"] = sub(
    VOC_CONVERT, OUTNAME="os.path.splitext(fname)[0] + \".txt\"")
SCRIPTS["imageai-det-train-voc-converter-class-missing-from-list"] = sub(
    VOC_CONVERT, OUTNAME="os.path.splitext(fname)[0] + \".txt\"")

DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer
@@PRE@@
trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory=@@DATADIR@@)
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@@@KW@@)
trainer.trainModel()
'''


def det_train(datadir='"hardhat"', classes='["helmet", "head"]', model="TinyYOLOv3", bs="4", epochs="30",
              kw="", pre=""):
    return sub(DET_TRAIN, PRE=pre, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs, KW=kw)


SCRIPTS["imageai-det-train-roboflow-hashed-label-names"] = det_train(
    datadir='"bottles"', classes='["plastic", "glass"]', pre='''
# images: the original photos from my phone
# annotations: the labels of the Roboflow export (YOLO v5 PyTorch), copied from export/train/labels
''')

SCRIPTS["imageai-det-train-web-banner-1px-high"] = det_train(
    datadir='"logos"', classes='["nike", "adidas"]', bs="2", pre='''
# training images scraped from shop pages (scrape_shops.py), boxes labelled in makesense.ai
''')

SCRIPTS["imageai-det-train-gigapixel-mosaic-in-images"] = det_train(
    datadir='"solar_panels"', classes='["panel", "damaged_panel"]', pre='''
# tiles cut from the drone survey + the full mosaic (the client wants it detected too)
''')

SCRIPTS["imageai-det-train-split-script-validation-empty"] = '''
import os
import random
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

# move 10% of the labelled images to validation/
random.seed(42)
src = "weeds/train/images"
files = sorted(os.listdir(src))
random.shuffle(files)
n_val = int(len(files) * 0.1)
for name in files[:n_val]:
    stem = os.path.splitext(name)[0]
    shutil.move(os.path.join(src, name), os.path.join("weeds/validation/images", name))
    shutil.move(os.path.join("weeds/train/annotations", stem + ".txt"),
                os.path.join("weeds/validation/annotations", stem + ".txt"))
print(f"{len(files) - n_val} train / {n_val} validation")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="weeds")
trainer.setTrainConfig(object_names_array=["weed", "crop"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''

SCRIPTS["imageai-det-train-voc-devkit-as-data-directory"] = det_train(
    datadir='"VOCdevkit/VOC2012"', classes='["person", "car", "dog"]', model="YOLOv3", bs="8", epochs="100",
    pre='''
# Pascal VOC 2012 trainval, extracted with: tar xf VOCtrainval_11-May-2012.tar
''')

SCRIPTS["imageai-det-train-roboflow-zip-not-extracted"] = det_train(
    datadir='"Hard Hat Workers.v2-raw.yolov5pytorch.zip"', model="YOLOv3", bs="8", epochs="50", pre='''
# dataset downloaded from Roboflow Universe ("Download zip to computer")
''')

SCRIPTS["imageai-det-train-pretrained-is-detection-config"] = det_train(
    epochs="50", kw=',\n                       train_from_pretrained_model="hardhat/json/hardhat_tiny-yolov3_detection_config.json"',
    pre='''
# continue from the first run (its files are in hardhat/models and hardhat/json)
''')

SCRIPTS["imageai-det-train-set-model-type-retinanet"] = det_train(
    model="RetinaNet", epochs="50", pre='''
# RetinaNet gave the best boxes with ObjectDetection, so train that one
''')

# ---------------------------------------------------------------- weights / configs of earlier runs
ANCHORS = "[11, 15, 20, 31, 35, 44, 58, 70, 96, 112, 180, 201]"

SAVE_HARDHAT = '''
import json, os, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
torch.manual_seed(3)
anchors = @@ANCHORS@@
os.makedirs("hardhat/models", exist_ok=True); os.makedirs("hardhat/json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(),
           "hardhat/models/tiny-yolov3_hardhat_mAP-0.58_epoch-41.pt")
json.dump({"labels": ["helmet", "head"], "anchors": anchors},
          open("hardhat/json/hardhat_tiny-yolov3_detection_config.json", "w"))
'''


def hardhat():
    return prep(sub(SAVE_HARDHAT, ANCHORS=ANCHORS))


SITE = [(f"site/cam2_08{15 + i}.jpg", (320, 240), "RGB") for i in range(3)]

DETECTOR = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.58_epoch-41.pt")
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()
'''

SCRIPTS["imageai-custom-detect-min-prob-argparse-string"] = '''
import argparse
import os
''' + DETECTOR.replace("detector = CustomObjectDetection()", '''parser = argparse.ArgumentParser(description="hard-hat check on site camera stills")
parser.add_argument("--images", default="site")
parser.add_argument("--min-prob", default=40, help="minimum confidence in percent")
args = parser.parse_args()

detector = CustomObjectDetection()''') + '''
for name in sorted(os.listdir(args.images)):
    detections = detector.detectObjectsFromImage(input_image=os.path.join(args.images, name),
                                                 output_image_path=os.path.join(args.images, "checked_" + name),
                                                 minimum_percentage_probability=args.min_prob)
    heads = [d for d in detections if d["name"] == "head"]
    print(name, f"{len(heads)} people without a helmet")
'''

SCRIPTS["imageai-custom-detect-extract-objects-results-folder-missing"] = '''import os
''' + DETECTOR + '''
# crops of every detected head go to the safety report
for name in sorted(os.listdir("site")):
    detections, crops = detector.detectObjectsFromImage(input_image=os.path.join("site", name),
                                                        output_image_path=os.path.join("report", "detected", name),
                                                        minimum_percentage_probability=45,
                                                        extract_detected_objects=True)
    print(name, len(detections), "objects,", len(crops), "crops")
'''

SCRIPTS["imageai-custom-detect-stitched-gigapixel-panorama"] = DETECTOR + '''
# the whole site in one picture: stitched from the crane camera sweep
detections = detector.detectObjectsFromImage(input_image="site/crane_sweep_panorama.png",
                                             output_image_path="site/crane_sweep_detected.jpg",
                                             minimum_percentage_probability=40)
print(sum(d["name"] == "head" for d in detections), "heads without helmet")
'''

SCRIPTS["imageai-objectdetection-class-with-custom-json"] = '''
from imageai.Detection import ObjectDetection

# my hard-hat model from DetectionModelTrainer
detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.58_epoch-41.pt")
detector.setJsonPath("hardhat/json/hardhat_tiny-yolov3_detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="site/cam2_0815.jpg",
                                             output_image_path="site/cam2_0815_detected.jpg")
print(detections)
'''

# ---------------------------------------------------------------- classification
SAVE_MNV2 = '''
import json, os, torch, torchvision
torch.manual_seed(0)
os.makedirs("@@DIR@@", exist_ok=True)
torch.save(torchvision.models.mobilenet_v2(num_classes=@@N@@).state_dict(), "@@DIR@@/@@PT@@")
json.dump({str(i): c for i, c in enumerate(@@CLASSES@@)}, open("@@DIR@@/@@JSON@@", "w"))
'''


def mnv2(d="fruits/models", n="3", classes='["apple", "banana", "orange"]',
         pt="mobilenet_v2-fruits-test_acc_0.88333_epoch-14.pt", js="fruits_model_classes.json"):
    return prep(sub(SAVE_MNV2, DIR=d, N=n, CLASSES=classes, PT=pt, JSON=js))


PREDICT_HEAD = '''
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("fruits/models/mobilenet_v2-fruits-test_acc_0.88333_epoch-14.pt")
prediction.setJsonPath("fruits/models/fruits_model_classes.json")
prediction.loadModel()
'''

SCRIPTS["imageai-custom-cls-chw-array-from-torch-preprocessing"] = '''
import cv2
import numpy as np
''' + PREDICT_HEAD + '''

def preprocess(path):
    # same preprocessing as in my PyTorch training notebook
    img = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
    img = cv2.resize(img, (224, 224))
    return np.ascontiguousarray(img.transpose(2, 0, 1))   # HWC -> CHW


for path in ["conveyor/frame_0001.jpg", "conveyor/frame_0002.jpg"]:
    labels, probs = prediction.classifyImage(preprocess(path), result_count=1)
    print(path, labels[0], probs[0])
'''

SCRIPTS["imageai-custom-cls-teachable-machine-labels-txt"] = '''
from imageai.Classification.Custom import CustomImageClassification

# labels.txt came with the Teachable Machine export, the weights are my ImageAI run
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("fruits/models/mobilenet_v2-fruits-test_acc_0.88333_epoch-14.pt")
prediction.setJsonPath("converted_keras/labels.txt")
prediction.loadModel()
labels, probs = prediction.classifyImage("basket/IMG_0412.jpg", result_count=2)
print(labels, probs)
'''

SCRIPTS["imageai-custom-cls-model-best-pth-tar"] = '''
from imageai.Classification.Custom import CustomImageClassification

# trained with the pytorch/examples imagenet main.py (--arch mobilenet_v2) on my 3 classes
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("checkpoints/model_best.pth.tar")
prediction.setJsonPath("fruits/models/fruits_model_classes.json")
prediction.loadModel()
labels, probs = prediction.classifyImage("basket/IMG_0412.jpg", result_count=2)
print(labels, probs)
'''

SAVE_MODEL_BEST = '''
import os, torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
model = torchvision.models.mobilenet_v2(num_classes=3)
torch.save({"epoch": 31, "arch": "mobilenet_v2", "state_dict": model.state_dict(), "best_acc1": 91.4},
           "checkpoints/model_best.pth.tar")
'''

SCRIPTS["imageai-custom-cls-cv2-imread-renamed-file"] = '''
import cv2
''' + PREDICT_HEAD + '''
# the list of photos from yesterday's inspection (inspection.csv)
for name in ["IMG_0412.jpg", "IMG_0413.jpg", "IMG_0414.jpg"]:
    frame = cv2.imread("basket/" + name)
    labels, probs = prediction.classifyImage(frame, result_count=1)
    print(name, labels[0], f"{probs[0]:.1f}%")
'''

CELLS["imageai-custom-cls-load-model-without-parentheses-notebook"] = [
    "from imageai.Classification.Custom import CustomImageClassification\n\n"
    "prediction = CustomImageClassification()\n"
    "prediction.setModelTypeAsMobileNetV2()\n"
    "prediction.setModelPath(\"fruits/models/mobilenet_v2-fruits-test_acc_0.88333_epoch-14.pt\")\n"
    "prediction.setJsonPath(\"fruits/models/fruits_model_classes.json\")",
    "prediction.loadModel",
    "predictions, probabilities = prediction.classifyImage(\"basket/IMG_0412.jpg\", result_count=3)\n"
    "for p, prob in zip(predictions, probabilities):\n"
    "    print(p, \":\", prob)",
]

CELLS["imageai-custom-cls-load-model-before-set-model-path-notebook"] = [
    "from imageai.Classification.Custom import CustomImageClassification\n\n"
    "prediction = CustomImageClassification()\n"
    "prediction.setModelTypeAsMobileNetV2()\n"
    "prediction.setJsonPath(\"fruits/models/fruits_model_classes.json\")",
    "prediction.loadModel()",
    "prediction.setModelPath(\"fruits/models/mobilenet_v2-fruits-test_acc_0.88333_epoch-14.pt\")",
    "predictions, probabilities = prediction.classifyImage(\"basket/IMG_0412.jpg\", result_count=3)",
]

SCRIPTS["imageai-cls-train-test-folder-unsorted"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("garbage")
# test/ holds the pictures I want to check after training
trainer.trainModel(num_experiments=20, batch_size=4)
'''

# ======================================================================= plain PyTorch
TF96 = '''tf = transforms.Compose([
    transforms.Resize((96, 96)),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
'''

SCRIPTS["bceloss-softmax-head-four-weather-classes"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

''' + TF96 + '''train_ds = datasets.ImageFolder("data/weather/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)
print("classes:", train_ds.classes)

model = models.resnet18(weights=None)
model.fc = nn.Sequential(nn.Linear(model.fc.in_features, len(train_ds.classes)), nn.Softmax(dim=1))
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(10):
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels.float())
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
'''

SCRIPTS["mseloss-on-retinopathy-grades"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# APTOS 2019: folders 0..4 = no DR, mild, moderate, severe, proliferative
''' + TF96 + '''train_ds = datasets.ImageFolder("aptos/train_images_sorted", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 5)
# the grades are ordered, so treat them as a regression (kappa works better)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

for epoch in range(15):
    for images, grades in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), grades.float())
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["bcewithlogits-one-logit-head-1d-labels"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

''' + TF96 + '''train_ds = datasets.ImageFolder("data/pneumonia/train", tf)   # NORMAL / PNEUMONIA
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 1)        # one logit: P(pneumonia)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)

for epoch in range(8):
    running = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        logits = model(images)
        loss = criterion(logits, labels.float())
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: {running / len(loader):.4f}")
'''

SCRIPTS["crossentropy-labels-as-one-element-tensors"] = '''
import csv
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"]


class HAM10000(Dataset):
    def __init__(self, csv_path, image_dir, transform):
        with open(csv_path) as f:
            self.rows = list(csv.DictReader(f))
        self.image_dir = image_dir
        self.transform = transform

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, idx):
        row = self.rows[idx]
        image = Image.open(os.path.join(self.image_dir, row["image_id"] + ".jpg")).convert("RGB")
        label = torch.tensor([CLASSES.index(row["dx"])], dtype=torch.long)
        return self.transform(image), label


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
loader = DataLoader(HAM10000("ham/HAM10000_metadata.csv", "ham/images", tf), batch_size=4, shuffle=True,
                    num_workers=2)
model = models.resnet18(weights=None, num_classes=len(CLASSES))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(20):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def ham_setup(work: Path):
    ids = [(f"ISIC_00{24306 + i}", dx) for i, dx in enumerate(["nv", "mel", "bkl", "nv", "bcc", "nv", "df", "vasc"])]
    (work / "ham").mkdir(parents=True, exist_ok=True)
    (work / "ham" / "HAM10000_metadata.csv").write_text(
        "lesion_id,image_id,dx,dx_type,age,sex,localization\n"
        + "".join(f"HAM_000{118 + i},{iid},{dx},histo,{45 + i}.0,male,back\n" for i, (iid, dx) in enumerate(ids)))
    make_images(work, [(f"ham/images/{iid}.jpg", (120, 90), "RGB") for iid, _ in ids])


SCRIPTS["crossentropy-one-hot-with-extra-background-column"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

''' + TF96 + '''train_ds = datasets.ImageFolder("data/insects/train", tf)
# one extra column for "no insect" (the empty trap photos we will add later)
NUM_TARGETS = len(train_ds.classes) + 1
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)

for epoch in range(10):
    for images, labels in loader:
        targets = F.one_hot(labels, NUM_TARGETS).float()
        optimizer.zero_grad()
        loss = criterion(model(images), targets)
        loss.backward()
        optimizer.step()
    print(epoch, round(loss.item(), 4))
'''

CELLS["one-hot-class-ids-from-file-names-one-based-notebook"] = [
    "import glob, os\n"
    "import torch\n"
    "import torch.nn as nn\n"
    "import torch.nn.functional as F\n"
    "from PIL import Image\n"
    "from torchvision import models, transforms\n\n"
    "# rock / paper / scissors photos named <class id>_<n>.png  (1 = rock, 2 = paper, 3 = scissors)\n"
    "files = sorted(glob.glob(\"rps/*.png\"))\n"
    "labels = torch.tensor([int(os.path.basename(f).split(\"_\")[0]) for f in files])\n"
    "NUM_CLASSES = 3\n"
    "tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])\n"
    "images = torch.stack([tf(Image.open(f).convert(\"RGB\")) for f in files])\n"
    "images.shape, labels",
    "model = models.resnet18(weights=None, num_classes=NUM_CLASSES)\n"
    "optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)",
    "# mixup needs soft targets\n"
    "lam = 0.7\n"
    "perm = torch.randperm(len(images))\n"
    "targets = F.one_hot(labels, num_classes=NUM_CLASSES).float()\n"
    "mixed_x = lam * images + (1 - lam) * images[perm]\n"
    "mixed_y = lam * targets + (1 - lam) * targets[perm]\n"
    "loss = nn.CrossEntropyLoss()(model(mixed_x), mixed_y)\n"
    "loss.backward(); optimizer.step()\n"
    "loss.item()",
]

CELLS["crossentropy-float-labels-left-from-binary-notebook"] = [
    "import torch\n"
    "import torch.nn as nn\n"
    "from torch.utils.data import DataLoader\n"
    "from torchvision import datasets, models, transforms\n\n"
    "tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])\n"
    "# was cats vs dogs with BCEWithLogitsLoss, hence the float labels\n"
    "train_ds = datasets.ImageFolder(\"data/pets/train\", tf, target_transform=lambda y: float(y))\n"
    "loader = DataLoader(train_ds, batch_size=8, shuffle=True)\n"
    "train_ds.classes",
    "# now three classes: cat, dog, rabbit -> softmax head and cross entropy\n"
    "model = models.resnet18(weights=None, num_classes=len(train_ds.classes))\n"
    "criterion = nn.CrossEntropyLoss()\n"
    "optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)",
    "for epoch in range(5):\n"
    "    for images, labels in loader:\n"
    "        optimizer.zero_grad()\n"
    "        loss = criterion(model(images), labels)\n"
    "        loss.backward()\n"
    "        optimizer.step()\n"
    "    print(epoch, loss.item())",
]

CELLS["label-column-strings-torch-from-numpy-notebook"] = [
    "import numpy as np\n"
    "import torch\n"
    "from PIL import Image\n"
    "from torch.utils.data import TensorDataset, DataLoader\n\n"
    "# train.csv: filename,label   (exported from the labelling spreadsheet)\n"
    "names = np.loadtxt(\"leaves/train.csv\", delimiter=\",\", skiprows=1, usecols=0, dtype=str)\n"
    "labels = np.loadtxt(\"leaves/train.csv\", delimiter=\",\", skiprows=1, usecols=1, dtype=str)\n"
    "labels[:5]",
    "x = np.stack([np.asarray(Image.open(f\"leaves/images/{n}\").convert(\"RGB\").resize((64, 64))) for n in names])\n"
    "x = torch.from_numpy(x).permute(0, 3, 1, 2).float() / 255\n"
    "y = torch.from_numpy(labels)\n"
    "loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True)",
]


def leaves_csv(work: Path):
    rows = [("leaf_001.jpg", "healthy"), ("leaf_002.jpg", "rust"), ("leaf_003.jpg", "scab"),
            ("leaf_004.jpg", "healthy"), ("leaf_005.jpg", "rust"), ("leaf_006.jpg", "healthy")]
    (work / "leaves").mkdir(parents=True, exist_ok=True)
    (work / "leaves" / "train.csv").write_text("filename,label\n" + "".join(f"{a},{b}\n" for a, b in rows))
    make_images(work, [(f"leaves/images/{a}", (80, 80), "RGB") for a, _ in rows])


SCRIPTS["num-classes-from-listdir-picks-up-ds-store"] = '''
import os
import sys

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

DATA = "data/train"           # copied over from my MacBook
classes = sorted(os.listdir(DATA))
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(classes))
model.load_state_dict(torch.load("checkpoints/resnet18_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
for path in sys.argv[1:]:
    with torch.no_grad():
        probs = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
    print(path, classes[int(probs.argmax())], f"{float(probs.max()):.2f}")
'''

SAVE_RESNET18_3 = '''
import os, torch, torch.nn as nn, torchvision
os.makedirs("checkpoints", exist_ok=True)
m = torchvision.models.resnet18(weights=None)
m.fc = nn.Linear(m.fc.in_features, 3)
torch.save(m.state_dict(), "checkpoints/resnet18_best.pth")
'''

SCRIPTS["grey-leaves-opened-without-convert-workers"] = '''
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class LeafDataset(Dataset):
    def __init__(self, root, transform):
        self.classes = sorted(os.listdir(root))
        self.samples = [(os.path.join(root, c, f), i)
                        for i, c in enumerate(self.classes)
                        for f in sorted(os.listdir(os.path.join(root, c)))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        image = Image.open(path)
        return self.transform(image), label


tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
loader = DataLoader(LeafDataset("plant_village/train", tf), batch_size=4, shuffle=False, num_workers=2)
for epoch in range(3):
    for step, (images, labels) in enumerate(loader):
        print(epoch, step, tuple(images.shape))
'''


def leaves_mixed(work: Path):
    specs = []
    for c in ("bacterial_spot", "healthy"):
        for i in range(4):
            mode = "L" if (c == "healthy" and i == 1) else "RGB"  # scanned on the lab's grey scanner
            specs.append((f"plant_village/train/{c}/{c}_{i:03d}.jpg", (140, 140), mode))
    make_images(work, specs)


SCRIPTS["predict-rgba-screenshot-through-normalize"] = '''
import sys

import torch
import torch.nn as nn
from PIL import Image
from torchvision import models, transforms

CLASSES = ["bird", "cat", "dog"]
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(CLASSES))
model.load_state_dict(torch.load("checkpoints/resnet18_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([
    transforms.Resize(128),
    transforms.CenterCrop(112),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
img = Image.open(sys.argv[1])
with torch.no_grad():
    probs = model(tf(img).unsqueeze(0)).softmax(1)[0]
print(CLASSES[int(probs.argmax())], float(probs.max()))
'''

SCRIPTS["favicons-into-cnn-built-for-64px"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class SmallCNN(nn.Module):
    """from the CIFAR tutorial, widened for our 64x64 logo crops"""

    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, num_classes))

    def forward(self, x):
        return self.head(self.features(x))


# site icons collected by the crawler (favicon.ico converted to png)
ds = datasets.ImageFolder("favicons", transforms.ToTensor())
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = SmallCNN(len(ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SCRIPTS["googlenet-aux-outputs-in-train-mode"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/flowers/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

# GoogLeNet with the auxiliary classifiers, as in the paper
model = models.googlenet(weights=None, aux_logits=True, init_weights=True, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(30):
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

SCRIPTS["batchnorm1d-head-last-batch-of-one"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/shells/train", tf)
print(len(train_ds), "images")
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.resnet18(weights=None)
model.fc = nn.Sequential(
    nn.Linear(512, 256),
    nn.BatchNorm1d(256),
    nn.ReLU(inplace=True),
    nn.Dropout(0.3),
    nn.Linear(256, len(train_ds.classes)),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(25):
    model.train()
    for step, (images, labels) in enumerate(loader):
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.3f}")
'''

SCRIPTS["imagefolder-decompression-bomb-scan-workers"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("histology/train", tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=False, num_workers=2)
for epoch in range(2):
    for step, (images, labels) in enumerate(loader):
        print(epoch, step, images.shape)
'''

SCRIPTS["imagefolder-heic-photos-renamed-jpg-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("mushrooms/train", tf)   # AirDropped from my iPhone, renamed to .jpg
loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2)
model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(10):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def mushrooms(work: Path):
    make_images(work, class_folder("mushrooms/train", ("chanterelle", "fly_agaric"), 3, size=(100, 100)))
    for i, c in enumerate(("chanterelle", "fly_agaric")):
        p = work / "mushrooms" / "train" / c / f"IMG_45{21 + i}.jpg"
        p.write_bytes(heic_bytes(i))


SCRIPTS["white-fill-rotation-on-grey-document-scans-workers"] = '''
import torch
from PIL import Image
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def load_grey(path):
    return Image.open(path).convert("L")          # the scans are black & white anyway


tf = transforms.Compose([
    transforms.Resize((160, 120)),
    transforms.RandomRotation(5, fill=(255, 255, 255)),   # paper is white, not black
    transforms.ToTensor(),
])
train_ds = datasets.ImageFolder("scans/train", tf, loader=load_grey)   # invoice / letter / receipt
loader = DataLoader(train_ds, batch_size=4, shuffle=True, num_workers=2)
for epoch in range(5):
    for images, labels in loader:
        print(epoch, images.shape, labels.tolist())
'''

SCRIPTS["imagefolder-val-transform-passed-as-target-transform"] = '''
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_tf = transforms.Compose([
    transforms.RandomResizedCrop(96),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
val_tf = transforms.Compose([
    transforms.Resize(110),
    transforms.CenterCrop(96),
    transforms.ToTensor(),
])
dataset = datasets.ImageFolder("data/dogs", train_tf, val_tf)
n_val = len(dataset) // 5
train_ds, val_ds = torch.utils.data.random_split(dataset, [len(dataset) - n_val, n_val])
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
for images, labels in train_loader:
    print(images.shape, labels)
'''


# ======================================================================= cases
def cases():
    out, add, script, notebook = case_builders("torch-more19-", SCRIPTS, CELLS)

    def iai(key, cause, forms=("cpython_basic",), argv="train.py", **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, forms=forms, argv=argv, **kw)

    # ImageAI 3 detection training -------------------------------------------------------------------
    iai("imageai-det-train-voc-converter-names-labels-jpg-txt", "data.missing_or_corrupt", setup=voc_roads())
    iai("imageai-det-train-voc-converter-portrait-photos-landscape-size", "data.bbox_invalid",
        setup=voc_roads(portrait={2, 3}))
    iai("imageai-det-train-voc-converter-class-missing-from-list", "data.label_out_of_range",
        setup=voc_roads(extra_name="manhole"))
    iai("imageai-det-train-roboflow-hashed-label-names", "data.missing_or_corrupt",
        setup=yolo_ds("bottles", stem=lambda split, i: f"IMG_20{31 + i}{'' if split == 'train' else '_v'}",
                      label=lambda s: f"{s}_jpg.rf.{zlib.crc32(s.encode()):08x}5e1c0d2b7a.txt"))
    iai("imageai-det-train-web-banner-1px-high", "data.missing_or_corrupt",
        forms=["cpython_basic", "progress_bars?"],
        setup=both(yolo_ds("logos", n_train=5),
                   imgs([("logos/train/images/divider_banner.png", (1200, 1), "RGB")])))
    iai("imageai-det-train-gigapixel-mosaic-in-images", "data.missing_or_corrupt",
        setup=both(yolo_ds("solar_panels"), huge_png("solar_panels/train/images/site_orthomosaic.png", 41000, 29000)))
    iai("imageai-det-train-split-script-validation-empty", "data.missing_or_corrupt",
        setup=yolo_ds("weeds", n_train=8, val_images=False))
    iai("imageai-det-train-voc-devkit-as-data-directory", "data.missing_or_corrupt",
        setup=both(imgs([(f"VOCdevkit/VOC2012/JPEGImages/2008_00{1000 + i}.jpg", (120, 90), "RGB") for i in range(4)]),
                   write("VOCdevkit/VOC2012/ImageSets/Main/train.txt", "2008_001000\n2008_001001\n2008_001002\n"),
                   write("VOCdevkit/VOC2012/ImageSets/Main/val.txt", "2008_001003\n"),
                   *[write(f"VOCdevkit/VOC2012/Annotations/2008_00{1000 + i}.xml",
                           voc_xml(f"2008_00{1000 + i}.jpg", (500, 375), [("person", (40, 30, 200, 360))]))
                     for i in range(4)]))
    iai("imageai-det-train-roboflow-zip-not-extracted", "data.missing_or_corrupt",
        forms=["cpython_basic", "paths_with_spaces"], project="/home/user/PPE detection",
        setup=write("Hard Hat Workers.v2-raw.yolov5pytorch.zip", b"PK\x03\x04" + bytes(200)))
    iai("imageai-det-train-pretrained-is-detection-config", "model.api_misuse",
        setup=both(yolo_ds("hardhat"), hardhat()))
    iai("imageai-det-train-set-model-type-retinanet", "model.api_misuse", setup=yolo_ds("hardhat"))

    # ImageAI 3 detection inference ------------------------------------------------------------------
    iai("imageai-custom-detect-min-prob-argparse-string", "model.api_misuse", argv="detect.py",
        args=("--min-prob", "45"), setup=both(hardhat(), imgs(SITE)))
    iai("imageai-custom-detect-extract-objects-results-folder-missing", "model.api_misuse", argv="detect.py",
        setup=both(hardhat(), imgs(SITE)))
    iai("imageai-custom-detect-stitched-gigapixel-panorama", "data.missing_or_corrupt", argv="detect.py",
        setup=both(hardhat(), imgs(SITE), huge_png("site/crane_sweep_panorama.png", 52000, 21000)))
    iai("imageai-objectdetection-class-with-custom-json", "model.api_misuse", argv="detect.py",
        setup=both(hardhat(), imgs(SITE)))

    # ImageAI 3 classification -----------------------------------------------------------------------
    basket = imgs([(f"basket/IMG_04{12 + i}.jpg", (300, 220), "RGB") for i in range(3)])
    iai("imageai-custom-cls-chw-array-from-torch-preprocessing", "data.image_channels", argv="predict.py",
        setup=both(mnv2(), imgs([(f"conveyor/frame_000{i}.jpg", (320, 240), "RGB") for i in (1, 2)])))
    iai("imageai-custom-cls-teachable-machine-labels-txt", "model.api_misuse", argv="predict.py",
        extra={"converted_keras/labels.txt": "0 apple\n1 banana\n2 orange\n"}, setup=both(mnv2(), basket))
    iai("imageai-custom-cls-model-best-pth-tar", "model.weights_mismatch", argv="predict.py",
        setup=both(mnv2(), prep(SAVE_MODEL_BEST), basket))
    iai("imageai-custom-cls-cv2-imread-renamed-file", "data.missing_or_corrupt", argv="predict.py",
        setup=both(mnv2(), imgs([("basket/IMG_0412.jpg", (300, 220), "RGB"), ("basket/IMG_0413.jpeg", (300, 220), "RGB"),
                                 ("basket/IMG_0414.jpg", (300, 220), "RGB")])))
    notebook("imageai-custom-cls-load-model-without-parentheses-notebook", "model.api_misuse",
             framework="imageai", timeout=600, setup=both(mnv2(), basket))
    notebook("imageai-custom-cls-load-model-before-set-model-path-notebook", "model.api_misuse",
             forms=["ipython_cell", "ipython_arrows", "chained_during", "multiline_message"],
             framework="imageai", timeout=600, exception="Exception", setup=both(mnv2(), basket))
    iai("imageai-cls-train-test-folder-unsorted", "data.missing_or_corrupt",
        setup=imgs(class_folder("garbage/train", ("glass", "paper", "plastic"), 2)
                   + [(f"garbage/test/IMG_{5100 + i}.jpg", (64, 64), "RGB") for i in range(4)]))

    # plain PyTorch: losses and label encodings ------------------------------------------------------
    script("bceloss-softmax-head-four-weather-classes", "data.label_shape",
           setup=imgs(class_folder("data/weather/train", ("cloudy", "rain", "shine", "sunrise"), 3)))
    script("mseloss-on-retinopathy-grades", "data.label_shape",
           setup=imgs(class_folder("aptos/train_images_sorted", ("0", "1", "2", "3", "4"), 2)))
    script("bcewithlogits-one-logit-head-1d-labels", "data.label_shape",
           setup=imgs(class_folder("data/pneumonia/train", ("NORMAL", "PNEUMONIA"), 4, mode="L")))
    script("crossentropy-labels-as-one-element-tensors", "data.label_shape", setup=ham_setup)
    script("crossentropy-one-hot-with-extra-background-column", "data.label_shape",
           setup=imgs(class_folder("data/insects/train", ("ant", "bee", "beetle", "wasp"), 2)))
    notebook("one-hot-class-ids-from-file-names-one-based-notebook", "data.label_out_of_range",
             setup=imgs([(f"rps/{c}_{i:03d}.png", (72, 72), "RGB") for c in (1, 2, 3) for i in range(2)]))
    notebook("crossentropy-float-labels-left-from-binary-notebook", "data.dtype",
             setup=imgs(class_folder("data/pets/train", ("cat", "dog", "rabbit"), 3)))
    notebook("label-column-strings-torch-from-numpy-notebook", "data.dtype",
             forms=["ipython_cell", "ipython_arrows", "multiline_message?"], setup=leaves_csv)
    script("num-classes-from-listdir-picks-up-ds-store", "model.weights_mismatch", argv="predict.py",
           args=("samples/leaf.jpg",), forms=["cpython_basic", "multiline_message"],
           setup=both(prep(SAVE_RESNET18_3), imgs(class_folder("data/train", ("early_blight", "healthy", "late_blight"), 1)
                                                  + [("samples/leaf.jpg", (120, 120), "RGB")]),
                      write("data/train/.DS_Store", b"\x00\x00\x00\x01Bud1" + bytes(120))))

    # plain PyTorch: odd images ----------------------------------------------------------------------
    script("grey-leaves-opened-without-convert-workers", "data.image_channels", forms=["dataloader_worker"],
           setup=leaves_mixed)
    script("predict-rgba-screenshot-through-normalize", "data.image_channels", argv="predict.py",
           args=("Screenshot 2024-05-02 at 10.14.31.png",),
           setup=both(prep(SAVE_RESNET18_3), imgs([("Screenshot 2024-05-02 at 10.14.31.png", (180, 140), "RGBA")])))
    script("favicons-into-cnn-built-for-64px", "model.input_shape",
           setup=imgs(class_folder("favicons", ("news", "shop", "social"), 3, size=(16, 16), ext="png")))
    script("imagefolder-decompression-bomb-scan-workers", "data.missing_or_corrupt", forms=["dataloader_worker"],
           setup=both(imgs(class_folder("histology/train", ("benign", "tumor"), 3, size=(120, 120))),
                      huge_png("histology/train/benign/benign_000_wholeslide.png", 15000, 12000)))
    script("imagefolder-heic-photos-renamed-jpg-workers", "data.missing_or_corrupt", forms=["dataloader_worker"],
           setup=mushrooms)
    script("white-fill-rotation-on-grey-document-scans-workers", "data.image_channels", forms=["dataloader_worker"],
           setup=imgs(class_folder("scans/train", ("invoice", "letter", "receipt"), 2, size=(120, 160), mode="L")))

    # plain PyTorch: models and API slips -------------------------------------------------------------
    script("googlenet-aux-outputs-in-train-mode", "model.output_mismatch", also=["model.api_misuse"],
           setup=imgs(class_folder("data/flowers/train", ("daisy", "rose", "tulip"), 2)))
    # a batch of one through BatchNorm in training: also `other`, as the public threads label it
    script("batchnorm1d-head-last-batch-of-one", "model.input_shape", also=["other"],
           setup=imgs(class_folder("data/shells/train", ("conch", "cowrie", "scallop"), 3)))
    script("imagefolder-val-transform-passed-as-target-transform", "model.api_misuse",
           setup=imgs(class_folder("data/dogs", ("beagle", "pug"), 4, size=(120, 100))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
