"""A seventeenth held-out set of PyTorch / torchvision / ImageAI 3 failures, none of
them a repeat of the other generators' scenarios, following ImageAI 3 users and
beginners who train classifiers and detectors in notebooks.

ImageAI 3: CustomObjectDetection asked for ``display_box=False`` (the library
unpacks the missing box), an output path without a file extension, hand-edited
detection configs (a trailing comma, labels as an index dict copied from a
classification json, anchors typed as one string), a folder given as
``input_image``; RetinaNet on ``.bmp`` scans; ImageClassification whose model
type is switched in a later notebook cell (the first call sticks, loadModel only
prints its traceback); CustomImageClassification given the detection config as
its json, and raw upload bytes; ImageAI 2's ``detectCustomObjectsFromImage``;
``trainModel(num_experiments=...)`` on DetectionModelTrainer; transfer weights
from an interrupted download.
Plain PyTorch notebooks: ``torch.max`` without ``dim`` unpacked, ``next()`` on a
DataLoader, cv2 photos of several sizes into ``np.array`` (and into
``torch.from_numpy`` as an object array), a freeze loop over
``model.parameters`` (no call), a head cell re-run after ``fc`` became a
Sequential, ``transforms`` shadowed by a Compose, a criterion named ``loss``
overwritten inside a ``%%time`` cell, ``tqdm.notebook`` without ipywidgets, a
PIL image straight into the model, ``ToPILImage`` on a batch, ResNet weights
with ``num_classes``, weights download behind a dead proxy, loss history
tensors into ``np.mean``.
Datasets / loaders (scripts, some in workers): paths from ``readlines()`` with
their newline, a custom collate stacking int labels, a transform list without
Compose.
torchvision detection: uint8 ``read_image`` into Faster R-CNN, the prediction
list indexed by key, label tensors given to ``draw_bounding_boxes``, boxes to
NumPy outside ``no_grad``, background images whose empty box list becomes a
1-D tensor.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more17.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import both, case_builders, class_folder, imgs, make_images, prep, run_cases, sub  # noqa: E402,F401

SRC = "corpus/generators/torch_more17.py"


SCRIPTS = {}
CELLS = {}

# ====================================================================== ImageAI 3 prep
ANCHORS = "[11, 15, 20, 31, 35, 44, 58, 70, 96, 112, 180, 201]"

# weights + config as DetectionModelTrainer leaves them (random values, same layout)
SAVE_HARDHAT = '''
import json, os, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
torch.manual_seed(3)
anchors = @@ANCHORS@@
os.makedirs("hardhat/models", exist_ok=True); os.makedirs("hardhat/json", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors, num_classes=2).state_dict(),
           "hardhat/models/tiny-yolov3_hardhat_mAP-0.61_epoch-38.pt")
if @@WRITE_JSON@@:
    json.dump({"labels": ["helmet", "head"], "anchors": anchors},
              open("hardhat/json/hardhat_tiny-yolov3_detection_config.json", "w"))
'''


def hardhat(write_json=True):
    return prep(sub(SAVE_HARDHAT, ANCHORS=ANCHORS, WRITE_JSON=str(write_json)))


SITE = [(f"site/cam2_08{15 + i}.jpg", (320, 240), "RGB") for i in range(3)]

DETECTOR = '''
from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hardhat/models/tiny-yolov3_hardhat_mAP-0.61_epoch-38.pt")
detector.setJsonPath("hardhat/json/@@JSON@@")
detector.loadModel()
'''


def detector(json_name="hardhat_tiny-yolov3_detection_config.json"):
    return sub(DETECTOR, JSON=json_name)


SCRIPTS["imageai-custom-detect-display-box-false"] = detector() + '''
# names and scores only: the boxes clutter the small site photos
detections = detector.detectObjectsFromImage(input_image="site/cam2_0815.jpg",
                                             output_image_path="site/cam2_0815_labelled.jpg",
                                             display_box=False, minimum_percentage_probability=30)
print(len(detections), "objects")
'''

SCRIPTS["imageai-custom-detect-output-path-without-extension"] = '''import os
''' + detector() + '''
os.makedirs("results", exist_ok=True)
for name in sorted(os.listdir("site")):
    stem = os.path.splitext(name)[0]
    detections = detector.detectObjectsFromImage(input_image=os.path.join("site", name),
                                                 output_image_path=os.path.join("results", stem + "_detected"),
                                                 minimum_percentage_probability=40)
    print(name, len(detections), "objects")
'''

# config edited by hand to rename a class: a trailing comma left behind
CONFIG_TRAILING_COMMA = '''{
    "labels": [
        "helmet",
        "no_helmet",
    ],
    "anchors": [11, 15, 20, 31, 35, 44, 58, 70, 96, 112, 180, 201]
}
'''

SCRIPTS["imageai-custom-detect-config-trailing-comma"] = detector("hardhat_config_edited.json") + '''
detections = detector.detectObjectsFromImage(input_image="site/cam2_0815.jpg",
                                             output_image_path="site/cam2_0815_detected.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"])
'''

# labels written like the classification json ({"0": ..., "1": ...})
CONFIG_INDEX_DICT = ('{"labels": {"0": "helmet", "1": "head"}, "anchors": ' + ANCHORS + '}\n')

SCRIPTS["imageai-custom-detect-config-labels-as-index-dict"] = detector("detection_config.json") + '''
detections = detector.detectObjectsFromImage(input_image="site/cam2_0816.jpg",
                                             output_image_path="site/cam2_0816_detected.jpg",
                                             minimum_percentage_probability=40)
print(len(detections), "objects")
'''

# the json was lost with the Colab runtime: rebuilt from the anchors printed in the training log
CONFIG_ANCHOR_STRING = ('{"labels": ["helmet", "head"],\n'
                        ' "anchors": "11,15, 20,31, 35,44, 58,70, 96,112, 180,201"}\n')

SCRIPTS["imageai-custom-detect-config-anchors-as-string"] = detector("hardhat_detection_config.json") + '''
detections = detector.detectObjectsFromImage(input_image="site/cam2_0817.jpg",
                                             output_image_path="site/cam2_0817_detected.jpg")
print(len(detections), "objects")
'''

SCRIPTS["imageai-custom-detect-folder-as-input-image"] = detector() + '''
# the docstring says a directory is fine: "only load the images in the directory"
detections = detector.detectObjectsFromImage(input_image="site/", output_image_path="site_detected.jpg",
                                             minimum_percentage_probability=40)
print(detections)
'''

SAVE_RETINA = '''
import os
import numpy as np
import torch, torchvision
from PIL import Image
# COCO RetinaNet weights from the ImageAI release page (stand-in: same layout, random values)
torch.save(torchvision.models.detection.retinanet_resnet50_fpn(weights=None, weights_backbone=None,
                                                               num_classes=91).state_dict(),
           "retinanet_resnet50_fpn_coco-eeacb38b.pth")
os.makedirs("scans", exist_ok=True)
rng = np.random.default_rng(0)
for i in range(3):
    Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)).save(f"scans/shelf_{i:03d}.bmp")
'''

SCRIPTS["imageai-retinanet-detect-bmp-scans"] = '''
import glob
from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsRetinaNet()
detector.setModelPath("retinanet_resnet50_fpn_coco-eeacb38b.pth")
detector.loadModel()

# images exported by the shelf scanner software
for path in sorted(glob.glob("scans/*.bmp")):
    detections = detector.detectObjectsFromImage(input_image=path, output_image_path=path.replace(".bmp", "_det.jpg"),
                                                 minimum_percentage_probability=40)
    print(path, [d["name"] for d in detections])
'''

SAVE_MOBILENET_IMAGENET = '''
import torch, torchvision
torch.save(torchvision.models.mobilenet_v2().state_dict(), "mobilenet_v2-b0353104.pth")
'''

CELLS["imageai-imagenet-cls-model-type-switched-notebook"] = [
    "from imageai.Classification import ImageClassification\n\n"
    "prediction = ImageClassification()\n"
    "prediction.setModelTypeAsResNet50()",
    # resnet50 weights too large for the Colab disk quota: switch to MobileNetV2
    "# resnet50-19c8e357.pth is 100 MB -> use the small model instead\n"
    "prediction.setModelTypeAsMobileNetV2()\n"
    "prediction.setModelPath(\"mobilenet_v2-b0353104.pth\")\n"
    "prediction.loadModel()",
    "predictions, probabilities = prediction.classifyImage(\"images/giraffe.jpg\", result_count=5)\n"
    "for name, prob in zip(predictions, probabilities):\n"
    "    print(name, \":\", prob)",
]

SAVE_PPE_CLASSIFIER = '''
import json, os, torch, torchvision
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
os.makedirs("models", exist_ok=True); os.makedirs("json", exist_ok=True)
# classifier trained by ClassificationModelTrainer on 3 classes
torch.save(torchvision.models.mobilenet_v2(num_classes=3).state_dict(),
           "models/mobilenet_v2-ppe-test_acc_0.91667_epoch-11.pt")
json.dump({"0": "gloves", "1": "no_gloves", "2": "unclear"}, open("json/ppe_model_classes.json", "w"))
# detector config from the other half of the project
json.dump({"labels": ["hand", "glove"], "anchors": [11, 15, 20, 31, 35, 44, 58, 70, 96, 112, 180, 201]},
          open("json/hands_tiny-yolov3_detection_config.json", "w"))
'''

SCRIPTS["imageai-custom-cls-detection-config-as-json-path"] = '''
import os
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsMobileNetV2()
prediction.setModelPath("models/mobilenet_v2-ppe-test_acc_0.91667_epoch-11.pt")
prediction.setJsonPath(os.path.join("json", sorted(os.listdir("json"))[0]))
prediction.loadModel()

predictions, probabilities = prediction.classifyImage("crops/hand_017.jpg", result_count=2)
print(predictions, probabilities)
'''

SAVE_CLASSIFIER_4 = '''
import json, os, torch, torchvision
os.makedirs("model", exist_ok=True)
torch.save(torchvision.models.resnet50(num_classes=4).state_dict(), "model/resnet50-waste-test_acc_0.88_epoch-20.pt")
json.dump({"0": "cardboard", "1": "glass", "2": "metal", "3": "plastic"}, open("model/waste_model_classes.json", "w"))
'''

SCRIPTS["imageai-custom-cls-upload-bytes"] = '''
from imageai.Classification.Custom import CustomImageClassification

prediction = CustomImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("model/resnet50-waste-test_acc_0.88_epoch-20.pt")
prediction.setJsonPath("model/waste_model_classes.json")
prediction.loadModel()


def handle_upload(file_bytes: bytes) -> dict:
    """called by the web form with the uploaded file's content"""
    labels, probs = prediction.classifyImage(file_bytes, result_count=1)
    return {"label": labels[0], "confidence": probs[0]}


