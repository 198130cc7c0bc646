"""A sixth held-out set of PyTorch / ImageAI 3 training failures, none of them a
repeat of the scenarios in the other generators: ImageAI 3 DetectionModelTrainer
fed YOLO annotations that Windows tools wrote (UTF-16 from PowerShell, a UTF-8
BOM from Notepad), VOC XML saved under .txt names, YOLOv8 segmentation polygons,
rounding just past 1.0, and a data directory that points at the train split;
CustomObjectDetection with a hand-written config lacking anchors;
VideoObjectDetection with a per-frame callback of the wrong arity, a camera index instead of a
capture object, no output path; CustomImageClassification with a class list
instead of the index mapping; ClassificationModelTrainer given .jfif downloads
and an empty test class. Beginner PyTorch loops on image folders: a
target_transform of ToTensor, RandomCrop larger than Resize, Adam with momentum,
a model constructor never called, a DataLoader over the folder path string,
``labels.size`` without a call, class names indexed by a batch of predictions,
an MLP on unflattened images, StepLR without step_size, a state_dict method
saved instead of called.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more6.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, nb, class_folder, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more6.py"


# ====================================================================== ImageAI detection training
DET_TRAIN = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelType@@MODEL@@()
trainer.setDataDirectory(data_directory="@@DATADIR@@")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=4, num_experiments=10)
trainer.trainModel()
'''


def det_train(model="TinyYOLOv3", datadir="weeds", classes='["thistle", "dock"]'):
    return sub(DET_TRAIN, MODEL="As" + model, DATADIR=datadir, CLASSES=classes)


def yolo_dataset(root="weeds", writer=None, n_train=4, n_val=2):
    """A YOLO-format dataset; writer(path, stem, i) writes each annotation file
    (default: plain, valid YOLO lines)."""

    def setup(work: Path):
        specs = []
        for split, n in (("train", n_train), ("validation", n_val)):
            (work / root / split / "annotations").mkdir(parents=True, exist_ok=True)
            for i in range(n):
                stem = f"field_{split}_{i:03d}"
                specs.append((f"{root}/{split}/images/{stem}.jpg", (160, 120), "RGB"))
                p = work / root / split / "annotations" / f"{stem}.txt"
                lines = (f"0 {0.30 + 0.04 * i:.4f} 0.4100 {0.12 + 0.03 * i:.4f} 0.1800\n"
                         f"1 0.6500 0.5800 0.2100 {0.24 + 0.02 * i:.4f}\n")
                if writer:
                    writer(p, stem, i, lines)
                else:
                    p.write_text(lines)
        make_images(work, specs)
    return setup


def w_utf16(p, stem, i, lines):
    p.write_bytes(lines.replace("\n", "\r\n").encode("utf-16"))   # PowerShell 5: `... > file.txt`


def w_bom(p, stem, i, lines):
    p.write_bytes(b"\xef\xbb\xbf" + lines.replace("\n", "\r\n").encode())   # Notepad "UTF-8 with BOM"


def w_xml(p, stem, i, lines):
    p.write_text(f"""<annotation>
	<folder>images</folder>
	<filename>{stem}.jpg</filename>
	<size><width>160</width><height>120</height><depth>3</depth></size>
	<object><name>thistle</name><bndbox><xmin>30</xmin><ymin>35</ymin><xmax>58</xmax><ymax>62</ymax></bndbox></object>
