"""A forty-fourth held-out set (g86, scored 1.00 top-1 and top-3 before any rule for it) of PyTorch / torchvision / ImageAI 3 failures: an untargeted sample of
what people training image models on their own data meet, in scripts and notebooks, spread over the
cause ids roughly as often as users hit them, none a repeat of the scenarios in the other generators.

- data: a validation ``Resize(256)`` (one int) over portrait and landscape phone photos (tqdm), a
  Sentinel RGB+NIR four-band TIFF into a ResNet (in workers), a fashion multitask colour head sized
  from the config while the colour ids come from the CSV (notebook), per-frame clip labels into a
  clip classifier, 16-bit instance-id PNG masks into cross-entropy (notebook), a glob for ``*.jpg``
  over a camera's ``.JPG`` files, a VOC-to-YOLO converter that reads ``w, h = img.shape[:2]``
  before ImageAI 3 detection training on portrait photos;
- model: ``torch.flatten(x)`` without ``start_dim`` in a custom CNN (notebook), knowledge
  distillation from a 1000-class ImageNet teacher into a 10-class student (tqdm), an EfficientNet-B0
  checkpoint loaded after the config cell switched to B2 (notebook);
- API: ``Adam`` given a list of two ``parameters()`` generators for discriminative learning rates;
- optimisation / autograd: an age regressor with a predicted Normal scale on raw pixels and a high
  learning rate, prototypes of a few-shot head computed once before the loop;
- environment: an ORB keypoint matcher kept in a Dataset under spawn workers, ``np.round_`` in
  an old Kaggle rounding helper (notebook);
- plain bugs: ``for epoch in EPOCHS`` over an int from argparse.

Every case is a small real program (plain scripts, DataLoader workers, IPython cells, tqdm bars)
on CPU with the torch venv (no GPU, no downloads, weights=None); the label is known by
construction.

    EE_TORCH_VENV=/work/venvs/torch /work/venvs/torch/bin/python corpus/generators/torch_more44.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, write, sub, case_builders  # noqa: E402,F401
from _record import run_cases, yolo_layout  # noqa: E402
from _record import ANCHORS6, save_cls, save_tiny  # noqa: E402,F401

SRC = "corpus/generators/torch_more44.py"

SCRIPTS = {}
CELLS = {}

# ================================================================== data.image_size_mismatch
SCRIPTS["val-resize-int-portrait-phone-photos-tqdm"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
train_tf = T.Compose([T.RandomResizedCrop(128), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(MEAN, STD)])
val_tf = T.Compose([T.Resize(144), T.ToTensor(), T.Normalize(MEAN, STD)])

train_ds = datasets.ImageFolder("houseplants/train", train_tf)
val_ds = datasets.ImageFolder("houseplants/val", val_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=4)

model = models.resnet18(weights=None, num_classes=len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(3):
    model.train()
    for x, y in tqdm(train_loader, desc=f"train {epoch}"):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in tqdm(val_loader, desc=f"val {epoch}"):
            correct += (model(x).argmax(1) == y).sum().item()
    print(f"epoch {epoch}: val acc {correct / len(val_ds):.3f}")
'''


def plants_setup(work: Path):
    cls = ["monstera", "pothos", "snake_plant"]
    specs = class_folder("houseplants/train", cls, 3, size=(200, 150))
    for c in cls:
        for i in range(2):
            specs.append((f"houseplants/val/{c}/IMG_{i:04d}.jpg", (150, 200) if i == 1 else (200, 150), "RGB"))
    make_images(work, specs)


# ================================================================== data.image_channels
SCRIPTS["sentinel-rgbn-four-band-tiff-resnet-workers"] = '''
import glob

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

CLASSES = ["forest", "pasture", "river"]


class EuroSATPatches(Dataset):
    """64x64 Sentinel-2 patches exported from QGIS as GeoTIFF (B4, B3, B2, B8)"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.tif"))
        self.tf = T.Compose([T.RandomHorizontalFlip(), T.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        img = Image.open(path)
        return self.tf(img), CLASSES.index(path.split("/")[-2])


def main():
    loader = DataLoader(EuroSATPatches("eurosat/train"), batch_size=4, shuffle=True, num_workers=2)
    model = models.resnet18(weights=None, num_classes=len(CLASSES))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(5):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(epoch, loss.item())


if __name__ == "__main__":
    main()
'''

TIFF_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
for c in ["forest", "pasture", "river"]:
    os.makedirs(f"eurosat/train/{c}", exist_ok=True)
    for i in range(3):
        arr = rng.integers(0, 255, (64, 64, 4), dtype=np.uint8)
        Image.fromarray(arr, "RGBA").save(f"eurosat/train/{c}/{c}_{i}.tif", compression="tiff_deflate")
'''

# ================================================================== data.label_out_of_range
CELLS["fashion-multitask-colour-ids-past-config-head-notebook"] = [
    '''
import csv
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

CONFIG = {"num_types": 4, "num_colours": 5, "img_size": 96}
''',
    '''
rows = list(csv.DictReader(open("fashion/styles.csv")))
types = sorted({r["articleType"] for r in rows})
colours = sorted({r["baseColour"] for r in rows})
type_id = {t: i for i, t in enumerate(types)}
colour_id = {c: i for i, c in enumerate(colours)}
print(len(rows), "products,", len(types), "types,", len(colours), "colours")


class Fashion(Dataset):
    def __init__(self, rows, tf):
        self.rows, self.tf = rows, tf

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = self.tf(Image.open(f"fashion/images/{r['id']}.jpg").convert("RGB"))
        return img, type_id[r["articleType"]], colour_id[r["baseColour"]]


tf = T.Compose([T.Resize((CONFIG["img_size"], CONFIG["img_size"])), T.ToTensor()])
loader = DataLoader(Fashion(rows, tf), batch_size=8, shuffle=True)
''',
    '''
class MultiHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.type_head = nn.Linear(512, CONFIG["num_types"])
        self.colour_head = nn.Linear(512, CONFIG["num_colours"])

    def forward(self, x):
        f = self.backbone(x)
        return self.type_head(f), self.colour_head(f)


model = MultiHead()
ce = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, t, c in loader:
        out_t, out_c = model(x)
        loss = ce(out_t, t) + ce(out_c, c)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''',
]


def fashion_setup(work: Path):
    types = ["Tshirts", "Shirts", "Jeans", "Watches"]
    cols = ["Black", "Blue", "Grey", "Navy Blue", "Red", "White", "Beige"]
    rows = ["id,gender,articleType,baseColour\n"]
    specs = []
    for i in range(16):
        pid = 15970 + i * 37
        rows.append(f"{pid},Men,{types[i % 4]},{cols[i % 7]}\n")
        specs.append((f"fashion/images/{pid}.jpg", (60, 80), "RGB"))
    make_images(work, specs)
    (work / "fashion/styles.csv").write_text("".join(rows))


# ================================================================== data.label_shape
SCRIPTS["action-clip-per-frame-labels-into-clip-classifier"] = '''
import json

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

T_FRAMES = 8


class GestureClips(Dataset):
    """clips/<id>.npy: T x H x W x 3 uint8; labels.json: one gesture id per frame (from the annotation tool)"""

    def __init__(self, root):
        self.labels = json.load(open(f"{root}/labels.json"))
        self.ids = sorted(self.labels)
        self.root = root

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        clip = np.load(f"{self.root}/clips/{self.ids[i]}.npy")[:T_FRAMES]
        x = torch.from_numpy(clip).permute(3, 0, 1, 2).float() / 255.0     # C, T, H, W
        y = torch.tensor(self.labels[self.ids[i]][:T_FRAMES])
        return x, y


class C3DSmall(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool3d((1, 2, 2)),
            nn.Conv3d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1),
        )
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


loader = DataLoader(GestureClips("gestures"), batch_size=4, shuffle=True)
model = C3DSmall(n_classes=5)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y in loader:
        loss = criterion(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''

CLIPS_PREP = '''
import json, os
import numpy as np
rng = np.random.default_rng(0)
os.makedirs("gestures/clips", exist_ok=True)
labels = {}
for i in range(8):
    cid = f"clip_{i:03d}"
    np.save(f"gestures/clips/{cid}.npy", rng.integers(0, 255, (10, 32, 32, 3), dtype=np.uint8))
    g = i % 5
    labels[cid] = [0] * 2 + [g] * 6 + [0] * 2
json.dump(labels, open("gestures/labels.json", "w"))
'''

# ================================================================== data.dtype
CELLS["instance-id-16bit-png-masks-ce-notebook"] = [
    '''
import glob
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.segmentation import fcn_resnet50
import torchvision.transforms.functional as TF


class Nuclei(Dataset):
    """masks exported from the annotation tool as 16-bit PNG label maps (0 = background, 1..3 = class)"""
    def __init__(self, root):
        self.imgs = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, i):
        img = TF.to_tensor(Image.open(self.imgs[i]).convert("RGB"))
        mask = np.array(Image.open(self.imgs[i].replace("/images/", "/masks/")))
        return img, torch.from_numpy(mask)


ds = Nuclei("nuclei/train")
x0, m0 = ds[0]
print(x0.shape, m0.shape, m0.dtype, m0.unique())
''',
    '''
loader = DataLoader(ds, batch_size=2, shuffle=True)
model = fcn_resnet50(weights=None, weights_backbone=None, num_classes=4)
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(2):
    for x, m in loader:
        loss = criterion(model(x)["out"], m)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
''',
]

MASK16_PREP = '''
import os
import numpy as np
from PIL import Image
rng = np.random.default_rng(0)
os.makedirs("nuclei/train/images", exist_ok=True)
os.makedirs("nuclei/train/masks", exist_ok=True)
for i in range(4):
    Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)).save(f"nuclei/train/images/n_{i}.png")
    m = np.zeros((64, 64), dtype=np.uint16)
    m[10:30, 10:30] = 1
    m[35:50, 20:60] = 2 + i % 2
    Image.fromarray(m).save(f"nuclei/train/masks/n_{i}.png")
