"""A sixty-seventh held-out set (g127, scored 0.94 top-1 and 1.00 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: small teams shipping an ImageAI 3 model inside a product: a FastAPI/Flask-style service (run here as a
plain script) that loads ``CustomImageClassification`` / ``CustomObjectDetection`` once and serves many images,
background threads, image bytes from uploads (``io.BytesIO``, base64), model files shipped in a package folder, a
nightly retrain with ``ClassificationModelTrainer`` / ``DetectionModelTrainer`` on the images users sent back, and
unit tests that run the trainer on a tiny dataset. A natural mix of causes, each program built so that its cause is
known by construction and made to fail inside ImageAI, torch, torchvision, OpenCV, PIL or NumPy; none a repeat of
the scenarios in the other generators:

- serving (ImageAI 3 inference on uploads): the upload's raw bytes turned into an array with ``np.frombuffer`` and
  no ``cv2.imdecode`` (model.api_misuse), a browser base64 payload decoded with its ``data:image/jpeg;base64,``
  prefix (PIL, data.missing_or_corrupt), transparent PNG screenshots decoded with ``cv2.IMREAD_UNCHANGED`` for the
  detector (four channels, data.image_channels), the preprocessing helper's normalised float32 array given to
  ``classifyImage`` (PIL, data.dtype), a "top 5" endpoint on a three-class classifier (``topk``,
  model.api_misuse), the classifier in the package folder saved by the retrain job as a whole pickled module
  (``weights_only``, model.weights_mismatch), a thumbnail helper using ``Image.ANTIALIAS`` under Pillow 10+
  (env.version_incompat), a batch endpoint that shrinks each upload by ``fx=fy=0.5`` and ``np.stack``-s them
  (data.image_size_mismatch);
- nightly retrain: a ``ClassificationModelTrainer`` run whose ``test`` split has a class folder that ``train``
  does not have yet (tqdm, data.label_out_of_range), a ``DetectionModelTrainer`` run on user feedback where most
  images were sent back with empty annotation files (anchor k-means, data.too_few_boxes), feedback boxes dragged
  past the image edge in the web widget (data.bbox_invalid), the retrain DataLoader on the ``spawn`` context
  (the service has threads) with a Dataset holding the upload folder's ``threading.Lock`` (env.multiprocessing),
  the whole upload backlog decoded into one tensor list under the staging pod's memory cap
  (resource.host_memory), a thumbs-up/down head trained with ``BCEWithLogitsLoss`` on ``(N,)`` targets against
  ``(N, 1)`` logits (data.label_shape), a background-thread head retrain on the features cached while serving
  (graph kept, second ``backward``, optim.autograd_graph);
- unit tests: the InceptionV3 trainer on a nine-image fixture whose last batch holds one image (the auxiliary
  head's BatchNorm, unittest, other).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more67.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from pathlib import Path

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more67.py"

SCRIPTS = {}
CELLS = {}


def boxes(nc=2):
    def rows(split, i):
        a, b = i % nc, (i + 1) % nc
        return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
                f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")
    return rows


SERVICE_HEAD = '''
import io
import logging

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("shopvision.api")
'''

# ================================================================== serving
SCRIPTS["service-detect-upload-bytes-frombuffer-no-imdecode"] = SERVICE_HEAD + '''
import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("shelfscan/models/tiny-yolov3_shelves_last.pt")
detector.setJsonPath("shelfscan/json/shelves_tiny-yolov3_detection_config.json")
detector.loadModel()
log.info("detector ready")


def detect_endpoint(upload_bytes: bytes):
    """POST /detect  (multipart upload; the handler gets the file's bytes)"""
    image = np.frombuffer(upload_bytes, dtype=np.uint8)
    _, detections = detector.detectObjectsFromImage(input_image=image, output_type="array",
                                                   minimum_percentage_probability=50)
    return [{"label": d["name"] if isinstance(d, dict) else d[0]} for d in detections]


with open("request_samples/shelf_0412.jpg", "rb") as f:
    print(detect_endpoint(f.read()))
'''

SCRIPTS["service-classify-base64-data-url-prefix"] = SERVICE_HEAD + '''
import base64
import json

from PIL import Image
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("shopvision/models/mobilenet_v2-products-test_acc_0.91667_epoch-18.pt")
clf.setJsonPath("shopvision/models/products_model_classes.json")
clf.loadModel()
log.info("classifier ready")


def classify_endpoint(body: str):
    """POST /classify  {"image": <canvas.toDataURL() from the web app>}"""
    payload = json.loads(body)["image"]
    img = Image.open(io.BytesIO(base64.b64decode(payload)))
    labels, probs = clf.classifyImage(img, result_count=2)
    return dict(zip(labels, probs))


body = open("request_samples/classify_body.json").read()
print(classify_endpoint(body))
'''

B64_PREP = '''
import base64, io, json, os
from PIL import Image
import numpy as np
os.makedirs("request_samples", exist_ok=True)
buf = io.BytesIO()
Image.fromarray(np.random.default_rng(1).integers(0, 256, (240, 320, 3), dtype=np.uint8)).save(buf, "JPEG")
url = "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()
json.dump({"image": url, "client": "web-1.8.2"}, open("request_samples/classify_body.json", "w"))
'''

SCRIPTS["service-detect-png-upload-imread-unchanged-rgba"] = SERVICE_HEAD + '''
import cv2
import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("shelfscan/models/tiny-yolov3_shelves_last.pt")
detector.setJsonPath("shelfscan/json/shelves_tiny-yolov3_detection_config.json")
detector.loadModel()


def decode_upload(data: bytes) -> np.ndarray:
    # IMREAD_UNCHANGED so that 16-bit TIFFs from the warehouse scanners keep their depth
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)


