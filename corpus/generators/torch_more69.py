"""A sixty-ninth held-out set (g131, scored 0.85 top-1 and 0.95 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: makers and small-business users following blog posts to train ImageAI 3 (imageai 3.0.3 on PyTorch)
custom detectors (``DetectionModelTrainer``, YOLOv3 / TinyYOLOv3) and classifiers (``ClassificationModelTrainer``,
ResNet50 / MobileNetV2 / InceptionV3 / DenseNet121) on their own photos (shop products, plants, pets, defects,
3D prints), exported from labelling tools (LabelImg, Roboflow exports renamed by hand, CVAT) and then used with
``CustomObjectDetection`` / ``CustomImageClassification``; some of them then drop to plain PyTorch for a tweak. A
natural mix of causes, each program built so that its cause is known by construction and made to fail inside
ImageAI, torch, torchvision, OpenCV, PIL, NumPy or Python itself; none a repeat of the scenarios in the other
generators:

- ImageAI 3 trainers: a fixed shelf camera whose four slot boxes were labelled once and copied to every frame
  (anchor k-means, data.too_few_boxes), a Label Studio export with rotated rectangles converted without the
  rotation (data.bbox_invalid), a Roboflow v1 export and a v3 export (one class more) merged by hand with the v1
  class list (tqdm, data.label_out_of_range), iPhone HEIC photos renamed ``.jpg`` by hand in a class folder (tqdm,
  data.missing_or_corrupt), a webcam test script named ``cv2.py`` next to the training script (other);
- ImageAI 3 inference: ESP32-CAM RGB565 frames given to the detector (data.image_channels), a Google Takeout
  folder with its ``.json`` sidecars given to the classifier (data.missing_or_corrupt), ImageAI's
  ``prepare_image`` used with a 16:9 network size for a widescreen webcam (model.api_misuse), ``get_predictions``
  given its thresholds in percent like ``minimum_percentage_probability`` (model.api_misuse), a best-shot-per-visit
  picker starting from ``np.NINF`` under NumPy 2 (env.version_incompat), Grad-CAM hooks on the model inside
  ``CustomImageClassification`` run through ``classifyImage`` (notebook, optim.autograd_graph);
- plain PyTorch on ImageAI models: TinyYOLOv3 fine-tune with a padded ``(B, max_boxes, 6)`` target collate into
  ``compute_loss`` (data.label_shape), the detector put in ``eval()`` to freeze BatchNorm while training on its
  decoded output (optim.autograd_graph), a DenseNet121 ImageNet file with the old ``norm.1`` keys loaded into
  torchvision (model.weights_mismatch), a strawberry-punnet weight regression with ImageAI's MobileNetV2 learning
  rate on raw grams (anomaly mode, optim.divergence), a Dataset holding a ``cv2.QRCodeDetector`` for SKU stickers
  on spawn workers (env.multiprocessing), offline augmentation of full-resolution phone photos kept in memory
  (resource.host_memory), 3D-printer frames from ``read_image`` into TinyYOLOv3 (data.dtype), a herb classifier
  fine-tuned on a new class with the ImageAI head size kept (notebook, model.output_mismatch), a golden reference
  photo concatenated with samples from a new camera (workers, data.image_size_mismatch).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more69.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more69.py"

SCRIPTS = {}
CELLS = {}


def boxes(nc=2):
    def rows(split, i):
        a, b = i % nc, (i + 1) % nc
        return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
                f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")
    return rows


MEM_CAP = '''
import resource


def memory_cap(gib):
    # the same limit as the 4 GB mini PC in the workshop, reproduced on the desktop
    vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + int(gib * 2 ** 30), resource.RLIM_INFINITY))
'''

# ================================================================== ImageAI 3 trainers
SCRIPTS["imageai-det-shelf-cam-slot-labels-copied-to-every-frame"] = '''
import glob
import os
import shutil

from imageai.Detection.Custom import DetectionModelTrainer

DATA = "shelf_cam"

# The camera above the shelf never moves, so the four slots were labelled once in LabelImg (YOLO mode) on the
# first frame and that file is copied next to every other frame (saves labelling 300 photos by hand).
for split in ("train", "validation"):
    os.makedirs(os.path.join(DATA, split, "annotations"), exist_ok=True)
    for img in sorted(glob.glob(os.path.join(DATA, split, "images", "*.jpg"))):
        name = os.path.splitext(os.path.basename(img))[0]
        shutil.copy(os.path.join(DATA, "slots_frame0000.txt"), os.path.join(DATA, split, "annotations", name + ".txt"))
print("labels copied to", len(glob.glob(os.path.join(DATA, "*", "annotations", "*.txt"))), "frames")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["stocked", "empty"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''

SLOTS = ("0 0.26 0.31 0.40 0.30\n1 0.74 0.31 0.40 0.30\n"
         "0 0.26 0.72 0.40 0.36\n0 0.74 0.72 0.40 0.36\n")

SCRIPTS["imageai-det-label-studio-rotated-rectangles-converter-ignores-rotation"] = '''
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

# Label Studio "JSON-MIN" export -> ImageAI layout (x, y, width, height are percentages of the image,
# x/y the top-left corner)
CLASSES = ["hammer", "screwdriver", "wrench"]
DATA = "toolwall"

for split in ("train", "validation"):
    with open(os.path.join(DATA, split, "label_studio_export.json")) as f:
        tasks = json.load(f)
    os.makedirs(os.path.join(DATA, split, "annotations"), exist_ok=True)
    for task in tasks:
        stem = os.path.splitext(os.path.basename(task["image"]))[0].split("-", 1)[1]   # drop the upload prefix
        rows = []
        for r in task.get("label", []):
            cx = (r["x"] + r["width"] / 2) / 100
            cy = (r["y"] + r["height"] / 2) / 100
            rows.append(f"{CLASSES.index(r['rectanglelabels'][0])} {cx:.6f} {cy:.6f} "
                        f"{r['width'] / 100:.6f} {r['height'] / 100:.6f}")
        with open(os.path.join(DATA, split, "annotations", stem + ".txt"), "w") as f:
            f.write("\\n".join(rows) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=50)
trainer.trainModel()
'''

LABEL_STUDIO_PREP = '''
import json, os, uuid
import numpy as np
from PIL import Image

rng = np.random.default_rng(3)
labels = ["hammer", "screwdriver", "wrench"]
for split, n in (("train", 8), ("validation", 2)):
    d = f"toolwall/{split}/images"
    os.makedirs(d, exist_ok=True)
    tasks = []
    for i in range(n):
        name = f"PXL_{20240301 + i}.jpg"
        Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(os.path.join(d, name))
        res = []
        for k in range(2):
            w, h = float(rng.integers(8, 30)), float(rng.integers(10, 40))
            x, y = float(rng.integers(2, int(98 - w))), float(rng.integers(2, int(98 - h)))
            rot = 0.0
            if split == "train" and i == 6 and k == 1:
                # a screwdriver hanging sideways: drawn along the tool, then turned with the rotation handle
                x, y, w, h, rot = 91.2, 22.5, 28.4, 6.1, 90.0
            res.append({"x": x, "y": y, "width": w, "height": h, "rotation": rot,
                        "rectanglelabels": [labels[(i + k) % 3]], "original_width": 320, "original_height": 240})
        tasks.append({"image": f"/data/upload/7/{uuid.UUID(int=int(rng.integers(2**62))).hex[:8]}-{name}",
                      "id": 100 + i, "label": res})
    json.dump(tasks, open(f"toolwall/{split}/label_studio_export.json", "w"), indent=1)
'''

SCRIPTS["imageai-det-roboflow-v1-and-v3-exports-merged-by-hand-tqdm"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# names from data.yaml of the first Roboflow export (v1); the v3 export's photos and labels were
# dragged into the same train/ folders afterwards to get more data
NAMES = ["spaghetti", "blob", "layer_shift"]

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="print_fails")
trainer.setTrainConfig(object_names_array=NAMES, batch_size=4, num_experiments=40)
trainer.trainModel()
'''


def merged_rows(split, i):
    # v1 files (ids 0-2) and, in train, v3 files whose export added "stringing" as id 3
    nc = 4 if (split == "train" and i % 2) else 3
    a, b = i % nc, (i + 3) % nc
    return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
            f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")


SCRIPTS["imageai-cls-trainer-iphone-heic-renamed-jpg-tqdm"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# houseplant disease classifier for the garden centre; photos AirDropped from two iPhones and sorted by hand
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("houseplants")
trainer.trainModel(num_experiments=10, batch_size=4)
'''


def heic_renamed(work):
    import random
    rnd = random.Random(7)
    for name in ("IMG_4521.jpg", "IMG_4523.jpg"):
        p = work / "houseplants/train/leaf_spot" / name
        body = bytes(rnd.randrange(256) for _ in range(6000))
        # HEIF container (ftyp heic) as the iPhone writes it; only the extension was changed in Finder
        p.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x01\x0fmeta" + body)


SCRIPTS["imageai-feeder-best-shot-per-visit-np-ninf-numpy2"] = '''
import glob
import os
import shutil

import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

# keep only the best photo of every visit to the feeder (the trail camera takes a burst of 3-5)
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_feeder_last.pt")
detector.setJsonPath("models/feeder_tiny-yolov3_detection_config.json")
detector.loadModel()

os.makedirs("best_shots", exist_ok=True)
for visit in sorted(glob.glob("trailcam/visit_*")):
    best_score, best_photo = np.NINF, None
    for photo in sorted(glob.glob(os.path.join(visit, "*.jpg"))):
        detections = detector.detectObjectsFromImage(input_image=photo, output_type="file",
                                                     minimum_percentage_probability=30)
        score = max((d["percentage_probability"] for d in detections), default=0.0)
        if score > best_score:
            best_score, best_photo = score, photo
    shutil.copy(best_photo, "best_shots")
    print(visit, "->", os.path.basename(best_photo), best_score)
'''

SCRIPTS["webcam-test-script-named-cv2-beside-train-script"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="cat_flap")
trainer.setTrainConfig(object_names_array=["our_cat", "neighbour_cat"], batch_size=4, num_experiments=40)
trainer.trainModel()
'''

CV2_PY = '''
# quick check that the USB webcam above the cat flap works (from the OpenCV getting-started page)
import cv2

cap = cv2.VideoCapture(0)
ok, frame = cap.read()
print("webcam ok:", ok)
if ok:
    cv2.imwrite("webcam_test.jpg", frame)
cap.release()
'''

# ================================================================== ImageAI 3 inference
SCRIPTS["imageai-detect-esp32-cam-rgb565-frames"] = '''
import glob

import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

# the ESP32-CAM on the bird feeder POSTs raw QVGA frames (PIXFORMAT_RGB565) to the Flask endpoint,
# which dumps them as .raw files; the detector was trained with ImageAI on photos from the phone
W, H = 320, 240

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_feeder_last.pt")
detector.setJsonPath("models/feeder_tiny-yolov3_detection_config.json")
detector.loadModel()

for path in sorted(glob.glob("esp32_dumps/*.raw")):
    frame = np.fromfile(path, dtype=np.uint8).reshape(H, W, -1)
    print(path, frame.shape)
    _, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                   minimum_percentage_probability=40)
    for d in detections:
        print("  ", d["name"], d["percentage_probability"])
'''

ESP32_PREP = '''
import os
import numpy as np
os.makedirs("esp32_dumps", exist_ok=True)
rng = np.random.default_rng(5)
for i in range(3):
    rng.integers(0, 256, 320 * 240 * 2, dtype=np.uint8).tofile(f"esp32_dumps/feeder_{1700000000 + 37 * i}.raw")
'''

SCRIPTS["imageai-custom-cls-google-takeout-folder-json-sidecars"] = '''
import csv
import os

from imageai.Classification.Custom import CustomImageClassification

# tag last year's product photos, downloaded from Google Photos with Takeout
ALBUM = os.path.join("takeout", "Takeout", "Google Photos", "Shop stock 2024")

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("models/resnet50-candles-test_acc_0.91667_epoch-23.pt")
clf.setJsonPath("models/candles_model_classes.json")
clf.loadModel()

with open("album_tags.csv", "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["file", "tag", "probability"])
    for name in sorted(os.listdir(ALBUM)):
        labels, probs = clf.classifyImage(os.path.join(ALBUM, name), result_count=1)
        writer.writerow([name, labels[0], probs[0]])
        print(name, labels[0], probs[0])
'''

TAKEOUT_PREP = '''
import json, os
import numpy as np
from PIL import Image
d = "takeout/Takeout/Google Photos/Shop stock 2024"
os.makedirs(d, exist_ok=True)
rng = np.random.default_rng(11)
for i in (118, 119, 121):
    name = f"PXL_20240{i % 9 + 1}12_10{i}22.jpg"
    Image.fromarray(rng.integers(0, 256, (300, 400, 3), dtype=np.uint8)).save(os.path.join(d, name))
    json.dump({"title": name, "description": "", "creationTime": {"timestamp": "17060" + str(i)},
               "geoData": {"latitude": 0.0, "longitude": 0.0}, "url": "https://photos.google.com/photo/AF1Qip"},
              open(os.path.join(d, name + ".supplemental-metadata.json"), "w"), indent=2)
'''

SCRIPTS["imageai-prepare-image-widescreen-network-size"] = '''
import json

import cv2
import numpy as np
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions, prepare_image

# The till webcam is 16:9, so instead of letterboxing to 416x416 I run the network at 640x384
# (both multiples of 32) -- ImageAI's own helpers do the resizing.
NET_W, NET_H = 640, 384

cfg = json.load(open("models/counter_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("models/tiny-yolov3_counter_last.pt", map_location="cpu"))
model.eval()

frame = cv2.imread("till_cam/frame_000412.jpg")
print("frame", frame.shape)
x = prepare_image(frame, (NET_W, NET_H))
with torch.no_grad():
    out = get_predictions(model(x), num_classes=len(cfg["labels"]), objectness_confidence=0.5)
print(out)
'''

# ================================================================== plain PyTorch on ImageAI models
SCRIPTS["imageai-tiny-yolov3-finetune-padded-targets-collate"] = '''
import json

import torch
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

DATA = "datasets/hedgehogs"
with open(f"{DATA}/json/hedgehogs_tiny-yolov3_detection_config.json") as f:
    cfg = json.load(f)
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load(f"{DATA}/models/tiny-yolov3_hedgehogs_last.pt", map_location="cpu"))


def pad_collate(batch):
    """Batch images with different numbers of boxes: pad every label tensor to the longest one
    (from the "custom collate_fn for object detection" post)."""
    imgs, labels = zip(*batch)
    max_boxes = max(len(l) for l in labels)
    padded = torch.zeros(len(labels), max_boxes, 6)
    for i, l in enumerate(labels):
        padded[i, :len(l)] = l
        padded[i, :len(l), 0] = i            # image index in the batch, as ImageAI does
    return torch.stack(imgs), padded


ds = LoadImagesAndLabels(DATA, train=True)
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=pad_collate)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

model.train()
for epoch in range(10):
    for imgs, targets in loader:
        model(imgs)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}")
'''


def hedgehog_rows(split, i):
    rows = [f"0 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}"]
    if i % 3 == 1:
        rows.append(f"0 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}")
    return "\n".join(rows) + "\n"


SCRIPTS["imageai-tiny-yolov3-eval-mode-to-freeze-bn-own-box-loss"] = '''
import json

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

DATA = "datasets/door_sensor"
with open(f"{DATA}/json/door_sensor_tiny-yolov3_detection_config.json") as f:
    cfg = json.load(f)
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load(f"{DATA}/models/tiny-yolov3_door_sensor_last.pt", map_location="cpu"))

# Only 6 new photos, batch of 2: the forum said to keep BatchNorm frozen with model.eval() when the
# batches are that small, and to fine-tune on "more objectness where my boxes are".
model.eval()
ds = LoadImagesAndLabels(DATA, train=True)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=ds.collate_fn)
opt = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(5):
    for imgs, targets in loader:
        out = model(imgs)                          # (B, boxes, 5 + classes): x, y, w, h in pixels, obj, cls
        obj = out[..., 4]
        wanted = torch.zeros_like(obj)
        for b, _, cx, cy, w, h in targets.tolist():
            d = (out[int(b), :, 0] - cx * 416) ** 2 + (out[int(b), :, 1] - cy * 416) ** 2
            wanted[int(b), d.argmin()] = 1.0
        loss = F.binary_cross_entropy(obj.clamp(1e-6, 1 - 1e-6), wanted)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

SCRIPTS["torchvision-densenet121-imageai-guide-weights-old-keys"] = '''
import torch
import torch.nn as nn
from torchvision import datasets, transforms
from torchvision.models import densenet121

# ImageAI trained fine from this file (transfer_from_model=...), now the same fine-tune in plain PyTorch
# so I can add a learning-rate schedule. File downloaded for the ImageAI transfer-learning guide.
WEIGHTS = "pretrained/densenet121-a639ec97.pth"

tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("dogs/train", tf)

model = densenet121()
model.load_state_dict(torch.load(WEIGHTS, map_location="cpu"))
model.classifier = nn.Linear(model.classifier.in_features, len(train_ds.classes))
print(model.classifier)
'''

OLD_DENSENET_PREP = '''
import os, re
import torch
from torchvision.models import densenet121

os.makedirs("pretrained", exist_ok=True)
sd = densenet121().state_dict()
old = {}
for k, v in sd.items():
    # the 2017 checkpoint names: denselayer1.norm.1.weight instead of denselayer1.norm1.weight
    old[re.sub(r"(denselayer\\d+\\.(?:norm|relu|conv))([12])\\.", r"\\1.\\2.", k)] = v
torch.save(old, "pretrained/densenet121-a639ec97.pth")
'''

SCRIPTS["imageai-mobilenetv2-strawberry-punnet-grams-regression-anomaly"] = '''
import json
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import mobilenet_v2

# The ripeness classifier works, now I want it to guess the punnet weight (grams) for the farm shop.
# Same backbone as the ImageAI model, same optimiser settings as ImageAI's MobileNetV2 trainer.
torch.autograd.set_detect_anomaly(True)
classes = json.load(open("models/strawberries_model_classes.json"))
model = mobilenet_v2()
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-strawberries-test_acc_0.88889_epoch-31.pt", map_location="cpu"))
model.classifier[1] = nn.Linear(model.classifier[1].in_features, 1)

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class Punnets(Dataset):
    def __init__(self, csv_path):
        self.rows = list(csv.DictReader(open(csv_path)))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return tf(Image.open(r["file"]).convert("RGB")), torch.tensor([float(r["grams"])])


loader = DataLoader(Punnets("punnets/weights.csv"), batch_size=4, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=0.045, momentum=0.9, weight_decay=4e-5)
loss_fn = nn.MSELoss()

model.train()
for epoch in range(20):
    for step, (x, grams) in enumerate(loader):
        loss = loss_fn(model(x), grams)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step}: mse {loss.item():.1f}", flush=True)
'''

PUNNET_PREP = '''
import os, csv
import numpy as np
from PIL import Image
os.makedirs("punnets", exist_ok=True)
rng = np.random.default_rng(2)
with open("punnets/weights.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["file", "grams"])
    for i in range(12):
        p = f"punnets/punnet_{i:03d}.jpg"
        Image.fromarray(rng.integers(0, 256, (180, 240, 3), dtype=np.uint8)).save(p)
        w.writerow([p, int(rng.integers(380, 520))])
'''

SCRIPTS["qr-sku-sticker-product-dataset-spawn-workers"] = '''
import glob
import json

import cv2
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2


class StickeredProducts(Dataset):
    """Every product photo has the shop's QR sticker with the SKU; the SKU gives the category."""

    def __init__(self, folder, sku_to_category, categories):
        self.paths = sorted(glob.glob(f"{folder}/*.jpg"))
        self.sku_to_category = sku_to_category
        self.categories = categories
        self.qr = cv2.QRCodeDetector()             # built once, not for every photo

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = cv2.imread(self.paths[i])
        sku, _, _ = self.qr.detectAndDecode(img)
        label = self.categories.index(self.sku_to_category.get(sku, "unknown"))
        img = cv2.resize(cv2.cvtColor(img, cv2.COLOR_BGR2RGB), (224, 224))
        return torch.from_numpy(img).permute(2, 0, 1).float() / 255, label


