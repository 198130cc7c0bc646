"""A sixty-fifth held-out set (g124, scored 1.00 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: teachers and students in a computer-vision course whose assignment is "train a custom detector with
ImageAI 3, then reproduce it in plain PyTorch": datasets built by the class from phone photos, labelled with
LabelImg (VOC XML or YOLO txt) or exported from Roboflow, ``DetectionModelTrainer`` runs, ``CustomObjectDetection``
on webcam frames, then a torchvision Faster R-CNN or a hand-written YOLO / YOLOv1 loss on the same data. A natural
mix of causes, each program built so that its cause is known by construction and made to fail inside ImageAI,
torch, torchvision, NumPy, SciPy or OpenCV; none a repeat of the scenarios in the other generators:

- ImageAI 3 trainer: a one-experiment smoke test (``num_experiments=1``, the linear LR lambda divides by
  ``epochs - 1``, model.api_misuse), LabelImg left on its default PascalVOC format so ``annotations`` holds only
  XML files (anchor k-means on no boxes, data.missing_or_corrupt), a Roboflow YOLOv5 export whose ``labels`` were
  renamed to ``annotations`` but whose ``valid`` split was not renamed to ``validation`` (data.missing_or_corrupt),
  a class's VOC-to-YOLO converter that maps an unknown class name ("Helmet ") to ``-1`` (ImageAI's box assertion,
  data.label_out_of_range);
- ImageAI 3 inference and ImageAI's models in the students' code: an FPS helper around ``detectObjectsFromImage``
  calling ``torch.cuda.synchronize`` on a laptop (env.cuda_setup), a webcam frame given to ``YoloV3Tiny`` without
  a batch axis (model.input_shape), the trained TinyYOLOv3 rebuilt without ``num_classes`` (COCO's 80) for the
  PyTorch fine-tune (model.weights_mismatch), a hand-written copy of ImageAI's class loss whose BCE target is
  the class index (tqdm, data.label_shape), a Roboflow export made with the "Grayscale" preprocessing step read
  with ``read_image`` for ``YoloV3Tiny`` (tqdm, data.image_channels), an aspect-keeping phone-photo resize without
  the letterbox padding (in workers, data.image_size_mismatch), ImageAI's ``ap_per_class`` reused to score the
  Faster R-CNN under NumPy 2 (``np.trapz``, env.version_incompat);
- torchvision Faster R-CNN reproduction: class ids read from YOLO txt with ``np.loadtxt`` (float64 labels,
  data.dtype), a one-mug-per-photo Roboflow export batched by the default collate (a dict of targets,
  model.api_misuse), ``min_size`` / ``max_size`` set to the phone resolution under the course server's memory
  limit (resource.host_memory), the epoch loss accumulated and back-propagated instead of the step loss (tqdm,
  optim.autograd_graph), Faster R-CNN boxes drawn on a webcam frame with ``cv2.rectangle`` as floats (notebook,
  model.api_misuse);
- hand-written YOLO: the YOLOv1 tutorial network (448 px, 7 x 7 grid, fully connected head) fed ImageAI's 416 px
  letterbox (model.input_shape), the YOLOv1 paper's summed squared error trained with SGD at 1e-2 without the
  paper's warm-up, under anomaly mode (tqdm, optim.divergence), a YOLOX-style decoupled head whose class branch is
  skipped for the one-class subset like ImageAI's ``if nc > 1`` under torchrun DDP (env.distributed), the Dataset
  class defined in a notebook with DataLoader workers on a macOS-style ``spawn`` context (notebook,
  env.multiprocessing).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more65.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from pathlib import Path

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more65.py"

SCRIPTS = {}
CELLS = {}


def boxes(nc=2, base=0):
    """YOLO rows (class cx cy w h, normalised), two boxes of varied size per image"""
    def rows(split, i):
        a = base + i % nc
        b = base + (i + 1) % nc
        return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
                f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")
    return rows


def one_box(split, i):
    return f"0 0.{40 + i % 9} 0.{45 + i % 7} 0.{25 + 2 * (i % 5)} 0.{30 + 3 * (i % 4)}\n"


VOC_XML = """<annotation>
\t<folder>images</folder>
\t<filename>{fn}</filename>
\t<path>C:\\Users\\student\\Desktop\\{proj}\\{split}\\images\\{fn}</path>
\t<source>
\t\t<database>Unknown</database>
\t</source>
\t<size>
\t\t<width>{w}</width>
\t\t<height>{h}</height>
\t\t<depth>3</depth>
\t</size>
\t<segmented>0</segmented>
{objs}</annotation>
"""

VOC_OBJ = """\t<object>
\t\t<name>{name}</name>
\t\t<pose>Unspecified</pose>
\t\t<truncated>0</truncated>
\t\t<difficult>0</difficult>
\t\t<bndbox>
\t\t\t<xmin>{x1}</xmin>
\t\t\t<ymin>{y1}</ymin>
\t\t\t<xmax>{x2}</xmax>
\t\t\t<ymax>{y2}</ymax>
\t\t</bndbox>
\t</object>
"""


def voc_layout(root, names, splits=(("train", 6), ("validation", 2)), size=(320, 240), ann="annotations",
               odd=None):
    """LabelImg's default PascalVOC output: root/<split>/images/*.jpg + root/<split>/<ann>/*.xml.
    `odd` maps (split, i) -> a replacement name for the second object (a typo made while labelling)."""
    def setup(work: Path) -> None:
        w, h = size
        make_images(work, [(f"{root}/{s}/images/IMG_{s[:1]}{i:04d}.jpg", size, "RGB") for s, n in splits
                           for i in range(n)])
        for s, n in splits:
            d = work / root / s / ann
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                objs = [VOC_OBJ.format(name=names[i % len(names)], x1=20 + 7 * i, y1=30 + 5 * i, x2=120 + 9 * i,
                                       y2=150 + 4 * i)]
                second = (odd or {}).get((s, i), names[(i + 1) % len(names)])
                objs.append(VOC_OBJ.format(name=second, x1=160 + 3 * i, y1=40 + 6 * i, x2=230 + 8 * i, y2=200))
                fn = f"IMG_{s[:1]}{i:04d}.jpg"
                (d / f"IMG_{s[:1]}{i:04d}.xml").write_text(
                    VOC_XML.format(fn=fn, proj=root, split=s, w=w, h=h, objs="".join(objs)))
    return setup


VIDEO_PREP = '''
import cv2
import numpy as np

rng = np.random.default_rng(5)
out = cv2.VideoWriter("@@NAME@@", cv2.VideoWriter_fourcc(*"MJPG"), 10, (@@W@@, @@H@@))
base = rng.integers(0, 256, (@@H@@, @@W@@, 3), dtype=np.uint8)
for i in range(@@N@@):
    out.write(np.roll(base, 6 * i, axis=1))
out.release()
'''


def video(name, w=320, h=240, n=5):
    return prep(sub(VIDEO_PREP, NAME=name, W=str(w), H=str(h), N=str(n)))


# ================================================================== ImageAI 3 trainer
SCRIPTS["imageai-det-train-one-experiment-smoke-test"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# lab 5, step 1: "check that your data set and config work end to end before the overnight run"
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhats")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=1)
trainer.trainModel()
'''

SCRIPTS["imageai-det-train-labelimg-default-pascalvoc-xml"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# group 3: 8 phone photos of the lab's mugs and bottles, labelled in LabelImg and saved into annotations/
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="mugs_bottles")
trainer.setTrainConfig(object_names_array=["mug", "bottle"], batch_size=4, num_experiments=40)
trainer.trainModel()
'''

SCRIPTS["imageai-det-train-roboflow-yolov5-export-valid-split"] = '''
import os

from imageai.Detection.Custom import DetectionModelTrainer

DATA = "bike_racks"   # Roboflow export, format "YOLOv5 PyTorch"

# ImageAI wants <split>/annotations, Roboflow writes <split>/labels
for split in ("train", "valid", "test"):
    src = os.path.join(DATA, split, "labels")
    if os.path.isdir(src):
        os.rename(src, os.path.join(DATA, split, "annotations"))

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["bike", "empty_rack"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''


def roboflow_yolov5(root, rows, splits=(("train", 6), ("valid", 2), ("test", 2)), size=(416, 416), mode="RGB",
                    names=("bike", "empty_rack")):
    def setup(work: Path) -> None:
        make_images(work, [(f"{root}/{s}/images/IMG_{2210 + 13 * i}_jpg.rf.{(i * 2654435761 + n) % 16 ** 8:08x}.jpg",
                            size, mode) for s, n in splits for i in range(n)])
        for s, n in splits:
            d = work / root / s / "labels"
            d.mkdir(parents=True, exist_ok=True)
            for i in range(n):
                (d / f"IMG_{2210 + 13 * i}_jpg.rf.{(i * 2654435761 + n) % 16 ** 8:08x}.txt").write_text(rows(s, i))
        (work / root / "data.yaml").write_text(
            "train: ../train/images\nval: ../valid/images\ntest: ../test/images\n\n"
            f"nc: {len(names)}\nnames: {list(names)}\n")
        (work / root / "README.roboflow.txt").write_text("Exported via roboflow.com\n")
    return setup


SCRIPTS["imageai-det-train-converter-unknown-class-minus-one"] = '''
import glob
import os
import xml.etree.ElementTree as ET

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["helmet", "vest"]
CLASS_IDS = {name: i for i, name in enumerate(CLASSES)}
DATA = "site_safety"

# the TA's converter: LabelImg VOC XML (annotations_xml/) -> YOLO txt (annotations/)
for split in ("train", "validation"):
    os.makedirs(os.path.join(DATA, split, "annotations"), exist_ok=True)
    for xml_path in glob.glob(os.path.join(DATA, split, "annotations_xml", "*.xml")):
        root = ET.parse(xml_path).getroot()
        w = float(root.find("size/width").text)
        h = float(root.find("size/height").text)
        rows = []
        for obj in root.iter("object"):
            cls = CLASS_IDS.get(obj.find("name").text, -1)
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            rows.append(f"{cls} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} {(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        name = os.path.splitext(os.path.basename(xml_path))[0]
        with open(os.path.join(DATA, split, "annotations", name + ".txt"), "w") as f:
            f.write("\\n".join(rows) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=60)
trainer.trainModel()
'''

# ================================================================== ImageAI 3 inference / ImageAI models in own code
SCRIPTS["imageai-custom-detect-fps-helper-cuda-synchronize-laptop"] = '''
import time

import cv2
import torch
from imageai.Detection.Custom import CustomObjectDetection


def timed(fn, *args, **kwargs):
    """wall time of one call; synchronize so that queued GPU work is counted (from the benchmarking handout)"""
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    torch.cuda.synchronize()
    return out, time.perf_counter() - t0


detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhats/models/tiny-yolov3_hardhats_last.pt")
detector.setJsonPath("hardhats/json/hardhats_tiny-yolov3_detection_config.json")
detector.loadModel()

cap = cv2.VideoCapture("webcam_lab_b12.avi")   # the webcam clip every group reports FPS on
times = []
while True:
    ok, frame = cap.read()
    if not ok:
        break
    (annotated, detections), dt = timed(detector.detectObjectsFromImage, input_image=frame,
                                        output_type="array", minimum_percentage_probability=40)
    times.append(dt)
cap.release()
print(f"{len(times) / sum(times):.1f} FPS")
'''

SCRIPTS["imageai-tiny-yolov3-webcam-frame-without-batch-axis"] = '''
import json

import cv2
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions

cfg = json.load(open("hardhats/json/hardhats_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("hardhats/models/tiny-yolov3_hardhats_last.pt", map_location="cpu"))
model.eval()

frame = cv2.imread("webcam_snapshot.jpg")                  # 640 x 480 BGR from the lab webcam
rgb = cv2.cvtColor(cv2.resize(frame, (416, 416)), cv2.COLOR_BGR2RGB)
x = torch.from_numpy(rgb).permute(2, 0, 1).float() / 255.0  # C, H, W

with torch.no_grad():
    out = model(x)
dets = get_predictions(out, num_classes=len(cfg["labels"]), objectness_confidence=0.5, nms_confidence_level=0.4)
print(dets)
'''

SCRIPTS["imageai-tiny-yolov3-rebuilt-without-num-classes"] = '''
import json

import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# part 2 of the assignment: start from the ImageAI run and continue in our own PyTorch loop
cfg = json.load(open("pedestrians/json/pedestrians_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"])
state = torch.load("pedestrians/models/tiny-yolov3_pedestrians_mAP-0.48113_epoch-37.pt", map_location="cpu")
model.load_state_dict(state)
print("loaded", sum(p.numel() for p in model.parameters()), "parameters")
'''

SCRIPTS["imageai-own-class-loss-bce-index-targets-tqdm"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from tqdm import tqdm
from imageai.Detection.Custom.yolo.compute_loss import build_targets
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

cfg = json.load(open("fruit/json/fruit_tiny-yolov3_detection_config.json"))
NC = len(cfg["labels"])
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=NC)
model.load_state_dict(torch.load("fruit/models/tiny-yolov3_fruit_last.pt", map_location="cpu"))

ds = LoadImagesAndLabels("fruit", train=True)
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=ds.collate_fn)
bce = nn.BCEWithLogitsLoss()
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)


def my_loss(layers, targets):
    """task 2b: re-implement the objectness and class terms of ImageAI's compute_loss"""
    preds = [layer.pred for layer in layers]
    tcls, tbox, indices, anch = build_targets(preds, targets, layers)
    lobj, lcls = torch.zeros(1), torch.zeros(1)
    for i, p in enumerate(preds):
        b, a, gj, gi = indices[i]
        tobj = torch.zeros_like(p[..., 0])
        tobj[b, a, gj, gi] = 1.0
        lobj = lobj + bce(p[..., 4], tobj)
        if len(b):
            ps = p[b, a, gj, gi]
            lcls = lcls + bce(ps[:, 5:], tcls[i].float())
    return lobj + lcls


