"""A seventy-ninth held-out set (g148, scored 0.96 top-1 and 0.96 top-3 before any rule for it) of ImageAI 3 / PyTorch failures, untargeted across the taxonomy.

The persona: users of ImageAI 3.0.3 (on PyTorch) who learned ImageAI from 2.x-era blog posts and Stack Overflow
answers (the "hololens" detection tutorial, the IdenProf classification tutorial, the video-detection articles) and
run those snippets, folder layouts, annotation exports and model files with ImageAI 3 on their own photos:
``DetectionModelTrainer`` with YOLOv3 / TinyYOLOv3 on ``train`` / ``validation`` images + annotations,
``ClassificationModelTrainer`` on class folders, ``CustomObjectDetection`` / ``CustomVideoObjectDetection`` /
``CustomImageClassification`` on new photos, and their own small PyTorch loops on what ImageAI writes (extracted
object crops, prediction CSVs, the ``.pt`` files). A natural mix of causes, each program built so that its cause is
known by construction and made to fail inside ImageAI, torch, torchvision, SciPy, json or multiprocessing:

- detection trainers: a Pascal VOC -> YOLO converter meeting a LabelImg box dragged right-to-left (negative width,
  data.bbox_invalid), a first try with four photos on YOLOv3's nine anchors (data.too_few_boxes), an
  ``object_names_array`` listing only the two wanted classes of a fire / smoke / person export
  (data.label_out_of_range), the 2.x Colab tip ``batch_size=1`` (ImageAI halves it for validation,
  model.api_misuse), annotation files named ``photo.jpg.txt`` by a converter (data.missing_or_corrupt);
- classification trainers: a ``test`` folder that got an extra ``unknown`` class (tqdm, data.label_out_of_range),
  the detection tutorial's ``train`` / ``validation`` layout (data.missing_or_corrupt), transfer from a checkpoint
  saved on the GPU server (ImageAI's ``torch.load`` has no ``map_location``, env.cuda_setup);
- inference: a PIL RGBA screenshot into ``CustomObjectDetection`` (data.image_channels), the 2.x
  ``detection_config.json`` with nested anchor lists kept for a 3.x model (env.version_incompat), a TinyYOLOv3 model
  loaded with the blog's ``setModelTypeAsYOLOv3`` (notebook, model.weights_mismatch), weights of a DataParallel
  fine-tune (``module.`` keys, model.weights_mismatch), ``loadModel`` referenced without its call before video
  detection (ImageAI's bare ``warnings.warn()``, model.api_misuse), a per-photo summary with NumPy counts dumped to
  JSON (other);
- own loops on ImageAI's outputs: extracted object crops batched without a resize (workers,
  data.image_size_mismatch), crop labels read with ``np.loadtxt`` into ``cross_entropy`` (data.dtype), a one-logit
  "is it a headset?" head with ``(N,)`` targets (data.label_shape), a fine-tune loop that copied the detection
  snippet's ``torch.no_grad()`` (optim.autograd_graph), one photo without a batch axis into the ImageAI ResNet50
  (notebook, model.input_shape), a distillation student of the ImageAI MobileNetV2 left at torchvision's 1000
  classes (model.output_mismatch), a count regressor on raw 0-255 pixels under anomaly mode (optim.divergence), a
  Dataset keeping the open prediction CSV under the spawn start method (workers, env.multiprocessing), an all-pairs
  ``box_iou`` de-duplication of every annotation under a memory cap (resource.host_memory).

Every case is a small real program on CPU with the torch venv (no GPU, no downloads; model files are freshly
initialised ImageAI / torchvision models saved locally, as an earlier training run would leave them).

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_more79.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


from _record import (Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders,  # noqa: E402,F401
                     yolo_layout, save_tiny, save_cls, ANCHORS6)
from _record import run_cases  # noqa: E402

SRC = "corpus/generators/torch_more79.py"

SCRIPTS = {}
CELLS = {}


def rows_n(nc=1, k=4):
    def rows(split, i):
        return "".join(f"{(i + j) % nc} 0.{20 + 15 * j + i % 5:02d} 0.{25 + 12 * j + i % 7:02d} 0.1{j % 5} 0.1{(i + j) % 6}\n"
                       for j in range(k))
    return rows


# ================================================================== detection trainers
SCRIPTS["voc-converter-labelimg-right-to-left-box"] = '''
import glob
import os
import xml.etree.ElementTree as ET

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["hololens"]
DATA = "hololens"

# ImageAI 2.x wanted Pascal VOC XML next to the images; ImageAI 3 wants YOLO txt -> convert the old export
for split in ("train", "validation"):
    os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
    for xml in sorted(glob.glob(f"{DATA}/{split}/annotations_voc/*.xml")):
        root = ET.parse(xml).getroot()
        W = float(root.find("size/width").text)
        H = float(root.find("size/height").text)
        lines = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            cls = CLASSES.index(obj.find("name").text)
            lines.append(f"{cls} {(x1 + x2) / 2 / W:.6f} {(y1 + y2) / 2 / H:.6f} {(x2 - x1) / W:.6f} {(y2 - y1) / H:.6f}")
        name = os.path.basename(xml)[:-4]
        with open(f"{DATA}/{split}/annotations/{name}.txt", "w") as f:
            f.write("\\n".join(lines) + "\\n")
print("converted", len(glob.glob(f"{DATA}/*/annotations/*.txt")), "files")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=10)
trainer.trainModel()
'''

VOC_PREP = '''
import os
for split, n in (("train", 6), ("validation", 2)):
    os.makedirs(f"hololens/{split}/annotations_voc", exist_ok=True)
    for i in range(n):
        boxes = [(30 + 10 * i, 40 + 5 * i, 110 + 8 * i, 100 + 4 * i)]
        if split == "train" and i == 3:      # dragged from the bottom-right corner in LabelImg
            boxes.append((140, 95, 96, 60))
        objs = "".join(f"<object><name>hololens</name><pose>Unspecified</pose><truncated>0</truncated>"
                       f"<difficult>0</difficult><bndbox><xmin>{a}</xmin><ymin>{b}</ymin><xmax>{c}</xmax>"
                       f"<ymax>{d}</ymax></bndbox></object>" for a, b, c, d in boxes)
        open(f"hololens/{split}/annotations_voc/{split[:3]}_{i:04d}.xml", "w").write(
            f"<annotation><folder>images</folder><filename>{split[:3]}_{i:04d}.jpg</filename>"
            f"<size><width>160</width><height>120</height><depth>3</depth></size>{objs}</annotation>")
'''

SCRIPTS["hololens-first-try-four-photos-yolov3"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# straight from the hololens tutorial, on the first few photos labelled this morning
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="headset")
trainer.setTrainConfig(object_names_array=["headset"], batch_size=2, num_experiments=5)
trainer.trainModel()
'''

SCRIPTS["object-names-array-only-the-wanted-class"] = '''
import glob

from imageai.Detection.Custom import DetectionModelTrainer

# the Roboflow export has fire, smoke and person; we only care about fire and smoke
print(len(glob.glob("fire/train/annotations/*.txt")), "train label files")
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="fire")
trainer.setTrainConfig(object_names_array=["fire", "smoke"], batch_size=4, num_experiments=3)
trainer.trainModel()
'''

SCRIPTS["batch-size-one-colab-memory-tip"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# "if Colab runs out of memory, set batch_size=1" (answer under the 2.x tutorial)
trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="helmets")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=1, num_experiments=50,
                       train_from_pretrained_model=None)
trainer.trainModel()
'''

SCRIPTS["converter-names-labels-photo-jpg-txt"] = '''
import glob
import os

from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["kangaroo"]
DATA = "kangaroo"

# csv export (filename,xmin,ymin,xmax,ymax,width,height) -> one YOLO txt per image
for split in ("train", "validation"):
    os.makedirs(f"{DATA}/{split}/annotations", exist_ok=True)
    per_image = {}
    for line in open(f"{DATA}/{split}/boxes.csv").read().split()[1:]:
        fn, x1, y1, x2, y2, w, h = line.split(",")
        x1, y1, x2, y2, w, h = map(float, (x1, y1, x2, y2, w, h))
        per_image.setdefault(fn, []).append(f"0 {(x1 + x2) / 2 / w:.5f} {(y1 + y2) / 2 / h:.5f} {(x2 - x1) / w:.5f} {(y2 - y1) / h:.5f}")
    for fn, lines in per_image.items():
        open(os.path.join(DATA, split, "annotations", fn + ".txt"), "w").write("\\n".join(lines))
    print(split, len(per_image), "label files")

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=4, num_experiments=3)
trainer.trainModel()
'''

KANGAROO_PREP = '''
for split, n in (("train", 6), ("validation", 2)):
    with open(f"kangaroo/{split}/boxes.csv", "w") as f:
        f.write("filename,xmin,ymin,xmax,ymax,width,height\\n")
        for i in range(n):
            for k in range(2):
                f.write(f"{split[:3]}_{i:04d}.jpg,{20 + 60 * k + i},{15 + 3 * i},{70 + 60 * k + i},{90 + 2 * i},160,120\\n")
'''

# ================================================================== classification trainers
SCRIPTS["classifier-test-folder-has-unknown-class"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# IdenProf tutorial on our own shelf photos; "zz_unknown" was added to test/ to see what the model does with junk
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("shelf_products")
trainer.trainModel(num_experiments=1, batch_size=4)
'''

SCRIPTS["classifier-folders-laid-out-like-detection"] = '''
import os

from imageai.Classification.Custom import ClassificationModelTrainer

for split in sorted(os.listdir("birds")):
    print(split, sorted(os.listdir(os.path.join("birds", split))))

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("birds")
trainer.trainModel(num_experiments=20, batch_size=8)
'''

SCRIPTS["classifier-transfer-from-gpu-server-checkpoint"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# the ImageNet weights were re-saved on the lab's GPU server (no internet on this laptop)
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("leaves")
trainer.trainModel(num_experiments=5, batch_size=4, transfer_from_model="pretrained/mobilenet_v2-b0353104.pth")
'''

GPU_CKPT_PREP = '''
import os
import torch
import torchvision
import torch.serialization as S

S.location_tag = lambda storage: "cuda:0"
os.makedirs("pretrained", exist_ok=True)
torch.manual_seed(0)
torch.save(torchvision.models.mobilenet_v2().state_dict(), "pretrained/mobilenet_v2-b0353104.pth")
'''

# ================================================================== inference
DET_HEAD = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("@@PT@@")
detector.setJsonPath("@@JS@@")
detector.loadModel()
'''
HOLO = dict(PT="hololens/models/tiny-yolov3_hololens_last.pt", JS="hololens/json/hololens_tiny-yolov3_detection_config.json")

SCRIPTS["rgba-screenshot-pil-into-custom-detector"] = sub(DET_HEAD, **HOLO) + '''
from PIL import Image

# screenshots of the product page, opened with PIL as in the "detect from a PIL image" answer
for name in ("shot_01.png", "shot_02.png"):
    img = Image.open("screenshots/" + name)
    print(name, img.size, img.mode)
    detections = detector.detectObjectsFromImage(input_image=img, output_image_path="screenshots/det_" + name,
                                                 minimum_percentage_probability=30)
    for d in detections:
        print(d["name"], d["percentage_probability"], d["box_points"])
'''

SCRIPTS["2x-detection-config-json-nested-anchors"] = '''
import os

from imageai.Detection.Custom import CustomObjectDetection

# retrained with ImageAI 3; the labels did not change so the old detection_config.json from the 2.x run is kept
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hololens/models/tiny-yolov3_hololens_mAP-0.51230_epoch-37.pt")
detector.setJsonPath("hololens/json/detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="hololens/validation/images/val_0000.jpg",
                                             output_image_path="holo-detected.jpg")
for d in detections:
    print(d["name"], " : ", d["percentage_probability"], " : ", d["box_points"])
'''

OLD_JSON_PREP = '''
import json, os, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
os.makedirs("hololens/models", exist_ok=True); os.makedirs("hololens/json", exist_ok=True)
torch.manual_seed(0)
A = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
torch.save(YoloV3Tiny(anchors=A, num_classes=1).state_dict(), "hololens/models/tiny-yolov3_hololens_mAP-0.51230_epoch-37.pt")
json.dump({"labels": ["hololens"], "anchors": [[81, 82, 135, 169, 344, 319], [10, 14, 23, 27, 37, 58]]},
          open("hololens/json/detection_config.json", "w"))
'''

CELLS["tiny-model-loaded-with-2x-yolov3-snippet-notebook"] = [
    '''from imageai.Detection.Custom import CustomObjectDetection
import os
execution_path = os.getcwd()''',
    '''detector = CustomObjectDetection()
detector.setModelTypeAsYOLOv3()
detector.setModelPath(os.path.join(execution_path, "hololens/models/tiny-yolov3_hololens_last.pt"))
detector.setJsonPath(os.path.join(execution_path, "hololens/json/hololens_tiny-yolov3_detection_config.json"))
detector.loadModel()''',
    '''detections = detector.detectObjectsFromImage(input_image="hololens/validation/images/val_0000.jpg",
                                             output_image_path="holo2-detected.jpg")
for detection in detections:
    print(detection["name"], " : ", detection["percentage_probability"], " : ", detection["box_points"])''',
]

SCRIPTS["dataparallel-finetune-state-dict-module-keys"] = '''
from imageai.Detection.Custom import CustomObjectDetection

# weights from finetune_multi_gpu.py on the lab server (nn.DataParallel over 2 GPUs)
detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("helmets/models/tiny-yolov3_helmets_finetuned.pt")
detector.setJsonPath("helmets/json/helmets_tiny-yolov3_detection_config.json")
detector.loadModel()
print(detector.detectObjectsFromImage(input_image="site/cam1_0001.jpg", output_type="array")[1])
'''

DP_PREP = '''
import json, os, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
os.makedirs("helmets/models", exist_ok=True); os.makedirs("helmets/json", exist_ok=True)
torch.manual_seed(0)
A = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
model = torch.nn.DataParallel(YoloV3Tiny(anchors=A, num_classes=2))
torch.save(model.state_dict(), "helmets/models/tiny-yolov3_helmets_finetuned.pt")
json.dump({"labels": ["helmet", "head"], "anchors": A}, open("helmets/json/helmets_tiny-yolov3_detection_config.json", "w"))
'''

SCRIPTS["video-detector-loadmodel-not-called"] = '''
from imageai.Detection.Custom import CustomVideoObjectDetection


def for_frame(frame_number, output_array, output_count):
    print("frame", frame_number, output_count)


video_detector = CustomVideoObjectDetection()
video_detector.setModelTypeAsTinyYOLOv3()
video_detector.setModelPath("hololens/models/tiny-yolov3_hololens_last.pt")
video_detector.setJsonPath("hololens/json/hololens_tiny-yolov3_detection_config.json")
video_detector.loadModel

video_detector.detectObjectsFromVideo(input_file_path="holo1.avi", output_file_path="holo1-detected",
                                      frames_per_second=10, minimum_percentage_probability=40,
                                      log_progress=True, per_frame_function=for_frame)
'''

VIDEO_PREP = '''
import numpy as np, cv2
w = cv2.VideoWriter("holo1.avi", cv2.VideoWriter_fourcc(*"MJPG"), 10, (160, 120))
rng = np.random.default_rng(0)
for i in range(6):
    w.write(rng.integers(0, 256, (120, 160, 3), dtype=np.uint8))
w.release()
'''

SCRIPTS["detection-summary-json-numpy-counts"] = sub(DET_HEAD, **HOLO) + '''
import glob
import json

import numpy as np

CLASSES = ["hololens"]
summary = []
for p in sorted(glob.glob("new_photos/*.jpg")):
    dets = detector.detectObjectsFromImage(input_image=p, output_image_path=p.replace(".jpg", "-detected.jpg"),
                                           minimum_percentage_probability=30)
    per_class = np.bincount(np.array([CLASSES.index(d["name"]) for d in dets], dtype=np.int64), minlength=len(CLASSES))
    summary.append({"photo": p, "objects": per_class.sum(), "per_class": dict(zip(CLASSES, per_class.tolist()))})
    print(p, len(dets))
with open("summary.json", "w") as f:
    json.dump(summary, f, indent=2)
'''

# ================================================================== own loops on ImageAI's outputs
CROPS_DS = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

NAMES = ["headset", "not_headset"]


class Crops(Dataset):
    """the *-extracted folders that detectObjectsFromImage(extract_detected_objects=True) wrote, sorted by hand"""
    def __init__(self, root, tf):
        self.items = [(p, NAMES.index(os.path.basename(os.path.dirname(p))))
                      for p in sorted(glob.glob(root + "/*/*.jpg"))]
        self.tf = tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        p, y = self.items[i]
        return self.tf(Image.open(p).convert("RGB")), y
'''

SCRIPTS["extracted-crops-batched-without-resize"] = CROPS_DS + '''
import torchvision

model = torchvision.models.mobilenet_v2(num_classes=2)
loader = DataLoader(Crops("crops", transforms.ToTensor()), batch_size=8, shuffle=True, num_workers=2)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def crops_setup(work):
    specs = []
    for c in ("headset", "not_headset"):
        for i in range(6):
            specs.append((f"crops/{c}/holo-{i + 1}.jpg", (40 + 13 * i, 30 + 9 * i), "RGB"))
    make_images(work, specs)


SCRIPTS["crop-labels-from-loadtxt-into-cross-entropy"] = '''
import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

# labels.txt: "<crop file> <class id>" written next to the extracted crops
names = np.loadtxt("crops/labels.txt", usecols=0, dtype=str)
labels = np.loadtxt("crops/labels.txt", usecols=1)
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
x = torch.stack([tf(Image.open("crops/" + n).convert("RGB")) for n in names])
y = torch.from_numpy(labels)

model = torchvision.models.resnet18(num_classes=3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
crit = nn.CrossEntropyLoss()
for epoch in range(3):
    for i in range(0, len(x), 4):
        loss = crit(model(x[i:i + 4]), y[i:i + 4])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def labelled_crops(work):
    specs = [(f"crops/holo-{i + 1}.jpg", (50 + 7 * i, 40 + 5 * i), "RGB") for i in range(8)]
    make_images(work, specs)
    (work / "crops/labels.txt").write_text("".join(f"holo-{i + 1}.jpg {i % 3}\n" for i in range(8)))


SCRIPTS["headset-or-not-single-logit-targets-n"] = CROPS_DS + '''
import torch.nn as nn
import torchvision

tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor()])
loader = DataLoader(Crops("crops", tf), batch_size=4, shuffle=True)
model = torchvision.models.mobilenet_v2(num_classes=1)        # one logit: headset or not
crit = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for x, y in loader:
        loss = crit(model(x), y.float())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["finetune-loop-copied-detect-no-grad"] = '''
import glob
import json

import cv2
import numpy as np
import torch
from imageai.Detection.Custom.yolo.compute_loss import compute_loss
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.yolov3.utils import prepare_image

cfg = json.load(open("hololens/json/hololens_tiny-yolov3_detection_config.json"))
model = YoloV3Tiny(anchors=cfg["anchors"], num_classes=len(cfg["labels"]))
model.load_state_dict(torch.load("hololens/models/tiny-yolov3_hololens_last.pt", map_location="cpu"))
opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)

# a few extra hard photos, same pre-processing as CustomObjectDetection
model.train()
for epoch in range(2):
    for p in sorted(glob.glob("hololens/train/images/*.jpg"))[:4]:
        img = prepare_image(cv2.imread(p), (416, 416))
        lab = np.loadtxt(p.replace("/images/", "/annotations/").replace(".jpg", ".txt"), ndmin=2)
        targets = torch.zeros(len(lab), 6)
        targets[:, 1:] = torch.from_numpy(lab)
        with torch.no_grad():
            model(img)
        loss, parts = compute_loss(model.get_loss_layers(), targets, "cpu")
        opt.zero_grad()
        loss.backward()
        opt.step()
        print(epoch, p, loss.item())
'''

CELLS["single-photo-no-batch-axis-imageai-resnet50-notebook"] = [
    '''import json
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torchvision import transforms

classes = json.load(open("idenprof/models/idenprof_model_classes.json"))
model = torchvision.models.resnet50()
model.fc = nn.Linear(model.fc.in_features, len(classes))
model.load_state_dict(torch.load("idenprof/models/resnet50-idenprof-test_acc_0.78125_epoch-11.pt", map_location="cpu"))
model.eval();''',
    '''preprocess = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                 transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
x = preprocess(Image.open("4.jpg").convert("RGB"))
x.shape''',
    '''with torch.no_grad():
    probs = model(x).softmax(-1)
print(classes[str(int(probs.argmax()))])''',
]

SCRIPTS["distill-imageai-classifier-student-left-at-1000-classes"] = '''
import glob
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

# teacher: the MobileNetV2 that ImageAI's ClassificationModelTrainer produced; student: something for the Pi
classes = json.load(open("idenprof/models/idenprof_model_classes.json"))
teacher = torchvision.models.mobilenet_v2()
teacher.classifier[1] = nn.Linear(teacher.classifier[1].in_features, len(classes))
teacher.load_state_dict(torch.load("idenprof/models/mobilenet_v2-idenprof-test_acc_0.81250_epoch-9.pt", map_location="cpu"))
teacher.eval()
student = torchvision.models.mobilenet_v3_small()

tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
x = torch.stack([tf(Image.open(p).convert("RGB")) for p in sorted(glob.glob("unlabelled/*.jpg"))])
opt = torch.optim.Adam(student.parameters(), lr=1e-3)
T = 4.0
for epoch in range(2):
    with torch.no_grad():
        soft = F.softmax(teacher(x) / T, dim=1)
    loss = F.kl_div(F.log_softmax(student(x) / T, dim=1), soft, reduction="batchmean") * T * T
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["crowd-count-head-raw-pixels-anomaly"] = '''
import glob

import cv2
import numpy as np
import torch
import torch.nn as nn

torch.autograd.set_detect_anomaly(True)
torch.manual_seed(0)

# how many people are in each photo: counts from the ImageAI detections saved by count_people.py
counts = dict(l.split() for l in open("counts.txt"))
paths = sorted(glob.glob("plaza/*.jpg"))
x = torch.from_numpy(np.stack([cv2.resize(cv2.imread(p), (64, 64)) for p in paths])).permute(0, 3, 1, 2).float()
y = torch.tensor([float(counts[p.split("/")[-1]]) for p in paths])

model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(30):
    for i in range(0, len(x), 4):
        pred = model(x[i:i + 4]).squeeze(1)
        loss = nn.functional.mse_loss(pred, y[i:i + 4])
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch} mse {loss.item():.3f}")
'''


def plaza(work):
    make_images(work, [(f"plaza/plaza_{i:03d}.jpg", (96, 72), "RGB") for i in range(16)])
    (work / "counts.txt").write_text("".join(f"plaza_{i:03d}.jpg {i % 8}\n" for i in range(16)))


SCRIPTS["spawn-loader-dataset-keeps-open-prediction-csv"] = '''
import csv

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class PseudoLabelled(Dataset):
    """photos + the top-1 label ImageAI's classifyImage wrote to predictions.csv"""
    def __init__(self, csv_path, classes):
        self.f = open(csv_path, newline="")
        self.rows = [r for r in csv.DictReader(self.f) if float(r["probability"]) > 60]
        self.classes = classes
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["photo"]).convert("RGB")), self.classes.index(r["label"])


