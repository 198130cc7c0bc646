"""A fifty-ninth held-out set (g115, scored 0.82 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: ImageAI 3.0.3 users on PyTorch who train custom detectors (``DetectionModelTrainer`` with YOLOv3 /
TinyYOLOv3 on ``train/images`` + ``train/annotations`` folders) and custom classifiers
(``ClassificationModelTrainer`` on ``train/<class>/`` + ``test/<class>/`` folders), run
``CustomObjectDetection`` / ``CustomImageClassification`` on the result, and people who leave ImageAI half-way
and mix its models, loss, dataset class and helpers (``YoloV3Tiny``, ``compute_loss``, ``LoadImagesAndLabels``,
``prepare_image``) with their own PyTorch code. A natural mix of causes, each program built so that its cause is
known by construction and made to fail inside ImageAI, torch, torchvision, NumPy, OpenCV or Pillow; none a
repeat of the scenarios in the other generators:

- ImageAI 3 trainers: a Roboflow segmentation project exported as "YOLOv8" (polygon rows of different lengths)
  copied into ``annotations`` (data.bbox_invalid), a ``pathlib.Path`` data directory for the detection trainer
  (model.api_misuse), the mobile team's TorchScript export of MobileNetV2 as ``transfer_from_model``
  (model.weights_mismatch);
- ImageAI 3 inference: gamma-corrected float64 night frames (data.dtype), a YOLOv3 checkpoint loaded with the
  json config of the earlier TinyYOLOv3 run (six anchors, model.api_misuse), a ``pathlib.Path``
  ``output_image_path`` with ``extract_detected_objects=True`` (model.api_misuse), the newest ``.pt`` in a shared
  models folder being the classifier of the second stage (model.weights_mismatch), a ``cv2.imshow`` preview
  window on an ``opencv-python-headless`` install (env.version_incompat), a Kaggle ``(N, H, W, 1)`` X-ray
  ``.npy`` given to ``classifyImage`` frame by frame (notebook, data.image_channels), classification spread
  over a spawn ``ProcessPoolExecutor`` from a notebook (env.multiprocessing);
- ImageAI models in the user's own PyTorch code: ``YoloV3Tiny`` run on 16:9 inputs (736 x 416,
  model.input_shape), ``compute_loss`` given YOLO rows without the image-index column (data.label_shape),
  ``compute_loss`` for a validation baseline with the model in eval mode (notebook, model.api_misuse),
  pre-activation feature distillation from ImageAI's YOLOv3 into TinyYOLOv3 with a hook on the student's
  BatchNorm (in-place LeakyReLU, optim.autograd_graph), ImageAI's extracted detection crops classified through a
  DataLoader without a resize (in workers, data.image_size_mismatch), an ImageAI ResNet50 scene classifier
  fine-tuned for five multi-label tags with its four-class head kept (notebook, model.output_mismatch),
  ImageAI pseudo-labels with ``-1`` for "unsure" into ``CrossEntropyLoss`` (tqdm, data.label_out_of_range),
  ``YoloV3Tiny(device="cuda")`` from the GPU box run on a laptop (env.cuda_setup), a fine-tune with a ``1e3``
  learning rate whose NaN weights reach ``detectObjectsFromImage`` (tqdm, optim.divergence), a torchrun DDP
  fine-tune of ImageAI's InceptionV3 that drops the auxiliary output like ImageAI does (env.distributed),
  ``LoadImagesAndLabels`` given the ``train`` split folder itself (data.missing_or_corrupt), every training image
  letterboxed to 832 px and cached as tensors under a job memory limit (tqdm, resource.host_memory).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more59.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more59.py"

SCRIPTS = {}
CELLS = {}

# the anchors a DetectionModelTrainer run writes for YOLOv3 (nine pairs)
ANCHORS9 = "[12, 16, 19, 36, 40, 28, 36, 75, 76, 55, 72, 146, 142, 110, 192, 243, 459, 401]"


def boxes(nc=2, base=0):
    """YOLO rows (class cx cy w h, normalised), two boxes of varied size per image"""
    def rows(split, i):
        a = base + i % nc
        b = base + (i + 1) % nc
        return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
                f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")
    return rows


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


# ================================================================== ImageAI 3 trainers
SCRIPTS["imageai-det-train-roboflow-yolov8-seg-export-polygons"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# pallet_wrap/: Roboflow export in "YOLOv8" format, its train/labels and valid/labels copied into the
# train/annotations and validation/annotations folders ImageAI expects
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="pallet_wrap")
trainer.setTrainConfig(object_names_array=["wrapped", "torn_wrap"], batch_size=4, num_experiments=60)
trainer.trainModel()
'''


def polygon_rows(split, i):
    """what Roboflow writes for a project labelled with the polygon tool: class x1 y1 x2 y2 ... (normalised)"""
    quad = f"{i % 2} 0.{21 + i} 0.{30 + i} 0.{48 + i} 0.{28 + i} 0.{50 + i} 0.{61 + i} 0.{19 + i} 0.{63 + i}\n"
    penta = (f"{(i + 1) % 2} 0.{55 + i} 0.{12 + i} 0.{81 + i} 0.{15 + i} 0.{86 + i} 0.{40 + i} "
             f"0.{70 + i} 0.{52 + i} 0.{54 + i} 0.{37 + i}\n")
    return quad + penta


SCRIPTS["imageai-det-train-pathlib-data-directory"] = '''
from pathlib import Path

from imageai.Detection.Custom import DetectionModelTrainer

PROJECT = Path(__file__).resolve().parent
DATA = PROJECT / "datasets" / "solar_panels"

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["hotspot", "cracked_cell"], batch_size=4, num_experiments=50)
trainer.trainModel()
'''

SCRIPTS["imageai-cls-trainer-transfer-from-torchscript-export"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# herbarium/train/<family>/*.jpg, herbarium/test/<family>/*.jpg
# pretrained/: the ImageNet MobileNetV2 the app team ships in the phone app
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("herbarium")
trainer.trainModel(num_experiments=30, batch_size=8,
                   transfer_from_model="pretrained/mobilenet_v2_imagenet_mobile.pt")
'''

TORCHSCRIPT_PREP = '''
import os
import torch
from torchvision.models import mobilenet_v2

os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
# the app team's export: torch.jit.script(model) + torch.jit.save for the PyTorch Mobile runtime
scripted = torch.jit.script(mobilenet_v2(weights=None).eval())
torch.jit.save(scripted, "pretrained/mobilenet_v2_imagenet_mobile.pt")
'''

# ================================================================== ImageAI 3 inference
SCRIPTS["imageai-custom-detect-gamma-corrected-float64-night-frames"] = '''
import glob

import cv2
import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("yard/models/tiny-yolov3_yard_last.pt")
detector.setJsonPath("yard/json/yard_tiny-yolov3_detection_config.json")
detector.loadModel()

GAMMA = 0.6   # the yard camera's night frames are too dark for the detector

for path in sorted(glob.glob("night/*.jpg")):
    frame = cv2.imread(path)
    frame = np.power(frame / 255.0, GAMMA) * 255.0
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=40)
    print(path, [d["name"] for d in detections])
    cv2.imwrite(path.replace("night/", "night_detected/"), annotated)
'''

SCRIPTS["imageai-custom-detect-yolov3-checkpoint-with-tiny-run-config"] = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath("forklifts/models/yolov3_forklifts_mAP-0.41230_epoch-38.pt")
detector.setJsonPath("forklifts/json/forklifts_tiny-yolov3_detection_config.json")
detector.loadModel()

detections = detector.detectObjectsFromImage(input_image="aisle_07.jpg", output_image_path="aisle_07-detected.jpg",
                                             minimum_percentage_probability=50)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

SAVE_V3_AND_CONFIGS = '''
import json
import os
import torch
from imageai.yolov3.yolov3 import YoloV3

os.makedirs("forklifts/models", exist_ok=True)
os.makedirs("forklifts/json", exist_ok=True)
labels = ["forklift", "pallet_jack"]
# first experiment (TinyYOLOv3) left its config; the second (YOLOv3) its config and best checkpoint
json.dump({"labels": labels, "anchors": @@A6@@}, open("forklifts/json/forklifts_tiny-yolov3_detection_config.json", "w"))
json.dump({"labels": labels, "anchors": @@A9@@}, open("forklifts/json/forklifts_yolov3_detection_config.json", "w"))
torch.manual_seed(0)
torch.save(YoloV3(anchors=@@A9@@, num_classes=2).state_dict(),
           "forklifts/models/yolov3_forklifts_mAP-0.41230_epoch-38.pt")
'''

SCRIPTS["imageai-custom-detect-extract-objects-pathlib-output-path"] = '''
from datetime import date
from pathlib import Path

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("bridge/models/tiny-yolov3_bridge_last.pt")
detector.setJsonPath("bridge/json/bridge_tiny-yolov3_detection_config.json")
detector.loadModel()

report_dir = Path("reports") / date(2024, 6, 11).isoformat()
report_dir.mkdir(parents=True, exist_ok=True)

for photo in sorted(Path("inspections").glob("*.jpg")):
    detections, crops = detector.detectObjectsFromImage(input_image=str(photo),
                                                        output_image_path=report_dir / f"{photo.stem}-detected.jpg",
                                                        extract_detected_objects=True,
                                                        minimum_percentage_probability=30)
    print(photo.name, len(detections), "defects,", len(crops), "crops")
'''

SCRIPTS["imageai-custom-detect-newest-pt-in-shared-models-folder"] = '''
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection

# feeder/models holds the runs of both stages (bird detector, then species classifier on the crops)
latest = max(glob.glob("feeder/models/*.pt"), key=os.path.getmtime)
print("loading", latest)

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(latest)
detector.setJsonPath("feeder/json/feeder_tiny-yolov3_detection_config.json")
detector.loadModel()

for d in detector.detectObjectsFromImage(input_image="feeder_cam_0831.jpg", output_image_path="feeder_cam_0831-detected.jpg"):
    print(d["name"], d["percentage_probability"])
'''

TWO_STAGE_PREP = '''
import json
import os
import time
import torch
import torch.nn as nn
from torchvision.models import mobilenet_v2
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

os.makedirs("feeder/models", exist_ok=True)
os.makedirs("feeder/json", exist_ok=True)
anchors = @@A6@@
torch.manual_seed(0)
# stage 1 (DetectionModelTrainer, a week ago)
torch.save(YoloV3Tiny(anchors=anchors, num_classes=1).state_dict(), "feeder/models/tiny-yolov3_feeder_mAP-0.62011_epoch-45.pt")
torch.save(YoloV3Tiny(anchors=anchors, num_classes=1).state_dict(), "feeder/models/tiny-yolov3_feeder_last.pt")
json.dump({"labels": ["bird"], "anchors": anchors}, open("feeder/json/feeder_tiny-yolov3_detection_config.json", "w"))
# stage 2 (ClassificationModelTrainer with model_directory="feeder/models", yesterday)
m = mobilenet_v2(weights=None)
m.classifier[1] = nn.Linear(m.classifier[1].in_features, 4)
torch.save(m.state_dict(), "feeder/models/mobilenet_v2-species-test_acc_0.81250_epoch-17.pt")
json.dump({"0": "blue_tit", "1": "goldfinch", "2": "robin", "3": "sparrow"}, open("feeder/models/species_model_classes.json", "w"))
now = time.time()
for name, age_days in [("tiny-yolov3_feeder_mAP-0.62011_epoch-45.pt", 8), ("tiny-yolov3_feeder_last.pt", 7),
                       ("mobilenet_v2-species-test_acc_0.81250_epoch-17.pt", 1)]:
    t = now - age_days * 86400
    os.utime(os.path.join("feeder/models", name), (t, t))
'''

SCRIPTS["imageai-custom-detect-preview-window-imshow-headless-opencv"] = '''
import cv2
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("loading_bay/models/tiny-yolov3_loading_bay_last.pt")
detector.setJsonPath("loading_bay/json/loading_bay_tiny-yolov3_detection_config.json")
detector.loadModel()

cap = cv2.VideoCapture("bay_cam_0612.avi")
while True:
    ok, frame = cap.read()
    if not ok:
        break
    annotated, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                            minimum_percentage_probability=50)
    print(len(detections), "objects")
    cv2.imshow("loading bay", annotated)
    if cv2.waitKey(1) & 0xFF == ord("q"):
        break
cap.release()
cv2.destroyAllWindows()
'''

CELLS["imageai-custom-cls-processpool-spawn-notebook"] = [
    '''import glob
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

photos = sorted(glob.glob("incoming/*.jpg"))
chunks = [photos[i::2] for i in range(2)]
len(photos)''',
    '''def classify_chunk(paths):
    from imageai.Classification.Custom import CustomImageClassification

    clf = CustomImageClassification()
    clf.setModelTypeAsMobileNetV2()
    clf.setModelPath("models/mobilenet_v2-welds-test_acc_0.87500_epoch-21.pt")
    clf.setJsonPath("models/welds_model_classes.json")
    clf.loadModel()
    out = []
    for p in paths:
        labels, probs = clf.classifyImage(p, result_count=1)
        out.append((p, labels[0], probs[0]))
    return out''',
    '''# one model per process; with the default "fork" the kernel hung once torch had started its threads
with ProcessPoolExecutor(max_workers=2, mp_context=mp.get_context("spawn")) as pool:
    results = [r for chunk in pool.map(classify_chunk, chunks) for r in chunk]
for path, label, prob in results:
    print(path, label, prob)''',
]

CELLS["imageai-custom-cls-kaggle-npy-xrays-hw1-notebook"] = [
    '''import numpy as np
from imageai.Classification.Custom import CustomImageClassification

classifier = CustomImageClassification()
classifier.setModelTypeAsMobileNetV2()
classifier.setModelPath("models/mobilenet_v2-chest_xray-test_acc_0.81250_epoch-9.pt")
classifier.setJsonPath("models/chest_xray_model_classes.json")
classifier.loadModel()''',
    '''# the held-out set from the Kaggle kernel: uint8 X-rays saved with np.save
X_test = np.load("xray_test_224.npy")
y_test = np.load("xray_test_labels.npy")
X_test.shape, X_test.dtype, y_test[:6]''',
    '''correct = 0
for img, y in zip(X_test, y_test):
    labels, probs = classifier.classifyImage(img, result_count=1)
    correct += labels[0] == ["normal", "pneumonia"][y]
print(f"accuracy {correct / len(X_test):.3f}")''',
]

NPY_PREP = '''
import numpy as np

rng = np.random.default_rng(3)
np.save("xray_test_224.npy", rng.integers(0, 256, (6, 224, 224, 1), dtype=np.uint8))
np.save("xray_test_labels.npy", np.array([0, 1, 1, 0, 1, 0]))
'''

# ================================================================== ImageAI models in the user's own PyTorch code
SCRIPTS["cache-imageai-letterboxed-832-tensors-job-memory-limit-tqdm"] = '''
import glob
import resource

import cv2
import torch
from imageai.yolov3.utils import prepare_image
from tqdm import tqdm

# the cluster kills jobs above their memory request; this one asked for 2 GB
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

IMG_SIZE = 832   # the insulators are tiny at ImageAI's 416
paths = sorted(glob.glob("powerline/train/images/*.jpg"))

# letterbox every image once and keep the tensors in RAM, like YOLOv5's --cache ram
cache = []
for p in tqdm(paths, desc="caching"):
    cache.append(prepare_image(cv2.imread(p), (IMG_SIZE, IMG_SIZE)))
images = torch.cat(cache)
print(images.shape)
'''

SCRIPTS["imageai-tiny-yolov3-own-inference-16x9-input"] = '''
import json

import cv2
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions

cfg = json.load(open("dashcam/json/dashcam_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("dashcam/models/tiny-yolov3_dashcam_last.pt", map_location="cpu"))
model.eval()

frame = cv2.imread("frames/dash_000120.jpg")       # 1280 x 720
# no letterbox bars: keep the 16:9 frame at 736 x 416 (both multiples of 32)
x = cv2.resize(frame, (736, 416))[:, :, ::-1].transpose(2, 0, 1).copy()
x = torch.from_numpy(x).float().div(255).unsqueeze(0)

with torch.no_grad():
    out = model(x)
dets = get_predictions(out, num_classes=len(cfg["labels"]), objectness_confidence=0.5, nms_confidence_level=0.4)
for d in ([] if dets is None else dets):
    print(cfg["labels"][int(d[-1])], float(d[5]), d[1:5].tolist())
'''

SCRIPTS["imageai-compute-loss-own-dataset-rows-without-image-index"] = '''
import glob
import json
import os

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import prepare_image


class WeedBoxes(Dataset):
    """weeds/train/images/*.jpg + weeds/train/annotations/*.txt (class cx cy w h)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "images", "*.jpg")))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x = prepare_image(cv2.imread(self.images[i]), (416, 416)).squeeze(0)
        label = self.images[i].replace("images", "annotations").rsplit(".", 1)[0] + ".txt"
        return x, torch.from_numpy(np.loadtxt(label, ndmin=2)).float()


def collate(batch):
    imgs, targets = zip(*batch)
    return torch.stack(imgs), torch.cat(targets)


# continue from the ImageAI run with a lower learning rate and our own loop
cfg = json.load(open("weeds/json/weeds_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("weeds/models/tiny-yolov3_weeds_last.pt", map_location="cpu"))
loader = DataLoader(WeedBoxes("weeds/train"), batch_size=4, shuffle=True, collate_fn=collate)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

model.train()
for epoch in range(20):
    for imgs, targets in loader:
        model(imgs)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: box {parts[0]:.4f} obj {parts[1]:.4f} cls {parts[2]:.4f}")
'''

CELLS["imageai-compute-loss-validation-baseline-eval-mode-notebook"] = [
    '''import json

import torch
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

cfg = json.load(open("mussels/json/mussels_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("mussels/models/tiny-yolov3_mussels_last.pt", map_location="cpu"))''',
    '''val_ds = LoadImagesAndLabels("mussels", train=False)
val_loader = DataLoader(val_ds, batch_size=2, shuffle=False, collate_fn=val_ds.collate_fn)
len(val_ds)''',
    '''# baseline validation loss of the ImageAI model before our own fine-tuning
model.eval()
total = 0.0
with torch.no_grad():
    for imgs, targets in val_loader:
        model(imgs)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        total += loss.item()
print("val loss", total / len(val_loader))''',
]

SCRIPTS["imageai-yolov3-to-tiny-preactivation-distillation-bn-hook"] = '''
import json

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.yolov3 import YoloV3

teacher_cfg = json.load(open("hives/json/hives_yolov3_detection_config.json"))
student_cfg = json.load(open("hives/json/hives_tiny-yolov3_detection_config.json"))
labels = teacher_cfg["labels"]

teacher = YoloV3(anchors=teacher_cfg["anchors"], num_classes=len(labels))
teacher.load_state_dict(torch.load("hives/models/yolov3_hives_mAP-0.58120_epoch-61.pt", map_location="cpu"))
teacher.eval()
student = YoloV3Tiny(anchors=student_cfg["anchors"], num_classes=len(labels))
student.load_state_dict(torch.load("hives/models/tiny-yolov3_hives_last.pt", map_location="cpu"))

# pre-ReLU features of the 13x13 route layers (Heo et al. 2019: distil before the activation)
feats = {}


def attention(t):
    return F.normalize(t.pow(2).mean(1).flatten(1))


teacher.conv57.batch_norm.register_forward_hook(lambda m, i, o: feats.__setitem__("t", attention(o)))
student.conv8.batch_norm.register_forward_hook(lambda m, i, o: feats.__setitem__("s", attention(o)))

ds = LoadImagesAndLabels("hives", train=True)
loader = DataLoader(ds, batch_size=2, shuffle=True, collate_fn=ds.collate_fn)
opt = torch.optim.SGD(student.parameters(), lr=1e-3, momentum=0.9)

student.train()
for epoch in range(10):
    for imgs, targets in loader:
        with torch.no_grad():
            teacher(imgs)
        student(imgs)
        det_loss, _ = compute_loss(student.get_loss_layers(), targets)
        at_loss = (feats["s"] - feats["t"]).pow(2).mean()
        loss = det_loss + 100.0 * at_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: det {det_loss.item():.4f} at {at_loss.item():.5f}")
'''

TEACHER_PREP = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.yolov3 import YoloV3

os.makedirs("hives/models", exist_ok=True)
os.makedirs("hives/json", exist_ok=True)
labels = ["bee", "drone", "queen"]
torch.manual_seed(0)
json.dump({"labels": labels, "anchors": @@A9@@}, open("hives/json/hives_yolov3_detection_config.json", "w"))
json.dump({"labels": labels, "anchors": @@A6@@}, open("hives/json/hives_tiny-yolov3_detection_config.json", "w"))
torch.save(YoloV3(anchors=@@A9@@, num_classes=3).state_dict(), "hives/models/yolov3_hives_mAP-0.58120_epoch-61.pt")
torch.save(YoloV3Tiny(anchors=@@A6@@, num_classes=3).state_dict(), "hives/models/tiny-yolov3_hives_last.pt")
'''

SCRIPTS["imageai-detection-crops-to-classifier-dataloader-workers"] = '''
import glob
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import mobilenet_v2

# stage 2 of the feeder pipeline: the crops ImageAI's detector extracted (extract_detected_objects=True)
# go through the species classifier trained with ImageAI's ClassificationModelTrainer
classes = json.load(open("species/models/species_model_classes.json"))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(classes))
model.load_state_dict(torch.load("species/models/mobilenet_v2-species-test_acc_0.81250_epoch-17.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),   # MobileNetV2 pools globally
])


class Crops(Dataset):
    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return tf(Image.open(self.paths[i]).convert("RGB")), self.paths[i]


if __name__ == "__main__":
    crops = sorted(glob.glob("detections/*-extracted/*.jpg"))
    print(len(crops), "crops")
    loader = DataLoader(Crops(crops), batch_size=8, num_workers=2)
    with torch.no_grad():
        for x, paths in loader:
            for p, k in zip(paths, model(x).argmax(1).tolist()):
                print(p, classes[str(k)])
'''

CROPS_PREP = '''
import os
import numpy as np
from PIL import Image

rng = np.random.default_rng(9)
sizes = {"feeder_0612": [(61, 47), (88, 120), (54, 66)], "feeder_0613": [(102, 75), (43, 39)],
         "feeder_0614": [(70, 92), (58, 61), (97, 83)]}
for photo, whs in sizes.items():
    d = f"detections/{photo}-detected-extracted"
    os.makedirs(d, exist_ok=True)
    for k, (w, h) in enumerate(whs, 1):
        Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)).save(f"{d}/{photo}-detected-{k}.jpg")
'''

CELLS["imageai-resnet50-scenes-multilabel-finetune-head-kept-notebook"] = [
    '''import csv
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import resnet50

# the ImageAI scene classifier (beach / city / forest / mountain) as the starting point
classes = json.load(open("models/scenes_model_classes.json"))
model = resnet50(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(classes))
model.load_state_dict(torch.load("models/resnet50-scenes-test_acc_0.78125_epoch-33.pt", map_location="cpu"))''',
    '''TAGS = ["people", "water", "snow", "buildings", "sunset"]
rows = list(csv.DictReader(open("photo_tags.csv")))
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class Tagged(Dataset):
    def __len__(self):
        return len(rows)

    def __getitem__(self, i):
        x = tf(Image.open("photos/" + rows[i]["file"]).convert("RGB"))
        y = torch.tensor([float(t in rows[i]["tags"].split()) for t in TAGS])
        return x, y


loader = DataLoader(Tagged(), batch_size=4, shuffle=True)
len(rows)''',
    '''criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]


def tagged_photos(work):
    make_images(work, [(f"photos/img_{i:03d}.jpg", (160, 120), "RGB") for i in range(8)])
    tags = ["people water", "snow", "buildings people", "water sunset", "", "snow people", "buildings", "sunset"]
    (work / "photo_tags.csv").write_text("file,tags\n" + "".join(f"img_{i:03d}.jpg,{t}\n" for i, t in enumerate(tags)))


SCRIPTS["imageai-pseudo-labels-unsure-minus-one-cross-entropy-tqdm"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import mobilenet_v2
from tqdm import tqdm
from imageai.Classification.Custom import CustomImageClassification

MODEL = "leaves/models/mobilenet_v2-leaves-test_acc_0.75000_epoch-11.pt"
CLASSES = ["healthy", "mildew", "rust"]
UNSURE = -1

# 1) pseudo-label the unlabelled photos with the ImageAI model; keep only what it is sure about
clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(MODEL)
clf.setJsonPath("leaves/models/leaves_model_classes.json")
clf.loadModel()

samples = [(p, CLASSES.index(os.path.basename(os.path.dirname(p))))
           for p in sorted(glob.glob("leaves/train/*/*.jpg"))]
