"""A fourteenth held-out set of PyTorch / torchvision failures, none of them a
repeat of the other generators' scenarios, centred on dtypes, API versions,
distributed set-up and host memory.

Dtypes: a Gabor filter bank from numpy (float64) copied into a conv weight,
``torch.set_default_dtype(torch.float64)`` in front of an ImageFolder pipeline,
MNIST from an ``.npz`` (uint8) into an MLP (notebook), ``PILToTensor`` used where
``ToTensor`` was meant, a BatchNorm "input normalisation" layer fed
``read_image`` uint8 tensors, dataset mean / std computed on uint8 batches
(notebook), Huber loss on integer pixel box targets, BCELoss on float64
multi-hot labels from numpy, ``sigmoid_focal_loss`` on Long targets, a KLDiv
distillation loss given hard labels, a multi-class hinge (MultiMargin) loss on
float labels, a uint8 ignore mask into ``masked_fill``.

Half / bfloat16 on CPU: a half YOLO-style post-process into ``nms``, a bfloat16
Faster R-CNN, half embeddings into ``cdist`` for prototypes, a half model with an
FFT frequency loss, ``torch.quantile`` clipping of half images, a bfloat16
homography augmentation calling ``linalg.inv``.

APIs removed or changed: ``inception_v3(pretrained=True, aux_logits=False)``,
``torchvision.models.resnet.model_urls``, ``loss.data[0]`` with
``Variable(volatile=True)``, ``transforms.RandomSizedCrop`` / ``Scale`` (notebook), ``torch.rfft`` in a
frequency loss, ``numpy_type_map`` in a copied collate, a legacy (non-static)
gradient-reversal autograd Function, ``torch._six.container_abcs`` in a notebook.

torch.distributed on CPU with gloo: MASTER_ADDR never set, world size 2 with one
process, DDP with an unused auxiliary head, DDP without ``init_process_group``,
``init_process_group`` run twice in a notebook, DistributedSampler with
``num_replicas=torch.cuda.device_count()`` on a CPU box, a DDP head sized from
each rank's own classes, an uneven ``all_gather`` of validation predictions,
GPU ``device_ids`` on a CPU model, SyncBatchNorm on CPU.

Host memory (allocations refused at once, nothing filled): an ``(N, 1)`` vs
``(N,)`` full-batch MSE broadcast, a non-local block at full resolution, a
notebook RAM cache of all images at the training size.

Every case is a small real program run on CPU with the torch venv (torch
2.14.1, torchvision 0.29.1; no GPU, no downloads); the label is known by
construction (what the program breaks).

    /work/venvs/torch/bin/python corpus/generators/torch_more14.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import run_cases, imgs, sub, class_folder, case_builders  # noqa: E402
from _tfrecord import both, save_png  # noqa: E402

SRC = "corpus/generators/torch_more14.py"

SCRIPTS = {}
CELLS = {}

# ====================================================================== dtypes

CLS_LOOP = '''
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(@@EPOCHS@@):
    model.train()
    total, correct = 0, 0
    for images, labels in train_loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        correct += (outputs.argmax(1) == labels).sum().item()
        total += labels.numel()
    print(f"epoch {epoch + 1}: acc {correct / total:.3f}")
'''

SCRIPTS["gabor-filterbank-float64-conv-weight"] = '''
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def gabor_kernel(size, theta, sigma=2.0, lambd=4.0, gamma=0.5):
    half = size // 2
    y, x = np.mgrid[-half:half + 1, -half:half + 1]
    xr = x * np.cos(theta) + y * np.sin(theta)
    yr = -x * np.sin(theta) + y * np.cos(theta)
    return np.exp(-(xr ** 2 + (gamma * yr) ** 2) / (2 * sigma ** 2)) * np.cos(2 * np.pi * xr / lambd)


class GaborNet(nn.Module):
    """first layer: a fixed bank of 8 Gabor filters (texture classification)"""

    def __init__(self, num_classes):
        super().__init__()
        bank = np.stack([gabor_kernel(7, t) for t in np.linspace(0, np.pi, 8, endpoint=False)])
        self.gabor = nn.Conv2d(1, 8, 7, padding=3, bias=False)
        self.gabor.weight = nn.Parameter(torch.from_numpy(bank[:, None]), requires_grad=False)
        self.body = nn.Sequential(
            nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(32, num_classes))

    def forward(self, x):
        return self.body(self.gabor(x))


tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/dtd_subset/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=8, shuffle=True)
model = GaborNet(len(train_ds.classes))
''' + sub(CLS_LOOP, EPOCHS="5")

SCRIPTS["model-double-fix-then-totensor-inference"] = '''
import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision import transforms

# images were preprocessed once into an .npy cache (float64 from skimage)
x = torch.from_numpy(np.load("cache/train_x.npy"))
y = torch.from_numpy(np.load("cache/train_y.npy")).long()
loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, 3))
model = model.double()          # fixes "expected Double but found Float"
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")

torch.save(model.state_dict(), "rps.pth")

# try it on a photo
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
model.eval()
img = tf(Image.open("test_photos/hand_01.jpg").convert("RGB")).unsqueeze(0)
with torch.no_grad():
    print(["paper", "rock", "scissors"][model(img).argmax(1).item()])
'''


def rps_cache(work: Path):
    import numpy as np
    d = work / "cache"
    d.mkdir()
    rng = np.random.default_rng(0)
    np.save(d / "train_x.npy", rng.random((24, 3, 64, 64)))
    np.save(d / "train_y.npy", rng.integers(0, 3, 24))
    imgs([("test_photos/hand_01.jpg", (200, 160), "RGB")])(work)


CELLS["mnist-npz-uint8-mlp-notebook"] = [
    '''import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

data = np.load("mnist.npz")
x_train, y_train = data["x_train"], data["y_train"]
print(x_train.shape, x_train.dtype, y_train[:10])''',
    '''train_ds = TensorDataset(torch.from_numpy(x_train).reshape(len(x_train), -1),
                         torch.from_numpy(y_train).long())
train_loader = DataLoader(train_ds, batch_size=64, shuffle=True)

model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)''',
    '''for epoch in range(3):
    for xb, yb in train_loader:
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())''',
]


def mnist_npz(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    np.savez(work / "mnist.npz", x_train=rng.integers(0, 255, (256, 28, 28), dtype=np.uint8),
             y_train=rng.integers(0, 10, 256, dtype=np.uint8),
             x_test=rng.integers(0, 255, (64, 28, 28), dtype=np.uint8),
             y_test=rng.integers(0, 10, 64, dtype=np.uint8))


SCRIPTS["pil-to-tensor-instead-of-totensor"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# "ToTensor is deprecated" said the warning, so PILToTensor it is
train_tf = transforms.Compose([
    transforms.Resize((112, 112)),
    transforms.RandomHorizontalFlip(),
    transforms.PILToTensor(),
])
train_ds = datasets.ImageFolder("data/flowers/train", transform=train_tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.mobilenet_v3_small(weights=None, num_classes=len(train_ds.classes))
''' + sub(CLS_LOOP, EPOCHS="3")

SCRIPTS["batchnorm-input-layer-read-image-uint8"] = '''
import glob
import os

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision.io import read_image
from torchvision.transforms.functional import resize


class Scans(Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.png")))
        self.classes = sorted(os.listdir(root))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = resize(read_image(self.files[i]), [64, 64], antialias=True)
        label = self.classes.index(os.path.basename(os.path.dirname(self.files[i])))
        return img, label


class Net(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.norm = nn.BatchNorm2d(3)            # learn the input normalisation instead of Normalize()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(64, n)

    def forward(self, x):
        return self.fc(self.features(self.norm(x)).flatten(1))


train_ds = Scans("data/wafer_defects/train")
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model = Net(len(train_ds.classes))
''' + sub(CLS_LOOP, EPOCHS="3")

CELLS["dataset-mean-std-uint8-notebook"] = [
    '''import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# compute the normalisation statistics of our own dataset first
stats_tf = transforms.Compose([transforms.Resize((128, 128)), transforms.PILToTensor()])
ds = datasets.ImageFolder("data/bees_wasps/train", transform=stats_tf)
loader = DataLoader(ds, batch_size=4)
len(ds)''',
    '''mean = torch.zeros(3)
std = torch.zeros(3)
for images, _ in loader:
    mean += images.mean(dim=(0, 2, 3))
    std += images.std(dim=(0, 2, 3))
mean /= len(loader)
std /= len(loader)
mean, std''',
]

SCRIPTS["huber-loss-int-pixel-box-targets"] = '''
import json

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class PlateBoxes(Dataset):
    """one licence plate per image, box in pixels [x1, y1, x2, y2] from the labelling tool"""

    def __init__(self, ann_file, size=224):
        self.items = json.load(open(ann_file))
        self.size = size
        self.tf = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        item = self.items[i]
        img = Image.open(item["file"]).convert("RGB")
        sx, sy = self.size / img.width, self.size / img.height
        x1, y1, x2, y2 = item["box"]
        box = torch.tensor([round(x1 * sx), round(y1 * sy), round(x2 * sx), round(y2 * sy)])
        return self.tf(img), box


ds = PlateBoxes("data/plates/boxes.json")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = models.resnet18(weights=None)
model.fc = nn.Linear(model.fc.in_features, 4)
criterion = nn.HuberLoss(delta=10.0)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(10):
    for images, boxes in loader:
        optimizer.zero_grad()
        pred = model(images)
        loss = criterion(pred, boxes)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.2f}")
'''


def plates(work: Path):
    import json
    items = []
    for i in range(6):
        f = f"data/plates/car_{i:03d}.jpg"
        items.append({"file": f, "box": [120 + i, 300, 260 + i, 340]})
    imgs([(it["file"], (480, 360), "RGB") for it in items])(work)
    (work / "data/plates/boxes.json").write_text(json.dumps(items))


SCRIPTS["bceloss-float64-multihot-numpy"] = '''
import csv

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

TAGS = ["cloudy", "haze", "primary", "water", "road", "agriculture"]


class Planet(Dataset):
    def __init__(self, csv_file, root):
        rows = list(csv.DictReader(open(csv_file)))
        self.files = [f"{root}/{r['image_name']}.jpg" for r in rows]
        self.targets = np.zeros((len(rows), len(TAGS)))          # multi-hot
        for i, r in enumerate(rows):
            for t in r["tags"].split():
                self.targets[i, TAGS.index(t)] = 1
        self.tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(self.files[i]).convert("RGB")), torch.from_numpy(self.targets[i])


ds = Planet("data/planet/train_v2.csv", "data/planet/train-jpg")
loader = DataLoader(ds, batch_size=4, shuffle=True)
model = nn.Sequential(models.resnet18(weights=None, num_classes=len(TAGS)), nn.Sigmoid())
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    for images, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), targets)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def planet(work: Path):
    tags = ["cloudy", "haze primary", "primary water", "primary road agriculture", "haze", "primary"]
    rows = ["image_name,tags"] + [f"train_{i},{t}" for i, t in enumerate(tags)]
    imgs([(f"data/planet/train-jpg/train_{i}.jpg", (128, 128), "RGB") for i in range(len(tags))])(work)
    (work / "data/planet/train_v2.csv").write_text("\n".join(rows) + "\n")


SCRIPTS["sigmoid-focal-loss-long-targets"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms
from torchvision.ops import sigmoid_focal_loss

# imbalanced defect classes: one-vs-all focal loss instead of softmax CE
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/steel/train", transform=tf)
loader = DataLoader(train_ds, batch_size=6, shuffle=True)
num_classes = len(train_ds.classes)

model = models.resnet18(weights=None, num_classes=num_classes)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

for epoch in range(5):
    for images, labels in loader:
        targets = nn.functional.one_hot(labels, num_classes)
        logits = model(images)
        loss = sigmoid_focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction="mean")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: focal {loss.item():.4f}")
'''

SCRIPTS["kldiv-distillation-given-hard-labels"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

T = 4.0
alpha = 0.7

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/birds/train", transform=tf)
loader = DataLoader(train_ds, batch_size=4, shuffle=True)
n = len(train_ds.classes)

teacher = models.resnet34(weights=None, num_classes=n).eval()
student = models.mobilenet_v3_small(weights=None, num_classes=n)
kd = nn.KLDivLoss(reduction="batchmean")
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)

for epoch in range(3):
    for images, labels in loader:
        with torch.no_grad():
            t_logits = teacher(images)
        s_logits = student(images)
        soft = kd(F.log_softmax(s_logits / T, dim=1), F.softmax(t_logits / T, dim=1)) * T * T
        hard = kd(F.log_softmax(s_logits, dim=1), labels)
        loss = alpha * soft + (1 - alpha) * hard
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
'''

SCRIPTS["multimargin-hinge-float-labels-from-csv"] = '''
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

# linear SVM on top of frozen CNN features, as in the R-CNN paper
feats = np.load("features/resnet50_pool5.npy").astype(np.float32)
labels = np.loadtxt("features/labels.csv", delimiter=",", skiprows=1, usecols=1)
print(feats.shape, labels[:8])

ds = TensorDataset(torch.from_numpy(feats), torch.from_numpy(labels).float())
loader = DataLoader(ds, batch_size=32, shuffle=True)
svm = nn.Linear(feats.shape[1], 5)
criterion = nn.MultiMarginLoss(margin=1.0)
optimizer = torch.optim.SGD(svm.parameters(), lr=0.01, weight_decay=1e-4)

for epoch in range(20):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(svm(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''


def svm_features(work: Path):
    import numpy as np
    d = work / "features"
    d.mkdir()
    rng = np.random.default_rng(0)
    np.save(d / "resnet50_pool5.npy", rng.random((96, 2048)))
    (d / "labels.csv").write_text("image,label\n" + "".join(f"img_{i:04d}.jpg,{i % 5}\n" for i in range(96)))


SCRIPTS["masked-fill-uint8-ignore-mask"] = '''
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

IGNORE = 255


def masked_ce(logits, target):
    """per-pixel CE that skips the void label (from an old semantic-segmentation repo)"""
    void = (target == IGNORE).type(torch.ByteTensor)
    target = target.masked_fill(void, 0)
    loss = F.cross_entropy(logits, target, reduction="none")
    return loss.masked_fill(void, 0).sum() / (1 - void).sum()


net = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 21, 1))
opt = torch.optim.SGD(net.parameters(), lr=0.01)
img = torch.from_numpy(np.asarray(Image.open("data/voc_mini/2007_000032.jpg").convert("RGB"))).permute(2, 0, 1)
mask = torch.from_numpy(np.array(Image.open("data/voc_mini/2007_000032.png"))).long()

for step in range(10):
    logits = net(img[None].float() / 255)
    loss = masked_ce(logits, mask[None])
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''


def voc_mini(work: Path):
    import numpy as np
    rng = np.random.default_rng(0)
    save_png(work / "data/voc_mini/2007_000032.png",
             np.where(rng.random((60, 80)) < 0.1, 255, rng.integers(0, 21, (60, 80))).astype(np.uint8), "L")
    imgs([("data/voc_mini/2007_000032.jpg", (80, 60), "RGB")])(work)


# ====================================================================== half / bfloat16 on CPU

SCRIPTS["half-yolo-postprocess-nms-cpu"] = '''
import torch
from torch import nn
from torchvision.io import read_image
from torchvision.ops import nms
from torchvision.transforms.functional import resize

device = "cuda" if torch.cuda.is_available() else "cpu"


class TinyYolo(nn.Module):
    def __init__(self, nc=3, na=3):
        super().__init__()
        self.na, self.nc = na, nc
        self.backbone = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1), nn.SiLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.SiLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.SiLU(), nn.Conv2d(64, 128, 3, 2, 1), nn.SiLU())
        self.head = nn.Conv2d(128, na * (5 + nc), 1)

    def forward(self, x):
        p = self.head(self.backbone(x))
        b, _, h, w = p.shape
        return p.view(b, self.na, 5 + self.nc, h, w).permute(0, 1, 3, 4, 2).reshape(b, -1, 5 + self.nc)


model = TinyYolo()
model.load_state_dict(torch.load("runs/tinyyolo_last.pt", map_location=device))
model = model.to(device).half().eval()           # fp16 inference: twice as fast

img = resize(read_image("samples/street.jpg"), [256, 256], antialias=True)
x = (img.float() / 255).unsqueeze(0).to(device).half()
with torch.no_grad():
    pred = model(x)[0].sigmoid()

xy, wh = pred[:, :2] * 256, pred[:, 2:4] * 64
boxes = torch.cat([xy - wh / 2, xy + wh / 2], 1)
scores = pred[:, 4] * pred[:, 5:].max(1).values
keep = scores > 0.25
idx = nms(boxes[keep], scores[keep], iou_threshold=0.45)
print(f"{len(idx)} detections")
'''

SAVE_TINYYOLO = '''
import os, sys
import torch
sys.argv = ["x"]
src = open("detect.py").read().split("model = TinyYolo()")[0]
exec(src)
os.makedirs("runs", exist_ok=True)
torch.save(TinyYolo().state_dict(), "runs/tinyyolo_last.pt")
'''

SCRIPTS["bf16-fasterrcnn-cpu-inference"] = '''
import torch
from torchvision.io import read_image
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn

# bfloat16 halves the memory on the CPU inference box
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=4)
model.load_state_dict(torch.load("checkpoints/pallets_frcnn.pth", map_location="cpu"))
model = model.to(torch.bfloat16).eval()

img = read_image("warehouse/cam2_0815.jpg").to(torch.bfloat16) / 255
with torch.inference_mode():
    out = model([img])[0]
for box, label, score in zip(out["boxes"], out["labels"], out["scores"]):
    if score > 0.5:
        print(label.item(), [round(v, 1) for v in box.tolist()], round(score.item(), 3))
'''

SAVE_FRCNN = '''
import os, torch
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn
os.makedirs("checkpoints", exist_ok=True)
torch.save(fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=4).state_dict(),
           "checkpoints/pallets_frcnn.pth")
'''

SCRIPTS["half-prototypes-cdist"] = '''
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# few-shot: nearest class prototype in embedding space; embeddings kept in fp16 to save RAM
tf = transforms.Compose([transforms.Resize((84, 84)), transforms.ToTensor()])
support = datasets.ImageFolder("data/fewshot/support", transform=tf)
query = datasets.ImageFolder("data/fewshot/query", transform=tf)

encoder = models.resnet18(weights=None)
encoder.fc = torch.nn.Identity()
encoder = encoder.half().eval()


@torch.no_grad()
def embed(ds):
    feats, labels = [], []
    for x, y in DataLoader(ds, batch_size=8):
        feats.append(F.normalize(encoder(x.half()), dim=1))
        labels.append(y)
    return torch.cat(feats), torch.cat(labels)


s_feat, s_lab = embed(support)
q_feat, q_lab = embed(query)
prototypes = torch.stack([s_feat[s_lab == c].mean(0) for c in range(len(support.classes))])
dist = torch.cdist(q_feat, prototypes)
acc = (dist.argmin(1) == q_lab).float().mean()
print(f"5-way accuracy: {acc:.3f}")
'''

SCRIPTS["half-model-fft-frequency-loss"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def frequency_loss(pred, target):
    """L1 between amplitude spectra (focal frequency loss, simplified)"""
    return (torch.fft.rfft2(pred).abs() - torch.fft.rfft2(target).abs()).abs().mean()


class Denoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(32, 3, 3, padding=1))

    def forward(self, x):
        return x - self.net(x)


tf = transforms.Compose([transforms.RandomCrop(64), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/sidd_crops", transform=tf), batch_size=4, shuffle=True)
model = Denoiser().half()                    # fp16 to fit bigger crops
opt = torch.optim.Adam(model.parameters(), lr=1e-4, eps=1e-4)

for epoch in range(2):
    for clean, _ in loader:
        clean = clean.half()
        noisy = clean + 0.05 * torch.randn_like(clean)
        out = model(noisy)
        loss = F.l1_loss(out, clean) + 0.1 * frequency_loss(out, clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
'''

SCRIPTS["half-quantile-percentile-clip"] = '''
import glob

import numpy as np
import torch
from PIL import Image


def robust_normalize(x, lo=0.01, hi=0.99):
    """percentile clipping per image, the way the microscopy pipeline does it"""
    flat = x.flatten(1)
    q_lo = torch.quantile(flat, lo, dim=1, keepdim=True)
    q_hi = torch.quantile(flat, hi, dim=1, keepdim=True)
    return ((flat - q_lo) / (q_hi - q_lo + 1e-6)).clamp(0, 1).view_as(x)


model = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(16, 2, 1))
model.load_state_dict(torch.load("models/nuclei_seg.pth"))
model = model.half().eval()

files = sorted(glob.glob("plates/plate_07/*.tif"))
batch = torch.stack([torch.from_numpy(np.array(Image.open(f), dtype=np.float32)) for f in files])
batch = batch.half().unsqueeze(1)              # fp16 like the model
batch = robust_normalize(batch)
with torch.no_grad():
    masks = model(batch).argmax(1)
print(masks.shape)
'''


def plates_tif(work: Path):
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(0)
    d = work / "plates/plate_07"
    d.mkdir(parents=True)
    for i in range(3):
        Image.fromarray(rng.integers(0, 4000, (64, 64)).astype(np.uint16)).save(d / f"B0{i + 2}_s1.tif")
    import torch
    (work / "models").mkdir()
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(16, 2, 1))
    torch.save(net.state_dict(), work / "models/nuclei_seg.pth")


SCRIPTS["bf16-homography-augment-linalg-inv"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# whole training step in bfloat16 (the CPU box has AMX)
torch.manual_seed(0)


def random_homography(batch, strength=0.1):
    """random perspective warp of a batch, done on the tensor so it runs batched"""
    b, _, h, w = batch.shape
    H = torch.eye(3, dtype=batch.dtype).repeat(b, 1, 1)
    H[:, :2, :] += strength * torch.randn(b, 2, 3, dtype=batch.dtype)
    H[:, 2, :2] += 0.1 * strength * torch.randn(b, 2, dtype=batch.dtype)
    Hinv = torch.linalg.inv(H)
    ys, xs = torch.meshgrid(torch.linspace(-1, 1, h, dtype=batch.dtype),
                            torch.linspace(-1, 1, w, dtype=batch.dtype), indexing="ij")
    pts = torch.stack([xs, ys, torch.ones_like(xs)], -1).view(1, -1, 3) @ Hinv.transpose(1, 2)
    grid = (pts[..., :2] / pts[..., 2:]).view(b, h, w, 2)
    return F.grid_sample(batch, grid, align_corners=False)


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/signs/train", transform=tf), batch_size=4, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(16, 3)).to(torch.bfloat16)
opt = torch.optim.SGD(model.parameters(), lr=0.05)

for x, y in loader:
    x = random_homography(x.to(torch.bfloat16))
    loss = F.cross_entropy(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

# ====================================================================== API versions

SCRIPTS["inception-v3-pretrained-aux-logits-false"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

# transfer learning, from the 2019 fine-tuning tutorial; no auxiliary head wanted
model = models.inception_v3(pretrained=True, aux_logits=False)
for p in model.parameters():
    p.requires_grad = False

tf = transforms.Compose([transforms.Resize((299, 299)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("data/hymenoptera/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
''' + sub(CLS_LOOP, EPOCHS="3")

SCRIPTS["resnet-model-urls-import"] = '''
import torch
import torch.utils.model_zoo as model_zoo
from torch import nn
from torchvision.models.resnet import BasicBlock, ResNet, model_urls


class ResNet18Gray(ResNet):
    """ResNet-18 for 1-channel X-rays, ImageNet weights averaged over RGB for conv1"""

    def __init__(self, num_classes=2, pretrained=True):
        super().__init__(BasicBlock, [2, 2, 2, 2])
        if pretrained:
            state = model_zoo.load_url(model_urls["resnet18"])
            state["conv1.weight"] = state["conv1.weight"].mean(1, keepdim=True)
            self.conv1 = nn.Conv2d(1, 64, 7, 2, 3, bias=False)
            self.load_state_dict(state)
        self.fc = nn.Linear(512, num_classes)


model = ResNet18Gray()
print(model(torch.rand(2, 1, 224, 224)).shape)
'''

SCRIPTS["loss-data-0-variable-volatile"] = '''
import torch
from torch import nn
from torch.autograd import Variable
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 3)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc2(torch.relu(self.fc1(x.view(-1, 16 * 5 * 5))))


tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
trainloader = DataLoader(datasets.ImageFolder("data/shapes/train", transform=tf), batch_size=4, shuffle=True)
net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)

for epoch in range(2):
    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        inputs, labels = Variable(inputs), Variable(labels)
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.data[0]
        if i % 2 == 1:
            print('[%d, %5d] loss: %.3f' % (epoch + 1, i + 1, running_loss / 2))
            running_loss = 0.0

    # validation
    for data in trainloader:
        images, labels = data
        outputs = net(Variable(images, volatile=True))
'''

CELLS["old-tutorial-randomsizedcrop-scale-notebook"] = [
    '''import torch
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader

print(torch.__version__, torchvision.__version__)''',
    '''data_transforms = {
    "train": transforms.Compose([
        transforms.RandomSizedCrop(224),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ]),
    "val": transforms.Compose([
        transforms.Scale(256),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ]),
}''',
]

SCRIPTS["torch-rfft-frequency-loss"] = '''
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class FFTLoss(nn.Module):
    """copied from a 2020 deblurring repo"""

    def forward(self, x, y):
        x_fft = torch.rfft(x, signal_ndim=2, normalized=False, onesided=False)
        y_fft = torch.rfft(y, signal_ndim=2, normalized=False, onesided=False)
        return F.l1_loss(x_fft, y_fft)


tf = transforms.Compose([transforms.CenterCrop(64), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("data/gopro_crops", transform=tf), batch_size=2)
model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 3, 3, padding=1))
opt = torch.optim.Adam(model.parameters(), 1e-4)
fft_loss = FFTLoss()

for sharp, _ in loader:
    blurred = F.avg_pool2d(sharp, 3, 1, 1)
    out = model(blurred)
    loss = F.l1_loss(out, sharp) + 0.1 * fft_loss(out, sharp)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(loss.item())
'''

SCRIPTS["collate-numpy-type-map-import"] = '''
import torch
from torch.utils.data import DataLoader

from utils.collate import detection_collate
from utils.datasets import ShipDataset

ds = ShipDataset("data/ships")
loader = DataLoader(ds, batch_size=2, collate_fn=detection_collate)
for images, targets in loader:
    print(images.shape, [t.shape for t in targets])
'''

COLLATE_OLD = '''
import collections
import re

import torch
from torch.utils.data.dataloader import default_collate, numpy_type_map

_use_shared_memory = False


def detection_collate(batch):
    """stack images, keep the per-image box tensors in a list"""
    images, targets = zip(*batch)
    return default_collate(images), [torch.as_tensor(t) for t in targets]
'''

DATASETS_OLD = '''
import glob

import numpy as np
import torch
from PIL import Image


class ShipDataset(torch.utils.data.Dataset):
    def __init__(self, root):
        self.files = sorted(glob.glob(root + "/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = torch.from_numpy(np.asarray(Image.open(self.files[i]).convert("RGB"))).permute(2, 0, 1)
        return img.float() / 255, np.loadtxt(self.files[i].replace(".jpg", ".txt"), ndmin=2)
'''

SCRIPTS["grad-reverse-legacy-autograd-function"] = '''
import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class GradReverse(torch.autograd.Function):
    def __init__(self, lambd):
        self.lambd = lambd

    def forward(self, x):
        return x.view_as(x)

    def backward(self, grad_output):
        return grad_output * -self.lambd


def grad_reverse(x, lambd=1.0):
    return GradReverse(lambd)(x)


class DANN(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(32, 48, 5), nn.ReLU(), nn.AdaptiveAvgPool2d(4), nn.Flatten())
        self.classifier = nn.Linear(48 * 16, n_classes)
        self.domain = nn.Sequential(nn.Linear(48 * 16, 100), nn.ReLU(), nn.Linear(100, 2))

    def forward(self, x, lambd):
        f = self.features(x)
        return self.classifier(f), self.domain(grad_reverse(f, lambd))


tf = transforms.Compose([transforms.Resize((32, 32)), transforms.ToTensor()])
src = DataLoader(datasets.ImageFolder("data/office/amazon", transform=tf), batch_size=4, shuffle=True)
tgt = DataLoader(datasets.ImageFolder("data/office/webcam", transform=tf), batch_size=4, shuffle=True)
model = DANN(3)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
ce = nn.CrossEntropyLoss()

for (xs, ys), (xt, _) in zip(src, tgt):
    cls_s, dom_s = model(xs, 0.1)
    _, dom_t = model(xt, 0.1)
    loss = ce(cls_s, ys) + ce(dom_s, torch.zeros(len(xs), dtype=torch.long)) + \\
        ce(dom_t, torch.ones(len(xt), dtype=torch.long))
    opt.zero_grad()
    loss.backward()
    opt.step()
'''

CELLS["torch-six-container-abcs-notebook"] = [
    '''import sys
sys.path.insert(0, "third_party")
import torch
torch.__version__''',
    '''from efficientdet_lite.utils import to_2tuple
from efficientdet_lite.model import BiFPNStub

neck = BiFPNStub(channels=64, kernel=3)
neck''',
]

THIRD_PARTY_UTILS = '''
from itertools import repeat

from torch._six import container_abcs


def _ntuple(n):
    def parse(x):
        if isinstance(x, container_abcs.Iterable):
            return x
        return tuple(repeat(x, n))
    return parse


to_2tuple = _ntuple(2)
'''

THIRD_PARTY_MODEL = '''
from torch import nn

from .utils import to_2tuple


class BiFPNStub(nn.Module):
    def __init__(self, channels, kernel):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, to_2tuple(kernel), padding=kernel // 2)
'''

# ====================================================================== distributed (gloo, CPU)

SCRIPTS["dist-master-addr-not-set"] = '''
import argparse

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler

parser = argparse.ArgumentParser()
parser.add_argument("--rank", type=int, default=0)
parser.add_argument("--world-size", type=int, default=1)
args = parser.parse_args()


def main():
    dist.init_process_group(backend="gloo", rank=args.rank, world_size=args.world_size)
    ds = TensorDataset(torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,)))
    loader = DataLoader(ds, batch_size=8, sampler=DistributedSampler(ds))
    model = DDP(nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10)))
    for x, y in loader:
        nn.functional.cross_entropy(model(x), y).backward()


if __name__ == "__main__":
    main()
'''

SCRIPTS["dist-world-size-2-one-process"] = '''
import datetime
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP


def setup():
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29871"
    # two GPUs on the training server; started here with plain `python train.py`
    dist.init_process_group("gloo", rank=int(os.environ.get("RANK", 0)), world_size=2,
                            timeout=datetime.timedelta(seconds=10))


def main():
    setup()
    model = DDP(nn.Linear(128, 10))
    print("rank", dist.get_rank(), "ready")


if __name__ == "__main__":
    main()
'''

SCRIPTS["ddp-unused-aux-head-spawn"] = '''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.distributed import DistributedSampler


class SegNet(nn.Module):
    def __init__(self, n_classes=4):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(),
                                     nn.Conv2d(16, 32, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(32, n_classes, 1)
        self.aux_head = nn.Conv2d(16, n_classes, 1)   # deep supervision, switched off for now

    def forward(self, x):
        return self.head(self.encoder(x))


def train(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29872"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    torch.manual_seed(0)
    ds = TensorDataset(torch.randn(32, 3, 32, 32), torch.randint(0, 4, (32, 32, 32)))
    loader = DataLoader(ds, batch_size=4, sampler=DistributedSampler(ds, num_replicas=world_size, rank=rank))
    model = DDP(SegNet())
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for step, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if rank == 0:
            print(f"step {step}: {loss.item():.4f}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(train, args=(2,), nprocs=2)
'''

SCRIPTS["ddp-without-init-process-group"] = '''
import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/cats_dogs/train", transform=tf)
train_loader = DataLoader(train_ds, batch_size=4, shuffle=True)

model = models.resnet18(weights=None, num_classes=2)
# DataParallel is slow, the docs say to use DistributedDataParallel
model = DistributedDataParallel(model)
''' + sub(CLS_LOOP, EPOCHS="3")

CELLS["dist-init-process-group-twice-notebook"] = [
    '''import os
import torch
import torch.distributed as dist
from torch import nn

os.environ["MASTER_ADDR"] = "localhost"
os.environ["MASTER_PORT"] = "29873"
dist.init_process_group("gloo", rank=0, world_size=1)
model = nn.parallel.DistributedDataParallel(nn.Linear(16, 2))
model''',
    '''# changed the model, run the set-up cell again
os.environ["MASTER_ADDR"] = "localhost"
os.environ["MASTER_PORT"] = "29873"
dist.init_process_group("gloo", rank=0, world_size=1)
model = nn.parallel.DistributedDataParallel(nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 2)))''',
]

SCRIPTS["distributed-sampler-num-replicas-device-count"] = '''
import os

import torch
from torch.utils.data import DataLoader
from torch.utils.data.distributed import DistributedSampler
from torchvision import datasets, transforms

local_rank = int(os.environ.get("LOCAL_RANK", 0))
world_size = torch.cuda.device_count()

tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_ds = datasets.ImageFolder("data/leaves/train", transform=tf)
sampler = DistributedSampler(train_ds, num_replicas=world_size, rank=local_rank, shuffle=True)
loader = DataLoader(train_ds, batch_size=4, sampler=sampler)
for epoch in range(2):
    sampler.set_epoch(epoch)
    for images, labels in loader:
        print(images.shape)
'''

SCRIPTS["ddp-head-sized-from-local-shard-classes"] = '''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision import datasets, models, transforms


def run(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29874"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    # each node keeps its own shard of the data: data/shards/rank<k>/<class>/...
    tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
    ds = datasets.ImageFolder(f"data/shards/rank{rank}", transform=tf)
    model = models.resnet18(weights=None)
    model.fc = nn.Linear(model.fc.in_features, len(ds.classes))
    model = DDP(model)
    print(f"rank {rank}: {len(ds)} images, {len(ds.classes)} classes", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(run, args=(2,), nprocs=2)
'''

SCRIPTS["all-gather-uneven-val-predictions"] = '''
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.utils.data import DataLoader, Subset, TensorDataset


def evaluate(rank, world_size):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29875"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    torch.manual_seed(0)
    val = TensorDataset(torch.randn(101, 3, 16, 16), torch.randint(0, 5, (101,)))   # 101 images
    # every world_size-th image on this rank, so no image is evaluated twice
    shard = Subset(val, range(rank, len(val), world_size))
    loader = DataLoader(shard, batch_size=16)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 16 * 16, 5)).eval()
    with torch.no_grad():
        preds = torch.cat([model(x).argmax(1) for x, _ in loader])
    gathered = [torch.zeros_like(preds) for _ in range(world_size)]
    dist.all_gather(gathered, preds)
    if rank == 0:
        print("val predictions:", torch.cat(gathered).shape)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(evaluate, args=(2,), nprocs=2)
'''

SCRIPTS["ddp-gpu-device-ids-on-cpu-model"] = '''
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision import models

os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
os.environ.setdefault("MASTER_PORT", "29876")
os.environ.setdefault("RANK", "0")
os.environ.setdefault("WORLD_SIZE", "1")
local_rank = int(os.environ.get("LOCAL_RANK", 0))

backend = "nccl" if torch.cuda.is_available() else "gloo"
dist.init_process_group(backend)
device = torch.device(f"cuda:{local_rank}" if torch.cuda.is_available() else "cpu")

model = models.resnet18(weights=None, num_classes=7).to(device)
model = DDP(model, device_ids=[local_rank], output_device=local_rank)
print("wrapped", type(model).__name__)
'''

SCRIPTS["ddp-syncbatchnorm-on-cpu"] = '''
import os

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP
from torchvision import models

os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
os.environ.setdefault("MASTER_PORT", "29877")
dist.init_process_group("gloo", rank=int(os.environ.get("RANK", 0)), world_size=int(os.environ.get("WORLD_SIZE", 1)))

model = models.resnet18(weights=None, num_classes=5)
model = nn.SyncBatchNorm.convert_sync_batchnorm(model)   # small per-GPU batches -> sync BN
model = DDP(model)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(4, 3, 64, 64), torch.randint(0, 5, (4,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
opt.step()
'''

# ====================================================================== host memory

SCRIPTS["mse-broadcast-full-batch-regression"] = '''
import numpy as np
import torch
from torch import nn

# age regression on precomputed face embeddings, full-batch L-BFGS style training
emb = torch.from_numpy(np.load("features/utk_embeddings.npy")).float()
ages = torch.from_numpy(np.load("features/utk_ages.npy")).float()
emb = emb.repeat(2500, 1)                  # with the flipped / jittered copies: 600k rows
ages = ages.repeat(2500)
print(emb.shape, ages.shape)

head = nn.Linear(emb.shape[1], 1)
opt = torch.optim.Adam(head.parameters(), lr=1e-2)
for it in range(100):
    pred = head(emb)
    loss = nn.functional.mse_loss(pred, ages)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(it, loss.item())
'''


def utk_feats(work: Path):
    import numpy as np
    d = work / "features"
    d.mkdir()
    rng = np.random.default_rng(0)
    np.save(d / "utk_embeddings.npy", rng.random((240, 16), dtype=np.float32))
    np.save(d / "utk_ages.npy", rng.integers(1, 90, 240).astype(np.float32))


SCRIPTS["nonlocal-attention-full-resolution"] = '''
import torch
from torch import nn
from torchvision.io import read_image


class NonLocal(nn.Module):
    """embedded-Gaussian non-local block (Wang et al. 2018)"""

    def __init__(self, c):
        super().__init__()
        self.theta, self.phi, self.g = nn.Conv2d(c, c // 2, 1), nn.Conv2d(c, c // 2, 1), nn.Conv2d(c, c // 2, 1)
        self.out = nn.Conv2d(c // 2, c, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        q = self.theta(x).flatten(2).transpose(1, 2)          # b, hw, c/2
        k = self.phi(x).flatten(2)                             # b, c/2, hw
        attn = torch.softmax(q @ k, dim=-1)                    # b, hw, hw
        y = (attn @ self.g(x).flatten(2).transpose(1, 2)).transpose(1, 2).reshape(b, c // 2, h, w)
        return x + self.out(y)


class Restorer(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, padding=1)
        self.nonlocal_block = NonLocal(32)          # at full resolution: global context for every pixel
        self.tail = nn.Conv2d(32, 3, 3, padding=1)

    def forward(self, x):
        return self.tail(self.nonlocal_block(torch.relu(self.stem(x))))


model = Restorer().eval()
img = read_image("photos/IMG_4032.jpg").float().unsqueeze(0) / 255
print(img.shape)
with torch.no_grad():
    restored = model(img)
'''

CELLS["ram-cache-all-images-notebook"] = [
    '''import glob
import numpy as np
from PIL import Image

IMG_SIZE = 1536           # full-res training for the small cracks
files = sorted(glob.glob("data/bridge_cracks/images/*.jpg")) * 4000   # tiles x augment repeats
len(files)''',
    '''# cache every image in RAM once, like YOLOv5 --cache ram
cache = np.zeros((len(files), IMG_SIZE, IMG_SIZE, 3), dtype=np.float32)
for i, f in enumerate(files):
    cache[i] = np.asarray(Image.open(f).convert("RGB").resize((IMG_SIZE, IMG_SIZE)), dtype=np.float32) / 255
cache.shape''',
]


# ====================================================================== cases
def cases():
    out, add, script, notebook = case_builders("torch-more14-", SCRIPTS, CELLS)

    def run_py(code):
        import subprocess
        from _record import torch_python

        def setup(work: Path):
            (work / "_prep.py").write_text(code)
            subprocess.run([torch_python(), "_prep.py"], cwd=work, check=True, capture_output=True)
            (work / "_prep.py").unlink()
        return setup

    # dtypes ------------------------------------------------------------------------------------
    script("gabor-filterbank-float64-conv-weight", "data.dtype",
           setup=imgs(class_folder("data/dtd_subset/train", ("banded", "dotted", "woven"), 3, size=(120, 120))))
    script("model-double-fix-then-totensor-inference", "data.dtype", setup=rps_cache)
    notebook("mnist-npz-uint8-mlp-notebook", "data.dtype", setup=mnist_npz)
    script("pil-to-tensor-instead-of-totensor", "data.dtype",
           setup=imgs(class_folder("data/flowers/train", ("daisy", "rose", "tulip"), 3, size=(150, 120))))
    script("batchnorm-input-layer-read-image-uint8", "data.dtype",
           setup=imgs(class_folder("data/wafer_defects/train", ("center", "edge_ring", "scratch"), 3,
                                   size=(80, 80), ext="png")))
    notebook("dataset-mean-std-uint8-notebook", "data.dtype",
             setup=imgs(class_folder("data/bees_wasps/train", ("bee", "wasp"), 4, size=(140, 110))))
    script("huber-loss-int-pixel-box-targets", "data.dtype", setup=plates)
    script("bceloss-float64-multihot-numpy", "data.dtype", setup=planet)
    script("sigmoid-focal-loss-long-targets", "data.dtype",
           setup=imgs(class_folder("data/steel/train", ("crazing", "inclusion", "patches", "scratches"), 3)))
    script("kldiv-distillation-given-hard-labels", "data.dtype", also=["data.label_shape"],
           setup=imgs(class_folder("data/birds/train", ("crow", "finch", "robin"), 3)))
    script("multimargin-hinge-float-labels-from-csv", "data.dtype", setup=svm_features)
    script("masked-fill-uint8-ignore-mask", "data.dtype", also=["env.version_incompat"], setup=voc_mini)

    # half / bfloat16 ---------------------------------------------------------------------------
    add("half-yolo-postprocess-nms-cpu", "data.dtype", {"detect.py": SCRIPTS["half-yolo-postprocess-nms-cpu"]},
        argv=["detect.py"], forms=["cpython_basic"],
        setup=both(run_py(SAVE_TINYYOLO), imgs([("samples/street.jpg", (320, 240), "RGB")])))
    add("bf16-fasterrcnn-cpu-inference", "data.dtype", {"infer.py": SCRIPTS["bf16-fasterrcnn-cpu-inference"]},
        argv=["infer.py"], forms=["cpython_basic"],
        setup=both(run_py(SAVE_FRCNN), imgs([("warehouse/cam2_0815.jpg", (320, 240), "RGB")])), timeout=400)
    script("half-prototypes-cdist", "data.dtype",
           setup=imgs(class_folder("data/fewshot/support", ("a", "b", "c", "d", "e"), 2, size=(90, 90))
                      + class_folder("data/fewshot/query", ("a", "b", "c", "d", "e"), 1, size=(90, 90))))
    script("half-model-fft-frequency-loss", "data.dtype",
           setup=imgs(class_folder("data/sidd_crops", ("scene",), 4, size=(96, 96), ext="png")))
    add("half-quantile-percentile-clip", "data.dtype", {"segment.py": SCRIPTS["half-quantile-percentile-clip"]},
        argv=["segment.py"], forms=["cpython_basic"], setup=plates_tif)
    script("bf16-homography-augment-linalg-inv", "data.dtype",
           setup=imgs(class_folder("data/signs/train", ("stop", "yield", "speed"), 2)))

    # API versions ------------------------------------------------------------------------------
    script("inception-v3-pretrained-aux-logits-false", "env.version_incompat", also=["model.api_misuse"],
           setup=imgs(class_folder("data/hymenoptera/train", ("ants", "bees"), 2)))
    add("resnet-model-urls-import", "env.version_incompat", {"model.py": SCRIPTS["resnet-model-urls-import"]},
        argv=["model.py"], forms=["cpython_basic"])
    script("loss-data-0-variable-volatile", "env.version_incompat",
           setup=imgs(class_folder("data/shapes/train", ("circle", "square", "triangle"), 3, size=(48, 48))))
    notebook("old-tutorial-randomsizedcrop-scale-notebook", "env.version_incompat")
    script("torch-rfft-frequency-loss", "env.version_incompat",
           setup=imgs(class_folder("data/gopro_crops", ("seq01",), 2, size=(80, 80), ext="png")))
    script("collate-numpy-type-map-import", "env.version_incompat",
           extra={"utils/__init__.py": "", "utils/collate.py": COLLATE_OLD, "utils/datasets.py": DATASETS_OLD})
    script("grad-reverse-legacy-autograd-function", "env.version_incompat",
           setup=imgs(class_folder("data/office/amazon", ("mug", "bike", "desk"), 2)
                      + class_folder("data/office/webcam", ("mug", "bike", "desk"), 2)))
    notebook("torch-six-container-abcs-notebook", "env.version_incompat",
             files={"third_party/efficientdet_lite/__init__.py": "",
                    "third_party/efficientdet_lite/utils.py": THIRD_PARTY_UTILS,
                    "third_party/efficientdet_lite/model.py": THIRD_PARTY_MODEL})

    # distributed -------------------------------------------------------------------------------
    script("dist-master-addr-not-set", "env.distributed")
    script("dist-world-size-2-one-process", "env.distributed", timeout=120)
    script("ddp-unused-aux-head-spawn", "env.distributed", forms=["cpython_basic", "multiline_message"], timeout=180)
    script("ddp-without-init-process-group", "env.distributed", also=["model.api_misuse"],
           setup=imgs(class_folder("data/cats_dogs/train", ("cat", "dog"), 2)))
    notebook("dist-init-process-group-twice-notebook", "env.distributed", also=["model.api_misuse"])
    script("distributed-sampler-num-replicas-device-count", "env.distributed", also=["env.cuda_setup"],
           setup=imgs(class_folder("data/leaves/train", ("healthy", "rust"), 2)))
    script("ddp-head-sized-from-local-shard-classes", "env.distributed", also=["model.output_mismatch"],
           setup=imgs(class_folder("data/shards/rank0", ("bolt", "nut", "screw"), 1)
                      + class_folder("data/shards/rank1", ("bolt", "nut"), 2)), timeout=180)
    script("all-gather-uneven-val-predictions", "env.distributed", timeout=180)
    script("ddp-gpu-device-ids-on-cpu-model", "env.distributed", also=["env.device_mismatch"], exception="ValueError",
           forms=["cpython_basic", "launcher_prefix"])
    script("ddp-syncbatchnorm-on-cpu", "env.distributed", exception="ValueError",
           forms=["cpython_basic", "launcher_prefix"])

    # host memory -------------------------------------------------------------------------------
    script("mse-broadcast-full-batch-regression", "resource.host_memory", also=["data.label_shape"], setup=utk_feats)
    add("nonlocal-attention-full-resolution", "resource.host_memory",
        {"restore.py": SCRIPTS["nonlocal-attention-full-resolution"]}, argv=["restore.py"], forms=["cpython_basic"],
        setup=imgs([("photos/IMG_4032.jpg", (1008, 756), "RGB")]))
    notebook("ram-cache-all-images-notebook", "resource.host_memory",
             setup=imgs([(f"data/bridge_cracks/images/tile_{i:03d}.jpg", (64, 64), "RGB") for i in range(8)]))
    return out


if __name__ == "__main__":
    sys.exit(run_cases(cases(), SRC, jobs=2))