model.train()
for epoch in range(3):
    for imgs, targets in tqdm(loader, desc=f"epoch {epoch}"):
        model(imgs)
        loss = my_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["imageai-tiny-yolov3-roboflow-grayscale-export-read-image-tqdm"] = '''
import glob
import json
import os

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from tqdm import tqdm
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny


class RoboflowYolo(Dataset):
    """Roboflow "YOLOv5 PyTorch" export (preprocessing: auto-orient, resize 416x416, grayscale)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.root = root

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = read_image(self.images[i]).float() / 255.0
        name = os.path.splitext(os.path.basename(self.images[i]))[0]
        rows = torch.tensor([[float(v) for v in line.split()]
                             for line in open(os.path.join(self.root, "labels", name + ".txt")) if line.strip()])
        return img, torch.cat([torch.zeros(len(rows), 1), rows], 1)


def collate(batch):
    imgs, targets = zip(*batch)
    for i, t in enumerate(targets):
        t[:, 0] = i
    return torch.stack(imgs), torch.cat(targets)


cfg = json.load(open("scooters/json/scooters_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("scooters/models/tiny-yolov3_scooters_last.pt", map_location="cpu"))
loader = DataLoader(RoboflowYolo("scooters-4/train"), batch_size=4, shuffle=True, collate_fn=collate)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)

model.train()
for epoch in range(5):
    for imgs, targets in tqdm(loader, desc=f"epoch {epoch + 1}"):
        model(imgs)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["own-yolo-phone-photos-aspect-resize-without-pad-workers"] = '''