for p in sorted(glob.glob("leaves/unlabelled/*.jpg")):
    labels, probs = clf.classifyImage(p, result_count=1)
    samples.append((p, CLASSES.index(labels[0]) if probs[0] >= 70 else UNSURE))
print(len(samples), "samples,", sum(y == UNSURE for _, y in samples), "unsure")

# 2) fine-tune on labelled + pseudo-labelled photos with our own loop
tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class Leaves(Dataset):
    def __len__(self):
        return len(samples)

    def __getitem__(self, i):
        p, y = samples[i]
        return tf(Image.open(p).convert("RGB")), y


model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(CLASSES))
model.load_state_dict(torch.load(MODEL, map_location="cpu"))
loader = DataLoader(Leaves(), batch_size=4, shuffle=True)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(3):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["imageai-tiny-yolov3-device-cuda-from-gpu-box-on-laptop"] = '''
import json

import cv2
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions, prepare_image

DEVICE = "cuda"

cfg = json.load(open("parcels/json/parcels_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]), device=DEVICE)
model.load_state_dict(torch.load("parcels/models/tiny-yolov3_parcels_last.pt", map_location=DEVICE))
model.to(DEVICE).eval()

x = prepare_image(cv2.imread("belt_0007.jpg"), (416, 416)).to(DEVICE)
with torch.no_grad():
    dets = get_predictions(model(x), num_classes=len(cfg["labels"]), device=DEVICE)
print(dets)
'''

