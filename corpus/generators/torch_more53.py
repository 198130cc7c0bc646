"""A fifty-third held-out set (g105, scored 0.90 top-1 and 0.95 top-3 before any rule for it) of ImageAI 3 / PyTorch / torchvision failures, untargeted across the taxonomy.

The persona: about half ImageAI 3.0.3 users running its trainers and detectors on their own data the way the ImageAI
docs and blog tutorials show (YOLO annotation folders, json configs, model paths, setModelTypeAs... calls, video
detection with callbacks), the other half people who left ImageAI for plain torchvision or a hand-written
YOLO-style detector in PyTorch. A natural mix of causes, each program built so that its cause is known by
construction; none a repeat of the scenarios in the other generators:

- ImageAI 3: ``detectObjectsFromImage(extract_detected_objects=True)`` run a second time over the ``-extracted``
  folder of the first run, a ``VideoObjectDetection`` per-frame callback whose ``csv`` ``writerow`` gets two
  arguments (ImageAI turns it into "your input video is invalid"), ``CustomVideoObjectDetection`` given the COCO
  example's ``custom_objects``, a VOC-to-YOLO converter that appends the ``<difficult>`` flag to some rows
  (``np.loadtxt`` column count), two cameras' annotated frames of different sizes joined with ``cv2.hconcat``, a
  retrain job run inside a ``@torch.inference_mode()`` main, a classification loop over a clip that does not stop
  at the end of the stream (``None`` frame), InceptionV3 transfer learning from Keras-converted ImageNet weights
  (no auxiliary head);
- torchvision / hand-written YOLO: an ImageAI-trained InceptionV3 checkpoint (AuxLogits kept) loaded into
  ``inception_v3(aux_logits=False)``, a hand-written ``ModelEMA`` that also decays ``num_batches_tracked``, a
  two-scale YOLO neck at ``--img-size 400`` (not a multiple of 32), a mosaic that samples three other images from
  a two-image pilot set (in workers), multi-scale training against targets built for a fixed 13 x 13 grid, an
  ``exp`` width/height decode in pixels on a net fed raw 0-255 pixels (anomaly mode), ``compute_loss``
  decorated with ``@torch.no_grad()`` like the ``build_targets`` above it, a Roboflow export whose parent class 0
  shifts every id by one (``one_hot``), ``FeaturePyramidNetwork`` given a list, a warm-up length of
  ``int(0.3 * len(loader))`` on a pilot loader (tqdm), label paths from ``str.replace("images", "labels")`` in a
  project whose folder name contains "images" (in workers), an old repo's ``from collections import Iterable``,
  a print-catalogue CMYK JPEG read with ``read_image`` into a detector batch.

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run or a faked download left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more53.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more53.py"

SCRIPTS = {}
CELLS = {}

# a small hand-written YOLO-style detector, the shape people write after leaving ImageAI
TINY_YOLO = '''
class ConvBN(nn.Sequential):
    def __init__(self, c1, c2, s=1):
        super().__init__(nn.Conv2d(c1, c2, 3, s, 1, bias=False), nn.BatchNorm2d(c2), nn.LeakyReLU(0.1))


class TinyYolo(nn.Module):
    def __init__(self, nc, na=3):
        super().__init__()
        self.nc, self.na = nc, na
        self.body = nn.Sequential(ConvBN(3, 16, 2), ConvBN(16, 32, 2), ConvBN(32, 64, 2),
                                  ConvBN(64, 128, 2), ConvBN(128, 128, 2))
        self.head = nn.Conv2d(128, na * (5 + nc), 1)

    def forward(self, x):
        p = self.head(self.body(x))
        b, _, h, w = p.shape
        return p.view(b, self.na, 5 + self.nc, h, w).permute(0, 1, 3, 4, 2).contiguous()
'''

YOLO_DS = '''
class YoloTxt(Dataset):
    """images/*.jpg + labels/*.txt (class cx cy w h, normalised)"""

    def __init__(self, root, size=320):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((self.size, self.size))
        lab = self.images[i].replace(os.sep + "images" + os.sep, os.sep + "labels" + os.sep).rsplit(".", 1)[0] + ".txt"
        rows = torch.tensor(np.loadtxt(lab, ndmin=2), dtype=torch.float32)
        return TF.to_tensor(img), rows


def collate(batch):
    imgs, labels = zip(*batch)
    targets = [torch.cat([torch.full((len(l), 1), float(i)), l], 1) for i, l in enumerate(labels)]
    return torch.stack(imgs), torch.cat(targets)
'''

YOLO_IMPORTS = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
'''


def yolo_script(body, imports=YOLO_IMPORTS):
    return imports + TINY_YOLO + YOLO_DS + body


def yolo_rows(nc=3, base=0):
    def rows(split, i):
        a = base + i % nc
        b = base + (i + 1) % nc
        return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.2{i % 3} 0.1{5 + i % 4}\n"
                f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.1{i % 5} 0.2{i % 3}\n")
    return rows


# ================================================================== ImageAI 3
SCRIPTS["imageai-custom-detect-second-run-extracted-folder-exists"] = '''
from imageai.Detection.Custom import CustomObjectDetection

# pothole report for the council: boxes drawn on the photo + one crop per pothole
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("potholes/models/tiny-yolov3_potholes_last.pt")
detector.setJsonPath("potholes/json/potholes_tiny-yolov3_detection_config.json")
detector.loadModel()

detections, crops = detector.detectObjectsFromImage(input_image="road_0412.jpg",
                                                    output_image_path="road_0412-detected.jpg",
                                                    minimum_percentage_probability=60,
                                                    extract_detected_objects=True)
for detection, crop in zip(detections, crops):
    print(detection["name"], detection["percentage_probability"], detection["box_points"], "->", crop)
'''

LEFTOVER_RUN = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(4)
# what the first run of detect.py left next to the photo
Image.fromarray(rng.integers(0, 256, (312, 416, 3), dtype=np.uint8)).save("road_0412-detected.jpg")
os.makedirs("road_0412-detected-extracted")
for k in (1, 2):
    Image.fromarray(rng.integers(0, 256, (40, 60, 3), dtype=np.uint8)).save(f"road_0412-detected-extracted/road_0412-detected-{k}.jpg")
'''

SCRIPTS["imageai-video-per-frame-csv-writerow-two-args"] = '''
import csv

from imageai.Detection import VideoObjectDetection

log_file = open("driveway_log.csv", "w", newline="")
log = csv.writer(log_file)
log.writerow(["frame", "objects"])


def for_frame(frame_number, output_array, output_count):
    log.writerow(frame_number, len(output_array))


detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
detector.detectObjectsFromVideo(input_file_path="driveway.avi", output_file_path="driveway_detected",
                                frames_per_second=10, per_frame_function=for_frame,
                                minimum_percentage_probability=40, log_progress=True)
log_file.close()
'''

VIDEO_PREP = '''
import cv2
import numpy as np

rng = np.random.default_rng(11)
out = cv2.VideoWriter("@@NAME@@", cv2.VideoWriter_fourcc(*"MJPG"), 10, (@@W@@, @@H@@))
base = rng.integers(0, 256, (@@H@@, @@W@@, 3), dtype=np.uint8)
for i in range(@@N@@):
    frame = np.roll(base, 8 * i, axis=1)
    out.write(frame)
out.release()
'''


def video(name, w=320, h=240, n=6):
    return prep(sub(VIDEO_PREP, NAME=name, W=str(w), H=str(h), N=str(n)))


COCO_TINY = '''
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# stands in for tiny-yolov3.pt from the ImageAI 3.0.0-pretrained release
torch.manual_seed(1)
torch.save(YoloV3Tiny(anchors=@@ANCHORS@@, num_classes=80).state_dict(), "tiny-yolov3.pt")
'''

SCRIPTS["imageai-custom-video-custom-objects-kwarg-from-coco-example"] = '''
from imageai.Detection.Custom import CustomVideoObjectDetection

# adapted from the ImageAI video example (there: VideoObjectDetection + CustomObjects)
video_detector = CustomVideoObjectDetection()
video_detector.setModelTypeAsTinyYOLOv3()
video_detector.setModelPath("warehouse/models/tiny-yolov3_warehouse_last.pt")
video_detector.setJsonPath("warehouse/json/warehouse_tiny-yolov3_detection_config.json")
video_detector.loadModel()

only_forklifts = {"forklift": True, "person": False}
video_path = video_detector.detectObjectsFromVideo(input_file_path="aisle_cam.avi",
                                                   output_file_path="aisle_cam_forklifts",
                                                   custom_objects=only_forklifts,
                                                   frames_per_second=10,
                                                   minimum_percentage_probability=40,
                                                   log_progress=True)
print(video_path)
'''

SCRIPTS["imageai-det-train-converter-difficult-flag-sixth-column"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# street_signs/{train,validation}/{images,annotations} written by voc2yolo.py from the LabelImg XMLs
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="street_signs")
trainer.setTrainConfig(object_names_array=["stop", "yield", "speed_limit"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def difficult_rows(split, i):
    rows = yolo_rows(3)(split, i)
    if i % 3 == 1:
        # voc2yolo.py appended <difficult>1</difficult> when the XML had it
        rows = rows.rstrip("\n") + " 1\n"
    return rows


SCRIPTS["imageai-custom-detect-two-cameras-hconcat-dashboard"] = '''
import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("site/models/tiny-yolov3_site_last.pt")
detector.setJsonPath("site/json/site_tiny-yolov3_detection_config.json")
detector.loadModel()

# one dashboard image with both cameras side by side
panels = []
for snapshot in ["snapshots/cam_gate.jpg", "snapshots/cam_yard.jpg"]:
    annotated, detections = detector.detectObjectsFromImage(input_image=snapshot, output_type="array",
                                                            minimum_percentage_probability=55)
    print(snapshot, annotated.shape, len(detections), "objects")
    panels.append(annotated)

dashboard = cv2.hconcat(panels)
cv2.imwrite("dashboard.jpg", dashboard)
'''

SCRIPTS["imageai-cls-trainer-inside-inference-mode-retrain-job"] = '''
import glob
import shutil

import torch
from imageai.Classification.Custom import ClassificationModelTrainer, CustomImageClassification

MODEL = "recycling/models/mobilenet_v2-recycling-test_acc_0.66667_epoch-4.pt"
CLASSES = "recycling/models/recycling_model_classes.json"


@torch.inference_mode()          # "faster inference", added when this was only the sorting job
def main():
    # 1. sort the new photos from the bin camera with the current model
    classifier = CustomImageClassification()
    classifier.setModelTypeAsMobileNetV2()
    classifier.setModelPath(MODEL)
    classifier.setJsonPath(CLASSES)
    classifier.loadModel()
    for path in sorted(glob.glob("inbox/*.jpg")):
        labels, probs = classifier.classifyImage(path, result_count=1)
        print(path, labels[0], probs[0])
        shutil.copy(path, f"recycling/train/{labels[0]}/")

    # 2. retrain on the grown data set
    trainer = ClassificationModelTrainer()
    trainer.setModelTypeAsMobileNetV2()
    trainer.setDataDirectory("recycling")
    trainer.trainModel(num_experiments=5, batch_size=4)


if __name__ == "__main__":
    main()
'''

SCRIPTS["imageai-custom-cls-webcam-loop-frame-none-at-end-of-clip"] = '''
import cv2
from imageai.Classification.Custom import CustomImageClassification

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-shelves-test_acc_0.90000_epoch-12.pt")
classifier.setJsonPath("models/shelves_model_classes.json")
classifier.loadModel()

# test on a recorded clip before pointing it at the live camera
cap = cv2.VideoCapture("shelf_cam.avi")
frame_no = 0
while cap.isOpened():
    ret, frame = cap.read()
    frame_no += 1
    labels, probs = classifier.classifyImage(frame, result_count=1)
    print(f"frame {frame_no}: {labels[0]} ({probs[0]:.1f}%)")
cap.release()
'''

SCRIPTS["imageai-cls-inceptionv3-transfer-from-keras-converted-weights"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# mushrooms/train/<species>/*.jpg, mushrooms/test/<species>/*.jpg
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsInceptionV3()
trainer.setDataDirectory("mushrooms")
trainer.freezeAllLayers()
trainer.trainModel(num_experiments=40, batch_size=4,
                   transfer_from_model="pretrained/inception_v3_imagenet_from_keras.pth")
'''

KERAS_INCEPTION_PREP = '''
import os
import torch
from torchvision.models import inception_v3

# ImageNet Inception-v3 converted from the Keras application weights (Keras' model has no auxiliary classifier)
os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
torch.save(inception_v3(weights=None, aux_logits=False, init_weights=False).state_dict(),
           "pretrained/inception_v3_imagenet_from_keras.pth")
'''

# ================================================================== torchvision / hand-written YOLO
SCRIPTS["imageai-inception-checkpoint-into-torchvision-aux-logits-off"] = '''
import json
import sys

import torch
from PIL import Image
from torchvision import models, transforms as T

# moving the bird-feeder classifier off ImageAI: same weights, plain torchvision
CKPT = "models/inception_v3-birds-test_acc_0.81250_epoch-17.pt"
classes = json.load(open("models/birds_model_classes.json"))

model = models.inception_v3(weights=None, aux_logits=False, init_weights=False, num_classes=len(classes))
model.load_state_dict(torch.load(CKPT, map_location="cpu"))
model.eval()

tf = T.Compose([T.Resize(299), T.CenterCrop(299), T.ToTensor(),
                T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
x = tf(Image.open(sys.argv[1]).convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(classes[str(model(x).argmax(1).item())])
'''

INCEPTION_PREP = '''
import json
import os
import torch
import torch.nn as nn
from torchvision.models import inception_v3

# what ImageAI's ClassificationModelTrainer saved: its inception_v3 (aux logits on) with only .fc replaced
os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
m = inception_v3(weights=None, init_weights=False)
m.fc = nn.Linear(m.fc.in_features, 4)
torch.save(m.state_dict(), "models/inception_v3-birds-test_acc_0.81250_epoch-17.pt")
json.dump({"0": "blue_tit", "1": "goldfinch", "2": "robin", "3": "sparrow"}, open("models/birds_model_classes.json", "w"))
'''

SCRIPTS["hand-written-model-ema-decays-num-batches-tracked"] = yolo_script('''

class ModelEMA:
    """exponential moving average of the weights, as in the YOLO repos"""

    def __init__(self, model, decay=0.999):
        import copy
        self.ema = copy.deepcopy(model).eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.decay = decay

    @torch.no_grad()
    def update(self, model):
        msd = model.state_dict()
        for k, v in self.ema.state_dict().items():
            v.mul_(self.decay).add_(msd[k].detach(), alpha=1 - self.decay)


def yolo_loss(pred, targets):
    b, na, gh, gw, _ = pred.shape
    bi, cls = targets[:, 0].long(), targets[:, 1].long()
    gx, gy = targets[:, 2] * gw, targets[:, 3] * gh
    gi, gj = gx.long().clamp(0, gw - 1), gy.long().clamp(0, gh - 1)
    obj = torch.zeros(b, na, gh, gw)
    obj[bi, 0, gj, gi] = 1.0
    ps = pred[bi, 0, gj, gi]
    lbox = F.mse_loss(ps[:, 0:2].sigmoid(), torch.stack([gx - gi, gy - gj], 1)) + F.mse_loss(ps[:, 2:4].sigmoid(), targets[:, 4:6])
    return lbox + F.binary_cross_entropy_with_logits(pred[..., 4], obj) + F.cross_entropy(ps[:, 5:], cls)


ds = YoloTxt("data/kiwis/train")
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=collate)
model = TinyYolo(nc=3)
ema = ModelEMA(model)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(10):
    for imgs, targets in loader:
        loss = yolo_loss(model(imgs), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ema.update(model)
    print(f"epoch {epoch}: loss {loss.item():.3f}")
''')

SCRIPTS["two-scale-yolo-neck-img-size-400"] = YOLO_IMPORTS + '''import argparse

''' + TINY_YOLO.split("class TinyYolo")[0] + '''
class YoloNeck2(nn.Module):
    """two output scales (stride 32 and 16), upsample + concat like YOLOv3"""

    def __init__(self, nc, na=3):
        super().__init__()
        self.stem = nn.Sequential(ConvBN(3, 16, 2), ConvBN(16, 32, 2), ConvBN(32, 64, 2), ConvBN(64, 128, 2))
        self.down = ConvBN(128, 256, 2)
        self.head32 = nn.Conv2d(256, na * (5 + nc), 1)
        self.reduce = nn.Conv2d(256, 64, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.head16 = nn.Conv2d(128 + 64, na * (5 + nc), 1)

    def forward(self, x):
        f16 = self.stem(x)
        f32 = self.down(f16)
        p32 = self.head32(f32)
        p16 = self.head16(torch.cat([self.up(self.reduce(f32)), f16], 1))
        return p32, p16


class Frames(Dataset):
    def __init__(self, root, size):
        self.images = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((self.size, self.size)))


ap = argparse.ArgumentParser()
ap.add_argument("--img-size", type=int, default=400)   # 416 did not fit next to the browser
ap.add_argument("--batch-size", type=int, default=4)
args = ap.parse_args()

model = YoloNeck2(nc=2)
loader = DataLoader(Frames("data/hedgehog_cam/train/images", args.img_size), batch_size=args.batch_size)
print(f"img size {args.img_size}, {len(loader.dataset)} frames")
for imgs in loader:
    p32, p16 = model(imgs)
    print(p32.shape, p16.shape)
    break
'''

SCRIPTS["mosaic-samples-three-others-from-two-image-pilot-workers"] = YOLO_IMPORTS + '''import random

''' + TINY_YOLO + '''

class MosaicYolo(Dataset):
    """2x2 mosaic of this image and three random others, boxes shifted into the quadrants"""

    def __init__(self, root, size=320):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def load(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((self.size // 2, self.size // 2))
        rows = np.loadtxt(self.images[i].replace("images", "labels")[:-4] + ".txt", ndmin=2)
        return img, rows

    def __getitem__(self, index):
        indices = [index] + random.sample(range(len(self)), 3)
        canvas = Image.new("RGB", (self.size, self.size))
        boxes = []
        for k, i in enumerate(indices):
            img, rows = self.load(i)
            ox, oy = (k % 2) * 0.5, (k // 2) * 0.5
            canvas.paste(img, (int(ox * self.size), int(oy * self.size)))
            for c, cx, cy, w, h in rows:
                boxes.append([c, ox + cx / 2, oy + cy / 2, w / 2, h / 2])
        return TF.to_tensor(canvas), torch.tensor(boxes, dtype=torch.float32)


def collate(batch):
    imgs, labels = zip(*batch)
    return torch.stack(imgs), torch.cat([torch.cat([torch.full((len(l), 1), float(i)), l], 1) for i, l in enumerate(labels)])


if __name__ == "__main__":
    # first try on the two frames labelled so far
    ds = MosaicYolo("data/beehive/train")
    loader = DataLoader(ds, batch_size=2, shuffle=True, num_workers=2, collate_fn=collate)
    model = TinyYolo(nc=2)
    for epoch in range(3):
        for imgs, targets in loader:
            out = model(imgs)
        print("epoch", epoch, out.shape)
'''

SCRIPTS["multiscale-training-targets-built-for-fixed-13-grid"] = YOLO_IMPORTS + '''import random

''' + TINY_YOLO + '''
IMG = 416
GRID = IMG // 32       # 13
NC = 3


def build_targets(rows, na=3):
    """dense YOLOv2-style target: [na, GRID, GRID, 5 + NC]"""
    t = torch.zeros(na, GRID, GRID, 5 + NC)
    for c, cx, cy, w, h in rows.tolist():
        gi, gj = min(int(cx * GRID), GRID - 1), min(int(cy * GRID), GRID - 1)
        t[0, gj, gi, :5] = torch.tensor([cx * GRID - gi, cy * GRID - gj, w, h, 1.0])
        t[0, gj, gi, 5 + int(c)] = 1.0
    return t


class Parcels(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.images[i]).convert("RGB").resize((IMG, IMG)))
        rows = torch.tensor(np.loadtxt(self.images[i].replace("/images/", "/labels/")[:-4] + ".txt", ndmin=2))
        return img, build_targets(rows)


random.seed(3)
loader = DataLoader(Parcels("data/parcels/train"), batch_size=4, shuffle=True)
model = TinyYolo(NC)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for step, (imgs, tgt) in enumerate(loader):
        # multi-scale training as in YOLOv3: a new input size every batch
        size = random.choice(range(320, 512 + 1, 32))
        imgs = F.interpolate(imgs, size=(size, size), mode="bilinear", align_corners=False)
        pred = model(imgs)
        lobj = F.binary_cross_entropy_with_logits(pred[..., 4], tgt[..., 4])
        mask = tgt[..., 4] == 1
        lbox = F.mse_loss(pred[..., :4][mask].sigmoid(), tgt[..., :4][mask])
        lcls = F.binary_cross_entropy_with_logits(pred[..., 5:][mask], tgt[..., 5:][mask])
        loss = lobj + lbox + lcls
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"epoch {epoch} step {step} size {size}: {loss.item():.4f}")
'''

SCRIPTS["exp-wh-decode-on-raw-pixel-inputs-anomaly"] = YOLO_IMPORTS + '''
torch.autograd.set_detect_anomaly(True)
torch.manual_seed(0)
''' + TINY_YOLO + '''
IMG = 320
ANCHORS = torch.tensor([[40.0, 30.0], [90.0, 70.0], [180.0, 150.0]])   # pixels


class Buoys(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((IMG, IMG))
        x = torch.from_numpy(np.array(img)).permute(2, 0, 1).float()      # 0..255
        rows = torch.tensor(np.loadtxt(self.images[i].replace("/images/", "/labels/")[:-4] + ".txt", ndmin=2),
                            dtype=torch.float32)
        return x, rows[0]       # one buoy per frame


loader = DataLoader(Buoys("data/buoys/train"), batch_size=4, shuffle=True)
model = TinyYolo(nc=1)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(30):
    for imgs, t in loader:
        p = model(imgs)                                    # [B, 3, g, g, 6]
        g = p.shape[2]
        gi, gj = (t[:, 1] * g).long().clamp(0, g - 1), (t[:, 2] * g).long().clamp(0, g - 1)
        ps = p[torch.arange(len(t)), 0, gj, gi]
        pw = ANCHORS[0, 0] * torch.exp(ps[:, 2])           # YOLOv2 decode, in pixels
        ph = ANCHORS[0, 1] * torch.exp(ps[:, 3])
        lwh = F.mse_loss(pw, t[:, 3] * IMG) + F.mse_loss(ph, t[:, 4] * IMG)
        lxy = F.mse_loss(ps[:, :2].sigmoid(), torch.stack([t[:, 1] * g - gi, t[:, 2] * g - gj], 1))
        obj = torch.zeros_like(p[..., 4])
        obj[torch.arange(len(t)), 0, gj, gi] = 1
        loss = lwh + lxy + F.binary_cross_entropy_with_logits(p[..., 4], obj)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: loss {loss.item():.1f}")
'''

SCRIPTS["compute-loss-decorated-no-grad-like-build-targets"] = yolo_script('''

@torch.no_grad()
def build_targets(targets, gh, gw):
    bi, cls = targets[:, 0].long(), targets[:, 1].long()
    gx, gy = targets[:, 2] * gw, targets[:, 3] * gh
    gi, gj = gx.long().clamp(0, gw - 1), gy.long().clamp(0, gh - 1)
    return bi, cls, gi, gj, torch.stack([gx - gi, gy - gj], 1), targets[:, 4:6]


@torch.no_grad()
def compute_loss(pred, targets):
    b, na, gh, gw, _ = pred.shape
    bi, cls, gi, gj, txy, twh = build_targets(targets, gh, gw)
    obj = torch.zeros(b, na, gh, gw)
    obj[bi, 0, gj, gi] = 1.0
    ps = pred[bi, 0, gj, gi]
    lbox = F.mse_loss(ps[:, :2].sigmoid(), txy) + F.mse_loss(ps[:, 2:4].sigmoid(), twh)
    lobj = F.binary_cross_entropy_with_logits(pred[..., 4], obj)
    lcls = F.cross_entropy(ps[:, 5:], cls)
    return lbox + lobj + lcls, torch.stack([lbox, lobj, lcls])


loader = DataLoader(YoloTxt("data/solar_panels/train"), batch_size=4, shuffle=True, collate_fn=collate)
model = TinyYolo(nc=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    for imgs, targets in loader:
        loss, parts = compute_loss(model(imgs), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: box {parts[0]:.3f} obj {parts[1]:.3f} cls {parts[2]:.3f}")
''')

SCRIPTS["roboflow-export-parent-class-zero-one-hot"] = yolo_script('''

# names from the Roboflow project page: helmet, head, person
NAMES = ["helmet", "head", "person"]


def yolo_loss(pred, targets, nc):
    b, na, gh, gw, _ = pred.shape
    bi, cls = targets[:, 0].long(), targets[:, 1].long()
    gx, gy = targets[:, 2] * gw, targets[:, 3] * gh
    gi, gj = gx.long().clamp(0, gw - 1), gy.long().clamp(0, gh - 1)
    obj = torch.zeros(b, na, gh, gw)
    obj[bi, 0, gj, gi] = 1.0
    ps = pred[bi, 0, gj, gi]
    lbox = F.mse_loss(ps[:, :2].sigmoid(), torch.stack([gx - gi, gy - gj], 1)) + F.mse_loss(ps[:, 2:4].sigmoid(), targets[:, 4:6])
    lcls = F.binary_cross_entropy_with_logits(ps[:, 5:], F.one_hot(cls, nc).float())
    return lbox + F.binary_cross_entropy_with_logits(pred[..., 4], obj) + lcls


loader = DataLoader(YoloTxt("data/hard-hat-workers/train"), batch_size=4, shuffle=True, collate_fn=collate)
model = TinyYolo(nc=len(NAMES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(30):
    for imgs, targets in loader:
        loss = yolo_loss(model(imgs), targets, len(NAMES))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
''')

SCRIPTS["fpn-given-list-of-backbone-features"] = '''
import torch
import torch.nn as nn
from torchvision.models import resnet18
from torchvision.ops import FeaturePyramidNetwork


class Detector(nn.Module):
    """ResNet-18 C3-C5 + FPN + a YOLO-style head per level"""

    def __init__(self, nc, na=3):
        super().__init__()
        r = resnet18(weights=None)
        self.stem = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1)
        self.c3, self.c4, self.c5 = r.layer2, r.layer3, r.layer4
        self.fpn = FeaturePyramidNetwork([128, 256, 512], 128)
        self.head = nn.Conv2d(128, na * (5 + nc), 1)

    def forward(self, x):
        c3 = self.c3(self.stem(x))
        c4 = self.c4(c3)
        c5 = self.c5(c4)
        feats = self.fpn([c3, c4, c5])
        return [self.head(f) for f in feats.values()]


model = Detector(nc=4)
x = torch.randn(2, 3, 320, 320)
outs = model(x)
print([o.shape for o in outs])
'''

SCRIPTS["warmup-iters-from-fraction-of-pilot-loader-tqdm"] = '''
import glob
import json
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF
from tqdm import tqdm

EPOCHS, LR, WARMUP_EPOCHS = 12, 0.01, 0.3


class Kayaks(Dataset):
    def __init__(self, root):
        self.ann = json.load(open(os.path.join(root, "boxes.json")))
        self.names = sorted(self.ann)
        self.root = root

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(os.path.join(self.root, self.names[i])).convert("RGB"))
        boxes = torch.tensor(self.ann[self.names[i]], dtype=torch.float32)
        return img, {"boxes": boxes, "labels": torch.ones(len(boxes), dtype=torch.int64)}


ds = Kayaks("data/kayaks")
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9, weight_decay=1e-4)
warmup_iters = int(WARMUP_EPOCHS * len(loader))
it = 0
model.train()
for epoch in range(EPOCHS):
    for images, targets in tqdm(loader, desc=f"epoch {epoch + 1}/{EPOCHS}"):
        if it <= warmup_iters:
            for g in opt.param_groups:
                g["lr"] = LR * it / warmup_iters
        loss = sum(model(list(images), list(targets)).values())
        opt.zero_grad()
        loss.backward()
        opt.step()
        it += 1
'''

KAYAK_PREP = '''
import json
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(8)
os.makedirs("data/kayaks", exist_ok=True)
ann = {}
for i in range(6):
    name = f"lake_{i:03d}.jpg"
    Image.fromarray(rng.integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(f"data/kayaks/{name}")
    ann[name] = [[40 + 5 * i, 60, 160 + 5 * i, 120]]
json.dump(ann, open("data/kayaks/boxes.json", "w"))
'''

SCRIPTS["label-path-replace-images-in-project-folder-name-workers"] = YOLO_IMPORTS + TINY_YOLO + '''

class Roofs(Dataset):
    def __init__(self, root, size=320):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB").resize((self.size, self.size))
        label_path = self.images[i].replace("images", "labels").replace(".jpg", ".txt")
        rows = torch.tensor(np.loadtxt(label_path, ndmin=2), dtype=torch.float32)
        return TF.to_tensor(img), rows


def collate(batch):
    imgs, labels = zip(*batch)
    return torch.stack(imgs), torch.cat([torch.cat([torch.full((len(l), 1), float(i)), l], 1) for i, l in enumerate(labels)])


if __name__ == "__main__":
    ds = Roofs("datasets/drone_images_2024/train")
    print(len(ds), "tiles")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate)
    model = TinyYolo(nc=2)
    for imgs, targets in loader:
        print(model(imgs).shape, targets.shape)
'''

SCRIPTS["old-yolo-repo-collections-iterable-python311"] = YOLO_IMPORTS + '''
from utils.augmentations import LetterBox
''' + TINY_YOLO + '''

class Boats(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.letterbox = LetterBox(320)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = self.letterbox(Image.open(self.images[i]).convert("RGB"))
        return TF.to_tensor(img)


loader = DataLoader(Boats("data/harbour/train"), batch_size=4)
model = TinyYolo(nc=2)
for imgs in loader:
    print(model(imgs).shape)
'''

OLD_AUG = '''
# utils/augmentations.py (from the repo, 2019)
from collections import Iterable

from PIL import Image


class LetterBox(object):
    def __init__(self, size):
        assert isinstance(size, int) or (isinstance(size, Iterable) and len(size) == 2)
        self.size = (size, size) if isinstance(size, int) else tuple(size)

    def __call__(self, img):
        w, h = img.size
        s = min(self.size[0] / w, self.size[1] / h)
        img = img.resize((int(w * s), int(h * s)))
        canvas = Image.new("RGB", self.size, (114, 114, 114))
        canvas.paste(img, ((self.size[0] - img.size[0]) // 2, (self.size[1] - img.size[1]) // 2))
        return canvas
'''

SCRIPTS["catalogue-cmyk-jpeg-read-image-detector-batch"] = YOLO_IMPORTS + '''from torchvision.io import read_image
from torchvision.transforms import v2
''' + TINY_YOLO + '''

class Products(Dataset):
    """product shots for the shop's shelf detector: images/*.jpg + labels/*.txt"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))
        self.resize = v2.Resize((320, 320), antialias=True)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = self.resize(read_image(self.images[i])).float() / 255
        rows = torch.tensor(np.loadtxt(self.images[i].replace("/images/", "/labels/")[:-4] + ".txt", ndmin=2),
                            dtype=torch.float32)
        return img, rows


def collate(batch):
    imgs, labels = zip(*batch)
    return torch.stack(imgs), torch.cat([torch.cat([torch.full((len(l), 1), float(i)), l], 1) for i, l in enumerate(labels)])


loader = DataLoader(Products("data/shop/train"), batch_size=4, shuffle=False, collate_fn=collate)
model = TinyYolo(nc=5)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for imgs, targets in loader:
        out = model(imgs)
        loss = out[..., 4].sigmoid().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def yolo_data(root, n, nc=3, base=0, size=(320, 240), modes=None, ann="labels"):
    """root/images/*.jpg + root/<ann>/*.txt"""
    def setup(work):
        specs = [(f"{root}/images/{i:04d}.jpg", size, (modes(i) if modes else "RGB")) for i in range(n)]
        make_images(work, specs)
        d = work / root / ann
        d.mkdir(parents=True, exist_ok=True)
        rows = yolo_rows(nc, base)
        for i in range(n):
            (d / f"{i:04d}.txt").write_text(rows("train", i))
    return setup


def one_box_data(root, n):
    def setup(work):
        make_images(work, [(f"{root}/images/{i:04d}.jpg", (320, 240), "RGB") for i in range(n)])
        d = work / root / "labels"
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            (d / f"{i:04d}.txt").write_text(f"0 0.{40 + i} 0.{50 + i} 0.{15 + i} 0.{20 + i}\n")
    return setup


def cases():
    out, add, script, notebook = case_builders("torch-more53-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    # ---- ImageAI 3
    script("imageai-custom-detect-second-run-extracted-folder-exists", "other", also=["model.api_misuse"],
           framework="imageai", argv="detect.py",
           setup=both(save_tiny('["pothole"]', 1, "potholes/models/tiny-yolov3_potholes_last.pt",
                                "potholes/json/potholes_tiny-yolov3_detection_config.json"),
                      imgs([("road_0412.jpg", (416, 312), "RGB")]), prep(LEFTOVER_RUN)))
    script("imageai-video-per-frame-csv-writerow-two-args", "other", also=["model.api_misuse"],
           framework="imageai", argv="watch_driveway.py", forms=("cpython_basic", "chained_during"),
           setup=both(prep(sub(COCO_TINY, ANCHORS=ANCHORS6)), video("driveway.avi")))
    script("imageai-custom-video-custom-objects-kwarg-from-coco-example", "model.api_misuse",
           framework="imageai", argv="forklift_video.py",
           setup=both(save_tiny('["forklift", "person"]', 2, "warehouse/models/tiny-yolov3_warehouse_last.pt",
                                "warehouse/json/warehouse_tiny-yolov3_detection_config.json"),
                      video("aisle_cam.avi")))
    script("imageai-det-train-converter-difficult-flag-sixth-column", "data.bbox_invalid",
           also=["data.missing_or_corrupt"], framework="imageai",
           setup=yolo_layout("street_signs", difficult_rows, size=(320, 240), ann="annotations"))
    script("imageai-custom-detect-two-cameras-hconcat-dashboard", "data.image_size_mismatch", framework="imageai",
           argv="dashboard.py",
           setup=both(save_tiny('["person", "vehicle"]', 2, "site/models/tiny-yolov3_site_last.pt",
                                "site/json/site_tiny-yolov3_detection_config.json"),
                      imgs([("snapshots/cam_gate.jpg", (640, 480), "RGB"),
                            ("snapshots/cam_yard.jpg", (1280, 720), "RGB")])))
    script("imageai-cls-trainer-inside-inference-mode-retrain-job", "optim.autograd_graph",
           also=["model.api_misuse"], framework="imageai", argv="nightly_job.py", forms=P, timeout=600,
           setup=both(save_cls("mobilenet_v2", '["can", "glass", "paper"]',
                               "recycling/models/mobilenet_v2-recycling-test_acc_0.66667_epoch-4.pt",
                               "recycling/models/recycling_model_classes.json"),
                      imgs(class_folder("recycling/train", ["can", "glass", "paper"], 3, size=(96, 96))
                           + class_folder("recycling/test", ["can", "glass", "paper"], 1, size=(96, 96))
                           + [(f"inbox/bin_{i:03d}.jpg", (120, 90), "RGB") for i in range(2)])))
    script("imageai-custom-cls-webcam-loop-frame-none-at-end-of-clip", "data.missing_or_corrupt",
           also=["model.api_misuse"], framework="imageai", argv="shelf_monitor.py",
           setup=both(save_cls("mobilenet_v2", '["empty_shelf", "stocked_shelf"]',
                               "models/mobilenet_v2-shelves-test_acc_0.90000_epoch-12.pt",
                               "models/shelves_model_classes.json"),
                      video("shelf_cam.avi", n=3)))

    script("imageai-cls-inceptionv3-transfer-from-keras-converted-weights", "model.weights_mismatch",
           framework="imageai", timeout=600,
           setup=both(prep(KERAS_INCEPTION_PREP),
                      imgs(class_folder("mushrooms/train", ["chanterelle", "fly_agaric", "porcini"], 3, size=(120, 100))
                           + class_folder("mushrooms/test", ["chanterelle", "fly_agaric", "porcini"], 1, size=(120, 100)))))

    # ---- torchvision / hand-written YOLO
    script("imageai-inception-checkpoint-into-torchvision-aux-logits-off", "model.weights_mismatch",
           argv="predict.py", args=("feeder_0931.jpg",),
           setup=both(prep(INCEPTION_PREP), imgs([("feeder_0931.jpg", (160, 120), "RGB")])))
    script("hand-written-model-ema-decays-num-batches-tracked", "data.dtype", also=["other"],
           setup=yolo_data("data/kiwis/train", 8))
    script("two-scale-yolo-neck-img-size-400", "model.input_shape",
           setup=imgs([(f"data/hedgehog_cam/train/images/{i:04d}.jpg", (320, 240), "RGB") for i in range(4)]))
    script("mosaic-samples-three-others-from-two-image-pilot-workers", "data.too_few_boxes",
           also=["data.missing_or_corrupt"], forms=W, setup=yolo_data("data/beehive/train", 2, nc=2))
    script("multiscale-training-targets-built-for-fixed-13-grid", "data.label_shape",
           also=["model.output_mismatch"], setup=yolo_data("data/parcels/train", 8))
    script("exp-wh-decode-on-raw-pixel-inputs-anomaly", "optim.divergence", timeout=400,
           setup=one_box_data("data/buoys/train", 8))
    script("compute-loss-decorated-no-grad-like-build-targets", "optim.autograd_graph",
           setup=yolo_data("data/solar_panels/train", 8))
    script("roboflow-export-parent-class-zero-one-hot", "data.label_out_of_range",
           setup=yolo_data("data/hard-hat-workers/train", 8, nc=3, base=1))
    script("fpn-given-list-of-backbone-features", "model.api_misuse", argv="model.py")
    script("warmup-iters-from-fraction-of-pilot-loader-tqdm", "other", forms=P, setup=prep(KAYAK_PREP))
    script("label-path-replace-images-in-project-folder-name-workers", "data.missing_or_corrupt",
           also=["other"], forms=W, setup=yolo_data("datasets/drone_images_2024/train", 8, nc=2))
    script("old-yolo-repo-collections-iterable-python311", "env.version_incompat",
           extra={"utils/__init__.py": "", "utils/augmentations.py": OLD_AUG},
           setup=imgs([(f"data/harbour/train/images/{i:04d}.jpg", (320, 240), "RGB") for i in range(4)]))
    script("catalogue-cmyk-jpeg-read-image-detector-batch", "data.image_channels",
           setup=yolo_data("data/shop/train", 8, nc=5, modes=lambda i: "CMYK" if i == 2 else "RGB"))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