'''

# ================================================================== data.missing_or_corrupt
SCRIPTS["camera-uppercase-jpg-glob-empty-dataset"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms as T

ROOT = "trailcam"            # copied straight off the SD cards of the trail cameras
CLASSES = sorted(os.listdir(ROOT))


class TrailCam(Dataset):
    def __init__(self, root, tf):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.jpg")))
        self.tf = tf

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        return self.tf(Image.open(p).convert("RGB")), CLASSES.index(os.path.basename(os.path.dirname(p)))


ds = TrailCam(ROOT, T.Compose([T.Resize((96, 96)), T.ToTensor()]))
print("classes:", CLASSES)
loader = DataLoader(ds, batch_size=8, shuffle=True)
model = models.mobilenet_v3_small(weights=None, num_classes=len(CLASSES))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== data.bbox_invalid
SCRIPTS["imageai-voc-to-yolo-converter-shape-hw-swapped"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import cv2
from imageai.Detection.Custom import DetectionModelTrainer

CLASSES = ["parcel", "envelope"]

# step 1: convert the LabelImg VOC xml files to the YOLO txt files ImageAI 3 wants
for split in ("train", "validation"):
    out_dir = f"mail/{split}/annotations"
    os.makedirs(out_dir, exist_ok=True)
    for xml_path in sorted(glob.glob(f"mail_voc/{split}/*.xml")):
        root = ET.parse(xml_path).getroot()
        name = root.find("filename").text
        img = cv2.imread(f"mail/{split}/images/{name}")
        w, h = img.shape[:2]
        lines = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
            cls = CLASSES.index(obj.find("name").text)
            lines.append(f"{cls} {(x1 + x2) / 2 / w:.6f} {(y1 + y2) / 2 / h:.6f} {(x2 - x1) / w:.6f} {(y2 - y1) / h:.6f}")
        with open(os.path.join(out_dir, os.path.splitext(name)[0] + ".txt"), "w") as f:
            f.write("\\n".join(lines) + "\\n")
print("converted")

# step 2: train
trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="mail")
trainer.setTrainConfig(object_names_array=CLASSES, batch_size=2, num_experiments=5)
trainer.trainModel()
'''