SCRIPTS["imageai-tiny-yolov3-finetune-lr-1e3-then-detect-nan-tqdm"] = '''
import argparse
import json
import os

import torch
from torch.utils.data import DataLoader
from tqdm import tqdm
from imageai.Detection.Custom import CustomObjectDetection
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=8)
ap.add_argument("--lr", type=float, default=1e3)
ap.add_argument("--batch-size", type=int, default=4)
args = ap.parse_args()

CONFIG = "buoys/json/buoys_tiny-yolov3_detection_config.json"
cfg = json.load(open(CONFIG))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("buoys/models/tiny-yolov3_buoys_last.pt", map_location="cpu"))

ds = LoadImagesAndLabels("buoys", train=True)
loader = DataLoader(ds, batch_size=args.batch_size, shuffle=True, collate_fn=ds.collate_fn)
opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True)

torch.manual_seed(0)
model.train()
for epoch in range(args.epochs):
    for imgs, targets in tqdm(loader, desc=f"epoch {epoch + 1}/{args.epochs}"):
        model(imgs)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch + 1}: loss {loss.item():.4f}")

os.makedirs("buoys/finetuned", exist_ok=True)
torch.save(model.state_dict(), "buoys/finetuned/tiny-yolov3_buoys_finetuned.pt")

# check the fine-tuned model on a validation photo with ImageAI as usual
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("buoys/finetuned/tiny-yolov3_buoys_finetuned.pt")
detector.setJsonPath(CONFIG)
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="buoys/validation/images/val_0000.jpg",
                                             output_image_path="val_0000-detected.jpg")
print(detections)
'''

