"""A third set of failures that only a GPU shows: PyTorch / torchvision / ImageAI 3 training on CUDA.

Device-side asserts from kernels and data faults that ``torch_cuda.py`` and ``torch_cuda2.py``
do not have: RetinaNet given COCO's 1-based category ids (``index_put`` in its classification
loss), landmark heatmaps indexed by a keypoint past the image border, SVHN's ``.mat`` labels
(10 for the digit 0) under ``MultiMarginLoss``, a learned position embedding sized for 224 px
fed 256 px images (``index_select``), masks resized bilinearly so the 255 border smears into
other values, UTKFace ages of 100+ binned by decade, and a caption vocabulary that forgot the pad id.
Out of memory in other shapes: a 3D U-Net over whole CT volumes, a full-batch regression whose
``(N, 1)`` output broadcasts against ``(N,)`` targets into ``N x N``, ``torch.cdist`` over a whole
retrieval gallery, a uint8 image cache normalised on the GPU, an ArcFace head over 600k
identities, and a notebook that builds a bigger model while the first is still alive (a memory cap
in GiB on the big card stands in for a smaller one). Two devices: a Normalize module with plain
tensor attributes, blocks kept in a Python list, an EMA copy made before ``.to``, a CPU table
indexed with CUDA indices, ``random_split`` with a CUDA generator, ``pack_padded_sequence``
lengths on the GPU (notebook), Faster R-CNN targets left on the CPU. AMP and dtypes: a custom
``autograd.Function`` without ``custom_bwd``, ``torch.quantile`` on half logits, ``masked_fill``
with -1e9 on half attention scores. cuDNN: a decoder GRU started from a non-contiguous slice of
the encoder's state; channels_last features flattened with ``view``. Setup: ``DataParallel``
over two device ids on one card, nvJPEG given a PNG named ``.jpg``. ImageAI 3: trainers started in a
forked ``multiprocessing.Pool`` after the parent touched CUDA.

Every case is a small real program; the label is known by construction. It needs a CUDA
GPU (recorded on an NVIDIA H200 with torch 2.11 + cu130, through the device tool, see the
README); without one it writes nothing. Two programs of the first draft did not fail there and were
dropped: Adam at lr 0.5 under AMP only drove the GradScaler's scale to 0 (the loss stayed finite,
clamped by BCE), and ImageAI under ``use_deterministic_algorithms(True)`` trained to the end.

    EE_TORCH_VENV=/opt/torch/.venv python corpus/generators/torch_cuda3.py [-k filter] [--out DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _record import Case, both, class_folder, imgs, make_images, nb, prep, run_gpu_cases, oom_head, shelf  # noqa: E402

SRC = "corpus/generators/torch_cuda3.py"

SCRIPTS = {}
CELLS = {}

# ------------------------------------------------------------------ device-side asserts: labels, indices
SCRIPTS["retinanet-coco-category-ids-one-based"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import retinanet_resnet50_fpn
from torchvision.transforms.functional import to_tensor

device = torch.device("cuda")
CLASSES = ["bottle", "can", "carton"]


class CocoDetection(Dataset):
    """shelf photos + the COCO json exported from CVAT"""

    def __init__(self, root, ann_file):
        coco = json.load(open(ann_file))
        self.root, self.images = root, coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = to_tensor(Image.open(f"{self.root}/{info['file_name']}").convert("RGB"))
        anns = self.anns[info["id"]]
        boxes = [[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)]
        return img, {"boxes": torch.tensor(boxes, dtype=torch.float32),
                     "labels": torch.tensor([a["category_id"] for a in anns])}


loader = DataLoader(CocoDetection("shelf/images", "shelf/annotations.json"), batch_size=2, shuffle=True,
                    collate_fn=lambda batch: tuple(zip(*batch)))
model = retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASSES),
                               min_size=320, max_size=480).to(device)
params = [p for p in model.parameters() if p.requires_grad]
optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=1e-4)

for epoch in range(3):
    model.train()
    for images, targets in loader:
        images = [img.to(device) for img in images]
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        losses = model(images, targets)
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: " + ", ".join(f"{k} {v.item():.3f}" for k, v in losses.items()))
'''
SCRIPTS["landmark-heatmap-keypoint-past-image-border"] = '''
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms.functional import to_tensor

device = "cuda"
NUM_KP, STRIDE, HM = 5, 4, 32   # 128x128 face crops -> 32x32 heatmaps


class Landmarks(Dataset):
    def __init__(self, csv_file):
        with open(csv_file) as f:
            self.rows = list(csv.DictReader(f))

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        r = self.rows[i]
        img = to_tensor(Image.open(f"faces/{r['image']}").convert("RGB"))
        kps = torch.tensor([[float(r[f"x{k}"]), float(r[f"y{k}"])] for k in range(NUM_KP)])
        return img, kps


def render_heatmaps(kps):
    """a peak at each landmark's heatmap cell, blurred with a Gaussian below"""
    b = kps.shape[0]
    hm = torch.zeros(b, NUM_KP, HM, HM, device=kps.device)
    cols = (kps[..., 0] / STRIDE).long()
    rows = (kps[..., 1] / STRIDE).long()
    bi = torch.arange(b, device=kps.device)[:, None].expand(b, NUM_KP)
    ki = torch.arange(NUM_KP, device=kps.device)[None, :].expand(b, NUM_KP)
    hm[bi, ki, rows, cols] = 1.0
    return hm


g = torch.exp(-torch.arange(-2.0, 3.0) ** 2 / 2)
gauss = (g[:, None] * g[None, :]).expand(NUM_KP, 1, 5, 5).contiguous().to(device)


def conv(i, o, s=1):
    return nn.Sequential(nn.Conv2d(i, o, 3, s, 1), nn.BatchNorm2d(o), nn.ReLU(inplace=True))


