"""An eighty-fourth held-out set (g157, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: ecologists and conservation volunteers training detectors and classifiers on camera-trap and drone
wildlife images -- ImageAI 3 (imageai 3.0.3 on PyTorch) custom detection (``DetectionModelTrainer`` /
``CustomObjectDetection``, TinyYOLOv3 / YOLOv3) for about a third of the set, torchvision detectors (Faster R-CNN,
FCOS) and classifiers (ResNet, MobileNet, R3D) for the rest. Their labels come from COCO-Camera-Traps-style JSON
(``images`` with ``seq_id`` / ``location``, image-level ``annotations`` whose ``bbox`` is ``[x, y, w, h]`` pixels,
non-contiguous category ids, an ``empty`` category) and from MegaDetector batch output (``detections`` with string
categories ``"1"/"2"/"3"`` and normalised ``[x_min, y_min, w, h]`` boxes, a confidence threshold); night-time
infrared greyscale frames are mixed with colour ones, triggers come in bursts, empty frames (no animal) are most of
the data, the species list grows from season to season, drone / camera frames are large and the classes are very
imbalanced. A natural mix of causes, each program built so that its cause is known by construction and made to fail
inside ImageAI, torch, torchvision, NumPy, SciPy, PIL, OpenCV or multiprocessing:

- ImageAI trainer: MegaDetector boxes read as corners by a MegaDetector-to-YOLO converter (negative widths,
  data.bbox_invalid); a COCO-Camera-Traps site where nearly every frame is empty, converted to ImageAI txt with the
  empty frames kept as negatives (four boxes for six TinyYOLOv3 anchors, data.too_few_boxes); a season whose
  annotators added two species while the notebook's class list is last season's (IPython, data.label_out_of_range);
  frames kept in per-site sub-folders under ``train/images`` (data.missing_or_corrupt);
- ImageAI inference: a review loop handing ``PIL.Image.open`` frames to the detector, day colour first and then the
  greyscale infrared night frames (data.image_channels); MegaDetector v5's ``md_v5a.0.0.pt`` loaded as an ImageAI
  YOLOv3 (model.weights_mismatch); a burst folder given as ``input_image`` (model.api_misuse); a per-burst majority
  vote taking ``max`` over the detections of empty frames (other);
- torchvision detectors: COCO-Camera-Traps ``[x, y, w, h]`` boxes used as ``[x1, y1, x2, y2]`` in Faster R-CNN,
  with the old ``pretrained=`` arguments (warnings first, data.bbox_invalid); empty frames kept as negatives with
  ``torch.tensor([])`` boxes of shape ``[0]`` in FCOS (tqdm, data.bbox_invalid); a validation pass with the model
  left in training mode after the first epoch (tqdm, model.api_misuse);
- torchvision classifiers: Caltech-Camera-Traps category ids (up to 34) used as class indices for a nine-way head
  (data.label_out_of_range); last season's 8-species checkpoint loaded with ``strict=False`` into the 11-species
  ResNet (model.weights_mismatch); ``read_image`` on greyscale IR frames under a three-value ``Normalize``
  (workers, data.image_channels); five-frame bursts stacked time-first into ``r3d_18`` (model.input_shape);
  MegaDetector crops resized with ``Resize(96)`` and batched (workers, data.image_size_mismatch); class weights
  ``counts.max() // counts`` from ``np.bincount`` (IPython, data.dtype); a burst-consistency term that keeps the
  previous burst's probabilities (optim.autograd_graph); raw 16-bit thermal drone frames into a Poisson count
  regressor with ``clip_grad_norm_(error_if_nonfinite=True)`` (optim.divergence); every 12 MP frame cached as
  float32 under the cluster job's memory limit (tqdm, resource.host_memory); a trail-camera clip dataset holding
  ``cv2.VideoCapture`` objects under ``spawn`` workers (env.multiprocessing); ``np.in1d`` in the target-species
  filter (env.version_incompat); class weights from the new 11-species label file with a head sized from last
  season's config (model.output_mismatch); CCT file names ``.JPG`` read from a resized copy written as ``.jpg``
  (workers, path with spaces, data.missing_or_corrupt).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights built locally).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more84.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more84.py"

SCRIPTS = {}
CELLS = {}

TRAIN_TINY = '''
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=30)
trainer.trainModel()
'''

# ================================================================== ImageAI trainer
SCRIPTS["megadetector-bbox-read-as-corners-to-yolo-txt"] = '''
import json
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

MD_JSON = "md_output/cam03_2023-10_md_v5a.json"
CONF = 0.2                      # MegaDetector threshold recommended for this camera
CLASSES = ["animal", "person"]  # MegaDetector categories "1" and "2"; vehicles are dropped
DATA = "cam03_yolo"

md = json.load(open(MD_JSON))
print(md["info"]["detector"], len(md["images"]), "frames")
for i, im in enumerate(md["images"]):
    split = "validation" if i % 5 == 4 else "train"
    for d in ("images", "annotations"):
        os.makedirs(f"{DATA}/{split}/{d}", exist_ok=True)
    name = os.path.splitext(os.path.basename(im["file"]))[0]
    shutil.copy(os.path.join("cam03", im["file"]), f"{DATA}/{split}/images/{name}.jpg")
    rows = []
    for det in im["detections"]:
        if det["conf"] < CONF or det["category"] == "3":
            continue
        x1, y1, x2, y2 = det["bbox"]            # normalised box corners
        rows.append(f"{int(det['category']) - 1} {(x1 + x2) / 2:.6f} {(y1 + y2) / 2:.6f} "
                    f"{x2 - x1:.6f} {y2 - y1:.6f}")
    # frames without an animal keep an empty label file: they are the negatives
    with open(f"{DATA}/{split}/annotations/{name}.txt", "w") as f:
        f.write("\\n".join(rows))
''' + TRAIN_TINY

MD_CAM03_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(1)
os.makedirs("cam03/100RECNX", exist_ok=True)
os.makedirs("md_output", exist_ok=True)
images = []
for i in range(20):
    name = f"100RECNX/IMG_{i + 1:04d}.JPG"
    night = i % 4 == 3
    arr = rng.integers(0, 256, (150, 200) if night else (150, 200, 3), dtype=np.uint8)
    Image.fromarray(arr).save("cam03/" + name, quality=85)
    dets = []
    if i % 3 == 0:
        x, y = 0.35 + 0.05 * (i % 5), 0.30 + 0.03 * (i % 4)
        dets.append({"category": "1", "conf": round(0.93 - 0.01 * i, 3), "bbox": [round(x, 4), round(y, 4), 0.2125, 0.1833]})
    if i % 7 == 5:
        dets.append({"category": "1", "conf": 0.118, "bbox": [0.6031, 0.1042, 0.0512, 0.0488]})
    images.append({"file": name, "max_detection_conf": max([d["conf"] for d in dets], default=0.0), "detections": dets})
json.dump({"images": images, "detection_categories": {"1": "animal", "2": "person", "3": "vehicle"},
           "info": {"detector": "md_v5a.0.0.pt", "detection_completion_time": "2023-11-02 21:14:09",
                    "format_version": "1.3"}},
          open("md_output/cam03_2023-10_md_v5a.json", "w"), indent=1)
'''

SCRIPTS["cct-site-mostly-empty-frames-tiny-anchor-kmeans"] = '''
import json
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

CCT = "site_B04/site_B04_cct.json"
DATA = "b04_imageai"
cct = json.load(open(CCT))
names = {c["id"]: c["name"] for c in cct["categories"]}
CLASSES = [names[k] for k in sorted(names) if names[k] != "empty"]
images = {im["id"]: im for im in cct["images"]}
rows = {i: [] for i in images}
for a in cct["annotations"]:
    if names[a["category_id"]] == "empty":
        continue
    im = images[a["image_id"]]
    x, y, w, h = a["bbox"]
    W, H = im["width"], im["height"]
    rows[a["image_id"]].append(f"{CLASSES.index(names[a['category_id']])} {(x + w / 2) / W:.6f} "
                               f"{(y + h / 2) / H:.6f} {w / W:.6f} {h / H:.6f}")

# whole trigger sequences go to one split so that the frames of a burst never leak into validation
n = {"train": 0, "validation": 0}
for iid, im in images.items():
    split = "validation" if int(im["seq_id"].split("_s")[1]) % 4 == 3 else "train"
    for d in ("images", "annotations"):
        os.makedirs(f"{DATA}/{split}/{d}", exist_ok=True)
    stem = im["file_name"].replace("/", "_").rsplit(".", 1)[0]
    shutil.copy(os.path.join("site_B04", im["file_name"]), f"{DATA}/{split}/images/{stem}.jpg")
    with open(f"{DATA}/{split}/annotations/{stem}.txt", "w") as f:      # empty frames: empty file (negatives)
        f.write("\\n".join(rows[iid]))
    n[split] += 1
print(n, "frames;", sum(len(r) for r in rows.values()), "boxes;", CLASSES)
''' + TRAIN_TINY

CCT_B04_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(2)
cats = [{"id": 0, "name": "empty"}, {"id": 1, "name": "roe_deer"}, {"id": 2, "name": "wild_boar"},
        {"id": 3, "name": "red_fox"}]
images, anns = [], []
for s in range(12):
    for f in range(3):
        k = len(images)
        fn = f"B04/2022-08-{1 + s:02d}/IMG_{k + 1:04d}.JPG"
        os.makedirs("site_B04/" + os.path.dirname(fn), exist_ok=True)
        night = s % 3 == 2
        Image.fromarray(rng.integers(0, 256, (150, 200) if night else (150, 200, 3), dtype=np.uint8)).save("site_B04/" + fn)
        iid = f"B04_{k:04d}"
        images.append({"id": iid, "file_name": fn, "width": 200, "height": 150, "location": "B04",
                       "seq_id": f"B04_s{s:03d}", "seq_num_frames": 3, "frame_num": f,
                       "datetime": f"2022-08-{1 + s:02d} 0{s % 6}:1{f}:05"})
        if s in (4, 9) and f < 2:
            anns.append({"id": f"ann_{k:04d}", "image_id": iid, "category_id": 1 if s == 4 else 3,
                         "bbox": [40 + 12 * f + s, 50 + s, 60 - 7 * f + s, 40 + 5 * f]})
        else:
            anns.append({"id": f"ann_{k:04d}", "image_id": iid, "category_id": 0})
json.dump({"info": {"version": "1.0", "description": "Site B04 summer 2022"}, "images": images,
           "annotations": anns, "categories": cats}, open("site_B04/site_B04_cct.json", "w"), indent=1)
'''


def trap2024_rows(split, i):
    return (f"{i % 3} 0.{31 + i % 5} 0.{42 + i % 4} 0.{20 + i % 3} 0.2{5 + i % 4}\n"
            f"{3 + i % 2} 0.6{5 + i % 3} 0.5{5 + i % 2} 0.1{8 + i % 2} 0.2{i % 3}\n")


CELLS["season-species-added-class-list-from-last-season-notebook"] = [
    '''from imageai.Detection.Custom import DetectionModelTrainer

# species of the 2023 project
CLASSES = ["red_fox", "badger", "roe_deer"]''',
    '''import glob
print(len(glob.glob("trap_2024/train/images/*.jpg")), "train /",
      len(glob.glob("trap_2024/validation/images/*.jpg")), "validation frames")''',
    '''trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="trap_2024")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=20)
trainer.trainModel()''',
]

SCRIPTS["frames-kept-in-site-subfolders-under-images"] = '''
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["impala", "zebra", "warthog"]
DATA = "mara_traps"      # train/images/<site>/..., train/annotations/<site>/... : we need to know the site of a frame

for split in ("train", "validation"):
    for site in sorted(os.listdir(f"{DATA}/{split}/images")):
        print(split, site, len(os.listdir(f"{DATA}/{split}/images/{site}")), "frames")
''' + TRAIN_TINY


def mara_setup(work):
    specs = []
    for split, n in (("train", 3), ("validation", 1)):
        for site in ("MR05", "MR11"):
            for i in range(n):
                specs.append((f"mara_traps/{split}/images/{site}/{site}_{i:04d}.jpg", (200, 150), "RGB"))
    make_images(work, specs)
    for rel, _, _ in specs:
        p = work / rel.replace("/images/", "/annotations/").replace(".jpg", ".txt")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("0 0.41 0.52 0.18 0.22\n1 0.72 0.47 0.21 0.3\n")


# ================================================================== ImageAI inference
TRAP = dict(PT="trapcam/models/tiny-yolov3_trapcam_last.pt", JS="trapcam/json/trapcam_tiny-yolov3_detection_config.json")
DET_HEAD = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
'''

SCRIPTS["review-loop-pil-frames-night-ir-greyscale"] = sub(DET_HEAD, **TRAP) + '''
import glob
import os

from PIL import Image

# new SD card: day frames are colour, night frames come from the infrared flash
for p in sorted(glob.glob("new_sd_card/100EK113/*.JPG")):
    img = Image.open(p)
    _, dets = detector.detectObjectsFromImage(input_image=img, output_type="array",
                                              minimum_percentage_probability=60)
    print(os.path.basename(p), img.mode, img.size, len(dets), "detections")
'''

SCRIPTS["megadetector-v5-pt-loaded-as-imageai-yolov3"] = '''
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection

# MegaDetector v5a is a YOLO detector too (animal / person / vehicle): run it through ImageAI like our own model
detector = CustomObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("megadetector/md_v5a.0.0.pt")
detector.setJsonPath("megadetector/md_v5a_imageai.json")
detector.loadModel()

for p in sorted(glob.glob("cam12/*.JPG")):
    _, dets = detector.detectObjectsFromImage(input_image=p, output_type="array", minimum_percentage_probability=20)
    print(os.path.basename(p), [d["name"] for d in dets])
'''

MD_PT_PREP = '''
import json, os, sys, types
import torch
import torch.nn as nn

# yolov5's models/yolo.py as it was when MegaDetector v5a was saved (the checkpoint pickles the whole model)
models = types.ModuleType("models")
yolo = types.ModuleType("models.yolo")


class DetectionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(nn.Conv2d(3, 16, 6, 2, 2), nn.BatchNorm2d(16), nn.SiLU(),
                                   nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.SiLU())
        self.names = {0: "animal", 1: "person", 2: "vehicle"}
        self.stride = torch.tensor([8.0, 16.0, 32.0, 64.0])
        self.yaml = {"nc": 3, "depth_multiple": 1.33, "width_multiple": 1.25}


DetectionModel.__module__ = "models.yolo"
yolo.DetectionModel = DetectionModel
models.yolo = yolo
sys.modules["models"], sys.modules["models.yolo"] = models, yolo
os.makedirs("megadetector", exist_ok=True)
torch.save({"epoch": -1, "best_fitness": None, "model": DetectionModel().half(), "ema": None, "updates": None,
            "optimizer": None, "date": "2022-06-15T11:32:05"}, "megadetector/md_v5a.0.0.pt")
json.dump({"labels": ["animal", "person", "vehicle"],
           "anchors": [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]},
          open("megadetector/md_v5a_imageai.json", "w"))
'''

SCRIPTS["burst-folder-given-as-input-image"] = sub(DET_HEAD, **TRAP) + '''
import glob
import os

# one call per trigger: the burst folder holds the 3 frames of the trigger
summary = {}
bursts = sorted(glob.glob("bursts/*/"))
print(len(bursts), "bursts")
for seq in bursts:
    _, dets = detector.detectObjectsFromImage(input_image=seq, output_type="array",
                                              minimum_percentage_probability=60)
    summary[os.path.basename(seq.rstrip("/"))] = sorted({d["name"] for d in dets})
print(summary)
'''

SCRIPTS["burst-majority-vote-max-over-empty-frame-detections"] = sub(DET_HEAD, **TRAP) + '''
import collections
import glob
import os

# species of a trigger = majority vote of the top detection of each frame of the burst
labels = {}
for seq in sorted(glob.glob("bursts/*/")):
    votes = collections.Counter()
    for frame in sorted(glob.glob(seq + "*.JPG")):
        _, dets = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                  minimum_percentage_probability=70)
        top = max(dets, key=lambda d: d["percentage_probability"])
        votes[top["name"]] += 1
    labels[os.path.basename(seq.rstrip("/"))] = votes.most_common(1)[0][0]
print(labels)
'''

# ================================================================== torchvision detectors
SCRIPTS["cct-bbox-xywh-used-as-xyxy-fasterrcnn"] = '''
import json
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as F

ROOT = "cct_subset"
cct = json.load(open(f"{ROOT}/cct_subset.json"))
cat_ids = sorted(c["id"] for c in cct["categories"] if c["name"] != "empty")
label_of = {cid: i + 1 for i, cid in enumerate(cat_ids)}        # 0 = background
images = {im["id"]: im for im in cct["images"]}
boxes_of = {}
for a in cct["annotations"]:
    if "bbox" in a:
        boxes_of.setdefault(a["image_id"], []).append((a["bbox"], label_of[a["category_id"]]))


class CCTDetection(Dataset):
    def __init__(self):
        self.ids = sorted(boxes_of)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        im = images[self.ids[i]]
        img = F.to_tensor(Image.open(os.path.join(ROOT, im["file_name"])).convert("RGB"))
        objs = boxes_of[self.ids[i]]
        target = {"boxes": torch.tensor([b for b, _ in objs], dtype=torch.float32),
                  "labels": torch.tensor([l for _, l in objs], dtype=torch.int64)}
        return img, target


def collate(batch):
    return tuple(zip(*batch))


loader = DataLoader(CCTDetection(), batch_size=2, shuffle=True, collate_fn=collate)
model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
    pretrained=False, pretrained_backbone=False, num_classes=len(cat_ids) + 1)
opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.005, momentum=0.9)
model.train()
for epoch in range(10):
    for step, (imgs, targets) in enumerate(loader):
        losses = model(list(imgs), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} loss {loss.item():.3f}")
'''

CCT_SUBSET_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(3)
cats = [{"id": 0, "name": "empty"}, {"id": 4, "name": "bobcat"}, {"id": 7, "name": "coyote"}, {"id": 9, "name": "deer"}]
images, anns = [], []
for k in range(8):
    fn = f"loc_0041/IMG_{k + 13:04d}.JPG"
    os.makedirs("cct_subset/loc_0041", exist_ok=True)
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save("cct_subset/" + fn)
    images.append({"id": f"5968c0f9-{k:04d}", "file_name": fn, "width": 320, "height": 240,
                   "seq_id": f"6f04895c-{k // 2:04d}", "location": 41, "frame_num": k % 2})
    if k % 4 == 3:
        anns.append({"id": f"a{k}", "image_id": f"5968c0f9-{k:04d}", "category_id": 0})
        continue
    anns.append({"id": f"a{k}", "image_id": f"5968c0f9-{k:04d}", "category_id": [4, 7, 9][k % 3],
                 "bbox": [118 + 9 * k, 84 + 5 * k, 64 + 3 * k, 47 + 2 * k]})
json.dump({"info": {"version": "1.0"}, "images": images, "annotations": anns, "categories": cats},
          open("cct_subset/cct_subset.json", "w"), indent=1)
'''

SCRIPTS["empty-frames-as-negatives-boxes-shape-0-fcos"] = '''
import glob
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as F
from tqdm import tqdm

SPECIES = ["deer", "boar", "fox"]


class TrapFrames(Dataset):
    """md_labels/frames/*.jpg + md_labels/labels/*.txt (class cx cy w h, normalised) from md_to_yolo.py;
    frames without an animal have an empty label file and stay in as negatives"""
    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "frames", "*.jpg")))
        self.root = root

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).convert("RGB")
        W, H = img.size
        stem = os.path.splitext(os.path.basename(self.paths[i]))[0]
        rows = [[float(v) for v in l.split()] for l in open(os.path.join(self.root, "labels", stem + ".txt"))
                if l.strip()]
        boxes = torch.tensor([[(cx - w / 2) * W, (cy - h / 2) * H, (cx + w / 2) * W, (cy + h / 2) * H]
                              for _, cx, cy, w, h in rows], dtype=torch.float32)
        labels = torch.tensor([int(r[0]) + 1 for r in rows], dtype=torch.int64)
        return F.to_tensor(img), {"boxes": boxes, "labels": labels}


torch.manual_seed(0)
loader = DataLoader(TrapFrames("md_labels"), batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = torchvision.models.detection.fcos_resnet50_fpn(weights=None, weights_backbone=None,
                                                       num_classes=len(SPECIES) + 1, min_size=240, max_size=320)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=1e-4)
model.train()
for epoch in range(5):
    for imgs, targets in tqdm(loader, desc=f"epoch {epoch}"):
        losses = model(list(imgs), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def md_labels_setup(work):
    make_images(work, [(f"md_labels/frames/RCNX{i:04d}.jpg", (320, 240), "RGB") for i in range(20)])
    d = work / "md_labels/labels"
    d.mkdir(parents=True, exist_ok=True)
    for i in range(20):
        rows = f"{i % 3} 0.{40 + i} 0.5{i % 7} 0.2{i % 4} 0.1{5 + i % 3}\n" if i % 5 == 2 else ""
        (d / f"RCNX{i:04d}.txt").write_text(rows)


SCRIPTS["validation-pass-with-model-left-in-train-mode-fasterrcnn"] = '''
import json
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as F
from tqdm import tqdm

MD = json.load(open("md_output/cam07_md_v5a.json"))
CONF = 0.5


class MDFrames(Dataset):
    """MegaDetector animal boxes ([x_min, y_min, w, h], normalised) as training targets for our own detector"""
    def __init__(self, frames):
        self.frames = frames

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        im = self.frames[i]
        img = Image.open(os.path.join("cam07", im["file"])).convert("RGB")
        W, H = img.size
        dets = [d for d in im["detections"] if d["category"] == "1" and d["conf"] >= CONF]
        boxes = torch.tensor([[x * W, y * H, (x + w) * W, (y + h) * H] for x, y, w, h in (d["bbox"] for d in dets)],
                             dtype=torch.float32).reshape(-1, 4)
        return F.to_tensor(img), {"boxes": boxes, "labels": torch.ones(len(dets), dtype=torch.int64)}


frames = [im for im in MD["images"] if im["max_detection_conf"] >= CONF]
train_ds, val_ds = MDFrames(frames[:6]), MDFrames(frames[6:])
collate = lambda b: tuple(zip(*b))  # noqa: E731
train_loader = DataLoader(train_ds, batch_size=2, shuffle=True, collate_fn=collate)
val_loader = DataLoader(val_ds, batch_size=2, collate_fn=collate)

model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                                                           num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)


@torch.no_grad()
def count_detections(model, loader, thr=0.5):
    n = 0
    for imgs, _ in loader:
        for out in model(list(imgs)):
            n += int((out["scores"] > thr).sum())
    return n


for epoch in range(10):
    model.train()
    for imgs, targets in tqdm(train_loader, desc=f"epoch {epoch}"):
        loss = sum(model(list(imgs), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}, val detections {count_detections(model, val_loader)}")
'''

MD_CAM07_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(7)
os.makedirs("cam07", exist_ok=True)
os.makedirs("md_output", exist_ok=True)
images = []
for i in range(14):
    name = f"IMG_{i + 101:04d}.JPG"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save("cam07/" + name)
    dets = []
    if i % 7 != 6:
        dets.append({"category": "1", "conf": round(0.95 - 0.02 * i, 3),
                     "bbox": [round(0.1 + 0.04 * (i % 6), 4), round(0.3 + 0.02 * (i % 5), 4), 0.25, 0.3]})
    images.append({"file": name, "max_detection_conf": max([d["conf"] for d in dets], default=0.0), "detections": dets})
json.dump({"images": images, "detection_categories": {"1": "animal", "2": "person", "3": "vehicle"},
           "info": {"detector": "md_v5a.0.0.pt", "format_version": "1.3"}}, open("md_output/cam07_md_v5a.json", "w"))
'''

# ================================================================== torchvision classifiers
SCRIPTS["caltech-cct-category-ids-as-class-index"] = '''
import json
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

ROOT = "cct_images"
cct = json.load(open("caltech_subset.json"))
NUM_CLASSES = len(cct["categories"])
label_of = {a["image_id"]: a["category_id"] for a in cct["annotations"]}   # one image-level label per frame
print(NUM_CLASSES, "classes:", [c["name"] for c in cct["categories"]])

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class CCTFrames(Dataset):
    def __init__(self, images):
        self.images = images

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        im = self.images[i]
        return tf(Image.open(os.path.join(ROOT, im["file_name"])).convert("RGB")), label_of[im["id"]]


torch.manual_seed(0)
loader = DataLoader(CCTFrames(cct["images"]), batch_size=8, shuffle=True)
model = torchvision.models.mobilenet_v3_small(num_classes=NUM_CLASSES)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(10):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

CALTECH_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(11)
cats = [{"id": 1, "name": "opossum"}, {"id": 3, "name": "raccoon"}, {"id": 5, "name": "rabbit"},
        {"id": 6, "name": "bobcat"}, {"id": 9, "name": "coyote"}, {"id": 11, "name": "deer"},
        {"id": 30, "name": "empty"}, {"id": 33, "name": "car"}, {"id": 34, "name": "squirrel"}]
seq = [30, 30, 1, 30, 30, 34, 30, 9, 30, 30, 3, 30, 30, 11, 30, 5, 30, 30, 6, 33, 30, 30, 30, 30]
images, anns = [], []
for k, c in enumerate(seq):
    fn = f"cct_{k // 6 + 26}/{5858 + k:08x}.jpg"
    os.makedirs("cct_images/" + os.path.dirname(fn), exist_ok=True)
    mode = (120, 160) if k % 3 == 2 else (120, 160, 3)
    Image.fromarray(rng.integers(0, 256, mode, dtype=np.uint8)).save("cct_images/" + fn)
    iid = f"{5858 + k:08x}-23d2-11e8-a6a3-ec086b02610b"
    images.append({"id": iid, "file_name": fn, "width": 160, "height": 120, "location": k // 6 + 26,
                   "seq_id": f"6f{k // 3:06d}", "frame_num": k % 3 + 1, "seq_num_frames": 3})
    anns.append({"id": f"{k:08x}-ann", "image_id": iid, "category_id": c})
json.dump({"info": {"version": "20210725"}, "images": images, "annotations": anns, "categories": cats},
          open("caltech_subset.json", "w"))
'''

SPECIES_2024 = ["badger", "beech_marten", "brown_hare", "domestic_cat", "red_fox", "red_squirrel", "roe_deer",
                "wild_boar", "golden_jackal", "raccoon", "wolf"]

SCRIPTS["season-checkpoint-8-species-into-11-species-strict-false"] = '''
import torch
import torchvision
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("crops_2024/train", transform=tf)
print(len(train_ds), "crops,", len(train_ds.classes), "species:", train_ds.classes)

model = torchvision.models.resnet18(num_classes=len(train_ds.classes))
ckpt = torch.load("checkpoints/resnet18_season2023_best.pth", map_location="cpu")
print("resuming from epoch", ckpt["epoch"], "val acc", ckpt["val_acc"])
# three new species this season: their rows in the head are new anyway, so don't be strict about the head
model.load_state_dict(ckpt["model_state_dict"], strict=False)

loader = torch.utils.data.DataLoader(train_ds, batch_size=8, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for x, y in loader:
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

SEASON_CKPT = '''
import os
import torch, torchvision
os.makedirs("checkpoints", exist_ok=True)
torch.manual_seed(0)
old = ["badger", "beech_marten", "brown_hare", "domestic_cat", "red_fox", "red_squirrel", "roe_deer", "wild_boar"]
torch.save({"epoch": 37, "val_acc": 0.912, "classes": old,
            "model_state_dict": torchvision.models.resnet18(num_classes=len(old)).state_dict()},
           "checkpoints/resnet18_season2023_best.pth")
'''

SCRIPTS["ir-greyscale-read-image-three-value-normalize-workers"] = '''
import csv
import os

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.io import read_image

SPECIES = ["empty", "deer", "boar"]


class TrapFrames(Dataset):
    def __init__(self, root, csv_path, tf):
        self.root, self.tf = root, tf
        self.rows = list(csv.DictReader(open(csv_path)))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = read_image(os.path.join(self.root, r["file"]))        # uint8 CxHxW
        return self.tf(img), SPECIES.index(r["species"])


tf = transforms.Compose([
    transforms.Resize((128, 128), antialias=True),
    transforms.ConvertImageDtype(torch.float32),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
torch.manual_seed(0)
loader = DataLoader(TrapFrames("frames", "frames/labels.csv", tf), batch_size=4, shuffle=True, num_workers=2)
model = torchvision.models.resnet18(num_classes=len(SPECIES))
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(3):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def ir_frames_setup(work):
    specs, rows = [], ["file,species"]
    for i in range(12):
        night = i % 2 == 1
        name = f"2023-06-{1 + i // 4:02d}/IMAG{i + 1:04d}.JPG"
        specs.append((f"frames/{name}", (200, 150), "L" if night else "RGB"))
        rows.append(f"{name},{['empty', 'deer', 'empty', 'boar'][i % 4]}")
    make_images(work, specs)
    (work / "frames/labels.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["five-frame-bursts-time-first-into-r3d18"] = '''
import csv
import glob
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as F

SPECIES = ["deer", "boar", "fox"]


class Bursts(Dataset):
    """one sample = the 5 frames of a trigger (the camera shoots 5-frame bursts), labelled per trigger"""
    def __init__(self, root):
        self.items = [(os.path.join(root, r["burst"]), SPECIES.index(r["species"]))
                      for r in csv.DictReader(open(os.path.join(root, "bursts.csv")))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        d, y = self.items[i]
        frames = [F.to_tensor(Image.open(p).convert("RGB").resize((112, 112))) for p in sorted(glob.glob(d + "/*.JPG"))]
        return torch.stack(frames), y          # (T, C, H, W)


loader = DataLoader(Bursts("bursts"), batch_size=2, shuffle=True)
model = torchvision.models.video.r3d_18(weights=None, num_classes=len(SPECIES))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(5):
    for clips, y in loader:
        print("clips", tuple(clips.shape))
        loss = torch.nn.functional.cross_entropy(model(clips), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def bursts5_setup(work):
    specs, rows = [], ["burst,species"]
    for b in range(4):
        for f in range(5):
            specs.append((f"bursts/trig_{b:03d}/IMG_{5 * b + f + 1:04d}.JPG", (160, 120), "RGB"))
        rows.append(f"trig_{b:03d},{['deer', 'boar', 'fox', 'deer'][b]}")
    make_images(work, specs)
    (work / "bursts/bursts.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["megadetector-crops-resize-int-batched-workers"] = '''
import json
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

SPECIES = ["deer", "boar", "fox", "hare"]
CONF = 0.5


class MDCrops(Dataset):
    """species classifier on MegaDetector crops (the second stage of the camera-trap pipeline)"""
    def __init__(self, md_json, labels_json, tf):
        md = json.load(open(md_json))
        labels = json.load(open(labels_json))         # file -> species, from the volunteers' tagging
        self.items = [(im["file"], d["bbox"], SPECIES.index(labels[im["file"]]))
                      for im in md["images"] for d in im["detections"]
                      if d["category"] == "1" and d["conf"] >= CONF]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        f, (x, y, w, h), label = self.items[i]
        img = Image.open(os.path.join("frames", f)).convert("RGB")
        W, H = img.size
        crop = img.crop((int(x * W), int(y * H), int((x + w) * W), int((y + h) * H)))
        return self.tf(crop), label


tf = transforms.Compose([transforms.Resize(96), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
ds = MDCrops("md_output/season3_md_v5a.json", "season3_labels.json", tf)
print(len(ds), "crops")
loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
model = torchvision.models.mobilenet_v3_small(num_classes=len(SPECIES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

MD_CROPS_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(5)
os.makedirs("frames", exist_ok=True)
os.makedirs("md_output", exist_ok=True)
images, labels = [], {}
for i in range(12):
    name = f"S3_{i + 1:04d}.JPG"
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save("frames/" + name)
    w, h = [(0.3, 0.2), (0.12, 0.35), (0.22, 0.22), (0.4, 0.15)][i % 4]
    images.append({"file": name, "max_detection_conf": 0.9,
                   "detections": [{"category": "1", "conf": 0.9, "bbox": [0.2 + 0.02 * i, 0.3, w, h]}]})
    labels[name] = ["deer", "boar", "fox", "hare"][i % 4]
json.dump({"images": images, "detection_categories": {"1": "animal", "2": "person", "3": "vehicle"},
           "info": {"detector": "md_v5a.0.0.pt"}}, open("md_output/season3_md_v5a.json", "w"))
json.dump(labels, open("season3_labels.json", "w"))
'''

CELLS["class-weights-floor-division-long-tensor-notebook"] = [
    '''import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision.transforms import functional as F

SPECIES = ["empty", "roe_deer", "wild_boar", "red_fox", "badger"]
rows = [l.strip().split(",") for l in open("labels.csv")][1:]
y = np.array([SPECIES.index(s) for _, s in rows])
x = torch.stack([F.to_tensor(Image.open("frames/" + f).convert("RGB").resize((96, 72))) for f, _ in rows])
counts = np.bincount(y, minlength=len(SPECIES))
counts''',
    '''# empty frames are most of the set: weight every class by (largest class / class count)
class_weights = torch.from_numpy(counts.max() // counts)
criterion = nn.CrossEntropyLoss(weight=class_weights)
class_weights''',
    '''model = torchvision.models.resnet18(num_classes=len(SPECIES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for i in range(0, len(x), 8):
        loss = criterion(model(x[i:i + 8]), torch.from_numpy(y[i:i + 8]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]


def imbalance_setup(work):
    sp = ["empty"] * 22 + ["roe_deer", "roe_deer", "roe_deer", "wild_boar", "red_fox", "badger"]
    order = [sp[(11 * k) % len(sp)] for k in range(len(sp))]
    make_images(work, [(f"frames/F{k:04d}.jpg", (120, 90), "RGB") for k in range(len(order))])
    (work / "labels.csv").write_text("file,species\n" + "".join(f"F{k:04d}.jpg,{s}\n" for k, s in enumerate(order)))


SCRIPTS["burst-consistency-term-keeps-previous-burst-probs"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms import functional as F

SPECIES = ["empty", "deer", "boar"]


class Frames(Dataset):
    """frames in trigger order; consecutive bursts of a sequence show the same animal"""
    def __init__(self):
        self.rows = list(csv.DictReader(open("bursts/frames.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return F.to_tensor(Image.open("bursts/" + r["file"]).convert("RGB").resize((96, 96))), SPECIES.index(r["species"])


loader = DataLoader(Frames(), batch_size=3, shuffle=False)      # one batch = one 3-frame burst
model = torchvision.models.resnet18(num_classes=len(SPECIES))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
ce = nn.CrossEntropyLoss()
prev = None
for step, (x, y) in enumerate(loader):
    logits = model(x)
    probs = logits.softmax(1).mean(0)
    loss = ce(logits, y)
    if prev is not None:
        loss = loss + 0.1 * ((probs - prev) ** 2).sum()      # bursts of one sequence should agree
    prev = probs
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"burst {step}: loss {loss.item():.4f}")
'''


def burst3_setup(work):
    rows = ["file,species"]
    specs = []
    for k in range(9):
        specs.append((f"bursts/seq{k // 6:03d}/IMG_{k + 1:04d}.JPG", (128, 96), "RGB"))
        rows.append(f"seq{k // 6:03d}/IMG_{k + 1:04d}.JPG,{['deer', 'deer', 'deer', 'empty', 'empty', 'empty', 'boar', 'boar', 'boar'][k]}")
    make_images(work, specs)
    (work / "bursts/frames.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["thermal-16bit-frames-poisson-count-regressor-nonfinite-grad-norm"] = '''
import csv
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class ThermalFrames(Dataset):
    """radiometric 16-bit frames of the drone's thermal camera + the number of animals counted in each"""
    def __init__(self, root):
        self.root = root
        self.rows = list(csv.DictReader(open(os.path.join(root, "counts.csv"))))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        frame = cv2.imread(os.path.join(self.root, r["file"]), cv2.IMREAD_UNCHANGED).astype(np.float32)
        return torch.from_numpy(frame)[None], torch.tensor(float(r["count"]))


torch.manual_seed(0)
counter = nn.Sequential(
    nn.Conv2d(1, 16, 5, stride=2), nn.ReLU(),
    nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 1),
)
loader = DataLoader(ThermalFrames("thermal"), batch_size=4, shuffle=False)
criterion = nn.PoissonNLLLoss(log_input=True)       # counts: the head predicts the log rate
opt = torch.optim.SGD(counter.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(20):
    for step, (x, count) in enumerate(loader):
        loss = criterion(counter(x).squeeze(1), count)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(counter.parameters(), max_norm=10.0, error_if_nonfinite=True)
        opt.step()
        print(f"epoch {epoch} step {step}: loss {loss.item():.3f}")
'''

THERMAL_PREP = '''
import os
import numpy as np, cv2
rng = np.random.default_rng(8)
os.makedirs("thermal", exist_ok=True)
with open("thermal/counts.csv", "w") as f:
    f.write("file,count\\n")
    for i in range(12):
        frame = rng.integers(28500, 30500, (96, 128)).astype(np.uint16)
        for k in range(i % 5 * 3):
            y, x = rng.integers(4, 90), rng.integers(4, 120)
            frame[y - 3:y + 3, x - 2:x + 2] = 31800
        cv2.imwrite(f"thermal/DJI_{i + 1:04d}_T.png", frame)
        f.write(f"DJI_{i + 1:04d}_T.png,{i % 5 * 3}\\n")
'''

SCRIPTS["cache-every-12mp-frame-float32-job-memory-limit"] = '''
import glob
import resource

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm

# the cluster job's --mem limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 2 * 2 ** 30, resource.RLIM_INFINITY))


class CachedFrames(Dataset):
    """decoding the 12 MP JPEGs was the bottleneck: decode every frame once, up front"""
    def __init__(self, paths):
        self.frames = [np.asarray(Image.open(p).convert("RGB"), dtype=np.float32) / 255.0
                       for p in tqdm(paths, desc="caching frames")]

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        return torch.from_numpy(self.frames[i]).permute(2, 0, 1)


ds = CachedFrames(sorted(glob.glob("survey_2024/*.JPG")))
loader = DataLoader(ds, batch_size=2, shuffle=True)
print(len(ds), "frames cached")
'''

BIGFRAMES_PREP = '''
import os
import numpy as np, cv2
rng = np.random.default_rng(9)
os.makedirs("survey_2024", exist_ok=True)
for i in range(16):
    small = rng.integers(0, 256, (75, 100, 3), dtype=np.uint8)
    cv2.imwrite(f"survey_2024/DSCF{i + 1:04d}.JPG", cv2.resize(small, (4000, 3000), interpolation=cv2.INTER_LINEAR),
                [cv2.IMWRITE_JPEG_QUALITY, 80])
'''

SCRIPTS["trailcam-clip-dataset-holds-videocapture-spawn-workers"] = '''
import glob

import cv2
import torch
import torch.multiprocessing as mp
from torch.utils.data import DataLoader, Dataset


class TrailCamClips(Dataset):
    """every frame of the trail-camera clips; the captures are opened once and seeked per item"""
    def __init__(self, paths, labels):
        self.caps = [cv2.VideoCapture(p) for p in paths]
        self.index = [(c, f) for c, cap in enumerate(self.caps) for f in range(int(cap.get(cv2.CAP_PROP_FRAME_COUNT)))]
        self.labels = labels

    def __len__(self):
        return len(self.index)

    def __getitem__(self, i):
        c, f = self.index[i]
        cap = self.caps[c]
        cap.set(cv2.CAP_PROP_POS_FRAMES, f)
        ok, frame = cap.read()
        x = torch.from_numpy(cv2.resize(frame, (112, 112))).permute(2, 0, 1).float() / 255
        return x, self.labels[c]


if __name__ == "__main__":
    mp.set_start_method("spawn")       # the lab server's CUDA dataloaders need spawn
    paths = sorted(glob.glob("clips/*.AVI"))
    ds = TrailCamClips(paths, [0 if "empty" in p else 1 for p in paths])
    print(len(ds), "frames from", len(paths), "clips")
    loader = DataLoader(ds, batch_size=8, shuffle=True, num_workers=2)
    for epoch in range(2):
        for x, y in loader:
            print(x.shape, y.tolist())
'''

CLIPS_PREP = '''
import os
import numpy as np, cv2
os.makedirs("clips", exist_ok=True)
rng = np.random.default_rng(4)
for name in ("SUNP0001_fox", "SUNP0002_empty", "SUNP0003_badger"):
    w = cv2.VideoWriter(f"clips/{name}.AVI", cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
    for k in range(12):
        w.write(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8))
    w.release()
'''

SCRIPTS["target-species-filter-np-in1d-numpy2"] = '''
import json
import os

import numpy as np
import torch
import torchvision
from PIL import Image
from torch.utils.data import Dataset
from torchvision import transforms

TARGET = ["wild_boar", "roe_deer", "red_fox", "badger", "golden_jackal"]   # grows every season


class TargetSpecies(Dataset):
    def __init__(self, cct_json, root, tf):
        cct = json.load(open(cct_json))
        name_of = {c["id"]: c["name"] for c in cct["categories"]}
        target_ids = np.array([cid for cid, n in name_of.items() if n in TARGET])
        anns = cct["annotations"]
        cat_ids = np.array([a["category_id"] for a in anns])
        keep = np.in1d(cat_ids, target_ids)
        file_of = {im["id"]: im["file_name"] for im in cct["images"]}
        self.items = [(os.path.join(root, file_of[a["image_id"]]), TARGET.index(name_of[a["category_id"]]))
                      for a, k in zip(anns, keep) if k]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, y = self.items[i]
        return self.tf(Image.open(p).convert("RGB")), y


tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
ds = TargetSpecies("project_cct.json", "project_images", tf)
print(len(ds), "frames of the target species")
model = torchvision.models.resnet18(num_classes=len(TARGET))
'''

PROJECT_CCT_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(12)
names = ["empty", "wild_boar", "roe_deer", "red_fox", "badger", "human", "domestic_dog", "golden_jackal"]
cats = [{"id": k, "name": n} for k, n in enumerate(names)]
images, anns = [], []
os.makedirs("project_images/P07", exist_ok=True)
for k in range(10):
    fn = f"P07/IMG_{k + 1:04d}.JPG"
    Image.fromarray(rng.integers(0, 256, (90, 120, 3), dtype=np.uint8)).save("project_images/" + fn)
    images.append({"id": f"P07_{k:04d}", "file_name": fn, "width": 120, "height": 90, "seq_id": f"P07_s{k // 3}"})
    anns.append({"id": f"a{k}", "image_id": f"P07_{k:04d}", "category_id": [0, 1, 0, 2, 0, 3, 6, 0, 4, 7][k]})
json.dump({"images": images, "annotations": anns, "categories": cats}, open("project_cct.json", "w"))
'''

SCRIPTS["class-weights-from-new-label-file-head-from-last-season-config"] = '''
import csv
import json

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

cfg = json.load(open("configs/classifier.json"))
rows = list(csv.DictReader(open("labels_2024.csv")))
species = sorted({r["species"] for r in rows})
y_all = np.array([species.index(r["species"]) for r in rows])
counts = np.bincount(y_all, minlength=len(species))
weights = torch.tensor(len(y_all) / (len(species) * counts), dtype=torch.float32)
print(dict(zip(species, counts.tolist())))

tf = transforms.Compose([transforms.Resize((cfg["img_size"], cfg["img_size"])), transforms.ToTensor()])


class Crops(Dataset):
    def __len__(self):
        return len(rows)

    def __getitem__(self, i):
        return tf(Image.open("crops/" + rows[i]["file"]).convert("RGB")), int(y_all[i])


model = torchvision.models.mobilenet_v3_small(num_classes=len(cfg["species"]))
criterion = nn.CrossEntropyLoss(weight=weights)
opt = torch.optim.AdamW(model.parameters(), lr=cfg["lr"])
for epoch in range(cfg["epochs"]):
    for x, y in DataLoader(Crops(), batch_size=8, shuffle=True):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def grown_species_setup(work):
    import json
    (work / "configs").mkdir(parents=True, exist_ok=True)
    (work / "configs/classifier.json").write_text(json.dumps(
        {"species": SPECIES_2024[:8], "img_size": 96, "lr": 3e-4, "epochs": 15, "arch": "mobilenet_v3_small"},
        indent=2))
    order = [SPECIES_2024[(5 * k) % 11] for k in range(22)]
    make_images(work, [(f"crops/c{k:04d}.jpg", (80, 64), "RGB") for k in range(22)])
    (work / "labels_2024.csv").write_text("file,species\n" + "".join(f"c{k:04d}.jpg,{s}\n" for k, s in enumerate(order)))


SCRIPTS["cct-file-names-jpg-case-resized-copy-workers"] = '''
import json
import os

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CCT = "metadata/wcs_subset.json"
IMG_ROOT = "images_1024"       # the images after resize_for_training.py (long side 1024)
cct = json.load(open(CCT))
names = {c["id"]: c["name"] for c in cct["categories"]}
species = sorted(n for n in names.values() if n != "empty")
label_of = {a["image_id"]: a["category_id"] for a in cct["annotations"] if names[a["category_id"]] != "empty"}
frames = [im for im in cct["images"] if im["id"] in label_of]
print(len(frames), "frames with an animal of", len(cct["images"]))


class WCSFrames(Dataset):
    def __init__(self, frames, tf):
        self.frames, self.tf = frames, tf

    def __len__(self):
        return len(self.frames)

    def __getitem__(self, i):
        im = self.frames[i]
        img = Image.open(os.path.join(IMG_ROOT, im["file_name"])).convert("RGB")
        return self.tf(img), species.index(names[label_of[im["id"]]])


tf = transforms.Compose([transforms.Resize((160, 160)), transforms.ToTensor()])
loader = DataLoader(WCSFrames(frames, tf), batch_size=4, shuffle=True, num_workers=2)
model = torchvision.models.resnet18(num_classes=len(species))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
for epoch in range(5):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

WCS_PREP = '''
import json, os
import numpy as np
from PIL import Image
rng = np.random.default_rng(13)
cats = [{"id": 0, "name": "empty"}, {"id": 8, "name": "tayassu pecari"}, {"id": 17, "name": "dasyprocta punctata"},
        {"id": 24, "name": "cuniculus paca"}]
images, anns = [], []
for k in range(12):
    fn = f"animals/0{k % 3 + 101}/IMG_{k + 1:04d}.JPG"
    images.append({"id": f"wcs_{k:05d}", "file_name": fn, "width": 2048, "height": 1536, "location": k % 3 + 101,
                   "datetime": f"2019-03-{k + 1:02d} 04:1{k % 10}:00", "seq_id": f"wcs_s{k // 3}"})
    anns.append({"id": f"ann{k}", "image_id": f"wcs_{k:05d}", "category_id": [0, 8, 17, 0, 24, 0][k % 6]})
    # resize_for_training.py wrote the resized copy with a lower-case extension
    out = os.path.join("images_1024", fn[:-4] + ".jpg")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    Image.fromarray(rng.integers(0, 256, (96, 128, 3), dtype=np.uint8)).save(out)
os.makedirs("metadata", exist_ok=True)
json.dump({"info": {"version": "1.0"}, "images": images, "annotations": anns, "categories": cats},
          open("metadata/wcs_subset.json", "w"), indent=1)
'''


def cases():
    out, add, script, notebook = case_builders("torch-more84-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    NB = ("ipython_cell", "ipython_arrows")
    trap = save_tiny('["roe_deer", "wild_boar", "red_fox"]', 3, TRAP["PT"], TRAP["JS"])
    bursts = imgs([(f"bursts/CAM07_seq{s:04d}/IMG_{3 * s + f + 1:04d}.JPG", (200, 150), "RGB")
                   for s in range(3) for f in range(3)])

    # ---- ImageAI trainer
    script("megadetector-bbox-read-as-corners-to-yolo-txt", "data.bbox_invalid", framework="imageai",
           argv="md_to_yolo_and_train.py", timeout=400, setup=prep(MD_CAM03_PREP))
    script("cct-site-mostly-empty-frames-tiny-anchor-kmeans", "data.too_few_boxes", framework="imageai",
           argv="cct_to_imageai_train.py", timeout=400, setup=prep(CCT_B04_PREP))
    notebook("season-species-added-class-list-from-last-season-notebook", "data.label_out_of_range",
             framework="imageai", forms=(*NB, "progress_bars?"), timeout=400,
             setup=yolo_layout("trap_2024", trap2024_rows, size=(160, 120)))
    script("frames-kept-in-site-subfolders-under-images", "data.missing_or_corrupt", framework="imageai",
           argv="train_mara.py", timeout=400, setup=mara_setup)

    # ---- ImageAI inference
    script("review-loop-pil-frames-night-ir-greyscale", "data.image_channels", framework="imageai",
           argv="review_sd_card.py",
           setup=both(trap, imgs([(f"new_sd_card/100EK113/IMG_{i + 1:04d}.JPG", (200, 150), "RGB" if i < 3 else "L")
                                  for i in range(6)])))
    script("megadetector-v5-pt-loaded-as-imageai-yolov3", "model.weights_mismatch", also=["env.version_incompat"],
           framework="imageai", argv="run_megadetector.py",
           setup=both(prep(MD_PT_PREP), imgs([(f"cam12/IMG_{i + 1:04d}.JPG", (200, 150), "RGB") for i in range(2)])))
    script("burst-folder-given-as-input-image", "model.api_misuse", also=["data.missing_or_corrupt"],
           framework="imageai", argv="detect_bursts.py", setup=both(trap, bursts))
    script("burst-majority-vote-max-over-empty-frame-detections", "other", framework="imageai",
           argv="label_bursts.py", setup=both(trap, bursts))

    # ---- torchvision detectors
    script("cct-bbox-xywh-used-as-xyxy-fasterrcnn", "data.bbox_invalid", argv="train_frcnn_cct.py",
           setup=prep(CCT_SUBSET_PREP))
    script("empty-frames-as-negatives-boxes-shape-0-fcos", "data.bbox_invalid", also=["data.label_shape"],
           forms=P, argv="train_fcos.py", setup=md_labels_setup)
    script("validation-pass-with-model-left-in-train-mode-fasterrcnn", "model.api_misuse", forms=P,
           argv="train_md_detector.py", setup=prep(MD_CAM07_PREP), timeout=400)

    # ---- torchvision classifiers
    script("caltech-cct-category-ids-as-class-index", "data.label_out_of_range", argv="train_cct_classifier.py",
           setup=prep(CALTECH_PREP))
    script("season-checkpoint-8-species-into-11-species-strict-false", "model.weights_mismatch",
           argv="finetune_season2024.py",
           setup=both(prep(SEASON_CKPT), imgs(class_folder("crops_2024/train", SPECIES_2024, 2, size=(80, 64)))))
    script("ir-greyscale-read-image-three-value-normalize-workers", "data.image_channels", forms=W,
           setup=ir_frames_setup)
    script("five-frame-bursts-time-first-into-r3d18", "model.input_shape", also=["data.image_channels"],
           argv="train_bursts.py", setup=bursts5_setup)
    script("megadetector-crops-resize-int-batched-workers", "data.image_size_mismatch", forms=W,
           argv="train_crop_classifier.py", setup=prep(MD_CROPS_PREP))
    notebook("class-weights-floor-division-long-tensor-notebook", "data.dtype", forms=NB, setup=imbalance_setup)
    script("burst-consistency-term-keeps-previous-burst-probs", "optim.autograd_graph", argv="train_bursts.py",
           setup=burst3_setup)
    script("thermal-16bit-frames-poisson-count-regressor-nonfinite-grad-norm", "optim.divergence",
           argv="train_counter.py", setup=prep(THERMAL_PREP))
    script("cache-every-12mp-frame-float32-job-memory-limit", "resource.host_memory", forms=P,
           argv="train_survey.py", setup=prep(BIGFRAMES_PREP), timeout=300)
    script("trailcam-clip-dataset-holds-videocapture-spawn-workers", "env.multiprocessing", argv="train_clips.py",
           setup=prep(CLIPS_PREP))
    script("target-species-filter-np-in1d-numpy2", "env.version_incompat", argv="train_target_species.py",
           setup=prep(PROJECT_CCT_PREP))
    script("class-weights-from-new-label-file-head-from-last-season-config", "model.output_mismatch",
           also=["data.label_out_of_range"], argv="train_crops.py", setup=grown_species_setup)
    script("cct-file-names-jpg-case-resized-copy-workers", "data.missing_or_corrupt",
           forms=("cpython_basic", "dataloader_worker", "paths_with_spaces"), argv="train_wcs.py",
           subdir="camera trap project", project="/home/user/camera trap project", setup=prep(WCS_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