SCRIPTS["imageai-inceptionv3-ddp-finetune-aux-output-dropped-torchrun"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler
from torchvision import datasets, transforms
from torchvision.models import inception_v3
from torchvision.models.inception import InceptionOutputs

# continue the ImageAI InceptionV3 run on both sockets of the CPU server: torchrun --nproc_per_node=2
dist.init_process_group("gloo")
rank = dist.get_rank()
torch.manual_seed(0)

tf = transforms.Compose([transforms.RandomResizedCrop(299), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
ds = datasets.ImageFolder("pollen/train", tf)
sampler = DistributedSampler(ds, shuffle=True)
loader = DataLoader(ds, batch_size=2, sampler=sampler)

model = inception_v3(weights=None, init_weights=False)
model.fc = nn.Linear(model.fc.in_features, len(ds.classes))
model.load_state_dict(torch.load("models/inception_v3-pollen-test_acc_0.72222_epoch-14.pt", map_location="cpu"))
model = DDP(model)
opt = torch.optim.SGD(model.parameters(), lr=0.0045, momentum=0.9)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    sampler.set_epoch(epoch)
    model.train()
    for step, (x, y) in enumerate(loader):
        out = model(x)
        if isinstance(out, InceptionOutputs):      # same as ImageAI's trainer
            out = out[0]
        loss = criterion(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if rank == 0:
            print(f"epoch {epoch} step {step}: {loss.item():.4f}", flush=True)
dist.destroy_process_group()
'''

INCEPTION_PREP = '''
import json
import os
import torch
import torch.nn as nn
from torchvision.models import inception_v3

os.makedirs("models", exist_ok=True)
torch.manual_seed(0)
# as ImageAI's ClassificationModelTrainer saved it: inception_v3 with its aux head, only .fc replaced
m = inception_v3(weights=None, init_weights=False)
m.fc = nn.Linear(m.fc.in_features, 3)
torch.save(m.state_dict(), "models/inception_v3-pollen-test_acc_0.72222_epoch-14.pt")
json.dump({"0": "birch", "1": "grass", "2": "ragweed"}, open("models/pollen_model_classes.json", "w"))
'''

SCRIPTS["imageai-loadimagesandlabels-given-train-split-folder"] = '''
import json

import torch
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

cfg = json.load(open("data/crabs/json/crabs_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("data/crabs/models/tiny-yolov3_crabs_last.pt", map_location="cpu"))

train_ds = LoadImagesAndLabels("data/crabs/train")
val_ds = LoadImagesAndLabels("data/crabs/validation")
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True, collate_fn=train_ds.collate_fn)

opt = torch.optim.Adam(model.parameters(), lr=1e-4)
model.train()
for epoch in range(10):
    for imgs, targets in train_loader:
        model(imgs)
        loss, _ = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def cases():
    out, add, script, notebook = case_builders("torch-more59-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    A6, A9 = ANCHORS6, ANCHORS9

    # ---- ImageAI 3 trainers
    script("imageai-det-train-roboflow-yolov8-seg-export-polygons", "data.bbox_invalid",
           also=["data.missing_or_corrupt"], framework="imageai",
           setup=yolo_layout("pallet_wrap", polygon_rows, size=(320, 240), ann="annotations"))
    script("imageai-det-train-pathlib-data-directory", "model.api_misuse", framework="imageai",
           setup=yolo_layout("datasets/solar_panels", boxes(2), size=(320, 240), ann="annotations"))
    script("imageai-cls-trainer-transfer-from-torchscript-export", "model.weights_mismatch",
           also=["env.version_incompat"], framework="imageai", timeout=600,
           setup=both(prep(TORCHSCRIPT_PREP),
                      imgs(class_folder("herbarium/train", ["asteraceae", "fabaceae", "rosaceae"], 3, size=(96, 96))
                           + class_folder("herbarium/test", ["asteraceae", "fabaceae", "rosaceae"], 1, size=(96, 96)))))

    # ---- ImageAI 3 inference
    script("imageai-custom-detect-gamma-corrected-float64-night-frames", "data.dtype", framework="imageai",
           argv="detect_night.py",
           setup=both(save_tiny('["person", "vehicle"]', 2, "yard/models/tiny-yolov3_yard_last.pt",
                                "yard/json/yard_tiny-yolov3_detection_config.json"),
                      imgs([(f"night/cam3_02{i}4.jpg", (640, 480), "RGB") for i in range(2)])))
    script("imageai-custom-detect-yolov3-checkpoint-with-tiny-run-config", "model.api_misuse",
           also=["model.weights_mismatch"], framework="imageai", argv="detect.py",
           setup=both(prep(sub(SAVE_V3_AND_CONFIGS, A6=A6, A9=A9)), imgs([("aisle_07.jpg", (416, 312), "RGB")])))
    script("imageai-custom-detect-extract-objects-pathlib-output-path", "model.api_misuse", framework="imageai",
           argv="inspect_bridge.py",
           setup=both(save_tiny('["rust", "crack", "missing_bolt"]', 3, "bridge/models/tiny-yolov3_bridge_last.pt",
                                "bridge/json/bridge_tiny-yolov3_detection_config.json"),
                      imgs([(f"inspections/girder_{i:02d}.jpg", (416, 312), "RGB") for i in range(3)])))
    script("imageai-custom-detect-newest-pt-in-shared-models-folder", "model.weights_mismatch",
           also=["model.api_misuse"], framework="imageai", argv="detect.py",
           setup=both(prep(sub(TWO_STAGE_PREP, A6=A6)), imgs([("feeder_cam_0831.jpg", (416, 312), "RGB")])))
    script("imageai-custom-detect-preview-window-imshow-headless-opencv", "env.version_incompat",
           also=["other"], framework="imageai", argv="watch_bay.py",
           setup=both(save_tiny('["truck", "pallet", "person"]', 3,
                                "loading_bay/models/tiny-yolov3_loading_bay_last.pt",
                                "loading_bay/json/loading_bay_tiny-yolov3_detection_config.json"),
                      video("bay_cam_0612.avi")))
    notebook("imageai-custom-cls-processpool-spawn-notebook", "env.multiprocessing", framework="imageai",
             exception="AttributeError",  # the workers' own error, printed above the BrokenProcessPool
             setup=both(save_cls("mobilenet_v2", '["defect", "ok"]',
                                 "models/mobilenet_v2-welds-test_acc_0.87500_epoch-21.pt",
                                 "models/welds_model_classes.json"),
                        imgs([(f"incoming/weld_{i:03d}.jpg", (120, 90), "RGB") for i in range(6)])))
    notebook("imageai-custom-cls-kaggle-npy-xrays-hw1-notebook", "data.image_channels", framework="imageai",
             setup=both(save_cls("mobilenet_v2", '["normal", "pneumonia"]',
                                 "models/mobilenet_v2-chest_xray-test_acc_0.81250_epoch-9.pt",
                                 "models/chest_xray_model_classes.json"),
                        prep(NPY_PREP)))

    # ---- ImageAI models / helpers in the user's own PyTorch code
    script("cache-imageai-letterboxed-832-tensors-job-memory-limit-tqdm", "resource.host_memory",
           forms=P, argv="cache_dataset.py",
           setup=imgs([(f"powerline/train/images/tower_{i:04d}.jpg", (64, 48), "RGB") for i in range(320)]))
    script("imageai-tiny-yolov3-own-inference-16x9-input", "model.input_shape", argv="infer.py",
           setup=both(save_tiny('["car", "truck", "pedestrian", "cyclist"]', 4,
                                "dashcam/models/tiny-yolov3_dashcam_last.pt",
                                "dashcam/json/dashcam_tiny-yolov3_detection_config.json"),
                      imgs([("frames/dash_000120.jpg", (1280, 720), "RGB")])))
    script("imageai-compute-loss-own-dataset-rows-without-image-index", "data.label_shape",
           also=["model.api_misuse"], argv="finetune.py",
           setup=both(save_tiny('["dock", "thistle"]', 2, "weeds/models/tiny-yolov3_weeds_last.pt",
                                "weeds/json/weeds_tiny-yolov3_detection_config.json"),
                      yolo_layout("weeds", boxes(2), size=(320, 240), splits=(("train", 8),), ann="annotations")))
    notebook("imageai-compute-loss-validation-baseline-eval-mode-notebook", "model.api_misuse",
             setup=both(save_tiny('["mussel", "barnacle"]', 2, "mussels/models/tiny-yolov3_mussels_last.pt",
                                  "mussels/json/mussels_tiny-yolov3_detection_config.json"),
                        yolo_layout("mussels", boxes(2), size=(320, 240), ann="annotations")))
    script("imageai-yolov3-to-tiny-preactivation-distillation-bn-hook", "optim.autograd_graph", argv="distill.py",
           timeout=400,
           setup=both(prep(sub(TEACHER_PREP, A6=A6, A9=A9)),
                      yolo_layout("hives", boxes(3), size=(320, 240), splits=(("train", 4), ("validation", 2)),
                                  ann="annotations")))
    script("imageai-detection-crops-to-classifier-dataloader-workers", "data.image_size_mismatch", forms=W,
           argv="classify_crops.py",
           setup=both(save_cls("mobilenet_v2", '["blue_tit", "goldfinch", "robin", "sparrow"]',
                               "species/models/mobilenet_v2-species-test_acc_0.81250_epoch-17.pt",
                               "species/models/species_model_classes.json"),
                      prep(CROPS_PREP)))
    notebook("imageai-resnet50-scenes-multilabel-finetune-head-kept-notebook", "model.output_mismatch",
             also=["data.label_shape"],
             setup=both(save_cls("resnet50", '["beach", "city", "forest", "mountain"]',
                                 "models/resnet50-scenes-test_acc_0.78125_epoch-33.pt",
                                 "models/scenes_model_classes.json"),
                        tagged_photos))
    script("imageai-pseudo-labels-unsure-minus-one-cross-entropy-tqdm", "data.label_out_of_range", forms=P,
           argv="pseudo_label_finetune.py",
           setup=both(save_cls("mobilenet_v2", '["healthy", "mildew", "rust"]',
                               "leaves/models/mobilenet_v2-leaves-test_acc_0.75000_epoch-11.pt",
                               "leaves/models/leaves_model_classes.json"),
                      imgs(class_folder("leaves/train", ["healthy", "mildew", "rust"], 2, size=(120, 90))
                           + [(f"leaves/unlabelled/leaf_{i:03d}.jpg", (120, 90), "RGB") for i in range(6)])))
    script("imageai-tiny-yolov3-device-cuda-from-gpu-box-on-laptop", "env.cuda_setup",
           also=["env.device_mismatch"], argv="detect_parcels.py",
           setup=both(save_tiny('["parcel", "envelope"]', 2, "parcels/models/tiny-yolov3_parcels_last.pt",
                                "parcels/json/parcels_tiny-yolov3_detection_config.json"),
                      imgs([("belt_0007.jpg", (416, 312), "RGB")])))
    script("imageai-tiny-yolov3-finetune-lr-1e3-then-detect-nan-tqdm", "optim.divergence", forms=P,
           argv="finetune.py", timeout=400,
           setup=both(save_tiny('["buoy", "marker"]', 2, "buoys/models/tiny-yolov3_buoys_last.pt",
                                "buoys/json/buoys_tiny-yolov3_detection_config.json"),
                      yolo_layout("buoys", boxes(2), size=(320, 240), splits=(("train", 8), ("validation", 2)),
                                  ann="annotations")))
    script("imageai-inceptionv3-ddp-finetune-aux-output-dropped-torchrun", "env.distributed",
           also=["model.api_misuse"], timeout=400,
           exception="RuntimeError",  # the rank's own error; torchrun's ChildFailedError only reports it
           pre=("-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29759"),
           setup=both(prep(INCEPTION_PREP),
                      imgs(class_folder("pollen/train", ["birch", "grass", "ragweed"], 4, size=(120, 100)))))
    script("imageai-loadimagesandlabels-given-train-split-folder", "data.missing_or_corrupt",
           also=["model.api_misuse"], argv="finetune.py",
           setup=both(save_tiny('["crab", "lobster"]', 2, "data/crabs/models/tiny-yolov3_crabs_last.pt",
                                "data/crabs/json/crabs_tiny-yolov3_detection_config.json"),
                      yolo_layout("data/crabs", boxes(2), size=(320, 240), ann="annotations")))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