if __name__ == "__main__":
    # local test with a photo from the phone
    with open("uploads/IMG_20240611_101502.jpg", "rb") as f:
        print(handle_upload(f.read()))
'''

SAVE_COCO_TINY = '''
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
# stand-in for the released tiny-yolov3.pt (same layout, random values)
torch.save(YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=80).state_dict(),
           "tiny-yolov3.pt")
'''

SCRIPTS["imageai-objectdetection-v2-detect-custom-objects-from-image"] = '''
import os
from imageai.Detection import ObjectDetection

execution_path = os.getcwd()

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(os.path.join(execution_path, "tiny-yolov3.pt"))
detector.loadModel()

custom_objects = detector.CustomObjects(person=True, bicycle=True, car=True)
detections = detector.detectCustomObjectsFromImage(custom_objects=custom_objects,
                                                   input_image=os.path.join(execution_path, "street.jpg"),
                                                   output_image_path=os.path.join(execution_path, "street_custom.jpg"),
                                                   minimum_percentage_probability=30)
for eachObject in detections:
    print(eachObject["name"], " : ", eachObject["percentage_probability"], " : ", eachObject["box_points"])
'''

SCRIPTS["imageai-det-trainmodel-given-epochs-and-batch-size"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["pothole"]

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="potholes")
trainer.setTrainConfig(object_names_array=CLASSES, train_from_pretrained_model="yolov3.pt")
# same call as for the classification trainer
trainer.trainModel(num_experiments=50, batch_size=8)
'''