def main():
    sku_to_category = json.load(open("sku_categories.json"))
    categories = sorted(set(sku_to_category.values())) + ["unknown"]
    ds = StickeredProducts("photos_with_stickers", sku_to_category, categories)
    # same settings as on the shop's Mac mini, where DataLoader workers are spawned
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = mobilenet_v2(num_classes=len(categories))
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(3):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

SCRIPTS["offline-augment-phone-photos-full-res-kept-in-memory"] = MEM_CAP + '''
import glob

import torch
from PIL import Image
from torchvision import transforms

memory_cap(3.0)

# "Only 20 photos? Make 40 augmented copies of each one first" -- the copies are kept as tensors and
# written into the ImageAI class folders at the end
augment = transforms.Compose([
    transforms.RandomRotation(15),
    transforms.ColorJitter(0.3, 0.3, 0.3),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])

copies = []
for path in sorted(glob.glob("phone_photos/*/*.jpg")):
    img = Image.open(path).convert("RGB")
    for k in range(40):
        copies.append((path, k, augment(img)))
    print(f"{path}: {len(copies)} augmented copies so far", flush=True)

for path, k, t in copies:
    transforms.functional.to_pil_image(t).save(path.replace("phone_photos", "dataset/train").replace(".jpg", f"_aug{k}.jpg"))
'''

