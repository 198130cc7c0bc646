"""A thirty-sixth held-out set (g69, scored 1.00 top-1 and top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: an untargeted sample of
what people training image models on their own data meet, spread over the cause ids roughly as
often as users hit them, none a repeat of the scenarios in the other generators.

- ImageAI 3 (a third of the set): a ClassificationModelTrainer whose test split got a class folder
  the train split lacks, a scraped HTML page saved as ``.jpg`` in a class folder, InceptionV3 with a
  last batch of one image, continuing training from the trainer's own 3-class checkpoint on a 5-class
  set; a DetectionModelTrainer given ``batch_size=1`` (validation loader of batch 0), label files with
  class names instead of ids; ``classifyImage`` given a stack of video frames, ``CustomObjects`` with
  a plural class name, a custom detection config whose labels were written as a dict;
- torchvision / plain PyTorch: video clips shorter than the clip length, PNGs with alpha through
  ``np.array``, ordinal level targets against a K-logit head, float camera ids into an ``Embedding``,
  Colab Drive paths in a CSV run locally, a BatchNorm1d width typo in a custom head, a regression
  with the 1000-class head left on, a backbone-only state dict into the full model, ``make_grid``
  given PIL images, a hand-written NT-Xent with a tiny temperature, a CNN-GRU whose hidden state is
  carried across batches, an all-pairs similarity matrix under a job memory limit, a ``__getattr__``
  delegating dataset under spawn workers, a checkpoint that pickled its transforms under
  ``weights_only``, ``save_image`` into a folder never created.

Every case is a small real program (plain scripts, DataLoader workers, IPython cells) on CPU with
the torch venv (no GPU, no downloads); the label is known by construction.

    /work/venvs/torch/bin/python corpus/generators/torch_more36.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more36.py"

SCRIPTS = {}
CELLS = {}


def boxes(i, classes, base=0.12):
    return "".join(f"{c} {0.25 + 0.2 * j:.3f} {0.3 + 0.15 * j:.3f} {base + 0.05 * j + 0.021 * i:.3f} "
                   f"{base + 0.04 * j + 0.017 * i:.3f}\n" for j, c in enumerate(classes))


# ================================================================== ImageAI 3
SCRIPTS["imageai-cls-trainer-test-split-new-class-folder"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# the test photos came in a second batch from the field team
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("mushrooms")
trainer.trainModel(num_experiments=5, batch_size=4)
'''

SCRIPTS["imageai-cls-trainer-scraped-html-saved-as-jpg"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# images collected with the bing image scraper into dataset/train/<breed>/ and dataset/test/<breed>/
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("dog_breeds")
trainer.trainModel(num_experiments=10, batch_size=4)
'''


def scraped_setup(work: Path):
    specs = class_folder("dog_breeds/train", ["beagle", "husky", "pug"], 3, size=(90, 80))
    specs += class_folder("dog_breeds/test", ["beagle", "husky", "pug"], 1, size=(90, 80))
    specs.append(("dog_breeds/train/husky/husky_scraped_0417.jpg", (1, 1), "text"))
    make_images(work, specs)


SCRIPTS["imageai-cls-trainer-inceptionv3-last-batch-single-image"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsInceptionV3()
trainer.setDataDirectory("bolts")
trainer.trainModel(num_experiments=3, batch_size=4)
'''


def bolts_setup(work: Path):
    specs = [(f"bolts/train/{c}/{c}_{i}.jpg", (120, 100), "RGB") for c, n in (("corroded", 3), ("ok", 2)) for i in range(n)]
    specs += class_folder("bolts/test", ["corroded", "ok"], 1, size=(120, 100))
    make_images(work, specs)


SCRIPTS["imageai-cls-trainer-continue-from-own-3-class-checkpoint"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# round 2: two more insect classes were labelled, continue from the round-1 model
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("insects_v2")
trainer.trainModel(num_experiments=10, batch_size=4,
                   transfer_from_model="insects_v1/models/mobilenet_v2-insects_v1-test_acc_0.77778_epoch-14.pt")
'''

INSECTS5 = ["ant", "bee", "beetle", "moth", "wasp"]

SCRIPTS["imageai-det-train-batch-size-1-small-gpu"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# the laptop GPU ran out of memory at batch_size=4, so go down to one image per step
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="drones")
trainer.setTrainConfig(object_names_array=["drone", "bird"], batch_size=1, num_experiments=20)
trainer.trainModel()
'''

SCRIPTS["imageai-det-train-class-names-in-label-files"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# labels exported from the web tool as "<class> <cx> <cy> <w> <h>"
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="ppe")
trainer.setTrainConfig(object_names_array=["helmet", "vest"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def names_rows(split, i):
    return "".join(f"{n} {0.3 + 0.2 * j:.4f} {0.35 + 0.1 * j:.4f} {0.15 + 0.02 * i:.4f} {0.2 + 0.01 * i:.4f}\n"
                   for j, n in enumerate(["helmet", "vest"]))


CELLS["imageai-custom-cls-classify-stacked-frames-array-notebook"] = [
    '''
import cv2
import numpy as np
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-conveyor-test_acc_0.88889_epoch-11.pt")
clf.setJsonPath("models/conveyor_model_classes.json")
clf.loadModel()
''',
    '''
# grab a few frames from the line camera recording and classify them in one go
cap = cv2.VideoCapture("line_cam.mp4")
frames = []
while len(frames) < 8:
    ok, frame = cap.read()
    if not ok:
        break
    frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
batch = np.stack(frames)
print(batch.shape)
''',
    '''
names, probs = clf.classifyImage(batch, result_count=1)
print(names, probs)
''',
]

VIDEO = '''
import cv2
import numpy as np

rng = np.random.default_rng(0)
out = cv2.VideoWriter("line_cam.mp4", cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
for i in range(12):
    frame = np.full((240, 320, 3), 90, np.uint8)
    cv2.rectangle(frame, (20 + 8 * i, 80), (90 + 8 * i, 150), (40, 40, 200), -1)
    frame = cv2.add(frame, rng.integers(0, 30, frame.shape, dtype=np.uint8))
    out.write(frame)
out.release()
'''

CELLS["imageai-objectdetection-custom-objects-plural-name-notebook"] = [
    '''
from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("weights/tiny-yolov3.pt")
detector.loadModel()
''',
    '''
# only count people and cars in the parking lot snapshots
custom = detector.CustomObjects(persons=True, cars=True)
detections = detector.detectObjectsFromImage(input_image="snapshots/lot_0900.jpg",
                                             output_image_path="snapshots/lot_0900_detected.jpg",
                                             custom_objects=custom, minimum_percentage_probability=30)
print(len(detections))
''',
]

TINY_COCO = '''
import os, torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
os.makedirs("weights", exist_ok=True)
torch.manual_seed(0)
torch.save(YoloV3Tiny(anchors=[10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319], num_classes=80).state_dict(),
           "weights/tiny-yolov3.pt")
'''

SCRIPTS["imageai-custom-detect-config-labels-written-as-dict"] = '''
import json

from imageai.Detection.Custom import CustomObjectDetection

# the json folder of the training run was lost; config rebuilt from the class file and the anchors in the log
config = {
    "labels": {"0": "pothole", "1": "crack"},
    "anchors": [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319],
}
json.dump(config, open("road_detection_config.json", "w"))

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("road/models/tiny-yolov3_road_mAP-0.42000_epoch-57.pt")
detector.setJsonPath("road_detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="survey/frame_00412.jpg",
                                             output_image_path="survey/frame_00412_detected.jpg",
                                             minimum_percentage_probability=1)
for d in detections:
    print(d["name"], d["percentage_probability"], d["box_points"])
'''

# ================================================================== data.image_size_mismatch
SCRIPTS["video-clips-short-video-fewer-frames-workers"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.models.video import r3d_18

CLIP_LEN = 8


class GestureClips(Dataset):
    """one folder of extracted frames per video: data/gestures/<class>/<video_id>/frame_0001.jpg"""

    def __init__(self, root):
        self.videos = sorted(glob.glob(os.path.join(root, "*", "*")))
        self.classes = sorted(os.listdir(root))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.videos)

    def __getitem__(self, i):
        frames = sorted(glob.glob(os.path.join(self.videos[i], "*.jpg")))[:CLIP_LEN]
        clip = torch.stack([self.tf(Image.open(f).convert("RGB")) for f in frames], dim=1)  # C, T, H, W
        label = self.classes.index(os.path.basename(os.path.dirname(self.videos[i])))
        return clip, label


def main():
    ds = GestureClips("data/gestures")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = r3d_18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(3):
        for clips, labels in loader:
            loss = nn.functional.cross_entropy(model(clips), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''


def gestures_setup(work: Path):
    specs = []
    for c in ["swipe_left", "swipe_right", "wave"]:
        for v in range(3):
            n = 5 if (c, v) == ("wave", 1) else 10   # one very short recording
            specs += [(f"data/gestures/{c}/{c}_{v:02d}/frame_{k:04d}.jpg", (80, 60), "RGB") for k in range(n)]
    make_images(work, specs)


# ================================================================== data.image_channels
SCRIPTS["plant-pot-pngs-with-alpha-np-array-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class PotPhotos(Dataset):
    """cut-outs from the greenhouse robot (background removed, saved as PNG)"""

    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*", "*.png")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).resize((96, 96))
        x = torch.from_numpy(np.array(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        y = self.classes.index(os.path.basename(os.path.dirname(self.paths[i])))
        return x, y


def main():
    ds = PotPhotos("data/pots")
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
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

# ================================================================== data.label_shape
SCRIPTS["ordinal-levels-k-minus-1-targets-k-logit-head"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

NUM_GRADES = 5   # diabetic retinopathy grade 0-4


def levels(grade):
    """ordinal encoding (CORAL): grade 2 -> [1, 1, 0, 0]"""
    return torch.tensor([1.0] * grade + [0.0] * (NUM_GRADES - 1 - grade))


class Fundus(Dataset):
    def __init__(self, csv_file, tf):
        self.rows = list(csv.DictReader(open(csv_file)))
        self.tf = tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open("fundus/images/" + r["image"]).convert("RGB"))
        return img, levels(int(r["grade"]))


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
loader = DataLoader(Fundus("fundus/train.csv", tf), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=NUM_GRADES)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def fundus_setup(work: Path):
    make_images(work, [(f"fundus/images/f_{i:03d}.jpg", (100, 100), "RGB") for i in range(8)])
    (work / "fundus/train.csv").write_text("image,grade\n" + "".join(f"f_{i:03d}.jpg,{i % 5}\n" for i in range(8)))


# ================================================================== data.dtype
SCRIPTS["camera-id-embedding-float-ids-from-genfromtxt"] = '''
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

meta = np.genfromtxt("traps/meta.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
N_CAMERAS = 4


class TrapShots(Dataset):
    def __init__(self, meta):
        self.meta = meta
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.meta)

    def __getitem__(self, i):
        row = self.meta[i]
        img = self.tf(Image.open("traps/images/" + row["image"]).convert("RGB"))
        return img, torch.tensor(row["camera"]), int(row["label"])


class ImageAndCamera(nn.Module):
    """camera traps differ a lot; a learned per-camera embedding is concatenated to the CNN features"""

    def __init__(self, n_classes):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.cam = nn.Embedding(N_CAMERAS, 16)
        self.head = nn.Linear(512 + 16, n_classes)

    def forward(self, x, cam):
        return self.head(torch.cat([self.cnn(x), self.cam(cam)], dim=1))


loader = DataLoader(TrapShots(meta), batch_size=4, shuffle=True)
model = ImageAndCamera(3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, cam, y in loader:
        loss = nn.functional.cross_entropy(model(x, cam), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def traps_setup(work: Path):
    make_images(work, [(f"traps/images/t_{i:03d}.jpg", (80, 64), "RGB") for i in range(8)])
    # exported with pandas: the camera column had NaNs before cleaning, so it was written as floats
    rows = "".join(f"t_{i:03d}.jpg,{float(i % 4)},{i % 3}\n" for i in range(8))
    (work / "traps/meta.csv").write_text("image,camera,label\n" + rows)


# ================================================================== data.missing_or_corrupt
CELLS["csv-paths-from-colab-drive-run-locally-notebook"] = [
    '''
import csv
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

# split file made in the Colab version of this notebook
rows = list(csv.DictReader(open("splits/train.csv")))
print(len(rows), rows[0])
''',
    '''
class Skin(Dataset):
    def __init__(self, rows):
        self.rows = rows
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    def __len__(self):
        return len(self.rows)
    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(r["path"]).convert("RGB")), int(r["label"])

loader = DataLoader(Skin(rows), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=2)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]


def skin_setup(work: Path):
    make_images(work, [(f"data/lesions/l_{i:03d}.jpg", (80, 80), "RGB") for i in range(6)])
    (work / "splits").mkdir()
    (work / "splits/train.csv").write_text("path,label\n" + "".join(
        f"/content/drive/MyDrive/lesions/l_{i:03d}.jpg,{i % 2}\n" for i in range(6)))


# ================================================================== model.input_shape
CELLS["custom-head-batchnorm1d-width-typo-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/tiles", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
''',
    '''
model = models.resnet34(weights=None)
model.fc = nn.Sequential(
    nn.Linear(512, 256),
    nn.BatchNorm1d(512),
    nn.ReLU(),
    nn.Dropout(0.3),
    nn.Linear(256, len(ds.classes)),
)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(2):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]

# ================================================================== model.output_mismatch
SCRIPTS["age-regression-resnet-1000-class-head-kept"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Faces(Dataset):
    def __init__(self, csv_file):
        self.rows = list(csv.DictReader(open(csv_file)))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open("faces/" + r["file"]).convert("RGB"))
        return img, torch.tensor(float(r["age"]))


loader = DataLoader(Faces("faces/ages.csv"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None)
criterion = nn.L1Loss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(5):
    for x, age in loader:
        pred = model(x)
        loss = criterion(pred, age)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: MAE {loss.item():.2f} years")
'''


def faces_setup(work: Path):
    make_images(work, [(f"faces/p_{i:03d}.jpg", (72, 72), "RGB") for i in range(8)])
    (work / "faces/ages.csv").write_text("file,age\n" + "".join(f"p_{i:03d}.jpg,{18 + 7 * i}\n" for i in range(8)))


# ================================================================== model.weights_mismatch
SCRIPTS["backbone-features-state-dict-into-full-mobilenet"] = '''
import sys

import torch
from PIL import Image
from torchvision import models, transforms

CLASSES = ["crack", "intact", "spall"]

model = models.mobilenet_v3_small(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("checkpoints/concrete_mnv3_best.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
for path in sys.argv[1:]:
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
    print(path, CLASSES[p.argmax()], f"{p.max():.2f}")
'''

FEATURES_PREP = '''
import os, torch
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
m = models.mobilenet_v3_small(weights=None, num_classes=3)
# what train.py saves when the val loss improves (it fine-tunes only the feature extractor stage 2)
torch.save(m.features.state_dict(), "checkpoints/concrete_mnv3_best.pth")
'''

# ================================================================== model.api_misuse
CELLS["make-grid-given-pil-images-notebook"] = [
    '''
import random
import torch
from torchvision import datasets, transforms
from torchvision.utils import make_grid, save_image

ds = datasets.ImageFolder("data/fish")
print(len(ds), ds.classes)
''',
    '''
# quick look at a few training samples before augmenting
samples = [ds[i][0] for i in random.sample(range(len(ds)), 6)]
grid = make_grid(samples, nrow=3)
save_image(grid, "samples_preview.png")
''',
]

# ================================================================== optim.divergence
SCRIPTS["hand-written-nt-xent-exp-small-temperature-anomaly"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

torch.manual_seed(0)
aug = transforms.Compose([
    transforms.RandomResizedCrop(64, scale=(0.5, 1.0)),
    transforms.RandomHorizontalFlip(),
    transforms.ColorJitter(0.4, 0.4, 0.4),
    transforms.ToTensor(),
])


class TwoViews(Dataset):
    def __init__(self, root):
        self.paths = sorted(glob.glob(root + "/*.jpg"))

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = Image.open(self.paths[i]).convert("RGB")
        return aug(img), aug(img)


def nt_xent(z1, z2, temperature):
    z = torch.cat([z1, z2])                      # not normalised: the projector has a BN at the end
    sim = torch.exp(z @ z.T / temperature)
    n = z1.shape[0]
    pos = torch.cat([torch.diagonal(sim, n), torch.diagonal(sim, -n)])
    denom = sim.sum(1) - torch.diagonal(sim)
    return -torch.log(pos / denom).mean()


encoder = models.resnet18(weights=None)
encoder.fc = nn.Sequential(nn.Linear(512, 128), nn.ReLU(), nn.Linear(128, 64), nn.BatchNorm1d(64))
opt = torch.optim.SGD(encoder.parameters(), lr=0.3, momentum=0.9)
loader = DataLoader(TwoViews("unlabelled"), batch_size=8, shuffle=True, drop_last=True)

torch.autograd.set_detect_anomaly(True)
for epoch in range(5):
    for v1, v2 in loader:
        loss = nt_xent(encoder(v1), encoder(v2), temperature=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== optim.autograd_graph
SCRIPTS["cnn-gru-hidden-state-carried-across-batches"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Frames(Dataset):
    """consecutive frames of the assembly-line camera, labelled step by step"""

    def __init__(self, root):
        self.paths = sorted(glob.glob(os.path.join(root, "*.jpg")))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        step = int(os.path.basename(self.paths[i]).split("_")[1])
        return self.tf(Image.open(self.paths[i]).convert("RGB")), step


class StepTracker(nn.Module):
    def __init__(self, n_steps):
        super().__init__()
        self.cnn = models.resnet18(weights=None)
        self.cnn.fc = nn.Identity()
        self.gru = nn.GRU(512, 128, batch_first=True)
        self.head = nn.Linear(128, n_steps)

    def forward(self, frames, h=None):
        feats = self.cnn(frames).unsqueeze(0)          # the batch is one sequence of frames
        out, h = self.gru(feats, h)
        return self.head(out[0]), h


loader = DataLoader(Frames("line_cam/frames"), batch_size=4, shuffle=False)
model = StepTracker(3)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
hidden = None
for epoch in range(2):
    for x, y in loader:
        logits, hidden = model(x, hidden)              # keep the state so the GRU sees the whole video
        loss = nn.functional.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== resource.host_memory
SCRIPTS["retrieval-eval-all-pairs-similarity-rlimit"] = '''
import resource

import numpy as np
import torch

# slurm job: --mem=2G ; keep the process inside it on the login node too
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (2 * 1024 ** 3, hard))

emb = torch.from_numpy(np.load("embeddings/gallery_emb.npy"))
ids = torch.from_numpy(np.load("embeddings/gallery_ids.npy"))
emb = torch.nn.functional.normalize(emb, dim=1)
print("gallery:", tuple(emb.shape))

# recall@1 over the whole gallery (leave-one-out)
sim = emb @ emb.T
sim.fill_diagonal_(-1)
nn_idx = sim.argmax(1)
print("recall@1:", (ids[nn_idx] == ids).float().mean().item())
'''

EMB_PREP = '''
import os, numpy as np
os.makedirs("embeddings", exist_ok=True)
rng = np.random.default_rng(0)
np.save("embeddings/gallery_emb.npy", rng.standard_normal((32000, 128), dtype=np.float32))
np.save("embeddings/gallery_ids.npy", rng.integers(0, 3000, 32000))
'''

# ================================================================== env.multiprocessing
SCRIPTS["getattr-delegating-dataset-wrapper-spawn-workers"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, models, transforms


class WithIndex(Dataset):
    """wraps a dataset and also returns the sample index (for the noisy-label analysis);
    everything else (classes, samples, targets ...) is forwarded to the wrapped dataset"""

    def __init__(self, base):
        self.base = base

    def __getattr__(self, name):
        return getattr(self.base, name)

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        x, y = self.base[i]
        return x, y, i


def main():
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = WithIndex(datasets.ImageFolder("data/pollen", transform=tf))
    print(ds.classes)
    # macOS: DataLoader workers are started with spawn
    loader = DataLoader(ds, batch_size=4, shuffle=True, num_workers=2, multiprocessing_context="spawn")
    model = models.resnet18(weights=None, num_classes=len(ds.classes))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(2):
        for x, y, idx in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

# ================================================================== env.version_incompat
SCRIPTS["checkpoint-with-pickled-transforms-weights-only-default"] = '''
import sys

import torch
from PIL import Image
from torchvision import models

# the checkpoint carries its own preprocessing (saved by train.py in 2023)
ckpt = torch.load("export/bird_classifier.pth", map_location="cpu")
model = models.resnet18(weights=None, num_classes=len(ckpt["classes"]))
model.load_state_dict(ckpt["model"])
model.eval()
tf = ckpt["transform"]

for path in sys.argv[1:]:
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
    print(path, ckpt["classes"][p.argmax()])
'''

BIRD_PREP = '''
import os, torch
from torchvision import models, transforms
os.makedirs("export", exist_ok=True)
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
torch.save({"model": models.resnet18(weights=None, num_classes=3).state_dict(),
            "classes": ["finch", "robin", "sparrow"], "transform": tf},
           "export/bird_classifier.pth")
'''

# ================================================================== other
CELLS["save-image-samples-folder-never-created-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from torchvision.utils import save_image

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/textures", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
''',
    '''
ae = nn.Sequential(
    nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
    nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(16, 3, 4, 2, 1), nn.Sigmoid())
opt = torch.optim.Adam(ae.parameters(), lr=1e-3)
for epoch in range(2):
    for x, _ in loader:
        recon = ae(x)
        loss = nn.functional.mse_loss(recon, x)
        opt.zero_grad(); loss.backward(); opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
    save_image(torch.cat([x, recon.detach()]), f"outputs/recon/epoch_{epoch:03d}.png", nrow=4)
''',
]


def cases():
    out, add, script, notebook = case_builders("torch-more36-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ["cpython_basic", "progress_bars?"]

    def iai(key, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        script(key, cause, **kw)

    def iai_nb(name, cause, **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        notebook(name, cause, **kw)

    # ---------------------------------------------------------------- ImageAI 3
    iai("imageai-cls-trainer-test-split-new-class-folder", "data.label_out_of_range", forms=P,
        setup=imgs(class_folder("mushrooms/train", ["chanterelle", "morel", "porcini"], 2, size=(90, 80))
                   + class_folder("mushrooms/test", ["chanterelle", "death_cap", "morel", "porcini"], 2,
                                  size=(90, 80))))
    iai("imageai-cls-trainer-scraped-html-saved-as-jpg", "data.missing_or_corrupt", forms=P, setup=scraped_setup)
    iai("imageai-cls-trainer-inceptionv3-last-batch-single-image", "other", forms=P, also=["model.input_shape"],
        setup=bolts_setup)
    iai("imageai-cls-trainer-continue-from-own-3-class-checkpoint", "model.weights_mismatch", forms=P,
        setup=both(imgs(class_folder("insects_v2/train", INSECTS5, 2, size=(80, 80))
                        + class_folder("insects_v2/test", INSECTS5, 1, size=(80, 80))),
                   save_cls("mobilenet_v2", '["ant", "bee", "wasp"]',
                            "insects_v1/models/mobilenet_v2-insects_v1-test_acc_0.77778_epoch-14.pt",
                            "insects_v1/models/insects_v1_model_classes.json")))
    iai("imageai-det-train-batch-size-1-small-gpu", "model.api_misuse", forms=P,
        setup=yolo_layout("drones", lambda s, i: boxes(i, [0, 1]), size=(240, 180)))
    iai("imageai-det-train-class-names-in-label-files", "data.bbox_invalid", forms=P,
        also=["data.missing_or_corrupt"], setup=yolo_layout("ppe", names_rows, size=(240, 180)))
    iai_nb("imageai-custom-cls-classify-stacked-frames-array-notebook", "model.api_misuse",
           setup=both(save_cls("mobilenet_v2", '["empty", "jammed", "ok"]',
                               "models/mobilenet_v2-conveyor-test_acc_0.88889_epoch-11.pt",
                               "models/conveyor_model_classes.json"), prep(VIDEO)))
    iai_nb("imageai-objectdetection-custom-objects-plural-name-notebook", "model.api_misuse",
           setup=both(prep(TINY_COCO), imgs([("snapshots/lot_0900.jpg", (320, 240), "RGB")])))
    iai("imageai-custom-detect-config-labels-written-as-dict", "model.api_misuse", argv="detect.py",
        setup=both(save_tiny('["pothole", "crack"]', 2, "road/models/tiny-yolov3_road_mAP-0.42000_epoch-57.pt",
                             "road/json/road_tiny-yolov3_detection_config.json"),
                   imgs([("survey/frame_00412.jpg", (320, 240), "RGB")])))

    # ---------------------------------------------------------------- torch / torchvision
    script("video-clips-short-video-fewer-frames-workers", "data.image_size_mismatch", forms=W,
           setup=gestures_setup)
    script("plant-pot-pngs-with-alpha-np-array-workers", "data.image_channels",
           setup=imgs(class_folder("data/pots", ["basil", "mint", "thyme"], 3, size=(100, 100), mode="RGBA",
                                   ext="png")))
    script("ordinal-levels-k-minus-1-targets-k-logit-head", "data.label_shape", also=["model.output_mismatch"],
           setup=fundus_setup)
    script("camera-id-embedding-float-ids-from-genfromtxt", "data.dtype", setup=traps_setup)
    notebook("csv-paths-from-colab-drive-run-locally-notebook", "data.missing_or_corrupt", setup=skin_setup)
    notebook("custom-head-batchnorm1d-width-typo-notebook", "model.input_shape",
             setup=imgs(class_folder("data/tiles", ["cracked", "stained", "whole"], 2, size=(70, 70))))
    script("age-regression-resnet-1000-class-head-kept", "model.output_mismatch", also=["data.label_shape"],
           setup=faces_setup)
    script("backbone-features-state-dict-into-full-mobilenet", "model.weights_mismatch", argv="predict.py",
           args=("inspect/wall_07.jpg",),
           setup=both(prep(FEATURES_PREP), imgs([("inspect/wall_07.jpg", (160, 120), "RGB")])))
    notebook("make-grid-given-pil-images-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/fish", ["bass", "carp", "trout"], 3, size=(90, 70))))
    script("hand-written-nt-xent-exp-small-temperature-anomaly", "optim.divergence",
           setup=imgs([(f"unlabelled/u_{i:03d}.jpg", (80, 80), "RGB") for i in range(16)]))
    script("cnn-gru-hidden-state-carried-across-batches", "optim.autograd_graph",
           setup=imgs([(f"line_cam/frames/f_{k // 4 % 3}_{k:04d}.jpg", (80, 60), "RGB") for k in range(12)]))
    script("retrieval-eval-all-pairs-similarity-rlimit", "resource.host_memory", argv="eval_retrieval.py",
           setup=prep(EMB_PREP))
    script("getattr-delegating-dataset-wrapper-spawn-workers", "env.multiprocessing", forms=W,
           setup=imgs(class_folder("data/pollen", ["birch", "grass", "oak"], 2, size=(70, 70))))
    script("checkpoint-with-pickled-transforms-weights-only-default", "env.version_incompat", argv="predict.py",
           args=("birds/IMG_0042.jpg",), also=["model.weights_mismatch"],
           setup=both(prep(BIRD_PREP), imgs([("birds/IMG_0042.jpg", (120, 100), "RGB")])))
    notebook("save-image-samples-folder-never-created-notebook", "other",
             setup=imgs(class_folder("data/textures", ["bark", "brick", "gravel"], 2, size=(48, 48))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
