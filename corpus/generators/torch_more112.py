"""A hundred-and-twelfth held-out set (g208, scored 0.96 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3.0.3 failures: small businesses, shop owners and the freelancers they hire.

The persona: small businesses -- a corner shop with shelf cameras, a car wash counting cars in its bays and queue,
a gym photographing its equipment and its floor, a parking lot at a retail park, a pharmacy (and a small chain of
three) photographing its products, a print shop sorting scans and jobs on the pickup shelf -- and the freelancers
they hire, who train ImageAI 3 detectors (``DetectionModelTrainer``) and classifiers (``ClassificationModelTrainer``)
and use ``ObjectDetection``, ``CustomObjectDetection``, ``ImageClassification``, ``CustomImageClassification`` and
``VideoObjectDetection`` on the shops' own photos and videos, on office PCs, a mini PC in the plant room and cheap
laptops, with scripts and a few notebooks, some with their own PyTorch loops around ImageAI's models. Untargeted
across the taxonomy; each program is built so that its cause is known by construction and made to fail inside
ImageAI, torch, torchvision, PIL, NumPy, SciPy, OpenCV or multiprocessing:

- detection training data: an old AutoML Vision box export read by column position with ``np.genfromtxt``, so the
  two empty placeholder columns become the far corner and every label row is ``nan`` (data.bbox_invalid); the
  print shop's three pickup-shelf products photographed once each and multiplied by flips and brightness, three
  box sizes for TinyYOLOv3's six anchors (data.too_few_boxes); the gym owner's iPhone photos renamed from
  ``.HEIC`` to ``.jpg`` so ImageAI would take them, none of which OpenCV can read (notebook,
  data.missing_or_corrupt); member photos face-blurred with ``cv2.CascadeClassifier`` under OpenCV 5 before
  training (env.version_incompat);
- classification training: a split script that leaves a new product with one photo only in ``test/`` (tqdm,
  data.label_out_of_range); a class folder of phone clips instead of photos (data.missing_or_corrupt); the ImageNet
  file the freelancer saved from his GPU workstation as ``transfer_from_model`` on the office PC (env.cuda_setup);
- inference: the v1 classifier ``.pt`` with the v2 class JSON (plain Exception, model.weights_mismatch); the
  freelancer's Ultralytics ``best.pt`` given to ``CustomObjectDetection`` (model.weights_mismatch); member photos
  saved by WhatsApp Desktop as ``.jfif`` for ``ObjectDetection`` (data.missing_or_corrupt); the COCO name
  ``motorcycle`` kept in ``CustomObjects`` after switching from RetinaNet to TinyYOLOv3 (model.api_misuse);
  ``frame_detection_interval=0`` for "every frame" in ``VideoObjectDetection`` (model.api_misuse);
  ``classifyImage`` without ``result_count`` after moving from ``ImageClassification`` to the shop's own model
  (notebook, model.api_misuse); colour-corrected float scans given to ``classifyImage`` (tqdm, data.dtype); the
  detector's extracted product crops stacked into one batch for the product classifier (data.image_size_mismatch);
  every annotated frame of the 4K bay camera kept for a customer clip on the plant-room mini PC (re-raised by
  ImageAI as "your input video is invalid", resource.host_memory); a shelf check re-run in its notebook cell with
  ``extract_detected_objects=True`` (notebook, other);
- own loops around ImageAI models: three branches fine-tuned at once in a spawn ``multiprocessing.Pool`` whose
  function iterates a DataLoader with workers (env.multiprocessing); product photos with greyscale scans among them
  through ``read_image`` (tqdm, data.image_channels); the gym floor's busy levels regressed with MSE on the
  four-class head (data.label_shape); parking-slot crops into ImageAI's DenseNet121 without a resize (notebook,
  model.input_shape); six-bay occupancy trained multi-label on the two-class bay model (model.output_mismatch);
  faint equipment probabilities zeroed in place before ``BCELoss`` (optim.autograd_graph); queue length regressed in
  raw car counts next to bay occupancy at ImageAI's MobileNetV2 learning rate (tqdm, optim.divergence).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: model files are
ones an earlier run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more112.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more112.py"

SCRIPTS = {}
CELLS = {}

ANCHORS = "[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]"

# a TinyYOLOv3 file as an earlier run left it, whose objectness stays far below any threshold on these scenes
# (an empty bay, a quiet car park): nothing is detected, so a frame costs only the forward pass
QUIET_TINY = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

os.makedirs(os.path.dirname("@@PT@@") or ".", exist_ok=True)
anchors = @@ANCHORS@@
nc = @@NC@@
torch.manual_seed(0)
model = YoloV3Tiny(anchors=anchors, num_classes=nc)
with torch.no_grad():
    for head in (model.conv10.conv, model.conv13.conv):
        for a in range(3):
            head.weight[a * (5 + nc) + 4].zero_()
            head.bias[a * (5 + nc) + 4] = -12.0
torch.save(model.state_dict(), "@@PT@@")
if "@@JS@@":
    os.makedirs(os.path.dirname("@@JS@@") or ".", exist_ok=True)
    with open("@@JS@@", "w") as f:
        json.dump({"labels": @@LABELS@@, "anchors": anchors}, f)
'''


def quiet_tiny(pt, nc=80, js="", labels="[]"):
    return prep(sub(QUIET_TINY, PT=pt, NC=str(nc), JS=js, LABELS=labels, ANCHORS=ANCHORS))


# a custom TinyYOLOv3 that finds a handful of boxes on the given shelf photo (a trained model's few confident
# detections), for the cases that need some detections to go on
FEW_BOXES_TINY = '''
import json
import os
import cv2
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import prepare_image

for p in ("@@PT@@", "@@JS@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
anchors = @@ANCHORS@@
nc = @@NC@@
torch.manual_seed(0)
model = YoloV3Tiny(anchors=anchors, num_classes=nc).eval()
heads = (model.conv10.conv, model.conv13.conv)
obj = [a * (5 + nc) + 4 for a in range(3)]
with torch.no_grad():
    for head in heads:
        for c in obj:
            head.weight[c] *= 40
    z = torch.logit(model(prepare_image(cv2.imread("@@IMG@@"), (416, 416)))[0, :, 4]).sort(descending=True).values
    k = 3 + int((z[2:10] - z[3:11]).argmax())
    shift = float(torch.logit(torch.tensor(0.4)) - (z[k - 1] + z[k]) / 2)
    for head in heads:
        for c in obj:
            head.bias[c] += shift
torch.save(model.state_dict(), "@@PT@@")
with open("@@JS@@", "w") as f:
    json.dump({"labels": @@LABELS@@, "anchors": anchors}, f)
'''


def few_boxes_tiny(labels, nc, pt, js, img):
    return prep(sub(FEW_BOXES_TINY, PT=pt, JS=js, NC=str(nc), LABELS=labels, IMG=img, ANCHORS=ANCHORS))


IMAGENET_PREP = '''
import os
import torch
import torchvision

os.makedirs(os.path.dirname("@@PATH@@") or ".", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.@@ARCH@@(weights=None).state_dict(), "@@PATH@@")
'''


def imagenet_file(arch, path):
    return prep(sub(IMAGENET_PREP, ARCH=arch, PATH=path))


# ================================================================== detection training
# ------------------------------------------------------------------ AutoML Vision export read by position
AUTOML_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(51)
os.makedirs("automl_export/images", exist_ok=True)
rows = []
for i in range(10):
    name = f"bay2_2023-{6 + i // 4:02d}-{3 + 2 * i:02d}_{8 + i:02d}h.jpg"
    Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"automl_export/images/{name}")
    use = "VALIDATION" if i in (4, 9) else "TRAINING"
    for k in range(1 + i % 2):
        x1, y1 = 0.08 + 0.45 * k + 0.01 * i, 0.30 + 0.02 * k
        # AutoML Vision / Vertex AI box format: x_min, y_min, (empty), (empty), x_max, y_max, (empty), (empty)
        rows.append(f"{use},gs://sparkle-carwash-automl/bay2/{name},{['car', 'van'][(i + k) % 2]},"
                    f"{x1:.3f},{y1:.3f},,,{x1 + 0.40:.3f},{y1 + 0.55:.3f},,")
with open("automl_export/bay2_boxes.csv", "w") as f:
    f.write("\\n".join(rows) + "\\n")
'''

SCRIPTS["carwash-automl-export-read-by-column-position-nan-boxes"] = '''
import csv
import os
import shutil

import numpy as np
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["car", "van"]
EXPORT = "automl_export/bay2_boxes.csv"

# boxes from last year's AutoML Vision trial (cancelled, too expensive), one row per box:
#   ML_USE, GCS path, label, x_min, y_min, x_max, y_max   -- relative coordinates
meta = list(csv.reader(open(EXPORT)))
boxes = np.genfromtxt(EXPORT, delimiter=",", usecols=(3, 4, 5, 6))

for (use, gcs, label, *_), (x_min, y_min, x_max, y_max) in zip(meta, boxes):
    split = "train" if use == "TRAINING" else "validation"
    name = os.path.basename(gcs)
    os.makedirs(f"bays/{split}/images", exist_ok=True)
    os.makedirs(f"bays/{split}/annotations", exist_ok=True)
    if not os.path.exists(f"bays/{split}/images/{name}"):
        shutil.copy(f"automl_export/images/{name}", f"bays/{split}/images/{name}")
    with open(f"bays/{split}/annotations/{os.path.splitext(name)[0]}.txt", "a") as f:
        f.write(f"{CLASSES.index(label)} {(x_min + x_max) / 2:.6f} {(y_min + y_max) / 2:.6f} "
                f"{x_max - x_min:.6f} {y_max - y_min:.6f}\\n")
print(len(boxes), "boxes converted")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="bays")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=60)
trainer.trainModel()
'''

# ------------------------------------------------------------------ three products multiplied by flips
PICKUP_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(53)
os.makedirs("pickup_shelf/originals", exist_ok=True)
# one photo per product type on the pickup shelf, boxed in LabelImg (YOLO format)
boxes = {"business_cards": (0.42, 0.55, 0.16, 0.12), "flyers_a5": (0.50, 0.52, 0.30, 0.38),
         "poster_tube": (0.47, 0.50, 0.70, 0.14)}
for k, (name, (cx, cy, w, h)) in enumerate(boxes.items()):
    Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(f"pickup_shelf/originals/{name}.jpg")
    with open(f"pickup_shelf/originals/{name}.txt", "w") as f:
        f.write(f"{k} {cx:.6f} {cy:.6f} {w:.6f} {h:.6f}\\n")
'''

SCRIPTS["print-shop-pickup-shelf-three-photos-flip-augmented"] = '''
import glob
import os

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

PRODUCTS = ["business_cards", "flyers_a5", "poster_tube"]

# only three photos so far: make a data set out of them with flips and brightness changes
n_written = 0
for src in sorted(glob.glob("pickup_shelf/originals/*.jpg")):
    stem = os.path.splitext(os.path.basename(src))[0]
    img = cv2.imread(src)
    rows = [line.split() for line in open(f"pickup_shelf/originals/{stem}.txt")]
    n = 0
    for hflip in (False, True):
        for vflip in (False, True):
            for gain in (0.8, 1.0, 1.2):
                out = cv2.convertScaleAbs(img, alpha=gain)
                if hflip:
                    out = cv2.flip(out, 1)
                if vflip:
                    out = cv2.flip(out, 0)
                new_rows = []
                for cls, cx, cy, w, h in rows:
                    cx = 1 - float(cx) if hflip else float(cx)
                    cy = 1 - float(cy) if vflip else float(cy)
                    new_rows.append(f"{cls} {cx:.6f} {cy:.6f} {w} {h}")
                split = "validation" if n % 6 == 5 else "train"
                os.makedirs(f"pickup/{split}/images", exist_ok=True)
                os.makedirs(f"pickup/{split}/annotations", exist_ok=True)
                cv2.imwrite(f"pickup/{split}/images/{stem}_{n:02d}.jpg", out)
                with open(f"pickup/{split}/annotations/{stem}_{n:02d}.txt", "w") as f:
                    f.write("\\n".join(new_rows) + "\\n")
                n += 1
    n_written += n
print(n_written, "training pictures written")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="pickup")
trainer.setTrainConfig(object_names_array=PRODUCTS, batch_size=4, num_experiments=50)
trainer.trainModel()
'''

# ------------------------------------------------------------------ iPhone photos renamed .HEIC -> .jpg
HEIC_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(55)
# straight off the owner's iPhone (Windows Photos import keeps them as HEIC)
for split, n in (("train", 8), ("validation", 2)):
    os.makedirs(f"gym_equipment/{split}/images", exist_ok=True)
    os.makedirs(f"gym_equipment/{split}/annotations", exist_ok=True)
    for i in range(n):
        name = f"IMG_{4501 + i + 100 * (split == 'validation')}"
        with open(f"gym_equipment/{split}/images/{name}.HEIC", "wb") as f:
            f.write(b"\\x00\\x00\\x00\\x18ftypheic\\x00\\x00\\x00\\x00mif1heic"
                    + rng.integers(0, 255, 30000, dtype=np.uint8).tobytes())
        with open(f"gym_equipment/{split}/annotations/{name}.txt", "w") as f:
            for k in range(2):
                f.write(f"{(i + k) % 3} {0.25 + 0.45 * k:.6f} {0.55:.6f} {0.30 + 0.01 * i:.6f} {0.40:.6f}\\n")
'''

CELLS["gym-equipment-iphone-heic-renamed-to-jpg-notebook"] = [
    '''import glob
import os

# ImageAI only takes .jpg / .png: renamed the iPhone photos (what PowerRename did on the office PC)
for p in glob.glob("gym_equipment/*/images/*.HEIC"):
    os.rename(p, p[:-5] + ".jpg")
for split in ("train", "validation"):
    print(split, len(glob.glob(f"gym_equipment/{split}/images/*.jpg")), "photos,",
          len(glob.glob(f"gym_equipment/{split}/annotations/*.txt")), "label files")''',
    '''from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="gym_equipment")
trainer.setTrainConfig(object_names_array=["bench", "dumbbell_rack", "treadmill"], batch_size=4,
                       num_experiments=80)
trainer.trainModel()''',
]

# ------------------------------------------------------------------ face blur with CascadeClassifier (OpenCV 5)
SCRIPTS["gym-member-photos-face-blur-cascadeclassifier-opencv5"] = '''
import glob
import os

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

# members appear in the equipment photos: blur their faces before the photos leave the office (GDPR)
face_cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
for path in glob.glob("gym_floor/*/images/*.jpg"):
    img = cv2.imread(path)
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    for x, y, w, h in face_cascade.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5):
        img[y:y + h, x:x + w] = cv2.GaussianBlur(img[y:y + h, x:x + w], (51, 51), 0)
    cv2.imwrite(path, img)
print("faces blurred in", len(glob.glob("gym_floor/*/images/*.jpg")), "photos")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="gym_floor")
trainer.setTrainConfig(object_names_array=["bench", "rower", "treadmill"], batch_size=4, num_experiments=60)
trainer.trainModel()
'''


def floor_rows(split, i):
    return "".join(f"{(i + k) % 3} {0.2 + 0.3 * k:.6f} {0.5 + 0.02 * (i % 3):.6f} {0.18 + 0.01 * k:.6f} "
                   f"{0.26 + 0.01 * (i % 4):.6f}\n" for k in range(3))


# ================================================================== classification training
# ------------------------------------------------------------------ split script, new product with one photo
SCRIPTS["pharmacy-split-script-new-product-only-in-test-tqdm"] = '''
import os
import random
import shutil

from imageai.Classification.Custom import ClassificationModelTrainer

random.seed(7)
SRC = "pharmacy_photos"          # one folder per product, as the staff photographed them

# 80 / 20 split per product
for product in sorted(os.listdir(SRC)):
    photos = sorted(os.listdir(os.path.join(SRC, product)))
    random.shuffle(photos)
    n_train = int(0.8 * len(photos))
    for i, photo in enumerate(photos):
        dst = os.path.join("otc_shelf", "train" if i < n_train else "test", product)
        os.makedirs(dst, exist_ok=True)
        shutil.copy(os.path.join(SRC, product, photo), dst)
    print(f"{product:16s} {n_train} train / {len(photos) - n_train} test")

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("otc_shelf")
trainer.trainModel(num_experiments=20, batch_size=4)
'''

# ------------------------------------------------------------------ class folder holding phone clips
CLIPS_PREP = '''
import os
import numpy as np

rng = np.random.default_rng(57)
# the trainer filmed the cable machine instead of photographing it
for split, n in (("train", 3), ("test", 1)):
    d = f"gym_kit/{split}/cable_machine"
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        with open(f"{d}/VID_20240412_18{15 + i:02d}{3 + 7 * i:02d}.mp4", "wb") as f:
            f.write(b"\\x00\\x00\\x00\\x20ftypisom\\x00\\x00\\x02\\x00isomiso2avc1mp41"
                    + rng.integers(0, 255, 50000, dtype=np.uint8).tobytes())
'''

SCRIPTS["gym-kit-class-folder-holds-phone-clips-only"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# which machine is in the photo: for the equipment-booking app
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("gym_kit")
trainer.trainModel(num_experiments=30, batch_size=8)
'''

GYM_KIT = ["cable_machine", "dumbbells", "kettlebells", "rowing_machine"]

# ------------------------------------------------------------------ ImageNet file saved on a GPU workstation
CUDA_FILE_PREP = '''
import os
import torch
import torch.serialization
import torchvision

os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
model = torchvision.models.mobilenet_v2(weights=None)
# the freelancer's workstation: the ImageNet model was loaded to the GPU and its state_dict saved from there
# (what torch.save records for CUDA tensors is their device; this machine has none, so it is tagged by hand)
_tag = torch.serialization.location_tag
torch.serialization.location_tag = lambda storage: "cuda:0"
torch.save(model.state_dict(), "weights/mobilenet_v2-b0353104.pth")
torch.serialization.location_tag = _tag
'''

SCRIPTS["gym-freelancer-workstation-imagenet-file-as-transfer-model"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# the office network blocks the download: the freelancer sent the ImageNet weights file on a USB stick
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("gym_kit")
trainer.trainModel(num_experiments=30, batch_size=8, transfer_from_model="weights/mobilenet_v2-b0353104.pth")
'''

# ================================================================== inference
# ------------------------------------------------------------------ v1 classifier with the v2 class JSON
SHELF_V2_JSON = '{"0": "antacids", "1": "cough_syrup", "2": "hay_fever", "3": "painkillers", "4": "vitamins"}'

SCRIPTS["pharmacy-v1-classifier-pt-with-v2-class-json"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# the freelancer's v2 adds hay fever products; the new class file was copied over, the model file is still v1
clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("shelf_model/resnet50-otc_shelf-test_acc_0.88542_epoch-41.pt")
clf.setJsonPath("shelf_model/otc_shelf_model_classes.json")
clf.loadModel()

for photo in sorted(glob.glob("restock_photos/*.jpg")):
    names, probs = clf.classifyImage(photo, result_count=2)
    print(photo, list(zip(names, probs)))
'''

# ------------------------------------------------------------------ Ultralytics best.pt for CustomObjectDetection
ULTRA_PREP = '''
import json
import os
import shutil
import sys
import torch

# what `yolo detect train` leaves in runs/detect/train3/weights/best.pt: the whole pickled model in a dict
os.makedirs("_ultra/models", exist_ok=True)
open("_ultra/models/__init__.py", "w").close()
with open("_ultra/models/yolo.py", "w") as f:
    f.write("import torch.nn as nn\\n"
            "class DetectionModel(nn.Module):\\n"
            "    def __init__(self):\\n"
            "        super().__init__()\\n"
            "        self.model = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.BatchNorm2d(16), nn.SiLU())\\n")
sys.path.insert(0, "_ultra")
from models.yolo import DetectionModel

os.makedirs("parking_model", exist_ok=True)
torch.save({"epoch": -1, "best_fitness": None, "model": DetectionModel().half(), "ema": None, "updates": None,
            "optimizer": None, "train_args": {"model": "yolov8n.pt", "data": "parking.yaml", "imgsz": 640},
            "date": "2024-04-18T22:41:07.118334", "version": "8.1.47"}, "parking_model/best.pt")
shutil.rmtree("_ultra")
# the config JSON written by hand after the ImageAI docs
anchors = [10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326]
json.dump({"labels": ["car", "motorbike", "van"], "anchors": anchors},
          open("parking_model/parking_yolov3_detection_config.json", "w"))
'''

SCRIPTS["parking-freelancer-ultralytics-best-pt-customobjectdetection"] = '''
import glob

from imageai.Detection.Custom import CustomObjectDetection

# the freelancer trained "a YOLO" on our car park photos and sent best.pt
detector = CustomObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("parking_model/best.pt")
detector.setJsonPath("parking_model/parking_yolov3_detection_config.json")
detector.loadModel()

for photo in sorted(glob.glob("car_park/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=photo, minimum_percentage_probability=40)
    print(photo, len(detections), "vehicles")
'''

# ------------------------------------------------------------------ WhatsApp Desktop .jfif photos
SCRIPTS["gym-whatsapp-desktop-jfif-photos-objectdetection"] = '''
import glob

from imageai.Detection import ObjectDetection

# how busy is the floor: members send photos to the gym's WhatsApp, saved from WhatsApp Desktop
detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()
people = detector.CustomObjects(person=True)

for path in sorted(glob.glob("floor_photos/*")):
    detections = detector.detectObjectsFromImage(input_image=path, custom_objects=people,
                                                 minimum_percentage_probability=50)
    print(f"{path}: {len(detections)} people")
'''

# ------------------------------------------------------------------ COCO name kept after switching models
SCRIPTS["parking-retinanet-to-tinyyolo-coco-name-motorcycle"] = '''
import glob

from imageai.Detection import ObjectDetection

MODEL = "tiny-yolov3"     # RetinaNet took 9 s a photo on the office laptop

detector = ObjectDetection()
if MODEL == "retinanet":
    detector.setModelTypeAsRetinaNet()
    detector.setModelPath("models/retinanet_resnet50_fpn_coco-eeacb38b.pth")
else:
    detector.setModelTypeAsTinyYOLOv3()
    detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()
vehicles = detector.CustomObjects(car=True, motorcycle=True, bus=True, truck=True)

occupied = {}
for photo in sorted(glob.glob("car_park_cam/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=photo, custom_objects=vehicles,
                                                 minimum_percentage_probability=40)
    occupied[photo] = len(detections)
print(occupied)
'''

# ------------------------------------------------------------------ frame_detection_interval=0
CARWASH_CLIP_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(59)
os.makedirs("bay_cam", exist_ok=True)
bg = cv2.resize(rng.integers(70, 150, (24, 32, 3), dtype=np.uint8), (320, 240))
vw = cv2.VideoWriter("bay_cam/bay1_0612_0900.mp4", cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
for t in range(12):
    frame = bg.copy()
    cv2.rectangle(frame, (10 + 12 * t, 100), (120 + 12 * t, 170), (30, 30, 180), -1)
    vw.write(frame)
vw.release()
'''

SCRIPTS["carwash-video-frame-detection-interval-zero"] = '''
from imageai.Detection import VideoObjectDetection

cars_per_second = []


def per_second(second, frame_arrays, count_arrays, average_count):
    cars_per_second.append(average_count.get("car", 0))


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="bay_cam/bay1_0612_0900.mp4",
                                output_file_path="bay_cam/bay1_0612_0900_detected",
                                frames_per_second=10, minimum_percentage_probability=40,
                                frame_detection_interval=0,     # no skipping: detect on every frame
                                per_second_function=per_second)
print("cars per second:", cars_per_second)
'''

# ------------------------------------------------------------------ classifyImage without result_count
CELLS["corner-shop-own-classifier-classifyimage-without-result-count-notebook"] = [
    '''from imageai.Classification import ImageClassification

# first try with the ImageNet model from the ImageAI docs
prediction = ImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("mobilenet_v2-b0353104.pth")
prediction.loadModel()
predictions, probabilities = prediction.classifyImage("shelf_cam/shelf3_1412.jpg")
list(zip(predictions, probabilities))''',
    '''from imageai.Classification.Custom import CustomImageClassification

# now the model the freelancer trained on our own shelves
prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("shelf_model/mobilenet_v2-shelves-test_acc_0.84375_epoch-17.pt")
prediction.setJsonPath("shelf_model/shelves_model_classes.json")
prediction.loadModel()
predictions, probabilities = prediction.classifyImage("shelf_cam/shelf3_1412.jpg")
list(zip(predictions, probabilities))''',
]

# ------------------------------------------------------------------ colour-corrected float scans
SCRIPTS["print-shop-colour-corrected-float-scans-classifyimage-tqdm"] = '''
import glob

import cv2
import numpy as np
from tqdm import tqdm
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("job_sorter/mobilenet_v2-incoming_jobs-test_acc_0.91667_epoch-23.pt")
clf.setJsonPath("job_sorter/incoming_jobs_model_classes.json")
clf.loadModel()


def white_balance(img):
    """the scanner's lid casts yellow: stretch every channel between its 1st and 99th percentile"""
    img = img.astype(np.float64)
    lo, hi = np.percentile(img, (1, 99), axis=(0, 1))
    return np.clip((img - lo) / (hi - lo), 0.0, 1.0)