BIG_PHOTOS_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(4)
H, W = 3024, 4032
yy, xx = np.mgrid[0:H, 0:W]
base = ((xx[..., None] * np.array([0.05, 0.03, 0.02]) + yy[..., None] * np.array([0.02, 0.04, 0.06])) % 256)
for cls in ("rings", "earrings"):
    os.makedirs(f"phone_photos/{cls}", exist_ok=True)
    for i in range(2):
        noise = rng.integers(0, 40, (H, W, 3))
        Image.fromarray(((base + noise) % 256).astype(np.uint8)).save(f"phone_photos/{cls}/IMG_{3300 + i}.jpg", quality=85)
'''

SCRIPTS["imageai-tiny-yolov3-printer-frames-read-image-uint8"] = '''
import glob
import json
import os

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms import v2
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

DATA = "octoprint_frames"
cfg = json.load(open("models/print_fails_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("models/tiny-yolov3_print_fails_last.pt", map_location="cpu"))


class TimelapseFrames(Dataset):
    """OctoPrint timelapse frames + YOLO label files, resized straight to 416 (the camera is fixed)."""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.resize = v2.Resize((416, 416), antialias=True)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = self.resize(read_image(self.images[i]))
        lab = self.images[i].replace("images", "annotations").replace(".jpg", ".txt")
        boxes = torch.tensor([[float(v) for v in line.split()] for line in open(lab) if line.strip()])
        return img, torch.cat([torch.zeros(len(boxes), 1), boxes], 1)


def collate(batch):
    imgs, labels = zip(*batch)
    for i, l in enumerate(labels):
        l[:, 0] = i
    return torch.stack(imgs), torch.cat(labels)


loader = DataLoader(TimelapseFrames(os.path.join(DATA, "train")), batch_size=4, shuffle=True, collate_fn=collate)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
model.train()
for epoch in range(10):
    for imgs, targets in loader:
        model(imgs)
        loss, _ = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CELLS["imageai-mobilenetv2-herbs-new-class-head-size-from-old-json-notebook"] = [
    '''import json
import torch
import torch.nn as nn
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v2

# the ImageAI herb classifier (basil / mint / parsley); this spring's photos add thyme
classes = json.load(open("models/herbs_model_classes.json"))
classes''',
    '''tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
new_photos = datasets.ImageFolder("herbs_spring/train", tf)
loader = torch.utils.data.DataLoader(new_photos, batch_size=8, shuffle=True)
new_photos.class_to_idx''',
    '''# rebuild the network exactly like ImageAI does, then continue training from its weights
model = mobilenet_v2()
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-herbs-test_acc_0.93750_epoch-44.pt", map_location="cpu"))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()''',
    '''model.train()
for epoch in range(5):
    for x, y in loader:
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, round(loss.item(), 4))''',
]

SCRIPTS["pcb-golden-reference-concat-new-camera-workers"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models import mobilenet_v2
from torchvision.transforms.functional import to_tensor


class SolderJoints(Dataset):
    """Each sample = golden board photo + inspected board photo stacked as 6 channels (the
    "reference-based defect detection" trick), label from the folder name."""

    def __init__(self, golden_path, root):
        self.golden = to_tensor(Image.open(golden_path).convert("RGB"))
        self.items = [(p, 0) for p in sorted(glob.glob(f"{root}/ok/*.png"))] + \\
                     [(p, 1) for p in sorted(glob.glob(f"{root}/defect/*.png"))]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        sample = to_tensor(Image.open(path).convert("RGB"))
        return torch.cat([self.golden, sample], dim=0), label


if __name__ == "__main__":
    ds = SolderJoints("golden/board_rev3_golden.png", "inspections")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = mobilenet_v2(num_classes=2)
    model.features[0][0] = nn.Conv2d(6, 32, 3, 2, 1, bias=False)
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(10):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())
'''

CELLS["imageai-cls-gradcam-hooks-through-classifyimage-notebook"] = [
    '''from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("models/resnet50-leaves-test_acc_0.85417_epoch-37.pt")
clf.setJsonPath("models/leaves_model_classes.json")
clf.loadModel()''',
    '''# Grad-CAM: why does it say "rust" for this leaf? ImageAI keeps the torchvision model in a private
# attribute (found with vars(clf)), so hook layer4 and fc and let classifyImage do the preprocessing
net = clf._CustomImageClassification__model
saved = {}
net.layer4.register_forward_hook(lambda m, i, o: saved.__setitem__("act", o))
net.fc.register_forward_hook(lambda m, i, o: saved.__setitem__("logits", o))
labels, probs = clf.classifyImage("leaves/IMG_0412.jpg", result_count=1)
labels, probs''',
    '''import torch
score = saved["logits"][0].max()
grads = torch.autograd.grad(score, saved["act"])[0]
cam = torch.relu((grads.mean(dim=(2, 3), keepdim=True) * saved["act"]).sum(1))[0]
cam.shape''',
]

SCRIPTS["imageai-get-predictions-thresholds-in-percent"] = '''
import json

import cv2
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions, prepare_image

# count parcels on the packing table: ImageAI's network + ImageAI's own post-processing, without the
# drawing part of detectObjectsFromImage (too slow on the old laptop)
with open("models/parcels_tiny-yolov3_detection_config.json") as f:
    cfg = json.load(f)
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("models/tiny-yolov3_parcels_last.pt", map_location="cpu"))
model.eval()

frame = cv2.imread("table_cam/table_0931.jpg")
with torch.no_grad():
    raw = model(prepare_image(frame, (416, 416)))
# same numbers as minimum_percentage_probability=50 / nms 40 in the detectObjectsFromImage version
detections = get_predictions(raw, num_classes=len(cfg["labels"]), objectness_confidence=50,
                             nms_confidence_level=40)
counts = {}
for det in detections:
    name = cfg["labels"][int(det[-1])]
    counts[name] = counts.get(name, 0) + 1
print(counts)
'''


def cases():
    out, add, script, notebook = case_builders("torch-more69-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")

    # ---- ImageAI 3 trainers
    script("imageai-det-shelf-cam-slot-labels-copied-to-every-frame", "data.too_few_boxes", framework="imageai",
           argv="train_slots.py", timeout=400,
           setup=both(yolo_layout("shelf_cam", None, size=(320, 240), splits=(("train", 8), ("validation", 2)),
                                  write_labels=False),
                      write("shelf_cam/slots_frame0000.txt", SLOTS)))
    script("imageai-det-label-studio-rotated-rectangles-converter-ignores-rotation", "data.bbox_invalid",
           framework="imageai", argv="convert_and_train.py", timeout=400, setup=prep(LABEL_STUDIO_PREP))
    script("imageai-det-roboflow-v1-and-v3-exports-merged-by-hand-tqdm", "data.label_out_of_range",
           framework="imageai", forms=P, argv="train_printfails.py", timeout=400,
           setup=yolo_layout("print_fails", merged_rows, size=(320, 240), splits=(("train", 8), ("validation", 2))))
    script("imageai-cls-trainer-iphone-heic-renamed-jpg-tqdm", "data.missing_or_corrupt", framework="imageai",
           forms=P, argv="train_plants.py", timeout=400, exception="UnidentifiedImageError",
           setup=both(imgs(class_folder("houseplants/train", ["healthy", "leaf_spot", "mealybug"], 3, size=(96, 96))
                           + class_folder("houseplants/test", ["healthy", "leaf_spot", "mealybug"], 1,
                                          size=(96, 96))),
                      heic_renamed))
    script("imageai-feeder-best-shot-per-visit-np-ninf-numpy2", "env.version_incompat", framework="imageai",
           argv="best_shots.py",
           setup=both(save_tiny('["great_tit", "robin", "squirrel"]', 3, "models/tiny-yolov3_feeder_last.pt",
                                "models/feeder_tiny-yolov3_detection_config.json"),
                      imgs([(f"trailcam/visit_{v:03d}/IMAG{10 * v + i:04d}.jpg", (416, 312), "RGB")
                            for v in (1, 2) for i in range(3)])))
    script("webcam-test-script-named-cv2-beside-train-script", "other", also=["env.version_incompat"],
           framework="imageai", argv="train_catflap.py", extra={"cv2.py": CV2_PY},
           setup=yolo_layout("cat_flap", boxes(2), size=(320, 240), splits=(("train", 4), ("validation", 2))))

    # ---- ImageAI 3 inference
    script("imageai-detect-esp32-cam-rgb565-frames", "data.image_channels", framework="imageai",
           argv="feeder_detect.py",
           setup=both(save_tiny('["great_tit", "robin", "squirrel"]', 3, "models/tiny-yolov3_feeder_last.pt",
                                "models/feeder_tiny-yolov3_detection_config.json"),
                      prep(ESP32_PREP)))
    script("imageai-custom-cls-google-takeout-folder-json-sidecars", "data.missing_or_corrupt",
           framework="imageai", argv="tag_album.py", exception="UnidentifiedImageError",
           setup=both(save_cls("resnet50", '["pillar", "tealight", "votive"]',
                               "models/resnet50-candles-test_acc_0.91667_epoch-23.pt",
                               "models/candles_model_classes.json"),
                      prep(TAKEOUT_PREP)))
    script("imageai-prepare-image-widescreen-network-size", "model.api_misuse", also=["model.input_shape"],
           framework="imageai", argv="till_cam.py",
           setup=both(save_tiny('["banknote", "coin", "card"]', 3, "models/tiny-yolov3_counter_last.pt",
                                "models/counter_tiny-yolov3_detection_config.json"),
                      imgs([("till_cam/frame_000412.jpg", (1280, 720), "RGB")])))

    # ---- plain PyTorch on ImageAI models
    script("imageai-tiny-yolov3-finetune-padded-targets-collate", "data.label_shape", also=["model.api_misuse"],
           argv="finetune_hedgehogs.py",
           setup=both(save_tiny('["hedgehog"]', 1, "datasets/hedgehogs/models/tiny-yolov3_hedgehogs_last.pt",
                                "datasets/hedgehogs/json/hedgehogs_tiny-yolov3_detection_config.json"),
                      yolo_layout("datasets/hedgehogs", hedgehog_rows, size=(320, 240), splits=(("train", 8),))))
    script("imageai-tiny-yolov3-eval-mode-to-freeze-bn-own-box-loss", "optim.autograd_graph",
           also=["model.api_misuse"], argv="finetune_door.py",
           setup=both(save_tiny('["door_open", "door_closed"]', 2,
                                "datasets/door_sensor/models/tiny-yolov3_door_sensor_last.pt",
                                "datasets/door_sensor/json/door_sensor_tiny-yolov3_detection_config.json"),
                      yolo_layout("datasets/door_sensor", boxes(2), size=(320, 240), splits=(("train", 6),))))
    script("torchvision-densenet121-imageai-guide-weights-old-keys", "model.weights_mismatch",
           argv="finetune_dogs.py",
           setup=both(prep(OLD_DENSENET_PREP),
                      imgs(class_folder("dogs/train", ["beagle", "collie", "pug"], 2, size=(120, 120)))))
    script("imageai-mobilenetv2-strawberry-punnet-grams-regression-anomaly", "optim.divergence",
           argv="punnet_grams.py", timeout=400,
           setup=both(save_cls("mobilenet_v2", '["ripe", "turning", "unripe"]',
                               "models/mobilenet_v2-strawberries-test_acc_0.88889_epoch-31.pt",
                               "models/strawberries_model_classes.json"),
                      prep(PUNNET_PREP)))
    script("qr-sku-sticker-product-dataset-spawn-workers", "env.multiprocessing", argv="train_stickers.py",
           setup=both(imgs([(f"photos_with_stickers/P{1000 + i}.jpg", (200, 150), "RGB") for i in range(6)]),
                      write("sku_categories.json", '{"SKU-0001": "mugs", "SKU-0002": "candles", '
                                                   '"SKU-0003": "cards"}')))
    script("offline-augment-phone-photos-full-res-kept-in-memory", "resource.host_memory", argv="augment.py",
           timeout=400, setup=prep(BIG_PHOTOS_PREP))
    script("imageai-tiny-yolov3-printer-frames-read-image-uint8", "data.dtype", argv="finetune_octoprint.py",
           setup=both(save_tiny('["spaghetti", "blob", "layer_shift"]', 3, "models/tiny-yolov3_print_fails_last.pt",
                                "models/print_fails_tiny-yolov3_detection_config.json"),
                      yolo_layout("octoprint_frames", boxes(3), size=(320, 240), splits=(("train", 4),))))
    notebook("imageai-mobilenetv2-herbs-new-class-head-size-from-old-json-notebook", "model.output_mismatch",
             also=["data.label_out_of_range"],
             setup=both(save_cls("mobilenet_v2", '["basil", "mint", "parsley"]',
                                 "models/mobilenet_v2-herbs-test_acc_0.93750_epoch-44.pt",
                                 "models/herbs_model_classes.json"),
                        imgs(class_folder("herbs_spring/train", ["basil", "mint", "parsley", "thyme"], 3,
                                          size=(120, 120)))))
    script("pcb-golden-reference-concat-new-camera-workers", "data.image_size_mismatch", forms=W,
           argv="train_solder.py",
           setup=imgs([("golden/board_rev3_golden.png", (320, 240), "RGB")]
                      + [(f"inspections/ok/line1_{i:03d}.png", (320, 240), "RGB") for i in range(4)]
                      + [(f"inspections/defect/line1_{i:03d}.png", (320, 240), "RGB") for i in range(2)]
                      + [(f"inspections/defect/line2_{i:03d}.png", (400, 300), "RGB") for i in range(2)]))
    notebook("imageai-cls-gradcam-hooks-through-classifyimage-notebook", "optim.autograd_graph",
             also=["model.api_misuse"], framework="imageai",
             setup=both(save_cls("resnet50", '["healthy", "powdery_mildew", "rust"]',
                                 "models/resnet50-leaves-test_acc_0.85417_epoch-37.pt",
                                 "models/leaves_model_classes.json"),
                        imgs([("leaves/IMG_0412.jpg", (400, 300), "RGB")])))
    script("imageai-get-predictions-thresholds-in-percent", "model.api_misuse", framework="imageai",
           argv="count_parcels.py",
           setup=both(save_tiny('["box_small", "box_large", "envelope"]', 3, "models/tiny-yolov3_parcels_last.pt",
                                "models/parcels_tiny-yolov3_detection_config.json"),
                      imgs([("table_cam/table_0931.jpg", (640, 480), "RGB")])))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