model = nn.Sequential(conv(3, 32), conv(32, 64, 2), conv(64, 64), conv(64, 128, 2), conv(128, 128),
                      nn.Conv2d(128, NUM_KP, 1)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(Landmarks("faces/landmarks.csv"), batch_size=4, shuffle=True)
for epoch in range(5):
    for img, kps in loader:
        img, kps = img.to(device), kps.to(device)
        target = F.conv2d(render_heatmaps(kps), gauss, padding=2, groups=NUM_KP)
        loss = F.mse_loss(model(img), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: heatmap mse {loss.item():.5f}")
'''
SCRIPTS["svhn-mat-labels-ten-for-zero-multimargin"] = '''
import scipy.io
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

device = "cuda"
mat = scipy.io.loadmat("svhn/train_32x32.mat")
X = torch.from_numpy(mat["X"]).permute(3, 2, 0, 1).float() / 255.0   # (32, 32, 3, N) -> (N, 3, 32, 32)
y = torch.from_numpy(mat["y"].ravel()).long()                          # the digit on the house number
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)

model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 10),
).to(device)
criterion = nn.MultiMarginLoss(margin=1.0)   # multi-class SVM (hinge) loss instead of softmax
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    correct = 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        scores = model(xb)
        loss = criterion(scores, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        correct += (scores.argmax(1) == yb).sum().item()
    print(f"epoch {epoch}: loss {loss.item():.3f} acc {correct / len(X):.3f}")
'''
SCRIPTS["vit-learned-positions-224-fed-256px"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")


class TinyViT(nn.Module):
    def __init__(self, img_size=224, patch=16, dim=192, depth=4, heads=3, num_classes=3):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, dim, patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Embedding((img_size // patch) ** 2 + 1, dim)   # learned positions
        layer = nn.TransformerEncoderLayer(dim, heads, dim * 4, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, depth)
        self.head = nn.Linear(dim, num_classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], dim=1)
        x = x + self.pos_embed(torch.arange(x.size(1), device=x.device))
        return self.head(self.encoder(x)[:, 0])


# 256 px keeps more detail than 224 for the small petals
tf = transforms.Compose([transforms.Resize((256, 256)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
model = TinyViT().to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
for epoch in range(5):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["seg-masks-resized-bilinear-ignore-border-smeared"] = '''
import glob

import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.transforms.functional import to_tensor

device = "cuda"
NUM_CLASSES = 3   # background, building, road
resize = transforms.Resize((128, 128))


class Aerial(Dataset):
    def __init__(self, root):
        self.images = sorted(glob.glob(f"{root}/images/*.png"))

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        img = Image.open(self.images[i]).convert("RGB")
        mask = Image.open(self.images[i].replace("/images/", "/masks/"))
        img, mask = resize(img), resize(mask)     # same size for both
        return to_tensor(img), torch.from_numpy(np.array(mask)).long()


model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                      nn.Conv2d(32, NUM_CLASSES, 1)).to(device)
criterion = nn.CrossEntropyLoss(ignore_index=255)   # 255 = object outlines, not labelled
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for img, mask in DataLoader(Aerial("aerial/train"), batch_size=4, shuffle=True):
        img, mask = img.to(device), mask.to(device)
        loss = criterion(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["utkface-age-decade-bins-centenarian"] = '''
import glob
import os

import torch
import torch.nn as nn
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"
AGE_GROUPS = 10   # 0-9, 10-19, ..., 90-99


class UTKFace(Dataset):
    """files are named [age]_[gender]_[race]_[date&time].jpg.chip.jpg"""

    def __init__(self, root, tf):
        self.files, self.tf = sorted(glob.glob(os.path.join(root, "*.jpg"))), tf

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        age = int(os.path.basename(self.files[i]).split("_")[0])
        return self.tf(Image.open(self.files[i]).convert("RGB")), age // 10


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(UTKFace("UTKFace", tf), batch_size=8, shuffle=True)
model = torchvision.models.resnet18(num_classes=AGE_GROUPS).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(5):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["caption-vocab-pad-zero-not-counted"] = '''
import json

import torch
import torch.nn as nn
from PIL import Image
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"
captions = json.load(open("captions/captions.json"))
words = sorted({w for c in captions.values() for w in c.lower().split()})
word2id = {w: i + 1 for i, w in enumerate(words)}   # 0 is <pad>
word2id["<start>"] = len(word2id) + 1
word2id["<end>"] = len(word2id) + 1
vocab_size = len(word2id)
print("vocabulary:", vocab_size, "tokens")


class Captions(Dataset):
    def __init__(self):
        self.items = sorted(captions.items())
        self.tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, text = self.items[i]
        ids = [word2id["<start>"]] + [word2id[w] for w in text.lower().split()] + [word2id["<end>"]]
        return self.tf(Image.open(f"captions/{path}").convert("RGB")), torch.tensor(ids)


def collate(batch):
    images, caps = zip(*batch)
    return torch.stack(images), pad_sequence(caps, batch_first=True, padding_value=0)


class Captioner(nn.Module):
    def __init__(self, vocab_size, dim=256):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                     nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, dim))
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.lstm = nn.LSTM(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, vocab_size)

    def forward(self, images, tokens):
        h0 = self.encoder(images).unsqueeze(0)
        out, _ = self.lstm(self.embed(tokens), (h0, torch.zeros_like(h0)))
        return self.out(out)


