"""An eleventh held-out set of PyTorch / torchvision / ImageAI 3 failures, none of
them a repeat of the other generators' scenarios, all of them about training
DATA that is wrong.

ImageAI 3 DetectionModelTrainer (train/validation x images/annotations layout):
Label Studio percentages written as YOLO values, a converter that computes the
width as ``x1 - x2``, tiles cut from large images with boxes running past the
tile edge, YOLOv8-pose keypoint labels, zero-size "dot" annotations from a
counting tool, a class added in LabelImg during labelling; CustomObjectDetection
given a CMYK PIL image; ClassificationModelTrainer with a bit-flipped PNG.

torchvision detection targets: Open Images ``XMin, XMax, YMin, YMax`` columns read
as ``x1, y1, x2, y2``, a random crop that clamps boxes but keeps the ones it cut
away, a class column left in the boxes, two datasets merged with offset class
ids, float64 boxes from numpy into FCOS, Penn-Fudan object ids (uint8) used as
labels, a semantic mask given as instance masks, keypoints without their
visibility column, 2-channel (LA) scans through ``read_image``, COCO xywh
boxes into a DETR-style GIoU, a CMYK product photo into a classifier.

Custom YOLO-style loaders: a letterbox with odd padding, multi-scale resizing
per sample, EXIF rotation applied after resizing, ``IMREAD_UNCHANGED`` on
grayscale and RGBA files, palette PNGs into a numpy normalisation, pixel labels
caught by a YOLOv5-style check, pseudo-labels with a confidence column, images
without a label file, COCO class ids kept with three classes, a float class
column into the loss, boxes drawn right-to-left (log of a negative width),
polygon rows among box rows.

Classification labels: a mix-up one-hot with a class missing from the list,
a multi-label CSV with a "no finding" column, 68x2 landmarks against a flat
head, a float64 label column from genfromtxt. Unreadable files: Windows backslashes
in a COCO json, an unescaped ``&`` in a VOC XML, zero-byte / TIFF / truncated
images through ``read_image``, a COCO json cut short by an interrupted download.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the data breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more11.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, class_folder, case_builders  # noqa: E402
from _tfrecord import save_png, both  # noqa: E402

SRC = "corpus/generators/torch_more11.py"


# ====================================================================== data helpers
def rnd_array(h, w, c, seed):
    import numpy as np
    rng = np.random.default_rng(seed)
    shape = (h, w) if c == 1 else (h, w, c)
    return rng.integers(0, 255, size=shape, dtype=np.uint8)


def write(rel, text):
    """A setup that writes one text file."""
    def setup(work: Path):
        p = work / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return setup


def yolo_default(i):
    return (f"0 {0.40 + 0.03 * i:.6f} {0.52:.6f} {0.22 + 0.02 * i:.6f} {0.19:.6f}\n"
            f"1 {0.72:.6f} {0.31 + 0.02 * i:.6f} {0.14:.6f} {0.11 + 0.01 * i:.6f}\n")


def yolo_set(root="data/train", n=6, size=(320, 240), lines=yolo_default, ext="jpg", mode="RGB",
             sizes=None, skip_label=()):
    """root/images/img_NNNN.ext + root/labels/img_NNNN.txt (YOLO: cls cx cy w h)."""
    def setup(work: Path):
        specs = []
        for i in range(n):
            stem = f"img_{i:04d}"
            specs.append((f"{root}/images/{stem}.{ext}", sizes[i % len(sizes)] if sizes else size, mode))
            if i in skip_label:
                continue
            p = work / root / "labels" / f"{stem}.txt"
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(lines(i))
        make_images(work, specs)
    return setup


def iai_lines(i, classes=(0, 1, 0)):
    """one YOLO line per class id, boxes of different sizes (anchor k-means gets enough points)"""
    return "".join(f"{c} {0.3 + 0.1 * j:.2f} {0.5:.2f} {0.12 + 0.07 * j + 0.03 * i:.2f} "
                   f"{0.15 + 0.05 * j + 0.04 * i:.2f}\n" for j, c in enumerate(classes))


def iai_set(root, n_train=6, n_val=2, ann=iai_lines, sizes=((128, 96), (120, 90)), write_ann=True):
    """ImageAI 3 layout: root/{train,validation}/{images,annotations}"""
    def setup(work: Path):
        specs = []
        for split, n in (("train", n_train), ("validation", n_val)):
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
            for i in range(n):
                k = i if split == "train" else 100 + i
                stem = f"{root}_{k:03d}"
                specs.append((f"{root}/{split}/images/{stem}.jpg", sizes[i % len(sizes)], "RGB"))
                if write_ann:
                    j = i if split == "train" else n_train + i
                    (work / root / split / "annotations" / f"{stem}.txt").write_text(ann(j))
        make_images(work, specs)
    return setup


def voc_xml(fname, size, objs, path=None):
    """A Pascal VOC annotation. objs: (name, xmin, ymin, xmax, ymax)."""
    w, h = size
    parts = [f"<annotation>\n\t<folder>JPEGImages</folder>\n\t<filename>{fname}</filename>\n"]
    if path:
        parts.append(f"\t<path>{path}</path>\n")
    parts.append(f"\t<size>\n\t\t<width>{w}</width>\n\t\t<height>{h}</height>\n\t\t<depth>3</depth>\n\t</size>\n")
    for name, x1, y1, x2, y2 in objs:
        parts.append(f"\t<object>\n\t\t<name>{name}</name>\n\t\t<difficult>0</difficult>\n"
                     f"\t\t<bndbox>\n\t\t\t<xmin>{x1}</xmin>\n\t\t\t<ymin>{y1}</ymin>\n"
                     f"\t\t\t<xmax>{x2}</xmax>\n\t\t\t<ymax>{y2}</ymax>\n\t\t</bndbox>\n\t</object>\n")
    parts.append("</annotation>\n")
    return "".join(parts)


def coco_bbox(i, j):
    return [12.0 + 9 * j + i, 20.0 + 4 * i, 40.0 + 6 * j, 55.0 - 3 * j]


def coco_json(n, size=(200, 150), file_name=lambda i: f"img_{i:04d}.jpg", cats=("person", "bicycle"), bbox=coco_bbox):
    images, anns = [], []
    k = 1
    for i in range(n):
        images.append({"id": i + 1, "file_name": file_name(i), "width": size[0], "height": size[1]})
        for j in range(2):
            anns.append({"id": k, "image_id": i + 1, "category_id": j + 1, "iscrowd": 0,
                         "bbox": bbox(i, j), "area": bbox(i, j)[2] * bbox(i, j)[3]})
            k += 1
    return {"images": images, "annotations": anns,
            "categories": [{"id": c + 1, "name": n_} for c, n_ in enumerate(cats)]}


# ====================================================================== shared code snippets
TINY_DARKNET = '''
class TinyDarknet(nn.Module):
    """a small YOLOv2-style detector: 5 stride-2 blocks, one prediction grid"""
    def __init__(self, num_classes, anchors):
        super().__init__()
        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o),
                                 nn.LeakyReLU(0.1), nn.MaxPool2d(2))
        self.features = nn.Sequential(block(3, 16), block(16, 32), block(32, 64), block(64, 128), block(128, 256))
        self.register_buffer("anchors", torch.tensor(anchors, dtype=torch.float32))
        self.na, self.nc = len(anchors), num_classes
        self.head = nn.Conv2d(256, self.na * (5 + num_classes), 1)

    def forward(self, x):
        p = self.head(self.features(x))
        b, _, h, w = p.shape
        return p.view(b, self.na, 5 + self.nc, h, w).permute(0, 1, 3, 4, 2).contiguous()
'''

YOLO_LOSS = '''
def yolo_loss(pred, targets, anchors):
    """pred [B, A, S, S, 5 + C]; targets [M, 6] = (image, class, cx, cy, w, h), normalised"""
    B, A, S = pred.shape[:3]
    obj_target = torch.zeros(pred.shape[:4])
    b = targets[:, 0].long()
    gxy = targets[:, 2:4] * S
    gwh = targets[:, 4:6] * S
    gi, gj = gxy.long().clamp(0, S - 1).T
    ratio = gwh[:, None] / (anchors[None] / 32)
    a = torch.max(ratio, 1 / ratio).max(2)[0].argmin(1)
    ps = pred[b, a, gj, gi]
    box_loss = F.mse_loss(ps[:, :2].sigmoid(), gxy - gxy.floor()) + F.mse_loss(ps[:, 2:4], torch.log(gwh / (anchors[a] / 32)))
    obj_target[b, a, gj, gi] = 1.0
    obj_loss = F.binary_cross_entropy_with_logits(pred[..., 4], obj_target)
    cls_loss = F.cross_entropy(ps[:, 5:], targets[:, 1].long())
    return box_loss + obj_loss + cls_loss
'''

YOLO_COLLATE = '''
def yolo_collate(batch):
    images, labels = zip(*batch)
    targets = []
    for i, lab in enumerate(labels):
        idx = torch.full((lab.shape[0], 1), float(i))
        targets.append(torch.cat([idx, lab], 1))
    return torch.stack(images), torch.cat(targets)
'''

YOLO_TRAIN_LOOP = '''
ANCHORS = [(30, 36), (62, 45), (59, 119)]
model = TinyDarknet(num_classes=len(CLASSES), anchors=ANCHORS)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(3):
    for step, (images, targets) in enumerate(loader):
        pred = model(images)
        loss = yolo_loss(pred, targets, model.anchors)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.4f}")
'''

YOLO_HEAD = '''
import os
import glob
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset, DataLoader
'''


def yolo_script(dataset_code, loader_line, classes='["pothole", "manhole"]', loss=YOLO_LOSS, guard=False,
                loop=YOLO_TRAIN_LOOP):
    """A custom YOLO-style training script: dataset code + collate + model + loss + loop."""
    main = loader_line + "\n" + loop.strip("\n") + "\n"
    if guard:
        main = 'if __name__ == "__main__":\n' + "".join(("    " + l + "\n") if l.strip() else "\n"
                                                        for l in main.splitlines())
    return (YOLO_HEAD + f"\nCLASSES = {classes}\n" + dataset_code + YOLO_COLLATE + TINY_DARKNET + loss + "\n"
            + main)


# ====================================================================== ImageAI 3
IAI_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAs@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=@@EPOCHS@@)
trainer.trainModel()
'''


def iai_train(datadir, classes, model="TinyYOLOv3", bs="4", epochs="20", pre=""):
    return pre + sub(IAI_TRAIN, MODEL=model, DATADIR=datadir, CLASSES=classes, BS=bs, EPOCHS=epochs)


SCRIPTS = {}
CELLS = {}

# --- Label Studio JSON-min export turned into "YOLO" lines, still in percent (notebook)
CELLS["imageai-det-label-studio-percent-coords"] = [
    '''import json, os
from PIL import Image

# Label Studio -> Export -> JSON-MIN
tasks = json.load(open("export/project-3-at-2024-05-02.json"))
print(len(tasks), "tasks")
print(tasks[0]["label"][0])''',
    '''CLASSES = ["pothole", "manhole"]
for split in ("train", "validation"):
    os.makedirs(f"roads/{split}/annotations", exist_ok=True)
for t in tasks:
    stem = os.path.splitext(os.path.basename(t["image"]))[0]
    split = "validation" if os.path.exists(f"roads/validation/images/{stem}.jpg") else "train"
    lines = []
    for r in t["label"]:
        cx = r["x"] + r["width"] / 2
        cy = r["y"] + r["height"] / 2
        lines.append(f'{CLASSES.index(r["rectanglelabels"][0])} {cx:.4f} {cy:.4f} {r["width"]:.4f} {r["height"]:.4f}')
    with open(f"roads/{split}/annotations/{stem}.txt", "w") as f:
        f.write("\\n".join(lines) + "\\n")
print(open("roads/train/annotations/roads_000.txt").read())''',
    '''from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="roads")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=40)
trainer.trainModel()''',
]


def label_studio_export(work: Path):
    tasks = []
    for split, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            k = i if split == "train" else 100 + i
            tasks.append({"id": k + 1, "image": f"/data/upload/3/roads_{k:03d}.jpg",
                          "label": [
                              {"x": 12.5 + 2 * i, "y": 40.0, "width": 22.0 + 3 * i, "height": 14.5 + i,
                               "rotation": 0, "rectanglelabels": ["pothole"],
                               "original_width": 128, "original_height": 96},
                              {"x": 55.0, "y": 20.0 + i, "width": 10.0 + 2 * i, "height": 12.0,
                               "rotation": 0, "rectanglelabels": ["manhole"],
                               "original_width": 128, "original_height": 96}]})
    (work / "export").mkdir(exist_ok=True)
    (work / "export" / "project-3-at-2024-05-02.json").write_text(json.dumps(tasks, indent=1))


# --- CSV of pixel boxes converted with a width computed the wrong way round
SCRIPTS["imageai-det-converter-width-x1-minus-x2"] = '''
import csv
import os
from PIL import Image

CLASSES = ["insulator", "damper"]

# boxes.csv: filename,xmin,ymin,xmax,ymax,class  (pixels, exported from the labelling tool)
for split in ("train", "validation"):
    os.makedirs(f"powerline/{split}/annotations", exist_ok=True)
rows = {}
for r in csv.DictReader(open("boxes.csv")):
    rows.setdefault(r["filename"], []).append(r)
for fname, boxes in rows.items():
    split = "validation" if os.path.exists(f"powerline/validation/images/{fname}") else "train"
    w, h = Image.open(f"powerline/{split}/images/{fname}").size
    lines = []
    for b in boxes:
        x1, y1, x2, y2 = (float(b[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
        cx, cy = (x1 + x2) / 2 / w, (y1 + y2) / 2 / h
        bw, bh = (x1 - x2) / w, (y2 - y1) / h
        lines.append(f"{CLASSES.index(b['class'])} {cx:.6f} {cy:.6f} {bw:.6f} {bh:.6f}")
    with open(f"powerline/{split}/annotations/{os.path.splitext(fname)[0]}.txt", "w") as f:
        f.write("\\n".join(lines) + "\\n")
print("converted", len(rows), "images")
''' + iai_train("powerline", "CLASSES")


def powerline_csv(work: Path):
    lines = ["filename,xmin,ymin,xmax,ymax,class"]
    for split, n in (("train", 6), ("validation", 2)):
        for i in range(n):
            k = i if split == "train" else 100 + i
            lines.append(f"powerline_{k:03d}.jpg,{10 + i},{12},{50 + 3 * i},{60},insulator")
            lines.append(f"powerline_{k:03d}.jpg,{70},{20 + i},{100},{70 + i},damper")
    (work / "boxes.csv").write_text("\n".join(lines) + "\n")


# --- 416 px tiles cut from drone mosaics; boxes shifted into the tile but not clipped
SCRIPTS["imageai-det-tiles-boxes-past-tile-edge"] = iai_train(
    "solar_tiles", '["panel_crack", "hotspot"]', model="YOLOv3", bs="2", epochs="30",
    pre="# tiles/annotations written by make_tiles.py (1 mosaic -> 416x416 tiles, boxes shifted per tile)\n")


def tile_lines(i):
    # every third tile: a box whose centre lies in the next tile but which overlaps this one (cx > 1)
    base = iai_lines(i)
    if i % 3 == 2:
        base += f"1 {1.02 + 0.01 * i:.4f} 0.4100 {0.18:.4f} 0.1200\n"
    return base


# --- YOLOv8-pose labels (box + 17 keypoints x 3) in the annotations folder
SCRIPTS["imageai-det-yolov8-pose-keypoint-labels"] = iai_train(
    "climbers", '["person"]', pre="# labels exported from Roboflow as 'YOLOv8' (the project is a keypoint project)\n")


def pose_lines(i):
    kp = " ".join(f"{0.3 + 0.02 * k:.5f} {0.2 + 0.03 * k:.5f} 2" for k in range(17))
    return f"0 {0.45 + 0.01 * i:.5f} {0.5:.5f} {0.3:.5f} {0.6:.5f} {kp}\n"


# --- a counting tool that exports dots as zero-size boxes
SCRIPTS["imageai-det-point-annotations-zero-size"] = iai_train(
    "wheat_heads", '["head"]', bs="2", epochs="25",
    pre="# annotations exported from the counting tool (one dot per wheat head) as YOLO txt\n")


def dot_lines(i):
    return "".join(f"0 {0.1 + 0.11 * k + 0.01 * i:.4f} {0.2 + 0.07 * k:.4f} 0.0000 0.0000\n" for k in range(6))


# --- LabelImg: a class added while labelling; the class list given to the trainer is the predefined one
SCRIPTS["imageai-det-labelimg-class-added-during-labelling"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# LabelImg was started with: labelImg ppe/train/images data/predefined_classes.txt
with open("data/predefined_classes.txt") as f:
    classes = [line.strip() for line in f if line.strip()]
print("classes:", classes)

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="ppe")
trainer.setTrainConfig(object_names_array=classes, batch_size=4, num_experiments=20)
trainer.trainModel()
'''

# --- CustomObjectDetection given a CMYK catalogue JPEG opened with PIL (notebook)
CELLS["imageai-custom-detect-cmyk-pil-image"] = [
    '''import json
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# the model trained last week (same layout, written again here)
anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(), "tiny-yolov3_shoes_mAP-0.52_epoch-40.pt")
json.dump({"labels": ["sneaker", "boot"], "anchors": anchors}, open("shoes_tiny-yolov3_detection_config.json", "w"))''',
    '''from PIL import Image
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3_shoes_mAP-0.52_epoch-40.pt")
detector.setJsonPath("shoes_tiny-yolov3_detection_config.json")
detector.loadModel()''',
    '''page = Image.open("catalogue/page_017.jpg")
print(page.size, page.mode)
detections = detector.detectObjectsFromImage(input_image=page, output_type="array",
                                             minimum_percentage_probability=40)''',
]

# --- ClassificationModelTrainer with a PNG whose data chunk was damaged
SCRIPTS["imageai-cls-png-broken-data-stream"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# leaves photographed in the field, copied off the camera's SD card
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("leaves")
trainer.trainModel(num_experiments=5, batch_size=4)
'''


def damaged_png(rel):
    def setup(work: Path):
        p = work / rel
        save_png(p, rnd_array(72, 96, 3, 7))
        b = bytearray(p.read_bytes())
        # flip bytes inside the IDAT chunk: the PNG header is fine, the zlib stream is not
        idat = b.find(b"IDAT")
        for k in range(idat + 40, idat + 60):
            b[k] ^= 0x5A
        p.write_bytes(bytes(b))
    return setup


# ====================================================================== torchvision detection
# --- Open Images CSV: XMin, XMax, YMin, YMax (normalised) read as x1, y1, x2, y2
SCRIPTS["frcnn-open-images-xmin-xmax-column-order"] = '''
import csv
import os
import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "Cat", "Dog"]

class OpenImagesSubset(Dataset):
    """images downloaded with the OIDv6 toolkit + the matching rows of train-annotations-bbox.csv"""
    def __init__(self, root, csv_file):
        self.root = root
        with open(csv_file) as f:
            reader = csv.reader(f)
            self.header = next(reader)
            self.rows = {}
            for r in reader:
                self.rows.setdefault(r[0], []).append(r)
        self.ids = sorted(self.rows)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image_id = self.ids[i]
        img = Image.open(os.path.join(self.root, image_id + ".jpg")).convert("RGB")
        w, h = img.size
        rows = self.rows[image_id]
        # columns 4:8 are the box (normalised): XMin, XMax, YMin, YMax
        boxes = torch.tensor([[float(v) for v in r[4:8]] for r in rows]) * torch.tensor([w, h, w, h])
        labels = torch.tensor([CLASSES.index(r[2]) for r in rows], dtype=torch.int64)
        return TF.to_tensor(img), {"boxes": boxes, "labels": labels}

ds = OpenImagesSubset("oid/train", "oid/train-annotations-bbox.csv")
loader = DataLoader(ds, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''


def open_images(work: Path):
    specs, rows = [], ["ImageID,Source,LabelName,Confidence,XMin,XMax,YMin,YMax,IsOccluded,IsTruncated"]
    for i in range(4):
        iid = f"{0x0a3f91 + 37 * i:016x}"
        specs.append((f"oid/train/{iid}.jpg", (240, 180), "RGB"))
        # a wide box in the left half: XMax (0.55) > YMin; a second box low in the image: YMin (0.6) > XMax (0.35)
        rows.append(f"{iid},xclick,Cat,1,{0.05 + 0.01 * i:.4f},{0.55:.4f},{0.10:.4f},{0.45:.4f},0,0")
        rows.append(f"{iid},xclick,Dog,1,{0.12:.4f},{0.35:.4f},{0.60:.4f},{0.95:.4f},0,0")
    make_images(work, specs)
    (work / "oid" / "train-annotations-bbox.csv").write_text("\n".join(rows) + "\n")


# --- a hand-written random crop that clamps boxes into the crop but keeps boxes cut away
SCRIPTS["retinanet-random-crop-keeps-cropped-out-boxes"] = '''
import random
import torch
import xml.etree.ElementTree as ET
from pathlib import Path
from torchvision.io import read_image
from torchvision.models.detection import retinanet_resnet50_fpn
from torch.utils.data import Dataset, DataLoader

CLASSES = ["__background__", "car", "truck"]
random.seed(3)

def random_crop(img, boxes, out=(160, 160)):
    _, h, w = img.shape
    x0, y0 = random.randint(0, w - out[0]), random.randint(0, h - out[1])
    img = img[:, y0:y0 + out[1], x0:x0 + out[0]]
    boxes = boxes - torch.tensor([x0, y0, x0, y0])
    boxes[:, 0::2] = boxes[:, 0::2].clamp(0, out[0])
    boxes[:, 1::2] = boxes[:, 1::2].clamp(0, out[1])
    return img, boxes

class Parking(Dataset):
    def __init__(self, root):
        self.xmls = sorted(Path(root, "Annotations").glob("*.xml"))
        self.root = root

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        tree = ET.parse(self.xmls[i]).getroot()
        img = read_image(str(Path(self.root, "JPEGImages", tree.findtext("filename")))).float() / 255
        boxes, labels = [], []
        for obj in tree.iter("object"):
            bb = obj.find("bndbox")
            boxes.append([float(bb.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")])
            labels.append(CLASSES.index(obj.findtext("name")))
        img, boxes = random_crop(img, torch.tensor(boxes))
        return img, {"boxes": boxes, "labels": torch.tensor(labels)}

loader = DataLoader(Parking("data/parking"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(3):
    for step, (images, targets) in enumerate(loader):
        losses = model(list(images), list(targets))
        loss = losses["classification"] + losses["bbox_regression"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} step {step}: {loss.item():.3f}")
'''


def voc_set(root, n=4, size=(320, 240), objs=None, path=None):
    objs = objs or (lambda i: [("car", 20 + 5 * i, 30, 90 + 5 * i, 80), ("truck", 250, 150 + 4 * i, 310, 225)])

    def setup(work: Path):
        specs = []
        (work / root / "Annotations").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"{Path(root).name}_{i:04d}"
            specs.append((f"{root}/JPEGImages/{stem}.jpg", size, "RGB"))
            (work / root / "Annotations" / f"{stem}.xml").write_text(
                voc_xml(f"{stem}.jpg", size, objs(i), path=path(i, stem) if path else None))
        make_images(work, specs)
    return setup


# --- a converter that kept the class id as the first column of the boxes
SCRIPTS["frcnn-boxes-keep-class-column"] = '''
import glob
import os
import numpy as np
import torch
from PIL import Image
from torchvision.transforms import functional as TF
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "crack", "corrosion"]

# labels_xyxy/*.txt: written by yolo2voc.py -> "class x1 y1 x2 y2" in pixels
def load_target(path):
    rows = np.loadtxt(path, ndmin=2)
    boxes = torch.as_tensor(rows, dtype=torch.float32)
    labels = torch.as_tensor(rows[:, 0] + 1, dtype=torch.int64)
    return {"boxes": boxes, "labels": labels}

images, targets = [], []
for p in sorted(glob.glob("bridge/images/*.jpg")):
    images.append(TF.to_tensor(Image.open(p).convert("RGB")))
    targets.append(load_target(p.replace("images", "labels_xyxy").replace(".jpg", ".txt")))

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
model.train()
for epoch in range(5):
    for i in range(0, len(images), 2):
        loss_dict = model(images[i:i + 2], targets[i:i + 2])
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, {k: round(v.item(), 4) for k, v in loss_dict.items()})
'''


def bridge(work: Path):
    specs = []
    (work / "bridge" / "labels_xyxy").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        specs.append((f"bridge/images/span_{i:03d}.jpg", (256, 192), "RGB"))
        (work / "bridge" / "labels_xyxy" / f"span_{i:03d}.txt").write_text(
            f"0 {14 + i} 30 {90 + 2 * i} 71\n1 120 {60 + i} 200 {150 + i}\n1 30 120 70 170\n")
    make_images(work, specs)


# --- two datasets merged: the second one's ids shifted, num_classes not updated
SCRIPTS["frcnn-merged-datasets-class-ids-offset-tqdm"] = '''
import json
import torch
from PIL import Image
from tqdm import tqdm
from torch.utils.data import Dataset, ConcatDataset, DataLoader
from torchvision.transforms import functional as TF
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

class CocoLike(Dataset):
    def __init__(self, root, ann_file, label_offset=0):
        coco = json.load(open(ann_file))
        self.root, self.offset = root, label_offset
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)
        self.categories = [c["name"] for c in coco["categories"]]

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(f"{self.root}/{info['file_name']}").convert("RGB")
        anns = self.anns[info["id"]]
        boxes = torch.tensor([[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)], dtype=torch.float32)
        labels = torch.tensor([a["category_id"] + self.offset for a in anns], dtype=torch.int64)
        return TF.to_tensor(img), {"boxes": boxes, "labels": labels}

# helmets (helmet, head) + vests (vest, no_vest): vest ids go after the helmet ids
helmets = CocoLike("helmets/images", "helmets/annotations.json")
vests = CocoLike("vests/images", "vests/annotations.json", label_offset=len(helmets.categories))
dataset = ConcatDataset([helmets, vests])
CLASSES = ["__background__"] + helmets.categories + ["vest"]
print("classes:", CLASSES)

loader = DataLoader(dataset, batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in tqdm(loader, desc=f"epoch {epoch}"):
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def merged_sets(work: Path):
    for root, cats in (("helmets", ("helmet", "head")), ("vests", ("vest", "no_vest"))):
        make_images(work, [(f"{root}/images/img_{i:04d}.jpg", (200, 150), "RGB") for i in range(2)])
        (work / root / "annotations.json").write_text(json.dumps(coco_json(2, cats=cats)))


# --- FCOS fed float64 boxes straight from numpy
SCRIPTS["fcos-boxes-float64-from-numpy-csv"] = '''
import csv
import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF
from torchvision.models.detection import fcos_resnet50_fpn

CLASSES = ["__background__", "sheep", "cow"]

class DroneCounts(Dataset):
    def __init__(self, csv_file, root):
        self.by_file = {}
        for r in csv.DictReader(open(csv_file)):
            self.by_file.setdefault(r["filename"], []).append(r)
        self.files = sorted(self.by_file)
        self.root = root

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        rows = self.by_file[self.files[i]]
        img = TF.to_tensor(Image.open(f"{self.root}/{self.files[i]}").convert("RGB"))
        boxes = np.array([[r["xmin"], r["ymin"], r["xmax"], r["ymax"]] for r in rows], dtype=float)
        target = {
            "boxes": torch.from_numpy(boxes),
            "labels": torch.tensor([CLASSES.index(r["class"]) for r in rows]),
        }
        return img, target

loader = DataLoader(DroneCounts("pasture/labels.csv", "pasture/images"), batch_size=2, collate_fn=lambda b: tuple(zip(*b)))
model = fcos_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES), min_size=480, max_size=640)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for images, targets in loader:
    losses = model(list(images), list(targets))
    loss = sum(losses.values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print({k: round(v.item(), 3) for k, v in losses.items()})
'''


def pasture(work: Path):
    make_images(work, [(f"pasture/images/DJI_{i:04d}.JPG", (240, 180), "RGB") for i in range(4)])
    rows = ["filename,xmin,ymin,xmax,ymax,class"]
    for i in range(4):
        rows.append(f"DJI_{i:04d}.JPG,{20.4 + i:.1f},30.0,{60.7 + i:.1f},66.2,sheep")
        rows.append(f"DJI_{i:04d}.JPG,130.5,{90.1 + i:.1f},190.0,{150.8 + i:.1f},cow")
    (work / "pasture" / "labels.csv").write_text("\n".join(rows) + "\n")


# --- Penn-Fudan style instance masks: the object ids (uint8) used as labels
SCRIPTS["maskrcnn-pennfudan-object-ids-as-labels"] = '''
import os
import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF
from torchvision.models.detection import maskrcnn_resnet50_fpn

class PennFudan(Dataset):
    def __init__(self, root):
        self.root = root
        self.imgs = sorted(os.listdir(os.path.join(root, "PNGImages")))
        self.masks = sorted(os.listdir(os.path.join(root, "PedMasks")))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, idx):
        img = Image.open(os.path.join(self.root, "PNGImages", self.imgs[idx])).convert("RGB")
        mask = np.array(Image.open(os.path.join(self.root, "PedMasks", self.masks[idx])))
        obj_ids = np.unique(mask)[1:]          # 0 is the background
        masks = mask == obj_ids[:, None, None]
        boxes = []
        for m in masks:
            ys, xs = np.where(m)
            boxes.append([xs.min(), ys.min(), xs.max(), ys.max()])
        target = {
            "boxes": torch.as_tensor(boxes, dtype=torch.float32),
            "labels": torch.as_tensor(obj_ids),
            "masks": torch.as_tensor(masks, dtype=torch.uint8),
        }
        return TF.to_tensor(img), target

loader = DataLoader(PennFudan("PennFudanPed"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=0.0005)
model.train()
for images, targets in loader:
    loss_dict = model(list(images), list(targets))
    losses = sum(loss for loss in loss_dict.values())
    optimizer.zero_grad()
    losses.backward()
    optimizer.step()
'''


def ped_masks(root="PennFudanPed", n=4, size=(160, 120)):
    def setup(work: Path):
        import numpy as np
        make_images(work, [(f"{root}/PNGImages/FudanPed{i + 1:05d}.png", size, "RGB") for i in range(n)])
        for i in range(n):
            m = np.zeros((size[1], size[0]), dtype=np.uint8)
            m[20:100, 15 + i:55 + i] = 1
            m[30:110, 90:130 - i] = 2
            save_png(work / root / "PedMasks" / f"FudanPed{i + 1:05d}_mask.png", m, "L")
    return setup


# --- a semantic mask (one H x W map) given where Mask R-CNN wants one mask per object
SCRIPTS["maskrcnn-semantic-mask-as-instance-masks"] = '''
import os
import numpy as np
import torch
from PIL import Image
from torchvision.transforms import functional as TF
from torchvision.models.detection import maskrcnn_resnet50_fpn

ROOT = "PennFudanPed"
names = sorted(os.listdir(f"{ROOT}/PNGImages"))

def load(name):
    img = TF.to_tensor(Image.open(f"{ROOT}/PNGImages/{name}").convert("RGB"))
    mask = np.array(Image.open(f"{ROOT}/PedMasks/{name[:-4]}_mask.png"))
    boxes = []
    for obj in np.unique(mask)[1:]:
        ys, xs = np.where(mask == obj)
        boxes.append([xs.min(), ys.min(), xs.max(), ys.max()])
    target = {
        "boxes": torch.tensor(boxes, dtype=torch.float32),
        "labels": torch.ones(len(boxes), dtype=torch.int64),
        "masks": torch.from_numpy(mask),
    }
    return img, target

model = maskrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for name in names:
        img, target = load(name)
        loss_dict = model([img], [target])
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# --- keypoints exported as (x, y) pairs without the visibility flag
SCRIPTS["keypointrcnn-keypoints-without-visibility"] = '''
import json
import torch
from PIL import Image
from torchvision.transforms import functional as TF
from torchvision.models.detection import keypointrcnn_resnet50_fpn

# 4 keypoints per hand: wrist, thumb tip, index tip, pinky tip (exported from the annotation tool as x, y)
data = json.load(open("hands/annotations.json"))
model = keypointrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=2, num_keypoints=4)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
model.train()
for epoch in range(3):
    for item in data:
        img = TF.to_tensor(Image.open(f"hands/{item['file']}").convert("RGB"))
        target = {
            "boxes": torch.tensor([h["box"] for h in item["hands"]], dtype=torch.float32),
            "labels": torch.ones(len(item["hands"]), dtype=torch.int64),
            "keypoints": torch.tensor([h["keypoints"] for h in item["hands"]], dtype=torch.float32),
        }
        loss_dict = model([img], [target])
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def hands(work: Path):
    make_images(work, [(f"hands/frame_{i:03d}.jpg", (200, 160), "RGB") for i in range(3)])
    items = []
    for i in range(3):
        items.append({"file": f"frame_{i:03d}.jpg", "hands": [
            {"box": [30 + i, 40, 110 + i, 130],
             "keypoints": [[60 + i, 120], [35 + i, 80], [70, 45 + i], [100, 70]]}]})
    (work / "hands" / "annotations.json").write_text(json.dumps(items, indent=1))


# --- grayscale + alpha scans (LA PNG) read with read_image into Faster R-CNN
SCRIPTS["frcnn-la-png-scans-read-image"] = '''
import json
import torch
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

CLASSES = ["__background__", "stamp", "signature"]
ann = json.load(open("forms/boxes.json"))

model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for fname, objs in ann.items():
        img = read_image(f"forms/scans/{fname}").float() / 255.0
        target = {"boxes": torch.tensor([o["bbox"] for o in objs], dtype=torch.float32),
                  "labels": torch.tensor([CLASSES.index(o["label"]) for o in objs])}
        loss = sum(model([img], [target]).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.3f}")
'''


def la_scans(work: Path):
    ann = {}
    for i in range(3):
        save_png(work / "forms" / "scans" / f"form_{i:03d}.png", rnd_array(200, 150, 2, i))
        ann[f"form_{i:03d}.png"] = [{"bbox": [10, 150 + i, 60, 190], "label": "stamp"},
                                    {"bbox": [80, 160, 140, 185 + i], "label": "signature"}]
    (work / "forms" / "boxes.json").write_text(json.dumps(ann))


# --- DETR-style GIoU (copied util) given COCO [x, y, w, h] boxes
SCRIPTS["detr-giou-loss-coco-xywh-targets"] = '''
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision.transforms import functional as TF
from util.box_ops import generalized_box_iou, box_cxcywh_to_xyxy

coco = json.load(open("coco_small/instances_train.json"))
by_image = {}
for a in coco["annotations"]:
    by_image.setdefault(a["image_id"], []).append(a)

class SetPredictor(nn.Module):
    """a toy fixed-query detector head: N boxes in (cx, cy, w, h), normalised"""
    def __init__(self, num_queries=4, num_classes=3):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 32, 7, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(8), nn.Flatten())
        self.boxes = nn.Linear(32 * 64, num_queries * 4)
        self.logits = nn.Linear(32 * 64, num_queries * (num_classes + 1))
        self.nq, self.nc = num_queries, num_classes

    def forward(self, x):
        f = self.backbone(x)
        return self.logits(f).view(-1, self.nq, self.nc + 1), self.boxes(f).view(-1, self.nq, 4).sigmoid()

model = SetPredictor()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
for img_info in coco["images"]:
    img = TF.to_tensor(Image.open(f"coco_small/images/{img_info['file_name']}").convert("RGB"))
    W, H = img_info["width"], img_info["height"]
    anns = by_image[img_info["id"]]
    tgt_boxes = torch.tensor([a["bbox"] for a in anns]) / torch.tensor([W, H, W, H])
    logits, pred_boxes = model(img[None])
    pred = pred_boxes[0, :len(anns)]
    loss_bbox = F.l1_loss(pred, tgt_boxes)
    loss_giou = (1 - torch.diag(generalized_box_iou(box_cxcywh_to_xyxy(pred), tgt_boxes))).mean()
    loss = 5 * loss_bbox + 2 * loss_giou
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(img_info["file_name"], loss.item())
'''

DETR_BOX_OPS = '''
"""
Utilities for bounding box manipulation and GIoU (copied from facebookresearch/detr, util/box_ops.py).
"""
import torch
from torchvision.ops.boxes import box_area


def box_cxcywh_to_xyxy(x):
    x_c, y_c, w, h = x.unbind(-1)
    b = [(x_c - 0.5 * w), (y_c - 0.5 * h),
         (x_c + 0.5 * w), (y_c + 0.5 * h)]
    return torch.stack(b, dim=-1)


def box_iou(boxes1, boxes2):
    area1 = box_area(boxes1)
    area2 = box_area(boxes2)

    lt = torch.max(boxes1[:, None, :2], boxes2[:, :2])  # [N,M,2]
    rb = torch.min(boxes1[:, None, 2:], boxes2[:, 2:])  # [N,M,2]

    wh = (rb - lt).clamp(min=0)  # [N,M,2]
    inter = wh[:, :, 0] * wh[:, :, 1]  # [N,M]

    union = area1[:, None] + area2 - inter

    iou = inter / union
    return iou, union


def generalized_box_iou(boxes1, boxes2):
    """
    Generalized IoU from https://giou.stanford.edu/

    The boxes should be in [x0, y0, x1, y1] format

    Returns a [N, M] pairwise matrix, where N = len(boxes1)
    and M = len(boxes2)
    """
    # degenerate boxes gives inf / nan results
    # so do an early check
    assert (boxes1[:, 2:] >= boxes1[:, :2]).all()
    assert (boxes2[:, 2:] >= boxes2[:, :2]).all()
    iou, union = box_iou(boxes1, boxes2)

    lt = torch.min(boxes1[:, None, :2], boxes2[:, :2])
    rb = torch.max(boxes1[:, None, 2:], boxes2[:, 2:])

    wh = (rb - lt).clamp(min=0)  # [N,M,2]
    area = wh[:, :, 0] * wh[:, :, 1]

    return iou - (area - union) / area
'''


def coco_small(work: Path):
    make_images(work, [(f"coco_small/images/{i:012d}.jpg", (200, 150), "RGB") for i in range(3)])
    (work / "coco_small" / "instances_train.json").write_text(
        json.dumps(coco_json(3, file_name=lambda i: f"{i:012d}.jpg", cats=("person", "bicycle", "car"),
                             bbox=lambda i, j: [20.0 + 70 * j + 5 * i, 30.0 + 10 * i, 45.0 - 5 * j, 60.0])))


# --- a CMYK product photo among the RGB ones, classified one at a time
SCRIPTS["classifier-cmyk-product-photo-read-image"] = '''
import glob
import torch
import torchvision
from torchvision.io import read_image
from torchvision.transforms.v2 import functional as F

CLASSES = ["bag", "shoe", "watch"]
model = torchvision.models.resnet18(num_classes=len(CLASSES))
# trained in train.py on the same pipeline (read_image -> resize -> /255)
model.load_state_dict(torch.load("products_resnet18.pt", map_location="cpu"))
model.eval()

for path in sorted(glob.glob("shop_export/*.jpg")):
    img = read_image(path)
    img = F.resize(img, [224, 224], antialias=True).float() / 255.0
    with torch.no_grad():
        probs = model(img.unsqueeze(0)).softmax(1)[0]
    print(path, CLASSES[probs.argmax()], f"{probs.max():.2f}")
'''

SAVE_RESNET = '''
import torch, torchvision
torch.save(torchvision.models.resnet18(num_classes=3).state_dict(), "products_resnet18.pt")
'''


def prerun(script):
    """A setup that runs one of the case's own helper scripts (e.g. saving weights)."""
    def setup(work: Path):
        import subprocess
        import _record
        subprocess.run([_record.torch_python(), script], cwd=work, check=True, capture_output=True)
        (work / script).unlink()
    return setup