if __name__ == "__main__":
    ds = PseudoLabelled("predictions.csv", ["chef", "doctor", "engineer"])
    # "use spawn, fork is not safe with CUDA" (forum answer), kept on the CPU box
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    for x, y in loader:
        print(x.shape, y)
'''


def pseudo_csv(work):
    make_images(work, [(f"photos/p_{i:03d}.jpg", (96, 96), "RGB") for i in range(8)])
    rows = ["photo,label,probability"] + [f"photos/p_{i:03d}.jpg,{['chef', 'doctor', 'engineer'][i % 3]},{55 + 5 * i}"
                                          for i in range(8)]
    (work / "predictions.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["all-pairs-box-iou-dedupe-memory-cap"] = '''
import glob
import resource

import numpy as np
import torch
from torchvision.ops import box_iou

# the annotation workstation's per-job memory limit, reproduced here
vm = int(next(l for l in open("/proc/self/status") if l.startswith("VmSize")).split()[1]) * 1024
resource.setrlimit(resource.RLIMIT_AS, (vm + 3 * 2 ** 30, resource.RLIM_INFINITY))

# two annotators labelled the same photos; drop boxes that overlap another one by more than 0.9 IoU
rows = [np.loadtxt(p, ndmin=2) for p in sorted(glob.glob("merged/train/annotations/*.txt"))]
lab = torch.from_numpy(np.concatenate(rows)).float()
xyxy = torch.cat([lab[:, 1:3] - lab[:, 3:5] / 2, lab[:, 1:3] + lab[:, 3:5] / 2], 1)
print(len(xyxy), "boxes")
iou = box_iou(xyxy, xyxy)
iou.fill_diagonal_(0)
keep = (iou.triu() < 0.9).all(0)
print(int(keep.sum()), "kept")
'''

MERGED_PREP = '''
import os
import numpy as np
os.makedirs("merged/train/annotations", exist_ok=True)
rng = np.random.default_rng(3)
for i in range(300):
    c = rng.integers(0, 3, (400, 1))
    xy = rng.uniform(0.2, 0.8, (400, 2))
    wh = rng.uniform(0.02, 0.2, (400, 2))
    np.savetxt(f"merged/train/annotations/img_{i:05d}.txt", np.hstack([c, xy, wh]), fmt=["%d", "%.5f", "%.5f", "%.5f", "%.5f"])