model = Captioner(vocab_size).to(device)
criterion = nn.CrossEntropyLoss(ignore_index=0)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loader = DataLoader(Captions(), batch_size=4, shuffle=True, collate_fn=collate)
for epoch in range(10):
    for images, caps in loader:
        images, caps = images.to(device), caps.to(device)
        logits = model(images, caps[:, :-1])          # teacher forcing
        loss = criterion(logits.reshape(-1, vocab_size), caps[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ out of memory in other shapes
SCRIPTS["oom-3d-unet-whole-ct-volumes"] = oom_head("8", "the lab's 8 GB card") + '''
import glob

import numpy as np
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

device = "cuda"


class CTScans(Dataset):
    def __init__(self, root):
        self.volumes = sorted(glob.glob(f"{root}/case_*_ct.npy"))

    def __len__(self):
        return len(self.volumes)

    def __getitem__(self, i):
        hu = np.load(self.volumes[i]).astype(np.float32)            # (slices, 256, 256) Hounsfield units
        vol = (np.clip(hu, -1000, 400) + 1000) / 1400
        seg = np.load(self.volumes[i].replace("_ct.npy", "_seg.npy")).astype(np.int64)
        return torch.from_numpy(vol)[None], torch.from_numpy(seg)


def block(i, o):
    return nn.Sequential(nn.Conv3d(i, o, 3, padding=1), nn.BatchNorm3d(o), nn.ReLU(inplace=True),
                         nn.Conv3d(o, o, 3, padding=1), nn.BatchNorm3d(o), nn.ReLU(inplace=True))


class UNet3D(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.enc1, self.enc2 = block(1, 32), block(32, 64)
        self.pool = nn.MaxPool3d(2)
        self.up = nn.ConvTranspose3d(64, 32, 2, stride=2)
        self.dec1 = block(64, 32)
        self.out = nn.Conv3d(32, n_classes, 1)

    def forward(self, x):
        a = self.enc1(x)
        b = self.enc2(self.pool(a))
        return self.out(self.dec1(torch.cat([self.up(b), a], 1)))


model = UNet3D().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(CTScans("ct/train"), batch_size=4, shuffle=True)   # whole volumes, no patches
for epoch in range(10):
    for vol, seg in loader:
        vol, seg = vol.to(device), seg.to(device)
        loss = criterion(model(vol), seg)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.4f}")
'''
SCRIPTS["oom-full-batch-regression-target-broadcast"] = oom_head("4", "a 4 GB laptop GPU") + '''
import numpy as np
import torch.nn as nn
import torch.nn.functional as F

device = "cuda"
data = np.loadtxt("housing/train.csv", delimiter=",", skiprows=1, dtype=np.float32)
X = torch.from_numpy(data[:, :-1]).to(device)
y = torch.from_numpy(data[:, -1]).to(device)          # median house value
X = (X - X.mean(0)) / X.std(0)
print("training rows:", len(X))

model = nn.Sequential(nn.Linear(X.shape[1], 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(500):       # full batch: the whole table is on the GPU anyway
    pred = model(X)
    loss = F.mse_loss(pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 50 == 0:
        print(f"epoch {epoch}: rmse {loss.item() ** 0.5:.3f}")
'''
SCRIPTS["oom-cdist-whole-retrieval-gallery"] = oom_head("8", "the 8 GB card of the eval box") + '''
import numpy as np
import torch.nn.functional as F

device = "cuda"
# embeddings written by extract.py for the Stanford-Online-Products-style split
query = F.normalize(torch.from_numpy(np.load("embeddings/query.npy")).to(device), dim=1)
gallery = F.normalize(torch.from_numpy(np.load("embeddings/gallery.npy")).to(device), dim=1)
q_labels = torch.from_numpy(np.load("embeddings/query_labels.npy")).to(device)
g_labels = torch.from_numpy(np.load("embeddings/gallery_labels.npy")).to(device)
print(f"{len(query)} queries x {len(gallery)} gallery images")

with torch.no_grad():
    dist = torch.cdist(query, gallery)                  # every query against every gallery image
    nearest = dist.topk(5, dim=1, largest=False).indices
    hits = (g_labels[nearest] == q_labels[:, None])
    for k in (1, 5):
        print(f"recall@{k}: {hits[:, :k].any(1).float().mean().item():.4f}")
'''
SCRIPTS["oom-uint8-image-cache-normalised-on-gpu"] = oom_head("3.2", "a 4 GB GTX 1650 laptop") + '''
import numpy as np
import torch.nn as nn
import torchvision

device = "cuda"
# the decoded, resized training set cached by prepare.py: (N, 160, 160, 3) uint8
images = torch.from_numpy(np.load("cache/train_160.npy")).to(device)
labels = torch.from_numpy(np.load("cache/train_labels.npy")).to(device)
print("cached images on the GPU:", tuple(images.shape))
# keep the whole set on the GPU: no DataLoader, no worker processes
mean = torch.tensor([0.485, 0.456, 0.406], device=device).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225], device=device).view(1, 3, 1, 1)
images = (images.permute(0, 3, 1, 2).float().div(255) - mean) / std

model = torchvision.models.resnet18(num_classes=10).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for epoch in range(5):
    perm = torch.randperm(len(images), device=device)
    for i in range(0, len(images), 128):
        idx = perm[i:i + 128]
        loss = nn.functional.cross_entropy(model(images[idx]), labels[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["oom-arcface-head-600k-identities"] = oom_head("3.2", "the 4 GB card of the workstation") + '''
import math

import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
NUM_IDENTITIES = 617_970     # WebFace12M


class ArcFace(nn.Module):
    def __init__(self, dim, n_classes, s=64.0, m=0.5):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_classes, dim))
        nn.init.xavier_uniform_(self.weight)
        self.s, self.cos_m, self.sin_m = s, math.cos(m), math.sin(m)

    def forward(self, emb, labels):
        cos = F.linear(F.normalize(emb), F.normalize(self.weight)).clamp(-1 + 1e-7, 1 - 1e-7)
        sin = torch.sqrt(1.0 - cos * cos)
        phi = cos * self.cos_m - sin * self.sin_m                  # cos(theta + m)
        one_hot = F.one_hot(labels, cos.size(1)).to(cos.dtype)
        return self.s * (one_hot * phi + (1 - one_hot) * cos)


tf = transforms.Compose([transforms.Resize((112, 112)), transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])
loader = DataLoader(datasets.ImageFolder("faces/train", transform=tf), batch_size=256, shuffle=True)
backbone = torchvision.models.resnet18(num_classes=512).to(device)
head = ArcFace(512, NUM_IDENTITIES).to(device)
optimizer = torch.optim.SGD(list(backbone.parameters()) + list(head.parameters()), lr=0.1, momentum=0.9,
                            weight_decay=5e-4)