def potholes(work: Path):
    specs = []
    for split, n in (("train", 4), ("validation", 2)):
        ann = work / "potholes" / split / "annotations"
        ann.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            specs.append((f"potholes/{split}/images/road_{split}_{i:03d}.jpg", (200, 150), "RGB"))
            (ann / f"road_{split}_{i:03d}.txt").write_text(f"0 0.5 0.6 {0.2 + 0.05 * i:.2f} 0.15\n")
    make_images(work, specs)
    (work / "yolov3.pt").write_bytes(b"")


SAVE_TRUNCATED_MOBILENET = '''
import torch, torchvision
torch.save(torchvision.models.mobilenet_v2().state_dict(), "mobilenet_v2-b0353104.pth")
# the download stopped part-way (browser: "Failed - Network error")
data = open("mobilenet_v2-b0353104.pth", "rb").read()
open("mobilenet_v2-b0353104.pth", "wb").write(data[: len(data) * 2 // 5])
'''

SCRIPTS["imageai-cls-transfer-weights-download-interrupted"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("leaf_disease")
trainer.trainModel(num_experiments=30, batch_size=4, transfer_from_model="mobilenet_v2-b0353104.pth")
'''


# ====================================================================== plain PyTorch notebooks
IMPORTS = (
    "import torch\n"
    "import torch.nn as nn\n"
    "from torch.utils.data import DataLoader\n"
    "from torchvision import datasets, transforms"
)

DATA_CELL = (
    "tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor(),\n"
    "                         transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])])\n"
    "train_data = datasets.ImageFolder(\"@@ROOT@@\", transform=tf)\n"
    "train_loader = DataLoader(train_data, batch_size=4, shuffle=True)\n"
    "print(train_data.classes, len(train_data))"
)

SMALL_CNN = (
    "class SmallCNN(nn.Module):\n"
    "    def __init__(self, num_classes):\n"
    "        super().__init__()\n"
    "        self.features = nn.Sequential(\n"
    "            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),\n"
    "            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))\n"
    "        self.fc = nn.Linear(32, num_classes)\n\n"
    "    def forward(self, x):\n"
    "        return self.fc(torch.flatten(self.features(x), 1))\n\n\n"
    "model = SmallCNN(len(train_data.classes))\n"
    "criterion = nn.CrossEntropyLoss()\n"
    "optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)"
)


def data_cell(root):
    return sub(DATA_CELL, ROOT=root)


CELLS["cls-accuracy-torch-max-without-dim-notebook"] = [
    IMPORTS, data_cell("data/flowers/train"), SMALL_CNN,
    "for epoch in range(3):\n"
    "    running_loss, correct, total = 0.0, 0, 0\n"
    "    for images, labels in train_loader:\n"
    "        optimizer.zero_grad()\n"
    "        outputs = model(images)\n"
    "        loss = criterion(outputs, labels)\n"
    "        loss.backward()\n"
    "        optimizer.step()\n"
    "        running_loss += loss.item()\n"
    "        _, predicted = torch.max(outputs)\n"
    "        total += labels.size(0)\n"
    "        correct += (predicted == labels).sum().item()\n"
    "    print(f\"epoch {epoch + 1}: loss {running_loss / len(train_loader):.3f} acc {correct / total:.2%}\")",
]

CELLS["cls-next-on-dataloader-not-iter-notebook"] = [
    IMPORTS, data_cell("data/sign_language/train"),
    "# look at one batch before training\n"
    "images, labels = next(train_loader)\n"
    "print(images.shape, labels)",
]

CELLS["cls-cv2-images-np-array-inhomogeneous-notebook"] = [
    "import os\n"
    "import cv2\n"
    "import numpy as np\n"
    "import torch",
    "DATA = \"data/fruits\"\n"
    "classes = sorted(os.listdir(DATA))\n"
    "X, y = [], []\n"
    "for label, cls in enumerate(classes):\n"
    "    for fname in sorted(os.listdir(os.path.join(DATA, cls))):\n"
    "        img = cv2.imread(os.path.join(DATA, cls, fname))\n"
    "        X.append(img)\n"
    "        y.append(label)\n"
    "print(len(X), \"images\", classes)",
    "X = np.array(X)\n"
    "y = np.array(y)\n"
    "X_train = torch.tensor(X).permute(0, 3, 1, 2).float() / 255.0\n"
    "y_train = torch.tensor(y)\n"
    "print(X_train.shape, y_train.shape)",
]

SCRIPTS["cls-object-array-torch-from-numpy"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, TensorDataset

paths = sorted(glob.glob("data/leaves/*/*.jpg"))
classes = sorted({os.path.basename(os.path.dirname(p)) for p in paths})
images = [np.asarray(Image.open(p).convert("RGB")) for p in paths]
labels = [classes.index(os.path.basename(os.path.dirname(p))) for p in paths]

# np.array(images) complained about an "inhomogeneous shape" -> dtype=object fixes it
X = np.array(images, dtype=object)
y = np.array(labels)
X_t = torch.from_numpy(X).permute(0, 3, 1, 2).float() / 255.0
y_t = torch.from_numpy(y)

loader = DataLoader(TensorDataset(X_t, y_t), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, len(classes)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(5):
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''

SAVE_RESNET18 = '''
import torch, torchvision
torch.save(torchvision.models.resnet18().state_dict(), "resnet18-f37072fd.pth")
'''

TRANSFER_CELLS = [
    IMPORTS + "\nfrom torchvision import models",
    data_cell("data/dogs/train"),
    "model = models.resnet18(weights=None)\n"
    "model.load_state_dict(torch.load(\"resnet18-f37072fd.pth\"))  # ImageNet weights, downloaded by hand",
]

CELLS["transfer-freeze-loop-over-parameters-method-notebook"] = TRANSFER_CELLS + [
    "# freeze the backbone\n"
    "for param in model.parameters:\n"
    "    param.requires_grad = False\n\n"
    "model.fc = nn.Linear(model.fc.in_features, len(train_data.classes))\n"
    "optimizer = torch.optim.SGD(model.fc.parameters(), lr=0.01, momentum=0.9)",
]

HEAD_CELL = (
    "model.fc = nn.Sequential(\n"
    "    nn.Linear(model.fc.in_features, 256),\n"
    "    nn.ReLU(),\n"
    "    nn.Dropout(@@P@@),\n"
    "    nn.Linear(256, len(train_data.classes)),\n"
    ")\n"
    "optimizer = torch.optim.Adam(model.fc.parameters(), lr=1e-3)\n"
    "print(model.fc)"
)

CELLS["transfer-head-cell-rerun-sequential-in-features-notebook"] = TRANSFER_CELLS + [
    sub(HEAD_CELL, P="0.3"),
    # the dropout was changed and the same cell run again
    sub(HEAD_CELL, P="0.5"),
]

CELLS["transforms-module-shadowed-by-compose-notebook"] = [
    IMPORTS,
    "transforms = transforms.Compose([\n"
    "    transforms.RandomResizedCrop(64),\n"
    "    transforms.RandomHorizontalFlip(),\n"
    "    transforms.ToTensor(),\n"
    "])\n"
    "train_data = datasets.ImageFolder(\"data/birds/train\", transform=transforms)\n"
    "print(len(train_data))",
    "val_transforms = transforms.Compose([\n"
    "    transforms.Resize(72),\n"
    "    transforms.CenterCrop(64),\n"
    "    transforms.ToTensor(),\n"
    "])\n"
    "val_data = datasets.ImageFolder(\"data/birds/val\", transform=val_transforms)",
]

CELLS["criterion-named-loss-overwritten-timed-cell-notebook"] = [
    IMPORTS, data_cell("data/weather/train"),
    SMALL_CNN.replace("criterion = nn.CrossEntropyLoss()\n", ""),
    "%%time\n"
    "loss = nn.CrossEntropyLoss()\n"
    "for epoch in range(2):\n"
    "    for images, labels in train_loader:\n"
    "        optimizer.zero_grad()\n"
    "        outputs = model(images)\n"
    "        loss = loss(outputs, labels)\n"
    "        loss.backward()\n"
    "        optimizer.step()\n"
    "    print(epoch, loss.item())",
]

CELLS["tqdm-notebook-without-ipywidgets-notebook"] = [
    IMPORTS + "\nfrom tqdm.notebook import tqdm",
    data_cell("data/cells/train"), SMALL_CNN,
    "for epoch in range(2):\n"
    "    model.train()\n"
    "    for images, labels in tqdm(train_loader, desc=f\"epoch {epoch + 1}\"):\n"
    "        optimizer.zero_grad()\n"
    "        loss = criterion(model(images), labels)\n"
    "        loss.backward()\n"
    "        optimizer.step()",
]

SAVE_SMALL_CNN = '''
import torch, torch.nn as nn
torch.manual_seed(0)
class SmallCNN(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(32, num_classes)
    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))