def mail_setup(work: Path):
    # portrait phone photos (w=180, h=240) with LabelImg VOC xml files
    yolo_layout("mail", None, size=(180, 240), splits=(("train", 8), ("validation", 2)), write_labels=False)(work)
    for split, n in (("train", 8), ("validation", 2)):
        d = work / "mail_voc" / split
        d.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            name = f"{split[:3]}_{i:04d}.jpg"
            objs = ""
            for j, (cls, box) in enumerate((("parcel", (20 + 3 * i, 120 + 5 * i, 110 + 4 * i, 225)),
                                             ("envelope", (60 + 2 * i, 30, 120 + 6 * i, 60 + 7 * i)))):
                objs += (f"<object><name>{cls}</name><pose>Unspecified</pose><truncated>0</truncated><difficult>0</difficult>"
                         f"<bndbox><xmin>{box[0]}</xmin><ymin>{box[1]}</ymin><xmax>{box[2]}</xmax><ymax>{box[3]}</ymax>"
                         f"</bndbox></object>")
            (d / name.replace(".jpg", ".xml")).write_text(
                f"<annotation><folder>images</folder><filename>{name}</filename><size><width>180</width>"
                f"<height>240</height><depth>3</depth></size>{objs}</annotation>\n")


# ================================================================== model.input_shape
CELLS["torch-flatten-without-start-dim-custom-cnn-notebook"] = [
    '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("weather/train", tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
''',
    '''
class WeatherNet(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = self.gap(x)
        x = torch.flatten(x)
        return self.fc(x)


model = WeatherNet(len(train_ds.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
''',
    '''
for epoch in range(5):
    running = 0.0
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: loss {running / len(train_loader):.4f}")
''',
]

# ================================================================== model.output_mismatch
SCRIPTS["distill-imagenet-teacher-into-ten-class-student-tqdm"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T
from tqdm import tqdm

TEMP = 4.0
ALPHA = 0.7

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
train_ds = datasets.ImageFolder("birds10/train", tf)
loader = DataLoader(train_ds, batch_size=8, shuffle=True)

# big teacher (ImageNet ResNet-50), small student for the Raspberry Pi
teacher = models.resnet50(weights=None)      # weights=ResNet50_Weights.DEFAULT on the lab machine
teacher.eval()
student = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
opt = torch.optim.Adam(student.parameters(), lr=1e-3)


def kd_loss(s_logits, t_logits, y):
    soft = F.kl_div(F.log_softmax(s_logits / TEMP, dim=1), F.softmax(t_logits / TEMP, dim=1),
                    reduction="batchmean") * TEMP * TEMP
    return ALPHA * soft + (1 - ALPHA) * F.cross_entropy(s_logits, y)


for epoch in range(3):
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for x, y in pbar:
        with torch.no_grad():
            t_logits = teacher(x)
        loss = kd_loss(student(x), t_logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        pbar.set_postfix(loss=loss.item())
'''

# ================================================================== model.weights_mismatch
CELLS["efficientnet-b0-checkpoint-after-config-switched-to-b2-notebook"] = [
    '''
import torch
import torch.nn as nn
from torchvision import models

CFG = {"arch": "efficientnet_b2", "num_classes": 6, "ckpt": "checkpoints/leaf_disease_best.pt"}
''',
    '''
def build(cfg):
    m = getattr(models, cfg["arch"])(weights=None)
    m.classifier[1] = nn.Linear(m.classifier[1].in_features, cfg["num_classes"])
    return m

model = build(CFG)
state = torch.load(CFG["ckpt"], map_location="cpu")
model.load_state_dict(state)
print("resumed from", CFG["ckpt"])
''',
]

B0_PREP = '''
import os, torch, torch.nn as nn
from torchvision import models
os.makedirs("checkpoints", exist_ok=True)
m = models.efficientnet_b0(weights=None)
m.classifier[1] = nn.Linear(m.classifier[1].in_features, 6)
torch.save(m.state_dict(), "checkpoints/leaf_disease_best.pt")
'''

# ================================================================== model.api_misuse
SCRIPTS["adam-given-list-of-parameter-generators-discriminative-lr"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
loader = DataLoader(datasets.ImageFolder("xray/train", tf), batch_size=8, shuffle=True)

model = models.resnet34(weights=None)
model.fc = nn.Linear(model.fc.in_features, 2)

# fine-tune: small lr for the backbone, larger for the new head
backbone = [p for n, p in model.named_parameters() if not n.startswith("fc.")]
optimizer = torch.optim.Adam([iter(backbone), model.fc.parameters()], lr=1e-4)

for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

# ================================================================== optim.divergence
SCRIPTS["age-regressor-predicted-normal-scale-raw-pixels-high-lr"] = '''
import glob
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class UTKFace(Dataset):
    """UTKFace file names: <age>_<gender>_<race>_<date>.jpg"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        p = self.files[i]
        img = np.asarray(Image.open(p).convert("RGB").resize((48, 48)), dtype=np.float32)
        age = float(os.path.basename(p).split("_")[0])
        return torch.from_numpy(img).permute(2, 0, 1), torch.tensor(age)


class AgeNet(nn.Module):
    """predicts the mean and the spread of the age (aleatoric uncertainty)"""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(), nn.Conv2d(16, 32, 3, stride=2), nn.ReLU(),
                                  nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.mu = nn.Linear(32, 1)
        self.log_sigma = nn.Linear(32, 1)

    def forward(self, x):
        f = self.body(x)
        return self.mu(f).squeeze(1), self.log_sigma(f).squeeze(1).exp()


loader = DataLoader(UTKFace("UTKFace"), batch_size=8, shuffle=True)
model = AgeNet()
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(30):
    for x, age in loader:
        mu, sigma = model(x)
        dist = torch.distributions.Normal(mu, sigma)
        loss = -dist.log_prob(age).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"epoch {epoch}: nll {loss.item():.3f}")
'''


def utk_setup(work: Path):
    ages = [1, 4, 23, 26, 35, 45, 52, 61, 70, 85, 29, 33]
    make_images(work, [(f"UTKFace/{a}_{i % 2}_{i % 4}_20170116{i:06d}.jpg.chip.jpg", (200, 200), "RGB")
                       for i, a in enumerate(ages)])


# ================================================================== optim.autograd_graph
SCRIPTS["few-shot-prototypes-computed-once-before-loop"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
support = datasets.ImageFolder("pcb_defects/support", tf)     # 3 labelled examples per defect
query = datasets.ImageFolder("pcb_defects/query", tf)

encoder = models.resnet18(weights=None)
encoder.fc = nn.Identity()
opt = torch.optim.Adam(encoder.parameters(), lr=1e-4)

# class prototypes = mean embedding of the support images of each class
xs, ys = next(iter(DataLoader(support, batch_size=len(support))))
emb = encoder(xs)
prototypes = torch.stack([emb[ys == c].mean(0) for c in range(len(support.classes))])

for epoch in range(5):
    for xq, yq in DataLoader(query, batch_size=4, shuffle=True):
        logits = -torch.cdist(encoder(xq), prototypes)
        loss = F.cross_entropy(logits, yq)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

# ================================================================== env.multiprocessing
SCRIPTS["orb-matcher-kept-in-dataset-spawn-workers"] = '''
import glob

import cv2
import numpy as np
import torch
import torch.multiprocessing as mp
from torch.utils.data import DataLoader, Dataset


class OrbPairs(Dataset):
    """patch pairs for a learned descriptor: ORB keypoints of each photo and their crops"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))
        self.orb = cv2.ORB_create(nfeatures=64)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = cv2.imread(self.files[i], cv2.IMREAD_GRAYSCALE)
        kps = self.orb.detect(img, None)
        pts = np.array([k.pt for k in kps[:16]], dtype=np.float32)
        pts = np.pad(pts, ((0, 16 - len(pts)), (0, 0)))
        return torch.from_numpy(img).float()[None] / 255.0, torch.from_numpy(pts)


def main():
    loader = DataLoader(OrbPairs("landmarks"), batch_size=2, shuffle=True, num_workers=2)
    for imgs, pts in loader:
        print(imgs.shape, pts.shape)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    main()
'''

# ================================================================== env.version_incompat
CELLS["np-round-underscore-old-kaggle-helper-notebook"] = [
    '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
val_ds = datasets.ImageFolder("ships/val", tf)
model = models.resnet18(weights=None)
model.fc = nn.Linear(512, 1)
model.eval()
''',
    '''
# helper from the competition starter kernel (2019)
def binary_accuracy(probs, targets, threshold=0.5):
    preds = np.round_(probs - threshold + 0.5)
    return (preds == targets).mean()

probs, ys = [], []
with torch.no_grad():
    for x, y in DataLoader(val_ds, batch_size=8):
        probs.append(torch.sigmoid(model(x)).squeeze(1).numpy())
        ys.append(y.numpy())
print("val acc:", binary_accuracy(np.concatenate(probs), np.concatenate(ys)))
''',
]

# ================================================================== other
SCRIPTS["for-epoch-in-int-epochs-argparse"] = '''
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms as T

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="dogs_vs_cats")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--lr", type=float, default=1e-3)
args = parser.parse_args()

EPOCHS = args.epochs
tf = T.Compose([T.Resize((64, 64)), T.ToTensor()])
loader = DataLoader(datasets.ImageFolder(f"{args.data}/train", tf), batch_size=8, shuffle=True)
model = models.resnet18(weights=None, num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
print(f"training for {EPOCHS} epochs on {len(loader.dataset)} images")

for epoch in EPOCHS:
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def cases():
    out, add, script, notebook = case_builders("torch-more44-", SCRIPTS, CELLS)
    W = ("cpython_basic", "dataloader_worker")
    P = ("cpython_basic", "progress_bars")

    script("val-resize-int-portrait-phone-photos-tqdm", "data.image_size_mismatch", forms=P, setup=plants_setup)
    script("sentinel-rgbn-four-band-tiff-resnet-workers", "data.image_channels", setup=prep(TIFF_PREP))
    notebook("fashion-multitask-colour-ids-past-config-head-notebook", "data.label_out_of_range",
             also=["model.output_mismatch"], setup=fashion_setup)
    script("action-clip-per-frame-labels-into-clip-classifier", "data.label_shape", setup=prep(CLIPS_PREP))
    notebook("instance-id-16bit-png-masks-ce-notebook", "data.dtype", setup=prep(MASK16_PREP))
    script("camera-uppercase-jpg-glob-empty-dataset", "data.missing_or_corrupt",
           setup=imgs([(f"trailcam/{c}/IMG_{i:04d}.JPG", (120, 90), "RGB")
                       for c in ("deer", "fox", "empty") for i in range(3)]))
    script("imageai-voc-to-yolo-converter-shape-hw-swapped", "data.bbox_invalid", framework="imageai",
           timeout=600, setup=mail_setup)
    notebook("torch-flatten-without-start-dim-custom-cnn-notebook", "model.input_shape",
             setup=imgs(class_folder("weather/train", ["cloudy", "rain", "shine", "sunrise"], 3, size=(80, 60))))
    script("distill-imagenet-teacher-into-ten-class-student-tqdm", "model.output_mismatch", forms=P,
           setup=imgs(class_folder("birds10/train", [f"species_{k}" for k in range(10)], 1, size=(72, 72))))
    notebook("efficientnet-b0-checkpoint-after-config-switched-to-b2-notebook", "model.weights_mismatch",
             setup=prep(B0_PREP))
    script("adam-given-list-of-parameter-generators-discriminative-lr", "model.api_misuse",
           setup=imgs(class_folder("xray/train", ["normal", "pneumonia"], 2, size=(72, 72))))
    script("age-regressor-predicted-normal-scale-raw-pixels-high-lr", "optim.divergence", setup=utk_setup)
    script("few-shot-prototypes-computed-once-before-loop", "optim.autograd_graph",
           setup=imgs(class_folder("pcb_defects/support", ["open", "short", "spur"], 3, size=(72, 72))
                      + class_folder("pcb_defects/query", ["open", "short", "spur"], 3, size=(72, 72))))
    script("orb-matcher-kept-in-dataset-spawn-workers", "env.multiprocessing",
           setup=imgs([(f"landmarks/lm_{i:03d}.jpg", (96, 96), "RGB") for i in range(4)]))
    notebook("np-round-underscore-old-kaggle-helper-notebook", "env.version_incompat",
             setup=imgs(class_folder("ships/val", ["no_ship", "ship"], 3, size=(72, 72))))
    script("for-epoch-in-int-epochs-argparse", "other",
           setup=imgs(class_folder("dogs_vs_cats/train", ["cat", "dog"], 2, size=(72, 72))))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