# ====================================================================== custom YOLO-style loaders
# --- letterbox with symmetric padding: odd differences lose a pixel
SCRIPTS["yolo-letterbox-odd-padding-stack-workers"] = yolo_script('''
from torchvision.io import read_image, ImageReadMode

def letterbox(img, size=416):
    """resize the long side to `size`, pad the short side equally on both sides"""
    _, h, w = img.shape
    s = size / max(h, w)
    nh, nw = round(h * s), round(w * s)
    img = F.interpolate(img[None], size=(nh, nw), mode="bilinear", align_corners=False)[0]
    px, py = (size - nw) // 2, (size - nh) // 2
    return F.pad(img, (px, px, py, py), value=0.5), s, px, py

class YoloFolder(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        path = self.images[i]
        img = read_image(path, ImageReadMode.RGB).float() / 255.0
        img, s, px, py = letterbox(img)
        lab = torch.from_numpy(np.loadtxt(path.replace("images", "labels").replace(".jpg", ".txt"), ndmin=2)).float()
        return img, lab
''', 'loader = DataLoader(YoloFolder("data/train"), batch_size=4, shuffle=False, num_workers=2, collate_fn=yolo_collate)',
    guard=True)

# --- multi-scale training implemented per sample instead of per batch
SCRIPTS["yolo-multiscale-per-sample-cat"] = YOLO_HEAD + '''import random
from PIL import Image
from torchvision.transforms import functional as TF

random.seed(0)
CLASSES = ["pothole", "manhole"]
SCALES = [320, 352, 384, 416]

class MultiScaleYolo(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        size = random.choice(SCALES)          # multi-scale training
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((size, size)))
        lab = np.loadtxt(self.images[i].replace("/images/", "/labels/").replace(".jpg", ".txt"), ndmin=2)
        return img, torch.tensor(lab, dtype=torch.float32)

def collate(batch):
    imgs = torch.cat([img.unsqueeze(0) for img, _ in batch], dim=0)
    targets = torch.cat([torch.cat([torch.full((len(l), 1), float(i)), l], 1) for i, (_, l) in enumerate(batch)])
    return imgs, targets
''' + TINY_DARKNET + YOLO_LOSS + '''
loader = DataLoader(MultiScaleYolo("data/train"), batch_size=4, shuffle=True, collate_fn=collate)
''' + YOLO_TRAIN_LOOP