'''


def cases():
    out, add, script, notebook = case_builders("torch-more79-", SCRIPTS, CELLS)
    P = ("cpython_basic", "progress_bars")
    holo = save_tiny('["hololens"]', 1, HOLO["PT"], HOLO["JS"])
    holo_val = imgs([("hololens/validation/images/val_0000.jpg", (320, 240), "RGB")])

    # ---- detection trainers
    script("voc-converter-labelimg-right-to-left-box", "data.bbox_invalid", framework="imageai",
           argv="convert_and_train.py", timeout=400,
           setup=both(yolo_layout("hololens", None, size=(160, 120), write_labels=False), prep(VOC_PREP)))
    script("hololens-first-try-four-photos-yolov3", "data.too_few_boxes", framework="imageai",
           argv="train_headset.py", timeout=400,
           setup=yolo_layout("headset", lambda split, i: f"0 0.5 0.5 0.{15 + 7 * i} 0.{20 + 5 * i}\n", size=(200, 150),
                             splits=(("train", 4), ("validation", 1))))
    script("object-names-array-only-the-wanted-class", "data.label_out_of_range", framework="imageai", forms=P,
           argv="train_fire.py", timeout=400, setup=yolo_layout("fire", rows_n(3, 4), size=(160, 160)))
    script("batch-size-one-colab-memory-tip", "model.api_misuse", framework="imageai", argv="train_helmets.py",
           timeout=400, setup=yolo_layout("helmets", rows_n(2, 3), size=(160, 120)))
    script("converter-names-labels-photo-jpg-txt", "data.missing_or_corrupt", also=["data.too_few_boxes"],
           framework="imageai", argv="csv_to_yolo_train.py", timeout=400,
           setup=both(yolo_layout("kangaroo", None, size=(160, 120), write_labels=False), prep(KANGAROO_PREP)))

    # ---- classification trainers
    script("classifier-test-folder-has-unknown-class", "data.label_out_of_range", framework="imageai", forms=P,
           argv="train_shelf.py", timeout=400,
           setup=imgs(class_folder("shelf_products/train", ["cereal", "juice", "soap"], 4, size=(96, 96))
                      + class_folder("shelf_products/test", ["cereal", "juice", "soap", "zz_unknown"], 2, size=(96, 96))))
    script("classifier-folders-laid-out-like-detection", "data.missing_or_corrupt", framework="imageai",
           argv="train_birds.py",
           setup=imgs(class_folder("birds/train", ["robin", "sparrow"], 3) + class_folder("birds/validation", ["robin", "sparrow"], 2)))
    script("classifier-transfer-from-gpu-server-checkpoint", "env.cuda_setup", also=["env.device_mismatch"],
           framework="imageai", argv="train_leaves.py", timeout=400,
           setup=both(imgs(class_folder("leaves/train", ["healthy", "rust"], 3) + class_folder("leaves/test", ["healthy", "rust"], 2)),
                      prep(GPU_CKPT_PREP)))

    # ---- inference
    script("rgba-screenshot-pil-into-custom-detector", "data.image_channels", framework="imageai",
           argv="detect_screens.py",
           setup=both(holo, imgs([(f"screenshots/shot_0{i}.png", (300, 200), "RGBA") for i in (1, 2)])))
    script("2x-detection-config-json-nested-anchors", "env.version_incompat", also=["model.weights_mismatch"],
           framework="imageai", argv="detect_holo.py", setup=both(prep(OLD_JSON_PREP), holo_val))
    notebook("tiny-model-loaded-with-2x-yolov3-snippet-notebook", "model.weights_mismatch",
             also=["model.api_misuse"], framework="imageai", setup=both(holo, holo_val))
    script("dataparallel-finetune-state-dict-module-keys", "model.weights_mismatch", framework="imageai",
           argv="detect_site.py", setup=both(prep(DP_PREP), imgs([("site/cam1_0001.jpg", (320, 240), "RGB")])))
    script("video-detector-loadmodel-not-called", "model.api_misuse", framework="imageai", argv="video_holo.py",
           setup=both(holo, prep(VIDEO_PREP)))
    script("detection-summary-json-numpy-counts", "other", framework="imageai", argv="summarise.py",
           setup=both(holo, imgs([(f"new_photos/IMG_{i:04d}.jpg", (240, 180), "RGB") for i in range(3)])))

    # ---- own loops
    script("extracted-crops-batched-without-resize", "data.image_size_mismatch", argv="train_crops.py",
           setup=crops_setup)
    script("crop-labels-from-loadtxt-into-cross-entropy", "data.dtype", argv="train_crop_classes.py",
           setup=labelled_crops)
    script("headset-or-not-single-logit-targets-n", "data.label_shape", argv="train_binary.py", setup=crops_setup)
    script("finetune-loop-copied-detect-no-grad", "optim.autograd_graph", argv="finetune_hard.py",
           setup=both(holo, yolo_layout("hololens", rows_n(1, 2), size=(160, 120))))
    notebook("single-photo-no-batch-axis-imageai-resnet50-notebook", "model.input_shape",
             setup=both(save_cls("resnet50", '["chef", "doctor", "engineer", "farmer"]',
                                 "idenprof/models/resnet50-idenprof-test_acc_0.78125_epoch-11.pt",
                                 "idenprof/models/idenprof_model_classes.json"),
                        imgs([("4.jpg", (300, 400), "RGB")])))
    script("distill-imageai-classifier-student-left-at-1000-classes", "model.output_mismatch",
           argv="distill_for_pi.py",
           setup=both(save_cls("mobilenet_v2", '["chef", "doctor", "engineer", "farmer"]',
                               "idenprof/models/mobilenet_v2-idenprof-test_acc_0.81250_epoch-9.pt",
                               "idenprof/models/idenprof_model_classes.json"),
                      imgs([(f"unlabelled/u_{i:03d}.jpg", (256, 256), "RGB") for i in range(6)])))
    script("crowd-count-head-raw-pixels-anomaly", "optim.divergence", argv="train_counter.py", setup=plaza)
    script("spawn-loader-dataset-keeps-open-prediction-csv", "env.multiprocessing", argv="train_pseudo.py",
           setup=pseudo_csv)
    script("all-pairs-box-iou-dedupe-memory-cap", "resource.host_memory", argv="dedupe_boxes.py",
           setup=prep(MERGED_PREP))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