for path in tqdm(sorted(glob.glob("incoming_scans/*.png")), desc="sorting scans"):
    scan = white_balance(cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB))
    names, probs = clf.classifyImage(scan, result_count=1)
    tqdm.write(f"{path}: {names[0]} ({probs[0]:.0f}%)")
'''

# ------------------------------------------------------------------ extracted crops stacked into one batch
SCRIPTS["corner-shop-extracted-product-crops-stacked-for-classifier"] = '''
import glob
import json

import cv2
import torch
from PIL import Image
from torch import nn
from torchvision import transforms
from torchvision.models import mobilenet_v2

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("shelf_detector/models/tiny-yolov3_shelves_mAP-0.61244_epoch-48.pt")
detector.setJsonPath("shelf_detector/json/shelves_tiny-yolov3_detection_config.json")
detector.loadModel()

brands = json.load(open("brand_model/brands_model_classes.json"))
classifier = mobilenet_v2(weights=None)
classifier.classifier[1] = nn.Linear(1280, len(brands))
classifier.load_state_dict(torch.load("brand_model/mobilenet_v2-brands-test_acc_0.79167_epoch-26.pt"))
classifier.eval()
to_input = transforms.Compose([transforms.ToTensor(),
                               transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

# facings on each shelf photo: detect the products, then name the brand of every crop in one batch
for path in sorted(glob.glob("shelf_cam/*.jpg")):
    _, detections, crops = detector.detectObjectsFromImage(input_image=path, output_type="array",
                                                           extract_detected_objects=True,
                                                           minimum_percentage_probability=30)
    print(path, len(detections), "products")
    batch = torch.stack([to_input(Image.fromarray(cv2.cvtColor(c, cv2.COLOR_BGR2RGB))) for c in crops])
    with torch.no_grad():
        names = [brands[str(i)] for i in classifier(batch).argmax(1).tolist()]
    print(names)
'''

# ------------------------------------------------------------------ every 4K frame kept on the mini PC
BAY_4K_PREP = '''
import os
import cv2
import numpy as np

rng = np.random.default_rng(61)
os.makedirs("bay_cam_4k", exist_ok=True)
bg = cv2.resize(rng.integers(60, 140, (27, 48, 3), dtype=np.uint8), (3840, 2160))
vw = cv2.VideoWriter("bay_cam_4k/bay2_0613_1104.mp4", cv2.VideoWriter_fourcc(*"mp4v"), 25, (3840, 2160))
for t in range(48):
    frame = bg.copy()
    cv2.rectangle(frame, (200 + 20 * t, 1000), (1000 + 20 * t, 1600), (40, 40, 200), -1)
    vw.write(frame)
vw.release()
'''

SCRIPTS["carwash-4k-bay-video-annotated-frames-kept-mini-pc"] = '''
import resource

import cv2
from imageai.Detection import VideoObjectDetection

# the mini PC in the plant room runs the NVR software too: this script may use 1.8 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (int(1.8 * 1024 ** 3), hard))

annotated = []


def keep_frame(frame_number, objects, counts, detected_frame):
    # every annotated frame, for the "your car being washed" clip in the loyalty app
    annotated.append(detected_frame)


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="bay_cam_4k/bay2_0613_1104.mp4",
                                output_file_path="bay_cam_4k/bay2_0613_1104_detected",
                                frames_per_second=25, minimum_percentage_probability=40,
                                per_frame_function=keep_frame, return_detected_frame=True)

h, w = annotated[0].shape[:2]
clip = cv2.VideoWriter("customer_clip.mp4", cv2.VideoWriter_fourcc(*"mp4v"), 25, (w // 4, h // 4))
for frame in annotated:
    clip.write(cv2.resize(frame, (w // 4, h // 4)))
clip.release()
'''

# ------------------------------------------------------------------ shelf check re-run in its cell
SHELF_CHECK_CELL = '''# facings on aisle 3 this morning, each product cut out for the stock report
detections, crops = detector.detectObjectsFromImage(input_image="shelf_cam/aisle3_0905.jpg",
                                                    output_image_path="shelf_checks/aisle3_0905.jpg",
                                                    extract_detected_objects=True,
                                                    minimum_percentage_probability=@@MIN@@)
len(detections), crops[:3]'''

CELLS["corner-shop-shelf-check-cell-rerun-extracted-folder-exists-notebook"] = [
    '''import os
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("shelf_detector/models/tiny-yolov3_shelves_mAP-0.61244_epoch-48.pt")
detector.setJsonPath("shelf_detector/json/shelves_tiny-yolov3_detection_config.json")
detector.loadModel()
os.makedirs("shelf_checks", exist_ok=True)''',
    sub(SHELF_CHECK_CELL, MIN="50"),
    "# some facings are missing: the same cell again with a lower threshold\n" + sub(SHELF_CHECK_CELL, MIN="30"),
]

# ================================================================== own loops around ImageAI models
# ------------------------------------------------------------------ branches fine-tuned in a Pool
SCRIPTS["pharmacy-chain-branches-finetuned-in-pool-dataloader-workers"] = '''
import json
import multiprocessing as mp

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1

BRANCHES = ["high_street", "retail_park", "village"]
classes = json.load(open("shelf_model/otc_model_classes.json"))


def finetune_branch(branch):
    """the chain's model, fine-tuned on one branch's own shelf photos"""
    torch.manual_seed(0)
    model = mobilenet_v2(weights=None)
    model.classifier[1] = nn.Linear(1280, len(classes))
    model.load_state_dict(torch.load("shelf_model/mobilenet_v2-otc-test_acc_0.86458_epoch-30.pt"))
    data = datasets.ImageFolder(f"branch_photos/{branch}", transform=data_transforms1["train"])
    loader = DataLoader(data, batch_size=8, shuffle=True, num_workers=2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    model.train()
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    torch.save(model.state_dict(), f"shelf_model/mobilenet_v2-otc-{branch}.pt")
    return branch


if __name__ == "__main__":
    # one branch per process: three at once on the 8-core office PC (Windows: processes are spawned)
    mp.set_start_method("spawn")
    with mp.Pool(len(BRANCHES)) as pool:
        for branch in pool.imap_unordered(finetune_branch, BRANCHES):
            print(branch, "done")
'''

OTC3 = '["antacids", "cough_syrup", "painkillers"]'

# ------------------------------------------------------------------ greyscale scans through read_image
SCRIPTS["pharmacy-product-photos-read-image-greyscale-scans-tqdm"] = '''
import glob
import json
import os

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.io import read_image
from torchvision.models import mobilenet_v2
from tqdm import tqdm

classes = json.load(open("shelf_model/otc_model_classes.json"))
index = {name: int(i) for i, name in classes.items()}


class ProductPhotos(Dataset):
    """product photos for the new stock, one folder per category (some came from the back-office scanner)"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.tf = transforms.Compose([transforms.Resize((224, 224), antialias=True),
                                      transforms.ConvertImageDtype(torch.float32),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        return self.tf(read_image(path)), index[os.path.basename(os.path.dirname(path))]


torch.manual_seed(0)
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("shelf_model/mobilenet_v2-otc-test_acc_0.86458_epoch-30.pt"))
loader = DataLoader(ProductPhotos("new_stock"), batch_size=4, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

model.train()
for epoch in range(5):
    for x, y in tqdm(loader, desc=f"epoch {epoch + 1}"):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

# ------------------------------------------------------------------ busy levels regressed on the 4-class head
BUSY_CSV = "photo,level\n" + "".join(f"floor_{700 + i}.jpg,{(i * 7) % 4}\n" for i in range(16))

SCRIPTS["gym-floor-busy-level-mse-on-four-class-head"] = '''
import csv
import json

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1

# 0 quiet, 1 normal, 2 busy, 3 full -- the ImageAI classifier of the floor camera
classes = json.load(open("floor_model/floor_model_classes.json"))


class FloorStills(Dataset):
    def __init__(self):
        self.rows = list(csv.DictReader(open("floor_cam/levels.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return data_transforms1["train"](Image.open("floor_cam/" + r["photo"]).convert("RGB")), int(r["level"])


model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("floor_model/mobilenet_v2-floor-test_acc_0.68750_epoch-15.pt"))
loader = DataLoader(FloorStills(), batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
# the levels are ordered (full is worse than busy): regress them instead of classifying
criterion = nn.MSELoss()

model.train()
for epoch in range(10):
    for x, level in loader:
        loss = criterion(model(x), level.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ slot crops into DenseNet121 unresized
SLOTS_PREP = '''
import csv
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(63)
os.makedirs("overview_cam", exist_ok=True)
# the 12 bays seen from the lamp-post camera (x, y, w, h in pixels of the 640 x 480 frame)
slots = [[40 + 48 * k, 300 + 4 * (k % 3), 28, 36] for k in range(12)]
json.dump({"camera": "lamp_post_2", "slots": slots}, open("overview_cam/slots.json", "w"), indent=1)
with open("overview_cam/occupancy.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["photo"] + [f"slot_{k + 1}" for k in range(12)])
    for i in range(6):
        name = f"lamp_post_2_0614_{9 + i:02d}00.jpg"
        Image.fromarray(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)).save(f"overview_cam/{name}")
        w.writerow([name] + [int((k * 5 + i) % 3 == 0) for k in range(12)])
'''

CELLS["parking-slot-crops-into-imageai-densenet121-notebook"] = [
    '''import csv
import json
from PIL import Image

slots = json.load(open("overview_cam/slots.json"))["slots"]
crops, labels = [], []
for row in csv.DictReader(open("overview_cam/occupancy.csv")):
    frame = Image.open("overview_cam/" + row["photo"]).convert("RGB")
    for k, (x, y, w, h) in enumerate(slots):
        crops.append(frame.crop((x, y, x + w, y + h)))
        labels.append(int(row[f"slot_{k + 1}"]))
len(crops), crops[0].size, sum(labels)''',
    '''import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import transforms
from torchvision.models import densenet121

# the crops are all the same small size already: no resize (blowing them up to 224 only blurs them)
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
data = TensorDataset(torch.stack([tf(c) for c in crops]), torch.tensor(labels))
loader = DataLoader(data, batch_size=16, shuffle=True)

model = densenet121(weights=None)
model.classifier = nn.Linear(model.classifier.in_features, 2)      # free / occupied
model.load_state_dict(torch.load("bay_model/densenet121-bays-test_acc_0.93750_epoch-12.pt"))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)''',
    '''model.train()
for epoch in range(5):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, round(loss.item(), 4))''',
]

# ------------------------------------------------------------------ six-bay occupancy on the two-class model
BAYS_CSV = "photo,bay_1,bay_2,bay_3,bay_4,bay_5,bay_6\n" + "".join(
    f"roof_cam_{1100 + i}.jpg," + ",".join(str(int((i + 2 * k) % 3 == 0)) for k in range(6)) + "\n"
    for i in range(16))

SCRIPTS["carwash-six-bay-occupancy-multilabel-on-two-class-model"] = '''
import csv
import json

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1


class RoofCam(Dataset):
    """the roof camera sees all six bays: one 0/1 column per bay"""

    def __init__(self):
        with open("roof_cam/bays.csv") as f:
            reader = csv.reader(f)
            self.bays = next(reader)[1:]
            self.rows = list(reader)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        photo, *flags = self.rows[i]
        img = Image.open("roof_cam/" + photo).convert("RGB")
        return data_transforms1["train"](img), torch.tensor([float(v) for v in flags])


# start from the bay-free / bay-occupied classifier trained with ImageAI on single-bay photos
classes = json.load(open("bay_model/bays_model_classes.json"))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("bay_model/mobilenet_v2-bays-test_acc_0.95833_epoch-21.pt"))
data = RoofCam()
print("bays:", data.bays)
loader = DataLoader(data, batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.BCEWithLogitsLoss()

model.train()
for epoch in range(10):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ faint probabilities zeroed in place
KIT5 = '["bench", "cable_machine", "dumbbells", "rower", "treadmill"]'
KIT_CSV = "photo,bench,cable_machine,dumbbells,rower,treadmill\n" + "".join(
    f"zone_{i:02d}.jpg," + ",".join(str(int((i + k) % 3 != 1)) for k in range(5)) + "\n" for i in range(12))

SCRIPTS["gym-equipment-multilabel-faint-probabilities-zeroed-inplace"] = '''
import csv
import json

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2

from imageai.Classification.Custom.data_transformation import data_transforms1

classes = json.load(open("kit_model/kit_model_classes.json"))


class Zones(Dataset):
    """one photo per floor zone with every machine that is in it"""

    def __init__(self):
        self.rows = list(csv.DictReader(open("zones/labels.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open("zones/" + r["photo"]).convert("RGB")
        return data_transforms1["train"](img), torch.tensor([float(r[c]) for c in classes.values()])


model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("kit_model/mobilenet_v2-kit-test_acc_0.81250_epoch-24.pt"))
loader = DataLoader(Zones(), batch_size=4, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
criterion = nn.BCELoss()

model.train()
for epoch in range(8):
    for x, y in loader:
        probs = torch.sigmoid(model(x))
        probs[probs < 0.05] = 0.0        # machines half out of the frame: don't let faint scores count
        loss = criterion(probs, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ------------------------------------------------------------------ queue length in raw counts, shared backbone
QUEUE_PREP = '''
import csv
import numpy as np

rng = np.random.default_rng(65)
# cars waiting (counted by the attendant) and whether the wash bay was busy, per still of the entrance camera
with open("entrance_cam/queue.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["photo", "cars_waiting", "bay_busy"])
    for i in range(24):
        cars = int(rng.integers(0, 16))
        w.writerow([f"entrance_{2200 + i}.jpg", cars, int(cars > 0 or i % 5 == 0)])
'''

SCRIPTS["carwash-queue-count-and-bay-busy-shared-backbone-imageai-lr-tqdm"] = '''
import csv
import json

import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2
from tqdm import tqdm

from imageai.Classification.Custom.data_transformation import data_transforms1

torch.manual_seed(0)


class Entrance(Dataset):
    def __init__(self):
        self.rows = list(csv.DictReader(open("entrance_cam/queue.csv")))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = data_transforms1["train"](Image.open("entrance_cam/" + r["photo"]).convert("RGB"))
        return img, float(r["cars_waiting"]), float(r["bay_busy"])


# the ImageAI bay classifier as the backbone, two outputs: bay busy (logit) and cars waiting (count)
classes = json.load(open("bay_model/bays_model_classes.json"))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(1280, len(classes))
model.load_state_dict(torch.load("bay_model/mobilenet_v2-bays-test_acc_0.95833_epoch-21.pt"))
model.classifier[1] = nn.Linear(1280, 2)
# ImageAI's MobileNetV2 settings (training_params.py)
optimizer = torch.optim.SGD(model.parameters(), lr=0.045, momentum=0.9, weight_decay=4e-5)
loader = DataLoader(Entrance(), batch_size=8, shuffle=True)
bce, mse = nn.BCELoss(), nn.MSELoss()

model.train()
for epoch in range(30):
    for x, cars, busy in tqdm(loader, desc=f"epoch {epoch + 1}"):
        out = model(x)
        loss = bce(torch.sigmoid(out[:, 0]), busy.float()) + mse(out[:, 1], cars.float())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''


def cases():
    out, _add, script, notebook = case_builders("torch-more112-", SCRIPTS, CELLS)
    NB = ("ipython_cell", "ipython_arrows", "ipython_file_tilde?")
    P = ("cpython_basic", "progress_bars?")
    F = "imageai"

    def split(root, classes, n_train, n_test, size=(160, 120), mode="RGB", ext="jpg"):
        return (class_folder(f"{root}/train", classes, n_train, size=size, mode=mode, ext=ext)
                + class_folder(f"{root}/test", classes, n_test, size=size, mode=mode, ext=ext))

    # ---- detection training
    script("carwash-automl-export-read-by-column-position-nan-boxes", "data.bbox_invalid", framework=F,
           argv="convert_and_train.py", setup=prep(AUTOML_PREP))
    script("print-shop-pickup-shelf-three-photos-flip-augmented", "data.too_few_boxes", framework=F,
           argv="augment_and_train.py", setup=prep(PICKUP_PREP))
    notebook("gym-equipment-iphone-heic-renamed-to-jpg-notebook", "data.missing_or_corrupt", framework=F,
             forms=NB, setup=prep(HEIC_PREP))
    script("gym-member-photos-face-blur-cascadeclassifier-opencv5", "env.version_incompat", framework=F,
           argv="blur_and_train.py", setup=yolo_layout("gym_floor", floor_rows, size=(320, 240)))

    # ---- classification training
    script("pharmacy-split-script-new-product-only-in-test-tqdm", "data.label_out_of_range", framework=F,
           forms=P, argv="split_and_train.py", timeout=400,
           setup=imgs(class_folder("pharmacy_photos", ["ibuprofen", "paracetamol", "vitamin_c"], 5, size=(160, 160))
                      + class_folder("pharmacy_photos", ["hay_fever_spray"], 1, size=(160, 160))))
    script("gym-kit-class-folder-holds-phone-clips-only", "data.missing_or_corrupt", framework=F,
           argv="train_kit.py",
           setup=both(imgs(split("gym_kit", GYM_KIT[1:], 3, 1)), prep(CLIPS_PREP)))
    script("gym-freelancer-workstation-imagenet-file-as-transfer-model", "env.cuda_setup", framework=F,
           argv="train_kit.py", setup=both(imgs(split("gym_kit", GYM_KIT, 3, 1)), prep(CUDA_FILE_PREP)))

    # ---- inference
    script("pharmacy-v1-classifier-pt-with-v2-class-json", "model.weights_mismatch",
           also=["model.output_mismatch"], framework=F, forms=("cpython_basic", "chained_during", "multiline_message"),
           argv="check_restock.py", exception="Exception",
           setup=both(save_cls("resnet50", '["antacids", "cough_syrup", "painkillers", "vitamins"]',
                               "shelf_model/resnet50-otc_shelf-test_acc_0.88542_epoch-41.pt",
                               "shelf_model/otc_shelf_model_classes.json"),
                      write("shelf_model/otc_shelf_model_classes.json", SHELF_V2_JSON),
                      imgs([(f"restock_photos/IMG_{3310 + i}.jpg", (320, 240), "RGB") for i in range(2)])))
    script("parking-freelancer-ultralytics-best-pt-customobjectdetection", "model.weights_mismatch",
           also=["env.version_incompat"], framework=F, argv="count_vehicles.py",
           setup=both(prep(ULTRA_PREP), imgs([(f"car_park/cam2_{i:03d}.jpg", (640, 480), "RGB") for i in range(2)])))
    script("gym-whatsapp-desktop-jfif-photos-objectdetection", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework=F, argv="floor_count.py",
           setup=both(quiet_tiny("models/tiny-yolov3.pt"),
                      imgs([("floor_photos/IMG_20240503_1830.jpg", (640, 480), "RGB"),
                            ("floor_photos/WhatsApp Image 2024-05-03 at 18.42.11.jfif", (640, 480), "RGB"),
                            ("floor_photos/WhatsApp Image 2024-05-03 at 19.05.37.jfif", (480, 640), "RGB")])))
    script("parking-retinanet-to-tinyyolo-coco-name-motorcycle", "model.api_misuse", framework=F,
           argv="car_park_count.py",
           setup=both(quiet_tiny("models/tiny-yolov3.pt"),
                      imgs([(f"car_park_cam/north_{i:02d}.jpg", (640, 480), "RGB") for i in range(2)])))
    script("carwash-video-frame-detection-interval-zero", "model.api_misuse", framework=F, argv="bay_counter.py",
           setup=both(quiet_tiny("models/tiny-yolov3.pt"), prep(CARWASH_CLIP_PREP)))
    notebook("corner-shop-own-classifier-classifyimage-without-result-count-notebook", "model.api_misuse",
             framework=F, forms=NB,
             setup=both(imagenet_file("mobilenet_v2", "mobilenet_v2-b0353104.pth"),
                        save_cls("mobilenet_v2", '["crisps", "drinks", "empty_facing", "sweets"]',
                                 "shelf_model/mobilenet_v2-shelves-test_acc_0.84375_epoch-17.pt",
                                 "shelf_model/shelves_model_classes.json"),
                        imgs([("shelf_cam/shelf3_1412.jpg", (640, 480), "RGB")])))
    script("print-shop-colour-corrected-float-scans-classifyimage-tqdm", "data.dtype", framework=F, forms=P,
           argv="sort_scans.py",
           setup=both(save_cls("mobilenet_v2", '["artwork", "document", "photo"]',
                               "job_sorter/mobilenet_v2-incoming_jobs-test_acc_0.91667_epoch-23.pt",
                               "job_sorter/incoming_jobs_model_classes.json"),
                      imgs([(f"incoming_scans/scan_{i:04d}.png", (420, 300), "RGB") for i in range(3)])))
    script("corner-shop-extracted-product-crops-stacked-for-classifier", "data.image_size_mismatch", framework=F,
           argv="facings.py",
           setup=both(imgs([(f"shelf_cam/aisle{i}_0905.jpg", (640, 480), "RGB") for i in (2, 3)]),
                      few_boxes_tiny('["facing", "gap"]', 2,
                                     "shelf_detector/models/tiny-yolov3_shelves_mAP-0.61244_epoch-48.pt",
                                     "shelf_detector/json/shelves_tiny-yolov3_detection_config.json",
                                     "shelf_cam/aisle2_0905.jpg"),
                      save_cls("mobilenet_v2", '["cola", "crisps_brand_a", "crisps_brand_b", "lemonade"]',
                               "brand_model/mobilenet_v2-brands-test_acc_0.79167_epoch-26.pt",
                               "brand_model/brands_model_classes.json")))
    script("carwash-4k-bay-video-annotated-frames-kept-mini-pc", "resource.host_memory", framework=F,
           forms=("cpython_basic", "chained_during"), argv="customer_clip.py", timeout=400,
           setup=both(quiet_tiny("models/tiny-yolov3.pt"), prep(BAY_4K_PREP)))
    notebook("corner-shop-shelf-check-cell-rerun-extracted-folder-exists-notebook", "other",
             also=["model.api_misuse"], framework=F, forms=NB,
             setup=both(imgs([("shelf_cam/aisle3_0905.jpg", (640, 480), "RGB")]),
                        few_boxes_tiny('["facing", "gap"]', 2,
                                       "shelf_detector/models/tiny-yolov3_shelves_mAP-0.61244_epoch-48.pt",
                                       "shelf_detector/json/shelves_tiny-yolov3_detection_config.json",
                                       "shelf_cam/aisle3_0905.jpg")))

    # ---- own loops around ImageAI models
    script("pharmacy-chain-branches-finetuned-in-pool-dataloader-workers", "env.multiprocessing", framework=F,
           forms=("cpython_basic", "remote_traceback?"), argv="finetune_branches.py", timeout=400,
           setup=both(save_cls("mobilenet_v2", OTC3, "shelf_model/mobilenet_v2-otc-test_acc_0.86458_epoch-30.pt",
                               "shelf_model/otc_model_classes.json"),
                      imgs([spec for b in ("high_street", "retail_park", "village")
                            for spec in class_folder(f"branch_photos/{b}", ["antacids", "cough_syrup", "painkillers"],
                                                     3, size=(160, 120))])))
    script("pharmacy-product-photos-read-image-greyscale-scans-tqdm", "data.image_channels", framework=F, forms=P,
           argv="finetune_new_stock.py",
           setup=both(save_cls("mobilenet_v2", OTC3, "shelf_model/mobilenet_v2-otc-test_acc_0.86458_epoch-30.pt",
                               "shelf_model/otc_model_classes.json"),
                      imgs(class_folder("new_stock", ["antacids", "cough_syrup", "painkillers"], 3, size=(200, 160))
                           + [(f"new_stock/painkillers/scan_{i:03d}.jpg", (200, 260), "L") for i in range(2)])))
    script("gym-floor-busy-level-mse-on-four-class-head", "data.label_shape", also=["model.output_mismatch"],
           framework=F, argv="finetune_levels.py", extra={"floor_cam/levels.csv": BUSY_CSV},
           setup=both(save_cls("mobilenet_v2", '["busy", "full", "normal", "quiet"]',
                               "floor_model/mobilenet_v2-floor-test_acc_0.68750_epoch-15.pt",
                               "floor_model/floor_model_classes.json"),
                      imgs([(f"floor_cam/floor_{700 + i}.jpg", (160, 120), "RGB") for i in range(16)])))
    notebook("parking-slot-crops-into-imageai-densenet121-notebook", "model.input_shape", framework=F, forms=NB,
             timeout=400,
             setup=both(save_cls("densenet121", '["free", "occupied"]',
                                 "bay_model/densenet121-bays-test_acc_0.93750_epoch-12.pt",
                                 "bay_model/bays_model_classes.json"),
                        prep(SLOTS_PREP)))
    script("carwash-six-bay-occupancy-multilabel-on-two-class-model", "model.output_mismatch",
           also=["data.label_shape"], framework=F, argv="finetune_roof_cam.py", extra={"roof_cam/bays.csv": BAYS_CSV},
           setup=both(save_cls("mobilenet_v2", '["bay_free", "bay_occupied"]',
                               "bay_model/mobilenet_v2-bays-test_acc_0.95833_epoch-21.pt",
                               "bay_model/bays_model_classes.json"),
                      imgs([(f"roof_cam/roof_cam_{1100 + i}.jpg", (160, 120), "RGB") for i in range(16)])))
    script("gym-equipment-multilabel-faint-probabilities-zeroed-inplace", "optim.autograd_graph", framework=F,
           argv="finetune_zones.py", extra={"zones/labels.csv": KIT_CSV},
           setup=both(save_cls("mobilenet_v2", KIT5, "kit_model/mobilenet_v2-kit-test_acc_0.81250_epoch-24.pt",
                               "kit_model/kit_model_classes.json"),
                      imgs([(f"zones/zone_{i:02d}.jpg", (160, 120), "RGB") for i in range(12)])))
    script("carwash-queue-count-and-bay-busy-shared-backbone-imageai-lr-tqdm", "optim.divergence", framework=F,
           forms=P, argv="train_queue.py", timeout=400,
           setup=both(save_cls("mobilenet_v2", '["bay_free", "bay_occupied"]',
                               "bay_model/mobilenet_v2-bays-test_acc_0.95833_epoch-21.pt",
                               "bay_model/bays_model_classes.json"),
                      imgs([(f"entrance_cam/entrance_{2200 + i}.jpg", (160, 120), "RGB") for i in range(24)]),
                      prep(QUEUE_PREP)))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=1))