import glob
import os

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

IMG = 416


class PhonePhotos(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = cv2.imread(self.images[i])[:, :, ::-1]
        h, w = img.shape[:2]
        scale = IMG / max(h, w)                 # longest side to 416, keep the aspect ratio
        img = cv2.resize(img, (round(w * scale), round(h * scale)))
        label_path = self.images[i].replace("images", "annotations").rsplit(".", 1)[0] + ".txt"
        rows = np.loadtxt(label_path, ndmin=2).astype(np.float32)
        return torch.from_numpy(img.copy()).permute(2, 0, 1).float() / 255.0, torch.from_numpy(rows)


def collate(batch):
    imgs, labels = zip(*batch)
    return torch.stack(imgs), [torch.cat([torch.full((len(l), 1), float(i)), l], 1) for i, l in enumerate(labels)]


if __name__ == "__main__":
    loader = DataLoader(PhonePhotos("campus_signs/train"), batch_size=4, shuffle=True, num_workers=2,
                        collate_fn=collate)
    for epoch in range(2):
        for imgs, targets in loader:
            print(imgs.shape, sum(len(t) for t in targets))
'''

SCRIPTS["imageai-ap-per-class-scores-fasterrcnn-numpy2"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.ops import box_iou
from torchvision.transforms.functional import to_tensor
from imageai.Detection.Custom.yolo.metric import ap_per_class

# part 3: score the Faster R-CNN with the same mAP code ImageAI's trainer uses
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
model.load_state_dict(torch.load("checkpoints/frcnn_mugs_epoch20.pt", map_location="cpu"))
model.eval()

iouv = torch.linspace(0.5, 0.95, 10)
stats = []
for path in sorted(glob.glob("mugs/validation/images/*.jpg")):
    img = Image.open(path).convert("RGB")
    w, h = img.size
    rows = np.loadtxt(path.replace("images", "annotations").rsplit(".", 1)[0] + ".txt", ndmin=2)
    gt = torch.tensor(rows[:, 1:], dtype=torch.float32)
    gt = torch.stack([(gt[:, 0] - gt[:, 2] / 2) * w, (gt[:, 1] - gt[:, 3] / 2) * h,
                      (gt[:, 0] + gt[:, 2] / 2) * w, (gt[:, 1] + gt[:, 3] / 2) * h], 1)
    with torch.no_grad():
        out = model([to_tensor(img)])[0]
    iou = box_iou(out["boxes"], gt) if len(out["boxes"]) else torch.zeros(0, len(gt))
    best = iou.max(1).values if len(gt) and len(out["boxes"]) else torch.zeros(len(out["boxes"]))
    correct = (best[:, None] >= iouv[None]).numpy()
    stats.append((correct, out["scores"].numpy(), (out["labels"] - 1).numpy(), rows[:, 0]))

tp, conf, pred_cls, target_cls = (np.concatenate(x, 0) for x in zip(*stats))
p, r, ap, f1, classes = ap_per_class(tp, conf, pred_cls, target_cls)
print(f"mAP@0.5 {ap[:, 0].mean():.4f}  mAP@0.5:0.95 {ap.mean():.4f}")
'''

FRCNN_CKPT = '''
import os
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
m = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=@@NC@@)
torch.save(m.state_dict(), "checkpoints/@@NAME@@")
'''

# ================================================================== torchvision Faster R-CNN reproduction
SCRIPTS["fasterrcnn-yolo-txt-class-ids-float64"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms.functional import to_tensor

CLASSES = ["helmet", "head"]


class YoloTxtDetection(Dataset):
    """the ImageAI data set (images/ + annotations/*.txt) for torchvision: pixel xyxy boxes, labels 1..N"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        w, h = img.size
        ann = self.images[i].replace("images", "annotations").rsplit(".", 1)[0] + ".txt"
        rows = np.loadtxt(ann, ndmin=2)
        cx, cy, bw, bh = rows[:, 1] * w, rows[:, 2] * h, rows[:, 3] * w, rows[:, 4] * h
        boxes = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], 1)
        target = {"boxes": torch.as_tensor(boxes, dtype=torch.float32),
                  "labels": torch.from_numpy(rows[:, 0] + 1)}      # 0 is background in torchvision
        return to_tensor(img), target


ds = YoloTxtDetection("hardhats/train")
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES) + 1)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)

model.train()
for epoch in range(10):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, float(loss))
'''

SCRIPTS["fasterrcnn-one-mug-per-photo-default-collate"] = '''
import glob
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms.functional import to_tensor


class MugDataset(Dataset):
    """Roboflow export (resize: stretch to 416x416), every student photographed one mug per picture"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = to_tensor(Image.open(self.images[i]).convert("RGB"))
        name = os.path.basename(self.images[i]).rsplit(".", 1)[0]
        c, cx, cy, w, h = map(float, open(os.path.join(os.path.dirname(os.path.dirname(self.images[i])),
                                                       "labels", name + ".txt")).read().split())
        box = torch.tensor([[cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]]) * 416
        return img, {"boxes": box, "labels": torch.tensor([int(c) + 1])}


loader = DataLoader(MugDataset("mugs-2/train"), batch_size=4, shuffle=True)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

model.train()
for epoch in range(10):
    for images, targets in loader:
        loss_dict = model(images, targets)
        loss = sum(loss_dict.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

SCRIPTS["fasterrcnn-phone-resolution-min-size-memory-limit"] = '''
import glob
import resource

import torch
from PIL import Image
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms.functional import to_tensor

# what each student's pod on the course JupyterHub gets
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (3 * 1024 ** 3, hard))

# the screws are tiny: keep the full 12 MP phone resolution instead of torchvision's 800 / 1333
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=3, min_size=3024, max_size=4032)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)

paths = sorted(glob.glob("screws/train/images/*.jpg"))
images = [to_tensor(Image.open(p).convert("RGB")) for p in paths[:2]]
targets = [{"boxes": torch.tensor([[1200.0, 900.0, 1420.0, 1090.0], [2500.0, 1800.0, 2610.0, 1950.0]]),
            "labels": torch.tensor([1, 2])} for _ in images]

model.train()
loss_dict = model(images, targets)
loss = sum(loss_dict.values())
loss.backward()
opt.step()
print({k: round(v.item(), 4) for k, v in loss_dict.items()})
'''

PHONE_PREP = '''
import os
import cv2
import numpy as np

os.makedirs("screws/train/images", exist_ok=True)
rng = np.random.default_rng(0)
for i in range(2):
    small = rng.integers(0, 256, (378, 504, 3), dtype=np.uint8)
    cv2.imwrite(f"screws/train/images/PXL_2024091{i}_10{i}233.jpg", cv2.resize(small, (4032, 3024)))
'''

SCRIPTS["fasterrcnn-epoch-loss-accumulated-backward-tqdm"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms.functional import to_tensor
from tqdm import tqdm


class SignsDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        w, h = img.size
        rows = np.loadtxt(self.images[i].replace("images", "annotations").rsplit(".", 1)[0] + ".txt", ndmin=2)
        b = rows[:, 1:] * [w, h, w, h]
        boxes = np.stack([b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2, b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2], 1)
        return to_tensor(img), {"boxes": torch.tensor(boxes, dtype=torch.float32),
                                "labels": torch.tensor(rows[:, 0], dtype=torch.int64) + 1}


loader = DataLoader(SignsDataset("campus_signs/train"), batch_size=2, shuffle=True,
                    collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)

for epoch in range(10):
    model.train()
    epoch_loss = 0
    pbar = tqdm(loader, desc=f"epoch {epoch + 1}")
    for images, targets in pbar:
        loss_dict = model(list(images), list(targets))
        losses = sum(loss_dict.values())
        epoch_loss += losses
        opt.zero_grad()
        epoch_loss.backward()
        opt.step()
        pbar.set_postfix(loss=f"{losses.item():.3f}")
    print(f"epoch {epoch + 1}: mean loss {epoch_loss.item() / len(loader):.4f}")
'''

CELLS["fasterrcnn-webcam-boxes-cv2-rectangle-floats-notebook"] = [
    '''import cv2
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms.functional import to_tensor

CLASSES = ["__background__", "mug", "bottle"]
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/frcnn_mugs_bottles_best.pt", map_location="cpu"))
model.eval();''',
    '''frame = cv2.imread("webcam_capture.jpg")          # grabbed from the lab webcam in the cell above
with torch.no_grad():
    pred = model([to_tensor(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))])[0]
len(pred["boxes"])''',
    '''for box, label, score in zip(pred["boxes"], pred["labels"], pred["scores"]):
    if score < 0.3:
        continue
    x1, y1, x2, y2 = box.tolist()
    cv2.rectangle(frame, (x1, y1), (x2, y2), (0, 255, 0), 2)
    cv2.putText(frame, f"{CLASSES[label]} {score:.2f}", (x1, y1 - 5), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 255, 0), 1)
cv2.imwrite("webcam_capture_detected.jpg", frame)''',
]

# ================================================================== hand-written YOLO
YOLOV1_NET = '''
import torch
import torch.nn as nn

S, B, C = 7, 2, 3


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout),
                         nn.LeakyReLU(0.1), nn.MaxPool2d(2, 2))