</annotation>
""")


def w_polygon(p, stem, i, lines):
    # YOLOv8-seg export: class id then x y pairs of a polygon
    p.write_text(f"0 0.2{i} 0.31 0.35 0.30 0.41 0.44 0.33 0.52 0.22 0.47\n"
                 f"1 0.55 0.50 0.71 0.49 0.76 0.63 0.58 0.68\n")


def w_rounding(p, stem, i, lines):
    # a VOC -> YOLO converter that uses (xmax - xmin + 1) / width: full-width boxes end up wider than 1
    if i == 2:
        lines += "1 0.5000 0.5000 1.0063 0.3000\n"
    p.write_text(lines)


# ====================================================================== ImageAI detection inference
CUSTOM_DET = '''
import json
import os
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.Detection.Custom import CustomObjectDetection

# model trained with DetectionModelTrainer (random values, same layout)
anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
os.makedirs("models", exist_ok=True)
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=3).state_dict(), "models/tiny-yolov3_boats_mAP-0.41_epoch-30.pt")

# the json folder was not copied to the Raspberry Pi, so the config is written by hand
with open("boats_config.json", "w") as f:
    json.dump({"labels": ["kayak", "sailboat", "buoy"]}, f, indent=2)

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("models/tiny-yolov3_boats_mAP-0.41_epoch-30.pt")
detector.setJsonPath("boats_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="harbour.jpg", output_image_path="harbour_detected.jpg")
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

VIDEO_HEAD = '''
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.Detection import VideoObjectDetection

# stand-in for tiny-yolov3.pt from the ImageAI release page (same layout, random values)
torch.save(YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=80).state_dict(),
           "tiny-yolov3.pt")

detector = VideoObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
'''

VIDEO = {}
VIDEO["per-frame-function-two-args"] = VIDEO_HEAD + '''

def forFrame(frame_number, output_array):
    print("FOR FRAME", frame_number, "objects:", len(output_array))


video_path = detector.detectObjectsFromVideo(input_file_path="traffic.avi", output_file_path="traffic_detected",
                                             frames_per_second=5, per_frame_function=forFrame,
                                             minimum_percentage_probability=30, log_progress=True)
print(video_path)
'''

VIDEO["camera-index-not-capture"] = VIDEO_HEAD + '''
# webcam on the laptop
video_path = detector.detectObjectsFromVideo(camera_input=0, output_file_path="camera_detected_video",
                                             frames_per_second=20, log_progress=True,
                                             minimum_percentage_probability=40, detection_timeout=10)
print(video_path)
'''

VIDEO["no-output-path-live-only"] = VIDEO_HEAD + '''

def show(frame_number, output_array, output_count):
    print(frame_number, output_count)


# only want the counts, not a video file
detector.detectObjectsFromVideo(input_file_path="traffic.avi", per_frame_function=show,
                                frames_per_second=5, minimum_percentage_probability=30)
'''


def traffic_video(work: Path):
    import cv2
    import numpy as np
    rng = np.random.default_rng(0)
    vw = cv2.VideoWriter(str(work / "traffic.avi"), cv2.VideoWriter_fourcc(*"MJPG"), 5, (160, 120))
    for _ in range(6):
        vw.write(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
    vw.release()


# ====================================================================== ImageAI classification
CLS_LIST_JSON = '''
import json
import os
import torch
import torchvision
from imageai.Classification.Custom import CustomImageClassification

# trained with ClassificationModelTrainer (random values, same layout)
os.makedirs("models", exist_ok=True)
torch.save(torchvision.models.resnet50(num_classes=4).state_dict(), "models/resnet50-birds-test_acc_0.79_epoch-40.pt")
# model_classes.json rebuilt by hand from the train folder names
with open("models/birds_model_classes.json", "w") as f:
    json.dump(sorted(os.listdir("birds/train")), f)

prediction = CustomImageClassification()
prediction.setModelTypeAsResNet50()
prediction.setModelPath("models/resnet50-birds-test_acc_0.79_epoch-40.pt")
prediction.setJsonPath("models/birds_model_classes.json")
prediction.loadModel()
predictions, probabilities = prediction.classifyImage("garden.jpg", result_count=2)
print(predictions, probabilities)
'''

CLS_TRAIN = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("@@DIR@@")
trainer.trainModel(num_experiments=20, batch_size=4)
'''


# ====================================================================== beginner PyTorch loops
TRAIN_HEAD = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
'''

SCRIPTS = {}
SCRIPTS["target-transform-totensor"] = TRAIN_HEAD + '''
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf, target_transform=transforms.ToTensor())
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)

model = torchvision.models.resnet18(num_classes=len(train_data.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):
    for images, labels in train_loader:
        images, labels = images.to(device), labels.to(device)
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"Epoch {epoch + 1}: loss {loss.item():.3f}")
'''

SCRIPTS["randomcrop-larger-than-resize"] = TRAIN_HEAD + '''
train_tf = transforms.Compose([
    transforms.Resize(224),
    transforms.RandomCrop(256),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
])
train_data = datasets.ImageFolder("dataset/train", transform=train_tf)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(train_data.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

for epoch in range(10):
    running = 0.0
    for images, labels in train_loader:
        outputs = model(images.to(device))
        loss = criterion(outputs, labels.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(epoch, running / len(train_loader))
'''

SCRIPTS["adam-with-momentum-kwarg"] = TRAIN_HEAD + '''
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)

model = torchvision.models.mobilenet_v2(num_classes=len(train_data.classes)).to(device)
criterion = nn.CrossEntropyLoss()
# was SGD, switched to Adam because the loss was stuck
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, momentum=0.9)

for epoch in range(20):
    for images, labels in train_loader:
        loss = criterion(model(images.to(device)), labels.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["model-constructor-not-called"] = TRAIN_HEAD + '''
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)

model = torchvision.models.resnet18
model.fc = nn.Linear(512, len(train_data.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    for images, labels in train_loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["dataloader-over-folder-string"] = TRAIN_HEAD + '''
train_dir = "dataset/train"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_data = datasets.ImageFolder(train_dir, transform=tf)
train_loader = DataLoader(train_dir, batch_size=8, shuffle=True)

model = torchvision.models.resnet18(num_classes=len(train_data.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    for images, labels in train_loader:
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["accuracy-labels-size-not-called"] = TRAIN_HEAD + '''
tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf)
val_data = datasets.ImageFolder("dataset/val", transform=tf)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)
val_loader = DataLoader(val_data, batch_size=8)

model = torchvision.models.resnet18(num_classes=len(train_data.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for images, labels in val_loader:
            _, predicted = torch.max(model(images), 1)
            total += labels.size
            correct += (predicted == labels).sum().item()
    print(f"epoch {epoch + 1} val acc {100 * correct / total:.1f}%")
'''

SCRIPTS["class-names-indexed-by-batch-preds"] = TRAIN_HEAD + '''
tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
test_data = datasets.ImageFolder("dataset/val", transform=tf)
test_loader = DataLoader(test_data, batch_size=4)
class_names = test_data.classes

model = torchvision.models.resnet18(num_classes=len(class_names))
model.eval()
with torch.no_grad():
    for images, labels in test_loader:
        preds = model(images).argmax(dim=1)
        print("predicted:", class_names[preds], " actual:", class_names[labels])
'''

SCRIPTS["mlp-on-unflattened-images"] = TRAIN_HEAD + '''
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)


class SimpleNet(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(3 * 64 * 64, 256)
        self.fc2 = nn.Linear(256, num_classes)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        return self.fc2(x)


model = SimpleNet(len(train_data.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for images, labels in train_loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["steplr-without-step-size"] = TRAIN_HEAD + '''
from torch.optim import lr_scheduler

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)

model = torchvision.models.resnet18(num_classes=len(train_data.classes)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer, gamma=0.1)
'''

SCRIPTS["state-dict-method-saved"] = TRAIN_HEAD + '''
tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf)
train_loader = DataLoader(train_data, batch_size=8, shuffle=True)

model = torchvision.models.resnet18(num_classes=len(train_data.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(2):
    for images, labels in train_loader:
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
torch.save(model.state_dict, "fruit_classifier.pth")
print("saved")

# later: reload for inference
model2 = torchvision.models.resnet18(num_classes=len(train_data.classes))
model2.load_state_dict(torch.load("fruit_classifier.pth"))
model2.eval()
'''

TARGET_CELLS = [
    '''import torch
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_data = datasets.ImageFolder("dataset/train", transform=tf)
print(train_data.class_to_idx)''',
    '''loader = DataLoader(train_data, batch_size=4, shuffle=True)
images, labels = next(iter(loader))
print(images.shape, labels)''',
    '''model = torchvision.models.resnet18(num_classes=len(train_data.classes))
model.eval()
img = images[0]
out = model(img.unsqueeze(0))
pred = out.argmax(1)
print("prediction:", train_data.classes[pred], "label:", train_data.classes[labels])''',
]

FRUIT = class_folder("dataset/train", ("apple", "banana", "orange"), 4, size=(80, 64)) + \
    class_folder("dataset/val", ("apple", "banana", "orange"), 2, size=(80, 64))


def jfif_folder(work: Path):
    make_images(work, class_folder("cars/train", ("sedan", "suv"), 4, size=(64, 64))
                + class_folder("cars/test", ("sedan", "suv"), 2, size=(64, 64)))
    # the "pickup" photos were saved from Google Images as .jfif
    make_images(work, [(f"cars/train/pickup/pickup_{i:03d}.jpg", (64, 64), "RGB") for i in range(4)]
                + [(f"cars/test/pickup/pickup_{i:03d}.jpg", (64, 64), "RGB") for i in range(2)])
    for p in list((work / "cars" / "train" / "pickup").glob("*.jpg")):
        p.rename(p.with_suffix(".jfif"))


def empty_test_class(work: Path):
    make_images(work, class_folder("leaves/train", ("healthy", "mildew", "scab"), 4, size=(64, 64))
                + class_folder("leaves/test", ("healthy", "scab"), 2, size=(64, 64)))
    (work / "leaves" / "test" / "mildew").mkdir(parents=True)   # images not copied yet


# ======================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more6-", SCRIPTS)

    def iai(name, cause, text, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + name, cause, {"main.py": text}, forms=forms, argv=["main.py"], **kw)

    # ImageAI detection training -------------------------------------------------------------
    iai("det-annotations-utf16-powershell", "data.missing_or_corrupt", det_train(), also=["data.bbox_invalid"],
        setup=yolo_dataset(writer=w_utf16))
    iai("det-annotations-utf8-bom", "data.missing_or_corrupt", det_train(model="YOLOv3"), also=["data.bbox_invalid"],
        setup=yolo_dataset(writer=w_bom))
    iai("det-annotations-voc-xml-as-txt", "data.bbox_invalid", det_train(), also=["data.missing_or_corrupt"],
        setup=yolo_dataset(writer=w_xml))
    iai("det-annotations-yolov8-seg-polygons", "data.bbox_invalid", det_train(model="YOLOv3"),
        setup=yolo_dataset(writer=w_polygon))
    iai("det-annotations-rounded-past-one", "data.bbox_invalid", det_train(),
        setup=yolo_dataset(writer=w_rounding))
    iai("det-data-directory-is-train-split", "data.missing_or_corrupt", det_train(datadir="weeds/train"),
        also=["model.api_misuse"], setup=yolo_dataset())

    # ImageAI detection inference -------------------------------------------------------------
    iai("custom-detect-config-without-anchors", "model.api_misuse", CUSTOM_DET, also=["data.missing_or_corrupt"],
        setup=imgs([("harbour.jpg", (200, 150), "RGB")]))
    iai("video-per-frame-function-two-args", "model.api_misuse", VIDEO["per-frame-function-two-args"],
        forms=["cpython_basic", "chained_during"], setup=traffic_video)
    iai("video-camera-index-not-capture", "model.api_misuse", VIDEO["camera-index-not-capture"],
        forms=["cpython_basic", "chained_during"])
    iai("video-no-output-path", "model.api_misuse", VIDEO["no-output-path-live-only"], setup=traffic_video)

    # ImageAI classification -------------------------------------------------------------------
    iai("cls-classes-json-as-list", "model.api_misuse", CLS_LIST_JSON, also=["data.missing_or_corrupt"],
        setup=imgs(class_folder("birds/train", ("blackbird", "magpie", "robin", "sparrow"), 1)
                   + [("garden.jpg", (160, 120), "RGB")]))
    iai("cls-train-jfif-class-folder", "data.missing_or_corrupt", sub(CLS_TRAIN, DIR="cars"), setup=jfif_folder)
    iai("cls-train-empty-test-class", "data.missing_or_corrupt", sub(CLS_TRAIN, DIR="leaves"), setup=empty_test_class)

    # beginner PyTorch loops on image folders ------------------------------------------------------
    script("target-transform-totensor", "model.api_misuse", setup=imgs(FRUIT))
    script("randomcrop-larger-than-resize", "model.api_misuse", also=["data.image_size_mismatch"], setup=imgs(FRUIT))
    script("adam-with-momentum-kwarg", "model.api_misuse", setup=imgs(FRUIT))
    script("model-constructor-not-called", "model.api_misuse", setup=imgs(FRUIT))
    script("dataloader-over-folder-string", "model.api_misuse", setup=imgs(FRUIT))
    script("accuracy-labels-size-not-called", "model.api_misuse", setup=imgs(FRUIT))
    script("class-names-indexed-by-batch-preds", "model.api_misuse", setup=imgs(FRUIT))
    script("mlp-on-unflattened-images", "model.input_shape", setup=imgs(FRUIT))
    script("steplr-without-step-size", "model.api_misuse", setup=imgs(FRUIT))
    script("state-dict-method-saved", "model.api_misuse", also=["model.weights_mismatch"],
           forms=["cpython_basic", "multiline_message"], setup=imgs(FRUIT))
    add("notebook-class-name-from-label-batch", "model.api_misuse", nb(TARGET_CELLS),
        forms=["ipython_cell", "ipython_arrows"], argv=["nb_runner.py"], home_is_project=True, setup=imgs(FRUIT))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