for epoch in range(2):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(head(backbone(x), y), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
CELLS["oom-notebook-bigger-model-while-first-alive"] = [
    '''import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

torch.cuda.set_per_process_memory_fraction(15 * 2**30 / torch.cuda.get_device_properties(0).total_memory)   # what Colab's free T4 (15 GB) gives us
device = "cuda"
print(torch.cuda.get_device_name(0))''',
    '''def loaders(size, bs):
    tf = transforms.Compose([transforms.Resize((size, size)), transforms.ToTensor()])
    return DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=bs, shuffle=True)


model = torchvision.models.resnet50(num_classes=3).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
for epoch in range(2):
    for x, y in loaders(224, 16):
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"resnet50 epoch {epoch}: {loss.item():.3f}")
print(f"{torch.cuda.memory_allocated() / 2**30:.2f} GiB allocated")''',
    '''# resnet50 plateaued: try a bigger backbone at a higher resolution
model2 = torchvision.models.resnet152(num_classes=3).to(device)
optimizer2 = torch.optim.Adam(model2.parameters(), lr=1e-4)
for epoch in range(2):
    for x, y in loaders(640, 32):
        x, y = x.to(device), y.to(device)
        loss2 = nn.functional.cross_entropy(model2(x), y)
        optimizer2.zero_grad()
        loss2.backward()
        optimizer2.step()
    print(f"resnet152 epoch {epoch}: {loss2.item():.3f}")''',
]

# ------------------------------------------------------------------ tensors and modules on two devices
SCRIPTS["normalize-module-plain-tensor-attributes"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")


class Normalize(nn.Module):
    """ImageNet normalisation inside the model, so the exported model takes raw [0, 1] images"""

    def __init__(self, mean, std):
        super().__init__()
        self.mean = torch.tensor(mean).view(1, 3, 1, 1)
        self.std = torch.tensor(std).view(1, 3, 1, 1)

    def forward(self, x):
        return (x - self.mean) / self.std


model = nn.Sequential(Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
                      torchvision.models.resnet18(num_classes=3)).to(device)
tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["multiscale-branches-in-python-list"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"


class MultiScaleNet(nn.Module):
    """three branches with 3x3, 5x5 and 7x7 kernels, concatenated"""

    def __init__(self, num_classes=4):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.branches = [nn.Sequential(nn.Conv2d(32, 32, k, padding=k // 2), nn.BatchNorm2d(32), nn.ReLU())
                         for k in (3, 5, 7)]
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(96, num_classes))

    def forward(self, x):
        x = self.stem(x)
        return self.head(torch.cat([b(x) for b in self.branches], dim=1))


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("birds/train", transform=tf), batch_size=8, shuffle=True)
model = MultiScaleNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["ema-copy-made-before-model-to-device"] = '''
import copy

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda")
model = torchvision.models.resnet18(num_classes=3)
ema = copy.deepcopy(model)            # exponential moving average of the weights, for evaluation
for p in ema.parameters():
    p.requires_grad_(False)
model = model.to(device)


@torch.no_grad()
def update_ema(ema, model, decay=0.999):
    for e, p in zip(ema.parameters(), model.parameters()):
        e.mul_(decay).add_(p.detach(), alpha=1 - decay)


tf = transforms.Compose([transforms.Resize((96, 96)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
for epoch in range(5):
    model.train()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        update_ema(ema, model)
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["distillation-cpu-teacher-table-cuda-indices"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets, transforms

device = "cuda"
T = 4.0
teacher_probs = torch.load("teacher/soft_labels.pt")    # (N, 3): the big model's softened predictions


class WithIndex(Dataset):
    def __init__(self, ds):
        self.ds = ds

    def __len__(self):
        return len(self.ds)

    def __getitem__(self, i):
        x, y = self.ds[i]
        return x, y, i


tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(WithIndex(datasets.ImageFolder("flowers/train", transform=tf)), batch_size=8, shuffle=True)
student = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                        nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 3)).to(device)
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
for epoch in range(5):
    for x, y, idx in loader:
        x, y, idx = x.to(device), y.to(device), idx.to(device)
        logits = student(x)
        soft = teacher_probs[idx]
        kd = F.kl_div(F.log_softmax(logits / T, 1), soft, reduction="batchmean") * T * T
        loss = 0.7 * kd + 0.3 * F.cross_entropy(logits, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["random-split-generator-on-cuda"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
torch.manual_seed(42)
g = torch.Generator(device=device).manual_seed(42)   # the same split on every run

tf = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor()])
full = datasets.ImageFolder("flowers/train", transform=tf)
train_set, val_set = random_split(full, [0.8, 0.2], generator=g)
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
val_loader = DataLoader(val_set, batch_size=8)

model = torchvision.models.resnet18(num_classes=3).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
CELLS["pack-padded-lengths-moved-to-cuda-notebook"] = [
    '''import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = torch.device("cuda")
CLASSES = sorted(os.listdir("gestures"))


class Clips(Dataset):
    """gestures/<class>/<clip>/frame_*.jpg, clips of different lengths"""

    def __init__(self):
        self.clips = sorted(glob.glob("gestures/*/*"))
        self.tf = transforms.Compose([transforms.Resize((48, 48)), transforms.ToTensor()])

    def __len__(self):
        return len(self.clips)

    def __getitem__(self, i):
        frames = sorted(glob.glob(f"{self.clips[i]}/frame_*.jpg"))
        video = torch.stack([self.tf(Image.open(f).convert("RGB")) for f in frames])
        return video, CLASSES.index(self.clips[i].split(os.sep)[-2])


def collate(batch):
    videos, labels = zip(*batch)
    lengths = torch.tensor([len(v) for v in videos])
    return pad_sequence(videos, batch_first=True), lengths, torch.tensor(labels)


loader = DataLoader(Clips(), batch_size=4, shuffle=True, collate_fn=collate)
print(len(loader.dataset), "clips")''',
    '''class CNNLSTM(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.lstm = nn.LSTM(32, 64, batch_first=True)
        self.fc = nn.Linear(64, n_classes)

    def forward(self, video, lengths):
        b, t = video.shape[:2]
        feats = self.cnn(video.flatten(0, 1)).view(b, t, -1)
        packed = pack_padded_sequence(feats, lengths, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.lstm(packed)
        return self.fc(h[-1])


model = CNNLSTM(len(CLASSES)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)''',
    '''for epoch in range(5):
    for video, lengths, labels in loader:
        video, lengths, labels = video.to(device), lengths.to(device), labels.to(device)
        loss = nn.functional.cross_entropy(model(video, lengths), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")''',
]
SCRIPTS["fasterrcnn-target-dicts-left-on-cpu"] = '''
import json

import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision.models.detection import fasterrcnn_resnet50_fpn
from torchvision.transforms.functional import to_tensor

device = torch.device("cuda")


class Shelf(Dataset):
    def __init__(self):
        coco = json.load(open("shelf/annotations.json"))
        self.images = coco["images"]
        self.anns = {}
        for a in coco["annotations"]:
            self.anns.setdefault(a["image_id"], []).append(a)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        info = self.images[i]
        img = to_tensor(Image.open(f"shelf/images/{info['file_name']}").convert("RGB"))
        anns = self.anns[info["id"]]
        boxes = torch.tensor([[x, y, x + w, y + h] for x, y, w, h in (a["bbox"] for a in anns)], dtype=torch.float32)
        return img, {"boxes": boxes, "labels": torch.tensor([a["category_id"] for a in anns])}


loader = DataLoader(Shelf(), batch_size=2, shuffle=True, collate_fn=lambda b: tuple(zip(*b)))
model = fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None, num_classes=4, min_size=320, max_size=480)
model.to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9, weight_decay=5e-4)
for epoch in range(3):
    model.train()
    for images, targets in loader:
        images = list(image.to(device) for image in images)
        loss_dict = model(images, targets)
        losses = sum(loss for loss in loss_dict.values())
        optimizer.zero_grad()
        losses.backward()
        optimizer.step()
    print(f"epoch {epoch}: {losses.item():.3f}")
'''

# ------------------------------------------------------------------ mixed precision and dtypes
SCRIPTS["custom-autograd-function-under-autocast"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"


class MaskedLinearFn(torch.autograd.Function):
    """linear layer with a fixed pruning mask: pruned weights get no gradient"""

    @staticmethod
    def forward(ctx, x, weight, mask):
        w = weight * mask
        ctx.save_for_backward(x, w, mask)
        return x.mm(w.t())

    @staticmethod
    def backward(ctx, grad_out):
        x, w, mask = ctx.saved_tensors
        return grad_out.mm(w), grad_out.t().mm(x) * mask, None


class PrunedLinear(nn.Module):
    def __init__(self, i, o, sparsity=0.5):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(o, i) * i ** -0.5)
        self.register_buffer("mask", (torch.rand(o, i) > sparsity).float())

    def forward(self, x):
        return MaskedLinearFn.apply(x, self.weight, self.mask)


model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4), nn.Flatten(),
                      PrunedLinear(32 * 16 * 16, 128), nn.ReLU(), nn.Linear(128, 3)).to(device)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scaler = torch.amp.GradScaler("cuda")
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["pseudo-label-quantile-of-half-logits"] = '''
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda"
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
labelled = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
unlabelled = DataLoader(datasets.ImageFolder("flowers/unlabelled", transform=tf), batch_size=16, shuffle=True)

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 3)).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
scaler = torch.amp.GradScaler("cuda")
for epoch in range(5):
    for (x, y), (xu, _) in zip(labelled, unlabelled):
        x, y, xu = x.to(device), y.to(device), xu.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            sup = F.cross_entropy(model(x), y)
            logits_u = model(xu)
            # pseudo-labels: keep the 30% most confident unlabelled images of the batch
            conf, pseudo = logits_u.detach().max(1)
            keep = conf >= torch.quantile(conf, 0.7)
            unsup = F.cross_entropy(logits_u[keep], pseudo[keep])
            loss = sup + 0.5 * unsup
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: sup {sup.item():.3f} unsup {unsup.item():.3f}")
'''
SCRIPTS["mil-attention-mask-fill-minus-1e9-fp16"] = '''
import glob
import math
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"


class Slides(Dataset):
    """slides/<label>/<slide>/tile_*.png: a bag of tiles per whole-slide image"""

    def __init__(self):
        self.slides = sorted(glob.glob("slides/*/*"))
        self.tf = transforms.ToTensor()

    def __len__(self):
        return len(self.slides)

    def __getitem__(self, i):
        tiles = [self.tf(Image.open(p).convert("RGB")) for p in sorted(glob.glob(f"{self.slides[i]}/tile_*.png"))]
        return torch.stack(tiles), int(self.slides[i].split(os.sep)[-2] == "tumor")


def collate(batch):
    bags, labels = zip(*batch)
    mask = pad_sequence([torch.ones(len(b), dtype=torch.bool) for b in bags], batch_first=True)
    return pad_sequence(bags, batch_first=True), mask, torch.tensor(labels)


class TransMIL(nn.Module):
    def __init__(self, dim=128):
        super().__init__()
        self.embed = nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                   nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, dim))
        self.q, self.k, self.v = nn.Linear(dim, dim), nn.Linear(dim, dim), nn.Linear(dim, dim)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.head = nn.Linear(dim, 2)

    def forward(self, bags, mask):
        b, n = bags.shape[:2]
        x = self.embed(bags.flatten(0, 1)).view(b, n, -1)
        x = torch.cat([self.cls.expand(b, -1, -1), x], 1)
        mask = torch.cat([torch.ones(b, 1, dtype=torch.bool, device=mask.device), mask], 1)
        scores = self.q(x[:, :1]) @ self.k(x).transpose(1, 2) / math.sqrt(x.size(-1))
        scores = scores.masked_fill(~mask[:, None, :], -1e9)     # padded tiles get no attention
        pooled = (scores.softmax(-1) @ self.v(x)).squeeze(1)
        return self.head(pooled)


loader = DataLoader(Slides(), batch_size=4, shuffle=True, collate_fn=collate)
model = TransMIL().to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-4)
scaler = torch.amp.GradScaler("cuda")
for epoch in range(5):
    for bags, mask, y in loader:
        bags, mask, y = bags.to(device), mask.to(device), y.to(device)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = nn.functional.cross_entropy(model(bags, mask), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ cuDNN and memory layout
SCRIPTS["ocr-decoder-gru-from-bidirectional-state-slice"] = '''
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

device = "cuda"
CHARSET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
SOS, EOS = len(CHARSET), len(CHARSET) + 1
VOCAB = len(CHARSET) + 2


class Plates(Dataset):
    """plates/<TEXT>_<n>.png, 7 characters each"""

    def __init__(self):
        self.files = sorted(glob.glob("plates/*.png"))
        self.tf = transforms.Compose([transforms.Grayscale(), transforms.Resize((32, 128)), transforms.ToTensor()])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        text = os.path.basename(self.files[i]).split("_")[0]
        ids = [SOS] + [CHARSET.index(c) for c in text] + [EOS]
        return self.tf(Image.open(self.files[i])), torch.tensor(ids)


class Seq2SeqOCR(nn.Module):
    def __init__(self, hidden=128, layers=2):
        super().__init__()
        self.layers, self.hidden = layers, hidden
        self.cnn = nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2))       # (B, 64, 8, 32)
        self.encoder = nn.GRU(64 * 8, hidden, num_layers=layers, bidirectional=True, batch_first=True)
        self.embed = nn.Embedding(VOCAB, 64)
        self.decoder = nn.GRU(64, hidden, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden, VOCAB)

    def forward(self, images, tokens):
        f = self.cnn(images)                                   # columns become time steps
        f = f.permute(0, 3, 1, 2).flatten(2)
        _, h = self.encoder(f)                                 # (layers * 2, B, hidden)
        h = h.view(self.layers, 2, -1, self.hidden)[:, 0]      # forward direction of each layer
        out, _ = self.decoder(self.embed(tokens), h)
        return self.out(out)


model = Seq2SeqOCR().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(Plates(), batch_size=8, shuffle=True)
for epoch in range(10):
    for images, ids in loader:
        images, ids = images.to(device), ids.to(device)
        logits = model(images, ids[:, :-1])
        loss = criterion(logits.reshape(-1, VOCAB), ids[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["channels-last-features-flattened-with-view"] = '''
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
use_amp = device == "cuda"


class Net(nn.Module):
    def __init__(self, num_classes=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(64 * 8 * 8, num_classes)

    def forward(self, x):
        x = self.features(x)
        return self.fc(x.view(x.size(0), -1))


model = Net().to(device)
memory_format = torch.contiguous_format
if use_amp:
    # NHWC keeps the tensor cores busy under AMP (NVIDIA's performance guide)
    memory_format = torch.channels_last
    model = model.to(memory_format=memory_format)
tf = transforms.Compose([transforms.Resize((64, 64)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("flowers/train", transform=tf), batch_size=8, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scaler = torch.amp.GradScaler(device, enabled=use_amp)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device, memory_format=memory_format), y.to(device)
        with torch.autocast(device, dtype=torch.float16, enabled=use_amp):
            loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ setup: devices and decoders
SCRIPTS["dataparallel-two-device-ids-one-card"] = '''
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

# from the Kaggle notebook (2 x T4)
device = torch.device("cuda:0")
model = torchvision.models.resnet34(num_classes=4)
model = nn.DataParallel(model, device_ids=[0, 1]).to(device)

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
loader = DataLoader(datasets.ImageFolder("birds/train", transform=tf), batch_size=16, shuffle=True)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
for epoch in range(3):
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''
SCRIPTS["nvjpeg-gpu-decode-png-named-jpg"] = '''
import glob
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, decode_jpeg, read_file

device = torch.device("cuda")
CLASSES = sorted(os.listdir("flowers/train"))


class EncodedJpegs(Dataset):
    """returns the undecoded JPEG bytes: decoding happens on the GPU with nvJPEG"""

    def __init__(self, root):
        self.files = sorted(glob.glob(f"{root}/*/*.jpg"))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return read_file(self.files[i]), CLASSES.index(self.files[i].split(os.sep)[-2])


def collate(batch):
    data, labels = zip(*batch)
    return list(data), torch.tensor(labels)


loader = DataLoader(EncodedJpegs("flowers/train"), batch_size=8, shuffle=True, collate_fn=collate)
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1),
                      nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, len(CLASSES))).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(3):
    for data, y in loader:
        images = decode_jpeg(data, mode=ImageReadMode.RGB, device=device)
        x = torch.stack([F.interpolate(im[None].float(), size=(64, 64), mode="bilinear")[0] for im in images]) / 255
        loss = F.cross_entropy(model(x), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch}: {loss.item():.3f}")
'''

# ------------------------------------------------------------------ ImageAI 3 on the GPU
SCRIPTS["imageai-trainers-in-forked-pool-after-cuda-init"] = '''
import multiprocessing as mp

import torch
from imageai.Classification.Custom import ClassificationModelTrainer


def train(batch_size):
    trainer = ClassificationModelTrainer()
    trainer.setModelTypeAsMobileNetV2()
    trainer.setDataDirectory("flowers")
    trainer.trainModel(num_experiments=2, batch_size=batch_size, model_directory=f"models_bs{batch_size}")
    return batch_size


if __name__ == "__main__":
    print("GPU:", torch.cuda.get_device_name(0))
    # one run per batch size, side by side on the same card
    with mp.Pool(3) as pool:
        for bs in pool.map(train, [4, 8, 16]):
            print("finished batch size", bs)
'''


# ====================================================================== setups
flowers = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 6)
               + class_folder("flowers/test", ("daisy", "rose", "tulip"), 2))
flowers_unlabelled = imgs(class_folder("flowers/train", ("daisy", "rose", "tulip"), 6)
                          + class_folder("flowers/unlabelled", ("unknown",), 24))
pets = imgs(class_folder("pets/train", ("cat", "dog"), 8))
birds = imgs(class_folder("birds/train", ("finch", "robin", "sparrow", "wren"), 4))
faces = imgs(class_folder("faces/train", ("id_000017", "id_000042", "id_000108", "id_000311"), 4, size=(112, 112)))


def landmarks(work: Path):
    """faces/*.jpg 128x128 and landmarks.csv in pixels; one ear point lies just past the right border."""
    import random

    rnd = random.Random(4)
    make_images(work, [(f"faces/face_{i:03d}.jpg", (128, 128), "RGB") for i in range(12)])
    rows = ["image," + ",".join(f"x{k},y{k}" for k in range(5))]
    for i in range(12):
        pts = [(rnd.uniform(30, 98), rnd.uniform(30, 98)) for _ in range(5)]
        if i == 7:
            pts[3] = (129.5, 61.0)   # the ear, marked at the edge of the crop
        rows.append(f"face_{i:03d}.jpg," + ",".join(f"{x:.1f},{y:.1f}" for x, y in pts))
    (work / "faces/landmarks.csv").write_text("\n".join(rows) + "\n")


svhn = prep('''
    import os
    import numpy as np, scipy.io
    rng = np.random.default_rng(0)
    os.makedirs("svhn", exist_ok=True)
    n = 512
    scipy.io.savemat("svhn/train_32x32.mat", {"X": rng.integers(0, 256, (32, 32, 3, n), dtype=np.uint8),
                                              "y": rng.integers(1, 11, (n, 1)).astype(np.uint8)})
''')


def aerial(work: Path):
    """aerial/train: 100x100 RGB images, masks 0..2 in blocks with 255 outlines between them."""
    import random

    from PIL import Image
    rnd = random.Random(8)
    (work / "aerial/train/images").mkdir(parents=True)
    (work / "aerial/train/masks").mkdir(parents=True)
    for i in range(8):
        Image.frombytes("RGB", (100, 100), bytes(rnd.randrange(256) for _ in range(100 * 100 * 3))).save(
            work / f"aerial/train/images/tile_{i:03d}.png")
        cls = [[rnd.randrange(3) for _ in range(4)] for _ in range(4)]
        m = bytearray()
        for y in range(100):
            for x in range(100):
                m.append(255 if x % 25 in (0, 1) or y % 25 in (0, 1) else cls[y // 25][x // 25])
        Image.frombytes("L", (100, 100), bytes(m)).save(work / f"aerial/train/masks/tile_{i:03d}.png")


def utkface(work: Path):
    ages = [1, 4, 9, 15, 22, 26, 28, 31, 35, 38, 42, 47, 53, 58, 61, 66, 72, 79, 85, 90, 96, 101, 24, 33]
    make_images(work, [(f"UTKFace/{a}_{i % 2}_{i % 4}_2017011{i % 10}1{i:02d}0000000.jpg.chip.jpg", (64, 64), "RGB")
                       for i, a in enumerate(ages)])


def caption_set(work: Path):
    import json

    caps = ["a dog runs on the grass", "two cats sleep on a sofa", "a man rides a red bike",
            "a bird sits on a branch", "children play football in the park", "a boat on a calm lake",
            "a plate of pasta with tomato sauce", "a train crosses a bridge"]
    make_images(work, [(f"captions/images/{i:04d}.jpg", (96, 96), "RGB") for i in range(len(caps))])
    (work / "captions/captions.json").write_text(json.dumps({f"images/{i:04d}.jpg": c for i, c in enumerate(caps)}))


ct_volumes = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(1)
    os.makedirs("ct/train", exist_ok=True)
    for i in range(4):
        np.save(f"ct/train/case_{i:03d}_ct.npy", rng.integers(-1024, 1500, (128, 256, 256), dtype=np.int16))
        np.save(f"ct/train/case_{i:03d}_seg.npy", rng.integers(0, 3, (128, 256, 256), dtype=np.uint8))
''')
housing = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(2)
    os.makedirs("housing", exist_ok=True)
    X = rng.normal(size=(40000, 8)).astype(np.float32)
    y = X @ rng.normal(size=8).astype(np.float32) + 2.0
    np.savetxt("housing/train.csv", np.column_stack([X, y]), delimiter=",", fmt="%.4f",
               header="MedInc,HouseAge,AveRooms,AveBedrms,Population,AveOccup,Latitude,Longitude,MedHouseVal",
               comments="")
''')
embeddings = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(3)
    os.makedirs("embeddings", exist_ok=True)
    np.save("embeddings/query.npy", rng.normal(size=(60000, 128)).astype(np.float32))
    np.save("embeddings/gallery.npy", rng.normal(size=(60000, 128)).astype(np.float32))
    np.save("embeddings/query_labels.npy", rng.integers(0, 11318, 60000))
    np.save("embeddings/gallery_labels.npy", rng.integers(0, 11318, 60000))
''')
image_cache = prep('''
    import os
    import numpy as np
    rng = np.random.default_rng(4)
    os.makedirs("cache", exist_ok=True)
    np.save("cache/train_160.npy", rng.integers(0, 256, (6000, 160, 160, 3), dtype=np.uint8))
    np.save("cache/train_labels.npy", rng.integers(0, 10, 6000))
''')
teacher = prep('''
    import os
    import torch
    os.makedirs("teacher", exist_ok=True)
    torch.manual_seed(0)
    torch.save(torch.softmax(torch.randn(18, 3) / 4.0, 1), "teacher/soft_labels.pt")
''')


def gestures(work: Path):
    specs = []
    for c, n in (("swipe_left", 3), ("swipe_right", 3), ("stop", 2)):
        for clip in range(n):
            frames = 5 + (clip * 3 + len(c)) % 7
            specs += [(f"gestures/{c}/clip_{clip:02d}/frame_{f:03d}.jpg", (64, 64), "RGB") for f in range(frames)]
    make_images(work, specs)


def slides(work: Path):
    specs = []
    for label, n in (("normal", 4), ("tumor", 4)):
        for s in range(n):
            tiles = 3 + (s * 5 + len(label)) % 6
            specs += [(f"slides/{label}/slide_{s:02d}/tile_{t:03d}.png", (32, 32), "RGB") for t in range(tiles)]
    make_images(work, specs)


def plates(work: Path):
    import random

    rnd = random.Random(6)
    chars = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
    make_images(work, [(f"plates/{''.join(rnd.choice(chars) for _ in range(7))}_{i}.png", (160, 40), "L")
                       for i in range(16)])


def flowers_with_png_as_jpg(work: Path):
    """flowers/train/*/*.jpg where one 'jpg' is really a PNG (as some scrapers save them)."""
    flowers(work)
    make_images(work, [("_tmp/rose_dl.png", (64, 64), "RGB")])
    (work / "flowers/train/rose/rose_006.jpg").write_bytes((work / "_tmp/rose_dl.png").read_bytes())
    (work / "_tmp/rose_dl.png").unlink()
    (work / "_tmp").rmdir()


def cases():
    out = []

    def script(key, cause, forms=("cpython_basic",), setup=None, env=None, **kw):
        out.append(Case("torch-cuda3-" + key, cause, list(forms), {"train.py": SCRIPTS[key]}, setup=setup,
                        env=env or {}, **kw))

    def notebook(key, cause, forms=("ipython_cell", "ipython_arrows?"), setup=None, **kw):
        out.append(Case("torch-cuda3-" + key, cause, list(forms), nb(CELLS[key]), argv=["nb_runner.py"],
                        home_is_project=True, setup=setup, **kw))

    assertf = ("cpython_basic", "cuda_device_assert?", "cuda_assert?", "cpp_frames?")
    # device-side asserts: labels and indices
    script("retinanet-coco-category-ids-one-based", "data.label_out_of_range", assertf, setup=shelf)
    script("landmark-heatmap-keypoint-past-image-border", "data.bbox_invalid", assertf, setup=landmarks,
           also=["data.label_out_of_range"])
    script("svhn-mat-labels-ten-for-zero-multimargin", "data.label_out_of_range", assertf, setup=svhn)
    script("vit-learned-positions-224-fed-256px", "model.input_shape", assertf, setup=flowers)
    script("seg-masks-resized-bilinear-ignore-border-smeared", "data.label_out_of_range", assertf, setup=aerial)
    script("utkface-age-decade-bins-centenarian", "data.label_out_of_range", assertf, setup=utkface)
    script("caption-vocab-pad-zero-not-counted", "data.label_out_of_range", assertf, setup=caption_set,
           also=["model.output_mismatch"])
    # out of memory
    oomf = ("cpython_basic", "cuda_oom")
    script("oom-3d-unet-whole-ct-volumes", "resource.gpu_oom", oomf, setup=ct_volumes)
    script("oom-full-batch-regression-target-broadcast", "data.label_shape", oomf, setup=housing,
           also=["resource.gpu_oom"])
    script("oom-cdist-whole-retrieval-gallery", "resource.gpu_oom", oomf, setup=embeddings)
    script("oom-uint8-image-cache-normalised-on-gpu", "resource.gpu_oom", oomf, setup=image_cache)
    script("oom-arcface-head-600k-identities", "resource.gpu_oom", oomf, setup=faces)
    notebook("oom-notebook-bigger-model-while-first-alive", "resource.gpu_oom",
             ("ipython_cell", "ipython_arrows?", "cuda_oom"), setup=flowers)
    # two devices
    script("normalize-module-plain-tensor-attributes", "env.device_mismatch", setup=flowers)
    script("multiscale-branches-in-python-list", "env.device_mismatch", setup=birds, also=["model.api_misuse"])
    script("ema-copy-made-before-model-to-device", "env.device_mismatch", setup=flowers)
    script("distillation-cpu-teacher-table-cuda-indices", "env.device_mismatch", setup=both(flowers, teacher))
    script("random-split-generator-on-cuda", "env.device_mismatch", setup=flowers, also=["model.api_misuse"])
    notebook("pack-padded-lengths-moved-to-cuda-notebook", "env.device_mismatch", setup=gestures,
             also=["model.api_misuse"])
    script("fasterrcnn-target-dicts-left-on-cpu", "env.device_mismatch", setup=shelf)
    # mixed precision and dtypes
    script("custom-autograd-function-under-autocast", "data.dtype", setup=flowers, also=["model.api_misuse"])
    script("pseudo-label-quantile-of-half-logits", "data.dtype", setup=flowers_unlabelled)
    script("mil-attention-mask-fill-minus-1e9-fp16", "data.dtype", setup=slides, also=["model.api_misuse"])
    # cuDNN and memory layout
    script("ocr-decoder-gru-from-bidirectional-state-slice", "model.api_misuse", setup=plates)
    script("channels-last-features-flattened-with-view", "model.api_misuse", setup=flowers)
    # setup
    script("dataparallel-two-device-ids-one-card", "env.cuda_setup", setup=birds)
    script("nvjpeg-gpu-decode-png-named-jpg", "data.missing_or_corrupt", setup=flowers_with_png_as_jpg)
    # ImageAI 3 on the GPU
    script("imageai-trainers-in-forked-pool-after-cuda-init", "env.multiprocessing",
           ("cpython_basic", "remote_traceback?"), framework="imageai", setup=flowers)
    return out


if __name__ == "__main__":
    sys.exit(run_gpu_cases(cases(), SRC))
