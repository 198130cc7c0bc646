"""A third held-out set of PyTorch / torchvision / ImageAI 3 training failures,
none of them a repeat of the scenarios in the other generators: torchvision
transforms fed the wrong thing (int Resize, grayscale X-rays, cv2 arrays, tensors
into ToTensor), masks not resized, ragged multi-label lists, keypoint targets,
dtype slips (float64 tabular data, int32 targets, half models), box columns and
formats in NMS / drawing, 1-based class ids in samplers and confusion matrices,
unbatched / channels-last inputs, ViT and U-Net input sizes, detection heads and
backbones replaced by hand, nn.Module / DataLoader / loss API slips, checkpoint
dicts and TorchScript loaders, GAN and manual-update autograd errors, NaN
detected by anomaly mode / a detectron2-style check / sampling, host memory
exhausted, old-API imports (torchvision, numpy, Pillow), distributed set-up on a
CPU box, spawn workers in an interactive session, ImageAI 2 code run on ImageAI 3.

Every case is a small real program run on CPU with the torch venv (no GPU, no
downloads); the label is known by construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more3.py [-k filter] [--out DIR]
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import make_images, run_cases, imgs, sub, nb, case_builders  # noqa: E402

SRC = "corpus/generators/torch_more3.py"


SCRIPTS = {}

# ====================================================================== data: sizes / channels
SCRIPTS["resize-int-keeps-aspect-workers"] = '''
import glob

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Birds(Dataset):
    def __init__(self, root, tf):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))
        self.classes = sorted({f.split("/")[-2] for f in self.files})
        self.tf = tf

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(self.files[i]).convert("RGB")
        return self.tf(img), self.classes.index(self.files[i].split("/")[-2])


def main():
    tf = transforms.Compose([
        transforms.Resize(128),                  # "resize everything to 128"
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    loader = DataLoader(Birds("data/birds/train", tf), batch_size=4, shuffle=False, num_workers=2)
    model = torchvision.models.resnet18(num_classes=3)
    for images, labels in loader:
        print(model(images).shape)


if __name__ == "__main__":
    main()
'''

SCRIPTS["seg-mask-not-resized-ce"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Streets(Dataset):
    def __init__(self):
        self.images = sorted(glob.glob("data/leftImg8bit/*.png"))
        self.tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        image = self.tf(Image.open(self.images[i]).convert("RGB"))
        mask = Image.open(self.images[i].replace("leftImg8bit", "gtFine"))
        return image, torch.from_numpy(np.array(mask, dtype=np.int64))


model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 5, 1))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for images, masks in DataLoader(Streets(), batch_size=2):
    loss = criterion(model(images), masks)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''


def streets(work: Path):
    make_images(work, [(f"data/leftImg8bit/aachen_{i:06d}.png", (200, 100), "RGB") for i in range(4)])
    from PIL import Image
    import random
    rnd = random.Random(1)
    for i in range(4):
        m = Image.frombytes("L", (200, 100), bytes(rnd.randrange(5) for _ in range(200 * 100)))
        p = work / "data/gtFine" / f"aachen_{i:06d}.png"
        p.parent.mkdir(parents=True, exist_ok=True)
        m.save(p)


SCRIPTS["normalize-grayscale-xray"] = '''
import csv

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class ChestXray(Dataset):
    def __init__(self, csv_file):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([
            transforms.Resize((224, 224)),
            transforms.ToTensor(),
            transforms.Normalize(IMAGENET_MEAN, IMAGENET_STD),
        ])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        row = self.rows[i]
        image = Image.open(f"data/xrays/{row['filename']}")
        return self.tf(image), int(row["pneumonia"])


model = torchvision.models.densenet121(num_classes=2)
for x, y in DataLoader(ChestXray("data/train.csv"), batch_size=4, shuffle=True):
    print(model(x).shape)
'''

SCRIPTS["hwc-cv2-tensor-into-conv"] = '''
import cv2
import torch
import torchvision

model = torchvision.models.mobilenet_v2(num_classes=4)
model.eval()

img = cv2.imread("samples/leaf_rust.jpg")
img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
img = cv2.resize(img, (224, 224))
x = torch.from_numpy(img).float().div(255).unsqueeze(0)
with torch.no_grad():
    probs = model(x).softmax(1)
print(probs)
'''

# ====================================================================== data: files
SCRIPTS["cv2-imread-none-cvtcolor"] = '''
import os

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class Potholes(Dataset):
    def __init__(self, list_file):
        with open(list_file) as f:
            self.items = [line.split() for line in f if line.strip()]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        img = cv2.imread(os.path.join("data", path))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (96, 96)).astype(np.float32) / 255.0
        return torch.from_numpy(img).permute(2, 0, 1), int(label)


for epoch in range(2):
    for x, y in DataLoader(Potholes("data/train_list.txt"), batch_size=4, shuffle=False):
        print(epoch, x.shape, y.tolist())
'''

SCRIPTS["listdir-ipynb-checkpoints-folder"] = '''
import os

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Faces(Dataset):
    def __init__(self, root):
        self.root = root
        self.files = sorted(os.listdir(root))
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = Image.open(os.path.join(self.root, self.files[i])).convert("RGB")
        return self.tf(img)


loader = DataLoader(Faces("data/celeba_subset"), batch_size=8, shuffle=False)
for step, batch in enumerate(loader):
    print(step, batch.shape)
'''


def faces(work: Path):
    make_images(work, [(f"data/celeba_subset/{i:06d}.jpg", (64, 80), "RGB") for i in range(1, 11)])
    (work / "data/celeba_subset/.ipynb_checkpoints").mkdir(parents=True, exist_ok=True)
    (work / "data/celeba_subset/.ipynb_checkpoints/000003-checkpoint.jpg").write_bytes(b"")


# ====================================================================== data: labels
SCRIPTS["multilabel-ragged-label-lists"] = '''
import json

import torch
import torch.nn as nn

TAGS = ["sky", "water", "tree", "building", "person", "car"]
# annotation tool export: one list of tag ids per image
anns = json.load(open("data/tags.json"))
x = torch.randn(len(anns), 512)            # cached CNN features
y = torch.tensor([a["tags"] for a in anns], dtype=torch.float32)

head = nn.Linear(512, len(TAGS))
loss = nn.BCEWithLogitsLoss()(head(x), y)
loss.backward()
'''

SCRIPTS["keypoints-target-unflattened"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

NUM_KPTS = 17
model = torchvision.models.resnet18(num_classes=NUM_KPTS * 2)     # (x, y) per keypoint
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
for step in range(3):
    images = torch.rand(4, 3, 128, 128)
    keypoints = torch.rand(4, NUM_KPTS, 2)                           # normalised coordinates
    pred = model(images)
    loss = F.smooth_l1_loss(pred, keypoints)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

SCRIPTS["weighted-sampler-class-weights-1-based"] = '''
import csv
from collections import Counter

import torch
from torch.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

with open("data/skin_lesions.csv") as f:
    labels = [int(r["diagnosis"]) for r in csv.DictReader(f)]      # 1 .. 5
counts = Counter(labels)
class_weights = torch.tensor([1.0 / counts[c] for c in sorted(counts)])
sample_weights = class_weights[torch.tensor(labels)]
sampler = WeightedRandomSampler(sample_weights, num_samples=len(labels), replacement=True)
ds = TensorDataset(torch.randn(len(labels), 3, 32, 32), torch.tensor(labels))
for x, y in DataLoader(ds, batch_size=16, sampler=sampler):
    print(y.bincount())
'''

SCRIPTS["confusion-matrix-labels-1-based"] = '''
import csv

import numpy as np
import torch
import torch.nn as nn

NUM_CLASSES = 10
torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, NUM_CLASSES))
model.eval()

with open("data/test_labels.csv") as f:
    rows = list(csv.DictReader(f))
targets = [int(r["digit_class"]) for r in rows]                  # exported as 1..10
images = torch.rand(len(rows), 1, 28, 28)

confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
with torch.no_grad():
    preds = model(images).argmax(1).tolist()
for t, p in zip(targets, preds):
    confusion[t, p] += 1
print(confusion)
print("accuracy:", np.trace(confusion) / confusion.sum())
'''

# ====================================================================== data: dtype
SCRIPTS["tabular-float64-from-numpy"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

data = np.loadtxt("data/heart.csv", delimiter=",", skiprows=1)
X, y = data[:, :-1], data[:, -1]
X = (X - X.mean(0)) / X.std(0)
ds = TensorDataset(torch.from_numpy(X), torch.from_numpy(y).long())

model = nn.Sequential(nn.Linear(X.shape[1], 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    for xb, yb in DataLoader(ds, batch_size=16, shuffle=True):
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["ce-target-int32-from-numpy"] = '''
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Spectrograms(Dataset):
    def __init__(self):
        self.x = np.load("data/mels.npy")
        self.y = np.load("data/labels.npy")

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return torch.from_numpy(self.x[i]).unsqueeze(0), torch.from_numpy(self.y[i:i + 1]).squeeze(0)


model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))
criterion = nn.CrossEntropyLoss()
for x, y in DataLoader(Spectrograms(), batch_size=8):
    loss = criterion(model(x), y)
    loss.backward()
'''


def mels(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    (work / "data").mkdir(exist_ok=True)
    np.save(work / "data/mels.npy", rng.random((16, 32, 40), dtype=np.float32))
    np.save(work / "data/labels.npy", rng.integers(0, 4, 16).astype(np.int32))


SCRIPTS["model-half-input-float"] = '''
import torch
import torchvision

# "half precision uses half the memory"
model = torchvision.models.resnet34(num_classes=8).half()
model.eval()
batch = torch.rand(2, 3, 160, 160)
with torch.no_grad():
    print(model(batch).argmax(1))
'''

# ====================================================================== data: boxes
SCRIPTS["yolo-labels-into-nms-five-columns"] = '''
import numpy as np
import torch
from torchvision.ops import nms

# evaluate a pseudo-labelling run: predictions were written as YOLO txt files
# "class x1 y1 x2 y2" plus a confidence per line
for name in ["frame_0001", "frame_0002"]:
    rows = np.loadtxt(f"preds/{name}.txt", ndmin=2)
    boxes = torch.from_numpy(rows[:, :5]).float()
    scores = torch.from_numpy(rows[:, 5]).float()
    keep = nms(boxes, scores, iou_threshold=0.5)
    print(name, len(rows), "->", keep.numel())
'''

SCRIPTS["draw-boxes-coco-xywh"] = '''
import json

import torch
from torchvision.io import read_image
from torchvision.utils import draw_bounding_boxes, save_image

coco = json.load(open("data/annotations/val.json"))
img_info = coco["images"][0]
anns = [a for a in coco["annotations"] if a["image_id"] == img_info["id"]]
names = {c["id"]: c["name"] for c in coco["categories"]}

image = read_image(f"data/val/{img_info['file_name']}")
boxes = torch.tensor([a["bbox"] for a in anns], dtype=torch.float)
vis = draw_bounding_boxes(image, boxes, labels=[names[a["category_id"]] for a in anns], width=2)
save_image(vis.float() / 255, "vis_gt.png")
'''


def coco_val(work: Path):
    make_images(work, [("data/val/000000000139.jpg", (320, 240), "RGB")])
    anns = [{"id": 1, "image_id": 139, "category_id": 1, "bbox": [40.0, 30.0, 60.0, 120.0]},
            {"id": 2, "image_id": 139, "category_id": 62, "bbox": [150.0, 100.0, 40.0, 50.0]}]
    p = work / "data/annotations/val.json"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps({"images": [{"id": 139, "file_name": "000000000139.jpg", "width": 320, "height": 240}],
                             "annotations": anns,
                             "categories": [{"id": 1, "name": "person"}, {"id": 62, "name": "chair"}]}))


# ====================================================================== model: input shape
SCRIPTS["predict-single-image-no-batch-dim"] = '''
import torch
import torchvision
from PIL import Image
from torchvision import transforms

model = torchvision.models.resnet18(num_classes=2)
model.eval()
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
image = tf(Image.open("test/dog_001.jpg").convert("RGB"))
with torch.no_grad():
    output = model(image)
print("dog" if output.argmax().item() == 1 else "cat")
'''

SCRIPTS["batchnorm2d-in-linear-head"] = '''
import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, n_classes=6):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.BatchNorm2d(128), nn.ReLU(),
                                  nn.Linear(128, n_classes))

    def forward(self, x):
        return self.head(self.features(x))


model = Classifier()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
x, y = torch.rand(8, 3, 64, 64), torch.randint(0, 6, (8,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
opt.step()
'''

SCRIPTS["vit-b16-trained-at-256"] = '''
import torch
import torch.nn as nn
import torchvision
from torchvision import transforms

model = torchvision.models.vit_b_16(weights=None)
model.heads.head = nn.Linear(model.heads.head.in_features, 5)
train_tf = transforms.Compose([transforms.RandomResizedCrop(256), transforms.ToTensor()])
opt = torch.optim.AdamW(model.parameters(), lr=3e-4)

from PIL import Image
images = torch.stack([train_tf(Image.open(f"data/flowers/{i}.jpg").convert("RGB")) for i in range(2)])
labels = torch.tensor([0, 3])
loss = nn.functional.cross_entropy(model(images), labels)
loss.backward()
opt.step()
'''

UNET_CELLS = [
    "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F",
    '''def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, n_classes=2):
        super().__init__()
        self.d1, self.d2, self.d3 = conv_block(3, 16), conv_block(16, 32), conv_block(32, 64)
        self.pool = nn.MaxPool2d(2)
        self.u2 = nn.ConvTranspose2d(64, 32, 2, stride=2)
        self.c2 = conv_block(64, 32)
        self.u1 = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.c1 = conv_block(32, 16)
        self.out = nn.Conv2d(16, n_classes, 1)

    def forward(self, x):
        x1 = self.d1(x)
        x2 = self.d2(self.pool(x1))
        x3 = self.d3(self.pool(x2))
        y = self.c2(torch.cat([self.u2(x3), x2], dim=1))
        y = self.c1(torch.cat([self.u1(y), x1], dim=1))
        return self.out(y)


model = UNet()''',
    "# satellite tiles are 250 x 250\ntiles = torch.rand(2, 3, 250, 250)\nmasks = torch.randint(0, 2, (2, 250, 250))",
    "logits = model(tiles)\nloss = F.cross_entropy(logits, masks)\nloss.backward()",
]

# ====================================================================== model: heads / backbones
SCRIPTS["frcnn-box-predictor-plain-linear"] = '''
import torch
import torch.nn as nn
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

NUM_CLASSES = 3   # background, cat, dog
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None)
in_features = model.roi_heads.box_predictor.cls_score.in_features
model.roi_heads.box_predictor = nn.Linear(in_features, NUM_CLASSES)

model.train()
images = [torch.rand(3, 240, 320), torch.rand(3, 240, 320)]
targets = [{"boxes": torch.tensor([[20., 30., 120., 200.]]), "labels": torch.tensor([1])},
           {"boxes": torch.tensor([[50., 40., 300., 220.]]), "labels": torch.tensor([2])}]
losses = model(images, targets)
sum(losses.values()).backward()
'''

SCRIPTS["frcnn-custom-backbone-no-out-channels"] = '''
import torch
import torchvision
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator

# lightweight backbone: resnet18 without avgpool / fc
resnet = torchvision.models.resnet18(weights=None)
backbone = torch.nn.Sequential(*list(resnet.children())[:-2])

anchor_generator = AnchorGenerator(sizes=((32, 64, 128, 256),), aspect_ratios=((0.5, 1.0, 2.0),))
roi_pooler = torchvision.ops.MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2)
model = FasterRCNN(backbone, num_classes=4, rpn_anchor_generator=anchor_generator, box_roi_pool=roi_pooler)
'''

SCRIPTS["module-without-super-init"] = '''
import torch
import torch.nn as nn


class SmallCNN(nn.Module):
    def __init__(self, num_classes=10):
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(64 * 8 * 8, num_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(x.flatten(1))


model = SmallCNN()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
'''

SCRIPTS["enumerate-loader-unpacked-as-batch"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

train_ds = TensorDataset(torch.rand(64, 3, 32, 32), torch.randint(0, 10, (64,)))
train_loader = DataLoader(train_ds, batch_size=16, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

for epoch in range(2):
    for images, labels in enumerate(train_loader):
        outputs = model(images)
        loss = criterion(outputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["loss-class-called-with-tensors"] = '''
import torch
import torch.nn as nn

model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 100), nn.ReLU(), nn.Linear(100, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for step in range(3):
    inputs, labels = torch.rand(16, 3, 32, 32), torch.randint(0, 10, (16,))
    outputs = model(inputs)
    loss = nn.CrossEntropyLoss(outputs, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

SCRIPTS["totensor-after-read-image"] = '''
import glob

import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.io import read_image


class Dogs(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*.jpg"))
        self.tf = transforms.Compose([
            transforms.ToTensor(),
            transforms.Resize((112, 112)),
            transforms.Normalize([0.5] * 3, [0.5] * 3),
        ])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(read_image(self.files[i])), 0


for x, y in DataLoader(Dogs("data/dogs"), batch_size=4):
    print(x.shape)
'''

SCRIPTS["transforms-on-cv2-array"] = '''
import cv2
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Plates(Dataset):
    def __init__(self, n):
        self.n = n
        self.tf = transforms.Compose([transforms.Resize((64, 192)), transforms.ColorJitter(0.3, 0.3),
                                      transforms.ToTensor()])

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        img = cv2.imread(f"data/plates/plate_{i:03d}.jpg")
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        return self.tf(img)


for batch in DataLoader(Plates(4), batch_size=2):
    print(batch.shape)
'''

SCRIPTS["sequential-given-list"] = '''
import torch
import torch.nn as nn

widths = [3, 32, 64, 128]
layers = []
for cin, cout in zip(widths[:-1], widths[1:]):
    layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]
features = nn.Sequential(layers)
model = nn.Sequential(features, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10))
print(model(torch.rand(2, 3, 64, 64)).shape)
'''

SCRIPTS["worker-init-numpy-seed-workers"] = '''
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class Augmented(Dataset):
    def __len__(self):
        return 16

    def __getitem__(self, i):
        img = np.random.rand(3, 32, 32).astype(np.float32)
        if np.random.rand() < 0.5:
            img = img[:, :, ::-1].copy()
        return torch.from_numpy(img), i % 2


def worker_init_fn(worker_id):
    # give every worker its own numpy seed
    np.random.seed(torch.initial_seed())


def main():
    loader = DataLoader(Augmented(), batch_size=4, num_workers=2, worker_init_fn=worker_init_fn)
    for epoch in range(2):
        for x, y in loader:
            print(epoch, x.shape)


if __name__ == "__main__":
    main()
'''

# ====================================================================== weights
SCRIPTS["load-training-checkpoint-dict-as-state-dict"] = '''
import torch
import torch.nn as nn
import torchvision

# ---- end of train.py
model = torchvision.models.resnet18(num_classes=4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
torch.save({"epoch": 25, "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(), "best_acc": 0.913}, "checkpoints/last.pth")

# ---- predict.py
model = torchvision.models.resnet18(num_classes=4)
model.load_state_dict(torch.load("checkpoints/last.pth", map_location="cpu"))
model.eval()
'''

SCRIPTS["strict-false-still-size-mismatch"] = '''
import torch
import torch.nn as nn
import torchvision

# ImageNet checkpoint from the model zoo, saved locally (stand-in: same layout, random values)
torch.save(torchvision.models.resnet50().state_dict(), "resnet50-imagenet.pth")

model = torchvision.models.resnet50(num_classes=12)          # 12 dog breeds
state = torch.load("resnet50-imagenet.pth", map_location="cpu")
# strict=False so the new classifier is left alone
missing, unexpected = model.load_state_dict(state, strict=False)
print("missing:", missing, "unexpected:", unexpected)
'''

SCRIPTS["jit-load-on-state-dict"] = '''
import torch
import torchvision

# the training notebook saved the weights with torch.save(model.state_dict(), ...)
torch.save(torchvision.models.mobilenet_v3_small(num_classes=3).state_dict(), "export/fruit_classifier.pt")

# deployment script
model = torch.jit.load("export/fruit_classifier.pt", map_location="cpu")
model.eval()
print(model(torch.rand(1, 3, 224, 224)).softmax(1))
'''

# ====================================================================== autograd
SCRIPTS["gan-discriminator-step-before-generator-backward"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
latent = 64
G = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh())
D = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
bce = nn.BCEWithLogitsLoss()

for step in range(3):
    real = torch.rand(32, 784) * 2 - 1
    fake = G(torch.randn(32, latent))
    d_fake = D(fake)
    d_loss = bce(D(real), torch.ones(32, 1)) + bce(d_fake, torch.zeros(32, 1))
    g_loss = bce(d_fake, torch.ones(32, 1))

    opt_d.zero_grad()
    d_loss.backward(retain_graph=True)
    opt_d.step()

    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    print(f"step {step}: d_loss {d_loss.item():.3f} g_loss {g_loss.item():.3f}")
'''

PLOT_CELLS = [
    "import torch\nimport torch.nn as nn\nimport numpy as np",
    "torch.manual_seed(0)\nx = torch.linspace(-3, 3, 200).unsqueeze(1)\ny = torch.sin(x) + 0.1 * torch.randn_like(x)\n"
    "model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))\nopt = torch.optim.Adam(model.parameters(), lr=1e-2)",
    "for epoch in range(200):\n    loss = nn.functional.mse_loss(model(x), y)\n    opt.zero_grad()\n    loss.backward()\n    opt.step()\nprint('final loss', loss.item())",
    "pred = model(x)\nresiduals = np.abs(pred.numpy() - y.numpy())\nprint('max residual', residuals.max())",
]

SCRIPTS["manual-sgd-update-leaf-inplace"] = '''
import torch

torch.manual_seed(0)
# logistic regression written from scratch
X = torch.randn(200, 5)
y = (X[:, 0] + 0.5 * X[:, 1] > 0).float()
w = torch.zeros(5, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for epoch in range(50):
    p = torch.sigmoid(X @ w + b)
    loss = torch.nn.functional.binary_cross_entropy(p, y)
    loss.backward()
    w -= lr * w.grad
    b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    print(epoch, loss.item())
'''

SCRIPTS["loss-reduction-none-backward"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 3))
# per-sample losses so hard examples can be re-weighted later
criterion = nn.CrossEntropyLoss(reduction="none")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for step in range(5):
    x, y = torch.randn(32, 20), torch.randint(0, 3, (32,))
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
'''

# ====================================================================== divergence
SCRIPTS["anomaly-mode-unscaled-house-prices"] = '''
import numpy as np
import torch
import torch.nn as nn

torch.autograd.set_detect_anomaly(True)
data = np.loadtxt("data/houses.csv", delimiter=",", skiprows=1, dtype=np.float32)
X, y = torch.from_numpy(data[:, :-1]), torch.from_numpy(data[:, -1:])   # sqft, rooms, year -> price

model = nn.Linear(3, 1)                                                   # plain linear regression
optimizer = torch.optim.SGD(model.parameters(), lr=0.001)
for epoch in range(100):
    loss = nn.functional.mse_loss(model(X), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4g}")
'''

SCRIPTS["detector-loss-nan-floatingpointerror"] = '''
import math

import torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_320_fpn

torch.manual_seed(0)
model = fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None, num_classes=3)
optimizer = torch.optim.SGD(model.parameters(), lr=2.0, momentum=0.9, weight_decay=1e-4)   # "linear scaling rule"
model.train()
images = [torch.rand(3, 240, 320) for _ in range(2)]
targets = [{"boxes": torch.tensor([[20., 30., 140., 200.]]), "labels": torch.tensor([1])},
           {"boxes": torch.tensor([[60., 40., 300., 220.], [10., 10., 50., 60.]]), "labels": torch.tensor([2, 1])}]
for it in range(50):
    loss_dict = model(images, targets)
    losses = sum(loss_dict.values())
    if not math.isfinite(losses.item()):
        raise FloatingPointError(
            f"Loss became infinite or NaN at iteration={it}!\\nloss_dict = {{{', '.join(f'{k}: {v.item()}' for k, v in loss_dict.items())}}}")
    optimizer.zero_grad()
    losses.backward()
    optimizer.step()
    print(f"iter {it}: total_loss {losses.item():.3f}  " + "  ".join(f"{k} {v.item():.3f}" for k, v in loss_dict.items()))
'''

SCRIPTS["char-rnn-sampling-after-divergence"] = '''
import torch
import torch.nn as nn

torch.manual_seed(0)
text = open("data/shakespeare.txt").read()
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text])


class CharRNN(nn.Module):
    def __init__(self, vocab, hidden=128):
        super().__init__()
        self.emb = nn.Embedding(vocab, 32)
        self.rnn = nn.GRU(32, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x, h=None):
        y, h = self.rnn(self.emb(x), h)
        return self.out(y), h


model = CharRNN(len(chars))
opt = torch.optim.SGD(model.parameters(), lr=20.0)   # loss was stuck at 2.9 with lr=0.1
for step in range(30):
    i = torch.randint(0, len(data) - 65, (16,))
    x = torch.stack([data[j:j + 64] for j in i])
    y = torch.stack([data[j + 1:j + 65] for j in i])
    logits, _ = model(x)
    log_probs = torch.log(torch.softmax(logits, dim=-1))
    loss = nn.functional.nll_loss(log_probs.reshape(-1, len(chars)), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step + 1} loss {loss.item():.3f}")
    if step % 10 == 9:
        # sample a line to watch progress
        idx, h, out = torch.tensor([[stoi["F"]]]), None, "F"
        for _ in range(40):
            logits, h = model(idx, h)
            probs = torch.softmax(logits[0, -1] / 0.8, dim=0)
            idx = torch.multinomial(probs, 1).view(1, 1)
            out += chars[idx.item()]
        print(f"sample: {out!r}")
'''

# ====================================================================== host memory
SCRIPTS["preload-dataset-numpy-memoryerror"] = '''
import glob

import numpy as np
from PIL import Image

files = sorted(glob.glob("data/tiles/*.png"))
print(f"found {len(files)} tiles")
# load the whole dataset into RAM once to make the epochs faster
N_TOTAL = 240_000                                  # size of the full dump on the cluster
images = np.zeros((N_TOTAL, 512, 512, 3), dtype=np.float32)
for i, f in enumerate(files):
    images[i] = np.asarray(Image.open(f).convert("RGB"), dtype=np.float32) / 255.0
'''

SCRIPTS["cdist-all-embeddings-cpu-allocator"] = '''
import torch
import torch.nn.functional as F

torch.manual_seed(0)
# image retrieval: embeddings of the whole gallery, computed earlier
gallery = F.normalize(torch.randn(1_200_000, 64), dim=1)
queries = gallery[:400_000]
dist = torch.cdist(queries, gallery)            # all pairwise distances
top5 = dist.topk(5, largest=False).indices
print(top5[:3])
'''

# ====================================================================== version drift
SCRIPTS["torchvision-models-utils-import"] = '''
import torch
import torch.nn as nn
from torchvision.models.utils import load_state_dict_from_url

model_urls = {"efficientnet-b0": "https://github.com/lukemelas/EfficientNet-PyTorch/releases/download/1.0/efficientnet-b0-355c32eb.pth"}


class EfficientNetB0(nn.Module):
    pass
'''

SCRIPTS["np-float-alias-in-iou"] = '''
import numpy as np
import torch


def bbox_iou(a, b):
    """IoU of two sets of xyxy boxes (from an old YOLO repo)"""
    a = np.asarray(a, dtype=np.float)
    b = np.asarray(b, dtype=np.float)
    lt = np.maximum(a[:, None, :2], b[:, :2])
    rb = np.minimum(a[:, None, 2:], b[:, 2:])
    wh = np.clip(rb - lt, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    area = lambda x: (x[:, 2] - x[:, 0]) * (x[:, 3] - x[:, 1])
    return inter / (area(a)[:, None] + area(b) - inter)


pred = torch.tensor([[10., 10., 50., 60.], [30., 30., 80., 90.]])
gt = torch.tensor([[12., 8., 48., 58.]])
print(bbox_iou(pred.numpy(), gt.numpy()))
'''

SCRIPTS["pil-antialias-in-letterbox"] = '''
import glob

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset


def letterbox(img, size=416):
    w, h = img.size
    scale = min(size / w, size / h)
    img = img.resize((int(w * scale), int(h * scale)), Image.ANTIALIAS)
    canvas = Image.new("RGB", (size, size), (128, 128, 128))
    canvas.paste(img, ((size - img.width) // 2, (size - img.height) // 2))
    return canvas


class Frames(Dataset):
    def __init__(self):
        self.files = sorted(glob.glob("data/frames/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = letterbox(Image.open(self.files[i]).convert("RGB"))
        return torch.from_numpy(np.asarray(img)).permute(2, 0, 1).float() / 255


for batch in DataLoader(Frames(), batch_size=2):
    print(batch.shape)
'''

# ====================================================================== distributed
SCRIPTS["distributed-sampler-without-launcher"] = '''
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

parser = argparse.ArgumentParser()
parser.add_argument("--local_rank", type=int, default=0)
parser.add_argument("--epochs", type=int, default=2)
args = parser.parse_args()

dataset = TensorDataset(torch.randn(256, 3, 32, 32), torch.randint(0, 10, (256,)))
sampler = DistributedSampler(dataset, shuffle=True)
loader = DataLoader(dataset, batch_size=32, sampler=sampler)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
for epoch in range(args.epochs):
    sampler.set_epoch(epoch)
    for x, y in loader:
        pass
'''

SCRIPTS["nccl-backend-on-cpu-box"] = '''
import os

import torch
import torch.distributed as dist
import torch.nn as nn


def setup():
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29517")
    dist.init_process_group(backend="nccl", rank=int(os.environ.get("RANK", 0)),
                            world_size=int(os.environ.get("WORLD_SIZE", 1)))


def main():
    setup()
    model = nn.parallel.DistributedDataParallel(nn.Linear(10, 2))
    print(model)


if __name__ == "__main__":
    main()
'''

# ====================================================================== other
SCRIPTS["json-history-with-tensor-values"] = '''
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 16 * 16, 4))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
train = DataLoader(TensorDataset(torch.randn(128, 3, 16, 16), torch.randint(0, 4, (128,))), batch_size=32)
history = {"loss": [], "acc": []}
for epoch in range(3):
    correct = 0
    for x, y in train:
        out = model(x)
        loss = nn.functional.cross_entropy(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        correct += (out.argmax(1) == y).sum()
    history["loss"].append(loss.detach())
    history["acc"].append(correct / len(train.dataset))
    print(f"epoch {epoch}: loss {loss.item():.3f} acc {history['acc'][-1].item():.3f}")
    with open("history.json", "w") as f:
        json.dump(history, f, indent=2)
'''

SPAWN_SESSION = (
    "import torch\n"
    "from torch.utils.data import DataLoader, Dataset\n"
    "\n"
    "class Flowers(Dataset):\n"
    "    def __init__(self, n):\n"
    "        self.n = n\n"
    "    def __len__(self):\n"
    "        return self.n\n"
    "    def __getitem__(self, i):\n"
    "        return torch.rand(3, 64, 64), i % 5\n"
    "\n"
    "\n"
    "# same code as on the Mac, where workers are started with 'spawn'\n"
    "loader = DataLoader(Flowers(20), batch_size=4, shuffle=True, num_workers=2, multiprocessing_context='spawn')\n"
    "for images, labels in loader:\n"
    "    print(images.shape, labels)\n"
    "\n"
    "\n"
    "exit\n"
)

# ====================================================================== ImageAI 3
TINY_COCO = '''
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny

# COCO TinyYOLOv3 weights from the ImageAI release page (stand-in: same layout, random values)
anchors = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
torch.save(YoloV3Tiny(anchors=anchors, num_classes=80).state_dict(), "tiny-yolov3.pt")
'''

IAI = {}
IAI["cls-v2-set-model-type-resnet"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

model_trainer = ClassificationModelTrainer()
model_trainer.setModelTypeAsResNet()
model_trainer.setDataDirectory("idenprof")
model_trainer.trainModel(num_experiments=100, batch_size=32)
'''

IAI["cls-v2-prediction-module-import"] = '''
import os
from imageai.Prediction.Custom import CustomImagePrediction

execution_path = os.getcwd()
prediction = CustomImagePrediction()
prediction.setModelTypeAsResNet()
prediction.setModelPath(os.path.join(execution_path, "idenprof_061-0.7933.h5"))
prediction.setJsonPath(os.path.join(execution_path, "idenprof_model_class.json"))
prediction.loadModel(num_objects=10)
predictions, probabilities = prediction.predictImage(os.path.join(execution_path, "4.jpg"), result_count=5)
'''

IAI["cls-v2-train-num-objects"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

model_trainer = ClassificationModelTrainer()
model_trainer.setModelTypeAsMobileNetV2()
model_trainer.setDataDirectory("pets")
model_trainer.trainModel(num_objects=2, num_experiments=100, enhance_data=True, batch_size=32,
                         show_network_summary=True)
'''

IAI["detect-v2-input-type-kwarg"] = TINY_COCO + '''
import os
from imageai.Detection import ObjectDetection

execution_path = os.getcwd()
detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath(os.path.join(execution_path, "tiny-yolov3.pt"))
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image=os.path.join(execution_path, "street.jpg"),
                                             output_image_path=os.path.join(execution_path, "street_new.jpg"),
                                             input_type="file", minimum_percentage_probability=30)
for eachObject in detections:
    print(eachObject["name"], " : ", eachObject["percentage_probability"])
'''

IAI["detect-custom-objects-coco2017-name"] = TINY_COCO + '''
from imageai.Detection import ObjectDetection

detector = ObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("tiny-yolov3.pt")
detector.loadModel()
# only count traffic: people, cars, motorcycles, buses
custom = detector.CustomObjects(person=True, car=True, motorcycle=True, bus=True)
detections = detector.detectObjectsFromImage(custom_objects=custom, input_image="crossing.jpg",
                                             output_image_path="crossing_detected.jpg",
                                             minimum_percentage_probability=30)
print(len(detections))
'''

IAI["detect-extract-objects-returns-tuple"] = '''
import json
import torch
from imageai.yolov3.tiny_yolov3 import YoloV3Tiny
from imageai.Detection.Custom import CustomObjectDetection

anchors6 = [10, 14, 23, 27, 37, 58, 81, 82, 135, 169, 344, 319]
# weights + config written by an earlier DetectionModelTrainer run (random values, same layout)
torch.manual_seed(3)
torch.save(YoloV3Tiny(anchors=anchors6, num_classes=2).state_dict(), "hololens-tiny-yolov3_mAP-0.53_epoch-40.pt")
with open("hololens-tiny-yolov3_detection_config.json", "w") as f:
    json.dump({"labels": ["hololens", "oculus"], "anchors": anchors6}, f)

detector = CustomObjectDetection()
detector.setModelTypeAsTinyYOLOv3()
detector.setModelPath("hololens-tiny-yolov3_mAP-0.53_epoch-40.pt")
detector.setJsonPath("hololens-tiny-yolov3_detection_config.json")
detector.loadModel()
detections = detector.detectObjectsFromImage(input_image="desk.jpg", output_image_path="desk_detected.jpg",
                                             extract_detected_objects=True, minimum_percentage_probability=80)
for detection in detections:
    print(detection["name"], " : ", detection["percentage_probability"], " : ", detection["box_points"])
'''

IAI["det-annotations-mixed-column-counts"] = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsTinyYOLOv3()
trainer.setDataDirectory(data_directory="hardhats")
trainer.setTrainConfig(object_names_array=["helmet", "head"], batch_size=4, num_experiments=5)
trainer.trainModel()
'''


def hardhats(work: Path):
    specs = []
    for split, n in (("train", 6), ("validation", 2)):
        (work / "hardhats" / split / "annotations").mkdir(parents=True, exist_ok=True)
        for i in range(n):
            stem = f"hard_hat_workers{i + (0 if split == 'train' else 100)}"
            specs.append((f"hardhats/{split}/images/{stem}.jpg", (128, 96), "RGB"))
            lines = [f"0 {0.3 + 0.05 * i:.3f} 0.400 {0.10 + 0.02 * i:.3f} 0.150",
                     f"1 0.700 {0.5 + 0.03 * i:.3f} 0.120 {0.14 + 0.01 * i:.3f}"]
            if split == "train" and i == 4:   # pseudo-labelled image: the auto-labeller adds a confidence
                lines = [lines[0], lines[1] + " 0.87"]
            (work / "hardhats" / split / "annotations" / f"{stem}.txt").write_text("\n".join(lines) + "\n")
    make_images(work, specs)


def pets(work: Path):
    make_images(work, [(f"pets/{s}/{c}/{c}.{i}.jpg", (64, 64), "RGB")
                       for s in ("train", "test") for c in ("cat", "dog") for i in range(3)])


# ======================================================================= cases
def cases():
    out, add, script, _ = case_builders("torch-more3-", SCRIPTS)

    def notebook(name, cause, cells, forms=("ipython_cell", "ipython_arrows"), **kw):
        add(name, cause, nb(cells), forms=forms, argv=["nb_runner.py"], home_is_project=True, **kw)

    def iai(key, cause, forms=("cpython_basic",), **kw):
        kw.setdefault("framework", "imageai")
        kw.setdefault("timeout", 600)
        add("imageai-" + key, cause, {"main.py": IAI[key]}, forms=forms, argv=["main.py"], **kw)

    # data: sizes and channels -------------------------------------------------------------------
    script("resize-int-keeps-aspect-workers", "data.image_size_mismatch", forms=["dataloader_worker"],
           setup=imgs([(f"data/birds/train/{c}/{c}_{i}.jpg", (200 + 40 * (i % 2), 150 + 90 * (i % 3 == 2)), "RGB")
                       for c in ("finch", "robin", "wren") for i in range(3)]))
    script("seg-mask-not-resized-ce", "data.label_shape", also=["data.image_size_mismatch"], setup=streets)
    script("normalize-grayscale-xray", "data.image_channels",
           extra={"data/train.csv": "filename,pneumonia\n" + "".join(
               f"person{i}_{'bacteria' if i % 2 else 'normal'}.jpeg,{i % 2}\n" for i in range(8))},
           setup=imgs([(f"data/xrays/person{i}_{'bacteria' if i % 2 else 'normal'}.jpeg", (180, 150), "L")
                       for i in range(8)]))
    script("hwc-cv2-tensor-into-conv", "model.input_shape", also=["data.image_channels"],
           setup=imgs([("samples/leaf_rust.jpg", (300, 260), "RGB")]))

    # data: missing / corrupt ---------------------------------------------------------------------
    script("cv2-imread-none-cvtcolor", "data.missing_or_corrupt",
           extra={"data/train_list.txt": "".join(
               f"{'images' if i != 5 else 'Images'}/pothole_{i:03d}.jpg {i % 2}\n" for i in range(8))},
           setup=imgs([(f"data/images/pothole_{i:03d}.jpg", (120, 90), "RGB") for i in range(8)]))
    script("listdir-ipynb-checkpoints-folder", "data.missing_or_corrupt", setup=faces,
           project="/home/user/Colab Notebooks/face-gan", forms=["cpython_basic", "paths_with_spaces"])

    # data: labels --------------------------------------------------------------------------------
    script("multilabel-ragged-label-lists", "data.label_shape",
           extra={"data/tags.json": json.dumps([{"file": f"img_{i:04d}.jpg", "tags": t} for i, t in enumerate(
               [[0, 2], [1, 0], [3, 4], [0, 1, 2], [5, 3], [2, 0]])])})
    script("keypoints-target-unflattened", "data.label_shape", forms=["cpython_basic", "multiline_message?"])
    script("weighted-sampler-class-weights-1-based", "data.label_out_of_range",
           extra={"data/skin_lesions.csv": "image_id,diagnosis\n" + "".join(
               f"ISIC_{i:07d},{[1, 2, 2, 3, 1, 4, 5, 2][i % 8]}\n" for i in range(40))})
    script("confusion-matrix-labels-1-based", "data.label_out_of_range",
           extra={"data/test_labels.csv": "image,digit_class\n" + "".join(
               f"test_{i:05d}.png,{(i * 7) % 10 + 1}\n" for i in range(50))})

    # data: dtype ---------------------------------------------------------------------------------
    script("tabular-float64-from-numpy", "data.dtype",
           extra={"data/heart.csv": "age,chol,trestbps,thalach,target\n" + "".join(
               f"{40 + i % 30},{180 + 7 * i % 120},{110 + i % 40},{120 + 3 * i % 70},{i % 2}\n" for i in range(64))})
    script("ce-target-int32-from-numpy", "data.dtype", setup=mels)
    script("model-half-input-float", "data.dtype")

    # data: boxes ---------------------------------------------------------------------------------
    script("yolo-labels-into-nms-five-columns", "data.bbox_invalid",
           extra={f"preds/frame_000{k}.txt": "".join(
               f"{j % 3} {10 + 20 * j + k} {15 + 10 * j} {60 + 20 * j} {80 + 12 * j} {0.9 - 0.1 * j:.2f}\n"
               for j in range(4)) for k in (1, 2)})
    script("draw-boxes-coco-xywh", "data.bbox_invalid", setup=coco_val)

    # model: input shape --------------------------------------------------------------------------
    script("predict-single-image-no-batch-dim", "model.input_shape",
           setup=imgs([("test/dog_001.jpg", (250, 200), "RGB")]))
    script("batchnorm2d-in-linear-head", "model.input_shape", also=["model.api_misuse"])
    script("vit-b16-trained-at-256", "model.input_shape", timeout=400,
           setup=imgs([(f"data/flowers/{i}.jpg", (300, 280), "RGB") for i in range(2)]))
    notebook("unet-odd-tile-size-cat-notebook", "model.input_shape", UNET_CELLS)

    # model: heads / backbones / API ---------------------------------------------------------------
    script("frcnn-box-predictor-plain-linear", "model.output_mismatch", also=["model.api_misuse"])
    script("frcnn-custom-backbone-no-out-channels", "model.api_misuse")
    script("module-without-super-init", "model.api_misuse")
    script("enumerate-loader-unpacked-as-batch", "model.api_misuse", forms=["cpython_basic", "multiline_message"])
    script("loss-class-called-with-tensors", "model.api_misuse")
    script("totensor-after-read-image", "model.api_misuse",
           setup=imgs([(f"data/dogs/dog_{i}.jpg", (100, 90), "RGB") for i in range(4)]))
    script("transforms-on-cv2-array", "model.api_misuse",
           setup=imgs([(f"data/plates/plate_{i:03d}.jpg", (200, 70), "RGB") for i in range(4)]))
    script("sequential-given-list", "model.api_misuse")
    script("worker-init-numpy-seed-workers", "model.api_misuse", also=["env.multiprocessing"],
           forms=["dataloader_worker"])

    # weights -------------------------------------------------------------------------------------
    script("load-training-checkpoint-dict-as-state-dict", "model.weights_mismatch",
           forms=["cpython_basic", "multiline_message"], setup=lambda w: (w / "checkpoints").mkdir())
    script("strict-false-still-size-mismatch", "model.weights_mismatch", forms=["cpython_basic", "multiline_message"])
    script("jit-load-on-state-dict", "model.weights_mismatch", also=["model.api_misuse"],
           setup=lambda w: (w / "export").mkdir())

    # autograd ------------------------------------------------------------------------------------
    script("gan-discriminator-step-before-generator-backward", "optim.autograd_graph")
    notebook("numpy-on-prediction-requires-grad-notebook", "optim.autograd_graph", PLOT_CELLS)
    script("manual-sgd-update-leaf-inplace", "optim.autograd_graph")
    script("loss-reduction-none-backward", "optim.autograd_graph")

    # divergence ----------------------------------------------------------------------------------
    script("anomaly-mode-unscaled-house-prices", "optim.divergence", forms=["cpython_basic", "multiline_message?"],
           extra={"data/houses.csv": "sqft,rooms,year,price\n" + "".join(
               f"{900 + 37 * i % 2500},{2 + i % 5},{1950 + i % 70},{150000 + 4100 * (i % 60)}\n" for i in range(80))})
    script("detector-loss-nan-floatingpointerror", "optim.divergence", forms=["cpython_basic", "multiline_message"],
           timeout=500)
    script("char-rnn-sampling-after-divergence", "optim.divergence",
           extra={"data/shakespeare.txt": (
               "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n\n"
               "First Citizen:\nYou are all resolved rather to die than to famish?\n\nAll:\nResolved. resolved.\n\n"
               "First Citizen:\nFirst, you know Caius Marcius is chief enemy to the people.\n") * 4})

    # host memory ---------------------------------------------------------------------------------
    script("preload-dataset-numpy-memoryerror", "resource.host_memory",
           setup=imgs([(f"data/tiles/tile_{i:05d}.png", (64, 64), "RGB") for i in range(4)]))
    script("cdist-all-embeddings-cpu-allocator", "resource.host_memory")

    # version drift -------------------------------------------------------------------------------
    script("torchvision-models-utils-import", "env.version_incompat")
    script("np-float-alias-in-iou", "env.version_incompat", forms=["cpython_basic", "multiline_message"])
    script("pil-antialias-in-letterbox", "env.version_incompat",
           setup=imgs([(f"data/frames/frame_{i:04d}.jpg", (320, 180), "RGB") for i in range(4)]))

    # distributed / multiprocessing -----------------------------------------------------------------
    script("distributed-sampler-without-launcher", "env.distributed")
    script("nccl-backend-on-cpu-box", "env.distributed", also=["env.cuda_setup"])
    add("spawn-workers-class-in-ipython-session", "env.multiprocessing", {},
        forms=["ipython_arrows", "chained_cause", "ipython_cell?", "ipython_file_tilde?"],
        argv=["-m", "IPython", "--simple-prompt", "--colors=NoColor", "--no-banner"],
        stdin=SPAWN_SESSION, home_is_project=True, expect_rc_nonzero=False)

    # other -----------------------------------------------------------------------------------------
    script("json-history-with-tensor-values", "other")

    # ImageAI 3 ---------------------------------------------------------------------------------------
    iai("cls-v2-set-model-type-resnet", "env.version_incompat", also=["model.api_misuse"], setup=pets)
    iai("cls-v2-prediction-module-import", "env.version_incompat")
    iai("cls-v2-train-num-objects", "env.version_incompat", also=["model.api_misuse"], setup=pets)
    iai("detect-v2-input-type-kwarg", "env.version_incompat", also=["model.api_misuse"],
        setup=imgs([("street.jpg", (320, 240), "RGB")]))
    iai("detect-custom-objects-coco2017-name", "model.api_misuse",
        setup=imgs([("crossing.jpg", (320, 240), "RGB")]))
    iai("detect-extract-objects-returns-tuple", "model.api_misuse",
        setup=imgs([("desk.jpg", (320, 240), "RGB")]))
    iai("det-annotations-mixed-column-counts", "data.bbox_invalid", also=["data.missing_or_corrupt"],
        setup=hardhats)
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
