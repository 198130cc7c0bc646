"""A thirty-ninth held-out set (g76, scored 0.93 top-1 and 0.96 top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: an untargeted sample of
what people training image classifiers and detectors on their own data meet in scripts and
notebooks, spread over the cause ids roughly as often as users hit them, none a repeat of the
scenarios in the other generators.

- ImageAI 3 (about a third): a ClassificationModelTrainer whose test split has an empty class folder,
  transfer learning from the user's own torchvision training checkpoint dict, a ``Thumbs.db`` among
  the photos classified one by one, ``classifyImage`` given a list of paths (notebook); a
  DetectionModelTrainer given a float batch size, label files saved with a UTF-8 byte-order mark,
  LabelImg ids that kept its predefined class list, a ``CustomObjectDetection`` result drawn with
  an unpacked ``box_points`` list;
- torchvision / plain PyTorch: RGB-D pairs whose depth maps come at the sensor resolution (in
  workers), grayscale ``.npy`` frames permuted as HWC, a class missing from the train split under a
  head sized by the train classes, a per-batch ``one_hot`` without ``num_classes`` (notebook, tqdm),
  JSON booleans as BCE targets, a flat Kaggle test folder under ``ImageFolder``, a split list with
  Windows line endings read with ``split("\\n")`` (in workers), boxes cached as ``uint8``, one image
  without a batch axis into a BatchNorm net, a decoder without ``output_padding``, a ``torch.compile``
  checkpoint's ``_orig_mod.`` keys, ``shuffle`` with a sampler, ``model.parameters`` not called, a
  gamma < 1 focal loss under anomaly mode, a GAN discriminator step on undetached fakes, a one-hot of
  ADE20K masks under a job memory limit, ``set_start_method`` in a re-run notebook cell,
  ``torch.lstsq`` in an old face-alignment helper, and a checkpoint path joined with an int.

Every case is a small real program (plain scripts, DataLoader workers, IPython cells) on CPU with
the torch venv (no GPU, no downloads); the label is known by construction.

    EE_TORCH_VENV=/work/venvs/torch /work/venvs/torch/bin/python corpus/generators/torch_more39.py [-k filter] [--out DIR] [-j N]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, yolo_layout, case_builders  # noqa: E402,F401
from _record import run_cases  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more39.py"

SCRIPTS = {}
CELLS = {}


def boxes(i, classes, base=0.12):
    return "".join(f"{c} {0.25 + 0.2 * j:.3f} {0.3 + 0.15 * j:.3f} {base + 0.05 * j + 0.021 * i:.3f} "
                   f"{base + 0.04 * j + 0.017 * i:.3f}\n" for j, c in enumerate(classes))


# ================================================================== ImageAI 3
SCRIPTS["imageai-cls-trainer-empty-test-class-folder"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# test/ was filled by a split script that moves 20% of every class; "rusty" had only a few photos
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("cans")
trainer.trainModel(num_experiments=10, batch_size=4)
'''


def cans_setup(work: Path):
    make_images(work, class_folder("cans/train", ["crushed", "intact", "rusty"], 2, size=(80, 90))
                + class_folder("cans/test", ["crushed", "intact"], 1, size=(80, 90)))
    (work / "cans/test/rusty").mkdir(parents=True)


SCRIPTS["imageai-cls-trainer-transfer-from-own-torchvision-checkpoint-dict"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

# warm start from the model trained last month with our own torchvision script (checkpoints/last.pth)
trainer = ClassificationModelTrainer()
trainer.setModelTypeAsMobileNetV2()
trainer.setDataDirectory("leaf_disease")
trainer.trainModel(num_experiments=10, batch_size=4, transfer_from_model="checkpoints/last.pth")
'''

OWN_CKPT = '''
import os, torch
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
m = models.mobilenet_v2(weights=None, num_classes=3)
opt = torch.optim.SGD(m.parameters(), lr=0.01, momentum=0.9)
torch.save({"epoch": 23, "model": m.state_dict(), "optimizer": opt.state_dict(), "best_acc": 0.91},
           "checkpoints/last.pth")
'''

SCRIPTS["imageai-custom-cls-folder-loop-thumbs-db"] = '''
import os

from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsMobileNetV2()
clf.setModelPath("models/mobilenet_v2-parcels-test_acc_0.83333_epoch-7.pt")
clf.setJsonPath("models/parcels_model_classes.json")
clf.loadModel()

# photos copied from the warehouse PC share
folder = "incoming"
for name in sorted(os.listdir(folder)):
    labels, probs = clf.classifyImage(os.path.join(folder, name), result_count=1)
    print(f"{name}: {labels[0]} ({probs[0]:.1f}%)")
'''


def thumbs_setup(work: Path):
    make_images(work, [(f"incoming/IMG_{i:04d}.jpg", (120, 90), "RGB") for i in range(3)])
    import random
    rnd = random.Random(1)
    (work / "incoming/Thumbs.db").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(rnd.randrange(256) for _ in range(3000)))


CELLS["imageai-custom-cls-classify-list-of-paths-notebook"] = [
    '''
import glob
from imageai.Classification.Custom import CustomImageClassification

clf = CustomImageClassification()
clf.setModelTypeAsResNet50()
clf.setModelPath("models/resnet50-coffee-test_acc_0.91667_epoch-18.pt")
clf.setJsonPath("models/coffee_model_classes.json")
clf.loadModel()
''',
    '''
# classify the whole batch of bean photos at once
paths = sorted(glob.glob("beans/*.jpg"))
labels, probs = clf.classifyImage(paths, result_count=1)
for p, l, s in zip(paths, labels, probs):
    print(p, l, s)
''',
]

SCRIPTS["imageai-det-trainer-batch-size-float-division"] = '''
import os

from imageai.Detection.Custom import DetectionModelTrainer

DATA = "kelp"
n_train = len(os.listdir(os.path.join(DATA, "train", "images")))
batch_size = n_train / 3          # three steps per epoch on this small pilot set
print("train images:", n_train, "batch size:", batch_size)

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory=DATA)
trainer.setTrainConfig(object_names_array=["kelp", "urchin"], batch_size=batch_size, num_experiments=30)
trainer.trainModel()
'''

SCRIPTS["imageai-det-trainer-label-files-utf8-bom"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# the second half of the labels was fixed by hand in Notepad on the office PC
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="solar_panels")
trainer.setTrainConfig(object_names_array=["hotspot", "crack"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def bom_rows(split, i):
    rows = boxes(i, [0, 1])
    return ("\ufeff" + rows) if (split == "train" and i >= 3) else rows


SCRIPTS["imageai-det-trainer-labelimg-predefined-classes-ids"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

# labelled with LabelImg in YOLO mode; our two classes were typed in the class box
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="beehive")
trainer.setTrainConfig(object_names_array=["bee", "varroa"], batch_size=4, num_experiments=20)
trainer.trainModel()
'''


def labelimg_setup(work: Path):
    # LabelImg ships data/predefined_classes.txt (dog, person, cat, ... 15 names); new names get 15, 16
    yolo_layout("beehive", lambda s, i: boxes(i, [15, 16]), size=(240, 180))(work)
    (work / "beehive/train/annotations/classes.txt").write_text(
        "dog\nperson\ncat\ntv\ncar\nmeatballs\nmarinara sauce\ntomato soup\nchicken noodle soup\n"
        "french onion soup\nchicken breast\nribs\npulled pork\nhamburger\ncavity\nbee\nvarroa\n")


SCRIPTS["imageai-custom-detect-box-points-unpacked-as-pairs"] = '''
import cv2

from imageai.Detection.Custom import CustomObjectDetection

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("forklift/models/tiny-yolov3_forklift_mAP-0.61000_epoch-40.pt")
detector.setJsonPath("forklift/json/forklift_tiny-yolov3_detection_config.json")
detector.loadModel()

frame = cv2.imread("dock/cam2_0815.jpg")
detections = detector.detectObjectsFromImage(input_image=frame, output_type="array",
                                             minimum_percentage_probability=1)[1]
print(len(detections), "detections")
for d in detections:
    (x1, y1), (x2, y2) = d["box_points"]        # like cv2.rectangle's pt1, pt2
    cv2.rectangle(frame, (x1, y1), (x2, y2), (0, 0, 255), 2)
cv2.imwrite("dock/cam2_0815_boxes.jpg", frame)
'''

# ================================================================== data.image_size_mismatch
SCRIPTS["rgbd-pairs-depth-at-sensor-resolution-workers"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class GraspRGBD(Dataset):
    """rgb/<id>.png (colour camera) + depth/<id>.png (16-bit depth, mm), label in the file name"""

    def __init__(self, root):
        self.ids = sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(root, "rgb", "*.png")))
        self.root = root

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        rgb = Image.open(f"{self.root}/rgb/{self.ids[i]}.png").convert("RGB").resize((64, 64))
        depth = np.array(Image.open(f"{self.root}/depth/{self.ids[i]}.png"), dtype=np.float32) / 1000.0
        x = torch.cat([TF.to_tensor(rgb), torch.from_numpy(depth)[None]], dim=0)    # 4 x H x W
        return x, int(self.ids[i].split("_")[0] == "ok")


def main():
    loader = DataLoader(GraspRGBD("grasps"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=2)
    model.conv1 = nn.Conv2d(4, 64, 7, 2, 3, bias=False)
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


def grasps_setup(work: Path):
    import numpy as np
    from PIL import Image
    make_images(work, [(f"grasps/rgb/{k}_{i:03d}.png", (128, 96), "RGB") for k in ("ok", "slip") for i in range(3)])
    (work / "grasps/depth").mkdir(parents=True)
    rng = np.random.default_rng(0)
    for k in ("ok", "slip"):
        for i in range(3):
            Image.fromarray(rng.integers(300, 1500, (48, 64)).astype(np.uint16)).save(
                work / f"grasps/depth/{k}_{i:03d}.png")


# ================================================================== data.image_channels
SCRIPTS["npy-frames-some-saved-grayscale-permute-hwc"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models
from tqdm import tqdm


class FrameArrays(Dataset):
    """frames dumped by the capture tool as .npy (H, W, C uint8); label = first part of the name"""

    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))
        self.classes = sorted({f.split("/")[-1].split("_")[0] for f in self.files})

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        arr = np.load(self.files[i])
        x = torch.from_numpy(arr).permute(2, 0, 1).float() / 255.0
        return x, self.classes.index(self.files[i].split("/")[-1].split("_")[0])


ds = FrameArrays("frames/*.npy")
loader = DataLoader(ds, batch_size=4, shuffle=False)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in tqdm(loader, desc=f"epoch {epoch}"):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''


def frames_setup(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    (work / "frames").mkdir()
    for i in range(8):
        cls = ["empty", "person"][i % 2]
        # the night-time frames (IR camera) came out single channel
        shape = (64, 64) if i == 5 else (64, 64, 3)
        np.save(work / f"frames/{cls}_{i:03d}.npy", rng.integers(0, 255, shape, dtype=np.uint8))


# ================================================================== data.label_out_of_range
SCRIPTS["global-class-index-head-sized-from-train-split"] = '''
import csv

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

rows = list(csv.DictReader(open("birds/labels.csv")))
classes = sorted({r["species"] for r in rows})               # index over the whole sheet
cls_idx = {c: i for i, c in enumerate(classes)}
train_rows = [r for r in rows if r["split"] == "train"]
num_classes = len({r["species"] for r in train_rows})
print("classes:", classes, "-> head of", num_classes)


class Birds(Dataset):
    def __init__(self, rows):
        self.rows = rows
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open("birds/" + r["file"]).convert("RGB")), cls_idx[r["species"]]


loader = DataLoader(Birds(train_rows), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=num_classes)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''


def birds_setup(work: Path):
    make_images(work, [(f"birds/b_{i:03d}.jpg", (80, 80), "RGB") for i in range(10)])
    species = ["finch", "heron", "kestrel", "owl", "wren"]
    lines = []
    for i in range(10):
        sp = species[i % 5]
        split = "val" if sp == "kestrel" or i >= 8 else "train"    # the 2 kestrel photos both went to val
        lines.append(f"b_{i:03d}.jpg,{sp},{split}\n")
    (work / "birds/labels.csv").write_text("file,species,split\n" + "".join(lines))


# ================================================================== data.label_shape
CELLS["per-batch-one-hot-without-num-classes-bce-notebook"] = [
    '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from tqdm.auto import tqdm

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/weather", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=False)
print(ds.classes)
''',
    '''
model = models.resnet18(weights=None, num_classes=len(ds.classes))
criterion = nn.BCEWithLogitsLoss()          # as in the kaggle kernel (smooth targets later)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(2):
    for x, y in tqdm(loader):
        target = F.one_hot(y).float()
        loss = criterion(model(x), target)
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
''',
]

# ================================================================== data.dtype
SCRIPTS["json-boolean-defect-flag-bce-target"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class Welds(Dataset):
    def __init__(self, ann_file):
        self.items = json.load(open(ann_file))       # [{"image": ..., "defective": true}, ...]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        it = self.items[i]
        return self.tf(Image.open("welds/" + it["image"]).convert("RGB")), it["defective"]


loader = DataLoader(Welds("welds/annotations.json"), batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=1)
criterion = nn.BCEWithLogitsLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = criterion(model(x), y.unsqueeze(1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''


def welds_setup(work: Path):
    make_images(work, [(f"welds/w_{i:03d}.jpg", (80, 80), "RGB") for i in range(8)])
    (work / "welds/annotations.json").write_text(json.dumps(
        [{"image": f"w_{i:03d}.jpg", "defective": i % 3 == 0} for i in range(8)]))


# ================================================================== data.missing_or_corrupt
SCRIPTS["kaggle-flat-test-folder-imagefolder"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("input/train", transform=tf)
test_ds = datasets.ImageFolder("input/test", transform=tf)      # for the submission file
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
test_loader = DataLoader(test_ds, batch_size=4)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
'''

SCRIPTS["split-list-crlf-read-with-split-newline-workers"] = '''
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

CLASSES = ["bacterial", "healthy", "viral"]


class Leaves(Dataset):
    def __init__(self, list_file):
        # read as bytes and decode: some lists have accented file names from the field laptops
        self.paths = [p for p in open(list_file, "rb").read().decode("utf-8").split("\\n") if p]
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        p = self.paths[i]
        return self.tf(Image.open(p).convert("RGB")), CLASSES.index(p.split("/")[1])


def main():
    loader = DataLoader(Leaves("splits/train.txt"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(CLASSES))
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


def leaves_setup(work: Path):
    specs = class_folder("leaves", ["bacterial", "healthy", "viral"], 2, size=(80, 80))
    make_images(work, specs)
    (work / "splits").mkdir()
    # the split file was written on the lab's Windows machine
    (work / "splits/train.txt").write_bytes("".join(p + "\r\n" for p, _, _ in specs).encode())


# ================================================================== data.bbox_invalid
SCRIPTS["box-cache-saved-as-uint8-fasterrcnn"] = '''
import glob
import os

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn
from torchvision.transforms import functional as TF


class Potholes(Dataset):
    """boxes come from cache/boxes.npz (built once from the VOC XMLs by build_cache.py)"""

    def __init__(self, root):
        self.images = sorted(glob.glob(os.path.join(root, "*.jpg")))
        cache = np.load("cache/boxes.npz")
        self.boxes = {k: cache[k] for k in cache.files}

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        key = os.path.basename(self.images[i])[:-4]
        b = self.boxes[key]
        target = {"boxes": torch.as_tensor(b, dtype=torch.float32),
                  "labels": torch.ones(len(b), dtype=torch.int64)}
        return TF.to_tensor(Image.open(self.images[i]).convert("RGB")), target


loader = DataLoader(Potholes("roads/images"), batch_size=2, shuffle=False, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=2)
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
model.train()
for epoch in range(2):
    for images, targets in loader:
        losses = model(list(images), list(targets))
        loss = sum(losses.values())
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

BOX_CACHE = '''
import os
import numpy as np
os.makedirs("cache", exist_ok=True)
# build_cache.py: "coordinates are small integers, uint8 keeps the cache tiny"
boxes = {
    "road_000": [[40, 60, 120, 130]],
    "road_001": [[210, 150, 300, 220], [30, 40, 90, 100]],
    "road_002": [[100, 200, 180, 260]],
    "road_003": [[10, 10, 70, 50]],
}
np.savez("cache/boxes.npz", **{k: np.asarray(v).astype(np.uint8) for k, v in boxes.items()})
'''

# ================================================================== model.input_shape
SCRIPTS["predict-single-image-without-batch-axis-batchnorm"] = '''
import sys

import torch
from PIL import Image
from torchvision import models, transforms

CLASSES = ["benign", "malignant", "normal"]
model = models.resnet18(weights=None, num_classes=3)
model.load_state_dict(torch.load("weights/derm_resnet18.pth", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
img = tf(Image.open(sys.argv[1]).convert("RGB"))
with torch.no_grad():
    probs = model(img).softmax(-1)
print(CLASSES[probs.argmax()], probs.max().item())
'''

DERM_PREP = '''
import os, torch
from torchvision import models
os.makedirs("weights", exist_ok=True)
torch.save(models.resnet18(weights=None, num_classes=3).state_dict(), "weights/derm_resnet18.pth")
'''

# ================================================================== model.output_mismatch
CELLS["conv-autoencoder-transpose-without-output-padding-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/fabric", transform=tf)      # only "good" fabric: anomaly detection
loader = DataLoader(ds, batch_size=4, shuffle=True)
''',
    '''
class AE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.ReLU())
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(128, 64, 3, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(32, 3, 3, stride=2, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x))


ae = AE()
opt = torch.optim.Adam(ae.parameters(), lr=1e-3)
criterion = nn.MSELoss()
''',
    '''
for epoch in range(3):
    for x, _ in loader:
        loss = criterion(ae(x), x)
        opt.zero_grad(); loss.backward(); opt.step()
    print(f"epoch {epoch}: {loss.item():.5f}")
''',
]

# ================================================================== model.weights_mismatch
SCRIPTS["torch-compile-checkpoint-orig-mod-prefix"] = '''
import sys

import torch
from PIL import Image
from torchvision import models, transforms

CLASSES = ["cardboard", "glass", "metal", "plastic"]
model = models.efficientnet_b0(weights=None, num_classes=len(CLASSES))
model.load_state_dict(torch.load("runs/exp7/best.pt", map_location="cpu"))
model.eval()

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
for path in sys.argv[1:]:
    with torch.no_grad():
        p = model(tf(Image.open(path).convert("RGB")).unsqueeze(0)).softmax(1)[0]
    print(path, CLASSES[p.argmax()], f"{p.max():.2f}")
'''

COMPILE_PREP = '''
import os, torch
from torchvision import models
os.makedirs("runs/exp7", exist_ok=True)
model = models.efficientnet_b0(weights=None, num_classes=4)
model = torch.compile(model)     # train.py: "2x faster on the A100"
torch.save(model.state_dict(), "runs/exp7/best.pt")
'''

# ================================================================== model.api_misuse
SCRIPTS["weighted-sampler-with-shuffle-true"] = '''
from collections import Counter

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, WeightedRandomSampler
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/xray", transform=tf)
counts = Counter(ds.targets)
print("class counts:", dict(counts))

# oversample the rare class
weights = [1.0 / counts[t] for t in ds.targets]
sampler = WeightedRandomSampler(weights, num_samples=len(weights), replacement=True)
loader = DataLoader(ds, batch_size=4, shuffle=True, sampler=sampler)

model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

CELLS["optimizer-given-parameters-method-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/butterflies", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(ds.classes))
''',
    '''
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters, lr=3e-4, weight_decay=0.05)
''',
    '''
for epoch in range(3):
    for x, y in loader:
        loss = criterion(model(x), y)
        optimizer.zero_grad(); loss.backward(); optimizer.step()
    print(epoch, loss.item())
''',
]

# ================================================================== optim.divergence
SCRIPTS["focal-loss-gamma-below-one-anomaly-mode"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class FocalLoss(nn.Module):
    def __init__(self, gamma=0.5):
        super().__init__()
        self.gamma = gamma

    def forward(self, logits, target):
        p = F.softmax(logits, dim=1)
        pt = p.gather(1, target[:, None]).squeeze(1)
        return (-(1 - pt) ** self.gamma * torch.log(pt + 1e-8)).mean()


torch.manual_seed(0)
tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/defects", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
criterion = FocalLoss(gamma=0.5)     # "gamma < 1 is gentler on the easy examples"
opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)

torch.autograd.set_detect_anomaly(True)
for epoch in range(30):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

# ================================================================== optim.autograd_graph
SCRIPTS["gan-discriminator-step-on-undetached-fakes"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(datasets.ImageFolder("data/pixel_art", transform=tf), batch_size=4, shuffle=True)

G = nn.Sequential(nn.ConvTranspose2d(64, 128, 4, 1, 0), nn.BatchNorm2d(128), nn.ReLU(),
                  nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                  nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
                  nn.ConvTranspose2d(32, 3, 4, 2, 1), nn.Tanh())
D = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.LeakyReLU(0.2),
                  nn.Conv2d(32, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
                  nn.Conv2d(64, 1, 8, 1, 0), nn.Flatten())
bce = nn.BCEWithLogitsLoss()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))

for epoch in range(5):
    for real, _ in tqdm(loader, desc=f"epoch {epoch}"):
        z = torch.randn(real.size(0), 64, 1, 1)
        fake = G(z)
        # discriminator
        d_loss = bce(D(real), torch.ones(real.size(0), 1)) + bce(D(fake), torch.zeros(real.size(0), 1))
        opt_d.zero_grad()
        d_loss.backward()
        opt_d.step()
        # generator
        g_loss = bce(D(fake), torch.ones(real.size(0), 1))
        opt_g.zero_grad()
        g_loss.backward()
        opt_g.step()
'''

# ================================================================== resource.host_memory
SCRIPTS["ade20k-val-masks-one-hot-dice-rlimit"] = '''
import glob
import resource

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

# cluster job: --mem=1G
_, hard = resource.getrlimit(resource.RLIMIT_DATA)
resource.setrlimit(resource.RLIMIT_DATA, (1024 ** 3, hard))

NUM_CLASSES = 150
gts = torch.stack([torch.from_numpy(np.array(Image.open(p), dtype=np.int64)) for p in sorted(glob.glob("val/masks/*.png"))])
preds = torch.stack([torch.from_numpy(np.load(p)) for p in sorted(glob.glob("val/preds/*.npy"))])
print("masks:", tuple(gts.shape))

# dataset-level Dice per class
gt_1h = F.one_hot(gts, NUM_CLASSES).permute(0, 3, 1, 2).float()
pr_1h = F.one_hot(preds, NUM_CLASSES).permute(0, 3, 1, 2).float()
inter = (gt_1h * pr_1h).sum((0, 2, 3))
dice = 2 * inter / (gt_1h.sum((0, 2, 3)) + pr_1h.sum((0, 2, 3)) + 1e-6)
print("mean Dice:", dice.mean().item())
'''

ADE_PREP = '''
import os
import numpy as np
from PIL import Image
os.makedirs("val/masks", exist_ok=True)
os.makedirs("val/preds", exist_ok=True)
rng = np.random.default_rng(0)
for i in range(12):
    Image.fromarray(rng.integers(0, 150, (384, 512), dtype=np.uint8)).save(f"val/masks/ADE_val_{i:08d}.png")
    np.save(f"val/preds/ADE_val_{i:08d}.npy", rng.integers(0, 150, (384, 512)).astype(np.int64))
'''

# ================================================================== env.multiprocessing
CELLS["set-start-method-cell-rerun-notebook"] = [
    '''
import torch
import torch.multiprocessing as mp
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

mp.set_start_method("spawn")       # the forum said fork + OpenCV threads hang the workers
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/coins", transform=tf)
print(len(ds), ds.classes)
''',
    '''
# changed the image size, run the setup cell again
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
''',
    '''
import torch
import torch.multiprocessing as mp
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

mp.set_start_method("spawn")       # the forum said fork + OpenCV threads hang the workers
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/coins", transform=tf)
print(len(ds), ds.classes)
''',
]

# ================================================================== env.version_incompat
SCRIPTS["face-align-similarity-transform-torch-lstsq-workers"] = '''
import glob
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models
import torchvision.transforms.functional as TF

# canonical 5-point template (eyes, nose, mouth corners) for 112x112 crops
TEMPLATE = torch.tensor([[38.3, 51.7], [73.5, 51.5], [56.0, 71.7], [41.5, 92.4], [70.7, 92.2]]) / 112.0


def align(img, pts):
    """similarity transform from the detected landmarks to the template (from an old face repo)"""
    n = pts.shape[0]
    A = torch.zeros(2 * n, 4)
    A[0::2, 0], A[0::2, 1], A[0::2, 2] = pts[:, 0], -pts[:, 1], 1
    A[1::2, 0], A[1::2, 1], A[1::2, 3] = pts[:, 1], pts[:, 0], 1
    b = TEMPLATE.reshape(-1, 1)
    sol, _ = torch.lstsq(b, A)
    a, c, tx, ty = sol[:4, 0]
    theta = torch.tensor([[a, -c, tx], [c, a, ty]])[None]
    grid = F.affine_grid(theta, (1, 3, 112, 112), align_corners=False)
    return F.grid_sample(img[None], grid, align_corners=False)[0]


class Faces(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*.jpg"))
        self.lm = json.load(open(root + "/landmarks.json"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        f = self.files[i]
        img = TF.to_tensor(Image.open(f).convert("RGB"))
        pts = torch.tensor(self.lm[f.split("/")[-1]]) / torch.tensor([img.shape[2], img.shape[1]])
        return align(img, pts), int("smile" in f)


def main():
    loader = DataLoader(Faces("faces"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=2)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


if __name__ == "__main__":
    main()
'''


def faces_setup(work: Path):
    names = [f"{k}_{i:03d}.jpg" for k in ("smile", "neutral") for i in range(3)]
    make_images(work, [(f"faces/{n}", (160, 160), "RGB") for n in names])
    lm = {n: [[60, 70], [100, 70], [80, 95], [65, 120], [95, 120]] for n in names}
    (work / "faces/landmarks.json").write_text(json.dumps(lm))


# ================================================================== other
SCRIPTS["checkpoint-path-joined-with-epoch-int"] = '''
import logging
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                    datefmt="%H:%M:%S")
log = logging.getLogger("train")

CKPT_DIR = "checkpoints"
os.makedirs(CKPT_DIR, exist_ok=True)

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
ds = datasets.ImageFolder("data/gems", transform=tf)
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None, num_classes=len(ds.classes))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(1, 4):
    model.train()
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    log.info("epoch %d loss %.4f", epoch, loss.item())
    torch.save(model.state_dict(), os.path.join(CKPT_DIR, "epoch_", epoch, ".pth"))
'''


def cases():
    out, add, script, notebook = case_builders("torch-more39-", SCRIPTS, CELLS)
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
    iai("imageai-cls-trainer-empty-test-class-folder", "data.missing_or_corrupt", setup=cans_setup)
    iai("imageai-cls-trainer-transfer-from-own-torchvision-checkpoint-dict", "model.weights_mismatch",
        setup=both(imgs(class_folder("leaf_disease/train", ["blight", "healthy", "rust"], 2, size=(80, 80))
                        + class_folder("leaf_disease/test", ["blight", "healthy", "rust"], 1, size=(80, 80))),
                   prep(OWN_CKPT)))
    iai("imageai-custom-cls-folder-loop-thumbs-db", "data.missing_or_corrupt", argv="classify_folder.py",
        setup=both(save_cls("mobilenet_v2", '["damaged", "ok", "wet"]',
                            "models/mobilenet_v2-parcels-test_acc_0.83333_epoch-7.pt",
                            "models/parcels_model_classes.json"), thumbs_setup))
    iai_nb("imageai-custom-cls-classify-list-of-paths-notebook", "model.api_misuse",
           setup=both(save_cls("resnet50", '["defect", "good"]',
                               "models/resnet50-coffee-test_acc_0.91667_epoch-18.pt",
                               "models/coffee_model_classes.json"),
                      imgs([(f"beans/bean_{i:02d}.jpg", (100, 100), "RGB") for i in range(3)])))
    iai("imageai-det-trainer-batch-size-float-division", "model.api_misuse", forms=P,
        setup=yolo_layout("kelp", lambda s, i: boxes(i, [0, 1]), size=(240, 180)))
    iai("imageai-det-trainer-label-files-utf8-bom", "data.missing_or_corrupt", forms=P,
        also=["data.bbox_invalid"], setup=yolo_layout("solar_panels", bom_rows, size=(240, 180)))
    iai("imageai-det-trainer-labelimg-predefined-classes-ids", "data.label_out_of_range", forms=P,
        setup=labelimg_setup)
    iai("imageai-custom-detect-box-points-unpacked-as-pairs", "model.api_misuse", argv="draw_boxes.py",
        also=["other"],
        setup=both(save_tiny('["forklift", "pallet"]', 2, "forklift/models/tiny-yolov3_forklift_mAP-0.61000_epoch-40.pt",
                             "forklift/json/forklift_tiny-yolov3_detection_config.json"),
                   imgs([("dock/cam2_0815.jpg", (320, 240), "RGB")])))

    # ---------------------------------------------------------------- torch / torchvision
    script("rgbd-pairs-depth-at-sensor-resolution-workers", "data.image_size_mismatch", forms=W,
           setup=grasps_setup)
    script("npy-frames-some-saved-grayscale-permute-hwc", "data.image_channels", forms=P, setup=frames_setup)
    script("global-class-index-head-sized-from-train-split", "data.label_out_of_range",
           also=["model.output_mismatch"], setup=birds_setup)
    notebook("per-batch-one-hot-without-num-classes-bce-notebook", "data.label_shape",
             setup=imgs(class_folder("data/weather", ["cloudy", "rain", "shine"], 3, size=(72, 72))))
    script("json-boolean-defect-flag-bce-target", "data.dtype", setup=welds_setup)
    script("kaggle-flat-test-folder-imagefolder", "data.missing_or_corrupt",
           setup=imgs(class_folder("input/train", ["cat", "dog"], 2, size=(72, 72))
                      + [(f"input/test/{i}.jpg", (72, 72), "RGB") for i in range(1, 5)]))
    script("split-list-crlf-read-with-split-newline-workers", "data.missing_or_corrupt", forms=W,
           setup=leaves_setup)
    script("box-cache-saved-as-uint8-fasterrcnn", "data.bbox_invalid", also=["data.dtype"], timeout=400,
           setup=both(prep(BOX_CACHE), imgs([(f"roads/images/road_{i:03d}.jpg", (320, 240), "RGB") for i in range(4)])))
    script("predict-single-image-without-batch-axis-batchnorm", "model.input_shape", argv="predict.py",
           args=("lesion_0193.jpg",), setup=both(prep(DERM_PREP), imgs([("lesion_0193.jpg", (150, 150), "RGB")])))
    notebook("conv-autoencoder-transpose-without-output-padding-notebook", "model.output_mismatch",
             also=["model.input_shape"],
             setup=imgs(class_folder("data/fabric", ["good"], 6, size=(80, 80))))
    script("torch-compile-checkpoint-orig-mod-prefix", "model.weights_mismatch", argv="predict.py",
           args=("bin_0042.jpg",), setup=both(prep(COMPILE_PREP), imgs([("bin_0042.jpg", (120, 120), "RGB")])))
    script("weighted-sampler-with-shuffle-true", "model.api_misuse",
           setup=imgs(class_folder("data/xray", ["normal"], 5, size=(72, 72))
                      + class_folder("data/xray", ["pneumonia"], 2, size=(72, 72))))
    notebook("optimizer-given-parameters-method-notebook", "model.api_misuse",
             setup=imgs(class_folder("data/butterflies", ["monarch", "swallowtail"], 2, size=(72, 72))))
    script("focal-loss-gamma-below-one-anomaly-mode", "optim.divergence", timeout=400,
           setup=imgs(class_folder("data/defects", ["bad", "good"], 4, size=(48, 48))))
    script("gan-discriminator-step-on-undetached-fakes", "optim.autograd_graph", forms=P,
           setup=imgs(class_folder("data/pixel_art", ["sprites"], 8, size=(40, 40))))
    script("ade20k-val-masks-one-hot-dice-rlimit", "resource.host_memory", argv="eval_dice.py",
           setup=prep(ADE_PREP))
    notebook("set-start-method-cell-rerun-notebook", "env.multiprocessing",
             setup=imgs(class_folder("data/coins", ["euro", "yen"], 2, size=(64, 64))))
    script("face-align-similarity-transform-torch-lstsq-workers", "env.version_incompat", forms=W,
           setup=faces_setup)
    script("checkpoint-path-joined-with-epoch-int", "other",
           setup=imgs(class_folder("data/gems", ["amethyst", "garnet", "topaz"], 2, size=(64, 64))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