def detect_endpoint(data: bytes):
    frame = decode_upload(data)
    log.info("decoded upload %s %s", frame.shape, frame.dtype)
    _, detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                                   minimum_percentage_probability=50)
    return detections


for name in ("shelf_0412.jpg", "screenshot_store_app.png"):
    with open("request_samples/" + name, "rb") as f:
        print(name, len(detect_endpoint(f.read())), "objects")
'''

SCRIPTS["service-classify-normalised-float32-array"] = SERVICE_HEAD + '''
import numpy as np
from PIL import Image
from imageai.Classification.Custom import CustomImageClassification

from preprocessing import load_upload

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("shopvision/models/resnet50-products-test_acc_0.87500_epoch-31.pt")
clf.setJsonPath("shopvision/models/products_model_classes.json")
clf.loadModel()

with open("request_samples/product_7731.jpg", "rb") as f:
    arr = load_upload(f.read())          # shared helper of the API and the retrain job
labels, probs = clf.classifyImage(arr, result_count=2)
print(labels, probs)
'''

PREPROCESSING = '''
import io

import numpy as np
from PIL import Image, ImageOps


def load_upload(data: bytes) -> np.ndarray:
    """Decode an upload, apply the EXIF rotation and scale it to [0, 1] (float32, H x W x 3)."""
    img = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    return np.asarray(img, dtype=np.float32) / 255.0
'''

SCRIPTS["service-classify-top5-three-class-model"] = SERVICE_HEAD + '''
from imageai.Classification.Custom import CustomImageClassification

TOP_K = 5  # the product page shows five suggestions

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("shopvision/models/mobilenet_v2-returns-test_acc_0.83333_epoch-12.pt")
clf.setJsonPath("shopvision/models/returns_model_classes.json")
clf.loadModel()


def suggest(path):
    labels, probs = clf.classifyImage(path, result_count=TOP_K)
    return [{"label": l, "score": p} for l, p in zip(labels, probs)]


print(suggest("request_samples/return_parcel_0098.jpg"))
'''

SCRIPTS["service-classifier-whole-model-pickle-from-retrain"] = '''
import os

from imageai.Classification.Custom import CustomImageClassification

import shopvision

PKG = os.path.dirname(shopvision.__file__)

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath(os.path.join(PKG, "models", "classifier.pt"))       # written by nightly_retrain.py
clf.setJsonPath(os.path.join(PKG, "models", "classifier_classes.json"))
clf.loadModel()
print(clf.classifyImage(os.path.join("request_samples", "product_7731.jpg"), result_count=2))
'''

WHOLE_PICKLE_PREP = '''
import json, os
import torch, torch.nn as nn, torchvision
os.makedirs("shopvision/models", exist_ok=True)
open("shopvision/__init__.py", "w").write('__version__ = "0.9.3"\\n')
m = torchvision.models.mobilenet_v2()
m.classifier[1] = nn.Linear(m.classifier[1].in_features, 3)
# nightly_retrain.py: "save the fine-tuned model for the API"
torch.save(m, "shopvision/models/classifier.pt")
json.dump({"0": "bag", "1": "shoe", "2": "watch"}, open("shopvision/models/classifier_classes.json", "w"))
'''

SCRIPTS["service-thumbnail-pil-antialias-pillow10"] = SERVICE_HEAD + '''
from PIL import Image
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("shopvision/models/mobilenet_v2-products-test_acc_0.91667_epoch-18.pt")
clf.setJsonPath("shopvision/models/products_model_classes.json")
clf.loadModel()