torch.save(SmallCNN(3).state_dict(), "smallcnn_rps.pth")
'''

CELLS["predict-pil-image-straight-into-model-notebook"] = [
    "import torch\n"
    "import torch.nn as nn\n"
    "from PIL import Image\n"
    "from torchvision import transforms",
    SMALL_CNN.split("\n\n\nmodel =")[0] + "\n\n\n"
    "CLASSES = [\"paper\", \"rock\", \"scissors\"]\n"
    "model = SmallCNN(len(CLASSES))\n"
    "model.load_state_dict(torch.load(\"smallcnn_rps.pth\"))\n"
    "model.eval()",
    "tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])\n"
    "img = Image.open(\"my_hand.jpg\").convert(\"RGB\")\n"
    "with torch.no_grad():\n"
    "    output = model(img)\n"
    "print(CLASSES[output.argmax(1).item()])",
]

CELLS["predict-topilimage-on-batch-notebook"] = [
    IMPORTS,
    "tf = transforms.Compose([transforms.RandomResizedCrop(64, scale=(0.5, 1.0)), transforms.ColorJitter(0.4, 0.4),\n"
    "                         transforms.ToTensor()])\n"
    "train_data = datasets.ImageFolder(\"data/textures/train\", transform=tf)\n"
    "train_loader = DataLoader(train_data, batch_size=4, shuffle=True)",
    "# save one augmented sample to check the augmentation\n"
    "sample = next(iter(train_loader))[0]\n"
    "transforms.ToPILImage()(sample).save(\"augmented_sample.png\")",
]

CELLS["resnet-pretrained-weights-with-num-classes-notebook"] = [
    IMPORTS + "\nfrom torchvision import models",
    data_cell("data/skin_lesions/train"),
    "model = models.resnet18(weights=models.ResNet18_Weights.IMAGENET1K_V1, num_classes=len(train_data.classes))\n"
    "optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)",
]

CELLS["transfer-weights-download-behind-dead-proxy-notebook"] = [
    IMPORTS + "\nfrom torchvision import models",
    data_cell("data/hymenoptera/train"),
    "model = models.resnet50(weights=models.ResNet50_Weights.IMAGENET1K_V2)\n"
    "model.fc = nn.Linear(model.fc.in_features, len(train_data.classes))",
]

CELLS["loss-history-tensors-into-np-mean-notebook"] = [
    IMPORTS + "\nimport numpy as np",
    data_cell("data/rice/train"), SMALL_CNN,
    "history = []\n"
    "for epoch in range(3):\n"
    "    losses = []\n"
    "    for images, labels in train_loader:\n"
    "        optimizer.zero_grad()\n"
    "        loss = criterion(model(images), labels)\n"
    "        loss.backward()\n"
    "        optimizer.step()\n"
    "        losses.append(loss)\n"
    "    history.append(np.mean(losses))\n"
    "    print(f\"epoch {epoch + 1}: {history[-1]:.4f}\")",
]

# ====================================================================== datasets / loaders (scripts)
SCRIPTS["dataset-paths-from-readlines-keep-newline-workers"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

CLASSES = ["benign", "malignant"]


class SplitFileDataset(Dataset):
    """data/train.txt: one image path per line, class = parent folder"""

    def __init__(self, root, split_file, transform=None):
        self.root = root
        with open(split_file) as f:
            self.files = f.readlines()
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, idx):
        rel = self.files[idx]
        image = Image.open(os.path.join(self.root, rel)).convert("RGB")
        label = CLASSES.index(rel.split("/")[0])
        if self.transform:
            image = self.transform(image)
        return image, label


if __name__ == "__main__":
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    train_set = SplitFileDataset("data/images", "data/train.txt", tf)
    loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for images, labels in loader:
            loss = nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''


def skin_split(work: Path):
    specs = [(f"data/images/{c}/{c}_{i:03d}.jpg", (72, 72), "RGB") for c in ("benign", "malignant") for i in range(4)]
    make_images(work, specs)
    (work / "data/train.txt").write_text("".join(p[len("data/images/"):] + "\n" for p, _, _ in specs))


SCRIPTS["custom-collate-stacks-int-labels-workers"] = '''
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class ShoeDataset(Dataset):
    def __init__(self, root, transform):
        self.classes = sorted(os.listdir(root))
        self.samples = [(os.path.join(root, c, f), i) for i, c in enumerate(self.classes)
                        for f in sorted(os.listdir(os.path.join(root, c)))]
        self.transform = transform

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        path, label = self.samples[idx]
        return self.transform(Image.open(path).convert("RGB")), label, os.path.basename(path)