# --- EXIF orientation applied after the resize: portrait phone photos come out transposed
SCRIPTS["yolo-exif-transpose-after-resize"] = yolo_script('''
from PIL import Image, ImageOps
from torchvision.transforms import functional as TF

class PhonePhotos(Dataset):
    """photos taken with a phone; some were held upright (EXIF orientation 6)"""
    def __init__(self, root, size=(416, 320)):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize(self.size)
        img = ImageOps.exif_transpose(img)    # fix the sideways photos
        lab = np.loadtxt(self.images[i].replace("images", "labels")[:-4] + ".txt", ndmin=2)
        return TF.to_tensor(img), torch.tensor(lab, dtype=torch.float32)
''', 'loader = DataLoader(PhonePhotos("data/train"), batch_size=4, shuffle=False, collate_fn=yolo_collate)',
    classes='["litter", "bottle"]')


def exif_photos(work: Path):
    from PIL import Image
    yolo_set(size=(400, 300))(work)
    for i in (2, 5):   # two portrait photos: stored landscape, EXIF says rotate 90
        p = work / "data/train/images" / f"img_{i:04d}.jpg"
        im = Image.open(p)
        ex = Image.Exif()
        ex[0x0112] = 6
        im.save(p, exif=ex.tobytes())


# --- IMREAD_UNCHANGED keeps grayscale frames 2-D (notebook)
CELLS["yolo-cv2-unchanged-grayscale-frames-notebook"] = [
    '''import glob
import cv2
import numpy as np
import torch
from torch.utils.data import Dataset, DataLoader''',
    '''class FLIRDataset(Dataset):
    """RGB + thermal frames; IMREAD_UNCHANGED so 16-bit thermal PNGs keep their range"""
    def __init__(self, root, size=320):
        self.images = sorted(glob.glob(f"{root}/images/*"))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.imread(self.images[i], cv2.IMREAD_UNCHANGED)
        img = cv2.resize(img, (self.size, self.size))
        img = img.transpose(2, 0, 1)[::-1].copy()       # HWC BGR -> CHW RGB
        img = torch.from_numpy(img).float() / 255.0
        stem = self.images[i].rsplit("/", 1)[-1].rsplit(".", 1)[0]
        lab = torch.from_numpy(np.loadtxt(f"{self.images[i].rsplit('/images/', 1)[0]}/labels/{stem}.txt", ndmin=2)).float()
        return img, lab''',
    '''ds = FLIRDataset("flir/train")
print(len(ds), "frames")
img, lab = ds[0]
print(img.shape, lab)''',
    '''for i in range(len(ds)):
    img, lab = ds[i]
print("all frames ok")''',
]