def make_thumbnail(img: Image.Image, size=(256, 256)) -> Image.Image:
    # from the 2021 version of the service
    return img.resize(size, Image.ANTIALIAS)


def classify_endpoint(data: bytes):
    img = Image.open(io.BytesIO(data)).convert("RGB")
    thumb = make_thumbnail(img)
    return clf.classifyImage(thumb, result_count=2)


with open("request_samples/product_7731.jpg", "rb") as f:
    print(classify_endpoint(f.read()))
'''

SCRIPTS["service-batch-endpoint-cv2-resize-fx-fy-np-stack"] = SERVICE_HEAD + '''
import glob

import cv2
import numpy as np
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
import json

cfg = json.load(open("shelfscan/json/shelves_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("shelfscan/models/tiny-yolov3_shelves_last.pt", map_location="cpu"))
model.eval()


def batch_endpoint(files):
    """POST /detect/batch: the store app sends up to 8 shelf photos at once"""
    frames = []
    for data in files:
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        img = cv2.resize(img, None, fx=0.5, fy=0.5)        # phones send 2x photos; halve them
        frames.append(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
    batch = np.stack(frames).astype(np.float32) / 255.0
    x = torch.from_numpy(batch).permute(0, 3, 1, 2)
    with torch.no_grad():
        return model(x)


files = [open(p, "rb").read() for p in sorted(glob.glob("request_samples/batch/*.jpg"))]
log.info("batch of %d uploads", len(files))
out = batch_endpoint(files)
print(out.shape)
'''

# ================================================================== nightly retrain
SCRIPTS["nightly-classifier-retrain-test-only-class-folder"] = '''
import datetime

from imageai.Classification.Custom import ClassificationModelTrainer

# nightly_retrain.py: users' "wrong label?" reports are sorted by support into feedback/{train,test}/<class>/
print(f"[{datetime.date(2025, 3, 4)}] nightly retrain on feedback/")
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("feedback")
trainer.trainModel(num_experiments=3, batch_size=4)
'''

SCRIPTS["nightly-detector-retrain-mostly-empty-feedback"] = '''
import glob
import os

from imageai.Detection.Custom import DetectionModelTrainer

DATA = "shelf_feedback"
n_img = len(glob.glob(os.path.join(DATA, "train", "images", "*.jpg")))
n_box = 0
for p in glob.glob(os.path.join(DATA, "train", "annotations", "*.txt")):
    with open(p) as f:
        n_box += len(f.read().split()) // 5
print(f"nightly retrain: {n_img} feedback images, {n_box} boxes")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["gap", "misplaced"], batch_size=4, num_experiments=20,
                       train_from_pretrained_model="shelfscan/models/tiny-yolov3_shelves_last.pt")
trainer.trainModel()
'''


def feedback_rows(split, i):
    # the review tool writes an empty .txt when the user said "nothing wrong here"
    if split == "train" and i in (2, 5):
        return "0 0.52 0.47 0.18 0.22\n"
    if split == "validation" and i == 0:
        return "1 0.40 0.60 0.20 0.30\n"
    return ""


SCRIPTS["nightly-detector-retrain-feedback-box-dragged-outside"] = '''
import glob
import json
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["gap", "misplaced"]
DATA = "shelf_feedback"

# the web widget stores each correction as {"label", "x", "y", "w", "h"} in image pixels (top-left corner)
for split in ("train", "validation"):
    os.makedirs(os.path.join(DATA, split, "annotations"), exist_ok=True)
    for path in glob.glob(os.path.join(DATA, split, "corrections", "*.json")):
        rec = json.load(open(path))
        W, H = rec["image_width"], rec["image_height"]
        rows = []
        for b in rec["boxes"]:
            cx = (b["x"] + b["w"] / 2) / W
            cy = (b["y"] + b["h"] / 2) / H
            rows.append(f'{CLASSES.index(b["label"])} {cx:.6f} {cy:.6f} {b["w"] / W:.6f} {b["h"] / H:.6f}')
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(DATA, split, "annotations", name + ".txt"), "w") as f:
            f.write("\\n".join(rows) + "\\n")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=20)