class YoloV1(nn.Module):
    """the YOLOv1 tutorial network, slimmed for the lab machines: 448 x 448 in, S x S x (C + 5B) out"""

    def __init__(self):
        super().__init__()
        self.darknet = nn.Sequential(block(3, 16), block(16, 32), block(32, 64), block(64, 128),
                                     block(128, 256), block(256, 1024))
        self.fcs = nn.Sequential(nn.Flatten(), nn.Linear(1024 * S * S, 496), nn.Dropout(0.0), nn.LeakyReLU(0.1),
                                 nn.Linear(496, S * S * (C + B * 5)))

    def forward(self, x):
        return self.fcs(self.darknet(x)).view(-1, S, S, C + B * 5)
'''

SCRIPTS["yolov1-tutorial-net-448-fed-imageai-416-letterbox"] = YOLOV1_NET + '''

import glob

import cv2
from imageai.yolov3.utils import prepare_image

# same preprocessing as the ImageAI half of the assignment, so both models see identical inputs
paths = sorted(glob.glob("hardhats/train/images/*.jpg"))[:4]
batch = torch.cat([prepare_image(cv2.imread(p), (416, 416)) for p in paths])

model = YoloV1()
out = model(batch)
print(out.shape)
'''

SCRIPTS["yolov1-summed-squared-error-sgd-no-warmup-anomaly-tqdm"] = YOLOV1_NET + '''