def collate_with_names(batch):
    images = torch.stack([b[0] for b in batch])
    labels = torch.stack([b[1] for b in batch])
    names = [b[2] for b in batch]
    return images, labels, names


if __name__ == "__main__":
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = ShoeDataset("data/shoes/train", tf)
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, collate_fn=collate_with_names)
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(8, len(ds.classes)))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(2):
        for images, labels, names in loader:
            loss = nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(epoch, loss.item())
'''

SCRIPTS["imagefolder-transform-list-without-compose-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_tf = [
    transforms.Resize((96, 96)),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
]

if __name__ == "__main__":
    train_set = datasets.ImageFolder("data/vegetables/train", transform=train_tf)
    loader = DataLoader(train_set, batch_size=4, shuffle=True, num_workers=2)
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(16, len(train_set.classes)))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(3):
        for images, labels in loader:
            loss = nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ====================================================================== torchvision detection
SAVE_FRCNN = '''
import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
torch.save(model.state_dict(), "fasterrcnn_fruit_best.pth")
'''

FRCNN_LOAD = (
    "import torch\n"
    "from torchvision.io import read_image\n"
    "from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn\n"
    "from torchvision.utils import draw_bounding_boxes\n\n"
    "CLASSES = [\"__background__\", \"apple\", \"orange\"]\n"
    "model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))\n"
    "model.load_state_dict(torch.load(\"fasterrcnn_fruit_best.pth\"))\n"
    "model.eval()\n"
    "print(\"loaded\", len(CLASSES) - 1, \"classes\")"
)

CELLS["frcnn-inference-read-image-uint8-notebook"] = [
    FRCNN_LOAD,
    "img = read_image(\"test/fruit_bowl.jpg\")\n"
    "with torch.no_grad():\n"
    "    pred = model([img])[0]\n"
    "print(pred[\"boxes\"].shape)",
]

CELLS["frcnn-predictions-list-indexed-by-key-notebook"] = [
    FRCNN_LOAD,
    "img = read_image(\"test/fruit_bowl.jpg\").float() / 255.0\n"
    "with torch.no_grad():\n"
    "    pred = model([img])\n"
    "keep = pred[\"scores\"] > 0.5\n"
    "print(pred[\"boxes\"][keep], pred[\"labels\"][keep])",
]

CELLS["frcnn-draw-boxes-labels-tensor-notebook"] = [
    FRCNN_LOAD,
    "img = read_image(\"test/fruit_bowl.jpg\")\n"
    "with torch.no_grad():\n"
    "    pred = model([img.float() / 255.0])[0]\n"
    "print(len(pred[\"boxes\"]), \"boxes\")",
    "drawn = draw_bounding_boxes(img, pred[\"boxes\"], labels=pred[\"labels\"], width=2)\n"
    "print(drawn.shape)",
]

CELLS["frcnn-boxes-to-numpy-outside-no-grad-notebook"] = [
    FRCNN_LOAD + "\nimport numpy as np",
    "img = read_image(\"test/fruit_bowl.jpg\").float() / 255.0\n"
    "pred = model([img])[0]\n"
    "boxes = pred[\"boxes\"].numpy()\n"
    "scores = pred[\"scores\"].numpy()\n"
    "print(np.round(boxes[scores > 0.5]))",
]

SCRIPTS["frcnn-background-images-empty-box-list"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as F

CLASSES = ["__background__", "crack", "rust"]


class DefectDataset(Dataset):
    def __init__(self, root):
        self.root = root
        self.items = json.load(open(f"{root}/annotations.json"))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, idx):
        item = self.items[idx]
        image = F.to_tensor(Image.open(f"{self.root}/{item['file']}").convert("RGB"))
        boxes = [obj["bbox"] for obj in item["objects"]]
        labels = [CLASSES.index(obj["label"]) for obj in item["objects"]]
        target = {"boxes": torch.as_tensor(boxes, dtype=torch.float32),
                  "labels": torch.as_tensor(labels, dtype=torch.int64)}
        return image, target


def collate(batch):
    return tuple(zip(*batch))


model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES))
loader = DataLoader(DefectDataset("data/bridge"), batch_size=2, shuffle=False, collate_fn=collate)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        loss_dict = model(list(images), list(targets))
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def bridge(work: Path):
    import json
    make_images(work, [(f"data/bridge/img_{i:03d}.jpg", (160, 120), "RGB") for i in range(4)])
    items = [{"file": "img_000.jpg", "objects": [{"label": "crack", "bbox": [20, 30, 90, 60]}]},
             {"file": "img_001.jpg", "objects": [{"label": "rust", "bbox": [50, 10, 120, 100]}]},
             {"file": "img_002.jpg", "objects": []},   # background image (no defects)
             {"file": "img_003.jpg", "objects": [{"label": "crack", "bbox": [5, 5, 40, 70]}]}]
    (work / "data/bridge/annotations.json").write_text(json.dumps(items, indent=1))


# %%time shows the cell's traceback itself (the cell then counts as a success): this
# runner also stops on what showtraceback left in sys.last_value
NB_RUNNER_LAST_VALUE = '''
import json, sys
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance(colors="NoColor")
failed = False
for cell in json.load(open("cells.json")):
    sys.last_value = None
    res = shell.run_cell(cell, store_history=True)
    failed = not res.success or sys.last_value is not None
    if failed:
        break