trainer.trainModel()
'''

CORRECTIONS_PREP = '''
import json, os
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"shelf_feedback/{split}/corrections", exist_ok=True)
    for i in range(n):
        boxes = [{"label": "gap", "x": 40 + 9 * i, "y": 30 + 4 * i, "w": 80, "h": 60},
                 {"label": "misplaced", "x": 150 + 5 * i, "y": 90, "w": 70 + 3 * i, "h": 100}]
        if split == "train" and i == 4:
            # dragged from inside the photo to past its left edge: negative x
            boxes.append({"label": "gap", "x": -38, "y": 120, "w": 64, "h": 70})
        json.dump({"image_width": 320, "image_height": 240, "boxes": boxes, "user": f"u{1200 + i}"},
                  open(f"shelf_feedback/{split}/corrections/{split[:3]}_{i:04d}.json", "w"))
'''

SCRIPTS["retrain-dataloader-spawn-dataset-holds-upload-lock"] = '''
import glob
import os
import threading

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

UPLOAD_DIR = "uploads"
UPLOAD_LOCK = threading.Lock()   # the API's upload handler writes into UPLOAD_DIR under this lock

TF = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])


class FeedbackDataset(Dataset):
    def __init__(self, root, lock):
        self.lock = lock
        with lock:                       # don't list the folder while an upload is half written
            self.items = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.classes = sorted({os.path.basename(os.path.dirname(p)) for p in self.items})

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p = self.items[i]
        with self.lock:
            img = Image.open(p).convert("RGB")
        return TF(img), self.classes.index(os.path.basename(os.path.dirname(p)))