import glob

import cv2
import numpy as np
from imageai.yolov3.utils import prepare_image
from tqdm import tqdm


def encode(rows):
    """YOLO txt rows -> S x S x (C + 5B) target (one box per cell, copied into both predictors)"""
    t = torch.zeros(S, S, C + 5 * B)
    for c, x, y, w, h in rows:
        i, j = min(int(y * S), S - 1), min(int(x * S), S - 1)
        if t[i, j, C] == 0:
            t[i, j, int(c)] = 1
            for k in range(B):
                t[i, j, C + 5 * k: C + 5 * k + 5] = torch.tensor([1, x * S - j, y * S - i, w, h])
    return t


paths = sorted(glob.glob("hardhats/train/images/*.jpg"))
X = torch.cat([prepare_image(cv2.imread(p), (448, 448)) for p in paths])
Y = torch.stack([encode(np.loadtxt(p.replace("images", "annotations")[:-4] + ".txt", ndmin=2)) for p in paths])

torch.autograd.set_detect_anomaly(True)     # the loss printed nan yesterday
torch.manual_seed(0)
model = YoloV1()
# the paper: SGD, momentum 0.9, lr 1e-2 (its warm-up from 1e-3 left out), summed squared error
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9, weight_decay=5e-4)
mse = nn.MSELoss(reduction="sum")
LAMBDA_COORD, LAMBDA_NOOBJ = 5.0, 0.5

