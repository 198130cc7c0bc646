"""A fifth set of failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.

Device-side asserts from kernels and data faults the first four sets do not have: a re-ID baseline
whose camera embedding is sized for Market-1501's six cameras but indexed by the 1-based ``c1..c6``
of the file names (``nn.Embedding``), a licence-plate reader whose label-smoothed loss ``gather``-s
the ``-100`` padding meant for ``CrossEntropyLoss``'s ``ignore_index``, Pascal VOC multi-label
targets built with ``+= 1`` so two people in a photo make a BCE target of 2, a species/family
multi-task model whose taxonomy table (``index_select``) predates the newest species folder, a
semi-supervised notebook that one-hot encodes the ``-1`` of unlabelled images left after
pseudo-labelling, and HAM10000 whose head is sized by the classes of the training folds while the
codes come from the whole metadata (the rare class is only in the validation fold). Out of memory
(a cap in GiB on the big card stands in for a small one): forward hooks left on every layer after a
feature-map look (notebook), ``F.unfold`` with stride 1 for a patch around every pixel of a slide
tile, Faster R-CNN told to keep 4K drone frames at full size, a distillation teacher run without
``no_grad``, and 10-fold cross-validation that keeps every fold's model on the GPU for the ensemble.
Devices: a hand-written EMA whose shadow weights come back from a checkpoint loaded with
``map_location="cpu"``, a VGG perceptual loss module never moved to the GPU, age-group edges for
``torch.bucketize`` left on the CPU, a TorchScript model traced on the CPU (device baked into a
CoordConv) fine-tuned on the GPU. Workers: a Dataset that pins its tensors in forked workers. AMP:
``GradScaler.update`` on every micro-batch of gradient accumulation, ``clip_grad_norm_(...,
error_if_nonfinite=True)`` after ``unscale_`` when the scaled gradients of a crowd-count regression
overflow fp16, ``torch.linalg.inv`` of a homography predicted under autocast, L-BFGS style transfer
stepped through ``GradScaler.step(..., closure=...)``. Determinism: ``grid_sample`` backward in a
spatial transformer under ``use_deterministic_algorithms(True)``. CUDA graphs: whole-network
capture of an Adam step that is not ``capturable`` (notebook).

Every case is a small real program; the label is known by construction. It needs a CUDA GPU
(recorded on an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the README: 22
of 24 programs failed as built, in 290 s beside the replay tests; g91, scored 1.00 top-1 and 1.00
top-3 before any rule for it); without one it writes nothing. Two programs were dropped because
they trained to the end: ``ReflectionPad2d`` backward in a CycleGAN under deterministic algorithms
(torch 2.11 has a deterministic kernel for it), and an ImageAI 3 classification trainer under
``use_deterministic_algorithms(True)`` without ``CUBLAS_WORKSPACE_CONFIG``.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda5.py [-k filter] [--out DIR] [-j N]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _record import Case, class_folder, imgs, make_images, nb, prep, both, run_gpu_cases, oom_head  # noqa: E402

SRC = "corpus/generators/torch_cuda5.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ device-side asserts: labels, indices
SCRIPTS["reid-market1501-camera-embedding-one-based-ids"] = '''
import glob
import os
import re

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from tqdm import tqdm

device = torch.device("cuda")
NUM_CAMERAS = 6                            # Market-1501 was filmed by six cameras
FNAME = re.compile(r"([-\\d]+)_c(\\d)")      # 0002_c1s1_000451_03.jpg -> person 2, camera 1


class Market1501(Dataset):
    def __init__(self, root, transform):
        self.files = sorted(glob.glob(os.path.join(root, "*.jpg")))
        pids = sorted({int(FNAME.search(os.path.basename(f)).group(1)) for f in self.files})
        self.pid2label = {pid: i for i, pid in enumerate(pids)}
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        pid, cam = map(int, FNAME.search(os.path.basename(self.files[i])).groups())
        img = self.transform(Image.open(self.files[i]).convert("RGB"))
        return img, self.pid2label[pid], cam


class Baseline(nn.Module):
    """ResNet-50 + BNNeck, with a learned embedding of the camera added to the feature (side information, TransReID)"""

    def __init__(self, num_ids, num_cams, dim=2048):
        super().__init__()
        resnet = torchvision.models.resnet50(weights=None)
        self.backbone = nn.Sequential(*list(resnet.children())[:-2])
        self.cam_embed = nn.Embedding(num_cams, dim)
        nn.init.trunc_normal_(self.cam_embed.weight, std=0.02)
        self.bnneck = nn.BatchNorm1d(dim)
        self.bnneck.bias.requires_grad_(False)
        self.classifier = nn.Linear(dim, num_ids, bias=False)

    def forward(self, x, cam):
        feat = F.adaptive_avg_pool2d(self.backbone(x), 1).flatten(1)
        feat = feat + 1.5 * self.cam_embed(cam)
        return self.classifier(self.bnneck(feat))


tf = transforms.Compose([transforms.Resize((256, 128)), transforms.RandomHorizontalFlip(), transforms.Pad(10),
                         transforms.RandomCrop((256, 128)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = Market1501("Market-1501-v15.09.15/bounding_box_train", tf)
loader = DataLoader(train_set, batch_size=8, shuffle=True, drop_last=True)
print(f"{len(train_set)} images, {len(train_set.pid2label)} identities")

model = Baseline(len(train_set.pid2label), NUM_CAMERAS).to(device)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.Adam(model.parameters(), lr=3.5e-4, weight_decay=5e-4)
for epoch in range(1, 121):
    model.train()
    pbar = tqdm(loader, desc=f"epoch {epoch}")
    for img, pid, cam in pbar:
        img, pid, cam = img.to(device), pid.to(device), cam.to(device)
        loss = criterion(model(img, cam), pid)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        pbar.set_postfix(loss=f"{loss.item():.3f}")
'''
SCRIPTS["plate-ocr-label-smoothing-gather-minus-100-padding"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"
CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
char2idx = {c: i for i, c in enumerate(CHARS)}
MAX_LEN = 8
PAD = -100          # the ignore_index of nn.CrossEntropyLoss: padded slots drop out of the loss


class Plates(Dataset):
    def __init__(self, csv_file):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))
        self.tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((32, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        target = [char2idx[c] for c in r["text"]] + [PAD] * (MAX_LEN - len(r["text"]))
        return self.tf(Image.open(f"plates/{r['filename']}")), torch.tensor(target)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


class PlateReader(nn.Module):
    """a CNN over the plate and one classifier per character slot"""

    def __init__(self, n_chars=len(CHARS)):
        super().__init__()
        self.features = nn.Sequential(block(1, 32), nn.MaxPool2d(2), block(32, 64), nn.MaxPool2d(2),
                                      block(64, 128), block(128, 128), nn.AdaptiveAvgPool2d((1, MAX_LEN)))
        self.head = nn.Conv1d(128, n_chars, 1)

    def forward(self, x):
        return self.head(self.features(x).squeeze(2)).transpose(1, 2)      # (B, MAX_LEN, n_chars)


def label_smoothing_ce(logits, target, eps=0.1):
    """cross-entropy with label smoothing, averaged over the real characters only"""
    logp = F.log_softmax(logits, dim=-1)
    nll = -logp.gather(dim=-1, index=target.unsqueeze(-1)).squeeze(-1)
    smooth = -logp.mean(dim=-1)
    loss = (1 - eps) * nll + eps * smooth
    return loss[target != PAD].mean()


loader = DataLoader(Plates("plates/labels.csv"), batch_size=8, shuffle=True)
model = PlateReader().to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(30):
    correct = total = 0
    for img, target in loader:
        img, target = img.to(device), target.to(device)
        logits = model(img)
        loss = label_smoothing_ce(logits, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        mask = target != PAD
        correct += (logits.argmax(-1)[mask] == target[mask]).sum().item()
        total += mask.sum().item()
    print(f"epoch {epoch}: loss {loss.item():.3f}, char acc {correct / total:.3f}")
'''
SCRIPTS["voc-multilabel-object-counts-bce-target-above-one"] = '''
import glob
import os
import xml.etree.ElementTree as ET

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
VOC_CLASSES = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
               "tvmonitor"]


class VOCMultiLabel(Dataset):
    """image-level tags from the VOC detection XML: which of the 20 classes are in the photo"""

    def __init__(self, root):
        self.root = root
        self.xmls = sorted(glob.glob(os.path.join(root, "Annotations", "*.xml")))
        self.tf = transforms.Compose([transforms.Resize((224, 224)), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.xmls)

    def __getitem__(self, i):
        ann = ET.parse(self.xmls[i]).getroot()
        img = Image.open(os.path.join(self.root, "JPEGImages", ann.findtext("filename"))).convert("RGB")
        target = torch.zeros(len(VOC_CLASSES))
        for obj in ann.findall("object"):
            target[VOC_CLASSES.index(obj.findtext("name"))] += 1
        return self.tf(img), target


loader = DataLoader(VOCMultiLabel("VOCdevkit/VOC2012"), batch_size=4, shuffle=True)
model = torchvision.models.resnet18(num_classes=len(VOC_CLASSES)).to(device)
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(20):
    model.train()
    running = 0.0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        probs = torch.sigmoid(model(x))
        loss = criterion(probs, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item() * x.size(0)
    print(f"epoch {epoch}: bce {running / len(loader.dataset):.4f}")
'''
SCRIPTS["species-family-taxonomy-index-select-new-species"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
tf = transforms.Compose([transforms.RandomResizedCrop(128, scale=(0.5, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.ToTensor()])
train_set = datasets.ImageFolder("birds/train", transform=tf)

# species -> family, one row per species folder (sorted like ImageFolder sorts the folders)
with open("birds/taxonomy.csv") as f:
    rows = sorted(csv.DictReader(f), key=lambda r: r["species"])
families = sorted({r["family"] for r in rows})
species_to_family = torch.tensor([families.index(r["family"]) for r in rows], device=device)
print(f"{len(train_set.classes)} species, {len(families)} families")


class TwoLevel(nn.Module):
    """a shared backbone with a species head and an auxiliary family head"""

    def __init__(self, n_species, n_families):
        super().__init__()
        self.backbone = torchvision.models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.species = nn.Linear(512, n_species)
        self.family = nn.Linear(512, n_families)

    def forward(self, x):
        f = self.backbone(x)
        return self.species(f), self.family(f)


model = TwoLevel(len(train_set.classes), len(families)).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
loader = DataLoader(train_set, batch_size=6, shuffle=True)
for epoch in range(15):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        species_logits, family_logits = model(x)
        family_y = torch.index_select(species_to_family, 0, y)
        loss = F.cross_entropy(species_logits, y) + 0.5 * F.cross_entropy(family_logits, family_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
CELLS["notebook-pseudo-label-one-hot-unlabelled-minus-one"] = [
    '''import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torch.utils.data import ConcatDataset, DataLoader, Dataset
from torchvision import datasets, transforms

device = "cuda"
NUM_CLASSES, THRESHOLD, SMOOTH = 3, 0.95, 0.1
tf = transforms.Compose([transforms.RandomResizedCrop(96, scale=(0.6, 1.0)), transforms.RandomHorizontalFlip(),
                         transforms.ToTensor()])
labelled = datasets.ImageFolder("flowers/train", transform=tf)


class Unlabelled(Dataset):
    def __init__(self, pattern, transform):
        self.files, self.transform = sorted(glob.glob(pattern)), transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.transform(Image.open(self.files[i]).convert("RGB")), -1     # no label yet


train_set = ConcatDataset([labelled, Unlabelled("flowers/unlabelled/*.jpg", tf)])
loader = DataLoader(train_set, batch_size=16, shuffle=True, drop_last=True)
print(len(labelled), "labelled +", len(train_set) - len(labelled), "unlabelled images")''',
    '''model = torchvision.models.resnet18(num_classes=NUM_CLASSES).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True, weight_decay=5e-4)''',
    '''for epoch in range(20):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        logits = model(x)
        with torch.no_grad():
            conf, pseudo = logits.softmax(1).max(1)
        # unlabelled images take the model's label where it is confident; the rest keep -1 and are masked out below
        y = torch.where((y == -1) & (conf > THRESHOLD), pseudo, y)
        soft = F.one_hot(y, NUM_CLASSES).float() * (1 - SMOOTH) + SMOOTH / NUM_CLASSES
        per_image = -(soft * F.log_softmax(logits, 1)).sum(1)
        loss = per_image[y >= 0].mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.3f}, pseudo-labelled {(conf > THRESHOLD).sum().item()}")''',
]
SCRIPTS["ham10000-num-classes-from-train-folds-rare-class"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
VAL_FOLD = "0"

with open("ham10000/HAM10000_metadata.csv") as f:
    rows = list(csv.DictReader(f))
CLASSES = sorted({r["dx"] for r in rows})                 # akiec, bcc, bkl, df, mel, nv, vasc
LABEL = {c: i for i, c in enumerate(CLASSES)}
train_rows = [r for r in rows if r["fold"] != VAL_FOLD]
val_rows = [r for r in rows if r["fold"] == VAL_FOLD]
NUM_CLASSES = len({r["dx"] for r in train_rows})
print(f"train {len(train_rows)}, val {len(val_rows)}, {NUM_CLASSES} classes")


class HAM(Dataset):
    def __init__(self, rows, train):
        self.rows = rows
        aug = [transforms.RandomHorizontalFlip(), transforms.RandomVerticalFlip()] if train else []
        self.tf = transforms.Compose([transforms.Resize((128, 128)), *aug, transforms.ToTensor(),
                                      transforms.Normalize([0.763, 0.546, 0.570], [0.141, 0.152, 0.170])])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"ham10000/images/{r['image_id']}.jpg").convert("RGB")
        return self.tf(img), LABEL[r["dx"]]


train_loader = DataLoader(HAM(train_rows, True), batch_size=8, shuffle=True)
val_loader = DataLoader(HAM(val_rows, False), batch_size=8)
model = torchvision.models.resnet18(num_classes=NUM_CLASSES).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(25):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x.to(device)).argmax(1).cpu() == y).sum().item()
    print(f"epoch {epoch}: loss {loss.item():.3f}, val acc {correct / len(val_rows):.3f}")
'''

# ------------------------------------------------------------------ out of memory
CELLS["notebook-forward-hooks-keep-every-activation"] = [
    '''from collections import defaultdict

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.cuda.set_per_process_memory_fraction(3 * 2**30 / torch.cuda.get_device_properties(0).total_memory)   # the 3 GB GTX 1060 of this PC
device = "cuda"
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(train_set, batch_size=16, shuffle=True, drop_last=True)
model = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)''',
    '''# look at the feature maps: keep what every layer outputs
activations = defaultdict(list)


def save_activation(name):
    def hook(module, inputs, output):
        activations[name].append(output.detach())
    return hook


for name, module in model.named_modules():
    if len(list(module.children())) == 0:
        module.register_forward_hook(save_activation(name))

x, _ = next(iter(loader))
with torch.no_grad():
    model(x.to(device))
for name in ["conv1", "layer1.0.conv2", "layer2.0.conv2", "layer3.0.conv2", "layer4.1.conv2"]:
    a = activations[name][-1]
    print(f"{name:15s} {tuple(a.shape)}  mean {a.mean().item():+.3f}  dead channels {(a.amax((0, 2, 3)) <= 0).sum().item()}")''',
    '''criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")''',
]
SCRIPTS["oom-unfold-stride-one-patch-per-pixel"] = oom_head("8", "the lab's 8 GB RTX 3070") + '''
import numpy as np
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torchvision.transforms.functional import to_tensor

device = "cuda"
PATCH, STRIDE = 65, 1          # a patch centred on every pixel: the tumour mask is labelled per pixel

tile = to_tensor(Image.open("camelyon/tiles/tumor_042_x18432_y40960.png").convert("RGB")).unsqueeze(0).to(device)
mask = torch.from_numpy(np.array(Image.open("camelyon/masks/tumor_042_x18432_y40960.png")) > 0).long().to(device)
print("tile", tuple(tile.shape), "tumour pixels", mask.sum().item())

half = PATCH // 2
padded = F.pad(tile, (half, half, half, half), mode="reflect")
patches = F.unfold(padded, kernel_size=PATCH, stride=STRIDE)              # (1, 3 * PATCH * PATCH, H * W)
patches = patches.transpose(1, 2).reshape(-1, 3, PATCH, PATCH)
labels = mask.flatten()

model = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 2)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    perm = torch.randperm(len(patches), device=device)
    for k in range(0, len(perm), 256):
        idx = perm[k:k + 256]
        loss = F.cross_entropy(model(patches[idx]), labels[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["oom-fasterrcnn-4k-drone-frames-full-resolution"] = oom_head("8", "an 8 GB RTX 2080") + '''
import json

from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms.functional import to_tensor
from tqdm import tqdm

device = torch.device("cuda")
CLASSES = ["__background__", "car", "pedestrian"]


class DroneFrames(Dataset):
    def __init__(self, root):
        self.root = root
        coco = json.load(open(f"{root}/annotations.json"))
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = to_tensor(Image.open(f"{self.root}/images/{info['file_name']}").convert("RGB"))
        anns = self.anns.get(info["id"], [])
        boxes = torch.tensor([[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)], dtype=torch.float32)
        labels = torch.tensor([a["category_id"] for a in anns], dtype=torch.int64)
        return img, {"boxes": boxes, "labels": labels}


def collate(batch):
    return tuple(zip(*batch))


# the cars are 20-40 px in the 4K frames: train at full resolution instead of resizing to 800 px
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                                min_size=2160, max_size=3840).to(device)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=5e-4)
loader = DataLoader(DroneFrames("drone"), batch_size=2, shuffle=True, collate_fn=collate)
for epoch in range(12):
    model.train()
    for images, targets in tqdm(loader, desc=f"epoch {epoch}"):
        images = [im.to(device) for im in images]
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        loss_dict = model(images, targets)
        loss = sum(loss_dict.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: " + ", ".join(f"{k} {v.item():.3f}" for k, v in loss_dict.items()))
'''
SCRIPTS["oom-distillation-teacher-forward-without-no-grad"] = oom_head("6", "a 6 GB RTX 2060") + '''
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
T, ALPHA = 4.0, 0.7
tf = transforms.Compose([transforms.Resize((224, 224)), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_set = datasets.ImageFolder("flowers/train", transform=tf)
loader = DataLoader(train_set, batch_size=32, shuffle=True, drop_last=True)

teacher = torchvision.models.resnet152(num_classes=len(train_set.classes))
teacher.load_state_dict(torch.load("checkpoints/teacher_resnet152.pth", map_location="cpu"))
teacher = teacher.to(device).eval()                     # frozen teacher
student = torchvision.models.resnet18(num_classes=len(train_set.classes)).to(device)
optimizer = torch.optim.AdamW(student.parameters(), lr=1e-3)


def kd_loss(s_logits, t_logits, y):
    soft = F.kl_div(F.log_softmax(s_logits / T, 1), F.softmax(t_logits / T, 1), reduction="batchmean") * T * T
    return ALPHA * soft + (1 - ALPHA) * F.cross_entropy(s_logits, y)


for epoch in range(30):
    student.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        t_logits = teacher(x)
        s_logits = student(x)
        loss = kd_loss(s_logits, t_logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["oom-kfold-ensemble-keeps-every-fold-model-on-gpu"] = oom_head("4", "a 4 GB GTX 1650") + '''
import numpy as np
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

device = torch.device("cuda")
K = 10
tf = transforms.Compose([transforms.Resize((160, 160)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
data = datasets.ImageFolder("leaves/train", transform=tf)
folds = np.array_split(np.random.default_rng(42).permutation(len(data)), K)

fold_models = []           # kept for the test-time ensemble
for k in range(K):
    val_idx = folds[k]
    train_idx = np.concatenate([f for j, f in enumerate(folds) if j != k])
    train_loader = DataLoader(Subset(data, train_idx), batch_size=16, shuffle=True)
    val_loader = DataLoader(Subset(data, val_idx), batch_size=16)
    model = torchvision.models.resnet101(num_classes=len(data.classes)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    for epoch in range(2):
        model.train()
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            loss = nn.functional.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x.to(device)).argmax(1).cpu() == y).sum().item() for x, y in val_loader)
    print(f"fold {k}: val acc {correct / len(val_idx):.3f}")
    fold_models.append(model)
'''

# ------------------------------------------------------------------ tensors on two devices
SCRIPTS["ema-shadow-resumed-with-map-location-cpu"] = '''
import argparse

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--resume", default="")
parser.add_argument("--epochs", type=int, default=40)
args = parser.parse_args()
device = torch.device("cuda")


class ModelEMA:
    """exponential moving average of the weights, evaluated instead of the raw model"""

    def __init__(self, model, decay=0.999):
        self.decay = decay
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model):
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.shadow[k].mul_(self.decay).add_(v.detach(), alpha=1 - self.decay)
            else:
                self.shadow[k].copy_(v)

    def state_dict(self):
        return self.shadow

    def load_state_dict(self, state):
        self.shadow = state


tf = transforms.Compose([transforms.RandomResizedCrop(96), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=3).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
ema = ModelEMA(model)
start_epoch = 0
if args.resume:
    ckpt = torch.load(args.resume, map_location="cpu")       # not onto the GPU: it is already full at resume time
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    ema.load_state_dict(ckpt["ema"])
    start_epoch = ckpt["epoch"] + 1
    print(f"resumed from {args.resume} (epoch {ckpt['epoch']})")

for epoch in range(start_epoch, args.epochs):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ema.update(model)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "ema": ema.state_dict(),
                "epoch": epoch}, "checkpoints/last.pth")
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["super-resolution-vgg-perceptual-loss-left-on-cpu"] = '''
import glob

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
SCALE = 4


class SRPairs(Dataset):
    def __init__(self, pattern, crop=96):
        self.files = sorted(glob.glob(pattern))
        self.crop = transforms.RandomCrop(crop)

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        hr = TF.to_tensor(self.crop(Image.open(self.files[i]).convert("RGB")))
        lr = F.interpolate(hr[None], scale_factor=1 / SCALE, mode="bicubic", align_corners=False)[0].clamp(0, 1)
        return lr, hr


class PerceptualLoss(nn.Module):
    """L1 between VGG-16 relu3_3 features (Johnson et al. 2016)"""

    def __init__(self, weights="weights/vgg16_features_relu3_3.pth"):
        super().__init__()
        self.vgg = torchvision.models.vgg16(weights=None).features[:16].eval()
        self.vgg.load_state_dict(torch.load(weights, map_location="cpu"))
        for p in self.vgg.parameters():
            p.requires_grad_(False)

    def forward(self, sr, hr):
        def norm(t):
            return TF.normalize(t, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        return F.l1_loss(self.vgg(norm(sr)), self.vgg(norm(hr)))


class ResBlock(nn.Module):
    def __init__(self, c=64):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.PReLU(), nn.Conv2d(c, c, 3, padding=1))

    def forward(self, x):
        return x + self.body(x)


class SRNet(nn.Module):
    def __init__(self, c=64, n_blocks=6):
        super().__init__()
        self.head = nn.Conv2d(3, c, 9, padding=4)
        self.body = nn.Sequential(*[ResBlock(c) for _ in range(n_blocks)])
        self.up = nn.Sequential(nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(),
                                nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU())
        self.tail = nn.Conv2d(c, 3, 9, padding=4)

    def forward(self, x):
        h = self.head(x)
        return self.tail(self.up(h + self.body(h)))


model = SRNet().to(device)
pixel_loss = nn.L1Loss()
perceptual_loss = PerceptualLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(SRPairs("div2k/train_HR/*.png"), batch_size=4, shuffle=True)
for epoch in range(100):
    for lr, hr in loader:
        lr, hr = lr.to(device), hr.to(device)
        sr = model(lr)
        loss = pixel_loss(sr, hr) + 0.1 * perceptual_loss(sr, hr)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["age-groups-bucketize-edges-left-on-cpu"] = '''
import csv

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
# Adience-style age groups: 0-2, 4-6, 8-13, 15-20, 25-32, 38-43, 48-53, 60+
AGE_EDGES = torch.tensor([3.0, 7.0, 14.0, 23.0, 35.0, 46.0, 57.0])
NUM_GROUPS = len(AGE_EDGES) + 1


class AppaReal(Dataset):
    """APPA-REAL: face crops with the real age of the person"""

    def __init__(self, split):
        with open(f"appa-real/gt_avg_{split}.csv") as f:
            self.rows = list(csv.DictReader(f))
        self.split = split
        self.tf = transforms.Compose([transforms.Resize((112, 112)), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor()])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = Image.open(f"appa-real/{self.split}/{r['file_name']}_face.jpg").convert("RGB")
        return self.tf(img), float(r["real_age"])


model = torchvision.models.resnet34(num_classes=NUM_GROUPS).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(AppaReal("train"), batch_size=8, shuffle=True)
for epoch in range(30):
    model.train()
    for img, age in loader:
        img, age = img.to(device), age.float().to(device)
        group = torch.bucketize(age, AGE_EDGES)
        loss = criterion(model(img), group)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["torchscript-traced-on-cpu-finetuned-on-gpu"] = '''
import glob

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms.functional import to_tensor

device = torch.device("cuda")


class RoadTiles(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/sat/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = to_tensor(Image.open(self.images[i]).convert("RGB"))
        mask = np.array(Image.open(self.images[i].replace("/sat/", "/map/"))) > 127
        return img, torch.from_numpy(mask).float()[None]


# the road model the deployment team exported as TorchScript; fine-tune it on the new city's tiles
model = torch.jit.load("export/roadnet_v3_traced.pt", map_location=device)
model.train()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
loader = DataLoader(RoadTiles("new_city"), batch_size=4, shuffle=True)
for epoch in range(10):
    for img, mask in loader:
        img, mask = img.to(device), mask.to(device)
        loss = F.binary_cross_entropy_with_logits(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
torch.jit.save(model, "export/roadnet_v4_traced.pt")
'''

# ------------------------------------------------------------------ CUDA and pinned memory in DataLoader workers
SCRIPTS["dataset-pins-tensors-in-forked-workers"] = '''
import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms

device = torch.device("cuda")


class PinnedFolder(Dataset):
    """returns page-locked tensors, so that .to(device, non_blocking=True) overlaps with compute"""

    def __init__(self, root):
        self.samples = datasets.ImageFolder(root).samples
        self.tf = transforms.Compose([transforms.RandomResizedCrop(128), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor()])

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        img = self.tf(Image.open(path).convert("RGB"))
        return img.pin_memory(), torch.tensor(label).pin_memory()


model = torchvision.models.resnet18(num_classes=3).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loader = DataLoader(PinnedFolder("flowers/train"), batch_size=8, shuffle=True, num_workers=4)
for epoch in range(10):
    for x, y in loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ mixed precision, fp16 range
SCRIPTS["gradscaler-update-every-micro-batch-accumulation"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
ACCUM = 4                  # effective batch 4 x 4 = 16, all the card can take at 224 px
tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=4, shuffle=True)
model = torchvision.models.resnet50(num_classes=3).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scaler = torch.cuda.amp.GradScaler()

for epoch in range(10):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        x, y = x.to(device), y.to(device)
        with torch.cuda.amp.autocast():
            loss = criterion(model(x), y) / ACCUM
        scaler.scale(loss).backward()
        if (i + 1) % ACCUM == 0:
            scaler.step(optimizer)
            optimizer.zero_grad()
        scaler.update()
    print(f"epoch {epoch}: {loss.item() * ACCUM:.3f}")
'''
SCRIPTS["amp-crowd-count-clip-error-if-nonfinite"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")


class Crowd(Dataset):
    """ShanghaiTech-style: an image and the number of heads annotated in it"""

    def __init__(self, root):
        with open(f"{root}/counts.csv") as f:
            self.rows = list(csv.DictReader(f))
        self.root = root
        self.tf = transforms.Compose([transforms.ToTensor(),
                                      transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        return self.tf(Image.open(f"{self.root}/images/{r['image']}").convert("RGB")), float(r["count"])


def conv(i, o, d=1):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=d, dilation=d), nn.ReLU(inplace=True))


# CSRNet-like: a VGG-style front end, a dilated back end, a 1x1 density map whose sum is the count
model = nn.Sequential(conv(3, 64), conv(64, 64), nn.MaxPool2d(2), conv(64, 128), conv(128, 128), nn.MaxPool2d(2),
                      conv(128, 256), conv(256, 256), nn.MaxPool2d(2),
                      conv(256, 256, 2), conv(256, 128, 2), conv(128, 64, 2), nn.Conv2d(64, 1, 1)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-5)
scaler = torch.amp.GradScaler("cuda")
loader = DataLoader(Crowd("crowd/part_B/train"), batch_size=4, shuffle=True)
for epoch in range(50):
    for img, count in loader:
        img, count = img.to(device), count.float().to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            density = model(img)
            loss = F.mse_loss(density.sum(dim=(1, 2, 3)), count)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.unscale_(optimizer)
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0, error_if_nonfinite=True)
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: mse {loss.item():.1f}")
'''
SCRIPTS["homography-net-inverse-under-autocast"] = '''
import glob
import random

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

device = torch.device("cuda")
P, RHO = 128, 24          # patch size, largest corner shift


class HomographyPairs(Dataset):
    """a patch and the same patch under a random perspective warp (DeTone et al. 2016)"""

    def __init__(self, pattern):
        self.files = sorted(glob.glob(pattern))

    def __len__(self):
        return len(self.files) * 8

    def __getitem__(self, i):
        img = cv2.imread(self.files[i % len(self.files)], cv2.IMREAD_GRAYSCALE)
        h, w = img.shape
        x, y = random.randint(RHO, w - P - RHO), random.randint(RHO, h - P - RHO)
        src = np.float32([[x, y], [x + P, y], [x + P, y + P], [x, y + P]])
        dst = src + np.random.uniform(-RHO, RHO, (4, 2)).astype(np.float32)
        H = cv2.getPerspectiveTransform(src, dst)
        warped = cv2.warpPerspective(img, np.linalg.inv(H), (w, h))
        a, b = img[y:y + P, x:x + P], warped[y:y + P, x:x + P]
        return torch.from_numpy(np.stack([a, b])).float() / 255


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True),
                         nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True), nn.MaxPool2d(2))


class HomographyNet(nn.Module):
    """regresses the 3x3 homography from patch a to patch b"""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(block(2, 64), block(64, 64), block(64, 128), block(128, 128))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(128 * 8 * 8, 1024), nn.ReLU(),
                                  nn.Linear(1024, 9))
        nn.init.zeros_(self.head[-1].weight)
        with torch.no_grad():
            self.head[-1].bias.copy_(torch.eye(3).flatten())

    def forward(self, x):
        H = self.head(self.features(x)).view(-1, 3, 3)
        return H / H[:, 2:, 2:]


def warp(img, H):
    """sample img at H^-1 applied to the pixel grid"""
    n = img.size(0)
    ys, xs = torch.meshgrid(torch.arange(P, device=img.device), torch.arange(P, device=img.device), indexing="ij")
    grid = torch.stack([xs, ys, torch.ones_like(xs)], -1).float().view(1, -1, 3).expand(n, -1, -1)
    pts = grid @ torch.linalg.inv(H).transpose(1, 2)
    pts = pts[..., :2] / pts[..., 2:]
    pts = pts / (P - 1) * 2 - 1
    return F.grid_sample(img, pts.view(n, P, P, 2), align_corners=True)


model = HomographyNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
scaler = torch.amp.GradScaler("cuda")
loader = DataLoader(HomographyPairs("coco_unlabeled/*.jpg"), batch_size=8, shuffle=True)
for epoch in range(30):
    for pair in loader:
        pair = pair.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            H = model(pair)
            loss = F.l1_loss(warp(pair[:, :1], H), pair[:, 1:])       # photometric loss, no labels needed
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: photometric L1 {loss.item():.4f}")
'''
SCRIPTS["style-transfer-lbfgs-closure-through-gradscaler"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from PIL import Image
from torchvision import transforms

device = torch.device("cuda")
SIZE = 512
load = transforms.Compose([transforms.Resize((SIZE, SIZE)), transforms.ToTensor()])
content = load(Image.open("images/dancing.jpg").convert("RGB")).unsqueeze(0).to(device)
style = load(Image.open("images/picasso.jpg").convert("RGB")).unsqueeze(0).to(device)

vgg = torchvision.models.vgg19(weights=None).features[:21].to(device).eval()
vgg.load_state_dict(torch.load("weights/vgg19_features_conv4_1.pth", map_location=device))
for p in vgg.parameters():
    p.requires_grad_(False)
mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)
STYLE_LAYERS, CONTENT_LAYER = {1, 6, 11, 20}, 20        # relu1_1, relu2_1, relu3_1, relu4_1


def features(img):
    out, x = {}, (img - mean) / std
    for i, layer in enumerate(vgg):
        x = layer(x)
        if i in STYLE_LAYERS or i == CONTENT_LAYER:
            out[i] = x
    return out


def gram(f):
    n, c, h, w = f.shape
    f = f.view(n, c, h * w)
    return f @ f.transpose(1, 2) / (c * h * w)


with torch.no_grad():
    style_grams = {i: gram(f) for i, f in features(style).items() if i in STYLE_LAYERS}
    content_target = features(content)[CONTENT_LAYER]

image = content.clone().requires_grad_(True)
optimizer = torch.optim.LBFGS([image], max_iter=20)
scaler = torch.amp.GradScaler("cuda")           # fp16 so that 512 px fits on the 6 GB card
for step in range(15):
    def closure():
        optimizer.zero_grad()
        with torch.autocast("cuda", dtype=torch.float16):
            f = features(image.clamp(0, 1))
            style_loss = sum(F.mse_loss(gram(f[i]), style_grams[i]) for i in STYLE_LAYERS)
            content_loss = F.mse_loss(f[CONTENT_LAYER], content_target)
            loss = 1e6 * style_loss + content_loss
        scaler.scale(loss).backward()
        return loss

    loss = scaler.step(optimizer, closure=closure)
    scaler.update()
    print(f"step {step}: {loss.item():.2f}")
torchvision.utils.save_image(image.detach().clamp(0, 1), "stylised.png")
'''

# ------------------------------------------------------------------ determinism, cuBLAS, CUDA graphs
SCRIPTS["stn-grid-sample-backward-deterministic-algorithms"] = '''
import os
os.environ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8"    # cuBLAS needs this for deterministic results

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
device = torch.device("cuda")


class STNClassifier(nn.Module):
    """spatial transformer in front of a small CNN (the PyTorch STN tutorial, on traffic signs)"""

    def __init__(self, n_classes):
        super().__init__()
        self.localization = nn.Sequential(nn.Conv2d(3, 8, 7), nn.MaxPool2d(2), nn.ReLU(True),
                                          nn.Conv2d(8, 10, 5), nn.MaxPool2d(2), nn.ReLU(True))
        self.fc_loc = nn.Sequential(nn.Linear(10 * 8 * 8, 32), nn.ReLU(True), nn.Linear(32, 6))
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(True),
                                      nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(True),
                                      nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.fc = nn.Linear(64, n_classes)

    def stn(self, x):
        theta = self.fc_loc(self.localization(x).flatten(1)).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.size())
        return F.grid_sample(x, grid)

    def forward(self, x):
        return self.fc(self.features(self.stn(x)))


tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor(),
                         transforms.Normalize([0.34, 0.31, 0.32], [0.27, 0.26, 0.27])])
train_set = datasets.ImageFolder("gtsrb/train", transform=tf)
loader = DataLoader(train_set, batch_size=16, shuffle=True, generator=torch.Generator().manual_seed(0))
model = STNClassifier(len(train_set.classes)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(20):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
CELLS["notebook-cuda-graph-capture-adam-not-capturable"] = [
    '''import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True, drop_last=True)


def block(i, o):
    return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(inplace=True), nn.MaxPool2d(2))


model = nn.Sequential(block(3, 32), block(32, 64), block(64, 128), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(128, 3)).to(device)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''# whole-network capture (CUDA graphs docs): static inputs, warm up on a side stream, then capture
static_input = torch.zeros(8, 3, 64, 64, device=device)
static_target = torch.zeros(8, dtype=torch.long, device=device)
x, y = next(iter(loader))
static_input.copy_(x)
static_target.copy_(y)

s = torch.cuda.Stream()
s.wait_stream(torch.cuda.current_stream())
with torch.cuda.stream(s):
    for _ in range(3):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(static_input), static_target)
        loss.backward()
        optimizer.step()
torch.cuda.current_stream().wait_stream(s)
print("warm-up loss", loss.item())''',
    '''g = torch.cuda.CUDAGraph()
optimizer.zero_grad(set_to_none=True)
with torch.cuda.graph(g):
    static_output = model(static_input)
    static_loss = loss_fn(static_output, static_target)
    static_loss.backward()
    optimizer.step()''',
    '''for epoch in range(20):
    for x, y in loader:
        static_input.copy_(x)
        static_target.copy_(y)
        g.replay()
    print(f"epoch {epoch}: {static_loss.item():.3f}")''',
]


# ====================================================================== setups
FLOWERS3 = ("daisy", "rose", "tulip")
flowers = imgs(class_folder("flowers/train", FLOWERS3, 6) + class_folder("flowers/test", FLOWERS3, 2))
flowers36 = imgs(class_folder("flowers/train", FLOWERS3, 12, size=(96, 96)))
leaves36 = imgs(class_folder("leaves/train", ("healthy", "rust", "scab"), 12, size=(96, 96)))
flowers_semi = imgs(class_folder("flowers/train", FLOWERS3, 4)
                    + [(f"flowers/unlabelled/IMG_{2000 + i:04d}.jpg", (64, 64), "RGB") for i in range(12)])
signs = imgs(class_folder("gtsrb/train", ("00001", "00013", "00014"), 6, size=(48, 48), ext="png"))
market = imgs([(f"Market-1501-v15.09.15/bounding_box_train/{pid:04d}_c{cam}s{1 + cam % 3}_{(pid * 937 + cam * 131) % 100000:06d}_0{1 + cam % 2}.jpg",
                (64, 128), "RGB") for pid in (2, 7, 10, 11) for cam in range(1, 7)])


def plates(work: Path):
    import random

    rnd = random.Random(3)
    chars = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    texts = ["".join(rnd.choice(chars) for _ in range(rnd.choice((6, 7, 7, 8)))) for _ in range(16)]
    make_images(work, [(f"plates/plate_{i:04d}.png", (128, 32), "L") for i in range(16)])
    (work / "plates/labels.csv").write_text("filename,text\n" + "".join(f"plate_{i:04d}.png,{t}\n"
                                                                        for i, t in enumerate(texts)))


def voc(work: Path):
    objects = [["person", "person", "bicycle"], ["dog"], ["car", "car", "car", "person"], ["cat", "sofa"],
               ["person", "horse"], ["bird"], ["chair", "chair", "diningtable", "person"], ["boat"],
               ["tvmonitor", "sofa"], ["bus", "car"]]
    make_images(work, [(f"VOCdevkit/VOC2012/JPEGImages/2008_{i:06d}.jpg", (160, 120), "RGB") for i in range(10)])
    d = work / "VOCdevkit/VOC2012/Annotations"
    d.mkdir(parents=True, exist_ok=True)
    for i, objs in enumerate(objects):
        body = "".join(f"<object><name>{o}</name><pose>Unspecified</pose><truncated>0</truncated>"
                       f"<difficult>0</difficult><bndbox><xmin>{10 + 12 * k}</xmin><ymin>{8 + 9 * k}</ymin>"
                       f"<xmax>{60 + 12 * k}</xmax><ymax>{70 + 9 * k}</ymax></bndbox></object>"
                       for k, o in enumerate(objs))
        (d / f"2008_{i:06d}.xml").write_text(
            f"<annotation><folder>VOC2012</folder><filename>2008_{i:06d}.jpg</filename>"
            f"<size><width>160</width><height>120</height><depth>3</depth></size><segmented>0</segmented>"
            f"{body}</annotation>\n")


SPECIES = {"blue_jay": "Corvidae", "house_finch": "Fringillidae", "house_sparrow": "Passeridae",
           "mallard": "Anatidae", "northern_cardinal": "Cardinalidae", "wood_duck": "Anatidae"}


def birds_taxonomy(work: Path):
    make_images(work, class_folder("birds/train", sorted(SPECIES), 3))
    # exported before wood_duck was added to the dataset
    rows = [f"{s},{f}" for s, f in SPECIES.items() if s != "wood_duck"]
    (work / "birds/taxonomy.csv").write_text("species,family\n" + "\n".join(rows) + "\n")


def ham10000(work: Path):
    dx = ["nv"] * 10 + ["mel"] * 4 + ["bkl"] * 4 + ["bcc"] * 3 + ["akiec"] * 3 + ["vasc"] * 2 + ["df"] * 2
    folds = ["1", "2", "3", "4", "0"] * 6
    rows = ["lesion_id,image_id,dx,dx_type,age,sex,localization,fold"]
    for i, d in enumerate(dx):
        fold = "0" if d == "df" else ("1" if d == "vasc" else folds[i])
        rows.append(f"HAM_{1000 + 37 * i:07d},ISIC_{24306 + 11 * i:07d},{d},histo,{35 + 5 * (i % 9)}.0,"
                    f"{'male' if i % 2 else 'female'},{('back', 'trunk', 'face', 'lower extremity')[i % 4]},{fold}")
    (work / "ham10000").mkdir(parents=True, exist_ok=True)
    (work / "ham10000/HAM10000_metadata.csv").write_text("\n".join(rows) + "\n")
    make_images(work, [(f"ham10000/images/ISIC_{24306 + 11 * i:07d}.jpg", (96, 96), "RGB") for i in range(len(dx))])


slide_tile = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(12)
    os.makedirs("camelyon/tiles", exist_ok=True)
    os.makedirs("camelyon/masks", exist_ok=True)
    yy, xx = np.mgrid[0:1024, 0:1024]
    base = np.stack([200 - (xx // 16) % 40, 120 + (yy // 24) % 60, 190 - ((xx + yy) // 32) % 50], -1)
    img = (base + rng.integers(0, 20, (1024, 1024, 3))).clip(0, 255).astype(np.uint8)
    Image.fromarray(img).save("camelyon/tiles/tumor_042_x18432_y40960.png")
    mask = (((xx - 600) ** 2 + (yy - 420) ** 2) < 180 ** 2).astype(np.uint8) * 255
    Image.fromarray(mask).save("camelyon/masks/tumor_042_x18432_y40960.png")
''')
drone = prep('''
    import json, os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(13)
    os.makedirs("drone/images", exist_ok=True)
    yy, xx = np.mgrid[0:2160, 0:3840]
    images, anns = [], []
    for i in range(4):
        base = np.stack([(xx // 30 + i * 7) % 90 + 60, (yy // 40 + i * 3) % 80 + 70, ((xx + yy) // 60) % 70 + 50], -1)
        Image.fromarray(base.astype(np.uint8)).save(f"drone/images/DJI_{i + 231:04d}.JPG", quality=90)
        images.append({"id": i + 1, "file_name": f"DJI_{i + 231:04d}.JPG", "width": 3840, "height": 2160})
        for k in range(6):
            w, h = int(rng.integers(20, 40)), int(rng.integers(14, 30))
            x, y = int(rng.integers(0, 3840 - w)), int(rng.integers(0, 2160 - h))
            anns.append({"id": len(anns) + 1, "image_id": i + 1, "bbox": [x, y, w, h], "area": w * h,
                         "category_id": 1 + (k % 3 == 0), "iscrowd": 0})
    json.dump({"images": images, "annotations": anns,
               "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "pedestrian"}]},
              open("drone/annotations.json", "w"))
''')
teacher = prep('''
    import os
    import torch, torchvision
    torch.manual_seed(0)
    os.makedirs("checkpoints", exist_ok=True)
    torch.save(torchvision.models.resnet152(num_classes=3).state_dict(), "checkpoints/teacher_resnet152.pth")
''')
ema_ckpt = prep('''
    import os
    import torch, torchvision
    torch.manual_seed(0)
    os.makedirs("checkpoints", exist_ok=True)
    m = torchvision.models.resnet18(num_classes=3)
    o = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=0.05)
    torch.nn.functional.cross_entropy(m(torch.rand(4, 3, 96, 96)), torch.tensor([0, 1, 2, 0])).backward()
    o.step()
    ema = {k: v.detach().clone() for k, v in m.state_dict().items()}
    torch.save({"model": m.state_dict(), "optimizer": o.state_dict(), "ema": ema, "epoch": 17}, "checkpoints/last.pth")
''')
vgg16_relu3 = prep('''
    import os
    import torch, torchvision
    torch.manual_seed(0)
    os.makedirs("weights", exist_ok=True)
    torch.save(torchvision.models.vgg16(weights=None).features[:16].state_dict(), "weights/vgg16_features_relu3_3.pth")
''')
div2k = imgs([(f"div2k/train_HR/{801 + i:04d}.png", (128, 128), "RGB") for i in range(8)])
roadnet = prep('''
    import os
    import numpy as np
    import torch
    import torch.nn as nn
    from PIL import Image


    class CoordConv(nn.Module):
        """adds normalised x, y coordinate channels before the convolution (Liu et al. 2018)"""

        def __init__(self, i, o, **kw):
            super().__init__()
            self.conv = nn.Conv2d(i + 2, o, **kw)

        def forward(self, x):
            b, _, h, w = x.shape
            ys = torch.linspace(-1, 1, h, device=x.device).view(1, 1, h, 1).expand(b, 1, h, w)
            xs = torch.linspace(-1, 1, w, device=x.device).view(1, 1, 1, w).expand(b, 1, h, w)
            return self.conv(torch.cat([x, ys, xs], 1))


    class RoadNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(CoordConv(3, 32, kernel_size=3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                                     nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                                     nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                                     nn.ConvTranspose2d(64, 32, 2, stride=2), nn.ReLU(), nn.Conv2d(32, 1, 1))

        def forward(self, x):
            return self.net(x)


    torch.manual_seed(0)
    os.makedirs("export", exist_ok=True)
    torch.jit.trace(RoadNet().eval(), torch.rand(1, 3, 256, 256)).save("export/roadnet_v3_traced.pt")
    rng = np.random.default_rng(14)
    for d in ("new_city/sat", "new_city/map"):
        os.makedirs(d, exist_ok=True)
    for i in range(8):
        Image.fromarray(rng.integers(0, 256, (256, 256, 3), dtype=np.uint8)).save(f"new_city/sat/tile_{i:03d}.png")
        road = np.zeros((256, 256), dtype=np.uint8)
        road[:, 100 + 8 * i:120 + 8 * i] = 255
        Image.fromarray(road).save(f"new_city/map/tile_{i:03d}.png")
''')


def appa_real(work: Path):
    ages = [1, 5, 9, 17, 24, 29, 33, 41, 47, 52, 58, 66, 73, 12, 38, 61]
    names = [f"{i:06d}.jpg" for i in range(len(ages))]
    make_images(work, [(f"appa-real/train/{n}_face.jpg", (96, 96), "RGB") for n in names])
    (work / "appa-real/gt_avg_train.csv").write_text(
        "file_name,num_ratings,apparent_age_avg,apparent_age_std,real_age\n"
        + "".join(f"{n},{30 + i},{a + 1.3:.2f},{3.1 + i % 4:.2f},{a}\n" for i, (n, a) in enumerate(zip(names, ages))))


def crowd(work: Path):
    make_images(work, [(f"crowd/part_B/train/images/IMG_{i + 1}.jpg", (256, 192), "RGB") for i in range(8)])
    counts = [312, 547, 268, 893, 405, 731, 190, 624]
    (work / "crowd/part_B/train/counts.csv").write_text(
        "image,count\n" + "".join(f"IMG_{i + 1}.jpg,{c}\n" for i, c in enumerate(counts)))


coco_unlabeled = prep('''
    import os
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(15)
    os.makedirs("coco_unlabeled", exist_ok=True)
    yy, xx = np.mgrid[0:240, 0:320]
    for i in range(6):
        img = ((np.sin(xx / (7 + i)) + np.cos(yy / (5 + i)) + 2) * 60 + rng.integers(0, 30, (240, 320))).clip(0, 255)
        Image.fromarray(img.astype(np.uint8)).convert("RGB").save(f"coco_unlabeled/{i + 139:012d}.jpg")
''')
style_images = prep('''
    import os
    import numpy as np
    import torch, torchvision
    from PIL import Image
    rng = np.random.default_rng(16)
    os.makedirs("images", exist_ok=True)
    os.makedirs("weights", exist_ok=True)
    yy, xx = np.mgrid[0:512, 0:512]
    content = np.stack([(xx // 4) % 256, (yy // 3) % 256, ((xx + yy) // 5) % 256], -1) + rng.integers(0, 16, (512, 512, 3))
    style = np.stack([((xx * yy) // 97) % 256, (xx // 2) % 256, (yy // 2) % 256], -1)
    Image.fromarray(content.clip(0, 255).astype(np.uint8)).save("images/dancing.jpg")
    Image.fromarray(style.astype(np.uint8)).save("images/picasso.jpg")
    torch.manual_seed(0)
    torch.save(torchvision.models.vgg19(weights=None).features[:21].state_dict(), "weights/vgg19_features_conv4_1.pth")
''')


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, argv=(), **kw):
        out.append(Case("torch-cuda5-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, argv=["train.py", *argv], **kw))

    def notebook(key, cause, forms=("ipython_cell", "ipython_arrows?"), setup=None, **kw):
        out.append(Case("torch-cuda5-" + key, cause, list(forms), nb(CELLS[key]), argv=["nb_runner.py"],
                        home_is_project=True, setup=setup, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts: labels and indices
    script("reid-market1501-camera-embedding-one-based-ids", "data.label_out_of_range", (*assertf, "progress_bars?"),
           setup=market)
    script("plate-ocr-label-smoothing-gather-minus-100-padding", "data.label_out_of_range", assertf, setup=plates,
           also=["model.api_misuse"])
    script("voc-multilabel-object-counts-bce-target-above-one", "data.label_out_of_range", assertf, setup=voc,
           also=["data.label_shape"])
    script("species-family-taxonomy-index-select-new-species", "data.label_out_of_range", assertf,
           setup=birds_taxonomy, also=["data.missing_or_corrupt"])
    notebook("notebook-pseudo-label-one-hot-unlabelled-minus-one", "data.label_out_of_range",
             ("ipython_cell", "ipython_arrows?", "cuda_device_assert?", "cuda_assert?"), setup=flowers_semi)
    script("ham10000-num-classes-from-train-folds-rare-class", "data.label_out_of_range", assertf, setup=ham10000,
           also=["model.output_mismatch"])
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    notebook("notebook-forward-hooks-keep-every-activation", "resource.gpu_oom",
             ("ipython_cell", "ipython_arrows?", "cuda_oom"), setup=flowers36)
    script("oom-unfold-stride-one-patch-per-pixel", "resource.gpu_oom", oomf, setup=slide_tile)
    script("oom-fasterrcnn-4k-drone-frames-full-resolution", "resource.gpu_oom", (*oomf, "progress_bars?"),
           setup=drone)
    script("oom-distillation-teacher-forward-without-no-grad", "resource.gpu_oom", oomf, setup=both(flowers36, teacher),
           also=["optim.autograd_graph"])
    script("oom-kfold-ensemble-keeps-every-fold-model-on-gpu", "resource.gpu_oom", oomf, setup=leaves36)
    # two devices
    script("ema-shadow-resumed-with-map-location-cpu", "env.device_mismatch", setup=both(flowers, ema_ckpt),
           argv=("--resume", "checkpoints/last.pth"))
    script("super-resolution-vgg-perceptual-loss-left-on-cpu", "env.device_mismatch", setup=both(div2k, vgg16_relu3))
    script("age-groups-bucketize-edges-left-on-cpu", "env.device_mismatch", setup=appa_real)
    script("torchscript-traced-on-cpu-finetuned-on-gpu", "env.device_mismatch", setup=roadnet,
           also=["model.api_misuse"])
    # pinned memory in forked DataLoader workers
    script("dataset-pins-tensors-in-forked-workers", "env.multiprocessing", ("cpython_basic", "dataloader_worker?"),
           setup=flowers, also=["model.api_misuse"])
    # mixed precision and the fp16 range
    script("gradscaler-update-every-micro-batch-accumulation", "model.api_misuse", setup=flowers)
    script("amp-crowd-count-clip-error-if-nonfinite", "optim.divergence", setup=crowd, also=["model.api_misuse"])
    script("homography-net-inverse-under-autocast", "data.dtype", setup=coco_unlabeled, also=["model.api_misuse"])
    script("style-transfer-lbfgs-closure-through-gradscaler", "model.api_misuse", setup=style_images)
    # deterministic algorithms, cuBLAS, CUDA graphs
    script("stn-grid-sample-backward-deterministic-algorithms", "other", setup=signs, also=["env.cuda_setup"])
    notebook("notebook-cuda-graph-capture-adam-not-capturable", "model.api_misuse", setup=flowers)
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC, jobs=6))