def flir(work: Path):
    yolo_set(root="flir/train", n=6, size=(320, 256))(work)
    for i in (3, 4):   # thermal frames: single-channel 8-bit grayscale JPEGs
        make_images(work, [(f"flir/train/images/img_{i:04d}.jpg", (320, 256), "L")])


# --- RGBA sprite PNGs with IMREAD_UNCHANGED into a 3-channel detector
SCRIPTS["yolo-cv2-unchanged-rgba-sprites"] = yolo_script('''
import cv2

class SpriteDataset(Dataset):
    """game screenshots exported from the engine as PNG (keep the alpha? no harm)"""
    def __init__(self, root, size=320):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.imread(self.images[i], cv2.IMREAD_UNCHANGED)
        img = cv2.resize(img, (self.size, self.size))[..., ::-1]     # BGR -> RGB
        img = torch.from_numpy(img.transpose(2, 0, 1).copy()).float() / 255.0
        lab = np.loadtxt(self.images[i].replace("images", "labels").replace(".png", ".txt"), ndmin=2)
        return img, torch.from_numpy(lab).float()
''', 'loader = DataLoader(SpriteDataset("data/train"), batch_size=4, shuffle=True, collate_fn=yolo_collate)',
    classes='["coin", "enemy"]')

# --- palette PNGs through numpy into a numpy normalisation
SCRIPTS["yolo-palette-png-numpy-normalise"] = yolo_script('''
from PIL import Image

MEAN = np.array([0.485, 0.456, 0.406])
STD = np.array([0.229, 0.224, 0.225])

class ScreenshotDataset(Dataset):
    def __init__(self, root, size=320):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).resize((self.size, self.size)), dtype=np.float32)
        img = (img / 255.0 - MEAN) / STD
        img = torch.from_numpy(img.transpose(2, 0, 1)).float()
        lab = np.loadtxt(self.images[i].replace("images", "labels").replace(".png", ".txt"), ndmin=2)
        return img, torch.from_numpy(lab).float()
''', 'loader = DataLoader(ScreenshotDataset("data/train"), batch_size=4, shuffle=False, collate_fn=yolo_collate)',
    classes='["button", "icon"]')