for epoch in range(50):
    pbar = tqdm(range(0, len(X), 2), desc=f"epoch {epoch}")
    for s in pbar:
        x, y = X[s:s + 2], Y[s:s + 2]
        p = model(x)
        obj = y[..., C:C + 1]
        box = mse(obj * p[..., C + 1:C + 3], obj * y[..., C + 1:C + 3]) + \\
            mse(obj * p[..., C + 3:C + 5], obj * y[..., C + 3:C + 5])
        conf = mse(obj * p[..., C:C + 1], obj) + LAMBDA_NOOBJ * mse((1 - obj) * p[..., C:C + 1], torch.zeros_like(obj))
        cls = mse(obj * p[..., :C], y[..., :C])
        loss = (LAMBDA_COORD * box + conf + cls) / len(x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=loss.item())
'''

SCRIPTS["own-yolo-decoupled-head-one-class-ddp-torchrun"] = '''
import glob
import os

import cv2
import numpy as np
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP
from imageai.yolov3.utils import prepare_image

dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()
CLASSES = ["pothole"]       # the one-class subset of the road-damage set
NC = len(CLASSES)


def conv(cin, cout, s=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, s, 1, bias=False), nn.BatchNorm2d(cout), nn.SiLU())


class DecoupledYolo(nn.Module):
    """stride-32 backbone + YOLOX-style decoupled head (box/objectness branch and class branch)"""

    def __init__(self, nc, na=3):
        super().__init__()
        self.na, self.nc = na, nc
        self.backbone = nn.Sequential(conv(3, 16, 2), conv(16, 32, 2), conv(32, 64, 2), conv(64, 128, 2), conv(128, 128, 2))
        self.reg = nn.Sequential(conv(128, 64), nn.Conv2d(64, na * 5, 1))
        self.cls = nn.Sequential(conv(128, 64), nn.Conv2d(64, na * nc, 1))

    def forward(self, x):
        f = self.backbone(x)
        return self.reg(f), self.cls(f)