def main():
    ds = FeedbackDataset(UPLOAD_DIR, UPLOAD_LOCK)
    # the retrain runs inside the API process next to its threads, so no fork()
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = torchvision.models.mobilenet_v2(num_classes=len(ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    for x, y in loader:
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(f"loss {loss.item():.4f}")


if __name__ == "__main__":
    main()
'''

SCRIPTS["nightly-backlog-decoded-in-memory-pod-limit"] = '''
import csv
import resource

import torch
from PIL import Image
from torchvision.transforms.functional import to_tensor


def pod_memory_cap(gib):
    # the staging pod's limit (cgroup), reproduced on the dev box
    vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (vm + int(gib * 2 ** 30), resource.RLIM_INFINITY))


pod_memory_cap(1.5)

rows = list(csv.DictReader(open("backlog/manifest.csv")))
print(f"{len(rows)} uploads in the backlog since the last retrain")

# keep every decoded upload so that both the dedup pass and the retrain can reuse them
tensors = []
for r in rows:
    tensors.append(to_tensor(Image.open(r["path"]).convert("RGB")))
    if len(tensors) % 50 == 0:
        print(f"decoded {len(tensors)}/{len(rows)}", flush=True)
backlog = torch.stack(tensors)
print(backlog.shape)
'''

BACKLOG_PREP = '''
import csv, os
import numpy as np
from PIL import Image
os.makedirs("backlog/uploads", exist_ok=True)
rng = np.random.default_rng(3)
paths = []
for i in range(6):
    p = f"backlog/uploads/IMG_{4100 + i}.jpg"
    Image.fromarray(rng.integers(0, 256, (1536, 2048, 3), dtype=np.uint8)).save(p, quality=70)
    paths.append(p)
with open("backlog/manifest.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["upload_id", "path", "user"])
    for i in range(900):
        w.writerow([f"up{i:05d}", paths[i % 6], f"u{i % 37}"])
'''

SCRIPTS["thumbs-feedback-head-bce-target-shape"] = '''
import json

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

# "was this suggestion right?" thumbs up / down from the product page -> a one-logit head on the backbone
backbone = torchvision.models.mobilenet_v2(num_classes=4)
backbone.load_state_dict(torch.load("shopvision/models/mobilenet_v2-products-test_acc_0.91667_epoch-18.pt",
                                    map_location="cpu"))
backbone.classifier = nn.Identity()
backbone.eval()
head = nn.Linear(1280, 1)

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
events = [json.loads(l) for l in open("feedback/thumbs.jsonl")]
x = torch.stack([tf(Image.open(e["image"]).convert("RGB")) for e in events])
y = torch.tensor([1.0 if e["thumb"] == "up" else 0.0 for e in events])

with torch.no_grad():
    feats = backbone(x)
loss_fn = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(head.parameters(), lr=1e-3)
for epoch in range(5):
    logits = head(feats)
    loss = loss_fn(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

THUMBS_PREP = '''
import json, os
import numpy as np
from PIL import Image
os.makedirs("feedback/thumbs", exist_ok=True)
rng = np.random.default_rng(4)
with open("feedback/thumbs.jsonl", "w") as f:
    for i in range(6):
        p = f"feedback/thumbs/ev_{i:03d}.jpg"
        Image.fromarray(rng.integers(0, 256, (200, 260, 3), dtype=np.uint8)).save(p)
        f.write(json.dumps({"image": p, "thumb": "up" if i % 3 else "down", "product": 880 + i}) + "\\n")
'''

SCRIPTS["nightly-head-retrain-thread-cached-serving-features"] = SERVICE_HEAD + '''
import glob
from concurrent.futures import ThreadPoolExecutor

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

backbone = torchvision.models.mobilenet_v2(num_classes=4)
backbone.load_state_dict(torch.load("shopvision/models/mobilenet_v2-products-test_acc_0.91667_epoch-18.pt",
                                    map_location="cpu"))
backbone.eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])

FEATURE_CACHE = []   # (pooled features, label the user confirmed) collected while serving


def serve(path, confirmed_label):
    x = tf(Image.open(path).convert("RGB")).unsqueeze(0)
    feats = backbone.features(x).mean((2, 3))
    FEATURE_CACHE.append((feats, confirmed_label))
    return backbone.classifier(feats).argmax(1).item()


def retrain_head(epochs=3):
    head = nn.Linear(1280, 4)
    head.load_state_dict(backbone.classifier[1].state_dict())
    opt = torch.optim.SGD(head.parameters(), lr=1e-2)
    for epoch in range(epochs):
        feats = torch.cat([f for f, _ in FEATURE_CACHE])
        labels = torch.tensor([l for _, l in FEATURE_CACHE])
        loss = nn.functional.cross_entropy(head(feats), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        log.info("head epoch %d loss %.4f", epoch, loss.item())
    return head


for i, p in enumerate(sorted(glob.glob("request_samples/day/*.jpg"))):
    serve(p, i % 4)
log.info("%d requests served, %d cached", i + 1, len(FEATURE_CACHE))

with ThreadPoolExecutor(max_workers=1, thread_name_prefix="nightly") as pool:
    head = pool.submit(retrain_head).result()
'''

# ================================================================== unit tests
SCRIPTS["unittest-inception-trainer-nine-image-fixture"] = '''
import os
import unittest

from imageai.Classification.Custom import ClassificationModelTrainer

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "tiny_products")


class TestNightlyRetrain(unittest.TestCase):
    def test_inception_one_epoch(self):
        trainer = ClassificationModelTrainer()
        trainer.setModelTypeAsInceptionV3()
        trainer.setDataDirectory(FIXTURE)
        trainer.trainModel(num_experiments=1, batch_size=8, verbose=False)
        self.assertTrue(os.path.isdir(os.path.join(FIXTURE, "models")))


if __name__ == "__main__":
    unittest.main()
'''


def cases():
    out, add, script, notebook = case_builders("torch-more67-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    shelf_tiny = save_tiny('["gap", "misplaced"]', 2, "shelfscan/models/tiny-yolov3_shelves_last.pt",
                           "shelfscan/json/shelves_tiny-yolov3_detection_config.json")
    products = save_cls("mobilenet_v2", '["bag", "shoe", "sneaker", "watch"]',
                        "shopvision/models/mobilenet_v2-products-test_acc_0.91667_epoch-18.pt",
                        "shopvision/models/products_model_classes.json")
    sample = imgs([("request_samples/product_7731.jpg", (480, 360), "RGB")])

    # ---- serving
    script("service-detect-upload-bytes-frombuffer-no-imdecode", "model.api_misuse",
           also=["model.input_shape"], framework="imageai", argv="api.py",
           setup=both(shelf_tiny, imgs([("request_samples/shelf_0412.jpg", (640, 480), "RGB")])))
    script("service-classify-base64-data-url-prefix", "data.missing_or_corrupt", also=["model.api_misuse"],
           framework="imageai", argv="api.py", exception="UnidentifiedImageError",
           setup=both(products, prep(B64_PREP)))
    script("service-detect-png-upload-imread-unchanged-rgba", "data.image_channels", framework="imageai",
           argv="api.py",
           setup=both(shelf_tiny, imgs([("request_samples/shelf_0412.jpg", (640, 480), "RGB"),
                                        ("request_samples/screenshot_store_app.png", (360, 640), "RGBA")])))
    script("service-classify-normalised-float32-array", "data.dtype", framework="imageai", argv="api.py",
           extra={"preprocessing.py": PREPROCESSING},
           setup=both(save_cls("resnet50", '["bag", "shoe", "sneaker", "watch"]',
                               "shopvision/models/resnet50-products-test_acc_0.87500_epoch-31.pt",
                               "shopvision/models/products_model_classes.json"), sample))
    script("service-classify-top5-three-class-model", "model.api_misuse", framework="imageai", argv="api.py",
           setup=both(save_cls("mobilenet_v2", '["damaged", "intact", "wrong_item"]',
                               "shopvision/models/mobilenet_v2-returns-test_acc_0.83333_epoch-12.pt",
                               "shopvision/models/returns_model_classes.json"),
                      imgs([("request_samples/return_parcel_0098.jpg", (400, 300), "RGB")])))
    script("service-classifier-whole-model-pickle-from-retrain", "model.weights_mismatch",
           also=["env.version_incompat"], framework="imageai", argv="serve.py", exception="Exception",
           setup=both(prep(WHOLE_PICKLE_PREP), sample))
    script("service-thumbnail-pil-antialias-pillow10", "env.version_incompat", framework="imageai",
           argv="api.py", setup=both(products, sample))
    script("service-batch-endpoint-cv2-resize-fx-fy-np-stack", "data.image_size_mismatch", argv="api.py",
           setup=both(shelf_tiny, imgs([("request_samples/batch/up_01.jpg", (832, 832), "RGB"),
                                        ("request_samples/batch/up_02.jpg", (832, 832), "RGB"),
                                        ("request_samples/batch/up_03.jpg", (1024, 768), "RGB")])))

    # ---- nightly retrain
    script("nightly-classifier-retrain-test-only-class-folder", "data.label_out_of_range",
           also=["data.missing_or_corrupt"], framework="imageai", forms=P, argv="nightly_retrain.py",
           timeout=400,
           setup=imgs(class_folder("feedback/train", ["bag", "shoe"], 4, size=(96, 96))
                      + class_folder("feedback/test", ["bag", "shoe", "wallet"], 2, size=(96, 96))))
    script("nightly-detector-retrain-mostly-empty-feedback", "data.too_few_boxes", also=["data.missing_or_corrupt"],
           framework="imageai", argv="nightly_detector.py", timeout=400,
           setup=both(shelf_tiny, yolo_layout("shelf_feedback", feedback_rows, size=(320, 240))))
    script("nightly-detector-retrain-feedback-box-dragged-outside", "data.bbox_invalid", framework="imageai",
           argv="nightly_detector.py", timeout=400,
           setup=both(yolo_layout("shelf_feedback", None, size=(320, 240), write_labels=False),
                      prep(CORRECTIONS_PREP)))
    script("retrain-dataloader-spawn-dataset-holds-upload-lock", "env.multiprocessing", argv="retrain.py",
           setup=imgs(class_folder("uploads", ["bag", "shoe"], 4, size=(120, 90))))
    script("nightly-backlog-decoded-in-memory-pod-limit", "resource.host_memory", argv="backlog.py", timeout=400,
           setup=prep(BACKLOG_PREP))
    script("thumbs-feedback-head-bce-target-shape", "data.label_shape", argv="thumbs_head.py",
           setup=both(products, prep(THUMBS_PREP)))
    script("nightly-head-retrain-thread-cached-serving-features", "optim.autograd_graph", argv="api.py",
           setup=both(products, imgs([(f"request_samples/day/req_{i:03d}.jpg", (200, 150), "RGB")
                                      for i in range(6)])))

    # ---- unit tests
    script("unittest-inception-trainer-nine-image-fixture", "other", also=["model.api_misuse"], framework="imageai",
           forms=P, argv="test_retrain.py", pre=("-m", "unittest", "-v"), timeout=400,
           setup=imgs(class_folder("fixtures/tiny_products/train", ["bag", "shoe"], 5, size=(120, 120))[:9]
                      + class_folder("fixtures/tiny_products/test", ["bag", "shoe"], 2, size=(120, 120))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