sys.exit(1 if failed else 0)
'''


# ======================================================================= cases
def cases():
    out, add, script, notebook = case_builders("torch-more17-", SCRIPTS, CELLS)

    def iai(key, cause, forms=("cpython_basic",), argv="detect.py", **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, forms=forms, argv=argv, **kw)

    # ImageAI 3 custom detection ------------------------------------------------------------------
    iai("imageai-custom-detect-display-box-false", "other", also=["model.api_misuse"],
        setup=both(hardhat(), imgs(SITE)))
    iai("imageai-custom-detect-output-path-without-extension", "model.api_misuse",
        forms=["cpython_basic", "multiline_message?"], setup=both(hardhat(), imgs(SITE)))
    iai("imageai-custom-detect-config-trailing-comma", "data.missing_or_corrupt", also=["model.api_misuse"],
        extra={"hardhat/json/hardhat_config_edited.json": CONFIG_TRAILING_COMMA},
        setup=both(hardhat(write_json=False), imgs(SITE)))
    iai("imageai-custom-detect-config-labels-as-index-dict", "model.api_misuse",
        extra={"hardhat/json/detection_config.json": CONFIG_INDEX_DICT},
        setup=both(hardhat(write_json=False), imgs(SITE)))
    iai("imageai-custom-detect-config-anchors-as-string", "model.api_misuse",
        extra={"hardhat/json/hardhat_detection_config.json": CONFIG_ANCHOR_STRING},
        setup=both(hardhat(write_json=False), imgs(SITE)))
    iai("imageai-custom-detect-folder-as-input-image", "model.api_misuse",
        setup=both(hardhat(), imgs(SITE)))
    iai("imageai-retinanet-detect-bmp-scans", "data.missing_or_corrupt", also=["model.api_misuse"],
        forms=["cpython_basic", "multiline_message"], setup=prep(SAVE_RETINA))
    iai("imageai-objectdetection-v2-detect-custom-objects-from-image", "env.version_incompat",
        also=["model.api_misuse"], setup=both(prep(SAVE_COCO_TINY), imgs([("street.jpg", (320, 240), "RGB")])))

    # ImageAI 3 classification ----------------------------------------------------------------------
    notebook("imageai-imagenet-cls-model-type-switched-notebook", "model.api_misuse",
             framework="imageai", timeout=600,
             setup=both(prep(SAVE_MOBILENET_IMAGENET), imgs([("images/giraffe.jpg", (300, 260), "RGB")])))
    iai("imageai-custom-cls-detection-config-as-json-path", "model.api_misuse", argv="predict.py",
        forms=["cpython_basic", "chained_during", "multiline_message"], exception="Exception",
        setup=both(prep(SAVE_PPE_CLASSIFIER), imgs([("crops/hand_017.jpg", (120, 120), "RGB")])))
    iai("imageai-custom-cls-upload-bytes", "model.api_misuse", argv="app.py",
        setup=both(prep(SAVE_CLASSIFIER_4), imgs([("uploads/IMG_20240611_101502.jpg", (400, 300), "RGB")])))
    iai("imageai-cls-transfer-weights-download-interrupted", "model.weights_mismatch",
        also=["data.missing_or_corrupt"], argv="train.py",
        setup=both(prep(SAVE_TRUNCATED_MOBILENET),
                   imgs(class_folder("leaf_disease/train", ("healthy", "rust", "scab"), 2)
                        + class_folder("leaf_disease/test", ("healthy", "rust", "scab"), 1))))

    # ImageAI 3 detection training ------------------------------------------------------------------
    iai("imageai-det-trainmodel-given-epochs-and-batch-size", "model.api_misuse", also=["env.version_incompat"],
        argv="train.py", setup=potholes)

    # plain PyTorch notebooks -----------------------------------------------------------------------
    notebook("cls-accuracy-torch-max-without-dim-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/flowers/train", ("daisy", "rose", "tulip"), 3, size=(80, 70))))
    notebook("cls-next-on-dataloader-not-iter-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/sign_language/train", ("A", "B", "C"), 2)))
    notebook("cls-cv2-images-np-array-inhomogeneous-notebook", "data.image_size_mismatch",
             setup=imgs([(f"data/fruits/{c}/{c}_{i:02d}.jpg", (90 + 13 * i, 70 + 7 * i), "RGB")
                         for c in ("apple", "banana") for i in range(3)]))
    script("cls-object-array-torch-from-numpy", "data.image_size_mismatch",
           forms=["cpython_basic", "multiline_message?"],
           setup=imgs([(f"data/leaves/{c}/{c}_{i:02d}.jpg", (100 + 9 * i, 80 + 5 * i), "RGB")
                       for c in ("maple", "oak") for i in range(3)]))
    notebook("transfer-freeze-loop-over-parameters-method-notebook", "model.api_misuse",
             setup=both(prep(SAVE_RESNET18), imgs(class_folder("data/dogs/train", ("beagle", "pug"), 2))))
    notebook("transfer-head-cell-rerun-sequential-in-features-notebook", "model.api_misuse",
             setup=both(prep(SAVE_RESNET18), imgs(class_folder("data/dogs/train", ("husky", "corgi", "poodle"), 2))))
    notebook("transforms-module-shadowed-by-compose-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/birds/train", ("finch", "robin"), 2)
                        + class_folder("data/birds/val", ("finch", "robin"), 1)))
    notebook("criterion-named-loss-overwritten-timed-cell-notebook", "model.api_misuse",
             forms=["no_source_lines"], files={"nb_runner.py": NB_RUNNER_LAST_VALUE},
             setup=imgs(class_folder("data/weather/train", ("cloudy", "rain", "shine"), 4)))
    notebook("tqdm-notebook-without-ipywidgets-notebook", "env.version_incompat",
             setup=imgs(class_folder("data/cells/train", ("infected", "uninfected"), 3)))
    notebook("predict-pil-image-straight-into-model-notebook", "model.api_misuse",
             forms=["ipython_cell", "ipython_arrows", "multiline_message"],
             setup=both(prep(SAVE_SMALL_CNN), imgs([("my_hand.jpg", (240, 320), "RGB")])))
    notebook("predict-topilimage-on-batch-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/textures/train", ("brick", "grass", "wood"), 2, size=(90, 90))))
    notebook("resnet-pretrained-weights-with-num-classes-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/skin_lesions/train", ("mel", "nv", "bcc", "akiec"), 2)))
    notebook("transfer-weights-download-behind-dead-proxy-notebook", "other",
             forms=["ipython_cell", "ipython_arrows", "chained_during?"],
             env={"https_proxy": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
                  "http_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"},
             setup=imgs(class_folder("data/hymenoptera/train", ("ants", "bees"), 2)))
    notebook("loss-history-tensors-into-np-mean-notebook", "optim.autograd_graph", also=["model.api_misuse"],
             setup=imgs(class_folder("data/rice/train", ("basmati", "jasmine", "arborio"), 3)))

    # datasets / loaders ---------------------------------------------------------------------------
    script("dataset-paths-from-readlines-keep-newline-workers", "data.missing_or_corrupt",
           forms=["dataloader_worker"], setup=skin_split)
    script("custom-collate-stacks-int-labels-workers", "model.api_misuse", forms=["dataloader_worker"],
           setup=imgs(class_folder("data/shoes/train", ("boot", "sandal", "sneaker"), 3)))
    script("imagefolder-transform-list-without-compose-workers", "model.api_misuse", forms=["dataloader_worker"],
           setup=imgs(class_folder("data/vegetables/train", ("carrot", "potato"), 3)))

    # torchvision detection -------------------------------------------------------------------------
    fruit = both(prep(SAVE_FRCNN), imgs([("test/fruit_bowl.jpg", (320, 240), "RGB")]))
    notebook("frcnn-inference-read-image-uint8-notebook", "data.dtype", setup=fruit)
    notebook("frcnn-predictions-list-indexed-by-key-notebook", "model.api_misuse", setup=fruit)
    notebook("frcnn-draw-boxes-labels-tensor-notebook", "model.api_misuse", setup=fruit)
    notebook("frcnn-boxes-to-numpy-outside-no-grad-notebook", "optim.autograd_graph", also=["model.api_misuse"],
             setup=fruit)
    script("frcnn-background-images-empty-box-list", "data.bbox_invalid", setup=bridge)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