def palette_pngs(work: Path):
    import numpy as np
    yolo_set(n=6, ext="png")(work)
    # two screenshots saved by an optimiser (pngquant): palette mode
    for i in (1, 4):
        save_png(work / "data/train/images" / f"img_{i:04d}.png",
                 (rnd_array(240, 320, 1, i) // 32).astype(np.uint8), "P")


# --- labels in pixels, caught by a check copied from YOLOv5's verify_image_label
SCRIPTS["yolo-pixel-labels-yolov5-verify-check"] = yolo_script('''
from PIL import Image
from torchvision.transforms import functional as TF

def verify_image_label(im_file, lb_file):
    """checks copied from ultralytics/yolov5 utils/dataloaders.py"""
    im = Image.open(im_file)
    im.verify()
    assert (im.size[0] > 9) & (im.size[1] > 9), f"image size {im.size} <10 pixels"
    with open(lb_file) as f:
        lb = np.array([x.split() for x in f.read().strip().splitlines() if len(x)], dtype=np.float32)
    nl = len(lb)
    if nl:
        assert lb.shape[1] == 5, f"labels require 5 columns, {lb.shape[1]} columns detected"
        assert (lb >= 0).all(), f"negative label values {lb[lb < 0]}"
        assert (lb[:, 1:] <= 1).all(), f"non-normalized or out of bounds coordinates {lb[:, 1:][lb[:, 1:] > 1]}"
    return lb

class CheckedYolo(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.labels = [verify_image_label(p, p.replace("images", "labels")[:-4] + ".txt") for p in self.images]

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((320, 320)))
        return img, torch.from_numpy(self.labels[i])
''', 'loader = DataLoader(CheckedYolo("data/train"), batch_size=4, shuffle=True, collate_fn=yolo_collate)',
    classes='["weed", "crop"]')


def pixel_yolo(i):
    # "YOLO" export in pixel units: cx cy w h of a 320x240 image
    return f"0 {120 + 5 * i} {126} {70 + 6 * i} {46}\n1 {230} {74 + 5 * i} {45} {26 + 2 * i}\n"


# --- pseudo-labels (with the confidence column) appended to human labels
SCRIPTS["yolo-pseudo-labels-conf-column-workers"] = yolo_script('''
class MixedLabels(Dataset):
    """human labels + pseudo-labels from `detect.py --save-txt --save-conf` appended to the same files"""
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))
        self.size = 320

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        from torchvision.io import read_image
        img = read_image(self.images[i]).float() / 255.0
        img = F.interpolate(img[None], size=(self.size, self.size), mode="bilinear")[0]
        with open(self.images[i].replace("images", "labels").replace(".jpg", ".txt")) as f:
            rows = [[float(v) for v in line.split()] for line in f if line.strip()]
        return img, torch.tensor(rows)
''', 'loader = DataLoader(MixedLabels("data/train"), batch_size=4, shuffle=True, num_workers=2, collate_fn=yolo_collate)',
    guard=True)


def pseudo_lines(i):
    base = yolo_default(i)
    if i % 2:
        base += f"1 {0.21:.6f} {0.66 + 0.01 * i:.6f} {0.09:.6f} {0.08:.6f} {0.63 + 0.02 * i:.6f}\n"
    return base


# --- images added to the folder after labelling: no label file
SCRIPTS["yolo-missing-label-file-workers"] = yolo_script('''
from PIL import Image
from torchvision.transforms import functional as TF

class YoloDataset(Dataset):
    def __init__(self, img_dir, label_dir, size=320):
        self.img_dir, self.label_dir, self.size = img_dir, label_dir, size
        self.names = sorted(os.listdir(img_dir))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        name = self.names[i]
        img = TF.to_tensor(Image.open(os.path.join(self.img_dir, name)).convert("RGB").resize((self.size, self.size)))
        labels = np.loadtxt(os.path.join(self.label_dir, os.path.splitext(name)[0] + ".txt"), ndmin=2)
        return img, torch.from_numpy(labels).float()
''', 'loader = DataLoader(YoloDataset("data/train/images", "data/train/labels"), batch_size=4, shuffle=True, '
     'num_workers=2, collate_fn=yolo_collate)', guard=True)

# --- labels from a COCO subset keep the COCO ids (0, 2, 16) while the model has 3 classes
SCRIPTS["yolo-coco-class-ids-kept-three-classes-tqdm"] = yolo_script('''
from PIL import Image
from tqdm import tqdm
from torchvision.transforms import functional as TF

class CocoSubset(Dataset):
    """person / car / dog frames picked from COCO with the official coco2yolo labels"""
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((320, 320)))
        lab = np.loadtxt(self.images[i].replace("images", "labels")[:-4] + ".txt", ndmin=2)
        return img, torch.from_numpy(lab).float()
''', 'loader = tqdm(DataLoader(CocoSubset("data/train"), batch_size=4, shuffle=True, collate_fn=yolo_collate))',
    classes='["person", "car", "dog"]')


def coco_ids(i):
    return (f"0 {0.41:.6f} {0.52:.6f} {0.2 + 0.02 * i:.6f} {0.44:.6f}\n"
            f"2 {0.72:.6f} {0.66:.6f} {0.25:.6f} {0.18 + 0.01 * i:.6f}\n"
            + (f"16 {0.2:.6f} {0.75:.6f} {0.15:.6f} {0.12:.6f}\n" if i % 2 else ""))


# --- class column left as float in the loss
SCRIPTS["yolo-float-class-column-into-ce"] = yolo_script('''
from PIL import Image
from torchvision.transforms import functional as TF

class YoloDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((320, 320)))
        lab = np.loadtxt(self.images[i].replace("images", "labels")[:-4] + ".txt", ndmin=2)
        return img, torch.from_numpy(lab).float()
''', 'loader = DataLoader(YoloDataset("data/train"), batch_size=4, shuffle=True, collate_fn=yolo_collate)',
    loss=YOLO_LOSS.replace("targets[:, 1].long()", "targets[:, 1]"))

# --- boxes drawn right-to-left in the labelling tool: xmin > xmax, negative width, NaN in the wh loss
SCRIPTS["yolo-voc-boxes-drawn-right-to-left-anomaly"] = YOLO_HEAD + '''import xml.etree.ElementTree as ET
from PIL import Image
from torchvision.transforms import functional as TF

CLASSES = ["pothole", "manhole"]
torch.autograd.set_detect_anomaly(True)

def voc_to_yolo(xml_file):
    root = ET.parse(xml_file).getroot()
    W, H = int(root.findtext("size/width")), int(root.findtext("size/height"))
    rows = []
    for obj in root.iter("object"):
        b = obj.find("bndbox")
        x1, y1, x2, y2 = (float(b.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax"))
        rows.append([CLASSES.index(obj.findtext("name")), (x1 + x2) / 2 / W, (y1 + y2) / 2 / H, (x2 - x1) / W, (y2 - y1) / H])
    return torch.tensor(rows)

class VocAsYolo(Dataset):
    def __init__(self, root):
        self.xmls = sorted(glob.glob(f"{root}/Annotations/*.xml"))
        self.root = root

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        name = os.path.basename(self.xmls[i])[:-4] + ".jpg"
        img = TF.to_tensor(Image.open(f"{self.root}/JPEGImages/{name}").convert("RGB").resize((320, 320)))
        return img, voc_to_yolo(self.xmls[i])
''' + YOLO_COLLATE + TINY_DARKNET + YOLO_LOSS + '''
loader = DataLoader(VocAsYolo("data/roads"), batch_size=2, shuffle=False, collate_fn=yolo_collate)
''' + YOLO_TRAIN_LOOP


def right_to_left(i):
    if i == 1:   # dragged from the bottom-right corner to the top-left one
        return [("pothole", 180, 200, 60, 120), ("manhole", 250, 40, 300, 90)]
    return [("pothole", 40 + 4 * i, 100, 150 + 4 * i, 190), ("manhole", 240, 30 + i, 300, 95)]


# --- polygon rows (segment export) among box rows
SCRIPTS["yolo-loadtxt-polygon-rows-among-boxes"] = yolo_script('''
from PIL import Image
from torchvision.transforms import functional as TF

class YoloDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.jpg"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((320, 320)))
        lab = np.loadtxt(self.images[i].replace("images", "labels")[:-4] + ".txt", ndmin=2)
        return img, torch.from_numpy(lab).float()
''', 'loader = DataLoader(YoloDataset("data/train"), batch_size=4, shuffle=False, collate_fn=yolo_collate)',
    classes='["leaf_spot", "rust"]')


def polygon_rows(i):
    base = yolo_default(i)
    if i == 2:   # a second annotator used the polygon tool: the export wrote its vertices
        base += "1 0.61 0.20 0.70 0.22 0.73 0.31 0.62 0.33\n"
    return base


# ====================================================================== classification labels
# --- mix-up with one-hot labels; a class folder added after the class list was written (notebook)
CELLS["cls-mixup-one-hot-class-missing-from-list-notebook"] = [
    '''import csv
from collections import Counter
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms''',
    '''CLASSES = ["healthy", "multiple_diseases", "rust", "scab"]
rows = [(r["image_id"], int(r["label"])) for r in csv.DictReader(open("plant/train.csv"))]
print(sorted(Counter(label for _, label in rows).items()))''',
    '''class Leaves(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf
    def __len__(self):
        return len(self.rows)
    def __getitem__(self, i):
        image_id, label = self.rows[i]
        return self.tf(Image.open(f"plant/images/{image_id}.jpg").convert("RGB")), label

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
loader = DataLoader(Leaves(rows, tf), batch_size=4, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(CLASSES))
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)''',
    '''def mixup(x, y, alpha=0.4):
    lam = np.random.beta(alpha, alpha)
    idx = torch.randperm(x.size(0))
    y1 = F.one_hot(y, num_classes=len(CLASSES)).float()
    return lam * x + (1 - lam) * x[idx], lam * y1 + (1 - lam) * y1[idx]

for epoch in range(2):
    for x, y in loader:
        x, y = mixup(x, y)
        loss = torch.sum(-y * F.log_softmax(model(x), dim=1), dim=1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]


def plant_csv(work: Path):
    rows = ["image_id,label"]
    specs = []
    for i in range(12):
        specs.append((f"plant/images/Train_{i}.jpg", (64, 64), "RGB"))
        rows.append(f"Train_{i},{[0, 2, 3, 1, 4, 0, 2, 3, 4, 1, 2, 3][i]}")   # 4 = "powdery_mildew", labelled later
    make_images(work, specs)
    (work / "plant" / "train.csv").write_text("\n".join(rows) + "\n")


# --- multi-label CSV with a "No Finding" column the model has no output for
SCRIPTS["cls-multilabel-csv-no-finding-column"] = '''
import csv
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

FINDINGS = ["Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Nodule"]

class ChestXray(Dataset):
    def __init__(self, csv_file, root, tf):
        with open(csv_file) as f:
            self.rows = list(csv.reader(f))[1:]      # skip the header
        self.root, self.tf = root, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        img = self.tf(Image.open(f"{self.root}/{row[0]}").convert("RGB"))
        target = torch.tensor([float(v) for v in row[1:]])
        return img, target

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
loader = DataLoader(ChestXray("cxr/labels.csv", "cxr/images", tf), batch_size=4, shuffle=True)
model = torchvision.models.densenet121(num_classes=len(FINDINGS))
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def cxr(work: Path):
    cols = ["Image Index", "Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Nodule", "No Finding"]
    rows = [",".join(cols)]
    specs = []
    for i in range(8):
        name = f"{i:08d}_000.png"
        specs.append((f"cxr/images/{name}", (96, 96), "L"))
        flags = [(i + k) % 3 == 0 for k in range(5)]
        rows.append(",".join([name] + [str(int(f)) for f in flags] + [str(int(not any(flags)))]))
    make_images(work, specs)
    (work / "cxr" / "labels.csv").write_text("\n".join(rows) + "\n")


# --- 68 (x, y) landmarks kept as [68, 2] while the head predicts 136 values (notebook)
CELLS["cls-landmarks-68x2-against-flat-head-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms''',
    '''class FaceLandmarks(Dataset):
    """iBUG 300-W style: faces/xxx.jpg + faces/xxx.pts (68 points)"""
    def __init__(self, names, tf):
        self.names, self.tf = names, tf
    def __len__(self):
        return len(self.names)
    def __getitem__(self, i):
        img = Image.open(f"faces/{self.names[i]}.jpg").convert("RGB")
        w, h = img.size
        pts = np.loadtxt(f"faces/{self.names[i]}.pts", comments=("version", "n_points", "{", "}"))
        pts = pts / np.array([w, h])
        return self.tf(img), torch.tensor(pts, dtype=torch.float32)

names = [f"face_{i:03d}" for i in range(6)]
ds = FaceLandmarks(names, transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()]))
loader = DataLoader(ds, batch_size=3, shuffle=True)
print(ds[0][1].shape)''',
    '''model = torchvision.models.resnet18(num_classes=68 * 2)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]


def faces(work: Path):
    make_images(work, [(f"faces/face_{i:03d}.jpg", (160, 160), "RGB") for i in range(6)])
    for i in range(6):
        pts = "\n".join(f"{40 + (k % 17) * 5 + i:.3f} {50 + (k // 17) * 20:.3f}" for k in range(68))
        (work / "faces" / f"face_{i:03d}.pts").write_text(f"version: 1\nn_points: 68\n{{\n{pts}\n}}\n")


# --- a label column read with genfromtxt: blank cells make it float64, NaN rows dropped afterwards
SCRIPTS["cls-label-column-float64-genfromtxt-blank-cells"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms

paths = np.genfromtxt("birds/annotations.csv", delimiter=",", skip_header=1, usecols=0, dtype=str)
species = np.genfromtxt("birds/annotations.csv", delimiter=",", skip_header=1, usecols=1)
keep = ~np.isnan(species)                 # a few photos were never labelled
paths, species = paths[keep], species[keep]
print(len(paths), "labelled photos,", len(np.unique(species)), "species")

class Birds(Dataset):
    def __init__(self, paths, labels, tf):
        self.paths = paths
        self.labels = torch.from_numpy(labels)
        self.tf = tf

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.tf(Image.open(self.paths[i]).convert("RGB")), self.labels[i]

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
loader = DataLoader(Birds(paths, species, tf), batch_size=4, shuffle=True)
model = torchvision.models.mobilenet_v3_small(num_classes=int(species.max()) + 1)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def birds(work: Path):
    rows = ["path,species_id,photographer"]
    specs = []
    for i in range(10):
        specs.append((f"birds/photos/IMG_{4400 + i}.jpg", (80, 64), "RGB"))
        sid = "" if i in (3, 7) else str(i % 4)
        rows.append(f"birds/photos/IMG_{4400 + i}.jpg,{sid},anna")
    make_images(work, specs)
    (work / "birds" / "annotations.csv").write_text("\n".join(rows) + "\n")


# ====================================================================== missing / corrupt files
# --- COCO json written on Windows: backslashes in file_name
SCRIPTS["coco-json-windows-backslash-file-names-workers"] = '''
import json
import os
import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import functional as TF
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

class CocoDetection(Dataset):
    def __init__(self, root, ann_file):
        coco = json.load(open(ann_file))
        self.root = root
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = Image.open(os.path.join(self.root, info["file_name"])).convert("RGB")
        anns = self.anns[info["id"]]
        boxes = torch.tensor([[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)])
        return TF.to_tensor(img), {"boxes": boxes, "labels": torch.tensor([a["category_id"] for a in anns])}

def collate(batch):
    return tuple(zip(*batch))

if __name__ == "__main__":
    # annotations exported from the labelling tool on the office PC, images copied to the server
    ds = CocoDetection("dataset", "dataset/annotations/instances_default.json")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate)
    model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
    model.train()
    for images, targets in loader:
        loss = sum(model(list(images), list(targets)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(loss.item())
'''


def windows_coco(work: Path):
    make_images(work, [(f"dataset/images/train/img_{i:04d}.jpg", (200, 150), "RGB") for i in range(4)])
    (work / "dataset" / "annotations").mkdir(parents=True, exist_ok=True)
    (work / "dataset" / "annotations" / "instances_default.json").write_text(
        json.dumps(coco_json(4, file_name=lambda i: f"images\\train\\img_{i:04d}.jpg"), indent=1))


# --- VOC XML written with f-strings: an unescaped & in <path> (notebook)
CELLS["voc-xml-unescaped-ampersand-notebook"] = [
    '''import glob
import xml.etree.ElementTree as ET
import torch''',
    '''CLASSES = ["__background__", "car", "truck"]
def parse_voc(xml_file):
    root = ET.parse(xml_file).getroot()
    boxes, labels = [], []
    for obj in root.iter("object"):
        bb = obj.find("bndbox")
        boxes.append([float(bb.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")])
        labels.append(CLASSES.index(obj.findtext("name")))
    return {"boxes": torch.tensor(boxes), "labels": torch.tensor(labels)}''',
    '''targets = {}
for f in sorted(glob.glob("data/lot/Annotations/*.xml")):
    targets[f] = parse_voc(f)
print(len(targets), "annotations")''',
]


def amp_path(i, stem):
    return f"D:\\Projects\\R&D parking\\JPEGImages\\{stem}.jpg" if i == 2 else f"D:\\Projects\\parking\\JPEGImages\\{stem}.jpg"


# --- zero-byte files from an interrupted download, read with read_image in workers
SCRIPTS["read-image-zero-byte-files-workers"] = '''
import glob
import torch
import torchvision
from torch.utils.data import Dataset, DataLoader
from torchvision.io import read_image, ImageReadMode
from torchvision.transforms.v2 import functional as F

CLASSES = sorted(p.split("/")[-1] for p in glob.glob("flowers/train/*"))

class Flowers(Dataset):
    def __init__(self, root):
        self.items = [(p, CLASSES.index(p.split("/")[-2])) for p in sorted(glob.glob(f"{root}/*/*.jpg"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = read_image(path, ImageReadMode.RGB)
        img = F.resize(img, [128, 128], antialias=True).float() / 255.0
        return img, label

if __name__ == "__main__":
    loader = DataLoader(Flowers("flowers/train"), batch_size=8, shuffle=True, num_workers=2)
    model = torchvision.models.resnet18(num_classes=len(CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(2):
        for x, y in loader:
            loss = torch.nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''

# --- microscope TIFFs read with read_image
SCRIPTS["read-image-tiff-microscopy"] = '''
import glob
import torch
from torch.utils.data import Dataset, DataLoader
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

class Cells(Dataset):
    """cell nuclei: images/*.tif (from the microscope software) + boxes/*.txt (x1 y1 x2 y2)"""
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.tif"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = read_image(self.images[i]).float() / 255.0
        boxes = torch.tensor([[float(v) for v in l.split()] for l in open(self.images[i].replace("images", "boxes")[:-4] + ".txt")])
        return img, {"boxes": boxes, "labels": torch.ones(len(boxes), dtype=torch.int64)}

loader = DataLoader(Cells("nuclei"), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for images, targets in loader:
    loss = sum(model(list(images), list(targets)).values())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''


def nuclei(work: Path):
    for i in range(4):   # save_png picks the format from the suffix: a real TIFF
        save_png(work / "nuclei" / "images" / f"well_A{i + 1}_field_01.tif", rnd_array(160, 160, 3, i))
    (work / "nuclei" / "boxes").mkdir(parents=True, exist_ok=True)
    for i in range(4):
        (work / "nuclei" / "boxes" / f"well_A{i + 1}_field_01.txt").write_text("10 12 40 44\n80 90 110 130\n")


# --- a PNG cut short (sync interrupted), read with read_image (notebook)
CELLS["read-image-truncated-png-notebook"] = [
    '''import glob
import torch
from torchvision.io import read_image, ImageReadMode
from torchvision.transforms.v2 import functional as F''',
    '''paths = sorted(glob.glob("tiles/*.png"))
print(len(paths), "tiles")''',
    '''batch = []
for p in paths:
    img = read_image(p, ImageReadMode.RGB)
    batch.append(F.resize(img, [128, 128], antialias=True))
x = torch.stack(batch).float() / 255.0
print(x.shape)''',
]


def truncated_pngs(work: Path):
    for i in range(5):
        save_png(work / "tiles" / f"tile_{i:03d}.png", rnd_array(128, 128, 3, i))
    p = work / "tiles" / "tile_003.png"
    b = p.read_bytes()
    p.write_bytes(b[: len(b) * 2 // 3])


# --- COCO annotations json cut short by an interrupted download
SCRIPTS["coco-annotations-json-cut-short"] = '''
import json
import torch
from torchvision.datasets import CocoDetection
from torchvision.transforms import functional as TF

# !wget -q https://.../annotations_trainval.json  (the Colab runtime disconnected while it ran)
with open("annotations/instances_train.json") as f:
    coco = json.load(f)
print(len(coco["images"]), "images")
'''


def cut_json(work: Path):
    data = coco_json(60)
    text = json.dumps(data)
    (work / "annotations").mkdir(exist_ok=True)
    (work / "annotations" / "instances_train.json").write_text(text[: len(text) // 2])


# ======================================================================= cases
def cases():
    out, add, script, notebook = case_builders("torch-more11-", SCRIPTS, CELLS)

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    # ImageAI 3 ------------------------------------------------------------------------------------
    notebook("imageai-det-label-studio-percent-coords", "data.bbox_invalid", framework="imageai", timeout=600,
             setup=both(iai_set("roads", write_ann=False), label_studio_export))
    iai("imageai-det-converter-width-x1-minus-x2", "data.bbox_invalid",
        setup=both(iai_set("powerline", write_ann=False), powerline_csv))
    iai("imageai-det-tiles-boxes-past-tile-edge", "data.bbox_invalid",
        setup=iai_set("solar_tiles", ann=tile_lines, sizes=((416, 416),)))
    iai("imageai-det-yolov8-pose-keypoint-labels", "data.bbox_invalid", setup=iai_set("climbers", ann=pose_lines))
    iai("imageai-det-point-annotations-zero-size", "data.bbox_invalid", also=["data.too_few_boxes"],
        setup=iai_set("wheat_heads", ann=dot_lines))
    iai("imageai-det-labelimg-class-added-during-labelling", "data.label_out_of_range",
        forms=("cpython_basic", "progress_bars?"),
        setup=both(iai_set("ppe", ann=lambda i: iai_lines(i, (0, 1, 2) if i % 2 else (0, 1, 0))),
                   write("data/predefined_classes.txt", "helmet\nvest\n"),
                   write("ppe/train/annotations/classes.txt", "helmet\nvest\ngloves\n")))
    notebook("imageai-custom-detect-cmyk-pil-image", "data.image_channels", framework="imageai", timeout=600,
             setup=imgs([("catalogue/page_017.jpg", (300, 220), "CMYK")]))
    iai("imageai-cls-png-broken-data-stream", "data.missing_or_corrupt", forms=("cpython_basic", "progress_bars?"),
        setup=both(imgs(class_folder("leaves/train", ["blight", "healthy"], 4, ext="png")
                        + class_folder("leaves/test", ["blight", "healthy"], 2, ext="png")),
                   damaged_png("leaves/train/healthy/healthy_002.png")))

    # torchvision detection ----------------------------------------------------------------------------
    script("frcnn-open-images-xmin-xmax-column-order", "data.bbox_invalid", setup=open_images)
    script("retinanet-random-crop-keeps-cropped-out-boxes", "data.bbox_invalid",
           setup=voc_set("data/parking", size=(320, 240)))
    script("frcnn-boxes-keep-class-column", "data.bbox_invalid", setup=bridge)
    script("frcnn-merged-datasets-class-ids-offset-tqdm", "data.label_out_of_range",
           forms=("cpython_basic", "progress_bars"), setup=merged_sets)
    script("fcos-boxes-float64-from-numpy-csv", "data.dtype", setup=pasture, timeout=600)
    script("maskrcnn-pennfudan-object-ids-as-labels", "data.dtype", also=["data.label_out_of_range"],
           setup=ped_masks())
    script("maskrcnn-semantic-mask-as-instance-masks", "data.label_shape", setup=ped_masks())
    script("keypointrcnn-keypoints-without-visibility", "data.label_shape", setup=hands)
    script("frcnn-la-png-scans-read-image", "data.image_channels", setup=la_scans)
    script("detr-giou-loss-coco-xywh-targets", "data.bbox_invalid", extra={"util/__init__.py": "",
           "util/box_ops.py": DETR_BOX_OPS}, setup=coco_small)
    script("classifier-cmyk-product-photo-read-image", "data.image_channels", extra={"save.py": SAVE_RESNET},
           setup=both(imgs([(f"shop_export/item_{i:03d}.jpg", (180, 180), "CMYK" if i == 2 else "RGB")
                            for i in range(4)]), prerun("save.py")))

    # custom YOLO-style loaders ---------------------------------------------------------------------------
    script("yolo-letterbox-odd-padding-stack-workers", "data.image_size_mismatch",
           forms=("cpython_basic", "dataloader_worker"), setup=yolo_set(sizes=[(640, 480), (500, 333)]))
    script("yolo-multiscale-per-sample-cat", "data.image_size_mismatch", setup=yolo_set())
    script("yolo-exif-transpose-after-resize", "data.image_size_mismatch", setup=exif_photos)
    notebook("yolo-cv2-unchanged-grayscale-frames-notebook", "data.image_channels", setup=flir)
    script("yolo-cv2-unchanged-rgba-sprites", "data.image_channels", setup=yolo_set(ext="png", mode="RGBA"))
    script("yolo-palette-png-numpy-normalise", "data.image_channels", setup=palette_pngs)
    script("yolo-pixel-labels-yolov5-verify-check", "data.bbox_invalid", setup=yolo_set(lines=pixel_yolo))
    script("yolo-pseudo-labels-conf-column-workers", "data.bbox_invalid",
           forms=("cpython_basic", "dataloader_worker"), setup=yolo_set(lines=pseudo_lines))
    script("yolo-missing-label-file-workers", "data.missing_or_corrupt",
           forms=("cpython_basic", "dataloader_worker"), setup=yolo_set(n=8, skip_label=(6, 7)))
    script("yolo-coco-class-ids-kept-three-classes-tqdm", "data.label_out_of_range",
           forms=("cpython_basic", "progress_bars"), setup=yolo_set(lines=coco_ids))
    script("yolo-float-class-column-into-ce", "data.dtype", setup=yolo_set())
    script("yolo-voc-boxes-drawn-right-to-left-anomaly", "data.bbox_invalid", also=["optim.divergence"],
           setup=voc_set("data/roads", objs=right_to_left))
    script("yolo-loadtxt-polygon-rows-among-boxes", "data.bbox_invalid", setup=yolo_set(lines=polygon_rows))

    # classification labels --------------------------------------------------------------------------------
    notebook("cls-mixup-one-hot-class-missing-from-list-notebook", "data.label_out_of_range", setup=plant_csv)
    script("cls-multilabel-csv-no-finding-column", "data.label_shape", setup=cxr)
    notebook("cls-landmarks-68x2-against-flat-head-notebook", "data.label_shape", setup=faces)
    script("cls-label-column-float64-genfromtxt-blank-cells", "data.dtype", setup=birds)

    # missing / corrupt files -------------------------------------------------------------------------------
    script("coco-json-windows-backslash-file-names-workers", "data.missing_or_corrupt",
           forms=("cpython_basic", "dataloader_worker"), setup=windows_coco)
    notebook("voc-xml-unescaped-ampersand-notebook", "data.missing_or_corrupt", forms=("ipython_cell",),
             setup=voc_set("data/lot", n=4, path=amp_path))
    script("read-image-zero-byte-files-workers", "data.missing_or_corrupt",
           forms=("cpython_basic", "dataloader_worker"),
           setup=imgs(class_folder("flowers/train", ["daisy", "rose", "tulip"], 4)
                      + [("flowers/train/rose/rose_download_17.jpg", (1, 1), "empty")]))
    script("read-image-tiff-microscopy", "data.missing_or_corrupt", setup=nuclei)
    notebook("read-image-truncated-png-notebook", "data.missing_or_corrupt", setup=truncated_pngs)
    script("coco-annotations-json-cut-short", "data.missing_or_corrupt", setup=cut_json)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
