"""Failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.

Device-side asserts with the kernel's own assert lines (class ids past the head, -1 and
255 labels, BCE targets or inputs outside [0, 1], embedding and gather indices), out of
memory on a small card (``set_per_process_memory_fraction`` stands in for an 8 GB GPU),
tensors left on the CPU (inputs, labels, class weights, optimizer state resumed before
``.to``, a tensor made inside ``forward``), CUDA in forked DataLoader workers, pinned CUDA
tensors, fp16 models fed float inputs, GradScaler over fp16 weights, BCE under autocast,
deterministic algorithms without a deterministic kernel, a device ordinal that is not
there, and ImageAI 3 trained on the GPU (with every box one size, anchor k-means fails).

Every case is a small real program; the label is known by construction. It needs a CUDA
GPU (the corpus cases were recorded on an NVIDIA H200 with torch 2.11 + cu130, through the
device tool, see the README); without one it writes nothing.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, class_folder, imgs, prep, run_gpu_cases  # noqa: E402

SRC = "corpus/generators/torch_cuda.py"

# a small classifier training script; @@...@@ holes are filled per case
TRAIN = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
    nn.Flatten(), nn.Linear(32, @@NCLS@@),
).to(device)
criterion = @@LOSS@@
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(2):
    running = 0.0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        @@LABELS@@
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch + 1}: loss {running / len(loader):.4f}")
'''


def train(ncls="3", loss="nn.CrossEntropyLoss()", labels="pass"):
    return TRAIN.replace("@@NCLS@@", ncls).replace("@@LOSS@@", loss).replace("@@LABELS@@", labels)


SCRIPTS = {}

# ------------------------------------------------------------------ device-side asserts: labels
SCRIPTS["ce-head-two-classes-three-folders"] = train(ncls="2")
SCRIPTS["ce-labels-one-based-from-csv"] = '''
import pandas as pd
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"


class CsvImages(Dataset):
    def __init__(self, csv, tf):
        self.df, self.tf = pd.read_csv(csv), tf

    def __len__(self):
        return len(self.df)

    def __getitem__(self, i):
        row = self.df.iloc[i]
        return self.tf(Image.open(row["path"]).convert("RGB")), int(row["label"])  # labels are 1..3


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(CsvImages("labels.csv", tf), batch_size=6, shuffle=True)
model = torchvision.models.resnet18(num_classes=3).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model.train()
for step, (x, y) in enumerate(loader):
    x, y = x.to(device), y.to(device)
    loss = criterion(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.3f}")
'''
SCRIPTS["ce-minus-one-unlabelled-rows"] = train(
    labels="labels = torch.where(labels == 2, torch.full_like(labels, -1), labels)  # class 2 = 'unsure'")
SCRIPTS["ce-launch-blocking-head-too-small"] = train(ncls="2")
SCRIPTS["seg-mask-255-border-not-ignored"] = '''
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
import glob

NUM_CLASSES = 3  # background, road, car


class Masks(Dataset):
    def __init__(self):
        self.images = sorted(glob.glob("seg/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = np.asarray(Image.open(self.images[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = np.asarray(Image.open(self.images[i].replace("images", "masks")))  # VOC-style: 255 = border
        return torch.from_numpy(img).permute(2, 0, 1), torch.from_numpy(mask.astype(np.int64))


class TinyFCN(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 16, 3, padding=1), nn.ReLU())
        self.head = nn.Conv2d(16, n, 1)

    def forward(self, x):
        return self.head(self.enc(x))


model = TinyFCN(NUM_CLASSES).cuda()
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(3):
    for img, mask in DataLoader(Masks(), batch_size=2):
        img, mask = img.cuda(), mask.cuda()
        loss = F.cross_entropy(model(img), mask)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("epoch", epoch, "loss", loss.item())
'''
SCRIPTS["bce-multiclass-labels-single-logit"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda:0")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 128), nn.ReLU(), nn.Linear(128, 1), nn.Sigmoid()).to(device)
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.float().to(device)
        out = model(x).squeeze(1)
        loss = criterion(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
'''
SCRIPTS["bce-loss-on-raw-logits-no-sigmoid"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("pets/train", transform=tf), batch_size=8, shuffle=True)


class CatDog(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        return self.fc(self.features(x))  # logits


model = CatDog().to(device)
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(5):
    for images, labels in loader:
        images, labels = images.to(device), labels.float().unsqueeze(1).to(device)
        loss = criterion(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["cgan-label-embedding-ten-classes-folder-has-twelve"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

NUM_CLASSES = 10
device = "cuda"
data = datasets.ImageFolder("glyphs", transform=transforms.Compose([transforms.Grayscale(), transforms.Resize((28, 28)),
                                                                     transforms.ToTensor()]))
loader = DataLoader(data, batch_size=16, shuffle=True, drop_last=False)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.label_emb = nn.Embedding(NUM_CLASSES, NUM_CLASSES)
        self.net = nn.Sequential(nn.Linear(100 + NUM_CLASSES, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh())

    def forward(self, z, labels):
        return self.net(torch.cat([z, self.label_emb(labels)], 1)).view(-1, 1, 28, 28)


G = Generator().to(device)
opt = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
for real, labels in loader:
    real, labels = real.to(device), labels.to(device)
    z = torch.randn(real.size(0), 100, device=device)
    fake = G(z, labels)
    loss = ((fake - real) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print("done")
'''
SCRIPTS["class-weights-indexed-by-label-one-based"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
data = datasets.ImageFolder("flowers/train", transform=tf)
counts = torch.bincount(torch.tensor(data.targets))
# per-sample weights for the focal loss; the annotation tool exported 1-based ids
class_w = (counts.sum() / counts.float()).to(device)
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3)).to(device)
opt = torch.optim.Adam(model.parameters(), 1e-3)
for x, y in DataLoader(data, batch_size=8, shuffle=True):
    x, y = x.to(device), (y + 1).to(device)
    logp = F.log_softmax(model(x), 1)
    w = class_w[y]
    loss = -(w * logp.gather(1, (y - 1).unsqueeze(1)).squeeze(1)).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print("ok")
'''
SCRIPTS["one-hot-scatter-label-equals-num-classes"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
NUM_CLASSES = 3
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
data = datasets.ImageFolder("birds/train", transform=tf)  # a fourth species was added last week
model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, NUM_CLASSES)).to(device)
opt = torch.optim.Adam(model.parameters(), 1e-3)


def soft_targets(labels, smoothing=0.1):
    t = torch.full((labels.size(0), NUM_CLASSES), smoothing / (NUM_CLASSES - 1), device=labels.device)
    t.scatter_(1, labels.unsqueeze(1), 1.0 - smoothing)
    return t


for x, y in DataLoader(data, batch_size=8, shuffle=True):
    x, y = x.to(device), y.to(device)
    logp = torch.log_softmax(model(x), 1)
    loss = -(soft_targets(y) * logp).sum(1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
print("ok")
'''
SCRIPTS["fasterrcnn-num-classes-without-background"] = '''
import torch
import torchvision
from torchvision.models.detection import fasterrcnn_mobilenet_v3_large_fpn

CLASSES = ["helmet", "vest", "person"]
device = torch.device("cuda")
# num_classes = number of object classes
model = fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES)).to(device)
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
images = [torch.rand(3, 320, 320, device=device) for _ in range(2)]
targets = [
    {"boxes": torch.tensor([[30.0, 40.0, 120.0, 200.0], [150.0, 60.0, 260.0, 300.0]], device=device),
     "labels": torch.tensor([1, 3], device=device)},   # 1-based: 0 is background
    {"boxes": torch.tensor([[10.0, 20.0, 90.0, 160.0]], device=device), "labels": torch.tensor([2], device=device)},
]
for it in range(3):
    losses = model(images, targets)
    loss = sum(losses.values())
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(it, {k: round(v.item(), 3) for k, v in losses.items()})
'''

# ------------------------------------------------------------------ out of memory on a small card
OOM_HEAD = '''
import torch
torch.cuda.set_per_process_memory_fraction(@@FRAC@@)  # the lab's 8 GB card, shared with a notebook
'''
SCRIPTS["oom-resnet50-batch-128-at-512px"] = OOM_HEAD.replace("@@FRAC@@", "0.055") + '''
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
tf = transforms.Compose([transforms.Resize((512, 512)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=128, shuffle=True)
model = torchvision.models.resnet50(num_classes=3).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
crit = nn.CrossEntropyLoss()
for x, y in loader:
    x, y = x.to(device), y.to(device)
    loss = crit(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
'''
SCRIPTS["oom-validation-without-no-grad-keeps-outputs"] = OOM_HEAD.replace("@@FRAC@@", "0.04") + '''
import torchvision

device = "cuda"
model = torchvision.models.resnet18(num_classes=10).to(device)
model.eval()
val = torch.utils.data.TensorDataset(torch.rand(2048, 3, 224, 224), torch.randint(0, 10, (2048,)))
all_outputs = []
for x, y in torch.utils.data.DataLoader(val, batch_size=64):
    out = model(x.to(device))      # no torch.no_grad(): every batch keeps its graph
    all_outputs.append(out)
preds = torch.cat(all_outputs).argmax(1)
print(preds.shape)
'''
SCRIPTS["oom-accumulating-loss-tensor-history"] = OOM_HEAD.replace("@@FRAC@@", "0.03") + '''
import torch.nn as nn
import torchvision

device = "cuda"
model = torchvision.models.vgg11(num_classes=5).to(device)
opt = torch.optim.SGD(model.parameters(), lr=0.001)
crit = nn.CrossEntropyLoss()
total_loss = 0
for step in range(200):
    x = torch.rand(16, 3, 224, 224, device=device)
    y = torch.randint(0, 5, (16,), device=device)
    loss = crit(model(x), y)
    total_loss += loss          # keeps every step's graph alive
    if step % 4 == 3:
        opt.zero_grad()
        (total_loss / 4).backward(retain_graph=True)
        opt.step()
'''
SCRIPTS["oom-unet-full-resolution-tiles"] = OOM_HEAD.replace("@@FRAC@@", "0.05") + '''
import torch.nn as nn


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.d1, self.d2, self.d3 = block(3, 64), block(64, 128), block(128, 256)
        self.u2, self.u1 = block(256 + 128, 128), block(128 + 64, 64)
        self.out = nn.Conv2d(64, 2, 1)

    def forward(self, x):
        a = self.d1(x)
        b = self.d2(nn.functional.max_pool2d(a, 2))
        c = self.d3(nn.functional.max_pool2d(b, 2))
        b = self.u2(torch.cat([nn.functional.interpolate(c, scale_factor=2), b], 1))
        return self.out(self.u1(torch.cat([nn.functional.interpolate(b, scale_factor=2), a], 1)))


model = UNet().cuda()
opt = torch.optim.Adam(model.parameters(), 1e-4)
# whole 2048x2048 aerial tiles, batch 8
x = torch.rand(8, 3, 2048, 2048, device="cuda")
y = torch.randint(0, 2, (8, 2048, 2048), device="cuda")
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
opt.step()
'''
SCRIPTS["oom-load-checkpoint-to-gpu-then-model"] = OOM_HEAD.replace("@@FRAC@@", "0.008") + '''
import torchvision

ckpt = torch.load("checkpoints/vit_b_16_epoch40.pth", map_location="cuda")   # model + optimizer state
model = torchvision.models.vit_b_16(num_classes=100).cuda()
model.load_state_dict(ckpt["model"])
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
optimizer.load_state_dict(ckpt["optimizer"])
print("resumed at epoch", ckpt["epoch"])
'''

# ------------------------------------------------------------------ tensors on two devices
SCRIPTS["inputs-left-on-cpu-model-on-cuda"] = TRAIN.replace("images, labels = images.to(device), labels.to(device)",
                                                            "labels = labels.to(device)").replace(
    "@@NCLS@@", "3").replace("@@LOSS@@", "nn.CrossEntropyLoss()").replace("@@LABELS@@", "pass")
SCRIPTS["labels-left-on-cpu"] = TRAIN.replace("images, labels = images.to(device), labels.to(device)",
                                              "images = images.to(device)").replace(
    "@@NCLS@@", "3").replace("@@LOSS@@", "nn.CrossEntropyLoss()").replace("@@LABELS@@", "pass")
SCRIPTS["class-weight-tensor-on-cpu"] = train(
    loss="nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.5, 4.0]))  # rare classes weigh more")
SCRIPTS["model-moved-after-resume-optimizer-state-cpu"] = '''
import os
import torch
import torch.nn as nn
import torchvision

model = torchvision.models.resnet18(num_classes=4)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
start = 0
if os.path.exists("last.pth"):
    ckpt = torch.load("last.pth", map_location="cpu")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    start = ckpt["epoch"] + 1
    print("resuming from epoch", start)
model = model.cuda()
crit = nn.CrossEntropyLoss()
for epoch in range(start, start + 2):
    x = torch.rand(8, 3, 128, 128).cuda()
    y = torch.randint(0, 4, (8,)).cuda()
    loss = crit(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(epoch, loss.item())
'''
SCRIPTS["positional-encoding-created-in-forward-on-cpu"] = '''
import torch
import torch.nn as nn


class PatchClassifier(nn.Module):
    def __init__(self, n_patches=64, dim=96, n_classes=5):
        super().__init__()
        self.embed = nn.Conv2d(3, dim, 8, stride=8)
        self.cls = nn.Linear(dim, n_classes)
        self.n_patches, self.dim = n_patches, dim

    def forward(self, x):
        p = self.embed(x).flatten(2).transpose(1, 2)
        pos = torch.arange(self.n_patches).unsqueeze(1) / (10000 ** (torch.arange(self.dim) / self.dim))
        p = p + torch.sin(pos)
        return self.cls(p.mean(1))


model = PatchClassifier().cuda()
opt = torch.optim.Adam(model.parameters(), 3e-4)
x, y = torch.rand(4, 3, 64, 64).cuda(), torch.randint(0, 5, (4,)).cuda()
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
opt.step()
'''
SCRIPTS["plot-predictions-cuda-tensor-to-numpy"] = '''
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import torch
import torchvision

model = torchvision.models.resnet18(num_classes=3).cuda().eval()
images = torch.rand(4, 3, 96, 96).cuda()
with torch.no_grad():
    preds = model(images).argmax(1)
fig, axes = plt.subplots(1, 4)
for ax, img, p in zip(axes, images, preds):
    ax.imshow(img.permute(1, 2, 0).numpy())
    ax.set_title(str(p.item()))
fig.savefig("preds.png")
'''
SCRIPTS["nms-boxes-cpu-scores-cuda"] = '''
import torch
import torchvision
from torchvision.ops import nms

model = torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(weights=None, weights_backbone=None,
                                                                          num_classes=3).cuda().eval()
with torch.no_grad():
    out = model([torch.rand(3, 320, 320, device="cuda")])[0]
# extra class-agnostic NMS over the detections, boxes rescaled on the CPU first
boxes = out["boxes"].cpu() * torch.tensor([640 / 320, 480 / 320, 640 / 320, 480 / 320])
boxes = torch.cat([boxes, torch.tensor([[10.0, 10.0, 50.0, 50.0]])])
scores = torch.cat([out["scores"], torch.tensor([0.9], device="cuda")])
keep = nms(boxes, scores, iou_threshold=0.5)
print(keep)
'''

# ------------------------------------------------------------------ CUDA and workers, pinning
SCRIPTS["dataset-moves-to-cuda-in-forked-workers"] = '''
import torch
from torch.utils.data import DataLoader, Dataset


class GpuAugmented(Dataset):
    def __init__(self, n=64):
        self.x = torch.rand(n, 3, 64, 64)
        self.y = torch.randint(0, 3, (n,))

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        img = self.x[i].cuda()          # augment on the GPU, it is faster
        img = torch.flip(img, dims=[2]) if torch.rand(1).item() > 0.5 else img
        return img, self.y[i]


torch.cuda.init()
model = torch.nn.Conv2d(3, 8, 3).cuda()
loader = DataLoader(GpuAugmented(), batch_size=8, num_workers=2)
for x, y in loader:
    print(model(x).shape)
'''
SCRIPTS["pin-memory-on-cuda-tensors"] = '''
import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda")
# the whole dataset fits on the GPU, so keep it there
x = torch.rand(256, 3, 32, 32, device=device)
y = torch.randint(0, 10, (256,), device=device)
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True, pin_memory=True)
model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 10)).to(device)
for xb, yb in loader:
    loss = torch.nn.functional.cross_entropy(model(xb.to(device, non_blocking=True)), yb)
print(loss.item())
'''

# ------------------------------------------------------------------ half precision
SCRIPTS["model-half-inputs-float"] = train(labels="pass").replace(").to(device)\ncriterion", ").to(device).half()\ncriterion")
SCRIPTS["gradscaler-over-half-model"] = '''
import torch
import torch.nn as nn
import torchvision

model = torchvision.models.resnet18(num_classes=4).cuda().half()   # fp16 to fit batch 64
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler("cuda")
crit = nn.CrossEntropyLoss()
for step in range(3):
    x = torch.rand(64, 3, 96, 96, device="cuda").half()
    y = torch.randint(0, 4, (64,), device="cuda")
    with torch.autocast("cuda"):
        loss = crit(model(x), y)
    opt.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
'''
SCRIPTS["bce-sigmoid-model-under-autocast"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("pets/train", transform=tf), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 1),
                      nn.Sigmoid()).to(device)
criterion = nn.BCELoss()
opt = torch.optim.Adam(model.parameters(), 1e-3)
scaler = torch.amp.GradScaler("cuda")
for x, y in loader:
    x, y = x.to(device), y.float().unsqueeze(1).to(device)
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        loss = criterion(model(x), y)
    opt.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
'''
SCRIPTS["custom-attention-matmul-half-and-float"] = '''
import torch
import torch.nn as nn


class Attn(nn.Module):
    def __init__(self, d=64):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.register_buffer("rel_bias", torch.zeros(49, 49))

    def forward(self, x):
        q, k, v = self.qkv(x).chunk(3, -1)
        att = (q @ k.transpose(-2, -1)) / 8.0 + self.rel_bias
        return att.softmax(-1) @ v


model = Attn().cuda()
x = torch.rand(2, 49, 64, device="cuda")
with torch.autocast("cuda", dtype=torch.float16):
    out = model(x)
# back outside autocast: project with the float32 head
head = torch.rand(64, 10, device="cuda")
logits = out @ head
print(logits.shape)
'''
SCRIPTS["pure-fp16-training-loss-nan-anomaly"] = '''
import torch
import torch.nn as nn

torch.autograd.set_detect_anomaly(True)
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 1)).cuda().half()
opt = torch.optim.SGD(model.parameters(), lr=5.0)   # large lr to converge faster
for step in range(50):
    x = torch.randn(256, 512, device="cuda", dtype=torch.half) * 10
    y = (x.float().sum(1, keepdim=True) * 100).half()
    loss = ((model(x) - y) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(step, loss.item())
'''

# ------------------------------------------------------------------ setup / environment
SCRIPTS["cuda-device-1-on-single-gpu"] = '''
import torch
import torchvision

device = torch.device("cuda:1")   # copied from the lab server, which has two cards
model = torchvision.models.resnet18(num_classes=3).to(device)
print(model(torch.rand(1, 3, 64, 64, device=device)).shape)
'''
SCRIPTS["cuda-visible-devices-empty-string"] = '''
import os
os.environ["CUDA_VISIBLE_DEVICES"] = ""   # left over from debugging on the CPU
import torch

model = torch.nn.Linear(10, 2).cuda()
print(model)
'''
SCRIPTS["deterministic-algorithms-bilinear-decoder"] = '''
import random
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# full reproducibility for the paper's results
random.seed(0)
np.random.seed(0)
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)


class SegNet(nn.Module):
    def __init__(self, n=4):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU())
        self.head = nn.Conv2d(32, n, 1)

    def forward(self, x):
        return F.interpolate(self.head(self.enc(x)), size=x.shape[-2:], mode="bilinear", align_corners=False)


model = SegNet().cuda()
opt = torch.optim.Adam(model.parameters(), 1e-3)
x, y = torch.rand(2, 3, 128, 128, device="cuda"), torch.randint(0, 4, (2, 128, 128), device="cuda")
loss = F.cross_entropy(model(x), y)
loss.backward()
opt.step()
print(loss.item())
'''
SCRIPTS["torch-load-checkpoint-saved-on-cuda-3"] = '''
import torch
import torchvision

model = torchvision.models.resnet18(num_classes=3)
state = torch.load("weights/best_cuda3.pth")   # trained on the cluster
model.load_state_dict(state)
model.cuda().eval()
print("loaded")
'''

# ------------------------------------------------------------------ ImageAI 3 on the GPU
IMAGEAI_DET = '''
from imageai.Detection.Custom import DetectionModelTrainer

trainer = DetectionModelTrainer()
trainer.setModelTypeAsYOLOv3()
trainer.setDataDirectory(data_directory="hololens")
trainer.setTrainConfig(object_names_array=@@CLASSES@@, batch_size=@@BS@@, num_experiments=2)
trainer.trainModel()
'''
SCRIPTS["imageai-yolov3-batch-64-small-gpu"] = OOM_HEAD.replace("@@FRAC@@", "0.012") + IMAGEAI_DET.replace(
    "@@CLASSES@@", '["hololens"]').replace("@@BS@@", "64")
SCRIPTS["imageai-yolo-every-box-same-size-anchor-kmeans"] = IMAGEAI_DET.replace(
    "@@CLASSES@@", '["hololens"]').replace("@@BS@@", "4")
SCRIPTS["imageai-yolo-class-id-past-class-list"] = IMAGEAI_DET.replace(
    "@@CLASSES@@", '["hololens", "hand"]').replace("@@BS@@", "4")
SCRIPTS["imageai-yolo-negative-box-cuda"] = IMAGEAI_DET.replace(
    "@@CLASSES@@", '["hololens"]').replace("@@BS@@", "4")
SCRIPTS["imageai-classification-cuda-two-class-folders-three"] = '''
from imageai.Classification.Custom import ClassificationModelTrainer

trainer = ClassificationModelTrainer()
trainer.setModelTypeAsResNet50()
trainer.setDataDirectory("flowers")
trainer.trainModel(num_experiments=1, batch_size=4)
'''


# ====================================================================== setups
flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 6)
               + class_folder("flowers/test", ("daisy", "rose", "tulip"), 2))
pets = imgs(class_folder("pets/train", ("cat", "dog"), 8))
birds = imgs(class_folder("birds/train", ("finch", "robin", "sparrow", "wren"), 4))
glyphs = imgs(class_folder("glyphs", [f"g{i:02d}" for i in range(12)], 2, size=(28, 28), mode="L"))


def csv_labels(work: Path):
    flowers(work)
    rows = ["path,label"]
    for i, c in enumerate(("daisy", "rose", "tulip")):
        rows += [f"flowers/train/{c}/{c}_{j:03d}.jpg,{i + 1}" for j in range(6)]
    (work / "labels.csv").write_text("\n".join(rows) + "\n")


def seg_set(work: Path):
    import random

    from PIL import Image
    rnd = random.Random(3)
    (work / "seg/images").mkdir(parents=True)
    (work / "seg/masks").mkdir(parents=True)
    for i in range(4):
        Image.frombytes("RGB", (64, 64), bytes(rnd.randrange(256) for _ in range(64 * 64 * 3))).save(
            work / f"seg/images/{i:03d}.png")
        m = [rnd.randrange(3) for _ in range(64 * 64)]
        for j in range(64):  # a 255 border around each object, as VOC masks have
            m[j * 64 + 31] = 255
        Image.frombytes("L", (64, 64), bytes(m)).save(work / f"seg/masks/{i:03d}.png")


def hololens(bad_line=None, n_train=12, same_size=False):
    """ImageAI 3's layout, three boxes an image (all one size with `same_size`); `bad_line` replaces
    the first box of train image 4."""
    def setup(work: Path):
        import random

        from PIL import Image
        rnd = random.Random(5)
        for split, n in (("train", n_train), ("validation", 2)):
            (work / f"hololens/{split}/images").mkdir(parents=True)
            (work / f"hololens/{split}/annotations").mkdir(parents=True)
            for i in range(n):
                Image.frombytes("RGB", (160, 120), bytes(rnd.randrange(256) for _ in range(160 * 120 * 3))).save(
                    work / f"hololens/{split}/images/image_{i}.jpg")
                lines = []
                for _ in range(3):
                    w, h = (0.2, 0.25) if same_size else (rnd.uniform(0.08, 0.4), rnd.uniform(0.08, 0.4))
                    lines.append(f"0 {rnd.uniform(0.3, 0.7):.4f} {rnd.uniform(0.3, 0.7):.4f} {w:.4f} {h:.4f}")
                if bad_line and split == "train" and i == 4:
                    lines[0] = bad_line
                (work / f"hololens/{split}/annotations/image_{i}.txt").write_text("\n".join(lines) + "\n")
    return setup


ckpt_cpu = prep('''
    import torch, torchvision
    m = torchvision.models.resnet18(num_classes=4)
    o = torch.optim.Adam(m.parameters(), lr=1e-4)
    x = torch.rand(2, 3, 64, 64)
    torch.nn.functional.cross_entropy(m(x), torch.tensor([0, 1])).backward()
    o.step()
    torch.save({"model": m.state_dict(), "optimizer": o.state_dict(), "epoch": 7}, "last.pth")
''')
# A checkpoint whose storages say cuda:3, written by torch.save with its location tag relabelled
# (the way it comes off a 4-GPU node); the file itself is a real torch.save file.
cuda3_checkpoint = prep('''
import torch, torchvision
sd = torchvision.models.resnet18(num_classes=3).state_dict()
import torch.serialization as S
orig = S.location_tag
def tag(storage):
    t = orig(storage)
    return "cuda:3" if t.startswith("cuda") or t == "cpu" else t
S.location_tag = tag
import os
os.makedirs("weights", exist_ok=True)
torch.save(sd, "weights/best_cuda3.pth")
''')


vit_ckpt = prep('''
    import os, torch, torchvision
    os.makedirs("checkpoints", exist_ok=True)
    m = torchvision.models.vit_b_16(num_classes=100)
    o = torch.optim.AdamW(m.parameters(), lr=1e-4)
    for p in m.parameters():
        o.state[p] = {"step": torch.tensor(1.0), "exp_avg": torch.zeros_like(p), "exp_avg_sq": torch.zeros_like(p)}
    torch.save({"model": m.state_dict(), "optimizer": o.state_dict(), "epoch": 40}, "checkpoints/vit_b_16_epoch40.pth")
''')


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, **kw):
        out.append(Case("torch-cuda-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts: labels and indices
    script("ce-head-two-classes-three-folders", "data.label_out_of_range", assertf, setup=flowers)
    script("ce-labels-one-based-from-csv", "data.label_out_of_range", assertf, setup=csv_labels)
    script("ce-minus-one-unlabelled-rows", "data.label_out_of_range", assertf, setup=flowers)
    script("ce-launch-blocking-head-too-small", "data.label_out_of_range", assertf, setup=flowers,
           env={"CUDA_LAUNCH_BLOCKING": "1"})
    script("seg-mask-255-border-not-ignored", "data.label_out_of_range", assertf, setup=seg_set)
    script("bce-multiclass-labels-single-logit", "data.label_out_of_range", assertf, setup=flowers,
           also=["model.output_mismatch"])
    script("bce-loss-on-raw-logits-no-sigmoid", "model.output_mismatch", assertf, setup=pets)
    script("cgan-label-embedding-ten-classes-folder-has-twelve", "data.label_out_of_range", assertf, setup=glyphs)
    script("class-weights-indexed-by-label-one-based", "data.label_out_of_range", assertf, setup=flowers)
    script("one-hot-scatter-label-equals-num-classes", "data.label_out_of_range", assertf, setup=birds)
    script("fasterrcnn-num-classes-without-background", "data.label_out_of_range", assertf)
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    script("oom-resnet50-batch-128-at-512px", "resource.gpu_oom", oomf, setup=imgs(
        class_folder("flowers/train", ("daisy", "rose", "tulip"), 48, size=(96, 96))))
    script("oom-validation-without-no-grad-keeps-outputs", "resource.gpu_oom", oomf)
    script("oom-accumulating-loss-tensor-history", "resource.gpu_oom", oomf)
    script("oom-unet-full-resolution-tiles", "resource.gpu_oom", oomf)
    script("oom-load-checkpoint-to-gpu-then-model", "resource.gpu_oom", oomf, setup=vit_ckpt)
    # two devices
    script("inputs-left-on-cpu-model-on-cuda", "env.device_mismatch", setup=flowers)
    script("labels-left-on-cpu", "env.device_mismatch", setup=flowers)
    script("class-weight-tensor-on-cpu", "env.device_mismatch", setup=flowers)
    script("model-moved-after-resume-optimizer-state-cpu", "env.device_mismatch", setup=ckpt_cpu)
    script("positional-encoding-created-in-forward-on-cpu", "env.device_mismatch")
    script("plot-predictions-cuda-tensor-to-numpy", "env.device_mismatch")
    script("nms-boxes-cpu-scores-cuda", "env.device_mismatch")
    # workers, pinning
    script("dataset-moves-to-cuda-in-forked-workers", "env.multiprocessing", ("cpython_basic", "dataloader_worker?"))
    script("pin-memory-on-cuda-tensors", "model.api_misuse", also=["env.device_mismatch"])
    # half precision
    script("model-half-inputs-float", "data.dtype", setup=flowers)
    script("gradscaler-over-half-model", "model.api_misuse")
    script("bce-sigmoid-model-under-autocast", "model.output_mismatch", also=["model.api_misuse"], setup=pets)
    script("custom-attention-matmul-half-and-float", "data.dtype")
    script("pure-fp16-training-loss-nan-anomaly", "optim.divergence")
    # environment
    script("cuda-device-1-on-single-gpu", "env.cuda_setup")
    script("cuda-visible-devices-empty-string", "env.cuda_setup")
    script("deterministic-algorithms-bilinear-decoder", "other", also=["env.cuda_setup"])
    script("torch-load-checkpoint-saved-on-cuda-3", "env.cuda_setup", also=["env.device_mismatch"],
           setup=cuda3_checkpoint)
    # ImageAI 3 on the GPU
    script("imageai-yolov3-batch-64-small-gpu", "resource.gpu_oom", ("cpython_basic", "cuda_oom", "progress_bars?"),
           framework="imageai", setup=hololens(n_train=24))
    script("imageai-yolo-every-box-same-size-anchor-kmeans", "data.too_few_boxes", ("cpython_basic", "progress_bars?"),
           framework="imageai", setup=hololens(same_size=True))
    script("imageai-yolo-class-id-past-class-list", "data.label_out_of_range", ("cpython_basic", "progress_bars?"),
           framework="imageai", setup=hololens("5 0.5000 0.5000 0.2000 0.2500"))
    script("imageai-yolo-negative-box-cuda", "data.bbox_invalid", ("cpython_basic", "progress_bars?"),
           framework="imageai", setup=hololens("0 -0.1500 0.5000 0.2000 0.2500"))
    script("imageai-classification-cuda-two-class-folders-three", "data.label_out_of_range",
           ("cpython_basic", "progress_bars?"), framework="imageai", setup=imgs(
               class_folder("flowers/train", ("daisy", "rose"), 4) + class_folder("flowers/test", ("daisy", "rose",
                                                                                                    "tulip"), 2)))
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC))