def loss_fn(reg, cls, targets):
    n, _, g, _ = reg.shape
    reg = reg.view(n, 3, 5, g, g)
    tobj = torch.zeros(n, 3, g, g)
    lbox = reg.sum() * 0
    for b, c, x, y, w, h in targets.tolist():
        i, j = min(int(y * g), g - 1), min(int(x * g), g - 1)
        tobj[int(b), :, i, j] = 1
        lbox = lbox + F.mse_loss(reg[int(b), :, :4, i, j].sigmoid(), torch.tensor([x * g - j, y * g - i, w, h]).expand(3, 4))
    lobj = F.binary_cross_entropy_with_logits(reg[:, :, 4], tobj)
    lcls = torch.zeros(())
    if NC > 1:      # same as ImageAI's compute_loss: no class term for a single class
        lcls = F.binary_cross_entropy_with_logits(cls, torch.zeros_like(cls))
    return lbox + lobj + lcls


paths = sorted(glob.glob("potholes/train/images/*.jpg"))[rank::world]
torch.manual_seed(0)
model = DDP(DecoupledYolo(NC))
opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)

for epoch in range(3):
    for s in range(0, len(paths), 2):
        chunk = paths[s:s + 2]
        x = torch.cat([prepare_image(cv2.imread(p), (416, 416)) for p in chunk])
        t = torch.cat([torch.cat([torch.full((len(r), 1), float(k)), torch.tensor(r, dtype=torch.float32)], 1)
                       for k, r in enumerate(np.loadtxt(p.replace("images", "annotations")[:-4] + ".txt", ndmin=2)
                                             for p in chunk)])
        reg, cls = model(x)
        loss = loss_fn(reg, cls, t)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if rank == 0:
            print(f"epoch {epoch} step {s // 2}: {loss.item():.4f}", flush=True)
dist.destroy_process_group()
'''

CELLS["notebook-dataset-class-dataloader-workers-spawn-macos"] = [
    '''import glob
import multiprocessing as mp
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms.functional import to_tensor

# the lab machines are Linux; this notebook is run on the students' MacBooks, where Python starts
# worker processes with "spawn"
mp.set_start_method("spawn", force=True)
mp.get_start_method()''',
    '''class HardhatDataset(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((416, 416))
        rows = np.loadtxt(self.images[i].replace("images", "annotations")[:-4] + ".txt", ndmin=2)
        return to_tensor(img), torch.tensor(rows, dtype=torch.float32)


def collate(batch):
    imgs, labels = zip(*batch)
    return torch.stack(imgs), list(labels)


ds = HardhatDataset("hardhats/train")
len(ds)''',
    '''loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate)
