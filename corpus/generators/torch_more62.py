"""A sixty-second held-out set (g120, scored 0.95 top-1 and 0.95 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: ImageAI 3.0.3 users whose projects grew: several datasets and class lists kept in one project folder,
models retrained every week by a cron script, ``ClassificationModelTrainer`` / ``DetectionModelTrainer`` runs
resumed or continued from earlier ``.pt`` files, json configs copied between projects, batch prediction over
folders with ``CustomImageClassification.classifyImage`` / ``CustomObjectDetection.detectObjectsFromImage`` with
the results written to CSV, models moved between a workstation and a laptop, and ImageAI pinned in one environment
while the rest of the stack (torch, NumPy) was upgraded. A natural mix of causes, each program built so that its
cause is known by construction and made to fail inside ImageAI, torch, torchvision, NumPy, OpenCV or Pillow; none a
repeat of the scenarios in the other generators:

- ImageAI 3 trainers: the weekly MobileNetV2 retrain run on the laptop with ImageNet transfer weights the
  workstation re-saved from its GPU (``torch.load`` without ``map_location`` inside the trainer,
  env.cuda_setup), a cron detector retrain taking its ``object_names_array`` from last week's detection config
  after the annotators added a fourth class (tqdm, data.label_out_of_range), a YOLOv3 retrain on the laptop whose
  ``images`` folders are symlinks to an unmounted NAS share (data.missing_or_corrupt), a classification data set
  copied from the Mac laptop over an exFAT drive with its AppleDouble ``._*.jpg`` files (tqdm,
  data.missing_or_corrupt);
- ImageAI 3 batch prediction: a DenseNet121 classifier fed the Windows scanner station's manifest paths with
  backslashes on the Linux laptop (data.missing_or_corrupt), a detector checkpoint from the workstation's
  ``torch.compile``-d fine-tune (``_orig_mod.`` keys, model.weights_mismatch), the motion filter's to-do list
  read with ``np.loadtxt(dtype=str)`` (``numpy.str_`` paths, notebook, model.api_misuse), the minimum probability
  passed positionally as ``output_image_path`` (model.api_misuse), a classifier file that is still a git-lfs
  pointer on the laptop (model.weights_mismatch), a 2021 report helper using ``np.asfarray`` under NumPy 2
  (env.version_incompat), every annotated frame of the week kept in a list for one contact sheet under the NAS
  job's memory cap (tqdm, resource.host_memory), a weekly per-class summary taking ``np.max`` of a class that was not
  seen that week (other);
- ImageAI models in the user's own PyTorch code: TinyYOLOv3 halved for the 8 GB laptop fed ``prepare_image``'s
  float32 batch (data.dtype), ImageAI's MobileNetV2 classifier over the inbox through a DataLoader with
  ``Resize(224)`` on portrait and landscape photos (in workers, data.image_size_mismatch), similarity embeddings
  from ``model.features`` through a projection without pooling (notebook, model.input_shape), the defect
  classifier's two-way head kept when the loss was switched to single-logit ``BCEWithLogitsLoss`` (notebook,
  model.output_mismatch), a semi-supervised step whose no-grad pseudo-label forward runs between the forward and
  ``compute_loss`` (train mode, the detection layers' ``pred`` is overwritten, optim.autograd_graph), the weekly
  fine-tune resuming from a checkpoint holding ``np.random.get_state()`` after the torch upgrade (``weights_only``,
  env.version_incompat), a detection DataLoader on the ``spawn`` context whose Dataset holds an open log file
  (env.multiprocessing), review-tool corrections read with ``np.loadtxt(..., ndmin=2)`` as ``(N, 1)`` labels
  (tqdm, data.label_shape), the last four weekly classifier checkpoints averaged after a class was added
  (notebook, model.weights_mismatch), a two-process torchrun fine-tune calling ``get_loss_layers`` on the DDP
  wrapper (model.api_misuse).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads, weights=None: the ImageAI
model files are ones an earlier training run left on disk).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more62.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


import os  # noqa: E402
import shutil  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more62.py"

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


def saved_on_gpu(rel):
    """a setup that rewrites a CPU-saved torch file as a CUDA machine writes it: storages tagged 'cuda:0'"""
    def setup(work: Path) -> None:
        p = work / rel
        tmp = p.with_suffix(".cpu")
        p.rename(tmp)
        with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename.endswith("data.pkl"):
                    assert b"X\x03\x00\x00\x00cpu" in data
                    data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
                zout.writestr(info, data)
        tmp.unlink()
    return setup


# a TinyYOLOv3 checkpoint whose detection-head biases are set like a trained model's: objectness low (few or
# no boxes on a quiet week) and/or some classes that the model hardly ever predicts
SAVE_TINY_BIASED = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

for p in ("@@PT@@", "@@JSON@@"):
    os.makedirs(os.path.dirname(p) or ".", exist_ok=True)
anchors = @@ANCHORS@@
labels = @@LABELS@@
torch.manual_seed(0)
model = YoloV3Tiny(anchors=anchors, num_classes=len(labels))
with torch.no_grad():
    for conv in (model.conv10.conv, model.conv13.conv):
        for a in range(3):
            if @@OBJ@@ is not None:
                conv.bias[a * (5 + len(labels)) + 4] = @@OBJ@@
            for c, b in @@CLS@@.items():
                conv.bias[a * (5 + len(labels)) + 5 + c] = b
torch.save(model.state_dict(), "@@PT@@")
with open("@@JSON@@", "w") as f:
    json.dump({"labels": labels, "anchors": anchors}, f)
'''


def save_tiny_biased(labels_json, pt, js, obj=None, cls=None):
    return prep(sub(SAVE_TINY_BIASED, ANCHORS=ANCHORS6, LABELS=labels_json, PT=pt, JSON=js, OBJ=repr(obj),
                    CLS=repr(cls or {})))


# ================================================================== ImageAI 3 trainers
SCRIPTS["imageai-cls-trainer-laptop-transfer-weights-resaved-on-workstation-gpu"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# weekly retrain (cron, Mondays 02:00); running on the laptop while the workstation is in for repair
DATA = "datasets/conveyor_defects"
PRETRAINED = "pretrained/mobilenet_v2_imagenet.pt"     # written once by fetch_pretrained.py on the workstation

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory(DATA)
trainer.trainModel(num_experiments=20, batch_size=8, model_directory=DATA + "/models",
                   transfer_from_model=PRETRAINED)
'''

FETCH_PRETRAINED = '''
# run once on the workstation: keep the ImageNet MobileNetV2 next to the project for the weekly retrain
import torch
from torchvision.models import mobilenet_v2, MobileNet_V2_Weights

model = mobilenet_v2(weights=MobileNet_V2_Weights.IMAGENET1K_V1).cuda().eval()
with torch.no_grad():
    print(model(torch.rand(1, 3, 224, 224, device="cuda")).argmax())    # smoke test on the GPU
torch.save(model.state_dict(), "pretrained/mobilenet_v2_imagenet.pt")
'''

IMAGENET_MOBILENET_PREP = '''
import os
import torch
from torchvision.models import mobilenet_v2

os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
torch.save(mobilenet_v2(weights=None).state_dict(), "pretrained/mobilenet_v2_imagenet.pt")
'''

SCRIPTS["imageai-det-trainer-cron-names-from-last-config-after-new-class"] = '''
import glob
import json

from imageai.Detection.Custom import DetectionModelTrainer

DATA = "datasets/shelf_audit"

# keep the class order of the deployed model: take the names from the config the last run wrote
last_config = sorted(glob.glob(f"{DATA}/json/*_detection_config.json"))[-1]
names = json.load(open(last_config))["labels"]
last_model = sorted(glob.glob(f"{DATA}/models/*_last.pt"))[-1]
print("classes:", names)
print("continuing from:", last_model)

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(DATA)
trainer.setTrainConfig(object_names_array=names, batch_size=4, num_experiments=10,
                       train_from_pretrained_model=last_model)
trainer.trainModel()
'''


def shelf_rows(split, i):
    """class ids 0..3: the annotators added 'price_tag_missing' (3) this week"""
    a, b = i % 4, (i + 2) % 4
    return (f"{a} 0.{30 + i % 5} 0.{40 + i % 4} 0.{20 + 3 * (i % 4)} 0.{15 + 4 * (i % 3)}\n"
            f"{b} 0.{60 + i % 7} 0.{55 + i % 6} 0.{10 + 5 * (i % 3)} 0.{22 + 3 * (i % 4)}\n")


SCRIPTS["imageai-det-trainer-laptop-images-symlinked-to-unmounted-nas"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# same project folder as on the workstation (rsync'd without the images: those are links to the NAS share)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory("datasets/crates")
trainer.setTrainConfig(object_names_array=["crate", "pallet", "dolly"], batch_size=4, num_experiments=30)
trainer.trainModel()
'''


def nas_links(root, splits=("train", "validation")):
    """replace root/<split>/images with a link to the NAS share, which is not mounted on this machine"""
    def setup(work: Path) -> None:
        for split in splits:
            d = work / root / split / "images"
            shutil.rmtree(d)
            os.symlink(f"/mnt/nas/vision/crates/{split}/images", d)
    return setup


SCRIPTS["imageai-cls-trainer-appledouble-files-from-exfat-drive"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# datasets/seedlings came over from the MacBook on the exFAT transfer drive
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("datasets/seedlings")
trainer.trainModel(num_experiments=15, batch_size=4)
'''


def appledouble(root, names):
    """the '._' resource-fork companions macOS writes next to each file on non-HFS volumes"""
    def setup(work: Path) -> None:
        for rel in names:
            p = work / root / rel
            (p.parent / ("._" + p.name)).write_bytes(
                b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\x00\x00\x00\x09\x00\x00\x00\x32"
                b"\x00\x00\x0e\xb0\x00\x00\x00\x02\x00\x00\x0e\xe2\x00\x00\x01\x1e" + b"\x00" * 4046)
    return setup


# ================================================================== ImageAI 3 batch prediction
SCRIPTS["imageai-custom-cls-scanner-manifest-windows-paths-on-laptop"] = '''
import csv
import os

from imageai.Classification.Custom import CustomImageClassification

classifier = CustomImageClassification()
classifier.setModelTypeAsDenseNet121()
classifier.setModelPath("models/densenet121-parts-test_acc_0.91667_epoch-27.pt")
classifier.setJsonPath("models/parts_model_classes.json")
classifier.loadModel()

# inbox/manifest.csv is written by the scanner station next to the photos it takes
os.makedirs("results", exist_ok=True)
with open("inbox/manifest.csv", newline="") as f, open("results/parts_week24.csv", "w", newline="") as out:
    writer = csv.writer(out)
    writer.writerow(["path", "scanned_at", "label", "probability"])
    for row in csv.DictReader(f):
        labels, probs = classifier.classifyImage(row["path"], result_count=1)
        writer.writerow([row["path"], row["scanned_at"], labels[0], probs[0]])
print("done")
'''

MANIFEST = ("path,scanned_at\n"
            "inbox\\2024-06-10\\part_0001.jpg,2024-06-10 08:14:03\n"
            "inbox\\2024-06-10\\part_0002.jpg,2024-06-10 08:14:41\n"
            "inbox\\2024-06-10\\part_0003.jpg,2024-06-10 08:15:19\n")

SCRIPTS["imageai-custom-detect-torch-compile-finetune-checkpoint-on-laptop"] = '''
from imageai.Detection.Custom import CustomObjectDetection

# the workstation's weekly fine-tune (finetune.py, torch.compile for speed) saved hardhats_ft_week24.pt
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_hardhats_ft_week24.pt")
detector.setJsonPath("models/hardhats_tiny-yolov3_detection_config.json")
detector.loadModel()

for name in ("gate_cam_0611.jpg", "gate_cam_0612.jpg"):
    detections = detector.detectObjectsFromImage(input_image=name, output_image_path=name.replace(".jpg", "-det.jpg"),
                                                 minimum_percentage_probability=50)
    print(name, [(d["name"], d["percentage_probability"]) for d in detections])
'''

COMPILED_PREP = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

os.makedirs("models", exist_ok=True)
anchors = @@A6@@
labels = ["hardhat", "no_hardhat", "vest"]
json.dump({"labels": labels, "anchors": anchors}, open("models/hardhats_tiny-yolov3_detection_config.json", "w"))
torch.manual_seed(0)
model = YoloV3Tiny(anchors=anchors, num_classes=len(labels))
# finetune.py on the workstation: model = torch.compile(model) ... torch.save(model.state_dict(), ...)
compiled = torch.compile(model)
torch.save(compiled.state_dict(), "models/tiny-yolov3_hardhats_ft_week24.pt")
'''

CELLS["imageai-custom-detect-todo-list-np-loadtxt-numpy-strings-notebook"] = [
    '''import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_loading_dock_last.pt")
detector.setJsonPath("models/loading_dock_tiny-yolov3_detection_config.json")
detector.loadModel()''',
    '''# frames the motion filter flagged this week, one path per line
todo = np.loadtxt("motion/todo_week24.txt", dtype=str)
len(todo), todo[:2]''',
    '''results = {}
for path in todo:
    results[path] = detector.detectObjectsFromImage(input_image=path,
                                                    output_image_path=path.replace(".jpg", "-det.jpg"),
                                                    minimum_percentage_probability=45)
sum(len(v) for v in results.values())''',
]

SCRIPTS["imageai-custom-detect-min-probability-passed-positionally"] = '''
import csv
import glob
import os

from imageai.Detection.Custom import CustomObjectDetection

MIN_PROBABILITY = int(os.environ.get("MIN_PROBABILITY", 30))

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_pallets_last.pt")
detector.setJsonPath("models/pallets_tiny-yolov3_detection_config.json")
detector.loadModel()

with open("pallet_counts.csv", "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["image", "object", "probability", "x1", "y1", "x2", "y2"])
    for path in sorted(glob.glob("bay_photos/*.jpg")):
        for d in detector.detectObjectsFromImage(path, MIN_PROBABILITY):
            writer.writerow([path, d["name"], d["percentage_probability"], *d["box_points"]])
'''

SCRIPTS["imageai-custom-cls-git-lfs-pointer-model-on-laptop"] = '''
import glob

from imageai.Classification.Custom import CustomImageClassification

# the laptop's copy of the repo (git clone; models/ is tracked with git-lfs)
classifier = CustomImageClassification()
classifier.setModelTypeAsInceptionV3()
classifier.setModelPath("models/inception_v3-fabric-test_acc_0.88462_epoch-41.pt")
classifier.setJsonPath("models/fabric_model_classes.json")
classifier.loadModel()

for path in sorted(glob.glob("samples/*.jpg")):
    labels, probs = classifier.classifyImage(path, result_count=2)
    print(path, list(zip(labels, probs)))
'''

LFS_POINTER = ("version https://git-lfs.github.com/spec/v1\n"
               "oid sha256:4be1c9f0a8e27d3b6c1f05e9d2a7c8b3e6f4d1a09b8c7e6d5f4a3b2c1d0e9f8a\n"
               "size 100187402\n")

SCRIPTS["imageai-weekly-report-helper-np-asfarray-numpy2"] = '''
import glob

from imageai.Detection.Custom import CustomObjectDetection
from report_utils import box_areas

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_litter_last.pt")
detector.setJsonPath("models/litter_tiny-yolov3_detection_config.json")
detector.loadModel()

for path in sorted(glob.glob("beach_cam/week24/*.jpg")):
    detections = detector.detectObjectsFromImage(input_image=path, output_type="array",
                                                 minimum_percentage_probability=30)[1]
    areas = box_areas([d["box_points"] for d in detections])
    print(path, len(detections), "objects, mean area", areas.mean() if len(areas) else 0)
'''

REPORT_UTILS = '''
"""helpers for the weekly litter report (2021)"""
import numpy as np


def box_areas(box_points):
    b = np.asfarray(box_points).reshape(-1, 4)
    return (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
'''

SCRIPTS["imageai-weekly-contact-sheet-annotated-frames-memory-cap-tqdm"] = sub('''
import glob
import os
import resource

import cv2
import numpy as np
from tqdm import tqdm
from imageai.Detection.Custom import CustomObjectDetection

# same cap as the NAS's systemd unit (MemoryMax) so a test run on the laptop behaves like the cron job
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (@@LIMIT@@ * 1024 ** 2, hard))

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_birdhouse_last.pt")
detector.setJsonPath("models/birdhouse_tiny-yolov3_detection_config.json")
detector.loadModel()

frames = []
for path in tqdm(sorted(glob.glob("nestcam/week24/*.jpg")), desc="detect"):
    annotated, detections = detector.detectObjectsFromImage(input_image=path, output_type="array",
                                                            minimum_percentage_probability=40)
    frames.append(annotated)

# one tall contact sheet for the weekly e-mail
sheet = np.vstack(frames)
os.makedirs("reports", exist_ok=True)
cv2.imwrite("reports/nestcam_week24.jpg", sheet)
''', LIMIT="1536")

BIG_FRAMES_PREP = '''
import os
import cv2
import numpy as np

os.makedirs("nestcam/week24", exist_ok=True)
rng = np.random.default_rng(4)
yy, xx = np.mgrid[0:@@H@@, 0:@@W@@]
for i in range(@@N@@):
    base = ((xx * (i + 1) + yy * 3) % 256).astype(np.uint8)
    img = np.dstack([base, np.roll(base, 40 * i, axis=1), base[::-1]])
    img[rng.integers(0, @@H@@, 50), :] = 255
    cv2.imwrite(f"nestcam/week24/nest_{i:03d}.jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 70])
'''

SCRIPTS["imageai-weekly-summary-per-class-max-class-not-seen"] = sub('''
import csv
import glob
import json

import numpy as np
from imageai.Detection.Custom import CustomObjectDetection

CONFIG = "models/orchard_tiny-yolov3_detection_config.json"

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_orchard_last.pt")
detector.setJsonPath(CONFIG)
detector.loadModel()

classes = json.load(open(CONFIG))["labels"]
scores = {name: [] for name in classes}
for path in sorted(glob.glob("orchard_cam/week24/*.jpg")):
    for d in detector.detectObjectsFromImage(input_image=path, output_image_path=path.replace(".jpg", "-det.jpg"),
                                             minimum_percentage_probability=@@MINP@@):
        scores[d["name"]].append(d["percentage_probability"])

with open("orchard_week24_summary.csv", "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["class", "count", "mean_probability", "max_probability"])
    for name in classes:
        writer.writerow([name, len(scores[name]), np.mean(scores[name]), np.max(scores[name])])
        print(name, len(scores[name]))
''', MINP="40")

# ================================================================== ImageAI models in the user's own PyTorch code
SCRIPTS["imageai-tiny-yolov3-half-precision-on-laptop-float-batch"] = '''
import csv
import glob
import json

import cv2
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions, prepare_image

cfg = json.load(open("models/gauges_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("models/tiny-yolov3_gauges_last.pt", map_location="cpu"))
# the laptop has 8 GB: half precision halves the weights and the activations
model = model.half().eval()

with open("gauges_week24.csv", "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["image", "label", "confidence"])
    for path in sorted(glob.glob("meter_room/*.jpg")):
        x = prepare_image(cv2.imread(path), (416, 416))
        with torch.no_grad():
            dets = get_predictions(model(x), num_classes=len(cfg["labels"]))
        for d in ([] if dets is None else dets):
            writer.writerow([path, cfg["labels"][int(d[-1])], float(d[5])])
'''

SCRIPTS["imageai-mobilenetv2-inbox-dataloader-resize-224-mixed-orientation-workers"] = '''
import csv
import glob
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import mobilenet_v2

# ImageAI's classifyImage goes one photo at a time; batch the weekly inbox through the same weights instead
classes = json.load(open("models/mushrooms_model_classes.json"))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-mushrooms-test_acc_0.86111_epoch-32.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([
    transforms.Resize(224),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


class Inbox(Dataset):
    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return tf(Image.open(self.paths[i]).convert("RGB")), self.paths[i]


if __name__ == "__main__":
    loader = DataLoader(Inbox(sorted(glob.glob("inbox/*.jpg"))), batch_size=8, num_workers=2)
    with open("mushrooms_week24.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "label", "probability"])
        with torch.no_grad():
            for x, paths in loader:
                p = model(x).softmax(1)
                conf, idx = p.max(1)
                for path, c, k in zip(paths, conf.tolist(), idx.tolist()):
                    writer.writerow([path, classes[str(k)], round(100 * c, 2)])
'''

CELLS["imageai-mobilenetv2-similarity-embeddings-projection-without-pooling-notebook"] = [
    '''import glob
import json

import torch
import torch.nn as nn
from PIL import Image
from torchvision import transforms
from torchvision.models import mobilenet_v2

classes = json.load(open("models/tiles_model_classes.json"))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(classes))
model.load_state_dict(torch.load("models/mobilenet_v2-tiles-test_acc_0.79167_epoch-18.pt", map_location="cpu"))
model.eval()
print(classes)''',
    '''# near-duplicate search over the catalogue: 1280-d backbone features -> 128-d for the vector index
torch.manual_seed(0)
proj = nn.Linear(1280, 128, bias=False)
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
paths = sorted(glob.glob("catalogue/*.jpg"))
batch = torch.stack([tf(Image.open(p).convert("RGB")) for p in paths])
batch.shape''',
    '''with torch.no_grad():
    feats = model.features(batch)
    emb = nn.functional.normalize(proj(feats), dim=1)
emb.shape''',
]

CELLS["imageai-mobilenetv2-defect-finetune-bce-single-logit-two-way-head-notebook"] = [
    '''import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.models import mobilenet_v2

classes = json.load(open("welds/models/welds_model_classes.json"))
print(classes)
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(classes))
model.load_state_dict(torch.load("welds/models/mobilenet_v2-welds-test_acc_0.84375_epoch-26.pt", map_location="cpu"))''',
    '''tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train = datasets.ImageFolder("welds/train", tf)
loader = DataLoader(train, batch_size=4, shuffle=True)
train.class_to_idx''',
    '''# defect vs ok is a yes/no question: one logit + BCE, with pos_weight for the rare defects
criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(4):
    for x, y in loader:
        loss = criterion(model(x), (y == train.class_to_idx["defect"]).float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())''',
]

SCRIPTS["imageai-tiny-yolov3-pseudo-label-forward-between-forward-and-loss"] = '''
import glob
import json

import cv2
import torch
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions, prepare_image

cfg = json.load(open("datasets/kelp/json/kelp_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("datasets/kelp/models/tiny-yolov3_kelp_last.pt", map_location="cpu"))

labelled = LoadImagesAndLabels("datasets/kelp", train=True)
loader = DataLoader(labelled, batch_size=4, shuffle=True, collate_fn=labelled.collate_fn)
unlabelled = sorted(glob.glob("datasets/kelp/unlabelled/*.jpg"))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
pseudo = {}

model.train()
for epoch in range(5):
    for step, (imgs, targets) in enumerate(loader):
        model(imgs)
        # pseudo-label a batch of unlabelled frames with the current weights (for next week's labelling round)
        paths = unlabelled[4 * step:4 * step + 4]
        with torch.no_grad():
            out = model(torch.cat([prepare_image(cv2.imread(p), (416, 416)) for p in paths]))
            pseudo[step] = get_predictions(out, num_classes=len(cfg["labels"]), objectness_confidence=0.7)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: box {parts[0]:.4f} obj {parts[1]:.4f} cls {parts[2]:.4f}")
'''

SCRIPTS["imageai-tiny-yolov3-weekly-resume-numpy-rng-state-after-torch-upgrade"] = '''
import json
import os

import numpy as np
import torch
from torch.utils.data import DataLoader
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

CKPT = "runs/weekly/last.ckpt"
cfg = json.load(open("datasets/signs/json/signs_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
start = 0

if os.path.exists(CKPT):
    ckpt = torch.load(CKPT, map_location="cpu")
    model.load_state_dict(ckpt["model"])
    opt.load_state_dict(ckpt["optimizer"])
    np.random.set_state(ckpt["numpy_rng"])
    torch.set_rng_state(ckpt["torch_rng"])
    start = ckpt["epoch"] + 1
    print("resuming at epoch", start)

ds = LoadImagesAndLabels("datasets/signs", train=True)
loader = DataLoader(ds, batch_size=4, shuffle=True, collate_fn=ds.collate_fn)
model.train()
for epoch in range(start, start + 2):
    for imgs, targets in loader:
        model(imgs)
        loss, _ = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch,
                "numpy_rng": np.random.get_state(), "torch_rng": torch.get_rng_state()}, CKPT)
'''

RESUME_PREP = '''
import json
import os
import numpy as np
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# what last week's run (torch 2.3) left behind
os.makedirs("runs/weekly", exist_ok=True)
cfg = json.load(open("datasets/signs/json/signs_tiny-yolov3_detection_config.json"))
torch.manual_seed(0)
np.random.seed(0)
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 11,
            "numpy_rng": np.random.get_state(), "torch_rng": torch.get_rng_state()}, "runs/weekly/last.ckpt")
'''

SCRIPTS["imageai-batch-detect-dataloader-spawn-dataset-holds-log-file"] = '''
import glob
import json
import os

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import get_predictions, prepare_image


class Frames(Dataset):
    def __init__(self, paths, skipped_log):
        self.paths = paths
        self.skipped = open(skipped_log, "a")     # unreadable frames are listed here for the morning check

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = cv2.imread(self.paths[i])
        if img is None:
            self.skipped.write(self.paths[i] + "\\n")
            img = np.zeros((416, 416, 3), np.uint8)
        return prepare_image(img, (416, 416)).squeeze(0), self.paths[i]


if __name__ == "__main__":
    cfg = json.load(open("models/deer_tiny-yolov3_detection_config.json"))
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]), device=device)
    model.load_state_dict(torch.load("models/tiny-yolov3_deer_last.pt", map_location=device))
    model.to(device).eval()

    os.makedirs("logs", exist_ok=True)
    frames = Frames(sorted(glob.glob("trailcam/week24/*.jpg")), "logs/skipped_week24.txt")
    # spawn: forked workers and the CUDA context on the workstation don't mix
    loader = DataLoader(frames, batch_size=8, num_workers=2, multiprocessing_context="spawn")
    with torch.no_grad():
        for x, paths in loader:
            dets = get_predictions(model(x.to(device)), num_classes=len(cfg["labels"]), device=device)
            print(len(paths), "frames,", 0 if dets is None else len(dets), "detections")
'''

SCRIPTS["imageai-resnet50-review-corrections-loadtxt-ndmin2-labels-tqdm"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models import resnet50
from tqdm import tqdm

classes = json.load(open("models/plankton_model_classes.json"))
model = resnet50(weights=None)
model.fc = nn.Linear(model.fc.in_features, len(classes))
model.load_state_dict(torch.load("models/resnet50-plankton-test_acc_0.70833_epoch-44.pt", map_location="cpu"))

# review/corrections.csv: path,predicted,corrected  (exported by the review tool every Friday)
paths = np.loadtxt("review/corrections.csv", delimiter=",", skiprows=1, usecols=0, dtype=str, ndmin=1)
labels = np.loadtxt("review/corrections.csv", delimiter=",", skiprows=1, usecols=(2,), dtype=np.int64, ndmin=2)
print(len(paths), "corrections")

tf = transforms.Compose([transforms.RandomResizedCrop(224, scale=(0.6, 1.0)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class Corrections(Dataset):
    def __len__(self):
        return len(paths)

    def __getitem__(self, i):
        return tf(Image.open(paths[i]).convert("RGB")), torch.from_numpy(labels[i])


loader = DataLoader(Corrections(), batch_size=4, shuffle=True)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
model.train()
for epoch in range(3):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def corrections(work: Path):
    make_images(work, [(f"review/img/plk_{i:04d}.jpg", (120, 120), "RGB") for i in range(6)])
    rows = "".join(f"review/img/plk_{i:04d}.jpg,{(i + 1) % 4},{i % 4}\n" for i in range(6))
    (work / "review/corrections.csv").write_text("path,predicted,corrected\n" + rows)


CELLS["imageai-weekly-checkpoints-averaged-after-class-added-notebook"] = [
    '''import glob
import json

import torch
import torch.nn as nn
from torchvision.models import mobilenet_v2

# one folder per Monday, each with the best checkpoint ClassificationModelTrainer kept that week
weekly = sorted(glob.glob("models/weekly/2024-*/mobilenet_v2-*.pt"))[-4:]
weekly''',
    '''# average the last four weeks' weights (a poor man's SWA) before promoting the model to the laptop app
sds = [torch.load(p, map_location="cpu") for p in weekly]
avg = {k: sum(sd[k].float() for sd in sds) / len(sds) for k in sds[-1]}
len(avg)''',
    '''classes = json.load(open(sorted(glob.glob("models/weekly/2024-*/bins_model_classes.json"))[-1]))
model = mobilenet_v2(weights=None)
model.classifier[1] = nn.Linear(model.classifier[1].in_features, len(classes))
model.load_state_dict(avg)
torch.save(model.state_dict(), "models/mobilenet_v2-bins-swa4.pt")''',
]

WEEKLY_PREP = '''
import json
import os
import torch
from torchvision.models import mobilenet_v2

weeks = [("2024-05-20", 4, 0.81250), ("2024-05-27", 4, 0.84375), ("2024-06-03", 4, 0.83333),
         ("2024-06-10", 5, 0.80000)]
names = ["cardboard", "glass", "metal", "plastic", "textile"]
for day, n, acc in weeks:
    d = f"models/weekly/{day}"
    os.makedirs(d, exist_ok=True)
    torch.manual_seed(int(day[-2:]))
    torch.save(mobilenet_v2(num_classes=n).state_dict(), f"{d}/mobilenet_v2-bins-test_acc_{acc:.5f}_epoch-19.pt")
    json.dump({str(i): c for i, c in enumerate(names[:n])}, open(f"{d}/bins_model_classes.json", "w"))
'''

SCRIPTS["imageai-tiny-yolov3-ddp-get-loss-layers-on-wrapper-torchrun"] = '''
import json

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, DistributedSampler
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.Detection.Custom.yolo.dataset import LoadImagesAndLabels
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# the workstation has a second GPU now: torchrun --nproc_per_node=2 (tried on the CPU box with gloo first)
dist.init_process_group("gloo")
rank = dist.get_rank()

cfg = json.load(open("datasets/gulls/json/gulls_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("datasets/gulls/models/tiny-yolov3_gulls_last.pt", map_location="cpu"))
model = DDP(model)

ds = LoadImagesAndLabels("datasets/gulls", train=True)
sampler = DistributedSampler(ds, shuffle=True)
loader = DataLoader(ds, batch_size=2, sampler=sampler, collate_fn=ds.collate_fn)
opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

model.train()
for epoch in range(5):
    sampler.set_epoch(epoch)
    for imgs, targets in loader:
        model(imgs)
        loss, parts = compute_loss(model.get_loss_layers(), targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    if rank == 0:
        print(f"epoch {epoch}: {loss.item():.4f}", flush=True)
dist.destroy_process_group()
'''


def cases():
    out, add, script, notebook = case_builders("torch-more62-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    W = ("cpython_basic", "dataloader_worker")
    A6 = ANCHORS6

    # ---- ImageAI 3 trainers
    script("imageai-cls-trainer-laptop-transfer-weights-resaved-on-workstation-gpu", "env.cuda_setup",
           also=["env.device_mismatch"], framework="imageai", argv="weekly_retrain.py",
           extra={"fetch_pretrained.py": FETCH_PRETRAINED},
           setup=both(prep(IMAGENET_MOBILENET_PREP), saved_on_gpu("pretrained/mobilenet_v2_imagenet.pt"),
                      imgs(class_folder("datasets/conveyor_defects/train", ["crack", "dent", "ok"], 3, size=(96, 96))
                           + class_folder("datasets/conveyor_defects/test", ["crack", "dent", "ok"], 1,
                                          size=(96, 96)))))
    script("imageai-det-trainer-cron-names-from-last-config-after-new-class", "data.label_out_of_range",
           also=["model.output_mismatch"], framework="imageai", forms=P, argv="cron_retrain_detector.py",
           timeout=400,
           setup=both(yolo_layout("datasets/shelf_audit", shelf_rows, size=(320, 240),
                                  splits=(("train", 8), ("validation", 2))),
                      write("datasets/shelf_audit/classes.txt", "gap\nfacing\nprice_tag\nprice_tag_missing\n"),
                      save_tiny('["gap", "facing", "price_tag"]', 3,
                                "datasets/shelf_audit/models/tiny-yolov3_shelf_audit_last.pt",
                                "datasets/shelf_audit/json/shelf_audit_tiny-yolov3_detection_config.json")))
    script("imageai-det-trainer-laptop-images-symlinked-to-unmounted-nas", "data.missing_or_corrupt",
           framework="imageai", argv="train_crates.py",
           setup=both(yolo_layout("datasets/crates", boxes(3), size=(64, 48), splits=(("train", 4), ("validation", 2))),
                      nas_links("datasets/crates")))
    script("imageai-cls-trainer-appledouble-files-from-exfat-drive", "data.missing_or_corrupt", forms=P,
           framework="imageai", argv="train_seedlings.py", timeout=400,
           setup=both(imgs(class_folder("datasets/seedlings/train", ["charlock", "cleavers", "maize"], 3, size=(80, 80))
                           + class_folder("datasets/seedlings/test", ["charlock", "cleavers", "maize"], 1,
                                          size=(80, 80))),
                      appledouble("datasets/seedlings", [f"{s}/{c}/{c}_{i:03d}.jpg"
                                                         for s, n in (("train", 3), ("test", 1))
                                                         for c in ["charlock", "cleavers", "maize"]
                                                         for i in range(n)])))

    # ---- ImageAI 3 batch prediction
    script("imageai-custom-cls-scanner-manifest-windows-paths-on-laptop", "data.missing_or_corrupt",
           framework="imageai", argv="classify_inbox.py",
           setup=both(save_cls("densenet121", '["bearing", "bracket", "gasket", "spring"]',
                               "models/densenet121-parts-test_acc_0.91667_epoch-27.pt",
                               "models/parts_model_classes.json"),
                      imgs([(f"inbox/2024-06-10/part_{i:04d}.jpg", (160, 120), "RGB") for i in (1, 2, 3)]),
                      write("inbox/manifest.csv", MANIFEST)))
    script("imageai-custom-detect-torch-compile-finetune-checkpoint-on-laptop", "model.weights_mismatch",
           framework="imageai", argv="detect_gate.py", forms=("cpython_basic", "chained_during"),
           setup=both(prep(sub(COMPILED_PREP, A6=A6)),
                      imgs([(f"gate_cam_061{i}.jpg", (416, 312), "RGB") for i in (1, 2)])))
    notebook("imageai-custom-detect-todo-list-np-loadtxt-numpy-strings-notebook", "model.api_misuse",
             framework="imageai",
             setup=both(save_tiny('["truck", "trailer", "forklift"]', 3, "models/tiny-yolov3_loading_dock_last.pt",
                                  "models/loading_dock_tiny-yolov3_detection_config.json"),
                        imgs([(f"motion/frames/dock_0611_{i:04d}.jpg", (320, 240), "RGB") for i in (17, 93, 240)]),
                        write("motion/todo_week24.txt", "".join(f"motion/frames/dock_0611_{i:04d}.jpg\n"
                                                               for i in (17, 93, 240)))))
    script("imageai-custom-detect-min-probability-passed-positionally", "model.api_misuse",
           framework="imageai", argv="count_pallets.py", timeout=400,
           setup=both(save_tiny('["pallet", "empty_slot"]', 2, "models/tiny-yolov3_pallets_last.pt",
                                "models/pallets_tiny-yolov3_detection_config.json"),
                      imgs([(f"bay_photos/bay_{i:02d}.jpg", (416, 312), "RGB") for i in range(3)])))
    script("imageai-custom-cls-git-lfs-pointer-model-on-laptop", "model.weights_mismatch",
           also=["data.missing_or_corrupt"], framework="imageai", argv="classify_samples.py",
           forms=("cpython_basic", "chained_during"), exception="Exception",  # ImageAI's own wrapper ends the run
           setup=both(write("models/inception_v3-fabric-test_acc_0.88462_epoch-41.pt", LFS_POINTER),
                      write("models/fabric_model_classes.json",
                            '{"0": "denim", "1": "linen", "2": "tweed", "3": "velvet"}'),
                      imgs([(f"samples/swatch_{i:02d}.jpg", (200, 200), "RGB") for i in range(2)])))
    script("imageai-weekly-report-helper-np-asfarray-numpy2", "env.version_incompat", framework="imageai",
           argv="weekly_report.py", extra={"report_utils.py": REPORT_UTILS},
           setup=both(save_tiny_biased('["bottle", "bag", "net"]', "models/tiny-yolov3_litter_last.pt",
                                       "models/litter_tiny-yolov3_detection_config.json", obj=-16.0),
                      imgs([(f"beach_cam/week24/beach_{i:02d}.jpg", (416, 312), "RGB") for i in range(2)])))
    script("imageai-weekly-contact-sheet-annotated-frames-memory-cap-tqdm", "resource.host_memory", forms=P,
           framework="imageai", argv="weekly_sheet.py", timeout=400,
           setup=both(save_tiny_biased('["blue_tit", "great_tit"]', "models/tiny-yolov3_birdhouse_last.pt",
                                       "models/birdhouse_tiny-yolov3_detection_config.json", obj=-16.0),
                      prep(sub(BIG_FRAMES_PREP, W="2592", H="1944", N="40"))))
    script("imageai-weekly-summary-per-class-max-class-not-seen", "other", also=["data.missing_or_corrupt"],
           framework="imageai", argv="weekly_summary.py", timeout=400,
           setup=both(save_tiny_biased('["apple", "pear", "plum", "quince"]', "models/tiny-yolov3_orchard_last.pt",
                                       "models/orchard_tiny-yolov3_detection_config.json", cls={3: -16.0}),
                      imgs([(f"orchard_cam/week24/row_{i:02d}.jpg", (416, 312), "RGB") for i in range(2)])))

    # ---- ImageAI models in the user's own PyTorch code
    script("imageai-tiny-yolov3-half-precision-on-laptop-float-batch", "data.dtype", also=["model.api_misuse"],
           argv="read_gauges.py",
           setup=both(save_tiny('["analog_gauge", "digital_display"]', 2, "models/tiny-yolov3_gauges_last.pt",
                                "models/gauges_tiny-yolov3_detection_config.json"),
                      imgs([(f"meter_room/meter_{i:02d}.jpg", (416, 312), "RGB") for i in range(2)])))
    script("imageai-mobilenetv2-inbox-dataloader-resize-224-mixed-orientation-workers", "data.image_size_mismatch",
           forms=W, argv="classify_inbox.py",
           setup=both(save_cls("mobilenet_v2", '["chanterelle", "fly_agaric", "porcini"]',
                               "models/mobilenet_v2-mushrooms-test_acc_0.86111_epoch-32.pt",
                               "models/mushrooms_model_classes.json"),
                      imgs([(f"inbox/IMG_{4410 + i}.jpg", (320, 240) if i % 3 else (240, 320), "RGB")
                            for i in range(10)])))
    notebook("imageai-mobilenetv2-similarity-embeddings-projection-without-pooling-notebook", "model.input_shape",
             setup=both(save_cls("mobilenet_v2", '["hexagon", "metro", "terracotta"]',
                                 "models/mobilenet_v2-tiles-test_acc_0.79167_epoch-18.pt",
                                 "models/tiles_model_classes.json"),
                        imgs([(f"catalogue/tile_{i:03d}.jpg", (150, 150), "RGB") for i in range(6)])))
    notebook("imageai-mobilenetv2-defect-finetune-bce-single-logit-two-way-head-notebook", "model.output_mismatch",
             also=["data.label_shape"],
             setup=both(save_cls("mobilenet_v2", '["defect", "ok"]',
                                 "welds/models/mobilenet_v2-welds-test_acc_0.84375_epoch-26.pt",
                                 "welds/models/welds_model_classes.json"),
                        imgs(class_folder("welds/train", ["defect", "ok"], 4, size=(120, 90)))))
    script("imageai-tiny-yolov3-pseudo-label-forward-between-forward-and-loss", "optim.autograd_graph",
           argv="semi_supervised.py",
           setup=both(save_tiny('["kelp", "urchin"]', 2, "datasets/kelp/models/tiny-yolov3_kelp_last.pt",
                                "datasets/kelp/json/kelp_tiny-yolov3_detection_config.json"),
                      yolo_layout("datasets/kelp", boxes(2), size=(320, 240), splits=(("train", 8),)),
                      imgs([(f"datasets/kelp/unlabelled/rov_{i:04d}.jpg", (320, 240), "RGB") for i in range(8)])))
    script("imageai-tiny-yolov3-weekly-resume-numpy-rng-state-after-torch-upgrade", "env.version_incompat",
           also=["model.weights_mismatch"], argv="weekly_finetune.py", exception="UnpicklingError",
           setup=both(save_tiny('["stop", "yield", "speed_limit"]', 3, "datasets/signs/models/tiny-yolov3_signs_last.pt",
                                "datasets/signs/json/signs_tiny-yolov3_detection_config.json"),
                      yolo_layout("datasets/signs", boxes(3), size=(320, 240), splits=(("train", 4),)),
                      prep(RESUME_PREP)))
    script("imageai-batch-detect-dataloader-spawn-dataset-holds-log-file", "env.multiprocessing",
           argv="detect_trailcam.py",
           setup=both(save_tiny('["deer", "boar", "fox"]', 3, "models/tiny-yolov3_deer_last.pt",
                                "models/deer_tiny-yolov3_detection_config.json"),
                      imgs([(f"trailcam/week24/IMAG{i:04d}.jpg", (320, 240), "RGB") for i in range(6)])))
    script("imageai-resnet50-review-corrections-loadtxt-ndmin2-labels-tqdm", "data.label_shape", forms=P,
           argv="finetune_corrections.py",
           setup=both(save_cls("resnet50", '["copepod", "diatom", "larva", "radiolarian"]',
                               "models/resnet50-plankton-test_acc_0.70833_epoch-44.pt",
                               "models/plankton_model_classes.json"),
                      corrections))
    notebook("imageai-weekly-checkpoints-averaged-after-class-added-notebook", "model.weights_mismatch",
             also=["model.output_mismatch"], setup=prep(WEEKLY_PREP))
    script("imageai-tiny-yolov3-ddp-get-loss-layers-on-wrapper-torchrun", "model.api_misuse",
           also=["env.distributed"], argv="ddp_finetune.py", timeout=400,
           exception="AttributeError",  # the ranks' own error; torchrun's ChildFailedError only reports it
           pre=("-m", "torch.distributed.run", "--nproc_per_node=2", "--master_port=29762"),
           setup=both(save_tiny('["herring_gull", "black_headed_gull"]', 2,
                                "datasets/gulls/models/tiny-yolov3_gulls_last.pt",
                                "datasets/gulls/json/gulls_tiny-yolov3_detection_config.json"),
                      yolo_layout("datasets/gulls", boxes(2), size=(320, 240), splits=(("train", 4),))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