for imgs, labels in loader:
    print(imgs.shape, [len(l) for l in labels])''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more65-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    A6 = ANCHORS6
    hardhat_tiny = save_tiny('["helmet", "head"]', 2, "hardhats/models/tiny-yolov3_hardhats_last.pt",
                             "hardhats/json/hardhats_tiny-yolov3_detection_config.json")
    hardhat_data = yolo_layout("hardhats", boxes(2), size=(320, 240), ann="annotations")

    # ---- ImageAI 3 trainer
    script("imageai-det-train-one-experiment-smoke-test", "model.api_misuse", also=["other"], framework="imageai",
           timeout=400, setup=hardhat_data)
    script("imageai-det-train-labelimg-default-pascalvoc-xml", "data.missing_or_corrupt",
           also=["data.too_few_boxes"], framework="imageai",
           setup=voc_layout("mugs_bottles", ["mug", "bottle"]))
    script("imageai-det-train-roboflow-yolov5-export-valid-split", "data.missing_or_corrupt", framework="imageai",
           setup=roboflow_yolov5("bike_racks", boxes(2)))
    script("imageai-det-train-converter-unknown-class-minus-one", "data.label_out_of_range",
           also=["data.bbox_invalid"], framework="imageai", argv="convert_and_train.py",
           setup=voc_layout("site_safety", ["helmet", "vest"], ann="annotations_xml",
                            odd={("train", 3): "Helmet "}))

    # ---- ImageAI inference and ImageAI's models in the students' code
    script("imageai-custom-detect-fps-helper-cuda-synchronize-laptop", "env.cuda_setup",
           also=["env.device_mismatch"], framework="imageai", argv="fps_benchmark.py",
           setup=both(hardhat_tiny, video("webcam_lab_b12.avi", 640, 480, 4)))
    script("imageai-tiny-yolov3-webcam-frame-without-batch-axis", "model.input_shape", argv="webcam_detect.py",
           setup=both(hardhat_tiny, imgs([("webcam_snapshot.jpg", (640, 480), "RGB")])))
    script("imageai-tiny-yolov3-rebuilt-without-num-classes", "model.weights_mismatch", also=["model.api_misuse"],
           argv="finetune_from_imageai.py",
           setup=save_tiny('["pedestrian", "cyclist", "scooter"]', 3,
                           "pedestrians/models/tiny-yolov3_pedestrians_mAP-0.48113_epoch-37.pt",
                           "pedestrians/json/pedestrians_tiny-yolov3_detection_config.json"))
    script("imageai-own-class-loss-bce-index-targets-tqdm", "data.label_shape", forms=P, argv="my_loss.py",
           setup=both(save_tiny('["apple", "banana", "orange"]', 3, "fruit/models/tiny-yolov3_fruit_last.pt",
                                "fruit/json/fruit_tiny-yolov3_detection_config.json"),
                      yolo_layout("fruit", boxes(3), size=(320, 240), splits=(("train", 8),), ann="annotations")))
    script("imageai-tiny-yolov3-roboflow-grayscale-export-read-image-tqdm", "data.image_channels", forms=P,
           argv="train_torch.py",
           setup=both(save_tiny('["scooter", "bike"]', 2, "scooters/models/tiny-yolov3_scooters_last.pt",
                                "scooters/json/scooters_tiny-yolov3_detection_config.json"),
                      roboflow_yolov5("scooters-4", boxes(2), splits=(("train", 8), ("valid", 2)), mode="L",
                                      names=("scooter", "bike"))))
    script("own-yolo-phone-photos-aspect-resize-without-pad-workers", "data.image_size_mismatch", forms=W,
           argv="dataset_check.py",
           setup=yolo_layout("campus_signs", boxes(2), splits=(("train", 8),), ann="annotations",
                             size=lambda s, i: (300, 400) if i % 3 == 1 else (400, 300)))
    script("imageai-ap-per-class-scores-fasterrcnn-numpy2", "env.version_incompat", argv="evaluate_frcnn.py",
           setup=both(prep(sub(FRCNN_CKPT, NC="2", NAME="frcnn_mugs_epoch20.pt")),
                      yolo_layout("mugs", lambda s, i: "0 0.45 0.5 0.3 0.4\n", size=(320, 240),
                                  splits=(("validation", 3),), ann="annotations")))

    # ---- torchvision Faster R-CNN reproduction
    script("fasterrcnn-yolo-txt-class-ids-float64", "data.dtype", argv="train_frcnn.py", setup=hardhat_data)
    script("fasterrcnn-one-mug-per-photo-default-collate", "model.api_misuse", also=["data.label_shape"],
           argv="train_frcnn.py",
           setup=roboflow_yolov5("mugs-2", one_box, splits=(("train", 8), ("valid", 2)), names=("mug",)))
    script("fasterrcnn-phone-resolution-min-size-memory-limit", "resource.host_memory", argv="train_frcnn.py",
           timeout=400, setup=prep(PHONE_PREP))
    script("fasterrcnn-epoch-loss-accumulated-backward-tqdm", "optim.autograd_graph", forms=P,
           argv="train_frcnn.py",
           setup=yolo_layout("campus_signs", boxes(2), size=(320, 240), splits=(("train", 4),), ann="annotations"))
    notebook("fasterrcnn-webcam-boxes-cv2-rectangle-floats-notebook", "model.api_misuse", also=["data.dtype"],
             exception="error",  # cv2.error
             setup=both(prep(sub(FRCNN_CKPT, NC="3", NAME="frcnn_mugs_bottles_best.pt")),
                        imgs([("webcam_capture.jpg", (640, 480), "RGB")])))

    # ---- hand-written YOLO
    script("yolov1-tutorial-net-448-fed-imageai-416-letterbox", "model.input_shape", also=["model.output_mismatch"],
           argv="yolov1.py", setup=hardhat_data)
    script("yolov1-summed-squared-error-sgd-no-warmup-anomaly-tqdm", "optim.divergence", forms=P,
           argv="yolov1_train.py", timeout=400, setup=hardhat_data)
    script("own-yolo-decoupled-head-one-class-ddp-torchrun", "env.distributed", also=["model.api_misuse"],
           timeout=400, exception="RuntimeError",  # the rank's own error; torchrun's ChildFailedError only reports it
           pre=("-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29865"),
           setup=yolo_layout("potholes", lambda s, i: one_box(s, i) + one_box(s, i + 3), size=(320, 240),
                             splits=(("train", 8),), ann="annotations"))
    notebook("notebook-dataset-class-dataloader-workers-spawn-macos", "env.multiprocessing", setup=hardhat_data)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
